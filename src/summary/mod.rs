//! The summary a superior body makes of many units' votes (issue 25): archives (and the
//! signed minutes beside them, and zip files of those) in, each checked as `verify` checks
//! one, one status for each file, and the tables of units and cadres of those that count.
//!
//! Nothing is written into what is read: files are opened for reading only, and an archive
//! is parsed from its bytes ([`crate::archive::from_str`]), never loaded through the path that
//! tidies a stale lock beside it.
//!
//! A run is linear in the files: each is read, parsed, checked and reduced to its rows on a
//! worker (both cores, or as many as there are), keeping nothing of it but the rows; the
//! minutes are read first, so that an archive meets its minutes by fingerprint while its
//! session is in hand. Duplicates and conflicts are decided once all are read.

pub mod collect;
pub mod history;
pub mod output;
pub mod report;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::lifecycle::ArchiveCheck;
use crate::model::Session;
use crate::rules::{BandId, ProfileId};
use crate::text::{Lang, Message};

use self::collect::{Found, Kind};

/// What a file is found to be: one status in words, as the organisation board reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Status {
    /// Final, intact, and signed: its seal's signature holds, or minutes beside it are
    /// signed and match it.
    FinalSigned,
    /// Final and intact, signed by nobody.
    Final,
    /// Not finalised: counted only when asked, and marked.
    Draft,
    /// Damaged, changed after finalising, unreadable, or its signatures or minutes do not
    /// hold: left out.
    Broken {
        /// Why.
        reason: Message,
    },
    /// The same vote as an archive before it (the same fingerprint): left out.
    Duplicate {
        /// The archive kept.
        of: PathBuf,
    },
    /// A draft of a vote whose final archive is among the inputs (the same unit, date and
    /// ballot group): the final one counts, the draft never does.
    Superseded {
        /// The final archive.
        by: PathBuf,
    },
    /// Another archive claims the same unit, date and ballot group with other figures: both
    /// left out until someone decides.
    Conflict {
        /// The other archive.
        with: PathBuf,
    },
    /// Minutes, checked with the archive they belong to.
    Minutes {
        /// That archive, if one of the inputs is.
        of: Option<PathBuf>,
    },
    /// Not read: not an archive or minutes, a link to a folder, too large.
    Skipped {
        /// Why.
        reason: Message,
    },
}

impl Status {
    /// The status in words.
    #[must_use]
    pub fn words(&self) -> Message {
        match self {
            Self::FinalSigned => Message::new("đã chốt và ký", "final and signed"),
            Self::Final => Message::new("đã chốt (chưa ký)", "final (not signed)"),
            Self::Draft => Message::new("chưa chốt", "not final"),
            Self::Broken { .. } => Message::new("hỏng hoặc bị sửa", "broken or changed"),
            Self::Duplicate { .. } => Message::new("trùng", "duplicate"),
            Self::Superseded { .. } => Message::new("bản nháp đã có bản chốt", "draft of a final"),
            Self::Conflict { .. } => Message::new("xung đột", "conflict"),
            Self::Minutes { .. } => Message::new("biên bản", "minutes"),
            Self::Skipped { .. } => Message::new("không đọc", "not read"),
        }
    }

    /// Why, in words, when there is more to say than [`Self::words`].
    #[must_use]
    pub fn reason(&self) -> Option<Message> {
        let path = |p: &Path| p.display().to_string();
        match self {
            Self::Broken { reason } | Self::Skipped { reason } => Some(reason.clone()),
            Self::Duplicate { of } => Some(Message::new(
                format!("cùng cuộc lấy phiếu với {} (cùng mã kiểm tra)", path(of)),
                format!("the same vote as {} (same fingerprint)", path(of)),
            )),
            Self::Superseded { by } => Some(Message::new(
                format!(
                    "bản chốt của cuộc lấy phiếu này là {}: bản nháp không tính",
                    path(by)
                ),
                format!(
                    "the final archive of this vote is {}: the draft does not count",
                    path(by)
                ),
            )),
            Self::Conflict { with } => Some(Message::new(
                format!(
                    "cùng đơn vị, ngày và nhóm phiếu với {} nhưng số liệu khác",
                    path(with)
                ),
                format!(
                    "the same unit, date and ballot group as {}, with other figures",
                    path(with)
                ),
            )),
            Self::Minutes { of: Some(a) } => Some(Message::new(
                format!("của {}", path(a)),
                format!("of {}", path(a)),
            )),
            Self::Minutes { of: None } => Some(Message::new(
                "không có tệp phiên nào khớp mã kiểm tra: không tính",
                "no archive among the inputs has its fingerprint: not counted",
            )),
            Self::FinalSigned | Self::Final | Self::Draft => None,
        }
    }

