//! Laid-out pages to PDF bytes: printpdf writes the document's skeleton, `fontfile.rs` embeds
//! the faces used, each subset once, and `compact.rs` writes the pages' content and makes the
//! file small; metadata dates and
//! the trailer /ID come from the session, so the same archive always gives the same bytes.
#![expect(
    clippy::float_arithmetic,
    reason = "drawing in points, not vote arithmetic"
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};

use super::DocumentError;
use super::compact::{ContentStream, Path, h32};
use super::layout::{Fonts, Item, MARK_BOX_LINE, Page, Picture, Printout, QrRuns, Style};
use crate::model::Date;

/// The document information dictionary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfMeta {
    /// Title.
    pub title: String,
    /// Author: the issuing body.
    pub author: String,
    /// Subject.
    pub subject: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// The date written as creation and modification date (midnight UTC): the session's date,
    /// never the clock.
    pub date: Option<Date>,
    /// The trailer /ID, e.g. derived from the fingerprint.
    pub id: String,
    /// How it asks to be printed.
    pub printing: Printing,
    /// The language of its text (the catalog's `/Lang`: screen readers and search use it).
    pub lang: crate::text::Lang,
    /// Made to be kept for decades: PDF/A-2b ([`super::archival`]). The minutes are.
    pub archival: bool,
}

/// How a document asks to be printed: the catalog's `/ViewerPreferences`, which the print
/// dialogs of Acrobat, Foxit, Edge and Chrome take as their starting choice (issue 24 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Printing {
    /// As the printer is set (the user guide).
    #[default]
    AsSet,
    /// One side of each sheet (`/Duplex /Simplex`), at full size (`/PrintScaling /None`).
    /// Ballots: a ballot must never land on the back of another (a voter would be handed
    /// two, or a sheet with marks on its back), and a scanner reads the boxes where they were
    /// laid out, not shrunk by "fit to page". Minutes: each sheet is initialled and the
    /// signed last page must not carry the log annex on its back.
    OneSidedFullSize,
}

/// A page's drawing grouped so that the content stream says each thing once: fills by grey
/// level, then strokes by width, then all the text in one text object. Nothing drawn overlaps
/// in a way the order would show: fills are cell backgrounds, strokes their borders, text on
/// top.
#[derive(Default)]
struct PageOps<'p> {
    fills: Vec<(f32, Vec<Path>)>,
    strokes: Vec<(f32, Vec<Path>)>,
    /// Stroked rectangles (table cells: left, bottom, width, height), drawn as the lines of
    /// their edges ([`frame_lines`]).
    frames: Vec<[f32; 4]>,
    text: Vec<&'p Item>,
    /// The QR codes (two on a sheet of two half-page ballots): left, top, module, dark runs.
    qr: Vec<(f32, f32, f32, &'p QrRuns)>,
    /// Pictures: the index of each among the document's, and its box (left, bottom, width,
    /// height).
    images: Vec<(usize, [f32; 4])>,
}

/// The width of a stroked rectangle's edges.
const FRAME_WIDTH: f32 = 0.5;

/// The edges of stroked rectangles as the fewest lines: the edges on one horizontal or vertical
/// line that touch or overlap become one line, each end taken half the line's width further
/// (so that corners are square, as a stroked rectangle's are). A table's cells shared every
/// inner edge and wrote four numbers and an operator each: a row of ten cells was 250 bytes of
/// each page's stream to write and compress, a third of a 200-cadre table page; as lines, the
/// grid is a few bytes a row.
fn frame_lines(frames: &[[f32; 4]], width: f32) -> Vec<Path> {
    // Coordinate across → spans along, in hundredths.
    let mut across: [BTreeMap<i64, Vec<(i64, i64)>>; 2] = Default::default();
    for &[x, y, w, h] in frames {
        let (x0, x1) = (h32(x.min(x + w)), h32(x.max(x + w)));
        let (y0, y1) = (h32(y.min(y + h)), h32(y.max(y + h)));
        for y in [y0, y1] {
            across[0].entry(y).or_default().push((x0, x1));
        }
        for x in [x0, x1] {
            across[1].entry(x).or_default().push((y0, y1));
        }
    }
    let half = h32(width / 2.0);
    #[expect(
        clippy::cast_precision_loss,
        reason = "hundredths of a point on a page"
    )]
    let pt = |v: i64| v as f32 / 100.0;
    let mut lines = Vec::new();
    for (vertical, lines_at) in across.iter_mut().enumerate() {
        for (&at, spans) in lines_at.iter_mut() {
            spans.sort_unstable();
            let mut merged: Vec<(i64, i64)> = Vec::new();
            for &(a, b) in spans.iter() {
                match merged.last_mut() {
                    Some((_, end)) if a <= *end => *end = (*end).max(b),
                    _ => merged.push((a, b)),
                }
            }
            for (a, b) in merged {
                let (a, b) = (pt(a - half), pt(b + half));
                let at = pt(at);
                lines.push(Path::Line(if vertical == 1 {
                    [at, a, at, b]
                } else {
                    [a, at, b, at]
                }));
            }
        }
    }
    lines
}

