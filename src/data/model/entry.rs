//! What double entry stores while it runs: each operator's figures and the differing cells.
//!
//! Plain data: the transitions are in [`crate::counting`].

use serde::{Deserialize, Serialize};

use super::counts::{Counts, Level};

/// The figures one operator entered for a group: what double entry compares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntrySnapshot {
    /// Who entered them.
    pub by: String,
    /// Void sheets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub void_sheets: Option<u32>,
    /// Per cadre (group order): the overall counts, then each criterion's.
    pub cadres: Vec<Vec<Counts>>,
}

/// A cell of a group's entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cell {
    /// The void sheets figure.
    VoidSheets,
    /// A count: cadre (group order), question (0 overall, k+1 criterion k), level.
    Count {
        /// The cadre.
        cadre: usize,
        /// 0 for the overall question, k + 1 for criterion k.
        question: usize,
        /// The level.
        level: Level,
    },
}

/// A cell the two entries disagree on, and the committee's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Difference {
    /// Which cell.
    pub cell: Cell,
    /// The first entry's value.
    pub first: Option<u32>,
    /// The second entry's value.
    pub second: Option<u32>,
    /// The value the committee settled on, once decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<u32>,
}

/// Where a group's double entry stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum EntryStage {
    /// The first operator enters the counts (the group's counts are theirs).
    #[default]
    FirstEntry,
    /// The second operator enters the same ballots; the first entry is held here, hidden.
    SecondEntry {
        /// The first entry.
        first: EntrySnapshot,
    },
    /// The entries differ: the committee settles each cell.
    Differences {
        /// The first entry.
        first: EntrySnapshot,
        /// The second entry.
        second: EntrySnapshot,
        /// The differing cells.
        cells: Vec<Difference>,
    },
    /// Both entries agree (or the differences were settled); the counts are the group's.
    Agreed,
}

impl EntryStage {
    /// Whether still at the first entry (the archive omits the default).
    #[must_use]
    pub fn is_first_entry(&self) -> bool {
        matches!(self, EntryStage::FirstEntry)
    }

    /// Whether the group's counts may be typed in this stage.
    #[must_use]
    pub fn counts_editable(&self) -> bool {
        matches!(
            self,
            EntryStage::FirstEntry | EntryStage::SecondEntry { .. }
        )
    }
}
