//! Small widgets shared by the screens: text and number fields that turn typing into
//! [`Edit`]s, and the red mark of a validation finding next to its field.

use eframe::egui::{self, Color32, Event, Id, Key, Response, StrokeKind, TextEdit};

use super::{Ctx, Derived, i18n};
use crate::edit::Edit;
use crate::edit::VoterField;
use crate::model::{FieldPath, GroupField};
use crate::tally::Share;
use crate::text::{Lang, clean_name};

/// A text field showing `value`; typing queues `make(new text)` as typed (NFC is done by the
/// edit), spaces included.
///
/// The text is cleaned ([`clean_name`]: trimmed, inner spaces collapsed) when the field is
/// left, or when the session is saved while the field is being typed in ([`leave_field`]),
/// never at a keystroke: cleaning "Nguyễn " as it is typed would swallow the space before
/// the next word. Every name-like field of the app is this one function, so they all clean
/// alike.
pub fn text_edit(
    ui: &mut egui::Ui,
    value: &str,
    width: f32,
    edits: &mut Vec<Edit>,
    make: impl Fn(String) -> Edit,
) -> Response {
    let mut buf = value.to_owned();
    // A fixed size: inside a Grid a bare TextEdit would shrink to its column's first width.
    let height = ui.spacing().interact_size.y;
    let r = ui.add_sized([width, height], TextEdit::singleline(&mut buf));
    if r.changed() && buf != value {
        edits.push(make(buf.clone()));
    }
    let clean = clean_name(&buf);
    let cleaning = (clean != buf).then(|| make(clean));
    if r.lost_focus() {
        edits.extend(cleaning);
    } else if r.has_focus() {
        let typing = cleaning.map(|clean| Typing { field: r.id, clean });
        ui.ctx()
            .data_mut(|d| d.insert_temp(Id::unique(TYPING), typing));
    }
    r
}

/// Where the field being typed in keeps the edit that would clean it ([`text_edit`]).
const TYPING: &str = "tinnhiem-field-being-typed";

/// The text field that has the keyboard, and the edit that cleans its text as leaving it
/// would.
#[derive(Debug, Clone)]
struct Typing {
    field: Id,
    clean: Edit,
}

/// Leaves the text field being typed in, if its text needs cleaning: returns the edit that
/// cleans it, as leaving it with the mouse or Tab would, and takes the keyboard from it, so
/// that nobody goes on typing into a text that changed under the cursor. The app calls it
/// before saving: the file never keeps "Nguyễn Văn An " because Ctrl+S came before Tab.
pub fn leave_field(ctx: &egui::Context) -> Option<Edit> {
    let typing = ctx.data_mut(|d| d.remove_temp::<Option<Typing>>(Id::unique(TYPING)))??;
    if !ctx.memory(|m| m.has_focus(typing.field)) {
        return None;
    }
    ctx.memory_mut(|m| m.surrender_focus(typing.field));
    Some(typing.clean)
}

/// A label and its text field, for a form grid (the label names the field for screen
/// readers and tests).
pub fn text_row(
    ui: &mut egui::Ui,
    label: &str,
    value: &str,
    edits: &mut Vec<Edit>,
    make: impl Fn(String) -> Edit,
) -> Response {
    let l = ui.label(label);
    let r = text_edit(ui, value, 360.0, edits, make).labelled_by(l.id);
    ui.end_row();
    r
}

/// What a count field's text means: empty is "not entered"; only digits count; `Err` when
/// the number is too large for a count (the old value stays).
///
/// # Errors
///
/// When the digits make a number too large for a count (above `u32::MAX`).
pub fn parse_count(text: &str) -> Result<Option<u32>, std::num::ParseIntError> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        Ok(None)
    } else {
        digits.parse().map(Some)
    }
}

/// A number field: only digits are accepted; empty clears the figure.
pub fn count_edit(
    ui: &mut egui::Ui,
    value: Option<u32>,
    width: f32,
    edits: &mut Vec<Edit>,
    make: impl Fn(Option<u32>) -> Edit,
) -> Response {
    let shown = value.map(|v| v.to_string()).unwrap_or_default();
    let mut buf = shown.clone();
    clamp_cursor(ui.ctx(), ui.next_auto_id(), &shown);
    let r = ui.add(
        TextEdit::singleline(&mut buf)
            .desired_width(width)
            .align(egui::Align2::RIGHT_CENTER),
    );
    if r.changed()
        && buf != shown
        && let Ok(v) = parse_count(&buf)
        && v != value
    {
        edits.push(make(v));
    }
    r
}

/// A number field shows the number, not what was typed ("00" is shown "0"): a cursor left past
/// the end of the shown text is put at its end, so that the next Backspace deletes a digit
/// instead of nothing (a keystroke lost).
pub fn clamp_cursor(ctx: &egui::Context, id: egui::Id, shown: &str) {
    use egui::text::{CCursor, CCursorRange};
    let Some(mut state) = TextEdit::load_state(ctx, id) else {
        return;
    };
    let len = shown.chars().count();
    if let Some(range) = state.cursor.char_range()
        && (range.primary.index.0 > len || range.secondary.index.0 > len)
    {
        state
            .cursor
            .set_char_range(Some(CCursorRange::one(CCursor::new(len))));
        TextEdit::store_state(ctx, id, state);
    }
}

