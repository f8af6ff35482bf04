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
    assert!(
        out(&o).starts_with("The seal is NOT signed") && out(&o).contains("\nValid"),
        "{}",
        out(&o)
    );

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
        log.contains("Chốt kết quả") && log.contains("Đếm lại phiếu"),
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

/// Runs `tinnhiem` with `args` (paths as given) and returns (exit code, stdout + stderr).
fn run_in(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let o = run(args);
    (o.status.code(), out(&o))
}

/// A key to seal and sign with: `(the .p12, its password file)`.
fn key(dir: &Path) -> (PathBuf, PathBuf) {
    let p12 = crate::common::make_p12(dir, "mật khẩu");
    let pw = dir.join("pw.txt");
    fs::write(&pw, "mật khẩu\n").unwrap();
    (p12, pw)
}

/// A copy of `chi-bo.ron` with three edits in its log, finalised by the binary, with the seal
/// signed when a key is given: the log before the seal has three entries.
fn sealed(dir: &Path, key: Option<&(PathBuf, PathBuf)>) -> PathBuf {
    let file = copy_example(dir);
    let mut s = archive::load(&file).unwrap();
    for (k, (old, new)) in [("1", "2"), ("2", "1"), ("0", "0")].into_iter().enumerate() {
        s.log_edit(
            "Võ Thị Thu Hà",
            tinnhiem::lifecycle::Timestamp(1_700_000_000 + 100 * k as u64),
            tinnhiem::model::FieldPath::parse(&format!("groups[0].cadres[{k}].overall.low")),
            (old.into(), new.into()),
            false,
        );
    }
    archive::save(&file, &s).unwrap();
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "finalise".as_ref(),
        file.as_os_str(),
        "--operator".as_ref(),
        "Phạm Văn Đức".as_ref(),
    ];
    if let Some((p12, pw)) = key {
        args.extend([
            "--p12".as_ref(),
            p12.as_os_str(),
            "--password-file".as_ref(),
            pw.as_os_str(),
        ]);
    }
    let (code, text) = run_in(&args);
    assert_eq!(code, Some(0), "{text}");
    file
}

/// Rewrites the archive's log by hand, as someone editing the file would.
fn tamper(file: &Path, edit: impl FnOnce(&mut Vec<tinnhiem::model::AuditEntry>)) {
    let mut s = archive::load(file).unwrap();
    edit(&mut s.audit);
    archive::save(file, &s).unwrap();
}

/// The fake edit of the issue: "low 3 → 0", with no `prev`, as an older build wrote entries.
fn fake_edit() -> tinnhiem::model::AuditEntry {
    tinnhiem::model::AuditEntry {
        at: tinnhiem::lifecycle::Timestamp(1_699_999_000),
        by: "Võ Thị Thu Hà".into(),
        action: Action::Edit {
            path: "groups[0].cadres[1].overall.low".into(),
            old: "3".into(),
            new: "0".into(),
            label: None,
        },
        prev: None,
    }
}

/// `verify` and `check` of `file`: (verify's exit code, its output, check's exit code, its output).
fn verify_and_check(file: &Path) -> (Option<i32>, String, Option<i32>, String) {
    let (v, vt) = run_in(&[
        "verify".as_ref(),
        "--lang".as_ref(),
        "en".as_ref(),
        file.as_os_str(),
    ]);
    let (c, ct) = run_in(&[
        "check".as_ref(),
        "--lang".as_ref(),
        "en".as_ref(),
        file.as_os_str(),
    ]);
    (v, vt, c, ct)
}

/// Issue 20: under a signed seal, the first entry removed, every entry before the seal
/// removed, or a fake "low 3 → 0" put in front of the log all passed `verify` (exit 0) and
/// `check`. The seal now pins the log's length and head, and a first entry stating a `prev`
/// has lost what came before it: each is refused by both.
#[test]
fn a_signed_seal_pins_the_whole_log_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = key(dir.path());
    let original = sealed(dir.path(), Some(&key));
    let (v, vt, c, ct) = verify_and_check(&original);
    assert_eq!((v, c), (Some(0), Some(0)), "{vt}\n{ct}");
    type Edit = fn(&mut Vec<tinnhiem::model::AuditEntry>);
    let cases: [(&str, Edit); 4] = [
        ("the first entry removed", |log| {
            log.remove(0);
        }),
        ("every entry before the seal removed", |log| {
            log.drain(..3);
        }),
        ("a fake edit in front of the log", |log| {
            log.insert(0, fake_edit());
        }),
        (
            "a fake edit in front, the chain recomputed as an attacker would",
            |log| {
                log.insert(0, fake_edit());
                for i in 1..log.len() {
                    log[i].prev = Some(log[i - 1].hash());
                }
            },
        ),
    ];
    for (what, edit) in cases {
        let file = dir.path().join("tampered.ron");
        fs::copy(&original, &file).unwrap();
        tamper(&file, edit);
        let (v, vt, c, ct) = verify_and_check(&file);
        assert_eq!(v, Some(1), "{what}: verify passes:\n{vt}");
        assert!(vt.contains("audit log"), "{what}: {vt}");
        assert_eq!(c, Some(1), "{what}: check passes:\n{ct}");
        assert!(ct.contains("E006"), "{what}: {ct}");
    }
}

