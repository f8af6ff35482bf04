//! Finalising and reopening, the documents (minutes, ballots, CSV) and the digital signature.
//!
//! Everything here goes through the core: [`Session::finalise`]/[`Session::reopen`] decide
//! whether a transition is allowed, [`crate::documents`] writes the files, [`crate::signing`]
//! signs, [`archive::write_atomic`] writes. The work is split from the file dialogs: the
//! `write_*` and `sign_minutes` methods take a path (tests call them), the actions ask for the
//! path with rfd and then call them.
//!
//! [`Session::finalise`]: crate::model::Session::finalise
//! [`Session::reopen`]: crate::model::Session::reopen

use std::path::{Path, PathBuf};

use eframe::egui::{self, Id, RichText};

use super::files::{self, Mode, PathTask};
use super::work::{Job, LibraryTokens, Outcome, Sealed, Signed};
use super::{App, i18n};
use crate::archive;
use crate::documents::DocumentError;
use crate::documents::ballots::{BallotCount, BallotOptions, ballot_count, ballots_pdf_counted};
use crate::documents::csv::results_csv;
use crate::documents::minutes::{MinutesOptions, minutes_pdf};
use crate::documents::minutes::{SignatureBlock, signature_blocks};
use crate::fingerprint::{Fingerprint, fingerprint};
use crate::lifecycle::{Action as Logged, Timestamp, TransitionError, broken_seal};
use crate::model::Session;
use crate::signing::images::ImageKind;
use crate::signing::{Identity, KeySigner, SignDetails, sign_pdf};
use crate::text::{Lang, Message, Tr};
use crate::validate::validate;

/// A command of this module, queued like the app's other [`super::Action`]s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocAction {
    /// Ask to confirm finalising.
    AskFinalise,
    /// Finalise (confirmed).
    Finalise,
    /// Ask for the reason to reopen.
    AskReopen,
    /// Reopen with this reason.
    Reopen(String),
    /// Ask where, write the document, open it if it is a PDF ([`Export`]).
    Export(Export),
    /// Show the signing dialog.
    AskSign,
    /// Pick the certificate file for the signing dialog.
    PickCertificate,
    /// Pick a token library by hand, when the one wanted was not found.
    PickModule,
    /// Find the token libraries and read their tokens (again), on the worker.
    ListTokens,
    /// Ask where, then write the signed minutes with the dialog's certificate and password.
    Sign,
    /// Show or hide the audit log.
    ToggleAudit,
    /// Choose the PNG kept as the signature of the block's person, or the seal of the
    /// issuing body.
    PickImage(ImageKind),
    /// Forget that picture.
    ForgetImage(ImageKind),
}

/// A document the user saves where they choose: the minutes, the ballots, the results as
/// Excel or CSV. Each one's facts are one row of [`Export::spec`], so that the menu, the
/// file dialog, the refusal, the log and what happens after the write agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Export {
    /// The minutes (biên bản kiểm phiếu), PDF.
    Minutes,
    /// The blank ballots and tally sheets, PDF.
    Ballots,
    /// The results workbook, .xlsx.
    Xlsx,
    /// The results, CSV.
    Csv,
}

/// What the app knows of one [`Export`].
#[derive(Debug, Clone, Copy)]
pub struct ExportSpec {
    /// The menu item, and the save dialog's title.
    pub label: Tr,
    /// Added to the session's file name in the name offered ("chi-bo-bien-ban.pdf").
    pub suffix: &'static str,
    /// The file's extension, added to a bare name typed in the dialog.
    pub extension: &'static str,
    /// The dialog's filter name.
    pub filter: &'static str,
    /// The document as a refusal names it, when a session with errors or a broken seal may
    /// not be exported (the blank ballots may: they hold no results).
    pub refused_as: Option<Tr>,
    /// The kind the audit log records (`Exported { kind, .. }`): stable, archives keep it.
    pub log_kind: &'static str,
    /// Opened in the system's PDF program once written (the tables are only said to be
    /// saved: a spreadsheet program opening on its own surprises more than it helps).
    pub show: bool,
}

impl Export {
    /// In the order of the "Văn bản" menu.
    pub const ALL: [Export; 4] = [Export::Minutes, Export::Ballots, Export::Xlsx, Export::Csv];

    /// This document's row of the table.
    #[must_use]
    pub fn spec(self) -> ExportSpec {
        const MINUTES: Tr = Tr::new("biên bản", "minutes");
        match self {
            Export::Minutes => ExportSpec {
                label: i18n::EXPORT_MINUTES,
                suffix: "-bien-ban",
                extension: "pdf",
                filter: "PDF",
                refused_as: Some(MINUTES),
                log_kind: "minutes",
                show: true,
            },
            Export::Ballots => ExportSpec {
                label: i18n::PRINT_BALLOTS,
                suffix: "-phieu",
                extension: "pdf",
                filter: "PDF",
                refused_as: None,
                log_kind: "ballots",
                show: true,
            },
            Export::Xlsx => ExportSpec {
                label: i18n::EXPORT_XLSX,
                suffix: "-ket-qua",
                extension: "xlsx",
                filter: "Excel",
                refused_as: Some(Tr::new("Excel", "Excel")),
                log_kind: "xlsx",
                show: false,
            },
            Export::Csv => ExportSpec {
                label: i18n::EXPORT_CSV,
                suffix: "-ket-qua",
                extension: "csv",
                filter: "CSV",
                refused_as: Some(Tr::new("CSV", "CSV")),
                log_kind: "csv",
                show: false,
            },
        }
    }
}

/// A question of this module waiting for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocDialog {
    /// "Finalise the results?"
    Finalise,
    /// The reason to reopen.
    Reopen,
    /// Certificate file and password.
    Sign,
}

/// Where the signing key is: a file, or a USB token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum KeySource {
    /// A .p12/.pfx file and its password.
    #[default]
    File,
    /// A token through its vendor's PKCS#11 library, and its PIN.
    Token,
}

/// The key a signature is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyRequest {
    /// This .p12/.pfx file.
    File(PathBuf),
    /// The key `id` (hex) on the token in `slot` of the library `module`.
    Token {
        /// The vendor's PKCS#11 library.
        module: PathBuf,
        /// The token's slot.
        slot: u64,
        /// The key's CKA_ID, hex.
        id: String,
    },
}

/// The state of the documents' dialogs and windows.
#[derive(Default)]
pub struct DocsUi {
    /// The open dialog, if any.
    pub dialog: Option<DocDialog>,
    /// The reason typed to reopen.
    pub reason: String,
    /// Append the audit log to the minutes as an annex.
    pub with_log: bool,
    /// The certificate file chosen for signing.
    pub certificate: Option<PathBuf>,
    /// The certificate's password or the token's PIN: overwritten after each use, never
    /// logged nor saved.
    pub password: String,
    /// File or token.
    pub key_source: KeySource,
    /// The token library chosen by hand ("Chọn tệp thư viện khác…"), looked at first.
    pub module: Option<PathBuf>,
    /// The token libraries found and their tokens, as last read.
    pub libraries: Option<Vec<LibraryTokens>>,
    /// The library, the token's slot and the key's id (hex) chosen.
    pub token_key: Option<(PathBuf, u64, String)>,
    /// The session's generation when the running job started: a seal signed on a copy is
    /// not applied to a session that changed meanwhile.
    job_generation: u64,
    /// Sign the seal when finalising, with the key chosen as for signing.
    pub sign_seal: bool,
    /// The block the minutes are signed in, by the person printed under it (`None`: the
    /// first, the head of the counting committee's).
    pub sign_for: Option<String>,
    /// Why the signer signs in a block printed for another person (empty: they do not).
    pub on_behalf: String,
    /// The pictures kept on this computer, as last read (`None`: read again).
    stored_images: Option<Vec<crate::signing::images::StoredImage>>,
    /// A button of a dialog's key picker asked for this (a file to choose, tokens to list).
    picked: Option<DocAction>,
    /// The audit log window is shown.
    pub audit_open: bool,
    /// Open written PDFs in the system viewer (tests turn it off).
    pub open_viewer: bool,
    /// The program that opens files, in place of the system's (`xdg-open`, `open`, the
    /// shell's "Open"): tests name one that is not installed.
    pub viewer: Option<PathBuf>,
    /// The fingerprint of the session at an app generation (a SHA-256 per frame is waste).
    fingerprint: Option<(u64, Fingerprint)>,
    /// Whether the seal is broken, and for which generation of the session.
    seal_broken: Option<(u64, bool)>,
    /// What the ballots PDF would hold, for a generation and a language (the menu says it
    /// before printing; laying a ballot out every frame is waste).
    ballot_count: Option<(u64, Lang, BallotCount)>,
    /// The pages of the ballots just written, shown under "Đã lưu tại …" for that file.
    pub saved_detail: Option<(PathBuf, String)>,
}

