//! Ballot by ballot: one paper ballot at a time, in type large enough for a projector.
//!
//! The lines are those of the printed ballot: each cadre's overall question, then, when the
//! group asks them, one line per criterion.
//!
//! The running count is a [`BallotCounter`] kept here, in memory only: the marks of a ballot
//! live until the next one is confirmed (so Backspace can take it back once), and only the
//! running totals reach the session, through one [`Edit::SetBallotTotals`] per ballot so that
//! undo, autosave and the audit log apply as for typed counts.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use eframe::egui::{self, Color32, Key, Label, Modifiers, RichText, Sense};

use super::double::{DoubleScreen, View, operator_id};
use super::widgets::group_picker;
use super::{Action, Ctx, Screen, i18n};
use crate::counting::{BallotCounter, Line, Mark};
use crate::edit::Edit;
use crate::model::{BallotGroup, Counts, Level};
use crate::text::Lang;

/// Type size of the ballot lines.
const BIG: f32 = 26.0;
/// Type size of the running figures.
const HUGE: f32 = 32.0;

/// The ballot screen's state.
#[derive(Debug, Clone, Default)]
pub struct BallotScreen {
    /// The count under way and its group.
    count: Option<(usize, BallotCounter)>,
    /// Whether the count has written its totals into the session yet.
    written: bool,
    /// Backspace was pressed with nothing to take back.
    no_undo: bool,
    /// The ballot the count started on.
    layout: BallotLayout,
    /// The group's counts when the count started ([`held_counts`]).
    held: HeldCounts,
    /// Each ballot line's height as last drawn, so that lines out of sight need not be laid
    /// out.
    heights: LineHeights,
    /// Why the count ends before every collected sheet is counted.
    end_reason: String,
}

/// The id of the field for the reason of ending a count early (the ballot keys leave it be).
fn end_reason_id() -> egui::Id {
    egui::Id::unique("ballot-end-reason")
}

/// Ballot lines' heights as last drawn (0 = not yet), for one width of the name column and
/// one language (either changes how labels wrap).
#[derive(Debug, Clone, Default)]
struct LineHeights {
    key: Option<(u32, Lang)>,
    of: Vec<f32>,
}

impl LineHeights {
    fn for_layout(&mut self, name_width: f32, lang: Lang, lines: usize) -> &mut Vec<f32> {
        let key = Some((name_width.to_bits(), lang));
        if self.key != key {
            self.key = key;
            self.of.clear();
        }
        self.of.resize(lines, 0.0);
        &mut self.of
    }
}

/// A group's void sheets and every cadre's counts (all questions).
type HeldCounts = (Option<u32>, Vec<Vec<Counts>>);

/// What decides which line of the paper ballot a mark belongs to: the cadres in order (by
/// name), who is exempt (not on the paper), the criteria in order. A count is only good for
/// the ballot it started on: a cadre moved in the setup would otherwise receive the marks
/// read for another. A name corrected in place (a typo) keeps the ballot the same.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct BallotLayout {
    cadres: Vec<(String, bool)>,
    criteria: Vec<String>,
}

impl BallotLayout {
    fn of(group: &BallotGroup) -> Self {
        Self {
            cadres: group
                .cadres
                .iter()
                .map(|c| (c.name.clone(), c.exemption.is_some()))
                .collect(),
            criteria: group.criteria.iter().map(|k| k.name.clone()).collect(),
        }
    }

