//! PKCS#11 tokens: the USB keys on which Vietnamese CAs (VNPT-CA, Viettel-CA, BKAV-CA, FPT-CA,
//! Ban Cơ yếu Chính phủ) deliver a signer's certificate.
//!
//! The private key never leaves the token: we reach it through the vendor's PKCS#11 library
//! (a `.dll` on Windows, a `.so` on Linux), loaded at run time by `cryptoki`, which holds all the
//! unsafe FFI so that this crate keeps forbidding unsafe code.
//!
//! Two steps, as a person does them: [`list_tokens`] shows what is plugged in without asking
//! for a PIN (certificates are public objects); [`open`] logs in with the PIN and returns a
//! [`TokenSigner`] that signs SHA-256 digests for the CMS signature.
//!
//! ```no_run
//! use std::path::Path;
//! use tinnhiem::signing::token::{self, AuthPin, KeyChoice};
//!
//! let module = Path::new("/usr/lib/softhsm/libsofthsm2.so");
//! for t in token::list_tokens(module)? {
//!     println!("#{} {}: {} certificate(s)", t.slot, t.label, t.certificates.len());
//! }
//! let signer = token::open(module, None, Some(&KeyChoice::Id(vec![1])), AuthPin::from("123456"))?;
//! let signature = signer.sign_sha256(b"signed attributes")?;
//! # Ok::<(), token::TokenError>(())
//! ```
//!
//! A library is loaded and initialised once per process and kept: PKCS#11 allows one
//! `C_Initialize` per process, and finalising it under a live signer would end that signer's
//! session.
//!
//! Which library to load is found by [`discover`]: nobody has to know its file.

pub mod discover;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Function, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::mechanism::Mechanism;
use cryptoki::object::ObjectHandle;
use cryptoki::object::{Attribute, AttributeType, CertificateType, KeyType, ObjectClass};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;
use der::asn1::{SequenceOf, UintRef};
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use thiserror::Error;
use x509_cert::Certificate;

use super::cms::KeyKind;
use super::names::{common_name, organisation};
use crate::encode::hex;
use crate::text::Message;

/// The PIN, as cryptoki takes it: a `secrecy` box whose memory is wiped (zeroize) when it is
/// dropped and whose `Debug` prints no digits.
pub use cryptoki::types::AuthPin;

/// The DER prefix of a SHA-256 `DigestInfo` (RFC 8017 §9.2 note 1): `CKM_RSA_PKCS` signs
/// whatever it is given, so we wrap the digest ourselves.
const SHA256_DIGEST_INFO: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// `prime256v1` (secp256r1), the one curve Vietnamese CAs issue EC certificates on.
const P256: der::oid::ObjectIdentifier =
    der::oid::ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

