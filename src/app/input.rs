//! One keystroke, one field: the input of a frame ends at the first event that moves the focus.
//!
//! egui hands every event of a frame to the field focused when the frame starts, and moves the
//! focus for Tab while the frame begins. When typing is fast (or the computer slow), one frame
//! holds "3, Tab, 1, 7": the 1 and 7 then reached the old cell as well as, or instead of, the
//! new one ("Tín nhiệm" 31, "Tín nhiệm thấp" 317), and in the header the date ran into the
//! time field: a field that gains the focus mid-frame reads the whole frame's text too. So
//! the app gives every event that moves the focus (Tab, Enter, Escape, arrows, Page Up/Down, a
//! mouse press) a frame of its own, and keeps what follows, in order, for the next frames:
//! each key then reaches the field that is focused when it is read, as in a spreadsheet. Nothing is dropped, and the deferred keys are replayed at once (a repaint is
//! requested), so typing never feels slower.
//!
//! It is also where an input method's Tab and Enter become keys again ([`ime_keys`]): one
//! place for every field of every screen.

use eframe::egui::{Event, ImeEvent, Key, Modifiers, RawInput};

/// Whether `event` may move the keyboard focus: the frame's input ends after it.
#[must_use]
pub fn moves_focus(event: &Event) -> bool {
    match event {
        Event::Key {
            key, pressed: true, ..
        } => matches!(
            key,
            Key::Tab
                | Key::Enter
                | Key::Escape
                | Key::ArrowUp
                | Key::ArrowDown
                | Key::ArrowLeft
                | Key::ArrowRight
                | Key::PageUp
                | Key::PageDown
        ),
        Event::PointerButton { pressed: true, .. } => true,
        _ => false,
    }
}

/// The key an input method's commit ends in (Tab or Enter), and the word before it.
fn key_commit(event: &Event) -> Option<(&str, Key)> {
    let Event::Ime(ImeEvent::Commit(text)) = event else {
        return None;
    };
    if let Some(w) = text.strip_suffix('\t') {
        return Some((w, Key::Tab));
    }
    text.strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\r'))
        .or_else(|| text.strip_suffix('\n'))
        .map(|w| (w, Key::Enter))
}

/// An input method's commit that ends in Tab or Enter becomes the word, then the key.
///
/// Under ibus or fcitx on X11, Tab or Enter pressed while a word is still being composed
/// reaches the app (through winit) as a commit of "\t" or "\r", never as a key: a text field
/// would take the tab as a character and keep the focus, and would drop the Enter. Here,
/// before any field sees it, it is the word (if any) and then the key, pressed and released
/// with `modifiers` (Shift+Tab goes back), so that every field of every screen moves on or
/// confirms as with the input method off. (The word may also come after the key:
/// [`word_before_key`].)
#[must_use]
pub fn ime_keys(event: Event, modifiers: Modifiers) -> Vec<Event> {
    let Some((word, key)) = key_commit(&event) else {
        return vec![event];
    };
    let press = |pressed| Event::Key {
        key,
        physical_key: None,
        pressed,
        repeat: false,
        modifiers,
    };
    let mut out = Vec::with_capacity(3);
    if !word.is_empty() {
        out.push(Event::Ime(ImeEvent::Commit(word.to_owned())));
    }
    out.extend([press(true), press(false)]);
    out
}

/// Puts the word an input method commits right after a Tab or Enter commit before it.
///
/// ibus with Unikey on X11 (tried under Xvfb, ibus 1.5.27, ibus-unikey 0.6.1) sends, for Tab
/// pressed while "Xuân" is composed: the composition cleared, a commit of "\t", then the
/// commit of "Xuân", in one batch of events. Taken in that order, the Tab moves on first and
/// the word lands in the next field ("Tổ Hòa" and "Trần Thị Hồng NhungXuân"). The word
/// belongs to the field the key leaves.
#[must_use]
pub fn word_before_key(mut events: Vec<Event>) -> Vec<Event> {
    let mut i = 0;
    while i < events.len() {
        if key_commit(&events[i]).is_some_and(|(word, _)| word.is_empty()) {
            let next = (i + 1..events.len())
                .find(|&j| !matches!(events[j], Event::Ime(ImeEvent::Preedit { .. })));
            if let Some(j) = next
                && matches!(&events[j], Event::Ime(ImeEvent::Commit(w)) if !w.is_empty())
                && key_commit(&events[j]).is_none()
            {
                let word = events.remove(j);
                events.insert(i, word);
                i += 1;
            }
        }
        i += 1;
    }
    events
}

/// The events that arrived but belong to later frames.
#[derive(Debug, Default)]
pub struct InputQueue {
    deferred: Vec<Event>,
    /// The modifier keys held, as last reported (for [`ime_keys`]).
    modifiers: Modifiers,
}

