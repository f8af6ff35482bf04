//! The known attacks on PDF signatures (docs/signing.md), each played against `verify` as an
//! attacker would play it: incremental saving, signature wrapping, universal signature
//! forgery, shadow attacks (hide, replace, hide-and-replace), and changes between two
//! signatures. Each forged file is built from a real signed file with the attacker's tools
//! below (an update writer and a signer of chosen byte ranges); `verify_pdf` must refuse it
//! or name the change, and a legitimate second and tenth signature must still pass.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Duration;

use lopdf::{Dictionary, Object};
use sha2::{Digest, Sha256};
use tinnhiem::signing::{self, Change, Forgery, Identity, SignDetails, VerifyError};

use crate::common::run;

/// Room for the attacker's CMS, in bytes, as the app leaves it.
const ROOM: usize = 16 * 1024;

pub(crate) fn identity(dir: &Path) -> Identity {
    let p12 = fs::read(crate::common::make_p12(dir, "pw")).unwrap();
    Identity::from_pkcs12(&p12, "pw").unwrap()
}

/// The chair's own certificate (the minutes' second block is hers).
pub(crate) fn chair_identity(dir: &Path) -> Identity {
    let p12 = fs::read(crate::common::make_p12_of(dir, "pw", "Trần Thị Hồng Nhung")).unwrap();
    Identity::from_pkcs12(&p12, "pw").unwrap()
}

pub(crate) fn details(look: bool) -> SignDetails {
    SignDetails {
        name: "Phạm Văn Đức".into(),
        reason: "Ký biên bản kiểm phiếu".into(),
        location: "Đà Nẵng".into(),
        time: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or(Duration::ZERO),
        lang: tinnhiem::text::Lang::Vi,
        appearance: look.then_some(tinnhiem::documents::appearance::signature_appearance),
        field: None,
        on_behalf: None,
        images: tinnhiem::signing::images::SignImages::default(),
    }
}

pub(crate) fn doc(pdf: &[u8]) -> lopdf::Document {
    lopdf::Document::load_mem(pdf).unwrap()
}

/// A stream object's text.
pub(crate) fn stream(content: &str) -> String {
    format!(
        "<</Length {}>>\nstream\n{content}\nendstream",
        content.len()
    )
}

