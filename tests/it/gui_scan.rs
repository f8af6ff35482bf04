//! The scan screen ("Quét phiếu", issue 23 §3), headless (egui_kittest), through its labels:
//! a folder of scans chosen in tinnhiem's own dialog and read off the frame, the clear sheet
//! counted, the doubtful one shown on its own pixels and decided with keys typed in one
//! frame, the decision logged under the operator and undone; a folder watched; every control
//! reachable at 1024×600 and 1366×768.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui::{self, Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tinnhiem::app::{App, Screen};
use tinnhiem::model::{Level, Session};
use tinnhiem::text::Lang;

use crate::common::gui::{data_options, one_frame, sized_harness};
use crate::scan::{Kind, half_sheet, write_pgm};

const OPERATOR: &str = "Lê Thị Quét";

/// A counted-by-scanner session and two scanned sheets in `dir/scans`: sheet 1 marks every
/// line "tín nhiệm cao" in ink; sheet 2 marks its first line faintly in pencil (unclear) in
/// the "tín nhiệm" box, and the others "tín nhiệm thấp" in ink. A third, in `dir/later`,
/// marks its first line faintly in the "tín nhiệm cao" box and the others "tín nhiệm".
fn pile(dir: &Path) -> (Session, PathBuf) {
    let sheet = half_sheet(dir);
    for folder in ["scans", "later"] {
        std::fs::create_dir(dir.join(folder)).unwrap();
    }
    for n in 0..3 {
        let img = sheet.marked(|i| {
            Some(match (n, i) {
                (0, _) => (0, Kind::Cross),
                (1, 0) => (1, Kind::LightPencil),
                (1, _) => (2, Kind::Cross),
                (_, 0) => (0, Kind::LightPencil),
                _ => (1, Kind::Cross),
            })
        });
        let folder = if n < 2 { "scans" } else { "later" };
        write_pgm(&dir.join(folder).join(format!("scan{}.pgm", n + 1)), &img);
    }
    (sheet.s, dir.join("scans"))
}

fn open(size: egui::Vec2, dir: &Path, s: Session) -> Harness<'static, App> {
    let mut h = sized_harness(data_options(dir), size);
    h.state_mut().operator = OPERATOR.to_owned();
    h.state_mut().open_session(s);
    h.run();
    h.get_by_label("Quét phiếu").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Scan);
    h
}

/// A few frames, without waiting for the window to settle (a watched folder repaints every
/// second, its spinner always).
fn frames(h: &mut Harness<'static, App>) {
    h.run_steps(3);
}

/// Runs frames until `done` holds (a batch read, rows shown), at most a minute.
fn until(h: &mut Harness<'static, App>, what: &str, done: impl Fn(&App) -> bool) {
    let start = Instant::now();
    while !done(h.state()) {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "waited for {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
        frames(h);
    }
    frames(h);
}

/// Runs frames until the waiting sheet's rows are shown as scanned (keys wait for them).
fn rows_shown(h: &mut Harness<'static, App>) {
    let start = Instant::now();
    while h.query_by_label("Ảnh dòng trên bản quét").is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the row is shown"
        );
        std::thread::sleep(Duration::from_millis(20));
        frames(h);
    }
}

/// Chooses `folder` in tinnhiem's own folder dialog, opened by the button `button`.
fn choose_folder(h: &mut Harness<'static, App>, button: &str, folder: &Path) {
    h.get_by_label(button).click();
    h.run();
    assert!(h.state().file_dialog.is_some(), "the folder dialog opens");
    h.get_by_label("Thư mục").click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_label("Thư mục")
        .type_text(&folder.display().to_string());
    h.run();
    h.get_by_label("Chọn thư mục này").click();
    frames(h);
    assert!(h.state().file_dialog.is_none());
}

fn group<'h>(h: &'h Harness<'static, App>) -> &'h tinnhiem::model::BallotGroup {
    &h.state().session().unwrap().groups[0]
}

fn key(key: Key) -> [Event; 2] {
    [true, false].map(|pressed| Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers: Modifiers::NONE,
    })
}

