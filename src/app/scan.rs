//! "Quét phiếu": the scanner's files read into the selected group's count, and the sheets the
//! reader left for people decided on the row's own pixels (issue 23 §3).
//!
//! **Off the frame.** Reading a batch takes seconds (a page is decoded and read in tens of
//! milliseconds, a pile has hundreds): it runs on a thread of its own, on a copy of the
//! session ([`scan_step`]), and says how far it got after every few files. What it did comes
//! back as one [`Edit::ScanStep`], applied at the end of a frame like every other change
//! (undo, autosave and the audit log follow), and only onto the very count it started from:
//! a count typed, decided or undone meanwhile refuses it, and the files are read again.
//!
//! **Watching a folder.** The scanner's output folder is listed every second while it is
//! watched; a file is taken once its size and time have not moved for two seconds and no
//! other file of the folder is still being written, so that a pile a scanner writes one file
//! a page arrives as one batch and its ballots of several pages stay whole. Files already
//! read (by SHA-256) are passed over without a word: the folder keeps what was counted. The
//! folder is watched while the window is open, whichever screen is shown.
//!
//! **People decide.** A waiting sheet shows each unclear line as the scanned row itself, its
//! three boxes outlined, their scores beside them, and the choices the rule allows. Keys are
//! taken in the order pressed (as on the ballot screen): 1, 2, 3 for a level, 0 for no mark,
//! X for several marks, V for the whole sheet invalid, ↑ ↓ between lines, Enter to count the
//! sheet. Every decision is an edit logged under the operator's name.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime};

use eframe::egui::{self, Event, Key, RichText};

use super::widgets::group_picker;
use super::{App, Ctx, i18n};
use crate::counting::BallotCounter;
use crate::edit::Edit;
use crate::model::{GroupCount, LineRead, Session, WaitingSheet};
use crate::scan::batch::{
    Decision, PageStatus, ScanError, ScanReport, decide_step, line_name, scan_step, sheet_rows,
};
use crate::scan::files::{EXTENSIONS, files_of, natural_key, read_file};
use crate::scan::read::RowImage;
use crate::text::{Lang, Message};

/// How often a watched folder is listed.
const WATCH_EVERY: Duration = Duration::from_secs(1);
/// How long a file's size and time must stay still before it is read (a scanner writes a
/// page in well under a second; a network copy may pause).
const STILL_FOR: Duration = Duration::from_secs(2);
/// Pixels a millimetre of a row shown to people.
const ROW_PX_PER_MM: f64 = 5.0;

/// The choices for a line, each with its key: the rule's levels, no mark, several marks.
const LINE_KEYS: [(Key, &str, LineRead); 5] = [
    (Key::Num1, "1", LineRead::High),
    (Key::Num2, "2", LineRead::Medium),
    (Key::Num3, "3", LineRead::Low),
    (Key::Num0, "0", LineRead::None),
    (Key::X, "X", LineRead::Several),
];

/// What the review keys ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReviewKey {
    /// This reading for the current line.
    Line(LineRead),
    /// The whole sheet invalid (toggles).
    Void,
    /// Count the sheet as decided.
    Confirm,
    /// The line above.
    Up,
    /// The line below.
    Down,
}

/// One page read by this window, for the list of what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRow {
    /// The file's name (not its folder).
    pub file: String,
    /// The page in it, from 1 (0: the whole file).
    pub page: usize,
    /// What happened.
    pub status: PageStatus,
    /// Why it was refused.
    pub reason: Option<Message>,
}

/// What a reading thread says.
enum JobEvent {
    /// After every few files: the files taken so far and the batch's figures.
    Progress(usize, Figures),
    /// The batch, done.
    Done(Box<Result<(Edit, ScanReport), ScanError>>),
}

/// A batch's figures so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// Pages read.
    pub pages: usize,
    /// Sheets counted.
    pub counted: u32,
    /// Sheets waiting for people.
    pub waiting: u32,
    /// Pages refused.
    pub refused: u32,
}

