//! The "Tổng hợp" screen (issue 25): a superior body's folder of units' archives read on a
//! worker, each file's status, the units' and cadres' tables (filtered, sorted), a bar of the
//! bands, and the report exported as PDF, Excel or JSON. It needs no session open: the
//! organisation board compiles, it does not count.
#![expect(
    clippy::float_arithmetic,
    reason = "widths and bars in points, not vote arithmetic"
)]

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use eframe::egui::{self, Color32, RichText};

use super::fonts::bold;
use super::{Action, i18n};
use crate::rules::BandId;
use crate::summary::{CadreRow, Status, Summary};
use crate::text::{Lang, Message};

/// What the report is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    /// The PDF report.
    Pdf,
    /// The Excel workbook.
    Xlsx,
    /// JSON.
    Json,
}

impl ReportKind {
    /// Every kind, in the buttons' order.
    pub const ALL: [Self; 3] = [Self::Pdf, Self::Xlsx, Self::Json];

    /// The file's extension.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Xlsx => "xlsx",
            Self::Json => "json",
        }
    }

    /// The button's words.
    #[must_use]
    pub fn label(self) -> crate::text::Tr {
        match self {
            Self::Pdf => i18n::SUMMARY_PDF,
            Self::Xlsx => i18n::SUMMARY_XLSX,
            Self::Json => i18n::SUMMARY_JSON,
        }
    }
}

/// Which table is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    /// Every file and its status.
    #[default]
    Files,
    /// The units counted.
    Units,
    /// Every cadre.
    Cadres,
    /// Each cadre's votes across the archives read.
    History,
}

/// The cadres' order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// As read: unit by unit.
    #[default]
    AsRead,
    /// By name.
    Name,
    /// Highest "tín nhiệm thấp" share first.
    Low,
    /// Highest "tín nhiệm cao" share first.
    High,
}

/// The screen's state.
#[derive(Debug, Default)]
pub struct SummaryScreen {
    /// The folder read.
    pub folder: Option<PathBuf>,
    /// Count archives not finalised too (marked).
    pub include_drafts: bool,
    /// The last summary.
    pub summary: Option<Summary>,
    /// A summary being made on a worker.
    job: Option<mpsc::Receiver<Summary>>,
    /// The table shown.
    pub tab: Tab,
    /// Words a row must contain (name, unit, position, path, status), any case.
    pub filter: String,
    /// The cadres' order.
    pub sort: Sort,
    /// Who compiles the report (its signature block).
    pub compiler: String,
    /// The compiling body (its header).
    pub body: String,
    /// The cadres shown, as indices, for the filter and order they were worked out for: a
    /// province's 40,000 are filtered and sorted once, not every frame.
    shown: Option<(String, Sort, Vec<usize>)>,
    /// The records across votes, worked out once per summary.
    records: Option<Vec<crate::summary::history::Record>>,
}

/// Height of a table row.
const ROW: f32 = 22.0;

impl SummaryScreen {
    /// Reads `folder` on a worker (the window stays responsive; a province takes seconds).
    pub fn start(&mut self, folder: PathBuf, ctx: Option<egui::Context>) {
        let (tx, rx) = mpsc::channel();
        let drafts = self.include_drafts;
        let input = folder.clone();
        std::thread::spawn(move || {
            let s = crate::summary::summarise(&[input], drafts);
            let _ = tx.send(s);
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
        });
        self.folder = Some(folder);
        self.job = Some(rx);
    }

    /// Whether a summary is being made.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Takes the worker's summary when it is done.
    fn poll(&mut self, ctx: &egui::Context) {
        let Some(rx) = &self.job else { return };
        match rx.try_recv() {
            Ok(s) => {
                self.records = Some(crate::summary::history::history(&s, None));
                self.summary = Some(s);
                self.shown = None;
                self.job = None;
            }
            Err(mpsc::TryRecvError::Empty) => ctx.request_repaint_after(Duration::from_millis(100)),
            Err(mpsc::TryRecvError::Disconnected) => self.job = None,
        }
    }

