//! Ballot by ballot: one paper ballot at a time, the whole ballot on the screen.
//!
//! The lines are those of the printed ballot: each cadre's overall question, then, when the
//! group asks them, one line per criterion. Each line is one row of one height, in the
//! largest type at which every line fits the window (`LINE_SIZES`): a ballot of 12 lines
//! reads whole on a 1024×600 laptop, and large on a projector; a longer one scrolls.
//!
//! Keys are events, in order: every key of the frame is read from `input.events` in the order
//! it was pressed and handed to [`BallotCounter::press`] once (`take_keys`), so "1 1 2 Enter"
//! gives the same sheet whether it came one key a frame or all in one frame (a fast typist, a
//! keypad with rollover, a slow frame). Every key the screen takes is in one table, `KEYS`,
//! which the help line and the buttons' labels read too.
//!
//! The running count is a [`BallotCounter`] kept here, in memory only: the marks of a ballot
//! live until the next one is confirmed (so Backspace can take it back once), and only the
//! running totals reach the session, through one [`Edit::SetBallotTotals`] per ballot so that
//! undo, autosave and the audit log apply as for typed counts.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use eframe::egui::{self, Event, Key, Label, RichText, Sense};

use super::widgets::{group_picker, operator_id, typed_key};
use super::{Action, Ctx, Screen, i18n};
use crate::counting::{BallotCounter, BallotKey, Line, Mark, Pressed};
use crate::edit::Edit;
use crate::model::{BallotGroup, Counts, Level};
use crate::text::Lang;

/// Every key of the ballot screen, the cap printed for it, and what it asks for. The handling
/// (`take_keys`), the help line and the buttons' labels all read this table.
const KEYS: [(Key, &str, BallotKey); 9] = [
    (Key::Num1, "1", BallotKey::Mark(Mark::High)),
    (Key::Num2, "2", BallotKey::Mark(Mark::Medium)),
    (Key::Num3, "3", BallotKey::Mark(Mark::Low)),
    (Key::Num0, "0", BallotKey::Mark(Mark::Invalid)),
    (Key::V, "V", BallotKey::Void),
    (Key::Enter, "Enter", BallotKey::Confirm),
    (Key::Backspace, "Backspace", BallotKey::Undo),
    (Key::ArrowUp, "↑", BallotKey::Up),
    (Key::ArrowDown, "↓", BallotKey::Down),
];

/// The cap of the key that asks for `key`.
fn cap(key: BallotKey) -> &'static str {
    KEYS.iter()
        .find(|(_, _, k)| *k == key)
        .map_or("", |(_, cap, _)| cap)
}

/// Which key of `KEYS` `event` presses, and whether it is the system's repeat of a key held
/// down; `None` for anything else, which the screen leaves to the widgets (Ctrl+Z included).
fn ballot_key(event: &Event) -> Option<(BallotKey, bool)> {
    let (key, repeat) = typed_key(event)?;
    KEYS.iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, _, k)| (*k, repeat))
}

/// The ballot keys of this frame, in the order they were pressed, taken out of the input so
/// that no widget also acts on them (Enter must not press a button too). A key held down
/// repeats only as an arrow: a finger resting on Enter or Backspace must not confirm empty
/// sheets or take back twenty, nor a key resting on 3 mark every line.
fn take_keys(ui: &mut egui::Ui) -> Vec<BallotKey> {
    let typing = ui.memory(|m| m.has_focus(operator_id()) || m.has_focus(end_reason_id()));
    if typing {
        return Vec::new();
    }
    ui.input_mut(|i| {
        let mut keys = Vec::new();
        i.events.retain(|e| {
            let Some((key, repeat)) = ballot_key(e) else {
                return true;
            };
            if !repeat || matches!(key, BallotKey::Up | BallotKey::Down) {
                keys.push(key);
            }
            false
        });
        keys
    })
}

