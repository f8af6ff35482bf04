//! PDF/A-2b (ISO 19005-2, level B) for the minutes, which are kept for decades (issue 24 §4):
//! what the file must say of itself so that a reader in thirty years draws it as today.
//!
//! The rules this module makes true, and `tests/it/pdf_archival.rs` checks on every minutes
//! file (before and after signing), are:
//! - 6.6.2 an XMP metadata stream in the catalog, uncompressed, identifying the file as
//!   `pdfaid:part` 2 and `pdfaid:conformance` B, and 6.6.3 its title, author, subject,
//!   keywords, tools and dates equal to the document information dictionary's;
//! - 6.2.3 an output intent `GTS_PDFA1` whose profile is an ICC sRGB display profile (built
//!   here, [`srgb_profile`]), so that the DeviceRGB and DeviceGray the pages paint with have a
//!   defined colour;
//! - 6.3.3 every annotation printed (`/F` 4) with a normal appearance: the unsigned signature
//!   fields get an empty one;
//! - ISO 32000-1 14.9.2 the natural language, `/Lang`;
//! - and what the rest of the writer already keeps: every font embedded (subsets with their
//!   widths from the font's own advances, `CIDToGIDMap /Identity`), no encryption, no
//!   JavaScript or actions, no transfer functions, no LZW, a binary comment on the second
//!   line and a trailer `/ID`.
//!
//! A signature added later is an incremental update (allowed), and its look embeds its own
//! font (see `appearance.rs`), so a signed file stays PDF/A-2b.
#![expect(
    clippy::float_arithmetic,
    reason = "the sRGB tone curve, not vote arithmetic"
)]

use lopdf::{Dictionary, Object, Stream, StringFormat};

use super::DocumentError;
use crate::text::Lang;

/// The output condition the profile describes, as the registry names it.
pub const SRGB: &str = "sRGB IEC61966-2.1";

/// Makes `lo` (laid out, fonts embedded, fields placed, `/Lang` set) a PDF/A-2b file.
///
/// # Errors
/// [`DocumentError::Pdf`] when the catalog or the information dictionary is missing (a
/// broken writer).
pub(super) fn make_pdfa(lo: &mut lopdf::Document) -> Result<(), DocumentError> {
    let missing = |what: &str| DocumentError::Pdf(format!("PDF/A: no {what}"));
    let root = lo
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|_| missing("catalog"))?;
    let info = lo
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .and_then(|r| lo.get_dictionary(r))
        .map_err(|_| missing("document information"))?
        .clone();
    let mut xmp = Stream::new(
        {
            let mut d = Dictionary::new();
            d.set("Type", Object::Name(b"Metadata".to_vec()));
            d.set("Subtype", Object::Name(b"XML".to_vec()));
            d
        },
        xmp_packet(&info).into_bytes(),
    );
    // Readers and validators read the packet as text, so it stays uncompressed.
    xmp.allows_compression = false;
    let xmp = lo.add_object(xmp);
    let mut icc = Stream::new(
        {
            let mut d = Dictionary::new();
            d.set("N", Object::Integer(3));
            d
        },
        srgb_profile(),
    );
    icc.allows_compression = true;
    let icc = lo.add_object(icc);
    let text = |s: &str| Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
    intent.set("OutputConditionIdentifier", text(SRGB));
    intent.set("Info", text(SRGB));
    intent.set("RegistryName", text("http://www.color.org"));
    intent.set("DestOutputProfile", Object::Reference(icc));
    empty_appearances(lo);
    let catalog = lo
        .get_dictionary_mut(root)
        .map_err(|_| missing("catalog"))?;
    catalog.set("Metadata", Object::Reference(xmp));
    catalog.set(
        "OutputIntents",
        Object::Array(vec![Object::Dictionary(intent)]),
    );
    Ok(())
}

/// The BCP 47 tag of `lang`, for `/Lang`.
#[must_use]
pub fn language_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "vi-VN",
        Lang::En => "en-GB",
    }
}