    /// Draws the screen; choices become [`Action`]s.
    pub fn ui(&mut self, ui: &mut egui::Ui, lang: Lang, actions: &mut Vec<Action>) {
        self.poll(ui.ctx());
        ui.horizontal_wrapped(|ui| {
            if ui.button(i18n::SUMMARY_BACK.get(lang)).clicked() {
                actions.push(Action::GoTo(super::Screen::Start));
            }
            ui.label(bold(i18n::SUMMARY_TITLE.get(lang)).size(18.0));
        });
        ui.horizontal_wrapped(|ui| {
            let pick = ui.add_enabled(
                !self.busy(),
                egui::Button::new(i18n::SUMMARY_PICK.get(lang)),
            );
            if pick.clicked() {
                actions.push(Action::SummaryDialog(super::files::PathTask::SummaryFolder));
            }
            let drafts = ui.checkbox(&mut self.include_drafts, i18n::SUMMARY_DRAFTS.get(lang));
            if drafts.changed()
                && let Some(folder) = self.folder.clone()
                && !self.busy()
            {
                self.start(folder, Some(ui.ctx().clone()));
            }
            if let Some(f) = &self.folder {
                ui.label(RichText::new(f.display().to_string()).weak());
            }
            if self.busy() {
                ui.spinner();
                ui.label(i18n::SUMMARY_READING.get(lang));
            }
        });
        let Some(s) = &self.summary else {
            ui.label(RichText::new(i18n::SUMMARY_HOW.get(lang)).weak());
            return;
        };
        totals_ui(ui, s, lang);
        report_row(ui, (&mut self.compiler, &mut self.body), lang, actions);
        ui.horizontal_wrapped(|ui| {
            let (files, units, cadres) = (s.files.len(), s.units.len(), s.cadres.len());
            let history = self.records.as_ref().map_or(0, Vec::len);
            for (tab, label, n) in [
                (Tab::Files, i18n::SUMMARY_FILES, files),
                (Tab::Units, i18n::SUMMARY_UNITS, units),
                (Tab::Cadres, i18n::SUMMARY_CADRES, cadres),
                (Tab::History, i18n::SUMMARY_HISTORY, history),
            ] {
                ui.selectable_value(&mut self.tab, tab, format!("{} ({n})", label.get(lang)));
            }
            ui.separator();
            let l = ui.label(i18n::SUMMARY_FILTER.get(lang));
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(180.0))
                .labelled_by(l.id);
            if self.tab == Tab::Cadres {
                let l = ui.label(i18n::SUMMARY_SORT.get(lang));
                egui::ComboBox::from_id_salt("summary-sort")
                    .selected_text(sort_label(self.sort, lang))
                    .show_ui(ui, |ui| {
                        for sort in [Sort::AsRead, Sort::Name, Sort::Low, Sort::High] {
                            ui.selectable_value(&mut self.sort, sort, sort_label(sort, lang));
                        }
                    })
                    .response
                    .labelled_by(l.id);
            }
        });
        let needle = self.filter.trim().to_lowercase();
        match self.tab {
            Tab::Files => files_table(ui, s, &needle, lang),
            Tab::Units => units_table(ui, s, &needle, lang),
            Tab::Cadres => {
                let fresh = self
                    .shown
                    .as_ref()
                    .is_some_and(|(n, sort, _)| *n == needle && *sort == self.sort);
                if !fresh {
                    self.shown = Some((
                        needle.clone(),
                        self.sort,
                        cadre_order(s, &needle, self.sort),
                    ));
                }
                let order = self
                    .shown
                    .as_ref()
                    .map(|(_, _, o)| o.as_slice())
                    .unwrap_or_default();
                cadres_table(ui, s, order, lang);
            }
            Tab::History => {
                let records = self.records.as_deref().unwrap_or_default();
                history_table(ui, records, &needle, lang);
            }
        }
    }

    /// Writes the report as `kind` to `path`; the message to tell when it cannot.
    ///
    /// # Errors
    /// Why the report was not written (nothing is then written).
    pub fn write(&self, kind: ReportKind, path: &Path) -> Result<(), Message> {
        let Some(s) = &self.summary else {
            return Ok(());
        };
        let bytes = match kind {
            ReportKind::Json => crate::summary::output::to_json(s).into_bytes(),
            ReportKind::Xlsx => crate::summary::output::to_xlsx(s).map_err(|e| {
                Message::new(format!("Lỗi Excel: {e}"), format!("Excel error: {e}"))
            })?,
            ReportKind::Pdf => {
                let date = crate::model::Timestamp::now()
                    .civil(7)
                    .and_then(|t| crate::model::Date::new(t.year(), t.month(), t.day()));
                crate::summary::report::to_pdf(
                    s,
                    &crate::summary::report::ReportInfo {
                        body: self.body.clone(),
                        compiler: self.compiler.clone(),
                        date,
                    },
                )
                .map_err(|e| e.message())?
            }
        };
        crate::archive::write_atomic(path, &bytes).map_err(|e| e.message())
    }
}

