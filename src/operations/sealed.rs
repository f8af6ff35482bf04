//! The results as a seal covers them: one canonical text, written here and nowhere else.
//!
//! A seal stores the SHA-256 of this text ([`digest`]); `verify` recomputes it years later
//! and compares. So the text must never change for a given tally, whatever happens to the
//! JSON contract of `tally --json` ([`crate::json`]), which only ever grows. Until 2026-12 the
//! digest was taken over that report's pretty JSON through serde, minus the parts added later,
//! and a failure to serialise hashed the empty string. The form below is the same text, byte
//! for byte (so every seal made since still verifies: tested on the shipped and the older
//! archives, and against serde's output on generated tallies), written by a writer that
//! cannot fail and that no change to the JSON report can reach.
//!
//! The form: a JSON object (two-space indentation, `"key": value`, strings escaped as
//! RFC 8259 requires, non-ASCII written as is) with `json_version` 1, the profile's code and,
//! per ballot group, its name, base, quorum, voters' figures, criteria and per cadre: name,
//! position, exemption, rank, each question's shares (count, numerator, denominator, the
//! percentage with two decimals half-up), band and the QĐ 41 grounds.

use sha2::{Digest, Sha256};

use crate::tally::{CadreTally, GroupTally, QuestionTally, Share, Tally};
use crate::text::Lang;

/// The version the canonical text states as `json_version`: the report's version when seals
/// began. It stays 1 while the form stays the same.
const FORM_VERSION: u32 = 1;

/// The SHA-256 of [`canonical_text`], in lower-case hex: what a seal stores as `results`.
#[must_use]
pub fn digest(t: &Tally) -> String {
    crate::encode::hex(&Sha256::digest(canonical_text(t).as_bytes()))
}

/// The canonical text of the results (the module's comment says what it holds).
#[must_use]
pub fn canonical_text(t: &Tally) -> String {
    let root = Node::Object(vec![
        ("json_version", Node::Number(FORM_VERSION)),
        ("profile", Node::Text(t.profile.code().to_owned())),
        (
            "groups",
            Node::Array(t.groups.iter().map(|g| group(t, g)).collect()),
        ),
    ]);
    let mut out = String::with_capacity(4096);
    root.write(&mut out, 0);
    out
}

fn group(t: &Tally, g: &GroupTally) -> Node {
    Node::Object(vec![
        ("name", Node::Text(g.name.clone())),
        (
            "base",
            Node::Object(vec![
                ("kind", Node::Text(t.base_kind.code().to_owned())),
                ("value", opt_number(g.base)),
            ]),
        ),
        ("quorum_met", Node::Bool(g.quorum_met)),
        (
            "voters",
            Node::Object(vec![
                ("summoned", opt_number(g.voters.summoned)),
                ("present", opt_number(g.voters.present)),
                ("issued", opt_number(g.voters.issued)),
                ("collected", opt_number(g.voters.collected)),
                ("void_sheets", opt_number(g.voters.void_sheets)),
                ("valid_sheets", opt_number(g.valid_sheets)),
            ]),
        ),
        (
            "criteria",
            Node::Array(g.criteria.iter().cloned().map(Node::Text).collect()),
        ),
        (
            "cadres",
            Node::Array(g.cadres.iter().map(|c| cadre(g, c)).collect()),
        ),
    ])
}

fn cadre(g: &GroupTally, c: &CadreTally) -> Node {
    let criteria = g
        .criteria
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let mut fields = vec![("name", Node::Text(name.clone()))];
            fields.extend(question(c.criteria.get(k).and_then(Option::as_ref)));
            Node::Object(fields)
        })
        .collect();
    Node::Object(vec![
        ("name", Node::Text(c.name.clone())),
        ("position", Node::Text(c.position.clone())),
        ("exempt", Node::Bool(c.exemption.is_some())),
        (
            "exemption_reason",
            c.exemption.clone().map_or(Node::Null, Node::Text),
        ),
        ("rank", opt_number(c.rank)),
        ("overall", Node::Object(question(c.overall.as_ref()))),
        ("criteria", Node::Array(criteria)),
        (
            "band",
            Node::Text(c.band.map_or("none", |b| b.code()).to_owned()),
        ),
        ("qd41_resign_ground", Node::Bool(c.qd41.resign_ground)),
        ("qd41_dismiss_ground", Node::Bool(c.qd41.dismiss_ground)),
    ])
}

