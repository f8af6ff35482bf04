//! "Nhập số liệu từ bảng tính…": a counting team's counts read from its spreadsheet
//! ([`crate::spreadsheet::read_counts`]), shown before anything changes: the rows to import
//! (with the counts they replace), the rows refused with their place and reason. "Áp dụng"
//! queues the one [`crate::edit::Edit::ImportCounts`], which undo takes back whole and the log
//! records count by count; "Hủy" changes nothing.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use std::path::Path;

use eframe::egui::{self, Id, RichText};

use super::{App, i18n};
use crate::model::{BallotGroup, Counts, Level, Question};
use crate::spreadsheet::CountsPreview;
use crate::text::Lang;

impl App {
    /// Reads `path` as the current group's counts and opens the preview.
    pub fn read_counts_sheet(&mut self, path: &Path) {
        let Some(doc) = &self.doc else {
            return;
        };
        match crate::spreadsheet::read_counts(path, &doc.session, self.group) {
            Ok(preview) => self.import = Some(preview),
            Err(m) => self.errors.push(m),
        }
    }

    /// The preview, while open.
    pub(super) fn import_dialog(&mut self, ctx: &egui::Context) {
        if !self.errors.is_empty() || self.dialog.is_some() {
            return;
        }
        let Some(doc) = &self.doc else {
            self.import = None;
            return;
        };
        let Some(preview) = &self.import else {
            return;
        };
        let Some(group) = doc.session.groups.get(preview.group) else {
            self.import = None;
            return;
        };
        let lang = self.lang;
        let r = egui::Modal::new(Id::unique("import-counts")).show(ctx, |ui| {
            ui.set_max_width((ctx.content_rect().width() - 60.0).min(900.0));
            preview_ui(ui, lang, preview, group)
        });
        let apply = match r.inner {
            Some(apply) => apply,
            None if r.should_close() => false,
            None => return,
        };
        if apply && let Some(edit) = preview.edit(&doc.session) {
            self.edits.push(edit);
        }
        self.import = None;
    }
}

/// The preview's body and buttons; `Some(true)` to apply, `Some(false)` to cancel.
fn preview_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    p: &CountsPreview,
    group: &BallotGroup,
) -> Option<bool> {
    ui.heading(i18n::IMPORT_TITLE.get(lang));
    ui.label(format!("{} → {}", p.file, group.name));
    // Room for both lists and the buttons, on a 600-point-high screen too.
    let room = (ui.ctx().content_rect().height() - 240.0).max(120.0);
    let refused_room = if p.refused.is_empty() {
        0.0
    } else {
        (room * 0.4).min(22.0 * p.refused.len() as f32 + 8.0)
    };
    ui.label(
        RichText::new(format!(
            "{} ({})",
            i18n::IMPORT_ACCEPTED.get(lang),
            p.accepted.len()
        ))
        .strong(),
    );
    if p.accepted.is_empty() {
        ui.label(i18n::IMPORT_NOTHING.get(lang));
    } else {
        egui::ScrollArea::vertical()
            .id_salt("import-accepted")
            .max_height(room - refused_room)
            .show(ui, |ui| accepted_ui(ui, lang, p, group));
    }
    if !p.refused.is_empty() {
        ui.separator();
        ui.label(
            RichText::new(format!(
                "{} ({})",
                i18n::IMPORT_REFUSED.get(lang),
                p.refused.len()
            ))
            .strong()
            .color(ui.visuals().error_fg_color),
        );
        egui::ScrollArea::vertical()
            .id_salt("import-refused")
            .max_height(refused_room)
            .show(ui, |ui| {
                for r in &p.refused {
                    ui.label(r.message(group).get(lang));
                }
            });
    }
    if !p.exempt.is_empty() {
        let rows: Vec<String> = p.exempt.iter().map(|(r, _)| r.to_string()).collect();
        ui.label(
            RichText::new(format!(
                "{}: {} {}",
                i18n::IMPORT_EXEMPT.get(lang),
                i18n::IMPORT_ROW.get(lang).to_lowercase(),
                rows.join(", ")
            ))
            .weak(),
        );
    }
    ui.separator();
    ui.horizontal(|ui| {
        let apply = egui::Button::new(format!(
            "{} ({})",
            i18n::IMPORT_APPLY.get(lang),
            p.accepted.len()
        ));
        if ui.add_enabled(!p.accepted.is_empty(), apply).clicked() {
            Some(true)
        } else if ui.button(i18n::CANCEL.get(lang)).clicked() {
            Some(false)
        } else {
            None
        }
    })
    .inner
}

/// The rows to import: the sheet's row, the cadre, the question when the group has criteria,
/// the three counts and what they replace.
fn accepted_ui(ui: &mut egui::Ui, lang: Lang, p: &CountsPreview, group: &BallotGroup) {
    let criteria = !group.criteria.is_empty();
    let show = |c: &Counts| {
        Level::ALL
            .map(|l| c.get(l).map_or_else(|| "-".to_owned(), |n| n.to_string()))
            .join(" / ")
    };
    egui::Grid::new("import-accepted-grid")
        .striped(true)
        .show(ui, |ui| {
            ui.strong(i18n::IMPORT_ROW.get(lang));
            ui.strong(i18n::NO.get(lang));
            ui.strong(i18n::NAME.get(lang));
            if criteria {
                ui.strong(i18n::CRITERION.get(lang));
            }
            for level in Level::ALL {
                ui.strong(i18n::level_short(lang, level));
            }
            ui.strong(i18n::IMPORT_NOW.get(lang));
            ui.end_row();
            for a in &p.accepted {
                let cadre = group.cadres.get(a.cadre);
                ui.label(a.row.to_string());
                ui.label((a.cadre + 1).to_string());
                ui.label(cadre.map_or("", |c| c.name.as_str()));
                if criteria {
                    ui.label(match a.question {
                        Question::Overall => i18n::OVERALL.get(lang).to_owned(),
                        Question::Criterion(k) => format!("{}", k + 1),
                    });
                }
                for level in Level::ALL {
                    ui.label(
                        a.counts
                            .get(level)
                            .map_or_else(String::new, |n| n.to_string()),
                    );
                }
                let now = cadre.and_then(|c| a.question.counts(c));
                ui.label(now.filter(|n| !n.is_empty()).map_or_else(String::new, show));
                ui.end_row();
            }
        });
}
