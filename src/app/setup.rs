//! The setup screen: the minutes' header, the people, the ballot groups with their voters,
//! cadres (add, paste, reorder, exempt) and per-criterion questions.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use eframe::egui::{self, RichText, TextEdit};

use super::fonts::bold;
use super::widgets::{count_edit, mark, text_edit, text_row, voter_field};
use super::{Ctx, i18n};
use crate::edit::{Edit, MetaField, VoterField, Who};
use crate::model::{CadreField, Date, FieldPath, GroupField, Person};
use crate::rules::ProfileId;
use crate::text::Lang;

/// Height of one cadre row in the list.
const ROW_H: f32 = 24.0;
/// Narrowest window width that shows the group's figures and its cadres side by side.
const WIDE: f32 = 1500.0;
/// Width of the left column (figures, criteria) on a wide window.
const LEFT_W: f32 = 520.0;

/// The two tabs of the setup screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SetupTab {
    /// The minutes' header and the people.
    #[default]
    General,
    /// Ballot groups, voters, cadres, criteria.
    Groups,
}

/// The setup screen's own state: fields being typed that are not part of the session yet.
#[derive(Debug, Clone, Default)]
pub struct SetupScreen {
    /// The tab shown.
    pub tab: SetupTab,
    /// The date as typed, while it does not parse.
    pub date_text: Option<String>,
    /// The new cadre's name.
    pub new_name: String,
    /// The new cadre's position.
    pub new_position: String,
    /// The paste box.
    pub paste: String,
    /// The new criterion's name.
    pub new_criterion: String,
    /// A cadre was just added through the new-cadre row: the list scrolls to its end once, so
    /// that the person typing a list sees each name land.
    pub reveal_last: bool,
}

/// A field of cadre `cadre` in group `group`.
fn cadre_path(group: usize, cadre: usize, field: CadreField) -> FieldPath {
    FieldPath::Cadre {
        group,
        cadre,
        field,
    }
}

/// The setting of blind double entry (its stages run on the entry screen: `double.rs`).
fn double_entry_setting(ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
    let mut on = cx.session.double_entry;
    if ui
        .checkbox(&mut on, i18n::DOUBLE_ENTRY_SETTING.get(cx.lang))
        .changed()
    {
        cx.edits.push(Edit::SetDoubleEntry(on));
    }
}

