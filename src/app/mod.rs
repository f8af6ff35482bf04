//! The desktop app (eframe/egui) over the core: start, setup, entry and results screens.
//!
//! The app holds state and draws it; it never computes a vote figure. Every change to the
//! session is an [`Edit`] queued during the frame and applied once, at the end of it, through
//! [`History`]: undo/redo, the dirty flag and the recovery copy hang off that one place.
//! Commands that are not edits of the session (open, save, undo, switch screen) are
//! [`Action`]s, handled in the same place.
//!
//! Never losing work: Ctrl+S saves atomically through [`archive::save`]; a recovery copy holds
//! every change within [`App::autosave_delay`] of it, however long the typing goes on, written
//! off the frame ([`recovery`]); a recovery copy newer than its file is offered when the file
//! is opened; closing with unsaved changes asks first, and "Không lưu" (don't save) removes the
//! recovery copy, so that the changes given up are not offered back.

pub mod audit;
pub mod contrast;
pub mod docs;
pub mod entry;
pub mod files;
pub mod fonts;
pub mod i18n;
mod import;
pub mod input;
pub mod prefs;
pub mod recovery;
pub mod results;
pub mod selftest;
pub mod setup;
pub mod start;
pub mod widgets;
pub mod work;

pub mod ballot;
pub mod double;
pub mod present;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui::{self, Id, Key, KeyboardShortcut, Modifiers, RichText, ViewportCommand};

use crate::archive;
use crate::edit::Edit;
use crate::history::History;
use crate::lifecycle::{ArchiveCheck, Timestamp, check_archive};
use crate::model::{FieldPath, Session};
use crate::rules::ProfileId;
use crate::tally::{Tally, tally};
use crate::teams::MergeError;
use crate::text::{Lang, Message};
use crate::validate::{Code, Findings, validate_with};

/// Ctrl+S.
pub const SAVE_KEY: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
/// Ctrl+Shift+S.
pub const SAVE_AS_KEY: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
/// Ctrl+Z.
pub const UNDO_KEY: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
/// Ctrl+Y.
pub const REDO_KEY: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
/// Ctrl+Shift+Z.
pub const REDO_KEY_2: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);

/// [`App::autosave_delay`]: half a second, so that the copy holds every change within a
/// second of it even when writing a large session takes a few hundred milliseconds.
pub const AUTOSAVE_DELAY: Duration = Duration::from_millis(500);

/// The example sessions, embedded so that "open an example" works from any folder.
pub const EXAMPLES: [(&str, &str); 4] = [
    (
        "chi-bo.ron",
        include_str!("../../assets/examples/chi-bo.ron"),
    ),
    (
        "tinh-uy.ron",
        include_str!("../../assets/examples/tinh-uy.ron"),
    ),
    (
        "hdnd-nq96.ron",
        include_str!("../../assets/examples/hdnd-nq96.ron"),
    ),
    (
        "tieu-chi.ron",
        include_str!("../../assets/examples/tieu-chi.ron"),
    ),
];

/// How the app is started.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A session to open at once.
    pub file: Option<PathBuf>,
    /// Where recent files and the recovery copy of unsaved sessions live; `None` keeps neither
    /// (tests pass a temporary folder).
    pub data_dir: Option<PathBuf>,
}

/// The screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Choose or create a session.
    Start,
    /// Header, people, groups, cadres, criteria.
    Setup,
    /// The counts.
    Entry,
    /// The tally.
    Results,
    /// Ballot-by-ballot entry of the selected group.
    Ballot,
    /// Full-screen results for the hall.
    Present,
}

/// Whether `path` holds the archive of a counting team whose sub-totals `session` already
/// merged: saving the merge there would destroy that team's own record. Decided by the file's
/// content, not its name, so a restored recovery copy, a reopened merge, another spelling of
/// the path or a link are all caught.
fn is_merged_team_file(session: &Session, path: &Path) -> bool {
    let merged: Vec<&str> = session
        .groups
        .iter()
        .flat_map(|g| g.teams.iter().map(|t| t.team.as_str()))
        .collect();
    if merged.is_empty() || !path.exists() {
        return false;
    }
    archive::load(path).is_ok_and(|other| {
        other
            .team
            .as_deref()
            .is_some_and(|t| merged.iter().any(|m| m.to_lowercase() == t.to_lowercase()))
    })
}

/// A command that is not an edit of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A new empty session under a profile.
    New(ProfileId),
    /// Open a file.
    Open(PathBuf),
    /// Ask for a file to open.
    OpenDialog,
    /// Open embedded example `n` (unsaved: saving asks where).
    OpenExample(usize),
    /// Ask for counting teams' archives, then merge them into a new, unsaved session.
    MergeDialog,
    /// Ask for a spreadsheet, then add its cadre list to the current group.
    ImportCadresDialog,
    /// Ask for a counting team's spreadsheet, then preview its counts for the current group.
    ImportCountsDialog,
    /// Save to the session's file (or ask where, the first time).
    Save,
    /// Ask where, then save.
    SaveAs,
    /// Back to the start screen.
    CloseSession,
    /// Close the window.
    Quit,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Show a screen.
    GoTo(Screen),
    /// Show the field a validation finding is about.
    Focus(FieldPath),
    /// Finalise, reopen, documents, signature, audit log.
    Docs(docs::DocAction),
    /// A step of the double entry of a group.
    Entry(double::EntryCommand),
    /// Write the user guide's PDF (if missing or different) and open it: F1, or the Help menu.
    Guide,
}

/// Where the open session stands against its file: one state at a time, so that the status bar
/// never says "chưa lưu" and "Đã lưu" together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveState {
    /// A save is waiting for the file's lock (another program is writing it).
    Saving,
    /// Never saved to a file: a new session, an example, a merge of teams.
    NeverSaved,
    /// Saved to its file, and changed since.
    Modified,
    /// Its file holds what is shown.
    Saved,
}

/// A question the app asks before going on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialog {
    /// Unsaved changes: save, discard or cancel, then do the action.
    Unsaved(Action),
    /// A recovery copy newer than the file: restore it or discard it.
    Recovery(PathBuf),
}

/// The open session and what the app knows about it.
#[derive(Debug, Clone)]
pub struct Doc {
    /// The session.
    pub session: Session,
    /// Its file, once saved or opened.
    pub path: Option<PathBuf>,
    /// Undo and redo.
    pub history: History,
    /// Bumped on every change.
    pub revision: u64,
    /// The revision last saved to `path`.
    pub saved_revision: u64,
    /// The revision last written to the recovery copy.
    pub recovery_revision: u64,
    /// The revision whose changes the user gave up ("Không lưu"): its recovery copy was
    /// removed and is not written again; the next change is written as usual.
    pub discarded: Option<u64>,
    /// When the first change not yet in the recovery copy was made: the copy is written
    /// [`App::autosave_delay`] after it, not after the last change, so that typing without a
    /// pause is in the copy too.
    pub unwritten_since: Option<Instant>,
    /// The SHA-256 of `path`'s bytes as this app last read or wrote them: a save over a file
    /// another program changed since is refused ([`archive::ArchiveError::ChangedOnDisk`]).
    pub disk: Option<[u8; 32]>,
}

impl Doc {
    fn new(session: Session, path: Option<PathBuf>) -> Self {
        Self {
            session,
            path,
            history: History::default(),
            revision: 0,
            saved_revision: 0,
            recovery_revision: 0,
            discarded: None,
            unwritten_since: None,
            disk: None,
        }
    }

    /// Whether there are changes not saved to the file.
    #[must_use]
    pub fn dirty(&self) -> bool {
        self.revision != self.saved_revision
    }

    fn touch(&mut self) {
        self.revision += 1;
        self.unwritten_since.get_or_insert_with(Instant::now);
    }
}

/// What the core says about the session, recomputed only when it changes.
#[derive(Debug, Clone)]
pub struct Derived {
    generation: u64,
    /// Validation findings.
    pub findings: Findings,
    /// The tally.
    pub tally: Tally,
    /// Finding indices by exact path, for showing them next to their field.
    pub by_path: HashMap<FieldPath, Vec<usize>>,
}

