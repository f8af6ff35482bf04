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
use std::io::Write;
use std::path::{Path, PathBuf};

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::model::{FORMAT_VERSION, Session};
use crate::text::{Lang, Message, io_error_words};

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

/// Only the version, read before anything else so that a newer file is refused with the
/// right message instead of an "unknown field" about whatever the newer format added.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: u32,
}

fn options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// Parses an archive's text. Never panics, whatever the text.
///
/// # Errors
///
/// A [`ParseError`] where the text is not an archive this build reads: not RON, a missing or
/// unknown field, a value of the wrong kind, a newer format version; with its line and column.
pub fn from_str(text: &str) -> Result<Session, ParseError> {
    let mut version = FORMAT_VERSION;
    if let Ok(probe) = options().from_str::<VersionProbe>(text) {
        version = probe.format_version;
        if probe.format_version > FORMAT_VERSION {
            return Err(ParseError::NewerVersion {
                found: probe.format_version,
                supported: FORMAT_VERSION,
            });
        }
        if probe.format_version == 0 {
            return Err(ParseError::InvalidVersion { found: 0 });
        }
    }
    let mut session: Session = options().from_str(text).map_err(syntax_error)?;
    session.normalize();
    // Before format 3 an NQ 96/2023 session without a base meant ballots issued, the default
    // then: it keeps the base it was made with.
    if version < 3
        && session.profile == crate::rules::ProfileId::Nq96_2023
        && session.base.is_none()
    {
        session.base = Some(crate::rules::BaseKind::Issued);
    }
    // Read, the session is in this build's format (older formats are subsets of it); the
    // version is the file's, and the next save writes the current one.
    session.format_version = FORMAT_VERSION;
    Ok(session)
}

/// Serialises a session (NFC, deterministic).
///
/// # Errors
///
/// [`ArchiveError::Serialize`] if RON cannot write the session (no session the model holds has been
/// seen to do it).
pub fn to_string(session: &Session) -> Result<String, ArchiveError> {
    let mut session = session.clone();
    session.normalize();
    session.format_version = FORMAT_VERSION;
    let config = PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .extensions(Extensions::IMPLICIT_SOME);
    let body = ron::ser::to_string_pretty(&session, config)
        .map_err(|e| ArchiveError::Serialize(e.to_string()))?;
    Ok(format!("{HEADER}{body}\n"))
}

/// The comment at the top of every archive, so that whoever finds the file in 20 years knows
/// what it is.
const HEADER: &str = "// tinnhiem: biên bản lấy phiếu tín nhiệm (RON) / confidence-vote archive\n";

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

/// How long a writer waits for another to finish with an archive before giving up.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The exclusive lock on an archive, held from reading it to writing it back, so that two
/// writers (two CLI commands, the app and a command) never both read the old content and
/// each write their own change over the other's: the second waits ([`LOCK_WAIT`]) or is
/// refused with [`ArchiveError::Locked`].
///
/// The lock is an operating-system lock on a hidden file beside the archive
/// (`.NAME.ron.lock`), not on the archive itself: the archive is replaced by a rename at each
/// save, and on Windows a lock on it would also stop readers. It ends with the process however
/// the process ends, and the file is removed when the lock is released; one a killed process
/// left is removed at the next open ([`remove_stale_lock`]) or write.
#[derive(Debug)]
pub struct ArchiveLock {
    path: PathBuf,
    lock_path: PathBuf,
    file: Option<fs::File>,
}

/// Locks `path` for a read-modify-write: see [`ArchiveLock`]. A symbolic link is followed
/// first ([`real_path`]): the real file is what is locked, read and replaced.
///
/// # Errors
///
/// As [`lock_within`].
pub fn lock(path: &Path) -> Result<ArchiveLock, ArchiveError> {
    lock_within(path, LOCK_WAIT)
}

