//! Helpers shared by the integration tests: a throwaway certificate, PDF text, and the
//! headless app harness.
#![allow(dead_code, reason = "each test file uses a part of these helpers")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs the `tinnhiem` binary with `args`, capturing its output.
pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tinnhiem"))
        .args(args)
        .output()
        .unwrap()
}

/// A throwaway self-signed RSA certificate with a Vietnamese subject, exported by openssl as
/// a PKCS#12 file (as a user's CA token software would); returns its path.
pub fn make_p12(dir: &Path, password: &str) -> PathBuf {
    make_p12_of(dir, password, "Phạm Văn Đức")
}

/// [`make_p12`] for the person `name` (the certificate's CN), in a folder of its own.
pub fn make_p12_of(dir: &Path, password: &str, name: &str) -> PathBuf {
    let dir = if name == "Phạm Văn Đức" {
        dir.to_owned()
    } else {
        let d = dir.join(crate::common::slug(name));
        std::fs::create_dir_all(&d).unwrap();
        d
    };
    let key = dir.join("k.pem");
    let cert = dir.join("c.pem");
    let p12 = dir.join("ky-so.p12");
    let ok = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-utf8", "-days", "3650", "-subj",
        ])
        .arg(format!("/C=VN/O=Chi bộ Khu dân cư số 4/CN={name}"))
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let ok = Command::new("openssl")
        .args(["pkcs12", "-export", "-inkey"])
        .arg(&key)
        .arg("-in")
        .arg(&cert)
        .arg("-out")
        .arg(&p12)
        .arg("-passout")
        .arg(format!("pass:{password}"))
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    p12
}

/// A name as a folder name: its ASCII letters and digits, the rest as '-'.
pub fn slug(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// Runs a tool and returns its stdout; fails the test if it fails (`tests/run.sh` installs
/// every tool the tests use: none is skipped).
pub fn tool(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} not runnable ({e}): run tests/run.sh"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The page count `pdfinfo` reports.
pub fn pdf_pages(pdf: &Path) -> usize {
    tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The text of a PDF as `pdftotext -layout` reads it.
pub fn pdftotext(path: &Path) -> String {
    let o = Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// The desktop app driven headless through its accessible labels.
#[cfg(feature = "gui")]
pub mod gui {
    use std::path::Path;
    use std::time::Duration;

    use eframe::egui::{self, Event, RawInput};
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable as _;
    use tinnhiem::app::{App, Options};

    /// Delivers `events` in ONE frame's input, as the system does when keys come faster than
    /// frames, through the app's raw-input hook exactly as eframe calls it (kittest does not),
    /// then runs the frames the hook asks for.
    pub fn one_frame(h: &mut Harness<'static, App>, events: Vec<Event>) {
        let ctx = h.ctx.clone();
        let mut raw = RawInput {
            events,
            ..RawInput::default()
        };
        for _ in 0..1000 {
            eframe::App::raw_input_hook(h.state_mut(), &ctx, &mut raw);
            h.input_mut().events.append(&mut raw.events);
            h.step();
            if !h.state().input.waiting() {
                break;
            }
        }
        h.run();
    }

    /// Groups the strokes' events into frames: a new frame after stroke `i` where `cuts[i]`
    /// (random splits of one sequence; missing cuts are none).
    pub fn split(strokes: Vec<Vec<Event>>, cuts: &[bool]) -> Vec<Vec<Event>> {
        let mut out = vec![Vec::new()];
        for (i, events) in strokes.into_iter().enumerate() {
            out.last_mut().unwrap().extend(events);
            if cuts.get(i).copied().unwrap_or(false) {
                out.push(Vec::new());
            }
        }
        out.retain(|f| !f.is_empty());
        out
    }

    /// Delivers each of `frames` in a frame of its own ([`one_frame`]).
    pub fn frames(h: &mut Harness<'static, App>, frames: impl IntoIterator<Item = Vec<Event>>) {
        for events in frames {
            one_frame(h, events);
        }
    }

    /// The app in a 1400×900 harness, one frame run; the recovery copy is asked for at once
    /// (tests need not wait for the delay; `App::flush_recovery` waits for the write), no PDF
    /// viewer is ever started, and tinnhiem's own file dialog lists a folder in the frame that
    /// shows it.
    pub fn harness(options: Options) -> Harness<'static, App> {
        tall_harness(options, 900.0)
    }

    /// [`harness`] `height` points tall (the ballot screen lays out only the lines in sight).
    pub fn tall_harness(options: Options, height: f32) -> Harness<'static, App> {
        sized_harness(options, egui::vec2(1400.0, height))
    }

    /// [`harness`] of `size` points (1024×600: a small office laptop).
    pub fn sized_harness(options: Options, size: egui::Vec2) -> Harness<'static, App> {
        let mut h = Harness::builder().with_size(size).build_eframe(move |cc| {
            let mut app = App::new(cc, options.clone());
            app.autosave_delay = Duration::ZERO;
            app.docs.open_viewer = false;
            app.system_dialogs = false;
            // A folder is listed within the frame that shows it, however loaded the
            // machine (the app waits 40 ms, then says it is reading).
            app.listing_wait = Duration::from_secs(10);
            app
        });
        h.run();
        h
    }

    /// Options keeping recent files and recovery copies in `dir/data`.
    pub fn data_options(dir: &Path) -> Options {
        Options {
            file: None,
            data_dir: Some(dir.join("data")),
        }
    }

    /// Clicks the field named `label` and types `text` into it.
    pub fn type_into(h: &mut Harness<'static, App>, label: &str, text: &str) {
        h.get_by_label(label).click();
        h.run();
        h.get_by_label(label).type_text(text);
        h.run();
    }

    /// The twelve cadres of [`twelve_cadres`].
    pub const TWELVE: [&str; 12] = [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Hoàng Cường",
        "Phạm Thị Dung",
        "Hoàng Văn Em",
        "Vũ Thị Giang",
        "Đặng Quốc Hùng",
        "Bùi Thị Lan",
        "Đỗ Minh Khôi",
        "Hồ Thị Mai",
        "Ngô Văn Nam",
        "Dương Thị Oanh",
    ];

    /// A group of 12 cadres (the ballot of issue 21), no counts, `collected` ballots
    /// collected, double entry off.
    pub fn twelve_cadres(collected: u32) -> tinnhiem::model::Session {
        let mut s =
            tinnhiem::archive::from_str(include_str!("../../assets/examples/chi-bo.ron")).unwrap();
        s.double_entry = false;
        let g = &mut s.groups[0];
        let first = g.cadres[0].clone();
        g.cadres = TWELVE
            .iter()
            .map(|n| tinnhiem::model::Cadre {
                name: (*n).to_owned(),
                overall: tinnhiem::model::Counts::default(),
                ..first.clone()
            })
            .collect();
        g.voters.summoned = Some(collected);
        g.voters.present = Some(collected);
        g.voters.issued = Some(collected);
        g.voters.collected = Some(collected);
        g.voters.void_sheets = None;
        s
    }

    /// The accessible name of an entry-grid cell: "Tín nhiệm thấp – Nguyễn Văn An".
    pub fn cell(level: &str, name: &str) -> String {
        format!("{level} – {name}")
    }
}
