//! The app merges counting teams' archives, and says so when an archive was edited after it
//! was sealed (headless, egui_kittest).

use std::fs;

use crate::common::gui::{data_options, harness, type_into};
use egui_kittest::kittest::Queryable as _;
use tinnhiem::app::Screen;
use tinnhiem::archive;
use tinnhiem::lifecycle::{Action, Timestamp};

/// Two teams' files merge into the undivided totals, as a new unsaved session under the
/// operator's name; the teams' files are left as they were.
#[test]
fn merge_teams_in_app() {
    let dir = tempfile::tempdir().unwrap();
    let (whole, a, b) = crate::teams::split();
    let (pa, pb) = (dir.path().join("to-1.ron"), dir.path().join("to-2.ron"));
    archive::save(&pa, &a).unwrap();
    archive::save(&pb, &b).unwrap();
    let before = (fs::read(&pa).unwrap(), fs::read(&pb).unwrap());

    let mut h = harness(data_options(dir.path()));
    type_into(&mut h, "Người thao tác", "Lê Thị Hoa");
    h.get_by_label("Gộp kết quả các tổ kiểm phiếu…");
    assert!(h.state_mut().merge_files(&[pa.clone(), pb.clone()]));
    h.run();

    let app = h.state();
    assert!(app.errors.is_empty(), "{:?}", app.errors);
    assert_eq!(app.screen, Screen::Entry);
    let doc = app.doc.as_ref().unwrap();
    assert!(doc.path.is_none(), "a merge is a new file, never an input");
    assert!(
        doc.dirty(),
        "the close guard must ask before a merge is lost"
    );
    let merged = &doc.session.groups[0];
    assert_eq!(merged.teams.len(), 2);
    assert_eq!(merged.voters.collected, whole.groups[0].voters.collected);
    for (m, w) in merged.cadres.iter().zip(&whole.groups[0].cadres) {
        assert_eq!(m.overall, w.overall, "{}", m.name);
    }
    let last = doc.session.audit.last().unwrap();
    assert_eq!(last.by, "Lê Thị Hoa");
    assert!(
        matches!(&last.action, Action::Edit { new, .. } if new.contains("Tổ 1, Tổ 2")),
        "{last:?}"
    );
    assert_eq!((fs::read(&pa).unwrap(), fs::read(&pb).unwrap()), before);

    // Saving the merge over a team's file is refused; another file is fine.
    assert!(!h.state_mut().save_to(&pb));
    assert_eq!(h.state().errors.len(), 1, "{:?}", h.state().errors);
    assert!(h.state().errors[0].vi.contains("to-2.ron"));
    assert_eq!((fs::read(&pa).unwrap(), fs::read(&pb).unwrap()), before);
    h.state_mut().errors.clear();
    let all = dir.path().join("tong.ron");
    assert!(h.state_mut().save_to(&all));
    assert_eq!(
        archive::load(&all).unwrap(),
        h.state().doc.as_ref().unwrap().session
    );

    // Reopened later (or restored after a crash), the merge still knows its teams' files.
    let mut h = harness(data_options(dir.path()));
    h.state_mut().open(&all);
    h.run();
    assert!(!h.state_mut().save_to(&pa));
    assert!(h.state().errors[0].vi.contains("to-1.ron"));
    assert_eq!((fs::read(&pa).unwrap(), fs::read(&pb).unwrap()), before);

    // Nor does a document go over an archive, the open one or any other.
    let saved = fs::read(&all).unwrap();
    let e = h.state_mut().write_csv(&all).unwrap_err();
    assert!(e.en.contains("not written over the archive"), "{e:?}");
    let e = h.state_mut().write_ballots(&pa).unwrap_err();
    assert!(e.en.contains("not written over the archive"), "{e:?}");
    assert_eq!(fs::read(&all).unwrap(), saved);
    assert_eq!((fs::read(&pa).unwrap(), fs::read(&pb).unwrap()), before);
}

