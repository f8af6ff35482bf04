//! The user guide (docs/huong-dan-su-dung.md) against the code: its table of findings names
//! every code validation can report, and only those.

use std::collections::BTreeSet;
use std::path::Path;

const GUIDE: &str = include_str!("../../docs/huong-dan-su-dung.md");
const VALIDATE: &str = include_str!("../../src/operations/validate.rs");

/// Every code of [`tinnhiem::validate::Code::as_str`], read from its (exhaustive) match.
fn core_codes() -> BTreeSet<String> {
    VALIDATE
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Code::"))
        .filter_map(|l| l.split_once(" => \""))
        .filter_map(|(_, rest)| rest.strip_suffix("\","))
        .map(str::to_owned)
        .collect()
}

/// The guide's rows "| E101 | Lỗi | … |": code and kind.
fn guide_rows() -> Vec<(String, String)> {
    GUIDE
        .lines()
        .filter_map(|l| {
            let mut cells = l.strip_prefix("| ")?.split(" | ");
            let code = cells.next()?;
            let kind = cells.next()?;
            let is_code = code.len() == 4
                && (code.starts_with('E') || code.starts_with('W'))
                && code[1..].bytes().all(|b| b.is_ascii_digit());
            is_code.then(|| (code.to_owned(), kind.to_owned()))
        })
        .collect()
}

#[test]
fn every_finding_code_is_explained_in_the_guide() {
    let core = core_codes();
    assert!(
        core.len() > 30,
        "read {} codes from src/operations/validate.rs",
        core.len()
    );
    let rows = guide_rows();
    let guide: BTreeSet<String> = rows.iter().map(|(c, _)| c.clone()).collect();
    assert_eq!(guide.len(), rows.len(), "a code has two rows in the guide");
    let missing: Vec<_> = core.difference(&guide).collect();
    assert!(missing.is_empty(), "the guide's table lacks {missing:?}");
    let stale: Vec<_> = guide.difference(&core).collect();
    assert!(
        stale.is_empty(),
        "the guide's table has codes the core does not: {stale:?}"
    );
    for (code, kind) in &rows {
        let want = if code.starts_with('E') {
            "Lỗi"
        } else {
            "Lưu ý"
        };
        assert_eq!(kind, want, "{code}'s kind in the guide");
    }
}

/// `tinnhiem guide -o FILE.pdf` writes the guide typeset: read back with pdftotext, every
/// heading is there in the guide's order, and the Vietnamese text is whole and NFC.
#[test]
fn guide_command_writes_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("Huong-dan-su-dung.pdf");
    let o = crate::common::run(&["guide", "-o", pdf.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(bytes, tinnhiem::documents::guide::guide_pdf().unwrap());
    let raw = crate::common::pdftotext(&pdf);
    assert_eq!(
        raw,
        tinnhiem::text::nfc(&raw),
        "pdftotext's text is not NFC"
    );
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let headings = tinnhiem::documents::guide::headings();
    assert!(headings.len() > 20, "{headings:?}");
    let mut at = 0;
    for h in &headings {
        let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
        let found = text[at..]
            .find(&h)
            .unwrap_or_else(|| panic!("heading {h:?} not found after byte {at}"));
        at += found + h.len();
    }
    for phrase in [
        "Hướng dẫn sử dụng tinnhiem",
        "Ứng dụng làm việc hoàn toàn ngoại tuyến",
        "Xác nhận phiếu",
        "Trên 50% đến dưới 2/3 tín nhiệm thấp",
        "Số phiếu thu về (…) lớn hơn số phiếu phát ra (…)",
        "đếm bằng máy quét chưa có",
    ] {
        assert!(text.contains(phrase), "{phrase:?} not in the PDF's text");
    }
}

/// The guide's words for each finding are the app's: every piece of its "Ứng dụng báo" cell
/// between the "…" that stand for names and figures is in the messages of src/operations/validate.rs
/// (or the field labels they name, src/data/model/path.rs), so a reworded message shows here.
#[test]
fn the_guide_quotes_the_findings_as_the_app_says_them() {
    let source =
        format!("{VALIDATE}{}", include_str!("../../src/data/model/path.rs")).replace("\\\"", "\"");
    for line in GUIDE.lines() {
        let cells: Vec<&str> = line.split(" | ").collect();
        let Some((code, said)) = cells.first().zip(cells.get(2)) else {
            continue;
        };
        let code = code.trim_start_matches("| ");
        if !guide_rows().iter().any(|(c, _)| c == code) {
            continue;
        }
        for piece in said.split(['…', ';']) {
            let piece = piece.trim_matches(|c: char| c.is_whitespace() || "():,.".contains(c));
            if piece.chars().count() >= 6 {
                assert!(
                    source.contains(piece),
                    "{code}: the guide quotes {piece:?}, which no message of src/operations/validate.rs says"
                );
            }
        }
    }
}

/// Every bold span of the guide is the app's own words (a label, a message, a band as the
/// rules word it): each piece between "…" and "→" is in the app's or the core's strings.
#[test]
fn the_guides_bold_words_are_the_apps() {
    let mut source = String::new();
    for dir in ["src/app", "src/documents"] {
        let mut files: Vec<_> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        for f in files {
            source += &std::fs::read_to_string(f).unwrap();
        }
    }
    for f in [
        "src/data/rules.rs",
        "src/data/model/path.rs",
        "src/operations/validate.rs",
        "src/operations/archive/mod.rs",
        "src/base/text.rs",
    ] {
        source += &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(f)).unwrap();
    }
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let source = squash(&source.replace("\\\"", "\""));
    let mut spans = GUIDE.split("**").skip(1).step_by(2).peekable();
    assert!(spans.peek().is_some());
    for span in spans {
        for piece in squash(span).split(['…', '→']) {
            let piece = piece.trim_matches(|c: char| c.is_whitespace() || "():,.".contains(c));
            if piece.chars().count() >= 3 {
                assert!(
                    source.contains(piece),
                    "the guide shows {piece:?} in bold, as the app's words, but the app never says it"
                );
            }
        }
    }
}
