//! Blank ballots (the form of Phụ lục 4, QĐ 96-QĐ/TW) and a blank tally sheet (phiếu tổng hợp
//! kiểm phiếu) on which the counting committee marks strokes before typing the totals in.
//!
//! Every copy starts on a new page; exempt cadres are not on the ballot. When the group asks
//! per-criterion questions, each cadre's row (the overall question) is followed by one row per
//! criterion, and the block is kept on one page.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use super::layout::{Cell, Decorations, Fonts, Geometry, Layout, Page, Para, Style, Table, mm};
use super::render::{PdfMeta, to_pdf};
use super::{DocumentError, common};
use crate::fingerprint::fingerprint;
use crate::model::{BallotGroup, Cadre, Level, Session};
use crate::text::Lang;

/// How to print the ballots.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BallotOptions {
    /// Copies of each group's ballot; `None` prints as many as the group's voters summoned
    /// (at least one).
    pub copies: Option<u32>,
    /// The language of the labels.
    pub lang: Lang,
}

fn tr<'a>(lang: Lang, vi: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The most copies of one group's ballot printed at once: more than any conference summons
/// (Quốc hội ≈ 500), small enough that a typo cannot fill the disk.
pub const MAX_COPIES: u32 = 5000;

/// The number of copies printed for `group`: 1 to [`MAX_COPIES`].
#[must_use]
pub fn copies_for(group: &BallotGroup, options: BallotOptions) -> u32 {
    options
        .copies
        .unwrap_or_else(|| group.voters.summoned.unwrap_or(1))
        .clamp(1, MAX_COPIES)
}

/// The cadres on the ballot with their STT: their place in the group's list, exempt cadres
/// counted (one STT everywhere: the setup, the minutes, the CSV and the ballot agree).
fn on_ballot(group: &BallotGroup) -> Vec<(usize, &Cadre)> {
    group
        .cadres
        .iter()
        .enumerate()
        .filter(|(_, c)| c.exemption.is_none())
        .map(|(i, c)| (i + 1, c))
        .collect()
}

/// The ballots and the tally sheets as a PDF.
pub fn ballots_pdf(session: &Session, options: BallotOptions) -> Result<Vec<u8>, DocumentError> {
    let fonts = Fonts::load()?;
    let pages = ballot_pages(session, &fonts, options);
    let fp = fingerprint(session);
    let meta = PdfMeta {
        title: format!(
            "{} — {}",
            tr(options.lang, "Phiếu tín nhiệm", "Confidence ballots"),
            session.meta.conference
        ),
        author: session.meta.issuing_body.clone(),
        subject: tr(
            options.lang,
            "Phiếu tín nhiệm và phiếu tổng hợp kiểm phiếu (để trống)",
            "Blank ballots and tally sheets",
        )
        .to_owned(),
        keywords: vec![tr(options.lang, "phiếu tín nhiệm", "ballot").to_owned()],
        date: session.meta.date,
        id: format!("B{}", fp.to_string().chars().take(31).collect::<String>()),
    };
    to_pdf(&pages, &fonts, &meta)
}

/// The ballots laid out: for each group its copies, then its tally sheet.
#[must_use]
pub fn ballot_pages(session: &Session, fonts: &Fonts, options: BallotOptions) -> Vec<Page> {
    let mut l = Layout::new(fonts, Geometry::a4_official());
    let mut first = true;
    for group in &session.groups {
        for _ in 0..copies_for(group, options) {
            if !first {
                l.new_page();
            }
            first = false;
            ballot(&mut l, session, group, options.lang);
        }
        l.new_page();
        tally_sheet(&mut l, session, group, options.lang);
    }
    l.finish(&Decorations::default())
}

fn title(l: &mut Layout<'_>, session: &Session, group: &BallotGroup, text: &str, lang: Lang) {
    let style = session.profile.profile().document_style;
    common::header(l, session, style, lang, false);
    l.space(14.0);
    l.para(&Para::new(text, Style::Bold, 16.0).center());
    l.para(
        &Para::new(
            format!(
                "({} {})",
                tr(lang, "Lấy phiếu tín nhiệm đối với", "Confidence vote on"),
                group.name
            ),
            Style::Bold,
            14.0,
        )
        .center(),
    );
    common::short_rule(l);
    l.space(6.0);
}

fn head_rows(lang: Lang, last: &[&str]) -> Vec<Vec<Cell>> {
    let mut row = vec![
        Cell::head(tr(lang, "STT", "No.")),
        Cell::head(tr(lang, "Họ và tên", "Full name")),
        Cell::head(tr(lang, "Chức vụ", "Position")),
    ];
    row.extend(last.iter().map(Cell::head));
    vec![row]
}