/// Why a token could not be listed, opened or used.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// No file at the library's path: usually the token's software is not installed.
    #[error(
        "không tìm thấy phần mềm của USB ký số “{0}”: hãy cài phần mềm của nhà cung cấp chữ ký số / PKCS#11 library not found: “{0}”: install the token's software"
    )]
    ModuleMissing(PathBuf),
    /// The file exists but is not a PKCS#11 library (or not one for this system, e.g. 32-bit).
    #[error(
        "“{path}” không phải phần mềm USB ký số dùng được ({detail}) / “{path}” is not a usable PKCS#11 library ({detail})"
    )]
    NotAModule {
        /// The library's path.
        path: PathBuf,
        /// What the loader said.
        detail: String,
    },
    /// No slot has a token in it.
    #[error("không có USB ký số nào được cắm vào máy / no token is plugged in")]
    NoToken,
    /// The token asked for is not among those plugged in.
    #[error(
        "không tìm thấy USB ký số {asked}; các USB ký số đang cắm: {} / token {asked} not found; plugged in: {}",
        list_or_none(available, "không có"),
        list_or_none(available, "none")
    )]
    TokenNotFound {
        /// What was asked, as the user wrote it.
        asked: String,
        /// The tokens there are, e.g. `“VNPT-CA” (#0)`.
        available: Vec<String>,
    },
    /// Several tokens are plugged in and none was chosen.
    #[error(
        "có nhiều USB ký số, hãy chọn một: {} / several tokens are plugged in, choose one: {}",
        available.join(", "),
        available.join(", ")
    )]
    SeveralTokens {
        /// The tokens there are.
        available: Vec<String>,
    },
    /// CKR_PIN_INCORRECT (also CKR_PIN_INVALID and CKR_PIN_LEN_RANGE: the same remedy).
    #[error(
        "sai mã PIN; lưu ý USB ký số sẽ bị khóa nếu nhập sai nhiều lần / wrong PIN; the token locks after several wrong attempts"
    )]
    WrongPin,
    /// CKR_PIN_LOCKED: too many wrong PINs.
    #[error(
        "mã PIN đã bị khóa do nhập sai quá nhiều lần; hãy liên hệ nhà cung cấp chữ ký số để mở khóa / the PIN is locked after too many wrong attempts; ask the certificate provider to unlock it"
    )]
    PinLocked,
    /// CKR_PIN_EXPIRED.
    #[error(
        "mã PIN đã hết hạn; hãy đổi PIN bằng phần mềm của USB ký số / the PIN has expired; change it with the token's software"
    )]
    PinExpired,
    /// The token holds no private key (or none this PIN can see).
    #[error("USB ký số {token} không có khóa ký / token {token} holds no signing key")]
    NoKey {
        /// The token's label.
        token: String,
    },
    /// The key asked for is not on the token.
    #[error(
        "không tìm thấy khóa {asked} trên USB ký số; các khóa có: {} / key {asked} not found on the token; keys there: {}",
        list_or_none(available, "không có"),
        list_or_none(available, "none")
    )]
    KeyNotFound {
        /// What was asked.
        asked: String,
        /// The keys there are, e.g. `“Phạm Văn Đức” [01]`.
        available: Vec<String>,
    },
    /// Several keys are on the token and none was chosen.
    #[error(
        "USB ký số có nhiều khóa, hãy chọn một: {} / the token holds several keys, choose one: {}",
        keys.join(", "),
        keys.join(", ")
    )]
    SeveralKeys {
        /// The keys there are.
        keys: Vec<String>,
    },
    /// The key has no certificate with the same CKA_ID.
    #[error(
        "không có chữ ký số đi kèm khóa {key} trên USB ký số / no certificate for key {key} on the token"
    )]
    NoCertificate {
        /// The key.
        key: String,
    },
    /// The signer's certificate on the token cannot be read.
    #[error(
        "chữ ký số trên USB ký số bị hỏng: {0} / the certificate on the token is malformed: {0}"
    )]
    BadCertificate(String),
    /// Neither RSA nor EC P-256.
    #[error(
        "loại khóa không hỗ trợ: {0} (chỉ hỗ trợ RSA và ECDSA P-256) / unsupported key type: {0} (only RSA and ECDSA P-256)"
    )]
    UnsupportedKey(String),
    /// Any other PKCS#11 failure, with the function and the return code's name.
    #[error("lỗi USB ký số: {0} / token error: {0}")]
    Device(String),
}

/// The items of an error's list, or `none` when it is empty.
fn list_or_none(items: &[String], none: &str) -> String {
    if items.is_empty() {
        none.to_owned()
    } else {
        items.join(", ")
    }
}

impl TokenError {
    /// The message in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        Message::from_bilingual(&self.to_string())
    }
}

/// A cryptoki error as the user should read it: the PIN states by name, the rest by the
/// PKCS#11 function and return code (`C_Sign: CKR_DEVICE_ERROR`), which is what a vendor's
/// support line asks for.
fn ck(e: CkError) -> TokenError {
    match e {
        CkError::Pkcs11(rv, function) => match rv {
            RvError::PinIncorrect | RvError::PinInvalid | RvError::PinLenRange => {
                TokenError::WrongPin
            }
            RvError::PinLocked => TokenError::PinLocked,
            RvError::PinExpired => TokenError::PinExpired,
            RvError::TokenNotPresent | RvError::DeviceRemoved => TokenError::NoToken,
            other => TokenError::Device(format!("{}: {}", function_name(function), rv_name(other))),
        },
        other => TokenError::Device(other.to_string()),
    }
}

