//! The JSON output of `tinnhiem tally --json`: a contract for other tools, documented in
//! docs/cli.md. Fields are only ever added, never renamed or removed, within a `json_version`.

use serde::Serialize;

use crate::tally::{CadreTally, GroupTally, QuestionTally, Share, Tally};
use crate::text::Lang;

/// The version of this JSON contract.
pub const JSON_VERSION: u32 = 1;

/// The whole output.
#[derive(Debug, Serialize)]
pub struct Report {
    /// [`JSON_VERSION`].
    pub json_version: u32,
    /// The profile's identifier ("Qd96", …).
    pub profile: &'static str,
    /// One entry per ballot group.
    pub groups: Vec<Group>,
    /// What each band of the profile means, worded for this vote (added in 2026-12; not
    /// covered by the seal: see [`crate::sealed`]).
    pub bands: Vec<BandJson>,
    /// Whether the `qd41_*` grounds apply: a party profile and a vote dated before
    /// 08/10/2025, when Quy định 377-QĐ/TW replaced QĐ 41 (otherwise they are all `false`).
    pub qd41_applies: bool,
}

/// A band's meaning, in both languages, as the law words it (issue 12).
#[derive(Debug, Serialize)]
pub struct BandJson {
    /// "band_a" or "band_b", as in each cadre's `band`.
    pub code: &'static str,
    /// The band in words.
    pub label: Bilingual,
    /// The whole consequence, naming the one body concerned.
    pub consequence: Bilingual,
    /// What the competent body must do.
    pub must: Bilingual,
    /// What it considers, if the law says so.
    pub considers: Option<Bilingual>,
    /// Article and clause.
    pub citation: Bilingual,
}

