//! Choosing files, and what happens to a written file: never a silent failure.
//!
//! The system's file dialog is used when it opens. Where it cannot (a Linux desktop without a
//! portal or zenity; tests), tinnhiem's own dialog takes its place: a folder field, the folders
//! and files in it, a file name. A system dialog that "returns nothing" faster than a person
//! could cancel it is taken as one that could not open ([`SYSTEM_DIALOG_FAILED_WITHIN`]), and
//! where none can be ([`system_dialog_possible`]: no desktop portal, no zenity) it is not even
//! tried, so the user is never left with a Ctrl+S that did nothing. Either dialog starts in the
//! last folder used for the kind of file chosen ([`PathTask::purpose`]: archives, PDFs,
//! tables, cadre lists…), remembered in the preferences ([`super::prefs`]).
//!
//! After a document is written, the app says where ("Đã lưu tại …") with buttons to open the
//! file, open its folder and print it. Viewers and the printer are started as child processes
//! that a thread waits for (no zombie processes), and a failure (no viewer, no printer, `lp`
//! missing) comes back as a message.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use eframe::egui::{self, Id, RichText};

use super::App;
use super::docs::Export;
use super::i18n;
use super::prefs::Purpose;
use crate::text::{Lang, Message};

/// A system dialog that gives no path within this time did not open (nobody cancels a dialog
/// that fast; a loaded machine takes a few hundred milliseconds to fail).
pub const SYSTEM_DIALOG_FAILED_WITHIN: Duration = Duration::from_millis(700);

/// Whether a system file dialog can open at all: always on Windows and macOS; on Linux and the
/// BSDs through the desktop portal (a D-Bus session) or zenity, which rfd falls back to.
#[must_use]
pub fn system_dialog_possible() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    let zenity = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("zenity").is_file()));
    set("DBUS_SESSION_BUS_ADDRESS") || zenity
}

/// What a chosen path is for: the app carries it on when the in-app dialog is confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathTask {
    /// Save the session there.
    SaveSession,
    /// Open the session there.
    Open,
    /// Merge the counting teams' archives chosen.
    Merge,
    /// Write this document there.
    Export(super::docs::Export),
    /// Read the cadre list from this spreadsheet.
    ImportCadres,
    /// Read a counting team's counts from this spreadsheet.
    ImportCounts,
    /// The certificate (.p12) to sign with.
    Certificate,
    /// The token vendor's PKCS#11 library.
    Pkcs11Module,
    /// Write the signed minutes there.
    SignedMinutes,
    /// Read these scanned files into the scan screen's group.
    ScanFiles,
    /// Read this folder's files into the scan screen's group.
    ScanFolder,
    /// Watch this folder (the scanner's output) and read what arrives.
    WatchFolder,
    /// Keep this PNG as a signature's or a seal's picture.
    SignImage(crate::signing::images::ImageKind),
    /// Summarise the units' archives in this folder.
    SummaryFolder,
    /// Write the summary's report there.
    SummaryExport(super::summary::ReportKind),
}

impl PathTask {
    /// The kind of file chosen: the dialog starts in the last folder used for it.
    #[must_use]
    pub fn purpose(self) -> Purpose {
        match self {
            PathTask::SaveSession | PathTask::Open | PathTask::Merge | PathTask::SummaryFolder => {
                Purpose::Archives
            }
            PathTask::SummaryExport(_) => Purpose::Documents,
            PathTask::Export(Export::Minutes | Export::Ballots) | PathTask::SignedMinutes => {
                Purpose::Documents
            }
            PathTask::Export(Export::Csv | Export::Xlsx) | PathTask::ImportCounts => {
                Purpose::Tables
            }
            PathTask::ImportCadres => Purpose::CadreLists,
            // The signer's pictures sit with the signer's certificate file.
            PathTask::Certificate | PathTask::SignImage(_) => Purpose::Certificates,
            PathTask::Pkcs11Module => Purpose::TokenLibraries,
            PathTask::ScanFiles | PathTask::ScanFolder | PathTask::WatchFolder => Purpose::Scans,
        }
    }
}

/// How the dialog chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A new or existing file to write.
    Save,
    /// One existing file.
    Open,
    /// Several existing files.
    OpenMany,
    /// A folder: the one shown when confirmed.
    Folder,
}

