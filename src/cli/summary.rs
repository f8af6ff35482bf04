//! `summary`: many units' archives (folders, files, zips, with their minutes) checked and
//! summarised (issue 25): the statuses and totals printed, the report written as JSON, Excel
//! or PDF by its extension. Nothing is written into what is read.

use std::path::{Path, PathBuf};

use crate::summary::{Summary, output, summarise};
use crate::text::Lang;

/// `summary`'s options.
#[derive(Debug, Clone, clap::Args)]
pub struct SummaryArgs {
    /// Thư mục (đọc cả thư mục con), tệp phiên .ron, biên bản .pdf, tệp .zip / Folders (read
    /// with their subfolders), archives (.ron), minutes (.pdf), zip files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Tệp báo cáo: .json, .xlsx hoặc .pdf / The report to write: .json, .xlsx or .pdf.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Tính cả phiên chưa chốt (được đánh dấu) / Count archives not finalised too (marked).
    #[arg(long)]
    pub include_unfinalised: bool,
    /// Người tổng hợp (ký báo cáo PDF) / Who compiled it (the PDF report's signature block).
    #[arg(long, default_value = "")]
    pub compiler: String,
    /// Cơ quan tổng hợp (đầu báo cáo PDF) / The compiling body (the PDF report's header).
    #[arg(long, default_value = "")]
    pub body: String,
    /// Language of the listing: vi or en.
    #[arg(long, default_value = "vi")]
    pub lang: Lang,
}

/// Runs `summary`: exit 0 when every archive found counts, 1 when some were left out (the
/// report says which and why), 2 when the report cannot be written.
///
/// # Errors
/// The message to print when the report cannot be written (nothing is then written).
pub fn run(args: &SummaryArgs) -> Result<u8, String> {
    let s = summarise(&args.inputs, args.include_unfinalised);
    print(&s, args.lang);
    if let Some(out) = &args.output {
        if args.inputs.iter().any(|i| same(i, out)) {
            return Err("Lỗi: tệp báo cáo trùng một tệp đầu vào\nError: the report would overwrite an input".into());
        }
        let bytes = match extension(out).as_str() {
            "json" => output::to_json(&s).into_bytes(),
            "xlsx" => output::to_xlsx(&s).map_err(|e| format!("Lỗi / Error: {e}"))?,
            "pdf" => crate::summary::report::to_pdf(
                &s,
                &crate::summary::report::ReportInfo {
                    body: args.body.clone(),
                    compiler: args.compiler.clone(),
                    date: crate::lifecycle::Timestamp::now()
                        .civil(7)
                        .and_then(|t| crate::model::Date::new(t.year(), t.month(), t.day())),
                },
            )
            .map_err(|e| {
                let m = e.message();
                format!("Lỗi: {}\nError: {}", m.vi, m.en)
            })?,
            _ => {
                return Err("Lỗi: tệp báo cáo phải là .json, .xlsx hoặc .pdf\nError: the report must be .json, .xlsx or .pdf".into());
            }
        };
        super::write_output(out, &bytes)?;
    }
    let left_out = s.totals().left_out;
    Ok(if left_out == 0 {
        super::EXIT_OK
    } else {
        super::EXIT_INVALID
    })
}

fn extension(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Whether `input` is `out` or holds it (a folder summarised into itself is fine: the report
/// is written after reading; a report over an input file is not).
fn same(input: &Path, out: &Path) -> bool {
    crate::archive::is_same_file(input, out)
}

/// The statuses, one line per file, then the totals.
fn print(s: &Summary, lang: Lang) {
    for f in &s.files {
        let reason = f
            .status
            .reason()
            .map(|r| format!(" — {}", r.get(lang)))
            .unwrap_or_default();
        println!(
            "{}: {}{reason}",
            f.path.display(),
            f.status.words().get(lang)
        );
    }
    let words = s.totals().words();
    match lang {
        Lang::Vi => println!("Tổng hợp: {}", words.vi),
        Lang::En => println!("Summary: {}", words.en),
    }
}

/// `history`'s options.
#[derive(Debug, Clone, clap::Args)]
pub struct HistoryArgs {
    /// Thư mục, tệp phiên .ron, tệp .zip của các lần lấy phiếu / Folders, archives and zips of
    /// the votes.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Chỉ cán bộ có mã này hoặc có họ tên chứa chữ này / Only the cadre of this code, or
    /// the cadres whose name contains this.
    #[arg(long, value_name = "MÃ|HỌ TÊN")]
    pub cadre: Option<String>,
    /// Tính cả phiên chưa chốt / Count archives not finalised too.
    #[arg(long)]
    pub include_unfinalised: bool,
    /// In dạng JSON / Print JSON.
    #[arg(long)]
    pub json: bool,
    /// Language of the listing: vi or en.
    #[arg(long, default_value = "vi")]
    pub lang: Lang,
}

/// Runs `history`: each person's votes in date order, the band's changes marked. Exit 0, or
/// 1 when no cadre matched.
///
/// # Errors
/// Never; the signature is the commands'.
pub fn history(args: &HistoryArgs) -> Result<u8, String> {
    let s = summarise(&args.inputs, args.include_unfinalised);
    let records = crate::summary::history::history(&s, args.cadre.as_deref());
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&records).unwrap_or_default()
        );
    } else {
        let lang = args.lang;
        for r in &records {
            println!(
                "{} — {} ({})",
                r.name,
                r.unit,
                r.matched_by.words().get(lang)
            );
            for v in &r.votes {
                let band = v.band_words.as_ref().map_or("—", |w| w.get(lang));
                let changed = if v.band_changed {
                    match lang {
                        Lang::Vi => "  ← đổi mức",
                        Lang::En => "  ← band changed",
                    }
                } else {
                    ""
                };
                println!(
                    "  {}  {}, {}  {}: {}% | {}% | {}%  {band}{changed}",
                    v.date.as_deref().unwrap_or("—"),
                    v.position,
                    v.unit,
                    v.group,
                    v.shares[0],
                    v.shares[1],
                    v.shares[2]
                );
            }
        }
    }
    Ok(if records.is_empty() {
        super::EXIT_INVALID
    } else {
        super::EXIT_OK
    })
}
