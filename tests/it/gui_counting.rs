//! Counting in the desktop app, headless (egui_kittest): ballot by ballot, blind double entry,
//! the presentation view.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::gui::{cell, data_options, harness, tall_harness, type_into};
use eframe::egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tinnhiem::app::{App, Screen};
use tinnhiem::archive;
use tinnhiem::counting::EntryStage;
use tinnhiem::model::{Counts, Level, Session};
use tinnhiem::validate::Code;

fn example() -> Session {
    archive::from_str(include_str!("../../assets/examples/chi-bo.ron")).unwrap()
}

/// The example with no counts, 20 ballots collected, double entry off.
fn blank(collected: u32) -> Session {
    let mut s = example();
    s.double_entry = false;
    let g = &mut s.groups[0];
    for c in &mut g.cadres {
        c.overall = Counts::default();
    }
    g.voters.summoned = Some(collected);
    g.voters.present = Some(collected);
    g.voters.issued = Some(collected);
    g.voters.collected = Some(collected);
    g.voters.void_sheets = None;
    s
}

fn open(h: &mut Harness<'static, App>, s: Session, operator: &str) {
    h.state_mut().operator = operator.to_owned();
    h.state_mut().open_session(s);
    h.run();
}

fn press(h: &mut Harness<'static, App>, key: Key) {
    h.key_press(key);
    h.run();
}

/// Ballot `k` of the 20: one key per cadre, or `None` for a void sheet.
fn ballot(k: usize) -> Option<[Key; 3]> {
    let keys = [Key::Num1, Key::Num2, Key::Num3, Key::Num0];
    if k == 5 || k == 13 {
        return None;
    }
    Some([keys[k % 3], keys[(k / 3) % 3], keys[(k * 7) % 4]])
}

fn type_ballot(h: &mut Harness<'static, App>, k: usize) {
    match ballot(k) {
        Some(keys) => {
            for key in keys {
                press(h, key);
            }
            press(h, Key::Enter);
        }
        None => {
            press(h, Key::V);
            press(h, Key::Enter);
        }
    }
}

/// The app on the ballot screen of `s`, with an operator.
fn on_ballot_screen(dir: &std::path::Path, s: Session) -> Harness<'static, App> {
    let mut h = harness(data_options(dir));
    open(&mut h, s, "Phạm Văn Đức");
    h.get_by_label("Nhập từng phiếu").click();
    h.run();
    h
}

/// 7 "tín nhiệm cao" for the second cadre, typed in the grid.
fn seven_for_second_cadre() -> tinnhiem::edit::Edit {
    tinnhiem::edit::Edit::SetCount {
        group: 0,
        cadre: 1,
        question: tinnhiem::edit::Question::Overall,
        level: Level::High,
        value: Some(7),
    }
}

/// Ends an entry: the button, then its confirmation (nothing happens before it).
fn finish_entry(h: &mut Harness<'static, App>, button: &str) {
    let before = h.state().session().unwrap().groups[0].entry.clone();
    h.get_by_label(button).click();
    h.run();
    assert_eq!(
        h.state().session().unwrap().groups[0].entry,
        before,
        "asked first"
    );
    h.get_by_label("Đồng ý, kết thúc lần nhập").click();
    h.run();
}

/// Whether the widget named `label` is disabled (greyed out, not clickable).
fn disabled(h: &Harness<'static, App>, label: &str) -> bool {
    use egui_kittest::kittest::NodeT as _;
    h.get_by_label(label).accesskit_node().is_disabled()
}

fn group(h: &Harness<'static, App>) -> tinnhiem::model::BallotGroup {
    h.state().session().unwrap().groups[0].clone()
}