/// [`lock`], waiting at most `wait` for another writer ([`std::time::Duration::ZERO`]: one
/// try): the app tries once on its frame and waits, if it must, on a worker thread.
///
/// # Errors
///
/// [`ArchiveError::Locked`] when another writer still holds the lock after `wait`,
/// [`ArchiveError::DanglingLink`] or [`ArchiveError::LinkLoop`] for a link that leads nowhere
/// ([`real_path`]), [`ArchiveError::Write`] when the lock file cannot be made.
pub fn lock_within(path: &Path, wait: std::time::Duration) -> Result<ArchiveLock, ArchiveError> {
    let path = &real_path(path)?;
    let lock_path = lock_path(path);
    let deadline = std::time::Instant::now() + wait;
    loop {
        let mut options = fs::OpenOptions::new();
        options.create(true).truncate(false).write(true);
        #[cfg(windows)]
        {
            use std::os::windows::fs::OpenOptionsExt as _;
            /// `FILE_ATTRIBUTE_HIDDEN`: hidden in Explorer, as its dot name hides it elsewhere.
            const HIDDEN: u32 = 0x2;
            options.attributes(HIDDEN);
        }
        let file = options.open(&lock_path).map_err(write_error(path))?;
        match file.try_lock() {
            Ok(()) => {
                // The holder before us may have removed the file after we opened it: then our
                // lock is on a file no one else will see, and we must take the new one.
                if same_file(&file, &lock_path) {
                    return Ok(ArchiveLock {
                        path: path.to_owned(),
                        lock_path,
                        file: Some(file),
                    });
                }
            }
            Err(fs::TryLockError::WouldBlock) => {}
            // A file system without locks (some network shares): writing goes on unlocked,
            // as it did before locks existed; the app's check of the file's content remains.
            Err(fs::TryLockError::Error(e))
                if e.kind() == std::io::ErrorKind::Unsupported || e.raw_os_error() == Some(37) =>
            {
                return Ok(ArchiveLock {
                    path: path.to_owned(),
                    lock_path,
                    file: None,
                });
            }
            Err(fs::TryLockError::Error(source)) => {
                return Err(ArchiveError::Write {
                    path: path.to_owned(),
                    source,
                });
            }
        }
        if std::time::Instant::now() >= deadline {
            return Err(ArchiveError::Locked {
                path: path.to_owned(),
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
}

impl ArchiveLock {
    /// The archive's real path (symbolic links followed once, when it was locked): where it
    /// is read and written.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the archive under the lock.
    ///
    /// # Errors
    ///
    /// As [`load`].
    pub fn load(&self) -> Result<Session, ArchiveError> {
        load(&self.path)
    }

    /// Writes the archive under the lock ([`write_atomic`]).
    ///
    /// # Errors
    ///
    /// As [`to_string`], and as [`write_atomic`] when the file cannot be written.
    pub fn save(&self, session: &Session) -> Result<(), ArchiveError> {
        let text = to_string(session)?;
        write_real(&self.path, text.as_bytes())
    }

    /// Writes the archive under the lock, but only if the file is still the one whose bytes
    /// hash to `expected` (what this program last read or wrote; `None`: no check). Returns
    /// the SHA-256 of the bytes written.
    ///
    /// # Errors
    ///
    /// [`ArchiveError::ChangedOnDisk`] when the file is no longer the one `expected` hashes
    /// (another program wrote it: nothing is written), and as [`ArchiveLock::save`].
    pub fn save_expecting(
        &self,
        session: &Session,
        expected: Option<[u8; 32]>,
    ) -> Result<[u8; 32], ArchiveError> {
        if let Some(expected) = expected
            && file_digest(&self.path).is_some_and(|now| now != expected)
        {
            return Err(ArchiveError::ChangedOnDisk {
                path: self.path.clone(),
            });
        }
        let text = to_string(session)?;
        write_real(&self.path, text.as_bytes())?;
        Ok(Sha256::digest(text.as_bytes()).into())
    }

    /// Whether the archive can be written: it is not read-only.
    #[must_use]
    pub fn writable(&self) -> bool {
        !is_read_only(&self.path)
    }
}

impl Drop for ArchiveLock {
    fn drop(&mut self) {
        // Removed while still held (where the system allows it), so that the next writer never
        // takes a lock on a file that is about to disappear: it checks [`same_file`].
        // On Windows an open file cannot be removed: it is closed first, and the removal then
        // fails, harmlessly, whenever another writer has it open (to lock it or waiting to).
        if let Some(file) = self.file.take() {
            if cfg!(unix) {
                let _ = fs::remove_file(&self.lock_path);
            }
            let _ = file.unlock();
            drop(file);
            if !cfg!(unix) {
                let _ = fs::remove_file(&self.lock_path);
            }
        }
    }
}

/// Removes the lock file beside `path` that a writer killed while holding it left behind
/// (`kill -9`, a power cut: no clean-up runs). It blocked nothing, since the operating-system
/// lock ended with the process, but it is clutter a person may wonder about. Stale is proved,
/// not guessed from an age: the lock is taken here, so no running program holds it, and the
/// file is removed while held, exactly as a writer's own release does ([`ArchiveLock`]'s
/// `Drop`), so that a writer that opened it meanwhile sees it gone (`same_file`) and takes
/// a new one. Best effort (a folder that cannot be written keeps it).
///
/// Only where files have an identity to compare (Unix): on Windows, where a lock file is
/// removed only after it is closed, the file is left to the next writer, which removes it
/// when it is done.
pub fn remove_stale_lock(path: &Path) {
    if !cfg!(unix) {
        return;
    }
    let Ok(path) = real_path(path) else {
        return;
    };
    let lock_path = lock_path(&path);
    let Ok(file) = fs::OpenOptions::new().write(true).open(&lock_path) else {
        return;
    };
    if file.try_lock().is_ok() && same_file(&file, &lock_path) {
        drop(ArchiveLock {
            path,
            lock_path,
            file: Some(file),
        });
    }
}

/// The SHA-256 of a file's bytes, `None` if it cannot be read.
#[must_use]
pub fn file_digest(path: &Path) -> Option<[u8; 32]> {
    fs::read(path).ok().map(|b| Sha256::digest(&b).into())
}

/// `.NAME.lock` beside `path`.
fn lock_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(".lock");
    path.with_file_name(name)
}

/// Whether the open `file` is the file now at `path` (not one removed since it was opened).
#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

/// Where files cannot be identified (Windows): a lock file is removed only once closed, and no
/// one can remove it while we hold it open, so the file at the path is ours if one is there.
#[cfg(not(unix))]
fn same_file(_file: &fs::File, path: &Path) -> bool {
    path.exists()
}

/// Whether `a` and `b` are the same file on disk: the same path, or a hard or symbolic link
/// to it (an output that is the input under another name).
#[must_use]
pub fn is_same_file(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (fs::metadata(a), fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Whether `path` exists and is read-only (no write permission for anyone; on Windows the
/// read-only attribute).
#[must_use]
pub fn is_read_only(path: &Path) -> bool {
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    // No write bit for anyone, or none for this user (a colleague's 0644 file, a Windows
    // file whose access rules deny writing): either way it is not ours to replace.
    meta.permissions().readonly()
        || fs::OpenOptions::new()
            .write(true)
            .open(path)
            .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
}

/// The most symbolic links followed to find a file: Linux's own limit before `ELOOP`.
pub const MAX_LINKS: usize = 40;

/// The file `path` names: `path` itself, or, if it is a symbolic link, the file at the end
/// of its links (each relative target taken from the link's folder; the folders on the way
/// are left to the system). Every writer works on that path, so that a save through a link
/// replaces the real file, with the `.bak`, the lock and the temporary file beside it,
/// instead of putting a regular file in the link's place while the real archive stays as it
/// was. A path that does not exist yet is itself (a new file); a link to nothing is
/// [`ArchiveError::DanglingLink`] (a new file where a broken link points could be anywhere),
/// a loop [`ArchiveError::LinkLoop`].
///
/// # Errors
///
/// [`ArchiveError::DanglingLink`] for a link to nothing, [`ArchiveError::LinkLoop`] for links that
/// go round or nest too deep, [`ArchiveError::Read`] when a link cannot be read.
pub fn real_path(path: &Path) -> Result<PathBuf, ArchiveError> {
    let mut at = path.to_owned();
    for _ in 0..=MAX_LINKS {
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = fs::read_link(&at).map_err(write_error(path))?;
                at = match at.parent() {
                    Some(dir) => dir.join(target),
                    None => target,
                };
            }
            Ok(_) => return Ok(at),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return if at == path {
                    Ok(at)
                } else {
                    Err(ArchiveError::DanglingLink {
                        path: path.to_owned(),
                        target: at,
                    })
                };
            }
            Err(source) => return Err(write_error(path)(source)),
        }
    }
    Err(ArchiveError::LinkLoop {
        path: path.to_owned(),
    })
}

/// Writes `bytes` to `path` atomically, keeping any previous file as `NAME.bak`. Used for
/// archives and for every document tinnhiem writes, so that nothing is ever half-written.
///
/// The new file keeps the mode of the one it replaces (a new file gets the umask's); a
/// read-only file is not replaced ([`ArchiveError::ReadOnly`]). A symbolic link is followed
/// ([`real_path`]): its target is replaced and the link stays. Temporary files that a killed
/// run left in the folder are removed first ([`clean_stale_temps`]).
///
/// # Errors
///
/// [`ArchiveError::ReadOnly`] when the file is read-only, [`ArchiveError::InUse`] when another
/// program holds it open past the retries, [`ArchiveError::Write`] when the folder cannot be
/// written (full, no permission), and as [`real_path`] for a link that leads nowhere.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
    write_real(&real_path(path)?, bytes)
}

/// [`write_atomic`] to a path whose links are already followed.
fn write_real(path: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
    let err = write_error(path);
    let dir = parent_dir(path);
    clean_stale_temps(&dir);
    let old_meta = fs::metadata(path).ok().filter(fs::Metadata::is_file);
    if old_meta.is_some() && is_read_only(path) {
        return Err(ArchiveError::ReadOnly {
            path: path.to_owned(),
        });
    }
    // Written with the old file's mode from the start (a 0600 archive is never readable by
    // others, even for a moment), with the umask's for a new file.
    let mode = old_meta.as_ref().map(unix_mode);
    let tmp = synced_temp(&dir, ".tmp", bytes, mode).map_err(err)?;
    if let Some(meta) = &old_meta {
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(err)?;
        let old = fs::read(path).map_err(err)?;
        if old != bytes {
            let bak = synced_temp(&dir, ".bak.tmp", &old, mode).map_err(err)?;
            bak.as_file()
                .set_permissions(meta.permissions())
                .map_err(err)?;
            persist_retrying(bak, &backup_path(path))?;
        }
    }
    persist_retrying(tmp, path)?;
    if let Ok(d) = fs::File::open(&dir) {
        // Persisting the rename itself; not all platforms allow fsync on a folder.
        let _ = d.sync_all();
    }
    Ok(())
}

/// How long to wait before each new try to replace a file another program holds open: an
/// antivirus scan or the search indexer lets go within a second or two; a PDF reader never
/// does, and is then named in the message ([`ArchiveError::InUse`]). About 2.6 s in all.
pub const HELD_WAITS: [std::time::Duration; 8] = {
    use std::time::Duration;
    [
        Duration::from_millis(50),
        Duration::from_millis(100),
        Duration::from_millis(200),
        Duration::from_millis(250),
        Duration::from_millis(500),
        Duration::from_millis(500),
        Duration::from_millis(500),
        Duration::from_millis(500),
    ]
};

/// Whether a failed replace is another program holding the file, worth waiting for: on
/// Windows the rename over a file open without delete sharing fails with access denied (5),
/// a sharing (32) or a lock violation (33). Elsewhere an open file never blocks a rename.
fn held_by_another_program(e: &std::io::Error) -> bool {
    cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

/// Runs `op` on `state` until it succeeds, fails for a reason `held` does not accept, or
/// `waits` run out (sleeping each wait between tries). The error says whether it was `held`.
fn retry_while_held<S, T>(
    mut state: S,
    waits: &[std::time::Duration],
    held: impl Fn(&std::io::Error) -> bool,
    op: impl Fn(S) -> Result<T, (std::io::Error, S)>,
) -> Result<T, (std::io::Error, bool)> {
    let mut waits = waits.iter();
    loop {
        match op(state) {
            Ok(t) => return Ok(t),
            Err((e, back)) if held(&e) => match waits.next() {
                Some(wait) => {
                    std::thread::sleep(*wait);
                    state = back;
                }
                None => return Err((e, true)),
            },
            Err((e, _)) => return Err((e, false)),
        }
    }
}

/// Renames `tmp` over `path`, waiting a little for a program that holds `path` open.
fn persist_retrying(tmp: tempfile::NamedTempFile, path: &Path) -> Result<(), ArchiveError> {
    retry_while_held(tmp, &HELD_WAITS, held_by_another_program, |t| {
        t.persist(path).map(drop).map_err(|e| (e.error, e.file))
    })
    .map_err(|(source, held)| {
        if held {
            ArchiveError::InUse {
                path: path.to_owned(),
            }
        } else {
            write_error(path)(source)
        }
    })
}

/// The error for a failed write of `path` (the previous file is intact).
fn write_error(path: &Path) -> impl Fn(std::io::Error) -> ArchiveError + Copy + '_ {
    move |source| ArchiveError::Write {
        path: path.to_owned(),
        source,
    }
}

/// The folder `path` is in (`.` for a bare file name): temporary files go there, so that the
/// final rename stays on one file system and is atomic.
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// A file's permission bits (0 where there are none to read).
fn unix_mode(meta: &fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        0o666
    }
}

/// `bytes` in a new hidden temporary file in `dir`, synced to disk, ready to be renamed.
///
/// Created with `mode` less the umask before any byte is written: the mode of the file it
/// replaces, or 0666 (any new file's) when `None` (tempfile's default is 0600).
fn synced_temp(
    dir: &Path,
    suffix: &str,
    bytes: &[u8],
    mode: Option<u32>,
) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX).suffix(suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(mode.unwrap_or(0o666)));
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// The start of the name of every temporary file tinnhiem writes.
const TEMP_PREFIX: &str = ".tinnhiem-";

