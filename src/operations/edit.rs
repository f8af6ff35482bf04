//! Every change a person makes to a session, as a value.
//!
//! The desktop app never writes to a [`Session`] directly: each click or keystroke becomes one
//! [`Edit`], applied in one place, so that undo ([`crate::history`]), autosave, the dirty flag
//! and a future audit log all hang off that one place. Text is normalised to NFC here, whatever
//! the keyboard produced.

use thiserror::Error;

use crate::lifecycle::Timestamp;
use crate::model::CommitteeChosen;
use crate::model::{
    BallotGroup, Cadre, CadreField, Counts, Date, FieldPath, GroupCount, GroupField, Level, Person,
    QD96_CRITERIA, Session,
};
pub use crate::model::{MetaField, MinutesField, ProceedingsField, Question, VoterField, Who};
use crate::rules::{BaseKind, ProfileId};
use crate::text::{Lang, Message, clean_name, printable};

/// One change to a session. Indices are 0-based positions at the time the edit is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Sets a text field of the header.
    SetMeta(MetaField, String),
    /// Sets or clears the conference date.
    SetDate(Option<Date>),
    /// Sets a text part of the proceedings (`CountEnded`, `Absences`, `SealedTo`; the other
    /// parts have their own edits and are refused here).
    SetProceedingsText(ProceedingsField, String),
    /// States how the conference chose the committee (`None`: not stated).
    SetCommitteeChosen(Option<CommitteeChosen>),
    /// States the complaints during the count: `None` not stated, `Some("")` none made.
    SetRemarks(Option<String>),
    /// States the number of copies of the minutes.
    SetCopies(Option<u32>),
    /// Sets the opening or closing paragraph's template (`None`: the built-in wording); the
    /// ranking part has its own edit and is refused here.
    SetMinutesText(MinutesField, Option<String>),
    /// Shows or hides the ranking column of the minutes' results table.
    SetRanking(bool),
    /// Changes the rule profile (and drops a base choice the new profile does not allow).
    SetProfile(ProfileId),
    /// Chooses the base of percentages (`None`: the profile's default).
    SetBase(Option<BaseKind>),
    /// Names the counting team this archive is for (empty: the whole count).
    SetTeam(String),
    /// Sets a person's name.
    SetPersonName(Who, String),
    /// Sets a person's role.
    SetPersonRole(Who, String),
    /// Adds a member to the counting committee.
    AddCommitteeMember(Person),
    /// Removes a member of the counting committee.
    RemoveCommitteeMember(usize),
    /// Adds an empty ballot group with a name.
    AddGroup(String),
    /// Removes a ballot group, with its cadres and counts.
    RemoveGroup(usize),
    /// Renames a ballot group.
    RenameGroup {
        /// The group.
        group: usize,
        /// The new name.
        name: String,
    },
    /// Sets one voters' figure (`None` clears it).
    SetVoters {
        /// The group.
        group: usize,
        /// Which figure.
        field: VoterField,
        /// The figure.
        value: Option<u32>,
    },
    /// Adds a cadre at the end of a group.
    AddCadre {
        /// The group.
        group: usize,
        /// Họ tên.
        name: String,
        /// Chức vụ.
        position: String,
    },
    /// Adds many cadres from pasted "Họ tên`<TAB>`Chức vụ" lines (see [`parse_cadre_lines`]).
    PasteCadres {
        /// The group.
        group: usize,
        /// The pasted text.
        text: String,
    },
    /// Removes a cadre and its counts.
    RemoveCadre {
        /// The group.
        group: usize,
        /// The cadre.
        cadre: usize,
    },
    /// Moves a cadre to another place in the list (ballot order).
    MoveCadre {
        /// The group.
        group: usize,
        /// Where it is.
        from: usize,
        /// Where it goes.
        to: usize,
    },
    /// Renames a cadre.
    RenameCadre {
        /// The group.
        group: usize,
        /// The cadre.
        cadre: usize,
        /// Họ tên.
        name: String,
    },
    /// Sets a cadre's position.
    SetPosition {
        /// The group.
        group: usize,
        /// The cadre.
        cadre: usize,
        /// Chức vụ.
        position: String,
    },
    /// Marks a cadre exempt with a reason (`Some`) or back on the ballot (`None`).
    SetExemption {
        /// The group.
        group: usize,
        /// The cadre.
        cadre: usize,
        /// Why the cadre is not voted on.
        reason: Option<String>,
    },
    /// Adds a per-criterion question.
    AddCriterion {
        /// The group.
        group: usize,
        /// The criterion as printed.
        name: String,
    },
    /// Adds the QĐ 96 criteria the group does not have yet, in the language given.
    AddQd96Criteria {
        /// The group.
        group: usize,
        /// The language of the criteria's wording.
        lang: Lang,
    },
    /// Removes a criterion and its counts.
    RemoveCriterion {
        /// The group.
        group: usize,
        /// The criterion.
        index: usize,
    },
    /// Renames a criterion.
    RenameCriterion {
        /// The group.
        group: usize,
        /// The criterion.
        index: usize,
        /// The new name.
        name: String,
    },
    /// Sets one count (`None` clears it: "not entered").
    SetCount {
        /// The group.
        group: usize,
        /// The cadre.
        cadre: usize,
        /// Which question.
        question: Question,
        /// Which level.
        level: Level,
        /// The count.
        value: Option<u32>,
    },
    /// Ends the ballot-by-ballot count of a group: complete (every collected sheet counted),
    /// or early with the operator's reason, after which the figures are typed as the paper
    /// says. Either way it is logged.
    EndBallotCount {
        /// The group.
        group: usize,
        /// Sheets counted when it ended.
        sheets: u32,
        /// Why it ended before every sheet was counted (empty when it is complete).
        reason: String,
    },
    /// Requires (or not) double entry before the session can be finalised.
    SetDoubleEntry(bool),
    /// Prints a group's ballots for a scanner to read, or not ("Đếm bằng máy quét").
    SetScanForm {
        /// The group.
        group: usize,
        /// On or off.
        on: bool,
    },
    /// The running totals of a ballot-by-ballot count: every question's counts of each
    /// counted cadre and the void sheets (one edit per confirmed ballot, so undo and autosave
    /// apply).
    SetBallotTotals {
        /// The group.
        group: usize,
        /// (cadre, counts of every question in [`crate::model::Cadre::questions`] order: the
        /// overall one, then one per criterion of the group) for each cadre on the ballot.
        counts: Vec<(usize, Vec<Counts>)>,
        /// Void sheets.
        void_sheets: u32,
        /// Sheets entered so far (valid + void), for the description only.
        sheets: u32,
    },
    /// What a batch of scanned files, or the counting committee's decision on a waiting
    /// sheet, did to a group's count (issue 23): worked out by [`crate::scan`] on a copy of
    /// the session, off the frame, and applied only onto the count it started from
    /// ([`EditError::CountMovedOn`] otherwise), as one step for undo.
    ScanStep {
        /// The group.
        group: usize,
        /// The group it was worked out from, whole: a count, a cadre moved or renamed, a
        /// group removed since all refuse it.
        before: Box<BallotGroup>,
        /// The count after it.
        after: Box<GroupCount>,
        /// What the scan logged (each file with its SHA-256, each decision), in order.
        log: Vec<Message>,
    },
    /// Counts read from a counting team's spreadsheet ([`crate::spreadsheet::read_counts`]),
    /// the rows the preview accepted: one step for undo, each count logged as if typed.
    ImportCounts {
        /// The group.
        group: usize,
        /// The spreadsheet's file name, for the log.
        file: String,
        /// The counts, one question of one cadre each.
        counts: Vec<ImportedCounts>,
    },
}

/// One question's counts of one cadre, as imported. The cadre's name is the one the preview
/// matched: a list reordered or renamed since is refused rather than given another cadre's
/// counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedCounts {
    /// The cadre (0-based: STT − 1).
    pub cadre: usize,
    /// The cadre's name when the sheet was read.
    pub name: String,
    /// Which question.
    pub question: Question,
    /// The three counts, all entered.
    pub counts: Counts,
}