/// 20 ballots typed with the keyboard give the same counts as the same totals typed in the
/// grid.
#[test]
fn twenty_ballots_equal_the_grid() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = on_ballot_screen(dir.path(), blank(20));
    assert_eq!(h.state().screen, Screen::Ballot);
    for k in 0..20 {
        type_ballot(&mut h, k);
    }
    let mut by_ballot = group(&h);
    assert_eq!(
        by_ballot.ballot_count,
        Some(20),
        "every collected sheet counted"
    );
    // The grid holds the same figures; it has no count to end.
    by_ballot.ballot_count = None;
    // The last sheet says the count is saved (the figures are in the session already).
    h.get_by_label("Đã lưu số liệu đếm: 20 tờ (18 hợp lệ, 2 không hợp lệ)");

    // The expected totals, counted here independently of the app.
    let mut expected = [[0u32; 3]; 3];
    for k in 0..20 {
        if let Some(keys) = ballot(k) {
            for (c, key) in keys.iter().enumerate() {
                let slot = match key {
                    Key::Num1 => Some(0),
                    Key::Num2 => Some(1),
                    Key::Num3 => Some(2),
                    _ => None,
                };
                if let Some(s) = slot {
                    expected[c][s] += 1;
                }
            }
        }
    }
    for (c, e) in by_ballot.cadres.iter().zip(expected) {
        assert_eq!(
            c.overall,
            Counts {
                high: Some(e[0]),
                medium: Some(e[1]),
                low: Some(e[2])
            },
            "{}",
            c.name
        );
    }
    assert_eq!(by_ballot.voters.void_sheets, Some(2));

    // The same totals typed in the grid of a second app.
    let dir2 = tempfile::tempdir().unwrap();
    let mut g = harness(data_options(dir2.path()));
    open(&mut g, blank(20), "Phạm Văn Đức");
    g.get_by_label("2. Nhập số liệu").click();
    g.run();
    type_into(&mut g, "Số phiếu không hợp lệ (cả tờ)", "2");
    for (c, e) in by_ballot.cadres.iter().zip(expected) {
        for (level, n) in Level::ALL.iter().zip(e) {
            type_into(&mut g, &cell(level.label().vi, &c.name), &n.to_string());
        }
    }
    assert_eq!(group(&g), by_ballot);
    // Only the totals reach the archive: the saved text has no trace of single ballots.
    let text = archive::to_string(h.state().session().unwrap()).unwrap();
    let mut saved = archive::from_str(&text).unwrap().groups[0].clone();
    assert_eq!(saved.ballot_count, Some(20));
    saved.ballot_count = None;
    assert!(saved == by_ballot);
}

/// Backspace takes back ballots one by one, newest first; V marks a whole sheet void and
/// only Enter counts it, like any sheet.
#[test]
fn backspace_undoes_ballots_and_v_voids_on_enter() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = on_ballot_screen(dir.path(), blank(20));
    for k in 0..3 {
        type_ballot(&mut h, k);
    }
    let three = group(&h);
    type_ballot(&mut h, 3);
    let before = group(&h);
    for key in [Key::Num3, Key::Num3, Key::Num3, Key::Enter] {
        press(&mut h, key);
    }
    assert_eq!(
        group(&h).cadres[0].overall.low,
        before.cadres[0].overall.low.map(|n| n + 1)
    );
    press(&mut h, Key::Backspace);
    assert_eq!(group(&h), before);
    press(&mut h, Key::Backspace);
    assert_eq!(
        group(&h),
        three,
        "a second Backspace takes back the ballot before"
    );
    assert_eq!(h.state().ballot.counter().unwrap().sheets_entered(), 3);

    press(&mut h, Key::V);
    assert_eq!(group(&h), three, "V alone counts nothing");
    h.get_by_label_contains("TỜ PHIẾU NÀY KHÔNG HỢP LỆ");
    press(&mut h, Key::Enter);
    let voided = group(&h);
    assert_eq!(
        voided.voters.void_sheets,
        three.voters.void_sheets.map(|n| n + 1)
    );
    for (a, b) in voided.cadres.iter().zip(&three.cadres) {
        assert_eq!(a.overall, b.overall, "a void sheet counts for no cadre");
    }
    h.get_by_label_contains("Đã nhập 4 tờ (3 hợp lệ, 1 không hợp lệ)");
    // The Enter that confirmed the void sheet added no empty one.
    assert_eq!(h.state().ballot.counter().unwrap().sheets_entered(), 4);
}

