//! `finalise`, `reopen`, `verify` and `log`: the lifecycle and the integrity checks.

use std::path::Path;

use super::{EXIT_INVALID, EXIT_OK, SealCommand, load};
use crate::archive;
use crate::lifecycle::{Timestamp, check_archive};
use crate::signing;
use crate::text::Lang;

/// Runs one of these commands; `Err` is an unreadable input (exit 2).
pub(super) fn run(command: &SealCommand) -> Result<u8, String> {
    match command {
        SealCommand::Finalise {
            file,
            operator,
            key,
        } => {
            let lock = lock(file)?;
            let mut s = load(lock.path())?;
            // The key is opened first: a wrong PIN or password finalises nothing.
            let signer = key.open()?;
            match s.finalise(operator, Timestamp::now()) {
                Ok(()) => {
                    if let Some(signer) = &signer {
                        signing::seal::sign_seal(&mut s, signer.as_ref()).map_err(|e| {
                            let m = e.message();
                            format!("Lỗi: {}\nError: {}", m.vi, m.en)
                        })?;
                    }
                    save(&lock, &s).map(|()| {
                        println!(
                            "Đã chốt kết quả / Finalised: {}",
                            crate::fingerprint::fingerprint(&s)
                        );
                        if let Some(signer) = &signer {
                            println!(
                                "Mã chốt đã được ký bởi / The seal is signed by: {}",
                                super::keys::signer_name(signer.as_ref())
                            );
                        }
                        EXIT_OK
                    })
                }
                Err(e) => {
                    eprintln!("{e}");
                    if matches!(e, crate::lifecycle::TransitionError::HasErrors(_)) {
                        for f in crate::validate::validate(&s).errors() {
                            eprintln!("{}", f.line(Lang::Vi));
                        }
                    }
                    Ok(EXIT_INVALID)
                }
            }
        }
        SealCommand::Reopen {
            file,
            operator,
            reason,
        } => {
            let lock = lock(file)?;
            let mut s = load(lock.path())?;
            match s.reopen(operator, Timestamp::now(), reason) {
                Ok(()) => save(&lock, &s).map(|()| {
                    println!("Đã mở lại để sửa / Reopened for editing");
                    EXIT_OK
                }),
                Err(e) => {
                    eprintln!("{e}");
                    Ok(EXIT_INVALID)
                }
            }
        }
        SealCommand::Verify {
            file,
            archive,
            ca,
            require_signed,
            lang,
        } => verify(
            file,
            archive.as_deref(),
            ca.as_deref(),
            *require_signed,
            *lang,
        ),
        SealCommand::Merge {
            files,
            output,
            operator,
        } => merge(files, output, operator),
        SealCommand::Log { file, lang } => {
            let s = load(file)?;
            for entry in &s.audit {
                println!("{}", entry.line(*lang));
            }
            Ok(EXIT_OK)
        }
    }
}

/// Takes the archive's lock for a read-modify-write; a read-only archive is refused before
/// anything is done.
pub(super) fn lock(file: &Path) -> Result<archive::ArchiveLock, String> {
    if archive::is_read_only(file) {
        return Err(archive_error(&archive::ArchiveError::ReadOnly {
            path: file.to_owned(),
        }));
    }
    archive::lock(file).map_err(|e| archive_error(&e))
}

fn archive_error(e: &archive::ArchiveError) -> String {
    let m = e.message();
    format!("Lỗi: {}\nError: {}", m.vi, m.en)
}

fn save(lock: &archive::ArchiveLock, s: &crate::model::Session) -> Result<(), String> {
    lock.save(s).map_err(|e| archive_error(&e))
}

fn is_pdf(file: &Path) -> Result<bool, String> {
    let head = std::fs::read(file).map_err(|e| crate::text::cannot_read(file, &e).to_string())?;
    Ok(head.starts_with(b"%PDF"))
}

/// The trust anchors of `--ca` (none without it).
fn read_ca(ca: Option<&Path>) -> Result<Vec<x509_cert::Certificate>, String> {
    Ok(match ca {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| {
                let m = crate::text::cannot_read(path, &e);
                format!("Lỗi: {}\nError: {}", m.vi, m.en)
            })?;
            signing::chain::read_anchors(&bytes).map_err(|e| {
                format!(
                    "Lỗi: {} không phải chứng thư gốc (PEM/DER): {e}\nError: {} is not a root certificate (PEM/DER): {e}",
                    path.display(),
                    path.display()
                )
            })?
        }
        None => Vec::new(),
    })
}

