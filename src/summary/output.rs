//! A summary written out: JSON for other programs, an Excel workbook for the organisation
//! board (a sheet for the units, one for all cadres, one for those whose band carries a
//! consequence, one for the files read), and the PDF report (`report.rs`). Each says which
//! files were left out and why.

use super::{CadreRow, Summary};
use crate::rules::BandId;
use crate::text::Lang;

/// A band's label and consequence under the cadre's profile, with the article.
#[must_use]
pub fn band_words(c: &CadreRow, lang: Lang) -> Option<(String, String, String)> {
    let band = c.profile.profile().band(c.band?)?;
    Some((
        band.short.get(lang).to_owned(),
        band.consequence_for(c.state_body, lang),
        band.citation.get(lang).to_owned(),
    ))
}

/// One file as JSON.
#[derive(serde::Serialize)]
struct JsonFile<'a> {
    path: String,
    status: &'static str,
    status_vi: String,
    status_en: String,
    reason_vi: Option<String>,
    reason_en: Option<String>,
    fingerprint: Option<&'a str>,
    sha256: Option<&'a str>,
}

/// One unit as JSON.
#[derive(serde::Serialize)]
struct JsonUnit<'a> {
    file: Option<String>,
    unit: &'a str,
    superior: &'a str,
    conference: &'a str,
    date: Option<&'a str>,
    profile: &'static str,
    groups: &'a [String],
    rated: u32,
    band_a: u32,
    band_b: u32,
    high_majority: u32,
    draft: bool,
}

/// One cadre as JSON.
#[derive(serde::Serialize)]
struct JsonCadre<'a> {
    file: Option<String>,
    unit: &'a str,
    group: &'a str,
    name: &'a str,
    position: &'a str,
    profile: &'static str,
    base: Option<u32>,
    high: u32,
    medium: u32,
    low: u32,
    high_percent: String,
    medium_percent: String,
    low_percent: String,
    band: Option<&'static str>,
    band_vi: Option<String>,
    consequence_vi: Option<String>,
    citation_vi: Option<String>,
    high_majority: bool,
    draft: bool,
}

/// The whole report as JSON: each table a sequence written as it is walked, so that a
/// province's 40,000 cadres are never held twice in memory.
#[derive(serde::Serialize)]
struct JsonReport<F, U, C, K>
where
    F: serde::Serialize,
    U: serde::Serialize,
    C: serde::Serialize,
    K: serde::Serialize,
{
    drafts_included: bool,
    files: F,
    totals: super::Totals,
    units: U,
    cadres: C,
    consequences: K,
}

/// A sequence serialised from an iterator, each item made as it is written.
struct Seq<I>(std::cell::RefCell<Option<I>>);

impl<I, T> serde::Serialize for Seq<I>
where
    I: Iterator<Item = T>,
    T: serde::Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let items = self.0.borrow_mut().take();
        serializer.collect_seq(items.into_iter().flatten())
    }
}

fn seq<I: Iterator>(items: I) -> Seq<I> {
    Seq(std::cell::RefCell::new(Some(items)))
}

fn path_of(s: &Summary, i: usize) -> Option<String> {
    s.files.get(i).map(|f| f.path.display().to_string())
}

fn json_file(f: &super::FileReport) -> JsonFile<'_> {
    let words = f.status.words();
    let reason = f.status.reason();
    JsonFile {
        path: f.path.display().to_string(),
        status: status_code(&f.status),
        status_vi: words.vi,
        status_en: words.en,
        reason_vi: reason.as_ref().map(|r| r.vi.clone()),
        reason_en: reason.map(|r| r.en),
        fingerprint: f.fingerprint.as_deref(),
        sha256: f.sha256.as_deref(),
    }
}

fn json_unit<'a>(s: &'a Summary, u: &'a super::UnitRow) -> JsonUnit<'a> {
    JsonUnit {
        file: path_of(s, u.file),
        unit: &u.unit,
        superior: &u.superior,
        conference: &u.conference,
        date: u.date.as_deref(),
        profile: u.profile.code(),
        groups: &u.groups,
        rated: u.rated,
        band_a: u.bands[0],
        band_b: u.bands[1],
        high_majority: u.high_majority,
        draft: s
            .files
            .get(u.file)
            .is_some_and(|f| f.status == super::Status::Draft),
    }
}

fn json_cadre<'a>(s: &'a Summary, c: &'a CadreRow) -> JsonCadre<'a> {
    let (band_vi, consequence_vi, citation_vi) = match band_words(c, Lang::Vi) {
        Some((b, q, a)) => (Some(b), Some(q), Some(a)),
        None => (None, None, None),
    };
    JsonCadre {
        file: path_of(s, c.file),
        unit: &c.unit,
        group: &c.group,
        name: &c.name,
        position: &c.position,
        profile: c.profile.code(),
        base: c.base,
        high: c.counts[0],
        medium: c.counts[1],
        low: c.counts[2],
        high_percent: c.shares[0].replace(',', "."),
        medium_percent: c.shares[1].replace(',', "."),
        low_percent: c.shares[2].replace(',', "."),
        band: c.band.map(BandId::code),
        band_vi,
        consequence_vi,
        citation_vi,
        high_majority: c.high_majority,
        draft: c.draft,
    }
}

