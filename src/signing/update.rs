//! The PDF side of signing: the incremental update that adds a signature (the `/Sig`
//! dictionary with its fixed `/ByteRange` and zero-filled `/Contents`, the widget, the
//! catalog's `/AcroForm`, a new xref section), the fields still free to sign, the PDF date
//! and the few PDF objects written by hand.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use lopdf::{Dictionary, Object};
use sha2::{Digest, Sha256};

use super::{
    Change, DRAFT_KEYWORD, FreeField, KeySigner, Look, SignDetails, SignError, VerifyError, cms,
    revisions, verify_pdf,
};
use crate::text::Message;

/// Room reserved for the CMS SignedData, in bytes (written as twice as many hex digits). A
/// 4096-bit key with a three-certificate chain fits in well under half of it.
const SIGNATURE_ROOM: usize = 16 * 1024;

/// The unsigned signature fields of `doc`, in the order they were made (the minutes make the
/// head of the counting committee's first, then the chair's).
fn free_fields(doc: &lopdf::Document) -> Vec<FreeField> {
    let mut out: Vec<FreeField> = doc
        .objects
        .iter()
        .filter_map(|(id, o)| {
            let d = o.as_dict().ok()?;
            let is_sig = d.get(b"FT").and_then(Object::as_name).ok()? == b"Sig";
            if !is_sig || d.get(b"V").is_ok() {
                return None;
            }
            let page = d.get(b"P").and_then(Object::as_reference).ok()?;
            let rect: Vec<f32> = d
                .get(b"Rect")
                .and_then(Object::as_array)
                .ok()?
                .iter()
                .filter_map(|v| {
                    v.as_float()
                        .ok()
                        .or_else(|| v.as_i64().ok().map(|i| i as f32))
                })
                .collect();
            let rect: [f32; 4] = rect.try_into().ok()?;
            let text = |key: &[u8]| {
                d.get(key)
                    .ok()
                    .and_then(|t| lopdf::decode_text_string(t).ok())
            };
            Some(FreeField {
                id: *id,
                name: text(b"T").unwrap_or_default(),
                person: text(b"TU").filter(|p| !p.trim().is_empty()),
                page,
                rect,
            })
        })
        .collect();
    out.sort_by_key(|f| f.id);
    out
}

/// The person printed under each signature field of a PDF, signed or not, in the form's order
/// (`None` for a field that names nobody): `verify --archive` holds them to the archive's
/// blocks, since a field's name is the document maker's word.
#[must_use]
pub fn field_people(pdf: &[u8]) -> Vec<Option<String>> {
    let Ok(doc) = lopdf::Document::load_mem(pdf) else {
        return Vec::new();
    };
    super::changes::signature_fields(&doc)
        .into_iter()
        .map(|(id, _, _)| {
            doc.get_dictionary(id)
                .ok()
                .and_then(|d| d.get(b"TU").ok())
                .and_then(|t| lopdf::decode_text_string(t).ok())
                .filter(|p| !p.trim().is_empty())
        })
        .collect()
}

/// The unsigned signature fields of a PDF (for the CLI and the app to say who signs next).
#[must_use]
pub fn unsigned_fields(pdf: &[u8]) -> Vec<FreeField> {
    lopdf::Document::load_mem(pdf)
        .map(|d| free_fields(&d))
        .unwrap_or_default()
}

/// Whether the PDF says it is a draft ([`DRAFT_KEYWORD`] in its `/Keywords`).
fn is_draft(doc: &lopdf::Document) -> bool {
    let info = match doc.trailer.get(b"Info") {
        Ok(Object::Reference(r)) => doc.get_dictionary(*r).ok(),
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    };
    info.and_then(|i| i.get(b"Keywords").ok())
        .and_then(|k| lopdf::decode_text_string(k).ok())
        .is_some_and(|k| k.contains(DRAFT_KEYWORD))
}