fn group(groups: &mut Vec<(f32, Vec<Path>)>, key: f32) -> &mut Vec<Path> {
    let i = groups
        .iter()
        .position(|(k, _)| *k == key)
        .unwrap_or_else(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
    &mut groups[i].1
}

impl<'p> PageOps<'p> {
    fn add(&mut self, item: &'p Item, pictures: &[&Picture]) {
        match item {
            Item::Text { .. } => self.text.push(item),
            Item::Line {
                x1,
                y1,
                x2,
                y2,
                width,
            } => group(&mut self.strokes, *width).push(Path::Line([*x1, *y1, *x2, *y2])),
            Item::Rect {
                x,
                y,
                w,
                h,
                fill,
                stroke,
            } => {
                let rect = Path::Rect([*x, *y, *w, *h]);
                if let Some(level) = fill {
                    group(&mut self.fills, *level).push(rect);
                }
                if *stroke {
                    self.frames.push([*x, *y, *w, *h]);
                }
            }
            Item::MarkBox { x, y, side } => {
                group(&mut self.strokes, MARK_BOX_LINE).push(Path::Rect([*x, *y, *side, *side]));
            }
            Item::Qr {
                x,
                y_top,
                module,
                runs,
            } => self.qr.push((*x, *y_top, *module, runs)),
            Item::Image {
                x,
                y,
                w,
                h,
                picture,
            } => {
                if let Some(i) = pictures.iter().position(|p| **p == **picture) {
                    self.images.push((i, [*x, *y, *w, *h]));
                }
            }
            // Drawn once for all pages, as a form (see `watermark_form`).
            // Drawn as nothing: a form field, added once the pages are written (`fields`).
            Item::Watermark { .. } | Item::SignatureField { .. } => {}
        }
    }

    fn write(&self, fonts: &Fonts, out: &mut ContentStream<'_>) -> Result<(), DocumentError> {
        for (level, fills) in &self.fills {
            out.fill(*level, fills);
        }
        for &(i, place) in &self.images {
            out.image(i, place);
        }
        for &(x, y_top, module, runs) in &self.qr {
            out.qr(x, y_top, module, runs);
        }
        for (width, strokes) in &self.strokes {
            out.stroke(*width, strokes);
        }
        if !self.frames.is_empty() {
            out.stroke(FRAME_WIDTH, &frame_lines(&self.frames, FRAME_WIDTH));
        }
        if !self.text.is_empty() {
            out.begin_text();
            for item in &self.text {
                let Item::Text { y, size, style, .. } = item else {
                    continue;
                };
                // A justified line is drawn word by word, each at its own absolute position;
                // the content stream gathers them back into one TJ.
                for (x, run) in item.runs(fonts) {
                    out.text(*style, *size, (x, *y), run)?;
                }
            }
            out.end_text();
        }
        Ok(())
    }
}

/// What each used face draws: every character, in the order of its last use, so that the
/// fonts are subset with exactly these glyphs and each glyph is named (`/ToUnicode`) by the
/// last character that uses it, as printpdf named them.
fn census(pages: &[Page], fonts: &Fonts) -> Result<Vec<(Style, String)>, DocumentError> {
    let mut last: [BTreeMap<char, usize>; 4] = Default::default();
    let mut dense: [Vec<usize>; 4] = Default::default();
    let mut n = 0;
    for item in pages.iter().flat_map(|p| &p.items) {
        let Item::Text { style, text, .. } = item else {
            continue;
        };
        if let Some(ch) = fonts.missing_glyph(*style, text) {
            return Err(DocumentError::MissingGlyph {
                ch,
                text: text.clone(),
            });
        }
        let i = style.index();
        if dense[i].is_empty() {
            dense[i] = vec![0; CENSUS_DENSE];
        }
        for ch in text.chars() {
            n += 1;
            match dense[i].get_mut(ch as usize) {
                Some(slot) => *slot = n,
                None => {
                    last[i].insert(ch, n);
                }
            }
        }
    }
    Ok(Style::ALL
        .into_iter()
        .filter(|s| !dense[s.index()].is_empty())
        .map(|style| {
            let i = style.index();
            let mut chars: Vec<(usize, char)> = last[i].iter().map(|(&c, &n)| (n, c)).collect();
            chars.extend(
                dense[i]
                    .iter()
                    .enumerate()
                    .filter(|&(_, &n)| n > 0)
                    .filter_map(|(c, &n)| Some((n, char::from_u32(u32::try_from(c).ok()?)?))),
            );
            chars.sort_unstable();
            (style, chars.into_iter().map(|(_, c)| c).collect())
        })
        .collect())
}

/// Characters below this are counted by index in [`census`].
const CENSUS_DENSE: usize = 0x2200;

/// Collects a glyph outline as PDF path operators, in font units offset by the pen.
struct PathPen<'a> {
    out: &'a mut String,
    dx: f32,
    last: (f32, f32),
}

