//! Finalise, reopen, verify and the audit log through the command line: the tamper evidence a
//! committee relies on years later.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::run;
use tinnhiem::archive;
use tinnhiem::lifecycle::{Action, Status, TransitionError, ensure_editable};

fn copy_example(dir: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/chi-bo.ron");
    let dst = dir.join("phien.ron");
    fs::copy(src, &dst).unwrap();
    dst
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Draft: verify says so and exits 1; finalise seals; verify exits 0; one count edited by hand
/// makes verify exit 1 with the reason; the log survives the saves.
#[test]
fn finalise_verify_tamper() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy_example(dir.path());
    let f = file.to_str().unwrap();

    let o = run(&["verify", f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("bản nháp"), "{}", out(&o));

    let o = run(&["finalise", f, "--operator", "Phạm Văn Đức"]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    let s = archive::load(&file).unwrap();
    assert!(s.is_final());
    assert_eq!(ensure_editable(&s), Err(TransitionError::Sealed));

    let o = run(&["verify", "--lang", "en", f]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));
    assert!(out(&o).starts_with("Valid"));

    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replacen("high: 5,", "high: 4,", 1)).unwrap();
    let o = run(&["verify", "--lang", "en", f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("changed after finalising"), "{}", out(&o));

    // Nothing is printed or exported from it as a final result.
    let before = fs::read(&file).unwrap();
    let pdf = dir.path().join("bb.pdf");
    let csv = dir.path().join("kq.csv");
    let o = run(&["minutes", f, "-o", pdf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(out(&o).contains("sau khi chốt"), "{}", out(&o));
    let o = run(&["export", f, "-o", csv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(!pdf.exists() && !csv.exists());
    assert_eq!(fs::read(&file).unwrap(), before, "a refusal logs nothing");
}

/// Reopening needs a reason and logs it with the operator; the log reads back unchanged after
/// save and reload, and `log` prints it.
#[test]
fn reopen_logs_reason() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy_example(dir.path());
    let f = file.to_str().unwrap();
    let o = run(&["reopen", f, "--operator", "Đức", "--reason", "x"]);
    assert_eq!(o.status.code(), Some(1), "a draft cannot be reopened");
    assert_eq!(
        run(&["finalise", f, "--operator", "Đức"]).status.code(),
        Some(0)
    );
    let o = run(&["reopen", f, "--operator", "Đức", "--reason", "   "]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("lý do"));
    let o = run(&[
        "reopen",
        f,
        "--operator",
        "Võ Thị Thu Hà",
        "--reason",
        "Đếm lại phiếu của đồng chí Ánh",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", out(&o));

    let s = archive::load(&file).unwrap();
    assert_eq!(s.status, Status::Draft);
    assert_eq!(s.audit.len(), 2);
    assert_eq!(s.audit[1].by, "Võ Thị Thu Hà");
    assert!(
        matches!(&s.audit[1].action, Action::Reopened { reason, .. } if reason == "Đếm lại phiếu của đồng chí Ánh")
    );
    let again = archive::from_str(&archive::to_string(&s).unwrap()).unwrap();
    assert_eq!(again.audit, s.audit);

    let o = run(&["log", f]);
    let log = out(&o);
    assert!(
        log.contains("chốt kết quả") && log.contains("Đếm lại phiếu"),
        "{log}"
    );
}

/// A session with errors is not finalised, and the file is left as it was.
#[test]
fn errors_refuse_finalising() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy_example(dir.path());
    let text = fs::read_to_string(&file)
        .unwrap()
        .replacen("high: 5,", "high: 50,", 1);
    fs::write(&file, &text).unwrap();
    let o = run(&["finalise", file.to_str().unwrap(), "--operator", "Đức"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("E303"), "{}", out(&o));
    assert_eq!(fs::read_to_string(&file).unwrap(), text);
}
