//! The command line as users and scripts see it: exit codes, the JSON contract, the published
//! percentages, and bad input that never crashes or overwrites anything.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::run;

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/examples")
        .join(name)
}

fn text(o: &[u8]) -> String {
    String::from_utf8(o.to_vec()).unwrap()
}

/// `check` exits 0 on every shipped example and says so.
#[test]
fn check_examples_ok() {
    for name in ["chi-bo.ron", "tinh-uy.ron", "tieu-chi.ron", "hdnd-nq96.ron"] {
        let o = run(&["check", example(name).to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", text(&o.stdout));
        assert!(text(&o.stdout).contains("0 lỗi"));
    }
}

/// `check` exits 1 on a session with errors and prints the code and path of each.
#[test]
fn check_errors_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loi.ron");
    let t = fs::read_to_string(example("chi-bo.ron")).unwrap();
    fs::write(&path, t.replacen("high: 5", "high: 9", 1)).unwrap();
    let o = run(&["check", "--lang", "en", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = text(&o.stdout);
    assert!(
        out.contains("E303 groups[0].cadres[0].overall.high"),
        "{out}"
    );
    assert!(out.contains("E302 groups[0].cadres[0].overall:"), "{out}");
}

/// `check` and `tally` exit 2 on unreadable or malformed files, with a bilingual message that
/// names the line, and the file is left untouched.
#[test]
fn unreadable_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hong.ron");
    let broken = "(\n    format_version: 1,\n    meta: (\n        superior_body: 12,\n";
    fs::write(&path, broken).unwrap();
    for cmd in ["check", "tally"] {
        let o = run(&[cmd, path.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        let err = text(&o.stderr);
        assert!(err.contains("Lỗi:") && err.contains("Error:"), "{err}");
        assert!(err.contains("dòng 4") || err.contains("Dòng 4"), "{err}");
        assert!(err.contains("Line 4"), "{err}");
    }
    assert_eq!(fs::read_to_string(&path).unwrap(), broken);
    let o = run(&["check", dir.path().join("khong-co.ron").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
}

/// The published HĐND case through the CLI: 40,43 / 4,26 / 53,19 and Band A, in the table (vi
/// with decimal comma) and in JSON (decimal point).
#[test]
fn published_case_table_and_json() {
    let file = example("hdnd-nq96.ron");
    let o = run(&["tally", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let table = text(&o.stdout);
    for s in ["40,43%", "4,26%", "53,19%", "Trên 1/2 đến dưới 2/3"] {
        assert!(table.contains(s), "{s} missing in\n{table}");
    }
    let o = run(&["tally", "--json", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["profile"], "Nq96_2023");
    let g = &v["groups"][0];
    // NQ 96/2023 says "tổng số phiếu": collected by default (issued = collected here).
    assert_eq!(g["base"]["kind"], "collected");
    assert_eq!(g["base"]["value"], 47);
    assert_eq!(g["quorum_met"], true);
    let c = &g["cadres"][0];
    assert_eq!(c["exempt"], false);
    assert_eq!(c["band"], "band_a");
    assert_eq!(c["overall"]["low"]["count"], 25);
    assert_eq!(c["overall"]["low"]["numerator"], 25);
    assert_eq!(c["overall"]["low"]["denominator"], 47);
    assert_eq!(c["overall"]["low"]["percent"], "53.19");
    assert_eq!(c["overall"]["high"]["percent"], "40.43");
    assert_eq!(c["overall"]["medium"]["percent"], "4.26");
    assert_eq!(c["overall"]["invalid_lines"]["count"], 1);
    // QĐ 41 is a party rule: never for an HĐND vote.
    assert_eq!(v["qd41_applies"], false);
    assert_eq!(c["qd41_resign_ground"], false);
    assert_eq!(c["qd41_dismiss_ground"], false);
    // The bands as Điều 12 words them, naming the one body concerned.
    let a = &v["bands"][0];
    assert_eq!(a["code"], "band_a");
    assert_eq!(a["citation"]["vi"], "Nghị quyết 96/2023/QH15, Điều 12");
    let consequence = a["consequence"]["vi"].as_str().unwrap();
    assert!(
        consequence
            .contains("Thường trực Hội đồng nhân dân trình Hội đồng nhân dân bỏ phiếu tín nhiệm"),
        "{consequence}"
    );
    assert!(!consequence.contains("Quốc hội"), "{consequence}");
    assert!(
        a["must"]["en"]
            .as_str()
            .unwrap()
            .contains("the People's Council")
    );
    assert_eq!(
        a["considers"]["vi"],
        "Người được lấy phiếu có thể xin từ chức"
    );
}

/// `tally --explain` gives each rule with its article and how sure we are of it; the doubts
/// are there, not in the minutes.
#[test]
fn explain_gives_articles_and_certainty() {
    let o = run(&[
        "tally",
        "--explain",
        example("chi-bo.ron").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    for s in [
        "Điều 3 khoản 2",
        "Điều 6 khoản 3",
        "Điều 11 khoản 2",
        "Điều 11 khoản 3",
        "phải đưa ra khỏi quy hoạch",
        "[đã đối chiếu văn bản]",
        "Quy định 41-QĐ/TW",
    ] {
        assert!(out.contains(s), "{s} missing in\n{out}");
    }
    let o = run(&[
        "tally",
        "--explain",
        "--lang",
        "en",
        example("hdnd-nq96.ron").to_str().unwrap(),
    ]);
    let out = text(&o.stdout);
    assert!(out.contains("Inferred from the organisation laws"), "{out}");
    assert!(!out.contains("Regulation 41"), "{out}");
}

/// The provincial example in JSON: the exempt cadre is marked and untallied, the Band A cadre
/// found, and the criteria example lists criteria after the overall question.
#[test]
fn json_exempt_and_criteria() {
    let o = run(&["tally", "--json", example("tinh-uy.ron").to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let cadres = v["groups"][0]["cadres"].as_array().unwrap();
    let exempt: Vec<_> = cadres.iter().filter(|c| c["exempt"] == true).collect();
    assert_eq!(exempt.len(), 1);
    assert!(exempt[0]["overall"]["low"].is_null());
    assert_eq!(exempt[0]["band"], "none");
    let band_a: Vec<_> = cadres.iter().filter(|c| c["band"] == "band_a").collect();
    assert_eq!(band_a.len(), 1);
    assert_eq!(band_a[0]["overall"]["low"]["percent"], "54.00");

    let o = run(&["tally", "--json", example("tieu-chi.ron").to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let c = &v["groups"][0]["cadres"][2];
    assert_eq!(c["criteria"].as_array().unwrap().len(), 5);
    assert_eq!(c["criteria"][2]["low"]["count"], 5);
    assert_eq!(c["criteria"][2]["low"]["percent"], "55.56");
    assert!(
        c["criteria"][0]["name"]
            .as_str()
            .unwrap()
            .starts_with("Phẩm chất")
    );
}

/// English output uses a decimal point and English labels.
#[test]
fn english_table() {
    let o = run(&[
        "tally",
        "--lang",
        "en",
        example("hdnd-nq96.ron").to_str().unwrap(),
    ]);
    let table = text(&o.stdout);
    assert!(
        table.contains("53.19%") && table.contains("More than 1/2"),
        "{table}"
    );
}

/// `tally` on a session with errors prints what it can, lists the errors on stderr, exits 1.
#[test]
fn tally_with_errors_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("thieu.ron");
    let t = fs::read_to_string(example("chi-bo.ron")).unwrap();
    fs::write(
        &path,
        t.replacen("                        low: 1,\n", "", 1),
    )
    .unwrap();
    let o = run(&["tally", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("chưa đủ số liệu"));
    assert!(text(&o.stderr).contains("E301"));
}

/// A wrong language or unknown command is a usage error (exit 2), not a crash.
#[test]
fn usage_errors() {
    let o = run(&[
        "tally",
        "--lang",
        "fr",
        example("chi-bo.ron").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["frobnicate", "x"]);
    assert_eq!(o.status.code(), Some(2));
}

/// A cadre entered a second time under a name spelt with look-alike letters (Cyrillic "Т" and
/// "Н" for Latin "T" and "H", as a pasted list can bring) is warned about by `check` (W204),
/// naming both cadres and the letters; the session stays valid (exit 0).
#[test]
fn look_alike_names_are_warned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("giong.ron");
    let t = fs::read_to_string(example("chi-bo.ron")).unwrap();
    let look_alike = "\u{422}rần Thị \u{41d}ồng Nhung";
    fs::write(
        &path,
        t.replacen(
            "name: \"Nguyễn Hữu Phước\"",
            &format!("name: \"{look_alike}\""),
            1,
        ),
    )
    .unwrap();
    let o = run(&["check", "--lang", "en", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    let out = text(&o.stdout);
    let line = out
        .lines()
        .find(|l| l.contains("W204 groups[0].cadres[1].name"))
        .unwrap_or_else(|| panic!("no W204: {out}"));
    assert!(
        line.contains(look_alike) && line.contains("Trần Thị Hồng Nhung"),
        "{line}"
    );
    assert!(
        line.contains("“Т” (U+0422, Cyrillic) looks like “T” (U+0054, Latin)")
            && line.contains("“Н” (U+041D, Cyrillic) looks like “H” (U+0048, Latin)"),
        "{line}"
    );
    let o = run(&["check", path.to_str().unwrap()]);
    assert!(
        text(&o.stdout).contains("“Т” (U+0422, chữ Kirin) trông giống “T” (U+0054, chữ Latinh)"),
        "{}",
        text(&o.stdout)
    );
    // The shipped examples, Vietnamese names all, have none.
    for name in ["chi-bo.ron", "tinh-uy.ron", "tieu-chi.ron", "hdnd-nq96.ron"] {
        let o = run(&["check", example(name).to_str().unwrap()]);
        assert!(!text(&o.stdout).contains("W204"), "{name}");
    }
}

/// A file that is not there is said in words, in both languages, never with the system's
/// "No such file or directory (os error 2)": the archive, a PDF to verify or sign, the root
/// certificate of `--ca`.
#[test]
fn missing_files_said_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let gone = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    for args in [
        vec!["check".to_owned(), gone("không-có.ron")],
        vec!["verify".to_owned(), gone("không-có.pdf")],
        vec![
            "sign".to_owned(),
            gone("không-có.pdf"),
            "--p12".to_owned(),
            gone("không-có.p12"),
            "--password-file".to_owned(),
            gone("mat-khau.txt"),
        ],
        vec![
            "verify".to_owned(),
            gone("không-có.pdf"),
            "--ca".to_owned(),
            gone("goc.pem"),
        ],
    ] {
        let o = run(&args);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("không tìm thấy tệp hoặc thư mục")
                && err.contains("file or folder not found"),
            "{args:?}: {err}"
        );
        assert!(
            !err.contains("os error") && !err.contains("No such file"),
            "{args:?}: {err}"
        );
    }
}