/// A coordinate to 1/10 font unit (1/20000 em): finer than any printer. Written from whole
/// tenths, as `format!("{:.1}")` of the rounded value writes it without its float machinery
/// (a twentieth of a one-cadre minutes went to formatting the draft mark's outlines).
fn coord(out: &mut String, v: f32) {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "rounded, within a glyph's box"
    )]
    let tenths = (v * 10.0).round() as i64;
    if tenths < 0 {
        out.push('-');
    }
    let a = tenths.unsigned_abs();
    // Writing to a String cannot fail.
    let _ = write!(out, "{}", a / 10);
    if !a.is_multiple_of(10) {
        out.push('.');
        out.push(char::from(b'0' + u8::try_from(a % 10).unwrap_or(0)));
    }
}

impl PathPen<'_> {
    /// The points `xy`, then the operator.
    fn op(&mut self, xy: &[f32], operator: &str) {
        for &v in xy {
            coord(self.out, v);
            self.out.push(' ');
        }
        self.out.push_str(operator);
        self.out.push('\n');
    }
}

impl skrifa::outline::OutlinePen for PathPen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        let x = x + self.dx;
        self.op(&[x, y], "m");
        self.last = (x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let x = x + self.dx;
        self.op(&[x, y], "l");
        self.last = (x, y);
    }
    fn quad_to(&mut self, cx: f32, cy: f32, x: f32, y: f32) {
        // The one quadratic Bézier as the cubic PDF draws: control points 2/3 of the way.
        let (cx, x) = (cx + self.dx, x + self.dx);
        let (x0, y0) = self.last;
        let c1 = (x0 + 2.0 / 3.0 * (cx - x0), y0 + 2.0 / 3.0 * (cy - y0));
        let c2 = (x + 2.0 / 3.0 * (cx - x), y + 2.0 / 3.0 * (cy - y));
        self.op(&[c1.0, c1.1, c2.0, c2.1, x, y], "c");
        self.last = (x, y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let x = x + self.dx;
        self.op(&[cx0 + self.dx, cy0, cx1 + self.dx, cy1, x, y], "c");
        self.last = (x, y);
    }
    fn close(&mut self) {
        self.out.push_str("h\n");
    }
}

/// The draft mark as the content of a full-page form: large grey letters at 45°, centred on
/// the page, drawn as glyph outlines, not text, so that text tools do not read stray letters
/// between the title and the body (issue 12; poppler ignores `/Artifact` marks). The footer
/// still says it in words.
fn watermark_form(text: &str, fonts: &Fonts) -> Result<Vec<u8>, DocumentError> {
    let size = 90.0;
    let w = fonts.width(Style::Bold, size, text);
    let (sin, cos) = 45f32.to_radians().sin_cos();
    let (cx, cy) = (
        super::layout::A4_WIDTH / 2.0,
        super::layout::A4_HEIGHT / 2.0,
    );
    let x = cx - cos * w / 2.0 + sin * size * 0.35;
    let y = cy - sin * w / 2.0 - cos * size * 0.35;
    let mut glyphs = String::new();
    let upem = outline_text(text, Style::Bold, &mut glyphs)?;
    let s = size / upem;
    let mut out = format!(
        "q\n0.82 g\n{:.5} {:.5} {:.5} {:.5} {:.2} {:.2} cm\n",
        s * cos,
        s * sin,
        -s * sin,
        s * cos,
        x,
        y
    );
    out.push_str(&glyphs);
    out.push_str("f\nQ\n");
    Ok(out.into_bytes())
}

