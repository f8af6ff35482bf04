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
            let mut s = load(file)?;
            match s.finalise(operator, Timestamp::now()) {
                Ok(()) => save(file, &s).map(|()| {
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
            let mut s = load(file)?;
            match s.reopen(operator, Timestamp::now(), reason) {
                Ok(()) => save(file, &s).map(|()| {
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
        SealCommand::Log { file, lang } => {
            let s = load(file)?;
            for entry in &s.audit {
                println!("{}", entry.line(*lang));
            }
            Ok(EXIT_OK)
        }
    }
}

fn save(file: &Path, s: &crate::model::Session) -> Result<(), String> {
    archive::save(file, s).map_err(|e| e.to_string())
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
