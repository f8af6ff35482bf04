//! A small page-layout engine, written once for every document: text measured with the font's
//! own advances, greedy word wrapping, paragraphs, side-by-side blocks, ruled tables whose
//! header repeats on each page and whose rows never split, page breaks, page numbers from page
//! 2 and a footer on every page.
//!
//! printpdf only places text at positions; everything about where text goes is decided here
//! and produces plain [`Item`]s, which the tests inspect without reading a PDF and
//! [`super::render`] turns into PDF operators. Coordinates are PDF points with the origin at
//! the bottom left of the page, y growing upwards.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use printpdf::{FontId, ParsedFont};

use super::DocumentError;
use crate::text::nfc;

/// A4 width in points.
pub const A4_WIDTH: f32 = 595.275_6;
/// A4 height in points.
pub const A4_HEIGHT: f32 = 841.889_8;

/// Millimetres to points.
#[must_use]
pub fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// How many document faces there are ([`FONT_FILES`]).
const FACES: usize = 4;

/// The four faces of Liberation Serif, metric-compatible with Times New Roman (the font the
/// party and state guidelines name), under the SIL OFL (`assets/fonts/`).
pub static FONT_FILES: [(&[u8], &str); FACES] = [
    (
        include_bytes!("../../assets/fonts/LiberationSerif-Regular.ttf"),
        "LSRREG",
    ),
    (
        include_bytes!("../../assets/fonts/LiberationSerif-Bold.ttf"),
        "LSRBLD",
    ),
    (
        include_bytes!("../../assets/fonts/LiberationSerif-Italic.ttf"),
        "LSRITA",
    ),
    (
        include_bytes!("../../assets/fonts/LiberationSerif-BoldItalic.ttf"),
        "LSRBIT",
    ),
];

/// A face of the document font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    /// Regular.
    Regular,
    /// Bold.
    Bold,
    /// Italic.
    Italic,
    /// Bold italic.
    BoldItalic,
}

impl Style {
    /// Every style, in [`FONT_FILES`] order.
    pub const ALL: [Style; 4] = [
        Style::Regular,
        Style::Bold,
        Style::Italic,
        Style::BoldItalic,
    ];

    pub(super) fn index(self) -> usize {
        match self {
            Style::Regular => 0,
            Style::Bold => 1,
            Style::Italic => 2,
            Style::BoldItalic => 3,
        }
    }
}

/// Characters below this are measured from a table filled as they are met: every character
/// validation lets into an archive ([`crate::text::PRINTABLE`]) is below it.
const CACHED_CHARS: usize = 0x2200;

/// A cached entry: the glyph's advance in font units, whether the font has the glyph, and
/// whether the entry was filled (0 is "not yet").
const KNOWN: u32 = 1 << 16;
const PRESENT: u32 = 1 << 17;

/// One face, registered under a fixed id so that output is reproducible (printpdf's own ids
/// come from a process-wide counter and would change the bytes).
///
/// Text is measured with skrifa, which reads the font in place (nothing to parse up front),
/// through a per-character cache: a line of a 500-cadre table is measured several times while
/// it is fitted and wrapped. printpdf's own parse of the face, needed only to embed it, is made
/// once per process and only for the faces a document uses ([`Face::parsed`]).
pub struct Face {
    /// The fixed id; its first 6 letters become the subset tag ("LSRREG+LiberationSerif").
    pub id: FontId,
    index: usize,
    charmap: skrifa::charmap::Charmap<'static>,
    hmtx: skrifa::raw::tables::hmtx::Hmtx<'static>,
    units_per_em: f32,
    /// Advance and presence by character, for characters below [`CACHED_CHARS`]; atomics so
    /// that the fonts can be shared between threads without a lock.
    cache: Box<[AtomicU32]>,
}

/// printpdf's parse of each face, made on first use and kept for the process (0.4 ms a face).
static PARSED: [OnceLock<Option<ParsedFont>>; FACES] = [const { OnceLock::new() }; FACES];

impl Face {
    fn new(index: usize) -> Result<Self, DocumentError> {
        use skrifa::MetadataProvider as _;
        use skrifa::raw::TableProvider as _;
        let (bytes, id) = FONT_FILES[index];
        let bad = |e: skrifa::raw::ReadError| DocumentError::Font(format!("{id}: {e}"));
        let font = skrifa::FontRef::new(bytes).map_err(bad)?;
        Ok(Self {
            id: FontId(id.to_owned()),
            index,
            charmap: font.charmap(),
            hmtx: font.hmtx().map_err(bad)?,
            units_per_em: f32::from(font.head().map_err(bad)?.units_per_em().max(1)),
            cache: (0..CACHED_CHARS).map(|_| AtomicU32::new(0)).collect(),
        })
    }

    /// The glyph of `ch` (0, the missing-glyph box, if the font has none) and its advance.
    fn lookup(&self, ch: char) -> (bool, u16) {
        let gid = self.charmap.map(ch);
        let advance = self
            .hmtx
            .advance(gid.unwrap_or_default())
            .unwrap_or_default();
        (gid.is_some(), advance)
    }

    /// Whether the font has a glyph for `ch`, and the advance drawn for it, in font units.
    fn glyph(&self, ch: char) -> (bool, u16) {
        let Some(slot) = self.cache.get(ch as usize) else {
            return self.lookup(ch);
        };
        let v = slot.load(Ordering::Relaxed);
        if v & KNOWN != 0 {
            return (
                v & PRESENT != 0,
                u16::try_from(v & 0xFFFF).unwrap_or_default(),
            );
        }
        let (present, advance) = self.lookup(ch);
        let v = KNOWN | if present { PRESENT } else { 0 } | u32::from(advance);
        slot.store(v, Ordering::Relaxed);
        (present, advance)
    }

    /// printpdf's parse of the face, to embed it.
    pub fn parsed(&self) -> Result<&'static ParsedFont, DocumentError> {
        PARSED[self.index]
            .get_or_init(|| ParsedFont::from_bytes(FONT_FILES[self.index].0, 0, &mut Vec::new()))
            .as_ref()
            .ok_or_else(|| DocumentError::Font(self.id.0.clone()))
    }
}

/// The document fonts.
pub struct Fonts {
    faces: Vec<Face>,
}

impl Fonts {
    /// Opens the embedded fonts (cheap: they are read in place).
    pub fn load() -> Result<Self, DocumentError> {
        Ok(Self {
            faces: (0..FONT_FILES.len())
                .map(Face::new)
                .collect::<Result<_, _>>()?,
        })
    }

    /// The face of `style`.
    #[must_use]
    pub fn face(&self, style: Style) -> &Face {
        &self.faces[style.index()]
    }

    /// The width of `text` in points, from the glyph advances (no kerning: printpdf does not
    /// kern either, so this is exactly what is drawn).
    #[must_use]
    pub fn width(&self, style: Style, size: f32, text: &str) -> f32 {
        self.points(
            style,
            size,
            text.chars().map(|ch| self.advance(style, ch)).sum(),
        )
    }

    /// The advance of `ch` in font units. u64 so that sums never overflow: a u32 sum did on a
    /// 2.3-million-letter word (a hand-edited archive).
    fn advance(&self, style: Style, ch: char) -> u64 {
        u64::from(self.face(style).glyph(ch).1)
    }

    /// `units` font units in points at `size`: [`Fonts::width`] of a text whose advances add
    /// up to `units`, to the same rounding.
    fn points(&self, style: Style, size: f32, units: u64) -> f32 {
        units as f32 * size / self.face(style).units_per_em
    }

    /// The first character of `text` the font has no glyph for (it would print as an empty
    /// box), if any.
    #[must_use]
    pub fn missing_glyph(&self, style: Style, text: &str) -> Option<char> {
        let face = self.face(style);
        text.chars()
            .filter(|c| !c.is_whitespace())
            .find(|&ch| !face.glyph(ch).0)
    }

    /// Breaks `text` into lines no wider than `width`: greedy on spaces, explicit `\n` kept,
    /// a word wider than the line broken between characters. Always at least one line.
    #[must_use]
    pub fn wrap(&self, style: Style, size: f32, text: &str, width: f32) -> Vec<String> {
        self.wrap_lines(style, size, text, width)
            .into_iter()
            .map(|l| l.text)
            .collect()
    }

    /// [`Fonts::wrap`], telling which lines end a paragraph or a forced break (those are
    /// never justified).
    #[must_use]
    pub fn wrap_lines(&self, style: Style, size: f32, text: &str, width: f32) -> Vec<Wrapped> {
        self.wrap_indented(style, size, text, width, 0.0)
    }

    /// [`Fonts::wrap_lines`] with the first line `indent` narrower (a paragraph's first-line
    /// indent): only that line loses the room, the others use the whole width.
    #[must_use]
    pub fn wrap_indented(
        &self,
        style: Style,
        size: f32,
        text: &str,
        full: f32,
        indent: f32,
    ) -> Vec<Wrapped> {
        let mut lines: Vec<Wrapped> = Vec::new();
        let space = self.width(style, size, " ");
        let soft = |text: String| Wrapped { text, ends: false };
        for paragraph in text.split('\n') {
            let mut line = String::new();
            let mut line_w = 0.0;
            for word in paragraph.split_whitespace() {
                let width = if lines.is_empty() {
                    full - indent
                } else {
                    full
                };
                // Widths add up (no kerning), so each word is measured once.
                let word_w = self.width(style, size, word);
                let joined = if line.is_empty() {
                    word_w
                } else {
                    line_w + space + word_w
                };
                if joined <= width {
                    if !line.is_empty() {
                        line.push(' ');
                    }
                    line.push_str(word);
                    line_w = joined;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(soft(std::mem::take(&mut line)));
                }
                if word_w <= width {
                    line = word.to_owned();
                    line_w = word_w;
                } else {
                    line_w = 0.0;
                    for ch in word.chars() {
                        let width = if lines.is_empty() {
                            full - indent
                        } else {
                            full
                        };
                        let ch_w = self.width(style, size, ch.encode_utf8(&mut [0; 4]));
                        if !line.is_empty() && line_w + ch_w > width {
                            lines.push(soft(std::mem::take(&mut line)));
                            line_w = 0.0;
                        }
                        line.push(ch);
                        line_w += ch_w;
                    }
                }
            }
            lines.push(Wrapped {
                text: line,
                ends: true,
            });
        }
        lines
    }
}

