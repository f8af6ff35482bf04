//! The archive's writers under failure: files held by another program, links, modes, stale
//! locks and temporary files, recovery slots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::write::{held_by_another_program, retry_while_held};
use super::*;

/// A file held by another program is tried again after each wait, and reported as held
/// when the waits run out; any other failure is reported at once.
#[test]
fn held_files_are_retried_then_reported() {
    use std::io::{Error, ErrorKind};
    use std::time::Duration;
    let waits = [Duration::ZERO; 3];
    let held = |e: &Error| e.kind() == ErrorKind::ResourceBusy;
    let busy = || Error::new(ErrorKind::ResourceBusy, "busy");
    // Held twice, then let go: done on the third try.
    let r = retry_while_held(0, &waits, held, |n| {
        if n < 2 { Err((busy(), n + 1)) } else { Ok(n) }
    });
    assert_eq!(r.unwrap(), 2);
    // Held for good: one try and one per wait, then "held".
    let tries = std::cell::Cell::new(0);
    let r: Result<(), _> = retry_while_held((), &waits, held, |()| {
        tries.set(tries.get() + 1);
        Err((busy(), ()))
    });
    assert!(matches!(r, Err((_, true))));
    assert_eq!(tries.get(), 4);
    // Another failure: no retry, not "held".
    tries.set(0);
    let r: Result<(), _> = retry_while_held((), &waits, held, |()| {
        tries.set(tries.get() + 1);
        Err((Error::new(ErrorKind::NotFound, "gone"), ()))
    });
    assert!(matches!(r, Err((_, false))));
    assert_eq!(tries.get(), 1);
    // Only Windows' sharing errors count as held.
    assert_eq!(
        held_by_another_program(&Error::from_raw_os_error(32)),
        cfg!(windows)
    );
    let total: Duration = HELD_WAITS.iter().sum();
    assert!(total >= Duration::from_secs(2) && total <= Duration::from_secs(3));
}

/// A recovery copy is offered only when it is newer than its file and differs from it.
#[test]
fn newer_recovery_detection() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("phien.ron");
    let mut s = Session::default();
    save(&file, &s).unwrap();
    assert_eq!(newer_recovery(Some(&file), None), None);
    let rec = recovery_path(Some(&file), None).unwrap();
    assert_eq!(rec, dir.path().join("phien.ron.recovery"));
    save_recovery(&rec, &s).unwrap();
    assert_eq!(newer_recovery(Some(&file), None), None, "same content");
    s.meta.place = "Huế".into();
    save_recovery(&rec, &s).unwrap();
    assert_eq!(newer_recovery(Some(&file), None), Some(rec.clone()));
    assert!(!backup_path(&rec).exists());
    remove_recovery(&rec).unwrap();
    remove_recovery(&rec).unwrap();
    assert_eq!(newer_recovery(Some(&file), None), None);
}

/// A never-saved session's recovery copy lives in the data folder, one per running app:
/// a second app gets its own slot, and a slot is free again once its holder ends.
#[test]
fn unsaved_recovery_slots() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let first = UnsavedSlot::claim(&data);
    assert!(first.is_held());
    assert_eq!(first.recovery(), data.join(UNSAVED_RECOVERY));
    assert_eq!(newer_recovery(None, Some(first.recovery())), None);
    save_recovery(first.recovery(), &Session::default()).unwrap();
    assert_eq!(
        newer_recovery(None, Some(first.recovery())),
        Some(data.join(UNSAVED_RECOVERY))
    );

    let second = UnsavedSlot::claim(&data);
    assert_eq!(second.recovery(), data.join("chua-luu-2.ron.recovery"));
    assert_eq!(newer_recovery(None, Some(second.recovery())), None);

    // The first app ends (or crashes): the next app takes its slot and finds its copy.
    drop(first);
    let third = UnsavedSlot::claim(&data);
    assert_eq!(third.recovery(), data.join(UNSAVED_RECOVERY));
    assert!(newer_recovery(None, Some(third.recovery())).is_some());

    let rest: Vec<_> = (3..=UNSAVED_SLOTS)
        .map(|_| UnsavedSlot::claim(&data))
        .collect();
    assert!(rest.iter().all(UnsavedSlot::is_held));
    let ninth = UnsavedSlot::claim(&data);
    assert!(!ninth.is_held(), "all slots are held");
    assert_ne!(
        ninth.recovery(),
        data.join(UNSAVED_RECOVERY),
        "no live copy shared"
    );
    assert_eq!(newer_recovery(None, Some(ninth.recovery())), None);
    drop(rest);

    // An app in slot 2 dies with a copy while slot 1 is free: the next app takes slot 2,
    // so that the copy is offered.
    save_recovery(second.recovery(), &Session::default()).unwrap();
    drop((second, third));
    remove_recovery(&data.join(UNSAVED_RECOVERY)).unwrap();
    let next = UnsavedSlot::claim(&data);
    assert_eq!(next.recovery(), data.join("chua-luu-2.ron.recovery"));
    assert!(newer_recovery(None, Some(next.recovery())).is_some());

    // A data folder that cannot be made still names a copy, so that its failure is seen.
    let file = dir.path().join("file");
    fs::write(&file, "x").unwrap();
    let slot = UnsavedSlot::claim(&file);
    assert!(!slot.is_held());
    assert!(save_recovery(slot.recovery(), &Session::default()).is_err());
}
