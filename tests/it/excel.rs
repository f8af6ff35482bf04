//! Excel both ways: the results workbook read back with calamine and compared with
//! `tally --json`, and the cadre list read from .xlsx and .ods files.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};

use crate::common::run;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples")
        .join(name)
}

/// The sheets of a workbook: (name, rows of cells).
fn read(path: &Path) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book = open_workbook_auto(path).unwrap();
    let names = book.sheet_names().clone();
    names
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).unwrap();
            let rows = range.rows().map(<[Data]>::to_vec).collect();
            (n, rows)
        })
        .collect()
}

fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// The row of `rows` whose first cell is `text`.
fn row_of(rows: &[Vec<Data>], text: &str) -> usize {
    rows.iter()
        .position(|r| r.first() == Some(&Data::String(text.into())))
        .unwrap_or_else(|| panic!("no row starting with {text}"))
}

/// Whether any cell of `rows` is the text `text`.
fn has_cell(rows: &[Vec<Data>], text: &str) -> bool {
    rows.iter()
        .flatten()
        .any(|d| *d == Data::String(text.into()))
}

/// Every example exported to .xlsx by the CLI: a sheet per group, every cadre's counts as
/// numbers and shares as the percentages `tally --json` states, rank, band and, exactly when
/// the CSV has them, the QĐ 41 grounds; exempt cadres with their reason; a totals row whose
/// sums are the counts'; the same bytes twice.
#[test]
fn xlsx_matches_tally_json() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["chi-bo.ron", "tinh-uy.ron", "tieu-chi.ron", "hdnd-nq96.ron"] {
        let src = dir.path().join(name);
        fs::copy(example(name), &src).unwrap();
        let out = dir.path().join(format!("{name}.xlsx"));
        let o = run(&["export", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let again = dir.path().join("again.xlsx");
        run(&[
            "export",
            src.to_str().unwrap(),
            "-o",
            again.to_str().unwrap(),
        ]);
        assert_eq!(fs::read(&out).unwrap(), fs::read(&again).unwrap(), "{name}");
        let csv = dir.path().join(format!("{name}.csv"));
        run(&["export", src.to_str().unwrap(), "-o", csv.to_str().unwrap()]);
        let csv_qd41 = fs::read_to_string(&csv).unwrap().contains("QĐ 41");

        let json = run(&["tally", "--json", src.to_str().unwrap()]);
        let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        assert_eq!(json["qd41_applies"].as_bool(), Some(csv_qd41), "{name}");
        let sheets = read(&out);
        let groups = json["groups"].as_array().unwrap();
        assert_eq!(sheets.len(), groups.len(), "{name}");
        for ((sheet, rows), g) in sheets.iter().zip(groups) {
            let gname = g["name"].as_str().unwrap();
            assert!(sheet.starts_with("1.") || sheet.contains('.'), "{sheet}");
            let head = row_of(rows, "STT");
            let title = row_of(rows, &format!("Nhóm phiếu: {gname}"));
            assert!(title < head, "{name}: the title block is above the table");
            let base = g["base"]["value"]
                .as_u64()
                .map_or_else(|| "-".to_owned(), |b| b.to_string());
            let Data::String(line) = &rows[title + 1][0] else {
                panic!("{name}: no base line")
            };
            assert!(line.ends_with(&format!(": {base}")), "{name}: {line}");
            // The QĐ 41 columns exactly when the CSV has them.
            let qd41 = rows[head]
                .iter()
                .any(|d| *d == Data::String("QĐ 41: từ chức".into()));
            assert_eq!(qd41, csv_qd41, "{name}");
            let cadres = g["cadres"].as_array().unwrap();
            let mut sums = [0_u64; 4];
            for (i, c) in cadres.iter().enumerate() {
                cadre_row_matches(name, &rows[head + 1 + i], i, c, qd41, &mut sums);
            }
            let totals = &rows[head + 1 + cadres.len()];
            assert_eq!(totals[1], Data::String("Tổng cộng".into()), "{name}");
            for (k, sum) in sums.iter().enumerate() {
                assert_eq!(
                    number(&totals[3 + 2 * k]),
                    Some(*sum as f64),
                    "{name}: total {k}"
                );
                assert_eq!(
                    totals[4 + 2 * k],
                    Data::Empty,
                    "{name}: no share of a total"
                );
            }
        }
    }
}

/// Row `row` of the workbook is cadre `i` of `tally --json`: STT, name, each level's count
/// (added to `sums`) and share, rank and, with `qd41`, the two grounds; an exempt cadre's
/// reason.
#[expect(
    clippy::float_arithmetic,
    reason = "the workbook's share, a double, against the JSON's decimal"
)]
fn cadre_row_matches(
    name: &str,
    row: &[Data],
    i: usize,
    c: &serde_json::Value,
    qd41: bool,
    sums: &mut [u64; 4],
) {
    assert_eq!(number(&row[0]), Some((i + 1) as f64), "{name}: STT");
    assert_eq!(row[1], Data::String(c["name"].as_str().unwrap().into()));
    if c["exempt"].as_bool().unwrap() {
        let reason = c["exemption_reason"].as_str().unwrap();
        assert_eq!(row[3], Data::String(format!("Không lấy phiếu: {reason}")));
        return;
    }
    for (k, level) in ["high", "medium", "low", "invalid_lines"]
        .iter()
        .enumerate()
    {
        let share = &c["overall"][level];
        let count = share["count"].as_u64().unwrap();
        let percent: f64 = share["percent"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            number(&row[3 + 2 * k]),
            Some(count as f64),
            "{name} {level}"
        );
        sums[k] += count;
        let p = number(&row[4 + 2 * k]).unwrap();
        assert!(
            (p * 100.0 - percent).abs() < 1e-9,
            "{name} {level}: {p} vs {percent}"
        );
    }
    assert_eq!(number(&row[11]), c["rank"].as_u64().map(|r| r as f64));
    if qd41 {
        let yes_no = |b: &serde_json::Value| {
            Data::String(
                if b.as_bool().unwrap() {
                    "có"
                } else {
                    "không"
                }
                .into(),
            )
        };
        assert_eq!(row[13], yes_no(&c["qd41_resign_ground"]), "{name}");
        assert_eq!(row[14], yes_no(&c["qd41_dismiss_ground"]), "{name}");
    }
}

