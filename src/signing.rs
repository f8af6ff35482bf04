//! Digital signatures of the minutes: an embedded PDF signature (`adbe.pkcs7.detached`) that
//! ordinary PDF readers check, and its verification.
//!
//! The signature is appended to the finished PDF as an incremental update, so the signed
//! bytes are exactly the document that was printed: a `/Sig` dictionary with a fixed-width
//! `/ByteRange` and a zero-filled `/Contents` placeholder, an invisible signature widget on the
//! first page, the catalog's `/AcroForm` (existing fields kept), a new xref section and a
//! trailer with `/Prev`. The placeholder is then filled with a detached CMS SignedData
//! (SHA-256, RSA PKCS#1 v1.5) over every byte outside `/Contents`.
//!
//! No cryptographic primitive is written here: PKCS#12 comes from `p12-keystore`, CMS from
//! `cms`, RSA from `rsa`. Only RSA keys are supported — the Vietnamese public CAs (VNPT-CA,
//! Viettel-CA, …) issue RSA certificates; an ECDSA key gets a clear error.

use std::fmt::Write as _;
use std::time::Duration;

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::ContentInfo;
use cms::signed_data::{EncapsulatedContentInfo, SignedData, SignerIdentifier};
use der::asn1::{OctetString, SetOfVec, UtcTime};
use der::{Any, Decode, Encode};
use lopdf::{Dictionary, Object};
use rsa::RsaPrivateKey;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use sha2::{Digest, Sha256};
use signature::Verifier;
use spki::AlgorithmIdentifierOwned;
use thiserror::Error;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

use crate::text::Message;

/// Room reserved for the CMS SignedData, in bytes (written as twice as many hex digits). A
/// 4096-bit key with a three-certificate chain fits in well under half of it.
const SIGNATURE_ROOM: usize = 16 * 1024;

/// Why signing failed. No output file is written on any of these.
#[derive(Debug, Error)]
pub enum SignError {
    /// The PKCS#12 password is wrong (or the file is damaged so that its MAC fails).
    #[error("sai mật khẩu tệp chứng thư số / wrong password for the certificate file")]
    WrongPassword,
    /// The file is not a PKCS#12 keystore with a private key and its certificate.
    #[error("tệp chứng thư số không hợp lệ: {0} / invalid certificate file: {0}")]
    BadKeystore(String),
    /// The key is not RSA.
    #[error(
        "chỉ hỗ trợ khóa RSA (khóa trong tệp là {0}) / only RSA keys are supported (this key is {0})"
    )]
    UnsupportedKey(String),
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

