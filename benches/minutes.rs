//! Time to write the minutes of 200 cadres in one process, and the size of the file. Run:
//! `cargo bench --bench minutes`. The faces printpdf embeds are parsed on the first run and
//! kept (as in the app); the whole `minutes` process, with that parse, is measured by
//! `benches/minutes.sh` (docs/speed-and-size.md).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use tinnhiem::documents::minutes::{MinutesOptions, minutes_pdf};
use tinnhiem::text::Lang;

#[path = "../tests/it/bench_vote.rs"]
mod bench_vote;
use bench_vote::session;

fn main() {
    let s = session(200);
    let options = MinutesOptions {
        lang: Lang::Vi,
        draft: true,
        audit_annex: false,
    };
    let mut times: Vec<Duration> = Vec::new();
    let mut size = 0;
    for _ in 0..20 {
        let start = Instant::now();
        match minutes_pdf(&s, options) {
            Ok(bytes) => size = bytes.len(),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        times.push(start.elapsed());
    }
    times.sort();
    let start = Instant::now();
    let fonts = tinnhiem::documents::layout::Fonts::load();
    let parse = start.elapsed();
    if let Ok(fonts) = fonts {
        let fp = tinnhiem::fingerprint::fingerprint(&s);
        let start = Instant::now();
        let pages = tinnhiem::documents::minutes::minutes_pages(&s, &fonts, options, fp);
        let layout = start.elapsed();
        println!(
            "  of which: open fonts {} µs, layout {} µs ({} pages)",
            parse.as_micros(),
            layout.as_micros(),
            pages.len()
        );
    }
    println!(
        "minutes, 200 cadres: median {} µs, min {} µs, max {} µs over {} runs; {size} bytes",
        times[times.len() / 2].as_micros(),
        times[0].as_micros(),
        times[times.len() - 1].as_micros(),
        times.len()
    );
}
