//! The place of a field in a session, typed: one value with two renderings. The machine form
//! ("groups[0].cadres[2].overall.low") is what the archive's log and the CLI print; the human
//! form ("Đỗ Hữu Nghĩa — Tín nhiệm thấp") is what a secretary reads on the screen and in the
//! minutes' log annex. Nothing parses its own strings back except to read a stored log.

use std::fmt;

use super::Session;
use super::counts::Level;
use crate::text::{Lang, Message};

/// A field of the minutes' header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MetaKey {
    /// The superior body.
    SuperiorBody,
    /// The issuing body.
    IssuingBody,
    /// The document number.
    DocumentNumber,
    /// The conference title.
    Conference,
    /// The place name.
    Place,
    /// The venue.
    Venue,
    /// The time the count began.
    Time,
    /// The conference date.
    Date,
}

impl MetaKey {
    const ALL: [(MetaKey, &'static str, &'static str, &'static str); 8] = [
        (
            MetaKey::SuperiorBody,
            "superior_body",
            "Cơ quan cấp trên",
            "Superior body",
        ),
        (
            MetaKey::IssuingBody,
            "issuing_body",
            "Cơ quan ban hành",
            "Issuing body",
        ),
        (
            MetaKey::DocumentNumber,
            "document_number",
            "Số biên bản",
            "Document number",
        ),
        (
            MetaKey::Conference,
            "conference",
            "Tên hội nghị",
            "Conference",
        ),
        (MetaKey::Place, "place", "Địa danh", "Place"),
        (MetaKey::Venue, "venue", "Địa điểm họp", "Venue"),
        (
            MetaKey::Time,
            "time",
            "Giờ bắt đầu kiểm phiếu",
            "Time the count began",
        ),
        (MetaKey::Date, "date", "Ngày hội nghị", "Conference date"),
    ];

    fn row(self) -> (&'static str, &'static str, &'static str) {
        row(&Self::ALL, self)
    }
}

/// A voters' figure of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VoterKey {
    /// Summoned.
    Summoned,
    /// Present.
    Present,
    /// Ballots issued.
    Issued,
    /// Ballots collected.
    Collected,
    /// Void sheets.
    VoidSheets,
}

