//! The look of a digital signature in the signer's block of the minutes, as Vietnamese
//! e-documents show one: "Ký bởi: &lt;name&gt;", the organisation, the time in Vietnam's time, in a
//! thin frame. Drawn as glyph outlines, so that the signature's update needs no font of its
//! own (the document's fonts are subsets that may lack the signer's letters).
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use std::fmt::Write as _;

use x509_cert::Certificate;

use super::layout::{Fonts, Style};
use super::render::outline_text;
use crate::signing::{SignDetails, common_name, organisation};
use crate::text::Lang;

/// Largest text size of the appearance, in points.
const SIZE: f32 = 9.0;
/// The ink: a dark blue, as signature stamps are.
const INK: &str = "0.05 0.15 0.55";

/// The appearance of a signature by `cert` with `details` in a field `rect` (x1, y1, x2, y2):
/// a complete Form XObject (dictionary and stream), or `None` when the field is too small.
#[must_use]
pub fn signature_appearance(
    cert: &Certificate,
    details: &SignDetails,
    rect: [f32; 4],
) -> Option<Vec<u8>> {
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
    let mut lines = vec![(Style::Bold, format!("{by}: {name}"))];
    if let Some(o) = organisation(subject) {
        lines.push((Style::Regular, format!("{org}: {o}")));
    }
    lines.push((Style::Regular, format!("{at}: {time}")));
    // One size for every line, the largest that fits the width and the height.
    let pad = 3.0;
    let widest = lines
        .iter()
        .map(|(style, t)| fonts.width(*style, 1.0, t))
        .fold(0.0, f32::max);
    let size = SIZE
        .min((w - 2.0 * pad) / widest.max(1.0))
        .min((h - 2.0 * pad) / (lines.len() as f32 * 1.2));
    if size < 4.0 {
        return None;
    }
    let mut content = format!(
        "q\n{INK} RG 0.6 w 0.3 0.3 {:.2} {:.2} re S\n{INK} rg\n",
        w - 0.6,
        h - 0.6
    );
    let block = lines.len() as f32 * size * 1.2;
    let mut baseline = (h + block) / 2.0 - size;
    for (style, text) in &lines {
        let mut glyphs = String::new();
        let upem = outline_text(text, *style, &mut glyphs).ok()?;
        let s = size / upem;
        let _ = write!(
            content,
            "q {s:.6} 0 0 {s:.6} {pad:.2} {baseline:.2} cm\n{glyphs}f Q\n"
        );
        baseline -= size * 1.2;
    }
    content.push_str("Q\n");
    // Glyph outlines are long and repetitive: compressed, a signature's look is a few
    // kilobytes instead of tens (issue 24 §2: ten signers).
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut z, content.as_bytes()).ok()?;
    let packed = z.finish().ok()?;
    let mut out = format!(
        "<</Type/XObject/Subtype/Form/BBox[0 0 {w:.2} {h:.2}]/Resources<<>>/Filter/FlateDecode/Length {}>>\nstream\n",
        packed.len()
    )
    .into_bytes();
    out.extend_from_slice(&packed);
    out.extend_from_slice(b"\nendstream");
    Some(out)
}
