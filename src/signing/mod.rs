//! Digital signatures of the minutes: embedded PDF signatures, PAdES baseline B-B
//! (`ETSI.CAdES.detached`), that ordinary PDF readers check, made with a key from a .p12 file or
//! on a PKCS#11 token ([`KeySigner`]), and their verification.
//!
//! A signature is appended to the finished PDF as an incremental update, so the signed bytes
//! are exactly the document that was printed: a `/Sig` dictionary with a fixed-width
//! `/ByteRange` and a zero-filled `/Contents` placeholder, a signature widget, the catalog's
//! `/AcroForm` (existing fields kept), a new xref section and a trailer with `/Prev`. The
//! placeholder is then filled with a detached CMS SignedData ([`cms`]) over every byte outside
//! `/Contents`. A second signature is a second update that covers the first.
//!
//! No cryptographic primitive is written here: PKCS#12 is read ([`pkcs12`]) over RustCrypto's
//! `pkcs12` and `pkcs5` and its ciphers, RSA comes from `rsa`, ECDSA P-256 from `p256`, DER
//! from `der`.

pub mod chain;
pub mod cms;
pub mod pkcs12;
pub mod seal;

use std::fmt::Write as _;
use std::time::Duration;

use ::cms::cert::CertificateChoices;
use ::cms::content_info::ContentInfo;
use ::cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{OctetString, UtcTime};
use der::{Decode, Encode};
use lopdf::{Dictionary, Object};
use rsa::RsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use sha2::{Digest, Sha256};
use thiserror::Error;
use x509_cert::Certificate;

pub use self::chain::{CertSignature, ChainReport, Trust};
pub use self::cms::{KeyKind, KeySigner};
use crate::text::Message;

/// The keyword a draft's PDF carries in `/Keywords`: a draft is never signed, since "BẢN
/// NHÁP" under a valid signature is a trap for whoever reads it.
pub const DRAFT_KEYWORD: &str = "tinnhiem-status:draft";

/// Room reserved for the CMS SignedData, in bytes (written as twice as many hex digits). A
/// 4096-bit key with a three-certificate chain fits in well under half of it.
const SIGNATURE_ROOM: usize = 16 * 1024;

/// Why signing failed. No output file is written on any of these.
#[derive(Debug, Error)]
pub enum SignError {
    /// The PKCS#12 password is wrong (or the file is damaged so that its MAC fails).
    #[error("sai mật khẩu tệp chứng thư số / wrong password for the certificate file")]
    WrongPassword,
    /// The file is not a PKCS#12 keystore with a private key and its certificate: why, in
    /// each language (one string with both would put the Vietnamese in the English line).
    #[error("tệp chứng thư số không hợp lệ: {} / invalid certificate file: {}", .0.vi, .0.en)]
    BadKeystore(Message),
    /// The key is neither RSA nor ECDSA P-256.
    #[error(
        "chỉ hỗ trợ khóa RSA và ECDSA P-256 (khóa trong tệp là {0}) / only RSA and ECDSA P-256 keys are supported (this key is {0})"
    )]
    UnsupportedKey(String),
    /// The PDF is a draft.
    #[error(
        "đây là bản nháp (chưa chốt kết quả): chỉ ký biên bản đã chốt / this is a draft (the session is not finalised): only final minutes are signed"
    )]
    Draft,
    /// Every signature field of the PDF is already signed, and no new one is wanted.
    #[error(
        "mọi ô chữ ký của biên bản đều đã được ký / every signature field of the minutes is already signed"
    )]
    NoFreeField,
    /// The token refused (wrong PIN, removed, …): its own message.
    #[error("{0}")]
    Token(String),
    /// The PDF could not be read.
    #[error("không đọc được tệp PDF: {0} / cannot read the PDF: {0}")]
    BadPdf(String),
    /// Building the signature failed.
    #[error("không tạo được chữ ký: {0} / cannot build the signature: {0}")]
    Cms(String),
}

impl SignError {
    /// The message in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        Message::from_bilingual(&self.to_string())
    }
}

/// The private key of a .p12 file.
enum PrivateKey {
    Rsa(RsaPrivateKey),
    EcP256(p256::ecdsa::SigningKey),
}

/// The signer from a .p12/.pfx file: its key, its certificate and any chain in the file.
pub struct Identity {
    key: PrivateKey,
    cert: Certificate,
    chain: Vec<Certificate>,
}

