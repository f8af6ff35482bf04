//! Verifying a signed PDF as an attacker would test it: every signature's structure read from
//! the bytes ([`super::revisions`]), its CMS checked over exactly the bytes it covers, and every
//! later revision judged for what it changed ([`super::changes`]). The attacks this answers, and
//! the test of each, are in docs/signing.md.

use std::collections::BTreeSet;
use std::time::Duration;

use ::cms::cert::CertificateChoices;
use ::cms::content_info::ContentInfo;
use ::cms::signed_data::{SignedData, SignerIdentifier};
use der::asn1::{OctetString, UtcTime};
use der::{Decode, Encode};
use lopdf::{Dictionary, Object};
use sha2::{Digest, Sha256};
use thiserror::Error;
use x509_cert::Certificate;

use super::chain::{self, CertSignature, ChainReport};
use super::changes::Change;
use super::revisions::{self, StructureError};
use super::{cms, common_name};
use crate::encode::{hex, hex_upper};
use crate::text::Message;

/// What one signature of a PDF says, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureReport {
    /// The signature field's name (`/T`): whose block it is in.
    pub field: String,
    /// The person printed under the block (the field's `/TU`), when the document says.
    pub printed: Option<String>,
    /// The certificate's name against the printed person's ([`super::names::match_names`]).
    pub name_match: Option<super::names::NameMatch>,
    /// The signature's stated reason (`/Reason`): "ký thay cho …: …" when the signer signed
    /// for the printed person.
    pub reason: Option<String>,
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
    /// Whether this signature covers the whole file (an earlier one covers the file as it was
    /// when signed; what was added after it must be later signatures only: [`Self::changes`]).
    pub covers_whole_file: bool,
    /// What the revisions after this signature changed, besides adding signatures: empty
    /// when nothing did. Otherwise the signature is valid for the revision it covers, but the
    /// document was changed after it.
    pub changes: Vec<Change>,
    /// How many bytes from the start the signature covers: the revision it signed is
    /// `pdf[..signed_bytes]`, a PDF of its own.
    pub signed_bytes: usize,
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

impl SignatureReport {
    /// Whether the signature holds as `verify` judges it without a trusted root: nothing
    /// changed after it, made within its certificate's validity, by the person printed under
    /// its block or with a stated reason to sign for them (issue 24 §1), and its chain not
    /// found to fail a root that was given.
    #[must_use]
    pub fn holds(&self) -> bool {
        let person = self.name_match.is_none_or(super::names::NameMatch::matches)
            || self
                .reason
                .as_deref()
                .is_some_and(|x| x.contains("ký thay cho") || x.contains("signed for"));
        self.changes.is_empty()
            && self.time_within_validity
            && person
            && self.chain.trust != super::Trust::NotTrusted
    }
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
        certificate_sha256: hex(&Sha256::digest(&der)),
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
    /// The file's revisions do not read strictly: what and where.
    #[error(
        "cấu trúc tệp PDF không hợp lệ nên không xác nhận được chữ ký nào ({}) / the PDF's structure is not valid, so no signature can be confirmed ({})",
        .0.message().vi, .0.message().en
    )]
    Structure(StructureError),
    /// A signature's structure is not what signing writes: the signed bytes are not the
    /// document a reader shows (signature wrapping and its kin).
    #[error("{0}")]
    Forged(Forgery),
    /// A kind of signature this build does not check: named, and never called valid.
    #[error(
        "loại chữ ký chưa hỗ trợ kiểm tra: {0} / a kind of signature this build does not check: {1}"
    )]
    Unsupported(&'static str, &'static str),
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

/// How a signature's structure differs from what signing writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgery {
    /// The range does not start at byte 0, leaves no gap, or ends past the file; or the
    /// dictionary's `/ByteRange` states another range.
    Range,
    /// The gap left out of the signed bytes is not exactly this dictionary's `/Contents` hex
    /// string: other bytes hide in it.
    Gap,
    /// Data after the CMS in `/Contents`, where only zeros belong.
    Padding,
    /// The signed bytes do not end where a revision of this file ends.
    NotARevision,
    /// The signature dictionary is not defined by the revision its range ends.
    NotInItsRevision,
    /// In the revision the range covers, no signature field has this dictionary as value.
    NotFieldValue,
    /// The signature dictionary repeats a key: readers disagree on which counts.
    DuplicateKeys,
}

