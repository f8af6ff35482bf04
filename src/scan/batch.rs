//! Scanned files read into a group's count, and the sheets people decide (issue 23).
//!
//! **Into the one count.** A sheet the scanner reads clearly is counted as a sheet typed on
//! the ballot screen is: through [`BallotCounter`], taken up where the group's count stands
//! ([`BallotCounter::resume`]), so that scanned and typed sheets add up in one
//! ballot-by-ballot count and every later step (the completeness rule E130, double entry,
//! finalising, the minutes) works unchanged.
//!
//! **Never a silent guess.** A sheet with one unclear line waits whole for people
//! ([`crate::model::WaitingSheet`]); a page that is not one of this group's ballots is
//! refused with its reason and counted nowhere. A ballot of several pages is counted only
//! when its pages come one after another, complete, in the order read (the copies are
//! identical, nothing else ties a page to the next); otherwise its pages are refused and
//! the sheet is entered by hand.
//!
//! **Nothing twice.** A file whose bytes were read before (by SHA-256) is refused; every
//! file read is logged with its SHA-256, every decision with who made it.

use sha2::{Digest, Sha256};
use thiserror::Error;

use super::image::{ImageError, ScanFile};
use super::read::{PageReading, Reading, RowImage, SheetReading, THRESHOLDS, read_page, row_image};
use crate::counting::{BallotCounter, Mark};
use crate::documents::ballots::{ScanForm, scan_forms};
use crate::documents::layout::Fonts;
use crate::edit::Edit;
use crate::model::{GroupCount, LineRead, Session, Timestamp, WaitingLine, WaitingSheet};
use crate::text::{Lang, Message};

/// Why nothing of a batch or a decision was applied.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ScanError {
    /// No such group (`group` counted from 0).
    #[error("no ballot group {}", .0 + 1)]
    NoSuchGroup(usize),
    /// The group's ballots are not printed for a scanner.
    #[error("group {} is not counted by scanner", .0 + 1)]
    NotScanForm(usize),
    /// The session is final.
    #[error("the session is final")]
    Final,
    /// The group's counts cannot change now (double entry compared or agreed).
    #[error("the counts of group {} cannot change at this stage of double entry", .0 + 1)]
    NotEditable(usize),
    /// The count under way does not fit the ballot as it is now (a cadre or criterion added
    /// since it began, or its figures typed over).
    #[error("the count under way in group {} does not fit its ballot", .0 + 1)]
    CountDoesNotFit(usize),
    /// The group holds totals typed by hand, not a ballot-by-ballot count.
    #[error("group {} holds totals typed by hand", .0 + 1)]
    TotalsTyped(usize),
    /// The documents' fonts failed (a broken build).
    #[error("the ballot forms cannot be laid out: {0}")]
    Forms(String),
    /// No waiting sheet of this number.
    #[error("no waiting sheet {0}")]
    NoSuchSheet(u32),
    /// The ballot's list changed since the sheet was read.
    #[error("the list changed since waiting sheet {0} was read")]
    ListChanged(u32),
    /// A line decided twice in one decision.
    #[error("line {0} decided twice")]
    DecidedTwice(String),
    /// A decision names a line the ballot does not have.
    #[error("the ballot has no line {0}")]
    NoSuchLine(String),
    /// A decision leaves lines undecided (their STT and question, as printed).
    #[error("lines left undecided: {0}")]
    Undecided(String),
    /// A line decided as unclear.
    #[error("a decision cannot be \"unclear\"")]
    DecidedUnclear,
    /// Every decision is attributed.
    #[error("who decides must be named")]
    OperatorRequired,
}

