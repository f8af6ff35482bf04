//! The RON archive: round trips, deterministic bytes, atomic saves with a backup, and clear
//! errors (never a panic) for broken, hand-edited and newer files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use tinnhiem::archive::{self, ArchiveError, ParseError};
use tinnhiem::model::{FORMAT_VERSION, FieldPath, human_path};
use tinnhiem::text::Lang;
use unicode_normalization::UnicodeNormalization;

fn examples() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
    v.sort();
    assert!(v.len() >= 3, "the examples are missing");
    v
}

/// Every shipped example loads, and load → save → load gives an equal session; the shipped
/// file is already in canonical form (saving it gives the same bytes).
#[test]
fn examples_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    for path in examples() {
        let session = archive::load(&path).unwrap();
        let out = dir.path().join(path.file_name().unwrap());
        archive::save(&out, &session).unwrap();
        assert_eq!(archive::load(&out).unwrap(), session, "{}", path.display());
        assert_eq!(
            fs::read_to_string(&out).unwrap(),
            fs::read_to_string(&path).unwrap(),
            "{} is not canonical",
            path.display()
        );
    }
}

/// Saving twice gives identical bytes, and the second save keeps no backup of identical content
/// but a third save of a change keeps the previous content as NAME.ron.bak.
#[test]
fn saves_are_deterministic_and_keep_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("phien.ron");
    let mut session = archive::load(&examples()[0]).unwrap();
    archive::save(&path, &session).unwrap();
    let first = fs::read(&path).unwrap();
    archive::save(&path, &session).unwrap();
    assert_eq!(fs::read(&path).unwrap(), first);
    assert!(!archive::backup_path(&path).exists());

    session.groups[0].cadres[0].overall.high = Some(0);
    archive::save(&path, &session).unwrap();
    assert_eq!(fs::read(archive::backup_path(&path)).unwrap(), first);
    assert_ne!(fs::read(&path).unwrap(), first);
    // No temporary file is left behind.
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

/// A failed save (the target folder does not exist) reports the path and leaves nothing.
#[test]
fn failed_save_reports_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-folder/phien.ron");
    let session = archive::load(&examples()[0]).unwrap();
    let err = archive::save(&path, &session).unwrap_err();
    assert!(matches!(err, ArchiveError::Write { .. }));
    let m = err.message();
    assert!(m.vi.contains("missing-folder") && m.en.contains("previous file is intact"));
}

/// Text typed with combining marks (NFD) is NFC after load, and saves as NFC.
#[test]
fn nfd_is_normalised_on_load() {
    let text = fs::read_to_string(&examples()[0]).unwrap();
    let nfd: String = text.nfd().collect();
    assert_ne!(nfd, text);
    let session = archive::from_str(&nfd).unwrap();
    assert_eq!(session, archive::from_str(&text).unwrap());
    assert_eq!(archive::to_string(&session).unwrap(), text);
}

/// A file from a newer tinnhiem is refused, saying so, even if it has fields this build does
/// not know.
#[test]
fn newer_version_is_refused() {
    let text = fs::read_to_string(&examples()[0]).unwrap();
    let newer = text.replace(
        &format!("format_version: {FORMAT_VERSION},"),
        &format!(
            "format_version: {},\n    signatures: [],",
            FORMAT_VERSION + 1
        ),
    );
    let err = archive::from_str(&newer).unwrap_err();
    assert_eq!(
        err,
        ParseError::NewerVersion {
            found: FORMAT_VERSION + 1,
            supported: FORMAT_VERSION
        }
    );
    assert!(err.message().vi.contains("mới hơn"));
    assert!(err.message().en.contains("newer"));
}

