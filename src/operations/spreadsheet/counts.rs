//! A counting team's counts read from its spreadsheet: a row per cadre, a column per level.
//!
//! The result is a preview ([`CountsPreview`]): each row the sheet gives, matched to a cadre
//! of the group or refused with the reason and its place, and the cadres the sheet leaves out.
//! Nothing is changed until the accepted rows are applied as one [`Edit::ImportCounts`], which
//! logs each count as a typed one.
//!
//! **Layout read** (documented in docs/documents.md):
//! - A header row, found wherever it is (title rows above it are skipped), names the columns
//!   in the usual forms: "STT"/"TT", "Họ và tên"/"Họ tên" (or "Họ và tên, chức vụ", the name
//!   on the cell's first line), "Tín nhiệm cao"/"TN cao", "Tín nhiệm"/"TN", "Tín nhiệm
//!   thấp"/"TN thấp", optionally "Không hợp lệ". Percentage columns ("%", "Tỉ lệ") and the
//!   rest ("Chức vụ", "Ghi chú", "Xếp hạng", …) are ignored. The header may take two or three
//!   rows, as in the minutes' table: a level's title over merged cells, "Số phiếu" and "Tỉ lệ"
//!   under it (the count is the "Số phiếu" column).
//! - Criteria, where the group has them, in any of three ways: a "Câu hỏi"/"Tiêu chí" column
//!   (a row per cadre and question, as tinnhiem's own CSV: "Tổng thể" or empty for the
//!   overall question, a criterion by its name, "Tiêu chí 2" or "2"); a row "Tiêu chí: name"
//!   over a repeated table (as tinnhiem's own workbook); or the three level columns repeated
//!   side by side, the first three for the overall question and each further three for the
//!   next criterion, in order (a title over a block that names another question is refused).
//! - A "Nhóm" column keeps only the rows of the group being imported (tinnhiem's CSV holds
//!   every group). A row whose name is "Tổng cộng", "Cộng" or "Tổng" (a totals row) is
//!   skipped, as are rows with neither an STT, a count nor a cadre's name (notes, signatures).
//!
//! **Matching**, never by likeness: by the STT as printed (the list's own number, exempt
//! cadres counted) when the row has one, and then its name, when given, must be that cadre's;
//! otherwise by the exact name (NFC, spaces collapsed, same case). A name two cadres share
//! needs the STT.
//!
//! **Refusals**: an unknown name or STT, an STT and a name that disagree, a count that is not
//! a whole number, a negative one, an empty one, three counts above the valid sheets (the
//! ballots collected when the void sheets are not entered yet), a "Không hợp lệ" figure that
//! does not make up the valid sheets, counts for an exempt cadre, two rows for the same cadre
//! and question (both refused: which one is right is not ours to guess), and every cadre on
//! the ballot the sheet leaves out.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Grid, column_name};
use crate::edit::{Edit, ImportedCounts};
use crate::model::{BallotGroup, Counts, Level, Question, Session};
use crate::text::{Message, clean_name};

/// What a header cell says its column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Head {
    Stt,
    Name,
    /// "Họ và tên, chức vụ": the name on the cell's first line.
    NamePosition,
    Level(Level),
    Invalid,
    Question,
    Group,
    /// "Số phiếu" under a level's title.
    Count,
    /// A percentage, ignored.
    Percent,
    /// A known title of a column not read ("Chức vụ", "Ghi chú", "Xếp hạng", …).
    Other,
}

/// A header cell's text, compared: lower case, spaces collapsed, no trailing colon or dot.
fn norm(cell: &str) -> String {
    clean_name(cell)
        .to_lowercase()
        .trim_end_matches([':', '.', ' '])
        .to_owned()
}

fn classify(cell: &str) -> Option<Head> {
    let n = norm(cell);
    if n.is_empty() {
        return None;
    }
    if n.starts_with('%')
        || n.ends_with('%')
        || n.contains("(%)")
        || n.contains("tỉ lệ")
        || n.contains("tỷ lệ")
        || n.starts_with("percent")
    {
        return Some(Head::Percent);
    }
    // "Tín nhiệm cao (phiếu)", "Số phiếu tín nhiệm cao": the level.
    let n = match n.split_once('(') {
        Some((before, _)) if n.ends_with(')') && !before.trim().is_empty() => {
            before.trim().to_owned()
        }
        _ => n,
    };
    let n = n
        .strip_prefix("số phiếu ")
        .or_else(|| n.strip_prefix("phiếu "))
        .map_or(n.as_str(), str::trim);
    if n.contains("tên") && n.contains("chức") {
        return Some(Head::NamePosition);
    }
    if n.starts_with("chức") || n.starts_with("qđ") || n.starts_with("quy định") {
        return Some(Head::Other);
    }
    Some(match n {
        "stt" | "tt" | "số tt" | "số thứ tự" | "thứ tự" | "no" | "#" => Head::Stt,
        "họ và tên"
        | "họ tên"
        | "họ, tên"
        | "tên"
        | "name"
        | "full name"
        | "họ và tên cán bộ"
        | "tên cán bộ"
        | "cán bộ"
        | "đồng chí" => Head::Name,
        "tín nhiệm cao" | "tn cao" | "cao" | "high" | "high confidence" => {
            Head::Level(Level::High)
        }
        "tín nhiệm" | "tn" | "confidence" => Head::Level(Level::Medium),
        "tín nhiệm thấp" | "tn thấp" | "thấp" | "low" | "low confidence" => {
            Head::Level(Level::Low)
        }
        "không hợp lệ" | "khl" | "invalid" | "invalid lines" => Head::Invalid,
        "câu hỏi" | "tiêu chí" | "question" | "criterion" | "nội dung" | "nội dung đánh giá" => {
            Head::Question
        }
        "nhóm" | "nhóm phiếu" | "group" | "ballot group" => Head::Group,
        "số phiếu" | "phiếu" | "sl" | "số lượng" | "count" | "votes" => Head::Count,
        "ghi chú"
        | "note"
        | "notes"
        | "xếp hạng"
        | "xếp thứ"
        | "rank"
        | "mức"
        | "band"
        | "không lấy phiếu"
        | "exempt"
        | "kết quả"
        | "tổng"
        | "tổng cộng"
        | "cộng"
        | "tổng số"
        | "total"
        | "sum"
        | "position"
        | "title" => Head::Other,
        _ => return None,
    })
}

/// Whether a row's name cell says it is the totals row.
fn is_totals(cell: &str) -> bool {
    matches!(
        norm(cell).as_str(),
        "tổng" | "tổng cộng" | "cộng" | "tổng số" | "total" | "totals" | "sum"
    )
}

/// The question a text names in `group`: the overall one ("Tổng thể", "Đánh giá chung"), a
/// criterion by its exact name, by "Tiêu chí k" or by its number k.
fn question_named(text: &str, group: &BallotGroup) -> Option<Question> {
    let n = norm(text);
    if matches!(
        n.as_str(),
        "tổng thể" | "đánh giá chung" | "chung" | "overall" | "câu hỏi chung"
    ) {
        return Some(Question::Overall);
    }
    let by_name = |name: &str| {
        let name = clean_name(name).to_lowercase();
        group
            .criteria
            .iter()
            .position(|c| clean_name(&c.name).to_lowercase() == name)
            .map(Question::Criterion)
    };
    if let Some(q) = by_name(&n) {
        return Some(q);
    }
    let rest = n
        .strip_prefix("tiêu chí")
        .or_else(|| n.strip_prefix("criterion"))
        .unwrap_or(&n)
        .trim_start();
    let rest = rest.strip_prefix("số").unwrap_or(rest).trim_start();
    let (number, name) = match rest.split_once(':') {
        Some((a, b)) => (a.trim(), b.trim()),
        None => (rest.trim(), ""),
    };
    if !name.is_empty() {
        return by_name(name);
    }
    let k: usize = number.trim_end_matches('.').parse().ok()?;
    let k = k.checked_sub(1)?;
    (k < group.criteria.len()).then_some(Question::Criterion(k))
}

