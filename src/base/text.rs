//! Bilingual text, the display language and Unicode normalisation.
//!
//! Every user-facing message of the core carries both languages so that the GUI, the CLI and the
//! documents pick one at the edge and the core never needs to know which is on screen.

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::{UnicodeNormalization, is_nfc};

/// The language a person reads. Vietnamese is the default: the users are Vietnamese committees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Tiếng Việt.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Both languages, Vietnamese first, for menus.
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The language's own name, as shown in a language switch.
    #[must_use]
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Vi => "Tiếng Việt",
            Lang::En => "English",
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "vi" => Ok(Lang::Vi),
            "en" => Ok(Lang::En),
            other => Err(format!(
                "ngôn ngữ không hỗ trợ / unsupported language: {other} (vi, en)"
            )),
        }
    }
}

/// A static text in both languages, for labels and fixed legal wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tr {
    /// Vietnamese.
    pub vi: &'static str,
    /// English.
    pub en: &'static str,
}

impl Tr {
    /// Builds a pair; `const` so that tables of legal text live in statics.
    #[must_use]
    pub const fn new(vi: &'static str, en: &'static str) -> Self {
        Self { vi, en }
    }

    /// The text in `lang`.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.vi,
            Lang::En => self.en,
        }
    }
}

/// A generated message in both languages (it may contain numbers and names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Vietnamese.
    pub vi: String,
    /// English.
    pub en: String,
}

impl Message {
    /// Builds a message from its two renderings.
    #[must_use]
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The message in `lang`.
    #[must_use]
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    /// The message followed by ": `detail`" (a system's own words, in both), when any.
    #[must_use]
    pub fn with_detail(self, detail: &str) -> Self {
        if detail.trim().is_empty() {
            return self;
        }
        Self {
            vi: format!("{}: {detail}", self.vi),
            en: format!("{}: {detail}", self.en),
        }
    }

    /// Splits an error's "tiếng Việt / English" display text into its two languages, so that
    /// a `thiserror` message is written once and serves both the CLI and the GUI.
    #[must_use]
    pub fn from_bilingual(text: &str) -> Self {
        let (vi, en) = text.split_once(" / ").unwrap_or((text, text));
        Self::new(vi, en)
    }
}

impl fmt::Display for Message {
    /// Both languages, Vietnamese first: used where the reader's language is unknown (logs, CLI
    /// errors before `--lang` is parsed).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.vi, self.en)
    }
}

