//! The command line, over the same core as the GUI.
//!
//! Exit codes are a contract: 0 success (no error found), 1 the session has errors (or, for
//! `tally`, results printed from a session with errors), 2 the file cannot be read or parsed
//! or the command line is wrong.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod import;
pub mod keys;
mod scan;
mod seal;
pub mod summary;

use crate::archive;
use crate::model::{Level, Session};
use crate::rules::BandId;
use crate::tally::{CadreTally, GroupTally, QuestionTally, Tally, tally};
use crate::text::Lang;
use crate::validate::{Findings, validate};

/// tinnhiem: kiểm phiếu tín nhiệm / confidence-vote tally (Quy định 96-QĐ/TW).
#[derive(Debug, Parser)]
#[command(name = "tinnhiem", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// The command; none opens the desktop app.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A session to open in the desktop app.
    pub file: Option<PathBuf>,
    /// Mở cửa sổ, ghi lại những gì đã vẽ (texts.txt, screen.png) vào DIR rồi đóng: để kiểm
    /// tra máy có hiển thị được ứng dụng không / Open the window, write what it drew
    /// (texts.txt, screen.png) into DIR and close: checks that this computer can show the app.
    #[arg(long, value_name = "DIR")]
    pub self_test: Option<PathBuf>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Kiểm tra tệp: in các lỗi và cảnh báo / Check a session: print errors and warnings.
    Check {
        /// The session archive (.ron).
        file: PathBuf,
        /// Language of the messages: vi or en.
        #[arg(long, default_value = "vi")]
        lang: Lang,
    },
    /// In kết quả / Print the results as a table or as JSON.
    Tally {
        /// The session archive (.ron).
        file: PathBuf,
        /// Print JSON (the documented contract) instead of a table.
        #[arg(long)]
        json: bool,
        /// Giải thích các quy tắc áp dụng: điều khoản, độ chắc chắn và lý do / Explain the
        /// rules applied: articles, how sure we are of each, and why not when not.
        #[arg(long, conflicts_with = "json")]
        explain: bool,
        /// Language of the table: vi or en.
        #[arg(long, default_value = "vi")]
        lang: Lang,
    },
    /// In biên bản kiểm phiếu (PDF) / Write the minutes of the count as PDF.
    Minutes {
        /// The session archive (.ron).
        file: PathBuf,
        /// The PDF to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Language of the labels: vi or en.
        #[arg(long, default_value = "vi")]
        lang: Lang,
        /// Append the audit log as an annex (Nhật ký nhập liệu).
        #[arg(long)]
        with_log: bool,
        /// The key to sign with (only a finalised session's minutes are signed).
        #[command(flatten)]
        key: keys::KeyArgs,
        /// The block the signature fills, and for whom.
        #[command(flatten)]
        block: keys::BlockArgs,
        /// Who exports (recorded in the archive's audit log).
        #[arg(long, default_value = "")]
        operator: String,
        /// Write the PDF even when the archive is read-only, so that the export cannot be
        /// recorded in its audit log (without it, a read-only archive is refused).
        #[arg(long)]
        allow_unlogged: bool,
    },
    /// In phiếu tín nhiệm để trống và phiếu tổng hợp / Print blank ballots and tally sheets.
    Ballots {
        /// The session archive (.ron).
        file: PathBuf,
        /// The PDF to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Copies of each group's ballot (default: the voters summoned).
        #[arg(long)]
        copies: Option<u32>,
        /// Language of the labels: vi or en.
        #[arg(long, default_value = "vi")]
        lang: Lang,
    },
    /// Xuất kết quả ra Excel (.xlsx) hoặc CSV / Export the results as Excel (.xlsx) or CSV.
    Export {
        /// The session archive (.ron).
        file: PathBuf,
        /// The file to write: a workbook when it ends in .xlsx, CSV otherwise.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Nhập số liệu từ bảng tính của tổ kiểm phiếu / Import counts from a counting team's
    /// spreadsheet (.xlsx, .xls, .ods, .csv): a row per cadre, a column per level.
    ImportCounts {
        /// The session archive (.ron); saved in place.
        file: PathBuf,
        /// The spreadsheet (its first sheet is read).
        sheet: PathBuf,
        /// The ballot group, 1 for the first (needed when the session has several).
        #[arg(long, value_name = "N")]
        group: Option<usize>,
        /// Only show what would be imported and what is refused; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Who imports (recorded in the audit log with each count); not needed with --dry-run.
        #[arg(long, required_unless_present = "dry_run")]
        operator: Option<String>,
        /// Language of the preview: vi or en.
        #[arg(long, default_value = "vi")]
        lang: Lang,
    },
    /// Đếm phiếu đã quét / Count scanned ballots: read the scanner's files (PDF, PNG, JPEG,
    /// TIFF, or folders of them) into a group's ballot-by-ballot count; list and decide the
    /// sheets that wait for the counting committee. Exit 0 when every page was counted, 1 when
    /// some wait or were refused, 2 on an error.
    Scan {
        /// The session archive (.ron); saved in place.
        file: PathBuf,
        /// The scanned files, or folders (each folder's files in name order).
        inputs: Vec<PathBuf>,
        /// The ballot group, 1 for the first (needed when the session has several).
        #[arg(long, value_name = "N")]
        group: Option<usize>,
        /// Who scans and decides (recorded in the audit log).
        #[arg(long)]
        operator: String,
        /// Print every page read, its lines and the waiting sheets as JSON.
        #[arg(long)]
        json: bool,
        /// A decision on waiting sheet K: "K=void", or "K:STT=high|medium|low|none|several"
        /// (STT.C for criterion C); repeat for each unclear line.
        #[arg(long, value_name = "DECISION")]
        decide: Vec<String>,
        /// List the sheets waiting for a decision.
        #[arg(long)]
        waiting: bool,
        /// Language of the messages: vi or en.
        #[arg(long, default_value = "vi")]
        lang: Lang,
    },
    /// Ký số thêm vào biên bản đã in (người ký thứ hai) / Add a signature to minutes already
    /// written: the next signer's, in the next free signature block.
    Sign {
        /// The minutes (PDF).
        file: PathBuf,
        /// Where to write the signed PDF (default: over FILE, atomically).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// The key to sign with.
        #[command(flatten)]
        key: keys::KeyArgs,
        /// The block the signature fills, and for whom.
        #[command(flatten)]
        block: keys::BlockArgs,
        /// Language of the messages: vi or en.
        #[arg(long, default_value = "vi")]
        lang: Lang,
    },
    /// Liệt kê thiết bị ký số và chứng thư / List the tokens and their certificates: of every
    /// token library found on this computer, or of the one given.
    Tokens {
        /// The vendor's PKCS#11 library (.dll on Windows, .so on Linux); without it, the
        /// libraries are looked for where the CAs' software installs them.
        #[arg(long, value_name = "MODULE")]
        pkcs11: Option<PathBuf>,
        /// Language of the listing: vi or en.
        #[arg(long, default_value = "vi")]
        lang: Lang,
    },
    /// Tổng hợp nhiều tệp phiên (cấp trên) / Summarise many units' archives, as a superior
    /// body does: every file checked as verify does, one status each, the units' and cadres'
    /// tables; the report as .json, .xlsx or .pdf. Exit 0 when every archive counts, 1 when
    /// some were left out, 2 on an error.
    Summary(summary::SummaryArgs),
    /// Kết quả của từng cán bộ qua các lần lấy phiếu / Each cadre's results across votes, in
    /// date order, the band's changes marked (matched by name within a unit).
    History(summary::HistoryArgs),
    /// Ảnh chữ ký tay và con dấu vẽ vào chữ ký số (lưu trên máy này, không vào tệp phiên) / The
    /// handwritten signature and seal images drawn into digital signatures (kept on this
    /// computer, never in an archive). Without options: list them.
    SignImages(keys::ImageArgs),
    /// Ghi hướng dẫn sử dụng (PDF) / Write the user guide as PDF.
    Guide {
        /// The PDF to write (e.g. Huong-dan-su-dung.pdf).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Lifecycle and verification.
    #[command(flatten)]
    Seal(SealCommand),
}

/// Commands of the lifecycle and of verification (kept apart from the documents' commands).
#[derive(Debug, Subcommand)]
pub enum SealCommand {
    /// Chốt kết quả / Finalise: seal the counts (refused while errors remain).
    Finalise {
        /// The session archive (.ron); saved in place, the previous file kept as .bak.
        file: PathBuf,
        /// Who does it (recorded in the audit log).
        #[arg(long)]
        operator: String,
        /// A key to sign the seal with, so that it proves who sealed (optional).
        #[command(flatten)]
        key: keys::KeyArgs,
    },
    /// Mở lại để sửa / Reopen a final session for editing, with a reason (logged).
    Reopen {
        /// The session archive (.ron).
        file: PathBuf,
        /// Who does it.
        #[arg(long)]
        operator: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Kiểm tra tính toàn vẹn / Verify an archive (.ron) or signed minutes (.pdf).
    Verify {
        /// A session archive (.ron) or a PDF.
        file: PathBuf,
        /// For a PDF: the archive its fingerprint must match.
        #[arg(long)]
        archive: Option<PathBuf>,
        /// For a PDF: a trusted root (PEM or DER, e.g. a CA's root exported from its token
        /// software) that each signer's chain must reach.
        #[arg(long)]
        ca: Option<PathBuf>,
        /// Exit 1 unless the seal is signed (the archive's, or for a PDF the `--archive`'s):
        /// a seal without a signature proves nothing about who sealed it.
        #[arg(long)]
        require_signed: bool,
        /// Language of the report: vi or en.
        #[arg(long, default_value = "vi")]
        lang: Lang,
    },
    /// Gộp kết quả các tổ kiểm phiếu / Merge counting teams' archives into one.
    Merge {
        /// The teams' archives (each with `team: "…"`), or already merged ones.
        #[arg(required = true, num_args = 2..)]
        files: Vec<PathBuf>,
        /// The merged archive to write (never one of the inputs).
        #[arg(short, long)]
        output: PathBuf,
        /// Who merges (recorded in the audit log).
        #[arg(long, default_value = "")]
        operator: String,
    },
    /// Nhật ký nhập liệu / Print the audit log.
    Log {
        /// The session archive (.ron).
        file: PathBuf,
        /// Language: vi or en.
        #[arg(long, default_value = "vi")]
        lang: Lang,
    },
}

impl clap::builder::ValueParserFactory for Lang {
    type Parser = clap::builder::ValueParser;

    fn value_parser() -> Self::Parser {
        clap::builder::ValueParser::new(|s: &str| s.parse::<Lang>())
    }
}

/// Exit code: no error.
pub const EXIT_OK: u8 = 0;
/// Exit code: the session has errors.
pub const EXIT_INVALID: u8 = 1;
/// Exit code: unreadable file or wrong usage.
pub const EXIT_UNREADABLE: u8 = 2;

/// Runs a CLI command; `None` means "no command: open the GUI".
pub fn run(command: &Command) -> ExitCode {
    let result = match command {
        Command::Check { file, lang } => load(file).map(|s| check(&s, *lang)),
        Command::Tally {
            file,
            json,
            explain,
            lang,
        } => load(file).map(|s| {
            if *explain {
                print!("{}", explain_rules(&s, *lang));
            }
            print_tally(&s, *json, *lang)
        }),
        Command::Minutes {
            file,
            output,
            lang,
            with_log,
            key,
            block,
            operator,
            allow_unlogged,
        } => minutes(
            file,
            output,
            *lang,
            *with_log,
            (key, block),
            (operator, *allow_unlogged),
        ),
        Command::Sign {
            file,
            output,
            key,
            block,
            lang,
        } => sign(file, output.as_deref(), (key, block), *lang),
        Command::SignImages(args) => keys::sign_images(args),
        Command::Summary(args) => summary::run(args),
        Command::History(args) => summary::history(args),
        Command::Tokens { pkcs11, lang } => match pkcs11 {
            Some(module) => keys::list(module, *lang),
            None => keys::list_found(*lang),
        },
        Command::Ballots {
            file,
            output,
            copies,
            lang,
        } => ballots(file, output, *copies, *lang),
        Command::Export { file, output } => export(file, output),
        Command::Guide { output } => crate::documents::guide::guide_pdf()
            .map_err(|e| document_error(&e))
            .and_then(|bytes| write_output(output, &bytes))
            .map(|()| EXIT_OK),
        Command::ImportCounts {
            file,
            sheet,
            group,
            dry_run,
            operator,
            lang,
        } => import::run(&import::ImportArgs {
            file,
            sheet,
            group: *group,
            dry_run: *dry_run,
            operator: operator.as_deref().unwrap_or_default(),
            lang: *lang,
        }),
        Command::Scan {
            file,
            inputs,
            group,
            operator,
            json,
            decide,
            waiting,
            lang,
        } => scan::run(&scan::ScanArgs {
            file,
            inputs,
            group: *group,
            operator,
            json: *json,
            decide,
            waiting: *waiting,
            lang: *lang,
        }),
        Command::Seal(c) => seal::run(c),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}

pub(crate) fn load(file: &std::path::Path) -> Result<Session, String> {
    archive::load(file).map_err(|e| {
        let m = e.message();
        format!("Lỗi: {}\nError: {}", m.vi, m.en)
    })
}

fn check(session: &Session, lang: Lang) -> u8 {
    let findings = validate(session);
    let mut out = std::io::stdout().lock();
    let _ = print_findings(&mut out, &findings, lang);
    let errors = findings.errors().count();
    let warnings = findings.warnings().count();
    let _ = match lang {
        Lang::Vi => writeln!(out, "{errors} lỗi, {warnings} cảnh báo"),
        Lang::En => writeln!(out, "{errors} errors, {warnings} warnings"),
    };
    if errors > 0 { EXIT_INVALID } else { EXIT_OK }
}

fn print_findings(out: &mut impl Write, findings: &Findings, lang: Lang) -> std::io::Result<()> {
    for f in &findings.0 {
        let sev = match (f.severity, lang) {
            (crate::validate::Severity::Error, Lang::Vi) => "lỗi",
            (crate::validate::Severity::Error, Lang::En) => "error",
            (crate::validate::Severity::Warning, Lang::Vi) => "cảnh báo",
            (crate::validate::Severity::Warning, Lang::En) => "warning",
        };
        writeln!(out, "{sev}: {}", f.line(lang))?;
    }
    Ok(())
}

fn print_tally(session: &Session, json: bool, lang: Lang) -> u8 {
    let findings = validate(session);
    let t = tally(session);
    let mut out = std::io::stdout().lock();
    if json {
        match crate::json::to_string(&t) {
            Ok(s) => {
                let _ = writeln!(out, "{s}");
            }
            Err(e) => {
                eprintln!("Lỗi JSON / JSON error: {e}");
                return EXIT_UNREADABLE;
            }
        }
    } else {
        let _ = out.write_all(render_table(session, &t, lang).as_bytes());
    }
    if findings.has_errors() {
        let mut err = std::io::stderr().lock();
        let _ = match lang {
            Lang::Vi => writeln!(
                err,
                "Chú ý: tệp còn lỗi, kết quả chưa đầy đủ hoặc chưa đúng (xem `tinnhiem check`):"
            ),
            Lang::En => writeln!(
                err,
                "Note: the session has errors, the results are incomplete or wrong (see `tinnhiem check`):"
            ),
        };
        let errors = Findings(findings.errors().cloned().collect());
        let _ = print_findings(&mut err, &errors, lang);
        EXIT_INVALID
    } else {
        EXIT_OK
    }
}

/// The rules a session is tallied under, each with its article, how sure we are of it and
/// why not when not: what `tally --explain` prints before the table. The doubts belong here
/// and in the app's help, never in the signed minutes.
#[must_use]
pub fn explain_rules(session: &Session, lang: Lang) -> String {
    use crate::rules::{Certainty, QD41};
    let p = session.profile.profile();
    let body = session.state_body();
    let sure = |c: Certainty, doubt: Option<crate::text::Tr>| {
        let mut t = format!("[{}]", c.label().get(lang));
        if let Some(d) = doubt {
            t.push_str(&format!(" {}", d.get(lang)));
        }
        t
    };
    let vi = lang == Lang::Vi;
    let mut s = format!("{}\n", p.name.get(lang));
    s += &format!(
        "- {}: {} ({}) {}\n",
        if vi {
            "Cơ sở tính tỉ lệ"
        } else {
            "Base of shares"
        },
        session.effective_base().label().get(lang),
        p.base_citation.get(lang),
        sure(p.base_certainty, p.base_doubt)
    );
    s += &format!(
        "- {}: {} {}\n",
        if vi {
            "Số người có mặt"
        } else {
            "Quorum"
        },
        p.quorum.citation.get(lang),
        sure(p.quorum.certainty, p.quorum.doubt)
    );
    for band in p.bands {
        s += &format!(
            "- {}: {} ({}) {}\n",
            band.label.get(lang),
            band.consequence_for(body, lang),
            band.citation.get(lang),
            sure(band.certainty, None)
        );
    }
    if p.qd41_applies {
        if session.qd41_applies() {
            s += &format!(
                "- {}; {} ({}) {}\n",
                QD41.resign_text.get(lang),
                QD41.dismiss_text.get(lang),
                QD41.citation.get(lang),
                sure(QD41.certainty, None)
            );
        } else {
            s += &format!("- {}\n", QD41.repealed.get(lang));
        }
    }
    s + "\n"
}

/// The results as a plain-text table, one per ballot group.
#[must_use]
pub fn render_table(session: &Session, t: &Tally, lang: Lang) -> String {
    let profile = t.profile.profile();
    let mut s = String::new();
    let vi = lang == Lang::Vi;
    s += &format!(
        "{}: {}\n",
        if vi {
            "Quy định áp dụng"
        } else {
            "Rules"
        },
        profile.name.get(lang)
    );
    if !session.meta.conference.is_empty() {
        s += &format!("{}\n", session.meta.conference);
    }
    for g in &t.groups {
        s += &group_table(g, t, lang);
    }
    s
}

fn group_table(g: &GroupTally, t: &Tally, lang: Lang) -> String {
    let vi = lang == Lang::Vi;
    let num = |v: Option<u32>| v.map_or_else(|| "—".to_owned(), |n| n.to_string());
    let mut s = format!("\n== {} ==\n", g.name);
    s += &if vi {
        format!(
            "Triệu tập {}, có mặt {}, phát ra {}, thu về {}, không hợp lệ (cả tờ) {}, hợp lệ {}\n",
            num(g.voters.summoned),
            num(g.voters.present),
            num(g.voters.issued),
            num(g.voters.collected),
            num(g.voters.void_sheets),
            num(g.valid_sheets)
        )
    } else {
        format!(
            "Summoned {}, present {}, issued {}, collected {}, void sheets {}, valid {}\n",
            num(g.voters.summoned),
            num(g.voters.present),
            num(g.voters.issued),
            num(g.voters.collected),
            num(g.voters.void_sheets),
            num(g.valid_sheets)
        )
    };
    s += &format!(
        "{}: {} = {}; {}: {}\n",
        if vi {
            "Tỉ lệ tính trên"
        } else {
            "Shares over"
        },
        t.base_kind.label().get(lang),
        num(g.base),
        if vi {
            "Đủ số lượng"
        } else {
            "Quorum met"
        },
        match (g.quorum_met, vi) {
            (true, true) => "có",
            (false, true) => "không",
            (true, false) => "yes",
            (false, false) => "no",
        }
    );
    let mut header: Vec<String> = vec![
        if vi { "STT" } else { "No." }.into(),
        if vi { "Họ và tên" } else { "Name" }.into(),
        if vi { "Chức vụ" } else { "Position" }.into(),
    ];
    for level in Level::ALL {
        header.push(level.label().get(lang).into());
        header.push("%".into());
    }
    header.push(if vi { "Không hợp lệ" } else { "Invalid" }.into());
    header.push("%".into());
    header.push(if vi { "Xếp hạng" } else { "Rank" }.into());
    header.push(if vi { "Mức" } else { "Band" }.into());
    let mut rows = vec![header];
    for c in &g.cadres {
        rows.push(cadre_row(c, c.overall.as_ref(), t, lang));
    }
    s += &layout(&rows);
    for (k, name) in g.criteria.iter().enumerate() {
        s += &format!(
            "\n-- {}: {name} --\n",
            if vi { "Tiêu chí" } else { "Criterion" }
        );
        let mut rows = vec![rows[0][..rows[0].len() - 2].to_vec()];
        for c in &g.cadres {
            let mut row = cadre_row(c, c.criteria.get(k).and_then(Option::as_ref), t, lang);
            row.truncate(row.len() - 2);
            rows.push(row);
        }
        s += &layout(&rows);
    }
    s
}

fn cadre_row(c: &CadreTally, q: Option<&QuestionTally>, t: &Tally, lang: Lang) -> Vec<String> {
    let mut row = vec![
        (c.index + 1).to_string(),
        c.name.clone(),
        c.position.clone(),
    ];
    if let Some(reason) = &c.exemption {
        row.push(match lang {
            Lang::Vi => format!("(không lấy phiếu: {reason})"),
            Lang::En => format!("(exempt: {reason})"),
        });
        return row;
    }
    let Some(q) = q else {
        row.push(match lang {
            Lang::Vi => "(chưa đủ số liệu)".into(),
            Lang::En => "(incomplete)".into(),
        });
        return row;
    };
    for share in [q.high, q.medium, q.low] {
        row.push(share.count.to_string());
        row.push(share.fraction.percent_display(lang));
    }
    match q.invalid_lines {
        Some(share) => {
            row.push(share.count.to_string());
            row.push(share.fraction.percent_display(lang));
        }
        None => row.extend(["—".to_owned(), "—".to_owned()]),
    }
    row.push(c.rank.map_or_else(|| "—".into(), |r| r.to_string()));
    row.push(band_label(c.band, t, lang));
    row
}

fn band_label(band: Option<BandId>, t: &Tally, lang: Lang) -> String {
    match band.and_then(|b| t.profile.profile().band(b)) {
        Some(b) => b.label.get(lang).to_owned(),
        None => "—".into(),
    }
}

/// Left-aligned columns padded by character count (NFC Vietnamese letters are one column).
fn layout(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter(|r| r.len() == cols || i + 1 < r.len())
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut s = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            let pad = if i + 1 == row.len() {
                0
            } else {
                widths[i].saturating_sub(cell.chars().count())
            };
            line += cell;
            line.extend(std::iter::repeat_n(' ', pad));
            if i + 1 < row.len() {
                line += "  ";
            }
        }
        s += line.trim_end();
        s.push('\n');
    }
    s
}

/// Refuses an output path that is the input archive itself, under its own name or another
/// (a link to it).
fn refuse_overwrite(input: &std::path::Path, output: &std::path::Path) -> Result<(), String> {
    let canonical = |p: &std::path::Path| {
        p.canonicalize().ok().or_else(|| {
            let parent = match p.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.canonicalize().ok()?,
                _ => std::env::current_dir().ok()?,
            };
            Some(parent.join(p.file_name()?))
        })
    };
    if archive::is_same_file(input, output)
        || (canonical(input).is_some() && canonical(input) == canonical(output))
    {
        return Err(format!(
            "Lỗi: tệp ra trùng với tệp lưu trữ {}; hãy chọn tên khác.\nError: the output is the archive {} itself; choose another name.",
            input.display(),
            input.display()
        ));
    }
    Ok(())
}