impl std::fmt::Display for Forgery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (vi, en) = match self {
            Self::Range => (
                "vùng ký (ByteRange) không hợp lệ",
                "the signed range (ByteRange) is not valid",
            ),
            Self::Gap => (
                "phần để trống trong vùng ký không đúng là chữ ký (/Contents): có nội dung khác chen vào",
                "the gap in the signed range is not exactly the signature (/Contents): other bytes are in it",
            ),
            Self::Padding => (
                "có dữ liệu giấu sau chữ ký trong /Contents (phần đệm phải toàn số 0)",
                "data is hidden after the signature in /Contents (the padding must be zeros)",
            ),
            Self::NotARevision => (
                "vùng ký không kết thúc ở cuối một phiên bản của tệp",
                "the signed range does not end where a revision of the file ends",
            ),
            Self::NotInItsRevision => (
                "từ điển chữ ký không thuộc phiên bản mà vùng ký bao phủ",
                "the signature dictionary is not part of the revision its range covers",
            ),
            Self::NotFieldValue => (
                "trong phiên bản đã ký, không ô chữ ký nào mang chữ ký này",
                "in the signed revision, no signature field holds this signature",
            ),
            Self::DuplicateKeys => (
                "từ điển chữ ký lặp khóa",
                "the signature dictionary repeats a key",
            ),
        };
        write!(
            f,
            "chữ ký bị làm giả cấu trúc: {vi} / the signature's structure is forged: {en}"
        )
    }
}

impl VerifyError {
    /// The message in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        Message::from_bilingual(&self.to_string())
    }
}

/// Verifies every signature of a PDF, oldest first, as a careful validator does:
///
/// - the signatures are the values of the document's signature fields;
/// - each one's range starts at byte 0 and ends exactly at the end of one of the file's
///   revisions ([`revisions`]), and the one gap in it is exactly the `/Contents` hex string of
///   that signature dictionary — the dictionary the field's `/V` points to *in the revision
///   the range covers*, read from the signed bytes alone — and that string holds the CMS and
///   zeros only;
/// - the CMS verifies over exactly those bytes, with the certificate it binds
///   (signing-certificate-v2), and the certificate with its issuer when that is there;
/// - everything a later revision changed is listed ([`SignatureReport::changes`]): adding
///   signatures is all that may happen after a signature.
///
/// Trust is decided against `anchors` only ([`super::Trust`]); nothing is fetched.
///
/// # Errors
/// [`VerifyError`]: the file is unreadable, has no signature, or a signature is forged,
/// malformed or does not verify. A signature that verifies over a revision that was changed
/// afterwards is not an error: its report lists the changes.
pub fn verify_pdf(
    pdf: &[u8],
    anchors: &[Certificate],
) -> Result<Vec<SignatureReport>, VerifyError> {
    let structure = revisions::read(pdf);
    // The document as a reader shows it now: the last revision (bytes after it are no
    // revision at all, and are reported as such).
    let now_end = structure
        .as_ref()
        .ok()
        .and_then(|r| r.list.last())
        .map_or(pdf.len(), |r| r.end);
    let now = lopdf::Document::load_mem(&pdf[..now_end])
        .map_err(|e| VerifyError::Unreadable(e.to_string()))?;
    let fields = super::changes::signature_fields(&now);
    let mut signed: Vec<(String, lopdf::ObjectId)> = Vec::new();
    let mut printed: Vec<(lopdf::ObjectId, String)> = Vec::new();
    for (field, name, value) in fields {
        match value {
            None => {}
            Some(Object::Reference(id)) => {
                if let Some(p) = now
                    .get_dictionary(field)
                    .ok()
                    .and_then(|d| d.get(b"TU").ok())
                    .and_then(|t| lopdf::decode_text_string(t).ok())
                    .filter(|p| !p.trim().is_empty())
                {
                    printed.push((id, p));
                }
                signed.push((name, id));
            }
            Some(_) => {
                return Err(VerifyError::Malformed(format!(
                    "ô \"{name}\": chữ ký không là đối tượng gián tiếp / field \"{name}\": the signature is not an indirect object"
                )));
            }
        }
    }
    if signed.is_empty() {
        // A signature whose dictionary no longer reads is damaged, not absent.
        return Err(
            if pdf.windows(b"/ByteRange".len()).any(|w| w == b"/ByteRange") {
                VerifyError::Malformed("/ByteRange".into())
            } else {
                VerifyError::NoSignature
            },
        );
    }
    let structure = structure.map_err(VerifyError::Structure)?;
    let mut sigs = Vec::with_capacity(signed.len());
    for (name, id) in signed {
        let dict = now
            .get_dictionary(id)
            .map_err(|_| VerifyError::Malformed(format!("/V {} {} R", id.0, id.1)))?;
        sigs.push((name, id, byte_range(dict)?));
    }
    sigs.sort_by_key(|(_, _, r)| r[2].saturating_add(r[3]));
    let ids: BTreeSet<lopdf::ObjectId> = sigs.iter().map(|(_, id, _)| *id).collect();
    let mut reports = Vec::with_capacity(sigs.len());
    for (name, id, range) in sigs {
        let mut r = verify_one(pdf, &structure, &now, (id, range), anchors, &ids)?;
        r.field = name;
        r.printed = printed
            .iter()
            .find(|(sig, _)| *sig == id)
            .map(|(_, p)| p.clone());
        r.name_match = r
            .printed
            .as_deref()
            .map(|p| super::names::match_names(r.common_name.as_deref().unwrap_or_default(), p));
        reports.push(r);
    }
    Ok(reports)
}