/// The workbook states the document's header as the minutes print it (bodies, number, place
/// and date, the party or national title), the full fingerprint and, on a draft only, "BẢN
/// NHÁP" in a cell, in the printed pages' header and in the keywords: a draft's file differs
/// from the final one's.
#[test]
fn xlsx_header_draft_mark_and_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    let src = dir.path().join("chi-bo.ron");
    fs::copy(example("chi-bo.ron"), &src).unwrap();
    let draft = dir.path().join("nhap.xlsx");
    assert_eq!(
        run(&["export", &s(&src), "-o", &s(&draft)]).status.code(),
        Some(0)
    );
    let session = tinnhiem::archive::load(&src).unwrap();
    let fp = tinnhiem::fingerprint::fingerprint(&session).to_string();
    let rows = &read(&draft)[0].1;
    for text in [
        "ĐẢNG BỘ PHƯỜNG HÒA XUÂN",
        "CHI BỘ KHU DÂN CƯ SỐ 4",
        "Số 02-BB/CB",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Đà Nẵng, ngày 20 tháng 11 năm 2023",
    ] {
        assert!(has_cell(rows, text), "{text}: {rows:?}");
    }
    // The same facts in the same words as the minutes.
    let pdf = dir.path().join("bb.pdf");
    assert_eq!(
        run(&["minutes", &s(&src), "-o", &s(&pdf)]).status.code(),
        Some(0)
    );
    let minutes = crate::common::pdftotext(&pdf);
    assert!(minutes.contains("Đà Nẵng, ngày 20 tháng 11 năm 2023"));
    assert!(minutes.contains("Số 02-BB/CB"));
    let mark = "BẢN NHÁP: kết quả chưa được chốt, chưa phải số liệu chính thức";
    assert!(has_cell(rows, mark), "{rows:?}");
    assert!(has_cell(rows, &format!("Mã kiểm tra (SHA-256): {fp}")));
    let unzip = |file: &Path, member: &str| crate::common::tool("unzip", &["-p", &s(file), member]);
    assert!(unzip(&draft, "xl/worksheets/sheet1.xml").contains("BẢN NHÁP</oddHeader>"));
    assert!(unzip(&draft, "docProps/core.xml").contains("tinnhiem-status:draft"));

    let o = run(&["finalise", &s(&src), "--operator", "Phạm Văn Đức"]);
    assert_eq!(o.status.code(), Some(0));
    let last = dir.path().join("chot.xlsx");
    assert_eq!(
        run(&["export", &s(&src), "-o", &s(&last)]).status.code(),
        Some(0)
    );
    let rows = &read(&last)[0].1;
    assert!(
        !rows
            .iter()
            .flatten()
            .any(|d| d.to_string().contains("BẢN NHÁP"))
    );
    assert!(
        has_cell(rows, &format!("Mã kiểm tra (SHA-256): {fp}")),
        "same content"
    );
    assert!(!unzip(&last, "xl/worksheets/sheet1.xml").contains("BẢN NHÁP"));
    assert!(!unzip(&last, "docProps/core.xml").contains("tinnhiem-status:draft"));
    assert_ne!(fs::read(&draft).unwrap(), fs::read(&last).unwrap());

    // A state document: the national title and motto, "Số:".
    let hdnd = dir.path().join("hdnd.ron");
    fs::copy(example("hdnd-nq96.ron"), &hdnd).unwrap();
    let out = dir.path().join("hdnd.xlsx");
    assert_eq!(
        run(&["export", &s(&hdnd), "-o", &s(&out)]).status.code(),
        Some(0)
    );
    let rows = &read(&out)[0].1;
    let number = tinnhiem::archive::load(&hdnd).unwrap().meta.document_number;
    for text in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        &format!("Số: {number}"),
    ] {
        assert!(has_cell(rows, text), "{text}: {rows:?}");
    }
}

