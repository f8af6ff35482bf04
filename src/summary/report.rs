//! The summary as a PDF report in the minutes' document style (issue 25 §2): the compiling
//! body and the date, the title, the totals, a table of the units, one of the cadres, the
//! cadres whose band carries a consequence with the article, the files left out and why,
//! the compiler's signature block, page numbers, and as an annex every file read with its
//! fingerprint and status.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use super::output::band_words;
use super::{Status, Summary};
use crate::documents::DocumentError;
use crate::documents::layout::{Cell, Decorations, Fit, Fonts, Layout, Para, Style, Table};
use crate::documents::render::{PdfMeta, Printing, to_pdf as render_pdf};
use crate::model::Date;
use crate::rules::DocumentStyle;
use crate::text::Lang;

/// Text size of the body.
const BODY: f32 = 13.0;
/// Text size of the tables.
const SMALL: f32 = 10.0;

/// Who compiles the report, for its header and signature block.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportInfo {
    /// The compiling body ("BAN TỔ CHỨC TỈNH ỦY …").
    pub body: String,
    /// Who compiled it (signs the report).
    pub compiler: String,
    /// The report's date.
    pub date: Option<Date>,
}

/// The report as PDF bytes (PDF/A-2b, as the minutes: it is kept).
///
/// # Errors
/// [`DocumentError`] when a text has a letter the fonts cannot print, or the PDF cannot be
/// written.
pub fn to_pdf(s: &Summary, info: &ReportInfo) -> Result<Vec<u8>, DocumentError> {
    let fonts = Fonts::load()?;
    let pages = pages(s, info, &fonts);
    let meta = PdfMeta {
        title: "Báo cáo tổng hợp kết quả lấy phiếu tín nhiệm".to_owned(),
        author: info.body.clone(),
        subject: format!("{} đơn vị, {} cán bộ", s.totals().units, s.totals().rated),
        keywords: vec!["tổng hợp".to_owned(), "lấy phiếu tín nhiệm".to_owned()],
        date: info.date,
        id: crate::encode::hex(
            &<sha2::Sha256 as sha2::Digest>::digest(super::output::to_json(s).as_bytes())[..16],
        ),
        printing: Printing::OneSidedFullSize,
        lang: Lang::Vi,
        archival: true,
    };
    render_pdf(&pages, &fonts, &meta)
}

/// The report's style: the state's when every unit counted voted under a state profile,
/// else the party's.
fn style(s: &Summary) -> DocumentStyle {
    let state = !s.units.is_empty()
        && s.units
            .iter()
            .all(|u| u.profile.profile().document_style == DocumentStyle::State);
    if state {
        DocumentStyle::State
    } else {
        DocumentStyle::Party
    }
}