/// An unknown field is an error with its line, column and the expected fields, not dropped.
#[test]
fn unknown_field_is_an_error_with_position() {
    let text = fs::read_to_string(&examples()[0]).unwrap();
    let broken = text.replacen("        place:", "        plaec: \"x\",\n        place:", 1);
    let line = broken.lines().position(|l| l.contains("plaec")).unwrap() + 1;
    match archive::from_str(&broken).unwrap_err() {
        ParseError::Syntax {
            line: l, message, ..
        } => {
            assert_eq!(l, line);
            assert!(
                message.en.contains("unknown field \"plaec\""),
                "{}",
                message.en
            );
            assert!(
                message.vi.contains("trường không được biết"),
                "{}",
                message.vi
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A negative or text count, a missing bracket and a missing field each give a position and a
/// bilingual message.
#[test]
fn hand_broken_files_give_positions() {
    let text = fs::read_to_string(&examples()[0]).unwrap();
    let cases = [
        text.replacen("high: 5", "high: -5", 1),
        text.replacen("high: 5", "high: \"năm\"", 1),
        text.replacen("issued: 7,", "issued: 7", 1),
        text.replacen("    profile: Qd96,\n", "", 1),
        text.replacen("profile: Qd96", "profile: Qd97", 1),
        text.replacen("date: \"2023-11-20\"", "date: \"2023-02-30\"", 1),
        text[..text.len() / 2].to_owned(),
    ];
    for broken in &cases {
        match archive::from_str(broken) {
            Err(ParseError::Syntax {
                line,
                column,
                message,
            }) => {
                assert!(line >= 1 && column >= 1);
                assert!(!message.vi.is_empty() && !message.en.is_empty());
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }
}

/// No prefix of an archive (a file cut off by a crash or a bad copy) makes the parser panic.
#[test]
fn truncated_files_never_panic() {
    let text = fs::read_to_string(&examples()[0]).unwrap();
    for (i, _) in text.char_indices() {
        let _ = archive::from_str(&text[..i]);
    }
}

/// Loading a missing file, a folder or non-UTF-8 bytes gives a clear error, never a panic.
#[test]
fn unreadable_files() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        archive::load(&dir.path().join("none.ron")),
        Err(ArchiveError::Read { .. })
    ));
    assert!(matches!(
        archive::load(dir.path()),
        Err(ArchiveError::Read { .. })
    ));
    let bin = dir.path().join("bin.ron");
    fs::write(&bin, [0xff, 0xfe, 0x00, 0x41]).unwrap();
    assert!(matches!(
        archive::load(&bin),
        Err(ArchiveError::NotText { .. })
    ));
}

/// A UTF-8 byte-order mark (Windows Notepad adds one) is accepted.
#[test]
fn bom_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.ron");
    let text = fs::read_to_string(&examples()[0]).unwrap();
    fs::write(&path, format!("\u{feff}{text}")).unwrap();
    assert_eq!(
        archive::load(&path).unwrap(),
        archive::from_str(&text).unwrap()
    );
}

/// A format-1 archive (made before teams' ids and ballot counts) reads as it is and saves as
/// the current format, its content unchanged.
#[test]
fn format_1_archives_still_read() {
    let text = fs::read_to_string(&examples()[0]).unwrap();
    let old = text.replace(
        &format!("format_version: {FORMAT_VERSION},"),
        "format_version: 1,",
    );
    assert_ne!(old, text);
    let session = archive::from_str(&old).unwrap();
    assert_eq!(session, archive::from_str(&text).unwrap());
    assert_eq!(archive::to_string(&session).unwrap(), text);
}

/// Format 3 changed what an absent base means under NQ 96/2023 (issued → collected): an older
/// archive keeps the base it was made with, and its seal still verifies; a new one takes the
/// new default.
#[test]
fn nq96_archives_keep_their_base() {
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/examples")
            .join("hdnd-nq96.ron"),
    )
    .unwrap();
    assert!(!text.contains("base:"));
    let new = archive::from_str(&text).unwrap();
    assert_eq!(new.base, None);
    assert_eq!(new.effective_base(), tinnhiem::rules::BaseKind::Collected);
    let old = archive::from_str(&text.replace("format_version: 4,", "format_version: 2,")).unwrap();
    assert_eq!(old.base, Some(tinnhiem::rules::BaseKind::Issued));
    // A party archive has one base: nothing to pin.
    let party = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/examples")
            .join("chi-bo.ron"),
    )
    .unwrap();
    let party =
        archive::from_str(&party.replace("format_version: 4,", "format_version: 2,")).unwrap();
    assert_eq!(party.base, None);
}