/// The whole review: a folder read, the clear sheet counted, the doubtful one's line shown as
/// scanned and decided by "2 Enter" typed in one frame; logged under the operator; undone and
/// decided again with the buttons.
#[test]
fn a_folder_read_and_a_doubtful_line_decided() {
    let dir = tempfile::tempdir().unwrap();
    let (s, scans) = pile(dir.path());
    let mut h = open(egui::vec2(1024.0, 600.0), dir.path(), s);
    choose_folder(&mut h, "Đọc cả thư mục…", &scans);
    until(&mut h, "the batch", |app| !app.scan.busy());
    let g = group(&h);
    assert_eq!(g.scan.sheets, 1, "{:?}", h.state().scan.error);
    assert_eq!(g.scan.waiting.len(), 1);
    assert_eq!(g.ballot_count, Some(1));
    assert_eq!(g.cadres[0].overall.get(Level::High), Some(1));
    assert_eq!(h.state().scan.figures.pages, 2);
    // The log names both files by their SHA-256, under the operator.
    let log = &h.state().session().unwrap().audit;
    let scanned: Vec<_> = log
        .iter()
        .filter(|e| e.describe(Lang::Vi).contains("SHA-256"))
        .collect();
    assert_eq!(scanned.len(), 2);
    assert!(scanned.iter().all(|e| e.by == OPERATOR));

    // The waiting sheet is shown: its unclear line, as scanned, with its scores and choices.
    let first = g.cadres[0].name.clone();
    h.get_by_label_contains(&format!("Dòng 1. {first}"));
    rows_shown(&mut h);
    h.get_by_label_contains("Độ phủ mực");
    // "2 Enter" in one frame: the line is "tín nhiệm", the sheet counted.
    let mut events = Vec::new();
    events.extend(key(Key::Num2));
    events.extend(key(Key::Enter));
    one_frame(&mut h, events);
    let g = group(&h);
    assert!(g.scan.waiting.is_empty());
    assert_eq!(g.scan.sheets, 2);
    assert_eq!(g.scan.decided_lines, 1);
    assert_eq!(g.ballot_count, Some(2));
    assert_eq!(g.cadres[0].overall.get(Level::High), Some(1));
    assert_eq!(g.cadres[0].overall.get(Level::Medium), Some(1));
    assert_eq!(g.cadres[1].overall.get(Level::Low), Some(1));
    let last = h.state().session().unwrap().audit.last().unwrap().clone();
    assert_eq!(last.by, OPERATOR);
    assert!(
        last.describe(Lang::Vi)
            .contains("phiếu chờ số 1: dòng 1: tín nhiệm"),
        "{}",
        last.describe(Lang::Vi)
    );
    h.get_by_label("Không có phiếu nào chờ Ban kiểm phiếu quyết định.");

    // Undone: the sheet waits again; decided with the buttons as a void sheet instead.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(group(&h).scan.waiting.len(), 1);
    assert_eq!(group(&h).ballot_count, Some(1));
    h.get_by_label("V  Cả phiếu không hợp lệ").click();
    h.run();
    h.get_by_label("Enter  Đếm là phiếu không hợp lệ").click();
    h.run();
    let g = group(&h);
    assert!(g.scan.waiting.is_empty());
    assert_eq!(g.voters.void_sheets, Some(1));
    assert_eq!(g.ballot_count, Some(2));
    assert_eq!(g.cadres[0].overall.get(Level::Medium), Some(0));

    // The same folder again: every file is refused as read before; nothing changes.
    choose_folder(&mut h, "Đọc cả thư mục…", &scans);
    until(&mut h, "the second batch", |app| !app.scan.busy());
    assert_eq!(group(&h).ballot_count, Some(2));
    h.get_by_label_contains("Trang không đọc");
    assert_eq!(
        h.query_all_by_label_contains("đã được đọc").count(),
        2,
        "both files said read before"
    );
}