/// Why an edit could not be applied. The session is unchanged when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EditError {
    /// An index points past the end of a list (the list changed under the edit).
    #[error("mục không còn tồn tại: {what} {index} / no such {what}: {index}")]
    NoSuchItem {
        /// Which list ("group", "cadre", "criterion", "committee member").
        what: &'static str,
        /// The index asked for (0-based).
        index: usize,
    },
    /// A name that must not be empty is empty.
    #[error("chưa nhập tên / the name is empty")]
    EmptyName,
    /// A text was given for a part of the proceedings that is not a text.
    #[error("mục này không phải văn bản / this part is not a text")]
    NotText,
    /// The session is final (sealed): reopen it first.
    #[error("phiên đã chốt, không sửa được / the session is final and cannot be edited")]
    Sealed,
    /// A paste held no line with a name.
    #[error("không có dòng nào có họ tên / no line with a name in the pasted text")]
    NothingToPaste,
    /// The group's double entry is past the stage where counts are typed.
    #[error("số liệu của nhóm phiếu đang bị khóa / the group's counts are locked")]
    CountsLocked,
    /// Ballot-by-ballot totals for another ballot than the group's: its criteria or exempt
    /// cadres changed since the count began.
    #[error("phiếu đã thay đổi từ khi bắt đầu đếm / the ballot changed since the count began")]
    BallotChanged,
    /// A ballot-by-ballot count ended before every collected sheet was counted, without a
    /// reason.
    #[error(
        "chưa đếm hết số phiếu thu về: cần ghi lý do kết thúc sớm / not every collected sheet is counted: a reason is required to end early"
    )]
    EndCountReasonRequired,
    /// A count cannot end while scanned sheets wait for the counting committee.
    #[error("còn phiếu quét chờ quyết định / scanned sheets wait for a decision")]
    ScansWaiting,
    /// A scan's step worked out from a count that has changed since (typed, decided or
    /// undone meanwhile): applying it would overwrite that change.
    #[error(
        "số liệu của nhóm đã thay đổi trong khi đọc bản quét / the count changed while the scans were read"
    )]
    CountMovedOn,
    /// Imported counts for a list of cadres or criteria that changed since the spreadsheet
    /// was read, or for an exempt cadre.
    #[error(
        "danh sách cán bộ đã thay đổi từ khi đọc bảng tính / the list changed since the spreadsheet was read"
    )]
    ImportStale,
}

impl EditError {
    /// The message in both languages, for the GUI's error dialog.
    #[must_use]
    pub fn message(&self) -> Message {
        match self {
            EditError::NoSuchItem { what, index } => Message::new(
                format!("Mục không còn tồn tại ({} số {})", what_vi(what), index + 1),
                format!("No such {what} (number {})", index + 1),
            ),
            EditError::EmptyName => Message::new("Chưa nhập tên", "The name is empty"),
            EditError::NotText => {
                Message::new("Mục này không phải văn bản", "This part is not a text")
            }
            EditError::Sealed => Message::new(
                "Phiên đã chốt kết quả (niêm phong): phải mở lại phiên, có ghi lý do, trước khi sửa",
                "The session is final (sealed): reopen it, with a reason, before editing",
            ),
            EditError::NothingToPaste => Message::new(
                "Không có dòng nào có họ tên trong nội dung dán vào",
                "No line with a name in the pasted text",
            ),
            EditError::EndCountReasonRequired => Message::new(
                "Chưa đếm hết số phiếu thu về: cần ghi lý do kết thúc đếm sớm (sau đó nhập số liệu theo giấy)",
                "Not every collected sheet is counted: a reason is required to end the count early (then type the figures from the paper)",
            ),
            EditError::ScansWaiting => Message::new(
                "Còn phiếu quét chờ Ban kiểm phiếu quyết định: quyết định (hoặc bỏ ra để nhập tay) trước khi kết thúc đếm",
                "Scanned sheets wait for the counting committee: decide them (or set them aside to enter by hand) before ending the count",
            ),
            EditError::CountMovedOn => Message::new(
                "Số liệu của nhóm đã thay đổi trong khi đọc bản quét (có người nhập, quyết định hoặc hoàn tác): chưa tệp nào được tính, hãy đọc lại các tệp",
                "The group's count changed while the scans were read (typed, decided or undone meanwhile): no file was counted; read the files again",
            ),
            EditError::BallotChanged => Message::new(
                "Phiếu đã thay đổi từ khi bắt đầu đếm (tiêu chí hoặc cán bộ không lấy phiếu): hãy đếm mới từ 0",
                "The ballot changed since the count began (criteria or exempt cadres): start a fresh count",
            ),
            EditError::ImportStale => Message::new(
                "Danh sách cán bộ hoặc tiêu chí đã thay đổi (hoặc có cán bộ không lấy phiếu) từ khi đọc bảng tính: hãy đọc lại bảng tính",
                "The list of cadres or criteria changed (or a cadre is exempt) since the spreadsheet was read: read it again",
            ),
            EditError::CountsLocked => Message::new(
                "Nhóm phiếu đang ở bước đối chiếu hoặc đã thống nhất hai lần nhập: không sửa số liệu được (bấm \"Nhập lại\" để nhập lại, có ghi lý do)",
                "The group's two entries are being compared or are agreed: counts cannot be changed (use \"Re-enter\", with a reason, to enter them again)",
            ),
        }
    }
}

fn what_vi(what: &str) -> &'static str {
    match what {
        "group" => "nhóm phiếu",
        "cadre" => "cán bộ",
        "criterion" => "tiêu chí",
        _ => "thành viên ban kiểm phiếu",
    }
}

fn no_such(what: &'static str, index: usize) -> EditError {
    EditError::NoSuchItem { what, index }
}

/// One cadre of a pasted or imported list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CadreLine {
    /// Full name.
    pub name: String,
    /// Position.
    pub position: String,
    /// The cadre's code (mã cán bộ), when the list has a column titled so.
    pub code: String,
    /// The date of birth, when the list has a column titled so and the cell is a date.
    pub born: Option<crate::model::Date>,
}

/// Which column holds what, read from a title row ("STT⇥Mã cán bộ⇥Họ và tên⇥Ngày sinh⇥Chức
/// vụ"): the code and the date of birth are read only from columns titled so, never guessed.
#[derive(Debug, Clone, Copy, Default)]
struct Columns {
    /// Whether the titles have the STT's ("STT", "TT"): else a leading number in a row wider
    /// than the titles is an untitled STT, dropped.
    stt: bool,
    /// How many cells the title row has.
    width: usize,
    name: Option<usize>,
    position: Option<usize>,
    code: Option<usize>,
    born: Option<usize>,
}

impl Columns {
    /// The columns a title row names, if it names the name's.
    fn of(cells: &[String]) -> Option<Self> {
        let mut c = Self {
            width: cells.len(),
            ..Self::default()
        };
        let lead = cells
            .iter()
            .find(|c| !c.is_empty())
            .map(|c| c.to_lowercase());
        c.stt = lead.is_some_and(|l| {
            ["stt", "tt", "số tt", "số thứ tự", "no", "#"].contains(&l.trim_end_matches(['.', ':']))
        });
        for (i, cell) in cells.iter().enumerate() {
            let t = cell.to_lowercase();
            let t = t.trim_end_matches(['.', ':']);
            match t {
                "họ tên" | "họ và tên" | "họ, tên" | "name" | "full name" => {
                    c.name = Some(i)
                }
                "chức vụ" | "chức danh" | "chức vụ hiện tại" | "position" | "title" =>
                {
                    c.position = Some(i);
                }
                "mã cán bộ" | "mã số cán bộ" | "mã cb" | "mã" | "code" => {
                    c.code = Some(i)
                }
                "ngày sinh" | "ngày, tháng, năm sinh" | "date of birth" => c.born = Some(i),
                _ => {}
            }
        }
        c.name.is_some().then_some(c)
    }
}

