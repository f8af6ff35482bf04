//! What the screens say and how they fit (issue 21 §4), headless (egui_kittest): errors in
//! the chosen language and in words, one save state, where a file is when no viewer opens it,
//! the chart's legend and tooltip, the presentation's whole figures, the double entry's
//! differences and the findings at 1024×600.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::gui::{data_options, harness};
use eframe::egui::{self, Rect, accesskit::Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{By, NodeT as _, Queryable as _};
use tinnhiem::app::{App, Options, SaveState, Screen};
use tinnhiem::archive;
use tinnhiem::model::{Counts, Session};
use tinnhiem::text::{Lang, Message};

/// The app at `w`×`h`, no viewer started, tinnhiem's own file dialog.
fn sized(w: f32, h: f32, options: Options) -> Harness<'static, App> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(w, h))
        .build_eframe(move |cc| {
            let mut app = App::new(cc, options.clone());
            app.autosave_delay = std::time::Duration::ZERO;
            app.docs.open_viewer = false;
            app.system_dialogs = false;
            app
        });
    harness.run();
    harness
}

fn example(name: &str) -> Session {
    let text = std::fs::read_to_string(format!("assets/examples/{name}")).unwrap();
    archive::from_str(&text).unwrap()
}

/// Whether the label `text` is shown cut ("100,0…"): egui then shows the whole text in a
/// tooltip when the label is hovered, so hovering makes a second node with that text.
fn elided(h: &mut Harness<'static, App>, text: &str) -> bool {
    let before = h.query_all_by_label(text).count();
    assert!(before > 0, "no label {text:?}");
    h.get_all_by_label(text).next().unwrap().hover();
    for _ in 0..3 {
        h.run();
    }
    let after = h.query_all_by_label(text).count();
    // Away again, so that the tooltip goes.
    h.event(egui::Event::PointerGone);
    h.run();
    after > before
}

/// Every text now shown (a label's text is its accesskit value, a widget's its label).
fn labels(h: &Harness<'static, App>) -> Vec<String> {
    let text = |n: &egui_kittest::kittest::AccessKitNode<'_>| {
        if n.role() == Role::Label {
            n.value()
        } else {
            n.label()
        }
    };
    h.query_all(By::new().predicate(move |n| text(n).is_some()))
        .map(|n| text(&n.accesskit_node()).unwrap_or_default())
        .collect()
}

/// Every message of the app's error list, both languages: none has the system's words.
fn assert_in_words(errors: &[Message]) {
    for m in errors {
        for text in [&m.vi, &m.en] {
            assert!(
                !text.contains("os error") && !text.contains("No such file"),
                "{text}"
            );
        }
    }
}

/// The error dialog says the chosen language only: a file that cannot be opened is said in
/// Vietnamese, in words and with its path, and in English once English is chosen.
#[test]
fn error_dialog_speaks_the_chosen_language() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("không-có.ron");
    let mut h = harness(data_options(dir.path()));
    h.state_mut().open(&missing);
    h.run();
    let m = h.state().errors[0].clone();
    assert_eq!(
        m.vi,
        format!(
            "Không đọc được tệp {}: không tìm thấy tệp hoặc thư mục",
            missing.display()
        )
    );
    h.get_by_label("Lỗi");
    h.get_by_label(&m.vi);
    assert!(
        h.query_by_label_contains(&m.en).is_none(),
        "English shown too"
    );
    assert!(h.query_by_label("Lỗi / Error").is_none());
    h.state_mut().lang = Lang::En;
    h.run();
    h.get_by_label("Error");
    h.get_by_label(&m.en);
    assert!(
        h.query_by_label_contains(&m.vi).is_none(),
        "Vietnamese shown too"
    );
    assert_in_words(&h.state().errors);
}