/// A PDF of these objects (numbered from 1; the first is the catalog), with its xref table,
/// and `dead` bytes after the header that no xref entry points at.
fn pdf_with_dead_bytes(dead: &str, objects: &[String]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    out.extend_from_slice(dead.as_bytes());
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<</Size {}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A one-page document with text in Helvetica: objects 1 catalog, 2 pages, 3 page, 4 content,
/// 5 font; `page_extra` goes into the page dictionary, `more` are objects 6, 7, ...
pub(crate) fn document(contents: &str, page_extra: &str, more: &[String]) -> Vec<u8> {
    document_with_dead_bytes("", contents, page_extra, more)
}

/// [`document`] with dead bytes after the header.
fn document_with_dead_bytes(
    dead: &str,
    contents: &str,
    page_extra: &str,
    more: &[String],
) -> Vec<u8> {
    let mut objects = vec![
        "<</Type/Catalog/Pages 2 0 R>>".to_owned(),
        "<</Type/Pages/Kids[3 0 R]/Count 1>>".to_owned(),
        format!(
            "<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents {contents}/Resources<</Font<</F1 5 0 R>>>>{page_extra}>>"
        ),
        stream("BT /F1 24 Tf 72 720 Td (Phieu tin nhiem: 12 cao) Tj ET"),
        "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>".to_owned(),
    ];
    objects.extend_from_slice(more);
    pdf_with_dead_bytes(dead, &objects)
}

/// The offset the file's last `startxref` states.
pub(crate) fn startxref(pdf: &[u8]) -> usize {
    let at = pdf.windows(9).rposition(|w| w == b"startxref").unwrap() + 9;
    std::str::from_utf8(&pdf[at..(at + 24).min(pdf.len())])
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// A lopdf object as PDF text (strings in hex).
fn text(o: &Object) -> String {
    match o {
        Object::Null => "null".into(),
        Object::Boolean(b) => b.to_string(),
        Object::Integer(i) => i.to_string(),
        Object::Real(r) => r.to_string(),
        Object::Name(n) => format!("/{}", String::from_utf8_lossy(n)),
        Object::String(s, _) => {
            s.iter().fold("<".to_owned(), |mut t, b| {
                let _ = write!(t, "{b:02X}");
                t
            }) + ">"
        }
        Object::Array(a) => format!("[{}]", a.iter().map(text).collect::<Vec<_>>().join(" ")),
        Object::Dictionary(d) => dict_text(d),
        Object::Stream(_) => panic!("no inline streams"),
        Object::Reference((n, g)) => format!("{n} {g} R"),
    }
}

pub(crate) fn dict_text(d: &Dictionary) -> String {
    let mut s = "<<".to_owned();
    for (k, v) in d {
        let _ = write!(s, "/{} {}", String::from_utf8_lossy(k), text(v));
    }
    s + ">>"
}

/// What an editor's incremental update holds.
#[derive(Default)]
pub(crate) struct Edit {
    /// Objects (id, body) written anew.
    pub(crate) objects: Vec<(u32, String)>,
    /// Objects marked free.
    pub(crate) freed: Vec<u32>,
    /// Objects pointed at bytes already in the file (id, offset), written nowhere.
    pub(crate) pointed: Vec<(u32, usize)>,
    /// Trailer entries set besides `/Size`, `/Root`, `/Info`, `/ID` and `/Prev`.
    pub(crate) trailer: Vec<(&'static str, Object)>,
}

/// Appends an incremental update of `objects` (id, body), as any PDF editor writes one.
pub(crate) fn update(pdf: &[u8], objects: &[(u32, String)]) -> Vec<u8> {
    update_with(
        pdf,
        &Edit {
            objects: objects.to_vec(),
            ..Edit::default()
        },
    )
}

/// Appends an incremental update: the objects after the file, a classic xref table and a
/// trailer chained to the file's last section.
pub(crate) fn update_with(pdf: &[u8], edit: &Edit) -> Vec<u8> {
    let d = doc(pdf);
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut entries = Vec::new();
    for (id, body) in &edit.objects {
        entries.push((*id, Some(out.len())));
        out.extend_from_slice(format!("{id} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    entries.extend(edit.freed.iter().map(|id| (*id, None)));
    entries.extend(edit.pointed.iter().map(|(id, at)| (*id, Some(*at))));
    entries.sort_unstable();
    let xref = out.len();
    let mut table = String::from("xref\n");
    for (id, at) in &entries {
        match at {
            Some(at) => {
                let _ = write!(table, "{id} 1\n{at:010} 00000 n \n");
            }
            None => {
                let _ = write!(table, "{id} 1\n0000000000 00001 f \n");
            }
        }
    }
    let size = entries
        .iter()
        .map(|(id, _)| id + 1)
        .max()
        .unwrap_or(0)
        .max(d.max_id + 1);
    let mut trailer = Dictionary::new();
    trailer.set("Size", i64::from(size));
    for key in [&b"Root"[..], b"Info", b"ID"] {
        if let Ok(v) = d.trailer.get(key) {
            trailer.set(key, v.clone());
        }
    }
    for (key, value) in &edit.trailer {
        trailer.set(*key, value.clone());
    }
    trailer.set("Prev", i64::try_from(startxref(pdf)).unwrap());
    let _ = write!(
        table,
        "trailer\n{}\nstartxref\n{xref}\n%%EOF\n",
        dict_text(&trailer)
    );
    out.extend_from_slice(table.as_bytes());
    out
}

/// The attacker's signer: appends an update with signature dictionary `sig_id` (its `extra`
/// keys after the placeholders) and `objects`, then signs the byte ranges `choose` picks
/// from the file and the placeholder's `/Contents` span (`<` to `>` inclusive).
fn attacker_sign(
    pdf: &[u8],
    id: &Identity,
    sig_id: u32,
    extra: &str,
    objects: &[(u32, String)],
    choose: impl Fn(&[u8], usize, usize) -> [usize; 4],
) -> Vec<u8> {
    let body = format!(
        "<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/ByteRange[0 0000000000 0000000000 0000000000]/Contents<{}>{extra}>>",
        "0".repeat(ROOM * 2)
    );
    let mut all = vec![(sig_id, body)];
    all.extend_from_slice(objects);
    let mut out = update(pdf, &all);
    let marker = format!("{sig_id} 0 obj\n<</Type/Sig");
    let at = out
        .windows(marker.len())
        .rposition(|w| w == marker.as_bytes())
        .unwrap();
    let br = at
        + out[at..]
            .windows(11)
            .position(|w| w == b"/ByteRange[")
            .unwrap()
        + 11;
    let cs = at
        + out[at..]
            .windows(10)
            .position(|w| w == b"/Contents<")
            .unwrap()
        + 9;
    let ce = cs + ROOM * 2 + 2;
    let [r0, r1, r2, r3] = choose(&out, cs, ce);
    let range = format!("{r0} {r1:010} {r2:010} {r3:010}");
    out[br..br + range.len()].copy_from_slice(range.as_bytes());
    let digest = Sha256::new()
        .chain_update(&out[r0..r0 + r1])
        .chain_update(&out[r2..r2 + r3])
        .finalize();
    let der = signing::cms::signed_data(id, &digest).unwrap();
    let hex: String = der.iter().map(|b| format!("{b:02x}")).collect();
    // Into the gap, wherever the attacker put it.
    out[r1 + 1..r1 + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    out
}

/// The honest choice: everything but the `/Contents` string, to the end of the file.
fn whole(file: &[u8], cs: usize, ce: usize) -> [usize; 4] {
    [0, cs, ce, file.len() - ce]
}

/// An invisible signature field on the page (object 3 in [`document`]) whose value is
/// `sig`, and the catalog and page that list it: objects for an update.
fn new_field(pdf: &[u8], field: u32, sig: u32) -> Vec<(u32, String)> {
    field_at(pdf, field, Some(sig), "[0 0 0 0]")
}

/// A signature field on the page with this value and rectangle, and the catalog and page
/// that list it.
pub(crate) fn field_at(pdf: &[u8], field: u32, sig: Option<u32>, rect: &str) -> Vec<(u32, String)> {
    let d = doc(pdf);
    let mut catalog = d.catalog().unwrap().clone();
    let mut form = match catalog.get(b"AcroForm") {
        Ok(o) => o.as_dict().unwrap().clone(),
        Err(_) => Dictionary::new(),
    };
    let mut fields = form
        .get(b"Fields")
        .and_then(Object::as_array)
        .cloned()
        .unwrap_or_default();
    fields.push(Object::Reference((field, 0)));
    form.set("Fields", fields);
    form.set("SigFlags", 3);
    catalog.set("AcroForm", form);
    let root = d.trailer.get(b"Root").unwrap().as_reference().unwrap();
    let mut page = d.get_dictionary((3, 0)).unwrap().clone();
    let mut annots = page
        .get(b"Annots")
        .and_then(Object::as_array)
        .cloned()
        .unwrap_or_default();
    annots.push(Object::Reference((field, 0)));
    page.set("Annots", annots);
    vec![
        (
            field,
            format!(
                "<</Type/Annot/Subtype/Widget/FT/Sig/Rect{rect}/F 132/T(Sig{field}){}/P 3 0 R>>",
                sig.map(|s| format!("/V {s} 0 R")).unwrap_or_default()
            ),
        ),
        (3, dict_text(&page)),
        (root.0, dict_text(&catalog)),
    ]
}

/// A document signed once, honestly, by tinnhiem.
pub(crate) fn signed_document(dir: &Path) -> (Vec<u8>, Identity) {
    let id = identity(dir);
    let pdf = signing::sign_pdf(&document("4 0 R", "", &[]), &id, &details(false)).unwrap();
    (pdf, id)
}

/// The example finalised, and its minutes.
pub(crate) fn final_minutes() -> (tinnhiem::model::Session, Vec<u8>) {
    final_minutes_of(tinnhiem::archive::load(Path::new("assets/examples/chi-bo.ron")).unwrap())
}

/// `session` finalised, and its minutes.
pub(crate) fn final_minutes_of(
    mut session: tinnhiem::model::Session,
) -> (tinnhiem::model::Session, Vec<u8>) {
    use tinnhiem::documents::minutes::{MinutesOptions, minutes_pdf};
    session
        .finalise("Phạm Văn Đức", tinnhiem::model::Timestamp(1_702_600_000))
        .unwrap();
    let pdf = minutes_pdf(
        &session,
        MinutesOptions::for_session(&session, tinnhiem::text::Lang::Vi),
    )
    .unwrap();
    (session, pdf)
}

/// The final minutes of the example, signed once with their visible look, and the session.
pub(crate) fn signed_minutes(dir: &Path) -> (Vec<u8>, Identity, tinnhiem::model::Session) {
    let (session, pdf) = final_minutes();
    let id = identity(dir);
    let signed = signing::sign_pdf(&pdf, &id, &details(true)).unwrap();
    (signed, id, session)
}

/// Whether `verify_pdf` calls every signature of `pdf` valid with nothing changed after it:
/// what an attack must never achieve.
fn fully_valid(pdf: &[u8]) -> bool {
    signing::verify_pdf(pdf, &[]).is_ok_and(|rs| rs.iter().all(|r| r.changes.is_empty()))
}

/// The changes each signature reports.
fn changes(pdf: &[u8]) -> Vec<Vec<Change>> {
    signing::verify_pdf(pdf, &[])
        .unwrap()
        .into_iter()
        .map(|r| r.changes)
        .collect()
}

/// The first signature dictionary of a document, and its range.
fn signature_of(d: &lopdf::Document) -> (lopdf::ObjectId, Dictionary, [usize; 4]) {
    let (id, sig) = d
        .objects
        .iter()
        .find(|(_, o)| o.as_dict().is_ok_and(|d| d.get(b"ByteRange").is_ok()))
        .map(|(id, o)| (*id, o.as_dict().unwrap().clone()))
        .unwrap();
    let range: Vec<usize> = sig
        .get(b"ByteRange")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| usize::try_from(v.as_i64().unwrap()).unwrap())
        .collect();
    (id, sig, range.try_into().unwrap())
}

/// The `/Prev` of the file's last trailer (lopdf drops it from the trailer it keeps).
fn prev_of_last_trailer(pdf: &[u8]) -> usize {
    let t = pdf.windows(7).rposition(|w| w == b"trailer").unwrap();
    let p = t + pdf[t..].windows(6).position(|w| w == b"/Prev ").unwrap() + 6;
    std::str::from_utf8(&pdf[p..p + 20])
        .unwrap()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The in-use entries (id, offset) of the classic xref table at `at`, one-object sections
/// as tinnhiem writes them.
fn table_entries(pdf: &[u8], at: usize) -> Vec<(u32, usize)> {
    let mut out = Vec::new();
    let table = std::str::from_utf8(&pdf[at..]).unwrap_or_default();
    let mut lines = table.lines().skip(1);
    while let Some(line) = lines.next() {
        let mut it = line.split_whitespace();
        let (Some(first), Some(_)) = (it.next(), it.next()) else {
            break;
        };
        let entry = lines.next().unwrap();
        out.push((first.parse().unwrap(), entry[..10].parse().unwrap()));
    }
    out
}

/// The wrapping attack on a signed file: see [`signature_wrapping_is_refused`].
fn wrap(signed: &[u8]) -> Vec<u8> {
    let d = doc(signed);
    let (sig_id, sig, [_, a, b, c]) = signature_of(&d);
    assert_eq!(b + c, signed.len());
    let x_sig = startxref(signed);
    let x_orig = prev_of_last_trailer(signed);
    // The signature update's own objects (widget, look, catalog), where they lie in the
    // signed file: the attacker's xref points at them once they have moved down.
    let moved: Vec<(u32, usize)> = table_entries(signed, x_sig)
        .into_iter()
        .filter(|(id, _)| *id != sig_id.0)
        .collect();
    let pages = d.get_pages();
    let (_, &last_page) = pages.iter().next_back().unwrap();
    let size = d.max_id + 1;
    let content = size;
    // The CMS without its zero padding: 0x30 0x82 HH LL and what it says follows.
    let cms: Vec<u8> = {
        let hex = &signed[a + 1..b - 1];
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(std::str::from_utf8(&hex[i..i + 2]).unwrap(), 16).unwrap())
            .collect();
        bytes[..4 + (usize::from(bytes[2]) << 8 | usize::from(bytes[3]))].to_vec()
    };

    // The inserted block: it closes the original dictionary, then holds the attacker's
    // objects, then (at exactly the old xref's offset) the attacker's xref and trailer.
    let build = |inserted_len: usize| -> Vec<u8> {
        let mut block: Vec<u8> = b">>\nendobj\n".to_vec();
        let mut offsets: Vec<(u32, usize)> = Vec::new();
        let base = b; // the block starts where the second range used to
        let overlay =
            stream("0 0 0 rg 60 60 470 700 re f 1 1 1 rg BT /F1 40 Tf 100 400 Td (GIA MAO) Tj ET");
        offsets.push((content, base + block.len()));
        block.extend_from_slice(format!("{content} 0 obj\n{overlay}\nendobj\n").as_bytes());
        let mut page = d.get_dictionary(last_page).unwrap().clone();
        page.set("Contents", Object::Reference((content, 0)));
        offsets.push((last_page.0, base + block.len()));
        block.extend_from_slice(
            format!("{} 0 obj\n{}\nendobj\n", last_page.0, dict_text(&page)).as_bytes(),
        );
        let mut forged = sig.clone();
        forged.set(
            "ByteRange",
            vec![
                Object::Integer(0),
                Object::Integer(i64::try_from(a).unwrap()),
                Object::Integer(i64::try_from(b + inserted_len).unwrap()),
                Object::Integer(i64::try_from(c).unwrap()),
            ],
        );
        forged.set(
            "Contents",
            Object::String(cms.clone(), lopdf::StringFormat::Hexadecimal),
        );
        offsets.push((sig_id.0, base + block.len()));
        block.extend_from_slice(
            format!("{} 0 obj\n{}\nendobj\n", sig_id.0, dict_text(&forged)).as_bytes(),
        );
        assert!(base + block.len() <= x_sig, "the attacker's objects fit");
        block.resize(x_sig - base, b' ');
        for (id, at) in &moved {
            offsets.push((*id, at + inserted_len));
        }
        offsets.sort_unstable();
        let mut xref = String::from("xref\n");
        for (id, at) in &offsets {
            let _ = write!(xref, "{id} 1\n{at:010} 00000 n \n");
        }
        let mut trailer = Dictionary::new();
        trailer.set("Size", i64::from(size + 1));
        for key in [&b"Root"[..], b"Info", b"ID"] {
            if let Ok(v) = d.trailer.get(key) {
                trailer.set(key, v.clone());
            }
        }
        trailer.set("Prev", i64::try_from(x_orig).unwrap());
        let _ = write!(xref, "trailer\n{}\n", dict_text(&trailer));
        block.extend_from_slice(xref.as_bytes());
        block
    };
    // The block's length decides the new range, which is written inside it: settle it.
    let mut len = build(0).len();
    while build(len).len() != len {
        len = build(len).len();
    }
    let block = build(len);
    [&signed[..b], &block[..], &signed[b..]].concat()
}

/// Signature wrapping as the issue found it (issue 20 §1): the signed second range moved down
/// the file, the attacker's objects (a new content stream for the last page) and a new xref
/// put at the original `startxref` offset in the space between, and a new signature
/// dictionary whose `/ByteRange` points at the moved bytes. The CMS still verifies over the
/// bytes the range names; what a reader shows is the attacker's page. `verify` refuses it,
/// in the library and from the command line with the archive at hand.
#[test]
fn signature_wrapping_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (signed, _, session) = signed_minutes(dir.path());
    let wrapped = wrap(&signed);
    // A tolerant reader (lopdf here; poppler renders it alike) sees the attacker's page on
    // top of a signature over exactly the bytes the signer signed.
    let seen = doc(&wrapped);
    let (_, _, [_, a, b, c]) = signature_of(&doc(&signed));
    let (_, _, r) = signature_of(&seen);
    assert_eq!(
        [&wrapped[..r[1]], &wrapped[r[2]..r[2] + r[3]]].concat(),
        [&signed[..a], &signed[b..b + c]].concat(),
        "the range names exactly the bytes the signer signed"
    );
    let pages = seen.get_pages();
    let last = seen
        .get_dictionary(*pages.values().next_back().unwrap())
        .unwrap();
    let content = last.get(b"Contents").unwrap().as_reference().unwrap();
    assert!(
        seen.get_object(content)
            .unwrap()
            .as_stream()
            .unwrap()
            .content
            .windows(7)
            .any(|w| w == b"GIA MAO"),
        "the last page shows the attacker's content"
    );
    let verdict = signing::verify_pdf(&wrapped, &[]);
    assert!(
        matches!(
            verdict,
            Err(VerifyError::Structure(_) | VerifyError::Forged(_))
        ),
        "{verdict:?}"
    );

    let pdf = dir.path().join("wrapped.pdf");
    fs::write(&pdf, &wrapped).unwrap();
    let ron = dir.path().join("phien.ron");
    tinnhiem::archive::save(&ron, &session).unwrap();
    let o = run(&[
        std::ffi::OsStr::new("verify"),
        pdf.as_os_str(),
        std::ffi::OsStr::new("--archive"),
        ron.as_os_str(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(!out.contains("hợp lệ, bao phủ toàn bộ tệp"), "{out}");
}

/// A gap that holds more than the signature's `/Contents`: the bytes after the string are
/// left out of the signed ones and can say anything. Refused as a forged structure.
#[test]
fn gap_beyond_contents_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let id = identity(dir.path());
    let base = document("4 0 R", "", &[]);
    let fields = new_field(&base, 7, 6);
    let forged = attacker_sign(&base, &id, 6, "/Reason(ok)", &fields, |f, cs, ce| {
        // The gap swallows "/Reason(ok)" too: its words are not signed.
        let end = ce + "/Reason(ok)".len();
        [0, cs, end, f.len() - end]
    });
    assert_eq!(
        signing::verify_pdf(&forged, &[]),
        Err(VerifyError::Forged(Forgery::Gap))
    );
    // The same signature with an honest range holds.
    let honest = attacker_sign(&base, &id, 6, "/Reason(ok)", &fields, whole);
    assert!(fully_valid(&honest));
}

/// A gap that is a hex string, but not this dictionary's `/Contents`: the CMS sits in
/// another string, and `/Contents` says something else. Refused.
#[test]
fn gap_elsewhere_than_contents_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let id = identity(dir.path());
    let base = document("4 0 R", "", &[]);
    let fields = new_field(&base, 7, 6);
    let alt = format!("/Alt<{}>", "0".repeat(ROOM * 2));
    let forged = attacker_sign(&base, &id, 6, &alt, &fields, |f, _, ce| {
        let start = ce + "/Alt".len();
        let end = start + ROOM * 2 + 2;
        [0, start, end, f.len() - end]
    });
    assert_eq!(
        signing::verify_pdf(&forged, &[]),
        Err(VerifyError::Forged(Forgery::Gap))
    );
}

/// Data hidden in the zero padding of `/Contents`, after the CMS: outside the signed bytes
/// and read by some tools. Refused.
#[test]
fn data_in_the_padding_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (signed, _) = signed_document(dir.path());
    let at = signed
        .windows(10)
        .rposition(|w| w == b"/Contents<")
        .unwrap()
        + 10;
    let zeros = at
        + signed[at..]
            .windows(64)
            .position(|w| w.iter().all(|&b| b == b'0'))
            .unwrap();
    let mut forged = signed.clone();
    forged[zeros + 8..zeros + 8 + 16].copy_from_slice(b"2f4b657920287829");
    assert_eq!(
        signing::verify_pdf(&forged, &[]),
        Err(VerifyError::Forged(Forgery::Padding))
    );
    assert!(fully_valid(&signed));
}

/// A second signature dictionary that borrows the first one's range (so its gap is a real
/// `/Contents`, and its CMS a copy that verifies): it is not part of the revision that range
/// covers. Refused: a signer cannot be shown twice, nor in a field they never signed.
#[test]
fn borrowed_signature_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (signed, _) = signed_document(dir.path());
    let d = doc(&signed);
    let (_, sig) = d
        .objects
        .iter()
        .find(|(_, o)| o.as_dict().is_ok_and(|d| d.get(b"ByteRange").is_ok()))
        .unwrap();
    let copy = dict_text(sig.as_dict().unwrap());
    let next = d.max_id + 1;
    let mut objects = vec![(next, copy)];
    objects.extend(new_field(&signed, next + 1, next));
    let forged = update(&signed, &objects);
    assert_eq!(
        signing::verify_pdf(&forged, &[]),
        Err(VerifyError::Forged(Forgery::NotInItsRevision))
    );
}

/// A signature whose range ends inside a revision, not at its `%%EOF`: what it signed is not
/// a document any reader shows. Refused.
#[test]
fn range_inside_a_revision_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let id = identity(dir.path());
    let base = document("4 0 R", "", &[]);
    let fields = new_field(&base, 7, 6);
    let forged = attacker_sign(&base, &id, 6, "", &fields, |f, cs, ce| {
        [0, cs, ce, f.len() - ce - 20]
    });
    assert_eq!(
        signing::verify_pdf(&forged, &[]),
        Err(VerifyError::Forged(Forgery::NotARevision))
    );
}

/// A signature dictionary signed in one revision and made a field's value only in a later
/// one: in the revision it covers, no field holds it. Refused.
#[test]
fn value_given_after_signing_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let id = identity(dir.path());
    let base = document("4 0 R", "", &[]);
    let lone = attacker_sign(&base, &id, 6, "", &[], whole);
    let forged = update(&lone, &new_field(&lone, 7, 6));
    assert_eq!(
        signing::verify_pdf(&forged, &[]),
        Err(VerifyError::Forged(Forgery::NotFieldValue))
    );
}

/// A key twice in the signature dictionary: which one counts depends on the reader.
#[test]
fn repeated_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let id = identity(dir.path());
    let base = document("4 0 R", "", &[]);
    let fields = new_field(&base, 7, 6);
    let forged = attacker_sign(&base, &id, 6, "/Name(A)/Name(B)", &fields, whole);
    assert_eq!(
        signing::verify_pdf(&forged, &[]),
        Err(VerifyError::Forged(Forgery::DuplicateKeys))
    );
}

/// Universal signature forgery: a field whose value is a signature dictionary without a
/// usable `/Contents` or `/ByteRange` (missing, null, empty, zero). Viewers that skip what
/// they cannot check show a signer; `verify` never calls it valid, even next to a real
/// signature.
#[test]
fn universal_signature_forgery_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (signed, _) = signed_document(dir.path());
    let next = doc(&signed).max_id + 1;
    for body in [
        "<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached>>",
        "<</Type/Sig/Filter/Adobe.PPKLite/ByteRange null/Contents null>>",
        "<</Type/Sig/Filter/Adobe.PPKLite/ByteRange[0 0 0 0]/Contents<>>>",
        "<</Type/Sig/Filter/Adobe.PPKLite/ByteRange[]/Contents<00>>>",
        "<</Type/Sig/Filter/Adobe.PPKLite/ByteRange[0 10 20 30]>>",
        "<</Type/Sig/Filter/Adobe.PPKLite/Contents<3000>>>",
    ] {
        let mut objects = vec![(next, body.to_owned())];
        objects.extend(new_field(&signed, next + 1, next));
        let forged = update(&signed, &objects);
        let verdict = signing::verify_pdf(&forged, &[]);
        assert!(verdict.is_err(), "{body}: {verdict:?}");
    }
}