impl ScanError {
    /// The error in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        match self {
            ScanError::NoSuchGroup(g) => Message::new(
                format!("Không có nhóm phiếu {}.", g + 1),
                format!("There is no ballot group {}.", g + 1),
            ),
            ScanError::NotScanForm(g) => Message::new(
                format!(
                    "Nhóm phiếu {} không in phiếu để máy quét đọc: bật \"Đếm bằng máy quét\" rồi in lại phiếu.",
                    g + 1
                ),
                format!(
                    "Ballot group {} is not printed for a scanner: turn on \"Counted by scanner\" and print the ballots again.",
                    g + 1
                ),
            ),
            ScanError::Final => Message::new(
                "Phiên đã chốt kết quả: mở lại (có lý do) trước khi đếm thêm phiếu.",
                "The session is final: reopen it (with a reason) before counting more sheets.",
            ),
            ScanError::NotEditable(g) => Message::new(
                format!(
                    "Số liệu nhóm {} đang được đối chiếu hoặc đã khớp (nhập hai lần): không đếm thêm được.",
                    g + 1
                ),
                format!(
                    "The counts of group {} are being compared or agreed (double entry): no more sheets can be counted.",
                    g + 1
                ),
            ),
            ScanError::CountDoesNotFit(g) => Message::new(
                format!(
                    "Lần đếm đang dở của nhóm {} không khớp với phiếu hiện nay (đã thêm cán bộ hoặc tiêu chí, hoặc số liệu bị sửa tay): kết thúc lần đếm đó hoặc đếm lại từ đầu.",
                    g + 1
                ),
                format!(
                    "The count under way in group {} does not fit the ballot as it is now (a cadre or criterion added, or its figures typed over): end that count or count again from zero.",
                    g + 1
                ),
            ),
            ScanError::TotalsTyped(g) => Message::new(
                format!(
                    "Nhóm {} đã có số liệu nhập tổng bằng tay, không phải đếm từng phiếu: xóa số liệu đó trước khi đếm bằng máy quét.",
                    g + 1
                ),
                format!(
                    "Group {} holds totals typed by hand, not a ballot-by-ballot count: clear them before counting by scanner.",
                    g + 1
                ),
            ),
            ScanError::Forms(e) => Message::new(
                format!("Không dựng được mẫu phiếu: {e}"),
                format!("The ballot forms cannot be laid out: {e}"),
            ),
            ScanError::NoSuchSheet(k) => Message::new(
                format!("Không có phiếu chờ số {k}."),
                format!("There is no waiting sheet {k}."),
            ),
            ScanError::ListChanged(k) => Message::new(
                format!(
                    "Danh sách trên phiếu đã thay đổi từ khi phiếu chờ số {k} được đọc: không đếm được theo danh sách mới. Để riêng phiếu ({k}=drop) rồi nhập bằng tay."
                ),
                format!(
                    "The list changed since waiting sheet {k} was read: it cannot be counted on the new list. Set it aside ({k}=drop) and enter it by hand."
                ),
            ),
            ScanError::DecidedTwice(l) => Message::new(
                format!("Dòng {l} được quyết định hai lần."),
                format!("Line {l} is decided twice."),
            ),
            ScanError::NoSuchLine(l) => Message::new(
                format!("Phiếu không có dòng {l}."),
                format!("The ballot has no line {l}."),
            ),
            ScanError::Undecided(l) => Message::new(
                format!("Còn dòng chưa quyết định: {l}."),
                format!("Lines left undecided: {l}."),
            ),
            ScanError::DecidedUnclear => Message::new(
                "Quyết định phải là một mức, \"không đánh dấu\" hoặc \"nhiều ô\", không thể là \"chưa rõ\".",
                "A decision is a level, \"none\" or \"several\", never \"unclear\".",
            ),
            ScanError::OperatorRequired => Message::new(
                "Cần ghi tên người quyết định (ghi vào nhật ký).",
                "Who decides must be named (it goes into the log).",
            ),
        }
    }
}

/// What happened to one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStatus {
    /// Every sheet on it counted.
    Counted,
    /// A sheet on it waits for people.
    Review,
    /// Not read: counted nowhere.
    Refused,
}

impl PageStatus {
    /// The word of the CLI's JSON.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            PageStatus::Counted => "counted",
            PageStatus::Review => "review",
            PageStatus::Refused => "refused",
        }
    }
}

/// Why a page was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// A stable code ("blank", "duplicate-file", "missing-page"…).
    pub code: &'static str,
    /// In both languages.
    pub message: Message,
}

/// One line as read, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineReport {
    /// The sheet on the page, from 1 (2 for the lower half of an uncut two-up sheet).
    pub sheet: usize,
    /// The cadre's STT, as printed.
    pub stt: usize,
    /// 0 for the overall question, k + 1 for criterion k.
    pub question: usize,
    /// What it reads.
    pub reading: Reading,
    /// The boxes' scores, per mille: (dark, faint).
    pub scores: [(u16, u16); 3],
}

/// One page of one file, in the order read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageReport {
    /// The file, as given.
    pub file: String,
    /// The page in the file, from 1 (0 when the whole file was refused).
    pub page: usize,
    /// What happened to it.
    pub status: PageStatus,
    /// Why it was refused.
    pub reason: Option<Reason>,
    /// Its lines, as read.
    pub lines: Vec<LineReport>,
}

/// What a batch did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanReport {
    /// Every page, in the order read.
    pub pages: Vec<PageReport>,
    /// Sheets counted now.
    pub counted: u32,
    /// Sheets now waiting for people.
    pub waiting: u32,
    /// Pages refused.
    pub refused: u32,
}

impl ScanReport {
    /// Whether everything read was counted (the CLI's exit 0).
    #[must_use]
    pub fn all_counted(&self) -> bool {
        self.waiting == 0 && self.refused == 0
    }
}

/// The forms of the group, as printed in either language.
fn group_forms(session: &Session, group: usize) -> Result<Vec<ScanForm>, ScanError> {
    let fonts = Fonts::load().map_err(|e| ScanError::Forms(e.to_string()))?;
    let mut forms = Vec::new();
    for lang in Lang::ALL {
        forms.extend(
            scan_forms(session, &fonts, lang)
                .into_iter()
                .filter(|f| f.group == group),
        );
    }
    Ok(forms)
}

