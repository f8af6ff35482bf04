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

/// Every example exported to .xlsx by the CLI: a sheet per group, every cadre's counts as
/// numbers and shares as the percentages `tally --json` states, rank and band; exempt cadres
/// with their reason; the same bytes twice.
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

        let json = run(&["tally", "--json", src.to_str().unwrap()]);
        let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
        let sheets = read(&out);
        let groups = json["groups"].as_array().unwrap();
        assert_eq!(sheets.len(), groups.len(), "{name}");
        for ((sheet, rows), g) in sheets.iter().zip(groups) {
            let gname = g["name"].as_str().unwrap();
            assert!(sheet.starts_with("1.") || sheet.contains('.'), "{sheet}");
            assert_eq!(rows[1][0], Data::String(format!("Nhóm phiếu: {gname}")));
            assert_eq!(rows[4][0], Data::String("STT".into()), "{name}: header row");
            let base = g["base"]["value"]
                .as_u64()
                .map_or_else(|| "-".to_owned(), |b| b.to_string());
            let Data::String(line) = &rows[2][0] else {
                panic!("{name}: no base line")
            };
            assert!(line.ends_with(&format!(": {base}")), "{name}: {line}");
            for (i, c) in g["cadres"].as_array().unwrap().iter().enumerate() {
                let row = &rows[5 + i];
                assert_eq!(number(&row[0]), Some((i + 1) as f64), "{name}: STT");
                assert_eq!(row[1], Data::String(c["name"].as_str().unwrap().into()));
                if c["exempt"].as_bool().unwrap() {
                    let reason = c["exemption_reason"].as_str().unwrap();
                    assert_eq!(row[3], Data::String(format!("Không lấy phiếu: {reason}")));
                    continue;
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
                    let p = number(&row[4 + 2 * k]).unwrap();
                    assert!(
                        (p * 100.0 - percent).abs() < 1e-9,
                        "{name} {level}: {p} vs {percent}"
                    );
                }
                assert_eq!(number(&row[11]), c["rank"].as_u64().map(|r| r as f64));
            }
        }
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