fn question(q: Option<&QuestionTally>) -> Vec<(&'static str, Node)> {
    vec![
        ("high", q.map_or(Node::Null, |q| share(&q.high))),
        ("medium", q.map_or(Node::Null, |q| share(&q.medium))),
        ("low", q.map_or(Node::Null, |q| share(&q.low))),
        (
            "invalid_lines",
            q.and_then(|q| q.invalid_lines.as_ref())
                .map_or(Node::Null, share),
        ),
    ]
}

fn share(s: &Share) -> Node {
    Node::Object(vec![
        ("count", Node::Number(s.count)),
        ("numerator", Node::Number(s.fraction.numerator)),
        ("denominator", Node::Number(s.fraction.denominator)),
        (
            "percent",
            s.fraction
                .percent_string(Lang::En)
                .map_or(Node::Null, Node::Text),
        ),
    ])
}

fn opt_number(n: Option<u32>) -> Node {
    n.map_or(Node::Null, Node::Number)
}

/// The few JSON values the form uses, with keys in a fixed order.
enum Node {
    Null,
    Bool(bool),
    Number(u32),
    Text(String),
    Array(Vec<Node>),
    Object(Vec<(&'static str, Node)>),
}

impl Node {
    /// Writes the value at `depth` levels of two-space indentation (the layout serde_json's
    /// pretty printer gave the first seals).
    fn write(&self, out: &mut String, depth: usize) {
        match self {
            Node::Null => out.push_str("null"),
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::Number(n) => out.push_str(&n.to_string()),
            Node::Text(s) => quote(out, s),
            Node::Array(items) if items.is_empty() => out.push_str("[]"),
            Node::Object(fields) if fields.is_empty() => out.push_str("{}"),
            Node::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    indent(out, depth + 1);
                    item.write(out, depth + 1);
                }
                out.push('\n');
                indent(out, depth);
                out.push(']');
            }
            Node::Object(fields) => {
                out.push('{');
                for (i, (key, value)) in fields.iter().enumerate() {
                    out.push_str(if i == 0 { "\n" } else { ",\n" });
                    indent(out, depth + 1);
                    quote(out, key);
                    out.push_str(": ");
                    value.write(out, depth + 1);
                }
                out.push('\n');
                indent(out, depth);
                out.push('}');
            }
        }
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// A JSON string: the quote, the backslash and the control characters escaped (the short
/// forms where JSON has them, `\u00XX` in lower-case hex otherwise), everything else as is.
fn quote(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if c < ' ' => {
                out.push_str("\\u00");
                out.push_str(&crate::encode::hex(&[c as u8]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_as_json_does() {
        let all: String = (0u8..0x80)
            .map(char::from)
            .chain("Đức ✓ 𝐀".chars())
            .collect();
        let mut ours = String::new();
        quote(&mut ours, &all);
        assert_eq!(ours, serde_json::to_string(&all).unwrap());
    }

    #[test]
    fn layout_of_nested_values() {
        let node = Node::Object(vec![
            ("a", Node::Array(vec![])),
            ("b", Node::Object(vec![])),
            (
                "c",
                Node::Array(vec![Node::Number(1), Node::Null, Node::Bool(false)]),
            ),
            ("d", Node::Object(vec![("e", Node::Text("x".into()))])),
        ]);
        let mut out = String::new();
        node.write(&mut out, 0);
        let serde = serde_json::to_string_pretty(&serde_json::json!({
            "a": [], "b": {}, "c": [1, null, false], "d": {"e": "x"}
        }))
        .unwrap();
        assert_eq!(out, serde);
    }
}
