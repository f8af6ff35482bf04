//! The results: per cadre the counts and percentages (from the core's exact fractions), the
//! band with its consequence and citation, the ranking by "tín nhiệm cao", and a stacked bar
//! chart. Nothing here computes a share or a band: it reads [`crate::tally::Tally`].

use eframe::egui::{self, Color32, Label, RichText};
use egui_plot::{Bar, BarChart, Plot};

use super::fonts::bold;
use super::widgets::{LEVEL_COLORS, cell_label, group_picker, share_text};
use super::{Ctx, i18n};
use crate::model::Level;
use crate::rules::{BandId, Profile, QD41};
use crate::tally::{CadreTally, GroupTally};
use crate::text::Lang;

const ROW_H: f32 = 24.0;
const W_NO: f32 = 36.0;
const W_NAME: f32 = 200.0;
const W_POS: f32 = 170.0;
const W_SHARE: f32 = 110.0;
const W_RANK: f32 = 48.0;
/// Room for a band's whole words ("Trên 50% đến dưới 2/3 tín nhiệm thấp"); with less, its
/// bounds only ("Trên 50% đến dưới 2/3"), the whole words in the tooltip.
const W_BAND: f32 = 330.0;

/// The results screen's own state.
#[derive(Debug, Clone, Default)]
pub struct ResultsScreen {
    /// Ranked by "tín nhiệm cao" instead of ballot order.
    pub ranked: bool,
    /// The chart instead of the table.
    pub chart: bool,
    /// Where the chart's plot was last drawn (its legend is outside it).
    pub chart_area: Option<egui::Rect>,
}

/// The colour of a band (shown with its text label, never alone).
#[must_use]
pub fn band_color(band: BandId) -> Color32 {
    match band {
        BandId::BandA => Color32::from_rgb(214, 120, 0),
        BandId::BandB => Color32::from_rgb(200, 30, 30),
    }
}

/// A rule's citation for the help, with how sure we are of it in words ("đã đối chiếu văn
/// bản") and why not, when not.
fn help_text(
    citation: crate::text::Tr,
    certainty: crate::rules::Certainty,
    doubt: Option<crate::text::Tr>,
    lang: Lang,
) -> String {
    let mut text = format!("{} ({})", citation.get(lang), certainty.label().get(lang));
    if let Some(d) = doubt {
        text.push_str(&format!("\n{}", d.get(lang)));
    }
    text
}

/// A band in the law's words, as the minutes state it: "Trên 50% đến dưới 2/3 tín nhiệm
/// thấp" (its whole label).
#[must_use]
pub fn band_text(profile: &Profile, band: BandId, lang: Lang) -> &'static str {
    profile.band(band).map_or("", |b| b.label.get(lang))
}

/// A band's bounds alone in the law's words, as the minutes' "Ghi chú" column states them:
/// "Trên 50% đến dưới 2/3". Where the whole label does not fit.
#[must_use]
pub fn band_name(profile: &Profile, band: BandId, lang: Lang) -> &'static str {
    profile.band(band).map_or("", |b| b.short.get(lang))
}