/// Line type sizes, largest first: the largest at which every line fits is used.
const LINE_SIZES: [f32; 7] = [28.0, 26.0, 24.0, 22.0, 20.0, 18.0, 16.0];
/// Room around a line's text, in points.
const ROW_PAD: f32 = 4.0;
/// Type size of the sheet's number.
const BIG: f32 = 26.0;
/// Type size of the running figures.
const FIGURES: f32 = 20.0;

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
    /// The lines' scroll offset and the height they are shown in, as last drawn (to bring
    /// the current line into view only when it is not).
    view: (f32, f32),
    /// Why the count ends before every collected sheet is counted.
    end_reason: String,
    /// The count that ended last, shown instead of the question whether to count afresh.
    ended: Option<Ended>,
    /// The field for the reason of ending early is open.
    ending_early: bool,
}

/// A count that ended: its group, figures and whether it counted every collected sheet, and
/// the group's counts it left (shown only while they are still those).
#[derive(Debug, Clone)]
struct Ended {
    group: usize,
    sheets: u32,
    valid: u32,
    void: u32,
    complete: bool,
    counts: HeldCounts,
}

/// The id of the field for the reason of ending a count early (the ballot keys leave it be).
fn end_reason_id() -> egui::Id {
    egui::Id::unique("ballot-end-reason")
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
        self.view = (0.0, 0.0);
        self.ended = None;
        self.ending_early = false;
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

    /// After a count ended, while the group still holds what it left: that it is saved, and
    /// the ways on (the results or the grid, or counting again from zero).
    fn ended_ui(
        &mut self,
        ui: &mut egui::Ui,
        actions: &mut Vec<Action>,
        (g, group): (usize, &BallotGroup),
        lang: Lang,
    ) -> bool {
        let Some(e) = &self.ended else {
            return false;
        };
        if e.group != g || held_counts(group) != e.counts {
            self.ended = None;
            return false;
        }
        let complete = e.complete;
        saved_ui(ui, (e.sheets, e.valid, e.void), lang);
        let what = if complete {
            i18n::BALLOT_ENDED
        } else {
            i18n::BALLOT_ENDED_EARLY
        };
        ui.label(RichText::new(what.get(lang)).size(FIGURES));
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            let (label, screen) = if complete {
                (i18n::BALLOT_SEE_RESULTS, Screen::Results)
            } else {
                (i18n::BALLOT_BACK, Screen::Entry)
            };
            if ui
                .button(RichText::new(label.get(lang)).size(FIGURES))
                .clicked()
            {
                actions.push(Action::GoTo(screen));
            }
            if ui.button(i18n::BALLOT_RECOUNT.get(lang)).clicked() {
                self.start(g, group);
            }
        });
        ui.label(RichText::new(i18n::BALLOT_RECOUNT_NOTE.get(lang)).weak());
        true
    }

    /// What the screen shows instead while the group's double entry is past typing (the
    /// stage bar above it, drawn by the app, says what to do).
    pub fn locked_ui(ui: &mut egui::Ui, lang: Lang) {
        ui.label(RichText::new(i18n::BALLOT_LOCKED.get(lang)).size(BIG));
    }

    /// Draws the screen and takes its keys (the double-entry stage bar above it is the app's:
    /// [`super::double::DoubleScreen::bar`]).
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        ui.horizontal(|ui| {
            if cx.session.groups.len() > 1 {
                group_picker(ui, cx);
                ui.separator();
            }
            if let Some(group) = cx.session.groups.get(*cx.group) {
                ui.label(
                    RichText::new(format!("{}: {}", i18n::BALLOT_TITLE.get(lang), group.name))
                        .size(18.0)
                        .strong(),
                );
            }
        });
        let g = *cx.group;
        let Some(group) = cx.session.groups.get(g) else {
            return;
        };
        if self.count.as_ref().is_some_and(|(cg, _)| *cg != g) {
            self.count = None;
        }
        self.restart_if_stale(group);
        if self.count.is_none() {
            if self.ended_ui(ui, cx.actions, (g, group), lang) {
                return;
            }
            // A count under way in the archive (sheets read by the scanner, or a count the
            // app was closed in the middle of) goes on where it stands.
            if let Some(counter) = BallotCounter::resume(group) {
                self.start(g, group);
                self.count = Some((g, counter));
                self.written = true;
            } else if has_counts(group) {
                let text = RichText::new(i18n::BALLOT_HAS_COUNTS.get(lang)).size(20.0);
                self.offer_fresh(ui, cx.actions, (g, group), text, lang);
                return;
            } else {
                self.start(g, group);
            }
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
        self.count_ui(ui, cx, (g, group));
    }

    /// The count under way: its keys, buttons, figures and lines.
    fn count_ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>, (g, group): (usize, &BallotGroup)) {
        let lang = cx.lang;
        let Some(cursor) = self.counter().map(BallotCounter::cursor) else {
            return;
        };
        for key in take_keys(ui) {
            self.press(g, key, cx.edits);
        }
        let mut ended = None;
        egui::Panel::bottom("ballot-buttons").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                for key in buttons_ui(ui, self.counter(), lang) {
                    self.press(g, key, cx.edits);
                }
                if self.written {
                    ui.separator();
                    ended = self.end_ui(ui, (g, group), cx.edits, lang);
                }
                if self.no_undo {
                    ui.colored_label(ui.visuals().warn_fg_color, i18n::BALLOT_NO_UNDO.get(lang));
                }
            });
            if self.written && ended.is_none() && self.ending_early {
                ended = self.end_early_ui(ui, (g, group), cx.edits, lang);
            }
        });
        let Some((_, counter)) = &mut self.count else {
            return;
        };
        if let Some(e) = ended {
            self.ended = Some(e);
            self.count = None;
            self.end_reason.clear();
            return;
        }
        // Keep the line being read in view when the keys move it (long ballots).
        let follow = counter.cursor() != cursor;
        let complete = self.written && group.voters.collected == Some(counter.sheets_entered());
        if complete {
            let c = &*counter;
            saved_ui(
                ui,
                (c.sheets_entered(), c.valid_sheets(), c.void_sheets()),
                lang,
            );
        } else {
            figures_ui(ui, counter, group, lang);
        }
        message_ui(ui, counter, complete, lang);
        lines_ui(ui, (counter, &mut self.view), group, lang, follow);
    }

    /// Acts on one key (or button) of the count of group `g`; a change of the totals is
    /// written into the session at once, one edit per sheet.
    fn press(&mut self, g: usize, key: BallotKey, edits: &mut Vec<Edit>) {
        let Some((_, counter)) = &mut self.count else {
            return;
        };
        match counter.press(key) {
            Pressed::Totals => {
                edits.push(totals_edit(g, counter));
                self.written = true;
                self.no_undo = false;
            }
            Pressed::NothingToUndo => self.no_undo = true,
            Pressed::Sheet => {}
        }
    }

    /// Ending the count: with one button once every collected sheet is counted, otherwise
    /// a button that asks for the reason ([`Self::end_early_ui`]). Returns the ended count.
    fn end_ui(
        &mut self,
        ui: &mut egui::Ui,
        (g, group): (usize, &BallotGroup),
        edits: &mut Vec<Edit>,
        lang: Lang,
    ) -> Option<Ended> {
        let sheets = self.counter()?.sheets_entered();
        if group.voters.collected == Some(sheets) {
            self.ending_early = false;
            let b = ui.button(RichText::new(i18n::ballot_end(lang, sheets)).strong());
            return b
                .clicked()
                .then(|| self.end(g, group, String::new(), edits))
                .flatten();
        }
        if ui
            .selectable_label(self.ending_early, i18n::BALLOT_END_EARLY_OPEN.get(lang))
            .clicked()
        {
            self.ending_early = !self.ending_early;
        }
        None
    }

    /// The reason for ending the count before every collected sheet is counted (logged),
    /// after which the figures are typed from the paper.
    fn end_early_ui(
        &mut self,
        ui: &mut egui::Ui,
        (g, group): (usize, &BallotGroup),
        edits: &mut Vec<Edit>,
        lang: Lang,
    ) -> Option<Ended> {
        let mut reason = None;
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(i18n::BALLOT_END_REASON.get(lang));
            ui.add(
                egui::TextEdit::singleline(&mut self.end_reason)
                    .id(end_reason_id())
                    .desired_width(300.0),
            )
            .labelled_by(l.id);
            let r = crate::text::clean_name(&self.end_reason);
            let b = ui.add_enabled(
                !r.is_empty(),
                egui::Button::new(i18n::BALLOT_END_EARLY.get(lang)),
            );
            if b.clicked() {
                reason = Some(r);
            }
        });
        self.end(g, group, reason?, edits)
    }

    /// Ends the count (logged, with `reason` when not every sheet is counted).
    fn end(
        &mut self,
        g: usize,
        group: &BallotGroup,
        reason: String,
        edits: &mut Vec<Edit>,
    ) -> Option<Ended> {
        let counter = self.counter()?;
        let sheets = counter.sheets_entered();
        let mut after = group.clone();
        counter.write_to(&mut after);
        edits.push(Edit::EndBallotCount {
            group: g,
            sheets,
            reason,
        });
        let ended = Ended {
            group: g,
            sheets,
            valid: counter.valid_sheets(),
            void: counter.void_sheets(),
            complete: group.voters.collected == Some(sheets),
            counts: held_counts(&after),
        };
        self.ending_early = false;
        Some(ended)
    }
}