/// `C_Sign` for `Function::Sign`: the C name, as in the vendor's logs.
fn function_name(f: Function) -> String {
    format!("C_{f:?}")
}

/// `CKR_PIN_INCORRECT` for `RvError::PinIncorrect`. cryptoki's `Display` gives the spec's
/// paragraph; support lines and search engines want the constant's name. Every variant's name
/// is the constant's in CamelCase, so this is a spelling change (checked in the tests).
fn rv_name(rv: RvError) -> String {
    match rv {
        RvError::VendorDefined(code) => format!("CKR_VENDOR_DEFINED+{code:#x}"),
        RvError::UnknownErrorCode(code) => format!("CKR {code:#x}"),
        other => {
            let camel = format!("{other:?}");
            let mut name = String::from("CKR");
            for c in camel.chars() {
                if c.is_ascii_uppercase() {
                    name.push('_');
                }
                name.push(c.to_ascii_uppercase());
            }
            name
        }
    }
}

/// The libraries loaded so far, by path, each initialised once (see the module comment).
static MODULES: Mutex<Vec<(PathBuf, Pkcs11)>> = Mutex::new(Vec::new());

/// Loads and initialises the library at `path`, or returns the one already loaded.
fn module(path: &Path) -> Result<Pkcs11, TokenError> {
    if !path.is_file() {
        return Err(TokenError::ModuleMissing(path.to_owned()));
    }
    // dunce: Windows' "\\?\" form would reach the vendor's DLL loader, and the path is shown.
    let key = dunce::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let mut modules = MODULES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some((_, m)) = modules.iter().find(|(p, _)| *p == key) {
        return Ok(m.clone());
    }
    let not_a_module = |detail: String| TokenError::NotAModule {
        path: path.to_owned(),
        detail,
    };
    let pkcs11 = Pkcs11::new(&key).map_err(|e| not_a_module(e.to_string()))?;
    match pkcs11.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        // Someone else in this process (a plug-in, an earlier loader) already did: usable.
        Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => return Err(ck(e)),
    }
    modules.push((key, pkcs11.clone()));
    Ok(pkcs11)
}

/// A token in a slot, as listed before any PIN is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The slot's number, stable while the token stays plugged in.
    pub slot: u64,
    /// The token's label, e.g. "VNPT-CA".
    pub label: String,
    /// The manufacturer, as the token reports it.
    pub manufacturer: String,
    /// The model.
    pub model: String,
    /// The serial number, which tells two tokens of one CA apart.
    pub serial: String,
    /// The certificates on the token (public objects, readable without the PIN).
    pub certificates: Vec<TokenCertificate>,
}

/// A certificate object on a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenCertificate {
    /// The object's CKA_LABEL.
    pub label: String,
    /// The CKA_ID in lowercase hex: it ties the certificate to its private key.
    pub id_hex: String,
    /// What the certificate says; `None` when the object is not a valid X.509 certificate
    /// (listed anyway, so that nothing on the token is hidden).
    pub details: Option<CertificateDetails>,
    /// Whether a private key with the same CKA_ID is on the token.
    pub key: KeyPresence,
}

/// What a person checks before choosing a certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateDetails {
    /// The subject's common name, e.g. "Phạm Văn Đức"; empty if it has none.
    pub common_name: String,
    /// The whole subject, e.g. "CN=Phạm Văn Đức,O=UBND xã,C=VN".
    pub subject: String,
    /// The issuer (the CA).
    pub issuer: String,
    /// The CA's name as a person reads it: the issuer's CN, else its O, else the whole issuer.
    pub issuer_name: String,
    /// Valid from, seconds since 1970 (UTC).
    pub not_before: Duration,
    /// Valid until, seconds since 1970 (UTC).
    pub not_after: Duration,
}

/// Whether a certificate has its private key on the token, as far as can be told without the
/// PIN: most tokens make private keys private objects, invisible until login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyPresence {
    /// A private key with the same CKA_ID is visible.
    Present,
    /// None, and the token shows everything without login.
    Absent,
    /// None visible, but the token hides private objects until login.
    Unknown,
}