/// Parses pasted "Họ tên`<TAB>`Chức vụ" lines (from Excel or a Word table) into cadres.
///
/// Columns are split on tabs, or on semicolons when a line has no tab (CSV from Excel in a
/// Vietnamese locale). A title row ("Họ tên", "Họ và tên", "Name"…) is skipped; when it names
/// its columns, they are read by their titles, and a "Mã cán bộ" and a "Ngày sinh" column
/// give each cadre's code and date of birth (issue 25 §3). Without titles: a leading column
/// that is only a number ("1", "2.") is the STT and is skipped, the first column is the name,
/// the next filled one the position. Blank lines are ignored. Text is NFC with whitespace
/// collapsed.
#[must_use]
pub fn parse_cadre_rows(text: &str) -> Vec<CadreLine> {
    let mut out = Vec::new();
    let mut columns: Option<Columns> = None;
    for line in text.lines() {
        let sep = if line.contains('\t') { '\t' } else { ';' };
        let mut cells: Vec<String> = line.split(sep).map(clean_name).collect();
        // A header row in any of the usual forms ("STT⇥Họ và tên⇥Chức vụ", "TT;Họ tên;…").
        // A row naming the name's column is titles too, whatever its other titles say
        // ("Chức vụ, đơn vị công tác"): no cadre is called "Họ và tên".
        let titled = Columns::of(&cells);
        if titled.is_some() || cells.iter().filter(|c| !c.is_empty()).all(|c| is_header(c)) {
            columns = titled.or(columns);
            continue;
        }
        if let Some(c) = columns {
            if !c.stt && cells.len() > c.width && is_number(&cells[0]) {
                cells.remove(0);
            }
            let at = |i: Option<usize>| i.and_then(|i| cells.get(i)).cloned().unwrap_or_default();
            let name = at(c.name);
            if name.is_empty() || is_header(&name) {
                continue;
            }
            // A position column titled otherwise ("Chức vụ, đơn vị công tác"): the first
            // filled cell after the name that is not the code's or the date's.
            let position = match c.position {
                Some(_) => at(c.position),
                None => cells
                    .iter()
                    .enumerate()
                    .skip(c.name.map_or(0, |n| n + 1))
                    .find(|(i, cell)| !cell.is_empty() && Some(*i) != c.code && Some(*i) != c.born)
                    .map(|(_, cell)| cell.clone())
                    .unwrap_or_default(),
            };
            out.push(CadreLine {
                name,
                position,
                code: at(c.code),
                born: at(c.born).parse().ok(),
            });
            continue;
        }
        if cells.first().is_some_and(|c| is_number(c)) && cells.len() > 1 {
            cells.remove(0);
        }
        let mut cells = cells.into_iter();
        let name = cells.next().unwrap_or_default();
        if name.is_empty() || is_header(&name) {
            continue;
        }
        let position = cells.find(|c| !c.is_empty()).unwrap_or_default();
        out.push(CadreLine {
            name,
            position,
            ..CadreLine::default()
        });
    }
    out
}

/// Whether `cell` is only a number ("1", "2."): an STT.
fn is_number(cell: &str) -> bool {
    !cell.is_empty()
        && cell
            .trim_end_matches('.')
            .chars()
            .all(|ch| ch.is_ascii_digit())
}

/// [`parse_cadre_rows`]' names and positions.
#[must_use]
pub fn parse_cadre_lines(text: &str) -> Vec<(String, String)> {
    parse_cadre_rows(text)
        .into_iter()
        .map(|c| (c.name, c.position))
        .collect()
}

/// Whether `cell` is a column title of a cadre list as offices write them.
fn is_header(cell: &str) -> bool {
    let lower = cell.to_lowercase();
    let lower = lower.trim_end_matches(['.', ':']);
    [
        "stt",
        "tt",
        "số tt",
        "số thứ tự",
        "no",
        "#",
        "họ tên",
        "họ và tên",
        "họ, tên",
        "name",
        "full name",
        "chức vụ",
        "chức danh",
        "chức vụ hiện tại",
        "position",
        "title",
        "ghi chú",
        "note",
        "mã cán bộ",
        "mã số cán bộ",
        "mã cb",
        "mã",
        "code",
        "ngày sinh",
        "ngày, tháng, năm sinh",
        "date of birth",
    ]
    .contains(&lower)
}

impl Edit {
    /// Applies the edit. On error the session is left exactly as it was; a final session
    /// refuses every edit ([`crate::lifecycle::ensure_editable`]).
    ///
    /// # Errors
    ///
    /// [`EditError::Sealed`] on a final session, [`EditError::CountsLocked`] for counts the double
    /// entry or a ballot count holds, and the other [`EditError`]s for an edit that names nothing
    /// (a group or cadre that is not there) or is not allowed (an empty name, text where a number
    /// goes).
    pub fn apply(&self, s: &mut Session) -> Result<(), EditError> {
        crate::lifecycle::ensure_editable(s).map_err(|_| EditError::Sealed)?;
        self.ensure_counts_editable(s)?;
        match self {
            Edit::SetMeta(field, value) => *field.get_mut(&mut s.meta) = printable(value),
            Edit::SetDate(date) => s.meta.date = *date,
            Edit::SetProceedingsText(..)
            | Edit::SetCommitteeChosen(_)
            | Edit::SetRemarks(_)
            | Edit::SetCopies(_) => self.apply_proceedings_edit(s)?,
            Edit::SetMinutesText(field, value) => {
                // Kept as typed (line breaks included) but printable; an empty box is the
                // built-in wording.
                let value = value
                    .as_deref()
                    .map(printable)
                    .filter(|v| !v.trim().is_empty());
                match field {
                    MinutesField::Opening => s.minutes.opening = value,
                    MinutesField::Closing => s.minutes.closing = value,
                    MinutesField::Ranking => return Err(EditError::NotText),
                }
            }
            Edit::SetRanking(on) => s.minutes.ranking = *on,
            Edit::SetProfile(p) => {
                s.profile = *p;
                if s.base.is_some_and(|b| !p.profile().bases.contains(&b)) {
                    s.base = None;
                }
            }
            Edit::SetBase(b) => s.base = *b,
            Edit::SetTeam(t) => {
                // Kept as typed, like every text: the field cleans it when it is left or the
                // session saved ([`crate::text::clean_name`]), never at each keystroke, which
                // would swallow the space just typed ("ab cd" stored "abcd"). A blank name is
                // no team.
                let t = printable(t);
                let blank = clean_name(&t).is_empty();
                // A file given another team (a copy of the setup handed to the next team) is
                // another team's archive: it gets its own id. The key ignores spaces, so
                // cleaning the name keeps the id.
                let renamed = s.team.as_deref().map(crate::teams::team_key)
                    != Some(crate::teams::team_key(&t));
                if blank {
                    s.team_id = None;
                } else if renamed || s.team_id.is_none() {
                    s.team_id = Some(crate::teams::new_team_id());
                }
                s.team = (!blank).then_some(t);
            }
            Edit::SetPersonName(who, v) => person(s, *who)?.name = printable(v),
            Edit::SetPersonRole(who, v) => person(s, *who)?.role = printable(v),
            Edit::AddCommitteeMember(p) => s.committee.push(Person {
                name: clean_name(&p.name),
                role: clean_name(&p.role),
            }),
            Edit::RemoveCommitteeMember(i) => {
                check(*i, s.committee.len(), "committee member")?;
                s.committee.remove(*i);
            }
            Edit::AddGroup(name) => s.groups.push(crate::model::BallotGroup {
                name: clean_name(name),
                ..crate::model::BallotGroup::new_scannable()
            }),
            Edit::RemoveGroup(g) => {
                check(*g, s.groups.len(), "group")?;
                s.groups.remove(*g);
            }
            Edit::RenameGroup { group, name } => group_mut(s, *group)?.name = printable(name),
            Edit::SetVoters {
                group,
                field,
                value,
            } => *field.get_mut(&mut group_mut(s, *group)?.voters) = *value,
            _ => self.apply_cadre_edit(s)?,
        }
        Ok(())
    }

