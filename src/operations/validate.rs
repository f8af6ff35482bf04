//! Validation returns data: every finding has a stable code, a severity, the path of the field
//! it is about and a bilingual message, so that the GUI can show it next to its cell, the CLI
//! can print it, and a test can match it exactly.
//!
//! Codes: `E0xx`/`W0xx` session, `E1xx`/`W1xx` ballot group and voters, `E2xx`/`W2xx` cadres,
//! `E3xx` counts. A code is never reused for another meaning.

use std::collections::HashMap;
use std::fmt;

use serde::Serialize;

use crate::model::{
    BallotGroup, Cadre, CadreField, Counts, FieldPath, GroupField, Level, LogChain, MetaField,
    Question, Session, VoterField, Voters, Who,
};
use crate::rules::BaseKind;
use crate::text::{Lang, Message, clean_name};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks finalising and exporting: the numbers cannot be right.
    Error,
    /// Worth a look; the committee may accept it.
    Warning,
}

/// Every finding validation can report. The code string ([`Code::as_str`]) is stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Code {
    /// E001: the session has no ballot group.
    NoGroups,
    /// E002: the chosen base of percentages is not allowed by the profile.
    BaseNotAllowed,
    /// E003: a text holds a character the documents cannot print (a control or format
    /// character, or one the bundled fonts lack: see [`crate::text::PRINTABLE`]).
    UnprintableText,
    /// E004: a text is longer than any document has room for ([`MAX_TEXT`] characters).
    TextTooLong,
    /// E005: a template of the minutes' wording names no field or leaves a brace open.
    TemplateInvalid,
    /// E006: the audit log was edited outside the app: an entry does not follow the one before
    /// it, or the log up to the finalisation is not the one sealed ([`crate::model::log_fault`]).
    LogEdited,
    /// W001: a field of the minutes' header is empty.
    MetaEmpty,
    /// W002: no counting committee.
    NoCommittee,
    /// W003: a person's name is empty (chair, committee member).
    PersonNameEmpty,
    /// W004: a template of the minutes' wording uses a field that is empty (it would print
    /// as nothing).
    TemplateFieldEmpty,
    /// W005: absences are stated but every group has everyone summoned present.
    AbsencesButNoneAbsent,
    /// E120: the group's figures are not the sum of its teams' sub-totals.
    TeamSumsMismatch,
    /// E121: a team's counts exceed the valid sheets it counted.
    TeamCountsExceedSheets,
    /// E130: a ballot-by-ballot count is under way: fewer (or more) sheets counted than
    /// collected.
    BallotCountUnderway,
    /// E131: scanned sheets wait for the counting committee to decide them.
    ScannedSheetsWaiting,
    /// W101: a ballot group has no name.
    GroupNameEmpty,
    /// E101: a voter figure is not entered.
    VoterFigureMissing,
    /// E102: more present than summoned.
    PresentExceedsSummoned,
    /// E103: more ballots issued than people present.
    IssuedExceedsPresent,
    /// E104: more ballots collected than issued.
    CollectedExceedsIssued,
    /// E105: more void sheets than ballots collected.
    VoidExceedsCollected,
    /// E106: fewer than the quorum present.
    QuorumNotMet,
    /// E107: nobody summoned.
    NothingSummoned,
    /// E108: the group has no cadre at all.
    NoCadres,
    /// E109: the base of percentages is zero.
    BaseZero,
    /// E111: a criterion has no name.
    CriterionNameEmpty,
    /// E112: two criteria of a group share a name.
    DuplicateCriterion,
    /// E113: a cadre's per-criterion counts do not match the group's criteria.
    CriteriaMisaligned,
    /// W102: fewer ballots collected than issued.
    BallotsNotReturned,
    /// W103: fewer ballots issued than people present.
    PresentWithoutBallot,
    /// W105: the profile lets the base be issued or collected, and they differ: the shares
    /// depend on the choice.
    BaseChoiceMatters,
    /// W104: every cadre of the group is exempt.
    AllExempt,
    /// E201: a cadre has no name.
    CadreNameEmpty,
    /// E202: the same cadre (name and position) twice in a group.
    DuplicateCadre,
    /// E203: an exemption without a reason.
    ExemptionReasonEmpty,
    /// W201: a cadre has no position.
    CadrePositionEmpty,
    /// W202: two cadres share a name (with different positions).
    SameName,
    /// W203: an exempt cadre has counts (they are ignored).
    ExemptWithCounts,
    /// W204: two cadres of a group have names that look the same but are spelt with other
    /// letters (Cyrillic "Т" for Latin "T", "Ð" for "Đ"): one person entered twice, or a
    /// name that no search for it will find ([`crate::text::look_alike_keys`]).
    LookAlikeName,
    /// E301: a count is not entered.
    CountMissing,
    /// E302: cao + tín nhiệm + thấp exceeds the valid sheets.
    CountsExceedValidSheets,
    /// E303: one count exceeds the valid sheets.
    CountExceedsValidSheets,
}

