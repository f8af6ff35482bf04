//! What an archive keeps of a count from scanned sheets (issue 23): how many sheets the
//! scanner read and how many lines people decided, for the minutes; the files already read,
//! so that none is counted twice; and the sheets that wait for people.
//!
//! A waiting sheet is kept whole (every line as read) until the counting committee decides
//! it, then added to the count and dropped, like a ballot taken from the pile: a sheet
//! declared void as a whole must not leave its clear lines in the totals. It names no voter
//! and no copy (the ballots are identical); it holds what the paper in the scanner's output
//! folder shows anyway, and no longer than the count lasts.

use serde::{Deserialize, Serialize};

use super::{BallotGroup, Counts};

/// What one line of a scanned sheet reads, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LineRead {
    /// Tín nhiệm cao.
    High,
    /// Tín nhiệm.
    Medium,
    /// Tín nhiệm thấp.
    Low,
    /// No box marked: an invalid line.
    None,
    /// Several boxes marked: an invalid line.
    Several,
    /// For people to decide.
    Unclear,
}

impl LineRead {
    /// The word of the CLI's JSON and of `--decide`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            LineRead::High => "high",
            LineRead::Medium => "medium",
            LineRead::Low => "low",
            LineRead::None => "none",
            LineRead::Several => "several",
            LineRead::Unclear => "unclear",
        }
    }

    /// The reading a word names (the words of [`LineRead::code`]).
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        [
            LineRead::High,
            LineRead::Medium,
            LineRead::Low,
            LineRead::None,
            LineRead::Several,
            LineRead::Unclear,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }

    /// The reading in words.
    #[must_use]
    pub fn label(self) -> crate::text::Tr {
        use crate::text::Tr;
        match self {
            LineRead::High => Tr::new("tín nhiệm cao", "high confidence"),
            LineRead::Medium => Tr::new("tín nhiệm", "confidence"),
            LineRead::Low => Tr::new("tín nhiệm thấp", "low confidence"),
            LineRead::None => Tr::new("không đánh dấu (dòng không hợp lệ)", "no mark (void line)"),
            LineRead::Several => Tr::new(
                "đánh dấu nhiều ô (dòng không hợp lệ)",
                "several marks (void line)",
            ),
            LineRead::Unclear => Tr::new("chưa rõ", "unclear"),
        }
    }
}

/// One line of a waiting sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitingLine {
    /// What it reads.
    pub read: LineRead,
    /// Its three boxes' scores, per mille: (dark, faint), in the order high, medium, low.
    pub scores: [(u16, u16); 3],
}

/// A sheet waiting for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaitingSheet {
    /// Its number, given when it was set waiting and never changed (decisions name it; the
    /// others' numbers do not move when one is decided).
    pub number: u32,
    /// The form it was read against ([`crate::documents::ballots::FormTag::id`]): a decision
    /// is refused once the list printed on it has changed.
    pub form: String,
    /// The file it was read from, as given, to show its pixels again.
    pub file: String,
    /// That file's SHA-256 (hex), to find it again if it moved.
    pub sha256: String,
    /// Its pages in the file, from 1 (several for a ballot of several pages).
    pub pages: Vec<u32>,
    /// Every line of the ballot, in printed order.
    pub lines: Vec<WaitingLine>,
}

/// A group's count from scanned sheets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScanCount {
    /// Sheets counted from scans, read by the machine or decided by people.
    #[serde(default)]
    pub sheets: u32,
    /// Lines of those sheets the counting committee decided.
    #[serde(default)]
    pub decided_lines: u32,
    /// The SHA-256 (hex) of every file read: a file is never counted twice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// Sheets waiting for people, in the order read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waiting: Vec<WaitingSheet>,
    /// Sheets ever set waiting: the next one is numbered one more.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub numbered: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl ScanCount {
    /// Nothing scanned: the field is left out of the archive.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A group's whole count as one value: every cadre's counts, the void sheets, the sheets of
/// the ballot-by-ballot count and the scans' record. A batch of scans or a decision is worked
/// out on a copy of the session, off the screen's frame, and applied as the step from one
/// value to the other ([`crate::edit::Edit::ScanStep`]), only onto the very count it started
/// from: nothing typed or decided meanwhile is overwritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCount {
    /// Each cadre's counts, in [`super::Cadre::questions`] order.
    pub counts: Vec<Vec<Counts>>,
    /// The void sheets.
    pub void_sheets: Option<u32>,
    /// The sheets of a ballot-by-ballot count.
    pub ballot_count: Option<u32>,
    /// The scans' record.
    pub scan: ScanCount,
}

impl GroupCount {
    /// The count `group` holds.
    #[must_use]
    pub fn of(group: &BallotGroup) -> Self {
        Self {
            counts: group.all_counts(),
            void_sheets: group.voters.void_sheets,
            ballot_count: group.ballot_count,
            scan: group.scan.clone(),
        }
    }

    /// Writes it into `group` (whose cadres are those it was taken from).
    pub fn write_to(&self, group: &mut BallotGroup) {
        for (cadre, counts) in group.cadres.iter_mut().zip(&self.counts) {
            cadre.set_questions(counts);
        }
        group.voters.void_sheets = self.void_sheets;
        group.ballot_count = self.ballot_count;
        group.scan = self.scan.clone();
    }
}
