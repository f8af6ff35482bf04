//! The place of a field in a session, typed: one value with two renderings. The machine form
//! ("groups[0].cadres[2].overall.low") is what the archive's log, validation's JSON and the CLI
//! print; the human form ("Đỗ Hữu Nghĩa — Tín nhiệm thấp") is what a secretary reads on the
//! screen and in the minutes' log annex. The app and the core pass the value itself; only a
//! stored log (and the walk over every stored text) is read back from the machine form.
//!
//! The field enums here ([`MetaField`], [`VoterField`], [`Who`], [`Question`]) are the one
//! definition of each field's name, label and place: edits, validation, the log and the app's
//! labels all use them.

use std::fmt;

use serde::{Serialize, Serializer};

use super::counts::{Counts, Level};
use super::{Cadre, DocumentMeta, Person, Session, Voters};
use crate::text::{Lang, Message, Tr};

/// A text field of the minutes' header (the date has its own type: [`FieldPath::Date`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetaField {
    /// Cơ quan cấp trên.
    SuperiorBody,
    /// Cơ quan ban hành.
    IssuingBody,
    /// Số biên bản.
    DocumentNumber,
    /// Tên hội nghị.
    Conference,
    /// Địa danh.
    Place,
    /// Địa điểm họp.
    Venue,
    /// Giờ bắt đầu kiểm phiếu.
    Time,
}

impl MetaField {
    /// Every field, in the order of the form.
    pub const ALL: [MetaField; 7] = [
        MetaField::SuperiorBody,
        MetaField::IssuingBody,
        MetaField::DocumentNumber,
        MetaField::Conference,
        MetaField::Place,
        MetaField::Venue,
        MetaField::Time,
    ];

    /// The field's name in archives and paths.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            MetaField::SuperiorBody => "superior_body",
            MetaField::IssuingBody => "issuing_body",
            MetaField::DocumentNumber => "document_number",
            MetaField::Conference => "conference",
            MetaField::Place => "place",
            MetaField::Venue => "venue",
            MetaField::Time => "time",
        }
    }

    /// The field's label, on the form and in the log.
    #[must_use]
    pub fn label(self) -> Tr {
        match self {
            MetaField::SuperiorBody => Tr::new("Cơ quan cấp trên", "Superior body"),
            MetaField::IssuingBody => Tr::new("Cơ quan ban hành", "Issuing body"),
            MetaField::DocumentNumber => Tr::new("Số biên bản", "Document number"),
            MetaField::Conference => Tr::new("Tên hội nghị", "Conference"),
            MetaField::Place => Tr::new("Địa danh", "Place"),
            MetaField::Venue => Tr::new("Địa điểm họp", "Venue"),
            MetaField::Time => Tr::new("Giờ bắt đầu kiểm phiếu", "Time the count began"),
        }
    }

    /// The field's value in `meta`.
    #[must_use]
    pub fn get(self, meta: &DocumentMeta) -> &str {
        match self {
            MetaField::SuperiorBody => &meta.superior_body,
            MetaField::IssuingBody => &meta.issuing_body,
            MetaField::DocumentNumber => &meta.document_number,
            MetaField::Conference => &meta.conference,
            MetaField::Place => &meta.place,
            MetaField::Venue => &meta.venue,
            MetaField::Time => &meta.time,
        }
    }

    /// The field's value in `meta`, to change it.
    pub fn get_mut(self, meta: &mut DocumentMeta) -> &mut String {
        match self {
            MetaField::SuperiorBody => &mut meta.superior_body,
            MetaField::IssuingBody => &mut meta.issuing_body,
            MetaField::DocumentNumber => &mut meta.document_number,
            MetaField::Conference => &mut meta.conference,
            MetaField::Place => &mut meta.place,
            MetaField::Venue => &mut meta.venue,
            MetaField::Time => &mut meta.time,
        }
    }
}

/// A voters' figure of a ballot group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VoterField {
    /// Số được triệu tập.
    Summoned,
    /// Số có mặt.
    Present,
    /// Số phiếu phát ra.
    Issued,
    /// Số phiếu thu về.
    Collected,
    /// Số phiếu không hợp lệ (cả tờ).
    VoidSheets,
}