impl Code {
    /// The stable code ("E101").
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Code::NoGroups => "E001",
            Code::BaseNotAllowed => "E002",
            Code::UnprintableText => "E003",
            Code::TextTooLong => "E004",
            Code::TemplateInvalid => "E005",
            Code::LogEdited => "E006",
            Code::MetaEmpty => "W001",
            Code::NoCommittee => "W002",
            Code::PersonNameEmpty => "W003",
            Code::TemplateFieldEmpty => "W004",
            Code::AbsencesButNoneAbsent => "W005",
            Code::GroupNameEmpty => "W101",
            Code::VoterFigureMissing => "E101",
            Code::PresentExceedsSummoned => "E102",
            Code::IssuedExceedsPresent => "E103",
            Code::CollectedExceedsIssued => "E104",
            Code::VoidExceedsCollected => "E105",
            Code::QuorumNotMet => "E106",
            Code::NothingSummoned => "E107",
            Code::NoCadres => "E108",
            Code::BaseZero => "E109",
            Code::CriterionNameEmpty => "E111",
            Code::DuplicateCriterion => "E112",
            Code::CriteriaMisaligned => "E113",
            Code::TeamSumsMismatch => "E120",
            Code::TeamCountsExceedSheets => "E121",
            Code::BallotCountUnderway => "E130",
            Code::ScannedSheetsWaiting => "E131",
            Code::BallotsNotReturned => "W102",
            Code::PresentWithoutBallot => "W103",
            Code::BaseChoiceMatters => "W105",
            Code::AllExempt => "W104",
            Code::CadreNameEmpty => "E201",
            Code::DuplicateCadre => "E202",
            Code::ExemptionReasonEmpty => "E203",
            Code::CadrePositionEmpty => "W201",
            Code::SameName => "W202",
            Code::ExemptWithCounts => "W203",
            Code::LookAlikeName => "W204",
            Code::CountMissing => "E301",
            Code::CountsExceedValidSheets => "E302",
            Code::CountExceedsValidSheets => "E303",
        }
    }

    /// The severity is part of the code: `E…` errors, `W…` warnings.
    #[must_use]
    pub fn severity(self) -> Severity {
        if self.as_str().starts_with('E') {
            Severity::Error
        } else {
            Severity::Warning
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding about one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What was found.
    pub code: Code,
    /// Error or warning (follows from the code).
    pub severity: Severity,
    /// The field it is about (machine form e.g. `groups[0].cadres[2].overall.low`).
    pub path: FieldPath,
    /// What it means, in both languages.
    pub message: Message,
}

impl Finding {
    fn new(code: Code, path: FieldPath, message: Message) -> Self {
        Self {
            code,
            severity: code.severity(),
            path,
            message,
        }
    }

    /// One line for a terminal: `"E302 groups[0].cadres[1].overall: …"`.
    #[must_use]
    pub fn line(&self, lang: Lang) -> String {
        format!("{} {}: {}", self.code, self.path, self.message.get(lang))
    }
}

/// All findings about a session, in the order of the session's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Findings(pub Vec<Finding>);

impl Findings {
    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.0.iter().filter(|f| f.severity == Severity::Error)
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.0.iter().filter(|f| f.severity == Severity::Warning)
    }

    /// Whether any error was found.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The findings about `path` or anything under it (for showing them next to a cell).
    pub fn at<'a>(&'a self, path: &'a FieldPath) -> impl Iterator<Item = &'a Finding> + 'a {
        self.0.iter().filter(move |f| f.path.within(path))
    }

    /// Whether the findings include `code`.
    #[must_use]
    pub fn contains(&self, code: Code) -> bool {
        self.0.iter().any(|f| f.code == code)
    }

    fn push(&mut self, code: Code, path: FieldPath, vi: String, en: String) {
        self.0.push(Finding::new(code, path, Message::new(vi, en)));
    }
}

/// A group's field.
fn gp(g: usize, field: GroupField) -> FieldPath {
    FieldPath::Group(g, field)
}

/// A cadre's field: `(group, cadre)`.
fn cp((group, cadre): (usize, usize), field: CadreField) -> FieldPath {
    FieldPath::Cadre {
        group,
        cadre,
        field,
    }
}

/// Validates a whole session.
#[must_use]
pub fn validate(session: &Session) -> Findings {
    validate_with(session, &mut LogChain::default())
}

/// [`validate`], with the audit log's chain checked through `chain`, which remembers what it
/// checked: the app keeps one, so that an edit hashes only the entries it added.
#[must_use]
pub fn validate_with(session: &Session, chain: &mut LogChain) -> Findings {
    let mut out = Findings::default();
    log_checks(session, chain, &mut out);
    session_checks(session, &mut out);
    wording_checks(session, &mut out);
    text_checks(session, &mut out);
    for (g, group) in session.groups.iter().enumerate() {
        group_checks(session, g, group, &mut out);
    }
    out
}

/// The minutes' templates and the proceedings' statements against the figures.
fn wording_checks(session: &Session, out: &mut Findings) {
    use crate::model::{MinutesField, ProceedingsField};
    let w = &session.minutes;
    for (field, template) in [
        (MinutesField::Opening, &w.opening),
        (MinutesField::Closing, &w.closing),
    ] {
        let Some(template) = template else { continue };
        let path = FieldPath::Minutes(field);
        let label = field.label();
        match crate::template::parse(template) {
            Err(e) => out.push(
                Code::TemplateInvalid,
                path,
                format!("{}: {}", label.vi, e.message(Lang::Vi)),
                format!("{}: {}", label.en, e.message(Lang::En)),
            ),
            Ok(_) => {
                for f in crate::template::empty_fields(template, session) {
                    out.push(
                        Code::TemplateFieldEmpty,
                        path,
                        format!(
                            "{}: trường {{{}}} ({}) chưa nhập, sẽ in thành chỗ trống",
                            label.vi,
                            f.name(),
                            f.meaning(Lang::Vi)
                        ),
                        format!(
                            "{}: the field {{{}}} ({}) is empty and would print as nothing",
                            label.en,
                            f.name(),
                            f.meaning(Lang::En)
                        ),
                    );
                }
            }
        }
    }
    // "Vắng mặt: …" beside "vắng mặt: 0" is a contradiction a chair would be asked about.
    let stated = !session.proceedings.absences.trim().is_empty();
    let absent = |g: &crate::model::BallotGroup| match (g.voters.summoned, g.voters.present) {
        (Some(s), Some(p)) => s > p,
        _ => true,
    };
    if stated && !session.groups.is_empty() && !session.groups.iter().any(absent) {
        out.push(
            Code::AbsencesButNoneAbsent,
            FieldPath::Proceedings(ProceedingsField::Absences),
            "Có ghi người vắng mặt nhưng mọi nhóm phiếu đều có mặt đủ số được triệu tập".into(),
            "Absences are stated, but every group has everyone summoned present".into(),
        );
    }
}