impl std::fmt::Debug for DocsUi {
    /// Never prints the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocsUi")
            .field("dialog", &self.dialog)
            .field("certificate", &self.certificate)
            .finish_non_exhaustive()
    }
}

impl DocsUi {
    /// The key the signing or finalising dialog asks for, when enough is chosen.
    #[must_use]
    pub fn key_request(&self) -> Option<KeyRequest> {
        match self.key_source {
            KeySource::File => self.certificate.clone().map(KeyRequest::File),
            KeySource::Token => {
                let (module, slot, id) = self.token_key.clone()?;
                Some(KeyRequest::Token { module, slot, id })
            }
        }
    }

    /// The default state, opening written PDFs in the system viewer.
    #[must_use]
    pub fn new() -> Self {
        Self {
            open_viewer: true,
            ..Self::default()
        }
    }
}

/// The block the minutes are signed in, by its printed person, and why the signer signs for
/// that person when the certificate is someone else's (issue 24 §1).
fn block_picker(ui: &mut egui::Ui, docs: &mut DocsUi, blocks: &[SignatureBlock], lang: Lang) {
    let label = |b: &SignatureBlock| format!("{}: {}", b.role, b.person);
    let shown = docs
        .sign_for
        .as_ref()
        .and_then(|p| blocks.iter().find(|b| b.person == *p))
        .or(blocks.first())
        .map(label)
        .unwrap_or_default();
    ui.horizontal(|ui| {
        let l = ui.label(i18n::SIGN_FOR.get(lang));
        egui::ComboBox::from_id_salt("sign-for")
            .selected_text(shown)
            .width(360.0)
            .show_ui(ui, |ui| {
                for b in blocks.iter().filter(|b| !b.person.is_empty()) {
                    let chosen = docs.sign_for.as_deref() == Some(b.person.as_str());
                    if ui.selectable_label(chosen, label(b)).clicked() {
                        docs.sign_for = Some(b.person.clone());
                    }
                }
            })
            .response
            .labelled_by(l.id);
    });
    let l = ui
        .label(i18n::SIGN_ON_BEHALF.get(lang))
        .on_hover_text(i18n::SIGN_ON_BEHALF_HINT.get(lang));
    ui.add(egui::TextEdit::singleline(&mut docs.on_behalf).desired_width(560.0))
        .labelled_by(l.id);
}

/// The pictures the signature is drawn with (issue 24 §3): the handwritten signature of the
/// chosen block's person and the issuing body's seal, each kept or not, chosen or forgotten
/// here.
fn image_rows(
    ui: &mut egui::Ui,
    stored: &[crate::signing::images::StoredImage],
    owners: [&str; 2],
    lang: Lang,
) -> Option<DocAction> {
    let mut action = None;
    for (kind, owner, label, none) in [
        (
            ImageKind::Signature,
            owners[0],
            i18n::SIGN_IMAGE,
            i18n::IMAGE_NONE,
        ),
        (
            ImageKind::Seal,
            owners[1],
            i18n::SEAL_IMAGE,
            i18n::IMAGE_NONE_SEAL,
        ),
    ] {
        if owner.trim().is_empty() {
            continue;
        }
        let kept = stored.iter().any(|s| {
            s.kind == kind && crate::signing::names::match_names(owner, &s.owner).matches()
        });
        ui.horizontal(|ui| {
            ui.label(format!("{} — {owner}:", label.get(lang)))
                .on_hover_text(i18n::IMAGE_HINT.get(lang));
            ui.label(if kept {
                i18n::IMAGE_KEPT.get(lang)
            } else {
                none.get(lang)
            });
            let pick = ui
                .button(i18n::IMAGE_PICK.get(lang))
                .on_hover_text(i18n::IMAGE_HINT.get(lang));
            if pick.clicked() {
                action = Some(DocAction::PickImage(kind));
            }
            if kept && ui.button(i18n::IMAGE_FORGET.get(lang)).clicked() {
                action = Some(DocAction::ForgetImage(kind));
            }
        });
    }
    action
}

/// A picture's refusal in each language (its message is "vi / en").
fn image_message(e: &crate::signing::images::ImageError) -> Message {
    let text = e.to_string();
    match text.split_once(" / ") {
        Some((vi, en)) => Message::new(vi, en),
        None => Message::new(text.clone(), text),
    }
}

/// Whether some group has a cadre to vote on (else there is no ballot to print).
fn has_cadre_on_ballot(session: &Session) -> bool {
    session
        .groups
        .iter()
        .any(|g| g.cadres.iter().any(|c| c.exemption.is_none()))
}

/// Overwrites a secret in memory, then empties it.
pub fn wipe(secret: &mut String) {
    let mut bytes = std::mem::take(secret).into_bytes();
    bytes.fill(0);
    // Keeps the zeroing from being optimised away as a dead store.
    std::hint::black_box(&bytes);
}

/// Opens a signing key: run on the worker, since a .p12's decryption and a token's login are
/// slow. Tests give one that opens a deliberately slow signer.
pub type Opener = Box<dyn FnOnce() -> Result<Box<dyn KeySigner>, Message> + Send>;

/// The opener of `key` with its password or PIN, which it wipes once used.
fn opener(key: KeyRequest, mut secret: String) -> Opener {
    Box::new(move || {
        let signer = open_key(&key, &mut secret);
        wipe(&mut secret);
        signer
    })
}

/// What signing the minutes needs of the session, taken on the frame so that the worker holds
/// no reference to the app.
struct MinutesPlan {
    session: Session,
    lang: Lang,
    with_log: bool,
    /// The open archive's file, never to be written over.
    archive: Option<PathBuf>,
    path: PathBuf,
    at: Timestamp,
    /// The block to sign in, by its printed person ([`SignDetails::field`]).
    field: Option<String>,
    /// Why the signer signs for the printed person ([`SignDetails::on_behalf`]).
    on_behalf: Option<String>,
    /// Where the pictures the signature is drawn with are kept ([`SignDetails::images`]):
    /// the app's data folder's.
    images: Option<crate::signing::images::ImageStore>,
}

/// The worker's part of signing the minutes: opens the key, makes, signs and writes the PDF.
/// On any error no file is written.
fn sign_job(open: Opener, plan: MinutesPlan) -> Result<Signed, Message> {
    let signer = open()?;
    let bytes = minutes_of(&plan.session, plan.lang, plan.with_log)?;
    let details = SignDetails {
        name: crate::signing::signer_name(signer.as_ref()),
        reason: i18n::SIGN_REASON.get(plan.lang).to_owned(),
        location: plan.session.meta.place.clone(),
        time: plan.at.as_duration(),
        lang: plan.lang,
        appearance: Some(crate::documents::appearance::signature_appearance),
        field: plan.field.clone(),
        on_behalf: plan.on_behalf.clone(),
        images: plan
            .images
            .as_ref()
            .map(|s| s.for_certificate(signer.certificate()))
            .unwrap_or_default(),
    };
    let signed = sign_pdf(&bytes, signer.as_ref(), &details).map_err(|e| e.message())?;
    write_document_at(plan.archive.as_deref(), &plan.path, &signed)?;
    Ok(Signed {
        path: plan.path,
        subject: signer.certificate().tbs_certificate.subject.to_string(),
        at: plan.at,
    })
}

