//! The audit log window ("Nhật ký nhập liệu"): every logged change, finalise, reopen, export
//! and signature, oldest first, in Vietnam's time. It only reads `session.audit`; the words
//! come from [`crate::lifecycle::AuditEntry::describe`], as in the minutes' annex.

use eframe::egui::{self, RichText};

use super::fonts::bold;
use super::{App, i18n};

/// The height of a row of the log (rows are one line each, so the list can be virtualised).
const ROW_H: f32 = 22.0;

impl App {
    /// The audit log as a window, closed with its own button.
    pub(super) fn audit_window(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        let Some(doc) = &self.doc else {
            return;
        };
        let audit = &doc.session.audit;
        let mut open = self.docs.audit_open;
        egui::Window::new(i18n::AUDIT_LOG.get(lang))
            .id(egui::Id::unique("audit-window"))
            .open(&mut open)
            .default_size([820.0, 420.0])
            .resizable(true)
            .show(ctx, |ui| {
                ui.label(i18n::audit_count(lang, audit.len()));
                if audit.is_empty() {
                    ui.label(i18n::AUDIT_EMPTY.get(lang));
                    return;
                }
                ui.horizontal(|ui| {
                    for (text, w) in [
                        (i18n::AUDIT_TIME.get(lang), 130.0),
                        (i18n::AUDIT_BY.get(lang), 170.0),
                        (i18n::AUDIT_WHAT.get(lang), 400.0),
                    ] {
                        ui.add_sized([w, ROW_H], egui::Label::new(bold(text)));
                    }
                });
                ui.separator();
                egui::ScrollArea::both()
                    .auto_shrink(false)
                    .stick_to_bottom(true)
                    .show_rows(ui, ROW_H, audit.len(), |ui, range| {
                        for entry in audit.get(range).unwrap_or_default() {
                            ui.horizontal(|ui| {
                                ui.add_sized(
                                    [130.0, ROW_H],
                                    egui::Label::new(RichText::new(entry.at.vietnam()).monospace()),
                                );
                                ui.add_sized(
                                    [170.0, ROW_H],
                                    egui::Label::new(entry.by.as_str()).truncate(),
                                );
                                ui.add(egui::Label::new(entry.describe(lang)).extend());
                            });
                        }
                    });
            });
        self.docs.audit_open = open;
    }
}