/// tinnhiem's own file dialog.
///
/// Its folder is read on a thread, so that a slow folder (a network drive, a sleeping disk)
/// never stops the window: a fast one is waited for a moment ([`FileDialog::wait`]) and shown
/// in the same frame, a slow one says "Đang đọc thư mục…" until it is read. The listing has a
/// fixed height whatever it holds (files, nothing, an error, the wait), so the file name and the
/// buttons stay where the hand expects them. Enter confirms (except in the folder field, where
/// it only goes to the folder typed), and a double click on a file chooses it and confirms.
#[derive(Debug)]
pub struct FileDialog {
    /// What the chosen path is for.
    pub task: PathTask,
    mode: Mode,
    title: String,
    /// The extensions shown ("ron", "pdf"; lower case).
    extensions: Vec<String>,
    /// The folder shown, as typed.
    pub folder: String,
    /// The file name (Save mode).
    pub name: String,
    /// How long the frame that starts reading a folder waits for it before showing that it
    /// is being read.
    pub wait: Duration,
    /// The files ticked (OpenMany) or chosen (Open).
    chosen: Vec<PathBuf>,
    /// Asked to confirm writing over an existing file.
    overwrite: Option<PathBuf>,
    /// The folder's listing, read when the folder changes, not every frame.
    listed: Option<(String, Listing)>,
    /// The folder being read, and where its listing will come.
    reading: Option<(String, mpsc::Receiver<Listing>)>,
    /// How a folder is read ([`read_listing`]; a slow one in tests).
    read: fn(&str, &[String]) -> Listing,
}

/// A folder's listing, or why it could not be read (in words).
type Listing = Result<Vec<Entry>, crate::text::Tr>;

/// One line of the folder's listing.
#[derive(Debug, Clone)]
struct Entry {
    path: PathBuf,
    name: String,
    folder: bool,
}

/// The height of the listing: the same for every folder.
fn listing_height(ctx: &egui::Context) -> f32 {
    (ctx.content_rect().height() * 0.45).max(120.0)
}

/// The folders and the files with one of `extensions` in `folder`, folders first, by name.
fn read_listing(folder: &str, extensions: &[String]) -> Listing {
    let mut entries: Vec<Entry> = std::fs::read_dir(folder)
        .map_err(|e| crate::text::io_error_words(e.kind()))?
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                return None;
            }
            let folder = path.is_dir();
            let wanted = folder
                || path
                    .extension()
                    .is_some_and(|x| extensions.contains(&x.to_string_lossy().to_lowercase()));
            wanted.then_some(Entry { path, name, folder })
        })
        .collect();
    entries.sort_by(|a, b| {
        (!a.folder, a.name.to_lowercase()).cmp(&(!b.folder, b.name.to_lowercase()))
    });
    Ok(entries)
}

/// What the person did in the dialog this frame.
enum Choice {
    /// Nothing yet.
    None,
    /// Confirm with what is chosen (the button, Enter, a double click).
    Confirm,
    /// Cancel.
    Cancel,
    /// Write over this existing file (asked, and agreed).
    Overwrite(PathBuf),
}

impl FileDialog {
    /// A dialog for `task`, starting in `folder`, with `name` offered (Save mode).
    #[must_use]
    pub fn new(
        task: PathTask,
        mode: Mode,
        (title, extensions): (&str, &[&str]),
        folder: &Path,
        name: &str,
    ) -> Self {
        Self {
            task,
            mode,
            title: title.to_owned(),
            extensions: extensions.iter().map(|e| e.to_lowercase()).collect(),
            folder: folder.display().to_string(),
            name: name.to_owned(),
            wait: Duration::from_millis(40),
            chosen: Vec::new(),
            overwrite: None,
            listed: None,
            reading: None,
            read: read_listing,
        }
    }

    /// The path the Save mode would write: the folder and the name, with the extension added
    /// when the name does not end in one of the dialog's.
    fn save_path(&self) -> Option<PathBuf> {
        let name = self.name.trim();
        if name.is_empty() {
            return None;
        }
        let exts: Vec<&str> = self.extensions.iter().map(String::as_str).collect();
        Some(with_extension(&Path::new(&self.folder).join(name), &exts))
    }

    /// Whether the folder shown is still being read.
    #[must_use]
    pub fn reading(&self) -> bool {
        self.listed.as_ref().is_none_or(|(f, _)| *f != self.folder)
    }