/// The worker's part of finalising with a signed seal, on a copy of the session: the key is
/// opened first, so that a wrong password or PIN finalises nothing.
fn seal_job(
    open: Opener,
    mut session: Session,
    by: &str,
    at: Timestamp,
) -> Result<Sealed, Message> {
    let signer = open()?;
    session.finalise(by, at).map_err(|e| e.message())?;
    let unsigned = crate::signing::seal::sign_seal(&mut session, signer.as_ref())
        .err()
        .map(|e| e.message());
    Ok(Sealed { session, unsigned })
}

/// The token libraries found (the one chosen by hand first) and the tokens of each: the
/// worker's part of reading the tokens, each library loaded here and not on the frame.
fn read_tokens_job(chosen: Option<PathBuf>) -> Vec<LibraryTokens> {
    use crate::signing::token::discover::{Places, discover};
    discover(&Places::this_computer(chosen))
        .into_iter()
        .map(|library| LibraryTokens {
            tokens: crate::signing::token::list_tokens(&library.path).map_err(|e| e.message()),
            library,
        })
        .collect()
}

/// Opens the key asked for with its password or PIN (taken out of `secret`).
fn open_key(
    key: &KeyRequest,
    secret: &mut String,
) -> Result<Box<dyn crate::signing::KeySigner>, Message> {
    match key {
        KeyRequest::File(certificate) => std::fs::read(certificate)
            .map_err(|e| {
                let why = crate::text::io_error_words(e.kind());
                Message::new(
                    format!(
                        "Không đọc được tệp chữ ký số {}: {}",
                        certificate.display(),
                        why.vi
                    ),
                    format!(
                        "Cannot read the certificate file {}: {}",
                        certificate.display(),
                        why.en
                    ),
                )
            })
            .and_then(|bytes| Identity::from_pkcs12(&bytes, secret).map_err(|e| e.message()))
            .map(|id| Box::new(id) as Box<dyn crate::signing::KeySigner>),
        KeyRequest::Token { module, slot, id } => {
            use crate::signing::token::{AuthPin, KeyChoice, TokenChoice};
            let key = crate::encode::from_hex(id).map(KeyChoice::Id);
            let pin = AuthPin::from(std::mem::take(secret));
            crate::signing::token::open(module, Some(&TokenChoice::Slot(*slot)), key.as_ref(), pin)
                .map(|s| Box::new(s) as Box<dyn crate::signing::KeySigner>)
                .map_err(|e| e.message())
        }
    }
}

/// Where the key is (token or file), what to sign with, and the masked password or PIN: the
/// part the signing and finalising dialogs share. Returns the action a button asks for, and
/// whether Enter left the password or PIN field (the signing dialog then signs, as a signing
/// program's PIN box does).
fn key_picker(
    ui: &mut egui::Ui,
    docs: &mut DocsUi,
    lang: Lang,
    busy: Option<&Job>,
) -> (Option<DocAction>, bool) {
    ui.horizontal(|ui| {
        ui.radio_value(
            &mut docs.key_source,
            KeySource::Token,
            i18n::SIGN_TOKEN.get(lang),
        )
        .on_hover_text(i18n::SIGN_TOKEN_KIND_HOVER.get(lang));
        ui.radio_value(
            &mut docs.key_source,
            KeySource::File,
            i18n::SIGN_FILE.get(lang),
        )
        .on_hover_text(i18n::SIGN_FILE_HOVER.get(lang));
    });
    let mut pick = None;
    let secret_label = match docs.key_source {
        KeySource::File => {
            ui.horizontal(|ui| {
                if ui
                    .button(i18n::SIGN_PICK.get(lang))
                    .on_hover_text(i18n::SIGN_FILE_HOVER.get(lang))
                    .clicked()
                {
                    pick = Some(DocAction::PickCertificate);
                }
                match &docs.certificate {
                    Some(c) => ui.monospace(c.display().to_string()),
                    None => ui.label(i18n::SIGN_NO_FILE.get(lang)),
                };
            });
            i18n::SIGN_PASSWORD
        }
        KeySource::Token => {
            pick = token_picker(ui, docs, lang, busy);
            i18n::SIGN_PIN
        }
    };
    let label = ui.label(secret_label.get(lang));
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut docs.password)
                .password(true)
                .id(password_id()),
        )
        .labelled_by(label.id);
    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
    (pick, enter)
}

/// The token part of the signing dialog: the token software found (by vendor, the paths in a
/// hover), then every certificate on every token, by person, CA and validity, to pick one.
/// The tokens are read on the worker the first time this is shown. Returns the action a
/// button asks for.
fn token_picker(
    ui: &mut egui::Ui,
    docs: &mut DocsUi,
    lang: Lang,
    busy: Option<&Job>,
) -> Option<DocAction> {
    let mut action = None;
    if docs.libraries.is_none() && busy.is_none() {
        action = Some(DocAction::ListTokens);
    }
    if busy == Some(&Job::ReadingTokens) {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(Job::ReadingTokens.doing(lang));
        });
    } else if let Some(libraries) = &docs.libraries {
        if libraries.is_empty() {
            ui.colored_label(ui.visuals().warn_fg_color, i18n::SIGN_NO_LIBRARY.get(lang));
        } else {
            libraries_ui(ui, libraries, lang);
            certificates_ui(ui, libraries, &mut docs.token_key, lang);
        }
    }
    ui.horizontal(|ui| {
        let idle = busy.is_none();
        if ui
            .add_enabled(idle, egui::Button::new(i18n::SIGN_RELIST.get(lang)))
            .clicked()
        {
            action = Some(DocAction::ListTokens);
        }
        if ui
            .add_enabled(idle, egui::Button::new(i18n::SIGN_PICK_MODULE.get(lang)))
            .on_hover_text(i18n::SIGN_PICK_MODULE_HOVER.get(lang))
            .clicked()
        {
            action = Some(DocAction::PickModule);
        }
    });
    action
}

/// "Phần mềm thiết bị ký số trên máy: VNPT-CA, OpenSC", each library's file in a hover, and
/// the libraries that could not be read with why.
fn libraries_ui(ui: &mut egui::Ui, libraries: &[LibraryTokens], lang: Lang) {
    let names: Vec<&str> = libraries.iter().map(|l| l.library.name.as_str()).collect();
    let paths: Vec<String> = libraries
        .iter()
        .map(|l| format!("{}: {} (PKCS#11)", l.library.name, l.library.path.display()))
        .collect();
    ui.label(
        RichText::new(format!(
            "{} {}",
            i18n::SIGN_FOUND.get(lang),
            names.join(", ")
        ))
        .weak(),
    )
    .on_hover_text(paths.join("\n"));
    for l in libraries {
        if let Err(m) = &l.tokens {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("{}: {}", l.library.name, m.get(lang)),
            );
        }
    }
}

/// The certificates a person can sign with, over every token found: those with a key (or
/// whose key the token hides until the PIN), leaving out the CAs' own certificates that
/// tokens carry for the chain.
fn signing_certificates(
    libraries: &[LibraryTokens],
) -> Vec<(
    &LibraryTokens,
    &crate::signing::token::TokenInfo,
    &crate::signing::token::TokenCertificate,
)> {
    use crate::signing::token::KeyPresence;
    let mut out = Vec::new();
    for l in libraries {
        for t in l.tokens.iter().flatten() {
            let issues_another = |c: &crate::signing::token::TokenCertificate| {
                c.details.as_ref().is_some_and(|d| {
                    t.certificates.iter().any(|o| {
                        o.id_hex != c.id_hex
                            && o.details
                                .as_ref()
                                .is_some_and(|od| od.issuer == d.subject && od.subject != d.subject)
                    })
                })
            };
            for c in &t.certificates {
                if c.key != KeyPresence::Absent && !issues_another(c) {
                    out.push((l, t, c));
                }
            }
        }
    }
    out
}

