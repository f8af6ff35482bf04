//! The start screen: a new session under a chosen rule profile, a saved one, or an example.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::fonts::bold;
use super::{Action, EXAMPLES, i18n};
use crate::rules::ProfileId;
use crate::text::Lang;

/// The start screen's own state: the profile chosen for a new session.
#[derive(Debug, Clone, Default)]
pub struct StartScreen {
    /// The profile a new session will use.
    pub profile: ProfileId,
}

impl StartScreen {
    /// Draws the screen; choices become [`Action`]s.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        recent: &[PathBuf],
        operator: &mut String,
        actions: &mut Vec<Action>,
    ) {
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.heading(bold(i18n::APP_TITLE.get(lang)).size(24.0));
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                let label = ui.label(bold(i18n::OPERATOR.get(lang)));
                ui.add(
                    egui::TextEdit::singleline(operator)
                        .hint_text(i18n::OPERATOR_HINT.get(lang))
                        .desired_width(280.0),
                )
                .labelled_by(label.id);
            });
            ui.label(RichText::new(i18n::OPERATOR_WHY.get(lang)).weak());
            ui.add_space(12.0);
            ui.columns(2, |cols| {
                self.new_ui(&mut cols[0], lang, actions);
                open_ui(&mut cols[1], lang, recent, actions);
            });
        });
    }

    fn new_ui(&mut self, ui: &mut egui::Ui, lang: Lang, actions: &mut Vec<Action>) {
        ui.label(bold(i18n::START_NEW.get(lang)).size(18.0));
        ui.label(i18n::START_PROFILE.get(lang));
        for id in ProfileId::ALL {
            let p = id.profile();
            ui.radio_value(&mut self.profile, id, p.name.get(lang));
            ui.indent(id.code(), |ui| {
                ui.label(RichText::new(p.summary.get(lang)).weak());
            });
        }
        ui.add_space(8.0);
        if ui
            .button(bold(i18n::START_CREATE.get(lang)).size(16.0))
            .on_hover_text(i18n::SESSION_HELP.get(lang))
            .clicked()
        {
            actions.push(Action::New(self.profile));
        }
    }
}

fn open_ui(ui: &mut egui::Ui, lang: Lang, recent: &[PathBuf], actions: &mut Vec<Action>) {
    ui.label(bold(i18n::START_OPEN.get(lang)).size(18.0));
    if ui.button(i18n::OPEN.get(lang)).clicked() {
        actions.push(Action::OpenDialog);
    }
    ui.add_space(8.0);
    ui.label(bold(i18n::START_RECENT.get(lang)));
    if recent.is_empty() {
        ui.label(RichText::new(i18n::START_NO_RECENT.get(lang)).weak());
    }
    for path in recent {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        if ui
            .link(name)
            .on_hover_text(path.display().to_string())
            .clicked()
        {
            actions.push(Action::Open(path.clone()));
        }
    }
    ui.add_space(8.0);
    ui.label(bold(i18n::START_TEAMS.get(lang)));
    if ui.button(i18n::MERGE.get(lang)).clicked() {
        actions.push(Action::MergeDialog);
    }
    ui.label(RichText::new(i18n::MERGE_WHY.get(lang)).weak());
    ui.add_space(8.0);
    ui.label(bold(i18n::START_SUMMARY.get(lang)));
    if ui.button(i18n::START_SUMMARY_BUTTON.get(lang)).clicked() {
        actions.push(Action::GoTo(super::Screen::Summary));
    }
    ui.label(RichText::new(i18n::START_SUMMARY_WHY.get(lang)).weak());
    ui.add_space(8.0);
    ui.label(bold(i18n::START_EXAMPLES.get(lang)));
    for (n, (name, _)) in EXAMPLES.iter().enumerate() {
        if ui.link(*name).clicked() {
            actions.push(Action::OpenExample(n));
        }
    }
}
