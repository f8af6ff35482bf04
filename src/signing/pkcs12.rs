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
//! The password is tried in each Unicode spelling a person may have typed it in (`spellings`:
//! as typed, NFC, NFD), since the key derivations hash its bytes.
//!
//! The work a file can ask for is bounded ([`MAX_ITERATIONS`] per derivation, [`WORK_BUDGET`]
//! in all; scrypt refused), so that a crafted file cannot hang the app, and every parameter a
//! cipher library would slice is checked first, so that none can make it panic.

use std::cell::Cell;

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockDecryptMut, InnerIvInit, KeyIvInit};
use cms::content_info::ContentInfo;
use cms::encrypted_data::EncryptedData;
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5911::{ID_DATA, ID_ENCRYPTED_DATA};
use der::asn1::OctetString;
use der::{Decode, Encode};
use hmac::{Hmac, Mac};
use pkcs12::kdf::{Pkcs12KeyType, derive_key};
use sha2::{Sha256, Sha384, Sha512};
use spki::AlgorithmIdentifierOwned;
use zeroize::{Zeroize, Zeroizing};

use super::SignError;
use crate::text::Message;

/// The most rounds of one key derivation this reader runs. OpenSSL writes 2,048, Windows
/// 2,000 to 10,000; a million take about half a second here.
pub const MAX_ITERATIONS: u32 = 1_000_000;

/// The most hash rounds a whole file may ask for, over every derivation: a real file has a
/// MAC and two decryptions (a legacy 3DES one derives three SHA-1 blocks). Eight million take
/// a few seconds; a file of many bags asking for more is refused.
pub const WORK_BUDGET: u64 = 8_000_000;

/// Nested safe contents deeper than this are refused (a real file has none).
const MAX_DEPTH: usize = 4;

const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");
const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const DES_CBC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.7");
const DES_EDE3_CBC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.3.7");

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
/// [`SignError::WrongPassword`] when the MAC fails (or, without a MAC, when nothing decrypts
/// to something well formed), [`SignError::BadKeystore`] with the reason otherwise.
pub fn read(bytes: &[u8], password: &str) -> Result<Contents, SignError> {
    let pfx = pkcs12::pfx::Pfx::from_der(bytes).map_err(|e| {
        bad(
            format!("không phải tệp PKCS#12 (.p12/.pfx) ({e})"),
            format!("not a PKCS#12 (.p12/.pfx) file ({e})"),
        )
    })?;
    if pfx.auth_safe.content_type != ID_DATA {
        let kind = pfx.auth_safe.content_type;
        return Err(bad(
            format!("tệp được ký hoặc mã hóa cho người nhận ({kind}), chưa hỗ trợ"),
            format!("the file is signed or enveloped for a recipient ({kind}), not supported"),
        ));
    }
    let data = octets(&pfx.auth_safe)?;
    let mut reader = Reader::new(password);
    if let Some(mac) = &pfx.mac_data {
        // The form of the password the MAC was made with is the one the keys were made with.
        let (spelling, form) = reader.check_mac(mac, &data)?;
        let spelling = reader.spellings.swap_remove(spelling);
        reader.spellings = vec![spelling];
        reader.forms = vec![(0, form)];
        reader.password_checked = true;
    }
    let safes = Vec::<ContentInfo>::from_der(&data).map_err(|e| {
        bad(
            format!("nội dung hỏng ({e})"),
            format!("damaged contents ({e})"),
        )
    })?;
    let mut contents = Contents {
        keys: Vec::new(),
        certs: Vec::new(),
    };
    for safe in &safes {
        if safe.content_type == ID_DATA {
            reader.bags(&octets(safe)?, &mut contents, 0, false)?;
        } else if safe.content_type == ID_ENCRYPTED_DATA {
            let encrypted: EncryptedData = safe.content.decode_as().map_err(|e| {
                bad(
                    format!("phần mã hóa hỏng ({e})"),
                    format!("damaged encrypted part ({e})"),
                )
            })?;
            let info = encrypted.enc_content_info;
            let ciphertext = info
                .encrypted_content
                .map(OctetString::into_bytes)
                .unwrap_or_default();
            let bags = reader.decrypt(&info.content_enc_alg, &ciphertext, |plain| {
                pkcs12::safe_bag::SafeContents::from_der(plain).is_ok()
            })?;
            reader.bags(&bags, &mut contents, 0, true)?;
        }
        // Enveloped data (the public-key privacy mode) is not for a person's own key.
    }
    Ok(contents)
}