    fn apply_proceedings_edit(&self, s: &mut Session) -> Result<(), EditError> {
        let p = &mut s.proceedings;
        match self {
            Edit::SetProceedingsText(field, value) => {
                let value = printable(value);
                match field {
                    ProceedingsField::CountEnded => p.count_ended = value,
                    ProceedingsField::Absences => p.absences = value,
                    ProceedingsField::SealedTo => p.sealed_to = value,
                    ProceedingsField::CommitteeChosen
                    | ProceedingsField::Remarks
                    | ProceedingsField::Copies => return Err(EditError::NotText),
                }
            }
            Edit::SetCommitteeChosen(c) => p.committee_chosen = *c,
            Edit::SetRemarks(r) => p.remarks = r.as_deref().map(printable),
            Edit::SetCopies(n) => p.copies = *n,
            _ => {}
        }
        Ok(())
    }

    fn apply_cadre_edit(&self, s: &mut Session) -> Result<(), EditError> {
        match self {
            Edit::AddCadre {
                group,
                name,
                position,
            } => {
                let g = group_mut(s, *group)?;
                if clean_name(name).is_empty() {
                    return Err(EditError::EmptyName);
                }
                let c = g.new_cadre(name, position);
                g.cadres.push(c);
            }
            Edit::PasteCadres { group, text } => {
                let g = group_mut(s, *group)?;
                let lines = parse_cadre_rows(text);
                if lines.is_empty() {
                    return Err(EditError::NothingToPaste);
                }
                for line in lines {
                    let mut c = g.new_cadre(&line.name, &line.position);
                    c.code = line.code;
                    c.born = line.born;
                    g.cadres.push(c);
                }
            }
            Edit::RemoveCadre { group, cadre } => {
                let g = group_mut(s, *group)?;
                check(*cadre, g.cadres.len(), "cadre")?;
                g.cadres.remove(*cadre);
            }
            Edit::MoveCadre { group, from, to } => {
                let g = group_mut(s, *group)?;
                check(*from, g.cadres.len(), "cadre")?;
                check(*to, g.cadres.len(), "cadre")?;
                let c = g.cadres.remove(*from);
                g.cadres.insert(*to, c);
            }
            Edit::RenameCadre { group, cadre, name } => {
                cadre_mut(s, *group, *cadre)?.name = printable(name);
            }
            Edit::SetPosition {
                group,
                cadre,
                position,
            } => cadre_mut(s, *group, *cadre)?.position = printable(position),
            Edit::SetExemption {
                group,
                cadre,
                reason,
            } => {
                let c = cadre_mut(s, *group, *cadre)?;
                c.exemption = reason.as_deref().map(printable);
            }
            _ => self.apply_criterion_edit(s)?,
        }
        Ok(())
    }

    fn apply_criterion_edit(&self, s: &mut Session) -> Result<(), EditError> {
        match self {
            Edit::AddCriterion { group, name } => {
                if clean_name(name).is_empty() {
                    return Err(EditError::EmptyName);
                }
                group_mut(s, *group)?.add_criterion(name);
            }
            Edit::AddQd96Criteria { group, lang } => {
                let g = group_mut(s, *group)?;
                for preset in QD96_CRITERIA {
                    let text = preset.get(*lang);
                    if !g.criteria.iter().any(|c| c.name == text) {
                        g.add_criterion(text);
                    }
                }
            }
            Edit::RemoveCriterion { group, index } => {
                let g = group_mut(s, *group)?;
                check(*index, g.criteria.len(), "criterion")?;
                g.remove_criterion(*index);
            }
            Edit::RenameCriterion { group, index, name } => {
                let g = group_mut(s, *group)?;
                check(*index, g.criteria.len(), "criterion")?;
                g.criteria[*index].name = printable(name);
            }
            Edit::SetCount {
                group,
                cadre,
                question,
                level,
                value,
            } => {
                let c = cadre_mut(s, *group, *cadre)?;
                let counts = match question {
                    Question::Overall => &mut c.overall,
                    Question::Criterion(k) => {
                        c.criteria.get_mut(*k).ok_or(no_such("criterion", *k))?
                    }
                };
                counts.set(*level, *value);
            }
            Edit::SetDoubleEntry(on) => s.double_entry = *on,
            Edit::SetScanForm { group, on } => group_mut(s, *group)?.scan_form = *on,
            Edit::SetBallotTotals {
                group,
                counts,
                void_sheets,
                sheets,
            } => {
                let g = group_mut(s, *group)?;
                let questions = 1 + g.criteria.len();
                for (cadre, qs) in counts {
                    check(*cadre, g.cadres.len(), "cadre")?;
                    // Counted on another ballot: other criteria, or a cadre now exempt (not
                    // on the paper, so nothing can have been read for them).
                    if qs.len() != questions || g.cadres[*cadre].exemption.is_some() {
                        return Err(EditError::BallotChanged);
                    }
                }
                for (cadre, qs) in counts {
                    if let Some(c) = g.cadres.get_mut(*cadre) {
                        c.set_questions(qs);
                    }
                }
                g.voters.void_sheets = Some(*void_sheets);
                g.ballot_count = Some(*sheets);
            }
            Edit::ImportCounts { group, counts, .. } => import(s, *group, counts)?,
            Edit::ScanStep {
                group,
                before,
                after,
                ..
            } => {
                let g = group_mut(s, *group)?;
                if *g != **before || after.counts.len() != g.cadres.len() {
                    return Err(EditError::CountMovedOn);
                }
                after.write_to(g);
            }
            Edit::EndBallotCount { group, reason, .. } => {
                let g = group_mut(s, *group)?;
                if !g.scan.waiting.is_empty() {
                    return Err(EditError::ScansWaiting);
                }
                let complete = g.ballot_count.is_some() && g.ballot_count == g.voters.collected;
                if !complete && clean_name(reason).is_empty() {
                    return Err(EditError::EndCountReasonRequired);
                }
                g.ballot_count = None;
            }
            // Every other variant is handled by `apply` or `apply_cadre_edit`.
            _ => {}
        }
        Ok(())
    }

    /// The field this edit changes, when it sets one field. Successive edits of the same
    /// field (typing a name letter by letter) are one step for undo.
    #[must_use]
    pub fn field_path(&self) -> Option<FieldPath> {
        let cadre = |group: usize, cadre: usize, field| FieldPath::Cadre {
            group,
            cadre,
            field,
        };
        Some(match *self {
            Edit::SetMeta(f, _) => FieldPath::Meta(f),
            Edit::SetDate(_) => FieldPath::Date,
            Edit::SetProceedingsText(f, _) => FieldPath::Proceedings(f),
            Edit::SetCommitteeChosen(_) => {
                FieldPath::Proceedings(ProceedingsField::CommitteeChosen)
            }
            Edit::SetRemarks(_) => FieldPath::Proceedings(ProceedingsField::Remarks),
            Edit::SetCopies(_) => FieldPath::Proceedings(ProceedingsField::Copies),
            Edit::SetMinutesText(f, _) => FieldPath::Minutes(f),
            Edit::SetRanking(_) => FieldPath::Minutes(MinutesField::Ranking),
            Edit::SetTeam(_) => FieldPath::Team,
            Edit::SetPersonName(who, _) => FieldPath::Person { who, role: false },
            Edit::SetPersonRole(who, _) => FieldPath::Person { who, role: true },
            Edit::RenameGroup { group, .. } => FieldPath::Group(group, GroupField::Name),
            Edit::SetScanForm { group, .. } => FieldPath::Group(group, GroupField::ScanForm),
            Edit::SetVoters { group, field, .. } => {
                FieldPath::Group(group, GroupField::Voters(field))
            }
            Edit::RenameCadre {
                group, cadre: c, ..
            } => cadre(group, c, CadreField::Name),
            Edit::SetPosition {
                group, cadre: c, ..
            } => cadre(group, c, CadreField::Position),
            Edit::SetExemption {
                group, cadre: c, ..
            } => cadre(group, c, CadreField::Exemption),
            Edit::RenameCriterion { group, index, .. } => {
                FieldPath::Group(group, GroupField::Criterion(index))
            }
            Edit::SetCount {
                group,
                cadre: c,
                question,
                level,
                ..
            } => cadre(group, c, CadreField::Count(question, level)),
            _ => return None,
        })
    }

