//! Reading a PKCS#12 (.p12/.pfx) file: its private keys (as PKCS#8 DER) and its certificates.
//!
//! Written here, over RustCrypto's `pkcs12` 0.1 types and key derivation, `pkcs5` 0.7 (PBES2),
//! and the ciphers of the same generation, instead of the `p12-keystore` crate: that crate is
//! built on the next, pre-release generation of RustCrypto (der 0.8, cms 0.3, x509-cert 0.3)
//! plus a second ASN.1 stack (x509-parser, nom 7), so it built a second copy of about fifteen
//! crates the signature already has (issue 14: one version of each crate).
//!
//! What it reads: the password-integrity mode (an HMAC over the contents, keyed from the
//! password by the PKCS#12 KDF with SHA-1, SHA-256, SHA-384 or SHA-512, or no MAC), safe
//! contents plain or encrypted, shrouded or plain key bags, X.509 certificate bags, nested
//! safe-contents bags. Encryption: PBES2 (PBKDF2 with HMAC-SHA-1/224/256/384/512, AES-CBC or
//! 3DES-CBC), as OpenSSL 3 and Windows since 2018 write them, and the legacy PKCS#12 PBEs with
//! SHA-1 and 3-key 3DES, 2-key 3DES, 40- and 128-bit RC2, as OpenSSL 1.x, older Windows and
//! the Vietnamese CAs' token tools write them. Not read: the public-key integrity and privacy
//! modes (a PFX signed or enveloped for a recipient), which no signing tool writes for a
//! person's own key. The file is DER; a BER file (indefinite lengths) is refused with the
//! reason.
//!
//! Every work factor in the file is bounded ([`MAX_ITERATIONS`]; scrypt refused), so that a
//! crafted file cannot hang the app.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, InnerIvInit, KeyIvInit};
use cms::content_info::ContentInfo;
use cms::encrypted_data::EncryptedData;
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5911::{ID_DATA, ID_ENCRYPTED_DATA};
use der::asn1::OctetString;
use der::{Decode, Encode};
use hmac::{Hmac, Mac};
use pkcs12::kdf::{Pkcs12KeyType, derive_key, derive_key_utf8};
use sha2::{Sha256, Sha384, Sha512};
use spki::AlgorithmIdentifierOwned;
use zeroize::Zeroizing;

use super::SignError;

/// The most iterations of a key derivation this reader runs: OpenSSL writes 2,048, Windows
/// 2,000, guidance for new files reaches 600,000. Two million take about a second here; a file
/// asking for more is refused rather than allowed to hang the app.
pub const MAX_ITERATIONS: u64 = 2_000_000;

/// Nested safe contents deeper than this are refused (a real file has none).
const MAX_DEPTH: usize = 4;

const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");

/// What a PKCS#12 file holds, decrypted.
pub struct Contents {
    /// Private keys as PKCS#8 `PrivateKeyInfo` DER, in file order, wiped on drop.
    pub keys: Vec<Zeroizing<Vec<u8>>>,
    /// X.509 certificates as DER, in file order.
    pub certs: Vec<Vec<u8>>,
}

