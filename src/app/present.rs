//! The presentation view: the results the conference announces, full screen, for the back of a
//! hall: high contrast (white on black, or black on white: key T), type sized to fit every
//! cadre of the group on the screen whatever its size (a projector's 1024×768 too), a bar per
//! cadre, the groups paged with ← → (Page Up/Down), and once the session is final a QR code of
//! its fingerprint. It reads the tally; it computes nothing.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use eframe::egui::{self, Color32, CornerRadius, Key, RichText, Sense, ViewportCommand};

use super::{Action, Ctx, Screen, i18n};
use crate::documents::layout::qr_runs;
use crate::lifecycle::Status;
use crate::model::Level;

const TITLE: f32 = 40.0;
const TEXT: f32 = 30.0;
const QR_SIDE: f32 = 300.0;

/// The presentation view's own state: light or dark (it shows the selected group).
#[derive(Debug, Clone, Copy, Default)]
pub struct PresentScreen {
    /// Black on white instead of white on black (a bright hall, a weak projector).
    pub light: bool,
}

/// The colours of the view: background and text.
fn colors(light: bool) -> (Color32, Color32) {
    if light {
        (Color32::WHITE, Color32::BLACK)
    } else {
        (Color32::BLACK, Color32::WHITE)
    }
}

/// The panel frame, with a margin.
pub fn frame(light: bool) -> egui::Frame {
    egui::Frame::new()
        .fill(colors(light).0)
        .inner_margin(egui::Margin::same(24))
}

/// Enters or leaves full screen when the app goes to or from the presentation.
pub fn fullscreen(ctx: &egui::Context, from: Screen, to: Screen) {
    if (from == Screen::Present) != (to == Screen::Present) {
        ctx.send_viewport_cmd(ViewportCommand::Fullscreen(to == Screen::Present));
    }
}

/// The text QR codes of a sealed session carry, as on the minutes.
#[must_use]
pub fn qr_text(fingerprint: &str) -> String {
    format!("tinnhiem:sha256:{fingerprint}")
}

impl PresentScreen {
    /// Draws the view; Esc goes back to the results, ← → page through the groups, T switches
    /// light and dark.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        let groups = cx.session.groups.len();
        let (back, next, prev, toggle) = ui.input_mut(|i| {
            let none = egui::Modifiers::NONE;
            (
                i.consume_key(none, Key::Escape),
                i.consume_key(none, Key::ArrowRight) || i.consume_key(none, Key::PageDown),
                i.consume_key(none, Key::ArrowLeft) || i.consume_key(none, Key::PageUp),
                i.consume_key(none, Key::T),
            )
        });
        if back {
            cx.actions.push(Action::GoTo(Screen::Results));
        }
        if next && *cx.group + 1 < groups {
            *cx.group += 1;
        }
        if prev && *cx.group > 0 {
            *cx.group -= 1;
        }
        if toggle {
            self.light = !self.light;
        }
        let (_, fg) = colors(self.light);
        // Every text of the view in the one colour, strong text too (the app's theme would
        // otherwise draw headings dark on the black background).
        let v = ui.visuals_mut();
        *v = if self.light {
            egui::Visuals::light()
        } else {
            egui::Visuals::dark()
        };
        v.override_text_color = Some(fg);
        for w in [
            &mut v.widgets.noninteractive,
            &mut v.widgets.inactive,
            &mut v.widgets.hovered,
            &mut v.widgets.active,
        ] {
            w.fg_stroke.color = fg;
        }
        let tally = &cx.derived.tally;
        let profile = tally.profile.profile();
        let Some(gt) = tally.groups.get(*cx.group) else {
            return;
        };
        let seal = match &cx.session.status {
            Status::Final(seal) => Some(seal),
            Status::Draft => None,
        };
        // Type sized so that the title, the header and every cadre fit the screen's height.
        let rows = gt.cadres.len() as f32 + 1.0;
        let height = ui.available_height() - 120.0;
        let text = (height / (rows * 1.6 + 3.0)).clamp(12.0, TEXT);
        ui.label(
            RichText::new(&cx.session.meta.conference)
                .size((text * 1.25).min(TITLE))
                .strong(),
        );
        ui.label(RichText::new(group_title(cx, *cx.group, lang)).size(text));
        ui.add_space(text * 0.4);
        ui.horizontal_top(|ui| {
            let table_width = if seal.is_some() {
                ui.available_width() - QR_SIDE - 48.0
            } else {
                ui.available_width()
            };
            ui.vertical(|ui| {
                ui.set_max_width(table_width);
                table_ui(ui, gt, (profile, lang), (text, table_width, self.light));
            });
            if let Some(seal) = seal {
                ui.vertical(|ui| {
                    qr_ui(ui, &qr_text(&seal.fingerprint));
                    ui.label(RichText::new(i18n::FINGERPRINT.get(lang)).size(18.0));
                    ui.add(
                        egui::Label::new(RichText::new(&seal.fingerprint).monospace().size(16.0))
                            .wrap(),
                    );
                });
            }
        });
        ui.with_layout(egui::Layout::bottom_up(egui::Align::LEFT), |ui| {
            ui.label(RichText::new(i18n::PRESENT_EXIT.get(lang)).color(Color32::GRAY));
            if seal.is_none() {
                let warn = if self.light {
                    Color32::from_rgb(150, 90, 0)
                } else {
                    Color32::YELLOW
                };
                ui.label(
                    RichText::new(i18n::PRESENT_DRAFT.get(lang))
                        .size(20.0)
                        .color(warn),
                );
            }
        });
    }
}

