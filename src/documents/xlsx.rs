//! The results as an Excel workbook (.xlsx): one sheet per ballot group.
//!
//! Layout (stable; a change needs a note in README):
//! - A title block: the conference, the group, the base of percentages.
//! - One header row, frozen, then one row per cadre: STT (the list's own, exempt cadres
//!   counted), name, position, then for each level the count (a number) and its share (a
//!   percentage, two decimals), the invalid votes on the line, the rank and the band. An exempt
//!   cadre has its reason instead of figures; a figure not entered is an empty cell.
//! - Per-criterion questions follow the overall table, one block per criterion.
//!
//! The shares are the core's half-up percentages ([`crate::fraction::Fraction`]), written as
//! the exact decimal they display (53,19 % is 0.5319), never recomputed: Excel shows the same
//! figure as the minutes. Output is the same bytes for the same session (the document's date is
//! the vote's, not today's). The document properties' keywords state, as the minutes' do, the
//! content's fingerprint and the audit log the workbook was written at
//! ([`crate::model::LogPin`]).

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet};

use crate::model::Session;
use crate::tally::{CadreTally, GroupTally, QuestionTally, Share, Tally, tally};
use crate::text::Lang;

use super::DocumentError;

/// The column titles of a table, in order: the CSV's own ([`super::csv::COLUMNS`]) less the
/// group, question, exemption and base columns (the sheet and its title block say those) and
/// the QĐ 41 ones.
fn head() -> impl Iterator<Item = &'static str> {
    use super::csv::COLUMNS;
    COLUMNS[2..5].iter().chain(&COLUMNS[7..17]).copied()
}

/// Column widths (characters) for [`head`].
const WIDTHS: [f64; 13] = [
    6.0, 28.0, 40.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 9.0, 44.0,
];

/// The formats of the workbook.
struct Formats {
    title: Format,
    head: Format,
    text: Format,
    count: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new().set_border(FormatBorder::Thin);
        Self {
            title: Format::new().set_bold().set_font_size(13),
            head: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_background_color(0x00E8_E8E8),
            text: cell.clone().set_text_wrap(),
            count: cell.clone().set_num_format("0"),
            percent: cell.set_num_format("0.00%"),
        }
    }
}

fn xlsx_error(e: &rust_xlsxwriter::XlsxError) -> DocumentError {
    DocumentError::Pdf(format!("xlsx: {e}"))
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique in the book.
fn sheet_name(g: usize, name: &str, taken: &mut Vec<String>) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .collect();
    let clean = clean.trim().trim_matches('\'');
    let prefix = format!("{}. ", g + 1);
    let mut out: String = prefix.clone();
    out.extend(clean.chars().take(31 - prefix.chars().count()));
    let out = out.trim_end().to_owned();
    let out = if taken.contains(&out) {
        format!("Nhóm {}", g + 1)
    } else {
        out
    };
    taken.push(out.clone());
    out
}

/// The results workbook (bytes).
pub fn results_xlsx(session: &Session) -> Result<Vec<u8>, DocumentError> {
    let t = tally(session);
    let mut book = Workbook::new();
    let date = session
        .meta
        .date
        .and_then(|d| ExcelDateTime::from_ymd(d.year(), d.month(), d.day()).ok())
        .or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).ok());
    let keywords = [
        format!(
            "{}{}",
            crate::fingerprint::PDF_KEYWORD,
            crate::fingerprint::fingerprint(session)
        ),
        crate::model::LogPin::of(&session.audit).keyword(),
    ];
    let mut props = DocProperties::new()
        .set_title(&session.meta.conference)
        .set_author("tinnhiem")
        .set_keywords(keywords.join(", "));
    if let Some(date) = date {
        props = props.set_creation_datetime(&date);
    }
    book.set_properties(&props);
    let f = Formats::new();
    let mut taken = Vec::new();
    for (g, group) in t.groups.iter().enumerate() {
        let sheet = book.add_worksheet();
        sheet
            .set_name(sheet_name(g, &group.name, &mut taken))
            .map_err(|e| xlsx_error(&e))?;
        group_sheet(sheet, session, &t, group, &f).map_err(|e| xlsx_error(&e))?;
    }
    book.save_to_buffer().map_err(|e| xlsx_error(&e))
}

