//! The results as an Excel workbook (.xlsx): one sheet per ballot group.
//!
//! Layout (stable; a change needs a note in docs/documents.md):
//! - The document's header, as the minutes print it ([`super::common::header_text`]): left the
//!   superior and issuing bodies, "*" (party documents) and the number; right the party or
//!   national title and the place and date, on the number's row.
//! - Then the conference, the group, the base of percentages, the draft mark ("BẢN NHÁP", on
//!   a session not finalised: a draft's file is never the final one's) and the content's full
//!   fingerprint.
//! - One header row, frozen and repeated on every printed page, then one row per cadre: STT
//!   (the list's own, exempt cadres counted), name, position, then for each level the count (a
//!   number) and its share (a percentage, two decimals), the invalid votes on the line, the
//!   rank, the band and, exactly where the CSV has them ([`super::csv::qd41_columns`]), the two
//!   QĐ 41 grounds. An exempt cadre has its reason instead of figures; a figure not entered is
//!   an empty cell.
//! - A "Tổng cộng" row: each count column's sum (a `SUM` formula with its value stored), when
//!   every cadre voted on has figures. Shares, ranks and bands do not add up and are left
//!   empty; the four sums add up to the valid sheets times the cadres voted on, a check a
//!   reader can make.
//! - Per-criterion questions follow the overall table, one block per criterion.
//!
//! The shares are the core's half-up percentages ([`crate::fraction::Fraction`]), written as
//! the exact decimal they display (53,19 % is 0.5319), never recomputed: Excel shows the same
//! figure as the minutes. Output is the same bytes for the same session (the document's date is
//! the vote's, not today's). The document properties' keywords state, as the minutes' do, the
//! content's fingerprint, the audit log the workbook was written at
//! ([`crate::model::LogPin`]) and, for a draft, the draft keyword. Printed, every page's header
//! says "BẢN NHÁP" on a draft and its footer the short fingerprint and the page.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet,
    XlsxError,
};

use super::common::{DRAFT, FINGERPRINT, header_text};
use super::csv::{COLUMNS, qd41_columns, yes_no};
use crate::fingerprint::Fingerprint;
use crate::model::Session;
use crate::rules::DocumentStyle;
use crate::tally::{CadreTally, GroupTally, QuestionTally, Share, Tally, tally};
use crate::text::Lang;

use super::DocumentError;

/// What the draft mark says in the workbook: the results are not yet final.
const DRAFT_NOTE: &str = "kết quả chưa được chốt, chưa phải số liệu chính thức";

/// The label of the totals row.
pub const TOTALS: &str = "Tổng cộng";

/// The column titles of a table, in order: the CSV's own ([`COLUMNS`]) less the group,
/// question, exemption and base columns (the sheet and its title block say those), and the QĐ
/// 41 ones exactly when the CSV has them.
fn head(qd41: bool) -> Vec<&'static str> {
    let mut h: Vec<&str> = COLUMNS[2..5]
        .iter()
        .chain(&COLUMNS[7..17])
        .copied()
        .collect();
    if qd41 {
        h.extend(&COLUMNS[17..19]);
    }
    h
}

/// Column widths (characters) for [`head`] with the QĐ 41 columns.
const WIDTHS: [f64; 15] = [
    6.0, 28.0, 40.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 9.0, 44.0, 12.0, 12.0,
];

/// The formats of the workbook.
struct Formats {
    title: Format,
    head: Format,
    text: Format,
    count: Format,
    percent: Format,
    total_label: Format,
    total: Format,
    body: Format,
    body_bold: Format,
    italic: Format,
    draft: Format,
}

impl Formats {
    fn new() -> Self {
        let cell = Format::new().set_border(FormatBorder::Thin);
        let centred = Format::new().set_align(FormatAlign::Center);
        Self {
            title: Format::new().set_bold().set_font_size(13),
            head: cell
                .clone()
                .set_bold()
                .set_text_wrap()
                .set_background_color(0x00E8_E8E8),
            text: cell.clone().set_text_wrap(),
            count: cell.clone().set_num_format("0"),
            percent: cell.clone().set_num_format("0.00%"),
            total_label: cell.clone().set_bold(),
            total: cell.set_bold().set_num_format("0"),
            body: centred.clone(),
            body_bold: centred.clone().set_bold(),
            italic: centred.set_italic(),
            draft: Format::new()
                .set_bold()
                .set_font_size(13)
                .set_font_color(0x00C0_0000),
        }
    }
}