    /// Starts reading the folder if it changed, and takes the listing once it is read.
    fn refresh(&mut self, ctx: &egui::Context) {
        if !self.reading() {
            self.reading = None;
            return;
        }
        let mut wait = Duration::ZERO;
        if self.reading.as_ref().is_none_or(|(f, _)| *f != self.folder) {
            let (tx, rx) = mpsc::channel();
            let (folder, extensions, ctx, read) = (
                self.folder.clone(),
                self.extensions.clone(),
                ctx.clone(),
                self.read,
            );
            std::thread::spawn(move || {
                // The dialog may be gone, or on another folder: then nobody reads this.
                let _ = tx.send(read(&folder, &extensions));
                // Soon rather than at once: the frame that waited for it may have taken it.
                ctx.request_repaint_after(Duration::from_millis(1));
            });
            self.reading = Some((self.folder.clone(), rx));
            wait = self.wait;
        }
        if let Some((folder, rx)) = &self.reading
            && let Ok(listing) = rx.recv_timeout(wait)
        {
            self.listed = Some((folder.clone(), listing));
            self.reading = None;
        }
    }

    /// Draws the dialog. `Some(paths)` when confirmed, `Some(vec![])` when cancelled.
    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang) -> Option<Vec<PathBuf>> {
        self.refresh(ctx);
        let mut choice = Choice::None;
        let r = egui::Modal::new(Id::unique("tinnhiem-file-dialog")).show(ctx, |ui| {
            ui.set_width(ui.ctx().content_rect().width().min(720.0) - 40.0);
            ui.heading(&self.title);
            let mut in_folder = false;
            ui.horizontal(|ui| {
                let l = ui.label(i18n::FD_FOLDER.get(lang));
                let r = ui
                    .add(egui::TextEdit::singleline(&mut self.folder).desired_width(420.0))
                    .labelled_by(l.id);
                in_folder = r.has_focus() || r.lost_focus();
                if ui.button(i18n::FD_UP.get(lang)).clicked()
                    && let Some(parent) = Path::new(&self.folder).parent()
                {
                    self.folder = parent.display().to_string();
                }
            });
            let height = listing_height(ui.ctx());
            egui::ScrollArea::vertical()
                .max_height(height)
                .min_scrolled_height(height)
                .auto_shrink(false)
                .show(ui, |ui| {
                    if self.listing_ui(ui, lang) {
                        choice = Choice::Confirm;
                    }
                });
            if self.mode == Mode::Save {
                ui.horizontal(|ui| {
                    let l = ui.label(i18n::FD_NAME.get(lang));
                    ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(420.0))
                        .labelled_by(l.id);
                });
            }
            let buttons = self.buttons_ui(ui, lang);
            if !matches!(buttons, Choice::None) {
                choice = buttons;
            }
            // Enter in the folder field goes to that folder (already shown as typed), nothing
            // more; while writing over a file is asked, only a click answers.
            if matches!(choice, Choice::None)
                && !in_folder
                && self.overwrite.is_none()
                && ui.input(|i| i.key_pressed(egui::Key::Enter))
            {
                choice = Choice::Confirm;
            }
        });
        if self.reading() {
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        match choice {
            Choice::Cancel => Some(Vec::new()),
            Choice::Overwrite(path) => Some(vec![path]),
            Choice::Confirm => self.confirm(),
            Choice::None if r.should_close() => Some(Vec::new()),
            Choice::None => None,
        }
    }

    /// The chosen paths, when there are any: a save over an existing file asks first.
    fn confirm(&mut self) -> Option<Vec<PathBuf>> {
        match self.mode {
            Mode::Open if self.chosen.len() == 1 => Some(self.chosen.clone()),
            Mode::OpenMany if !self.chosen.is_empty() => Some(self.chosen.clone()),
            Mode::Open | Mode::OpenMany => None,
            Mode::Folder => Some(vec![PathBuf::from(&self.folder)]),
            Mode::Save => {
                let path = self.save_path()?;
                if path.exists() {
                    self.overwrite = Some(path);
                    return None;
                }
                Some(vec![path])
            }
        }
    }

    /// The listing, of the same height whatever it holds. Returns whether a file was double
    /// clicked (chosen, to confirm).
    fn listing_ui(&mut self, ui: &mut egui::Ui, lang: Lang) -> bool {
        let listed = match &self.listed {
            Some((folder, listed)) if *folder == self.folder => listed.clone(),
            _ => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(RichText::new(i18n::FD_READING.get(lang)).weak());
                });
                return false;
            }
        };
        let entries = match listed {
            Err(e) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("{}: {}", i18n::FD_UNREADABLE.get(lang), e.get(lang)),
                );
                return false;
            }
            Ok(entries) if entries.is_empty() => {
                ui.label(RichText::new(i18n::FD_EMPTY.get(lang)).weak());
                return false;
            }
            Ok(entries) => entries,
        };
        let mut confirm = false;
        for e in entries {
            // A name the fonts cannot draw shows its codes ([U+…]), never boxes.
            let shown = crate::text::visible(&e.name);
            if e.folder {
                if ui
                    .button(RichText::new(format!("{shown}/")).strong())
                    .clicked()
                {
                    self.folder = e.path.display().to_string();
                }
                continue;
            }
            let picked = self.chosen.contains(&e.path);
            let r = ui.selectable_label(picked, shown);
            if r.double_clicked() {
                match self.mode {
                    Mode::Save => self.name = e.name,
                    Mode::Open => self.chosen = vec![e.path],
                    Mode::Folder => continue,
                    Mode::OpenMany if picked => {}
                    Mode::OpenMany => self.chosen.push(e.path),
                }
                confirm = true;
            } else if r.clicked() {
                match self.mode {
                    Mode::Save => self.name = e.name,
                    Mode::Open => self.chosen = vec![e.path],
                    Mode::Folder => {}
                    Mode::OpenMany if picked => self.chosen.retain(|p| *p != e.path),
                    Mode::OpenMany => self.chosen.push(e.path),
                }
            }
        }
        confirm
    }

    fn buttons_ui(&mut self, ui: &mut egui::Ui, lang: Lang) -> Choice {
        if let Some(path) = self.overwrite.clone() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                i18n::fd_overwrite(lang, &path.display().to_string()),
            );
            return ui
                .horizontal(|ui| {
                    if ui.button(i18n::FD_OVERWRITE_YES.get(lang)).clicked() {
                        return Choice::Overwrite(path.clone());
                    }
                    if ui.button(i18n::CANCEL.get(lang)).clicked() {
                        self.overwrite = None;
                    }
                    Choice::None
                })
                .inner;
        }
        let (label, ready) = match self.mode {
            Mode::Save => (i18n::FD_SAVE, self.save_path().is_some()),
            Mode::Open => (i18n::FD_OPEN, self.chosen.len() == 1),
            Mode::OpenMany => (i18n::FD_OPEN, !self.chosen.is_empty()),
            Mode::Folder => (
                i18n::FD_THIS_FOLDER,
                self.listed
                    .as_ref()
                    .is_some_and(|(f, l)| *f == self.folder && l.is_ok()),
            ),
        };
        ui.horizontal(|ui| {
            if ui
                .add_enabled(ready, egui::Button::new(label.get(lang)))
                .clicked()
            {
                return Choice::Confirm;
            }
            if ui.button(i18n::CANCEL.get(lang)).clicked() {
                return Choice::Cancel;
            }
            Choice::None
        })
        .inner
    }
}

