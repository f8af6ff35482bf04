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
        let line = ROW_H + ui.spacing().item_spacing.y;
        (room * 0.4).min(line * p.refused.len() as f32 + 8.0)
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
        accepted_ui(ui, lang, p, group, room - refused_room);
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
        // Only the lines in sight are laid out: a sheet of 500 rows costs a frame no more
        // than one of 5.
        egui::ScrollArea::vertical()
            .id_salt("import-refused")
            .max_height(refused_room)
            .auto_shrink([false, true])
            .show_rows(ui, ROW_H, p.refused.len(), |ui, rows| {
                for r in &p.refused[rows] {
                    let text = r.message(group).get(lang).to_owned();
                    ui.add_sized(
                        [ui.available_width(), ROW_H],
                        egui::Label::new(&text).truncate(),
                    )
                    .on_hover_text(text);
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
    let apply = format!("{} ({})", i18n::IMPORT_APPLY.get(lang), p.accepted.len());
    super::widgets::confirm_or_cancel(ui, !p.accepted.is_empty(), apply, lang)
}

/// Height of a line of the lists.
const ROW_H: f32 = 20.0;

/// Column widths of the rows to import: row, STT, name, criterion, three counts, now. A
/// count's column is widened to its title ([`accepted_ui`]).
const WIDTHS: [f32; 8] = [48.0, 40.0, 240.0, 110.0, 56.0, 56.0, 56.0, 110.0];

/// The rows to import, `height` points at most: the sheet's row, the cadre, the question when
/// the group has criteria, the three counts and what they replace. Only the lines in sight are
/// laid out. Each count's column is as wide as its title at least: the law's words ("Tín
/// nhiệm thấp") cut to fit read "Tín nhi…" three times.
fn accepted_ui(ui: &mut egui::Ui, lang: Lang, p: &CountsPreview, group: &BallotGroup, height: f32) {
    let criteria = !group.criteria.is_empty();
    let levels = Level::ALL.map(|l| i18n::level_short(lang, l).to_owned());
    let font = egui::TextStyle::Body.resolve(ui.style());
    let mut widths = WIDTHS;
    for (k, title) in levels.iter().enumerate() {
        let w = ui.fonts_mut(|f| {
            f.layout_no_wrap(title.clone(), font.clone(), egui::Color32::PLACEHOLDER)
                .size()
                .x
        });
        widths[4 + k] = widths[4 + k].max(w + 8.0);
    }
    let show = |c: &Counts| {
        Level::ALL
            .map(|l| c.get(l).map_or_else(|| "-".to_owned(), |n| n.to_string()))
            .join(" / ")
    };
    let line = |ui: &mut egui::Ui, cells: [String; 8], strong: bool| {
        ui.horizontal(|ui| {
            for (k, (text, w)) in cells.into_iter().zip(widths).enumerate() {
                if k == 3 && !criteria {
                    continue;
                }
                let text = if strong {
                    RichText::new(text).strong()
                } else {
                    RichText::new(text)
                };
                ui.add_sized([w, ROW_H], egui::Label::new(text).truncate());
            }
        });
    };
    let [high, medium, low] = levels;
    line(
        ui,
        [
            i18n::IMPORT_ROW.get(lang).to_owned(),
            i18n::NO.get(lang).to_owned(),
            i18n::NAME.get(lang).to_owned(),
            i18n::CRITERION.get(lang).to_owned(),
            high,
            medium,
            low,
            i18n::IMPORT_NOW.get(lang).to_owned(),
        ],
        true,
    );
    egui::ScrollArea::vertical()
        .id_salt("import-accepted")
        .max_height(height)
        .auto_shrink([false, true])
        .show_rows(ui, ROW_H, p.accepted.len(), |ui, rows| {
            for a in &p.accepted[rows] {
                let cadre = group.cadres.get(a.cadre);
                let count = |l: Level| a.counts.get(l).map_or_else(String::new, |n| n.to_string());
                let now = cadre.and_then(|c| a.question.counts(c));
                line(
                    ui,
                    [
                        a.row.to_string(),
                        (a.cadre + 1).to_string(),
                        cadre.map_or_else(String::new, |c| c.name.clone()),
                        match a.question {
                            Question::Overall => i18n::OVERALL.get(lang).to_owned(),
                            Question::Criterion(k) => format!("{}", k + 1),
                        },
                        count(Level::High),
                        count(Level::Medium),
                        count(Level::Low),
                        now.filter(|n| !n.is_empty()).map_or_else(String::new, show),
                    ],
                    false,
                );
            }
        });
}
