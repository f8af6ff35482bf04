//! Blind double entry in the app: the stage bar above the grid and the ballot screen, the
//! table of differing cells, and the transitions, run by the core ([`crate::counting`]) under
//! the operator's name.
//!
//! A transition is not an [`crate::edit::Edit`]: it clears the undo history instead, because
//! undoing across "first entry done" would bring the hidden first entry back into the grid.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use std::collections::HashMap;

use eframe::egui::{self, RichText};

use super::widgets::{group_picker, operator_id};
use super::{App, Ctx, i18n};
use crate::counting::{Cell, Difference, EntryError, EntryStage};
use crate::edit::EditError;
use crate::lifecycle::Timestamp;
use crate::model::BallotGroup;
use crate::text::{Lang, Tr};

/// A step of a group's double entry, run at the end of the frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryCommand {
    /// "Xong lần nhập thứ nhất".
    FinishFirst(usize),
    /// "Xong lần nhập thứ hai".
    FinishSecond(usize),
    /// The committee settles differing cell `index` on `value`.
    Resolve {
        /// The group.
        group: usize,
        /// The differing cell.
        index: usize,
        /// The settled value.
        value: u32,
    },
    /// "Thống nhất": every differing cell is settled.
    Settle(usize),
    /// "Nhập lại", with a reason.
    Reopen {
        /// The group.
        group: usize,
        /// Why.
        reason: String,
    },
}

/// What the screen under the stage bar may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Counts may be typed.
    Grid,
    /// Counts are shown but locked (agreed).
    Locked,
    /// The bar drew the differences table in place of the grid.
    Differences,
}

/// The double-entry panel's own state.
#[derive(Debug, Clone, Default)]
pub struct DoubleScreen {
    /// The reason typed for "Nhập lại".
    pub reason: String,
    /// Values typed for differing cells, by index.
    typed: HashMap<usize, String>,
    /// "Xong lần nhập" was clicked and waits for its confirmation: ending an entry hides its
    /// figures, so a slip of the mouse must not do it.
    confirming: Option<EntryCommand>,
}

/// The widths of the differences table's first columns: the cadre, which count, the value settled.
const W_WHO: f32 = 200.0;
const W_WHAT: f32 = 220.0;
const W_CHOSEN: f32 = 100.0;

fn stage_name(stage: &EntryStage) -> Tr {
    match stage {
        EntryStage::FirstEntry => i18n::STAGE_FIRST,
        EntryStage::SecondEntry { .. } => i18n::STAGE_SECOND,
        EntryStage::Differences { .. } => i18n::STAGE_DIFFERENCES,
        EntryStage::Agreed => i18n::STAGE_AGREED,
    }
}

