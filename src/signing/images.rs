//! The pictures a visible signature is drawn with (issue 24 §3; NĐ 30/2020/NĐ-CP, Phụ lục I,
//! mục II): the image of a person's handwritten signature, and the image of an organisation's
//! seal, each a PNG with a transparent background.
//!
//! They are chosen once and kept in the user's data folder ([`ImageStore::user`]), never in an
//! archive: a signature's picture is the signer's, not the vote's, and an archive handed on
//! must not carry what would let anyone draw it. A signature image belongs to a person's name
//! and is used when the certificate's common name is that person (compared as
//! [`super::names::match_names`] does); a seal belongs to an organisation's name and is used
//! when the certificate names that organisation (its `O`), since a seal stands for the body
//! that signs, never for a person.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use x509_cert::Certificate;

use crate::text::Message;

/// The largest PNG accepted: a signature scanned at 600 dpi is well under it.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// The smallest and largest side in pixels: smaller cannot be a legible signature, larger is
/// a photo of a page, not a signature cut out (a 10 cm signature at 600 dpi is 2,362 px), and
/// bounds what a decoded picture takes (64 MB at most).
pub const MIN_SIDE: u32 = 40;
/// See [`MIN_SIDE`].
pub const MAX_SIDE: u32 = 4000;
/// The widest picture kept: a signature is drawn about 70 mm wide, and 1,200 pixels is over
/// 400 dpi there. A wider one is scaled down when read, so the PDF stays small.
const KEEP_WIDTH: u32 = 1200;

/// Which picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImageKind {
    /// A person's handwritten signature (blue, on a transparent background).
    Signature,
    /// An organisation's seal (red, at real size, on a transparent background).
    Seal,
}

impl ImageKind {
    /// The kind in both languages.
    #[must_use]
    pub fn label(self) -> Message {
        match self {
            Self::Signature => Message::new("ảnh chữ ký", "signature image"),
            Self::Seal => Message::new("ảnh con dấu", "seal image"),
        }
    }
}

/// A picture read and checked: 8-bit colour and coverage, rows top to bottom.
#[derive(Clone, PartialEq, Eq)]
pub struct SignImage {
    /// Pixels across.
    pub width: u32,
    /// Pixels down.
    pub height: u32,
    /// Red, green, blue, a pixel after another.
    pub rgb: Vec<u8>,
    /// Coverage, 0 (transparent) to 255, a pixel after another.
    pub alpha: Vec<u8>,
    /// Its printed size in tenths of a millimetre (width, height), when the file says its
    /// resolution (the PNG's `pHYs`): a seal is drawn at its real size.
    pub tenths_mm: Option<(u32, u32)>,
}

impl std::fmt::Debug for SignImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("tenths_mm", &self.tenths_mm)
            .finish_non_exhaustive()
    }
}

/// The pictures one signature is drawn with; none: the framed text alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignImages {
    /// The signer's handwritten signature.
    pub signature: Option<SignImage>,
    /// The seal of the organisation the certificate names.
    pub seal: Option<SignImage>,
    /// That organisation's name, as stored with its seal: written beside it.
    pub seal_owner: Option<String>,
}

/// Why a picture was refused, or the store could not be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// Not a PNG file at all.
    #[error("{kind_vi} phải là tệp PNG / the {kind_en} must be a PNG file", kind_vi = .0.vi, kind_en = .0.en)]
    NotPng(Message),
    /// A PNG that does not decode.
    #[error("tệp PNG hỏng: {0} / damaged PNG file: {0}")]
    Damaged(String),
    /// Too many bytes.
    #[error(
        "tệp ảnh quá lớn ({0} byte, tối đa 4 MB) / image file too large ({0} bytes, at most 4 MB)"
    )]
    TooLarge(usize),
    /// Too small or too large in pixels.
    #[error(
        "kích thước ảnh {0}×{1} điểm ảnh không hợp lệ (mỗi cạnh từ 40 đến 4000) / image of {0}×{1} pixels (each side must be 40 to 4000)"
    )]
    Size(u32, u32),
    /// No transparent background: a scan on white paper would print a white box over the page.
    #[error(
        "ảnh không có nền trong suốt: hãy tách nền (PNG có kênh alpha) / the image has no transparent background: cut it out (a PNG with an alpha channel)"
    )]
    NoTransparency,
    /// Nothing visible.
    #[error("ảnh trong suốt hoàn toàn, không có nét nào / the image is wholly transparent")]
    Empty,
    /// The picture's file, or the store's folder, cannot be read or written.
    #[error("không đọc/ghi được {path}: {why} / cannot read or write {path}: {why}")]
    Store {
        /// The folder or file.
        path: String,
        /// The system's reason.
        why: String,
    },
    /// No name given for whom the picture is.
    #[error("cần tên người ký hoặc tên cơ quan / a signer's or organisation's name is needed")]
    NoOwner,
}

