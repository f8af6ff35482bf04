//! Makes the PDF printpdf writes small (issue 12: 200 cadres were 110 KB, LibreOffice prints the
//! same in 63 KB), without changing what is printed or what text tools extract:
//!
//! - one resource dictionary shared by every page, instead of a copy per page;
//! - content streams that say each thing once: the text of a page in one text object, a font
//!   set only when it changes, positions relative to the previous line (`Td`), the words of a
//!   justified line in one `TJ` whose spacings come from the file's own `/W` widths (so every
//!   word lands where the layout put it), coordinates to 1/100 pt, adjacent fills and strokes
//!   in one path;
//! - fonts without TrueType hinting (instructions, `fpgm`, `prep`, `cvt `): half of each subset,
//!   used only by screens rasterising small sizes, never by printers;
//! - the draft mark drawn once as a form, which every page calls;
//! - object streams, a cross-reference stream, and the best flate level.
//!
//! Every step is deterministic: the same pages give the same bytes.
#![expect(
    clippy::float_arithmetic,
    reason = "positions in points, not vote arithmetic"
)]

use std::collections::BTreeMap;

use lopdf::content::{Content, Operation};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use super::DocumentError;

fn pdf_err(e: impl std::fmt::Display) -> DocumentError {
    DocumentError::Pdf(e.to_string())
}

/// Compacts `doc` in place; `watermark`, if any, is the content of a full-page form drawn
/// under every page.
pub(super) fn compact(doc: &mut Document, watermark: Option<Vec<u8>>) -> Result<(), DocumentError> {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let mut resources = shared_resources(doc, &pages)?;
    let mark = watermark.map(|content| {
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"XObject".to_vec()));
        dict.set("Subtype", Object::Name(b"Form".to_vec()));
        dict.set(
            "BBox",
            Object::Array(
                [0.0, 0.0, super::layout::A4_WIDTH, super::layout::A4_HEIGHT]
                    .into_iter()
                    .map(|v| Object::Real(round2(v)))
                    .collect(),
            ),
        );
        dict.set("Resources", Object::Dictionary(Dictionary::new()));
        doc.add_object(Stream::new(dict, content))
    });
    if let Some(id) = mark {
        let mut xobjects = Dictionary::new();
        xobjects.set("Wm", Object::Reference(id));
        resources.set("XObject", Object::Dictionary(xobjects));
    }
    let widths = font_widths(doc, &resources);
    let resources_id = doc.add_object(Object::Dictionary(resources));
    for &page in &pages {
        let content = doc.get_page_content(page);
        let ops = Content::decode(&content).map_err(pdf_err)?.operations;
        let mut ops = optimise(ops, &widths);
        if mark.is_some() {
            ops.insert(0, Operation::new("Do", vec![Object::Name(b"Wm".to_vec())]));
        }
        let bytes = Content { operations: ops }.encode().map_err(pdf_err)?;
        let dict = doc.get_dictionary_mut(page).map_err(pdf_err)?;
        dict.set("Resources", Object::Reference(resources_id));
        dict.remove(b"CropBox");
        dict.remove(b"TrimBox");
        if dict
            .get(b"Annots")
            .and_then(Object::as_array)
            .is_ok_and(Vec::is_empty)
        {
            dict.remove(b"Annots");
        }
        let contents = doc.add_object(Stream::new(Dictionary::new(), bytes));
        doc.get_dictionary_mut(page)
            .map_err(pdf_err)?
            .set("Contents", Object::Reference(contents));
    }
    strip_font_hinting(doc)?;
    doc.prune_objects();
    doc.renumber_objects();
    compress_best(doc)
}

/// The union of every page's resources (printpdf writes one dictionary per page).
fn shared_resources(doc: &Document, pages: &[ObjectId]) -> Result<Dictionary, DocumentError> {
    let mut all = Dictionary::new();
    for &page in pages {
        let dict = doc.get_dictionary(page).map_err(pdf_err)?;
        let Ok(res) = dict.get(b"Resources") else {
            continue;
        };
        let res = match res {
            Object::Reference(id) => doc.get_dictionary(*id).map_err(pdf_err)?,
            Object::Dictionary(d) => d,
            _ => continue,
        };
        for (key, value) in res {
            let value = match value {
                Object::Reference(id) => doc.get_object(*id).map_err(pdf_err)?,
                v => v,
            };
            match (all.get_mut(key), value) {
                (Ok(Object::Dictionary(have)), Object::Dictionary(more)) => {
                    for (k, v) in more {
                        have.set(k.clone(), v.clone());
                    }
                }
                (Ok(_), _) => {}
                (Err(_), v) => all.set(key.clone(), v.clone()),
            }
        }
    }
    Ok(all)
}

