//! Slow work off the frame: signing (with a token or a .p12 file, whose decryption is slow on
//! purpose), reading the tokens, waiting for another program to finish with an archive. A
//! token may take seconds to answer, and a frame that waited for it would freeze the window.
//!
//! One job runs at a time, on a thread of its own; the frame polls its channel
//! ([`Worker::poll`]) and the thread wakes the window when it is done
//! (`ctx.request_repaint()`). While it runs the screen says what is being done
//! ([`Job::doing`]) and the button that started it is off: a second click starts nothing
//! ([`Worker::start`] refuses).

use std::path::PathBuf;
use std::sync::mpsc;

use eframe::egui;

use super::i18n;
use crate::lifecycle::Timestamp;
use crate::model::Session;
use crate::signing::token::TokenInfo;
use crate::signing::token::discover::FoundLibrary;
use crate::text::{Lang, Message};

/// What the running job is doing, as the screen says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Opening the key (a .p12's decryption, a token's login) and signing the minutes.
    Signing,
    /// Opening the key and signing the seal while finalising.
    SigningSeal,
    /// Finding the token libraries and reading the tokens of each.
    ReadingTokens,
    /// Waiting for another program to finish with this archive, then saving.
    WaitingForLock(PathBuf),
}

impl Job {
    /// "Đang ký…": what the screen shows while the job runs.
    #[must_use]
    pub fn doing(&self, lang: Lang) -> String {
        match self {
            Job::Signing | Job::SigningSeal => i18n::DOING_SIGN.get(lang).to_owned(),
            Job::ReadingTokens => i18n::DOING_TOKENS.get(lang).to_owned(),
            Job::WaitingForLock(p) => i18n::doing_wait_lock(lang, &p.display().to_string()),
        }
    }
}

/// The tokens of one library found, or why they could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryTokens {
    /// The library.
    pub library: FoundLibrary,
    /// Its tokens.
    pub tokens: Result<Vec<TokenInfo>, Message>,
}

/// Minutes signed and written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// Where.
    pub path: PathBuf,
    /// The signer's certificate subject, for the log.
    pub subject: String,
    /// The time the signature states.
    pub at: Timestamp,
}

/// The session finalised with a signed seal, computed on a copy.
#[derive(Debug, Clone)]
pub struct Sealed {
    /// The finalised copy.
    pub session: Session,
    /// Finalised, but the seal could not be signed: why (the seal still checks).
    pub unsigned: Option<Message>,
}

/// An archive saved after waiting for its lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// Where.
    pub path: PathBuf,
    /// The SHA-256 of the bytes written.
    pub digest: [u8; 32],
}

/// What a job gives back to the frame.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The libraries found and their tokens.
    Tokens(Vec<LibraryTokens>),
    /// The minutes signed, or why not (no file written).
    Signed(Result<Signed, Message>),
    /// Finalised with the seal signed, or why nothing was finalised (boxed: a session is
    /// large beside the other outcomes).
    Sealed(Result<Box<Sealed>, Message>),
    /// Saved, or why not; with the revision of the session that was saved.
    Saved(Result<Saved, Message>, u64),
    /// The job's thread ended without an outcome (a panic in a vendor's library).
    Failed(Message),
}

/// The one job running, if any, and the window to wake when it ends.
#[derive(Debug, Default)]
pub struct Worker {
    running: Option<(Job, mpsc::Receiver<Outcome>)>,
    ctx: Option<egui::Context>,
}

impl Worker {
    /// The window to wake when a job ends (set each frame).
    pub fn set_context(&mut self, ctx: &egui::Context) {
        if self.ctx.is_none() {
            self.ctx = Some(ctx.clone());
        }
    }

    /// The window to wake, once a frame has set it.
    #[must_use]
    pub fn context(&self) -> Option<egui::Context> {
        self.ctx.clone()
    }

    /// The job running, if any.
    #[must_use]
    pub fn busy(&self) -> Option<&Job> {
        self.running.as_ref().map(|(job, _)| job)
    }

    /// Runs `work` on a thread of its own, unless a job is running already: then nothing is
    /// started and `false` is returned.
    pub fn start(&mut self, job: Job, work: impl FnOnce() -> Outcome + Send + 'static) -> bool {
        if self.running.is_some() {
            return false;
        }
        let (tx, rx) = mpsc::channel();
        let ctx = self.ctx.clone();
        std::thread::spawn(move || {
            let _ = tx.send(work());
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
        });
        self.running = Some((job, rx));
        true
    }

    /// The outcome of the job, once it has ended (then no job runs).
    pub fn poll(&mut self) -> Option<(Job, Outcome)> {
        let (_, rx) = self.running.as_ref()?;
        let outcome = match rx.try_recv() {
            Ok(outcome) => outcome,
            Err(mpsc::TryRecvError::Empty) => return None,
            Err(mpsc::TryRecvError::Disconnected) => failed(),
        };
        self.running.take().map(|(job, _)| (job, outcome))
    }

    /// Waits for the running job's outcome (tests; the window polls instead).
    pub fn wait(&mut self) -> Option<(Job, Outcome)> {
        let (job, rx) = self.running.take()?;
        Some((job, rx.recv().unwrap_or_else(|_| failed())))
    }
}

/// The outcome of a job whose thread ended without one.
fn failed() -> Outcome {
    Outcome::Failed(Message::new(i18n::JOB_FAILED.vi, i18n::JOB_FAILED.en))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;
    use std::time::Duration;

    /// One job at a time: a second start is refused while the first runs, its outcome comes
    /// through the channel, and then a new job may start.
    #[test]
    fn one_job_at_a_time() {
        let mut w = Worker::default();
        let (go, wait) = mpsc::channel::<()>();
        assert!(w.start(Job::ReadingTokens, move || {
            wait.recv().unwrap();
            Outcome::Tokens(Vec::new())
        }));
        assert!(!w.start(Job::Signing, || Outcome::Tokens(Vec::new())));
        assert_eq!(w.busy(), Some(&Job::ReadingTokens));
        assert!(w.poll().is_none());
        go.send(()).unwrap();
        let (job, outcome) = w.wait().unwrap();
        assert_eq!(job, Job::ReadingTokens);
        assert!(matches!(outcome, Outcome::Tokens(t) if t.is_empty()));
        assert!(w.busy().is_none());
        assert!(w.start(Job::Signing, || Outcome::Tokens(Vec::new())));
        std::thread::sleep(Duration::from_millis(50));
        assert!(w.poll().is_some());
    }

    /// A job whose thread dies gives a message, not a job that runs for ever.
    #[test]
    fn a_panicking_job_ends() {
        let mut w = Worker::default();
        assert!(w.start(Job::Signing, || panic!("vendor library crashed")));
        let (_, outcome) = w.wait().unwrap();
        assert!(matches!(outcome, Outcome::Failed(m) if m.en.contains("stopped")));
        assert!(w.busy().is_none());
    }
}
