//! The desktop app driven through its accessible labels, headless (egui_kittest, no GPU).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use crate::common::gui::{cell, data_options, harness, type_into};
use eframe::egui::{self, Key, Modifiers, ViewportCommand, ViewportEvent, ViewportId};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tinnhiem::app::{App, Dialog, Options, Screen};
use tinnhiem::archive;
use tinnhiem::model::Level;
use tinnhiem::rules::BandId;
use tinnhiem::validate::Code;

const CTRL: Modifiers = Modifiers::COMMAND.plus(Modifiers::CTRL);

/// A whole vote: new session, paste cadres, type counts, see Band A, see and undo an
/// impossible count, save, and reopen the file equal.
#[test]
fn whole_vote_from_empty_start() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    h.get_by_label("Tạo phiên mới").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Setup);
    h.get_by_label("Nhóm phiếu, cán bộ, tiêu chí").click();
    h.run();

    h.get_by_label(
        "Dán danh sách từ Excel/Word: mỗi dòng một người, họ tên rồi chức vụ ở cột bên cạnh",
    )
    .click();
    h.run();
    h.event(egui::Event::Paste(
        "Họ và tên\tChức vụ\nNguyễn Văn An\tBí thư\nTrần Thị Bình\tPhó Bí thư\n".into(),
    ));
    h.run();
    h.get_by_label("Thêm các cán bộ trong danh sách").click();
    h.run();
    let names: Vec<String> = h.state().session().unwrap().groups[0]
        .cadres
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(names, ["Nguyễn Văn An", "Trần Thị Bình"]);

    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    for (label, n) in [
        ("Số được triệu tập", "50"),
        ("Số có mặt", "50"),
        ("Số phiếu phát ra", "50"),
        ("Số phiếu thu về", "50"),
        ("Số phiếu không hợp lệ (cả tờ)", "1"),
    ] {
        type_into(&mut h, label, n);
    }
    for (name, counts) in [
        ("Nguyễn Văn An", ["10", "12", "27"]),
        ("Trần Thị Bình", ["40", "9", "0"]),
    ] {
        for (level, n) in Level::ALL.iter().zip(counts) {
            type_into(&mut h, &cell(level.label().vi, name), n);
        }
    }
    let low =
        |h: &Harness<'static, App>| h.state().session().unwrap().groups[0].cadres[0].overall.low;
    assert_eq!(low(&h), Some(27));

    h.get_by_label("3. Kết quả").click();
    h.run();
    h.get_by_label_contains("Trên 50% đến dưới 2/3 tín nhiệm thấp");
    let band = h.state_mut().derived().unwrap().tally.groups[0].cadres[0].band;
    assert_eq!(band, Some(BandId::BandA));

    // An impossible count: 60 low of 49 valid sheets, shown as an error, then undone.
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    let bad = cell("Tín nhiệm thấp", "Nguyễn Văn An");
    h.get_by_label(&bad).click();
    h.run();
    h.key_press_modifiers(CTRL, Key::A);
    h.run();
    h.get_by_label(&bad).type_text("60");
    h.run();
    assert_eq!(low(&h), Some(60));
    let codes: Vec<Code> = h
        .state_mut()
        .derived()
        .unwrap()
        .findings
        .0
        .iter()
        .map(|f| f.code)
        .collect();
    assert!(codes.contains(&Code::CountExceedsValidSheets), "{codes:?}");
    // Said in words, as an error; the code only in the tooltip.
    let said = "Lỗi: Số \"Tín nhiệm thấp\" của Nguyễn Văn An (60) lớn hơn số phiếu hợp lệ";
    h.get_by_label_contains(said);
    assert!(h.query_by_label_contains("E303").is_none());
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert_eq!(low(&h), Some(27));
    assert!(h.query_by_label_contains(said).is_none());

    save_and_reopen(&mut h, dir.path());
}