impl std::fmt::Debug for Identity {
    /// Never prints the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("subject", &self.subject())
            .finish_non_exhaustive()
    }
}

impl Identity {
    /// Reads a PKCS#12 (.p12/.pfx) file as exported by OpenSSL 3 or a Vietnamese CA's token
    /// software. The password is used here and not kept.
    pub fn from_pkcs12(bytes: &[u8], password: &str) -> Result<Self, SignError> {
        let contents = pkcs12::read(bytes, password)?;
        let key_der = contents.keys.first().ok_or_else(|| {
            SignError::BadKeystore(Message::new("không có khóa riêng", "no private key"))
        })?;
        let key = if let Ok(k) = RsaPrivateKey::from_pkcs8_der(key_der) {
            PrivateKey::Rsa(k)
        } else if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(key_der) {
            PrivateKey::EcP256(k)
        } else {
            let algorithm = rsa::pkcs8::PrivateKeyInfo::try_from(key_der.as_slice())
                .map_or_else(|e| e.to_string(), |info| info.algorithm.oid.to_string());
            return Err(SignError::UnsupportedKey(algorithm));
        };
        let certs: Vec<Certificate> = contents
            .certs
            .iter()
            .map(|c| Certificate::from_der(c))
            .collect::<Result<_, _>>()
            .map_err(|e| {
                SignError::BadKeystore(Message::new(
                    format!("chứng thư hỏng ({e})"),
                    format!("damaged certificate ({e})"),
                ))
            })?;
        let matches = |c: &Certificate| {
            let Ok(spki) = c.tbs_certificate.subject_public_key_info.to_der() else {
                return false;
            };
            match &key {
                PrivateKey::Rsa(k) => rsa::RsaPublicKey::from_public_key_der(&spki)
                    .is_ok_and(|p| p == rsa::RsaPublicKey::from(k)),
                PrivateKey::EcP256(k) => p256::ecdsa::VerifyingKey::from_public_key_der(&spki)
                    .is_ok_and(|p| p == *k.verifying_key()),
            }
        };
        let position = certs.iter().position(matches).ok_or_else(|| {
            SignError::BadKeystore(Message::new(
                "không có chứng thư khớp với khóa",
                "no certificate matches the key",
            ))
        })?;
        let mut chain = certs;
        let cert = chain.remove(position);
        Ok(Self { key, cert, chain })
    }

    /// The certificate's subject, e.g. "CN=Trưởng ban kiểm phiếu,O=Chi bộ,C=VN".
    #[must_use]
    pub fn subject(&self) -> String {
        self.cert.tbs_certificate.subject.to_string()
    }
}

impl KeySigner for Identity {
    fn certificate(&self) -> &Certificate {
        &self.cert
    }

    fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    fn kind(&self) -> KeyKind {
        match self.key {
            PrivateKey::Rsa(_) => KeyKind::Rsa,
            PrivateKey::EcP256(_) => KeyKind::EcP256,
        }
    }

    fn sign_sha256(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        use signature::{SignatureEncoding, Signer};
        match &self.key {
            PrivateKey::Rsa(k) => {
                let key = rsa::pkcs1v15::SigningKey::<Sha256>::new(k.clone());
                let sig: rsa::pkcs1v15::Signature = key
                    .try_sign(message)
                    .map_err(|e| SignError::Cms(e.to_string()))?;
                Ok(sig.to_vec())
            }
            PrivateKey::EcP256(k) => {
                let sig: p256::ecdsa::Signature = k
                    .try_sign(message)
                    .map_err(|e| SignError::Cms(e.to_string()))?;
                Ok(sig.to_der().as_bytes().to_vec())
            }
        }
    }
}

impl KeySigner for crate::token::TokenSigner {
    fn certificate(&self) -> &Certificate {
        crate::token::TokenSigner::certificate(self)
    }

    fn chain(&self) -> &[Certificate] {
        crate::token::TokenSigner::chain(self)
    }

    fn kind(&self) -> KeyKind {
        crate::token::TokenSigner::kind(self)
    }

    fn sign_sha256(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        crate::token::TokenSigner::sign_sha256(self, message)
            .map_err(|e| SignError::Token(e.to_string()))
    }
}