/// What went wrong with a file, in a person's words, for a system error of `kind`: "không tìm
/// thấy tệp", never the system's own "No such file or directory (os error 2)", which is
/// English on every system and names a code nobody at a committee can read. The one place
/// every message about a file that could not be read or written takes its reason from (the
/// archive's, the documents', a certificate or spreadsheet read); the message adds the path.
#[must_use]
pub fn io_error_words(kind: std::io::ErrorKind) -> Tr {
    use std::io::ErrorKind as K;
    match kind {
        K::NotFound => Tr::new(
            "không tìm thấy tệp hoặc thư mục",
            "file or folder not found",
        ),
        K::PermissionDenied => Tr::new(
            "không có quyền đọc hoặc ghi ở đây",
            "no permission to read or write here",
        ),
        K::ReadOnlyFilesystem => Tr::new(
            "ổ đĩa chỉ cho đọc, không ghi được (ví dụ USB bị khóa ghi, đĩa CD)",
            "the drive is read-only (a write-protected USB stick, a CD)",
        ),
        K::StorageFull | K::QuotaExceeded => Tr::new("ổ đĩa đã đầy", "the disk is full"),
        K::FileTooLarge => Tr::new("tệp quá lớn", "the file is too large"),
        K::AlreadyExists => Tr::new("tệp đã có", "the file already exists"),
        K::InvalidData | K::UnexpectedEof => Tr::new(
            "nội dung tệp bị hỏng hoặc không đúng loại",
            "the file's content is damaged or of another kind",
        ),
        K::InvalidInput | K::InvalidFilename => Tr::new(
            "tên hoặc đường dẫn tệp không hợp lệ",
            "invalid file name or path",
        ),
        K::IsADirectory => Tr::new(
            "đây là một thư mục, không phải tệp",
            "this is a folder, not a file",
        ),
        K::NotADirectory => Tr::new(
            "một phần của đường dẫn không phải là thư mục",
            "part of the path is not a folder",
        ),
        K::DirectoryNotEmpty => Tr::new("thư mục không trống", "the folder is not empty"),
        K::ResourceBusy | K::ExecutableFileBusy | K::Deadlock | K::WouldBlock => Tr::new(
            "tệp đang được một chương trình khác dùng",
            "the file is in use by another program",
        ),
        K::CrossesDevices => Tr::new(
            "không chuyển được tệp sang ổ đĩa khác",
            "the file cannot be moved to another drive",
        ),
        K::TooManyLinks => Tr::new("đường dẫn quá nhiều liên kết", "too many links in the path"),
        K::TimedOut => Tr::new(
            "ổ đĩa không trả lời kịp",
            "the drive did not answer in time",
        ),
        K::Interrupted | K::WriteZero => Tr::new(
            "việc đọc ghi bị ngắt giữa chừng",
            "reading or writing was cut short",
        ),
        K::OutOfMemory => Tr::new("máy không đủ bộ nhớ", "the computer is out of memory"),
        K::Unsupported => Tr::new(
            "ổ đĩa này không cho làm việc đó",
            "this drive does not allow it",
        ),
        K::StaleNetworkFileHandle
        | K::NetworkUnreachable
        | K::NetworkDown
        | K::HostUnreachable
        | K::ConnectionRefused
        | K::ConnectionReset
        | K::ConnectionAborted
        | K::NotConnected
        | K::BrokenPipe => Tr::new(
            "mất kết nối tới ổ đĩa mạng",
            "the connection to the network drive was lost",
        ),
        _ => Tr::new(
            "hệ thống không đọc hoặc ghi được tệp",
            "the system could not read or write the file",
        ),
    }
}

/// "Không đọc được tệp X: không tìm thấy tệp hoặc thư mục" and its English: a file that could
/// not be read, with the system's reason in words ([`io_error_words`]).
#[must_use]
pub fn cannot_read(path: &std::path::Path, e: &std::io::Error) -> Message {
    let why = io_error_words(e.kind());
    Message::new(
        format!("Không đọc được tệp {}: {}", path.display(), why.vi),
        format!("Cannot read {}: {}", path.display(), why.en),
    )
}

/// Returns `s` in Unicode NFC.
///
/// Vietnamese typed with combining marks (NFD, as some keyboards and macOS file names produce)
/// must compare equal to the precomposed form and render with the marks in place.
#[must_use]
pub fn nfc(s: &str) -> String {
    if is_nfc(s) {
        s.to_owned()
    } else {
        s.nfc().collect()
    }
}

/// Normalises `s` to NFC in place, allocating only when it is not NFC already.
pub fn nfc_in_place(s: &mut String) {
    if !is_nfc(s) {
        *s = s.nfc().collect();
    }
}

