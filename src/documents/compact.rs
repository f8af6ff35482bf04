//! Makes the PDF printpdf writes small (issue 12: 200 cadres were 110 KB, LibreOffice prints the
//! same in 63 KB), without changing what is printed or what text tools extract:
//!
//! - one resource dictionary shared by every page, instead of a copy per page;
//! - content streams that say each thing once: the text of a page in one text object, a font
//!   set only when it changes, positions relative to the previous line (`Td`), the words of a
//!   justified line in one `TJ` whose spacings come from the file's own `/W` widths (so every
//!   word lands where the layout put it), coordinates to 1/100 pt, adjacent fills and strokes
//!   in one path;
//! - the draft mark drawn once as a form, which every page calls;
//! - each picture embedded once, as its PNG's compressed pixel data unchanged;
//! - object streams, a cross-reference stream, and flate at zlib's default level.
//!
//! The content streams are written here directly from the layout ([`ContentStream`]), not by
//! printpdf: having printpdf write operators that lopdf then parsed back to rewrite them cost
//! most of the time of the minutes (issue 14). The fonts are embedded by `fontfile.rs`.
//!
//! Every step is deterministic: the same pages give the same bytes.
#![expect(
    clippy::float_arithmetic,
    reason = "positions in points, not vote arithmetic"
)]

use std::collections::BTreeMap;
use std::io::Write as _;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};

use super::DocumentError;
use super::layout::{Colour, Picture, Style};

fn pdf_err(e: impl std::fmt::Display) -> DocumentError {
    DocumentError::Pdf(e.to_string())
}

