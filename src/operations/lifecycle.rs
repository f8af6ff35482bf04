//! The session's lifecycle and its audit log.
//!
//! ```mermaid
//! stateDiagram-v2
//!     [*] --> Draft
//!     Draft --> Final: finalise (no validation error; the fingerprint is sealed)
//!     Final --> Draft: reopen (a stated reason, logged)
//! ```
//!
//! A Final session cannot be edited: every edit path asks [`ensure_editable`] first. Each
//! transition, edit, export and signature is appended to the audit log stored in the archive,
//! so an archive carries its own history. The log is append-only by construction: nothing here
//! removes or rewrites an entry.

use thiserror::Error;

use crate::fingerprint::fingerprint;
pub use crate::model::{Action, AuditEntry, LogFault, Seal, Status, Timestamp};
use crate::model::{CadreField, FieldPath, GroupField, MinutesField, ProceedingsField, Session};
use crate::text::{Message, Tr, clean_name};
use crate::validate::validate;

/// A refused transition, with its reason in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransitionError {
    /// Finalising needs a session without validation errors.
    #[error("còn {0} lỗi, chưa thể chốt / {0} errors remain, cannot finalise")]
    HasErrors(usize),
    /// Double entry is required and a group's entries have not agreed yet.
    #[error(
        "nhóm phiếu {0} chưa được nhập hai lần và thống nhất / ballot group {0} has not been entered twice and agreed"
    )]
    EntryNotAgreed(usize),
    /// Already final.
    #[error("kết quả đã được chốt / already finalised")]
    AlreadyFinal,
    /// Reopening a draft.
    #[error("phiên đang là bản nháp, không cần mở lại / the session is a draft, nothing to reopen")]
    NotFinal,
    /// Reopening needs a reason.
    #[error("cần ghi lý do mở lại / a reason is required to reopen")]
    ReasonRequired,
    /// Every action is attributed to someone.
    #[error("cần nhập tên người thao tác / the operator's name is required")]
    OperatorRequired,
    /// Editing a final session.
    #[error(
        "kết quả đã chốt: mở lại (kèm lý do) trước khi sửa / the session is final: reopen it (with a reason) before editing"
    )]
    Sealed,
}

impl TransitionError {
    /// The message in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        Message::from_bilingual(&self.to_string())
    }
}

/// The SHA-256 of the session's results in their canonical form ([`crate::sealed`]): the
/// figures, shares, bands and grounds. The wording of the bands and whether QĐ 41 applies are
/// not in it: they follow from the profile and the date, which the content fingerprint covers.
#[must_use]
pub fn results_digest(session: &Session) -> String {
    crate::sealed::digest(&crate::tally::tally(session))
}

fn operator(by: &str) -> Result<String, TransitionError> {
    let by = clean_name(by);
    if by.is_empty() {
        Err(TransitionError::OperatorRequired)
    } else {
        Ok(by)
    }
}

impl Session {
    /// Whether the session is final.
    #[must_use]
    pub fn is_final(&self) -> bool {
        matches!(self.status, Status::Final(_))
    }

    /// Appends an entry to the audit log.
    pub fn log(&mut self, by: &str, at: Timestamp, action: Action) {
        let prev = self.audit.last().map(AuditEntry::hash);
        self.audit.push(AuditEntry {
            at,
            by: clean_name(by),
            action,
            prev,
        });
    }

    /// Logs a change that sets no one field (a cadre added, a list pasted, the undo of such a
    /// change) as `what` happened, in words in both languages: the log reads it as a sentence
    /// in the reader's language ([`AuditEntry::describe`]).
    pub fn log_change(&mut self, by: &str, at: Timestamp, what: Message) {
        self.log(
            by,
            at,
            Action::Edit {
                path: String::new(),
                old: String::new(),
                new: String::new(),
                label: Some(what),
            },
        );
    }

    /// Logs a change of the field at `path` (`None`: an edit of no one field, described by
    /// `new`; [`Self::log_change`] says it in both languages) from `old` to `new`. With `coalesce`, typing a
    /// value keystroke by keystroke is one change: while the last entry is an edit of the same
    /// field by the same operator within a minute, it is updated (its `old` kept) instead of a
    /// new one added. Undo and redo never coalesce: they are logged as such.
    pub fn log_edit(
        &mut self,
        by: &str,
        at: Timestamp,
        path: Option<FieldPath>,
        (old, new): (String, String),
        coalesce: bool,
    ) {
        let by = clean_name(by);
        let machine = path.map(|p| p.to_string()).unwrap_or_default();
        if coalesce
            && let Some(last) = self.audit.last_mut()
            && last.by == by
            && at.0.saturating_sub(last.at.0) <= 60
            && let Action::Edit {
                path: p, new: n, ..
            } = &mut last.action
            && *p == machine
        {
            *n = new;
            last.at = at;
            return;
        }
        let label = path.map(|p| p.human(self));
        self.log(
            &by,
            at,
            Action::Edit {
                path: machine,
                old,
                new,
                label,
            },
        );
    }