/// A file that cannot be read, and why, in each language.
fn bad(vi: impl Into<String>, en: impl Into<String>) -> SignError {
    SignError::BadKeystore(Message::new(vi, en))
}

/// The bytes of a `ContentInfo` of type data.
fn octets(info: &ContentInfo) -> Result<Vec<u8>, SignError> {
    info.content
        .decode_as::<OctetString>()
        .map(OctetString::into_bytes)
        .map_err(|e| {
            bad(
                format!("nội dung hỏng ({e})"),
                format!("damaged contents ({e})"),
            )
        })
}

fn iterations(count: i64) -> Result<u32, SignError> {
    match u32::try_from(count) {
        Ok(n) if (1..=MAX_ITERATIONS).contains(&n) => Ok(n),
        _ => Err(bad(
            format!(
                "số vòng lặp của khóa không hợp lệ hoặc quá lớn ({count}, tối đa {MAX_ITERATIONS})"
            ),
            format!(
                "the key derivation's iteration count is invalid or too large ({count}, at most {MAX_ITERATIONS})"
            ),
        )),
    }
}

/// The password as the PKCS#12 KDF takes it: a BMPString (UTF-16 big-endian) with a
/// terminating zero, built in wiped memory; an empty password also as no bytes at all, as
/// OpenSSL writes it for a file exported with none. No form for a password outside the BMP:
/// no file can have been made with it.
fn bmp_forms(password: &str) -> Vec<Zeroizing<Vec<u8>>> {
    let units = password.encode_utf16().count();
    if password.chars().any(|c| u32::from(c) > 0xFFFF) {
        return Vec::new();
    }
    let mut bmp = Zeroizing::new(Vec::with_capacity(units * 2 + 2));
    for unit in password.encode_utf16() {
        bmp.extend_from_slice(&unit.to_be_bytes());
    }
    bmp.extend_from_slice(&[0, 0]);
    if password.is_empty() {
        vec![bmp, Zeroizing::new(Vec::new())]
    } else {
        vec![bmp]
    }
}

/// The spellings of `password` a file may have been made with: as typed, then its NFC and
/// NFD forms where they differ. Vietnamese typed with combining marks (a Unikey "tổ hợp"
/// setting, some macOS and web fields) gives other bytes than the same letters precomposed,
/// and the PKCS#12 KDF and PBKDF2 hash bytes: a file made with one spelling would refuse the
/// other, though the person typed the same password. No other spelling is tried: a password
/// that differs in anything else (another placement of the tone mark, "ủy" and "uỷ") is another
/// password. Built in wiped memory with room for the longest normal form (three times the
/// UTF-8 length), so that no reallocation leaves a copy behind.
fn spellings(password: &str) -> Vec<Zeroizing<String>> {
    use unicode_normalization::UnicodeNormalization;
    let mut out = vec![Zeroizing::new(password.to_owned())];
    let mut add = |form: &mut dyn Iterator<Item = char>| {
        let mut spelling = Zeroizing::new(String::with_capacity(password.len() * 3 + 4));
        spelling.extend(form);
        if !out.contains(&spelling) {
            out.push(spelling);
        }
    };
    add(&mut password.nfc());
    add(&mut password.nfd());
    out
}