    /// Whether `group` still has this ballot: same lengths, same exemptions, and no name now
    /// standing where another line's name stood (a move); a name edited in place is fine.
    fn same_ballot(&self, group: &BallotGroup) -> bool {
        let moved = |old: &[&str], new: &[&str]| {
            old.len() != new.len()
                || new.iter().enumerate().any(|(i, name)| {
                    old[i] != *name && old.iter().enumerate().any(|(j, o)| j != i && o == name)
                })
        };
        let old: Vec<&str> = self.cadres.iter().map(|(n, _)| n.as_str()).collect();
        let new: Vec<&str> = group.cadres.iter().map(|c| c.name.as_str()).collect();
        let old_k: Vec<&str> = self.criteria.iter().map(String::as_str).collect();
        let new_k: Vec<&str> = group.criteria.iter().map(|k| k.name.as_str()).collect();
        !moved(&old, &new)
            && !moved(&old_k, &new_k)
            && self
                .cadres
                .iter()
                .zip(&group.cadres)
                .all(|((_, exempt), c)| *exempt == c.exemption.is_some())
    }
}

fn held_counts(group: &BallotGroup) -> HeldCounts {
    (group.voters.void_sheets, group.all_counts())
}

/// Whether a group already holds counts a fresh count would replace.
fn has_counts(group: &BallotGroup) -> bool {
    group.voters.void_sheets.is_some()
        || group
            .cadres
            .iter()
            .filter(|c| c.exemption.is_none())
            .any(|c| c.questions().iter().any(|q| !q.is_empty()))
}

/// Whether the group's counts are still the counter's totals (undo or the grid may have
/// changed them).
fn in_sync(counter: &BallotCounter, group: &BallotGroup) -> bool {
    group.voters.void_sheets == Some(counter.void_sheets())
        && counter.cadre_totals().iter().all(|(i, qs)| {
            group
                .cadres
                .get(*i)
                .is_some_and(|c| c.exemption.is_none() && c.questions() == *qs)
        })
        && group
            .cadres
            .iter()
            .filter(|c| c.exemption.is_none())
            .count()
            == counter.positions().len()
}

/// The edit that writes the counter's totals into group `g`.
fn totals_edit(g: usize, counter: &BallotCounter) -> Edit {
    Edit::SetBallotTotals {
        group: g,
        counts: counter.cadre_totals(),
        void_sheets: counter.void_sheets(),
        sheets: counter.sheets_entered(),
    }
}

fn mark_text(mark: Option<Mark>, lang: Lang) -> String {
    match mark {
        None => "·".to_owned(),
        Some(Mark::High) => Level::High.label().get(lang).to_owned(),
        Some(Mark::Medium) => Level::Medium.label().get(lang).to_owned(),
        Some(Mark::Low) => Level::Low.label().get(lang).to_owned(),
        Some(Mark::Invalid) => i18n::BALLOT_INVALID.get(lang).to_owned(),
    }
}

impl BallotScreen {
    /// The count under way, if any (for tests).
    #[must_use]
    pub fn counter(&self) -> Option<&BallotCounter> {
        self.count.as_ref().map(|(_, c)| c)
    }

    fn start(&mut self, g: usize, group: &BallotGroup) {
        self.count = Some((g, BallotCounter::new(group)));
        self.written = false;
        self.no_undo = false;
        self.layout = BallotLayout::of(group);
        self.held = held_counts(group);
        self.heights = LineHeights::default();
    }

    /// Before the count has written anything: if the ballot changed in the setup (a cadre
    /// added, moved or exempted, a criterion added) or counts were typed in the grid
    /// meanwhile, drops the count; it starts again on the new lines, asking first if the
    /// group now holds counts a fresh count would replace.
    fn restart_if_stale(&mut self, group: &BallotGroup) {
        if self.count.is_some()
            && !self.written
            && (!self.layout.same_ballot(group) || held_counts(group) != self.held)
        {
            self.count = None;
        }
    }

    /// Why the count cannot go on as it is, and the two ways on: a fresh count of group `g`
    /// from zero, or back to the grid.
    fn offer_fresh(
        &mut self,
        ui: &mut egui::Ui,
        actions: &mut Vec<Action>,
        (g, group): (usize, &BallotGroup),
        text: RichText,
        lang: Lang,
    ) {
        ui.label(text);
        ui.horizontal(|ui| {
            if ui.button(i18n::BALLOT_FRESH.get(lang)).clicked() {
                self.start(g, group);
            }
            if ui.button(i18n::BALLOT_BACK.get(lang)).clicked() {
                actions.push(Action::GoTo(Screen::Entry));
            }
        });
    }