/// Compacts `doc` in place: `contents` are the pages' content streams, in page order, which
/// name the fonts of `fonts` (resource name → font dictionary);
/// `watermark`, if any, is the content of a full-page form the streams call as `/Wm`, and
/// `pictures` are the images they call as `/Im1`, `/Im2`… ([`image_name`]). The document's
/// pages are distinct pages, printed in `order` (indices into them): a page printed again is
/// one more page object with the same content stream.
pub(super) fn compact(
    doc: &mut Document,
    fonts: Dictionary,
    watermark: Option<Vec<u8>>,
    pictures: &[&Picture],
    contents: Vec<Vec<u8>>,
    order: &[usize],
) -> Result<(), DocumentError> {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    let mut resources = shared_resources(doc, &pages)?;
    if !fonts.is_empty() {
        resources.set("Font", Object::Dictionary(fonts));
    }
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
    let mut xobjects = Dictionary::new();
    if let Some(id) = mark {
        xobjects.set("Wm", Object::Reference(id));
    }
    for (i, picture) in pictures.iter().enumerate() {
        let id = doc.add_object(image_xobject(picture)?);
        xobjects.set(image_name(i), Object::Reference(id));
    }
    if !xobjects.is_empty() {
        resources.set("XObject", Object::Dictionary(xobjects));
    }
    let resources_id = doc.add_object(Object::Dictionary(resources));
    if contents.len() != pages.len() {
        return Err(pdf_err("pages and content streams differ in number"));
    }
    for (&page, bytes) in pages.iter().zip(contents) {
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
    print_in_order(doc, &pages, order)?;
    prune_and_renumber(doc);
    compress_all(doc)
}

/// The resource name of the document's picture `i` (from 0): `Im1`, `Im2`…
fn image_name(i: usize) -> Vec<u8> {
    format!("Im{}", i + 1).into_bytes()
}

/// A picture as an image XObject: PNG's compressed pixel data as it is, which `/FlateDecode`
/// with PNG's predictors (`/Predictor 15`: each row's own filter byte) reads unchanged. Its
/// `/Filter` keeps [`compress_all`] from compressing it again.
fn image_xobject(picture: &Picture) -> Result<Stream, DocumentError> {
    let int = |v: u32| Object::Integer(i64::from(v));
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Image".to_vec()));
    dict.set("Width", int(picture.width()));
    dict.set("Height", int(picture.height()));
    let space = match picture.colour() {
        Colour::Grey => Object::Name(b"DeviceGray".to_vec()),
        Colour::Rgb => Object::Name(b"DeviceRGB".to_vec()),
        Colour::Indexed(palette) => Object::Array(vec![
            Object::Name(b"Indexed".to_vec()),
            Object::Name(b"DeviceRGB".to_vec()),
            Object::Integer(i64::try_from(palette.len() / 3).map_err(pdf_err)? - 1),
            Object::String(palette.clone(), lopdf::StringFormat::Hexadecimal),
        ]),
    };
    dict.set("ColorSpace", space);
    dict.set("BitsPerComponent", int(picture.bits().into()));
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    let mut parms = Dictionary::new();
    parms.set("Predictor", Object::Integer(15));
    parms.set("Colors", int(picture.colours().into()));
    parms.set("BitsPerComponent", int(picture.bits().into()));
    parms.set("Columns", int(picture.width()));
    dict.set("DecodeParms", Object::Dictionary(parms));
    Ok(Stream::new(dict, picture.data().to_vec()).with_compression(false))
}

/// The objects `object` refers to directly.
fn references(object: &Object, out: &mut Vec<ObjectId>) {
    match object {
        Object::Reference(id) => out.push(*id),
        Object::Array(items) => items.iter().for_each(|o| references(o, out)),
        Object::Dictionary(d) => d.iter().for_each(|(_, o)| references(o, out)),
        Object::Stream(s) => s.dict.iter().for_each(|(_, o)| references(o, out)),
        _ => {}
    }
}

/// Replaces every reference in `object` by its new number in `new`.
fn renumber(object: &mut Object, new: &BTreeMap<ObjectId, ObjectId>) {
    match object {
        Object::Reference(id) => {
            if let Some(n) = new.get(id) {
                *id = *n;
            }
        }
        Object::Array(items) => items.iter_mut().for_each(|o| renumber(o, new)),
        Object::Dictionary(d) => d.iter_mut().for_each(|(_, o)| renumber(o, new)),
        Object::Stream(s) => s.dict.iter_mut().for_each(|(_, o)| renumber(o, new)),
        _ => {}
    }
}

/// Drops the objects nothing refers to, then numbers the others 1, 2, … in the order of
/// their numbers, the pages' numbers first given out again in page order: what lopdf's
/// `prune_objects` and `renumber_objects` do, to the same bytes, in O(n log n). Theirs look
/// every reference up in a list of the references seen, quadratic in the objects: a ballot
/// PDF of 10,000 pages spent seconds there (issue 20).
fn prune_and_renumber(doc: &mut Document) {
    let mut seen = std::collections::BTreeSet::new();
    let mut next = Vec::new();
    doc.trailer
        .iter()
        .for_each(|(_, o)| references(o, &mut next));
    while let Some(id) = next.pop() {
        if seen.insert(id)
            && let Some(object) = doc.objects.get(&id)
        {
            references(object, &mut next);
        }
    }
    doc.objects.retain(|id, _| seen.contains(id));
    // The pages' numbers, sorted, go to the pages in page order, each keeping its generation.
    let pages: Vec<ObjectId> = doc.page_iter().collect();
    let mut numbers: Vec<ObjectId> = pages.clone();
    numbers.sort_unstable();
    let moved: BTreeMap<ObjectId, ObjectId> = if pages == numbers {
        BTreeMap::new()
    } else {
        pages
            .iter()
            .zip(&numbers)
            .map(|(&page, &number)| (page, (number.0, page.1)))
            .collect()
    };
    let objects = std::mem::take(&mut doc.objects);
    let mut placed: Vec<(ObjectId, ObjectId, Object)> = objects
        .into_iter()
        .map(|(id, o)| (id, moved.get(&id).copied().unwrap_or(id), o))
        .collect();
    placed.sort_unstable_by_key(|&(_, at, _)| at);
    let mut new = BTreeMap::new();
    let mut number = 1;
    for (old, at, _) in &placed {
        let renumbered = (number, at.1);
        if renumbered != *old {
            new.insert(*old, renumbered);
        }
        number += 1;
    }
    for (old, _, mut object) in placed {
        renumber(&mut object, &new);
        let id = new.get(&old).copied().unwrap_or(old);
        doc.objects.insert(id, object);
    }
    doc.trailer.iter_mut().for_each(|(_, o)| renumber(o, &new));
    doc.max_id = number - 1;
}

/// The most kids of one node of the page tree. A flat list of 100,000 pages would be one
/// array of 100,000 elements, beyond the 8,191 that PDF 1.7 (ISO 32000-1, Annex C) gives as
/// a reader's limit; a document of up to this many pages keeps the flat list printpdf writes.
const PAGE_TREE_FANOUT: usize = 256;

/// Makes the page tree list the distinct pages `distinct` in `order`: a page's first printing
/// is its own page object; each later one is a page object of three entries (type, parent and
/// the same content stream) that inherits its size and resources from the root of the tree,
/// which then carries them: 50,000 copies as full copies of the first cost 2.6 KB of memory
/// each. Nodes of at most [`PAGE_TREE_FANOUT`] kids.
fn print_in_order(
    doc: &mut Document,
    distinct: &[ObjectId],
    order: &[usize],
) -> Result<(), DocumentError> {
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .map_err(pdf_err)?;
    let mut printed = vec![false; distinct.len()];
    let mut inherited = None;
    let mut level = Vec::with_capacity(order.len());
    for &i in order {
        let (&page, seen) = distinct
            .get(i)
            .zip(printed.get_mut(i))
            .ok_or_else(|| pdf_err("a page printed that is not laid out"))?;
        let id = if std::mem::replace(seen, true) {
            let first = doc.get_dictionary(page).map_err(pdf_err)?;
            let mut again = Dictionary::new();
            for key in [b"Type".as_slice(), b"Parent", b"Contents"] {
                again.set(key, first.get(key).map_err(pdf_err)?.clone());
            }
            if inherited.is_none() {
                let get = |key: &[u8]| first.get(key).cloned().map_err(pdf_err);
                inherited = Some((get(b"MediaBox")?, get(b"Resources")?));
            }
            doc.add_object(again)
        } else {
            page
        };
        level.push((id, 1_i64));
    }
    if let Some((media_box, resources)) = inherited {
        let node = doc.get_dictionary_mut(root).map_err(pdf_err)?;
        node.set("MediaBox", media_box);
        node.set("Resources", resources);
    }
    while level.len() > PAGE_TREE_FANOUT {
        let mut up = Vec::with_capacity(level.len().div_ceil(PAGE_TREE_FANOUT));
        for kids in level.chunks(PAGE_TREE_FANOUT) {
            let count = kids.iter().map(|(_, n)| n).sum();
            let mut node = Dictionary::new();
            node.set("Type", Object::Name(b"Pages".to_vec()));
            node.set("Parent", Object::Reference(root));
            node.set("Count", Object::Integer(count));
            node.set(
                "Kids",
                Object::Array(kids.iter().map(|(id, _)| Object::Reference(*id)).collect()),
            );
            let node = doc.add_object(node);
            for (kid, _) in kids {
                set_parent(doc, *kid, node)?;
            }
            up.push((node, count));
        }
        level = up;
    }
    for (kid, _) in &level {
        set_parent(doc, *kid, root)?;
    }
    let count = level.iter().map(|(_, n)| n).sum();
    let node = doc.get_dictionary_mut(root).map_err(pdf_err)?;
    node.set("Count", Object::Integer(count));
    node.set(
        "Kids",
        Object::Array(level.iter().map(|(id, _)| Object::Reference(*id)).collect()),
    );
    Ok(())
}

fn set_parent(doc: &mut Document, kid: ObjectId, parent: ObjectId) -> Result<(), DocumentError> {
    doc.get_dictionary_mut(kid)
        .map_err(pdf_err)?
        .set("Parent", Object::Reference(parent));
    Ok(())
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

/// The code of a character of one face in the content streams, and its width in the file
/// (`/W`, 1/1000 em).
#[derive(Debug, Clone, Copy)]
pub(super) struct Glyph {
    pub(super) code: [u8; 2],
    pub(super) width: f32,
}

/// Characters below this are looked up by index; the rare others in a map.
const DENSE: usize = 0x2200;

/// The codes and widths of every character one face draws in the document.
#[derive(Debug, Default)]
pub(super) struct FaceCodes {
    /// The font's resource name.
    name: Vec<u8>,
    dense: Vec<Option<Glyph>>,
    sparse: BTreeMap<char, Glyph>,
}

impl FaceCodes {
    /// No characters yet, for the font named `name` in the pages' resources.
    pub(super) fn named(name: &[u8]) -> Self {
        Self {
            name: name.to_vec(),
            ..Self::default()
        }
    }

    /// Gives `ch` its glyph.
    pub(super) fn insert(&mut self, ch: char, glyph: Glyph) {
        let i = ch as usize;
        if i < DENSE {
            if self.dense.len() <= i {
                self.dense.resize(i + 1, None);
            }
            self.dense[i] = Some(glyph);
        } else {
            self.sparse.insert(ch, glyph);
        }
    }

    pub(super) fn get(&self, ch: char) -> Option<Glyph> {
        match self.dense.get(ch as usize) {
            Some(g) => *g,
            None => self.sparse.get(&ch).copied(),
        }
    }
}

fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// The widest gap, in 1/1000 em, that words of one `TJ` may have between them: a justified
/// line's spaces stay well under it, table cells on one baseline are further apart and keep
/// their own position (poppler reads each as a separate block then, as before).
const MAX_GAP: f64 = 1000.0;

/// A piece of a `TJ`: a string of codes, or a spacing in 1/1000 em.
enum Piece {
    Codes(Vec<u8>),
    Space(i64),
}

/// The text shown since the last `Td`, gathered into one `TJ`.
struct Show {
    pieces: Vec<Piece>,
    /// Baseline, in hundredths.
    y: i64,
    /// Where the next glyph would go, in points.
    pen: f64,
}

/// A path to fill or stroke, in points.
#[derive(Debug, Clone, Copy)]
pub(super) enum Path {
    /// `re`: left, bottom, width, height.
    Rect([f32; 4]),
    /// A segment from the first point to the second.
    Line([f32; 4]),
}

/// One page's content stream, written as compactly as the module comment says: the caller
/// gives the fills grouped by grey level, then the strokes grouped by width, then the text.
pub(super) struct ContentStream<'f> {
    faces: &'f [Option<FaceCodes>; 4],
    out: Vec<u8>,
    /// Line width in effect (outside the fills' `q`…`Q`), to 1/100 pt.
    width: Option<f32>,
    /// A stroke (`S`) not yet written: the next group's paths join it when its width is the
    /// same.
    stroke: bool,
    /// Face and size in effect.
    font: Option<(Style, f32)>,
    /// Start of the current text line, in hundredths.
    line: (i64, i64),
    show: Option<Show>,
}

/// `v` in hundredths, rounded as f32 (the precision the coordinates were computed in).
#[expect(
    clippy::cast_possible_truncation,
    reason = "rounded, and within a page"
)]
pub(super) fn h32(v: f32) -> i64 {
    (v * 100.0).round() as i64
}