/// Issue 20: entries cut from the end of the log after the seal needed no hash to pass.
/// The minutes state the log they were written at (count and head), and `verify X.pdf
/// --archive X.ron` fails once the archive no longer holds it — cut, or rewritten and
/// rechained by hand. What the seal cannot see, the later minutes do.
#[test]
fn later_minutes_catch_a_cut_tail() {
    let dir = tempfile::tempdir().unwrap();
    let key = key(dir.path());
    let file = sealed(dir.path(), Some(&key));
    let (p12, pw) = &key;
    for pdf in ["a.pdf", "b.pdf"] {
        let (code, text) = run_in(&[
            "minutes".as_ref(),
            file.as_os_str(),
            "-o".as_ref(),
            dir.path().join(pdf).as_os_str(),
            "--p12".as_ref(),
            p12.as_os_str(),
            "--password-file".as_ref(),
            pw.as_os_str(),
        ]);
        assert_eq!(code, Some(0), "{text}");
    }
    // The log: 3 edits, the finalisation, then for each PDF its export and its signature.
    assert_eq!(archive::load(&file).unwrap().audit.len(), 8);
    // A second signer signs b.pdf afterwards: the log it states is in the signed first
    // revision, and still read. (The same key, for the chair, with a stated reason.)
    let (code, text) = run_in(&[
        "sign".as_ref(),
        dir.path().join("b.pdf").as_os_str(),
        "--p12".as_ref(),
        p12.as_os_str(),
        "--password-file".as_ref(),
        pw.as_os_str(),
        "--on-behalf".as_ref(),
        "chủ trì ủy quyền".as_ref(),
    ]);
    assert_eq!(code, Some(0), "{text}");
    let verify_b = |archive: &Path| {
        run_in(&[
            "verify".as_ref(),
            dir.path().join("b.pdf").as_os_str(),
            "--archive".as_ref(),
            archive.as_os_str(),
            "--lang".as_ref(),
            "en".as_ref(),
        ])
    };
    let (code, text) = verify_b(&file);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("still holds the 6 entries"), "{text}");

    type Edit = fn(&mut Vec<tinnhiem::model::AuditEntry>);
    let cases: [(&str, Edit); 3] = [
        ("the first minutes' export and signature cut", |log| {
            log.truncate(4);
        }),
        ("the first minutes' file name rewritten", |log| {
            if let Action::Exported { file, .. } = &mut log[4].action {
                *file = "khac.pdf".into();
            }
        }),
        ("rewritten and the chain recomputed", |log| {
            if let Action::Exported { file, .. } = &mut log[4].action {
                *file = "khac.pdf".into();
            }
            for i in 5..log.len() {
                log[i].prev = Some(log[i - 1].hash());
            }
        }),
    ];
    for (what, edit) in cases {
        let cut = dir.path().join("cut.ron");
        fs::copy(&file, &cut).unwrap();
        tamper(&cut, edit);
        let (code, text) = verify_b(&cut);
        assert_eq!(code, Some(1), "{what}: {text}");
        assert!(
            text.contains("these minutes were written when the log had 6 entries"),
            "{what}: {text}"
        );
    }
    // The seal alone cannot see a cut after it: the archive by itself still verifies.
    let cut = dir.path().join("cut.ron");
    fs::copy(&file, &cut).unwrap();
    tamper(&cut, |log| log.truncate(4));
    let (v, vt, _, _) = verify_and_check(&cut);
    assert_eq!(v, Some(0), "{vt}");
}

/// Issue 20: a signed seal stripped of its signature read as valid, its limits in a note
/// after. An unsigned seal's first line now says it proves nothing about who sealed it, and
/// `--require-signed` refuses it (exit 1) while a signed seal passes.
#[test]
fn an_unsigned_seal_says_so_first_and_can_be_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = key(dir.path());
    let signed = sealed(dir.path(), Some(&key));
    let stripped = dir.path().join("stripped.ron");
    fs::copy(&signed, &stripped).unwrap();
    let mut s = archive::load(&stripped).unwrap();
    if let Status::Final(seal) = &mut s.status {
        assert!(seal.signature.take().is_some(), "the seal was signed");
    }
    archive::save(&stripped, &s).unwrap();
    let verify = |file: &Path, strict: bool| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "verify".as_ref(),
            "--lang".as_ref(),
            "en".as_ref(),
            file.as_os_str(),
        ];
        if strict {
            args.push("--require-signed".as_ref());
        }
        run_in(&args)
    };
    let (code, text) = verify(&stripped, false);
    assert_eq!(code, Some(0), "{text}");
    let first = text.lines().next().unwrap_or_default();
    assert!(
        first.contains("NOT signed") && first.contains("proves nothing about who sealed it"),
        "{text}"
    );
    let (code, text) = verify(&stripped, true);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("--require-signed"), "{text}");
    let (code, text) = verify(&signed, true);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.starts_with("Valid"), "{text}");
    assert!(!text.contains("NOT signed"), "{text}");
}

