//! Text fields keep what was typed (issue 21 §2): every text field of the setup screen typed
//! into one key a frame, as a person types, the archive read back; an input method's Tab and
//! Enter; Enter in the new-cadre row; the audit log's lines for changes of no one field
//! (issue 21 §4).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use eframe::egui::accesskit::Role;
use eframe::egui::{Event, ImeEvent, Key, Modifiers, RawInput};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use tinnhiem::app::{App, Options};
use tinnhiem::archive;
use tinnhiem::model::{Person, Session};

use crate::common::gui::harness;

const CTRL: Modifiers = Modifiers::COMMAND.plus(Modifiers::CTRL);

/// Fields of the setup screen that hold a number or a date, not a text.
const NOT_TEXT: &[&str] = &[
    "Ngày hội nghị (ngày/tháng/năm)",
    "Số bản biên bản",
    "Số được triệu tập",
    "Số có mặt",
    "Số phiếu phát ra",
    "Số phiếu thu về",
    "Số phiếu không hợp lệ (cả tờ)",
];

/// Fields whose text is stored by a button (the new-cadre row, the new criterion, the paste
/// box): the button, clicked once its fields are typed.
fn stored_by(label: &str) -> Option<&'static str> {
    match label {
        "Thêm tiêu chí" => Some("Thêm tiêu chí"),
        "Chức vụ cán bộ mới" => Some("Thêm cán bộ"),
        l if l.starts_with("Dán danh sách") => Some("Thêm các cán bộ trong danh sách"),
        _ => None,
    }
}

/// A small session with every optional text field shown: an exempt cadre (its reason), a
/// criterion, a committee member, complaints stated, the minutes' own wording.
fn every_field_session(dir: &Path) -> PathBuf {
    let mut s: Session =
        archive::from_str(include_str!("../../assets/examples/chi-bo.ron")).unwrap();
    s.audit.clear();
    let g = &mut s.groups[0];
    g.cadres.truncate(1);
    g.add_criterion("Đạo đức");
    g.cadres[0].exemption = Some("Nghỉ hưu".into());
    s.committee = vec![Person::default()];
    s.proceedings.remarks = Some(String::new());
    s.minutes.opening = Some("Mở đầu".into());
    s.minutes.closing = Some("Kết thúc".into());
    let path = dir.join("phien.ron");
    archive::save(&path, &s).unwrap();
    path
}

/// Clicks the field `label` (of `role`), selects its text and types `text` over it one
/// character a frame, as a person types (a frame may end after any key).
fn type_slowly(h: &mut Harness<'static, App>, role: Role, label: &str, text: &str) {
    h.get_by_role_and_label(role, label).scroll_to_me();
    h.run();
    h.get_by_role_and_label(role, label).click();
    h.run();
    assert!(h.get_by_role_and_label(role, label).is_focused(), "{label}");
    h.key_press_modifiers(CTRL, Key::A);
    h.run();
    let node = h.get_by_role_and_label(role, label);
    for c in text.chars() {
        node.type_text(&c.to_string());
    }
    // kittest runs one frame for each queued event.
    h.run();
}

/// The text fields (label, role) shown now.
fn text_fields(h: &Harness<'static, App>) -> Vec<(String, Role)> {
    let mut out = Vec::new();
    for role in [Role::TextInput, Role::MultilineTextInput] {
        for n in h.query_all_by_role(role) {
            let label = n.accesskit_node().label().unwrap_or_default();
            if !NOT_TEXT.contains(&label.as_str()) {
                out.push((label, role));
            }
        }
    }
    out
}