/// Writes a document through [`archive::write_atomic`].
fn write_output(output: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    archive::write_atomic(output, bytes).map_err(|e| {
        let m = e.message();
        format!("Lỗi: {}\nError: {}", m.vi, m.en)
    })
}

fn document_error(e: &crate::documents::DocumentError) -> String {
    let m = e.message();
    format!("Lỗi: {}\nError: {}", m.vi, m.en)
}

fn tr_minutes(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "biên bản",
        Lang::En => "minutes",
    }
}

/// Prints the errors of a session that a document refuses; `true` if there were any.
fn refuse_errors(session: &Session, lang: Lang, what: &str) -> bool {
    if let Some(check) = crate::lifecycle::broken_seal(session) {
        let m = check.message();
        let _ = match lang {
            Lang::Vi => writeln!(std::io::stderr(), "Không xuất {what}: {}", m.vi),
            Lang::En => writeln!(std::io::stderr(), "Not written ({what}): {}", m.en),
        };
        return true;
    }
    let findings = validate(session);
    if !findings.has_errors() {
        return false;
    }
    print_refusal(&findings, lang, what);
    true
}

/// Says on stderr that `what` is not written because of the errors among `findings`, listed
/// as `tinnhiem check` lists them.
fn print_refusal(findings: &Findings, lang: Lang, what: &str) {
    let mut err = std::io::stderr().lock();
    let _ = match lang {
        Lang::Vi => writeln!(
            err,
            "Không xuất {what}: tệp còn lỗi (xem `tinnhiem check`):"
        ),
        Lang::En => writeln!(
            err,
            "Not written ({what}): the session has errors (see `tinnhiem check`):"
        ),
    };
    let errors = Findings(findings.errors().cloned().collect());
    let _ = print_findings(&mut err, &errors, lang);
}

