//! CPU time of one frame of the entry grid, the results screen and the ballot-by-ballot
//! screen, with 500 cadres × 3 questions (the overall one and two criteria; 1,500 ballot
//! lines), and of the summary's table of a province's 40,000 cadres, headless (no GPU, no
//! window). Target: well
//! under 4 ms a frame. Run with `cargo bench --bench gui_frame`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use eframe::egui;
use tinnhiem::app::{App, Options, Screen, fonts};
use tinnhiem::model::{BallotGroup, Counts, Session, Voters};

fn session() -> Session {
    let mut g = BallotGroup {
        name: "Ban Chấp hành".into(),
        voters: Voters {
            summoned: Some(500),
            present: Some(498),
            issued: Some(498),
            collected: Some(497),
            void_sheets: Some(2),
        },
        ..BallotGroup::default()
    };
    g.add_criterion("Phẩm chất chính trị, đạo đức, lối sống");
    g.add_criterion("Ý thức tổ chức kỷ luật");
    for i in 0..500u32 {
        let mut c = g.new_cadre(&format!("Nguyễn Văn Cán Bộ {i}"), "Ủy viên Ban Chấp hành");
        let counts = Counts {
            high: Some(200 + i % 90),
            medium: Some(150),
            low: Some(140 - i % 90),
        };
        c.overall = counts;
        c.criteria = vec![counts; 2];
        g.cadres.push(c);
    }
    Session {
        groups: vec![g],
        ..Session::default()
    }
}

fn input(t: f64) -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        time: Some(t),
        ..Default::default()
    }
}

/// Mean and worst CPU time of `frames` frames, after a warm-up.
fn measure(
    ctx: &egui::Context,
    app: &mut App,
    frames: u32,
    clock: &mut u32,
) -> (Duration, Duration) {
    for _ in 0..10 {
        *clock += 1;
        let mut out = ctx.run_ui(input(f64::from(*clock)), |ui| app.frame(ui));
        out.textures_delta.clear();
    }
    let mut worst = Duration::ZERO;
    let start = Instant::now();
    for _ in 0..frames {
        *clock += 1;
        let t = Instant::now();
        // Scroll a little each frame so rows are laid out afresh, as when a person scrolls.
        let mut raw = input(f64::from(*clock));
        raw.events
            .push(egui::Event::PointerMoved(egui::pos2(500.0, 500.0)));
        raw.events.push(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, -3.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        let mut out = ctx.run_ui(raw, |ui| app.frame(ui));
        out.textures_delta.clear();
        let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
        worst = worst.max(t.elapsed());
    }
    (start.elapsed() / frames, worst)
}

/// Milliseconds with three decimals, without float arithmetic.
fn ms(d: Duration) -> String {
    let us = d.as_micros();
    format!("{}.{:03}", us / 1000, us % 1000)
}

fn main() {
    let ctx = egui::Context::default();
    fonts::install(&ctx);
    let mut app = App::with_options(Options::default());
    let mut clock = 0;
    app.open_session(session());
    for (screen, name) in [
        (Screen::Entry, "entry grid"),
        (Screen::Results, "results table"),
        (Screen::Ballot, "ballot lines"),
    ] {
        if screen == Screen::Ballot {
            // A count under way: the same ballot, nothing counted yet.
            let mut blank = session();
            for c in &mut blank.groups[0].cadres {
                c.set_questions(&[]);
            }
            blank.groups[0].voters.void_sheets = None;
            app.open_session(blank);
        }
        app.screen = screen;
        let (mean, worst) = measure(&ctx, &mut app, 200, &mut clock);
        println!(
            "{name:14} 500 cadres × 3 questions: mean {} ms/frame, worst {} ms (layout + tessellation, CPU)",
            ms(mean),
            ms(worst)
        );
    }
    // The summary of a province (issue 25 §4): 1,000 units × 40 cadres in the cadres' table,
    // scrolled; only the rows in sight are laid out.
    app.summary.summary = Some(province());
    app.summary.tab = tinnhiem::app::summary::Tab::Cadres;
    app.screen = Screen::Summary;
    let (mean, worst) = measure(&ctx, &mut app, 200, &mut clock);
    println!(
        "summary table  1,000 units × 40 cadres: mean {} ms/frame, worst {} ms (layout + tessellation, CPU)",
        ms(mean),
        ms(worst)
    );
}

/// A province's summary made in memory: 1,000 units of 40 cadres.
fn province() -> tinnhiem::summary::Summary {
    use tinnhiem::summary::{CadreRow, FileReport, Status, Summary, UnitRow};
    let mut s = Summary {
        files: Vec::new(),
        units: Vec::new(),
        cadres: Vec::new(),
        drafts_included: false,
    };
    for u in 0..1000usize {
        let unit = format!("ĐẢNG ỦY XÃ SỐ {u}");
        s.files.push(FileReport {
            path: format!("tinh/huyen-{}/xa-{u}.ron", u % 20).into(),
            status: Status::Final,
            fingerprint: None,
            sha256: None,
        });
        s.units.push(UnitRow {
            file: u,
            unit: unit.clone(),
            superior: "ĐẢNG BỘ HUYỆN".into(),
            conference: "Hội nghị".into(),
            date: Some("2026-11-20".into()),
            profile: tinnhiem::rules::ProfileId::Qd96,
            groups: vec!["Ban Chấp hành".into()],
            rated: 40,
            bands: [0, 0],
            high_majority: 40,
        });
        for k in 0..40u32 {
            s.cadres.push(CadreRow {
                file: u,
                unit: unit.clone(),
                group: "Ban Chấp hành".into(),
                name: format!("Cán bộ {k} đơn vị {u}"),
                position: "Ủy viên Ban Chấp hành".into(),
                code: format!("CB{u:04}{k:02}"),
                born: None,
                profile: tinnhiem::rules::ProfileId::Qd96,
                state_body: tinnhiem::rules::StateBody::Hdnd,
                base: Some(49),
                counts: [30, 15, 4],
                shares: ["61,22".into(), "30,61".into(), "8,16".into()],
                band: None,
                high_majority: true,
                draft: false,
            });
        }
    }
    s
}
