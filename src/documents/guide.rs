//! The user guide (docs/huong-dan-su-dung.md, built into the program) as a PDF, typeset by the
//! documents' own layout: the same fonts, wrapping, tables and pages as the minutes.
//!
//! The markdown is the small part the guide uses, read line by line: headings (`#`, `##`,
//! `###`), paragraphs, bullet (`- `) and numbered (`1. `) lists with indented continuation
//! lines, pipe tables, fenced code and images. The layout's paragraphs have one face each, so
//! a `**bold**` span (in the guide: the app's own words) is printed between quotation marks
//! “ ”, and `*italic*` and `` `code` `` spans as plain text; headings and table headers are
//! bold. An image is the screenshot itself, built into the program ([`PICTURES`]), as wide as
//! the text (never more than a screen's pixel a pixel) with "Hình N. caption" under it, the
//! two on one page (docs/documents.md). The same program always writes the same bytes.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use std::sync::Arc;

use sha2::Digest as _;

use super::DocumentError;
use super::layout::{Cell, Decorations, Fit, Fonts, Layout, Page, Para, Picture, Style, Table, mm};
use super::render::{PdfMeta, Printing, to_pdf};

/// The guide's markdown, as built into the program.
pub const GUIDE_MD: &str = include_str!("../../docs/huong-dan-su-dung.md");

/// The screenshots of `assets/screenshots/` named, each as the guide's markdown links it and
/// with its bytes.
macro_rules! screenshots {
    ($($file:literal),* $(,)?) => {
        &[$((
            concat!("../assets/screenshots/", $file),
            include_bytes!(concat!("../../assets/screenshots/", $file)).as_slice(),
        )),*]
    };
}

/// The pictures the guide shows, built into the program (both executables make the guide):
/// the path as the markdown links it, and the PNG file. A test holds the list to the
/// markdown's images both ways: none missing, none carried for nothing.
pub const PICTURES: &[(&str, &[u8])] = screenshots![
    "start.png",
    "help-menu.png",
    "entry.png",
    "ballot.png",
    "ballot-1024x600.png",
    "differences-1024x600.png",
    "scan-1024x600.png",
    "results.png",
    "chart.png",
    "present.png",
    "locked-dark-1024x600.png",
    "sign-token.png",
    "signed-minutes.png",
    "summary-1024x600.png",
    "recovery.png",
];

/// A screenshot's pixels per inch at most on paper: a screen's (Windows' 96 dpi), so that a
/// picture narrower than the text is never printed larger than it looked on the screen.
const SCREEN_DPI: f32 = 96.0;

/// The file name the guide is shipped and written under.
pub const GUIDE_FILE: &str = "Huong-dan-su-dung.pdf";

/// Body text size.
const BODY: f32 = 11.5;
/// Table text size.
const TABLE: f32 = 9.5;

/// One block of the guide.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Block {
    /// A heading of level 1 to 3 (or more).
    Heading(usize, String),
    /// A paragraph, its lines joined.
    Para(String),
    /// A list item: its marker ("•", "1.") and text.
    Item(String, String),
    /// A pipe table: rows of cells, the first the header.
    Table(Vec<Vec<String>>),
    /// A line of fenced code.
    Code(String),
    /// An image: its caption and the path the markdown links.
    Image(String, String),
}