/// A group that already has counts asks before a fresh count replaces them.
#[test]
fn fresh_count_is_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    let mut s = example();
    s.double_entry = false;
    open(&mut h, s, "Phạm Văn Đức");
    h.get_by_label("Nhập từng phiếu").click();
    h.run();
    press(&mut h, Key::Num1);
    press(&mut h, Key::Enter);
    assert_eq!(
        group(&h),
        example().groups[0],
        "nothing counted before the answer"
    );
    h.get_by_label("Đếm mới từ 0").click();
    h.run();
    press(&mut h, Key::V);
    press(&mut h, Key::Enter);
    let g = group(&h);
    assert_eq!(g.voters.void_sheets, Some(1));
    assert_eq!(g.cadres[0].overall.high, Some(0));
}

/// Types the example's counts in the grid, with `low` for the third cadre's low count.
fn type_second_entry(h: &mut Harness<'static, App>, low: u32) {
    let original = example().groups[0].clone();
    type_into(h, "Số phiếu không hợp lệ (cả tờ)", "0");
    for (i, c) in original.cadres.iter().enumerate() {
        for level in Level::ALL {
            let mut n = c.overall.get(level).unwrap();
            if i == 2 && level == Level::Low {
                n = low;
            }
            type_into(h, &cell(level.label().vi, &c.name), &n.to_string());
        }
    }
}

/// A second entry differing in one cell shows exactly that cell; settling it on the second
/// value gives that value, and the group is agreed and locked.
#[test]
fn second_entry_differences_are_settled() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    let mut s = example();
    s.double_entry = true;
    open(&mut h, s, "Người A");
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    h.get_by_label_contains("Lần nhập 1");
    finish_entry(&mut h, "Xong lần nhập thứ nhất");
    h.run();
    assert!(matches!(group(&h).entry, EntryStage::SecondEntry { .. }));
    assert!(group(&h).cadres.iter().all(|c| c.overall.is_empty()));
    h.get_by_label_contains("lần 1 do Người A nhập (đang ẩn)");

    h.state_mut().operator = "Người B".into();
    type_second_entry(&mut h, 2);
    finish_entry(&mut h, "Xong lần nhập thứ hai");
    h.run();
    let EntryStage::Differences { cells, .. } = group(&h).entry else {
        panic!("expected differences, got {:?}", group(&h).entry);
    };
    assert_eq!(cells.len(), 1);
    assert_eq!(
        cells[0].cell.path(0).to_string(),
        "groups[0].cadres[2].overall.low"
    );
    // Exactly that cell in the table: one row of buttons, with both values.
    assert_eq!(h.query_all_by_label_contains("Lấy lần 1").count(), 1);
    h.get_by_label("Lấy lần 1: 1");
    h.get_by_label("Đặng Ngọc Ánh");
    h.get_by_label("Lấy lần 2: 2").click();
    h.run();
    h.get_by_label("Thống nhất").click();
    h.run();
    let g = group(&h);
    assert_eq!(g.entry, EntryStage::Agreed);
    assert_eq!(g.cadres[2].overall.low, Some(2));
    assert!(h.state().doc.as_ref().unwrap().dirty());

    // Agreed counts are locked, in the grid and in the edit path.
    h.state_mut().queue(tinnhiem::edit::Edit::SetCount {
        group: 0,
        cadre: 2,
        question: tinnhiem::edit::Question::Overall,
        level: Level::Low,
        value: Some(5),
    });
    h.run();
    assert_eq!(group(&h).cadres[2].overall.low, Some(2));
    assert!(
        h.state()
            .errors
            .iter()
            .any(|m| m.vi.contains("không sửa số liệu được")),
        "{:?}",
        h.state().errors
    );
}