/// `v` in hundredths, rounded as f64 (text positions, which the TJ spacings are reckoned from).
#[expect(
    clippy::cast_possible_truncation,
    reason = "rounded, and within a page"
)]
fn h64(v: f32) -> i64 {
    (f64::from(v) * 100.0).round() as i64
}

/// Writes `v` in decimal: what `write!` writes, without its formatting machinery, which was
/// a tenth of the time spent writing content streams.
fn write_u(out: &mut Vec<u8>, mut v: u64) {
    let mut buf = [0_u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b"0123456789"[usize::try_from(v % 10).unwrap_or_default()];
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

/// Writes `v` in decimal, as [`write_u`].
fn write_i(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    write_u(out, v.unsigned_abs());
}

/// Writes `h` hundredths as the shortest decimal: "12", "12.5", "-0.05" (what lopdf writes
/// for the f32 nearest to it).
fn write_h(out: &mut Vec<u8>, h: i64) {
    let a = h.unsigned_abs();
    if a.is_multiple_of(100) {
        write_i(out, h / 100);
        return;
    }
    if a >= 1_000_000 {
        // Beyond any page: through f32, as lopdf would. Writing to a Vec cannot fail.
        let _ = write!(out, "{}", h as f32 / 100.0);
        return;
    }
    if h < 0 {
        out.push(b'-');
    }
    if a.is_multiple_of(10) {
        write_u(out, a / 100);
        out.push(b'.');
        write_u(out, a % 100 / 10);
    } else {
        write_u(out, a / 100);
        out.push(b'.');
        let cents = a % 100;
        if cents < 10 {
            out.push(b'0');
        }
        write_u(out, cents);
    }
}

/// A PDF literal string of `bytes`, escaped as lopdf escapes it: backslashes, carriage
/// returns and unbalanced parentheses.
fn write_literal(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'(');
    if !bytes
        .iter()
        .any(|b| matches!(b, b'(' | b')' | b'\\' | b'\r'))
    {
        out.extend_from_slice(bytes);
    } else {
        let mut escape = vec![false; bytes.len()];
        let mut open = Vec::new();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'(' => open.push(i),
                b')' => escape[i] = open.pop().is_none(),
                b'\\' | b'\r' => escape[i] = true,
                _ => {}
            }
        }
        for i in open {
            escape[i] = true;
        }
        for (&b, esc) in bytes.iter().zip(escape) {
            if esc {
                out.push(b'\\');
                out.push(if b == b'\r' { b'r' } else { b });
            } else {
                out.push(b);
            }
        }
    }
    out.push(b')');
}

