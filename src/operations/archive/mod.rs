//! The RON archive: the one file a committee keeps for years.
//!
//! - Versioned: `format_version` is read first; a newer version is refused with a message that
//!   says so, rather than half-read.
//! - Strict: unknown fields are an error (`deny_unknown_fields`), never silently dropped.
//! - Normalised: all text is NFC on load and on save.
//! - Safe to write: the new content goes to a temporary file in the same folder, is fsynced and
//!   renamed over the old one; the old content is kept as `NAME.ron.bak` first. A crash at any
//!   point leaves either the old or the new file whole.
//! - Deterministic: the same session always serialises to the same bytes.
//!
//! Counts are written without `Some(…)` (`#![enable(implicit_some)]`), and a figure not yet
//! entered is simply absent, so that a person can read and even hand-correct the file.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::model::Session;
use crate::text::{Lang, Message, io_error_words};

mod format;
mod lock;
mod recovery;
#[cfg(test)]
mod tests;
mod write;

pub use format::{from_str, to_string};
pub use lock::{
    ArchiveLock, LOCK_WAIT, file_digest, is_same_file, lock, lock_within, remove_stale_lock,
};
pub use recovery::{
    UNSAVED_RECOVERY, UNSAVED_SLOTS, UnsavedSlot, data_dir, newer_recovery, recovery_path,
    remove_recovery, save_recovery,
};
pub use write::{
    HELD_WAITS, MAX_LINKS, STALE_TEMP_AGE, clean_stale_temps, is_read_only, real_path,
    replace_file, write_atomic,
};

/// Why an archive text could not be read as a session.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    /// The text is not valid RON for a session, at a position.
    #[error("dòng {line}, cột {column}: {} / line {line}, column {column}: {}", .message.vi, .message.en)]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong there.
        message: Message,
    },
    /// The archive was written by a newer tinnhiem.
    #[error(
        "tệp được tạo bởi phiên bản mới hơn (định dạng {found}, phần mềm này đọc được đến {supported}): hãy cập nhật tinnhiem / the file was written by a newer version (format {found}, this build reads up to {supported}): update tinnhiem"
    )]
    NewerVersion {
        /// The version in the file.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// The version number is not one that ever existed.
    #[error("số phiên bản định dạng không hợp lệ: {found} / invalid format version: {found}")]
    InvalidVersion {
        /// The version in the file.
        found: u32,
    },
}

impl ParseError {
    /// The message in both languages, for the GUI.
    #[must_use]
    pub fn message(&self) -> Message {
        match self {
            ParseError::Syntax {
                line,
                column,
                message,
            } => Message::new(
                format!("Dòng {line}, cột {column}: {}", message.vi),
                format!("Line {line}, column {column}: {}", message.en),
            ),
            ParseError::NewerVersion { found, supported } => Message::new(
                format!(
                    "Tệp được tạo bởi phiên bản tinnhiem mới hơn (định dạng {found}; phần mềm này đọc được đến định dạng {supported}). Hãy cập nhật tinnhiem để mở tệp."
                ),
                format!(
                    "The file was written by a newer tinnhiem (format {found}; this build reads up to format {supported}). Update tinnhiem to open it."
                ),
            ),
            ParseError::InvalidVersion { found } => Message::new(
                format!("Số phiên bản định dạng không hợp lệ: {found}"),
                format!("Invalid format version: {found}"),
            ),
        }
    }
}

/// "`vi`: why" and "`en`: why", the system's reason for `source` in words.
fn with_reason(vi: String, en: String, source: &std::io::Error) -> Message {
    let why = io_error_words(source.kind());
    Message::new(format!("{vi}: {}", why.vi), format!("{en}: {}", why.en))
}