/// Saves with `save_to`, then with Ctrl+S, then reopens the file in a new app: equal.
fn save_and_reopen(h: &mut Harness<'static, App>, dir: &Path) {
    let file = dir.join("phiên họp.ron");
    assert!(h.state_mut().save_to(&file));
    assert!(!h.state().doc.as_ref().unwrap().dirty());
    let saved = h.state().session().unwrap().clone();
    assert_eq!(archive::load(&file).unwrap(), saved);

    // Ctrl+S saves to the same file once it has one.
    h.get_by_label("Số có mặt").click();
    h.run();
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label("Số có mặt").type_text("49");
    h.run();
    assert!(h.state().doc.as_ref().unwrap().dirty());
    h.key_press_modifiers(CTRL, Key::S);
    h.run();
    assert!(!h.state().doc.as_ref().unwrap().dirty());
    let saved = h.state().session().unwrap().clone();
    assert_eq!(saved.groups[0].voters.present, Some(49));
    // Undoing back to the figures on disk still leaves unsaved log entries (the change and
    // its undo): the session stays modified so that the log is never lost.
    type_into(h, "Số phiếu thu về", "9");
    assert!(h.state().doc.as_ref().unwrap().dirty());
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    assert!(h.state().doc.as_ref().unwrap().dirty());
    assert_eq!(
        h.state().session().unwrap().groups,
        saved.groups,
        "the figures are back"
    );

    let reopened = harness(Options {
        file: Some(file.clone()),
        data_dir: Some(dir.join("data")),
    });
    assert_eq!(reopened.state().session(), Some(&saved));
    assert_eq!(reopened.state().prefs.recent.len(), 1);
}

/// An example with a Band A cadre shows the band in the law's words, in both languages.
#[test]
fn example_shows_band_a_in_both_languages() {
    let mut h = harness(Options::default());
    h.get_by_label("tinh-uy.ron").click();
    h.run();
    h.get_by_label("3. Kết quả").click();
    h.run();
    h.get_by_label("Trên 50% đến dưới 2/3 tín nhiệm thấp");
    assert!(h.query_by_label_contains("Mức A").is_none());
    h.get_by_label("English").click();
    h.run();
    h.get_by_label("More than 50% and less than 2/3 low confidence");
    h.get_by_label("Chart").click();
    h.run();
}

/// The proceedings are filled in on the setup screen by their labels: typed texts, the
/// committee's choice, "no complaints" by one tick, the copies; each logged in words.
#[test]
fn proceedings_from_the_setup_screen() {
    use tinnhiem::model::CommitteeChosen;
    let mut h = harness(Options::default());
    h.get_by_label("chi-bo.ron").click();
    h.run();
    type_into(&mut h, "Giờ kết thúc kiểm phiếu", "16 giờ 15");
    type_into(&mut h, "Phiếu niêm phong giao cho", "Văn phòng Đảng ủy");
    type_into(&mut h, "Người vắng mặt và lý do", "không");
    type_into(&mut h, "Số bản biên bản", "3");
    h.get_by_label("Hội nghị bầu hay biểu quyết thông qua Ban kiểm phiếu")
        .click();
    h.run();
    h.get_by_label("Hội nghị biểu quyết thông qua").click();
    h.run();
    h.get_by_label_contains("Ghi vào biên bản").click();
    h.run();
    let p = h.state().session().unwrap().proceedings.clone();
    assert_eq!(p.count_ended, "16 giờ 15");
    assert_eq!(p.sealed_to, "Văn phòng Đảng ủy");
    assert_eq!(p.absences, "không");
    assert_eq!(p.copies, Some(3));
    assert_eq!(p.committee_chosen, Some(CommitteeChosen::Approved));
    assert_eq!(p.remarks.as_deref(), Some(""));
    type_into(&mut h, "Nội dung khiếu nại, ý kiến", "Không");
    assert_eq!(
        h.state().session().unwrap().proceedings.remarks.as_deref(),
        Some("Không")
    );
    let log: Vec<String> = h
        .state()
        .session()
        .unwrap()
        .audit
        .iter()
        .map(|e| e.describe(tinnhiem::text::Lang::Vi))
        .collect();
    assert!(
        log.iter()
            .any(|l| l.starts_with("Phiếu niêm phong giao cho: ")
                && l.ends_with("→ Văn phòng Đảng ủy")),
        "{log:?}"
    );
}

