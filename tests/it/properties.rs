//! Property tests over random sessions: validation and tally never panic, the reconciliation
//! findings agree with a direct recomputation, and every session survives the archive.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use tinnhiem::archive;
use tinnhiem::model::{BallotGroup, Cadre, Counts, Criterion, Session, Voters};
use tinnhiem::rules::{BaseKind, ProfileId};
use tinnhiem::tally::tally;
use tinnhiem::validate::{Code, validate};
use tinnhiem::{json, sealed};

/// The text a seal's results digest was taken over until 2026-12: the JSON report's fields as
/// they were when seals began, pretty-printed by serde. Frozen here, field for field, so that
/// the JSON contract may grow (it adds fields) without moving this oracle.
mod frozen {
    use serde::Serialize;
    use tinnhiem::json;

    #[derive(Serialize)]
    pub struct Report<'a> {
        json_version: u32,
        profile: &'a str,
        groups: Vec<Group<'a>>,
    }

    #[derive(Serialize)]
    struct Group<'a> {
        name: &'a str,
        base: Base<'a>,
        quorum_met: bool,
        voters: Voters,
        criteria: &'a [String],
        cadres: Vec<Cadre<'a>>,
    }

    #[derive(Serialize)]
    struct Base<'a> {
        kind: &'a str,
        value: Option<u32>,
    }

    #[derive(Serialize)]
    struct Voters {
        summoned: Option<u32>,
        present: Option<u32>,
        issued: Option<u32>,
        collected: Option<u32>,
        void_sheets: Option<u32>,
        valid_sheets: Option<u32>,
    }

    #[derive(Serialize)]
    struct Cadre<'a> {
        name: &'a str,
        position: &'a str,
        exempt: bool,
        exemption_reason: Option<&'a str>,
        rank: Option<u32>,
        overall: Question<'a>,
        criteria: Vec<NamedQuestion<'a>>,
        band: &'a str,
        qd41_resign_ground: bool,
        qd41_dismiss_ground: bool,
    }

    #[derive(Serialize)]
    struct Question<'a> {
        high: Option<Share<'a>>,
        medium: Option<Share<'a>>,
        low: Option<Share<'a>>,
        invalid_lines: Option<Share<'a>>,
    }

    #[derive(Serialize)]
    struct NamedQuestion<'a> {
        name: &'a str,
        #[serde(flatten)]
        question: Question<'a>,
    }

    #[derive(Serialize)]
    struct Share<'a> {
        count: u32,
        numerator: u32,
        denominator: u32,
        percent: Option<&'a str>,
    }

    fn share(s: Option<&json::ShareJson>) -> Option<Share<'_>> {
        s.map(|s| Share {
            count: s.count,
            numerator: s.numerator,
            denominator: s.denominator,
            percent: s.percent.as_deref(),
        })
    }

    fn question(q: &json::Question) -> Question<'_> {
        Question {
            high: share(q.high.as_ref()),
            medium: share(q.medium.as_ref()),
            low: share(q.low.as_ref()),
            invalid_lines: share(q.invalid_lines.as_ref()),
        }
    }

    /// The frozen fields of the report `r`.
    pub fn of(r: &json::Report) -> Report<'_> {
        Report {
            json_version: r.json_version,
            profile: r.profile,
            groups: r
                .groups
                .iter()
                .map(|g| Group {
                    name: &g.name,
                    base: Base {
                        kind: g.base.kind,
                        value: g.base.value,
                    },
                    quorum_met: g.quorum_met,
                    voters: Voters {
                        summoned: g.voters.summoned,
                        present: g.voters.present,
                        issued: g.voters.issued,
                        collected: g.voters.collected,
                        void_sheets: g.voters.void_sheets,
                        valid_sheets: g.voters.valid_sheets,
                    },
                    criteria: &g.criteria,
                    cadres: g
                        .cadres
                        .iter()
                        .map(|c| Cadre {
                            name: &c.name,
                            position: &c.position,
                            exempt: c.exempt,
                            exemption_reason: c.exemption_reason.as_deref(),
                            rank: c.rank,
                            overall: question(&c.overall),
                            criteria: c
                                .criteria
                                .iter()
                                .map(|n| NamedQuestion {
                                    name: &n.name,
                                    question: question(&n.question),
                                })
                                .collect(),
                            band: c.band,
                            qd41_resign_ground: c.qd41_resign_ground,
                            qd41_dismiss_ground: c.qd41_dismiss_ground,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

fn serde_form(t: &tinnhiem::tally::Tally) -> String {
    serde_json::to_string_pretty(&frozen::of(&json::report(t))).unwrap()
}

/// Every sealed archive the project ships or keeps from older builds: its stored results
/// digest is the canonical form's, and that form is the old serde text.
#[test]
fn sealed_archives_keep_their_results_digest() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sealed_seen = 0;
    for dir in ["assets/examples", "tests/fixtures/old-seals"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "ron") {
                continue;
            }
            let s = archive::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let t = tally(&s);
            assert_eq!(
                sealed::canonical_text(&t),
                serde_form(&t),
                "{}",
                path.display()
            );
            if let tinnhiem::model::Status::Final(seal) = &s.status {
                assert_eq!(seal.results, sealed::digest(&t), "{}", path.display());
                sealed_seen += 1;
            }
        }
    }
    assert!(sealed_seen >= 5, "only {sealed_seen} sealed archives found");
}

fn small() -> impl Strategy<Value = Option<u32>> {
    prop_oneof![
        1 => Just(None),
        8 => (0u32..60).prop_map(Some),
        1 => any::<u32>().prop_map(Some),
    ]
}

fn counts() -> impl Strategy<Value = Counts> {
    (small(), small(), small()).prop_map(|(high, medium, low)| Counts { high, medium, low })
}

fn voters() -> impl Strategy<Value = Voters> {
    (small(), small(), small(), small(), small()).prop_map(
        |(summoned, present, issued, collected, void_sheets)| Voters {
            summoned,
            present,
            issued,
            collected,
            void_sheets,
        },
    )
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("Nguyễn Văn An".to_owned()),
        Just("Nguyễn Văn An".to_owned()),
        "[A-Za-zÀ-ỹ ]{0,12}",
    ]
}

fn group() -> impl Strategy<Value = BallotGroup> {
    (
        name(),
        voters(),
        prop::collection::vec(name(), 0..3),
        prop::collection::vec(
            (
                name(),
                name(),
                prop::option::of(name()),
                counts(),
                prop::collection::vec(counts(), 0..3),
            ),
            0..6,
        ),
    )
        .prop_map(|(name, voters, criteria, cadres)| BallotGroup {
            // Both ways across the archive round trip: set by the group's name's parity.
            scan_form: name.len() % 2 == 0,
            name,
            voters,
            criteria: criteria
                .into_iter()
                .map(|name| Criterion { name })
                .collect(),
            cadres: cadres
                .into_iter()
                .enumerate()
                .map(
                    |(i, (name, position, exemption, overall, criteria))| Cadre {
                        name,
                        position,
                        exemption,
                        overall,
                        criteria,
                        // Every third cadre with a code and a date of birth: both round-trip.
                        code: if i % 3 == 0 {
                            format!("CB-{i:05}")
                        } else {
                            String::new()
                        },
                        born: (i % 3 == 0)
                            .then(|| {
                                tinnhiem::model::Date::new(
                                    1970,
                                    1 + u8::try_from(i % 12).unwrap(),
                                    15,
                                )
                            })
                            .flatten(),
                    },
                )
                .collect(),
            entry: Default::default(),
            teams: Vec::new(),
            ballot_count: None,
            scan: Default::default(),
        })
}

fn session() -> impl Strategy<Value = Session> {
    (
        prop::sample::select(ProfileId::ALL.to_vec()),
        prop::option::of(prop::sample::select(vec![
            BaseKind::Collected,
            BaseKind::Issued,
            BaseKind::Summoned,
        ])),
        prop::collection::vec(group(), 0..3),
    )
        .prop_map(|(profile, base, groups)| Session {
            profile,
            base,
            groups,
            ..Session::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Validation and tally never panic, and each reconciliation error appears exactly where a
    /// direct recomputation of the chain says it must.
    #[test]
    fn findings_agree_with_recomputation(s in session()) {
        let findings = validate(&s);
        let t = tally(&s);
        prop_assert_eq!(t.groups.len(), s.groups.len());
        let has = |code: Code, path: &str| findings.0.iter().any(|f| f.code == code && f.path.to_string() == path);
        for (g, group) in s.groups.iter().enumerate() {
            let v = group.voters;
            let gt = |a: Option<u32>, b: Option<u32>| matches!((a, b), (Some(a), Some(b)) if a > b);
            let at = format!("groups[{g}].voters");
            prop_assert_eq!(has(Code::PresentExceedsSummoned, &format!("{at}.present")), gt(v.present, v.summoned));
            prop_assert_eq!(has(Code::IssuedExceedsPresent, &format!("{at}.issued")), gt(v.issued, v.present));
            prop_assert_eq!(has(Code::CollectedExceedsIssued, &format!("{at}.collected")), gt(v.collected, v.issued));
            prop_assert_eq!(has(Code::VoidExceedsCollected, &format!("{at}.void_sheets")), gt(v.void_sheets, v.collected));
            let valid = match (v.collected, v.void_sheets) {
                (Some(c), Some(d)) if d <= c => Some(c - d),
                _ => None,
            };
            for (i, c) in group.cadres.iter().enumerate() {
                let path = format!("groups[{g}].cadres[{i}].overall");
                let over = match (c.overall.high, c.overall.medium, c.overall.low, valid) {
                    (Some(h), Some(m), Some(l), Some(v)) => u64::from(h) + u64::from(m) + u64::from(l) > u64::from(v),
                    _ => false,
                };
                prop_assert_eq!(has(Code::CountsExceedValidSheets, &path), over && c.exemption.is_none());
                // The tally's invalid lines are exactly valid − sum when defined.
                let ct = &t.groups[g].cadres[i];
                if let (Some(q), Some(v)) = (ct.overall, valid) {
                    if let Some(inv) = q.invalid_lines {
                        prop_assert_eq!(
                            u64::from(inv.count) + u64::from(q.high.count) + u64::from(q.medium.count) + u64::from(q.low.count),
                            u64::from(v)
                        );
                    } else {
                        prop_assert!(over);
                    }
                }
                // Exempt cadres are never tallied.
                if c.exemption.is_some() {
                    prop_assert!(ct.overall.is_none() && ct.band.is_none());
                }
            }
        }
    }

    /// Every session survives save → load unchanged (after NFC), and saving is deterministic.
    #[test]
    fn archive_round_trip(mut s in session()) {
        s.normalize();
        let text = archive::to_string(&s).unwrap();
        let back = archive::from_str(&text).unwrap();
        prop_assert_eq!(&back, &s);
        prop_assert_eq!(archive::to_string(&back).unwrap(), text);
    }

    /// The canonical form of sealed results ([`tinnhiem::sealed`]) is, byte for byte, the
    /// text seals were taken over before it (the JSON report's first fields through serde),
    /// names with quotes, backslashes and control characters included: no seal ever made
    /// stops verifying.
    #[test]
    fn sealed_form_is_the_old_one(
        mut s in session(),
        weird in "[\\x00-\\x1f\"\\\\a-zđ ✓]{0,8}",
    ) {
        if let Some(g) = s.groups.first_mut() {
            g.name.clone_from(&weird);
            if let Some(c) = g.cadres.first_mut() {
                c.name = format!("{weird}\u{7f}");
            }
            if let Some(k) = g.criteria.first_mut() {
                k.name.clone_from(&weird);
            }
        }
        let t = tally(&s);
        prop_assert_eq!(sealed::canonical_text(&t), serde_form(&t));
    }

    /// Any text at all: the parser returns, never panics.
    #[test]
    fn parser_never_panics(text in "\\PC{0,200}") {
        let _ = archive::from_str(&text);
    }
}