/// The group's count, taken up where it stands, or started when the group holds no counts.
fn counter(session: &Session, group: usize) -> Result<BallotCounter, ScanError> {
    if session.is_final() {
        return Err(ScanError::Final);
    }
    let g = session
        .groups
        .get(group)
        .ok_or(ScanError::NoSuchGroup(group))?;
    if !g.entry.counts_editable() {
        return Err(ScanError::NotEditable(group));
    }
    if let Some(k) = BallotCounter::resume(g) {
        return Ok(k);
    }
    if g.ballot_count.is_some() {
        return Err(ScanError::CountDoesNotFit(group));
    }
    let typed =
        g.voters.void_sheets.is_some() || g.all_counts().iter().flatten().any(|c| !c.is_empty());
    if typed {
        return Err(ScanError::TotalsTyped(group));
    }
    Ok(BallotCounter::new(g))
}

fn mark_of(read: LineRead) -> Mark {
    match read {
        LineRead::High => Mark::High,
        LineRead::Medium => Mark::Medium,
        LineRead::Low => Mark::Low,
        LineRead::None | LineRead::Several | LineRead::Unclear => Mark::Invalid,
    }
}

/// Counts one whole, clear ballot.
fn count_sheet(k: &mut BallotCounter, lines: &[WaitingLine]) {
    k.go_to(0);
    k.set_void(false);
    for line in lines {
        k.mark(mark_of(line.read));
    }
    k.confirm();
}

/// A multi-page ballot being put together from consecutive pages.
struct Assembly {
    form: usize,
    /// The form's id, kept with a waiting sheet.
    form_id: String,
    pages: usize,
    file: String,
    sha256: String,
    at_pages: Vec<u32>,
    lines: Vec<WaitingLine>,
    /// Indices into the report's pages, to mark them refused if the ballot stays incomplete.
    reports: Vec<usize>,
    /// The last page added was its file's last: the next page may be the first of the next
    /// file (a scanner writing one file a page).
    at_file_end: bool,
    /// The SHA-256 of the file of the last page added.
    last_sha: String,
}

fn scores(sheet: &SheetReading) -> Vec<WaitingLine> {
    sheet
        .lines
        .iter()
        .map(|l| WaitingLine {
            read: l.reading,
            scores: l.scores.map(|s| (s.dark, s.faint)),
        })
        .collect()
}

fn refuse(report: &mut PageReport, code: &'static str, message: Message) {
    report.status = PageStatus::Refused;
    report.reason = Some(Reason { code, message });
}

/// The pages of an incomplete ballot, refused.
fn incomplete(report: &mut ScanReport, a: Assembly) {
    for i in a.reports {
        if let Some(p) = report.pages.get_mut(i) {
            refuse(
                p,
                "missing-page",
                Message::new(
                    format!(
                        "Phiếu {} trang không đủ trang liền nhau khi quét: không đếm, nhập phiếu này bằng tay.",
                        a.pages
                    ),
                    format!(
                        "A ballot of {} pages whose pages were not scanned complete and in order: not counted; enter it by hand.",
                        a.pages
                    ),
                ),
            );
            report.refused += 1;
        }
    }
}

/// How many pages are decoded and read at once: one per core, at most 4 (a page in flight
/// is up to 40 MB of pixels).
fn workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

/// A file of a batch, once its bytes are looked at.
enum Entry<'b> {
    /// Read before (its SHA-256 is known).
    Duplicate,
    /// Not a file the reader opens: its SHA-256 and why.
    Unreadable(String, ImageError),
    /// Opened: its SHA-256 and its pages.
    Open(String, ScanFile<'b>),
}

/// The pages `jobs` names (file, page) decoded and read, each on its own thread, in order.
/// Pages are independent; putting ballots together and counting them stays in order, on one
/// thread.
fn read_jobs(
    entries: &[(&str, Entry<'_>)],
    forms: &[ScanForm],
    jobs: &[(usize, usize)],
) -> Vec<Result<PageReading, ImageError>> {
    let read = |&(e, p): &(usize, usize)| match entries.get(e) {
        Some((_, Entry::Open(_, file))) => file
            .page(p)
            .map(|image| read_page(&image, forms, THRESHOLDS)),
        _ => Err(ImageError::NoImage),
    };
    // Each page on its own thread, even alone: a reader that panics (rqrr has asserts a
    // strange image can reach) refuses its page, and the batch goes on.
    std::thread::scope(|s| {
        let handles: Vec<_> = jobs.iter().map(|job| s.spawn(move || read(job))).collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or(Ok(PageReading::Refused(super::read::Refusal::ReaderFailed)))
            })
            .collect()
    })
}

/// One batch under way: the count it adds to, the report it writes, the ballot of several
/// pages being put together.
struct Batch<'f> {
    forms: &'f [ScanForm],
    k: BallotCounter,
    report: ScanReport,
    waiting: Vec<WaitingSheet>,
    open: Option<Assembly>,
    /// The SHA-256 of every file read, before and in this batch.
    seen: Vec<String>,
    /// Sheets ever set waiting in the group, this batch's included.
    numbered: u32,
    /// Ballots of several pages put together, counted when the batch ends.
    whole: Vec<Assembly>,
    /// Forms whose pile had a page missing or out of order in this batch.
    out_of_order: Vec<usize>,
}