/// "Đã lưu số liệu đếm: 14 tờ (…)": every collected sheet counted, or the count ended.
fn saved_ui(ui: &mut egui::Ui, (sheets, valid, void): (u32, u32, u32), lang: Lang) {
    let green = if ui.visuals().dark_mode {
        egui::Color32::from_rgb(120, 220, 120)
    } else {
        egui::Color32::from_rgb(0, 120, 0)
    };
    ui.label(
        RichText::new(i18n::ballot_saved(lang, sheets, valid, void))
            .size(BIG)
            .strong()
            .color(green),
    );
}

/// The line under the figures: the void warning when the sheet is marked void, otherwise
/// what is left to do once every sheet is counted, otherwise the keys.
fn message_ui(ui: &mut egui::Ui, counter: &BallotCounter, complete: bool, lang: Lang) {
    if counter.void_marked() {
        let text = i18n::ballot_void_marked(lang, cap(BallotKey::Confirm), cap(BallotKey::Void));
        ui.label(
            RichText::new(text)
                .size(18.0)
                .strong()
                .color(ui.visuals().error_fg_color),
        );
    } else if complete {
        ui.label(RichText::new(i18n::BALLOT_SAVED_NOTE.get(lang)).size(16.0));
    } else {
        // "1 tín nhiệm cao · … · ↑ ↓ chọn dòng": keys that do alike share their words.
        let mut help: Vec<(Vec<&str>, &str)> = Vec::new();
        for (_, cap, key) in KEYS {
            let action = i18n::ballot_key_action(lang, key);
            match help.last_mut() {
                Some((caps, a)) if *a == action => caps.push(cap),
                _ => help.push((vec![cap], action)),
            }
        }
        let mut help: Vec<String> = help
            .iter()
            .map(|(caps, action)| format!("{} {action}", caps.join(" ")))
            .collect();
        help.push(i18n::BALLOT_CLICK_LINE.get(lang).to_owned());
        // One line whatever the width (the whole of it on hover), so the lines keep their room.
        ui.add(Label::new(RichText::new(help.join(" · ")).weak()).truncate());
    }
}