/// The bytes of the picture file at `path`, refused unread when it is larger than
/// [`MAX_BYTES`] (a file chosen by mistake may be a film).
///
/// # Errors
/// [`ImageError::TooLarge`], or [`ImageError::Store`] with the system's reason when the file
/// cannot be read.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ImageError> {
    let unreadable = |e: std::io::Error| ImageError::Store {
        path: path.display().to_string(),
        why: e.to_string(),
    };
    let len = std::fs::metadata(path).map_err(unreadable)?.len();
    if len > MAX_BYTES as u64 {
        return Err(ImageError::TooLarge(
            usize::try_from(len).unwrap_or(usize::MAX),
        ));
    }
    std::fs::read(path).map_err(unreadable)
}

/// Reads and checks a PNG: a signature or a seal must be a PNG with a transparent
/// background, between [`MIN_SIDE`] and [`MAX_SIDE`] pixels a side, under [`MAX_BYTES`].
///
/// # Errors
/// [`ImageError`] saying what is wrong with it.
pub fn read_png(bytes: &[u8], kind: ImageKind) -> Result<SignImage, ImageError> {
    if bytes.len() > MAX_BYTES {
        return Err(ImageError::TooLarge(bytes.len()));
    }
    if !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(ImageError::NotPng(kind.label()));
    }
    let damaged = |e: png::DecodingError| ImageError::Damaged(e.to_string());
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    let header = decoder.read_header_info().map_err(damaged)?;
    let (width, height) = (header.width, header.height);
    if !(MIN_SIDE..=MAX_SIDE).contains(&width) || !(MIN_SIDE..=MAX_SIDE).contains(&height) {
        return Err(ImageError::Size(width, height));
    }
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(damaged)?;
    let phys = reader
        .info()
        .pixel_dims
        .filter(|d| d.unit == png::Unit::Meter && d.xppu > 0 && d.yppu > 0);
    let tenths_mm = phys.and_then(|d| {
        let t = |px: u32, per_m: u32| u32::try_from(u64::from(px) * 10_000 / u64::from(per_m)).ok();
        Some((t(width, d.xppu)?, t(height, d.yppu)?))
    });
    let (colour, _) = reader.output_color_type();
    let channels = match colour {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb | png::ColorType::Indexed => 3,
        png::ColorType::Rgba => 4,
    };
    let size = reader
        .output_buffer_size()
        .ok_or(ImageError::Size(width, height))?;
    let mut buf = vec![0u8; size];
    let frame = reader.next_frame(&mut buf).map_err(damaged)?;
    buf.truncate(frame.buffer_size());
    let pixels = buf.len() / channels;
    let mut rgb = Vec::with_capacity(pixels * 3);
    let mut alpha = Vec::with_capacity(pixels);
    for p in buf.chunks_exact(channels) {
        match p {
            [g] => {
                rgb.extend_from_slice(&[*g, *g, *g]);
                alpha.push(255);
            }
            [g, a] => {
                rgb.extend_from_slice(&[*g, *g, *g]);
                alpha.push(*a);
            }
            [r, g, b] => {
                rgb.extend_from_slice(&[*r, *g, *b]);
                alpha.push(255);
            }
            [r, g, b, a] => {
                rgb.extend_from_slice(&[*r, *g, *b]);
                alpha.push(*a);
            }
            _ => {}
        }
    }
    let clear = alpha.iter().filter(|&&a| a < 32).count();
    let inked = alpha.iter().filter(|&&a| a >= 128).count();
    // A fifth of the picture clear at least: a signature cut out of its paper is mostly
    // background; one in a thousand pixels inked at least.
    if clear * 5 < alpha.len() {
        return Err(ImageError::NoTransparency);
    }
    if inked * 1000 < alpha.len() {
        return Err(ImageError::Empty);
    }
    let image = SignImage {
        width,
        height,
        rgb,
        alpha,
        tenths_mm,
    };
    Ok(shrink(image))
}