impl Figures {
    fn of(r: &ScanReport) -> Self {
        Self {
            pages: r.pages.len(),
            counted: r.counted,
            waiting: r.waiting,
            refused: r.refused,
        }
    }
}

/// A batch being read.
struct Job {
    group: usize,
    /// The files handed to it.
    files: Vec<PathBuf>,
    /// Started by the watched folder (its files are handed back if the batch fails).
    watched: bool,
    rx: mpsc::Receiver<JobEvent>,
    cancel: Arc<AtomicBool>,
    taken: usize,
    figures: Figures,
}

/// A watched folder.
struct Watch {
    folder: PathBuf,
    group: usize,
    /// Each file's size and time when last listed, and since when they have not moved.
    files: HashMap<PathBuf, (u64, Option<SystemTime>, Instant)>,
    /// Files handed to a batch.
    taken: Vec<PathBuf>,
    listed: Option<Instant>,
    /// Why the folder could not be listed, last time.
    error: Option<Message>,
}

/// A row shown: its picture and its boxes ([`RowImage::boxes`]).
type Shown = (egui::TextureHandle, [(u32, u32, u32); 3]);

/// The rows of one waiting sheet, read again from its file off the frame.
struct Rows {
    group: usize,
    sheet: u32,
    rx: Option<mpsc::Receiver<Result<Vec<Option<RowImage>>, ScanError>>>,
    shown: Vec<Option<Shown>>,
    error: Option<Message>,
}

/// The decision being made on the sheet shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Review {
    group: usize,
    /// The waiting sheet's number.
    sheet: Option<u32>,
    /// Each unclear line's choice, by line index.
    choices: HashMap<usize, LineRead>,
    /// The line the keys set, as an index into the unclear lines.
    at: usize,
    /// The whole sheet invalid.
    void: bool,
}

/// The scan screen's state.
#[derive(Default)]
pub struct ScanScreen {
    job: Option<Job>,
    watch: Option<Watch>,
    /// Every page this window read, in order (the log keeps each file; this list is for the
    /// person at the scanner, and goes with the window).
    pub pages: Vec<PageRow>,
    /// What the batches of this window counted, set waiting and refused.
    pub figures: Figures,
    /// Why the last batch or decision was not applied.
    pub error: Option<Message>,
    review: Review,
    rows: Option<Rows>,
}

/// The unclear lines of a sheet, by index.
fn unclear(sheet: &WaitingSheet) -> Vec<usize> {
    sheet
        .lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.read == LineRead::Unclear)
        .map(|(i, _)| i)
        .collect()
}

/// The keys of the review, in the order pressed, taken out of the input (none while a text
/// field has the keyboard).
fn take_keys(ui: &mut egui::Ui) -> Vec<ReviewKey> {
    if ui.ctx().text_edit_focused() {
        return Vec::new();
    }
    ui.input_mut(|i| {
        let mut keys = Vec::new();
        i.events.retain(|e| {
            let Event::Key {
                key,
                pressed: true,
                repeat,
                modifiers,
                ..
            } = e
            else {
                return true;
            };
            if !(modifiers.is_none() || *modifiers == egui::Modifiers::SHIFT) {
                return true;
            }
            let found = LINE_KEYS
                .iter()
                .find(|(k, _, _)| k == key)
                .map(|&(_, _, r)| ReviewKey::Line(r))
                .or(match key {
                    Key::V => Some(ReviewKey::Void),
                    Key::Enter => Some(ReviewKey::Confirm),
                    Key::ArrowUp => Some(ReviewKey::Up),
                    Key::ArrowDown => Some(ReviewKey::Down),
                    _ => None,
                });
            match found {
                Some(k) => {
                    if !*repeat || matches!(k, ReviewKey::Up | ReviewKey::Down) {
                        keys.push(k);
                    }
                    false
                }
                None => true,
            }
        });
        keys
    })
}

/// The file's name alone, for the list.
fn short(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_owned(), |n| n.to_string_lossy().into_owned())
}