/// "Ban Thường vụ Tỉnh ủy (nhóm 1/2)" when there is more than one group.
fn group_title(cx: &Ctx<'_>, g: usize, lang: crate::text::Lang) -> String {
    let name = cx.session.groups.get(g).map_or("", |x| x.name.as_str());
    let n = cx.session.groups.len();
    if n > 1 {
        format!("{name} ({})", i18n::group_of(lang, g + 1, n))
    } else {
        name.to_owned()
    }
}

/// A QR code as filled squares, dark on white with the quiet zone.
fn qr_ui(ui: &mut egui::Ui, data: &str) {
    let Some((n, runs)) = qr_runs(data) else {
        return;
    };
    let (rect, _) = ui.allocate_exact_size(egui::vec2(QR_SIDE, QR_SIDE), Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, CornerRadius::ZERO, Color32::WHITE);
    let quiet = 4;
    let module = QR_SIDE / f32::from(u16::try_from(n + 2 * quiet).unwrap_or(u16::MAX));
    let at = |k: i32| f32::from(i16::try_from(k).unwrap_or(i16::MAX)) * module;
    for (row, start, end) in runs {
        let min = rect.min + egui::vec2(at(start + quiet), at(row + quiet));
        let size = egui::vec2(at(end - start), module);
        painter.rect_filled(
            egui::Rect::from_min_size(min, size),
            CornerRadius::ZERO,
            Color32::BLACK,
        );
    }
}

/// The results table: per cadre its name, a bar of the three levels, the three shares and
/// the band, in columns sized to the width so that nothing is cut.
fn table_ui(
    ui: &mut egui::Ui,
    gt: &crate::tally::GroupTally,
    (profile, lang): (&crate::rules::Profile, crate::text::Lang),
    (text, width, light): (f32, f32, bool),
) {
    let gap = ui.spacing().item_spacing.x;
    let w_name = width * 0.30;
    let w_bar = width * 0.22;
    let w_share = width * 0.10;
    let w_band = (width - w_name - w_bar - 3.0 * w_share - 6.0 * gap).max(40.0);
    let cell = |ui: &mut egui::Ui, w: f32, t: RichText| {
        ui.allocate_ui_with_layout(
            egui::vec2(w, text * 1.4),
            egui::Layout::left_to_right(egui::Align::Center),
            |ui| {
                ui.set_width(w);
                ui.add(egui::Label::new(t).truncate())
            },
        );
    };
    ui.horizontal(|ui| {
        cell(
            ui,
            w_name,
            RichText::new(i18n::NAME.get(lang)).size(text).strong(),
        );
        cell(ui, w_bar, RichText::new(""));
        for level in Level::ALL {
            let head = RichText::new(i18n::level_short(lang, level))
                .size(text)
                .strong();
            cell(ui, w_share, head);
        }
        cell(
            ui,
            w_band,
            RichText::new(i18n::BAND.get(lang)).size(text).strong(),
        );
    });
    for c in &gt.cadres {
        ui.horizontal(|ui| {
            let name = format!("{}. {}", c.index + 1, c.name);
            cell(ui, w_name, RichText::new(name).size(text).strong());
            if let Some(reason) = &c.exemption {
                let t = format!("{}: {reason}", i18n::EXEMPT_ROW.get(lang));
                cell(
                    ui,
                    width - w_name,
                    RichText::new(t).size(text * 0.8).italics(),
                );
                return;
            }
            let Some(q) = &c.overall else {
                cell(ui, w_bar, RichText::new("—").size(text));
                return;
            };
            bar_ui(ui, egui::vec2(w_bar, text), q);
            for share in [q.high, q.medium, q.low] {
                let p = share.fraction.percent_display(lang);
                cell(ui, w_share, RichText::new(p).size(text).strong());
            }
            // The band by name here ("Mức A"); its words are in the minutes and on hover.
            let band = c.band.map_or("", |b| i18n::band_short(lang, b));
            let words = c
                .band
                .map_or_else(String::new, |b| super::results::band_text(profile, b, lang));
            let color = match c.band {
                Some(crate::rules::BandId::BandB) => Color32::from_rgb(220, 40, 40),
                Some(crate::rules::BandId::BandA) if light => Color32::from_rgb(170, 90, 0),
                Some(crate::rules::BandId::BandA) => Color32::from_rgb(255, 170, 40),
                None => colors(light).1,
            };
            cell(
                ui,
                w_band,
                RichText::new(band).size(text).strong().color(color),
            );
            if !words.is_empty() {
                ui.label("").on_hover_text(words);
            }
        });
    }
}

/// One cadre's bar: the three levels' counts side by side, as shares of the whole bar.
fn bar_ui(ui: &mut egui::Ui, size: egui::Vec2, q: &crate::tally::QuestionTally) {
    let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
    let counts = [q.high.count, q.medium.count, q.low.count].map(u64::from);
    let total: u64 = counts.iter().sum();
    if total == 0 {
        return;
    }
    let painter = ui.painter_at(rect);
    let mut x = rect.left();
    for (count, color) in counts.iter().zip(super::results::LEVEL_COLORS) {
        let w = rect.width() * (*count as f32) / (total as f32);
        let r = egui::Rect::from_min_max(
            egui::pos2(x, rect.top() + size.y * 0.15),
            egui::pos2(x + w, rect.bottom() - size.y * 0.15),
        );
        painter.rect_filled(r, CornerRadius::ZERO, color);
        x += w;
    }
}