/// Marks `response` in red with the findings at `path` as a tooltip, if there are any.
/// Returns whether it marked.
pub fn mark(
    ui: &egui::Ui,
    response: &Response,
    derived: &Derived,
    path: &FieldPath,
    lang: Lang,
) -> bool {
    let messages: Vec<String> = derived
        .marks(path)
        .map(|f| format!("{} ({})", f.message.get(lang), f.code))
        .collect();
    if messages.is_empty() {
        return false;
    }
    let color = ui.visuals().error_fg_color;
    ui.painter()
        .rect_stroke(response.rect, 2.0, (2.0, color), StrokeKind::Outside);
    response.clone().on_hover_text(messages.join("\n"));
    true
}

/// A left-aligned, truncated label in a cell of fixed size (`add_sized` would centre it).
pub fn cell_label(
    ui: &mut egui::Ui,
    size: [f32; 2],
    text: impl Into<egui::WidgetText>,
) -> Response {
    ui.allocate_ui_with_layout(
        size.into(),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_size(size.into());
            ui.add(egui::Label::new(text).truncate())
        },
    )
    .inner
}

/// A picker of the ballot group, shown when there is more than one.
pub fn group_picker(ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
    let lang = cx.lang;
    let groups = &cx.session.groups;
    let l = ui
        .label(i18n::GROUP.get(lang))
        .on_hover_text(i18n::GROUP_HELP.get(lang));
    let name = |i: usize| {
        groups
            .get(i)
            .map(|g| format!("{}. {}", i + 1, g.name))
            .unwrap_or_default()
    };
    egui::ComboBox::from_id_salt("group-picker")
        .selected_text(name(*cx.group))
        .width(320.0)
        .show_ui(ui, |ui| {
            for i in 0..groups.len() {
                ui.selectable_value(cx.group, i, name(i));
            }
        })
        .response
        .labelled_by(l.id);
}

/// A dialog's last row: the confirming button (enabled when `ok`) and "Hủy". `Some(true)`
/// when confirmed, `Some(false)` when cancelled, `None` meanwhile.
pub fn confirm_or_cancel(
    ui: &mut egui::Ui,
    ok: bool,
    confirm: impl Into<egui::WidgetText>,
    lang: crate::text::Lang,
) -> Option<bool> {
    ui.horizontal(|ui| {
        if ui.add_enabled(ok, egui::Button::new(confirm)).clicked() {
            Some(true)
        } else if ui.button(super::i18n::CANCEL.get(lang)).clicked() {
            Some(false)
        } else {
            None
        }
    })
    .inner
}

/// The colours of the three levels (always shown with their names).
pub const LEVEL_COLORS: [Color32; 3] = [
    Color32::from_rgb(46, 140, 80),
    Color32::from_rgb(70, 120, 200),
    Color32::from_rgb(200, 60, 60),
];

/// "27 (54,00%)": a level's count, then its share.
pub fn share_text(share: Share, lang: Lang) -> String {
    format!("{} ({})", share.count, share.fraction.percent_display(lang))
}

/// One voters' figure of group `g`: its label, the number field (`width` wide) and the
/// findings about it. Setup and the entry grid both show these.
pub fn voter_field(
    ui: &mut egui::Ui,
    cx: &mut Ctx<'_>,
    (g, voters): (usize, &crate::model::Voters),
    f: VoterField,
    width: f32,
) {
    let lang = cx.lang;
    let l = ui.label(f.label().get(lang));
    let r = count_edit(ui, f.get(voters), width, cx.edits, |value| {
        Edit::SetVoters {
            group: g,
            field: f,
            value,
        }
    })
    .labelled_by(l.id);
    let path = FieldPath::Group(g, GroupField::Voters(f));
    mark(ui, &r, cx.derived, &path, lang);
}

/// The egui id of the operator's name field of the double-entry stage bar (`double.rs`): the
/// ballot screen leaves its keys to that field while it has the keyboard.
#[must_use]
pub fn operator_id() -> Id {
    Id::unique("double-entry-operator")
}

/// The digit keys, wherever they are (the row above the letters, the keypad).
const DIGITS: [Key; 10] = [
    Key::Num0,
    Key::Num1,
    Key::Num2,
    Key::Num3,
    Key::Num4,
    Key::Num5,
    Key::Num6,
    Key::Num7,
    Key::Num8,
    Key::Num9,
];

/// The key `event` presses on a keyboard-first screen (the ballot, the scan review), and
/// whether it is the system's repeat of a key held down; `None` for a release, and for a key
/// with Ctrl, Alt or Command (a command's, Ctrl+Z included). A keypad with Num Lock off names
/// its 1, 2, 3 End, ↓, Page Down: the key's place says which digit the person pressed.
#[must_use]
pub fn typed_key(event: &Event) -> Option<(Key, bool)> {
    let Event::Key {
        key,
        physical_key,
        pressed: true,
        repeat,
        modifiers,
    } = event
    else {
        return None;
    };
    if modifiers.ctrl || modifiers.alt || modifiers.command || modifiers.mac_cmd {
        return None;
    }
    let key = match physical_key {
        Some(p) if DIGITS.contains(p) => *p,
        _ => *key,
    };
    Some((key, *repeat))
}
