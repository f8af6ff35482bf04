//! The entry grid: cadres × questions × (cao, tín nhiệm, thấp), with the derived sum and
//! invalid lines, column totals, and every finding of the core next to its cell and in a list.
//!
//! Keyboard as in a spreadsheet: Enter moves down, Tab right (Shift: back), arrows move; only
//! digits are accepted. Only the visible rows are laid out, so 500 cadres scroll smoothly.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use std::ops::Range;

use eframe::egui::{
    self, Color32, Id, Key, Label, Modifiers, RichText, Sense, TextEdit, text::CCursorRange,
};

use super::widgets::group_picker;
use super::widgets::{cell_label, mark, parse_count, voter_field};
use super::{Action, Ctx, i18n};
use crate::edit::{Edit, Question, VoterField};
use crate::model::{BallotGroup, CadreField, FieldPath, Level};
use crate::validate::{Code, Severity};

/// Height of a grid row, without spacing.
pub const ROW_H: f32 = 24.0;
const W_NO: f32 = 36.0;
const W_NAME: f32 = 220.0;
const W_CELL: f32 = 64.0;
const W_DERIVED: f32 = 52.0;

/// A count cell, as a validation path names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CellTarget {
    /// The ballot group.
    pub group: usize,
    /// The cadre.
    pub cadre: usize,
    /// The question.
    pub question: Question,
    /// The level (the first one when the finding is about the whole question).
    pub level: Level,
}

impl CellTarget {
    /// The cell a finding's field is in: a count, or a question's first count; `None` for
    /// fields that are not about counts.
    #[must_use]
    pub fn of(path: &FieldPath) -> Option<Self> {
        let FieldPath::Cadre {
            group,
            cadre,
            field,
        } = *path
        else {
            return None;
        };
        let (question, level) = match field {
            CadreField::Count(q, level) => (q, level),
            CadreField::Question(q) => (q, Level::High),
            _ => return None,
        };
        Some(Self {
            group,
            cadre,
            question,
            level,
        })
    }

    fn column(&self) -> usize {
        self.question.index() * 3 + level_index(self.level)
    }
}

fn level_index(level: Level) -> usize {
    match level {
        Level::High => 0,
        Level::Medium => 1,
        Level::Low => 2,
    }
}

/// A field of cadre `cadre` in group `group`.
fn cadre_path(group: usize, cadre: usize, field: CadreField) -> FieldPath {
    FieldPath::Cadre {
        group,
        cadre,
        field,
    }
}

/// The egui id of a count cell: stable, so focus can be moved to it.
#[must_use]
pub fn cell_id(group: usize, cadre: usize, column: usize) -> Id {
    Id::unique(("count-cell", group, cadre, column))
}

/// The entry screen's own state: where the keyboard is.
#[derive(Debug, Clone, Default)]
pub struct EntryScreen {
    /// Whether "not entered" findings are listed too.
    pub show_missing: bool,
    /// The cell (cadre, column) that has the keyboard, if any.
    pub focused: Option<(usize, usize)>,
    focus_request: Option<(usize, usize)>,
    /// The text typed in the focused cell, digits as typed ("007").
    typed: Option<((usize, usize), String)>,
    scroll_to: Option<usize>,
    visible: Range<usize>,
}

