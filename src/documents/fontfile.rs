//! The fonts a PDF of ours embeds, written here rather than by printpdf (issue 22 §4): for
//! each face a document draws, a TrueType program with only the glyphs it draws (numbered 1,
//! 2, … in the order of their ids in the face, and a glyph's code in the content stream is its
//! new id), without hinting, its `/W` widths and its `/ToUnicode` map, as a Type0 font with
//! Identity-H encoding, as ISO 32000-1 §9.7 describes it.
//!
//! printpdf did this before, from a parse of the whole face (allsorts), for 28% of the CPU time
//! of a one-cadre minutes; it wrote the same kind of font (the same tables, names and
//! dictionary entries, which the tests that read the PDFs back check with `pdffonts` and
//! `pdftotext`). This writer reads only the tables it copies, straight from the bundled file.
//! printpdf still gives every document its skeleton (catalog, pages, information, metadata).
//!
//! Hinting (glyph instructions, `fpgm`, `prep`, `cvt `) is left out: it was half of each
//! subset, and only screens rasterising small sizes read it, never printers.
#![expect(
    clippy::float_arithmetic,
    reason = "font units to 1/1000 em, not vote arithmetic"
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use super::DocumentError;
use super::compact::{FaceCodes, Glyph};
use super::layout::{FONT_FILES, Style};

fn bad_font(style: Style, what: &str) -> DocumentError {
    DocumentError::Font(format!("{}: {what}", FONT_FILES[style.index()].1))
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn i16_at(b: &[u8], at: usize) -> Option<i16> {
    be16(b, at).map(|v| i16::from_be_bytes(v.to_be_bytes()))
}

/// A TrueType file's table directory: each table's tag and bytes, in the file's order.
fn table_directory(font: &[u8]) -> Option<Vec<([u8; 4], &[u8])>> {
    let count = usize::from(be16(font, 4)?);
    let mut tables = Vec::with_capacity(count);
    for i in 0..count {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let off = usize::try_from(be32(font, rec + 8)?).ok()?;
        let len = usize::try_from(be32(font, rec + 12)?).ok()?;
        tables.push((tag, font.get(off..off + len)?));
    }
    Some(tables)
}

/// The tables of a TrueType face this module reads, found once.
struct Face<'a> {
    head: &'a [u8],
    hhea: &'a [u8],
    maxp: &'a [u8],
    hmtx: &'a [u8],
    post: &'a [u8],
    os2: Option<&'a [u8]>,
    glyf: &'a [u8],
    /// Where each glyph's data starts in `glyf` (glyph `i + 1`'s start is where it ends).
    loca: &'a [u8],
    long_loca: bool,
    glyphs: usize,
    metrics: usize,
    upem: f32,
}

impl<'a> Face<'a> {
    fn read(font: &'a [u8]) -> Option<Self> {
        let tables = table_directory(font)?;
        let table = |tag: &[u8; 4]| tables.iter().find(|(t, _)| t == tag).map(|(_, d)| *d);
        let head = table(b"head")?;
        let hhea = table(b"hhea")?;
        let maxp = table(b"maxp")?;
        Some(Self {
            head,
            hhea,
            maxp,
            hmtx: table(b"hmtx")?,
            post: table(b"post")?,
            os2: table(b"OS/2"),
            glyf: table(b"glyf")?,
            loca: table(b"loca")?,
            long_loca: be16(head, 50)? == 1,
            glyphs: usize::from(be16(maxp, 4)?),
            metrics: usize::from(be16(hhea, 34)?).max(1),
            upem: f32::from(be16(head, 18)?.max(1)),
        })
    }

