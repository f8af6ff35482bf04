//! Counting teams (tổ kiểm phiếu): a group's sheets split among teams, each counting on its
//! own computer, merged into one archive whose totals are the teams' sums.
//!
//! A team's archive is an ordinary session with `team: "Tổ 1"`, whose counts and
//! collected/void figures are that team's. [`merge`] refuses archives of another vote
//! (different setup: header, profile, groups, cadres, criteria) and a team that is already
//! in (merging the same team twice), so merging is safe to repeat by mistake. A merged
//! archive keeps every team's sub-totals (`groups[g].teams`) for the minutes' annex, and
//! merges again with further teams.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::counting::EntryStage;
use crate::lifecycle::{Action, Status, Timestamp};
use crate::model::{BallotGroup, Counts, Session};
use crate::text::{Message, clean_name};

/// One team's sub-totals for one ballot group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamCount {
    /// The team's name ("Tổ 1").
    pub team: String,
    /// Sheets this team counted (its share of the ballots collected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collected: Option<u32>,
    /// Void sheets among them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub void_sheets: Option<u32>,
    /// Per cadre (group order): the overall counts, then each criterion's.
    pub cadres: Vec<Vec<Counts>>,
}

impl TeamCount {
    fn of(group: &BallotGroup, team: &str) -> Self {
        Self {
            team: team.to_owned(),
            collected: group.voters.collected,
            void_sheets: group.voters.void_sheets,
            cadres: group.all_counts(),
        }
    }

    /// The team's valid sheets (collected − void).
    #[must_use]
    pub fn valid_sheets(&self) -> Option<u32> {
        self.collected?.checked_sub(self.void_sheets?)
    }
}

fn add(a: Option<u32>, b: Option<u32>) -> Option<u32> {
    a?.checked_add(b?)
}

fn add_counts(a: Counts, b: Counts) -> Counts {
    Counts {
        high: add(a.high, b.high),
        medium: add(a.medium, b.medium),
        low: add(a.low, b.low),
    }
}

impl BallotGroup {
    /// The group's figures as the sum of its teams: collected, void sheets and every count
    /// (a figure any team has not entered stays empty). `None` without teams.
    #[must_use]
    pub fn team_sums(&self) -> Option<TeamCount> {
        let mut teams = self.teams.iter();
        let mut sum = teams.next()?.clone();
        for t in teams {
            sum.collected = add(sum.collected, t.collected);
            sum.void_sheets = add(sum.void_sheets, t.void_sheets);
            for (a, b) in sum.cadres.iter_mut().zip(&t.cadres) {
                for (x, y) in a.iter_mut().zip(b) {
                    *x = add_counts(*x, *y);
                }
            }
        }
        sum.team = String::new();
        Some(sum)
    }

    /// Writes the teams' sums into the group's figures (collected, void sheets, counts).
    pub fn apply_team_sums(&mut self) {
        let Some(sum) = self.team_sums() else {
            return;
        };
        self.voters.collected = sum.collected;
        self.voters.void_sheets = sum.void_sheets;
        for (cadre, counts) in self.cadres.iter_mut().zip(&sum.cadres) {
            cadre.set_questions(counts);
        }
    }

    /// Whether the group's figures are exactly the teams' sums (true without teams).
    #[must_use]
    pub fn matches_team_sums(&self) -> bool {
        let Some(sum) = self.team_sums() else {
            return true;
        };
        let mut applied = self.clone();
        applied.apply_team_sums();
        applied.voters == self.voters
            && applied.cadres == self.cadres
            && sum.cadres.len() == self.cadres.len()
    }
}

/// Why archives cannot be merged.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MergeError {
    /// Fewer than two archives.
    #[error("cần ít nhất hai tệp / at least two archives are needed")]
    TooFew,
    /// An archive is of another vote.
    #[error(
        "tệp thứ {0} thuộc cuộc lấy phiếu khác (thông tin hội nghị, nhóm phiếu hoặc danh sách cán bộ khác) / archive {0} is of another vote (different conference, groups or cadres)"
    )]
    DifferentVote(usize),
    /// An archive names no team and has no team sub-totals.
    #[error(
        "tệp thứ {0} không ghi tên tổ kiểm phiếu (trường team) / archive {0} names no counting team (field team)"
    )]
    NoTeam(usize),
    /// An archive's double entry is under way (second entry or differences): its counts are
    /// not yet the team's.
    #[error(
        "tệp thứ {0} đang nhập hai lần (lần nhập thứ hai hoặc đang đối chiếu): chưa có số liệu thống nhất để gộp / archive {0} is in the middle of double entry (second entry or differences): its counts are not settled yet"
    )]
    EntryUnderway(usize),
    /// A sealed archive no longer matches its seal ([`crate::lifecycle::broken_seal`]).
    #[error(
        "tệp thứ {0} đã chốt nhưng không còn khớp mã đã chốt (nội dung bị sửa ngoài ứng dụng, hoặc phiên bản này tính ra kết quả khác) / archive {0} is final but no longer matches its seal (content edited outside the app, or results this version computes differently)"
    )]
    SealBroken(usize),
    /// The same team twice.
    #[error(
        "tổ \"{0}\" đã có trong các tệp khác: không gộp hai lần / team \"{0}\" is already in: not merged twice"
    )]
    OverlappingTeam(String),
}

