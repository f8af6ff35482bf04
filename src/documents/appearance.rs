//! The look of a digital signature in the signer's block of the minutes, as NĐ 30/2020/NĐ-CP
//! (Phụ lục I, mục II) describes a Vietnamese e-document's: the image of the signer's
//! handwritten signature, the organisation's seal over about its left third, and who signed
//! and when (ISO 8601 with Vietnam's offset and seconds). Without pictures, the words alone
//! in a thin frame, as before.
//!
//! The words are text in a font subset embedded with the look (the document's own fonts are
//! subsets that may lack the signer's letters), so that a reader can select, search and
//! extract them; one face, the regular, keeps the look small.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use std::fmt::Write as _;

use lopdf::{Dictionary, Object, Stream};
use x509_cert::Certificate;

use super::compact::FaceCodes;
use super::layout::{Fonts, Style};
use crate::signing::images::SignImage;
use crate::signing::{Look, SignDetails, common_name, organisation};
use crate::text::Lang;

/// Largest text size of the words alone: 10 pt of a Times-like face, as NĐ 30/2020 shows
/// a signature's information (smaller when the box is narrower).
const SIZE: f32 = 10.0;
/// Text size under a signature's picture.
const SMALL: f32 = 6.5;
/// The ink: a dark blue, as signature stamps are.
const INK: &str = "0.05 0.15 0.55";
/// The font's resource name in the look.
const FONT: &str = "F1";
/// Millimetres to points.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// The appearance of a signature by `cert` with `details` in a field `rect` (x1, y1, x2, y2):
/// the Form XObject and the font and pictures it draws with, or `None` when the field is too
/// small.
#[must_use]
pub fn signature_appearance(
    cert: &Certificate,
    details: &SignDetails,
    rect: [f32; 4],
) -> Option<Look> {
    let (w, h) = (rect[2] - rect[0], rect[3] - rect[1]);
    if w < 20.0 || h < 12.0 {
        return None;
    }
    let fonts = Fonts::load().ok()?;
    let subject = &cert.tbs_certificate.subject;
    let name = common_name(subject).unwrap_or_else(|| subject.to_string());
    let time = crate::model::Timestamp(details.time.as_secs()).vietnam_iso();
    let (by, org, at) = match details.lang {
        Lang::Vi => ("Ký bởi", "Cơ quan", "Thời gian ký"),
        Lang::En => ("Signed by", "Organisation", "Signed at"),
    };
    let images = &details.images;
    let mut lines = vec![format!("{by}: {name}")];
    let organisation = images.seal_owner.clone().or_else(|| organisation(subject));
    if let Some(o) = organisation {
        lines.push(format!("{org}: {o}"));
    }
    lines.push(format!("{at}: {time}"));
    lines.iter_mut().for_each(|l| *l = crate::text::nfc(l));

    let mut objects = lopdf::Document::with_version("1.7");
    let mut chars: Vec<char> = lines.iter().flat_map(|l| l.chars()).collect();
    chars.sort_unstable();
    chars.dedup();
    let chars: String = chars.into_iter().collect();
    let face = fonts.face(Style::Regular);
    let (font, codes) = super::fontfile::embed_as(
        &mut objects,
        Style::Regular,
        (&chars, &subset_tag(&chars)),
        |ch| face.glyph_id(ch),
    )
    .ok()?;
    let mut xobjects = Dictionary::new();
    let mut content = String::from("q\n");
    let pictured = images.signature.is_some() || images.seal.is_some();
    let pad = 2.0;
    // The words: under the pictures, small; alone, as large as fits, in a frame.
    let (size, text_top) = if pictured {
        let size = fit_size(&fonts, &lines, w - 2.0 * pad, SMALL)?;
        (size, pad + lines.len() as f32 * size * 1.15)
    } else {
        let size = fit_size(&fonts, &lines, w - 2.0 * pad, SIZE)?
            .min((h - 2.0 * pad) / (lines.len() as f32 * 1.2));
        if size < 4.0 {
            return None;
        }
        let _ = writeln!(
            content,
            "{INK} RG 0.6 w 0.3 0.3 {:.2} {:.2} re S",
            w - 0.6,
            h - 0.6
        );
        let block = lines.len() as f32 * size * 1.2;
        ((size), (h + block) / 2.0)
    };
    if pictured {
        // The pictures share the room above the words.
        let room = [pad, text_top + 1.0, w - 2.0 * pad, h - text_top - 1.0 - pad];
        if room[3] < 8.0 {
            return None;
        }
        draw_pictures(&mut objects, &mut xobjects, &mut content, images, (room, h))?;
    }
    let _ = writeln!(content, "{INK} rg BT /{FONT} {size:.2} Tf");
    let mut baseline = text_top - size;
    for line in &lines {
        let hex = codes_of(&codes, line)?;
        // Under pictures, centred as the printed name under them is; in the frame, from
        // its left edge.
        let x = if pictured {
            ((w - fonts.width(Style::Regular, size, line)) / 2.0).max(pad)
        } else {
            pad
        };
        let _ = writeln!(content, "1 0 0 1 {x:.2} {baseline:.2} Tm <{hex}> Tj");
        baseline -= size * if pictured { 1.15 } else { 1.2 };
    }
    content.push_str("ET\nQ\n");
    let mut fonts_dict = Dictionary::new();
    fonts_dict.set(FONT, Object::Reference(font));
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(fonts_dict));
    if !xobjects.is_empty() {
        resources.set("XObject", Object::Dictionary(xobjects));
    }
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XObject".to_vec()));
    dict.set("Subtype", Object::Name(b"Form".to_vec()));
    dict.set(
        "BBox",
        Object::Array(vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)]),
    );
    dict.set("Resources", Object::Dictionary(resources));
    let form = objects.add_object(deflated(dict, content.as_bytes())?);
    Some(Look { objects, form })
}