fn group_sheet(
    sheet: &mut Worksheet,
    session: &Session,
    t: &Tally,
    group: &GroupTally,
    f: &Formats,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    sheet.write_string_with_format(0, 0, &session.meta.conference, &f.title)?;
    sheet.write_string(1, 0, format!("Nhóm phiếu: {}", group.name))?;
    let base = group
        .base
        .map_or_else(|| super::common::NOT_ENTERED.to_owned(), |b| b.to_string());
    sheet.write_string(
        2,
        0,
        format!(
            "Tỉ lệ tính trên {}: {base}",
            t.base_kind.label().get(Lang::Vi)
        ),
    )?;
    for (c, w) in WIDTHS.iter().enumerate() {
        sheet.set_column_width(col(c), *w)?;
    }
    let head_row = 4;
    table(sheet, head_row, group, t, f, None)?;
    sheet.set_freeze_panes(head_row + 1, 0)?;
    let mut row = head_row + 2 + row_count(group.cadres.len());
    for (k, name) in group.criteria.iter().enumerate() {
        sheet.write_string_with_format(row, 0, format!("Tiêu chí: {name}"), &f.title)?;
        table(sheet, row + 1, group, t, f, Some(k))?;
        row += 3 + row_count(group.cadres.len());
    }
    Ok(())
}

fn row_count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX - 16)
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// One table at `top`: the header, then a row per cadre, for the overall question or
/// criterion `k`.
fn table(
    sheet: &mut Worksheet,
    top: u32,
    group: &GroupTally,
    t: &Tally,
    f: &Formats,
    criterion: Option<usize>,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let overall = criterion.is_none();
    for (c, h) in head().enumerate() {
        if overall || c < 11 {
            sheet.write_string_with_format(top, col(c), h, &f.head)?;
        }
    }
    for (i, cadre) in group.cadres.iter().enumerate() {
        let row = top + 1 + row_count(i);
        let q = match criterion {
            None => cadre.overall.as_ref(),
            Some(k) => cadre.criteria.get(k).and_then(Option::as_ref),
        };
        cadre_row(sheet, row, cadre, q, t, f, overall)?;
    }
    Ok(())
}

#[expect(
    clippy::float_arithmetic,
    reason = "the core's rounded hundredths of a percent, written as the decimal they display"
)]
fn percent(s: &Share) -> Option<f64> {
    // Hundredths of a percent fit f64 exactly; dividing by 10,000 gives the displayed decimal.
    let h = s.fraction.percent_hundredths()?;
    let h = u32::try_from(h).ok()?;
    Some(f64::from(h) / 10_000.0)
}

fn cadre_row(
    sheet: &mut Worksheet,
    row: u32,
    c: &CadreTally,
    q: Option<&QuestionTally>,
    t: &Tally,
    f: &Formats,
    overall: bool,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    sheet.write_number_with_format(row, 0, row_count(c.index + 1), &f.count)?;
    sheet.write_string_with_format(row, 1, &c.name, &f.text)?;
    sheet.write_string_with_format(row, 2, &c.position, &f.text)?;
    if let Some(reason) = &c.exemption {
        sheet.write_string_with_format(row, 3, format!("Không lấy phiếu: {reason}"), &f.text)?;
        return Ok(());
    }
    let Some(q) = q else {
        sheet.write_string_with_format(row, 3, "Chưa đủ số liệu", &f.text)?;
        return Ok(());
    };
    let shares = [Some(q.high), Some(q.medium), Some(q.low), q.invalid_lines];
    for (k, share) in shares.iter().enumerate() {
        let at = col(3 + 2 * k);
        if let Some(s) = share {
            sheet.write_number_with_format(row, at, s.count, &f.count)?;
            if let Some(p) = percent(s) {
                sheet.write_number_with_format(row, at + 1, p, &f.percent)?;
            }
        }
    }
    if overall {
        if let Some(rank) = c.rank {
            sheet.write_number_with_format(row, 11, rank, &f.count)?;
        }
        let band = c
            .band
            .and_then(|b| t.profile.profile().band(b))
            .map_or("", |b| b.label.vi);
        sheet.write_string_with_format(row, 12, band, &f.text)?;
    }
    Ok(())
}
