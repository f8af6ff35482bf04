//! The results as CSV for Excel.
//!
//! Format (stable; a change needs a note in docs/documents.md):
//! - UTF-8 with a byte-order mark, so that Excel shows Vietnamese letters instead of guessing
//!   a legacy code page; lines end in CRLF.
//! - **Semicolon** separator and **decimal comma** in percentages ("53,19", no `%` sign): what
//!   Excel expects under a Vietnamese (and most European) locale, where the comma is the
//!   decimal separator. Percentages are the core's half-up display, not recomputed.
//! - Fields containing `;`, `"`, CR or LF are quoted, with `"` doubled (RFC 4180).
//! - One header row, then one row per cadre and question: the official question first
//!   ("Tổng thể"), then each criterion. Exempt cadres have one row with the reason and empty
//!   figures. An empty cell is a figure not entered.
//! - The two QĐ 41 columns only where QĐ 41's grounds apply ([`qd41_columns`]): a "không"
//!   under a regulation that does not govern the vote would state a fact it cannot.

use crate::model::Session;
use crate::tally::{CadreTally, QuestionTally, Share, Tally, tally};
use crate::text::Lang;

/// The column names, in order; the last two only when [`qd41_columns`].
pub const COLUMNS: [&str; 19] = [
    "Nhóm",
    "Câu hỏi",
    "STT",
    "Họ và tên",
    "Chức vụ",
    "Không lấy phiếu",
    "Cơ sở tính tỉ lệ",
    "Tín nhiệm cao",
    "% tín nhiệm cao",
    "Tín nhiệm",
    "% tín nhiệm",
    "Tín nhiệm thấp",
    "% tín nhiệm thấp",
    "Không hợp lệ",
    "% không hợp lệ",
    "Xếp hạng",
    "Mức",
    "QĐ 41: từ chức",
    "QĐ 41: miễn nhiệm",
];

/// Whether the results carry the QĐ 41 columns: exactly when QĐ 41's grounds apply to the
/// vote (a party profile, a vote dated before the regulation's repeal). One decision, for the
/// CSV and the workbook alike.
#[must_use]
pub fn qd41_columns(t: &Tally) -> bool {
    t.qd41_applies
}

/// The columns of `t`'s CSV: [`COLUMNS`], less the QĐ 41 ones where they do not apply.
#[must_use]
pub fn columns(t: &Tally) -> &'static [&'static str] {
    if qd41_columns(t) {
        &COLUMNS
    } else {
        &COLUMNS[..COLUMNS.len() - 2]
    }
}

/// A QĐ 41 ground as the documents write it.
#[must_use]
pub fn yes_no(ground: bool) -> &'static str {
    if ground { "có" } else { "không" }
}