/// An empty normal appearance for every widget that has none (the signature fields not yet
/// signed): PDF/A wants each printed annotation to say how it looks. Signing replaces it.
fn empty_appearances(lo: &mut lopdf::Document) {
    let widgets: Vec<(lopdf::ObjectId, f32, f32)> = lo
        .objects
        .iter()
        .filter_map(|(id, o)| {
            let d = o.as_dict().ok()?;
            let is_widget = d.get(b"Subtype").ok()?.as_name().ok()? == b"Widget";
            if !is_widget || d.has(b"AP") {
                return None;
            }
            let r: Vec<f32> = d
                .get(b"Rect")
                .ok()?
                .as_array()
                .ok()?
                .iter()
                .filter_map(|v| v.as_float().ok())
                .collect();
            match r[..] {
                [x1, y1, x2, y2] => Some((*id, (x2 - x1).abs(), (y2 - y1).abs())),
                _ => None,
            }
        })
        .collect();
    for (id, w, h) in widgets {
        let mut d = Dictionary::new();
        d.set("Type", Object::Name(b"XObject".to_vec()));
        d.set("Subtype", Object::Name(b"Form".to_vec()));
        d.set(
            "BBox",
            Object::Array(vec![0.into(), 0.into(), Object::Real(w), Object::Real(h)]),
        );
        let form = lo.add_object(Stream::new(d, Vec::new()));
        if let Ok(widget) = lo.get_dictionary_mut(id) {
            let mut ap = Dictionary::new();
            ap.set("N", Object::Reference(form));
            widget.set("AP", Object::Dictionary(ap));
        }
    }
}

/// Text for XML: the five characters XML reserves escaped.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no other control characters; none is in a title.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A PDF date "D:YYYYMMDDHHmmSS+HH'mm'" as XMP writes it, "YYYY-MM-DDTHH:mm:SS+HH:mm".
fn xmp_date(pdf: &str) -> Option<String> {
    let d = pdf.strip_prefix("D:")?;
    let digits = |r: std::ops::Range<usize>| {
        d.get(r)
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
            .map(str::to_owned)
    };
    let (y, mo, da, h, mi, s) = (
        digits(0..4)?,
        digits(4..6)?,
        digits(6..8)?,
        digits(8..10)?,
        digits(10..12)?,
        digits(12..14)?,
    );
    let zone = match d.get(14..15) {
        None | Some("Z") => "Z".to_owned(),
        Some(sign @ ("+" | "-")) => format!("{sign}{}:{}", digits(15..17)?, digits(18..20)?),
        Some(_) => return None,
    };
    Some(format!("{y}-{mo}-{da}T{h}:{mi}:{s}{zone}"))
}

/// The XMP packet saying what the information dictionary says, and that the file is
/// PDF/A-2b. Read back from the dictionary itself, so that the two cannot differ.
fn xmp_packet(info: &Dictionary) -> String {
    let get = |key: &[u8]| {
        info.get(key)
            .ok()
            .and_then(|o| lopdf::decode_text_string(o).ok())
            .filter(|s| !s.is_empty())
    };
    let mut dc = String::new();
    let mut xmp = String::new();
    let mut pdf = String::new();
    if let Some(t) = get(b"Title") {
        dc.push_str(&format!(
            "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>",
            xml(&t)
        ));
    }
    if let Some(a) = get(b"Author") {
        dc.push_str(&format!(
            "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>",
            xml(&a)
        ));
    }
    if let Some(s) = get(b"Subject") {
        dc.push_str(&format!(
            "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>",
            xml(&s)
        ));
    }
    if let Some(k) = get(b"Keywords") {
        pdf.push_str(&format!("<pdf:Keywords>{}</pdf:Keywords>", xml(&k)));
    }
    if let Some(p) = get(b"Producer") {
        pdf.push_str(&format!("<pdf:Producer>{}</pdf:Producer>", xml(&p)));
    }
    if let Some(c) = get(b"Creator") {
        xmp.push_str(&format!("<xmp:CreatorTool>{}</xmp:CreatorTool>", xml(&c)));
    }
    for (key, tag) in [
        (&b"CreationDate"[..], "xmp:CreateDate"),
        (b"ModDate", "xmp:ModifyDate"),
    ] {
        if let Some(d) = get(key).as_deref().and_then(xmp_date) {
            xmp.push_str(&format!("<{tag}>{d}</{tag}>"));
        }
    }
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n\
<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>\n\
{dc}\n{xmp}\n{pdf}\n\
</rdf:Description>\n\
</rdf:RDF>\n\
</x:xmpmeta>\n\
<?xpacket end=\"r\"?>"
    )
}