/// A text in Vietnamese and English.
#[derive(Debug, Serialize)]
pub struct Bilingual {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Bilingual {
    fn of(t: crate::text::Tr, body: crate::rules::StateBody) -> Self {
        Self {
            vi: body.fill(t, Lang::Vi),
            en: body.fill(t, Lang::En),
        }
    }
}

/// A ballot group.
#[derive(Debug, Serialize)]
pub struct Group {
    /// The group's name.
    pub name: String,
    /// The base of percentages.
    pub base: Base,
    /// Whether the quorum is met.
    pub quorum_met: bool,
    /// The voters' figures (`null` when not entered).
    pub voters: Voters,
    /// The criterion questions' names.
    pub criteria: Vec<String>,
    /// The cadres in ballot order.
    pub cadres: Vec<Cadre>,
}

/// The base of percentages.
#[derive(Debug, Serialize)]
pub struct Base {
    /// "collected", "issued" or "summoned".
    pub kind: &'static str,
    /// The figure, `null` when not entered.
    pub value: Option<u32>,
}

/// The voters' figures.
#[derive(Debug, Serialize)]
pub struct Voters {
    /// Summoned.
    pub summoned: Option<u32>,
    /// Present.
    pub present: Option<u32>,
    /// Ballots issued.
    pub issued: Option<u32>,
    /// Ballots collected.
    pub collected: Option<u32>,
    /// Whole void sheets.
    pub void_sheets: Option<u32>,
    /// Valid sheets (collected − void).
    pub valid_sheets: Option<u32>,
}

/// A cadre's results.
#[derive(Debug, Serialize)]
pub struct Cadre {
    /// Full name.
    pub name: String,
    /// Position.
    pub position: String,
    /// Whether exempt from the vote.
    pub exempt: bool,
    /// The exemption reason, if exempt.
    pub exemption_reason: Option<String>,
    /// Rank by "tín nhiệm cao" (1 = most), `null` for exempt or incomplete.
    pub rank: Option<u32>,
    /// The overall question.
    pub overall: Question,
    /// The criterion questions, in order.
    pub criteria: Vec<NamedQuestion>,
    /// "none", "band_a" or "band_b".
    pub band: &'static str,
    /// QĐ 41: more than 1/2 low.
    pub qd41_resign_ground: bool,
    /// QĐ 41: more than 2/3 low.
    pub qd41_dismiss_ground: bool,
}

/// One question: every field `null` when it cannot be computed (counts missing, no base).
#[derive(Debug, Serialize)]
pub struct Question {
    /// Tín nhiệm cao.
    pub high: Option<ShareJson>,
    /// Tín nhiệm.
    pub medium: Option<ShareJson>,
    /// Tín nhiệm thấp.
    pub low: Option<ShareJson>,
    /// Invalid lines.
    pub invalid_lines: Option<ShareJson>,
}

/// A criterion question with its name.
#[derive(Debug, Serialize)]
pub struct NamedQuestion {
    /// The criterion.
    pub name: String,
    /// Its results.
    #[serde(flatten)]
    pub question: Question,
}

/// A count and its share.
#[derive(Debug, Serialize)]
pub struct ShareJson {
    /// The count.
    pub count: u32,
    /// Numerator of the share (the count).
    pub numerator: u32,
    /// Denominator of the share (the base).
    pub denominator: u32,
    /// The percentage, 2 decimals half-up, decimal point; `null` when the base is 0.
    pub percent: Option<String>,
}

fn share(s: &Share) -> ShareJson {
    ShareJson {
        count: s.count,
        numerator: s.fraction.numerator,
        denominator: s.fraction.denominator,
        percent: s.fraction.percent_string(Lang::En),
    }
}

fn question(q: Option<&QuestionTally>) -> Question {
    Question {
        high: q.map(|q| share(&q.high)),
        medium: q.map(|q| share(&q.medium)),
        low: q.map(|q| share(&q.low)),
        invalid_lines: q.and_then(|q| q.invalid_lines.as_ref()).map(share),
    }
}

fn cadre(group: &GroupTally, c: &CadreTally) -> Cadre {
    Cadre {
        name: c.name.clone(),
        position: c.position.clone(),
        exempt: c.exemption.is_some(),
        exemption_reason: c.exemption.clone(),
        rank: c.rank,
        overall: question(c.overall.as_ref()),
        criteria: group
            .criteria
            .iter()
            .enumerate()
            .map(|(k, name)| NamedQuestion {
                name: name.clone(),
                question: question(c.criteria.get(k).and_then(Option::as_ref)),
            })
            .collect(),
        band: c.band.map_or("none", |b| b.code()),
        qd41_resign_ground: c.qd41.resign_ground,
        qd41_dismiss_ground: c.qd41.dismiss_ground,
    }
}

/// Builds the JSON report of a tally.
#[must_use]
pub fn report(t: &Tally) -> Report {
    let body = t.state_body;
    Report {
        json_version: JSON_VERSION,
        profile: t.profile.code(),
        bands: t
            .profile
            .profile()
            .bands
            .iter()
            .map(|b| BandJson {
                code: b.id.code(),
                label: Bilingual::of(b.label, body),
                consequence: Bilingual::of(b.consequence, body),
                must: Bilingual::of(b.must, body),
                considers: b.considers.map(|c| Bilingual::of(c, body)),
                citation: Bilingual::of(b.citation, body),
            })
            .collect(),
        qd41_applies: t.qd41_applies,
        groups: t
            .groups
            .iter()
            .map(|g| Group {
                name: g.name.clone(),
                base: Base {
                    kind: t.base_kind.code(),
                    value: g.base,
                },
                quorum_met: g.quorum_met,
                voters: Voters {
                    summoned: g.voters.summoned,
                    present: g.voters.present,
                    issued: g.voters.issued,
                    collected: g.voters.collected,
                    void_sheets: g.voters.void_sheets,
                    valid_sheets: g.valid_sheets,
                },
                criteria: g.criteria.clone(),
                cadres: g.cadres.iter().map(|c| cadre(g, c)).collect(),
            })
            .collect(),
    }
}

/// The report as pretty JSON text.
///
/// # Errors
///
/// serde_json's error, which the report's plain fields (numbers, strings, options) never give.
pub fn to_string(t: &Tally) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&report(t))
}
