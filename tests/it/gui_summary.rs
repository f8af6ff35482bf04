//! The "Tổng hợp" screen through its labels (issue 25): from the start screen, a folder read
//! off the frame, each file's status, the tables filtered and sorted, the report exported,
//! every control in reach at 1024×600 and 1366×768.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use tinnhiem::app::{App, Screen};
use tinnhiem::model::Timestamp;

use crate::common::gui::{data_options, sized_harness, type_into};

/// A folder of two units' final archives and one that is not an archive.
fn province(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("don-vi");
    fs::create_dir_all(&root).unwrap();
    for example in ["chi-bo", "hdnd-nq96"] {
        let mut s =
            tinnhiem::archive::load(Path::new(&format!("assets/examples/{example}.ron"))).unwrap();
        s.finalise("Văn thư", Timestamp(1_702_600_000)).unwrap();
        fs::write(
            root.join(format!("{example}.ron")),
            tinnhiem::archive::to_string(&s).unwrap(),
        )
        .unwrap();
    }
    fs::write(root.join("hong.ron"), "(không phải tệp phiên").unwrap();
    root
}

/// Opens the screen from the start screen and reads `folder` through tinnhiem's own dialog,
/// waiting for the worker.
fn summarise(h: &mut Harness<'static, App>, folder: &Path) {
    h.get_by_label("Tổng hợp…").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Summary);
    h.get_by_label("Chọn thư mục…").click();
    h.run();
    h.state_mut().file_dialog.as_mut().unwrap().folder = folder.display().to_string();
    h.run();
    h.get_by_label("Chọn thư mục này").click();
    // A spinner turns while the worker reads: frames are stepped, not run to rest.
    h.step();
    let start = Instant::now();
    while h.state().summary.busy() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the summary never ended"
        );
        std::thread::sleep(Duration::from_millis(20));
        h.step();
    }
    h.run();
}

/// The folder read: the totals, each file's status with its reason, the tables filtered and
/// sorted by the low share, and the JSON report written where chosen.
#[test]
fn a_folder_is_summarised_filtered_sorted_and_exported() {
    let dir = tempfile::tempdir().unwrap();
    let folder = province(dir.path());
    let mut h = sized_harness(data_options(dir.path()), egui::vec2(1366.0, 768.0));
    summarise(&mut h, &folder);
    assert!(h.query_by_label("Tệp (3)").is_some());
    assert!(h.query_by_label("Đơn vị (2)").is_some());
    // Every cadre of the two examples with a result.
    let rated: usize = ["chi-bo", "hdnd-nq96"]
        .iter()
        .map(|e| {
            let s =
                tinnhiem::archive::load(Path::new(&format!("assets/examples/{e}.ron"))).unwrap();
            let t = tinnhiem::tally::tally(&s);
            t.groups
                .iter()
                .flat_map(|g| &g.cadres)
                .filter(|c| c.overall.is_some())
                .count()
        })
        .sum();
    let cadres = format!("Cán bộ ({rated})");
    assert!(h.query_by_label(&cadres).is_some(), "{cadres}");
    assert_eq!(h.query_all_by_label("đã chốt (chưa ký)").count(), 2);
    assert!(h.query_by_label("hỏng hoặc bị sửa").is_some());

    h.get_by_label(&cadres).click();
    h.run();
    type_into(&mut h, "Lọc", "hòa phong");
    assert!(h.query_by_label("Ngô Văn Tài").is_some());
    assert!(h.query_by_label("Hoàng Minh Tuấn").is_none());
    h.get_by_label("Xếp theo").click();
    h.run();
    h.get_by_label("tín nhiệm thấp giảm dần").click();
    h.run();
    let top = |h: &Harness<'static, App>, name: &str| h.get_by_label(name).rect().top();
    assert!(
        top(&h, "Người A (mẫu đã công bố)") < top(&h, "Ngô Văn Tài"),
        "the highest low share first"
    );

    h.get_by_label("Xuất JSON…").click();
    h.run();
    h.state_mut().file_dialog.as_mut().unwrap().folder = dir.path().display().to_string();
    h.run();
    h.get_by_label("Lưu").click();
    h.run();
    let v: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("bao-cao-tong-hop.json")).unwrap())
            .unwrap();
    assert_eq!(v["totals"]["units"], 2);
    assert_eq!(v["totals"]["left_out"], 1);
    // Said where it was saved; then back to the start screen.
    assert!(
        h.state()
            .notices
            .iter()
            .any(|m| m.vi.starts_with("Đã lưu tại"))
    );
    h.get_by_label("Đồng ý").click();
    h.run();
    h.get_by_label("← Màn hình đầu").click();
    h.run();
    assert_eq!(h.state().screen, Screen::Start);
}