/// The picture scaled down by a whole factor to at most [`KEEP_WIDTH`] pixels across, each
/// new pixel the coverage-weighted mean of the old ones (so that the transparent background's
/// colour does not bleed into the strokes' edges).
fn shrink(image: SignImage) -> SignImage {
    let k = image.width.div_ceil(KEEP_WIDTH);
    if k <= 1 {
        return image;
    }
    let (w, h) = (image.width / k, image.height / k);
    let (w, h) = (w.max(1), h.max(1));
    let old_w = image.width as usize;
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    let mut alpha = Vec::with_capacity((w * h) as usize);
    for y in 0..h as usize {
        for x in 0..w as usize {
            let (mut sum, mut cov) = ([0u64; 3], 0u64);
            for dy in 0..k as usize {
                for dx in 0..k as usize {
                    let i = (y * k as usize + dy) * old_w + x * k as usize + dx;
                    let a = u64::from(image.alpha.get(i).copied().unwrap_or(0));
                    for (c, s) in sum.iter_mut().enumerate() {
                        *s += a * u64::from(image.rgb.get(i * 3 + c).copied().unwrap_or(0));
                    }
                    cov += a;
                }
            }
            let n = u64::from(k * k);
            for s in sum {
                rgb.push(u8::try_from(s.checked_div(cov).unwrap_or(255)).unwrap_or(255));
            }
            alpha.push(u8::try_from(cov / n).unwrap_or(255));
        }
    }
    SignImage {
        width: w,
        height: h,
        rgb,
        alpha,
        tenths_mm: image.tenths_mm,
    }
}

/// One picture of the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredImage {
    /// Signature or seal.
    pub kind: ImageKind,
    /// Whose: the person's name (a signature) or the organisation's (a seal), as given.
    pub owner: String,
    /// Its file in the store's folder.
    pub file: String,
}

/// The list the store keeps beside the pictures.
const INDEX: &str = "danh-sach.ron";

/// The folder of signature and seal pictures.
#[derive(Debug, Clone)]
pub struct ImageStore {
    dir: PathBuf,
}

impl ImageStore {
    /// The user's own: `anh-chu-ky` in tinnhiem's data folder (`%APPDATA%\tinnhiem` on
    /// Windows); `None` if the system knows no data folder.
    #[must_use]
    pub fn user() -> Option<Self> {
        crate::archive::data_dir().map(|d| Self::in_data_dir(&d))
    }

    /// The store in tinnhiem's data folder `data` (the app's, which its tests choose).
    #[must_use]
    pub fn in_data_dir(data: &Path) -> Self {
        Self::at(data.join("anh-chu-ky"))
    }

