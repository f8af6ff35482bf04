//! Tables the office keeps in Excel, read without copying and pasting: a cadre list
//! ([`read_rows`], then the paste rules of [`crate::edit::parse_cadre_lines`]) and a counting
//! team's counts ([`counts::read_counts`]).
//!
//! Workbooks (.xlsx, .xls, .ods) are read with calamine, only their first sheet; text tables
//! (.csv, .txt, .tsv) by [`text`]. Either way a cell is its text as the spreadsheet shows it
//! (numbers as Excel shows them: 1, not 1.0).

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use crate::text::Message;

pub mod counts;
pub mod text;

pub use counts::{Accepted, CountsPreview, Refusal, Refused, read_counts};

/// A sheet's cells as text, with the place of its first cell, so that a message names the row
/// and the column the person sees in the spreadsheet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grid {
    /// The sheet row of `rows[0]` (0-based).
    pub top: u32,
    /// The sheet column of each row's first cell (0-based).
    pub left: u32,
    /// The cells, row by row.
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    /// A grid whose first cell is A1.
    #[must_use]
    pub fn new(rows: Vec<Vec<String>>) -> Self {
        Self {
            top: 0,
            left: 0,
            rows,
        }
    }

    /// The sheet's row number (1-based, as Excel shows it) of `rows[i]`.
    #[must_use]
    pub fn row_number(&self, i: usize) -> u32 {
        self.top
            .saturating_add(u32::try_from(i).unwrap_or(u32::MAX))
            .saturating_add(1)
    }

    /// The sheet's column (0-based) of a row's cell `j`.
    #[must_use]
    pub fn column(&self, j: usize) -> u32 {
        self.left
            .saturating_add(u32::try_from(j).unwrap_or(u32::MAX))
    }
}

/// A column as Excel names it: 0 is A, 25 Z, 26 AA.
#[must_use]
pub fn column_name(mut c: u32) -> String {
    let mut out = Vec::new();
    loop {
        // `c % 26` is below 26, so the letter is always A to Z.
        let letter = u8::try_from(c % 26).map_or('?', |d| char::from(b'A' + d));
        out.push(letter);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.iter().rev().collect()
}

/// Whether `path` names a text table rather than a workbook.
fn is_text(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["csv", "txt", "tsv"].contains(&e.to_ascii_lowercase().as_str()))
}

/// The first sheet's cells. A damaged file is an error, never a crash: the reader has
/// panicked on malformed files before, so it runs behind `catch_unwind`.
///
/// # Errors
///
/// The message to show (both languages, naming the file) when it cannot be read, is not a
/// spreadsheet or text table this build reads, or is damaged.
pub fn read_grid(path: &Path) -> Result<Grid, Message> {
    std::panic::catch_unwind(|| read_grid_unguarded(path)).unwrap_or_else(|_| {
        let name = path.display();
        Err(Message::new(
            format!("Không đọc được bảng tính {name}: tệp bị hỏng"),
            format!("Cannot read the spreadsheet {name}: the file is damaged"),
        ))
    })
}

/// The first sheet's rows, each cell as text (see [`read_grid`]).
///
/// # Errors
///
/// As [`read_grid`].
pub fn read_rows(path: &Path) -> Result<Vec<Vec<String>>, Message> {
    read_grid(path).map(|g| g.rows)
}

fn read_grid_unguarded(path: &Path) -> Result<Grid, Message> {
    let name = path.display();
    if is_text(path) {
        let bytes = std::fs::read(path).map_err(|e| {
            Message::new(
                format!("Không đọc được tệp {name}: {e}"),
                format!("Cannot read the file {name}: {e}"),
            )
        })?;
        return text::rows(&bytes, &name.to_string()).map(Grid::new);
    }
    let mut book = open_workbook_auto(path).map_err(|e| {
        Message::new(
            format!("Không đọc được bảng tính {name}: {e}"),
            format!("Cannot read the spreadsheet {name}: {e}"),
        )
    })?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| {
            Message::new(
                format!("Bảng tính {name} không có trang nào"),
                format!("The spreadsheet {name} has no sheet"),
            )
        })?
        .map_err(|e| {
            Message::new(
                format!("Không đọc được trang đầu của {name}: {e}"),
                format!("Cannot read the first sheet of {name}: {e}"),
            )
        })?;
    let (top, left) = range.start().unwrap_or((0, 0));
    Ok(Grid {
        top,
        left,
        rows: range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect(),
    })
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The rows as the paste format: cells separated by tabs, one row a line (a tab or line break
/// inside a cell becomes a space).
#[must_use]
pub fn as_pasted(rows: &[Vec<String>]) -> String {
    rows.iter()
        .map(|r| {
            r.iter()
                .map(|c| c.replace(['\t', '\n', '\r'], " "))
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns are named as Excel names them.
    #[test]
    fn column_names() {
        let names: Vec<String> = [0, 3, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_name)
            .collect();
        assert_eq!(names, ["A", "D", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }
}