impl Batch<'_> {
    fn file_refused(&mut self, name: &str, code: &'static str, message: Message) {
        let mut p = PageReport {
            file: name.to_owned(),
            page: 0,
            status: PageStatus::Refused,
            reason: None,
            lines: Vec::new(),
        };
        refuse(&mut p, code, message);
        self.report.pages.push(p);
        self.report.refused += 1;
    }

    /// Reads a few files, in order: duplicates refused, the rest opened, their pages decoded
    /// and read [`workers`] at a time across the files (a folder of one-page JPEG files uses
    /// every core, as a long PDF does), then counted in order. Returns the log's lines.
    fn files(
        &mut self,
        chunk: &[(String, Vec<u8>)],
        group: usize,
        progress: &mut dyn FnMut(&ScanReport),
    ) -> Vec<Message> {
        let entries: Vec<(&str, Entry<'_>)> = chunk
            .iter()
            .map(|(name, bytes)| {
                let sha = crate::encode::hex(&Sha256::digest(bytes));
                let entry = if self.seen.contains(&sha) {
                    Entry::Duplicate
                } else {
                    self.seen.push(sha.clone());
                    match ScanFile::open(bytes) {
                        Ok(file) => Entry::Open(sha, file),
                        Err(e) => Entry::Unreadable(sha, e),
                    }
                };
                (name.as_str(), entry)
            })
            .collect();
        let jobs: Vec<(usize, usize)> = entries
            .iter()
            .enumerate()
            .flat_map(|(e, (_, entry))| {
                let pages = match entry {
                    Entry::Open(_, file) => file.pages(),
                    _ => 0,
                };
                (0..pages).map(move |p| (e, p))
            })
            .collect();
        let forms = self.forms;
        let mut ready = std::collections::VecDeque::new();
        let mut next = 0;
        let mut logs = Vec::new();
        for (name, entry) in &entries {
            let before = (
                self.report.counted,
                self.report.waiting,
                self.report.refused,
            );
            match entry {
                Entry::Duplicate => self.file_refused(
                    name,
                    "duplicate-file",
                    Message::new(
                        "Tệp này (cùng nội dung) đã được đọc: không đếm lần nữa.",
                        "This file (the same bytes) was read before: not counted again.",
                    ),
                ),
                Entry::Unreadable(sha, why) => {
                    self.file_refused(name, image_code(why), why.message());
                    logs.push(file_log(name, sha, 0, before, &self.report, group));
                }
                Entry::Open(sha, file) => {
                    for page in 0..file.pages() {
                        if ready.is_empty() {
                            let end = (next + workers()).min(jobs.len());
                            ready.extend(read_jobs(&entries, forms, &jobs[next..end]));
                            next = end;
                        }
                        // Never empty here: the jobs list every page of every open file.
                        let read = ready.pop_front().unwrap_or(Err(ImageError::NoImage));
                        self.page(name, sha, (page, file.pages()), read);
                        // Page by page: a scanner's one PDF of 300 pages moves the bar too.
                        progress(&self.report);
                    }
                    logs.push(file_log(
                        name,
                        sha,
                        file.pages(),
                        before,
                        &self.report,
                        group,
                    ));
                }
            }
        }
        logs
    }

    /// One page (`index` from 0 of its file's `of`), read or refused.
    fn page(
        &mut self,
        name: &str,
        sha: &str,
        (index, of): (usize, usize),
        read: Result<PageReading, ImageError>,
    ) {
        let mut p = PageReport {
            file: name.to_owned(),
            page: index + 1,
            status: PageStatus::Counted,
            reason: None,
            lines: Vec::new(),
        };
        let reading = match read {
            Ok(reading) => reading,
            Err(e) => {
                refuse(&mut p, image_code(&e), e.message());
                self.report.pages.push(p);
                self.report.refused += 1;
                return;
            }
        };
        let sheets = match reading {
            PageReading::Sheets(s) => s,
            PageReading::Refused(r) => {
                refuse(&mut p, r.code(), r.message());
                self.report.pages.push(p);
                self.report.refused += 1;
                return;
            }
        };
        for (n, sheet) in sheets.iter().enumerate() {
            p.lines.extend(sheet.lines.iter().map(|l| LineReport {
                sheet: n + 1,
                stt: l.stt,
                question: l.question,
                reading: l.reading,
                scores: l.scores.map(|s| (s.dark, s.faint)),
            }));
        }
        let at = self.report.pages.len();
        self.report.pages.push(p);
        for sheet in sheets {
            self.sheet(name, sha, at, (index + 1, index + 1 == of), &sheet);
        }
    }

    /// Puts a form's page into its ballot: page 1 starts one, the next page continues it;
    /// the last page completes it. `page_no` is the page in its file (from 1) and whether it
    /// is the file's last.
    fn sheet(
        &mut self,
        name: &str,
        sha: &str,
        at: usize,
        (page_no, file_end): (usize, bool),
        sheet: &SheetReading,
    ) {
        let (page, pages) = (sheet.tag.page, sheet.tag.pages);
        // A ballot's pages come one after another in the order read: the next page of the
        // same file, or the first page of the next file when the last one ended. Nothing
        // else ties a page to the next, the copies being identical.
        let continues = self.open.as_ref().is_some_and(|a| {
            let next_in_file =
                a.last_sha == sha && a.at_pages.last().map(|&p| p as usize + 1) == Some(page_no);
            let next_file = a.last_sha != sha && a.at_file_end && page_no == 1;
            a.form == sheet.form && a.at_pages.len() + 1 == page && (next_in_file || next_file)
        });
        if !continues {
            if let Some(a) = self.open.take() {
                self.broken(a);
            }
            let a = Assembly {
                form: sheet.form,
                form_id: sheet.tag.id.clone(),
                pages,
                file: name.to_owned(),
                sha256: sha.to_owned(),
                at_pages: Vec::new(),
                lines: Vec::new(),
                reports: Vec::new(),
                at_file_end: false,
                last_sha: sha.to_owned(),
            };
            if page != 1 {
                self.broken(Assembly {
                    reports: vec![at],
                    ..a
                });
                return;
            }
            self.open = Some(a);
        }
        let Some(a) = self.open.as_mut() else {
            return;
        };
        a.at_pages.push(u32::try_from(page_no).unwrap_or(u32::MAX));
        a.lines.extend(scores(sheet));
        a.reports.push(at);
        a.at_file_end = file_end;
        if a.last_sha != sha {
            // A ballot across files (one file a page): the waiting sheet names them all.
            a.file = format!("{} + {name}", a.file);
            a.last_sha = sha.to_owned();
        }
        if page == pages
            && let Some(a) = self.open.take()
        {
            if pages > 1 {
                // Counted at the end of the batch, if the pile was in order.
                self.whole.push(a);
            } else {
                self.complete(a);
            }
        }
    }

    /// A ballot of several pages left incomplete: its pages are refused, and the pile of
    /// its form is out of order, so that no other ballot of that form in this batch can be
    /// trusted to hold one voter's pages ([`Batch::finish`]).
    fn broken(&mut self, a: Assembly) {
        if a.pages > 1 && !self.out_of_order.contains(&a.form) {
            self.out_of_order.push(a.form);
        }
        incomplete(&mut self.report, a);
    }

    /// The ballots of several pages, put together during the batch: counted (or set
    /// waiting) when their form's pile was in order; otherwise every one of them is refused,
    /// since two voters' pages may have been joined.
    fn finish(&mut self) {
        if let Some(a) = self.open.take() {
            self.broken(a);
        }
        for a in std::mem::take(&mut self.whole) {
            if self.out_of_order.contains(&a.form) {
                for i in a.reports {
                    if let Some(p) = self.report.pages.get_mut(i) {
                        refuse(
                            p,
                            "pile-out-of-order",
                            Message::new(
                                "Trong lần quét này có phiếu nhiều trang bị thiếu trang hoặc sai thứ tự: không phiếu nhiều trang nào của mẫu này được đếm (các trang có thể thuộc hai người). Xếp lại đúng thứ tự rồi quét lại cả xấp.",
                                "A ballot of several pages in this batch had a page missing or out of order: no ballot of several pages of this form is counted (two voters' pages may have been joined). Put the pile in order and scan it again.",
                            ),
                        );
                        self.report.refused += 1;
                    }
                }
            } else {
                self.complete(a);
            }
        }
    }

    /// A whole ballot: counted when every line is clear, otherwise set waiting.
    fn complete(&mut self, a: Assembly) {
        if a.lines.iter().all(|l| l.read != LineRead::Unclear) {
            count_sheet(&mut self.k, &a.lines);
            self.report.counted += 1;
            return;
        }
        for &i in &a.reports {
            if let Some(p) = self.report.pages.get_mut(i) {
                p.status = PageStatus::Review;
            }
        }
        self.numbered += 1;
        self.waiting.push(WaitingSheet {
            number: self.numbered,
            form: a.form_id,
            file: a.file,
            sha256: a.sha256,
            pages: a.at_pages,
            lines: a.lines,
        });
        self.report.waiting += 1;
    }
}