    /// Draws the screen and takes its keys.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut Ctx<'_>,
        double: &mut DoubleScreen,
        operator: &mut String,
    ) {
        let lang = cx.lang;
        if double.bar(ui, cx, operator) != View::Grid {
            ui.label(RichText::new(i18n::BALLOT_LOCKED.get(lang)).size(BIG));
            return;
        }
        let g = *cx.group;
        ui.horizontal(|ui| {
            if cx.session.groups.len() > 1 {
                group_picker(ui, cx);
                ui.separator();
            }
        });
        let Some(group) = cx.session.groups.get(*cx.group) else {
            return;
        };
        ui.label(
            RichText::new(format!("{}: {}", i18n::BALLOT_TITLE.get(lang), group.name))
                .size(BIG)
                .strong(),
        );
        if self.count.as_ref().is_some_and(|(cg, _)| *cg != g) {
            self.count = None;
        }
        self.restart_if_stale(group);
        if self.count.is_none() {
            if has_counts(group) {
                let text = RichText::new(i18n::BALLOT_HAS_COUNTS.get(lang)).size(20.0);
                self.offer_fresh(ui, cx.actions, (g, group), text, lang);
                return;
            }
            self.start(g, group);
        }
        let Some((_, counter)) = &mut self.count else {
            return;
        };
        if counter.positions().is_empty() {
            ui.label(RichText::new(i18n::BALLOT_NO_CADRES.get(lang)).size(BIG));
            return;
        }
        let same_ballot = self.layout.same_ballot(group);
        if self.written && !(same_ballot && in_sync(counter, group)) {
            let why = if same_ballot {
                i18n::BALLOT_OUT_OF_SYNC
            } else {
                i18n::BALLOT_CHANGED
            };
            let text = RichText::new(why.get(lang))
                .size(20.0)
                .color(ui.visuals().error_fg_color);
            self.offer_fresh(ui, cx.actions, (g, group), text, lang);
            return;
        }
        let cursor = counter.cursor();
        let mut changed = keys(ui, counter, &mut self.no_undo);
        // Keep the line being read in view when the keys move it (long ballots with criteria).
        let follow = counter.cursor() != cursor;
        figures_ui(ui, counter, group, lang);
        let entered = counter.sheets_entered();
        ui.label(RichText::new(i18n::BALLOT_KEYS.get(lang)).weak());
        ui.separator();
        ui.label(
            RichText::new(i18n::ballot_number(lang, entered + 1))
                .size(BIG)
                .strong(),
        );
        if counter.void_marked() {
            ui.label(
                RichText::new(i18n::BALLOT_VOID_MARKED.get(lang))
                    .size(BIG)
                    .strong()
                    .color(ui.visuals().error_fg_color),
            );
        }
        lines_ui(ui, (counter, &mut self.heights), group, lang, follow);
        changed |= buttons_ui(ui, counter, &mut self.no_undo, lang);
        if changed {
            cx.edits.push(totals_edit(g, counter));
            self.written = true;
        }
        if self.written {
            let sheets = counter.sheets_entered();
            if self.end_ui(ui, (g, sheets, group.voters.collected), cx.edits, lang) {
                self.count = None;
                self.end_reason.clear();
            }
        }
    }

    /// Ending the count: at once when every collected sheet is counted, otherwise with a
    /// stated reason (logged), after which the figures are typed from the paper. Returns
    /// whether it ended.
    fn end_ui(
        &mut self,
        ui: &mut egui::Ui,
        (g, sheets, collected): (usize, u32, Option<u32>),
        edits: &mut Vec<Edit>,
        lang: Lang,
    ) -> bool {
        ui.separator();
        let mut end = |reason: String| {
            edits.push(Edit::EndBallotCount {
                group: g,
                sheets,
                reason,
            });
            true
        };
        if collected == Some(sheets) {
            return ui
                .button(RichText::new(i18n::ballot_end(lang, sheets)).size(20.0))
                .clicked()
                && end(String::new());
        }
        let mut ended = false;
        ui.horizontal(|ui| {
            let l = ui.label(i18n::BALLOT_END_REASON.get(lang));
            ui.add(
                egui::TextEdit::singleline(&mut self.end_reason)
                    .id(end_reason_id())
                    .desired_width(360.0),
            )
            .labelled_by(l.id);
            let reason = crate::text::clean_name(&self.end_reason);
            let r = ui.add_enabled(
                !reason.is_empty(),
                egui::Button::new(i18n::BALLOT_END_EARLY.get(lang)),
            );
            if r.clicked() {
                ended = end(reason);
            }
        });
        ended
    }
}

