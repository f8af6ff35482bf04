//! Blank ballots (the form of Phụ lục 4, QĐ 96-QĐ/TW) and a blank tally sheet (phiếu tổng hợp
//! kiểm phiếu) on which the counting committee marks strokes before typing the totals in.
//!
//! Exempt cadres are not on the ballot. When the group asks per-criterion questions, each
//! cadre's row (the overall question) is followed by one row per criterion, and the block is
//! kept on one page.
//!
//! How copies go on paper (A4 pages):
//! - A ballot that fits half an A4 sheet, with the very same fonts, header and instructions,
//!   is printed two to a sheet, one above the other, with a dashed cut line between them: 30
//!   voters take 15 sheets, not 30. A copy never shares a sheet with another group's.
//!   Quarters (A6) are never used: the ballot's table needs about 128 mm at its narrowest
//!   (measured in the tests), more than an A6 sheet is wide.
//! - Otherwise each copy starts on a new page. A copy of more than one page starts on an odd
//!   page and its page count is made even with a blank page after it, so that printing on
//!   both sides never puts the start of a copy on the back of another; the tally sheet is
//!   treated the same way. The padding page is left truly blank: the back of a ballot carries
//!   nothing that is not the form, and the running head already says how many pages a copy has.
//! - Every page says in its top margin what it is, which group, and "trang k/n" counted
//!   within its copy (or its tally sheet). Copies are not numbered: the ballot is secret.
//! - The tally sheet stays one to a page (A4).
//! - Every copy is the same page printed again, laid out and drawn once ([`Printout`]): the
//!   PDF's size and the memory hardly grow with the copies. At most [`MAX_PAGES`] pages.
//! - Before anything is laid out, the texts are checked as `tinnhiem check` checks them
//!   (E003, E004): the ballots refuse what every document refuses.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use super::layout::{
    A4_HEIGHT, A4_WIDTH, Cell, Decorations, Fonts, Geometry, Item, Layout, Page, Para, Printout,
    RunningHead, Style, Table, mm, qr_runs,
};
use super::render::{PdfMeta, Printing, printout_pdf};
use super::{DocumentError, common};
use crate::fingerprint::fingerprint;
use crate::model::{BallotGroup, Cadre, Level, Session};
use crate::text::{Lang, Message};

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

/// Half an A4 sheet (the upper or lower half, A5 lying down) with the ballot's side margins,
/// so its table is exactly as wide as on a whole page; top and bottom margins leave room for
/// the running head and keep the content clear of the cut.
#[must_use]
pub fn half_a4() -> Geometry {
    Geometry {
        height: A4_HEIGHT / 2.0,
        top: mm(16.0),
        bottom: mm(10.0),
        ..Geometry::a4_official()
    }
}

/// How one group's ballots and tally sheet go on paper, to say before printing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSheets {
    /// The group's name.
    pub group: String,
    /// Copies of its ballot.
    pub copies: u32,
    /// Copies on one A4 sheet: 2 (cut in half) or 1.
    pub per_sheet: usize,
    /// Pages of one copy (1 when two share a sheet).
    pub pages_per_copy: usize,
    /// PDF pages of the ballots, blank backs included.
    pub ballot_pages: usize,
    /// Pages of the tally sheet.
    pub tally_pages: usize,
    /// PDF pages of the group in all: ballots, tally sheet and the blank pages between.
    pub pages: usize,
}

/// What the ballots PDF holds, group by group.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BallotCount {
    /// Each group in turn.
    pub groups: Vec<GroupSheets>,
}

impl BallotCount {
    /// A4 pages of the whole PDF.
    #[must_use]
    pub fn pages(&self) -> usize {
        self.groups.iter().map(|g| g.pages).sum()
    }