impl SetupScreen {
    /// Draws the screen: two tabs, so that neither needs much scrolling.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        ui.horizontal(|ui| {
            ui.selectable_value(
                &mut self.tab,
                SetupTab::General,
                i18n::SETUP_GENERAL.get(lang),
            );
            ui.selectable_value(
                &mut self.tab,
                SetupTab::Groups,
                i18n::SETUP_GROUPS.get(lang),
            );
        });
        ui.separator();
        match self.tab {
            SetupTab::General => {
                egui::ScrollArea::vertical()
                    .id_salt("setup-general")
                    .auto_shrink(false)
                    .show(ui, |ui| {
                        ui.label(bold(i18n::META.get(lang)));
                        self.meta_ui(ui, cx);
                        ui.separator();
                        ui.label(bold(i18n::PEOPLE.get(lang)));
                        people_ui(ui, cx);
                        ui.separator();
                        proceedings_ui(ui, cx);
                        ui.separator();
                        wording_ui(ui, cx);
                        ui.separator();
                        double_entry_setting(ui, cx);
                    });
            }
            SetupTab::Groups => self.group_ui(ui, cx),
        }
    }

    fn meta_ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        let s = cx.session;
        egui::Grid::new("meta-grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let l = ui.label(i18n::PROFILE.get(lang));
                let profile = s.profile.profile();
                ui.vertical(|ui| {
                    egui::ComboBox::from_id_salt("profile")
                        .selected_text(profile.name.get(lang))
                        .width(360.0)
                        .show_ui(ui, |ui| {
                            for id in ProfileId::ALL {
                                if ui
                                    .selectable_label(id == s.profile, id.profile().name.get(lang))
                                    .clicked()
                                    && id != s.profile
                                {
                                    cx.edits.push(Edit::SetProfile(id));
                                }
                            }
                        })
                        .response
                        .labelled_by(l.id);
                    ui.label(RichText::new(profile.summary.get(lang)).weak());
                });
                ui.end_row();
                if profile.bases.len() > 1 {
                    let l = ui.label(i18n::BASE.get(lang));
                    let current = s.effective_base();
                    egui::ComboBox::from_id_salt("base")
                        .selected_text(current.label().get(lang))
                        .show_ui(ui, |ui| {
                            for b in profile.bases {
                                if ui
                                    .selectable_label(*b == current, b.label().get(lang))
                                    .clicked()
                                {
                                    cx.edits.push(Edit::SetBase(Some(*b)));
                                }
                            }
                        })
                        .response
                        .on_hover_text(profile.base_citation.get(lang))
                        .labelled_by(l.id);
                    ui.end_row();
                }
                for f in MetaField::ALL {
                    let r = text_row(ui, f.label().get(lang), f.get(&s.meta), cx.edits, |v| {
                        Edit::SetMeta(f, v)
                    });
                    mark(ui, &r, cx.derived, &FieldPath::Meta(f), lang);
                }
                self.date_ui(ui, cx);
                text_row(
                    ui,
                    i18n::TEAM.get(lang),
                    s.team.as_deref().unwrap_or_default(),
                    cx.edits,
                    Edit::SetTeam,
                )
                .on_hover_text(i18n::TEAM_HELP.get(lang));
            });
    }

    fn date_ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        let l = ui.label(i18n::DATE.get(lang));
        let shown = cx
            .session
            .meta
            .date
            .map(|d| d.vietnamese_short())
            .unwrap_or_default();
        let mut buf = self.date_text.clone().unwrap_or_else(|| shown.clone());
        ui.horizontal(|ui| {
            let r = ui
                .add(TextEdit::singleline(&mut buf).desired_width(120.0))
                .labelled_by(l.id);
            if r.changed() {
                if buf.trim().is_empty() {
                    cx.edits.push(Edit::SetDate(None));
                } else if let Ok(d) = buf.parse::<Date>() {
                    cx.edits.push(Edit::SetDate(Some(d)));
                }
                self.date_text = Some(buf.clone());
            }
            if r.lost_focus() {
                self.date_text = None;
            }
            let parses = buf.trim().is_empty() || buf.parse::<Date>().is_ok();
            if !parses {
                ui.colored_label(ui.visuals().error_fg_color, i18n::DATE_INVALID.get(lang));
            } else if let Some(d) = cx.session.meta.date {
                ui.label(RichText::new(d.vietnamese_long()).weak());
            }
            mark(ui, &r, cx.derived, &FieldPath::Date, lang);
        });
        ui.end_row();
    }

    fn group_ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        let s = cx.session;
        ui.horizontal(|ui| {
            super::widgets::group_picker(ui, cx);
            if ui.button(i18n::ADD_GROUP.get(lang)).clicked() {
                cx.edits
                    .push(Edit::AddGroup(i18n::NEW_GROUP_NAME.get(lang).to_owned()));
                *cx.group = s.groups.len();
            }
            if s.groups.len() > 1 && ui.button(i18n::REMOVE_GROUP.get(lang)).clicked() {
                cx.edits.push(Edit::RemoveGroup(*cx.group));
            }
            // The group's ballot form, beside the group it belongs to (no room taken from
            // the cadre list on a 600-pixel screen).
            if let Some(group) = s.groups.get(*cx.group) {
                let mut scan = group.scan_form;
                if ui
                    .checkbox(&mut scan, i18n::SCAN_FORM_SETTING.get(lang))
                    .on_hover_text(i18n::SCAN_FORM_HINT.get(lang))
                    .changed()
                {
                    cx.edits.push(Edit::SetScanForm {
                        group: *cx.group,
                        on: scan,
                    });
                }
            }
        });
        let g = *cx.group;
        let Some(group) = s.groups.get(g) else {
            return;
        };
        // Wide screens: the group's figures and criteria on the left, the cadres on the
        // right. An office laptop (1024 or 1366 wide): one column that scrolls, so that every
        // field stays reachable.
        if ui.available_width() >= WIDE {
            ui.horizontal_top(|ui| {
                ui.allocate_ui(egui::vec2(LEFT_W, ui.available_height()), |ui| {
                    egui::ScrollArea::vertical()
                        .id_salt("setup-group-left")
                        .auto_shrink([true, false])
                        .show(ui, |ui| self.group_figures_ui(ui, cx, g, group));
                });
                ui.separator();
                ui.vertical(|ui| {
                    ui.label(bold(i18n::CADRES.get(lang)));
                    self.cadres_ui(ui, cx);
                });
            });
        } else {
            egui::ScrollArea::vertical()
                .id_salt("setup-group-narrow")
                .auto_shrink(false)
                .show(ui, |ui| {
                    self.group_figures_ui(ui, cx, g, group);
                    ui.separator();
                    ui.label(bold(i18n::CADRES.get(lang)));
                    self.cadres_ui(ui, cx);
                });
        }
    }

    /// The group's name, voters' figures and criteria.
    fn group_figures_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut Ctx<'_>,
        g: usize,
        group: &crate::model::BallotGroup,
    ) {
        let lang = cx.lang;
        egui::Grid::new("group-grid")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let r = text_row(
                    ui,
                    i18n::GROUP_NAME.get(lang),
                    &group.name,
                    cx.edits,
                    |name| Edit::RenameGroup { group: g, name },
                );
                mark(
                    ui,
                    &r,
                    cx.derived,
                    &FieldPath::Group(g, GroupField::Name),
                    lang,
                );
                for f in VoterField::ALL {
                    voter_field(ui, cx, (g, &group.voters), f, 80.0);
                    ui.end_row();
                }
                ui.label(i18n::VALID_SHEETS.get(lang));
                ui.label(
                    group
                        .voters
                        .valid_sheets()
                        .map_or_else(|| "—".to_owned(), |v| v.to_string()),
                );
                ui.end_row();
            });
        ui.separator();
        ui.label(bold(i18n::CRITERIA.get(lang)));
        self.criteria_ui(ui, cx);
    }

    fn cadres_ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        let g = *cx.group;
        let Some(group) = cx.session.groups.get(g) else {
            return;
        };
        let n = group.cadres.len();
        // The name and position take what the fixed parts (number, exempt box and reason,
        // move and remove buttons) leave; below that the rows scroll sideways.
        let free = (ui.available_width() - 600.0).max(300.0);
        let (name_w, position_w) = (
            (free * 0.45).clamp(150.0, 300.0),
            (free * 0.55).clamp(150.0, 380.0),
        );
        let screen = ui.ctx().content_rect().height();
        // max then min, not clamp: on a tiny or zoomed window the upper bound may be the smaller.
        let height = (ui.available_height() - 240.0)
            .max(ROW_H * 8.0)
            .min((screen * 0.55).max(ROW_H * 4.0));
        let mut area = egui::ScrollArea::both()
            .id_salt("setup-cadres")
            .max_height(height);
        let reveal = std::mem::take(&mut self.reveal_last);
        if reveal {
            // Far enough down that the last row is laid out (only the rows in sight are);
            // the row then scrolls itself into sight, in this list and in the page around it.
            let row = ROW_H + ui.spacing().item_spacing.y;
            area = area.vertical_scroll_offset((n as f32 * row - height).max(0.0));
        }
        area.show_rows(ui, ROW_H, n, |ui, rows| {
            for i in rows {
                let c = &group.cadres[i];
                let line = ui
                    .horizontal(|ui| {
                        ui.add_sized([36.0, ROW_H], egui::Label::new(format!("{}", i + 1)));
                        let who = i18n::cadre_number(lang, i);
                        let r =
                            text_edit(ui, &c.name, name_w, cx.edits, |name| Edit::RenameCadre {
                                group: g,
                                cadre: i,
                                name,
                            })
                            .accessible_name(format!("{} – {who}", i18n::NAME.get(lang)));
                        mark(
                            ui,
                            &r,
                            cx.derived,
                            &cadre_path(g, i, CadreField::Name),
                            lang,
                        );
                        let r = text_edit(ui, &c.position, position_w, cx.edits, |position| {
                            Edit::SetPosition {
                                group: g,
                                cadre: i,
                                position,
                            }
                        })
                        .accessible_name(format!("{} – {who}", i18n::POSITION.get(lang)));
                        mark(
                            ui,
                            &r,
                            cx.derived,
                            &cadre_path(g, i, CadreField::Position),
                            lang,
                        );
                        let mut exempt = c.exemption.is_some();
                        if ui
                            .checkbox(&mut exempt, i18n::EXEMPT.get(lang))
                            .on_hover_text(format!("{} – {who}", i18n::EXEMPT.get(lang)))
                            .accessible_name(format!("{} – {who}", i18n::EXEMPT.get(lang)))
                            .changed()
                        {
                            cx.edits.push(Edit::SetExemption {
                                group: g,
                                cadre: i,
                                // Empty and required (E203): it goes into the minutes, so it
                                // is the committee's words, never a pre-filled guess.
                                reason: exempt.then(String::new),
                            });
                        }
                        if let Some(reason) = &c.exemption {
                            let r = text_edit(ui, reason, 180.0, cx.edits, |r| {
                                Edit::SetExemption {
                                    group: g,
                                    cadre: i,
                                    reason: Some(r),
                                }
                            })
                            .accessible_name(format!("{} – {who}", i18n::EXEMPT_REASON.get(lang)));
                            mark(
                                ui,
                                &r,
                                cx.derived,
                                &cadre_path(g, i, CadreField::Exemption),
                                lang,
                            );
                        }
                        move_buttons(ui, lang, g, i, n, cx.edits);
                    })
                    .response;
                if reveal && i + 1 == n {
                    line.scroll_to_me(Some(egui::Align::Max));
                }
            }
        });
        self.add_cadres_ui(ui, cx);
    }

    /// Adding one cadre, or many from a pasted list.
    ///
    /// Enter in either field of the new-cadre row adds the cadre, as the button does, and
    /// puts the keyboard back in the name field for the next one: a list is typed name, Tab,
    /// position, Enter, without the mouse.
    fn add_cadres_ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        let g = *cx.group;
        ui.horizontal(|ui| {
            let name = ui
                .add(
                    TextEdit::singleline(&mut self.new_name)
                        .hint_text(i18n::NAME.get(lang))
                        .desired_width(220.0),
                )
                .accessible_name(i18n::NEW_NAME.get(lang));
            let position = ui
                .add(
                    TextEdit::singleline(&mut self.new_position)
                        .hint_text(i18n::POSITION.get(lang))
                        .desired_width(200.0),
                )
                .accessible_name(i18n::NEW_POSITION.get(lang));
            let enter = (name.lost_focus() || position.lost_focus())
                && ui.input(|i| i.key_pressed(egui::Key::Enter));
            let clicked = ui.button(i18n::ADD_CADRE.get(lang)).clicked();
            if (clicked || enter) && !self.new_name.trim().is_empty() {
                cx.edits.push(Edit::AddCadre {
                    group: g,
                    name: std::mem::take(&mut self.new_name),
                    position: std::mem::take(&mut self.new_position),
                });
                self.reveal_last = true;
            }
            if enter {
                name.request_focus();
            }
        });
        let l = ui.label(i18n::PASTE_BOX.get(lang));
        ui.add(
            TextEdit::multiline(&mut self.paste)
                .desired_rows(4)
                .desired_width(ui.available_width().min(600.0)),
        )
        .labelled_by(l.id);
        if ui.button(i18n::IMPORT_CADRES.get(lang)).clicked() {
            cx.actions.push(super::Action::ImportCadresDialog);
        }
        if ui.button(i18n::PASTE_ADD.get(lang)).clicked() {
            cx.edits.push(Edit::PasteCadres {
                group: g,
                text: std::mem::take(&mut self.paste),
            });
        }
    }

    fn criteria_ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        let g = *cx.group;
        let Some(group) = cx.session.groups.get(g) else {
            return;
        };
        ui.label(RichText::new(i18n::CRITERIA_NOTE.get(lang)).weak());
        for (k, c) in group.criteria.iter().enumerate() {
            ui.horizontal(|ui| {
                ui.label(format!("{} {}", i18n::CRITERION.get(lang), k + 1));
                let w = (ui.available_width() - 200.0).clamp(200.0, 520.0);
                let r = text_edit(ui, &c.name, w, cx.edits, |name| Edit::RenameCriterion {
                    group: g,
                    index: k,
                    name,
                })
                .accessible_name(format!(
                    "{} {}",
                    i18n::CRITERION.get(lang),
                    k + 1
                ));
                mark(
                    ui,
                    &r,
                    cx.derived,
                    &FieldPath::Group(g, GroupField::Criterion(k)),
                    lang,
                );
                if ui
                    .button(i18n::REMOVE.get(lang))
                    .on_hover_text(format!("{} {}", i18n::CRITERION.get(lang), k + 1))
                    .clicked()
                {
                    cx.edits.push(Edit::RemoveCriterion { group: g, index: k });
                }
            });
        }
        ui.horizontal_wrapped(|ui| {
            let r = ui
                .add(TextEdit::singleline(&mut self.new_criterion).desired_width(300.0))
                .accessible_name(i18n::ADD_CRITERION.get(lang));
            let enter = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(i18n::ADD_CRITERION.get(lang)).clicked() || enter)
                && !self.new_criterion.trim().is_empty()
            {
                cx.edits.push(Edit::AddCriterion {
                    group: g,
                    name: std::mem::take(&mut self.new_criterion),
                });
            }
            if ui.button(i18n::ADD_QD96.get(lang)).clicked() {
                cx.edits.push(Edit::AddQd96Criteria { group: g, lang });
            }
        });
    }
}