/// `sign`: the next signer's signature on minutes already written, in the next free signature
/// block; written atomically over the input unless `-o` is given.
fn sign(
    file: &std::path::Path,
    output: Option<&std::path::Path>,
    (key, block): (&keys::KeyArgs, &keys::BlockArgs),
    lang: Lang,
) -> Result<u8, String> {
    let pdf = std::fs::read(file).map_err(|e| crate::text::cannot_read(file, &e).to_string())?;
    if !key.given() {
        return Err("Lỗi: cần khóa để ký: --p12 TỆP hoặc --pkcs11 THƯ_VIỆN\nError: a key is needed: --p12 FILE or --pkcs11 MODULE".into());
    }
    let Some(signer) = key.open()? else {
        return Ok(EXIT_INVALID);
    };
    let before = crate::signing::unsigned_fields(&pdf);
    let details = crate::signing::SignDetails {
        name: keys::signer_name(signer.as_ref()),
        reason: tr_sign_reason(lang).to_owned(),
        location: String::new(),
        time: crate::lifecycle::Timestamp::now().as_duration(),
        lang,
        appearance: Some(crate::documents::appearance::signature_appearance),
        field: block.field.clone(),
        on_behalf: block.on_behalf.clone(),
        images: block.images(signer.certificate()),
    };
    match crate::signing::sign_pdf(&pdf, signer.as_ref(), &details) {
        Ok(signed) => {
            let out = output.unwrap_or(file);
            write_output(out, &signed)?;
            // The block it filled: the one no longer free.
            let after = crate::signing::unsigned_fields(&signed);
            let field = before
                .into_iter()
                .find(|f| !after.iter().any(|a| a.id == f.id))
                .map(|f| match f.person {
                    Some(p) => format!("{}: {p}", f.name),
                    None => f.name,
                })
                .unwrap_or_default();
            println!(
                "{} {} ({}) → {}",
                match lang {
                    Lang::Vi => "Đã ký",
                    Lang::En => "Signed",
                },
                details.name,
                field,
                out.display()
            );
            Ok(EXIT_OK)
        }
        Err(e) => {
            let m = e.message();
            eprintln!("Lỗi: {}\nError: {}", m.vi, m.en);
            Ok(EXIT_INVALID)
        }
    }
}

