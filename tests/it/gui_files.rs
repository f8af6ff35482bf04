//! tinnhiem's own file dialog (Enter, double click, a listing that does not move the controls,
//! the last folder of each kind of file remembered) and the recovery copy (issue 21 §2, §4).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Duration;

use eframe::egui::accesskit::Role;
use eframe::egui::{Event, Key, Modifiers, PointerButton, Rect};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
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
    dialog_in(&mut h, PathTask::Csv, Mode::Save, &tables);
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
    h.state_mut().choose(PathTask::Xlsx, Mode::Save, "ket-qua");
    h.run();
    assert_eq!(dialog_folder(&h), tables);
    h.get_by_label("Hủy").click();
    h.run();
    drop(h);

    let mut h = on_example(dir.path());
    h.state_mut().choose(PathTask::Csv, Mode::Save, "ket-qua");
    h.run();
    assert_eq!(dialog_folder(&h), tables, "after a restart");
    let prefs = std::fs::read_to_string(dir.path().join("data/preferences.ron")).unwrap();
    assert!(prefs.contains("tables:"), "{prefs}");
    let _ = Options::default();
}
