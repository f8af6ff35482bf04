//! What the layout produces: the items drawn on a page, pages, a printout of pages and the
//! page geometry.

use std::sync::Arc;

use super::{Fonts, Picture, QrRuns, Style};

/// A4 width in points.
pub const A4_WIDTH: f32 = 595.275_6;
/// A4 height in points.
pub const A4_HEIGHT: f32 = 841.889_8;

/// The line width of a [`Item::MarkBox`]: bolder than the table's grid (0.5 pt), so that a
/// voter sees the box to mark, and still thin next to a pen's stroke.
pub const MARK_BOX_LINE: f32 = 0.8;

/// Millimetres to points.
#[must_use]
pub fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

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
    /// A picture stretched over the box with its bottom-left corner at (`x`, `y`). Shared, not
    /// copied: a page is cloned when it is laid out again or shifted, a picture is a megabyte.
    Image {
        /// Left.
        x: f32,
        /// Bottom.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// The picture.
        picture: Arc<Picture>,
    },
    /// A square box for a voter's mark on a ballot a scanner reads
    /// ([`crate::documents::ballots`]): stroked [`MARK_BOX_LINE`] wide, apart from the table's
    /// grid, its bottom-left corner at (`x`, `y`). The reader finds it by its place in the
    /// page's items: the boxes of a ballot line, left to right, line after line.
    MarkBox {
        /// Left.
        x: f32,
        /// Bottom.
        y: f32,
        /// Side.
        side: f32,
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
        /// The person printed under the block (`/TU`, which readers show over the field).
        person: String,
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
            Item::Text { y, .. }
            | Item::Rect { y, .. }
            | Item::MarkBox { y, .. }
            | Item::Image { y, .. }
            | Item::SignatureField { y, .. } => {
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
            Item::Rect { x, y, w, h, .. }
            | Item::Image { x, y, w, h, .. }
            | Item::SignatureField { x, y, w, h, .. } => (*x, *y, x + w, y + h),
            Item::MarkBox { x, y, side } => (*x, *y, x + side, y + side),
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
            Item::Rect { x, .. }
            | Item::MarkBox { x, .. }
            | Item::Qr { x, .. }
            | Item::Image { x, .. }
            | Item::SignatureField { x, .. } => *x,
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
/// copies are one page printed 5,000 times, and the PDF draws it once ([`crate::documents::render`]):
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