/// The body rows, with `blanks` empty boxes each, and the number of rows of each cadre's
/// block (its row, then one row per criterion) to keep together.
fn name_rows(group: &BallotGroup, blanks: usize, lang: Lang) -> (Vec<Vec<Cell>>, Vec<usize>) {
    let mut rows = Vec::new();
    let mut blocks = Vec::new();
    let boxes = || std::iter::repeat_n(Cell::new(""), blanks);
    for &(stt, c) in &on_ballot(group) {
        let position = if group.criteria.is_empty() {
            c.position.clone()
        } else {
            format!(
                "{}\n({})",
                c.position,
                tr(lang, "Đánh giá chung", "Overall")
            )
        };
        let mut row = vec![
            Cell::new(stt.to_string()).center(),
            Cell::new(&c.name).bold(),
            Cell::new(position),
        ];
        row.extend(boxes());
        rows.push(row);
        for k in &group.criteria {
            let mut row = vec![
                Cell::new(""),
                Cell::new(format!(
                    "– {}: {}",
                    tr(lang, "Tiêu chí", "Criterion"),
                    k.name
                ))
                .italic()
                .span(2),
            ];
            row.extend(boxes());
            rows.push(row);
        }
        blocks.push(1 + group.criteria.len());
    }
    (rows, blocks)
}

/// Column widths: the fixed ones, the position column taking what is left, and one box per
/// label, wide enough that no word of a label (bold, in the header) has to break.
fn widths(
    fonts: &Fonts,
    labels: &[&str],
    size: f32,
    fixed: &[f32],
    min_box: f32,
    total: f32,
) -> Vec<f32> {
    let widest = labels
        .iter()
        .flat_map(|l| l.split_whitespace())
        .map(|w| fonts.width(Style::Bold, size, w) + 8.0)
        .fold(min_box, f32::max);
    let used: f32 = fixed.iter().sum::<f32>() + widest * labels.len() as f32;
    let mut v = fixed.to_vec();
    v.push((total - used).max(60.0));
    v.extend(std::iter::repeat_n(widest, labels.len()));
    v
}

/// One ballot: the table STT / name / position / three boxes, and the instruction.
fn ballot(l: &mut Layout<'_>, session: &Session, group: &BallotGroup, lang: Lang) {
    title(
        l,
        session,
        group,
        tr(lang, "PHIẾU TÍN NHIỆM", "CONFIDENCE BALLOT"),
        lang,
    );
    let labels: Vec<&str> = Level::ALL.iter().map(|lv| lv.label().get(lang)).collect();
    let (rows, blocks) = name_rows(group, 3, lang);
    let table = Table {
        widths: widths(
            l.fonts,
            &labels,
            11.0,
            &[28.0, 140.0],
            45.0,
            l.geometry.content_width(),
        ),
        header: head_rows(lang, &labels),
        rows,
        size: 11.0,
        min_row_height: 22.0,
        header_fill: 1.0,
    };
    l.table_kept(&table, &blocks);
    l.space(8.0);
    l.para(&Para::new(
        tr(
            lang,
            "Ghi chú: Ở mỗi dòng, đánh dấu (X) vào một ô duy nhất trong ba ô \"Tín nhiệm cao\", \"Tín nhiệm\", \"Tín nhiệm thấp\". Dòng không đánh dấu hoặc đánh dấu từ hai ô trở lên không hợp lệ đối với người đó. Không ghi thêm tên hoặc gạch tên trên phiếu. Người bỏ phiếu có thể ký hoặc không ký tên.",
            "Note: on each row, mark (X) exactly one of the three boxes \"High confidence\", \"Confidence\", \"Low confidence\". A row with no mark or with two or more marks is void for that person. Do not add or strike out names. Voters may sign or not.",
        ),
        Style::Italic,
        12.0,
    ));
}

/// The tally sheet: same rows, wide boxes for strokes, and the committee's figures.
fn tally_sheet(l: &mut Layout<'_>, session: &Session, group: &BallotGroup, lang: Lang) {
    title(
        l,
        session,
        group,
        tr(lang, "PHIẾU TỔNG HỢP KIỂM PHIẾU", "TALLY SHEET"),
        lang,
    );
    l.para(&Para::new(
        tr(
            lang,
            "Số phiếu phát ra: ........  Số phiếu thu về: ........  Số phiếu hợp lệ: ........  Số phiếu không hợp lệ: ........",
            "Ballots issued: ........  collected: ........  valid: ........  void: ........",
        ),
        Style::Regular,
        12.0,
    ));
    l.space(6.0);
    let mut labels: Vec<&str> = Level::ALL.iter().map(|lv| lv.label().get(lang)).collect();
    labels.push(tr(lang, "Không hợp lệ", "Void line"));
    let (rows, blocks) = name_rows(group, 4, lang);
    let table = Table {
        widths: widths(
            l.fonts,
            &labels,
            11.0,
            &[28.0, 105.0],
            58.0,
            l.geometry.content_width(),
        ),
        header: head_rows(lang, &labels),
        rows,
        size: 11.0,
        min_row_height: mm(16.0),
        header_fill: 0.92,
    };
    l.table_kept(&table, &blocks);
    l.space(14.0);
    let g = l.geometry;
    let half = g.content_width() / 2.0;
    let block = |t: &str| {
        vec![
            Para::new(t, Style::Bold, 13.0).center(),
            Para::new(
                tr(lang, "(Ký, ghi rõ họ tên)", "(Signature and name)"),
                Style::Italic,
                12.0,
            )
            .center(),
        ]
    };
    l.columns(&[
        (
            g.left,
            half,
            block(tr(lang, "NGƯỜI GHI PHIẾU", "RECORDED BY")),
        ),
        (
            g.left + half,
            half,
            block(tr(lang, "NGƯỜI KIỂM TRA", "CHECKED BY")),
        ),
    ]);
}