/// `text` in `style` as glyph outlines: PDF path operators in font units, the pen advancing
/// along x from 0; the caller scales them (`cm`) and fills them. Returns the font's units per
/// em. Outlines need no font in the file: the draft mark and a signature's look use them.
pub(super) fn outline_text(
    text: &str,
    style: Style,
    out: &mut String,
) -> Result<f32, DocumentError> {
    use skrifa::MetadataProvider as _;
    use skrifa::raw::TableProvider as _;
    let bad = |e: skrifa::raw::ReadError| DocumentError::Font(e.to_string());
    let font = skrifa::FontRef::new(super::layout::FONT_FILES[style.index()].0).map_err(bad)?;
    let upem = f32::from(font.head().map_err(bad)?.units_per_em());
    let charmap = font.charmap();
    let outlines = font.outline_glyphs();
    let metrics = font.glyph_metrics(
        skrifa::instance::Size::unscaled(),
        skrifa::instance::LocationRef::default(),
    );
    let mut pen_x = 0.0;
    for ch in crate::text::nfc(text).chars() {
        let gid = charmap.map(ch).unwrap_or_default();
        if let Some(glyph) = outlines.get(gid) {
            let settings = skrifa::outline::DrawSettings::unhinted(
                skrifa::instance::Size::unscaled(),
                skrifa::instance::LocationRef::default(),
            );
            let mut pen = PathPen {
                out,
                dx: pen_x,
                last: (0.0, 0.0),
            };
            glyph
                .draw(settings, &mut pen)
                .map_err(|e| DocumentError::Font(e.to_string()))?;
        }
        pen_x += metrics.advance_width(gid).unwrap_or(0.0);
    }
    Ok(upem)
}

/// Writes `pages` as an A4 PDF. Fails if a text has a character the font cannot print (it
/// would come out as an empty box on paper).
///
/// # Errors
///
/// [`DocumentError::MissingGlyph`] for a text with a character the fonts cannot print,
/// [`DocumentError::Pdf`] when printpdf fails to subset or write.
pub fn to_pdf(pages: &[Page], fonts: &Fonts, meta: &PdfMeta) -> Result<Vec<u8>, DocumentError> {
    let order: Vec<usize> = (0..pages.len()).collect();
    write_pdf(pages, &order, fonts, meta)
}

/// Writes `printout` as an A4 PDF, like [`to_pdf`]: one page object per printed page, all
/// the printings of a page sharing its one content stream.
///
/// # Errors
///
/// As [`to_pdf`].
pub fn printout_pdf(
    printout: &Printout,
    fonts: &Fonts,
    meta: &PdfMeta,
) -> Result<Vec<u8>, DocumentError> {
    write_pdf(&printout.pages, &printout.order, fonts, meta)
}

/// The document information of `meta`, dated by the session, never the clock.
fn set_info(doc: &mut PdfDocument, meta: &PdfMeta) -> Result<(), DocumentError> {
    // A date before 1970 (which no vote has) is written as the epoch.
    let secs = meta
        .date
        .and_then(Date::midnight_utc)
        .map_or(0, |t| i64::try_from(t.0).unwrap_or(0));
    let when = printpdf::OffsetDateTime::from_unix_timestamp(secs)
        .map_err(|e| DocumentError::Pdf(e.to_owned()))?;
    let info = &mut doc.metadata.info;
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;
    info.document_title.clone_from(&meta.title);
    info.author.clone_from(&meta.author);
    info.subject.clone_from(&meta.subject);
    info.keywords.clone_from(&meta.keywords);
    info.creator = format!("tinnhiem {}", env!("CARGO_PKG_VERSION"));
    info.producer = format!("tinnhiem {} (printpdf 0.12.8)", env!("CARGO_PKG_VERSION"));
    Ok(())
}