/// Who compiles the report, and the buttons that export it.
fn report_row(
    ui: &mut egui::Ui,
    (compiler, body): (&mut String, &mut String),
    lang: Lang,
    actions: &mut Vec<Action>,
) {
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(i18n::SUMMARY_COMPILER.get(lang));
        ui.add(egui::TextEdit::singleline(compiler).desired_width(180.0))
            .labelled_by(l.id);
        let l = ui.label(i18n::SUMMARY_BODY.get(lang));
        ui.add(egui::TextEdit::singleline(body).desired_width(200.0))
            .labelled_by(l.id);
        for kind in ReportKind::ALL {
            if ui.button(kind.label().get(lang)).clicked() {
                actions.push(Action::SummaryDialog(
                    super::files::PathTask::SummaryExport(kind),
                ));
            }
        }
    });
}

fn sort_label(sort: Sort, lang: Lang) -> &'static str {
    match sort {
        Sort::AsRead => i18n::SUMMARY_SORT_READ.get(lang),
        Sort::Name => i18n::SUMMARY_SORT_NAME.get(lang),
        Sort::Low => i18n::SUMMARY_SORT_LOW.get(lang),
        Sort::High => i18n::SUMMARY_SORT_HIGH.get(lang),
    }
}

/// The totals in words and the bands as one bar: the upper band red, the lower orange, the
/// others green, each with its count.
fn totals_ui(ui: &mut egui::Ui, s: &Summary, lang: Lang) {
    let t = s.totals();
    ui.label(t.words().get(lang));
    if t.rated == 0 {
        return;
    }
    let width = ui.available_width().min(600.0);
    let (rect, bar) = ui.allocate_exact_size(egui::vec2(width, 14.0), egui::Sense::hover());
    bar.on_hover_text(i18n::SUMMARY_BAR.get(lang));
    let parts = [
        (
            t.rated - t.band_a - t.band_b,
            Color32::from_rgb(60, 150, 80),
        ),
        (t.band_a, Color32::from_rgb(230, 150, 30)),
        (t.band_b, Color32::from_rgb(200, 40, 40)),
    ];
    let mut x = rect.left();
    for (n, colour) in parts {
        let w = width * n as f32 / t.rated as f32;
        let r = egui::Rect::from_min_size(egui::pos2(x, rect.top()), egui::vec2(w, rect.height()));
        ui.painter().rect_filled(r, 0.0, colour);
        x += w;
    }
}

/// A table of `n` rows, only the visible ones drawn (a province's cadres are 40,000).
fn rows(ui: &mut egui::Ui, id: &str, n: usize, mut row: impl FnMut(&mut egui::Ui, usize)) {
    egui::ScrollArea::both()
        .id_salt(id)
        .auto_shrink([false, false])
        .show_rows(ui, ROW, n, |ui, range| {
            for i in range {
                ui.horizontal(|ui| row(ui, i));
            }
        });
}

/// A cell of `width` points, its text from the left and cut to fit.
fn cell(ui: &mut egui::Ui, width: f32, text: impl Into<egui::WidgetText>) {
    ui.allocate_ui_with_layout(
        egui::vec2(width, ROW - 4.0),
        egui::Layout::left_to_right(egui::Align::Center),
        |ui| {
            ui.set_min_width(width);
            ui.add(egui::Label::new(text).truncate());
        },
    );
}

