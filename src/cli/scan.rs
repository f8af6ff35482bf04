//! `tinnhiem scan`: scanned ballots read into a group's count, the waiting sheets listed, and
//! the counting committee's decisions on them, so that a whole vote can be counted without
//! the window (issue 23).
//!
//! Decisions (`--decide`, repeatable), each waiting sheet by the number `--waiting` gives it
//! (kept while others are decided): `K=void` (the whole sheet is invalid), `K=drop` (set
//! aside, to be entered by hand), or `K:L=R` for line `L` of sheet `K`, `L` the
//! cadre's STT as printed (`3`) or STT and criterion (`3.2`), `R` one of `high`, `medium`,
//! `low`, `none`, `several`. A sheet is counted once every unclear line of it is decided in
//! the same run; decisions are applied before new files are read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::import::group_index;
use super::{EXIT_INVALID, EXIT_OK, load};
use crate::counting::BallotCounter;
use crate::model::{LineRead, Session, Timestamp};
use crate::scan::batch::{Decision, ScanReport, decide, line_name, line_named, scan_files};
use crate::scan::files::{files_of, read_file};
use crate::text::{Lang, Message};

pub(super) struct ScanArgs<'a> {
    pub file: &'a Path,
    pub inputs: &'a [PathBuf],
    pub group: Option<usize>,
    pub operator: &'a str,
    pub json: bool,
    pub decide: &'a [String],
    pub waiting: bool,
    pub lang: Lang,
}

fn both(m: &Message) -> String {
    format!("Lỗi: {}\nError: {}", m.vi, m.en)
}

/// `--decide` values, per sheet: `K=void` or `K:L=R`.
fn parse_decisions(given: &[String], k: &BallotCounter) -> Result<BTreeMap<u32, Decision>, String> {
    let bad = |d: &str| {
        format!(
            "Lỗi: quyết định \"{d}\" không đúng dạng K=void, K=drop hoặc K:STT=high|medium|low|none|several (mỗi phiếu một loại quyết định)\nError: the decision \"{d}\" is not K=void, K=drop or K:STT=high|medium|low|none|several (one kind of decision a sheet)"
        )
    };
    let mut out: BTreeMap<u32, Decision> = BTreeMap::new();
    for d in given {
        let (target, value) = d.split_once('=').ok_or_else(|| bad(d))?;
        let (sheet, line) = match target.split_once(':') {
            Some((s, l)) => (s, Some(l)),
            None => (target, None),
        };
        let sheet: u32 = sheet.trim().parse().map_err(|_| bad(d))?;
        match line {
            None => {
                let whole = match value.trim() {
                    "void" => Decision::Void,
                    "drop" => Decision::Drop,
                    _ => return Err(bad(d)),
                };
                // One decision a sheet: a whole-sheet one beside line ones is a mistake.
                if out.insert(sheet, whole).is_some() {
                    return Err(bad(d));
                }
            }
            Some(l) => {
                let read = LineRead::from_code(value.trim())
                    .filter(|r| *r != LineRead::Unclear)
                    .ok_or_else(|| bad(d))?;
                let index = line_named(k, l.trim()).ok_or_else(|| {
                    format!(
                        "Lỗi: phiếu không có dòng {l} (STT hoặc STT.tiêu chí)\nError: the ballot has no line {l} (STT or STT.criterion)"
                    )
                })?;
                match out
                    .entry(sheet)
                    .or_insert_with(|| Decision::Lines(Vec::new()))
                {
                    Decision::Lines(v) => v.push((index, read)),
                    Decision::Void | Decision::Drop => return Err(bad(d)),
                }
            }
        }
    }
    Ok(out)
}

fn question_name(session: &Session, group: usize, question: usize) -> String {
    if question == 0 {
        return "overall".to_owned();
    }
    session.groups[group]
        .criteria
        .get(question - 1)
        .map_or_else(|| question.to_string(), |c| c.name.clone())
}