/// A font's glyph widths in 1/1000 em, by two-byte code (`/W` of its descendant font).
#[derive(Debug, Default)]
struct Widths {
    default: f32,
    by_code: BTreeMap<u16, f32>,
}

impl Widths {
    fn of(&self, s: &[u8]) -> f32 {
        s.chunks(2)
            .map(|c| {
                let code = u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]);
                *self.by_code.get(&code).unwrap_or(&self.default)
            })
            .sum()
    }
}

fn number(o: &Object) -> Option<f32> {
    o.as_float().ok()
}

/// The widths of every font in `resources`, by resource name.
fn font_widths(doc: &Document, resources: &Dictionary) -> BTreeMap<Vec<u8>, Widths> {
    let mut out = BTreeMap::new();
    let Ok(fonts) = resources.get_deref(b"Font", doc).and_then(Object::as_dict) else {
        return out;
    };
    for (name, font) in fonts {
        let cid = font
            .as_reference()
            .and_then(|id| doc.get_dictionary(id))
            .and_then(|f| f.get_deref(b"DescendantFonts", doc))
            .and_then(Object::as_array)
            .and_then(|a| a.first().ok_or(lopdf::Error::DictKey("0".into())))
            .and_then(|d| doc.dereference(d).map(|(_, o)| o))
            .and_then(Object::as_dict);
        let Ok(cid) = cid else { continue };
        let mut w = Widths {
            default: cid.get(b"DW").ok().and_then(number).unwrap_or(1000.0),
            by_code: BTreeMap::new(),
        };
        if let Ok(list) = cid.get_deref(b"W", doc).and_then(Object::as_array) {
            let mut i = 0;
            while i + 1 < list.len() {
                let Some(first) = list[i].as_i64().ok().and_then(|v| u16::try_from(v).ok()) else {
                    break;
                };
                if let Ok(ws) = list[i + 1].as_array() {
                    for (k, v) in ws.iter().enumerate() {
                        if let (Some(v), Ok(k)) = (number(v), u16::try_from(k)) {
                            w.by_code.insert(first.saturating_add(k), v);
                        }
                    }
                    i += 2;
                } else if i + 2 < list.len() {
                    let last = list[i + 1]
                        .as_i64()
                        .ok()
                        .and_then(|v| u16::try_from(v).ok());
                    if let (Some(last), Some(v)) = (last, number(&list[i + 2])) {
                        for code in first..=last {
                            w.by_code.insert(code, v);
                        }
                    }
                    i += 3;
                } else {
                    break;
                }
            }
        }
        out.insert(name.clone(), w);
    }
    out
}

fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// Hundredths of a point, the grid positions are written on.
fn hundredths(o: &Object) -> Option<i64> {
    let v = number(o)?;
    let h = (f64::from(v) * 100.0).round();
    // In range by construction: page coordinates are a few thousand points at most.
    #[expect(
        clippy::cast_possible_truncation,
        reason = "rounded, and within a page"
    )]
    Some(h as i64)
}

fn real_h(h: i64) -> Object {
    if h % 100 == 0 {
        Object::Integer(h / 100)
    } else {
        Object::Real(h as f32 / 100.0)
    }
}

fn is_path(op: &str) -> bool {
    matches!(op, "re" | "m" | "l" | "c" | "v" | "y" | "h")
}

/// The widest gap, in 1/1000 em, that words of one `TJ` may have between them: a justified
/// line's spaces stay well under it, table cells on one baseline are further apart and keep
/// their own position (poppler reads each as a separate block then, as before).
const MAX_GAP: f64 = 1000.0;

/// The text shown since the last `Td`/`Tm`, gathered into one `TJ`.
struct Show {
    /// Strings and spacings of the `TJ`.
    items: Vec<Object>,
    /// Baseline, in hundredths.
    y: i64,
    /// Where the next glyph would go, in points.
    pen: f64,
}