/// A wrapped line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrapped {
    /// The text, words separated by single spaces.
    pub text: String,
    /// The line ends its paragraph or a forced `\n` break.
    pub ends: bool,
}

/// Absolute positions are only right once the kept headings waiting for the next block are
/// placed: [`Layout::flush`] first.
const WAITING: &str = "a position read or drawn at while kept headings wait";

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Justified (căn đều hai lề, Nghị định 30 Phụ lục I): the space left on a line is shared
    /// between its word gaps, except on a paragraph's last line and before a forced break.
    Justify,
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Text with its baseline starting at (`x`, `y`).
    Text {
        /// Left end of the baseline.
        x: f32,
        /// Baseline.
        y: f32,
        /// Font size in points.
        size: f32,
        /// Face.
        style: Style,
        /// The text, NFC.
        text: String,
        /// Points added to every space of `text` (justified lines; 0 otherwise).
        word_spacing: f32,
    },
    /// A straight line.
    Line {
        /// Start x.
        x1: f32,
        /// Start y.
        y1: f32,
        /// End x.
        x2: f32,
        /// End y.
        y2: f32,
        /// Line width in points.
        width: f32,
    },
    /// A rectangle with its bottom-left corner at (`x`, `y`).
    Rect {
        /// Left.
        x: f32,
        /// Bottom.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Fill grey level (0 black, 1 white), if filled.
        fill: Option<f32>,
        /// Whether the outline is stroked (0.5 pt black).
        stroke: bool,
    },
    /// A QR code, as runs of dark modules `(row, first column, end column)`.
    Qr {
        /// Left edge.
        x: f32,
        /// Top edge.
        y_top: f32,
        /// Module size in points.
        module: f32,
        /// Dark runs.
        runs: QrRuns,
    },
    /// A large light-grey diagonal text under the page content ("BẢN NHÁP").
    Watermark {
        /// The text.
        text: String,
    },
    /// An empty signature field where a signer's signature goes (the room between "(Ký, ghi
    /// rõ họ tên)" and the name): signing fills it, visibly ([`crate::signing`]).
    SignatureField {
        /// The field's name, saying whose block it is ("Trưởng ban kiểm phiếu").
        name: String,
        /// Left.
        x: f32,
        /// Bottom.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
    },
}

impl Item {
    /// The pieces a text is drawn in, with the x each starts at: the whole text at `x`, or, for
    /// a justified line, each word with its following space at its own position, so that the
    /// PDF puts every word exactly where the layout did (printpdf rounds glyph widths in the
    /// file, which would add up along a line) and text extraction still finds the spaces.
    /// Empty for other items.
    #[must_use]
    pub fn runs(&self, fonts: &Fonts) -> Vec<(f32, &str)> {
        let Item::Text {
            x,
            size,
            style,
            text,
            word_spacing,
            ..
        } = self
        else {
            return Vec::new();
        };
        if *word_spacing == 0.0 || !text.contains(' ') {
            return vec![(*x, text.as_str())];
        }
        let mut runs = Vec::new();
        let mut at = *x;
        let mut start = 0;
        let mut words = text.split(' ').peekable();
        while let Some(word) = words.next() {
            // The word with its following space, as a slice of the text.
            let end = start + word.len() + usize::from(words.peek().is_some());
            let run = &text[start..end];
            let w = fonts.width(*style, *size, run);
            runs.push((at, run));
            at += w + word_spacing;
            start = end;
        }
        runs
    }

    /// The item moved up by `dy` points: a page laid out on a half sheet is placed on the
    /// upper half of the paper this way. A watermark stays centred on the paper.
    #[must_use]
    pub fn shifted(&self, dy: f32) -> Item {
        let mut item = self.clone();
        match &mut item {
            Item::Text { y, .. } | Item::Rect { y, .. } | Item::SignatureField { y, .. } => {
                *y += dy;
            }
            Item::Line { y1, y2, .. } => {
                *y1 += dy;
                *y2 += dy;
            }
            Item::Qr { y_top, .. } => *y_top += dy,
            Item::Watermark { .. } => {}
        }
        item
    }

    /// The box the item covers, `(left, bottom, right, top)`, text with its ascenders and
    /// descenders; empty (inverted) for a watermark, which is drawn under everything.
    #[must_use]
    pub fn bounds(&self, fonts: &Fonts) -> (f32, f32, f32, f32) {
        match self {
            Item::Text { x, y, size, .. } => {
                (*x, y - size * 0.25, self.text_end(fonts), y + size * 0.9)
            }
            Item::Line { x1, y1, x2, y2, .. } => {
                (x1.min(*x2), y1.min(*y2), x1.max(*x2), y1.max(*y2))
            }
            Item::Rect { x, y, w, h, .. } | Item::SignatureField { x, y, w, h, .. } => {
                (*x, *y, x + w, y + h)
            }
            Item::Qr {
                x,
                y_top,
                module,
                runs,
            } => {
                let n = runs.iter().map(|r| r.2).max().unwrap_or(0) as f32;
                (*x, y_top - n * module, x + n * module, *y_top)
            }
            Item::Watermark { .. } => (0.0, 0.0, -1.0, -1.0),
        }
    }

    /// The right end of a text's baseline (its left end for other items).
    #[must_use]
    pub fn text_end(&self, fonts: &Fonts) -> f32 {
        match self {
            Item::Text { x, size, style, .. } => self
                .runs(fonts)
                .last()
                .map_or(*x, |(at, run)| at + fonts.width(*style, *size, run)),
            Item::Line { x1, .. } => *x1,
            Item::Rect { x, .. } | Item::Qr { x, .. } | Item::SignatureField { x, .. } => *x,
            Item::Watermark { .. } => 0.0,
        }
    }
}

/// One laid-out page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Page {
    /// What is drawn, in drawing order.
    pub items: Vec<Item>,
}

impl Page {
    /// The texts on the page, in drawing order (for tests and checks).
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.items.iter().filter_map(|i| match i {
            Item::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }
}

/// The pages of a document as printed, where one page may be printed many times: each
/// distinct page once, and the order of the printed pages as indices into them. The copies of
/// a ballot are all alike (the vote is secret: nothing tells one copy from another), so 5,000
/// copies are one page printed 5,000 times, and the PDF draws it once ([`super::render`]):
/// memory and file size stay nearly flat in the number of copies (issue 20).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Printout {
    /// The distinct pages.
    pub pages: Vec<Page>,
    /// The printed pages, in order: each an index into [`Printout::pages`].
    pub order: Vec<usize>,
}

impl Printout {
    /// Pages printed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether nothing is printed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The printed pages, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Page> {
        self.order.iter().filter_map(|&i| self.pages.get(i))
    }

    /// Printed page `i` (from 0).
    #[must_use]
    pub fn get(&self, i: usize) -> Option<&Page> {
        self.pages.get(*self.order.get(i)?)
    }

    /// Adds a distinct page, not printed yet; returns its index.
    pub fn add(&mut self, page: Page) -> usize {
        self.pages.push(page);
        self.pages.len() - 1
    }

    /// Prints distinct page `index` once more.
    pub fn print(&mut self, index: usize) {
        self.order.push(index);
    }
}

impl std::ops::Index<usize> for Printout {
    type Output = Page;

    /// Printed page `i` (from 0); panics past the end, as a `Vec` does.
    fn index(&self, i: usize) -> &Page {
        &self.pages[self.order[i]]
    }
}

/// Page size and margins, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// Page width.
    pub width: f32,
    /// Page height.
    pub height: f32,
    /// Top margin.
    pub top: f32,
    /// Bottom margin.
    pub bottom: f32,
    /// Left margin.
    pub left: f32,
    /// Right margin.
    pub right: f32,
}

impl Geometry {
    /// A4 with the margins of Hướng dẫn 36-HD/VPTW and Nghị định 30/2020: top 20, bottom 20,
    /// left 30, right 15 mm.
    #[must_use]
    pub fn a4_official() -> Self {
        Self {
            width: A4_WIDTH,
            height: A4_HEIGHT,
            top: mm(20.0),
            bottom: mm(20.0),
            left: mm(30.0),
            right: mm(15.0),
        }
    }

    /// The width between the margins.
    #[must_use]
    pub fn content_width(&self) -> f32 {
        self.width - self.left - self.right
    }
}

/// A paragraph: text in one face and size, wrapped to a width.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    /// The text.
    pub text: String,
    /// Face.
    pub style: Style,
    /// Size in points.
    pub size: f32,
    /// Alignment of each line.
    pub align: Align,
    /// A solid line under each line, as long as the text.
    pub underline: bool,
    /// Indent of the first line.
    pub indent: f32,
    /// Keep with next: a heading or an introducing line ("… gồm:") never ends a page; it goes
    /// on the page where what follows starts (see [`Layout::para`]).
    pub keep: bool,
}

impl Para {
    /// A left-aligned paragraph.
    #[must_use]
    pub fn new(text: impl AsRef<str>, style: Style, size: f32) -> Self {
        Self {
            text: nfc(text.as_ref()),
            style,
            size,
            align: Align::Left,
            underline: false,
            indent: 0.0,
            keep: false,
        }
    }

    /// Justified (body text of official documents).
    #[must_use]
    pub fn justify(mut self) -> Self {
        self.align = Align::Justify;
        self
    }

    /// Kept on the same page as the start of what follows (headings).
    #[must_use]
    pub fn keep_with_next(mut self) -> Self {
        self.keep = true;
        self
    }

    /// Centred.
    #[must_use]
    pub fn center(mut self) -> Self {
        self.align = Align::Center;
        self
    }

    /// Flush right.
    #[must_use]
    pub fn right(mut self) -> Self {
        self.align = Align::Right;
        self
    }

    /// Underlined, as the party title and the state motto are.
    #[must_use]
    pub fn underline(mut self) -> Self {
        self.underline = true;
        self
    }

    /// With a first-line indent.
    #[must_use]
    pub fn indent(mut self, indent: f32) -> Self {
        self.indent = indent;
        self
    }
}

/// Line height for a font size: single spacing of a Times-like face (ascent + descent ≈ 1.11
/// em, plus a little air for Vietnamese stacked marks).
#[must_use]
pub fn line_height(size: f32) -> f32 {
    size * 1.22
}

