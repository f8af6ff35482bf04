//! Keys to sign with: a .p12 file read into memory ([`Identity`]) or a key on a token
//! ([`super::token::TokenSigner`]), both behind [`KeySigner`].

use der::{Decode, Encode};
use rsa::RsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use sha2::Sha256;
use x509_cert::Certificate;

use super::{KeyKind, KeySigner, SignError, pkcs12};
use crate::text::Message;

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
    ///
    /// # Errors
    ///
    /// [`SignError::BadKeystore`] for a damaged file, no private key or certificate, or an
    /// unsupported key; [`SignError::WrongPassword`] for a wrong password (or a MAC that fails).
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

impl KeySigner for crate::signing::token::TokenSigner {
    fn certificate(&self) -> &Certificate {
        crate::signing::token::TokenSigner::certificate(self)
    }

    fn chain(&self) -> &[Certificate] {
        crate::signing::token::TokenSigner::chain(self)
    }

    fn kind(&self) -> KeyKind {
        crate::signing::token::TokenSigner::kind(self)
    }

    fn sign_sha256(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        crate::signing::token::TokenSigner::sign_sha256(self, message)
            .map_err(|e| SignError::Token(e.to_string()))
    }
}
