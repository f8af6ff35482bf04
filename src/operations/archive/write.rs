//! Writing a file so that it is never half-written: a synced temporary file renamed over the
//! old one, links followed, the mode kept, read-only files refused, and on Windows the retries
//! while another program (a PDF reader, an antivirus) holds the file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{ArchiveError, backup_path};

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
/// go round or nest too deep, [`ArchiveError::Write`] when a link cannot be read (the path is being written through).
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
pub(super) fn write_real(path: &Path, bytes: &[u8]) -> Result<(), ArchiveError> {
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
pub(super) fn held_by_another_program(e: &std::io::Error) -> bool {
    cfg!(windows) && matches!(e.raw_os_error(), Some(5 | 32 | 33))
}

/// Runs `op` on `state` until it succeeds, fails for a reason `held` does not accept, or
/// `waits` run out (sleeping each wait between tries). The error says whether it was `held`.
pub(super) fn retry_while_held<S, T>(
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
pub(super) fn write_error(path: &Path) -> impl Fn(std::io::Error) -> ArchiveError + Copy + '_ {
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