impl VoterField {
    /// Every figure, in the order of the reconciliation chain.
    pub const ALL: [VoterField; 5] = [
        VoterField::Summoned,
        VoterField::Present,
        VoterField::Issued,
        VoterField::Collected,
        VoterField::VoidSheets,
    ];

    /// The field's name in archives and paths.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            VoterField::Summoned => "summoned",
            VoterField::Present => "present",
            VoterField::Issued => "issued",
            VoterField::Collected => "collected",
            VoterField::VoidSheets => "void_sheets",
        }
    }

    /// The figure's label, on the form and in the log.
    #[must_use]
    pub fn label(self) -> Tr {
        match self {
            VoterField::Summoned => Tr::new("Số được triệu tập", "Summoned"),
            VoterField::Present => Tr::new("Số có mặt", "Present"),
            VoterField::Issued => Tr::new("Số phiếu phát ra", "Ballots issued"),
            VoterField::Collected => Tr::new("Số phiếu thu về", "Ballots collected"),
            VoterField::VoidSheets => Tr::new("Số phiếu không hợp lệ (cả tờ)", "Void sheets"),
        }
    }

    /// The figure in `voters`.
    #[must_use]
    pub fn get(self, voters: &Voters) -> Option<u32> {
        match self {
            VoterField::Summoned => voters.summoned,
            VoterField::Present => voters.present,
            VoterField::Issued => voters.issued,
            VoterField::Collected => voters.collected,
            VoterField::VoidSheets => voters.void_sheets,
        }
    }

    /// The figure in `voters`, to change it.
    pub fn get_mut(self, voters: &mut Voters) -> &mut Option<u32> {
        match self {
            VoterField::Summoned => &mut voters.summoned,
            VoterField::Present => &mut voters.present,
            VoterField::Issued => &mut voters.issued,
            VoterField::Collected => &mut voters.collected,
            VoterField::VoidSheets => &mut voters.void_sheets,
        }
    }
}

/// A part of the proceedings ([`super::Proceedings`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProceedingsField {
    /// How the committee was chosen.
    CommitteeChosen,
    /// When the count ended.
    CountEnded,
    /// Who was absent and why.
    Absences,
    /// To whom the sealed ballots went.
    SealedTo,
    /// Complaints and remarks.
    Remarks,
    /// The number of copies.
    Copies,
}

impl ProceedingsField {
    /// Every part, in the order of the form.
    pub const ALL: [ProceedingsField; 6] = [
        ProceedingsField::CommitteeChosen,
        ProceedingsField::CountEnded,
        ProceedingsField::Absences,
        ProceedingsField::SealedTo,
        ProceedingsField::Remarks,
        ProceedingsField::Copies,
    ];

    /// The part's name in archives and paths.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            ProceedingsField::CommitteeChosen => "committee_chosen",
            ProceedingsField::CountEnded => "count_ended",
            ProceedingsField::Absences => "absences",
            ProceedingsField::SealedTo => "sealed_to",
            ProceedingsField::Remarks => "remarks",
            ProceedingsField::Copies => "copies",
        }
    }

    /// The part's label, on the form and in the log.
    #[must_use]
    pub fn label(self) -> Tr {
        match self {
            ProceedingsField::CommitteeChosen => Tr::new(
                "Hội nghị bầu hay biểu quyết thông qua Ban kiểm phiếu",
                "How the conference chose the counting committee",
            ),
            ProceedingsField::CountEnded => {
                Tr::new("Giờ kết thúc kiểm phiếu", "Time the count ended")
            }
            ProceedingsField::Absences => {
                Tr::new("Người vắng mặt và lý do", "Who was absent, and why")
            }
            ProceedingsField::SealedTo => {
                Tr::new("Phiếu niêm phong giao cho", "Sealed ballots handed to")
            }
            ProceedingsField::Remarks => Tr::new(
                "Khiếu nại, ý kiến trong khi kiểm phiếu",
                "Complaints or remarks during the count",
            ),
            ProceedingsField::Copies => Tr::new("Số bản biên bản", "Copies of the minutes"),
        }
    }
}

/// A part of the minutes' wording ([`super::MinutesWording`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MinutesField {
    /// The opening paragraph's template.
    Opening,
    /// The closing paragraph's template.
    Closing,
    /// The ranking column.
    Ranking,
}

