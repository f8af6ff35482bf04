//! Scanner output as grayscale pages: the files an office scanner or multifunction printer
//! writes to its folder (PDF, PNG, JPEG, TIFF) and what `pdftoppm` writes (binary PNM), each
//! recognised by its first bytes, never by its name, and decoded one page at a time, so that a
//! stack of a thousand sheets costs the memory of one page.
//!
//! Strict where a wrong picture could be read as votes: a file cut short or damaged is an
//! error, never a page quietly padded or half drawn. Bounded where a file could be hostile: a
//! page's size is checked from its header before a pixel is allocated, a PDF's page tree and a
//! TIFF's chain of pages are walked a bounded number of steps, and streams are inflated only
//! to the size their image needs.
//!
//! Every page comes out as one byte a pixel, 0 black and 255 white: colour is folded to gray
//! in integer arithmetic (`(299 r + 587 g + 114 b + 500) / 1000`), alpha composited on white
//! paper.

use std::collections::HashSet;
use std::convert::Infallible;
use std::fmt;
use std::io::{self, Cursor, Read, Seek, SeekFrom};

use lopdf::content::Content;
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, Stream};

use crate::text::Message;

/// At most 40 megapixels a page: A4 at 600 dpi, the finest a ballot is worth scanning at, is
/// 34.8. A larger page is refused from its header, before its pixels are allocated.
pub const MAX_PIXELS: u64 = 40_000_000;

/// At least 16 pixels each way: a ballot's boxes alone are about 40 pixels at 150 dpi, so a
/// smaller image cannot be a ballot (a 1-pixel image is a mistake, not a page to read).
pub const MIN_SIDE: u32 = 16;

/// At most 100,000 pages in one file, a hundred times a province's vote: the bound that keeps
/// a hostile page tree or TIFF page chain from running on.
pub const MAX_PAGES: usize = 100_000;

/// A page's drawing operators (and a form's) are inflated to at most 16 MiB: a scanner's page
/// says "draw this image" in a few dozen bytes.
const MAX_CONTENT: usize = 16 << 20;

/// A PDF's object streams (compressed groups of small objects, such as page dictionaries) are
/// inflated to at most 64 MiB each while it is opened: room for [`MAX_PAGES`] pages, and a
/// bound on a decompression bomb.
const MAX_OBJECT_STREAM: usize = 64 << 20;

/// Forms drawn inside forms are followed this deep, and this many in all, against a cycle or a
/// hostile fan-out.
const MAX_FORM_DEPTH: usize = 8;
const MAX_FORMS: usize = 256;

/// How far up a page's `/Parent` chain inherited entries (`/Resources`, `/MediaBox`) are
/// looked for.
const MAX_PARENTS: usize = 64;

/// A grayscale page: row-major, one byte a pixel, 0 black, 255 white.
#[derive(Clone, PartialEq, Eq)]
pub struct Gray {
    /// Pixels a row.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// `width × height` bytes, the top row first.
    pub pixels: Vec<u8>,
    /// dots per inch when the file says so
    pub dpi: Option<u32>,
}

impl fmt::Debug for Gray {
    /// The size and resolution, not the megabytes of pixels.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gray")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("pixels", &format_args!("{} bytes", self.pixels.len()))
            .field("dpi", &self.dpi)
            .finish()
    }
}

/// The kinds of file a scanner's folder holds, told apart by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// PDF, one scanned image a page.
    Pdf,
    /// PNG.
    Png,
    /// JPEG (JFIF or Exif).
    Jpeg,
    /// TIFF or BigTIFF, one page an image directory.
    Tiff,
    /// Binary PNM: P4 (bits), P5 (gray) or P6 (colour), as `pdftoppm` writes.
    Pnm,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Pdf => "PDF",
            Kind::Png => "PNG",
            Kind::Jpeg => "JPEG",
            Kind::Tiff => "TIFF",
            Kind::Pnm => "PNM",
        })
    }
}

/// What a readable file uses that this reader does not decode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Feature {
    /// A PDF colour space other than gray, RGB, CMYK (device, calibrated or ICC-based) or a
    /// palette over them.
    ColourSpace(String),
    /// A number of bits a sample other than 1, 2, 4, 8 or 16.
    Bits(i64),
    /// A `/Decode` array other than the default or its inverse.
    DecodeArray,
    /// A `/Predictor` other than 1, 2 (8 bits a sample) or 10 to 15, or one whose
    /// parameters do not match the image.
    Predictor(i64),
    /// Two-dimensional CCITT Group 3 (`/K` above 0).
    Group3TwoD,
    /// CCITT Group 3 without end-of-line codes.
    Group3WithoutEol,
    /// CCITT Group 4 with each row starting on a byte (`/EncodedByteAlign true`).
    EncodedByteAlign,
    /// A TIFF colour type or layout (the decoder's own words).
    Tiff(String),
}

impl Feature {
    /// The feature in both languages (a file format's own names stay as they are).
    fn message(&self) -> Message {
        match self {
            Feature::ColourSpace(name) => Message::new(
                format!("không gian màu {name}"),
                format!("colour space {name}"),
            ),
            Feature::Bits(bits) => Message::new(
                format!("{bits} bit mỗi mẫu"),
                format!("{bits} bits a sample"),
            ),
            Feature::DecodeArray => Message::new("mảng /Decode này", "this /Decode array"),
            Feature::Predictor(p) => Message::new(
                format!("bộ dự đoán /Predictor {p} với các tham số này"),
                format!("/Predictor {p} with these parameters"),
            ),
            Feature::Group3TwoD => Message::new(
                "mã hóa fax CCITT nhóm 3 hai chiều (/K > 0)",
                "two-dimensional CCITT Group 3 fax coding (/K > 0)",
            ),
            Feature::Group3WithoutEol => Message::new(
                "mã hóa fax CCITT nhóm 3 không có mã cuối dòng",
                "CCITT Group 3 fax coding without end-of-line codes",
            ),
            Feature::EncodedByteAlign => Message::new(
                "mã hóa fax CCITT nhóm 4 căn theo byte (/EncodedByteAlign)",
                "byte-aligned CCITT Group 4 fax coding (/EncodedByteAlign)",
            ),
            Feature::Tiff(detail) => Message::new(
                format!("kiểu ảnh TIFF này ({detail})"),
                format!("this kind of TIFF image ({detail})"),
            ),
        }
    }
}

/// Why a scanned file or one of its pages cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// The first bytes are none of PDF, PNG, JPEG, TIFF or binary PNM.
    #[error("not a PDF, PNG, JPEG, TIFF or PNM file")]
    UnknownFormat,
    /// The file is cut short or damaged; `detail` is the decoder's own words.
    #[error("the {kind} file is damaged or cut short: {detail}")]
    Damaged {
        /// The kind of file.
        kind: Kind,
        /// What the decoder found.
        detail: String,
    },
    /// The PDF is encrypted with a password.
    #[error("the PDF is protected by a password")]
    Encrypted,
    /// A page larger than [`MAX_PIXELS`].
    #[error(
        "the page is {width}×{height} pixels, more than the {} megapixels a ballot's scan can be",
        MAX_PIXELS / 1_000_000
    )]
    TooLarge {
        /// Pixels a row, as the header says.
        width: u64,
        /// Rows, as the header says.
        height: u64,
    },
    /// A page narrower or shorter than [`MIN_SIDE`].
    #[error("the page is {width}×{height} pixels: too small to be a ballot")]
    TooSmall {
        /// Pixels a row.
        width: u64,
        /// Rows.
        height: u64,
    },
    /// More than [`MAX_PAGES`] pages.
    #[error("the file has more than {MAX_PAGES} pages")]
    TooManyPages,
    /// A page index past the end (`index` counted from 0).
    #[error("there is no page {} (the file has {pages})", .index + 1)]
    NoSuchPage {
        /// The page asked for, from 0.
        index: usize,
        /// The pages the file has.
        pages: usize,
    },
    /// A PDF page that draws no image: a document made on a computer, not a scan.
    #[error("no scanned image on this page")]
    NoImage,
    /// A PDF image compressed with a filter this reader does not decode (JBIG2, JPEG 2000…).
    #[error("the page's image is compressed with {0}, which is not supported")]
    Filter(String),
    /// Something the file uses that this reader does not decode.
    #[error("{} is not supported", .0.message().en)]
    Unsupported(Feature),
}

impl ImageError {
    /// The error in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        let vi = match self {
            ImageError::UnknownFormat => "không phải tệp PDF, PNG, JPEG, TIFF hay PNM".to_owned(),
            ImageError::Damaged { kind, detail } => {
                return Message::new(
                    format!("tệp {kind} bị hỏng hoặc bị cắt cụt"),
                    format!("the {kind} file is damaged or cut short"),
                )
                .with_detail(detail);
            }
            ImageError::Encrypted => "tệp PDF được bảo vệ bằng mật khẩu".to_owned(),
            ImageError::TooLarge { width, height } => format!(
                "trang ảnh {width}×{height} điểm ảnh, quá {} triệu điểm ảnh của một bản quét phiếu",
                MAX_PIXELS / 1_000_000
            ),
            ImageError::TooSmall { width, height } => {
                format!("trang ảnh {width}×{height} điểm ảnh: quá nhỏ để là một lá phiếu")
            }
            ImageError::TooManyPages => format!("tệp có hơn {MAX_PAGES} trang"),
            ImageError::NoSuchPage { index, pages } => {
                format!("không có trang {} (tệp có {pages} trang)", index + 1)
            }
            ImageError::NoImage => "trang này không có ảnh quét".to_owned(),
            ImageError::Filter(name) => {
                format!("ảnh của trang được nén bằng {name}, chưa được hỗ trợ")
            }
            ImageError::Unsupported(feature) => {
                format!("không hỗ trợ {}", feature.message().vi)
            }
        };
        Message::new(vi, self.to_string())
    }
}

/// The kind of file `bytes` holds, by its magic bytes (a file's name can lie, and a scanner
/// names its files as it likes).
#[must_use]
pub fn sniff(bytes: &[u8]) -> Option<Kind> {
    let pnm = |m: u8| {
        bytes.first() == Some(&b'P')
            && bytes.get(1) == Some(&m)
            && bytes.get(2).is_some_and(u8::is_ascii_whitespace)
    };
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some(Kind::Jpeg)
    } else if [b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"]
        .iter()
        .any(|m| bytes.starts_with(*m))
    {
        Some(Kind::Tiff)
    } else if pnm(b'4') || pnm(b'5') || pnm(b'6') {
        Some(Kind::Pnm)
    } else if bytes
        .get(..bytes.len().min(1024))
        .is_some_and(|head| head.windows(5).any(|w| w == b"%PDF-"))
    {
        // PDF readers accept a header anywhere in the first kilobyte, after junk some
        // programs put before it.
        Some(Kind::Pdf)
    } else {
        None
    }
}

/// A scanned file, parsed as far as its pages: decoding waits for [`ScanFile::page`].
pub struct ScanFile<'a> {
    bytes: &'a [u8],
    kind: Kind,
    pages: Pages,
}

/// Where each page of a file is.
enum Pages {
    /// PNG, JPEG and PNM hold one page.
    One,
    /// A TIFF's image directories, by their offsets in the file.
    Tiff(Vec<u64>),
    /// A PDF and its pages' objects, in the order read.
    Pdf(Box<Document>, Vec<ObjectId>),
}

impl fmt::Debug for ScanFile<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScanFile")
            .field("kind", &self.kind)
            .field("bytes", &self.bytes.len())
            .field("pages", &self.pages())
            .finish()
    }
}

impl<'a> ScanFile<'a> {
    /// Reads what a file says about its pages: the header of an image, a TIFF's chain of
    /// pages, a PDF's objects and page tree. No page is decoded.
    ///
    /// # Errors
    ///
    /// [`ImageError::UnknownFormat`] for a file that is none of the kinds read; for a single
    /// image, its size checked from the header ([`ImageError::TooLarge`],
    /// [`ImageError::TooSmall`]); [`ImageError::TooManyPages`]; [`ImageError::Encrypted`];
    /// [`ImageError::Damaged`] for a file that cannot be parsed.
    pub fn open(bytes: &'a [u8]) -> Result<Self, ImageError> {
        let kind = sniff(bytes).ok_or(ImageError::UnknownFormat)?;
        let pages = match kind {
            Kind::Png => {
                png_size(bytes)?;
                Pages::One
            }
            Kind::Jpeg => {
                jpeg_size(bytes)?;
                Pages::One
            }
            Kind::Pnm => {
                let head = pnm_header(bytes)?;
                check_size(head.width.into(), head.height.into())?;
                Pages::One
            }
            Kind::Tiff => Pages::Tiff(tiff_directories(bytes)?),
            Kind::Pdf => {
                let (doc, pages) = pdf_open(bytes)?;
                Pages::Pdf(Box::new(doc), pages)
            }
        };
        Ok(Self { bytes, kind, pages })
    }

    /// The kind of file, from its first bytes.
    #[must_use]
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// How many pages the file has (at least 1).
    #[must_use]
    pub fn pages(&self) -> usize {
        match &self.pages {
            Pages::One => 1,
            Pages::Tiff(offsets) => offsets.len(),
            Pages::Pdf(_, pages) => pages.len(),
        }
    }