/// Every slot with an initialised token, with the certificates on each. Asks for no PIN.
/// (A blank token cannot hold a key; SoftHSM always shows one.)
///
/// # Errors
///
/// [`TokenError::ModuleMissing`] or [`TokenError::NotAModule`] when the library cannot be loaded,
/// [`TokenError::Device`] when the token does not answer.
pub fn list_tokens(module: &Path) -> Result<Vec<TokenInfo>, TokenError> {
    let pkcs11 = self::module(module)?;
    let slots = pkcs11.get_slots_with_initialized_token().map_err(ck)?;
    let mut tokens = Vec::with_capacity(slots.len());
    for slot in slots {
        let info = pkcs11.get_token_info(slot).map_err(ck)?;
        let session = pkcs11.open_ro_session(slot).map_err(ck)?;
        let keys = private_keys(&session)?;
        let mut certificates = Vec::new();
        for cert in certificate_objects(&session)? {
            let key = if keys.iter().any(|k| k.id == cert.id) {
                KeyPresence::Present
            } else if info.login_required() {
                KeyPresence::Unknown
            } else {
                KeyPresence::Absent
            };
            certificates.push(TokenCertificate {
                label: cert.label,
                id_hex: hex(&cert.id),
                details: Certificate::from_der(&cert.der).ok().map(|c| details(&c)),
                key,
            });
        }
        tokens.push(TokenInfo {
            slot: slot.id(),
            label: info.label().trim().to_owned(),
            manufacturer: info.manufacturer_id().trim().to_owned(),
            model: info.model().trim().to_owned(),
            serial: info.serial_number().trim().to_owned(),
            certificates,
        });
    }
    Ok(tokens)
}

/// The parts of a certificate a person reads.
fn details(cert: &Certificate) -> CertificateDetails {
    let tbs = &cert.tbs_certificate;
    CertificateDetails {
        common_name: common_name(&tbs.subject).unwrap_or_default(),
        subject: tbs.subject.to_string(),
        issuer: tbs.issuer.to_string(),
        issuer_name: common_name(&tbs.issuer)
            .or_else(|| organisation(&tbs.issuer))
            .unwrap_or_else(|| tbs.issuer.to_string()),
        not_before: tbs.validity.not_before.to_unix_duration(),
        not_after: tbs.validity.not_after.to_unix_duration(),
    }
}

/// A certificate object's raw attributes.
struct CertObject {
    label: String,
    id: Vec<u8>,
    der: Vec<u8>,
}

/// A private key object's attributes.
struct KeyObject {
    handle: ObjectHandle,
    label: String,
    id: Vec<u8>,
    key_type: Option<KeyType>,
    ec_params: Option<Vec<u8>>,
}

impl KeyObject {
    /// How the key is named in a list: `“label” [id]`.
    fn name(&self) -> String {
        format!("“{}” [{}]", self.label, hex(&self.id))
    }
}

/// The objects matching `template`, each with its `attributes` (one listing loop
/// for certificates and keys: a token's quirks are met in one place).
fn objects(
    session: &Session,
    template: &[Attribute],
    attributes: &[AttributeType],
) -> Result<Vec<(ObjectHandle, Vec<Attribute>)>, TokenError> {
    let handles = session.find_objects(template).map_err(ck)?;
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        out.push((
            handle,
            session.get_attributes(handle, attributes).map_err(ck)?,
        ));
    }
    Ok(out)
}

/// The X.509 certificate objects the session can see.
fn certificate_objects(session: &Session) -> Result<Vec<CertObject>, TokenError> {
    let template = [
        Attribute::Class(ObjectClass::CERTIFICATE),
        Attribute::CertificateType(CertificateType::X_509),
    ];
    let wanted = [
        AttributeType::Label,
        AttributeType::Id,
        AttributeType::Value,
    ];
    let found = objects(session, &template, &wanted)?;
    Ok(found
        .into_iter()
        .map(|(_, attrs)| {
            let mut cert = CertObject {
                label: String::new(),
                id: Vec::new(),
                der: Vec::new(),
            };
            for attr in attrs {
                match attr {
                    Attribute::Label(l) => cert.label = String::from_utf8_lossy(&l).into_owned(),
                    Attribute::Id(id) => cert.id = id,
                    Attribute::Value(v) => cert.der = v,
                    _ => {}
                }
            }
            cert
        })
        .collect())
}