    /// One line per group and the total, for the CLI and the app.
    #[must_use]
    pub fn summary(&self, lang: Lang) -> String {
        let mut out = match lang {
            Lang::Vi => format!("{} trang A4:", self.pages()),
            Lang::En => format!("{} A4 pages:", self.pages()),
        };
        for g in &self.groups {
            let ballots = match (lang, g.per_sheet, g.pages_per_copy) {
                (Lang::Vi, 2, _) => format!(
                    "{} phiếu, 2 phiếu một tờ (cắt đôi): {} tờ",
                    g.copies, g.ballot_pages
                ),
                (Lang::En, 2, _) => format!(
                    "{} ballots, 2 to a sheet (cut in half): {} sheets",
                    g.copies, g.ballot_pages
                ),
                (Lang::Vi, _, 1) => format!("{} phiếu, mỗi phiếu 1 trang", g.copies),
                (Lang::En, _, 1) => format!("{} ballots, 1 page each", g.copies),
                (Lang::Vi, _, k) => format!(
                    "{} phiếu, mỗi phiếu {k} trang: {} trang (kể cả trang trắng để in hai mặt)",
                    g.copies, g.ballot_pages
                ),
                (Lang::En, _, k) => format!(
                    "{} ballots of {k} pages: {} pages (blank pages included for two-sided printing)",
                    g.copies, g.ballot_pages
                ),
            };
            let tally = match lang {
                Lang::Vi => format!("phiếu tổng hợp {} trang", g.tally_pages),
                Lang::En if g.tally_pages == 1 => "tally sheet 1 page".to_owned(),
                Lang::En => format!("tally sheet {} pages", g.tally_pages),
            };
            out.push_str(&format!("\n- {}: {ballots}; {tally}", g.group));
        }
        out
    }
}

/// The ballots and the tally sheets as a PDF.
///
/// # Errors
///
/// As [`ballots_pdf_counted`].
pub fn ballots_pdf(session: &Session, options: BallotOptions) -> Result<Vec<u8>, DocumentError> {
    ballots_pdf_counted(session, options).map(|(pdf, _)| pdf)
}