/// The proceedings are saved and read back; an archive without them keeps its fingerprint
/// (no `proceedings` written at all), one with them gets another.
#[test]
fn proceedings_round_trip_and_fingerprint() {
    use tinnhiem::model::{CommitteeChosen, Proceedings};
    let text = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/chi-bo.ron"),
    )
    .unwrap();
    let mut s = archive::from_str(&text).unwrap();
    assert!(!archive::to_string(&s).unwrap().contains("proceedings"));
    let before = tinnhiem::fingerprint::fingerprint(&s);
    s.proceedings = Proceedings {
        committee_chosen: Some(CommitteeChosen::Approved),
        count_ended: "16 giờ".into(),
        absences: String::new(),
        sealed_to: "Văn phòng".into(),
        remarks: Some(String::new()),
        copies: Some(2),
    };
    let saved = archive::to_string(&s).unwrap();
    assert!(saved.contains("committee_chosen: Approved"), "{saved}");
    assert!(!saved.contains("absences"));
    assert_eq!(archive::from_str(&saved).unwrap(), s);
    assert_ne!(tinnhiem::fingerprint::fingerprint(&s), before);
    let mut none = s.clone();
    none.proceedings.remarks = None;
    assert_ne!(
        tinnhiem::fingerprint::fingerprint(&none),
        tinnhiem::fingerprint::fingerprint(&s),
        "\"no complaints\" is stated, so it is sealed"
    );
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// An archive reached through a symbolic link (here a relative one, from another folder) is
/// written where it really is: `finalise` replaces the real file atomically, keeping its mode,
/// with its `.bak` and its lock beside it, and the link stays a link to it; the same for a
/// save, a document written through a link, and the recovery copy, which lives beside the
/// real file.
#[cfg(unix)]
#[test]
fn symbolic_links_are_written_through() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = tempfile::tempdir().unwrap();
    let (real_dir, link_dir) = (dir.path().join("that"), dir.path().join("here"));
    fs::create_dir_all(&real_dir).unwrap();
    fs::create_dir_all(&link_dir).unwrap();
    let real = real_dir.join("chi-bo.ron");
    let link = link_dir.join("lien-ket.ron");
    let session = archive::load(&examples()[0]).unwrap();
    archive::save(&real, &session).unwrap();
    fs::set_permissions(&real, fs::Permissions::from_mode(0o640)).unwrap();
    symlink("../that/chi-bo.ron", &link).unwrap();
    let before = fs::read(&real).unwrap();

    let o = crate::common::run(&[
        "finalise".as_ref(),
        link.as_os_str(),
        "--operator".as_ref(),
        "Phạm Văn Đức".as_ref(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let is_link = |p: &Path| fs::symlink_metadata(p).unwrap().file_type().is_symlink();
    assert!(is_link(&link), "the link was replaced by a file");
    assert_eq!(
        fs::read_link(&link).unwrap(),
        Path::new("../that/chi-bo.ron")
    );
    assert!(
        archive::load(&real).unwrap().is_final(),
        "the real archive is still a draft"
    );
    assert_eq!(mode(&real), 0o640);
    assert_eq!(fs::read(archive::backup_path(&real)).unwrap(), before);
    assert!(!archive::backup_path(&link).exists());
    let names = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&real_dir), ["chi-bo.ron", "chi-bo.ron.bak"]);
    assert_eq!(names(&link_dir), ["lien-ket.ron"]);

    // The lock is the real file's, whichever name it is taken by.
    let held = archive::lock(&link).unwrap();
    assert!(real_dir.join(".chi-bo.ron.lock").exists());
    assert_eq!(names(&link_dir), ["lien-ket.ron"]);
    drop(held);
    // A save (the app's) and a document through a link write the real files too.
    let mut edited = archive::load(&link).unwrap();
    edited
        .reopen(
            "Phạm Văn Đức",
            tinnhiem::lifecycle::Timestamp(1_702_600_000),
            "sửa",
        )
        .unwrap();
    archive::lock(&link)
        .unwrap()
        .save_expecting(&edited, archive::file_digest(&link))
        .unwrap();
    assert!(is_link(&link));
    assert_eq!(archive::load(&real).unwrap(), edited);
    let pdf = real_dir.join("bien-ban.pdf");
    fs::write(&pdf, "cũ").unwrap();
    let pdf_link = link_dir.join("bien-ban.pdf");
    symlink(&pdf, &pdf_link).unwrap();
    archive::write_atomic(&pdf_link, b"%PDF-1.7").unwrap();
    assert!(is_link(&pdf_link));
    assert_eq!(fs::read(&pdf).unwrap(), b"%PDF-1.7");
    assert_eq!(
        archive::recovery_path(Some(&link), None).unwrap(),
        link_dir.join("../that/chi-bo.ron.recovery")
    );
}