/// Incremental saving: an update that changes what the signed page shows, with no new
/// signature. The signature holds for its revision; the report names the page.
#[test]
fn content_changed_after_signing_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (signed, _) = signed_document(dir.path());
    let forged = update(
        &signed,
        &[(
            4,
            stream("BT /F1 24 Tf 72 720 Td (Phieu tin nhiem: 2 cao) Tj ET"),
        )],
    );
    assert_eq!(changes(&forged), vec![vec![Change::Page(1)]]);
    assert!(!fully_valid(&forged));
}

/// Changes between signatures (issue 20 §2): content rewritten in an update, then a second
/// signature from the same CA. Both signatures verify cryptographically; the first is
/// "valid for its revision, but the document was changed after it", naming the page, and
/// `verify` exits 1 saying so; `sign` refuses to add a signature to such a file.
#[test]
fn change_between_two_signatures_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (signed, id) = signed_document(dir.path());
    let rewritten = update(
        &signed,
        &[(
            4,
            stream("BT /F1 24 Tf 72 720 Td (Phieu tin nhiem: 2 cao) Tj ET"),
        )],
    );
    let twice =
        signing::append_signature(&rewritten, &doc(&rewritten), &id, &details(false)).unwrap();
    assert_eq!(changes(&twice), vec![vec![Change::Page(1)], vec![]]);

    assert!(matches!(
        signing::sign_pdf(&rewritten, &id, &details(false)),
        Err(signing::SignError::ChangedAfterSigning(_))
    ));
    assert!(matches!(
        signing::sign_pdf(&twice, &id, &details(false)),
        Err(signing::SignError::ChangedAfterSigning(_))
    ));

    let path = dir.path().join("twice.pdf");
    fs::write(&path, &twice).unwrap();
    let o = run(&[std::ffi::OsStr::new("verify"), path.as_os_str()]);
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("hợp lệ cho phiên bản đã ký, NHƯNG tài liệu đã bị thay đổi sau khi ký")
            && out.contains("trang 1"),
        "{out}"
    );
    let o = run(&[
        std::ffi::OsStr::new("sign"),
        path.as_os_str(),
        std::ffi::OsStr::new("-o"),
        dir.path().join("thrice.pdf").as_os_str(),
        std::ffi::OsStr::new("--p12"),
        crate::common::make_p12(dir.path(), "pw").as_os_str(),
        std::ffi::OsStr::new("--password-file"),
        crate::common::write(dir.path(), "pw.txt", b"pw\n").as_os_str(),
    ]);
    assert_ne!(o.status.code(), Some(0));
    assert!(!dir.path().join("thrice.pdf").exists());
}