/// The baseline of a line whose box starts at `top`.
fn baseline(top: f32, size: f32) -> f32 {
    top - (line_height(size) + 0.675 * size) / 2.0
}

/// A table cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The text; `\n` forces a line break.
    pub text: String,
    /// Face.
    pub style: Style,
    /// Alignment.
    pub align: Align,
    /// Columns covered (at least 1).
    pub span: usize,
    /// Header rows covered (at least 1; only for header rows).
    pub rows: usize,
}

impl Cell {
    /// A regular, left-aligned cell.
    #[must_use]
    pub fn new(text: impl AsRef<str>) -> Self {
        Self {
            text: nfc(text.as_ref()),
            style: Style::Regular,
            align: Align::Left,
            span: 1,
            rows: 1,
        }
    }

    /// A bold centred cell, as in header rows.
    #[must_use]
    pub fn head(text: impl AsRef<str>) -> Self {
        Self::new(text).bold().center()
    }

    /// Bold.
    #[must_use]
    pub fn bold(mut self) -> Self {
        self.style = Style::Bold;
        self
    }

    /// Italic.
    #[must_use]
    pub fn italic(mut self) -> Self {
        self.style = Style::Italic;
        self
    }

    /// Centred.
    #[must_use]
    pub fn center(mut self) -> Self {
        self.align = Align::Center;
        self
    }

    /// Spanning `n` columns.
    #[must_use]
    pub fn span(mut self, n: usize) -> Self {
        self.span = n.max(1);
        self
    }

    /// Spanning `n` header rows.
    #[must_use]
    pub fn rows(mut self, n: usize) -> Self {
        self.rows = n.max(1);
        self
    }
}

/// A ruled table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column widths in points; scaled to the content width if they add up to more.
    pub widths: Vec<f32>,
    /// Header rows, repeated at the top of every page the table continues on.
    pub header: Vec<Vec<Cell>>,
    /// Body rows; a row is never split across pages.
    pub rows: Vec<Vec<Cell>>,
    /// Font size of the whole table.
    pub size: f32,
    /// Minimum body row height (room to write or tick by hand).
    pub min_row_height: f32,
    /// Grey fill of header cells (1.0 white = none).
    pub header_fill: f32,
}

/// Inner padding of table cells, in points.
const PAD: f32 = 3.0;

/// How a column takes its width in [`Table::fit`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fit {
    /// As wide as its widest line, so that nothing in it wraps (numbers, short headings).
    Natural,
    /// As wide as its widest line but at most this many points; never narrower than its
    /// longest word, so that words are never broken.
    Wrap(f32),
    /// What the other columns leave, at least this many points (and its longest word).
    Rest(f32),
}

impl Table {
    /// Sets [`Table::widths`] from the content, to fill `total` points: `Natural` columns
    /// first, then `Wrap` ones, then what is left for the `Rest` ones (shared equally). Widths
    /// are only ever widened to make a spanning header cell's longest word fit. When even the
    /// minima add up to more than `total`, [`Layout`] scales the whole table down.
    pub fn fit(&mut self, fonts: &Fonts, fits: &[Fit], total: f32) {
        let n = fits.len();
        let mut natural = vec![0.0_f32; n];
        let mut word = vec![0.0_f32; n];
        let size = self.size;
        let longest_word = |cell: &Cell| {
            cell.text
                .split_whitespace()
                .map(|w| fonts.width(cell.style, size, w))
                .fold(0.0, f32::max)
        };
        let mut spanning = Vec::new();
        // Header rows below a cell spanning several rows skip the columns it covers, as
        // [`Layout`] places them.
        let mut covered = vec![0_usize; n];
        for row in self.header.iter().chain(&self.rows) {
            let mut c = 0;
            for cell in row {
                while c < n && covered[c] > 0 {
                    c += 1;
                }
                if c >= n {
                    break;
                }
                for k in covered.iter_mut().skip(c).take(cell.span) {
                    *k = (*k).max(cell.rows);
                }
                if cell.span == 1 {
                    let widest = cell
                        .text
                        .split('\n')
                        .map(|l| fonts.width(cell.style, size, l))
                        .fold(0.0, f32::max);
                    natural[c] = natural[c].max(widest + 2.0 * PAD + 0.5);
                    word[c] = word[c].max(longest_word(cell) + 2.0 * PAD + 0.5);
                } else {
                    spanning.push((
                        c,
                        cell.span.min(n - c),
                        longest_word(cell) + 2.0 * PAD + 0.5,
                    ));
                }
                c += cell.span;
            }
            for k in &mut covered {
                *k = k.saturating_sub(1);
            }
        }
        let mut widths: Vec<f32> = fits
            .iter()
            .enumerate()
            .map(|(c, fit)| match *fit {
                Fit::Natural => natural[c],
                Fit::Wrap(max) => natural[c].min(max).max(word[c]),
                Fit::Rest(min) => word[c].max(min),
            })
            .collect();
        for (c, span, need) in spanning {
            let have: f32 = widths[c..c + span].iter().sum();
            if have < need {
                widths[c + span - 1] += need - have;
            }
        }
        let rest: Vec<usize> = (0..n)
            .filter(|&c| matches!(fits[c], Fit::Rest(_)))
            .collect();
        if !rest.is_empty() {
            let fixed: f32 = (0..n)
                .filter(|c| !rest.contains(c))
                .map(|c| widths[c])
                .sum();
            let share = (total - fixed) / rest.len() as f32;
            for c in rest {
                widths[c] = widths[c].max(share);
            }
        }
        self.widths = widths;
    }
}

/// What every page carries besides its content.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decorations {
    /// Footer text, centred in the bottom margin of every page.
    pub footer: Option<String>,
    /// Page numbers, centred at the top, from page 2 (Hướng dẫn 36 and Nghị định 30).
    pub page_numbers: bool,
    /// A diagonal mark under the content of every page ("BẢN NHÁP").
    pub watermark: Option<String>,
    /// More footer lines on the last page only (the full fingerprint).
    pub last_page_lines: Vec<String>,
    /// A QR code (side in modules, runs) at the bottom right of the last page: see
    /// [`QrPlace`] for its size and where it goes.
    pub last_page_qr: Option<(i32, QrRuns)>,
    /// A line in the top margin of every page, the first included, saying what the page
    /// belongs to and which page of it it is: a loose page of a ballot or tally sheet must
    /// still say what it is.
    pub running_head: Option<RunningHead>,
}

/// The running head "Phiếu tín nhiệm - Nhóm A - trang 2/3": `k/n` counted within the pages
/// laid out together (one ballot copy), not within the whole PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningHead {
    /// What the pages are ("Phiếu tín nhiệm - Nhóm A"); shortened with "…" to fit one line.
    pub text: String,
    /// The word for page ("trang", "page").
    pub page: String,
}

/// Size of the running head, small enough to stay out of the way of the content.
const RUNNING_HEAD_SIZE: f32 = 10.0;
/// Face of the running head.
const RUNNING_HEAD_STYLE: Style = Style::Italic;

/// Least module size of the QR code: 2 pt (0.71 mm), 2.8 pixels in a 100 dpi scan, which
/// zbar still decodes; a 37-module code is then 26 mm wide.
pub const MARGIN_QR_MODULE: f32 = 2.0;

/// Least width of the QR symbol, 25 mm: smaller codes did not decode from coarse scans of
/// office prints (issue 12).
pub const QR_MIN_SIDE_MM: f32 = 25.0;

/// Least distance of every part of the QR code, quiet zone included, from the paper's edge:
/// many office printers do not print the outer 5 mm, and a code cut there cannot be read.
pub const QR_EDGE_MM: f32 = 10.0;

/// The blank border the QR standard asks for around the symbol, in modules.
pub const QR_QUIET_MODULES: f32 = 4.0;

/// Where the QR code of the last page goes, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QrPlace {
    /// Left edge of the symbol.
    pub x: f32,
    /// Bottom edge of the symbol.
    pub y: f32,
    /// Side of the symbol.
    pub side: f32,
    /// Module size.
    pub module: f32,
}

impl QrPlace {
    /// A code of `n` modules a side in the bottom-right corner of the text area, at least
    /// [`QR_MIN_SIDE_MM`] wide, its quiet zone [`QR_EDGE_MM`] inside the paper's edges.
    #[must_use]
    pub fn new(n: i32, g: &Geometry) -> Self {
        let module = MARGIN_QR_MODULE.max(mm(QR_MIN_SIDE_MM) / n as f32);
        let side = n as f32 * module;
        let quiet = QR_QUIET_MODULES * module;
        let edge = mm(QR_EDGE_MM) + quiet;
        Self {
            x: g.width - g.right.max(edge) - side,
            y: edge,
            side,
            module,
        }
    }

    /// The symbol with its quiet zone, `(left, bottom, right, top)`: nothing else may be drawn
    /// there.
    #[must_use]
    pub fn clear_box(&self) -> (f32, f32, f32, f32) {
        let q = QR_QUIET_MODULES * self.module;
        (
            self.x - q,
            self.y - q,
            self.x + self.side + q,
            self.y + self.side + q,
        )
    }
}

/// The layout cursor: places content top-down, starting new pages as needed.
///
/// Pagination rules, applied here once for every document: a paragraph marked
/// [`Para::keep_with_next`] waits until the next block and goes on the page where that block
/// starts (with the header and first row of a table, the first two lines of a paragraph, a
/// whole side-by-side block such as a signature); a paragraph never leaves one line alone at
/// the bottom or the top of a page when it has more (orphans and widows); table rows and
/// side-by-side blocks are never split.
pub struct Layout<'f> {
    /// The fonts text is measured with.
    pub fonts: &'f Fonts,
    /// Page size and margins.
    pub geometry: Geometry,
    pages: Vec<Page>,
    /// Top of the next content, in PDF coordinates.
    y: f32,
    /// Kept-with-next paragraphs and the spaces after them, not placed yet.
    pending: Vec<Pending>,
}

/// The fewest lines a paragraph of `n` lines can start a page with under the widow and
/// orphan rule: all of them up to three (two would leave a widow), else two.
fn first_lines(n: usize) -> usize {
    if n <= 3 { n } else { 2 }
}

/// Something waiting for the block it is kept with.
#[derive(Debug, Clone)]
enum Pending {
    Para(Para),
    Space(f32),
}