/// Whether the session has a seal and it carries a signature (checked or not).
fn seal_is_signed(s: &crate::model::Session) -> bool {
    matches!(&s.status, crate::model::Status::Final(seal) if seal.signature.is_some())
}

/// For `--require-signed`: says that a seal without a signature is refused; returns whether
/// the seal passes.
fn require_signature(s: &crate::model::Session, required: bool, lang: Lang) -> bool {
    if !required || seal_is_signed(s) {
        return true;
    }
    println!(
        "{}",
        match lang {
            Lang::Vi => "Không chấp nhận (--require-signed): mã chốt phải được ký số.",
            Lang::En => "Refused (--require-signed): the seal must be signed.",
        }
    );
    false
}

/// `verify X.ron`: the seal against the content, the results and the log; who signed the
/// seal, when it is signed. A seal without a signature is said to be so on the first line,
/// whatever follows: it proves nothing about who sealed.
fn verify_archive(
    file: &Path,
    anchors: &[x509_cert::Certificate],
    require_signed: bool,
    lang: Lang,
) -> Result<u8, String> {
    let s = load(file)?;
    if s.is_final() && !seal_is_signed(&s) {
        println!("{}", crate::lifecycle::UNSIGNED_SEAL.get(lang));
    }
    let check = check_archive(&s);
    println!("{}", check.message().get(lang));
    let mut valid = check.is_valid();
    match signing::seal::verify_seal(&s, anchors) {
        None if valid => println!("{}", crate::lifecycle::SEAL_LIMITS.get(lang)),
        None => {}
        Some(Ok(r)) => {
            valid &= print_seal(&r, lang);
        }
        Some(Err(e)) => {
            valid = false;
            println!(
                "{}: {}",
                if lang == Lang::Vi {
                    "Chữ ký của mã chốt không hợp lệ"
                } else {
                    "The seal's signature does not hold"
                },
                e.message().get(lang)
            );
        }
    }
    valid &= require_signature(&s, require_signed, lang);
    Ok(if valid { EXIT_OK } else { EXIT_INVALID })
}

fn verify(
    file: &Path,
    archive: Option<&Path>,
    ca: Option<&Path>,
    require_signed: bool,
    lang: Lang,
) -> Result<u8, String> {
    let anchors = read_ca(ca)?;
    if !is_pdf(file)? {
        return verify_archive(file, &anchors, require_signed, lang);
    }
    let pdf = std::fs::read(file).map_err(|e| crate::text::cannot_read(file, &e).to_string())?;
    let mut valid = true;
    let mut pdf_signers = Vec::new();
    match signing::verify_pdf(&pdf, &anchors) {
        Ok(reports) => {
            pdf_signers = reports
                .iter()
                .map(|r| r.certificate_sha256.clone())
                .collect();
            let n = reports.len();
            for (k, r) in reports.iter().enumerate() {
                valid &= print_signature(k + 1, n, r, lang);
            }
            for f in signing::unsigned_fields(&pdf) {
                println!(
                    "{}: {}{}",
                    match lang {
                        Lang::Vi => "Ô ký chưa ký",
                        Lang::En => "Block not signed",
                    },
                    f.name,
                    f.person.map(|p| format!(" ({p})")).unwrap_or_default()
                );
            }
            println!(
                "{}",
                match lang {
                    Lang::Vi =>
                        "Không kiểm tra thu hồi chứng thư (OCSP/CRL): ứng dụng chạy ngoại tuyến.",
                    Lang::En => "Revocation (OCSP/CRL) is not checked: the app works offline.",
                }
            );
        }
        Err(signing::VerifyError::Unreadable(e)) => {
            return Err(format!("không đọc được PDF / cannot read the PDF: {e}"));
        }
        Err(e) => {
            valid = false;
            println!("{}", e.message().get(lang));
        }
    }
    if let Some(archive) = archive {
        valid &=
            verify_against_archive(&pdf, &pdf_signers, archive, &anchors, require_signed, lang)?;
    }
    Ok(if valid { EXIT_OK } else { EXIT_INVALID })
}

