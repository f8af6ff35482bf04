//! How long validation, the tally, the JSON report and an archive round trip take for a large
//! vote (a party congress: 500 voters, 500 cadres, 3 criterion questions). Run with
//! `cargo bench --bench core`; prints the median of repeated runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use tinnhiem::archive;
use tinnhiem::model::{BallotGroup, Counts, Session, Voters};
use tinnhiem::tally::tally;
use tinnhiem::validate::validate;

fn big_session(cadres: u32, criteria: usize) -> Session {
    let mut g = BallotGroup {
        name: "Ban Chấp hành".into(),
        voters: Voters {
            summoned: Some(520),
            present: Some(500),
            issued: Some(500),
            collected: Some(500),
            void_sheets: Some(3),
        },
        ..BallotGroup::default()
    };
    for k in 0..criteria {
        g.add_criterion(&format!("Tiêu chí {}", k + 1));
    }
    for i in 0..cadres {
        let mut c = g.new_cadre(&format!("Nguyễn Văn Thứ {i}"), "Ủy viên Ban Chấp hành");
        let low = i % 300;
        let high = (497 - low) / 2;
        let counts = Counts {
            high: Some(high),
            medium: Some(497 - low - high - 1),
            low: Some(low),
        };
        c.overall = counts;
        c.criteria = vec![counts; criteria];
        g.cadres.push(c);
    }
    Session {
        groups: vec![g],
        ..Session::default()
    }
}

fn median(mut f: impl FnMut(), runs: usize) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let s = big_session(500, 3);
    let text = archive::to_string(&s).unwrap();
    println!(
        "500 cadres × (overall + 3 criteria), archive {} KiB",
        text.len() / 1024
    );
    let report = [
        (
            "validate",
            median(
                || {
                    black_box(validate(black_box(&s)));
                },
                51,
            ),
        ),
        (
            "tally",
            median(
                || {
                    black_box(tally(black_box(&s)));
                },
                51,
            ),
        ),
        (
            "tally → JSON",
            median(
                || {
                    black_box(tinnhiem::json::to_string(&tally(&s)).unwrap());
                },
                21,
            ),
        ),
        (
            "archive::to_string",
            median(
                || {
                    black_box(archive::to_string(black_box(&s)).unwrap());
                },
                21,
            ),
        ),
        (
            "archive::from_str",
            median(
                || {
                    black_box(archive::from_str(black_box(&text)).unwrap());
                },
                21,
            ),
        ),
        (
            "fingerprint",
            median(
                || {
                    black_box(tinnhiem::fingerprint::fingerprint(black_box(&s)));
                },
                51,
            ),
        ),
    ];
    let report = report.into_iter().chain(log_rows(&s)).collect::<Vec<_>>();
    for (name, t) in report {
        let us = t.as_micros();
        println!("{name:<20} {:>5}.{:03} ms", us / 1000, us % 1000);
    }
}

/// The app validates after every edit, and every edit adds an entry to the log: a session
/// typed in by hand has thousands. Validation with a 6,000-entry log from scratch, and the
/// app's way after one more edit (the entries checked before are compared, only the new one
/// is hashed).
fn log_rows(s: &Session) -> [(&'static str, Duration); 2] {
    let mut logged = s.clone();
    for k in 0..6_000 {
        logged.log(
            "Thư ký",
            tinnhiem::model::Timestamp(1_760_000_000 + k),
            tinnhiem::model::Action::Edit {
                path: format!("groups[0].cadres[{}].overall.high", k % 500),
                old: String::new(),
                new: format!("{}", k % 300),
                label: None,
            },
        );
    }
    let mut chain = tinnhiem::model::LogChain::default();
    let _ = tinnhiem::validate::validate_with(&logged, &mut chain);
    let mut k = 0;
    let grown = median(
        || {
            k += 1;
            logged.log(
                "Thư ký",
                tinnhiem::model::Timestamp(1_770_000_000 + k),
                tinnhiem::model::Action::Edit {
                    path: "groups[0].cadres[0].overall.low".into(),
                    old: String::new(),
                    new: format!("{k}"),
                    label: None,
                },
            );
            black_box(tinnhiem::validate::validate_with(
                black_box(&logged),
                &mut chain,
            ));
        },
        51,
    );
    let fresh = median(
        || {
            black_box(validate(black_box(&logged)));
        },
        21,
    );
    [
        ("validate, 6,000-entry log", fresh),
        ("  …after an edit (app)", grown),
    ]
}