    /// Decodes page `index` (from 0) to gray. Only that page's pixels are allocated.
    ///
    /// # Errors
    ///
    /// [`ImageError::NoSuchPage`] past the last page; the page's size checked from its header
    /// before decoding ([`ImageError::TooLarge`], [`ImageError::TooSmall`]);
    /// [`ImageError::NoImage`], [`ImageError::Filter`] or [`ImageError::Unsupported`] for a
    /// page this reader cannot show; [`ImageError::Damaged`] for data cut short or corrupt.
    pub fn page(&self, index: usize) -> Result<Gray, ImageError> {
        let pages = self.pages();
        if index >= pages {
            return Err(ImageError::NoSuchPage { index, pages });
        }
        match &self.pages {
            Pages::One => match self.kind {
                Kind::Png => png_page(self.bytes),
                Kind::Jpeg => jpeg_page(self.bytes, Kind::Jpeg),
                _ => pnm_page(self.bytes),
            },
            Pages::Tiff(offsets) => {
                let offset = offsets.get(index).copied().unwrap_or_default();
                tiff_page(self.bytes, offset)
            }
            Pages::Pdf(doc, ids) => {
                let id = ids.get(index).copied().unwrap_or_default();
                pdf_page(doc, id)
            }
        }
    }
}

/// Checks a page's size from its header, before anything is allocated: returns the number of
/// pixels.
fn check_size(width: u64, height: u64) -> Result<usize, ImageError> {
    let pixels = width.saturating_mul(height);
    if pixels > MAX_PIXELS {
        return Err(ImageError::TooLarge { width, height });
    }
    if width < u64::from(MIN_SIDE) || height < u64::from(MIN_SIDE) {
        return Err(ImageError::TooSmall { width, height });
    }
    usize::try_from(pixels).map_err(|_| ImageError::TooLarge { width, height })
}

fn damaged(kind: Kind, detail: impl fmt::Display) -> ImageError {
    ImageError::Damaged {
        kind,
        detail: detail.to_string(),
    }
}

/// An I/O error while reading pixel data: the end of the data is "cut short".
fn read_error(kind: Kind, e: &io::Error) -> ImageError {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        damaged(kind, "the image data ends early")
    } else {
        damaged(kind, e)
    }
}

// Colour to gray, in integers.

fn luma(r: u8, g: u8, b: u8) -> u8 {
    let v = (299 * u32::from(r) + 587 * u32::from(g) + 114 * u32::from(b) + 500) / 1000;
    u8::try_from(v).unwrap_or(u8::MAX)
}

/// CMYK as printed on white paper, without a colour profile: each ink takes its share of the
/// light (`(255 − c)(255 − k) / 255` for red).
fn cmyk_gray(c: u8, m: u8, y: u8, k: u8) -> u8 {
    let ink = |v: u8| {
        let v = (255 - u32::from(v)) * (255 - u32::from(k)) / 255;
        u8::try_from(v).unwrap_or(u8::MAX)
    };
    luma(ink(c), ink(m), ink(y))
}

/// A gray value with an alpha, composited on white paper.
fn over_white(v: u8, alpha: u8) -> u8 {
    let a = u32::from(alpha);
    let v = (u32::from(v) * a + 255 * (255 - a) + 127) / 255;
    u8::try_from(v).unwrap_or(u8::MAX)
}

/// How the samples of a pixel give its gray.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Model {
    Gray,
    GrayAlpha,
    Rgb,
    Rgba,
    Cmyk,
    /// YCbCr: the luma is the first sample.
    Ycc,
}

impl Model {
    fn components(self) -> usize {
        match self {
            Model::Gray => 1,
            Model::GrayAlpha => 2,
            Model::Rgb | Model::Ycc => 3,
            Model::Rgba | Model::Cmyk => 4,
        }
    }
}

/// A row layout and how its samples turn into gray pixels: every format ends here.
struct Samples {
    width: usize,
    /// 1, 2, 4, 8 or 16 bits a sample; a 16-bit sample is read by its high byte.
    bits: u8,
    model: Model,
    /// For each component, its value (0 to 255) for each sample value: scaling, a `/Decode`
    /// inversion or a palette, looked up once a sample.
    tables: Vec<[u8; 256]>,
}

/// The table of a component of `bits` bits, scaled to 0..=255, inverted when `invert`.
fn scale_table(bits: u8, invert: bool) -> [u8; 256] {
    let max = if bits >= 8 { 255 } else { (1u32 << bits) - 1 };
    let mut table = [0u8; 256];
    for (v, t) in (0u32..).zip(table.iter_mut()) {
        let scaled = (v.min(max) * 255 + max / 2) / max;
        let scaled = u8::try_from(scaled).unwrap_or(u8::MAX);
        *t = if invert { 255 - scaled } else { scaled };
    }
    table
}

impl Samples {
    /// Samples of `model` scaled to 0..=255, none inverted.
    fn plain(width: usize, bits: u8, model: Model) -> Self {
        Self {
            width,
            bits,
            model,
            tables: vec![scale_table(bits, false); model.components()],
        }
    }

    fn row_bytes(&self) -> usize {
        let bits = self.width * self.model.components() * usize::from(self.bits);
        bits.div_ceil(8)
    }

    /// Sample `i` of a row, as an index into its table.
    fn sample(&self, row: &[u8], i: usize) -> usize {
        let at = |k: usize| usize::from(row.get(k).copied().unwrap_or(0));
        match self.bits {
            8 => at(i),
            16 => at(2 * i),
            bits => {
                let bits = usize::from(bits);
                let bit = i * bits;
                let shift = 8 - bits - bit % 8;
                (at(bit / 8) >> shift) & ((1 << bits) - 1)
            }
        }
    }

    /// One row of samples to gray pixels.
    fn convert(&self, row: &[u8], out: &mut [u8]) {
        let first = self.tables.first().copied().unwrap_or([0; 256]);
        if self.model == Model::Gray && self.bits == 8 {
            for (o, &s) in out.iter_mut().zip(row) {
                *o = first[usize::from(s)];
            }
            return;
        }
        let n = self.model.components();
        let v = |x: usize, k: usize| {
            let s = self.sample(row, x * n + k);
            self.tables.get(k).map_or(0, |t| t[s])
        };
        for (x, o) in out.iter_mut().enumerate().take(self.width) {
            *o = match self.model {
                Model::Gray | Model::Ycc => v(x, 0),
                Model::GrayAlpha => over_white(v(x, 0), v(x, 1)),
                Model::Rgb => luma(v(x, 0), v(x, 1), v(x, 2)),
                Model::Rgba => over_white(luma(v(x, 0), v(x, 1), v(x, 2)), v(x, 3)),
                Model::Cmyk => cmyk_gray(v(x, 0), v(x, 1), v(x, 2), v(x, 3)),
            };
        }
    }

    /// A whole image of rows, packed one after another (rows start on a byte).
    fn image(&self, data: &[u8], height: usize, kind: Kind) -> Result<Vec<u8>, ImageError> {
        let row_bytes = self.row_bytes();
        let needed = row_bytes.saturating_mul(height);
        let data = data
            .get(..needed)
            .ok_or_else(|| damaged(kind, "the image data ends early"))?;
        let mut pixels = vec![0u8; self.width * height];
        if row_bytes == 0 {
            return Ok(pixels);
        }
        for (row, out) in data
            .chunks_exact(row_bytes)
            .zip(pixels.chunks_exact_mut(self.width))
        {
            self.convert(row, out);
        }
        Ok(pixels)
    }
}

// PNG.

fn png_error(e: png::DecodingError) -> ImageError {
    match e {
        png::DecodingError::IoError(e) => read_error(Kind::Png, &e),
        e => damaged(Kind::Png, e),
    }
}

/// The PNG's size from its header, checked.
fn png_size(bytes: &[u8]) -> Result<usize, ImageError> {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    let info = decoder.read_header_info().map_err(png_error)?;
    check_size(info.width.into(), info.height.into())
}

/// Pixels a metre to dots an inch, rounded.
fn per_metre_to_dpi(per_metre: u32) -> Option<u32> {
    let dpi = (u64::from(per_metre) * 254 + 5_000) / 10_000;
    u32::try_from(dpi).ok().filter(|&d| d > 0)
}

/// Any PNG, expanded by the decoder to 8 bits a sample (palettes to RGB, transparency to an
/// alpha channel), then to gray on white; interlaced rows are put in place as they come.
fn png_page(bytes: &[u8]) -> Result<Gray, ImageError> {
    let pixels = png_size(bytes)?;
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(png_error)?;
    let info = reader.info();
    let (width, height, interlaced) = (info.width, info.height, info.interlaced);
    let dpi = info
        .pixel_dims
        .filter(|d| d.unit == png::Unit::Meter)
        .and_then(|d| per_metre_to_dpi(d.xppu));
    let model = match reader.output_color_type().0 {
        png::ColorType::Grayscale => Model::Gray,
        png::ColorType::GrayscaleAlpha => Model::GrayAlpha,
        png::ColorType::Rgba => Model::Rgba,
        png::ColorType::Rgb | png::ColorType::Indexed => Model::Rgb,
    };
    let w = usize::try_from(width).map_err(|e| damaged(Kind::Png, e))?;
    let samples = Samples::plain(w, 8, model);
    let mut out = vec![0u8; pixels];
    if interlaced {
        let mut gray_row = vec![0u8; w];
        while let Some(row) = reader.next_interlaced_row().map_err(png_error)? {
            let png::InterlaceInfo::Adam7(pass) = row.interlace() else {
                return Err(damaged(Kind::Png, "an interlaced row outside Adam7"));
            };
            let n = row.data().len() / model.components();
            let gray = gray_row.get_mut(..n).unwrap_or_default();
            samples.convert(row.data(), gray);
            png::expand_interlaced_row(&mut out, w, gray, pass, 8);
        }
    } else {
        for line in out.chunks_exact_mut(w) {
            let row = reader
                .next_row()
                .map_err(png_error)?
                .ok_or_else(|| damaged(Kind::Png, "the image data ends early"))?;
            samples.convert(row.data(), line);
        }
    }
    reader.finish().map_err(png_error)?;
    Ok(Gray {
        width,
        height,
        pixels: out,
        dpi,
    })
}

// JPEG.

fn jpeg_options() -> zune_jpeg::zune_core::options::DecoderOptions {
    // The size is checked against MAX_PIXELS, not the decoder's default 16,384 a side; strict,
    // so that a file cut short is an error and not a picture filled with gray.
    zune_jpeg::zune_core::options::DecoderOptions::default()
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX))
        .set_strict_mode(true)
}

/// The JPEG's size from its header, checked.
fn jpeg_size(bytes: &[u8]) -> Result<usize, ImageError> {
    let cursor = zune_jpeg::zune_core::bytestream::ZCursor::new(bytes);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(cursor, jpeg_options());
    decoder
        .decode_headers()
        .map_err(|e| damaged(Kind::Jpeg, e))?;
    let (w, h) = decoder.dimensions().unwrap_or_default();
    check_size(w as u64, h as u64)
}

/// A JPEG (a file, or a PDF's `/DCTDecode` image): gray and YCbCr decode straight to luma;
/// CMYK (Adobe's inverted samples, as scanners and Photoshop write them), YCCK and RGB go
/// through RGB.
fn jpeg_page(bytes: &[u8], kind: Kind) -> Result<Gray, ImageError> {
    use zune_jpeg::zune_core::colorspace::ColorSpace;
    if !jpeg_complete(bytes) {
        return Err(damaged(
            kind,
            "the image data ends early (no end-of-image marker)",
        ));
    }
    let cursor = zune_jpeg::zune_core::bytestream::ZCursor::new(bytes);
    let mut decoder = zune_jpeg::JpegDecoder::new_with_options(cursor, jpeg_options());
    decoder.decode_headers().map_err(|e| damaged(kind, e))?;
    let (w, h) = decoder.dimensions().unwrap_or_default();
    let pixels = check_size(w as u64, h as u64)?;
    let width = u32::try_from(w).map_err(|e| damaged(kind, e))?;
    let height = u32::try_from(h).map_err(|e| damaged(kind, e))?;
    let out = match decoder.input_colorspace() {
        Some(ColorSpace::Luma | ColorSpace::YCbCr) => ColorSpace::Luma,
        _ => ColorSpace::RGB,
    };
    decoder.set_options(jpeg_options().jpeg_set_out_colorspace(out));
    let mut buf = vec![0u8; pixels * out.num_components()];
    decoder
        .decode_into(&mut buf)
        .map_err(|e| damaged(kind, e))?;
    if out == ColorSpace::RGB {
        let rgb = buf;
        buf = rgb
            .chunks_exact(3)
            .map(|p| luma(p[0], p[1], p[2]))
            .collect();
    }
    Ok(Gray {
        width,
        height,
        pixels: buf,
        dpi: jfif_dpi(bytes),
    })
}

/// Whether a JPEG ends: an end-of-image marker after the last start of scan. The decoder,
/// even strict, reads a file cut inside its last row of blocks as whole. In the coded data a
/// 0xFF byte is always followed by 0x00 or a restart marker, so these two markers cannot
/// appear there by chance; an Exif thumbnail's end, before the scan, does not count.
fn jpeg_complete(bytes: &[u8]) -> bool {
    let last = |marker: u8| bytes.windows(2).rposition(|w| w == [0xff, marker]);
    matches!((last(0xda), last(0xd9)), (Some(sos), Some(eoi)) if eoi > sos)
}