/// A party vote dated before QĐ 41's repeal has its two columns; the same vote dated on the
/// day of the repeal has none, in the workbook as in the CSV.
#[test]
fn xlsx_qd41_columns_follow_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    for (date, expected) in [("2023-12-15", true), ("2025-10-08", false)] {
        let src = dir.path().join(format!("{date}.ron"));
        let text = fs::read_to_string(example("tinh-uy.ron")).unwrap();
        fs::write(
            &src,
            text.replace("date: \"2023-12-15\"", &format!("date: \"{date}\"")),
        )
        .unwrap();
        let out = dir.path().join(format!("{date}.xlsx"));
        let csv = dir.path().join(format!("{date}.csv"));
        assert_eq!(
            run(&["export", &s(&src), "-o", &s(&out)]).status.code(),
            Some(0)
        );
        assert_eq!(
            run(&["export", &s(&src), "-o", &s(&csv)]).status.code(),
            Some(0)
        );
        let rows = &read(&out)[0].1;
        assert_eq!(has_cell(rows, "QĐ 41: miễn nhiệm"), expected, "{date}");
        assert_eq!(
            fs::read_to_string(&csv)
                .unwrap()
                .contains("QĐ 41: miễn nhiệm"),
            expected
        );
    }
}

/// The workbook's percentages are formatted as percentages with two decimals, its header is
/// frozen and its columns are sized (read from the file's XML).
#[test]
fn xlsx_formats_percentages_and_freezes_the_header() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("a.ron");
    fs::copy(example("chi-bo.ron"), &src).unwrap();
    let out = dir.path().join("a.xlsx");
    run(&["export", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let unzip = |member: &str| {
        let o = std::process::Command::new("unzip")
            .args(["-p", out.to_str().unwrap(), member])
            .output()
            .unwrap();
        assert!(o.status.success(), "unzip {member}");
        String::from_utf8(o.stdout).unwrap()
    };
    assert!(unzip("xl/styles.xml").contains("formatCode=\"0.00%\""));
    let sheet = unzip("xl/worksheets/sheet1.xml");
    assert!(sheet.contains("state=\"frozen\""), "{sheet}");
    assert!(sheet.contains("<col "), "{sheet}");
}

/// A session with errors is not exported to Excel either: exit 1, no file.
#[test]
fn xlsx_refused_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("loi.ron");
    let t = fs::read_to_string(example("chi-bo.ron")).unwrap();
    fs::write(&src, t.replacen("high: 5", "high: 9", 1)).unwrap();
    let out = dir.path().join("loi.xlsx");
    let o = run(&["export", src.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!out.exists());
}

/// A cadre list kept in Excel or LibreOffice (header row, STT column) reads as the paste does.
#[test]
fn cadre_list_from_xlsx_and_ods() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("danh-sach.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["STT", "Họ và tên", "Chức vụ"],
        ["1", "Nguyễn Văn An", "Bí thư"],
        ["2", "Trần Thị Bình", "Phó Bí thư"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            match cell.parse::<f64>() {
                Ok(n) => sheet.write_number(r, c, n).unwrap(),
                Err(_) => sheet.write_string(r, c, *cell).unwrap(),
            };
        }
    }
    book.save(&xlsx).unwrap();
    let read = tinnhiem::spreadsheet::read_rows(&xlsx).unwrap();
    assert_eq!(read[1], ["1", "Nguyễn Văn An", "Bí thư"]);
    let cadres = tinnhiem::edit::parse_cadre_lines(&tinnhiem::spreadsheet::as_pasted(&read));
    assert_eq!(
        cadres,
        [
            ("Nguyễn Văn An".to_owned(), "Bí thư".to_owned()),
            ("Trần Thị Bình".to_owned(), "Phó Bí thư".to_owned()),
        ]
    );

    // The same list saved by LibreOffice as .ods, when LibreOffice is here to make one is not
    // assumed: an .ods is a zip of XML, written here by hand.
    let ods = dir.path().join("danh-sach.ods");
    write_ods(&ods, &rows);
    let read = tinnhiem::spreadsheet::read_rows(&ods).unwrap();
    let cadres = tinnhiem::edit::parse_cadre_lines(&tinnhiem::spreadsheet::as_pasted(&read));
    assert_eq!(cadres.len(), 2, "{read:?}");
    assert_eq!(cadres[1].0, "Trần Thị Bình");

    let bad = dir.path().join("khong-phai.xlsx");
    fs::write(&bad, "not a workbook").unwrap();
    let e = tinnhiem::spreadsheet::read_rows(&bad).unwrap_err();
    assert!(e.vi.contains("Không đọc được bảng tính"), "{}", e.vi);
}