/// The signer's name for the log and the signature dictionary: the certificate's common name,
/// or its whole subject when it has none.
#[must_use]
pub fn signer_name(signer: &dyn KeySigner) -> String {
    let subject = &signer.certificate().tbs_certificate.subject;
    common_name(subject).unwrap_or_else(|| subject.to_string())
}

/// The common name (CN) of a distinguished name, if any: "Ký bởi" in the appearance.
#[must_use]
pub fn common_name(name: &x509_cert::name::Name) -> Option<String> {
    crate::token::name_attribute(name, const_oid::db::rfc4519::CN)
}

/// The organisation (O) of a distinguished name, if any.
#[must_use]
pub fn organisation(name: &x509_cert::name::Name) -> Option<String> {
    crate::token::name_attribute(name, const_oid::db::rfc4519::O)
}

/// What the signature dictionary states besides the signature itself.
#[derive(Debug, Clone)]
pub struct SignDetails {
    /// The signer's name as shown by readers (`/Name`).
    pub name: String,
    /// Why (`/Reason`), e.g. "Ký biên bản kiểm phiếu".
    pub reason: String,
    /// Where (`/Location`).
    pub location: String,
    /// When, as seconds since 1970 (UTC): given by the caller so that tests are reproducible.
    pub time: Duration,
    /// The language of the visible signature's words.
    pub lang: crate::text::Lang,
    /// Draws the visible signature into a signer's block: given the certificate, these
    /// details and the field's rectangle, the complete Form XObject (dictionary and stream)
    /// as PDF bytes. `None` leaves the field without a look of its own. A function, so that
    /// signing needs nothing of the documents' fonts.
    pub appearance: Option<Appearance>,
}

/// See [`SignDetails::appearance`].
pub type Appearance = fn(&Certificate, &SignDetails, [f32; 4]) -> Option<Vec<u8>>;

/// A signature field the document already has, not yet signed: where the signer's block is.
#[derive(Debug, Clone, PartialEq)]
pub struct FreeField {
    /// The field-widget object.
    pub id: lopdf::ObjectId,
    /// Its name (`/T`).
    pub name: String,
    /// Its page.
    pub page: lopdf::ObjectId,
    /// Its rectangle on the page, in points: x1, y1, x2, y2.
    pub rect: [f32; 4],
}

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
            let name = d
                .get(b"T")
                .ok()
                .and_then(|t| lopdf::decode_text_string(t).ok())
                .unwrap_or_default();
            Some(FreeField {
                id: *id,
                name,
                page,
                rect,
            })
        })
        .collect();
    out.sort_by_key(|f| f.id);
    out
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

/// Signs a finished PDF: returns the original bytes followed by the signature's incremental
/// update. The input is not modified. The signature goes into the first unsigned signature
/// field the document has (the minutes have one in each signer's block: the signature is
/// then visible there); a document without one gets an invisible field on its first page. A
/// draft is refused.
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
    let free = free_fields(&doc);
    let field = free.into_iter().next();
    // A document made with signers' blocks is signed in them, and only as often as it has them.
    if field.is_none() && has_placed_fields(&doc) {
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
        text_string(&details.reason),
        text_string(&details.location),
    );
    out.extend_from_slice(sig_obj.as_bytes());

    let mut catalog = doc.get_dictionary(root).map_err(bad)?.clone();
    let mut changed: Vec<(lopdf::ObjectId, Dictionary)> = Vec::new();
    if let Some(field) = field {
        // The field is already in the form and on its page: it gets its value and its look.
        let mut widget = doc.get_dictionary(field.id).map_err(bad)?.clone();
        widget.set("V", Object::Reference((sig_id, 0)));
        if let Some(stream) = details
            .appearance
            .as_ref()
            .and_then(|a| a(signer.certificate(), details, field.rect))
        {
            let ap_id = next_id;
            next_id += 1;
            offsets.push((ap_id, 0, out.len()));
            out.extend_from_slice(format!("{ap_id} 0 obj\n").as_bytes());
            out.extend_from_slice(&stream);
            out.extend_from_slice(b"\nendobj\n");
            let mut ap = Dictionary::new();
            ap.set("N", Object::Reference((ap_id, 0)));
            widget.set("AP", Object::Dictionary(ap));
        }
        changed.push((field.id, widget));
        let mut acroform = acroform_of(&doc, &catalog);
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
            with_signature_field(&doc, page, root, widget_id).map_err(bad)?;
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

    append_xref(&mut out, offsets, &doc, root, (prev, next_id));
    fill_signature(&mut out, signer, sig_id)?;
    Ok(out)
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
    let mut hex = String::with_capacity(der.len() * 2);
    for b in &der {
        let _ = write!(hex, "{b:02x}");
    }
    out[contents_start + 1..contents_start + 1 + hex.len()].copy_from_slice(hex.as_bytes());
    Ok(())
}