/// A signature dictionary's `/ByteRange`: four non-negative integers.
fn byte_range(sig: &Dictionary) -> Result<[usize; 4], VerifyError> {
    let bad = || VerifyError::Malformed("ByteRange".into());
    let range: Vec<usize> = sig
        .get(b"ByteRange")
        .and_then(Object::as_array)
        .map_err(|_| bad())?
        .iter()
        .map(|o| o.as_i64().ok().and_then(|v| usize::try_from(v).ok()))
        .collect::<Option<_>>()
        .ok_or_else(bad)?;
    range[..].try_into().map_err(|_| bad())
}

/// The length of the DER value at the start of `der` (tag, length, content), if it is one.
fn der_len(der: &[u8]) -> Option<usize> {
    let first = *der.get(1)?;
    let (len, header) = if first < 0x80 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return None;
        }
        let len = der
            .get(2..2 + n)?
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, 2 + n)
    };
    let total = header.checked_add(len)?;
    (total <= der.len()).then_some(total)
}

/// One signature: its structure in the bytes, its CMS, and what changed after it.
fn verify_one(
    pdf: &[u8],
    structure: &revisions::Revisions,
    now: &lopdf::Document,
    (id, [a0, a_len, b0, b_len]): (lopdf::ObjectId, [usize; 4]),
    anchors: &[Certificate],
    signatures: &BTreeSet<lopdf::ObjectId>,
) -> Result<SignatureReport, VerifyError> {
    let forged = |f: Forgery| VerifyError::Forged(f);
    let end = b0
        .checked_add(b_len)
        .filter(|&e| e <= pdf.len())
        .ok_or(forged(Forgery::Range))?;
    if a0 != 0 || a_len == 0 || b0 <= a_len + 1 {
        return Err(forged(Forgery::Range));
    }
    // The gap: `<` hex digits `>`, and nothing else.
    let gap = &pdf[a_len..b0];
    let digits = &gap[1..gap.len() - 1];
    if gap[0] != b'<'
        || gap[gap.len() - 1] != b'>'
        || !digits.len().is_multiple_of(2)
        || !digits.iter().all(u8::is_ascii_hexdigit)
    {
        return Err(forged(Forgery::Gap));
    }
    // The range ends where one of the file's revisions ends.
    let k = structure
        .list
        .iter()
        .position(|r| r.ends_at(end))
        .ok_or(forged(Forgery::NotARevision))?;
    let revision = &structure.list[k];
    // That revision defines the signature dictionary itself, at an offset whose `/Contents`
    // is the gap and whose `/ByteRange` is this range.
    let Some(revisions::Entry::Offset(offset, generation)) = revision.entry(id.0) else {
        return Err(forged(Forgery::NotInItsRevision));
    };
    let Some((header, dict)) = revisions::object_dictionary(pdf, offset) else {
        return Err(forged(Forgery::NotInItsRevision));
    };
    if header != (id.0, generation) || id.1 != generation {
        return Err(forged(Forgery::NotInItsRevision));
    }
    if dict.has_duplicate_keys() {
        return Err(forged(Forgery::DuplicateKeys));
    }
    let contents = dict.get(b"Contents").ok_or(forged(Forgery::Gap))?;
    if (contents.start, contents.end) != (a_len, b0) {
        return Err(forged(Forgery::Gap));
    }
    let stated: Option<Vec<i64>> = match dict.get(b"ByteRange").map(|r| &r.value) {
        Some(revisions::Value::Array(items)) => items.iter().map(revisions::Spanned::int).collect(),
        _ => None,
    };
    let range = [a0, a_len, b0, b_len].map(|v| i64::try_from(v).unwrap_or(-1));
    if stated.as_deref() != Some(&range[..]) {
        return Err(forged(Forgery::Range));
    }
    // In the revision the range covers, read from those bytes alone, a signature field's
    // value is this dictionary.
    let signed = lopdf::Document::load_mem(&pdf[..end])
        .map_err(|e| VerifyError::Malformed(e.to_string()))?;
    let is_value = super::changes::signature_fields(&signed)
        .iter()
        .any(|(_, _, v)| *v == Some(Object::Reference(id)));
    if !is_value {
        return Err(forged(Forgery::NotFieldValue));
    }
    let sig = signed
        .get_dictionary(id)
        .map_err(|_| forged(Forgery::NotFieldValue))?;
    if sig
        .get(b"Type")
        .and_then(Object::as_name)
        .is_ok_and(|t| t == b"DocTimeStamp")
        || sig
            .get(b"SubFilter")
            .and_then(Object::as_name)
            .is_ok_and(|t| t == b"ETSI.RFC3161")
    {
        return Err(VerifyError::Unsupported(
            "dấu thời gian tài liệu (ETSI.RFC3161)",
            "a document timestamp (ETSI.RFC3161)",
        ));
    }
    // The CMS, then zeros: nothing hidden in the padding.
    let bytes = crate::encode::from_hex(std::str::from_utf8(digits).unwrap_or_default())
        .ok_or(forged(Forgery::Gap))?;
    let der = der_len(&bytes).ok_or_else(|| VerifyError::Malformed("Contents".into()))?;
    if bytes[der..].iter().any(|&b| b != 0) {
        return Err(forged(Forgery::Padding));
    }
    let mut hasher = Sha256::new();
    hasher.update(&pdf[..a_len]);
    hasher.update(&pdf[b0..end]);
    let digest = hasher.finalize();
    let checked = check_cms(&bytes[..der], &digest, anchors)?;

    let mut changes = if k + 1 < structure.list.len() {
        let listed = super::changes::Listed {
            signed_freed: &structure.freed(k),
            now_freed: &structure.freed(structure.list.len() - 1),
            rewritten: &structure.listed_after(k),
        };
        super::changes::changes(&signed, now, signatures, &listed)
    } else {
        Vec::new()
    };
    if structure.tail > 0 {
        changes.push(Change::Tail(structure.tail));
    }
    Ok(report(sig, &checked, (end, pdf.len()), changes))
}