impl ResultsScreen {
    /// Draws the screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>) {
        let lang = cx.lang;
        let tally = &cx.derived.tally;
        let profile = tally.profile.profile();
        if cx.session.groups.len() > 1 {
            ui.horizontal(|ui| group_picker(ui, cx));
        }
        let Some(gt) = tally.groups.get(*cx.group) else {
            return;
        };
        ui.label(bold(profile.name.get(lang)));
        let base_kind = tally.base_kind;
        ui.horizontal_wrapped(|ui| {
            ui.label(i18n::base_line(lang, tally.base_kind.label(), gt.base))
                .on_hover_text(help_text(
                    profile.base_citation,
                    profile.base_certainty,
                    profile.base_doubt,
                    lang,
                ));
            ui.separator();
            let quorum = if gt.quorum_met {
                i18n::QUORUM_MET
            } else {
                i18n::QUORUM_NOT_MET
            };
            ui.label(quorum.get(lang)).on_hover_text(help_text(
                profile.quorum.citation,
                profile.quorum.certainty,
                profile.quorum.doubt,
                lang,
            ));
            // A party vote after QĐ 41 was repealed: say why its grounds are not shown.
            if profile.qd41_applies && !tally.qd41_applies {
                ui.separator();
                ui.label(RichText::new(i18n::QD41_NOT_SHOWN.get(lang)).weak())
                    .on_hover_text(QD41.repealed.get(lang));
            }
        });
        if cx.derived.findings.has_errors() {
            ui.colored_label(
                ui.visuals().error_fg_color,
                i18n::RESULTS_HAVE_ERRORS.get(lang),
            );
        }
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.chart, false, i18n::TABLE.get(lang));
            ui.selectable_value(&mut self.chart, true, i18n::CHART.get(lang));
            ui.separator();
            ui.selectable_value(&mut self.ranked, false, i18n::BALLOT_ORDER.get(lang));
            ui.selectable_value(&mut self.ranked, true, i18n::BY_RANK.get(lang));
        });
        ui.separator();
        if self.chart {
            self.chart_area = Some(chart_ui(ui, gt, (profile, base_kind), lang, self.ranked));
        } else {
            self.table_ui(ui, gt, (profile, tally.state_body), lang);
        }
    }

    fn table_ui(
        &self,
        ui: &mut egui::Ui,
        gt: &GroupTally,
        (profile, state_body): (&Profile, crate::rules::StateBody),
        lang: Lang,
    ) {
        let order: Vec<&CadreTally> = if self.ranked {
            gt.ranking()
        } else {
            gt.cadres.iter().collect()
        };
        egui::ScrollArea::horizontal()
            .id_salt("results-h")
            .auto_shrink(false)
            .show(ui, |ui| {
                ui.horizontal(|ui| {
                    let head = |ui: &mut egui::Ui, w: f32, t: &str| {
                        ui.add_sized([w, ROW_H], Label::new(RichText::new(t).strong()).truncate());
                    };
                    head(ui, W_NO, i18n::NO.get(lang));
                    head(ui, W_NAME, i18n::NAME.get(lang));
                    head(ui, W_POS, i18n::POSITION.get(lang));
                    for level in Level::ALL {
                        head(ui, W_SHARE, level.label().get(lang));
                    }
                    head(ui, W_SHARE, i18n::INVALID_LINES.get(lang));
                    head(ui, W_RANK, i18n::RANK.get(lang));
                    ui.add_sized(
                        [ui.available_width().max(60.0), ROW_H],
                        Label::new(RichText::new(i18n::BAND.get(lang)).strong()),
                    )
                    .on_hover_text(i18n::BAND_HOVER.get(lang));
                });
                egui::ScrollArea::vertical()
                    .id_salt("results-v")
                    .auto_shrink(false)
                    .show_rows(ui, ROW_H, order.len(), |ui, rows| {
                        for k in rows {
                            row_ui(ui, order[k], (profile, state_body), lang);
                        }
                    });
            });
    }
}

fn row_ui(
    ui: &mut egui::Ui,
    c: &CadreTally,
    (profile, state_body): (&Profile, crate::rules::StateBody),
    lang: Lang,
) {
    ui.horizontal(|ui| {
        ui.add_sized([W_NO, ROW_H], Label::new(format!("{}", c.index + 1)));
        cell_label(ui, [W_NAME, ROW_H], &c.name);
        cell_label(ui, [W_POS, ROW_H], &c.position).on_hover_text(&c.position);
        if let Some(reason) = &c.exemption {
            ui.label(RichText::new(format!("{}: {reason}", i18n::EXEMPT_ROW.get(lang))).italics());
            return;
        }
        let Some(q) = c.overall else {
            ui.label(RichText::new(i18n::INCOMPLETE.get(lang)).weak());
            return;
        };
        for (share, level) in [q.high, q.medium, q.low].into_iter().zip(Level::ALL) {
            ui.add_sized([W_SHARE, ROW_H], Label::new(share_text(share, lang)))
                .on_hover_text(level.label().get(lang));
        }
        let invalid = q
            .invalid_lines
            .map_or_else(|| "—".to_owned(), |s| share_text(s, lang));
        ui.add_sized([W_SHARE, ROW_H], Label::new(invalid));
        let rank = c.rank.map_or_else(|| "—".to_owned(), |r| r.to_string());
        ui.add_sized([W_RANK, ROW_H], Label::new(rank));
        band_ui(ui, c, (profile, state_body), lang);
    });
}