    /// Draft → Final: only without validation errors; seals the fingerprints and logs it.
    ///
    /// # Errors
    ///
    /// [`TransitionError::OperatorRequired`], [`TransitionError::AlreadyFinal`],
    /// [`TransitionError::HasErrors`] while validation finds errors,
    /// [`TransitionError::EntryNotAgreed`] while a double entry is not agreed.
    pub fn finalise(&mut self, by: &str, at: Timestamp) -> Result<(), TransitionError> {
        let by = operator(by)?;
        if self.is_final() {
            return Err(TransitionError::AlreadyFinal);
        }
        let errors = validate(self).errors().count();
        if errors > 0 {
            return Err(TransitionError::HasErrors(errors));
        }
        if let Some(g) = self.entry_not_agreed() {
            return Err(TransitionError::EntryNotAgreed(g + 1));
        }
        let fp = fingerprint(self).to_string();
        self.status = Status::Final(Seal {
            fingerprint: fp.clone(),
            results: results_digest(self),
            at,
            by: by.clone(),
            entries: Some(self.audit.len()),
            log: self.audit.last().map(AuditEntry::hash),
            signature: None,
        });
        self.log(&by, at, Action::Finalised { fingerprint: fp });
        Ok(())
    }

    /// The first group (0-based) whose double entry must still agree before finalising,
    /// when the session requires double entry.
    #[must_use]
    pub fn entry_not_agreed(&self) -> Option<usize> {
        if !self.double_entry {
            return None;
        }
        self.groups
            .iter()
            .position(|g| g.entry != crate::counting::EntryStage::Agreed)
    }

    /// Final → Draft, with a stated reason that goes into the log.
    ///
    /// # Errors
    ///
    /// [`TransitionError::OperatorRequired`], [`TransitionError::NotFinal`],
    /// [`TransitionError::ReasonRequired`].
    pub fn reopen(&mut self, by: &str, at: Timestamp, reason: &str) -> Result<(), TransitionError> {
        let by = operator(by)?;
        let Status::Final(seal) = &self.status else {
            return Err(TransitionError::NotFinal);
        };
        let reason = clean_name(reason);
        if reason.is_empty() {
            return Err(TransitionError::ReasonRequired);
        }
        let fingerprint = seal.fingerprint.clone();
        self.status = Status::Draft;
        self.log(
            &by,
            at,
            Action::Reopened {
                reason,
                fingerprint,
            },
        );
        Ok(())
    }
}

/// The value of the field at `path` as the audit log writes it: a text or number as itself,
/// an empty figure (or an item not there yet) as "", `None` for a path that names a part
/// rather than one value (the log then records the edit's description instead).
#[must_use]
pub fn value_at(session: &Session, path: FieldPath) -> Option<String> {
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let group = |g: usize| session.groups.get(g);
    Some(match path {
        FieldPath::Meta(f) => f.get(&session.meta).to_owned(),
        FieldPath::Date => session.meta.date.map(|d| d.to_string()).unwrap_or_default(),
        FieldPath::Proceedings(f) => {
            let p = &session.proceedings;
            match f {
                ProceedingsField::CommitteeChosen => p
                    .committee_chosen
                    .map(|c| c.label().vi.to_owned())
                    .unwrap_or_default(),
                ProceedingsField::CountEnded => p.count_ended.clone(),
                ProceedingsField::Absences => p.absences.clone(),
                ProceedingsField::SealedTo => p.sealed_to.clone(),
                ProceedingsField::Remarks => p.remarks.clone().unwrap_or_default(),
                ProceedingsField::Copies => num(p.copies),
            }
        }
        FieldPath::Minutes(f) => {
            let w = &session.minutes;
            match f {
                MinutesField::Opening => w.opening.clone().unwrap_or_default(),
                MinutesField::Closing => w.closing.clone().unwrap_or_default(),
                MinutesField::Ranking => if w.ranking { "có" } else { "không" }.to_owned(),
            }
        }
        FieldPath::Team => session.team.clone().unwrap_or_default(),
        FieldPath::Person { who, role } => who
            .get(session)
            .map(|p| if role { p.role.clone() } else { p.name.clone() })
            .unwrap_or_default(),
        FieldPath::Group(g, GroupField::Name) => {
            group(g).map(|x| x.name.clone()).unwrap_or_default()
        }
        FieldPath::Group(g, GroupField::Voters(f)) => num(group(g).and_then(|x| f.get(&x.voters))),
        FieldPath::Group(g, GroupField::Criterion(k)) => group(g)
            .and_then(|x| x.criteria.get(k))
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        FieldPath::Cadre {
            group: g,
            cadre,
            field,
        } => {
            let c = group(g).and_then(|x| x.cadres.get(cadre));
            match field {
                CadreField::Name => c.map(|c| c.name.clone()).unwrap_or_default(),
                CadreField::Position => c.map(|c| c.position.clone()).unwrap_or_default(),
                CadreField::Exemption => c.and_then(|c| c.exemption.clone()).unwrap_or_default(),
                CadreField::Count(q, level) => {
                    num(c.and_then(|c| q.counts(c)).and_then(|x| x.get(level)))
                }
                CadreField::Criteria | CadreField::Question(_) => return None,
            }
        }
        _ => return None,
    })
}