impl Derived {
    fn of(session: &Session, generation: u64, chain: &mut crate::model::LogChain) -> Self {
        let findings = validate_with(session, chain);
        let mut by_path: HashMap<FieldPath, Vec<usize>> = HashMap::new();
        for (i, f) in findings.0.iter().enumerate() {
            by_path.entry(f.path).or_default().push(i);
        }
        Self {
            generation,
            tally: tally(session),
            findings,
            by_path,
        }
    }

    /// The findings about exactly `path`.
    pub fn at(&self, path: &FieldPath) -> impl Iterator<Item = &crate::validate::Finding> {
        self.by_path
            .get(path)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.findings.0.get(i))
    }

    /// The findings at `path` worth marking in red (errors other than "not entered").
    pub fn marks(&self, path: &FieldPath) -> impl Iterator<Item = &crate::validate::Finding> {
        self.at(path).filter(|f| f.code != Code::CountMissing)
    }
}

/// What a screen may read and queue during a frame.
pub struct Ctx<'a> {
    /// The display language.
    pub lang: Lang,
    /// The session as it was at the start of the frame.
    pub session: &'a Session,
    /// Findings and tally of that session.
    pub derived: &'a Derived,
    /// The selected ballot group (shared by the screens).
    pub group: &'a mut usize,
    /// Edits to apply at the end of the frame.
    pub edits: &'a mut Vec<Edit>,
    /// Commands to run at the end of the frame.
    pub actions: &'a mut Vec<Action>,
}

/// The app's state.
pub struct App {
    /// Display language (Vietnamese by default).
    pub lang: Lang,
    /// Keystrokes that arrived with an earlier one that moved the focus: they belong to the
    /// next frames ([`input`]).
    pub input: input::InputQueue,
    /// The operator's name, typed on the start screen: every change is logged under it.
    pub operator: String,
    /// The screen shown.
    pub screen: Screen,
    /// The open session.
    pub doc: Option<Doc>,
    /// The selected ballot group.
    pub group: usize,
    /// A question waiting for an answer.
    pub dialog: Option<Dialog>,
    /// Errors to show, oldest first; each stays until dismissed.
    pub errors: Vec<Message>,
    /// What the person should know that is no error (a file saved that no program opened),
    /// shown one at a time after the errors.
    pub notices: Vec<Message>,
    /// What this computer remembers between starts (theme, recent files, operator, folders),
    /// as this window last read or wrote it.
    pub prefs: prefs::Prefs,
    /// How long after a change the recovery copy is written with it, at most (issue 21 §4: a
    /// kill must not lose the last second of work). The write itself is off the frame and takes
    /// milliseconds ([`recovery`]).
    pub autosave_delay: Duration,
    /// Writes and removes the recovery copies, in order, off the frame.
    recovery: recovery::RecoveryWriter,
    /// Whether the system's file dialogs may open (tests turn them off: a dialog would wait
    /// for a person); tinnhiem's own dialog is used instead.
    pub system_dialogs: bool,
    /// tinnhiem's own file dialog, open where the system's could not.
    pub file_dialog: Option<files::FileDialog>,
    /// How long a frame of that dialog waits for a folder's listing before saying that it is
    /// being read ([`files::FileDialog::wait`]).
    pub listing_wait: Duration,
    /// The `--self-test` under way, if any.
    pub self_test: Option<selftest::SelfTest>,
    /// Ending an unfinished ballot count from the top bar: the group, the sheets counted and
    /// the reason being typed.
    pub end_count: Option<(usize, u32, String)>,
    /// The system's file dialog failed to open once: tinnhiem's own is used from then on.
    pub system_dialog_failed: bool,
    /// Viewers and the printer started by the app.
    pub launcher: files::Launcher,
    /// The document last written, said in a notice with its buttons until dismissed.
    pub saved: Option<PathBuf>,
    /// The user guide's PDF last written or found up to date for F1 (then opened).
    pub guide_opened: Option<PathBuf>,
    /// The start screen.
    pub start: start::StartScreen,
    /// The setup screen.
    pub setup: setup::SetupScreen,
    /// The entry grid.
    pub entry: entry::EntryScreen,
    /// The results screen.
    pub results: results::ResultsScreen,
    /// Finalising, documents, signature and audit log dialogs.
    pub docs: docs::DocsUi,
    /// The ballot-by-ballot screen (its running count lives only here, in memory).
    pub ballot: ballot::BallotScreen,
    /// The double-entry panel.
    pub double: double::DoubleScreen,
    /// The presentation view.
    pub present: present::PresentScreen,
    /// The slow job running off the frame, if any (signing, reading tokens, waiting for a
    /// lock).
    pub work: work::Worker,
    /// What to do once the save waiting for its lock is done (the unsaved-changes question's
    /// choice).
    after_save: Option<Action>,
    /// The counts read from a spreadsheet, shown before they are applied.
    pub import: Option<crate::spreadsheet::CountsPreview>,
    data_dir: Option<PathBuf>,
    /// This app's slot for the recovery copy of a session never saved.
    unsaved: Option<archive::UnsavedSlot>,
    edits: Vec<Edit>,
    actions: Vec<Action>,
    generation: u64,
    derived: Option<Derived>,
    /// The audit log's chain as checked so far: an edit hashes only the entries it added.
    log_chain: crate::model::LogChain,
    last_focus: Option<Id>,
    title: String,
    close_confirmed: bool,
    recovery_failing: bool,
}