impl MinutesField {
    /// Every part, in the order of the form.
    pub const ALL: [MinutesField; 3] = [
        MinutesField::Opening,
        MinutesField::Closing,
        MinutesField::Ranking,
    ];

    /// The part's name in archives and paths.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            MinutesField::Opening => "opening",
            MinutesField::Closing => "closing",
            MinutesField::Ranking => "ranking",
        }
    }

    /// The part's label, on the form and in the log.
    #[must_use]
    pub fn label(self) -> Tr {
        match self {
            MinutesField::Opening => Tr::new("Đoạn mở đầu biên bản", "Opening paragraph"),
            MinutesField::Closing => Tr::new("Đoạn kết biên bản", "Closing paragraph"),
            MinutesField::Ranking => Tr::new(
                "Cột xếp thứ trong bảng kết quả",
                "Rank column in the results table",
            ),
        }
    }
}

/// Which person of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    /// The chair.
    Chair,
    /// The secretary.
    Secretary,
    /// Member `n` of the counting committee (0-based).
    Committee(usize),
}

impl Who {
    /// The person in `session`, if there is one.
    #[must_use]
    pub fn get(self, session: &Session) -> Option<&Person> {
        match self {
            Who::Chair => Some(&session.chair),
            Who::Secretary => Some(&session.secretary),
            Who::Committee(i) => session.committee.get(i),
        }
    }
}

/// Which question of a cadre: the official overall one, or a per-criterion one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Question {
    /// The overall question (the only one that decides a band).
    Overall,
    /// Criterion `k` of the group.
    Criterion(usize),
}

impl Question {
    /// The question at `q` in [`Cadre::questions`] order: 0 is the overall one, k + 1
    /// criterion k.
    #[must_use]
    pub fn at(q: usize) -> Self {
        match q.checked_sub(1) {
            None => Question::Overall,
            Some(k) => Question::Criterion(k),
        }
    }

    /// The question's place in [`Cadre::questions`] order.
    #[must_use]
    pub fn index(self) -> usize {
        match self {
            Question::Overall => 0,
            Question::Criterion(k) => k + 1,
        }
    }

    /// The question's counts of `cadre`, if it exists.
    #[must_use]
    pub fn counts(self, cadre: &Cadre) -> Option<&Counts> {
        match self {
            Question::Overall => Some(&cadre.overall),
            Question::Criterion(k) => cadre.criteria.get(k),
        }
    }
}

impl fmt::Display for Question {
    /// The question's part of a path ("overall", `"criteria[1]"`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Question::Overall => f.write_str("overall"),
            Question::Criterion(k) => write!(f, "criteria[{k}]"),
        }
    }
}

/// A field of a ballot group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupField {
    /// The group's name.
    Name,
    /// A voters' figure.
    Voters(VoterField),
    /// The ballot-by-ballot count under way (sheets counted).
    BallotCount,
    /// The name of criterion `k`.
    Criterion(usize),
    /// The list of cadres as a whole.
    Cadres,
    /// The counting teams' sub-totals as a whole.
    Teams,
    /// Counting team `t`'s sub-totals.
    Team(usize),
    /// The double entry.
    Entry,
    /// Whether the ballots are printed for a scanner ([`crate::model::BallotGroup::scan_form`]).
    ScanForm,
    /// The sheets counted from scans and those waiting ([`crate::model::BallotGroup::scan`]).
    Scan,
}

/// A field of a cadre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CadreField {
    /// The name.
    Name,
    /// The position.
    Position,
    /// The exemption reason.
    Exemption,
    /// The per-criterion counts as a whole (their number against the group's criteria).
    Criteria,
    /// One question's counts as a whole (their sum).
    Question(Question),
    /// One count.
    Count(Question, Level),
}

/// A field of the session, or a part of it that a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldPath {
    /// The session as a whole (a stored text this build cannot place more closely).
    Session,
    /// The base of percentages.
    Base,
    /// A header field.
    Meta(MetaField),
    /// A part of the proceedings.
    Proceedings(ProceedingsField),
    /// A part of the minutes' wording.
    Minutes(MinutesField),
    /// The conference date.
    Date,
    /// The counting team's name.
    Team,
    /// The counting committee as a whole.
    Committee,
    /// A person's name (`role: false`) or role (`role: true`).
    Person {
        /// Who.
        who: Who,
        /// The role rather than the name.
        role: bool,
    },
    /// The ballot groups as a whole.
    Groups,
    /// A field of a ballot group.
    Group(usize, GroupField),
    /// A cadre's field.
    Cadre {
        /// The group.
        group: usize,
        /// The cadre (0-based, the list's order: STT − 1).
        cadre: usize,
        /// Which field.
        field: CadreField,
    },
    /// Every group's counting teams (a merge).
    Teams,
}

