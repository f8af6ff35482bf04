//! The session's file: opening, merging teams' archives, saving (atomically, against a
//! file changed on disk), the recovery copies written after each change and offered back,
//! and the recent files.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui;

use super::{App, Dialog, Doc, Screen, is_merged_team_file};
use super::{ballot, double, entry, i18n, setup, work};
use crate::archive;
use crate::edit::Edit;
use crate::lifecycle::{ArchiveCheck, Timestamp, check_archive};
use crate::model::Session;
use crate::teams::MergeError;
use crate::text::{Lang, Message};

impl App {
    /// Opens `path`, offering its recovery copy if one is newer. Errors are shown.
    pub fn open(&mut self, path: &Path) {
        match archive::load_with_digest(path) {
            Ok((session, digest)) => {
                let check = check_archive(&session);
                if matches!(
                    check,
                    ArchiveCheck::ContentChanged { .. } | ArchiveCheck::ResultsChanged
                ) {
                    let m = check.message();
                    let name = path.display();
                    self.errors.push(Message::new(
                        format!("{name}: {}", m.vi),
                        format!("{name}: {}", m.en),
                    ));
                }
                let mut doc = Doc::new(session, Some(path.to_owned()));
                // The digest of the very bytes read: a write by another program between
                // reading and hashing cannot slip through.
                doc.disk = Some(digest);
                self.set_doc(doc);
                self.remember(path);
                if let Some(rec) = archive::newer_recovery(Some(path), None) {
                    self.dialog = Some(Dialog::Recovery(rec));
                }
            }
            Err(e) => {
                // The file may be gone or damaged while its recovery copy survives.
                if let Some(rec) = archive::newer_recovery(Some(path), None) {
                    self.set_doc(Doc::new(Session::default(), Some(path.to_owned())));
                    self.dialog = Some(Dialog::Recovery(rec));
                }
                self.errors.push(e.message());
            }
        }
    }

    /// Merges counting teams' archives (`tinnhiem merge` in the app) into a new session that
    /// is not saved yet: saving asks where, and refuses the teams' own files. Returns whether
    /// it merged; a refusal is shown with its reason (and the file, when it is about one file).
    /// The operator's name is required: the merge is logged under it.
    pub fn merge_files(&mut self, paths: &[PathBuf]) -> bool {
        if self.operator.trim().is_empty() {
            self.errors
                .push(crate::counting::EntryError::OperatorRequired.message());
            return false;
        }
        let mut sessions = Vec::with_capacity(paths.len());
        for path in paths {
            match archive::load(path) {
                Ok(s) => sessions.push(s),
                Err(e) => {
                    self.errors.push(e.message());
                    return false;
                }
            }
        }
        match crate::teams::merge(&sessions, &self.operator, Timestamp::now()) {
            Ok(merged) => {
                let mut doc = Doc::new(merged, None);
                // Unsaved work: the close guard asks and the recovery copy keeps it.
                doc.touch();
                self.set_doc(doc);
                self.screen = Screen::Entry;
                true
            }
            Err(e) => {
                let mut m = e.message();
                let file = match e {
                    MergeError::DifferentVote(i)
                    | MergeError::NoTeam(i)
                    | MergeError::EntryUnderway(i)
                    | MergeError::CountUnderway(i)
                    | MergeError::TeamAndTeams(i)
                    | MergeError::SealBroken(i)
                    | MergeError::SameTeamArchive(_, i)
                    | MergeError::IdenticalCounts(_, i) => {
                        i.checked_sub(1).and_then(|k| paths.get(k))
                    }
                    MergeError::TooFew
                    | MergeError::OverlappingTeam(_)
                    | MergeError::Overflow(_) => None,
                };
                if let Some(file) = file {
                    let name = file.display();
                    m = Message::new(format!("{name}: {}", m.vi), format!("{name}: {}", m.en));
                }
                self.errors.push(m);
                false
            }
        }
    }