/// `path` with `exts[0]` appended unless it already ends in one of `exts` (any case): a dot in
/// a name ("Biên bản 15.10.2025") is not taken for an extension.
#[must_use]
pub fn with_extension(path: &Path, exts: &[&str]) -> PathBuf {
    let has = path.extension().is_some_and(|e| {
        let e = e.to_string_lossy().to_lowercase();
        exts.iter().any(|x| *x == e)
    });
    match exts.first() {
        Some(ext) if !has => crate::archive::sibling(path, &format!(".{ext}")),
        _ => path.to_owned(),
    }
}

/// The folder a dialog starts in: the session's file's, else the user's home, else the
/// current folder.
#[must_use]
pub fn start_folder(session_file: Option<&Path>) -> PathBuf {
    session_file
        .and_then(Path::parent)
        .and_then(|p| {
            // A session named on the command line without a folder is in the current one.
            if p.as_os_str().is_empty() {
                std::env::current_dir().ok()
            } else {
                Some(p.to_owned())
            }
        })
        .or_else(|| {
            ["HOME", "USERPROFILE"]
                .iter()
                .find_map(|k| std::env::var_os(k).filter(|v| !v.is_empty()))
                .map(PathBuf::from)
        })
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Where the token vendors' PKCS#11 libraries usually are: Windows' system folder (where
/// the CA's software installs its .dll), or the system's library folder elsewhere.
#[must_use]
pub fn module_folder() -> PathBuf {
    if cfg!(windows) {
        std::env::var_os("SystemRoot")
            .map_or_else(|| PathBuf::from(r"C:\Windows"), PathBuf::from)
            .join("System32")
    } else {
        PathBuf::from("/usr/lib")
    }
}

/// Child processes the app started (viewers, the printer): a thread waits for each, so none
/// is left a zombie, and reports a failure here.
#[derive(Debug)]
pub struct Launcher {
    tx: mpsc::Sender<Failure>,
    rx: mpsc::Receiver<Failure>,
}

/// A started program that failed, as the person is told: an error (the document was not
/// printed), or a notice (the file is saved, only no program opened it).
#[derive(Debug, Clone)]
pub enum Failure {
    /// Something the person asked for did not happen.
    Error(Message),
    /// What was asked for happened; this is what to do by hand.
    Notice(Message),
}

impl Default for Launcher {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel();
        Self { tx, rx }
    }
}

impl Launcher {
    /// Starts `command`; `failed` is the message when it cannot start or ends in failure. The
    /// program's own words (its error output, the system's "No such file or directory (os
    /// error 2)" when it is not installed) are not added: they are in English whatever the
    /// chosen language, and `failed` already says what to do.
    ///
    /// # Errors
    ///
    /// `failed` when the program cannot be started or ends in failure.
    pub fn start(&self, mut command: Command, failed: Failure) -> Result<(), Failure> {
        command
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut child = command.spawn().map_err(|_| failed.clone())?;
        let tx = self.tx.clone();
        std::thread::spawn(move || {
            if child.wait().is_ok_and(|status| !status.success()) {
                let _ = tx.send(failed);
            }
        });
        Ok(())
    }

    /// The failures reported since last asked.
    pub fn failures(&self) -> Vec<Failure> {
        self.rx.try_iter().collect()
    }
}

/// On Windows, the shell's `verb` (open, print) on `path` through PowerShell. The path goes in
/// an environment variable, never on the command line, where spaces, `&`, `;` or quotes in a
/// file name would be split or run as code. PowerShell runs without a window (no console
/// flashes over the app).
fn windows_verb(path: &Path, verb: &str) -> Command {
    let mut c = Command::new("powershell");
    c.args([
        "-NoProfile",
        "-NonInteractive",
        "-WindowStyle",
        "Hidden",
        "-Command",
        &format!("Start-Process -FilePath $env:TINNHIEM_FILE -Verb {verb}"),
    ]);
    c.env("TINNHIEM_FILE", path);
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt as _;
        /// `CREATE_NO_WINDOW`: a console program started without a console window.
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        c.creation_flags(CREATE_NO_WINDOW);
    }
    c
}