/// The signer: an RSA private key and its certificate (plus any chain in the file).
pub struct Identity {
    key: RsaPrivateKey,
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
        use p12_keystore::{KeyStore, Pkcs12ImportPolicy};
        let store = KeyStore::from_pkcs12(bytes, password, Pkcs12ImportPolicy::Relaxed).map_err(
            |e| match e {
                p12_keystore::error::Error::MacError(_) => SignError::WrongPassword,
                other => {
                    let text = other.to_string();
                    if text.to_lowercase().contains("mac") {
                        SignError::WrongPassword
                    } else {
                        SignError::BadKeystore(text)
                    }
                }
            },
        )?;
        let (_, chain) = store
            .private_key_chain()
            .ok_or_else(|| SignError::BadKeystore("không có khóa riêng / no private key".into()))?;
        let key_der = chain.key().as_der();
        let key = RsaPrivateKey::from_pkcs8_der(key_der)
            .map_err(|_| SignError::UnsupportedKey(chain.key().oid().to_string()))?;
        let certs: Vec<Certificate> = chain
            .certs()
            .iter()
            .map(|c| Certificate::from_der(c.as_der()))
            .collect::<Result<_, _>>()
            .map_err(|e| SignError::BadKeystore(e.to_string()))?;
        let public = rsa::RsaPublicKey::from(&key);
        let position = certs
            .iter()
            .position(|c| {
                c.tbs_certificate
                    .subject_public_key_info
                    .to_der()
                    .ok()
                    .and_then(|d| rsa::RsaPublicKey::from_public_key_der(&d).ok())
                    .is_some_and(|p| p == public)
            })
            .ok_or_else(|| {
                SignError::BadKeystore(
                    "không có chứng thư khớp với khóa / no certificate matches the key".into(),
                )
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
}

/// Signs a finished PDF: returns the original bytes followed by the signature's incremental
/// update. The input is not modified.
pub fn sign_pdf(pdf: &[u8], id: &Identity, details: &SignDetails) -> Result<Vec<u8>, SignError> {
    let bad = |e: lopdf::Error| SignError::BadPdf(e.to_string());
    let doc = lopdf::Document::load_mem(pdf).map_err(bad)?;
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
    let page = *doc
        .get_pages()
        .values()
        .next()
        .ok_or_else(|| SignError::BadPdf("no page".into()))?;
    let sig_id = size;
    let widget_id = size + 1;

    let (page_dict, catalog) = with_signature_field(&doc, page, root, widget_id).map_err(bad)?;

    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, usize)> = Vec::new();

    offsets.push((sig_id, out.len()));
    let placeholder = "0".repeat(SIGNATURE_ROOM * 2);
    let sig_obj = format!(
        "{sig_id} 0 obj\n<</Type/Sig/Filter/Adobe.PPKLite/SubFilter/adbe.pkcs7.detached/ByteRange[0 0000000000 0000000000 0000000000]/Contents<{placeholder}>/M{}/Name{}/Reason{}/Location{}>>\nendobj\n",
        pdf_date(details.time),
        text_string(&details.name),
        text_string(&details.reason),
        text_string(&details.location),
    );
    out.extend_from_slice(sig_obj.as_bytes());

    offsets.push((widget_id, out.len()));
    let widget = format!(
        "{widget_id} 0 obj\n<</Type/Annot/Subtype/Widget/FT/Sig/Rect[0 0 0 0]/F 132/T{}/V {sig_id} 0 R/P {} {} R>>\nendobj\n",
        text_string("Chữ ký biên bản"),
        page.0,
        page.1
    );
    out.extend_from_slice(widget.as_bytes());

    for (obj_id, dict) in [(page, &page_dict), (root, &catalog)] {
        offsets.push((obj_id.0, out.len()));
        let mut body = format!("{} {} obj\n", obj_id.0, obj_id.1);
        write_object(&mut body, &Object::Dictionary(dict.clone()));
        body.push_str("\nendobj\n");
        out.extend_from_slice(body.as_bytes());
    }

    let xref_at = out.len();
    offsets.sort_unstable();
    let mut xref = String::from("xref\n");
    for (obj, at) in &offsets {
        let generation = if *obj == page.0 {
            page.1
        } else if *obj == root.0 {
            root.1
        } else {
            0
        };
        let _ = write!(xref, "{obj} 1\n{at:010} {generation:05} n \n");
    }
    let mut trailer = Dictionary::new();
    trailer.set("Size", Object::Integer(i64::from(widget_id) + 1));
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

    fill_signature(&mut out, id, details, sig_id)?;
    Ok(out)
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
fn fill_signature(
    out: &mut [u8],
    id: &Identity,
    details: &SignDetails,
    sig_id: u32,
) -> Result<(), SignError> {
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

    let der = cms_signed_data(id, &digest, details.time)?;
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

/// A detached CMS SignedData over `digest`, with the signing time as a signed attribute.
fn cms_signed_data(id: &Identity, digest: &[u8], time: Duration) -> Result<Vec<u8>, SignError> {
    let err = |e: &dyn std::fmt::Display| SignError::Cms(e.to_string());
    let content = EncapsulatedContentInfo {
        econtent_type: const_oid::db::rfc5911::ID_DATA,
        econtent: None,
    };
    let sha256 = AlgorithmIdentifierOwned {
        oid: const_oid::db::rfc5912::ID_SHA_256,
        parameters: None,
    };
    let signer = SigningKey::<Sha256>::new(id.key.clone());
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: id.cert.tbs_certificate.issuer.clone(),
        serial_number: id.cert.tbs_certificate.serial_number.clone(),
    });
    let mut info = SignerInfoBuilder::new(&signer, sid, sha256.clone(), &content, Some(digest))
        .map_err(|e| err(&e))?;
    info.add_signed_attribute(signing_time(time).map_err(|e| err(&e))?)
        .map_err(|e| err(&e))?;
    let mut builder = SignedDataBuilder::new(&content);
    builder
        .add_digest_algorithm(sha256)
        .map_err(|e| err(&e))?
        .add_certificate(CertificateChoices::Certificate(id.cert.clone()))
        .map_err(|e| err(&e))?;
    for c in &id.chain {
        builder
            .add_certificate(CertificateChoices::Certificate(c.clone()))
            .map_err(|e| err(&e))?;
    }
    builder
        .add_signer_info::<SigningKey<Sha256>, Signature>(info)
        .map_err(|e| err(&e))?;
    let content_info = builder.build().map_err(|e| err(&e))?;
    content_info.to_der().map_err(|e| err(&e))
}

fn signing_time(time: Duration) -> der::Result<Attribute> {
    let utc = UtcTime::from_unix_duration(time)?;
    let value = Any::from_der(&utc.to_der()?)?;
    let mut values = SetOfVec::new();
    values.insert(value)?;
    Ok(Attribute {
        oid: const_oid::db::rfc5911::ID_SIGNING_TIME,
        values,
    })
}

/// What a PDF's signature says, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureReport {
    /// The signer certificate's subject.
    pub subject: String,
    /// The certificate's issuer.
    pub issuer: String,
    /// Validity start (RFC 3339).
    pub not_before: String,
    /// Validity end (RFC 3339).
    pub not_after: String,
    /// The signing time stated in the signature (RFC 3339), if any.
    pub signing_time: Option<String>,
    /// Whether the signing time lies within the certificate's validity.
    pub time_within_validity: bool,
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

/// Verifies the last signature of a PDF: that it covers the whole file, that the digest of the
/// signed bytes matches, and that the signature verifies with the embedded certificate. It
/// does not decide whether the certificate is trusted: that is the reader's CA list.
pub fn verify_pdf(pdf: &[u8]) -> Result<SignatureReport, VerifyError> {
    let malformed = |e: &dyn std::fmt::Display| VerifyError::Malformed(e.to_string());
    let doc = lopdf::Document::load_mem(pdf).map_err(|e| VerifyError::Unreadable(e.to_string()))?;
    let sig = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"ByteRange").is_ok() && d.get(b"Contents").is_ok())
        .max_by_key(|d| range_end(d))
        .ok_or_else(|| {
            // A signature whose dictionary no longer reads is damaged, not absent.
            if pdf.windows(b"/ByteRange".len()).any(|w| w == b"/ByteRange") {
                malformed(&"/ByteRange")
            } else {
                VerifyError::NoSignature
            }
        })?;
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
    if a0 != 0 || b0 < a_len || b0.checked_add(b_len) != Some(pdf.len()) {
        return Err(VerifyError::NotWholeDocument);
    }
    let contents = match sig.get(b"Contents") {
        Ok(Object::String(bytes, _)) => bytes.clone(),
        _ => return Err(malformed(&"Contents")),
    };
    let mut hasher = Sha256::new();
    hasher.update(&pdf[..a_len]);
    hasher.update(&pdf[b0..]);
    let digest = hasher.finalize();

    let mut reader = der::SliceReader::new(&contents).map_err(|e| malformed(&e))?;
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
    if stated.as_bytes() != digest.as_slice() {
        return Err(VerifyError::DigestMismatch);
    }
    let cert = signer_certificate(&signed, signer)
        .ok_or_else(|| malformed(&"signer certificate missing"))?;
    let spki = cert
        .tbs_certificate
        .subject_public_key_info
        .to_der()
        .map_err(|e| malformed(&e))?;
    let key = rsa::RsaPublicKey::from_public_key_der(&spki).map_err(|e| malformed(&e))?;
    let signed_attrs_der = attrs.to_der().map_err(|e| malformed(&e))?;
    let signature =
        Signature::try_from(signer.signature.as_bytes()).map_err(|_| VerifyError::BadSignature)?;
    VerifyingKey::<Sha256>::new(key)
        .verify(&signed_attrs_der, &signature)
        .map_err(|_| VerifyError::BadSignature)?;

    let validity = &cert.tbs_certificate.validity;
    let signing_time = attrs
        .iter()
        .find(|a| a.oid == const_oid::db::rfc5911::ID_SIGNING_TIME)
        .and_then(|a| a.values.iter().next())
        .and_then(|v| v.decode_as::<UtcTime>().ok())
        .map(|t| t.to_unix_duration());
    let within = signing_time.is_some_and(|t| {
        validity.not_before.to_unix_duration() <= t && t <= validity.not_after.to_unix_duration()
    });
    Ok(SignatureReport {
        subject: cert.tbs_certificate.subject.to_string(),
        issuer: cert.tbs_certificate.issuer.to_string(),
        not_before: vietnam(validity.not_before.to_unix_duration()),
        not_after: vietnam(validity.not_after.to_unix_duration()),
        signing_time: signing_time.map(vietnam),
        time_within_validity: within,
    })
}

/// A time as the log annex prints it: Vietnam's time (UTC+7), "15/12/2023 15:30 (UTC+7)".
fn vietnam(t: Duration) -> String {
    format!("{} (UTC+7)", crate::model::Timestamp(t.as_secs()).vietnam())
}

/// The certificate named by the signer's issuer and serial number.
fn signer_certificate<'a>(
    signed: &'a SignedData,
    signer: &cms::signed_data::SignerInfo,
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
