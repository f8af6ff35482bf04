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

use eframe::egui::{self, Key, RichText};

use super::widgets::{group_picker, typed_key};
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
    /// The batch, done, and how many of its files it took (fewer when stopped).
    Done(Box<Result<(Edit, ScanReport), ScanError>>, usize),
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
    /// Started by the watched folder: the files it did not count are handed back to it.
    watched: bool,
    rx: mpsc::Receiver<JobEvent>,
    cancel: Arc<AtomicBool>,
    taken: usize,
    figures: Figures,
}

/// A file's size and time, as a folder's listing saw them.
type Stamp = (u64, Option<SystemTime>);

/// A watched folder.
struct Watch {
    folder: PathBuf,
    group: usize,
    /// Each file's stamp when last listed, and since when it has not moved.
    files: HashMap<PathBuf, (Stamp, Instant)>,
    /// Files handed to a batch, as they were then: one that changes since is read again
    /// (its bytes, if the same, are passed over by their SHA-256).
    taken: HashMap<PathBuf, Stamp>,
    listed: Option<Instant>,
    /// Why the folder could not be listed, last time.
    error: Option<Message>,
}

/// A row shown: its picture and its boxes ([`RowImage::boxes`]).
type Shown = (egui::TextureHandle, [(u32, u32, u32); 3]);

/// The rows of one waiting sheet, read again from its file off the frame.
struct Rows {
    /// The group and the sheet, whole: an undone batch gives its numbers again to other
    /// sheets, which must not show these pictures.
    of: (usize, WaitingSheet),
    rx: Option<mpsc::Receiver<Result<Vec<Option<RowImage>>, ScanError>>>,
    shown: Vec<Option<Shown>>,
    error: Option<Message>,
}

/// The decision being made on the sheet shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Review {
    group: usize,
    /// The waiting sheet chosen in the list, by number.
    sheet: Option<u32>,
    /// The sheet the choices are for, whole (a number may be given again after an undo).
    shown: Option<WaitingSheet>,
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
    /// A batch's step, queued: what the group's count is once it is applied, the report,
    /// and the watched files it did not read. Until the next frame sees it applied, no
    /// decision is worked out from the count it changes, and its pages are not listed.
    applying: Option<Applying>,
    /// Review keys typed and not applied yet: held, in order, while a batch runs or settles
    /// or the sheet's pictures load, then applied (none is lost, none lands on a sheet
    /// not shown).
    queued: Vec<ReviewKey>,
}

/// A batch's step on its way into the session.
struct Applying {
    group: usize,
    after: GroupCount,
    report: ScanReport,
    /// Watched files to hand back if the step is not applied; and those not read at all.
    files: Vec<PathBuf>,
    unread: Vec<PathBuf>,
}