/// Six capital letters from the characters a subset holds, as subsetting tools name one: two
/// looks with the same letters share a tag, and a look's subset is named apart from the document's.
fn subset_tag(chars: &str) -> String {
    let digest = <sha2::Sha256 as sha2::Digest>::digest(chars.as_bytes());
    digest
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// The largest size up to `max` at which every line fits `width`.
fn fit_size(fonts: &Fonts, lines: &[String], width: f32, max: f32) -> Option<f32> {
    let widest = lines
        .iter()
        .map(|t| fonts.width(Style::Regular, 1.0, t))
        .fold(0.0, f32::max);
    let size = max.min(width / widest.max(1.0));
    (size >= 3.0).then_some(size)
}

/// The codes of `text` in the embedded subset, as hex digits.
fn codes_of(codes: &FaceCodes, text: &str) -> Option<String> {
    let mut hex = String::new();
    for ch in text.chars() {
        let g = codes.get(ch)?;
        let _ = write!(hex, "{:02X}{:02X}", g.code[0], g.code[1]);
    }
    Some(hex)
}

/// A stream of `dict` with `content` deflated.
fn deflated(mut dict: Dictionary, content: &[u8]) -> Option<Stream> {
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut z, content).ok()?;
    let packed = z.finish().ok()?;
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    // Written as it is: already compressed.
    let mut s = Stream::new(dict, packed);
    s.allows_compression = false;
    Some(s)
}

/// An image XObject of `image`: its colours, and its coverage as a soft mask.
fn image_xobject(objects: &mut lopdf::Document, image: &SignImage) -> Option<lopdf::ObjectId> {
    let base = |space: &[u8]| {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"XObject".to_vec()));
        d.set("Subtype", Object::Name(b"Image".to_vec()));
        d.set("Width", Object::Integer(image.width.into()));
        d.set("Height", Object::Integer(image.height.into()));
        d.set("ColorSpace", Object::Name(space.to_vec()));
        d.set("BitsPerComponent", Object::Integer(8));
        d
    };
    let mask = objects.add_object(deflated(base(b"DeviceGray"), &image.alpha)?);
    let mut colour = base(b"DeviceRGB");
    colour.set("SMask", Object::Reference(mask));
    Some(objects.add_object(deflated(colour, &image.rgb)?))
}

/// The signature's picture in `room` (left, bottom, width, height), as large as fits with its
/// proportions, and the seal at its real size over about the signature's left third (NĐ
/// 30/2020, Phụ lục I, mục II); a seal alone at the left. A seal taller than the block (the
/// minutes' room to sign is about 19 mm; a seal is 30 to 42 mm) is drawn as tall as the
/// block, over the words too, as a seal on paper covers what is under it.
fn draw_pictures(
    objects: &mut lopdf::Document,
    xobjects: &mut Dictionary,
    content: &mut String,
    images: &crate::signing::images::SignImages,
    ([x, y, w, h], full): ([f32; 4], f32),
) -> Option<()> {
    let fit = |image: &SignImage, max_w: f32, max_h: f32| {
        let (iw, ih) = (image.width as f32, image.height as f32);
        let s = (max_w / iw).min(max_h / ih);
        (iw * s, ih * s)
    };
    let mut place = |name: &str, image: &SignImage, at: [f32; 4]| -> Option<()> {
        let id = image_xobject(objects, image)?;
        xobjects.set(name, Object::Reference(id));
        let _ = writeln!(
            content,
            "q {:.2} 0 0 {:.2} {:.2} {:.2} cm /{name} Do Q",
            at[2], at[3], at[0], at[1]
        );
        Some(())
    };
    let seal_size = |seal: &SignImage| {
        let real = seal
            .tenths_mm
            .map(|(sw, sh)| (sw as f32 / 10.0 * PT_PER_MM, sh as f32 / 10.0 * PT_PER_MM));
        let (sw, sh) = real.unwrap_or_else(|| fit(seal, full, full));
        let s = (full / sh).min(w / sw).min(1.0);
        (sw * s, sh * s)
    };
    match (&images.signature, &images.seal) {
        (Some(sig), seal) => {
            let (sw, sh) = fit(sig, w, h);
            let left = x + (w - sw) / 2.0;
            let bottom = y + (h - sh) / 2.0;
            place("Sig", sig, [left, bottom, sw, sh])?;
            if let Some(seal) = seal {
                // Its centre on the signature's left third: it covers about that third.
                let (dw, dh) = seal_size(seal);
                let cx = (left + sw / 6.0).max(x + dw / 2.0);
                place("Seal", seal, [cx - dw / 2.0, (full - dh) / 2.0, dw, dh])?;
            }
        }
        (None, Some(seal)) => {
            let (dw, dh) = seal_size(seal);
            place("Seal", seal, [x, (full - dh) / 2.0, dw, dh])?;
        }
        (None, None) => {}
    }
    Some(())
}
