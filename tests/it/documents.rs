//! The documents read back with poppler and qpdf (installed by tests/run.sh): every name,
//! count and percentage, embedded subset fonts, pagination, reproducibility, draft mark and
//! fingerprint on every page; and the CLI commands that write them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{pdf_pages as pages, tool, write};
use tinnhiem::archive;
use tinnhiem::documents::ballots::{BallotOptions, ballots_pdf};
use tinnhiem::documents::minutes::{MinutesOptions, minutes_pdf};
use tinnhiem::fingerprint::fingerprint;
use tinnhiem::model::{BallotGroup, Counts, Date, DocumentMeta, Person, Session, Voters};
use tinnhiem::rules::ProfileId;
use tinnhiem::tally::tally;
use tinnhiem::text::Lang;
use tinnhiem::validate::validate;

const EXAMPLES: [&str; 4] = ["chi-bo", "hdnd-nq96", "tieu-chi", "tinh-uy"];

fn example(name: &str) -> Session {
    archive::load(Path::new(&format!("assets/examples/{name}.ron"))).unwrap()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn text(pdf: &Path) -> String {
    tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"])
}

fn page_text(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    tool(
        "pdftotext",
        &["-layout", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
    )
}

fn final_minutes(s: &Session, lang: Lang) -> Vec<u8> {
    minutes_pdf(
        s,
        MinutesOptions {
            lang,
            draft: false,
            audit_annex: false,
        },
    )
    .unwrap()
}

/// The minutes of `s` in `lang`, read back with pdftotext, white space made single spaces (a
/// sentence reads back whole wherever its lines break).
fn minutes_words(dir: &Path, s: &Session, lang: Lang) -> String {
    let pdf = write(dir, "words.pdf", &final_minutes(s, lang));
    // The running text without what each page repeats (footer, page number), so that a
    // sentence across a page break reads whole.
    text(&pdf)
        .lines()
        .filter(|l| !l.contains("Mã kiểm tra:") && !l.contains("Fingerprint:"))
        .filter(|l| l.trim().parse::<u32>().is_err())
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every counted cadre's row reads back with its name and, at the end of the same line, the
/// counts and percentages of the tally; exempt cadres are listed with their reason.
#[test]
fn every_name_count_and_percentage() {
    let dir = tmp();
    for name in EXAMPLES {
        let s = example(name);
        let pdf = write(
            dir.path(),
            &format!("{name}.pdf"),
            &final_minutes(&s, Lang::Vi),
        );
        let txt = text(&pdf);
        assert!(txt.contains("BIÊN BẢN KIỂM PHIẾU"), "{name}");
        let t = tally(&s);
        for g in &t.groups {
            for c in &g.cadres {
                if let Some(reason) = &c.exemption {
                    let flat = txt.split_whitespace().collect::<Vec<_>>().join(" ");
                    assert!(flat.contains(reason.as_str()), "{name}: {reason}");
                    continue;
                }
                let q = c.overall.unwrap();
                let expected: Vec<String> = [q.high, q.medium, q.low]
                    .iter()
                    .flat_map(|s| [s.count.to_string(), s.fraction.percent_display(Lang::Vi)])
                    .collect();
                // The row's line starts with its STT (its place in the list, exempt cadres
                // counted, as in the setup and the CSV) and ends with the six figures; a long
                // name may wrap onto the lines around it.
                let stt = (c.index + 1).to_string();
                let lines: Vec<&str> = txt.lines().collect();
                let at = lines
                    .iter()
                    .position(|l| {
                        let tokens: Vec<&str> = l.split_whitespace().collect();
                        tokens.first() == Some(&stt.as_str())
                            && tokens.windows(6).any(|w| w == expected.as_slice())
                    })
                    .unwrap_or_else(|| panic!("{name}: no row {stt} with {expected:?}"));
                let around = lines[at.saturating_sub(3)..(at + 4).min(lines.len())].join(" ");
                for word in c.name.split_whitespace() {
                    assert!(
                        around.contains(word),
                        "{name}: {} not near row {stt}",
                        c.name
                    );
                }
            }
        }
    }
}

/// The published HĐND example prints 40,43% / 4,26% / 53,19% and the Band A name.
#[test]
fn published_example_percentages() {
    let dir = tmp();
    let pdf = write(
        dir.path(),
        "h.pdf",
        &final_minutes(&example("hdnd-nq96"), Lang::Vi),
    );
    let txt = text(&pdf);
    for s in [
        "40,43%",
        "4,26%",
        "53,19%",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 01/BB-HĐND",
    ] {
        assert!(txt.contains(s), "{s}");
    }
    let en = write(
        dir.path(),
        "e.pdf",
        &final_minutes(&example("hdnd-nq96"), Lang::En),
    );
    let txt = text(&en);
    assert!(txt.contains("53.19%") && txt.contains("MINUTES OF THE COUNT"));
    assert!(txt.contains("Name and position") && txt.contains("Votes") && txt.contains("Share"));
}

/// The rules as the texts say them (issue 12 §1), read back from the minutes: the bands of
/// QĐ 96 Điều 11 with "phải"/"xem xét"; QĐ 41's grounds for a vote on 07/10/2025 and none on
/// 08/10/2025; an HĐND vote's bands name the council alone; no doubt of the software's own
/// ("suy luận…") in a signed record.
#[test]
fn minutes_word_the_rules_as_the_texts_do() {
    let dir = tmp();
    let mut s = example("chi-bo");
    // Low shares that put a cadre in each band.
    s.groups[0].cadres[1].overall = tinnhiem::model::Counts {
        high: Some(1),
        medium: Some(2),
        low: Some(4),
    };
    s.groups[0].cadres[2].overall = tinnhiem::model::Counts {
        high: Some(0),
        medium: Some(2),
        low: Some(5),
    };
    s.meta.date = tinnhiem::model::Date::new(2025, 10, 7);
    let before = minutes_words(dir.path(), &s, Lang::Vi);
    for want in [
        "Cấp có thẩm quyền quản lý cán bộ phải đưa ra khỏi quy hoạch các chức danh cao hơn và xem xét cho thôi giữ chức vụ",
        "(Quy định 96-QĐ/TW, Điều 11 khoản 2)",
        "phải cho thôi giữ chức vụ và bố trí công tác khác thấp hơn",
        "(Quy định 96-QĐ/TW, Điều 11 khoản 3)",
        "Điều 3 khoản 2",
        "số 2, Nguyễn Hữu Phước, Phó Bí thư Chi bộ",
        "số 3, Đặng Ngọc Ánh, Chi ủy viên",
        "Quy định 41-QĐ/TW",
    ] {
        assert!(before.contains(want), "{want} missing in\n{before}");
    }
    s.meta.date = tinnhiem::model::Date::new(2025, 10, 8);
    let after = minutes_words(dir.path(), &s, Lang::Vi);
    assert!(
        !after.contains("41-QĐ/TW"),
        "QĐ 41 printed for a vote after its repeal"
    );
    assert!(after.contains("Điều 11 khoản 3"));

    let hdnd = minutes_words(dir.path(), &example("hdnd-nq96"), Lang::Vi);
    assert!(
        hdnd.contains("Thường trực Hội đồng nhân dân trình Hội đồng nhân dân bỏ phiếu tín nhiệm"),
        "{hdnd}"
    );
    assert!(hdnd.contains("Nghị quyết 96/2023/QH15, Điều 12"));
    for never in [
        "Quốc hội/Hội đồng nhân dân",
        "suy luận",
        "41-QĐ/TW",
        "HUYỆN",
    ] {
        assert!(!hdnd.contains(never), "{never} printed in\n{hdnd}");
    }
}

/// The proceedings a real biên bản states (issue 12 §2), each sentence only when its part is
/// filled in: how the committee was chosen, absences, the end of the count, the sealed
/// ballots, complaints ("không có khiếu nại" when stated as none), the copies; in both
/// profiles' layouts, and none of them when empty.
#[test]
fn proceedings_when_stated_and_only_then() {
    use tinnhiem::model::{CommitteeChosen, Proceedings};
    let dir = tmp();
    let sentences = [
        "Hội nghị đã bầu Ban kiểm phiếu gồm:",
        "Vắng mặt: đồng chí Lê Văn Tám (ốm).",
        "Việc kiểm phiếu kết thúc lúc 16 giờ 15.",
        "Sau khi kiểm phiếu, toàn bộ phiếu đã được niêm phong và giao cho Văn phòng Đảng ủy.",
        "Trong quá trình kiểm phiếu không có khiếu nại.",
        "Biên bản được lập thành 03 bản.",
    ];
    for name in ["chi-bo", "hdnd-nq96"] {
        let mut s = example(name);
        let bare = minutes_words(dir.path(), &s, Lang::Vi);
        for sentence in &sentences[1..] {
            assert!(
                !bare.contains(sentence),
                "{name}: {sentence} printed while empty"
            );
        }
        assert!(bare.contains("Ban kiểm phiếu gồm:") && !bare.contains("đã bầu"));
        s.proceedings = Proceedings {
            committee_chosen: Some(CommitteeChosen::Elected),
            count_ended: "16 giờ 15".into(),
            absences: "đồng chí Lê Văn Tám (ốm)".into(),
            sealed_to: "Văn phòng Đảng ủy".into(),
            remarks: Some(String::new()),
            copies: Some(3),
        };
        let full = minutes_words(dir.path(), &s, Lang::Vi);
        for sentence in sentences {
            assert!(
                full.contains(sentence),
                "{name}: {sentence} missing in\n{full}"
            );
        }
        s.proceedings.remarks =
            Some("Đồng chí X đề nghị kiểm lại phiếu số 12; đã kiểm lại, đúng".into());
        s.proceedings.committee_chosen = Some(CommitteeChosen::Approved);
        let en = minutes_words(dir.path(), &s, Lang::En);
        for sentence in [
            "The conference approved the counting committee:",
            "The count ended at 16 giờ 15.",
            "Complaints and remarks during the count: Đồng chí X đề nghị kiểm lại phiếu số 12; đã kiểm lại, đúng.",
            "These minutes are made in 3 copies.",
        ] {
            assert!(en.contains(sentence), "{name}: {sentence} missing in\n{en}");
        }
    }
}

/// Every signer has "(Ký, ghi rõ họ tên)" under the title: the head of the committee, the
/// chair, every other member and the conference's secretary, who now signs too; the committee
/// is listed "1. Đồng chí …, Trưởng ban" (a capital, no dash).
#[test]
fn every_signer_signs_the_same_way() {
    let dir = tmp();
    let s = example("chi-bo");
    let txt = text(&write(dir.path(), "s.pdf", &final_minutes(&s, Lang::Vi)));
    let signers = 2 + (s.committee.len() - 1) + 1;
    assert_eq!(txt.matches("(Ký, ghi rõ họ tên)").count(), signers, "{txt}");
    assert!(txt.contains("THƯ KÝ HỘI NGHỊ"));
    assert!(txt.contains(&s.secretary.name));
    assert!(
        txt.contains("1. Đồng chí Phạm Văn Đức, Trưởng ban"),
        "{txt}"
    );
    let mut no_secretary = s.clone();
    no_secretary.secretary.name.clear();
    let txt = text(&write(
        dir.path(),
        "n.pdf",
        &final_minutes(&no_secretary, Lang::Vi),
    ));
    assert_eq!(txt.matches("(Ký, ghi rõ họ tên)").count(), signers - 1);
    assert!(!txt.contains("THƯ KÝ HỘI NGHỊ"));
}

/// The party layout: title, number, italic date, signature blocks with every member's name.
#[test]
fn party_layout_texts() {
    let dir = tmp();
    let s = example("tinh-uy");
    let flat = minutes_words(dir.path(), &s, Lang::Vi);
    for want in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 05-BB/TU",
        "Gia Lai, ngày 15 tháng 12 năm 2023",
        "T/M BAN KIỂM PHIẾU",
        "TRƯỞNG BAN",
        "Quy định 41-QĐ/TW",
    ] {
        assert!(flat.contains(want), "{want}");
    }
    for p in &s.committee {
        assert!(flat.contains(p.name.as_str()), "{}", p.name);
    }
    assert!(flat.contains(s.chair.name.as_str()));
}

/// Fonts are embedded and subset; the file passes qpdf; metadata is set and no PDF/A or PDF/X
/// claim is made.
#[test]
fn fonts_metadata_and_structure() {
    let dir = tmp();
    let pdf = write(
        dir.path(),
        "t.pdf",
        &final_minutes(&example("tinh-uy"), Lang::Vi),
    );
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 2, "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(
            cols[0].contains('+') && cols[0].contains("LiberationSerif"),
            "{row}"
        );
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "{row}"
        );
    }
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(
        info.contains("Title:           Biên bản kiểm phiếu"),
        "{info}"
    );
    assert!(info.contains("Author:          BAN CHẤP HÀNH ĐẢNG BỘ TỈNH"));
    assert!(info.contains("Creator:         tinnhiem"));
    assert!(info.contains("Subject:         Lấy phiếu tín nhiệm đối với"));
    assert!(info.contains("CreationDate:    Fri Dec 15 00:00:00 2023 UTC"));
    assert!(!info.contains("PDF/A") && !info.contains("PDF/X"), "{info}");
    assert!(std::fs::metadata(&pdf).unwrap().len() < 200_000);
}