/// [`ballots_pdf`] and what it holds (to say how many pages were written).
///
/// # Errors
///
/// [`DocumentError::SealBroken`] for a final session that no longer matches its seal,
/// [`DocumentError::Invalid`] for texts too long to lay out or unprintable (E004, E003),
/// [`DocumentError::TooManyPages`] past the ceiling, [`DocumentError::Font`] or
/// [`DocumentError::Pdf`] if the embedded fonts or the PDF writer fail (a broken build, not the
/// session).
pub fn ballots_pdf_counted(
    session: &Session,
    options: BallotOptions,
) -> Result<(Vec<u8>, BallotCount), DocumentError> {
    let fonts = Fonts::load()?;
    let (printout, count) = printout(plans(session, &fonts, options)?);
    let fp = fingerprint(session);
    let meta = PdfMeta {
        title: format!(
            "{} - {}",
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
        printing: Printing::OneSidedFullSize,
        lang: options.lang,
        archival: false,
    };
    Ok((printout_pdf(&printout, &fonts, &meta)?, count))
}

/// What [`ballots_pdf`] would hold, without writing it: one copy of each group laid out
/// (cheap enough to show in the app before exporting); the same refusals.
///
/// # Errors
///
/// As [`ballots_pdf_counted`], without the PDF writer's.
pub fn ballot_count(
    session: &Session,
    options: BallotOptions,
) -> Result<BallotCount, DocumentError> {
    let fonts = Fonts::load()?;
    let groups = plans(session, &fonts, options)?
        .into_iter()
        .map(|plan| plan.count)
        .collect();
    Ok(BallotCount { groups })
}

/// The most A4 pages one ballots PDF holds: 200 reams of paper. Twenty groups of 5,000
/// copies two to a sheet fit (50,020 pages); more is a typo or a hand-made file, and would
/// only grow the page tree and the memory (about 3 KB a page, 280 MB at the limit:
/// docs/documents.md, "Blank ballots").
pub const MAX_PAGES: usize = 100_000;

/// Each group's copy and tally sheet laid out, once the session passes what every ballots
/// PDF is checked for first, in the CLI and the app alike: no text that the documents refuse
/// (E003, E004: the findings of `tinnhiem check`, by the one rule of [`crate::validate`]), and
/// at most [`MAX_PAGES`] pages.
fn plans(
    session: &Session,
    fonts: &Fonts,
    options: BallotOptions,
) -> Result<Vec<GroupPlan>, DocumentError> {
    let findings = crate::validate::text_findings(session);
    if findings.has_errors() {
        return Err(DocumentError::Invalid {
            what: Message::new("phiếu", "ballots"),
            findings,
        });
    }
    let over = |pages: usize| {
        if pages > MAX_PAGES {
            Err(DocumentError::TooManyPages {
                pages,
                max: MAX_PAGES,
            })
        } else {
            Ok(())
        }
    };
    // Before laying anything out: every group takes a sheet for two copies and a page for
    // its tally sheet, at least.
    over(
        session
            .groups
            .iter()
            .map(|g| usize::try_from(copies_for(g, options)).map_or(usize::MAX, |n| n.div_ceil(2)))
            .fold(session.groups.len(), usize::saturating_add),
    )?;
    let mut pages: usize = 0;
    let mut plans = Vec::with_capacity(session.groups.len());
    for index in 0..session.groups.len() {
        let plan = group_plan(session, index, fonts, options);
        pages = pages.saturating_add(plan.count.pages);
        over(pages)?;
        plans.push(plan);
    }
    Ok(plans)
}

/// The ballots laid out: for each group its copies, then its tally sheet. Each distinct page
/// is laid out once: the copies print it again and again ([`Printout`]).
#[must_use]
pub fn ballot_pages(session: &Session, fonts: &Fonts, options: BallotOptions) -> Printout {
    ballot_layout(session, fonts, options).0
}

/// [`ballot_pages`] and what they hold.
#[must_use]
pub fn ballot_layout(
    session: &Session,
    fonts: &Fonts,
    options: BallotOptions,
) -> (Printout, BallotCount) {
    let plans = (0..session.groups.len())
        .map(|index| group_plan(session, index, fonts, options))
        .collect();
    printout(plans)
}

/// The groups' plans put on paper, group after group: its copies, then its tally sheet.
fn printout(plans: Vec<GroupPlan>) -> (Printout, BallotCount) {
    let mut out = Printout::default();
    let mut blank = None;
    let mut groups = Vec::with_capacity(plans.len());
    for plan in plans {
        let before = out.len();
        let copies = usize::try_from(plan.count.copies).unwrap_or(1);
        if plan.count.per_sheet == 2 {
            let ballot = plan.copy.first().cloned().unwrap_or_default();
            let both = out.add(two_up(&ballot, true));
            for _ in 0..copies / 2 {
                out.print(both);
            }
            if copies % 2 == 1 {
                let one = out.add(two_up(&ballot, false));
                out.print(one);
            }
        } else {
            let copy: Vec<usize> = plan.copy.into_iter().map(|p| out.add(p)).collect();
            for _ in 0..copies {
                push_unit(&mut out, &copy, &mut blank);
            }
        }
        let tally: Vec<usize> = plan.tally.into_iter().map(|p| out.add(p)).collect();
        push_unit(&mut out, &tally, &mut blank);
        debug_assert_eq!(out.len() - before, plan.count.pages);
        groups.push(plan.count);
    }
    (out, BallotCount { groups })
}

/// One group's copy and tally sheet laid out once, and how they go on paper.
struct GroupPlan {
    /// The pages of one copy (one half-sheet page when two share a sheet).
    copy: Vec<Page>,
    /// The paper one page of a copy is laid out on: a half sheet or a whole A4 page.
    sheet: Geometry,
    /// The form's fingerprint ([`layout_id`]), when a scanner reads the group's ballots.
    form_id: Option<String>,
    tally: Vec<Page>,
    count: GroupSheets,
}

fn group_plan(session: &Session, index: usize, fonts: &Fonts, options: BallotOptions) -> GroupPlan {
    let group = &session.groups[index];
    let lang = options.lang;
    let copies = copies_for(group, options);
    let what = tr(lang, "Phiếu tín nhiệm", "Confidence ballot");
    let copy_on = |geometry: Geometry| {
        let mut pages = laid_out(fonts, geometry, group, what, lang, |l| {
            ballot(l, session, group, lang);
        });
        let id = group.scan_form.then(|| layout_id(&pages, lang));
        if let Some(id) = &id {
            add_scan_marks(&mut pages, geometry, id, index, lang);
        }
        (pages, id)
    };
    let (half, half_id) = copy_on(half_a4());
    let (copy, per_sheet, sheet, form_id) = if half.len() == 1 {
        (half, 2, half_a4(), half_id)
    } else {
        let full = Geometry::a4_official();
        let (pages, id) = copy_on(full);
        (pages, 1, full, id)
    };
    let what = tr(lang, "Phiếu tổng hợp kiểm phiếu", "Tally sheet");
    let tally = laid_out(fonts, Geometry::a4_official(), group, what, lang, |l| {
        tally_sheet(l, session, group, lang);
    });
    // The page count, by the same rules as [`ballot_layout`] placing the pages.
    let n = usize::try_from(copies).unwrap_or(1);
    let mut pages = 0;
    let ballot_pages = if per_sheet == 2 {
        pages += n.div_ceil(2);
        pages
    } else {
        for _ in 0..n {
            pages = unit_end(pages, copy.len());
        }
        pages
    };
    pages = unit_end(pages, tally.len());
    GroupPlan {
        sheet,
        form_id,
        count: GroupSheets {
            group: group.name.clone(),
            copies,
            per_sheet,
            pages_per_copy: copy.len(),
            ballot_pages,
            tally_pages: tally.len(),
            pages,
        },
        copy,
        tally,
    }
}

/// One document (a ballot copy or a tally sheet) laid out on its own pages, each with the
/// running head "what - group - trang k/n".
fn laid_out(
    fonts: &Fonts,
    geometry: Geometry,
    group: &BallotGroup,
    what: &str,
    lang: Lang,
    content: impl FnOnce(&mut Layout<'_>),
) -> Vec<Page> {
    let mut l = Layout::new(fonts, geometry);
    content(&mut l);
    l.finish(&Decorations {
        running_head: Some(RunningHead {
            text: format!("{what} - {}", group.name),
            page: tr(lang, "trang", "page").to_owned(),
        }),
        ..Decorations::default()
    })
}

/// The page count after a document of `len` pages is appended to `at` pages: one of more
/// than one page starts on an odd page and ends on an even one (blank pages added), so that
/// two-sided printing never starts it on the back of the one before.
fn unit_end(at: usize, len: usize) -> usize {
    if len <= 1 {
        at + len
    } else {
        at.next_multiple_of(2) + len.next_multiple_of(2)
    }
}

/// Prints a document (its distinct pages `unit`) by the rule of [`unit_end`]; the blank page
/// that pads it is added to `out` once, the first time one is needed.
fn push_unit(out: &mut Printout, unit: &[usize], blank: &mut Option<usize>) {
    let end = unit_end(out.len(), unit.len());
    let mut pad = |out: &mut Printout| {
        let page = *blank.get_or_insert_with(|| out.add(Page::default()));
        out.print(page);
    };
    if unit.len() > 1 && out.len() % 2 == 1 {
        pad(out);
    }
    for &page in unit {
        out.print(page);
    }
    while out.len() < end {
        pad(out);
    }
}

/// An A4 sheet with `ballot` (laid out on [`half_a4`]) on its upper half and, if `second`,
/// again on its lower half, and a dashed cut line across the middle.
fn two_up(ballot: &Page, second: bool) -> Page {
    let mid = A4_HEIGHT / 2.0;
    let mut items: Vec<Item> = ballot.items.iter().map(|i| i.shifted(mid)).collect();
    if second {
        items.extend(ballot.items.iter().cloned());
    }
    items.extend(cut_line(mid));
    Page { items }
}

/// A dashed line across the paper at `y`, from edge to edge within the 5 mm printers leave
/// blank: 4 pt dashes, 4 pt gaps, thin enough not to be taken for a rule of the form.
fn cut_line(y: f32) -> Vec<Item> {
    let (dash, gap) = (4.0, 4.0);
    let end = A4_WIDTH - mm(5.0);
    let mut x1 = mm(5.0);
    let mut dashes = Vec::new();
    while x1 < end {
        dashes.push(Item::Line {
            x1,
            y1: y,
            x2: (x1 + dash).min(end),
            y2: y,
            width: 0.4,
        });
        x1 += dash + gap;
    }
    dashes
}

/// The layout version of the ballots a scanner reads, written in every form's QR code: a
/// reader refuses a form of a layout it does not know rather than look for boxes in the
/// wrong places. Bump it with any change of where the marks, the code or the boxes go.
///
/// What a scanner needs is printed on each page of such a ballot, and nothing else: four
/// solid corner marks to find the page by, a QR code that names the form, and a square box
/// for each mark. **Every copy of a group's ballot is identical, pixel for pixel**: the code
/// names the form (the vote, the group, the page of the copy, the layout), never the copy. No
/// serial number and no per-copy mark of any kind, so that no sheet can be traced to a voter:
/// the ballot is secret (QĐ 96-QĐ/TW Điều 6). A test renders two copies and compares them.
pub const SCAN_LAYOUT: u32 = 1;

/// The side of a box for a mark, 7 mm: room for an X or a tick by hand (issue 23 asks 6–8
/// mm), inside a row at least 30 pt high so that the box keeps 1.8 mm clear of the grid.
pub const MARK_BOX_MM: f32 = 7.0;

/// The least height of a ballot row when a scanner reads it: 30 pt, 10.6 mm.
const SCAN_ROW: f32 = 30.0;

/// The side of the solid corner marks: 5 mm, 30 pixels at 150 dpi, and smaller than the QR
/// code's finder patterns are not: those are hollow, the marks solid.
pub const CORNER_MARK_MM: f32 = 5.0;

/// The corner marks' centres from the sheet's left and right edges: in the side margins (30
/// and 15 mm), outside the table and the running head, and 7.5 mm or more from the paper's
/// edge, which printers leave blank for 5 mm.
const CORNER_X_MM: (f32, f32) = (12.5, 10.0);

/// The corner marks' centres from the sheet's top and bottom edges.
const CORNER_Y_MM: f32 = 10.5;

/// The form's QR code: a 20 mm symbol in the left margin, under the top-left mark, its quiet
/// zone clear of the mark and of the table (which starts 30 mm from the edge).
const FORM_QR: (f32, f32, f32) = (6.0, 18.0, 20.0);

/// A box for a mark on a scanned form, in points on its sheet (y up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarkSquare {
    /// Left.
    pub x: f32,
    /// Bottom.
    pub y: f32,
    /// Side.
    pub side: f32,
}

/// One line of a scanned form: its three boxes, in the order of [`Level::ALL`].
#[derive(Debug, Clone, PartialEq)]
pub struct ScanLine {
    /// The line's index in the ballot's printed order, as [`crate::counting::BallotCounter`]
    /// numbers its lines.
    pub line: usize,
    /// The cadre's STT, as printed.
    pub stt: usize,
    /// 0 for the overall question, k + 1 for criterion k.
    pub question: usize,
    /// Tín nhiệm cao, tín nhiệm, tín nhiệm thấp.
    pub boxes: [MarkSquare; 3],
}

/// One page of a scanned form, on its sheet (a half or a whole A4 page), in points, y up.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanPage {
    /// The sheet's width.
    pub width: f32,
    /// The sheet's height.
    pub height: f32,
    /// The corner marks' centres: top left, top right, bottom right, bottom left.
    pub marks: [(f32, f32); 4],
    /// The corner marks' side.
    pub mark_side: f32,
    /// The QR symbol: left, bottom, side.
    pub qr: (f32, f32, f32),
    /// What the QR code says.
    pub tag: FormTag,
    /// The lines on this page.
    pub lines: Vec<ScanLine>,
}

