//! A counting team's sub-totals, kept in a merged archive for the minutes' annex.
//!
//! Plain data: merging is in [`crate::teams`].

use serde::{Deserialize, Serialize};

use super::counts::Counts;

/// One team's sub-totals for one ballot group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamCount {
    /// The team's name ("Tổ 1").
    pub team: String,
    /// The team archive's id ([`crate::model::Session::team_id`]), when it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Sheets this team counted (its share of the ballots collected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected: Option<u32>,
    /// Void sheets among them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub void_sheets: Option<u32>,
    /// Per cadre (group order): the overall counts, then each criterion's.
    pub cadres: Vec<Vec<Counts>>,
}
