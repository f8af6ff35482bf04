//! The CMS SignedData inside a PDF signature, as PAdES baseline B-B wants it (ETSI EN 319 142-1,
//! subfilter `ETSI.CAdES.detached`): signed attributes content-type, message-digest and
//! signing-certificate-v2, which binds the signer's certificate by its hash so that a
//! certificate edited after signing no longer matches. The claimed signing time is the
//! signature dictionary's `/M`, not a CMS attribute (the standard forbids the attribute there).
//!
//! Built by hand rather than with `cms`'s builder, because the key may be on a token: all that
//! is asked of the key is to sign the DER of the signed attributes ([`KeySigner`]).

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode};
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;

use super::SignError;

/// The key's algorithm, which decides the signature's format in the CMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// RSA, any size (2048, 3072 and 4096 bits are issued in Vietnam).
    Rsa,
    /// ECDSA on P-256.
    EcP256,
}

/// id-aa-signingCertificateV2 (RFC 5035).
pub const ID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// A private key that can sign, wherever it lives: in a .p12 file the app has read, or on a
/// token that signs inside the device.
pub trait KeySigner {
    /// The signer's certificate.
    fn certificate(&self) -> &Certificate;
    /// The other certificates of its chain, as found with the key (may be empty).
    fn chain(&self) -> &[Certificate];
    /// The key's kind.
    fn kind(&self) -> KeyKind;
    /// Signs `message` with SHA-256: a PKCS#1 v1.5 signature for RSA, a DER `ECDSA-Sig-Value`
    /// for P-256.
    ///
    /// # Errors
    ///
    /// [`SignError`] when the key refuses to sign (a token removed or its session closed, a device
    /// error).
    fn sign_sha256(&self, message: &[u8]) -> Result<Vec<u8>, SignError>;
}

fn err(e: &dyn std::fmt::Display) -> SignError {
    SignError::Cms(e.to_string())
}

/// DER tag-length-value.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(u8::try_from(len).unwrap_or(0));
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | u8::try_from(bytes.len()).unwrap_or(0));
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn attribute(oid: ObjectIdentifier, value_der: &[u8]) -> Result<Attribute, SignError> {
    let mut values = SetOfVec::new();
    values
        .insert(Any::from_der(value_der).map_err(|e| err(&e))?)
        .map_err(|e| err(&e))?;
    Ok(Attribute { oid, values })
}

/// signing-certificate-v2 for `cert`: its SHA-256 hash (the default algorithm, so left out)
/// and its issuer and serial number.
///
/// # Errors
///
/// [`SignError::Cms`] when the certificate's parts cannot be encoded (not for a certificate that
/// was parsed).
pub fn signing_certificate_v2(cert: &Certificate) -> Result<Attribute, SignError> {
    let der = cert.to_der().map_err(|e| err(&e))?;
    let hash = Sha256::digest(&der);
    let issuer = cert.tbs_certificate.issuer.to_der().map_err(|e| err(&e))?;
    let serial = cert
        .tbs_certificate
        .serial_number
        .to_der()
        .map_err(|e| err(&e))?;
    // GeneralNames ::= SEQUENCE OF GeneralName; directoryName [4] (explicit: Name is a CHOICE).
    let general_names = tlv(0x30, &tlv(0xA4, &issuer));
    let issuer_serial = tlv(0x30, &[general_names, serial].concat());
    let cert_id = tlv(0x30, &[tlv(0x04, &hash), issuer_serial].concat());
    let value = tlv(0x30, &tlv(0x30, &cert_id));
    attribute(ID_SIGNING_CERTIFICATE_V2, &value)
}

fn algorithm(oid: ObjectIdentifier, null_params: bool) -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid,
        parameters: null_params.then(|| Any::from(der::asn1::Null)),
    }
}

/// A detached CMS SignedData over `digest` (SHA-256 of the signed byte ranges), PAdES B-B.
///
/// # Errors
///
/// [`SignError`] when the key refuses to sign or the structure cannot be encoded.
pub fn signed_data(signer: &dyn KeySigner, digest: &[u8]) -> Result<Vec<u8>, SignError> {
    let cert = signer.certificate();
    let mut attrs = SetOfVec::new();
    let content_type = const_oid::db::rfc5911::ID_DATA
        .to_der()
        .map_err(|e| err(&e))?;
    attrs
        .insert(attribute(
            const_oid::db::rfc5911::ID_CONTENT_TYPE,
            &content_type,
        )?)
        .map_err(|e| err(&e))?;
    let digest_der = OctetString::new(digest)
        .and_then(|o| o.to_der())
        .map_err(|e| err(&e))?;
    attrs
        .insert(attribute(
            const_oid::db::rfc5911::ID_MESSAGE_DIGEST,
            &digest_der,
        )?)
        .map_err(|e| err(&e))?;
    attrs
        .insert(signing_certificate_v2(cert)?)
        .map_err(|e| err(&e))?;
    let to_sign = attrs.to_der().map_err(|e| err(&e))?;
    let signature = signer.sign_sha256(&to_sign)?;
    let signature_algorithm = match signer.kind() {
        KeyKind::Rsa => algorithm(RSA_ENCRYPTION, true),
        KeyKind::EcP256 => algorithm(ECDSA_WITH_SHA256, false),
    };
    let info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial_number: cert.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: algorithm(SHA256, false),
        signed_attrs: Some(attrs),
        signature_algorithm,
        signature: OctetString::new(signature).map_err(|e| err(&e))?,
        unsigned_attrs: None,
    };
    let mut certs = SetOfVec::new();
    for c in std::iter::once(cert).chain(signer.chain()) {
        // A chain that lists the signer again is not an error.
        if !certs
            .iter()
            .any(|x| matches!(x, CertificateChoices::Certificate(x) if x == c))
        {
            certs
                .insert(CertificateChoices::Certificate(c.clone()))
                .map_err(|e| err(&e))?;
        }
    }
    let mut digests = SetOfVec::new();
    digests
        .insert(algorithm(SHA256, false))
        .map_err(|e| err(&e))?;
    let mut infos = SetOfVec::new();
    infos.insert(info).map_err(|e| err(&e))?;
    let signed = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: digests,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: const_oid::db::rfc5911::ID_DATA,
            econtent: None,
        },
        certificates: Some(CertificateSet(certs)),
        crls: None,
        signer_infos: SignerInfos(infos),
    };
    let content = Any::encode_from(&signed).map_err(|e| err(&e))?;
    ContentInfo {
        content_type: const_oid::db::rfc5911::ID_SIGNED_DATA,
        content,
    }
    .to_der()
    .map_err(|e| err(&e))
}

