//! Names in certificates: the one decoder of a distinguished name's attributes, for the
//! signatures, their appearance, `verify` and the token listing alike.

use der::Tag;

/// The common name (CN) of a distinguished name, if any: "Ký bởi" in the appearance.
#[must_use]
pub fn common_name(name: &x509_cert::name::Name) -> Option<String> {
    name_attribute(name, const_oid::db::rfc4519::CN)
}

/// The organisation (O) of a distinguished name, if any.
#[must_use]
pub fn organisation(name: &x509_cert::name::Name) -> Option<String> {
    name_attribute(name, const_oid::db::rfc4519::O)
}

/// The first attribute `oid` (CN, O, …) of a name, decoded from whichever string type the CA
/// used: the one decoder of certificate names, for the token listing and the signatures.
#[must_use]
pub fn name_attribute(
    name: &x509_cert::name::Name,
    oid: const_oid::ObjectIdentifier,
) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == oid)
        .and_then(|atv| directory_string(&atv.value))
}

/// A DirectoryString's text. BMPString (UTF-16BE) still appears on older Vietnamese
/// certificates; TeletexString is taken as Latin-1, as issuers mean it in practice.
fn directory_string(value: &der::Any) -> Option<String> {
    let bytes = value.value();
    match der::Tagged::tag(value) {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String => {
            std::str::from_utf8(bytes).ok().map(str::to_owned)
        }
        Tag::TeletexString => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

/// How a certificate's name compares with the name printed under a signature block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameMatch {
    /// The same name (case, Unicode form, spacing and the honorific or title a CA adds
    /// aside).
    Same,
    /// The same letters, the certificate's written without Vietnamese marks (some CAs issue
    /// "NGUYEN DUC THINH"): the same person as far as the certificate can say.
    SameWithoutMarks,
    /// Another name.
    Different,
}

impl NameMatch {
    /// Whether the certificate is taken as the printed person's.
    #[must_use]
    pub fn matches(self) -> bool {
        self != NameMatch::Different
    }

    /// In words, as `verify` and the app say it.
    #[must_use]
    pub fn label(self) -> crate::text::Tr {
        use crate::text::Tr;
        match self {
            NameMatch::Same => Tr::new("khớp", "matches"),
            NameMatch::SameWithoutMarks => Tr::new(
                "khớp (chứng thư viết không dấu)",
                "matches (the certificate writes it without marks)",
            ),
            NameMatch::Different => Tr::new("KHÔNG khớp", "does NOT match"),
        }
    }
}

/// Words a CA or an office puts before a name ("Ông", "Bà", "Mr", "TS."): not the name.
const HONORIFICS: [&str; 12] = [
    "ông",
    "bà",
    "anh",
    "chị",
    "đồng chí",
    "mr",
    "mrs",
    "ms",
    "dr",
    "ts",
    "ths",
    "pgs",
];

/// A person's name as compared: NFC, lower case, single spaces, without an honorific before
/// it nor what a CA writes after it (", Giám đốc", " - Sở Nội vụ", "(CMND …)").
fn core_name(name: &str) -> String {
    let name = crate::text::nfc(name).to_lowercase();
    let cut = name
        .find([',', '(', '/', ';'])
        .into_iter()
        .chain(name.find(" - "))
        .min()
        .unwrap_or(name.len());
    let mut words: Vec<&str> = name[..cut].split_whitespace().collect();
    loop {
        let before = words.len();
        for h in HONORIFICS {
            let n = h.split(' ').count();
            let head: Vec<&str> = words
                .iter()
                .take(n)
                .map(|w| w.trim_end_matches('.'))
                .collect();
            if words.len() > n && head.join(" ") == h {
                words.drain(..n);
                break;
            }
        }
        if words.len() == before {
            break;
        }
    }
    words.join(" ")
}

/// `name` without Vietnamese marks: "Nguyễn Đức" → "nguyen duc" (lower case already).
fn without_marks(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// Compares a certificate's common name with the name printed for a signature block.
#[must_use]
pub fn match_names(certificate: &str, printed: &str) -> NameMatch {
    let (cert, printed) = (core_name(certificate), core_name(printed));
    if cert.is_empty() || printed.is_empty() {
        return NameMatch::Different;
    }
    if cert == printed {
        return NameMatch::Same;
    }
    // Only a certificate written wholly without marks is read as the same letters: one with
    // marks that differ ("Đức" against "Dục") is another name.
    if cert.is_ascii() && cert == without_marks(&printed) {
        return NameMatch::SameWithoutMarks;
    }
    NameMatch::Different
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// A CN in BMPString or UTF8String reads as text.
    #[test]
    fn directory_strings() {
        let utf8 = der::Any::new(Tag::Utf8String, "Phạm Văn Đức".as_bytes()).unwrap();
        assert_eq!(directory_string(&utf8).unwrap(), "Phạm Văn Đức");
        let units: Vec<u8> = "Đức".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let bmp = der::Any::new(Tag::BmpString, units).unwrap();
        assert_eq!(directory_string(&bmp).unwrap(), "Đức");
    }

    /// The printed name against what CAs write: case, NFD, spacing, an honorific, a title
    /// after it and a name without marks match; another person, or other marks, do not.
    #[test]
    fn names_match_as_a_person_would_read_them() {
        let printed = "Nguyễn Đức Thịnh";
        let nfd: String = {
            use unicode_normalization::UnicodeNormalization;
            printed.nfd().collect()
        };
        for (cert, want) in [
            ("Nguyễn Đức Thịnh", NameMatch::Same),
            ("NGUYỄN ĐỨC THỊNH", NameMatch::Same),
            (nfd.as_str(), NameMatch::Same),
            ("  Nguyễn  Đức   Thịnh ", NameMatch::Same),
            ("Ông Nguyễn Đức Thịnh", NameMatch::Same),
            ("TS. Nguyễn Đức Thịnh", NameMatch::Same),
            ("Nguyễn Đức Thịnh, Bí thư Chi bộ", NameMatch::Same),
            ("Nguyễn Đức Thịnh - Sở Nội vụ", NameMatch::Same),
            ("Nguyễn Đức Thịnh (CCCD 001080001234)", NameMatch::Same),
            ("NGUYEN DUC THINH", NameMatch::SameWithoutMarks),
            ("Nguyen Duc Thinh", NameMatch::SameWithoutMarks),
            ("Nguyễn Đức Thình", NameMatch::Different),
            ("Nguyễn Dức Thịnh", NameMatch::Different),
            ("Trần Văn Bình", NameMatch::Different),
            ("Nguyễn Đức", NameMatch::Different),
            ("Ông", NameMatch::Different),
            ("", NameMatch::Different),
        ] {
            assert_eq!(match_names(cert, printed), want, "{cert:?}");
        }
        assert_eq!(
            match_names("Trần Thị Hồng Nhung", "Bà Trần Thị Hồng Nhung"),
            NameMatch::Same
        );
        assert_eq!(match_names("Nguyễn Văn A", ""), NameMatch::Different);
    }
}
