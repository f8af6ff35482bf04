//! `import-counts`: a counting team's spreadsheet into a ballot group, with a preview.

use std::path::Path;

use super::{EXIT_INVALID, EXIT_OK, load};
use crate::edit::Pending;
use crate::lifecycle::Timestamp;
use crate::model::Session;
use crate::spreadsheet::{CountsPreview, read_counts};
use crate::text::{Lang, Message};

/// What the command was asked.
pub(super) struct ImportArgs<'a> {
    pub file: &'a Path,
    pub sheet: &'a Path,
    pub group: Option<usize>,
    pub dry_run: bool,
    pub operator: &'a str,
    pub lang: Lang,
}

fn both(m: &Message) -> String {
    format!("Lỗi: {}\nError: {}", m.vi, m.en)
}

/// The group (0-based) of `--group N`; without it, the session's only group.
/// The group `--group N` names (from 1), or the only one; an error saying N's range otherwise.
pub(super) fn group_index(session: &Session, group: Option<usize>) -> Result<usize, String> {
    let n = session.groups.len();
    match group {
        Some(g) if (1..=n).contains(&g) => Ok(g - 1),
        None if n == 1 => Ok(0),
        _ => Err(format!(
            "Lỗi: cần --group N, với N từ 1 đến {n} (số thứ tự của nhóm phiếu)\nError: --group N is needed, N from 1 to {n} (the ballot group's number)"
        )),
    }
}

/// Prints the preview: the rows imported, those refused with their place and reason, the
/// exempt cadres' rows skipped.
fn print_preview(p: &CountsPreview, session: &Session, lang: Lang) {
    let Some(g) = session.groups.get(p.group) else {
        return;
    };
    let vi = lang == Lang::Vi;
    println!(
        "{} {} → {} {} \"{}\"",
        if vi { "Bảng tính" } else { "Spreadsheet" },
        p.file,
        if vi { "nhóm phiếu" } else { "ballot group" },
        p.group + 1,
        g.name
    );
    if !p.accepted.is_empty() {
        println!(
            "{} ({}):",
            if vi { "Nhập" } else { "Imported" },
            p.accepted.len()
        );
        for a in &p.accepted {
            println!("  {}", a.message(g).get(lang));
        }
    }
    if !p.refused.is_empty() {
        println!(
            "{} ({}):",
            if vi { "Không nhập" } else { "Not imported" },
            p.refused.len()
        );
        for r in &p.refused {
            println!("  {}", r.message(g).get(lang));
        }
    }
    for (row, cadre) in &p.exempt {
        let name = g.cadres.get(*cadre).map_or("", |c| c.name.as_str());
        if vi {
            println!(
                "  Dòng {row}: {}. {name} — không lấy phiếu, bỏ qua",
                cadre + 1
            );
        } else {
            println!("  Row {row}: {}. {name} — not voted on, skipped", cadre + 1);
        }
    }
}

/// Reads the sheet, prints the preview and, unless `dry_run`, applies the accepted rows and
/// saves the archive under its lock. Exit 0 when every row was imported and no cadre is left
/// out; 1 when some were refused (the others are imported all the same, and said so) or
/// nothing could be; `Err` (exit 2) when the archive or the sheet cannot be read.
pub(super) fn run(args: &ImportArgs<'_>) -> Result<u8, String> {
    if !args.dry_run && crate::text::clean_name(args.operator).is_empty() {
        return Err(
            "Lỗi: cần --operator \"Họ tên\" (được ghi vào nhật ký cùng từng số liệu)\nError: --operator \"Name\" is needed (it is logged with each count)".into(),
        );
    }
    let lock = if args.dry_run {
        None
    } else {
        Some(super::seal::lock(args.file)?)
    };
    let mut session = load(lock.as_ref().map_or(args.file, |l| l.path()))?;
    let group = group_index(&session, args.group)?;
    let preview = read_counts(args.sheet, &session, group).map_err(|m| both(&m))?;
    print_preview(&preview, &session, args.lang);
    let vi = args.lang == Lang::Vi;
    let code = if preview.refused.is_empty() {
        EXIT_OK
    } else {
        EXIT_INVALID
    };
    let Some(lock) = lock else {
        println!(
            "{}",
            if vi {
                "Chạy thử (--dry-run): tệp lưu trữ không thay đổi."
            } else {
                "Dry run (--dry-run): the archive is unchanged."
            }
        );
        return Ok(code);
    };
    let Some(edit) = preview.edit(&session) else {
        eprintln!(
            "Không có dòng nào nhập được: tệp lưu trữ không thay đổi.\nNo row could be imported: the archive is unchanged."
        );
        return Ok(EXIT_INVALID);
    };
    let pending = Pending::read(&edit, &session);
    let described = edit.describe();
    if let Err(e) = edit.apply(&mut session) {
        eprintln!("{}", both(&e.message()));
        return Ok(EXIT_INVALID);
    }
    pending.log(&mut session, args.operator, Timestamp::now(), false);
    lock.save(&session).map_err(|e| both(&e.message()))?;
    println!("{} → {}", described.get(args.lang), args.file.display());
    Ok(code)
}