/// The signature's `/Reason`: the details' reason, and who the signer signs for and why when
/// the block is another person's ([`SignDetails::on_behalf`]).
fn reason(details: &SignDetails, field: Option<&FreeField>) -> String {
    let why = details
        .on_behalf
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty());
    match (why, field.and_then(|f| f.person.as_deref())) {
        (Some(why), Some(printed)) => match details.lang {
            crate::text::Lang::Vi => format!("{}; ký thay cho {printed}: {why}", details.reason),
            crate::text::Lang::En => format!("{}; signed for {printed}: {why}", details.reason),
        },
        _ => details.reason.clone(),
    }
}

/// Signs a finished PDF: returns the original bytes followed by the signature's incremental
/// update. The input is not modified. The signature goes into the first unsigned signature
/// field the document has (the minutes have one in each signer's block: the signature is
/// then visible there); a document without one gets an invisible field on its first page.
///
/// # Errors
/// A draft is refused ([`SignError::Draft`]), and so is a file whose signatures do not hold
/// or that was changed after one of them ([`verify_pdf`]): a new signature would seem to vouch
/// for it. Otherwise [`SignError`] says why the signature could not be made.
pub fn sign_pdf(
    pdf: &[u8],
    signer: &dyn KeySigner,
    details: &SignDetails,
) -> Result<Vec<u8>, SignError> {
    let bad = |e: lopdf::Error| SignError::BadPdf(e.to_string());
    let doc = lopdf::Document::load_mem(pdf).map_err(bad)?;
    if is_draft(&doc) {
        return Err(SignError::Draft);
    }
    refuse_changed(pdf)?;
    // The certificate must name the person printed under the block, or the signer states
    // why they sign for that person (issue 24 §1).
    if let Some(field) = chosen_field(&doc, details)?
        && let Some(printed) = &field.person
        && details
            .on_behalf
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        let certificate = super::signer_name(signer);
        if !super::names::match_names(&certificate, printed).matches() {
            return Err(SignError::NotThePrintedPerson {
                printed: printed.clone(),
                certificate,
            });
        }
    }
    append_signature(pdf, &doc, signer, details)
}

/// The unsigned block `details` asks for: the one whose printed person or name is
/// [`SignDetails::field`] (compared as names are), else the first.
fn chosen_field(
    doc: &lopdf::Document,
    details: &SignDetails,
) -> Result<Option<FreeField>, SignError> {
    let free = free_fields(doc);
    let Some(wanted) = details.field.as_deref().filter(|w| !w.trim().is_empty()) else {
        return Ok(free.into_iter().next());
    };
    let same = |a: &str| super::names::match_names(a, wanted) == super::names::NameMatch::Same;
    free.into_iter()
        .find(|f| f.person.as_deref().is_some_and(same) || same(&f.name))
        .map(Some)
        .ok_or_else(|| SignError::NoSuchField(wanted.to_owned()))
}