    /// Saves the session to `path` (atomically, through the core). Returns whether it did;
    /// an error is shown. When another program holds the archive's lock, the save waits for it
    /// on the worker ([`work::Job::WaitingForLock`]) and this returns `false` at once: the
    /// window stays responsive, and the save is done (or refused) when the lock is free.
    pub fn save_to(&mut self, path: &Path) -> bool {
        let Some(doc) = &self.doc else {
            return false;
        };
        if is_merged_team_file(&doc.session, path) {
            let name = path.display();
            self.errors.push(Message::new(
                format!("Không lưu đè lên {name}: đó là tệp của một tổ đã gộp vào phiên này; hãy lưu thành tệp khác."),
                format!("Not saved over {name}: it is a team's file merged into this session; save to another file."),
            ));
            return false;
        }
        // Over the same file, only if no other program changed it since this app read or
        // wrote it (neither change is lost: the user saves elsewhere).
        let expected = if doc.path.as_deref() == Some(path) {
            doc.disk
        } else {
            None
        };
        let revision = doc.revision;
        // One try on the frame; the wait, if any, on the worker.
        let saved = match archive::lock_within(path, Duration::ZERO) {
            Err(archive::ArchiveError::Locked { .. }) => {
                let session = doc.session.clone();
                let target = path.to_owned();
                let job = work::Job::WaitingForLock(path.to_owned());
                let started = self.work.start(job, move || {
                    let result = archive::lock(&target)
                        .and_then(|l| l.save_expecting(&session, expected))
                        .map(|digest| work::Saved {
                            path: target,
                            digest,
                        })
                        .map_err(|e| e.message());
                    work::Outcome::Saved(result, revision)
                });
                if !started {
                    let doing =
                        |lang| i18n::busy_refused(lang, &i18n::SAVE.get(lang).to_lowercase());
                    self.errors
                        .push(Message::new(doing(Lang::Vi), doing(Lang::En)));
                }
                return false;
            }
            other => other.and_then(|l| l.save_expecting(&doc.session, expected)),
        };
        match saved {
            Ok(digest) => {
                self.finish_save(path, digest, revision);
                true
            }
            Err(e) => {
                self.errors.push(e.message());
                false
            }
        }
    }

    /// The session as of `revision` is in `path` (its bytes hash to `digest`): the file is the
    /// session's, and its recovery copies go unless there were changes since.
    fn finish_save(&mut self, path: &Path, digest: [u8; 32], revision: u64) {
        let unsaved = self.unsaved_recovery().map(Path::to_owned);
        let Some(doc) = &mut self.doc else {
            return;
        };
        let old_recovery = archive::recovery_path(doc.path.as_deref(), unsaved.as_deref());
        let new_recovery = archive::recovery_path(Some(path), None);
        doc.disk = Some(digest);
        doc.path = Some(path.to_owned());
        doc.saved_revision = revision;
        let unchanged = doc.revision == revision;
        if unchanged {
            doc.recovery_revision = revision;
            doc.unwritten_since = None;
        } else {
            // Changed while the save waited for its lock: the changes go to the file's own
            // recovery copy now.
            doc.recovery_revision = 0;
        }
        // The copy under the old name never outlives the save (a session saved for the first
        // time leaves its "chưa lưu" slot); the file's own goes unless changes came since.
        if old_recovery != new_recovery
            && let Some(old) = old_recovery
        {
            self.recovery.remove(old);
        }
        if unchanged && let Some(new) = new_recovery {
            self.recovery.remove(new);
        }
        self.remember(path);
    }

    /// The save that waited for its lock is done (or refused): then what was to follow it.
    pub(crate) fn apply_saved(
        &mut self,
        _job: &work::Job,
        result: Result<work::Saved, Message>,
        revision: u64,
    ) {
        match result {
            Ok(saved) => {
                self.finish_save(&saved.path, saved.digest, revision);
                if let Some(then) = self.after_save.take()
                    && !self.doc.as_ref().is_some_and(Doc::dirty)
                {
                    self.actions.push(then);
                }
            }
            Err(m) => {
                self.after_save = None;
                self.errors.push(m);
            }
        }
    }

    pub(super) fn set_doc(&mut self, doc: Doc) {
        self.doc = Some(doc);
        self.group = 0;
        self.generation += 1;
        self.setup = setup::SetupScreen::default();
        self.entry = entry::EntryScreen::default();
        self.ballot = ballot::BallotScreen::default();
        self.double = double::DoubleScreen::default();
        self.scan.close();
        if self.screen == Screen::Start {
            self.screen = Screen::Setup;
        }
    }

