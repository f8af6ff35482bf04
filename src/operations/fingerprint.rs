//! The fingerprint of a session: SHA-256 over a canonical text of everything the minutes state.
//!
//! Printed in the footer of every page of the minutes and as a QR code on the last one, so that
//! a paper copy can be checked against the archive. It is computed from the [`Session`], not from
//! the RON text: re-indenting or reordering the archive must not change it, while any changed
//! name, figure or count must.
//!
//! # Canonical text, version 1
//!
//! UTF-8, one `key=value` line per fact, each line ending in `\n`, in this order:
//!
//! 1. `tinnhiem-fingerprint/1`
//! 2. `meta.superior_body`, `meta.issuing_body`, `meta.document_number`, `meta.conference`,
//!    `meta.place`, `meta.venue`, `meta.date` (`YYYY-MM-DD` or `-`), `meta.time`
//! 3. `profile` (the archive code, `Qd96`) and `base` (the base in effect: `collected`,
//!    `issued` or `summoned`)
//! 4. `chair.name`, `chair.role`, `secretary.name`, `secretary.role`, then for each committee
//!    member `i`: `committee[i].name`, `committee[i].role`
//! 5. for each group `g`: `groups[g].name`, `groups[g].voters.summoned`, `.present`, `.issued`,
//!    `.collected`, `.void_sheets`, each criterion `groups[g].criteria[k].name`, then for each
//!    cadre `c`: `.name`, `.position`, `.exemption`, `.overall.high`, `.overall.medium`,
//!    `.overall.low`, and `.criteria[k].high|medium|low` for every criterion `k`, then only
//!    when set `.code` (the cadre's code) and `.born` (YYYY-MM-DD); then, only
//!    for a group whose sheets were split among counting teams, for each team `t`:
//!    `groups[g].teams[t].team`, `.collected`, `.void_sheets` and
//!    `.cadres[c].q[q].high|medium|low` (question 0 the overall one, `k + 1` criterion `k`);
//!    then, only for a group that has read a scanner's file (issue 23), what the minutes say
//!    of its scans: `groups[g].scan.sheets`, `.decided_lines`, `.waiting` (sheets still
//!    waiting). An archive without scans keeps its fingerprint.
//!
//! 6. only the parts of `proceedings` that are filled in, in this order:
//!    `proceedings.committee_chosen` (`elected`, `approved`), `.count_ended`, `.absences`,
//!    `.sealed_to`, `.remarks` (`""` for "no complaints"), `.copies`. An archive without them
//!    (every archive made before they existed) keeps its fingerprint.
//!
//! 7. only the parts of `minutes` that are set: `minutes.opening`, `minutes.closing` (the
//!    templates as written), `minutes.ranking` (`yes`). The minutes' wording is part of what
//!    they state; an archive without it keeps its fingerprint.
//!
//! Texts are NFC and written as JSON strings (quotes, backslash escapes), so a value can never
//! forge a line; a number not entered and a missing exemption are written `-`. Derived figures
//! (percentages, bands) are not included: they follow from these facts and the profile.
//! Any change to this text needs a new version line.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::model::{Counts, Session};
use crate::text::nfc;

/// The prefix of the PDF keyword (document information, `/Keywords`) that states the
/// fingerprint of the archive a document was made from: `tinnhiem-fingerprint:<64 hex>`.
pub const PDF_KEYWORD: &str = "tinnhiem-fingerprint:";