impl App {
    /// The app as eframe starts it: fonts installed, the file of `options` opened.
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>, options: Options) -> Self {
        fonts::install(&cc.egui_ctx);
        let app = Self::with_options(options);
        // Light unless the system says dark or the user chose (office users know Word and
        // Excel in light).
        apply_theme(&cc.egui_ctx, app.load_theme());
        app
    }

    /// Changes the preferences (read again from the file first: another window may have
    /// changed them) and writes them; without a data folder, only in memory.
    fn update_prefs(&mut self, change: impl FnOnce(&mut prefs::Prefs)) {
        match &self.data_dir {
            Some(dir) => self.prefs = prefs::Prefs::update(dir, change),
            None => change(&mut self.prefs),
        }
    }

    /// The theme the user chose last time; following the system by default.
    #[must_use]
    pub fn load_theme(&self) -> egui::ThemePreference {
        match self.prefs.theme {
            prefs::Theme::Light => egui::ThemePreference::Light,
            prefs::Theme::Dark => egui::ThemePreference::Dark,
            prefs::Theme::System => egui::ThemePreference::System,
        }
    }

    /// The theme choices of the "Xem" menu; the choice is remembered (losing it loses no
    /// work).
    fn theme_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let mut pref = ui.ctx().options(|o| o.theme_preference);
        let name = |p: egui::ThemePreference| match p {
            egui::ThemePreference::Light => i18n::THEME_LIGHT.get(lang),
            egui::ThemePreference::Dark => i18n::THEME_DARK.get(lang),
            egui::ThemePreference::System => i18n::THEME_SYSTEM.get(lang),
        };
        let before = pref;
        ui.label(RichText::new(i18n::THEME.get(lang)).weak());
        for p in [
            egui::ThemePreference::Light,
            egui::ThemePreference::Dark,
            egui::ThemePreference::System,
        ] {
            ui.radio_value(&mut pref, p, name(p));
        }
        if pref != before {
            ui.ctx().set_theme(pref);
            let theme = match pref {
                egui::ThemePreference::Light => prefs::Theme::Light,
                egui::ThemePreference::Dark => prefs::Theme::Dark,
                egui::ThemePreference::System => prefs::Theme::System,
            };
            self.update_prefs(|p| p.theme = theme);
        }
    }

    /// The app without a window (for tests and benchmarks that drive egui themselves; they
    /// must call [`fonts::install`]).
    #[must_use]
    pub fn with_options(options: Options) -> Self {
        let mut app = Self {
            lang: Lang::Vi,
            input: input::InputQueue::default(),
            operator: String::new(),
            screen: Screen::Start,
            doc: None,
            group: 0,
            dialog: None,
            errors: Vec::new(),
            notices: Vec::new(),
            prefs: options
                .data_dir
                .as_deref()
                .map(prefs::Prefs::load)
                .unwrap_or_default(),
            autosave_delay: AUTOSAVE_DELAY,
            recovery: recovery::RecoveryWriter::default(),
            system_dialogs: true,
            self_test: None,
            file_dialog: None,
            listing_wait: Duration::from_millis(40),
            end_count: None,
            system_dialog_failed: false,
            launcher: files::Launcher::default(),
            saved: None,
            guide_opened: None,
            start: start::StartScreen::default(),
            setup: setup::SetupScreen::default(),
            entry: entry::EntryScreen::default(),
            results: results::ResultsScreen::default(),
            docs: docs::DocsUi::new(),
            ballot: ballot::BallotScreen::default(),
            double: double::DoubleScreen::default(),
            present: present::PresentScreen::default(),
            work: work::Worker::default(),
            after_save: None,
            import: None,
            unsaved: options.data_dir.as_deref().map(archive::UnsavedSlot::claim),
            data_dir: options.data_dir,
            edits: Vec::new(),
            actions: Vec::new(),
            generation: 0,
            derived: None,
            log_chain: crate::model::LogChain::default(),
            last_focus: None,
            title: String::new(),
            close_confirmed: false,
            recovery_failing: false,
        };
        app.operator = app.prefs.operator.clone();
        match options.file {
            Some(file) => app.open(&file),
            None => {
                if let Some(rec) = archive::newer_recovery(None, app.unsaved_recovery()) {
                    app.dialog = Some(Dialog::Recovery(rec));
                }
            }
        }
        app
    }

    /// This app's recovery copy of a session never saved, if it has a data folder.
    fn unsaved_recovery(&self) -> Option<&Path> {
        self.unsaved.as_ref().map(archive::UnsavedSlot::recovery)
    }

    /// The session shown, if any.
    #[must_use]
    pub fn session(&self) -> Option<&Session> {
        self.doc.as_ref().map(|d| &d.session)
    }

    /// Findings and tally of the session (computed on demand).
    pub fn derived(&mut self) -> Option<&Derived> {
        let session = &self.doc.as_ref()?.session;
        if self
            .derived
            .as_ref()
            .is_none_or(|d| d.generation != self.generation)
        {
            self.derived = Some(Derived::of(session, self.generation, &mut self.log_chain));
        }
        self.derived.as_ref()
    }

    /// Shows `session` as a new, unsaved session (examples, benchmarks).
    pub fn open_session(&mut self, session: Session) {
        self.set_doc(Doc::new(session, None));
    }

    /// Queues an edit, applied at the end of the frame (what every widget does).
    pub fn queue(&mut self, edit: Edit) {
        self.edits.push(edit);
    }

    /// Opens `path`, offering its recovery copy if one is newer. Errors are shown.
    pub fn open(&mut self, path: &Path) {
        match archive::load_with_digest(path) {
            Ok((session, digest)) => {
                let check = check_archive(&session);
                if matches!(
                    check,
                    ArchiveCheck::ContentChanged { .. } | ArchiveCheck::ResultsChanged
                ) {
                    let m = check.message();
                    let name = path.display();
                    self.errors.push(Message::new(
                        format!("{name}: {}", m.vi),
                        format!("{name}: {}", m.en),
                    ));
                }
                let mut doc = Doc::new(session, Some(path.to_owned()));
                // The digest of the very bytes read: a write by another program between
                // reading and hashing cannot slip through.
                doc.disk = Some(digest);
                self.set_doc(doc);
                self.remember(path);
                if let Some(rec) = archive::newer_recovery(Some(path), None) {
                    self.dialog = Some(Dialog::Recovery(rec));
                }
            }
            Err(e) => {
                // The file may be gone or damaged while its recovery copy survives.
                if let Some(rec) = archive::newer_recovery(Some(path), None) {
                    self.set_doc(Doc::new(Session::default(), Some(path.to_owned())));
                    self.dialog = Some(Dialog::Recovery(rec));
                }
                self.errors.push(e.message());
            }
        }
    }

    /// Merges counting teams' archives (`tinnhiem merge` in the app) into a new session that
    /// is not saved yet: saving asks where, and refuses the teams' own files. Returns whether
    /// it merged; a refusal is shown with its reason (and the file, when it is about one file).
    /// The operator's name is required: the merge is logged under it.
    pub fn merge_files(&mut self, paths: &[PathBuf]) -> bool {
        if self.operator.trim().is_empty() {
            self.errors
                .push(crate::counting::EntryError::OperatorRequired.message());
            return false;
        }
        let mut sessions = Vec::with_capacity(paths.len());
        for path in paths {
            match archive::load(path) {
                Ok(s) => sessions.push(s),
                Err(e) => {
                    self.errors.push(e.message());
                    return false;
                }
            }
        }
        match crate::teams::merge(&sessions, &self.operator, Timestamp::now()) {
            Ok(merged) => {
                let mut doc = Doc::new(merged, None);
                // Unsaved work: the close guard asks and the recovery copy keeps it.
                doc.touch();
                self.set_doc(doc);
                self.screen = Screen::Entry;
                true
            }
            Err(e) => {
                let mut m = e.message();
                let file = match e {
                    MergeError::DifferentVote(i)
                    | MergeError::NoTeam(i)
                    | MergeError::EntryUnderway(i)
                    | MergeError::CountUnderway(i)
                    | MergeError::TeamAndTeams(i)
                    | MergeError::SealBroken(i)
                    | MergeError::SameTeamArchive(_, i)
                    | MergeError::IdenticalCounts(_, i) => {
                        i.checked_sub(1).and_then(|k| paths.get(k))
                    }
                    MergeError::TooFew
                    | MergeError::OverlappingTeam(_)
                    | MergeError::Overflow(_) => None,
                };
                if let Some(file) = file {
                    let name = file.display();
                    m = Message::new(format!("{name}: {}", m.vi), format!("{name}: {}", m.en));
                }
                self.errors.push(m);
                false
            }
        }
    }

    /// Saves the session to `path` (atomically, through the core). Returns whether it did;
    /// an error is shown. When another program holds the archive's lock, the save waits for it
    /// on the worker ([`work::Job::WaitingForLock`]) and this returns `false` at once: the
    /// window stays responsive, and the save is done (or refused) when the lock is free.
    pub fn save_to(&mut self, path: &Path) -> bool {
        let Some(doc) = &self.doc else {
            return false;
        };
        if is_merged_team_file(&doc.session, path) {
            let name = path.display();
            self.errors.push(Message::new(
                format!("Không lưu đè lên {name}: đó là tệp của một tổ đã gộp vào phiên này; hãy lưu thành tệp khác."),
                format!("Not saved over {name}: it is a team's file merged into this session; save to another file."),
            ));
            return false;
        }
        // Over the same file, only if no other program changed it since this app read or
        // wrote it (neither change is lost: the user saves elsewhere).
        let expected = if doc.path.as_deref() == Some(path) {
            doc.disk
        } else {
            None
        };
        let revision = doc.revision;
        // One try on the frame; the wait, if any, on the worker.
        let saved = match archive::lock_within(path, Duration::ZERO) {
            Err(archive::ArchiveError::Locked { .. }) => {
                let session = doc.session.clone();
                let target = path.to_owned();
                let job = work::Job::WaitingForLock(path.to_owned());
                let started = self.work.start(job, move || {
                    let result = archive::lock(&target)
                        .and_then(|l| l.save_expecting(&session, expected))
                        .map(|digest| work::Saved {
                            path: target,
                            digest,
                        })
                        .map_err(|e| e.message());
                    work::Outcome::Saved(result, revision)
                });
                if !started {
                    let doing =
                        |lang| i18n::busy_refused(lang, &i18n::SAVE.get(lang).to_lowercase());
                    self.errors
                        .push(Message::new(doing(Lang::Vi), doing(Lang::En)));
                }
                return false;
            }
            other => other.and_then(|l| l.save_expecting(&doc.session, expected)),
        };
        match saved {
            Ok(digest) => {
                self.finish_save(path, digest, revision);
                true
            }
            Err(e) => {
                self.errors.push(e.message());
                false
            }
        }
    }

    /// The session as of `revision` is in `path` (its bytes hash to `digest`): the file is the
    /// session's, and its recovery copies go unless there were changes since.
    fn finish_save(&mut self, path: &Path, digest: [u8; 32], revision: u64) {
        let unsaved = self.unsaved_recovery().map(Path::to_owned);
        let Some(doc) = &mut self.doc else {
            return;
        };
        let old_recovery = archive::recovery_path(doc.path.as_deref(), unsaved.as_deref());
        let new_recovery = archive::recovery_path(Some(path), None);
        doc.disk = Some(digest);
        doc.path = Some(path.to_owned());
        doc.saved_revision = revision;
        let unchanged = doc.revision == revision;
        if unchanged {
            doc.recovery_revision = revision;
            doc.unwritten_since = None;
        } else {
            // Changed while the save waited for its lock: the changes go to the file's own
            // recovery copy now.
            doc.recovery_revision = 0;
        }
        // The copy under the old name never outlives the save (a session saved for the first
        // time leaves its "chưa lưu" slot); the file's own goes unless changes came since.
        if old_recovery != new_recovery
            && let Some(old) = old_recovery
        {
            self.recovery.remove(old);
        }
        if unchanged && let Some(new) = new_recovery {
            self.recovery.remove(new);
        }
        self.remember(path);
    }

    /// The save that waited for its lock is done (or refused): then what was to follow it.
    pub(crate) fn apply_saved(
        &mut self,
        _job: &work::Job,
        result: Result<work::Saved, Message>,
        revision: u64,
    ) {
        match result {
            Ok(saved) => {
                self.finish_save(&saved.path, saved.digest, revision);
                if let Some(then) = self.after_save.take()
                    && !self.doc.as_ref().is_some_and(Doc::dirty)
                {
                    self.actions.push(then);
                }
            }
            Err(m) => {
                self.after_save = None;
                self.errors.push(m);
            }
        }
    }

    /// Drops a running ballot-by-ballot count: it belongs to the entry stage it was started
    /// in (the double-entry screen calls this when the stage changes).
    fn restart_ballot_count(&mut self) {
        self.ballot = ballot::BallotScreen::default();
    }

    fn set_doc(&mut self, doc: Doc) {
        self.doc = Some(doc);
        self.group = 0;
        self.generation += 1;
        self.setup = setup::SetupScreen::default();
        self.entry = entry::EntryScreen::default();
        self.ballot = ballot::BallotScreen::default();
        self.double = double::DoubleScreen::default();
        if self.screen == Screen::Start {
            self.screen = Screen::Setup;
        }
    }

    /// Puts `path` first in the recent files.
    fn remember(&mut self, path: &Path) {
        let path = dunce::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.update_prefs(|p| {
            p.recent.retain(|r| *r != path);
            p.recent.insert(0, path);
        });
    }

    /// Applies the queued edits, each through the history. Errors are shown.
    fn apply_edits(&mut self) {
        let edits = std::mem::take(&mut self.edits);
        let Some(doc) = &mut self.doc else {
            return;
        };
        for edit in edits {
            let pending = crate::edit::Pending::read(&edit, &doc.session);
            match doc.history.apply(&mut doc.session, edit) {
                Ok(true) => {
                    pending.log(&mut doc.session, &self.operator, Timestamp::now(), true);
                    doc.touch();
                    self.generation += 1;
                }
                Ok(false) => {}
                Err(e) => self.errors.push(e.message()),
            }
        }
    }

    /// Remembers the operator's name for the next start, when it changed (the app calls it
    /// when the keyboard leaves a field; a convenience: losing it loses no work, so a failure
    /// is not worth a dialog).
    pub fn remember_operator(&mut self) {
        let operator = crate::text::clean_name(&self.operator);
        if operator != self.prefs.operator {
            self.update_prefs(|p| p.operator = operator);
        }
    }

    /// Writes the recovery copy [`Self::autosave_delay`] after the first change it does not
    /// hold yet (a frame is asked for then, whether or not anything else happens).
    fn autosave(&mut self, ctx: &egui::Context) {
        self.recovery_outcomes();
        let unsaved = self.unsaved_recovery().map(Path::to_owned);
        let Some(doc) = &mut self.doc else {
            return;
        };
        if doc.recovery_revision == doc.revision
            || doc.discarded == Some(doc.revision)
            || !doc.dirty()
        {
            doc.unwritten_since = None;
            return;
        }
        let waited = doc
            .unwritten_since
            .get_or_insert_with(Instant::now)
            .elapsed();
        if waited < self.autosave_delay {
            ctx.request_repaint_after(self.autosave_delay.saturating_sub(waited));
            return;
        }
        doc.recovery_revision = doc.revision;
        doc.unwritten_since = None;
        if let Some(rec) = archive::recovery_path(doc.path.as_deref(), unsaved.as_deref()) {
            self.recovery.write(rec, doc.session.clone());
        }
    }

    /// Runs a command; `confirmed` skips the unsaved-changes question.
    fn run(&mut self, ctx: &egui::Context, action: Action, confirmed: bool) {
        let dirty = self.doc.as_ref().is_some_and(Doc::dirty);
        let leaves = matches!(
            action,
            Action::New(_)
                | Action::Open(_)
                | Action::OpenDialog
                | Action::OpenExample(_)
                | Action::MergeDialog
                | Action::CloseSession
                | Action::Quit
        );
        // A job runs on this session (signing it, saving it): it is not replaced under it.
        if let Some(job) = self.work.busy()
            && (leaves || matches!(action, Action::Save | Action::SaveAs))
        {
            let doing = |lang| i18n::busy_refused(lang, &job.doing(lang));
            self.errors
                .push(Message::new(doing(Lang::Vi), doing(Lang::En)));
            return;
        }
        if leaves && dirty && !confirmed {
            self.dialog = Some(Dialog::Unsaved(action));
            return;
        }
        // Saved as it would be once the field being typed in is left: cleaned.
        if matches!(action, Action::Save | Action::SaveAs)
            && let Some(clean) = widgets::leave_field(ctx)
        {
            self.edits.push(clean);
            self.apply_edits();
        }
        match action {
            Action::New(profile) => {
                self.screen = Screen::Setup;
                self.set_doc(Doc::new(Session::new(profile), None));
            }
            Action::Open(path) => self.open(&path),
            Action::OpenDialog => self.choose(files::PathTask::Open, files::Mode::Open, ""),
            Action::OpenExample(n) => {
                if let Some((_, text)) = EXAMPLES.get(n) {
                    match archive::from_str(text) {
                        Ok(s) => self.set_doc(Doc::new(s, None)),
                        Err(e) => self.errors.push(e.message()),
                    }
                }
            }
            Action::MergeDialog => {
                self.choose(files::PathTask::Merge, files::Mode::OpenMany, "");
            }
            Action::ImportCadresDialog => {
                self.choose(files::PathTask::ImportCadres, files::Mode::Open, "");
            }
            Action::ImportCountsDialog => {
                self.choose(files::PathTask::ImportCounts, files::Mode::Open, "");
            }
            Action::Save => match self.doc.as_ref().and_then(|d| d.path.clone()) {
                Some(path) => {
                    self.save_to(&path);
                }
                None => self.run(ctx, Action::SaveAs, true),
            },
            Action::SaveAs => {
                if self.doc.is_some() {
                    let name = self.save_name();
                    self.choose(files::PathTask::SaveSession, files::Mode::Save, &name);
                }
            }
            Action::CloseSession => {
                self.doc = None;
                self.generation += 1;
                self.screen = Screen::Start;
            }
            Action::Quit => {
                self.close_confirmed = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
            Action::Undo | Action::Redo => self.undo_redo(action == Action::Undo),
            Action::GoTo(screen) => {
                present::fullscreen(ctx, self.screen, screen);
                self.screen = screen;
            }
            Action::Focus(path) => self.focus(&path),
            Action::Docs(a) => self.run_docs(ctx, a),
            Action::Entry(command) => self.entry_command(command),
            Action::Guide => self.open_guide(),
        }
    }

    /// Writes the user guide's PDF into the app's data folder (the system's temporary folder
    /// without one), atomically and only when it is missing or differs from this build's, then
    /// opens it as an exported document is opened; a failure to write is said in words.
    fn open_guide(&mut self) {
        use crate::documents::guide;
        let folder = self.data_dir.clone().unwrap_or_else(std::env::temp_dir);
        let path = folder.join(guide::GUIDE_FILE);
        let shown = path.display().to_string();
        let fail = |why: Message| {
            Message::new(
                i18n::guide_failed(Lang::Vi, &shown, &why.vi),
                i18n::guide_failed(Lang::En, &shown, &why.en),
            )
        };
        let bytes = match guide::guide_pdf() {
            Ok(b) => b,
            Err(e) => {
                self.errors.push(fail(e.message()));
                return;
            }
        };
        if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
            let written = std::fs::create_dir_all(&folder)
                .map_err(|e| {
                    let words = crate::text::io_error_words(e.kind());
                    Message::new(words.vi, words.en)
                })
                .and_then(|()| archive::write_atomic(&path, &bytes).map_err(|e| e.message()));
            if let Err(why) = written {
                self.errors.push(fail(why));
                return;
            }
        }
        self.guide_opened = Some(path.clone());
        self.open_file(&path, false);
    }

    /// The name offered when saving the session: its file's, or a default.
    fn save_name(&self) -> String {
        self.doc
            .as_ref()
            .and_then(|d| d.path.as_ref())
            .and_then(|p| p.file_name())
            .map_or_else(
                || "phien-lay-phieu.ron".to_owned(),
                |n| n.to_string_lossy().into_owned(),
            )
    }

    /// Asks for a path for `task`: the system's dialog, or tinnhiem's own where the system's
    /// cannot open ([`files`]); the task goes on in [`App::path_chosen`].
    pub fn choose(&mut self, task: files::PathTask, mode: files::Mode, name: &str) {
        use files::{Mode, PathTask};
        let lang = self.lang;
        let (title, filter, exts): (&str, &str, &[&str]) = match task {
            PathTask::SaveSession => (
                i18n::SAVE_AS.get(lang),
                i18n::FILTER_SESSION.get(lang),
                &["ron"],
            ),
            PathTask::Open => (
                i18n::OPEN.get(lang),
                i18n::FILTER_SESSION.get(lang),
                &["ron"],
            ),
            PathTask::Merge => (
                i18n::MERGE.get(lang),
                i18n::FILTER_SESSION.get(lang),
                &["ron"],
            ),
            PathTask::Export(export) => {
                let spec = export.spec();
                (spec.label.get(lang), spec.filter, &[spec.extension])
            }
            PathTask::ImportCadres => (
                i18n::IMPORT_CADRES.get(lang),
                "Excel, LibreOffice",
                &["xlsx", "xls", "ods"],
            ),
            PathTask::ImportCounts => (
                i18n::IMPORT_COUNTS.get(lang),
                "Excel, LibreOffice, CSV",
                &["xlsx", "xls", "ods", "csv", "txt"],
            ),
            PathTask::Certificate => (
                i18n::SIGN_PICK.get(lang),
                i18n::FILTER_SIGNATURE.get(lang),
                &["p12", "pfx"],
            ),
            PathTask::Pkcs11Module => (
                i18n::SIGN_PICK_MODULE.get(lang),
                i18n::FILTER_KEY_SOFTWARE.get(lang),
                &["dll", "so", "dylib"],
            ),
            PathTask::SignedMinutes => (i18n::SIGN_TITLE.get(lang), "PDF", &["pdf"]),
        };
        let folder = self.dialog_folder(task);
        if self.system_dialogs && !self.system_dialog_failed && files::system_dialog_possible() {
            let dialog = rfd::FileDialog::new()
                .add_filter(filter, exts)
                .set_title(title)
                .set_directory(&folder);
            let started = Instant::now();
            let paths = match mode {
                Mode::Save => dialog.set_file_name(name).save_file().into_iter().collect(),
                Mode::Open => dialog.pick_file().into_iter().collect(),
                Mode::OpenMany => dialog.pick_files().unwrap_or_default(),
            };
            if !paths.is_empty() {
                self.path_chosen(task, paths);
                return;
            }
            if started.elapsed() >= files::SYSTEM_DIALOG_FAILED_WITHIN {
                return; // The person cancelled.
            }
            // Said once; from now on tinnhiem's own dialog opens at once.
            self.system_dialog_failed = true;
            self.errors.push(Message::new(
                i18n::FD_SYSTEM_FAILED.vi,
                i18n::FD_SYSTEM_FAILED.en,
            ));
        }
        let mut dialog = files::FileDialog::new(task, mode, (title, exts), &folder, name);
        dialog.wait = self.listing_wait;
        self.file_dialog = Some(dialog);
    }

    /// The folder a dialog for `task` starts in: the last one used for its kind of file
    /// ([`files::PathTask::purpose`]), except that a copy of a saved session is offered
    /// beside it; else the session's folder (the token libraries: the system's); else home.
    /// A remembered folder since removed is not checked here (a network folder may take
    /// seconds to answer): the dialog says it cannot be read, and the person goes up.
    fn dialog_folder(&self, task: files::PathTask) -> PathBuf {
        use files::PathTask;
        let session_file = self.doc.as_ref().and_then(|d| d.path.as_deref());
        let remembered = self.prefs.folders.get(task.purpose()).map(Path::to_owned);
        match task {
            PathTask::SaveSession if session_file.is_some() => files::start_folder(session_file),
            PathTask::Pkcs11Module => remembered.unwrap_or_else(files::module_folder),
            _ => remembered.unwrap_or_else(|| files::start_folder(session_file)),
        }
    }

    /// Carries `task` on with the chosen `paths` (the save dialog's extension added).
    fn path_chosen(&mut self, task: files::PathTask, paths: Vec<PathBuf>) {
        use files::PathTask;
        let Some(first) = paths.first() else {
            return;
        };
        if let Some(folder) = first.parent().filter(|f| !f.as_os_str().is_empty()) {
            let folder = folder.to_owned();
            self.update_prefs(|p| p.folders.set(task.purpose(), &folder));
        }
        // The task's extension added to a name without it ("Biên bản 15.10.2025" gets ".pdf",
        // not a new ending in place of ".2025"); a name so made that is an existing file was
        // not the one the save dialog asked about: not written over.
        let mut refused = None;
        let mut with_ext = |p: &PathBuf, ext: &str| {
            let out = files::with_extension(p, &[ext]);
            if out != *p && out.exists() {
                refused = Some(out.clone());
            }
            out
        };
        let target = match task {
            PathTask::SaveSession => Some(with_ext(first, "ron")),
            PathTask::SignedMinutes => Some(with_ext(first, "pdf")),
            PathTask::Export(export) => Some(with_ext(first, export.spec().extension)),
            _ => None,
        };
        if let Some(path) = refused {
            self.errors.push(Message::new(
                i18n::fd_overwrite_refused(Lang::Vi, &path.display().to_string()),
                i18n::fd_overwrite_refused(Lang::En, &path.display().to_string()),
            ));
            return;
        }
        let target = target.unwrap_or_else(|| first.clone());
        match task {
            PathTask::SaveSession => {
                self.save_to(&target);
            }
            PathTask::Open => self.open(first),
            PathTask::Merge => {
                self.merge_files(&paths);
            }
            PathTask::Export(export) => self.write_document_to(export, &target),
            PathTask::ImportCadres => self.import_cadres(first),
            PathTask::ImportCounts => self.read_counts_sheet(first),
            PathTask::Certificate => self.docs.certificate = Some(first.clone()),
            PathTask::Pkcs11Module => self.library_chosen(first),
            PathTask::SignedMinutes => self.sign_to(&target),
        }
    }

    /// Adds the cadres listed in a spreadsheet to the current group, by the paste rules.
    pub fn import_cadres(&mut self, path: &Path) {
        match crate::spreadsheet::read_rows(path) {
            Ok(rows) => self.edits.push(Edit::PasteCadres {
                group: self.group,
                text: crate::spreadsheet::as_pasted(&rows),
            }),
            Err(m) => self.errors.push(m),
        }
    }

    /// tinnhiem's own file dialog, while open.
    fn file_dialog_ui(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.file_dialog else {
            return;
        };
        if let Some(paths) = dialog.ui(ctx, self.lang) {
            let task = dialog.task;
            self.file_dialog = None;
            if !paths.is_empty() {
                self.path_chosen(task, paths);
            }
        }
    }

    /// The user chose to drop unsaved changes ("Không lưu"): their recovery copy goes too, so
    /// that the next start does not offer them back, and it is not written again unless
    /// there are new changes (the session stays on screen when the open dialog is cancelled).
    fn discard_recovery(&mut self) {
        let unsaved = self.unsaved_recovery().map(Path::to_owned);
        if let Some(doc) = &mut self.doc
            && doc.dirty()
        {
            doc.discarded = Some(doc.revision);
            doc.unwritten_since = None;
            if let Some(rec) = archive::recovery_path(doc.path.as_deref(), unsaved.as_deref()) {
                self.recovery.remove(rec);
            }
        }
    }

    /// Waits until the recovery copies asked for are written or removed, and takes in how it
    /// went (tests, and the window closing).
    pub fn flush_recovery(&mut self) {
        self.recovery.flush();
        self.recovery_outcomes();
    }

    /// How the recovery writes and removals went: a failure is said once, not after every
    /// keystroke (the status bar keeps showing it), until a write succeeds again.
    fn recovery_outcomes(&mut self) {
        for (write, outcome) in self.recovery.outcomes() {
            match outcome {
                Ok(()) if write => self.recovery_failing = false,
                Ok(()) => {}
                Err(_) if write && self.recovery_failing => {}
                Err(m) => {
                    self.recovery_failing |= write;
                    self.errors.push(m);
                }
            }
        }
    }

    fn undo_redo(&mut self, undo: bool) {
        if let Some(doc) = &mut self.doc {
            let edit = if undo {
                doc.history.next_undo()
            } else {
                doc.history.next_redo()
            }
            .cloned();
            let pending = edit
                .as_ref()
                .map(|e| crate::edit::Pending::read(e, &doc.session));
            let done = if undo {
                doc.history.undo(&mut doc.session)
            } else {
                doc.history.redo(&mut doc.session)
            };
            if done {
                let what = edit
                    .map(|e| e.describe())
                    .unwrap_or_else(|| Message::new("", ""));
                let describe = if undo {
                    Message::new(
                        format!("Hoàn tác: {}", what.vi),
                        format!("Undo: {}", what.en),
                    )
                } else {
                    Message::new(
                        format!("Làm lại: {}", what.vi),
                        format!("Redo: {}", what.en),
                    )
                };
                if let Some(pending) = pending {
                    pending.described(describe).log(
                        &mut doc.session,
                        &self.operator,
                        Timestamp::now(),
                        false,
                    );
                }
                doc.touch();
                self.generation += 1;
            }
        }
    }

    fn focus(&mut self, path: &FieldPath) {
        if let Some(target) = entry::CellTarget::of(path) {
            self.group = target.group;
            self.screen = Screen::Entry;
            self.entry.focus_cell(target);
        } else {
            if let Some(g) = path.group() {
                self.group = g;
            }
            self.screen = Screen::Setup;
        }
    }

    fn restore_recovery(&mut self, rec: &Path) {
        match archive::load(rec) {
            Ok(session) => {
                let path = self.doc.as_ref().and_then(|d| d.path.clone());
                // The file the restored work replaces, as it is now: a change another program
                // makes to it from here on is still caught at the save.
                let disk = self.doc.as_ref().and_then(|d| d.disk);
                let mut doc = Doc::new(session, path);
                doc.disk = disk;
                // Restored but not saved yet: dirty, and already in the recovery copy.
                doc.revision = 1;
                doc.recovery_revision = 1;
                self.set_doc(doc);
            }
            Err(e) => self.errors.push(e.message()),
        }
    }

    fn shortcuts(&mut self, ui: &egui::Ui) {
        let (save_as, save, redo, undo) = ui.input_mut(|i| {
            let save_as = i.consume_shortcut(&SAVE_AS_KEY);
            let save = i.consume_shortcut(&SAVE_KEY);
            let redo = i.consume_shortcut(&REDO_KEY_2) | i.consume_shortcut(&REDO_KEY);
            let undo = i.consume_shortcut(&UNDO_KEY);
            (save_as, save, redo, undo)
        });
        // F1 anywhere, with or without a session: the user guide.
        if ui.input_mut(|i| i.consume_key(Modifiers::NONE, Key::F1)) {
            self.actions.push(Action::Guide);
        }
        for (pressed, action) in [
            (save_as, Action::SaveAs),
            (save, Action::Save),
            (redo, Action::Redo),
            (undo, Action::Undo),
        ] {
            if pressed && self.doc.is_some() {
                self.actions.push(action);
            }
        }
    }

    fn close_request(&mut self, ui: &egui::Ui) {
        if ui.input(|i| i.viewport().close_requested())
            && !self.close_confirmed
            && self.doc.as_ref().is_some_and(Doc::dirty)
        {
            ui.send_viewport_cmd(ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::Unsaved(Action::Quit));
        }
    }

    fn update_title(&mut self, ui: &egui::Ui) {
        let file = self
            .doc
            .as_ref()
            .and_then(|d| d.path.as_ref())
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        let dirty = self.doc.as_ref().is_some_and(Doc::dirty);
        let title = i18n::window_title(self.lang, file.as_deref(), dirty);
        if title != self.title {
            ui.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    fn top_bar(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let has_doc = self.doc.is_some();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(i18n::MENU_FILE.get(lang), |ui| {
                if ui.button(i18n::NEW.get(lang)).clicked() {
                    self.actions.push(Action::CloseSession);
                }
                if ui.button(i18n::OPEN.get(lang)).clicked() {
                    self.actions.push(Action::OpenDialog);
                }
                if ui.button(i18n::MERGE.get(lang)).clicked() {
                    self.actions.push(Action::MergeDialog);
                }
                let save = egui::Button::new(i18n::SAVE.get(lang))
                    .shortcut_text(ui.ctx().format_shortcut(&SAVE_KEY));
                if ui.add_enabled(has_doc, save).clicked() {
                    self.actions.push(Action::Save);
                }
                let save_as = egui::Button::new(i18n::SAVE_AS.get(lang))
                    .shortcut_text(ui.ctx().format_shortcut(&SAVE_AS_KEY));
                if ui.add_enabled(has_doc, save_as).clicked() {
                    self.actions.push(Action::SaveAs);
                }
                if ui
                    .add_enabled(has_doc, egui::Button::new(i18n::CLOSE_SESSION.get(lang)))
                    .clicked()
                {
                    self.actions.push(Action::CloseSession);
                }
                if ui.button(i18n::QUIT.get(lang)).clicked() {
                    self.actions.push(Action::Quit);
                }
            });
            ui.menu_button(i18n::MENU_EDIT.get(lang), |ui| {
                let (can_undo, can_redo) = self.doc.as_ref().map_or((None, None), |d| {
                    (
                        d.history.next_undo().map(|e| e.describe()),
                        d.history.next_redo().map(|e| e.describe()),
                    )
                });
                let undo = egui::Button::new(i18n::UNDO.get(lang))
                    .shortcut_text(ui.ctx().format_shortcut(&UNDO_KEY));
                let r = ui.add_enabled(can_undo.is_some(), undo);
                if let Some(m) = &can_undo {
                    r.clone().on_hover_text(m.get(lang));
                }
                if r.clicked() {
                    self.actions.push(Action::Undo);
                }
                let redo = egui::Button::new(i18n::REDO.get(lang))
                    .shortcut_text(ui.ctx().format_shortcut(&REDO_KEY));
                let r = ui.add_enabled(can_redo.is_some(), redo);
                if let Some(m) = &can_redo {
                    r.clone().on_hover_text(m.get(lang));
                }
                if r.clicked() {
                    self.actions.push(Action::Redo);
                }
            });
            self.docs_menu(ui);
            ui.menu_button(i18n::MENU_VIEW.get(lang), |ui| self.theme_ui(ui));
            ui.menu_button(i18n::MENU_HELP.get(lang), |ui| {
                let guide = egui::Button::new(i18n::HELP_GUIDE.get(lang));
                if ui.add(guide).clicked() {
                    self.actions.push(Action::Guide);
                }
            });
            ui.separator();
            if has_doc {
                for (screen, label) in [
                    (Screen::Setup, i18n::SCREEN_SETUP),
                    (Screen::Entry, i18n::SCREEN_ENTRY),
                    (Screen::Results, i18n::SCREEN_RESULTS),
                    (Screen::Ballot, i18n::SCREEN_BALLOT),
                    (Screen::Present, i18n::SCREEN_PRESENT),
                ] {
                    if ui
                        .selectable_label(self.screen == screen, label.get(lang))
                        .clicked()
                    {
                        self.actions.push(Action::GoTo(screen));
                    }
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                for l in Lang::ALL.iter().rev() {
                    ui.selectable_value(&mut self.lang, *l, l.native_name());
                }
            });
        });
        // The session's state on a row of its own, so that the menus never run into it on a
        // narrow screen.
        if has_doc {
            ui.horizontal_wrapped(|ui| {
                self.seal_bar(ui);
                self.counting_notice(ui);
            });
        }
    }

    /// "Đang đếm từng phiếu: 4/24" on every screen while a ballot-by-ballot count is not
    /// finished: its figures are not the vote's yet. Its button ends the count, with a reason,
    /// from anywhere: the count may be gone from memory (another group chosen, the file
    /// reopened, the entry agreed) while its mark stays in the session.
    fn counting_notice(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let Some(session) = self.session() else {
            return;
        };
        let mut end = None;
        for (k, g) in session.groups.iter().enumerate() {
            if let Some(sheets) = g.ballot_count
                && g.voters.collected != Some(sheets)
            {
                ui.label(
                    RichText::new(i18n::counting_now(
                        lang,
                        &g.name,
                        sheets,
                        g.voters.collected,
                    ))
                    .strong()
                    .color(ui.visuals().warn_fg_color),
                );
                if ui
                    .button(i18n::END_COUNT_BUTTON.get(lang))
                    .on_hover_text(i18n::BALLOT_END_EARLY.get(lang))
                    .clicked()
                {
                    end = Some((k, sheets));
                }
            }
        }
        if let Some((k, sheets)) = end {
            self.end_count = Some((k, sheets, String::new()));
        }
    }

    /// The dialog that ends an unfinished count with a reason (logged).
    fn end_count_dialog(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        let Some((g, sheets, reason)) = &mut self.end_count else {
            return;
        };
        let (g, sheets) = (*g, *sheets);
        let mut done = None;
        let r = egui::Modal::new(egui::Id::unique("end-count-dialog")).show(ctx, |ui| {
            ui.set_max_width(560.0);
            ui.heading(i18n::END_COUNT_BUTTON.get(lang));
            ui.label(i18n::BALLOT_END_EARLY.get(lang));
            let l = ui.label(i18n::BALLOT_END_REASON.get(lang));
            ui.add(egui::TextEdit::singleline(reason).desired_width(420.0))
                .labelled_by(l.id);
            ui.horizontal(|ui| {
                let ok = !crate::text::clean_name(reason).is_empty();
                if ui
                    .add_enabled(ok, egui::Button::new(i18n::END_COUNT_BUTTON.get(lang)))
                    .clicked()
                {
                    done = Some(true);
                }
                if ui.button(i18n::CANCEL.get(lang)).clicked() {
                    done = Some(false);
                }
            });
        });
        if r.should_close() && done.is_none() {
            done = Some(false);
        }
        match done {
            Some(true) => {
                let reason = std::mem::take(reason);
                self.edits.push(Edit::EndBallotCount {
                    group: g,
                    sheets,
                    reason,
                });
                self.ballot = ballot::BallotScreen::default();
                self.end_count = None;
            }
            Some(false) => self.end_count = None,
            None => {}
        }
    }

    /// Where the open session stands against its file, if one is open.
    #[must_use]
    pub fn save_state(&self) -> Option<SaveState> {
        let doc = self.doc.as_ref()?;
        Some(
            if matches!(self.work.busy(), Some(work::Job::WaitingForLock(_))) {
                SaveState::Saving
            } else if doc.path.is_none() {
                SaveState::NeverSaved
            } else if doc.dirty() {
                SaveState::Modified
            } else {
                SaveState::Saved
            },
        )
    }

    /// The file and its one save state ([`SaveState`]).
    fn status_bar(&self, ui: &mut egui::Ui) {
        let lang = self.lang;
        if let Some(job) = self.work.busy() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new(job.doing(lang)).strong());
            });
        }
        let (Some(doc), Some(state)) = (&self.doc, self.save_state()) else {
            ui.label(i18n::APP_TITLE.get(lang));
            return;
        };
        ui.horizontal(|ui| {
            if let Some(path) = &doc.path {
                ui.label(path.display().to_string());
                ui.separator();
            }
            let mut words = i18n::save_state(lang, state).to_owned();
            if state != SaveState::Saved {
                if doc.dirty() && doc.recovery_revision == doc.revision {
                    words += &format!(" ({})", i18n::RECOVERY_SAVED.get(lang));
                }
                ui.colored_label(ui.visuals().warn_fg_color, words);
            } else {
                ui.label(words);
            }
        });
    }

    fn dialogs(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        if let Some(message) = self.errors.first().cloned() {
            let r = egui::Modal::new(Id::unique("error-dialog")).show(ctx, |ui| {
                ui.set_max_width(520.0);
                // The chosen language only: the same words twice read as two errors.
                ui.heading(i18n::ERROR.get(lang));
                ui.label(RichText::new(message.get(lang)).color(ui.visuals().error_fg_color));
                ui.button(i18n::OK.get(lang)).clicked()
            });
            if r.inner || r.should_close() {
                self.errors.remove(0);
            }
            return;
        }
        if let Some(message) = self.notices.first().cloned() {
            let r = egui::Modal::new(Id::unique("notice-dialog")).show(ctx, |ui| {
                ui.set_max_width(520.0);
                ui.heading(i18n::NOTICE.get(lang));
                ui.label(message.get(lang));
                ui.button(i18n::OK.get(lang)).clicked()
            });
            if r.inner || r.should_close() {
                self.notices.remove(0);
            }
            return;
        }
        let Some(dialog) = self.dialog.clone() else {
            return;
        };
        match dialog {
            Dialog::Unsaved(then) => {
                let r = egui::Modal::new(Id::unique("unsaved-dialog")).show(ctx, |ui| {
                    ui.heading(i18n::UNSAVED_TITLE.get(lang));
                    ui.label(i18n::UNSAVED_TEXT.get(lang));
                    ui.horizontal(|ui| {
                        if ui.button(i18n::SAVE.get(lang)).clicked() {
                            Some(0)
                        } else if ui.button(i18n::DISCARD.get(lang)).clicked() {
                            Some(1)
                        } else if ui.button(i18n::CANCEL.get(lang)).clicked() {
                            Some(2)
                        } else {
                            None
                        }
                    })
                    .inner
                });
                let choice = if r.should_close() { Some(2) } else { r.inner };
                match choice {
                    Some(0) => {
                        self.dialog = None;
                        self.run(ctx, Action::Save, true);
                        if !self.doc.as_ref().is_some_and(Doc::dirty) {
                            self.run(ctx, then, true);
                        } else if matches!(self.work.busy(), Some(work::Job::WaitingForLock(_))) {
                            self.after_save = Some(then);
                        }
                    }
                    Some(1) => {
                        self.dialog = None;
                        self.discard_recovery();
                        self.run(ctx, then, true);
                    }
                    Some(_) => self.dialog = None,
                    None => {}
                }
            }
            Dialog::Recovery(rec) => {
                let r = egui::Modal::new(Id::unique("recovery-dialog")).show(ctx, |ui| {
                    ui.heading(i18n::RECOVERY_TITLE.get(lang));
                    ui.label(i18n::RECOVERY_TEXT.get(lang));
                    ui.monospace(rec.display().to_string());
                    ui.horizontal(|ui| {
                        if ui.button(i18n::RESTORE.get(lang)).clicked() {
                            Some(true)
                        } else if ui.button(i18n::IGNORE_RECOVERY.get(lang)).clicked() {
                            Some(false)
                        } else {
                            None
                        }
                    })
                    .inner
                });
                match r.inner {
                    Some(true) => {
                        self.dialog = None;
                        self.restore_recovery(&rec);
                    }
                    Some(false) => {
                        self.dialog = None;
                        if let Err(e) = archive::remove_recovery(&rec) {
                            self.errors.push(e.message());
                        }
                    }
                    None => {}
                }
            }
        }
    }

    fn screen_ui(&mut self, ui: &mut egui::Ui) {
        if self.doc.is_none() {
            self.screen = Screen::Start;
        }
        if self.screen == Screen::Start {
            let recent = self.prefs.recent.clone();
            self.start.ui(
                ui,
                self.lang,
                &recent,
                &mut self.operator,
                &mut self.actions,
            );
            return;
        }
        // Compute the derived data before borrowing the session for the frame.
        let _ = self.derived();
        let (Some(doc), Some(derived)) = (&self.doc, &self.derived) else {
            return;
        };
        let groups = doc.session.groups.len();
        self.group = self.group.min(groups.saturating_sub(1));
        let mut cx = Ctx {
            lang: self.lang,
            session: &doc.session,
            derived,
            group: &mut self.group,
            edits: &mut self.edits,
            actions: &mut self.actions,
        };
        if doc.session.is_final() && !matches!(self.screen, Screen::Results | Screen::Present) {
            // Sealed: shown, not editable (every edit would be refused by the core anyway), and
            // still readable.
            contrast::read_only(ui);
        }
        match self.screen {
            Screen::Setup => self.setup.ui(ui, &mut cx),
            Screen::Entry => match self.double.bar(ui, &mut cx, &mut self.operator) {
                double::View::Grid => self.entry.ui(ui, &mut cx),
                double::View::Locked => {
                    contrast::read_only(ui);
                    self.entry.ui(ui, &mut cx);
                }
                double::View::Differences => {}
            },
            Screen::Results => self.results.ui(ui, &mut cx),
            Screen::Ballot => match self.double.bar(ui, &mut cx, &mut self.operator) {
                double::View::Grid => self.ballot.ui(ui, &mut cx),
                double::View::Locked | double::View::Differences => {
                    ballot::BallotScreen::locked_ui(ui, cx.lang);
                }
            },
            Screen::Present => self.present.ui(ui, &mut cx),
            Screen::Start => {}
        }
    }

    /// One frame: input, screens, then the queued edits and commands, then autosave.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        if self.title.is_empty() {
            // Ask for the keyboard at start: without a window manager (a bare X server, a kiosk)
            // the window would otherwise never get it and text fields could not be typed in.
            ui.send_viewport_cmd(ViewportCommand::Focus);
        }
        self.close_request(ui);
        self.work.set_context(ui.ctx());
        if let Some((job, outcome)) = self.work.poll() {
            self.apply_outcome(&job, outcome);
        }
        self.shortcuts(ui);
        if self.screen == Screen::Present && self.doc.is_some() {
            // The hall sees the results only: no menus, no status bar.
            egui::CentralPanel::default()
                .frame(present::frame(self.present.light))
                .show(ui, |ui| self.screen_ui(ui));
        } else {
            egui::Panel::top("menu").show(ui, |ui| self.top_bar(ui));
            if self.saved.is_some() {
                egui::Panel::top("saved").show(ui, |ui| self.saved_notice(ui));
            }
            egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
            egui::CentralPanel::default().show(ui, |ui| self.screen_ui(ui));
        }
        let ctx = ui.ctx().clone();
        self.dialogs(&ctx);
        self.docs_dialogs(&ctx);
        self.file_dialog_ui(&ctx);
        self.import_dialog(&ctx);
        self.end_count_dialog(&ctx);
        for failure in self.launcher.failures() {
            self.tell(failure);
        }
        self.apply_edits();
        for action in std::mem::take(&mut self.actions) {
            self.run(&ctx, action, false);
        }
        let focus = ctx.memory(|m| m.focused());
        if focus != self.last_focus {
            if let Some(doc) = &mut self.doc {
                doc.history.seal();
            }
            self.last_focus = focus;
            // Remembered once the field is left, not at each keystroke (a write each).
            self.remember_operator();
        }
        self.autosave(&ctx);
        self.update_title(ui);
    }
}