fn pages(s: &Summary, info: &ReportInfo, fonts: &Fonts) -> Vec<crate::documents::layout::Page> {
    let mut l = Layout::new(fonts, crate::documents::layout::Geometry::a4_official());
    header(&mut l, s, info);
    l.space(BODY);
    l.para(
        &Para::new(
            "BÁO CÁO TỔNG HỢP KẾT QUẢ LẤY PHIẾU TÍN NHIỆM",
            Style::Bold,
            15.0,
        )
        .center(),
    );
    crate::documents::common::short_rule(&mut l);
    l.space(BODY * 0.5);
    let t = s.totals();
    let para = |l: &mut Layout<'_>, text: String| {
        l.para(&Para::new(text, Style::Regular, BODY).indent(28.0));
    };
    para(
        &mut l,
        format!(
            "Tổng hợp từ {} tệp đọc được: {} đơn vị được tính, {} cán bộ được lấy phiếu tín nhiệm{}.",
            s.files.len(),
            t.units,
            t.rated,
            if s.drafts_included {
                " (có tính cả phiên chưa chốt, được ghi \"BẢN NHÁP\")"
            } else {
                ""
            }
        ),
    );
    para(
        &mut l,
        format!(
            "Số cán bộ có trên 1/2 số phiếu tín nhiệm cao: {}; có trên 1/2 đến dưới 2/3 số phiếu tín nhiệm thấp: {}; có từ 2/3 trở lên số phiếu tín nhiệm thấp: {}.",
            t.high_majority, t.band_a, t.band_b
        ),
    );
    if t.left_out > 0 {
        para(
            &mut l,
            format!(
                "Có {} tệp không được tính (xem mục IV và Phụ lục).",
                t.left_out
            ),
        );
    }
    heading(&mut l, "I. KẾT QUẢ THEO ĐƠN VỊ");
    units_table(&mut l, s);
    heading(&mut l, "II. KẾT QUẢ TỪNG CÁN BỘ");
    cadres_table(&mut l, s, &s.cadres.iter().collect::<Vec<_>>());
    heading(
        &mut l,
        "III. CÁN BỘ THUỘC TRƯỜNG HỢP CÓ HỆ QUẢ THEO QUY ĐỊNH",
    );
    let consequences = s.consequences();
    if consequences.is_empty() {
        para(&mut l, "Không có.".to_owned());
    }
    for c in consequences {
        if let Some((band, consequence, citation)) = band_words(c, Lang::Vi) {
            para(
                &mut l,
                format!(
                    "- {} ({}, {}): {band}. {consequence} ({citation}).",
                    c.name, c.position, c.unit
                ),
            );
        }
    }
    heading(&mut l, "IV. TỆP KHÔNG ĐƯỢC TÍNH");
    let left: Vec<_> = s
        .files
        .iter()
        .filter(|f| {
            !f.status.counts(s.drafts_included)
                && !matches!(f.status, Status::Minutes { .. } | Status::Skipped { .. })
        })
        .collect();
    if left.is_empty() {
        para(&mut l, "Không có.".to_owned());
    }
    for f in left {
        let reason = f
            .status
            .reason()
            .map(|r| format!(": {}", r.vi))
            .unwrap_or_default();
        para(
            &mut l,
            format!("- {} — {}{reason}.", f.path.display(), f.status.words().vi),
        );
    }
    signature(&mut l, info);
    annex(&mut l, s);
    l.finish(&Decorations {
        footer: Some("Báo cáo tổng hợp lấy phiếu tín nhiệm (tinnhiem)".to_owned()),
        page_numbers: true,
        ..Decorations::default()
    })
}

/// "2023-12-15" as a Vietnamese reader writes it, "15/12/2023".
fn day_month_year(iso: &str) -> String {
    match iso.split('-').collect::<Vec<_>>()[..] {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

fn heading(l: &mut Layout<'_>, text: &str) {
    l.space(BODY * 0.6);
    l.para(&Para::new(text, Style::Bold, BODY).keep_with_next());
}

/// The compiling body left, the party's or the state's title and the date right.
fn header(l: &mut Layout<'_>, s: &Summary, info: &ReportInfo) {
    let g = l.geometry;
    let half = g.content_width() / 2.0;
    let titles: &[&str] = match style(s) {
        DocumentStyle::Party => &["ĐẢNG CỘNG SẢN VIỆT NAM"],
        DocumentStyle::State => &[
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
        ],
    };
    let body = if info.body.trim().is_empty() {
        "………………………………".to_owned()
    } else {
        info.body.to_uppercase()
    };
    let left = vec![
        Para::new(body, Style::Bold, BODY).center(),
        Para::new("*", Style::Regular, BODY).center(),
    ];
    let mut right: Vec<Para> = titles
        .iter()
        .map(|t| Para::new(*t, Style::Bold, BODY).center())
        .collect();
    right.push(
        Para::new(
            info.date.map_or_else(
                || "ngày …… tháng …… năm ……".to_owned(),
                |d| d.vietnamese_long(),
            ),
            Style::Italic,
            BODY,
        )
        .center(),
    );
    l.columns(&[(g.left, half, left), (g.left + half, half, right)]);
}

fn table(l: &mut Layout<'_>, head: &[&str], rows: Vec<Vec<Cell>>, fits: &[Fit]) {
    let mut t = Table {
        widths: Vec::new(),
        header: vec![head.iter().map(|h| Cell::head(*h)).collect()],
        rows,
        size: SMALL,
        min_row_height: 0.0,
        header_fill: 0.9,
    };
    let width = l.geometry.content_width();
    t.fit(l.fonts, fits, width);
    l.table(&t);
}

fn units_table(l: &mut Layout<'_>, s: &Summary) {
    let rows = s
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            vec![
                Cell::new((i + 1).to_string()).center(),
                Cell::new(&u.unit),
                Cell::new(
                    u.date
                        .as_deref()
                        .map_or_else(|| "—".to_owned(), day_month_year),
                )
                .center(),
                Cell::new(u.rated.to_string()).center(),
                Cell::new(u.high_majority.to_string()).center(),
                Cell::new(u.bands[0].to_string()).center(),
                Cell::new(u.bands[1].to_string()).center(),
            ]
        })
        .collect();
    table(
        l,
        &[
            "STT",
            "Đơn vị",
            "Ngày",
            "Số cán bộ",
            "Trên 1/2 cao",
            "Trên 1/2 đến dưới 2/3 thấp",
            "Từ 2/3 thấp",
        ],
        rows,
        &[
            Fit::Natural,
            Fit::Rest(120.0),
            Fit::Natural,
            Fit::Wrap(50.0),
            Fit::Wrap(50.0),
            Fit::Wrap(70.0),
            Fit::Wrap(50.0),
        ],
    );
}

