//! Time to write the minutes of 1, 20, 200 and 500 cadres in one process, as the app makes
//! them, and the size of the file. Run: `cargo bench --bench minutes`. The whole `minutes`
//! process (starting, reading and checking the archive, logging the export in it) is
//! measured by `benches/minutes.sh` (docs/speed-and-size.md).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use tinnhiem::documents::minutes::{MinutesOptions, minutes_pdf};
use tinnhiem::text::Lang;

#[path = "../tests/it/bench_vote.rs"]
mod bench_vote;
use bench_vote::session;

/// The median of `runs` timings of writing the minutes of `s`, and the file's size.
fn median_of(
    s: &tinnhiem::model::Session,
    options: MinutesOptions,
    runs: usize,
) -> (Duration, usize) {
    let mut times: Vec<Duration> = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let start = Instant::now();
        match minutes_pdf(s, options) {
            Ok(bytes) => size = bytes.len(),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        times.push(start.elapsed());
    }
    times.sort();
    (times[times.len() / 2], size)
}

fn main() {
    let options = MinutesOptions {
        lang: Lang::Vi,
        draft: true,
        audit_annex: false,
    };
    // One cadre is the fixed cost (fonts, the first pages, the file's skeleton); the growth
    // is per cadre (issue 22 §4).
    for cadres in [1, 20, 200, 500] {
        let s = session(cadres);
        // A first run fills the caches the app keeps (the glyph widths), as in the app.
        let _ = median_of(&s, options, 1);
        let (median, size) = median_of(&s, options, 41);
        println!(
            "minutes, {cadres} cadres: median {} µs over 41 runs; {size} bytes",
            median.as_micros()
        );
    }
    let s = session(200);
    let start = Instant::now();
    let fonts = tinnhiem::documents::layout::Fonts::load();
    let parse = start.elapsed();
    if let Ok(fonts) = fonts {
        let fp = tinnhiem::fingerprint::fingerprint(&s);
        let start = Instant::now();
        let pages = tinnhiem::documents::minutes::minutes_pages(&s, &fonts, options, fp);
        let layout = start.elapsed();
        println!(
            "  200 cadres, of which: open fonts {} µs, layout {} µs ({} pages)",
            parse.as_micros(),
            layout.as_micros(),
            pages.len()
        );
    }
}