impl VoterKey {
    const ALL: [(VoterKey, &'static str, &'static str, &'static str); 5] = [
        (
            VoterKey::Summoned,
            "summoned",
            "Số được triệu tập",
            "Summoned",
        ),
        (VoterKey::Present, "present", "Số có mặt", "Present"),
        (
            VoterKey::Issued,
            "issued",
            "Số phiếu phát ra",
            "Ballots issued",
        ),
        (
            VoterKey::Collected,
            "collected",
            "Số phiếu thu về",
            "Ballots collected",
        ),
        (
            VoterKey::VoidSheets,
            "void_sheets",
            "Số phiếu không hợp lệ (cả tờ)",
            "Void sheets",
        ),
    ];

    fn row(self) -> (&'static str, &'static str, &'static str) {
        row(&Self::ALL, self)
    }
}

/// A key's (machine name, Vietnamese, English) in its table.
fn row<K: PartialEq + Copy>(
    table: &[(K, &'static str, &'static str, &'static str)],
    key: K,
) -> (&'static str, &'static str, &'static str) {
    table
        .iter()
        .find(|r| r.0 == key)
        .map_or(("", "", ""), |r| (r.1, r.2, r.3))
}

/// Who a person field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonKey {
    /// The chair.
    Chair,
    /// The secretary.
    Secretary,
    /// A counting committee member (0-based).
    Committee(usize),
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
    /// A count: question 0 is the overall one, k + 1 criterion k.
    Count {
        /// The question.
        question: usize,
        /// The level.
        level: Level,
    },
}

/// A field of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldPath {
    /// A header field.
    Meta(MetaKey),
    /// The counting team's name.
    Team,
    /// A person's name (`role: false`) or role (`role: true`).
    Person {
        /// Who.
        who: PersonKey,
        /// The role rather than the name.
        role: bool,
    },
    /// A group's name.
    GroupName(usize),
    /// A group's voters' figure.
    Voters(usize, VoterKey),
    /// A group's criterion's name.
    Criterion(usize, usize),
    /// A cadre's field.
    Cadre {
        /// The group.
        group: usize,
        /// The cadre (0-based, the list's order: STT − 1).
        cadre: usize,
        /// Which field.
        field: CadreField,
    },
    /// A group's double entry.
    Entry(usize),
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
    /// Reads the machine form, as stored in an archive's log; `None` for anything else.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        if s == "team" {
            return Some(FieldPath::Team);
        }
        if s == "groups[*].teams" {
            return Some(FieldPath::Teams);
        }
        let parts: Vec<&str> = s.split('.').collect();
        if let [g, rest @ ..] = parts.as_slice()
            && let Some(("groups", g)) = indexed(g)
        {
            return Self::parse_group(g, rest);
        }
        match parts.as_slice() {
            ["meta", key] => MetaKey::ALL
                .iter()
                .find(|r| r.1 == *key)
                .map(|r| FieldPath::Meta(r.0)),
            [who, part @ ("name" | "role")] => {
                let who = match *who {
                    "chair" => PersonKey::Chair,
                    "secretary" => PersonKey::Secretary,
                    other => match indexed(other)? {
                        ("committee", i) => PersonKey::Committee(i),
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
        match rest {
            ["name"] => Some(FieldPath::GroupName(g)),
            ["entry"] => Some(FieldPath::Entry(g)),
            ["voters", key] => VoterKey::ALL
                .iter()
                .find(|r| r.1 == *key)
                .map(|r| FieldPath::Voters(g, r.0)),
            [crit, "name"] => match indexed(crit)? {
                ("criteria", k) => Some(FieldPath::Criterion(g, k)),
                _ => None,
            },
            [cadre, rest @ ..] => {
                let ("cadres", c) = indexed(cadre)? else {
                    return None;
                };
                let field = match rest {
                    ["name"] => CadreField::Name,
                    ["position"] => CadreField::Position,
                    ["exemption"] => CadreField::Exemption,
                    [q, level] => {
                        let question = match *q {
                            "overall" => 0,
                            other => match indexed(other)? {
                                ("criteria", k) => k + 1,
                                _ => return None,
                            },
                        };
                        let level = Level::ALL.into_iter().find(|l| l.field() == *level)?;
                        CadreField::Count { question, level }
                    }
                    _ => return None,
                };
                Some(FieldPath::Cadre {
                    group: g,
                    cadre: c,
                    field,
                })
            }
            [] => None,
        }
    }

    /// The human form in both languages, names taken from `session` as it is now: "Đỗ Hữu
    /// Nghĩa — Tín nhiệm thấp", "Tên hội nghị", "Ban Thường vụ — Số phiếu thu về". Logged
    /// with the entry when it is made, so that a cadre moved later is not misnamed.
    #[must_use]
    pub fn human(&self, session: &Session) -> Message {
        // A group by its name, or by its number while it has none.
        let group = |g: usize| {
            let name = session.groups.get(g).map(|x| x.name.trim()).unwrap_or("");
            if name.is_empty() {
                (
                    format!("Nhóm phiếu {}", g + 1),
                    format!("Ballot group {}", g + 1),
                )
            } else {
                (name.to_owned(), name.to_owned())
            }
        };
        match *self {
            FieldPath::Meta(k) => {
                let (_, vi, en) = k.row();
                Message::new(vi, en)
            }
            FieldPath::Team => Message::new("Tổ kiểm phiếu", "Counting team"),
            FieldPath::Person { who, role } => {
                let (vi, en) = match who {
                    PersonKey::Chair => ("Chủ trì".to_owned(), "Chair".to_owned()),
                    PersonKey::Secretary => ("Thư ký".to_owned(), "Secretary".to_owned()),
                    PersonKey::Committee(i) => (
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
            FieldPath::GroupName(g) => Message::new(
                format!("Tên nhóm phiếu {}", g + 1),
                format!("Name of ballot group {}", g + 1),
            ),
            FieldPath::Voters(g, k) => {
                let (_, vi, en) = k.row();
                let (nv, ne) = group(g);
                Message::new(format!("{nv} — {vi}"), format!("{ne} — {en}"))
            }
            FieldPath::Criterion(g, k) => {
                let (nv, ne) = group(g);
                Message::new(
                    format!("{nv} — tên tiêu chí {}", k + 1),
                    format!("{ne} — name of criterion {}", k + 1),
                )
            }
            FieldPath::Cadre {
                group: g,
                cadre,
                field,
            } => Self::cadre_human(session, g, cadre, field),
            FieldPath::Entry(g) => {
                let (nv, ne) = group(g);
                Message::new(
                    format!("{nv} — nhập hai lần"),
                    format!("{ne} — double entry"),
                )
            }
            FieldPath::Teams => Message::new("Gộp kết quả các tổ", "Teams merged"),
        }
    }

    fn cadre_human(session: &Session, g: usize, cadre: usize, field: CadreField) -> Message {
        let c = session.groups.get(g).and_then(|x| x.cadres.get(cadre));
        let who = c.map_or_else(
            || format!("{}", cadre + 1),
            |c| format!("{}. {}", cadre + 1, c.name),
        );
        let criterion = |q: usize| {
            session
                .groups
                .get(g)
                .and_then(|x| x.criteria.get(q - 1))
                .map_or_else(|| format!("{q}"), |k| k.name.clone())
        };
        let (vi, en) = match field {
            CadreField::Name => ("họ tên".to_owned(), "name".to_owned()),
            CadreField::Position => ("chức vụ".to_owned(), "position".to_owned()),
            CadreField::Exemption => (
                "lý do không lấy phiếu".to_owned(),
                "reason for exemption".to_owned(),
            ),
            CadreField::Count { question: 0, level } => {
                (level.label().vi.to_owned(), level.label().en.to_owned())
            }
            CadreField::Count { question, level } => (
                format!("tiêu chí \"{}\", {}", criterion(question), level.label().vi),
                format!(
                    "criterion \"{}\", {}",
                    criterion(question),
                    level.label().en
                ),
            ),
        };
        Message::new(format!("{who} — {vi}"), format!("{who} — {en}"))
    }
}

impl fmt::Display for FieldPath {
    /// The machine form, as the archive stores it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            FieldPath::Meta(k) => write!(f, "meta.{}", k.row().0),
            FieldPath::Team => f.write_str("team"),
            FieldPath::Person { who, role } => {
                match who {
                    PersonKey::Chair => f.write_str("chair")?,
                    PersonKey::Secretary => f.write_str("secretary")?,
                    PersonKey::Committee(i) => write!(f, "committee[{i}]")?,
                }
                f.write_str(if role { ".role" } else { ".name" })
            }
            FieldPath::GroupName(g) => write!(f, "groups[{g}].name"),
            FieldPath::Voters(g, k) => write!(f, "groups[{g}].voters.{}", k.row().0),
            FieldPath::Criterion(g, k) => write!(f, "groups[{g}].criteria[{k}].name"),
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
                    CadreField::Count { question: 0, level } => {
                        write!(f, "overall.{}", level.field())
                    }
                    CadreField::Count { question, level } => {
                        write!(f, "criteria[{}].{}", question - 1, level.field())
                    }
                }
            }
            FieldPath::Entry(g) => write!(f, "groups[{g}].entry"),
            FieldPath::Teams => f.write_str("groups[*].teams"),
        }
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

    /// Every path the app logs reads back to itself, and reads as words.
    #[test]
    fn machine_form_round_trips_and_reads_as_words() {
        let s = crate::archive::fixtures::example("chi-bo");
        for (path, vi) in [
            ("meta.superior_body", "Cơ quan cấp trên"),
            ("meta.date", "Ngày hội nghị"),
            ("team", "Tổ kiểm phiếu"),
            ("chair.name", "Chủ trì — họ tên"),
            ("committee[1].role", "Thành viên ban kiểm phiếu 2 — chức vụ"),
            ("groups[0].name", "Tên nhóm phiếu 1"),
            (
                "groups[0].voters.collected",
                "Chi ủy Chi bộ — Số phiếu thu về",
            ),
            (
                "groups[0].criteria[0].name",
                "Chi ủy Chi bộ — tên tiêu chí 1",
            ),
            (
                "groups[0].cadres[2].overall.low",
                "3. Đặng Ngọc Ánh — Tín nhiệm thấp",
            ),
            (
                "groups[0].cadres[0].position",
                "1. Trần Thị Hồng Nhung — chức vụ",
            ),
            ("groups[0].entry", "Chi ủy Chi bộ — nhập hai lần"),
            ("groups[*].teams", "Gộp kết quả các tổ"),
        ] {
            let p = FieldPath::parse(path).unwrap_or_else(|| panic!("{path}"));
            assert_eq!(p.to_string(), path);
            assert_eq!(p.human(&s).vi, vi, "{path}");
        }
        let crit = FieldPath::parse("groups[0].cadres[1].criteria[0].high").unwrap();
        assert_eq!(crit.to_string(), "groups[0].cadres[1].criteria[0].high");
        for bad in [
            "",
            "meta.x",
            "groups[a].name",
            "groups[0].cadres[1].overall.x",
            "x",
        ] {
            assert_eq!(FieldPath::parse(bad), None, "{bad}");
        }
        assert_eq!(human_path("x", &s, Lang::Vi), "x");
    }
}
