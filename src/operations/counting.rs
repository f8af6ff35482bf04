//! Counting as committees count: ballot by ballot, and twice (blind double entry).
//!
//! **Ballot by ballot.** [`BallotCounter`] takes one paper ballot at a time — a mark per line
//! (cao / tín nhiệm / thấp / invalid line), a line being a cadre's overall question or one of
//! its criteria, or the whole sheet void — and keeps only running totals. Every sheet is
//! confirmed the same way (Enter), a void one after V. The marks of the last
//! [`UNDO_BALLOTS`] confirmed ballots are kept in memory, to take them back one by one
//! (Backspace), and dropped with the count: in a committee of five, a stored ballot would
//! break the secrecy of the vote. Nothing individual ever reaches the archive.
//!
//! **Double entry.** Each ballot group moves through
//!
//! ```mermaid
//! stateDiagram-v2
//!     [*] --> FirstEntry
//!     FirstEntry --> SecondEntry: finish_first (all counts entered; hidden, counts cleared)
//!     SecondEntry --> Agreed: finish_second (another operator; identical)
//!     SecondEntry --> Differences: finish_second (another operator; cells differ)
//!     Differences --> Agreed: settle (every differing cell resolved, logged)
//!     Agreed --> FirstEntry: reopen_entry (a reason, logged)
//! ```
//!
//! While the second operator types, the first operator's figures are held in the stage, not
//! in the group's counts, so the screen cannot show them. Whether a group must reach `Agreed`
//! before the session can be finalised is the session's `double_entry` setting.

use thiserror::Error;

use crate::model::{
    Action, BallotGroup, CadreField, Counts, FieldPath, GroupField, Level, Question, Session,
    Timestamp, VoterField,
};
pub use crate::model::{Cell, Difference, EntrySnapshot, EntryStage};
use crate::text::{Message, clean_name};

/// One mark of a ballot line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mark {
    /// Tín nhiệm cao (key 1).
    High,
    /// Tín nhiệm (key 2).
    Medium,
    /// Tín nhiệm thấp (key 3).
    Low,
    /// No box or several boxes ticked: this line only is invalid (key 0).
    Invalid,
}

impl Mark {
    fn slot(self) -> usize {
        match self {
            Mark::High => 0,
            Mark::Medium => 1,
            Mark::Low => 2,
            Mark::Invalid => 3,
        }
    }
}

/// What a key of the ballot screen asks for. The screen maps its keys to these (one table,
/// `src/app/ballot.rs`) and hands them over one by one, in the order they were pressed:
/// [`BallotCounter::press`] is the only way a key changes a count, so the outcome depends on
/// the keys and their order, never on how they fell into frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BallotKey {
    /// Marks the current line and moves to the next (1, 2, 3, 0).
    Mark(Mark),
    /// Marks or unmarks the whole sheet void (V).
    Void,
    /// Confirms the sheet (Enter).
    Confirm,
    /// Takes back the last confirmed sheet (Backspace).
    Undo,
    /// Moves to the line above (↑).
    Up,
    /// Moves to the line below (↓).
    Down,
}

/// What a key did, for the screen: write the totals, or say there was nothing to take back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pressed {
    /// Only the sheet being read changed (a mark, the cursor, the void mark), or nothing.
    Sheet,
    /// The running totals changed (a sheet confirmed or taken back).
    Totals,
    /// Undo with no confirmed sheet left to take back.
    NothingToUndo,
}

/// What the last confirmed ballot was, kept only to take it back once.
#[derive(Debug, Clone, PartialEq, Eq)]
enum LastBallot {
    Valid(Vec<Mark>),
    Void,
}

/// One line of the printed ballot: a cadre's overall question, or one of its criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Line {
    /// The cadre, as an index into the group.
    pub cadre: usize,
    /// 0 for the overall question, k + 1 for criterion k (the order of
    /// [`crate::model::Cadre::questions`]).
    pub question: usize,
}

/// Running totals of a ballot-by-ballot count of one group, every question.
///
/// Exempt cadres are not on the ballot. The lines are in printed order: for each cadre on
/// the ballot, its overall question, then one line per criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotCounter {
    positions: Vec<usize>,
    lines: Vec<Line>,
    totals: Vec<[u32; 4]>,
    valid_sheets: u32,
    void_sheets: u32,
    current: Vec<Option<Mark>>,
    cursor: usize,
    /// The ballot being read is marked void (V), to be confirmed like any other.
    void_marked: bool,
    /// The last confirmed ballots, newest last, at most [`UNDO_BALLOTS`]: kept in memory only,
    /// to take them back, and dropped with the count.
    last: Vec<LastBallot>,
}

/// How many confirmed ballots can be taken back, newest first. Their marks live in memory
/// only while the count runs: enough to correct a slip noticed a few sheets later, too few
/// to rebuild the pile.
pub const UNDO_BALLOTS: usize = 20;