    /// Glyph `g`'s outline data (empty for a glyph without one, such as the space).
    fn glyph(&self, g: u16) -> Option<&'a [u8]> {
        let i = usize::from(g);
        if i >= self.glyphs {
            return None;
        }
        let offset = |i: usize| {
            if self.long_loca {
                usize::try_from(be32(self.loca, 4 * i)?).ok()
            } else {
                Some(usize::from(be16(self.loca, 2 * i)?) * 2)
            }
        };
        self.glyf.get(offset(i)?..offset(i + 1)?)
    }

    /// Glyph `g`'s advance and left side bearing, in font units.
    fn metric(&self, g: u16) -> Option<(u16, u16)> {
        let i = usize::from(g);
        if i < self.metrics {
            return Some((be16(self.hmtx, 4 * i)?, be16(self.hmtx, 4 * i + 2)?));
        }
        let advance = be16(self.hmtx, 4 * (self.metrics - 1))?;
        let lsb = be16(self.hmtx, 4 * self.metrics + 2 * (i - self.metrics))?;
        Some((advance, lsb))
    }

    /// `v` font units in 1/1000 em, rounded.
    #[expect(clippy::cast_possible_truncation, reason = "rounded, within ±32768")]
    fn thousandths(&self, v: f32) -> i64 {
        (v * 1000.0 / self.upem).round() as i64
    }
}

/// The components of a composite glyph `data` (none for a simple glyph), with where each one's
/// glyph index is written.
fn components(data: &[u8]) -> Option<Vec<(usize, u16)>> {
    let mut out = Vec::new();
    // An empty glyph (a space) has no outline at all.
    if data.is_empty() || i16_at(data, 0)? >= 0 {
        return Some(out);
    }
    let mut at = 10;
    loop {
        let flags = be16(data, at)?;
        out.push((at + 2, be16(data, at + 2)?));
        at += component_len(flags);
        if flags & 0x0020 == 0 {
            return Some(out);
        }
    }
}

/// The length of one component of a composite glyph (TrueType `glyf`): its flags and glyph
/// index, its two arguments (words or bytes, flag 0x0001) and its transform (one scale 0x0008,
/// x and y scales 0x0040, or a 2×2 matrix 0x0080, in 2.14 numbers).
fn component_len(flags: u16) -> usize {
    let arguments = if flags & 0x0001 != 0 { 4 } else { 2 };
    let transform = if flags & 0x0008 != 0 {
        2
    } else if flags & 0x0040 != 0 {
        4
    } else if flags & 0x0080 != 0 {
        8
    } else {
        0
    };
    4 + arguments + transform
}