impl<'f> ContentStream<'f> {
    /// An empty stream; with `mark`, it first draws the draft-mark form `/Wm`.
    pub(super) fn new(faces: &'f [Option<FaceCodes>; 4], mark: bool) -> Self {
        let mut s = Self {
            faces,
            out: Vec::with_capacity(16 * 1024),
            width: None,
            stroke: false,
            font: None,
            line: (0, 0),
            show: None,
        };
        if mark {
            s.op(b"/Wm Do");
        }
        s
    }

    /// Starts an operation: operations are separated by line ends.
    fn start(&mut self) {
        if !self.out.is_empty() {
            self.out.push(b'\n');
        }
    }

    fn op(&mut self, text: &[u8]) {
        self.start();
        self.out.extend_from_slice(text);
    }

    /// Numbers (to 1/100 pt) and an operator.
    fn numbers_op(&mut self, values: &[f32], operator: &[u8]) {
        self.start();
        for &v in values {
            write_h(&mut self.out, h32(v));
            self.out.push(b' ');
        }
        self.out.extend_from_slice(operator);
    }

    fn paths(&mut self, paths: &[Path]) {
        for path in paths {
            match path {
                Path::Rect(r) => self.numbers_op(r, b"re"),
                Path::Line([x1, y1, x2, y2]) => {
                    self.numbers_op(&[*x1, *y1], b"m");
                    self.numbers_op(&[*x2, *y2], b"l");
                }
            }
        }
    }

