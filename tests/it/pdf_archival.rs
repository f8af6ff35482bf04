//! The minutes are kept for decades (issue 24 §4): PDF/A-2b, checked rule by rule on the file
//! as written and as signed (with the signature's pictures); and the signature's look as NĐ
//! 30/2020 draws it (§3): the handwritten signature, the seal over its left third, the words
//! as text.
#![expect(
    clippy::float_arithmetic,
    reason = "places on the page in points, not vote arithmetic"
)]

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use lopdf::{Document, Object};
use tinnhiem::signing::images::{ImageKind, ImageStore, SignImages, read_png};
use tinnhiem::signing::{self, Identity, SignDetails};

use crate::attacks::{chair_identity, details, final_minutes};

/// A PNG of `w`×`h` pixels at 300 dpi: a ring (a seal, when `ring`) or a thick stroke (a
/// signature) in `ink`, on a transparent background.
pub(crate) fn picture_png(w: u32, h: u32, ink: [u8; 3], ring: bool) -> Vec<u8> {
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
        let (cx, cy) = (i64::from(w) / 2, i64::from(h) / 2);
        let r = cx.min(cy) - 4;
        for y in 0..i64::from(h) {
            for x in 0..i64::from(w) {
                let inked = if ring {
                    let d2 = (x - cx).pow(2) + (y - cy).pow(2);
                    d2 <= r * r && d2 >= (r - 12) * (r - 12)
                } else {
                    (y - cy).abs() < h as i64 / 6 && x > 8 && x < i64::from(w) - 8
                };
                data.extend_from_slice(&ink);
                data.push(if inked { 255 } else { 0 });
            }
        }
        wr.write_image_data(&data).unwrap();
    }
    out
}

/// The blue signature and the red seal of the tests.
pub(crate) fn pictures() -> SignImages {
    SignImages {
        signature: Some(
            read_png(
                &picture_png(600, 200, [20, 40, 170], false),
                ImageKind::Signature,
            )
            .unwrap(),
        ),
        // 420 px at 300 dpi: 35.6 mm, a commune's seal.
        seal: Some(read_png(&picture_png(420, 420, [210, 20, 20], true), ImageKind::Seal).unwrap()),
        seal_owner: Some("Chi bộ Khu dân cư số 4".into()),
    }
}