/// The inline marks as the layout can show them: a bold span (the guide's words of the app)
/// between quotation marks “ ”, italic and code marks dropped; a link keeps its text.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        match after.find("](").and_then(|close| {
            after[close + 2..]
                .find(')')
                .map(|end| (close, close + 2 + end + 1))
        }) {
            Some((close, end)) => {
                out.push_str(&rest[..open]);
                out.push_str(&after[..close]);
                rest = &after[end..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    let mut quoted = String::with_capacity(out.len());
    for (i, piece) in out.split("**").enumerate() {
        if i > 0 {
            quoted.push(if i % 2 == 1 { '“' } else { '”' });
        }
        quoted.push_str(piece);
    }
    quoted.chars().filter(|c| !matches!(c, '*' | '`')).collect()
}

/// A list item's marker and text, if `line` starts one ("- x", "12. x").
fn list_item(line: &str) -> Option<(String, &str)> {
    if let Some(text) = line.strip_prefix("- ") {
        return Some(("•".to_owned(), text));
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        return Some((line[..=digits].to_owned(), &line[digits + 2..]));
    }
    None
}

/// The cells of a table row "| a | b |".
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    inner.split('|').map(|c| plain(c.trim())).collect()
}

/// The guide's blocks, in order.
fn blocks(md: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut item: Option<(String, Vec<&str>)> = None;
    let mut table: Vec<Vec<String>> = Vec::new();
    let mut fenced = false;
    let end_para = |para: &mut Vec<&str>, out: &mut Vec<Block>| {
        if !para.is_empty() {
            out.push(Block::Para(plain(&para.join(" "))));
            para.clear();
        }
    };
    let end_item = |item: &mut Option<(String, Vec<&str>)>, out: &mut Vec<Block>| {
        if let Some((marker, lines)) = item.take() {
            out.push(Block::Item(marker, plain(&lines.join(" "))));
        }
    };
    let end_table = |table: &mut Vec<Vec<String>>, out: &mut Vec<Block>| {
        if !table.is_empty() {
            out.push(Block::Table(std::mem::take(table)));
        }
    };
    for line in md.lines() {
        if fenced {
            if line.trim_start().starts_with("```") {
                fenced = false;
            } else {
                out.push(Block::Code(line.to_owned()));
            }
            continue;
        }
        let trimmed = line.trim();
        let is_row = trimmed.starts_with('|');
        if !is_row {
            end_table(&mut table, &mut out);
        }
        if trimmed.is_empty() {
            end_para(&mut para, &mut out);
            end_item(&mut item, &mut out);
            continue;
        }
        if trimmed.starts_with("```") {
            end_para(&mut para, &mut out);
            end_item(&mut item, &mut out);
            fenced = true;
            continue;
        }
        if is_row {
            end_para(&mut para, &mut out);
            end_item(&mut item, &mut out);
            // The line under the header ("|---|---|") only marks it.
            if !trimmed.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                table.push(cells(trimmed));
            }
            continue;
        }
        let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
        if hashes > 0 && trimmed[hashes..].starts_with(' ') {
            end_para(&mut para, &mut out);
            end_item(&mut item, &mut out);
            out.push(Block::Heading(hashes, plain(trimmed[hashes..].trim())));
            continue;
        }
        if let Some(alt) = trimmed.strip_prefix("![") {
            end_para(&mut para, &mut out);
            end_item(&mut item, &mut out);
            let (caption, path) = alt.split_once("](").unwrap_or((alt, ""));
            let path = path.strip_suffix(')').unwrap_or(path);
            out.push(Block::Image(plain(caption), path.to_owned()));
            continue;
        }
        if line.starts_with(' ') {
            // A continuation of the list item or paragraph above.
            match &mut item {
                Some((_, lines)) => lines.push(trimmed),
                None => para.push(trimmed),
            }
            continue;
        }
        if let Some((marker, text)) = list_item(trimmed) {
            end_para(&mut para, &mut out);
            end_item(&mut item, &mut out);
            item = Some((marker, vec![text]));
            continue;
        }
        match &mut item {
            Some((_, lines)) => lines.push(trimmed),
            None => para.push(trimmed),
        }
    }
    end_para(&mut para, &mut out);
    end_item(&mut item, &mut out);
    end_table(&mut table, &mut out);
    out
}

/// The headings of the guide, in order, as the PDF prints them (for tests).
#[must_use]
pub fn headings() -> Vec<String> {
    blocks(GUIDE_MD)
        .into_iter()
        .filter_map(|b| match b {
            Block::Heading(_, text) => Some(text),
            _ => None,
        })
        .collect()
}

/// A table of the guide, its columns fitted to the page: a column whose cells are all short
/// (a code, a key, a kind) as wide as they are, the others sharing the rest.
fn table(l: &Layout<'_>, rows: &[Vec<String>]) -> Table {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let total = l.geometry.content_width();
    let pad = |row: &Vec<String>, head: bool| -> Vec<Cell> {
        (0..n)
            .map(|c| {
                let text = row.get(c).map_or("", String::as_str);
                if head {
                    Cell::head(text)
                } else {
                    Cell::new(text)
                }
            })
            .collect()
    };
    let (header, body) = rows
        .split_first()
        .map_or((None, rows), |(h, b)| (Some(h), b));
    let fits: Vec<Fit> = (0..n)
        .map(|c| {
            let widest = rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|t| l.fonts.width(Style::Regular, TABLE, t))
                .fold(0.0, f32::max);
            if widest < total * 0.18 {
                Fit::Natural
            } else {
                Fit::Rest(0.0)
            }
        })
        .collect();
    let mut t = Table {
        widths: Vec::new(),
        header: header.map(|h| pad(h, true)).into_iter().collect(),
        rows: body.iter().map(|r| pad(r, false)).collect(),
        size: TABLE,
        min_row_height: 0.0,
        header_fill: 0.92,
    };
    t.fit(l.fonts, &fits, total);
    t
}