/// A temporary file older than this was left by a run that was killed: no write takes so long.
pub const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Removes the temporary files (`.tinnhiem-*.tmp`) that runs killed mid-write left in `dir`,
/// once they are [`STALE_TEMP_AGE`] old (a younger one may be another writer's, under way).
/// Best effort: a file that cannot be removed stays.
pub fn clean_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age >= STALE_TEMP_AGE);
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn syntax_error(e: ron::error::SpannedError) -> ParseError {
    ParseError::Syntax {
        line: e.span.start.line,
        column: e.span.start.col,
        message: explain(&e.code),
    }
}

/// ron's errors in both languages; the common ones a hand edit causes are translated.
fn explain(code: &ron::Error) -> Message {
    use ron::Error as E;
    let list = |names: &[&str]| names.join(", ");
    match code {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => Message::new(
            format!(
                "trường không được biết \"{found}\"{} (các trường hợp lệ: {})",
                in_struct_vi(outer.as_deref()),
                list(expected)
            ),
            format!(
                "unknown field \"{found}\"{} (expected one of: {})",
                in_struct_en(outer.as_deref()),
                list(expected)
            ),
        ),
        E::MissingStructField { field, outer } => Message::new(
            format!("thiếu trường \"{field}\"{}", in_struct_vi(outer.as_deref())),
            format!(
                "missing field \"{field}\"{}",
                in_struct_en(outer.as_deref())
            ),
        ),
        E::DuplicateStructField { field, outer } => Message::new(
            format!(
                "trường \"{field}\" bị lặp{}",
                in_struct_vi(outer.as_deref())
            ),
            format!(
                "duplicate field \"{field}\"{}",
                in_struct_en(outer.as_deref())
            ),
        ),
        E::NoSuchEnumVariant {
            expected, found, ..
        } => Message::new(
            format!(
                "giá trị không hợp lệ \"{found}\" (các giá trị hợp lệ: {})",
                list(expected)
            ),
            format!(
                "unknown value \"{found}\" (expected one of: {})",
                list(expected)
            ),
        ),
        E::IntegerOutOfBounds => Message::new(
            "số quá lớn hoặc âm (số phiếu phải là số nguyên từ 0 đến 4294967295)",
            "number too large or negative (counts are whole numbers from 0 to 4294967295)",
        ),
        E::ExpectedInteger => Message::new(
            "cần một số nguyên không âm",
            "expected a non-negative whole number",
        ),
        E::ExpectedString | E::ExpectedStringEnd => Message::new(
            "cần một chuỗi trong dấu nháy kép \"…\"",
            "expected a string in double quotes \"…\"",
        ),
        E::Eof => Message::new(
            "tệp kết thúc đột ngột (thiếu dấu đóng ngoặc?)",
            "unexpected end of file (a missing closing bracket?)",
        ),
        E::ExpectedComma => Message::new("thiếu dấu phẩy", "expected a comma"),
        E::TrailingCharacters => Message::new(
            "còn ký tự thừa sau khi kết thúc phiên",
            "trailing characters after the session",
        ),
        E::Message(m) => Message::new(format!("giá trị không hợp lệ: {m}"), m.clone()),
        other => Message::new(
            format!("lỗi cú pháp RON: {other}"),
            format!("RON syntax error: {other}"),
        ),
    }
}