/// A group's ballot as a scanner reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanForm {
    /// The group, as an index into the session.
    pub group: usize,
    /// The pages of one copy.
    pub pages: Vec<ScanPage>,
}

/// What a form's QR code says: `TNP1 7F3A9C21 N1 T1/2 VI` (QR alphanumeric mode, 25
/// modules). Parsed back by [`FormTag::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormTag {
    /// [`SCAN_LAYOUT`] of the build that printed it.
    pub layout: u32,
    /// The form's fingerprint (its laid-out pages' SHA-256, 8 hex digits).
    pub id: String,
    /// The group, counted from 1 as the screens count.
    pub group: usize,
    /// The page within the copy, from 1.
    pub page: usize,
    /// The pages of a copy.
    pub pages: usize,
    /// The language of the labels.
    pub lang: Lang,
}

impl std::fmt::Display for FormTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lang = match self.lang {
            Lang::Vi => "VI",
            Lang::En => "EN",
        };
        write!(
            f,
            "TNP{} {} N{} T{}/{} {lang}",
            self.layout, self.id, self.group, self.page, self.pages
        )
    }
}

impl FormTag {
    /// The tag a QR code holds, if it is one of tinnhiem's ballot forms (of any layout).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let mut words = text.split(' ');
        let layout = words.next()?.strip_prefix("TNP")?.parse().ok()?;
        let id = words.next()?;
        if id.len() != 8 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let group = words.next()?.strip_prefix('N')?.parse().ok()?;
        let (page, pages) = words.next()?.strip_prefix('T')?.split_once('/')?;
        let lang = match words.next()? {
            "VI" => Lang::Vi,
            "EN" => Lang::En,
            _ => return None,
        };
        if words.next().is_some() {
            return None;
        }
        Some(Self {
            layout,
            id: id.to_owned(),
            group,
            page: page.parse().ok()?,
            pages: pages.parse().ok()?,
            lang,
        })
    }
}

