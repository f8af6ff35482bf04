//! Undo and redo by whole-session snapshots.
//!
//! A snapshot per step is simple and obviously correct (no inverse edits to get wrong), and a
//! session of 500 cadres is a few hundred kilobytes, so a few hundred steps cost little.
//! Successive edits of the same field (typing "27" into one cell, a name letter by letter) are
//! one step, until [`History::seal`] is called (the field loses focus).

use crate::edit::{Edit, EditError};
use crate::model::Session;

/// How many steps are kept; the oldest are dropped first.
pub const LIMIT: usize = 500;

/// The undo and redo stacks of one session.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// The field of the last step, while further edits of it may join that step.
    open_field: Option<crate::model::FieldPath>,
}

#[derive(Debug, Clone)]
struct Step {
    /// The session before the step.
    before: Session,
    /// What the step did, for the menu.
    edit: Edit,
}

impl History {
    /// Applies `edit` to `session` and records the step. A failed edit or one that changes
    /// nothing records nothing. Returns whether the session changed.
    ///
    /// # Errors
    ///
    /// As [`Edit::apply`]; nothing is recorded then.
    pub fn apply(&mut self, session: &mut Session, edit: Edit) -> Result<bool, EditError> {
        let before = session.clone();
        edit.apply(session)?;
        if *session == before {
            return Ok(false);
        }
        let field = edit.field_path();
        let joins = field.is_some() && field == self.open_field && !self.undo.is_empty();
        if joins {
            if let Some(last) = self.undo.last_mut() {
                last.edit = edit;
            }
        } else {
            self.undo.push(Step { before, edit });
            if self.undo.len() > LIMIT {
                self.undo.remove(0);
            }
        }
        self.open_field = field;
        self.redo.clear();
        Ok(true)
    }

    /// Ends the current step: the next edit of the same field is a new step.
    pub fn seal(&mut self) {
        self.open_field = None;
    }

    /// Undoes the last step. Returns whether there was one. A final session is not touched
    /// (undo would break its seal), and the audit log is never rolled back: it is append-only.
    pub fn undo(&mut self, session: &mut Session) -> bool {
        self.seal();
        if session.is_final() {
            return false;
        }
        match self.undo.pop() {
            Some(step) => {
                let after = restore(session, step.before);
                self.redo.push(Step {
                    before: after,
                    edit: step.edit,
                });
                true
            }
            None => false,
        }
    }

    /// Redoes the last undone step. Returns whether there was one (never on a final session).
    pub fn redo(&mut self, session: &mut Session) -> bool {
        self.seal();
        if session.is_final() {
            return false;
        }
        match self.redo.pop() {
            Some(step) => {
                let before = restore(session, step.before);
                self.undo.push(Step {
                    before,
                    edit: step.edit,
                });
                true
            }
            None => false,
        }
    }

    /// The edit the next undo would revert.
    #[must_use]
    pub fn next_undo(&self) -> Option<&Edit> {
        self.undo.last().map(|s| &s.edit)
    }

    /// The edit the next redo would apply again.
    #[must_use]
    pub fn next_redo(&self) -> Option<&Edit> {
        self.redo.last().map(|s| &s.edit)
    }

    /// Forgets every step (a new file was opened).
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

/// Puts `snapshot` in place of `session`, keeping the current audit log; returns the old
/// session.
fn restore(session: &mut Session, mut snapshot: Session) -> Session {
    snapshot.audit = session.audit.clone();
    std::mem::replace(session, snapshot)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::edit::Question;
    use crate::model::Level;

    fn count(cadre: usize, value: u32) -> Edit {
        Edit::SetCount {
            group: 0,
            cadre,
            question: Question::Overall,
            level: Level::Low,
            value: Some(value),
        }
    }

    fn session() -> Session {
        let mut s = Session::default();
        Edit::PasteCadres {
            group: 0,
            text: "A\tX\nB\tY".into(),
        }
        .apply(&mut s)
        .unwrap();
        s
    }

    /// Undo restores the session before each step and redo brings it back exactly.
    #[test]
    fn undo_redo_round_trip() {
        let mut s = session();
        let mut h = History::default();
        let s0 = s.clone();
        h.apply(&mut s, count(0, 5)).unwrap();
        let s1 = s.clone();
        h.apply(&mut s, count(1, 7)).unwrap();
        let s2 = s.clone();
        assert!(h.undo(&mut s));
        assert_eq!(s, s1);
        assert!(h.undo(&mut s));
        assert_eq!(s, s0);
        assert!(!h.undo(&mut s));
        assert!(h.redo(&mut s));
        assert!(h.redo(&mut s));
        assert_eq!(s, s2);
        assert!(!h.redo(&mut s));
    }

    /// Typing into one cell is one step until sealed; a new edit clears the redo stack.
    #[test]
    fn same_field_joins_until_sealed() {
        let mut s = session();
        let mut h = History::default();
        let s0 = s.clone();
        h.apply(&mut s, count(0, 2)).unwrap();
        h.apply(&mut s, count(0, 27)).unwrap();
        h.seal();
        h.apply(&mut s, count(0, 28)).unwrap();
        assert!(h.undo(&mut s));
        assert_eq!(s.groups[0].cadres[0].overall.low, Some(27));
        assert!(h.undo(&mut s));
        assert_eq!(s, s0);
        assert!(h.redo(&mut s));
        h.apply(&mut s, count(1, 1)).unwrap();
        assert!(!h.redo(&mut s));
    }

    /// Undo keeps the audit log, and does nothing to a final session.
    #[test]
    fn undo_keeps_audit_and_seal() {
        let mut s = session();
        let mut h = History::default();
        h.apply(&mut s, count(0, 5)).unwrap();
        h.apply(&mut s, count(1, 5)).unwrap();
        let at = crate::lifecycle::Timestamp(1);
        s.log(
            "A",
            at,
            crate::lifecycle::Action::Edit {
                path: "x".into(),
                old: String::new(),
                new: "5".into(),
                label: None,
            },
        );
        assert!(h.undo(&mut s));
        assert_eq!(s.audit.len(), 1);
        s.status = crate::lifecycle::Status::Final(crate::lifecycle::Seal {
            fingerprint: String::new(),
            results: String::new(),
            at,
            by: "A".into(),
            entries: None,
            log: None,
            signature: None,
        });
        let sealed = s.clone();
        assert!(!h.undo(&mut s));
        assert!(!h.redo(&mut s));
        assert_eq!(s, sealed);
    }

    /// A failed or no-op edit records no step.
    #[test]
    fn failed_and_noop_edits_record_nothing() {
        let mut s = session();
        let mut h = History::default();
        assert!(h.apply(&mut s, count(9, 1)).is_err());
        assert_eq!(h.apply(&mut s, Edit::SetDate(None)), Ok(false));
        assert!(!h.undo(&mut s));
    }
}