/// Confirm, void and take-back as buttons (the keys do the same). Returns whether the totals
/// changed.
fn buttons_ui(
    ui: &mut egui::Ui,
    counter: &mut BallotCounter,
    no_undo: &mut bool,
    lang: Lang,
) -> bool {
    let mut changed = false;
    ui.horizontal(|ui| {
        if ui.button(i18n::BALLOT_CONFIRM.get(lang)).clicked() {
            counter.confirm();
            changed = true;
        }
        if ui
            .selectable_label(counter.void_marked(), i18n::BALLOT_VOID.get(lang))
            .clicked()
        {
            counter.set_void(!counter.void_marked());
        }
        if ui.button(i18n::BALLOT_UNDO.get(lang)).clicked() {
            *no_undo = !counter.undo_last();
            changed |= !*no_undo;
        }
        if *no_undo {
            ui.colored_label(ui.visuals().warn_fg_color, i18n::BALLOT_NO_UNDO.get(lang));
        }
    });
    changed
}

/// What a ballot line is called on screen: the cadre's name on its overall line (said to be
/// the overall question when the group has criteria), the criterion's name, indented, below.
fn line_label(group: &BallotGroup, line: Line, lang: Lang) -> String {
    let cadre = group.cadres.get(line.cadre).map_or("", |c| c.name.as_str());
    match line.question {
        0 if group.criteria.is_empty() => cadre.to_owned(),
        0 => format!("{cadre} · {}", i18n::BALLOT_OVERALL_LINE.get(lang)),
        q => {
            let name = group.criteria.get(q - 1).map_or("", |c| c.name.as_str());
            format!("    – {}: {name}", i18n::CRITERION.get(lang))
        }
    }
}

/// Widths of the fixed columns of the ballot lines: cursor, number, this ballot's mark, each
/// level's running total, invalid lines. The name takes what is left, so the figures never
/// run off the screen however long a criterion's name is.
const W_CURSOR: f32 = 28.0;
const W_NO: f32 = 44.0;
const W_THIS: f32 = 180.0;
const W_LEVEL: f32 = 100.0;
const W_INVALID: f32 = 124.0;
/// Narrowest the name column gets; below it the lines scroll sideways.
const W_NAME_MIN: f32 = 260.0;
/// Type size of a criterion's line: a notch below the cadre's, so the cadre stands out.
const CRITERION_SIZE: f32 = 22.0;

/// One cell of a ballot line, `width` wide, its text wrapped inside.
fn cell(ui: &mut egui::Ui, width: f32, text: RichText, sense: Sense) -> egui::Response {
    ui.allocate_ui_with_layout(
        egui::vec2(width, 0.0),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_width(width);
            ui.add(Label::new(text).wrap().sense(sense))
        },
    )
    .inner
}