fn in_struct_vi(outer: Option<&str>) -> String {
    outer
        .map(|o| format!(" trong mục {}", section(o)))
        .unwrap_or_default()
}

fn in_struct_en(outer: Option<&str>) -> String {
    outer
        .map(|o| format!(" in {}", section(o)))
        .unwrap_or_default()
}

/// The name a person sees in the file for a Rust struct name in ron's messages.
fn section(rust_name: &str) -> &str {
    match rust_name {
        "Session" => "(…)",
        "DocumentMeta" => "meta",
        "Person" => "chair/secretary/committee",
        "BallotGroup" => "groups",
        "Voters" => "voters",
        "Criterion" => "criteria",
        "Cadre" => "cadres",
        "Counts" => "overall/criteria",
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// Recovery copies: the desktop app writes the session a few seconds after every change, beside
// the file (or, for a session never saved, in the user's data folder), so that a crash or a
// killed process loses at most those seconds. A recovery copy newer than its file is offered
// on the next start; a successful save removes it.

/// The name of the recovery copy of a session never saved, in [`data_dir`], for the first
/// running app; a second app at the same time uses `chua-luu-2.ron.recovery`, and so on
/// ([`UnsavedSlot`]).
pub const UNSAVED_RECOVERY: &str = "chua-luu.ron.recovery";

/// How many apps at once keep their own copy of an unsaved session.
pub const UNSAVED_SLOTS: u32 = 8;

/// One running app's claim on a recovery copy for a session never saved.
///
/// Two windows with unsaved sessions would otherwise overwrite each other's copy, and a crash
/// would lose one. The claim is an operating-system lock on `chua-luu-N.lock`, which ends with
/// the process however it ends; so a new app takes the first slot no running app holds, and a
/// copy found there was left by an app that has ended: that is the one to offer.
#[derive(Debug)]
pub struct UnsavedSlot {
    /// Holds the lock while the app runs.
    lock: Option<fs::File>,
    recovery: PathBuf,
}

impl UnsavedSlot {
    /// A slot in `data_dir` that no running app holds: one whose copy an ended app left
    /// behind, if any (so that it is offered, whichever slot it is in), else the first free
    /// one. With all [`UNSAVED_SLOTS`] held, a copy of this process's own, unheld, so that no
    /// running app's copy is overwritten. Where no lock can be taken (a folder that cannot be
    /// made, a file system without locks), the first slot unheld, as before slots existed: a
    /// copy that cannot be written is then reported when the app writes it.
    #[must_use]
    pub fn claim(data_dir: &Path) -> Self {
        let path = |n: u32| {
            if n == 1 {
                data_dir.join(UNSAVED_RECOVERY)
            } else {
                data_dir.join(format!("chua-luu-{n}.ron.recovery"))
            }
        };
        let unheld = |recovery| Self {
            lock: None,
            recovery,
        };
        if fs::create_dir_all(data_dir).is_err() {
            return unheld(path(1));
        }
        let mut free: Option<Self> = None;
        for n in 1..=UNSAVED_SLOTS {
            let Ok(file) = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(data_dir.join(format!("chua-luu-{n}.lock")))
            else {
                return free.unwrap_or_else(|| unheld(path(1)));
            };
            match file.try_lock() {
                Ok(()) => {
                    let slot = Self {
                        lock: Some(file),
                        recovery: path(n),
                    };
                    if slot.recovery.exists() {
                        return slot;
                    }
                    // Kept (its lock held) unless a slot with a copy turns up.
                    free.get_or_insert(slot);
                }
                Err(fs::TryLockError::WouldBlock) => {}
                Err(fs::TryLockError::Error(_)) => {
                    return free.unwrap_or_else(|| unheld(path(1)));
                }
            }
        }
        free.unwrap_or_else(|| {
            unheld(data_dir.join(format!("chua-luu-p{}.ron.recovery", std::process::id())))
        })
    }

    /// Whether this app holds its slot (no other running app writes the same copy).
    #[must_use]
    pub fn is_held(&self) -> bool {
        self.lock.is_some()
    }

    /// This app's recovery copy of a session never saved.
    #[must_use]
    pub fn recovery(&self) -> &Path {
        &self.recovery
    }
}

/// Where the recovery copy of `path` lives: `NAME.ron.recovery` beside it (beside the real
/// file, for a symbolic link: the same copy however the archive was opened); for a session
/// not saved yet (`None`), `unsaved` (this app's [`UnsavedSlot::recovery`]).
#[must_use]
pub fn recovery_path(path: Option<&Path>, unsaved: Option<&Path>) -> Option<PathBuf> {
    match path {
        Some(p) => Some(sibling(
            &real_path(p).unwrap_or_else(|_| p.to_owned()),
            ".recovery",
        )),
        None => unsaved.map(Path::to_owned),
    }
}

/// The user's data folder for tinnhiem (recovery copies of unsaved work, recent files, the
/// theme): `%APPDATA%\tinnhiem` on Windows, `$XDG_DATA_HOME/tinnhiem` (else
/// `~/.local/share/tinnhiem`) on Linux, as the platform's own folder lookup gives it (the
/// Known Folder API on Windows). `None` if none is known.
#[must_use]
pub fn data_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.data_dir().join("tinnhiem"))
}