/// A session of `n` cadres with plausible, valid counts (47 ballots, one void).
fn generated(n: usize) -> Session {
    let mut s = Session::new(ProfileId::Qd96);
    s.meta = DocumentMeta {
        superior_body: "Đảng bộ tỉnh Thử".into(),
        issuing_body: "Ban Chấp hành Đảng bộ tỉnh".into(),
        document_number: "09-BB/TU".into(),
        conference: "Hội nghị thử".into(),
        place: "Thử".into(),
        venue: "Hội trường".into(),
        date: Date::new(2023, 12, 1),
        time: "8 giờ".into(),
    };
    s.chair = Person {
        name: "Trần Chủ Trì".into(),
        role: "Bí thư".into(),
    };
    s.committee = vec![
        Person {
            name: "Lê Trưởng Ban".into(),
            role: "Trưởng ban".into(),
        },
        Person {
            name: "Phạm Thành Viên".into(),
            role: "Thành viên".into(),
        },
    ];
    let mut g = BallotGroup {
        name: "Cán bộ diện thử".into(),
        voters: Voters {
            summoned: Some(50),
            present: Some(48),
            issued: Some(48),
            collected: Some(47),
            void_sheets: Some(1),
        },
        ..BallotGroup::default()
    };
    for i in 0..n {
        let mut c = g.new_cadre(&format!("Nguyễn Văn Số{i}"), "Ủy viên");
        let high = u32::try_from(i * 7 % 30).unwrap();
        let medium = u32::try_from(i * 3 % 10).unwrap();
        let low = 46 - high - medium - u32::try_from(i % 2).unwrap();
        c.overall = Counts {
            high: Some(high),
            medium: Some(medium),
            low: Some(low),
        };
        g.cadres.push(c);
    }
    s.groups = vec![g];
    assert!(!validate(&s).has_errors(), "{:?}", validate(&s));
    s
}

