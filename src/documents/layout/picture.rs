//! Pictures (the user guide's screenshots) as the PDF embeds them: a PNG file read only as far
//! as its chunks, its compressed pixels kept as they are. A PDF image with `/FlateDecode` and
//! the PNG predictors (`/Predictor 15`) reads PNG's pixel data (the IDAT chunks, joined)
//! unchanged, so nothing is decoded or compressed again: no image library in the build, and
//! the same file always gives the same bytes.
//!
//! Read strictly: the signature, every chunk's CRC, the chunks' order, and only the kinds of
//! PNG a PDF shows as they are (grey, RGB or a palette, 8 bits a sample or fewer, not
//! interlaced, no transparency); anything else is an error that says what it is, never a
//! picture drawn wrong.

use crate::text::Message;

/// A PNG file's first eight bytes.
const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// The largest width or height PNG allows (2^31 - 1).
const MAX_SIDE: u32 = 0x7fff_ffff;

/// How a picture's samples give colours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Colour {
    /// One grey sample a pixel (PNG colour type 0).
    Grey,
    /// Red, green and blue samples (PNG colour type 2).
    Rgb,
    /// An index into a palette of red, green, blue triples (PNG colour type 3).
    Indexed(Vec<u8>),
}

/// A picture ready to embed: its size, colours and PNG's compressed pixel data.
#[derive(Clone, PartialEq, Eq)]
pub struct Picture {
    width: u32,
    height: u32,
    bits: u8,
    colour: Colour,
    data: Vec<u8>,
}

impl std::fmt::Debug for Picture {
    /// The size and colours, not the megabyte of data.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picture")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("bits", &self.bits)
            .field("colours", &self.colours())
            .field("data", &format_args!("{} bytes", self.data.len()))
            .finish()
    }
}

/// Why a PNG file cannot be embedded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PngError {
    /// The file does not start with PNG's signature.
    #[error("not a PNG file")]
    NotPng,
    /// The file ends inside a chunk or before its IEND chunk.
    #[error("the file is cut short")]
    Truncated,
    /// A chunk's CRC does not match its bytes: the file is damaged.
    #[error("chunk {0} is damaged (its CRC does not match)")]
    Crc(String),
    /// A chunk where PNG does not allow it, twice, or of the wrong length.
    #[error("chunk {0} is out of place or malformed")]
    Misplaced(String),
    /// A chunk PNG requires is missing.
    #[error("chunk {0} is missing")]
    Missing(&'static str),
    /// Bytes after the IEND chunk.
    #[error("bytes after the end of the picture")]
    Trailing,
    /// A width or height of 0 or over PNG's limit, or an unknown compression or filter method.
    #[error("the header (IHDR) is invalid")]
    Header,
    /// A colour type and bit depth the PDF cannot show as is (alpha, 16 bits a sample).
    #[error(
        "colour type {colour} with {bits} bits a sample is not supported (grey, RGB or a palette, 8 bits a sample or fewer)"
    )]
    Colours {
        /// PNG's colour type.
        colour: u8,
        /// Bits a sample.
        bits: u8,
    },
    /// Interlaced pixel data, which the PDF's PNG predictors cannot read.
    #[error("interlaced pictures are not supported")]
    Interlaced,
    /// A transparent colour (tRNS): the PDF would show it opaque.
    #[error("transparency (tRNS) is not supported")]
    Transparency,
    /// A critical chunk this reader does not know.
    #[error("unknown critical chunk {0}")]
    Unknown(String),
}

impl PngError {
    /// The error in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        let vi = match self {
            PngError::NotPng => "không phải tệp PNG".to_owned(),
            PngError::Truncated => "tệp bị cắt cụt".to_owned(),
            PngError::Crc(c) => format!("khối {c} bị hỏng (mã CRC không khớp)"),
            PngError::Misplaced(c) => format!("khối {c} sai vị trí hoặc sai cấu trúc"),
            PngError::Missing(c) => format!("thiếu khối {c}"),
            PngError::Trailing => "có dữ liệu thừa sau phần kết thúc ảnh".to_owned(),
            PngError::Header => "phần đầu ảnh (IHDR) không hợp lệ".to_owned(),
            PngError::Colours { colour, bits } => format!(
                "không hỗ trợ kiểu màu {colour} với {bits} bit mỗi mẫu (chỉ ảnh xám, RGB hoặc bảng màu, tối đa 8 bit mỗi mẫu)"
            ),
            PngError::Interlaced => "không hỗ trợ ảnh xen dòng (interlaced)".to_owned(),
            PngError::Transparency => "không hỗ trợ ảnh có màu trong suốt (tRNS)".to_owned(),
            PngError::Unknown(c) => format!("khối bắt buộc {c} không rõ"),
        };
        Message::new(vi, self.to_string())
    }
}

