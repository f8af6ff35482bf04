//! The session: plain data, exactly what the archive stores.
//!
//! This is the ground of the crate: every type the archive stores lives here or in a
//! submodule, and nothing here imports an operation (lifecycle, counting, tally, validation,
//! merging all sit above and import the model, never the other way).
//!
//! A number the committee has not entered yet is `None`, not 0: "empty" and "zero ballots" are
//! different facts, and validation reports the first as missing rather than tallying it.
//! Derived figures (valid sheets, invalid lines, percentages) are never stored.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rules::{BaseKind, ProfileId};
use crate::text::{clean_name, nfc_in_place};

mod counts;
mod entry;
mod path;
mod record;
mod scan;
mod team;

pub use counts::{Counts, Level};
pub use entry::{Cell, Difference, EntrySnapshot, EntryStage};
pub use path::{
    CadreField, FieldPath, GroupField, MetaField, MinutesField, ProceedingsField, Question,
    VoterField, Who, human_path,
};
pub use record::{
    Action, AuditEntry, LOG_KEYWORD, LogChain, LogFault, LogPin, Seal, SealSignature, Status,
    Timestamp, chain_break, log_fault, seal_fault,
};
pub use scan::{GroupCount, LineRead, ScanCount, WaitingLine, WaitingSheet};
pub use team::TeamCount;

/// The archive format this build writes. Bump it on any change an older build would misread
/// or refuse with a confusing message.
///
/// - 1: the first format.
/// - 2: a team archive's `team_id`, each team sub-total's `id`, a group's `ballot_count` (a
///   ballot-by-ballot count under way), a logged edit's `label` (its field in words). A build reading format 1 refuses a format-2 file as
///   "written by a newer version" rather than as an unknown field; this build reads both.
/// - 3: the meaning of an absent `base` under NQ 96/2023 changed from ballots issued to
///   ballots collected (the new default); reading an older file pins such a session's base to
///   `Issued`, as it was made ([`crate::archive::from_str`]). Nothing else changed.
/// - 4: a group's `scan_form` (its ballots printed for a scanner to read, issue 23) and `scan`
///   (its sheets counted from scans, [`ScanCount`]). A build reading format 3 refuses a
///   format-4 file as "written by a newer version".
pub const FORMAT_VERSION: u32 = 4;

/// One confidence vote: the conference, its rule profile, who ran it, and its ballot groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// The archive format version ([`FORMAT_VERSION`] when written by this build).
    pub format_version: u32,
    /// What the minutes' header and opening state.
    pub meta: DocumentMeta,
    /// The regulation the vote is held under.
    pub profile: ProfileId,
    /// The base of percentages, when the profile allows a choice (NQ 96/2023: issued or
    /// collected); `None` takes the profile's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<BaseKind>,
    /// Who chairs the conference.
    pub chair: Person,
    /// Who keeps the conference's record.
    #[serde(default)]
    pub secretary: Person,
    /// What a biên bản states beyond the figures, when the secretary fills it in (each part
    /// left out of the minutes while empty).
    #[serde(default, skip_serializing_if = "Proceedings::is_empty")]
    pub proceedings: Proceedings,
    /// How the minutes are worded where localities differ (each part left at the default
    /// while empty).
    #[serde(default, skip_serializing_if = "MinutesWording::is_default")]
    pub minutes: MinutesWording,
    /// The counting committee (ban kiểm phiếu); the first member is its head.
    pub committee: Vec<Person>,
    /// The ballot groups: each with its own voters and cadres.
    pub groups: Vec<BallotGroup>,
    /// The counting team this archive belongs to, when a team counts part of the sheets on
    /// its own computer (merged with `tinnhiem merge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team: Option<String>,
    /// Made when the archive is given its team ([`crate::teams::new_team_id`]), anew when
    /// given another team: a merge recognises the same team's file by it, whatever the file is
    /// called or however the team's name was retyped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// Whether each group's counts must be entered twice, blind, by two operators and agree
    /// before the session can be finalised ([`crate::counting`]). New sessions: yes. An
    /// archive without the field was made before the feature: no.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub double_entry: bool,
    /// Draft or final (sealed); see [`crate::lifecycle`].
    #[serde(default, skip_serializing_if = "Status::is_draft")]
    pub status: Status,
    /// Every change, finalisation, reopening, export and signature, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audit: Vec<AuditEntry>,
}