/// The picture the markdown links as `path`, read from `pictures`.
fn picture(pictures: &[(&str, &[u8])], path: &str) -> Result<Arc<Picture>, DocumentError> {
    let (_, bytes) = pictures
        .iter()
        .find(|(p, _)| *p == path)
        .ok_or_else(|| DocumentError::PictureMissing(path.to_owned()))?;
    Picture::from_png(bytes)
        .map(Arc::new)
        .map_err(|error| DocumentError::Picture {
            name: path.to_owned(),
            error,
        })
}

/// The guide laid out.
///
/// # Errors
///
/// [`DocumentError::Picture`] or [`DocumentError::PictureMissing`] for a screenshot that
/// cannot be embedded or is not built in: a broken build, which the tests catch.
pub fn guide_pages(fonts: &Fonts) -> Result<Vec<Page>, DocumentError> {
    pages_of(GUIDE_MD, PICTURES, fonts)
}

/// `md` laid out, its images from `pictures`.
fn pages_of(
    md: &str,
    pictures: &[(&str, &[u8])],
    fonts: &Fonts,
) -> Result<Vec<Page>, DocumentError> {
    let mut l = Layout::new(fonts, super::layout::Geometry::a4_official());
    let left = l.geometry.left;
    let width = l.geometry.content_width();
    let mut title = None;
    let mut figures = 0;
    for block in blocks(md) {
        match block {
            Block::Heading(1, text) => {
                l.para(&Para::new(&text, Style::Bold, 18.0).center());
                l.para(
                    &Para::new(
                        format!("tinnhiem {}", env!("CARGO_PKG_VERSION")),
                        Style::Italic,
                        BODY,
                    )
                    .center(),
                );
                l.space(BODY);
                title.get_or_insert(text);
            }
            Block::Heading(level, text) => {
                let size = if level == 2 { 14.5 } else { 12.5 };
                l.space(if level == 2 { BODY } else { BODY * 0.6 });
                l.para(&Para::new(text, Style::Bold, size).keep_with_next());
                l.space(BODY * 0.2);
            }
            Block::Para(text) => {
                l.para(&Para::new(text, Style::Regular, BODY).justify());
                l.space(BODY * 0.4);
            }
            Block::Item(marker, text) => {
                let hang = mm(6.0);
                l.columns(&[
                    (left, hang, vec![Para::new(marker, Style::Regular, BODY)]),
                    (
                        left + hang,
                        width - hang,
                        vec![Para::new(text, Style::Regular, BODY)],
                    ),
                ]);
                l.space(BODY * 0.15);
            }
            Block::Code(line) => {
                l.para(&Para::new(line, Style::Regular, BODY - 1.5).indent(mm(6.0)));
            }
            Block::Image(caption, path) => {
                let picture = picture(pictures, &path)?;
                figures += 1;
                let caption = Para::new(
                    format!("Hình {figures}. {caption}"),
                    Style::Italic,
                    BODY - 1.0,
                )
                .center();
                let natural = picture.width() as f32 * 72.0 / SCREEN_DPI;
                l.space(BODY * 0.3);
                l.figure(&picture, natural, &caption);
                l.space(BODY * 0.8);
            }
            Block::Table(rows) => {
                let t = table(&l, &rows);
                l.table(&t);
                l.space(BODY * 0.6);
            }
        }
    }
    Ok(l.finish(&Decorations {
        footer: title,
        page_numbers: true,
        ..Decorations::default()
    }))
}

/// The guide as a PDF.
///
/// # Errors
///
/// [`DocumentError::Font`], [`DocumentError::MissingGlyph`], [`DocumentError::Picture`],
/// [`DocumentError::PictureMissing`] or [`DocumentError::Pdf`]: a broken build (the guide and
/// its pictures are built in), never the user's data.
pub fn guide_pdf() -> Result<Vec<u8>, DocumentError> {
    pdf_of(GUIDE_MD, PICTURES)
}

