//! Recovery copies: the desktop app writes the session a few seconds after every change, beside
//! the file (or, for a session never saved, in the user's data folder), so that a crash or a
//! killed process loses at most those seconds. A recovery copy newer than its file is offered
//! on the next start; a successful save removes it.

use std::fs;
use std::path::{Path, PathBuf};

use super::ArchiveError;
use super::format::to_string;
use super::write::{real_path, replace_file};
use super::{load, sibling};
use crate::model::Session;

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
