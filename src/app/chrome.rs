//! What surrounds the screens: the window's title, the menu bar and the theme, the session's
//! state and notices, the status bar, and the screen itself.

use eframe::egui::{self, RichText, ViewportCommand};

use super::commands::UiCommand;
use super::{Action, App, Ctx, Doc, SaveState, Screen};
use super::{ballot, contrast, double, i18n, prefs, work};
use crate::text::Lang;

impl App {
    pub(super) fn update_title(&mut self, ui: &egui::Ui) {
        let file = self
            .doc
            .as_ref()
            .and_then(|d| d.path.as_ref())
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        let dirty = self.doc.as_ref().is_some_and(Doc::dirty);
        let title = i18n::window_title(self.lang, file.as_deref(), dirty);
        if title != self.title {
            ui.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    pub(super) fn top_bar(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let has_doc = self.doc.is_some();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button(i18n::MENU_FILE.get(lang), |ui| {
                if ui.button(i18n::NEW.get(lang)).clicked() {
                    self.actions.push(Action::CloseSession);
                }
                if ui.button(i18n::OPEN.get(lang)).clicked() {
                    self.actions.push(Action::OpenDialog);
                }
                if ui.button(i18n::MERGE.get(lang)).clicked() {
                    self.actions.push(Action::MergeDialog);
                }
                for command in [UiCommand::Save, UiCommand::SaveAs] {
                    if ui
                        .add_enabled(has_doc, command.button(ui.ctx(), lang))
                        .clicked()
                    {
                        self.actions.push(command.action());
                    }
                }
                if ui
                    .add_enabled(has_doc, egui::Button::new(i18n::CLOSE_SESSION.get(lang)))
                    .clicked()
                {
                    self.actions.push(Action::CloseSession);
                }
                if ui.button(i18n::QUIT.get(lang)).clicked() {
                    self.actions.push(Action::Quit);
                }
            });
            ui.menu_button(i18n::MENU_EDIT.get(lang), |ui| {
                let (can_undo, can_redo) = self.doc.as_ref().map_or((None, None), |d| {
                    (
                        d.history.next_undo().map(|e| e.describe()),
                        d.history.next_redo().map(|e| e.describe()),
                    )
                });
                for (command, next) in [(UiCommand::Undo, can_undo), (UiCommand::Redo, can_redo)] {
                    let r = ui.add_enabled(next.is_some(), command.button(ui.ctx(), lang));
                    if let Some(m) = &next {
                        r.clone().on_hover_text(m.get(lang));
                    }
                    if r.clicked() {
                        self.actions.push(command.action());
                    }
                }
            });
            self.docs_menu(ui);
            ui.menu_button(i18n::MENU_VIEW.get(lang), |ui| self.theme_ui(ui));
            ui.menu_button(i18n::MENU_HELP.get(lang), |ui| {
                if ui.add(UiCommand::Guide.button(ui.ctx(), lang)).clicked() {
                    self.actions.push(UiCommand::Guide.action());
                }
            });
            ui.separator();
            if has_doc {
                for (screen, label) in [
                    (Screen::Setup, i18n::SCREEN_SETUP),
                    (Screen::Entry, i18n::SCREEN_ENTRY),
                    (Screen::Results, i18n::SCREEN_RESULTS),
                    (Screen::Ballot, i18n::SCREEN_BALLOT),
                    (Screen::Scan, i18n::SCREEN_SCAN),
                    (Screen::Present, i18n::SCREEN_PRESENT),
                ] {
                    if ui
                        .selectable_label(self.screen == screen, label.get(lang))
                        .clicked()
                    {
                        self.actions.push(Action::GoTo(screen));
                    }
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                for l in Lang::ALL.iter().rev() {
                    ui.selectable_value(&mut self.lang, *l, l.native_name());
                }
            });
        });
        // The session's state on a row of its own, so that the menus never run into it on a
        // narrow screen.
        if has_doc {
            ui.horizontal_wrapped(|ui| {
                self.seal_bar(ui);
                self.counting_notice(ui);
            });
        }
    }

    /// "Đang đếm từng phiếu: 4/24" on every screen while a ballot-by-ballot count is not
    /// finished: its figures are not the vote's yet. Its button ends the count, with a reason,
    /// from anywhere: the count may be gone from memory (another group chosen, the file
    /// reopened, the entry agreed) while its mark stays in the session.
    fn counting_notice(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let Some(session) = self.session() else {
            return;
        };
        let mut end = None;
        for (k, g) in session.groups.iter().enumerate() {
            if let Some(sheets) = g.ballot_count
                && g.voters.collected != Some(sheets)
            {
                ui.label(
                    RichText::new(i18n::counting_now(
                        lang,
                        &g.name,
                        sheets,
                        g.voters.collected,
                    ))
                    .strong()
                    .color(ui.visuals().warn_fg_color),
                );
                if ui
                    .button(i18n::END_COUNT_BUTTON.get(lang))
                    .on_hover_text(i18n::BALLOT_END_EARLY.get(lang))
                    .clicked()
                {
                    end = Some((k, sheets));
                }
            }
        }
        if let Some((k, sheets)) = end {
            self.end_count = Some((k, sheets, String::new()));
        }
    }