/// The report of a signature whose CMS was checked.
fn report(
    sig: &Dictionary,
    checked: &CmsCheck,
    (signed_bytes, file_len): (usize, usize),
    changes: Vec<Change>,
) -> SignatureReport {
    let cert = &checked.cert;
    let validity = &cert.tbs_certificate.validity;
    let signing_time = checked
        .attribute_time
        .or_else(|| sig.get(b"M").ok().and_then(parse_pdf_date));
    let within = signing_time.is_some_and(|t| {
        validity.not_before.to_unix_duration() <= t && t <= validity.not_after.to_unix_duration()
    });
    SignatureReport {
        certificate_sha256: checked.certificate_sha256.clone(),
        field: String::new(),
        printed: None,
        name_match: None,
        reason: sig
            .get(b"Reason")
            .ok()
            .and_then(|r| lopdf::decode_text_string(r).ok())
            .filter(|r| !r.trim().is_empty()),
        subject: cert.tbs_certificate.subject.to_string(),
        common_name: common_name(&cert.tbs_certificate.subject),
        issuer: cert.tbs_certificate.issuer.to_string(),
        serial: hex_upper(cert.tbs_certificate.serial_number.as_bytes()),
        not_before: vietnam(validity.not_before.to_unix_duration()),
        not_after: vietnam(validity.not_after.to_unix_duration()),
        signing_time: signing_time.map(vietnam),
        time_within_validity: within,
        covers_whole_file: signed_bytes == file_len,
        changes,
        signed_bytes,
        pades: sig
            .get(b"SubFilter")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"ETSI.CAdES.detached"),
        certificate_bound: checked.certificate_bound,
        chain: checked.chain.clone(),
    }
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
    crate::fingerprint::from_keywords(&pdf_keywords(pdf)?)
}

/// A PDF's `/Keywords` (document information), if it has any: where the minutes state the
/// archive's fingerprint and the log they were written at ([`crate::model::LogPin`]). Read
/// from the file as it is now: when its signatures hold with nothing changed after them
/// ([`verify_pdf`]), that is what was signed.
#[must_use]
pub fn pdf_keywords(pdf: &[u8]) -> Option<String> {
    let doc = lopdf::Document::load_mem(pdf).ok()?;
    let info = match doc.trailer.get(b"Info").ok()? {
        Object::Reference(r) => doc.get_dictionary(*r).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    lopdf::decode_text_string(info.get(b"Keywords").ok()?).ok()
}