/// Writes the recovery copy of `session` to `recovery` (atomically, no `.bak`: a recovery copy
/// has no history worth keeping). Creates the folder if needed.
///
/// # Errors
///
/// As [`to_string`] and [`replace_file`].
pub fn save_recovery(recovery: &Path, session: &Session) -> Result<(), ArchiveError> {
    let text = to_string(session)?;
    replace_file(recovery, text.as_bytes())
}

/// Writes `bytes` to `path` through a temporary file and a rename, without keeping a backup:
/// for recovery copies and preferences, where a `.bak` would only be clutter. They are the
/// user's private working files: mode 0600, whatever the archive's.
/// A symbolic link (a preferences file kept elsewhere) is followed, as by [`write_atomic`].
///
/// # Errors
///
/// [`ArchiveError::Write`] when the folder cannot be made or written, and as [`real_path`].
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
    let path = &real_path(path)?;
    let err = write_error(path);
    let dir = parent_dir(path);
    fs::create_dir_all(&dir).map_err(err)?;
    let tmp = synced_temp(&dir, ".tmp", bytes, Some(0o600)).map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// Removes a recovery copy (after a save, or when the user declines it). A missing file is fine.
///
/// # Errors
///
/// [`ArchiveError::Write`] when the file exists and cannot be removed.
pub fn remove_recovery(recovery: &Path) -> Result<(), ArchiveError> {
    match fs::remove_file(recovery) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(ArchiveError::Write {
            path: recovery.to_owned(),
            source,
        }),
    }
}