/// The CRC-32 of PNG (and zlib's): over a chunk's type and data.
fn crc(kind: &[u8], data: &[u8]) -> u32 {
    let mut c = flate2::Crc::new();
    c.update(kind);
    c.update(data);
    c.sum()
}

fn be32(b: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(..4)?.try_into().ok()?))
}

/// The header's facts: width, height, bits a sample, colour type.
struct Header {
    width: u32,
    height: u32,
    bits: u8,
    colour: u8,
}

fn header(data: &[u8]) -> Result<Header, PngError> {
    let [
        w0,
        w1,
        w2,
        w3,
        h0,
        h1,
        h2,
        h3,
        bits,
        colour,
        compression,
        filter,
        interlace,
    ] = data
    else {
        return Err(PngError::Misplaced("IHDR".into()));
    };
    let width = u32::from_be_bytes([*w0, *w1, *w2, *w3]);
    let height = u32::from_be_bytes([*h0, *h1, *h2, *h3]);
    let side = 1..=MAX_SIDE;
    if !side.contains(&width) || !side.contains(&height) || *compression != 0 || *filter != 0 {
        return Err(PngError::Header);
    }
    let supported = match colour {
        0 | 3 => matches!(bits, 1 | 2 | 4 | 8),
        2 => *bits == 8,
        _ => false,
    };
    if !supported {
        return Err(PngError::Colours {
            colour: *colour,
            bits: *bits,
        });
    }
    match interlace {
        0 => Ok(Header {
            width,
            height,
            bits: *bits,
            colour: *colour,
        }),
        1 => Err(PngError::Interlaced),
        _ => Err(PngError::Header),
    }
}

impl Picture {
    /// Reads a PNG file: its header, palette and compressed pixel data.
    ///
    /// # Errors
    ///
    /// A [`PngError`] saying what is wrong: not PNG, damaged (a CRC, cut short, chunks out of
    /// place), or a kind the PDF cannot show as is (alpha, 16 bits a sample, interlaced,
    /// transparency).
    pub fn from_png(bytes: &[u8]) -> Result<Self, PngError> {
        let mut rest = bytes.strip_prefix(&SIGNATURE).ok_or(PngError::NotPng)?;
        let mut head: Option<Header> = None;
        let mut palette: Option<Vec<u8>> = None;
        let mut data = Vec::new();
        // 0: before the pixel data, 1: in it, 2: after it.
        let mut idat = 0;
        loop {
            // PNG's limit on a chunk's length is its limit on a side.
            let len = be32(rest)
                .filter(|&n| n <= MAX_SIDE)
                .and_then(|n| usize::try_from(n).ok())
                .ok_or(PngError::Truncated)?;
            let kind = rest.get(4..8).ok_or(PngError::Truncated)?;
            let body = rest.get(8..8 + len).ok_or(PngError::Truncated)?;
            let sum = rest
                .get(8 + len..12 + len)
                .and_then(be32)
                .ok_or(PngError::Truncated)?;
            rest = &rest[12 + len..];
            let name = String::from_utf8_lossy(kind).into_owned();
            if !kind.iter().all(u8::is_ascii_alphabetic) {
                return Err(PngError::Misplaced(name));
            }
            if crc(kind, body) != sum {
                return Err(PngError::Crc(name));
            }
            let misplaced = || PngError::Misplaced(name.clone());
            if head.is_none() && kind != b"IHDR" {
                return Err(PngError::Missing("IHDR"));
            }
            if idat == 1 && kind != b"IDAT" {
                idat = 2;
            }
            match kind {
                b"IHDR" if head.is_none() => head = Some(header(body)?),
                b"PLTE" if palette.is_none() && idat == 0 => {
                    let entries = body.len() / 3;
                    let most = head.as_ref().map_or(0, |h| match h.colour {
                        3 => 1 << h.bits,
                        2 => 256,
                        _ => 0,
                    });
                    if body.len() % 3 != 0 || entries == 0 || entries > most {
                        return Err(misplaced());
                    }
                    palette = Some(body.to_vec());
                }
                b"IDAT" if idat < 2 => {
                    idat = 1;
                    data.extend_from_slice(body);
                }
                b"IEND" if body.is_empty() => break,
                b"tRNS" => return Err(PngError::Transparency),
                b"IHDR" | b"PLTE" | b"IDAT" | b"IEND" => return Err(misplaced()),
                // Ancillary chunks (a lower-case first letter: gamma, resolution, text…) do
                // not change the pixels' values.
                _ if kind[0].is_ascii_lowercase() => {}
                _ => return Err(PngError::Unknown(name)),
            }
        }
        if !rest.is_empty() {
            return Err(PngError::Trailing);
        }
        let head = head.ok_or(PngError::Missing("IHDR"))?;
        if data.is_empty() {
            return Err(PngError::Missing("IDAT"));
        }
        let colour = match head.colour {
            0 => Colour::Grey,
            2 => Colour::Rgb,
            _ => Colour::Indexed(palette.ok_or(PngError::Missing("PLTE"))?),
        };
        Ok(Self {
            width: head.width,
            height: head.height,
            bits: head.bits,
            colour,
            data,
        })
    }