fn report_json(session: &Session, group: usize, report: &ScanReport) -> serde_json::Value {
    use serde_json::json;
    let pages: Vec<_> = report
        .pages
        .iter()
        .map(|p| {
            json!({
                "file": p.file,
                "page": p.page,
                "status": p.status.code(),
                "reason": p.reason.as_ref().map(|r| json!({"code": r.code, "vi": r.message.vi, "en": r.message.en})),
                "lines": p.lines.iter().map(|l| json!({
                    "sheet": l.sheet,
                    "stt": l.stt,
                    "question": question_name(session, group, l.question),
                    "reading": l.reading.code(),
                    "scores": l.scores.map(|(dark, faint)| json!({"dark": dark, "faint": faint})),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "group": group + 1,
        "pages": pages,
        "counted": report.counted,
        "waiting": report.waiting,
        "refused": report.refused,
        "waiting_sheets": waiting_json(session, group),
    })
}

fn waiting_json(session: &Session, group: usize) -> serde_json::Value {
    use serde_json::json;
    let g = &session.groups[group];
    let k = BallotCounter::new(g);
    json!(
        g.scan
            .waiting
            .iter()
            .map(|w| json!({
                "sheet": w.number,
                "file": w.file,
                "sha256": w.sha256,
                "pages": w.pages,
                "unclear": w.lines.iter().enumerate().filter(|(_, l)| l.read == LineRead::Unclear).map(|(n, l)| json!({
                    "line": line_name(&k, n),
                    "scores": l.scores.map(|(dark, faint)| json!({"dark": dark, "faint": faint})),
                })).collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>()
    )
}

fn print_text(session: &Session, group: usize, report: &ScanReport, lang: Lang) {
    let vi = lang == Lang::Vi;
    for p in &report.pages {
        let status = match (p.status, vi) {
            (crate::scan::batch::PageStatus::Counted, true) => "đã đếm".to_owned(),
            (crate::scan::batch::PageStatus::Counted, false) => "counted".to_owned(),
            (crate::scan::batch::PageStatus::Review, true) => "chờ quyết định".to_owned(),
            (crate::scan::batch::PageStatus::Review, false) => "waiting for a decision".to_owned(),
            (crate::scan::batch::PageStatus::Refused, _) => p
                .reason
                .as_ref()
                .map_or_else(String::new, |r| r.message.get(lang).to_owned()),
        };
        if p.page == 0 {
            println!("{}: {status}", p.file);
        } else {
            println!("{} p.{}: {status}", p.file, p.page);
        }
    }
    let g = &session.groups[group];
    let k = BallotCounter::new(g);
    for w in &g.scan.waiting {
        let lines: Vec<String> = w
            .lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.read == LineRead::Unclear)
            .map(|(n, _)| line_name(&k, n))
            .collect();
        if vi {
            println!(
                "Phiếu chờ số {}: {} trang {:?}, dòng chưa rõ: {}",
                w.number,
                w.file,
                w.pages,
                lines.join(", ")
            );
        } else {
            println!(
                "Waiting sheet {}: {} pages {:?}, unclear lines: {}",
                w.number,
                w.file,
                w.pages,
                lines.join(", ")
            );
        }
    }
    let collected = g
        .voters
        .collected
        .map_or_else(|| "?".to_owned(), |n| n.to_string());
    let sheets = g.ballot_count.unwrap_or(0);
    if report.pages.is_empty() {
        // Only decisions or the list of waiting sheets: where the group stands.
        let waiting = g.scan.waiting.len();
        if vi {
            println!(
                "Nhóm {}: đã đếm {sheets}/{collected} tờ ({} tờ đọc bằng máy quét), {waiting} phiếu chờ quyết định.",
                group + 1,
                g.scan.sheets
            );
        } else {
            println!(
                "Group {}: {sheets}/{collected} sheets counted ({} read by scanner), {waiting} waiting for a decision.",
                group + 1,
                g.scan.sheets
            );
        }
        return;
    }
    if vi {
        println!(
            "Đếm {} phiếu, {} phiếu chờ quyết định, {} trang không đọc. Nhóm {}: đã đếm {sheets}/{collected} tờ ({} tờ đọc bằng máy quét).",
            report.counted,
            report.waiting,
            report.refused,
            group + 1,
            g.scan.sheets
        );
    } else {
        println!(
            "{} sheets counted, {} waiting for a decision, {} pages not read. Group {}: {sheets}/{collected} sheets counted ({} read by scanner).",
            report.counted,
            report.waiting,
            report.refused,
            group + 1,
            g.scan.sheets
        );
    }
}

pub(super) fn run(args: &ScanArgs<'_>) -> Result<u8, String> {
    if crate::text::clean_name(args.operator).is_empty() {
        return Err(
            "Lỗi: cần --operator \"Họ tên\" (người quét và quyết định, được ghi vào nhật ký)\nError: --operator \"Name\" is needed (who scans and decides; it is logged)".into(),
        );
    }
    let lock = super::seal::lock(args.file)?;
    let mut session = load(lock.path())?;
    let group = group_index(&session, args.group)?;
    let now = Timestamp::now();
    let k = BallotCounter::new(&session.groups[group]);
    let decisions = parse_decisions(args.decide, &k)?;
    // Waiting sheets keep their numbers: the order does not matter.
    for (sheet, decision) in &decisions {
        decide(&mut session, group, *sheet, decision, args.operator, now)
            .map_err(|e| both(&e.message()))?;
    }
    let files = files_of(args.inputs).map_err(|m| both(&m))?;
    // Each file is read when its turn comes: one in memory at a time.
    let inputs = files
        .iter()
        .map(|path| (path.display().to_string(), read_file(path)));
    let report = if files.is_empty() {
        ScanReport::default()
    } else {
        scan_files(&mut session, group, inputs, args.operator, now)
            .map_err(|e| both(&e.message()))?
    };
    if !decisions.is_empty() || !files.is_empty() {
        lock.save(&session).map_err(|e| both(&e.message()))?;
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report_json(&session, group, &report))
                .unwrap_or_default()
        );
    } else if args.waiting || !files.is_empty() || !decisions.is_empty() {
        print_text(&session, group, &report, args.lang);
    }
    // Exit 1 when a page of this run waits or was refused; a run without files, when a sheet
    // still waits.
    let done = if files.is_empty() {
        session.groups[group].scan.waiting.is_empty()
    } else {
        report.all_counted()
    };
    Ok(if done { EXIT_OK } else { EXIT_INVALID })
}