/// The minutes' wording from the setup screen: one tick starts the opening from the built-in
/// template, typing edits it, a misspelt field shows its error under the box, the preview
/// shows the filled text; the ranking column is one tick; each change logged in words.
#[test]
fn minutes_wording_from_the_setup_screen() {
    use tinnhiem::template::DEFAULT_OPENING;
    let mut h = harness(Options::default());
    h.get_by_label("chi-bo.ron").click();
    h.run();
    // The section is below the fold: scrolled to, as a person would.
    h.get_by_label("Tự soạn đoạn mở đầu biên bản")
        .scroll_to_me();
    h.run();
    h.get_by_label("Tự soạn đoạn mở đầu biên bản").click();
    h.run();
    assert_eq!(
        h.state().session().unwrap().minutes.opening.as_deref(),
        Some(DEFAULT_OPENING)
    );
    h.get_by_label_contains("Sẽ in: Hôm nay, vào lúc 14 giờ 30");
    // Typing at the end of the box (Ctrl+End, as a person would after clicking into it): a
    // sentence with a misspelt field, then its error shown.
    h.get_by_label("Đoạn mở đầu biên bản").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    h.run();
    h.get_by_label("Đoạn mở đầu biên bản")
        .type_text(" Chủ trì: {chu tri}.");
    h.run();
    let opening = h
        .state()
        .session()
        .unwrap()
        .minutes
        .opening
        .clone()
        .unwrap();
    assert!(opening.ends_with(" Chủ trì: {chu tri}."), "{opening}");
    h.get_by_label_contains("không có trường {chu tri}");
    h.get_by_label("Cột xếp thứ trong bảng kết quả").click();
    h.run();
    let s = h.state().session().unwrap();
    assert!(s.minutes.ranking);
    let log: Vec<String> = s
        .audit
        .iter()
        .map(|e| e.describe(tinnhiem::text::Lang::Vi))
        .collect();
    assert!(
        log.iter().any(|l| l.starts_with("Đoạn mở đầu biên bản: ")),
        "{log:?}"
    );
    // Unticking returns to the built-in wording.
    h.get_by_label("Tự soạn đoạn mở đầu biên bản").click();
    h.run();
    assert_eq!(h.state().session().unwrap().minutes.opening, None);
}

/// Enter moves down a column and Tab moves right, like a spreadsheet; letters are refused.
#[test]
fn keyboard_moves_between_cells() {
    let mut h = harness(Options::default());
    h.get_by_label("chi-bo.ron").click();
    h.run();
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    let first = cell("Tín nhiệm cao", "Trần Thị Hồng Nhung");
    h.get_by_label(&first).click();
    h.run();
    assert_eq!(h.state().entry.focused, Some((0, 0)));
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(h.state().entry.focused, Some((1, 0)));
    h.key_press(Key::Tab);
    h.run();
    assert_eq!(h.state().entry.focused, Some((1, 1)));
    h.key_press(Key::ArrowUp);
    h.run();
    assert_eq!(h.state().entry.focused, Some((0, 1)));
    assert!(
        h.get_by_label(&cell("Tín nhiệm", "Trần Thị Hồng Nhung"))
            .is_focused()
    );
    // The moved-to cell is selected: typing replaces it; letters are dropped.
    h.get_by_label(&cell("Tín nhiệm", "Trần Thị Hồng Nhung"))
        .type_text("3x");
    h.run();
    let s = h.state().session().unwrap();
    assert_eq!(s.groups[0].cadres[0].overall.medium, Some(3));
}