/// A log with an entry removed, added or rewritten by hand is not sealed or printed as if
/// intact: the same finding as `verify`'s ([`crate::model::log_fault`]).
fn log_checks(session: &Session, chain: &mut LogChain, out: &mut Findings) {
    if let Some(fault) = chain.fault(&session.audit, &session.status) {
        let m = fault.message();
        out.push(
            Code::LogEdited,
            FieldPath::Session,
            format!(
                "Nhật ký nhập liệu đã bị sửa ngoài ứng dụng ({}): hãy dùng lại tệp sao lưu .bak hoặc tệp gốc",
                m.vi
            ),
            format!(
                "The audit log was edited outside the app ({}): use the .bak backup or the original file",
                m.en
            ),
        );
    }
}

fn session_checks(session: &Session, out: &mut Findings) {
    if session.groups.is_empty() {
        out.push(
            Code::NoGroups,
            FieldPath::Groups,
            "Phiên chưa có nhóm phiếu nào".into(),
            "The session has no ballot group".into(),
        );
    }
    let profile = session.profile.profile();
    if let Some(base) = session.base
        && !profile.bases.contains(&base)
    {
        out.push(
            Code::BaseNotAllowed,
            FieldPath::Base,
            format!(
                "{} không cho phép tính tỉ lệ trên {}",
                profile.name.vi,
                base.label().vi
            ),
            format!(
                "{} does not allow shares over {}",
                profile.name.en,
                base.label().en
            ),
        );
    }
    let m = &session.meta;
    let fields = [
        (
            MetaField::IssuingBody,
            &m.issuing_body,
            "cơ quan ban hành",
            "issuing body",
        ),
        (
            MetaField::Conference,
            &m.conference,
            "tên hội nghị",
            "conference title",
        ),
        (MetaField::Place, &m.place, "địa danh", "place"),
    ];
    for (path, value, vi, en) in fields {
        if value.trim().is_empty() {
            out.push(
                Code::MetaEmpty,
                FieldPath::Meta(path),
                format!("Chưa nhập {vi}"),
                format!("The {en} is empty"),
            );
        }
    }
    if m.date.is_none() {
        out.push(
            Code::MetaEmpty,
            FieldPath::Date,
            "Chưa nhập ngày hội nghị".into(),
            "The conference date is empty".into(),
        );
    }
    if session.chair.name.trim().is_empty() {
        out.push(
            Code::PersonNameEmpty,
            FieldPath::Person {
                who: Who::Chair,
                role: false,
            },
            "Chưa nhập họ tên chủ trì hội nghị".into(),
            "The chair's name is empty".into(),
        );
    }
    if session.committee.is_empty() {
        out.push(
            Code::NoCommittee,
            FieldPath::Committee,
            "Chưa có ban kiểm phiếu".into(),
            "No counting committee".into(),
        );
    }
    for (i, p) in session.committee.iter().enumerate() {
        if p.name.trim().is_empty() {
            out.push(
                Code::PersonNameEmpty,
                FieldPath::Person {
                    who: Who::Committee(i),
                    role: false,
                },
                format!("Thành viên ban kiểm phiếu thứ {} chưa có họ tên", i + 1),
                format!("Counting committee member {} has no name", i + 1),
            );
        }
    }
}

/// The findings about the texts alone (E003, E004): what every document refuses before laying
/// anything out, the ballots too, which are printed before any count is entered.
#[must_use]
pub fn text_findings(session: &Session) -> Findings {
    let mut out = Findings::default();
    text_checks(session, &mut out);
    out
}

/// The longest text one field may hold, in characters: a long conference title or paragraph
/// fits many times over; a name of millions of letters (a damaged or hand-made file) would lay
/// out into thousands of pages.
pub const MAX_TEXT: usize = 5_000;