/// Every change that is not adding a signature, each named: an annotation drawn over the
/// page, a visible new "signature" field, the document information (where the fingerprint
/// is), the catalog (an action run on opening), an object removed.
#[test]
fn each_kind_of_change_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let (signed, _) = signed_document(dir.path());
    let d = doc(&signed);
    let next = d.max_id + 1;
    let page = d.get_dictionary((3, 0)).unwrap().clone();
    let with_annot = |annot: u32| {
        let mut p = page.clone();
        let mut annots = p
            .get(b"Annots")
            .and_then(Object::as_array)
            .cloned()
            .unwrap_or_default();
        annots.push(Object::Reference((annot, 0)));
        p.set("Annots", annots);
        dict_text(&p)
    };
    let note = update(
        &signed,
        &[
            (
                next,
                "<</Type/Annot/Subtype/FreeText/Rect[50 50 500 800]/Contents(2 cao)/DA(/Helv 40 Tf)>>"
                    .to_owned(),
            ),
            (3, with_annot(next)),
        ],
    );
    assert_eq!(changes(&note), vec![vec![Change::Annotations(1)]]);

    // A "signature" field that draws: not what signing adds.
    let drawn = update(&signed, &field_at(&signed, next, None, "[50 50 500 800]"));
    assert_eq!(
        changes(&drawn),
        vec![vec![Change::Annotations(1), Change::Form]]
    );

    // The document information, where the fingerprint is stated.
    let info = update_with(
        &signed,
        &Edit {
            objects: vec![(next, "<</Keywords(tinnhiem-fingerprint:00)>>".to_owned())],
            trailer: vec![("Info", Object::Reference((next, 0)))],
            ..Edit::default()
        },
    );
    assert_eq!(changes(&info), vec![vec![Change::Trailer]]);

    // An action run on opening.
    let mut catalog = d.catalog().unwrap().clone();
    catalog.set("OpenAction", Object::Reference((next, 0)));
    let action = update(
        &signed,
        &[
            (next, "<</S/JavaScript/JS(app.alert\\(1\\))>>".to_owned()),
            (1, dict_text(&catalog)),
        ],
    );
    assert_eq!(changes(&action), vec![vec![Change::Catalog]]);

    // The font freed by a later section.
    let freed = update_with(
        &signed,
        &Edit {
            freed: vec![5],
            ..Edit::default()
        },
    );
    assert_eq!(changes(&freed), vec![vec![Change::Page(1)]]);
}

