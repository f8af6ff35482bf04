//! `tinnhiem --self-test DIR`: opens the window as usual and, after a few frames, writes what
//! it drew — every text painted (`texts.txt`, one per line) and the frame's pixels as the
//! graphics driver rendered them (`screen.png`) — then closes itself. It shows, on a computer
//! nobody watches (Windows under Wine in CI, a user's PC over the telephone), that the window
//! opens, the renderer draws, and the Vietnamese text is there. It also writes how long the
//! first frames took from the app's start (`timing.txt`), which `benches/startup-window.sh`
//! reads: the start-up as a person sees it, GL context and all.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use eframe::egui::{self, ColorImage, Shape, ViewportCommand};
use eframe::icon_data::IconDataExt as _;

/// Frames drawn before the record is taken (the fonts and the layout settle in two).
const FRAMES_BEFORE: u32 = 5;
/// Frames after which the window closes even if no screenshot ever came back.
const FRAMES_AT_MOST: u32 = 600;

/// The self-test's progress.
#[derive(Debug)]
pub struct SelfTest {
    dir: PathBuf,
    frames: u32,
    /// When the app started (before the window was made).
    started: Instant,
    /// Since `started`: the end of the first frame's UI, and of the second's (the first frame
    /// is painted between them).
    frame_ends: Vec<Duration>,
}

impl SelfTest {
    /// A self-test writing into `dir` (created if needed), of an app started at `started`.
    #[must_use]
    pub fn new(dir: PathBuf, started: Instant) -> Self {
        Self {
            dir,
            frames: 0,
            started,
            frame_ends: Vec::new(),
        }
    }

    /// Called at the end of every frame, after everything is drawn.
    pub fn end_frame(&mut self, ctx: &egui::Context) {
        self.frames += 1;
        if self.frames <= 2 {
            self.frame_ends.push(self.started.elapsed());
        }
        ctx.request_repaint();
        if self.frames == FRAMES_BEFORE {
            let texts = painted_texts(ctx).join("\n");
            let timing: String = ["first-frame-us", "second-frame-us"]
                .iter()
                .zip(&self.frame_ends)
                .map(|(name, t)| format!("{name} {}\n", t.as_micros()))
                .collect();
            let dir = self.dir.clone();
            let written = std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(dir.join("texts.txt"), texts + "\n"))
                .and_then(|()| std::fs::write(dir.join("timing.txt"), timing));
            if let Err(e) = written {
                eprintln!("self-test: {}: {e}", dir.display());
            }
            let ctx2 = ctx.clone();
            ctx.request_screenshot(move |image| {
                if let Err(e) = write_png(&image, &dir.join("screen.png")) {
                    eprintln!("self-test: screen.png: {e}");
                }
                ctx2.send_viewport_cmd(ViewportCommand::Close);
                ctx2.request_repaint();
            });
        } else if self.frames >= FRAMES_AT_MOST {
            eprintln!("self-test: no screenshot after {FRAMES_AT_MOST} frames");
            ctx.send_viewport_cmd(ViewportCommand::Close);
        }
    }
}

/// Every text shape painted this frame, in paint order.
fn painted_texts(ctx: &egui::Context) -> Vec<String> {
    fn walk(shape: &Shape, out: &mut Vec<String>) {
        match shape {
            Shape::Text(t) => out.push(t.galley.text().to_owned()),
            Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, out)),
            _ => {}
        }
    }
    let layers: Vec<egui::LayerId> = ctx.memory(|m| m.layer_ids().collect());
    let mut out = Vec::new();
    ctx.graphics(|g| {
        for id in layers {
            for clipped in g.get(id).into_iter().flat_map(|list| list.all_entries()) {
                walk(&clipped.shape, &mut out);
            }
        }
    });
    out
}

fn write_png(image: &Arc<ColorImage>, path: &std::path::Path) -> Result<(), String> {
    let [width, height] = image.size;
    let rgba = image
        .pixels
        .iter()
        .flat_map(|p| p.to_srgba_unmultiplied())
        .collect();
    let icon = egui::IconData {
        rgba,
        width: u32::try_from(width).map_err(|e| e.to_string())?,
        height: u32::try_from(height).map_err(|e| e.to_string())?,
    };
    let png = icon.to_png_bytes()?;
    std::fs::write(path, png).map_err(|e| e.to_string())
}