impl BallotCounter {
    /// A fresh count for `group`: zero totals.
    #[must_use]
    pub fn new(group: &BallotGroup) -> Self {
        let positions: Vec<usize> = group
            .cadres
            .iter()
            .enumerate()
            .filter(|(_, c)| c.exemption.is_none())
            .map(|(i, _)| i)
            .collect();
        let questions = 1 + group.criteria.len();
        let lines: Vec<Line> = positions
            .iter()
            .flat_map(|&cadre| (0..questions).map(move |question| Line { cadre, question }))
            .collect();
        let n = lines.len();
        Self {
            positions,
            lines,
            totals: vec![[0; 4]; n],
            valid_sheets: 0,
            void_sheets: 0,
            current: vec![None; n],
            cursor: 0,
            void_marked: false,
            last: Vec::new(),
        }
    }

    /// The count of `group` taken up where it stands: a ballot-by-ballot count under way
    /// (`ballot_count` set) goes on from the group's totals, so that the sheets the scanner
    /// read and the sheets typed here add up in one count (issue 23). `None` when no count is
    /// under way, or when the group's figures cannot be a count's (a line without counts: a
    /// cadre or criterion added since the count began; more marks on a line than valid
    /// sheets: typed over by hand meanwhile).
    #[must_use]
    pub fn resume(group: &BallotGroup) -> Option<Self> {
        let sheets = group.ballot_count?;
        let void = group.voters.void_sheets.unwrap_or(0);
        let valid = sheets.checked_sub(void)?;
        let mut k = Self::new(group);
        k.valid_sheets = valid;
        k.void_sheets = void;
        for (i, line) in k.lines.iter().enumerate() {
            let counts = group.cadres.get(line.cadre)?.questions();
            // A line without counts was not on the ballot when the count began (a cadre or a
            // criterion added since): the count cannot go on as if it had been.
            let (h, m, l) = counts.get(line.question)?.complete()?;
            let invalid = valid.checked_sub(h.checked_add(m)?.checked_add(l)?)?;
            k.totals[i] = [h, m, l, invalid];
        }
        Some(k)
    }

    /// The line the next mark goes to, if the ballot is not full.
    #[must_use]
    pub fn current_line(&self) -> Option<Line> {
        self.lines.get(self.cursor).copied()
    }

    /// The cadre (index in the group) the next mark goes to, if the ballot is not full.
    #[must_use]
    pub fn current_cadre(&self) -> Option<usize> {
        self.current_line().map(|l| l.cadre)
    }

    /// The marks of the ballot being read, per line.
    #[must_use]
    pub fn current_marks(&self) -> &[Option<Mark>] {
        &self.current
    }

    /// Position of the cursor (a line index) on the ballot being read.
    #[must_use]
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The cadres on the ballot, as indices into the group.
    #[must_use]
    pub fn positions(&self) -> &[usize] {
        &self.positions
    }

    /// The lines of the ballot, in printed order.
    #[must_use]
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// Marks the current line and moves to the next; on a full ballot, does nothing.
    pub fn mark(&mut self, mark: Mark) {
        if let Some(slot) = self.current.get_mut(self.cursor) {
            *slot = Some(mark);
            self.cursor += 1;
        }
    }

    /// Moves the cursor to a line of the ballot being read (to correct a mark).
    pub fn go_to(&mut self, line: usize) {
        self.cursor = line.min(self.current.len());
    }

    /// Acts on one key of the ballot screen.
    pub fn press(&mut self, key: BallotKey) -> Pressed {
        match key {
            BallotKey::Mark(m) => self.mark(m),
            BallotKey::Void => self.set_void(!self.void_marked),
            BallotKey::Confirm => {
                self.confirm();
                return Pressed::Totals;
            }
            BallotKey::Undo if self.undo_last() => return Pressed::Totals,
            BallotKey::Undo => return Pressed::NothingToUndo,
            // From past the last line (a full ballot) ↑ goes to the last line; ↓ stops at it.
            BallotKey::Up => self.cursor = self.cursor.saturating_sub(1),
            BallotKey::Down if self.cursor + 1 < self.current.len() => self.cursor += 1,
            BallotKey::Down => {}
        }
        Pressed::Sheet
    }

    /// Marks (or unmarks) the whole sheet being read as void; [`BallotCounter::confirm`]
    /// then counts it so. Every sheet is confirmed the same way (Enter), so that a void sheet
    /// is not counted by the V key alone and an Enter after it never adds an empty sheet.
    pub fn set_void(&mut self, void: bool) {
        self.void_marked = void;
    }

    /// Whether the sheet being read is marked void.
    #[must_use]
    pub fn void_marked(&self) -> bool {
        self.void_marked
    }

    /// Confirms the sheet being read: void if marked so, otherwise a valid ballot whose
    /// unmarked lines are invalid lines (QĐ 96 Điều 6 k.3: no box ticked voids that line
    /// only).
    pub fn confirm(&mut self) {
        if self.void_marked {
            self.void_sheet();
            return;
        }
        let marks: Vec<Mark> = self
            .current
            .iter()
            .map(|m| m.unwrap_or(Mark::Invalid))
            .collect();
        for (total, mark) in self.totals.iter_mut().zip(&marks) {
            total[mark.slot()] += 1;
        }
        self.valid_sheets += 1;
        self.remember(LastBallot::Valid(marks));
        self.clear_current();
    }

    /// Counts the whole sheet as void (not issued by the committee, a name struck out) and
    /// starts the next ballot.
    pub fn void_sheet(&mut self) {
        self.void_sheets += 1;
        self.remember(LastBallot::Void);
        self.clear_current();
    }