/// The column titles, outside the scrolling lines so that they stay in view.
fn header_ui(ui: &mut egui::Ui, name_width: f32, lang: Lang) {
    let head = |t: &str| RichText::new(t).strong().size(20.0);
    ui.horizontal_top(|ui| {
        cell(ui, W_CURSOR, head(""), Sense::hover());
        cell(ui, W_NO, head(i18n::NO.get(lang)), Sense::hover());
        cell(ui, name_width, head(i18n::NAME.get(lang)), Sense::hover());
        cell(
            ui,
            W_THIS,
            head(i18n::BALLOT_THIS.get(lang)),
            Sense::hover(),
        );
        for level in Level::ALL {
            cell(
                ui,
                W_LEVEL,
                head(i18n::level_short(lang, level)),
                Sense::hover(),
            );
        }
        cell(
            ui,
            W_INVALID,
            head(i18n::BALLOT_INVALID.get(lang)),
            Sense::hover(),
        );
    });
}

/// The lines of the ballot being read, with each line's running totals; a click on a line
/// moves the cursor there. With `follow`, the current line is scrolled into view.
fn lines_ui(
    ui: &mut egui::Ui,
    (counter, heights): (&mut BallotCounter, &mut LineHeights),
    group: &BallotGroup,
    lang: Lang,
    follow: bool,
) {
    let gap = ui.spacing().item_spacing.x;
    let fixed = W_CURSOR + W_NO + W_THIS + 3.0 * W_LEVEL + W_INVALID + 7.0 * gap;
    let bar = ui.spacing().scroll.allocated_width();
    let name_width = (ui.available_width() - fixed - bar).max(W_NAME_MIN);
    let mut go_to = None;
    let height = ui.available_height() - 60.0;
    // The titles scroll sideways with the lines (a narrow screen), never up and down.
    egui::ScrollArea::horizontal()
        .id_salt("ballot-sideways")
        .max_height(height)
        .show(ui, |ui| {
            header_ui(ui, name_width, lang);
            ui.separator();
            egui::ScrollArea::vertical()
                .id_salt("ballot-lines")
                .show(ui, |ui| {
                    let marks = counter.current_marks().to_vec();
                    let lines = counter.lines().to_vec();
                    // Numbered as on the paper: the cadre's place in the list (one STT
                    // everywhere, exempt cadres counted).
                    let spacing = ui.spacing().item_spacing.y;
                    let clip = ui.clip_rect();
                    let heights = heights.for_layout(name_width, lang, lines.len());
                    for (p, &line) in lines.iter().enumerate() {
                        let here = p == counter.cursor();
                        // A line out of sight whose height is known takes its room only: a
                        // ballot of 500 cadres then costs what the visible lines cost.
                        let top = ui.cursor().top();
                        let known = heights[p];
                        if known > 0.0 && !here && (top + known < clip.top() || top > clip.bottom())
                        {
                            ui.allocate_space(egui::vec2(1.0, (known - spacing).max(0.0)));
                            continue;
                        }
                        let row = ui.horizontal_top(|ui| {
                            let shown = Shown {
                                number: (line.question == 0).then_some(line.cadre + 1),
                                here,
                                mark: marks.get(p).copied().flatten(),
                            };
                            if line_row(ui, (counter, p, line), group, shown, name_width, lang) {
                                go_to = Some(p);
                            }
                        });
                        if here && follow {
                            row.response.scroll_to_me(Some(egui::Align::Center));
                        }
                        // A rule under each cadre's block, so that a cadre's lines read as one.
                        let last_of_cadre =
                            lines.get(p + 1).is_none_or(|next| next.cadre != line.cadre);
                        if last_of_cadre && !group.criteria.is_empty() {
                            ui.separator();
                        }
                        heights[p] = ui.cursor().top() - top;
                    }
                });
        });
    if let Some(p) = go_to {
        counter.go_to(p);
    }
}

/// How a ballot line is shown: its number on the paper (cadre lines only), whether it is
/// the line being read, and this ballot's mark on it.
struct Shown {
    number: Option<usize>,
    here: bool,
    mark: Option<Mark>,
}