impl EntryScreen {
    /// Moves the keyboard to a cell (scrolling it into view).
    pub fn focus_cell(&mut self, target: CellTarget) {
        self.focus_request = Some((target.cadre, target.column()));
        self.scroll_to = Some(target.cadre);
    }

    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        let g = *cx.group;
        let Some(group) = cx.session.groups.get(g) else {
            return;
        };
        ui.horizontal_wrapped(|ui| {
            if cx.session.groups.len() > 1 {
                group_picker(ui, cx);
                ui.separator();
            }
            voters_ui(ui, cx, g, group);
            // Only where counts can change: in a sealed or agreed grid (drawn disabled, in a
            // fade that keeps it readable) the button looked like any other and did nothing.
            if ui.is_enabled() {
                ui.separator();
                if ui
                    .button(i18n::IMPORT_COUNTS.get(lang))
                    .on_hover_text(i18n::IMPORT_COUNTS_HELP.get(lang))
                    .clicked()
                {
                    cx.actions.push(Action::ImportCountsDialog);
                }
            }
        });
        ui.label(RichText::new(i18n::ENTRY_HELP.get(lang)).weak());
        egui::Panel::right("findings")
            .resizable(true)
            .default_size(300.0)
            .show(ui, |ui| self.findings_ui(ui, cx));
        self.keys(ui, g, group);
        self.grid_ui(ui, cx, g, group);
    }

    /// Keyboard moves between cells, taken before the text fields see the keys.
    fn keys(&mut self, ui: &mut egui::Ui, g: usize, group: &BallotGroup) {
        let Some((row, col)) = self.focused else {
            return;
        };
        let cols = 3 * (1 + group.criteria.len());
        let counted = |r: usize| group.cadres.get(r).is_some_and(|c| c.exemption.is_none());
        let next_row = |from: usize, down: bool| -> Option<usize> {
            let mut r = from;
            loop {
                r = if down {
                    r.checked_add(1)?
                } else {
                    r.checked_sub(1)?
                };
                if r >= group.cadres.len() {
                    return None;
                }
                if counted(r) {
                    return Some(r);
                }
            }
        };
        let (down, up, right, left) = ui.input_mut(|i| {
            let back_tab = i.consume_key(Modifiers::SHIFT, Key::Tab);
            let tab = i.consume_key(Modifiers::NONE, Key::Tab);
            let up_enter = i.consume_key(Modifiers::SHIFT, Key::Enter);
            let enter = i.consume_key(Modifiers::NONE, Key::Enter);
            let down = i.consume_key(Modifiers::NONE, Key::ArrowDown);
            let up = i.consume_key(Modifiers::NONE, Key::ArrowUp);
            let right = i.consume_key(Modifiers::NONE, Key::ArrowRight);
            let left = i.consume_key(Modifiers::NONE, Key::ArrowLeft);
            (
                enter || down,
                up_enter || up,
                tab || right,
                back_tab || left,
            )
        });
        let target = if down {
            next_row(row, true).map(|r| (r, col))
        } else if up {
            next_row(row, false).map(|r| (r, col))
        } else if right {
            if col + 1 < cols {
                Some((row, col + 1))
            } else {
                next_row(row, true).map(|r| (r, 0))
            }
        } else if left {
            if col > 0 {
                Some((row, col - 1))
            } else {
                next_row(row, false).map(|r| (r, cols - 1))
            }
        } else {
            None
        };
        if down || up || right || left {
            // The grid moves the keyboard itself: egui must not also move it to whatever
            // widget lies that way (it would, for an arrow read before the cell took the key).
            ui.memory_mut(|m| m.move_focus(egui::FocusDirection::None));
        }
        if let Some((r, c)) = target {
            self.focus_request = Some((r, c));
            self.scroll_to = Some(r);
        } else if down || up || right || left {
            // At the grid's edge the keyboard stays in its cell, as in a spreadsheet.
            let id = cell_id(g, row, col);
            ui.memory_mut(|m| m.request_focus(id));
        }
    }

    fn grid_ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>, g: usize, group: &BallotGroup) {
        let nq = 1 + group.criteria.len();
        let focused_before = self.focused.take();
        egui::ScrollArea::horizontal()
            .id_salt("entry-h")
            .auto_shrink(false)
            .show(ui, |ui| {
                header_ui(ui, cx, group);
                let spacing = ui.spacing().item_spacing.y;
                let footer = ROW_H + 2.0 * spacing + 8.0;
                let mut area = egui::ScrollArea::vertical()
                    .id_salt("entry-v")
                    .auto_shrink(false)
                    .max_height((ui.available_height() - footer).max(ROW_H * 3.0));
                if let Some(row) = self.scroll_to.take()
                    && !(self.visible.start < row && row + 1 < self.visible.end)
                {
                    let y = row as f32 * (ROW_H + spacing) - 3.0 * ROW_H;
                    area = area.vertical_scroll_offset(y.max(0.0));
                }
                area.show_rows(ui, ROW_H, group.cadres.len(), |ui, rows| {
                    self.visible = rows.clone();
                    for i in rows {
                        self.row_ui(ui, cx, g, group, i, nq);
                    }
                });
                totals_ui(ui, cx, group, nq);
            });
        if self.focused.is_none() && self.focus_request.is_some() {
            // The requested cell is not laid out yet: keep the keyboard where it was.
            self.focused = focused_before;
        }
    }

    fn row_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut Ctx<'_>,
        g: usize,
        group: &BallotGroup,
        i: usize,
        nq: usize,
    ) {
        let lang = cx.lang;
        let c = &group.cadres[i];
        let valid = group.voters.valid_sheets();
        ui.horizontal(|ui| {
            ui.add_sized([W_NO, ROW_H], Label::new(format!("{}", i + 1)));
            let name = cell_label(ui, [W_NAME, ROW_H], &c.name).on_hover_text(&c.position);
            mark(
                ui,
                &name,
                cx.derived,
                &cadre_path(g, i, CadreField::Name),
                lang,
            );
            if let Some(reason) = &c.exemption {
                ui.label(
                    RichText::new(format!("{}: {reason}", i18n::EXEMPT_ROW.get(lang))).italics(),
                );
                return;
            }
            for q in 0..nq {
                let question = Question::at(q);
                let counts = question.counts(c).copied().unwrap_or_default();
                let qpath = cadre_path(g, i, CadreField::Question(question));
                for level in Level::ALL {
                    let col = q * 3 + level_index(level);
                    let value = counts.get(level);
                    self.cell_ui(ui, cx, (g, i, col), (question, level), value, &c.name);
                }
                let sum = counts.sum().map_or_else(String::new, |s| s.to_string());
                let r = ui.add_sized([W_DERIVED, ROW_H], Label::new(RichText::new(sum).strong()));
                mark(ui, &r, cx.derived, &qpath, lang);
                let invalid = valid
                    .and_then(|v| counts.invalid_lines(v))
                    .map_or_else(String::new, |n| n.to_string());
                // Not weak: a locked grid fades it, and it must stay readable
                // ([`super::contrast`]).
                ui.add_sized([W_DERIVED, ROW_H], Label::new(invalid))
                    .on_hover_text(i18n::INVALID_HELP.get(lang));
            }
        });
    }

    fn cell_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut Ctx<'_>,
        (g, i, col): (usize, usize, usize),
        (question, level): (Question, Level),
        value: Option<u32>,
        cadre_name: &str,
    ) {
        let lang = cx.lang;
        let id = cell_id(g, i, col);
        let path = cadre_path(g, i, CadreField::Count(question, level));
        let mut shown = value.map(|v| v.to_string()).unwrap_or_default();
        if self.focus_request == Some((i, col)) {
            self.focus_request = None;
            self.typed = None;
            let mut state = TextEdit::load_state(ui.ctx(), id).unwrap_or_default();
            state
                .cursor
                .set_char_range(Some(CCursorRange::select_all_str(&shown)));
            TextEdit::store_state(ui.ctx(), id, state);
            ui.memory_mut(|m| m.request_focus(id));
        }
        // The cell being typed in shows what was typed ("007"), not the number it makes: a
        // Backspace then deletes what the person sees, whether the keys came one a frame or
        // all in one (the outcome never depends on the typing speed). Any other change of the
        // value (undo) shows the value.
        let focused = ui.memory(|m| m.has_focus(id));
        match &self.typed {
            Some((at, text))
                if *at == (i, col) && focused && parse_count(text).ok() == Some(value) =>
            {
                shown.clone_from(text);
            }
            Some((at, _)) if *at == (i, col) => self.typed = None,
            _ => {}
        }
        super::widgets::clamp_cursor(ui.ctx(), id, &shown);
        let bad = cx.derived.marks(&path).next().is_some();
        let mut buf = shown.clone();
        let mut edit = TextEdit::singleline(&mut buf)
            .id(id)
            .align(egui::Align2::RIGHT_CENTER)
            .lock_focus(true);
        if bad {
            edit = edit
                .text_color(ui.visuals().error_fg_color)
                .background_color(Color32::from_rgba_unmultiplied(255, 0, 0, 40));
        }
        let criterion = match Question::at(col / 3) {
            Question::Overall => None,
            Question::Criterion(k) => Some(k),
        };
        let r = ui
            .add_sized([W_CELL, ROW_H], edit)
            .accessible_name(i18n::cell_name(lang, level.label(), criterion, cadre_name));
        if r.has_focus() {
            self.focused = Some((i, col));
        }
        if r.changed() && buf != shown {
            // Digits only, and a number that fits; anything else is not taken.
            let digits: String = buf.chars().filter(char::is_ascii_digit).collect();
            if parse_count(&digits).is_ok() {
                self.typed = Some(((i, col), digits));
            }
        }
        if r.changed()
            && buf != shown
            && let Ok(v) = parse_count(&buf)
            && v != value
        {
            cx.edits.push(Edit::SetCount {
                group: g,
                cadre: i,
                question: Question::at(col / 3),
                level,
                value: v,
            });
        }
        mark(ui, &r, cx.derived, &path, lang);
    }

    fn findings_ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        let findings = &cx.derived.findings;
        ui.heading(i18n::FINDINGS.get(lang));
        let errors = findings.errors().count();
        let warnings = findings.warnings().count();
        ui.label(i18n::findings_count(lang, errors, warnings));
        let missing: Vec<usize> = (0..findings.0.len())
            .filter(|&k| findings.0[k].code == Code::CountMissing)
            .collect();
        if let Some(&first) = missing.first() {
            ui.label(i18n::missing_cells(lang, missing.len()));
            if ui.button(i18n::FIRST_MISSING.get(lang)).clicked() {
                cx.actions.push(Action::Focus(findings.0[first].path));
            }
            ui.checkbox(&mut self.show_missing, i18n::SHOW_MISSING.get(lang));
        }
        ui.separator();
        let shown: Vec<usize> = (0..findings.0.len())
            .filter(|&k| self.show_missing || findings.0[k].code != Code::CountMissing)
            .collect();
        if shown.is_empty() {
            // The list agrees with the counter: "no error" only when there is none.
            if findings.0.is_empty() {
                ui.label(i18n::NO_FINDINGS.get(lang));
            } else {
                ui.label(i18n::ONLY_MISSING.get(lang));
            }
            return;
        }
        findings_list_ui(ui, cx, &shown);
    }
}

