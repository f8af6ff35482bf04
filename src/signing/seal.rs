//! The archive's seal signed with the finaliser's key: without a key the seal is an unkeyed
//! hash that whoever edits the file can recompute (an integrity check against accidents);
//! signed, it says who sealed it, and an edit of the content, the results or the log up to
//! the finalisation no longer verifies.

use sha2::{Digest, Sha256};
use x509_cert::Certificate;

use super::{CmsCheck, KeySigner, SignError, VerifyError, check_cms, common_name};
use crate::model::{SealSignature, Session, Status};

/// Signs the seal of a final session with `signer`, replacing any earlier seal signature.
///
/// # Errors
///
/// [`SignError::Draft`] when the session is not final, and as [`super::cms::signed_data`] when the
/// key does not sign.
pub fn sign_seal(session: &mut Session, signer: &dyn KeySigner) -> Result<(), SignError> {
    let Status::Final(seal) = &mut session.status else {
        return Err(SignError::Draft);
    };
    let digest = Sha256::digest(seal.canonical().as_bytes());
    let der = super::cms::signed_data(signer, &digest)?;
    seal.signature = Some(SealSignature {
        signer: super::signer_name(signer),
        cms: crate::encode::hex(&der),
    });
    Ok(())
}

/// Who sealed, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealReport {
    /// The sealer's name as the certificate gives it (CN, or the whole subject).
    pub signer: String,
    /// The certificate's subject.
    pub subject: String,
    /// The certificate's issuer.
    pub issuer: String,
    /// SHA-256 of the certificate (hex), to compare with the minutes' signatures.
    pub certificate_sha256: String,
    /// The certificate against its issuer, the chain against the anchors.
    pub chain: super::ChainReport,
}

/// Checks a final session's seal signature: `None` when the seal is not signed (or the session
/// is a draft), otherwise whether it verifies over the seal as it stands.
#[must_use]
pub fn verify_seal(
    session: &Session,
    anchors: &[Certificate],
) -> Option<Result<SealReport, VerifyError>> {
    let Status::Final(seal) = &session.status else {
        return None;
    };
    let signature = seal.signature.as_ref()?;
    let check = || -> Result<SealReport, VerifyError> {
        let der = crate::encode::from_hex(&signature.cms)
            .ok_or_else(|| VerifyError::Malformed("seal signature: not hex".into()))?;
        let digest = Sha256::digest(seal.canonical().as_bytes());
        let CmsCheck {
            cert,
            chain,
            certificate_sha256,
            ..
        } = check_cms(&der, &digest, anchors)?;
        Ok(SealReport {
            signer: common_name(&cert.tbs_certificate.subject)
                .unwrap_or_else(|| cert.tbs_certificate.subject.to_string()),
            subject: cert.tbs_certificate.subject.to_string(),
            issuer: cert.tbs_certificate.issuer.to_string(),
            certificate_sha256,
            chain,
        })
    };
    Some(check())
}