/// The choices wait for every unclear line: Enter before one is chosen counts nothing; a
/// line's choice is the button's too.
#[test]
fn enter_counts_nothing_until_every_unclear_line_is_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let (s, scans) = pile(dir.path());
    let mut h = open(egui::vec2(1366.0, 768.0), dir.path(), s);
    choose_folder(&mut h, "Đọc cả thư mục…", &scans);
    until(&mut h, "the batch", |app| !app.scan.busy());
    rows_shown(&mut h);
    one_frame(&mut h, key(Key::Enter).to_vec());
    assert_eq!(group(&h).scan.waiting.len(), 1, "nothing chosen yet");
    h.get_by_label_contains("X  đánh dấu nhiều ô").click();
    h.run();
    one_frame(&mut h, key(Key::Enter).to_vec());
    let g = group(&h);
    assert!(g.scan.waiting.is_empty());
    assert_eq!(g.ballot_count, Some(2));
    assert_eq!(g.voters.void_sheets, Some(0));
    // Sheet 1's "cao"; sheet 2's first line is void (several marks): 2 valid sheets, 1 line.
    assert_eq!(g.cadres[0].overall.get(Level::High), Some(1));
    assert_eq!(g.cadres[0].overall.sum(), Some(1));
    assert_eq!(g.cadres[0].overall.invalid_lines(2), Some(1));
    assert_eq!(g.scan.decided_lines, 1);
}

/// A watched folder: files the scanner writes are read once they stop changing; files read
/// before are passed over without a word.
#[test]
fn a_watched_folder_counts_what_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let (s, scans) = pile(dir.path());
    let first = dir.path().join("first");
    std::fs::create_dir(&first).unwrap();
    std::fs::copy(scans.join("scan1.pgm"), first.join("scan1.pgm")).unwrap();
    let watched = dir.path().join("may-quet");
    std::fs::create_dir(&watched).unwrap();
    let mut h = open(egui::vec2(1024.0, 600.0), dir.path(), s);
    choose_folder(&mut h, "Đọc cả thư mục…", &first);
    until(&mut h, "the first file", |app| {
        app.session().unwrap().groups[0].scan.sheets == 1
    });
    choose_folder(&mut h, "Theo dõi thư mục máy quét…", &watched);
    assert_eq!(h.state().scan.watched(), Some(watched.as_path()));
    h.get_by_label_contains("Đang theo dõi thư mục");
    // The scanner writes the first sheet again under another name, then the second.
    std::fs::copy(scans.join("scan1.pgm"), watched.join("lai-1.pgm")).unwrap();
    std::fs::copy(scans.join("scan2.pgm"), watched.join("lai-2.pgm")).unwrap();
    until(&mut h, "the second file", |app| {
        app.session().unwrap().groups[0].scan.waiting.len() == 1
    });
    let f = h.state().scan.figures;
    assert_eq!(
        f.refused, 0,
        "the copy of a file read before is passed over, not refused"
    );
    assert_eq!(
        f.pages, 2,
        "one page read first, one from the watched folder"
    );
    assert_eq!(group(&h).scan.sheets, 1);
    h.get_by_label("Dừng theo dõi").click();
    frames(&mut h);
    assert!(h.state().scan.watched().is_none());
    h.run();
}

/// A decision in progress belongs to the very sheet it was made on: after an undo gives its
/// number to another sheet, that sheet starts with nothing chosen (and Enter counts nothing).
#[test]
fn choices_never_move_to_another_sheet_of_the_same_number() {
    let dir = tempfile::tempdir().unwrap();
    let (s, scans) = pile(dir.path());
    let mut h = open(egui::vec2(1366.0, 768.0), dir.path(), s);
    choose_folder(&mut h, "Đọc cả thư mục…", &scans);
    until(&mut h, "the batch", |app| !app.scan.busy());
    assert_eq!(group(&h).scan.waiting[0].number, 1);
    h.get_by_label_contains("X  đánh dấu nhiều ô").click();
    h.run();
    // The batch undone: sheet number 1 is free again; another file's doubtful sheet takes it.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(group(&h).scan.waiting.is_empty());
    choose_folder(&mut h, "Đọc cả thư mục…", &dir.path().join("later"));
    until(&mut h, "the later batch", |app| !app.scan.busy());
    let g = group(&h);
    assert_eq!(g.scan.waiting.len(), 1);
    assert_eq!(g.scan.waiting[0].number, 1);
    assert!(g.scan.waiting[0].file.ends_with("scan3.pgm"));
    rows_shown(&mut h);
    one_frame(&mut h, key(Key::Enter).to_vec());
    assert_eq!(
        group(&h).scan.waiting.len(),
        1,
        "nothing chosen on this sheet yet"
    );
    one_frame(&mut h, [key(Key::Num1), key(Key::Enter)].concat());
    let g = group(&h);
    assert!(g.scan.waiting.is_empty());
    assert_eq!(g.cadres[0].overall.get(Level::High), Some(1));
}

