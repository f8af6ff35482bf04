//! The commands of a frame: the queued [`Action`]s run once, the edits applied through the
//! history (undo and redo), the keyboard shortcuts, the focus a finding asks for.

use eframe::egui::{self, ViewportCommand};

use super::commands::UiCommand;
use super::{Action, App, Dialog, Doc, EXAMPLES, Screen};
use super::{entry, files, i18n, present, widgets};
use crate::archive;
use crate::lifecycle::Timestamp;
use crate::model::{FieldPath, Session};
use crate::text::{Lang, Message};

impl App {
    /// Runs a command; `confirmed` skips the unsaved-changes question.
    pub(super) fn run(&mut self, ctx: &egui::Context, action: Action, confirmed: bool) {
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
            Action::SummaryDialog(task) => self.summary_dialog(task),
            Action::ScanDialog(task) => {
                let mode = if task == files::PathTask::ScanFiles {
                    files::Mode::OpenMany
                } else {
                    files::Mode::Folder
                };
                self.choose(task, mode, "");
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
                self.scan.close();
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

    /// Applies the queued edits, each through the history. Errors are shown.
    pub(super) fn apply_edits(&mut self) {
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

    pub(super) fn focus(&mut self, path: &FieldPath) {
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

    /// The keyboard shortcuts of this frame ([`UiCommand`]), as actions.
    pub(super) fn shortcuts(&mut self, ui: &egui::Ui) {
        for command in UiCommand::take_pressed(ui.ctx()) {
            if self.doc.is_some() || !command.needs_session() {
                self.actions.push(command.action());
            }
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
                // No backup to keep of a file this build can write again, and no waiting for a
                // reader that holds the old one: replace_file, not write_atomic.
                .and_then(|()| archive::replace_file(&path, &bytes).map_err(|e| e.message()));
            if let Err(why) = written {
                self.errors.push(fail(why));
                return;
            }
        }
        self.guide_opened = Some(path.clone());
        self.open_file(&path, false);
    }
}

impl App {
    /// The summary screen's dialogs: the folder to read, or where its report goes (named
    /// "bao-cao-tong-hop" with the report's extension).
    fn summary_dialog(&mut self, task: files::PathTask) {
        let (mode, name) = match task {
            files::PathTask::SummaryExport(kind) => (
                files::Mode::Save,
                format!("bao-cao-tong-hop.{}", kind.extension()),
            ),
            _ => (files::Mode::Folder, String::new()),
        };
        self.choose(task, mode, &name);
    }
}
