//! The scanner's files as the command line and the app take them: a folder's files in the
//! order people read their names, and a file's bytes with a size limit, so that both read the
//! same files in the same order.

use std::path::{Path, PathBuf};

use crate::text::Message;

/// The extensions of the files a scanner writes that the reader opens
/// ([`super::image::ScanFile`]), lower case: what the file dialogs show.
pub const EXTENSIONS: [&str; 10] = [
    "pdf", "png", "jpg", "jpeg", "tif", "tiff", "pnm", "pgm", "pbm", "ppm",
];

/// The largest file read: a 600 dpi colour PDF of a few hundred pages; larger is not a
/// scanner's batch, and would only be held in memory.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// A name's key for the order people read: runs of digits compared as numbers, so that a
/// scanner's `scan2.jpg` comes before `scan10.jpg`.
pub fn natural_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() + 16);
    let mut digits = String::new();
    let flush = |digits: &mut String, key: &mut String| {
        if !digits.is_empty() {
            let d = digits.trim_start_matches('0');
            key.push_str(&format!("{d:0>20}"));
            digits.clear();
        }
    };
    for ch in name.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
        } else {
            flush(&mut digits, &mut key);
            key.push(ch);
        }
    }
    flush(&mut digits, &mut key);
    key
}

/// The files named, folders opened one level deep (hidden files left out), each folder's
/// files in the order people read their names ([`natural_key`]).
///
/// # Errors
///
/// A folder that cannot be listed, named in both languages.
pub fn files_of(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Message> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut names: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(|e| {
                    Message::new(
                        format!("Không mở được thư mục {}: {e}", input.display()),
                        format!("Cannot open the folder {}: {e}", input.display()),
                    )
                })?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && !p
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            names.sort_by_cached_key(|p| natural_key(&p.to_string_lossy()));
            out.extend(names);
        } else {
            out.push(input.clone());
        }
    }
    Ok(out)
}

/// A file's bytes, or why not (in both languages): a file larger than [`MAX_FILE_BYTES`] is
/// not read at all.
///
/// # Errors
///
/// A file too large, or not readable, in both languages.
pub fn read_file(path: &Path) -> Result<Vec<u8>, Message> {
    let failed = |e: std::io::Error| {
        Message::new(
            format!("Không đọc được tệp: {e}"),
            format!("The file cannot be read: {e}"),
        )
    };
    let len = std::fs::metadata(path).map_err(failed)?.len();
    if len > MAX_FILE_BYTES {
        return Err(Message::new(
            format!(
                "Tệp quá lớn ({len} byte, tối đa {MAX_FILE_BYTES}): không phải tệp của máy quét."
            ),
            format!(
                "The file is too large ({len} bytes, at most {MAX_FILE_BYTES}): not a scanner's file."
            ),
        ));
    }
    std::fs::read(path).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::natural_key;

    #[test]
    fn names_in_the_order_people_read_them() {
        let mut names = vec![
            "scan10.jpg",
            "scan2.jpg",
            "scan1.jpg",
            "Scan 003.pdf",
            "scan02b.jpg",
        ];
        names.sort_by_cached_key(|n| natural_key(n));
        assert_eq!(
            names,
            [
                "Scan 003.pdf",
                "scan1.jpg",
                "scan2.jpg",
                "scan02b.jpg",
                "scan10.jpg"
            ]
        );
    }
}