impl InputQueue {
    /// Makes `raw` one frame's input: the events kept from before, then the new ones, up to
    /// the first that moves the focus, or that event alone; the rest wait. Returns whether some wait
    /// (the caller asks for another frame at once).
    pub fn frame(&mut self, raw: &mut RawInput) -> bool {
        let mut events = std::mem::take(&mut self.deferred);
        for event in word_before_key(std::mem::take(&mut raw.events)) {
            if let Event::ModifiersChanged(m) = event {
                self.modifiers = m;
            }
            events.extend(ime_keys(event, self.modifiers));
        }
        if let Some(at) = events.iter().position(moves_focus) {
            // Alone in its frame: typed text before it goes to the field it leaves, text after
            // it to the field it reaches, never both (a field focused mid-frame also reads the
            // frame's earlier text).
            self.deferred = events.split_off(at.max(1));
        }
        raw.events = events;
        !self.deferred.is_empty()
    }

    /// Whether events wait for the next frames.
    #[must_use]
    pub fn waiting(&self) -> bool {
        !self.deferred.is_empty()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;
    use eframe::egui::Modifiers;

    fn key(key: Key) -> Event {
        Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: Modifiers::NONE,
        }
    }

    fn text(t: &str) -> Event {
        Event::Text(t.into())
    }

    /// "3, Tab, 1, 7, Enter, 2" in one frame becomes five frames, each key that moves the
    /// focus alone in its own; no event is lost or reordered.
    #[test]
    fn a_focus_key_has_a_frame_of_its_own() {
        let mut q = InputQueue::default();
        let all = vec![
            text("3"),
            key(Key::Tab),
            text("1"),
            text("7"),
            key(Key::Enter),
            text("2"),
        ];
        let mut raw = RawInput {
            events: all.clone(),
            ..RawInput::default()
        };
        for frame in [&all[..1], &all[1..2], &all[2..4], &all[4..5]] {
            assert!(q.frame(&mut raw));
            assert_eq!(raw.events, frame);
            raw = RawInput::default();
        }
        assert!(!q.frame(&mut raw));
        assert_eq!(raw.events, all[5..]);
        assert!(!q.waiting());
    }

    /// A commit ending in Tab or Enter (ibus while a word is composed) is the word, then the
    /// key, which gets a frame of its own; other commits pass unchanged.
    #[test]
    fn ime_tab_and_enter_are_keys() {
        let commit = |t: &str| Event::Ime(ImeEvent::Commit(t.into()));
        let press = |k, pressed, modifiers| Event::Key {
            key: k,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers,
        };
        let shift = Modifiers::SHIFT;
        assert_eq!(
            ime_keys(commit("Hà\t"), shift),
            [
                commit("Hà"),
                press(Key::Tab, true, shift),
                press(Key::Tab, false, shift)
            ]
        );
        for enter in ["\r", "\n", "\r\n"] {
            assert_eq!(
                ime_keys(commit(enter), Modifiers::NONE),
                [
                    press(Key::Enter, true, Modifiers::NONE),
                    press(Key::Enter, false, Modifiers::NONE)
                ]
            );
        }
        for other in [commit("Nguyễn"), commit(""), text("\t")] {
            assert_eq!(ime_keys(other.clone(), shift), [other]);
        }
        // ibus's order: the key's commit, then the word's.
        let preedit = |t: &str| {
            Event::Ime(ImeEvent::Preedit {
                text: t.into(),
                active_range_chars: None,
            })
        };
        assert_eq!(
            word_before_key(vec![
                preedit(""),
                commit("\t"),
                preedit(""),
                commit("Xuân"),
                preedit(""),
                commit("\t"),
                text("x"),
                commit("y")
            ]),
            [
                preedit(""),
                commit("Xuân"),
                commit("\t"),
                preedit(""),
                preedit(""),
                commit("\t"),
                text("x"),
                commit("y")
            ]
        );
        let mut q = InputQueue::default();
        let mut raw = RawInput {
            events: vec![commit("Hà\t"), commit("Nội")],
            ..RawInput::default()
        };
        assert!(q.frame(&mut raw));
        assert_eq!(raw.events, [commit("Hà")]);
        let mut raw = RawInput::default();
        assert!(q.frame(&mut raw));
        assert_eq!(raw.events, [press(Key::Tab, true, Modifiers::NONE)]);
    }

    /// New events queue behind the deferred ones.
    #[test]
    fn new_events_wait_behind_old_ones() {
        let mut q = InputQueue::default();
        let mut raw = RawInput {
            events: vec![key(Key::Tab), text("1")],
            ..RawInput::default()
        };
        assert!(q.frame(&mut raw));
        assert_eq!(raw.events, vec![key(Key::Tab)]);
        let mut raw = RawInput {
            events: vec![text("2")],
            ..RawInput::default()
        };
        assert!(!q.frame(&mut raw));
        assert_eq!(raw.events, vec![text("1"), text("2")]);
    }
}