/// Clicking a finding in the list moves the keyboard to its cell.
#[test]
fn finding_focuses_its_cell() {
    let mut h = harness(Options::default());
    h.get_by_label("chi-bo.ron").click();
    h.run();
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    let c = cell("Tín nhiệm thấp", "Đặng Ngọc Ánh");
    h.get_by_label(&c).click();
    h.run();
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label(&c).type_text("9");
    h.run();
    h.get_by_label("Số phiếu thu về").click();
    h.run();
    h.get_by_label_contains("Lỗi: Số \"Tín nhiệm thấp\" của Đặng Ngọc Ánh")
        .click();
    h.run();
    h.run();
    assert!(h.get_by_label(&c).is_focused());
}

/// Closing with unsaved changes is cancelled and asks first.
#[test]
fn close_with_unsaved_changes_asks() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    h.get_by_label("Tạo phiên mới").click();
    h.run();
    type_into(&mut h, "Tên hội nghị", "Hội nghị");
    assert!(h.state().doc.as_ref().unwrap().dirty());
    h.input_mut()
        .viewports
        .entry(ViewportId::ROOT)
        .or_default()
        .events
        .push(ViewportEvent::Close);
    h.step();
    let cmds = &h.output().viewport_output[&ViewportId::ROOT].commands;
    assert!(cmds.contains(&ViewportCommand::CancelClose), "{cmds:?}");
    h.run();
    assert!(matches!(h.state().dialog, Some(Dialog::Unsaved(_))));
    h.get_by_label("Hủy").click();
    h.run();
    assert_eq!(h.state().dialog, None);
}

/// A killed session comes back: the recovery copy is written after a change and offered on
/// the next start.
#[test]
fn recovery_copy_is_offered_after_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    h.get_by_label("Tạo phiên mới").click();
    h.run();
    type_into(&mut h, "Địa danh", "Huế");
    let session = h.state().session().unwrap().clone();
    assert_eq!(session.meta.place, "Huế");
    drop(h); // the process dies without saving

    let mut h = harness(data_options(dir.path()));
    assert!(matches!(h.state().dialog, Some(Dialog::Recovery(_))));
    h.get_by_label("Khôi phục").click();
    h.run();
    assert_eq!(h.state().session(), Some(&session));
    assert!(h.state().doc.as_ref().unwrap().dirty());
}

/// Two apps open at once, each with a session never saved, keep separate recovery copies:
/// the one that crashes comes back whole on the next start, whatever the other wrote since.
#[test]
fn two_apps_keep_separate_recovery_copies() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = harness(data_options(dir.path()));
    let mut b = harness(data_options(dir.path()));
    for (h, place) in [(&mut a, "Huế"), (&mut b, "Vinh")] {
        h.get_by_label("Tạo phiên mới").click();
        h.run();
        type_into(h, "Địa danh", place);
    }
    let lost = a.state().session().unwrap().clone();
    assert_eq!(lost.meta.place, "Huế");
    drop(a); // this one dies; the other goes on typing
    type_into(&mut b, "Địa danh", " 2");

    let mut c = harness(data_options(dir.path()));
    assert!(matches!(c.state().dialog, Some(Dialog::Recovery(_))));
    c.get_by_label("Khôi phục").click();
    c.run();
    assert_eq!(c.state().session(), Some(&lost));
    drop(b);
}

/// A recovery copy newer than its file is offered when the file is opened.
#[test]
fn newer_recovery_offered_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.ron");
    let mut s = archive::from_str(include_str!("../../assets/examples/chi-bo.ron")).unwrap();
    archive::save(&file, &s).unwrap();
    s.meta.place = "Hội An".into();
    archive::save_recovery(&archive::recovery_path(Some(&file), None).unwrap(), &s).unwrap();
    let mut h = harness(Options {
        file: Some(file),
        data_dir: None,
    });
    h.get_by_label("Khôi phục").click();
    h.run();
    assert_eq!(h.state().session().unwrap().meta.place, "Hội An");
}