/// The same operator cannot make both entries.
#[test]
fn same_operator_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    let mut s = example();
    s.double_entry = true;
    open(&mut h, s, "Người A");
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    finish_entry(&mut h, "Xong lần nhập thứ nhất");
    h.run();
    type_second_entry(&mut h, 1);
    finish_entry(&mut h, "Xong lần nhập thứ hai");
    h.run();
    assert!(matches!(group(&h).entry, EntryStage::SecondEntry { .. }));
    h.get_by_label_contains("lần nhập thứ hai phải do người khác thực hiện");
}

/// The presentation shows the percentages full screen, and Esc leaves it.
#[test]
fn presentation_shows_percentages() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    open(&mut h, example(), "Người A");
    h.get_by_label("Trình chiếu").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Present);
    // 5 of 7 valid sheets: 71,43 %.
    h.get_by_label_contains("71,43");
    h.get_by_label("Kết quả chưa chốt (chưa niêm phong)");
    // Each cadre with its STT, name and the three shares, the band by name.
    h.get_by_label("1. Trần Thị Hồng Nhung");
    press(&mut h, Key::T);
    assert!(h.state().present.light, "T switches to black on white");
    press(&mut h, Key::T);
    assert!(!h.state().present.light);
    press(&mut h, Key::Escape);
    assert_eq!(h.state().screen, Screen::Results);
}

/// The presentation pages through the ballot groups with ← → and says which it shows.
#[test]
fn presentation_pages_through_groups() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    let mut s = example();
    let mut second = s.groups[0].clone();
    second.name = "Ban Thường vụ".into();
    s.groups.push(second);
    open(&mut h, s, "Người A");
    h.get_by_label("Trình chiếu").click();
    h.run();
    h.get_by_label_contains("nhóm 1/2");
    press(&mut h, Key::ArrowRight);
    assert_eq!(h.state().group, 1);
    h.get_by_label_contains("Ban Thường vụ (nhóm 2/2");
    press(&mut h, Key::ArrowRight);
    assert_eq!(h.state().group, 1, "no group past the last");
    press(&mut h, Key::PageUp);
    assert_eq!(h.state().group, 0);
}

/// The per-criterion example: three cadres, five criteria, nine ballots.
fn criteria_example() -> Session {
    archive::from_str(include_str!("../../assets/examples/tieu-chi.ron")).unwrap()
}

/// The per-criterion example with no counts.
fn criteria_blank(double_entry: bool) -> Session {
    let mut s = criteria_example();
    s.double_entry = double_entry;
    let g = &mut s.groups[0];
    for c in &mut g.cadres {
        c.set_questions(&[]);
    }
    g.voters.void_sheets = None;
    s
}

/// The key of ballot `k` on a line whose totals are `c`: the first `high` ballots tick
/// "cao", the next `medium` "tín nhiệm", then `low` "thấp", the rest leave the line invalid.
fn line_key(c: Counts, k: u32) -> Key {
    let (high, medium, low) = c.complete().unwrap();
    if k < high {
        Key::Num1
    } else if k < high + medium {
        Key::Num2
    } else if k < high + medium + low {
        Key::Num3
    } else {
        Key::Num0
    }
}

/// Types the nine ballots that give the example's counts, every question of every cadre,
/// in the printed order (each cadre's overall line, then its criteria).
fn type_criteria_ballots(h: &mut Harness<'static, App>, expected: &tinnhiem::model::BallotGroup) {
    let sheets = expected.voters.collected.unwrap();
    for k in 0..sheets {
        for c in &expected.cadres {
            for q in c.questions() {
                press(h, line_key(q, k));
            }
        }
        press(h, Key::Enter);
    }
}