/// A form's fingerprint: the first 8 hex digits of SHA-256 over the copy's pages as laid out
/// (every text, line and box with its place), the layout version and the language, before
/// the marks and the code are added. Whatever moves a box or changes a name (a body's name
/// that wraps to two lines, another profile's header, a cadre added, moved or renamed) gives
/// another id, and sheets printed before are refused rather than read in the wrong places.
/// Not the session's fingerprint, which changes with every count typed: a ballot printed
/// before the count must still be recognised.
fn layout_id(pages: &[Page], lang: Lang) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(format!("tinnhiem ballot form\0{SCAN_LAYOUT}\0{lang:?}\0").as_bytes());
    for page in pages {
        // Debug writes every item and number the same way in every run of a build.
        h.update(format!("{:?}\0", page.items).as_bytes());
    }
    h.finalize()
        .iter()
        .take(4)
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// Adds the corner marks and the QR code to each page of a copy laid out on `sheet`.
fn add_scan_marks(pages: &mut [Page], sheet: Geometry, id: &str, group: usize, lang: Lang) {
    let n = pages.len();
    for (k, page) in pages.iter_mut().enumerate() {
        let tag = FormTag {
            layout: SCAN_LAYOUT,
            id: id.to_owned(),
            group: group + 1,
            page: k + 1,
            pages: n,
            lang,
        };
        let side = mm(CORNER_MARK_MM);
        for (cx, cy) in corner_centres(sheet) {
            page.items.push(Item::Rect {
                x: cx - side / 2.0,
                y: cy - side / 2.0,
                w: side,
                h: side,
                fill: Some(0.0),
                stroke: false,
            });
        }
        if let Some((modules, runs)) = qr_runs(&tag.to_string()) {
            let (x, top, symbol) = FORM_QR;
            page.items.push(Item::Qr {
                x: mm(x),
                y_top: sheet.height - mm(top),
                module: mm(symbol) / modules as f32,
                runs,
            });
        }
    }
}