/// Reads and decrypts a PKCS#12 file.
///
/// # Errors
/// [`SignError::WrongPassword`] when the MAC fails (or, without a MAC, when decryption does),
/// [`SignError::BadKeystore`] with the reason otherwise.
pub fn read(bytes: &[u8], password: &str) -> Result<Contents, SignError> {
    let pfx = pkcs12::pfx::Pfx::from_der(bytes).map_err(|e| {
        bad(&format!(
            "không phải tệp PKCS#12 (.p12/.pfx) ({e}) / not a PKCS#12 (.p12/.pfx) file ({e})"
        ))
    })?;
    if pfx.auth_safe.content_type != ID_DATA {
        return Err(bad(&format!(
            "tệp được ký hoặc mã hóa cho người nhận ({}), chưa hỗ trợ / the file is signed or enveloped for a recipient ({}), not supported",
            pfx.auth_safe.content_type, pfx.auth_safe.content_type
        )));
    }
    let data = octets(&pfx.auth_safe)?;
    let password_checked = match &pfx.mac_data {
        Some(mac) => {
            check_mac(mac, &data, password)?;
            true
        }
        None => false,
    };
    let reader = Reader {
        password,
        password_checked,
    };
    let safes = Vec::<ContentInfo>::from_der(&data)
        .map_err(|e| bad(&format!("nội dung hỏng ({e}) / damaged contents ({e})")))?;
    let mut contents = Contents {
        keys: Vec::new(),
        certs: Vec::new(),
    };
    for safe in &safes {
        let bags = if safe.content_type == ID_DATA {
            Zeroizing::new(octets(safe)?)
        } else if safe.content_type == ID_ENCRYPTED_DATA {
            let encrypted: EncryptedData = safe.content.decode_as().map_err(|e| {
                bad(&format!(
                    "phần mã hóa hỏng ({e}) / damaged encrypted part ({e})"
                ))
            })?;
            let info = encrypted.enc_content_info;
            let ciphertext = info
                .encrypted_content
                .map(OctetString::into_bytes)
                .unwrap_or_default();
            reader.decrypt(&info.content_enc_alg, &ciphertext)?
        } else {
            // Enveloped data (public-key privacy mode): not for a person's own key.
            continue;
        };
        reader.bags(&bags, &mut contents, 0)?;
    }
    Ok(contents)
}

fn bad(reason: &str) -> SignError {
    SignError::BadKeystore(reason.to_owned())
}

/// The bytes of a `ContentInfo` of type data.
fn octets(info: &ContentInfo) -> Result<Vec<u8>, SignError> {
    info.content
        .decode_as::<OctetString>()
        .map(OctetString::into_bytes)
        .map_err(|e| bad(&format!("nội dung hỏng ({e}) / damaged contents ({e})")))
}

fn iterations(count: i64) -> Result<u32, SignError> {
    match u32::try_from(count) {
        Ok(n) if n >= 1 && u64::from(n) <= MAX_ITERATIONS => Ok(n),
        _ => Err(bad(&format!(
            "số vòng lặp của khóa không hợp lệ hoặc quá lớn ({count}, tối đa {MAX_ITERATIONS}) / the key derivation's iteration count is invalid or too large ({count}, at most {MAX_ITERATIONS})"
        ))),
    }
}

/// The PKCS#12 KDF of the password, as a BMPString with its terminating zero; a password
/// outside the BMP cannot be the file's.
fn pkcs12_key<D>(
    password: &str,
    salt: &[u8],
    kind: Pkcs12KeyType,
    rounds: u32,
    len: usize,
) -> Result<Zeroizing<Vec<u8>>, SignError>
where
    D: sha2::Digest + sha2::digest::FixedOutputReset + sha2::digest::core_api::BlockSizeUser,
{
    let rounds = i32::try_from(rounds).map_err(|_| SignError::WrongPassword)?;
    derive_key_utf8::<D>(password, salt, kind, rounds, len)
        .map(Zeroizing::new)
        .map_err(|_| SignError::WrongPassword)
}

/// Checks the file's MAC. An empty password is also tried as no password at all (no
/// terminating zero), as OpenSSL writes a file exported with an empty password.
fn check_mac(
    mac: &pkcs12::mac_data::MacData,
    data: &[u8],
    password: &str,
) -> Result<(), SignError> {
    let rounds = iterations(i64::from(mac.iterations))?;
    let salt = mac.mac_salt.as_bytes();
    let expected = mac.mac.digest.as_bytes();
    let oid = mac.mac.algorithm.oid;
    macro_rules! verify {
        ($d:ty) => {{
            let len = <$d as sha2::Digest>::output_size();
            let mut keys = vec![pkcs12_key::<$d>(
                password,
                salt,
                Pkcs12KeyType::Mac,
                rounds,
                len,
            )?];
            if password.is_empty() {
                let rounds = i32::try_from(rounds).unwrap_or(i32::MAX);
                keys.push(Zeroizing::new(derive_key::<$d>(
                    &[],
                    salt,
                    Pkcs12KeyType::Mac,
                    rounds,
                    len,
                )));
            }
            keys.iter().any(|key| {
                <Hmac<$d> as Mac>::new_from_slice(key).is_ok_and(|mut h| {
                    h.update(data);
                    h.verify_slice(expected).is_ok()
                })
            })
        }};
    }
    let ok = if oid == SHA1 {
        verify!(sha1::Sha1)
    } else if oid == SHA256 {
        verify!(Sha256)
    } else if oid == SHA384 {
        verify!(Sha384)
    } else if oid == SHA512 {
        verify!(Sha512)
    } else {
        return Err(bad(&format!(
            "thuật toán MAC chưa hỗ trợ ({oid}) / unsupported MAC algorithm ({oid})"
        )));
    };
    if ok {
        Ok(())
    } else {
        Err(SignError::WrongPassword)
    }
}