    /// Fills `paths` in grey `level` (0 black, 1 white), as one path.
    pub(super) fn fill(&mut self, level: f32, paths: &[Path]) {
        self.end_strokes();
        self.op(b"q");
        self.numbers_op(&[level], b"g");
        self.paths(paths);
        self.op(b"f");
        self.op(b"Q");
    }

    /// A QR code's dark runs `(row, first column, end column)`, filled black: one `cm` maps
    /// the code's modules to the page (its top-left corner at `(x, y_top)`, `module` points a
    /// side), then each run is a rectangle in whole modules. Runs written as four corners in
    /// page coordinates made the last page's stream 22 KB, whose flate took 2.4 ms, a fifth of
    /// the whole of a one-cadre minutes; in modules it is a fifth of the size.
    pub(super) fn qr(&mut self, x: f32, y_top: f32, module: f32, runs: &[(i32, i32, i32)]) {
        self.end_strokes();
        self.op(b"q");
        self.op(b"0 g");
        // The module to 1/10,000 pt, so that the code's far edge is within 0.005 pt too.
        let m = (f64::from(module) * 10_000.0).round() / 10_000.0;
        self.start();
        // Writing to a Vec cannot fail.
        let _ = write!(self.out, "{m} 0 0 {} ", -m);
        write_h(&mut self.out, h64(x));
        self.out.push(b' ');
        write_h(&mut self.out, h64(y_top));
        self.out.extend_from_slice(b" cm");
        for &(row, a, b) in runs {
            self.start();
            for v in [a, row, b - a] {
                write_i(&mut self.out, i64::from(v));
                self.out.push(b' ');
            }
            self.out.extend_from_slice(b"1 re");
        }
        self.op(b"f");
        self.op(b"Q");
    }