/// `md` as the guide's PDF, its images from `pictures`.
fn pdf_of(md: &str, pictures: &[(&str, &[u8])]) -> Result<Vec<u8>, DocumentError> {
    let fonts = Fonts::load()?;
    let pages = pages_of(md, pictures, &fonts)?;
    // The file's /ID from what fixes its content: the markdown and its pictures.
    let mut hash = sha2::Sha256::new();
    hash.update(md.as_bytes());
    for (path, bytes) in pictures {
        hash.update(path.as_bytes());
        hash.update(bytes);
    }
    let digest = hash.finalize();
    let meta = PdfMeta {
        title: "Hướng dẫn sử dụng tinnhiem".to_owned(),
        author: "tinnhiem".to_owned(),
        subject: "Kiểm phiếu tín nhiệm: hướng dẫn cho thư ký và ban kiểm phiếu".to_owned(),
        keywords: vec!["hướng dẫn sử dụng".to_owned(), "tinnhiem".to_owned()],
        date: None,
        id: crate::encode::hex(&digest[..16]),
        printing: Printing::AsSet,
        lang: crate::text::Lang::Vi,
        archival: false,
    };
    to_pdf(&pages, &fonts, &meta)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn blocks_of_a_small_guide() {
        let md = "# Tựa\n\nMột **đoạn** có `mã`\nhai dòng.\n\n- mục một\n  tiếp\n2. mục hai\n\n\
                  | A | B |\n|---|---|\n| x | y |\n![Ảnh *đẹp*](a.png)\n";
        assert_eq!(
            blocks(md),
            [
                Block::Heading(1, "Tựa".into()),
                Block::Para("Một “đoạn” có mã hai dòng.".into()),
                Block::Item("•".into(), "mục một tiếp".into()),
                Block::Item("2.".into(), "mục hai".into()),
                Block::Table(vec![
                    vec!["A".into(), "B".into()],
                    vec!["x".into(), "y".into()]
                ]),
                Block::Image("Ảnh đẹp".into(), "a.png".into()),
            ]
        );
        assert_eq!(plain("xem [README](../README.md) nhé"), "xem README nhé");
    }

    /// The pictures built in are exactly the guide's images, each once, and each is read.
    #[test]
    fn the_pictures_built_in_are_the_guides() {
        let linked: Vec<String> = blocks(GUIDE_MD)
            .into_iter()
            .filter_map(|b| match b {
                Block::Image(_, path) => Some(path),
                _ => None,
            })
            .collect();
        assert_eq!(linked.len(), GUIDE_MD.matches("![").count());
        let built_in: Vec<&str> = PICTURES.iter().map(|(p, _)| *p).collect();
        assert_eq!(linked, built_in);
        for (path, _) in PICTURES {
            picture(PICTURES, path).unwrap();
        }
    }

    /// A damaged or missing picture is an error naming it, in both languages, not a panic.
    #[test]
    fn a_bad_picture_is_an_error() {
        let md = "# Tựa\n\n![Ảnh](a.png)\n";
        let good = PICTURES[0].1;
        assert!(pdf_of(md, &[("a.png", good)]).is_ok());
        let mut damaged = good.to_vec();
        let idat = good.windows(4).position(|w| w == b"IDAT").unwrap();
        damaged[idat + 20] ^= 1;
        for (bytes, what) in [(&good[..good.len() / 2], "cut short"), (&damaged, "CRC")] {
            let e = pdf_of(md, &[("a.png", bytes)]).unwrap_err();
            assert!(matches!(&e, DocumentError::Picture { name, .. } if name == "a.png"));
            let m = e.message();
            assert!(m.en.contains(what) && m.vi.contains("ảnh a.png"), "{m:?}");
        }
        let e = pdf_of(md, &[("b.png", good)]).unwrap_err();
        assert!(matches!(e, DocumentError::PictureMissing(ref p) if p == "a.png"));
    }

    #[test]
    fn the_guide_is_the_same_bytes_twice() {
        let a = guide_pdf().unwrap();
        assert!(a.starts_with(b"%PDF-"));
        assert_eq!(a, guide_pdf().unwrap());
    }
}