/// The density of a JFIF header (the APP0 segment right after the start of the image), in
/// dots an inch; the decoder does not report it.
fn jfif_dpi(bytes: &[u8]) -> Option<u32> {
    let seg = bytes.get(2..)?;
    if seg.get(..2)? != [0xff, 0xe0] || seg.get(4..9)? != b"JFIF\0" {
        return None;
    }
    let units = *seg.get(11)?;
    let x = u32::from(u16::from_be_bytes([*seg.get(12)?, *seg.get(13)?]));
    let dpi = match units {
        1 => x,
        2 => (x * 254 + 50) / 100,
        _ => return None,
    };
    (dpi > 0).then_some(dpi)
}

// PNM.

/// A binary PNM's header.
struct PnmHeader {
    /// b'4' (bits, 1 black), b'5' (gray) or b'6' (RGB).
    magic: u8,
    width: u32,
    height: u32,
    maxval: u32,
    /// Where the pixels start.
    data: usize,
}

fn pnm_header(bytes: &[u8]) -> Result<PnmHeader, ImageError> {
    let bad = |what: &str| damaged(Kind::Pnm, what);
    let magic = *bytes.get(1).ok_or_else(|| bad("no header"))?;
    let mut pos = 2;
    let mut values = [0u32; 3];
    let fields = if magic == b'4' { 2 } else { 3 };
    for value in values.iter_mut().take(fields) {
        loop {
            match bytes.get(pos) {
                Some(b) if b.is_ascii_whitespace() => pos += 1,
                Some(b'#') => {
                    while bytes.get(pos).is_some_and(|&b| b != b'\n' && b != b'\r') {
                        pos += 1;
                    }
                }
                Some(_) => break,
                None => return Err(bad("the header ends early")),
            }
        }
        let start = pos;
        while bytes.get(pos).is_some_and(u8::is_ascii_digit) {
            pos += 1;
        }
        *value = std::str::from_utf8(bytes.get(start..pos).unwrap_or_default())
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("a number in the header is invalid"))?;
    }
    // One whitespace byte ends the header.
    if !bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
        return Err(bad("the header ends early"));
    }
    let [width, height, mut maxval] = values;
    if magic == b'4' {
        maxval = 1;
    }
    if !(1..=65_535).contains(&maxval) {
        return Err(bad("the maximum value is not between 1 and 65535"));
    }
    Ok(PnmHeader {
        magic,
        width,
        height,
        maxval,
        data: pos + 1,
    })
}

fn pnm_page(bytes: &[u8]) -> Result<Gray, ImageError> {
    let head = pnm_header(bytes)?;
    let pixels = check_size(head.width.into(), head.height.into())?;
    let width = usize::try_from(head.width).map_err(|e| damaged(Kind::Pnm, e))?;
    let height = pixels / width.max(1);
    let (model, bits) = match head.magic {
        b'4' => (Model::Gray, 1),
        b'5' => (Model::Gray, if head.maxval > 255 { 16 } else { 8 }),
        _ => (Model::Rgb, if head.maxval > 255 { 16 } else { 8 }),
    };
    let mut samples = Samples::plain(width, bits, model);
    if head.magic == b'4' {
        // P4: 1 is black.
        samples.tables = vec![scale_table(1, true)];
    } else {
        // Scaled to 0..=255 from maxval (a 16-bit sample by its high byte).
        let max = if bits == 16 {
            (head.maxval >> 8).max(1)
        } else {
            head.maxval
        };
        let mut table = [0u8; 256];
        for (v, t) in (0u32..).zip(table.iter_mut()) {
            *t = u8::try_from((v.min(max) * 255 + max / 2) / max).unwrap_or(u8::MAX);
        }
        samples.tables = vec![table; model.components()];
    }
    let data = bytes.get(head.data..).unwrap_or_default();
    Ok(Gray {
        width: head.width,
        height: head.height,
        pixels: samples.image(data, height, Kind::Pnm)?,
        dpi: None,
    })
}

// TIFF.

/// The offsets of a TIFF's image directories, one a page, by following the chain from the
/// header (reading only each directory's entry count and link): bounded by [`MAX_PAGES`], a
/// loop is an error.
fn tiff_directories(bytes: &[u8]) -> Result<Vec<u64>, ImageError> {
    let bad = |what: &str| damaged(Kind::Tiff, what);
    let little = bytes.starts_with(b"II");
    let int = |at: u64, len: usize| -> Option<u64> {
        let at = usize::try_from(at).ok()?;
        let b = bytes.get(at..at.checked_add(len)?)?;
        let mut v = 0u64;
        for i in 0..len {
            let byte = if little { b[len - 1 - i] } else { b[i] };
            v = (v << 8) | u64::from(byte);
        }
        Some(v)
    };
    let big = int(2, 2) == Some(43);
    let (count_len, entry_len, link_len): (usize, u64, usize) =
        if big { (8, 20, 8) } else { (2, 12, 4) };
    let mut offset = if big { int(8, 8) } else { int(4, 4) }.ok_or_else(|| bad("no header"))?;
    let mut seen = HashSet::new();
    let mut offsets = Vec::new();
    while offset != 0 {
        if offsets.len() == MAX_PAGES {
            return Err(ImageError::TooManyPages);
        }
        if !seen.insert(offset) {
            return Err(bad("the chain of pages loops"));
        }
        let entries = int(offset, count_len).ok_or_else(|| bad("a page directory is cut short"))?;
        let link = entries
            .checked_mul(entry_len)
            .and_then(|n| n.checked_add(offset.checked_add(count_len as u64)?))
            .ok_or_else(|| bad("a page directory is too large"))?;
        offsets.push(offset);
        offset = int(link, link_len).ok_or_else(|| bad("a page directory is cut short"))?;
    }
    if offsets.is_empty() {
        return Err(bad("no pages"));
    }
    Ok(offsets)
}

/// A TIFF file seen with its header pointing at one page's directory: the tiff crate can only
/// start from the first page and walk, which would make reading page n cost n steps.
struct TiffAt<'a> {
    bytes: &'a [u8],
    head: [u8; 16],
    head_len: usize,
    pos: u64,
}

impl<'a> TiffAt<'a> {
    fn new(bytes: &'a [u8], offset: u64) -> Self {
        let little = bytes.starts_with(b"II");
        let magic: &[u8] = if little { b"+\0" } else { b"\0+" };
        let big = bytes.get(2..4) == Some(magic);
        let mut head = [0u8; 16];
        let head_len = if big { 16 } else { 8 };
        for (h, b) in head.iter_mut().zip(bytes) {
            *h = *b;
        }
        let link: Vec<u8> = if big {
            if little {
                offset.to_le_bytes().to_vec()
            } else {
                offset.to_be_bytes().to_vec()
            }
        } else {
            let offset = u32::try_from(offset).unwrap_or(u32::MAX);
            if little {
                offset.to_le_bytes().to_vec()
            } else {
                offset.to_be_bytes().to_vec()
            }
        };
        let at = if big { 8 } else { 4 };
        for (h, b) in head.iter_mut().skip(at).zip(link) {
            *h = b;
        }
        Self {
            bytes,
            head,
            head_len,
            pos: 0,
        }
    }
}

impl Read for TiffAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let pos = usize::try_from(self.pos).unwrap_or(usize::MAX);
        let source = if pos < self.head_len {
            self.head.get(pos..self.head_len).unwrap_or_default()
        } else {
            self.bytes.get(pos..).unwrap_or_default()
        };
        let n = source.len().min(buf.len());
        buf.get_mut(..n)
            .unwrap_or_default()
            .copy_from_slice(source.get(..n).unwrap_or_default());
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for TiffAt<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => (self.bytes.len() as u64).checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = pos.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek"))?;
        Ok(self.pos)
    }
}

fn tiff_error(e: tiff::TiffError) -> ImageError {
    match e {
        tiff::TiffError::UnsupportedError(e) => {
            ImageError::Unsupported(Feature::Tiff(e.to_string()))
        }
        tiff::TiffError::IoError(e) => read_error(Kind::Tiff, &e),
        e => damaged(Kind::Tiff, e),
    }
}

/// A TIFF page's resolution: `XResolution` in `ResolutionUnit`s (inch by default).
fn tiff_dpi<R: Read + Seek>(decoder: &mut tiff::decoder::Decoder<R>) -> Option<u32> {
    use tiff::decoder::ifd::Value;
    use tiff::tags::Tag;
    let unit = decoder
        .find_tag_unsigned::<u16>(Tag::ResolutionUnit)
        .ok()
        .flatten()
        .unwrap_or(2);
    let Ok(Some(Value::Rational(n, d))) = decoder.find_tag(Tag::XResolution) else {
        return None;
    };
    let (n, d) = (u64::from(n), u64::from(d));
    let dpi = match unit {
        2 => n.checked_add(d / 2)?.checked_div(d)?,
        3 => (n * 254 + d * 50).checked_div(d * 100)?,
        _ => return None,
    };
    u32::try_from(dpi).ok().filter(|&d| d > 0)
}

/// How a TIFF's samples give gray, for the colour types scanners write. The tiff crate
/// itself refuses palette images (and Group 3 fax compression), by name.
fn tiff_samples<R: Read + Seek>(
    decoder: &mut tiff::decoder::Decoder<R>,
    width: usize,
) -> Result<Samples, ImageError> {
    use tiff::ColorType as C;
    let colour = decoder.colortype().map_err(tiff_error)?;
    let unsupported = || ImageError::Unsupported(Feature::Tiff(format!("{colour:?}")));
    let planar = decoder
        .find_tag_unsigned::<u16>(tiff::tags::Tag::PlanarConfiguration)
        .ok()
        .flatten();
    let (model, bits) = match colour {
        C::Gray(b @ (1 | 2 | 4 | 8 | 16)) => (Model::Gray, b),
        C::GrayA(b @ (8 | 16))
        | C::Multiband {
            bit_depth: b @ (8 | 16),
            num_samples: 2,
        } => (Model::GrayAlpha, b),
        C::RGB(b @ (8 | 16)) => (Model::Rgb, b),
        C::RGBA(b @ (8 | 16)) => (Model::Rgba, b),
        C::CMYK(b @ (8 | 16)) => (Model::Cmyk, b),
        C::YCbCr(8) => (Model::Ycc, 8),
        _ => return Err(unsupported()),
    };
    if planar == Some(2) && model != Model::Gray {
        return Err(unsupported());
    }
    Ok(Samples::plain(width, bits, model))
}

fn tiff_page(bytes: &[u8], offset: u64) -> Result<Gray, ImageError> {
    use tiff::decoder::{Decoder, DecodingResult, Limits};
    let mut limits = Limits::default();
    // Room for the largest page at 16 bits × 4 samples, as the crate decodes it whole.
    limits.decoding_buffer_size = usize::try_from(MAX_PIXELS * 8).unwrap_or(usize::MAX);
    let mut decoder = Decoder::new(TiffAt::new(bytes, offset))
        .map_err(tiff_error)?
        .with_limits(limits);
    let (width, height) = decoder.dimensions().map_err(tiff_error)?;
    let pixels = check_size(width.into(), height.into())?;
    let w = usize::try_from(width).map_err(|e| damaged(Kind::Tiff, e))?;
    let mut samples = tiff_samples(&mut decoder, w)?;
    let dpi = tiff_dpi(&mut decoder);
    let data = match decoder.read_image().map_err(tiff_error)? {
        DecodingResult::U8(data) => data,
        // Read by the high byte, in the machine's order as the crate gives it.
        DecodingResult::U16(data) => {
            samples.bits = 8;
            data.iter().map(|v| v.to_be_bytes()[0]).collect()
        }
        _ => return Err(ImageError::Unsupported(Feature::Tiff("samples".into()))),
    };
    Ok(Gray {
        width,
        height,
        pixels: samples.image(&data, pixels / w.max(1), Kind::Tiff)?,
        dpi,
    })
}

// PDF.

/// Parses a PDF's objects and page tree. Streams are kept as they are (compressed), except
/// object streams, which hold objects.
fn pdf_open(bytes: &[u8]) -> Result<(Document, Vec<ObjectId>), ImageError> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_OBJECT_STREAM),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, options).map_err(|e| damaged(Kind::Pdf, e))?;
    if doc.is_encrypted() && doc.encryption_state.is_none() {
        return Err(ImageError::Encrypted);
    }
    let mut pages = Vec::new();
    for id in doc.page_iter() {
        if pages.len() == MAX_PAGES {
            return Err(ImageError::TooManyPages);
        }
        pages.push(id);
    }
    if pages.is_empty() {
        return Err(damaged(Kind::Pdf, "no pages"));
    }
    Ok((doc, pages))
}

/// A dictionary's entry, references followed.
fn entry<'d>(doc: &'d Document, dict: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    let object = dict.get(key).ok()?;
    doc.dereference(object).ok().map(|(_, o)| o)
}