/// The summary as JSON: every input file by its path with its status and reason, the totals,
/// then the tables (units, cadres, consequences).
#[must_use]
pub fn to_json(s: &Summary) -> String {
    let report = JsonReport {
        drafts_included: s.drafts_included,
        files: seq(s.files.iter().map(json_file)),
        totals: s.totals(),
        units: seq(s.units.iter().map(|u| json_unit(s, u))),
        cadres: seq(s.cadres.iter().map(|c| json_cadre(s, c))),
        consequences: seq(s.consequences().into_iter().map(|c| json_cadre(s, c))),
    };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

/// The status's stable code (JSON, tests).
#[must_use]
pub fn status_code(s: &super::Status) -> &'static str {
    use super::Status;
    match s {
        Status::FinalSigned => "final_signed",
        Status::Final => "final",
        Status::Draft => "draft",
        Status::Broken { .. } => "broken",
        Status::Duplicate { .. } => "duplicate",
        Status::Superseded { .. } => "superseded",
        Status::Conflict { .. } => "conflict",
        Status::Minutes { .. } => "minutes",
        Status::Skipped { .. } => "skipped",
    }
}

/// The summary as an Excel workbook: "Đơn vị" (the units), "Cán bộ" (every cadre), "Có hệ
/// quả" (the cadres whose band carries a consequence, with the article), "Qua các lần" (each
/// cadre's votes in date order) and "Tệp" (every file read, with its status and reason: what
/// was left out and why). Numbers are numbers;
/// shares are the minutes' half-up percentages, as numbers formatted as percentages.
///
/// # Errors
/// [`rust_xlsxwriter::XlsxError`] when the workbook cannot be built.
pub fn to_xlsx(s: &Summary) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    units_sheet(&mut book, s)?;
    let all: Vec<&CadreRow> = s.cadres.iter().collect();
    cadre_sheet(&mut book, "Cán bộ", &all)?;
    cadre_sheet(&mut book, "Có hệ quả", &s.consequences())?;
    history_sheet(&mut book, s)?;
    let sheet = book.add_worksheet().set_name("Tệp")?;
    head(
        sheet,
        &[
            "Tệp",
            "Tình trạng",
            "Lý do",
            "Mã kiểm tra",
            "SHA-256 của tệp",
        ],
    )?;
    for (r, f) in s.files.iter().enumerate() {
        let r = row(r);
        sheet.write_string(r, 0, f.path.display().to_string())?;
        sheet.write_string(r, 1, f.status.words().vi)?;
        sheet.write_string(r, 2, f.status.reason().map(|m| m.vi).unwrap_or_default())?;
        sheet.write_string(r, 3, f.fingerprint.as_deref().unwrap_or(""))?;
        sheet.write_string(r, 4, f.sha256.as_deref().unwrap_or(""))?;
    }
    book.save_to_buffer()
}

/// "Qua các lần": each person rated in two votes or more, a row per vote in date order, the
/// band's change marked ([`super::history`]).
fn history_sheet(
    book: &mut rust_xlsxwriter::Workbook,
    s: &Summary,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let percent = rust_xlsxwriter::Format::new().set_num_format("0.00%");
    let sheet = book.add_worksheet().set_name("Qua các lần")?;
    head(
        sheet,
        &[
            "Họ và tên",
            "Đơn vị",
            "Ngày",
            "Chức vụ",
            "Nhóm phiếu",
            "Tín nhiệm cao",
            "Tín nhiệm",
            "Tín nhiệm thấp",
            "Mức",
            "Đổi mức",
            "Khớp theo",
        ],
    )?;
    let mut r = 0;
    for record in super::history::history(s, None) {
        for v in &record.votes {
            let row = row(r);
            r += 1;
            sheet.write_string(row, 0, &record.name)?;
            sheet.write_string(row, 1, &record.unit)?;
            sheet.write_string(row, 2, v.date.as_deref().unwrap_or(""))?;
            sheet.write_string(row, 3, &v.position)?;
            sheet.write_string(row, 4, &v.group)?;
            for (k, col) in [5u16, 6, 7].into_iter().enumerate() {
                if let Some(x) = share_value(&v.shares[k]) {
                    sheet.write_number_with_format(row, col, x, &percent)?;
                }
            }
            let band = v
                .band_words
                .as_ref()
                .map(|w| w.vi.clone())
                .unwrap_or_default();
            sheet.write_string(row, 8, band)?;
            if v.band_changed {
                sheet.write_string(row, 9, "đổi mức")?;
            }
            sheet.write_string(row, 10, record.matched_by.words().vi)?;
        }
    }
    Ok(())
}