/// Refuses edits to a final session.
///
/// # Errors
///
/// [`TransitionError::Sealed`] when the session is final.
pub fn ensure_editable(session: &Session) -> Result<(), TransitionError> {
    if session.is_final() {
        Err(TransitionError::Sealed)
    } else {
        Ok(())
    }
}

/// What verifying an archive found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveCheck {
    /// Final, and the content, the recomputed results and the log match the seal.
    Intact {
        /// The sealed fingerprint.
        fingerprint: String,
    },
    /// Not finalised: there is no seal to check against.
    Draft {
        /// The current fingerprint.
        fingerprint: String,
    },
    /// The content changed after finalising (edited outside the app).
    ContentChanged {
        /// Sealed.
        sealed: String,
        /// Now.
        now: String,
    },
    /// The content matches but the results computed today differ from those sealed (the
    /// rules of this build differ from the build that finalised).
    ResultsChanged,
    /// The audit log was changed: its chain breaks, or the log up to the finalisation is not
    /// the one sealed ([`crate::model::log_fault`]).
    LogChanged(LogFault),
}

impl ArchiveCheck {
    /// Whether the archive is valid (final and intact).
    #[must_use]
    pub fn is_valid(&self) -> bool {
        matches!(self, ArchiveCheck::Intact { .. })
    }

    /// The finding in plain words.
    #[must_use]
    pub fn message(&self) -> Message {
        match self {
            ArchiveCheck::Intact { fingerprint } => Message::new(
                format!("Hợp lệ: nội dung, kết quả và nhật ký khớp với mã đã chốt {fingerprint}"),
                format!(
                    "Valid: content, results and audit log match the seal, fingerprint {fingerprint}"
                ),
            ),
            ArchiveCheck::Draft { fingerprint } => Message::new(
                format!(
                    "Chưa chốt kết quả (bản nháp), không có gì để đối chiếu; mã hiện tại {fingerprint}"
                ),
                format!(
                    "Not finalised (draft), nothing to check against; current fingerprint {fingerprint}"
                ),
            ),
            ArchiveCheck::ContentChanged { sealed, now } => Message::new(
                format!(
                    "Không hợp lệ: nội dung đã bị sửa sau khi chốt (mã đã chốt {sealed}, mã hiện tại {now})"
                ),
                format!(
                    "Invalid: the content was changed after finalising (sealed {sealed}, now {now})"
                ),
            ),
            ArchiveCheck::ResultsChanged => Message::new(
                "Không hợp lệ: kết quả tính lại khác với kết quả đã chốt",
                "Invalid: the recomputed results differ from the sealed results",
            ),
            ArchiveCheck::LogChanged(fault) => {
                let m = fault.message();
                Message::new(
                    format!(
                        "Không hợp lệ: nhật ký đã bị sửa, thêm hoặc xóa bớt: {}",
                        m.vi
                    ),
                    format!(
                        "Invalid: the audit log was edited, added to or cut: {}",
                        m.en
                    ),
                )
            }
        }
    }
}

/// The first thing `verify` says of a seal without a signature, before its verdict: such a
/// seal is an unkeyed SHA-256 that anyone who edits the file can recompute, so whatever
/// follows, it proves nothing about who sealed. A signed seal stripped of its signature reads
/// the same: that is the point of saying it first.
pub const UNSIGNED_SEAL: Tr = Tr::new(
    "Mã chốt KHÔNG được ký số: không chứng minh được ai đã chốt (người sửa tệp có thể tính lại mã).",
    "The seal is NOT signed: it proves nothing about who sealed it (whoever edits the file can recompute it).",
);