/// Decrypts and walks the safe contents with one password.
struct Reader {
    /// The password's spellings ([`spellings`]), for PBES2 as UTF-8 bytes; the one the MAC
    /// proved once it did.
    spellings: Vec<Zeroizing<String>>,
    /// For the PKCS#12 KDF: the forms still possible ([`bmp_forms`] of each spelling, with the
    /// spelling's index), the one the MAC proved once it did.
    forms: Vec<(usize, Zeroizing<Vec<u8>>)>,
    /// The MAC proved the password: a decryption failure is then damage, not the password.
    password_checked: bool,
    /// The spelling a decryption proved (in a file without a MAC): the later ones try it
    /// alone, so that a spelling tried in vain is paid for once, not at every part.
    proven: Cell<Option<usize>>,
    /// Hash rounds run so far ([`WORK_BUDGET`]).
    spent: Cell<u64>,
}

impl Reader {
    /// A reader trying every spelling of `password`.
    fn new(password: &str) -> Self {
        let spellings = spellings(password);
        let forms = spellings
            .iter()
            .enumerate()
            .flat_map(|(i, p)| bmp_forms(p).into_iter().map(move |f| (i, f)))
            .collect();
        Self {
            spellings,
            forms,
            password_checked: false,
            proven: Cell::new(None),
            spent: Cell::new(0),
        }
    }

    /// Whether spelling `i` is still worth trying ([`Reader::proven`]).
    fn tries(&self, i: usize) -> bool {
        self.proven.get().is_none_or(|p| p == i)
    }

    /// Counts `rounds` × `blocks` hash rounds against the file's budget, before running them.
    fn charge(&self, rounds: u32, blocks: usize) -> Result<(), SignError> {
        let blocks = u64::try_from(blocks).unwrap_or(u64::MAX);
        let spent = self
            .spent
            .get()
            .saturating_add(u64::from(rounds).saturating_mul(blocks));
        self.spent.set(spent);
        if spent > WORK_BUDGET {
            return Err(bad(
                format!("tệp đòi tính khóa quá nhiều lần (hơn {WORK_BUDGET} vòng)"),
                format!("the file asks for too much key derivation (over {WORK_BUDGET} rounds)"),
            ));
        }
        Ok(())
    }

    /// Checks the file's MAC; returns the form of the password it was made with, and the
    /// index of its spelling.
    fn check_mac(
        &self,
        mac: &pkcs12::mac_data::MacData,
        data: &[u8],
    ) -> Result<(usize, Zeroizing<Vec<u8>>), SignError> {
        let rounds = iterations(i64::from(mac.iterations))?;
        let rounds_i32 = i32::try_from(rounds).unwrap_or(i32::MAX);
        let salt = mac.mac_salt.as_bytes();
        let expected = mac.mac.digest.as_bytes();
        let oid = mac.mac.algorithm.oid;
        macro_rules! find {
            ($d:ty) => {{
                let len = <$d as sha2::Digest>::output_size();
                let mut found = None;
                for (spelling, form) in &self.forms {
                    self.charge(rounds, 1)?;
                    let key = Zeroizing::new(derive_key::<$d>(
                        form,
                        salt,
                        Pkcs12KeyType::Mac,
                        rounds_i32,
                        len,
                    ));
                    let ok = <Hmac<$d> as Mac>::new_from_slice(&key).is_ok_and(|mut h| {
                        h.update(data);
                        h.verify_slice(expected).is_ok()
                    });
                    if ok {
                        found = Some((*spelling, form.clone()));
                        break;
                    }
                }
                found
            }};
        }
        let found = if oid == SHA1 {
            find!(sha1::Sha1)
        } else if oid == SHA256 {
            find!(Sha256)
        } else if oid == SHA384 {
            find!(Sha384)
        } else if oid == SHA512 {
            find!(Sha512)
        } else {
            return Err(bad(
                format!("thuật toán MAC chưa hỗ trợ ({oid})"),
                format!("unsupported MAC algorithm ({oid})"),
            ));
        };
        found.ok_or(SignError::WrongPassword)
    }