    /// Whether the archive's figures count: final ones always, drafts when asked.
    #[must_use]
    pub fn counts(&self, drafts: bool) -> bool {
        match self {
            Self::FinalSigned | Self::Final => true,
            Self::Draft => drafts,
            _ => false,
        }
    }
}

/// One input file and what it was found to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    /// Its path (inside a zip: `file.zip/inner.ron`).
    pub path: PathBuf,
    /// Its status.
    pub status: Status,
    /// The archive's content fingerprint (SHA-256), when it was read.
    pub fingerprint: Option<String>,
    /// The SHA-256 of the file's bytes, when they were read.
    pub sha256: Option<String>,
}

/// One unit's vote: an archive that was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRow {
    /// The archive's index among [`Summary::files`].
    pub file: usize,
    /// The issuing body (the unit).
    pub unit: String,
    /// Its superior body.
    pub superior: String,
    /// The conference.
    pub conference: String,
    /// The vote's date (YYYY-MM-DD).
    pub date: Option<String>,
    /// The rule profile.
    pub profile: ProfileId,
    /// The ballot groups' names.
    pub groups: Vec<String>,
    /// Cadres with a result.
    pub rated: u32,
    /// Cadres in each band (the lower, the upper).
    pub bands: [u32; 2],
    /// Cadres whose "tín nhiệm cao" share is over half.
    pub high_majority: u32,
}

/// One cadre's result in one unit's vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CadreRow {
    /// The archive's index among [`Summary::files`].
    pub file: usize,
    /// The unit.
    pub unit: String,
    /// The ballot group.
    pub group: String,
    /// Full name.
    pub name: String,
    /// Position.
    pub position: String,
    /// The cadre's code (mã cán bộ), when the archive has one.
    pub code: String,
    /// The date of birth (YYYY-MM-DD), when the archive has one.
    pub born: Option<String>,
    /// The rule profile.
    pub profile: ProfileId,
    /// The elected body a state profile's consequences name.
    pub state_body: crate::rules::StateBody,
    /// The base of percentages.
    pub base: Option<u32>,
    /// Counts of "tín nhiệm cao", "tín nhiệm", "tín nhiệm thấp".
    pub counts: [u32; 3],
    /// Their shares, as the minutes print them ("53,19"), two decimals half-up.
    pub shares: [String; 3],
    /// The band of the "tín nhiệm thấp" share, if any.
    pub band: Option<BandId>,
    /// Whether "tín nhiệm cao" is over half of the base.
    pub high_majority: bool,
    /// Whether the archive was a draft (counted on request, marked).
    pub draft: bool,
}

/// What one archive gives the summary.
#[derive(Debug, Clone)]
struct Read {
    fingerprint: String,
    status: Status,
    /// Unit, date and group names: two archives sharing one with other fingerprints conflict.
    keys: Vec<(String, Option<String>, String)>,
    unit: Option<UnitRow>,
    cadres: Vec<CadreRow>,
}

/// The summary of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Every file found, in the order found, with its status.
    pub files: Vec<FileReport>,
    /// The units counted.
    pub units: Vec<UnitRow>,
    /// Their cadres.
    pub cadres: Vec<CadreRow>,
    /// Whether drafts were counted.
    pub drafts_included: bool,
}

/// The totals of a summary's cadres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Totals {
    /// Units counted.
    pub units: u32,
    /// Cadres with a result.
    pub rated: u32,
    /// In the lower band (QĐ 96: over 1/2 to under 2/3 low).
    pub band_a: u32,
    /// In the upper band (QĐ 96: 2/3 low or more).
    pub band_b: u32,
    /// With "tín nhiệm cao" over half.
    pub high_majority: u32,
    /// Files left out (broken, duplicate, conflicting, or drafts not asked for).
    pub left_out: u32,
}

