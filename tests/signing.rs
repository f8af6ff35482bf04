//! PDF signatures end to end: a throwaway certificate made by openssl at test time, a signed
//! PDF that poppler's `pdfsig` accepts as covering the whole document, and tampering caught.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use tinnhiem::signing::{self, Identity, SignDetails, SignError, VerifyError};

/// A minimal one-page PDF with a correct xref table, as a stand-in for any finished document.
pub fn tiny_pdf() -> Vec<u8> {
    let objects = [
        "<</Type/Catalog/Pages 2 0 R>>",
        "<</Type/Pages/Kids[3 0 R]/Count 1>>",
        "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<<>>>>",
        "<</Length 0>>\nstream\n\nendstream",
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n0 5\n0000000000 65535 f \n");
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<</Size 5/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    out
}

/// Makes a self-signed RSA certificate with a Vietnamese subject and exports it as .p12.
pub fn make_p12(dir: &Path, password: &str) -> Vec<u8> {
    let key = dir.join("k.pem");
    let cert = dir.join("c.pem");
    let p12 = dir.join("s.p12");
    let ok = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-utf8", "-days", "3650", "-subj",
        ])
        .arg("/C=VN/O=Chi bộ Khu dân cư số 4/CN=Phạm Văn Đức")
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let ok = Command::new("openssl")
        .args(["pkcs12", "-export", "-inkey"])
        .arg(&key)
        .arg("-in")
        .arg(&cert)
        .arg("-out")
        .arg(&p12)
        .arg("-passout")
        .arg(format!("pass:{password}"))
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    fs::read(p12).unwrap()
}

fn details() -> SignDetails {
    SignDetails {
        name: "Phạm Văn Đức".into(),
        reason: "Ký biên bản kiểm phiếu".into(),
        location: "Đà Nẵng".into(),
        time: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or(Duration::ZERO),
    }
}

fn pdfsig(path: &Path) -> String {
    let o = Command::new("pdfsig").arg(path).output().unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A signed PDF verifies here and in poppler, covering the whole document, with the signer's
/// Vietnamese name intact; one changed byte fails both with a digest mismatch.
#[test]
fn sign_verify_and_tamper() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::from_pkcs12(&make_p12(dir.path(), "mật-khẩu 1"), "mật-khẩu 1").unwrap();
    assert!(id.subject().contains("Phạm Văn Đức"), "{}", id.subject());
    let original = tiny_pdf();
    let signed = signing::sign_pdf(&original, &id, &details()).unwrap();
    assert!(
        signed.starts_with(&original),
        "the signature is an incremental update"
    );

    let report = signing::verify_pdf(&signed).unwrap();
    assert!(report.subject.contains("Phạm Văn Đức"));
    assert!(report.time_within_validity);

    let path = dir.path().join("signed.pdf");
    fs::write(&path, &signed).unwrap();
    let out = pdfsig(&path);
    assert!(out.contains("Signature is Valid"), "{out}");
    assert!(out.contains("Total document signed"), "{out}");
    let qpdf = Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        qpdf.status.success(),
        "{}",
        String::from_utf8_lossy(&qpdf.stdout)
    );

    // One byte of the signed content changed (inside the page's MediaBox numbers).
    let mut tampered = signed.clone();
    let at = tampered.windows(3).position(|w| w == b"595").unwrap();
    tampered[at] = b'6';
    assert_eq!(
        signing::verify_pdf(&tampered),
        Err(VerifyError::DigestMismatch)
    );
    let bad = dir.path().join("tampered.pdf");
    fs::write(&bad, &tampered).unwrap();
    let out = pdfsig(&bad);
    assert!(!out.contains("Signature is Valid"), "{out}");

    // Content appended after signing is no longer covered.
    let mut appended = signed;
    appended.extend_from_slice(b"\n% added later\n");
    assert_eq!(
        signing::verify_pdf(&appended),
        Err(VerifyError::NotWholeDocument)
    );
}

/// A wrong password is a clear error, and an unsigned PDF has no signature.
#[test]
fn wrong_password_and_unsigned() {
    let dir = tempfile::tempdir().unwrap();
    let p12 = make_p12(dir.path(), "dung");
    let err = Identity::from_pkcs12(&p12, "sai").unwrap_err();
    assert!(matches!(err, SignError::WrongPassword), "{err:?}");
    assert!(err.message().vi.contains("sai mật khẩu"));
    assert_eq!(
        signing::verify_pdf(&tiny_pdf()),
        Err(VerifyError::NoSignature)
    );
    assert!(matches!(
        Identity::from_pkcs12(b"not a p12", "x"),
        Err(SignError::BadKeystore(_))
    ));
}