    /// Puts `path` first in the recent files.
    pub(super) fn remember(&mut self, path: &Path) {
        let path = dunce::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.update_prefs(|p| {
            p.recent.retain(|r| *r != path);
            p.recent.insert(0, path);
        });
    }

    /// Writes the recovery copy [`Self::autosave_delay`] after the first change it does not
    /// hold yet (a frame is asked for then, whether or not anything else happens).
    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        self.recovery_outcomes();
        let unsaved = self.unsaved_recovery().map(Path::to_owned);
        let Some(doc) = &mut self.doc else {
            return;
        };
        if doc.recovery_revision == doc.revision
            || doc.discarded == Some(doc.revision)
            || !doc.dirty()
        {
            doc.unwritten_since = None;
            return;
        }
        let waited = doc
            .unwritten_since
            .get_or_insert_with(Instant::now)
            .elapsed();
        if waited < self.autosave_delay {
            ctx.request_repaint_after(self.autosave_delay.saturating_sub(waited));
            return;
        }
        doc.recovery_revision = doc.revision;
        doc.unwritten_since = None;
        if let Some(rec) = archive::recovery_path(doc.path.as_deref(), unsaved.as_deref()) {
            self.recovery.write(rec, doc.session.clone());
        }
    }

    /// The user chose to drop unsaved changes ("Không lưu"): their recovery copy goes too, so
    /// that the next start does not offer them back, and it is not written again unless
    /// there are new changes (the session stays on screen when the open dialog is cancelled).
    pub(super) fn discard_recovery(&mut self) {
        let unsaved = self.unsaved_recovery().map(Path::to_owned);
        if let Some(doc) = &mut self.doc
            && doc.dirty()
        {
            doc.discarded = Some(doc.revision);
            doc.unwritten_since = None;
            if let Some(rec) = archive::recovery_path(doc.path.as_deref(), unsaved.as_deref()) {
                self.recovery.remove(rec);
            }
        }
    }

    /// Waits until the recovery copies asked for are written or removed, and takes in how it
    /// went (tests, and the window closing).
    pub fn flush_recovery(&mut self) {
        self.recovery.flush();
        self.recovery_outcomes();
    }

    /// How the recovery writes and removals went: a failure is said once, not after every
    /// keystroke (the status bar keeps showing it), until a write succeeds again.
    fn recovery_outcomes(&mut self) {
        for (write, outcome) in self.recovery.outcomes() {
            match outcome {
                Ok(()) if write => self.recovery_failing = false,
                Ok(()) => {}
                Err(_) if write && self.recovery_failing => {}
                Err(m) => {
                    self.recovery_failing |= write;
                    self.errors.push(m);
                }
            }
        }
    }

    pub(super) fn restore_recovery(&mut self, rec: &Path) {
        match archive::load(rec) {
            Ok(session) => {
                let path = self.doc.as_ref().and_then(|d| d.path.clone());
                // The file the restored work replaces, as it is now: a change another program
                // makes to it from here on is still caught at the save.
                let disk = self.doc.as_ref().and_then(|d| d.disk);
                let mut doc = Doc::new(session, path);
                doc.disk = disk;
                // Restored but not saved yet: dirty, and already in the recovery copy.
                doc.revision = 1;
                doc.recovery_revision = 1;
                self.set_doc(doc);
            }
            Err(e) => self.errors.push(e.message()),
        }
    }

    /// The name offered when saving the session: its file's, or a default.
    pub(super) fn save_name(&self) -> String {
        self.doc
            .as_ref()
            .and_then(|d| d.path.as_ref())
            .and_then(|p| p.file_name())
            .map_or_else(
                || "phien-lay-phieu.ron".to_owned(),
                |n| n.to_string_lossy().into_owned(),
            )
    }

    /// Adds the cadres listed in a spreadsheet to the current group, by the paste rules.
    pub fn import_cadres(&mut self, path: &Path) {
        match crate::spreadsheet::read_rows(path) {
            Ok(rows) => self.edits.push(Edit::PasteCadres {
                group: self.group,
                text: crate::spreadsheet::as_pasted(&rows),
            }),
            Err(m) => self.errors.push(m),
        }
    }

    /// Drops a running ballot-by-ballot count: it belongs to the entry stage it was started
    /// in (the double-entry screen calls this when the stage changes).
    pub(super) fn restart_ballot_count(&mut self) {
        self.ballot = ballot::BallotScreen::default();
    }
}