/// Per-criterion questions get their own named cells; text typed with combining marks is
/// stored in NFC.
#[test]
fn criteria_cells_and_nfc_typing() {
    use unicode_normalization::UnicodeNormalization;
    let mut h = harness(Options::default());
    h.get_by_label("tieu-chi.ron").click();
    h.run();
    let nfd: String = "Hội nghị Chi bộ".nfd().collect();
    h.get_by_label("Tên hội nghị").click();
    h.run();
    h.key_press_modifiers(CTRL, Key::A);
    h.get_by_label("Tên hội nghị").type_text(&nfd);
    h.run();
    assert_eq!(
        h.state().session().unwrap().meta.conference,
        "Hội nghị Chi bộ"
    );
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    let s = h.state().session().unwrap();
    let name = s.groups[0].cadres[0].name.clone();
    assert!(!s.groups[0].criteria.is_empty());
    h.get_by_label(&format!("Tín nhiệm thấp – Tiêu chí 1 – {name}"));
}

/// A recovery copy that cannot be written is reported once, not after every keystroke.
#[test]
fn recovery_write_failure_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    let not_a_dir = dir.path().join("file");
    std::fs::write(&not_a_dir, "x").unwrap();
    let mut h = harness(Options {
        file: None,
        data_dir: Some(not_a_dir),
    });
    h.get_by_label("Tạo phiên mới").click();
    h.run();
    h.get_by_label("Địa danh").click();
    h.run();
    h.get_by_label("Địa danh").type_text("H");
    h.run();
    // Written off the frame: wait for it.
    h.state_mut().flush_recovery();
    assert_eq!(h.state().errors.len(), 1);
    h.state_mut().queue(tinnhiem::edit::Edit::SetMeta(
        tinnhiem::edit::MetaField::Venue,
        "Hội trường".into(),
    ));
    h.run();
    h.state_mut().flush_recovery();
    assert_eq!(h.state().errors.len(), 1, "{:?}", h.state().errors);
    h.get_by_label("Đồng ý").click();
    h.run();
    assert!(h.state().errors.is_empty());
}

/// A final (sealed) session opens read-only: its fields cannot be typed in.
#[test]
fn final_session_is_read_only() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chot.ron");
    let mut s = archive::from_str(include_str!("../../assets/examples/chi-bo.ron")).unwrap();
    s.finalise(
        "Phạm Văn Đức",
        tinnhiem::lifecycle::Timestamp(1_700_000_000),
    )
    .unwrap();
    archive::save(&file, &s).unwrap();
    let mut h = harness(Options {
        file: Some(file),
        data_dir: None,
    });
    h.get_by_label("Địa danh").click();
    h.run();
    h.get_by_label("Địa danh").type_text("Huế");
    h.run();
    assert_eq!(h.state().session(), Some(&s));
    assert!(h.state().errors.is_empty());
}

/// The operator typed at start is remembered, and every change is logged under that name with
/// its old and new value; typing one figure is one log entry; undo is logged too.
#[test]
fn edits_are_logged_under_the_operator() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    type_into(&mut h, "Người thao tác", "Võ Thị Thu Hà");
    assert_eq!(h.state().operator, "Võ Thị Thu Hà");
    h.get_by_label("Tạo phiên mới").click();
    h.run();
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    type_into(&mut h, "Số được triệu tập", "52");
    h.key_press_modifiers(CTRL, Key::Z);
    h.run();
    let audit = &h.state().session().unwrap().audit;
    assert_eq!(audit.len(), 2, "{audit:?}");
    assert_eq!(audit[0].by, "Võ Thị Thu Hà");
    assert_eq!(
        audit[0].action,
        tinnhiem::lifecycle::Action::Edit {
            path: "groups[0].voters.summoned".into(),
            old: String::new(),
            new: "52".into(),
            label: Some(tinnhiem::text::Message::new(
                "Nhóm phiếu 1 — Số được triệu tập",
                "Ballot group 1 — Summoned"
            )),
        }
    );
    assert!(
        matches!(&audit[1].action, tinnhiem::lifecycle::Action::Edit { old, new, .. } if old == "52" && new.is_empty())
    );

    // A new app remembers the operator.
    let h2 = harness(data_options(dir.path()));
    assert_eq!(h2.state().operator, "Võ Thị Thu Hà");
}