    /// Collects the keys and certificates of a `SafeContents`; `decrypted`: it came out of a
    /// decryption, so that damage in it may be the password's doing.
    fn bags(
        &self,
        der: &[u8],
        out: &mut Contents,
        depth: usize,
        decrypted: bool,
    ) -> Result<(), SignError> {
        if depth > MAX_DEPTH {
            return Err(bad(
                "các túi lồng nhau quá sâu",
                "safe contents nested too deep",
            ));
        }
        let mut bags = pkcs12::safe_bag::SafeContents::from_der(der).map_err(|e| {
            let reason = Message::new(
                format!("danh sách túi hỏng ({e})"),
                format!("damaged bag list ({e})"),
            );
            if decrypted {
                self.damaged(reason)
            } else {
                SignError::BadKeystore(reason)
            }
        })?;
        let result = bags
            .iter()
            .try_for_each(|bag| self.bag(bag, out, depth, decrypted));
        // The bags' values are copies of decrypted bytes (keys among them).
        for bag in &mut bags {
            bag.bag_value.zeroize();
        }
        result
    }

    fn bag(
        &self,
        bag: &pkcs12::safe_bag::SafeBag,
        out: &mut Contents,
        depth: usize,
        decrypted: bool,
    ) -> Result<(), SignError> {
        let value = explicit_zero(&bag.bag_value)?;
        if bag.bag_id == pkcs12::PKCS_12_KEY_BAG_OID {
            out.keys.push(Zeroizing::new(value.to_vec()));
        } else if bag.bag_id == pkcs12::PKCS_12_PKCS8_KEY_BAG_OID {
            let shrouded =
                pkcs12::pbe_params::EncryptedPrivateKeyInfo::from_der(value).map_err(|e| {
                    bad(
                        format!("túi khóa hỏng ({e})"),
                        format!("damaged key bag ({e})"),
                    )
                })?;
            let key = self.decrypt(
                &shrouded.encryption_algorithm,
                shrouded.encrypted_data.as_bytes(),
                |plain| rsa::pkcs8::PrivateKeyInfo::try_from(plain).is_ok(),
            )?;
            out.keys.push(key);
        } else if bag.bag_id == pkcs12::PKCS_12_CERT_BAG_OID {
            let cert = pkcs12::cert_type::CertBag::from_der(value).map_err(|e| {
                bad(
                    format!("túi chứng thư hỏng ({e})"),
                    format!("damaged certificate bag ({e})"),
                )
            })?;
            if cert.cert_id == pkcs12::PKCS_12_X509_CERT_OID {
                out.certs.push(cert.cert_value.into_bytes());
            }
        } else if bag.bag_id == pkcs12::PKCS_12_SAFE_CONTENTS_BAG_OID {
            self.bags(value, out, depth + 1, decrypted)?;
        }
        // CRL and secret bags carry nothing a signature needs.
        Ok(())
    }

    /// A decryption that gave nothing well formed: the password, unless the MAC proved it.
    fn damaged(&self, reason: Message) -> SignError {
        if self.password_checked {
            SignError::BadKeystore(reason)
        } else {
            SignError::WrongPassword
        }
    }