impl Totals {
    /// The totals in one sentence, as the app and the command line say them.
    #[must_use]
    pub fn words(&self) -> Message {
        let t = self;
        Message::new(
            format!(
                "{} đơn vị, {} cán bộ; trên 1/2 tín nhiệm cao: {}; trên 1/2 đến dưới 2/3 tín nhiệm thấp: {}; từ 2/3 tín nhiệm thấp: {}; tệp không tính: {}",
                t.units, t.rated, t.high_majority, t.band_a, t.band_b, t.left_out
            ),
            format!(
                "{} units, {} cadres; over 1/2 high: {}; over 1/2 to under 2/3 low: {}; 2/3 low or more: {}; files left out: {}",
                t.units, t.rated, t.high_majority, t.band_a, t.band_b, t.left_out
            ),
        )
    }
}

impl Summary {
    /// The totals.
    #[must_use]
    pub fn totals(&self) -> Totals {
        let mut t = Totals {
            units: u32::try_from(self.units.len()).unwrap_or(u32::MAX),
            ..Totals::default()
        };
        for c in &self.cadres {
            t.rated += 1;
            match c.band {
                Some(BandId::BandA) => t.band_a += 1,
                Some(BandId::BandB) => t.band_b += 1,
                None => {}
            }
            t.high_majority += u32::from(c.high_majority);
        }
        t.left_out = u32::try_from(
            self.files
                .iter()
                .filter(|f| {
                    matches!(
                        f.status,
                        Status::Broken { .. }
                            | Status::Duplicate { .. }
                            | Status::Conflict { .. }
                            | Status::Superseded { .. }
                    ) || (f.status == Status::Draft && !self.drafts_included)
                })
                .count(),
        )
        .unwrap_or(u32::MAX);
        t
    }

    /// The cadres whose band carries a consequence under their profile, with it.
    #[must_use]
    pub fn consequences(&self) -> Vec<&CadreRow> {
        self.cadres.iter().filter(|c| c.band.is_some()).collect()
    }
}

/// What one minutes file says, read before the archives.
#[derive(Debug, Clone)]
struct MinutesRead {
    path: PathBuf,
    pdf: Vec<u8>,
    /// Whether its signatures hold (`Err`: why not); `Ok(0)`: not signed.
    signatures: Result<usize, Message>,
}

/// Summarises `inputs` (files and folders): every file found gets a status; the figures of
/// final archives (and drafts, when `drafts`) go into the tables, each vote once.
#[must_use]
pub fn summarise(inputs: &[PathBuf], drafts: bool) -> Summary {
    let found = collect::find(inputs);
    // Minutes first (in files and zips), by fingerprint.
    let minutes_by_fp = read_minutes(&found);
    let results = parallel_map(&found, |f| read_found(f, &minutes_by_fp));
    let mut files = Vec::new();
    let mut reads: Vec<(usize, Read)> = Vec::new();
    for per_found in results {
        for (report, read) in per_found {
            if let Some(read) = read {
                reads.push((files.len(), read));
            }
            files.push(report);
        }
    }
    decide_duplicates_and_conflicts(&mut files, &mut reads);
    let mut units = Vec::new();
    let mut cadres = Vec::new();
    for (index, read) in reads {
        files[index].status = read.status.clone();
        if !read.status.counts(drafts) {
            continue;
        }
        if let Some(mut u) = read.unit {
            u.file = index;
            units.push(u);
        }
        cadres.extend(read.cadres.into_iter().map(|mut c| {
            c.file = index;
            c
        }));
    }
    // Minutes point at their archive's path.
    let by_fp: HashMap<String, PathBuf> = files
        .iter()
        .filter(|f| f.status.counts(true) || matches!(f.status, Status::Broken { .. }))
        .filter_map(|f| Some((f.fingerprint.clone()?, f.path.clone())))
        .collect();
    for f in &mut files {
        if let Status::Minutes { of } = &mut f.status {
            *of = f.fingerprint.as_ref().and_then(|fp| by_fp.get(fp).cloned());
        }
    }
    Summary {
        files,
        units,
        cadres,
        drafts_included: drafts,
    }
}