/// The mechanics of [`sign_pdf`] without its judgement: appends a signature to `pdf` (already
/// read as `doc`) whatever the file holds. Public so that the tests can play an attacker who
/// signs a tampered file (any PDF library can); the app and the CLI sign with [`sign_pdf`].
///
/// # Errors
/// [`SignError`]: the PDF does not read, or the signature cannot be made.
#[doc(hidden)]
pub fn append_signature(
    pdf: &[u8],
    doc: &lopdf::Document,
    signer: &dyn KeySigner,
    details: &SignDetails,
) -> Result<Vec<u8>, SignError> {
    let bad = |e: lopdf::Error| SignError::BadPdf(e.to_string());
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(bad)?;
    let size = doc
        .trailer
        .get(b"Size")
        .and_then(Object::as_i64)
        .ok()
        .and_then(|s| u32::try_from(s).ok())
        .unwrap_or(doc.max_id + 1)
        .max(doc.max_id + 1);
    let prev = last_startxref(pdf).ok_or_else(|| SignError::BadPdf("startxref".into()))?;
    let field = chosen_field(doc, details)?;
    // A document made with signers' blocks is signed in them, and only as often as it has them.
    if field.is_none() && has_placed_fields(doc) {
        return Err(SignError::NoFreeField);
    }
    let sig_id = size;
    let mut next_id = size + 1;
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, u16, usize)> = Vec::new();

    offsets.push((sig_id, 0, out.len()));
    let placeholder = "0".repeat(SIGNATURE_ROOM * 2);
    let sig_obj = format!(
        "{sig_id} 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/ETSI.CAdES.detached/ByteRange[0 0000000000 0000000000 0000000000]/Contents<{placeholder}>/M{}/Name{}/Reason{}/Location{}>>\nendobj\n",
        pdf_date(details.time),
        text_string(&details.name),
        text_string(&reason(details, field.as_ref())),
        text_string(&details.location),
    );
    out.extend_from_slice(sig_obj.as_bytes());

    let mut catalog = doc.get_dictionary(root).map_err(bad)?.clone();
    let mut changed: Vec<(lopdf::ObjectId, Dictionary)> = Vec::new();
    if let Some(field) = field {
        // The field is already in the form and on its page: it gets its value and its look.
        let mut widget = doc.get_dictionary(field.id).map_err(bad)?.clone();
        widget.set("V", Object::Reference((sig_id, 0)));
        if let Some(look) = details
            .appearance
            .as_ref()
            .and_then(|a| a(signer.certificate(), details, field.rect))
        {
            let ap_id = append_look(&mut out, &mut offsets, &mut next_id, &look);
            let mut ap = Dictionary::new();
            ap.set("N", Object::Reference((ap_id, 0)));
            widget.set("AP", Object::Dictionary(ap));
        }
        changed.push((field.id, widget));
        let mut acroform = acroform_of(doc, &catalog);
        acroform.set("SigFlags", Object::Integer(3));
        catalog.set("AcroForm", Object::Dictionary(acroform));
    } else {
        let page = *doc
            .get_pages()
            .values()
            .next()
            .ok_or_else(|| SignError::BadPdf("no page".into()))?;
        let widget_id = next_id;
        next_id += 1;
        let (page_dict, with_form) =
            with_signature_field(doc, page, root, widget_id).map_err(bad)?;
        catalog = with_form;
        offsets.push((widget_id, 0, out.len()));
        let widget = format!(
            "{widget_id} 0 obj\n<</Type/Annot/Subtype/Widget/FT/Sig/Rect[0 0 0 0]/F 132/T{}/V {sig_id} 0 R/P {} {} R>>\nendobj\n",
            text_string(&format!("Chữ ký {}", sig_id)),
            page.0,
            page.1
        );
        out.extend_from_slice(widget.as_bytes());
        changed.push((page, page_dict));
    }
    changed.push((root, catalog));

    for (obj_id, dict) in &changed {
        offsets.push((obj_id.0, obj_id.1, out.len()));
        let mut body = format!("{} {} obj\n", obj_id.0, obj_id.1);
        write_object(&mut body, &Object::Dictionary(dict.clone()));
        body.push_str("\nendobj\n");
        out.extend_from_slice(body.as_bytes());
    }

    append_xref(&mut out, offsets, doc, root, (prev, next_id));
    fill_signature(&mut out, signer, sig_id)?;
    Ok(out)
}

/// Writes the objects of `look` into the update under the numbers from `next_id` on, each
/// reference among them renumbered (a reference to anything outside the look becomes null:
/// a look draws with its own objects only); returns the form's new number.
fn append_look(
    out: &mut Vec<u8>,
    offsets: &mut Vec<(u32, u16, usize)>,
    next_id: &mut u32,
    look: &Look,
) -> u32 {
    let mut ids: Vec<lopdf::ObjectId> = look.objects.objects.keys().copied().collect();
    // The form first, so that its number is the update's next one.
    ids.sort_by_key(|&id| (id != look.form, id));
    let renumbered: BTreeMap<lopdf::ObjectId, u32> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, *next_id + u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    for &id in &ids {
        let (Some(&new), Some(object)) = (renumbered.get(&id), look.objects.objects.get(&id))
        else {
            continue;
        };
        offsets.push((new, 0, out.len()));
        out.extend_from_slice(format!("{new} 0 obj\n").as_bytes());
        write_indirect(out, &renumber(object, &renumbered));
        out.extend_from_slice(b"\nendobj\n");
    }
    let first = *next_id;
    *next_id += u32::try_from(ids.len()).unwrap_or(0);
    first
}