/// "ab cd ef" and a Vietnamese name with spaces, typed one key a frame into every text field
/// of the setup screen (the operator's name on the start screen too), come back from the saved
/// archive with their spaces; a field still being typed in when Ctrl+S is pressed is saved
/// cleaned, as leaving it would have (issue 21 §2: the counting team's field stored
/// "abcdef").
#[test]
fn every_text_field_keeps_its_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let path = every_field_session(dir.path());
    let mut h = harness(Options {
        file: None,
        data_dir: Some(dir.path().join("data")),
    });
    let operator = "Lê  Thị Nhập Liệu";
    type_slowly(&mut h, Role::TextInput, "Người thao tác", operator);
    assert_eq!(h.state().operator, operator);
    h.state_mut().open(&path);
    h.run();

    let mut typed = Vec::new();
    for tab in ["Biên bản và thành phần", "Nhóm phiếu, cán bộ, tiêu chí"] {
        h.get_by_label(tab).click();
        h.run();
        let fields = text_fields(&h);
        assert!(fields.len() >= 8, "{tab}: {fields:?}");
        for (label, role) in fields {
            let k = typed.len();
            let text = if k % 2 == 0 {
                format!("ab cd ef {k}")
            } else {
                format!("Nguyễn Thị Ánh {k}")
            };
            type_slowly(&mut h, role, &label, &text);
            if let Some(button) = stored_by(&label) {
                h.get_by_role_and_label(Role::Button, button).click();
                h.run();
            }
            typed.push((label, text));
        }
    }
    h.key_press_modifiers(CTRL, Key::S);
    h.run();
    let saved = archive::load(&path).unwrap();
    let dump = format!("{saved:?}");
    for (label, text) in &typed {
        // The new cadre's name is typed in one field and its position in the next: both end
        // up in the cadre added.
        assert!(
            dump.contains(&format!("{text:?}")),
            "{label}: {text:?} not in {dump}"
        );
    }
    assert!(typed.len() >= 25, "{typed:?}");
    let team = typed.iter().find(|(l, _)| l.starts_with("Tổ kiểm phiếu"));
    assert_eq!(saved.team.as_deref(), team.map(|(_, t)| t.as_str()));

    // Still in the field, spaces around and doubled: saved as leaving the field cleans it.
    h.get_by_label("Biên bản và thành phần").click();
    h.run();
    type_slowly(&mut h, Role::TextInput, "Địa danh", "  Hà   Nội ");
    h.key_press_modifiers(CTRL, Key::S);
    h.run();
    assert!(!h.state().doc.as_ref().unwrap().dirty(), "saved");
    assert!(
        !h.get_by_label("Địa danh").is_focused(),
        "the field is left, its text having changed"
    );
    let saved = archive::load(&path).unwrap();
    assert_eq!(saved.meta.place, "Hà Nội");
    assert!(saved.audit.iter().all(|e| e.by == "Lê Thị Nhập Liệu"));
}

/// Delivers `events` as one frame's input through the app's raw-input hook, as eframe does
/// (kittest does not call it), then runs the frames the hook asks for.
fn deliver(h: &mut Harness<'static, App>, events: Vec<Event>) {
    let ctx = h.ctx.clone();
    let mut raw = RawInput {
        events,
        ..RawInput::default()
    };
    for _ in 0..100 {
        eframe::App::raw_input_hook(h.state_mut(), &ctx, &mut raw);
        h.input_mut().events.append(&mut raw.events);
        h.step();
        if !h.state().input.waiting() {
            break;
        }
    }
    h.run();
}

/// What winit delivers on X11 for a word composed under an input method and confirmed by
/// `key` ("\t", "\r"): the composition shown, then cleared before each commit; ibus with
/// Unikey commits the key before the word (as seen under Xvfb), another input method may
/// commit the word first.
fn ime_word(word: &str, key: &str, key_first: bool) -> Vec<Event> {
    let preedit = |text: &str| {
        Event::Ime(ImeEvent::Preedit {
            text: text.into(),
            active_range_chars: None,
        })
    };
    let commit = |text: &str| Event::Ime(ImeEvent::Commit(text.into()));
    let (first, second) = if key_first { (key, word) } else { (word, key) };
    vec![
        preedit(word),
        preedit(""),
        commit(first),
        preedit(""),
        commit(second),
        preedit(""),
    ]
}