/// `f` over `items` on as many threads as the machine has cores, results in order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    let chunk = items.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Every minutes file among `found` (and in its zips), read and its signatures checked, by
/// the fingerprint its keywords state.
fn read_minutes(found: &[Found]) -> HashMap<String, Vec<MinutesRead>> {
    let per = parallel_map(found, |f| -> Vec<(String, MinutesRead)> {
        if f.skipped.is_some() {
            return Vec::new();
        }
        let mut pdfs = Vec::new();
        match f.kind {
            Kind::Minutes => {
                if let Ok(bytes) = collect::read(&f.path) {
                    pdfs.push((f.path.clone(), bytes));
                }
            }
            Kind::Zip => {
                if let Ok(entries) = collect::read(&f.path).and_then(|b| collect::unzip(&f.path, b))
                {
                    for e in entries {
                        if let (Kind::Minutes, Ok(bytes)) = (e.kind, e.bytes) {
                            pdfs.push((e.path, bytes));
                        }
                    }
                }
            }
            Kind::Archive | Kind::Other => {}
        }
        pdfs.into_iter()
            .filter_map(|(path, pdf)| {
                let keywords = crate::signing::pdf_keywords(&pdf)?;
                let fp = crate::fingerprint::from_keywords(&keywords)?;
                let signatures = check_signatures(&pdf);
                Some((
                    fp,
                    MinutesRead {
                        path,
                        pdf,
                        signatures,
                    },
                ))
            })
            .collect()
    });
    let mut map: HashMap<String, Vec<MinutesRead>> = HashMap::new();
    for (fp, m) in per.into_iter().flatten() {
        map.entry(fp).or_default().push(m);
    }
    map
}

/// Whether every signature of `pdf` holds as `verify` judges it offline: nothing changed
/// after it, signed within its certificate's validity, by the person printed under its block
/// or with a stated reason to sign for them. `Ok(0)` for a PDF without signatures.
fn check_signatures(pdf: &[u8]) -> Result<usize, Message> {
    match crate::signing::verify_pdf(pdf, &[]) {
        Ok(reports) => {
            for r in &reports {
                if !r.holds() {
                    return Err(Message::new(
                        format!("chữ ký ở ô {} của biên bản không hợp lệ", r.field),
                        format!(
                            "the minutes' signature in the block {} does not hold",
                            r.field
                        ),
                    ));
                }
            }
            Ok(reports.len())
        }
        Err(crate::signing::VerifyError::NoSignature) => Ok(0),
        Err(e) => Err(e.message()),
    }
}