    /// Width in pixels.
    #[must_use]
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    #[must_use]
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bits a sample (a palette index counts as one sample).
    #[must_use]
    pub fn bits(&self) -> u8 {
        self.bits
    }

    /// How the samples give colours.
    #[must_use]
    pub fn colour(&self) -> &Colour {
        &self.colour
    }

    /// Samples a pixel: 3 for RGB, 1 for grey or a palette index.
    #[must_use]
    pub fn colours(&self) -> u8 {
        match self.colour {
            Colour::Rgb => 3,
            Colour::Grey | Colour::Indexed(_) => 1,
        }
    }

    /// The pixel data: a zlib stream of rows, each led by its PNG filter byte, as the PDF's
    /// `/FlateDecode` with `/Predictor 15` reads it.
    #[must_use]
    pub fn data(&self) -> &[u8] {
        &self.data
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
pub(super) mod tests {
    use std::io::Write as _;

    use super::*;

    pub(in crate::documents::layout) fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        out.extend(kind);
        out.extend(data);
        out.extend(crc(kind, data).to_be_bytes());
        out
    }

    pub(in crate::documents::layout) fn ihdr(
        w: u32,
        h: u32,
        bits: u8,
        colour: u8,
        interlace: u8,
    ) -> Vec<u8> {
        let mut d = w.to_be_bytes().to_vec();
        d.extend(h.to_be_bytes());
        d.extend([bits, colour, 0, 0, interlace]);
        chunk(b"IHDR", &d)
    }

    pub(in crate::documents::layout) fn zlib(raw: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(raw).unwrap();
        z.finish().unwrap()
    }

    /// A PNG of the chunks given, between the signature and IEND.
    pub(in crate::documents::layout) fn png(chunks: &[Vec<u8>]) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        for c in chunks {
            out.extend(c);
        }
        out.extend(chunk(b"IEND", &[]));
        out
    }

    /// A 2×2 palette picture, its pixel data split over two IDAT chunks, with a text chunk.
    fn palette_png() -> Vec<u8> {
        let z = zlib(&[0, 0, 1, 0, 1, 0]);
        let (a, b) = z.split_at(3);
        png(&[
            ihdr(2, 2, 8, 3, 0),
            chunk(b"tEXt", b"Title\0x"),
            chunk(b"PLTE", &[255, 255, 255, 0, 0, 0]),
            chunk(b"IDAT", a),
            chunk(b"IDAT", b),
        ])
    }

