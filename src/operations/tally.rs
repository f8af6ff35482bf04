//! The tally: counts → exact fractions over the profile's base, the band of the overall
//! question, the QĐ 41 facts and the ranking by "tín nhiệm cao".
//!
//! The tally never fails: what cannot be computed (a count missing, no base) is `None`, and
//! validation says why. The GUI, the CLI and the documents all read this one structure.

use serde::Serialize;

use crate::fraction::Fraction;
use crate::model::{Counts, Session, Voters};
use crate::rules::{BandId, BaseKind, ProfileId, QD41};

/// The results of a whole session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// The profile the results were computed under.
    pub profile: ProfileId,
    /// The base of percentages in effect.
    pub base_kind: BaseKind,
    /// One result per ballot group, in session order.
    pub groups: Vec<GroupTally>,
    /// Whether Quy định 41-QĐ/TW's grounds apply (a party profile, a vote before its repeal).
    pub qd41_applies: bool,
    /// The elected body a state profile's band sentences name.
    pub state_body: crate::rules::StateBody,
}

/// The results of one ballot group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupTally {
    /// The group's name.
    pub name: String,
    /// The base figure (`None` when not entered).
    pub base: Option<u32>,
    /// Whether the quorum is met (`false` when unknown).
    pub quorum_met: bool,
    /// The voters' figures as entered.
    pub voters: Voters,
    /// Phiếu hợp lệ (collected − void), when known and consistent.
    pub valid_sheets: Option<u32>,
    /// The criterion questions' names, in order.
    pub criteria: Vec<String>,
    /// One result per cadre, in ballot order (exempt cadres included, with no results).
    pub cadres: Vec<CadreTally>,
}

/// The results of one cadre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CadreTally {
    /// Position of the cadre in the group (0-based), for paths and links back to the entry grid.
    pub index: usize,
    /// Full name.
    pub name: String,
    /// Position (chức vụ).
    pub position: String,
    /// The exemption reason, if exempt.
    pub exemption: Option<String>,
    /// The overall (official) question, when computable.
    pub overall: Option<QuestionTally>,
    /// The criterion questions, aligned with [`GroupTally::criteria`].
    pub criteria: Vec<Option<QuestionTally>>,
    /// The band of the overall question's "tín nhiệm thấp" share, if any.
    pub band: Option<BandId>,
    /// QĐ 41-QĐ/TW facts about the overall question.
    pub qd41: Qd41Facts,
    /// Rank by "tín nhiệm cao" (1 = most), ties sharing a rank; `None` for exempt or
    /// incomplete cadres.
    pub rank: Option<u32>,
}

/// QĐ 41-QĐ/TW facts: shown next to the profile's band, since at exactly 2/3 they disagree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Qd41Facts {
    /// More than 1/2 low: a ground for resignation.
    pub resign_ground: bool,
    /// More than 2/3 low: a ground for dismissal.
    pub dismiss_ground: bool,
}

/// One question's results for one cadre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QuestionTally {
    /// Tín nhiệm cao.
    pub high: Share,
    /// Tín nhiệm.
    pub medium: Share,
    /// Tín nhiệm thấp.
    pub low: Share,
    /// Lines left blank or marked twice on otherwise valid sheets; `None` when the counts
    /// exceed the valid sheets (an error) or the valid sheets are unknown.
    pub invalid_lines: Option<Share>,
}

/// A count and its exact share of the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Share {
    /// The count.
    pub count: u32,
    /// `count / base`.
    pub fraction: Fraction,
}

impl Share {
    fn of(count: u32, base: u32) -> Self {
        Self {
            count,
            fraction: Fraction::new(count, base),
        }
    }
}

fn question(counts: &Counts, base: u32, valid: Option<u32>) -> Option<QuestionTally> {
    let (h, m, l) = counts.complete()?;
    Some(QuestionTally {
        high: Share::of(h, base),
        medium: Share::of(m, base),
        low: Share::of(l, base),
        invalid_lines: valid
            .and_then(|v| counts.invalid_lines(v))
            .map(|n| Share::of(n, base)),
    })
}

