//! Time to write the minutes of 200 cadres in one process, and the size of the file. Run:
//! `cargo bench --bench minutes`. The faces printpdf embeds are parsed on the first run and
//! kept (as in the app); the whole `minutes` process, with that parse, is measured by
//! `benches/minutes.sh` (README, "Speed").

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use tinnhiem::documents::minutes::{MinutesOptions, minutes_pdf};
use tinnhiem::model::Session;
use tinnhiem::text::Lang;

/// The vote of `benches/session.sh`: `n` cadres, 500 voters, a draft (the same generator as
/// the whole-process benchmark, the speed check and the tests).
fn session(n: u32) -> Session {
    let dir = std::env::temp_dir().join(format!("tinnhiem-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("s.ron");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/session.sh");
    let done = std::process::Command::new("bash")
        .arg(script)
        .arg(n.to_string())
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    tinnhiem::archive::from_str(&text).unwrap()
}

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