    fn remember(&mut self, ballot: LastBallot) {
        if self.last.len() == UNDO_BALLOTS {
            self.last.remove(0);
        }
        self.last.push(ballot);
    }

    /// Takes back the last confirmed ballot; again, the one before, up to [`UNDO_BALLOTS`].
    /// Returns whether there was one.
    pub fn undo_last(&mut self) -> bool {
        match self.last.pop() {
            Some(LastBallot::Valid(marks)) => {
                for (total, mark) in self.totals.iter_mut().zip(&marks) {
                    total[mark.slot()] -= 1;
                }
                self.valid_sheets -= 1;
                true
            }
            Some(LastBallot::Void) => {
                self.void_sheets -= 1;
                true
            }
            None => false,
        }
    }

    fn clear_current(&mut self) {
        self.current.iter_mut().for_each(|m| *m = None);
        self.cursor = 0;
        self.void_marked = false;
    }

    /// How many confirmed ballots can still be taken back.
    #[must_use]
    pub fn can_undo(&self) -> usize {
        self.last.len()
    }

    /// Sheets entered so far (valid + void), to reconcile against ballots collected.
    #[must_use]
    pub fn sheets_entered(&self) -> u32 {
        self.valid_sheets + self.void_sheets
    }

    /// Valid sheets entered.
    #[must_use]
    pub fn valid_sheets(&self) -> u32 {
        self.valid_sheets
    }

    /// Void sheets entered.
    #[must_use]
    pub fn void_sheets(&self) -> u32 {
        self.void_sheets
    }

    /// The running counts of the ballot line `line`.
    #[must_use]
    pub fn counts_at(&self, line: usize) -> Option<Counts> {
        self.totals.get(line).map(|t| Counts {
            high: Some(t[0]),
            medium: Some(t[1]),
            low: Some(t[2]),
        })
    }

    /// Invalid marks of the ballot line `line`.
    #[must_use]
    pub fn invalid_at(&self, line: usize) -> Option<u32> {
        self.totals.get(line).map(|t| t[3])
    }

    /// The running counts per cadre on the ballot: (cadre, every question's counts in the
    /// order of [`crate::model::Cadre::questions`]).
    #[must_use]
    pub fn cadre_totals(&self) -> Vec<(usize, Vec<Counts>)> {
        let mut out: Vec<(usize, Vec<Counts>)> = Vec::with_capacity(self.positions.len());
        for (i, line) in self.lines.iter().enumerate() {
            let Some(counts) = self.counts_at(i) else {
                continue;
            };
            match out.last_mut() {
                Some((cadre, qs)) if *cadre == line.cadre => qs.push(counts),
                _ => out.push((line.cadre, vec![counts])),
            }
        }
        out
    }

    /// Writes the totals into the group: every question's counts of each cadre on the ballot,
    /// and the void sheets. The invalid lines then follow from the collected figure, as for
    /// totals typed by hand.
    pub fn write_to(&self, group: &mut BallotGroup) {
        for (i, counts) in self.cadre_totals() {
            if let Some(cadre) = group.cadres.get_mut(i) {
                cadre.set_questions(&counts);
            }
        }
        group.voters.void_sheets = Some(self.void_sheets);
    }
}

impl EntrySnapshot {
    fn of(group: &BallotGroup, by: &str) -> Self {
        Self {
            by: by.to_owned(),
            void_sheets: group.voters.void_sheets,
            cadres: group.all_counts(),
        }
    }

    fn write_to(&self, group: &mut BallotGroup) {
        group.voters.void_sheets = self.void_sheets;
        for (cadre, counts) in group.cadres.iter_mut().zip(&self.cadres) {
            cadre.set_questions(counts);
        }
    }

    /// Every cell that differs from `other`, in a stable order.
    #[must_use]
    pub fn differences(&self, other: &EntrySnapshot) -> Vec<Difference> {
        let mut out = Vec::new();
        if self.void_sheets != other.void_sheets {
            out.push(Difference {
                cell: Cell::VoidSheets,
                first: self.void_sheets,
                second: other.void_sheets,
                chosen: None,
            });
        }
        for (cadre, (a, b)) in self.cadres.iter().zip(&other.cadres).enumerate() {
            for (question, (ca, cb)) in a.iter().zip(b).enumerate() {
                for level in Level::ALL {
                    if ca.get(level) != cb.get(level) {
                        out.push(Difference {
                            cell: Cell::Count {
                                cadre,
                                question,
                                level,
                            },
                            first: ca.get(level),
                            second: cb.get(level),
                            chosen: None,
                        });
                    }
                }
            }
        }
        out
    }
}

impl Cell {
    /// The field this cell is, in group `group`.
    #[must_use]
    pub fn path(&self, group: usize) -> FieldPath {
        match *self {
            Cell::VoidSheets => FieldPath::Group(group, GroupField::Voters(VoterField::VoidSheets)),
            Cell::Count {
                cadre,
                question,
                level,
            } => FieldPath::Cadre {
                group,
                cadre,
                field: CadreField::Count(Question::at(question), level),
            },
        }
    }
}