    /// Decrypts with a PBES2 or a PKCS#12 PBE algorithm; the result must be `plausible` (a
    /// wrong password passes the padding check one time in 256 and gives garbage).
    fn decrypt(
        &self,
        alg: &AlgorithmIdentifierOwned,
        ciphertext: &[u8],
        plausible: impl Fn(&[u8]) -> bool,
    ) -> Result<Zeroizing<Vec<u8>>, SignError> {
        let unsupported = || {
            bad(
                format!("thuật toán mã hóa chưa hỗ trợ ({0})", alg.oid),
                format!("unsupported encryption algorithm ({0})", alg.oid),
            )
        };
        let malformed = |e: &dyn std::fmt::Display| {
            bad(
                format!("tham số mã hóa hỏng ({e})"),
                format!("damaged encryption parameters ({e})"),
            )
        };
        let undecryptable = || self.damaged(Message::new("không giải mã được", "cannot decrypt"));
        let parameters = alg.parameters.as_ref().ok_or_else(unsupported)?;
        if alg.oid == PBES2 {
            let outline = parameters
                .decode_as::<pkcs12::pbe_params::Pbes2Params>()
                .map_err(|e| malformed(&e))?;
            // pkcs5 slices a DES IV without checking its length.
            if [DES_CBC, DES_EDE3_CBC].contains(&outline.encryption.oid) {
                let iv = outline
                    .encryption
                    .parameters
                    .as_ref()
                    .and_then(|p| p.decode_as::<OctetString>().ok());
                if iv.is_none_or(|iv| iv.as_bytes().len() != 8) {
                    return Err(malformed(&"IV"));
                }
            }
            let encoded = alg.to_der().map_err(|e| malformed(&e))?;
            let scheme =
                pkcs5::EncryptionScheme::try_from(encoded.as_slice()).map_err(|_| unsupported())?;
            let pkcs5::EncryptionScheme::Pbes2(params) = &scheme else {
                return Err(unsupported());
            };
            // scrypt's cost is memory as well as time: no signing tool uses it here.
            let pbkdf2 = params.kdf.pbkdf2().ok_or_else(unsupported)?;
            let rounds = iterations(i64::from(pbkdf2.iteration_count))?;
            // Up to two PRF blocks for a 256-bit key.
            return self
                .first_plausible(
                    self.spellings.iter().enumerate(),
                    (rounds, 2),
                    |password| match scheme.decrypt(password.as_bytes(), ciphertext) {
                        Ok(plain) => Ok(Some(plain)),
                        Err(pkcs5::Error::UnsupportedAlgorithm { .. }) => Err(unsupported()),
                        Err(_) => Ok(None),
                    },
                    plausible,
                )?
                .ok_or_else(undecryptable);
        }
        let (key_len, cipher) = if alg.oid == pkcs12::PKCS_12_PBE_WITH_SHAAND3_KEY_TRIPLE_DES_CBC {
            (24_usize, Legacy::Des3)
        } else if alg.oid == pkcs12::PKCS_12_PBE_WITH_SHAAND2_KEY_TRIPLE_DES_CBC {
            (16, Legacy::Des2)
        } else if alg.oid == pkcs12::PKCS_12_PBE_WITH_SHAAND128_BIT_RC2_CBC {
            (16, Legacy::Rc2(128))
        } else if alg.oid == pkcs12::PKCS_12_PBEWITH_SHAAND40_BIT_RC2_CBC {
            (5, Legacy::Rc2(40))
        } else {
            return Err(unsupported());
        };
        let params = parameters
            .decode_as::<pkcs12::pbe_params::Pkcs12PbeParams>()
            .map_err(|e| malformed(&e))?;
        let rounds = iterations(i64::from(params.iterations))?;
        let rounds_i32 = i32::try_from(rounds).unwrap_or(i32::MAX);
        let salt = params.salt.as_bytes();
        // SHA-1 gives 20 bytes a block: the key's blocks, and one for the IV.
        let blocks = key_len.div_ceil(20) + 1;
        let forms = self.forms.iter().map(|(spelling, form)| (*spelling, form));
        self.first_plausible(
            forms,
            (rounds, blocks),
            |form| {
                let derive = |kind, len| {
                    Zeroizing::new(derive_key::<sha1::Sha1>(form, salt, kind, rounds_i32, len))
                };
                let key = derive(Pkcs12KeyType::EncryptionKey, key_len);
                let iv = derive(Pkcs12KeyType::Iv, 8);
                Ok(match cipher {
                    Legacy::Des3 => cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
                        .ok()
                        .and_then(|d| d.decrypt_padded_vec_mut::<Pkcs7>(ciphertext).ok()),
                    Legacy::Des2 => cbc::Decryptor::<des::TdesEde2>::new_from_slices(&key, &iv)
                        .ok()
                        .and_then(|d| d.decrypt_padded_vec_mut::<Pkcs7>(ciphertext).ok()),
                    Legacy::Rc2(bits) => {
                        let rc2 = rc2::Rc2::new_with_eff_key_len(&key, bits);
                        let iv = cbc::cipher::generic_array::GenericArray::from_slice(&iv[..8]);
                        cbc::Decryptor::<rc2::Rc2>::inner_iv_init(rc2, iv)
                            .decrypt_padded_vec_mut::<Pkcs7>(ciphertext)
                            .ok()
                    }
                })
            },
            plausible,
        )?
        .ok_or_else(undecryptable)
    }