/// The private key objects the session can see.
fn private_keys(session: &Session) -> Result<Vec<KeyObject>, TokenError> {
    let template = [Attribute::Class(ObjectClass::PRIVATE_KEY)];
    let wanted = [
        AttributeType::Label,
        AttributeType::Id,
        AttributeType::KeyType,
        AttributeType::EcParams,
    ];
    let found = objects(session, &template, &wanted)?;
    Ok(found
        .into_iter()
        .map(|(handle, attrs)| {
            let mut key = KeyObject {
                handle,
                label: String::new(),
                id: Vec::new(),
                key_type: None,
                ec_params: None,
            };
            for attr in attrs {
                match attr {
                    Attribute::Label(l) => key.label = String::from_utf8_lossy(&l).into_owned(),
                    Attribute::Id(id) => key.id = id,
                    Attribute::KeyType(t) => key.key_type = Some(t),
                    Attribute::EcParams(p) => key.ec_params = Some(p),
                    _ => {}
                }
            }
            key
        })
        .collect())
}

/// Which token to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenChoice {
    /// By the token's label, e.g. "VNPT-CA".
    Label(String),
    /// By slot number, as [`list_tokens`] shows it.
    Slot(u64),
}

impl fmt::Display for TokenChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenChoice::Label(l) => write!(f, "“{l}”"),
            TokenChoice::Slot(s) => write!(f, "#{s}"),
        }
    }
}

/// Which key on the token to sign with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyChoice {
    /// By label: the key's own, or that of its certificate (Vietnamese CAs' software often
    /// labels the key with a GUID and the certificate with the person's name).
    Label(String),
    /// By CKA_ID, shared by the key and its certificate.
    Id(Vec<u8>),
}

impl fmt::Display for KeyChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyChoice::Label(l) => write!(f, "“{l}”"),
            KeyChoice::Id(id) => write!(f, "[{}]", hex(id)),
        }
    }
}

/// A logged-in key on a token, with its certificate and the chain found beside it.
///
/// The session stays logged in for as long as this value lives, so that signing asks for the
/// PIN once; dropping it logs out and closes the session. Hold it only while signing.
pub struct TokenSigner {
    session: Session,
    key: ObjectHandle,
    kind: KeyKind,
    cert: Certificate,
    chain: Vec<Certificate>,
}

impl fmt::Debug for TokenSigner {
    /// Names the certificate; there is no PIN to print, it is not kept.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSigner")
            .field("subject", &self.cert.tbs_certificate.subject.to_string())
            .field("kind", &self.kind)
            .field("chain", &self.chain.len())
            .finish_non_exhaustive()
    }
}

impl Drop for TokenSigner {
    /// Logs out; the session itself closes when dropped right after. A failure here cannot be
    /// reported and changes nothing: closing the last session logs out anyway.
    fn drop(&mut self) {
        let _ = self.session.logout();
    }
}