/// With criteria, the ballot screen shows each criterion line under each cadre; nine ballots
/// typed with the keyboard give every question's totals of the example; Backspace takes back
/// exactly the last ballot, on every line.
#[test]
fn ballots_with_criteria() {
    let expected = criteria_example().groups[0].clone();
    let dir = tempfile::tempdir().unwrap();
    // Tall enough for all 18 lines: only the lines in sight are laid out.
    let mut h = tall_harness(data_options(dir.path()), 2400.0);
    open(&mut h, criteria_blank(false), "Dương Minh Khoa");
    h.get_by_label("Nhập từng phiếu").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Ballot);
    let lines = 3 * (1 + expected.criteria.len());
    assert_eq!(h.state().ballot.counter().unwrap().lines().len(), lines);
    for k in &expected.criteria {
        let label = format!("– Tiêu chí: {}", k.name);
        assert_eq!(h.query_all_by_label_contains(&label).count(), 3, "{label}");
    }
    assert_eq!(h.query_all_by_label_contains("· đánh giá chung").count(), 3);

    // A criterion added before the first ballot is confirmed: the count starts on the new
    // lines; removed again, back to the old ones.
    h.state_mut().queue(tinnhiem::edit::Edit::AddCriterion {
        group: 0,
        name: "Tiêu chí thêm".into(),
    });
    // The edit is applied at the end of a frame; the screen sees it on the next.
    h.run();
    h.run();
    assert_eq!(h.state().ballot.counter().unwrap().lines().len(), lines + 3);
    h.state_mut().queue(tinnhiem::edit::Edit::RemoveCriterion {
        group: 0,
        index: expected.criteria.len(),
    });
    h.run();
    h.run();
    assert_eq!(h.state().ballot.counter().unwrap().lines().len(), lines);

    type_criteria_ballots(&mut h, &expected);
    h.get_by_label("Đã lưu số liệu đếm: 9 tờ (9 hợp lệ, 0 không hợp lệ)");
    assert_eq!(group(&h).cadres, expected.cadres);
    assert_eq!(group(&h).voters, expected.voters);

    // One more ballot: "thấp" on every line, then taken back.
    for _ in 0..lines {
        press(&mut h, Key::Num3);
    }
    press(&mut h, Key::Enter);
    let extra = group(&h);
    for (a, b) in extra.cadres.iter().zip(&expected.cadres) {
        for (qa, qb) in a.questions().iter().zip(b.questions()) {
            assert_eq!(qa.low, qb.low.map(|n| n + 1), "{}", a.name);
            assert_eq!((qa.high, qa.medium), (qb.high, qb.medium), "{}", a.name);
        }
    }
    press(&mut h, Key::Backspace);
    assert_eq!(group(&h).cadres, expected.cadres);
    assert_eq!(h.state().ballot.counter().unwrap().sheets_entered(), 9);
}