fn field(s: &str) -> String {
    if s.contains([';', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn share(out: &mut Vec<String>, s: Option<Share>) {
    match s {
        Some(s) => {
            out.push(s.count.to_string());
            out.push(s.fraction.percent_string(Lang::Vi).unwrap_or_default());
        }
        None => out.extend([String::new(), String::new()]),
    }
}

fn row(
    group: &str,
    question: &str,
    c: &CadreTally,
    base: Option<u32>,
    q: Option<&QuestionTally>,
    (overall, qd41): (bool, bool),
    band: &str,
) -> Vec<String> {
    let mut r = vec![
        group.to_owned(),
        question.to_owned(),
        (c.index + 1).to_string(),
        c.name.clone(),
        c.position.clone(),
        c.exemption.clone().unwrap_or_default(),
        base.map(|b| b.to_string()).unwrap_or_default(),
    ];
    share(&mut r, q.map(|q| q.high));
    share(&mut r, q.map(|q| q.medium));
    share(&mut r, q.map(|q| q.low));
    share(&mut r, q.and_then(|q| q.invalid_lines));
    if overall && c.exemption.is_none() && q.is_some() {
        r.push(c.rank.map(|n| n.to_string()).unwrap_or_default());
        r.push(band.to_owned());
        if qd41 {
            r.push(yes_no(c.qd41.resign_ground).to_owned());
            r.push(yes_no(c.qd41.dismiss_ground).to_owned());
        }
    } else {
        r.extend(std::iter::repeat_n(String::new(), if qd41 { 4 } else { 2 }));
    }
    r
}

/// The results CSV (bytes, with the BOM).
#[must_use]
pub fn results_csv(session: &Session) -> Vec<u8> {
    let t = tally(session);
    let profile = t.profile.profile();
    let qd41 = qd41_columns(&t);
    let mut lines: Vec<Vec<String>> = vec![columns(&t).iter().map(|s| (*s).to_owned()).collect()];
    for g in &t.groups {
        for c in &g.cadres {
            let base = if c.exemption.is_none() { g.base } else { None };
            let band = c
                .band
                .and_then(|b| profile.band(b))
                .map_or("", |b| b.label.vi);
            lines.push(row(
                &g.name,
                "Tổng thể",
                c,
                base,
                c.overall.as_ref(),
                (true, qd41),
                band,
            ));
            if c.exemption.is_some() {
                continue;
            }
            for (k, name) in g.criteria.iter().enumerate() {
                let q = c.criteria.get(k).and_then(Option::as_ref);
                lines.push(row(&g.name, name, c, base, q, (false, qd41), ""));
            }
        }
    }
    let mut out = String::from("\u{feff}");
    for line in lines {
        let fields: Vec<String> = line.iter().map(|f| field(f)).collect();
        out.push_str(&fields.join(";"));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::archive;

    fn load(name: &str) -> Session {
        let text = std::fs::read_to_string(format!("assets/examples/{name}.ron")).unwrap();
        archive::from_str(&text).unwrap()
    }

    /// The CSV starts with a BOM, uses semicolons and decimal commas, and carries the published
    /// example's figures.
    #[test]
    fn published_example_row() {
        let bytes = results_csv(&load("hdnd-nq96"));
        assert!(bytes.starts_with(&[0xef, 0xbb, 0xbf]));
        let text = String::from_utf8(bytes).unwrap();
        let row = text
            .lines()
            .find(|l| l.contains("Người A"))
            .unwrap()
            .to_owned();
        assert!(row.contains(";19;40,43;2;4,26;25;53,19;1;2,13;"), "{row}");
        assert!(row.contains("Trên 1/2 đến dưới 2/3"));
        assert!(text.ends_with("\r\n"));
        let header = text.lines().next().unwrap().trim_start_matches('\u{feff}');
        assert_eq!(
            header.split(';').count(),
            COLUMNS.len() - 2,
            "NQ 96: no QĐ 41"
        );
    }

    /// Counts the fields of a CSV line, honouring quotes.
    fn fields(line: &str) -> usize {
        let mut quoted = false;
        1 + line
            .chars()
            .filter(|&c| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ';' && !quoted
            })
            .count()
    }

    /// Every row has the same number of fields; fields with separators are quoted.
    #[test]
    fn rows_are_rectangular_and_quoted() {
        let mut s = load("tieu-chi");
        s.groups[0].cadres[0].position = "Giám đốc; \"Sở\"".into();
        let text = String::from_utf8(results_csv(&s)).unwrap();
        assert!(text.contains("\"Giám đốc; \"\"Sở\"\"\""));
        let plain = load("tieu-chi");
        let text = String::from_utf8(results_csv(&plain)).unwrap();
        let n = columns(&tally(&plain)).len();
        assert!(text.lines().all(|l| fields(l) == n), "{text}");
        let cadres = plain.groups[0].cadres.len();
        let questions = 1 + plain.groups[0].criteria.len();
        assert_eq!(text.lines().count(), 1 + cadres * questions);
    }

    /// An exempt cadre has one row with the reason and no figures.
    #[test]
    fn exempt_row() {
        let text = String::from_utf8(results_csv(&load("tinh-uy"))).unwrap();
        let row = text.lines().find(|l| l.contains("nghỉ hưu")).unwrap();
        assert!(row.ends_with(";;;;;;;;;;;;;"), "{row}");
    }

    /// The QĐ 41 columns are there exactly when QĐ 41 applies: a party vote dated before
    /// its repeal has them on every row; the same vote dated after it, or a state profile's,
    /// has none (before, every row said "không" under a repealed regulation).
    #[test]
    fn qd41_columns_only_where_they_apply() {
        let before = load("tinh-uy");
        let text = String::from_utf8(results_csv(&before)).unwrap();
        assert!(text.contains(";QĐ 41: từ chức;QĐ 41: miễn nhiệm\r\n"));
        assert!(text.lines().all(|l| fields(l) == COLUMNS.len()));
        let mut after = before.clone();
        after.meta.date = Some(crate::model::Date::new(2025, 10, 8).unwrap());
        for s in [after, load("hdnd-nq96")] {
            let text = String::from_utf8(results_csv(&s)).unwrap();
            assert!(!text.contains("QĐ 41"), "{text}");
            assert!(
                text.lines().all(|l| fields(l) == COLUMNS.len() - 2),
                "{text}"
            );
        }
    }
}