impl<'f> Layout<'f> {
    /// A layout with one empty page.
    #[must_use]
    pub fn new(fonts: &'f Fonts, geometry: Geometry) -> Self {
        Self {
            fonts,
            geometry,
            pages: vec![Page::default()],
            y: geometry.height - geometry.top,
            pending: Vec::new(),
        }
    }

    /// The top of the next content (kept-with-next paragraphs not placed yet are not counted).
    #[must_use]
    pub fn y(&self) -> f32 {
        debug_assert!(self.pending.is_empty(), "{WAITING}");
        self.y
    }

    /// Height left on the current page.
    #[must_use]
    pub fn remaining(&self) -> f32 {
        self.y - self.geometry.bottom
    }

    /// Number of pages so far.
    #[must_use]
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    fn at_page_top(&self) -> bool {
        self.y >= self.geometry.height - self.geometry.top
    }

    /// Starts a new page (kept-with-next paragraphs not placed yet go on it).
    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.geometry.height - self.geometry.top;
    }

    /// Starts a new page unless `height`, after the kept-with-next paragraphs waiting, fits on
    /// this one (or this page is still empty).
    pub fn ensure(&mut self, height: f32) {
        let need = height + self.pending_height();
        if need > self.remaining() && !self.at_page_top() {
            self.new_page();
        }
    }

    /// Vertical space; none at the top of a page. After a kept-with-next paragraph it waits
    /// with it.
    pub fn space(&mut self, height: f32) {
        if !self.pending.is_empty() {
            self.pending.push(Pending::Space(height));
            return;
        }
        if !self.at_page_top() {
            self.y = (self.y - height).max(self.geometry.bottom);
        }
    }

    /// The height the waiting paragraphs and spaces take.
    fn pending_height(&self) -> f32 {
        let width = self.geometry.content_width();
        self.pending
            .iter()
            .map(|p| match p {
                Pending::Para(para) => self.measure_paras(std::slice::from_ref(para), width),
                Pending::Space(h) => *h,
            })
            .sum()
    }

    /// Places the waiting kept-with-next paragraphs, on a new page unless they fit on this one
    /// together with `next`, the height of the start of the block that follows them.
    fn flush(&mut self, next: f32) {
        if self.pending.is_empty() {
            return;
        }
        self.ensure(next);
        for item in std::mem::take(&mut self.pending) {
            match item {
                Pending::Para(p) => self.place_para(&p),
                Pending::Space(h) => self.space(h),
            }
        }
    }

    /// Draws an item as is (no flow).
    pub fn push_item(&mut self, item: Item) {
        debug_assert!(self.pending.is_empty(), "{WAITING}");
        self.push(item);
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.items.push(item);
        }
    }

    /// Draws a line of text at an absolute position (no flow).
    pub fn text_at(&mut self, x: f32, y: f32, style: Style, size: f32, text: &str) {
        debug_assert!(self.pending.is_empty(), "{WAITING}");
        self.text_spaced(x, y, style, size, text, 0.0);
    }

    fn text_spaced(
        &mut self,
        x: f32,
        y: f32,
        style: Style,
        size: f32,
        text: &str,
        word_spacing: f32,
    ) {
        if text.is_empty() {
            return;
        }
        self.push(Item::Text {
            x,
            y,
            size,
            style,
            text: nfc(text),
            word_spacing,
        });
    }

    /// Lays `para` out in the box from `x` of `width`, starting at `top`, without page breaks;
    /// returns the height used.
    pub fn para_in(&mut self, para: &Para, x: f32, width: f32, top: f32) -> f32 {
        let lh = line_height(para.size);
        let lines = self
            .fonts
            .wrap_indented(para.style, para.size, &para.text, width, para.indent);
        for (i, line) in lines.iter().enumerate() {
            let y = baseline(top - i as f32 * lh, para.size);
            self.line_in(para, line, x, width, y, i == 0);
        }
        lines.len() as f32 * lh
    }

    fn line_in(&mut self, para: &Para, line: &Wrapped, x: f32, width: f32, y: f32, first: bool) {
        let w = self.fonts.width(para.style, para.size, &line.text);
        let indent = if first { para.indent } else { 0.0 };
        let spaces = line.text.matches(' ').count();
        let (x0, word_spacing) = match para.align {
            Align::Left => (x + indent, 0.0),
            Align::Center => (x + (width - w) / 2.0, 0.0),
            Align::Right => (x + width - w, 0.0),
            Align::Justify if line.ends || spaces == 0 => (x + indent, 0.0),
            Align::Justify => (x + indent, ((width - indent - w) / spaces as f32).max(0.0)),
        };
        self.text_spaced(x0, y, para.style, para.size, &line.text, word_spacing);
        if para.underline && !line.text.is_empty() {
            let uy = y - para.size * 0.18;
            self.push(Item::Line {
                x1: x0,
                y1: uy,
                x2: x0 + w + word_spacing * spaces as f32,
                y2: uy,
                width: 0.6,
            });
        }
    }

    /// A paragraph across the content width, breaking pages between lines. A kept-with-next
    /// paragraph waits for the next block; otherwise the waiting ones are placed with this
    /// paragraph's first lines (two, or all of a paragraph of three).
    pub fn para(&mut self, para: &Para) {
        if para.keep {
            self.pending.push(Pending::Para(para.clone()));
            return;
        }
        if !self.pending.is_empty() {
            let lines = self
                .fonts
                .wrap_indented(
                    para.style,
                    para.size,
                    &para.text,
                    self.geometry.content_width(),
                    para.indent,
                )
                .len();
            self.flush(first_lines(lines) as f32 * line_height(para.size));
        }
        self.place_para(para);
    }

    /// Places a paragraph now, without leaving a single line of it alone at the bottom
    /// (orphan) or the top (widow) of a page.
    fn place_para(&mut self, para: &Para) {
        let g = self.geometry;
        let lh = line_height(para.size);
        let width = g.content_width();
        let lines = self
            .fonts
            .wrap_indented(para.style, para.size, &para.text, width, para.indent);
        let mut i = 0;
        while i < lines.len() {
            let left = lines.len() - i;
            let mut take = self.lines_here(lh, left);
            if take == 0 && !self.at_page_top() {
                self.new_page();
                take = self.lines_here(lh, left);
            }
            // A page too short for two lines still gets one.
            let take = take.max(1);
            self.place_lines(para, &lines[i..i + take], i, width);
            i += take;
        }
    }

    /// How many of `left` lines to put on this page: all that fit, but never exactly one
    /// alone at the bottom (when more follow) nor exactly one left for the next page.
    fn lines_here(&self, lh: f32, left: usize) -> usize {
        let mut fit = 0;
        let mut y = self.y;
        while fit < left && lh <= y - self.geometry.bottom {
            y -= lh;
            fit += 1;
        }
        if fit >= left {
            return left;
        }
        let mut take = fit;
        if left - take == 1 {
            take = take.saturating_sub(1);
        }
        if take == 1 {
            take = 0;
        }
        take
    }

    fn place_lines(&mut self, para: &Para, lines: &[Wrapped], first: usize, width: f32) {
        let lh = line_height(para.size);
        let left = self.geometry.left;
        for (k, line) in lines.iter().enumerate() {
            let y = baseline(self.y, para.size);
            self.line_in(para, line, left, width, y, first + k == 0);
            self.y -= lh;
        }
    }

    /// Blocks side by side, each a list of paragraphs in its own box `(x, width)` from the
    /// current line; the cursor moves below the tallest. Kept on one page, with the
    /// kept-with-next paragraphs before it.
    pub fn columns(&mut self, blocks: &[(f32, f32, Vec<Para>)]) {
        let height = blocks
            .iter()
            .map(|(_, w, paras)| self.measure_paras(paras, *w))
            .fold(0.0, f32::max);
        self.flush(height);
        self.ensure(height);
        let top = self.y;
        for (x, w, paras) in blocks {
            let mut y = top;
            for p in paras {
                y -= self.para_in(p, *x, *w, y);
            }
        }
        self.y = top - height;
    }

    /// The height paragraphs take in a box of `width`.
    #[must_use]
    pub fn measure_paras(&self, paras: &[Para], width: f32) -> f32 {
        paras
            .iter()
            .map(|p| {
                let n = self
                    .fonts
                    .wrap_indented(p.style, p.size, &p.text, width, p.indent)
                    .len();
                n as f32 * line_height(p.size)
            })
            .sum()
    }

    /// The column widths of `table`, scaled down to the content width if needed.
    fn column_widths(&self, table: &Table) -> Vec<f32> {
        let total: f32 = table.widths.iter().sum();
        let avail = self.geometry.content_width();
        if total > avail && total > 0.0 {
            table.widths.iter().map(|w| w * avail / total).collect()
        } else {
            table.widths.clone()
        }
    }

    /// Lines of a cell of `width`.
    fn cell_lines(&self, cell: &Cell, size: f32, width: f32) -> Vec<Wrapped> {
        self.fonts
            .wrap_lines(cell.style, size, &cell.text, width - 2.0 * PAD)
    }

    fn span_width(widths: &[f32], col: usize, span: usize) -> f32 {
        widths.iter().skip(col).take(span).sum()
    }

    /// Placed header cells `(row, col, cell)` and the header row heights.
    fn header_grid<'t>(
        &self,
        table: &'t Table,
        widths: &[f32],
    ) -> (Vec<(usize, usize, &'t Cell)>, Vec<f32>) {
        let rows = table.header.len();
        let cols = widths.len();
        let mut taken = vec![vec![false; cols]; rows];
        let mut placed = Vec::new();
        for (r, row) in table.header.iter().enumerate() {
            let mut c = 0;
            for cell in row {
                while c < cols && taken[r][c] {
                    c += 1;
                }
                if c >= cols {
                    break;
                }
                for row_taken in taken.iter_mut().skip(r).take(cell.rows) {
                    for slot in row_taken.iter_mut().skip(c).take(cell.span) {
                        *slot = true;
                    }
                }
                placed.push((r, c, cell));
                c += cell.span;
            }
        }
        let lh = line_height(table.size);
        let mut heights = vec![lh + 2.0 * PAD; rows];
        for &(r, c, cell) in &placed {
            if cell.rows == 1 {
                let w = Self::span_width(widths, c, cell.span);
                let h = self.cell_lines(cell, table.size, w).len() as f32 * lh + 2.0 * PAD;
                heights[r] = heights[r].max(h);
            }
        }
        for &(r, c, cell) in &placed {
            let last = (r + cell.rows).min(rows) - 1;
            if cell.rows > 1 {
                let w = Self::span_width(widths, c, cell.span);
                let h = self.cell_lines(cell, table.size, w).len() as f32 * lh + 2.0 * PAD;
                let have: f32 = heights[r..=last].iter().sum();
                if h > have {
                    heights[last] += h - have;
                }
            }
        }
        (placed, heights)
    }

    /// Draws a cell's box and its text centred vertically.
    #[expect(clippy::too_many_arguments, reason = "a cell's box is six numbers")]
    fn draw_cell(&mut self, cell: &Cell, size: f32, x: f32, top: f32, w: f32, h: f32, fill: f32) {
        if fill < 1.0 {
            self.push(Item::Rect {
                x,
                y: top - h,
                w,
                h,
                fill: Some(fill),
                stroke: false,
            });
        }
        self.push(Item::Rect {
            x,
            y: top - h,
            w,
            h,
            fill: None,
            stroke: true,
        });
        let lh = line_height(size);
        let lines = self.cell_lines(cell, size, w);
        let text_h = lines.len() as f32 * lh;
        let start = top - (h - text_h) / 2.0;
        let para = Para {
            text: String::new(),
            style: cell.style,
            size,
            align: cell.align,
            underline: false,
            indent: 0.0,
            keep: false,
        };
        for (i, line) in lines.iter().enumerate() {
            let y = baseline(start - i as f32 * lh, size);
            self.line_in(&para, line, x + PAD, w - 2.0 * PAD, y, false);
        }
    }

    fn draw_header(&mut self, table: &Table, widths: &[f32]) {
        let (placed, heights) = self.header_grid(table, widths);
        let top = self.y;
        let left = self.geometry.left;
        for (r, c, cell) in placed {
            let x = left + Self::span_width(widths, 0, c);
            let w = Self::span_width(widths, c, cell.span);
            let y = top - heights[..r].iter().sum::<f32>();
            let last = (r + cell.rows).min(heights.len());
            let h: f32 = heights[r..last].iter().sum();
            self.draw_cell(cell, table.size, x, y, w, h, table.header_fill);
        }
        self.y = top - heights.iter().sum::<f32>();
    }

    fn row_height(&self, table: &Table, widths: &[f32], row: &[Cell]) -> f32 {
        let lh = line_height(table.size);
        let mut c = 0;
        let mut h = table.min_row_height.max(lh + 2.0 * PAD);
        for cell in row {
            let w = Self::span_width(widths, c, cell.span);
            h = h.max(self.cell_lines(cell, table.size, w).len() as f32 * lh + 2.0 * PAD);
            c += cell.span;
        }
        h
    }

    /// A table: the header is kept with the first row (and the kept-with-next paragraphs
    /// before it) and repeated after every page break; rows move whole to the next page.
    pub fn table(&mut self, table: &Table) {
        self.table_kept(table, &[]);
    }

    /// A table whose rows come in blocks kept on one page: `blocks` gives the number of rows
    /// of each block in turn (rows past them are blocks of one). A block taller than a page
    /// starts a page and breaks between its rows; a row is never split.
    pub fn table_kept(&mut self, table: &Table, blocks: &[usize]) {
        let widths = self.column_widths(table);
        let header_h: f32 = self.header_grid(table, &widths).1.iter().sum();
        let room = self.geometry.height - self.geometry.top - self.geometry.bottom - header_h;
        // A row taller than a whole page (a name of thousands of letters) is the one row that
        // is split: into pieces of whole lines that each fit a page, so nothing is cut off.
        let split = self.split_tall_rows(table, &widths, blocks, room);
        let (table, blocks) = match &split {
            Some((t, b)) => (t, b.as_slice()),
            None => (table, blocks),
        };
        let heights: Vec<f32> = table
            .rows
            .iter()
            .map(|r| self.row_height(table, &widths, r))
            .collect();
        // The first row of each block and the block's height.
        let mut block_at = vec![None; table.rows.len()];
        let mut start = 0;
        for n in blocks.iter().copied().chain(std::iter::repeat(1)) {
            if start >= table.rows.len() {
                break;
            }
            let end = (start + n.max(1)).min(table.rows.len());
            block_at[start] = Some(heights[start..end].iter().sum::<f32>());
            start = end;
        }
        let kept = |r: usize| block_at[r].filter(|b| *b <= room).unwrap_or(heights[r]);
        // Headings kept with this table go on the page where its header and first block go.
        let need = header_h + if heights.is_empty() { 0.0 } else { kept(0) };
        self.flush(need);
        self.ensure(need);
        self.draw_header(table, &widths);
        let left = self.geometry.left;
        for (r, row) in table.rows.iter().enumerate() {
            let h = heights[r];
            let block = kept(r);
            if h > self.remaining() || block > self.remaining() {
                self.new_page();
                self.draw_header(table, &widths);
            }
            let top = self.y;
            let mut c = 0;
            for cell in row {
                let x = left + Self::span_width(&widths, 0, c);
                let w = Self::span_width(&widths, c, cell.span);
                self.draw_cell(cell, table.size, x, top, w, h, 1.0);
                c += cell.span;
            }
            self.y = top - h;
        }
    }

    /// `table` with each row taller than `room` split into rows of whole lines that fit, and
    /// `blocks` counted in the new rows; `None` when no row is that tall (the usual case).
    fn split_tall_rows(
        &self,
        table: &Table,
        widths: &[f32],
        blocks: &[usize],
        room: f32,
    ) -> Option<(Table, Vec<usize>)> {
        let lh = line_height(table.size);
        let tall = |row: &[Cell]| self.row_height(table, widths, row) > room;
        if !table.rows.iter().any(|r| tall(r)) {
            return None;
        }
        let mut per_piece = 1;
        while (per_piece + 1) as f32 * lh + 2.0 * PAD <= room {
            per_piece += 1;
        }
        let mut rows = Vec::with_capacity(table.rows.len());
        let mut pieces = Vec::with_capacity(table.rows.len());
        for row in &table.rows {
            if !tall(row) {
                rows.push(row.clone());
                pieces.push(1);
                continue;
            }
            let mut c = 0;
            let lines: Vec<Vec<String>> = row
                .iter()
                .map(|cell| {
                    let w = Self::span_width(widths, c, cell.span);
                    c += cell.span;
                    self.cell_lines(cell, table.size, w)
                        .into_iter()
                        .map(|l| l.text)
                        .collect()
                })
                .collect();
            let n = lines
                .iter()
                .map(Vec::len)
                .max()
                .unwrap_or(1)
                .div_ceil(per_piece);
            for k in 0..n {
                // Each piece gets its own lines only: cloning the whole cell for each piece
                // copied a name of millions of letters once per piece (issue 20).
                rows.push(
                    row.iter()
                        .zip(&lines)
                        .map(|(cell, lines)| Cell {
                            text: lines
                                .iter()
                                .skip(k * per_piece)
                                .take(per_piece)
                                .map(String::as_str)
                                .collect::<Vec<_>>()
                                .join("\n"),
                            style: cell.style,
                            align: cell.align,
                            span: cell.span,
                            rows: cell.rows,
                        })
                        .collect(),
                );
            }
            pieces.push(n);
        }
        let mut new_blocks = Vec::with_capacity(blocks.len());
        let mut r = 0;
        for &b in blocks {
            let end = (r + b.max(1)).min(pieces.len());
            new_blocks.push(pieces[r..end].iter().sum());
            r = end;
        }
        new_blocks.extend(pieces[r..].iter().copied());
        Some((
            Table {
                rows,
                ..table.clone()
            },
            new_blocks,
        ))
    }

    /// Ends the layout: places what still waits, adds page numbers, footer and watermark to
    /// every page.
    #[must_use]
    pub fn finish(mut self, deco: &Decorations) -> Vec<Page> {
        self.flush(0.0);
        let g = self.geometry;
        let qr = deco
            .last_page_qr
            .as_ref()
            .map(|(n, runs)| (QrPlace::new(*n, &g), runs));
        // The code needs the bottom right of the last page: content there moves it to a page
        // of its own rather than be drawn over.
        if let Some((place, _)) = &qr
            && self.pages.last().is_some_and(|page| {
                page.items
                    .iter()
                    .any(|it| overlaps(it.bounds(self.fonts), place.clear_box()))
            })
        {
            self.new_page();
        }
        let fonts = self.fonts;
        let mut pages = self.pages;
        let count = pages.len();
        let head = deco.running_head.as_ref().map(|h| HeadText::new(fonts, h));
        for (i, page) in pages.iter_mut().enumerate() {
            let mut under = Vec::new();
            if let Some(mark) = &deco.watermark {
                under.push(Item::Watermark { text: nfc(mark) });
            }
            if deco.page_numbers && i > 0 {
                let n = (i + 1).to_string();
                let size = 13.0;
                let w = fonts.width(Style::Regular, size, &n);
                under.push(Item::Text {
                    x: (g.width - w) / 2.0 + (g.left - g.right) / 2.0,
                    y: g.height - g.top / 2.0 - size / 3.0,
                    size,
                    style: Style::Regular,
                    text: n,
                    word_spacing: 0.0,
                });
            }
            if let Some(head) = &head {
                under.push(head.item(fonts, g, i + 1, count));
            }
            let last = i + 1 == count;
            let mut lines: Vec<String> = deco.footer.iter().map(|f| nfc(f)).collect();
            let mut avail = g.content_width();
            if last {
                lines.extend(deco.last_page_lines.iter().map(|f| nfc(f)));
                if let Some((place, runs)) = &qr {
                    under.push(Item::Qr {
                        x: place.x,
                        y_top: place.y + place.side,
                        module: place.module,
                        runs: (*runs).clone(),
                    });
                    avail = place.clear_box().0 - 6.0 - g.left;
                }
            }
            let size = 8.0;
            let step = 10.0;
            let first_y = g.bottom / 2.0 - size / 3.0 + (lines.len() as f32 - 1.0) * step / 2.0;
            for (k, text) in lines.into_iter().enumerate() {
                let w = fonts.width(Style::Regular, size, &text);
                under.push(Item::Text {
                    x: g.left + (avail - w).max(0.0) / 2.0,
                    y: first_y - k as f32 * step,
                    size,
                    style: Style::Regular,
                    text,
                    word_spacing: 0.0,
                });
            }
            under.append(&mut page.items);
            page.items = under;
        }
        pages
    }
}