/// Double entry made ballot by ballot with criteria: both operators count the same nine
/// ballots on the ballot screen, and the two entries agree on every question.
#[test]
fn double_entry_ballot_by_ballot_with_criteria() {
    let expected = criteria_example().groups[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    open(&mut h, criteria_blank(true), "Người A");
    h.get_by_label("Nhập từng phiếu").click();
    h.run();
    type_criteria_ballots(&mut h, &expected);
    finish_entry(&mut h, "Xong lần nhập thứ nhất");
    h.run();
    assert!(matches!(group(&h).entry, EntryStage::SecondEntry { .. }));
    assert!(
        group(&h)
            .cadres
            .iter()
            .all(|c| c.questions().iter().all(Counts::is_empty))
    );

    // The ballot screen starts afresh for the second operator.
    h.state_mut().operator = "Người B".into();
    assert_eq!(h.state().ballot.counter().unwrap().sheets_entered(), 0);
    h.get_by_label("Phiếu thứ 1");
    type_criteria_ballots(&mut h, &expected);
    finish_entry(&mut h, "Xong lần nhập thứ hai");
    h.run();
    let g = group(&h);
    assert_eq!(g.entry, EntryStage::Agreed);
    assert_eq!(g.cadres, expected.cadres);
}

/// Counts typed in the grid while a count has written nothing yet are not replaced without
/// asking: back on the ballot screen, the question comes first.
#[test]
fn counts_typed_meanwhile_are_asked_about() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = on_ballot_screen(dir.path(), blank(20));
    assert!(
        h.state().ballot.counter().is_some(),
        "an empty group starts at once"
    );
    h.state_mut().queue(seven_for_second_cadre());
    h.run();
    h.run();
    h.get_by_label("Đếm mới từ 0");
    press(&mut h, Key::Num1);
    press(&mut h, Key::Enter);
    assert_eq!(
        group(&h).cadres[1].overall.high,
        Some(7),
        "nothing replaced"
    );

    // The same with the ballot changed as well (a cadre moved): still asked first.
    let mut h = on_ballot_screen(dir.path(), blank(20));
    h.state_mut().queue(seven_for_second_cadre());
    h.state_mut().queue(tinnhiem::edit::Edit::MoveCadre {
        group: 0,
        from: 1,
        to: 2,
    });
    h.run();
    h.run();
    h.get_by_label("Đếm mới từ 0");
    press(&mut h, Key::Enter);
    assert_eq!(
        group(&h).cadres[2].overall.high,
        Some(7),
        "nothing replaced"
    );
}

/// A cadre moved in the setup during a count: before the first ballot the count starts
/// again on the new order; after it, the screen stops and says the ballot changed, so no
/// mark read from paper goes to the wrong cadre. A name corrected in place does not stop it.
#[test]
fn cadre_moved_during_a_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = on_ballot_screen(dir.path(), blank(20));
    press(&mut h, Key::Num1);
    let moved = tinnhiem::edit::Edit::MoveCadre {
        group: 0,
        from: 0,
        to: 1,
    };
    h.state_mut().queue(moved.clone());
    h.run();
    h.run();
    let counter = h.state().ballot.counter().unwrap();
    assert_eq!(counter.cursor(), 0, "the count started again");
    assert!(counter.current_marks().iter().all(Option::is_none));

    // A typo corrected after a ballot: the count goes on.
    press(&mut h, Key::Num2);
    press(&mut h, Key::Enter);
    h.state_mut().queue(tinnhiem::edit::Edit::RenameCadre {
        group: 0,
        cadre: 0,
        name: "Tên Đã Sửa".into(),
    });
    h.run();
    h.run();
    press(&mut h, Key::Num1);
    press(&mut h, Key::Enter);
    assert_eq!(h.state().ballot.counter().unwrap().sheets_entered(), 2);
    let first = group(&h).cadres[0].overall;
    assert_eq!((first.high, first.medium), (Some(1), Some(1)));
    h.state_mut().open_session(blank(20));
    h.run();
    h.get_by_label("Nhập từng phiếu").click();
    h.run();

    // Two ballots with equal marks for the first two cadres, then a move.
    for _ in 0..2 {
        for key in [Key::Num1, Key::Num1, Key::Num2] {
            press(&mut h, key);
        }
        press(&mut h, Key::Enter);
    }
    h.state_mut().queue(moved);
    h.run();
    h.run();
    h.get_by_label_contains("Danh sách cán bộ hoặc tiêu chí của nhóm đã thay đổi");
    let before = group(&h);
    press(&mut h, Key::Num3);
    press(&mut h, Key::Enter);
    assert_eq!(group(&h), before, "no ballot goes to a moved cadre");
}

