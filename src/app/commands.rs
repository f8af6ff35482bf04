//! The commands a menu item and a keyboard shortcut both give, each with its keys and its
//! label in one place (rerun's `UICommand` is the model), so that the menu shows the very key
//! that works and a new shortcut cannot be forgotten in either.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

use super::{Action, i18n};
use crate::text::{Lang, Tr};

/// A command with a keyboard shortcut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiCommand {
    /// Save to the session's file: Ctrl+S.
    Save,
    /// Save elsewhere: Ctrl+Shift+S.
    SaveAs,
    /// Undo the last edit: Ctrl+Z.
    Undo,
    /// Redo: Ctrl+Y, or Ctrl+Shift+Z as in many programs.
    Redo,
    /// The user guide: F1, with or without a session.
    Guide,
}

impl UiCommand {
    /// Every command, in the order their keys are taken: a shortcut with Shift before the
    /// same one without (egui matches Ctrl+S when Ctrl+Shift+S is pressed).
    pub const ALL: [UiCommand; 5] = [
        UiCommand::SaveAs,
        UiCommand::Save,
        UiCommand::Redo,
        UiCommand::Undo,
        UiCommand::Guide,
    ];

    /// Its keys; the first is the one the menu shows.
    #[must_use]
    pub fn keys(self) -> &'static [KeyboardShortcut] {
        const CTRL: Modifiers = Modifiers::COMMAND;
        const CTRL_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
        const SAVE: [KeyboardShortcut; 1] = [KeyboardShortcut::new(CTRL, Key::S)];
        const SAVE_AS: [KeyboardShortcut; 1] = [KeyboardShortcut::new(CTRL_SHIFT, Key::S)];
        const UNDO: [KeyboardShortcut; 1] = [KeyboardShortcut::new(CTRL, Key::Z)];
        const REDO: [KeyboardShortcut; 2] = [
            KeyboardShortcut::new(CTRL, Key::Y),
            KeyboardShortcut::new(CTRL_SHIFT, Key::Z),
        ];
        const GUIDE: [KeyboardShortcut; 1] = [KeyboardShortcut::new(Modifiers::NONE, Key::F1)];
        match self {
            UiCommand::Save => &SAVE,
            UiCommand::SaveAs => &SAVE_AS,
            UiCommand::Undo => &UNDO,
            UiCommand::Redo => &REDO,
            UiCommand::Guide => &GUIDE,
        }
    }

    /// Its menu item's words.
    #[must_use]
    pub fn label(self) -> Tr {
        match self {
            UiCommand::Save => i18n::SAVE,
            UiCommand::SaveAs => i18n::SAVE_AS,
            UiCommand::Undo => i18n::UNDO,
            UiCommand::Redo => i18n::REDO,
            UiCommand::Guide => i18n::HELP_GUIDE,
        }
    }

    /// What it does.
    #[must_use]
    pub fn action(self) -> Action {
        match self {
            UiCommand::Save => Action::Save,
            UiCommand::SaveAs => Action::SaveAs,
            UiCommand::Undo => Action::Undo,
            UiCommand::Redo => Action::Redo,
            UiCommand::Guide => Action::Guide,
        }
    }

    /// Whether it needs an open session (the guide opens from the start screen too).
    #[must_use]
    pub fn needs_session(self) -> bool {
        self != UiCommand::Guide
    }

    /// Its menu item: the label, and the key as this system writes it ("Ctrl+S", "⌘S").
    pub fn button(self, ctx: &egui::Context, lang: Lang) -> egui::Button<'static> {
        egui::Button::new(self.label().get(lang))
            .shortcut_text(ctx.format_shortcut(&self.keys()[0]))
    }

    /// The command whose key was pressed this frame, taken out of the input so that no
    /// widget also acts on it.
    pub fn take_pressed(ctx: &egui::Context) -> Vec<UiCommand> {
        ctx.input_mut(|i| {
            UiCommand::ALL
                .into_iter()
                .filter(|c| {
                    c.keys()
                        .iter()
                        .fold(false, |hit, k| i.consume_shortcut(k) | hit)
                })
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No key is given to two commands.
    #[test]
    fn keys_are_distinct() {
        let keys: Vec<_> = UiCommand::ALL.iter().flat_map(|c| c.keys()).collect();
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    /// A key with more modifiers is taken before the same key with fewer (egui would match
    /// Ctrl+S on Ctrl+Shift+S and save instead of asking where).
    #[test]
    fn a_shortcut_with_shift_is_taken_first() {
        let order: Vec<(usize, &KeyboardShortcut)> = UiCommand::ALL
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.keys().iter().map(move |k| (i, k)))
            .collect();
        let mut pairs = 0;
        for (i, a) in &order {
            for (j, b) in &order {
                if a.logical_key == b.logical_key
                    && a.modifiers != b.modifiers
                    && a.modifiers.contains(b.modifiers)
                {
                    assert!(i < j, "{a:?} must be taken before {b:?}");
                    pairs += 1;
                }
            }
        }
        // Ctrl+Shift+S before Ctrl+S, Ctrl+Shift+Z before Ctrl+Z.
        assert_eq!(pairs, 2);
    }
}