/// `object` with its references to the look's objects renumbered, others null.
fn renumber(object: &Object, to: &BTreeMap<lopdf::ObjectId, u32>) -> Object {
    let dict = |d: &Dictionary| {
        let mut out = Dictionary::new();
        for (k, v) in d {
            out.set(k.clone(), renumber(v, to));
        }
        out
    };
    match object {
        Object::Reference(r) => to
            .get(r)
            .map_or(Object::Null, |&n| Object::Reference((n, 0))),
        Object::Array(items) => Object::Array(items.iter().map(|o| renumber(o, to)).collect()),
        Object::Dictionary(d) => Object::Dictionary(dict(d)),
        Object::Stream(s) => Object::Stream(lopdf::Stream::new(dict(&s.dict), s.content.clone())),
        other => other.clone(),
    }
}

/// An indirect object's body: a stream with its dictionary (its `/Length` the content's) and
/// its bytes as they are, anything else as [`write_object`] writes it.
fn write_indirect(out: &mut Vec<u8>, object: &Object) {
    let mut text = String::new();
    if let Object::Stream(s) = object {
        let mut d = s.dict.clone();
        d.set(
            "Length",
            Object::Integer(i64::try_from(s.content.len()).unwrap_or(0)),
        );
        write_object(&mut text, &Object::Dictionary(d));
        text.push_str("\nstream\n");
        out.extend_from_slice(text.as_bytes());
        out.extend_from_slice(&s.content);
        out.extend_from_slice(b"\nendstream");
    } else {
        write_object(&mut text, object);
        out.extend_from_slice(text.as_bytes());
    }
}

/// Refuses a PDF whose existing signatures do not hold, or that was changed after one of
/// them: a new signature on it would seem to vouch for what came before. A PDF without
/// signatures must be one the verifier reads, so that the signature about to be made can be
/// checked.
fn refuse_changed(pdf: &[u8]) -> Result<(), SignError> {
    match verify_pdf(pdf, &[]) {
        Ok(reports) => {
            let changes: Vec<Message> = reports
                .iter()
                .flat_map(|r| r.changes.iter().map(Change::message))
                .collect();
            if changes.is_empty() {
                Ok(())
            } else {
                let join =
                    |f: fn(&Message) -> &str| changes.iter().map(f).collect::<Vec<_>>().join("; ");
                Err(SignError::ChangedAfterSigning(Message::new(
                    join(|m| &m.vi),
                    join(|m| &m.en),
                )))
            }
        }
        Err(VerifyError::NoSignature) => revisions::read(pdf)
            .map(|_| ())
            .map_err(|e| SignError::Structure(Message::from_bilingual(&e.to_string()))),
        Err(e) => Err(SignError::Invalid(e.message())),
    }
}