/// The PDF of distinct `pages` printed in `order` (indices into `pages`).
fn write_pdf(
    pages: &[Page],
    order: &[usize],
    fonts: &Fonts,
    meta: &PdfMeta,
) -> Result<Vec<u8>, DocumentError> {
    if order.iter().any(|&i| i >= pages.len()) {
        return Err(DocumentError::Pdf(
            "a page printed that is not laid out".into(),
        ));
    }
    let census = census(pages, fonts)?;
    let watermark = pages
        .iter()
        .flat_map(|p| &p.items)
        .find_map(|item| match item {
            Item::Watermark { text } => Some(text),
            _ => None,
        })
        .map(|text| watermark_form(text, fonts))
        .transpose()?;
    let pictures = distinct_pictures(pages);
    let mut doc = PdfDocument::new(&meta.title);
    // printpdf writes the skeleton (catalog, empty pages, information, metadata); the fonts
    // are embedded by `fontfile` and the pages' content written by `compact`.
    let pdf_pages = pages
        .iter()
        .map(|_| PdfPage::new(Mm(210.0), Mm(297.0), Vec::new()))
        .collect();
    doc.with_pages(pdf_pages);
    set_info(&mut doc, meta)?;
    let opts = PdfSaveOptions::default();
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    if let Some(w) = warnings
        .iter()
        .find(|w| matches!(w.severity, printpdf::PdfParseErrorSeverity::Error))
    {
        return Err(DocumentError::Pdf(w.msg.clone()));
    }
    let id = lopdf::Object::String(meta.id.as_bytes().to_vec(), lopdf::StringFormat::Literal);
    lo.trailer
        .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    // printpdf always labels the file PDF/X (an empty /GTS_PDFXVersion); it is not.
    if let Ok(info_ref) = lo
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
        && let Ok(info) = lo.get_dictionary_mut(info_ref)
    {
        info.remove(b"GTS_PDFXVersion");
        info.remove(b"Trapped");
    }
    lo.version = "1.7".into();
    let mut font_resources = lopdf::Dictionary::new();
    let mut codes: [Option<super::compact::FaceCodes>; 4] = Default::default();
    for (style, chars) in &census {
        let face = fonts.face(*style);
        let (font, face_codes) =
            super::fontfile::embed(&mut lo, *style, chars, |ch| face.glyph_id(ch))?;
        font_resources.set(face.id.0.as_bytes(), lopdf::Object::Reference(font));
        codes[style.index()] = Some(face_codes);
    }
    let contents = pages
        .iter()
        .map(|page| {
            let mut ops = PageOps::default();
            for item in &page.items {
                ops.add(item, &pictures);
            }
            let mut out = ContentStream::new(&codes, watermark.is_some());
            ops.write(fonts, &mut out)?;
            Ok(out.finish())
        })
        .collect::<Result<Vec<_>, DocumentError>>()?;
    super::compact::compact(
        &mut lo,
        font_resources,
        watermark,
        &pictures,
        contents,
        order,
    )?;
    signature_fields(&mut lo, order.iter().filter_map(|&i| pages.get(i)));
    catalog_entries(&mut lo, meta)?;
    let mut out = Vec::new();
    let options = lopdf::SaveOptions::builder()
        .use_object_streams(true)
        .use_xref_streams(true)
        .compression_level(super::compact::FLATE_LEVEL)
        .build();
    lo.save_with_options(&mut out, options)
        .map_err(|e| DocumentError::Pdf(e.to_string()))?;
    Ok(out)
}

/// What the catalog says of the whole file: how to print it, its language, and PDF/A when it
/// is to be kept ([`PdfMeta`]).
fn catalog_entries(lo: &mut lopdf::Document, meta: &PdfMeta) -> Result<(), DocumentError> {
    if meta.printing == Printing::OneSidedFullSize
        && let Ok(root) = lo
            .trailer
            .get(b"Root")
            .and_then(lopdf::Object::as_reference)
        && let Ok(catalog) = lo.get_dictionary_mut(root)
    {
        let mut prefs = lopdf::Dictionary::new();
        prefs.set("Duplex", lopdf::Object::Name(b"Simplex".to_vec()));
        prefs.set("PrintScaling", lopdf::Object::Name(b"None".to_vec()));
        catalog.set("ViewerPreferences", lopdf::Object::Dictionary(prefs));
    }
    if let Ok(root) = lo
        .trailer
        .get(b"Root")
        .and_then(lopdf::Object::as_reference)
        && let Ok(catalog) = lo.get_dictionary_mut(root)
    {
        let tag = super::archival::language_tag(meta.lang);
        catalog.set(
            "Lang",
            lopdf::Object::String(tag.as_bytes().to_vec(), lopdf::StringFormat::Literal),
        );
    }
    if meta.archival {
        super::archival::make_pdfa(lo)?;
    }
    Ok(())
}

