//! The app's modal questions: closing with unsaved changes, ending a ballot count, and the
//! errors, notices and confirmations of the documents.

use eframe::egui::{self, Id, RichText, ViewportCommand};

use super::{Action, App, Dialog, Doc};
use super::{ballot, i18n, work};
use crate::archive;
use crate::edit::Edit;

impl App {
    pub(super) fn close_request(&mut self, ui: &egui::Ui) {
        if ui.input(|i| i.viewport().close_requested())
            && !self.close_confirmed
            && self.doc.as_ref().is_some_and(Doc::dirty)
        {
            ui.send_viewport_cmd(ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::Unsaved(Action::Quit));
        }
    }

    /// The dialog that ends an unfinished count with a reason (logged).
    pub(super) fn end_count_dialog(&mut self, ctx: &egui::Context) {
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

    pub(super) fn dialogs(&mut self, ctx: &egui::Context) {
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
}
