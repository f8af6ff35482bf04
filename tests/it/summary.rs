//! The summary a superior body makes of many units' archives (issue 25): every file gets one
//! status with its reason, only sound votes are counted, each once, nothing read is written,
//! and the report says the same in JSON, Excel and PDF.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use tinnhiem::model::{Session, Timestamp};
use tinnhiem::summary::{Status, summarise};

/// An example's session, edited by `edit`, finalised.
fn final_of(example: &str, edit: impl FnOnce(&mut Session)) -> Session {
    let mut s =
        tinnhiem::archive::load(Path::new(&format!("assets/examples/{example}.ron"))).unwrap();
    edit(&mut s);
    s.finalise("Văn thư", Timestamp(1_702_600_000)).unwrap();
    s
}

fn put(dir: &Path, name: &str, s: &Session) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, tinnhiem::archive::to_string(s).unwrap()).unwrap();
    path
}

/// Every file under `dir` with its bytes' SHA-256 and modification time: what "nothing is
/// written" compares.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (String, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let meta = fs::symlink_metadata(&p).unwrap();
            if meta.is_dir() {
                stack.push(p);
            } else if meta.is_file() {
                let digest = <sha2::Sha256 as sha2::Digest>::digest(fs::read(&p).unwrap());
                out.insert(
                    p,
                    (tinnhiem::encode::hex(&digest), meta.modified().unwrap()),
                );
            } else {
                out.insert(p, (String::new(), meta.modified().unwrap()));
            }
        }
    }
    out
}