/// After 4 of 24 ballots the count is not complete: every screen says so, the session has an
/// error (E130) and cannot be finalised; ending early needs a reason, which the log keeps, and
/// then the figures are the grid's to complete.
#[test]
fn an_unfinished_count_blocks_finalising_until_ended() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = on_ballot_screen(dir.path(), blank(24));
    for k in 0..4 {
        type_ballot(&mut h, k);
    }
    assert_eq!(group(&h).ballot_count, Some(4));
    let notice = "Đang đếm từng phiếu (Chi ủy Chi bộ): 4/24";
    for screen in [
        "1. Thiết lập",
        "2. Nhập số liệu",
        "3. Kết quả",
        "Nhập từng phiếu",
    ] {
        h.get_by_label(screen).click();
        h.run();
        h.get_by_label(notice);
    }
    let s = h.state().session().unwrap();
    assert!(tinnhiem::validate::validate(s).contains(Code::BallotCountUnderway));
    assert!(disabled(&h, "Chốt kết quả"));

    // Ending early is refused without a reason: the button waits for one.
    h.get_by_label("Kết thúc đếm sớm…").click();
    h.run();
    assert!(disabled(
        &h,
        "Kết thúc đếm sớm (sau đó nhập số liệu theo giấy)"
    ));
    type_into(&mut h, "Lý do kết thúc đếm sớm", "Đếm tiếp trên giấy");
    h.get_by_label("Kết thúc đếm sớm (sau đó nhập số liệu theo giấy)")
        .click();
    h.run();
    let s = h.state().session().unwrap();
    assert_eq!(s.groups[0].ballot_count, None);
    assert!(!tinnhiem::validate::validate(s).contains(Code::BallotCountUnderway));
    assert!(h.query_by_label(notice).is_none());
    h.get_by_label("Đã lưu số liệu đếm: 4 tờ (4 hợp lệ, 0 không hợp lệ)");
    h.get_by_label_contains("Đã kết thúc đếm sớm");
    h.get_by_label("Quay lại bảng nhập số liệu");
    let last = s.audit.last().unwrap().describe(tinnhiem::text::Lang::Vi);
    assert!(
        last.contains("sau 4 tờ; lý do: Đếm tiếp trên giấy"),
        "{last}"
    );
}

/// A count of every collected sheet is complete: no error, and the last sheet says the count
/// is saved (before: the figures only, and after ending, the question whether to count
/// afresh). It ends without a reason; the screen then still says it is saved, takes no more
/// keys, and offers the results or a recount; counts changed elsewhere bring the question back.
#[test]
fn a_complete_count_ends_without_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = on_ballot_screen(dir.path(), blank(3));
    for k in 0..3 {
        type_ballot(&mut h, k);
    }
    let s = h.state().session().unwrap();
    assert_eq!(s.groups[0].ballot_count, Some(3));
    assert!(!tinnhiem::validate::validate(s).contains(Code::BallotCountUnderway));
    let saved = "Đã lưu số liệu đếm: 3 tờ (3 hợp lệ, 0 không hợp lệ)";
    h.get_by_label(saved);
    let question = "Bắt đầu đếm mới từ 0?";
    assert!(h.query_by_label_contains(question).is_none());
    h.get_by_label("Đã đếm đủ 3 tờ: kết thúc đếm").click();
    h.run();
    let after = group(&h);
    assert_eq!(after.ballot_count, None);
    h.get_by_label(saved);
    h.get_by_label("Đã kết thúc đếm từng phiếu (ghi vào nhật ký).");
    assert!(h.query_by_label_contains(question).is_none());
    press(&mut h, Key::Num1);
    press(&mut h, Key::Enter);
    assert_eq!(group(&h), after, "an ended count takes no keys");

    h.get_by_label("Xem kết quả").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Results);
    h.get_by_label("Nhập từng phiếu").click();
    h.run();
    h.get_by_label(saved);
    h.get_by_label("Đếm lại từ 0").click();
    h.run();
    assert_eq!(h.state().ballot.counter().unwrap().sheets_entered(), 0);
    assert_eq!(
        group(&h),
        after,
        "nothing replaced before a sheet is confirmed"
    );

    // Counts typed in the grid after the count ended: the question comes back.
    let mut h = on_ballot_screen(dir.path(), blank(3));
    for k in 0..3 {
        type_ballot(&mut h, k);
    }
    h.get_by_label("Đã đếm đủ 3 tờ: kết thúc đếm").click();
    h.run();
    h.state_mut().queue(seven_for_second_cadre());
    h.run();
    h.run();
    h.get_by_label_contains(question);
    assert!(h.query_by_label(saved).is_none());
}