/// One line of the ballot: cursor, number, label, this ballot's mark, running totals.
/// Returns whether the label or the mark was clicked (to move the cursor there).
fn line_row(
    ui: &mut egui::Ui,
    (counter, p, line): (&BallotCounter, usize, Line),
    group: &BallotGroup,
    shown: Shown,
    name_width: f32,
    lang: Lang,
) -> bool {
    let size = if line.question == 0 {
        BIG
    } else {
        CRITERION_SIZE
    };
    let cursor = if shown.here { "»" } else { "" };
    cell(
        ui,
        W_CURSOR,
        RichText::new(cursor).size(BIG),
        Sense::hover(),
    );
    let number = shown.number.map(|n| n.to_string()).unwrap_or_default();
    cell(ui, W_NO, RichText::new(number).size(size), Sense::hover());
    let mut text = RichText::new(line_label(group, line, lang)).size(size);
    if shown.here {
        text = text
            .strong()
            .background_color(ui.visuals().selection.bg_fill);
    }
    let r1 = cell(ui, name_width, text, Sense::click());
    let color = if shown.mark.is_some() {
        ui.visuals().strong_text_color()
    } else {
        Color32::GRAY
    };
    let mark = RichText::new(mark_text(shown.mark, lang))
        .size(size)
        .color(color);
    let r2 = cell(ui, W_THIS, mark, Sense::click());
    if let Some(c) = counter.counts_at(p) {
        for level in Level::ALL {
            let n = c.get(level).unwrap_or(0);
            let total = RichText::new(n.to_string()).size(size).strong();
            cell(ui, W_LEVEL, total, Sense::hover());
        }
    }
    let invalid = counter.invalid_at(p).unwrap_or(0);
    cell(
        ui,
        W_INVALID,
        RichText::new(invalid.to_string()).size(size),
        Sense::hover(),
    );
    r1.clicked() || r2.clicked()
}

/// The ballot keys, taken before any widget sees them (Enter must not also press a button).
/// Returns whether the totals changed.
fn keys(ui: &mut egui::Ui, counter: &mut BallotCounter, no_undo: &mut bool) -> bool {
    let typing = ui.memory(|m| m.has_focus(operator_id()) || m.has_focus(end_reason_id()));
    let mut changed = false;
    if !typing {
        let keys = ui.input_mut(|i| {
            [
                Key::Num1,
                Key::Num2,
                Key::Num3,
                Key::Num0,
                Key::V,
                Key::Enter,
                Key::Backspace,
            ]
            .map(|k| i.consume_key(Modifiers::NONE, k))
        });
        let [k1, k2, k3, k0, void, enter, back] = keys;
        for (pressed, mark) in [
            (k1, Mark::High),
            (k2, Mark::Medium),
            (k3, Mark::Low),
            (k0, Mark::Invalid),
        ] {
            if pressed {
                counter.mark(mark);
            }
        }
        if void {
            counter.set_void(!counter.void_marked());
        }
        if enter {
            counter.confirm();
            changed = true;
        }
        if back {
            *no_undo = !counter.undo_last();
            changed |= !*no_undo;
        }
    }
    changed
}

/// The running figures, reconciled against the ballots collected.
fn figures_ui(ui: &mut egui::Ui, counter: &BallotCounter, group: &BallotGroup, lang: Lang) {
    let entered = counter.sheets_entered();
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(i18n::sheets_entered(
                lang,
                entered,
                counter.valid_sheets(),
                counter.void_sheets(),
            ))
            .size(HUGE)
            .strong(),
        );
        ui.separator();
        match i18n::sheets_left(lang, entered, group.voters.collected) {
            Ok(text) => ui.label(RichText::new(text).size(HUGE)),
            Err(text) => ui.label(
                RichText::new(text)
                    .size(HUGE)
                    .color(ui.visuals().error_fg_color),
            ),
        };
    });
}