/// 1, 15 and 150 cadres paginate as laid out: the page count pdfinfo reports, every cadre once,
/// the table header on every page of the table, page numbers from page 2, fingerprint on all.
#[test]
fn pagination_1_15_150() {
    let dir = tmp();
    // 150 cadres: the band sentences name each cadre by STT, name and position.
    for (n, expected_pages) in [(1, 2), (15, 3), (150, 10)] {
        let s = generated(n);
        let pdf = write(
            dir.path(),
            &format!("{n}.pdf"),
            &final_minutes(&s, Lang::Vi),
        );
        let count = pages(&pdf);
        assert_eq!(count, expected_pages, "{n} cadres");
        let short = fingerprint(&s).short();
        let mut seen = vec![0; n];
        for p in 1..=count {
            let txt = page_text(&pdf, p);
            assert!(txt.contains(&short), "page {p} of {n}: no fingerprint");
            let first = txt.lines().find(|l| !l.trim().is_empty()).unwrap().trim();
            if p > 1 {
                assert_eq!(first, p.to_string(), "page number of page {p}");
            }
            // A row's figures are on the line that starts with its STT (the name and the
            // position are on the lines around it).
            let mut rows = 0;
            for l in txt.lines() {
                let first = l
                    .split_whitespace()
                    .next()
                    .and_then(|t| t.parse::<usize>().ok());
                if let Some(stt) = first.filter(|_| l.contains('%')) {
                    seen[stt - 1] += 1;
                    rows += 1;
                }
            }
            if rows > 0 && p > 1 {
                assert!(
                    txt.contains("Họ và tên"),
                    "page {p}: header row not repeated"
                );
            }
        }
        assert!(seen.iter().all(|&k| k == 1), "{n}: {seen:?}");
    }
}