fn files_table(ui: &mut egui::Ui, s: &Summary, needle: &str, lang: Lang) {
    let shown: Vec<usize> = (0..s.files.len())
        .filter(|&i| {
            let f = &s.files[i];
            needle.is_empty()
                || f.path.display().to_string().to_lowercase().contains(needle)
                || f.status.words().get(lang).to_lowercase().contains(needle)
        })
        .collect();
    ui.horizontal(|ui| {
        cell(ui, 380.0, bold(i18n::SUMMARY_COL_FILE.get(lang)));
        cell(ui, 140.0, bold(i18n::SUMMARY_COL_STATUS.get(lang)));
        cell(ui, 400.0, bold(i18n::SUMMARY_COL_REASON.get(lang)));
    });
    rows(ui, "summary-files", shown.len(), |ui, k| {
        let f = &s.files[shown[k]];
        cell(ui, 380.0, f.path.display().to_string());
        let words = f.status.words().get(lang).to_owned();
        let text = match f.status {
            Status::Broken { .. }
            | Status::Conflict { .. }
            | Status::Duplicate { .. }
            | Status::Superseded { .. } => RichText::new(words).color(ui.visuals().warn_fg_color),
            _ => RichText::new(words),
        };
        cell(ui, 140.0, text);
        cell(
            ui,
            400.0,
            f.status
                .reason()
                .map(|r| r.get(lang).to_owned())
                .unwrap_or_default(),
        );
    });
}

fn units_table(ui: &mut egui::Ui, s: &Summary, needle: &str, lang: Lang) {
    let shown: Vec<usize> = (0..s.units.len())
        .filter(|&i| needle.is_empty() || s.units[i].unit.to_lowercase().contains(needle))
        .collect();
    ui.horizontal(|ui| {
        for (w, t) in [
            (300.0, i18n::SUMMARY_COL_UNIT),
            (90.0, i18n::SUMMARY_COL_DATE),
            (70.0, i18n::SUMMARY_COL_RATED),
            (70.0, i18n::SUMMARY_COL_HIGH_HALF),
            (90.0, i18n::SUMMARY_COL_BAND_A),
            (80.0, i18n::SUMMARY_COL_BAND_B),
        ] {
            cell(ui, w, bold(t.get(lang)));
        }
    });
    rows(ui, "summary-units", shown.len(), |ui, k| {
        let u = &s.units[shown[k]];
        cell(ui, 300.0, u.unit.as_str());
        cell(ui, 90.0, u.date.clone().unwrap_or_default());
        cell(ui, 70.0, u.rated.to_string());
        cell(ui, 70.0, u.high_majority.to_string());
        cell(ui, 90.0, u.bands[0].to_string());
        cell(ui, 80.0, u.bands[1].to_string());
    });
}

/// The share's hundredths, for sorting ("53,19" → 5319).
fn hundredths(share: &str) -> u64 {
    share.replace([',', '.'], "").parse().unwrap_or(0)
}

/// The cadres whose name, unit or position holds `needle`, in `sort`'s order, as indices.
fn cadre_order(s: &Summary, needle: &str, sort: Sort) -> Vec<usize> {
    let matches = |c: &CadreRow| {
        needle.is_empty()
            || c.name.to_lowercase().contains(needle)
            || c.unit.to_lowercase().contains(needle)
            || c.position.to_lowercase().contains(needle)
    };
    let mut shown: Vec<usize> = (0..s.cadres.len())
        .filter(|&i| matches(&s.cadres[i]))
        .collect();
    let c = |i: &usize| &s.cadres[*i];
    match sort {
        Sort::AsRead => {}
        Sort::Name => shown.sort_by(|a, b| c(a).name.cmp(&c(b).name)),
        Sort::Low => shown.sort_by_key(|i| std::cmp::Reverse(hundredths(&c(i).shares[2]))),
        Sort::High => shown.sort_by_key(|i| std::cmp::Reverse(hundredths(&c(i).shares[0]))),
    }
    shown
}