/// A refused double-entry transition.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EntryError {
    /// No such group.
    #[error("không có nhóm phiếu số {0} / no ballot group {0}")]
    NoSuchGroup(usize),
    /// The transition does not start from the current stage.
    #[error("không thực hiện được ở bước nhập hiện tại / not possible at the current entry stage")]
    WrongStage,
    /// Counts are missing.
    #[error("còn ô chưa nhập / some counts are not entered")]
    Incomplete,
    /// The second entry must be someone else's.
    #[error(
        "lần nhập thứ hai phải do người khác thực hiện / the second entry must be made by another operator"
    )]
    SameOperator,
    /// Every action is attributed.
    #[error("cần nhập tên người thao tác / the operator's name is required")]
    OperatorRequired,
    /// A difference is not yet settled.
    #[error("còn {0} ô chênh lệch chưa thống nhất / {0} differing cells are not settled")]
    Unsettled(usize),
    /// No such differing cell.
    #[error("không có ô chênh lệch số {0} / no differing cell {0}")]
    NoSuchDifference(usize),
    /// Reopening an agreed entry needs a reason.
    #[error("cần ghi lý do / a reason is required")]
    ReasonRequired,
    /// Scanned sheets wait for the counting committee: they belong to this entry.
    #[error("còn {0} phiếu quét chờ quyết định / {0} scanned sheets wait for a decision")]
    ScansWaiting(usize),
}

impl EntryError {
    /// The message in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        Message::from_bilingual(&self.to_string())
    }
}

fn entry_complete(group: &BallotGroup) -> bool {
    group.voters.void_sheets.is_some()
        && group
            .cadres
            .iter()
            .filter(|c| c.exemption.is_none())
            .all(|c| {
                c.overall.complete().is_some() && c.criteria.iter().all(|q| q.complete().is_some())
            })
}

fn clear_counts(group: &mut BallotGroup) {
    group.voters.void_sheets = None;
    // The sheets a ballot-by-ballot count entered belong to the counts cleared: the next
    // count starts from none, not from the cleared one's sheets, nor from its scanned ones
    // (the files read stay known: the same file is not read twice).
    group.ballot_count = None;
    group.scan.sheets = 0;
    group.scan.decided_lines = 0;
    for c in &mut group.cadres {
        c.overall = Counts::default();
        c.criteria.iter_mut().for_each(|q| *q = Counts::default());
    }
}

impl Session {
    fn group_mut(&mut self, g: usize) -> Result<&mut BallotGroup, EntryError> {
        self.groups.get_mut(g).ok_or(EntryError::NoSuchGroup(g))
    }

    /// First entry done: its figures are set aside, hidden, and the counts cleared for the
    /// second operator.
    ///
    /// # Errors
    ///
    /// [`EntryError::NoSuchGroup`], [`EntryError::OperatorRequired`], [`EntryError::WrongStage`]
    /// unless the group is in its first entry, [`EntryError::ScansWaiting`] while scanned
    /// sheets wait, [`EntryError::Incomplete`] while a count is not entered.
    pub fn finish_first_entry(
        &mut self,
        g: usize,
        by: &str,
        at: Timestamp,
    ) -> Result<(), EntryError> {
        let by = clean_name(by);
        if by.is_empty() {
            return Err(EntryError::OperatorRequired);
        }
        let group = self.group_mut(g)?;
        if !group.entry.is_first_entry() {
            return Err(EntryError::WrongStage);
        }
        if !group.scan.waiting.is_empty() {
            return Err(EntryError::ScansWaiting(group.scan.waiting.len()));
        }
        if !entry_complete(group) {
            return Err(EntryError::Incomplete);
        }
        let first = EntrySnapshot::of(group, &by);
        clear_counts(group);
        group.entry = EntryStage::SecondEntry { first };
        self.log(
            &by,
            at,
            entry_action(self, g, "xong lần nhập thứ nhất / first entry finished"),
        );
        Ok(())
    }

    /// Second entry done: identical entries are agreed; otherwise every differing cell is
    /// listed for the committee.
    ///
    /// # Errors
    ///
    /// [`EntryError::NoSuchGroup`], [`EntryError::OperatorRequired`], [`EntryError::WrongStage`]
    /// unless the group is in its second entry, [`EntryError::SameOperator`] when the first entry's
    /// operator types the second, [`EntryError::Incomplete`] while a count is not entered.
    pub fn finish_second_entry(
        &mut self,
        g: usize,
        by: &str,
        at: Timestamp,
    ) -> Result<usize, EntryError> {
        let by = clean_name(by);
        if by.is_empty() {
            return Err(EntryError::OperatorRequired);
        }
        let group = self.group_mut(g)?;
        let EntryStage::SecondEntry { first } = &group.entry else {
            return Err(EntryError::WrongStage);
        };
        if clean_name(&first.by).to_lowercase() == by.to_lowercase() {
            return Err(EntryError::SameOperator);
        }
        if !entry_complete(group) {
            return Err(EntryError::Incomplete);
        }
        let second = EntrySnapshot::of(group, &by);
        let cells = first.differences(&second);
        let n = cells.len();
        group.entry = if cells.is_empty() {
            EntryStage::Agreed
        } else {
            EntryStage::Differences {
                first: first.clone(),
                second,
                cells,
            }
        };
        let what = if n == 0 {
            "xong lần nhập thứ hai, hai lần khớp nhau / second entry finished, both agree"
                .to_owned()
        } else {
            format!(
                "xong lần nhập thứ hai, {n} ô chênh lệch / second entry finished, {n} cells differ"
            )
        };
        self.log(&by, at, entry_action(self, g, &what));
        Ok(n)
    }