/// A running head's text measured once for the whole layout: the advance of each of its
/// prefixes, so that each page finds where to cut it by a binary search. Shortening a copy
/// letter by letter and measuring it again, page after page, was cubic in the length of a
/// group's name (5,000 letters 0.25 s, 20,000 8.6 s: issue 20).
struct HeadText<'a> {
    head: &'a RunningHead,
    /// The text, NFC.
    text: String,
    /// For each character count `i`, the byte length of the first `i` characters and their
    /// advance in font units (`i` = 0 included).
    prefixes: Vec<(usize, u64)>,
}

impl<'a> HeadText<'a> {
    fn new(fonts: &Fonts, head: &'a RunningHead) -> Self {
        let text = nfc(&head.text);
        let mut prefixes = Vec::with_capacity(text.len() + 1);
        prefixes.push((0, 0));
        let mut units = 0;
        for (at, ch) in text.char_indices() {
            units += fonts.advance(RUNNING_HEAD_STYLE, ch);
            prefixes.push((at + ch.len_utf8(), units));
        }
        Self {
            head,
            text,
            prefixes,
        }
    }

    /// The running head of page `k` of `n`, centred in the top margin between the side
    /// margins; its text loses letters (ending with "…") rather than run into the margin.
    fn item(&self, fonts: &Fonts, g: Geometry, k: usize, n: usize) -> Item {
        let (size, style) = (RUNNING_HEAD_SIZE, RUNNING_HEAD_STYLE);
        let tail = format!(" - {} {k}/{n}", nfc(&self.head.page));
        let units = |t: &str| t.chars().map(|ch| fonts.advance(style, ch)).sum::<u64>();
        let fits = |u: u64| fonts.points(style, size, u) <= g.content_width();
        let (tail_u, dots_u) = (units(&tail), units("…"));
        let (_, whole) = self.prefixes.last().copied().unwrap_or_default();
        let line = if fits(whole + tail_u) {
            format!("{}{tail}", self.text)
        } else {
            // The longest prefix that fits with "…" and the tail: fitting is monotone in the
            // prefix's length, advances being never negative.
            let fitting = self
                .prefixes
                .partition_point(|&(_, u)| fits(u + dots_u + tail_u));
            let (end, _) = self.prefixes[fitting.saturating_sub(1)];
            format!("{}…{tail}", self.text[..end].trim_end())
        };
        let w = fonts.width(style, size, &line);
        Item::Text {
            x: g.left + (g.content_width() - w).max(0.0) / 2.0,
            y: g.height - g.top / 2.0 - size / 3.0,
            size,
            style,
            text: line,
            word_spacing: 0.0,
        }
    }
}