    /// A short description in both languages, for the undo menu and a future audit log.
    #[must_use]
    pub fn describe(&self) -> Message {
        let num = |v: &Option<u32>| v.map_or_else(|| "—".to_owned(), |n| n.to_string());
        match self {
            Edit::SetMeta(f, v) => Message::new(
                format!("Sửa {}: \"{v}\"", f.label().vi),
                format!("Set {}: \"{v}\"", f.label().en),
            ),
            Edit::SetDate(d) => {
                let d = d.map_or_else(|| "—".to_owned(), |d| d.to_string());
                Message::new(format!("Sửa ngày: {d}"), format!("Set date: {d}"))
            }
            Edit::SetProceedingsText(..)
            | Edit::SetCommitteeChosen(_)
            | Edit::SetRemarks(_)
            | Edit::SetCopies(_) => {
                let label = self
                    .field_path()
                    .and_then(|p| match p {
                        FieldPath::Proceedings(f) => Some(f.label()),
                        _ => None,
                    })
                    .unwrap_or(crate::text::Tr::new("", ""));
                Message::new(format!("Sửa {}", label.vi), format!("Set {}", label.en))
            }
            Edit::SetMinutesText(f, _) => {
                let label = f.label();
                Message::new(format!("Sửa {}", label.vi), format!("Set {}", label.en))
            }
            Edit::SetRanking(on) => {
                let label = MinutesField::Ranking.label();
                let (vi, en) = if *on {
                    ("Hiện", "Show")
                } else {
                    ("Ẩn", "Hide")
                };
                Message::new(
                    format!("{vi} {}", label.vi.to_lowercase()),
                    format!("{en} the {}", label.en.to_lowercase()),
                )
            }
            Edit::SetProfile(p) => Message::new(
                format!("Đổi quy định: {}", p.code()),
                format!("Set rules: {}", p.code()),
            ),
            Edit::SetTeam(t) => Message::new(
                format!("Đặt tên tổ kiểm phiếu: \"{t}\""),
                format!("Set the counting team: \"{t}\""),
            ),
            Edit::SetBase(b) => {
                let b = b.map_or("—", |b| b.code());
                Message::new(
                    format!("Đổi cơ sở tính tỉ lệ: {b}"),
                    format!("Set base: {b}"),
                )
            }
            Edit::SetPersonName(..) | Edit::SetPersonRole(..) => {
                Message::new("Sửa thông tin người", "Edit a person")
            }
            Edit::AddCommitteeMember(p) => Message::new(
                format!("Thêm thành viên ban kiểm phiếu {}", p.name),
                format!("Add committee member {}", p.name),
            ),
            Edit::RemoveCommitteeMember(i) => Message::new(
                format!("Xóa thành viên ban kiểm phiếu số {}", i + 1),
                format!("Remove committee member {}", i + 1),
            ),
            Edit::AddGroup(n) => Message::new(
                format!("Thêm nhóm phiếu {n}"),
                format!("Add ballot group {n}"),
            ),
            Edit::RemoveGroup(g) => Message::new(
                format!("Xóa nhóm phiếu số {}", g + 1),
                format!("Remove ballot group {}", g + 1),
            ),
            Edit::RenameGroup { name, .. } => Message::new(
                format!("Đổi tên nhóm phiếu: {name}"),
                format!("Rename ballot group: {name}"),
            ),
            Edit::SetVoters { field, value, .. } => Message::new(
                format!("Sửa {}: {}", field.label().vi, num(value)),
                format!("Set {}: {}", field.label().en, num(value)),
            ),
            Edit::SetScanForm { group, on } => {
                let (vi, en) = if *on {
                    ("có", "on")
                } else {
                    ("không", "off")
                };
                let g = group + 1;
                Message::new(
                    format!("Nhóm phiếu {g}: đếm bằng máy quét: {vi}"),
                    format!("Ballot group {g}: counted by scanner: {en}"),
                )
            }
            Edit::ScanStep { group, log, .. } => scan_step_description(*group, log),
            _ => self.describe_cadre_edit(),
        }
    }

    fn describe_cadre_edit(&self) -> Message {
        let num = |v: &Option<u32>| v.map_or_else(|| "—".to_owned(), |n| n.to_string());
        match self {
            Edit::AddCadre { name, .. } => {
                Message::new(format!("Thêm cán bộ {name}"), format!("Add cadre {name}"))
            }
            Edit::PasteCadres { text, .. } => {
                let n = parse_cadre_lines(text).len();
                Message::new(format!("Dán {n} cán bộ"), format!("Paste {n} cadres"))
            }
            Edit::RemoveCadre { cadre, .. } => Message::new(
                format!("Xóa cán bộ số {}", cadre + 1),
                format!("Remove cadre {}", cadre + 1),
            ),
            Edit::MoveCadre { from, to, .. } => Message::new(
                format!("Chuyển cán bộ từ vị trí {} đến {}", from + 1, to + 1),
                format!("Move cadre from {} to {}", from + 1, to + 1),
            ),
            Edit::RenameCadre { name, .. } => Message::new(
                format!("Sửa họ tên cán bộ: {name}"),
                format!("Rename cadre: {name}"),
            ),
            Edit::SetPosition { position, .. } => Message::new(
                format!("Sửa chức vụ: {position}"),
                format!("Set position: {position}"),
            ),
            Edit::SetExemption { reason, .. } => match reason {
                Some(r) => Message::new(format!("Không lấy phiếu: {r}"), format!("Exempt: {r}")),
                None => Message::new("Đưa cán bộ vào phiếu", "Put the cadre on the ballot"),
            },
            Edit::AddCriterion { name, .. } => Message::new(
                format!("Thêm tiêu chí {name}"),
                format!("Add criterion {name}"),
            ),
            Edit::AddQd96Criteria { .. } => {
                Message::new("Thêm các tiêu chí theo QĐ 96", "Add the QĐ 96 criteria")
            }
            Edit::RemoveCriterion { index, .. } => Message::new(
                format!("Xóa tiêu chí số {}", index + 1),
                format!("Remove criterion {}", index + 1),
            ),
            Edit::RenameCriterion { name, .. } => Message::new(
                format!("Đổi tên tiêu chí: {name}"),
                format!("Rename criterion: {name}"),
            ),
            Edit::SetCount {
                cadre,
                level,
                value,
                ..
            } => Message::new(
                format!(
                    "Cán bộ số {}, {}: {}",
                    cadre + 1,
                    level.label().vi,
                    num(value)
                ),
                format!("Cadre {}, {}: {}", cadre + 1, level.label().en, num(value)),
            ),
            Edit::SetDoubleEntry(on) => Message::new(
                format!("Nhập hai lần: {}", if *on { "có" } else { "không" }),
                format!("Double entry: {}", if *on { "on" } else { "off" }),
            ),
            // Only the number of sheets: the totals ballot after ballot would tell the marks
            // of each ballot.
            Edit::SetBallotTotals { sheets, .. } => Message::new(
                format!("Nhập từng phiếu: đã nhập {sheets} tờ"),
                format!("Ballot by ballot: {sheets} sheets entered"),
            ),
            Edit::EndBallotCount { sheets, reason, .. } if reason.trim().is_empty() => {
                Message::new(
                    format!("Kết thúc đếm từng phiếu: đã đếm đủ {sheets} tờ"),
                    format!("Ballot-by-ballot count ended: all {sheets} sheets counted"),
                )
            }
            Edit::EndBallotCount { sheets, reason, .. } => Message::new(
                format!(
                    "Kết thúc đếm từng phiếu sớm, sau {sheets} tờ; lý do: {}",
                    clean_name(reason)
                ),
                format!(
                    "Ballot-by-ballot count ended early, after {sheets} sheets; reason: {}",
                    clean_name(reason)
                ),
            ),
            Edit::ImportCounts { file, counts, .. } => {
                let mut cadres: Vec<usize> = counts.iter().map(|i| i.cadre).collect();
                cadres.sort_unstable();
                cadres.dedup();
                let n = cadres.len();
                Message::new(
                    format!("Nhập số liệu của {n} cán bộ từ bảng tính {file}"),
                    format!("Counts of {n} cadres imported from the spreadsheet {file}"),
                )
            }
            other => Message::new(format!("{other:?}"), format!("{other:?}")),
        }
    }