fn cadres_table(ui: &mut egui::Ui, s: &Summary, shown: &[usize], lang: Lang) {
    ui.horizontal(|ui| {
        for (w, t) in [
            (190.0, i18n::SUMMARY_COL_NAME),
            (170.0, i18n::SUMMARY_COL_POSITION),
            (190.0, i18n::SUMMARY_COL_UNIT),
            (48.0, i18n::SUMMARY_COL_BASE),
            (72.0, i18n::SUMMARY_COL_HIGH),
            (72.0, i18n::SUMMARY_COL_MEDIUM),
            (72.0, i18n::SUMMARY_COL_LOW),
            (150.0, i18n::SUMMARY_COL_BAND),
        ] {
            cell(ui, w, bold(t.get(lang)));
        }
    });
    rows(ui, "summary-cadres", shown.len(), |ui, k| {
        let c = &s.cadres[shown[k]];
        let name = if c.draft {
            format!("{} (BẢN NHÁP)", c.name)
        } else {
            c.name.clone()
        };
        cell(ui, 190.0, name);
        cell(ui, 170.0, c.position.as_str());
        cell(ui, 190.0, c.unit.as_str());
        cell(ui, 48.0, c.base.map(|b| b.to_string()).unwrap_or_default());
        for share in &c.shares {
            cell(ui, 72.0, format!("{share}%"));
        }
        let band = crate::summary::output::band_words(c, lang)
            .map(|w| w.0)
            .unwrap_or_default();
        let text = match c.band {
            Some(BandId::BandB) => RichText::new(band).color(Color32::from_rgb(200, 40, 40)),
            Some(BandId::BandA) => RichText::new(band).color(ui.visuals().warn_fg_color),
            None => RichText::new(band),
        };
        cell(ui, 150.0, text);
    });
}

/// Each cadre's votes: a line naming the person, the unit and how the votes were matched,
/// then a line per vote with a bar of its three shares (green, grey, red), the band, and the
/// change of band marked.
fn history_table(
    ui: &mut egui::Ui,
    records: &[crate::summary::history::Record],
    needle: &str,
    lang: Lang,
) {
    // One list of lines, each a person's or one of their votes, so that only those in sight
    // are laid out.
    let lines: Vec<(usize, Option<usize>)> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| {
            needle.is_empty()
                || r.name.to_lowercase().contains(needle)
                || r.unit.to_lowercase().contains(needle)
        })
        .flat_map(|(i, r)| {
            std::iter::once((i, None)).chain((0..r.votes.len()).map(move |k| (i, Some(k))))
        })
        .collect();
    if records.is_empty() {
        ui.label(RichText::new(i18n::SUMMARY_HISTORY_NONE.get(lang)).weak());
        return;
    }
    rows(ui, "summary-history", lines.len(), |ui, k| {
        let (i, vote) = lines[k];
        let r = &records[i];
        let Some(v) = vote.and_then(|v| r.votes.get(v)) else {
            cell(
                ui,
                900.0,
                bold(format!(
                    "{} — {} ({})",
                    r.name,
                    r.unit,
                    r.matched_by.words().get(lang)
                )),
            );
            return;
        };
        ui.add_space(16.0);
        cell(ui, 90.0, v.date.clone().unwrap_or_default());
        // The unit too when the votes were matched across units (by code or date of birth).
        if v.unit == r.unit {
            cell(ui, 170.0, v.position.as_str());
        } else {
            cell(ui, 170.0, format!("{}, {}", v.position, v.unit));
        }
        share_bar(ui, &v.shares);
        cell(
            ui,
            200.0,
            format!("{}% | {}% | {}%", v.shares[0], v.shares[1], v.shares[2]),
        );
        let band = v
            .band_words
            .as_ref()
            .map(|w| w.get(lang).to_owned())
            .unwrap_or_default();
        cell(ui, 160.0, band);
        if v.band_changed {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                i18n::SUMMARY_BAND_CHANGED.get(lang),
            );
        }
    });
}

/// A vote's three shares as one small bar: "tín nhiệm cao" green, "tín nhiệm" grey, "tín
/// nhiệm thấp" red.
fn share_bar(ui: &mut egui::Ui, shares: &[String; 3]) {
    let width = 120.0;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(width, 10.0), egui::Sense::hover());
    let parts = shares.iter().map(|p| hundredths(p) as f32 / 10_000.0);
    let colours = [
        Color32::from_rgb(60, 150, 80),
        Color32::from_gray(170),
        Color32::from_rgb(200, 40, 40),
    ];
    let mut x = rect.left();
    for (share, colour) in parts.zip(colours) {
        let w = width * share.clamp(0.0, 1.0);
        let r = egui::Rect::from_min_size(egui::pos2(x, rect.top()), egui::vec2(w, rect.height()));
        ui.painter().rect_filled(r, 0.0, colour);
        x += w;
    }
}
