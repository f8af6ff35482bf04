//! One writer at a time: the lock an archive's read-modify-write holds, and the lock files a
//! killed writer left.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ArchiveError;
use super::format::to_string;
use super::load;
use super::write::{is_read_only, real_path, write_error, write_real};
use crate::model::Session;

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

    /// Writes the archive under the lock ([`super::write_atomic`]).
    ///
    /// # Errors
    ///
    /// As [`to_string`], and as [`super::write_atomic`] when the file cannot be written.
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