    /// Where the open session stands against its file, if one is open.
    #[must_use]
    pub fn save_state(&self) -> Option<SaveState> {
        let doc = self.doc.as_ref()?;
        Some(
            if matches!(self.work.busy(), Some(work::Job::WaitingForLock(_))) {
                SaveState::Saving
            } else if doc.path.is_none() {
                SaveState::NeverSaved
            } else if doc.dirty() {
                SaveState::Modified
            } else {
                SaveState::Saved
            },
        )
    }

    /// The file and its one save state ([`SaveState`]).
    pub(super) fn status_bar(&self, ui: &mut egui::Ui) {
        let lang = self.lang;
        if let Some(job) = self.work.busy() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new(job.doing(lang)).strong());
            });
        }
        let (Some(doc), Some(state)) = (&self.doc, self.save_state()) else {
            ui.label(i18n::APP_TITLE.get(lang));
            return;
        };
        ui.horizontal(|ui| {
            if let Some(path) = &doc.path {
                ui.label(path.display().to_string());
                ui.separator();
            }
            let mut words = i18n::save_state(lang, state).to_owned();
            if state != SaveState::Saved {
                if doc.dirty() && doc.recovery_revision == doc.revision {
                    words += &format!(" ({})", i18n::RECOVERY_SAVED.get(lang));
                }
                ui.colored_label(ui.visuals().warn_fg_color, words);
            } else {
                ui.label(words);
            }
        });
    }

    pub(super) fn screen_ui(&mut self, ui: &mut egui::Ui) {
        if self.screen == Screen::Summary {
            self.summary.ui(ui, self.lang, &mut self.actions);
            return;
        }
        if self.doc.is_none() {
            self.screen = Screen::Start;
        }
        if self.screen == Screen::Start {
            let recent = self.prefs.recent.clone();
            self.start.ui(
                ui,
                self.lang,
                &recent,
                &mut self.operator,
                &mut self.actions,
            );
            return;
        }
        // Compute the derived data before borrowing the session for the frame.
        let _ = self.derived();
        let (Some(doc), Some(derived)) = (&self.doc, &self.derived) else {
            return;
        };
        let groups = doc.session.groups.len();
        self.group = self.group.min(groups.saturating_sub(1));
        let mut cx = Ctx {
            lang: self.lang,
            session: &doc.session,
            derived,
            group: &mut self.group,
            edits: &mut self.edits,
            actions: &mut self.actions,
        };
        if doc.session.is_final() && !matches!(self.screen, Screen::Results | Screen::Present) {
            // Sealed: shown, not editable (every edit would be refused by the core anyway), and
            // still readable.
            contrast::read_only(ui);
        }
        match self.screen {
            Screen::Setup => self.setup.ui(ui, &mut cx),
            Screen::Entry => match self.double.bar(ui, &mut cx, &mut self.operator) {
                double::View::Grid => self.entry.ui(ui, &mut cx),
                double::View::Locked => {
                    contrast::read_only(ui);
                    self.entry.ui(ui, &mut cx);
                }
                double::View::Differences => {}
            },
            Screen::Results => self.results.ui(ui, &mut cx),
            Screen::Ballot => match self.double.bar(ui, &mut cx, &mut self.operator) {
                double::View::Grid => self.ballot.ui(ui, &mut cx),
                double::View::Locked | double::View::Differences => {
                    ballot::BallotScreen::locked_ui(ui, cx.lang);
                }
            },
            Screen::Present => self.present.ui(ui, &mut cx),
            Screen::Scan => self.scan.ui(ui, &mut cx, &mut self.operator),
            Screen::Start | Screen::Summary => {}
        }
    }

    /// The theme choices of the "Xem" menu; the choice is remembered (losing it loses no
    /// work).
    fn theme_ui(&mut self, ui: &mut egui::Ui) {
        let lang = self.lang;
        let mut pref = ui.ctx().options(|o| o.theme_preference);
        let name = |p: egui::ThemePreference| match p {
            egui::ThemePreference::Light => i18n::THEME_LIGHT.get(lang),
            egui::ThemePreference::Dark => i18n::THEME_DARK.get(lang),
            egui::ThemePreference::System => i18n::THEME_SYSTEM.get(lang),
        };
        let before = pref;
        ui.label(RichText::new(i18n::THEME.get(lang)).weak());
        for p in [
            egui::ThemePreference::Light,
            egui::ThemePreference::Dark,
            egui::ThemePreference::System,
        ] {
            ui.radio_value(&mut pref, p, name(p));
        }
        if pref != before {
            ui.ctx().set_theme(pref);
            let theme = match pref {
                egui::ThemePreference::Light => prefs::Theme::Light,
                egui::ThemePreference::Dark => prefs::Theme::Dark,
                egui::ThemePreference::System => prefs::Theme::System,
            };
            self.update_prefs(|p| p.theme = theme);
        }
    }
}