/// Decrypts and walks the safe contents with one password.
struct Reader<'a> {
    password: &'a str,
    /// The MAC proved the password: a decryption failure is then damage, not the password.
    password_checked: bool,
}

impl Reader<'_> {
    /// Collects the keys and certificates of a `SafeContents`.
    fn bags(&self, der: &[u8], out: &mut Contents, depth: usize) -> Result<(), SignError> {
        if depth > MAX_DEPTH {
            return Err(bad(
                "các túi lồng nhau quá sâu / safe contents nested too deep",
            ));
        }
        let bags = pkcs12::safe_bag::SafeContents::from_der(der).map_err(|e| {
            self.damaged(&format!(
                "danh sách túi hỏng ({e}) / damaged bag list ({e})"
            ))
        })?;
        for bag in &bags {
            let value = explicit_zero(&bag.bag_value)?;
            if bag.bag_id == pkcs12::PKCS_12_KEY_BAG_OID {
                out.keys.push(Zeroizing::new(value.to_vec()));
            } else if bag.bag_id == pkcs12::PKCS_12_PKCS8_KEY_BAG_OID {
                let shrouded = pkcs12::pbe_params::EncryptedPrivateKeyInfo::from_der(value)
                    .map_err(|e| bad(&format!("túi khóa hỏng ({e}) / damaged key bag ({e})")))?;
                let key = self.decrypt(
                    &shrouded.encryption_algorithm,
                    shrouded.encrypted_data.as_bytes(),
                )?;
                out.keys.push(key);
            } else if bag.bag_id == pkcs12::PKCS_12_CERT_BAG_OID {
                let cert = pkcs12::cert_type::CertBag::from_der(value).map_err(|e| {
                    bad(&format!(
                        "túi chứng thư hỏng ({e}) / damaged certificate bag ({e})"
                    ))
                })?;
                if cert.cert_id == pkcs12::PKCS_12_X509_CERT_OID {
                    out.certs.push(cert.cert_value.into_bytes());
                }
            } else if bag.bag_id == pkcs12::PKCS_12_SAFE_CONTENTS_BAG_OID {
                self.bags(value, out, depth + 1)?;
            }
            // CRL and secret bags carry nothing a signature needs.
        }
        Ok(())
    }

    /// A decryption or decoding failure: the password when the MAC did not prove it.
    fn damaged(&self, reason: &str) -> SignError {
        if self.password_checked {
            bad(reason)
        } else {
            SignError::WrongPassword
        }
    }

    /// Decrypts with a PBES2 or a PKCS#12 PBE algorithm.
    fn decrypt(
        &self,
        alg: &AlgorithmIdentifierOwned,
        ciphertext: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, SignError> {
        let unsupported = || {
            bad(&format!(
                "thuật toán mã hóa chưa hỗ trợ ({0}) / unsupported encryption algorithm ({0})",
                alg.oid
            ))
        };
        let wrong = |e: &dyn std::fmt::Display| {
            self.damaged(&format!("không giải mã được ({e}) / cannot decrypt ({e})"))
        };
        if alg.oid == PBES2 {
            let encoded = alg.to_der().map_err(|e| wrong(&e))?;
            let scheme =
                pkcs5::EncryptionScheme::try_from(encoded.as_slice()).map_err(|_| unsupported())?;
            let pkcs5::EncryptionScheme::Pbes2(params) = &scheme else {
                return Err(unsupported());
            };
            // scrypt's cost is memory as well as time: no signing tool uses it here.
            let pbkdf2 = params.kdf.pbkdf2().ok_or_else(unsupported)?;
            iterations(i64::from(pbkdf2.iteration_count))?;
            return scheme
                .decrypt(self.password.as_bytes(), ciphertext)
                .map(Zeroizing::new)
                .map_err(|e| match e {
                    pkcs5::Error::UnsupportedAlgorithm { .. } => unsupported(),
                    other => wrong(&other),
                });
        }
        let (key_len, cipher) = if alg.oid == pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC {
            (24, Legacy::Des3)
        } else if alg.oid == pkcs12::PKCS_12_PBE_WITH_SHAAND2_KEY_TRIPLE_DES_CBC {
            (16, Legacy::Des2)
        } else if alg.oid == pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC {
            (16, Legacy::Rc2(128))
        } else if alg.oid == pkcs12::PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC {
            (5, Legacy::Rc2(40))
        } else {
            return Err(unsupported());
        };
        let params = alg
            .parameters
            .as_ref()
            .ok_or_else(unsupported)?
            .decode_as::<pkcs12::pbe_params::Pkcs12PbeParams>()
            .map_err(|e| wrong(&e))?;
        let rounds = iterations(i64::from(params.iterations))?;
        let salt = params.salt.as_bytes();
        let key = pkcs12_key::<sha1::Sha1>(
            self.password,
            salt,
            Pkcs12KeyType::EncryptionKey,
            rounds,
            key_len,
        )?;
        let iv = pkcs12_key::<sha1::Sha1>(self.password, salt, Pkcs12KeyType::Iv, rounds, 8)?;
        let plain = match cipher {
            Legacy::Des3 => cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
                .map_err(|e| wrong(&e))?
                .decrypt_padded_vec_mut::<Pkcs7>(ciphertext),
            Legacy::Des2 => cbc::Decryptor::<des::TdesEde2>::new_from_slices(&key, &iv)
                .map_err(|e| wrong(&e))?
                .decrypt_padded_vec_mut::<Pkcs7>(ciphertext),
            Legacy::Rc2(bits) => {
                let rc2 = rc2::Rc2::new_with_eff_key_len(&key, bits);
                let iv = cbc::cipher::generic_array::GenericArray::from_slice(&iv);
                cbc::Decryptor::<rc2::Rc2>::inner_iv_init(rc2, iv)
                    .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
            }
        };
        plain.map(Zeroizing::new).map_err(|e| wrong(&e))
    }
}