/// Reads `files` (each its name as given and its bytes, or why they could not be read), in
/// order, into group `group`'s count: counts the clear sheets, keeps the others waiting, logs
/// each file by its SHA-256 under `by`. Nothing is changed when it fails; pages it refuses
/// are in the report. The files are taken one at a time, so that a caller reading them
/// lazily holds one file in memory, whatever the batch.
///
/// # Errors
///
/// [`ScanError::NoSuchGroup`], [`ScanError::NotScanForm`], [`ScanError::Final`],
/// [`ScanError::NotEditable`], [`ScanError::CountDoesNotFit`], [`ScanError::TotalsTyped`],
/// [`ScanError::OperatorRequired`], [`ScanError::Forms`] (a broken build).
pub fn scan_files(
    session: &mut Session,
    group: usize,
    files: impl IntoIterator<Item = (String, Result<Vec<u8>, Message>)>,
    by: &str,
    at: Timestamp,
) -> Result<ScanReport, ScanError> {
    let by = crate::text::clean_name(by);
    if by.is_empty() {
        return Err(ScanError::OperatorRequired);
    }
    let (report, logs) = run_batch(session, group, files, &mut |_| {})?;
    for what in logs {
        session.log_change(&by, at, what);
    }
    Ok(report)
}

/// What [`scan_files`] would do to `session`, as one edit the desktop app applies at the end
/// of a frame ([`Edit::ScanStep`], logged there under its operator), worked out on a copy
/// (the reading takes seconds: the app runs it off the frame). `progress` is told the report
/// so far after every few files.
///
/// # Errors
///
/// As [`scan_files`], but for [`ScanError::OperatorRequired`].
pub fn scan_step(
    session: &Session,
    group: usize,
    files: impl IntoIterator<Item = (String, Result<Vec<u8>, Message>)>,
    progress: &mut dyn FnMut(&ScanReport),
) -> Result<(Edit, ScanReport), ScanError> {
    let mut copy = session.clone();
    let (report, log) = run_batch(&mut copy, group, files, progress)?;
    Ok((step(session, &copy, group, log), report))
}