/// `tinnhiem ballots`: any session with at least one cadre to vote on.
fn ballots(
    file: &std::path::Path,
    output: &std::path::Path,
    copies: Option<u32>,
    lang: Lang,
) -> Result<u8, String> {
    refuse_overwrite(file, output)?;
    if copies.is_some_and(|n| n > crate::documents::ballots::MAX_COPIES) {
        return Err(format!(
            "Lỗi: tối đa {max} bản mỗi nhóm.\nError: at most {max} copies per group.",
            max = crate::documents::ballots::MAX_COPIES
        ));
    }
    let session = load(file)?;
    let any = session
        .groups
        .iter()
        .any(|g| g.cadres.iter().any(|c| c.exemption.is_none()));
    if !any {
        eprintln!(
            "Không in phiếu: chưa có cán bộ nào để lấy phiếu.\nBallots not written: no cadre to vote on."
        );
        return Ok(EXIT_INVALID);
    }
    let options = crate::documents::ballots::BallotOptions { copies, lang };
    // The core checks the texts before laying anything out, and refuses those `minutes` and
    // `check` refuse, listed the same way (exit 1).
    let (bytes, count) = match crate::documents::ballots::ballots_pdf_counted(&session, options) {
        Ok(done) => done,
        Err(crate::documents::DocumentError::Invalid { what, findings }) => {
            print_refusal(&findings, lang, what.get(lang));
            return Ok(EXIT_INVALID);
        }
        Err(e) => return Err(document_error(&e)),
    };
    write_output(output, &bytes)?;
    // The page count before anyone prints: 500 copies are a ream of paper.
    let written = match lang {
        Lang::Vi => "Đã ghi",
        Lang::En => "Wrote",
    };
    let _ = writeln!(
        std::io::stdout(),
        "{written} {}: {}",
        output.display(),
        count.summary(lang)
    );
    Ok(EXIT_OK)
}