/// Confirm, void and take-back as buttons (the keys do the same), with the keys' caps.
/// Returns the keys they stand for, in the order clicked.
fn buttons_ui(ui: &mut egui::Ui, counter: Option<&BallotCounter>, lang: Lang) -> Vec<BallotKey> {
    let mut pressed = Vec::new();
    let label = |text: crate::text::Tr, key| format!("{} ({})", text.get(lang), cap(key));
    if ui
        .button(label(i18n::BALLOT_CONFIRM, BallotKey::Confirm))
        .clicked()
    {
        pressed.push(BallotKey::Confirm);
    }
    let void = counter.is_some_and(BallotCounter::void_marked);
    if ui
        .selectable_label(void, label(i18n::BALLOT_VOID, BallotKey::Void))
        .clicked()
    {
        pressed.push(BallotKey::Void);
    }
    if ui
        .button(label(i18n::BALLOT_UNDO, BallotKey::Undo))
        .clicked()
    {
        pressed.push(BallotKey::Undo);
    }
    pressed
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

/// The columns of the ballot lines at one type size: cursor, number, this ballot's mark,
/// each level's running total, invalid lines, each as wide as the size asks and never
/// narrower than its title (the law's words, "Tín nhiệm thấp", cut to "Tín nhiệ…" read like
/// "Tín nhiệm cao"); the name takes what is left (never less than [`W_NAME_MIN`]: below it
/// the lines scroll sideways).
#[derive(Debug, Clone, Copy)]
struct Columns {
    size: f32,
    row: f32,
    head: f32,
    cursor: f32,
    no: f32,
    name: f32,
    this: f32,
    level: f32,
    invalid: f32,
}

/// Narrowest the name column gets.
const W_NAME_MIN: f32 = 240.0;

impl Columns {
    fn at(ui: &mut egui::Ui, size: f32, lang: Lang) -> Self {
        let head_size = (size * 0.7).max(14.0);
        let row = ui.fonts_mut(|f| f.row_height(&egui::FontId::proportional(size))) + ROW_PAD;
        let head = ui.fonts_mut(|f| f.row_height(&egui::FontId::proportional(head_size))) + 4.0;
        let gap = ui.spacing().item_spacing.x;
        // A title's width in the titles' type ([`header_ui`]), and a little air.
        let title = |text: &str| {
            let font = egui::FontId::proportional(head_size);
            ui.fonts_mut(|f| {
                f.layout_no_wrap(text.to_owned(), font, egui::Color32::PLACEHOLDER)
                    .size()
                    .x
            }) + 4.0
        };
        let level_title = Level::ALL
            .map(|l| title(i18n::level_short(lang, l)))
            .into_iter()
            .fold(0.0, f32::max);
        let mut c = Self {
            size,
            row,
            head,
            cursor: size,
            no: (1.8 * size).max(title(i18n::NO.get(lang))),
            name: 0.0,
            this: (6.4 * size)
                .max(128.0)
                .max(title(i18n::BALLOT_THIS.get(lang))),
            level: (3.4 * size).max(72.0).max(level_title),
            invalid: (4.2 * size)
                .max(96.0)
                .max(title(i18n::BALLOT_INVALID.get(lang))),
        };
        let fixed = c.cursor + c.no + c.this + 3.0 * c.level + c.invalid + 7.0 * gap;
        let bar = ui.spacing().scroll.allocated_width();
        c.name = (ui.available_width() - fixed - bar).max(W_NAME_MIN);
        c
    }

    /// The largest size at which the header and `lines` lines fit `height`, else the smallest.
    fn fitting(ui: &mut egui::Ui, lines: usize, height: f32, lang: Lang) -> Self {
        let mut c = Self::at(ui, LINE_SIZES[0], lang);
        for size in LINE_SIZES {
            c = Self::at(ui, size, lang);
            if c.head + 8.0 + lines as f32 * c.row <= height {
                break;
            }
        }
        c
    }

    fn width(&self, gap: f32) -> f32 {
        self.cursor + self.no + self.name + self.this + 3.0 * self.level + self.invalid + 7.0 * gap
    }
}

/// One cell of a ballot line, `width` wide and `height` tall, its text on one line (cut short
/// with "…", the whole of it on hover).
fn cell(
    ui: &mut egui::Ui,
    (width, height): (f32, f32),
    text: RichText,
    sense: Sense,
) -> egui::Response {
    ui.allocate_ui_with_layout(
        egui::vec2(width, height),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_size(egui::vec2(width, height));
            ui.add(Label::new(text).truncate().sense(sense))
        },
    )
    .inner
}

