//! The documents that leave the room: the minutes (biên bản kiểm phiếu), blank ballots with a
//! tally sheet, and the results as CSV for Excel.
//!
//! They only read the core: percentages, bands and ranks come from [`crate::tally`], never
//! recomputed here. Layout decisions live in [`layout`], PDF writing in [`render`].

pub mod appearance;
pub mod archival;
pub mod ballots;
pub mod common;
mod compact;
pub mod csv;
mod fontfile;
pub mod guide;
pub mod layout;
pub mod minutes;
pub mod render;
pub mod xlsx;

use thiserror::Error;

use crate::text::{Lang, Message};
use crate::validate::Findings;

/// Why a document could not be produced.
#[derive(Debug, Error)]
pub enum DocumentError {
    /// An embedded font failed to parse (a broken build, not user data).
    #[error("embedded font {0} cannot be read")]
    Font(String),
    /// A text contains a character the font has no glyph for.
    #[error("character {ch:?} in \"{text}\" cannot be printed with the document font")]
    MissingGlyph {
        /// The character.
        ch: char,
        /// The text it appears in.
        text: String,
    },
    /// printpdf or lopdf reported an error.
    #[error("PDF error: {0}")]
    Pdf(String),
    /// The session says it is final, but no longer matches its seal (edited outside the app):
    /// it is not printed as a final result.
    #[error("not printed: {}", .0.en)]
    SealBroken(Message),
    /// The session has errors that keep `what` from being written: for the ballots, a text
    /// too long to lay out or that cannot be printed (E004, E003), the very findings
    /// `tinnhiem check` reports.
    #[error("not written ({}): the session has errors", .what.en)]
    Invalid {
        /// The document ("biên bản", "phiếu").
        what: Message,
        /// The errors.
        findings: Findings,
    },
    /// A picture a document shows cannot be embedded (the guide's screenshots: a broken
    /// build, never the user's data).
    #[error("picture {name} cannot be embedded: {error}")]
    Picture {
        /// The picture's file, as the document names it.
        name: String,
        /// What is wrong with it.
        error: layout::PngError,
    },
    /// A picture a document names is not built into the program.
    #[error("picture {0} is not built into the program")]
    PictureMissing(String),
    /// More pages than one PDF may hold ([`ballots::MAX_PAGES`]).
    #[error("at least {pages} A4 pages, over the limit of {max} for one PDF")]
    TooManyPages {
        /// Pages needed (at least).
        pages: usize,
        /// The limit.
        max: usize,
    },
}

impl DocumentError {
    /// The error in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        match self {
            DocumentError::Font(id) => Message::new(
                format!("không đọc được phông chữ {id} đi kèm chương trình"),
                self.to_string(),
            ),
            DocumentError::MissingGlyph { ch, text } => Message::new(
                format!("ký tự {ch:?} trong \"{text}\" không in được bằng phông chữ của văn bản"),
                self.to_string(),
            ),
            DocumentError::Pdf(e) => Message::new(format!("lỗi tạo PDF: {e}"), self.to_string()),
            DocumentError::Picture { name, error } => Message::new(
                format!(
                    "không đưa được ảnh {name} vào văn bản: {}",
                    error.message().vi
                ),
                self.to_string(),
            ),
            DocumentError::PictureMissing(name) => Message::new(
                format!("ảnh {name} không có sẵn trong chương trình"),
                self.to_string(),
            ),
            DocumentError::SealBroken(m) => {
                Message::new(format!("không in biên bản: {}", m.vi), self.to_string())
            }
            DocumentError::Invalid { what, findings } => {
                let list = |lang: Lang| {
                    findings
                        .errors()
                        .map(|f| format!("\n• {}", f.line(lang)))
                        .collect::<String>()
                };
                Message::new(
                    format!("Không xuất {}: tệp còn lỗi:{}", what.vi, list(Lang::Vi)),
                    format!(
                        "Not written ({}): the session has errors:{}",
                        what.en,
                        list(Lang::En)
                    ),
                )
            }
            DocumentError::TooManyPages { pages, max } => Message::new(
                format!(
                    "Không in: cần ít nhất {pages} trang A4, quá giới hạn {max} trang của một tệp PDF; hãy in ít bản hơn mỗi lần"
                ),
                format!(
                    "Not written: at least {pages} A4 pages are needed, over the limit of {max} for one PDF; print fewer copies at a time"
                ),
            ),
        }
    }
}