/// Opens the token, logs in with `pin` and finds the key and its certificate.
///
/// With no `token` (or `key`) chosen, the only one there is taken; if there are several, the
/// error lists them so that the user can choose. The PIN is consumed: its memory is wiped when
/// this returns.
///
/// One signer per token at a time: PKCS#11 logs in the whole application, so a second `open`
/// while the first signer lives is refused by the token (`C_Login: CKR_USER_ALREADY_LOGGED_IN`)
/// rather than let through without checking its PIN.
///
/// # Errors
///
/// As [`list_tokens`] for the library; [`TokenError::NoToken`], [`TokenError::TokenNotFound`] or
/// [`TokenError::SeveralTokens`] for the token, [`TokenError::WrongPin`], [`TokenError::PinLocked`]
/// or [`TokenError::PinExpired`] for the PIN, [`TokenError::NoKey`], [`TokenError::KeyNotFound`],
/// [`TokenError::SeveralKeys`], [`TokenError::NoCertificate`], [`TokenError::BadCertificate`] or
/// [`TokenError::UnsupportedKey`] for the key.
pub fn open(
    module: &Path,
    token: Option<&TokenChoice>,
    key: Option<&KeyChoice>,
    pin: AuthPin,
) -> Result<TokenSigner, TokenError> {
    let pkcs11 = self::module(module)?;
    let (slot, token_label) = choose_slot(&pkcs11, token)?;
    let session = pkcs11.open_ro_session(slot).map_err(ck)?;
    session.login(UserType::User, Some(&pin)).map_err(ck)?;
    drop(pin);
    // From here an error drops the session, which closes it and so logs out.
    let keys = private_keys(&session)?;
    let certs = certificate_objects(&session)?;
    let chosen = choose_key(keys, &certs, key, &token_label)?;
    let Some(own) = certs.iter().find(|c| c.id == chosen.id) else {
        return Err(TokenError::NoCertificate { key: chosen.name() });
    };
    let cert =
        Certificate::from_der(&own.der).map_err(|e| TokenError::BadCertificate(e.to_string()))?;
    let kind = key_kind(&cert, &chosen)?;
    let others: Vec<Certificate> = certs
        .iter()
        .filter(|c| c.der != own.der)
        .filter_map(|c| Certificate::from_der(&c.der).ok())
        .collect();
    let chain = issuer_chain(&cert, others);
    Ok(TokenSigner {
        session,
        key: chosen.handle,
        kind,
        cert,
        chain,
    })
}

/// The slot to open and its token's label.
fn choose_slot(
    pkcs11: &Pkcs11,
    choice: Option<&TokenChoice>,
) -> Result<(Slot, String), TokenError> {
    let mut tokens = Vec::new();
    for slot in pkcs11.get_slots_with_initialized_token().map_err(ck)? {
        let info = pkcs11.get_token_info(slot).map_err(ck)?;
        tokens.push((slot, info.label().trim().to_owned()));
    }
    let names = || {
        tokens
            .iter()
            .map(|(s, l)| format!("“{l}” (#{})", s.id()))
            .collect::<Vec<_>>()
    };
    let found: Vec<&(Slot, String)> = match choice {
        None => tokens.iter().collect(),
        Some(TokenChoice::Label(l)) => tokens.iter().filter(|(_, t)| t == l.trim()).collect(),
        Some(TokenChoice::Slot(n)) => tokens.iter().filter(|(s, _)| s.id() == *n).collect(),
    };
    match (found.as_slice(), choice) {
        ([one], _) => Ok((*one).clone()),
        ([], None) => Err(TokenError::NoToken),
        ([], Some(c)) => Err(TokenError::TokenNotFound {
            asked: c.to_string(),
            available: names(),
        }),
        // Two tokens with one label (two people's tokens from one CA): choose by slot.
        (_, _) => Err(TokenError::SeveralTokens { available: names() }),
    }
}

/// The key to sign with.
fn choose_key(
    keys: Vec<KeyObject>,
    certs: &[CertObject],
    choice: Option<&KeyChoice>,
    token: &str,
) -> Result<KeyObject, TokenError> {
    if keys.is_empty() {
        return Err(TokenError::NoKey {
            token: format!("“{token}”"),
        });
    }
    let names: Vec<String> = keys.iter().map(KeyObject::name).collect();
    let matches = |k: &KeyObject| match choice {
        None => true,
        Some(KeyChoice::Id(id)) => k.id == *id,
        Some(KeyChoice::Label(l)) => {
            k.label == *l || certs.iter().any(|c| c.label == *l && c.id == k.id)
        }
    };
    let mut found: Vec<KeyObject> = keys.into_iter().filter(matches).collect();
    match (found.len(), choice) {
        (1, _) => Ok(found.remove(0)),
        (0, Some(c)) => Err(TokenError::KeyNotFound {
            asked: c.to_string(),
            available: names,
        }),
        _ => Err(TokenError::SeveralKeys {
            keys: found.iter().map(KeyObject::name).collect(),
        }),
    }
}

