//! Counting teams (tổ kiểm phiếu): a group's sheets split among teams, each counting on its
//! own computer, merged into one archive whose totals are the teams' sums.
//!
//! A team's archive is an ordinary session with `team: "Tổ 1"`, whose counts and
//! collected/void figures are that team's. [`merge`] refuses archives of another vote
//! (different setup: header, profile, groups, cadres, criteria) and a team that is already
//! in (merging the same team twice), so merging is safe to repeat by mistake. A merged
//! archive keeps every team's sub-totals (`groups[g].teams`) for the minutes' annex, and
//! merges again with further teams.

use sha2::{Digest, Sha256};
use thiserror::Error;

pub use crate::model::TeamCount;
use crate::model::{Action, BallotGroup, Counts, EntryStage, Level, Session, Status, Timestamp};
use crate::text::{Message, clean_name};

impl TeamCount {
    fn of(group: &BallotGroup, team: &str, id: Option<&str>) -> Self {
        Self {
            team: team.to_owned(),
            id: id.map(str::to_owned),
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

/// A team sum that does not fit in a count (more than 4,294,967,295): the field, relative to
/// its group ("voters.collected", `"cadres[2].overall.low"`). Never a silent empty field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumOverflow(pub String);

/// `a + b`; empty when either is (not entered), an error when the sum does not fit.
fn add(
    a: Option<u32>,
    b: Option<u32>,
    path: impl FnOnce() -> String,
) -> Result<Option<u32>, SumOverflow> {
    match (a, b) {
        (Some(a), Some(b)) => a
            .checked_add(b)
            .map(Some)
            .ok_or_else(|| SumOverflow(path())),
        _ => Ok(None),
    }
}

fn add_counts(a: Counts, b: Counts, at: &dyn Fn(Level) -> String) -> Result<Counts, SumOverflow> {
    Ok(Counts {
        high: add(a.high, b.high, || at(Level::High))?,
        medium: add(a.medium, b.medium, || at(Level::Medium))?,
        low: add(a.low, b.low, || at(Level::Low))?,
    })
}

impl BallotGroup {
    /// The group's figures as the sum of its teams: collected, void sheets and every count
    /// (a figure any team has not entered stays empty). `None` without teams; an error names
    /// the first sum that does not fit in a count.
    ///
    /// # Errors
    ///
    /// [`SumOverflow`] naming the first sum that does not fit in a count.
    pub fn team_sums(&self) -> Result<Option<TeamCount>, SumOverflow> {
        let mut teams = self.teams.iter();
        let Some(first) = teams.next() else {
            return Ok(None);
        };
        let mut sum = first.clone();
        for t in teams {
            sum.collected = add(sum.collected, t.collected, || "voters.collected".into())?;
            sum.void_sheets = add(sum.void_sheets, t.void_sheets, || {
                "voters.void_sheets".into()
            })?;
            for (c, (a, b)) in sum.cadres.iter_mut().zip(&t.cadres).enumerate() {
                for (q, (x, y)) in a.iter_mut().zip(b).enumerate() {
                    let question = if q == 0 {
                        "overall".to_owned()
                    } else {
                        format!("criteria[{}]", q - 1)
                    };
                    let at = |level: Level| format!("cadres[{c}].{question}.{}", level.field());
                    *x = add_counts(*x, *y, &at)?;
                }
            }
        }
        sum.team = String::new();
        sum.id = None;
        Ok(Some(sum))
    }

    /// Writes the teams' sums into the group's figures (collected, void sheets, counts);
    /// nothing is written when a sum does not fit.
    ///
    /// # Errors
    ///
    /// As [`Self::team_sums`]; nothing is written then.
    pub fn apply_team_sums(&mut self) -> Result<(), SumOverflow> {
        let Some(sum) = self.team_sums()? else {
            return Ok(());
        };
        self.voters.collected = sum.collected;
        self.voters.void_sheets = sum.void_sheets;
        for (cadre, counts) in self.cadres.iter_mut().zip(&sum.cadres) {
            cadre.set_questions(counts);
        }
        Ok(())
    }

    /// Whether the group's figures are exactly the teams' sums (true without teams).
    #[must_use]
    pub fn matches_team_sums(&self) -> bool {
        let Ok(sum) = self.team_sums() else {
            return false;
        };
        let Some(sum) = sum else {
            return true;
        };
        let mut applied = self.clone();
        if applied.apply_team_sums().is_err() {
            return false;
        }
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
    /// An archive's ballot-by-ballot count is not finished: its counts are not the team's yet.
    #[error(
        "tệp thứ {0} đang đếm từng phiếu dở dang: chưa đủ số phiếu thu về / archive {0} has a ballot-by-ballot count under way: not every collected sheet is counted"
    )]
    CountUnderway(usize),
    /// A sealed archive no longer matches its seal ([`crate::lifecycle::broken_seal`]).
    #[error(
        "tệp thứ {0} đã chốt nhưng không còn khớp mã đã chốt (nội dung bị sửa ngoài ứng dụng, hoặc phiên bản này tính ra kết quả khác) / archive {0} is final but no longer matches its seal (content edited outside the app, or results this version computes differently)"
    )]
    SealBroken(usize),
    /// Two inputs carry the same team archive id: the same team's file twice (a copy,
    /// perhaps renamed, or with its team renamed).
    #[error(
        "tệp thứ {0} và tệp thứ {1} là cùng một tệp của tổ kiểm phiếu (cùng mã tổ): không gộp hai lần / archives {0} and {1} are the same team's archive (same team id): not merged twice"
    )]
    SameTeamArchive(usize, usize),
    /// Two inputs counted exactly the same figures: almost surely one team's counts twice.
    #[error(
        "tệp thứ {0} và tệp thứ {1} có số liệu kiểm phiếu giống hệt nhau: nhiều khả năng là cùng một tổ, không gộp / archives {0} and {1} hold identical counts: almost surely the same team twice, not merged"
    )]
    IdenticalCounts(usize, usize),
    /// An archive that names its team but also holds teams' sub-totals (a merged archive
    /// given a team name): its teams could not be checked.
    #[error(
        "tệp thứ {0} vừa ghi tên tổ vừa chứa kết quả gộp của các tổ: xóa tên tổ của tệp gộp rồi gộp lại / archive {0} names a team but also holds merged teams: clear the merged archive's team name and merge again"
    )]
    TeamAndTeams(usize),
    /// A sum does not fit in a count.
    #[error(
        "tổng của các tổ tại {0} vượt quá giới hạn 4.294.967.295: kiểm tra lại số liệu các tổ / the teams' sum at {0} exceeds 4,294,967,295: check the teams' figures"
    )]
    Overflow(String),
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
    s.team_id = None;
    s.status = Status::Draft;
    s.audit.clear();
    for g in &mut s.groups {
        g.voters.collected = None;
        g.voters.void_sheets = None;
        g.teams.clear();
        g.entry = crate::counting::EntryStage::FirstEntry;
        g.ballot_count = None;
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
///
/// # Errors
///
/// [`MergeError`]: fewer than two archives, archives of different votes, one without its team, an
/// entry or a count underway, a broken seal, the same team twice or identical counts, a sum that
/// does not fit.
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
        // Each team's own finished count; the merged figures are the sums.
        g.ballot_count = None;
    }
    out.team_id = None;
    let mut seen = Seen::default();
    for (i, input) in inputs.iter().enumerate() {
        check_input(i + 1, input, &setup)?;
        let teams = seen.admit(i + 1, input)?;
        for (target, teams) in out.groups.iter_mut().zip(teams) {
            target.teams.extend(teams);
        }
    }
    let names = seen.names;
    // A group's sums stand agreed only if every team agreed its own double entry; otherwise
    // the merged group starts at the first entry (never one team's half-done stage).
    for (g, group) in out.groups.iter_mut().enumerate() {
        group
            .apply_team_sums()
            .map_err(|SumOverflow(at)| MergeError::Overflow(format!("groups[{g}].{at}")))?;
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
            path: crate::model::FieldPath::Teams.to_string(),
            old: String::new(),
            new: format!("gộp các tổ / merged teams: {}", names.join(", ")),
            label: Some(crate::model::FieldPath::Teams.human(&out)),
        },
    );
    Ok(out)
}

