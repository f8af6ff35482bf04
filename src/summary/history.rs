//! A cadre's record across votes (issue 25 §3), from the same archives a summary reads: the
//! same person's results in each vote, in date order, and where the band changed.
//!
//! Matching is exact, never a guess: the same name (NFC, case and spacing aside) in the same
//! unit, and every record says so ("khớp theo họ tên trong cùng đơn vị"). The cadre code and
//! the date of birth that would match a person across units are not in the archive yet
//! (docs/summary.md, "Not built yet").

use serde::Serialize;

use super::{CadreRow, Summary};
use crate::rules::BandId;

/// How the votes of a record were matched to one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The same name in the same unit.
    NameInUnit,
}

impl MatchedBy {
    /// The marker a reader sees.
    #[must_use]
    pub fn words(self) -> crate::text::Message {
        match self {
            Self::NameInUnit => crate::text::Message::new(
                "khớp theo họ tên trong cùng đơn vị",
                "matched by name within the unit",
            ),
        }
    }
}

/// One vote of a cadre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vote {
    /// The vote's date (YYYY-MM-DD).
    pub date: Option<String>,
    /// The conference.
    pub conference: String,
    /// The ballot group.
    pub group: String,
    /// The position then.
    pub position: String,
    /// The shares of "tín nhiệm cao", "tín nhiệm", "tín nhiệm thấp" as printed.
    pub shares: [String; 3],
    /// The band then.
    pub band: Option<BandId>,
    /// The band in the law's words under that vote's profile ("Trên 1/2 đến dưới 2/3").
    pub band_words: Option<crate::text::Message>,
    /// Whether the band differs from the vote before.
    pub band_changed: bool,
    /// The archive.
    pub file: String,
}

/// One person's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The name as last written.
    pub name: String,
    /// The unit.
    pub unit: String,
    /// How the votes were matched.
    pub matched_by: MatchedBy,
    /// The votes, oldest first.
    pub votes: Vec<Vote>,
}

/// The key two rows of one person share.
fn key(c: &CadreRow) -> (String, String) {
    let norm = |s: &str| {
        crate::text::nfc(&s.split_whitespace().collect::<Vec<_>>().join(" ")).to_lowercase()
    };
    (norm(&c.unit), norm(&c.name))
}

/// The records of the people rated in two votes or more; with `cadre`, of those whose name
/// contains it (any case), however many votes they have.
#[must_use]
pub fn history(s: &Summary, cadre: Option<&str>) -> Vec<Record> {
    let wanted = cadre.map(|c| crate::text::nfc(c.trim()).to_lowercase());
    let mut by_person: std::collections::BTreeMap<(String, String), Vec<&CadreRow>> =
        std::collections::BTreeMap::new();
    for c in &s.cadres {
        if let Some(w) = &wanted
            && !crate::text::nfc(&c.name)
                .to_lowercase()
                .contains(w.as_str())
        {
            continue;
        }
        by_person.entry(key(c)).or_default().push(c);
    }
    let unit_of = |file: usize| s.units.iter().find(|u| u.file == file);
    let mut out = Vec::new();
    for rows in by_person.into_values() {
        if rows.len() < 2 && wanted.is_none() {
            continue;
        }
        let mut votes: Vec<Vote> = rows
            .iter()
            .map(|c| {
                let u = unit_of(c.file);
                Vote {
                    date: u.and_then(|u| u.date.clone()),
                    conference: u.map(|u| u.conference.clone()).unwrap_or_default(),
                    group: c.group.clone(),
                    position: c.position.clone(),
                    shares: c.shares.clone(),
                    band: c.band,
                    band_words: super::output::band_words(c, crate::text::Lang::Vi)
                        .zip(super::output::band_words(c, crate::text::Lang::En))
                        .map(|(vi, en)| crate::text::Message::new(vi.0, en.0)),
                    band_changed: false,
                    file: s
                        .files
                        .get(c.file)
                        .map(|f| f.path.display().to_string())
                        .unwrap_or_default(),
                }
            })
            .collect();
        votes.sort_by(|a, b| a.date.cmp(&b.date).then(a.file.cmp(&b.file)));
        for k in 1..votes.len() {
            votes[k].band_changed = votes[k].band != votes[k - 1].band;
        }
        let last = rows.last().copied();
        out.push(Record {
            name: last.map(|c| c.name.clone()).unwrap_or_default(),
            unit: last.map(|c| c.unit.clone()).unwrap_or_default(),
            matched_by: MatchedBy::NameInUnit,
            votes,
        });
    }
    out
}