/// The ciphers of the legacy PKCS#12 PBEs.
#[derive(Clone, Copy)]
enum Legacy {
    Des3,
    Des2,
    /// RC2 with this effective key length in bits.
    Rc2(usize),
}

/// The content of a `[0] EXPLICIT` wrapper (a safe bag's value as `pkcs12` 0.1 keeps it).
fn explicit_zero(tlv: &[u8]) -> Result<&[u8], SignError> {
    let any = der::AnyRef::from_der(tlv)
        .map_err(|e| bad(&format!("túi hỏng ({e}) / damaged bag ({e})")))?;
    if der::Tagged::tag(&any)
        == (der::Tag::ContextSpecific {
            constructed: true,
            number: der::TagNumber::N0,
        })
    {
        Ok(any.value())
    } else {
        Err(bad("túi hỏng (thiếu [0]) / damaged bag (no [0])"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_not_a_keystore_and_never_panics() {
        for bytes in [
            &b""[..],
            b"\x30",
            b"\x30\x80\x00\x00",
            b"not a p12",
            &[0x30, 3, 2, 1, 3],
        ] {
            assert!(matches!(read(bytes, "x"), Err(SignError::BadKeystore(_))));
        }
    }

    #[test]
    fn iteration_counts_are_bounded() {
        assert_eq!(iterations(2048).unwrap(), 2048);
        assert_eq!(
            iterations(i64::try_from(MAX_ITERATIONS).unwrap()).unwrap(),
            2_000_000
        );
        for n in [0, -1, 2_000_001, i64::from(i32::MAX)] {
            assert!(
                matches!(iterations(n), Err(SignError::BadKeystore(_))),
                "{n}"
            );
        }
    }

    #[test]
    fn a_bag_value_must_be_wrapped_in_explicit_zero() {
        assert_eq!(explicit_zero(&[0xA0, 3, 4, 1, 7]).unwrap(), &[4, 1, 7]);
        assert!(explicit_zero(&[0x04, 1, 7]).is_err());
        assert!(explicit_zero(&[0xA0, 9, 4]).is_err());
    }
}
