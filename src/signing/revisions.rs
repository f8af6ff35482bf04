//! The revisions of a PDF read strictly from its bytes: where each one ends, the
//! cross-reference section that defines its objects, and the raw tokens of a dictionary.
//!
//! A signature covers a prefix of the file. What a reader then shows is decided by the
//! cross-reference sections and by what a tolerant parser makes of the bytes; a verifier that
//! asks the same tolerant parser can be shown one document and made to check another
//! (signature wrapping, incremental-saving and shadow attacks: docs/signing.md). So the
//! verifier reads the structure itself, and accepts only what tinnhiem and ordinary signers
//! write: a chain of revisions, each a cross-reference table or stream with its trailer,
//! `startxref` and `%%EOF`, each later one appended after the end of the one before, every
//! in-use entry pointing at the header of the very object it names. Anything else (a hybrid
//! file's `/XRefStm`, encryption, a broken chain) is refused by name rather than guessed at.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::Read as _;

/// The deepest nesting of arrays and dictionaries read (lopdf's own limit is similar): a
/// hostile file cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// The most bytes an xref stream may inflate to: 8 bytes an entry for 10 million objects.
const MAX_XREF_STREAM: u64 = 80 * 1024 * 1024;

/// Why a file's structure was refused. Each names what and where, for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StructureError {
    /// The file does not end with `startxref`, an offset and `%%EOF`.
    NoEnd,
    /// The cross-reference section at this offset could not be read.
    BadXref(usize),
    /// The trailer (or xref stream dictionary) at this offset could not be read.
    BadTrailer(usize),
    /// An xref entry names object `id` but its offset holds something else.
    MisplacedObject {
        /// The object the entry names.
        id: u32,
        /// The offset the entry gives.
        offset: usize,
    },
    /// An update's object lies outside the bytes that update appended (it reaches back into
    /// an earlier revision, or past its own cross-reference section).
    OutsideUpdate {
        /// The object.
        id: u32,
        /// The offset the entry gives.
        offset: usize,
    },
    /// A `/Prev` chain that does not go strictly backwards, revision by revision.
    BrokenChain(usize),
    /// A construct this verifier does not read: named in Vietnamese and English.
    Unsupported(&'static str, &'static str),
}

impl fmt::Display for StructureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoEnd => write!(
                f,
                "tệp không kết thúc bằng startxref và %%EOF / the file does not end with startxref and %%EOF"
            ),
            Self::BadXref(at) => write!(
                f,
                "bảng tham chiếu ở byte {at} không đọc được / the cross-reference section at byte {at} cannot be read"
            ),
            Self::BadTrailer(at) => write!(
                f,
                "phần cuối (trailer) ở byte {at} không đọc được / the trailer at byte {at} cannot be read"
            ),
            Self::MisplacedObject { id, offset } => write!(
                f,
                "bảng tham chiếu trỏ đối tượng {id} tới byte {offset}, nơi không có đối tượng đó / the cross-reference table points object {id} at byte {offset}, which does not hold it"
            ),
            Self::OutsideUpdate { id, offset } => write!(
                f,
                "một lần cập nhật định nghĩa đối tượng {id} bằng các byte ở {offset}, ngoài phần nó thêm vào / an update defines object {id} with bytes at {offset}, outside what it appended"
            ),
            Self::BrokenChain(at) => write!(
                f,
                "chuỗi các phiên bản bị gãy ở byte {at} / the chain of revisions is broken at byte {at}"
            ),
            Self::Unsupported(vi, en) => write!(
                f,
                "cấu trúc PDF chưa hỗ trợ kiểm tra: {vi} / a PDF structure this verifier does not read: {en}"
            ),
        }
    }
}