/// No message the app shows carries the system's "os error": a file not found, a folder
/// opened as a session, a save into a folder that does not exist, a certificate file that is
/// gone, a document written where it cannot be; each says what happened in words.
#[test]
fn system_errors_are_said_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    h.state_mut().open(&dir.path().join("không-có.ron"));
    h.state_mut().open(dir.path());
    h.state_mut().open_session(example("chi-bo.ron"));
    let nowhere = dir.path().join("không-có-thư-mục").join("phiên.ron");
    assert!(!h.state_mut().save_to(&nowhere));
    let pdf = dir.path().join("không-có-thư-mục").join("bb.pdf");
    let written = h.state_mut().write_minutes(&pdf, false);
    let errors = h.state().errors.clone();
    let written = written.unwrap_err();
    let [missing, folder, save] = &errors[..] else {
        panic!("{errors:?}");
    };
    assert!(
        missing.vi.ends_with(": không tìm thấy tệp hoặc thư mục"),
        "{}",
        missing.vi
    );
    assert!(
        missing.en.ends_with(": file or folder not found"),
        "{}",
        missing.en
    );
    assert!(folder.vi.contains("thư mục"), "{}", folder.vi);
    assert!(save.vi.contains("không tìm thấy tệp"), "{}", save.vi);
    assert!(written.vi.contains("không tìm thấy tệp"), "{}", written.vi);
    assert_in_words(&[written]);
    assert_in_words(&errors);

    h.state_mut().errors.clear();
    h.state_mut().operator = "Phạm Văn Đức".into();
    h.state_mut().docs.certificate = Some(dir.path().join("không-có.p12"));
    h.state_mut().docs.password = "x".into();
    assert!(!h.state_mut().finalise_signed());
    let cert = &h.state().errors[0];
    assert!(
        cert.vi.ends_with(": không tìm thấy tệp hoặc thư mục"),
        "{}",
        cert.vi
    );
    assert_in_words(&h.state().errors);
}

/// The status bar says one state at a time: never saved, saved, changed since; never "chưa
/// lưu" beside "Đã lưu".
#[test]
fn status_bar_says_one_save_state() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    h.get_by_label("chi-bo.ron").click();
    h.run();
    let states = |h: &Harness<'static, App>| -> Vec<&str> {
        [
            "Chưa lưu vào tệp nào",
            "Đã lưu",
            "Có thay đổi chưa lưu",
            "chưa lưu",
        ]
        .into_iter()
        .filter(|t| h.query_by_label(t).is_some())
        .collect()
    };
    assert_eq!(h.state().save_state(), Some(SaveState::NeverSaved));
    assert_eq!(states(&h), ["Chưa lưu vào tệp nào"]);
    let file = dir.path().join("phiên.ron");
    assert!(h.state_mut().save_to(&file));
    h.run();
    assert_eq!(states(&h), ["Đã lưu"]);
    h.get_by_label(&file.display().to_string());
    h.state_mut()
        .queue(tinnhiem::edit::Edit::SetDoubleEntry(true));
    h.run();
    assert_eq!(h.state().save_state(), Some(SaveState::Modified));
    let now = states(&h);
    assert!(
        !now.contains(&"Đã lưu") && !now.contains(&"Chưa lưu vào tệp nào"),
        "{now:?}"
    );
    h.get_by_label_contains("Có thay đổi chưa lưu");
}

/// With no program to open the PDF just written (here a viewer that is not installed), the
/// message says where the file was saved, not the system's "No such file or directory".
#[test]
fn no_viewer_says_where_the_file_is() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    h.state_mut().docs.open_viewer = true;
    h.state_mut().docs.viewer = Some(dir.path().join("không-có-chương-trình-xem"));
    h.get_by_label("chi-bo.ron").click();
    h.run();
    h.get_by_label("Văn bản").click();
    h.run();
    h.get_by_label("Xuất biên bản (PDF)…").click();
    h.run();
    h.state_mut().file_dialog.as_mut().unwrap().folder = dir.path().display().to_string();
    h.run();
    h.get_by_label("Tên tệp").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Tên tệp").type_text("bb");
    h.run();
    h.get_by_label("Lưu").click();
    h.run();
    let pdf = dir.path().join("bb.pdf");
    assert!(pdf.exists());
    // The file is saved: where it is comes as a notice, not under "Lỗi" (found trying it).
    assert!(h.state().errors.is_empty(), "{:?}", h.state().errors);
    let notices = h.state().notices.clone();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(
        notices[0]
            .vi
            .starts_with(&format!("Đã lưu tại {}. ", pdf.display())),
        "{}",
        notices[0].vi
    );
    assert_in_words(&notices);
    h.get_by_label(&notices[0].vi);
    h.get_by_label("Thông báo");
    assert!(h.query_by_label("Lỗi").is_none());
}