/// What one signature of a PDF says, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureReport {
    /// The signature field's name (`/T`): whose block it is in.
    pub field: String,
    /// The signer certificate's subject.
    pub subject: String,
    /// The subject's common name, if any.
    pub common_name: Option<String>,
    /// The certificate's issuer.
    pub issuer: String,
    /// The certificate's serial number, in hex.
    pub serial: String,
    /// Validity start, in Vietnam's time.
    pub not_before: String,
    /// Validity end, in Vietnam's time.
    pub not_after: String,
    /// The claimed signing time (`/M`, or an older signature's CMS attribute), in Vietnam's
    /// time.
    pub signing_time: Option<String>,
    /// Whether the signing time lies within the certificate's validity.
    pub time_within_validity: bool,
    /// Whether this signature covers the whole file (the last one must; an earlier one covers
    /// the file as it was when signed, and what was added after it is a later signature).
    pub covers_whole_file: bool,
    /// PAdES (`ETSI.CAdES.detached`) rather than the older `adbe.pkcs7.detached`.
    pub pades: bool,
    /// Whether a signing-certificate-v2 attribute binds the certificate (`None`: the
    /// signature has none, as older ones do).
    pub certificate_bound: Option<bool>,
    /// The certificate against its issuer and the chain against the anchors.
    pub chain: ChainReport,
    /// SHA-256 of the signer's certificate (hex): tells whether two signatures, or a signed
    /// seal and a signature, are by the same certificate.
    pub certificate_sha256: String,
}

/// What a CMS SignedData said once checked over a digest.
pub(crate) struct CmsCheck {
    /// The signer's certificate.
    pub cert: Certificate,
    /// Whether signing-certificate-v2 binds it (`None`: no such attribute).
    pub certificate_bound: Option<bool>,
    /// The certificate against its issuer, the chain against the anchors.
    pub chain: ChainReport,
    /// An older signature's signing-time attribute.
    pub attribute_time: Option<Duration>,
    /// SHA-256 of the certificate, hex.
    pub certificate_sha256: String,
}

/// Bytes from hex digits ("01", "a1B2"); `None` for anything else (an odd count, a non-digit).
#[must_use]
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) || !s.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

fn hex_upper(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02X}");
        s
    })
}