/// With double entry required, "Chốt kết quả" stays disabled during the first entry and says
/// why; the core refuses too.
#[test]
fn double_entry_must_agree_before_finalising() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    let mut s = example();
    s.double_entry = true;
    open(&mut h, s, "Phạm Văn Đức");
    assert!(
        !tinnhiem::validate::validate(h.state().session().unwrap()).has_errors(),
        "the example is valid"
    );
    assert!(disabled(&h, "Chốt kết quả"));
    let mut s = h.state().session().unwrap().clone();
    assert!(matches!(
        s.finalise("Phạm Văn Đức", tinnhiem::lifecycle::Timestamp(1)),
        Err(tinnhiem::lifecycle::TransitionError::EntryNotAgreed(1))
    ));
}

/// A count whose counter is gone (the file reopened: only the mark stays in the session) is
/// still ended from the top bar, with a reason: E130 never gets stuck.
#[test]
fn an_unfinished_count_ends_from_the_top_bar() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = blank(24);
    s.groups[0].ballot_count = Some(4);
    let mut h = harness(data_options(dir.path()));
    open(&mut h, s, "Phạm Văn Đức");
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    h.get_by_label("Đang đếm từng phiếu (Chi ủy Chi bộ): 4/24");
    h.get_by_label("Kết thúc đếm…").click();
    h.run();
    type_into(
        &mut h,
        "Lý do kết thúc đếm sớm",
        "Mất điện, đếm tiếp trên giấy",
    );
    h.get_all_by_label("Kết thúc đếm…").last().unwrap().click();
    h.run();
    let s = h.state().session().unwrap();
    assert_eq!(s.groups[0].ballot_count, None);
    assert!(
        h.query_by_label("Đang đếm từng phiếu (Chi ủy Chi bộ): 4/24")
            .is_none()
    );
    let last = s.audit.last().unwrap().describe(tinnhiem::text::Lang::Vi);
    assert!(
        last.contains("lý do: Mất điện, đếm tiếp trên giấy"),
        "{last}"
    );
}

/// A count under way in the archive (here: 4 sheets the scanner read, issue 23) goes on where
/// it stands on the ballot screen: the sheets typed next add to it, nothing is asked, nothing
/// is replaced.
#[test]
fn a_count_from_the_scanner_goes_on_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = blank(6);
    let g = &mut s.groups[0];
    g.ballot_count = Some(4);
    g.voters.void_sheets = Some(1);
    g.scan.sheets = 4;
    for (c, [h, m, l]) in g.cadres.iter_mut().zip([[3, 0, 0], [1, 1, 1], [0, 0, 2]]) {
        c.overall = Counts {
            high: Some(h),
            medium: Some(m),
            low: Some(l),
        };
    }
    let mut h = on_ballot_screen(dir.path(), s);
    assert!(h.query_by_label("Đếm mới từ 0").is_none());
    assert_eq!(
        h.state().ballot.counter().map(|k| k.sheets_entered()),
        Some(4)
    );
    for key in [Key::Num1, Key::Num2, Key::Num0, Key::Enter] {
        press(&mut h, key);
    }
    let g = group(&h);
    assert_eq!(g.ballot_count, Some(5));
    assert_eq!(g.voters.void_sheets, Some(1));
    assert_eq!(g.cadres[0].overall.high, Some(4));
    assert_eq!(g.cadres[1].overall.medium, Some(2));
    assert_eq!(
        g.cadres[2].overall,
        Counts {
            high: Some(0),
            medium: Some(0),
            low: Some(2)
        }
    );
}
