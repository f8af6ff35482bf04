//! No keystroke lands in two fields (issue 10, the blocker): whole key sequences delivered in
//! one frame, as fast typing on a slow office laptop delivers them, and spread over frames,
//! in the entry grid and in the header; and random sequences against a plain model of a
//! spreadsheet.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use eframe::egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use proptest::prelude::*;
use tinnhiem::app::{App, Options};
use tinnhiem::model::{Date, Level};

use crate::common::gui::{cell, frames, harness, one_frame};

/// A key the typist presses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stroke {
    Digit(u8),
    Tab,
    Enter,
    Up,
    Down,
    Left,
    Right,
    Backspace,
}

impl Stroke {
    /// The events the system sends for it: a key press, and the text for a digit.
    fn events(self) -> Vec<Event> {
        let key = |key| Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::NONE,
        };
        match self {
            Stroke::Digit(d) => vec![Event::Text(d.to_string())],
            Stroke::Tab => vec![key(Key::Tab)],
            Stroke::Enter => vec![key(Key::Enter)],
            Stroke::Up => vec![key(Key::ArrowUp)],
            Stroke::Down => vec![key(Key::ArrowDown)],
            Stroke::Left => vec![key(Key::ArrowLeft)],
            Stroke::Right => vec![key(Key::ArrowRight)],
            Stroke::Backspace => vec![key(Key::Backspace)],
        }
    }
}

fn text(t: &str) -> Vec<Event> {
    vec![Event::Text(t.into())]
}

/// Delivers each stroke in a frame of its own (ordinary typing).
fn frame_by_frame(h: &mut Harness<'static, App>, strokes: &[Stroke]) {
    frames(h, strokes.iter().map(|s| s.events()));
}

/// The chi bộ example on the entry grid, the keyboard in its first cell (selected).
fn grid() -> Harness<'static, App> {
    let mut h = harness(Options::default());
    h.get_by_label("chi-bo.ron").click();
    h.run();
    h.get_by_label("2. Nhập số liệu").click();
    h.run();
    h.get_by_label(&cell("Tín nhiệm cao", "Trần Thị Hồng Nhung"))
        .click();
    h.run();
    // Enter then Shift+Enter: back on the first cell, moved to by the keyboard, so selected.
    h.key_press(Key::Enter);
    h.run();
    h.key_press_modifiers(Modifiers::SHIFT, Key::Enter);
    h.run();
    assert_eq!(h.state().entry.focused, Some((0, 0)));
    h
}

/// The grid's counts, row by row, overall question.
fn values(h: &Harness<'static, App>) -> Vec<[Option<u32>; 3]> {
    h.state().session().unwrap().groups[0]
        .cadres
        .iter()
        .map(|c| Level::ALL.map(|l| c.overall.get(l)))
        .collect()
}

/// A spreadsheet as a person expects it: a cell reached by the keyboard is selected (typing
/// replaces it), digits append to what was typed ("00" stays "00" until the cell is left),
/// Backspace deletes the last digit typed or the selection, Tab and → go right (then to the
/// next row), Enter and ↓ go down, and a digit that would make a number too large is not taken.
#[derive(Debug, Clone)]
struct Model {
    cells: Vec<[Option<u32>; 3]>,
    at: (usize, usize),
    selected: bool,
    /// The text in the current cell.
    text: String,
}

impl Model {
    fn new(cells: Vec<[Option<u32>; 3]>) -> Self {
        let text = cells[0][0].map(|v| v.to_string()).unwrap_or_default();
        Self {
            cells,
            at: (0, 0),
            selected: true,
            text,
        }
    }

    fn apply(&mut self, s: Stroke) {
        let (r, c) = self.at;
        let rows = self.cells.len();
        let moved = match s {
            Stroke::Digit(d) => {
                let t = if self.selected {
                    d.to_string()
                } else {
                    format!("{}{d}", self.text)
                };
                if let Ok(v) = t.parse() {
                    self.cells[r][c] = Some(v);
                    self.text = t;
                }
                self.selected = false;
                None
            }
            Stroke::Backspace => {
                let mut t = if self.selected {
                    String::new()
                } else {
                    self.text.clone()
                };
                t.pop();
                self.cells[r][c] = t.parse().ok();
                self.text = t;
                self.selected = false;
                None
            }
            Stroke::Tab | Stroke::Right if c < 2 => Some((r, c + 1)),
            Stroke::Tab | Stroke::Right => (r + 1 < rows).then_some((r + 1, 0)),
            Stroke::Left if c > 0 => Some((r, c - 1)),
            Stroke::Left => r.checked_sub(1).map(|r| (r, 2)),
            Stroke::Enter | Stroke::Down => (r + 1 < rows).then_some((r + 1, c)),
            Stroke::Up => r.checked_sub(1).map(|r| (r, c)),
        };
        if let Some(at) = moved {
            self.at = at;
            self.selected = true;
            self.text = self.cells[at.0][at.1]
                .map(|v| v.to_string())
                .unwrap_or_default();
        }
    }
}