/// The chart's legend is a line above the plot (it covers no bar), and hovering a bar shows
/// its cadre's figures by the pointer, a line each, no stray line or bare number.
#[test]
fn chart_legend_outside_and_bar_tooltip() {
    let mut h = sized(1366.0, 768.0, Options::default());
    h.get_by_label("tinh-uy.ron").click();
    h.run();
    h.get_by_label("3. Kết quả").click();
    h.run();
    h.get_by_label("Biểu đồ").click();
    h.run();
    let area = h.state().results.chart_area.expect("the chart is drawn");
    for entry in [
        "Tín nhiệm cao",
        "Tín nhiệm",
        "Tín nhiệm thấp",
        "1/2 số phiếu thu về",
        "2/3 số phiếu thu về",
    ] {
        let r = h.get_by_label(entry).rect();
        assert!(
            r.max.y <= area.min.y,
            "{entry} at {r:?}, over the plot {area:?}"
        );
    }
    // The 8th bar from the top (8. Bùi Thế Lực: the exempt 14th has no bar): the plot spans
    // y from 0.4 to 14.6, bar k at 14 - k.
    let shown = 14.0;
    let v = shown - 7.0;
    let y = area.min.y + (shown + 0.6 - v) / (shown + 0.2) * area.height();
    h.event(egui::Event::PointerMoved(egui::pos2(area.min.x + 40.0, y)));
    for _ in 0..3 {
        h.run();
    }
    let tip = labels(&h)
        .into_iter()
        .find(|l| l.starts_with("8. Bùi Thế Lực\n"))
        .expect("the bar's tooltip");
    assert_eq!(
        tip,
        "8. Bùi Thế Lực\nTín nhiệm cao: 6 (12,00%)\nTín nhiệm: 16 (32,00%)\nTín nhiệm thấp: 27 (54,00%)\nTrên 50% đến dưới 2/3 tín nhiệm thấp"
    );
}

/// The provincial example with a cadre at 100% (no void sheet, all 50 "cao"), finalised.
fn finalised_with_full_marks() -> Session {
    let mut s = example("tinh-uy.ron");
    let g = &mut s.groups[0];
    g.voters.void_sheets = Some(0);
    g.cadres[0].overall = Counts {
        high: Some(50),
        medium: Some(0),
        low: Some(0),
    };
    s
}

/// After finalising, the presentation keeps whole figures ("50 (100,00%)": the count beside
/// the share), whole headings and the band's words, at 1024×600 and 1366×768: nothing is cut
/// and everything is on the screen.
#[test]
fn presentation_keeps_whole_figures() {
    for (w, height) in [(1024.0, 600.0), (1366.0, 768.0)] {
        let mut h = sized(w, height, Options::default());
        h.state_mut().operator = "Phạm Văn Đức".into();
        h.state_mut().open_session(finalised_with_full_marks());
        assert!(h.state_mut().finalise(), "{:?}", h.state().errors);
        h.run();
        h.get_by_label("Trình chiếu").click();
        h.run();
        h.get_by_label_contains("Mã kiểm tra");
        let tally = tinnhiem::tally::tally(h.state().session().unwrap());
        let mut texts: Vec<String> = [
            "Họ tên",
            "Tín nhiệm cao",
            "Tín nhiệm",
            "Tín nhiệm thấp",
            "Ghi chú",
            "Trên 50%\nđến dưới 2/3",
        ]
        .map(str::to_owned)
        .to_vec();
        for c in &tally.groups[0].cadres {
            if let Some(q) = c.overall {
                for s in [q.high, q.medium, q.low] {
                    texts.push(format!(
                        "{} ({})",
                        s.count,
                        s.fraction.percent_display(Lang::Vi)
                    ));
                }
            }
        }
        texts.sort();
        texts.dedup();
        assert!(texts.contains(&"50 (100,00%)".to_owned()));
        let window = Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w, height));
        for t in &texts {
            for node in h.query_all_by_label(t) {
                let r = node.rect();
                assert!(window.contains_rect(r), "{w}×{height}: {t:?} at {r:?}");
            }
            assert!(!elided(&mut h, t), "{w}×{height}: {t:?} is cut");
        }
    }
}