/// Every control of the screen, with a sheet waiting, lies in the window or in a scroll area
/// that brings it there, at both office sizes.
#[test]
fn the_screen_fits_office_laptops() {
    let dir = tempfile::tempdir().unwrap();
    let (s, scans) = pile(dir.path());
    for size in [egui::vec2(1024.0, 600.0), egui::vec2(1366.0, 768.0)] {
        // A data folder each: the first window's recovery copy would be offered to the next.
        let data = tempfile::tempdir().unwrap();
        let mut h = open(size, data.path(), s.clone());
        choose_folder(&mut h, "Đọc cả thư mục…", &scans);
        until(&mut h, "the batch", |app| !app.scan.busy());
        let window = egui::Rect::from_min_size(egui::Pos2::ZERO, size).expand(1.0);
        // A one-line sheet reads whole without scrolling: its row as scanned, its choices,
        // the button that counts it.
        rows_shown(&mut h);
        for label in [
            "Ảnh dòng trên bản quét",
            "1  tín nhiệm cao",
            "Enter  Đếm phiếu này",
        ] {
            let rect = h.get_by_label(label).rect();
            assert!(
                window.contains_rect(rect),
                "{size:?}: {label} in view, at {rect:?}"
            );
        }
        for label in [
            "Đọc tệp quét…",
            "Đọc cả thư mục…",
            "Theo dõi thư mục máy quét…",
            "Enter  Đếm phiếu này",
            "V  Cả phiếu không hợp lệ",
            "Để riêng, nhập bằng tay",
            "1  tín nhiệm cao",
            "X  đánh dấu nhiều ô (dòng không hợp lệ)",
        ] {
            let node = h.get_by_label(label);
            node.scroll_to_me();
            h.run();
            let rect = h.get_by_label(label).rect();
            assert!(window.contains_rect(rect), "{size:?}: {label} at {rect:?}");
        }
    }
}

/// Enter counts the sheet even when a button has the keyboard's focus, and does not also
/// press that button (egui clicks a focused button on Enter).
#[test]
fn enter_is_the_reviews_even_with_a_button_focused() {
    let dir = tempfile::tempdir().unwrap();
    let (s, scans) = pile(dir.path());
    let mut h = open(egui::vec2(1024.0, 600.0), dir.path(), s);
    choose_folder(&mut h, "Đọc cả thư mục…", &scans);
    until(&mut h, "the batch", |app| !app.scan.busy());
    rows_shown(&mut h);
    h.get_by_label("Đọc tệp quét…").focus();
    h.run();
    let mut events = Vec::new();
    events.extend(key(Key::Num3));
    events.extend(key(Key::Enter));
    one_frame(&mut h, events);
    assert!(
        h.state().file_dialog.is_none(),
        "the focused button was not pressed"
    );
    let g = group(&h);
    assert!(g.scan.waiting.is_empty());
    assert_eq!(g.cadres[0].overall.get(Level::Low), Some(1));
}

/// A batch worked out from a group that has changed since (here a cadre renamed) counts
/// nothing, says so, and the same files read again are counted.
#[test]
fn a_batch_from_a_group_that_moved_on_counts_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (s, scans) = pile(dir.path());
    let mut h = open(egui::vec2(1024.0, 600.0), dir.path(), s);
    let mut before = h.state().session().unwrap().clone();
    before.groups[0].cadres[0].name = "Tên cũ".into();
    let ctx = h.ctx.clone();
    h.state_mut()
        .scan
        .start(&ctx, &before, 0, std::slice::from_ref(&scans), false);
    until(&mut h, "the batch", |app| !app.scan.busy());
    let g = group(&h);
    assert_eq!((g.scan.sheets, g.scan.waiting.len()), (0, 0));
    assert_eq!(g.ballot_count, None);
    assert_eq!(h.state().scan.figures.pages, 0, "no page listed as read");
    h.get_by_label_contains("Số liệu của nhóm đã thay đổi trong khi đọc bản quét");
    choose_folder(&mut h, "Đọc cả thư mục…", &scans);
    until(&mut h, "the batch again", |app| !app.scan.busy());
    let g = group(&h);
    assert_eq!((g.scan.sheets, g.scan.waiting.len()), (1, 1));
}