/// One glyph's data without its instructions.
fn glyph_unhinted(data: &[u8]) -> Option<Vec<u8>> {
    let contours = i16_at(data, 0)?;
    if let Ok(contours) = usize::try_from(contours) {
        let at = 10 + 2 * contours;
        let n = usize::from(be16(data, at)?);
        let mut out = data.get(..at)?.to_vec();
        out.extend([0, 0]);
        out.extend(data.get(at + 2 + n..)?);
        return Some(out);
    }
    // A composite: clear WE_HAVE_INSTRUCTIONS and drop what follows the last component.
    let mut out = data.to_vec();
    let mut at = 10;
    loop {
        let flags = be16(&out, at)?;
        let cleared = flags & !0x0100;
        out.get_mut(at..at + 2)?
            .copy_from_slice(&cleared.to_be_bytes());
        at += component_len(flags);
        if flags & 0x0020 == 0 {
            break;
        }
    }
    out.truncate(at);
    Some(out)
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut word = [0u8; 4];
        word[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// A TrueType file of `tables` (sorted by tag, as the format asks), with their checksums and
/// the file's in `head`.
fn sfnt(tables: &BTreeMap<[u8; 4], Vec<u8>>) -> Vec<u8> {
    let n = u16::try_from(tables.len()).unwrap_or(u16::MAX);
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= n {
        pow *= 2;
        log += 1;
    }
    let mut out = vec![0, 1, 0, 0];
    for v in [n, pow * 16, log, n * 16 - pow * 16] {
        out.extend(v.to_be_bytes());
    }
    let body_at = 12 + 16 * tables.len();
    let mut body = Vec::new();
    let mut head_at = None;
    for (tag, data) in tables {
        let at = body_at + body.len();
        if tag == b"head" {
            head_at = Some(at);
        }
        out.extend(tag);
        out.extend(checksum(data).to_be_bytes());
        out.extend(u32::try_from(at).unwrap_or(0).to_be_bytes());
        out.extend(u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
        body.extend(data);
        body.resize(body.len().next_multiple_of(4), 0);
    }
    out.extend(body);
    if let Some(h) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[h + 8..h + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

/// The subset of one face: its TrueType program, and for each of its glyphs (by new id) the
/// original id and advance.
struct Subset {
    program: Vec<u8>,
    /// New glyph id → original glyph id; 0 is `.notdef`.
    old: Vec<u16>,
}

/// Numbers the glyphs `drawn` (original ids) 1, 2, … after `.notdef`, then the glyphs their composites are made of, and writes the TrueType
/// program of just these: `glyf` (unhinted, components renumbered), `loca` (long offsets),
/// `hmtx`, and `head`, `hhea`, `maxp` and `post` (version 3, no glyph names) adjusted to them,
/// and a `cmap` from `chars` (character, new id), which viewers that rebuild the font for
/// the screen look for: the tables printpdf's subsets had.
fn subset(face: &Face<'_>, drawn: &[u16], chars: &[(char, u16)]) -> Option<Subset> {
    let mut new_id: BTreeMap<u16, u16> = BTreeMap::new();
    let mut old = vec![0_u16];
    new_id.insert(0, 0);
    let mut add = |g: u16, old: &mut Vec<u16>| -> Option<()> {
        if let std::collections::btree_map::Entry::Vacant(e) = new_id.entry(g) {
            e.insert(u16::try_from(old.len()).ok()?);
            old.push(g);
        }
        Some(())
    };
    for &g in drawn {
        add(g, &mut old)?;
    }
    // Components, and theirs: appended until no glyph adds one.
    let mut i = 0;
    while i < old.len() {
        for (_, c) in components(face.glyph(old[i])?)? {
            add(c, &mut old)?;
        }
        i += 1;
    }
    let n = old.len();
    let mut glyf = Vec::new();
    let mut loca = Vec::with_capacity(4 * (n + 1));
    let mut hmtx = Vec::with_capacity(4 * n);
    for &g in &old {
        loca.extend(u32::try_from(glyf.len()).ok()?.to_be_bytes());
        let data = face.glyph(g)?;
        if !data.is_empty() {
            let mut data = glyph_unhinted(data)?;
            for (at, c) in components(&data)? {
                let renumbered = *new_id.get(&c)?;
                data.get_mut(at..at + 2)?
                    .copy_from_slice(&renumbered.to_be_bytes());
            }
            glyf.extend(data);
            glyf.resize(glyf.len().next_multiple_of(4), 0);
        }
        let (advance, lsb) = face.metric(g)?;
        hmtx.extend(advance.to_be_bytes());
        hmtx.extend(lsb.to_be_bytes());
    }
    loca.extend(u32::try_from(glyf.len()).ok()?.to_be_bytes());
    let count = u16::try_from(n).ok()?;
    let with = |table: &[u8], at: usize, v: u16| -> Option<Vec<u8>> {
        let mut t = table.to_vec();
        t.get_mut(at..at + 2)?.copy_from_slice(&v.to_be_bytes());
        Some(t)
    };
    let mut head = with(face.head, 50, 1)?;
    // checkSumAdjustment: zero while the checksums are taken (`sfnt` sets it).
    head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    let mut post = face.post.get(..32)?.to_vec();
    post.get_mut(..4)?.copy_from_slice(&[0, 3, 0, 0]);
    let tables: BTreeMap<[u8; 4], Vec<u8>> = [
        (*b"cmap", cmap(chars)?),
        (*b"glyf", glyf),
        (*b"head", head),
        (*b"hhea", with(face.hhea, 34, count)?),
        (*b"hmtx", hmtx),
        (*b"loca", loca),
        (*b"maxp", with(face.maxp, 4, count)?),
        (*b"post", post),
    ]
    .into_iter()
    .collect();
    Some(Subset {
        program: sfnt(&tables),
        old,
    })
}

/// A `cmap` table with one subtable (Windows, Unicode BMP, format 4) mapping `chars`
/// (character, glyph id) — characters beyond the BMP are left to `/ToUnicode`.
fn cmap(chars: &[(char, u16)]) -> Option<Vec<u8>> {
    let mut pairs: Vec<(u16, u16)> = chars
        .iter()
        .filter_map(|&(ch, g)| Some((u16::try_from(u32::from(ch)).ok()?, g)))
        .filter(|&(c, _)| c != 0xFFFF)
        .collect();
    pairs.sort_unstable();
    pairs.dedup_by_key(|p| p.0);
    // Segments (first character, last character, glyph of the first) of consecutive
    // characters with consecutive glyphs: one delta each.
    let mut segments: Vec<(u16, u16, u16)> = Vec::new();
    for (c, g) in pairs {
        match segments.last_mut() {
            Some((start, end, first))
                if u32::from(c) == u32::from(*end) + 1
                    && u32::from(g) == u32::from(*first) + u32::from(c - *start) =>
            {
                *end = c;
            }
            _ => segments.push((c, c, g)),
        }
    }
    // The closing segment the format requires.
    segments.push((0xFFFF, 0xFFFF, 1));
    let seg_count = u16::try_from(segments.len()).ok()?;
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= seg_count {
        pow *= 2;
        log += 1;
    }
    let length = u16::try_from(16 + 8 * segments.len()).ok()?;
    let mut t = Vec::with_capacity(usize::from(length) + 12);
    for v in [0_u16, 1, 3, 1] {
        t.extend(v.to_be_bytes());
    }
    t.extend(12_u32.to_be_bytes());
    for v in [
        4,
        length,
        0,
        2 * seg_count,
        2 * pow,
        log,
        2 * seg_count - 2 * pow,
    ] {
        t.extend(v.to_be_bytes());
    }
    for &(_, end, _) in &segments {
        t.extend(end.to_be_bytes());
    }
    t.extend([0, 0]);
    for &(start, _, _) in &segments {
        t.extend(start.to_be_bytes());
    }
    for &(start, _, g) in &segments {
        t.extend(g.wrapping_sub(start).to_be_bytes());
    }
    for _ in &segments {
        t.extend([0, 0]);
    }
    Some(t)
}

/// The PostScript name of the face (`name` table, name 6): `LiberationSerif-Bold`.
fn postscript_name(font: &[u8]) -> Option<String> {
    let tables = table_directory(font)?;
    let name = tables.iter().find(|(t, _)| t == b"name")?.1;
    let count = usize::from(be16(name, 2)?);
    let strings = usize::from(be16(name, 4)?);
    (0..count).find_map(|i| {
        let rec = 6 + 12 * i;
        let (platform, id) = (be16(name, rec)?, be16(name, rec + 6)?);
        let len = usize::from(be16(name, rec + 8)?);
        let at = strings + usize::from(be16(name, rec + 10)?);
        let bytes = name.get(at..at + len)?;
        match (platform, id) {
            (3, 6) => char::decode_utf16(
                bytes
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]])),
            )
            .collect::<Result<String, _>>()
            .ok(),
            (1, 6) => Some(bytes.iter().map(|&b| char::from(b)).collect()),
            _ => None,
        }
        .filter(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_graphic()))
    })
}