/// `verify X.pdf --archive X.ron`, the archive's part: whether its sealer signed the PDF, the
/// fingerprint the PDF states against the archive's, and the log the PDF was written at
/// against the archive's log; an unsigned seal said so first (refused with
/// `--require-signed`). Returns whether all of it holds.
fn verify_against_archive(
    pdf: &[u8],
    pdf_signers: &[String],
    archive: &Path,
    anchors: &[x509_cert::Certificate],
    require_signed: bool,
    lang: Lang,
) -> Result<bool, String> {
    let mut valid = true;
    let s = load(archive)?;
    if s.is_final() && !seal_is_signed(&s) {
        println!("{}", crate::lifecycle::UNSIGNED_SEAL.get(lang));
    }
    valid &= require_signature(&s, require_signed, lang);
    if let Some(Ok(sealed)) = signing::seal::verify_seal(&s, anchors) {
        let same = pdf_signers.contains(&sealed.certificate_sha256);
        println!(
            "{}",
            match (lang, same) {
                (Lang::Vi, true) => format!(
                    "Người chốt ({}) cũng đã ký biên bản này bằng cùng chứng thư số",
                    sealed.signer
                ),
                (Lang::Vi, false) => format!(
                    "Người chốt ({}) không ký biên bản này bằng cùng chứng thư số",
                    sealed.signer
                ),
                (Lang::En, true) => format!(
                    "Whoever sealed the archive ({}) also signed these minutes, with the same certificate",
                    sealed.signer
                ),
                (Lang::En, false) => format!(
                    "Whoever sealed the archive ({}) did not sign these minutes with the same certificate",
                    sealed.signer
                ),
            }
        );
    }
    let expected = crate::fingerprint::fingerprint(&s).to_string();
    let keywords = signing::pdf_keywords(pdf).unwrap_or_default();
    match crate::fingerprint::from_keywords(&keywords) {
        Some(found) if found == expected => println!(
            "{}: {expected}",
            match lang {
                Lang::Vi => "Mã kiểm tra trong PDF khớp với tệp lưu trữ",
                Lang::En => "The fingerprint in the PDF matches the archive",
            }
        ),
        Some(found) => {
            valid = false;
            println!(
                "{}",
                match lang {
                    Lang::Vi =>
                        format!("Không khớp: PDF ghi mã {found}, tệp lưu trữ có mã {expected}"),
                    Lang::En =>
                        format!("Mismatch: the PDF states {found}, the archive is {expected}"),
                }
            );
        }
        None => {
            valid = false;
            println!(
                "{}",
                match lang {
                    Lang::Vi => "PDF không ghi mã kiểm tra của tinnhiem",
                    Lang::En => "The PDF states no tinnhiem fingerprint",
                }
            );
        }
    }
    valid &= check_log_pin(&keywords, &s, lang);
    valid &= check_block_people(pdf, &s, lang);
    Ok(valid)
}

/// `verify X.pdf --archive X.ron`: the people the signature fields name are the archive's
/// signers, block for block (issue 24 §1): a field's printed person is what a certificate is
/// matched against, and a file made elsewhere could name someone else there than under the
/// box. Minutes whose fields name nobody (older builds) are not held against.
fn check_block_people(pdf: &[u8], s: &crate::model::Session, lang: Lang) -> bool {
    use crate::documents::minutes::{BlockPeople, block_people};
    match block_people(pdf, s) {
        BlockPeople::Unstated => true,
        BlockPeople::Match => {
            println!(
                "{}",
                match lang {
                    Lang::Vi => "Tên in dưới các ô ký khớp với tệp lưu trữ",
                    Lang::En => "The names under the signature blocks match the archive",
                }
            );
            true
        }
        BlockPeople::Mismatch { found, want } => {
            let (found, want) = (found.join(", "), want.join(", "));
            println!(
                "{}",
                match lang {
                    Lang::Vi => format!(
                        "Không khớp: các ô ký của PDF ghi tên {found}, tệp lưu trữ có {want}"
                    ),
                    Lang::En => format!(
                        "Mismatch: the PDF's signature blocks name {found}, the archive has {want}"
                    ),
                }
            );
            false
        }
    }
}