/// The pictures the pages show, each once (by content, in the order of first showing): a
/// picture shown on two pages, or on every printing of a page, is embedded once.
fn distinct_pictures(pages: &[Page]) -> Vec<&Picture> {
    let mut out: Vec<&Picture> = Vec::new();
    for item in pages.iter().flat_map(|p| &p.items) {
        if let Item::Image { picture, .. } = item
            && !out.iter().any(|p| *p == &**picture)
        {
            out.push(picture);
        }
    }
    out
}

/// The signers' empty signature fields, as widget annotations on their pages and fields of
/// the catalog's `/AcroForm`, in layout order (the head of the counting committee's first):
/// a reader shows a box to sign in, and `tinnhiem sign` fills them in turn.
fn signature_fields<'p>(lo: &mut lopdf::Document, pages: impl Iterator<Item = &'p Page>) {
    use lopdf::{Dictionary, Object};
    let ids: Vec<lopdf::ObjectId> = lo.get_pages().values().copied().collect();
    let mut fields = Vec::new();
    for (page, &page_id) in pages.zip(&ids) {
        let mut annots = Vec::new();
        for item in &page.items {
            let Item::SignatureField {
                name,
                person,
                x,
                y,
                w,
                h,
            } = item
            else {
                continue;
            };
            let mut d = Dictionary::new();
            d.set("Type", Object::Name(b"Annot".to_vec()));
            d.set("Subtype", Object::Name(b"Widget".to_vec()));
            d.set("FT", Object::Name(b"Sig".to_vec()));
            let t = crate::encode::pdf_text(&crate::text::nfc(name));
            d.set("T", Object::String(t, lopdf::StringFormat::Hexadecimal));
            if !person.is_empty() {
                let tu = crate::encode::pdf_text(&crate::text::nfc(person));
                d.set("TU", Object::String(tu, lopdf::StringFormat::Hexadecimal));
            }
            d.set(
                "Rect",
                Object::Array(
                    [*x, *y, x + w, y + h]
                        .iter()
                        .map(|v| Object::Real((v * 100.0).round() / 100.0))
                        .collect(),
                ),
            );
            // Printed (4): the signature's look goes on paper too.
            d.set("F", Object::Integer(4));
            d.set("P", Object::Reference(page_id));
            let id = lo.add_object(Object::Dictionary(d));
            annots.push(Object::Reference(id));
            fields.push(Object::Reference(id));
        }
        if !annots.is_empty()
            && let Ok(p) = lo.get_dictionary_mut(page_id)
        {
            p.set("Annots", Object::Array(annots));
        }
    }
    if fields.is_empty() {
        return;
    }
    let Ok(root) = lo.trailer.get(b"Root").and_then(Object::as_reference) else {
        return;
    };
    if let Ok(catalog) = lo.get_dictionary_mut(root) {
        let mut form = Dictionary::new();
        form.set("Fields", Object::Array(fields));
        catalog.set("AcroForm", Object::Dictionary(form));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Two cells side by side and one under them share edges: the grid is three horizontal
    /// lines and three vertical ones (the lower cell's sides join the upper ones'), each end half
    /// a line width further; a cell given with a negative height is the same cell.
    #[test]
    fn cell_edges_become_the_grid_lines() {
        let frames = [
            [10.0, 20.0, 30.0, 10.0],
            [40.0, 20.0, 20.0, 10.0],
            [10.0, 20.0, 50.0, -10.0],
        ];
        let lines: Vec<[f32; 4]> = frame_lines(&frames, 0.5)
            .into_iter()
            .map(|p| match p {
                Path::Line(l) => l,
                Path::Rect(_) => panic!("a rectangle"),
            })
            .collect();
        assert_eq!(
            lines,
            vec![
                [9.75, 10.0, 60.25, 10.0],
                [9.75, 20.0, 60.25, 20.0],
                [9.75, 30.0, 60.25, 30.0],
                [10.0, 9.75, 10.0, 30.25],
                [40.0, 19.75, 40.0, 30.25],
                [60.0, 9.75, 60.0, 30.25],
            ]
        );
    }
}