fn dict<'a>(d: &'a Document, o: &'a Object) -> Option<&'a lopdf::Dictionary> {
    match o {
        Object::Reference(r) => d.get_object(*r).ok().and_then(|o| dict(d, o)),
        Object::Dictionary(x) => Some(x),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

fn name<'a>(d: &'a lopdf::Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    d.get(key).ok().and_then(|o| o.as_name().ok())
}

/// The text of an XMP element `tag` (its innermost text).
fn xmp_value(xmp: &str, tag: &str) -> Option<String> {
    let start = xmp.find(&format!("<{tag}>"))? + tag.len() + 2;
    let end = start + xmp[start..].find(&format!("</{tag}>"))?;
    let inner = &xmp[start..end];
    // Inside rdf:Alt / rdf:Seq: the text of the rdf:li.
    let text = match inner.find("<rdf:li") {
        Some(li) => {
            let open = li + inner[li..].find('>')? + 1;
            &inner[open..open + inner[open..].find("</rdf:li>")?]
        }
        None => inner,
    };
    Some(
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

/// Every PDF/A-2b rule the writer makes true (src/documents/archival.rs), checked on `pdf`;
/// the broken ones, named by their clause.
#[expect(clippy::too_many_lines, reason = "one rule after another, each short")]
pub(crate) fn pdfa_breaches(pdf: &[u8]) -> Vec<String> {
    let mut bad = Vec::new();
    // 6.1.2: a comment of four bytes above 127 on the second line.
    let second = pdf.split(|&b| b == b'\n').nth(1).unwrap_or_default();
    if !(second.first() == Some(&b'%') && second.iter().filter(|&&b| b > 127).count() >= 4) {
        bad.push("6.1.2 binary comment".into());
    }
    let d = Document::load_mem(pdf).unwrap();
    // 6.1.3: an ID, no encryption.
    if !matches!(d.trailer.get(b"ID"), Ok(Object::Array(a)) if a.len() == 2) {
        bad.push("6.1.3 trailer ID".into());
    }
    if d.trailer.has(b"Encrypt") {
        bad.push("6.1.3 encrypted".into());
    }
    let catalog = d.catalog().unwrap();
    // 6.6.2: XMP, uncompressed, saying PDF/A-2B.
    let meta = catalog
        .get(b"Metadata")
        .ok()
        .and_then(|m| m.as_reference().ok())
        .and_then(|r| d.get_object(r).ok())
        .and_then(|o| o.as_stream().ok());
    let Some(meta) = meta else {
        bad.push("6.6.2 no XMP metadata stream".into());
        return bad;
    };
    if meta.dict.has(b"Filter") {
        bad.push("6.6.2 the XMP stream is compressed".into());
    }
    if name(&meta.dict, b"Subtype") != Some(b"XML")
        || name(&meta.dict, b"Type") != Some(b"Metadata")
    {
        bad.push("6.6.2 the XMP stream's type".into());
    }
    let xmp = String::from_utf8(meta.content.clone()).unwrap();
    if !xmp.starts_with("<?xpacket begin=") || !xmp.trim_end().ends_with("<?xpacket end=\"r\"?>") {
        bad.push("6.6.2 the XMP packet's wrapper".into());
    }
    if xmp_value(&xmp, "pdfaid:part").as_deref() != Some("2")
        || xmp_value(&xmp, "pdfaid:conformance").as_deref() != Some("B")
    {
        bad.push("6.6.4 pdfaid part 2, conformance B".into());
    }
    // 6.6.3: the information dictionary and the XMP say the same.
    let info = dict(&d, d.trailer.get(b"Info").unwrap()).unwrap();
    for (key, tag) in [
        (&b"Title"[..], "dc:title"),
        (b"Author", "dc:creator"),
        (b"Subject", "dc:description"),
        (b"Keywords", "pdf:Keywords"),
        (b"Creator", "xmp:CreatorTool"),
        (b"Producer", "pdf:Producer"),
    ] {
        let in_info = info
            .get(key)
            .ok()
            .map(|v| lopdf::decode_text_string(v).unwrap());
        if in_info.filter(|s| !s.is_empty()) != xmp_value(&xmp, tag) {
            bad.push(format!("6.6.3 {} vs {tag}", String::from_utf8_lossy(key)));
        }
    }
    for (key, tag) in [
        (&b"CreationDate"[..], "xmp:CreateDate"),
        (b"ModDate", "xmp:ModifyDate"),
    ] {
        let pdf_date = lopdf::decode_text_string(info.get(key).unwrap()).unwrap();
        let digits: String = pdf_date
            .chars()
            .filter(char::is_ascii_digit)
            .take(14)
            .collect();
        let xmp_digits: String = xmp_value(&xmp, tag)
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .take(14)
            .collect();
        if digits != xmp_digits {
            bad.push(format!("6.6.3 {} vs {tag}", String::from_utf8_lossy(key)));
        }
    }
    // 6.2.3: one PDF/A output intent with an RGB ICC profile.
    let intents = catalog
        .get(b"OutputIntents")
        .ok()
        .and_then(|o| o.as_array().ok())
        .cloned()
        .unwrap_or_default();
    let profile = intents.first().and_then(|i| dict(&d, i)).and_then(|i| {
        (name(i, b"S") == Some(b"GTS_PDFA1")).then_some(())?;
        let r = i.get(b"DestOutputProfile").ok()?.as_reference().ok()?;
        let mut s = d.get_object(r).ok()?.as_stream().ok()?.clone();
        let _ = s.decompress();
        (s.dict.get(b"N").ok()?.as_i64().ok()? == 3).then_some(s.content)
    });
    match (intents.len(), profile) {
        (1, Some(p)) if p.get(36..40) == Some(b"acsp") && p.get(16..20) == Some(b"RGB ") => {}
        _ => bad.push("6.2.3 output intent with an RGB ICC profile".into()),
    }
    if catalog.get(b"Lang").ok().and_then(|l| l.as_str().ok()) != Some(b"vi-VN") {
        bad.push("/Lang vi-VN".into());
    }
    if let Some(form) = catalog.get(b"AcroForm").ok().and_then(|f| dict(&d, f))
        && matches!(form.get(b"NeedAppearances"), Ok(Object::Boolean(true)))
    {
        bad.push("6.4.1 NeedAppearances".into());
    }
    let mut fonts = BTreeSet::new();
    for (id, o) in &d.objects {
        let Some(x) = dict(&d, o) else { continue };
        // 6.1.7 / 6.1.10: no LZW, no JavaScript, no actions that launch or run.
        let filters = match x.get(b"Filter") {
            Ok(Object::Name(n)) => vec![n.clone()],
            Ok(Object::Array(a)) => a
                .iter()
                .filter_map(|f| f.as_name().ok().map(<[u8]>::to_vec))
                .collect(),
            _ => Vec::new(),
        };
        if filters.iter().any(|f| f == b"LZWDecode") {
            bad.push(format!("6.1.7 LZW in {id:?}"));
        }
        for key in [&b"JS"[..], b"JavaScript", b"AA", b"OpenAction", b"Launch"] {
            if x.has(key) {
                bad.push(format!(
                    "6.5/6.6.1 {} in {id:?}",
                    String::from_utf8_lossy(key)
                ));
            }
        }
        // 6.2.5: no transfer functions; 6.2.8: no interpolation, no alternates.
        if x.has(b"TR") || x.has(b"TR2") {
            bad.push(format!("6.2.5 transfer function in {id:?}"));
        }
        if matches!(x.get(b"Interpolate"), Ok(Object::Boolean(true))) || x.has(b"Alternates") {
            bad.push(format!("6.2.8 image options in {id:?}"));
        }
        if name(x, b"Subtype") == Some(b"Image")
            && matches!(x.get(b"ColorSpace"), Ok(Object::Name(n)) if n == b"DeviceCMYK")
        {
            bad.push(format!("6.2.4.3 CMYK image {id:?} with an RGB intent"));
        }
        // 6.2.11.4: every font embedded, as a subset named "ABCDEF+…".
        if name(x, b"Type") == Some(b"Font") && name(x, b"Subtype") == Some(b"Type0") {
            fonts.insert(*id);
            let base = name(x, b"BaseFont").unwrap_or_default();
            let tagged =
                base.len() > 7 && base[..6].iter().all(u8::is_ascii_uppercase) && base[6] == b'+';
            let cid = x
                .get(b"DescendantFonts")
                .ok()
                .and_then(|a| a.as_array().ok())
                .and_then(|a| a.first())
                .and_then(|c| dict(&d, c));
            let embedded = cid.is_some_and(|c| {
                c.has(b"CIDToGIDMap")
                    && c.get(b"FontDescriptor")
                        .ok()
                        .and_then(|f| dict(&d, f))
                        .is_some_and(|f| f.has(b"FontFile2"))
            });
            if !tagged || !embedded {
                bad.push(format!("6.2.11.4 font {id:?} not an embedded subset"));
            }
        }
        // 6.3.2 / 6.3.3: every annotation printed, visible, with a normal appearance.
        if name(x, b"Type") == Some(b"Annot") || name(x, b"Subtype") == Some(b"Widget") {
            let flags = x.get(b"F").ok().and_then(|f| f.as_i64().ok()).unwrap_or(0);
            if flags & 4 == 0 || flags & (1 | 2 | 32) != 0 {
                bad.push(format!("6.3.2 annotation {id:?} flags {flags}"));
            }
            let rect: Vec<f32> = x
                .get(b"Rect")
                .ok()
                .and_then(|r| r.as_array().ok())
                .map(|r| r.iter().filter_map(|v| v.as_float().ok()).collect())
                .unwrap_or_default();
            let zero = rect.len() == 4 && (rect[0] == rect[2] || rect[1] == rect[3]);
            let normal = x
                .get(b"AP")
                .ok()
                .and_then(|ap| dict(&d, ap))
                .and_then(|ap| ap.get(b"N").ok())
                .and_then(|n| n.as_reference().ok())
                .and_then(|r| d.get_object(r).ok())
                .is_some_and(|n| n.as_stream().is_ok());
            if !zero && !normal {
                bad.push(format!("6.3.3 annotation {id:?} without a look"));
            }
        }
    }
    if fonts.is_empty() {
        bad.push("no font found to check".into());
    }
    // 6.2.4.3: no CMYK painting on the pages (the intent is RGB).
    for (_, page) in d.get_pages() {
        let content = d.get_page_content(page);
        let ops = lopdf::content::Content::decode(&content).unwrap();
        if ops
            .operations
            .iter()
            .any(|op| matches!(op.operator.as_str(), "k" | "K"))
        {
            bad.push("6.2.4.3 CMYK colour on a page".into());
        }
    }
    bad
}

/// The final minutes are PDF/A-2b as written, and stay so signed twice: once with the
/// signer's pictures, once with the words alone (issue 24 §4).
#[test]
fn the_minutes_are_pdfa_2b_and_stay_so_when_signed() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pdf) = final_minutes();
    assert_eq!(pdfa_breaches(&pdf), Vec::<String>::new(), "as written");
    let id = crate::attacks::identity(dir.path());
    let with_pictures = SignDetails {
        images: pictures(),
        ..details(true)
    };
    let once = signing::sign_pdf(&pdf, &id, &with_pictures).unwrap();
    assert_eq!(pdfa_breaches(&once), Vec::<String>::new(), "signed once");
    let twice = signing::sign_pdf(
        &once,
        &chair_identity(dir.path()),
        &SignDetails {
            field: Some("Trần Thị Hồng Nhung".into()),
            ..details(true)
        },
    )
    .unwrap();
    assert_eq!(pdfa_breaches(&twice), Vec::<String>::new(), "signed twice");
    let reports = signing::verify_pdf(&twice, &[]).unwrap();
    assert_eq!(reports.len(), 2);
    assert!(reports.iter().all(|r| r.changes.is_empty()));
}

/// The checks can fail: a file without the writer's PDF/A part breaks the rules it adds.
#[test]
fn the_pdfa_checks_see_what_is_missing() {
    let (_, pdf) = final_minutes();
    let mut d = Document::load_mem(&pdf).unwrap();
    let root = d.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let catalog = d.get_dictionary_mut(root).unwrap();
    catalog.remove(b"OutputIntents");
    catalog.set("Lang", Object::string_literal("en"));
    let mut out = Vec::new();
    d.save_to(&mut out).unwrap();
    let bad = pdfa_breaches(&out);
    assert!(bad.iter().any(|b| b.starts_with("6.2.3")), "{bad:?}");
    assert!(bad.iter().any(|b| b.starts_with("/Lang")), "{bad:?}");
    // An XMP that no longer says what the information dictionary says.
    let mut d = Document::load_mem(&pdf).unwrap();
    let meta = d
        .catalog()
        .unwrap()
        .get(b"Metadata")
        .unwrap()
        .as_reference()
        .unwrap();
    let s = d.get_object_mut(meta).unwrap().as_stream_mut().unwrap();
    let xmp = String::from_utf8(s.content.clone()).unwrap();
    s.set_plain_content(xmp.replace("Biên bản", "Bien ban").into_bytes());
    let mut out = Vec::new();
    d.save_to(&mut out).unwrap();
    assert_eq!(
        pdfa_breaches(&out),
        vec!["6.6.3 Title vs dc:title".to_owned()]
    );
}

/// A title with the characters XML reserves is escaped in the XMP and reads back whole.
#[test]
fn xml_characters_in_the_title_are_escaped() {
    let mut session = tinnhiem::archive::load(Path::new("assets/examples/chi-bo.ron")).unwrap();
    session.meta.conference = "Hội nghị <Chi bộ> \"A\" & 'B'".into();
    let (_, pdf) = crate::attacks::final_minutes_of(session);
    assert_eq!(pdfa_breaches(&pdf), Vec::<String>::new());
}

/// The blue and the red pixels pdftoppm draws in `field`'s box of `pdf`, at 100 dpi.
fn box_colours(dir: &Path, pdf: &[u8], field: &signing::FreeField) -> (usize, usize) {
    let path = dir.join("box.pdf");
    fs::write(&path, pdf).unwrap();
    let d = Document::load_mem(pdf).unwrap();
    let page = d
        .get_pages()
        .into_iter()
        .find(|(_, p)| *p == field.page)
        .unwrap()
        .0
        .to_string();
    let px = |points: f32| format!("{:.0}", points * 100.0 / 72.0);
    let [x1, y1, x2, y2] = field.rect;
    let ok = std::process::Command::new("pdftoppm")
        .args(["-r", "100", "-png", "-singlefile", "-f", &page, "-l", &page])
        .args([
            "-x",
            &px(x1),
            "-y",
            &px(842.0 - y2),
            "-W",
            &px(x2 - x1),
            "-H",
            &px(y2 - y1),
        ])
        .arg(&path)
        .arg(dir.join("box"))
        .status()
        .expect("pdftoppm (poppler-utils): run tests/run.sh");
    assert!(ok.success());
    let bytes = fs::read(dir.join("box.png")).unwrap();
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut buf).unwrap();
    let channels = frame.color_type.samples();
    let (mut blue, mut red) = (0, 0);
    for p in buf[..frame.buffer_size()].chunks_exact(channels) {
        let (r, g, b) = (i32::from(p[0]), i32::from(p[1]), i32::from(p[2]));
        if b > 120 && r < 90 && g < 110 {
            blue += 1;
        }
        if r > 150 && g < 80 && b < 80 {
            red += 1;
        }
    }
    (blue, red)
}

