//! `tinnhiem merge` on counting teams' archives: sums, refusals, and no input ever overwritten.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;

use crate::common::run;
use tinnhiem::archive;
use tinnhiem::model::{Counts, Session};

/// The chi bộ example split: team 1 counted 4 sheets, team 2 the other 3.
pub(crate) fn split() -> (Session, Session, Session) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples/chi-bo.ron");
    let whole = archive::load(&path).unwrap();
    let mut a = whole.clone();
    let mut b = whole.clone();
    a.team = Some("Tổ 1".into());
    b.team = Some("Tổ 2".into());
    a.groups[0].voters.collected = Some(4);
    b.groups[0].voters.collected = Some(3);
    let team1 = [(3, 1, 0), (2, 1, 1), (1, 2, 1)];
    for ((ca, cb), (cw, t1)) in a.groups[0]
        .cadres
        .iter_mut()
        .zip(b.groups[0].cadres.iter_mut())
        .zip(whole.groups[0].cadres.iter().zip(team1))
    {
        let (h, m, l) = cw.overall.complete().unwrap();
        ca.overall = Counts {
            high: Some(t1.0),
            medium: Some(t1.1),
            low: Some(t1.2),
        };
        cb.overall = Counts {
            high: Some(h - t1.0),
            medium: Some(m - t1.1),
            low: Some(l - t1.2),
        };
    }
    (whole, a, b)
}

/// Two team files merge into the undivided totals; the merged file passes `check`; merging a
/// team again is refused and writes nothing; an output equal to an input is refused.
#[test]
fn merge_cli() {
    let dir = tempfile::tempdir().unwrap();
    let (whole, a, b) = split();
    let pa = dir.path().join("to1.ron");
    let pb = dir.path().join("to2.ron");
    let all = dir.path().join("all.ron");
    archive::save(&pa, &a).unwrap();
    archive::save(&pb, &b).unwrap();
    let o = run(&[
        "merge",
        pa.to_str().unwrap(),
        pb.to_str().unwrap(),
        "-o",
        all.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let merged = archive::load(&all).unwrap();
    assert_eq!(merged.groups[0].teams.len(), 2);
    for (m, w) in merged.groups[0].cadres.iter().zip(&whole.groups[0].cadres) {
        assert_eq!(m.overall, w.overall);
    }
    assert_eq!(
        run(&["check", all.to_str().unwrap()]).status.code(),
        Some(0)
    );

    let again = dir.path().join("again.ron");
    let o = run(&[
        "merge",
        all.to_str().unwrap(),
        pb.to_str().unwrap(),
        "-o",
        again.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Tổ 2"));
    assert!(!again.exists());

    let before = fs::read(&pa).unwrap();
    let o = run(&[
        "merge",
        pa.to_str().unwrap(),
        pb.to_str().unwrap(),
        "-o",
        pa.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(fs::read(&pa).unwrap(), before);
}

/// The app names a team archive through an edit: NFC, and otherwise as typed, the space just
/// typed before the next word included (the field cleans the name when it is left, issue 21
/// §2); an empty or blank name clears it.
#[test]
fn set_team_edit() {
    use tinnhiem::edit::Edit;
    let (_, mut a, _) = split();
    Edit::SetTeam("Tổ ".into()).apply(&mut a).unwrap();
    assert_eq!(a.team.as_deref(), Some("Tổ "));
    Edit::SetTeam("Tổ 2".into()).apply(&mut a).unwrap();
    assert_eq!(a.team.as_deref(), Some("Tổ 2"));
    Edit::SetTeam("   ".into()).apply(&mut a).unwrap();
    assert_eq!((a.team.as_deref(), a.team_id.as_deref()), (None, None));
    Edit::SetTeam("Tổ 2".into()).apply(&mut a).unwrap();
    Edit::SetTeam(String::new()).apply(&mut a).unwrap();
    assert_eq!(a.team, None);
}