/// `tinnhiem export`: the results as a workbook (`.xlsx`) or CSV, by the output's extension;
/// refuses a session with errors, like the minutes.
fn export(file: &std::path::Path, output: &std::path::Path) -> Result<u8, String> {
    refuse_overwrite(file, output)?;
    let session = load(file)?;
    let xlsx = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if refuse_errors(&session, Lang::Vi, if xlsx { "Excel" } else { "CSV" }) {
        return Ok(EXIT_INVALID);
    }
    let bytes = if xlsx {
        crate::documents::xlsx::results_xlsx(&session).map_err(|e| document_error(&e))?
    } else {
        crate::documents::csv::results_csv(&session)
    };
    write_output(output, &bytes)?;
    Ok(EXIT_OK)
}

/// `tinnhiem minutes`: refuses a session with errors (exit 1, errors printed), since the
/// minutes must state complete and consistent figures. Exit 1 too when the PDF was written but
/// its export could not be logged in the archive (a full disk): the PDF is kept, and the
/// message says it is not in the log.
fn minutes(
    file: &std::path::Path,
    output: &std::path::Path,
    lang: Lang,
    with_log: bool,
    (key, block): (&keys::KeyArgs, &keys::BlockArgs),
    (operator, allow_unlogged): (&str, bool),
) -> Result<u8, String> {
    refuse_overwrite(file, output)?;
    // The export is logged in the archive: a read-modify-write under its lock. A read-only
    // archive is not rewritten; its PDF is written only when asked to do without the log.
    // A lock that cannot be taken (a read-only folder, another user's file) is the same case:
    // with --allow-unlogged the PDF is still written, without the log entry.
    let lock = if archive::is_read_only(file) && allow_unlogged {
        None
    } else {
        match seal::lock(file) {
            Ok(lock) => Some(lock),
            Err(_) if allow_unlogged => None,
            Err(e) => {
                return Err(format!(
                    "{e}\nMuốn in biên bản mà không ghi nhật ký vào tệp: thêm --allow-unlogged.\nTo write the minutes without logging the export in the archive: add --allow-unlogged."
                ));
            }
        }
    };
    // Read where the lock was taken (a symbolic link followed once).
    let mut session = load(lock.as_ref().map_or(file, archive::ArchiveLock::path))?;
    if refuse_errors(&session, lang, tr_minutes(lang)) {
        return Ok(EXIT_INVALID);
    }
    let mut options = crate::documents::minutes::MinutesOptions::for_session(&session, lang);
    options.audit_annex = with_log;
    let (mut bytes, fingerprint) =
        crate::documents::minutes::minutes_pdf_and_fingerprint(&session, options)
            .map_err(|e| document_error(&e))?;
    let now = crate::lifecycle::Timestamp::now();
    let by = if operator.trim().is_empty() {
        "tinnhiem"
    } else {
        operator
    };
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut signed_by = None;
    if key.given() {
        // A draft is never signed: "BẢN NHÁP" under a valid signature misleads whoever reads it.
        if !session.is_final() {
            return Err(crate::signing::SignError::Draft
                .to_string()
                .replace(" / ", "\n"));
        }
        if let Some(signer) = key.open()? {
            let details = crate::signing::SignDetails {
                name: keys::signer_name(signer.as_ref()),
                reason: tr_sign_reason(lang).to_owned(),
                location: session.meta.place.clone(),
                time: now.as_duration(),
                lang,
                appearance: Some(crate::documents::appearance::signature_appearance),
                field: block.field.clone(),
                on_behalf: block.on_behalf.clone(),
                images: block.images(signer.certificate()),
            };
            bytes = crate::signing::sign_pdf(&bytes, signer.as_ref(), &details).map_err(|e| {
                let m = e.message();
                format!("Lỗi: {}\nError: {}", m.vi, m.en)
            })?;
            signed_by = Some(signer.certificate().tbs_certificate.subject.to_string());
        }
    }
    write_output(output, &bytes)?;
    session.log(
        by,
        now,
        crate::lifecycle::Action::Exported {
            kind: "minutes".into(),
            file: name.clone(),
            fingerprint: fingerprint.to_string(),
        },
    );
    if let Some(subject) = signed_by {
        session.log(
            by,
            now,
            crate::lifecycle::Action::Signed {
                subject,
                file: name,
            },
        );
    }
    match lock {
        Some(lock) => {
            // The PDF is kept (it is right, and whole), but the command did not do all it
            // does: exit 1, so that a script sees it, with what to do.
            if let Err(e) = lock.save(&session) {
                let m = e.message();
                eprintln!(
                    "Đã ghi biên bản {pdf} nhưng không ghi được nhật ký vào tệp lưu trữ, nên lần xuất này không có trong nhật ký: {}\nHãy khắc phục (ví dụ giải phóng chỗ trống trên ổ đĩa) rồi chạy lại lệnh.\nThe minutes {pdf} were written, but the export could not be logged in the archive, so it is not in its log: {}\nFix that (free some disk space, for example) and run the command again.",
                    m.vi,
                    m.en,
                    pdf = output.display(),
                );
                return Ok(EXIT_INVALID);
            }
        }
        None => eprintln!(
            "Đã ghi biên bản; tệp lưu trữ không ghi được (chỉ đọc) nên lần xuất này không được ghi vào nhật ký.\nThe minutes were written; the archive cannot be written (read-only), so this export is not in its log."
        ),
    }
    Ok(EXIT_OK)
}

fn tr_sign_reason(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Ký biên bản kiểm phiếu",
        Lang::En => "Signing the minutes of the count",
    }
}
