//! The app's start-up without a window: from nothing to the first frame laid out and
//! tessellated, on the 15-cadre example session (`assets/examples/tinh-uy.ron`, a provincial
//! standing committee), in its parts, so that what dominates shows. The real window (GL context, first paint) is timed by
//! `benches/startup-window.sh` under Xvfb. Run with `cargo bench --bench startup`; prints the
//! median and the worst of 30 fresh starts, in milliseconds (wall time of one thread).
//! Target: first frame ≤ 500 ms.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use eframe::egui;
use tinnhiem::app::{App, Options, fonts};

const RUNS: usize = 30;

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1200.0, 800.0),
        )),
        time: Some(0.0),
        ..Default::default()
    }
}

/// The parts of one start, in order.
#[derive(Default, Clone, Copy)]
struct Start {
    /// `Context` and the bundled fonts queued ([`fonts::install`]).
    fonts: Duration,
    /// `App::with_options`: recent files, recovery slot, the archive read and checked.
    open: Duration,
    /// The first frame's UI (fonts parsed, validation, tally, layout).
    frame: Duration,
    /// Its tessellation (the glyphs rasterised into the font atlas).
    tessellate: Duration,
    /// The second frame, UI and tessellation (egui settles sizes in two).
    second: Duration,
}

impl Start {
    fn first_frame(&self) -> Duration {
        self.fonts + self.open + self.frame + self.tessellate
    }
}

fn start(file: &Path, data_dir: &Path) -> Start {
    let mut s = Start::default();
    let t = Instant::now();
    let ctx = egui::Context::default();
    fonts::install(&ctx);
    s.fonts = t.elapsed();

    let t = Instant::now();
    let mut app = App::with_options(Options {
        file: Some(file.to_owned()),
        data_dir: Some(data_dir.to_owned()),
    });
    s.open = t.elapsed();
    assert!(app.errors.is_empty(), "{:?}", app.errors);

    let t = Instant::now();
    let mut out = ctx.run_ui(input(), |ui| app.frame(ui));
    s.frame = t.elapsed();
    let t = Instant::now();
    let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
    s.tessellate = t.elapsed();
    // The font atlas the frame made is not uploaded anywhere here: dropped on purpose (egui
    // asserts, in debug builds, that no texture update is dropped by mistake).
    out.textures_delta.clear();

    let t = Instant::now();
    let mut out = ctx.run_ui(input(), |ui| app.frame(ui));
    let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
    s.second = t.elapsed();
    out.textures_delta.clear();
    s
}

/// Milliseconds with two decimals, without float arithmetic.
fn ms(d: Duration) -> String {
    let us = d.as_micros();
    format!("{}.{:02}", us / 1000, us % 1000 / 10)
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("Phiên họp tỉnh ủy.ron");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/tinh-uy.ron");
    std::fs::copy(example, &file).unwrap();
    let data_dir = dir.path().join("data");
    let starts: Vec<Start> = (0..RUNS).map(|_| start(&file, &data_dir)).collect();
    let report = |name: &str, part: fn(&Start) -> Duration| {
        let mut v: Vec<Duration> = starts.iter().map(part).collect();
        v.sort();
        println!(
            "{name:34} median {:>7} ms, worst {:>7} ms",
            ms(v[v.len() / 2]),
            ms(v[v.len() - 1])
        );
    };
    println!("start-up without a window, tinh-uy.ron (15 cadres), {RUNS} fresh starts:");
    report("context + fonts::install", |s| s.fonts);
    report("App::with_options (open, check)", |s| s.open);
    report("first frame: UI", |s| s.frame);
    report("first frame: tessellation", |s| s.tessellate);
    report("first frame, all of the above", Start::first_frame);
    report("second frame", |s| s.second);
}