/// The command that opens `path` with the system's viewer (a folder in the file manager).
#[must_use]
pub fn open_command(path: &Path) -> Command {
    if cfg!(target_os = "windows") {
        return windows_verb(path, "Open");
    }
    let mut c = if cfg!(target_os = "macos") {
        Command::new("open")
    } else {
        Command::new("xdg-open")
    };
    c.arg(path);
    c
}

/// The command that prints `path` on the default printer: CUPS's `lp` (Linux, macOS), the
/// shell's print verb on Windows.
#[must_use]
pub fn print_command(path: &Path) -> Command {
    if cfg!(target_os = "windows") {
        return windows_verb(path, "Print");
    }
    let mut c = Command::new("lp");
    c.arg("--").arg(path);
    c
}

impl App {
    /// Asks for a path for `task`: the system's dialog, or tinnhiem's own where the system's
    /// cannot open (this module); the task goes on in `App::path_chosen`.
    pub fn choose(&mut self, task: PathTask, mode: Mode, name: &str) {
        let lang = self.lang;
        let (title, filter, exts): (&str, &str, Vec<&str>) = match task {
            PathTask::Export(export) => {
                let spec = export.spec();
                (spec.label.get(lang), spec.filter, vec![spec.extension])
            }
            other => {
                let (title, filter, exts) = dialog_words(other, lang);
                (title, filter, exts.to_vec())
            }
        };
        let exts = exts.as_slice();
        let folder = self.dialog_folder(task);
        if self.system_dialogs && !self.system_dialog_failed && system_dialog_possible() {
            let dialog = rfd::FileDialog::new()
                .add_filter(filter, exts)
                .set_title(title)
                .set_directory(&folder);
            let started = Instant::now();
            let paths = match mode {
                Mode::Save => dialog.set_file_name(name).save_file().into_iter().collect(),
                Mode::Open => dialog.pick_file().into_iter().collect(),
                Mode::OpenMany => dialog.pick_files().unwrap_or_default(),
                Mode::Folder => dialog.pick_folder().into_iter().collect(),
            };
            if !paths.is_empty() {
                self.path_chosen(task, paths);
                return;
            }
            if started.elapsed() >= SYSTEM_DIALOG_FAILED_WITHIN {
                return; // The person cancelled.
            }
            // Said once; from now on tinnhiem's own dialog opens at once.
            self.system_dialog_failed = true;
            self.errors.push(Message::new(
                i18n::FD_SYSTEM_FAILED.vi,
                i18n::FD_SYSTEM_FAILED.en,
            ));
        }
        let mut dialog = FileDialog::new(task, mode, (title, exts), &folder, name);
        dialog.wait = self.listing_wait;
        self.file_dialog = Some(dialog);
    }

