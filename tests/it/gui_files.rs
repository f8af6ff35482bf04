//! tinnhiem's own file dialog (Enter, double click, a listing that does not move the controls,
//! the last folder of each kind of file remembered) and the recovery copy (issue 21 §2, §4).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use eframe::egui::accesskit::Role;
use eframe::egui::{Event, Key, Modifiers, PointerButton, Rect, ViewportEvent, ViewportId};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tinnhiem::app::docs::Export;
use tinnhiem::app::files::{Mode, PathTask};
use tinnhiem::app::{App, Options};

use crate::common::gui::{data_options, harness};

/// The app on the example "chi-bo.ron" (unsaved), its data in `dir/data`.
fn on_example(dir: &Path) -> Harness<'static, App> {
    let mut h = harness(data_options(dir));
    h.get_by_label("chi-bo.ron").click();
    h.run();
    h
}

/// The folder tinnhiem's own dialog shows.
fn dialog_folder(h: &Harness<'static, App>) -> String {
    h.state().file_dialog.as_ref().unwrap().folder.clone()
}

/// Opens tinnhiem's own dialog for `task` and goes to `folder` (typed into its folder field).
fn dialog_in(h: &mut Harness<'static, App>, task: PathTask, mode: Mode, folder: &Path) {
    h.state_mut().choose(task, mode, "");
    h.run();
    assert!(h.state().file_dialog.is_some());
    h.state_mut().file_dialog.as_mut().unwrap().folder = folder.display().to_string();
    h.run();
}

/// Two clicks on the node labelled `label` in one frame, as a person's double click arrives
/// (kittest's own clicks are frames apart, a quarter of a second each).
fn double_click(h: &mut Harness<'static, App>, label: &str) {
    let pos = h.get_by_label(label).rect().center();
    let button = |pressed| Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    };
    h.input_mut().events.extend([
        Event::PointerMoved(pos),
        button(true),
        button(false),
        button(true),
        button(false),
    ]);
    h.run();
}

/// Enter confirms the dialog: the name typed and Enter saves; a file clicked and Enter opens.
/// A double click on a file opens it at once.
#[test]
fn enter_confirms_and_a_double_click_opens() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = on_example(dir.path());
    dialog_in(&mut h, PathTask::SaveSession, Mode::Save, dir.path());
    h.get_by_label("Tên tệp").click();
    h.run();
    h.get_by_label("Tên tệp").type_text("phiên một");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let saved = dir.path().join("phiên một.ron");
    assert!(saved.is_file(), "Enter saved");
    assert!(h.state().file_dialog.is_none());
    std::fs::copy(&saved, dir.path().join("phiên hai.ron")).unwrap();

    dialog_in(&mut h, PathTask::Open, Mode::Open, dir.path());
    h.get_by_label("phiên hai.ron").click();
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert!(h.state().file_dialog.is_none(), "Enter opened");
    let path = |h: &Harness<'static, App>| h.state().doc.as_ref().unwrap().path.clone();
    assert_eq!(path(&h), Some(dir.path().join("phiên hai.ron")));

    dialog_in(&mut h, PathTask::Open, Mode::Open, dir.path());
    double_click(&mut h, "phiên một.ron");
    assert!(h.state().file_dialog.is_none(), "the double click opened");
    assert_eq!(path(&h), Some(saved));
}

/// Enter in the folder field goes to the folder typed, and saves nothing.
#[test]
fn enter_in_the_folder_field_only_goes_there() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = on_example(dir.path());
    h.state_mut()
        .choose(PathTask::SaveSession, Mode::Save, "phien.ron");
    h.run();
    h.get_by_label("Thư mục").click();
    h.run();
    h.key_press_modifiers(eframe::egui::Modifiers::COMMAND, Key::A);
    h.get_by_label("Thư mục")
        .type_text(&dir.path().display().to_string());
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert!(h.state().file_dialog.is_some(), "still open");
    assert!(!dir.path().join("phien.ron").exists());
}

