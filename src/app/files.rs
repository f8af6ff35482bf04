//! Choosing files, and what happens to a written file: never a silent failure.
//!
//! The system's file dialog is used when it opens. Where it cannot (a Linux desktop without a
//! portal or zenity; tests), tinnhiem's own dialog takes its place: a folder field, the folders
//! and files in it, a file name. A system dialog that "returns nothing" faster than a person
//! could cancel it is taken as one that could not open ([`SYSTEM_DIALOG_FAILED_WITHIN`]), and
//! where none can be ([`system_dialog_possible`]: no desktop portal, no zenity) it is not even
//! tried, so the user is never left with a Ctrl+S that did nothing.
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
use std::time::Duration;

use eframe::egui::{self, Id, RichText};

use super::i18n;
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
    /// Write the minutes there.
    Minutes,
    /// Write the blank ballots there.
    Ballots,
    /// Write the results CSV there.
    Csv,
    /// Write the results workbook (.xlsx) there.
    Xlsx,
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
}

/// tinnhiem's own file dialog.
#[derive(Debug, Clone)]
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
    /// The files ticked (OpenMany) or chosen (Open).
    chosen: Vec<PathBuf>,
    /// Asked to confirm writing over an existing file.
    overwrite: Option<PathBuf>,
    /// The folder's listing, read when the folder changes, not every frame.
    listed: Option<(String, Result<Vec<Entry>, crate::text::Tr>)>,
}

/// One line of the folder's listing.
#[derive(Debug, Clone)]
struct Entry {
    path: PathBuf,
    name: String,
    folder: bool,
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
            chosen: Vec::new(),
            overwrite: None,
            listed: None,
        }
    }

    fn listing(&self) -> Result<Vec<Entry>, std::io::Error> {
        let mut entries: Vec<Entry> = std::fs::read_dir(&self.folder)?
            .flatten()
            .filter_map(|e| {
                let path = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') {
                    return None;
                }
                let folder = path.is_dir();
                let wanted = folder
                    || path.extension().is_some_and(|x| {
                        self.extensions
                            .contains(&x.to_string_lossy().to_lowercase())
                    });
                wanted.then_some(Entry { path, name, folder })
            })
            .collect();
        entries.sort_by(|a, b| {
            (!a.folder, a.name.to_lowercase()).cmp(&(!b.folder, b.name.to_lowercase()))
        });
        Ok(entries)
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

    /// Draws the dialog. `Some(paths)` when confirmed, `Some(vec![])` when cancelled.
    pub fn ui(&mut self, ctx: &egui::Context, lang: Lang) -> Option<Vec<PathBuf>> {
        let mut out = None;
        let r = egui::Modal::new(Id::unique("tinnhiem-file-dialog")).show(ctx, |ui| {
            ui.set_width(ui.ctx().content_rect().width().min(720.0) - 40.0);
            ui.heading(&self.title);
            ui.horizontal(|ui| {
                let l = ui.label(i18n::FD_FOLDER.get(lang));
                ui.add(egui::TextEdit::singleline(&mut self.folder).desired_width(420.0))
                    .labelled_by(l.id);
                if ui.button(i18n::FD_UP.get(lang)).clicked()
                    && let Some(parent) = Path::new(&self.folder).parent()
                {
                    self.folder = parent.display().to_string();
                }
            });
            let height = (ui.ctx().content_rect().height() * 0.45).max(120.0);
            egui::ScrollArea::vertical()
                .max_height(height)
                .auto_shrink([false, true])
                .show(ui, |ui| self.listing_ui(ui, lang));
            if self.mode == Mode::Save {
                ui.horizontal(|ui| {
                    let l = ui.label(i18n::FD_NAME.get(lang));
                    ui.add(egui::TextEdit::singleline(&mut self.name).desired_width(420.0))
                        .labelled_by(l.id);
                });
            }
            out = self.buttons_ui(ui, lang);
        });
        if r.should_close() && out.is_none() {
            return Some(Vec::new());
        }
        out
    }

    fn listing_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        if self.listed.as_ref().is_none_or(|(f, _)| *f != self.folder) {
            let read = self
                .listing()
                .map_err(|e| crate::text::io_error_words(e.kind()));
            self.listed = Some((self.folder.clone(), read));
        }
        let Some((_, listed)) = &self.listed else {
            return;
        };
        match listed.clone() {
            Err(e) => {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    format!("{}: {}", i18n::FD_UNREADABLE.get(lang), e.get(lang)),
                );
            }
            Ok(entries) if entries.is_empty() => {
                ui.label(RichText::new(i18n::FD_EMPTY.get(lang)).weak());
            }
            Ok(entries) => {
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
                    if ui.selectable_label(picked, shown).clicked() {
                        match self.mode {
                            Mode::Save => self.name = e.name,
                            Mode::Open => self.chosen = vec![e.path],
                            Mode::OpenMany if picked => self.chosen.retain(|p| *p != e.path),
                            Mode::OpenMany => self.chosen.push(e.path),
                        }
                    }
                }
            }
        }
    }

    fn buttons_ui(&mut self, ui: &mut egui::Ui, lang: Lang) -> Option<Vec<PathBuf>> {
        if let Some(path) = self.overwrite.clone() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                i18n::fd_overwrite(lang, &path.display().to_string()),
            );
            return ui
                .horizontal(|ui| {
                    if ui.button(i18n::FD_OVERWRITE_YES.get(lang)).clicked() {
                        return Some(vec![path.clone()]);
                    }
                    if ui.button(i18n::CANCEL.get(lang)).clicked() {
                        self.overwrite = None;
                    }
                    None
                })
                .inner;
        }
        let (label, ready) = match self.mode {
            Mode::Save => (i18n::FD_SAVE, self.save_path().is_some()),
            Mode::Open => (i18n::FD_OPEN, self.chosen.len() == 1),
            Mode::OpenMany => (i18n::FD_OPEN, !self.chosen.is_empty()),
        };
        ui.horizontal(|ui| {
            if ui
                .add_enabled(ready, egui::Button::new(label.get(lang)))
                .clicked()
            {
                if self.mode != Mode::Save {
                    return Some(self.chosen.clone());
                }
                let path = self.save_path()?;
                if path.exists() {
                    self.overwrite = Some(path);
                    return None;
                }
                return Some(vec![path]);
            }
            if ui.button(i18n::CANCEL.get(lang)).clicked() {
                return Some(Vec::new());
            }
            None
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
    tx: mpsc::Sender<Message>,
    rx: mpsc::Receiver<Message>,
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
    pub fn start(&self, mut command: Command, failed: Message) -> Result<(), Message> {
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
    pub fn failures(&self) -> Vec<Message> {
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
            PathTask::Minutes,
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