/// Rewrites one page's operations as described in the module comment.
fn optimise(ops: Vec<Operation>, widths: &BTreeMap<Vec<u8>, Widths>) -> Vec<Operation> {
    let mut o = Optimiser {
        widths,
        out: Vec::with_capacity(ops.len()),
        font: None,
        line: None,
        show: None,
        width: None,
        saved_width: Vec::new(),
        spaced: false,
    };
    for op in ops {
        o.op(op);
    }
    o.flush();
    merge_paints(o.out)
}

/// The state [`optimise`] walks a page with.
struct Optimiser<'w> {
    widths: &'w BTreeMap<Vec<u8>, Widths>,
    out: Vec<Operation>,
    /// Font resource and size in effect.
    font: Option<(Vec<u8>, f32)>,
    /// Start of the current text line (the line matrix), in hundredths; `None` when unknown.
    line: Option<(i64, i64)>,
    show: Option<Show>,
    /// Line width in effect, and the ones `q` saved.
    width: Option<f32>,
    saved_width: Vec<Option<f32>>,
    /// Character, word or horizontal scaling was set (printpdf never does).
    spaced: bool,
}

impl Optimiser<'_> {
    fn flush(&mut self) {
        if let Some(s) = self.show.take() {
            self.out.push(if s.items.len() == 1 {
                Operation::new("Tj", s.items)
            } else {
                Operation::new("TJ", vec![Object::Array(s.items)])
            });
        }
    }

    fn op(&mut self, op: Operation) {
        match op.operator.as_str() {
            "BT" => {
                // Consecutive text objects become one: ET BT in between says nothing.
                if self.out.last().is_some_and(|o| o.operator == "ET") {
                    self.out.pop();
                } else {
                    self.out.push(op);
                    self.line = Some((0, 0));
                }
            }
            "Tf" => {
                let key = match (op.operands.first(), op.operands.get(1)) {
                    (Some(Object::Name(n)), Some(size)) => number(size).map(|s| (n.clone(), s)),
                    _ => None,
                };
                if key.is_none() || key != self.font {
                    self.flush();
                    self.font = key;
                    self.out.push(op);
                }
            }
            // Spacing that the pen in [`Show`] does not follow: no more merging on this page.
            "Tc" | "Tw" | "Tz" => {
                self.flush();
                self.spaced = true;
                self.out.push(op);
            }
            "Tm" => self.tm(op),
            "Tj" => self.tj(op),
            "w" => {
                let w = op.operands.first().and_then(number).map(round2);
                if w.is_none() || w != self.width {
                    self.width = w;
                    self.out.push(Operation::new(
                        "w",
                        w.map(Object::Real).into_iter().collect(),
                    ));
                }
            }
            "q" => {
                self.saved_width.push(self.width);
                self.out.push(op);
            }
            "Q" => {
                self.width = self.saved_width.pop().flatten();
                self.out.push(op);
            }
            _ => {
                self.flush();
                let operands = op
                    .operands
                    .into_iter()
                    .map(|o| match o {
                        Object::Real(r) => Object::Real(round2(r)),
                        o => o,
                    })
                    .collect();
                self.out.push(Operation::new(&op.operator, operands));
            }
        }
    }

    fn tm(&mut self, op: Operation) {
        let v: Vec<Option<i64>> = op.operands.iter().map(hundredths).collect();
        let Some(&[Some(100), Some(0), Some(0), Some(100), Some(x), Some(y)]) = v.get(..) else {
            // A rotated or scaled text: written as it is, and the next line absolute.
            self.flush();
            self.line = None;
            self.out.push(op);
            return;
        };
        // Same baseline, at most an em from where the pen is (the words of a line, not the
        // next table cell): a spacing in the TJ instead of a new position. Rounded against
        // where the pen really is, so errors never add up.
        if let (Some(s), Some((_, size)), false) = (&mut self.show, &self.font, self.spaced)
            && s.y == y
            && *size > 0.0
        {
            let size = f64::from(*size);
            let gap = (s.pen - x as f64 / 100.0) * 1000.0 / size;
            if gap.abs() <= MAX_GAP {
                let adjust = gap.round();
                s.pen -= adjust * size / 1000.0;
                #[expect(clippy::cast_possible_truncation, reason = "rounded, at most 1000")]
                s.items.push(Object::Integer(adjust as i64));
                return;
            }
        }
        self.flush();
        self.out.push(match self.line {
            Some((lx, ly)) => Operation::new("Td", vec![real_h(x - lx), real_h(y - ly)]),
            None => Operation::new(
                "Tm",
                vec![1.into(), 0.into(), 0.into(), 1.into(), real_h(x), real_h(y)],
            ),
        });
        self.line = Some((x, y));
    }

    fn tj(&mut self, op: Operation) {
        let w = self
            .font
            .as_ref()
            .and_then(|(name, size)| self.widths.get(name).map(|w| (w, *size)));
        let (Some(Object::String(bytes, _)), Some((w, size)), Some((x, y))) =
            (op.operands.first(), w, self.line)
        else {
            self.flush();
            self.out.push(op);
            return;
        };
        let advance = f64::from(w.of(bytes)) * f64::from(size) / 1000.0;
        let item = Object::String(bytes.clone(), StringFormat::Literal);
        match &mut self.show {
            Some(s) => {
                s.items.push(item);
                s.pen += advance;
            }
            None => {
                self.show = Some(Show {
                    items: vec![item],
                    y,
                    pen: x as f64 / 100.0 + advance,
                });
            }
        }
    }
}