/// The key's kind, from the certificate (what verifiers will use), checked against what the
/// token says of the key when it says anything.
fn key_kind(cert: &Certificate, key: &KeyObject) -> Result<KeyKind, TokenError> {
    let spki = &cert.tbs_certificate.subject_public_key_info;
    let oid = spki.algorithm.oid;
    let kind = if oid == const_oid::db::rfc5912::RSA_ENCRYPTION {
        KeyKind::Rsa
    } else if oid == const_oid::db::rfc5912::ID_EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.decode_as::<der::oid::ObjectIdentifier>().ok());
        match curve {
            Some(c) if c == P256 => KeyKind::EcP256,
            Some(c) => return Err(TokenError::UnsupportedKey(format!("EC {c}"))),
            None => return Err(TokenError::UnsupportedKey("EC".into())),
        }
    } else {
        return Err(TokenError::UnsupportedKey(oid.to_string()));
    };
    let agrees = match (kind, key.key_type) {
        (_, None) => true,
        (KeyKind::Rsa, Some(t)) => t == KeyType::RSA,
        (KeyKind::EcP256, Some(t)) => {
            t == KeyType::EC
                && key.ec_params.as_ref().is_none_or(|p| {
                    der::oid::ObjectIdentifier::from_der(p).is_ok_and(|c| c == P256)
                })
        }
    };
    if agrees {
        Ok(kind)
    } else {
        Err(TokenError::UnsupportedKey(format!(
            "{} ≠ {oid}",
            key.key_type.map_or_else(String::new, |t| t.to_string())
        )))
    }
}

/// The certificates that issued `leaf`, nearest first, as far as the token holds them; the
/// others on the token (other people's, unrelated CAs) are left out.
fn issuer_chain(leaf: &Certificate, mut others: Vec<Certificate>) -> Vec<Certificate> {
    let mut chain: Vec<Certificate> = Vec::new();
    let mut current = leaf.clone();
    loop {
        let tbs = &current.tbs_certificate;
        if tbs.issuer == tbs.subject {
            break; // self-signed: the root
        }
        let Some(at) = others
            .iter()
            .position(|c| c.tbs_certificate.subject == tbs.issuer)
        else {
            break;
        };
        let issuer = others.swap_remove(at);
        chain.push(issuer.clone());
        current = issuer;
    }
    chain
}

impl TokenSigner {
    /// The signer's certificate.
    #[must_use]
    pub fn certificate(&self) -> &Certificate {
        &self.cert
    }

    /// The issuers' certificates found on the token, nearest first, without the signer's.
    #[must_use]
    pub fn chain(&self) -> &[Certificate] {
        &self.chain
    }

    /// RSA or ECDSA P-256.
    #[must_use]
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// Signs `message` with SHA-256: PKCS#1 v1.5 bytes for RSA, a DER `ECDSA-Sig-Value` for
    /// P-256 (what CMS carries).
    ///
    /// # Errors
    ///
    /// [`TokenError::Device`] when the token does not sign (removed, its session closed).
    pub fn sign_sha256(&self, message: &[u8]) -> Result<Vec<u8>, TokenError> {
        let digest = Sha256::digest(message);
        match self.kind {
            KeyKind::Rsa => {
                let mut info = Vec::with_capacity(SHA256_DIGEST_INFO.len() + digest.len());
                info.extend_from_slice(&SHA256_DIGEST_INFO);
                info.extend_from_slice(&digest);
                match self.session.sign(&Mechanism::RsaPkcs, self.key, &info) {
                    // Some tokens only hash on board: give them the message.
                    Err(CkError::Pkcs11(RvError::MechanismInvalid, _)) => self
                        .session
                        .sign(&Mechanism::Sha256RsaPkcs, self.key, message)
                        .map_err(ck),
                    other => other.map_err(ck),
                }
            }
            KeyKind::EcP256 => {
                let raw = self
                    .session
                    .sign(&Mechanism::Ecdsa, self.key, &digest)
                    .map_err(ck)?;
                ecdsa_der(&raw)
            }
        }
    }
}