/// Normalises and trims a name-like field: NFC, characters that may not be stored dropped
/// ([`printable`]), outer whitespace removed, inner runs of whitespace collapsed to one space,
/// so that "Nguyễn  Văn A " and "Nguyễn Văn A\u{200b}" are the same cadre as "Nguyễn Văn A"
/// for duplicate detection.
#[must_use]
pub fn clean_name(s: &str) -> String {
    printable(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The keys under which two names look the same: the UTS #39 confusables skeleton (Unicode's
/// table of look-alike characters, `unicode-security`) of the cleaned name ([`clean_name`]),
/// as written and in upper case. Names with a key in common read the same on paper though
/// their letters differ: Cyrillic "Т" for Latin "T", "Ð" (U+00D0) for "Đ", in one case or,
/// by the upper-case key, in another ("ТRẦN" and "Trần"). The skeleton keeps every
/// Vietnamese mark apart (only its own spelling of the hook above), so names that differ by a
/// tone or a vowel mark ("Lê Văn An", "Lê Văn Ân") never share a key.
#[must_use]
pub fn look_alike_keys(name: &str) -> [String; 2] {
    LookAlikeKeys::default().keys(name)
}

/// [`look_alike_keys`] of many names, each distinct word's skeletons made once: the names of a
/// group share their family and middle names, and a skeleton can be made word by word, since
/// nothing in it crosses a space (a space is mapped to itself and no mark is reordered past
/// it). Six times cheaper than whole names on a list of 500 (validation runs after every edit).
#[derive(Debug, Default)]
pub struct LookAlikeKeys {
    words: std::collections::HashMap<String, [String; 2]>,
}

impl LookAlikeKeys {
    /// The keys of `name` ([`look_alike_keys`]).
    pub fn keys(&mut self, name: &str) -> [String; 2] {
        let name = clean_name(name);
        let mut out = [
            String::with_capacity(name.len() + 8),
            String::with_capacity(name.len() + 8),
        ];
        for (k, word) in name.split(' ').enumerate() {
            if !self.words.contains_key(word) {
                let keys = [
                    unicode_security::skeleton(word).collect(),
                    unicode_security::skeleton(&word.to_uppercase()).collect(),
                ];
                self.words.insert(word.to_owned(), keys);
            }
            let Some(keys) = self.words.get(word) else {
                continue;
            };
            for (key, part) in out.iter_mut().zip(keys) {
                if k > 0 {
                    key.push(' ');
                }
                key.push_str(part);
            }
        }
        out
    }
}

/// Whether `c` is Vietnamese writing: ASCII, or a letter of the Vietnamese alphabet (a, ă, â,
/// đ, e, ê, i, o, ô, ơ, u, ư, y with their tone marks, precomposed as NFC stores them). A name
/// with any other character (a Cyrillic or Greek letter, "Ð", a letter with a mark Vietnamese
/// does not use) may pass for another ([`look_alike_keys`]).
#[must_use]
pub fn is_vietnamese(c: char) -> bool {
    c.is_ascii()
        || matches!(c,
            'À'..='Ã' | 'È'..='Ê' | 'Ì' | 'Í' | 'Ò'..='Õ' | 'Ù' | 'Ú' | 'Ý'
            | 'à'..='ã' | 'è'..='ê' | 'ì' | 'í' | 'ò'..='õ' | 'ù' | 'ú' | 'ý'
            | 'Ă' | 'ă' | 'Đ' | 'đ' | 'Ĩ' | 'ĩ' | 'Ũ' | 'ũ' | 'Ơ' | 'ơ' | 'Ư' | 'ư'
            // Latin Extended Additional's Vietnamese letters: Ạ … ỹ.
            | '\u{1ea0}'..='\u{1ef9}')
}

/// The letters by which two names that look alike ([`look_alike_keys`]) differ, in the order
/// they come: each pair of characters at the same place that differ other than by case, or,
/// when the names differ in length ("m" and "rn"), the one stretch between what they share at
/// both ends.
#[must_use]
pub fn look_alike_letters(a: &str, b: &str) -> Vec<(String, String)> {
    let (a, b) = (clean_name(a), clean_name(b));
    let (ac, bc): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let same = |x: char, y: char| x == y || x.to_lowercase().eq(y.to_lowercase());
    let mut out: Vec<(String, String)> = Vec::new();
    if ac.len() == bc.len() {
        for (&x, &y) in ac.iter().zip(&bc) {
            let pair = (x.to_string(), y.to_string());
            if !same(x, y) && !out.contains(&pair) {
                out.push(pair);
            }
        }
        return out;
    }
    let head = ac.iter().zip(&bc).take_while(|(x, y)| x == y).count();
    let tail = ac[head..]
        .iter()
        .rev()
        .zip(bc[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    out.push((
        ac[head..ac.len() - tail].iter().collect(),
        bc[head..bc.len() - tail].iter().collect(),
    ));
    out
}

/// The alphabet a letter of a look-alike is from, as a message names it: the ones
/// [`PRINTABLE`] lets in.
#[must_use]
pub fn script_name(c: char) -> Tr {
    match u32::from(c) {
        0x370..=0x3ff => Tr::new("chữ Hy Lạp", "Greek"),
        0x400..=0x52f => Tr::new("chữ Kirin", "Cyrillic"),
        _ if c.is_alphabetic() => Tr::new("chữ Latinh", "Latin"),
        _ if c.is_numeric() => Tr::new("chữ số", "digit"),
        _ => Tr::new("ký hiệu", "symbol"),
    }
}

/// The characters a stored text may hold: those every bundled font draws (each of the PDF's
/// Liberation faces; the app's Noto Sans, or the Liberation Serif it falls back to; a test in
/// [`crate::documents::layout`] checks each one), minus
/// control and format characters (NUL, DEL, U+FEFF, zero-width and bidi controls), which print
/// as nothing or reorder what is printed. One list, so that what validation accepts is exactly
/// what the minutes can print.
pub const PRINTABLE: &[(char, char)] = &[
    (' ', '~'),
    ('\u{a0}', '\u{ac}'),
    // U+00AD, the soft hyphen, is a format character.
    ('\u{ae}', '\u{233}'),
    // Greek and Cyrillic letters.
    ('\u{391}', '\u{3a1}'),
    ('\u{3a3}', '\u{3a9}'),
    ('\u{3b1}', '\u{3c9}'),
    ('\u{400}', '\u{4ff}'),
    // Latin Extended Additional: Vietnamese letters with two marks (ầ, ở, ự…).
    ('\u{1e00}', '\u{1e9b}'),
    ('\u{1ea0}', '\u{1ef9}'),
    // Dashes, quotation marks, bullet, ellipsis, per mille, primes, angle quotes.
    ('\u{2010}', '\u{2010}'),
    ('\u{2012}', '\u{2015}'),
    ('\u{2017}', '\u{2022}'),
    ('\u{2026}', '\u{2026}'),
    ('\u{2030}', '\u{2030}'),
    ('\u{2032}', '\u{2034}'),
    ('\u{2039}', '\u{203a}'),
    // ₫ and €.
    ('\u{20ab}', '\u{20ac}'),
    // №.
    ('\u{2116}', '\u{2116}'),
    // Arrows ← ↑ → ↓ (the audit log's "2 → 3").
    ('\u{2190}', '\u{2193}'),
];

/// Whether `c` may be stored in a text: a [`PRINTABLE`] character, a line break or a tab
/// (both laid out as white space).
#[must_use]
pub fn is_printable(c: char) -> bool {
    c == '\n' || c == '\t' || PRINTABLE.iter().any(|&(a, b)| a <= c && c <= b)
}

/// Whether `c` may be typed into a field: a [`is_printable`] character or a combining mark
/// (U+0300–U+036F), which some Vietnamese keyboards send after the letter (NFD) and which
/// [`printable`] composes into it.
#[must_use]
pub fn is_typable(c: char) -> bool {
    is_printable(c) || ('\u{300}'..='\u{36f}').contains(&c)
}

/// The first character of `s` that may not be stored, with its position (1-based, counted in
/// characters as a person counts them).
#[must_use]
pub fn first_unprintable(s: &str) -> Option<(usize, char)> {
    s.chars()
        .enumerate()
        .find(|&(_, c)| !is_printable(c))
        .map(|(i, c)| (i + 1, c))
}

/// `s` in NFC without the characters that may not be stored: what a text field keeps of what
/// was typed or pasted (an emoji, a zero-width space from a web page, a bidi mark).
#[must_use]
pub fn printable(s: &str) -> String {
    let s = nfc(s);
    if s.chars().all(is_printable) {
        s
    } else {
        s.chars().filter(|&c| is_printable(c)).collect()
    }
}

/// `s` with each character that may not be stored shown as its code ("[U+200B]"): how the
/// log annex prints the old values the log keeps faithfully.
#[must_use]
pub fn visible(s: &str) -> String {
    if s.chars().all(is_printable) {
        return s.to_owned();
    }
    s.chars()
        .fold(String::with_capacity(s.len()), |mut out, c| {
            if is_printable(c) {
                out.push(c);
            } else {
                out.push_str(&format!("[U+{:04X}]", u32::from(c)));
            }
            out
        })
}

/// How a refused character is named in a message: "U+200B (ký tự vô hình / invisible)" for
/// control and format characters, "“😀” U+1F600" for the others.
#[must_use]
pub fn describe_char(c: char) -> Message {
    let code = format!("U+{:04X}", u32::from(c));
    let invisible = c.is_control()
        || matches!(u32::from(c), 0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x180e
            | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x206f | 0xfeff | 0xfff9..=0xfffb)
        || c.is_whitespace();
    if invisible {
        Message::new(
            format!("{code} (ký tự điều khiển, không nhìn thấy)"),
            format!("{code} (an invisible control character)"),
        )
    } else {
        Message::new(format!("“{c}” {code}"), format!("“{c}” {code}"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// NFD input becomes NFC and compares equal to the precomposed spelling.
    #[test]
    fn nfd_becomes_nfc() {
        let nfd: String = "Nguyễn Thị Ánh".nfd().collect();
        assert_ne!(nfd, "Nguyễn Thị Ánh");
        assert_eq!(nfc(&nfd), "Nguyễn Thị Ánh");
        let mut s = nfd;
        nfc_in_place(&mut s);
        assert_eq!(s, "Nguyễn Thị Ánh");
    }

    /// Names are trimmed and inner whitespace collapsed.
    #[test]
    fn clean_name_collapses_spaces() {
        assert_eq!(clean_name("  Trần\tVăn   Bình "), "Trần Văn Bình");
    }

    /// Vietnamese letters print; control, format and emoji characters do not, with their place.
    #[test]
    fn printable_characters() {
        assert_eq!(
            first_unprintable("Nguyễn Thị Ánh, Ưng Ở Đức ₫ № “x” – …"),
            None
        );
        assert_eq!(first_unprintable("Tổ 2\u{200b}"), Some((5, '\u{200b}')));
        assert_eq!(first_unprintable("a\u{0}"), Some((2, '\u{0}')));
        assert_eq!(first_unprintable("\u{feff}x"), Some((1, '\u{feff}')));
        assert_eq!(first_unprintable("x\u{2066}y"), Some((2, '\u{2066}')));
        assert_eq!(first_unprintable("x\u{61c}"), Some((2, '\u{61c}')));
        assert_eq!(first_unprintable("x\u{7f}"), Some((2, '\u{7f}')));
        assert_eq!(first_unprintable("Bình 😀"), Some((6, '😀')));
        assert_eq!(first_unprintable("soft\u{ad}hyphen"), Some((5, '\u{ad}')));
        assert_eq!(printable("Tổ\u{200b} 2😀"), "Tổ 2");
        assert_eq!(visible("Tổ 2\u{200b}"), "Tổ 2[U+200B]");
        assert!(describe_char('\u{200b}').vi.contains("U+200B"));
    }

    /// Look-alike names share a key and name the letters that differ; names that differ by a
    /// Vietnamese mark, or by a letter that does not look alike, do not share one.
    #[test]
    fn look_alike_names() {
        let alike = |a: &str, b: &str| {
            let (x, y) = (look_alike_keys(a), look_alike_keys(b));
            x[0] == y[0] || x[1] == y[1]
        };
        let pairs = |a, b| look_alike_letters(a, b);
        let p = |x: &str, y: &str| (x.to_owned(), y.to_owned());
        assert!(alike("Тrần Văn Нải", "Trần Văn Hải"));
        assert_eq!(
            pairs("Тrần Văn Нải", "Trần Văn Hải"),
            [p("Т", "T"), p("Н", "H")]
        );
        assert!(alike("Ðặng Thị Mai", "Đặng Thị Mai"));
        assert!(alike("ТRẦN VĂN AN", "Trần Văn An"));
        assert_eq!(pairs("ТRẦN VĂN AN", "Trần Văn An"), [p("Т", "T")]);
        assert!(alike("Lê Vаn Ba", "Lê Van Ba"), "Cyrillic а");
        assert!(alike("Lâm", "Lârn"));
        assert_eq!(pairs("Lâm", "Lârn"), [p("m", "rn")]);
        for (a, b) in [
            ("Lê Văn An", "Lê Văn Ân"),
            ("Nguyễn Văn Hồ", "Nguyễn Văn Hổ"),
            ("Nguyễn Văn Hộ", "Nguyễn Văn Hỗ"),
            ("Phạm Thị Lợi", "Phạm Thị Lọi"),
            ("Đặng Dung", "Đặng Đung"),
            ("Bùi Ánh", "Bùi Anh"),
            ("Trần Thủy", "Trần Thùy"),
            ("Võ Văn Ư", "Võ Văn U"),
            ("Lý Thị Ơn", "Lý Thị On"),
        ] {
            assert!(!alike(a, b), "{a} / {b}");
        }
        // Word by word is the whole name's skeleton.
        let mut keys = LookAlikeKeys::default();
        for name in [
            "Тrần Văn Нải",
            "ÐẶNG THỊ Ánh",
            "  Nguyễn\tHữu   Phước ",
            "Lê Văn Ân",
            "Ngô Thị ỷ ừ ợ",
            "Đỗ Văn 10",
            "Võ\u{200b} Minh",
        ] {
            let clean = clean_name(name);
            let whole: [String; 2] = [
                unicode_security::skeleton(&clean).collect(),
                unicode_security::skeleton(&clean.to_uppercase()).collect(),
            ];
            assert_eq!(keys.keys(name), whole, "{name}");
        }
        // Vietnamese writing: every letter of the alphabet with every tone, and nothing else.
        {
            use unicode_normalization::UnicodeNormalization;
            for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY".chars() {
                for tone in ["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"] {
                    let letter: String = format!("{base}{tone}").nfc().collect();
                    assert!(letter.chars().all(is_vietnamese), "{letter}");
                }
            }
        }
        assert!("Đđ".chars().all(is_vietnamese));
        for c in ['Ð', 'Т', 'а', 'Ω', 'Ä', 'ö', 'ñ', '\u{301}', 'ı'] {
            assert!(!is_vietnamese(c), "{c}");
        }
        assert_eq!(script_name('Т').en, "Cyrillic");
        assert_eq!(script_name('Ω').en, "Greek");
        assert_eq!(script_name('Đ').vi, "chữ Latinh");
    }

    /// A system error is said in words in both languages, whatever its kind, never with the
    /// system's "os error" and code; a file not found is said so.
    #[test]
    fn system_errors_in_words() {
        use std::io::{Error, ErrorKind};
        let missing = std::fs::read("/nonexistent/tinnhiem/x.ron").unwrap_err();
        assert!(missing.to_string().contains("os error"));
        let words = io_error_words(missing.kind());
        assert_eq!(words.vi, "không tìm thấy tệp hoặc thư mục");
        assert_eq!(words.en, "file or folder not found");
        for kind in [
            ErrorKind::PermissionDenied,
            ErrorKind::ReadOnlyFilesystem,
            ErrorKind::StorageFull,
            ErrorKind::AlreadyExists,
            ErrorKind::InvalidData,
            ErrorKind::IsADirectory,
            ErrorKind::Other,
            Error::from_raw_os_error(9999).kind(),
        ] {
            let w = io_error_words(kind);
            for text in [w.vi, w.en] {
                assert!(
                    !text.is_empty() && !text.contains("error"),
                    "{kind:?}: {text}"
                );
            }
        }
        assert_ne!(
            io_error_words(ErrorKind::StorageFull),
            io_error_words(ErrorKind::PermissionDenied)
        );
    }

    /// Language codes parse case-insensitively and reject others with a bilingual message.
    #[test]
    fn lang_parses() {
        assert_eq!("VI".parse::<Lang>(), Ok(Lang::Vi));
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        let err = "fr".parse::<Lang>().unwrap_err();
        assert!(err.contains("fr") && err.contains("unsupported"));
    }
}