/// `name[i]` → (name, i).
fn indexed(s: &str) -> Option<(&str, usize)> {
    let (name, rest) = s.split_once('[')?;
    let i = rest.strip_suffix(']')?.parse().ok()?;
    Some((name, i))
}

impl FieldPath {
    /// Reads the machine form (a stored log, a path the walk over stored texts made); `None`
    /// for anything else.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "." => return Some(FieldPath::Session),
            "base" => return Some(FieldPath::Base),
            "team" => return Some(FieldPath::Team),
            "committee" => return Some(FieldPath::Committee),
            "groups" => return Some(FieldPath::Groups),
            "groups[*].teams" => return Some(FieldPath::Teams),
            "meta.date" => return Some(FieldPath::Date),
            _ => {}
        }
        if let Some(key) = s.strip_prefix("minutes.") {
            return MinutesField::ALL
                .into_iter()
                .find(|f| f.field() == key)
                .map(FieldPath::Minutes);
        }
        if let Some(key) = s.strip_prefix("proceedings.") {
            return ProceedingsField::ALL
                .into_iter()
                .find(|f| f.field() == key)
                .map(FieldPath::Proceedings);
        }
        let parts: Vec<&str> = s.split('.').collect();
        if let [g, rest @ ..] = parts.as_slice()
            && let Some(("groups", g)) = indexed(g)
        {
            return Self::parse_group(g, rest);
        }
        match parts.as_slice() {
            ["meta", key] => MetaField::ALL
                .into_iter()
                .find(|f| f.field() == *key)
                .map(FieldPath::Meta),
            [who, part @ ("name" | "role")] => {
                let who = match *who {
                    "chair" => Who::Chair,
                    "secretary" => Who::Secretary,
                    other => match indexed(other)? {
                        ("committee", i) => Who::Committee(i),
                        _ => return None,
                    },
                };
                Some(FieldPath::Person {
                    who,
                    role: *part == "role",
                })
            }
            _ => None,
        }
    }

    fn parse_group(g: usize, rest: &[&str]) -> Option<Self> {
        let field = match rest {
            ["name"] => GroupField::Name,
            ["entry"] => GroupField::Entry,
            ["ballot_count"] => GroupField::BallotCount,
            ["scan_form"] => GroupField::ScanForm,
            ["scan"] => GroupField::Scan,
            ["cadres"] => GroupField::Cadres,
            ["teams"] => GroupField::Teams,
            ["voters", key] => {
                GroupField::Voters(VoterField::ALL.into_iter().find(|f| f.field() == *key)?)
            }
            [one] => match indexed(one)? {
                ("teams", t) => GroupField::Team(t),
                _ => return None,
            },
            [crit, "name"] if crit.starts_with("criteria[") => match indexed(crit)? {
                ("criteria", k) => GroupField::Criterion(k),
                _ => return None,
            },
            [cadre, rest @ ..] => {
                let ("cadres", c) = indexed(cadre)? else {
                    return None;
                };
                return Some(FieldPath::Cadre {
                    group: g,
                    cadre: c,
                    field: Self::parse_cadre(rest)?,
                });
            }
            [] => return None,
        };
        Some(FieldPath::Group(g, field))
    }

    fn parse_cadre(rest: &[&str]) -> Option<CadreField> {
        let question = |q: &str| match q {
            "overall" => Some(Question::Overall),
            other => match indexed(other)? {
                ("criteria", k) => Some(Question::Criterion(k)),
                _ => None,
            },
        };
        Some(match rest {
            ["name"] => CadreField::Name,
            ["position"] => CadreField::Position,
            ["exemption"] => CadreField::Exemption,
            ["criteria"] => CadreField::Criteria,
            [q] => CadreField::Question(question(q)?),
            [q, level] => CadreField::Count(
                question(q)?,
                Level::ALL.into_iter().find(|l| l.field() == *level)?,
            ),
            _ => return None,
        })
    }

    /// The field a stored text at machine path `s` belongs to: the path itself, or the
    /// nearest enclosing part this build names (`"groups[0].teams[1].team"` → that team),
    /// at worst the whole session. For findings about texts found by walking the archive.
    #[must_use]
    pub fn enclosing(s: &str) -> Self {
        let mut s = s;
        loop {
            if let Some(p) = Self::parse(s) {
                return p;
            }
            match s.rfind(['.', '[']) {
                Some(i) => s = &s[..i],
                None => return FieldPath::Session,
            }
        }
    }

    /// The part this one is in: a count is in its question, a question in the cadre's list,
    /// a team in the group's teams, a member in the committee; `None` for the session.
    #[must_use]
    pub fn parent(&self) -> Option<Self> {
        Some(match *self {
            FieldPath::Session => return None,
            FieldPath::Person {
                who: Who::Committee(_),
                ..
            } => FieldPath::Committee,
            FieldPath::Group(g, GroupField::Team(_)) => FieldPath::Group(g, GroupField::Teams),
            FieldPath::Group(..) => FieldPath::Groups,
            FieldPath::Cadre {
                group,
                cadre,
                field,
            } => match field {
                CadreField::Count(q, _) => FieldPath::Cadre {
                    group,
                    cadre,
                    field: CadreField::Question(q),
                },
                CadreField::Question(Question::Criterion(_)) => FieldPath::Cadre {
                    group,
                    cadre,
                    field: CadreField::Criteria,
                },
                _ => FieldPath::Group(group, GroupField::Cadres),
            },
            _ => FieldPath::Session,
        })
    }

    /// Whether this is `part` or lies inside it (for the findings about a part).
    #[must_use]
    pub fn within(&self, part: &FieldPath) -> bool {
        let mut at = Some(*self);
        while let Some(p) = at {
            if p == *part {
                return true;
            }
            at = p.parent();
        }
        false
    }

    /// The ballot group this is about, if it is about one.
    #[must_use]
    pub fn group(&self) -> Option<usize> {
        match *self {
            FieldPath::Group(g, _) | FieldPath::Cadre { group: g, .. } => Some(g),
            _ => None,
        }
    }

    /// The human form in both languages, names taken from `session` as it is now: "Đỗ Hữu
    /// Nghĩa — Tín nhiệm thấp", "Tên hội nghị", "Ban Thường vụ — Số phiếu thu về". Logged
    /// with the entry when it is made, so that a cadre moved later is not misnamed.
    #[must_use]
    pub fn human(&self, session: &Session) -> Message {
        match *self {
            FieldPath::Session => Message::new("Toàn bộ phiên", "The whole session"),
            FieldPath::Base => Message::new("Cơ sở tính tỉ lệ", "Base of percentages"),
            FieldPath::Meta(k) => {
                let l = k.label();
                Message::new(l.vi, l.en)
            }
            FieldPath::Date => Message::new("Ngày hội nghị", "Conference date"),
            FieldPath::Proceedings(f) => {
                let l = f.label();
                Message::new(l.vi, l.en)
            }
            FieldPath::Minutes(f) => {
                let l = f.label();
                Message::new(l.vi, l.en)
            }
            FieldPath::Team => Message::new("Tổ kiểm phiếu", "Counting team"),
            FieldPath::Committee => Message::new("Ban kiểm phiếu", "Counting committee"),
            FieldPath::Person { who, role } => {
                let (vi, en) = match who {
                    Who::Chair => ("Chủ trì".to_owned(), "Chair".to_owned()),
                    Who::Secretary => ("Thư ký".to_owned(), "Secretary".to_owned()),
                    Who::Committee(i) => (
                        format!("Thành viên ban kiểm phiếu {}", i + 1),
                        format!("Counting committee member {}", i + 1),
                    ),
                };
                let (pv, pe) = if role {
                    ("chức vụ", "position")
                } else {
                    ("họ tên", "name")
                };
                Message::new(format!("{vi} — {pv}"), format!("{en} — {pe}"))
            }
            FieldPath::Groups => Message::new("Các nhóm phiếu", "Ballot groups"),
            FieldPath::Group(g, field) => Self::group_human(session, g, field),
            FieldPath::Cadre {
                group: g,
                cadre,
                field,
            } => Self::cadre_human(session, g, cadre, field),
            FieldPath::Teams => Message::new("Gộp kết quả các tổ", "Teams merged"),
        }
    }

    fn group_human(session: &Session, g: usize, field: GroupField) -> Message {
        // A group by its name, or by its number while it has none.
        let group = session.groups.get(g);
        let name = group.map_or("", |x| x.name.trim());
        let (nv, ne) = if name.is_empty() {
            (
                format!("Nhóm phiếu {}", g + 1),
                format!("Ballot group {}", g + 1),
            )
        } else {
            (name.to_owned(), name.to_owned())
        };
        let (vi, en) = match field {
            GroupField::Name => {
                return Message::new(
                    format!("Tên nhóm phiếu {}", g + 1),
                    format!("Name of ballot group {}", g + 1),
                );
            }
            GroupField::Voters(k) => (k.label().vi.to_owned(), k.label().en.to_owned()),
            GroupField::BallotCount => (
                "đếm từng phiếu".to_owned(),
                "ballot-by-ballot count".to_owned(),
            ),
            GroupField::ScanForm => (
                "đếm bằng máy quét".to_owned(),
                "counted by scanner".to_owned(),
            ),
            GroupField::Scan => (
                "phiếu đọc bằng máy quét".to_owned(),
                "sheets read by scanner".to_owned(),
            ),
            GroupField::Criterion(k) => (
                format!("tên tiêu chí {}", k + 1),
                format!("name of criterion {}", k + 1),
            ),
            GroupField::Cadres => ("danh sách cán bộ".to_owned(), "list of cadres".to_owned()),
            GroupField::Teams => ("các tổ kiểm phiếu".to_owned(), "counting teams".to_owned()),
            GroupField::Team(t) => {
                let team = group
                    .and_then(|x| x.teams.get(t))
                    .map_or_else(|| format!("{}", t + 1), |x| x.team.clone());
                (format!("tổ {team}"), format!("team {team}"))
            }
            GroupField::Entry => ("nhập hai lần".to_owned(), "double entry".to_owned()),
        };
        Message::new(format!("{nv} — {vi}"), format!("{ne} — {en}"))
    }

    fn cadre_human(session: &Session, g: usize, cadre: usize, field: CadreField) -> Message {
        let c = session.groups.get(g).and_then(|x| x.cadres.get(cadre));
        let who = c.map_or_else(
            || format!("{}", cadre + 1),
            |c| format!("{}. {}", cadre + 1, c.name),
        );
        let criterion = |k: usize| {
            session
                .groups
                .get(g)
                .and_then(|x| x.criteria.get(k))
                .map_or_else(|| format!("{}", k + 1), |c| c.name.clone())
        };
        let (vi, en) = match field {
            CadreField::Name => ("họ tên".to_owned(), "name".to_owned()),
            CadreField::Position => ("chức vụ".to_owned(), "position".to_owned()),
            CadreField::Exemption => (
                "lý do không lấy phiếu".to_owned(),
                "reason for exemption".to_owned(),
            ),
            CadreField::Criteria => ("các tiêu chí".to_owned(), "criteria".to_owned()),
            CadreField::Question(Question::Overall) => {
                ("câu hỏi chung".to_owned(), "overall question".to_owned())
            }
            CadreField::Question(Question::Criterion(k)) => (
                format!("tiêu chí \"{}\"", criterion(k)),
                format!("criterion \"{}\"", criterion(k)),
            ),
            CadreField::Count(Question::Overall, level) => {
                (level.label().vi.to_owned(), level.label().en.to_owned())
            }
            CadreField::Count(Question::Criterion(k), level) => (
                format!("tiêu chí \"{}\", {}", criterion(k), level.label().vi),
                format!("criterion \"{}\", {}", criterion(k), level.label().en),
            ),
        };
        Message::new(format!("{who} — {vi}"), format!("{who} — {en}"))
    }
}