/// Tallies a session.
#[must_use]
pub fn tally(session: &Session) -> Tally {
    let profile = session.profile.profile();
    let base_kind = session.effective_base();
    let qd41_applies = session.qd41_applies();
    let groups = session
        .groups
        .iter()
        .map(|g| {
            let base = g.voters.figure(base_kind);
            let valid = g.voters.valid_sheets();
            let quorum_met = match (g.voters.present, g.voters.summoned) {
                (Some(p), Some(s)) => p <= s && profile.quorum.met(p, s),
                _ => false,
            };
            let mut cadres: Vec<CadreTally> = g
                .cadres
                .iter()
                .enumerate()
                .map(|(index, c)| {
                    let counted = c.exemption.is_none();
                    let compute = |counts: &Counts| {
                        base.filter(|_| counted)
                            .and_then(|b| question(counts, b, valid))
                    };
                    let overall = compute(&c.overall);
                    let low = overall.map(|q| (q.low.count, q.low.fraction.denominator));
                    CadreTally {
                        index,
                        name: c.name.clone(),
                        position: c.position.clone(),
                        exemption: c.exemption.clone(),
                        overall,
                        criteria: c.criteria.iter().map(compute).collect(),
                        band: low.and_then(|(l, n)| profile.band_for(l, n)).map(|b| b.id),
                        qd41: low.filter(|_| qd41_applies).map_or_else(
                            Qd41Facts::default,
                            |(l, n)| Qd41Facts {
                                resign_ground: QD41.resign.reached_by(l, n),
                                dismiss_ground: QD41.dismiss.reached_by(l, n),
                            },
                        ),
                        rank: None,
                    }
                })
                .collect();
            assign_ranks(&mut cadres);
            GroupTally {
                name: g.name.clone(),
                base,
                quorum_met,
                voters: g.voters,
                valid_sheets: valid,
                criteria: g.criteria.iter().map(|c| c.name.clone()).collect(),
                cadres,
            }
        })
        .collect();
    Tally {
        profile: session.profile,
        base_kind,
        groups,
        qd41_applies,
        state_body: session.state_body(),
    }
}

/// Standard competition ranking by "tín nhiệm cao" count (1, 2, 2, 4): within a group every
/// cadre shares the base, so counts order exactly as shares do.
fn assign_ranks(cadres: &mut [CadreTally]) {
    let highs: Vec<Option<u32>> = cadres
        .iter()
        .map(|c| c.overall.map(|q| q.high.count))
        .collect();
    for (c, own) in cadres.iter_mut().zip(&highs) {
        c.rank = own.map(|own| {
            let above = highs.iter().flatten().filter(|&&h| h > own).count();
            u32::try_from(above).map_or(u32::MAX, |a| a + 1)
        });
    }
}

impl GroupTally {
    /// Cadres in ranking order (rank, then ballot order); exempt and incomplete ones last.
    #[must_use]
    pub fn ranking(&self) -> Vec<&CadreTally> {
        let mut v: Vec<&CadreTally> = self.cadres.iter().collect();
        v.sort_by_key(|c| (c.rank.unwrap_or(u32::MAX), c.index));
        v
    }