/// The `/ToUnicode` CMap naming each glyph by its character (`names`: glyph id → character).
fn to_unicode(names: &BTreeMap<u16, char>) -> Vec<u8> {
    let mut out = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo \
         << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName \
         /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\n\
         endcodespacerange\n",
    );
    // Runs of consecutive codes naming consecutive characters, within one last byte of the
    // code and of the character (a `bfrange` increments only the last byte), as ranges; the
    // rest one by one.
    let mut runs: Vec<(u16, u16, char)> = Vec::new();
    for (&g, &ch) in names {
        match runs.last_mut() {
            Some((first, last, start))
                if u32::from(g) == u32::from(*last) + 1
                    && g & 0xFF != 0
                    && u32::from(ch) & 0xFF != 0
                    && u32::from(ch) == u32::from(*start) + u32::from(g - *first)
                    && ch.len_utf16() == 1 =>
            {
                *last = g;
            }
            _ => runs.push((g, g, ch)),
        }
    }
    let utf16 = |out: &mut String, ch: char| {
        for unit in ch.encode_utf16(&mut [0; 2]) {
            // Writing to a String cannot fail.
            let _ = write!(out, "{unit:04X}");
        }
    };
    let (ranges, singles): (Vec<_>, Vec<_>) = runs.into_iter().partition(|(a, b, _)| a != b);
    for (kind, list) in [("bfchar", singles), ("bfrange", ranges)] {
        for block in list.chunks(100) {
            let _ = writeln!(out, "{} begin{kind}", block.len());
            for &(first, last, ch) in block {
                let _ = write!(out, "<{first:04X}> ");
                if first != last {
                    let _ = write!(out, "<{last:04X}> ");
                }
                out.push('<');
                utf16(&mut out, ch);
                out.push_str(">\n");
            }
            let _ = writeln!(out, "end{kind}");
        }
    }
    out.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    out.into_bytes()
}