/// The findings `shown` (indices into the session's), each whole, wrapped to the panel's
/// width (a finding cut with "…" hid what to fix); only those in sight are drawn, so a list
/// of every empty cell of 500 cadres scrolls as smoothly as the grid. Words first, the stable
/// code in the tooltip; an error reads as one (red, "Lỗi:"), a warning as a warning (amber,
/// italic, "Lưu ý:"). A click shows the field.
fn findings_list_ui(ui: &mut egui::Ui, cx: &mut Ctx<'_>, shown: &[usize]) {
    let lang = cx.lang;
    let findings = &cx.derived.findings;
    let gap = ui.spacing().item_spacing.y;
    let width = (ui.available_width() - ui.spacing().scroll.allocated_width()).max(40.0);
    let galleys: Vec<_> = shown
        .iter()
        .map(|&k| {
            let f = &findings.0[k];
            let (color, kind) = match f.severity {
                Severity::Error => (ui.visuals().error_fg_color, i18n::ERROR_MARK),
                Severity::Warning => (ui.visuals().warn_fg_color, i18n::WARNING_MARK),
            };
            let mut text =
                RichText::new(format!("{} {}", kind.get(lang), f.message.get(lang))).color(color);
            if f.severity == Severity::Warning {
                text = text.italics();
            }
            let mut job = egui::WidgetText::from(text).into_layout_job(
                ui.style(),
                egui::FontSelection::Default,
                egui::Align::Min,
            );
            let job = std::sync::Arc::make_mut(&mut job);
            job.wrap.max_width = width;
            ui.ctx().fonts_mut(|fonts| fonts.layout_job(job.clone()))
        })
        .collect();
    let mut tops = Vec::with_capacity(galleys.len() + 1);
    let mut y = 0.0;
    for g in &galleys {
        tops.push(y);
        y += g.size().y + gap;
    }
    let total = y;
    egui::ScrollArea::vertical()
        .id_salt("findings-list")
        .auto_shrink(false)
        .show_viewport(ui, |ui, viewport| {
            ui.set_height(total);
            ui.set_width(width);
            let origin = ui.min_rect().min;
            let first = tops
                .partition_point(|&t| t < viewport.min.y)
                .saturating_sub(1);
            for (i, galley) in galleys.iter().enumerate().skip(first) {
                let top = tops[i];
                if top > viewport.max.y {
                    break;
                }
                let f = &findings.0[shown[i]];
                let rect = egui::Rect::from_min_size(origin + egui::vec2(0.0, top), galley.size());
                let r = ui
                    .put(
                        rect,
                        Label::new(galley.clone())
                            .sense(Sense::click())
                            .halign(egui::Align::Min),
                    )
                    .on_hover_text(format!(
                        "{}\n({}: {})",
                        f.message.get(lang),
                        i18n::CODE.get(lang),
                        f.code
                    ));
                if r.clicked() {
                    cx.actions.push(Action::Focus(f.path));
                }
            }
        });
}