/// Whether `signature` by `key` (a certificate's public key info) over `message` holds, for the
/// algorithm `alg` names (a certificate's or a SignerInfo's). `None`: an algorithm this build
/// does not check.
#[must_use]
pub fn verifies(
    key: &spki::SubjectPublicKeyInfoOwned,
    alg: &ObjectIdentifier,
    digest_alg: Option<&ObjectIdentifier>,
    message: &[u8],
    signature: &[u8],
) -> Option<bool> {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::pkcs8::DecodePublicKey;
    use signature::Verifier;
    let spki = key.to_der().ok()?;
    if key.algorithm.oid == RSA_ENCRYPTION {
        let public = rsa::RsaPublicKey::from_public_key_der(&spki).ok()?;
        let Ok(sig) = Signature::try_from(signature) else {
            return Some(false);
        };
        // A SignerInfo says rsaEncryption and names the hash in its digest algorithm; a
        // certificate says both in one OID.
        let hash = match (*alg, digest_alg) {
            (SHA256_WITH_RSA, _) | (RSA_ENCRYPTION, Some(&SHA256)) => SHA256,
            (SHA384_WITH_RSA, _) | (RSA_ENCRYPTION, Some(&SHA384)) => SHA384,
            (SHA512_WITH_RSA, _) | (RSA_ENCRYPTION, Some(&SHA512)) => SHA512,
            _ => return None,
        };
        Some(match hash {
            SHA256 => VerifyingKey::<Sha256>::new(public)
                .verify(message, &sig)
                .is_ok(),
            SHA384 => VerifyingKey::<Sha384>::new(public)
                .verify(message, &sig)
                .is_ok(),
            _ => VerifyingKey::<Sha512>::new(public)
                .verify(message, &sig)
                .is_ok(),
        })
    } else if key.algorithm.oid == EC_PUBLIC_KEY {
        if *alg != ECDSA_WITH_SHA256 {
            return None;
        }
        let public = p256::ecdsa::VerifyingKey::from_public_key_der(&spki).ok()?;
        let Ok(sig) = p256::ecdsa::Signature::from_der(signature) else {
            return Some(false);
        };
        Some(public.verify(message, &sig).is_ok())
    } else {
        None
    }
}

/// Reads one DER element at the start of `input`: (tag, content, rest).
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0_usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    (rest.len() >= len).then(|| (tag, &rest[..len], &rest[len..]))
}

/// Whether a signing-certificate-v2 attribute's first certificate hash is `cert`'s.
#[must_use]
pub fn binds(attr: &Attribute, cert: &Certificate) -> bool {
    let check = || -> Option<bool> {
        let value = attr.values.iter().next()?.to_der().ok()?;
        let (_, signing_cert, _) = element(&value)?;
        let (_, certs, _) = element(signing_cert)?;
        let (_, cert_id, _) = element(certs)?;
        let (tag, first, rest) = element(cert_id)?;
        let (hash_alg, hash) = if tag == 0x30 {
            let (_, oid, _) = element(first)?;
            let oid = ObjectIdentifier::from_bytes(oid).ok()?;
            let (tag, hash, _) = element(rest)?;
            (tag == 0x04).then_some((oid, hash))?
        } else if tag == 0x04 {
            (SHA256, first)
        } else {
            return None;
        };
        let der = cert.to_der().ok()?;
        Some(match hash_alg {
            SHA256 => Sha256::digest(&der).as_slice() == hash,
            SHA384 => Sha384::digest(&der).as_slice() == hash,
            SHA512 => Sha512::digest(&der).as_slice() == hash,
            _ => false,
        })
    };
    check().unwrap_or(false)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn der_lengths() {
        assert_eq!(tlv(0x04, &[1, 2]), vec![0x04, 2, 1, 2]);
        let long = vec![0; 300];
        let t = tlv(0x30, &long);
        assert_eq!(&t[..4], &[0x30, 0x82, 0x01, 0x2c]);
        let (tag, content, rest) = element(&t).unwrap();
        assert_eq!((tag, content.len(), rest.len()), (0x30, 300, 0));
        assert!(element(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_none());
        assert!(element(&[0x30, 5, 1]).is_none());
    }
}