    /// A palette PNG gives its size, palette and the IDAT chunks' bytes joined.
    #[test]
    fn reads_a_palette_png() {
        let p = Picture::from_png(&palette_png()).unwrap();
        assert_eq!((p.width(), p.height(), p.bits(), p.colours()), (2, 2, 8, 1));
        assert_eq!(p.colour(), &Colour::Indexed(vec![255, 255, 255, 0, 0, 0]));
        assert_eq!(p.data(), zlib(&[0, 0, 1, 0, 1, 0]));
        let rgb = png(&[ihdr(1, 1, 8, 2, 0), chunk(b"IDAT", &zlib(&[0, 1, 2, 3]))]);
        let p = Picture::from_png(&rgb).unwrap();
        assert_eq!((p.colour(), p.colours()), (&Colour::Rgb, 3));
    }

    /// Each kind of damage or unsupported PNG is its own error, said in both languages.
    #[test]
    fn refuses_what_it_cannot_embed() {
        let idat = chunk(b"IDAT", &zlib(&[0, 0]));
        let plte = chunk(b"PLTE", &[0, 0, 0]);
        let good = palette_png();
        let mut bad_crc = good.clone();
        let at = good.len() - 20;
        bad_crc[at] ^= 1;
        let mut trailing = good.clone();
        trailing.push(0);
        let cases: Vec<(Vec<u8>, PngError)> = vec![
            (b"GIF89a".to_vec(), PngError::NotPng),
            (good[..good.len() - 12].to_vec(), PngError::Truncated),
            (good[..40].to_vec(), PngError::Truncated),
            (bad_crc, PngError::Crc("IDAT".into())),
            (trailing, PngError::Trailing),
            (png(std::slice::from_ref(&plte)), PngError::Missing("IHDR")),
            (png(&[ihdr(1, 1, 8, 3, 0)]), PngError::Missing("IDAT")),
            (
                png(&[ihdr(1, 1, 8, 3, 0), idat.clone()]),
                PngError::Missing("PLTE"),
            ),
            (
                png(&[ihdr(1, 1, 8, 3, 0), idat.clone(), plte.clone()]),
                PngError::Misplaced("PLTE".into()),
            ),
            (
                png(&[ihdr(1, 1, 8, 0, 0), plte.clone(), idat.clone()]),
                PngError::Misplaced("PLTE".into()),
            ),
            (
                png(&[
                    ihdr(1, 1, 8, 3, 0),
                    plte.clone(),
                    idat.clone(),
                    chunk(b"tEXt", b"a\0b"),
                    idat.clone(),
                ]),
                PngError::Misplaced("IDAT".into()),
            ),
            (
                png(&[ihdr(1, 1, 8, 3, 0), ihdr(1, 1, 8, 3, 0)]),
                PngError::Misplaced("IHDR".into()),
            ),
            (png(&[ihdr(0, 1, 8, 2, 0), idat.clone()]), PngError::Header),
            (
                png(&[ihdr(1, 1, 16, 2, 0), idat.clone()]),
                PngError::Colours {
                    colour: 2,
                    bits: 16,
                },
            ),
            (
                png(&[ihdr(1, 1, 8, 6, 0), idat.clone()]),
                PngError::Colours { colour: 6, bits: 8 },
            ),
            (
                png(&[ihdr(1, 1, 8, 2, 1), idat.clone()]),
                PngError::Interlaced,
            ),
            (
                png(&[
                    ihdr(1, 1, 8, 3, 0),
                    plte.clone(),
                    chunk(b"tRNS", &[0]),
                    idat.clone(),
                ]),
                PngError::Transparency,
            ),
            (
                png(&[ihdr(1, 1, 8, 2, 0), chunk(b"ABCD", &[]), idat.clone()]),
                PngError::Unknown("ABCD".into()),
            ),
        ];
        for (bytes, want) in cases {
            assert_eq!(Picture::from_png(&bytes), Err(want.clone()));
            let m = want.message();
            assert!(!m.vi.is_empty() && m.vi != m.en, "{m:?}");
        }
    }

    /// Every truncation and every one-byte change of a PNG is read or refused, never a panic.
    #[test]
    fn damaged_files_never_panic() {
        let good = palette_png();
        for n in 0..good.len() {
            assert!(Picture::from_png(&good[..n]).is_err(), "cut at {n}");
            for flip in [0x01, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[n] ^= flip;
                // Only the pixel data's own bytes could change unseen, but the CRC covers them.
                assert!(Picture::from_png(&bad).is_err(), "byte {n} ^ {flip:#x}");
            }
        }
    }
}