/// PKCS#11 returns ECDSA signatures as r‖s; CMS wants `SEQUENCE { r INTEGER, s INTEGER }`.
fn ecdsa_der(raw: &[u8]) -> Result<Vec<u8>, TokenError> {
    let bad = || TokenError::Device(format!("C_Sign: ECDSA r‖s ({} B)", raw.len()));
    if raw.is_empty() || !raw.len().is_multiple_of(2) {
        return Err(bad());
    }
    let (r, s) = raw.split_at(raw.len() / 2);
    let mut seq = SequenceOf::<UintRef<'_>, 2>::new();
    for half in [r, s] {
        let int = UintRef::new(half).map_err(|_| bad())?;
        seq.add(int).map_err(|_| bad())?;
    }
    seq.to_der().map_err(|_| bad())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// Every return code reads as its PKCS#11 constant.
    #[test]
    fn return_codes_by_name() {
        assert_eq!(rv_name(RvError::PinIncorrect), "CKR_PIN_INCORRECT");
        assert_eq!(rv_name(RvError::DeviceError), "CKR_DEVICE_ERROR");
        assert_eq!(
            rv_name(RvError::KeyFunctionNotPermitted),
            "CKR_KEY_FUNCTION_NOT_PERMITTED"
        );
        assert_eq!(
            rv_name(RvError::VendorDefined(0x8000_0001)),
            "CKR_VENDOR_DEFINED+0x80000001"
        );
    }

    /// The PIN states map to their own errors (SoftHSM2 never locks a PIN, so CKR_PIN_LOCKED
    /// is checked here rather than against a token).
    #[test]
    fn pin_states_map() {
        let e = |rv| ck(CkError::Pkcs11(rv, Function::Login));
        assert_eq!(e(RvError::PinIncorrect), TokenError::WrongPin);
        assert_eq!(e(RvError::PinLenRange), TokenError::WrongPin);
        assert_eq!(e(RvError::PinLocked), TokenError::PinLocked);
        assert_eq!(e(RvError::PinExpired), TokenError::PinExpired);
        assert_eq!(e(RvError::TokenNotPresent), TokenError::NoToken);
        assert_eq!(
            e(RvError::GeneralError),
            TokenError::Device("C_Login: CKR_GENERAL_ERROR".into())
        );
    }

    /// Every message splits into a Vietnamese and an English half, lists included.
    #[test]
    fn messages_are_bilingual() {
        let errors = [
            TokenError::ModuleMissing(PathBuf::from("/usr/lib/vnpt-ca/libpkcs11.so")),
            TokenError::PinLocked,
            TokenError::TokenNotFound {
                asked: "“BKAV”".into(),
                available: vec![],
            },
            TokenError::SeveralKeys {
                keys: vec!["“a” [01]".into(), "“b” [02]".into()],
            },
        ];
        for e in errors {
            let m = e.message();
            assert_ne!(m.vi, m.en, "{e}");
            assert!(!m.en.contains(" / "), "{e}");
        }
        let m = TokenError::TokenNotFound {
            asked: "“BKAV”".into(),
            available: vec![],
        }
        .message();
        assert!(m.vi.contains("không có") && m.en.contains("none"));
    }

    /// r‖s becomes a DER SEQUENCE of two INTEGERs, with a 0 byte where the top bit is set and
    /// none where r has leading zeros.
    #[test]
    fn ecdsa_signature_to_der() {
        let mut raw = vec![0u8; 64];
        raw[1] = 0x7f; // r = 0x7f00…, one leading zero dropped
        raw[32] = 0x80; // s = 0x8000…, needs a 0 prefix
        let der = ecdsa_der(&raw).unwrap();
        assert_eq!(&der[..4], &[0x30, 0x44, 0x02, 0x1f]);
        assert_eq!(der[4], 0x7f);
        assert_eq!(&der[35..38], &[0x02, 0x21, 0x00]);
        assert_eq!(der[38], 0x80);
        assert!(ecdsa_der(&[1, 2, 3]).is_err());
        assert!(ecdsa_der(&[]).is_err());
    }

    /// A missing library is named, not reported as a loader error.
    #[test]
    fn missing_module() {
        let path = Path::new("/khong/co/libvnpt.so");
        assert_eq!(
            list_tokens(path).unwrap_err(),
            TokenError::ModuleMissing(path.to_owned())
        );
    }
}