impl fmt::Display for FieldPath {
    /// The machine form, as the archive stores it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            FieldPath::Session => f.write_str("."),
            FieldPath::Base => f.write_str("base"),
            FieldPath::Meta(k) => write!(f, "meta.{}", k.field()),
            FieldPath::Date => f.write_str("meta.date"),
            FieldPath::Proceedings(k) => write!(f, "proceedings.{}", k.field()),
            FieldPath::Minutes(k) => write!(f, "minutes.{}", k.field()),
            FieldPath::Team => f.write_str("team"),
            FieldPath::Committee => f.write_str("committee"),
            FieldPath::Person { who, role } => {
                match who {
                    Who::Chair => f.write_str("chair")?,
                    Who::Secretary => f.write_str("secretary")?,
                    Who::Committee(i) => write!(f, "committee[{i}]")?,
                }
                f.write_str(if role { ".role" } else { ".name" })
            }
            FieldPath::Groups => f.write_str("groups"),
            FieldPath::Group(g, field) => {
                write!(f, "groups[{g}].")?;
                match field {
                    GroupField::Name => f.write_str("name"),
                    GroupField::Voters(k) => write!(f, "voters.{}", k.field()),
                    GroupField::BallotCount => f.write_str("ballot_count"),
                    GroupField::ScanForm => f.write_str("scan_form"),
                    GroupField::Scan => f.write_str("scan"),
                    GroupField::Criterion(k) => write!(f, "criteria[{k}].name"),
                    GroupField::Cadres => f.write_str("cadres"),
                    GroupField::Teams => f.write_str("teams"),
                    GroupField::Team(t) => write!(f, "teams[{t}]"),
                    GroupField::Entry => f.write_str("entry"),
                }
            }
            FieldPath::Cadre {
                group,
                cadre,
                field,
            } => {
                write!(f, "groups[{group}].cadres[{cadre}].")?;
                match field {
                    CadreField::Name => f.write_str("name"),
                    CadreField::Position => f.write_str("position"),
                    CadreField::Exemption => f.write_str("exemption"),
                    CadreField::Criteria => f.write_str("criteria"),
                    CadreField::Question(q) => write!(f, "{q}"),
                    CadreField::Count(q, level) => write!(f, "{q}.{}", level.field()),
                }
            }
            FieldPath::Teams => f.write_str("groups[*].teams"),
        }
    }
}