/// Every control of the screen is in the window at 1024×600 and 1366×768.
#[test]
fn every_control_fits_a_small_laptop() {
    for size in [egui::vec2(1024.0, 600.0), egui::vec2(1366.0, 768.0)] {
        let dir = tempfile::tempdir().unwrap();
        let folder = province(dir.path());
        let mut h = sized_harness(data_options(dir.path()), size);
        summarise(&mut h, &folder);
        let n = h.state().summary.summary.as_ref().unwrap().cadres.len();
        h.get_by_label(&format!("Cán bộ ({n})")).click();
        h.run();
        for label in [
            "← Màn hình đầu",
            "Chọn thư mục…",
            "Tính cả phiên chưa chốt (ghi BẢN NHÁP)",
            "Người tổng hợp",
            "Cơ quan tổng hợp",
            "Xuất báo cáo PDF…",
            "Xuất Excel…",
            "Xuất JSON…",
            "Lọc",
            "Xếp theo",
        ] {
            let r = h.get_by_label(label).rect();
            assert!(
                r.right() <= size.x && r.bottom() <= size.y && r.left() >= 0.0,
                "{label} at {r:?} outside {size:?}"
            );
        }
        // The first cadre's row is in sight too.
        let r = h.get_by_label("Ngô Văn Tài").rect();
        assert!(r.bottom() <= size.y, "{r:?} at {size:?}");
    }
}

/// Two votes of the same council: the "Qua các lần" tab names each cadre, how the votes were
/// matched, each vote in date order and where the band changed.
#[test]
fn the_history_tab_shows_a_cadres_votes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("hai-lan");
    fs::create_dir_all(&root).unwrap();
    for (name, year, moved) in [("2023.ron", 2023, false), ("2026.ron", 2026, true)] {
        let mut s = tinnhiem::archive::load(Path::new("assets/examples/hdnd-nq96.ron")).unwrap();
        if moved {
            s.meta.date = tinnhiem::model::Date::new(year, 11, 20);
            let a = &mut s.groups[0].cadres[0];
            let (h, _, l) = a.overall.complete().unwrap();
            a.overall.high = Some(h + l - 2);
            a.overall.low = Some(2);
        }
        s.finalise("Văn thư", Timestamp(1_702_600_000)).unwrap();
        fs::write(root.join(name), tinnhiem::archive::to_string(&s).unwrap()).unwrap();
    }
    let mut h = sized_harness(data_options(dir.path()), egui::vec2(1024.0, 600.0));
    summarise(&mut h, &root);
    h.get_by_label("Qua các lần (3)").click();
    h.run();
    assert!(
        h.query_by_label(
            "Người A (mẫu đã công bố) — HỘI ĐỒNG NHÂN DÂN XÃ HÒA PHONG (khớp theo họ tên trong cùng đơn vị)"
        )
        .is_some()
    );
    // Each of the three cadres voted on in 2026 too.
    assert_eq!(h.query_all_by_label("2026-11-20").count(), 3);
    assert_eq!(h.query_all_by_label("đổi mức").count(), 1);
}