/// The same archive gives byte-identical PDFs, in one process and from two CLI runs.
#[test]
fn byte_identical() {
    let s = example("tinh-uy");
    let opts = MinutesOptions {
        lang: Lang::Vi,
        draft: true,
        audit_annex: false,
    };
    assert_eq!(
        minutes_pdf(&s, opts).unwrap(),
        minutes_pdf(&s, opts).unwrap()
    );
    let b = BallotOptions::default();
    assert_eq!(ballots_pdf(&s, b).unwrap(), ballots_pdf(&s, b).unwrap());
    let dir = tmp();
    let a = dir.path().join("a.pdf");
    let b = dir.path().join("b.pdf");
    // `minutes` logs the export in the archive: work on a copy, never on the shipped example,
    // and a fresh one each time (the PDF states the log it was written at).
    let archive = dir.path().join("tinh-uy.ron");
    for out in [&a, &b] {
        std::fs::copy("assets/examples/tinh-uy.ron", &archive).unwrap();
        let st = cli(&[
            "minutes",
            archive.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(st.0, 0, "{}", st.1);
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

/// A draft carries "BẢN NHÁP" on every page; final minutes do not.
#[test]
fn draft_mark() {
    let dir = tmp();
    let s = example("tinh-uy");
    let draft = minutes_pdf(
        &s,
        MinutesOptions {
            lang: Lang::Vi,
            draft: true,
            audit_annex: false,
        },
    )
    .unwrap();
    let pdf = write(dir.path(), "d.pdf", &draft);
    for p in 1..=pages(&pdf) {
        assert!(page_text(&pdf, p).contains("BẢN NHÁP"), "page {p}");
    }
    let fin = write(dir.path(), "f.pdf", &final_minutes(&s, Lang::Vi));
    assert!(!text(&fin).contains("BẢN NHÁP"));
}

/// The full fingerprint is printed on the last page, in two halves next to the QR code.
#[test]
fn full_fingerprint_on_last_page() {
    let dir = tmp();
    let s = example("chi-bo");
    let pdf = write(dir.path(), "c.pdf", &final_minutes(&s, Lang::Vi));
    let hex = fingerprint(&s).to_string();
    let last = page_text(&pdf, pages(&pdf));
    assert!(
        last.contains(&hex[..32]) && last.contains(&hex[32..]),
        "{last}"
    );
}

fn cli(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tinnhiem"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `minutes` refuses a session with errors (exit 1) and an output equal to the input (exit 2,
/// input untouched).
#[test]
fn cli_refusals() {
    let dir = tmp();
    let mut s = example("chi-bo");
    s.groups[0].cadres[0].overall.low = None;
    let bad = dir.path().join("bad.ron");
    archive::save(&bad, &s).unwrap();
    let out = dir.path().join("bad.pdf");
    let (code, err) = cli(&[
        "minutes",
        bad.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("E301") || err.contains("lỗi"), "{err}");
    assert!(!out.exists());
    let before = std::fs::read(&bad).unwrap();
    let (code, err) = cli(&[
        "minutes",
        bad.to_str().unwrap(),
        "-o",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read(&bad).unwrap(), before);
    let (code, _) = cli(&["export", bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 1);
    // Ballots are for any session with cadres, errors or not.
    let (code, err) = cli(&[
        "ballots",
        bad.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
}

/// `ballots` prints the requested copies (two to a sheet for a short ballot) plus one tally
/// sheet per group; by default as many copies as voters summoned.
#[test]
fn cli_ballots_copies() {
    let dir = tmp();
    let out = dir.path().join("b.pdf");
    let o = out.to_str().unwrap();
    let (code, err) = cli(&[
        "ballots",
        "assets/examples/chi-bo.ron",
        "-o",
        o,
        "--copies",
        "3",
    ]);
    assert_eq!(code, 0, "{err}");
    // Three cadres: two ballots to a sheet (2 sheets), then the tally sheet.
    assert_eq!(pages(&out), 3);
    let txt = text(&out);
    assert_eq!(txt.matches("PHIẾU TÍN NHIỆM").count(), 3);
    assert_eq!(txt.matches("PHIẾU TỔNG HỢP KIỂM PHIẾU").count(), 1);
    assert!(txt.contains("Tín nhiệm thấp") && txt.contains("đánh dấu (X)"));
    tool("qpdf", &["--check", o]);
    let s = example("chi-bo");
    let (code, _) = cli(&["ballots", "assets/examples/chi-bo.ron", "-o", o]);
    assert_eq!(code, 0);
    let summoned = usize::try_from(s.groups[0].voters.summoned.unwrap()).unwrap();
    assert_eq!(pages(&out), summoned.div_ceil(2) + 1);
}

/// `export` writes the CSV with a BOM and semicolons, and every percentage of the tally.
#[test]
fn cli_export_csv() {
    let dir = tmp();
    let out = dir.path().join("r.csv");
    let (code, err) = cli(&[
        "export",
        "assets/examples/hdnd-nq96.ron",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(&[0xef, 0xbb, 0xbf]));
    let txt = String::from_utf8(bytes).unwrap();
    assert!(txt.contains(";19;40,43;2;4,26;25;53,19;"));
}

/// Writes the 150-cadre minutes for looking at (`TINNHIEM_KEEP=dir`); always checks qpdf.
#[test]
fn large_session_is_well_formed() {
    let dir = tmp();
    let keep = std::env::var_os("TINNHIEM_KEEP").map(PathBuf::from);
    let target = keep.as_deref().unwrap_or(dir.path());
    let pdf = write(target, "150.pdf", &final_minutes(&generated(150), Lang::Vi));
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
}

/// The QR code on the last page decodes (zbarimg) to the session's full fingerprint.
#[test]
fn qr_decodes_to_fingerprint() {
    let dir = tmp();
    let s = example("tinh-uy");
    let pdf = write(dir.path(), "q.pdf", &final_minutes(&s, Lang::Vi));
    let last = pages(&pdf).to_string();
    let png = dir.path().join("last");
    tool(
        "pdftoppm",
        &[
            "-png",
            "-r",
            "150",
            "-f",
            &last,
            "-l",
            &last,
            "-singlefile",
            pdf.to_str().unwrap(),
            png.to_str().unwrap(),
        ],
    );
    let decoded = tool(
        "zbarimg",
        &["-q", "--raw", dir.path().join("last.png").to_str().unwrap()],
    );
    assert_eq!(
        decoded.trim(),
        format!("tinnhiem:sha256:{}", fingerprint(&s))
    );
}

/// A name the font cannot print is refused with a bilingual error instead of printing boxes.
#[test]
fn unprintable_character_is_refused() {
    let mut s = example("chi-bo");
    s.groups[0].cadres[0].name = "Lý 李".into();
    let err = minutes_pdf(&s, MinutesOptions::default()).unwrap_err();
    let m = err.message();
    assert!(
        m.vi.contains('李') && m.en.contains("cannot be printed"),
        "{m:?}"
    );
}

/// The tieu-chi example with its cadres repeated `k` times: five criterion tables per group,
/// so headings land at many heights.
fn with_criteria(k: usize) -> Session {
    let mut s = example("tieu-chi");
    for g in &mut s.groups {
        let base = g.cadres.clone();
        for copy in 1..k {
            for c in &base {
                let mut c = c.clone();
                c.name = format!("{} {copy}", c.name);
                g.cadres.push(c);
            }
        }
    }
    s
}

/// What the minutes of `s` print as headings or lead-in lines, flattened: none may end a page.
fn headings(s: &Session) -> Vec<String> {
    let mut h = vec![
        "Ban kiểm phiếu gồm:".to_owned(),
        "Ban kiểm phiếu đã tiến hành kiểm phiếu; kết quả như sau:".to_owned(),
        "(Kết quả tham khảo theo tiêu chí; kết quả chính thức là bảng trên.)".to_owned(),
        "CÁC THÀNH VIÊN BAN KIỂM PHIẾU".to_owned(),
        "công bố kết quả trước hội nghị và cùng ký tên dưới đây.".to_owned(),
        "Không lấy phiếu tín nhiệm đối với:".to_owned(),
        format!("Đối chiếu {}:", s.profile.profile().name.vi),
    ];
    for (i, g) in s.groups.iter().enumerate() {
        h.push(format!(
            "{}. Kết quả lấy phiếu đối với {}",
            ["I", "II", "III"][i],
            g.name
        ));
        for (k, c) in g.criteria.iter().enumerate() {
            h.push(format!("Tiêu chí {}: {}", k + 1, c.name));
        }
    }
    h.iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The body text of a page as pdftotext reads it, flattened, without the footer.
fn page_body(pdf: &Path, page: usize) -> String {
    page_text(pdf, page)
        .lines()
        .filter(|l| !l.contains("Mã kiểm tra") && !l.trim().chars().all(|c| c.is_ascii_hexdigit()))
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Keep-with-next, end to end: in minutes of many sizes (up to 54 cadres with five criterion
/// tables, up to 60 cadres without) no page ends with a heading or a lead-in line.
#[test]
fn no_page_ends_with_a_heading() {
    let dir = tmp();
    let sessions = (1..=6)
        .map(with_criteria)
        .chain((1..=60).step_by(4).map(generated));
    let mut checked = 0;
    for (n, s) in sessions.enumerate() {
        let pdf = write(
            dir.path(),
            &format!("{n}.pdf"),
            &final_minutes(&s, Lang::Vi),
        );
        let heads = headings(&s);
        let count = pages(&pdf);
        for p in 1..count {
            let body = page_body(&pdf, p);
            assert!(
                !body.ends_with(':'),
                "session {n}, page {p} ends with a lead-in: {body}"
            );
            for h in &heads {
                assert!(
                    !body.ends_with(h.as_str()),
                    "session {n}, page {p} ends with {h}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 40, "{checked}");
}

/// Justified body text reads back word for word with single spaces, in reading order and in
/// pdftotext's layout mode, and its lines are flush with the right margin.
#[test]
fn justified_text_reads_back() {
    let dir = tmp();
    let s = example("tinh-uy");
    let pdf = write(dir.path(), "j.pdf", &final_minutes(&s, Lang::Vi));
    let sentence =
        "Ban kiểm phiếu lập biên bản này, công bố kết quả trước hội nghị và cùng ký tên dưới đây.";
    for layout in [false, true] {
        let mut args = vec![];
        if layout {
            args.push("-layout");
        }
        args.extend([pdf.to_str().unwrap(), "-"]);
        let txt = tool("pdftotext", &args);
        let joined = txt.lines().map(str::trim).collect::<Vec<_>>().join(" ");
        assert!(joined.contains(sentence), "layout {layout}");
        let opening = format!("Hôm nay, vào lúc {}", s.meta.time);
        assert!(joined.contains(&opening), "layout {layout}");
        for line in txt.lines().map(str::trim) {
            if line.starts_with("Hôm nay") || line.starts_with("Ban kiểm phiếu lập") {
                assert!(!line.contains("  "), "double space: {line}");
            }
        }
    }
    // The first line of the opening paragraph is justified: its right end is at the margin.
    let bbox = tool(
        "pdftotext",
        &["-bbox", "-f", "1", "-l", "1", pdf.to_str().unwrap(), "-"],
    );
    let words: Vec<(f32, f32, String)> = bbox
        .lines()
        .filter_map(|l| {
            let attr = |k: &str| -> Option<f32> {
                let i = l.find(&format!("{k}=\""))? + k.len() + 2;
                l[i..].split('"').next()?.parse().ok()
            };
            let text = l.split('>').nth(1)?.split('<').next()?.to_owned();
            Some((attr("xMax")?, attr("yMin")?, text))
        })
        .collect();
    let hom = words.iter().position(|w| w.2 == "Hôm").unwrap();
    let y = words[hom].1;
    let last_on_line = words[hom..]
        .iter()
        .take_while(|w| (w.1 - y).abs() < 1.0)
        .last()
        .unwrap();
    let right = 595.2756 - 15.0 * 72.0 / 25.4;
    assert!(
        (last_on_line.0 - right).abs() < 1.0,
        "{last_on_line:?} vs {right}"
    );
}

/// The chi-bo example with two per-criterion questions and its second cadre exempt.
fn with_two_criteria() -> Session {
    let mut s = example("chi-bo");
    let g = &mut s.groups[0];
    g.add_criterion("Phẩm chất chính trị");
    g.add_criterion("Kết quả công tác");
    g.cadres[1].exemption = Some("Nghỉ hưu".into());
    s
}

/// Where each of `needles` first occurs in `text`, in turn, each after the previous one.
fn in_order(text: &str, needles: &[&str]) -> Result<(), String> {
    let mut from = 0;
    for n in needles {
        match text[from..].find(n) {
            Some(i) => from += i + n.len(),
            None => return Err(format!("{n:?} not found after byte {from} in:\n{text}")),
        }
    }
    Ok(())
}

/// With criteria, the printed ballot and the tally sheet carry, under each cadre on the
/// ballot, its overall row then one row per criterion, in both languages; the exempt cadre
/// is not printed.
#[test]
fn ballots_with_two_criteria() {
    let dir = tmp();
    let s = with_two_criteria();
    let one = BallotOptions {
        copies: Some(1),
        lang: Lang::Vi,
    };
    let pdf = write(dir.path(), "b.pdf", &ballots_pdf(&s, one).unwrap());
    assert_eq!(pages(&pdf), 2);
    let a = "- Tiêu chí: Phẩm chất chính trị";
    let b = "- Tiêu chí: Kết quả công tác";
    for page in [1, 2] {
        let t = page_text(&pdf, page);
        // The first name wraps on the tally sheet: its last word.
        in_order(&t, &["Nhung", a, b, "Đặng Ngọc Ánh", a, b]).unwrap();
        assert_eq!(t.matches(a).count(), 2, "{t}");
        assert_eq!(t.matches(b).count(), 2, "{t}");
        assert_eq!(t.matches("(Đánh giá chung)").count(), 2, "{t}");
        assert!(!t.contains("Nguyễn Hữu Phước"), "{t}");
        // One STT everywhere: the third in the list is number 3, though the second is exempt.
        assert!(
            t.lines()
                .any(|l| l.split_whitespace().take(4).collect::<Vec<_>>()
                    == ["3", "Đặng", "Ngọc", "Ánh"]),
            "{t}"
        );
    }
    let en = BallotOptions {
        copies: Some(1),
        lang: Lang::En,
    };
    let pdf = write(dir.path(), "en.pdf", &ballots_pdf(&s, en).unwrap());
    let t = page_text(&pdf, 1);
    in_order(
        &t,
        &[
            "Nhung",
            "- Criterion: Phẩm chất chính trị",
            "- Criterion: Kết quả công tác",
        ],
    )
    .unwrap();
    assert_eq!(t.matches("(Overall)").count(), 2, "{t}");
}

/// Without criteria, the ballot rows are as before: one ruled row per cadre with its number,
/// name and position on one line, and no criterion or "overall" label anywhere.
#[test]
fn ballots_without_criteria_unchanged() {
    use tinnhiem::documents::ballots::ballot_pages;
    use tinnhiem::documents::layout::{Fonts, Item};
    let s = example("chi-bo");
    let one = BallotOptions {
        copies: Some(1),
        lang: Lang::Vi,
    };
    let dir = tmp();
    let pdf = write(dir.path(), "b.pdf", &ballots_pdf(&s, one).unwrap());
    let t = text(&pdf);
    assert!(
        !t.contains("Tiêu chí") && !t.contains("Đánh giá chung"),
        "{t}"
    );
    for (i, c) in s.groups[0].cadres.iter().enumerate() {
        let line = t.lines().find(|l| l.contains(&c.name)).unwrap();
        assert!(
            line.trim_start().starts_with(&(i + 1).to_string()),
            "{line}"
        );
        assert!(line.contains(&c.position), "{line}");
    }
    // The ballot page: six header boxes and six boxes per cadre, nothing more.
    let fonts = Fonts::load().unwrap();
    let pages = ballot_pages(&s, &fonts, one);
    let boxes = |p: &tinnhiem::documents::layout::Page| {
        p.items
            .iter()
            .filter(|i| matches!(i, Item::Rect { stroke: true, .. }))
            .count()
    };
    assert_eq!(boxes(&pages[0]), 6 + 6 * s.groups[0].cadres.len());
    // With criteria: two more rows of five boxes (the name spans two columns) per cadre.
    let pages = ballot_pages(&with_two_criteria(), &fonts, one);
    assert_eq!(boxes(&pages[0]), 6 + 2 * (6 + 2 * 5));
}

/// A cadre's block (its row and its criterion rows) is never split across pages, on the
/// ballot and on the tally sheet.
#[test]
fn criterion_rows_stay_with_their_cadre() {
    use tinnhiem::documents::ballots::ballot_pages;
    use tinnhiem::documents::layout::Fonts;
    let mut s = generated(40);
    s.groups[0].add_criterion("Tiêu chí A");
    s.groups[0].add_criterion("Tiêu chí B");
    let fonts = Fonts::load().unwrap();
    let pages = ballot_pages(
        &s,
        &fonts,
        BallotOptions {
            copies: Some(1),
            lang: Lang::Vi,
        },
    );
    assert!(pages.len() >= 4, "{}", pages.len());
    let mut names = 0;
    for (n, page) in pages.iter().enumerate() {
        let texts: Vec<&str> = page.texts().collect();
        let count = |s: &str| texts.iter().filter(|t| **t == s).count();
        let cadres = texts
            .iter()
            .filter(|t| t.starts_with("Nguyễn Văn Số"))
            .count();
        names += cadres;
        assert_eq!(count("- Tiêu chí: Tiêu chí A"), cadres, "page {}", n + 1);
        assert_eq!(count("- Tiêu chí: Tiêu chí B"), cadres, "page {}", n + 1);
    }
    assert_eq!(
        names, 80,
        "every cadre once on the ballot and once on the tally sheet"
    );
}

/// The core refuses to print minutes of a sealed session whose counts were changed after the
/// seal, whoever calls it.
#[test]
fn minutes_refused_for_broken_seal() {
    let mut s = example("chi-bo");
    s.finalise(
        "Phạm Văn Đức",
        tinnhiem::lifecycle::Timestamp(1_702_629_000),
    )
    .unwrap();
    assert!(minutes_pdf(&s, MinutesOptions::for_session(&s, Lang::Vi)).is_ok());
    s.groups[0].cadres[0].overall.high = Some(4);
    let err = minutes_pdf(&s, MinutesOptions::for_session(&s, Lang::Vi)).unwrap_err();
    assert!(
        matches!(err, tinnhiem::documents::DocumentError::SealBroken(_)),
        "{err:?}"
    );
    assert!(
        err.message().vi.contains("sau khi chốt"),
        "{}",
        err.message().vi
    );
}

/// The results table (issue 12 §2): a "Không hợp lệ" column and a "Ghi chú" column that
/// states the band on the cadre's own row, a "Xếp thứ" column only when asked for; a long
/// band list by STT, a short one by STT, name and position.
#[test]
fn results_table_columns() {
    let dir = tmp();
    for (name, band) in [
        ("tinh-uy", "Trên 50% đến dưới 2/3"),
        ("hdnd-nq96", "Trên 1/2 đến dưới 2/3"),
    ] {
        let mut s = example(name);
        let txt = text(&write(dir.path(), "a.pdf", &final_minutes(&s, Lang::Vi)));
        for want in ["Không", "hợp lệ", "Ghi chú", "Họ và tên, chức vụ"] {
            assert!(txt.contains(want), "{name}: {want} missing");
        }
        assert!(
            !txt.contains("Xếp"),
            "{name}: a rank column nobody asked for"
        );
        // The band's words next to the row of the cadre in it: the first line of the note
        // ("Trên 50% đến" / "Trên 1/2") is on the row's lines.
        let t = tally(&s);
        let c = t.groups[0]
            .cadres
            .iter()
            .find(|c| c.band.is_some())
            .unwrap();
        let lines: Vec<&str> = txt.lines().collect();
        let row = lines
            .iter()
            .position(|l| {
                l.split_whitespace().next() == Some(&(c.index + 1).to_string()) && l.contains('%')
            })
            .unwrap();
        let around = lines[row.saturating_sub(2)..row + 3].join(" ");
        let first_word = band.split(' ').take(2).collect::<Vec<_>>().join(" ");
        assert!(around.contains(&first_word), "{name}: {around}");
        let words = minutes_words(dir.path(), &s, Lang::Vi);
        assert!(
            words.contains(&format!("số {}, {}", c.index + 1, c.name)),
            "{words}"
        );
        assert!(words.contains("Cột “Không hợp lệ”: số phiếu không hợp lệ riêng"));

        s.minutes.ranking = true;
        let txt = text(&write(dir.path(), "b.pdf", &final_minutes(&s, Lang::Vi)));
        assert!(
            txt.contains("Xếp") && txt.contains("thứ"),
            "{name}: no rank column"
        );
        // The rank of the first cadre (by "tín nhiệm cao") is on its row.
        let best = t.groups[0]
            .cadres
            .iter()
            .find(|c| c.rank == Some(1))
            .unwrap();
        let line = txt
            .lines()
            .find(|l| {
                l.split_whitespace().next() == Some(&(best.index + 1).to_string())
                    && l.contains('%')
            })
            .unwrap();
        let after_percent: Vec<&str> = line.split_whitespace().skip(7).collect();
        assert!(after_percent.contains(&"1"), "{name}: {line}");
    }
    // 150 cadres: more than five in a band are listed by STT, not by 60 names.
    let s = generated(150);
    let t = tally(&s);
    let in_b: Vec<String> = t.groups[0]
        .in_band(tinnhiem::rules::BandId::BandB)
        .map(|c| (c.index + 1).to_string())
        .collect();
    assert!(in_b.len() > 5);
    let words = minutes_words(dir.path(), &s, Lang::Vi);
    let want = format!(
        "Thuộc trường hợp này: {} đồng chí, STT {}.",
        in_b.len(),
        in_b.join(", ")
    );
    assert!(words.contains(&want), "{want}");
    assert!(!words.contains("số 1, Nguyễn Văn Số0"));
}

/// The opening and closing paragraphs as the locality words them (issue 12 §2): filled from
/// the session in both profiles, the copies sentence not repeated when the closing states
/// them; a broken template is an error (E005) and the built-in wording stands in; an empty
/// field a warning (W004).
#[test]
fn opening_and_closing_templates() {
    use tinnhiem::validate::Code;
    let dir = tmp();
    for name in ["chi-bo", "hdnd-nq96"] {
        let mut s = example(name);
        let default = minutes_words(dir.path(), &s, Lang::Vi);
        assert!(default.contains("Hôm nay, vào lúc"), "{name}");
        assert!(
            default.contains(tinnhiem::template::DEFAULT_CLOSING),
            "{name}"
        );

        s.minutes.opening = Some(
            "Vào hồi {giờ} {ngày}, tại {địa điểm}, {cơ quan} họp {hội nghị}; căn cứ {quy định}."
                .into(),
        );
        s.minutes.closing =
            Some("Biên bản lập xong, thông qua trước hội nghị, làm thành {số bản} bản.".into());
        s.proceedings.copies = Some(3);
        let words = minutes_words(dir.path(), &s, Lang::Vi);
        let m = &s.meta;
        let date = m.date.unwrap().vietnamese_long();
        let rules = s.profile.profile().name.vi;
        let opening = format!(
            "Vào hồi {} {date}, tại {}, {} họp {}; căn cứ {rules}.",
            m.time, m.venue, m.issuing_body, m.conference
        );
        assert!(words.contains(&opening), "{name}: {opening}\n{words}");
        assert!(!words.contains("Hôm nay, vào lúc"), "{name}");
        assert!(
            words.contains("Biên bản lập xong, thông qua trước hội nghị, làm thành 03 bản."),
            "{name}"
        );
        assert!(
            !words.contains("Biên bản được lập thành"),
            "{name}: copies said twice"
        );
        assert!(!validate(&s).contains(Code::TemplateInvalid));

        // A closing that does not state the copies gets the usual sentence after it.
        s.minutes.closing = Some("Hội nghị kết thúc.".into());
        let words = minutes_words(dir.path(), &s, Lang::Vi);
        assert!(
            words.contains("Hội nghị kết thúc. Biên bản được lập thành 03 bản."),
            "{name}"
        );

        // A misspelt field: an error with its place; the minutes keep the built-in opening.
        s.minutes.opening = Some("Hôm nay, {ngay}".into());
        let f = validate(&s);
        let e =
            f.0.iter()
                .find(|f| f.code == Code::TemplateInvalid)
                .unwrap();
        assert_eq!(e.path.to_string(), "minutes.opening");
        assert!(e.message.vi.contains("Ký tự thứ 10") && e.message.vi.contains("{ngay}"));
        assert!(minutes_words(dir.path(), &s, Lang::Vi).contains("Hôm nay, vào lúc"));

        // A field with nothing in it would print as nothing: a warning says which.
        s.minutes.opening = Some("Tại {địa điểm}.".into());
        s.meta.venue.clear();
        let f = validate(&s);
        assert!(
            f.0.iter()
                .any(|f| f.code == Code::TemplateFieldEmpty && f.message.vi.contains("{địa điểm}")),
            "{f:?}"
        );
    }
}

/// "Vắng mặt: …" with nobody absent is a contradiction (W005); with someone absent it is not.
#[test]
fn absences_stated_with_nobody_absent() {
    use tinnhiem::validate::Code;
    let mut s = example("hdnd-nq96");
    let v = &s.groups[0].voters;
    assert_eq!(v.summoned, v.present, "the example has everyone present");
    s.proceedings.absences = "Đồng chí A (ốm)".into();
    assert!(validate(&s).contains(Code::AbsencesButNoneAbsent));
    s.groups[0].voters.summoned = Some(s.groups[0].voters.present.unwrap() + 1);
    assert!(!validate(&s).contains(Code::AbsencesButNoneAbsent));
}