    /// The document's picture `i` ([`image_name`]) stretched over `[left, bottom, width,
    /// height]`: one `cm` maps the image's unit square there.
    pub(super) fn image(&mut self, i: usize, place: [f32; 4]) {
        self.end_strokes();
        self.op(b"q");
        let [x, y, w, h] = place;
        self.numbers_op(&[w, 0.0, 0.0, h, x, y], b"cm");
        self.start();
        self.out.push(b'/');
        self.out.extend_from_slice(&image_name(i));
        self.out.extend_from_slice(b" Do");
        self.op(b"Q");
    }

    /// Strokes `paths` `width` points wide; joined with the previous strokes into one path
    /// when the width (to 1/100 pt) is the same.
    pub(super) fn stroke(&mut self, width: f32, paths: &[Path]) {
        let w = round2(width);
        if self.width != Some(w) {
            self.end_strokes();
            self.width = Some(w);
            self.numbers_op(&[w], b"w");
        }
        self.paths(paths);
        self.stroke = true;
    }

    fn end_strokes(&mut self) {
        if std::mem::take(&mut self.stroke) {
            self.op(b"S");
        }
    }

    /// Starts the page's text object.
    pub(super) fn begin_text(&mut self) {
        self.end_strokes();
        self.op(b"BT");
        self.line = (0, 0);
    }

    /// Ends the page's text object.
    pub(super) fn end_text(&mut self) {
        self.flush();
        self.op(b"ET");
    }