impl StructureError {
    /// The message in both languages.
    #[must_use]
    pub fn message(&self) -> crate::text::Message {
        crate::text::Message::from_bilingual(&self.to_string())
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

/// A value as the lexer read it, with the byte span it occupies.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// An integer.
    Int(i64),
    /// A real number (kept as its text: nothing here computes with it).
    Real,
    /// A name, `#xx` escapes decoded.
    Name(Vec<u8>),
    /// `(…)` or `<…>`; for a hex string, the span of its digits between the delimiters.
    String {
        /// Whether it was written in hex.
        hex: bool,
    },
    /// `N G R`.
    Ref(u32, u16),
    /// `[…]`.
    Array(Vec<Spanned>),
    /// `<<…>>`: keys in order (duplicates kept, so that they can be refused).
    Dict(Vec<(Vec<u8>, Spanned)>),
    /// `true`, `false`, `null` or another bare word.
    Keyword(Vec<u8>),
}

/// A value and where it lies in the file: `start..end` (delimiters included).
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned {
    /// The value.
    pub value: Value,
    /// Its first byte.
    pub start: usize,
    /// Just after its last byte.
    pub end: usize,
}

impl Spanned {
    /// The entry `key` of a dictionary (the first, if the key repeats).
    #[must_use]
    pub fn get(&self, key: &[u8]) -> Option<&Spanned> {
        match &self.value {
            Value::Dict(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The integer, if this is one.
    #[must_use]
    pub fn int(&self) -> Option<i64> {
        match self.value {
            Value::Int(i) => Some(i),
            _ => None,
        }
    }

    /// Whether some key of this dictionary appears twice: readers disagree on which counts.
    #[must_use]
    pub fn has_duplicate_keys(&self) -> bool {
        match &self.value {
            Value::Dict(entries) => entries
                .iter()
                .enumerate()
                .any(|(i, (k, _))| entries[..i].iter().any(|(j, _)| j == k)),
            _ => false,
        }
    }
}

/// Reads PDF tokens and values from `pos` on.
pub struct Lexer<'a> {
    bytes: &'a [u8],
    /// The next byte to read.
    pub pos: usize,
}

impl<'a> Lexer<'a> {
    /// A lexer at `pos`.
    #[must_use]
    pub fn new(bytes: &'a [u8], pos: usize) -> Self {
        Self { bytes, pos }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips white space and comments.
    pub fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if is_space(b) {
                self.pos += 1;
            } else if b == b'%' {
                while let Some(c) = self.peek() {
                    if c == b'\n' || c == b'\r' {
                        break;
                    }
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A bare word (keyword or number text) from `pos`, not consumed.
    fn word(&self) -> &'a [u8] {
        let rest = &self.bytes[self.pos.min(self.bytes.len())..];
        let n = rest
            .iter()
            .position(|&b| is_space(b) || is_delimiter(b))
            .unwrap_or(rest.len());
        &rest[..n]
    }

    /// Consumes `keyword` (after white space) if it is next, as a whole word.
    pub fn keyword(&mut self, keyword: &[u8]) -> bool {
        self.skip_space();
        if self.word() == keyword {
            self.pos += keyword.len();
            true
        } else {
            false
        }
    }

    /// Skips white space only: `%%EOF` is a marker here, not a comment.
    fn skip_white(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    /// Reads an unsigned integer (after white space).
    pub fn unsigned(&mut self) -> Option<u64> {
        self.skip_space();
        let w = self.word();
        if w.is_empty() || w.len() > 19 || !w.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let n = std::str::from_utf8(w).ok()?.parse().ok()?;
        self.pos += w.len();
        Some(n)
    }

    /// Reads one value (after white space): a reference `N G R` is one value.
    pub fn value(&mut self) -> Option<Spanned> {
        self.value_at_depth(0)
    }

    fn value_at_depth(&mut self, depth: usize) -> Option<Spanned> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        let start = self.pos;
        let b = self.peek()?;
        let value = match b {
            b'/' => {
                self.pos += 1;
                let raw = self.word();
                self.pos += raw.len();
                Value::Name(decode_name(raw))
            }
            b'(' => {
                self.literal_string()?;
                Value::String { hex: false }
            }
            b'<' if self.bytes.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                let mut entries = Vec::new();
                loop {
                    self.skip_space();
                    if self.bytes.get(self.pos..self.pos + 2) == Some(b">>") {
                        self.pos += 2;
                        break;
                    }
                    let key = self.value_at_depth(depth + 1)?;
                    let Value::Name(name) = key.value else {
                        return None;
                    };
                    let v = self.value_at_depth(depth + 1)?;
                    entries.push((name, v));
                }
                Value::Dict(entries)
            }
            b'<' => {
                self.pos += 1;
                while let Some(c) = self.peek() {
                    self.pos += 1;
                    if c == b'>' {
                        break;
                    }
                    if !(c.is_ascii_hexdigit() || is_space(c)) {
                        return None;
                    }
                }
                if self.bytes.get(self.pos - 1) != Some(&b'>') {
                    return None;
                }
                Value::String { hex: true }
            }
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_space();
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        break;
                    }
                    items.push(self.value_at_depth(depth + 1)?);
                }
                Value::Array(items)
            }
            _ => {
                let w = self.word();
                if w.is_empty() {
                    return None;
                }
                self.pos += w.len();
                if let Some(n) = parse_int(w) {
                    // `N G R`: look ahead without committing.
                    let save = self.pos;
                    if let (Ok(id), Some(generation)) = (u32::try_from(n), self.unsigned())
                        && let Ok(generation) = u16::try_from(generation)
                        && self.keyword(b"R")
                    {
                        Value::Ref(id, generation)
                    } else {
                        self.pos = save;
                        Value::Int(n)
                    }
                } else if w
                    .iter()
                    .all(|&c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+'))
                {
                    Value::Real
                } else {
                    Value::Keyword(w.to_vec())
                }
            }
        };
        Some(Spanned {
            value,
            start,
            end: self.pos,
        })
    }

    /// Skips a literal string, balanced parentheses and escapes included.
    fn literal_string(&mut self) -> Option<()> {
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'\\' => self.pos += 1,
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Reads an indirect object's header `N G obj`, returning `(N, G)`.
    pub fn object_header(&mut self) -> Option<(u32, u16)> {
        let id = u32::try_from(self.unsigned()?).ok()?;
        let generation = u16::try_from(self.unsigned()?).ok()?;
        self.keyword(b"obj").then_some((id, generation))
    }
}

fn parse_int(w: &[u8]) -> Option<i64> {
    let digits = w
        .strip_prefix(b"-")
        .or_else(|| w.strip_prefix(b"+"))
        .unwrap_or(w);
    if digits.is_empty() || digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(w).ok()?.parse().ok()
}

fn decode_name(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#'
            && let Some(hex) = raw.get(i + 1..i + 3)
            && let Ok(s) = std::str::from_utf8(hex)
            && let Ok(b) = u8::from_str_radix(s, 16)
        {
            out.push(b);
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

/// Where an xref entry says an object is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Free (or deleted).
    Free,
    /// At this offset in the file, with this generation.
    Offset(usize, u16),
    /// The `index`-th object of object stream `stream`.
    Compressed {
        /// The object stream's number.
        stream: u32,
    },
}

/// One revision: the original document or one incremental update.
#[derive(Debug, Clone)]
pub struct Revision {
    /// Where its first byte is: 0 for the original, the previous revision's end for an update.
    pub start: usize,
    /// Where its cross-reference section (table or stream) begins.
    pub xref_at: usize,
    /// Just after its `%%EOF`.
    pub eof_end: usize,
    /// Just after the end of line that follows `%%EOF`, if one does: either is where a
    /// signature covering this revision may end.
    pub end: usize,
    /// The objects its section defines or frees, in the order listed.
    pub entries: Vec<(u32, Entry)>,
    /// Its trailer (a table's `trailer` dictionary, or the xref stream's dictionary).
    pub trailer: Spanned,
}

impl Revision {
    /// Whether a signature's range may end at `at`: just after this revision's `%%EOF`, with or
    /// without the end of line.
    #[must_use]
    pub fn ends_at(&self, at: usize) -> bool {
        at == self.eof_end || at == self.end
    }

    /// Where this revision's section puts object `id`, if it lists it.
    #[must_use]
    pub fn entry(&self, id: u32) -> Option<Entry> {
        self.entries
            .iter()
            .rev()
            .find(|(i, _)| *i == id)
            .map(|(_, e)| *e)
    }
}

/// The file's revisions, oldest first, and the bytes after the last one's end (`tail`: a file
/// made by tinnhiem has none).
#[derive(Debug, Clone)]
pub struct Revisions {
    /// Oldest first.
    pub list: Vec<Revision>,
    /// Bytes after the last `%%EOF` and its end of line.
    pub tail: usize,
}

impl Revisions {
    /// The objects free in the document as of revision `upto` (from 0; inclusive): the newest
    /// entry for them says so. A lenient reader that skips free entries still shows the older
    /// object; a PDF reader does not.
    #[must_use]
    pub fn freed(&self, upto: usize) -> BTreeSet<u32> {
        let mut newest: BTreeMap<u32, Entry> = BTreeMap::new();
        for rev in self.list.iter().take(upto + 1) {
            for &(id, entry) in &rev.entries {
                newest.insert(id, entry);
            }
        }
        newest
            .into_iter()
            .filter(|(_, e)| *e == Entry::Free)
            .map(|(id, _)| id)
            .collect()
    }

    /// The objects the revisions after `after` (from 0) list, in use or free: every object a
    /// later revision could have changed.
    #[must_use]
    pub fn listed_after(&self, after: usize) -> BTreeSet<u32> {
        self.list
            .iter()
            .skip(after + 1)
            .flat_map(|r| r.entries.iter().map(|(id, _)| *id))
            .collect()
    }
}

/// Reads the revisions of `pdf` from its end back along `/Prev`, strictly.
///
/// # Errors
/// A [`StructureError`] naming what does not read.
pub fn read(pdf: &[u8]) -> Result<Revisions, StructureError> {
    // Offsets count from the first byte: a reader that counts from a later header sees other
    // objects than one that does not.
    if !pdf.starts_with(b"%PDF-") {
        return Err(StructureError::Unsupported(
            "byte trước phần đầu %PDF-",
            "bytes before the %PDF- header",
        ));
    }
    let last_eof = pdf
        .windows(5)
        .rposition(|w| w == b"%%EOF")
        .ok_or(StructureError::NoEnd)?;
    let startxref = startxref_before(pdf, last_eof).ok_or(StructureError::NoEnd)?;
    // Newest first while reading; each `/Prev` must point strictly backwards, and each older
    // revision must end before the newer one's section begins.
    let mut list: Vec<Revision> = Vec::new();
    let mut at = startxref;
    loop {
        let rev = section(pdf, at)?;
        if list.last().is_some_and(|newer| rev.eof_end > newer.xref_at) {
            return Err(StructureError::BrokenChain(at));
        }
        let prev = match rev.trailer.get(b"Prev") {
            None => None,
            Some(p) => Some(
                p.int()
                    .and_then(|v| usize::try_from(v).ok())
                    .filter(|&p| p < at)
                    .ok_or(StructureError::BrokenChain(at))?,
            ),
        };
        list.push(rev);
        match prev {
            None => break,
            Some(p) => at = p,
        }
    }
    list.reverse();
    if list.last().map(|r| r.eof_end) != Some(last_eof + 5) {
        return Err(StructureError::NoEnd);
    }
    for i in 1..list.len() {
        list[i].start = list[i - 1].eof_end;
    }
    check_entries(pdf, &list)?;
    let end = list.last().map_or(0, |r| r.end);
    Ok(Revisions {
        tail: pdf.len().saturating_sub(end),
        list,
    })
}

/// The offset `startxref` states just before the `%%EOF` at `eof`.
fn startxref_before(pdf: &[u8], eof: usize) -> Option<usize> {
    let from = eof.saturating_sub(64);
    let kw = pdf[from..eof].windows(9).rposition(|w| w == b"startxref")? + from;
    let mut lex = Lexer::new(pdf, kw + 9);
    let at = usize::try_from(lex.unsigned()?).ok()?;
    lex.skip_white();
    (lex.pos == eof).then_some(at)
}

/// Reads the section at `at` to its `%%EOF`: a table with its trailer, or an xref stream.
fn section(pdf: &[u8], at: usize) -> Result<Revision, StructureError> {
    let mut lex = Lexer::new(pdf, at);
    let (entries, trailer) = if lex.keyword(b"xref") {
        let entries = table(&mut lex).ok_or(StructureError::BadXref(at))?;
        if !lex.keyword(b"trailer") {
            return Err(StructureError::BadTrailer(at));
        }
        let trailer = lex.value().ok_or(StructureError::BadTrailer(at))?;
        (entries, trailer)
    } else {
        xref_stream(pdf, &mut lex, at)?
    };
    if !matches!(trailer.value, Value::Dict(_)) || trailer.has_duplicate_keys() {
        return Err(StructureError::BadTrailer(at));
    }
    if trailer.get(b"XRefStm").is_some() {
        return Err(StructureError::Unsupported(
            "tệp lai (/XRefStm)",
            "a hybrid-reference file (/XRefStm)",
        ));
    }
    if trailer.get(b"Encrypt").is_some() {
        return Err(StructureError::Unsupported(
            "tệp mã hóa (/Encrypt)",
            "an encrypted file (/Encrypt)",
        ));
    }
    if !lex.keyword(b"startxref") || lex.unsigned() != u64::try_from(at).ok() {
        return Err(StructureError::BadTrailer(at));
    }
    lex.skip_white();
    if pdf.get(lex.pos..lex.pos + 5) != Some(b"%%EOF") {
        return Err(StructureError::BadTrailer(at));
    }
    let eof_end = lex.pos + 5;
    let end = match pdf.get(eof_end..eof_end + 2) {
        Some(b"\r\n") => eof_end + 2,
        _ if matches!(pdf.get(eof_end), Some(b'\n' | b'\r')) => eof_end + 1,
        _ => eof_end,
    };
    Ok(Revision {
        start: 0,
        xref_at: at,
        eof_end,
        end,
        entries,
        trailer,
    })
}

/// A classic table's subsections, up to the `trailer` keyword.
fn table(lex: &mut Lexer<'_>) -> Option<Vec<(u32, Entry)>> {
    let mut entries = Vec::new();
    loop {
        lex.skip_space();
        if lex.word() == b"trailer" {
            return Some(entries);
        }
        let first = u32::try_from(lex.unsigned()?).ok()?;
        let count = usize::try_from(lex.unsigned()?).ok()?;
        // Each entry takes 20 bytes: a count beyond what is left is a lie.
        if count > lex.bytes.len().saturating_sub(lex.pos) / 18 {
            return None;
        }
        for k in 0..count {
            let offset = lex.unsigned()?;
            let generation = u16::try_from(lex.unsigned()?).ok()?;
            lex.skip_space();
            let kind = lex.peek()?;
            lex.pos += 1;
            let id = first.checked_add(u32::try_from(k).ok()?)?;
            let entry = match kind {
                b'n' => Entry::Offset(usize::try_from(offset).ok()?, generation),
                b'f' => Entry::Free,
                _ => return None,
            };
            entries.push((id, entry));
        }
    }
}

/// An xref stream at `at`: its entries and its dictionary (which is the trailer).
fn xref_stream(
    pdf: &[u8],
    lex: &mut Lexer<'_>,
    at: usize,
) -> Result<(Vec<(u32, Entry)>, Spanned), StructureError> {
    let bad = StructureError::BadXref(at);
    lex.pos = at;
    lex.object_header().ok_or_else(|| bad.clone())?;
    let dict = lex.value().ok_or_else(|| bad.clone())?;
    if dict.get(b"Type").map(|t| &t.value) != Some(&Value::Name(b"XRef".to_vec())) {
        return Err(bad);
    }
    let data = stream_data(pdf, lex, &dict).ok_or_else(|| bad.clone())?;
    if !lex.keyword(b"endobj") {
        return Err(bad);
    }
    let ints = |key: &[u8]| -> Option<Vec<u64>> {
        match &dict.get(key)?.value {
            Value::Array(items) => items
                .iter()
                .map(|i| i.int().and_then(|v| u64::try_from(v).ok()))
                .collect(),
            _ => None,
        }
    };
    let widths = ints(b"W").ok_or_else(|| bad.clone())?;
    let [w0, w1, w2] = widths[..] else {
        return Err(bad);
    };
    let (w0, w1, w2) = (
        usize::try_from(w0).map_err(|_| bad.clone())?,
        usize::try_from(w1).map_err(|_| bad.clone())?,
        usize::try_from(w2).map_err(|_| bad.clone())?,
    );
    if w0 > 4 || w1 > 8 || w2 > 8 {
        return Err(bad);
    }
    let row = w0 + w1 + w2;
    let size = dict
        .get(b"Size")
        .and_then(Spanned::int)
        .and_then(|s| u64::try_from(s).ok())
        .ok_or_else(|| bad.clone())?;
    let index = ints(b"Index").unwrap_or_else(|| vec![0, size]);
    if row == 0 || !index.len().is_multiple_of(2) {
        return Err(bad);
    }
    let mut entries = Vec::new();
    let mut rows = data.chunks_exact(row);
    for pair in index.chunks_exact(2) {
        for k in 0..pair[1] {
            let r = rows.next().ok_or_else(|| bad.clone())?;
            let field = |from: usize, width: usize, default: u64| {
                if width == 0 {
                    default
                } else {
                    r[from..from + width]
                        .iter()
                        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
                }
            };
            let kind = field(0, w0, 1);
            let second = field(w0, w1, 0);
            let third = field(w0 + w1, w2, 0);
            let id = pair[0]
                .checked_add(k)
                .and_then(|i| u32::try_from(i).ok())
                .ok_or_else(|| bad.clone())?;
            let entry = match kind {
                0 => Entry::Free,
                1 => Entry::Offset(
                    usize::try_from(second).map_err(|_| bad.clone())?,
                    u16::try_from(third).map_err(|_| bad.clone())?,
                ),
                2 => Entry::Compressed {
                    stream: u32::try_from(second).map_err(|_| bad.clone())?,
                },
                // Types a reader must treat as null: nothing a signature relies on.
                _ => Entry::Free,
            };
            entries.push((id, entry));
        }
    }
    Ok((entries, dict))
}

/// The decoded data of the stream whose dictionary `dict` the lexer has just read; leaves the
/// lexer after `endstream`. Only what xref streams use: no filter, or Flate with or without
/// the PNG predictors.
fn stream_data(pdf: &[u8], lex: &mut Lexer<'_>, dict: &Spanned) -> Option<Vec<u8>> {
    if !lex.keyword(b"stream") {
        return None;
    }
    match pdf.get(lex.pos..lex.pos + 2) {
        Some(b"\r\n") => lex.pos += 2,
        _ if pdf.get(lex.pos) == Some(&b'\n') => lex.pos += 1,
        _ => return None,
    }
    let length = usize::try_from(dict.get(b"Length")?.int()?).ok()?;
    let raw = pdf.get(lex.pos..lex.pos.checked_add(length)?)?;
    lex.pos += length;
    if !lex.keyword(b"endstream") {
        return None;
    }
    let data = match dict.get(b"Filter").map(|f| &f.value) {
        None => raw.to_vec(),
        Some(Value::Name(n)) if n == b"FlateDecode" => {
            let mut out = Vec::new();
            flate2::read::ZlibDecoder::new(raw)
                .take(MAX_XREF_STREAM)
                .read_to_end(&mut out)
                .ok()?;
            out
        }
        _ => return None,
    };
    let params = dict.get(b"DecodeParms");
    let predictor = params
        .and_then(|p| p.get(b"Predictor"))
        .and_then(Spanned::int)
        .unwrap_or(1);
    if predictor < 10 {
        return (predictor == 1).then_some(data);
    }
    let columns = params
        .and_then(|p| p.get(b"Columns"))
        .and_then(Spanned::int)
        .and_then(|c| usize::try_from(c).ok())
        .unwrap_or(1);
    png_unpredict(&data, columns)
}

/// Undoes the PNG predictors row by row (each row a filter byte and `columns` bytes).
fn png_unpredict(data: &[u8], columns: usize) -> Option<Vec<u8>> {
    if columns == 0 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len());
    let mut prior = vec![0u8; columns];
    for row in data.chunks(columns + 1) {
        let (&filter, bytes) = row.split_first()?;
        if bytes.len() != columns {
            return None;
        }
        let mut cur = vec![0u8; columns];
        for i in 0..columns {
            let left = if i > 0 { cur[i - 1] } else { 0 };
            let up = prior[i];
            let upleft = if i > 0 { prior[i - 1] } else { 0 };
            cur[i] = match filter {
                0 => bytes[i],
                1 => bytes[i].wrapping_add(left),
                2 => bytes[i].wrapping_add(up),
                3 => bytes[i]
                    .wrapping_add(u8::try_from((u16::from(left) + u16::from(up)) / 2).unwrap_or(0)),
                4 => bytes[i].wrapping_add(crate::encode::paeth(left, up, upleft)),
                _ => return None,
            };
        }
        out.extend_from_slice(&cur);
        prior = cur;
    }
    Some(out)
}

/// Every in-use entry points at the header of the object it names, and an update's objects
/// lie within what that update appended.
fn check_entries(pdf: &[u8], list: &[Revision]) -> Result<(), StructureError> {
    for (i, rev) in list.iter().enumerate() {
        for &(id, entry) in &rev.entries {
            match entry {
                Entry::Free => {}
                Entry::Offset(offset, generation) => {
                    let mut lex = Lexer::new(pdf, offset);
                    if offset >= pdf.len()
                        || lex.object_header() != Some((id, generation))
                        || (offset > 0
                            && !is_space(pdf[offset - 1])
                            && !is_delimiter(pdf[offset - 1]))
                    {
                        return Err(StructureError::MisplacedObject { id, offset });
                    }
                    if offset < rev.start || offset > rev.xref_at {
                        return Err(StructureError::OutsideUpdate { id, offset });
                    }
                }
                Entry::Compressed { stream } => {
                    // The object stream holding it must be written by this same revision
                    // (an update cannot reuse an earlier revision's bytes), or, in the
                    // original, anywhere in it.
                    let holder = if i > 0 {
                        rev.entry(stream)
                    } else {
                        list[0].entry(stream)
                    };
                    if !matches!(holder, Some(Entry::Offset(..))) {
                        return Err(StructureError::OutsideUpdate { id, offset: 0 });
                    }
                }
            }
        }
    }
    Ok(())
}

/// The value of `key` in the dictionary of the object at `offset` (`N G obj <<…>>`), read by
/// this module's lexer: where a signature dictionary's `/Contents` really lies.
#[must_use]
pub fn object_dictionary(pdf: &[u8], offset: usize) -> Option<((u32, u16), Spanned)> {
    let mut lex = Lexer::new(pdf, offset);
    let id = lex.object_header()?;
    let dict = lex.value()?;
    matches!(dict.value, Value::Dict(_)).then_some((id, dict))
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// A reference reads as one value, a number followed by something else as a number.
    #[test]
    fn references_and_numbers() {
        let mut lex = Lexer::new(b"<</A 1 0 R/B 5/C[1 2 3]/D<00ff>/E(a(b)c\\))>>", 0);
        let d = lex.value().unwrap();
        assert_eq!(d.get(b"A").unwrap().value, Value::Ref(1, 0));
        assert_eq!(d.get(b"B").unwrap().int(), Some(5));
        assert!(matches!(d.get(b"C").unwrap().value, Value::Array(ref a) if a.len() == 3));
        let hex = d.get(b"D").unwrap();
        assert_eq!(
            &b"<</A 1 0 R/B 5/C[1 2 3]/D<00ff>"[hex.start..hex.end],
            b"<00ff>"
        );
        assert!(matches!(
            d.get(b"E").unwrap().value,
            Value::String { hex: false }
        ));
    }

    /// A repeated key is seen: readers disagree on which one counts.
    #[test]
    fn duplicate_keys() {
        let d = Lexer::new(b"<</A 1/B 2/A 3>>", 0).value().unwrap();
        assert!(d.has_duplicate_keys());
    }

    /// Nesting beyond the limit is refused, not a stack overflow.
    #[test]
    fn deep_nesting_refused() {
        let deep = [b"[".repeat(100_000), b"]".repeat(100_000)].concat();
        assert!(Lexer::new(&deep, 0).value().is_none());
    }

    /// The PNG "up" predictor as xref streams use it.
    #[test]
    fn png_up() {
        let data = [2, 1, 2, 2, 1, 1];
        assert_eq!(png_unpredict(&data, 2).unwrap(), vec![1, 2, 2, 3]);
    }
}
