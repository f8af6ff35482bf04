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

use super::widgets::{LEVEL_COLORS, share_text};
use super::{Action, Ctx, Screen, i18n};
use crate::documents::layout::qr_runs;
use crate::lifecycle::Status;
use crate::model::Level;
use crate::text::Lang;

const TITLE: f32 = 40.0;
const TEXT: f32 = 30.0;
const QR_SIDE: f32 = 300.0;
/// The smallest QR code: a phone reads a 33×33 code of 4-point modules from a metre away.
const QR_MIN: f32 = 180.0;
/// The narrowest bar worth drawing; with less room the figures keep the room and the bar goes.
const BAR_MIN: f32 = 60.0;
/// The type size text is measured at (widths scale with the size).
const MEASURE_AT: f32 = 100.0;

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
        // Type sized so that the title, the header and every cadre fit the screen's height,
        // and every figure, heading and band whole in its width (`Columns::fit`).
        let rows = table_rows(gt, profile, lang);
        let lines = rows.iter().map(Row::lines).sum::<f32>() + 2.0;
        // Below the table: the keys' line, and the draft's warning.
        let below = if seal.is_some() { 40.0 } else { 70.0 };
        let height = ui.available_height() - below;
        // The title (1.25 lines) and the group's name above, with a little space.
        let text = (height / ((lines + 2.65) * 1.6)).clamp(12.0, TEXT);
        ui.label(
            RichText::new(&cx.session.meta.conference)
                .size((text * 1.25).min(TITLE))
                .strong(),
        );
        ui.label(RichText::new(group_title(cx, *cx.group, lang)).size(text));
        ui.add_space(text * 0.4);
        // The QR code as large as the hall needs and the screen allows.
        let qr_side = (ui.available_height() * 0.5).clamp(QR_MIN, QR_SIDE);
        ui.horizontal_top(|ui| {
            let table_width = if seal.is_some() {
                ui.available_width() - qr_side - 48.0
            } else {
                ui.available_width()
            };
            ui.vertical(|ui| {
                ui.set_max_width(table_width);
                let columns = Columns::fit(ui, &rows, lang, text, table_width);
                table_ui(ui, &rows, lang, columns, self.light);
            });
            if let Some(seal) = seal {
                ui.vertical(|ui| {
                    ui.set_max_width(qr_side);
                    qr_ui(ui, &qr_text(&seal.fingerprint), qr_side);
                    ui.label(RichText::new(i18n::FINGERPRINT.get(lang)).size(18.0))
                        .on_hover_text(i18n::FINGERPRINT_HOVER.get(lang));
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
fn group_title(cx: &Ctx<'_>, g: usize, lang: Lang) -> String {
    let name = cx.session.groups.get(g).map_or("", |x| x.name.as_str());
    let n = cx.session.groups.len();
    if n > 1 {
        format!("{name} ({})", i18n::group_of(lang, g + 1, n))
    } else {
        name.to_owned()
    }
}

/// A QR code `side` points wide, as filled squares, dark on white with the quiet zone.
fn qr_ui(ui: &mut egui::Ui, data: &str, side: f32) {
    let Some((n, runs)) = qr_runs(data) else {
        return;
    };
    let (rect, _) = ui.allocate_exact_size(egui::vec2(side, side), Sense::hover());
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, CornerRadius::ZERO, Color32::WHITE);
    let quiet = 4;
    let module = side / f32::from(u16::try_from(n + 2 * quiet).unwrap_or(u16::MAX));
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

/// What one cadre's line of the table says.
struct Row {
    /// "8. Bùi Thế Lực".
    name: String,
    /// The line's body.
    body: RowBody,
}

enum RowBody {
    /// Not voted on, and why.
    Exempt(String),
    /// Counts not all entered.
    Incomplete,
    /// The three levels ("27 (54,00%)"), the bar's counts, and the band in the law's words
    /// broken as the minutes break them, with its colour, if any.
    Counted {
        shares: [String; 3],
        question: crate::tally::QuestionTally,
        band: Option<(crate::rules::BandId, String, String)>,
    },
}

impl Row {
    /// Lines of text the row takes (a band's words take two).
    fn lines(&self) -> f32 {
        match &self.body {
            RowBody::Counted { band: Some(_), .. } => 2.0,
            _ => 1.0,
        }
    }
}

/// The table's lines, with the counts beside the shares ("27 (54,00%)", as on the results
/// screen) and the band in the minutes' own words.
fn table_rows(
    gt: &crate::tally::GroupTally,
    profile: &crate::rules::Profile,
    lang: Lang,
) -> Vec<Row> {
    gt.cadres
        .iter()
        .map(|c| {
            let name = format!("{}. {}", c.index + 1, c.name);
            let body = if let Some(reason) = &c.exemption {
                RowBody::Exempt(format!("{}: {reason}", i18n::EXEMPT_ROW.get(lang)))
            } else if let Some(q) = c.overall {
                let band = c.band.and_then(|b| profile.band(b)).map(|b| {
                    (
                        b.id,
                        crate::documents::minutes::note_lines(b.short.get(lang)),
                        b.label.get(lang).to_owned(),
                    )
                });
                RowBody::Counted {
                    shares: [q.high, q.medium, q.low].map(|s| share_text(s, lang)),
                    question: q,
                    band,
                }
            } else {
                RowBody::Incomplete
            };
            Row { name, body }
        })
        .collect()
}

/// The type size and the columns' widths of the table.
#[derive(Debug, Clone, Copy)]
struct Columns {
    text: f32,
    name: f32,
    /// 0 when there is no room for the bar.
    bar: f32,
    share: f32,
    band: f32,
}

impl Columns {
    /// The largest type size up to `text` at which every figure ("100 (100,00%)"), every
    /// heading (whole, on two lines at most) and every band shows whole in `width`: the bar
    /// takes what is left, and goes when less than [`BAR_MIN`] is; names get what is left
    /// after the figures only at the smallest size (cut with the whole name on hover).
    fn fit(ui: &egui::Ui, rows: &[Row], lang: Lang, text: f32, width: f32) -> Self {
        let measure = |t: &str| -> f32 {
            t.lines()
                .map(|line| {
                    ui.ctx().fonts_mut(|f| {
                        f.layout_no_wrap(
                            line.to_owned(),
                            egui::FontId::proportional(MEASURE_AT),
                            Color32::WHITE,
                        )
                        .size()
                        .x
                    })
                })
                .fold(0.0, f32::max)
        };
        let widest = |texts: &mut dyn Iterator<Item = &str>| texts.map(measure).fold(0.0, f32::max);
        // A heading may wrap between words: its longest word must fit.
        let words = |t: &'static str| t.split(' ').map(measure).fold(0.0, f32::max);
        let name =
            widest(&mut rows.iter().map(|r| r.name.as_str())).max(measure(i18n::NAME.get(lang)));
        let figures = rows
            .iter()
            .filter_map(|r| match &r.body {
                RowBody::Counted { shares, .. } => Some(shares.iter().map(|s| measure(s))),
                _ => None,
            })
            .flatten()
            .fold(0.0, f32::max);
        let heads = |each: &dyn Fn(&'static str) -> f32| {
            Level::ALL
                .iter()
                .map(|l| each(l.label().get(lang)))
                .fold(0.0, f32::max)
        };
        // The headings on one line where that fits, else broken between words.
        let share_whole = figures.max(heads(&|t| measure(t)));
        let share_words = figures.max(heads(&words));
        let band = rows
            .iter()
            .filter_map(|r| match &r.body {
                RowBody::Counted {
                    band: Some((_, words, _)),
                    ..
                } => Some(measure(words)),
                _ => None,
            })
            .fold(0.0, f32::max)
            .max(measure(i18n::BAND.get(lang)));
        let gap = ui.spacing().item_spacing.x;
        let fixed = 6.0 * gap + 10.0;
        // Rounding of glyph positions: a little room more than measured.
        let at = |size: f32, w: f32| w * size / MEASURE_AT * 1.03 + 2.0;
        let need = |size: f32, share: f32, bar: f32| {
            fixed + bar + at(size, name) + 3.0 * at(size, share) + at(size, band)
        };
        // First the whole headings with the bar, then headings on two lines, then no bar;
        // only then a smaller type (never below 12), the names cut last.
        let (size, share, bar) = if need(text, share_whole, BAR_MIN) <= width {
            (text, share_whole, true)
        } else if need(text, share_words, BAR_MIN) <= width {
            (text, share_words, true)
        } else {
            let per_size = (name + 3.0 * share_words + band) * 1.03 / MEASURE_AT;
            let fits = (width - fixed - 8.0) / per_size;
            (text.min(fits).max(12.0), share_words, false)
        };
        let share_w = at(size, share);
        let band_w = at(size, band);
        let name_w = at(size, name).min((width - fixed - 3.0 * share_w - band_w).max(40.0));
        let bar_w = if bar {
            width - fixed - name_w - 3.0 * share_w - band_w
        } else {
            0.0
        };
        Self {
            text: size,
            name: name_w,
            bar: bar_w,
            share: share_w,
            band: band_w,
        }
    }
}

/// The results table: per cadre its name, a bar of the three levels, the three counts with
/// their shares and the band, in columns sized so that no figure, heading or band is cut
/// ([`Columns::fit`]).
fn table_ui(ui: &mut egui::Ui, rows: &[Row], lang: Lang, c: Columns, light: bool) {
    let text = c.text;
    // Wrapped, never cut: a text wider than its column takes another line.
    let cell = |ui: &mut egui::Ui, w: f32, t: RichText| {
        ui.allocate_ui_with_layout(
            egui::vec2(w, text * 1.4),
            egui::Layout::top_down(egui::Align::Min),
            |ui| {
                ui.set_width(w);
                ui.add(egui::Label::new(t).wrap())
            },
        )
        .inner
    };
    let head = |t: &str| RichText::new(t).size(text).strong();
    ui.horizontal_top(|ui| {
        cell(ui, c.name, head(i18n::NAME.get(lang)));
        if c.bar > 0.0 {
            cell(ui, c.bar, RichText::new(""));
        }
        for level in Level::ALL {
            cell(ui, c.share, head(level.label().get(lang)));
        }
        cell(ui, c.band, head(i18n::BAND.get(lang))).on_hover_text(i18n::BAND_HOVER.get(lang));
    });
    for row in rows {
        ui.horizontal_top(|ui| {
            let name = RichText::new(&row.name).size(text).strong();
            ui.allocate_ui_with_layout(
                egui::vec2(c.name, text * 1.4),
                egui::Layout::left_to_right(egui::Align::Min),
                |ui| {
                    ui.set_width(c.name);
                    // Only at the smallest size with the longest names: the figures keep
                    // their room, the name shows whole on hover.
                    ui.add(egui::Label::new(name).truncate())
                },
            );
            match &row.body {
                RowBody::Exempt(reason) => {
                    let rest = ui.available_width();
                    cell(ui, rest, RichText::new(reason).size(text * 0.8).italics());
                }
                RowBody::Incomplete => {
                    cell(ui, c.bar.max(c.share), RichText::new("—").size(text));
                }
                RowBody::Counted {
                    shares,
                    question,
                    band,
                } => {
                    if c.bar > 0.0 {
                        bar_ui(ui, egui::vec2(c.bar, text), question);
                    }
                    for share in shares {
                        cell(ui, c.share, RichText::new(share).size(text).strong());
                    }
                    if let Some((id, words, label)) = band {
                        let color = match id {
                            crate::rules::BandId::BandB => Color32::from_rgb(220, 40, 40),
                            crate::rules::BandId::BandA if light => Color32::from_rgb(170, 90, 0),
                            crate::rules::BandId::BandA => Color32::from_rgb(255, 170, 40),
                        };
                        let r = cell(
                            ui,
                            c.band,
                            RichText::new(words).size(text).strong().color(color),
                        );
                        r.on_hover_text(label);
                    }
                }
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
    for (count, color) in counts.iter().zip(LEVEL_COLORS) {
        let w = rect.width() * (*count as f32) / (total as f32);
        let r = egui::Rect::from_min_max(
            egui::pos2(x, rect.top() + size.y * 0.15),
            egui::pos2(x + w, rect.bottom() - size.y * 0.15),
        );
        painter.rect_filled(r, CornerRadius::ZERO, color);
        x += w;
    }
}