/// Archives sealed by the build before version-2 seals (`tests/fixtures/old-seals`, its
/// README says how each was made), copied: each still verifies and checks as before, a
/// signed one against its certificate as a root too; `--require-signed` tells the signed
/// from the unsigned; minutes of that build, which state no log position, still verify
/// against their archive, saying the log was not checked. The one new rule reaches them: a
/// first entry that states a `prev` (the entries before it cut) fails.
#[test]
fn old_seals_still_verify() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/old-seals");
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "v0-unchained.ron",
        "v1-unsigned.ron",
        "v1-signed.ron",
        "v1-cycle.ron",
        "v1-legacy-prefix.ron",
        "v1-signed.pdf",
        "sealer.pem",
    ] {
        fs::copy(fixtures.join(name), dir.path().join(name)).unwrap();
    }
    let p = |n: &str| dir.path().join(n);
    let ca = p("sealer.pem");
    for (name, signed) in [
        ("v0-unchained.ron", false),
        ("v1-unsigned.ron", false),
        ("v1-signed.ron", true),
        ("v1-cycle.ron", true),
        ("v1-legacy-prefix.ron", true),
    ] {
        let file = p(name);
        let (v, vt, c, ct) = verify_and_check(&file);
        assert_eq!((v, c), (Some(0), Some(0)), "{name}:\n{vt}\n{ct}");
        let (v, vt) = run_in(&[
            "verify".as_ref(),
            file.as_os_str(),
            "--require-signed".as_ref(),
            "--ca".as_ref(),
            ca.as_os_str(),
            "--lang".as_ref(),
            "en".as_ref(),
        ]);
        if signed {
            assert_eq!(v, Some(0), "{name}: {vt}");
            assert!(vt.contains("trusted: the chain reaches"), "{name}: {vt}");
        } else {
            assert_eq!(v, Some(1), "{name}: {vt}");
            assert!(vt.starts_with("The seal is NOT signed"), "{name}: {vt}");
        }
    }
    let (v, vt) = run_in(&[
        "verify".as_ref(),
        p("v1-signed.pdf").as_os_str(),
        "--archive".as_ref(),
        p("v1-signed.ron").as_os_str(),
        "--lang".as_ref(),
        "en".as_ref(),
    ]);
    assert_eq!(v, Some(0), "{vt}");
    assert!(
        vt.contains("The fingerprint in the PDF matches")
            && vt.contains("states no position in the log"),
        "{vt}"
    );
    for name in ["v1-signed.ron", "v1-cycle.ron"] {
        tamper(&p(name), |log| drop(log.remove(0)));
        let (v, vt, c, ct) = verify_and_check(&p(name));
        assert_eq!((v, c), (Some(1), Some(1)), "{name}:\n{vt}\n{ct}");
        assert!(
            vt.contains("the beginning of the log was cut"),
            "{name}: {vt}"
        );
    }
}

/// Each shipped example, copied and finalised now, with and without a key: a version-2 seal
/// that verifies, and whose log cut in front fails.
#[test]
fn shipped_examples_seal_in_the_new_form() {
    let dir = tempfile::tempdir().unwrap();
    let key = key(dir.path());
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples");
    for name in ["chi-bo", "hdnd-nq96", "tieu-chi", "tinh-uy"] {
        for signed in [false, true] {
            let file = dir.path().join(format!("{name}.ron"));
            fs::copy(examples.join(format!("{name}.ron")), &file).unwrap();
            let mut s = archive::load(&file).unwrap();
            // A double-entry example's groups are already agreed; a log to pin.
            s.log(
                "Lê Quang Vinh",
                tinnhiem::lifecycle::Timestamp(1_700_000_000),
                Action::Exported {
                    kind: "csv".into(),
                    file: "kq.csv".into(),
                    fingerprint: String::new(),
                },
            );
            archive::save(&file, &s).unwrap();
            let mut args: Vec<&std::ffi::OsStr> = vec![
                "finalise".as_ref(),
                file.as_os_str(),
                "--operator".as_ref(),
                "Phạm Văn Đức".as_ref(),
            ];
            if signed {
                args.extend([
                    "--p12".as_ref(),
                    key.0.as_os_str(),
                    "--password-file".as_ref(),
                    key.1.as_os_str(),
                ]);
            }
            let (code, text) = run_in(&args);
            assert_eq!(code, Some(0), "{name}: {text}");
            let s = archive::load(&file).unwrap();
            let Status::Final(seal) = &s.status else {
                panic!("{name}: not final")
            };
            assert_eq!(seal.entries, Some(1), "{name}");
            assert_eq!(seal.signature.is_some(), signed, "{name}");
            let (v, vt, c, ct) = verify_and_check(&file);
            assert_eq!((v, c), (Some(0), Some(0)), "{name}:\n{vt}\n{ct}");
            tamper(&file, |log| drop(log.remove(0)));
            let (v, vt, c, ct) = verify_and_check(&file);
            assert_eq!((v, c), (Some(1), Some(1)), "{name}:\n{vt}\n{ct}");
        }
    }
}