/// Why an archive could not be read or written.
#[derive(Debug, Error)]
pub enum ArchiveError {
    /// The file could not be read.
    #[error(
        "không đọc được tệp {path}: {} / cannot read {path}: {}",
        io_error_words(.source.kind()).vi,
        io_error_words(.source.kind()).en
    )]
    Read {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The file is not UTF-8 text: the first byte that is not, by line and column.
    #[error(
        "{path}: dòng {line}, cột {column}: tệp không phải văn bản UTF-8 / line {line}, column {column}: not UTF-8 text"
    )]
    NotText {
        /// The file.
        path: PathBuf,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based column (in characters) of the first invalid byte.
        column: usize,
    },
    /// The file is read-only: tinnhiem does not replace a file its owner protected.
    #[error("{path}: tệp chỉ đọc (read-only), không ghi đè / the file is read-only: not replaced")]
    ReadOnly {
        /// The file.
        path: PathBuf,
    },
    /// The file changed on disk since this program read it (another program wrote it):
    /// saving over it would lose that change.
    #[error(
        "{path}: tệp đã bị chương trình khác thay đổi kể từ khi mở; hãy lưu thành tệp khác để không mất thay đổi nào / the file was changed by another program since it was opened; save to another file so that no change is lost"
    )]
    ChangedOnDisk {
        /// The file.
        path: PathBuf,
    },
    /// Another program (another tinnhiem) is writing the archive and did not finish in time.
    #[error(
        "{path}: một chương trình khác đang ghi tệp này; hãy thử lại sau giây lát / another program is writing this file; try again in a moment"
    )]
    Locked {
        /// The file.
        path: PathBuf,
    },
    /// Another program holds the file open so that it cannot be replaced (a PDF reader, Word,
    /// an antivirus scan that did not end within [`HELD_WAITS`]). The previous file is intact.
    #[error(
        "{path}: tệp đang được một chương trình khác mở, không thay được; hãy đóng nó rồi thử lại / the file is open in another program and cannot be replaced; close it and try again"
    )]
    InUse {
        /// The file.
        path: PathBuf,
    },
    /// The path is a symbolic link to nothing (its target was moved or deleted): nothing is
    /// written, rather than a new file made wherever the link points.
    #[error(
        "{path}: là liên kết tượng trưng (symbolic link) tới {target}, tệp này không tồn tại; không ghi / {path} is a symbolic link to {target}, which does not exist: nothing written"
    )]
    DanglingLink {
        /// The link.
        path: PathBuf,
        /// Where it leads (the last link's target).
        target: PathBuf,
    },
    /// The path is a loop of symbolic links (or a chain longer than [`MAX_LINKS`]).
    #[error(
        "{path}: các liên kết tượng trưng (symbolic link) trỏ vòng quanh, không tới tệp thật nào; không ghi / {path}: a loop of symbolic links that leads to no file: nothing written"
    )]
    LinkLoop {
        /// The link.
        path: PathBuf,
    },
    /// The file's content is not a valid archive.
    #[error("{path}: {source}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        source: ParseError,
    },
    /// The file could not be written; the previous file is untouched.
    #[error(
        "không ghi được tệp {path} (tệp cũ vẫn nguyên vẹn): {} / cannot write {path} (the previous file is intact): {}",
        io_error_words(.source.kind()).vi,
        io_error_words(.source.kind()).en
    )]
    Write {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The session could not be serialised (a bug: every session serialises).
    #[error("lỗi ghi định dạng RON / RON serialisation error: {0}")]
    Serialize(String),
}

impl ArchiveError {
    /// The message in both languages, for the GUI.
    #[must_use]
    pub fn message(&self) -> Message {
        match self {
            ArchiveError::Read { path, source } => crate::text::cannot_read(path, source),
            ArchiveError::NotText { path, line, column } => Message::new(
                format!(
                    "{}: dòng {line}, cột {column}: tệp không phải văn bản UTF-8 (có thể tệp bị hỏng hoặc không phải tệp lưu trữ của tinnhiem)",
                    path.display()
                ),
                format!(
                    "{}: line {line}, column {column}: not UTF-8 text (the file may be damaged or not a tinnhiem archive)",
                    path.display()
                ),
            ),
            ArchiveError::ReadOnly { path } => Message::new(
                format!(
                    "{}: tệp chỉ đọc, không ghi đè. Bỏ thuộc tính chỉ đọc nếu muốn ghi vào tệp này",
                    path.display()
                ),
                format!(
                    "{}: the file is read-only and is not replaced. Clear its read-only attribute to write it",
                    path.display()
                ),
            ),
            ArchiveError::ChangedOnDisk { path } => Message::new(
                format!(
                    "{}: tệp đã bị chương trình khác thay đổi kể từ khi mở; hãy \"Lưu thành…\" tệp khác để không mất thay đổi nào",
                    path.display()
                ),
                format!(
                    "{}: the file was changed by another program since it was opened; use \"Save as…\" another file so that no change is lost",
                    path.display()
                ),
            ),
            ArchiveError::Locked { path } => Message::new(
                format!(
                    "{}: một chương trình khác (một tinnhiem khác) đang ghi tệp này; hãy thử lại sau giây lát",
                    path.display()
                ),
                format!(
                    "{}: another program (another tinnhiem) is writing this file; try again in a moment",
                    path.display()
                ),
            ),
            ArchiveError::InUse { path } => Message::new(
                format!(
                    "{}: tệp đang được một chương trình khác mở (trình đọc PDF, Word, Excel hoặc phần mềm diệt virus) nên không thay được. Hãy đóng tệp đó rồi lưu lại; tệp cũ vẫn nguyên vẹn, chưa mất gì",
                    path.display()
                ),
                format!(
                    "{}: the file is open in another program (a PDF reader, Word, Excel or an antivirus) and cannot be replaced. Close it and save again; the previous file is intact and nothing is lost",
                    path.display()
                ),
            ),
            ArchiveError::DanglingLink { path, target } => Message::new(
                format!(
                    "{} là liên kết tượng trưng (symbolic link) tới {}, tệp này không tồn tại (đã bị chuyển hoặc xóa?). Không ghi gì; hãy sửa liên kết hoặc chọn tệp khác",
                    path.display(),
                    target.display()
                ),
                format!(
                    "{} is a symbolic link to {}, which does not exist (moved or deleted?). Nothing was written; fix the link or choose another file",
                    path.display(),
                    target.display()
                ),
            ),
            ArchiveError::LinkLoop { path } => Message::new(
                format!(
                    "{}: các liên kết tượng trưng (symbolic link) trỏ vòng quanh, không tới tệp thật nào. Không ghi gì",
                    path.display()
                ),
                format!(
                    "{}: a loop of symbolic links that leads to no file. Nothing was written",
                    path.display()
                ),
            ),
            ArchiveError::Parse { path, source } => {
                let m = source.message();
                Message::new(
                    format!("{}: {}", path.display(), m.vi),
                    format!("{}: {}", path.display(), m.en),
                )
            }
            ArchiveError::Write { path, source } => with_reason(
                format!(
                    "Không ghi được tệp {} (tệp cũ vẫn nguyên vẹn)",
                    path.display()
                ),
                format!(
                    "Cannot write {} (the previous file is intact)",
                    path.display()
                ),
                source,
            ),
            ArchiveError::Serialize(e) => Message::new(
                format!("Lỗi ghi định dạng RON: {e}"),
                format!("RON serialisation error: {e}"),
            ),
        }
    }