/// The font descriptor of `face` named `base`, with its font `program` (`/FontFile2`): the
/// metrics in 1/1000 em, as printpdf wrote them.
fn descriptor(
    doc: &mut Document,
    face: &Face<'_>,
    style: Style,
    base: Object,
    program: Vec<u8>,
) -> Result<ObjectId, DocumentError> {
    let scaled = |table: &[u8], at: usize| -> Result<Object, DocumentError> {
        let v = i16_at(table, at).ok_or_else(|| bad_font(style, "metrics"))?;
        Ok(Object::Integer(face.thousandths(f32::from(v))))
    };
    let ascent = scaled(face.hhea, 4)?;
    let cap_height = match face.os2 {
        Some(os2) if be16(os2, 0).is_some_and(|v| v >= 2) => scaled(os2, 88)?,
        _ => ascent.clone(),
    };
    // post's italicAngle, a 16.16 number; counter-clockwise, so negative for an italic.
    let angle = be32(face.post, 4).map_or(0, |v| i32::from_be_bytes(v.to_be_bytes()));
    let italic = f64::from(angle) / 65536.0;
    // No table holds the stem width: estimated from the weight class, as PDF writers do
    // (about 88 at 400, 166 at 700).
    let weight = face.os2.and_then(|os2| be16(os2, 4)).unwrap_or(0);
    let stem_v = if weight == 0 {
        80
    } else {
        let w = f64::from(weight) / 65.0;
        #[expect(clippy::cast_possible_truncation, reason = "at most (1000/65)² + 50")]
        let v = (w * w).round() as i64;
        50 + v
    };
    let length1 = i64::try_from(program.len()).map_err(|_| bad_font(style, "size"))?;
    let mut dict = Dictionary::new();
    dict.set("Length1", Object::Integer(length1));
    let program = doc.add_object(Stream::new(dict, program));
    let mut descriptor = Dictionary::new();
    descriptor.set("Type", Object::Name(b"FontDescriptor".to_vec()));
    descriptor.set("FontName", base);
    // Non-symbolic (the standard Latin set), and italic when the face slants.
    descriptor.set(
        "Flags",
        Object::Integer(32 | if angle == 0 { 0 } else { 64 }),
    );
    descriptor.set(
        "FontBBox",
        Object::Array(
            [36, 38, 40, 42]
                .into_iter()
                .map(|at| scaled(face.head, at))
                .collect::<Result<_, _>>()?,
        ),
    );
    // In whole degrees, as printpdf wrote it (its f32 would print as -16.333008).
    #[expect(clippy::cast_possible_truncation, reason = "an angle in degrees")]
    descriptor.set("ItalicAngle", Object::Integer(italic.round() as i64));
    descriptor.set("Ascent", ascent);
    descriptor.set("Descent", scaled(face.hhea, 6)?);
    descriptor.set("CapHeight", cap_height);
    descriptor.set("StemV", Object::Integer(stem_v));
    descriptor.set("FontFile2", Object::Reference(program));
    Ok(doc.add_object(descriptor))
}

/// Embeds the face of `style` in `doc` with the glyphs of `chars` (each character once, in the
/// order of its last use in the document, so that a glyph two characters share is named in
/// `/ToUnicode` by the later, as printpdf did): the Type0 font dictionary's object, and each
/// character's code and width for the content streams. `glyph_id` is the face's character
/// map (the same one the layout measured with). Widths are the advances to the nearest
/// 1/1000 em (printpdf cut them: a word drew up to 1/1000 em a letter short of where the
/// layout measured it).
///
/// # Errors
///
/// [`DocumentError::Font`] when the bundled face cannot be read as a TrueType font (a broken
/// build), [`DocumentError::MissingGlyph`] for a character it has no glyph for.
pub(super) fn embed(
    doc: &mut Document,
    style: Style,
    chars: &str,
    glyph_id: impl Fn(char) -> Option<u16>,
) -> Result<(ObjectId, FaceCodes), DocumentError> {
    let tag = FONT_FILES[style.index()].1;
    embed_as(doc, style, (chars, &tag[..6.min(tag.len())]), glyph_id)
}