fn xlsx_error(e: &XlsxError) -> DocumentError {
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

/// What every sheet of one workbook states alike: computed once per workbook.
struct Facts<'a> {
    session: &'a Session,
    tally: &'a Tally,
    fingerprint: Fingerprint,
    draft: bool,
    qd41: bool,
}

/// The results workbook (bytes).
///
/// # Errors
///
/// [`DocumentError::Pdf`] (its message starting `xlsx:`) when the workbook writer fails.
pub fn results_xlsx(session: &Session) -> Result<Vec<u8>, DocumentError> {
    let t = tally(session);
    let facts = Facts {
        session,
        tally: &t,
        fingerprint: crate::fingerprint::fingerprint(session),
        draft: !session.is_final(),
        qd41: qd41_columns(&t),
    };
    let mut book = Workbook::new();
    let date = session
        .meta
        .date
        .and_then(|d| ExcelDateTime::from_ymd(d.year(), d.month(), d.day()).ok())
        .or_else(|| ExcelDateTime::from_ymd(2000, 1, 1).ok());
    let mut keywords = vec![
        format!("{}{}", crate::fingerprint::PDF_KEYWORD, facts.fingerprint),
        crate::model::LogPin::of(&session.audit).keyword(),
    ];
    if facts.draft {
        keywords.push(crate::signing::DRAFT_KEYWORD.to_owned());
    }
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
        group_sheet(sheet, &facts, group, &f).map_err(|e| xlsx_error(&e))?;
    }
    book.save_to_buffer().map_err(|e| xlsx_error(&e))
}

/// The document's header in the top rows; returns the first row under it.
fn header_rows(sheet: &mut Worksheet, facts: &Facts<'_>, f: &Formats) -> Result<u32, XlsxError> {
    let style = facts.session.profile.profile().document_style;
    let h = header_text(facts.session, style, Lang::Vi);
    let mut left: Vec<(&str, &Format)> = Vec::new();
    if !h.superior.trim().is_empty() {
        left.push((&h.superior, &f.body));
    }
    left.push((&h.issuing, &f.body_bold));
    // Under the bodies: "*" on a party document, a blank line on a state one (the minutes draw
    // a short rule there).
    let under = if style == DocumentStyle::Party {
        "*"
    } else {
        ""
    };
    left.push((under, &f.body));
    left.push((&h.number, &f.body));
    // The place and date on the number's row, as the minutes print them.
    let number_row = row_count(left.len() - 1).max(row_count(h.titles.len()));
    for (r, (text, format)) in left.iter().enumerate() {
        let r = row_count(r);
        sheet.merge_range(r, 0, r, 2, text, format)?;
    }
    for (r, text) in h.titles.iter().enumerate() {
        let r = row_count(r);
        sheet.merge_range(r, 3, r, RIGHT_LAST, text, &f.body_bold)?;
    }
    sheet.merge_range(
        number_row,
        3,
        number_row,
        RIGHT_LAST,
        &h.place_date,
        &f.italic,
    )?;
    Ok(number_row + 2)
}

/// The last column of the header's right block (the band's column).
const RIGHT_LAST: u16 = 12;

fn group_sheet(
    sheet: &mut Worksheet,
    facts: &Facts<'_>,
    group: &GroupTally,
    f: &Formats,
) -> Result<(), XlsxError> {
    let t = facts.tally;
    let mut row = header_rows(sheet, facts, f)?;
    sheet.write_string_with_format(row, 0, &facts.session.meta.conference, &f.title)?;
    sheet.write_string(row + 1, 0, format!("Nhóm phiếu: {}", group.name))?;
    let base = group
        .base
        .map_or_else(|| super::common::NOT_ENTERED.to_owned(), |b| b.to_string());
    sheet.write_string(
        row + 2,
        0,
        format!(
            "Tỉ lệ tính trên {}: {base}",
            t.base_kind.label().get(Lang::Vi)
        ),
    )?;
    if facts.draft {
        let mark = format!("{}: {DRAFT_NOTE}", DRAFT.get(Lang::Vi));
        sheet.write_string_with_format(row + 3, 0, mark, &f.draft)?;
    }
    sheet.write_string(
        row + 4,
        0,
        format!(
            "{} (SHA-256): {}",
            FINGERPRINT.get(Lang::Vi),
            facts.fingerprint
        ),
    )?;
    row += 6;
    let widths = if facts.qd41 {
        &WIDTHS[..]
    } else {
        &WIDTHS[..WIDTHS.len() - 2]
    };
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(col(c), *w)?;
    }
    print_setup(sheet, facts, row)?;
    let head_row = row;
    row = table(sheet, head_row, group, facts, f, None)?;
    sheet.set_freeze_panes(head_row + 1, 0)?;
    for (k, name) in group.criteria.iter().enumerate() {
        // A blank row, the criterion, its table.
        sheet.write_string_with_format(row + 1, 0, format!("Tiêu chí: {name}"), &f.title)?;
        row = table(sheet, row + 2, group, facts, f, Some(k))?;
    }
    Ok(())
}