    /// Shows `text` in `style` at `size` with its baseline starting at (`x`, `y`). On the
    /// baseline of the text before it and at most an em from where that one ended (the words
    /// of a justified line), it joins that text's `TJ` with a spacing, rounded against where
    /// the pen really is, so that errors never add up.
    pub(super) fn text(
        &mut self,
        style: Style,
        size: f32,
        (x, y): (f32, f32),
        text: &str,
    ) -> Result<(), DocumentError> {
        let faces = self.faces;
        let face = faces[style.index()]
            .as_ref()
            .ok_or_else(|| pdf_err("a face missing from the census"))?;
        if self.font != Some((style, size)) {
            self.flush();
            self.font = Some((style, size));
            self.start();
            self.out.push(b'/');
            self.out.extend_from_slice(&face.name);
            let _ = write!(self.out, " {size} Tf");
        }
        let (x, y) = (h64(x), h64(y));
        let mut joined = false;
        if let Some(s) = &mut self.show
            && s.y == y
            && size > 0.0
        {
            let size = f64::from(size);
            let gap = (s.pen - x as f64 / 100.0) * 1000.0 / size;
            if gap.abs() <= MAX_GAP {
                let adjust = gap.round();
                s.pen -= adjust * size / 1000.0;
                #[expect(clippy::cast_possible_truncation, reason = "rounded, at most 1000")]
                s.pieces.push(Piece::Space(adjust as i64));
                joined = true;
            }
        }
        if !joined {
            self.flush();
            let (lx, ly) = self.line;
            self.start();
            write_h(&mut self.out, x - lx);
            self.out.push(b' ');
            write_h(&mut self.out, y - ly);
            self.out.extend_from_slice(b" Td");
            self.line = (x, y);
        }
        let mut codes = Vec::with_capacity(2 * text.len());
        let mut widths = Vec::with_capacity(text.len());
        for ch in text.chars() {
            let g = face
                .get(ch)
                .ok_or_else(|| pdf_err(format!("{ch:?} missing from the font census")))?;
            codes.extend_from_slice(&g.code);
            widths.push(g.width);
        }
        let advance = f64::from(widths.into_iter().sum::<f32>()) * f64::from(size) / 1000.0;
        match &mut self.show {
            Some(s) => {
                s.pieces.push(Piece::Codes(codes));
                s.pen += advance;
            }
            None => {
                self.show = Some(Show {
                    pieces: vec![Piece::Codes(codes)],
                    y,
                    pen: self.line.0 as f64 / 100.0 + advance,
                });
            }
        }
        Ok(())
    }

    /// Writes the text gathered since the last position: `Tj`, or `TJ` with spacings.
    fn flush(&mut self) {
        let Some(s) = self.show.take() else { return };
        self.start();
        if let [Piece::Codes(codes)] = &s.pieces[..] {
            write_literal(&mut self.out, codes);
            self.out.extend_from_slice(b" Tj");
            return;
        }
        self.out.push(b'[');
        for piece in &s.pieces {
            match piece {
                Piece::Codes(codes) => write_literal(&mut self.out, codes),
                Piece::Space(n) => {
                    self.out.push(b' ');
                    write_i(&mut self.out, *n);
                }
            }
        }
        self.out.extend_from_slice(b"] TJ");
    }

    /// The stream's bytes.
    pub(super) fn finish(mut self) -> Vec<u8> {
        self.flush();
        self.end_strokes();
        self.out
    }
}

/// The flate level of every stream, the object streams and the cross-reference stream
/// included: zlib's default. The best level (9) searched far longer for 1% less: 200 cadres
/// 55,211 bytes against 55,860 at 6, and 1.6 ms more CPU of 19 (docs/speed-and-size.md).
pub(super) const FLATE_LEVEL: u32 = 6;

/// Flate-compresses every stream at [`FLATE_LEVEL`]. One compressor, reset between streams:
/// setting one up clears half a megabyte, which cost more than compressing the small streams.
fn compress_all(doc: &mut Document) -> Result<(), DocumentError> {
    let mut z = flate2::Compress::new(flate2::Compression::new(FLATE_LEVEL), true);
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
        {
            z.reset();
            let packed = deflate(&mut z, &stream.content)?;
            if packed.len() + 19 < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(packed);
            }
        }
    }
    Ok(())
}