/// `verify X.pdf --archive X.ron`: whether the archive's log still begins with the log the
/// minutes were written at (their `/Keywords`, [`crate::model::LogPin`]), so that entries cut
/// from its end since show. Minutes written before they stated it are not held against.
fn check_log_pin(keywords: &str, s: &crate::model::Session, lang: Lang) -> bool {
    let Some(pin) = crate::model::LogPin::from_keywords(keywords) else {
        println!(
            "{}",
            match lang {
                Lang::Vi =>
                    "PDF không ghi vị trí nhật ký (in bằng phiên bản cũ): nhật ký không được đối chiếu với biên bản này",
                Lang::En =>
                    "The PDF states no position in the log (written by an older build): the log is not checked against it",
            }
        );
        return true;
    };
    let n = pin.entries;
    let entries = if n == 1 { "entry" } else { "entries" };
    let holds = pin.holds(&s.audit);
    println!(
        "{}",
        match (lang, holds) {
            (Lang::Vi, true) =>
                format!("Nhật ký trong tệp lưu trữ còn nguyên {n} mục đã có khi xuất biên bản này"),
            (Lang::En, true) => format!(
                "The archive's log still holds the {n} {entries} it had when these minutes were written"
            ),
            (Lang::Vi, false) => format!(
                "Không khớp: biên bản này được xuất khi nhật ký có {n} mục; nhật ký trong tệp lưu trữ không còn giữ nguyên {n} mục đó (đã bị cắt, xóa hoặc sửa)"
            ),
            (Lang::En, false) => format!(
                "Mismatch: these minutes were written when the log had {n} {entries}; the archive's log no longer holds them as they were (cut, removed or edited)"
            ),
        }
    );
    holds
}

/// Prints who sealed; returns whether it counts as valid (a given root reached).
fn print_seal(r: &signing::seal::SealReport, lang: Lang) -> bool {
    let vi = lang == Lang::Vi;
    println!(
        "{}: {} ({})",
        if vi {
            "Mã chốt được ký số bởi"
        } else {
            "The seal is signed by"
        },
        r.signer,
        r.subject
    );
    println!(
        "  {}: {}",
        if vi {
            "Tổ chức cấp chứng thư"
        } else {
            "Issuer"
        },
        r.issuer
    );
    let (trust, ok) = trust_words(r.chain.trust, lang);
    println!(
        "  {}: {trust}",
        if vi { "Chuỗi chứng thư" } else { "Chain" }
    );
    ok
}

/// A certificate's own signature in words.
fn certificate_words(c: signing::CertSignature, lang: Lang) -> &'static str {
    use signing::CertSignature;
    let vi = lang == Lang::Vi;
    match (c, vi) {
        (CertSignature::Valid, true) => "đúng với khóa của tổ chức cấp",
        (CertSignature::Valid, false) => "verified with the issuer's key",
        (CertSignature::IssuerMissing, true) => "không có chứng thư của tổ chức cấp để đối chiếu",
        (CertSignature::IssuerMissing, false) => {
            "the issuer's certificate is not there to check against"
        }
        (CertSignature::Unsupported, true) => "thuật toán chưa hỗ trợ kiểm tra",
        (CertSignature::Unsupported, false) => "an algorithm this build does not check",
        (CertSignature::Invalid, true) => "sai",
        (CertSignature::Invalid, false) => "invalid",
    }
}

/// The chain against the given roots in words, and whether that counts as valid.
fn trust_words(t: signing::Trust, lang: Lang) -> (&'static str, bool) {
    use signing::Trust;
    let vi = lang == Lang::Vi;
    match (t, vi) {
        (Trust::Trusted, true) => ("tin cậy: chuỗi chứng thư đến gốc đã cho (--ca)", true),
        (Trust::Trusted, false) => ("trusted: the chain reaches the given root (--ca)", true),
        (Trust::NotChecked, true) => ("chưa đối chiếu với gốc tin cậy (dùng --ca GỐC.pem)", true),
        (Trust::NotChecked, false) => (
            "not verified against a trusted root (use --ca ROOT.pem)",
            true,
        ),
        (Trust::NotTrusted, true) => ("KHÔNG tin cậy: chuỗi chứng thư không đến gốc đã cho", false),
        (Trust::NotTrusted, false) => (
            "NOT trusted: the chain does not reach the given root",
            false,
        ),
    }
}