/// A row saying which criterion the table under it is for ("Tiêu chí: Đạo đức", as
/// tinnhiem's workbook writes it): the one non-empty cell starting with "Tiêu chí".
fn criterion_title(row: &[String]) -> Option<&str> {
    let mut cells = row.iter().filter(|c| !c.trim().is_empty());
    let only = cells.next()?;
    if cells.next().is_some() {
        return None;
    }
    let n = norm(only);
    (n.starts_with("tiêu chí") || n.starts_with("criterion")).then_some(only.as_str())
}

/// One question's columns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Block {
    /// The question its title names, if it names one.
    question: Option<Question>,
    /// The title's text and the column it is in, when there is one.
    title: Option<(String, usize)>,
    levels: [Option<usize>; 3],
    invalid: Option<usize>,
}

/// The columns of a table, from its header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Columns {
    stt: Option<usize>,
    name: Option<(usize, bool)>,
    question: Option<usize>,
    group: Option<usize>,
    blocks: Vec<Block>,
}

fn level_index(level: Level) -> usize {
    match level {
        Level::High => 0,
        Level::Medium => 1,
        Level::Low => 2,
    }
}

fn cell(row: &[String], j: usize) -> &str {
    row.get(j).map_or("", |c| c.trim())
}

/// Whether every non-empty cell of `row` is a known column title (and there is one): the
/// second or third row of a header.
fn all_titles(row: &[String]) -> bool {
    let mut any = false;
    for c in row.iter().filter(|c| !c.trim().is_empty()) {
        if classify(c).is_none() {
            return false;
        }
        any = true;
    }
    any
}

/// The header that starts at `rows[i]`: its columns and how many rows it takes, when the row
/// (with the title rows under it) names a cadre column and a level column.
fn header_at(rows: &[Vec<String>], i: usize) -> Option<(Columns, usize)> {
    rows.get(i)?;
    let mut depth = 1;
    while depth < 3 && rows.get(i + depth).is_some_and(|r| all_titles(r)) {
        depth += 1;
    }
    let head = &rows[i..i + depth];
    let kinds: Vec<Vec<Option<Head>>> = head
        .iter()
        .map(|r| r.iter().map(|c| classify(c)).collect())
        .collect();
    let mut cols = Columns::default();
    // (column read, level or invalid, header row, title column)
    let mut levels: Vec<(usize, Option<Level>, usize, usize)> = Vec::new();
    for (h, row) in kinds.iter().enumerate() {
        for (j, kind) in row.iter().enumerate() {
            match kind {
                Some(Head::Stt) => {
                    cols.stt.get_or_insert(j);
                }
                Some(Head::Name) => {
                    cols.name.get_or_insert((j, false));
                }
                Some(Head::NamePosition) => {
                    cols.name.get_or_insert((j, true));
                }
                Some(Head::Question) => {
                    cols.question.get_or_insert(j);
                }
                Some(Head::Group) => {
                    cols.group.get_or_insert(j);
                }
                Some(Head::Level(l)) => {
                    levels.push((count_column(head, &kinds, h, j), Some(*l), h, j))
                }
                Some(Head::Invalid) => levels.push((count_column(head, &kinds, h, j), None, h, j)),
                _ => {}
            }
        }
    }
    if (cols.stt.is_none() && cols.name.is_none()) || levels.iter().all(|l| l.1.is_none()) {
        return None;
    }
    levels.sort_unstable_by_key(|l| l.0);
    let mut block = Block::default();
    for (j, level, h, at) in levels {
        let taken = match level {
            Some(l) => block.levels[level_index(l)].is_some(),
            None => block.invalid.is_some(),
        };
        if taken {
            cols.blocks.push(std::mem::take(&mut block));
        }
        if block.title.is_none() && block.levels.iter().all(Option::is_none) {
            // A block's title is above its first level's title, in a header row higher up.
            block.title = (0..h)
                .map(|r| cell(&head[r], at))
                .find(|t| !t.is_empty())
                .map(|t| (t.to_owned(), at));
        }
        match level {
            Some(l) => block.levels[level_index(l)] = Some(j),
            None => block.invalid = Some(j),
        }
    }
    cols.blocks.push(block);
    Some((cols, depth))
}

/// The column holding the count of the level titled at (`h`, `j`): the "Số phiếu" column under
/// the title's merged cells (up to the next title on its row) when the rows below say, else
/// the first column there that is not a percentage, else the title's own.
fn count_column(head: &[Vec<String>], kinds: &[Vec<Option<Head>>], h: usize, j: usize) -> usize {
    let row = &head[h];
    let end = (j + 1..row.len())
        .find(|&k| !cell(row, k).is_empty())
        .unwrap_or(row.len().max(j + 1));
    let below = |k: usize| {
        kinds[h + 1..]
            .iter()
            .filter_map(|r| r.get(k).copied().flatten())
            .next_back()
    };
    if h + 1 >= head.len() {
        return j;
    }
    (j..end)
        .find(|&k| below(k) == Some(Head::Count))
        .or_else(|| (j..end).find(|&k| below(k) != Some(Head::Percent)))
        .unwrap_or(j)
}

/// Why a row, or a cadre, is not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No cadre of the group has this name.
    UnknownName(String),
    /// Several cadres have this name: the row needs the STT.
    AmbiguousName(String),
    /// No cadre has this STT.
    UnknownStt(u32),
    /// The STT's cadre has another name.
    SttNameMismatch {
        /// The STT in the sheet.
        stt: u32,
        /// The name in the sheet.
        name: String,
        /// The name of the cadre with that STT.
        listed: String,
    },
    /// Counts without a name or an STT.
    NoCadre,
    /// The question column or a criterion title names no question of the group.
    UnknownQuestion(String),
    /// A count's cell is empty (empty is not 0).
    Empty(Level),
    /// A count that is not a whole number (the cell's text).
    NotWhole(String),
    /// A negative count (the cell's text).
    Negative(String),
    /// cao + tín nhiệm + thấp above the valid sheets (or, while the void sheets are not
    /// entered, the ballots collected).
    AboveBallots {
        /// The three counts' sum.
        sum: u64,
        /// The limit.
        limit: u32,
        /// Whether the limit is the valid sheets (else the ballots collected).
        valid: bool,
    },
    /// The sheet's "Không hợp lệ" figure and the three counts do not make up the valid sheets.
    InvalidDisagrees {
        /// The sheet's figure.
        given: u32,
        /// Valid sheets − the three counts.
        expected: i64,
    },
    /// Counts for a cadre who is not voted on.
    ExemptWithCounts,
    /// Another row has the same cadre and question (the rows, 1-based).
    Duplicate(Vec<u32>),
    /// A cadre on the ballot that the sheet leaves out.
    Missing,
}