/// The look with pictures (issue 24 §3): the form draws the signature's image and the seal's,
/// each with its transparency as a soft mask, the seal over the signature's left part and
/// drawn after it; rendered, the box has the signature's blue and the seal's red; the words
/// under them are text.
#[test]
fn the_look_draws_the_signature_and_the_seal() {
    let dir = tempfile::tempdir().unwrap();
    let (_, pdf) = final_minutes();
    let id = crate::attacks::identity(dir.path());
    let signed = signing::sign_pdf(
        &pdf,
        &id,
        &SignDetails {
            images: pictures(),
            ..details(true)
        },
    )
    .unwrap();
    let d = Document::load_mem(&signed).unwrap();
    let field = signing::unsigned_fields(&pdf).into_iter().next().unwrap();
    let widget = d.get_dictionary(field.id).unwrap();
    let ap = dict(&d, widget.get(b"AP").unwrap()).unwrap();
    let form_id = ap.get(b"N").unwrap().as_reference().unwrap();
    let mut form = d.get_object(form_id).unwrap().as_stream().unwrap().clone();
    form.decompress().unwrap();
    let xobjects = dict(
        &d,
        dict(&d, form.dict.get(b"Resources").unwrap())
            .unwrap()
            .get(b"XObject")
            .unwrap(),
    )
    .unwrap();
    for key in [&b"Sig"[..], b"Seal"] {
        let image = dict(&d, xobjects.get(key).unwrap()).unwrap();
        assert_eq!(name(image, b"Subtype"), Some(&b"Image"[..]));
        let mask = dict(&d, image.get(b"SMask").unwrap()).unwrap();
        assert_eq!(name(mask, b"ColorSpace"), Some(&b"DeviceGray"[..]));
    }
    let content = String::from_utf8_lossy(&form.content).into_owned();
    let at = |what: &str| content.find(what).unwrap();
    assert!(
        at("/Sig Do") < at("/Seal Do"),
        "the seal is drawn over: {content}"
    );
    // Where each is placed: "q w 0 0 h x y cm /Name Do Q".
    let placed = |what: &str| -> Vec<f32> {
        let line = content
            .lines()
            .find(|l| l.ends_with(&format!("/{what} Do Q")))
            .unwrap();
        line.split_whitespace()
            .skip(1)
            .take(6)
            .map(|v| v.parse().unwrap())
            .collect()
    };
    let (sig, seal) = (placed("Sig"), placed("Seal"));
    let seal_centre = seal[4] + seal[0] / 2.0;
    assert!(
        seal_centre > sig[4] && seal_centre < sig[4] + sig[0] / 3.0,
        "the seal's centre {seal_centre} on the signature's left third {sig:?}"
    );
    // Rendered: blue and red inside the box.
    let (blue, red) = box_colours(dir.path(), &signed, &field);
    assert!(
        blue > 200 && red > 200,
        "blue {blue}, red {red} pixels in the box"
    );
    let text = crate::common::pdftotext(&dir.path().join("box.pdf"));
    assert!(text.contains("Ký bởi: Phạm Văn Đức"), "{text}");
    assert!(text.contains("Cơ quan: Chi bộ Khu dân cư số 4"), "{text}");
}