/// A minimal OpenDocument spreadsheet with `rows`, zipped with the `zip` tool.
fn write_ods(path: &Path, rows: &[[&str; 3]]) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(
        d.join("mimetype"),
        "application/vnd.oasis.opendocument.spreadsheet",
    )
    .unwrap();
    fs::create_dir(d.join("META-INF")).unwrap();
    fs::write(
        d.join("META-INF/manifest.xml"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"#,
    )
    .unwrap();
    let body: String = rows
        .iter()
        .map(|r| {
            let cells: String = r
                .iter()
                .map(|c| format!("<table:table-cell office:value-type=\"string\"><text:p>{c}</text:p></table:table-cell>"))
                .collect();
            format!("<table:table-row>{cells}</table:table-row>")
        })
        .collect();
    fs::write(
        d.join("content.xml"),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Sheet1">{body}</table:table></office:spreadsheet></office:body></office:document-content>"#
        ),
    )
    .unwrap();
    let zip = |args: &[&str]| {
        let o = std::process::Command::new("zip")
            .current_dir(d)
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    zip(&["-X0", "-q", path.to_str().unwrap(), "mimetype"]);
    zip(&[
        "-Xr9",
        "-q",
        path.to_str().unwrap(),
        "META-INF",
        "content.xml",
    ]);
}

/// The workbook's properties state, as the minutes' keywords do, the content's fingerprint and
/// the log it was written at: a sealed archive's count and head.
#[test]
fn xlsx_states_fingerprint_and_log() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("chi-bo.ron");
    fs::copy(example("chi-bo.ron"), &src).unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    let o = run(&["finalise", &s(&src), "--operator", "Phạm Văn Đức"]);
    assert_eq!(o.status.code(), Some(0));
    let out = dir.path().join("kq.xlsx");
    let o = run(&["export", &s(&src), "-o", &s(&out)]);
    assert_eq!(o.status.code(), Some(0));
    let core = crate::common::tool("unzip", &["-p", &s(&out), "docProps/core.xml"]);
    let session = tinnhiem::archive::load(&src).unwrap();
    assert_eq!(session.audit.len(), 1);
    let keywords = format!(
        "<cp:keywords>tinnhiem-fingerprint:{}, tinnhiem-log:1:{}</cp:keywords>",
        tinnhiem::fingerprint::fingerprint(&session),
        session.audit[0].hash()
    );
    assert!(core.contains(&keywords), "{core}");
}

