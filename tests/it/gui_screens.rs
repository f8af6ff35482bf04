//! Every screen at the sizes office laptops have (1024×600, 1366×768): every button, field,
//! box and list the screen shows can be reached — it lies inside the window, or inside a
//! scroll area that brings it into the window. (Overlaps are looked for on screenshots: the
//! widgets' rectangles are not clipped to their scroll areas, so they cannot be compared.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use eframe::egui::{self, Rect, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use tinnhiem::app::{App, Options};

/// The app at `w`×`h` on the provincial example (the largest), with an operator.
fn sized(w: f32, h: f32) -> Harness<'static, App> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(w, h))
        .build_eframe(|cc| {
            let mut app = App::new(cc, Options::default());
            app.docs.open_viewer = false;
            app.system_dialogs = false;
            app
        });
    harness.run();
    harness.get_by_label("tinh-uy.ron").click();
    harness.run();
    harness
}

fn interactive(role: Role) -> bool {
    matches!(
        role,
        Role::Button
            | Role::CheckBox
            | Role::TextInput
            | Role::MultilineTextInput
            | Role::ComboBox
            | Role::RadioButton
            | Role::Link
            | Role::SpinButton
            | Role::Slider
            | Role::Tab
    )
}

/// The interactive widgets now shown: (role, label, rect).
fn widgets(h: &Harness<'static, App>) -> Vec<(Role, String, Rect)> {
    h.query_all(By::new().predicate(|n| interactive(n.role())))
        .map(|n| {
            let a = n.accesskit_node();
            (a.role(), a.label().unwrap_or_default(), n.rect())
        })
        .collect()
}

/// Brings each widget into view the way a person would (its scroll areas scrolled) and
/// checks it lies inside the window; returns the ones that cannot be reached.
fn unreachable(h: &mut Harness<'static, App>, w: f32, height: f32) -> Vec<String> {
    let window = Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w, height)).expand(1.0);
    let mut bad = Vec::new();
    let count = widgets(h).len();
    for i in 0..count {
        let nodes: Vec<_> = h
            .query_all(By::new().predicate(|n| interactive(n.role())))
            .collect();
        let Some(node) = nodes.get(i) else { break };
        node.scroll_to_me();
        h.run();
        let now = widgets(h);
        let Some((role, label, rect)) = now.get(i) else {
            break;
        };
        if !window.contains_rect(*rect) {
            bad.push(format!("{role:?} \"{label}\" at {rect:?}"));
        }
    }
    bad
}

/// Every screen and tab, at both sizes.
fn check_size(w: f32, height: f32) {
    let screens: [&[&str]; 7] = [
        &["1. Thiết lập", "Biên bản và thành phần"],
        &["1. Thiết lập", "Nhóm phiếu, cán bộ, tiêu chí"],
        &["2. Nhập số liệu"],
        &["3. Kết quả"],
        &["Nhập từng phiếu"],
        &["Trình chiếu"],
        &[],
    ];
    let mut failures = Vec::new();
    for path in screens {
        let mut h = sized(w, height);
        for step in path {
            h.get_by_label(step).click();
            h.run();
        }
        let name = path.join(" › ");
        for f in unreachable(&mut h, w, height) {
            failures.push(format!("{w}×{height} {name}: unreachable {f}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// 1024×600, the small office laptop.
#[test]
fn every_screen_fits_1024x600() {
    check_size(1024.0, 600.0);
}

/// 1366×768, the usual office laptop.
#[test]
fn every_screen_fits_1366x768() {
    check_size(1366.0, 768.0);
}

/// The presentation scales its type so that every cadre of the group is on the screen, on a
/// small laptop and on a 1024×768 projector: the last cadre's line lies inside the window.
#[test]
fn presentation_fits_the_screen() {
    for (w, height) in [(1024.0, 600.0), (1024.0, 768.0), (1366.0, 768.0)] {
        let mut h = sized(w, height);
        h.get_by_label("Trình chiếu").click();
        h.run();
        let window = Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w, height));
        for name in ["1. Hoàng Minh Tuấn", "15. Mai Xuân Trường"] {
            let r = h.get_by_label(name).rect();
            assert!(window.contains_rect(r), "{w}×{height}: {name} at {r:?}");
        }
        h.get_by_label_contains("Esc: thoát trình chiếu");
    }
}

/// The ballot of 12 cadres on the ballot screen at `w`×`height`, `sheets` sheets counted of
/// 14 (each all "tín nhiệm cao"), with or without double entry (its bar takes a row).
fn ballot_screen(w: f32, height: f32, double_entry: bool, sheets: usize) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(w, height))
        .build_eframe(|cc| {
            let mut app = App::new(cc, Options::default());
            app.system_dialogs = false;
            app
        });
    let mut s = crate::common::gui::twelve_cadres(14);
    s.double_entry = double_entry;
    h.state_mut().operator = "Phạm Văn Đức".into();
    h.state_mut().open_session(s);
    h.run();
    h.get_by_label("Nhập từng phiếu").click();
    h.run();
    for _ in 0..sheets {
        for _ in 0..12 {
            h.key_press(egui::Key::Num1);
        }
        h.key_press(egui::Key::Enter);
        h.run();
    }
    h
}

/// A whole ballot of 12 lines is in view at 1024×600 and 1366×768 (before: 3 to 5 lines at
/// 1024×600), during the count and once every sheet is counted, with double entry's bar or
/// without: every line lies between the column titles and the buttons, inside the window.
#[test]
fn a_ballot_of_twelve_lines_is_whole_in_view() {
    let names = crate::common::gui::TWELVE;
    let mut failures = Vec::new();
    for (w, height) in [(1024.0, 600.0), (1366.0, 768.0)] {
        for double_entry in [false, true] {
            for sheets in [0, 14] {
                let h = ballot_screen(w, height, double_entry, sheets);
                let case = format!("{w}×{height}, double entry {double_entry}, {sheets} sheets");
                let saved = "Đã lưu số liệu đếm: 14 tờ (14 hợp lệ, 0 không hợp lệ)";
                if sheets == 14 && h.query_by_label(saved).is_none() {
                    failures.push(format!("{case}: no \"{saved}\""));
                }
                let window = Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w, height));
                let top = h.get_by_label("Họ tên").rect().bottom();
                let bottom = h.get_by_label("Xác nhận phiếu (Enter)").rect().top();
                for name in names {
                    match h.query_by_label(name).map(|n| n.rect()) {
                        Some(r)
                            if window.contains_rect(r)
                                && r.top() >= top
                                && r.bottom() <= bottom => {}
                        r => failures.push(format!(
                            "{case}: {name} at {r:?}, lines from {top} to {bottom}"
                        )),
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