/// The sheet's row of the `k`-th record (row 0 is the titles).
fn row(k: usize) -> u32 {
    u32::try_from(k + 1).unwrap_or(u32::MAX)
}

/// The bold titles of a sheet, frozen above its rows.
fn head(
    sheet: &mut rust_xlsxwriter::Worksheet,
    titles: &[&str],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (c, t) in titles.iter().enumerate() {
        sheet.write_string_with_format(0, u16::try_from(c).unwrap_or(0), *t, &bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn units_sheet(
    book: &mut rust_xlsxwriter::Workbook,
    s: &Summary,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let sheet = book.add_worksheet().set_name("Đơn vị")?;
    head(
        sheet,
        &[
            "Đơn vị",
            "Cấp trên",
            "Hội nghị",
            "Ngày",
            "Quy định",
            "Nhóm phiếu",
            "Số cán bộ",
            "Trên 1/2 đến dưới 2/3 thấp",
            "Từ 2/3 thấp",
            "Trên 1/2 tín nhiệm cao",
            "Tệp",
        ],
    )?;
    for (r, u) in s.units.iter().enumerate() {
        let r = row(r);
        sheet.write_string(r, 0, &u.unit)?;
        sheet.write_string(r, 1, &u.superior)?;
        sheet.write_string(r, 2, &u.conference)?;
        sheet.write_string(r, 3, u.date.as_deref().unwrap_or(""))?;
        sheet.write_string(r, 4, u.profile.profile().name.vi)?;
        sheet.write_string(r, 5, u.groups.join("; "))?;
        sheet.write_number(r, 6, f64::from(u.rated))?;
        sheet.write_number(r, 7, f64::from(u.bands[0]))?;
        sheet.write_number(r, 8, f64::from(u.bands[1]))?;
        sheet.write_number(r, 9, f64::from(u.high_majority))?;
        let file = s.files.get(u.file).map(|f| f.path.display().to_string());
        sheet.write_string(r, 10, file.unwrap_or_default())?;
    }
    Ok(())
}

/// A share as printed ("53,19") as the fraction Excel stores for "53.19%" (0.5319): from
/// its digits, so that the cell shows exactly what the minutes print.
fn share_value(printed: &str) -> Option<f64> {
    let hundredths: u64 = printed.replace([',', '.'], "").parse().ok()?;
    format!("{}.{:04}", hundredths / 10_000, hundredths % 10_000)
        .parse()
        .ok()
}

fn cadre_sheet(
    book: &mut rust_xlsxwriter::Workbook,
    name: &str,
    rows: &[&CadreRow],
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let percent = rust_xlsxwriter::Format::new().set_num_format("0.00%");
    let sheet = book.add_worksheet().set_name(name)?;
    head(
        sheet,
        &[
            "Họ và tên",
            "Chức vụ",
            "Đơn vị",
            "Nhóm phiếu",
            "Quy định",
            "Cơ sở tính",
            "Tín nhiệm cao",
            "Tỉ lệ",
            "Tín nhiệm",
            "Tỉ lệ",
            "Tín nhiệm thấp",
            "Tỉ lệ",
            "Mức",
            "Hệ quả",
            "Căn cứ",
            "Bản nháp",
        ],
    )?;
    for (r, c) in rows.iter().enumerate() {
        let r = row(r);
        sheet.write_string(r, 0, &c.name)?;
        sheet.write_string(r, 1, &c.position)?;
        sheet.write_string(r, 2, &c.unit)?;
        sheet.write_string(r, 3, &c.group)?;
        sheet.write_string(r, 4, c.profile.profile().name.vi)?;
        if let Some(b) = c.base {
            sheet.write_number(r, 5, f64::from(b))?;
        }
        for (k, col) in [6u16, 8, 10].into_iter().enumerate() {
            sheet.write_number(r, col, f64::from(c.counts[k]))?;
            if let Some(v) = share_value(&c.shares[k]) {
                sheet.write_number_with_format(r, col + 1, v, &percent)?;
            }
        }
        if let Some((band, consequence, citation)) = band_words(c, Lang::Vi) {
            sheet.write_string(r, 12, band)?;
            sheet.write_string(r, 13, consequence)?;
            sheet.write_string(r, 14, citation)?;
        }
        if c.draft {
            sheet.write_string(r, 15, "BẢN NHÁP")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// A printed share becomes the exact fraction Excel shows as that percentage.
    #[test]
    fn shares_as_excel_fractions() {
        assert_eq!(super::share_value("53,19"), Some(0.5319));
        assert_eq!(super::share_value("100,00"), Some(1.0));
        assert_eq!(super::share_value("0,00"), Some(0.0));
        assert_eq!(super::share_value(""), None);
    }
}
