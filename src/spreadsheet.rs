//! A cadre list read from a spreadsheet (.xlsx, .xls, .ods): the office's own list, as kept in
//! Excel, without copying and pasting.
//!
//! Only the first sheet is read; each row becomes a line of the paste format
//! ([`crate::edit::parse_cadre_lines`]), so the same rules apply: header rows in the usual forms
//! are skipped, an STT column is dropped, the name is the first cell and the position the next
//! non-empty one.

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};

use crate::text::Message;

/// The first sheet's rows, each cell as text (numbers as Excel shows them: 1, not 1.0). A
/// damaged file is an error, never a crash: the reader has panicked on malformed files before,
/// so it runs behind `catch_unwind`.
pub fn read_rows(path: &Path) -> Result<Vec<Vec<String>>, Message> {
    std::panic::catch_unwind(|| read_rows_unguarded(path)).unwrap_or_else(|_| {
        let name = path.display();
        Err(Message::new(
            format!("Không đọc được bảng tính {name}: tệp bị hỏng"),
            format!("Cannot read the spreadsheet {name}: the file is damaged"),
        ))
    })
}

fn read_rows_unguarded(path: &Path) -> Result<Vec<Vec<String>>, Message> {
    let name = path.display();
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
    Ok(range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect())
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