impl Default for Session {
    fn default() -> Self {
        Self {
            format_version: FORMAT_VERSION,
            meta: DocumentMeta::default(),
            profile: ProfileId::default(),
            base: None,
            chair: Person::default(),
            secretary: Person::default(),
            proceedings: Proceedings::default(),
            minutes: MinutesWording::default(),
            committee: Vec::new(),
            groups: vec![BallotGroup::new_scannable()],
            team: None,
            team_id: None,
            double_entry: true,
            status: Status::Draft,
            audit: Vec::new(),
        }
    }
}

/// How the conference chose its counting committee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CommitteeChosen {
    /// Hội nghị bầu (elected by ballot).
    Elected,
    /// Hội nghị biểu quyết thông qua (approved by a show of hands).
    Approved,
}

impl CommitteeChosen {
    /// The choice in words, on the form and in the log.
    #[must_use]
    pub fn label(self) -> crate::text::Tr {
        use crate::text::Tr;
        match self {
            CommitteeChosen::Elected => Tr::new("Hội nghị bầu", "Elected by the conference"),
            CommitteeChosen::Approved => Tr::new(
                "Hội nghị biểu quyết thông qua",
                "Approved by the conference",
            ),
        }
    }

    /// The choice in the fingerprint's canonical text.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            CommitteeChosen::Elected => "elected",
            CommitteeChosen::Approved => "approved",
        }
    }
}

/// The parts of a biên bản besides the figures: how the committee was chosen, when the count
/// ended, who was absent and why, where the sealed ballots went, complaints, the number of
/// copies. Optional: the minutes leave out each sentence whose part is empty (never a blank).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proceedings {
    /// How the conference chose the counting committee.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub committee_chosen: Option<CommitteeChosen>,
    /// When the count ended ("16 giờ 15"); [`DocumentMeta::time`] is when it began.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub count_ended: String,
    /// Who was absent and why ("Đồng chí Nguyễn Văn A (ốm); đồng chí Trần Thị B (đi công tác)").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub absences: String,
    /// To whom the ballots were handed, sealed, after the count ("Văn phòng Đảng ủy").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sealed_to: String,
    /// Complaints or remarks during the count: `None` not stated, `Some("")` none were made
    /// ("Không có khiếu nại"), otherwise what was said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// How many copies the minutes are made in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub copies: Option<u32>,
}

impl Proceedings {
    /// Whether nothing is filled in (an archive then has no `proceedings` at all).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The parts of the minutes' wording a locality may set: the opening and closing paragraphs,
/// as templates with named fields ([`crate::template`]), and whether the results
/// table ranks the cadres. Saved with the session, so that the same archive prints the same
/// minutes years later; `None` prints the built-in wording.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinutesWording {
    /// The opening paragraph ("Hôm nay, {giờ}, {ngày}, tại {địa điểm}, …").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening: Option<String>,
    /// The closing paragraph before the signatures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<String>,
    /// A "Xếp thứ" column (rank by "tín nhiệm cao") in the results table; some committees
    /// publish it, most do not.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ranking: bool,
}

impl MinutesWording {
    /// Whether everything is at the default (an archive then has no `minutes` at all).
    #[must_use]
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// A person with a role: the chair, the secretary, a member of the counting committee.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Full name (họ và tên).
    pub name: String,
    /// Role or position ("Trưởng ban", "Bí thư Chi bộ", …).
    #[serde(default)]
    pub role: String,
}

/// What the minutes' header and opening lines state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentMeta {
    /// The superior body, top left ("ĐẢNG BỘ TỈNH GIA LAI").
    pub superior_body: String,
    /// The issuing body, top left in bold ("ĐẢNG ỦY KHỐI …").
    pub issuing_body: String,
    /// The document number after "Số" ("01-BB/ĐU").
    pub document_number: String,
    /// The conference ("Hội nghị Ban Chấp hành Đảng bộ tỉnh lần thứ 15").
    pub conference: String,
    /// The locality in the date line ("Gia Lai, ngày …").
    pub place: String,
    /// Where the conference sits ("Hội trường Tỉnh ủy"); may be empty.
    #[serde(default)]
    pub venue: String,
    /// The conference date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// The time the count began ("14 giờ 30"), free text as the minutes write it.
    #[serde(default)]
    pub time: String,
}