impl Refusal {
    /// The reason in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        match self {
            Refusal::UnknownName(n) => Message::new(
                format!("không có cán bộ tên \"{n}\" trong nhóm phiếu"),
                format!("no cadre named \"{n}\" in the ballot group"),
            ),
            Refusal::AmbiguousName(n) => Message::new(
                format!("nhiều cán bộ cùng tên \"{n}\": cần cột STT"),
                format!("several cadres are named \"{n}\": an STT column is needed"),
            ),
            Refusal::UnknownStt(n) => Message::new(
                format!("không có cán bộ số thứ tự {n}"),
                format!("no cadre number {n}"),
            ),
            Refusal::SttNameMismatch { stt, name, listed } => Message::new(
                format!("STT {stt} là \"{listed}\", không phải \"{name}\""),
                format!("number {stt} is \"{listed}\", not \"{name}\""),
            ),
            Refusal::NoCadre => Message::new(
                "có số liệu nhưng không có họ tên hay STT",
                "counts without a name or a number",
            ),
            Refusal::UnknownQuestion(q) => Message::new(
                format!("nhóm phiếu không có câu hỏi hay tiêu chí \"{q}\""),
                format!("the ballot group has no question or criterion \"{q}\""),
            ),
            Refusal::Empty(level) => Message::new(
                format!(
                    "ô \"{}\" để trống (trống không phải là 0)",
                    level.label().vi
                ),
                format!(
                    "the \"{}\" cell is empty (empty is not 0)",
                    level.label().en
                ),
            ),
            Refusal::NotWhole(t) => Message::new(
                format!("\"{t}\" không phải số nguyên"),
                format!("\"{t}\" is not a whole number"),
            ),
            Refusal::Negative(t) => {
                Message::new(format!("\"{t}\" là số âm"), format!("\"{t}\" is negative"))
            }
            Refusal::AboveBallots { sum, limit, valid } => {
                let (vi, en) = if *valid {
                    ("số phiếu hợp lệ", "the valid sheets")
                } else {
                    ("số phiếu thu về", "the ballots collected")
                };
                Message::new(
                    format!("tổng ba mức là {sum}, lớn hơn {vi} ({limit})"),
                    format!("the three levels add up to {sum}, more than {en} ({limit})"),
                )
            }
            Refusal::InvalidDisagrees { given, expected } => Message::new(
                format!(
                    "số không hợp lệ là {given}, nhưng số phiếu hợp lệ trừ ba mức là {expected}"
                ),
                format!(
                    "the invalid figure is {given}, but the valid sheets less the three levels are {expected}"
                ),
            ),
            Refusal::ExemptWithCounts => Message::new(
                "cán bộ không lấy phiếu mà có số liệu",
                "counts for a cadre who is not voted on",
            ),
            Refusal::Duplicate(rows) => {
                let rows: Vec<String> = rows.iter().map(u32::to_string).collect();
                let rows = rows.join(", ");
                Message::new(
                    format!("cùng cán bộ và câu hỏi ở các dòng {rows}: không dòng nào được nhập"),
                    format!("the same cadre and question on rows {rows}: none is imported"),
                )
            }
            Refusal::Missing => Message::new("không có trong bảng tính", "not in the spreadsheet"),
        }
    }
}

/// A row (or a cadre) not imported, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The sheet row (1-based, as Excel shows it); `None` for a cadre the sheet leaves out.
    pub row: Option<u32>,
    /// The sheet column (0-based) of the cell at fault, when one is.
    pub column: Option<u32>,
    /// The cadre the row was matched to, when it was.
    pub cadre: Option<usize>,
    /// The question.
    pub question: Question,
    /// Why.
    pub reason: Refusal,
}

impl Refused {
    /// "Dòng 7, cột D: …" (or "Cán bộ số 3, Lê Văn C: …" for a cadre left out), in both
    /// languages, naming the criterion when it is not the overall question.
    #[must_use]
    pub fn message(&self, group: &BallotGroup) -> Message {
        let reason = self.reason.message();
        let (mut vi, mut en) = match (self.row, self.column) {
            (Some(r), Some(c)) => (
                format!("Dòng {r}, cột {}", column_name(c)),
                format!("Row {r}, column {}", column_name(c)),
            ),
            (Some(r), None) => (format!("Dòng {r}"), format!("Row {r}")),
            (None, _) => {
                let who = self.cadre.map_or_else(String::new, |i| {
                    let name = group.cadres.get(i).map_or("", |c| c.name.as_str());
                    format!("{}, {name}", i + 1)
                });
                (format!("Cán bộ số {who}"), format!("Cadre {who}"))
            }
        };
        if let Question::Criterion(k) = self.question {
            let name = group.criteria.get(k).map_or("", |c| c.name.as_str());
            vi.push_str(&format!(" (tiêu chí \"{name}\")"));
            en.push_str(&format!(" (criterion \"{name}\")"));
        }
        Message::new(
            format!("{vi}: {}", reason.vi),
            format!("{en}: {}", reason.en),
        )
    }
}

/// A row imported: one question's counts of one cadre.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    /// The sheet row (1-based).
    pub row: u32,
    /// The cadre (0-based: STT − 1).
    pub cadre: usize,
    /// The question.
    pub question: Question,
    /// The three counts.
    pub counts: Counts,
}

impl Accepted {
    /// "Dòng 4: 1. Nguyễn Văn An — cao 10, tín nhiệm 5, thấp 3 (đang có 9, 5, 3)": what the row
    /// sets, and what it replaces when the cadre has counts already.
    #[must_use]
    pub fn message(&self, group: &BallotGroup) -> Message {
        let cadre = group.cadres.get(self.cadre);
        let name = cadre.map_or("", |c| c.name.as_str());
        let (mut vi, mut en) = (
            format!("Dòng {}: {}. {name}", self.row, self.cadre + 1),
            format!("Row {}: {}. {name}", self.row, self.cadre + 1),
        );
        if let Question::Criterion(k) = self.question {
            let c = group.criteria.get(k).map_or("", |c| c.name.as_str());
            vi.push_str(&format!(" (tiêu chí \"{c}\")"));
            en.push_str(&format!(" (criterion \"{c}\")"));
        }
        let n = |v: Option<u32>| v.map_or_else(|| "-".to_owned(), |v| v.to_string());
        let c = self.counts;
        vi.push_str(&format!(
            " — cao {}, tín nhiệm {}, thấp {}",
            n(c.high),
            n(c.medium),
            n(c.low)
        ));
        en.push_str(&format!(
            " — high {}, confidence {}, low {}",
            n(c.high),
            n(c.medium),
            n(c.low)
        ));
        let now = cadre.and_then(|x| self.question.counts(x)).copied();
        if let Some(now) = now.filter(|now| !now.is_empty() && *now != self.counts) {
            let was = format!("{}, {}, {}", n(now.high), n(now.medium), n(now.low));
            vi.push_str(&format!(" (thay cho {was})"));
            en.push_str(&format!(" (replacing {was})"));
        }
        Message::new(vi, en)
    }
}

/// What a spreadsheet would import into a group: nothing is changed until
/// [`CountsPreview::edit`] is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountsPreview {
    /// The group (0-based).
    pub group: usize,
    /// The file's name, for the log.
    pub file: String,
    /// The rows imported, in sheet order.
    pub accepted: Vec<Accepted>,
    /// The rows refused, in sheet order, then the cadres the sheet leaves out.
    pub refused: Vec<Refused>,
    /// Rows of exempt cadres without counts (sheet row, cadre): skipped, nothing to import.
    pub exempt: Vec<(u32, usize)>,
}