    /// Runs `attempt` on each of `tries` (with the index of its spelling) that is still worth
    /// it ([`Reader::tries`]), its `(rounds, blocks)` charged first ([`Reader::charge`]), until
    /// one gives a `plausible` result: that spelling is then proven for the rest of the file.
    /// `None` when none does; garbage is wiped.
    fn first_plausible<T>(
        &self,
        tries: impl IntoIterator<Item = (usize, T)>,
        (rounds, blocks): (u32, usize),
        attempt: impl Fn(T) -> Result<Option<Vec<u8>>, SignError>,
        plausible: impl Fn(&[u8]) -> bool,
    ) -> Result<Option<Zeroizing<Vec<u8>>>, SignError> {
        for (spelling, item) in tries {
            if !self.tries(spelling) {
                continue;
            }
            self.charge(rounds, blocks)?;
            match attempt(item)? {
                Some(plain) if plausible(&plain) => {
                    self.proven.set(Some(spelling));
                    return Ok(Some(Zeroizing::new(plain)));
                }
                Some(mut garbage) => garbage.zeroize(),
                None => {}
            }
        }
        Ok(None)
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
        .map_err(|e| bad(format!("túi hỏng ({e})"), format!("damaged bag ({e})")))?;
    if der::Tagged::tag(&any)
        == (der::Tag::ContextSpecific {
            constructed: true,
            number: der::TagNumber::N0,
        })
    {
        Ok(any.value())
    } else {
        Err(bad("túi hỏng (thiếu [0])", "damaged bag (no [0])"))
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
            iterations(i64::from(MAX_ITERATIONS)).unwrap(),
            MAX_ITERATIONS
        );
        for n in [0, -1, i64::from(MAX_ITERATIONS) + 1, i64::from(i32::MAX)] {
            assert!(
                matches!(iterations(n), Err(SignError::BadKeystore(_))),
                "{n}"
            );
        }
    }

    /// A password is tried as typed, then precomposed (NFC) and decomposed (NFD) where those
    /// differ; an ASCII password once; the MAC's forms cover each spelling.
    #[test]
    fn password_spellings() {
        use unicode_normalization::UnicodeNormalization;
        let nfc = "Bí mật Đảng ủy";
        let nfd: String = nfc.nfd().collect();
        let texts = |p: &str| -> Vec<String> {
            spellings(p).iter().map(|s| s.as_str().to_owned()).collect()
        };
        assert_eq!(texts(nfc), [nfc.to_owned(), nfd.clone()]);
        assert_eq!(texts(&nfd), [nfd.clone(), nfc.to_owned()]);
        assert_eq!(texts("secret"), ["secret"]);
        assert_eq!(texts(""), [""]);
        let reader = Reader::new(&nfd);
        let spelling_of = |f: &[u8]| reader.forms.iter().find(|(_, g)| **g == *f).map(|x| x.0);
        assert_eq!(spelling_of(&bmp_forms(&nfd)[0]), Some(0));
        assert_eq!(spelling_of(&bmp_forms(nfc)[0]), Some(1));
        assert_eq!(
            Reader::new("").forms.len(),
            2,
            "an empty password has two forms"
        );
    }

    /// The budget counts every derivation of the file, before it runs.
    #[test]
    fn the_work_of_a_whole_file_is_bounded() {
        let reader = Reader::new("");
        for _ in 0..4 {
            reader.charge(MAX_ITERATIONS, 2).unwrap();
        }
        assert!(matches!(
            reader.charge(1, 1),
            Err(SignError::BadKeystore(m)) if m.en.contains("8000000")
        ));
        assert!(reader.charge(u32::MAX, usize::MAX).is_err());
    }