/// Tab or Enter pressed under an input method while a word is composed (ibus delivers them as
/// commits of "\t" and "\r"): the word stays in its field without a tab, and the key acts as
/// a key: Tab moves to the next field, Enter leaves the field or adds the new cadre; a commit
/// with the key at its end does the same.
#[test]
fn input_method_tab_and_enter_act_as_keys() {
    let mut h = harness(Options::default());
    h.get_by_label("chi-bo.ron").click();
    h.run();
    h.get_by_label("Địa danh").click();
    h.run();
    h.key_press_modifiers(CTRL, Key::A);
    h.run();
    deliver(&mut h, ime_word("Huế", "\t", true));
    let place = |h: &Harness<'static, App>| h.state().session().unwrap().meta.place.clone();
    assert_eq!(place(&h), "Huế");
    assert!(h.get_by_label("Địa điểm họp").is_focused(), "Tab moved on");
    let venue = h.state().session().unwrap().meta.venue.clone();
    assert!(
        !venue.contains("Huế"),
        "the word stayed in its field: {venue}"
    );

    h.get_by_label("Địa danh").click();
    h.run();
    h.key_press(Key::End);
    h.run();
    deliver(&mut h, vec![Event::Ime(ImeEvent::Commit(" Xuân\r".into()))]);
    assert_eq!(place(&h), "Huế Xuân");
    assert!(
        !h.get_by_label("Địa danh").is_focused(),
        "Enter left the field"
    );

    h.get_by_label("Nhóm phiếu, cán bộ, tiêu chí").click();
    h.run();
    let cadres = |h: &Harness<'static, App>| h.state().session().unwrap().groups[0].cadres.len();
    let before = cadres(&h);
    h.get_by_label("Họ tên cán bộ mới").click();
    h.run();
    deliver(&mut h, ime_word("Nguyễn Văn Ấn", "\r", false));
    assert_eq!(cadres(&h), before + 1, "Enter added the cadre");
    let s = h.state().session().unwrap();
    assert_eq!(s.groups[0].cadres[before].name, "Nguyễn Văn Ấn");
}

/// The new-cadre row is typed without the mouse: name, Tab, position, Enter adds the cadre and
/// puts the keyboard back in the name field for the next one; Enter in the new criterion's
/// field adds it.
#[test]
fn enter_in_the_new_cadre_row_adds_the_cadre() {
    let mut h = harness(Options::default());
    h.get_by_label("chi-bo.ron").click();
    h.run();
    h.get_by_label("Nhóm phiếu, cán bộ, tiêu chí").click();
    h.run();
    let before = h.state().session().unwrap().groups[0].cadres.len();
    for (k, (name, position)) in [("Phan Văn Chức", "Ủy viên"), ("Lê Thị Tâm", "Đảng viên")]
        .into_iter()
        .enumerate()
    {
        if !h.get_by_label("Họ tên cán bộ mới").is_focused() {
            h.get_by_label("Họ tên cán bộ mới").click();
            h.run();
        }
        h.get_by_label("Họ tên cán bộ mới").type_text(name);
        h.run();
        h.key_press(Key::Tab);
        h.run();
        assert!(h.get_by_label("Chức vụ cán bộ mới").is_focused());
        h.get_by_label("Chức vụ cán bộ mới").type_text(position);
        h.run();
        h.key_press(Key::Enter);
        h.run();
        let n = h.state().session().unwrap().groups[0].cadres.len();
        assert_eq!(
            n,
            before + k + 1,
            "Enter in the position field adds the cadre"
        );
        assert!(
            h.get_by_label("Họ tên cán bộ mới").is_focused(),
            "ready for the next"
        );
    }
    let s = h.state().session().unwrap();
    let added: Vec<(&str, &str)> = s.groups[0].cadres[before..]
        .iter()
        .map(|c| (c.name.as_str(), c.position.as_str()))
        .collect();
    assert_eq!(
        added,
        [("Phan Văn Chức", "Ủy viên"), ("Lê Thị Tâm", "Đảng viên")]
    );

    h.get_by_role_and_label(Role::TextInput, "Thêm tiêu chí")
        .click();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Thêm tiêu chí")
        .type_text("Đạo đức, lối sống");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let s = h.state().session().unwrap();
    assert_eq!(
        s.groups[0].criteria.last().unwrap().name,
        "Đạo đức, lối sống"
    );
}