/// The column titles, outside the scrolling lines so that they stay in view.
fn header_ui(ui: &mut egui::Ui, c: &Columns, lang: Lang) {
    let size = (c.size * 0.7).max(14.0);
    let head = |t: &str| RichText::new(t).strong().size(size);
    let h = c.head;
    ui.horizontal(|ui| {
        cell(ui, (c.cursor, h), head(""), Sense::hover());
        cell(ui, (c.no, h), head(i18n::NO.get(lang)), Sense::hover());
        cell(ui, (c.name, h), head(i18n::NAME.get(lang)), Sense::hover());
        cell(
            ui,
            (c.this, h),
            head(i18n::BALLOT_THIS.get(lang)),
            Sense::hover(),
        );
        for level in Level::ALL {
            cell(
                ui,
                (c.level, h),
                head(i18n::level_short(lang, level)),
                Sense::hover(),
            );
        }
        cell(
            ui,
            (c.invalid, h),
            head(i18n::BALLOT_INVALID.get(lang)),
            Sense::hover(),
        );
    });
}

/// The lines of the ballot being read, one row each, with each line's running totals; a
/// click on a line moves the cursor there. With `follow`, the current line is brought into
/// view if it is not.
fn lines_ui(
    ui: &mut egui::Ui,
    (counter, view): (&mut BallotCounter, &mut (f32, f32)),
    group: &BallotGroup,
    lang: Lang,
    follow: bool,
) {
    let n = counter.lines().len();
    let c = Columns::fitting(ui, n, ui.available_height(), lang);
    let gap = ui.spacing().item_spacing.x;
    let mut go_to = None;
    // The titles scroll sideways with the lines (a narrow screen), never up and down.
    egui::ScrollArea::horizontal()
        .id_salt("ballot-sideways")
        .show(ui, |ui| {
            header_ui(ui, &c, lang);
            ui.separator();
            let mut area = egui::ScrollArea::vertical()
                .id_salt("ballot-lines")
                .auto_shrink([false, true]);
            let here = counter.cursor();
            let (offset, height) = *view;
            if follow && here < n && height > 0.0 {
                // As little scrolling as brings the line in: the rest stays where it was.
                let top = here as f32 * c.row;
                let max = (n as f32 * c.row - height).max(0.0);
                if top < offset {
                    area = area.vertical_scroll_offset(top.min(max));
                } else if top + c.row > offset + height {
                    area = area.vertical_scroll_offset((top + c.row - height).clamp(0.0, max));
                }
            }
            ui.spacing_mut().item_spacing.y = 0.0;
            let out = area.show_rows(ui, c.row, n, |ui, rows| {
                let marks = counter.current_marks().to_vec();
                for p in rows {
                    let Some(&line) = counter.lines().get(p) else {
                        continue;
                    };
                    let shown = Shown {
                        // Numbered as on the paper: the cadre's place in the list (one STT
                        // everywhere, exempt cadres counted).
                        number: (line.question == 0).then_some(line.cadre + 1),
                        here: p == here,
                        mark: marks.get(p).copied().flatten(),
                        // A rule under each cadre's block, so that a cadre's lines read as one.
                        rule: !group.criteria.is_empty()
                            && counter
                                .lines()
                                .get(p + 1)
                                .is_none_or(|next| next.cadre != line.cadre),
                    };
                    if line_row(ui, (counter, p, line), group, shown, (&c, gap), lang) {
                        go_to = Some(p);
                    }
                }
            });
            *view = (out.state.clamped_offset().y, out.inner_rect.height());
        });
    if let Some(p) = go_to {
        counter.go_to(p);
    }
}