/// The widgets a person can act on that lie outside the window, once scrolled to as a person
/// would.
fn out_of_window(h: &mut Harness<'static, App>, w: f32, height: f32) -> Vec<String> {
    let window = Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(w, height)).expand(1.0);
    let acts = |n: &egui_kittest::kittest::AccessKitNode<'_>| {
        matches!(
            n.role(),
            Role::Button | Role::TextInput | Role::CheckBox | Role::ComboBox
        )
    };
    let count = h.query_all(By::new().predicate(acts)).count();
    let mut out = Vec::new();
    for i in 0..count {
        let nodes: Vec<_> = h.query_all(By::new().predicate(acts)).collect();
        let Some(node) = nodes.get(i) else { break };
        node.scroll_to_me();
        h.run();
        let nodes: Vec<_> = h.query_all(By::new().predicate(acts)).collect();
        let Some(node) = nodes.get(i) else { break };
        let r = node.rect();
        if !window.contains_rect(r) {
            out.push(format!(
                "{:?} at {r:?}",
                node.accesskit_node().label().unwrap_or_default()
            ));
        }
    }
    out
}

/// The double entry's differences, every cell of the group differing, with long names: at
/// 1024×600 every button that settles a cell is in the window without scrolling sideways.
#[test]
fn differences_fit_1024x600() {
    use tinnhiem::lifecycle::Timestamp;
    let mut s = example("chi-bo.ron");
    s.double_entry = true;
    let names = [
        "Nguyễn Thị Thanh Hương Giang",
        "Tôn Nữ Hoàng Phương Thảo Nguyên",
        "Đặng Ngọc Ánh Dương Minh Châu",
    ];
    for (c, name) in s.groups[0].cadres.iter_mut().zip(names) {
        c.name = name.into();
    }
    let at = Timestamp(1_700_000_000);
    s.finish_first_entry(0, "Nguyễn Văn Người Nhập Thứ Nhất", at)
        .unwrap();
    let g = &mut s.groups[0];
    g.voters.void_sheets = Some(0);
    for c in &mut g.cadres {
        c.overall = Counts {
            high: Some(1),
            medium: Some(1),
            low: Some(1),
        };
    }
    s.finish_second_entry(0, "Trần Thị Người Nhập Thứ Hai", at)
        .unwrap();
    let mut h = sized(1024.0, 600.0, Options::default());
    h.state_mut().operator = "Phạm Văn Đức".into();
    h.state_mut().open_session(s);
    h.run();
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Entry);
    assert!(h.query_all_by_label_contains("Lấy lần 2").count() >= 5);
    let out = out_of_window(&mut h, 1024.0, 600.0);
    assert!(out.is_empty(), "{}", out.join("\n"));
}

/// A finding longer than the side panel is wrapped whole, never cut with "…", at 1024×600.
#[test]
fn findings_wrap_whole_at_1024x600() {
    let mut s = example("chi-bo.ron");
    let long = "Nguyễn Thị Thanh Hương Giang Phương Thảo Nguyên";
    s.groups[0].cadres[0].name = long.into();
    s.groups[0].cadres[0].overall.low = Some(60);
    let mut h = sized(1024.0, 600.0, Options::default());
    h.state_mut().open_session(s);
    h.run();
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    let finding = labels(&h)
        .into_iter()
        .find(|l| l.starts_with("Lỗi:") && l.contains(long))
        .unwrap_or_else(|| panic!("the finding is listed: {:?}", labels(&h)));
    let node = h.get_by_label(&finding);
    let r = node.rect();
    let one_line = h.get_by_label_contains(" lỗi, ").rect().height();
    assert!(r.height() > 1.5 * one_line, "not wrapped: {r:?}");
    assert!(r.max.x <= 1024.0, "{r:?}");
    assert!(!elided(&mut h, &finding));
}