/// The file name field and the buttons stay where they are whatever the folder holds (many
/// files, none, an unreadable folder) and while it is being read.
#[test]
fn controls_stay_put_while_folders_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    let many = dir.path().join("nhieu");
    std::fs::create_dir(&many).unwrap();
    for k in 0..40 {
        std::fs::write(many.join(format!("phiên {k:02}.ron")), "").unwrap();
    }
    let empty = dir.path().join("trong");
    std::fs::create_dir(&empty).unwrap();
    let mut h = on_example(dir.path());
    h.state_mut()
        .choose(PathTask::SaveSession, Mode::Save, "phien.ron");
    h.run();
    // Not waited for: some frames show the folder being read.
    h.state_mut().file_dialog.as_mut().unwrap().wait = Duration::ZERO;
    let places = |h: &Harness<'static, App>| -> [Rect; 3] {
        [
            h.get_by_role_and_label(Role::TextInput, "Tên tệp").rect(),
            h.get_by_role_and_label(Role::Button, "Lưu").rect(),
            h.get_by_role_and_label(Role::Button, "Hủy").rect(),
        ]
    };
    let first = places(&h);
    let mut reading = 0;
    for folder in [&empty, &many, &dir.path().join("không có"), &empty, &many] {
        h.state_mut().file_dialog.as_mut().unwrap().folder = folder.display().to_string();
        for _ in 0..50 {
            h.step();
            assert_eq!(places(&h), first, "{}", folder.display());
            if !h.state().file_dialog.as_ref().unwrap().reading() {
                break;
            }
            reading += 1;
            std::thread::sleep(Duration::from_millis(2));
        }
        assert!(!h.state().file_dialog.as_ref().unwrap().reading());
    }
    h.get_by_label("phiên 00.ron");
    println!("frames that showed a folder being read: {reading}");
}

/// Each kind of file starts in the last folder used for it, also after a restart: the
/// results table's folder is not where archives are opened from.
#[test]
fn last_folder_remembered_per_kind_of_file() {
    let dir = tempfile::tempdir().unwrap();
    let tables = dir.path().join("bang");
    std::fs::create_dir(&tables).unwrap();
    let mut h = on_example(dir.path());
    dialog_in(&mut h, PathTask::Export(Export::Csv), Mode::Save, &tables);
    h.get_by_label("Tên tệp").click();
    h.run();
    h.get_by_label("Tên tệp").type_text("ket-qua");
    h.run();
    h.get_by_role_and_label(Role::Button, "Lưu").click();
    h.run();
    assert!(tables.join("ket-qua.csv").is_file());
    let tables = tables.display().to_string();

    h.state_mut().choose(PathTask::Open, Mode::Open, "");
    h.run();
    assert_ne!(dialog_folder(&h), tables, "archives have their own folder");
    h.get_by_label("Hủy").click();
    h.run();
    h.state_mut()
        .choose(PathTask::Export(Export::Xlsx), Mode::Save, "ket-qua");
    h.run();
    assert_eq!(dialog_folder(&h), tables);
    h.get_by_label("Hủy").click();
    h.run();
    drop(h);

    let mut h = on_example(dir.path());
    h.state_mut()
        .choose(PathTask::Export(Export::Csv), Mode::Save, "ket-qua");
    h.run();
    assert_eq!(dialog_folder(&h), tables, "after a restart");
    let prefs = std::fs::read_to_string(dir.path().join("data/preferences.ron")).unwrap();
    assert!(prefs.contains("tables:"), "{prefs}");
    let _ = Options::default();
}

/// The recovery copy of the one session never saved kept in `data`, as a session, if any.
fn recovered(data: &Path) -> Option<tinnhiem::model::Session> {
    tinnhiem::archive::load(&data.join("chua-luu.ron.recovery")).ok()
}

/// The app with the autosave delay it ships with (the harness writes at once), on a new
/// session, its data in `dir/data`.
fn shipped_delay(dir: &Path) -> Harness<'static, App> {
    let mut h = harness(data_options(dir));
    h.state_mut().autosave_delay = tinnhiem::app::AUTOSAVE_DELAY;
    h.get_by_label("Tạo phiên mới").click();
    h.run();
    h.get_by_label("Địa danh").click();
    h.run();
    h
}

/// One change is in the recovery copy within a second, measured with the real clock (today's
/// delay, 3 s, lost the last seconds of work to a kill).
#[test]
fn one_change_is_in_the_recovery_copy_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut h = shipped_delay(dir.path());
    h.get_by_label("Địa danh").type_text("Huế");
    h.step();
    let typed = Instant::now();
    let took = loop {
        if recovered(&data).is_some_and(|s| s.meta.place == "Huế") {
            break typed.elapsed();
        }
        assert!(
            typed.elapsed() < Duration::from_secs(1),
            "not written within 1 s"
        );
        std::thread::sleep(Duration::from_millis(10));
        h.step();
    };
    println!("the change was in the recovery copy after {took:?}");
}