/// `data` compressed whole by `z` (freshly reset), as a zlib stream.
fn deflate(z: &mut flate2::Compress, data: &[u8]) -> Result<Vec<u8>, DocumentError> {
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    loop {
        let read = usize::try_from(z.total_in()).map_err(pdf_err)?;
        let status = z
            .compress_vec(&data[read..], &mut out, flate2::FlushCompress::Finish)
            .map_err(pdf_err)?;
        if status == flate2::Status::StreamEnd {
            return Ok(out);
        }
        out.reserve(out.capacity().max(64));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A justified line's words, each at its own position, become one TJ whose spacings put
    /// every word back where it was.
    #[test]
    fn words_on_a_line_become_one_tj() {
        let glyph = |code: u8, width| Glyph {
            code: [0, code],
            width,
        };
        let mut codes = FaceCodes::named(b"F1");
        codes.insert('a', glyph(2, 500.0));
        codes.insert(' ', glyph(1, 250.0));
        let faces = [Some(codes), None, None, None];
        let mut s = ContentStream::new(&faces, false);
        s.begin_text();
        s.text(Style::Regular, 10.0, (100.0, 700.0), "a ").unwrap();
        s.text(Style::Regular, 10.0, (110.0, 700.0), "a ").unwrap();
        s.end_text();
        // First word 7.5 pt wide: 2.5 pt more to reach 110, i.e. -250/1000 em at 10 pt.
        assert_eq!(
            s.finish(),
            b"BT\n/F1 10 Tf\n100 700 Td\n[(\x00\x02\x00\x01) -250(\x00\x02\x00\x01)] TJ\nET"
        );
    }

    /// Fills of one grey are one path; strokes of one width are one path; numbers are written
    /// to 1/100 pt, as short as they go.
    #[test]
    fn paths_are_joined() {
        let faces = Default::default();
        let mut s = ContentStream::new(&faces, true);
        let r = Path::Rect([1.0, 2.5, 3.333, -0.05]);
        s.fill(0.92, &[r, r]);
        s.stroke(0.5, &[Path::Line([0.0, 0.0, 1.0, 1.0])]);
        s.stroke(0.5, &[r]);
        s.stroke(1.0, &[r]);
        assert_eq!(
            String::from_utf8(s.finish()).unwrap(),
            "/Wm Do\nq\n0.92 g\n1 2.5 3.33 -0.05 re\n1 2.5 3.33 -0.05 re\nf\nQ\n0.5 w\n0 0 m\n1 1 l\n\
             1 2.5 3.33 -0.05 re\nS\n1 w\n1 2.5 3.33 -0.05 re\nS"
        );
    }

    /// The hand-written decimals are what `write!` wrote before them, byte for byte.
    #[test]
    fn decimals_as_format_wrote_them() {
        let old = |h: i64| {
            let (sign, a) = (if h < 0 { "-" } else { "" }, h.unsigned_abs());
            if a % 100 == 0 {
                format!("{}", h / 100)
            } else if a >= 1_000_000 {
                format!("{}", h as f32 / 100.0)
            } else if a % 10 == 0 {
                format!("{sign}{}.{}", a / 100, a % 100 / 10)
            } else {
                format!("{sign}{}.{:02}", a / 100, a % 100)
            }
        };
        let values = (-120_000..120_000).chain([
            i64::MIN + 1,
            -1_000_001,
            -999_999,
            999_999,
            1_000_000,
            1_234_567,
            i64::MAX,
        ]);
        for h in values {
            let mut out = Vec::new();
            write_h(&mut out, h);
            assert_eq!(String::from_utf8(out).unwrap(), old(h), "{h}");
            let mut out = Vec::new();
            write_i(&mut out, h);
            assert_eq!(String::from_utf8(out).unwrap(), h.to_string());
        }
    }

    /// Literal strings escape what lopdf escapes: backslash, CR and unbalanced parentheses.
    #[test]
    fn literal_escapes() {
        let mut out = Vec::new();
        write_literal(&mut out, b"a(b)c)d(\\\r");
        assert_eq!(out, b"(a(b)c\\)d\\(\\\\\\r)");
    }
}
