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
}

impl fmt::Display for Message {
    /// Both languages, Vietnamese first: used where the reader's language is unknown (logs, CLI
    /// errors before `--lang` is parsed).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.vi, self.en)
    }
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

/// Normalises and trims a name-like field: NFC, outer whitespace removed, inner runs of
/// whitespace collapsed to one space, so that "Nguyễn  Văn A " and "Nguyễn Văn A" are the same
/// cadre for duplicate detection.
#[must_use]
pub fn clean_name(s: &str) -> String {
    nfc(s).split_whitespace().collect::<Vec<_>>().join(" ")
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

    /// Language codes parse case-insensitively and reject others with a bilingual message.
    #[test]
    fn lang_parses() {
        assert_eq!("VI".parse::<Lang>(), Ok(Lang::Vi));
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        let err = "fr".parse::<Lang>().unwrap_err();
        assert!(err.contains("fr") && err.contains("unsupported"));
    }
}
