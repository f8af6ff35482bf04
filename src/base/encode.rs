//! Byte encodings every layer writes: hex digits and PDF text strings. Written once here (they
//! were written eight times across the crate), at the bottom of the map, so that the archive,
//! the fingerprints, the documents and the signatures all spell bytes the same way.

use std::fmt::Write as _;

/// Lower-case hex digits, two per byte: digests, fingerprints and key IDs as people compare
/// them (and as `pkcs11-tool` prints IDs).
#[must_use]
pub fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Upper-case hex digits: the form PDF hex strings take in the files we write.
#[must_use]
pub fn hex_upper(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02X}");
    }
    s
}

/// Bytes from hex digits ("01", "a1B2", surrounding blanks ignored); `None` for anything else
/// (an odd count, a non-digit).
#[must_use]
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) || !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

/// A PDF text string's bytes (ISO 32000-1 §7.9.2.2): UTF-16BE after the byte-order mark FE FF,
/// the one form in which every Vietnamese letter survives any reader.
#[must_use]
pub fn pdf_text(s: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(2 + s.len() * 2);
    bytes.extend_from_slice(&[0xFE, 0xFF]);
    bytes.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    bytes
}

/// PNG's Paeth predictor (RFC 2083 §6.6): of the left, upper and upper-left bytes, the one
/// nearest their gradient. Shared by every reader of PNG-predicted data: a PDF's streams
/// (signing's revisions) and a scanner's images (scan).
#[must_use]
pub fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let (ia, ib, ic) = (i16::from(a), i16::from(b), i16::from(c));
    let p = ia + ib - ic;
    let (pa, pb, pc) = ((p - ia).abs(), (p - ib).abs(), (p - ic).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn hex_both_cases_and_back() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa1, 0xff]), "000fa1ff");
        assert_eq!(hex_upper(&[0x00, 0x0f, 0xa1, 0xff]), "000FA1FF");
        assert_eq!(hex(&[]), "");
        assert_eq!(
            from_hex(" 000fA1ff\n").unwrap(),
            vec![0x00, 0x0f, 0xa1, 0xff]
        );
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
        // A multi-byte character must not be split by the slicing.
        assert_eq!(from_hex("éé"), None);
        for n in 0..=255u8 {
            assert_eq!(from_hex(&hex(&[n, n ^ 0x5a])).unwrap(), vec![n, n ^ 0x5a]);
        }
    }

    #[test]
    fn pdf_text_is_utf16be_with_its_mark() {
        assert_eq!(pdf_text("Ký"), vec![0xFE, 0xFF, 0x00, 0x4B, 0x00, 0xFD]);
        assert_eq!(hex_upper(&pdf_text("Ký")), "FEFF004B00FD");
        // Outside the BMP: a surrogate pair.
        assert_eq!(pdf_text("𝐀")[2..], [0xD8, 0x35, 0xDC, 0x00]);
    }
}