/// How a ballot line is shown: its number on the paper (cadre lines only), whether it is
/// the line being read, this ballot's mark on it, and whether a cadre's block ends with it.
struct Shown {
    number: Option<usize>,
    here: bool,
    mark: Option<Mark>,
    rule: bool,
}

/// One line of the ballot: cursor, number, label, this ballot's mark, running totals.
/// Returns whether the label or the mark was clicked (to move the cursor there).
fn line_row(
    ui: &mut egui::Ui,
    (counter, p, line): (&BallotCounter, usize, Line),
    group: &BallotGroup,
    shown: Shown,
    (c, gap): (&Columns, f32),
    lang: Lang,
) -> bool {
    // A criterion's line a notch below the cadre's, so that the cadre stands out.
    let size = if line.question == 0 {
        c.size
    } else {
        c.size * 0.85
    };
    let rect = egui::Rect::from_min_size(ui.cursor().min, egui::vec2(c.width(gap), c.row));
    if shown.here {
        ui.painter()
            .rect_filled(rect, 4.0, ui.visuals().selection.bg_fill);
    }
    if shown.rule {
        let stroke = ui.visuals().widgets.noninteractive.bg_stroke;
        ui.painter()
            .hline(rect.x_range(), rect.bottom() - 0.5, stroke);
    }
    let strong = |t: RichText| if shown.here { t.strong() } else { t };
    let h = c.row;
    let mut clicked = false;
    ui.horizontal(|ui| {
        let cursor = if shown.here { "»" } else { "" };
        cell(
            ui,
            (c.cursor, h),
            RichText::new(cursor).size(c.size),
            Sense::hover(),
        );
        let number = shown.number.map(|n| n.to_string()).unwrap_or_default();
        cell(
            ui,
            (c.no, h),
            RichText::new(number).size(size),
            Sense::hover(),
        );
        let text = strong(RichText::new(line_label(group, line, lang)).size(size));
        let r1 = cell(ui, (c.name, h), text, Sense::click());
        let mark = RichText::new(mark_text(shown.mark, lang)).size(size);
        let mark = if shown.mark.is_some() {
            mark.strong().color(ui.visuals().strong_text_color())
        } else {
            mark.color(egui::Color32::GRAY)
        };
        let r2 = cell(ui, (c.this, h), mark, Sense::click());
        if let Some(counts) = counter.counts_at(p) {
            for level in Level::ALL {
                let n = counts.get(level).unwrap_or(0);
                let total = RichText::new(n.to_string()).size(size).strong();
                cell(ui, (c.level, h), total, Sense::hover());
            }
        }
        let invalid = counter.invalid_at(p).unwrap_or(0);
        cell(
            ui,
            (c.invalid, h),
            RichText::new(invalid.to_string()).size(size),
            Sense::hover(),
        );
        clicked = r1.clicked() || r2.clicked();
    });
    clicked
}

/// The sheet being read and the running figures, reconciled against the ballots collected.
fn figures_ui(ui: &mut egui::Ui, counter: &BallotCounter, group: &BallotGroup, lang: Lang) {
    let entered = counter.sheets_entered();
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(i18n::ballot_number(lang, entered + 1))
                .size(BIG)
                .strong(),
        );
        ui.separator();
        ui.label(
            RichText::new(i18n::sheets_entered(
                lang,
                entered,
                counter.valid_sheets(),
                counter.void_sheets(),
            ))
            .size(FIGURES)
            .strong(),
        );
        ui.separator();
        match i18n::sheets_left(lang, entered, group.voters.collected) {
            Ok(text) => ui.label(RichText::new(text).size(FIGURES)),
            Err(text) => ui.label(
                RichText::new(text)
                    .size(FIGURES)
                    .strong()
                    .color(ui.visuals().error_fg_color),
            ),
        };
    });
}