/// Checks a detached CMS SignedData (`contents`, DER) over `digest`: the digest it states, its
/// signature with the embedded certificate, the certificate's binding and its issuer's
/// signature, and the chain against `anchors`.
pub(crate) fn check_cms(
    contents: &[u8],
    digest: &[u8],
    anchors: &[Certificate],
) -> Result<CmsCheck, VerifyError> {
    let malformed = |e: &dyn std::fmt::Display| VerifyError::Malformed(e.to_string());
    let mut reader = der::SliceReader::new(contents).map_err(|e| malformed(&e))?;
    let info = ContentInfo::decode(&mut reader).map_err(|e| malformed(&e))?;
    let signed: SignedData = info.content.decode_as().map_err(|e| malformed(&e))?;
    let signer = signed
        .signer_infos
        .0
        .iter()
        .next()
        .ok_or_else(|| malformed(&"no SignerInfo"))?;
    let attrs = signer
        .signed_attrs
        .as_ref()
        .ok_or_else(|| malformed(&"no signed attributes"))?;
    let stated = attrs
        .iter()
        .find(|a| a.oid == const_oid::db::rfc5911::ID_MESSAGE_DIGEST)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<OctetString>().ok())
        .ok_or_else(|| malformed(&"no messageDigest"))?;
    if stated.as_bytes() != digest {
        return Err(VerifyError::DigestMismatch);
    }
    let cert = signer_certificate(&signed, signer)
        .ok_or_else(|| malformed(&"signer certificate missing"))?;
    let signed_attrs_der = attrs.to_der().map_err(|e| malformed(&e))?;
    match cms::verifies(
        &cert.tbs_certificate.subject_public_key_info,
        &signer.signature_algorithm.oid,
        Some(&signer.digest_alg.oid),
        &signed_attrs_der,
        signer.signature.as_bytes(),
    ) {
        Some(true) => {}
        Some(false) => return Err(VerifyError::BadSignature),
        None => return Err(malformed(&"unsupported signature algorithm")),
    }
    let certificate_bound = attrs
        .iter()
        .find(|a| a.oid == cms::ID_SIGNING_CERTIFICATE_V2)
        .map(|a| cms::binds(a, cert));
    if certificate_bound == Some(false) {
        return Err(VerifyError::CertificateChanged);
    }
    let pool: Vec<Certificate> = signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) if c != cert => Some(c.clone()),
            _ => None,
        })
        .collect();
    let chain = chain::check(cert, &pool, anchors);
    // A self-signed certificate is its own issuer: an edit to it shows here too.
    let self_signed = cert.tbs_certificate.issuer == cert.tbs_certificate.subject;
    let own = if self_signed {
        chain::check(cert, std::slice::from_ref(cert), &[]).certificate
    } else {
        chain.certificate
    };
    if own == CertSignature::Invalid {
        return Err(VerifyError::CertificateForged);
    }

    let self_signed = cert.tbs_certificate.issuer == cert.tbs_certificate.subject;
    let chain = if self_signed && anchors.is_empty() {
        ChainReport {
            certificate: CertSignature::Valid,
            ..chain
        }
    } else {
        chain
    };
    let attribute_time = attrs
        .iter()
        .find(|a| a.oid == const_oid::db::rfc5911::ID_SIGNING_TIME)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<UtcTime>().ok())
        .map(|t| t.to_unix_duration());
    let der = cert.to_der().map_err(|e| malformed(&e))?;
    Ok(CmsCheck {
        cert: cert.clone(),
        certificate_bound,
        chain,
        attribute_time,
        certificate_sha256: hex_upper(&Sha256::digest(&der)).to_lowercase(),
    })
}

/// Why a PDF's signature does not hold.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum VerifyError {
    /// The PDF could not be read.
    #[error("không đọc được tệp PDF: {0} / cannot read the PDF: {0}")]
    Unreadable(String),
    /// No signature dictionary.
    #[error("tệp PDF không có chữ ký số / the PDF has no digital signature")]
    NoSignature,
    /// The signature does not cover the whole file: something was appended after signing.
    #[error(
        "chữ ký không bao phủ toàn bộ tệp: tệp đã bị thêm nội dung sau khi ký / the signature does not cover the whole file: content was added after signing"
    )]
    NotWholeDocument,
    /// The signed bytes changed after signing.
    #[error(
        "nội dung tệp đã bị thay đổi sau khi ký (mã băm không khớp) / the file was changed after signing (digest mismatch)"
    )]
    DigestMismatch,
    /// The signature value does not verify with the certificate's key.
    #[error(
        "chữ ký không hợp lệ với chứng thư số / the signature does not verify with the certificate"
    )]
    BadSignature,
    /// The certificate in the signature is not the one the signer signed with (its hash
    /// differs from the signed signing-certificate-v2 attribute).
    #[error(
        "chứng thư số trong chữ ký đã bị thay đổi sau khi ký / the certificate in the signature was changed after signing"
    )]
    CertificateChanged,
    /// The certificate's own signature does not verify with its issuer's key.
    #[error(
        "chứng thư số không do tổ chức phát hành ghi trên đó ký (chữ ký của chứng thư sai) / the certificate was not signed by its stated issuer"
    )]
    CertificateForged,
    /// The signature container is malformed.
    #[error("chữ ký bị hỏng: {0} / malformed signature: {0}")]
    Malformed(String),
}

impl VerifyError {
    /// The message in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        Message::from_bilingual(&self.to_string())
    }
}