/// A ballot group: one kind of ballot, given to its own voters, about its own cadres.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BallotGroup {
    /// Who is voted on, for headings ("Ban Thường vụ Tỉnh ủy").
    pub name: String,
    /// The voters' figures.
    pub voters: Voters,
    /// Extra per-criterion questions; the overall question is always asked and is the only one
    /// that decides a band (QĐ 96 Phụ lục 4 has no per-criterion marks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Criterion>,
    /// The cadres on the ballot (and exempt ones, listed outside the tally).
    pub cadres: Vec<Cadre>,
    /// Counting teams' sub-totals, when the sheets were split among teams
    /// ([`crate::teams`]); the group's figures are then their sums.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<TeamCount>,
    /// Where the double entry of this group's counts stands.
    #[serde(default, skip_serializing_if = "EntryStage::is_first_entry")]
    pub entry: EntryStage,
    /// Sheets counted so far by a ballot-by-ballot count the operator has not ended: while
    /// it differs from the ballots collected, the count is incomplete and the session cannot
    /// be finalised (E130), however plausible its figures look.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ballot_count: Option<u32>,
    /// Whether the ballots are printed for a scanner to read ("Đếm bằng máy quét", issue 23):
    /// corner marks, a QR code naming the form, a box for each mark
    /// ([`crate::documents::ballots`]). New groups: yes. A group without the field was made
    /// before the feature and keeps the ballot it printed then.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scan_form: bool,
    /// The sheets counted from scans and those waiting for people ([`ScanCount`]).
    #[serde(default, skip_serializing_if = "ScanCount::is_empty")]
    pub scan: ScanCount,
}

impl BallotGroup {
    /// A new, empty group as the app and the CLI make one: its ballots printed for a scanner.
    #[must_use]
    pub fn new_scannable() -> Self {
        Self {
            scan_form: true,
            ..Self::default()
        }
    }

    /// Every cadre's counts (group order), each the overall question then each criterion:
    /// what an entry, a team or a running count holds of the group.
    #[must_use]
    pub fn all_counts(&self) -> Vec<Vec<Counts>> {
        self.cadres.iter().map(Cadre::questions).collect()
    }

    /// Adds a criterion question, with empty counts for every cadre, keeping the cadres'
    /// per-criterion counts aligned with [`BallotGroup::criteria`].
    pub fn add_criterion(&mut self, name: &str) {
        self.criteria.push(Criterion {
            name: clean_name(name),
        });
        for cadre in &mut self.cadres {
            cadre
                .criteria
                .resize(self.criteria.len(), Counts::default());
        }
    }

    /// Removes criterion `index` and its counts from every cadre. Out of range does nothing.
    pub fn remove_criterion(&mut self, index: usize) {
        if index >= self.criteria.len() {
            return;
        }
        self.criteria.remove(index);
        for cadre in &mut self.cadres {
            if index < cadre.criteria.len() {
                cadre.criteria.remove(index);
            }
        }
    }

    /// A new cadre with empty counts for the overall and every criterion question.
    #[must_use]
    pub fn new_cadre(&self, name: &str, position: &str) -> Cadre {
        Cadre {
            name: clean_name(name),
            position: clean_name(position),
            exemption: None,
            overall: Counts::default(),
            criteria: vec![Counts::default(); self.criteria.len()],
            code: String::new(),
            born: None,
        }
    }
}

/// A per-criterion question, named by the user (the QĐ 96 criteria are offered as presets).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// The criterion as printed on the ballot.
    pub name: String,
}

