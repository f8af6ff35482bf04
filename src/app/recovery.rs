//! The recovery copy, written and removed on a thread of its own, in order.
//!
//! A large session is a megabyte of RON: serialising and syncing it takes tens of
//! milliseconds, too long to do on the frame as often as the copy is written (within a second of
//! every change, [`super::App::autosave_delay`]). The thread takes the operations in the order
//! they were asked: a removal asked after a write ("Không lưu", a save) is never undone by that
//! write finishing late. A write that a later operation on the same file makes useless is
//! skipped. Dropping the writer waits for what was asked, so that a window that closes has
//! done it all.

use std::path::PathBuf;
use std::sync::mpsc;
use std::thread::JoinHandle;

use crate::archive;
use crate::model::Session;
use crate::text::Message;

/// What the thread is asked to do.
enum Op {
    /// Write the session as the recovery copy at the path.
    Write(PathBuf, Box<Session>),
    /// Remove the recovery copy at the path (a missing one is fine).
    Remove(PathBuf),
    /// Say when everything before is done.
    Flush(mpsc::Sender<()>),
}

impl Op {
    fn path(&self) -> Option<&PathBuf> {
        match self {
            Op::Write(p, _) | Op::Remove(p) => Some(p),
            Op::Flush(_) => None,
        }
    }
}

/// The result of a write or a removal: `Err` says why it failed.
pub type Outcome = Result<(), Message>;

/// The thread that writes and removes recovery copies.
#[derive(Debug)]
pub struct RecoveryWriter {
    tx: Option<mpsc::Sender<Op>>,
    /// Where outcomes go when no thread could be started and the work is done on the frame.
    out_tx: mpsc::Sender<(bool, Outcome)>,
    outcomes: mpsc::Receiver<(bool, Outcome)>,
    thread: Option<JoinHandle<()>>,
}

impl Default for RecoveryWriter {
    fn default() -> Self {
        let (tx, rx) = mpsc::channel::<Op>();
        let (out_tx, outcomes) = mpsc::channel();
        let to_thread = out_tx.clone();
        let thread = std::thread::Builder::new()
            .name("tinnhiem-recovery".into())
            .spawn(move || run(&rx, &to_thread))
            .ok();
        Self {
            tx: thread.as_ref().map(|_| tx),
            out_tx,
            outcomes,
            thread,
        }
    }
}

fn run(rx: &mpsc::Receiver<Op>, out: &mpsc::Sender<(bool, Outcome)>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        batch.extend(rx.try_iter());
        for k in 0..batch.len() {
            let superseded = batch[k]
                .path()
                .is_some_and(|p| batch[k + 1..].iter().any(|o| o.path() == Some(p)));
            match &batch[k] {
                Op::Write(path, session) if !superseded => {
                    let r = archive::save_recovery(path, session).map_err(|e| e.message());
                    let _ = out.send((true, r));
                }
                Op::Remove(path) => {
                    let r = archive::remove_recovery(path).map_err(|e| e.message());
                    let _ = out.send((false, r));
                }
                Op::Flush(done) => {
                    let _ = done.send(());
                }
                Op::Write(..) => {}
            }
        }
    }
}

impl RecoveryWriter {
    fn send(&self, op: Op) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(op);
        } else {
            // No thread could be started: done here, on the frame, rather than not at all.
            let (tx, rx) = mpsc::channel();
            let _ = tx.send(op);
            drop(tx);
            run(&rx, &self.out_tx);
        }
    }

    /// Writes `session` as the recovery copy `path`.
    pub fn write(&self, path: PathBuf, session: Session) {
        self.send(Op::Write(path, Box::new(session)));
    }

    /// Removes the recovery copy `path`, after every write asked before.
    pub fn remove(&self, path: PathBuf) {
        self.send(Op::Remove(path));
    }

    /// What the writes (`true`) and removals (`false`) done since last asked came to.
    pub fn outcomes(&self) -> Vec<(bool, Outcome)> {
        self.outcomes.try_iter().collect()
    }

    /// Waits until everything asked so far is done.
    pub fn flush(&self) {
        let (done, wait) = mpsc::channel();
        if let Some(tx) = &self.tx
            && tx.send(Op::Flush(done)).is_ok()
        {
            let _ = wait.recv();
        }
    }
}

impl Drop for RecoveryWriter {
    /// Does what was asked before the window goes: a removal asked by "Không lưu" must happen.
    fn drop(&mut self) {
        self.tx = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// Operations happen in the order asked: a removal after a write leaves no copy, a write
    /// after a removal leaves the copy; a failure comes back as a message.
    #[test]
    fn in_order() {
        let dir = tempfile::tempdir().unwrap();
        let rec = dir.path().join("a.ron.recovery");
        let w = RecoveryWriter::default();
        for _ in 0..20 {
            w.write(rec.clone(), Session::default());
        }
        w.remove(rec.clone());
        w.flush();
        assert!(!rec.exists());
        w.remove(rec.clone());
        w.write(rec.clone(), Session::default());
        w.flush();
        assert!(rec.exists());
        assert!(w.outcomes().iter().all(|(_, r)| r.is_ok()));
        let blocked = dir.path().join("file");
        std::fs::write(&blocked, "").unwrap();
        w.write(blocked.join("x.recovery"), Session::default());
        w.flush();
        let outcomes = w.outcomes();
        assert!(
            matches!(outcomes.last(), Some((true, Err(_)))),
            "{outcomes:?}"
        );
    }
}