/// One line per certificate: "Phạm Văn Đức — cấp bởi VNPT-CA — còn hạn đến 31/12/2026"; the
/// token, its serial and the whole subject in a hover.
fn certificates_ui(
    ui: &mut egui::Ui,
    libraries: &[LibraryTokens],
    chosen: &mut Option<(PathBuf, u64, String)>,
    lang: Lang,
) {
    let certificates = signing_certificates(libraries);
    if certificates.is_empty() {
        ui.colored_label(ui.visuals().warn_fg_color, i18n::SIGN_NO_CERT.get(lang));
        return;
    }
    ui.label(i18n::SIGN_CHOOSE_KEY.get(lang));
    let now = Timestamp::now().as_duration();
    for (l, t, c) in certificates {
        let (text, expired) = certificate_line(c, now, lang);
        let key = (l.library.path.clone(), t.slot, c.id_hex.clone());
        let selected = chosen.as_ref() == Some(&key);
        let mut radio = RichText::new(text);
        if expired {
            radio = radio.color(ui.visuals().warn_fg_color);
        }
        let subject = c.details.as_ref().map_or("", |d| d.subject.as_str());
        let hover = format!(
            "{}: {} ({}, {}), {}\n{subject}",
            i18n::SIGN_TOKEN_HOVER.get(lang),
            t.label,
            l.library.name,
            t.serial,
            c.label
        );
        if ui.radio(selected, radio).on_hover_text(hover).clicked() {
            *chosen = Some(key);
        }
    }
}

/// A certificate as a person reads it, and whether it has expired at `now`.
fn certificate_line(
    c: &crate::signing::token::TokenCertificate,
    now: std::time::Duration,
    lang: Lang,
) -> (String, bool) {
    let Some(d) = &c.details else {
        return (c.label.clone(), false);
    };
    let who = if d.common_name.is_empty() {
        c.label.as_str()
    } else {
        d.common_name.as_str()
    };
    let day = |t: std::time::Duration| {
        let text = Timestamp(t.as_secs()).vietnam();
        text.split_once(' ')
            .map_or(text.clone(), |(date, _)| date.to_owned())
    };
    let expired = d.not_after < now;
    let until = if expired {
        i18n::SIGN_EXPIRED
    } else {
        i18n::SIGN_VALID_UNTIL
    };
    let text = format!(
        "{who} — {} {} — {} {}",
        i18n::SIGN_ISSUED_BY.get(lang),
        d.issuer_name,
        until.get(lang),
        day(d.not_after)
    );
    (text, expired)
}

/// A fixed text as a message.
fn msg(t: crate::text::Tr) -> Message {
    Message::new(t.vi, t.en)
}

/// Forgets what egui keeps of the password field (its text, for its own undo).
fn forget_password_field(ctx: &egui::Context) {
    ctx.data_mut(|d| d.remove::<egui::text_edit::TextEditState>(password_id()));
}

/// The password field's id.
fn password_id() -> Id {
    Id::unique("sign-password")
}

/// The operator's name, asked again where a transition is made under it.
fn operator_field(ui: &mut egui::Ui, lang: Lang, operator: &mut String) {
    ui.horizontal(|ui| {
        let label = ui.label(i18n::OPERATOR.get(lang));
        ui.add(egui::TextEdit::singleline(operator).hint_text(i18n::OPERATOR_HINT.get(lang)))
            .labelled_by(label.id);
    });
}

/// The refusal of a document whose figures must be complete: the errors, listed.
fn refuse_errors_of(session: Option<&Session>, what: &Message) -> Result<(), Message> {
    let Some(session) = session else {
        return Err(msg(i18n::NO_SESSION));
    };
    if let Some(check) = broken_seal(session) {
        let m = check.message();
        return Err(Message::new(
            format!("Không xuất {}: {}", what.vi, m.vi),
            format!("Not exported ({}): {}", what.en, m.en),
        ));
    }
    let findings = validate(session);
    if !findings.has_errors() {
        return Ok(());
    }
    // Worded as the ballots' refusal of a text too long, which comes from the core.
    Err(DocumentError::Invalid {
        what: what.clone(),
        findings,
    }
    .message())
}

/// The minutes of `session` (draft mark unless final), refused while it has errors.
fn minutes_of(session: &Session, lang: Lang, with_log: bool) -> Result<Vec<u8>, Message> {
    refuse_errors_of(Some(session), &Message::new("biên bản", "minutes"))?;
    let mut options = MinutesOptions::for_session(session, lang);
    options.audit_annex = with_log;
    minutes_pdf(session, options).map_err(|e| e.message())
}

/// Writes a document, never over a session archive: not the open one `archive` (however its
/// path is spelled), nor any `.ron` file (the save dialog's filter can be typed past).
fn write_document_at(archive: Option<&Path>, path: &Path, bytes: &[u8]) -> Result<(), Message> {
    let is_ron = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"));
    let same = |a: &Path, b: &Path| {
        a.canonicalize()
            .is_ok_and(|a| b.canonicalize().is_ok_and(|b| a == b))
    };
    if is_ron || archive.is_some_and(|o| same(o, path)) {
        let name = path.display();
        return Err(Message::new(
            format!("Không ghi văn bản đè lên tệp lưu trữ {name}: hãy chọn tên khác."),
            format!("A document is not written over the archive {name}: choose another name."),
        ));
    }
    archive::write_atomic(path, bytes).map_err(|e| e.message())
}