/// A symbolic link to nothing and a loop of links are refused by every writer, with where the
/// link leads and a message, nothing created, the links left as they were.
#[cfg(unix)]
#[test]
fn dangling_and_looping_links_are_refused() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let (real_dir, link_dir) = (dir.path().join("that"), dir.path().join("here"));
    fs::create_dir_all(&real_dir).unwrap();
    fs::create_dir_all(&link_dir).unwrap();
    let session = archive::load(&examples()[0]).unwrap();
    let is_link = |p: &Path| fs::symlink_metadata(p).unwrap().file_type().is_symlink();
    let dangling = link_dir.join("mat.ron");
    symlink("../that/khong-co.ron", &dangling).unwrap();
    let err = archive::save(&dangling, &session).unwrap_err();
    assert!(
        err.message().vi.contains("khong-co.ron"),
        "{}",
        err.message().vi
    );
    assert!(
        err.message().en.contains("does not exist"),
        "{}",
        err.message().en
    );
    assert!(!real_dir.join("khong-co.ron").exists());
    let o = crate::common::run(&[
        "finalise".as_ref(),
        dangling.as_os_str(),
        "--operator".as_ref(),
        "A".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("symbolic link"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let (a, b) = (link_dir.join("a.ron"), link_dir.join("b.ron"));
    symlink("b.ron", &a).unwrap();
    symlink("a.ron", &b).unwrap();
    let err = archive::save(&a, &session).unwrap_err();
    assert!(
        err.message().en.contains("loop of symbolic links"),
        "{err:?}"
    );
    assert!(archive::write_atomic(&b, b"x").is_err());
    assert!(archive::replace_file(&b, b"x").is_err());
    assert!(is_link(&a) && is_link(&b) && is_link(&dangling));
}

/// Set in the child of [`a_killed_writers_lock_file_is_removed_at_the_next_open`]: the archive
/// whose lock it takes and holds until it is killed.
#[cfg(unix)]
const HOLD_LOCK: &str = "TINNHIEM_TEST_HOLD_LOCK";

/// A writer killed while it holds an archive's lock (`kill -9`: no clean-up runs) leaves its
/// `.NAME.ron.lock` behind; the next open of the archive (here `check`) removes it, since no
/// running program holds its lock, while a lock a living writer holds is never removed.
#[cfg(unix)]
#[test]
fn a_killed_writers_lock_file_is_removed_at_the_next_open() {
    use std::io::BufRead;
    use std::process::{Command, Stdio};
    if let Some(path) = std::env::var_os(HOLD_LOCK) {
        let _held = archive::lock(Path::new(&path)).unwrap();
        println!("LOCK-TAKEN");
        std::thread::sleep(std::time::Duration::from_secs(300));
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("khoa.ron");
    archive::save(&path, &archive::load(&examples()[0]).unwrap()).unwrap();
    let lock_file = dir.path().join(".khoa.ron.lock");
    let name = "archive::a_killed_writers_lock_file_is_removed_at_the_next_open";
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(HOLD_LOCK, &path)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("LOCK-TAKEN") {
        line.clear();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "the child ended without taking the lock"
        );
    }
    let check = || crate::common::run(&["check".as_ref(), path.as_os_str()]);
    assert_eq!(check().status.code(), Some(0));
    assert!(lock_file.exists(), "a held lock was removed");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(lock_file.exists(), "kill -9 runs no clean-up");
    assert_eq!(check().status.code(), Some(0));
    assert!(!lock_file.exists(), "the killed writer's lock file stayed");
    archive::save(&path, &archive::load(&path).unwrap()).unwrap();
    assert!(!lock_file.exists());
}

/// Every path the app logs or validation names reads back to itself, and reads as words (here,
/// not in the model's unit tests: reading an example takes the archive, a layer above).
#[test]
fn machine_form_round_trips_and_reads_as_words() {
    let s = archive::load(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/examples/chi-bo.ron")
            .as_path(),
    )
    .unwrap();
    for (path, vi) in [
        (".", "Toàn bộ phiên"),
        ("base", "Cơ sở tính tỉ lệ"),
        ("meta.superior_body", "Cơ quan cấp trên"),
        ("meta.date", "Ngày hội nghị"),
        ("proceedings.sealed_to", "Phiếu niêm phong giao cho"),
        ("proceedings.copies", "Số bản biên bản"),
        ("team", "Tổ kiểm phiếu"),
        ("committee", "Ban kiểm phiếu"),
        ("chair.name", "Chủ trì — họ tên"),
        ("committee[1].role", "Thành viên ban kiểm phiếu 2 — chức vụ"),
        ("groups", "Các nhóm phiếu"),
        ("groups[0].name", "Tên nhóm phiếu 1"),
        (
            "groups[0].voters.collected",
            "Chi ủy Chi bộ — Số phiếu thu về",
        ),
        ("groups[0].ballot_count", "Chi ủy Chi bộ — đếm từng phiếu"),
        ("groups[0].cadres", "Chi ủy Chi bộ — danh sách cán bộ"),
        ("groups[0].teams", "Chi ủy Chi bộ — các tổ kiểm phiếu"),
        ("groups[0].teams[1]", "Chi ủy Chi bộ — tổ 2"),
        (
            "groups[0].criteria[0].name",
            "Chi ủy Chi bộ — tên tiêu chí 1",
        ),
        (
            "groups[0].cadres[2].overall.low",
            "3. Đặng Ngọc Ánh — Tín nhiệm thấp",
        ),
        (
            "groups[0].cadres[2].overall",
            "3. Đặng Ngọc Ánh — câu hỏi chung",
        ),
        (
            "groups[0].cadres[2].criteria",
            "3. Đặng Ngọc Ánh — các tiêu chí",
        ),
        (
            "groups[0].cadres[0].position",
            "1. Trần Thị Hồng Nhung — chức vụ",
        ),
        ("groups[0].entry", "Chi ủy Chi bộ — nhập hai lần"),
        ("groups[*].teams", "Gộp kết quả các tổ"),
    ] {
        let p = FieldPath::parse(path).unwrap_or_else(|| panic!("{path}"));
        assert_eq!(p.to_string(), path);
        assert_eq!(p.human(&s).vi, vi, "{path}");
    }
    for path in [
        "groups[0].cadres[1].criteria[0].high",
        "groups[0].cadres[1].criteria[0]",
    ] {
        assert_eq!(FieldPath::parse(path).unwrap().to_string(), path);
    }
    for bad in [
        "",
        "meta.x",
        "groups[a].name",
        "groups[0].cadres[1].overall.x",
        "groups[0].x[1]",
        "x",
    ] {
        assert_eq!(FieldPath::parse(bad), None, "{bad}");
    }
    assert_eq!(human_path("x", &s, Lang::Vi), "x");
}
