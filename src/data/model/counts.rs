//! The counts of one question for one cadre, by level.

use serde::{Deserialize, Serialize};

/// The three counts of one question for one cadre. Invalid lines are derived.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Tín nhiệm cao.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<u32>,
    /// Tín nhiệm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<u32>,
    /// Tín nhiệm thấp.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<u32>,
}

impl Counts {
    /// All three counts, when all are entered.
    #[must_use]
    pub fn complete(&self) -> Option<(u32, u32, u32)> {
        Some((self.high?, self.medium?, self.low?))
    }

    /// Whether nothing is entered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.high.is_none() && self.medium.is_none() && self.low.is_none()
    }

    /// The count of one level.
    #[must_use]
    pub fn get(&self, level: Level) -> Option<u32> {
        match level {
            Level::High => self.high,
            Level::Medium => self.medium,
            Level::Low => self.low,
        }
    }

    /// Sets the count of one level.
    pub fn set(&mut self, level: Level, value: Option<u32>) {
        match level {
            Level::High => self.high = value,
            Level::Medium => self.medium = value,
            Level::Low => self.low = value,
        }
    }

    /// cao + tín nhiệm + thấp, in `u64` so that no input can overflow it.
    #[must_use]
    pub fn sum(&self) -> Option<u64> {
        let (h, m, l) = self.complete()?;
        Some(u64::from(h) + u64::from(m) + u64::from(l))
    }

    /// Invalid lines (valid sheets − cao − tín nhiệm − thấp); `None` when a count is missing or
    /// the counts exceed the valid sheets (an error, reported by validation).
    #[must_use]
    pub fn invalid_lines(&self, valid_sheets: u32) -> Option<u32> {
        u64::from(valid_sheets)
            .checked_sub(self.sum()?)
            .and_then(|v| u32::try_from(v).ok())
    }
}

/// The three levels of the ballot (Phụ lục 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Tín nhiệm cao.
    High,
    /// Tín nhiệm.
    Medium,
    /// Tín nhiệm thấp.
    Low,
}

impl Level {
    /// The levels in ballot order.
    pub const ALL: [Level; 3] = [Level::High, Level::Medium, Level::Low];

    /// The level as printed on the ballot.
    #[must_use]
    pub fn label(self) -> crate::text::Tr {
        use crate::text::Tr;
        match self {
            Level::High => Tr::new("Tín nhiệm cao", "High confidence"),
            Level::Medium => Tr::new("Tín nhiệm", "Confidence"),
            Level::Low => Tr::new("Tín nhiệm thấp", "Low confidence"),
        }
    }

    /// The field name in archives and paths.
    #[must_use]
    pub fn field(self) -> &'static str {
        match self {
            Level::High => "high",
            Level::Medium => "medium",
            Level::Low => "low",
        }
    }
}