    /// The committee settles one differing cell on `value`; logged.
    ///
    /// # Errors
    ///
    /// [`EntryError::NoSuchGroup`], [`EntryError::WrongStage`]
    /// outside the differences stage, [`EntryError::NoSuchDifference`].
    pub fn resolve_difference(
        &mut self,
        g: usize,
        index: usize,
        value: u32,
        by: &str,
        at: Timestamp,
    ) -> Result<(), EntryError> {
        let group = self.group_mut(g)?;
        let EntryStage::Differences { cells, .. } = &mut group.entry else {
            return Err(EntryError::WrongStage);
        };
        let cell = cells
            .get_mut(index)
            .ok_or(EntryError::NoSuchDifference(index))?;
        cell.chosen = Some(value);
        let (path, first, second) = (cell.cell.path(g), cell.first, cell.second);
        let show = |v: Option<u32>| v.map_or_else(|| "—".to_owned(), |v| v.to_string());
        self.log(
            by,
            at,
            Action::Edit {
                label: Some(path.human(self)),
                path: path.to_string(),
                old: format!("{} | {}", show(first), show(second)),
                new: value.to_string(),
            },
        );
        Ok(())
    }

    /// Every difference settled: the counts become the second entry with the settled values,
    /// and the group is agreed.
    ///
    /// # Errors
    ///
    /// [`EntryError::NoSuchGroup`], [`EntryError::WrongStage`]
    /// outside the differences stage, [`EntryError::Unsettled`] while a difference has no value.
    pub fn settle_differences(
        &mut self,
        g: usize,
        by: &str,
        at: Timestamp,
    ) -> Result<(), EntryError> {
        let group = self.group_mut(g)?;
        let EntryStage::Differences { second, cells, .. } = &group.entry else {
            return Err(EntryError::WrongStage);
        };
        let open = cells.iter().filter(|c| c.chosen.is_none()).count();
        if open > 0 {
            return Err(EntryError::Unsettled(open));
        }
        let mut agreed = second.clone();
        for d in cells {
            match d.cell {
                Cell::VoidSheets => agreed.void_sheets = d.chosen,
                Cell::Count {
                    cadre,
                    question,
                    level,
                } => {
                    if let Some(c) = agreed
                        .cadres
                        .get_mut(cadre)
                        .and_then(|q| q.get_mut(question))
                    {
                        c.set(level, d.chosen);
                    }
                }
            }
        }
        agreed.write_to(group);
        group.entry = EntryStage::Agreed;
        self.log(
            by,
            at,
            entry_action(
                self,
                g,
                "đã thống nhất các ô chênh lệch / differences settled",
            ),
        );
        Ok(())
    }

    /// Agreed → first entry again (to recount), with a reason; the counts stay as agreed.
    ///
    /// # Errors
    ///
    /// [`EntryError::NoSuchGroup`],
    /// [`EntryError::ReasonRequired`], [`EntryError::WrongStage`] unless the group is agreed.
    pub fn reopen_entry(
        &mut self,
        g: usize,
        by: &str,
        at: Timestamp,
        reason: &str,
    ) -> Result<(), EntryError> {
        let reason = clean_name(reason);
        if reason.is_empty() {
            return Err(EntryError::ReasonRequired);
        }
        let group = self.group_mut(g)?;
        if group.entry != EntryStage::Agreed {
            return Err(EntryError::WrongStage);
        }
        group.entry = EntryStage::FirstEntry;
        self.log(
            by,
            at,
            entry_action(
                self,
                g,
                &format!("nhập lại, lý do: {reason} / entry reopened, reason: {reason}"),
            ),
        );
        Ok(())
    }
}