/// [`embed`] with the subset's own six-letter tag ("ABCDEF+" before the font's name): a
/// signature's look embeds a subset of its own into a file that already has one of the face,
/// and two different subsets under one name could be taken for each other by a reader that
/// caches fonts by name.
///
/// # Errors
///
/// As [`embed`].
pub(super) fn embed_as(
    doc: &mut Document,
    style: Style,
    (chars, prefix): (&str, &str),
    glyph_id: impl Fn(char) -> Option<u16>,
) -> Result<(ObjectId, FaceCodes), DocumentError> {
    let (file, tag) = FONT_FILES[style.index()];
    let face = Face::read(file).ok_or_else(|| bad_font(style, "tables"))?;
    let mut drawn = Vec::new();
    let mut mapped = Vec::new();
    for ch in chars.chars() {
        let g = glyph_id(ch).ok_or_else(|| DocumentError::MissingGlyph {
            ch,
            text: chars.to_owned(),
        })?;
        drawn.push(g);
        mapped.push(ch);
    }
    // Codes in the order of the glyph ids, which in these faces follow the alphabet: runs of
    // consecutive characters with consecutive codes make `cmap` and `/ToUnicode` short.
    let mut firsts = drawn.clone();
    firsts.sort_unstable();
    firsts.dedup();
    let code_of: BTreeMap<u16, u16> = firsts
        .iter()
        .enumerate()
        .map(|(i, &g)| Ok((g, u16::try_from(i + 1)?)))
        .collect::<Result<_, std::num::TryFromIntError>>()
        .map_err(|_| bad_font(style, "too many glyphs"))?;
    let pairs: Vec<(char, u16)> = mapped
        .iter()
        .zip(&drawn)
        .filter_map(|(&ch, g)| Some((ch, *code_of.get(g)?)))
        .collect();
    let sub = subset(&face, &firsts, &pairs).ok_or_else(|| bad_font(style, "glyphs"))?;
    let widths: Vec<i64> = sub
        .old
        .iter()
        .map(|&g| face.metric(g).map(|(a, _)| face.thousandths(f32::from(a))))
        .collect::<Option<_>>()
        .ok_or_else(|| bad_font(style, "hmtx"))?;
    let mut codes = FaceCodes::named(tag.as_bytes());
    let mut names = BTreeMap::new();
    for &(ch, g) in &pairs {
        #[expect(clippy::cast_precision_loss, reason = "a width under 1,000,000")]
        codes.insert(
            ch,
            Glyph {
                code: g.to_be_bytes(),
                width: widths[usize::from(g)] as f32,
            },
        );
        names.insert(g, ch);
    }
    let ps = postscript_name(file).unwrap_or_else(|| tag.to_owned());
    let base = Object::Name(format!("{prefix}+{ps}").into_bytes());
    let descriptor = descriptor(doc, &face, style, base.clone(), sub.program)?;
    let mut system = Dictionary::new();
    system.set(
        "Registry",
        Object::String(b"Adobe".to_vec(), StringFormat::Literal),
    );
    system.set(
        "Ordering",
        Object::String(b"Identity".to_vec(), StringFormat::Literal),
    );
    system.set("Supplement", Object::Integer(0));
    let mut cid = Dictionary::new();
    cid.set("Type", Object::Name(b"Font".to_vec()));
    cid.set("Subtype", Object::Name(b"CIDFontType2".to_vec()));
    cid.set("BaseFont", base.clone());
    cid.set("CIDSystemInfo", Object::Dictionary(system));
    cid.set("FontDescriptor", Object::Reference(descriptor));
    cid.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
    cid.set("DW", Object::Integer(1000));
    cid.set(
        "W",
        Object::Array(vec![
            Object::Integer(1),
            Object::Array(
                widths
                    .iter()
                    .skip(1)
                    .take(firsts.len())
                    .map(|&w| Object::Integer(w))
                    .collect(),
            ),
        ]),
    );
    let to_unicode = doc.add_object(Stream::new(Dictionary::new(), to_unicode(&names)));
    let mut font = Dictionary::new();
    font.set("Type", Object::Name(b"Font".to_vec()));
    font.set("Subtype", Object::Name(b"Type0".to_vec()));
    font.set("BaseFont", base);
    font.set("Encoding", Object::Name(b"Identity-H".to_vec()));
    font.set(
        "DescendantFonts",
        Object::Array(vec![Object::Dictionary(cid)]),
    );
    font.set("ToUnicode", Object::Reference(to_unicode));
    Ok((doc.add_object(font), codes))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use skrifa::MetadataProvider as _;
    use skrifa::raw::TableProvider as _;

    use super::*;
    use crate::documents::layout::Fonts;

    /// A glyph's outline as drawing commands, in font units.
    #[derive(Default)]
    struct Commands(Vec<String>);

    impl skrifa::outline::OutlinePen for Commands {
        fn move_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("M{x},{y}"));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.0.push(format!("L{x},{y}"));
        }
        fn quad_to(&mut self, a: f32, b: f32, x: f32, y: f32) {
            self.0.push(format!("Q{a},{b},{x},{y}"));
        }
        fn curve_to(&mut self, a: f32, b: f32, c: f32, d: f32, x: f32, y: f32) {
            self.0.push(format!("C{a},{b},{c},{d},{x},{y}"));
        }
        fn close(&mut self) {
            self.0.push("Z".into());
        }
    }

    fn outline(font: &skrifa::FontRef<'_>, gid: skrifa::GlyphId) -> Vec<String> {
        let mut pen = Commands::default();
        let settings = skrifa::outline::DrawSettings::unhinted(
            skrifa::instance::Size::unscaled(),
            skrifa::instance::LocationRef::default(),
        );
        font.outline_glyphs()
            .get(gid)
            .expect("a glyph")
            .draw(settings, &mut pen)
            .expect("drawn");
        pen.0
    }

    /// Every character an archive may hold, embedded in each face: the subset, read by skrifa
    /// as a font of its own, maps each character (its `cmap`) to the code the content stream
    /// uses, with the face's own outline (composites included: the Vietnamese letters with two
    /// marks) and advance, and `/W` gives that advance in 1/1000 em to the nearest unit.
    #[test]
    fn subset_draws_what_the_face_draws() {
        let fonts = Fonts::load().unwrap();
        let chars: String = crate::text::PRINTABLE
            .iter()
            .flat_map(|&(a, b)| a..=b)
            .filter(|c| !c.is_control())
            .collect();
        for style in Style::ALL {
            let face = fonts.face(style);
            let mut doc = Document::with_version("1.7");
            let (font_id, codes) = embed(&mut doc, style, &chars, |ch| face.glyph_id(ch)).unwrap();
            let font = doc.get_dictionary(font_id).unwrap();
            let cid = font.get(b"DescendantFonts").unwrap().as_array().unwrap()[0]
                .as_dict()
                .unwrap();
            let descriptor = doc
                .get_dictionary(cid.get(b"FontDescriptor").unwrap().as_reference().unwrap())
                .unwrap();
            let file = doc
                .get_object(
                    descriptor
                        .get(b"FontFile2")
                        .unwrap()
                        .as_reference()
                        .unwrap(),
                )
                .unwrap()
                .as_stream()
                .unwrap();
            // The italic faces slant (in whole degrees) and say so in their flags.
            let italic = matches!(style, Style::Italic | Style::BoldItalic);
            let angle = descriptor.get(b"ItalicAngle").unwrap().as_i64().unwrap();
            assert_eq!(angle < 0, italic, "{style:?} {angle}");
            let flags = descriptor.get(b"Flags").unwrap().as_i64().unwrap();
            assert_eq!(flags, if italic { 96 } else { 32 }, "{style:?}");
            let length1 = file.dict.get(b"Length1").unwrap().as_i64().unwrap();
            assert_eq!(usize::try_from(length1).unwrap(), file.content.len());
            let w = cid.get(b"W").unwrap().as_array().unwrap();
            assert_eq!(w[0].as_i64().unwrap(), 1);
            let w: Vec<i64> = w[1]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_i64().unwrap())
                .collect();
            let original = skrifa::FontRef::new(FONT_FILES[style.index()].0).unwrap();
            let subset = skrifa::FontRef::new(&file.content).unwrap();
            assert!(
                subset
                    .table_data(skrifa::raw::types::Tag::new(b"fpgm"))
                    .is_none()
            );
            let upem = f64::from(original.head().unwrap().units_per_em());
            let (ohmtx, shmtx) = (original.hmtx().unwrap(), subset.hmtx().unwrap());
            for ch in chars.chars() {
                let old = original.charmap().map(ch).unwrap();
                let new = subset
                    .charmap()
                    .map(ch)
                    .unwrap_or_else(|| panic!("{style:?} {ch:?}"));
                let glyph = codes.get(ch).unwrap();
                assert_eq!(
                    u32::from(u16::from_be_bytes(glyph.code)),
                    new.to_u32(),
                    "{ch:?}"
                );
                assert_eq!(
                    outline(&subset, new),
                    outline(&original, old),
                    "{style:?} {ch:?}"
                );
                let advance = ohmtx.advance(old).unwrap();
                assert_eq!(shmtx.advance(new), Some(advance), "{ch:?}");
                let at = usize::try_from(new.to_u32() - 1).unwrap();
                #[expect(clippy::cast_possible_truncation, reason = "test: a width")]
                let nearest = (f64::from(advance) * 1000.0 / upem).round() as i64;
                assert_eq!(w[at], nearest, "{ch:?}");
                #[expect(clippy::cast_precision_loss, reason = "test: a width")]
                let width = nearest as f32;
                assert_eq!(glyph.width, width);
            }
        }
    }

    /// The text a reader extracts: `/ToUnicode` names each code by its character, in ranges
    /// where codes and characters run together (never across a last byte of the code), and a
    /// character beyond the BMP as its UTF-16 pair.
    #[test]
    fn to_unicode_names_every_code() {
        let mut names = BTreeMap::new();
        for (i, ch) in "abcdeXz".chars().enumerate() {
            names.insert(u16::try_from(i + 1).unwrap(), ch);
        }
        names.insert(0xFE, 'p');
        names.insert(0xFF, 'q');
        names.insert(0x100, 'r');
        names.insert(0x101, '\u{1F600}');
        let text = String::from_utf8(to_unicode(&names)).unwrap();
        // p, q run together; r would cross the last byte of the code: alone.
        assert!(
            text.contains("2 beginbfrange\n<0001> <0005> <0061>\n<00FE> <00FF> <0070>\nendbfrange"),
            "{text}"
        );
        assert!(
            text.contains(
                "4 beginbfchar\n<0006> <0058>\n<0007> <007A>\n<0100> <0072>\n<0101> <D83DDE00>\nendbfchar"
            ),
            "{text}"
        );
        // Nor across a last byte of the character: ÿ (U+00FF) and Ā (U+0100) stay apart.
        let names: BTreeMap<u16, char> = [(1, '\u{fe}'), (2, '\u{ff}'), (3, '\u{100}')].into();
        let text = String::from_utf8(to_unicode(&names)).unwrap();
        assert!(text.contains("<0001> <0002> <00FE>\n"), "{text}");
        assert!(text.contains("<0003> <0100>\n"), "{text}");
    }

    /// Glyph instructions are cut from simple glyphs; the outline data is kept as it was.
    #[test]
    fn simple_glyph_loses_instructions() {
        // One contour, bbox, end point 2, 3 instruction bytes, then 4 bytes of points.
        let mut g = vec![0, 1, 0, 0, 0, 0, 0, 9, 0, 9, 0, 2, 0, 3, 0xb0, 0x01, 0x2f];
        g.extend([1, 2, 3, 4]);
        let out = glyph_unhinted(&g).unwrap();
        assert_eq!(&out[..12], &g[..12]);
        assert_eq!(&out[12..14], &[0, 0]);
        assert_eq!(&out[14..], &[1, 2, 3, 4]);
    }

    /// Not a TrueType file: an error naming the face, not a panic.
    #[test]
    fn unreadable_face_is_an_error() {
        assert!(Face::read(b"not a font").is_none());
        assert!(Face::read(&[0; 12]).is_none());
        let truncated = &FONT_FILES[0].0[..4000];
        assert!(Face::read(truncated).is_none());
    }
}