    /// The store in `dir` (tests use their own).
    #[must_use]
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// Its folder.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn store_error(&self, path: &Path, e: &dyn std::fmt::Display) -> ImageError {
        let _ = self;
        ImageError::Store {
            path: path.display().to_string(),
            why: e.to_string(),
        }
    }

    /// Every picture stored; an empty list when there is no store yet, or its list does not
    /// read (then the pictures are chosen again, and nothing is lost but the choice).
    #[must_use]
    pub fn list(&self) -> Vec<StoredImage> {
        std::fs::read_to_string(self.dir.join(INDEX))
            .ok()
            .and_then(|t| ron::from_str(&t).ok())
            .unwrap_or_default()
    }

    fn write_list(&self, list: &[StoredImage]) -> Result<(), ImageError> {
        let text = ron::ser::to_string_pretty(&list, ron::ser::PrettyConfig::default())
            .map_err(|e| self.store_error(&self.dir, &e))?;
        let path = self.dir.join(INDEX);
        crate::archive::write_atomic(&path, text.as_bytes())
            .map_err(|e| self.store_error(&path, &e))
    }

    /// Checks `png` and keeps it as `owner`'s picture of `kind`, in place of any before.
    ///
    /// # Errors
    /// The picture's [`ImageError`], or [`ImageError::Store`] when the folder cannot be
    /// written (nothing is changed then).
    pub fn put(&self, kind: ImageKind, owner: &str, png: &[u8]) -> Result<(), ImageError> {
        let owner = crate::text::nfc(owner.trim());
        if owner.is_empty() {
            return Err(ImageError::NoOwner);
        }
        read_png(png, kind)?;
        std::fs::create_dir_all(&self.dir).map_err(|e| self.store_error(&self.dir, &e))?;
        // Named by content: a picture replaced is a new file, and the list names the one in
        // use, so a crash between the two writes leaves the old choice whole.
        let digest = crate::encode::hex(&<sha2::Sha256 as sha2::Digest>::digest(png));
        let file = format!("{}.png", &digest[..16]);
        let path = self.dir.join(&file);
        crate::archive::write_atomic(&path, png).map_err(|e| self.store_error(&path, &e))?;
        let mut list = self.list();
        let old: Vec<String> = list
            .iter()
            .filter(|s| s.kind == kind && same_owner(&s.owner, &owner))
            .map(|s| s.file.clone())
            .collect();
        list.retain(|s| !(s.kind == kind && same_owner(&s.owner, &owner)));
        list.push(StoredImage { kind, owner, file });
        self.write_list(&list)?;
        self.remove_unused(&list, &old);
        Ok(())
    }

    /// Forgets `owner`'s picture of `kind`; `false` if there was none.
    ///
    /// # Errors
    /// [`ImageError::Store`] when the list cannot be written.
    pub fn remove(&self, kind: ImageKind, owner: &str) -> Result<bool, ImageError> {
        let mut list = self.list();
        let old: Vec<String> = list
            .iter()
            .filter(|s| s.kind == kind && same_owner(&s.owner, owner))
            .map(|s| s.file.clone())
            .collect();
        if old.is_empty() {
            return Ok(false);
        }
        list.retain(|s| !(s.kind == kind && same_owner(&s.owner, owner)));
        self.write_list(&list)?;
        self.remove_unused(&list, &old);
        Ok(true)
    }

    fn remove_unused(&self, list: &[StoredImage], old: &[String]) {
        for f in old {
            if !list.iter().any(|s| &s.file == f) {
                let _ = std::fs::remove_file(self.dir.join(f));
            }
        }
    }

    /// `owner`'s picture of `kind`, read and checked again (the file may have been changed).
    #[must_use]
    pub fn get(&self, kind: ImageKind, owner: &str) -> Option<(StoredImage, SignImage)> {
        let entry = self
            .list()
            .into_iter()
            .find(|s| s.kind == kind && same_owner(&s.owner, owner))?;
        let bytes = std::fs::read(self.dir.join(&entry.file)).ok()?;
        let image = read_png(&bytes, kind).ok()?;
        Some((entry, image))
    }

    /// The pictures a signature by `cert` is drawn with: the signature stored for its common
    /// name, the seal stored for its organisation.
    #[must_use]
    pub fn for_certificate(&self, cert: &Certificate) -> SignImages {
        let subject = &cert.tbs_certificate.subject;
        let signature = super::common_name(subject)
            .and_then(|cn| self.get(ImageKind::Signature, &cn))
            .map(|(_, i)| i);
        let seal = super::organisation(subject).and_then(|o| self.get(ImageKind::Seal, &o));
        let (seal_owner, seal) = seal.map_or((None, None), |(s, i)| (Some(s.owner), Some(i)));
        SignImages {
            signature,
            seal,
            seal_owner,
        }
    }
}