fn int(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<i64> {
    entry(doc, dict, key)?.as_i64().ok()
}

fn flag(doc: &Document, dict: &Dictionary, key: &[u8]) -> bool {
    entry(doc, dict, key).is_some_and(|o| o.as_bool().unwrap_or(false))
}

/// An entry a page inherits from its ancestors in the page tree.
fn inherited<'d>(doc: &'d Document, page: &'d Dictionary, key: &[u8]) -> Option<&'d Object> {
    let mut node = page;
    for _ in 0..MAX_PARENTS {
        if let Some(o) = entry(doc, node, key) {
            return Some(o);
        }
        node = entry(doc, node, b"Parent")?.as_dict().ok()?;
    }
    None
}

fn name_text(name: &[u8]) -> String {
    format!("/{}", String::from_utf8_lossy(name))
}

/// The image a page shows: the images its content stream draws (`Do`), directly or inside
/// forms, the largest by area when there are several (a scanner draws one, covering the page;
/// a logo or a stamp beside it is smaller). Inline images are not looked at.
fn page_image(doc: &Document, page_id: ObjectId) -> Result<&Stream, ImageError> {
    let page = doc
        .get_dictionary(page_id)
        .map_err(|e| damaged(Kind::Pdf, e))?;
    let resources = inherited(doc, page, b"Resources").and_then(|o| o.as_dict().ok());
    let content = doc
        .get_page_content_with_limit(page_id, MAX_CONTENT)
        .map_err(|e| damaged(Kind::Pdf, e))?;
    let mut found = Found {
        best: None,
        forms: 0,
    };
    found.visit(doc, &content, resources, 0)?;
    found.best.map(|(_, s)| s).ok_or(ImageError::NoImage)
}

/// The images a page draws, searched through its forms.
struct Found<'d> {
    /// The largest image so far, with its area.
    best: Option<(u64, &'d Stream)>,
    /// Forms looked into so far.
    forms: usize,
}

impl<'d> Found<'d> {
    fn visit(
        &mut self,
        doc: &'d Document,
        content: &[u8],
        resources: Option<&'d Dictionary>,
        depth: usize,
    ) -> Result<(), ImageError> {
        let ops = Content::decode(content).map_err(|e| damaged(Kind::Pdf, e))?;
        let xobjects = resources
            .and_then(|r| entry(doc, r, b"XObject"))
            .and_then(|o| o.as_dict().ok());
        for op in ops.operations.iter().filter(|op| op.operator == "Do") {
            let Some(name) = op.operands.first().and_then(|o| o.as_name().ok()) else {
                continue;
            };
            let Some(stream) = xobjects
                .and_then(|x| entry(doc, x, name))
                .and_then(|o| o.as_stream().ok())
            else {
                continue;
            };
            match entry(doc, &stream.dict, b"Subtype").and_then(|o| o.as_name().ok()) {
                Some(b"Image") => {
                    let side = |k: &[u8]| {
                        int(doc, &stream.dict, k).map_or(0, |v| u64::try_from(v).unwrap_or(0))
                    };
                    let area = side(b"Width").saturating_mul(side(b"Height"));
                    if self.best.is_none_or(|(best, _)| area > best) {
                        self.best = Some((area, stream));
                    }
                }
                Some(b"Form") if depth < MAX_FORM_DEPTH && self.forms < MAX_FORMS => {
                    self.forms += 1;
                    let inner = stream
                        .get_plain_content_with_limit(MAX_CONTENT)
                        .map_err(|e| damaged(Kind::Pdf, e))?;
                    let own = entry(doc, &stream.dict, b"Resources").and_then(|o| o.as_dict().ok());
                    self.visit(doc, &inner, own.or(resources), depth + 1)?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// A PDF image's colour space.
enum Space {
    Gray,
    Rgb,
    Cmyk,
    /// A palette: its highest index, and each entry's gray.
    Indexed(u8, Box<[u8; 256]>),
}

fn colour_space(doc: &Document, object: &Object, depth: usize) -> Result<Space, ImageError> {
    let object = doc
        .dereference(object)
        .map_err(|e| damaged(Kind::Pdf, e))?
        .1;
    let unsupported = |name: &[u8]| ImageError::Unsupported(Feature::ColourSpace(name_text(name)));
    if let Ok(name) = object.as_name() {
        return match name {
            b"DeviceGray" | b"G" | b"CalGray" => Ok(Space::Gray),
            b"DeviceRGB" | b"RGB" | b"CalRGB" => Ok(Space::Rgb),
            b"DeviceCMYK" | b"CMYK" => Ok(Space::Cmyk),
            other => Err(unsupported(other)),
        };
    }
    let array = object.as_array().map_err(|e| damaged(Kind::Pdf, e))?;
    let family = array
        .first()
        .and_then(|o| o.as_name().ok())
        .ok_or_else(|| damaged(Kind::Pdf, "a colour space without a name"))?;
    match family {
        b"CalGray" => Ok(Space::Gray),
        b"CalRGB" => Ok(Space::Rgb),
        b"ICCBased" => {
            let profile = array
                .get(1)
                .and_then(|o| doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_stream().ok())
                .ok_or_else(|| damaged(Kind::Pdf, "an ICC colour space without its profile"))?;
            match int(doc, &profile.dict, b"N") {
                Some(1) => Ok(Space::Gray),
                Some(3) => Ok(Space::Rgb),
                Some(4) => Ok(Space::Cmyk),
                _ => Err(unsupported(b"ICCBased")),
            }
        }
        b"Indexed" | b"I" if depth == 0 => indexed(doc, array),
        other => Err(unsupported(other)),
    }
}

/// `[/Indexed base hival lookup]`: each entry's gray, from its base colour.
fn indexed(doc: &Document, array: &[Object]) -> Result<Space, ImageError> {
    let bad = |what: &str| damaged(Kind::Pdf, what);
    let base = colour_space(
        doc,
        array
            .get(1)
            .ok_or_else(|| bad("a palette without its base"))?,
        1,
    )?;
    let hival = array
        .get(2)
        .and_then(|o| o.as_i64().ok())
        .and_then(|v| u8::try_from(v).ok())
        .ok_or_else(|| bad("a palette's highest index is not 0 to 255"))?;
    let lookup = match array.get(3).map(|o| doc.dereference(o)) {
        Some(Ok((_, Object::String(bytes, _)))) => bytes.clone(),
        Some(Ok((_, Object::Stream(s)))) => s
            .get_plain_content_with_limit(1024)
            .map_err(|e| damaged(Kind::Pdf, e))?,
        _ => return Err(bad("a palette without its colours")),
    };
    let n = match base {
        Space::Gray => 1,
        Space::Rgb => 3,
        Space::Cmyk => 4,
        Space::Indexed(..) => return Err(bad("a palette over a palette")),
    };
    if lookup.len() < (usize::from(hival) + 1) * n {
        return Err(bad("a palette is shorter than its highest index"));
    }
    let mut table = [255u8; 256];
    for (t, c) in table.iter_mut().zip(lookup.chunks_exact(n)) {
        *t = match c {
            [g] => *g,
            [r, g, b] => luma(*r, *g, *b),
            [c, m, y, k] => cmyk_gray(*c, *m, *y, *k),
            _ => 255,
        };
    }
    Ok(Space::Indexed(hival, Box::new(table)))
}

/// Whether a number object is exactly `v`.
fn is_number(o: &Object, v: i64) -> bool {
    match o {
        Object::Integer(i) => *i == v,
        Object::Real(r) => i32::try_from(v).is_ok_and(|v| f64::from(*r) == f64::from(v)),
        _ => false,
    }
}

/// A `/Decode` array as an inversion for each component: only the default `[0 max]` and its
/// inverse `[max 0]` (what a scanner writes for "1 is black") are read.
fn inversions(
    doc: &Document,
    dict: &Dictionary,
    components: usize,
    max: i64,
) -> Result<Vec<bool>, ImageError> {
    let Some(array) = entry(doc, dict, b"Decode").and_then(|o| o.as_array().ok()) else {
        return Ok(vec![false; components]);
    };
    if array.len() != 2 * components {
        return Err(ImageError::Unsupported(Feature::DecodeArray));
    }
    array
        .chunks_exact(2)
        .map(|pair| match pair {
            [a, b] if is_number(a, 0) && is_number(b, max) => Ok(false),
            [a, b] if is_number(a, max) && is_number(b, 0) => Ok(true),
            _ => Err(ImageError::Unsupported(Feature::DecodeArray)),
        })
        .collect()
}

/// How an image dictionary's samples give gray: `/ImageMask` (0 paints black unless
/// `/Decode [1 0]`), `/ColorSpace`, `/BitsPerComponent` and `/Decode`.
fn pdf_samples(doc: &Document, dict: &Dictionary, width: usize) -> Result<Samples, ImageError> {
    if flag(doc, dict, b"ImageMask") {
        let invert = inversions(doc, dict, 1, 1)?.first() == Some(&true);
        let mut samples = Samples::plain(width, 1, Model::Gray);
        // Painted (black) where the sample is 0, or 1 with /Decode [1 0].
        samples.tables = vec![scale_table(1, invert)];
        return Ok(samples);
    }
    let bits = int(doc, dict, b"BitsPerComponent").unwrap_or(8);
    let bits = match bits {
        1 | 2 | 4 | 8 | 16 => u8::try_from(bits).unwrap_or(8),
        other => return Err(ImageError::Unsupported(Feature::Bits(other))),
    };
    let space = match entry(doc, dict, b"ColorSpace") {
        Some(o) => colour_space(doc, o, 0)?,
        None => return Err(damaged(Kind::Pdf, "an image without a colour space")),
    };
    let (model, max) = match &space {
        Space::Gray => (Model::Gray, 1),
        Space::Rgb => (Model::Rgb, 1),
        Space::Cmyk => (Model::Cmyk, 1),
        Space::Indexed(..) if bits == 16 => return Err(ImageError::Unsupported(Feature::Bits(16))),
        Space::Indexed(..) => (Model::Gray, (1i64 << bits) - 1),
    };
    let flips = inversions(doc, dict, model.components(), max)?;
    let tables = match space {
        Space::Indexed(hival, palette) => {
            let invert = flips.first() == Some(&true);
            let max = u8::try_from(max).unwrap_or(u8::MAX);
            let mut table = [255u8; 256];
            for (v, t) in (0..=max).zip(table.iter_mut()) {
                let index = if invert { max - v } else { v };
                *t = palette[usize::from(index.min(hival))];
            }
            vec![table]
        }
        _ => flips.iter().map(|&f| scale_table(bits, f)).collect(),
    };
    Ok(Samples {
        width,
        bits,
        model,
        tables,
    })
}

/// The dots an inch of a scanned page: the image's longer side in pixels over the page's
/// longer side in inches (a `/MediaBox` is in 1/72 inch), so that a page's orientation or
/// `/Rotate` does not matter. The image is taken to cover the page, as scanners draw it.
#[expect(
    clippy::float_arithmetic,
    clippy::cast_possible_truncation,
    reason = "a MediaBox is in real numbers; the result is rounded to whole dots and range-checked"
)]
fn pdf_dpi(doc: &Document, page: &Dictionary, width: u32, height: u32) -> Option<u32> {
    let media = inherited(doc, page, b"MediaBox")?.as_array().ok()?;
    let mut v = [0f64; 4];
    for (slot, o) in v.iter_mut().zip(media) {
        *slot = f64::from(doc.dereference(o).ok()?.1.as_float().ok()?);
    }
    let side = (v[2] - v[0]).abs().max((v[3] - v[1]).abs());
    if side.is_nan() || side < 1.0 {
        return None;
    }
    let dpi = (f64::from(width.max(height)) * 72.0 / side).round();
    (1.0..=100_000.0).contains(&dpi).then_some(dpi as u32)
}

/// A PDF stream's filters, by name, references followed.
fn filters<'d>(doc: &'d Document, dict: &'d Dictionary) -> Result<Vec<&'d [u8]>, ImageError> {
    match entry(doc, dict, b"Filter") {
        None | Some(Object::Null) => Ok(Vec::new()),
        Some(Object::Name(name)) => Ok(vec![name.as_slice()]),
        Some(Object::Array(names)) => names
            .iter()
            .map(|o| {
                doc.dereference(o)
                    .ok()
                    .and_then(|(_, o)| o.as_name().ok())
                    .ok_or_else(|| damaged(Kind::Pdf, "a filter is not a name"))
            })
            .collect(),
        Some(_) => Err(damaged(Kind::Pdf, "a filter is not a name")),
    }
}

/// The page's image decoded, whatever its filter. `/Rotate` is not applied: the reader of
/// ballots finds a page's orientation itself, as it must for a sheet fed upside down. A soft
/// mask (`/SMask`) is not applied either: a scan is opaque. A DCT (JPEG) image's colours are
/// the JPEG's own, its `/ColorSpace` and `/Decode` unread: the usual `/Decode [1 0 1 0 1 0 1 0]`
/// of an Adobe CMYK JPEG says what the decoder already assumes (inverted samples).
fn pdf_page(doc: &Document, page_id: ObjectId) -> Result<Gray, ImageError> {
    let stream = page_image(doc, page_id)?;
    let dict = &stream.dict;
    let page = doc
        .get_dictionary(page_id)
        .map_err(|e| damaged(Kind::Pdf, e))?;
    let names = filters(doc, dict)?;
    let params = match entry(doc, dict, b"DecodeParms") {
        Some(Object::Dictionary(d)) => Some(d),
        Some(Object::Array(a)) => a
            .first()
            .and_then(|o| doc.dereference(o).ok())
            .and_then(|(_, o)| o.as_dict().ok()),
        _ => None,
    };
    let mut gray = match names.as_slice() {
        [b"DCTDecode" | b"DCT"] => jpeg_page(&stream.content, Kind::Pdf)?,
        [] | [b"FlateDecode" | b"Fl"] | [b"CCITTFaxDecode" | b"CCF"] => {
            let side = |k: &[u8]| int(doc, dict, k).map_or(0, |v| u64::try_from(v).unwrap_or(0));
            let (w, h) = (side(b"Width"), side(b"Height"));
            let pixels = check_size(w, h)?;
            let width = u32::try_from(w).map_err(|e| damaged(Kind::Pdf, e))?;
            let height = u32::try_from(h).map_err(|e| damaged(Kind::Pdf, e))?;
            let samples = pdf_samples(doc, dict, pixels / usize::try_from(h).unwrap_or(1))?;
            let rows = pixels / samples.width.max(1);
            let pixels = match names.first().copied() {
                None => raw_rows(&stream.content[..], &samples, rows, Predictor::None)?,
                Some(b"CCITTFaxDecode" | b"CCF") => {
                    ccitt(doc, &stream.content, params, &samples, rows)?
                }
                Some(_) => {
                    let predictor = predictor(doc, params, &samples)?;
                    let input = flate2::read::ZlibDecoder::new(&stream.content[..]);
                    raw_rows(input, &samples, rows, predictor)?
                }
            };
            Gray {
                width,
                height,
                pixels,
                dpi: None,
            }
        }
        [one] => return Err(ImageError::Filter(name_text(one))),
        several => {
            let names: Vec<String> = several.iter().map(|n| name_text(n)).collect();
            return Err(ImageError::Filter(names.join(" + ")));
        }
    };
    gray.dpi = pdf_dpi(doc, page, gray.width, gray.height);
    Ok(gray)
}

/// How rows were predicted before compression (`/DecodeParms /Predictor`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Predictor {
    None,
    /// TIFF predictor 2, for 8 bits a sample: each sample is the difference from the same
    /// component of the pixel to its left.
    Tiff(usize),
    /// PNG filters, chosen row by row; the bytes a pixel (at least 1).
    Png(usize),
}

fn predictor(
    doc: &Document,
    params: Option<&Dictionary>,
    samples: &Samples,
) -> Result<Predictor, ImageError> {
    let Some(params) = params else {
        return Ok(Predictor::None);
    };
    let p = int(doc, params, b"Predictor").unwrap_or(1);
    let colors = int(doc, params, b"Colors").unwrap_or(1);
    let bits = int(doc, params, b"BitsPerComponent").unwrap_or(8);
    let columns = int(doc, params, b"Columns").unwrap_or(1);
    let components = samples.model.components();
    // The predictor's rows must be the image's rows.
    let matches = usize::try_from(colors).is_ok_and(|c| c == components)
        && bits == i64::from(samples.bits)
        && usize::try_from(columns).is_ok_and(|c| c == samples.width);
    match p {
        1 => Ok(Predictor::None),
        2 if matches && samples.bits == 8 => Ok(Predictor::Tiff(components)),
        10..=15 if matches => {
            let bytes = (components * usize::from(samples.bits) / 8).max(1);
            Ok(Predictor::Png(bytes))
        }
        other => Err(ImageError::Unsupported(Feature::Predictor(other))),
    }
}

/// Rows of samples from `input` (raw, or inflating as it is read), undoing a predictor, to
/// gray: only two rows of samples are held at a time.
fn raw_rows(
    mut input: impl Read,
    samples: &Samples,
    rows: usize,
    predictor: Predictor,
) -> Result<Vec<u8>, ImageError> {
    let len = samples.row_bytes();
    let mut out = vec![0u8; samples.width * rows];
    let filter_byte = usize::from(matches!(predictor, Predictor::Png(_)));
    let mut row = vec![0u8; len + filter_byte];
    let mut previous = vec![0u8; len];
    for line in out.chunks_exact_mut(samples.width.max(1)) {
        input
            .read_exact(&mut row)
            .map_err(|e| read_error(Kind::Pdf, &e))?;
        let data = match predictor {
            Predictor::None => &row[..],
            Predictor::Tiff(bpp) => {
                for i in bpp..row.len() {
                    row[i] = row[i].wrapping_add(row[i - bpp]);
                }
                &row[..]
            }
            Predictor::Png(bpp) => {
                let (kind, data) = row.split_at_mut(1);
                unfilter(kind[0], data, &previous, bpp)?;
                previous.copy_from_slice(data);
                &previous[..]
            }
        };
        samples.convert(data, line);
    }
    Ok(out)
}

/// Undoes one row's PNG filter, given the row above (zeros above the first).
fn unfilter(kind: u8, row: &mut [u8], above: &[u8], bpp: usize) -> Result<(), ImageError> {
    for i in 0..row.len() {
        let a = if i >= bpp { row[i - bpp] } else { 0 };
        let b = above.get(i).copied().unwrap_or(0);
        let c = if i >= bpp {
            above.get(i - bpp).copied().unwrap_or(0)
        } else {
            0
        };
        let predicted = match kind {
            0 => 0,
            1 => a,
            2 => b,
            3 => u8::try_from((u16::from(a) + u16::from(b)) / 2).unwrap_or(0),
            4 => crate::encode::paeth(a, b, c),
            _ => return Err(damaged(Kind::Pdf, "a row's PNG filter is unknown")),
        };
        row[i] = row[i].wrapping_add(predicted);
    }
    Ok(())
}

/// A CCITT fax image (`/CCITTFaxDecode`) through the `fax` crate: Group 4 (`/K` below 0), and
/// one-dimensional Group 3 (`/K 0`) with end-of-line codes (`/EndOfLine true`); the crate does
/// not decode two-dimensional Group 3 nor byte-aligned Group 4, which are refused by name. The decoder gives black and white;
/// `/BlackIs1` says which sample value each is, and the image's `/Decode` or mask turns the
/// sample into gray, as a PDF viewer does. A Group 4 stream that ends before its last rows
/// leaves them white, as the fax crate's own decoder does (encoders omit blank rows at the end).
fn ccitt(
    doc: &Document,
    data: &[u8],
    params: Option<&Dictionary>,
    samples: &Samples,
    rows: usize,
) -> Result<Vec<u8>, ImageError> {
    let param = |k: &[u8]| params.and_then(|p| int(doc, p, k));
    let set = |k: &[u8]| params.is_some_and(|p| flag(doc, p, k));
    let k = param(b"K").unwrap_or(0);
    let columns = param(b"Columns").unwrap_or(1728);
    if samples.bits != 1 || samples.model != Model::Gray {
        return Err(damaged(
            Kind::Pdf,
            "a fax image that is not one bit a pixel",
        ));
    }
    if usize::try_from(columns).ok() != Some(samples.width) {
        return Err(damaged(
            Kind::Pdf,
            "the fax image's /Columns differ from its /Width",
        ));
    }
    let width = u16::try_from(samples.width)
        .map_err(|_| damaged(Kind::Pdf, "a fax image wider than 65,535 pixels"))?;
    let table = samples.tables.first().copied().unwrap_or([0; 256]);
    let (black, white) = if set(b"BlackIs1") {
        (table[1], table[0])
    } else {
        (table[0], table[1])
    };
    let fill = |line: &mut [u8], transitions: &[u16]| {
        for (o, c) in line.iter_mut().zip(fax::decoder::pels(transitions, width)) {
            *o = if c == fax::Color::Black { black } else { white };
        }
    };
    let mut out = vec![white; samples.width * rows];
    let lines = out.chunks_exact_mut(samples.width);
    let bytes = data.iter().copied().map(Ok::<u8, Infallible>);
    let bad = || damaged(Kind::Pdf, "the fax data is damaged");
    if k < 0 {
        if set(b"EncodedByteAlign") {
            return Err(ImageError::Unsupported(Feature::EncodedByteAlign));
        }
        let mut decoder = fax::decoder::Group4Decoder::new(bytes, width)
            .map_err(|e: Infallible| -> ImageError { match e {} })?;
        for line in lines {
            match decoder.advance().map_err(|_| bad())? {
                fax::decoder::DecodeStatus::End => break,
                fax::decoder::DecodeStatus::Incomplete => fill(line, decoder.transition()),
            }
        }
    } else if k == 0 {
        // The fax crate finds rows by their end-of-line codes: without them it would run one
        // row into the next.
        if !set(b"EndOfLine") {
            return Err(ImageError::Unsupported(Feature::Group3WithoutEol));
        }
        let mut decoder = fax::decoder::Group3Decoder::new(bytes).map_err(|_| bad())?;
        let last = rows.saturating_sub(1);
        for (y, line) in lines.enumerate() {
            let status = decoder.advance();
            // The last row needs no end-of-line code after it.
            if status.is_err() && y != last {
                return Err(bad());
            }
            // A row's runs end exactly at its width.
            if decoder.transitions().last() != Some(&width) {
                return Err(bad());
            }
            fill(line, decoder.transitions());
            if status.is_ok_and(|s| s == fax::decoder::DecodeStatus::End) {
                break;
            }
        }
    } else {
        return Err(ImageError::Unsupported(Feature::Group3TwoD));
    }
    Ok(out)
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use std::time::{Duration, Instant};

    use lopdf::dictionary;

    use super::*;

    const W: u32 = 40;
    const H: u32 = 20;

    /// The test gradient's gray at (x, y): every row different, every value of a row too.
    fn grad(x: u32, y: u32) -> u8 {
        u8::try_from((x * 6 + y * 5) % 256).unwrap()
    }

    fn gradient() -> Vec<u8> {
        (0..H)
            .flat_map(|y| (0..W).map(move |x| grad(x, y)))
            .collect()
    }

    /// An RGB image whose every pixel has a different colour, and its gray.
    fn colours() -> (Vec<u8>, Vec<u8>) {
        let mut rgb = Vec::new();
        let mut gray = Vec::new();
        for y in 0..H {
            for x in 0..W {
                let (r, g, b) = (grad(x, y), 255 - grad(x, y), u8::try_from(x * 6).unwrap());
                rgb.extend([r, g, b]);
                gray.push(luma(r, g, b));
            }
        }
        (rgb, gray)
    }

    /// Every page of a file, decoded.
    fn all_pages(bytes: &[u8]) -> Result<Vec<Gray>, ImageError> {
        let file = ScanFile::open(bytes)?;
        (0..file.pages()).map(|i| file.page(i)).collect()
    }

    fn one_page(bytes: &[u8]) -> Gray {
        let mut pages = all_pages(bytes).unwrap();
        assert_eq!(pages.len(), 1);
        pages.pop().unwrap()
    }

    fn png(
        width: u32,
        height: u32,
        colour: png::ColorType,
        depth: png::BitDepth,
        data: &[u8],
        setup: impl FnOnce(&mut png::Encoder<'static, &mut Vec<u8>>),
    ) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut out, width, height);
            encoder.set_color(colour);
            encoder.set_depth(depth);
            setup(&mut encoder);
            let mut writer = encoder.write_header().unwrap();
            writer.write_image_data(data).unwrap();
        }
        out
    }

    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend(u32::try_from(data.len()).unwrap().to_be_bytes());
        out.extend(kind);
        out.extend(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend(crc.sum().to_be_bytes());
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        use std::io::Write as _;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(data).unwrap();
        z.finish().unwrap()
    }

    /// An 8-bit gray PNG written by hand: `interlace` 1 writes Adam7 passes, which the png
    /// crate's encoder does not.
    fn png_by_hand(width: u32, height: u32, pixels: &[u8], interlace: u8) -> Vec<u8> {
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend(width.to_be_bytes());
        ihdr.extend(height.to_be_bytes());
        ihdr.extend([8, 0, 0, 0, interlace]);
        chunk(&mut out, b"IHDR", &ihdr);
        let passes: &[(u32, u32, u32, u32)] = if interlace == 1 {
            &[
                (0, 0, 8, 8),
                (4, 0, 8, 8),
                (0, 4, 4, 8),
                (2, 0, 4, 4),
                (0, 2, 2, 4),
                (1, 0, 2, 2),
                (0, 1, 1, 2),
            ]
        } else {
            &[(0, 0, 1, 1)]
        };
        let mut raw = Vec::new();
        for &(x0, y0, dx, dy) in passes {
            for y in (y0..height).step_by(dy as usize) {
                let row: Vec<u8> = (x0..width)
                    .step_by(dx as usize)
                    .map(|x| pixels[(y * width + x) as usize])
                    .collect();
                if !row.is_empty() {
                    raw.push(0);
                    raw.extend(row);
                }
            }
        }
        if !pixels.is_empty() {
            chunk(&mut out, b"IDAT", &zlib(&raw));
        }
        chunk(&mut out, b"IEND", &[]);
        out
    }

    /// Bits packed eight a byte, rows starting on a byte, from a pixel's bit.
    fn pack_bits(width: u32, height: u32, bit: impl Fn(u32, u32) -> bool) -> Vec<u8> {
        let row_bytes = width.div_ceil(8);
        let mut out = vec![0u8; (row_bytes * height) as usize];
        for y in 0..height {
            for x in 0..width {
                if bit(x, y) {
                    out[(y * row_bytes + x / 8) as usize] |= 0x80 >> (x % 8);
                }
            }
        }
        out
    }

    fn checker(x: u32, y: u32) -> bool {
        (x / 3 + y / 2).is_multiple_of(2)
    }

    /// A JPEG from jpeg-encoder, at the highest quality, with a JFIF density of 200 dpi.
    fn jpeg(width: u16, height: u16, data: &[u8], colour: jpeg_encoder::ColorType) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut out, 100);
        encoder.set_density(jpeg_encoder::PixelDensity::dpi(200));
        encoder.encode(data, width, height, colour).unwrap();
        out
    }

    /// Blocks of flat colour, 8×8 aligned, so that a JPEG keeps them almost exactly.
    fn blocks(x: u32, y: u32) -> usize {
        ((x / 8) + 2 * (y / 8)) as usize % 4
    }

    fn assert_near(got: &[u8], want: &[u8], tolerance: u8) {
        assert_eq!(got.len(), want.len());
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(g.abs_diff(*w) <= tolerance, "pixel {i}: {g} for {w}");
        }
    }

    /// A one-page uncompressed little-endian TIFF written by hand, for what the tiff crate's
    /// encoder does not write (1 bit a pixel, WhiteIsZero, a colour map).
    fn tiff_by_hand(width: u32, height: u32, bits: u32, photometric: u32, data: &[u8]) -> Vec<u8> {
        let mut entries: Vec<(u16, u16, u32)> = vec![
            (256, 4, width),
            (257, 4, height),
            (258, 3, bits),
            (259, 3, 1),
            (262, 3, photometric),
            (273, 4, 0),
            (278, 4, height),
            (279, 4, u32::try_from(data.len()).unwrap()),
        ];
        let ifd_len = 2 + 12 * entries.len() + 4;
        let data_at = 8 + ifd_len;
        entries[5].2 = u32::try_from(data_at).unwrap();
        let mut out = b"II*\0".to_vec();
        out.extend(8u32.to_le_bytes());
        out.extend(u16::try_from(entries.len()).unwrap().to_le_bytes());
        for (tag, kind, value) in entries {
            out.extend(tag.to_le_bytes());
            out.extend(kind.to_le_bytes());
            out.extend(1u32.to_le_bytes());
            out.extend(value.to_le_bytes());
        }
        out.extend(0u32.to_le_bytes());
        out.extend(data);
        out
    }

    /// One PDF page: an image XObject and how it is drawn.
    struct PdfPage {
        /// The image's dictionary (without /Type, /Subtype, /Length) and its stream data.
        images: Vec<(Dictionary, Vec<u8>)>,
        /// Draw the image through a form XObject.
        via_form: bool,
        /// The page's size in points.
        media: (f32, f32),
        /// A page that draws no image: only these operators.
        vector: Option<&'static str>,
    }

    impl PdfPage {
        fn image(dict: Dictionary, data: Vec<u8>) -> Self {
            Self {
                images: vec![(dict, data)],
                via_form: false,
                media: (595.0, 842.0),
                vector: None,
            }
        }
    }

    fn pdf(pages: Vec<PdfPage>) -> Vec<u8> {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let mut kids = Vec::new();
        for page in pages {
            let mut xobjects = Dictionary::new();
            let mut ops = String::new();
            for (i, (mut dict, data)) in page.images.into_iter().enumerate() {
                dict.set("Type", "XObject");
                dict.set("Subtype", "Image");
                let id = doc.add_object(Stream::new(dict, data));
                xobjects.set(format!("Im{i}"), id);
                ops.push_str(&format!("q 100 0 0 100 0 0 cm /Im{i} Do Q\n"));
            }
            if page.via_form {
                let form = Stream::new(
                    dictionary! {
                        "Type" => "XObject", "Subtype" => "Form",
                        "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()],
                        "Resources" => dictionary! { "XObject" => xobjects },
                    },
                    ops.into_bytes(),
                );
                let form_id = doc.add_object(form);
                xobjects = dictionary! { "Fm0" => form_id };
                ops = "q /Fm0 Do Q".to_owned();
            }
            if let Some(vector) = page.vector {
                ops = vector.to_owned();
            }
            let contents = doc.add_object(Stream::new(Dictionary::new(), ops.into_bytes()));
            let (w, h) = page.media;
            let page_id = doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "MediaBox" => vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)],
                "Contents" => contents,
                "Resources" => dictionary! { "XObject" => xobjects },
            });
            kids.push(Object::Reference(page_id));
        }
        let count = i64::try_from(kids.len()).unwrap();
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    }

    fn image_dict(width: u32, height: u32, bits: i64, space: Object) -> Dictionary {
        dictionary! {
            "Width" => i64::from(width),
            "Height" => i64::from(height),
            "BitsPerComponent" => bits,
            "ColorSpace" => space,
        }
    }

    /// Rows PNG-filtered as a PDF's /Predictor 15 stores them, each row with the next of the
    /// five filters in turn.
    fn png_filtered(data: &[u8], row_len: usize, bpp: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let zero = vec![0u8; row_len];
        for (y, row) in data.chunks(row_len).enumerate() {
            let above = if y == 0 {
                &zero[..]
            } else {
                &data[(y - 1) * row_len..y * row_len]
            };
            let kind = u8::try_from(y % 5).unwrap();
            out.push(kind);
            for i in 0..row_len {
                let a = if i >= bpp { row[i - bpp] } else { 0 };
                let b = above[i];
                let c = if i >= bpp { above[i - bpp] } else { 0 };
                let p = match kind {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => u8::try_from((u16::from(a) + u16::from(b)) / 2).unwrap(),
                    _ => crate::encode::paeth(a, b, c),
                };
                out.push(row[i].wrapping_sub(p));
            }
        }
        out
    }

    /// A CCITT Group 4 stream of a 1-bit image, from the fax crate's encoder.
    fn g4(width: u16, height: u32, black: impl Fn(u32, u32) -> bool) -> Vec<u8> {
        let mut encoder = fax::encoder::Encoder::new(fax::VecWriter::new());
        for y in 0..height {
            let pels = (0..u32::from(width)).map(|x| {
                if black(x, y) {
                    fax::Color::Black
                } else {
                    fax::Color::White
                }
            });
            encoder.encode_line(pels, width).unwrap();
        }
        encoder.finish().unwrap().finish()
    }

    /// Files are told apart by their first bytes, not their names.
    #[test]
    fn sniffs_by_magic_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(Kind::Png));
        assert_eq!(sniff(&[0xff, 0xd8, 0xff, 0xe0]), Some(Kind::Jpeg));
        assert_eq!(sniff(b"II*\0\x08\0\0\0"), Some(Kind::Tiff));
        assert_eq!(sniff(b"MM\0*\0\0\0\x08"), Some(Kind::Tiff));
        assert_eq!(sniff(b"II+\0\x08\0\0\0"), Some(Kind::Tiff));
        assert_eq!(sniff(b"P5\n16 16\n255\n"), Some(Kind::Pnm));
        assert_eq!(sniff(b"P6 16 16 255 "), Some(Kind::Pnm));
        assert_eq!(sniff(b"P4\n16 16\n"), Some(Kind::Pnm));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(Kind::Pdf));
        assert_eq!(sniff(b"\r\njunk %PDF-1.4\n"), Some(Kind::Pdf));
        assert_eq!(sniff(b"P3 16 16 255"), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(
            ScanFile::open(b"hello").unwrap_err(),
            ImageError::UnknownFormat
        );
    }

    /// PNG of every colour type, bit depth and interlacing comes out as the same gray.
    #[test]
    fn png_every_colour_type() {
        use png::{BitDepth as D, ColorType as C};
        let gray = gradient();
        // 8-bit gray, and written by hand both plain and interlaced (Adam7).
        let plain = png(W, H, C::Grayscale, D::Eight, &gray, |_| {});
        assert_eq!(one_page(&plain).pixels, gray);
        assert_eq!(one_page(&png_by_hand(W, H, &gray, 0)).pixels, gray);
        assert_eq!(one_page(&png_by_hand(W, H, &gray, 1)).pixels, gray);
        // 16-bit gray: read by its high byte.
        let wide: Vec<u8> = gray.iter().flat_map(|&v| [v, 255 - v]).collect();
        assert_eq!(
            one_page(&png(W, H, C::Grayscale, D::Sixteen, &wide, |_| {})).pixels,
            gray
        );
        // 1-bit gray: 0 black, 1 white.
        let bits = pack_bits(W, H, checker);
        let want: Vec<u8> = (0..H)
            .flat_map(|y| (0..W).map(move |x| if checker(x, y) { 255 } else { 0 }))
            .collect();
        assert_eq!(
            one_page(&png(W, H, C::Grayscale, D::One, &bits, |_| {})).pixels,
            want
        );
        // RGB, and RGBA whose alpha is composited on white.
        let (rgb, rgb_gray) = colours();
        assert_eq!(
            one_page(&png(W, H, C::Rgb, D::Eight, &rgb, |_| {})).pixels,
            rgb_gray
        );
        let alpha = |i: usize| u8::try_from(i * 7 % 256).unwrap();
        let rgba: Vec<u8> = rgb
            .chunks(3)
            .enumerate()
            .flat_map(|(i, p)| [p[0], p[1], p[2], alpha(i)])
            .collect();
        let want: Vec<u8> = rgb_gray
            .iter()
            .enumerate()
            .map(|(i, &v)| over_white(v, alpha(i)))
            .collect();
        assert_eq!(
            one_page(&png(W, H, C::Rgba, D::Eight, &rgba, |_| {})).pixels,
            want
        );
        let ga: Vec<u8> = gray
            .iter()
            .enumerate()
            .flat_map(|(i, &v)| [v, alpha(i)])
            .collect();
        let want: Vec<u8> = gray
            .iter()
            .enumerate()
            .map(|(i, &v)| over_white(v, alpha(i)))
            .collect();
        assert_eq!(
            one_page(&png(W, H, C::GrayscaleAlpha, D::Eight, &ga, |_| {})).pixels,
            want
        );
        // A 2-bit palette, one entry transparent (white on paper).
        let palette = [10, 20, 30, 200, 100, 0, 0, 0, 255, 90, 90, 90];
        let index = |x: u32, y: u32| u8::try_from((x + y) % 4).unwrap();
        let mut packed = vec![0u8; (W.div_ceil(4) * H) as usize];
        for y in 0..H {
            for x in 0..W {
                packed[(y * W.div_ceil(4) + x / 4) as usize] |= index(x, y) << (6 - 2 * (x % 4));
            }
        }
        let file = png(W, H, C::Indexed, D::Two, &packed, |e| {
            e.set_palette(palette.to_vec());
            e.set_trns(vec![255, 255, 0, 255]);
        });
        let want: Vec<u8> = (0..H)
            .flat_map(|y| (0..W).map(move |x| index(x, y)))
            .map(|i| {
                let p = &palette[usize::from(i) * 3..][..3];
                if i == 2 { 255 } else { luma(p[0], p[1], p[2]) }
            })
            .collect();
        assert_eq!(one_page(&file).pixels, want);
    }

    /// A PNG's pHYs in pixels a metre gives its dots an inch; without it there is none.
    #[test]
    fn png_resolution() {
        let gray = gradient();
        let file = png(
            W,
            H,
            png::ColorType::Grayscale,
            png::BitDepth::Eight,
            &gray,
            |e| {
                e.set_pixel_dims(Some(png::PixelDimensions {
                    xppu: 11_811,
                    yppu: 11_811,
                    unit: png::Unit::Meter,
                }));
            },
        );
        let page = one_page(&file);
        assert_eq!((page.width, page.height, page.dpi), (W, H, Some(300)));
        assert_eq!(one_page(&png_by_hand(W, H, &gray, 0)).dpi, None);
    }

    /// JPEG in gray, YCbCr and Adobe CMYK decodes to the gray of its colours (JPEG is lossy:
    /// within 3 levels on flat 8×8 blocks), with the JFIF density as its resolution.
    #[test]
    fn jpeg_gray_colour_and_cmyk() {
        let (w, h) = (32u32, 32u32);
        let shades = [30u8, 90, 160, 230];
        let gray: Vec<u8> = (0..h)
            .flat_map(|y| (0..w).map(move |x| shades[blocks(x, y)]))
            .collect();
        let page = one_page(&jpeg(32, 32, &gray, jpeg_encoder::ColorType::Luma));
        assert_near(&page.pixels, &gray, 3);
        assert_eq!((page.width, page.height, page.dpi), (32, 32, Some(200)));

        let colours = [
            [200u8, 30, 30],
            [30, 160, 40],
            [20, 20, 220],
            [240, 240, 200],
        ];
        let rgb: Vec<u8> = (0..h)
            .flat_map(|y| (0..w).flat_map(move |x| colours[blocks(x, y)]))
            .collect();
        let want: Vec<u8> = rgb.chunks(3).map(|p| luma(p[0], p[1], p[2])).collect();
        let page = one_page(&jpeg(32, 32, &rgb, jpeg_encoder::ColorType::Rgb));
        assert_near(&page.pixels, &want, 3);

        let inks = [
            [0u8, 0, 0, 0],
            [0, 0, 0, 255],
            [200, 0, 0, 40],
            [0, 120, 200, 0],
        ];
        let cmyk: Vec<u8> = (0..h)
            .flat_map(|y| (0..w).flat_map(move |x| inks[blocks(x, y)]))
            .collect();
        let want: Vec<u8> = cmyk
            .chunks(4)
            .map(|p| cmyk_gray(p[0], p[1], p[2], p[3]))
            .collect();
        let page = one_page(&jpeg(32, 32, &cmyk, jpeg_encoder::ColorType::Cmyk));
        assert_near(&page.pixels, &want, 3);
    }

    /// Multi-page TIFF: each page its own colour type, decoded one at a time, with its
    /// resolution; 1-bit pages both ways round (BlackIsZero and WhiteIsZero).
    #[test]
    fn tiff_pages() {
        use tiff::encoder::{Rational, TiffEncoder, colortype};
        let gray = gradient();
        let (rgb, rgb_gray) = colours();
        let mut out = Cursor::new(Vec::new());
        {
            let mut encoder = TiffEncoder::new(&mut out).unwrap();
            let mut image = encoder.new_image::<colortype::Gray8>(W, H).unwrap();
            image.resolution(tiff::tags::ResolutionUnit::Inch, Rational { n: 300, d: 1 });
            image.write_data(&gray).unwrap();
            let mut image = encoder.new_image::<colortype::RGB8>(W, H).unwrap();
            image.resolution(
                tiff::tags::ResolutionUnit::Centimeter,
                Rational { n: 236, d: 4 },
            );
            image.write_data(&rgb).unwrap();
            let wide: Vec<u16> = gray.iter().map(|&v| u16::from(v) * 257).collect();
            encoder
                .write_image::<colortype::Gray16>(W, H, &wide)
                .unwrap();
        }
        let bytes = out.into_inner();
        let file = ScanFile::open(&bytes).unwrap();
        assert_eq!((file.kind(), file.pages()), (Kind::Tiff, 3));
        // Out of order, as a reader may ask.
        let page = file.page(1).unwrap();
        assert_eq!((page.pixels.clone(), page.dpi), (rgb_gray, Some(150)));
        let page = file.page(0).unwrap();
        assert_eq!((page.pixels.clone(), page.dpi), (gray.clone(), Some(300)));
        assert_eq!(file.page(2).unwrap().pixels, gray);
        assert_eq!(
            file.page(3).unwrap_err(),
            ImageError::NoSuchPage { index: 3, pages: 3 }
        );

        let bits = pack_bits(W, H, checker);
        let black_is_zero: Vec<u8> = (0..H)
            .flat_map(|y| (0..W).map(move |x| if checker(x, y) { 255 } else { 0 }))
            .collect();
        let white_is_zero: Vec<u8> = black_is_zero.iter().map(|v| 255 - v).collect();
        assert_eq!(
            one_page(&tiff_by_hand(W, H, 1, 1, &bits)).pixels,
            black_is_zero
        );
        assert_eq!(
            one_page(&tiff_by_hand(W, H, 1, 0, &bits)).pixels,
            white_is_zero
        );
        let inverted: Vec<u8> = gray.iter().map(|v| 255 - v).collect();
        assert_eq!(one_page(&tiff_by_hand(W, H, 8, 0, &gray)).pixels, inverted);
    }

    /// A TIFF whose chain of pages loops is damaged, not read forever.
    #[test]
    fn tiff_page_loop() {
        let mut bytes = tiff_by_hand(W, H, 8, 1, &gradient());
        // The IFD at 8 links back to itself.
        let link = 8 + 2 + 12 * 8;
        bytes[link..link + 4].copy_from_slice(&8u32.to_le_bytes());
        assert!(matches!(
            ScanFile::open(&bytes),
            Err(ImageError::Damaged {
                kind: Kind::Tiff,
                ..
            })
        ));
    }

    /// Binary PNM as pdftoppm writes it: P5 gray, P6 colour, P4 bits, 16-bit samples.
    #[test]
    fn pnm_kinds() {
        let gray = gradient();
        let mut p5 = format!("P5\n# pdftoppm\n{W} {H}\n255\n").into_bytes();
        p5.extend(&gray);
        assert_eq!(one_page(&p5).pixels, gray);
        let (rgb, rgb_gray) = colours();
        let mut p6 = format!("P6 {W} {H} 255 ").into_bytes();
        p6.extend(&rgb);
        assert_eq!(one_page(&p6).pixels, rgb_gray);
        let mut p4 = format!("P4\n{W} {H}\n").into_bytes();
        p4.extend(pack_bits(W, H, checker));
        let want: Vec<u8> = (0..H)
            .flat_map(|y| (0..W).map(move |x| if checker(x, y) { 0 } else { 255 }))
            .collect();
        assert_eq!(one_page(&p4).pixels, want);
        let mut p5_16 = format!("P5\n{W} {H}\n65535\n").into_bytes();
        p5_16.extend(gray.iter().flat_map(|&v| [v, 0]));
        assert_eq!(one_page(&p5_16).pixels, gray);
        let mut p5_15 = format!("P5\n{W} {H}\n15\n").into_bytes();
        p5_15.extend(gray.iter().map(|v| v / 17));
        let want: Vec<u8> = gray.iter().map(|v| v / 17 * 17).collect();
        assert_eq!(one_page(&p5_15).pixels, want);
    }

    /// PDF images inflated and unpredicted: PNG predictors (every row filter) and the TIFF
    /// predictor, gray and RGB, to the exact gray.
    #[test]
    fn pdf_flate_and_predictors() {
        let gray = gradient();
        let (rgb, rgb_gray) = colours();
        let gray_space = || Object::from("DeviceGray");

        // Flate with PNG predictors (every row filter), gray and RGB.
        let mut dict = image_dict(W, H, 8, gray_space());
        dict.set("Filter", "FlateDecode");
        dict.set(
            "DecodeParms",
            dictionary! { "Predictor" => 15, "Colors" => 1, "BitsPerComponent" => 8, "Columns" => i64::from(W) },
        );
        let data = zlib(&png_filtered(&gray, W as usize, 1));
        assert_eq!(
            one_page(&pdf(vec![PdfPage::image(dict, data)])).pixels,
            gray
        );
        let mut dict = image_dict(W, H, 8, "DeviceRGB".into());
        dict.set("Filter", "FlateDecode");
        dict.set(
            "DecodeParms",
            dictionary! { "Predictor" => 12, "Colors" => 3, "Columns" => i64::from(W) },
        );
        let data = zlib(&png_filtered(&rgb, 3 * W as usize, 3));
        assert_eq!(
            one_page(&pdf(vec![PdfPage::image(dict, data)])).pixels,
            rgb_gray
        );

        // Flate with the TIFF predictor, RGB.
        let mut differences = rgb.clone();
        for row in differences.chunks_mut(3 * W as usize) {
            for i in (3..row.len()).rev() {
                row[i] = row[i].wrapping_sub(row[i - 3]);
            }
        }
        let mut dict = image_dict(W, H, 8, "DeviceRGB".into());
        dict.set("Filter", "FlateDecode");
        dict.set(
            "DecodeParms",
            dictionary! { "Predictor" => 2, "Colors" => 3, "Columns" => i64::from(W) },
        );
        let page = PdfPage::image(dict, zlib(&differences));
        assert_eq!(one_page(&pdf(vec![page])).pixels, rgb_gray);
    }

    /// PDF images of 1 and 2 bits, masks, palettes, CMYK and DCT, each to the exact gray (DCT
    /// within JPEG's loss).
    #[test]
    fn pdf_bits_palettes_and_dct() {
        let (rgb, _) = colours();
        let gray_space = || Object::from("DeviceGray");
        // 1-bit gray: plain, and /Decode [1 0] (1 is black); an /ImageMask paints 0 black.
        let bits = pack_bits(W, H, checker);
        let ones_white: Vec<u8> = (0..H)
            .flat_map(|y| (0..W).map(move |x| if checker(x, y) { 255 } else { 0 }))
            .collect();
        let ones_black: Vec<u8> = ones_white.iter().map(|v| 255 - v).collect();
        let mut dict = image_dict(W, H, 1, gray_space());
        dict.set("Filter", "FlateDecode");
        assert_eq!(
            one_page(&pdf(vec![PdfPage::image(dict.clone(), zlib(&bits))])).pixels,
            ones_white
        );
        dict.set("Decode", vec![1.into(), 0.into()]);
        assert_eq!(
            one_page(&pdf(vec![PdfPage::image(dict, zlib(&bits))])).pixels,
            ones_black
        );
        let mask = dictionary! {
            "Width" => i64::from(W), "Height" => i64::from(H), "ImageMask" => true,
            "Filter" => "FlateDecode",
        };
        assert_eq!(
            one_page(&pdf(vec![PdfPage::image(mask, zlib(&bits))])).pixels,
            ones_white
        );

        // A 2-bit palette over RGB, uncompressed; CMYK.
        let palette = vec![0u8, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255];
        let index = |x: u32, y: u32| u8::try_from((x + 2 * y) % 4).unwrap();
        let mut packed = vec![0u8; (W.div_ceil(4) * H) as usize];
        for y in 0..H {
            for x in 0..W {
                packed[(y * W.div_ceil(4) + x / 4) as usize] |= index(x, y) << (6 - 2 * (x % 4));
            }
        }
        let space = vec![
            "Indexed".into(),
            "DeviceRGB".into(),
            3.into(),
            Object::string_literal(palette.clone()),
        ];
        let want: Vec<u8> = (0..H)
            .flat_map(|y| (0..W).map(move |x| index(x, y)))
            .map(|i| {
                let p = &palette[usize::from(i) * 3..][..3];
                luma(p[0], p[1], p[2])
            })
            .collect();
        let page = PdfPage::image(image_dict(W, H, 2, space.into()), packed);
        assert_eq!(one_page(&pdf(vec![page])).pixels, want);

        let cmyk: Vec<u8> = rgb
            .chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], p[0] / 2])
            .collect();
        let want: Vec<u8> = cmyk
            .chunks(4)
            .map(|p| cmyk_gray(p[0], p[1], p[2], p[3]))
            .collect();
        let page = PdfPage::image(image_dict(W, H, 8, "DeviceCMYK".into()), cmyk);
        assert_eq!(one_page(&pdf(vec![page])).pixels, want);

        // DCT (JPEG), gray.
        let shades = [30u8, 90, 160, 230];
        let blocks_gray: Vec<u8> = (0..32)
            .flat_map(|y| (0..32).map(move |x| shades[blocks(x, y)]))
            .collect();
        let mut dict = image_dict(32, 32, 8, gray_space());
        dict.set("Filter", "DCTDecode");
        let data = jpeg(32, 32, &blocks_gray, jpeg_encoder::ColorType::Luma);
        assert_near(
            &one_page(&pdf(vec![PdfPage::image(dict, data)])).pixels,
            &blocks_gray,
            3,
        );
    }

    /// An ICC-based colour space is read by its number of components.
    #[test]
    fn pdf_icc_based() {
        let gray = gradient();
        let mut doc = Document::with_version("1.5");
        let icc = doc.add_object(Stream::new(dictionary! { "N" => 1 }, vec![0; 16]));
        let space = Object::Array(vec!["ICCBased".into(), icc.into()]);
        let (rgb, rgb_gray) = colours();
        let icc3 = doc.add_object(Stream::new(dictionary! { "N" => 3 }, vec![0; 16]));
        let space3 = Object::Array(vec!["ICCBased".into(), icc3.into()]);
        let pages_id = doc.new_object_id();
        let mut kids = Vec::new();
        for (space, data) in [(space, gray.clone()), (space3, rgb)] {
            let mut dict = image_dict(W, H, 8, space);
            dict.set("Type", "XObject");
            dict.set("Subtype", "Image");
            let image = doc.add_object(Stream::new(dict, data));
            let contents = doc.add_object(Stream::new(Dictionary::new(), b"/Im0 Do".to_vec()));
            let page = doc.add_object(dictionary! {
                "Type" => "Page", "Parent" => pages_id, "Contents" => contents,
                "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image } },
            });
            kids.push(Object::Reference(page));
        }
        // Inherited from the page tree: the box (and no /MediaBox on the pages).
        doc.objects.insert(
            pages_id,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => kids, "Count" => 2,
                "MediaBox" => vec![0.into(), 0.into(), 20.into(), 10.into()],
            }),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let pages = all_pages(&bytes).unwrap();
        assert_eq!(pages[0].pixels, gray);
        assert_eq!(pages[1].pixels, rgb_gray);
        // 40 pixels across 20 points: 144 dots an inch.
        assert_eq!(pages[0].dpi, Some(144));
    }

    /// CCITT Group 4 (as the fax crate encodes it) decodes to its black and white, both ways
    /// of /BlackIs1; Group 3 2-D and byte-aligned Group 4 are refused by name.
    #[test]
    fn pdf_ccitt_g4() {
        let (w, h) = (64u32, 24u32);
        let black = |x: u32, y: u32| (x / 5 + y / 3).is_multiple_of(3) || x == y;
        let data = g4(u16::try_from(w).unwrap(), h, black);
        let want: Vec<u8> = (0..h)
            .flat_map(|y| (0..w).map(move |x| if black(x, y) { 0 } else { 255 }))
            .collect();
        let params = |extra: Dictionary| {
            let mut d =
                dictionary! { "K" => -1, "Columns" => i64::from(w), "Rows" => i64::from(h) };
            d.extend(&extra);
            d
        };
        let mut dict = image_dict(w, h, 1, "DeviceGray".into());
        dict.set("Filter", "CCITTFaxDecode");
        dict.set("DecodeParms", params(Dictionary::new()));
        let page = PdfPage::image(dict.clone(), data.clone());
        assert_eq!(one_page(&pdf(vec![page])).pixels, want);
        // BlackIs1 with /Decode [1 0], as some scanners write it: the same picture.
        dict.set("DecodeParms", params(dictionary! { "BlackIs1" => true }));
        dict.set("Decode", vec![1.into(), 0.into()]);
        let page = PdfPage::image(dict.clone(), data.clone());
        assert_eq!(one_page(&pdf(vec![page])).pixels, want);
        dict.set(
            "DecodeParms",
            params(dictionary! { "EncodedByteAlign" => true }),
        );
        let bytes = pdf(vec![PdfPage::image(dict.clone(), data.clone())]);
        assert_eq!(
            all_pages(&bytes).unwrap_err(),
            ImageError::Unsupported(Feature::EncodedByteAlign)
        );
        dict.set(
            "DecodeParms",
            dictionary! { "K" => 4, "Columns" => i64::from(w) },
        );
        let bytes = pdf(vec![PdfPage::image(dict, data)]);
        assert_eq!(
            all_pages(&bytes).unwrap_err(),
            ImageError::Unsupported(Feature::Group3TwoD)
        );
    }

    /// A one-dimensional Group 3 stream (modified Huffman runs, an end-of-line code before
    /// each row, six at the end), written from the fax crate's code tables.
    fn g3(width: u32, height: u32, black: impl Fn(u32, u32) -> bool) -> Vec<u8> {
        use fax::BitWriter as _;
        let mut out = fax::VecWriter::new();
        let code = |colour: bool, n: u32| {
            let table = if colour {
                &fax::maps::black::ENTRIES
            } else {
                &fax::maps::white::ENTRIES
            };
            table.iter().find(|(v, _)| u32::from(*v) == n).unwrap().1
        };
        out.write(fax::maps::EOL).unwrap();
        for y in 0..height {
            let (mut x, mut colour) = (0, false);
            while x < width {
                let end = (x..width).find(|&e| black(e, y) != colour).unwrap_or(width);
                let run = end - x;
                if run >= 64 {
                    out.write(code(colour, run & !63)).unwrap();
                }
                out.write(code(colour, run & 63)).unwrap();
                (x, colour) = (end, !colour);
            }
            out.write(fax::maps::EOL).unwrap();
        }
        for _ in 0..5 {
            out.write(fax::maps::EOL).unwrap();
        }
        out.finish()
    }

    /// Group 3 with end-of-line codes decodes to its black and white; without them (the
    /// fax crate would run rows together) it is refused by name.
    #[test]
    fn pdf_ccitt_g3() {
        let (w, h) = (100u32, 20u32);
        let black = |x: u32, y: u32| (x / 7 + y).is_multiple_of(4) || x == 3 * y;
        let want: Vec<u8> = (0..h)
            .flat_map(|y| (0..w).map(move |x| if black(x, y) { 0 } else { 255 }))
            .collect();
        let mut dict = image_dict(w, h, 1, "DeviceGray".into());
        dict.set("Filter", "CCITTFaxDecode");
        let params = dictionary! { "K" => 0, "Columns" => i64::from(w), "EndOfLine" => true };
        dict.set("DecodeParms", params);
        let data = g3(w, h, black);
        assert_eq!(
            one_page(&pdf(vec![PdfPage::image(dict.clone(), data.clone())])).pixels,
            want
        );
        dict.set(
            "DecodeParms",
            dictionary! { "K" => 0, "Columns" => i64::from(w) },
        );
        assert_eq!(
            all_pages(&pdf(vec![PdfPage::image(dict, data)])).unwrap_err(),
            ImageError::Unsupported(Feature::Group3WithoutEol)
        );
    }

    /// Several pages, each its own image, through a form or not; the largest image of a page
    /// is its scan; the resolution comes from the page's box.
    #[test]
    fn pdf_pages_forms_and_largest_image() {
        let gray = gradient();
        let (rgb, rgb_gray) = colours();
        let small = (image_dict(16, 16, 8, "DeviceGray".into()), vec![0u8; 256]);
        let big = (image_dict(W, H, 8, "DeviceRGB".into()), rgb);
        let mut pages = vec![
            PdfPage::image(image_dict(W, H, 8, "DeviceGray".into()), gray.clone()),
            PdfPage {
                images: vec![small.clone(), big.clone()],
                via_form: true,
                media: (W as f32 * 72.0 / 150.0, H as f32 * 72.0 / 150.0),
                vector: None,
            },
            PdfPage {
                images: vec![big, small],
                via_form: false,
                media: (H as f32 * 72.0 / 300.0, W as f32 * 72.0 / 300.0),
                vector: None,
            },
        ];
        pages[0].media = (W as f32 * 72.0 / 200.0, H as f32 * 72.0 / 200.0);
        let bytes = pdf(pages);
        let file = ScanFile::open(&bytes).unwrap();
        assert_eq!((file.kind(), file.pages()), (Kind::Pdf, 3));
        let third = file.page(2).unwrap();
        assert_eq!(
            (third.pixels.clone(), third.dpi),
            (rgb_gray.clone(), Some(300))
        );
        let first = file.page(0).unwrap();
        assert_eq!((first.pixels.clone(), first.dpi), (gray, Some(200)));
        let second = file.page(1).unwrap();
        assert_eq!((second.pixels.clone(), second.dpi), (rgb_gray, Some(150)));
    }

    /// A page made on a computer (text and lines, no image) has no scan to read; an image in
    /// JBIG2 or JPEG 2000 is refused by its filter's name.
    #[test]
    fn pdf_without_a_scan() {
        let vector = PdfPage {
            images: Vec::new(),
            via_form: false,
            media: (595.0, 842.0),
            vector: Some("BT /F1 12 Tf 72 720 Td (Phieu) Tj ET 0 0 m 100 100 l S"),
        };
        let bytes = pdf(vec![vector]);
        let file = ScanFile::open(&bytes).unwrap();
        assert_eq!(file.page(0).unwrap_err(), ImageError::NoImage);
        assert_eq!(
            ImageError::NoImage.message(),
            Message::new(
                "trang này không có ảnh quét",
                "no scanned image on this page"
            )
        );
        for filter in ["JBIG2Decode", "JPXDecode"] {
            let mut dict = image_dict(W, H, 1, "DeviceGray".into());
            dict.set("Filter", filter);
            let bytes = pdf(vec![PdfPage::image(dict, vec![0; 64])]);
            let e = all_pages(&bytes).unwrap_err();
            assert_eq!(e, ImageError::Filter(format!("/{filter}")));
            assert!(e.message().vi.contains(filter), "{e}");
        }
        let bytes = pdf(vec![PdfPage::image(
            image_dict(W, H, 8, "Lab".into()),
            vec![0; 3 * (W * H) as usize],
        )]);
        assert_eq!(
            all_pages(&bytes).unwrap_err(),
            ImageError::Unsupported(Feature::ColourSpace("/Lab".into()))
        );
    }

    /// Sizes are checked from the header before anything is allocated: a 200-megapixel PNG,
    /// PNM, TIFF, JPEG or PDF image is refused at once, a 1-pixel one as too small.
    #[test]
    fn size_limits() {
        let huge = ImageError::TooLarge {
            width: 20_000,
            height: 10_000,
        };
        let start = Instant::now();
        let mut png_huge = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend(20_000u32.to_be_bytes());
        ihdr.extend(10_000u32.to_be_bytes());
        ihdr.extend([8, 0, 0, 0, 0]);
        chunk(&mut png_huge, b"IHDR", &ihdr);
        chunk(&mut png_huge, b"IDAT", &zlib(&[0; 100]));
        chunk(&mut png_huge, b"IEND", &[]);
        assert_eq!(ScanFile::open(&png_huge).unwrap_err(), huge);
        assert!(
            huge.to_string().contains("more than the 40 megapixels"),
            "{huge}"
        );
        assert!(huge.message().vi.contains("quá 40 triệu điểm ảnh"));
        assert_eq!(
            ScanFile::open(b"P5 20000 10000 255 \0\0").unwrap_err(),
            huge
        );
        let mut tiff_huge = tiff_by_hand(20_000, 10_000, 8, 1, &[0; 64]);
        assert_eq!(all_pages(&tiff_huge).unwrap_err(), huge);
        tiff_huge.truncate(40);
        assert!(all_pages(&tiff_huge).is_err());
        // A JPEG's frame header claiming 20000×10000.
        let mut jpeg_huge = jpeg(16, 16, &[128; 256], jpeg_encoder::ColorType::Luma);
        let sof = jpeg_huge
            .windows(2)
            .position(|w| w == [0xff, 0xc0])
            .unwrap();
        jpeg_huge[sof + 5..sof + 9].copy_from_slice(&[0x27, 0x10, 0x4e, 0x20]);
        assert_eq!(ScanFile::open(&jpeg_huge).unwrap_err(), huge);
        let pdf_huge = pdf(vec![PdfPage::image(
            image_dict(20_000, 10_000, 8, "DeviceGray".into()),
            vec![0; 64],
        )]);
        assert_eq!(all_pages(&pdf_huge).unwrap_err(), huge);
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );

        let tiny = png_by_hand(1, 1, &[0], 0);
        let e = ScanFile::open(&tiny).unwrap_err();
        assert_eq!(
            e,
            ImageError::TooSmall {
                width: 1,
                height: 1
            }
        );
        assert!(e.message().vi.contains("quá nhỏ"));
        assert!(ScanFile::open(&png_by_hand(16, 15, &[0; 240], 0)).is_err());
        assert!(ScanFile::open(&png_by_hand(16, 16, &[0; 256], 0)).is_ok());
    }

    /// A PDF of 10,000 pages opens in bounded time (the page tree only, no page decoded), and
    /// its last page reads like its first.
    #[test]
    fn ten_thousand_pages() {
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let mut dict = image_dict(W, H, 8, "DeviceGray".into());
        dict.set("Type", "XObject");
        dict.set("Subtype", "Image");
        let image = doc.add_object(Stream::new(dict, gradient()));
        let contents = doc.add_object(Stream::new(Dictionary::new(), b"/Im0 Do".to_vec()));
        let resources = doc.add_object(dictionary! { "XObject" => dictionary! { "Im0" => image } });
        let kids: Vec<Object> = (0..10_000)
            .map(|_| {
                Object::Reference(doc.add_object(dictionary! {
                    "Type" => "Page", "Parent" => pages_id, "Contents" => contents,
                    "Resources" => resources,
                    "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                }))
            })
            .collect();
        doc.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => 10_000 },
            ),
        );
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        doc.save_to(&mut bytes).unwrap();
        let start = Instant::now();
        let file = ScanFile::open(&bytes).unwrap();
        assert_eq!(file.pages(), 10_000);
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(file.page(9_999).unwrap().pixels, gradient());
    }

    /// Small files of every kind, for the damage tests.
    fn samples() -> Vec<(&'static str, Vec<u8>)> {
        let gray: Vec<u8> = (0..256u32).map(|i| u8::try_from(i).unwrap()).collect();
        let mut tiff = Cursor::new(Vec::new());
        {
            let mut encoder = tiff::encoder::TiffEncoder::new(&mut tiff).unwrap();
            for _ in 0..2 {
                encoder
                    .write_image::<tiff::encoder::colortype::Gray8>(16, 16, &gray)
                    .unwrap();
            }
        }
        let mut dict = image_dict(16, 16, 8, "DeviceGray".into());
        dict.set("Filter", "FlateDecode");
        let flate = PdfPage::image(dict, zlib(&gray));
        let mut dict = image_dict(16, 16, 8, "DeviceGray".into());
        dict.set("Filter", "DCTDecode");
        let dct = PdfPage::image(dict, jpeg(16, 16, &gray, jpeg_encoder::ColorType::Luma));
        let mut dict = image_dict(16, 16, 1, "DeviceGray".into());
        dict.set("Filter", "CCITTFaxDecode");
        dict.set("DecodeParms", dictionary! { "K" => -1, "Columns" => 16 });
        let fax = PdfPage::image(dict.clone(), g4(16, 16, checker));
        let params = dictionary! { "K" => 0, "Columns" => 16, "EndOfLine" => true };
        dict.set("DecodeParms", params);
        let fax3 = PdfPage::image(dict, g3(16, 16, checker));
        let mut pnm = b"P5 16 16 255\n".to_vec();
        pnm.extend(&gray);
        vec![
            ("png", png_by_hand(16, 16, &gray, 0)),
            ("png interlaced", png_by_hand(16, 16, &gray, 1)),
            ("jpeg", jpeg(16, 16, &gray, jpeg_encoder::ColorType::Luma)),
            ("tiff", tiff.into_inner()),
            ("pdf", pdf(vec![flate, dct, fax, fax3])),
            ("pnm", pnm),
        ]
    }

    /// Every truncation of a small file of each kind is an error (a PDF may lose the line
    /// end after its last `%%EOF`), never a panic nor a page read from half the data.
    #[test]
    fn every_truncation_is_an_error() {
        for (name, bytes) in samples() {
            assert!(all_pages(&bytes).is_ok(), "{name}");
            let whole = if name == "pdf" {
                bytes.len() - 6
            } else {
                bytes.len()
            };
            let read: Vec<usize> = (0..whole)
                .filter(|&n| all_pages(&bytes[..n]).is_ok())
                .collect();
            assert!(
                read.is_empty(),
                "{name} cut to {read:?} of {} bytes read",
                bytes.len()
            );
        }
    }

    /// Random damage (bytes changed, anywhere) gives a page or an error, never a panic.
    #[test]
    fn random_damage_never_panics() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for (_, bytes) in samples() {
            for _ in 0..2_000 {
                let mut damaged = bytes.clone();
                for _ in 0..=next() % 4 {
                    let at = usize::try_from(next() % damaged.len() as u64).unwrap();
                    damaged[at] = u8::try_from(next() % 256).unwrap();
                }
                let _ = all_pages(&damaged);
            }
        }
    }
}