/// Every count of `s` cleared (what a team's sheet is imported into).
fn cleared(s: &tinnhiem::model::Session) -> tinnhiem::model::Session {
    let mut s = s.clone();
    for g in &mut s.groups {
        for c in &mut g.cadres {
            c.overall = tinnhiem::model::Counts::default();
            for q in &mut c.criteria {
                *q = tinnhiem::model::Counts::default();
            }
        }
    }
    s
}

/// What tinnhiem exports, as a workbook or as CSV, `import-counts` reads back: every count of
/// every example (criteria, exempt cadres, invalid lines included) into a copy whose counts
/// were cleared, each count logged as a typed one, then the file.
#[test]
fn import_counts_reads_own_exports() {
    let dir = tempfile::tempdir().unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    for name in ["chi-bo", "tinh-uy", "tieu-chi", "hdnd-nq96"] {
        let full = dir.path().join(format!("{name}.ron"));
        fs::copy(example(&format!("{name}.ron")), &full).unwrap();
        let original = tinnhiem::archive::load(&full).unwrap();
        for ext in ["xlsx", "csv"] {
            let sheet = dir.path().join(format!("{name}.{ext}"));
            let o = run(&["export", &s(&full), "-o", &s(&sheet)]);
            assert_eq!(o.status.code(), Some(0), "{name}.{ext}");
            let empty = dir.path().join(format!("{name}-{ext}.ron"));
            tinnhiem::archive::save(&empty, &cleared(&original)).unwrap();
            let o = run(&[
                "import-counts",
                &s(&empty),
                &s(&sheet),
                "--operator",
                "Tổ kiểm phiếu 1",
            ]);
            let out = String::from_utf8_lossy(&o.stdout);
            assert_eq!(
                o.status.code(),
                Some(0),
                "{name}.{ext}: {out}{}",
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(!out.contains("Không nhập"), "{out}");
            let imported = tinnhiem::archive::load(&empty).unwrap();
            assert_eq!(imported.groups, original.groups, "{name}.{ext}");
            let log = run(&["log", &s(&empty)]);
            let log = String::from_utf8(log.stdout).unwrap();
            let first = &original.groups[0].cadres[0];
            let high = first.overall.high.unwrap();
            assert!(
                log.contains(&format!(
                    "Tổ kiểm phiếu 1: 1. {} — Tín nhiệm cao: (trống) → {high}",
                    first.name
                )),
                "{log}"
            );
            assert!(
                log.lines()
                    .last()
                    .unwrap()
                    .ends_with(&format!("từ bảng tính {name}.{ext}")),
                "{log}"
            );
        }
    }
}

/// Writes `rows` as the first sheet of an .xlsx: a cell that reads as a whole number is
/// written as a number, as a person types it in Excel.
fn write_xlsx(path: &Path, rows: &[&[&str]]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            match cell.parse::<u32>() {
                Ok(n) => sheet.write_number(r, c, n).unwrap(),
                Err(_) => sheet.write_string(r, c, *cell).unwrap(),
            };
        }
    }
    book.save(path).unwrap();
}