/// Printed: landscape A4, one page wide, the table's header on every page; a draft's pages say
/// so at the top, every page's footer gives the short fingerprint and the page.
fn print_setup(sheet: &mut Worksheet, facts: &Facts<'_>, head_row: u32) -> Result<(), XlsxError> {
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(head_row, head_row)?;
    if facts.draft {
        sheet.set_header(format!("&C&\"-,Bold\"{}", DRAFT.get(Lang::Vi)));
    }
    sheet.set_footer(format!(
        "&L{}: {}&RTrang &P/&N",
        FINGERPRINT.get(Lang::Vi),
        facts.fingerprint.short()
    ));
    Ok(())
}

fn row_count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX - 16)
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// One table at `top`: the header, a row per cadre and the totals, for the overall question
/// or criterion `k`; returns the first row under it.
fn table(
    sheet: &mut Worksheet,
    top: u32,
    group: &GroupTally,
    facts: &Facts<'_>,
    f: &Formats,
    criterion: Option<usize>,
) -> Result<u32, XlsxError> {
    let overall = criterion.is_none();
    for (c, h) in head(facts.qd41).iter().enumerate() {
        if overall || c < 11 {
            sheet.write_string_with_format(top, col(c), *h, &f.head)?;
        }
    }
    let question = |cadre: &CadreTally| match criterion {
        None => cadre.overall,
        Some(k) => cadre.criteria.get(k).copied().flatten(),
    };
    for (i, cadre) in group.cadres.iter().enumerate() {
        let row = top + 1 + row_count(i);
        cadre_row(
            sheet,
            row,
            cadre,
            question(cadre).as_ref(),
            facts,
            f,
            overall,
        )?;
    }
    let first = top + 1;
    let end = first + row_count(group.cadres.len());
    let voted: Vec<QuestionTally> = group
        .cadres
        .iter()
        .filter(|c| c.exemption.is_none())
        .filter_map(question)
        .collect();
    let complete = voted.len()
        == group
            .cadres
            .iter()
            .filter(|c| c.exemption.is_none())
            .count();
    if !complete || voted.is_empty() {
        return Ok(end);
    }
    sheet.write_string_with_format(end, 1, TOTALS, &f.total_label)?;
    let sums: [Option<u64>; 4] = [
        Some(voted.iter().map(|q| u64::from(q.high.count)).sum()),
        Some(voted.iter().map(|q| u64::from(q.medium.count)).sum()),
        Some(voted.iter().map(|q| u64::from(q.low.count)).sum()),
        voted
            .iter()
            .map(|q| q.invalid_lines.map(|s| u64::from(s.count)))
            .sum(),
    ];
    for (k, sum) in sums.iter().enumerate() {
        let Some(sum) = sum else { continue };
        let at = col(3 + 2 * k);
        let letter = crate::spreadsheet::column_name(u32::from(at));
        let formula = Formula::new(format!("=SUM({letter}{}:{letter}{end})", first + 1))
            .set_result(sum.to_string());
        sheet.write_formula_with_format(end, at, formula, &f.total)?;
    }
    Ok(end + 1)
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
    facts: &Facts<'_>,
    f: &Formats,
    overall: bool,
) -> Result<(), XlsxError> {
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
            .and_then(|b| facts.tally.profile.profile().band(b))
            .map_or("", |b| b.label.vi);
        sheet.write_string_with_format(row, 12, band, &f.text)?;
        if facts.qd41 {
            sheet.write_string_with_format(row, 13, yes_no(c.qd41.resign_ground), &f.text)?;
            sheet.write_string_with_format(row, 14, yes_no(c.qd41.dismiss_ground), &f.text)?;
        }
    }
    Ok(())
}