    /// The message in one language.
    #[must_use]
    pub fn localized(&self, lang: Lang) -> String {
        self.message().get(lang).to_owned()
    }
}

/// Reads an archive from a file.
///
/// # Errors
///
/// As [`load_with_digest`].
pub fn load(path: &Path) -> Result<Session, ArchiveError> {
    load_with_digest(path).map(|(s, _)| s)
}

/// Reads an archive from a file, with the SHA-256 of the bytes read (what the app compares the
/// file with before saving over it). A lock file a killed writer left beside it is removed
/// ([`remove_stale_lock`]).
///
/// # Errors
///
/// [`ArchiveError::Read`] when the file cannot be read, [`ArchiveError::NotText`] when it is not
/// UTF-8, [`ArchiveError::Parse`] when its text is not an archive this build reads ([`from_str`]).
pub fn load_with_digest(path: &Path) -> Result<(Session, [u8; 32]), ArchiveError> {
    remove_stale_lock(path);
    let bytes = fs::read(path).map_err(|source| ArchiveError::Read {
        path: path.to_owned(),
        source,
    })?;
    let digest: [u8; 32] = Sha256::digest(&bytes).into();
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, column) = utf8_position(e.as_bytes(), e.utf8_error().valid_up_to());
        ArchiveError::NotText {
            path: path.to_owned(),
            line,
            column,
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    from_str(text)
        .map(|s| (s, digest))
        .map_err(|source| ArchiveError::Parse {
            path: path.to_owned(),
            source,
        })
}

/// The 1-based line and column (in characters) of byte `at` of `bytes`, whose first `at`
/// bytes are UTF-8: where a person finds the first byte that is not.
fn utf8_position(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = String::from_utf8_lossy(bytes.get(..at).unwrap_or(bytes));
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The backup of the previous content kept by [`save`]: `NAME.ron.bak`.
#[must_use]
pub fn backup_path(path: &Path) -> PathBuf {
    sibling(path, ".bak")
}

/// `path` with `suffix` appended to its file name.
#[must_use]
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// Saves atomically: serialise, write a temporary file beside `path`, fsync, keep the old file
/// as `NAME.ron.bak`, rename the new file over `path`, fsync the folder.
///
/// Takes the archive's lock for the write ([`lock`]); a read-modify-write holds one
/// [`ArchiveLock`] from the read to the write instead.
///
/// # Errors
///
/// As [`lock`] while another writer holds the archive, and as [`ArchiveLock::save`] when it cannot
/// be written.
pub fn save(path: &Path, session: &Session) -> Result<(), ArchiveError> {
    lock(path)?.save(session)
}

/// A shipped example (`assets/examples/NAME.ron`), for the core's unit tests; a time they
/// use for every logged action.
#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
pub(crate) mod fixtures {
    use crate::lifecycle::Timestamp;
    use crate::model::Session;

    pub const T: Timestamp = Timestamp(1_702_629_000);

    pub fn example(name: &str) -> Session {
        let text = std::fs::read_to_string(format!("assets/examples/{name}.ron")).unwrap();
        super::from_str(&text).unwrap()
    }
}