/// What an intact unsigned seal proves, and what it does not, in the words `verify` prints
/// after it: it catches accidents and careless hand edits, not forgery. The signed minutes
/// are the record a forger cannot redo.
pub const SEAL_LIMITS: Tr = Tr::new(
    "Toàn vẹn so với mã đã chốt. Mã chốt không ký số phát hiện sửa nhầm hoặc sửa tay, không chống giả mạo; bằng chứng không thể làm lại là mã chốt hoặc biên bản đã ký số.",
    "Intact against the sealed fingerprint. An unsigned seal catches accidents and hand edits, not forgery; the record a forger cannot redo is a signed seal or the digitally signed minutes.",
);

/// Checks the audit log ([`crate::model::log_fault`]: its chain, and under a seal the log the
/// seal pins), then recomputes the fingerprint and the results and compares them with the
/// seal.
#[must_use]
pub fn check_archive(session: &Session) -> ArchiveCheck {
    if let Some(fault) = crate::model::log_fault(&session.audit, &session.status) {
        return ArchiveCheck::LogChanged(fault);
    }
    let now = fingerprint(session).to_string();
    match &session.status {
        Status::Draft => ArchiveCheck::Draft { fingerprint: now },
        Status::Final(seal) if seal.fingerprint != now => ArchiveCheck::ContentChanged {
            sealed: seal.fingerprint.clone(),
            now,
        },
        Status::Final(seal) if seal.results != results_digest(session) => {
            ArchiveCheck::ResultsChanged
        }
        Status::Final(seal) => ArchiveCheck::Intact {
            fingerprint: seal.fingerprint.clone(),
        },
    }
}