fn band_ui(
    ui: &mut egui::Ui,
    c: &CadreTally,
    (profile, state_body): (&Profile, crate::rules::StateBody),
    lang: Lang,
) {
    let qd41 = profile.qd41_applies && (c.qd41.resign_ground || c.qd41.dismiss_ground);
    let mut tip = Vec::new();
    let text = match c.band.and_then(|b| profile.band(b)) {
        Some(band) => {
            tip.push(format!(
                "{}: {}",
                i18n::CONSEQUENCE.get(lang),
                band.consequence_for(state_body, lang)
            ));
            tip.push(format!(
                "{}: {}",
                i18n::CITATION.get(lang),
                band.citation.get(lang)
            ));
            if let Some(cited) = tip.last_mut() {
                cited.push_str(&format!(" ({})", band.certainty.label().get(lang)));
            }
            // The band's whole words where they fit, its bounds ("Trên 50% đến dưới 2/3")
            // where they do not: the whole words are then the first line of the tooltip.
            let full = band_text(profile, band.id, lang);
            let fits = ui.available_width() >= W_BAND;
            tip.insert(0, full.to_owned());
            let shown = if fits {
                full
            } else {
                band_name(profile, band.id, lang)
            };
            RichText::new(shown).color(band_color(band.id)).strong()
        }
        None if ui.available_width() >= W_BAND => RichText::new(i18n::NO_BAND.get(lang)).weak(),
        None => {
            tip.push(i18n::NO_BAND.get(lang).to_owned());
            RichText::new("—").weak()
        }
    };
    if qd41 {
        for (applies, t) in [
            (c.qd41.resign_ground, QD41.resign_text),
            (c.qd41.dismiss_ground, QD41.dismiss_text),
        ] {
            if applies {
                tip.push(t.get(lang).to_owned());
            }
        }
        tip.push(format!(
            "{}: {}",
            i18n::CITATION.get(lang),
            QD41.citation.get(lang)
        ));
    }
    // Whole, never cut: the table scrolls sideways where the screen is narrow.
    let r = ui.add(Label::new(text).extend());
    if !tip.is_empty() {
        r.on_hover_text(tip.join("\n"));
    }
}

/// The colour of the chart's dashed lines at 1/2 and 2/3 of the base.
const LINE_COLOR: Color32 = Color32::from_rgb(150, 40, 40);