/// Refuses input `n` (1-based) when it is of another vote, sealed but edited, or in the middle
/// of double entry.
fn check_input(n: usize, input: &Session, setup: &[u8; 32]) -> Result<(), MergeError> {
    if setup_fingerprint(input) != *setup {
        return Err(MergeError::DifferentVote(n));
    }
    if crate::lifecycle::broken_seal(input).is_some() {
        return Err(MergeError::SealBroken(n));
    }
    if input.groups.iter().any(|g| {
        matches!(
            g.entry,
            EntryStage::SecondEntry { .. } | EntryStage::Differences { .. }
        )
    }) {
        return Err(MergeError::EntryUnderway(n));
    }
    if input.groups.iter().any(|g| {
        g.ballot_count
            .is_some_and(|n| g.voters.collected != Some(n))
    }) {
        return Err(MergeError::CountUnderway(n));
    }
    Ok(())
}

/// What a merge has taken in so far, so that no team comes in twice: under another spelling
/// of its name, from the same team archive (its id), or as the same counts under two names.
#[derive(Default)]
struct Seen {
    /// The teams' names, in the order merged.
    names: Vec<String>,
    /// Each team archive id and the input (1-based) it came from.
    ids: Vec<(String, usize)>,
    /// Each input's counted content and its number.
    contents: Vec<(Vec<TeamCount>, usize)>,
}