/// "3 Tab 1 7 Enter 2 Backspace 5 ← 4" typed in ONE frame: each digit in its own cell, as
/// typed one key a frame.
#[test]
fn grid_keys_in_one_frame_land_once() {
    use Stroke::*;
    let strokes = [
        Digit(3),
        Tab,
        Digit(1),
        Digit(7),
        Enter,
        Digit(2),
        Backspace,
        Digit(5),
        Left,
        Digit(4),
        Up,
        Up,
        Digit(9),
    ];
    let mut fast = grid();
    let mut model = Model::new(values(&fast));
    for s in strokes {
        model.apply(s);
    }
    one_frame(&mut fast, strokes.iter().flat_map(|s| s.events()).collect());
    assert_eq!(values(&fast), model.cells);
    assert_eq!(model.cells[0][0], Some(9));
    assert_eq!(model.cells[0][1], Some(17));
    assert_eq!(model.cells[1][0], Some(4));
    assert_eq!(model.cells[1][1], Some(5));
    assert_eq!(fast.state().entry.focused, Some(model.at));

    let mut slow = grid();
    frame_by_frame(&mut slow, &strokes);
    assert_eq!(values(&slow), model.cells);
}

/// In the header, the time typed, Tab, the date typed, all in one frame: the date does not
/// run into the time ("14 giờ 3015/12/2025").
#[test]
fn header_keys_in_one_frame_land_once() {
    let mut h = harness(Options::default());
    h.get_by_label("Tạo phiên mới").click();
    h.run();
    h.get_by_label("Giờ bắt đầu kiểm phiếu").click();
    h.run();
    let mut events = text("14 giờ 30");
    events.extend(Stroke::Tab.events());
    events.extend(text("15/12/2025"));
    one_frame(&mut h, events);
    let meta = &h.state().session().unwrap().meta;
    assert_eq!(meta.time, "14 giờ 30");
    assert_eq!(meta.date, Some(Date::new(2025, 12, 15).unwrap()));
}

fn stroke() -> impl Strategy<Value = Stroke> {
    prop_oneof![
        4 => (0u8..10).prop_map(Stroke::Digit),
        1 => Just(Stroke::Tab),
        1 => Just(Stroke::Enter),
        1 => Just(Stroke::Up),
        1 => Just(Stroke::Down),
        1 => Just(Stroke::Left),
        1 => Just(Stroke::Right),
        1 => Just(Stroke::Backspace),
    ]
}

proptest! {
    // A fixed seed: CI runs the same sequences every time (PROPTEST_CASES widens a local run).
    #![proptest_config(ProptestConfig {
        cases: 48,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x7469_6e6e_6869_656d),
        ..ProptestConfig::default()
    })]

    /// Random key sequences, delivered in one frame and one key a frame: the grid ends as the
    /// model says either way.
    #[test]
    fn random_sequences_match_the_model(strokes in proptest::collection::vec(stroke(), 1..14)) {
        let mut model = Model::new(values(&grid()));
        for s in &strokes {
            model.apply(*s);
        }
        let mut fast = grid();
        one_frame(&mut fast, strokes.iter().flat_map(|s| s.events()).collect());
        prop_assert_eq!(values(&fast), model.cells.clone());
        prop_assert_eq!(fast.state().entry.focused, Some(model.at));
        let mut slow = grid();
        frame_by_frame(&mut slow, &strokes);
        prop_assert_eq!(values(&slow), model.cells);
        prop_assert_eq!(slow.state().entry.focused, Some(model.at));
    }
}

/// egui itself, without the app's hook, lets the keys of one frame reach two cells: what the
/// hook is for (this documents the cause; if egui ever changes, the hook stays harmless).
#[test]
fn without_the_hook_one_frame_reaches_two_cells() {
    let mut h = grid();
    let before = values(&h);
    let mut events = text("3");
    events.extend(Stroke::Tab.events());
    events.extend(text("17"));
    h.input_mut().events.extend(events);
    h.step();
    h.run();
    let after = values(&h);
    let expected_row = [Some(3), Some(17), before[0][2]];
    assert_ne!(after[0], expected_row, "egui now splits frames itself");
}

/// "0 0 Backspace" (found by the property test): the same whatever the typing speed. The cell
/// shows "00" as typed, and the Backspace leaves "0", as in a spreadsheet (it was lost, or
/// emptied the cell, depending on the frames the keys fell in).
#[test]
fn backspace_after_a_normalised_number() {
    use Stroke::*;
    let mut h = grid();
    frame_by_frame(&mut h, &[Digit(0), Digit(0), Backspace]);
    assert_eq!(values(&h)[0][0], Some(0));
    let mut h = grid();
    one_frame(
        &mut h,
        [Digit(0), Digit(0), Backspace]
            .iter()
            .flat_map(|s| s.events())
            .collect(),
    );
    assert_eq!(values(&h)[0][0], Some(0));
    let mut h = grid();
    frame_by_frame(&mut h, &[Digit(0), Digit(7), Backspace, Backspace]);
    assert_eq!(values(&h)[0][0], None);
}
