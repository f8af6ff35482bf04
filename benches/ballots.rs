//! Blank ballots against hostile sizes (issue 20): the time to lay out and write the ballots of
//! a group whose name is 5,000 to 70,000 characters long and of a cadre named with 10 million,
//! past the E004 limit on purpose (the layout itself must stay n log n, whatever the limit),
//! and the size of the file for 1 to 5,000 copies. Run: `cargo bench --bench ballots`. Memory
//! is measured on the CLI with `/usr/bin/time -v` (docs/speed-and-size.md).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use tinnhiem::documents::ballots::{BallotOptions, ballot_layout};
use tinnhiem::documents::layout::Fonts;
use tinnhiem::documents::render::{PdfMeta, printout_pdf};
use tinnhiem::model::Session;
use tinnhiem::text::Lang;

/// The shipped chi-bo example.
fn example() -> Session {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/examples/chi-bo.ron"
    ))
    .unwrap();
    tinnhiem::archive::from_str(&text).unwrap()
}

/// `n` characters of "Nguyễn Văn …": words of a real name, wrapped as a name would be.
fn words(n: usize) -> String {
    "Nguyễn Văn ".chars().cycle().take(n).collect()
}

/// Lays out and writes the ballots of `s`; the time and the PDF's size.
fn write(s: &Session, fonts: &Fonts, copies: u32) -> (Duration, usize) {
    let options = BallotOptions {
        copies: Some(copies),
        lang: Lang::Vi,
    };
    let start = Instant::now();
    let (printout, _) = ballot_layout(s, fonts, options);
    let pdf = printout_pdf(&printout, fonts, &PdfMeta::default()).unwrap();
    (start.elapsed(), pdf.len())
}

fn main() {
    let fonts = Fonts::load().unwrap();
    let runs = 3;
    for n in [5_000, 20_000, 70_000] {
        let mut s = example();
        s.groups[0].name = words(n);
        let mut times: Vec<Duration> = (0..runs).map(|_| write(&s, &fonts, 1).0).collect();
        times.sort();
        println!(
            "group name of {n} characters: median {} ms over {runs} runs",
            times[runs / 2].as_millis()
        );
    }
    for n in [2_500_000, 10_000_000] {
        for (what, name) in [("words", words(n)), ("one word", "x".repeat(n))] {
            let mut s = example();
            s.groups[0].cadres[2].name = name;
            let (t, size) = write(&s, &fonts, 1);
            println!(
                "cadre name of {n} characters, {what}: {} ms, {size} bytes",
                t.as_millis()
            );
        }
    }
    for copies in [1, 100, 5_000] {
        let (t, size) = write(&example(), &fonts, copies);
        println!("{copies} copies: {} ms, {size} bytes", t.as_millis());
    }
}
