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
//!
//! This file holds the app's state and its frame; the `App`'s methods are split by what they
//! do: `session.rs` (the file: open, merge, save, recovery copies), [`files`] (the file
//! dialogs), `dispatch.rs` (actions, edits, undo and redo, shortcuts), `dialogs.rs` (modal
//! questions), `chrome.rs` (title, menus, status bar, the screen), [`prefs`] (preferences),
//! [`commands`] (the shortcuts with their keys and labels); each screen in its own file.

pub mod audit;
mod chrome;
pub mod commands;
pub mod contrast;
mod dialogs;
mod dispatch;
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
pub mod scan;
pub mod selftest;
mod session;
pub mod setup;
pub mod start;
pub mod summary;
pub mod widgets;
pub mod work;

pub mod ballot;
pub mod double;
pub mod present;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui::{self, Id, ViewportCommand};

use crate::archive;
use crate::edit::Edit;
use crate::history::History;
use crate::model::{FieldPath, Session};
use crate::rules::ProfileId;
use crate::tally::{Tally, tally};
use crate::text::{Lang, Message};
use crate::validate::{Code, Findings, validate_with};

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
    /// Scanned ballots read into the selected group, and the sheets people decide.
    Scan,
    /// Many units' archives summarised (no session needed).
    Summary,
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
    /// Ask for scanned files, a folder of them, or a folder to watch (the scan screen).
    ScanDialog(files::PathTask),
    /// Ask for the folder to summarise, or where to write its report (the summary screen).
    SummaryDialog(files::PathTask),
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
    /// The scan screen (its batch and watched folder run whichever screen is shown).
    pub scan: scan::ScanScreen,
    /// The summary of many units' archives.
    pub summary: summary::SummaryScreen,
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
            scan: scan::ScanScreen::default(),
            summary: summary::SummaryScreen::default(),
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
        if let Some(doc) = &self.doc {
            self.scan
                .poll(ui.ctx(), &doc.session, &self.operator, &mut self.edits);
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