/// Verifies every signature of a PDF, oldest first: that each covers the file as it was when
/// signed and the last covers the whole file, that the digest of the signed bytes matches,
/// that the signature verifies with the embedded certificate, that the certificate is the
/// one signed for (signing-certificate-v2) and, when its issuer is there, that the issuer
/// signed it. Trust is decided against `anchors` only ([`Trust`]); nothing is fetched.
pub fn verify_pdf(
    pdf: &[u8],
    anchors: &[Certificate],
) -> Result<Vec<SignatureReport>, VerifyError> {
    let malformed = |e: &dyn std::fmt::Display| VerifyError::Malformed(e.to_string());
    let doc = lopdf::Document::load_mem(pdf).map_err(|e| VerifyError::Unreadable(e.to_string()))?;
    let mut sigs: Vec<(lopdf::ObjectId, &Dictionary)> = doc
        .objects
        .iter()
        .filter_map(|(id, o)| Some((*id, o.as_dict().ok()?)))
        .filter(|(_, d)| d.get(b"ByteRange").is_ok() && d.get(b"Contents").is_ok())
        .collect();
    if sigs.is_empty() {
        // A signature whose dictionary no longer reads is damaged, not absent.
        return Err(
            if pdf.windows(b"/ByteRange".len()).any(|w| w == b"/ByteRange") {
                malformed(&"/ByteRange")
            } else {
                VerifyError::NoSignature
            },
        );
    }
    sigs.sort_by_key(|(_, d)| range_end(d));
    let names: Vec<(lopdf::ObjectId, String)> = doc
        .objects
        .values()
        .filter_map(|o| {
            let d = o.as_dict().ok()?;
            let v = d.get(b"V").and_then(Object::as_reference).ok()?;
            let t = lopdf::decode_text_string(d.get(b"T").ok()?).ok()?;
            Some((v, t))
        })
        .collect();
    let last = sigs.len() - 1;
    let mut reports = Vec::with_capacity(sigs.len());
    for (k, (id, sig)) in sigs.into_iter().enumerate() {
        let mut r = verify_one(pdf, sig, anchors)?;
        if k == last && !r.covers_whole_file {
            return Err(VerifyError::NotWholeDocument);
        }
        r.field = names
            .iter()
            .find(|(v, _)| *v == id)
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        reports.push(r);
    }
    Ok(reports)
}

fn verify_one(
    pdf: &[u8],
    sig: &Dictionary,
    anchors: &[Certificate],
) -> Result<SignatureReport, VerifyError> {
    let malformed = |e: &dyn std::fmt::Display| VerifyError::Malformed(e.to_string());
    let range: Vec<usize> = sig
        .get(b"ByteRange")
        .and_then(Object::as_array)
        .map_err(|e| malformed(&e))?
        .iter()
        .map(|o| o.as_i64().ok().and_then(|v| usize::try_from(v).ok()))
        .collect::<Option<_>>()
        .ok_or_else(|| malformed(&"ByteRange"))?;
    let [a0, a_len, b0, b_len] = range[..] else {
        return Err(malformed(&"ByteRange"));
    };
    let end = b0
        .checked_add(b_len)
        .ok_or_else(|| malformed(&"ByteRange"))?;
    if a0 != 0 || b0 < a_len || end > pdf.len() {
        return Err(VerifyError::NotWholeDocument);
    }
    let contents = match sig.get(b"Contents") {
        Ok(Object::String(bytes, _)) => bytes.clone(),
        _ => return Err(malformed(&"Contents")),
    };
    let mut hasher = Sha256::new();
    hasher.update(&pdf[..a_len]);
    hasher.update(&pdf[b0..end]);
    let digest = hasher.finalize();

    let checked = check_cms(&contents, &digest, anchors)?;
    let cert = &checked.cert;
    let chain = checked.chain;
    let certificate_bound = checked.certificate_bound;
    let validity = &cert.tbs_certificate.validity;
    let signing_time = checked
        .attribute_time
        .or_else(|| sig.get(b"M").ok().and_then(parse_pdf_date));
    let within = signing_time.is_some_and(|t| {
        validity.not_before.to_unix_duration() <= t && t <= validity.not_after.to_unix_duration()
    });
    let serial = hex_upper(cert.tbs_certificate.serial_number.as_bytes());
    Ok(SignatureReport {
        certificate_sha256: checked.certificate_sha256,
        field: String::new(),
        subject: cert.tbs_certificate.subject.to_string(),
        common_name: common_name(&cert.tbs_certificate.subject),
        issuer: cert.tbs_certificate.issuer.to_string(),
        serial,
        not_before: vietnam(validity.not_before.to_unix_duration()),
        not_after: vietnam(validity.not_after.to_unix_duration()),
        signing_time: signing_time.map(vietnam),
        time_within_validity: within,
        covers_whole_file: end == pdf.len(),
        pades: sig
            .get(b"SubFilter")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"ETSI.CAdES.detached"),
        certificate_bound,
        chain,
    })
}