impl CountsPreview {
    /// The edit that imports the accepted rows; `None` when there is none.
    #[must_use]
    pub fn edit(&self, session: &Session) -> Option<Edit> {
        let group = session.groups.get(self.group)?;
        let counts: Vec<ImportedCounts> = self
            .accepted
            .iter()
            .map(|a| ImportedCounts {
                cadre: a.cadre,
                name: group
                    .cadres
                    .get(a.cadre)
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
                question: a.question,
                counts: a.counts,
            })
            .collect();
        (!counts.is_empty()).then(|| Edit::ImportCounts {
            group: self.group,
            file: self.file.clone(),
            counts,
        })
    }
}

/// A count cell: `Ok(None)` when empty.
fn parse_count(text: &str) -> Result<Option<u32>, Refusal> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if digits(t) {
        return t
            .parse()
            .map(Some)
            .map_err(|_| Refusal::NotWhole(t.to_owned()));
    }
    match t.strip_prefix('-') {
        Some(rest) if digits(rest) && rest.chars().all(|c| c == '0') => Ok(Some(0)),
        Some(rest) if rest.chars().next().is_some_and(|c| c.is_ascii_digit()) => {
            Err(Refusal::Negative(t.to_owned()))
        }
        _ => Err(Refusal::NotWhole(t.to_owned())),
    }
}

/// An STT cell: a whole number, with or without a trailing dot ("3."); `None` otherwise
/// ("I", "II" head sections of a table).
fn parse_stt(text: &str) -> Option<u32> {
    let t = text.trim().trim_end_matches('.');
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

/// The group's cadres by their cleaned name (made once per sheet: rows are matched against it,
/// not against every cadre again).
type Names = BTreeMap<String, Vec<usize>>;

/// The name in a "Họ và tên, chức vụ" cell that is a cadre's: the whole cell, its first line,
/// or what comes before its first comma or dash, whichever is a name exactly.
fn name_of(text: &str, with_position: bool, names: &Names) -> String {
    let whole = clean_name(text);
    if !with_position {
        return whole;
    }
    let first = text.lines().next().unwrap_or("");
    let candidates = [
        whole.clone(),
        clean_name(first),
        clean_name(first.split(',').next().unwrap_or("")),
        clean_name(first.split(" - ").next().unwrap_or("")),
        clean_name(first.split(" – ").next().unwrap_or("")),
    ];
    candidates
        .into_iter()
        .find(|n| names.contains_key(n))
        .unwrap_or_else(|| clean_name(first))
}

/// Reads the first sheet of `path` as counts for group `group` of `session`. An error is a
/// file that cannot be read or holds no table of counts; anything else is in the preview.
///
/// # Errors
///
/// As [`super::read_grid`], and as [`counts_from_grid`].
pub fn read_counts(path: &Path, session: &Session, group: usize) -> Result<CountsPreview, Message> {
    let grid = super::read_grid(path)?;
    let file = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    counts_from_grid(&grid, session, group, &file)
}

/// What a row's cells say, before matching.
struct RowCells<'a> {
    stt: Option<u32>,
    name: String,
    question: Option<&'a str>,
    counts: bool,
}

/// [`read_counts`] of a sheet already read.
///
/// # Errors
///
/// The message to show when the sheet holds no table of counts (no heading row with the names and
/// levels); a cell that cannot be taken is in the preview instead.
pub fn counts_from_grid(
    grid: &Grid,
    session: &Session,
    group: usize,
    file: &str,
) -> Result<CountsPreview, Message> {
    let g = session.groups.get(group).ok_or_else(|| {
        Message::new(
            format!("Không có nhóm phiếu số {}", group + 1),
            format!("No ballot group number {}", group + 1),
        )
    })?;
    let mut preview = CountsPreview {
        group,
        file: file.to_owned(),
        accepted: Vec::new(),
        refused: Vec::new(),
        exempt: Vec::new(),
    };
    let mut names = Names::new();
    for (i, c) in g.cadres.iter().enumerate() {
        names.entry(clean_name(&c.name)).or_default().push(i);
    }
    let mut reader = Reader {
        grid,
        g,
        names,
        valid: g.voters.valid_sheets(),
        preview: &mut preview,
        seen: BTreeMap::new(),
    };
    let rows = &grid.rows;
    // The columns of the table under way (none before the first header: title rows).
    let mut cols: Option<Columns> = None;
    // The question of the rows under a "Tiêu chí: …" title, or the title refused.
    let mut titled: Option<Result<Question, String>> = None;
    let mut i = 0;
    while let Some(row) = rows.get(i) {
        if let Some(title) = criterion_title(row) {
            titled = Some(question_named(title, g).ok_or_else(|| clean_name(title)));
            i += 1;
            continue;
        }
        if let Some((next, depth)) = header_at(rows, i) {
            reader.check_blocks(&next, file)?;
            cols = Some(next);
            i += depth;
            continue;
        }
        if let Some(cols) = &cols {
            reader.row(i, cols, titled.as_ref());
        }
        i += 1;
    }
    if cols.is_none() {
        return Err(no_header(file));
    }
    reader.finish();
    Ok(preview)
}

fn no_header(file: &str) -> Message {
    Message::new(
        format!(
            "Không tìm thấy hàng tiêu đề của bảng số liệu trong {file}: cần một cột \"STT\" hoặc \"Họ và tên\" và các cột \"Tín nhiệm cao\", \"Tín nhiệm\", \"Tín nhiệm thấp\""
        ),
        format!(
            "No header row of a table of counts in {file}: it needs an \"STT\" or \"Họ và tên\" column and the columns \"Tín nhiệm cao\", \"Tín nhiệm\", \"Tín nhiệm thấp\""
        ),
    )
}

/// Reads the rows of one sheet into a preview.
struct Reader<'a> {
    grid: &'a Grid,
    g: &'a BallotGroup,
    names: Names,
    valid: Option<u32>,
    preview: &'a mut CountsPreview,
    /// (cadre, question) → the rows giving it (accepted or refused after matching).
    seen: BTreeMap<(usize, usize), Vec<u32>>,
}