fn voters_ui(ui: &mut egui::Ui, cx: &mut Ctx<'_>, g: usize, group: &BallotGroup) {
    let lang = cx.lang;
    for f in VoterField::ALL {
        voter_field(ui, cx, (g, &group.voters), f, 56.0);
    }
    let valid = group
        .voters
        .valid_sheets()
        .map_or_else(|| "—".to_owned(), |v| v.to_string());
    ui.label(RichText::new(format!("{}: {valid}", i18n::VALID_SHEETS.get(lang))).strong());
}

fn header_ui(ui: &mut egui::Ui, cx: &Ctx<'_>, group: &BallotGroup) {
    let lang = cx.lang;
    let spacing = ui.spacing().item_spacing.x;
    let block = 3.0 * W_CELL + 2.0 * W_DERIVED + 4.0 * spacing;
    ui.horizontal(|ui| {
        ui.add_space(W_NO + W_NAME + 2.0 * spacing);
        for q in 0..1 + group.criteria.len() {
            let title = match Question::at(q) {
                Question::Overall => i18n::OVERALL.get(lang).to_owned(),
                Question::Criterion(k) => group
                    .criteria
                    .get(k)
                    .map(|c| format!("{} {}: {}", i18n::CRITERION.get(lang), k + 1, c.name))
                    .unwrap_or_default(),
            };
            ui.add_sized(
                [block, ROW_H],
                Label::new(RichText::new(&title).strong()).truncate(),
            )
            .on_hover_text(&title);
        }
    });
    // Whole words, on two lines where a column is narrow ("Tín nhiệm / thấp", "Không / hợp
    // lệ"), never an abbreviation to decode.
    let head = |ui: &mut egui::Ui, w: f32, t: &str| {
        ui.allocate_ui_with_layout(
            egui::vec2(w, ROW_H),
            egui::Layout::top_down(egui::Align::Center),
            |ui| {
                ui.set_width(w);
                ui.add(
                    Label::new(RichText::new(t).strong())
                        .wrap()
                        .halign(egui::Align::Center),
                )
            },
        )
        .inner
    };
    ui.horizontal(|ui| {
        head(ui, W_NO, i18n::NO.get(lang));
        head(ui, W_NAME, i18n::NAME.get(lang));
        for _ in 0..1 + group.criteria.len() {
            for level in Level::ALL {
                head(ui, W_CELL, i18n::level_short(lang, level));
            }
            head(ui, W_DERIVED, i18n::SUM.get(lang));
            head(ui, W_DERIVED, i18n::INVALID_LINES.get(lang))
                .on_hover_text(i18n::INVALID_HELP.get(lang));
        }
    });
}

/// Column totals over the cadres on the ballot (a reading aid: they decide nothing).
fn totals_ui(ui: &mut egui::Ui, cx: &Ctx<'_>, group: &BallotGroup, nq: usize) {
    let lang = cx.lang;
    ui.separator();
    ui.horizontal(|ui| {
        ui.add_sized([W_NO, ROW_H], Label::new(""));
        ui.add_sized(
            [W_NAME, ROW_H],
            Label::new(RichText::new(i18n::COLUMN_TOTALS.get(lang)).strong()),
        );
        for q in 0..nq {
            let question = Question::at(q);
            for level in Level::ALL {
                let total: u64 = group
                    .cadres
                    .iter()
                    .filter(|c| c.exemption.is_none())
                    .filter_map(|c| question.counts(c).and_then(|n| n.get(level)))
                    .map(u64::from)
                    .sum();
                ui.add_sized(
                    [W_CELL, ROW_H],
                    Label::new(RichText::new(total.to_string()).strong()),
                );
            }
            ui.add_sized([W_DERIVED, ROW_H], Label::new(""));
            ui.add_sized([W_DERIVED, ROW_H], Label::new(""));
        }
    });
}