/// A PDF date "D:YYYYMMDDHHmmSS" with "Z" or "+HH'mm'" as seconds since 1970.
fn parse_pdf_date(o: &Object) -> Option<Duration> {
    let Object::String(bytes, _) = o else {
        return None;
    };
    let text = std::str::from_utf8(bytes).ok()?;
    let digits = text.strip_prefix("D:").unwrap_or(text);
    let num = |a: usize, b: usize| digits.get(a..b)?.parse::<u32>().ok();
    let (y, mo, d) = (num(0, 4)?, num(4, 6)?, num(6, 8)?);
    let (h, mi, sec) = (
        num(8, 10).unwrap_or(0),
        num(10, 12).unwrap_or(0),
        num(12, 14).unwrap_or(0),
    );
    let dt = der::DateTime::new(
        u16::try_from(y).ok()?,
        u8::try_from(mo).ok()?,
        u8::try_from(d).ok()?,
        u8::try_from(h).ok()?,
        u8::try_from(mi).ok()?,
        u8::try_from(sec).ok()?,
    )
    .ok()?;
    let utc = dt.unix_duration();
    // "+07'00'": local time seven hours ahead of UTC.
    let rest = digits.get(14..).unwrap_or("");
    let offset = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let hh: u64 = rest.get(1..3)?.parse().ok()?;
            let mm: u64 = rest.get(4..6).and_then(|m| m.parse().ok()).unwrap_or(0);
            Some((sign, Duration::from_secs(hh * 3600 + mm * 60)))
        }
        _ => None,
    };
    match offset {
        Some(('+', off)) => utc.checked_sub(off),
        Some((_, off)) => utc.checked_add(off),
        None => Some(utc),
    }
}

/// A time as the log annex prints it: Vietnam's time (UTC+7), "15/12/2023 15:30 (UTC+7)".
fn vietnam(t: Duration) -> String {
    format!("{} (UTC+7)", crate::model::Timestamp(t.as_secs()).vietnam())
}

/// The certificate named by the signer's issuer and serial number.
fn signer_certificate<'a>(
    signed: &'a SignedData,
    signer: &::cms::signed_data::SignerInfo,
) -> Option<&'a Certificate> {
    let SignerIdentifier::IssuerAndSerialNumber(sid) = &signer.sid else {
        return None;
    };
    signed
        .certificates
        .as_ref()?
        .0
        .iter()
        .find_map(|c| match c {
            CertificateChoices::Certificate(c)
                if c.tbs_certificate.issuer == sid.issuer
                    && c.tbs_certificate.serial_number == sid.serial_number =>
            {
                Some(c)
            }
            _ => None,
        })
}

/// The archive fingerprint stated in a PDF's `/Keywords`, if any (64 hex digits).
#[must_use]
pub fn pdf_fingerprint(pdf: &[u8]) -> Option<String> {
    let doc = lopdf::Document::load_mem(pdf).ok()?;
    let info = match doc.trailer.get(b"Info").ok()? {
        Object::Reference(r) => doc.get_dictionary(*r).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    let keywords = lopdf::decode_text_string(info.get(b"Keywords").ok()?).ok()?;
    let at =
        keywords.find(crate::fingerprint::PDF_KEYWORD)? + crate::fingerprint::PDF_KEYWORD.len();
    let hex: String = keywords[at..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    (hex.len() == 64).then_some(hex)
}

fn range_end(d: &Dictionary) -> i64 {
    d.get(b"ByteRange")
        .and_then(Object::as_array)
        .ok()
        .and_then(|a| Some(a.get(2)?.as_i64().ok()? + a.get(3)?.as_i64().ok()?))
        .unwrap_or(0)
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

/// A PDF text string: UTF-16BE with a byte-order mark, in hex, so that Vietnamese survives.
fn text_string(s: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in s.encode_utf16() {
        let _ = write!(hex, "{unit:04X}");
    }
    hex.push('>');
    hex
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
            for b in bytes {
                let _ = write!(out, "{b:02X}");
            }
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
