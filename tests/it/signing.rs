//! PDF signatures end to end: a throwaway certificate made by openssl at test time, a signed
//! PDF that poppler's `pdfsig` accepts as covering the whole document, and tampering caught.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use crate::common::run;
use tinnhiem::signing::names::NameMatch;
use tinnhiem::signing::{self, Identity, SignDetails, SignError, VerifyError};
use unicode_normalization::UnicodeNormalization;

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

fn details() -> SignDetails {
    SignDetails {
        name: "Phạm Văn Đức".into(),
        reason: "Ký biên bản kiểm phiếu".into(),
        location: "Đà Nẵng".into(),
        time: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or(Duration::ZERO),
        lang: tinnhiem::text::Lang::Vi,
        appearance: None,
        field: None,
        on_behalf: None,
        images: tinnhiem::signing::images::SignImages::default(),
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
    let id = Identity::from_pkcs12(
        &fs::read(crate::common::make_p12(dir.path(), "mật-khẩu 1")).unwrap(),
        "mật-khẩu 1",
    )
    .unwrap();
    assert!(id.subject().contains("Phạm Văn Đức"), "{}", id.subject());
    let original = tiny_pdf();
    let signed = signing::sign_pdf(&original, &id, &details()).unwrap();
    assert!(
        signed.starts_with(&original),
        "the signature is an incremental update"
    );

    let report = signing::verify_pdf(&signed, &[]).unwrap().remove(0);
    assert!(report.subject.contains("Phạm Văn Đức"));
    assert!(report.time_within_validity);

    // Times in Vietnam's time, as the log annex prints them: 15/12/2023 08:30 UTC is 15:30.
    let at = signing::SignDetails {
        time: Duration::from_secs(1_702_629_000),
        ..details()
    };
    let report = signing::verify_pdf(&signing::sign_pdf(&original, &id, &at).unwrap(), &[])
        .unwrap()
        .remove(0);
    assert_eq!(
        report.signing_time.as_deref(),
        Some("15/12/2023 15:30 (UTC+7)")
    );
    assert!(
        report.not_before.ends_with("(UTC+7)"),
        "{}",
        report.not_before
    );

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
        signing::verify_pdf(&tampered, &[]),
        Err(VerifyError::DigestMismatch)
    );
    let bad = dir.path().join("tampered.pdf");
    fs::write(&bad, &tampered).unwrap();
    let out = pdfsig(&bad);
    assert!(!out.contains("Signature is Valid"), "{out}");

    // Bytes appended after signing are not covered: the signature holds for what it signed,
    // and the report names what came after.
    let mut appended = signed;
    appended.extend_from_slice(b"\n% added later\n");
    let reports = signing::verify_pdf(&appended, &[]).unwrap();
    assert_eq!(reports[0].changes, vec![signing::Change::Tail(15)]);
    assert!(!reports[0].covers_whole_file);
}

/// A wrong password is a clear error, and an unsigned PDF has no signature.
#[test]
fn wrong_password_and_unsigned() {
    let dir = tempfile::tempdir().unwrap();
    let p12 = fs::read(crate::common::make_p12(dir.path(), "dung")).unwrap();
    let err = Identity::from_pkcs12(&p12, "sai").unwrap_err();
    assert!(matches!(err, SignError::WrongPassword), "{err:?}");
    assert!(err.message().vi.contains("sai mật khẩu"));
    assert_eq!(
        signing::verify_pdf(&tiny_pdf(), &[]),
        Err(VerifyError::NoSignature)
    );
    assert!(matches!(
        Identity::from_pkcs12(b"not a p12", "x"),
        Err(SignError::BadKeystore(_))
    ));
}

fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The whole path through the CLI: finalise, print signed minutes with the log annex, pdfsig
/// accepts them, `verify` checks the PDF against its archive, and a changed count in the
/// archive makes that check fail; a wrong password writes no file.
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "the whole command-line path, step by step"
)]
fn cli_signed_minutes_verify() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n);
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/chi-bo.ron");
    fs::copy(&src, p("phien.ron")).unwrap();
    fs::copy(crate::common::make_p12(dir.path(), "bí mật"), p("s.p12")).unwrap();
    fs::write(p("pw.txt"), "bí mật\n").unwrap();
    fs::write(p("wrong.txt"), "sai\n").unwrap();
    let os = |s: &Path| s.as_os_str().to_owned();
    let arg = |s: &str| std::ffi::OsString::from(s);

    let o = run(&[
        &arg("finalise"),
        &os(&p("phien.ron")),
        &arg("--operator"),
        &arg("Phạm Văn Đức"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));

    let o = run(&[
        &arg("minutes"),
        &os(&p("phien.ron")),
        &arg("-o"),
        &os(&p("bb.pdf")),
        &arg("--sign"),
        &os(&p("s.p12")),
        &arg("--password-file"),
        &os(&p("wrong.txt")),
    ]);
    assert_ne!(o.status.code(), Some(0));
    assert!(text(&o).contains("sai mật khẩu"), "{}", text(&o));
    assert!(!p("bb.pdf").exists(), "no file on a wrong password");

    let o = run(&[
        &arg("minutes"),
        &os(&p("phien.ron")),
        &arg("-o"),
        &os(&p("bb.pdf")),
        &arg("--with-log"),
        &arg("--sign"),
        &os(&p("s.p12")),
        &arg("--password-file"),
        &os(&p("pw.txt")),
        &arg("--operator"),
        &arg("Võ Thị Thu Hà"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let out = pdfsig(&p("bb.pdf"));
    assert!(
        out.contains("Signature is Valid") && out.contains("Total document signed"),
        "{out}"
    );

    let txt = Command::new("pdftotext")
        .arg("-layout")
        .arg(p("bb.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let txt = String::from_utf8(txt.stdout).unwrap();
    assert!(
        !txt.contains("BẢN NHÁP"),
        "a final session prints no draft mark"
    );
    assert!(
        txt.contains("NHẬT KÝ NHẬP LIỆU") && txt.contains("Chốt kết quả"),
        "{txt}"
    );

    let o = run(&[
        &arg("verify"),
        &os(&p("bb.pdf")),
        &arg("--archive"),
        &os(&p("phien.ron")),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("Phạm Văn Đức") && text(&o).contains("khớp"),
        "{}",
        text(&o)
    );

    // The printed person beside the certificate's, and the chair's block still to sign.
    for want in [
        "Người có tên in dưới ô: Phạm Văn Đức | chứng thư: Phạm Văn Đức — khớp",
        "Ô ký chưa ký: Chủ trì hội nghị (Trần Thị Hồng Nhung)",
    ] {
        assert!(text(&o).contains(want), "{want}\n{}", text(&o));
    }
    signed_for_the_chair(&p, &|a: &[&std::ffi::OsStr]| run(a));

    // The export and the signature are in the archive's log.
    let log = text(&run(&[&arg("log"), &os(&p("phien.ron"))]));
    assert!(
        log.contains("Xuất biên bản: bb.pdf") && log.contains("Ký số bb.pdf"),
        "{log}"
    );

    let edited = fs::read_to_string(p("phien.ron"))
        .unwrap()
        .replacen("high: 5,", "high: 4,", 1);
    fs::write(p("phien.ron"), edited).unwrap();
    let o = run(&[
        &arg("verify"),
        &os(&p("bb.pdf")),
        &arg("--archive"),
        &os(&p("phien.ron")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("Không khớp"), "{}", text(&o));

    // A signed byte: the header's binary comment (the Info dictionary is in an object stream).
    let mut bytes = fs::read(p("bb.pdf")).unwrap();
    bytes[b"%PDF-1.7\n%".len()] ^= 0x01;
    fs::write(p("tampered.pdf"), bytes).unwrap();
    let o = run(&[&arg("verify"), &os(&p("tampered.pdf"))]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("thay đổi sau khi ký"), "{}", text(&o));
}

/// The chair's block with the head's certificate (issue 24 §1): `sign` refuses it without a
/// reason and says whose block it is; with `--on-behalf` it signs, and `verify` shows the
/// chair beside the head's certificate, "KHÔNG khớp", and the stated reason. A signature made
/// so by another tool, stating no reason, is invalid.
fn signed_for_the_chair(
    p: &dyn Fn(&str) -> std::path::PathBuf,
    run: &dyn Fn(&[&std::ffi::OsStr]) -> std::process::Output,
) {
    let s = |n: &str| p(n).into_os_string();
    let key = [s("s.p12"), "--password-file".into(), s("pw.txt")];
    let sign = |extra: &[&str]| {
        let mut args = vec![
            std::ffi::OsString::from("sign"),
            s("bb.pdf"),
            "-o".into(),
            s("ky2.pdf"),
            "--p12".into(),
        ];
        args.extend(key.iter().cloned());
        args.extend(extra.iter().map(std::ffi::OsString::from));
        let refs: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsString::as_os_str).collect();
        run(&refs)
    };
    let o = sign(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("không phải của người có tên in dưới ô ký \"Trần Thị Hồng Nhung\""),
        "{}",
        text(&o)
    );
    assert!(!p("ky2.pdf").exists(), "nothing written when refused");
    let o = sign(&["--on-behalf", "Đồng chí chủ trì đi công tác, đã ủy quyền"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("Chủ trì hội nghị: Trần Thị Hồng Nhung"),
        "{}",
        text(&o)
    );
    let o = run(&[std::ffi::OsStr::new("verify"), &s("ky2.pdf")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    for want in [
        "Người có tên in dưới ô: Trần Thị Hồng Nhung | chứng thư: Phạm Văn Đức — KHÔNG khớp",
        "ký thay cho Trần Thị Hồng Nhung: Đồng chí chủ trì đi công tác, đã ủy quyền",
    ] {
        assert!(text(&o).contains(want), "{want}\n{}", text(&o));
    }
    // Another tool signs the chair's block with the head's key and says nothing of it.
    let pdf = fs::read(p("bb.pdf")).unwrap();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let id = Identity::from_pkcs12(&fs::read(p("s.p12")).unwrap(), "bí mật").unwrap();
    let forged = signing::append_signature(&pdf, &doc, &id, &details()).unwrap();
    fs::write(p("gia.pdf"), forged).unwrap();
    let o = run(&[std::ffi::OsStr::new("verify"), &s("gia.pdf")]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("Không hợp lệ: chứng thư không phải của người có tên in dưới ô"),
        "{}",
        text(&o)
    );
}

/// The signer's name rewritten inside the embedded certificate after signing (issue 13 §2):
/// the signed attributes bind the certificate by its hash, so `verify` refuses it, and the
/// certificate's own signature no longer holds either.
#[test]
fn certificate_edited_after_signing_fails() {
    let dir = tempfile::tempdir().unwrap();
    let id = Identity::from_pkcs12(
        &fs::read(crate::common::make_p12(dir.path(), "pw")).unwrap(),
        "pw",
    )
    .unwrap();
    let signed = signing::sign_pdf(&tiny_pdf(), &id, &details()).unwrap();
    let report = signing::verify_pdf(&signed, &[]).unwrap().remove(0);
    assert_eq!(report.certificate_bound, Some(true));
    assert!(report.pades);
    // "Phạm" in UTF-8, as hex inside /Contents: one letter changed ("Pham" → "Qham") in the
    // certificate's subject. The self-signed certificate names it as its issuer first, then
    // as its subject; the signer's identifier and the signing-certificate-v2 attribute name
    // the issuer again after it.
    let hex = |s: &str| s.bytes().map(|b| format!("{b:02x}")).collect::<String>();
    let (from, to) = (hex("Phạm"), hex("Qhạm"));
    let text = String::from_utf8_lossy(&signed).into_owned();
    let at: Vec<usize> = text.match_indices(&from).map(|(i, _)| i).collect();
    assert_eq!(
        at.len(),
        4,
        "issuer, subject, signer's issuer, bound issuer"
    );
    let mut forged = text.clone();
    forged.replace_range(at[1]..at[1] + from.len(), &to);
    let forged = forged.into_bytes();
    assert_eq!(forged.len(), signed.len());
    assert_eq!(
        signing::verify_pdf(&forged, &[]),
        Err(signing::VerifyError::CertificateChanged)
    );
    let path = dir.path().join("forged.pdf");
    fs::write(&path, &forged).unwrap();
    let o = crate::common::run(&[std::ffi::OsStr::new("verify"), path.as_os_str()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("chứng thư số trong chữ ký đã bị thay đổi")
    );
}

/// A certificate not signed by the issuer it names is caught when the issuer is given, and a
/// chain to a given root is trusted only when it reaches it.
#[test]
fn certificate_chain_against_issuer_and_root() {
    use der::{Decode, Encode};
    use signing::{CertSignature, Trust, chain};
    let dir = tempfile::tempdir().unwrap();
    let openssl = |args: &[&str]| {
        let o = Command::new("openssl")
            .current_dir(dir.path())
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-utf8",
        "-days",
        "30",
        "-subj",
        "/CN=Gốc",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-outform",
        "DER",
    ]);
    openssl(&[
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-utf8",
        "-subj",
        "/CN=Người ký",
        "-keyout",
        "leaf.key",
        "-out",
        "leaf.csr",
    ]);
    openssl(&[
        "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAform", "DER", "-CAkey", "ca.key",
        "-days", "30", "-out", "leaf.der", "-outform", "DER",
    ]);
    let root =
        x509_cert::Certificate::from_der(&fs::read(dir.path().join("ca.pem")).unwrap()).unwrap();
    let leaf =
        x509_cert::Certificate::from_der(&fs::read(dir.path().join("leaf.der")).unwrap()).unwrap();
    let r = chain::check(&leaf, &[], std::slice::from_ref(&root));
    assert_eq!(
        (r.certificate, r.trust),
        (CertSignature::Valid, Trust::Trusted)
    );
    assert_eq!(r.path.len(), 2);
    let r = chain::check(&leaf, std::slice::from_ref(&root), &[]);
    assert_eq!(
        (r.certificate, r.trust),
        (CertSignature::Valid, Trust::NotChecked)
    );
    let r = chain::check(&leaf, &[], &[]);
    assert_eq!(r.certificate, CertSignature::IssuerMissing);
    // The same certificate with one byte of its name changed: the issuer did not sign that.
    let mut der = leaf.to_der().unwrap();
    let at = der
        .windows("Người".len())
        .position(|w| w == "Người".as_bytes())
        .unwrap();
    der[at] = b'M';
    let forged = x509_cert::Certificate::from_der(&der).unwrap();
    let r = chain::check(&forged, &[], &[root]);
    assert_eq!(
        (r.certificate, r.trust),
        (CertSignature::Invalid, Trust::NotTrusted)
    );
    // Anchors from a PEM file with two certificates.
    let pem = format!(
        "{}\n{}",
        String::from_utf8(
            Command::new("openssl")
                .current_dir(dir.path())
                .args(["x509", "-inform", "DER", "-in", "ca.pem"])
                .output()
                .unwrap()
                .stdout
        )
        .unwrap(),
        String::from_utf8(
            Command::new("openssl")
                .current_dir(dir.path())
                .args(["x509", "-inform", "DER", "-in", "leaf.der"])
                .output()
                .unwrap()
                .stdout
        )
        .unwrap()
    );
    assert_eq!(chain::read_anchors(pem.as_bytes()).unwrap().len(), 2);
    assert!(chain::read_anchors(b"not a certificate").is_err());
}

/// The minutes carry two signature fields, in the head of the counting committee's block and
/// in the chair's (issue 13 §2, §3): each signature fills the next one, visibly (it has an
/// appearance), its rectangle just above that signer's printed name; a third is refused;
/// `verify` lists both, the first covering the file as it was, the last covering all of it.
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "both blocks, the refusal and the look, step by step"
)]
fn visible_signatures_in_the_signers_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let (session, pdf) = crate::attacks::final_minutes();
    let fields = signing::unsigned_fields(&pdf);
    let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Trưởng ban kiểm phiếu",
            "Chủ trì hội nghị",
            "Thành viên Ban kiểm phiếu 2",
            "Thư ký hội nghị"
        ]
    );

    let id = Identity::from_pkcs12(
        &fs::read(crate::common::make_p12(dir.path(), "pw")).unwrap(),
        "pw",
    )
    .unwrap();
    let with_look = SignDetails {
        appearance: Some(tinnhiem::documents::appearance::signature_appearance),
        ..details()
    };
    let once = signing::sign_pdf(&pdf, &id, &with_look).unwrap();
    assert_eq!(signing::unsigned_fields(&once).len(), 3);
    // The head's certificate does not name the chair printed under the second block: refused
    // unless the head states why they sign for her.
    assert!(matches!(
        signing::sign_pdf(&once, &id, &with_look),
        Err(SignError::NotThePrintedPerson { printed, certificate })
            if printed == "Trần Thị Hồng Nhung" && certificate == "Phạm Văn Đức"
    ));
    let with_look = SignDetails {
        on_behalf: Some("Chủ trì vắng mặt khi ký, được ủy quyền".into()),
        ..with_look
    };
    let twice = signing::sign_pdf(&once, &id, &with_look).unwrap();
    assert_eq!(signing::unsigned_fields(&twice).len(), 2);
    // The member's and the secretary's blocks, then none is left.
    let all = signing::sign_pdf(
        &signing::sign_pdf(&twice, &id, &with_look).unwrap(),
        &id,
        &with_look,
    )
    .unwrap();
    assert!(signing::unsigned_fields(&all).is_empty());
    assert!(matches!(
        signing::sign_pdf(&all, &id, &with_look),
        Err(SignError::NoFreeField)
    ));
    let reports = signing::verify_pdf(&twice, &[]).unwrap();
    assert_eq!(reports.len(), 2);
    assert_eq!(reports[0].field, "Trưởng ban kiểm phiếu");
    assert_eq!(reports[1].field, "Chủ trì hội nghị");
    assert_eq!(reports[0].printed.as_deref(), Some("Phạm Văn Đức"));
    assert_eq!(reports[0].name_match, Some(NameMatch::Same));
    assert_eq!(reports[1].printed.as_deref(), Some("Trần Thị Hồng Nhung"));
    assert_eq!(reports[1].name_match, Some(NameMatch::Different));
    assert_eq!(
        reports[1].reason.as_deref(),
        Some(
            "Ký biên bản kiểm phiếu; ký thay cho Trần Thị Hồng Nhung: Chủ trì vắng mặt khi ký, được ủy quyền"
        )
    );
    assert!(!reports[0].covers_whole_file && reports[1].covers_whole_file);

    // Each widget has its look, and sits just above its signer's name on the page.
    let doc = lopdf::Document::load_mem(&twice).unwrap();
    let path = dir.path().join("ky.pdf");
    fs::write(&path, &twice).unwrap();
    let pages = doc.get_pages().len();
    let o = Command::new("pdftotext")
        .args(["-bbox", "-f", &pages.to_string(), "-l", &pages.to_string()])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8(o.stdout).unwrap();
    let attr = |tag: &str, name: &str| -> f32 {
        let at = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[at..tag[at..].find('"').unwrap() + at].parse().unwrap()
    };
    let page_tag = &html[html.find("<page ").unwrap()..];
    let height = attr(page_tag, "height");
    // Every place a word is drawn: xMin, xMax, yMin, yMax (from the top).
    let words = |w: &str| -> Vec<[f32; 4]> {
        html.match_indices(&format!(">{w}</word>"))
            .map(|(end, _)| {
                let tag = &html[html[..end].rfind("<word").unwrap()..end];
                ["xMin", "xMax", "yMin", "yMax"].map(|a| attr(tag, a))
            })
            .collect()
    };
    for (field, signer) in [
        ("Trưởng ban kiểm phiếu", &session.committee[0].name),
        ("Chủ trì hội nghị", &session.chair.name),
    ] {
        let widget = doc
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .find(|d| {
                d.get(b"T")
                    .ok()
                    .and_then(|t| lopdf::decode_text_string(t).ok())
                    .is_some_and(|t| t == field)
            })
            .unwrap();
        assert!(widget.get(b"AP").is_ok(), "{field}: no appearance");
        assert!(widget.get(b"V").is_ok(), "{field}: not signed");
        let rect: Vec<f32> = widget
            .get(b"Rect")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_float().unwrap())
            .collect();
        assert!(
            rect[2] - rect[0] > 100.0 && rect[3] - rect[1] > 30.0,
            "{rect:?}"
        );
        // The printed name: its first word below the box (the look above says it too, as
        // text a reader can extract).
        let first = signer.split_whitespace().next().unwrap();
        let (box_top, box_bottom) = (height - rect[3], height - rect[1]);
        let [x0, x1, name_top, _] = *words(first)
            .iter()
            .find(|w| w[2] >= box_bottom)
            .unwrap_or_else(|| panic!("{field}: no {first} under the box"));
        assert!(
            name_top - box_bottom < 20.0,
            "{field}: the box ends at {box_bottom}, the name starts at {name_top}"
        );
        assert!(
            rect[0] <= x0 && x1 <= rect[2] + 60.0,
            "{field}: {rect:?} vs {x0}..{x1}"
        );
        // "(Ký, ghi rõ họ tên)" just above the box, never inside it (issue 24 §3).
        let sign_here = words("(Ký,");
        assert!(
            sign_here.iter().any(|w| w[3] <= box_top
                && box_top - w[3] < 12.0
                && w[0] < rect[2]
                && w[1] > rect[0]),
            "{field}: no \"(Ký, ghi rõ họ tên)\" just above the box at {box_top}: {sign_here:?}"
        );
        let inside =
            |w: &[f32; 4]| w[0] < rect[2] && w[1] > rect[0] && w[3] > box_top && w[2] < box_bottom;
        assert!(
            !sign_here.iter().any(inside),
            "{field}: \"(Ký, ghi rõ họ tên)\" inside the box {rect:?}: {sign_here:?}"
        );
        // The look's words are text a reader extracts, inside the box.
        assert!(
            words("bởi:").iter().any(inside),
            "{field}: the look's \"Ký bởi:\" is not text in the box"
        );
    }
}

/// A draft's minutes are never signed, neither by the library nor by `tinnhiem sign`: "BẢN
/// NHÁP" under a valid signature would mislead whoever reads it (issue 13 §2).
#[test]
fn drafts_are_not_signed() {
    use tinnhiem::documents::minutes::{MinutesOptions, minutes_pdf};
    let dir = tempfile::tempdir().unwrap();
    let session = tinnhiem::archive::load(Path::new("assets/examples/chi-bo.ron")).unwrap();
    assert!(!session.is_final());
    let pdf = minutes_pdf(
        &session,
        MinutesOptions::for_session(&session, tinnhiem::text::Lang::Vi),
    )
    .unwrap();
    let p12 = crate::common::make_p12(dir.path(), "pw");
    let id = Identity::from_pkcs12(&fs::read(&p12).unwrap(), "pw").unwrap();
    assert!(matches!(
        signing::sign_pdf(&pdf, &id, &details()),
        Err(SignError::Draft)
    ));
    let path = crate::common::write(dir.path(), "nhap.pdf", &pdf);
    let password = crate::common::write(dir.path(), "pw.txt", b"pw\n");
    let o = run(&[
        std::ffi::OsStr::new("sign"),
        path.as_os_str(),
        std::ffi::OsStr::new("--p12"),
        p12.as_os_str(),
        std::ffi::OsStr::new("--password-file"),
        password.as_os_str(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bản nháp"));
    assert_eq!(fs::read(&path).unwrap(), pdf, "the draft was rewritten");
}

/// Exports `key` and `cert` (and `extra`, a CA) as a .p12 with openssl's `options`.
fn export_p12(
    dir: &Path,
    name: &str,
    key: &Path,
    cert: &Path,
    extra: Option<&Path>,
    password: &str,
    options: &[&str],
) -> Vec<u8> {
    let out = dir.join(name);
    let mut cmd = Command::new("openssl");
    cmd.args(["pkcs12", "-export", "-inkey"])
        .arg(key)
        .arg("-in")
        .arg(cert)
        .arg("-out")
        .arg(&out)
        .arg("-passout")
        .arg(format!("pass:{password}"))
        .args(options);
    if let Some(ca) = extra {
        cmd.arg("-certfile").arg(ca);
    }
    let done = cmd.output().unwrap();
    assert!(
        done.status.success(),
        "{options:?}: {}",
        String::from_utf8_lossy(&done.stderr)
    );
    fs::read(out).unwrap()
}

/// One .p12 export of the test below: which key, with what password and openssl options.
struct P12Case {
    name: &'static str,
    ec: bool,
    with_ca: bool,
    password: &'static str,
    options: &'static [&'static str],
}

/// Makes an RSA and a P-256 key with certificates for the same Vietnamese name, and a CA.
fn p12_keys(d: &Path) {
    let ossl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(d)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let subj = "/C=VN/O=Ủy ban kiểm tra/CN=Nguyễn Thị Hồng Nhung";
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
    for (new_key, subject, key, cert) in [
        (&["-newkey", "rsa:2048"][..], subj, "rsa.key", "rsa.pem"),
        (&ec[..], "/CN=Gốc thử", "ca.key", "ca.pem"),
        (&ec[..], subj, "ec.key", "ec.pem"),
    ] {
        let mut args = vec![
            "req", "-x509", "-nodes", "-utf8", "-days", "30", "-subj", subject,
        ];
        args.extend_from_slice(new_key);
        args.extend_from_slice(&["-keyout", key, "-out", cert]);
        ossl(&args);
    }
}

/// The exports of [`p12_files_as_the_tools_write_them`].
fn p12_cases() -> [P12Case; 10] {
    let case = |name, ec, with_ca, password, options| P12Case {
        name,
        ec,
        with_ca,
        password,
        options,
    };
    [
        case("openssl3", false, false, "bí mật 2026", &[]),
        case("legacy", false, false, "bí mật 2026", &["-legacy"]),
        case("legacy-ascii", false, false, "secret", &["-legacy"]),
        case(
            "3des",
            false,
            false,
            "Mật khẩu",
            &[
                "-keypbe",
                "PBE-SHA1-3DES",
                "-certpbe",
                "NONE",
                "-macalg",
                "sha1",
            ],
        ),
        case(
            "aes128-nomac",
            false,
            false,
            "khóa",
            &[
                "-keypbe",
                "AES-128-CBC",
                "-certpbe",
                "AES-128-CBC",
                "-nomac",
            ],
        ),
        case("sha512-mac", true, true, "đúng", &["-macalg", "sha512"]),
        case("empty", true, false, "", &[]),
        case("empty-legacy", true, false, "", &["-legacy"]),
        case(
            "empty-legacy-nomac",
            true,
            false,
            "",
            &["-legacy", "-nomac"],
        ),
        case(
            "empty-3des-nomac",
            false,
            false,
            "",
            &["-descert", "-nomac"],
        ),
    ]
}

/// .p12 files as the tools that make them write them: OpenSSL 3's default (PBES2 with AES-256
/// and PBKDF2-HMAC-SHA-256, MAC with SHA-256), OpenSSL 1.x's and old Windows' legacy form
/// (certificates under 40-bit RC2, the key under 3DES, MAC with SHA-1), 3DES for both with the
/// certificates not encrypted, AES-128 without a MAC, a SHA-512 MAC, an EC key with a CA
/// certificate beside it, an empty password with and without a MAC (OpenSSL then derives the
/// keys from no bytes at all rather than from an empty BMPString): each opens with its
/// password, each refuses a wrong one as a wrong password.
#[test]
fn p12_files_as_the_tools_write_them() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    p12_keys(d);
    let (rsa_key, rsa_cert) = (d.join("rsa.key"), d.join("rsa.pem"));
    let (ec_key, ec_cert, ca) = (d.join("ec.key"), d.join("ec.pem"), d.join("ca.pem"));
    for P12Case {
        name,
        ec,
        with_ca,
        password,
        options,
    } in p12_cases()
    {
        let (key, cert) = if ec {
            (&ec_key, &ec_cert)
        } else {
            (&rsa_key, &rsa_cert)
        };
        let extra = with_ca.then_some(ca.as_path());
        let p12 = export_p12(
            d,
            &format!("{name}.p12"),
            key,
            cert,
            extra,
            password,
            options,
        );
        let id = Identity::from_pkcs12(&p12, password).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(signing::signer_name(&id), "Nguyễn Thị Hồng Nhung", "{name}");
        assert_eq!(
            signing::KeySigner::chain(&id).len(),
            usize::from(extra.is_some()),
            "{name}: the CA is the chain, not the signer"
        );
        // Typed with combining marks (NFD: a Unikey "tổ hợp" setting, a macOS field), the
        // password made in precomposed form (NFC, as openssl got it here) still opens it.
        let nfd: String = password.nfd().collect();
        let id = Identity::from_pkcs12(&p12, &nfd).unwrap_or_else(|e| panic!("{name} NFD: {e}"));
        assert_eq!(signing::signer_name(&id), "Nguyễn Thị Hồng Nhung", "{name}");
        let err = Identity::from_pkcs12(&p12, "sai mật khẩu").unwrap_err();
        assert!(matches!(err, SignError::WrongPassword), "{name}: {err:?}");
        // A damaged file never panics; with a MAC it never opens (without one, a changed
        // byte in a part nothing reads, such as a bag's friendly name, cannot be seen).
        for at in [p12.len() / 3, p12.len() / 2, p12.len() - 5] {
            let mut broken = p12.clone();
            broken[at] ^= 0x5a;
            let opened = Identity::from_pkcs12(&broken, password);
            assert!(
                opened.is_err() || options.contains(&"-nomac"),
                "{name} at {at}"
            );
        }
    }
}

/// A password made in decomposed form (NFD) opens the file when typed precomposed (NFC), with
/// a MAC (OpenSSL 3's form) and without one (PBES2 and the legacy ciphers, each tried with each
/// spelling); another password is still wrong.
#[test]
fn p12_made_with_a_decomposed_password_opens_with_the_composed_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    p12_keys(d);
    let (key, cert) = (d.join("rsa.key"), d.join("rsa.pem"));
    let nfd: String = "Bí mật Đảng ủy".nfd().collect();
    for (name, options) in [
        ("nfd", &[][..]),
        ("nfd-aes-nomac", &["-nomac"][..]),
        ("nfd-legacy-nomac", &["-legacy", "-nomac"][..]),
    ] {
        let p12 = export_p12(d, &format!("{name}.p12"), &key, &cert, None, &nfd, options);
        let id =
            Identity::from_pkcs12(&p12, "Bí mật Đảng ủy").unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(signing::signer_name(&id), "Nguyễn Thị Hồng Nhung", "{name}");
        assert!(Identity::from_pkcs12(&p12, &nfd).is_ok(), "{name}");
        assert!(
            Identity::from_pkcs12(&p12, "Bí mật Đảng uỷ").is_err(),
            "{name}: another spelling of the tone mark is another password"
        );
    }
}

/// A damaged or truncated .p12 is an error, never a panic; a work factor above the bound is
/// refused at once, with the figure, not computed.
#[test]
fn p12_damage_and_work_factor() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    p12_keys(d);
    let (rsa_key, rsa_cert) = (d.join("rsa.key"), d.join("rsa.pem"));
    // Every truncation of a legacy file (its most nested form) is an error, never a panic.
    let legacy = export_p12(
        d,
        "legacy.p12",
        &rsa_key,
        &rsa_cert,
        None,
        "bí mật 2026",
        &["-legacy"],
    );
    for len in (0..legacy.len()).step_by(11) {
        assert!(
            Identity::from_pkcs12(&legacy[..len], "bí mật 2026").is_err(),
            "{len}"
        );
    }
    // A work factor above the bound: refused at once, with the figure, not computed.
    let slow = export_p12(
        d,
        "slow.p12",
        &rsa_key,
        &rsa_cert,
        None,
        "x",
        &["-iter", "1000001", "-nomac"],
    );
    let started = std::time::Instant::now();
    let err = Identity::from_pkcs12(&slow, "x").unwrap_err();
    assert!(matches!(&err, SignError::BadKeystore(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(500));
    // Each language's line names the figure and the bound, and only its own language.
    let bound = signing::pkcs12::MAX_ITERATIONS.to_string();
    let m = err.message();
    for line in [&m.vi, &m.en] {
        assert!(line.contains("1000001") && line.contains(&bound), "{line}");
    }
    assert!(m.vi.contains("số vòng lặp"), "{}", m.vi);
    assert!(
        m.en.contains("iteration count") && !m.en.contains("vòng"),
        "{}",
        m.en
    );
}

/// docs/signing.md states the .p12 work bounds the code has: the figures of
/// `pkcs12::MAX_ITERATIONS` and `pkcs12::WORK_BUDGET`, each beside its name.
#[test]
fn readme_states_the_p12_work_bounds() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/signing.md")).unwrap();
    let readme = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    let grouped = |n: u64| {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    for (figure, name) in [
        (
            u64::from(signing::pkcs12::MAX_ITERATIONS),
            "pkcs12::MAX_ITERATIONS",
        ),
        (signing::pkcs12::WORK_BUDGET, "pkcs12::WORK_BUDGET"),
    ] {
        let quoted = format!(
            "{} rounds in one key derivation (`{name}`)",
            grouped(figure)
        );
        let quoted_all = format!("{} in all (`{name}`)", grouped(figure));
        assert!(
            readme.contains(&quoted) || readme.contains(&quoted_all),
            "docs/signing.md does not state {name} = {figure}"
        );
    }
}

/// The catalog's printing preferences in a PDF's last revision.
fn viewer_preferences(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let catalog = doc.get_dictionary(root).unwrap();
    match catalog.get(b"ViewerPreferences") {
        Ok(lopdf::Object::Dictionary(d)) => {
            let name = |k: &[u8]| {
                d.get(k)
                    .and_then(lopdf::Object::as_name)
                    .map(|n| String::from_utf8_lossy(n).into_owned())
                    .unwrap_or_default()
            };
            format!(
                "Duplex={} PrintScaling={}",
                name(b"Duplex"),
                name(b"PrintScaling")
            )
        }
        _ => String::new(),
    }
}

/// Ballots and minutes ask the print dialog for one side of each sheet at full size (a
/// ballot never on the back of another, a scanner's boxes where they were laid out); two
/// signatures keep it; the user guide leaves the printer as it is set. `qpdf --check` passes.
#[test]
fn ballots_and_minutes_print_one_sided_at_full_size() {
    let dir = tempfile::tempdir().unwrap();
    let (session, minutes) = crate::attacks::final_minutes();
    let ballots = tinnhiem::documents::ballots::ballots_pdf(
        &session,
        tinnhiem::documents::ballots::BallotOptions {
            copies: Some(2),
            lang: tinnhiem::text::Lang::Vi,
        },
    )
    .unwrap();
    let one_sided = "Duplex=Simplex PrintScaling=None";
    assert_eq!(viewer_preferences(&ballots), one_sided);
    assert_eq!(viewer_preferences(&minutes), one_sided);
    let guide = tinnhiem::documents::guide::guide_pdf().unwrap();
    assert_eq!(viewer_preferences(&guide), "");
    let id = Identity::from_pkcs12(
        &fs::read(crate::common::make_p12(dir.path(), "pw")).unwrap(),
        "pw",
    )
    .unwrap();
    let once = signing::sign_pdf(&minutes, &id, &details()).unwrap();
    let chair = crate::attacks::chair_identity(dir.path());
    let twice = signing::sign_pdf(&once, &chair, &details()).unwrap();
    assert_eq!(viewer_preferences(&twice), one_sided);
    let path = dir.path().join("ky.pdf");
    fs::write(&path, &twice).unwrap();
    crate::common::tool("qpdf", &["--check", path.to_str().unwrap()]);
}

/// The signer chooses the block by the person printed under it: the chair signs hers first,
/// the head's stays free; a name no free block has is refused by name.
#[test]
fn the_block_is_chosen_by_the_printed_person() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pdf) = crate::attacks::final_minutes();
    let chair = crate::attacks::chair_identity(dir.path());
    let for_chair = SignDetails {
        field: Some("trần thị hồng nhung".into()),
        ..details()
    };
    let signed = signing::sign_pdf(&pdf, &chair, &for_chair).unwrap();
    let free = signing::unsigned_fields(&signed);
    assert_eq!(free.len(), 3);
    assert_eq!(free[0].name, "Trưởng ban kiểm phiếu");
    assert_eq!(free[0].person.as_deref(), Some("Phạm Văn Đức"));
    let reports = signing::verify_pdf(&signed, &[]).unwrap();
    assert_eq!(reports[0].field, "Chủ trì hội nghị");
    assert_eq!(reports[0].name_match, Some(NameMatch::Same));
    // By the block's name too; a person with no free block is refused with the name.
    let by_role = SignDetails {
        field: Some("Trưởng ban kiểm phiếu".into()),
        ..details()
    };
    let id = Identity::from_pkcs12(
        &fs::read(crate::common::make_p12(dir.path(), "pw")).unwrap(),
        "pw",
    )
    .unwrap();
    assert!(signing::sign_pdf(&signed, &id, &by_role).is_ok());
    let nobody = SignDetails {
        field: Some("Lê Văn Khác".into()),
        ..details()
    };
    assert!(matches!(
        signing::sign_pdf(&signed, &id, &nobody),
        Err(SignError::NoSuchField(n)) if n == "Lê Văn Khác"
    ));
}

/// Everyone who signs on paper signs digitally (issue 24 §2): a committee of eight, the
/// chair and the secretary are ten blocks, each with its person; each signs with their own
/// certificate, in an order of their own, every earlier signature still valid; `verify`
/// matches each printed person; a signature's look is compressed, so the ten add little.
#[test]
fn ten_signers_each_in_their_block() {
    use tinnhiem::documents::minutes::signature_blocks;
    let dir = tempfile::tempdir().unwrap();
    let mut session = tinnhiem::archive::load(Path::new("assets/examples/chi-bo.ron")).unwrap();
    for k in 3..=8 {
        session.committee.push(tinnhiem::model::Person {
            name: format!("Thành viên Số {k}"),
            role: "Thành viên".into(),
        });
    }
    let (session, pdf) = crate::attacks::final_minutes_of(session);
    let blocks = signature_blocks(&session, tinnhiem::text::Lang::Vi);
    assert_eq!(blocks.len(), 10);
    let free = signing::unsigned_fields(&pdf);
    let printed: Vec<Option<&str>> = free.iter().map(|f| f.person.as_deref()).collect();
    let want: Vec<Option<&str>> = blocks.iter().map(|b| Some(b.person.as_str())).collect();
    assert_eq!(
        printed, want,
        "a field for each block, in the minutes' order"
    );
    // The secretary first, then the members from the last, the chair, the head last.
    let mut order: Vec<&str> = blocks.iter().map(|b| b.person.as_str()).collect();
    order.rotate_left(1);
    order.reverse();
    let mut signed = pdf.clone();
    let start = std::time::Instant::now();
    for (k, person) in order.iter().enumerate() {
        let p12 = fs::read(crate::common::make_p12_of(dir.path(), "pw", person)).unwrap();
        let id = Identity::from_pkcs12(&p12, "pw").unwrap();
        let for_them = SignDetails {
            field: Some((*person).to_owned()),
            appearance: Some(tinnhiem::documents::appearance::signature_appearance),
            ..details()
        };
        // Its look, compressed: its words and the font subset they need, about 10 KB (36 KB
        // of glyph outlines at first, 16 KB compressed).
        let rect = free
            .iter()
            .find(|f| f.person.as_deref() == Some(*person))
            .unwrap()
            .rect;
        let look = (for_them.appearance.unwrap())(
            tinnhiem::signing::KeySigner::certificate(&id),
            &for_them,
            rect,
        )
        .unwrap();
        let bytes: usize = look
            .objects
            .objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .map(|s| s.content.len())
            .sum();
        assert!(bytes < 20_000, "{person}: a look of {bytes} bytes");
        let before = signed.len();
        signed = signing::sign_pdf(&signed, &id, &for_them).unwrap();
        // The CMS's reserved room (16 KiB, written as 32 K hex digits) is most of the rest.
        assert!(
            signed.len() - before < 56_000,
            "signature {k} added {} bytes",
            signed.len() - before
        );
    }
    assert!(signing::unsigned_fields(&signed).is_empty());
    let reports = signing::verify_pdf(&signed, &[]).unwrap();
    assert_eq!(reports.len(), 10);
    for r in &reports {
        assert!(r.changes.is_empty(), "{}: {:?}", r.field, r.changes);
        assert_eq!(r.name_match, Some(NameMatch::Same), "{}", r.field);
    }
    let signers: Vec<&str> = reports
        .iter()
        .filter_map(|r| r.printed.as_deref())
        .collect();
    assert_eq!(signers, order, "oldest first, as signed");
    let path = dir.path().join("muoi.pdf");
    fs::write(&path, &signed).unwrap();
    assert_eq!(pdfsig(&path).matches("Signature is Valid").count(), 10);
    eprintln!(
        "ten signatures: {} bytes over the minutes' {}, {:?}",
        signed.len() - pdf.len(),
        pdf.len(),
        start.elapsed()
    );
}

/// A minutes file made elsewhere whose chair's field names the head (the page still prints
/// the chair under the box): the head's certificate "matches" that field, but `verify
/// --archive` holds the fields' people to the archive's blocks and refuses it.
#[test]
fn a_field_naming_someone_else_than_the_archive_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let (session, pdf) = crate::attacks::final_minutes();
    let ron = dir.path().join("phien.ron");
    tinnhiem::archive::save(&ron, &session).unwrap();
    let mut doc = lopdf::Document::load_mem(&pdf).unwrap();
    let chair_field = signing::unsigned_fields(&pdf)
        .into_iter()
        .find(|f| f.person.as_deref() == Some("Trần Thị Hồng Nhung"))
        .unwrap();
    doc.get_dictionary_mut(chair_field.id).unwrap().set(
        "TU",
        lopdf::Object::string_literal(tinnhiem::encode::pdf_text("Phạm Văn Đức")),
    );
    let mut forged = Vec::new();
    doc.save_to(&mut forged).unwrap();
    let id = crate::attacks::identity(dir.path());
    let for_chair = SignDetails {
        field: Some("Chủ trì hội nghị".into()),
        ..details()
    };
    let signed = signing::sign_pdf(&forged, &id, &for_chair).unwrap();
    let path = dir.path().join("gia.pdf");
    fs::write(&path, &signed).unwrap();
    let reports = signing::verify_pdf(&signed, &[]).unwrap();
    assert_eq!(
        reports[0].name_match,
        Some(NameMatch::Same),
        "the field alone is fooled"
    );
    let o = run(&[
        "verify",
        path.to_str().unwrap(),
        "--archive",
        ron.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("Không khớp: các ô ký của PDF ghi tên Phạm Văn Đức, Phạm Văn Đức"),
        "{}",
        text(&o)
    );
    // The minutes as written pass the same check.
    let honest = dir.path().join("that.pdf");
    fs::write(&honest, signing::sign_pdf(&pdf, &id, &details()).unwrap()).unwrap();
    let o = run(&[
        "verify",
        honest.to_str().unwrap(),
        "--archive",
        ron.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("Tên in dưới các ô ký khớp với tệp lưu trữ"),
        "{}",
        text(&o)
    );
}