/// The stacked bar chart: one horizontal bar per cadre, named, "tín nhiệm thấp" first from 0
/// so that its end reads against the lines at 1/2 and 2/3 of the base, where the bands begin;
/// each name says its band in words (colour is never the only sign). The legend is a line
/// above the plot, so that it never covers a bar; hovering a bar tells its cadre's figures in
/// a tooltip by the pointer (the plot's own hover text and rulers are off: they drew a line
/// across the chart and a bare number under the name). Returns the plot's area.
#[expect(
    clippy::float_arithmetic,
    reason = "plot coordinates; the bands themselves come from the core"
)]
fn chart_ui(
    ui: &mut egui::Ui,
    gt: &GroupTally,
    (profile, base_kind): (&Profile, crate::rules::BaseKind),
    lang: Lang,
    ranked: bool,
) -> egui::Rect {
    let order: Vec<&CadreTally> = if ranked {
        gt.ranking()
    } else {
        gt.cadres.iter().collect()
    };
    let shown: Vec<&CadreTally> = order.into_iter().filter(|c| c.overall.is_some()).collect();
    let n = shown.len();
    // The first cadre at the top.
    let y_of = |k: usize| (n - k) as f64;
    let labels = chart_labels(&shown, profile, lang);
    let base = f64::from(gt.base.unwrap_or(0));
    legend_ui(ui, base > 0.0, base_kind, lang);
    let charts = stacked_bars(&shown, y_of, lang);
    let name_width = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(10)
        .min(48) as f32
        * 7.0;
    // The name of the bar at a whole y (the others are between bars).
    let names = labels.clone();
    let label_at = move |mark: egui_plot::GridMark, _: &std::ops::RangeInclusive<f64>| {
        (0..n)
            .find(|&k| (y_of(k) - mark.value).abs() < 1e-9)
            .and_then(|k| names.get(k).cloned())
            .unwrap_or_default()
    };
    let r = Plot::new("results-chart")
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .show_x(false)
        .show_y(false)
        .show_crosshair(false)
        .include_x(0.0)
        .include_x(base.max(1.0))
        .include_y(0.4)
        .include_y(n as f64 + 0.6)
        .set_margin_fraction(egui::vec2(0.02, 0.0))
        .y_axis_min_width(name_width.max(120.0))
        .y_grid_spacer(move |_| {
            (1..=n)
                .map(|i| egui_plot::GridMark {
                    value: i as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .y_axis_formatter(label_at)
        .x_axis_label(i18n::CHART_VOTES.get(lang))
        .show(ui, |plot| {
            for chart in charts {
                plot.bar_chart(chart);
            }
            if base > 0.0 {
                for (fraction, x) in [("1/2", base / 2.0), ("2/3", base * 2.0 / 3.0)] {
                    plot.vline(
                        egui_plot::VLine::new(
                            i18n::chart_line(lang, fraction, base_kind.label()),
                            x,
                        )
                        .color(LINE_COLOR)
                        .style(egui_plot::LineStyle::dashed_loose())
                        .width(1.5),
                    );
                }
            }
        });
    let area = *r.transform.frame();
    // The bar under the pointer, if any: its cadre's figures by the pointer.
    let hovered = r.response.hover_pos().and_then(|pos| {
        let y = r.transform.value_from_position(pos).y;
        (0..n).find(|&k| (y_of(k) - y).abs() <= 0.35)
    });
    if let Some(c) = hovered.and_then(|k| shown.get(k)) {
        r.response
            .on_hover_text_at_pointer(bar_tooltip(c, profile, lang));
    }
    area
}

/// The three stacked bar charts, "tín nhiệm thấp" first from 0, then "tín nhiệm", then
/// "cao"; the bar of `shown[k]` at y = `y_of(k)`. Their own hover text is empty: the chart
/// says a bar's figures itself ([`bar_tooltip`]).
fn stacked_bars(shown: &[&CadreTally], y_of: impl Fn(usize) -> f64, lang: Lang) -> Vec<BarChart> {
    let mut charts: Vec<BarChart> = Vec::new();
    for li in [2, 1, 0] {
        let level = Level::ALL[li];
        let bars: Vec<Bar> = shown
            .iter()
            .enumerate()
            .filter_map(|(k, c)| {
                let q = c.overall?;
                let share = [q.high, q.medium, q.low][li];
                Some(Bar::new(y_of(k), f64::from(share.count)).width(0.7))
            })
            .collect();
        let mut chart = BarChart::new(level.label().get(lang), bars)
            .color(LEVEL_COLORS[li])
            .horizontal()
            .element_formatter(Box::new(|_, _| String::new()));
        let below: Vec<&BarChart> = charts.iter().collect();
        if !below.is_empty() {
            chart = chart.stack_on(&below);
        }
        charts.push(chart);
    }
    charts
}

/// The legend, above the plot: a swatch and the name of each level, then the dashed lines.
fn legend_ui(ui: &mut egui::Ui, lines: bool, base_kind: crate::rules::BaseKind, lang: Lang) {
    let swatch = |ui: &mut egui::Ui, color: Color32, dashed: bool| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(16.0, 14.0), egui::Sense::hover());
        if dashed {
            let x = rect.center().x;
            ui.painter().extend(egui::Shape::dashed_line(
                &[egui::pos2(x, rect.top()), egui::pos2(x, rect.bottom())],
                egui::Stroke::new(1.5, color),
                3.0,
                2.0,
            ));
        } else {
            ui.painter().rect_filled(rect, 2.0, color);
        }
    };
    ui.horizontal_wrapped(|ui| {
        for li in [0, 1, 2] {
            swatch(ui, LEVEL_COLORS[li], false);
            ui.label(Level::ALL[li].label().get(lang));
            ui.add_space(8.0);
        }
        if lines {
            for fraction in ["1/2", "2/3"] {
                swatch(ui, LINE_COLOR, true);
                ui.label(i18n::chart_line(lang, fraction, base_kind.label()));
                ui.add_space(8.0);
            }
        }
    });
}

/// What hovering a cadre's bar says: the cadre, each level's count and share, and the band in
/// the law's words, one per line (no empty line, no bare number).
#[must_use]
pub fn bar_tooltip(c: &CadreTally, profile: &Profile, lang: Lang) -> String {
    let mut lines = vec![format!("{}. {}", c.index + 1, c.name)];
    if let Some(q) = c.overall {
        for (share, level) in [q.high, q.medium, q.low].into_iter().zip(Level::ALL) {
            lines.push(format!(
                "{}: {}",
                level.label().get(lang),
                share_text(share, lang)
            ));
        }
    }
    if let Some(b) = c.band.filter(|b| profile.band(*b).is_some()) {
        lines.push(band_text(profile, b, lang).to_owned());
    }
    lines.join("\n")
}

/// The chart's name of each cadre: STT, name and band in the law's words ("8. Bùi Thế Lực ·
/// Trên 50% đến dưới 2/3").
fn chart_labels(shown: &[&CadreTally], profile: &Profile, lang: Lang) -> Vec<String> {
    shown
        .iter()
        .map(|c| {
            let band = c
                .band
                .filter(|b| profile.band(*b).is_some())
                .map(|b| format!(" · {}", band_name(profile, b, lang)))
                .unwrap_or_default();
            format!("{}. {}{band}", c.index + 1, c.name)
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// Hovering a bar says its cadre's three figures and band, a line each: no empty line, no
    /// bare number (egui_plot's own hover text added one under the name).
    #[test]
    fn bar_tooltip_is_whole_lines() {
        let s =
            crate::archive::from_str(include_str!("../../assets/examples/tinh-uy.ron")).unwrap();
        let t = crate::tally::tally(&s);
        let profile = t.profile.profile();
        let c = &t.groups[0].cadres[7];
        let tip = bar_tooltip(c, profile, Lang::Vi);
        assert_eq!(
            tip.lines().collect::<Vec<_>>(),
            [
                "8. Bùi Thế Lực",
                "Tín nhiệm cao: 6 (12,00%)",
                "Tín nhiệm: 16 (32,00%)",
                "Tín nhiệm thấp: 27 (54,00%)",
                "Trên 50% đến dưới 2/3 tín nhiệm thấp",
            ]
        );
        let plain = bar_tooltip(&t.groups[0].cadres[0], profile, Lang::En);
        assert_eq!(plain.lines().count(), 4, "{plain}");
        assert!(!plain.lines().any(|l| l.trim().parse::<f64>().is_ok()));
    }

    /// The chart names each bar with its STT, name and band in words, exempt cadres left out.
    #[test]
    fn chart_bars_are_named_with_their_band() {
        let s =
            crate::archive::from_str(include_str!("../../assets/examples/tinh-uy.ron")).unwrap();
        let t = crate::tally::tally(&s);
        let g = &t.groups[0];
        let shown: Vec<&CadreTally> = g.cadres.iter().filter(|c| c.overall.is_some()).collect();
        let labels = chart_labels(&shown, t.profile.profile(), Lang::Vi);
        assert_eq!(labels[0], "1. Hoàng Minh Tuấn");
        assert!(
            labels.contains(&"8. Bùi Thế Lực · Trên 50% đến dưới 2/3".to_owned()),
            "{labels:?}"
        );
        assert!(
            labels.contains(&"15. Mai Xuân Trường".to_owned()),
            "{labels:?}"
        );
        assert!(
            !labels.iter().any(|l| l.contains("Châu Văn Lộc")),
            "exempt: no bar"
        );
    }
}