impl ScanScreen {
    /// Whether a batch is being read.
    #[must_use]
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// The folder watched, if any.
    #[must_use]
    pub fn watched(&self) -> Option<&Path> {
        self.watch.as_ref().map(|w| w.folder.as_path())
    }

    /// Starts reading `paths` (files, or folders whose files are read in name order) into
    /// `group`. Files read before are refused as such, unless `watched` (then passed over).
    pub fn start(
        &mut self,
        ctx: &egui::Context,
        session: &Session,
        group: usize,
        paths: &[PathBuf],
        watched: bool,
    ) {
        if self.job.is_some() {
            return;
        }
        let files = match files_of(paths) {
            Ok(files) => files,
            Err(e) => {
                self.error = Some(e);
                return;
            }
        };
        self.error = None;
        let (tx, rx) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let taken = Arc::new(AtomicUsize::new(0));
        let session = session.clone();
        let seen = session
            .groups
            .get(group)
            .map(|g| g.scan.files.clone())
            .unwrap_or_default();
        let (list, stop, ctx) = (files.clone(), Arc::clone(&cancel), ctx.clone());
        std::thread::spawn(move || {
            let inputs = list
                .iter()
                .enumerate()
                .take_while(|_| !stop.load(Ordering::Relaxed))
                .filter_map(|(i, path)| {
                    taken.store(i + 1, Ordering::Relaxed);
                    let bytes = read_file(path);
                    // A watched folder keeps what was counted: no word about it.
                    if watched && let Ok(b) = &bytes {
                        use sha2::Digest;
                        let sha = crate::encode::hex(&sha2::Sha256::digest(b));
                        if seen.contains(&sha) {
                            return None;
                        }
                    }
                    Some((path.display().to_string(), bytes))
                });
            let mut progress = |r: &ScanReport| {
                let _ = tx.send(JobEvent::Progress(
                    taken.load(Ordering::Relaxed),
                    Figures::of(r),
                ));
                ctx.request_repaint();
            };
            let done = scan_step(&session, group, inputs, &mut progress);
            let _ = tx.send(JobEvent::Done(Box::new(done)));
            ctx.request_repaint();
        });
        self.job = Some(Job {
            group,
            files,
            watched,
            rx,
            cancel,
            taken: 0,
            figures: Figures::default(),
        });
    }

    /// Takes what the reading thread said; a finished batch's edit is queued. Called every
    /// frame, whichever screen is shown.
    pub fn poll(&mut self, ctx: &egui::Context, session: &Session, edits: &mut Vec<Edit>) {
        if let Some(job) = &mut self.job {
            let mut done = None;
            while let Ok(event) = job.rx.try_recv() {
                match event {
                    JobEvent::Progress(taken, figures) => {
                        job.taken = taken;
                        job.figures = figures;
                    }
                    JobEvent::Done(result) => done = Some(*result),
                }
            }
            if let Some(result) = done
                && let Some(job) = self.job.take()
            {
                self.finished(session, job, result, edits);
            }
        }
        self.watch_folder(ctx, session);
    }

    fn finished(
        &mut self,
        session: &Session,
        job: Job,
        result: Result<(Edit, ScanReport), ScanError>,
        edits: &mut Vec<Edit>,
    ) {
        let give_back = |watch: &mut Option<Watch>| {
            if job.watched
                && let Some(w) = watch
            {
                w.taken.retain(|p| !job.files.contains(p));
            }
        };
        let (edit, report) = match result {
            Ok(done) => done,
            Err(e) => {
                self.error = Some(e.message());
                give_back(&mut self.watch);
                return;
            }
        };
        // The count must be the one the batch started from (anything typed, decided or
        // undone meanwhile would be overwritten): the core refuses it too, but then this
        // list would show pages counted that were not.
        if let Edit::ScanStep { before, .. } = &edit
            && session
                .groups
                .get(job.group)
                .is_none_or(|g| GroupCount::of(g) != **before)
        {
            self.error = Some(crate::edit::EditError::CountMovedOn.message());
            give_back(&mut self.watch);
            return;
        }
        self.pages.extend(report.pages.iter().map(|p| PageRow {
            file: short(&p.file),
            page: p.page,
            status: p.status,
            reason: p.reason.as_ref().map(|r| r.message.clone()),
        }));
        self.figures.pages += report.pages.len();
        self.figures.counted += report.counted;
        self.figures.waiting += report.waiting;
        self.figures.refused += report.refused;
        edits.push(edit);
    }

