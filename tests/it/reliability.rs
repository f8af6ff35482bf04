//! Issue 9's defects, each with its reproducer: what a fuzzer, a forger and a kill loop found.
//! Every test here failed before its fix.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use tinnhiem::model::FieldPath;

use crate::common::{pdftotext, run};
use tinnhiem::archive;
use tinnhiem::lifecycle::{Action, Timestamp};
use tinnhiem::model::Session;
use tinnhiem::teams::{MergeError, merge};
use tinnhiem::validate::{Code, validate};

fn example(name: &str) -> Session {
    archive::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/examples")
            .join(format!("{name}.ron")),
    )
    .unwrap()
}

/// `session` saved as `name` in `dir`.
fn saved(dir: &Path, name: &str, session: &Session) -> PathBuf {
    let path = dir.join(name);
    archive::save(&path, session).unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const T: Timestamp = Timestamp(1_702_600_000);

/// Defect 1: `minutes --with-log` prints a log whose entries have an empty old or new value (every
/// count first typed into an empty cell, every merge) and the "∅" older builds stored.
#[test]
fn log_annex_prints_empty_values() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = example("chi-bo");
    for (old, new) in [("", "3"), ("∅ | 2", "2"), ("4", "")] {
        session.log(
            "Phạm Văn Đức",
            T,
            Action::Edit {
                path: "groups[0].cadres[0].overall.low".into(),
                old: old.into(),
                new: new.into(),
                label: None,
            },
        );
    }
    let path = saved(dir.path(), "log.ron", &session);
    let pdf = dir.path().join("log.pdf");
    let o = run(&["minutes", s(&path), "-o", s(&pdf), "--with-log"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = pdftotext(&pdf);
    assert!(text.contains("(trống) → 3"), "{text}");
    assert!(text.contains("(trống) | 2 → 2"), "{text}");
    assert!(text.contains("4 → (trống)"), "{text}");
}

/// Defect 2: A name that is one word of 2.3 million letters never panics a command: `check` says it
/// is too long (E004, with its path) and `minutes` refuses it; a word of 4,000 letters, within
/// the limit, is broken across lines and printed whole.
#[test]
fn overlong_word_does_not_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = example("chi-bo");
    session.groups[0].cadres[0].name = "A".repeat(2_300_000);
    let path = saved(dir.path(), "dai.ron", &session);
    let o = run(&["check", s(&path)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("E004 groups[0].cadres[0].name"),
        "{}",
        stdout(&o)
    );
    let pdf = dir.path().join("dai.pdf");
    let o = run(&["minutes", s(&path), "-o", s(&pdf)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!pdf.exists());

    session.groups[0].cadres[0].name = "A".repeat(4_000);
    let path = saved(dir.path(), "dai.ron", &session);
    let o = run(&["minutes", s(&path), "-o", s(&pdf)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let letters = pdftotext(&pdf).chars().filter(|&c| c == 'A').count();
    assert!(letters >= 4_000, "{letters}");
    assert!(
        pdftotext(&pdf).contains(&format!("{}\n", "A".repeat(14))),
        "the name is not broken into lines"
    );
}

/// Defect 3: Characters the PDF cannot print (NUL, U+FEFF, bidi controls, DEL, emoji) are refused by
/// `check` and `finalise`, with the field's path, and never reach a sealed archive.
#[test]
fn unprintable_text_is_refused_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ('\u{0}', "groups[0].cadres[1].name"),
        ('\u{feff}', "meta.conference"),
        ('\u{2066}', "chair.name"),
        ('\u{61c}', "groups[0].cadres[0].position"),
        ('\u{7f}', "committee[0].name"),
        ('😀', "groups[0].name"),
    ];
    for (i, (ch, field)) in cases.into_iter().enumerate() {
        let mut session = example("chi-bo");
        let target = match field {
            "groups[0].cadres[1].name" => &mut session.groups[0].cadres[1].name,
            "meta.conference" => &mut session.meta.conference,
            "chair.name" => &mut session.chair.name,
            "groups[0].cadres[0].position" => &mut session.groups[0].cadres[0].position,
            "committee[0].name" => &mut session.committee[0].name,
            _ => &mut session.groups[0].name,
        };
        target.push(ch);
        let findings = validate(&session);
        let f = findings
            .0
            .iter()
            .find(|f| f.code == Code::UnprintableText)
            .unwrap_or_else(|| panic!("U+{:04X} accepted", u32::from(ch)));
        assert_eq!(f.path.to_string(), field);
        assert!(f.message.vi.contains(&format!("U+{:04X}", u32::from(ch))));
        let path = saved(dir.path(), &format!("c{i}.ron"), &session);
        let before = fs::read(&path).unwrap();
        let o = run(&["check", s(&path)]);
        assert_eq!(o.status.code(), Some(1));
        assert!(
            stdout(&o).contains(&format!("E003 {field}")),
            "{}",
            stdout(&o)
        );
        let o = run(&["finalise", s(&path), "--operator", "Phạm Văn Đức"]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert_eq!(fs::read(&path).unwrap(), before, "a refused finalise wrote");
    }
}

/// Defect 3: What the app's text fields type goes through the edits, which drop such characters.
#[test]
fn edits_drop_unprintable_characters() {
    use tinnhiem::edit::Edit;
    let mut session = example("chi-bo");
    Edit::RenameCadre {
        group: 0,
        cadre: 0,
        name: "Nguyễn\u{200b} Văn\u{202e} An😀".into(),
    }
    .apply(&mut session)
    .unwrap();
    assert_eq!(session.groups[0].cadres[0].name, "Nguyễn Văn An");
    assert!(!validate(&session).contains(Code::UnprintableText));
}

fn team(name: &str, collected: u32, high: u32) -> Session {
    let mut s = example("chi-bo");
    s.team = Some(name.into());
    s.groups[0].voters.collected = Some(collected);
    s.groups[0].voters.void_sheets = Some(0);
    for c in &mut s.groups[0].cadres {
        c.overall.high = Some(high);
        c.overall.medium = Some(0);
        c.overall.low = Some(0);
    }
    s
}

/// Defect 4: Team names that differ only invisibly, by case, spaces or leading zeros are the same
/// team: merging them is refused.
#[test]
fn merge_refuses_the_same_team_under_another_spelling() {
    for (a, b) in [
        ("Tổ 2", "Tổ 2\u{200b}"),
        ("Tổ 01", "Tổ 1"),
        ("TỔ 3", "tổ  3"),
        ("Tổ 1", "Tổ1"),
    ] {
        let r = merge(&[team(a, 4, 1), team(b, 3, 2)], "Người gộp", T);
        assert!(
            matches!(r, Err(MergeError::OverlappingTeam(_))),
            "{a:?} / {b:?}: {r:?}"
        );
    }
    assert!(merge(&[team("Tổ 1", 4, 1), team("Tổ 10", 3, 2)], "Người gộp", T).is_ok());
}

/// Defect 4: The same counted content twice (a team's file copied and renamed to another team) and
/// the same team archive id twice are refused.
#[test]
fn merge_refuses_identical_counts_and_the_same_team_archive() {
    let r = merge(&[team("Tổ 1", 4, 1), team("Tổ 2", 4, 1)], "Người gộp", T);
    assert!(matches!(r, Err(MergeError::IdenticalCounts(1, 2))), "{r:?}");

    let mut a = team("Tổ 1", 4, 1);
    let mut b = team("Tổ 2", 3, 2);
    a.team_id = Some("0123456789abcdef".into());
    b.team_id = Some("0123456789abcdef".into());
    let r = merge(&[a.clone(), b.clone()], "Người gộp", T);
    assert!(matches!(r, Err(MergeError::SameTeamArchive(1, 2))), "{r:?}");

    // A merged archive keeps each team's id: merging it again with one of its teams is refused
    // even when that team's file says another team name.
    b.team_id = Some("fedcba9876543210".into());
    let merged = merge(&[a.clone(), b], "Người gộp", T).unwrap();
    let mut again = a;
    again.team = Some("Tổ 9".into());
    again.groups[0].voters.collected = Some(5);
    let r = merge(&[merged, again], "Người gộp", T);
    assert!(matches!(r, Err(MergeError::SameTeamArchive(1, 2))), "{r:?}");
}

/// Defect 4: Giving an archive its team makes its id; giving it another team (a copy of the setup
/// handed on) makes another.
#[test]
fn setting_a_team_makes_an_id() {
    use tinnhiem::edit::Edit;
    let mut s = example("chi-bo");
    assert_eq!(s.team_id, None);
    Edit::SetTeam("Tổ 1".into()).apply(&mut s).unwrap();
    let first = s.team_id.clone().unwrap();
    Edit::SetTeam("Tổ  1 ".into()).apply(&mut s).unwrap();
    assert_eq!(s.team_id.as_deref(), Some(first.as_str()));
    Edit::SetTeam("Tổ 2".into()).apply(&mut s).unwrap();
    assert_ne!(s.team_id.as_deref(), Some(first.as_str()));
    Edit::SetTeam(String::new()).apply(&mut s).unwrap();
    assert_eq!(s.team_id, None);
}

/// Defect 5: A sum across teams that does not fit in a count is an error naming its field, never an
/// empty field.
#[test]
fn merge_overflow_is_an_error_with_its_path() {
    let mut a = team("Tổ 1", 4, 1);
    let b = team("Tổ 2", 3, 2);
    let mut b = b;
    a.groups[0].cadres[1].overall.low = Some(u32::MAX);
    b.groups[0].cadres[1].overall.low = Some(1);
    let r = merge(&[a, b], "Người gộp", T);
    match r {
        Err(MergeError::Overflow(path)) => {
            assert_eq!(path, "groups[0].cadres[1].overall.low");
        }
        other => panic!("{other:?}"),
    }
    let mut a = team("Tổ 1", u32::MAX, 1);
    a.groups[0].voters.void_sheets = Some(0);
    let r = merge(&[a, team("Tổ 2", 3, 2)], "Người gộp", T);
    assert!(
        matches!(&r, Err(MergeError::Overflow(p)) if p == "groups[0].voters.collected"),
        "{r:?}"
    );
    assert!(r.unwrap_err().to_string().contains("4.294.967.295"));
}

/// Defect 6: Ten `minutes` at once on one archive: every export is in the log (each waited for the
/// archive's lock), none lost to another's write.
#[test]
fn concurrent_writers_never_lose_a_log_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path(), "khoa.ron", &example("chi-bo"));
    let children: Vec<_> = (0..10)
        .map(|i| {
            std::process::Command::new(env!("CARGO_BIN_EXE_tinnhiem"))
                .args(["minutes", s(&path), "-o"])
                .arg(dir.path().join(format!("bb{i}.pdf")))
                .args(["--operator", &format!("Người {i}")])
                .output_async()
        })
        .collect();
    let mut ok = 0;
    for child in children {
        let o = child.wait_with_output().unwrap();
        match o.status.code() {
            Some(0) => ok += 1,
            Some(2) => assert!(stderr(&o).contains("đang ghi"), "{}", stderr(&o)),
            other => panic!("{other:?}: {}", stderr(&o)),
        }
    }
    let logged = archive::load(&path)
        .unwrap()
        .audit
        .iter()
        .filter(|e| matches!(e.action, Action::Exported { .. }))
        .count();
    assert_eq!(logged, ok);
    assert!(ok >= 5, "{ok}");
    assert!(
        !dir.path().join(".khoa.ron.lock").exists(),
        "lock file left behind"
    );
}

/// Spawns a command without waiting for it.
trait OutputAsync {
    fn output_async(&mut self) -> std::process::Child;
}

impl OutputAsync for std::process::Command {
    fn output_async(&mut self) -> std::process::Child {
        self.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }
}

/// Defect 6: While one writer holds the lock, a second is refused after waiting, with a message, and
/// the archive is untouched.
#[test]
fn a_held_lock_refuses_a_second_writer() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path(), "giu.ron", &example("chi-bo"));
    let before = fs::read(&path).unwrap();
    let held = archive::lock(&path).unwrap();
    let o = run(&["finalise", s(&path), "--operator", "Phạm Văn Đức"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is writing this file"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read(&path).unwrap(), before);
    drop(held);
    let o = run(&["finalise", s(&path), "--operator", "Phạm Văn Đức"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn set_mode(p: &Path, m: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
}

/// Defect 7: Saving keeps the archive's mode (and gives the backup the same); new documents get the
/// umask's mode (0644 here), not 0600.
#[cfg(unix)]
#[test]
fn saving_keeps_the_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path(), "quyen.ron", &example("chi-bo"));
    set_mode(&path, 0o664);
    let o = run(&["finalise", s(&path), "--operator", "Phạm Văn Đức"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(mode(&path), 0o664);
    assert_eq!(mode(&archive::backup_path(&path)), 0o664);
    let pdf = dir.path().join("quyen.pdf");
    let csv = dir.path().join("quyen.csv");
    let umask_022 = |args: &[&str]| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg("umask 022; exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_tinnhiem"))
            .args(args)
            .output()
            .unwrap()
    };
    let o = umask_022(&["minutes", s(&path), "-o", s(&pdf)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = umask_022(&["export", s(&path), "-o", s(&csv)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(mode(&pdf), 0o644);
    assert_eq!(mode(&csv), 0o644);
    assert_eq!(
        mode(&path),
        0o664,
        "the export's log entry changed the mode"
    );
}

/// Defect 7: A read-only archive is never rewritten: `finalise`, `reopen` and `minutes` refuse with a
/// message (and `minutes` writes no PDF); `--allow-unlogged` writes the PDF without the log.
#[cfg(unix)]
#[test]
fn read_only_archive_is_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = example("chi-bo");
    session.finalise("Phạm Văn Đức", T).unwrap();
    let path = saved(dir.path(), "chi-doc.ron", &session);
    set_mode(&path, 0o444);
    let before = fs::read(&path).unwrap();
    let pdf = dir.path().join("chi-doc.pdf");
    for args in [
        vec!["reopen", s(&path), "--operator", "A", "--reason", "sửa"],
        vec!["minutes", s(&path), "-o", s(&pdf)],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("read-only"), "{}", stderr(&o));
    }
    assert!(!pdf.exists());
    let o = run(&["minutes", s(&path), "-o", s(&pdf), "--allow-unlogged"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(pdf.exists());
    assert!(stderr(&o).contains("read-only"));
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(mode(&path), 0o444);
    let mut draft = example("chi-bo");
    draft.meta.place = "Hà Nội".into();
    let draft_path = saved(dir.path(), "nhap.ron", &draft);
    set_mode(&draft_path, 0o444);
    let o = run(&["finalise", s(&draft_path), "--operator", "A"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(archive::load(&draft_path).unwrap().status.is_draft());
}

/// Defect 8: A file that is not UTF-8 is reported with the line and column of its first bad byte.
#[test]
fn invalid_utf8_has_a_position() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hong.ron");
    fs::write(&path, b"// x\n(\n    meta: \"ab\xff\",\n)\n").unwrap();
    let e = archive::load(&path).unwrap_err();
    assert!(
        matches!(
            e,
            archive::ArchiveError::NotText {
                line: 3,
                column: 14,
                ..
            }
        ),
        "{e:?}"
    );
    let o = run(&["check", s(&path)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("dòng 3, cột 14"), "{}", stderr(&o));
    assert!(stderr(&o).contains("line 3, column 14"), "{}", stderr(&o));
}

/// Defect 9: Temporary files a killed run left are removed at the next write in the folder, once old
/// enough not to be another writer's under way.
#[test]
fn stale_temporary_files_are_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path(), "don.ron", &example("chi-bo"));
    let stale = dir.path().join(".tinnhiem-AbC123.tmp");
    let fresh = dir.path().join(".tinnhiem-XyZ789.tmp");
    let other = dir.path().join("ghi-chu.tmp");
    for p in [&stale, &fresh, &other] {
        fs::write(p, "x").unwrap();
    }
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for p in [&stale, &other] {
        fs::File::options()
            .write(true)
            .open(p)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    }
    let o = run(&["finalise", s(&path), "--operator", "Phạm Văn Đức"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stale.exists());
    assert!(fresh.exists());
    assert!(other.exists());
}

/// Defect 9: `--sign` without `--password-file` says that no password was given.
#[test]
fn sign_without_password_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let p12 = crate::common::make_p12(dir.path(), "mat-khau");
    let path = saved(dir.path(), "ky.ron", &example("chi-bo"));
    let pdf = dir.path().join("ky.pdf");
    let o = run(&["finalise", s(&path), "--operator", "Phạm Văn Đức"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&["minutes", s(&path), "-o", s(&pdf), "--sign", s(&p12)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no password given"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("wrong password"), "{}", stderr(&o));
    assert!(!pdf.exists());
}

/// Defect 9: A signed PDF whose `/ByteRange` was damaged is reported as a damaged signature, not as
/// having none.
#[test]
fn damaged_byte_range_is_damaged_not_absent() {
    let dir = tempfile::tempdir().unwrap();
    let p12 = crate::common::make_p12(dir.path(), "mk");
    let pw = dir.path().join("pw.txt");
    fs::write(&pw, "mk\n").unwrap();
    let mut session = example("chi-bo");
    session.finalise("Phạm Văn Đức", T).unwrap();
    let path = saved(dir.path(), "ky.ron", &session);
    let pdf = dir.path().join("ky.pdf");
    let o = run(&[
        "minutes",
        s(&path),
        "-o",
        s(&pdf),
        "--sign",
        s(&p12),
        "--password-file",
        s(&pw),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut bytes = fs::read(&pdf).unwrap();
    let at = bytes.windows(11).position(|w| w == b"/ByteRange[").unwrap();
    bytes[at + 11] = b'x';
    bytes[at + 12] = b'(';
    fs::write(&pdf, &bytes).unwrap();
    let o = run(&["verify", s(&pdf), "--lang", "en"]);
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("no digital signature"), "{out}");
    assert!(out.contains("malformed signature"), "{out}");
}

/// Defect 9: An output that is a hard link to the input archive is refused like the archive itself.
#[cfg(unix)]
#[test]
fn hard_link_to_the_input_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path(), "goc.ron", &example("chi-bo"));
    let link = dir.path().join("lien-ket.pdf");
    fs::hard_link(&path, &link).unwrap();
    let before = fs::read(&path).unwrap();
    for cmd in ["minutes", "export", "ballots"] {
        let o = run(&[cmd, s(&path), "-o", s(&link)]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        assert!(
            stderr(&o).contains("the output is the archive"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(fs::read(&path).unwrap(), before);
}

/// The seal's limits are said where the seal is checked: an unsigned seal's first line says
/// it proves nothing about who sealed, and what it does catch follows the verdict.
#[test]
fn verify_states_what_the_seal_proves() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = example("chi-bo");
    session.finalise("Phạm Văn Đức", T).unwrap();
    let path = saved(dir.path(), "chot.ron", &session);
    let o = run(&["verify", s(&path)]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].contains("KHÔNG được ký số: không chứng minh được ai đã chốt"),
        "{text}"
    );
    assert!(lines[1].starts_with("Hợp lệ"), "{text}");
    assert!(lines[2].contains("không chống giả mạo"), "{text}");
}

/// Review findings on merging: two teams with their own archive ids may count the same
/// figures (15 and 15 sheets, all "tín nhiệm cao"); "Tổ 1 2" is not "Tổ 12"; a merged archive
/// later given a team name is refused, since its teams could not be checked.
#[test]
fn merge_identity_edge_cases() {
    let mut a = team("Tổ 1", 4, 1);
    let mut b = team("Tổ 2", 4, 1);
    a.team_id = Some("aaaaaaaaaaaaaaaa".into());
    b.team_id = Some("bbbbbbbbbbbbbbbb".into());
    assert!(merge(&[a.clone(), b], "Người gộp", T).is_ok());

    assert_ne!(
        tinnhiem::teams::team_key("Tổ 1 2"),
        tinnhiem::teams::team_key("Tổ 12")
    );
    assert_eq!(
        tinnhiem::teams::team_key("TỔ  01"),
        tinnhiem::teams::team_key("tổ 1\u{200b}")
    );

    let merged = merge(&[team("Tổ 1", 4, 1), team("Tổ 2", 3, 2)], "Người gộp", T).unwrap();
    let mut renamed = merged;
    renamed.team = Some("Tổ 5".into());
    let r = merge(&[renamed, team("Tổ 1", 5, 3)], "Người gộp", T);
    assert!(matches!(r, Err(MergeError::TeamAndTeams(1))), "{r:?}");
}

/// A private archive stays private: a 0600 archive and its backup stay 0600, and recovery
/// copies and preferences are 0600 whatever the umask.
#[cfg(unix)]
#[test]
fn private_files_stay_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path(), "rieng.ron", &example("chi-bo"));
    set_mode(&path, 0o600);
    let mut s = example("chi-bo");
    s.meta.place = "Huế".into();
    archive::save(&path, &s).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&archive::backup_path(&path)), 0o600);
    let rec = archive::recovery_path(Some(&path), None).unwrap();
    archive::save_recovery(&rec, &s).unwrap();
    assert_eq!(mode(&rec), 0o600);
}

/// The log annex and the app read a change in words: the field as it was named when the
/// change was made ("3. Đặng Ngọc Ánh — Tín nhiệm thấp"), a double-entry step in the reader's
/// language only; a change logged before labels existed still shows its path.
#[test]
fn the_log_reads_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = example("chi-bo");
    s.log_edit(
        "Võ Thị Thu Hà",
        T,
        FieldPath::parse("groups[0].cadres[2].overall.low"),
        ("1".into(), "2".into()),
        false,
    );
    s.log_edit(
        "Võ Thị Thu Hà",
        T,
        FieldPath::parse("meta.place"),
        ("Huế".into(), "Đà Nẵng".into()),
        false,
    );
    // Moving the cadre afterwards does not rename the logged change.
    s.groups[0].cadres.swap(1, 2);
    let words = s.audit[0].describe(tinnhiem::text::Lang::Vi);
    assert_eq!(words, "3. Đặng Ngọc Ánh — Tín nhiệm thấp: 1 → 2");
    assert_eq!(
        s.audit[1].describe(tinnhiem::text::Lang::En),
        "Place: Huế → Đà Nẵng"
    );
    s.groups[0].cadres.swap(1, 2);
    s.double_entry = true;
    s.finish_first_entry(0, "Võ Thị Thu Hà", T).unwrap();
    let step = s.audit.last().unwrap();
    assert_eq!(
        step.describe(tinnhiem::text::Lang::Vi),
        "Chi ủy Chi bộ — nhập hai lần: xong lần nhập thứ nhất"
    );
    assert_eq!(
        step.describe(tinnhiem::text::Lang::En),
        "Chi ủy Chi bộ — double entry: first entry finished"
    );
    s.log(
        "Cũ",
        T,
        Action::Edit {
            path: "groups[0].voters.collected".into(),
            old: "6".into(),
            new: "7".into(),
            label: None,
        },
    );
    assert_eq!(
        s.audit.last().unwrap().describe(tinnhiem::text::Lang::Vi),
        "groups[0].voters.collected: 6 → 7"
    );
    let path = saved(dir.path(), "nk.ron", &s);
    let back = archive::load(&path).unwrap();
    assert_eq!(back.audit, s.audit, "labels survive the archive");
}

/// Issue 20: `minutes` that wrote the PDF but could not log the export in the archive (a full
/// disk; here the backup's name is taken by a folder, so the archive cannot be replaced) exits
/// 1, keeps the PDF and says that the export is not in the log; the archive is unchanged.
#[test]
fn minutes_that_cannot_be_logged_exit_1_and_keep_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = example("chi-bo");
    session.finalise("Phạm Văn Đức", T).unwrap();
    let path = saved(dir.path(), "day.ron", &session);
    fs::create_dir(archive::backup_path(&path)).unwrap();
    let before = fs::read(&path).unwrap();
    let pdf = dir.path().join("day.pdf");
    let o = run(&[
        "minutes",
        s(&path),
        "-o",
        s(&pdf),
        "--operator",
        "Võ Thị Thu Hà",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        fs::read(&pdf).unwrap().starts_with(b"%PDF"),
        "the PDF is kept"
    );
    let err = stderr(&o);
    assert!(
        err.contains("không ghi được nhật ký") && err.contains("could not be logged"),
        "{err}"
    );
    assert!(err.contains("day.pdf"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before);
}