impl eframe::App for App {
    /// Each frame's input ends at the first key that moves the focus ([`input`]).
    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        if self.input.frame(raw_input) {
            ctx.request_repaint();
        }
    }

    /// The window is going: the recovery copies asked for are written or removed first.
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.recovery.flush();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        drop_unprintable_input(ui.ctx());
        self.frame(ui);
        if let Some(test) = &mut self.self_test {
            test.end_frame(ui.ctx());
        }
    }
}

/// Sets the theme `pref`, light where the system's is not known (office users know Word and
/// Excel in light).
pub fn apply_theme(ctx: &egui::Context, pref: egui::ThemePreference) {
    ctx.options_mut(|o| {
        o.fallback_theme = egui::Theme::Light;
        o.theme_preference = pref;
    });
}

/// Removes the characters no document can print ([`crate::text::is_typable`]: control and
/// format characters, emoji; combining marks stay, to be composed) from what was typed,
/// pasted or committed by an input method this frame, before any field sees it: every text field of the app refuses them
/// alike, and none is ever drawn as a box.
fn drop_unprintable_input(ctx: &egui::Context) {
    ctx.input_mut(|input| {
        input.events.retain_mut(|event| match event {
            egui::Event::Text(t) | egui::Event::Paste(t) => {
                t.retain(crate::text::is_typable);
                !t.is_empty()
            }
            // An input method's word too; an empty commit still ends the composition.
            egui::Event::Ime(egui::ImeEvent::Commit(t)) => {
                t.retain(crate::text::is_typable);
                true
            }
            _ => true,
        });
    });
}

