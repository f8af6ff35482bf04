//! A table saved as text: CSV from Excel or LibreOffice, or Excel's "Unicode text".
//!
//! What offices produce: UTF-8 with or without a byte-order mark ("CSV UTF-8"), UTF-16 with
//! its mark (Excel's "Unicode text", tab-separated), separated by semicolons (Excel under a
//! Vietnamese or European locale, where the comma is the decimal separator), commas or tabs.
//! Fields may be quoted, with `"` doubled inside (RFC 4180), and hold line breaks.
//!
//! Excel's plain "CSV" under Vietnamese Windows is in the Windows-1258 code page, which is
//! not read: it is refused with the advice to save as "CSV UTF-8" or .xlsx, rather than
//! guessed (a wrong guess misspells every name, and names are how rows are matched).

use crate::text::Message;

/// The largest text table read (a list of 500 cadres is a few tens of kilobytes).
pub const MAX_BYTES: usize = 20 * 1024 * 1024;

/// The text of `bytes`, by its byte-order mark: UTF-16 (either order) or UTF-8, and UTF-8
/// without a mark. `None` for anything else.
fn decode(bytes: &[u8]) -> Option<String> {
    let utf16 = |rest: &[u8], be: bool| {
        if !rest.len().is_multiple_of(2) {
            return None;
        }
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|p| {
                if be {
                    u16::from_be_bytes([p[0], p[1]])
                } else {
                    u16::from_le_bytes([p[0], p[1]])
                }
            })
            .collect();
        String::from_utf16(&units).ok()
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, true);
    }
    let rest = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    String::from_utf8(rest.to_vec()).ok()
}

/// The separator of `text`: a tab if any line has one outside quotes, otherwise the more
/// frequent of `;` and `,` outside quotes (`;` on a tie: a Vietnamese Excel's choice).
fn separator(text: &str) -> char {
    let (mut tabs, mut semis, mut commas) = (0usize, 0usize, 0usize);
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\t' if !quoted => tabs += 1,
            ';' if !quoted => semis += 1,
            ',' if !quoted => commas += 1,
            _ => {}
        }
    }
    if tabs > 0 {
        '\t'
    } else if commas > semis {
        ','
    } else {
        ';'
    }
}

/// The rows of `text` split on `sep`, quotes honoured; a row's trailing CR is dropped.
fn split(text: &str, sep: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                other => field.push(other),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            c if c == sep => row.push(std::mem::take(&mut field)),
            other => field.push(other),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The rows of a text table, or why it cannot be read.
///
/// # Errors
///
/// The message to show when the bytes are over 20 MB or are not text in an encoding offices write.
pub fn rows(bytes: &[u8], name: &str) -> Result<Vec<Vec<String>>, Message> {
    if bytes.len() > MAX_BYTES {
        return Err(Message::new(
            format!("Tệp {name} quá lớn để là một bảng số liệu (hơn 20 MB)"),
            format!("The file {name} is too large for a table of counts (over 20 MB)"),
        ));
    }
    let text = decode(bytes).ok_or_else(|| {
        Message::new(
            format!(
                "Tệp {name} không phải văn bản Unicode (UTF-8 hoặc UTF-16): trong Excel hãy lưu bằng \"CSV UTF-8\" hoặc .xlsx"
            ),
            format!(
                "The file {name} is not Unicode text (UTF-8 or UTF-16): in Excel, save it as \"CSV UTF-8\" or .xlsx"
            ),
        )
    })?;
    Ok(split(&text, separator(&text)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// Semicolons, a BOM, quotes with doubled quotes and a line break inside, CRLF.
    #[test]
    fn excel_csv_with_semicolons() {
        let bytes =
            "\u{feff}STT;Họ và tên;Ghi chú\r\n1;\"Lê \"\"Văn\"\" A\";\"a;b\r\nc\"\r\n".as_bytes();
        let rows = rows(bytes, "x.csv").unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["STT", "Họ và tên", "Ghi chú"],
                vec!["1", "Lê \"Văn\" A", "a;b\r\nc"],
            ]
        );
    }

    /// Commas when they outnumber semicolons; a last line without a line break.
    #[test]
    fn comma_csv() {
        let rows = rows(b"a,b,c\n1,2,3", "x.csv").unwrap();
        assert_eq!(rows, vec![vec!["a", "b", "c"], vec!["1", "2", "3"]]);
    }

    /// Excel's "Unicode text": UTF-16 little-endian with its mark, tab-separated; big-endian
    /// too.
    #[test]
    fn utf16_unicode_text() {
        let text = "Họ và tên\tTín nhiệm cao\r\nĐỗ Hữu Nghĩa\t5\r\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        for bytes in [le, be] {
            let rows = rows(&bytes, "x.txt").unwrap();
            assert_eq!(rows[1], vec!["Đỗ Hữu Nghĩa", "5"]);
        }
    }

    /// A legacy code page (here Windows-1258 bytes) is refused with the advice, not guessed;
    /// a truncated UTF-16 file too.
    #[test]
    fn legacy_code_page_refused() {
        let e = rows(b"H\xf7 t\xean;5\r\n", "x.csv").unwrap_err();
        assert!(e.vi.contains("CSV UTF-8"), "{}", e.vi);
        assert!(rows(&[0xFF, 0xFE, 0x41], "x.txt").is_err());
    }
}