/// The edit taking `group` of `before` to its count in `after`.
fn step(before: &Session, after: &Session, group: usize, log: Vec<Message>) -> Edit {
    Edit::ScanStep {
        group,
        before: Box::new(before.groups[group].clone()),
        after: Box::new(GroupCount::of(&after.groups[group])),
        log,
    }
}

/// [`scan_files`]' work: the count changed, the log's lines returned.
fn run_batch(
    session: &mut Session,
    group: usize,
    files: impl IntoIterator<Item = (String, Result<Vec<u8>, Message>)>,
    progress: &mut dyn FnMut(&ScanReport),
) -> Result<(ScanReport, Vec<Message>), ScanError> {
    let g = session
        .groups
        .get(group)
        .ok_or(ScanError::NoSuchGroup(group))?;
    if !g.scan_form {
        return Err(ScanError::NotScanForm(group));
    }
    let forms = group_forms(session, group)?;
    let mut batch = Batch {
        forms: &forms,
        k: counter(session, group)?,
        report: ScanReport::default(),
        waiting: Vec::new(),
        open: None,
        seen: g.scan.files.clone(),
        numbered: g.scan.numbered,
        whole: Vec::new(),
        out_of_order: Vec::new(),
    };
    let mut logs = Vec::new();
    // A few files in memory at a time, so that one-page files are read on every core.
    let mut chunk = Vec::new();
    for (name, bytes) in files {
        match bytes {
            Ok(bytes) => chunk.push((name, bytes)),
            Err(why) => {
                logs.extend(batch.files(&std::mem::take(&mut chunk), group, progress));
                batch.file_refused(&name, "unreadable", why);
                progress(&batch.report);
            }
        }
        if chunk.len() >= workers() {
            logs.extend(batch.files(&std::mem::take(&mut chunk), group, progress));
            progress(&batch.report);
        }
    }
    logs.extend(batch.files(&chunk, group, progress));
    batch.finish();
    progress(&batch.report);
    // Nothing is applied until here; a batch that counted no sheet starts no count.
    let g = &mut session.groups[group];
    if batch.report.counted > 0 || g.ballot_count.is_some() {
        batch.k.write_to(g);
        g.ballot_count = Some(batch.k.sheets_entered());
    }
    g.scan.sheets = g.scan.sheets.saturating_add(batch.report.counted);
    g.scan.files = batch.seen;
    g.scan.numbered = batch.numbered;
    g.scan.waiting.extend(batch.waiting);
    Ok((batch.report, logs))
}

fn image_code(e: &ImageError) -> &'static str {
    match e {
        ImageError::TooLarge { .. } => "too-large",
        ImageError::TooSmall { .. } => "too-small",
        ImageError::NoImage => "no-image",
        _ => "unreadable",
    }
}

/// The log's line for one file: its name, SHA-256, pages and what came of them.
fn file_log(
    name: &str,
    sha: &str,
    pages: usize,
    before: (u32, u32, u32),
    report: &ScanReport,
    group: usize,
) -> Message {
    let (c, w, r) = (
        report.counted - before.0,
        report.waiting - before.1,
        report.refused - before.2,
    );
    let g = group + 1;
    Message::new(
        format!(
            "Quét phiếu nhóm {g}: tệp {name} (SHA-256 {sha}), {pages} trang: đếm {c} phiếu, {w} phiếu chờ quyết định, {r} trang không đọc"
        ),
        format!(
            "Scanned ballots of group {g}: file {name} (SHA-256 {sha}), {pages} pages: {c} sheets counted, {w} waiting for a decision, {r} pages not read"
        ),
    )
}