/// Shadow attacks: the attacker prepares the document before it is signed so that a small
/// later update changes what it shows. Hide: an overlay (a white box over text) signed,
/// removed afterwards. Replace: a font redefined. Hide-and-replace: the page pointed at a
/// content stream the signed file carried unused, or an xref entry pointed at a hidden copy
/// of an object inside the signed bytes. Fill: a reference the signed file left empty,
/// defined later. Each is named or refused.
#[test]
fn shadow_attacks_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let id = identity(dir.path());
    let sign = |pdf: &[u8]| signing::sign_pdf(pdf, &id, &details(false)).unwrap();

    // Hide: the signed page draws text and a white box over hidden text.
    let hidden = stream("BT /F1 24 Tf 72 600 Td (0 cao) Tj ET 1 1 1 rg 60 590 300 40 re f");
    let base = document("[4 0 R 6 0 R]", "", &[hidden]);
    let signed = sign(&base);
    let d = doc(&signed);
    let mut page = d.get_dictionary((3, 0)).unwrap().clone();
    page.set("Contents", Object::Reference((4, 0)));
    let hide = update(&signed, &[(3, dict_text(&page))]);
    assert_eq!(changes(&hide), vec![vec![Change::Page(1)]]);

    // Replace: the font object redefined.
    let signed = sign(&document("4 0 R", "", &[]));
    let replace = update(
        &signed,
        &[(
            5,
            "<</Type/Font/Subtype/Type1/BaseFont/Courier>>".to_owned(),
        )],
    );
    assert_eq!(changes(&replace), vec![vec![Change::Page(1)]]);

    // Hide-and-replace: an unused stream signed along, then made the page's content.
    let spare = stream("BT /F1 24 Tf 72 720 Td (Phieu tin nhiem: 0 cao) Tj ET");
    let signed = sign(&document("4 0 R", "", &[spare]));
    let d = doc(&signed);
    let mut page = d.get_dictionary((3, 0)).unwrap().clone();
    page.set("Contents", Object::Reference((6, 0)));
    let swap = update(&signed, &[(3, dict_text(&page))]);
    assert_eq!(changes(&swap), vec![vec![Change::Page(1)]]);

    // ... or an xref entry of the update pointed back at a hidden copy of object 4 that the
    // signed bytes carry (written before the real one, so the original table skips it).
    let decoy = format!(
        "4 0 obj\n{}\nendobj\n",
        stream("BT /F1 24 Tf 72 720 Td (Phieu tin nhiem: 0 cao) Tj ET")
    );
    let header = b"%PDF-1.7\n".len();
    let base = document_with_dead_bytes(&decoy, "4 0 R", "", &[]);
    let signed = sign(&base);
    let rewired = update_with(
        &signed,
        &Edit {
            pointed: vec![(4, header)],
            ..Edit::default()
        },
    );
    assert!(!fully_valid(&rewired));
    assert!(
        matches!(
            signing::verify_pdf(&rewired, &[]),
            Err(VerifyError::Structure(_))
        ),
        "{:?}",
        signing::verify_pdf(&rewired, &[])
    );

    // Fill: the signed page refers to object 9, which does not exist yet.
    let signed = sign(&document("[4 0 R 9 0 R]", "", &[]));
    let filled = update(
        &signed,
        &[(9, stream("BT /F1 24 Tf 72 600 Td (them 10 phieu) Tj ET"))],
    );
    let found = changes(&filled);
    assert!(found[0].contains(&Change::Filled(9)), "{found:?}");
}

/// What signing adds is not a change: ten signatures one after another (each in a new
/// invisible field), and the minutes' two signers in their blocks, all valid with nothing
/// changed after any of them.
#[test]
fn legitimate_signatures_pass() {
    let dir = tempfile::tempdir().unwrap();
    let id = identity(dir.path());
    let mut pdf = document("4 0 R", "", &[]);
    for k in 1..=10 {
        pdf = signing::sign_pdf(&pdf, &id, &details(false)).unwrap();
        let reports = signing::verify_pdf(&pdf, &[]).unwrap();
        assert_eq!(reports.len(), k);
        assert!(
            reports.iter().all(|r| r.changes.is_empty()),
            "{k}: {reports:?}"
        );
        assert!(reports[k - 1].covers_whole_file);
    }
    let (once, _, _) = signed_minutes(dir.path());
    let chair = chair_identity(dir.path());
    let twice = signing::sign_pdf(&once, &chair, &details(true)).unwrap();
    assert_eq!(changes(&twice), vec![vec![], vec![]]);
}