/// Ends an incremental update: the xref section of the objects written at `offsets` and a
/// trailer that points back to the previous one (`prev`) and counts `size` objects.
fn append_xref(
    out: &mut Vec<u8>,
    mut offsets: Vec<(u32, u16, usize)>,
    doc: &lopdf::Document,
    root: lopdf::ObjectId,
    (prev, size): (usize, u32),
) {
    let xref_at = out.len();
    offsets.sort_unstable();
    let mut xref = String::from("xref\n");
    for (obj, generation, at) in &offsets {
        let _ = write!(xref, "{obj} 1\n{at:010} {generation:05} n \n");
    }
    let mut trailer = Dictionary::new();
    trailer.set("Size", Object::Integer(i64::from(size)));
    trailer.set("Root", Object::Reference(root));
    if let Ok(info) = doc.trailer.get(b"Info") {
        trailer.set("Info", info.clone());
    }
    if let Ok(ids) = doc.trailer.get(b"ID") {
        trailer.set("ID", ids.clone());
    }
    trailer.set("Prev", Object::Integer(i64::try_from(prev).unwrap_or(0)));
    xref.push_str("trailer\n");
    write_object(&mut xref, &Object::Dictionary(trailer));
    let _ = write!(xref, "\nstartxref\n{xref_at}\n%%EOF\n");
    out.extend_from_slice(xref.as_bytes());
}

/// Whether the document was made with visible signature fields (signed or not).
fn has_placed_fields(doc: &lopdf::Document) -> bool {
    doc.objects.values().any(|o| {
        o.as_dict().is_ok_and(|d| {
            d.get(b"FT")
                .and_then(Object::as_name)
                .is_ok_and(|n| n == b"Sig")
                && d.get(b"Rect").and_then(Object::as_array).is_ok_and(|r| {
                    r.iter().any(|v| {
                        v.as_float().is_ok_and(|f| f != 0.0) || v.as_i64().is_ok_and(|i| i != 0)
                    })
                })
        })
    })
}

/// The catalog's `/AcroForm`, direct or referenced.
fn acroform_of(doc: &lopdf::Document, catalog: &Dictionary) -> Dictionary {
    match catalog.get(b"AcroForm") {
        Ok(Object::Dictionary(d)) => d.clone(),
        Ok(Object::Reference(r)) => doc.get_dictionary(*r).cloned().unwrap_or_default(),
        _ => Dictionary::new(),
    }
}