/// The audit log's lines for changes of no one field read as sentences in the reader's
/// language: a ballot-by-ballot step, a cadre added and its undo (they read ": (trống) →
/// Nhập từng phiếu: đã nhập 3 tờ", in Vietnamese whatever the language).
#[test]
fn log_lines_of_changes_of_no_field_are_sentences() {
    use tinnhiem::edit::Edit;
    use tinnhiem::model::Counts;
    use tinnhiem::text::Lang;
    let mut h = harness(Options::default());
    h.get_by_label("chi-bo.ron").click();
    h.run();
    let counts = Counts {
        high: Some(1),
        medium: Some(1),
        low: Some(1),
    };
    let cadres = h.state().session().unwrap().groups[0].cadres.len();
    h.state_mut().queue(Edit::SetBallotTotals {
        group: 0,
        counts: (0..cadres).map(|c| (c, vec![counts])).collect(),
        void_sheets: 0,
        sheets: 3,
    });
    h.state_mut().queue(Edit::AddCadre {
        group: 0,
        name: "Lê Văn An".into(),
        position: "Ủy viên".into(),
    });
    h.run();
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    let log = &h.state().session().unwrap().audit;
    let lines = |lang| -> Vec<String> { log.iter().map(|e| e.describe(lang)).collect() };
    assert_eq!(
        lines(Lang::Vi),
        [
            "Nhập từng phiếu: đã nhập 3 tờ",
            "Thêm cán bộ Lê Văn An",
            "Hoàn tác: Thêm cán bộ Lê Văn An"
        ]
    );
    assert_eq!(
        lines(Lang::En),
        [
            "Ballot by ballot: 3 sheets entered",
            "Add cadre Lê Văn An",
            "Undo: Add cadre Lê Văn An"
        ]
    );
}

/// The cadre just added through the new-cadre row is in sight, however long the list: at
/// 1024×600 the list shows some eight lines, and tried in the real window the list stayed at
/// its top while twelve names were typed, so that the last ones seemed not to be taken.
#[test]
fn the_cadre_just_added_is_in_sight() {
    use crate::common::gui::{TWELVE, sized_harness};
    let mut h = sized_harness(Options::default(), eframe::egui::vec2(1024.0, 600.0));
    h.state_mut().operator = "Phạm Văn Đức".into();
    h.get_by_label("Tạo phiên mới").click();
    h.run();
    h.get_by_label("Nhóm phiếu, cán bộ, tiêu chí").click();
    h.run();
    h.get_by_label("Họ tên cán bộ mới").click();
    h.run();
    for (k, name) in TWELVE.iter().enumerate() {
        h.get_by_label("Họ tên cán bộ mới").type_text(name);
        h.run();
        h.key_press(Key::Enter);
        h.run();
        // In sight: laid out (the list lays out only the rows in sight), and between the
        // list's title and the new-cadre row below the list, in the window.
        let label = format!("Họ tên – cán bộ {}", k + 1);
        let row = h
            .query_by_label(&label)
            .unwrap_or_else(|| panic!("{name} ({label}) is not laid out"))
            .rect();
        let top = h.get_by_label("Cán bộ được lấy phiếu").rect().max.y;
        let bottom = h.get_by_label("Họ tên cán bộ mới").rect().min.y;
        assert!(
            row.min.y >= top - 1.0 && row.max.y <= bottom + 1.0 && row.max.y <= 600.0,
            "{name} at {row:?}, the list from {top} to {bottom}"
        );
    }
    let s = h.state().session().unwrap();
    assert_eq!(s.groups[0].cadres.len(), 12);
}

/// "Đếm bằng máy quét" sits beside the group it belongs to: on for a new session's group,
/// and the click turns it off for that group only (an undoable edit like any other).
#[test]
fn the_scan_form_box_belongs_to_its_group() {
    let mut h =
        crate::common::gui::sized_harness(Options::default(), eframe::egui::vec2(1024.0, 600.0));
    h.state_mut().operator = "Phạm Văn Đức".into();
    h.get_by_label("Tạo phiên mới").click();
    h.run();
    h.get_by_label("Nhóm phiếu, cán bộ, tiêu chí").click();
    h.run();
    let scan = |h: &Harness<'static, App>| h.state().session().unwrap().groups[0].scan_form;
    assert!(scan(&h));
    h.get_by_label("Đếm bằng máy quét").click();
    h.run();
    assert!(!scan(&h));
    h.get_by_label("Đếm bằng máy quét").click();
    h.run();
    assert!(scan(&h));
}