/// Drops a paint when the path right after it is painted the same way (adjacent table cells,
/// the QR code's runs): one path, one paint.
fn merge_paints(ops: Vec<Operation>) -> Vec<Operation> {
    let n = ops.len();
    let keep: Vec<bool> = (0..n)
        .map(|i| {
            let paint = ops[i].operator.as_str();
            !(matches!(paint, "f" | "S")
                && ops.get(i + 1).is_some_and(|o| is_path(&o.operator))
                && ops[i + 1..]
                    .iter()
                    .find(|o| !is_path(&o.operator))
                    .is_some_and(|o| o.operator == paint && o.operands.is_empty()))
        })
        .collect();
    ops.into_iter()
        .zip(keep)
        .filter_map(|(op, keep)| keep.then_some(op))
        .collect()
}

/// Removes TrueType hinting from every embedded TrueType font.
fn strip_font_hinting(doc: &mut Document) -> Result<(), DocumentError> {
    let files: Vec<ObjectId> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter_map(|d| d.get(b"FontFile2").and_then(Object::as_reference).ok())
        .collect();
    for id in files {
        let Ok(Object::Stream(stream)) = doc.get_object_mut(id) else {
            continue;
        };
        let raw = if stream.dict.get(b"Filter").is_ok() {
            stream.decompressed_content().map_err(pdf_err)?
        } else {
            stream.content.clone()
        };
        let Some(font) = unhinted(&raw) else {
            continue;
        };
        stream.dict.remove(b"Filter");
        stream.dict.remove(b"DecodeParms");
        stream.dict.set(
            "Length1",
            Object::Integer(i64::try_from(font.len()).map_err(pdf_err)?),
        );
        stream.set_content(font);
    }
    Ok(())
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Tables that only hinting reads, or that a PDF viewer never reads from an embedded subset
/// (the font's names are in the PDF's font dictionary; the PDF reference lists the tables an
/// embedded TrueType font needs, and `name` is not one of them).
const DROPPED: [&[u8; 4]; 9] = [
    b"fpgm", b"prep", b"cvt ", b"hdmx", b"LTSH", b"VDMX", b"gasp", b"DSIG", b"name",
];

/// `font` (a TrueType file) without hinting: glyph instructions and the hinting tables gone;
/// `None` if it cannot be read as expected (then it is embedded as it was).
fn unhinted(font: &[u8]) -> Option<Vec<u8>> {
    let count = usize::from(be16(font, 4)?);
    let mut tables: BTreeMap<[u8; 4], Vec<u8>> = BTreeMap::new();
    for i in 0..count {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let off = usize::try_from(be32(font, rec + 8)?).ok()?;
        let len = usize::try_from(be32(font, rec + 12)?).ok()?;
        tables.insert(tag, font.get(off..off + len)?.to_vec());
    }
    let long = be16(tables.get(b"head")?, 50)? == 1;
    let glyphs = usize::from(be16(tables.get(b"maxp")?, 4)?);
    let loca = tables.get(b"loca")?;
    let offset = |i: usize| -> Option<usize> {
        if long {
            usize::try_from(be32(loca, 4 * i)?).ok()
        } else {
            Some(usize::from(be16(loca, 2 * i)?) * 2)
        }
    };
    let glyf = tables.get(b"glyf")?;
    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_loca = Vec::new();
    let push_offset = |v: usize, loca: &mut Vec<u8>| -> Option<()> {
        if long {
            loca.extend(u32::try_from(v).ok()?.to_be_bytes());
        } else {
            loca.extend(u16::try_from(v / 2).ok()?.to_be_bytes());
        }
        Some(())
    };
    for g in 0..glyphs {
        push_offset(new_glyf.len(), &mut new_loca)?;
        let data = glyf.get(offset(g)?..offset(g + 1)?)?;
        if !data.is_empty() {
            new_glyf.extend(glyph_unhinted(data)?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    push_offset(new_glyf.len(), &mut new_loca)?;
    tables.insert(*b"glyf", new_glyf);
    tables.insert(*b"loca", new_loca);
    for tag in DROPPED {
        tables.remove(tag);
    }
    Some(sfnt(font.get(0..4)?, &tables))
}

/// One glyph's data without its instructions.
fn glyph_unhinted(data: &[u8]) -> Option<Vec<u8>> {
    let contours = i16::from_be_bytes(data.get(0..2)?.try_into().ok()?);
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
        at += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
        at += if flags & 0x0008 != 0 {
            2
        } else if flags & 0x0040 != 0 {
            4
        } else if flags & 0x0080 != 0 {
            8
        } else {
            0
        };
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

/// A TrueType file of `tables` (sorted by tag, as the format asks).
fn sfnt(version: &[u8], tables: &BTreeMap<[u8; 4], Vec<u8>>) -> Vec<u8> {
    let n = u16::try_from(tables.len()).unwrap_or(u16::MAX);
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= n {
        pow *= 2;
        log += 1;
    }
    let mut out = version.to_vec();
    for v in [n, pow * 16, log, n * 16 - pow * 16] {
        out.extend(v.to_be_bytes());
    }
    let mut at = 12 + 16 * tables.len();
    let mut body = Vec::new();
    let mut head_at = None;
    for (tag, data) in tables {
        let mut data = data.clone();
        if tag == b"head" && data.len() >= 12 {
            data[8..12].copy_from_slice(&[0; 4]);
            head_at = Some(at);
        }
        out.extend(tag);
        out.extend(checksum(&data).to_be_bytes());
        out.extend(u32::try_from(at).unwrap_or(0).to_be_bytes());
        out.extend(u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
        body.extend(&data);
        while body.len() % 4 != 0 {
            body.push(0);
        }
        at = 12 + 16 * tables.len() + body.len();
    }
    out.extend(body);
    if let Some(h) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[h + 8..h + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

/// Flate-compresses every stream at the best level: this file is archived and mailed, and the
/// best level costs a few milliseconds here.
fn compress_best(doc: &mut Document) -> Result<(), DocumentError> {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
        {
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(&stream.content).map_err(pdf_err)?;
            let packed = encoder.finish().map_err(pdf_err)?;
            if packed.len() + 19 < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(packed);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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

    /// A justified line's words, each at its own position, become one TJ whose spacings put
    /// every word back where it was.
    #[test]
    fn words_on_a_line_become_one_tj() {
        let mut w = Widths {
            default: 500.0,
            by_code: BTreeMap::new(),
        };
        w.by_code.insert(1, 250.0);
        let widths = BTreeMap::from([(b"F1".to_vec(), w)]);
        let word = |x: f32| {
            [
                Operation::new(
                    "Tm",
                    vec![1.into(), 0.into(), 0.into(), 1.into(), x.into(), 700.into()],
                ),
                Operation::new(
                    "Tj",
                    vec![Object::String(vec![0, 2, 0, 1], StringFormat::Hexadecimal)],
                ),
            ]
        };
        let mut ops = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec![Object::Name(b"F1".to_vec()), 10.into()]),
        ];
        ops.extend(word(100.0));
        ops.extend(word(110.0));
        ops.push(Operation::new("ET", vec![]));
        let out = optimise(ops, &widths);
        let ops: Vec<&str> = out.iter().map(|o| o.operator.as_str()).collect();
        assert_eq!(ops, ["BT", "Tf", "Td", "TJ", "ET"]);
        // First word 7.5 pt wide: 2.5 pt more to reach 110, i.e. -250/1000 em at 10 pt.
        let Object::Array(items) = &out[3].operands[0] else {
            panic!()
        };
        assert_eq!(items[1], Object::Integer(-250));
    }
}