/// Typing without a pause: at every moment the recovery copy holds what was typed a second
/// before (a delay counted from the last keystroke would write nothing while the typing lasts).
#[test]
fn steady_typing_is_never_more_than_a_second_behind() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut h = shipped_delay(dir.path());
    let text: Vec<char> = "Thành phố Huế, tỉnh Thừa Thiên".chars().collect();
    let start = Instant::now();
    // When each prefix was typed.
    let mut typed_at: Vec<Instant> = Vec::new();
    let mut worst = Duration::ZERO;
    while start.elapsed() < Duration::from_millis(3000) {
        let due = usize::try_from(start.elapsed().as_millis() / 100).unwrap() + 1;
        if typed_at.len() < due.min(text.len()) {
            let c = text[typed_at.len()];
            h.get_by_label("Địa danh").type_text(&c.to_string());
            typed_at.push(Instant::now());
        }
        h.step();
        let held = recovered(&data).map_or(0, |s| s.meta.place.chars().count());
        // The oldest keystroke not in the copy yet: how long ago it was typed.
        if let Some(at) = typed_at.get(held) {
            let behind = at.elapsed();
            worst = worst.max(behind);
            assert!(
                behind <= Duration::from_secs(1),
                "{held} letters held, {behind:?} behind"
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(typed_at.len() >= 25);
    println!("the recovery copy was at most {worst:?} behind the typing");
}

/// Opens the File menu and clicks `item`.
fn file_menu(h: &mut Harness<'static, App>, item: &str) {
    h.get_by_label("Tệp").click();
    h.run();
    h.get_by_label(item).click();
    h.run();
}

/// "Không lưu" removes the recovery copy, so that the next start does not offer the changes
/// given up: when another file is to be opened (the open dialog then cancelled, the session
/// left on screen), and when the window is closed before the copy was even written.
#[test]
fn dont_save_removes_the_recovery_copy() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut h = shipped_delay(dir.path());
    h.get_by_label("Địa danh").type_text("Huế");
    h.run();
    std::thread::sleep(tinnhiem::app::AUTOSAVE_DELAY);
    h.run();
    h.state_mut().flush_recovery();
    assert!(recovered(&data).is_some(), "written");
    file_menu(&mut h, "Mở tệp…");
    h.get_by_label("Không lưu").click();
    h.run();
    assert!(h.state().file_dialog.is_some());
    h.get_by_label("Hủy").click();
    h.run();
    // The session is still on screen, its changes given up: no copy comes back.
    std::thread::sleep(tinnhiem::app::AUTOSAVE_DELAY);
    h.run();
    h.state_mut().flush_recovery();
    assert!(recovered(&data).is_none(), "removed and not written again");
    drop(h);
    let h = harness(data_options(dir.path()));
    assert_eq!(h.state().dialog, None, "nothing offered");
    drop(h);

    // Closed at once: "Không lưu" before the copy was written; the frames that still come
    // do not write it.
    let mut h = shipped_delay(dir.path());
    h.get_by_label("Địa danh").type_text("Vinh");
    h.run();
    h.input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    h.run();
    h.get_by_label("Không lưu").click();
    h.run();
    let closing = Instant::now();
    while closing.elapsed() < tinnhiem::app::AUTOSAVE_DELAY * 2 {
        h.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(h);
    assert!(recovered(&data).is_none());
    let h = harness(data_options(dir.path()));
    assert_eq!(h.state().dialog, None, "nothing offered");
}

/// The operator's name typed on the start screen is in the preferences once the field is
/// left (not written at each key), and is there at the next start.
#[test]
fn operator_remembered_when_the_field_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    h.get_by_label("Người thao tác").click();
    h.run();
    h.get_by_label("Người thao tác").type_text("Võ Thị Thu Hà");
    h.run();
    let file = dir.path().join("data/preferences.ron");
    assert!(!file.exists(), "not written while typing");
    h.key_press(Key::Tab);
    h.run();
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("Võ Thị Thu Hà")
    );
    drop(h);
    let h = harness(data_options(dir.path()));
    assert_eq!(h.state().operator, "Võ Thị Thu Hà");
}