/// The first line of a signature's report, and what changed after it; whether anything did.
fn print_verdict(k: usize, n: usize, r: &signing::SignatureReport, lang: Lang) -> bool {
    let vi = lang == Lang::Vi;
    let pick = |a: &'static str, b: &'static str| if vi { a } else { b };
    let field = if r.field.is_empty() {
        String::new()
    } else {
        format!(" ({}{})", pick("ô ", "field "), r.field)
    };
    let changed = !r.changes.is_empty();
    let (verdict, covers) = if changed {
        (
            pick(
                "hợp lệ cho phiên bản đã ký, NHƯNG tài liệu đã bị thay đổi sau khi ký",
                "valid for the revision it signed, BUT the document was changed after it",
            ),
            "",
        )
    } else if r.covers_whole_file {
        (
            pick("hợp lệ", "valid"),
            pick(", bao phủ toàn bộ tệp", ", covering the whole file"),
        )
    } else {
        (
            pick("hợp lệ", "valid"),
            pick(
                ", bao phủ tệp như khi ký; sau đó chỉ thêm chữ ký",
                ", covering the file as signed; only signatures were added after it",
            ),
        )
    };
    println!(
        "{} {k}/{n}{field}: {verdict}{covers}",
        pick("Chữ ký", "Signature"),
    );
    for c in &r.changes {
        println!(
            "  {}: {}",
            pick("Đã thay đổi sau khi ký", "Changed after signing"),
            c.message().get(lang)
        );
    }
    changed
}

/// The person printed under the block against the certificate, side by side, and the reason
/// the signature states (issue 24 §1). Returns whether that holds: the certificate names the
/// printed person, or the signature says for whom and why it was signed in their block.
fn person_check(r: &signing::SignatureReport, certificate: &str, lang: Lang) -> bool {
    let vi = lang == Lang::Vi;
    let pick = |a: &'static str, b: &'static str| if vi { a } else { b };
    if let Some(reason) = &r.reason {
        println!("  {}: {reason}", pick("Lý do ký", "Reason"));
    }
    let (Some(printed), Some(m)) = (&r.printed, r.name_match) else {
        return true;
    };
    println!(
        "  {}: {printed} | {}: {certificate} — {}",
        pick("Người có tên in dưới ô", "Printed under the block"),
        pick("chứng thư", "certificate"),
        m.label().get(lang)
    );
    let stated = r
        .reason
        .as_deref()
        .is_some_and(|x| x.contains("ký thay cho") || x.contains("signed for"));
    if m.matches() || stated {
        return true;
    }
    println!(
        "  {}",
        pick(
            "Không hợp lệ: chứng thư không phải của người có tên in dưới ô, và chữ ký không ghi lý do ký thay",
            "Invalid: the certificate is not the printed person's, and the signature states no reason to sign for them",
        )
    );
    false
}