/// Every text the archive stores, wherever it is (header, people, names, reasons, the log), is
/// one the documents can print: found by walking the session as the archive writes it, so that
/// a field added later is checked too.
fn text_checks(session: &Session, out: &mut Findings) {
    fn walk(v: &serde_json::Value, path: &mut String, out: &mut Findings) {
        match v {
            serde_json::Value::String(text) => {
                let len = text.chars().count();
                if len > MAX_TEXT {
                    let field = if path.is_empty() { "." } else { path.as_str() };
                    out.push(
                        Code::TextTooLong,
                        FieldPath::enclosing(field),
                        format!("Dài {len} ký tự, quá giới hạn {MAX_TEXT} ký tự của một mục"),
                        format!(
                            "{len} characters long, over the limit of {MAX_TEXT} for one field"
                        ),
                    );
                }
                if let Some((at, ch)) = crate::text::first_unprintable(text) {
                    let what = crate::text::describe_char(ch);
                    let field = if path.is_empty() { "." } else { path.as_str() };
                    out.push(
                        Code::UnprintableText,
                        FieldPath::enclosing(field),
                        format!(
                            "Ký tự {} ở vị trí {at} không in được trên biên bản: hãy xóa hoặc gõ lại",
                            what.vi
                        ),
                        format!(
                            "Character {} at position {at} cannot be printed in the minutes: delete or retype it",
                            what.en
                        ),
                    );
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    walk(item, path, out);
                    path.truncate(len);
                }
            }
            serde_json::Value::Object(fields) => {
                for (key, item) in fields {
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                    walk(item, path, out);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    // The audit log is not checked: it records old values faithfully, also the unprintable
    // one a user just fixed, and can never be edited; the log annex shows such characters as
    // their code instead. It is not even serialised: a session typed in by hand has thousands
    // of entries, and this runs after every edit (45 ms for 6,000, `cargo bench --bench core`).
    // The pattern names every field, so that a field added to `Session` must be added here.
    let Session {
        format_version,
        meta,
        profile,
        base,
        chair,
        secretary,
        proceedings,
        minutes,
        committee,
        groups,
        team,
        team_id,
        double_entry,
        status,
        audit: _,
    } = session;
    let mut fields = serde_json::Map::new();
    let mut put = |name: &str, value: serde_json::Result<serde_json::Value>| {
        // Every field serialises (the archive writes them the same way).
        if let Ok(value) = value {
            fields.insert(name.to_owned(), value);
        }
    };
    put("format_version", serde_json::to_value(format_version));
    put("meta", serde_json::to_value(meta));
    put("profile", serde_json::to_value(profile));
    put("base", serde_json::to_value(base));
    put("chair", serde_json::to_value(chair));
    put("secretary", serde_json::to_value(secretary));
    put("proceedings", serde_json::to_value(proceedings));
    put("minutes", serde_json::to_value(minutes));
    put("committee", serde_json::to_value(committee));
    put("groups", serde_json::to_value(groups));
    put("team", serde_json::to_value(team));
    put("team_id", serde_json::to_value(team_id));
    put("double_entry", serde_json::to_value(double_entry));
    put("status", serde_json::to_value(status));
    walk(&serde_json::Value::Object(fields), &mut String::new(), out);
}

fn group_checks(session: &Session, g: usize, group: &BallotGroup, out: &mut Findings) {
    if group.name.trim().is_empty() {
        out.push(
            Code::GroupNameEmpty,
            gp(g, GroupField::Name),
            format!("Nhóm phiếu {} chưa có tên", g + 1),
            format!("Ballot group {} has no name", g + 1),
        );
    }
    voter_checks(session, g, &group.voters, out);
    if let Some(sheets) = group.ballot_count
        && group.voters.collected != Some(sheets)
    {
        let collected = group
            .voters
            .collected
            .map_or_else(|| "?".to_owned(), |n| n.to_string());
        out.push(
            Code::BallotCountUnderway,
            gp(g, GroupField::BallotCount),
            format!(
                "Đang đếm từng phiếu: {sheets}/{collected} tờ. Đếm hết số phiếu thu về, hoặc kết thúc đếm sớm (ghi lý do) rồi nhập số liệu theo giấy"
            ),
            format!(
                "Ballot-by-ballot count under way: {sheets}/{collected} sheets. Count every collected sheet, or end the count early (with a reason) and type the figures from the paper"
            ),
        );
    }
    let waiting = group.scan.waiting.len();
    if waiting > 0 {
        out.push(
            Code::ScannedSheetsWaiting,
            gp(g, GroupField::Scan),
            format!(
                "{waiting} phiếu quét chờ Ban kiểm phiếu quyết định: xem và quyết định từng dòng chưa rõ"
            ),
            format!(
                "{waiting} scanned sheets wait for the counting committee: review and decide each unclear line"
            ),
        );
    }
    criteria_checks(g, group, out);
    if group.cadres.is_empty() {
        out.push(
            Code::NoCadres,
            gp(g, GroupField::Cadres),
            "Nhóm phiếu chưa có cán bộ nào được lấy phiếu".into(),
            "The ballot group has no cadre".into(),
        );
    } else if group.cadres.iter().all(|c| c.exemption.is_some()) {
        out.push(
            Code::AllExempt,
            gp(g, GroupField::Cadres),
            "Mọi cán bộ của nhóm đều thuộc diện không lấy phiếu".into(),
            "Every cadre of the group is exempt".into(),
        );
    }
    team_checks(g, group, out);
    cadre_identity_checks(g, group, out);
    look_alike_checks(g, group, out);
    let valid = group.voters.valid_sheets();
    for (i, cadre) in group.cadres.iter().enumerate() {
        let cat = (g, i);
        cadre_count_checks(cat, group, cadre, valid, out);
    }
}

/// The reconciliation chain (domain.md §3): summoned ≥ present ≥ issued ≥ collected ≥ valid.
fn voter_checks(session: &Session, g: usize, v: &Voters, out: &mut Findings) {
    let figures = [
        (
            VoterField::Summoned,
            v.summoned,
            "số người được triệu tập",
            "the number summoned",
        ),
        (
            VoterField::Present,
            v.present,
            "số người có mặt",
            "the number present",
        ),
        (
            VoterField::Issued,
            v.issued,
            "số phiếu phát ra",
            "ballots issued",
        ),
        (
            VoterField::Collected,
            v.collected,
            "số phiếu thu về",
            "ballots collected",
        ),
        (
            VoterField::VoidSheets,
            v.void_sheets,
            "số phiếu không hợp lệ (cả tờ)",
            "void sheets",
        ),
    ];
    for (field, value, vi, en) in figures {
        if value.is_none() {
            out.push(
                Code::VoterFigureMissing,
                gp(g, GroupField::Voters(field)),
                format!("Chưa nhập {vi}"),
                format!("{} not entered", capitalise(en)),
            );
        }
    }
    let pairs = [
        (
            Code::PresentExceedsSummoned,
            VoterField::Present,
            v.present,
            v.summoned,
            "Số có mặt ({a}) lớn hơn số được triệu tập ({b})",
            "Present ({a}) exceeds summoned ({b})",
        ),
        (
            Code::IssuedExceedsPresent,
            VoterField::Issued,
            v.issued,
            v.present,
            "Số phiếu phát ra ({a}) lớn hơn số người có mặt ({b})",
            "Ballots issued ({a}) exceed those present ({b})",
        ),
        (
            Code::CollectedExceedsIssued,
            VoterField::Collected,
            v.collected,
            v.issued,
            "Số phiếu thu về ({a}) lớn hơn số phiếu phát ra ({b})",
            "Ballots collected ({a}) exceed ballots issued ({b})",
        ),
        (
            Code::VoidExceedsCollected,
            VoterField::VoidSheets,
            v.void_sheets,
            v.collected,
            "Số phiếu không hợp lệ ({a}) lớn hơn số phiếu thu về ({b})",
            "Void sheets ({a}) exceed ballots collected ({b})",
        ),
    ];
    for (code, field, a, b, vi, en) in pairs {
        if let (Some(a), Some(b)) = (a, b)
            && a > b
        {
            out.push(
                code,
                gp(g, GroupField::Voters(field)),
                fill(vi, a, b),
                fill(en, a, b),
            );
        }
    }
    quorum_and_base_checks(session, g, v, out);
}

/// The quorum, a zero base, and ballots that went missing between the links of the chain.
fn quorum_and_base_checks(session: &Session, g: usize, v: &Voters, out: &mut Findings) {
    if v.summoned == Some(0) {
        out.push(
            Code::NothingSummoned,
            gp(g, GroupField::Voters(VoterField::Summoned)),
            "Số người được triệu tập bằng 0".into(),
            "Nobody is summoned".into(),
        );
    }
    let profile = session.profile.profile();
    if let (Some(present), Some(summoned)) = (v.present, v.summoned)
        && summoned > 0
        && present <= summoned
        && !profile.quorum.met(present, summoned)
    {
        let t = profile.quorum.bound;
        out.push(
            Code::QuorumNotMet,
            gp(g, GroupField::Voters(VoterField::Present)),
            format!(
                "Không đủ số lượng: {present}/{summoned} có mặt, cần từ {}/{} trở lên",
                t.num, t.den
            ),
            format!(
                "No quorum: {present} of {summoned} present, at least {}/{} required",
                t.num, t.den
            ),
        );
    }
    let base = session.effective_base();
    if v.figure(base) == Some(0) {
        out.push(
            Code::BaseZero,
            gp(g, GroupField::Voters(base_field(base))),
            format!("Không tính được tỉ lệ: {} bằng 0", base.label().vi),
            format!("No shares can be computed: {} is 0", base.label().en),
        );
    }
    if let (Some(collected), Some(issued)) = (v.collected, v.issued)
        && collected < issued
    {
        out.push(
            Code::BallotsNotReturned,
            gp(g, GroupField::Voters(VoterField::Collected)),
            format!("{} phiếu phát ra chưa được thu về", issued - collected),
            format!("{} issued ballots were not collected", issued - collected),
        );
    }
    // NQ 96/2023 says "tổng số phiếu": issued or collected. Where they differ the choice
    // changes every share, and perhaps a band.
    if let (Some(collected), Some(issued)) = (v.collected, v.issued)
        && collected != issued
        && [BaseKind::Issued, BaseKind::Collected]
            .iter()
            .all(|b| session.profile.profile().bases.contains(b))
    {
        let other = if base == BaseKind::Issued {
            BaseKind::Collected
        } else {
            BaseKind::Issued
        };
        out.push(
            Code::BaseChoiceMatters,
            FieldPath::Base,
            format!(
                "Số phiếu phát ra ({issued}) khác số phiếu thu về ({collected}): tỉ lệ đang tính trên {}; văn bản chỉ nói \"tổng số phiếu\", nếu tính trên {} kết quả sẽ khác",
                base.label().vi,
                other.label().vi
            ),
            format!(
                "Ballots issued ({issued}) differ from those collected ({collected}): shares are over {}; the text says only \"all ballots\", and over {} the results differ",
                base.label().en,
                other.label().en
            ),
        );
    }
    if let (Some(issued), Some(present)) = (v.issued, v.present)
        && issued < present
    {
        out.push(
            Code::PresentWithoutBallot,
            gp(g, GroupField::Voters(VoterField::Issued)),
            format!("{} người có mặt không nhận phiếu", present - issued),
            format!("{} people present received no ballot", present - issued),
        );
    }
}

fn base_field(base: crate::rules::BaseKind) -> VoterField {
    match base {
        crate::rules::BaseKind::Collected => VoterField::Collected,
        crate::rules::BaseKind::Issued => VoterField::Issued,
        crate::rules::BaseKind::Summoned => VoterField::Summoned,
    }
}

/// Counting teams: each team's counts within its own valid sheets, and the group's figures
/// equal to the teams' sums.
fn team_checks(g: usize, group: &BallotGroup, out: &mut Findings) {
    for (t, team) in group.teams.iter().enumerate() {
        let Some(valid) = team.valid_sheets() else {
            continue;
        };
        let over = team
            .cadres
            .iter()
            .flatten()
            .any(|c| c.sum().is_some_and(|s| s > u64::from(valid)));
        if over {
            out.push(
                Code::TeamCountsExceedSheets,
                gp(g, GroupField::Team(t)),
                format!(
                    "Số phiếu của tổ {} vượt quá số phiếu hợp lệ tổ đã kiểm ({valid})",
                    team.team
                ),
                format!(
                    "Team {}'s counts exceed the valid sheets it counted ({valid})",
                    team.team
                ),
            );
        }
    }
    if !group.matches_team_sums() {
        out.push(
            Code::TeamSumsMismatch,
            gp(g, GroupField::Teams),
            "Số liệu của nhóm phiếu khác tổng số liệu các tổ kiểm phiếu".into(),
            "The group's figures differ from the sum of its counting teams".into(),
        );
    }
}

fn criteria_checks(g: usize, group: &BallotGroup, out: &mut Findings) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (k, c) in group.criteria.iter().enumerate() {
        let key = clean_name(&c.name).to_lowercase();
        if key.is_empty() {
            out.push(
                Code::CriterionNameEmpty,
                gp(g, GroupField::Criterion(k)),
                format!("Tiêu chí {} chưa có tên", k + 1),
                format!("Criterion {} has no name", k + 1),
            );
        } else if let Some(first) = seen.insert(key, k) {
            out.push(
                Code::DuplicateCriterion,
                gp(g, GroupField::Criterion(k)),
                format!("Tiêu chí {} trùng tên với tiêu chí {}", k + 1, first + 1),
                format!(
                    "Criterion {} has the same name as criterion {}",
                    k + 1,
                    first + 1
                ),
            );
        }
    }
}

fn cadre_identity_checks(g: usize, group: &BallotGroup, out: &mut Findings) {
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, c) in group.cadres.iter().enumerate() {
        let cat = (g, i);
        let name = clean_name(&c.name).to_lowercase();
        if name.is_empty() {
            out.push(
                Code::CadreNameEmpty,
                cp(cat, CadreField::Name),
                format!("Cán bộ thứ {} chưa có họ tên", i + 1),
                format!("Cadre {} has no name", i + 1),
            );
            continue;
        }
        if c.position.trim().is_empty() {
            out.push(
                Code::CadrePositionEmpty,
                cp(cat, CadreField::Position),
                format!("Cán bộ {} chưa có chức vụ", c.name),
                format!("Cadre {} has no position", c.name),
            );
        }
        if let Some(reason) = &c.exemption
            && reason.trim().is_empty()
        {
            out.push(
                Code::ExemptionReasonEmpty,
                cp(cat, CadreField::Exemption),
                format!("Cán bộ {} không lấy phiếu nhưng chưa ghi lý do", c.name),
                format!("Cadre {} is exempt without a reason", c.name),
            );
        }
        let position = clean_name(&c.position).to_lowercase();
        let earlier = by_name.entry(name).or_default();
        if let Some(&j) = earlier
            .iter()
            .find(|&&j| clean_name(&group.cadres[j].position).to_lowercase() == position)
        {
            out.push(
                Code::DuplicateCadre,
                cp(cat, CadreField::Name),
                format!("Cán bộ {} trùng với cán bộ thứ {}", c.name, j + 1),
                format!("Cadre {} duplicates cadre {}", c.name, j + 1),
            );
        } else if let Some(&j) = earlier.first() {
            out.push(
                Code::SameName,
                cp(cat, CadreField::Name),
                format!(
                    "Cán bộ {} trùng họ tên với cán bộ thứ {} (khác chức vụ): kiểm tra lại",
                    c.name,
                    j + 1
                ),
                format!(
                    "Cadre {} has the same name as cadre {} (another position): please check",
                    c.name,
                    j + 1
                ),
            );
        }
        earlier.push(i);
    }
}

/// Names of a group that look the same and are not the same name (W204): each cadre against
/// the first earlier one whose name shares a key ([`crate::text::look_alike_keys`]), differs
/// other than by case (a name equal but for case is W202 or E202 already), and one of the two
/// has a letter from outside Vietnamese writing ([`crate::text::is_vietnamese`]). Two names in
/// Vietnamese letters only are never look-alikes: the table's Latin pairs ("I" and "l", "rn"
/// and "m", "0" and "O") are not how a Vietnamese name goes wrong, and the check then costs
/// nothing but a look at each letter, where two skeletons a name doubled validation
/// (docs/speed-and-size.md).
fn look_alike_checks(g: usize, group: &BallotGroup, out: &mut Findings) {
    use crate::text::{LookAlikeKeys, is_vietnamese, look_alike_letters, script_name};
    // A look-alike needs a letter from outside Vietnamese writing: a group whose names are all
    // written in it (nearly every group) costs one look at each letter.
    let foreign: Vec<bool> = group
        .cadres
        .iter()
        .map(|c| !c.name.chars().all(is_vietnamese))
        .collect();
    if !foreign.contains(&true) {
        return;
    }
    let mut seen: HashMap<String, Vec<usize>> = HashMap::new();
    let mut skeletons = LookAlikeKeys::default();
    let lower: Vec<String> = group
        .cadres
        .iter()
        .map(|c| clean_name(&c.name).to_lowercase())
        .collect();
    for (i, c) in group.cadres.iter().enumerate() {
        if lower[i].is_empty() {
            continue;
        }
        let [written, upper] = skeletons.keys(&c.name);
        // The two keys apart: one name's upper-case skeleton is no other's as written.
        let keys = [written, format!("\u{0}{upper}")];
        let earlier = keys
            .iter()
            .filter_map(|k| seen.get(k))
            .flatten()
            .copied()
            .filter(|&j| lower[j] != lower[i] && (foreign[i] || foreign[j]))
            .min();
        for key in keys {
            seen.entry(key).or_default().push(i);
        }
        let Some(j) = earlier else { continue };
        let other = &group.cadres[j].name;
        let letters = look_alike_letters(&c.name, other);
        let describe = |lang: Lang| {
            let glyph = |s: &str| {
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(ch), None) => format!(
                        "“{s}” (U+{:04X}, {})",
                        u32::from(ch),
                        script_name(ch).get(lang)
                    ),
                    _ => format!("“{s}”"),
                }
            };
            let like = match lang {
                Lang::Vi => "trông giống",
                Lang::En => "looks like",
            };
            letters
                .iter()
                .map(|(x, y)| format!("{} {like} {}", glyph(x), glyph(y)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push(
            Code::LookAlikeName,
            cp((g, i), CadreField::Name),
            format!(
                "Họ tên cán bộ {} trông giống cán bộ thứ {} ({other}) nhưng viết bằng chữ khác: {}. Có thể là một người được nhập hai lần, hoặc gõ lẫn bảng chữ khác: kiểm tra lại",
                c.name,
                j + 1,
                describe(Lang::Vi)
            ),
            format!(
                "Cadre {} looks like cadre {} ({other}) but is written with other letters: {}. It may be one person entered twice, or typed with another alphabet's letters: please check",
                c.name,
                j + 1,
                describe(Lang::En)
            ),
        );
    }
}

fn cadre_count_checks(
    cat: (usize, usize),
    group: &BallotGroup,
    cadre: &Cadre,
    valid: Option<u32>,
    out: &mut Findings,
) {
    if cadre.criteria.len() != group.criteria.len() {
        out.push(
            Code::CriteriaMisaligned,
            cp(cat, CadreField::Criteria),
            format!(
                "Cán bộ {} có {} cột tiêu chí, nhóm phiếu có {} tiêu chí",
                cadre.name,
                cadre.criteria.len(),
                group.criteria.len()
            ),
            format!(
                "Cadre {} has {} criterion counts, the group has {} criteria",
                cadre.name,
                cadre.criteria.len(),
                group.criteria.len()
            ),
        );
    }
    let questions = std::iter::once((Question::Overall, &cadre.overall)).chain(
        cadre
            .criteria
            .iter()
            .enumerate()
            .map(|(k, c)| (Question::Criterion(k), c)),
    );
    if cadre.exemption.is_some() {
        if !cadre.overall.is_empty() || cadre.criteria.iter().any(|c| !c.is_empty()) {
            out.push(
                Code::ExemptWithCounts,
                cp(cat, CadreField::Question(Question::Overall)),
                format!(
                    "Cán bộ {} không lấy phiếu nhưng có số phiếu: số này không được tính",
                    cadre.name
                ),
                format!(
                    "Cadre {} is exempt but has counts: they are not tallied",
                    cadre.name
                ),
            );
        }
        return;
    }
    for (question, counts) in questions {
        counts_checks((cat, question), &cadre.name, counts, valid, out);
    }
}

/// For each cadre and question: every count entered, none above the valid sheets, and
/// cao + tín nhiệm + thấp ≤ valid sheets (the rest are invalid lines).
fn counts_checks(
    (cat, question): ((usize, usize), Question),
    name: &str,
    counts: &Counts,
    valid: Option<u32>,
    out: &mut Findings,
) {
    for level in Level::ALL {
        let path = cp(cat, CadreField::Count(question, level));
        match (counts.get(level), valid) {
            (None, _) => out.push(
                Code::CountMissing,
                path,
                format!("Chưa nhập số \"{}\" của {name}", level.label().vi),
                format!("\"{}\" of {name} not entered", level.label().en),
            ),
            (Some(n), Some(valid)) if n > valid => out.push(
                Code::CountExceedsValidSheets,
                path,
                format!(
                    "Số \"{}\" của {name} ({n}) lớn hơn số phiếu hợp lệ ({valid})",
                    level.label().vi
                ),
                format!(
                    "\"{}\" of {name} ({n}) exceeds the valid sheets ({valid})",
                    level.label().en
                ),
            ),
            _ => {}
        }
    }
    if let (Some(sum), Some(valid)) = (counts.sum(), valid)
        && sum > u64::from(valid)
    {
        out.push(
            Code::CountsExceedValidSheets,
            cp(cat, CadreField::Question(question)),
            format!("Tổng số phiếu của {name} ({sum}) lớn hơn số phiếu hợp lệ ({valid})"),
            format!("The counts of {name} add up to {sum}, more than the valid sheets ({valid})"),
        );
    }
}

fn fill(template: &str, a: u32, b: u32) -> String {
    template
        .replace("{a}", &a.to_string())
        .replace("{b}", &b.to_string())
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;
    use crate::model::Person;

    fn session() -> Session {
        let mut s = Session::default();
        s.meta.issuing_body = "Chi bộ 1".into();
        s.meta.conference = "Hội nghị chi bộ".into();
        s.meta.place = "Hà Nội".into();
        s.meta.date = crate::model::Date::new(2023, 12, 15);
        s.chair.name = "Lê Văn Chủ".into();
        s.committee.push(Person {
            name: "Phạm Thị Kiểm".into(),
            role: "Trưởng ban".into(),
        });
        let g = &mut s.groups[0];
        g.name = "Chi ủy".into();
        g.voters = Voters {
            summoned: Some(7),
            present: Some(7),
            issued: Some(7),
            collected: Some(7),
            void_sheets: Some(0),
        };
        let mut c = g.new_cadre("Nguyễn Văn An", "Bí thư");
        c.overall = Counts {
            high: Some(5),
            medium: Some(1),
            low: Some(1),
        };
        g.cadres.push(c);
        s
    }

    /// A clean session has no finding at all.
    #[test]
    fn clean_session_is_clean() {
        assert_eq!(validate(&session()).0, vec![]);
    }

    /// NQ 96/2023 lets the base be issued or collected: where they differ, a warning says the
    /// choice matters; a party profile (one base) never warns.
    #[test]
    fn base_choice_matters_under_nq96() {
        let mut s = session();
        s.profile = crate::rules::ProfileId::Nq96_2023;
        assert!(!validate(&s).contains(Code::BaseChoiceMatters));
        s.groups[0].voters.collected = s.groups[0].voters.issued.map(|n| n - 1);
        let f = validate(&s);
        let w: Vec<_> =
            f.0.iter()
                .filter(|x| x.code == Code::BaseChoiceMatters)
                .collect();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].severity, Severity::Warning);
        assert!(
            w[0].message.vi.contains("tổng số phiếu"),
            "{}",
            w[0].message.vi
        );
        s.profile = crate::rules::ProfileId::Qd96;
        assert!(!validate(&s).contains(Code::BaseChoiceMatters));
    }

    /// Every finding's field reads back from its machine form (the JSON and CLI print it) to
    /// the same value, over a session broken in every way at once.
    #[test]
    fn finding_paths_round_trip() {
        let mut s = session();
        s.meta = crate::model::DocumentMeta::default();
        s.chair.name.clear();
        s.committee.push(crate::model::Person::default());
        s.committee.push(crate::model::Person::default());
        let g = &mut s.groups[0];
        g.name.clear();
        g.ballot_count = Some(1);
        g.add_criterion("");
        g.add_criterion("");
        g.cadres[0].overall.low = Some(99);
        g.cadres[0].overall.high = None;
        g.cadres.push(g.cadres[0].clone());
        g.cadres[1].name = "x\u{200b}".into();
        g.cadres[1].criteria.clear();
        let f = validate(&s);
        assert!(f.0.len() > 10, "{f:?}");
        for x in &f.0 {
            let text = x.path.to_string();
            assert_eq!(FieldPath::parse(&text), Some(x.path), "{text}");
        }
    }

    /// Counts over the valid sheets: E303 on the field, E302 on the question.
    #[test]
    fn counts_over_valid_sheets() {
        let mut s = session();
        s.groups[0].cadres[0].overall.low = Some(8);
        let f = validate(&s);
        let codes: Vec<_> =
            f.0.iter()
                .map(|f| (f.code.as_str(), f.path.to_string()))
                .collect::<Vec<_>>();
        let codes: Vec<(&str, &str)> = codes.iter().map(|(c, p)| (*c, p.as_str())).collect();
        assert_eq!(
            codes,
            vec![
                ("E303", "groups[0].cadres[0].overall.low"),
                ("E302", "groups[0].cadres[0].overall"),
            ]
        );
        assert_eq!(
            f.at(&FieldPath::parse("groups[0].cadres[0].overall").unwrap())
                .count(),
            2
        );
        assert_eq!(
            f.at(&FieldPath::parse("groups[0].cadres[0].overall.high").unwrap())
                .count(),
            0
        );
    }

    /// The chain summoned ≥ present ≥ issued ≥ collected ≥ valid, each link with its code.
    #[test]
    fn reconciliation_chain() {
        let mut s = session();
        s.groups[0].voters = Voters {
            summoned: Some(7),
            present: Some(8),
            issued: Some(9),
            collected: Some(10),
            void_sheets: Some(11),
        };
        let f = validate(&s);
        for code in ["E102", "E103", "E104", "E105"] {
            assert!(f.0.iter().any(|x| x.code.as_str() == code), "{code}");
        }
    }

    /// Quorum: 4 of 7 is below 2/3 (3·4 = 12 < 14); 5 of 7 meets it.
    #[test]
    fn quorum() {
        let mut s = session();
        s.groups[0].voters.present = Some(4);
        s.groups[0].voters.issued = Some(4);
        s.groups[0].voters.collected = Some(4);
        s.groups[0].cadres[0].overall.high = Some(2);
        assert!(validate(&s).contains(Code::QuorumNotMet));
        s.groups[0].voters.present = Some(5);
        assert!(!validate(&s).contains(Code::QuorumNotMet));
    }

    /// Duplicates: same name and position is an error; same name alone a warning; NFD and
    /// extra spaces do not hide a duplicate.
    #[test]
    fn duplicates() {
        use unicode_normalization::UnicodeNormalization;
        let mut s = session();
        let g = &mut s.groups[0];
        let nfd: String = "Nguyễn  Văn An".nfd().collect();
        let mut dup = g.new_cadre("x", "Bí thư");
        dup.name = nfd;
        dup.overall = g.cadres[0].overall;
        g.cadres.push(dup);
        let mut same = g.new_cadre("Nguyễn Văn An", "Phó Bí thư");
        same.overall = g.cadres[0].overall;
        g.cadres.push(same);
        let f = validate(&s);
        assert!(
            f.0.iter().any(|x| x.code == Code::DuplicateCadre
                && x.path.to_string() == "groups[0].cadres[1].name")
        );
        assert!(
            f.0.iter()
                .any(|x| x.code == Code::SameName
                    && x.path.to_string() == "groups[0].cadres[2].name")
        );
    }

    /// An exempt cadre with counts is a warning, and missing counts are not asked of it.
    #[test]
    fn exempt_cadres() {
        let mut s = session();
        s.groups[0].cadres[0].exemption = Some("Có thông báo nghỉ hưu".into());
        let f = validate(&s);
        assert!(f.contains(Code::ExemptWithCounts));
        assert!(f.contains(Code::AllExempt));
        assert!(!f.has_errors());
        s.groups[0].cadres[0].overall = Counts::default();
        s.groups[0].cadres[0].exemption = Some(" ".into());
        let f = validate(&s);
        assert!(f.contains(Code::ExemptionReasonEmpty));
        assert!(!f.contains(Code::CountMissing));
    }

    /// Empty is not zero: a missing count is E301, a zero count is fine.
    #[test]
    fn missing_counts() {
        let mut s = session();
        s.groups[0].cadres[0].overall.medium = None;
        let f = validate(&s);
        assert_eq!(f.0.len(), 1);
        assert_eq!(f.0[0].code, Code::CountMissing);
        assert_eq!(
            f.0[0].path.to_string(),
            "groups[0].cadres[0].overall.medium"
        );
    }

    /// Every code string is unique and its letter matches its severity.
    #[test]
    fn codes_unique() {
        let all = [
            Code::NoGroups,
            Code::BaseNotAllowed,
            Code::MetaEmpty,
            Code::NoCommittee,
            Code::PersonNameEmpty,
            Code::GroupNameEmpty,
            Code::VoterFigureMissing,
            Code::PresentExceedsSummoned,
            Code::IssuedExceedsPresent,
            Code::CollectedExceedsIssued,
            Code::VoidExceedsCollected,
            Code::QuorumNotMet,
            Code::NothingSummoned,
            Code::NoCadres,
            Code::BaseZero,
            Code::CriterionNameEmpty,
            Code::DuplicateCriterion,
            Code::CriteriaMisaligned,
            Code::TeamSumsMismatch,
            Code::TeamCountsExceedSheets,
            Code::BallotsNotReturned,
            Code::PresentWithoutBallot,
            Code::AllExempt,
            Code::CadreNameEmpty,
            Code::DuplicateCadre,
            Code::ExemptionReasonEmpty,
            Code::CadrePositionEmpty,
            Code::SameName,
            Code::ExemptWithCounts,
            Code::LookAlikeName,
            Code::CountMissing,
            Code::CountsExceedValidSheets,
            Code::CountExceedsValidSheets,
        ];
        let set: std::collections::HashSet<_> = all.iter().map(|c| c.as_str()).collect();
        assert_eq!(set.len(), all.len());
    }
}
