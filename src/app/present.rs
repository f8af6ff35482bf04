//! The presentation view: the results the conference announces, full screen, white on black,
//! large type, and once the session is final a QR code of its fingerprint. It reads the
//! tally; it computes nothing.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use eframe::egui::{self, Color32, CornerRadius, Key, RichText, Sense, ViewportCommand};

use super::results::band_text;
use super::{Action, Ctx, Screen, i18n};
use crate::documents::layout::qr_runs;
use crate::lifecycle::Status;
use crate::model::Level;

const TITLE: f32 = 40.0;
const TEXT: f32 = 30.0;
const QR_SIDE: f32 = 300.0;

/// The presentation view (no state of its own: it shows the selected group).
#[derive(Debug, Clone, Copy, Default)]
pub struct PresentScreen;

/// The panel frame: black, with a margin.
pub fn frame() -> egui::Frame {
    egui::Frame::new()
        .fill(Color32::BLACK)
        .inner_margin(egui::Margin::same(32))
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
    /// Draws the view; Esc goes back to the results.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, Key::Escape)) {
            cx.actions.push(Action::GoTo(Screen::Results));
        }
        ui.visuals_mut().override_text_color = Some(Color32::WHITE);
        let tally = &cx.derived.tally;
        let profile = tally.profile.profile();
        let Some(gt) = tally.groups.get(*cx.group) else {
            return;
        };
        let group_name = cx
            .session
            .groups
            .get(*cx.group)
            .map_or("", |g| g.name.as_str());
        ui.label(
            RichText::new(&cx.session.meta.conference)
                .size(TITLE)
                .strong(),
        );
        ui.label(RichText::new(group_name).size(TEXT));
        ui.add_space(16.0);
        let seal = match &cx.session.status {
            Status::Final(seal) => Some(seal),
            Status::Draft => None,
        };
        ui.horizontal_top(|ui| {
            let table_width = if seal.is_some() {
                ui.available_width() - QR_SIDE - 48.0
            } else {
                ui.available_width()
            };
            ui.vertical(|ui| {
                ui.set_max_width(table_width);
                table_ui(ui, gt, profile, lang);
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
                ui.label(
                    RichText::new(i18n::PRESENT_DRAFT.get(lang))
                        .size(20.0)
                        .color(Color32::YELLOW),
                );
            }
        });
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

/// The results table: per cadre the three shares and the band.
fn table_ui(
    ui: &mut egui::Ui,
    gt: &crate::tally::GroupTally,
    profile: &crate::rules::Profile,
    lang: crate::text::Lang,
) {
    egui::ScrollArea::vertical()
        .id_salt("present")
        .max_height(ui.available_height() - 40.0)
        .show(ui, |ui| {
            egui::Grid::new("present-grid")
                .spacing([32.0, 14.0])
                .show(ui, |ui| {
                    let head = |ui: &mut egui::Ui, t: &str| {
                        ui.label(RichText::new(t).size(TEXT).strong());
                    };
                    head(ui, i18n::NAME.get(lang));
                    for level in Level::ALL {
                        head(ui, level.label().get(lang));
                    }
                    head(ui, i18n::BAND.get(lang));
                    ui.end_row();
                    for c in &gt.cadres {
                        ui.label(RichText::new(&c.name).size(TEXT).strong());
                        if let Some(reason) = &c.exemption {
                            ui.label(
                                RichText::new(format!("{}: {reason}", i18n::EXEMPT_ROW.get(lang)))
                                    .size(TEXT)
                                    .italics(),
                            );
                            ui.end_row();
                            continue;
                        }
                        match &c.overall {
                            Some(q) => {
                                for share in [q.high, q.medium, q.low] {
                                    ui.label(
                                        RichText::new(share.fraction.percent_display(lang))
                                            .size(TEXT)
                                            .strong(),
                                    );
                                }
                            }
                            None => {
                                for _ in Level::ALL {
                                    ui.label(RichText::new("—").size(TEXT));
                                }
                            }
                        }
                        let band = c
                            .band
                            .map(|b| band_text(profile, b, lang))
                            .unwrap_or_default();
                        ui.label(RichText::new(band).size(TEXT * 0.8));
                        ui.end_row();
                    }
                });
        });
}