    /// The folder a dialog for `task` starts in: the last one used for its kind of file
    /// ([`PathTask::purpose`]), except that a copy of a saved session is offered
    /// beside it; else the session's folder (the token libraries: the system's); else home.
    /// A remembered folder since removed is not checked here (a network folder may take
    /// seconds to answer): the dialog says it cannot be read, and the person goes up.
    fn dialog_folder(&self, task: PathTask) -> PathBuf {
        let session_file = self.doc.as_ref().and_then(|d| d.path.as_deref());
        let remembered = self.prefs.folders.get(task.purpose()).map(Path::to_owned);
        match task {
            PathTask::SaveSession if session_file.is_some() => start_folder(session_file),
            PathTask::Pkcs11Module => remembered.unwrap_or_else(module_folder),
            _ => remembered.unwrap_or_else(|| start_folder(session_file)),
        }
    }

    /// Carries `task` on with the chosen `paths` (the save dialog's extension added).
    fn path_chosen(&mut self, task: PathTask, paths: Vec<PathBuf>) {
        let Some(first) = paths.first() else {
            return;
        };
        let folder = if matches!(task, PathTask::ScanFolder | PathTask::WatchFolder) {
            Some(first.as_path())
        } else {
            first.parent()
        };
        if let Some(folder) = folder.filter(|f| !f.as_os_str().is_empty()) {
            let folder = folder.to_owned();
            self.update_prefs(|p| p.folders.set(task.purpose(), &folder));
        }
        // The task's extension added to a name without it ("Biên bản 15.10.2025" gets ".pdf",
        // not a new ending in place of ".2025"); a name so made that is an existing file was
        // not the one the save dialog asked about: not written over.
        let mut refused = None;
        let mut with_ext = |p: &PathBuf, ext: &str| {
            let out = with_extension(p, &[ext]);
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
            PathTask::ScanFiles => self.scan_chosen(paths, None),
            PathTask::ScanFolder => self.scan_chosen(vec![first.clone()], None),
            PathTask::WatchFolder => self.scan_chosen(Vec::new(), Some(first.clone())),
            PathTask::SignImage(kind) => self.keep_image(kind, first),
            PathTask::SummaryFolder => {
                let ctx = self.work.context();
                self.summary.start(first.clone(), ctx);
                self.screen = super::Screen::Summary;
            }
            PathTask::SummaryExport(kind) => match self.summary.write(kind, &target) {
                Ok(()) => self.notices.push(crate::text::Message::new(
                    format!("Đã lưu tại {}", target.display()),
                    format!("Saved to {}", target.display()),
                )),
                Err(m) => self.errors.push(m),
            },
        }
    }