impl Reader<'_> {
    /// Every block has its three levels, and a question of the group (by its title, else by
    /// its place), each once.
    fn check_blocks(&self, cols: &Columns, file: &str) -> Result<(), Message> {
        let mut questions = Vec::new();
        for (b, block) in cols.blocks.iter().enumerate() {
            if let Some(missing) = Level::ALL
                .into_iter()
                .find(|l| block.levels[level_index(*l)].is_none())
            {
                let label = missing.label();
                return Err(Message::new(
                    format!("Bảng số liệu trong {file} thiếu cột \"{}\"", label.vi),
                    format!(
                        "The table of counts in {file} has no \"{}\" column",
                        label.en
                    ),
                ));
            }
            if cols.blocks.len() == 1 {
                break;
            }
            let by_place = Question::at(b);
            let named = block
                .title
                .as_ref()
                .and_then(|(t, _)| question_named(t, self.g));
            let q = named.unwrap_or(by_place);
            let exists = match q {
                Question::Overall => true,
                Question::Criterion(k) => k < self.g.criteria.len(),
            };
            if !exists || questions.contains(&q) || (named.is_some() && q != by_place) {
                let title = block.title.as_ref().map_or("", |(t, _)| t.as_str());
                return Err(Message::new(
                    format!(
                        "Bảng số liệu trong {file} có {} khối cột (tín nhiệm cao, tín nhiệm, thấp); khối thứ {} (\"{title}\") không ứng với câu hỏi thứ {} của nhóm phiếu (câu hỏi chung rồi {} tiêu chí, theo thứ tự)",
                        cols.blocks.len(),
                        b + 1,
                        b + 1,
                        self.g.criteria.len()
                    ),
                    format!(
                        "The table of counts in {file} has {} blocks of level columns; block {} (\"{title}\") is not question {} of the ballot group (the overall question, then {} criteria, in order)",
                        cols.blocks.len(),
                        b + 1,
                        b + 1,
                        self.g.criteria.len()
                    ),
                ));
            }
            questions.push(q);
        }
        Ok(())
    }

    fn refuse(
        &mut self,
        row: u32,
        column: Option<usize>,
        cadre: Option<usize>,
        question: Question,
        reason: Refusal,
    ) {
        self.preview.refused.push(Refused {
            row: Some(row),
            column: column.map(|j| self.grid.column(j)),
            cadre,
            question,
            reason,
        });
    }

    fn cells<'r>(&self, row: &'r [String], cols: &Columns) -> RowCells<'r> {
        let stt = cols.stt.and_then(|j| parse_stt(cell(row, j)));
        let name = cols
            .name
            .map(|(j, with)| name_of(row.get(j).map_or("", String::as_str), with, &self.names))
            .unwrap_or_default();
        let question = cols.question.map(|j| cell(row, j));
        let counts = cols.blocks.iter().any(|b| {
            b.levels
                .iter()
                .chain([&b.invalid])
                .flatten()
                .any(|&j| !cell(row, j).is_empty())
        });
        RowCells {
            stt,
            name,
            question,
            counts,
        }
    }

    /// The cadre a row names, or why none.
    fn cadre(&self, c: &RowCells<'_>) -> Result<usize, Refusal> {
        let named: &[usize] = self.names.get(&c.name).map_or(&[], Vec::as_slice);
        match c.stt {
            Some(n) => {
                let i = usize::try_from(n)
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .filter(|&i| i < self.g.cadres.len())
                    .ok_or(Refusal::UnknownStt(n))?;
                if !c.name.is_empty() && !named.contains(&i) {
                    return Err(Refusal::SttNameMismatch {
                        stt: n,
                        name: c.name.clone(),
                        listed: self.g.cadres[i].name.clone(),
                    });
                }
                Ok(i)
            }
            None if c.name.is_empty() => Err(Refusal::NoCadre),
            None => match named {
                [] => Err(Refusal::UnknownName(c.name.clone())),
                [i] => Ok(*i),
                _ => Err(Refusal::AmbiguousName(c.name.clone())),
            },
        }
    }

    /// Reads row `i` of the sheet.
    fn row(&mut self, i: usize, cols: &Columns, titled: Option<&Result<Question, String>>) {
        let Some(row) = self.grid.rows.get(i) else {
            return;
        };
        let at = self.grid.row_number(i);
        if let Some(j) = cols.group {
            let other = cell(row, j);
            if !other.is_empty() && clean_name(other) != clean_name(&self.g.name) {
                return;
            }
        }
        let totals = [cols.stt, cols.name.map(|n| n.0)]
            .into_iter()
            .flatten()
            .any(|j| is_totals(cell(row, j)));
        if totals {
            return;
        }
        let c = self.cells(row, cols);
        let names_a_cadre = !c.name.is_empty() && self.names.contains_key(&c.name);
        if c.stt.is_none() && !c.counts && !names_a_cadre {
            return; // A note, a signature, a section's title.
        }
        let cadre = match self.cadre(&c) {
            Ok(cadre) => cadre,
            Err(reason) => {
                let column = match reason {
                    Refusal::UnknownStt(_) => cols.stt,
                    _ => cols.name.map(|n| n.0).or(cols.stt),
                };
                self.refuse(at, column, None, Question::Overall, reason);
                return;
            }
        };
        if let [block] = cols.blocks.as_slice() {
            // One block: the row's question cell says which question, else the criterion
            // title above the table, else it is the overall question.
            let question = match (c.question, titled) {
                (Some(q), _) if !q.is_empty() => {
                    question_named(q, self.g).ok_or_else(|| q.to_owned())
                }
                (_, Some(t)) => t.clone(),
                _ => Ok(Question::Overall),
            };
            match question {
                Ok(q) => self.block(row, at, block, cadre, q),
                Err(text) => self.refuse(
                    at,
                    cols.question,
                    Some(cadre),
                    Question::Overall,
                    Refusal::UnknownQuestion(text),
                ),
            }
            return;
        }
        // The levels repeated: each block is the question at its place (checked against its
        // title when the header was read).
        for (b, block) in cols.blocks.iter().enumerate() {
            self.block(row, at, block, cadre, Question::at(b));
        }
    }

    /// One block of a matched row.
    fn block(&mut self, row: &[String], at: u32, block: &Block, cadre: usize, question: Question) {
        self.seen
            .entry((cadre, question.index()))
            .or_default()
            .push(at);
        let exempt = self
            .g
            .cadres
            .get(cadre)
            .is_some_and(|x| x.exemption.is_some());
        let mut counts = Counts::default();
        let mut fault: Option<(usize, Refusal)> = None;
        let mut any = false;
        for level in Level::ALL {
            let Some(j) = block.levels[level_index(level)] else {
                continue;
            };
            match parse_count(cell(row, j)) {
                Ok(Some(n)) => {
                    any = true;
                    counts.set(level, Some(n));
                }
                Ok(None) => {
                    fault.get_or_insert((j, Refusal::Empty(level)));
                }
                Err(r) => {
                    fault.get_or_insert((j, r));
                }
            }
        }
        if exempt {
            if any {
                self.refuse(at, None, Some(cadre), question, Refusal::ExemptWithCounts);
            } else {
                self.preview.exempt.push((at, cadre));
            }
            return;
        }
        if let Some((j, reason)) = fault {
            self.refuse(at, Some(j), Some(cadre), question, reason);
            return;
        }
        let sum = counts.sum().unwrap_or(0);
        let limit = self
            .valid
            .map(|v| (v, true))
            .or_else(|| self.g.voters.collected.map(|c| (c, false)));
        if let Some((limit, valid)) = limit
            && sum > u64::from(limit)
        {
            let j = block.levels[level_index(Level::Low)];
            self.refuse(
                at,
                j,
                Some(cadre),
                question,
                Refusal::AboveBallots { sum, limit, valid },
            );
            return;
        }
        if let Some(j) = block.invalid {
            match parse_count(cell(row, j)) {
                Ok(Some(given)) => {
                    if let Some(v) = self.valid {
                        let expected = i64::from(v) - i64::try_from(sum).unwrap_or(i64::MAX);
                        if i64::from(given) != expected {
                            self.refuse(
                                at,
                                Some(j),
                                Some(cadre),
                                question,
                                Refusal::InvalidDisagrees { given, expected },
                            );
                            return;
                        }
                    }
                }
                Ok(None) => {}
                Err(r) => {
                    self.refuse(at, Some(j), Some(cadre), question, r);
                    return;
                }
            }
        }
        self.preview.accepted.push(Accepted {
            row: at,
            cadre,
            question,
            counts,
        });
    }

    /// Refuses every row of a cadre and question given twice, and names the cadres on the
    /// ballot the sheet leaves out (for each question it gives).
    fn finish(&mut self) {
        let twice: Vec<((usize, usize), Vec<u32>)> = self
            .seen
            .iter()
            .filter(|(_, rows)| rows.len() > 1)
            .map(|(k, rows)| (*k, rows.clone()))
            .collect();
        for ((cadre, q), rows) in &twice {
            let question = Question::at(*q);
            let same = |r: u32, c: Option<usize>, qq: Question| {
                rows.contains(&r) && c == Some(*cadre) && qq == question
            };
            self.preview
                .accepted
                .retain(|a| !same(a.row, Some(a.cadre), a.question));
            self.preview
                .refused
                .retain(|x| !x.row.is_some_and(|r| same(r, x.cadre, x.question)));
            self.preview
                .exempt
                .retain(|(r, c)| !(rows.contains(r) && c == cadre));
            for &r in rows {
                self.preview.refused.push(Refused {
                    row: Some(r),
                    column: None,
                    cadre: Some(*cadre),
                    question,
                    reason: Refusal::Duplicate(rows.clone()),
                });
            }
        }
        self.preview.refused.sort_by_key(|x| x.row);
        let questions: std::collections::BTreeSet<usize> =
            self.seen.keys().map(|(_, q)| *q).collect();
        for q in questions {
            for (i, c) in self.g.cadres.iter().enumerate() {
                if c.exemption.is_none() && !self.seen.contains_key(&(i, q)) {
                    self.preview.refused.push(Refused {
                        row: None,
                        column: None,
                        cadre: Some(i),
                        question: Question::at(q),
                        reason: Refusal::Missing,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::edit::Edit;
    use crate::model::VoterField;
    use unicode_normalization::UnicodeNormalization;

    /// A group of four cadres (the third exempt), 20 sheets collected, 1 void: 19 valid.
    fn session() -> Session {
        let mut s = Session::default();
        Edit::PasteCadres {
            group: 0,
            text: "Nguyễn Văn An\tBí thư\nTrần Thị Bình\tPhó Bí thư\nLê Văn Cường\tỦy viên\nPhạm Thị Dung\tỦy viên".into(),
        }
        .apply(&mut s)
        .unwrap();
        s.groups[0].name = "Ban Thường vụ".into();
        s.groups[0].cadres[2].exemption = Some("Nghỉ hưu".into());
        for (field, v) in [(VoterField::Collected, 20), (VoterField::VoidSheets, 1)] {
            *field.get_mut(&mut s.groups[0].voters) = Some(v);
        }
        s
    }

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid::new(
            rows.iter()
                .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
                .collect(),
        )
    }

    fn counts(h: u32, m: u32, l: u32) -> Counts {
        Counts {
            high: Some(h),
            medium: Some(m),
            low: Some(l),
        }
    }

    fn read(s: &Session, rows: &[&[&str]]) -> CountsPreview {
        counts_from_grid(&grid(rows), s, 0, "to1.xlsx").unwrap()
    }

    /// Header words in the usual Vietnamese forms, percentages apart from counts.
    #[test]
    fn header_words() {
        for (text, head) in [
            ("Họ và tên", Head::Name),
            ("HỌ VÀ TÊN:", Head::Name),
            ("Họ tên, chức vụ", Head::NamePosition),
            ("TN cao", Head::Level(Level::High)),
            ("Số phiếu tín nhiệm cao", Head::Level(Level::High)),
            ("Tín nhiệm (phiếu)", Head::Level(Level::Medium)),
            ("Tín  nhiệm thấp", Head::Level(Level::Low)),
            ("Không hợp lệ", Head::Invalid),
            ("% tín nhiệm cao", Head::Percent),
            ("Tỷ lệ (%)", Head::Percent),
            ("Số TT", Head::Stt),
            ("Số phiếu", Head::Count),
            ("Chức vụ", Head::Other),
            ("QĐ 41: từ chức", Head::Other),
        ] {
            assert_eq!(classify(text), Some(head), "{text}");
        }
        assert_eq!(classify("Nguyễn Văn An"), None);
    }

    /// Title rows above the header are skipped; rows match by STT and name (the name given in
    /// NFD as a Mac keyboard writes it); percentage and position columns are ignored; the
    /// preview's edit sets the counts as one step.
    #[test]
    fn matched_by_stt_and_name() {
        let mut s = session();
        let nfd: String = "Trần Thị Bình".nfd().collect();
        let p = read(
            &s,
            &[
                &["BẢNG TỔNG HỢP KẾT QUẢ KIỂM PHIẾU - TỔ 1"],
                &[],
                &[
                    "STT",
                    "Họ và tên",
                    "Chức vụ",
                    "Tín nhiệm cao",
                    "%",
                    "Tín nhiệm",
                    "%",
                    "Tín nhiệm thấp",
                    "%",
                    "Không hợp lệ",
                ],
                &[
                    "1",
                    "Nguyễn Văn An",
                    "Bí thư",
                    "10",
                    "52,63",
                    "5",
                    "26,32",
                    "3",
                    "15,79",
                    "1",
                ],
                &["2", &nfd, "Phó Bí thư", "19", "100", "0", "0", "0", "0", ""],
                &["3", "Lê Văn Cường", "Ủy viên", "", "", "", "", "", "", ""],
                &["", "Phạm Thị Dung", "", "7", "", "7", "", "5", "", "0"],
                &["", "Tổng cộng", "", "36", "", "12", "", "8"],
                &[],
                &["", "Người lập biểu"],
                &["", "Đỗ Văn Em"],
            ],
        );
        assert_eq!(p.refused, vec![], "{p:?}");
        assert_eq!(
            p.accepted,
            vec![
                Accepted {
                    row: 4,
                    cadre: 0,
                    question: Question::Overall,
                    counts: counts(10, 5, 3)
                },
                Accepted {
                    row: 5,
                    cadre: 1,
                    question: Question::Overall,
                    counts: counts(19, 0, 0)
                },
                Accepted {
                    row: 7,
                    cadre: 3,
                    question: Question::Overall,
                    counts: counts(7, 7, 5)
                },
            ]
        );
        assert_eq!(p.exempt, vec![(6, 2)]);
        let edit = p.edit(&s).unwrap();
        edit.apply(&mut s).unwrap();
        assert_eq!(s.groups[0].cadres[3].overall, counts(7, 7, 5));
    }

    /// Every reason a row is refused, each with its row and column; refused rows import
    /// nothing, the others still do.
    #[test]
    fn every_refusal_has_its_place() {
        let mut s = session();
        s.groups[0].cadres[3].name = "Nguyễn Văn An".into(); // two cadres with one name
        let head: &[&str] = &["TT", "Họ tên", "TN cao", "TN", "TN thấp", "KHL"];
        let p = read(
            &s,
            &[
                head,
                &["", "Hoàng Văn Giang", "1", "1", "1", ""],
                &["", "Nguyễn Văn An", "1", "1", "1", ""],
                &["2", "Lê Văn Cường", "1", "1", "1", ""],
                &["9", "", "1", "1", "1", ""],
                &["3", "", "1", "0", "0", ""],
                &["", "", "1", "1", "1", ""],
                &["2", "", "9", "9", "1", "0"],
            ],
        );
        let got: Vec<(Option<u32>, Option<String>, Refusal)> = p
            .refused
            .iter()
            .map(|r| (r.row, r.column.map(column_name), r.reason.clone()))
            .collect();
        let at = |row: u32, col: &str, reason: Refusal| (Some(row), Some(col.to_owned()), reason);
        let missing = (None, None, Refusal::Missing);
        assert_eq!(
            got,
            vec![
                at(2, "B", Refusal::UnknownName("Hoàng Văn Giang".into())),
                at(3, "B", Refusal::AmbiguousName("Nguyễn Văn An".into())),
                at(
                    4,
                    "B",
                    Refusal::SttNameMismatch {
                        stt: 2,
                        name: "Lê Văn Cường".into(),
                        listed: "Trần Thị Bình".into()
                    }
                ),
                at(5, "A", Refusal::UnknownStt(9)),
                (Some(6), None, Refusal::ExemptWithCounts),
                at(7, "B", Refusal::NoCadre),
                missing.clone(),
                missing,
            ],
            "{p:#?}"
        );
        assert_eq!(p.refused[6].cadre, Some(0));
        assert_eq!(p.refused[7].cadre, Some(3));
        assert_eq!(
            p.accepted,
            vec![Accepted {
                row: 8,
                cadre: 1,
                question: Question::Overall,
                counts: counts(9, 9, 1)
            }]
        );
        let m = p.refused[2].message(&s.groups[0]);
        assert_eq!(
            m.vi,
            "Dòng 4, cột B: STT 2 là \"Trần Thị Bình\", không phải \"Lê Văn Cường\""
        );
        assert_eq!(
            m.en,
            "Row 4, column B: number 2 is \"Trần Thị Bình\", not \"Lê Văn Cường\""
        );
        let m = p.refused[7].message(&s.groups[0]);
        assert_eq!(m.vi, "Cán bộ số 4, Nguyễn Văn An: không có trong bảng tính");
        // Only the accepted row changes the session.
        let before = s.clone();
        p.edit(&s).unwrap().apply(&mut s).unwrap();
        assert_eq!(s.groups[0].cadres[1].overall, counts(9, 9, 1));
        assert_eq!(s.groups[0].cadres[0], before.groups[0].cadres[0]);
    }

    /// The figures of a matched row: each fault refused at its cell (19 valid sheets).
    #[test]
    fn figure_faults_have_their_cell() {
        let s = session();
        let head: &[&str] = &["TT", "Họ tên", "TN cao", "TN", "TN thấp", "KHL"];
        for (row, col, reason) in [
            (["2,5", "1", "1", ""], "C", Refusal::NotWhole("2,5".into())),
            (["1", "1.0", "1", ""], "D", Refusal::NotWhole("1.0".into())),
            (["-1", "1", "1", ""], "C", Refusal::Negative("-1".into())),
            (["3", "", "1", ""], "D", Refusal::Empty(Level::Medium)),
            (
                ["10", "9", "1", ""],
                "E",
                Refusal::AboveBallots {
                    sum: 20,
                    limit: 19,
                    valid: true,
                },
            ),
            (
                ["10", "5", "1", "2"],
                "F",
                Refusal::InvalidDisagrees {
                    given: 2,
                    expected: 3,
                },
            ),
            (["10", "5", "1", "x"], "F", Refusal::NotWhole("x".into())),
            (
                ["99999999999", "5", "1", ""],
                "C",
                Refusal::NotWhole("99999999999".into()),
            ),
        ] {
            let mut line = vec!["1", ""];
            line.extend(row);
            let p = read(&s, &[head, &line]);
            let r = &p.refused[0];
            assert_eq!(
                (r.row, r.column.map(column_name), &r.reason),
                (Some(2), Some(col.to_owned()), &reason)
            );
            assert_eq!(r.cadre, Some(0));
            assert!(p.accepted.is_empty());
        }
    }

    /// Two rows for one cadre: both refused, whatever they say; the limit is the ballots
    /// collected while the void sheets are not entered.
    #[test]
    fn duplicates_and_collected_limit() {
        let mut s = session();
        s.groups[0].voters.void_sheets = None;
        let p = read(
            &s,
            &[
                &[
                    "STT",
                    "Họ và tên",
                    "Tín nhiệm cao",
                    "Tín nhiệm",
                    "Tín nhiệm thấp",
                ],
                &["1", "Nguyễn Văn An", "10", "5", "3"],
                &["2", "Trần Thị Bình", "10", "10", "1"],
                &["", "Nguyễn Văn An", "10", "5", "4"],
                &["4", "Phạm Thị Dung", "20", "0", "0"],
            ],
        );
        let reasons: Vec<(Option<u32>, Refusal)> = p
            .refused
            .iter()
            .map(|r| (r.row, r.reason.clone()))
            .collect();
        assert_eq!(
            reasons,
            vec![
                (Some(2), Refusal::Duplicate(vec![2, 4])),
                (
                    Some(3),
                    Refusal::AboveBallots {
                        sum: 21,
                        limit: 20,
                        valid: false
                    }
                ),
                (Some(4), Refusal::Duplicate(vec![2, 4])),
            ]
        );
        assert_eq!(p.accepted.len(), 1);
        assert_eq!(p.accepted[0].cadre, 3);
    }

    /// The minutes' own table: "Họ và tên, chức vụ" with the position on a second line, each
    /// level's title over "Số phiếu" and "Tỉ lệ", in either order.
    #[test]
    fn two_row_header_with_merged_titles() {
        let s = session();
        let p = read(
            &s,
            &[
                &[
                    "STT",
                    "Họ và tên, chức vụ",
                    "Tín nhiệm cao",
                    "",
                    "Tín nhiệm",
                    "",
                    "Tín nhiệm thấp",
                    "",
                    "Ghi chú",
                ],
                &[
                    "",
                    "",
                    "Số phiếu",
                    "Tỉ lệ (%)",
                    "Tỉ lệ (%)",
                    "Số phiếu",
                    "Số phiếu",
                    "Tỉ lệ (%)",
                    "",
                ],
                &[
                    "1",
                    "Nguyễn Văn An\nBí thư",
                    "12",
                    "63,16",
                    "26,32",
                    "5",
                    "2",
                    "10,53",
                    "",
                ],
                &[
                    "2",
                    "Trần Thị Bình, Phó Bí thư",
                    "19",
                    "100",
                    "0",
                    "0",
                    "0",
                    "0",
                    "",
                ],
                &[
                    "4",
                    "Phạm Thị Dung - Ủy viên",
                    "1",
                    "5,26",
                    "94,74",
                    "18",
                    "0",
                    "0",
                    "",
                ],
            ],
        );
        assert_eq!(p.refused, vec![]);
        let got: Vec<(usize, Counts)> = p.accepted.iter().map(|a| (a.cadre, a.counts)).collect();
        assert_eq!(
            got,
            vec![
                (0, counts(12, 5, 2)),
                (1, counts(19, 0, 0)),
                (3, counts(1, 18, 0))
            ]
        );
    }

    /// A sheet written as lines of cells separated by `;`.
    fn lines(text: &str) -> Grid {
        Grid::new(
            text.lines()
                .map(|l| l.trim().split(';').map(str::to_owned).collect())
                .collect(),
        )
    }

    /// Two cadres, two criteria.
    fn criteria_session() -> Session {
        let mut s = session();
        s.groups[0].cadres.truncate(2);
        for name in ["Đạo đức", "Kỷ luật"] {
            s.groups[0].add_criterion(name);
        }
        s
    }

    /// Every question of both cadres read, nothing refused.
    fn all_questions_read(p: &CountsPreview) {
        let mut got: Vec<(usize, Question, Counts)> = p
            .accepted
            .iter()
            .map(|a| (a.cadre, a.question, a.counts))
            .collect();
        got.sort_by_key(|x| (x.0, x.1.index()));
        assert_eq!(p.refused, vec![], "{p:#?}");
        assert_eq!(
            got,
            vec![
                (0, Question::Overall, counts(1, 2, 3)),
                (0, Question::Criterion(0), counts(4, 5, 6)),
                (0, Question::Criterion(1), counts(7, 8, 0)),
                (1, Question::Overall, counts(9, 1, 1)),
                (1, Question::Criterion(0), counts(2, 2, 2)),
                (1, Question::Criterion(1), counts(3, 3, 3)),
            ]
        );
    }

    /// Criteria by a question column, a row per cadre and question (tinnhiem's CSV): the
    /// overall question by name or empty, a criterion by name, "Tiêu chí k" or k; another
    /// group's rows left out.
    #[test]
    fn criteria_by_question_column() {
        let sheet = lines(
            "Nhóm;Câu hỏi;STT;Họ và tên;Tín nhiệm cao;Tín nhiệm;Tín nhiệm thấp
             Ban Thường vụ;Tổng thể;1;Nguyễn Văn An;1;2;3
             Ban Thường vụ;Đạo đức;1;Nguyễn Văn An;4;5;6
             Ban Thường vụ;Tiêu chí 2;1;Nguyễn Văn An;7;8;0
             Nhóm khác;Tổng thể;1;Người Khác;1;1;1
             Ban Thường vụ;;2;Trần Thị Bình;9;1;1
             Ban Thường vụ;1;2;Trần Thị Bình;2;2;2
             Ban Thường vụ;Kỷ luật;2;Trần Thị Bình;3;3;3",
        );
        all_questions_read(&counts_from_grid(&sheet, &criteria_session(), 0, "x").unwrap());
    }

    /// Criteria by a "Tiêu chí: …" row over each repeated table (tinnhiem's workbook, with
    /// its totals rows); a criterion the group does not have is refused.
    #[test]
    fn criteria_by_titled_tables() {
        let s = criteria_session();
        let sheet = lines(
            "STT;Họ và tên;Tín nhiệm cao;Tín nhiệm;Tín nhiệm thấp
             1;Nguyễn Văn An;1;2;3
             2;Trần Thị Bình;9;1;1
             ;Tổng cộng;10;3;4

             Tiêu chí: Đạo đức
             STT;Họ và tên;Tín nhiệm cao;Tín nhiệm;Tín nhiệm thấp
             1;Nguyễn Văn An;4;5;6
             2;Trần Thị Bình;2;2;2
             Tiêu chí: Kỷ luật
             STT;Họ và tên;Tín nhiệm cao;Tín nhiệm;Tín nhiệm thấp
             1;Nguyễn Văn An;7;8;0
             2;Trần Thị Bình;3;3;3",
        );
        all_questions_read(&counts_from_grid(&sheet, &s, 0, "x").unwrap());
        let sheet = lines(
            "Tiêu chí: Sức khỏe
             STT;Họ và tên;Tín nhiệm cao;Tín nhiệm;Tín nhiệm thấp
             1;Nguyễn Văn An;1;1;1",
        );
        let p = counts_from_grid(&sheet, &s, 0, "x").unwrap();
        assert_eq!(
            p.refused[0].reason,
            Refusal::UnknownQuestion("Tiêu chí: Sức khỏe".into())
        );
    }

    /// Criteria by the level columns repeated side by side, in question order, under titles;
    /// a block whose title names another question than its place is refused whole.
    #[test]
    fn criteria_by_repeated_columns() {
        let s = criteria_session();
        let wide = |title: &str| {
            let sheet = lines(&format!(
                "STT;Họ và tên;Đánh giá chung;;;{title};;;Tiêu chí 2
                 ;;TN cao;TN;TN thấp;TN cao;TN;TN thấp;TN cao;TN;TN thấp
                 1;Nguyễn Văn An;1;2;3;4;5;6;7;8;0
                 2;Trần Thị Bình;9;1;1;2;2;2;3;3;3"
            ));
            counts_from_grid(&sheet, &s, 0, "to1.xlsx")
        };
        all_questions_read(&wide("Đạo đức").unwrap());
        all_questions_read(&wide("").unwrap());
        let e = wide("Kỷ luật").unwrap_err();
        assert!(e.vi.contains("khối thứ 2 (\"Kỷ luật\")"), "{}", e.vi);
    }

    /// A sheet without a table of counts, or without one of the three levels, is an error
    /// naming what is missing; a group that does not exist too.
    #[test]
    fn no_table_is_an_error() {
        let s = session();
        let e = counts_from_grid(
            &grid(&[&["Họ và tên", "Chức vụ"], &["A", "B"]]),
            &s,
            0,
            "x.csv",
        )
        .unwrap_err();
        assert!(e.vi.contains("Không tìm thấy hàng tiêu đề"), "{}", e.vi);
        let e = counts_from_grid(
            &grid(&[
                &["Họ và tên", "Tín nhiệm cao", "Tín nhiệm thấp"],
                &["Nguyễn Văn An", "1", "1"],
            ]),
            &s,
            0,
            "x.csv",
        )
        .unwrap_err();
        assert!(e.vi.contains("thiếu cột \"Tín nhiệm\""), "{}", e.vi);
        assert!(counts_from_grid(&grid(&[]), &s, 5, "x.csv").is_err());
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Cells a team's sheet may hold: titles, names (one of another group), numbers, odd text.
    const CELLS: [&str; 24] = [
        "",
        "STT",
        "Họ và tên",
        "Họ tên, chức vụ",
        "Tín nhiệm cao",
        "Tín nhiệm",
        "Tín nhiệm thấp",
        "Không hợp lệ",
        "Số phiếu",
        "Tỉ lệ (%)",
        "Câu hỏi",
        "Tiêu chí: Đạo đức",
        "Tổng cộng",
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "Người Lạ",
        "0",
        "1",
        "7",
        "19",
        "-2",
        "2,5",
        "4294967296",
    ];

    proptest! {
        /// No sheet makes the reader panic, and whatever it accepts is importable: a cadre on
        /// the ballot, a question of the group, three counts within the valid sheets, each
        /// (cadre, question) once; the edit then applies.
        #[test]
        fn any_sheet_reads_safely(
            header in any::<bool>(),
            rows in prop::collection::vec(prop::collection::vec(0..CELLS.len(), 0..9), 0..14),
        ) {
            let mut s = tests_session();
            let head = ["STT", "Họ và tên", "Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp", "Không hợp lệ"];
            let grid = Grid::new(
                header
                    .then(|| head.iter().map(|c| (*c).to_owned()).collect())
                    .into_iter()
                    .chain(rows.iter().map(|r| r.iter().map(|&i| CELLS[i].to_owned()).collect()))
                    .collect(),
            );
            if let Ok(p) = counts_from_grid(&grid, &s, 0, "x.xlsx") {
                let g = &s.groups[0];
                let mut seen = Vec::new();
                for a in &p.accepted {
                    let c = &g.cadres[a.cadre];
                    prop_assert!(c.exemption.is_none());
                    prop_assert!(a.question.index() <= g.criteria.len());
                    prop_assert!(a.counts.sum().unwrap() <= 19);
                    prop_assert!(!seen.contains(&(a.cadre, a.question)));
                    seen.push((a.cadre, a.question));
                }
                if let Some(edit) = p.edit(&s) {
                    prop_assert!(edit.apply(&mut s).is_ok());
                }
            }
        }
    }

    fn tests_session() -> Session {
        let mut s = Session::default();
        crate::edit::Edit::PasteCadres {
            group: 0,
            text: "Nguyễn Văn An\tBí thư\nTrần Thị Bình\tPhó Bí thư\nLê Văn Cường\tỦy viên".into(),
        }
        .apply(&mut s)
        .unwrap();
        s.groups[0].add_criterion("Đạo đức");
        s.groups[0].cadres[2].exemption = Some("Nghỉ hưu".into());
        s.groups[0].voters.collected = Some(20);
        s.groups[0].voters.void_sheets = Some(1);
        s
    }
}