    /// The cadres whose overall result falls in `band`.
    pub fn in_band(&self, band: BandId) -> impl Iterator<Item = &CadreTally> {
        self.cadres.iter().filter(move |c| c.band == Some(band))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;
    use crate::model::BallotGroup;

    fn group(collected: u32, counts: &[(u32, u32, u32)]) -> BallotGroup {
        let mut g = BallotGroup {
            name: "G".into(),
            voters: Voters {
                summoned: Some(collected),
                present: Some(collected),
                issued: Some(collected),
                collected: Some(collected),
                void_sheets: Some(0),
            },
            ..BallotGroup::default()
        };
        for (i, &(h, m, l)) in counts.iter().enumerate() {
            let mut c = g.new_cadre(&format!("Cán bộ {i}"), "Ủy viên");
            c.overall = Counts {
                high: Some(h),
                medium: Some(m),
                low: Some(l),
            };
            g.cadres.push(c);
        }
        g
    }

    /// The published HĐND example: 19/2/25 of 47 → 40,43 / 4,26 / 53,19, one invalid line,
    /// Band A.
    #[test]
    fn published_example() {
        let mut s = Session::new(ProfileId::Nq96_2023);
        s.groups = vec![group(47, &[(19, 2, 25)])];
        let t = tally(&s);
        let c = &t.groups[0].cadres[0];
        let q = c.overall.unwrap();
        assert_eq!(
            q.low
                .fraction
                .percent_string(crate::text::Lang::Vi)
                .unwrap(),
            "53,19"
        );
        assert_eq!(q.invalid_lines.unwrap().count, 1);
        assert_eq!(c.band, Some(BandId::BandA));
        // NQ 96/2023 says "tổng số phiếu": collected by default (issued = collected here).
        assert_eq!(t.base_kind, BaseKind::Collected);
    }

    /// Ties share a rank and the next rank skips (1, 2, 2, 4).
    #[test]
    fn competition_ranking() {
        let s = Session {
            groups: vec![group(10, &[(3, 7, 0), (9, 1, 0), (3, 6, 1), (8, 2, 0)])],
            ..Session::default()
        };
        let t = tally(&s);
        let ranks: Vec<_> = t.groups[0].cadres.iter().map(|c| c.rank).collect();
        assert_eq!(ranks, vec![Some(3), Some(1), Some(3), Some(2)]);
        let order: Vec<_> = t.groups[0].ranking().iter().map(|c| c.index).collect();
        assert_eq!(order, vec![1, 3, 0, 2]);
    }

    /// Exempt cadres get no results, no band and no rank, even with counts entered.
    #[test]
    fn exempt_not_tallied() {
        let mut s = Session {
            groups: vec![group(10, &[(0, 0, 10)])],
            ..Session::default()
        };
        s.groups[0].cadres[0].exemption = Some("Nghỉ hưu".into());
        let c = &tally(&s).groups[0].cadres[0];
        assert_eq!((c.overall, c.band, c.rank), (None, None, None));
    }

    /// At exactly 2/3 low, QĐ 96 says Band B and QĐ 41 says no dismissal ground.
    #[test]
    fn exactly_two_thirds() {
        let mut s = Session {
            groups: vec![group(9, &[(1, 2, 6)])],
            ..Session::default()
        };
        s.meta.date = crate::model::Date::new(2023, 12, 15);
        let c = &tally(&s).groups[0].cadres[0];
        assert_eq!(c.band, Some(BandId::BandB));
        assert!(c.qd41.resign_ground);
        assert!(!c.qd41.dismiss_ground);
    }

    /// QĐ 41 was replaced by QĐ 377 on 08/10/2025: its grounds count for a vote held the day
    /// before, not on that day, and never for a vote without a date or under a state profile.
    #[test]
    fn qd41_by_the_vote_date() {
        let mut s = Session {
            groups: vec![group(9, &[(1, 1, 7)])],
            ..Session::default()
        };
        for (date, applies) in [
            (crate::model::Date::new(2025, 10, 7), true),
            (crate::model::Date::new(2025, 10, 8), false),
            (crate::model::Date::new(2026, 1, 1), false),
            (None, false),
        ] {
            s.meta.date = date;
            let t = tally(&s);
            assert_eq!(t.qd41_applies, applies, "{date:?}");
            let c = &t.groups[0].cadres[0];
            assert_eq!(c.qd41.dismiss_ground, applies, "{date:?}");
            assert_eq!(
                c.band,
                Some(BandId::BandB),
                "the band does not depend on QĐ 41"
            );
        }
        s.profile = ProfileId::Nq96_2023;
        s.meta.date = crate::model::Date::new(2024, 1, 1);
        assert!(!tally(&s).qd41_applies);
    }
}