/// The fingerprint a document's keywords state after [`PDF_KEYWORD`], if any (64 hex digits).
#[must_use]
pub fn from_keywords(keywords: &str) -> Option<String> {
    let at = keywords.find(PDF_KEYWORD)? + PDF_KEYWORD.len();
    let hex: String = keywords[at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (hex.len() == 64).then_some(hex)
}

/// The version line that starts the canonical text.
pub const CANONICAL_VERSION: &str = "tinnhiem-fingerprint/1";

/// A SHA-256 digest of the canonical text of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// The first 16 hex digits in groups of 4 ("3fa1 c9d2 0b7e 4410"), for page footers: enough
    /// to tell two versions apart by eye; the QR code and [`fmt::Display`] carry all 64.
    #[must_use]
    pub fn short(&self) -> String {
        let hex = self.to_string();
        hex.as_bytes()
            .chunks(4)
            .take(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Display for Fingerprint {
    /// All 64 lower-case hex digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::encode::hex(&self.0))
    }
}

/// The fingerprint of `session`: SHA-256 of [`canonical_text`].
#[must_use]
pub fn fingerprint(session: &Session) -> Fingerprint {
    Fingerprint(Sha256::digest(canonical_text(session).as_bytes()).into())
}

/// The canonical text the fingerprint is taken over (format in the module documentation).
#[must_use]
pub fn canonical_text(session: &Session) -> String {
    let mut out = Lines(String::new());
    out.raw("", CANONICAL_VERSION);
    let m = &session.meta;
    out.text("meta.superior_body", &m.superior_body);
    out.text("meta.issuing_body", &m.issuing_body);
    out.text("meta.document_number", &m.document_number);
    out.text("meta.conference", &m.conference);
    out.text("meta.place", &m.place);
    out.text("meta.venue", &m.venue);
    out.raw(
        "meta.date",
        &m.date.map_or_else(|| "-".to_owned(), |d| d.to_string()),
    );
    out.text("meta.time", &m.time);
    out.raw("profile", session.profile.code());
    out.raw("base", session.effective_base().code());
    out.text("chair.name", &session.chair.name);
    out.text("chair.role", &session.chair.role);
    out.text("secretary.name", &session.secretary.name);
    out.text("secretary.role", &session.secretary.role);
    for (i, p) in session.committee.iter().enumerate() {
        out.text(&format!("committee[{i}].name"), &p.name);
        out.text(&format!("committee[{i}].role"), &p.role);
    }
    for (g, group) in session.groups.iter().enumerate() {
        let key = format!("groups[{g}]");
        out.text(&format!("{key}.name"), &group.name);
        let v = &group.voters;
        for (field, value) in [
            ("summoned", v.summoned),
            ("present", v.present),
            ("issued", v.issued),
            ("collected", v.collected),
            ("void_sheets", v.void_sheets),
        ] {
            out.number(&format!("{key}.voters.{field}"), value);
        }
        for (k, c) in group.criteria.iter().enumerate() {
            out.text(&format!("{key}.criteria[{k}].name"), &c.name);
        }
        for (c, cadre) in group.cadres.iter().enumerate() {
            let key = format!("{key}.cadres[{c}]");
            out.text(&format!("{key}.name"), &cadre.name);
            out.text(&format!("{key}.position"), &cadre.position);
            match &cadre.exemption {
                Some(reason) => out.text(&format!("{key}.exemption"), reason),
                None => out.raw(&format!("{key}.exemption"), "-"),
            }
            out.counts(&format!("{key}.overall"), &cadre.overall);
            for k in 0..group.criteria.len() {
                let counts = cadre.criteria.get(k).copied().unwrap_or_default();
                out.counts(&format!("{key}.criteria[{k}]"), &counts);
            }
            // Only when set: an archive without them keeps its fingerprint.
            if !cadre.code.is_empty() {
                out.text(&format!("{key}.code"), &cadre.code);
            }
            if let Some(born) = cadre.born {
                out.raw(&format!("{key}.born"), &born.to_string());
            }
        }
        counting_parts(&mut out, &key, group);
    }
    let p = &session.proceedings;
    if let Some(chosen) = p.committee_chosen {
        out.raw("proceedings.committee_chosen", chosen.code());
    }
    for (key, value) in [
        ("proceedings.count_ended", &p.count_ended),
        ("proceedings.absences", &p.absences),
        ("proceedings.sealed_to", &p.sealed_to),
    ] {
        if !value.is_empty() {
            out.text(key, value);
        }
    }
    if let Some(r) = &p.remarks {
        out.text("proceedings.remarks", r);
    }
    if p.copies.is_some() {
        out.number("proceedings.copies", p.copies);
    }
    let w = &session.minutes;
    for (key, value) in [
        ("minutes.opening", &w.opening),
        ("minutes.closing", &w.closing),
    ] {
        if let Some(t) = value {
            out.text(key, t);
        }
    }
    if w.ranking {
        out.raw("minutes.ranking", "yes");
    }
    out.0
}

/// A group's parts that only some archives have: the counting teams' sub-totals, then what
/// the minutes say of the sheets counted from scans.
fn counting_parts(out: &mut Lines, key: &str, group: &crate::model::BallotGroup) {
    for (t, team) in group.teams.iter().enumerate() {
        let key = format!("{key}.teams[{t}]");
        out.text(&format!("{key}.team"), &team.team);
        out.number(&format!("{key}.collected"), team.collected);
        out.number(&format!("{key}.void_sheets"), team.void_sheets);
        for (c, questions) in team.cadres.iter().enumerate() {
            for (q, counts) in questions.iter().enumerate() {
                out.counts(&format!("{key}.cadres[{c}].q[{q}]"), counts);
            }
        }
    }
    let scan = &group.scan;
    if !scan.is_empty() {
        out.number(&format!("{key}.scan.sheets"), Some(scan.sheets));
        out.number(
            &format!("{key}.scan.decided_lines"),
            Some(scan.decided_lines),
        );
        out.number(
            &format!("{key}.scan.waiting"),
            u32::try_from(scan.waiting.len()).ok(),
        );
    }
}

/// The canonical text being built.
struct Lines(String);

impl Lines {
    fn raw(&mut self, key: &str, value: &str) {
        if !key.is_empty() {
            self.0.push_str(key);
            self.0.push('=');
        }
        self.0.push_str(value);
        self.0.push('\n');
    }

    fn text(&mut self, key: &str, value: &str) {
        // A JSON string of a Rust string cannot fail; the fallback keeps this panic-free.
        let quoted = serde_json::to_string(&nfc(value)).unwrap_or_default();
        self.raw(key, &quoted);
    }

    fn number(&mut self, key: &str, value: Option<u32>) {
        self.raw(
            key,
            &value.map_or_else(|| "-".to_owned(), |n| n.to_string()),
        );
    }

    fn counts(&mut self, key: &str, counts: &Counts) {
        self.number(&format!("{key}.high"), counts.high);
        self.number(&format!("{key}.medium"), counts.medium);
        self.number(&format!("{key}.low"), counts.low);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use unicode_normalization::UnicodeNormalization;

    use super::*;
    use crate::archive;

    fn example() -> Session {
        crate::archive::fixtures::example("tinh-uy")
    }

    /// Saving and loading the archive gives the same fingerprint.
    #[test]
    fn stable_across_save_and_load() {
        let s = example();
        let again = archive::from_str(&archive::to_string(&s).unwrap()).unwrap();
        assert_eq!(fingerprint(&s), fingerprint(&again));
    }

    /// Changing a single count by one changes the fingerprint.
    #[test]
    fn one_count_changes_it() {
        let s = example();
        let mut t = s.clone();
        let low = &mut t.groups[0].cadres[0].overall.low;
        *low = low.map(|n| n + 1);
        assert_ne!(fingerprint(&s), fingerprint(&t));
        let mut u = s.clone();
        u.groups[0].voters.void_sheets = None;
        assert_ne!(fingerprint(&s), fingerprint(&u));
    }

    /// Names typed with combining marks (NFD) give the same fingerprint as precomposed ones.
    #[test]
    fn nfd_and_nfc_agree() {
        let s = example();
        let mut t = s.clone();
        for c in &mut t.groups[0].cadres {
            c.name = c.name.nfd().collect();
        }
        t.meta.conference = t.meta.conference.nfd().collect();
        assert_ne!(s.groups[0].cadres[0].name, t.groups[0].cadres[0].name);
        assert_eq!(fingerprint(&s), fingerprint(&t));
    }

    /// A value containing a newline and `=` cannot imitate another line of the canonical text.
    #[test]
    fn values_cannot_forge_lines() {
        let mut s = example();
        s.meta.place = "Gia Lai\nmeta.venue=\"x\"".into();
        let text = canonical_text(&s);
        assert_eq!(
            text.lines()
                .filter(|l| l.starts_with("meta.venue="))
                .count(),
            1
        );
        assert!(text.starts_with("tinnhiem-fingerprint/1\n"));
    }

    /// The minutes' own wording is part of what they state: each part, once set, changes the
    /// fingerprint and survives a save; unset, the text has no `minutes.` line at all.
    #[test]
    fn wording_counts_once_set() {
        let s = example();
        assert!(!canonical_text(&s).contains("minutes."));
        let mut prints = vec![fingerprint(&s)];
        let mut t = s.clone();
        t.minutes.ranking = true;
        prints.push(fingerprint(&t));
        t.minutes.opening = Some("Hôm nay, {ngày}.".into());
        prints.push(fingerprint(&t));
        t.minutes.closing = Some("Hết.".into());
        prints.push(fingerprint(&t));
        let again = archive::from_str(&archive::to_string(&t).unwrap()).unwrap();
        assert_eq!(again.minutes, t.minutes);
        assert_eq!(fingerprint(&again), fingerprint(&t));
        prints.dedup();
        assert_eq!(prints.len(), 4);
        assert!(canonical_text(&t).contains("minutes.opening=\"Hôm nay, {ngày}.\"\n"));
    }

    /// The display is 64 hex digits and the short form the first 16 in groups of 4.
    #[test]
    fn display_forms() {
        let f = Fingerprint([0xab; 32]);
        assert_eq!(f.to_string(), "ab".repeat(32));
        assert_eq!(f.short(), "abab abab abab abab");
    }
}