fn move_buttons(
    ui: &mut egui::Ui,
    lang: Lang,
    g: usize,
    i: usize,
    n: usize,
    edits: &mut Vec<Edit>,
) {
    let who = i18n::cadre_number(lang, i);
    if ui
        .add_enabled(i > 0, egui::Button::new(i18n::MOVE_UP.get(lang)))
        .on_hover_text(i18n::MOVE_UP.get(lang))
        .accessible_name(format!("{} – {who}", i18n::MOVE_UP.get(lang)))
        .clicked()
    {
        edits.push(Edit::MoveCadre {
            group: g,
            from: i,
            to: i - 1,
        });
    }
    if ui
        .add_enabled(i + 1 < n, egui::Button::new(i18n::MOVE_DOWN.get(lang)))
        .on_hover_text(i18n::MOVE_DOWN.get(lang))
        .accessible_name(format!("{} – {who}", i18n::MOVE_DOWN.get(lang)))
        .clicked()
    {
        edits.push(Edit::MoveCadre {
            group: g,
            from: i,
            to: i + 1,
        });
    }
    if ui
        .button(i18n::REMOVE.get(lang))
        .on_hover_text(i18n::REMOVE.get(lang))
        .accessible_name(format!("{} – {who}", i18n::REMOVE.get(lang)))
        .clicked()
    {
        edits.push(Edit::RemoveCadre { group: g, cadre: i });
    }
}