impl Seen {
    /// Takes in input `n` (1-based): its teams' sub-totals, group by group.
    fn admit(&mut self, n: usize, input: &Session) -> Result<Vec<Vec<TeamCount>>, MergeError> {
        let own = input
            .team
            .as_deref()
            .map(clean_name)
            .filter(|t| !t.is_empty());
        // A merged archive later given a team name: its teams would go unchecked.
        if own.is_some() && input.groups.iter().any(|g| !g.teams.is_empty()) {
            return Err(MergeError::TeamAndTeams(n));
        }
        let teams: Vec<Vec<TeamCount>> = match &own {
            Some(t) => input
                .groups
                .iter()
                .map(|g| vec![TeamCount::of(g, t, input.team_id.as_deref())])
                .collect(),
            None if input.groups.iter().any(|g| !g.teams.is_empty()) => {
                input.groups.iter().map(|g| g.teams.clone()).collect()
            }
            None => return Err(MergeError::NoTeam(n)),
        };
        let incoming: Vec<String> = teams
            .first()
            .map(|g| g.iter().map(|t| t.team.clone()).collect())
            .unwrap_or_default();
        for t in incoming {
            if self.names.iter().any(|m| team_key(m) == team_key(&t)) {
                return Err(MergeError::OverlappingTeam(t));
            }
            self.names.push(t);
        }
        let counted: Vec<TeamCount> = teams.iter().flatten().cloned().collect();
        for id in counted.iter().filter_map(|t| t.id.clone()) {
            if let Some((_, j)) = self.ids.iter().find(|(other, j)| *other == id && *j != n) {
                return Err(MergeError::SameTeamArchive(*j, n));
            }
            self.ids.push((id, n));
        }
        // Two different team archive ids are two teams, even with the same figures (15 and
        // 15 sheets all "tín nhiệm cao"); without ids, identical figures are one team twice.
        let ids = |c: &[TeamCount]| c.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
        let told_apart = |c: &[TeamCount]| {
            let (a, b) = (ids(c), ids(&counted));
            a.iter().chain(&b).all(Option::is_some) && a != b
        };
        if let Some((_, j)) = self
            .contents
            .iter()
            .find(|(c, _)| same_counts(c, &counted) && !told_apart(c))
        {
            return Err(MergeError::IdenticalCounts(*j, n));
        }
        self.contents.push((counted, n));
        Ok(teams)
    }
}

/// Whether two inputs counted the same figures: every team's collected and void sheets and
/// every count, whatever the teams are called.
fn same_counts(a: &[TeamCount], b: &[TeamCount]) -> bool {
    let figures = |t: &TeamCount| (t.collected, t.void_sheets, t.cadres.clone());
    a.len() == b.len() && a.iter().map(figures).eq(b.iter().map(figures))
}

/// A team's name as a person compares it: NFC, without invisible characters
/// ([`clean_name`]), letter case and spaces ignored, numbers by value ("Tổ 01" is "tổ1", as is
/// "TỔ 1" and "Tổ 1" followed by a zero-width space).
#[must_use]
pub fn team_key(name: &str) -> String {
    let clean = clean_name(name).to_lowercase();
    let mut key = String::with_capacity(clean.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, key: &mut String| {
        if !digits.is_empty() {
            let trimmed = digits.trim_start_matches('0');
            key.push_str(if trimmed.is_empty() { "0" } else { trimmed });
            digits.clear();
        }
    };
    for c in clean.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            // A space ends a number ("Tổ 1 2" is not "Tổ 12") but is not itself compared.
            flush(&mut digits, &mut key);
            if c.is_whitespace() {
                if key.ends_with(|k: char| k.is_ascii_digit()) {
                    key.push('|');
                }
            } else {
                key.push(c);
            }
        }
    }
    flush(&mut digits, &mut key);
    key
}

/// A new team archive id: made once, when an archive is given its team, so that the same
/// team's file is recognised in a merge even when copied, renamed or its team renamed. Unique
/// from the clock, the process and a counter; not a secret.
#[must_use]
pub fn new_team_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut h = Sha256::new();
    h.update(nanos.to_le_bytes());
    h.update(std::process::id().to_le_bytes());
    h.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    crate::encode::hex(&h.finalize()[..8])
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