fn entry_action(session: &Session, g: usize, what: &str) -> Action {
    let path = FieldPath::Group(g, GroupField::Entry);
    Action::Edit {
        path: path.to_string(),
        old: String::new(),
        new: what.to_owned(),
        label: Some(path.human(session)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;
    use crate::archive::fixtures::{self, T};

    fn example() -> Session {
        fixtures::example("chi-bo")
    }

    /// Seven ballots typed one by one give the example's totals; Backspace undoes exactly one.
    #[test]
    fn ballots_add_up() {
        let s = example();
        let mut g = s.groups[0].clone();
        let mut k = BallotCounter::new(&g);
        use Mark::*;
        let ballots = [
            [High, High, Medium],
            [High, High, Medium],
            [High, High, High],
            [High, Medium, High],
            [High, Medium, Medium],
            [Medium, Medium, Low],
            [Medium, Low, Medium],
        ];
        for b in ballots {
            for m in b {
                k.mark(m);
            }
            k.confirm();
        }
        // A mistaken extra ballot, taken back.
        k.mark(Low);
        k.confirm();
        assert_eq!(k.sheets_entered(), 8);
        assert!(k.undo_last());
        assert_eq!(k.sheets_entered(), 7);
        let expected = g.clone();
        k.write_to(&mut g);
        for (a, b) in g.cadres.iter().zip(&expected.cadres) {
            assert_eq!(a.overall, b.overall, "{}", a.name);
        }
        assert_eq!(g.voters.void_sheets, Some(0));
    }

    /// Unmarked lines are invalid lines; a void sheet counts apart and can be taken back.
    #[test]
    fn invalid_lines_and_void_sheets() {
        let g = example().groups[0].clone();
        let mut k = BallotCounter::new(&g);
        k.mark(Mark::Low);
        k.confirm();
        k.void_sheet();
        assert_eq!((k.valid_sheets(), k.void_sheets()), (1, 1));
        assert_eq!(k.invalid_at(1), Some(1));
        assert_eq!(k.invalid_at(2), Some(1));
        assert!(k.undo_last());
        assert_eq!(k.void_sheets(), 0);
    }

    /// V marks the sheet void; only Enter counts it, like any sheet, and the Enter after it
    /// starts a fresh ballot instead of adding an empty one.
    #[test]
    fn a_void_sheet_is_confirmed_like_any_other() {
        let g = example().groups[0].clone();
        let mut k = BallotCounter::new(&g);
        k.mark(Mark::High);
        k.set_void(true);
        assert!(k.void_marked());
        assert_eq!(k.sheets_entered(), 0, "V alone counts nothing");
        k.confirm();
        assert_eq!((k.valid_sheets(), k.void_sheets()), (0, 1));
        assert!(!k.void_marked());
        assert_eq!(
            k.counts_at(0),
            Some(counts(0, 0, 0)),
            "a void sheet's marks are not counted"
        );
        k.set_void(true);
        k.set_void(false);
        k.mark(Mark::Low);
        k.confirm();
        assert_eq!((k.valid_sheets(), k.void_sheets()), (1, 1));
    }

    /// Backspace takes back ballots one by one, newest first, up to [`UNDO_BALLOTS`]: the
    /// totals are then those before them.
    #[test]
    fn undo_goes_back_many_ballots() {
        let g = example().groups[0].clone();
        let mut k = BallotCounter::new(&g);
        let mut after_five = None;
        for i in 0..25 {
            k.mark(if i % 2 == 0 { Mark::High } else { Mark::Low });
            if i % 7 == 3 {
                k.set_void(true);
            }
            k.confirm();
            if i == 4 {
                after_five = Some(k.clone());
            }
        }
        for n in 0..UNDO_BALLOTS {
            assert!(k.undo_last(), "undo {n}");
        }
        assert!(!k.undo_last(), "no more than {UNDO_BALLOTS}");
        let five = after_five.unwrap();
        assert_eq!(k.sheets_entered(), 5);
        assert_eq!(
            (k.valid_sheets(), k.void_sheets()),
            (five.valid_sheets(), five.void_sheets())
        );
        for line in 0..k.lines().len() {
            assert_eq!(k.counts_at(line), five.counts_at(line));
            assert_eq!(k.invalid_at(line), five.invalid_at(line));
        }
    }

    /// Each key once: a mark fills the line and moves on, ↑ ↓ stay on the ballot (↑ from past
    /// the last line goes to it), V toggles, Enter counts, Backspace takes back or says there
    /// is nothing to take back.
    #[test]
    fn keys_act_once_each() {
        use BallotKey::{Confirm, Down, Undo, Up, Void};
        let mark = BallotKey::Mark;
        let g = example().groups[0].clone();
        let mut k = BallotCounter::new(&g);
        assert_eq!(k.press(Undo), Pressed::NothingToUndo);
        assert_eq!(k.press(Up), Pressed::Sheet);
        assert_eq!(k.cursor(), 0, "↑ stops at the first line");
        for key in [mark(Mark::High), Down, Down] {
            assert_eq!(k.press(key), Pressed::Sheet);
        }
        assert_eq!(k.cursor(), 2, "↓ stops at the last line");
        k.press(mark(Mark::Low));
        assert_eq!(k.cursor(), 3, "the ballot is full");
        k.press(Up);
        assert_eq!(k.cursor(), 2);
        k.press(mark(Mark::Medium));
        k.press(Void);
        k.press(Void);
        assert!(!k.void_marked(), "V twice unmarks");
        assert_eq!(k.press(Confirm), Pressed::Totals);
        assert_eq!(k.counts_at(0), Some(counts(1, 0, 0)));
        assert_eq!(k.invalid_at(1), Some(1), "the line skipped by ↓ is invalid");
        assert_eq!(k.counts_at(2), Some(counts(0, 1, 0)), "corrected after ↑");
        assert_eq!(k.press(Undo), Pressed::Totals);
        assert_eq!(k.sheets_entered(), 0);
    }

    /// Exempt cadres are not on the ballot.
    #[test]
    fn exempt_not_on_ballot() {
        let mut g = example().groups[0].clone();
        g.cadres[1].exemption = Some("Nghỉ hưu".into());
        let k = BallotCounter::new(&g);
        assert_eq!(k.positions(), &[0, 2]);
    }

    /// The example's first group with two criteria and its second cadre exempt.
    fn with_criteria() -> BallotGroup {
        let mut g = example().groups[0].clone();
        g.add_criterion("Phẩm chất chính trị");
        g.add_criterion("Kết quả thực hiện nhiệm vụ");
        g.cadres[1].exemption = Some("Nghỉ hưu".into());
        g
    }

    fn counts(high: u32, medium: u32, low: u32) -> Counts {
        Counts {
            high: Some(high),
            medium: Some(medium),
            low: Some(low),
        }
    }

    /// A count written into the group and taken up again holds the same totals, and goes on
    /// adding to them; a group whose figures cannot be a count's is not taken up.
    #[test]
    fn a_count_resumes_where_it_stands() {
        let mut g = with_criteria();
        let mut k = BallotCounter::new(&g);
        let lines = k.lines().len();
        for sheet in 0..5 {
            for line in 0..lines {
                k.mark([Mark::High, Mark::Medium, Mark::Low, Mark::Invalid][(sheet + line) % 4]);
            }
            k.confirm();
        }
        k.void_sheet();
        k.write_to(&mut g);
        g.ballot_count = Some(k.sheets_entered());
        let mut again = BallotCounter::resume(&g).unwrap();
        assert_eq!(again.totals, k.totals);
        assert_eq!((again.valid_sheets(), again.void_sheets()), (5, 1));
        for _ in 0..lines {
            again.mark(Mark::Low);
        }
        again.confirm();
        again.write_to(&mut g);
        assert_eq!(g.cadres[0].overall.low, Some(k.totals[0][2] + 1));
        assert!(
            BallotCounter::resume(&with_criteria()).is_none(),
            "no count under way"
        );
        g.cadres[0].overall.high = Some(99);
        assert!(
            BallotCounter::resume(&g).is_none(),
            "more marks than sheets"
        );
    }

    /// With criteria, the lines are each non-exempt cadre's overall question then its
    /// criteria, in printed order; marks walk them one by one.
    #[test]
    fn criteria_lines_in_order() {
        let g = with_criteria();
        let mut k = BallotCounter::new(&g);
        let line = |cadre, question| Line { cadre, question };
        assert_eq!(
            k.lines(),
            &[
                line(0, 0),
                line(0, 1),
                line(0, 2),
                line(2, 0),
                line(2, 1),
                line(2, 2)
            ]
        );
        assert_eq!(k.positions(), &[0, 2]);
        assert_eq!(k.current_line(), Some(line(0, 0)));
        k.mark(Mark::High);
        k.mark(Mark::High);
        assert_eq!(k.current_line(), Some(line(0, 2)));
        assert_eq!(k.current_cadre(), Some(0));
        k.mark(Mark::Low);
        assert_eq!(k.current_cadre(), Some(2));
        k.mark(Mark::Medium);
        k.mark(Mark::Medium);
        k.mark(Mark::Medium);
        assert_eq!(k.current_line(), None);
        k.mark(Mark::Low);
        assert_eq!(
            k.current_marks().len(),
            6,
            "a full ballot takes no more marks"
        );
        assert_eq!(k.current_marks()[5], Some(Mark::Medium));
    }

    /// Marks become per-question totals; unmarked lines are invalid lines of that question
    /// only; a void sheet counts for no line; Backspace takes back exactly one ballot; the
    /// totals reach every question of the group, and the exempt cadre is untouched.
    #[test]
    fn criteria_totals() {
        use Mark::*;
        let mut g = with_criteria();
        let exempt_before = g.cadres[1].clone();
        let mut k = BallotCounter::new(&g);
        let ballots: [&[Mark]; 4] = [
            &[High, Medium, Low, High, High, High],
            &[High, High, Invalid, Medium, Low, Medium],
            // Only the first two lines marked: the four others are invalid lines.
            &[Medium, Low],
            &[Low, Low, Low, Low, Low, Low],
        ];
        for b in ballots {
            for &m in b {
                k.mark(m);
            }
            k.confirm();
        }
        k.void_sheet();
        assert_eq!((k.valid_sheets(), k.void_sheets()), (4, 1));
        // The last one was the void sheet: taking it back leaves the four valid ballots.
        assert!(k.undo_last());
        assert_eq!((k.valid_sheets(), k.void_sheets()), (4, 0));
        // One more ballot, taken back: exactly its marks go.
        for m in [High, High, High, High, High, High] {
            k.mark(m);
        }
        k.confirm();
        assert_eq!(k.counts_at(0), Some(counts(3, 1, 1)));
        assert!(k.undo_last());
        k.void_sheet();

        assert_eq!(k.counts_at(0), Some(counts(2, 1, 1)));
        assert_eq!(k.invalid_at(0), Some(0));
        assert_eq!(k.counts_at(1), Some(counts(1, 1, 2)));
        assert_eq!(k.counts_at(2), Some(counts(0, 0, 2)));
        assert_eq!(k.invalid_at(2), Some(2), "one Invalid key, one unmarked");
        assert_eq!(k.counts_at(3), Some(counts(1, 1, 1)));
        assert_eq!(k.invalid_at(3), Some(1));
        assert_eq!(k.counts_at(4), Some(counts(1, 0, 2)));
        assert_eq!(k.counts_at(5), Some(counts(1, 1, 1)));
        assert_eq!(k.invalid_at(5), Some(1));
        assert_eq!(k.counts_at(6), None);

        k.write_to(&mut g);
        assert_eq!(g.voters.void_sheets, Some(1));
        assert_eq!(g.cadres[0].overall, counts(2, 1, 1));
        assert_eq!(g.cadres[0].criteria, vec![counts(1, 1, 2), counts(0, 0, 2)]);
        assert_eq!(g.cadres[2].overall, counts(1, 1, 1));
        assert_eq!(g.cadres[2].criteria, vec![counts(1, 0, 2), counts(1, 1, 1)]);
        assert_eq!(
            g.cadres[1], exempt_before,
            "the exempt cadre is not on the ballot"
        );
        assert_eq!(
            k.cadre_totals(),
            vec![(0, g.cadres[0].questions()), (2, g.cadres[2].questions())]
        );
    }

    /// Every refused transition: each step from a stage it does not start from, a missing
    /// operator or reason, an unknown group or difference.
    #[test]
    fn refused_transitions() {
        let mut s = example();
        assert_eq!(
            s.finish_first_entry(0, " ", T),
            Err(EntryError::OperatorRequired)
        );
        assert_eq!(
            s.finish_first_entry(9, "A", T),
            Err(EntryError::NoSuchGroup(9))
        );
        assert_eq!(
            s.resolve_difference(0, 0, 1, "A", T),
            Err(EntryError::WrongStage)
        );
        assert_eq!(s.settle_differences(0, "A", T), Err(EntryError::WrongStage));
        assert_eq!(s.reopen_entry(0, "A", T, "x"), Err(EntryError::WrongStage));
        s.finish_first_entry(0, "A", T).unwrap();
        assert_eq!(
            s.finish_second_entry(0, "", T),
            Err(EntryError::OperatorRequired)
        );
        assert_eq!(s.settle_differences(0, "A", T), Err(EntryError::WrongStage));
        assert_eq!(s.reopen_entry(0, "A", T, "x"), Err(EntryError::WrongStage));
        let audit = s.audit.len();
        assert_eq!(
            s.reopen_entry(0, "A", T, "  "),
            Err(EntryError::ReasonRequired)
        );
        assert_eq!(s.audit.len(), audit, "a refused transition logs nothing");
    }

    /// Identical double entry is agreed; the second operator must differ; counts are hidden
    /// during the second entry.
    #[test]
    fn double_entry_agrees() {
        let mut s = example();
        let original = s.groups[0].clone();
        assert_eq!(
            s.finish_second_entry(0, "B", T),
            Err(EntryError::WrongStage)
        );
        s.finish_first_entry(0, "Người A", T).unwrap();
        assert!(s.groups[0].cadres.iter().all(|c| c.overall.is_empty()));
        assert_eq!(
            s.finish_first_entry(0, "Người A", T),
            Err(EntryError::WrongStage)
        );
        assert_eq!(
            s.finish_second_entry(0, "Người B", T),
            Err(EntryError::Incomplete)
        );
        for (c, o) in s.groups[0].cadres.iter_mut().zip(&original.cadres) {
            c.overall = o.overall;
        }
        s.groups[0].voters.void_sheets = Some(0);
        assert_eq!(
            s.finish_second_entry(0, "người a", T),
            Err(EntryError::SameOperator)
        );
        assert_eq!(s.finish_second_entry(0, "Người B", T), Ok(0));
        assert_eq!(s.groups[0].entry, EntryStage::Agreed);
        assert_eq!(s.groups[0].cadres, original.cadres);
    }

    /// A second entry differing in one cell lists exactly that cell; settling it logs the
    /// decision and writes the settled value.
    #[test]
    fn double_entry_differences() {
        let mut s = example();
        let original = s.groups[0].clone();
        s.finish_first_entry(0, "A", T).unwrap();
        for (c, o) in s.groups[0].cadres.iter_mut().zip(&original.cadres) {
            c.overall = o.overall;
        }
        s.groups[0].voters.void_sheets = Some(0);
        s.groups[0].cadres[2].overall.low = Some(2);
        assert_eq!(s.finish_second_entry(0, "B", T), Ok(1));
        let EntryStage::Differences { cells, .. } = &s.groups[0].entry else {
            panic!("expected differences");
        };
        assert_eq!(cells.len(), 1);
        assert_eq!(
            cells[0].cell.path(0).to_string(),
            "groups[0].cadres[2].overall.low"
        );
        assert_eq!((cells[0].first, cells[0].second), (Some(1), Some(2)));
        assert!(!s.groups[0].entry.counts_editable());
        assert_eq!(
            s.settle_differences(0, "C", T),
            Err(EntryError::Unsettled(1))
        );
        s.resolve_difference(0, 0, 1, "Trưởng ban", T).unwrap();
        s.settle_differences(0, "Trưởng ban", T).unwrap();
        assert_eq!(s.groups[0].cadres[2].overall.low, Some(1));
        assert_eq!(s.groups[0].entry, EntryStage::Agreed);
        assert!(s.audit.iter().any(|e| matches!(&e.action, Action::Edit { path, new, .. } if path == "groups[0].cadres[2].overall.low" && new == "1")));
        s.reopen_entry(0, "Trưởng ban", T, "Đếm lại").unwrap();
        assert!(s.groups[0].entry.is_first_entry());
    }
}