/// Says why the window could not open, where the person who started it will see it: a
/// message box (a Windows window program has no console) and the standard error. The usual
/// cause is a computer without an OpenGL 2 driver (Remote Desktop, a virtual machine, an old
/// office PC): the user guide's "Khi không mở được cửa sổ" (docs/huong-dan-su-dung.md) says what
/// to do.
pub fn report_start_failure(error: &eframe::Error) {
    let vi = format!(
        "Không mở được cửa sổ ứng dụng: {error}.\n\n\
         Thường là do máy không có trình điều khiển đồ họa OpenGL 2 (khi dùng Remote Desktop, \
         máy ảo hoặc máy cũ). Hãy cập nhật trình điều khiển card màn hình, hoặc chạy trực tiếp \
         trên máy; xem tài liệu hướng dẫn đi kèm, mục \"Khi không mở được cửa sổ\". Các lệnh \
         của tinnhiem-cli vẫn dùng được."
    );
    let en = format!(
        "Cannot open the app window: {error}.\n\n\
         Usually the computer has no OpenGL 2 graphics driver (Remote Desktop, a virtual \
         machine, an old PC). Update the graphics driver or run it on the computer itself; see \
         the guide shipped with it, \"When the window does not open\". The tinnhiem-cli \
         commands still work."
    );
    eprintln!("{vi}\n\n{en}");
    // No window can show a dialog where no display exists at all (a Linux console).
    if cfg!(windows) || std::env::var_os("DISPLAY").is_some() {
        let _ = rfd::MessageDialog::new()
            .set_level(rfd::MessageLevel::Error)
            .set_title("tinnhiem")
            .set_description(format!("{vi}\n\n{en}"))
            .set_buttons(rfd::MessageButtons::Ok)
            .show();
    }
}

/// Starts the desktop app, on `file` if given. Blocks until the window closes. With
/// `self_test`, the window records what it drew there and closes ([`selftest`]).
///
/// # Errors
///
/// eframe's error when the window cannot be opened (no display, no OpenGL).
pub fn run(file: Option<PathBuf>, self_test: Option<PathBuf>) -> Result<(), eframe::Error> {
    let started = Instant::now();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(i18n::window_title(Lang::Vi, None, false))
            .with_inner_size([1200.0, 800.0])
            .with_min_inner_size([800.0, 500.0])
            .with_icon(
                // The icon is ours and valid; a broken one would only lose the window's icon.
                eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png"))
                    .unwrap_or_default(),
            ),
        ..Default::default()
    };
    let app_options = Options {
        file,
        data_dir: archive::data_dir(),
    };
    eframe::run_native(
        "tinnhiem",
        options,
        Box::new(move |cc| {
            let mut app = App::new(cc, app_options);
            app.self_test = self_test.map(|dir| selftest::SelfTest::new(dir, started));
            Ok(Box::new(app))
        }),
    )
}
