//! Every threshold of every profile at its boundaries, for every base N from 1 to 500, against a
//! reference written differently: closed-form boundary counts (floor/ceil divisions) instead of
//! the core's cross-multiplications.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tinnhiem::model::{BallotGroup, Counts, Session, Voters};
use tinnhiem::rules::{BandId, BaseKind, ProfileId, QD41};
use tinnhiem::tally::tally;

/// The smallest L with L/N > 1/2: floor(N/2) + 1.
fn first_above_half(n: u32) -> u32 {
    n / 2 + 1
}

/// The smallest L with L/N ≥ 2/3: ceil(2N/3).
fn first_two_thirds(n: u32) -> u32 {
    (2 * n).div_ceil(3)
}

/// The smallest L with L/N > 2/3: floor(2N/3) + 1.
fn first_above_two_thirds(n: u32) -> u32 {
    (2 * n) / 3 + 1
}

/// The band each profile should give, from the reference boundaries.
fn expected_band(profile: ProfileId, low: u32, n: u32) -> Option<BandId> {
    let a = low >= first_above_half(n);
    let b = low >= first_two_thirds(n);
    match profile {
        ProfileId::Qd96 | ProfileId::Nq96_2023 | ProfileId::Nq85_2014 => {
            if b {
                Some(BandId::BandB)
            } else if a {
                Some(BandId::BandA)
            } else {
                None
            }
        }
        // QĐ 262: only "more than 1/2", nothing at 2/3.
        ProfileId::Qd262_2014 => a.then_some(BandId::BandA),
    }
}

/// Every profile, every N in 1..=500, every L in 0..=N: the profile's band equals the reference.
#[test]
fn bands_match_reference_for_all_bases() {
    for id in ProfileId::ALL {
        let p = id.profile();
        for n in 1..=500u32 {
            for low in 0..=n {
                let got = p.band_for(low, n).map(|b| b.id);
                assert_eq!(got, expected_band(id, low, n), "{id:?} L={low} N={n}");
            }
        }
    }
}

/// QĐ 41: resignation ground iff L > N/2, dismissal ground iff L > 2N/3 (strict), N 1..=500.
#[test]
fn qd41_matches_reference_for_all_bases() {
    for n in 1..=500u32 {
        for low in 0..=n {
            assert_eq!(QD41.resign.reached_by(low, n), low >= first_above_half(n));
            assert_eq!(
                QD41.dismiss.reached_by(low, n),
                low >= first_above_two_thirds(n)
            );
        }
    }
}

/// The quorum is met iff present ≥ ceil(2·summoned/3), for summoned 1..=500.
#[test]
fn quorum_matches_reference_for_all_sizes() {
    for id in ProfileId::ALL {
        let q = id.profile().quorum;
        for summoned in 1..=500u32 {
            for present in 0..=summoned {
                assert_eq!(
                    q.met(present, summoned),
                    present >= first_two_thirds(summoned),
                    "{id:?} {present}/{summoned}"
                );
            }
        }
    }
}

/// The tiny electorates, written out by hand: N = 1, 2, 3 under QĐ 96.
#[test]
fn tiny_bases_by_hand() {
    let p = ProfileId::Qd96.profile();
    let band = |l, n| p.band_for(l, n).map(|b| b.id);
    // N = 1: 0 low nothing; 1 low = 100% → Band B.
    assert_eq!(band(0, 1), None);
    assert_eq!(band(1, 1), Some(BandId::BandB));
    // N = 2: 1 low is exactly 1/2 → nothing; 2 low → Band B. No Band A possible.
    assert_eq!(band(1, 2), None);
    assert_eq!(band(2, 2), Some(BandId::BandB));
    // N = 3: 2 low is exactly 2/3 → Band B (from 2/3), and not a QĐ 41 dismissal ground.
    assert_eq!(band(1, 3), None);
    assert_eq!(band(2, 3), Some(BandId::BandB));
    assert!(!QD41.dismiss.reached_by(2, 3));
    assert!(QD41.dismiss.reached_by(3, 3));
    // N = 7: Band A is exactly L = 4 (4/7 = 57%), Band B from L = 5.
    assert_eq!(band(4, 7), Some(BandId::BandA));
    assert_eq!(band(5, 7), Some(BandId::BandB));
}