/// Characters the minutes cannot print, typed or pasted into a field (a zero-width space from
/// a web page, a bidi mark, an emoji), never reach the session: the field keeps the rest.
#[test]
fn fields_drop_unprintable_characters() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    h.get_by_label("Tạo phiên mới").click();
    h.run();
    type_into(&mut h, "Tên hội nghị", "Hội\u{200b} nghị\u{202e} 😀");
    h.get_by_label("Địa danh").click();
    h.run();
    h.event(egui::Event::Paste("\u{feff}Huế\u{0} 4".into()));
    h.run();
    let s = &h.state().doc.as_ref().unwrap().session;
    assert_eq!(s.meta.conference, "Hội nghị");
    assert_eq!(s.meta.place, "Huế 4");
    assert!(
        !tinnhiem::validate::validate(s).contains(Code::UnprintableText),
        "{:?}",
        s.meta
    );
}

/// Light by default (office users), dark as a choice that the next start remembers.
#[test]
fn light_theme_by_default_and_dark_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = App::with_options(data_options(dir.path()));
    assert_eq!(fresh.load_theme(), egui::ThemePreference::System);
    // A system that does not say (no desktop setting known): light.
    let ctx = egui::Context::default();
    tinnhiem::app::apply_theme(&ctx, fresh.load_theme());
    assert_eq!(ctx.theme(), egui::Theme::Light);

    let mut h = harness(data_options(dir.path()));
    h.get_by_label("Xem").click();
    h.run();
    h.get_by_label("Sáng").click();
    h.run();
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
    h.get_by_label("Xem").click();
    h.run();
    h.get_by_label("Tối").click();
    h.run();
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    let again = App::with_options(data_options(dir.path()));
    assert_eq!(again.load_theme(), egui::ThemePreference::Dark);
}

/// Exempting a cadre leaves the reason empty, and an empty reason is an error (E203): it
/// goes into the minutes in the committee's words.
#[test]
fn exemption_reason_starts_empty_and_is_required() {
    let mut h = harness(Options::default());
    h.get_by_label("chi-bo.ron").click();
    h.run();
    h.get_by_label("Nhóm phiếu, cán bộ, tiêu chí").click();
    h.run();
    h.get_by_label("Không lấy phiếu – cán bộ 3").click();
    h.run();
    let s = h.state().session().unwrap();
    assert_eq!(s.groups[0].cadres[2].exemption.as_deref(), Some(""));
    assert!(tinnhiem::validate::validate(s).contains(Code::ExemptionReasonEmpty));
    type_into(
        &mut h,
        "Lý do không lấy phiếu – cán bộ 3",
        "Có thông báo nghỉ hưu",
    );
    let s = h.state().session().unwrap();
    assert!(!tinnhiem::validate::validate(s).contains(Code::ExemptionReasonEmpty));
}

/// The findings list agrees with its counter: with only cells not entered (hidden by
/// default), it says so instead of "no error".
#[test]
fn findings_list_agrees_with_the_counter() {
    let mut h = harness(Options::default());
    h.get_by_label("chi-bo.ron").click();
    h.run();
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    h.get_by_label("Không có lỗi nào.");
    let c = cell("Tín nhiệm thấp", "Đặng Ngọc Ánh");
    h.get_by_label(&c).click();
    h.run();
    h.key_press_modifiers(CTRL, Key::A);
    h.key_press(Key::Backspace);
    h.run();
    h.get_by_label("1 lỗi, 0 cảnh báo");
    assert!(h.query_by_label("Không có lỗi nào.").is_none());
    h.get_by_label("Chỉ còn các ô chưa nhập (xem ở trên).");
}