    /// tinnhiem's own file dialog, while open.
    pub(super) fn file_dialog_ui(&mut self, ctx: &egui::Context) {
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
}

/// The dialog's title, its filter's name and the extensions it lists, for `task`.
fn dialog_words(
    task: PathTask,
    lang: Lang,
) -> (&'static str, &'static str, &'static [&'static str]) {
    match task {
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
        // Its words are the export's own (`choose`).
        PathTask::Export(_) => ("", "", &[]),
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
        PathTask::SummaryFolder => (
            i18n::SUMMARY_TITLE.get(lang),
            i18n::FILTER_SESSION.get(lang),
            &["ron"],
        ),
        PathTask::SummaryExport(kind) => (
            kind.label().get(lang),
            kind.extension(),
            match kind {
                super::summary::ReportKind::Pdf => &["pdf"],
                super::summary::ReportKind::Xlsx => &["xlsx"],
                super::summary::ReportKind::Json => &["json"],
            },
        ),
        PathTask::SignImage(kind) => (
            match kind {
                crate::signing::images::ImageKind::Signature => i18n::SIGN_IMAGE.get(lang),
                crate::signing::images::ImageKind::Seal => i18n::SEAL_IMAGE.get(lang),
            },
            i18n::FILTER_PNG.get(lang),
            &["png"],
        ),
        PathTask::ScanFiles | PathTask::ScanFolder | PathTask::WatchFolder => (
            match task {
                PathTask::ScanFiles => i18n::SCAN_PICK_FILES.get(lang),
                PathTask::ScanFolder => i18n::SCAN_PICK_FOLDER.get(lang),
                _ => i18n::SCAN_WATCH.get(lang),
            },
            i18n::FILTER_SCANS.get(lang),
            &crate::scan::files::EXTENSIONS,
        ),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// The Windows verbs take the path from the environment, whatever it holds.
    #[test]
    fn windows_verbs_never_put_the_path_in_the_command() {
        let path = Path::new(r"C:\Users\Nguyen Van A\bien ban & ky; 'so'.pdf");
        let c = windows_verb(path, "Print");
        assert!(
            c.get_args()
                .all(|a| a.to_string_lossy() != path.to_string_lossy())
        );
        let env: Vec<_> = c.get_envs().collect();
        assert_eq!(
            env,
            [(
                std::ffi::OsStr::new("TINNHIEM_FILE"),
                Some(path.as_os_str())
            )]
        );
    }

    /// A folder that takes long to read (a network drive) does not hold the window: the frame
    /// that asks for it waits [`FileDialog::wait`] at most and shows that it is reading; the
    /// listing comes in a later frame.
    #[test]
    fn a_slow_folder_is_read_off_the_frame() {
        let mut d = FileDialog::new(
            PathTask::Open,
            Mode::Open,
            ("x", &["ron"]),
            Path::new("/srv/mang"),
            "",
        );
        d.read = |_, _| {
            std::thread::sleep(Duration::from_millis(600));
            Ok(Vec::new())
        };
        let ctx = egui::Context::default();
        let frame = |d: &mut FileDialog| {
            let started = std::time::Instant::now();
            let mut out = ctx.run_ui(egui::RawInput::default(), |ui| {
                assert_eq!(d.ui(ui.ctx(), Lang::Vi), None);
            });
            out.textures_delta.clear();
            started.elapsed()
        };
        let took = frame(&mut d);
        assert!(took < Duration::from_millis(300), "{took:?}");
        assert!(d.reading());
        std::thread::sleep(Duration::from_millis(800));
        frame(&mut d);
        assert!(!d.reading());
    }

    /// Printing goes through CUPS's `lp` outside Windows, the file given after `--`.
    #[cfg(not(windows))]
    #[test]
    fn print_uses_lp() {
        let c = print_command(Path::new("/tmp/-bb.pdf"));
        assert_eq!(c.get_program(), "lp");
        let args: Vec<_> = c.get_args().collect();
        assert_eq!(args, ["--", "/tmp/-bb.pdf"]);
    }

    /// The save dialog adds the extension to a bare name and starts in the session's folder.
    #[test]
    fn save_path_and_start_folder() {
        let mut d = FileDialog::new(
            PathTask::Export(Export::Minutes),
            Mode::Save,
            ("x", &["pdf"]),
            Path::new("/tmp"),
            "bien-ban",
        );
        assert_eq!(d.save_path(), Some(PathBuf::from("/tmp/bien-ban.pdf")));
        d.name = "Biên bản 15.10.2025".into();
        assert_eq!(
            d.save_path(),
            Some(PathBuf::from("/tmp/Biên bản 15.10.2025.pdf"))
        );
        d.name = "bb.PDF".into();
        assert_eq!(d.save_path(), Some(PathBuf::from("/tmp/bb.PDF")));
        d.name = "  ".into();
        assert_eq!(d.save_path(), None);
        assert_eq!(
            start_folder(Some(Path::new("/srv/phien/a.ron"))),
            PathBuf::from("/srv/phien")
        );
    }
}