/// A province's folder in small: a signed vote, an unsigned one, a draft, a copy, an archive
/// edited after finalising, two archives of one unit, date and group with other figures, one
/// in a zip with a zip bomb beside it, a file of a newer format, a huge file, a pipe, a loop
/// of links and a note. Each gets its status and reason; only the sound votes count, once;
/// nothing in the folder changes.
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one folder, every kind of file, each checked"
)]
fn every_file_gets_a_status_and_only_sound_votes_count() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("tinh");
    fs::create_dir_all(&root).unwrap();
    // Signed: its seal signed with a key.
    let mut signed = final_of("chi-bo", |_| {});
    let id = crate::attacks::identity(dir.path());
    tinnhiem::signing::seal::sign_seal(&mut signed, &id).unwrap();
    put(&root, "a/chi-bo.ron", &signed);
    put(&root, "a/ban-sao/chi-bo.ron", &signed);
    put(&root, "b/hdnd.ron", &final_of("hdnd-nq96", |_| {}));
    let draft = tinnhiem::archive::load(Path::new("assets/examples/tieu-chi.ron")).unwrap();
    put(&root, "c/tieu-chi.ron", &draft);
    // Edited after finalising.
    let tinh = final_of("tinh-uy", |_| {});
    let text = tinnhiem::archive::to_string(&tinh).unwrap();
    let first = &tinh.groups[0].cadres[0].name;
    fs::write(
        root.join("c/tinh-uy-sua.ron"),
        text.replacen(first.as_str(), "Người Khác", 1),
    )
    .unwrap();
    // Two different archives of the same unit, date and group.
    put(&root, "d/tinh-uy-1.ron", &tinh);
    put(
        &root,
        "d/tinh-uy-2.ron",
        &final_of("tinh-uy", |s| {
            s.groups[0].cadres[0].position = "Chức vụ khác".into();
        }),
    );
    // A zip of an archive (another unit's), and a zip bomb: 40 MB of zeros in one entry.
    let zipped = final_of("hdnd-nq96", |s| {
        s.meta.issuing_body = "HỘI ĐỒNG NHÂN DÂN XÃ HÒA NINH".into();
    });
    {
        let f = fs::File::create(root.join("thu-dien-tu.zip")).unwrap();
        let mut z = zip::ZipWriter::new(f);
        let o = zip::write::SimpleFileOptions::default();
        z.start_file("hoa-ninh/hdnd.ron", o).unwrap();
        std::io::Write::write_all(
            &mut z,
            tinnhiem::archive::to_string(&zipped).unwrap().as_bytes(),
        )
        .unwrap();
        z.finish().unwrap();
        let f = fs::File::create(root.join("bom.zip")).unwrap();
        let mut z = zip::ZipWriter::new(f);
        z.start_file("bom.ron", o).unwrap();
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..40 {
            std::io::Write::write_all(&mut z, &zeros).unwrap();
        }
        z.finish().unwrap();
    }
    // A newer format, a huge file, a pipe, a loop, a note.
    let newer = fs::read_to_string(root.join("b/hdnd.ron"))
        .unwrap()
        .replacen("format_version: 4", "format_version: 99", 1);
    fs::write(root.join("e-moi.ron"), newer).unwrap();
    fs::File::create(root.join("lon.ron"))
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(root.join("ong.ron"))
        .status()
        .unwrap();
    assert!(fifo.success());
    std::os::unix::fs::symlink("..", root.join("a/vong")).unwrap();
    // A file that cannot be read: a link to nothing.
    std::os::unix::fs::symlink("khong-con", root.join("mat.ron")).unwrap();
    fs::write(root.join("ghi-chu.txt"), "xem sau").unwrap();

    let before = snapshot(&root);
    let s = summarise(std::slice::from_ref(&root), false);
    assert_eq!(snapshot(&root), before, "nothing read may be written");

    let status = |name: &str| -> &Status {
        &s.files
            .iter()
            .find(|f| f.path.ends_with(name) || f.path.to_string_lossy().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not listed: {:#?}", s.files))
            .status
    };
    // Walked in name order: the copy in "ban-sao" comes first and is kept.
    assert_eq!(status("a/ban-sao/chi-bo.ron"), &Status::FinalSigned);
    assert!(
        matches!(status("tinh/a/chi-bo.ron"), Status::Duplicate { of } if of.ends_with("a/ban-sao/chi-bo.ron"))
    );
    assert_eq!(status("b/hdnd.ron"), &Status::Final);
    assert_eq!(status("c/tieu-chi.ron"), &Status::Draft);
    assert!(
        matches!(status("c/tinh-uy-sua.ron"), Status::Broken { reason } if reason.vi.contains("thay đổi") || reason.vi.contains("sửa")),
        "{:?}",
        status("c/tinh-uy-sua.ron")
    );
    assert!(
        matches!(status("d/tinh-uy-1.ron"), Status::Conflict { with } if with.ends_with("d/tinh-uy-2.ron"))
    );
    assert!(
        matches!(status("d/tinh-uy-2.ron"), Status::Conflict { with } if with.ends_with("d/tinh-uy-1.ron"))
    );
    assert_eq!(status("thu-dien-tu.zip/hoa-ninh/hdnd.ron"), &Status::Final);
    assert!(
        matches!(status("bom.zip/bom.ron"), Status::Broken { reason } if reason.vi.contains("quá lớn")),
        "{:?}",
        status("bom.zip/bom.ron")
    );
    assert!(
        matches!(status("e-moi.ron"), Status::Broken { reason } if reason.vi.contains("99")),
        "{:?}",
        status("e-moi.ron")
    );
    assert!(
        matches!(status("lon.ron"), Status::Broken { reason } if reason.vi.contains("quá lớn"))
    );
    assert!(
        matches!(status("ong.ron"), Status::Skipped { reason } if reason.vi.contains("không phải tệp thường"))
    );
    assert!(
        matches!(status("a/vong"), Status::Skipped { reason } if reason.vi.contains("liên kết"))
    );
    assert!(matches!(status("ghi-chu.txt"), Status::Skipped { .. }));
    assert!(
        matches!(status("mat.ron"), Status::Skipped { reason } if reason.vi.contains("mat.ron") && reason.vi.contains("Không đọc được")),
        "{:?}",
        status("mat.ron")
    );

    // Counted: the signed chi bộ, the council and the zipped council; each once.
    let mut units: Vec<&str> = s.units.iter().map(|u| u.unit.as_str()).collect();
    units.sort_unstable();
    assert_eq!(
        units,
        [
            "CHI BỘ KHU DÂN CƯ SỐ 4",
            "HỘI ĐỒNG NHÂN DÂN XÃ HÒA NINH",
            "HỘI ĐỒNG NHÂN DÂN XÃ HÒA PHONG"
        ]
    );
    let t = s.totals();
    let rated: u32 = s.units.iter().map(|u| u.rated).sum();
    assert_eq!(t.rated, rated);
    assert_eq!(t.rated as usize, s.cadres.len());
    // Left out: the duplicate, the edited one, both conflicting, the bomb, the newer, the
    // huge file, and the draft (not asked for).
    assert_eq!(t.left_out, 8, "{:#?}", s.files);
    // With drafts asked for, the draft's cadres count, marked.
    let with = summarise(std::slice::from_ref(&root), true);
    assert_eq!(with.units.len(), 4);
    assert!(with.cadres.iter().any(|c| c.draft));
    assert_eq!(with.totals().left_out, 7);
}

/// A unit's minutes beside its archive: signed and matching, the vote is "đã chốt và ký";
/// minutes that claim the archive but do not hold make it broken.
#[test]
fn minutes_beside_an_archive_sign_it_or_break_it() {
    let dir = tempfile::tempdir().unwrap();
    let (session, pdf) = crate::attacks::final_minutes();
    let id = crate::attacks::identity(dir.path());
    let signed = tinnhiem::signing::sign_pdf(&pdf, &id, &crate::attacks::details(true)).unwrap();
    let good = dir.path().join("tot");
    put(&good, "chi-bo.ron", &session);
    fs::write(good.join("bien-ban.pdf"), &signed).unwrap();
    let of = |s: &tinnhiem::summary::Summary, name: &str| {
        s.files
            .iter()
            .find(|f| f.path.ends_with(name))
            .unwrap()
            .status
            .clone()
    };
    let s = summarise(std::slice::from_ref(&good), false);
    assert_eq!(of(&s, "chi-bo.ron"), Status::FinalSigned, "{:#?}", s.files);
    assert!(
        matches!(of(&s, "bien-ban.pdf"), Status::Minutes { of: Some(a) } if a.ends_with("chi-bo.ron"))
    );
    // The signed minutes with bytes added after the signature.
    let bad = dir.path().join("xau");
    put(&bad, "chi-bo.ron", &session);
    let n = signed.len();
    let mut changed = signed[..n - 1].to_vec();
    changed.extend_from_slice(b"\n% added\n");
    fs::write(bad.join("bien-ban.pdf"), &changed).unwrap();
    let s = summarise(&[bad], false);
    assert!(
        matches!(of(&s, "chi-bo.ron"), Status::Broken { reason } if reason.vi.contains("bien-ban.pdf")),
        "{:#?}",
        s.files
    );
}

/// The report in JSON names every file with its status and reason; in Excel it has the four
/// sheets; in PDF it reads back with the title, the units, the cadres, the files left out
/// and the annex. The command exits 1 when something was left out, 0 when not.
#[test]
fn the_reports_say_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    put(&root, "chi-bo.ron", &final_of("chi-bo", |_| {}));
    put(&root, "hdnd.ron", &final_of("hdnd-nq96", |_| {}));
    let run = |args: &[&std::ffi::OsStr]| crate::common::run(args);
    let os = std::ffi::OsStr::new;
    let json = dir.path().join("bao-cao.json");
    let o = run(&[os("summary"), root.as_os_str(), os("-o"), json.as_os_str()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&fs::read(&json).unwrap()).unwrap();
    assert_eq!(v["files"].as_array().unwrap().len(), 2);
    assert_eq!(v["files"][0]["status"], "final");
    assert_eq!(v["totals"]["units"], 2);
    let rated = v["totals"]["rated"].as_u64().unwrap();
    assert_eq!(v["cadres"].as_array().unwrap().len() as u64, rated);
    // The council's "Người A" is in the lower band under NQ 96/2023, with its article.
    let a = v["consequences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"].as_str().unwrap().starts_with("Người A"))
        .unwrap();
    assert_eq!(a["band"], "band_a");
    assert_eq!(a["low_percent"], "53.19");
    assert!(a["citation_vi"].as_str().unwrap().contains("Điều"), "{a}");

    let xlsx = dir.path().join("bao-cao.xlsx");
    let o = run(&[os("summary"), root.as_os_str(), os("-o"), xlsx.as_os_str()]);
    assert_eq!(o.status.code(), Some(0));
    let book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(
        calamine::Reader::sheet_names(&book),
        ["Đơn vị", "Cán bộ", "Có hệ quả", "Qua các lần", "Tệp"]
    );

    // A broken file beside them: left out, said in the PDF, exit 1.
    fs::write(root.join("hong.ron"), "(không phải tệp phiên").unwrap();
    let pdf = dir.path().join("bao-cao.pdf");
    let o = run(&[
        os("summary"),
        root.as_os_str(),
        os("-o"),
        pdf.as_os_str(),
        os("--compiler"),
        os("Nguyễn Thị Tổng Hợp"),
        os("--body"),
        os("Ban Tổ chức Thành ủy"),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("hong.ron: hỏng hoặc bị sửa"), "{out}");
    let text = crate::common::pdftotext(&pdf);
    for want in [
        "BAN TỔ CHỨC THÀNH ỦY",
        "BÁO CÁO TỔNG HỢP KẾT QUẢ LẤY PHIẾU TÍN NHIỆM",
        "CHI BỘ KHU DÂN CƯ SỐ 4",
        "Ngô Văn Tài",
        "IV. TỆP KHÔNG ĐƯỢC TÍNH",
        "hong.ron",
        "Nguyễn Thị Tổng Hợp",
        "PHỤ LỤC: CÁC TỆP ĐÃ ĐỌC",
    ] {
        assert!(text.contains(want), "{want} not in the report:\n{text}");
    }
    // The report is kept as the minutes are (PDF/A-2b), and its compiler signs it in the
    // block printed for them (issue 24 §2).
    let bytes = fs::read(&pdf).unwrap();
    assert_eq!(
        crate::pdf_archival::pdfa_breaches(&bytes),
        Vec::<String>::new()
    );
    let fields = tinnhiem::signing::unsigned_fields(&bytes);
    assert_eq!(fields.len(), 1);
    assert_eq!(fields[0].person.as_deref(), Some("Nguyễn Thị Tổng Hợp"));
    let p12 = fs::read(crate::common::make_p12_of(
        dir.path(),
        "pw",
        "Nguyễn Thị Tổng Hợp",
    ))
    .unwrap();
    let id = tinnhiem::signing::Identity::from_pkcs12(&p12, "pw").unwrap();
    let signed = tinnhiem::signing::sign_pdf(&bytes, &id, &crate::attacks::details(true)).unwrap();
    let reports = tinnhiem::signing::verify_pdf(&signed, &[]).unwrap();
    assert_eq!(reports.len(), 1);
    assert!(reports[0].holds());
    assert_eq!(reports[0].field, "Người tổng hợp");
    // A report over one of the inputs is refused.
    let o = run(&[
        os("summary"),
        root.join("chi-bo.ron").as_os_str(),
        os("-o"),
        root.join("chi-bo.ron").as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

/// Ten thousand files, none an archive: each is listed with its status and reason, and the
/// run ends.
#[test]
fn ten_thousand_files_each_get_a_status() {
    let dir = tempfile::tempdir().unwrap();
    for k in 0..10_000 {
        let name = if k % 2 == 0 {
            format!("xa-{k}.ron")
        } else {
            format!("ghi-chu-{k}.txt")
        };
        fs::write(dir.path().join(name), b"khong phai").unwrap();
    }
    let s = summarise(&[dir.path().to_owned()], false);
    assert_eq!(s.files.len(), 10_000);
    let broken = s
        .files
        .iter()
        .filter(|f| matches!(&f.status, Status::Broken { reason } if !reason.vi.is_empty()))
        .count();
    let skipped = s
        .files
        .iter()
        .filter(|f| matches!(f.status, Status::Skipped { .. }))
        .count();
    assert_eq!((broken, skipped), (5_000, 5_000));
    assert!(s.units.is_empty());
    // Walked in the order a person reads names: xa-2 before xa-10.
    let at = |n: &str| s.files.iter().position(|f| f.path.ends_with(n)).unwrap();
    assert!(at("xa-2.ron") < at("xa-10.ron"));
}

/// A unit that sent its draft and then its final archive: the final counts, the draft is
/// named as its draft and never counts, drafts asked for or not; two finals of the same unit,
/// date and group with other figures conflict, and neither counts.
#[test]
fn a_final_archive_supersedes_its_draft() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    let draft = tinnhiem::archive::load(Path::new("assets/examples/chi-bo.ron")).unwrap();
    put(&root, "a-nhap.ron", &draft);
    put(&root, "b-chot.ron", &final_of("chi-bo", |_| {}));
    for drafts in [false, true] {
        let s = summarise(std::slice::from_ref(&root), drafts);
        let status = |n: &str| {
            s.files
                .iter()
                .find(|f| f.path.ends_with(n))
                .unwrap()
                .status
                .clone()
        };
        assert!(
            matches!(status("a-nhap.ron"), Status::Superseded { by } if by.ends_with("b-chot.ron")),
            "{:?}",
            status("a-nhap.ron")
        );
        assert_eq!(status("b-chot.ron"), Status::Final);
        assert_eq!(s.units.len(), 1);
        assert!(s.cadres.iter().all(|c| !c.draft));
        assert_eq!(s.totals().left_out, 1);
    }
}

/// A cadre's record across two votes of the same unit (2023 and 2026): matched by name within
/// the unit and said so, oldest first, the band's change marked; a cadre of another unit
/// with the same name is another person; `history --cadre` prints it, `--json` as data.
#[test]
fn a_cadres_record_across_votes() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    // The 2026 vote of the same council: its date moved on, "Người A" now in no band.
    put(
        &root,
        "hdnd-2026.ron",
        &final_of("hdnd-nq96", |s| {
            s.meta.date = tinnhiem::model::Date::new(2026, 11, 20);
            let a = &mut s.groups[0].cadres[0];
            let (h, m, l) = a.overall.complete().unwrap();
            a.overall.high = Some(h + l - 2);
            a.overall.low = Some(2);
            a.overall.medium = Some(m);
        }),
    );
    put(&root, "hdnd-2023.ron", &final_of("hdnd-nq96", |_| {}));
    // Another unit with a cadre of the same name: not the same person.
    put(
        &root,
        "khac.ron",
        &final_of("hdnd-nq96", |s| {
            s.meta.issuing_body = "HỘI ĐỒNG NHÂN DÂN XÃ KHÁC".into();
        }),
    );
    let s = summarise(std::slice::from_ref(&root), false);
    let records = tinnhiem::summary::history::history(&s, None);
    let names: Vec<&str> = records.iter().map(|r| r.name.as_str()).collect();
    let a = records
        .iter()
        .find(|r| r.name.starts_with("Người A"))
        .unwrap_or_else(|| panic!("{names:?}"));
    assert_eq!(a.unit, "HỘI ĐỒNG NHÂN DÂN XÃ HÒA PHONG");
    assert_eq!(a.votes.len(), 2, "the other unit's namesake is not matched");
    assert_eq!(a.votes[0].date.as_deref(), Some("2023-12-12"));
    assert_eq!(a.votes[1].date.as_deref(), Some("2026-11-20"));
    assert_eq!(a.votes[0].band, Some(tinnhiem::rules::BandId::BandA));
    assert_eq!(a.votes[1].band, None);
    assert!(!a.votes[0].band_changed && a.votes[1].band_changed);
    // Every cadre of the council appears twice; none of the other unit's is joined to them.
    assert!(records.iter().all(|r| r.votes.len() == 2), "{names:?}");

    let o = crate::common::run(&[
        std::ffi::OsStr::new("history"),
        root.as_os_str(),
        std::ffi::OsStr::new("--cadre"),
        std::ffi::OsStr::new("người a"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("khớp theo họ tên trong cùng đơn vị"), "{out}");
    assert!(out.contains("← đổi mức"), "{out}");
    // With --cadre, the namesake of the other unit is its own record, of one vote.
    assert_eq!(out.matches("Người A").count(), 2, "{out}");
    let o = crate::common::run(&[
        std::ffi::OsStr::new("history"),
        root.as_os_str(),
        std::ffi::OsStr::new("--json"),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), records.len());
    assert_eq!(v[0]["matched_by"], "name_in_unit");
    // The workbook's "Qua các lần": a row per vote, the change marked on the 2026 row.
    let xlsx = dir.path().join("tong-hop.xlsx");
    let o = crate::common::run(&[
        std::ffi::OsStr::new("summary"),
        root.as_os_str(),
        std::ffi::OsStr::new("-o"),
        xlsx.as_os_str(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = calamine::Reader::worksheet_range(&mut book, "Qua các lần").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    let votes: usize = records.iter().map(|r| r.votes.len()).sum();
    assert_eq!(rows.len(), 1 + votes);
    let a2026 = rows
        .iter()
        .find(|r| r[0].starts_with("Người A") && r[2] == "2026-11-20")
        .unwrap();
    assert_eq!(a2026[9], "đổi mức");
}

/// The same person rated in two bodies: found by the cadre code across units, or by the name
/// and the date of birth, and said so; a namesake born on another day is another person.
#[test]
fn a_cadre_is_found_across_units_by_code_or_birth() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    let with = |unit: &str, code: &str, born: Option<(u16, u8, u8)>| {
        final_of("hdnd-nq96", |s| {
            s.meta.issuing_body = unit.into();
            let a = &mut s.groups[0].cadres[1];
            a.code = code.into();
            a.born = born.and_then(|(y, m, d)| tinnhiem::model::Date::new(y, m, d));
        })
    };
    put(&root, "a.ron", &with("HĐND XÃ A", "CB-0007", None));
    put(&root, "b.ron", &with("HĐND HUYỆN B", "CB-0007", None));
    put(&root, "c.ron", &with("HĐND XÃ C", "", Some((1975, 4, 30))));
    put(&root, "d.ron", &with("HĐND XÃ D", "", Some((1975, 4, 30))));
    put(&root, "e.ron", &with("HĐND XÃ E", "", Some((1980, 1, 1))));
    let s = summarise(std::slice::from_ref(&root), false);
    // By its code, the cadre of the two bodies alone.
    let by_code = tinnhiem::summary::history::history(&s, Some("cb-0007"));
    assert_eq!(by_code.len(), 1);
    assert_eq!(by_code[0].votes.len(), 2);
    let records = tinnhiem::summary::history::history(&s, Some("Ngô Văn Tài"));
    use tinnhiem::summary::history::MatchedBy;
    let by = |m: MatchedBy| {
        records
            .iter()
            .filter(|r| r.matched_by == m)
            .collect::<Vec<_>>()
    };
    let code = by(MatchedBy::Code);
    assert_eq!(code.len(), 1);
    let units: Vec<&str> = code[0].votes.iter().map(|v| v.unit.as_str()).collect();
    assert_eq!(units.len(), 2);
    assert!(units.contains(&"HĐND XÃ A") && units.contains(&"HĐND HUYỆN B"));
    let born = by(MatchedBy::NameAndBirth);
    assert_eq!(born.len(), 2, "1975 in two units, 1980 alone: {born:#?}");
    assert!(born.iter().any(|r| r.votes.len() == 2));
    assert!(born.iter().any(|r| r.votes.len() == 1));
    assert_eq!(
        code[0].matched_by.words().vi,
        "khớp theo mã cán bộ",
        "the record says how it was matched"
    );
    // The archive keeps the code and the date through a save and a read.
    let text = fs::read_to_string(root.join("c.ron")).unwrap();
    assert!(text.contains("born: \"1975-04-30\""), "{text}");
    let back = tinnhiem::archive::from_str(&text).unwrap();
    assert_eq!(
        back.groups[0].cadres[1].born,
        tinnhiem::model::Date::new(1975, 4, 30)
    );
}

/// An archive without codes or dates of birth keeps its fingerprint: the canonical text has
/// no line for them unless set; a code set changes it.
#[test]
fn codes_change_the_fingerprint_only_when_set() {
    let s = tinnhiem::archive::load(Path::new("assets/examples/chi-bo.ron")).unwrap();
    let text = tinnhiem::fingerprint::canonical_text(&s);
    assert!(!text.contains(".code") && !text.contains(".born"));
    let mut t = s.clone();
    t.groups[0].cadres[0].code = "CB-1".into();
    assert_ne!(
        tinnhiem::fingerprint::fingerprint(&s),
        tinnhiem::fingerprint::fingerprint(&t)
    );
    assert!(tinnhiem::fingerprint::canonical_text(&t).contains(".code"));
}