/// Whether two owners' names are the one person or body: a person's name as a certificate
/// writes it ([`super::names::match_names`]), an organisation's compared the same way.
fn same_owner(stored: &str, wanted: &str) -> bool {
    super::names::match_names(wanted, stored).matches()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// A PNG of `w`×`h` RGBA pixels: a blue stroke across the middle on a clear background,
    /// at 300 dpi.
    pub(crate) fn stroke_png(w: u32, h: u32, clear: bool) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut e = png::Encoder::new(&mut out, w, h);
            e.set_color(png::ColorType::Rgba);
            e.set_depth(png::BitDepth::Eight);
            e.set_pixel_dims(Some(png::PixelDimensions {
                xppu: 11_811,
                yppu: 11_811,
                unit: png::Unit::Meter,
            }));
            let mut wr = e.write_header().unwrap();
            let mut data = Vec::new();
            for y in 0..h {
                for _ in 0..w {
                    let ink = y.abs_diff(h / 2) < 3;
                    let a = if ink || !clear { 255 } else { 0 };
                    let c = if ink { [20, 40, 160] } else { [255, 255, 255] };
                    data.extend_from_slice(&[c[0], c[1], c[2], a]);
                }
            }
            wr.write_image_data(&data).unwrap();
        }
        out
    }

    /// A clear PNG is read with its real size; the boundaries of what is refused hold.
    #[test]
    fn pictures_are_checked() {
        let ok = read_png(&stroke_png(300, 100, true), ImageKind::Signature).unwrap();
        assert_eq!((ok.width, ok.height), (300, 100));
        // 300 px at 11,811 px/m is 25.4 mm.
        assert_eq!(ok.tenths_mm, Some((254, 84)));
        assert_eq!(
            read_png(&stroke_png(300, 100, false), ImageKind::Signature),
            Err(ImageError::NoTransparency)
        );
        assert_eq!(
            read_png(b"GIF89a....", ImageKind::Seal),
            Err(ImageError::NotPng(ImageKind::Seal.label()))
        );
        assert_eq!(
            read_png(&stroke_png(39, 100, true), ImageKind::Signature),
            Err(ImageError::Size(39, 100))
        );
        assert!(read_png(&stroke_png(40, 40, true), ImageKind::Signature).is_ok());
        assert!(read_png(&stroke_png(4000, 40, true), ImageKind::Signature).is_ok());
        assert_eq!(
            read_png(&stroke_png(4001, 40, true), ImageKind::Signature),
            Err(ImageError::Size(4001, 40))
        );
        let mut cut = stroke_png(300, 100, true);
        cut.truncate(cut.len() - 30);
        assert!(matches!(
            read_png(&cut, ImageKind::Signature),
            Err(ImageError::Damaged(_))
        ));
        assert_eq!(
            read_png(&vec![0u8; MAX_BYTES + 1], ImageKind::Signature),
            Err(ImageError::TooLarge(MAX_BYTES + 1))
        );
    }

    /// A file over the limit is refused before it is read; a missing one names its path.
    #[test]
    fn files_are_refused_by_their_size_first() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("phim.png");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_BYTES as u64 + 1)
            .unwrap();
        assert_eq!(read_file(&big), Err(ImageError::TooLarge(MAX_BYTES + 1)));
        let ok = dir.path().join("ky.png");
        std::fs::write(&ok, stroke_png(300, 100, true)).unwrap();
        assert!(read_png(&read_file(&ok).unwrap(), ImageKind::Signature).is_ok());
        let missing = dir.path().join("khong-co.png");
        assert!(
            matches!(read_file(&missing), Err(ImageError::Store { path, .. }) if path.ends_with("khong-co.png"))
        );
    }

    /// A wide picture is kept at most 1,200 pixels across, its stroke still blue.
    #[test]
    fn wide_pictures_shrink() {
        let big = read_png(&stroke_png(2500, 400, true), ImageKind::Signature).unwrap();
        assert_eq!((big.width, big.height), (833, 133));
        let mid = (66 * 833 + 400) as usize;
        assert!(big.alpha[mid] > 128, "{}", big.alpha[mid]);
        assert_eq!(&big.rgb[mid * 3..mid * 3 + 3], &[20, 40, 160]);
        assert_eq!(big.tenths_mm, Some((2116, 338)));
    }

    /// A picture kept is found by the name a certificate writes, replaced in place, and
    /// forgotten; its file goes with it.
    #[test]
    fn the_store_keeps_one_picture_per_owner() {
        let dir = tempfile::tempdir().unwrap();
        let store = ImageStore::at(dir.path().join("anh"));
        assert!(store.list().is_empty());
        store
            .put(
                ImageKind::Signature,
                "Nguyễn Đức Thịnh",
                &stroke_png(300, 100, true),
            )
            .unwrap();
        store
            .put(
                ImageKind::Signature,
                "NGUYỄN ĐỨC THỊNH",
                &stroke_png(200, 100, true),
            )
            .unwrap();
        assert_eq!(store.list().len(), 1);
        let (entry, image) = store
            .get(ImageKind::Signature, "Ông Nguyễn Đức Thịnh")
            .unwrap();
        assert_eq!(
            (entry.owner.as_str(), image.width),
            ("NGUYỄN ĐỨC THỊNH", 200)
        );
        assert!(store.get(ImageKind::Seal, "Nguyễn Đức Thịnh").is_none());
        assert!(
            store
                .get(ImageKind::Signature, "Nguyễn Đức Thình")
                .is_none()
        );
        assert_eq!(
            store.put(ImageKind::Seal, " ", &stroke_png(300, 100, true)),
            Err(ImageError::NoOwner)
        );
        let pngs = |d: &Path| {
            std::fs::read_dir(d)
                .unwrap()
                .filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .path()
                        .extension()
                        .is_some_and(|x| x == "png")
                })
                .count()
        };
        assert_eq!(pngs(store.dir()), 1);
        assert!(
            store
                .remove(ImageKind::Signature, "Nguyễn Đức Thịnh")
                .unwrap()
        );
        assert!(
            !store
                .remove(ImageKind::Signature, "Nguyễn Đức Thịnh")
                .unwrap()
        );
        assert_eq!(pngs(store.dir()), 0);
        assert!(store.list().is_empty());
    }
}