impl DoubleScreen {
    /// The stage bar of the selected group (nothing when double entry is off and never
    /// started); in the differences stage, the table of differing cells too.
    pub fn bar(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>, operator: &mut String) -> View {
        let lang = cx.lang;
        let g = *cx.group;
        let Some(group) = cx.session.groups.get(g) else {
            return View::Grid;
        };
        if !cx.session.double_entry && group.entry.is_first_entry() {
            return View::Grid;
        }
        let view = match group.entry {
            EntryStage::FirstEntry | EntryStage::SecondEntry { .. } => View::Grid,
            EntryStage::Differences { .. } => View::Differences,
            EntryStage::Agreed => View::Locked,
        };
        ui.horizontal_wrapped(|ui| {
            if view != View::Grid && cx.session.groups.len() > 1 {
                // The grid's own picker is hidden or disabled in these stages.
                group_picker(ui, cx);
                ui.separator();
            }
            ui.label(
                RichText::new(stage_name(&group.entry).get(lang))
                    .strong()
                    .size(18.0),
            );
            ui.separator();
            match &group.entry {
                EntryStage::FirstEntry | EntryStage::SecondEntry { .. } => {
                    let l = ui.label(i18n::OPERATOR.get(lang));
                    ui.add(
                        egui::TextEdit::singleline(operator)
                            .id(operator_id())
                            .desired_width(200.0),
                    )
                    .labelled_by(l.id);
                    if let EntryStage::SecondEntry { first } = &group.entry {
                        ui.label(RichText::new(i18n::first_by(lang, &first.by)).weak());
                    }
                    let (label, command) = if group.entry.is_first_entry() {
                        (i18n::FINISH_FIRST, EntryCommand::FinishFirst(g))
                    } else {
                        (i18n::FINISH_SECOND, EntryCommand::FinishSecond(g))
                    };
                    if self.confirming.as_ref() == Some(&command) {
                        ui.label(
                            RichText::new(i18n::FINISH_ENTRY_ASK.get(lang))
                                .color(ui.visuals().warn_fg_color),
                        );
                        if ui.button(i18n::FINISH_ENTRY_YES.get(lang)).clicked() {
                            self.confirming = None;
                            cx.actions.push(super::Action::Entry(command));
                        }
                        if ui.button(i18n::CANCEL.get(lang)).clicked() {
                            self.confirming = None;
                        }
                    } else if ui.button(label.get(lang)).clicked() {
                        self.confirming = Some(command);
                    }
                }
                EntryStage::Differences { cells, .. } => {
                    let open = cells.iter().filter(|c| c.chosen.is_none()).count();
                    ui.label(i18n::differences_count(lang, cells.len(), open));
                }
                EntryStage::Agreed => {
                    let l = ui.label(i18n::ENTRY_REOPEN_REASON.get(lang));
                    ui.add(egui::TextEdit::singleline(&mut self.reason).desired_width(260.0))
                        .labelled_by(l.id);
                    if ui.button(i18n::REOPEN_ENTRY.get(lang)).clicked() {
                        cx.actions.push(super::Action::Entry(EntryCommand::Reopen {
                            group: g,
                            reason: self.reason.clone(),
                        }));
                    }
                }
            }
        });
        if matches!(group.entry, EntryStage::SecondEntry { .. }) {
            ui.label(RichText::new(i18n::FIRST_HIDDEN.get(lang)).weak());
        }
        if let EntryStage::Differences {
            first,
            second,
            cells,
        } = &group.entry
        {
            ui.label(i18n::entries_by(lang, &first.by, &second.by));
            self.differences_ui(ui, cx, g, group, cells);
        }
        ui.separator();
        view
    }

    /// The differing cells, one line each: the cadre, which count, the value settled so far,
    /// and the buttons that settle it (each entry's value, or another typed). Narrow enough
    /// for 1024×600 without scrolling sideways: the two entries' values are on their buttons,
    /// the operators' names once above the table, long names wrap.
    fn differences_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut Ctx<'_>,
        g: usize,
        group: &BallotGroup,
        cells: &[Difference],
    ) {
        let lang = cx.lang;
        let show = |v: Option<u32>| v.map_or_else(|| "—".to_owned(), |v| v.to_string());
        // Fixed columns, long names wrapped in theirs, every line's top aligned (a grid
        // centred a one-line cell against the last frame's height of a wrapped one).
        let cell = |ui: &mut egui::Ui, width: f32, text: RichText| {
            ui.allocate_ui_with_layout(
                egui::vec2(width, 0.0),
                egui::Layout::top_down(egui::Align::Min),
                |ui| {
                    ui.set_width(width);
                    ui.add(egui::Label::new(text).wrap());
                },
            );
        };
        egui::ScrollArea::vertical()
            .id_salt("differences")
            .max_height(ui.available_height() - 60.0)
            .show(ui, |ui| {
                ui.horizontal_top(|ui| {
                    for (h, w) in [
                        (i18n::NAME, W_WHO),
                        (i18n::DIFFERING_CELL, W_WHAT),
                        (i18n::CHOSEN, W_CHOSEN),
                    ] {
                        cell(ui, w, RichText::new(h.get(lang)).strong());
                    }
                });
                for (index, d) in cells.iter().enumerate() {
                    let (who, question, level) = describe_cell(group, d.cell, lang);
                    let what = if question.is_empty() {
                        level
                    } else {
                        format!("{question} · {level}")
                    };
                    let fill = if index % 2 == 0 {
                        ui.visuals().faint_bg_color
                    } else {
                        egui::Color32::TRANSPARENT
                    };
                    egui::Frame::new().fill(fill).show(ui, |ui| {
                        ui.horizontal_top(|ui| {
                            cell(ui, W_WHO, RichText::new(who));
                            cell(ui, W_WHAT, RichText::new(what));
                            cell(ui, W_CHOSEN, RichText::new(show(d.chosen)).strong());
                            self.settle_buttons_ui(ui, cx, (g, index), d);
                        });
                    });
                }
            });
        let open = cells.iter().any(|c| c.chosen.is_none());
        if ui
            .add_enabled(!open, egui::Button::new(i18n::SETTLE.get(lang)))
            .clicked()
        {
            cx.actions
                .push(super::Action::Entry(EntryCommand::Settle(g)));
        }
    }

    /// The buttons that settle differing cell `index`: each entry's value, or another typed.
    fn settle_buttons_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut Ctx<'_>,
        (g, index): (usize, usize),
        d: &Difference,
    ) {
        let lang = cx.lang;
        for (entry, value) in [(1, d.first), (2, d.second)] {
            if let Some(v) = value
                && ui.button(i18n::take_value(lang, entry, v)).clicked()
            {
                self.resolve(cx, g, index, v);
            }
        }
        let text = self.typed.entry(index).or_default();
        let l = ui.label(i18n::OTHER_VALUE.get(lang));
        let field = ui
            .add(egui::TextEdit::singleline(text).desired_width(56.0))
            .labelled_by(l.id);
        // Enter in the field chooses, as the button does: the value is typed, the hand stays
        // on the keyboard.
        let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let parsed = text.trim().parse::<u32>().ok();
        if (ui
            .add_enabled(parsed.is_some(), egui::Button::new(i18n::CHOOSE.get(lang)))
            .clicked()
            || enter)
            && let Some(v) = parsed
        {
            self.resolve(cx, g, index, v);
        }
    }

    fn resolve(&mut self, cx: &mut Ctx<'_>, group: usize, index: usize, value: u32) {
        self.typed.remove(&index);
        cx.actions.push(super::Action::Entry(EntryCommand::Resolve {
            group,
            index,
            value,
        }));
    }
}

