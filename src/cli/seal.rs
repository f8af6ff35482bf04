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
        SealCommand::Finalise { file, operator } => {
            let lock = lock(file)?;
            let mut s = load(file)?;
            match s.finalise(operator, Timestamp::now()) {
                Ok(()) => save(&lock, &s).map(|()| {
                    println!(
                        "Đã chốt kết quả / Finalised: {}",
                        crate::fingerprint::fingerprint(&s)
                    );
                    EXIT_OK
                }),
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
            let mut s = load(file)?;
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
            lang,
        } => verify(file, archive.as_deref(), *lang),
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
    let head = std::fs::read(file)
        .map_err(|e| format!("không đọc được / cannot read {}: {e}", file.display()))?;
    Ok(head.starts_with(b"%PDF"))
}

fn verify(file: &Path, archive: Option<&Path>, lang: Lang) -> Result<u8, String> {
    if !is_pdf(file)? {
        let s = load(file)?;
        let check = check_archive(&s);
        println!("{}", check.message().get(lang));
        if check.is_valid() {
            println!("{}", crate::lifecycle::SEAL_LIMITS.get(lang));
        }
        return Ok(if check.is_valid() {
            EXIT_OK
        } else {
            EXIT_INVALID
        });
    }
    let pdf = std::fs::read(file)
        .map_err(|e| format!("không đọc được / cannot read {}: {e}", file.display()))?;
    let mut valid = true;
    match signing::verify_pdf(&pdf) {
        Ok(r) => {
            let (ok, subject, validity, time) = match lang {
                Lang::Vi => (
                    "Chữ ký số hợp lệ, bao phủ toàn bộ tệp",
                    "Người ký",
                    "Hiệu lực chứng thư",
                    "Thời điểm ký",
                ),
                Lang::En => (
                    "Signature valid, covering the whole file",
                    "Signer",
                    "Certificate validity",
                    "Signing time",
                ),
            };
            println!("{ok}");
            println!("{subject}: {}", r.subject);
            println!("{validity}: {} → {}", r.not_before, r.not_after);
            println!("{time}: {}", r.signing_time.as_deref().unwrap_or("—"));
            if !r.time_within_validity {
                valid = false;
                println!(
                    "{}",
                    match lang {
                        Lang::Vi => "Không hợp lệ: thời điểm ký nằm ngoài thời hạn của chứng thư",
                        Lang::En =>
                            "Invalid: the signing time is outside the certificate's validity",
                    }
                );
            }
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
        let s = load(archive)?;
        let expected = crate::fingerprint::fingerprint(&s).to_string();
        match signing::pdf_fingerprint(&pdf) {
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
    }
    Ok(if valid { EXIT_OK } else { EXIT_INVALID })
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
        format!(
            "Lỗi: không đọc được {}: {e}\nError: cannot read {}: {e}",
            cert.display(),
            cert.display()
        )
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
            format!(
                "Lỗi: không đọc được {}: {e}\nError: cannot read {}: {e}",
                p.display(),
                p.display()
            )
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