/// A file found, read: its report and, for an archive, what it gives (a zip gives several).
fn read_found(
    f: &Found,
    minutes: &HashMap<String, Vec<MinutesRead>>,
) -> Vec<(FileReport, Option<Read>)> {
    let report = |path: &Path, status: Status| FileReport {
        path: path.to_owned(),
        status,
        fingerprint: None,
        sha256: None,
    };
    if let Some(reason) = &f.skipped {
        return vec![(
            report(
                &f.path,
                Status::Skipped {
                    reason: reason.clone(),
                },
            ),
            None,
        )];
    }
    match f.kind {
        Kind::Other => vec![(
            report(
                &f.path,
                Status::Skipped {
                    reason: collect::not_ours(),
                },
            ),
            None,
        )],
        Kind::Archive => vec![read_archive(&f.path, collect::read(&f.path), minutes)],
        Kind::Minutes => vec![read_minutes_file(&f.path, collect::read(&f.path))],
        Kind::Zip => {
            let entries = match collect::read(&f.path).and_then(|b| collect::unzip(&f.path, b)) {
                Ok(e) => e,
                Err(reason) => {
                    return vec![(report(&f.path, Status::Broken { reason }), None)];
                }
            };
            entries
                .into_iter()
                .map(|e| match e.kind {
                    Kind::Archive => read_archive(&e.path, e.bytes, minutes),
                    Kind::Minutes => read_minutes_file(&e.path, e.bytes),
                    Kind::Zip | Kind::Other => (
                        report(
                            &e.path,
                            Status::Skipped {
                                reason: e.bytes.err().unwrap_or_else(collect::not_ours),
                            },
                        ),
                        None,
                    ),
                })
                .collect()
        }
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    crate::encode::hex(&<sha2::Sha256 as sha2::Digest>::digest(bytes))
}

/// A minutes file's own report: its fingerprint; its archive is named later.
fn read_minutes_file(path: &Path, bytes: Result<Vec<u8>, Message>) -> (FileReport, Option<Read>) {
    match bytes {
        Err(reason) => (
            FileReport {
                path: path.to_owned(),
                status: Status::Skipped { reason },
                fingerprint: None,
                sha256: None,
            },
            None,
        ),
        Ok(pdf) => {
            let fp = crate::signing::pdf_keywords(&pdf)
                .and_then(|k| crate::fingerprint::from_keywords(&k));
            (
                FileReport {
                    path: path.to_owned(),
                    status: Status::Minutes { of: None },
                    fingerprint: fp,
                    sha256: Some(sha256_hex(&pdf)),
                },
                None,
            )
        }
    }
}

/// An archive read, parsed and checked; its rows.
fn read_archive(
    path: &Path,
    bytes: Result<Vec<u8>, Message>,
    minutes: &HashMap<String, Vec<MinutesRead>>,
) -> (FileReport, Option<Read>) {
    let mut report = FileReport {
        path: path.to_owned(),
        status: Status::Skipped {
            reason: collect::not_ours(),
        },
        fingerprint: None,
        sha256: None,
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(reason) => {
            report.status = Status::Broken { reason };
            return (report, None);
        }
    };
    report.sha256 = Some(sha256_hex(&bytes));
    let session = match std::str::from_utf8(&bytes)
        .map_err(|_| {
            Message::new(
                "không phải văn bản UTF-8: không phải tệp phiên",
                "not UTF-8 text: not an archive",
            )
        })
        .and_then(|t| {
            crate::archive::from_str(t.strip_prefix('\u{feff}').unwrap_or(t))
                .map_err(|e| e.message())
        }) {
        Ok(s) => s,
        Err(reason) => {
            report.status = Status::Broken { reason };
            return (report, None);
        }
    };
    drop(bytes);
    let fingerprint = crate::fingerprint::fingerprint(&session).to_string();
    report.fingerprint = Some(fingerprint.clone());
    let status = judge(&session, minutes.get(&fingerprint).map(Vec::as_slice));
    let read = rows(&session, fingerprint, status.clone());
    report.status = status;
    (report, Some(read))
}

/// The status of an archive checked as `verify` checks it, with its minutes (those whose
/// keywords state its fingerprint) when some are among the inputs.
fn judge(session: &Session, minutes: Option<&[MinutesRead]>) -> Status {
    let broken = |reason: Message| Status::Broken { reason };
    match crate::lifecycle::check_archive(session) {
        ArchiveCheck::Intact { .. } => {}
        ArchiveCheck::Draft { .. } => return Status::Draft,
        other => return broken(other.message()),
    }
    let seal_signed = match crate::signing::seal::verify_seal(session, &[]) {
        None => false,
        Some(Ok(_)) => true,
        Some(Err(e)) => {
            let m = e.message();
            return broken(Message::new(
                format!("chữ ký của mã chốt không hợp lệ: {}", m.vi),
                format!("the seal's signature does not hold: {}", m.en),
            ));
        }
    };
    let mut minutes_signed = false;
    for m in minutes.unwrap_or_default() {
        let file = m.path.display();
        let signatures = match &m.signatures {
            Ok(n) => *n,
            Err(why) => {
                return broken(Message::new(
                    format!("biên bản {file}: {}", why.vi),
                    format!("minutes {file}: {}", why.en),
                ));
            }
        };
        let keywords = crate::signing::pdf_keywords(&m.pdf).unwrap_or_default();
        if let Some(pin) = crate::model::LogPin::from_keywords(&keywords)
            && !pin.holds(&session.audit)
        {
            return broken(Message::new(
                format!(
                    "biên bản {file} được xuất khi nhật ký có {} mục; nhật ký của tệp phiên không còn giữ nguyên các mục đó",
                    pin.entries
                ),
                format!(
                    "the minutes {file} were written when the log had {} entries; the archive's log no longer holds them",
                    pin.entries
                ),
            ));
        }
        if let crate::documents::minutes::BlockPeople::Mismatch { .. } =
            crate::documents::minutes::block_people(&m.pdf, session)
        {
            return broken(Message::new(
                format!("các ô ký của biên bản {file} ghi tên khác tệp phiên"),
                format!(
                    "the signature blocks of the minutes {file} name other people than the archive"
                ),
            ));
        }
        minutes_signed |= signatures > 0;
    }
    if seal_signed || minutes_signed {
        Status::FinalSigned
    } else {
        Status::Final
    }
}

/// The rows an archive gives.
fn rows(session: &Session, fingerprint: String, status: Status) -> Read {
    let tally = crate::tally::tally(session);
    let unit = session.meta.issuing_body.trim().to_owned();
    let date = session.meta.date.map(|d| d.to_string());
    let draft = status == Status::Draft;
    let mut cadres = Vec::new();
    let mut row = UnitRow {
        file: 0,
        unit: unit.clone(),
        superior: session.meta.superior_body.trim().to_owned(),
        conference: session.meta.conference.trim().to_owned(),
        date: date.clone(),
        profile: session.profile,
        groups: tally.groups.iter().map(|g| g.name.clone()).collect(),
        rated: 0,
        bands: [0, 0],
        high_majority: 0,
    };
    for (gi, g) in tally.groups.iter().enumerate() {
        for c in &g.cadres {
            let Some(q) = c.overall else { continue };
            let cadre = session.groups.get(gi).and_then(|sg| sg.cadres.get(c.index));
            let base = g.base;
            let high_majority = base.is_some_and(|b| 2 * u64::from(q.high.count) > u64::from(b));
            row.rated += 1;
            match c.band {
                Some(BandId::BandA) => row.bands[0] += 1,
                Some(BandId::BandB) => row.bands[1] += 1,
                None => {}
            }
            row.high_majority += u32::from(high_majority);
            let share =
                |s: crate::tally::Share| s.fraction.percent_string(Lang::Vi).unwrap_or_default();
            cadres.push(CadreRow {
                file: 0,
                unit: unit.clone(),
                group: g.name.clone(),
                name: c.name.clone(),
                position: c.position.clone(),
                code: cadre.map(|k| k.code.clone()).unwrap_or_default(),
                born: cadre.and_then(|k| k.born).map(|d| d.to_string()),
                profile: session.profile,
                state_body: tally.state_body,
                base,
                counts: [q.high.count, q.medium.count, q.low.count],
                shares: [share(q.high), share(q.medium), share(q.low)],
                band: c.band,
                high_majority,
                draft,
            });
        }
    }
    let keys = tally
        .groups
        .iter()
        .map(|g| {
            (
                crate::text::nfc(&unit.to_lowercase()),
                date.clone(),
                crate::text::nfc(&g.name.to_lowercase()),
            )
        })
        .collect();
    Read {
        fingerprint,
        status,
        keys,
        unit: Some(row),
        cadres,
    }
}

/// Marks the second and later archives of one fingerprint as duplicates of the first, and
/// archives sharing a unit, date and group with another of a different fingerprint as
/// conflicts (both). Broken archives take part in neither.
fn decide_duplicates_and_conflicts(files: &mut [FileReport], reads: &mut [(usize, Read)]) {
    // Finals first: a draft with a final's fingerprint is that vote's draft, whichever file
    // came first.
    let mut first: HashMap<String, (usize, bool)> = HashMap::new();
    for finals in [true, false] {
        for (index, read) in reads.iter_mut() {
            let is_final = matches!(read.status, Status::FinalSigned | Status::Final);
            if is_final != finals || !(is_final || read.status == Status::Draft) {
                continue;
            }
            match first.get(&read.fingerprint) {
                Some(&(kept, kept_final)) => {
                    let path = files[kept].path.clone();
                    read.status = if kept_final && !is_final {
                        Status::Superseded { by: path }
                    } else {
                        Status::Duplicate { of: path }
                    };
                }
                None => {
                    first.insert(read.fingerprint.clone(), (*index, is_final));
                }
            }
        }
    }
    // The final archives claim their unit, date and groups first; a draft meets a final's
    // claim as that vote's draft, and another draft's as a conflict.
    let mut claims: BTreeMap<(String, Option<String>, String), usize> = BTreeMap::new();
    let mut conflicts: Vec<(usize, usize)> = Vec::new();
    let mut superseded: Vec<(usize, usize)> = Vec::new();
    for finals in [true, false] {
        for (k, (_, read)) in reads.iter().enumerate() {
            let is_final = matches!(read.status, Status::FinalSigned | Status::Final);
            if is_final != finals || !(is_final || read.status == Status::Draft) {
                continue;
            }
            for key in &read.keys {
                match claims.get(key) {
                    Some(&other) if reads[other].1.fingerprint != read.fingerprint => {
                        let other_final =
                            matches!(reads[other].1.status, Status::FinalSigned | Status::Final);
                        if other_final && !is_final {
                            superseded.push((k, other));
                        } else {
                            conflicts.push((k, other));
                        }
                    }
                    Some(_) => {}
                    None => {
                        claims.insert(key.clone(), k);
                    }
                }
            }
        }
    }
    for (draft, by) in superseded {
        let by = files[reads[by].0].path.clone();
        reads[draft].1.status = Status::Superseded { by };
    }
    for (a, b) in conflicts {
        let (pa, pb) = (
            files[reads[a].0].path.clone(),
            files[reads[b].0].path.clone(),
        );
        reads[a].1.status = Status::Conflict { with: pb };
        reads[b].1.status = Status::Conflict { with: pa };
    }
}