    /// The password forms of the PKCS#12 KDF: UTF-16 big-endian with a terminating zero, the
    /// empty password also as no bytes, nothing for one outside the BMP.
    #[test]
    fn password_forms() {
        let forms = bmp_forms("Đà");
        assert_eq!(forms.len(), 1);
        assert_eq!(forms[0].as_slice(), &[0x01, 0x10, 0x00, 0xE0, 0, 0]);
        let empty = bmp_forms("");
        assert_eq!(empty.len(), 2);
        assert_eq!(empty[0].as_slice(), &[0, 0]);
        assert!(empty[1].is_empty());
        assert!(bmp_forms("a😀").is_empty());
    }

    /// DER of a tag and its contents (the shortest length form, as DER requires).
    fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = content.len();
        if len < 0x80 {
            out.push(u8::try_from(len).unwrap());
        } else if len < 0x100 {
            out.extend_from_slice(&[0x81, u8::try_from(len).unwrap()]);
        } else {
            out.push(0x82);
            out.extend_from_slice(&u16::try_from(len).unwrap().to_be_bytes());
        }
        out.extend_from_slice(content);
        out
    }

    fn oid(dotted: &str) -> Vec<u8> {
        ObjectIdentifier::new_unwrap(dotted).to_der().unwrap()
    }

    /// A file without a MAC whose shrouded key is under PBES2 with 3DES and an IV of `iv_len`
    /// bytes: the cipher library slices the IV to 8 bytes without checking its length.
    fn pbes2_des3_file(iv_len: usize) -> Vec<u8> {
        let pbkdf2 = tlv(
            0x30,
            &[
                oid("1.2.840.113549.1.5.12"),
                tlv(
                    0x30,
                    &[tlv(0x04, &[7; 8]), tlv(0x02, &[0x08, 0x00])].concat(),
                ),
            ]
            .concat(),
        );
        let des3 = tlv(
            0x30,
            &[oid("1.2.840.113549.3.7"), tlv(0x04, &vec![1; iv_len])].concat(),
        );
        let pbes2 = tlv(
            0x30,
            &[
                oid("1.2.840.113549.1.5.13"),
                tlv(0x30, &[pbkdf2, des3].concat()),
            ]
            .concat(),
        );
        let shrouded = tlv(0x30, &[pbes2, tlv(0x04, &[9; 16])].concat());
        let bag = tlv(
            0x30,
            &[oid("1.2.840.113549.1.12.10.1.2"), tlv(0xA0, &shrouded)].concat(),
        );
        let data = |content: &[u8]| {
            tlv(
                0x30,
                &[oid("1.2.840.113549.1.7.1"), tlv(0xA0, &tlv(0x04, content))].concat(),
            )
        };
        let safes = tlv(0x30, &data(&tlv(0x30, &bag)));
        tlv(0x30, &[tlv(0x02, &[3]), data(&safes)].concat())
    }

    #[test]
    fn a_short_des_iv_is_refused_not_a_panic() {
        for len in [0, 1, 7, 9] {
            let err = read(&pbes2_des3_file(len), "x").err();
            assert!(
                matches!(&err, Some(SignError::BadKeystore(m)) if m.en.contains("IV")),
                "{len}: {err:?}"
            );
        }
        // With a well-formed IV it is decrypted, and the garbage is the password's fault.
        let err = read(&pbes2_des3_file(8), "x").err();
        assert!(matches!(err, Some(SignError::WrongPassword)), "{err:?}");
    }

    #[test]
    fn a_bag_value_must_be_wrapped_in_explicit_zero() {
        assert_eq!(explicit_zero(&[0xA0, 3, 4, 1, 7]).unwrap(), &[4, 1, 7]);
        assert!(explicit_zero(&[0x04, 1, 7]).is_err());
        assert!(explicit_zero(&[0xA0, 9, 4]).is_err());
    }
}