/// A team's own sheet: `--dry-run` shows the rows imported and those refused (with row,
/// column and reason) and changes nothing; the import then sets the accepted rows only and
/// exits 1 for the refused ones; usage and unreadable sheets exit 2, a final session 1.
#[test]
fn import_counts_preview_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    let ron = dir.path().join("chi-bo.ron");
    fs::copy(example("chi-bo.ron"), &ron).unwrap();
    let before = fs::read(&ron).unwrap();
    let sheet = dir.path().join("to 1.xlsx");
    write_xlsx(
        &sheet,
        &[
            &["BẢNG TỔNG HỢP KẾT QUẢ - TỔ 1"],
            &[],
            &["STT", "Họ và tên", "TN cao", "TN", "TN thấp"],
            &["1", "Trần Thị Hồng Nhung", "4", "3", "0"],
            &["2", "Nguyễn Hữu Phước", "3", "3,5", "1"],
            &["3", "Đặng Ngọc Ánh", "2", "4", "1"],
        ],
    );
    let o = run(&["import-counts", &s(&ron), &s(&sheet), "--dry-run"]);
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(
            "Dòng 4: 1. Trần Thị Hồng Nhung — cao 4, tín nhiệm 3, thấp 0 (thay cho 5, 2, 0)"
        ),
        "{out}"
    );
    assert!(
        out.contains("Dòng 5, cột D: \"3,5\" không phải số nguyên"),
        "{out}"
    );
    assert!(out.contains("Chạy thử"), "{out}");
    assert_eq!(fs::read(&ron).unwrap(), before, "a dry run writes nothing");
    let en = run(&[
        "import-counts",
        &s(&ron),
        &s(&sheet),
        "--dry-run",
        "--lang",
        "en",
    ]);
    let en = String::from_utf8(en.stdout).unwrap();
    assert!(
        en.contains("Row 5, column D: \"3,5\" is not a whole number"),
        "{en}"
    );

    // Without --dry-run an operator is required (usage: exit 2).
    for blank in [vec![], vec!["--operator", " "]] {
        let mut args = vec!["import-counts".to_owned(), s(&ron), s(&sheet)];
        args.extend(blank.iter().map(|a| (*a).to_owned()));
        assert_eq!(run(&args).status.code(), Some(2), "{args:?}");
    }
    assert_eq!(fs::read(&ron).unwrap(), before);
    let o = run(&[
        "import-counts",
        &s(&ron),
        &s(&sheet),
        "--operator",
        "Võ Thị Thu Hà",
    ]);
    assert_eq!(o.status.code(), Some(1), "rows were refused");
    let after = tinnhiem::archive::load(&ron).unwrap();
    let c = &after.groups[0].cadres;
    assert_eq!(c[0].overall.high, Some(4));
    assert_eq!(
        c[1].overall.medium,
        Some(3),
        "the refused row changed nothing"
    );
    let log: Vec<String> = after
        .audit
        .iter()
        .map(|e| e.line(tinnhiem::text::Lang::Vi))
        .collect();
    assert_eq!(log.len(), 3, "{log:?}");
    assert!(
        log[0].ends_with("Võ Thị Thu Hà: 1. Trần Thị Hồng Nhung — Tín nhiệm cao: 5 → 4"),
        "{log:?}"
    );
    assert!(
        log[1].ends_with("Võ Thị Thu Hà: 1. Trần Thị Hồng Nhung — Tín nhiệm: 2 → 3"),
        "{log:?}"
    );
    assert!(
        log[2].ends_with("Võ Thị Thu Hà: Nhập số liệu của 2 cán bộ từ bảng tính to 1.xlsx"),
        "{log:?}"
    );
}

