//! Ruled tables: cells, column widths fitted to the content, and placing a table on pages
//! (its header repeated on each page, its rows never split).

use super::{Align, Fonts, Item, Layout, Para, Style, Wrapped, baseline, line_height};
use crate::text::nfc;

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
    /// A square box of this side (points) drawn centred in the cell, for a voter's mark
    /// ([`Item::MarkBox`]); the cell has no text then.
    pub mark_box: Option<f32>,
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
            mark_box: None,
        }
    }

    /// An empty cell with a box of `side` points centred in it, for a voter's mark.
    #[must_use]
    pub fn mark_box(side: f32) -> Self {
        Self {
            mark_box: Some(side),
            ..Self::new("")
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

impl Layout<'_> {
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
    fn draw_cell(
        &mut self,
        cell: &Cell,
        lines: &[Wrapped],
        size: f32,
        x: f32,
        top: f32,
        w: f32,
        h: f32,
        fill: f32,
    ) {
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
        if let Some(side) = cell.mark_box {
            self.push(Item::MarkBox {
                x: x + (w - side) / 2.0,
                y: top - (h + side) / 2.0,
                side,
            });
        }
        let lh = line_height(size);
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
            let lines = self.cell_lines(cell, table.size, w);
            self.draw_cell(cell, &lines, table.size, x, y, w, h, table.header_fill);
        }
        self.y = top - heights.iter().sum::<f32>();
    }

    fn row_height(&self, table: &Table, widths: &[f32], row: &[Cell]) -> f32 {
        self.row_lines(table, widths, row).0
    }

    /// A body row's height and the lines of each of its cells, wrapped once for both.
    fn row_lines(&self, table: &Table, widths: &[f32], row: &[Cell]) -> (f32, Vec<Vec<Wrapped>>) {
        let lh = line_height(table.size);
        let mut c = 0;
        let mut h = table.min_row_height.max(lh + 2.0 * PAD);
        let mut cells = Vec::with_capacity(row.len());
        for cell in row {
            let w = Self::span_width(widths, c, cell.span);
            let lines = self.cell_lines(cell, table.size, w);
            h = h.max(lines.len() as f32 * lh + 2.0 * PAD);
            cells.push(lines);
            c += cell.span;
        }
        (h, cells)
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
        let (heights, lines): (Vec<f32>, Vec<Vec<Vec<Wrapped>>>) = table
            .rows
            .iter()
            .map(|r| self.row_lines(table, &widths, r))
            .unzip();
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
        for (r, (row, row_lines)) in table.rows.iter().zip(&lines).enumerate() {
            let h = heights[r];
            let block = kept(r);
            if h > self.remaining() || block > self.remaining() {
                self.new_page();
                self.draw_header(table, &widths);
            }
            let top = self.y;
            let mut c = 0;
            for (cell, cell_lines) in row.iter().zip(row_lines) {
                let x = left + Self::span_width(&widths, 0, c);
                let w = Self::span_width(&widths, c, cell.span);
                self.draw_cell(cell, cell_lines, table.size, x, top, w, h, 1.0);
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
                            // A box for a mark once, in the row's first piece: one box per
                            // mark, as the reader expects.
                            mark_box: cell.mark_box.filter(|_| k == 0),
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
}