/// Exactly 1/2 and exactly 2/3 for every even N and every multiple of 3 up to 500.
#[test]
fn exact_half_and_two_thirds() {
    let p = ProfileId::Qd96.profile();
    for n in (2..=500u32).step_by(2) {
        assert_eq!(p.band_for(n / 2, n), None, "exactly 1/2 of {n}");
    }
    for n in (3..=500u32).step_by(3) {
        assert_eq!(
            p.band_for(2 * n / 3, n).map(|b| b.id),
            Some(BandId::BandB),
            "exactly 2/3 of {n}"
        );
        assert!(!QD41.dismiss.reached_by(2 * n / 3, n));
    }
}

fn session(profile: ProfileId, voters: Voters, counts: Counts) -> Session {
    let mut s = Session::new(profile);
    // A vote before QĐ 41 was repealed (08/10/2025), so that its grounds apply.
    s.meta.date = tinnhiem::model::Date::new(2023, 12, 15);
    let mut g = BallotGroup {
        name: "G".into(),
        voters,
        ..BallotGroup::default()
    };
    let mut c = g.new_cadre("Nguyễn Văn A", "Ủy viên");
    c.overall = counts;
    g.cadres.push(c);
    s.groups = vec![g];
    s
}

/// Each profile takes its own base: QĐ 96 collected, NQ 96 issued (configurable to collected),
/// NQ 85 the total number of deputies (summoned). The same counts give different bands.
#[test]
fn each_profile_uses_its_base() {
    let voters = Voters {
        summoned: Some(60),
        present: Some(50),
        issued: Some(50),
        collected: Some(44),
        void_sheets: Some(0),
    };
    // 23 low: 23/44 > 1/2 (collected), 23/50 < 1/2 (issued), 23/60 < 1/2 (deputies).
    let counts = Counts {
        high: Some(10),
        medium: Some(11),
        low: Some(23),
    };
    let band = |s: &Session| tally(s).groups[0].cadres[0].band;
    assert_eq!(
        band(&session(ProfileId::Qd96, voters, counts)),
        Some(BandId::BandA)
    );
    // NQ 96/2023: collected by default, issued when chosen.
    assert_eq!(
        band(&session(ProfileId::Nq96_2023, voters, counts)),
        Some(BandId::BandA)
    );
    assert_eq!(band(&session(ProfileId::Nq85_2014, voters, counts)), None);
    let mut nq96 = session(ProfileId::Nq96_2023, voters, counts);
    nq96.base = Some(BaseKind::Issued);
    assert_eq!(band(&nq96), None);
    let t = tally(&session(ProfileId::Nq85_2014, voters, counts));
    assert_eq!(t.groups[0].base, Some(60));
    assert_eq!(t.base_kind, BaseKind::Summoned);
}

/// Through the whole tally, for N = 1..=120 collected and every L: the tally's band equals the
/// reference (the tally wires the profile's base, not just the rule).
#[test]
fn tally_bands_match_reference() {
    for n in 1..=120u32 {
        for low in 0..=n {
            let voters = Voters {
                summoned: Some(n),
                present: Some(n),
                issued: Some(n),
                collected: Some(n),
                void_sheets: Some(0),
            };
            let counts = Counts {
                high: Some(n - low),
                medium: Some(0),
                low: Some(low),
            };
            let t = tally(&session(ProfileId::Qd96, voters, counts));
            let c = &t.groups[0].cadres[0];
            assert_eq!(
                c.band,
                expected_band(ProfileId::Qd96, low, n),
                "L={low} N={n}"
            );
            assert_eq!(c.qd41.dismiss_ground, low >= first_above_two_thirds(n));
        }
    }
}