/// The evaluation criteria of QĐ 96 \[S\], offered as presets for per-criterion questions.
pub const QD96_CRITERIA: [crate::text::Tr; 5] = [
    crate::text::Tr::new(
        "Phẩm chất chính trị, đạo đức, lối sống, ý thức trách nhiệm",
        "Political quality, ethics, lifestyle, sense of responsibility",
    ),
    crate::text::Tr::new(
        "Ý thức tổ chức kỷ luật, nguyên tắc tập trung dân chủ, đoàn kết",
        "Organisational discipline, democratic centralism, unity",
    ),
    crate::text::Tr::new(
        "Kết quả lãnh đạo phòng, chống tham nhũng, tiêu cực; thực hiện những điều đảng viên không được làm, trách nhiệm nêu gương",
        "Leading the fight against corruption; the rules on what members must not do; setting an example",
    ),
    crate::text::Tr::new(
        "Gương mẫu của bản thân, vợ (chồng), con trong chấp hành pháp luật",
        "Exemplary conduct of oneself, spouse and children in obeying the law",
    ),
    crate::text::Tr::new(
        "Giữ mối liên hệ với chi ủy, đảng ủy nơi cư trú",
        "Contact with the party committee where one resides",
    ),
];

/// The voters' figures of a ballot group. `None` is "not entered yet".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Voters {
    /// Số được triệu tập (for NQ 85/2014: the total number of deputies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summoned: Option<u32>,
    /// Số có mặt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present: Option<u32>,
    /// Số phiếu phát ra.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<u32>,
    /// Số phiếu thu về.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected: Option<u32>,
    /// Whole sheets void (not issued by the committee, a printed name struck out: QĐ 96
    /// Điều 6 k.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub void_sheets: Option<u32>,
}

impl Voters {
    /// Số phiếu hợp lệ: collected − void; `None` if either is missing or void > collected.
    #[must_use]
    pub fn valid_sheets(&self) -> Option<u32> {
        self.collected?.checked_sub(self.void_sheets?)
    }

    /// The figure a base kind refers to.
    #[must_use]
    pub fn figure(&self, kind: BaseKind) -> Option<u32> {
        match kind {
            BaseKind::Collected => self.collected,
            BaseKind::Issued => self.issued,
            BaseKind::Summoned => self.summoned,
        }
    }

    /// Number absent (summoned − present), when both are known and consistent.
    #[must_use]
    pub fn absent(&self) -> Option<u32> {
        self.summoned?.checked_sub(self.present?)
    }
}

/// A cadre on the ballot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadre {
    /// Full name.
    pub name: String,
    /// Position (chức vụ) as printed on the ballot.
    pub position: String,
    /// Why the cadre is exempt from the vote (retirement notice, appointed this year), if so.
    /// Exempt cadres are listed with the reason and stay outside the tally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption: Option<String>,
    /// Counts for the overall (official) question.
    #[serde(default)]
    pub overall: Counts,
    /// Counts per criterion question, aligned with [`BallotGroup::criteria`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Counts>,
    /// The cadre's code in the personnel records (mã cán bộ), when the cadre list gives one:
    /// the same person is found by it across votes and units (issue 25 §3). Written only when
    /// set, so archives without it read in every format-4 build.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub code: String,
    /// The date of birth, when the cadre list gives it: with the name, the same person across
    /// units when there is no code. Written only when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub born: Option<Date>,
}

impl Cadre {
    /// The counts of every question: the overall one first, then each criterion's.
    #[must_use]
    pub fn questions(&self) -> Vec<Counts> {
        std::iter::once(self.overall)
            .chain(self.criteria.iter().copied())
            .collect()
    }

    /// Sets the counts of every question from [`Cadre::questions`]' order; missing ones become
    /// empty, extra ones are ignored (the criteria's number stays the group's).
    pub fn set_questions(&mut self, counts: &[Counts]) {
        let mut it = counts.iter().copied();
        self.overall = it.next().unwrap_or_default();
        for slot in &mut self.criteria {
            *slot = it.next().unwrap_or_default();
        }
    }
}