/// The first page with the widget added to its `/Annots`, and the catalog with an `/AcroForm`
/// listing it (existing fields kept, `/SigFlags 3`).
fn with_signature_field(
    doc: &lopdf::Document,
    page: lopdf::ObjectId,
    root: lopdf::ObjectId,
    widget_id: u32,
) -> Result<(Dictionary, Dictionary), lopdf::Error> {
    let mut page_dict = doc.get_dictionary(page)?.clone();
    let mut annots = match page_dict.get(b"Annots") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(Object::Reference(r)) => doc
            .get_object(*r)
            .and_then(Object::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    annots.push(Object::Reference((widget_id, 0)));
    page_dict.set("Annots", Object::Array(annots));

    let mut catalog = doc.get_dictionary(root)?.clone();
    let mut acroform = match catalog.get(b"AcroForm") {
        Ok(Object::Dictionary(d)) => d.clone(),
        Ok(Object::Reference(r)) => doc.get_dictionary(*r).cloned().unwrap_or_default(),
        _ => Dictionary::new(),
    };
    let mut fields = match acroform.get(b"Fields") {
        Ok(Object::Array(a)) => a.clone(),
        _ => Vec::new(),
    };
    fields.push(Object::Reference((widget_id, 0)));
    acroform.set("Fields", Object::Array(fields));
    acroform.set("SigFlags", Object::Integer(3));
    catalog.set("AcroForm", Object::Dictionary(acroform));

    Ok((page_dict, catalog))
}

/// Patches `/ByteRange` and writes the CMS SignedData into `/Contents`.
fn fill_signature(out: &mut [u8], signer: &dyn KeySigner, sig_id: u32) -> Result<(), SignError> {
    let marker = format!("{sig_id} 0 obj\n<</Type/Sig");
    let sig_at = find_last(out, marker.as_bytes())
        .ok_or_else(|| SignError::Cms("signature object not found".into()))?;
    let range_at = find_from(out, sig_at, b"/ByteRange[")
        .ok_or_else(|| SignError::Cms("ByteRange".into()))?
        + b"/ByteRange[".len();
    let contents_start = find_from(out, sig_at, b"/Contents<")
        .ok_or_else(|| SignError::Cms("Contents".into()))?
        + b"/Contents".len();
    let contents_end = contents_start + SIGNATURE_ROOM * 2 + 2;
    let total = out.len();
    let range = format!(
        "0 {contents_start:010} {contents_end:010} {:010}",
        total - contents_end
    );
    out[range_at..range_at + range.len()].copy_from_slice(range.as_bytes());

    let mut hasher = Sha256::new();
    hasher.update(&out[..contents_start]);
    hasher.update(&out[contents_end..]);
    let digest = hasher.finalize();

    let der = cms::signed_data(signer, &digest)?;
    if der.len() > SIGNATURE_ROOM {
        return Err(SignError::Cms(format!(
            "chữ ký quá lớn ({} byte) / signature too large ({} bytes)",
            der.len(),
            der.len()
        )));
    }
    let hex = crate::encode::hex(&der);
    out[contents_start + 1..contents_start + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(())
}

fn last_startxref(pdf: &[u8]) -> Option<usize> {
    let at = find_last(pdf, b"startxref")? + b"startxref".len();
    let rest = std::str::from_utf8(&pdf[at..(at + 32).min(pdf.len())]).ok()?;
    rest.split_whitespace().next()?.parse().ok()
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn find_from(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// A PDF text string ([`crate::encode::pdf_text`]) written as a hex string.
fn text_string(s: &str) -> String {
    format!(
        "<{}>",
        crate::encode::hex_upper(&crate::encode::pdf_text(s))
    )
}

/// A PDF date "(D:YYYYMMDDHHmmSSZ)": the archive's RFC 3339 form without its separators.
fn pdf_date(time: Duration) -> String {
    let ts = crate::model::Timestamp(time.as_secs());
    if ts.civil(0).is_none() {
        return "(D:19700101000000Z)".to_owned();
    }
    format!("(D:{}Z)", ts.to_string().replace(['-', ':', 'T', 'Z'], ""))
}

/// Serialises a lopdf object (dictionaries, arrays, names, strings as hex, numbers, refs).
fn write_object(out: &mut String, o: &Object) {
    match o {
        Object::Null => out.push_str("null"),
        Object::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Object::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        Object::Real(r) => {
            let _ = write!(out, "{r}");
        }
        Object::Name(n) => write_name(out, n),
        Object::String(bytes, _) => {
            out.push('<');
            out.push_str(&crate::encode::hex_upper(bytes));
            out.push('>');
        }
        Object::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                write_object(out, item);
            }
            out.push(']');
        }
        Object::Dictionary(d) => {
            out.push_str("<<");
            for (k, v) in d {
                write_name(out, k);
                out.push(' ');
                write_object(out, v);
            }
            out.push_str(">>");
        }
        // Page and catalog dictionaries hold no inline streams; a stream here would be a
        // malformed input, written as null rather than corrupting the file.
        Object::Stream(_) => out.push_str("null"),
        Object::Reference((n, g)) => {
            let _ = write!(out, "{n} {g} R");
        }
    }
}

fn write_name(out: &mut String, name: &[u8]) {
    out.push('/');
    for &b in name {
        if b.is_ascii_alphanumeric() || b"-_.+".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "#{b:02X}");
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// Vietnamese text strings are UTF-16BE with a BOM.
    #[test]
    fn text_strings_are_utf16() {
        assert_eq!(text_string("Ký"), "<FEFF004B00FD>");
    }

    /// Names escape anything outside the regular characters.
    #[test]
    fn names_escape() {
        let mut s = String::new();
        write_name(&mut s, b"A B#");
        assert_eq!(s, "/A#20B#23");
    }

    /// PDF dates come from the given time, not the clock.
    #[test]
    fn dates_from_given_time() {
        assert_eq!(
            pdf_date(Duration::from_secs(1_702_600_000)),
            "(D:20231215002640Z)"
        );
    }
}