/// What the counting committee decides for a waiting sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The whole sheet is invalid (phiếu không hợp lệ: writing, a signature, a name struck out).
    Void,
    /// Set aside, not counted here: the committee enters the sheet by hand on the ballot
    /// screen (a sheet read against a list that has since changed can only be set aside).
    Drop,
    /// Lines decided, each by its index in printed order: every unclear line, and any other
    /// line people read otherwise; each line once.
    Lines(Vec<(usize, LineRead)>),
}

/// Applies line decisions to a waiting sheet's `lines` and counts it: every unclear line must
/// be decided, each line once. Returns what the log says and how many lines were decided.
fn decide_lines(
    k: &mut BallotCounter,
    lines: &mut [WaitingLine],
    given: &[(usize, LineRead)],
    sheet: u32,
) -> Result<(Message, u32), ScanError> {
    let mut said_vi = Vec::new();
    let mut said_en = Vec::new();
    let mut seen = Vec::new();
    for &(line, read) in given {
        if read == LineRead::Unclear {
            return Err(ScanError::DecidedUnclear);
        }
        if seen.contains(&line) {
            return Err(ScanError::DecidedTwice(line_name(k, line)));
        }
        seen.push(line);
        let slot = lines
            .get_mut(line)
            .ok_or_else(|| ScanError::NoSuchLine(line.to_string()))?;
        slot.read = read;
        let name = line_name(k, line);
        said_vi.push(format!("dòng {name}: {}", read.label().vi));
        said_en.push(format!("line {name}: {}", read.label().en));
    }
    let left: Vec<String> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.read == LineRead::Unclear)
        .map(|(i, _)| line_name(k, i))
        .collect();
    if !left.is_empty() {
        return Err(ScanError::Undecided(left.join(", ")));
    }
    count_sheet(k, lines);
    Ok((
        Message::new(
            format!("phiếu chờ số {sheet}: {}", said_vi.join("; ")),
            format!("waiting sheet {sheet}: {}", said_en.join("; ")),
        ),
        u32::try_from(given.len()).unwrap_or(u32::MAX),
    ))
}

/// A line's STT and question in words ("3" or "3.2" for criterion 2 of STT 3).
#[must_use]
pub fn line_name(k: &BallotCounter, line: usize) -> String {
    k.lines().get(line).map_or_else(String::new, |l| {
        if l.question == 0 {
            (l.cadre + 1).to_string()
        } else {
            format!("{}.{}", l.cadre + 1, l.question)
        }
    })
}

/// The index of the line named `name` ("3", "3.2"), if the ballot has it.
#[must_use]
pub fn line_named(k: &BallotCounter, name: &str) -> Option<usize> {
    (0..k.lines().len()).find(|&i| line_name(k, i) == name)
}

/// Applies the counting committee's decision on the waiting sheet numbered `sheet` of group
/// `group`: the sheet is counted (or set aside) and leaves the waiting list; the decision is
/// logged under `by`, line by line.
///
/// # Errors
///
/// [`ScanError::NoSuchGroup`], [`ScanError::NoSuchSheet`], [`ScanError::ListChanged`] when the
/// ballot's list changed since the sheet was read (only [`Decision::Drop`] is taken then),
/// [`ScanError::NoSuchLine`], [`ScanError::Undecided`] while an unclear line is left,
/// [`ScanError::DecidedUnclear`], [`ScanError::DecidedTwice`], [`ScanError::OperatorRequired`],
/// [`ScanError::Forms`] (a broken build), and as the count can refuse ([`ScanError::Final`],
/// [`ScanError::NotEditable`], [`ScanError::CountDoesNotFit`], [`ScanError::TotalsTyped`]).
pub fn decide(
    session: &mut Session,
    group: usize,
    sheet: u32,
    decision: &Decision,
    by: &str,
    at: Timestamp,
) -> Result<(), ScanError> {
    let by = crate::text::clean_name(by);
    if by.is_empty() {
        return Err(ScanError::OperatorRequired);
    }
    let what = decide_in(session, group, sheet, decision)?;
    session.log_change(&by, at, what);
    Ok(())
}

/// What [`decide`] would do, as one edit the desktop app applies and logs under its
/// operator ([`Edit::ScanStep`]).
///
/// # Errors
///
/// As [`decide`], but for [`ScanError::OperatorRequired`].
pub fn decide_step(
    session: &Session,
    group: usize,
    sheet: u32,
    decision: &Decision,
) -> Result<Edit, ScanError> {
    let mut copy = session.clone();
    let what = decide_in(&mut copy, group, sheet, decision)?;
    Ok(step(session, &copy, group, vec![what]))
}