/// A session that says it is final but whose content or results no longer match its seal:
/// edited outside the app, or results this build computes differently (the check says
/// which). Such a file must not be printed, signed or exported as a final result; `None` for
/// a draft or an intact seal.
#[must_use]
pub fn broken_seal(session: &Session) -> Option<ArchiveCheck> {
    if !session.is_final() {
        return None;
    }
    Some(check_archive(session)).filter(|c| !c.is_valid())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;
    use crate::archive::{
        self,
        fixtures::{self, T},
    };

    fn example() -> Session {
        fixtures::example("chi-bo")
    }

    /// Logs the `k`-th export of the minutes.
    fn log_export(s: &mut Session, k: u64) {
        s.log(
            "Đức",
            Timestamp(T.0 + k),
            Action::Exported {
                kind: "minutes".into(),
                file: format!("{k}.pdf"),
                fingerprint: String::new(),
            },
        );
    }

    /// The app's incremental check ([`crate::model::LogChain`]), kept across edits, says what
    /// a fresh check says: as the log grows, and when it is replaced by one with an entry
    /// rewritten or removed, its head cut, or an entry put in front, in any order; under a
    /// seal too.
    #[test]
    fn the_incremental_log_check_agrees_with_a_fresh_one() {
        let mut s = example();
        let mut chain = crate::model::LogChain::default();
        let mut logs = Vec::new();
        for k in 0..6 {
            log_export(&mut s, k);
            assert_eq!(chain.check(&s.audit), None, "grown to {}", s.audit.len());
            logs.push(s.audit.clone());
        }
        let mut rewritten = s.audit.clone();
        rewritten[2].by = "Người khác".into();
        let mut removed = s.audit.clone();
        removed.remove(4);
        let mut extended_after_break = rewritten.clone();
        extended_after_break.push(extended_after_break[5].clone());
        let headless = s.audit[1..].to_vec();
        let mut fronted = s.audit.clone();
        fronted.insert(0, fronted[3].clone());
        fronted[0].prev = None;
        logs.extend([
            rewritten,
            removed,
            extended_after_break,
            headless,
            fronted,
            Vec::new(),
        ]);
        let mut sealed = s.clone();
        sealed.finalise("Đức", T).unwrap();
        let statuses = [Status::Draft, sealed.status.clone()];
        logs.push(sealed.audit.clone());
        for order in [false, true] {
            let mut chain = crate::model::LogChain::default();
            let mut all = logs.clone();
            if order {
                all.reverse();
            }
            for log in all.iter().chain(all.iter().rev()) {
                assert_eq!(chain.check(log), crate::model::chain_break(log));
                for status in &statuses {
                    assert_eq!(
                        chain.fault(log, status),
                        crate::model::log_fault(log, status)
                    );
                }
            }
        }
        assert_eq!(chain.check(&logs[6]), Some(3));
    }

    /// The log is a chain: each entry states the hash of the one before, so that an entry
    /// removed, inserted or rewritten anywhere but at the end shows (E006, `verify`); the seal
    /// pins the log as it was at finalisation; a log begun by an older build is not blamed.
    #[test]
    fn the_log_is_chained() {
        let mut s = example();
        for k in 0..4 {
            log_export(&mut s, k);
        }
        assert_eq!(s.audit[0].prev, None);
        assert_eq!(s.audit[1].prev.as_deref(), Some(s.audit[0].hash().as_str()));
        assert_eq!(crate::model::chain_break(&s.audit), None);
        s.finalise("Đức", T).unwrap();
        assert!(check_archive(&s).is_valid());
        // Saved and read back: the same chain.
        let again = archive::from_str(&archive::to_string(&s).unwrap()).unwrap();
        assert!(check_archive(&again).is_valid());

        let mut removed = s.clone();
        removed.audit.remove(1);
        assert_eq!(crate::model::chain_break(&removed.audit), Some(1));
        assert_eq!(
            check_archive(&removed),
            ArchiveCheck::LogChanged(LogFault::Chain(1))
        );
        assert!(validate(&removed).contains(crate::validate::Code::LogEdited));

        let mut rewritten = s.clone();
        rewritten.audit[2].by = "Người khác".into();
        assert_eq!(crate::model::chain_break(&rewritten.audit), Some(3));

        // Rechained by hand up to the finalisation: the seal's pin still shows it.
        let mut rechained = s.clone();
        rechained.audit.remove(0);
        rechained.audit[0].prev = None;
        for i in 1..rechained.audit.len() {
            rechained.audit[i].prev = Some(rechained.audit[i - 1].hash());
        }
        assert_eq!(crate::model::chain_break(&rechained.audit), None);
        assert_eq!(
            check_archive(&rechained),
            ArchiveCheck::LogChanged(LogFault::Seal(4))
        );

        // An older build's entries (no `prev`) before the chain begins are not checked.
        let mut legacy = example();
        for k in 0..2 {
            legacy.log(
                "A",
                T,
                Action::Reopened {
                    reason: k.to_string(),
                    fingerprint: String::new(),
                },
            );
            legacy.audit[k].prev = None;
        }
        legacy.log(
            "A",
            T,
            Action::Reopened {
                reason: "2".into(),
                fingerprint: String::new(),
            },
        );
        assert_eq!(crate::model::chain_break(&legacy.audit), None);
    }

    /// A fake edit "low 3 → 0" without `prev`, as an older build wrote entries.
    fn fake() -> AuditEntry {
        AuditEntry {
            at: T,
            by: "Hà".into(),
            action: Action::Edit {
                path: "groups[0].cadres[1].overall.low".into(),
                old: "3".into(),
                new: "0".into(),
                label: None,
            },
            prev: None,
        }
    }

    /// Rewrites every `prev` from `from` on, as someone who edits the file and knows the
    /// chain's rule would.
    fn rechain(log: &mut [AuditEntry], from: usize) {
        for i in from.max(1)..log.len() {
            log[i].prev = Some(log[i - 1].hash());
        }
    }

    /// What `verify` says of `s`'s log and what `check` says, which must agree.
    fn log_verdict(s: &Session) -> Option<LogFault> {
        let verify = match check_archive(s) {
            ArchiveCheck::LogChanged(f) => Some(f),
            _ => None,
        };
        assert_eq!(
            validate(s).contains(crate::validate::Code::LogEdited),
            verify.is_some(),
            "check and verify disagree: {verify:?}"
        );
        verify
    }

    /// A seal made now is version 2: it pins how many entries came before the finalisation
    /// and the last one's hash, so that every removal, insertion, move or rewrite before it
    /// fails `verify` and `check` — in front of the log, where no `prev` shows it, too — and
    /// a log cut back to before the finalisation, or a finalisation entry rewritten, does.
    #[test]
    fn a_seal_pins_the_whole_log_before_it() {
        let mut s = example();
        for k in 0..4 {
            log_export(&mut s, k);
        }
        s.finalise("Đức", Timestamp(T.0 + 10)).unwrap();
        log_export(&mut s, 5);
        let Status::Final(seal) = &s.status else {
            unreachable!()
        };
        assert_eq!(seal.entries, Some(4));
        assert!(
            seal.canonical().starts_with("tinnhiem-seal/2\n")
                && seal.canonical().contains("\nentries=4\nlog="),
            "{}",
            seal.canonical()
        );
        assert_eq!(log_verdict(&s), None);
        type Edit = fn(&mut Vec<AuditEntry>);
        let cases: [(&str, Edit, LogFault); 12] = [
            ("first removed", |l| drop(l.remove(0)), LogFault::Chain(0)),
            (
                "all before removed",
                |l| drop(l.drain(..4)),
                LogFault::Chain(0),
            ),
            ("fake in front", |l| l.insert(0, fake()), LogFault::Seal(4)),
            (
                "fake in front, rechained",
                |l| {
                    l.insert(0, fake());
                    rechain(l, 1);
                },
                LogFault::Seal(4),
            ),
            (
                "first removed, rechained",
                |l| {
                    l.remove(0);
                    l[0].prev = None;
                    rechain(l, 1);
                },
                LogFault::Seal(4),
            ),
            ("middle removed", |l| drop(l.remove(2)), LogFault::Chain(2)),
            ("swapped", |l| l.swap(1, 2), LogFault::Chain(1)),
            (
                "duplicated",
                |l| {
                    let d = l[1].clone();
                    l.insert(2, d);
                },
                LogFault::Chain(2),
            ),
            ("prev stripped", |l| l[2].prev = None, LogFault::Chain(2)),
            (
                "last before the seal rewritten",
                |l| l[3].by = "Khác".into(),
                LogFault::Chain(4),
            ),
            (
                "finalisation's operator rewritten, rechained",
                |l| {
                    l[4].by = "Khác".into();
                    rechain(l, 5);
                },
                LogFault::Seal(4),
            ),
            (
                "cut back before the seal",
                |l| l.truncate(4),
                LogFault::Seal(4),
            ),
        ];
        for (what, edit, fault) in cases {
            let mut t = s.clone();
            edit(&mut t.audit);
            assert_eq!(log_verdict(&t), Some(fault), "{what}");
        }
        // After the seal, only a document that pinned the log sees a cut
        // (`later_minutes_catch_a_cut_tail` in tests/it/lifecycle.rs).
        let mut cut = s.clone();
        cut.audit.truncate(5);
        assert_eq!(log_verdict(&cut), None);
    }

    /// A seal without `entries` (made before it existed) is signed over the version-1 text, byte
    /// for byte as before, and checked as before: the last finalisation of its fingerprint
    /// states its head. What it cannot show — an entry put in front of the log — is the limit
    /// docs/signing.md states; a first entry that states a `prev` shows under it too.
    #[test]
    fn a_version_1_seal_keeps_its_text_and_its_check() {
        let mut s = example();
        for k in 0..3 {
            log_export(&mut s, k);
        }
        s.finalise("Phạm Văn Đức", T).unwrap();
        let Status::Final(seal) = &mut s.status else {
            unreachable!()
        };
        seal.entries = None;
        let head = seal.log.clone().unwrap();
        assert_eq!(
            seal.canonical(),
            format!(
                "tinnhiem-seal/1\nfingerprint={}\nresults={}\nat=2023-12-15T08:30:00Z\nby=\"Phạm Văn Đức\"\nlog={head}\n",
                seal.fingerprint, seal.results
            )
        );
        assert_eq!(log_verdict(&s), None);
        let mut fronted = s.clone();
        fronted.audit.insert(0, fake());
        assert_eq!(log_verdict(&fronted), None, "the limit of a version-1 seal");
        let mut headless = s.clone();
        headless.audit.remove(0);
        assert_eq!(log_verdict(&headless), Some(LogFault::Chain(0)));
        let mut rechained = s.clone();
        rechained.audit.remove(0);
        rechained.audit[0].prev = None;
        rechain(&mut rechained.audit, 1);
        assert_eq!(log_verdict(&rechained), Some(LogFault::Seal(2)));
    }

    /// Reopened and finalised again: the new seal pins the log up to the second finalisation,
    /// the earlier seal's entries included; cutting the log back to the first seal fails.
    #[test]
    fn a_second_seal_pins_the_first_cycle_too() {
        let mut s = example();
        log_export(&mut s, 0);
        s.finalise("Đức", T).unwrap();
        s.reopen("Hà", Timestamp(T.0 + 60), "Đếm lại").unwrap();
        log_export(&mut s, 1);
        s.finalise("Đức", Timestamp(T.0 + 120)).unwrap();
        let Status::Final(seal) = &s.status else {
            unreachable!()
        };
        assert_eq!(seal.entries, Some(4));
        assert_eq!(log_verdict(&s), None);
        let mut back = s.clone();
        back.audit.truncate(2);
        assert_eq!(log_verdict(&back), Some(LogFault::Seal(2)));
        let mut first_seal_gone = s.clone();
        first_seal_gone.audit.remove(1);
        assert_eq!(log_verdict(&first_seal_gone), Some(LogFault::Chain(1)));
        let mut first_seal_gone_rechained = first_seal_gone.clone();
        rechain(&mut first_seal_gone_rechained.audit, 1);
        assert_eq!(
            log_verdict(&first_seal_gone_rechained),
            Some(LogFault::Seal(4))
        );
    }

    /// A log begun by a build before the chain (entries without `prev`), sealed now: the
    /// count pins how many such entries there were and the chain their last one, so a legacy
    /// entry removed or added fails; what is left unproved is the content and order of the
    /// legacy entries before the last one (docs/signing.md: what an old archive cannot prove).
    #[test]
    fn a_legacy_prefix_is_pinned_by_its_count() {
        let mut s = example();
        for k in 0..3 {
            log_export(&mut s, k);
        }
        for e in &mut s.audit {
            e.prev = None;
        }
        s.finalise("Đức", T).unwrap();
        assert_eq!(log_verdict(&s), None);
        let mut removed = s.clone();
        removed.audit.remove(0);
        assert_eq!(log_verdict(&removed), Some(LogFault::Seal(3)));
        let mut added = s.clone();
        added.audit.insert(1, fake());
        assert_eq!(log_verdict(&added), Some(LogFault::Seal(3)));
        let mut last_rewritten = s.clone();
        last_rewritten.audit[2].by = "Khác".into();
        assert_eq!(log_verdict(&last_rewritten), Some(LogFault::Chain(3)));
        let mut earlier_rewritten = s.clone();
        earlier_rewritten.audit[0].by = "Khác".into();
        earlier_rewritten.audit.swap(0, 1);
        assert_eq!(
            log_verdict(&earlier_rewritten),
            None,
            "the limit of a legacy prefix"
        );
    }

    /// The minutes' keyword states the log's length and head and reads back; a log that still
    /// begins with the pinned one holds it, one cut, rewritten or rechained does not.
    #[test]
    fn a_log_pin_reads_back_and_holds() {
        use crate::model::LogPin;
        let mut s = example();
        let empty = LogPin::of(&s.audit);
        assert_eq!(empty.keyword(), "tinnhiem-log:0:-");
        for k in 0..3 {
            log_export(&mut s, k);
        }
        let pin = LogPin::of(&s.audit);
        let keywords = format!(
            "biên bản,tinnhiem-fingerprint:{},{}",
            "ab".repeat(32),
            pin.keyword()
        );
        assert_eq!(LogPin::from_keywords(&keywords), Some(pin.clone()));
        assert_eq!(
            LogPin::from_keywords("x,tinnhiem-log:0:-"),
            Some(empty.clone())
        );
        for bad in [
            "tinnhiem-log:",
            "tinnhiem-log:3:-",
            "tinnhiem-log:0:abc",
            "tinnhiem-log:-1:-",
            "tinnhiem-log:3:abcd",
            "tinnhiem-log:99999999999999999999999:-",
        ] {
            assert_eq!(LogPin::from_keywords(bad), None, "{bad}");
        }
        assert!(empty.holds(&s.audit) && pin.holds(&s.audit));
        log_export(&mut s, 3);
        assert!(pin.holds(&s.audit));
        assert!(!pin.holds(&s.audit[..2]));
        let mut rewritten = s.audit.clone();
        rewritten[1].by = "Khác".into();
        assert!(!pin.holds(&rewritten));
        rechain(&mut rewritten, 2);
        assert!(!pin.holds(&rewritten));
        let mut fronted = s.audit.clone();
        fronted.insert(0, fake());
        assert!(!pin.holds(&fronted));
    }

    /// Draft → Final → Draft, each transition logged; refused transitions leave no trace.
    #[test]
    fn transitions() {
        let mut s = example();
        assert_eq!(s.reopen("Đức", T, "x"), Err(TransitionError::NotFinal));
        assert_eq!(s.finalise("  ", T), Err(TransitionError::OperatorRequired));
        assert!(s.audit.is_empty());
        s.finalise("Phạm Văn Đức", T).unwrap();
        assert!(s.is_final());
        assert_eq!(s.finalise("Đức", T), Err(TransitionError::AlreadyFinal));
        assert_eq!(ensure_editable(&s), Err(TransitionError::Sealed));
        assert_eq!(
            s.reopen("Đức", T, "  "),
            Err(TransitionError::ReasonRequired)
        );
        s.reopen(
            "Đức",
            Timestamp(T.0 + 60),
            "Nhập nhầm số phiếu của đồng chí Ánh",
        )
        .unwrap();
        assert!(!s.is_final());
        assert!(ensure_editable(&s).is_ok());
        assert_eq!(s.audit.len(), 2);
        assert!(
            matches!(&s.audit[1].action, Action::Reopened { reason, .. } if reason.contains("Ánh"))
        );
    }

    /// A session with errors cannot be finalised.
    #[test]
    fn errors_block_finalising() {
        let mut s = example();
        s.groups[0].cadres[0].overall.high = Some(99);
        assert!(matches!(s.finalise("Đức", T), Err(TransitionError::HasErrors(n)) if n > 0));
        assert!(!s.is_final());
    }

    /// With double entry required, a group that has not agreed blocks finalising; once both
    /// entries agree, finalising goes through.
    #[test]
    fn double_entry_blocks_finalising() {
        let mut s = example();
        s.double_entry = true;
        assert_eq!(
            s.finalise("Đức", T),
            Err(TransitionError::EntryNotAgreed(1))
        );
        let counts = s.groups[0].clone();
        s.finish_first_entry(0, "A", T).unwrap();
        s.groups[0].cadres = counts.cadres;
        s.groups[0].voters = counts.voters;
        assert_eq!(s.finish_second_entry(0, "B", T), Ok(0));
        s.finalise("Đức", T).unwrap();
        let back = archive::from_str(&archive::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }

    /// Verify: intact after finalising and a save/load; a changed count is detected.
    #[test]
    fn verify_detects_changes() {
        let mut s = example();
        assert!(matches!(check_archive(&s), ArchiveCheck::Draft { .. }));
        s.finalise("Đức", T).unwrap();
        let back = archive::from_str(&archive::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
        assert!(check_archive(&back).is_valid());
        let mut edited = back;
        edited.groups[0].cadres[1].overall.low = Some(0);
        assert!(matches!(
            check_archive(&edited),
            ArchiveCheck::ContentChanged { .. }
        ));
        let mut sealed_results_differ = s.clone();
        if let Status::Final(seal) = &mut sealed_results_differ.status {
            seal.results = "0".repeat(64);
        }
        assert_eq!(
            check_archive(&sealed_results_differ),
            ArchiveCheck::ResultsChanged
        );
    }

    fn fp(s: &str) -> FieldPath {
        FieldPath::parse(s).unwrap()
    }

    /// Field values read by path; typing one field is one log entry, another field another.
    #[test]
    fn edits_logged_by_field() {
        let mut s = example();
        assert_eq!(
            value_at(&s, fp("groups[0].cadres[1].overall.low")).as_deref(),
            Some("1")
        );
        assert_eq!(
            value_at(&s, fp("groups[0].cadres[1].name")).as_deref(),
            Some("Nguyễn Hữu Phước")
        );
        assert_eq!(value_at(&s, fp("meta.date")).as_deref(), Some("2023-11-20"));
        assert_eq!(
            value_at(&s, fp("groups[0].cadres[1].exemption")).as_deref(),
            Some("")
        );
        assert_eq!(value_at(&s, fp("groups[0].cadres")), None);
        s.log_edit(
            "Hà",
            T,
            Some(fp("groups[0].cadres[1].overall.low")),
            ("1".into(), "2".into()),
            true,
        );
        s.log_edit(
            "Hà",
            Timestamp(T.0 + 5),
            Some(fp("groups[0].cadres[1].overall.low")),
            ("2".into(), "25".into()),
            true,
        );
        s.log_edit(
            "Hà",
            Timestamp(T.0 + 6),
            Some(fp("groups[0].cadres[2].overall.low")),
            ("1".into(), "0".into()),
            true,
        );
        s.log_edit(
            "Hà",
            Timestamp(T.0 + 200),
            Some(fp("groups[0].cadres[2].overall.low")),
            ("0".into(), "3".into()),
            true,
        );
        assert_eq!(s.audit.len(), 3);
        assert_eq!(
            s.audit[0].action,
            Action::Edit {
                path: "groups[0].cadres[1].overall.low".into(),
                old: "1".into(),
                new: "25".into(),
                label: Some(crate::text::Message::new(
                    "2. Nguyễn Hữu Phước — Tín nhiệm thấp",
                    "2. Nguyễn Hữu Phước — Low confidence"
                )),
            }
        );
    }

    /// Timestamps print and parse as RFC 3339 UTC and reject anything else.
    #[test]
    fn timestamps() {
        assert_eq!(T.to_string(), "2023-12-15T08:30:00Z");
        assert_eq!("2023-12-15T08:30:00Z".parse::<Timestamp>(), Ok(T));
        assert!("2023-12-15 08:30".parse::<Timestamp>().is_err());
        assert!("2023-13-15T08:30:00Z".parse::<Timestamp>().is_err());
    }
}
