//! The files a summary reads: folders walked (links to folders not followed, so a loop of
//! links ends), zip files opened, every file read with a ceiling on its size, and nothing
//! ever written (issue 25 §1, §4). What cannot be read is a file with a reason, never an
//! error that stops the run.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::text::Message;

/// The largest archive or minutes file read (a session of a province's 40 cadres is about
/// 60 KB, signed minutes about 200 KB): a larger one is named and left unread.
pub const MAX_FILE: u64 = 32 * 1024 * 1024;
/// The most files taken from one zip file, and the most found in all: a zip of a million
/// empty entries, or a folder of more, is cut there and says so.
pub const MAX_ENTRIES: usize = 20_000;
/// The most bytes taken out of one zip file in all: a zip bomb stops there.
pub const MAX_UNZIPPED: u64 = 512 * 1024 * 1024;

/// What a file is to the summary, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A session archive (.ron).
    Archive,
    /// Minutes (.pdf).
    Minutes,
    /// A zip of those.
    Zip,
    /// Anything else: listed, not read.
    Other,
}

impl Kind {
    /// The kind of a file named `name`.
    #[must_use]
    pub fn of(name: &str) -> Self {
        let lower = name.to_lowercase();
        if lower.ends_with(".ron") {
            Self::Archive
        } else if lower.ends_with(".pdf") {
            Self::Minutes
        } else if lower.ends_with(".zip") {
            Self::Zip
        } else {
            Self::Other
        }
    }
}

/// A file found: where, and what it is. A file inside a zip is named `zip/inner`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The path as the user gave or as the walk found it.
    pub path: PathBuf,
    /// Its kind.
    pub kind: Kind,
    /// Why it is not read, when it is not (a link to a folder, an unreadable folder).
    pub skipped: Option<Message>,
}

/// Every file under `inputs` (files as given, folders walked in name order), in that order.
#[must_use]
pub fn find(inputs: &[PathBuf]) -> Vec<Found> {
    let mut out = Vec::new();
    for input in inputs {
        walk(input, true, &mut out);
        if out.len() >= MAX_ENTRIES {
            out.push(Found {
                path: input.clone(),
                kind: Kind::Other,
                skipped: Some(Message::new(
                    format!("có hơn {MAX_ENTRIES} tệp: phần còn lại không đọc"),
                    format!("more than {MAX_ENTRIES} files: the rest is not read"),
                )),
            });
            break;
        }
    }
    out
}