/// The name of a file for the audit log.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl App {
    /// The operator as logged ("—" when none was typed, as for edits).
    fn logged_operator(&self) -> String {
        if self.operator.trim().is_empty() {
            "—".to_owned()
        } else {
            self.operator.clone()
        }
    }

    /// The session changed outside the history: recompute, mark it modified.
    fn touched(&mut self) {
        if let Some(doc) = &mut self.doc {
            doc.touch();
        }
        self.generation += 1;
    }

    /// The fingerprint of the open session, computed once per change.
    pub fn fingerprint(&mut self) -> Option<Fingerprint> {
        let generation = self.generation;
        let session = &self.doc.as_ref()?.session;
        match self.docs.fingerprint {
            Some((g, fp)) if g == generation => Some(fp),
            _ => {
                let fp = fingerprint(session);
                self.docs.fingerprint = Some((generation, fp));
                Some(fp)
            }
        }
    }

    /// What the ballots PDF would hold, in the app's language (computed once per change, like
    /// the fingerprint); `None` without a session or with no cadre to vote on.
    pub fn ballot_count(&mut self) -> Option<BallotCount> {
        let (generation, lang) = (self.generation, self.lang);
        let session = &self.doc.as_ref()?.session;
        if !has_cadre_on_ballot(session) {
            return None;
        }
        match &self.docs.ballot_count {
            Some((g, l, count)) if *g == generation && *l == lang => Some(count.clone()),
            _ => {
                let options = BallotOptions { copies: None, lang };
                let count = ballot_count(session, options).ok()?;
                self.docs.ballot_count = Some((generation, lang, count.clone()));
                Some(count)
            }
        }
    }

    /// Whether the session says it is final but no longer matches its seal (computed once
    /// per change, like the fingerprint).
    pub fn seal_broken(&mut self) -> bool {
        let generation = self.generation;
        let Some(doc) = self.doc.as_ref() else {
            return false;
        };
        match self.docs.seal_broken {
            Some((g, broken)) if g == generation => broken,
            _ => {
                let broken = broken_seal(&doc.session).is_some();
                self.docs.seal_broken = Some((generation, broken));
                broken
            }
        }
    }

    /// Draft → Final through the core, under the operator's name. The undo history is
    /// forgotten: the sealed content is the new starting point and no undo may cross it.
    /// Returns whether it was done; a refusal is shown.
    pub fn finalise(&mut self) -> bool {
        self.transition(|s, by, at| s.finalise(by, at))
    }

    /// Finalises and signs the seal with the key chosen in the dialog, so that it proves who
    /// sealed, here and now (tests; the dialog runs it on the worker: [`App::start_sealing`]).
    /// The key is opened first: a wrong password or PIN finalises nothing. The secret is wiped
    /// whatever happens.
    pub fn finalise_signed(&mut self) -> bool {
        let Some((open, session, by, at)) = self.seal_plan() else {
            return false;
        };
        match seal_job(open, session, &by, at) {
            Ok(sealed) => self.apply_sealed(sealed),
            Err(m) => {
                self.errors.push(m);
                false
            }
        }
    }

    /// What finalising with a signed seal needs, the password or PIN taken out of the dialog.
    fn seal_plan(&mut self) -> Option<(Opener, Session, String, Timestamp)> {
        let mut secret = std::mem::take(&mut self.docs.password);
        let (Some(key), Some(session)) = (self.key_request(), self.session().cloned()) else {
            wipe(&mut secret);
            return None;
        };
        Some((
            opener(key, secret),
            session,
            self.operator.clone(),
            Timestamp::now(),
        ))
    }

    /// Finalises with a signed seal on the worker; the dialog's "Đang ký…" shows meanwhile.
    pub fn start_sealing(&mut self) {
        if self.work.busy().is_some() {
            return;
        }
        let Some((open, session, by, at)) = self.seal_plan() else {
            return;
        };
        self.docs.job_generation = self.generation;
        self.work.start(Job::SigningSeal, move || {
            Outcome::Sealed(seal_job(open, session, &by, at).map(Box::new))
        });
    }

    /// Puts the session finalised on a copy in place: the undo history is forgotten (no undo
    /// may cross a seal), and a seal that could not be signed is said.
    fn apply_sealed(&mut self, sealed: Sealed) -> bool {
        let Some(doc) = &mut self.doc else {
            return false;
        };
        doc.session = sealed.session;
        doc.history.clear();
        self.touched();
        if let Some(m) = sealed.unsigned {
            self.errors.push(m);
        }
        true
    }

    /// Final → Draft with `reason`, logged by the core. Returns whether it was done; a
    /// refusal (no reason, no operator) is shown.
    pub fn reopen(&mut self, reason: &str) -> bool {
        self.transition(|s, by, at| s.reopen(by, at, reason))
    }

    /// A lifecycle step under the operator's name, now: done, the undo history is forgotten
    /// (no undo may cross a seal or its opening); refused, the reason is shown.
    fn transition(
        &mut self,
        step: impl FnOnce(&mut Session, &str, Timestamp) -> Result<(), TransitionError>,
    ) -> bool {
        let Some(doc) = &mut self.doc else {
            return false;
        };
        match step(&mut doc.session, &self.operator, Timestamp::now()) {
            Ok(()) => {
                doc.history.clear();
                self.touched();
                true
            }
            Err(e) => {
                self.errors.push(e.message());
                false
            }
        }
    }

    /// The refusal of a document whose figures must be complete: the errors, listed.
    fn refuse_errors(&self, what: &Message) -> Result<(), Message> {
        refuse_errors_of(self.session(), what)
    }

    /// The refusal of `export` while the session has errors or a broken seal, if it has one.
    fn refuse_export(&self, export: Export) -> Result<(), Message> {
        match export.spec().refused_as {
            Some(what) => self.refuse_errors(&Message::new(what.get(Lang::Vi), what.get(Lang::En))),
            None => Ok(()),
        }
    }

    /// Logs that `export` was written to `path`, with the content's fingerprint.
    fn log_export(&mut self, export: Export, path: &Path, now: Timestamp) {
        let kind = export.spec().log_kind;
        let by = self.logged_operator();
        let fp = self
            .fingerprint()
            .map(|f| f.to_string())
            .unwrap_or_default();
        if let Some(doc) = &mut self.doc {
            doc.session.log(
                &by,
                now,
                Logged::Exported {
                    kind: kind.to_owned(),
                    file: file_name(path),
                    fingerprint: fp,
                },
            );
        }
        self.touched();
    }

    /// Writes a document, never over the open archive ([`write_document_at`]).
    fn write_document(&self, path: &Path, bytes: &[u8]) -> Result<(), Message> {
        write_document_at(
            self.doc.as_ref().and_then(|d| d.path.as_deref()),
            path,
            bytes,
        )
    }

    /// The minutes as the session calls for them (draft mark unless final).
    fn minutes_bytes(&self, with_log: bool) -> Result<Vec<u8>, Message> {
        let session = self.session().ok_or_else(|| msg(i18n::NO_SESSION))?;
        minutes_of(session, self.lang, with_log)
    }

    /// Writes the minutes to `path` (refused while the session has errors) and logs it.
    ///
    /// # Errors
    ///
    /// The message to show, in both languages, when no session is open, the minutes are refused
    /// (validation errors, a broken seal) or cannot be typeset, or the file cannot be written;
    /// nothing is logged then.
    pub fn write_minutes(&mut self, path: &Path, with_log: bool) -> Result<(), Message> {
        let bytes = self.minutes_bytes(with_log)?;
        self.write_document(path, &bytes)?;
        self.log_export(Export::Minutes, path, Timestamp::now());
        Ok(())
    }

    /// Writes the blank ballots and tally sheets to `path` and logs it.
    ///
    /// # Errors
    ///
    /// The message to show when no session is open, no cadre is on a ballot, the ballots cannot be
    /// typeset, or the file cannot be written.
    pub fn write_ballots(&mut self, path: &Path) -> Result<(), Message> {
        let session = self.session().ok_or_else(|| msg(i18n::NO_SESSION))?;
        if !has_cadre_on_ballot(session) {
            return Err(msg(i18n::NO_CADRE_ON_BALLOT));
        }
        let options = BallotOptions {
            copies: None,
            lang: self.lang,
        };
        let (bytes, count) = ballots_pdf_counted(session, options).map_err(|e| e.message())?;
        self.write_document(path, &bytes)?;
        self.docs.saved_detail = Some((path.to_owned(), count.summary(self.lang)));
        self.log_export(Export::Ballots, path, Timestamp::now());
        Ok(())
    }

    /// Writes the results workbook (.xlsx) to `path` (refused while the session has errors)
    /// and logs the export.
    ///
    /// # Errors
    ///
    /// The message to show when the session has validation errors or none is open, the workbook
    /// cannot be made, or the file cannot be written.
    pub fn write_xlsx(&mut self, path: &Path) -> Result<(), Message> {
        self.refuse_export(Export::Xlsx)?;
        let session = self.session().ok_or_else(|| msg(i18n::NO_SESSION))?;
        let bytes = crate::documents::xlsx::results_xlsx(session).map_err(|e| e.message())?;
        self.write_document(path, &bytes)?;
        self.log_export(Export::Xlsx, path, Timestamp::now());
        Ok(())
    }

    /// Writes the results CSV to `path` (refused while the session has errors) and logs it.
    ///
    /// # Errors
    ///
    /// The message to show when the session has validation errors or none is open, or the file
    /// cannot be written.
    pub fn write_csv(&mut self, path: &Path) -> Result<(), Message> {
        self.refuse_export(Export::Csv)?;
        let session = self.session().ok_or_else(|| msg(i18n::NO_SESSION))?;
        let bytes = results_csv(session);
        self.write_document(path, &bytes)?;
        self.log_export(Export::Csv, path, Timestamp::now());
        Ok(())
    }

    /// Writes the minutes signed with the key `key` (a .p12 file or a token) to `path`, and
    /// logs the export and the signature, here and now (tests; the dialog signs on the worker:
    /// [`App::start_signing`]). The password or PIN is wiped whatever happens; on any error (a
    /// wrong password or PIN first of all) no file is written.
    ///
    /// # Errors
    ///
    /// The message to show when the minutes cannot be made (as for [`Self::write_minutes`]), the
    /// key cannot be opened (a wrong password or PIN, a locked PIN, no key on the token), the
    /// signature cannot be made, or the file cannot be written.
    pub fn sign_minutes(
        &mut self,
        path: &Path,
        key: &KeyRequest,
        secret: &mut String,
        with_log: bool,
    ) -> Result<(), Message> {
        let open = opener(key.clone(), std::mem::take(secret));
        let plan = self.minutes_plan(path, with_log)?;
        let signed = sign_job(open, plan)?;
        self.apply_signed(&signed);
        Ok(())
    }

    /// What signing the minutes to `path` needs of the session.
    fn minutes_plan(&self, path: &Path, with_log: bool) -> Result<MinutesPlan, Message> {
        let session = self.session().ok_or_else(|| msg(i18n::NO_SESSION))?;
        Ok(MinutesPlan {
            session: session.clone(),
            lang: self.lang,
            with_log,
            archive: self.doc.as_ref().and_then(|d| d.path.clone()),
            path: path.to_owned(),
            at: Timestamp::now(),
            field: self.docs.sign_for.clone(),
            on_behalf: Some(self.docs.on_behalf.trim().to_owned()).filter(|r| !r.is_empty()),
            images: self.image_store(),
        })
    }

    /// The signature and seal pictures of this computer's user (in the app's data folder).
    pub(super) fn image_store(&self) -> Option<crate::signing::images::ImageStore> {
        self.data_dir
            .as_deref()
            .map(crate::signing::images::ImageStore::in_data_dir)
    }

    /// Signs the minutes to `path` on the worker, with the key `open` opens there; the dialog
    /// says "Đang ký…" meanwhile and the window stays responsive. Returns whether the job
    /// started: not while another runs (a second click starts nothing).
    pub fn start_signing(&mut self, path: &Path, open: Opener) -> bool {
        if self.work.busy().is_some() {
            return false;
        }
        let plan = match self.minutes_plan(path, self.docs.with_log) {
            Ok(plan) => plan,
            Err(m) => {
                self.errors.push(m);
                return false;
            }
        };
        self.docs.job_generation = self.generation;
        self.work
            .start(Job::Signing, move || Outcome::Signed(sign_job(open, plan)))
    }

    /// Logs the export and the signature of minutes written.
    fn apply_signed(&mut self, signed: &Signed) {
        self.log_export(Export::Minutes, &signed.path, signed.at);
        let by = self.logged_operator();
        if let Some(doc) = &mut self.doc {
            doc.session.log(
                &by,
                signed.at,
                Logged::Signed {
                    subject: signed.subject.clone(),
                    file: file_name(&signed.path),
                },
            );
        }
        self.touched();
    }

    /// Carries on with what a job gave back (called each frame, and by tests that wait).
    pub(super) fn apply_outcome(&mut self, job: &Job, outcome: Outcome) {
        match outcome {
            Outcome::Tokens(libraries) => self.apply_tokens(libraries),
            Outcome::Signed(Ok(signed)) => {
                self.apply_signed(&signed);
                self.docs.dialog = None;
                self.show_pdf(&signed.path);
            }
            Outcome::Sealed(Ok(sealed)) => {
                if self.generation != self.docs.job_generation {
                    self.errors.push(msg(i18n::SEAL_STALE));
                } else if self.apply_sealed(*sealed) {
                    self.actions.push(super::Action::Save);
                }
            }
            Outcome::Saved(result, revision) => self.apply_saved(job, result, revision),
            Outcome::Signed(Err(m)) | Outcome::Sealed(Err(m)) | Outcome::Failed(m) => {
                self.errors.push(m);
            }
        }
    }

    /// Blocks until the running job ends and carries on with it: for tests, which would
    /// otherwise poll frames; the window never waits.
    pub fn wait_for_work(&mut self) {
        if let Some((job, outcome)) = self.work.wait() {
            self.apply_outcome(&job, outcome);
        }
    }

    /// Opens a written PDF if the app is set to; a failure is shown, not fatal.
    fn show_pdf(&mut self, path: &Path) {
        self.saved = Some(path.to_owned());
        if self.docs.open_viewer {
            self.open_file(path, false);
        }
    }

    /// Opens `path` (a `folder` or a file just written) with the system's viewer; a failure
    /// says where the file is, so that it can be opened by hand.
    pub(super) fn open_file(&mut self, path: &Path, folder: bool) {
        let shown = path.display().to_string();
        // The file is saved: no viewer is a notice of where it is, not an error.
        let failed = files::Failure::Notice(Message::new(
            i18n::viewer_failed(Lang::Vi, &shown, folder),
            i18n::viewer_failed(Lang::En, &shown, folder),
        ));
        let command = match &self.docs.viewer {
            Some(viewer) => {
                let mut c = std::process::Command::new(viewer);
                c.arg(path);
                c
            }
            None => files::open_command(path),
        };
        if let Err(f) = self.launcher.start(command, failed) {
            self.tell(f);
        }
    }

    /// Prints `path` on the default printer; a failure is shown.
    pub(super) fn print_file(&mut self, path: &Path) {
        let failed =
            files::Failure::Error(Message::new(i18n::PRINT_FAILED.vi, i18n::PRINT_FAILED.en));
        if let Err(f) = self.launcher.start(files::print_command(path), failed) {
            self.tell(f);
        }
    }

    /// Shows a started program's failure: an error in the error dialog, a notice in its own.
    pub(super) fn tell(&mut self, failure: files::Failure) {
        match failure {
            files::Failure::Error(m) => self.errors.push(m),
            files::Failure::Notice(m) => self.notices.push(m),
        }
    }

    /// "Đã lưu tại …" with the buttons to open the file, its folder, or print it.
    pub(super) fn saved_notice(&mut self, ui: &mut egui::Ui) {
        let Some(path) = self.saved.clone() else {
            return;
        };
        let lang = self.lang;
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(i18n::saved_at(lang, &path.display().to_string()))
                    .color(ui.visuals().hyperlink_color),
            );
            if ui.button(i18n::SAVED_OPEN.get(lang)).clicked() {
                self.open_file(&path, false);
            }
            if ui.button(i18n::SAVED_FOLDER.get(lang)).clicked()
                && let Some(folder) = path.parent()
            {
                self.open_file(folder, true);
            }
            if ui.button(i18n::SAVED_PRINT.get(lang)).clicked() {
                self.print_file(&path);
            }
            if ui.button(i18n::SAVED_CLOSE.get(lang)).clicked() {
                self.saved = None;
            }
        });
        if let Some((_, detail)) = self.docs.saved_detail.as_ref().filter(|(p, _)| *p == path) {
            ui.label(detail.as_str());
        }
    }

    /// The name offered in a save dialog: the session's file name with `suffix`.
    fn suggested_name(&self, suffix: &str, ext: &str) -> String {
        let stem = self
            .doc
            .as_ref()
            .and_then(|d| d.path.as_ref())
            .and_then(|p| p.file_stem())
            .map_or_else(
                || "phien-lay-phieu".to_owned(),
                |n| n.to_string_lossy().into_owned(),
            );
        format!("{stem}{suffix}.{ext}")
    }

    /// Writes `export` to `path` (chosen in a dialog); says where, or why not.
    pub(super) fn write_document_to(&mut self, export: Export, path: &Path) {
        self.docs.saved_detail = None;
        let result = match export {
            Export::Minutes => self.write_minutes(path, self.docs.with_log),
            Export::Ballots => self.write_ballots(path),
            Export::Csv => self.write_csv(path),
            Export::Xlsx => self.write_xlsx(path),
        };
        match result {
            Ok(()) if export.spec().show => self.show_pdf(path),
            Ok(()) => self.saved = Some(path.to_owned()),
            Err(m) => self.errors.push(m),
        }
    }

    /// Runs a command of this module.
    pub(super) fn run_docs(&mut self, ctx: &egui::Context, action: DocAction) {
        match action {
            DocAction::AskFinalise => self.docs.dialog = Some(DocDialog::Finalise),
            // A sealed state that exists only in memory is a trap: finalising saves (asking
            // where for a session never saved).
            DocAction::Finalise => {
                if self.docs.sign_seal {
                    // On the worker; finalised and saved when the seal is signed.
                    self.start_sealing();
                } else if self.finalise() {
                    self.actions.push(super::Action::Save);
                }
            }
            DocAction::AskReopen => {
                self.docs.reason.clear();
                self.docs.dialog = Some(DocDialog::Reopen);
            }
            DocAction::Reopen(reason) => {
                if self.reopen(&reason) {
                    self.docs.reason.clear();
                    self.actions.push(super::Action::Save);
                }
            }
            // Refused before asking where: no point choosing a file that will not be written.
            DocAction::Export(export) => {
                if let Err(m) = self.refuse_export(export) {
                    self.errors.push(m);
                } else {
                    let spec = export.spec();
                    let name = self.suggested_name(spec.suffix, spec.extension);
                    self.choose(PathTask::Export(export), Mode::Save, &name);
                }
            }
            DocAction::AskSign => {
                if let Err(m) = self.refuse_errors(&Message::new("biên bản", "minutes")) {
                    self.errors.push(m);
                } else if !self.session().is_some_and(crate::model::Session::is_final) {
                    // "BẢN NHÁP" under a valid signature would mislead whoever reads it.
                    self.errors.push(crate::signing::SignError::Draft.message());
                } else {
                    self.docs.dialog = Some(DocDialog::Sign);
                    self.docs.stored_images = None;
                }
            }
            DocAction::PickCertificate => self.choose(PathTask::Certificate, Mode::Open, ""),
            DocAction::PickModule => self.choose(PathTask::Pkcs11Module, Mode::Open, ""),
            DocAction::ListTokens => self.read_tokens(),
            DocAction::Sign => {
                self.sign_from_dialog();
                forget_password_field(ctx);
            }
            DocAction::ToggleAudit => self.docs.audit_open = !self.docs.audit_open,
            DocAction::PickImage(kind) => self.choose(PathTask::SignImage(kind), Mode::Open, ""),
            DocAction::ForgetImage(kind) => {
                let owner = self.image_owner(kind);
                if let Some(store) = self.image_store()
                    && let Err(e) = store.remove(kind, &owner)
                {
                    self.errors.push(image_message(&e));
                }
                self.docs.stored_images = None;
            }
        }
    }

    /// Whose picture of `kind` the signing dialog sets: the chosen block's person's signature,
    /// the issuing body's seal.
    fn image_owner(&self, kind: ImageKind) -> String {
        match kind {
            ImageKind::Signature => self
                .docs
                .sign_for
                .clone()
                .or_else(|| {
                    self.session()
                        .and_then(|s| signature_blocks(s, self.lang).into_iter().next())
                        .map(|b| b.person)
                })
                .unwrap_or_default(),
            ImageKind::Seal => self
                .session()
                .map(|s| s.meta.issuing_body.clone())
                .unwrap_or_default(),
        }
    }

    /// Keeps the PNG at `path` as the picture of `kind` ([`Self::image_owner`]): checked
    /// first, a refusal said with its reason and the file's name.
    pub(super) fn keep_image(&mut self, kind: ImageKind, path: &Path) {
        let owner = self.image_owner(kind);
        let Some(store) = self.image_store() else {
            return;
        };
        let result = crate::signing::images::read_file(path)
            .and_then(|bytes| store.put(kind, &owner, &bytes))
            .map_err(|e| {
                let m = image_message(&e);
                let file = path.display();
                Message::new(format!("{file}: {}", m.vi), format!("{file}: {}", m.en))
            });
        // Kept: the dialog's row says "đã có".
        if let Err(m) = result {
            self.errors.push(m);
        }
        self.docs.stored_images = None;
    }

    /// The key the dialog asks for, when enough is chosen.
    fn key_request(&self) -> Option<KeyRequest> {
        self.docs.key_request()
    }

    fn sign_from_dialog(&mut self) {
        if self.key_request().is_none() {
            wipe(&mut self.docs.password);
            return;
        }
        let name = self.suggested_name("-bien-ban-ky-so", "pdf");
        self.choose(PathTask::SignedMinutes, Mode::Save, &name);
    }

    /// Finds the token libraries and reads their tokens (again) on the worker, for the user
    /// to pick a certificate; the library chosen by hand, or the one remembered, first.
    pub fn read_tokens(&mut self) {
        if self.work.busy().is_some() {
            return;
        }
        let chosen = self.docs.module.clone().or_else(|| {
            self.data_dir
                .as_deref()
                .and_then(crate::signing::token::discover::chosen_in)
        });
        self.work.start(Job::ReadingTokens, move || {
            Outcome::Tokens(read_tokens_job(chosen))
        });
    }

    /// The tokens read: shown; the certificate chosen kept if it is still there; the only one
    /// there is chosen already.
    fn apply_tokens(&mut self, libraries: Vec<LibraryTokens>) {
        let certificates: Vec<(PathBuf, u64, String)> = signing_certificates(&libraries)
            .into_iter()
            .map(|(l, t, c)| (l.library.path.clone(), t.slot, c.id_hex.clone()))
            .collect();
        if self
            .docs
            .token_key
            .as_ref()
            .is_none_or(|k| !certificates.contains(k))
        {
            self.docs.token_key = match certificates.as_slice() {
                [one] => Some(one.clone()),
                _ => None,
            };
        }
        self.docs.libraries = Some(libraries);
    }

    /// A library chosen by hand: remembered in the user's data folder (not the archive) for
    /// the next time, and its tokens read.
    pub(super) fn library_chosen(&mut self, path: &Path) {
        self.docs.module = Some(path.to_owned());
        if let Some(dir) = &self.data_dir {
            let file = dir.join(crate::signing::token::discover::CHOSEN_FILE);
            // A preference: losing it costs one more choice, not worth a dialog.
            let _ = archive::replace_file(&file, path.display().to_string().as_bytes());
        }
        self.read_tokens();
    }

    /// Signs the minutes into `path` with the chosen key and the typed password or PIN, on the
    /// worker; the secret is taken out of the dialog now and wiped once used.
    pub(super) fn sign_to(&mut self, path: &Path) {
        let secret = std::mem::take(&mut self.docs.password);
        let Some(key) = self.key_request() else {
            let mut secret = secret;
            wipe(&mut secret);
            return;
        };
        self.start_signing(path, opener(key, secret));
    }

    /// The lifecycle status and its buttons, for the top bar.
    pub(super) fn seal_bar(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let is_final = self.session().is_some_and(crate::model::Session::is_final);
        let fp = self.fingerprint();
        let has_errors = self.derived().is_some_and(|d| d.findings.has_errors());
        // A seal that no longer matches the content: the archive was edited outside the app.
        let tampered = self.seal_broken();
        if tampered {
            ui.label(
                RichText::new(i18n::STATUS_TAMPERED.get(lang))
                    .strong()
                    .color(ui.visuals().error_fg_color),
            )
            .on_hover_text(i18n::TAMPERED_WHY.get(lang));
            if ui.button(i18n::REOPEN.get(lang)).clicked() {
                self.actions.push(super::Action::Docs(DocAction::AskReopen));
            }
        } else if is_final {
            let short = fp.map(|f| f.short()).unwrap_or_default();
            ui.label(
                RichText::new(format!("{} · {short}", i18n::STATUS_FINAL.get(lang)))
                    .color(ui.visuals().hyperlink_color),
            )
            .on_hover_text(fp.map(|f| f.to_string()).unwrap_or_default());
            if ui.button(i18n::REOPEN.get(lang)).clicked() {
                self.actions.push(super::Action::Docs(DocAction::AskReopen));
            }
        } else {
            ui.label(RichText::new(i18n::STATUS_DRAFT.get(lang)).color(ui.visuals().warn_fg_color));
            // Enabled only when the core would finalise: no error (an unfinished ballot count
            // is one, E130), and, with double entry, every group's entries agreed.
            let not_agreed = self
                .session()
                .and_then(crate::model::Session::entry_not_agreed);
            let blocked = if has_errors {
                Some(i18n::FINALISE_HAS_ERRORS.get(lang).to_owned())
            } else {
                not_agreed.map(|g| i18n::finalise_not_agreed(lang, g + 1))
            };
            let r = ui.add_enabled(
                blocked.is_none(),
                egui::Button::new(i18n::FINALISE.get(lang)),
            );
            let r = match &blocked {
                Some(why) => r.on_disabled_hover_text(why),
                None => r,
            };
            if r.clicked() {
                self.actions
                    .push(super::Action::Docs(DocAction::AskFinalise));
            }
        }
    }

    /// The "Văn bản" menu.
    pub(super) fn docs_menu(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let has_doc = self.doc.is_some();
        ui.menu_button(i18n::MENU_DOCUMENTS.get(lang), |ui| {
            // Signing comes right after the minutes it signs.
            let exports = Export::ALL.map(|e| (e.spec().label, DocAction::Export(e)));
            let (minutes, rest) = exports.split_at(1);
            for (label, action) in minutes
                .iter()
                .cloned()
                .chain([(i18n::SIGN_MINUTES, DocAction::AskSign)])
                .chain(rest.iter().cloned())
            {
                let mut button = ui.add_enabled(has_doc, egui::Button::new(label.get(lang)));
                // The page count before printing: a ream of paper is not a click to regret.
                if action == DocAction::Export(Export::Ballots)
                    && let Some(count) = self.ballot_count()
                {
                    button =
                        button.on_hover_text(i18n::ballots_will_print(lang, &count.summary(lang)));
                }
                if button.clicked() {
                    self.actions.push(super::Action::Docs(action));
                }
            }
            ui.checkbox(&mut self.docs.with_log, i18n::WITH_LOG.get(lang));
            ui.separator();
            if ui
                .add_enabled(has_doc, egui::Button::new(i18n::AUDIT_LOG.get(lang)))
                .clicked()
            {
                self.actions
                    .push(super::Action::Docs(DocAction::ToggleAudit));
            }
        });
    }

    /// This module's dialogs (after the app's own: one modal at a time).
    pub(super) fn docs_dialogs(&mut self, ctx: &egui::Context) {
        if !self.errors.is_empty() || self.dialog.is_some() {
            return;
        }
        if self.doc.is_none() {
            self.docs.dialog = None;
            self.docs.audit_open = false;
            wipe(&mut self.docs.password);
            return;
        }
        if self.docs.audit_open {
            self.audit_window(ctx);
        }
        match self.docs.dialog {
            Some(DocDialog::Finalise) => self.finalise_dialog(ctx),
            Some(DocDialog::Reopen) => self.reopen_dialog(ctx),
            Some(DocDialog::Sign) => self.sign_dialog(ctx),
            None => {}
        }
    }

    fn finalise_dialog(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        let busy = self.work.busy().cloned();
        let fp = self
            .fingerprint()
            .map(|f| f.to_string())
            .unwrap_or_default();
        let texts = (
            i18n::FINALISE_TITLE,
            i18n::FINALISE_TEXT,
            i18n::FINALISE_CONFIRM,
        );
        let choice = self.confirm_modal(ctx, "finalise-dialog", texts, |ui, docs| {
            ui.label(format!("{}:", i18n::FINGERPRINT.get(lang)))
                .on_hover_text(i18n::FINGERPRINT_HOVER.get(lang));
            ui.monospace(fp);
            ui.checkbox(&mut docs.sign_seal, i18n::SIGN_SEAL.get(lang));
            if !docs.sign_seal {
                return true;
            }
            ui.label(RichText::new(i18n::SIGN_SEAL_HELP.get(lang)).weak());
            // Enter does not finalise: sealing is confirmed with its button only.
            docs.picked = key_picker(ui, docs, lang, busy.as_ref()).0;
            docs.key_request().is_some()
        });
        if let Some(action) = self.docs.picked.take() {
            self.actions.push(super::Action::Docs(action));
        }
        if let Some(yes) = choice {
            self.docs.dialog = None;
            if yes {
                self.actions.push(super::Action::Docs(DocAction::Finalise));
            } else {
                wipe(&mut self.docs.password);
                forget_password_field(ctx);
            }
        }
    }

    fn reopen_dialog(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        let texts = (i18n::REOPEN_TITLE, i18n::REOPEN_TEXT, i18n::REOPEN_CONFIRM);
        let choice = self.confirm_modal(ctx, "reopen-dialog", texts, |ui, docs| {
            let label = ui.label(i18n::REOPEN_REASON.get(lang));
            ui.add(
                egui::TextEdit::multiline(&mut docs.reason)
                    .desired_rows(2)
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
            !docs.reason.trim().is_empty()
        });
        if let Some(yes) = choice {
            self.docs.dialog = None;
            if yes {
                let reason = std::mem::take(&mut self.docs.reason);
                self.actions
                    .push(super::Action::Docs(DocAction::Reopen(reason)));
            }
        }
    }

    /// The frame the finalise and reopen dialogs share: title, text, who is acting, the
    /// dialog's own part (`body`, which says whether confirming is allowed yet), and confirm /
    /// cancel. Returns `Some(true)` on confirm, `Some(false)` on cancel or close, `None` while
    /// the dialog stays open. A changed operator name is remembered for the next start.
    fn confirm_modal(
        &mut self,
        ctx: &egui::Context,
        id: &str,
        (title, text, confirm): (Tr, Tr, Tr),
        body: impl FnOnce(&mut egui::Ui, &mut DocsUi) -> bool,
    ) -> Option<bool> {
        let lang = self.lang;
        let operator = &mut self.operator;
        let docs = &mut self.docs;
        let r = egui::Modal::new(Id::unique(id)).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading(title.get(lang));
            ui.label(text.get(lang));
            operator_field(ui, lang, operator);
            let ok = body(ui, docs);
            super::widgets::confirm_or_cancel(ui, ok, confirm.get(lang), lang)
        });
        if r.should_close() {
            Some(false)
        } else {
            r.inner
        }
    }

    fn sign_dialog(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        let busy = self.work.busy().cloned();
        // While signing, neither a second signature nor a cancel that could not stop the token.
        let signing = busy == Some(Job::Signing);
        let ready = self.key_request().is_some() && busy.is_none();
        let blocks = self
            .session()
            .map(|s| signature_blocks(s, lang))
            .unwrap_or_default();
        let body = self
            .session()
            .map(|s| s.meta.issuing_body.clone())
            .unwrap_or_default();
        if self.docs.stored_images.is_none() {
            self.docs.stored_images =
                Some(self.image_store().map(|s| s.list()).unwrap_or_default());
        }
        let docs = &mut self.docs;
        let r = egui::Modal::new(Id::unique("sign-dialog")).show(ctx, |ui| {
            ui.set_max_width(640.0);
            ui.heading(i18n::SIGN_TITLE.get(lang));
            ui.label(i18n::SIGN_TEXT.get(lang));
            let (mut pick, enter) = key_picker(ui, docs, lang, busy.as_ref());
            block_picker(ui, docs, &blocks, lang);
            let person = docs
                .sign_for
                .clone()
                .or_else(|| blocks.first().map(|b| b.person.clone()))
                .unwrap_or_default();
            let stored = docs.stored_images.clone().unwrap_or_default();
            if let Some(a) = image_rows(ui, &stored, [&person, &body], lang) {
                pick = Some(a);
            }
            ui.checkbox(&mut docs.with_log, i18n::WITH_LOG.get(lang));
            if signing {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(RichText::new(Job::Signing.doing(lang)).strong());
                });
            }
            let choice = ui
                .horizontal(|ui| {
                    if ui
                        .add_enabled(ready, egui::Button::new(i18n::SIGN_CONFIRM.get(lang)))
                        .clicked()
                        || (ready && enter)
                    {
                        Some(true)
                    } else if ui
                        .add_enabled(!signing, egui::Button::new(i18n::CANCEL.get(lang)))
                        .clicked()
                    {
                        Some(false)
                    } else {
                        None
                    }
                })
                .inner;
            (pick, choice)
        });
        let close = r.should_close() && !signing;
        let (pick, choice) = r.inner;
        if let Some(action) = pick {
            self.actions.push(super::Action::Docs(action));
        }
        let choice = if close { Some(false) } else { choice };
        match choice {
            Some(true) => self.actions.push(super::Action::Docs(DocAction::Sign)),
            Some(false) => {
                self.docs.dialog = None;
                wipe(&mut self.docs.password);
                forget_password_field(ctx);
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The audit log's kinds are stable (archives keep them, `verify` reads them), one per
    /// document; each extension is its filter's.
    #[test]
    fn export_table() {
        let kinds: Vec<_> = Export::ALL.iter().map(|e| e.spec().log_kind).collect();
        assert_eq!(kinds, ["minutes", "ballots", "xlsx", "csv"]);
        for e in Export::ALL {
            let s = e.spec();
            assert_eq!(
                s.extension.to_uppercase().replace("XLSX", "EXCEL"),
                s.filter.to_uppercase()
            );
            // Only the PDFs open by themselves; only the blank ballots may leave with errors.
            assert_eq!(s.show, s.extension == "pdf");
            assert_eq!(s.refused_as.is_none(), e == Export::Ballots);
        }
    }
}