/// The pictures are chosen once and found by the certificate: the signature by its common
/// name, the seal by its organisation; another person's certificate gets neither.
#[test]
fn stored_pictures_are_found_by_the_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let store = ImageStore::at(dir.path().join("anh"));
    store
        .put(
            ImageKind::Signature,
            "Phạm Văn Đức",
            &picture_png(600, 200, [20, 40, 170], false),
        )
        .unwrap();
    store
        .put(
            ImageKind::Seal,
            "CHI BỘ KHU DÂN CƯ SỐ 4",
            &picture_png(420, 420, [210, 20, 20], true),
        )
        .unwrap();
    let id: Identity = crate::attacks::identity(dir.path());
    let found = store.for_certificate(signing::KeySigner::certificate(&id));
    assert!(found.signature.is_some() && found.seal.is_some());
    assert_eq!(found.seal_owner.as_deref(), Some("CHI BỘ KHU DÂN CƯ SỐ 4"));
    let chair = chair_identity(dir.path());
    let theirs = store.for_certificate(signing::KeySigner::certificate(&chair));
    // The chair's certificate is of the same organisation: its seal, not Đức's signature.
    assert!(theirs.signature.is_none() && theirs.seal.is_some());
}

/// `sign-images` keeps a person's signature and an organisation's seal in the user's data
/// folder, lists them, refuses what is not a transparent PNG with the reason in both
/// languages (and keeps what it had), and `minutes --p12` draws them unless `--no-images`.
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one person's session: keep, refuse, list, sign, forget"
)]
fn the_command_line_keeps_pictures_and_signs_with_them() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("xdg");
    let run = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_tinnhiem"))
            .args(args)
            .env("XDG_DATA_HOME", &data)
            .output()
            .unwrap()
    };
    let os = |s: &str| std::ffi::OsString::from(s);
    let sig = crate::common::write(
        dir.path(),
        "chu-ky.png",
        &picture_png(600, 200, [20, 40, 170], false),
    );
    let seal = crate::common::write(
        dir.path(),
        "dau.png",
        &picture_png(420, 420, [210, 20, 20], true),
    );
    let opaque = {
        let mut p = picture_png(600, 200, [20, 40, 170], false);
        // The same picture with no transparent pixel: a scan on white paper.
        let img = read_png(&p, ImageKind::Signature).unwrap();
        p.clear();
        let mut e = png::Encoder::new(&mut p, img.width, img.height);
        e.set_color(png::ColorType::Rgb);
        e.write_header()
            .unwrap()
            .write_image_data(&img.rgb)
            .unwrap();
        crate::common::write(dir.path(), "scan.png", &p)
    };
    let succeeds = |args: &[&std::ffi::OsStr]| {
        let o = run(args);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    succeeds(&[
        &os("sign-images"),
        &os("--signature"),
        sig.as_os_str(),
        &os("--name"),
        &os("Phạm Văn Đức"),
    ]);
    succeeds(&[
        &os("sign-images"),
        &os("--seal"),
        seal.as_os_str(),
        &os("--org"),
        &os("Chi bộ Khu dân cư số 4"),
    ]);
    let o = run(&[
        &os("sign-images"),
        &os("--signature"),
        opaque.as_os_str(),
        &os("--name"),
        &os("Phạm Văn Đức"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("scan.png")
            && err.contains("không có nền trong suốt")
            && err.contains("no transparent background"),
        "{err}"
    );
    let listed = succeeds(&[&os("sign-images")]);
    assert!(
        listed.contains("ảnh chữ ký / signature image: Phạm Văn Đức"),
        "{listed}"
    );
    assert!(
        listed.contains("ảnh con dấu / seal image: Chi bộ Khu dân cư số 4"),
        "{listed}"
    );
    assert!(data.join("tinnhiem/anh-chu-ky").is_dir());

    let archive = dir.path().join("s.ron");
    fs::copy("assets/examples/chi-bo.ron", &archive).unwrap();
    succeeds(&[
        &os("finalise"),
        archive.as_os_str(),
        &os("--operator"),
        &os("Lê Quang Vinh"),
    ]);
    let p12 = crate::common::make_p12(dir.path(), "pw");
    let pw = crate::common::write(dir.path(), "pw.txt", b"pw\n");
    let minutes = |out: &Path, extra: &[&str]| {
        let mut args: Vec<std::ffi::OsString> = vec![
            os("minutes"),
            archive.clone().into_os_string(),
            os("-o"),
            out.as_os_str().to_owned(),
            os("--p12"),
            p12.clone().into_os_string(),
            os("--password-file"),
            pw.clone().into_os_string(),
            os("--operator"),
            os("Lê Quang Vinh"),
        ];
        args.extend(extra.iter().map(|a| os(a)));
        let refs: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsString::as_os_str).collect();
        succeeds(&refs);
        let d = Document::load_mem(&fs::read(out).unwrap()).unwrap();
        d.objects
            .values()
            .filter_map(|o| o.as_stream().ok())
            .filter(|s| name(&s.dict, b"Subtype") == Some(b"Image"))
            .count()
    };
    // The signature and the seal, each with its soft mask; none with --no-images.
    assert_eq!(minutes(&dir.path().join("a.pdf"), &[]), 4);
    assert_eq!(minutes(&dir.path().join("b.pdf"), &["--no-images"]), 0);
    succeeds(&[
        &os("sign-images"),
        &os("--remove"),
        &os("--name"),
        &os("Phạm Văn Đức"),
    ]);
    assert_eq!(minutes(&dir.path().join("c.pdf"), &[]), 2, "the seal alone");
}