/// [`decide`]'s work: the count changed, the log's line returned.
fn decide_in(
    session: &mut Session,
    group: usize,
    sheet: u32,
    decision: &Decision,
) -> Result<Message, ScanError> {
    let g = session
        .groups
        .get(group)
        .ok_or(ScanError::NoSuchGroup(group))?;
    let at_index = g
        .scan
        .waiting
        .iter()
        .position(|w| w.number == sheet)
        .ok_or(ScanError::NoSuchSheet(sheet))?;
    let waiting = &g.scan.waiting[at_index];
    let n = group + 1;
    if *decision == Decision::Drop {
        let file = waiting.file.clone();
        let g = &mut session.groups[group];
        g.scan.waiting.remove(at_index);
        return Ok(Message::new(
            format!(
                "Ban kiểm phiếu quyết định (nhóm {n}): phiếu chờ số {sheet} ({file}) để riêng, nhập bằng tay"
            ),
            format!(
                "The counting committee decided (group {n}): waiting sheet {sheet} ({file}) set aside, to be entered by hand"
            ),
        ));
    }
    let current = group_forms(session, group)?;
    if !current
        .iter()
        .flat_map(|f| &f.pages)
        .any(|p| p.tag.id == waiting.form)
    {
        return Err(ScanError::ListChanged(sheet));
    }
    let mut k = counter(session, group)?;
    let mut lines = waiting.lines.clone();
    if lines.len() != k.lines().len() {
        return Err(ScanError::ListChanged(sheet));
    }
    let (what, decided) = match decision {
        Decision::Void | Decision::Drop => {
            k.void_sheet();
            (
                Message::new(
                    format!("phiếu chờ số {sheet} là phiếu không hợp lệ"),
                    format!("waiting sheet {sheet} is a void sheet"),
                ),
                0,
            )
        }
        Decision::Lines(given) => decide_lines(&mut k, &mut lines, given, sheet)?,
    };
    let g = &mut session.groups[group];
    k.write_to(g);
    g.ballot_count = Some(k.sheets_entered());
    g.scan.sheets = g.scan.sheets.saturating_add(1);
    g.scan.decided_lines = g.scan.decided_lines.saturating_add(decided);
    g.scan.waiting.remove(at_index);
    Ok(Message::new(
        format!("Ban kiểm phiếu quyết định (nhóm {n}): {}", what.vi),
        format!("The counting committee decided (group {n}): {}", what.en),
    ))
}

/// The rows of a waiting sheet, as its file shows them, for people to look at before they
/// decide ([`row_image`]): one per line of the ballot, `None` where the page could not be
/// read again (the file moved, or changed: its SHA-256 no longer matches). The file is read
/// with `open` (its name as the scan was given it); an uncut two-up page holds two copies of
/// the same form, told apart by their scores, which the same reader gives again.
///
/// # Errors
///
/// [`ScanError::NoSuchGroup`], [`ScanError::Forms`] (a broken build).
pub fn sheet_rows(
    session: &Session,
    group: usize,
    sheet: &WaitingSheet,
    open: &dyn Fn(&str) -> Result<Vec<u8>, Message>,
    px_per_mm: f64,
) -> Result<Vec<Option<RowImage>>, ScanError> {
    if group >= session.groups.len() {
        return Err(ScanError::NoSuchGroup(group));
    }
    let forms = group_forms(session, group)?;
    let mut rows = vec![None; sheet.lines.len()];
    // A ballot across files (one file a page) names them joined by " + ".
    let names: Vec<&str> = sheet.file.split(" + ").collect();
    let mut first_line = 0;
    for (i, &page_no) in sheet.pages.iter().enumerate() {
        let name = if names.len() == sheet.pages.len() {
            names[i]
        } else {
            sheet.file.as_str()
        };
        let Some(form_page) = forms
            .iter()
            .flat_map(|f| &f.pages)
            .find(|p| p.tag.id == sheet.form && p.tag.page == i + 1)
        else {
            break;
        };
        let lines = first_line..first_line + form_page.lines.len();
        first_line = lines.end;
        let Some(image) = open(name).ok().and_then(|bytes| {
            let sha = crate::encode::hex(&Sha256::digest(&bytes));
            // The waiting sheet keeps the SHA-256 of its (first) file: the file must still be
            // those bytes; a ballot across files keeps only its first file's.
            let across_files = names.len() > 1 && names.len() == sheet.pages.len();
            let fits = (across_files && i > 0) || sha == sheet.sha256;
            let file = ScanFile::open(&bytes).ok().filter(|_| fits)?;
            file.page((page_no as usize).checked_sub(1)?).ok()
        }) else {
            continue;
        };
        let PageReading::Sheets(found) = read_page(&image, &forms, THRESHOLDS) else {
            continue;
        };
        let wanted = sheet.lines.get(lines.clone()).unwrap_or_default();
        let Some(read) = found.iter().find(|s| {
            s.tag.id == sheet.form
                && s.tag.page == i + 1
                && s.lines.len() == wanted.len()
                && s.lines
                    .iter()
                    .zip(wanted)
                    .all(|(l, w)| l.scores.map(|b| (b.dark, b.faint)) == w.scores)
        }) else {
            continue;
        };
        for (line, slot) in form_page.lines.iter().zip(&mut rows[lines]) {
            *slot = Some(row_image(
                &image,
                form_page,
                &read.homography,
                line,
                px_per_mm,
            ));
        }
    }
    Ok(rows)
}