/// Ballot by ballot, the twelve cadres of issue 21 at 1024×600 and 1366×768, in both
/// languages: every column title is whole. Tried in the real window: the level titles, the
/// law's words since the jargon went ("Tín nhiệm cao", "Tín nhiệm thấp"), were both cut to
/// "Tín nhiệ…", so that the two columns could not be told apart.
#[test]
fn ballot_titles_whole() {
    use crate::common::gui::twelve_cadres;
    for (w, height) in [(1024.0, 600.0), (1366.0, 768.0)] {
        for (lang, titles) in [
            (
                Lang::Vi,
                [
                    "Phiếu đang đọc",
                    "Tín nhiệm cao",
                    "Tín nhiệm",
                    "Tín nhiệm thấp",
                    "Không hợp lệ",
                ],
            ),
            (
                Lang::En,
                [
                    "This ballot",
                    "High confidence",
                    "Confidence",
                    "Low confidence",
                    "Invalid",
                ],
            ),
        ] {
            let mut h = sized(w, height, Options::default());
            h.state_mut().lang = lang;
            h.state_mut().operator = "Phạm Văn Đức".into();
            h.state_mut().open_session(twelve_cadres(14));
            h.run();
            let screen = if lang == Lang::Vi {
                "Nhập từng phiếu"
            } else {
                "Ballot by ballot"
            };
            h.get_all_by_label(screen).next().unwrap().click();
            h.run();
            assert_eq!(h.state().screen, Screen::Ballot);
            assert!(h.state().ballot.counter().is_some(), "the count started");
            for t in titles {
                assert!(!elided(&mut h, t), "{w}×{height}: {t:?} is cut");
            }
        }
    }
}

/// The preview of a team's spreadsheet at 1024×600: the level titles are whole (tried in the
/// real window, they read "Tín nhi…" three times).
#[test]
fn import_preview_titles_whole_at_1024x600() {
    use crate::common::gui::twelve_cadres;
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("to-2.csv");
    std::fs::write(
        &csv,
        "STT;Họ và tên;Tín nhiệm cao;Tín nhiệm;Tín nhiệm thấp\n\
         1;Nguyễn Văn An;7;4;1\n\
         2;Trần Thị Bính;7;3;2\n",
    )
    .unwrap();
    let mut h = sized(1024.0, 600.0, Options::default());
    h.state_mut().operator = "Phạm Văn Đức".into();
    h.state_mut().open_session(twelve_cadres(14));
    h.run();
    h.state_mut().read_counts_sheet(&csv);
    h.run();
    h.get_by_label("Sẽ nhập (1)");
    for t in ["Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp", "Đang có"] {
        assert!(!elided(&mut h, t), "{t:?} is cut");
    }
    h.get_by_label_contains("không phải \"Trần Thị Bính\"");
}

/// Double entry's differences settled from the keyboard: a value typed in "Số khác" and Enter
/// chooses it, as "Chọn" does (tried in the real window: Enter did nothing, the cell stayed
/// open). A value that is not a number chooses nothing.
#[test]
fn enter_chooses_the_other_value() {
    use eframe::egui::Key;
    use tinnhiem::lifecycle::Timestamp;
    let mut s = example("chi-bo.ron");
    s.double_entry = true;
    let at = Timestamp(1_700_000_000);
    let first = s.groups[0].clone();
    s.finish_first_entry(0, "Nguyễn Văn Nhập", at).unwrap();
    let g = &mut s.groups[0];
    g.voters.void_sheets = first.voters.void_sheets;
    for (c, f) in g.cadres.iter_mut().zip(&first.cadres) {
        c.overall = f.overall;
    }
    g.cadres[0].overall.high = first.cadres[0].overall.high.map(|n| n + 1);
    s.finish_second_entry(0, "Trần Thị Đối Chiếu", at).unwrap();
    let mut h = sized(1024.0, 600.0, Options::default());
    h.state_mut().operator = "Phạm Văn Đức".into();
    h.state_mut().open_session(s);
    h.run();
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    h.get_by_label("1 ô chênh lệch, còn 1 ô chưa thống nhất");
    h.get_by_label("Số khác").click();
    h.run();
    h.get_by_label("Số khác").type_text("x");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label("1 ô chênh lệch, còn 1 ô chưa thống nhất");
    h.get_by_label("Số khác").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.get_by_label("Số khác").type_text("7");
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.get_by_label("1 ô chênh lệch, còn 0 ô chưa thống nhất");
}