fn cadres_table(l: &mut Layout<'_>, s: &Summary, cadres: &[&super::CadreRow]) {
    let rows = cadres
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let band = band_words(c, Lang::Vi).map(|w| w.0).unwrap_or_default();
            let name = if c.draft {
                format!("{} (BẢN NHÁP)", c.name)
            } else {
                c.name.clone()
            };
            vec![
                Cell::new((i + 1).to_string()).center(),
                Cell::new(name),
                Cell::new(&c.position),
                Cell::new(&c.unit),
                Cell::new(format!("{}%", c.shares[0])).center(),
                Cell::new(format!("{}%", c.shares[1])).center(),
                Cell::new(format!("{}%", c.shares[2])).center(),
                Cell::new(band),
            ]
        })
        .collect();
    let _ = s;
    table(
        l,
        &[
            "STT",
            "Họ và tên",
            "Chức vụ",
            "Đơn vị",
            "Cao",
            "Tín nhiệm",
            "Thấp",
            "Mức",
        ],
        rows,
        &[
            Fit::Natural,
            Fit::Rest(80.0),
            Fit::Rest(60.0),
            Fit::Rest(60.0),
            Fit::Natural,
            Fit::Natural,
            Fit::Natural,
            Fit::Wrap(60.0),
        ],
    );
}

/// Room to sign in above the compiler's name, in points.
const SIGN_GAP: f32 = BODY * 4.5;

/// The compiler's block, right: "NGƯỜI TỔNG HỢP", "(Ký, ghi rõ họ tên)", room, the name; in
/// the room a signature field naming the compiler, so that the report is signed digitally as
/// the minutes are (`tinnhiem sign`; issue 24 §2).
fn signature(l: &mut Layout<'_>, info: &ReportInfo) {
    let g = l.geometry;
    let half = g.content_width() / 2.0;
    l.space(BODY);
    let block = vec![
        Para::new("NGƯỜI TỔNG HỢP", Style::Bold, BODY).center(),
        Para::new("(Ký, ghi rõ họ tên)", Style::Italic, BODY).center(),
        Para::new(" ", Style::Regular, SIGN_GAP / 1.22),
        Para::new(
            if info.compiler.trim().is_empty() {
                "……………………"
            } else {
                info.compiler.trim()
            },
            Style::Bold,
            BODY,
        )
        .center(),
    ];
    l.columns(&[(g.left + half, half, block)]);
    let room = l.y() + crate::documents::layout::line_height(BODY);
    l.push_item(crate::documents::layout::Item::SignatureField {
        name: "Người tổng hợp".to_owned(),
        person: info.compiler.trim().to_owned(),
        x: g.left + half + half * 0.1,
        y: room + 2.0,
        w: half * 0.8,
        h: SIGN_GAP - 4.0,
    });
}

/// The annex: every file read, its status, reason and fingerprint.
fn annex(l: &mut Layout<'_>, s: &Summary) {
    l.new_page();
    l.para(&Para::new("PHỤ LỤC: CÁC TỆP ĐÃ ĐỌC", Style::Bold, BODY).center());
    l.space(BODY * 0.5);
    let rows = s
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let reason = f.status.reason().map(|r| r.vi).unwrap_or_default();
            let status = if reason.is_empty() {
                f.status.words().vi
            } else {
                format!("{}: {reason}", f.status.words().vi)
            };
            vec![
                Cell::new((i + 1).to_string()).center(),
                Cell::new(f.path.display().to_string()),
                Cell::new(status),
                Cell::new(
                    f.fingerprint
                        .as_deref()
                        .or(f.sha256.as_deref())
                        .map(|h| h.chars().take(16).collect::<String>())
                        .unwrap_or_default(),
                ),
            ]
        })
        .collect();
    table(
        l,
        &["STT", "Tệp", "Tình trạng", "Mã kiểm tra"],
        rows,
        &[
            Fit::Natural,
            Fit::Rest(150.0),
            Fit::Rest(120.0),
            Fit::Natural,
        ],
    );
}