/// The parts of the biên bản besides the figures, all optional: an empty one is left out of
/// the minutes, never printed blank.
fn proceedings_ui(ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
    use crate::model::{CommitteeChosen, ProceedingsField as F};
    let lang = cx.lang;
    let p = &cx.session.proceedings;
    ui.label(bold(i18n::PROCEEDINGS.get(lang)));
    ui.label(RichText::new(i18n::PROCEEDINGS_NOTE.get(lang)).weak());
    egui::Grid::new("proceedings-grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            let l = ui.label(F::CommitteeChosen.label().get(lang));
            let name = |c: Option<CommitteeChosen>| match c {
                None => i18n::NOT_STATED.get(lang),
                Some(c) => c.label().get(lang),
            };
            egui::ComboBox::from_id_salt("committee-chosen")
                .selected_text(name(p.committee_chosen))
                .show_ui(ui, |ui| {
                    for c in [
                        None,
                        Some(CommitteeChosen::Elected),
                        Some(CommitteeChosen::Approved),
                    ] {
                        if ui
                            .selectable_label(c == p.committee_chosen, name(c))
                            .clicked()
                            && c != p.committee_chosen
                        {
                            cx.edits.push(Edit::SetCommitteeChosen(c));
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            for (f, value) in [
                (F::Absences, &p.absences),
                (F::CountEnded, &p.count_ended),
                (F::SealedTo, &p.sealed_to),
            ] {
                let r = text_row(ui, f.label().get(lang), value, cx.edits, move |v| {
                    Edit::SetProceedingsText(f, v)
                });
                mark(ui, &r, cx.derived, &FieldPath::Proceedings(f), lang);
            }
            ui.label(F::Remarks.label().get(lang));
            ui.vertical(|ui| {
                let mut stated = p.remarks.is_some();
                if ui
                    .checkbox(&mut stated, i18n::REMARKS_STATED.get(lang))
                    .changed()
                {
                    cx.edits.push(Edit::SetRemarks(stated.then(String::new)));
                }
                if let Some(text) = &p.remarks {
                    text_edit(ui, text, 360.0, cx.edits, |v| Edit::SetRemarks(Some(v)))
                        .accessible_name(i18n::REMARKS_TEXT.get(lang))
                        .on_hover_text(i18n::REMARKS_HELP.get(lang));
                }
            });
            ui.end_row();
            let l = ui.label(F::Copies.label().get(lang));
            count_edit(ui, p.copies, 60.0, cx.edits, Edit::SetCopies).labelled_by(l.id);
            ui.end_row();
        });
}

/// The minutes' wording a locality may set: its own opening and closing paragraphs (templates
/// with named fields, previewed filled in as typed) and the ranking column.
fn wording_ui(ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
    use crate::model::MinutesField as F;
    use crate::template;
    let lang = cx.lang;
    let w = &cx.session.minutes;
    ui.label(bold(i18n::WORDING.get(lang)));
    let fields = template::Field::ALL
        .iter()
        .map(|f| format!("{{{}}} {}", f.name(), f.meaning(lang)))
        .collect::<Vec<_>>()
        .join("; ");
    ui.label(RichText::new(format!("{} {fields}.", i18n::WORDING_NOTE.get(lang))).weak());
    let mut ranking = w.ranking;
    if ui
        .checkbox(&mut ranking, F::Ranking.label().get(lang))
        .changed()
    {
        cx.edits.push(Edit::SetRanking(ranking));
    }
    for (field, value, default) in [
        (F::Opening, &w.opening, template::DEFAULT_OPENING),
        (F::Closing, &w.closing, template::DEFAULT_CLOSING),
    ] {
        let label = field.label().get(lang);
        let mut own = value.is_some();
        if ui
            .checkbox(
                &mut own,
                format!("{} {}", i18n::WORDING_OWN.get(lang), label.to_lowercase()),
            )
            .changed()
        {
            cx.edits
                .push(Edit::SetMinutesText(field, own.then(|| default.to_owned())));
        }
        let Some(text) = value else { continue };
        let mut buf = text.clone();
        let width = ui.available_width().min(640.0);
        let r = ui.add(
            egui::TextEdit::multiline(&mut buf)
                .desired_width(width)
                .desired_rows(2),
        );
        let r = r.accessible_name(label);
        if r.changed() && buf != *text {
            cx.edits.push(Edit::SetMinutesText(field, Some(buf)));
        }
        mark(ui, &r, cx.derived, &FieldPath::Minutes(field), lang);
        match template::fill(text, cx.session, lang) {
            Some(filled) => {
                ui.label(
                    RichText::new(format!("{} {filled}", i18n::WORDING_PREVIEW.get(lang))).weak(),
                );
            }
            None => {
                if let Err(e) = template::parse(text) {
                    ui.colored_label(ui.visuals().error_fg_color, e.message(lang));
                }
            }
        }
    }
}

fn people_ui(ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
    let lang = cx.lang;
    let s = cx.session;
    egui::Grid::new("people-grid")
        .num_columns(3)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            // The columns say what they hold: the box after the name is the position.
            ui.label("");
            ui.label(RichText::new(i18n::PERSON_NAME_HEAD.get(lang)).weak());
            ui.label(RichText::new(i18n::PERSON_ROLE_HEAD.get(lang)).weak());
            ui.end_row();
            for (who, label, p) in [
                (Who::Chair, i18n::CHAIR, &s.chair),
                (Who::Secretary, i18n::SECRETARY, &s.secretary),
            ] {
                person_row(ui, cx, who, label.get(lang).to_owned(), p);
                ui.end_row();
            }
        });
    ui.label(i18n::COMMITTEE.get(lang));
    egui::Grid::new("committee-grid")
        .num_columns(4)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            for (i, p) in s.committee.iter().enumerate() {
                let label = format!("{} {}", i18n::MEMBER.get(lang), i + 1);
                person_row(ui, cx, Who::Committee(i), label.clone(), p);
                if ui
                    .button(i18n::REMOVE.get(lang))
                    .accessible_name(format!("{} – {label}", i18n::REMOVE.get(lang)))
                    .clicked()
                {
                    cx.edits.push(Edit::RemoveCommitteeMember(i));
                }
                ui.end_row();
            }
        });
    if ui.button(i18n::ADD_MEMBER.get(lang)).clicked() {
        cx.edits.push(Edit::AddCommitteeMember(Person::default()));
    }
}

fn person_row(ui: &mut egui::Ui, cx: &mut Ctx<'_>, who: Who, label: String, p: &Person) {
    let lang = cx.lang;
    ui.label(&label);
    let r = text_edit(ui, &p.name, 260.0, cx.edits, |v| {
        Edit::SetPersonName(who, v)
    })
    .accessible_name(format!("{} – {label}", i18n::NAME.get(lang)));
    let path = FieldPath::Person { who, role: false };
    mark(ui, &r, cx.derived, &path, lang);
    text_edit(ui, &p.role, 220.0, cx.edits, |v| {
        Edit::SetPersonRole(who, v)
    })
    .accessible_name(format!("{} – {label}", i18n::ROLE.get(lang)));
}