/// The corner marks' centres on `sheet`: top left, top right, bottom right, bottom left.
fn corner_centres(sheet: Geometry) -> [(f32, f32); 4] {
    let (left, right) = (mm(CORNER_X_MM.0), sheet.width - mm(CORNER_X_MM.1));
    let (top, bottom) = (sheet.height - mm(CORNER_Y_MM), mm(CORNER_Y_MM));
    [(left, top), (right, top), (right, bottom), (left, bottom)]
}

/// The forms a scanner reads: each group printed for one ([`BallotGroup::scan_form`]), as
/// [`ballots_pdf`] lays it out in `lang`. The reader finds each line's boxes here, from the
/// very layout that printed them.
#[must_use]
pub fn scan_forms(session: &Session, fonts: &Fonts, lang: Lang) -> Vec<ScanForm> {
    let options = BallotOptions {
        copies: Some(1),
        lang,
    };
    (0..session.groups.len())
        .filter(|&g| session.groups[g].scan_form)
        .filter_map(|g| scan_form(session, g, &group_plan(session, g, fonts, options), lang))
        .collect()
}

/// A copy's pages as a form: each page's marks, code and boxes; `None` if the boxes do not
/// come three to a line of the ballot (never seen; the reader then refuses the group rather
/// than guess).
fn scan_form(session: &Session, index: usize, plan: &GroupPlan, lang: Lang) -> Option<ScanForm> {
    let group = &session.groups[index];
    let id = plan.form_id.clone()?;
    let questions = 1 + group.criteria.len();
    let lines: Vec<(usize, usize)> = on_ballot(group)
        .into_iter()
        .flat_map(|(stt, _)| (0..questions).map(move |q| (stt, q)))
        .collect();
    let mut next = 0;
    let mut pages = Vec::with_capacity(plan.copy.len());
    for (k, page) in plan.copy.iter().enumerate() {
        let squares: Vec<MarkSquare> = page
            .items
            .iter()
            .filter_map(|item| match *item {
                Item::MarkBox { x, y, side } => Some(MarkSquare { x, y, side }),
                _ => None,
            })
            .collect();
        let qr = page.items.iter().find_map(|item| match item {
            Item::Qr { x, y_top, .. } => Some((*x, y_top - mm(FORM_QR.2), mm(FORM_QR.2))),
            _ => None,
        })?;
        let (chunks, rest) = squares.as_chunks::<3>();
        if !rest.is_empty() {
            return None;
        }
        let mut page_lines = Vec::with_capacity(chunks.len());
        for boxes in chunks {
            let &(stt, question) = lines.get(next)?;
            page_lines.push(ScanLine {
                line: next,
                stt,
                question,
                boxes: *boxes,
            });
            next += 1;
        }
        pages.push(ScanPage {
            width: plan.sheet.width,
            height: plan.sheet.height,
            marks: corner_centres(plan.sheet),
            mark_side: mm(CORNER_MARK_MM),
            qr,
            tag: FormTag {
                layout: SCAN_LAYOUT,
                id: id.clone(),
                group: index + 1,
                page: k + 1,
                pages: plan.copy.len(),
                lang,
            },
            lines: page_lines,
        });
    }
    (next == lines.len()).then_some(ScanForm {
        group: index,
        pages,
    })
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
fn name_rows(
    group: &BallotGroup,
    blanks: usize,
    mark_box: Option<f32>,
    lang: Lang,
) -> (Vec<Vec<Cell>>, Vec<usize>) {
    let mut rows = Vec::new();
    let mut blocks = Vec::new();
    let blank = || mark_box.map_or_else(|| Cell::new(""), Cell::mark_box);
    let boxes = || std::iter::repeat_n(blank(), blanks);
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
                    "- {}: {}",
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
    let scan = group.scan_form.then(|| mm(MARK_BOX_MM));
    let (rows, blocks) = name_rows(group, 3, scan, lang);
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
        min_row_height: if scan.is_some() { SCAN_ROW } else { 22.0 },
        header_fill: 1.0,
    };
    l.table_kept(&table, &blocks);
    l.space(8.0);
    if scan.is_some() {
        l.para(&Para::new(
            tr(
                lang,
                "Ghi chú: Ở mỗi dòng, đánh dấu X hoặc dấu tích bằng bút mực màu đậm vào một ô vuông duy nhất trong ba ô \"Tín nhiệm cao\", \"Tín nhiệm\", \"Tín nhiệm thấp\". Dòng không đánh dấu hoặc đánh dấu từ hai ô trở lên không hợp lệ đối với người đó. Không ghi thêm tên hoặc gạch tên trên phiếu. Người bỏ phiếu có thể ký hoặc không ký tên. Phiếu được đọc bằng máy quét: không gấp phiếu, không viết vào các ô đen ở bốn góc và mã QR.",
                "Note: on each row, mark exactly one of the three square boxes \"High confidence\", \"Confidence\", \"Low confidence\" with an X or a tick in dark ink. A row with no mark or with two or more marks is void for that person. Do not add or strike out names. Voters may sign or not. The ballot is read by a scanner: do not fold it, do not write on the black squares in the corners or on the QR code.",
            ),
            Style::Italic,
            12.0,
        ));
        return;
    }
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
    let (rows, blocks) = name_rows(group, 4, None, lang);
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn form_tags_round_trip_and_refuse_other_texts() {
        let tag = FormTag {
            layout: SCAN_LAYOUT,
            id: "7F3A9C21".into(),
            group: 2,
            page: 1,
            pages: 3,
            lang: Lang::En,
        };
        assert_eq!(tag.to_string(), "TNP1 7F3A9C21 N2 T1/3 EN");
        assert_eq!(FormTag::parse(&tag.to_string()), Some(tag));
        for bad in [
            "",
            "TNP1 7F3A9C2 N2 T1/3 EN",
            "TNP1 7F3A9C2G N2 T1/3 EN",
            "TNP1 7F3A9C21 N2 T1-3 EN",
            "TNP1 7F3A9C21 N2 T1/3 FR",
            "TNP1 7F3A9C21 N2 T1/3 EN extra",
            "tinnhiem:sha256:ab",
        ] {
            assert_eq!(FormTag::parse(bad), None, "{bad}");
        }
    }

    /// The form's id follows what the ballot prints, and only that: a count typed changes
    /// nothing; a position, the superior body (which moves the table down), a cadre moved,
    /// the language each give another id.
    #[test]
    fn form_id_follows_the_printed_ballot() {
        let fonts = Fonts::load().unwrap();
        let id = |s: &Session, lang| scan_forms(s, &fonts, lang)[0].pages[0].tag.id.clone();
        let mut s = Session::default();
        s.groups[0].cadres = vec![
            s.groups[0].new_cadre("Lê Văn An", "Bí thư"),
            s.groups[0].new_cadre("Trần Thị Bình", "Phó Bí thư"),
        ];
        let first = id(&s, Lang::Vi);
        assert_eq!(first.len(), 8);
        assert_ne!(first, id(&s, Lang::En));
        let mut counted = s.clone();
        counted.groups[0].cadres[0].overall.high = Some(3);
        counted.groups[0].voters.collected = Some(9);
        assert_eq!(first, id(&counted, Lang::Vi));
        let mut changed = Vec::new();
        let mut renamed = s.clone();
        renamed.groups[0].cadres[0].position = "Phó Bí thư".into();
        changed.push(renamed);
        let mut superior = s.clone();
        superior.meta.superior_body = "ĐẢNG BỘ TỈNH QUẢNG NAM ĐẢNG BỘ KHỐI CÁC CƠ QUAN".into();
        changed.push(superior);
        let mut moved = s.clone();
        moved.groups[0].cadres.swap(0, 1);
        changed.push(moved);
        for other in changed {
            assert_ne!(first, id(&other, Lang::Vi));
        }
    }

    /// Why no ballot is ever printed four to a sheet: the ballot's table at its narrowest (the
    /// fixed columns, the position column's minimum and three boxes wide enough for the
    /// labels, in either language) is wider than an A6 quarter of A4 (105 mm) even without
    /// margins.
    #[test]
    fn a6_quarter_is_too_narrow() {
        let fonts = Fonts::load().unwrap();
        for lang in [Lang::Vi, Lang::En] {
            let labels: Vec<&str> = Level::ALL.iter().map(|lv| lv.label().get(lang)).collect();
            let narrowest: f32 = widths(&fonts, &labels, 11.0, &[28.0, 140.0], 45.0, 0.0)
                .iter()
                .sum();
            assert!(narrowest > mm(120.0), "{narrowest}");
            assert!(narrowest > A4_WIDTH / 2.0);
        }
    }

    /// A document of more than one page starts on an odd page and leaves an even count;
    /// one of a single page goes on the next page, whatever the parity.
    #[test]
    fn multi_page_documents_start_on_odd_pages() {
        assert_eq!(unit_end(0, 1), 1);
        assert_eq!(unit_end(1, 1), 2);
        assert_eq!(unit_end(0, 2), 2);
        assert_eq!(unit_end(0, 3), 4);
        assert_eq!(unit_end(1, 2), 4);
        assert_eq!(unit_end(3, 3), 8);
        let page = |t: &str| Page {
            items: vec![Item::Text {
                x: 0.0,
                y: 0.0,
                size: 10.0,
                style: Style::Regular,
                text: t.to_owned(),
                word_spacing: 0.0,
            }],
        };
        let mut pages = Printout::default();
        let mut blank = None;
        let a = pages.add(page("a"));
        pages.print(a);
        let b: Vec<usize> = ["b1", "b2", "b3"].map(|t| pages.add(page(t))).into();
        push_unit(&mut pages, &b, &mut blank);
        let c = pages.add(page("c"));
        push_unit(&mut pages, &[c], &mut blank);
        let texts: Vec<Option<&str>> = pages.iter().map(|p| p.texts().next()).collect();
        assert_eq!(
            texts,
            [
                Some("a"),
                None,
                Some("b1"),
                Some("b2"),
                Some("b3"),
                None,
                Some("c")
            ]
        );
        assert_eq!(pages.pages.len(), 6, "one blank page, printed twice");
    }

    /// A half sheet keeps the ballot's side margins (its table is as wide as on a whole page)
    /// and is half an A4 tall.
    #[test]
    fn half_sheet_is_as_wide_as_a_page() {
        let h = half_a4();
        let a4 = Geometry::a4_official();
        assert!((h.content_width() - a4.content_width()).abs() < 0.001);
        assert!((2.0 * h.height - A4_HEIGHT).abs() < 0.001);
    }
}
