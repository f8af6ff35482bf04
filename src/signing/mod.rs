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
pub mod changes;
pub mod cms;
pub mod images;
mod keys;
pub mod names;
pub mod pkcs12;
pub mod revisions;
pub mod seal;
pub mod token;
mod update;
mod verify;

use std::time::Duration;

use thiserror::Error;
use x509_cert::Certificate;

pub use self::chain::{CertSignature, ChainReport, Trust};
pub use self::changes::Change;
pub use self::cms::{KeyKind, KeySigner};
pub use self::keys::Identity;
pub use self::names::{common_name, organisation};
pub use self::update::{append_signature, field_people, sign_pdf, unsigned_fields};
pub(crate) use self::verify::{CmsCheck, check_cms};
pub use self::verify::{
    Forgery, SignatureReport, VerifyError, pdf_fingerprint, pdf_keywords, verify_pdf,
};
use crate::text::Message;

/// The keyword a draft's PDF carries in `/Keywords`: a draft is never signed, since "BẢN
/// NHÁP" under a valid signature is a trap for whoever reads it.
pub const DRAFT_KEYWORD: &str = "tinnhiem-status:draft";

/// Why signing failed. No output file is written on any of these.
#[derive(Debug, Error)]
pub enum SignError {
    /// The PKCS#12 password is wrong (or the file is damaged so that its MAC fails).
    #[error("sai mật khẩu của tệp chữ ký số / wrong password for the certificate file")]
    WrongPassword,
    /// The file is not a PKCS#12 keystore with a private key and its certificate: why, in
    /// each language (one string with both would put the Vietnamese in the English line).
    #[error("tệp chữ ký số không hợp lệ: {} / invalid certificate file: {}", .0.vi, .0.en)]
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
    /// The certificate does not name the person printed under the block, and no reason to
    /// sign for that person was given.
    #[error(
        "chứng thư của \"{certificate}\" không phải của người có tên in dưới ô ký \"{printed}\": chỉ ký thay khi ghi rõ lý do / the certificate of \"{certificate}\" is not that of the person printed under the block, \"{printed}\": signing for them needs a stated reason"
    )]
    NotThePrintedPerson {
        /// The name printed under the block.
        printed: String,
        /// The certificate's name.
        certificate: String,
    },
    /// No unsigned block is that person's or has that name.
    #[error("không có ô ký nào còn trống của \"{0}\" / no unsigned block is \"{0}\"'s")]
    NoSuchField(String),
    /// Every signature field of the PDF is already signed, and no new one is wanted.
    #[error(
        "mọi ô chữ ký của biên bản đều đã được ký / every signature field of the minutes is already signed"
    )]
    NoFreeField,
    /// The PDF's signatures do not hold: a later signature would seem to vouch for a forged
    /// or broken one.
    #[error(
        "không ký thêm: chữ ký đã có trong tệp không hợp lệ: {} / not signing: a signature already in the file does not hold: {}",
        .0.vi, .0.en
    )]
    Invalid(Message),
    /// The document was changed after an earlier signature: signing it would hide that.
    #[error(
        "không ký thêm: tài liệu đã bị thay đổi sau chữ ký trước ({}) / not signing: the document was changed after an earlier signature ({})",
        .0.vi, .0.en
    )]
    ChangedAfterSigning(Message),
    /// The PDF's structure is one the verifier does not read: a signature on it could not be
    /// checked by tinnhiem itself.
    #[error("{} / {}", .0.vi, .0.en)]
    Structure(Message),
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

/// The signer's name for the log and the signature dictionary: the certificate's common name,
/// or its whole subject when it has none.
#[must_use]
pub fn signer_name(signer: &dyn KeySigner) -> String {
    let subject = &signer.certificate().tbs_certificate.subject;
    common_name(subject).unwrap_or_else(|| subject.to_string())
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
    /// The block to sign in: the person printed under it, or its name ("Chủ trì hội nghị");
    /// `None`: the first unsigned one.
    pub field: Option<String>,
    /// Why the signer signs in a block printed for another person: a certificate that does
    /// not name the printed person is refused without it; with it, the signature's `/Reason`
    /// says "ký thay cho …: lý do", which `verify` shows.
    pub on_behalf: Option<String>,
    /// The pictures the visible signature is drawn with (the signer's handwritten signature,
    /// the organisation's seal): none, the framed text alone.
    pub images: images::SignImages,
    /// Draws the visible signature into a signer's block: given the certificate, these
    /// details and the field's rectangle, the complete Form XObject (dictionary and stream)
    /// and what it uses. `None` leaves the field without a look of its own. A function, so
    /// that signing needs nothing of the documents' fonts.
    pub appearance: Option<Appearance>,
}

/// See [`SignDetails::appearance`].
pub type Appearance = fn(&Certificate, &SignDetails, [f32; 4]) -> Option<Look>;

/// A visible signature's look: the objects it is drawn with (the Form XObject, and the
/// fonts and pictures it uses), in a document of their own whose objects the signature's
/// update copies under new numbers.
#[derive(Debug)]
pub struct Look {
    /// The objects.
    pub objects: lopdf::Document,
    /// The Form XObject among them: the field's normal appearance.
    pub form: lopdf::ObjectId,
}

/// A signature field the document already has, not yet signed: where the signer's block is.
#[derive(Debug, Clone, PartialEq)]
pub struct FreeField {
    /// The field-widget object.
    pub id: lopdf::ObjectId,
    /// Its name (`/T`): the block's role ("Trưởng ban kiểm phiếu").
    pub name: String,
    /// The person printed under the block (`/TU`), when the document says.
    pub person: Option<String>,
    /// Its page.
    pub page: lopdf::ObjectId,
    /// Its rectangle on the page, in points: x1, y1, x2, y2.
    pub rect: [f32; 4],
}