/// No such group, a damaged sheet, a sheet without a table: exit 2, nothing written; a final
/// session is not changed (exit 1: reopen it first).
#[test]
fn import_counts_unreadable_or_final() {
    let dir = tempfile::tempdir().unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    let ron = dir.path().join("chi-bo.ron");
    fs::copy(example("chi-bo.ron"), &ron).unwrap();
    let sheet = dir.path().join("to 1.xlsx");
    write_xlsx(
        &sheet,
        &[
            &["STT", "Họ và tên", "TN cao", "TN", "TN thấp"],
            &["1", "Trần Thị Hồng Nhung", "4", "3", "0"],
        ],
    );
    let now = fs::read(&ron).unwrap();
    let bad = dir.path().join("hong.xlsx");
    fs::write(&bad, "not a workbook").unwrap();
    let notable = dir.path().join("ds.csv");
    fs::write(&notable, "Họ và tên;Chức vụ\r\nA;B\r\n").unwrap();
    for args in [
        vec![
            s(&ron),
            s(&sheet),
            "--group".into(),
            "2".into(),
            "--dry-run".into(),
        ],
        vec![s(&ron), s(&bad), "--operator".into(), "A".into()],
        vec![s(&ron), s(&notable), "--operator".into(), "A".into()],
    ] {
        let mut all = vec!["import-counts".to_owned()];
        all.extend(args);
        let o = run(&all);
        assert_eq!(o.status.code(), Some(2), "{all:?}");
        assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    }
    assert_eq!(fs::read(&ron).unwrap(), now);

    // A final session is not changed: reopen it first.
    let final_ron = dir.path().join("chot.ron");
    fs::copy(example("chi-bo.ron"), &final_ron).unwrap();
    assert_eq!(
        run(&["finalise", &s(&final_ron), "--operator", "A"])
            .status
            .code(),
        Some(0)
    );
    let sealed = fs::read(&final_ron).unwrap();
    let o = run(&[
        "import-counts",
        &s(&final_ron),
        &s(&sheet),
        "--operator",
        "A",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Phiên đã chốt"));
    assert_eq!(fs::read(&final_ron).unwrap(), sealed);
}

/// A team's counts saved as text the ways Excel saves them: "CSV UTF-8" with semicolons, and
/// "Unicode text" (UTF-16, tabs); a CSV in a legacy code page is refused with the advice.
#[test]
fn import_counts_from_csv_and_unicode_text() {
    let dir = tempfile::tempdir().unwrap();
    let s = |p: &Path| p.to_str().unwrap().to_owned();
    let table = "STT;Họ và tên;Tín nhiệm cao;Tín nhiệm;Tín nhiệm thấp\r\n1;Trần Thị Hồng Nhung;5;2;0\r\n2;Nguyễn Hữu Phước;3;3;1\r\n3;Đặng Ngọc Ánh;2;4;1\r\n";
    let csv = dir.path().join("to1.csv");
    fs::write(&csv, format!("\u{feff}{table}")).unwrap();
    let txt = dir.path().join("to1.txt");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        table
            .replace(';', "\t")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    fs::write(&txt, utf16).unwrap();
    let original = tinnhiem::archive::load(&example("chi-bo.ron")).unwrap();
    for sheet in [&csv, &txt] {
        let ron = dir.path().join("rong.ron");
        tinnhiem::archive::save(&ron, &cleared(&original)).unwrap();
        let o = run(&[
            "import-counts",
            &s(&ron),
            &s(sheet),
            "--group",
            "1",
            "--operator",
            "A",
        ]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stdout)
        );
        assert_eq!(
            tinnhiem::archive::load(&ron).unwrap().groups,
            original.groups
        );
    }
    let legacy = dir.path().join("cu.csv");
    fs::write(&legacy, b"STT;H\xf7 v\xe0 t\xean\r\n").unwrap();
    let ron = dir.path().join("rong.ron");
    let o = run(&["import-counts", &s(&ron), &s(&legacy), "--dry-run"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("CSV UTF-8"));
}

/// What tinnhiem exports as CSV it reads back as a team's counts: every count of every
/// example, criteria included, into a copy whose counts were cleared (here, not in the
/// spreadsheet reader's unit tests: the export is the documents' layer, above it).
#[test]
fn own_csv_reads_back() {
    use tinnhiem::model::Counts;
    use tinnhiem::spreadsheet::{Grid, counts::counts_from_grid, text::rows};
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["chi-bo", "tieu-chi", "tinh-uy", "hdnd-nq96"] {
        let path = root.join(format!("assets/examples/{name}.ron"));
        let full = tinnhiem::archive::load(&path).unwrap();
        let csv = tinnhiem::documents::csv::results_csv(&full);
        let rows = rows(&csv, "kq.csv").unwrap();
        let mut empty = full.clone();
        for c in &mut empty.groups[0].cadres {
            c.overall = Counts::default();
            c.criteria.iter_mut().for_each(|q| *q = Counts::default());
        }
        let p = counts_from_grid(&Grid::new(rows), &empty, 0, "kq.csv").unwrap();
        assert_eq!(p.refused, vec![], "{name}");
        p.edit(&empty).unwrap().apply(&mut empty).unwrap();
        assert_eq!(empty, full, "{name}");
    }
}