impl MergeError {
    /// The message in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        Message::from_bilingual(&self.to_string())
    }
}

/// SHA-256 over what makes two archives "the same vote": the header, the profile and base,
/// and each group's name, summoned/present/issued, criteria and cadres (name, position,
/// exemption). Counts, collected and void sheets — what teams split — are left out.
#[must_use]
pub fn setup_fingerprint(session: &Session) -> [u8; 32] {
    let mut s = session.clone();
    s.team = None;
    s.status = Status::Draft;
    s.audit.clear();
    for g in &mut s.groups {
        g.voters.collected = None;
        g.voters.void_sheets = None;
        g.teams.clear();
        g.entry = crate::counting::EntryStage::FirstEntry;
        for c in &mut g.cadres {
            c.overall = Counts::default();
            c.criteria.iter_mut().for_each(|q| *q = Counts::default());
        }
    }
    Sha256::digest(crate::fingerprint::canonical_text(&s).as_bytes()).into()
}

/// Merges team archives (or already merged ones) into one: the setup of the first, every
/// team's sub-totals kept, the group figures their sums. The result is a draft, with the
/// merge in its audit log.
pub fn merge(inputs: &[Session], by: &str, at: Timestamp) -> Result<Session, MergeError> {
    let [first, ..] = inputs else {
        return Err(MergeError::TooFew);
    };
    if inputs.len() < 2 {
        return Err(MergeError::TooFew);
    }
    let setup = setup_fingerprint(first);
    let mut out = first.clone();
    out.team = None;
    out.status = Status::Draft;
    for g in &mut out.groups {
        g.teams.clear();
    }
    let mut names: Vec<String> = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        if setup_fingerprint(input) != setup {
            return Err(MergeError::DifferentVote(i + 1));
        }
        if crate::lifecycle::broken_seal(input).is_some() {
            return Err(MergeError::SealBroken(i + 1));
        }
        if input.groups.iter().any(|g| {
            matches!(
                g.entry,
                EntryStage::SecondEntry { .. } | EntryStage::Differences { .. }
            )
        }) {
            return Err(MergeError::EntryUnderway(i + 1));
        }
        let own = input
            .team
            .as_deref()
            .map(clean_name)
            .filter(|t| !t.is_empty());
        let has_teams = input.groups.iter().any(|g| !g.teams.is_empty());
        let incoming: Vec<String> = match (&own, has_teams) {
            (Some(t), _) => vec![t.clone()],
            (None, true) => input.groups[0]
                .teams
                .iter()
                .map(|t| t.team.clone())
                .collect(),
            (None, false) => return Err(MergeError::NoTeam(i + 1)),
        };
        for t in &incoming {
            if names.iter().any(|n| n.to_lowercase() == t.to_lowercase()) {
                return Err(MergeError::OverlappingTeam(t.clone()));
            }
            names.push(t.clone());
        }
        for (g, group) in input.groups.iter().enumerate() {
            let target = &mut out.groups[g];
            match &own {
                Some(t) => target.teams.push(TeamCount::of(group, t)),
                None => target.teams.extend(group.teams.iter().cloned()),
            }
        }
    }
    // A group's sums stand agreed only if every team agreed its own double entry; otherwise
    // the merged group starts at the first entry (never one team's half-done stage).
    for (g, group) in out.groups.iter_mut().enumerate() {
        group.apply_team_sums();
        let all_agreed = inputs.iter().all(|s| {
            s.groups
                .get(g)
                .is_some_and(|x| x.entry == EntryStage::Agreed)
        });
        group.entry = if all_agreed {
            EntryStage::Agreed
        } else {
            EntryStage::FirstEntry
        };
    }
    out.log(
        by,
        at,
        Action::Edit {
            path: "groups[*].teams".into(),
            old: String::new(),
            new: format!("gộp các tổ / merged teams: {}", names.join(", ")),
        },
    );
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;
    use crate::archive::{
        self,
        fixtures::{T, example},
    };

    /// The provincial example split between two teams: 30 and 20 sheets.
    fn teams() -> (Session, Session, Session) {
        let whole = example("tinh-uy");
        let mut a = whole.clone();
        let mut b = whole.clone();
        a.team = Some("Tổ 1".into());
        b.team = Some("Tổ 2".into());
        a.groups[0].voters.collected = Some(30);
        a.groups[0].voters.void_sheets = Some(1);
        b.groups[0].voters.collected = Some(20);
        b.groups[0].voters.void_sheets = Some(0);
        for ((ca, cb), cw) in a.groups[0]
            .cadres
            .iter_mut()
            .zip(b.groups[0].cadres.iter_mut())
            .zip(&whole.groups[0].cadres)
        {
            if let Some((h, m, l)) = cw.overall.complete() {
                // Team 1 takes 29 valid sheets' worth, team 2 the rest.
                let h1 = h.min(29);
                let m1 = m.min(29 - h1);
                let l1 = l.min(29 - h1 - m1);
                ca.overall = Counts {
                    high: Some(h1),
                    medium: Some(m1),
                    low: Some(l1),
                };
                cb.overall = Counts {
                    high: Some(h - h1),
                    medium: Some(m - m1),
                    low: Some(l - l1),
                };
            }
        }
        (whole, a, b)
    }

    /// Double entry of group 0 by two operators who agree.
    fn agree(s: &mut Session) {
        let typed = s.groups[0].clone();
        s.finish_first_entry(0, "Người A", T).unwrap();
        let g = &mut s.groups[0];
        g.voters.void_sheets = typed.voters.void_sheets;
        for (c, t) in g.cadres.iter_mut().zip(&typed.cadres) {
            c.set_questions(&t.questions());
        }
        assert_eq!(s.finish_second_entry(0, "Người B", T), Ok(0));
        assert_eq!(s.groups[0].entry, EntryStage::Agreed);
    }

    /// A merged group stands agreed only when every team agreed its own double entry, and a
    /// team still in the middle of it is refused: one team's stage never becomes the merge's.
    #[test]
    fn merge_entry_stages() {
        let (_, mut a, mut b) = teams();
        agree(&mut a);
        let merged = merge(&[a.clone(), b.clone()], "Trưởng ban", T).unwrap();
        assert_eq!(merged.groups[0].entry, EntryStage::FirstEntry);
        let merged = merge(&[b.clone(), a.clone()], "Trưởng ban", T).unwrap();
        assert_eq!(merged.groups[0].entry, EntryStage::FirstEntry);
        agree(&mut b);
        let merged = merge(&[a.clone(), b.clone()], "Trưởng ban", T).unwrap();
        assert_eq!(merged.groups[0].entry, EntryStage::Agreed);

        let (_, mut c, _) = teams();
        c.team = Some("Tổ 3".into());
        c.finish_first_entry(0, "Người A", T).unwrap();
        assert_eq!(
            merge(&[a.clone(), c], "Trưởng ban", T),
            Err(MergeError::EntryUnderway(2))
        );
        let mut sealed = b.clone();
        sealed.finalise("Người B", T).unwrap();
        sealed.groups[0].cadres[0].overall.high = Some(0);
        assert_eq!(
            merge(&[a, sealed], "Trưởng ban", T),
            Err(MergeError::SealBroken(2))
        );
    }

    /// Two teams merge into the whole: sums equal the undivided count, sub-totals kept.
    #[test]
    fn merge_sums_teams() {
        let (whole, a, b) = teams();
        let merged = merge(&[a, b], "Trưởng ban", T).unwrap();
        let g = &merged.groups[0];
        assert_eq!(g.teams.len(), 2);
        assert_eq!(g.voters, whole.groups[0].voters);
        for (m, w) in g.cadres.iter().zip(&whole.groups[0].cadres) {
            assert_eq!(m.overall, w.overall, "{}", m.name);
        }
        assert!(g.matches_team_sums());
        assert!(!crate::validate::validate(&merged).has_errors());
        let mut edited = merged.clone();
        edited.groups[0].cadres[0].overall.high = Some(0);
        assert!(
            crate::validate::validate(&edited).contains(crate::validate::Code::TeamSumsMismatch)
        );
        assert_eq!(merged.team, None);
        assert_eq!(merged.audit.len(), 1);
    }

    /// The same team twice, a merged archive with one of its teams, an archive of another
    /// vote, and an archive without a team are refused.
    #[test]
    fn merge_refusals() {
        let (_, a, b) = teams();
        assert_eq!(
            merge(&[a.clone(), a.clone()], "x", T),
            Err(MergeError::OverlappingTeam("Tổ 1".into()))
        );
        let merged = merge(&[a.clone(), b.clone()], "x", T).unwrap();
        assert_eq!(
            merge(&[merged.clone(), b.clone()], "x", T),
            Err(MergeError::OverlappingTeam("Tổ 2".into()))
        );
        let mut other = b.clone();
        other.groups[0].cadres[0].name = "Người khác".into();
        assert_eq!(
            merge(&[a.clone(), other], "x", T),
            Err(MergeError::DifferentVote(2))
        );
        let mut anonymous = b;
        anonymous.team = None;
        assert_eq!(
            merge(&[a.clone(), anonymous], "x", T),
            Err(MergeError::NoTeam(2))
        );
        assert_eq!(merge(&[a], "x", T), Err(MergeError::TooFew));
    }

    /// A merged archive merges again with a third team, and survives the archive round trip.
    #[test]
    fn merge_again() {
        let (_, a, b) = teams();
        let ab = merge(&[a.clone(), b], "x", T).unwrap();
        let mut c = a.clone();
        c.team = Some("Tổ 3".into());
        let abc = merge(&[ab, c], "x", T).unwrap();
        assert_eq!(abc.groups[0].teams.len(), 3);
        assert_eq!(abc.groups[0].voters.collected, Some(80));
        let back = archive::from_str(&archive::to_string(&abc).unwrap()).unwrap();
        assert_eq!(back, abc);
    }
}