/// The recovery copy of `path` worth offering: it exists, it is newer than the file (or the
/// file is gone), and it holds a different session. For `None` (never saved), the unsaved
/// recovery copy `unsaved` if it exists and reads.
#[must_use]
pub fn newer_recovery(path: Option<&Path>, unsaved: Option<&Path>) -> Option<PathBuf> {
    let recovery = recovery_path(path, unsaved)?;
    let rec_time = fs::metadata(&recovery).and_then(|m| m.modified()).ok()?;
    let recovered = load(&recovery).ok()?;
    if let Some(path) = path
        && let Ok(file_time) = fs::metadata(path).and_then(|m| m.modified())
    {
        if rec_time < file_time {
            return None;
        }
        if load(path).is_ok_and(|saved| saved == recovered) {
            return None;
        }
    }
    Some(recovery)
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod recovery_tests {
    use super::*;

    /// A file held by another program is tried again after each wait, and reported as held
    /// when the waits run out; any other failure is reported at once.
    #[test]
    fn held_files_are_retried_then_reported() {
        use std::io::{Error, ErrorKind};
        use std::time::Duration;
        let waits = [Duration::ZERO; 3];
        let held = |e: &Error| e.kind() == ErrorKind::ResourceBusy;
        let busy = || Error::new(ErrorKind::ResourceBusy, "busy");
        // Held twice, then let go: done on the third try.
        let r = retry_while_held(0, &waits, held, |n| {
            if n < 2 { Err((busy(), n + 1)) } else { Ok(n) }
        });
        assert_eq!(r.unwrap(), 2);
        // Held for good: one try and one per wait, then "held".
        let tries = std::cell::Cell::new(0);
        let r: Result<(), _> = retry_while_held((), &waits, held, |()| {
            tries.set(tries.get() + 1);
            Err((busy(), ()))
        });
        assert!(matches!(r, Err((_, true))));
        assert_eq!(tries.get(), 4);
        // Another failure: no retry, not "held".
        tries.set(0);
        let r: Result<(), _> = retry_while_held((), &waits, held, |()| {
            tries.set(tries.get() + 1);
            Err((Error::new(ErrorKind::NotFound, "gone"), ()))
        });
        assert!(matches!(r, Err((_, false))));
        assert_eq!(tries.get(), 1);
        // Only Windows' sharing errors count as held.
        assert_eq!(
            held_by_another_program(&Error::from_raw_os_error(32)),
            cfg!(windows)
        );
        let total: Duration = HELD_WAITS.iter().sum();
        assert!(total >= Duration::from_secs(2) && total <= Duration::from_secs(3));
    }

    /// A recovery copy is offered only when it is newer than its file and differs from it.
    #[test]
    fn newer_recovery_detection() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("phien.ron");
        let mut s = Session::default();
        save(&file, &s).unwrap();
        assert_eq!(newer_recovery(Some(&file), None), None);
        let rec = recovery_path(Some(&file), None).unwrap();
        assert_eq!(rec, dir.path().join("phien.ron.recovery"));
        save_recovery(&rec, &s).unwrap();
        assert_eq!(newer_recovery(Some(&file), None), None, "same content");
        s.meta.place = "Huế".into();
        save_recovery(&rec, &s).unwrap();
        assert_eq!(newer_recovery(Some(&file), None), Some(rec.clone()));
        assert!(!backup_path(&rec).exists());
        remove_recovery(&rec).unwrap();
        remove_recovery(&rec).unwrap();
        assert_eq!(newer_recovery(Some(&file), None), None);
    }

    /// A never-saved session's recovery copy lives in the data folder, one per running app:
    /// a second app gets its own slot, and a slot is free again once its holder ends.
    #[test]
    fn unsaved_recovery_slots() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        let first = UnsavedSlot::claim(&data);
        assert!(first.is_held());
        assert_eq!(first.recovery(), data.join(UNSAVED_RECOVERY));
        assert_eq!(newer_recovery(None, Some(first.recovery())), None);
        save_recovery(first.recovery(), &Session::default()).unwrap();
        assert_eq!(
            newer_recovery(None, Some(first.recovery())),
            Some(data.join(UNSAVED_RECOVERY))
        );

        let second = UnsavedSlot::claim(&data);
        assert_eq!(second.recovery(), data.join("chua-luu-2.ron.recovery"));
        assert_eq!(newer_recovery(None, Some(second.recovery())), None);

        // The first app ends (or crashes): the next app takes its slot and finds its copy.
        drop(first);
        let third = UnsavedSlot::claim(&data);
        assert_eq!(third.recovery(), data.join(UNSAVED_RECOVERY));
        assert!(newer_recovery(None, Some(third.recovery())).is_some());

        let rest: Vec<_> = (3..=UNSAVED_SLOTS)
            .map(|_| UnsavedSlot::claim(&data))
            .collect();
        assert!(rest.iter().all(UnsavedSlot::is_held));
        let ninth = UnsavedSlot::claim(&data);
        assert!(!ninth.is_held(), "all slots are held");
        assert_ne!(
            ninth.recovery(),
            data.join(UNSAVED_RECOVERY),
            "no live copy shared"
        );
        assert_eq!(newer_recovery(None, Some(ninth.recovery())), None);
        drop(rest);

        // An app in slot 2 dies with a copy while slot 1 is free: the next app takes slot 2,
        // so that the copy is offered.
        save_recovery(second.recovery(), &Session::default()).unwrap();
        drop((second, third));
        remove_recovery(&data.join(UNSAVED_RECOVERY)).unwrap();
        let next = UnsavedSlot::claim(&data);
        assert_eq!(next.recovery(), data.join("chua-luu-2.ron.recovery"));
        assert!(newer_recovery(None, Some(next.recovery())).is_some());

        // A data folder that cannot be made still names a copy, so that its failure is seen.
        let file = dir.path().join("file");
        fs::write(&file, "x").unwrap();
        let slot = UnsavedSlot::claim(&file);
        assert!(!slot.is_held());
        assert!(save_recovery(slot.recovery(), &Session::default()).is_err());
    }
}
