//! The signer's certificate checked against its issuer, and the chain against a trust anchor
//! the user gives (`--ca ROOT.pem`: a CA's root exported from its token software). The app is
//! offline: no OCSP or CRL is fetched, so revocation is never checked, and `verify` says so.

use der::{Decode, DecodePem, Encode};
use x509_cert::Certificate;

use super::cms::verifies;

/// The signer's certificate against its issuer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertSignature {
    /// The issuer's certificate is in the signature (or the anchors) and its key signed this one.
    Valid,
    /// The issuer is there but its key did not sign this certificate: the certificate was made
    /// or edited by someone else.
    Invalid,
    /// The issuer's certificate is not in the signature: nothing to check against.
    IssuerMissing,
    /// An algorithm this build does not check.
    Unsupported,
}

/// Whether the chain ends at a trust anchor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// Every link verified, up to one of the given anchors.
    Trusted,
    /// No anchor was given: the chain was not checked against a trusted root.
    NotChecked,
    /// Anchors were given but the chain does not reach one (or a link fails).
    NotTrusted,
}

/// What the chain check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// The signer's certificate against its issuer.
    pub certificate: CertSignature,
    /// The subjects from the signer up, as far as the certificates go.
    pub path: Vec<String>,
    /// Against the anchors.
    pub trust: Trust,
}

fn issued_by(cert: &Certificate, issuer: &Certificate) -> Option<bool> {
    if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return Some(false);
    }
    let tbs = cert.tbs_certificate.to_der().ok()?;
    verifies(
        &issuer.tbs_certificate.subject_public_key_info,
        &cert.signature_algorithm.oid,
        None,
        &tbs,
        cert.signature.raw_bytes(),
    )
}

/// Checks `leaf` against the certificates found with it (`pool`) and the trust `anchors`.
#[must_use]
pub fn check(leaf: &Certificate, pool: &[Certificate], anchors: &[Certificate]) -> ChainReport {
    let candidates: Vec<&Certificate> = pool.iter().chain(anchors).collect();
    let issuer_of = |c: &Certificate| -> Option<(&Certificate, Option<bool>)> {
        let named: Vec<&&Certificate> = candidates
            .iter()
            .filter(|i| i.tbs_certificate.subject == c.tbs_certificate.issuer)
            .collect();
        // Of several with the issuer's name, the one whose key signed it.
        named
            .iter()
            .map(|i| (**i, issued_by(c, i)))
            .find(|(_, ok)| *ok == Some(true))
            .or_else(|| named.first().map(|i| (**i, issued_by(c, i))))
    };
    let certificate = match issuer_of(leaf) {
        None => CertSignature::IssuerMissing,
        Some((_, Some(true))) => CertSignature::Valid,
        Some((_, Some(false))) => CertSignature::Invalid,
        Some((_, None)) => CertSignature::Unsupported,
    };
    let mut path = vec![leaf.tbs_certificate.subject.to_string()];
    let mut trust = if anchors.is_empty() {
        Trust::NotChecked
    } else {
        Trust::NotTrusted
    };
    let mut current = leaf;
    let mut all_valid = true;
    for _ in 0..8 {
        if anchors.contains(current) {
            if all_valid {
                trust = Trust::Trusted;
            }
            break;
        }
        let Some((issuer, ok)) = issuer_of(current) else {
            break;
        };
        all_valid &= ok == Some(true);
        if std::ptr::eq(issuer, current) || issuer == current {
            // Self-signed and not an anchor: the chain ends untrusted.
            break;
        }
        path.push(issuer.tbs_certificate.subject.to_string());
        current = issuer;
    }
    if !anchors.is_empty() && trust != Trust::Trusted {
        trust = Trust::NotTrusted;
    }
    ChainReport {
        certificate,
        path,
        trust,
    }
}

/// Reads trust anchors from a PEM file (one or more `CERTIFICATE` blocks) or a DER file.
///
/// # Errors
///
/// The message when the file holds no certificate or one that cannot be parsed.
pub fn read_anchors(bytes: &[u8]) -> Result<Vec<Certificate>, String> {
    let text = String::from_utf8_lossy(bytes);
    if text.contains("-----BEGIN CERTIFICATE-----") {
        let mut out = Vec::new();
        let mut rest = text.as_ref();
        while let Some(start) = rest.find("-----BEGIN CERTIFICATE-----") {
            let end_marker = "-----END CERTIFICATE-----";
            let Some(end) = rest[start..].find(end_marker) else {
                break;
            };
            let block = &rest[start..start + end + end_marker.len()];
            out.push(Certificate::from_pem(block.as_bytes()).map_err(|e| e.to_string())?);
            rest = &rest[start + end + end_marker.len()..];
        }
        if out.is_empty() {
            return Err("không có chứng thư nào / no certificate in the file".into());
        }
        Ok(out)
    } else {
        Certificate::from_der(bytes)
            .map(|c| vec![c])
            .map_err(|e| e.to_string())
    }
}