    /// Lists the watched folder every [`WATCH_EVERY`], and starts a batch of the files that
    /// have stopped changing once none is still being written.
    fn watch_folder(&mut self, ctx: &egui::Context, session: &Session) {
        let Some(w) = &mut self.watch else {
            return;
        };
        ctx.request_repaint_after(WATCH_EVERY);
        let now = Instant::now();
        if w.listed
            .is_some_and(|t| now.duration_since(t) < WATCH_EVERY)
        {
            return;
        }
        w.listed = Some(now);
        let listed = match files_of(std::slice::from_ref(&w.folder)) {
            Ok(files) => {
                w.error = None;
                files
            }
            Err(e) => {
                w.error = Some(e);
                return;
            }
        };
        let ours = |p: &PathBuf| {
            p.extension()
                .is_some_and(|e| EXTENSIONS.contains(&e.to_string_lossy().to_lowercase().as_str()))
        };
        let mut ready = Vec::new();
        let mut moving = false;
        for path in listed.into_iter().filter(ours) {
            let meta = std::fs::metadata(&path).ok();
            let size = meta.as_ref().map_or(0, std::fs::Metadata::len);
            let time = meta.and_then(|m| m.modified().ok());
            let entry = w.files.entry(path.clone()).or_insert((size, time, now));
            if (entry.0, entry.1) != (size, time) {
                *entry = (size, time, now);
            }
            if w.taken.contains(&path) {
                continue;
            }
            if now.duration_since(entry.2) >= STILL_FOR && size > 0 {
                ready.push(path);
            } else {
                moving = true;
            }
        }
        if ready.is_empty() || moving || self.job.is_some() {
            return;
        }
        ready.sort_by_cached_key(|p| natural_key(&p.to_string_lossy()));
        w.taken.extend(ready.iter().cloned());
        let group = w.group;
        self.start(ctx, session, group, &ready, true);
    }

    /// Starts or stops watching `folder` for `group`.
    pub fn watch(&mut self, folder: Option<PathBuf>, group: usize) {
        self.watch = folder.map(|folder| Watch {
            folder,
            group,
            files: HashMap::new(),
            taken: Vec::new(),
            listed: None,
            error: None,
        });
    }