/// Prints one signature's report; returns whether it counts as valid (nothing changed after
/// it, its time within the certificate's validity and, when a root was given, its chain
/// trusted).
fn print_signature(k: usize, n: usize, r: &signing::SignatureReport, lang: Lang) -> bool {
    let vi = lang == Lang::Vi;
    let pick = |a: &'static str, b: &'static str| if vi { a } else { b };
    let changed = print_verdict(k, n, r, lang);
    let name = r.common_name.clone().unwrap_or_else(|| r.subject.clone());
    println!("  {}: {name} ({})", pick("Người ký", "Signer"), r.subject);
    let on_behalf = person_check(r, &name, lang);
    println!(
        "  {}: {}",
        pick("Tổ chức cấp chứng thư", "Issuer"),
        r.issuer
    );
    println!("  {}: {}", pick("Số hiệu chứng thư", "Serial"), r.serial);
    println!(
        "  {}: {} → {}",
        pick("Hiệu lực chứng thư", "Certificate validity"),
        r.not_before,
        r.not_after
    );
    println!(
        "  {}: {}",
        pick("Thời điểm ký", "Signing time"),
        r.signing_time.as_deref().unwrap_or("-")
    );
    println!(
        "  {}: {}",
        pick("Chuẩn", "Format"),
        if r.pades {
            "PAdES B-B (ETSI.CAdES.detached)"
        } else {
            "adbe.pkcs7.detached"
        }
    );
    println!(
        "  {}: {}",
        pick("Gắn chứng thư", "Certificate binding"),
        match r.certificate_bound {
            Some(true) => pick(
                "chứng thư đúng là chứng thư đã ký (signing-certificate-v2)",
                "the certificate is the one signed for (signing-certificate-v2)",
            ),
            _ => pick(
                "chữ ký không gắn chứng thư (chữ ký kiểu cũ)",
                "the signature does not bind its certificate (older kind)",
            ),
        }
    );
    println!(
        "  {}: {}",
        pick("Chữ ký của chứng thư", "Certificate's own signature"),
        certificate_words(r.chain.certificate, lang)
    );
    let (trust, mut ok) = trust_words(r.chain.trust, lang);
    ok &= !changed && on_behalf;
    println!("  {}: {trust}", pick("Chuỗi chứng thư", "Chain"));
    if r.chain.path.len() > 1 {
        println!(
            "  {}: {}",
            pick("Đường chứng thư", "Path"),
            r.chain.path.join(" ← ")
        );
    }
    if !r.time_within_validity {
        ok = false;
        println!(
            "  {}",
            pick(
                "Không hợp lệ: thời điểm ký nằm ngoài thời hạn của chứng thư",
                "Invalid: the signing time is outside the certificate's validity",
            )
        );
    }
    ok
}

fn merge(files: &[std::path::PathBuf], output: &Path, operator: &str) -> Result<u8, String> {
    let same = |a: &Path| archive::is_same_file(a, output);
    if files.iter().any(|f| same(f)) {
        eprintln!(
            "Không ghi đè lên tệp đầu vào: hãy chọn tệp kết quả khác / refusing to overwrite an input: choose another output file"
        );
        return Ok(EXIT_INVALID);
    }
    let sessions = files
        .iter()
        .map(|f| load(f))
        .collect::<Result<Vec<_>, _>>()?;
    let by = if operator.trim().is_empty() {
        "tinnhiem merge"
    } else {
        operator
    };
    match crate::teams::merge(&sessions, by, Timestamp::now()) {
        Ok(merged) => {
            archive::save(output, &merged).map_err(|e| archive_error(&e))?;
            let teams = merged.groups.first().map_or(0, |g| g.teams.len());
            println!(
                "Đã gộp {teams} tổ / merged {teams} teams → {}",
                output.display()
            );
            Ok(EXIT_OK)
        }
        Err(e) => {
            eprintln!("{e}");
            Ok(EXIT_INVALID)
        }
    }
}

/// Reads a PKCS#12 file and its password (from a file's first line, or standard input for
/// `-`). The password lives only in this function.
pub(super) fn identity(
    cert: &Path,
    password_file: Option<&Path>,
) -> Result<signing::Identity, String> {
    let bytes = std::fs::read(cert).map_err(|e| {
        let m = crate::text::cannot_read(cert, &e);
        format!("Lỗi: {}\nError: {}", m.vi, m.en)
    })?;
    let password = match password_file {
        Some(p) if p.as_os_str() == "-" => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("Lỗi / Error: {e}"))?;
            line
        }
        Some(p) => std::fs::read_to_string(p).map_err(|e| {
            let m = crate::text::cannot_read(p, &e);
            format!("Lỗi: {}\nError: {}", m.vi, m.en)
        })?,
        None => String::new(),
    };
    let given = password_file.is_some();
    let password = password.lines().next().unwrap_or_default();
    signing::Identity::from_pkcs12(&bytes, password).map_err(|e| match e {
        signing::SignError::WrongPassword if !given => format!(
            "Lỗi: chưa có mật khẩu của tệp chứng thư số {}: ghi mật khẩu vào một tệp và dùng --password-file TỆP (hoặc --password-file - để nhập từ bàn phím)\nError: no password given for the certificate file {}: put it in a file and use --password-file FILE (or --password-file - to read standard input)",
            cert.display(),
            cert.display()
        ),
        e => {
            let m = e.message();
            format!("Lỗi: {}\nError: {}", m.vi, m.en)
        }
    })
}