impl Serialize for FieldPath {
    /// The machine form: JSON output names fields as the archive does.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The human form of a stored machine path in `lang`, or the path itself when it names no
/// field this build knows.
#[must_use]
pub fn human_path(path: &str, session: &Session, lang: Lang) -> String {
    FieldPath::parse(path).map_or_else(
        || path.to_owned(),
        |p| p.human(session).get(lang).to_owned(),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// A count is inside its question, its cadre's list and its group; not inside another
    /// cadre or question.
    #[test]
    fn parts_contain_their_fields() {
        let p = |s: &str| FieldPath::parse(s).unwrap();
        let low = p("groups[0].cadres[2].criteria[1].low");
        for part in [
            "groups[0].cadres[2].criteria[1]",
            "groups[0].cadres[2].criteria",
            "groups[0].cadres",
            "groups",
            ".",
        ] {
            assert!(low.within(&p(part)), "{part}");
        }
        for other in [
            "groups[0].cadres[2].overall",
            "groups[0].cadres[2].criteria[0]",
            "groups[1].cadres",
            "committee",
        ] {
            assert!(!low.within(&p(other)), "{other}");
        }
        assert!(p("committee[3].name").within(&p("committee")));
        assert!(p("groups[1].teams[0]").within(&p("groups[1].teams")));
        assert_eq!(low.group(), Some(0));
        assert_eq!(p("meta.place").group(), None);
    }

    /// Every text an archive stores is placed: at its own field where this build names one,
    /// otherwise at the nearest part it names.
    #[test]
    fn every_stored_text_is_placed() {
        assert_eq!(
            FieldPath::enclosing("groups[0].teams[1].team"),
            p("groups[0].teams[1]")
        );
        assert_eq!(FieldPath::enclosing("team_id"), FieldPath::Session);
        assert_eq!(FieldPath::enclosing("status.Final.x"), FieldPath::Session);
        assert_eq!(
            FieldPath::enclosing("groups[0].entry.Differences.cells[0]"),
            p("groups[0].entry")
        );
        assert_eq!(
            FieldPath::enclosing("groups[2].cadres[0].name"),
            p("groups[2].cadres[0].name")
        );
    }

    fn p(s: &str) -> FieldPath {
        FieldPath::parse(s).unwrap()
    }
}
