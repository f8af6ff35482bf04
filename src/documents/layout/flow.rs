//! Pagination: the layout cursor that places blocks top-down and starts new pages, the
//! widow, orphan and keep-with-next rules, and what every page carries (running head, page
//! numbers, footer, watermark, the last page's QR code).

use std::sync::Arc;

use super::{
    Align, Fonts, Geometry, Item, Page, Para, Picture, QrPlace, QrRuns, Style, Wrapped, baseline,
    line_height,
};
use crate::text::nfc;

/// Absolute positions are only right once the kept headings waiting for the next block are
/// placed: [`Layout::flush`] first.
const WAITING: &str = "a position read or drawn at while kept headings wait";

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
    pub(super) y: f32,
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
    pub(super) fn flush(&mut self, next: f32) {
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

    pub(super) fn push(&mut self, item: Item) {
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

    pub(super) fn line_in(
        &mut self,
        para: &Para,
        line: &Wrapped,
        x: f32,
        width: f32,
        y: f32,
        first: bool,
    ) {
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

    /// A picture at most `width` points wide (never wider than the text), its aspect kept,
    /// centred, framed, with `caption` under it: the two on one page, the next one when they
    /// do not fit on this, together with the kept-with-next paragraphs before them (a
    /// heading). A picture too tall for a page with its caption is made smaller until they
    /// fit. The frame is a thin line: a light screen's edge is lost on white paper.
    pub fn figure(&mut self, picture: &Arc<Picture>, width: f32, caption: &Para) {
        let g = self.geometry;
        let text_width = g.content_width();
        let caption_height = self.measure_paras(std::slice::from_ref(caption), text_width);
        let gap = caption.size * 0.5;
        let page = g.height - g.top - g.bottom - gap - caption_height;
        let mut w = width.min(text_width).max(0.0);
        let mut h = w * picture.height() as f32 / picture.width() as f32;
        if h > page && page > 0.0 {
            w *= page / h;
            h = page;
        }
        let height = h + gap + caption_height;
        self.flush(height);
        self.ensure(height);
        let (x, y) = (g.left + (text_width - w) / 2.0, self.y - h);
        self.push(Item::Image {
            x,
            y,
            w,
            h,
            picture: Arc::clone(picture),
        });
        self.push(Item::Rect {
            x,
            y,
            w,
            h,
            fill: None,
            stroke: true,
        });
        self.y = y - gap;
        let used = self.para_in(caption, g.left, text_width, self.y);
        self.y -= used;
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
pub(super) fn overlaps(a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}
