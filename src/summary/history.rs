//! A cadre's record across votes (issue 25 §3), from the same archives a summary reads: the
//! same person's results in each vote, in date order, and where the band changed.
//!
//! Matching is exact, never a guess, and every record says how: by the cadre's code (mã cán
//! bộ) when the archives have it, across units; else by the name and the date of birth,
//! across units; else by the name (NFC, case and spacing aside) within the same unit, marked
//! "khớp theo họ tên trong cùng đơn vị".

use serde::Serialize;

use super::{CadreRow, Summary};
use crate::rules::BandId;

/// How the votes of a record were matched to one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The same cadre code.
    Code,
    /// The same name and date of birth.
    NameAndBirth,
    /// The same name in the same unit.
    NameInUnit,
}

impl MatchedBy {
    /// The marker a reader sees.
    #[must_use]
    pub fn words(self) -> crate::text::Message {
        match self {
            Self::Code => crate::text::Message::new("khớp theo mã cán bộ", "matched by cadre code"),
            Self::NameAndBirth => crate::text::Message::new(
                "khớp theo họ tên và ngày sinh",
                "matched by name and date of birth",
            ),
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
    /// The unit that voted.
    pub unit: String,
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
    /// The unit, as of the last vote.
    pub unit: String,
    /// How the votes were matched.
    pub matched_by: MatchedBy,
    /// The votes, oldest first.
    pub votes: Vec<Vote>,
}

/// The key two rows of one person share, and how it matches them: the code, else the name
/// and the date of birth, else the name within the unit.
fn key(c: &CadreRow) -> (MatchedBy, String, String) {
    let norm = |s: &str| {
        crate::text::nfc(&s.split_whitespace().collect::<Vec<_>>().join(" ")).to_lowercase()
    };
    if !c.code.trim().is_empty() {
        (MatchedBy::Code, norm(&c.code), String::new())
    } else if let Some(born) = &c.born {
        (MatchedBy::NameAndBirth, norm(&c.name), born.clone())
    } else {
        (MatchedBy::NameInUnit, norm(&c.unit), norm(&c.name))
    }
}

/// The records of the people rated in two votes or more; with `cadre`, of those whose name
/// contains it (any case) or whose code it is, however many votes they have.
#[must_use]
pub fn history(s: &Summary, cadre: Option<&str>) -> Vec<Record> {
    let wanted = cadre.map(|c| crate::text::nfc(c.trim()).to_lowercase());
    let mut by_person: std::collections::BTreeMap<(MatchedBy, String, String), Vec<&CadreRow>> =
        std::collections::BTreeMap::new();
    for c in &s.cadres {
        if let Some(w) = &wanted
            && !crate::text::nfc(&c.name)
                .to_lowercase()
                .contains(w.as_str())
            && crate::text::nfc(c.code.trim()).to_lowercase() != *w
        {
            continue;
        }
        by_person.entry(key(c)).or_default().push(c);
    }
    let unit_of = |file: usize| s.units.iter().find(|u| u.file == file);
    let mut out = Vec::new();
    let date_of = |c: &CadreRow| unit_of(c.file).and_then(|u| u.date.clone());
    for ((matched_by, _, _), mut rows) in by_person {
        if rows.len() < 2 && wanted.is_none() {
            continue;
        }
        // Oldest first: the name and unit of the record are the last vote's.
        rows.sort_by_cached_key(|c| (date_of(c), c.file));
        let mut votes: Vec<Vote> = rows
            .iter()
            .map(|c| {
                let u = unit_of(c.file);
                Vote {
                    date: u.and_then(|u| u.date.clone()),
                    conference: u.map(|u| u.conference.clone()).unwrap_or_default(),
                    unit: c.unit.clone(),
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
        for k in 1..votes.len() {
            votes[k].band_changed = votes[k].band != votes[k - 1].band;
        }
        let last = rows.last().copied();
        out.push(Record {
            name: last.map(|c| c.name.clone()).unwrap_or_default(),
            unit: last.map(|c| c.unit.clone()).unwrap_or_default(),
            matched_by,
            votes,
        });
    }
    out
}
