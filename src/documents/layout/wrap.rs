//! Line breaking and paragraphs: greedy word wrapping to a width, and what a paragraph is.

use super::{Align, Fonts, Style};
use crate::text::nfc;

impl Fonts {
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
        // A text that fits whole with room to spare, words already separated by single
        // spaces (most table cells): one line, measured once instead of word by word. The
        // room (0.01 pt) covers the rounding of the word-by-word sums, so the lines are the
        // same either way.
        if indent == 0.0
            && !text.starts_with(' ')
            && !text.ends_with(' ')
            && !text.contains("  ")
            && !text.contains(|c: char| c.is_whitespace() && c != ' ')
            && self.width(style, size, text) < full - 0.01
        {
            return vec![Wrapped {
                text: text.to_owned(),
                ends: true,
            }];
        }
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
    /// on the page where what follows starts (see [`super::Layout::para`]).
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
pub(super) fn baseline(top: f32, size: f32) -> f32 {
    top - (line_height(size) + 0.675 * size) / 2.0
}