/// At most this many review keys are held.
const QUEUE: usize = 64;

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
    // A text field's keys are its own; a dialog's (Enter in the file dialog) are the
    // dialog's.
    if ui.ctx().text_edit_focused() || ui.ctx().memory(|m| m.top_modal_layer().is_some()) {
        return Vec::new();
    }
    ui.input_mut(|i| {
        let mut keys = Vec::new();
        i.events.retain(|e| {
            let Some((key, repeat)) = typed_key(e) else {
                return true;
            };
            let found = LINE_KEYS
                .iter()
                .find(|(k, _, _)| *k == key)
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
                    if !repeat || matches!(k, ReviewKey::Up | ReviewKey::Down) {
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
            let _ = tx.send(JobEvent::Done(
                Box::new(done),
                taken.load(Ordering::Relaxed),
            ));
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

    /// Ends everything under way: the batch is told to stop (what it read is not counted),
    /// the watch ends, the review is forgotten (another session is opened, or none).
    pub fn close(&mut self) {
        if let Some(job) = &self.job {
            job.cancel.store(true, Ordering::Relaxed);
        }
        *self = Self::default();
    }

    /// Takes what the reading thread said; a finished batch's edit is queued. Called every
    /// frame, whichever screen is shown, with the operator's name (a watched folder starts
    /// no batch while it is empty: the log would name nobody).
    pub fn poll(
        &mut self,
        ctx: &egui::Context,
        session: &Session,
        operator: &str,
        edits: &mut Vec<Edit>,
    ) {
        if let Some(a) = self.applying.take() {
            self.settled(session, a);
        }
        if let Some(job) = &mut self.job {
            let mut done = None;
            while let Ok(event) = job.rx.try_recv() {
                match event {
                    JobEvent::Progress(taken, figures) => {
                        job.taken = taken;
                        job.figures = figures;
                    }
                    JobEvent::Done(result, taken) => done = Some((*result, taken)),
                }
            }
            if let Some((result, taken)) = done
                && let Some(job) = self.job.take()
            {
                self.finished(session, job, result, taken, edits);
            }
        }
        if !crate::text::clean_name(operator).is_empty() {
            self.watch_folder(ctx, session);
        }
    }

    /// Hands watched files back to the watch, to be read again.
    fn give_back(&mut self, files: &[PathBuf]) {
        if let Some(w) = &mut self.watch {
            for f in files {
                w.taken.remove(f);
            }
        }
    }

    fn finished(
        &mut self,
        session: &Session,
        job: Job,
        result: Result<(Edit, ScanReport), ScanError>,
        taken: usize,
        edits: &mut Vec<Edit>,
    ) {
        let watched = if job.watched { job.files } else { Vec::new() };
        let (edit, report) = match result {
            Ok(done) => done,
            Err(e) => {
                // Nothing a second try would change (the group is not printed for a
                // scanner, the session is final…): a watch stops rather than try each second.
                if job.watched && self.watch.take().is_some() {
                    self.error = Some(Message::new(
                        format!("{} {}", i18n::SCAN_WATCH_ENDED.vi, e.message().vi),
                        format!("{} {}", i18n::SCAN_WATCH_ENDED.en, e.message().en),
                    ));
                } else {
                    self.error = Some(e.message());
                }
                return;
            }
        };
        // The group must be the one the batch started from (anything typed, decided, moved
        // or undone meanwhile would be overwritten): the core refuses it too.
        let Edit::ScanStep { before, after, .. } = &edit else {
            return;
        };
        if session.groups.get(job.group) != Some(&**before) {
            self.error = Some(crate::edit::EditError::CountMovedOn.message());
            self.give_back(&watched);
            return;
        }
        let unread = watched.get(taken..).unwrap_or_default().to_vec();
        self.applying = Some(Applying {
            group: job.group,
            after: (**after).clone(),
            report,
            files: watched,
            unread,
        });
        edits.push(edit);
    }

    /// A batch's step, once the frame that queued it is over: listed if it was applied;
    /// otherwise its files are handed back (the error was said when it was refused).
    fn settled(&mut self, session: &Session, a: Applying) {
        let applied = session
            .groups
            .get(a.group)
            .is_some_and(|g| GroupCount::of(g) == a.after);
        if !applied {
            self.give_back(&a.files);
            return;
        }
        self.give_back(&a.unread);
        self.pages.extend(a.report.pages.iter().map(|p| PageRow {
            file: short(&p.file),
            page: p.page,
            status: p.status,
            reason: p.reason.as_ref().map(|r| r.message.clone()),
        }));
        self.figures.pages += a.report.pages.len();
        self.figures.counted += a.report.counted;
        self.figures.waiting += a.report.waiting;
        self.figures.refused += a.report.refused;
    }

    /// Lists the watched folder every [`WATCH_EVERY`], and starts a batch of the files that
    /// have stopped changing for [`STILL_FOR`] once none is still being written. An empty
    /// file (a scanner about to write) waits; one whose size cannot be read is left out.
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
            let Ok(meta) = std::fs::metadata(&path) else {
                continue;
            };
            let stamp = (meta.len(), meta.modified().ok());
            let entry = w.files.entry(path.clone()).or_insert((stamp, now));
            if entry.0 != stamp {
                *entry = (stamp, now);
            }
            let still = now.duration_since(entry.1) >= STILL_FOR;
            if w.taken.get(&path) == Some(&stamp) || (still && stamp.0 == 0) {
                continue;
            }
            if still {
                ready.push((path, stamp));
            } else {
                moving = true;
            }
        }
        if ready.is_empty() || moving || self.job.is_some() || self.applying.is_some() {
            return;
        }
        ready.sort_by_cached_key(|(p, _)| natural_key(&p.to_string_lossy()));
        w.taken.extend(ready.iter().cloned());
        let group = w.group;
        let paths: Vec<PathBuf> = ready.into_iter().map(|(p, _)| p).collect();
        self.start(ctx, session, group, &paths, true);
    }

    /// Starts or stops watching `folder` for `group`.
    pub fn watch(&mut self, folder: Option<PathBuf>, group: usize) {
        self.watch = folder.map(|folder| Watch {
            folder,
            group,
            files: HashMap::new(),
            taken: HashMap::new(),
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
            if self.watch.is_some() && ui.button(i18n::SCAN_WATCH_STOP.get(lang)).clicked() {
                self.watch = None;
            }
            return;
        }
        // The review's keys are taken before any widget is drawn (a button with the
        // keyboard's focus would take Enter too, and click), and held until they can apply.
        let named = !crate::text::clean_name(operator).is_empty();
        if named && !group.scan.waiting.is_empty() {
            let keys = take_keys(ui);
            let room = QUEUE.saturating_sub(self.queued.len());
            self.queued.extend(keys.into_iter().take(room));
        }
        let can_decide = self.job.is_none() && self.applying.is_none() && named;
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
                    .show(ui, |ui| self.review_ui(ui, cx, can_decide));
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
    fn review_ui(&mut self, ui: &mut egui::Ui, cx: &mut Ctx<'_>, can_decide: bool) {
        let lang = cx.lang;
        let g = *cx.group;
        let group = &cx.session.groups[g];
        // The sheet chosen in the list, else the first waiting; once decided it goes and the
        // next is shown.
        let sheet = self
            .review
            .sheet
            .filter(|_| self.review.group == g)
            .and_then(|n| group.scan.waiting.iter().find(|w| w.number == n))
            .or_else(|| group.scan.waiting.first());
        let Some(sheet) = sheet else {
            self.review = Review::default();
            self.queued.clear();
            ui.label(RichText::new(i18n::SCAN_NOTHING_TO_DECIDE.get(lang)).weak());
            return;
        };
        if self.review.group != g || self.review.shown.as_ref() != Some(sheet) {
            self.review = Review {
                group: g,
                sheet: Some(sheet.number),
                shown: Some(sheet.clone()),
                ..Review::default()
            };
        }
        let lines = unclear(sheet);
        self.review.at = self.review.at.min(lines.len().saturating_sub(1));
        self.load_rows(ui.ctx(), cx.session, g, sheet);
        // Keys apply once the sheet's pictures are there (or cannot be), and stop at the
        // first that decides: the rest are for the next sheet.
        let loaded = self.rows.as_ref().is_some_and(|r| r.rx.is_none());
        if can_decide && loaded {
            while !self.queued.is_empty() {
                let key = self.queued.remove(0);
                if self.key(key, &lines, cx) {
                    break;
                }
            }
        }
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

    /// Applies one review key; returns whether it decided the sheet.
    fn key(&mut self, key: ReviewKey, lines: &[usize], cx: &mut Ctx<'_>) -> bool {
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
                if let Some(n) = r.shown.as_ref().map(|w| w.number)
                    && (r.void || lines.iter().all(|l| r.choices.contains_key(l)))
                {
                    self.decide(cx, n, lines);
                    return true;
                }
            }
        }
        false
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
                self.review = Review::default();
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
            .is_some_and(|r| r.of.0 == group && r.of.1 == *sheet);
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
                of: (group, sheet.clone()),
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
        let read = match rx.try_recv() {
            Ok(read) => read,
            Err(mpsc::TryRecvError::Empty) => return,
            // The reader is gone without a word (it panicked): no pictures.
            Err(mpsc::TryRecvError::Disconnected) => Ok(Vec::new()),
        };
        rows.rx = None;
        match read {
            Ok(images) => {
                if images.is_empty() || images.iter().any(Option::is_none) {
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