/// A number as ICC's s15Fixed16Number.
fn s15f16(v: f64) -> [u8; 4] {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "a colorimetric value under 2"
    )]
    let fixed = (v * 65536.0).round() as i32;
    fixed.to_be_bytes()
}

/// An ICC version 2 display profile of sRGB (IEC 61966-2.1), written here rather than copied
/// so that its terms are ours: the D50-adapted primaries of the standard (as the ICC's own
/// sRGB profiles give them), D50 white, and the sRGB tone curve sampled at 1,024 points. 2.7 KB
/// before compression; a validator reads it as any other RGB profile.
#[must_use]
pub fn srgb_profile() -> Vec<u8> {
    let xyz = |v: [f64; 3]| {
        let mut t = b"XYZ \0\0\0\0".to_vec();
        for c in v {
            t.extend_from_slice(&s15f16(c));
        }
        t
    };
    let curve = {
        let mut t = b"curv\0\0\0\0".to_vec();
        let n: u16 = 1024;
        t.extend_from_slice(&u32::from(n).to_be_bytes());
        for i in 0..n {
            let x = f64::from(i) / f64::from(n - 1);
            let y = if x <= 0.040_45 {
                x / 12.92
            } else {
                ((x + 0.055) / 1.055).powf(2.4)
            };
            #[expect(clippy::cast_possible_truncation, reason = "0 to 65535")]
            #[expect(clippy::cast_sign_loss, reason = "0 to 65535")]
            t.extend_from_slice(&((y * 65535.0).round() as u16).to_be_bytes());
        }
        t
    };
    let desc = {
        let text = SRGB.as_bytes();
        let mut t = b"desc\0\0\0\0".to_vec();
        t.extend_from_slice(&u32::try_from(text.len() + 1).unwrap_or(0).to_be_bytes());
        t.extend_from_slice(text);
        t.push(0);
        // No Unicode or ScriptCode description: their counts zero, the ScriptCode's 67 bytes.
        t.extend_from_slice(&[0; 4 + 4 + 2 + 1 + 67]);
        t
    };
    let cprt = {
        let mut t = b"text\0\0\0\0".to_vec();
        t.extend_from_slice(b"No copyright, use freely (tinnhiem)\0");
        t
    };
    let tags: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"desc", desc),
        (b"cprt", cprt),
        (b"wtpt", xyz([0.9642, 1.0, 0.8249])),
        (b"rXYZ", xyz([0.4361, 0.2225, 0.0139])),
        (b"gXYZ", xyz([0.3851, 0.7169, 0.0971])),
        (b"bXYZ", xyz([0.1431, 0.0606, 0.7141])),
        (b"rTRC", curve),
    ];
    // The three tone curves are one table: gTRC and bTRC point at rTRC's.
    let count = tags.len() + 2;
    let mut body = Vec::new();
    let mut table = Vec::new();
    let mut at = 128 + 4 + 12 * count;
    let mut curve_at = (0, 0);
    for (sig, data) in &tags {
        let len = data.len();
        table.push((**sig, at, len));
        if *sig == b"rTRC" {
            curve_at = (at, len);
        }
        body.extend_from_slice(data);
        // Each tag starts on a four-byte boundary.
        while body.len() % 4 != 0 {
            body.push(0);
        }
        at = 128 + 4 + 12 * count + body.len();
    }
    table.push((*b"gTRC", curve_at.0, curve_at.1));
    table.push((*b"bTRC", curve_at.0, curve_at.1));
    let size = 128 + 4 + 12 * count + body.len();
    let u32_of = |v: usize| u32::try_from(v).unwrap_or(0).to_be_bytes();
    let mut out = Vec::with_capacity(size);
    out.extend_from_slice(&u32_of(size));
    out.extend_from_slice(b"\0\0\0\0"); // CMM: none preferred
    out.extend_from_slice(&[2, 0x10, 0, 0]); // version 2.1
    out.extend_from_slice(b"mntrRGB XYZ ");
    // 2026-01-01 00:00:00: a fixed date, so that every file carries the same bytes.
    for v in [2026u16, 1, 1, 0, 0, 0] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(b"acsp");
    out.extend_from_slice(&[0; 4 + 4 + 4 + 4 + 8]); // platform, flags, maker, model, attributes
    out.extend_from_slice(&[0, 0, 0, 0]); // perceptual intent
    for c in [0.9642, 1.0, 0.8249] {
        out.extend_from_slice(&s15f16(c));
    }
    out.extend_from_slice(&[0; 4 + 16 + 28]); // creator, profile ID, reserved
    out.extend_from_slice(&u32_of(count));
    for (sig, offset, len) in table {
        out.extend_from_slice(&sig);
        out.extend_from_slice(&u32_of(offset));
        out.extend_from_slice(&u32_of(len));
    }
    out.extend_from_slice(&body);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    fn be32(b: &[u8], at: usize) -> usize {
        u32::from_be_bytes(b[at..at + 4].try_into().unwrap()) as usize
    }

    /// The profile is what ICC.1 asks of a display profile's layout: its size where the header
    /// says, "acsp", a monitor RGB→XYZ profile, every tag inside the file and on a four-byte
    /// boundary, the nine tags a matrix/TRC profile needs, and a tone curve from 0 to 1 that
    /// rises and meets sRGB's at its middle.
    #[test]
    fn the_srgb_profile_is_well_formed() {
        let p = srgb_profile();
        assert_eq!(be32(&p, 0), p.len());
        assert_eq!(&p[36..40], b"acsp");
        assert_eq!(&p[12..24], b"mntrRGB XYZ ");
        let n = be32(&p, 128);
        let mut names = Vec::new();
        for i in 0..n {
            let e = 132 + 12 * i;
            let (offset, len) = (be32(&p, e + 4), be32(&p, e + 8));
            assert_eq!(offset % 4, 0);
            assert!(offset + len <= p.len());
            names.push(String::from_utf8(p[e..e + 4].to_vec()).unwrap());
        }
        names.sort();
        assert_eq!(
            names,
            [
                "bTRC", "bXYZ", "cprt", "desc", "gTRC", "gXYZ", "rTRC", "rXYZ", "wtpt"
            ]
        );
        let e = (0..n)
            .map(|i| 132 + 12 * i)
            .find(|&e| &p[e..e + 4] == b"rTRC");
        let at = be32(&p, e.unwrap() + 4);
        assert_eq!(&p[at..at + 4], b"curv");
        assert_eq!(be32(&p, at + 8), 1024);
        let v = |i: usize| u16::from_be_bytes([p[at + 12 + 2 * i], p[at + 13 + 2 * i]]);
        assert_eq!((v(0), v(1023)), (0, 65535));
        assert!((1..1024).all(|i| v(i) >= v(i - 1)));
        // sRGB 0.5 (index 511.5) is 0.214 linear.
        assert!((14_000..14_100).contains(&v(512)), "{}", v(512));
    }

    /// PDF dates become XMP dates; what is not a date is left out.
    #[test]
    fn dates_in_xmp() {
        assert_eq!(
            xmp_date("D:20231120000000+00'00'").as_deref(),
            Some("2023-11-20T00:00:00+00:00")
        );
        assert_eq!(
            xmp_date("D:20231120093011Z").as_deref(),
            Some("2023-11-20T09:30:11Z")
        );
        assert_eq!(xmp_date("20231120"), None);
        assert_eq!(xmp_date("D:2023x120000000Z"), None);
    }

    /// What XML reserves is escaped; a title with them stays one text.
    #[test]
    fn xml_escapes() {
        assert_eq!(
            xml("A & B <c> \"d\" 'e'"),
            "A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos;"
        );
    }
}