/// A calendar date, stored as "YYYY-MM-DD" so archives stay readable by people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, if it exists in the Gregorian calendar (years 1900–9999).
    #[must_use]
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        ((1900..=9999).contains(&year) && (1..=days).contains(&day)).then_some(Self {
            year,
            month,
            day,
        })
    }

    /// The year.
    #[must_use]
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    #[must_use]
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month.
    #[must_use]
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Midnight UTC of this day, through the crate's one calendar (the `der` crate's, as
    /// [`Timestamp::civil`] reads it back); `None` before 1970, which no vote is dated.
    #[must_use]
    pub fn midnight_utc(self) -> Option<Timestamp> {
        der::DateTime::new(self.year, self.month, self.day, 0, 0, 0)
            .ok()
            .map(|t| Timestamp(t.unix_duration().as_secs()))
    }

    /// The Vietnamese date line: "ngày 15 tháng 12 năm 2023". Days below 10 and the months 1
    /// and 2 take a leading zero ("ngày 05 tháng 02", but "tháng 3"), as Nghị định 30/2020 and
    /// Hướng dẫn 36-HD/VPTW write them, so that nobody can add a digit by hand.
    #[must_use]
    pub fn vietnamese_long(&self) -> String {
        let month = if self.month <= 2 {
            format!("{:02}", self.month)
        } else {
            self.month.to_string()
        };
        format!("ngày {:02} tháng {month} năm {}", self.day, self.year)
    }

    /// "dd/mm/yyyy", the usual short Vietnamese form.
    #[must_use]
    pub fn vietnamese_short(&self) -> String {
        format!("{:02}/{:02}/{}", self.day, self.month, self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = String;

    /// Parses "YYYY-MM-DD" (the archive form) or "DD/MM/YYYY" (what people type).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let parts: Vec<&str> = s.split(['-', '/', '.']).collect();
        let parsed = match parts.as_slice() {
            [y, m, d] if y.len() == 4 => (y.parse(), m.parse(), d.parse()),
            [d, m, y] if y.len() == 4 => (y.parse(), m.parse(), d.parse()),
            _ => {
                return Err(format!(
                    "ngày không hợp lệ / invalid date: \"{s}\" (YYYY-MM-DD hoặc/or DD/MM/YYYY)"
                ));
            }
        };
        match parsed {
            (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d)
                .ok_or_else(|| format!("ngày không tồn tại / no such date: \"{s}\"")),
            _ => Err(format!(
                "ngày không hợp lệ / invalid date: \"{s}\" (YYYY-MM-DD hoặc/or DD/MM/YYYY)"
            )),
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Session {
    /// A new empty session under `profile`, with one ballot group.
    #[must_use]
    pub fn new(profile: ProfileId) -> Self {
        Self {
            profile,
            ..Self::default()
        }
    }

    /// The base of percentages in effect: the session's choice if the profile allows it,
    /// otherwise the profile's default (validation reports a choice the profile forbids).
    #[must_use]
    pub fn effective_base(&self) -> BaseKind {
        let profile = self.profile.profile();
        match self.base {
            Some(b) if profile.bases.contains(&b) => b,
            _ => profile.default_base(),
        }
    }

    /// Whether Quy định 41-QĐ/TW's grounds apply: a party profile, and a vote dated before
    /// QĐ 41 was repealed (by the session's date, never today's; none without a date).
    #[must_use]
    pub fn qd41_applies(&self) -> bool {
        self.profile.profile().qd41_applies
            && crate::rules::QD41.applies_on(self.meta.date.map(|d| (d.year, d.month, d.day)))
    }

    /// The elected body of a state profile's vote, as the rule reads it from this header
    /// ([`crate::rules::StateBody::named_in`]).
    #[must_use]
    pub fn state_body(&self) -> crate::rules::StateBody {
        crate::rules::StateBody::named_in([
            self.meta.issuing_body.as_str(),
            self.meta.superior_body.as_str(),
        ])
    }

    /// Normalises every text of the session to NFC, so that names typed with combining marks
    /// compare equal and render with their marks in place. Idempotent.
    pub fn normalize(&mut self) {
        let m = &mut self.meta;
        for s in [
            &mut m.superior_body,
            &mut m.issuing_body,
            &mut m.document_number,
            &mut m.conference,
            &mut m.place,
            &mut m.venue,
            &mut m.time,
        ] {
            nfc_in_place(s);
        }
        for p in std::iter::once(&mut self.chair)
            .chain(std::iter::once(&mut self.secretary))
            .chain(self.committee.iter_mut())
        {
            nfc_in_place(&mut p.name);
            nfc_in_place(&mut p.role);
        }
        if let Some(t) = &mut self.team {
            nfc_in_place(t);
        }
        let p = &mut self.proceedings;
        for s in [&mut p.count_ended, &mut p.absences, &mut p.sealed_to] {
            nfc_in_place(s);
        }
        for t in [&mut self.minutes.opening, &mut self.minutes.closing]
            .into_iter()
            .flatten()
        {
            nfc_in_place(t);
        }
        if let Some(r) = &mut p.remarks {
            nfc_in_place(r);
        }
        for g in &mut self.groups {
            nfc_in_place(&mut g.name);
            for t in &mut g.teams {
                nfc_in_place(&mut t.team);
            }
            for c in &mut g.criteria {
                nfc_in_place(&mut c.name);
            }
            for c in &mut g.cadres {
                nfc_in_place(&mut c.name);
                nfc_in_place(&mut c.position);
                if let Some(r) = &mut c.exemption {
                    nfc_in_place(r);
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// Midnight UTC of known dates, and back through the same calendar.
    #[test]
    fn midnight_of_known_dates() {
        let d = |y, m, dd| {
            Date::new(y, m, dd)
                .and_then(Date::midnight_utc)
                .map(|t| t.0)
        };
        assert_eq!(d(1970, 1, 1), Some(0));
        assert_eq!(d(2025, 3, 5), Some(1_741_132_800));
        assert_eq!(d(2000, 3, 1), Some(11_017 * 86_400));
        assert_eq!(d(2024, 2, 29), Some(1_709_164_800));
        assert_eq!(d(1969, 12, 31), None);
        let back = Timestamp(1_741_132_800).civil(0).unwrap();
        assert_eq!((back.year(), back.month(), back.day()), (2025, 3, 5));
    }

    /// Dates validate the calendar, including leap years, and parse both written forms.
    #[test]
    fn dates() {
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(1900, 2, 29).is_none());
        assert!(Date::new(2000, 2, 29).is_some());
        assert!(Date::new(2023, 13, 1).is_none());
        assert_eq!(
            "15/12/2023".parse::<Date>(),
            Ok(Date::new(2023, 12, 15).unwrap())
        );
        assert_eq!(
            "2023-12-15".parse::<Date>(),
            Ok(Date::new(2023, 12, 15).unwrap())
        );
        assert!("2023-02-30".parse::<Date>().is_err());
        assert!("hôm qua".parse::<Date>().is_err());
        let d = Date::new(2023, 2, 5).unwrap();
        assert_eq!(d.vietnamese_long(), "ngày 05 tháng 02 năm 2023");
        let d = Date::new(2023, 3, 15).unwrap();
        assert_eq!(d.vietnamese_long(), "ngày 15 tháng 3 năm 2023");
    }

    /// Invalid lines are derived and undefined when counts exceed the valid sheets.
    #[test]
    fn invalid_lines_derived() {
        let c = Counts {
            high: Some(19),
            medium: Some(2),
            low: Some(25),
        };
        assert_eq!(c.invalid_lines(47), Some(1));
        assert_eq!(c.invalid_lines(45), None);
        assert_eq!(Counts::default().invalid_lines(47), None);
        let huge = Counts {
            high: Some(u32::MAX),
            medium: Some(u32::MAX),
            low: Some(u32::MAX),
        };
        assert_eq!(huge.invalid_lines(u32::MAX), None);
    }

    /// A new session's group is printed for a scanner; a group read from an archive made
    /// before the setting keeps its old ballot.
    #[test]
    fn scan_form_on_for_new_groups_only() {
        assert!(Session::default().groups[0].scan_form);
        assert!(!BallotGroup::default().scan_form);
    }

    /// Adding and removing a criterion keeps every cadre's counts aligned.
    #[test]
    fn criteria_stay_aligned() {
        let mut g = BallotGroup::default();
        let c = g.new_cadre("A", "B");
        g.cadres.push(c);
        g.add_criterion("Đạo đức");
        g.add_criterion("Kỷ luật");
        assert!(g.cadres.iter().all(|c| c.criteria.len() == 2));
        g.cadres[0].criteria[1].high = Some(3);
        g.remove_criterion(0);
        assert_eq!(g.criteria.len(), 1);
        assert_eq!(
            g.cadres[0].criteria,
            vec![Counts {
                high: Some(3),
                ..Counts::default()
            }]
        );
        g.remove_criterion(7);
        assert_eq!(g.criteria.len(), 1);
    }
}