fn walk(path: &Path, given: bool, out: &mut Vec<Found>) {
    if out.len() >= MAX_ENTRIES {
        return;
    }
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) => {
            out.push(Found {
                path: path.to_owned(),
                kind: Kind::of(&path.to_string_lossy()),
                skipped: Some(crate::text::cannot_read(path, &e)),
            });
            return;
        }
    };
    // A link is followed when it was given, or when it leads to a file; a link to a folder
    // found in a walk is not (it may lead back up: a loop).
    let is_dir = if meta.file_type().is_symlink() {
        let target_is_dir = std::fs::metadata(path).is_ok_and(|m| m.is_dir());
        if target_is_dir && !given {
            out.push(Found {
                path: path.to_owned(),
                kind: Kind::Other,
                skipped: Some(Message::new(
                    "liên kết tới thư mục: không đọc (có thể dẫn vòng lại)",
                    "a link to a folder: not followed (it may lead round in a loop)",
                )),
            });
            return;
        }
        target_is_dir
    } else {
        meta.is_dir()
    };
    if !is_dir {
        // A link to nothing, or a file the system will not show: named with the reason.
        let target = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) => {
                out.push(Found {
                    path: path.to_owned(),
                    kind: Kind::of(&path.to_string_lossy()),
                    skipped: Some(crate::text::cannot_read(path, &e)),
                });
                return;
            }
        };
        // A pipe, socket or device would block or never end a read: named, not opened.
        let regular = target.is_file();
        out.push(Found {
            path: path.to_owned(),
            kind: Kind::of(&path.to_string_lossy()),
            skipped: (!regular).then(|| {
                Message::new(
                    "không phải tệp thường (ống, thiết bị): không đọc",
                    "not a regular file (a pipe, a device): not read",
                )
            }),
        });
        return;
    }
    let entries = match std::fs::read_dir(path) {
        Ok(e) => e,
        Err(e) => {
            out.push(Found {
                path: path.to_owned(),
                kind: Kind::Other,
                skipped: Some(crate::text::cannot_read(path, &e)),
            });
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    children.sort_by_cached_key(|c| crate::scan::files::natural_key(&c.to_string_lossy()));
    for child in children {
        walk(&child, false, out);
    }
}

/// The bytes of the file at `path`, at most [`MAX_FILE`] of them.
///
/// # Errors
/// Why it was not read, with its path: too large, or the system's reason.
pub fn read(path: &Path) -> Result<Vec<u8>, Message> {
    let len = std::fs::metadata(path)
        .map_err(|e| crate::text::cannot_read(path, &e))?
        .len();
    if len > MAX_FILE {
        return Err(too_large(len));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE + 1).read_to_end(&mut bytes))
        .map_err(|e| crate::text::cannot_read(path, &e))?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(len: u64) -> Message {
    let mb = MAX_FILE / (1024 * 1024);
    Message::new(
        format!("tệp quá lớn ({len} byte, tối đa {mb} MB): không phải tệp phiên hay biên bản"),
        format!("file too large ({len} bytes, at most {mb} MB): not an archive or minutes"),
    )
}

/// One file taken out of a zip.
#[derive(Debug)]
pub struct Entry {
    /// `zip/inner`.
    pub path: PathBuf,
    /// Its kind, by its name.
    pub kind: Kind,
    /// Its bytes, or why they were not taken.
    pub bytes: Result<Vec<u8>, Message>,
}

/// The archives and minutes inside the zip `bytes` read from `path`, each at most
/// [`MAX_FILE`], [`MAX_UNZIPPED`] in all and [`MAX_ENTRIES`] of them; a zip inside a zip is
/// not opened (listed with its reason).
///
/// # Errors
/// Why the zip cannot be read at all.
pub fn unzip(path: &Path, bytes: Vec<u8>) -> Result<Vec<Entry>, Message> {
    let damaged = |e: &dyn std::fmt::Display| {
        Message::new(
            format!("tệp zip hỏng: {e}"),
            format!("damaged zip file: {e}"),
        )
    };
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| damaged(&e))?;
    let mut out = Vec::new();
    let mut taken: u64 = 0;
    for i in 0..zip.len() {
        if out.len() >= MAX_ENTRIES {
            out.push(Entry {
                path: path.join("…"),
                kind: Kind::Other,
                bytes: Err(Message::new(
                    format!("tệp zip có hơn {MAX_ENTRIES} tệp: phần còn lại không đọc"),
                    format!("the zip holds more than {MAX_ENTRIES} files: the rest is not read"),
                )),
            });
            break;
        }
        let mut file = match zip.by_index(i) {
            Ok(f) => f,
            Err(e) => {
                out.push(Entry {
                    path: path.join(format!("#{i}")),
                    kind: Kind::Other,
                    bytes: Err(damaged(&e)),
                });
                continue;
            }
        };
        if file.is_dir() {
            continue;
        }
        // Shown only (nothing is written): an absolute name stays under the zip's path.
        let name = file.name().map_or_else(
            |_| format!("#{i}"),
            |n| n.trim_start_matches('/').to_owned(),
        );
        let kind = Kind::of(&name);
        let inner = path.join(&name);
        if matches!(kind, Kind::Other | Kind::Zip) {
            let why = if kind == Kind::Zip {
                Message::new(
                    "tệp zip trong tệp zip: không mở",
                    "a zip inside a zip: not opened",
                )
            } else {
                not_ours()
            };
            out.push(Entry {
                path: inner,
                kind,
                bytes: Err(why),
            });
            continue;
        }
        let room = MAX_FILE.min(MAX_UNZIPPED.saturating_sub(taken));
        let mut bytes = Vec::new();
        let read = (&mut file).take(room + 1).read_to_end(&mut bytes);
        taken += bytes.len() as u64;
        let bytes = match read {
            Err(e) => Err(damaged(&e)),
            Ok(_) if bytes.len() as u64 > room => Err(if room < MAX_FILE {
                Message::new(
                    "tệp zip giải nén quá lớn (có thể là bom zip): phần còn lại không đọc",
                    "the zip unpacks too large (a zip bomb?): the rest is not read",
                )
            } else {
                too_large(file.size())
            }),
            Ok(_) => Ok(bytes),
        };
        let stop = taken > MAX_UNZIPPED;
        out.push(Entry {
            path: inner,
            kind,
            bytes,
        });
        if stop {
            break;
        }
    }
    Ok(out)
}

/// Why a file of another kind is not read.
#[must_use]
pub fn not_ours() -> Message {
    Message::new(
        "không phải tệp phiên (.ron), biên bản (.pdf) hay tệp zip: không đọc",
        "not an archive (.ron), minutes (.pdf) or zip: not read",
    )
}