    /// The fields an edit of several fields sets one by one (each count an import sets), so
    /// that the log states each as typed counts are; empty for every other edit.
    #[must_use]
    pub fn fields(&self) -> Vec<FieldPath> {
        match self {
            Edit::ImportCounts { group, counts, .. } => counts
                .iter()
                .flat_map(|i| {
                    Level::ALL.map(|level| FieldPath::Cadre {
                        group: *group,
                        cadre: i.cadre,
                        field: CadreField::Count(i.question, level),
                    })
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A scan's step in the undo menu: its one log entry, or how many it has.
fn scan_step_description(group: usize, log: &[Message]) -> Message {
    match log {
        [one] => one.clone(),
        _ => Message::new(
            format!("Quét phiếu nhóm {}: đọc {} tệp", group + 1, log.len()),
            format!(
                "Scanned ballots of group {}: {} files read",
                group + 1,
                log.len()
            ),
        ),
    }
}

/// An edit's fields and their values before it is applied: what the audit log needs to state
/// each change as "old → new" once it is. Read it, apply the edit, then [`Pending::log`] it:
/// the desktop app and the command line log an edit the same way.
#[derive(Debug, Clone)]
pub struct Pending {
    /// The one field the edit sets and its value before (`None`: it names a part, not a value).
    field: Option<(FieldPath, Option<String>)>,
    /// The fields an edit of several sets (an import), with their values before.
    fields: Vec<(FieldPath, String)>,
    describe: Message,
    /// What a scan's step logs, entry by entry, instead of the description.
    entries: Vec<Message>,
}

impl Pending {
    /// What `edit` is about to change in `s`.
    #[must_use]
    pub fn read(edit: &Edit, s: &Session) -> Self {
        let value = |p: FieldPath| crate::lifecycle::value_at(s, p);
        Self {
            field: edit.field_path().map(|p| (p, value(p))),
            fields: edit
                .fields()
                .into_iter()
                .map(|p| (p, value(p).unwrap_or_default()))
                .collect(),
            describe: edit.describe(),
            entries: match edit {
                Edit::ScanStep { log, .. } => log.clone(),
                _ => Vec::new(),
            },
        }
    }

    /// The same, described otherwise in the log ("Hoàn tác: …" for an undo).
    #[must_use]
    pub fn described(self, describe: Message) -> Self {
        Self {
            describe,
            entries: Vec::new(),
            ..self
        }
    }

    /// Logs the edit, now applied, under `operator` ("—" when none is named). One field: its
    /// old and new value (with `typing`, keystrokes in one field within a minute are one
    /// entry). Several fields (an import): one entry per field whose value changed, as if
    /// typed, then the description (which names the file), last so that typing next never
    /// merges into an imported figure's entry. Otherwise: the description.
    pub fn log(self, s: &mut Session, operator: &str, at: Timestamp, typing: bool) {
        let by = if operator.trim().is_empty() {
            "—"
        } else {
            operator
        };
        if let Some((path, Some(old))) = self.field {
            let new = crate::lifecycle::value_at(s, path).unwrap_or_default();
            s.log_edit(by, at, Some(path), (old, new), typing);
            return;
        }
        for (path, old) in self.fields {
            let new = crate::lifecycle::value_at(s, path).unwrap_or_default();
            if new != old {
                s.log_edit(by, at, Some(path), (old, new), false);
            }
        }
        if self.entries.is_empty() {
            s.log_change(by, at, self.describe);
        }
        for what in self.entries {
            s.log_change(by, at, what);
        }
    }
}

impl Edit {
    /// The ballot group whose counts this edit changes, if it changes counts.
    #[must_use]
    pub fn counts_group(&self) -> Option<usize> {
        match self {
            Edit::SetCount { group, .. }
            | Edit::SetBallotTotals { group, .. }
            | Edit::ImportCounts { group, .. }
            | Edit::ScanStep { group, .. } => Some(*group),
            Edit::SetVoters {
                group,
                field: VoterField::VoidSheets,
                ..
            } => Some(*group),
            _ => None,
        }
    }

    /// Counts may not change once the two entries are being compared or are agreed
    /// ([`crate::counting::EntryStage::counts_editable`]).
    fn ensure_counts_editable(&self, s: &Session) -> Result<(), EditError> {
        match self.counts_group().and_then(|g| s.groups.get(g)) {
            Some(g) if !g.entry.counts_editable() => Err(EditError::CountsLocked),
            _ => Ok(()),
        }
    }
}

/// Sets imported counts, all or none: refused whole when a cadre was renamed, moved or made
/// exempt, or a criterion removed, since the sheet was read.
fn import(s: &mut Session, group: usize, counts: &[ImportedCounts]) -> Result<(), EditError> {
    let g = group_mut(s, group)?;
    let criteria = g.criteria.len();
    let stale = counts.iter().any(|i| {
        g.cadres.get(i.cadre).is_none_or(|c| {
            c.name != i.name
                || c.exemption.is_some()
                || i.question.index() > criteria
                || i.counts.complete().is_none()
        })
    });
    if stale {
        return Err(EditError::ImportStale);
    }
    for i in counts {
        if let Some(c) = g.cadres.get_mut(i.cadre) {
            let slot = match i.question {
                Question::Overall => Some(&mut c.overall),
                Question::Criterion(k) => c.criteria.get_mut(k),
            };
            if let Some(slot) = slot {
                *slot = i.counts;
            }
        }
    }
    Ok(())
}

fn check(index: usize, len: usize, what: &'static str) -> Result<(), EditError> {
    if index < len {
        Ok(())
    } else {
        Err(no_such(what, index))
    }
}

fn person(s: &mut Session, who: Who) -> Result<&mut Person, EditError> {
    match who {
        Who::Chair => Ok(&mut s.chair),
        Who::Secretary => Ok(&mut s.secretary),
        Who::Committee(i) => s.committee.get_mut(i).ok_or(no_such("committee member", i)),
    }
}

fn group_mut(s: &mut Session, g: usize) -> Result<&mut crate::model::BallotGroup, EditError> {
    s.groups.get_mut(g).ok_or(no_such("group", g))
}

fn cadre_mut(s: &mut Session, g: usize, c: usize) -> Result<&mut Cadre, EditError> {
    group_mut(s, g)?
        .cadres
        .get_mut(c)
        .ok_or(no_such("cadre", c))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// A list whose titles name a code and a date of birth gives them to each cadre, read by
    /// their titles (a numeric code first is not an STT); a title that names no known column
    /// leaves the position to the first other filled cell.
    #[test]
    fn titled_columns_give_codes_and_dates_of_birth() {
        let text = "Mã cán bộ\tHọ và tên\tNgày sinh\tChức vụ, đơn vị công tác\n\
                    10234\tNguyễn Văn An\t15/03/1970\tBí thư\n\
                    10235\tTrần Thị Bình\t\tPhó Bí thư\n";
        let rows = parse_cadre_rows(text);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (
                rows[0].code.as_str(),
                rows[0].name.as_str(),
                rows[0].position.as_str()
            ),
            ("10234", "Nguyễn Văn An", "Bí thư")
        );
        assert_eq!(rows[0].born, crate::model::Date::new(1970, 3, 15));
        assert_eq!(rows[1].born, None);
        // Through the edit, the cadres keep them.
        let mut s = Session::default();
        s.groups.push(crate::model::BallotGroup::default());
        Edit::PasteCadres {
            group: 0,
            text: text.to_owned(),
        }
        .apply(&mut s)
        .unwrap();
        assert_eq!(s.groups[0].cadres[1].code, "10235");
    }

    /// Pasted lines: tabs, semicolons, STT column, header, blank lines and NFD input.
    #[test]
    fn paste_parsing() {
        let nfd: String = "Nguyễn Văn Ấn".nfd().collect();
        let text = format!(
            "Họ và tên\tChức vụ\n\n1\t{nfd}\tBí thư\r\n2.\tTrần  Thị Bé \t Phó Bí thư\nLê Văn C;Ủy viên\n   \nĐỗ D\n"
        );
        let rows = parse_cadre_lines(&text);
        assert_eq!(
            rows,
            vec![
                ("Nguyễn Văn Ấn".to_owned(), "Bí thư".to_owned()),
                ("Trần Thị Bé".to_owned(), "Phó Bí thư".to_owned()),
                ("Lê Văn C".to_owned(), "Ủy viên".to_owned()),
                ("Đỗ D".to_owned(), String::new()),
            ]
        );
    }

    /// Header rows as Excel copies them, with an STT column, are skipped in every usual form;
    /// the STT column is dropped; a cadre whose name merely contains a title word is kept.
    #[test]
    fn paste_skips_excel_headers() {
        for header in [
            "STT\tHọ và tên\tChức vụ",
            "TT\tHọ tên\tChức danh",
            "Số TT;Họ và tên;Chức vụ;Ghi chú",
            "No.\tFull name\tPosition",
        ] {
            let text = format!("{header}\n1\tPhan Văn Chức\tBí thư\n2\tLê Tên\tChức vụ mới\n");
            let text = if header.contains(';') {
                text.replace('\t', ";")
            } else {
                text
            };
            assert_eq!(
                parse_cadre_lines(&text),
                vec![
                    ("Phan Văn Chức".to_owned(), "Bí thư".to_owned()),
                    ("Lê Tên".to_owned(), "Chức vụ mới".to_owned()),
                ],
                "{header}"
            );
        }
    }

    /// Pasting adds cadres with empty counts aligned to the group's criteria.
    #[test]
    fn paste_adds_aligned_cadres() {
        let mut s = Session::default();
        Edit::AddCriterion {
            group: 0,
            name: "Đạo đức".into(),
        }
        .apply(&mut s)
        .unwrap();
        Edit::PasteCadres {
            group: 0,
            text: "A\tX\nB\tY".into(),
        }
        .apply(&mut s)
        .unwrap();
        let g = &s.groups[0];
        assert_eq!(g.cadres.len(), 2);
        assert!(g.cadres.iter().all(|c| c.criteria.len() == 1));
        let err = Edit::PasteCadres {
            group: 0,
            text: "\n \n".into(),
        }
        .apply(&mut s);
        assert_eq!(err, Err(EditError::NothingToPaste));
    }

    /// Typed text is stored in NFC.
    #[test]
    fn text_is_nfc() {
        let mut s = Session::default();
        let nfd: String = "Hội nghị Chi bộ".nfd().collect();
        Edit::SetMeta(MetaField::Conference, nfd)
            .apply(&mut s)
            .unwrap();
        assert_eq!(s.meta.conference, "Hội nghị Chi bộ");
    }

    /// Edits with a bad index fail and leave the session unchanged.
    #[test]
    fn bad_index_is_an_error() {
        let mut s = Session::default();
        let before = s.clone();
        for e in [
            Edit::RemoveCadre { group: 0, cadre: 0 },
            Edit::RemoveGroup(3),
            Edit::SetCount {
                group: 0,
                cadre: 0,
                question: Question::Overall,
                level: Level::Low,
                value: Some(1),
            },
            Edit::RenameCriterion {
                group: 0,
                index: 0,
                name: "x".into(),
            },
        ] {
            assert!(e.apply(&mut s).is_err(), "{e:?}");
            assert_eq!(s, before);
        }
    }

    /// Moving, exempting and counting edit the right cadre; the QĐ 96 presets are added once.
    #[test]
    fn cadre_edits() {
        let mut s = Session::default();
        Edit::PasteCadres {
            group: 0,
            text: "A\t1\nB\t2\nC\t3".into(),
        }
        .apply(&mut s)
        .unwrap();
        Edit::MoveCadre {
            group: 0,
            from: 2,
            to: 0,
        }
        .apply(&mut s)
        .unwrap();
        let names: Vec<_> = s.groups[0].cadres.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["C", "A", "B"]);
        Edit::SetExemption {
            group: 0,
            cadre: 1,
            reason: Some("Nghỉ hưu".into()),
        }
        .apply(&mut s)
        .unwrap();
        assert_eq!(s.groups[0].cadres[1].exemption.as_deref(), Some("Nghỉ hưu"));
        for _ in 0..2 {
            Edit::AddQd96Criteria {
                group: 0,
                lang: Lang::Vi,
            }
            .apply(&mut s)
            .unwrap();
        }
        assert_eq!(s.groups[0].criteria.len(), 5);
        Edit::SetCount {
            group: 0,
            cadre: 0,
            question: Question::Criterion(4),
            level: Level::High,
            value: Some(7),
        }
        .apply(&mut s)
        .unwrap();
        assert_eq!(s.groups[0].cadres[0].criteria[4].high, Some(7));
    }

    /// A final session refuses edits.
    #[test]
    fn final_session_refuses_edits() {
        let mut s: Session =
            crate::archive::from_str(include_str!("../../assets/examples/chi-bo.ron")).unwrap();
        s.finalise("Phạm Văn Đức", crate::lifecycle::Timestamp(1_700_000_000))
            .unwrap();
        let before = s.clone();
        let e = Edit::SetMeta(MetaField::Place, "Huế".into()).apply(&mut s);
        assert_eq!(e, Err(EditError::Sealed));
        assert_eq!(s, before);
    }

    /// Counts of a group whose two entries differ or agree are refused; ballot totals apply
    /// otherwise.
    #[test]
    fn locked_counts_refused() {
        let mut s: Session =
            crate::archive::from_str(include_str!("../../assets/examples/chi-bo.ron")).unwrap();
        let totals = Edit::SetBallotTotals {
            group: 0,
            counts: vec![(
                0,
                vec![Counts {
                    high: Some(1),
                    medium: Some(2),
                    low: Some(3),
                }],
            )],
            void_sheets: 1,
            sheets: 7,
        };
        totals.apply(&mut s).unwrap();
        assert_eq!(
            s.groups[0].cadres[0].overall,
            Counts {
                high: Some(1),
                medium: Some(2),
                low: Some(3)
            }
        );
        assert_eq!(s.groups[0].voters.void_sheets, Some(1));
        s.groups[0].entry = crate::counting::EntryStage::Agreed;
        let before = s.clone();
        let set = Edit::SetCount {
            group: 0,
            cadre: 0,
            question: Question::Overall,
            level: Level::Low,
            value: Some(0),
        };
        assert_eq!(set.apply(&mut s), Err(EditError::CountsLocked));
        assert_eq!(totals.apply(&mut s), Err(EditError::CountsLocked));
        let void = Edit::SetVoters {
            group: 0,
            field: VoterField::VoidSheets,
            value: Some(0),
        };
        assert_eq!(void.apply(&mut s), Err(EditError::CountsLocked));
        assert_eq!(s, before);
        Edit::SetMeta(MetaField::Place, "Huế".into())
            .apply(&mut s)
            .unwrap();
    }

    /// Ballot totals set every question of a group with criteria, as one undoable step logged
    /// without counts; totals counted for another list of cadres or criteria (a stale edit)
    /// are refused and change nothing.
    #[test]
    fn ballot_totals_with_criteria() {
        let mut s: Session =
            crate::archive::from_str(include_str!("../../assets/examples/tieu-chi.ron")).unwrap();
        let n = s.groups[0].criteria.len();
        let c = |k: u32| Counts {
            high: Some(k),
            medium: Some(1),
            low: Some(0),
        };
        let all: Vec<Counts> = (0..=n).map(|k| c(u32::try_from(k).unwrap())).collect();
        let totals = |counts| Edit::SetBallotTotals {
            group: 0,
            counts,
            void_sheets: 0,
            sheets: 1,
        };
        // Through the history: one step, undone and redone whole; the description tells the
        // sheets only.
        let original = s.clone();
        let mut history = crate::history::History::default();
        let edit = totals(vec![(1, all.clone())]);
        assert_eq!(
            edit.describe().vi,
            "Nhập từng phiếu: đã nhập 1 tờ",
            "no count in the log"
        );
        assert_eq!(history.apply(&mut s, edit), Ok(true));
        assert_eq!(s.groups[0].cadres[1].questions(), all);
        let after = s.clone();
        assert!(history.undo(&mut s));
        assert_eq!(s, original);
        assert!(history.redo(&mut s));
        assert_eq!(s, after);
        let before = s.clone();
        let short = all[..n].to_vec();
        assert_eq!(
            totals(vec![(0, all.clone()), (1, short)]).apply(&mut s),
            Err(EditError::BallotChanged)
        );
        let mut long = all.clone();
        long.push(c(9));
        assert_eq!(
            totals(vec![(0, long)]).apply(&mut s),
            Err(EditError::BallotChanged)
        );
        let mut exempt = s.clone();
        exempt.groups[0].cadres[0].exemption = Some("Nghỉ chữa bệnh".into());
        assert_eq!(
            totals(vec![(0, all.clone())]).apply(&mut exempt),
            Err(EditError::BallotChanged),
            "nothing is read for a cadre not on the paper"
        );
        let cadres = s.groups[0].cadres.len();
        assert_eq!(
            totals(vec![(cadres, all)]).apply(&mut s),
            Err(EditError::NoSuchItem {
                what: "cadre",
                index: cadres
            })
        );
        assert_eq!(s, before);
    }

    /// Imported counts: one undo step; logged as typed counts are, one entry per count that
    /// changed (old → new, named in words), then the file; refused whole when the list
    /// changed since the sheet was read.
    #[test]
    fn import_counts_logged_per_field() {
        let mut s: Session =
            crate::archive::from_str(include_str!("../../assets/examples/chi-bo.ron")).unwrap();
        let original = s.clone();
        let c = |h, m, l| Counts {
            high: Some(h),
            medium: Some(m),
            low: Some(l),
        };
        let import = |name: &str| Edit::ImportCounts {
            group: 0,
            file: "to1.xlsx".into(),
            counts: vec![
                ImportedCounts {
                    cadre: 0,
                    name: "Trần Thị Hồng Nhung".into(),
                    question: Question::Overall,
                    counts: c(5, 2, 0),
                },
                ImportedCounts {
                    cadre: 2,
                    name: name.into(),
                    question: Question::Overall,
                    counts: c(3, 3, 1),
                },
            ],
        };
        let stale = import("Người Khác");
        assert_eq!(stale.apply(&mut s.clone()), Err(EditError::ImportStale));
        let edit = import("Đặng Ngọc Ánh");
        let mut history = crate::history::History::default();
        let pending = Pending::read(&edit, &s);
        assert_eq!(history.apply(&mut s, edit), Ok(true));
        pending.log(&mut s, "Phạm Văn Đức", Timestamp(1_700_000_000), true);
        assert_eq!(s.groups[0].cadres[2].overall, c(3, 3, 1));
        let lines: Vec<String> = s.audit.iter().map(|e| e.describe(Lang::Vi)).collect();
        assert_eq!(
            lines,
            [
                "3. Đặng Ngọc Ánh — Tín nhiệm cao: 2 → 3",
                "3. Đặng Ngọc Ánh — Tín nhiệm: 4 → 3",
                "Nhập số liệu của 2 cán bộ từ bảng tính to1.xlsx",
            ],
            "the unchanged cadre and counts are not logged"
        );
        assert!(
            matches!(&s.audit[0].action, crate::model::Action::Edit { path, .. } if path == "groups[0].cadres[2].overall.high")
        );
        assert!(history.undo(&mut s));
        s.audit.clear();
        assert_eq!(s, original);
    }

    /// One edit of each kind that sets the header, the people or the settings.
    fn setting_edits() -> Vec<Edit> {
        use crate::model::{CommitteeChosen, Date};
        vec![
            Edit::SetMeta(MetaField::Place, "Huế".into()),
            Edit::SetDate("15/10/2025".parse::<Date>().ok()),
            Edit::SetProceedingsText(ProceedingsField::SealedTo, "Văn phòng".into()),
            Edit::SetCommitteeChosen(Some(CommitteeChosen::Elected)),
            Edit::SetRemarks(Some(String::new())),
            Edit::SetCopies(Some(3)),
            Edit::SetMinutesText(MinutesField::Opening, None),
            Edit::SetRanking(true),
            Edit::SetProfile(ProfileId::Qd96),
            Edit::SetBase(Some(BaseKind::Issued)),
            Edit::SetTeam("Tổ 1".into()),
            Edit::SetPersonName(Who::Chair, "Lê Văn An".into()),
            Edit::SetPersonRole(Who::Secretary, "Đảng viên".into()),
            Edit::AddCommitteeMember(Person::default()),
            Edit::RemoveCommitteeMember(0),
            Edit::SetDoubleEntry(true),
        ]
    }

    /// One edit of each kind that changes a group, its cadres, criteria or counts.
    fn list_edits() -> Vec<Edit> {
        let (group, cadre) = (0, 0);
        let name = || "Lê Văn An".to_owned();
        vec![
            Edit::AddGroup("Chi ủy".into()),
            Edit::RemoveGroup(1),
            Edit::RenameGroup {
                group,
                name: name(),
            },
            Edit::SetScanForm { group, on: false },
            Edit::SetVoters {
                group,
                field: VoterField::Present,
                value: Some(9),
            },
            Edit::AddCadre {
                group,
                name: name(),
                position: String::new(),
            },
            Edit::PasteCadres {
                group,
                text: "A\tB".into(),
            },
            Edit::RemoveCadre { group, cadre },
            Edit::MoveCadre {
                group,
                from: 0,
                to: 1,
            },
            Edit::RenameCadre {
                group,
                cadre,
                name: name(),
            },
            Edit::SetPosition {
                group,
                cadre,
                position: "Bí thư".into(),
            },
            Edit::SetExemption {
                group,
                cadre,
                reason: None,
            },
            Edit::AddCriterion {
                group,
                name: name(),
            },
            Edit::AddQd96Criteria {
                group,
                lang: Lang::Vi,
            },
            Edit::RemoveCriterion { group, index: 0 },
            Edit::RenameCriterion {
                group,
                index: 0,
                name: name(),
            },
            Edit::SetCount {
                group,
                cadre,
                question: Question::Overall,
                level: Level::Low,
                value: Some(3),
            },
            Edit::EndBallotCount {
                group,
                sheets: 3,
                reason: String::new(),
            },
            Edit::SetBallotTotals {
                group,
                counts: vec![(0, vec![Counts::default()])],
                void_sheets: 0,
                sheets: 3,
            },
        ]
    }

    /// Every edit says what it does as a sentence in each language: no `Debug` output, a
    /// capital first letter, the two languages apart (the audit log and the undo menu show
    /// it).
    #[test]
    fn every_edit_reads_as_a_sentence() {
        let edits = [setting_edits(), list_edits()].concat();
        for e in &edits {
            let m = e.describe();
            for text in [&m.vi, &m.en] {
                assert!(
                    text.chars().next().is_some_and(char::is_uppercase),
                    "{e:?}: {text}"
                );
                for debug in ["{", "}", "Some(", "None"] {
                    assert!(!text.contains(debug), "{e:?}: {text}");
                }
            }
            assert_ne!(m.vi, m.en, "{e:?}");
        }
        assert_eq!(
            edits.last().unwrap().describe(),
            Message::new(
                "Nhập từng phiếu: đã nhập 3 tờ",
                "Ballot by ballot: 3 sheets entered"
            )
        );
    }

    /// Changing profile drops a base the new profile does not allow.
    #[test]
    fn profile_change_drops_forbidden_base() {
        let mut s = Session::new(ProfileId::Nq96_2023);
        Edit::SetBase(Some(BaseKind::Issued)).apply(&mut s).unwrap();
        Edit::SetProfile(ProfileId::Qd96).apply(&mut s).unwrap();
        assert_eq!(s.base, None);
    }
}