    /// The screen.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>, operator: &mut String) {
        let lang = cx.lang;
        ui.horizontal_wrapped(|ui| {
            if self.job.is_none() && self.watch.is_none() {
                group_picker(ui, cx);
            } else {
                let g = self
                    .job
                    .as_ref()
                    .map_or_else(|| self.watch.as_ref().map_or(0, |w| w.group), |j| j.group);
                *cx.group = g;
                ui.label(
                    RichText::new(format!(
                        "{} {}",
                        i18n::GROUP.get(lang),
                        cx.session.groups.get(g).map_or("", |g| g.name.as_str())
                    ))
                    .strong(),
                );
            }
            ui.separator();
            let l = ui.label(i18n::OPERATOR.get(lang));
            ui.add(
                egui::TextEdit::singleline(operator)
                    .id(super::widgets::operator_id())
                    .desired_width(180.0),
            )
            .labelled_by(l.id);
        });
        let g = *cx.group;
        let Some(group) = cx.session.groups.get(g) else {
            return;
        };
        if !group.scan_form {
            ui.label(i18n::SCAN_NOT_SCAN_FORM.get(lang));
            return;
        }
        self.controls_ui(ui, cx, operator);
        ui.separator();
        let group = &cx.session.groups[g];
        let width = ui.available_width();
        let list_width = (width * 0.3).clamp(220.0, 340.0);
        ui.horizontal_top(|ui| {
            let size = egui::vec2(list_width, ui.available_height());
            ui.allocate_ui_with_layout(size, egui::Layout::top_down(egui::Align::Min), |ui| {
                egui::ScrollArea::vertical()
                    .id_salt("scan-list")
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.list_ui(ui, lang, group));
            });
            ui.separator();
            ui.vertical(|ui| {
                egui::ScrollArea::vertical()
                    .id_salt("scan-review")
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.review_ui(ui, cx, operator));
            });
        });
    }

    /// The buttons, the batch's progress and the group's figures.
    fn controls_ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>, operator: &str) {
        let lang = cx.lang;
        let g = *cx.group;
        let named = !crate::text::clean_name(operator).is_empty();
        ui.horizontal_wrapped(|ui| {
            let idle = self.job.is_none() && named;
            if ui
                .add_enabled(idle, egui::Button::new(i18n::SCAN_PICK_FILES.get(lang)))
                .clicked()
            {
                cx.actions
                    .push(super::Action::ScanDialog(super::files::PathTask::ScanFiles));
            }
            if ui
                .add_enabled(idle, egui::Button::new(i18n::SCAN_PICK_FOLDER.get(lang)))
                .clicked()
            {
                cx.actions.push(super::Action::ScanDialog(
                    super::files::PathTask::ScanFolder,
                ));
            }
            if self.watch.is_some() {
                if ui.button(i18n::SCAN_WATCH_STOP.get(lang)).clicked() {
                    self.watch = None;
                }
            } else if ui
                .add_enabled(named, egui::Button::new(i18n::SCAN_WATCH.get(lang)))
                .clicked()
            {
                cx.actions.push(super::Action::ScanDialog(
                    super::files::PathTask::WatchFolder,
                ));
            }
        });
        if !named {
            ui.colored_label(ui.visuals().warn_fg_color, i18n::SCAN_NAME_FIRST.get(lang));
        }
        if let Some(w) = &self.watch {
            ui.horizontal_wrapped(|ui| {
                ui.spinner();
                ui.label(i18n::scan_watching(lang, &w.folder.display().to_string()));
            });
            if let Some(e) = &w.error {
                ui.colored_label(ui.visuals().error_fg_color, e.get(lang));
            }
        }
        if let Some(job) = &self.job {
            let total = job.files.len().max(1);
            #[expect(
                clippy::cast_precision_loss,
                reason = "a progress bar's fraction of a few thousand files"
            )]
            let fraction = job.taken as f32 / total as f32;
            ui.horizontal(|ui| {
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(260.0)
                        .text(i18n::scan_files_taken(lang, job.taken, job.files.len())),
                );
                ui.label(i18n::scan_figures(lang, job.figures));
                if ui.button(i18n::SCAN_STOP.get(lang)).clicked() {
                    job.cancel.store(true, Ordering::Relaxed);
                }
            });
        }
        if let Some(e) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, e.get(lang));
        }
        let group = &cx.session.groups[g];
        ui.label(
            RichText::new(i18n::scan_group_figures(
                lang,
                group.scan.sheets,
                group.scan.waiting.len(),
                group.scan.decided_lines,
                group.ballot_count.unwrap_or(0),
            ))
            .strong(),
        );
        if self.figures.pages > 0 {
            ui.label(i18n::scan_window_figures(lang, self.figures));
        }
    }

    /// The waiting sheets (to choose one), then the pages refused.
    fn list_ui(&mut self, ui: &mut egui::Ui, lang: Lang, group: &crate::model::BallotGroup) {
        ui.label(RichText::new(i18n::SCAN_WAITING.get(lang)).strong());
        if group.scan.waiting.is_empty() {
            ui.label(RichText::new(i18n::SCAN_NONE_WAITING.get(lang)).weak());
        }
        for w in &group.scan.waiting {
            let text = i18n::scan_waiting_item(lang, w.number, &short(&w.file), unclear(w).len());
            let chosen = self.review.sheet == Some(w.number);
            if ui.selectable_label(chosen, text).clicked() && !chosen {
                self.review = Review {
                    group: self.review.group,
                    sheet: Some(w.number),
                    ..Review::default()
                };
            }
        }
        let refused: Vec<&PageRow> = self
            .pages
            .iter()
            .filter(|p| p.status == PageStatus::Refused)
            .collect();
        if !refused.is_empty() {
            ui.add_space(8.0);
            ui.label(RichText::new(i18n::SCAN_REFUSED.get(lang)).strong());
            for p in refused {
                let place = if p.page == 0 {
                    p.file.clone()
                } else {
                    i18n::scan_page_of(lang, &p.file, p.page)
                };
                ui.label(RichText::new(place).strong());
                if let Some(r) = &p.reason {
                    ui.label(RichText::new(r.get(lang)).weak());
                }
            }
        }
    }

    /// The waiting sheet chosen: its unclear lines as scanned, the choices, the decision.
    fn review_ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>, operator: &str) {
        let lang = cx.lang;
        let g = *cx.group;
        let group = &cx.session.groups[g];
        if self.review.group != g {
            self.review = Review {
                group: g,
                ..Review::default()
            };
        }
        // The sheet shown goes once it is decided; the next one waiting is shown.
        let sheet = self
            .review
            .sheet
            .and_then(|n| group.scan.waiting.iter().find(|w| w.number == n))
            .or_else(|| group.scan.waiting.first());
        let Some(sheet) = sheet else {
            ui.label(RichText::new(i18n::SCAN_NOTHING_TO_DECIDE.get(lang)).weak());
            return;
        };
        if self.review.sheet != Some(sheet.number) {
            self.review = Review {
                group: g,
                sheet: Some(sheet.number),
                ..Review::default()
            };
        }
        let lines = unclear(sheet);
        self.review.at = self.review.at.min(lines.len().saturating_sub(1));
        let can_decide = self.job.is_none() && !crate::text::clean_name(operator).is_empty();
        if can_decide {
            for key in take_keys(ui) {
                self.key(key, &lines, cx);
            }
        }
        self.load_rows(ui.ctx(), cx.session, g, sheet);
        let k = BallotCounter::new(group);
        ui.heading(i18n::scan_sheet_title(
            lang,
            sheet.number,
            &short(&sheet.file),
            &sheet.pages,
        ));
        ui.label(RichText::new(i18n::SCAN_REVIEW_HELP.get(lang)).weak());
        if let Some(e) = self.rows.as_ref().and_then(|r| r.error.as_ref()) {
            ui.colored_label(ui.visuals().warn_fg_color, e.get(lang));
        }
        for (n, &line) in lines.iter().enumerate() {
            let current = n == self.review.at && !self.review.void;
            self.line_ui(ui, cx, (&k, sheet), line, current, can_decide);
        }
        ui.add_space(6.0);
        self.decision_ui(ui, cx, sheet, &lines, can_decide);
    }

    /// One unclear line: who, the scanned row, the scores, the choices.
    fn line_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &Ctx<'_>,
        (k, sheet): (&BallotCounter, &WaitingSheet),
        line: usize,
        current: bool,
        can_decide: bool,
    ) {
        let lang = cx.lang;
        let group = &cx.session.groups[*cx.group];
        let who = k.lines().get(line).map_or_else(String::new, |l| {
            let name = group.cadres.get(l.cadre).map_or("", |c| c.name.as_str());
            let question = if l.question == 0 {
                String::new()
            } else {
                group
                    .criteria
                    .get(l.question - 1)
                    .map_or_else(String::new, |c| format!(" — {}", c.name))
            };
            format!(
                "{} {}. {name}{question}",
                i18n::SCAN_LINE.get(lang),
                line_name(k, line)
            )
        });
        let frame = egui::Frame::group(ui.style()).stroke(if current {
            egui::Stroke::new(2.0, ui.visuals().selection.stroke.color)
        } else {
            ui.visuals().widgets.noninteractive.bg_stroke
        });
        frame.show(ui, |ui| {
            ui.label(RichText::new(who).strong().size(16.0));
            self.row_picture(ui, lang, line);
            if let Some(l) = sheet.lines.get(line) {
                ui.label(i18n::scan_scores(lang, l.scores));
            }
            ui.horizontal_wrapped(|ui| {
                for (_, cap, read) in LINE_KEYS {
                    let chosen = self.review.choices.get(&line) == Some(&read);
                    let text = format!("{cap}  {}", read.label().get(lang));
                    if ui
                        .add_enabled(can_decide, egui::Button::selectable(chosen, text))
                        .clicked()
                    {
                        self.review.choices.insert(line, read);
                        self.review.void = false;
                    }
                }
            });
        });
    }

    /// The scanned row of `line`, boxes outlined, as wide as the column allows.
    fn row_picture(&self, ui: &mut egui::Ui, lang: Lang, line: usize) {
        let shown = self
            .rows
            .as_ref()
            .and_then(|r| r.shown.get(line))
            .and_then(Option::as_ref);
        let Some((texture, boxes)) = shown else {
            let waiting = self.rows.as_ref().is_some_and(|r| r.rx.is_some());
            ui.label(
                RichText::new(if waiting {
                    i18n::SCAN_ROW_LOADING.get(lang)
                } else {
                    i18n::SCAN_ROW_MISSING.get(lang)
                })
                .weak(),
            );
            return;
        };
        let [w, h] = texture.size();
        #[expect(
            clippy::cast_precision_loss,
            reason = "a picture's size in pixels, a few hundred"
        )]
        let (w, h) = (w as f32, h as f32);
        let scale = (ui.available_width() / w).min(1.6);
        let r = ui.add(
            egui::Image::new((texture.id(), egui::vec2(w * scale, h * scale)))
                .alt_text(i18n::SCAN_ROW.get(lang)),
        );
        let painter = ui.painter_at(r.rect);
        let colour = ui.visuals().selection.stroke.color;
        for &(x, y, side) in boxes {
            #[expect(
                clippy::cast_precision_loss,
                reason = "a box's place in a picture, a few hundred pixels"
            )]
            let rect = egui::Rect::from_min_size(
                r.rect.min + egui::vec2(x as f32 * scale, y as f32 * scale),
                egui::vec2(side as f32 * scale, side as f32 * scale),
            );
            painter.rect_stroke(rect, 0.0, (2.0, colour), egui::StrokeKind::Outside);
        }
    }

    /// The sheet's decision: count it as decided, invalid as a whole, or set aside.
    fn decision_ui(
        &mut self,
        ui: &mut egui::Ui,
        cx: &mut Ctx<'_>,
        sheet: &WaitingSheet,
        lines: &[usize],
        can_decide: bool,
    ) {
        let lang = cx.lang;
        let all = lines.iter().all(|l| self.review.choices.contains_key(l));
        ui.horizontal_wrapped(|ui| {
            let confirm = i18n::scan_confirm(lang, self.review.void);
            if ui
                .add_enabled(
                    can_decide && (all || self.review.void),
                    egui::Button::new(RichText::new(confirm).strong()),
                )
                .clicked()
            {
                self.decide(cx, sheet.number, lines);
            }
            if ui
                .add_enabled(
                    can_decide,
                    egui::Button::selectable(self.review.void, i18n::SCAN_VOID.get(lang)),
                )
                .clicked()
            {
                self.review.void = !self.review.void;
            }
            if ui
                .add_enabled(can_decide, egui::Button::new(i18n::SCAN_DROP.get(lang)))
                .on_hover_text(i18n::SCAN_DROP_HELP.get(lang))
                .clicked()
            {
                self.push(cx, sheet.number, &Decision::Drop);
            }
        });
        if !can_decide && self.job.is_some() {
            ui.label(RichText::new(i18n::SCAN_WAIT_FOR_BATCH.get(lang)).weak());
        }
    }

    fn key(&mut self, key: ReviewKey, lines: &[usize], cx: &mut Ctx<'_>) {
        let r = &mut self.review;
        match key {
            ReviewKey::Line(read) => {
                if let Some(&line) = lines.get(r.at) {
                    r.choices.insert(line, read);
                    r.void = false;
                    r.at = (r.at + 1).min(lines.len().saturating_sub(1));
                }
            }
            ReviewKey::Void => r.void = !r.void,
            ReviewKey::Up => r.at = r.at.saturating_sub(1),
            ReviewKey::Down => r.at = (r.at + 1).min(lines.len().saturating_sub(1)),
            ReviewKey::Confirm => {
                if let Some(n) = r.sheet
                    && (r.void || lines.iter().all(|l| r.choices.contains_key(l)))
                {
                    self.decide(cx, n, lines);
                }
            }
        }
    }

    fn decide(&mut self, cx: &mut Ctx<'_>, number: u32, lines: &[usize]) {
        let decision = if self.review.void {
            Decision::Void
        } else {
            Decision::Lines(
                lines
                    .iter()
                    .filter_map(|l| self.review.choices.get(l).map(|&r| (*l, r)))
                    .collect(),
            )
        };
        self.push(cx, number, &decision);
    }

    fn push(&mut self, cx: &mut Ctx<'_>, number: u32, decision: &Decision) {
        match decide_step(cx.session, *cx.group, number, decision) {
            Ok(edit) => {
                self.error = None;
                cx.edits.push(edit);
                self.review.sheet = None;
            }
            Err(e) => self.error = Some(e.message()),
        }
    }

    /// Reads the sheet's rows again off the frame, once per sheet; takes them once read.
    fn load_rows(
        &mut self,
        ctx: &egui::Context,
        session: &Session,
        group: usize,
        sheet: &WaitingSheet,
    ) {
        let current = self
            .rows
            .as_ref()
            .is_some_and(|r| r.group == group && r.sheet == sheet.number);
        if !current {
            let (tx, rx) = mpsc::channel();
            let (session, sheet_copy, ctx2) = (session.clone(), sheet.clone(), ctx.clone());
            std::thread::spawn(move || {
                let open = |name: &str| read_file(Path::new(name));
                let _ = tx.send(sheet_rows(
                    &session,
                    group,
                    &sheet_copy,
                    &open,
                    ROW_PX_PER_MM,
                ));
                ctx2.request_repaint();
            });
            self.rows = Some(Rows {
                group,
                sheet: sheet.number,
                rx: Some(rx),
                shown: Vec::new(),
                error: None,
            });
        }
        let Some(rows) = &mut self.rows else {
            return;
        };
        let Some(rx) = &rows.rx else {
            return;
        };
        let Ok(read) = rx.try_recv() else {
            return;
        };
        rows.rx = None;
        match read {
            Ok(images) => {
                if images.iter().any(Option::is_none) {
                    rows.error = Some(Message::new(
                        i18n::SCAN_ROW_MISSING.vi,
                        i18n::SCAN_ROW_MISSING.en,
                    ));
                }
                rows.shown = images
                    .into_iter()
                    .enumerate()
                    .map(|(i, row)| {
                        row.map(|r| {
                            let image = egui::ColorImage::from_gray(
                                [r.image.width as usize, r.image.height as usize],
                                &r.image.pixels,
                            );
                            let texture = ctx.load_texture(
                                format!("scan-row-{group}-{}-{i}", sheet.number),
                                image,
                                egui::TextureOptions::NEAREST,
                            );
                            (texture, r.boxes)
                        })
                    })
                    .collect();
            }
            Err(e) => rows.error = Some(e.message()),
        }
    }
}

impl App {
    /// Files or a folder chosen on the scan screen: read them; or a folder to watch.
    pub(super) fn scan_chosen(&mut self, paths: Vec<PathBuf>, watch: Option<PathBuf>) {
        let Some(doc) = &self.doc else {
            return;
        };
        let group = self.group;
        if let Some(folder) = watch {
            self.scan.watch(Some(folder), group);
            return;
        }
        let ctx = self.work.context();
        if let Some(ctx) = ctx {
            self.scan.start(&ctx, &doc.session, group, &paths, false);
        }
    }
}