/// A team's file in the middle of double entry, or sealed and then edited by hand, is not
/// merged; nor is anything merged without the operator's name.
#[test]
fn merge_refuses_unsettled_or_tampered_teams() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut a, b) = crate::teams::split();
    let pb = dir.path().join("to-2.ron");
    archive::save(&pb, &b).unwrap();

    let mut h = harness(data_options(dir.path()));
    let pa = dir.path().join("to-1.ron");
    archive::save(&pa, &a).unwrap();
    assert!(!h.state_mut().merge_files(&[pa.clone(), pb.clone()]));
    assert!(
        h.state().errors[0].en.contains("operator"),
        "{:?}",
        h.state().errors
    );
    h.state_mut().errors.clear();
    type_into(&mut h, "Người thao tác", "Lê Thị Hoa");

    a.double_entry = true;
    a.finish_first_entry(0, "Người A", Timestamp(1_702_629_000))
        .unwrap();
    archive::save(&pa, &a).unwrap();
    assert!(!h.state_mut().merge_files(&[pa.clone(), pb.clone()]));
    let e = &h.state().errors[0];
    assert!(
        e.vi.contains("to-1.ron") && e.en.contains("double entry"),
        "{e:?}"
    );
    h.state_mut().errors.clear();

    let (_, mut a, _) = crate::teams::split();
    a.finalise("Người A", Timestamp(1_702_629_000)).unwrap();
    let high = a.groups[0].cadres[0].overall.high.unwrap();
    a.groups[0].cadres[0].overall.high = Some(high + 1);
    archive::save(&pa, &a).unwrap();
    assert!(!h.state_mut().merge_files(&[pb, pa]));
    let e = &h.state().errors[0];
    assert!(e.vi.contains("to-1.ron") && e.en.contains("seal"), "{e:?}");
    assert!(h.state().doc.is_none());
}

/// Merging a team twice, or a file of another vote, is refused with the reason and the
/// file's name, and the session shown does not change.
#[test]
fn merge_refusals_in_app() {
    let dir = tempfile::tempdir().unwrap();
    let (_, a, mut b) = crate::teams::split();
    let pa = dir.path().join("to-1.ron");
    archive::save(&pa, &a).unwrap();
    b.groups[0].cadres[0].name = "Người Khác".into();
    let other = dir.path().join("cuoc-khac.ron");
    archive::save(&other, &b).unwrap();

    let mut h = harness(data_options(dir.path()));
    type_into(&mut h, "Người thao tác", "Lê Thị Hoa");
    assert!(!h.state_mut().merge_files(&[pa.clone(), pa.clone()]));
    h.run();
    let errors = &h.state().errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].vi.contains("Tổ 1"), "{}", errors[0].vi);
    assert!(h.state().doc.is_none());

    h.state_mut().errors.clear();
    assert!(!h.state_mut().merge_files(&[pa, other]));
    let errors = &h.state().errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].vi.contains("cuoc-khac.ron"), "{}", errors[0].vi);
    assert!(errors[0].en.contains("another vote"), "{}", errors[0].en);
    assert!(h.state().doc.is_none());
}

/// A sealed archive whose counts were changed outside the app is opened with a warning and
/// marked as not matching its seal in the status bar.
#[test]
fn tampered_archive_is_flagged_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let (mut whole, _, _) = crate::teams::split();
    whole
        .finalise("Phạm Văn Đức", Timestamp(1_702_629_000))
        .unwrap();
    let sealed = dir.path().join("da-chot.ron");
    archive::save(&sealed, &whole).unwrap();
    let text = fs::read_to_string(&sealed).unwrap();
    // Someone edits one count of the sealed file by hand.
    let high = whole.groups[0].cadres[0].overall.high.unwrap();
    let from = format!("high: {high},");
    assert!(text.contains(&from), "{text}");
    let edited = text.replacen(&from, &format!("high: {},", high - 1), 1);
    let tampered = dir.path().join("bi-sua.ron");
    fs::write(&tampered, edited).unwrap();

    let mut h = harness(data_options(dir.path()));
    h.state_mut().open(&sealed);
    h.run();
    assert!(h.state().errors.is_empty(), "{:?}", h.state().errors);
    assert!(
        h.query_by_label_contains("KHÔNG KHỚP").is_none(),
        "an intact archive is not flagged"
    );

    h.state_mut().open(&tampered);
    h.run();
    let errors = &h.state().errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].vi.contains("bi-sua.ron"), "{}", errors[0].vi);
    assert!(
        errors[0].en.contains("changed after finalising"),
        "{}",
        errors[0].en
    );
    h.state_mut().errors.clear();
    h.run();
    h.get_by_label_contains("KHÔNG KHỚP mã đã chốt");

    // Neither the minutes nor the CSV leave the app as a final result.
    let pdf = dir.path().join("bb.pdf");
    let err = h.state_mut().write_minutes(&pdf, false).unwrap_err();
    assert!(err.en.contains("changed after finalising"), "{}", err.en);
    let csv = dir.path().join("kq.csv");
    assert!(h.state_mut().write_csv(&csv).is_err());
    assert!(!pdf.exists() && !csv.exists());
}
