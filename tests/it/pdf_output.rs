//! The minutes PDF as bytes and pixels (issue 12): its size for a large vote, the draft mark
//! out of the extracted text, and the QR code decoded from a coarse print.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use crate::bench_vote::session;
use crate::common::{pdf_pages as pages, tool, write};
use tinnhiem::archive;
use tinnhiem::documents::minutes::{MinutesOptions, minutes_pdf};
use tinnhiem::fingerprint::fingerprint;
use tinnhiem::text::Lang;

fn draft() -> MinutesOptions {
    MinutesOptions {
        lang: Lang::Vi,
        draft: true,
        audit_annex: false,
    }
}

/// The largest the 200-cadre minutes may be: what LibreOffice prints the same content in
/// (63 KB).
const MAX_BYTES: usize = 64_512;

/// The QR code of page `page`, rendered at `dpi` and read by zbarimg.
fn decode_qr(pdf: &Path, page: usize, dpi: u32) -> String {
    let dir = pdf.parent().unwrap();
    let prefix = dir.join(format!("qr{dpi}"));
    let p = page.to_string();
    tool(
        "pdftoppm",
        &[
            "-r",
            &dpi.to_string(),
            "-gray",
            "-png",
            "-singlefile",
            "-f",
            &p,
            "-l",
            &p,
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let png = prefix.with_extension("png");
    tool("zbarimg", &["--raw", "-q", png.to_str().unwrap()])
        .trim()
        .to_owned()
}

/// The 200-cadre minutes fit in what LibreOffice needs for the same content, come out
/// byte-identical from two runs, and stay a valid PDF with embedded subset Unicode fonts.
#[test]
fn two_hundred_cadres_small_and_reproducible() {
    let s = session(200);
    let a = minutes_pdf(&s, draft()).unwrap();
    let b = minutes_pdf(&s, draft()).unwrap();
    assert!(a.len() <= MAX_BYTES, "{} bytes", a.len());
    assert!(a == b, "two runs differ");
    let dir = tempfile::tempdir().unwrap();
    let pdf = write(dir.path(), "200.pdf", &a);
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 2, "{fonts}");
    let mut names: Vec<&str> = rows.iter().map(|r| r.split(' ').next().unwrap()).collect();
    names.dedup();
    assert_eq!(names.len(), rows.len(), "one subset per face: {fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(&cols[cols.len() - 5..cols.len() - 2], ["yes"; 3], "{row}");
    }
    // Every cadre is still there in the text, in drawing order (names wrap in the table).
    let text = tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]);
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for i in 0..200 {
        assert!(words.contains(&format!("Nguyễn Thị Ngọc Ánh {i} ")), "{i}");
    }
}

/// The draft mark is not text: no stray letters of "BẢN NHÁP" between the title and the body,
/// while the footer still says "BẢN NHÁP (chưa phải biên bản chính thức)" on every page.
#[test]
fn draft_mark_is_not_text() {
    let dir = tempfile::tempdir().unwrap();
    for (name, s) in [
        ("200", session(200)),
        (
            "tinh-uy",
            archive::load(Path::new("assets/examples/tinh-uy.ron")).unwrap(),
        ),
    ] {
        let pdf = write(
            dir.path(),
            &format!("{name}.pdf"),
            &minutes_pdf(&s, draft()).unwrap(),
        );
        let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
        let n = pages(&pdf);
        assert_eq!(
            text.matches("BẢN NHÁP").count(),
            n,
            "{name}: only the footers"
        );
        assert_eq!(
            text.matches("BẢN NHÁP (chưa phải biên bản chính thức)")
                .count(),
            n
        );
        for line in text.lines() {
            let t = line.trim();
            assert!(
                t.is_empty() || !t.chars().all(|c| "BẢNHÁP ".contains(c)),
                "{name}: stray mark letters {line:?}"
            );
        }
    }
}

/// The QR code on the last page decodes from a 100 dpi render (a coarse office scan) to the
/// full fingerprint, for a short and a long vote.
#[test]
fn qr_decodes_at_100_dpi() {
    let dir = tempfile::tempdir().unwrap();
    for (name, s) in [
        ("200", session(200)),
        (
            "chi-bo",
            archive::load(Path::new("assets/examples/chi-bo.ron")).unwrap(),
        ),
    ] {
        let pdf = write(
            dir.path(),
            &format!("{name}.pdf"),
            &minutes_pdf(&s, draft()).unwrap(),
        );
        let want = format!("tinnhiem:sha256:{}", fingerprint(&s));
        assert_eq!(decode_qr(&pdf, pages(&pdf), 100), want, "{name}");
    }
}

/// The compact file (object streams, a cross-reference stream) takes a signature: qpdf finds
/// no error in the signed file and poppler accepts the signature as covering it all.
#[test]
fn compact_pdf_signs() {
    use tinnhiem::signing::{Identity, SignDetails, sign_pdf};
    let dir = tempfile::tempdir().unwrap();
    // The head of this session's counting committee signs the first block.
    let p12 = crate::common::make_p12_of(dir.path(), "x", "Thành viên Ban kiểm phiếu 0");
    let id = Identity::from_pkcs12(&std::fs::read(p12).unwrap(), "x").unwrap();
    // Only final minutes are signed.
    let pdf = minutes_pdf(
        &session(20),
        MinutesOptions {
            draft: false,
            ..draft()
        },
    )
    .unwrap();
    let details = SignDetails {
        name: "Phạm Văn Đức".into(),
        reason: "Ký biên bản kiểm phiếu".into(),
        location: "Gia Lai".into(),
        time: std::time::Duration::from_secs(1_702_598_400),
        lang: tinnhiem::text::Lang::Vi,
        appearance: None,
        field: None,
        on_behalf: None,
        images: tinnhiem::signing::images::SignImages::default(),
    };
    let signed = write(
        dir.path(),
        "ky.pdf",
        &sign_pdf(&pdf, &id, &details).unwrap(),
    );
    let check = Command::new("qpdf")
        .args(["--check", signed.to_str().unwrap()])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success() && !out.contains("WARNING"), "{out}");
    let sig = Command::new("pdfsig").arg(&signed).output().unwrap();
    let sig = String::from_utf8_lossy(&sig.stdout);
    assert!(
        sig.contains("Signature is Valid") && sig.contains("Total document signed"),
        "{sig}"
    );
}