/// Whether two `(left, bottom, right, top)` boxes share some area.
fn overlaps(a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

/// Dark runs of a QR code: `(row, first column, end column)`.
pub type QrRuns = Vec<(i32, i32, i32)>;

/// The dark runs of a QR code of `data` (ECC medium) and its side in modules; `None` if the
/// data does not fit a QR code.
#[must_use]
pub fn qr_runs(data: &str) -> Option<(i32, QrRuns)> {
    let code = qrcodegen::QrCode::encode_text(data, qrcodegen::QrCodeEcc::Medium).ok()?;
    let n = code.size();
    let mut runs = Vec::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if code.get_module(col, row) {
                let start = col;
                while col < n && code.get_module(col, row) {
                    col += 1;
                }
                runs.push((row, start, col));
            } else {
                col += 1;
            }
        }
    }
    Some((n, runs))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().unwrap()
    }

    fn row(name: &str) -> Vec<Cell> {
        vec![Cell::new("1").center(), Cell::new(name), Cell::new("5")]
    }

    /// At least three pages, each with the table's header once and every box inside the
    /// margins.
    fn assert_paged_inside_margins(pages: &[Page], g: Geometry) {
        assert!(pages.len() >= 3, "{}", pages.len());
        for page in pages {
            assert_eq!(page.texts().filter(|t| *t == "Họ và tên").count(), 1);
            for item in &page.items {
                if let Item::Rect { y, h, .. } = item {
                    assert!(*y >= g.bottom - 0.01 && y + h <= g.height - g.top + 0.01);
                }
            }
        }
    }

    fn table(rows: usize) -> Table {
        Table {
            widths: vec![40.0, 250.0, 100.0],
            header: vec![vec![
                Cell::head("STT"),
                Cell::head("Họ và tên"),
                Cell::head("Số"),
            ]],
            rows: (0..rows).map(|i| row(&format!("Cán bộ {i}"))).collect(),
            size: 12.0,
            min_row_height: 20.0,
            header_fill: 0.9,
        }
    }

    /// Widths come from the font's advances: "M" at 10 pt is 8.89 pt in Liberation Serif, and
    /// width scales with size.
    #[test]
    fn measures_with_advances() {
        let f = fonts();
        let m = f.width(Style::Regular, 10.0, "M");
        assert!((m - 8.892).abs() < 0.01, "{m}");
        let a = f.width(Style::Bold, 16.0, "BIÊN BẢN KIỂM PHIẾU");
        let b = f.width(Style::Bold, 8.0, "BIÊN BẢN KIỂM PHIẾU");
        assert!((a - 2.0 * b).abs() < 0.001);
        assert!(f.width(Style::Bold, 12.0, "ABC") > f.width(Style::Regular, 12.0, "ABC"));
        assert_eq!(f.missing_glyph(Style::Regular, "Nguyễn Thị Ánh"), None);
        assert_eq!(f.missing_glyph(Style::Regular, "Lê 李"), Some('李'));
    }

    /// The measurement (skrifa, cached) agrees glyph for glyph with printpdf's own reading of
    /// the fonts, which encodes the text: what is measured is what is drawn.
    #[test]
    fn measured_as_printpdf_reads_the_font() {
        let f = fonts();
        let extra = ['\t', '\n', '李', '\u{ad}', '\u{2028}', '\u{1f600}'];
        for style in Style::ALL {
            let face = f.face(style);
            let parsed = face.parsed().unwrap();
            let chars = crate::text::PRINTABLE
                .iter()
                .flat_map(|&(a, b)| a..=b)
                .chain(extra);
            // Twice: filled, then from the cache.
            for ch in chars.clone().chain(chars) {
                let gid = parsed.lookup_glyph_index(u32::from(ch));
                let advance = parsed.get_horizontal_advance(gid.unwrap_or(0));
                assert_eq!(face.glyph(ch), (gid.is_some(), advance), "{style:?} {ch:?}");
            }
        }
    }

    /// Every character validation lets into an archive ([`crate::text::PRINTABLE`]) is drawn by
    /// each face of the documents and by the app's fonts (Noto Sans, Liberation Mono): what
    /// passes `check` always prints.
    #[test]
    fn printable_characters_are_in_every_font() {
        let f = fonts();
        let app_fonts: [&[u8]; 3] = [
            include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"),
            include_bytes!("../../assets/fonts/NotoSans-Bold.ttf"),
            include_bytes!("../../assets/fonts/LiberationMono-Regular.ttf"),
        ];
        let app: Vec<ParsedFont> = app_fonts
            .iter()
            .map(|b| ParsedFont::from_bytes(b, 0, &mut Vec::new()).unwrap())
            .collect();
        let mut checked = 0;
        for &(a, b) in crate::text::PRINTABLE {
            for ch in a..=b {
                for style in Style::ALL {
                    assert_eq!(f.missing_glyph(style, &ch.to_string()), None, "{style:?}");
                }
                // The app draws with Noto Sans (Liberation Mono for monospace) and falls back
                // to the documents' own Liberation Serif (app/fonts.rs): one of them has it.
                for font in &app {
                    assert!(
                        font.lookup_glyph_index(u32::from(ch)).is_some()
                            || f.missing_glyph(Style::Regular, &ch.to_string()).is_none(),
                        "U+{:04X} missing in an app font",
                        u32::from(ch)
                    );
                }
                checked += 1;
            }
        }
        assert!(checked > 700, "{checked}");
    }

    /// A word of millions of letters (a hand-edited archive) is measured without overflow and
    /// broken into lines no wider than the column.
    #[test]
    fn overlong_word_is_measured_and_broken() {
        let f = fonts();
        let word = "W".repeat(2_300_000);
        assert!(f.width(Style::Regular, 10.0, &word) > 1.0e7);
        let lines = f.wrap(Style::Regular, 10.0, &word[..20_000], 100.0);
        assert!(lines.len() > 100);
        assert!(
            lines
                .iter()
                .all(|l| f.width(Style::Regular, 10.0, l) <= 100.0)
        );
        assert_eq!(lines.concat().len(), 20_000);
    }

    /// Wrapping keeps every word, never exceeds the width, and breaks words longer than a line.
    #[test]
    fn wraps_to_width() {
        let f = fonts();
        let text = "Lấy phiếu tín nhiệm đối với người giữ chức vụ do Hội đồng nhân dân bầu";
        let lines = f.wrap(Style::Regular, 14.0, text, 150.0);
        assert!(lines.len() > 2);
        assert!(
            lines
                .iter()
                .all(|l| f.width(Style::Regular, 14.0, l) <= 150.0)
        );
        assert_eq!(lines.join(" "), text);
        let long = f.wrap(Style::Regular, 14.0, &"x".repeat(100), 50.0);
        assert!(long.len() > 1 && long.concat() == "x".repeat(100));
        assert_eq!(f.wrap(Style::Regular, 14.0, "a\nb", 500.0), vec!["a", "b"]);
        assert_eq!(f.wrap(Style::Regular, 14.0, "", 500.0), vec![""]);
    }

    /// A first-line indent narrows the first line only: every later line is filled to the
    /// whole width (the next word would not fit), so justified lines are not set loose.
    #[test]
    fn indent_narrows_the_first_line_only() {
        let f = fonts();
        let text = "Hôm nay, vào lúc 9 giờ 00, ngày 05 tháng 10 năm 2023, tại Phòng họp tầng 3, \
                    Sở Tư pháp, Hội nghị Đảng ủy Sở lấy phiếu tín nhiệm năm 2023 tiến hành lấy \
                    phiếu tín nhiệm theo Quy định 96-QĐ/TW ngày 02/02/2023 của Bộ Chính trị.";
        let (full, indent) = (300.0, 40.0);
        let lines = f.wrap_indented(Style::Regular, 13.0, text, full, indent);
        assert!(lines.len() > 3);
        let w = |t: &str| f.width(Style::Regular, 13.0, t);
        assert!(w(&lines[0].text) <= full - indent);
        for (i, pair) in lines.windows(2).enumerate() {
            let room = if i == 0 { full - indent } else { full };
            let next_word = pair[1].text.split(' ').next().unwrap();
            let longer = format!("{} {next_word}", pair[0].text);
            assert!(w(&pair[0].text) <= room, "line {i} too wide");
            assert!(w(&longer) > room, "line {i} could hold \"{next_word}\"");
        }
        let words: Vec<&str> = lines.iter().flat_map(|l| l.text.split(' ')).collect();
        assert_eq!(words.join(" "), text);
    }

    /// Centred text is centred in its box and an underline is as long as its text.
    #[test]
    fn centre_and_underline() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        let p = Para::new("ĐẢNG CỘNG SẢN VIỆT NAM", Style::Bold, 15.0)
            .center()
            .underline();
        l.para_in(&p, 300.0, 250.0, 800.0);
        let pages = l.finish(&Decorations::default());
        let w = f.width(Style::Bold, 15.0, "ĐẢNG CỘNG SẢN VIỆT NAM");
        let (tx, lx1, lx2) = match pages[0].items.as_slice() {
            [Item::Text { x, .. }, Item::Line { x1, x2, .. }] => (*x, *x1, *x2),
            other => panic!("{other:?}"),
        };
        assert!((tx + w / 2.0 - 425.0).abs() < 0.01);
        assert!((lx1 - tx).abs() < 0.01 && (lx2 - lx1 - w).abs() < 0.01);
    }

    /// A long table breaks pages, repeats its header on each page, and keeps rows whole
    /// inside the margins.
    #[test]
    fn table_paginates_with_repeated_header() {
        let f = fonts();
        let g = Geometry::a4_official();
        let mut l = Layout::new(&f, g);
        l.table(&table(100));
        let pages = l.finish(&Decorations::default());
        assert_paged_inside_margins(&pages, g);
        let names: Vec<String> = pages
            .iter()
            .flat_map(|p| {
                p.texts()
                    .filter(|t| t.starts_with("Cán bộ"))
                    .map(str::to_owned)
            })
            .collect();
        let expected: Vec<String> = (0..100).map(|i| format!("Cán bộ {i}")).collect();
        assert_eq!(names, expected);
    }

    /// A row taller than a whole page is split into pieces of whole lines, each inside the
    /// margins under a repeated header, and every letter is printed once, in order.
    #[test]
    fn a_row_taller_than_a_page_is_split() {
        let f = fonts();
        let g = Geometry::a4_official();
        let mut l = Layout::new(&f, g);
        let mut t = table(2);
        let word = "Ư".repeat(3_000);
        t.rows.insert(1, row(&word));
        l.table(&t);
        let pages = l.finish(&Decorations::default());
        assert_paged_inside_margins(&pages, g);
        let text: String = pages
            .iter()
            .flat_map(|p| p.texts().filter(|t| t.starts_with('Ư')).map(str::to_owned))
            .collect();
        assert_eq!(text, word);
        let all: Vec<&str> = pages.iter().flat_map(Page::texts).collect();
        let pos = |s: &str| all.iter().position(|t| *t == s).unwrap();
        assert!(pos("Cán bộ 0") < pos("Cán bộ 1"));
    }

    /// A row that does not fit moves whole to the next page: each row's three cells are on
    /// the same page.
    #[test]
    fn rows_never_split() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        let mut t = table(60);
        t.rows[30][2] = Cell::new("một\nhai\nba\nbốn\nnăm\nsáu");
        l.table(&t);
        let pages = l.finish(&Decorations::default());
        for page in &pages {
            let ones = page.texts().filter(|t| *t == "1").count();
            let names = page.texts().filter(|t| t.starts_with("Cán bộ")).count();
            assert_eq!(ones, names);
        }
        let six = pages.iter().position(|p| p.texts().any(|t| t == "sáu"));
        let one = pages.iter().position(|p| p.texts().any(|t| t == "một"));
        assert_eq!(six, one);
    }

    /// Rows in blocks move together: a block of three that does not fit starts the next page
    /// whole, and rows after the blocks still paginate one by one.
    #[test]
    fn blocks_kept_together() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        let t = table(90);
        l.table_kept(&t, &[3; 30]);
        let pages = l.finish(&Decorations::default());
        assert!(pages.len() >= 2);
        for page in &pages {
            let names: Vec<usize> = page
                .texts()
                .filter_map(|t| t.strip_prefix("Cán bộ "))
                .map(|n| n.parse().unwrap())
                .collect();
            assert_eq!(names.first().map(|n| n % 3), Some(0), "{names:?}");
            assert_eq!(names.last().map(|n| n % 3), Some(2), "{names:?}");
        }
        // Without blocks, some page breaks inside a block of three.
        let mut l = Layout::new(&f, Geometry::a4_official());
        l.table(&t);
        let pages = l.finish(&Decorations::default());
        assert!(pages.iter().any(|p| {
            p.texts()
                .filter_map(|t| t.strip_prefix("Cán bộ "))
                .last()
                .is_some_and(|n| n.parse::<usize>().unwrap() % 3 != 2)
        }));
    }

    /// Page numbers start on page 2, centred at the top; the footer is on every page.
    #[test]
    fn page_numbers_and_footer() {
        let f = fonts();
        let g = Geometry::a4_official();
        let mut l = Layout::new(&f, g);
        l.table(&table(120));
        let deco = Decorations {
            footer: Some("Mã kiểm tra: abcd".into()),
            page_numbers: true,
            watermark: Some("BẢN NHÁP".into()),
            last_page_lines: vec!["SHA-256: ffff".into()],
            last_page_qr: qr_runs("x"),
            running_head: None,
        };
        let pages = l.finish(&deco);
        assert!(pages.len() >= 3);
        for (i, page) in pages.iter().enumerate() {
            let last = i + 1 == pages.len();
            let qr = page.items.iter().find_map(|it| match it {
                Item::Qr { y_top, x, .. } => Some((*x, *y_top)),
                _ => None,
            });
            assert_eq!(qr.is_some(), last, "QR only on the last page");
            if let Some((x, _)) = qr {
                assert!(x > g.left + g.content_width() / 2.0);
            }
            assert_eq!(page.texts().any(|t| t == "SHA-256: ffff"), last);
        }
        let in_top_margin = |page: &Page| {
            page.items
                .iter()
                .filter(|it| matches!(it, Item::Text { y, .. } if *y > g.height - g.top))
                .count()
        };
        assert_eq!(in_top_margin(&pages[0]), 0);
        for (i, page) in pages.iter().enumerate() {
            assert_eq!(
                page.texts().filter(|t| *t == "Mã kiểm tra: abcd").count(),
                1
            );
            assert!(matches!(page.items[0], Item::Watermark { .. }));
            if i > 0 {
                assert_eq!(in_top_margin(page), 1);
                let n = (i + 1).to_string();
                let y = page.items.iter().find_map(|it| match it {
                    Item::Text { text, y, .. } if *text == n => Some(*y),
                    _ => None,
                });
                assert!(y.is_some_and(|y| y > g.height - g.top), "page {n}");
            }
        }
    }

    /// The running head is on every page, the first included, in the top margin, with
    /// "trang k/n" counted within the layout; a text too long for one line is shortened with
    /// "…" and the page number kept.
    #[test]
    fn running_head_on_every_page() {
        let f = fonts();
        let g = Geometry::a4_official();
        for (text, cut) in [
            ("Phiếu tín nhiệm - Nhóm A", false),
            (&*"Nhóm ".repeat(80), true),
        ] {
            let mut l = Layout::new(&f, g);
            l.table(&table(120));
            let pages = l.finish(&Decorations {
                running_head: Some(RunningHead {
                    text: text.to_owned(),
                    page: "trang".into(),
                }),
                ..Decorations::default()
            });
            let n = pages.len();
            assert!(n >= 3);
            for (i, page) in pages.iter().enumerate() {
                let head = page.items.iter().find_map(|it| match it {
                    Item::Text { text, y, x, .. } if *y > g.height - g.top => {
                        Some((text.clone(), *x, it.text_end(&f)))
                    }
                    _ => None,
                });
                let (head, x, end) = head.unwrap();
                assert!(head.ends_with(&format!(" - trang {}/{n}", i + 1)), "{head}");
                assert_eq!(head.contains('…'), cut, "{head}");
                assert!(x >= g.left && end <= g.width - g.right + 0.01, "{head}");
            }
        }
    }

    /// Paragraphs flow onto a new page when the current one is full.
    #[test]
    fn paragraphs_break_pages() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        for i in 0..100 {
            l.para(&Para::new(format!("Dòng {i}"), Style::Regular, 14.0));
        }
        assert_eq!(l.page_count(), 3);
        let pages = l.finish(&Decorations::default());
        assert!(pages[2].texts().any(|t| t == "Dòng 99"));
    }

    /// The page (index) each text is on.
    fn page_of(pages: &[Page], text: &str) -> Option<usize> {
        pages.iter().position(|p| p.texts().any(|t| t == text))
    }

    /// Fills the first page with lines until exactly `lines` body lines of 14 pt are left.
    fn fill_leaving(l: &mut Layout<'_>, lines: f32) {
        let lh = line_height(14.0);
        while l.remaining() >= lines * lh + lh {
            l.para(&Para::new("đầy", Style::Regular, 14.0));
        }
        l.space(l.remaining() - lines * lh);
        assert!((l.remaining() - lines * lh).abs() < 0.01 && l.page_count() == 1);
    }

    fn three_lines() -> Para {
        Para::new("một\nhai\nba", Style::Regular, 14.0)
    }

    /// A heading that fits as the last line of a page goes to the next page with the first
    /// lines of its paragraph; the same heading without keep-with-next stays behind.
    #[test]
    fn heading_moves_with_next_paragraph() {
        let f = fonts();
        for keep in [true, false] {
            let mut l = Layout::new(&f, Geometry::a4_official());
            fill_leaving(&mut l, 1.5);
            let mut heading = Para::new("Đối chiếu Quy định 96:", Style::Bold, 14.0);
            heading.keep = keep;
            l.para(&heading);
            l.para(&three_lines());
            let pages = l.finish(&Decorations::default());
            assert_eq!(page_of(&pages, "một"), Some(1));
            let expected = if keep { 1 } else { 0 };
            assert_eq!(page_of(&pages, "Đối chiếu Quy định 96:"), Some(expected));
        }
    }

    /// A heading stays when its paragraph's first two lines fit under it, even if the rest
    /// of the paragraph goes on.
    #[test]
    fn heading_stays_when_two_lines_fit() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        fill_leaving(&mut l, 3.2);
        l.para(&Para::new("Tiêu đề", Style::Bold, 14.0).keep_with_next());
        l.para(&Para::new("a\nb\nc\nd", Style::Regular, 14.0));
        let pages = l.finish(&Decorations::default());
        assert_eq!(page_of(&pages, "Tiêu đề"), Some(0));
        assert_eq!(page_of(&pages, "a"), Some(0));
        assert_eq!(page_of(&pages, "b"), Some(0));
        assert_eq!(page_of(&pages, "c"), Some(1));
        assert_eq!(page_of(&pages, "d"), Some(1));
    }

    /// A three-line paragraph cannot start with two lines (the third would be a widow), so a
    /// heading with room for two lines under it moves along with it.
    #[test]
    fn heading_moves_with_three_line_paragraph() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        fill_leaving(&mut l, 3.5);
        l.para(&Para::new("Tiêu đề", Style::Bold, 14.0).keep_with_next());
        l.para(&three_lines());
        let pages = l.finish(&Decorations::default());
        assert_eq!(page_of(&pages, "Tiêu đề"), Some(1));
        assert_eq!(page_of(&pages, "một"), Some(1));
        assert_eq!(page_of(&pages, "ba"), Some(1));
    }

    /// Two kept paragraphs in a row (a heading and its note) go together with the header and
    /// first row of the table after them; the space between them is kept too.
    #[test]
    fn headings_chain_onto_table_header_and_first_row() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        // Room for the two headings and the header, not for the first row as well.
        fill_leaving(&mut l, 3.5);
        l.para(&Para::new("Tiêu chí 1: Chính trị", Style::BoldItalic, 14.0).keep_with_next());
        l.space(4.0);
        l.para(&Para::new("(Tham khảo.)", Style::Regular, 14.0).keep_with_next());
        l.table(&table(3));
        let pages = l.finish(&Decorations::default());
        assert_eq!(page_of(&pages, "Tiêu chí 1: Chính trị"), Some(1));
        assert_eq!(page_of(&pages, "(Tham khảo.)"), Some(1));
        assert_eq!(page_of(&pages, "Họ và tên"), Some(1));
        assert_eq!(page_of(&pages, "Cán bộ 0"), Some(1));
        assert!(pages[0].texts().all(|t| t == "đầy"));
    }

    /// A heading left waiting at the end of the layout is still placed.
    #[test]
    fn heading_at_the_end_is_placed() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        l.para(&Para::new("Cuối", Style::Bold, 14.0).keep_with_next());
        let pages = l.finish(&Decorations::default());
        assert_eq!(page_of(&pages, "Cuối"), Some(0));
    }

    /// A signature block (title, room to sign, name) never straddles two pages, and the
    /// closing line kept with it moves along.
    #[test]
    fn signature_block_never_splits() {
        let f = fonts();
        let g = Geometry::a4_official();
        let sign = |name: &str| {
            vec![
                Para::new("T/M BAN KIỂM PHIẾU", Style::Bold, 14.0).center(),
                Para::new(" ", Style::Regular, 50.0),
                Para::new(name, Style::Bold, 14.0).center(),
            ]
        };
        for room in [1.0, 2.5, 5.5, 7.0, 9.0] {
            let mut l = Layout::new(&f, g);
            fill_leaving(&mut l, room);
            l.para(&Para::new("Ban kiểm phiếu ký tên.", Style::Regular, 14.0).keep_with_next());
            l.space(14.0);
            let half = g.content_width() / 2.0;
            l.columns(&[
                (g.left, half, sign("Lê Văn A")),
                (g.left + half, half, sign("Trần Thị B")),
            ]);
            let pages = l.finish(&Decorations::default());
            let closing = page_of(&pages, "Ban kiểm phiếu ký tên.");
            for t in ["T/M BAN KIỂM PHIẾU", "Lê Văn A", "Trần Thị B"] {
                assert_eq!(page_of(&pages, t), closing, "{t} with {room} lines left");
            }
            assert_eq!(
                pages
                    .iter()
                    .map(|p| p.texts().filter(|t| *t == "T/M BAN KIỂM PHIẾU").count())
                    .sum::<usize>(),
                2
            );
        }
    }

    /// No paragraph leaves one line alone at the bottom (orphan) or the top (widow) of a page.
    #[test]
    fn no_widows_or_orphans() {
        let f = fonts();
        let text = "1\n2\n3\n4\n5";
        let split = |room: f32| {
            let mut l = Layout::new(&f, Geometry::a4_official());
            fill_leaving(&mut l, room);
            l.para(&Para::new(text, Style::Regular, 14.0));
            let pages = l.finish(&Decorations::default());
            (1..=5)
                .filter(|i| page_of(&pages, &i.to_string()) == Some(0))
                .count()
        };
        // Lines that would stay on the first page for room for 0..6 lines.
        let kept: Vec<usize> = (0..=6).map(|r| split(r as f32 + 0.5)).collect();
        assert_eq!(kept, vec![0, 0, 2, 3, 3, 5, 5]);
    }

    fn words(n: usize) -> String {
        let w = [
            "Ban", "kiểm", "phiếu", "đã", "tiến", "hành", "kiểm", "phiếu", "theo", "quy", "định",
        ];
        (0..n).map(|i| w[i % w.len()]).collect::<Vec<_>>().join(" ")
    }

    /// A justified line ends exactly at the right margin; the paragraph's last line and a line
    /// before a forced break keep normal spaces; every word reads back in order.
    #[test]
    fn justified_lines_reach_the_right_margin() {
        let f = fonts();
        let g = Geometry::a4_official();
        let mut l = Layout::new(&f, g);
        let text = format!("{}\n{}", words(60), words(45));
        let p = Para::new(&text, Style::Regular, 14.0)
            .indent(mm(10.0))
            .justify();
        l.para(&p);
        let pages = l.finish(&Decorations::default());
        let lines: Vec<&Item> = pages[0].items.iter().collect();
        let right = g.width - g.right;
        let wrapped = f.wrap_indented(Style::Regular, 14.0, &text, g.content_width(), mm(10.0));
        assert_eq!(lines.len(), wrapped.len());
        assert!(lines.len() >= 5, "{}", lines.len());
        let mut justified = 0;
        for (item, w) in lines.iter().zip(&wrapped) {
            let Item::Text { word_spacing, .. } = item else {
                panic!("{item:?}")
            };
            let end = item.text_end(&f);
            if w.ends {
                assert!(*word_spacing == 0.0 && end < right - 1.0, "{end} {w:?}");
            } else {
                justified += 1;
                assert!(
                    *word_spacing > 0.0 && (end - right).abs() < 0.01,
                    "{end} vs {right}"
                );
            }
            let runs = item.runs(&f);
            assert_eq!(runs.iter().map(|r| r.1).collect::<String>(), w.text);
            assert!(runs.windows(2).all(|r| r[0].0 < r[1].0));
        }
        assert!(justified >= 3);
        if let Item::Text { x, .. } = lines[0] {
            assert!((x - g.left - mm(10.0)).abs() < 0.01);
        }
    }

    /// The last page's QR code of a full fingerprint is at least 25 mm wide, its quiet zone at
    /// least 10 mm inside every paper edge and clear of every other item, whether the last
    /// page is nearly empty or full to its bottom margin.
    #[test]
    fn qr_big_inside_the_edges_and_clear() {
        let f = fonts();
        let g = Geometry::a4_official();
        let code = qr_runs(&format!("tinnhiem:sha256:{}", "ab".repeat(32)));
        let mut moved = 0;
        for rows in [3, 30, 31, 32, 33, 34, 35] {
            let mut l = Layout::new(&f, g);
            l.table(&table(rows));
            let before = l.page_count();
            let deco = Decorations {
                footer: Some("BẢN NHÁP (chưa phải biên bản chính thức) · Mã kiểm tra: abcd".into()),
                page_numbers: true,
                watermark: None,
                last_page_lines: vec![format!("Mã kiểm tra đầy đủ (SHA-256): {}", "ab".repeat(32))],
                last_page_qr: code.clone(),
                running_head: None,
            };
            let pages = l.finish(&deco);
            assert!(pages.len() == before || pages.len() == before + 1);
            moved += pages.len() - before;
            let last = pages.last().unwrap();
            let (qr, box_) = last
                .items
                .iter()
                .find_map(|it| match it {
                    Item::Qr { .. } => Some((it, it.bounds(&f))),
                    _ => None,
                })
                .unwrap();
            let Item::Qr { module, .. } = qr else {
                unreachable!()
            };
            let side = box_.2 - box_.0;
            assert!(side >= mm(25.0) - 0.01, "{side} pt");
            let q = QR_QUIET_MODULES * module;
            let edge = mm(10.0) - 0.01;
            assert!(box_.0 - q >= edge && box_.1 - q >= edge, "{box_:?}");
            assert!(g.width - box_.2 - q >= edge && g.height - box_.3 - q >= edge);
            let clear = (box_.0 - q, box_.1 - q, box_.2 + q, box_.3 + q);
            for it in &last.items {
                if !matches!(it, Item::Qr { .. }) {
                    assert!(!overlaps(it.bounds(&f), clear), "{rows} rows: {it:?}");
                }
            }
        }
        assert!(moved > 0 && moved < 7, "{moved}");
    }

    /// A QR code of a 64-digit fingerprint encodes to a square with dark runs.
    #[test]
    fn qr_encodes() {
        let (n, runs) = qr_runs(&"ab".repeat(32)).unwrap();
        assert!(n >= 21);
        assert!(!runs.is_empty() && runs.iter().all(|&(r, a, b)| r < n && a < b && b <= n));
    }
}