/// (cadre or figure, question, level) of a differing cell, for the table.
fn describe_cell(group: &BallotGroup, cell: Cell, lang: Lang) -> (String, String, String) {
    match cell {
        Cell::VoidSheets => (
            crate::model::VoterField::VoidSheets
                .label()
                .get(lang)
                .to_owned(),
            String::new(),
            String::new(),
        ),
        Cell::Count {
            cadre,
            question,
            level,
        } => {
            let name = group
                .cadres
                .get(cadre)
                .map_or_else(|| i18n::cadre_number(lang, cadre), |c| c.name.clone());
            let q = match question.checked_sub(1) {
                None => i18n::OVERALL.get(lang).to_owned(),
                Some(k) => group.criteria.get(k).map_or_else(
                    || format!("{} {}", i18n::CRITERION.get(lang), k + 1),
                    |c| format!("{} {}: {}", i18n::CRITERION.get(lang), k + 1, c.name),
                ),
            };
            (name, q, level.label().get(lang).to_owned())
        }
    }
}

impl App {
    /// Runs a double-entry step through the core; refusals are shown. Every step is logged
    /// by the core, marks the session modified and ends the undo history.
    pub(super) fn entry_command(&mut self, command: EntryCommand) {
        let Some(doc) = &mut self.doc else {
            return;
        };
        if doc.session.is_final() {
            self.errors.push(EditError::Sealed.message());
            return;
        }
        let by = crate::text::clean_name(&self.operator);
        if by.is_empty() {
            self.errors.push(EntryError::OperatorRequired.message());
            return;
        }
        let at = Timestamp::now();
        let s = &mut doc.session;
        let result = match &command {
            EntryCommand::FinishFirst(g) => s.finish_first_entry(*g, &by, at),
            EntryCommand::FinishSecond(g) => s.finish_second_entry(*g, &by, at).map(|_| ()),
            EntryCommand::Resolve {
                group,
                index,
                value,
            } => s.resolve_difference(*group, *index, *value, &by, at),
            EntryCommand::Settle(g) => s.settle_differences(*g, &by, at),
            EntryCommand::Reopen { group, reason } => s.reopen_entry(*group, &by, at, reason),
        };
        match result {
            Ok(()) => {
                doc.touch();
                doc.history.clear();
                self.generation += 1;
                if !matches!(command, EntryCommand::Resolve { .. }) {
                    // A running ballot count belongs to the stage it was started in.
                    self.restart_ballot_count();
                }
                if matches!(command, EntryCommand::Reopen { .. }) {
                    self.double.reason.clear();
                }
            }
            Err(e) => self.errors.push(e.message()),
        }
    }
}
