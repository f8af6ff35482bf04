//! What the archive records of a session's life: its status, the seal, and the audit log.
//!
//! Plain data: the transitions that produce them are in [`crate::lifecycle`].

use std::fmt;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::text::{Lang, Message};

/// Where a session is in its life.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Status {
    /// Counts may still change.
    #[default]
    Draft,
    /// The committee agreed on the counts; the content is sealed by its fingerprint.
    Final(Seal),
}

impl Status {
    /// Whether still a draft (the archive omits the default).
    #[must_use]
    pub fn is_draft(&self) -> bool {
        matches!(self, Status::Draft)
    }
}

/// What finalising fixed: who, when, and the fingerprints of the content and the results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seal {
    /// SHA-256 of the canonical content ([`crate::fingerprint`]), hex.
    pub fingerprint: String,
    /// SHA-256 of the results as the JSON report states them, hex: recomputing the results
    /// years later with another build must give the same.
    pub results: String,
    /// When.
    pub at: Timestamp,
    /// Who (the operator's name).
    pub by: String,
    /// How many log entries came before the finalisation. With [`Self::log`] it pins the
    /// whole log up to the seal: an entry removed or added anywhere before it changes the
    /// count, also before the chain's first entry, where no `prev` shows it. Absent on seals
    /// made before it existed, which [`Seal::canonical`] writes as version 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entries: Option<usize>,
    /// SHA-256 (hex) of the last log entry before the finalisation ([`AuditEntry::hash`]):
    /// the finalisation's own entry states it as its `prev`. Absent on seals made before the
    /// log was chained, or with an empty log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<String>,
    /// The seal signed with the finaliser's key (token or .p12), when one was at hand: proves
    /// who sealed, as an unkeyed hash cannot ([`crate::signing::seal`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<SealSignature>,
}

impl Seal {
    /// The text a seal's signature is over: its facts, one per line, after a version line.
    /// The signature itself is not part of it. Version 2 adds `entries=` (the log's length
    /// before the finalisation) before `log=`; a seal without [`Self::entries`] is written as
    /// version 1, byte for byte as the builds before wrote it, so that their signatures still
    /// hold. The version is signed: removing `entries` from a signed seal breaks its
    /// signature rather than turning it into a weaker version-1 seal.
    #[must_use]
    pub fn canonical(&self) -> String {
        let by = serde_json::to_string(&self.by).unwrap_or_default();
        let log = self.log.as_deref().unwrap_or("-");
        let (fingerprint, results, at) = (&self.fingerprint, &self.results, self.at);
        match self.entries {
            None => format!(
                "tinnhiem-seal/1\nfingerprint={fingerprint}\nresults={results}\nat={at}\nby={by}\nlog={log}\n"
            ),
            Some(n) => format!(
                "tinnhiem-seal/2\nfingerprint={fingerprint}\nresults={results}\nat={at}\nby={by}\nentries={n}\nlog={log}\n"
            ),
        }
    }
}

/// A detached CMS signature over [`Seal::canonical`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealSignature {
    /// Who signed, as the certificate names them (shown without checking; [`Self::cms`] is
    /// what is checked).
    pub signer: String,
    /// The CMS SignedData, DER in hex.
    pub cms: String,
}

/// A moment, in whole seconds UTC, stored as RFC 3339 ("2023-12-15T08:30:00Z").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// Now, from the system clock (only at the edges: the core takes times as arguments).
    #[must_use]
    pub fn now() -> Self {
        Self(
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
        )
    }

    /// As a duration since 1970.
    #[must_use]
    pub fn as_duration(self) -> Duration {
        Duration::from_secs(self.0)
    }

    /// The calendar date and time, `hours` east of UTC; `None` past the year 9999. The one
    /// calendar computation: the archive's, the documents' and the PDF signature's dates all
    /// come from it.
    #[must_use]
    pub fn civil(self, hours: u64) -> Option<der::DateTime> {
        der::DateTime::from_unix_duration(Duration::from_secs(self.0.checked_add(hours * 3600)?))
            .ok()
    }
}

impl Timestamp {
    /// "15/12/2023 15:30" in Vietnam's time (UTC+7, no daylight saving), for documents.
    #[must_use]
    pub fn vietnam(self) -> String {
        match self.civil(7) {
            Some(t) => format!(
                "{:02}/{:02}/{} {:02}:{:02}",
                t.day(),
                t.month(),
                t.year(),
                t.hour(),
                t.minutes()
            ),
            None => self.to_string(),
        }
    }
}

impl Timestamp {
    /// "2026-12-07T09:40:11+07:00": ISO 8601 in Vietnam's time, with seconds and the offset,
    /// as NĐ 30/2020 (Phụ lục I) has a digital signature's time shown.
    #[must_use]
    pub fn vietnam_iso(self) -> String {
        match self.civil(7) {
            Some(t) => format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+07:00",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minutes(),
                t.seconds()
            ),
            None => self.to_string(),
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.civil(0) {
            Some(t) => write!(
                f,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minutes(),
                t.seconds()
            ),
            None => write!(f, "@{}", self.0),
        }
    }
}

impl std::str::FromStr for Timestamp {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("thời điểm không hợp lệ / invalid timestamp: {s}");
        let b = s.as_bytes();
        if b.len() != 20 || b[4] != b'-' || b[10] != b'T' || b[19] != b'Z' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u16>().ok());
        let (Some(y), Some(mo), Some(d), Some(h), Some(mi), Some(se)) = (
            num(0..4),
            num(5..7),
            num(8..10),
            num(11..13),
            num(14..16),
            num(17..19),
        ) else {
            return Err(bad());
        };
        let to_u8 = |v: u16| u8::try_from(v).map_err(|_| bad());
        der::DateTime::new(y, to_u8(mo)?, to_u8(d)?, to_u8(h)?, to_u8(mi)?, to_u8(se)?)
            .map(|t| Timestamp(t.unix_duration().as_secs()))
            .map_err(|_| bad())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// One line of the audit log ("Nhật ký nhập liệu").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// Who: the operator name typed at start.
    pub by: String,
    /// What happened.
    pub action: Action,
    /// SHA-256 (hex) of the entry before it ([`AuditEntry::hash`]), so that an entry removed,
    /// moved or rewritten before the last one shows ([`chain_break`]). Absent on the first
    /// entry and on entries written before the log was chained.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
}

/// What [`AuditEntry::hash`] is taken over: the entry as JSON, after a version line.
const CHAIN_VERSION: &str = "tinnhiem-log/1\n";

impl AuditEntry {
    /// SHA-256 (hex) of this entry, its `prev` included: what the next entry's `prev` states.
    #[must_use]
    pub fn hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let json = serde_json::to_string(self).unwrap_or_default();
        let digest = Sha256::new()
            .chain_update(CHAIN_VERSION)
            .chain_update(json.as_bytes())
            .finalize();
        crate::encode::hex(&digest)
    }
}

/// The first entry (0-based) at which the log's chain fails; `None` when it holds.
///
/// - The first entry states a `prev`: the entries before it were cut off (the log lost its
///   head). This build never writes a `prev` on a first entry.
/// - From the first entry with a `prev` on, each entry states the hash of the one before; an
///   entry without one there is a break too (an entry inserted, removed, moved or rewritten).
/// - Entries before the first chained one were written by a build before the chain (a legacy
///   prefix): nothing links them, so their order and content cannot be checked here, and a
///   `prev`-less entry added in front of a log looks like one of them. Only a count pins them:
///   a version-2 seal's [`Seal::entries`], a document's [`LogPin`].
#[must_use]
pub fn chain_break(log: &[AuditEntry]) -> Option<usize> {
    if log.first()?.prev.is_some() {
        return Some(0);
    }
    let start = log.iter().position(|e| e.prev.is_some())?;
    (start..log.len()).find(|&i| log[i].prev.as_deref() != Some(log[i - 1].hash().as_str()))
}

/// The log as it stood at one moment: how many entries, and the hash of the last. A
/// version-2 seal pins the log before its finalisation so ([`Seal::entries`], [`Seal::log`]),
/// and the minutes pin the log as it was when they were written ([`LogPin::keyword`]), so
/// that entries cut from the end afterwards show against them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPin {
    /// How many entries.
    pub entries: usize,
    /// The last entry's [`AuditEntry::hash`]; `None` for an empty log.
    pub head: Option<String>,
}

/// The prefix of the document keyword (PDF `/Keywords`, next to
/// [`crate::fingerprint::PDF_KEYWORD`]) that states the log a document was written at:
/// `tinnhiem-log:<entries>:<64 hex, or - for an empty log>`.
pub const LOG_KEYWORD: &str = "tinnhiem-log:";

impl LogPin {
    /// The pin of `log` as it stands.
    #[must_use]
    pub fn of(log: &[AuditEntry]) -> Self {
        Self {
            entries: log.len(),
            head: log.last().map(AuditEntry::hash),
        }
    }

    /// Whether `log` still begins with the pinned log: it is at least as long, its chain holds
    /// up to there ([`chain_break`]) and its entry at the pinned place is the pinned one. What
    /// the chain cannot link (a legacy prefix) is pinned by the count only.
    #[must_use]
    pub fn holds(&self, log: &[AuditEntry]) -> bool {
        let Some(prefix) = log.get(..self.entries) else {
            return false;
        };
        prefix.last().map(AuditEntry::hash) == self.head && chain_break(prefix).is_none()
    }

    /// The document keyword stating this pin ([`LOG_KEYWORD`]).
    #[must_use]
    pub fn keyword(&self) -> String {
        format!(
            "{LOG_KEYWORD}{}:{}",
            self.entries,
            self.head.as_deref().unwrap_or("-")
        )
    }

    /// The pin a document's keywords state, if they state a well-formed one.
    #[must_use]
    pub fn from_keywords(keywords: &str) -> Option<Self> {
        let rest = &keywords[keywords.find(LOG_KEYWORD)? + LOG_KEYWORD.len()..];
        let (count, rest) = rest.split_once(':')?;
        if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let entries = count.parse().ok()?;
        let hex: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
        let head = match (entries, hex.len()) {
            (0, 0) if rest.starts_with('-') => None,
            (1.., 64) => Some(hex),
            _ => return None,
        };
        Some(Self { entries, head })
    }
}

/// What is wrong with an audit log ([`log_fault`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFault {
    /// Entry `.0` (0-based) does not follow the one before it ([`chain_break`]); entry 0:
    /// it names an entry before it, which is gone.
    Chain(usize),
    /// The chain holds, but the log up to the finalisation is not the one the seal pins: an
    /// entry removed or added where the chain cannot show it (in front of the log, in a legacy
    /// prefix), or the finalisation's own entry missing, moved or rewritten. `.0` is where
    /// the finalisation's entry should be (0-based).
    Seal(usize),
}

impl LogFault {
    /// The entry concerned, 1-based, as people count.
    #[must_use]
    pub fn entry(self) -> usize {
        match self {
            LogFault::Chain(i) | LogFault::Seal(i) => i + 1,
        }
    }

    /// What is wrong, in words (a clause: callers say what follows from it).
    #[must_use]
    pub fn message(self) -> Message {
        let k = self.entry();
        match self {
            LogFault::Chain(0) => Message::new(
                "mục 1 ghi nối tiếp một mục trước nó, nay không còn: phần đầu nhật ký đã bị cắt",
                "entry 1 follows an entry that is no longer there: the beginning of the log was cut",
            ),
            LogFault::Chain(_) => Message::new(
                format!("mục {k} không nối tiếp mục trước"),
                format!("entry {k} does not follow the one before"),
            ),
            LogFault::Seal(_) => Message::new(
                format!(
                    "nhật ký đến lúc chốt khác với nhật ký mà mã chốt ghi nhận: mục {k} không phải là mục chốt kết quả nối tiếp đúng nhật ký đã chốt"
                ),
                format!(
                    "the log up to the finalisation is not the one the seal pins: entry {k} is not the finalisation following the sealed log"
                ),
            ),
        }
    }
}

/// Whether the log before a seal's finalisation is the one the seal pins, the chain being
/// known to hold ([`chain_break`]): checked without hashing.
///
/// - Version 2 ([`Seal::entries`] = n): entry n is the finalisation, by the sealer, at the
///   seal's time, of the sealed fingerprint, and states the sealed head as its `prev`. With
///   the chain, that pins entries 1…n exactly and, by the count, a legacy prefix's length.
/// - Version 1 (no count): the last finalisation of the sealed fingerprint states the sealed
///   head, when the seal has one. Entries added or removed in front of the chain, and the
///   contents of a legacy prefix, are not pinned.
#[must_use]
pub fn seal_fault(log: &[AuditEntry], seal: &Seal) -> Option<LogFault> {
    let finalised = |e: &AuditEntry| matches!(&e.action, Action::Finalised { fingerprint } if *fingerprint == seal.fingerprint);
    if let Some(n) = seal.entries {
        let pinned = seal.log.is_some() == (n > 0)
            && log.get(n).is_some_and(|e| {
                finalised(e) && e.at == seal.at && e.by == seal.by && e.prev == seal.log
            });
        return (!pinned).then_some(LogFault::Seal(n.min(log.len())));
    }
    let head = seal.log.as_ref()?;
    let at = log.iter().rposition(finalised);
    let pinned = at.is_some_and(|k| log[k].prev.as_ref() == Some(head));
    (!pinned).then(|| LogFault::Seal(at.unwrap_or(log.len())))
}

/// The first thing wrong with `log`, kept in a session of `status`: its chain
/// ([`chain_break`]), then, under a seal, the log the seal pins ([`seal_fault`]). What
/// `verify` and `check` (E006) both report.
#[must_use]
pub fn log_fault(log: &[AuditEntry], status: &Status) -> Option<LogFault> {
    match chain_break(log) {
        Some(i) => Some(LogFault::Chain(i)),
        None => sealed_fault(log, status),
    }
}

fn sealed_fault(log: &[AuditEntry], status: &Status) -> Option<LogFault> {
    match status {
        Status::Final(seal) => seal_fault(log, seal),
        Status::Draft => None,
    }
}

/// [`chain_break`] for a log checked again and again as it grows (the app validates after
/// every edit, and every edit adds an entry): the entries already checked are kept and
/// compared as values, and only the new ones are hashed, so each entry is hashed once. A log
/// that is not an extension of the one checked before (another file opened, entries changed)
/// is checked from the start.
#[derive(Debug, Clone, Default)]
pub struct LogChain {
    /// The entries checked so far, as they were.
    checked: Vec<AuditEntry>,
    /// A chained entry (one with `prev`) was among them.
    chained: bool,
    /// The first break among them.
    broken: Option<usize>,
    /// The hash of the last checked entry, once computed.
    last_hash: Option<String>,
}

impl LogChain {
    /// The first break in `log`, as [`chain_break`] states it.
    pub fn check(&mut self, log: &[AuditEntry]) -> Option<usize> {
        let known = self.checked.len();
        if log.get(..known) != Some(self.checked.as_slice()) {
            *self = Self::default();
        }
        for i in self.checked.len()..log.len() {
            let entry = &log[i];
            self.chained |= entry.prev.is_some();
            if self.broken.is_none() && i == 0 && entry.prev.is_some() {
                self.broken = Some(0);
            } else if self.chained && i >= 1 && self.broken.is_none() {
                let before = self.last_hash.take().unwrap_or_else(|| log[i - 1].hash());
                if entry.prev.as_deref() != Some(before.as_str()) {
                    self.broken = Some(i);
                }
            }
            self.last_hash = None;
            self.checked.push(entry.clone());
        }
        if self.broken.is_none() && self.chained && self.last_hash.is_none() {
            self.last_hash = log.last().map(AuditEntry::hash);
        }
        self.broken
    }

    /// [`log_fault`] through this incremental check.
    pub fn fault(&mut self, log: &[AuditEntry], status: &Status) -> Option<LogFault> {
        match self.check(log) {
            Some(i) => Some(LogFault::Chain(i)),
            None => sealed_fault(log, status),
        }
    }
}

/// What an audit entry records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Action {
    /// A change to the session: the field, its old and new value; or, with an empty `path`,
    /// a change that sets no one field (a cadre added, a list pasted), said by `label`.
    Edit {
        /// The field path (`"groups[0].cadres[2].overall.low"`) or the list changed; empty for
        /// a change of no one field.
        path: String,
        /// The value before ("" when none).
        old: String,
        /// The value after ("" when removed).
        new: String,
        /// The field in words when the change was made ("3. Đặng Ngọc Ánh — Tín nhiệm
        /// thấp"): names as they were then, so that a cadre moved later is not misnamed.
        /// For a change of no one field (empty `path`), the change itself in words ("Nhập từng
        /// phiếu: đã nhập 3 tờ"). Absent in logs written before it existed (the path is shown
        /// then; a change of no one field was kept in Vietnamese in `new`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        label: Option<Message>,
    },
    /// The session was finalised with this fingerprint.
    Finalised {
        /// The sealed fingerprint.
        fingerprint: String,
    },
    /// The session was reopened.
    Reopened {
        /// Why, as stated by the operator.
        reason: String,
        /// The fingerprint that was sealed before.
        fingerprint: String,
    },
    /// A document was written.
    Exported {
        /// "minutes", "ballots", "csv".
        kind: String,
        /// The file's name.
        file: String,
        /// The content fingerprint at the time.
        fingerprint: String,
    },
    /// The minutes were signed.
    Signed {
        /// The signer certificate's subject.
        subject: String,
        /// The file's name.
        file: String,
    },
}

impl AuditEntry {
    /// One line for people: "2023-12-15T08:30:00Z Phạm Văn Đức: chốt kết quả …".
    #[must_use]
    pub fn line(&self, lang: Lang) -> String {
        format!("{} {}: {}", self.at, self.by, self.describe(lang))
    }

    /// What happened, in words.
    #[must_use]
    pub fn describe(&self, lang: Lang) -> String {
        let vi = lang == Lang::Vi;
        match &self.action {
            Action::Edit {
                path,
                old,
                new,
                label,
            } => {
                // Words, not "∅": the log annex prints this in a font that has no such sign.
                // Archives written before kept "∅" for an empty entry of a double entry.
                let empty = if vi { "(trống)" } else { "(empty)" };
                // A step of the double entry or a merge is written in both languages
                // ("xong lần nhập thứ nhất / first entry finished"): the reader's half.
                let one = |v: &str| {
                    if path.ends_with(".entry") || path.ends_with("teams") {
                        Message::from_bilingual(v).get(lang).to_owned()
                    } else {
                        v.to_owned()
                    }
                };
                let show = |v: &str| {
                    if v.is_empty() {
                        empty.to_owned()
                    } else {
                        one(v).replace('∅', empty)
                    }
                };
                let field = label.as_ref().map_or(path.as_str(), |m| m.get(lang));
                // A change of no one field is a sentence of its own, not a field going from
                // "(trống)" to the sentence; the builds before kept it in Vietnamese in `new`.
                if path.is_empty() && old.is_empty() {
                    return if new.is_empty() {
                        field.to_owned()
                    } else {
                        new.clone()
                    };
                }
                if old.is_empty() && (path.ends_with(".entry") || path.ends_with("teams")) {
                    return format!("{field}: {}", show(new));
                }
                format!("{field}: {} → {}", show(old), show(new))
            }
            Action::Finalised { fingerprint } if vi => format!("Chốt kết quả, mã {fingerprint}"),
            Action::Finalised { fingerprint } => format!("Finalised, fingerprint {fingerprint}"),
            Action::Reopened { reason, .. } if vi => format!("Mở lại để sửa, lý do: {reason}"),
            Action::Reopened { reason, .. } => format!("Reopened, reason: {reason}"),
            Action::Exported { kind, file, .. } => {
                // The kind is stored as a code ("minutes"); the log says what it is.
                let (what_vi, what_en) = match kind.as_str() {
                    "minutes" => ("biên bản", "the minutes"),
                    "ballots" => ("phiếu trống", "the blank ballots"),
                    "csv" => ("kết quả (CSV)", "the results (CSV)"),
                    "xlsx" => ("kết quả (Excel)", "the results (Excel)"),
                    other => (other, other),
                };
                if vi {
                    format!("Xuất {what_vi}: {file}")
                } else {
                    format!("Exported {what_en}: {file}")
                }
            }
            Action::Signed { subject, file } if vi => format!("Ký số {file} bởi {subject}"),
            Action::Signed { subject, file } => format!("Signed {file} by {subject}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A signature's time as NĐ 30/2020 shows it: ISO 8601, Vietnam's offset, seconds; the
    /// same instant as the archive's UTC time.
    #[test]
    fn vietnam_iso_time() {
        let t = Timestamp(1_702_600_000);
        assert_eq!(t.vietnam_iso(), "2023-12-15T07:26:40+07:00");
        assert_eq!(t.to_string(), "2023-12-15T00:26:40Z");
        assert_eq!(Timestamp(0).vietnam_iso(), "1970-01-01T07:00:00+07:00");
    }

    /// Every kind of log entry reads as a sentence in each language: a change of no one field
    /// is its own words in the reader's language, never ": (trống) → Nhập từng phiếu: …" (an
    /// older build's entry, kept in Vietnamese, reads so too); a field's change says the
    /// field, its old and its new value; the other entries begin with a capital.
    #[test]
    fn every_entry_reads_as_a_sentence() {
        let edit = |path: &str, old: &str, new: &str, label: Option<Message>| Action::Edit {
            path: path.into(),
            old: old.into(),
            new: new.into(),
            label,
        };
        let exported = |kind: &str| Action::Exported {
            kind: kind.into(),
            file: "bb.pdf".into(),
            fingerprint: "ab".into(),
        };
        let cases = [
            (
                edit(
                    "",
                    "",
                    "",
                    Some(Message::new(
                        "Nhập từng phiếu: đã nhập 3 tờ",
                        "Ballot by ballot: 3 sheets entered",
                    )),
                ),
                "Nhập từng phiếu: đã nhập 3 tờ",
                "Ballot by ballot: 3 sheets entered",
            ),
            (
                edit("", "", "Thêm cán bộ Lê Văn An", None),
                "Thêm cán bộ Lê Văn An",
                "Thêm cán bộ Lê Văn An",
            ),
            (
                edit(
                    "meta.place",
                    "",
                    "Huế",
                    Some(Message::new("Địa danh", "Place")),
                ),
                "Địa danh: (trống) → Huế",
                "Place: (empty) → Huế",
            ),
            (
                Action::Finalised {
                    fingerprint: "ab".into(),
                },
                "Chốt kết quả, mã ab",
                "Finalised, fingerprint ab",
            ),
            (
                Action::Reopened {
                    reason: "nhập sai".into(),
                    fingerprint: "ab".into(),
                },
                "Mở lại để sửa, lý do: nhập sai",
                "Reopened, reason: nhập sai",
            ),
            (
                exported("minutes"),
                "Xuất biên bản: bb.pdf",
                "Exported the minutes: bb.pdf",
            ),
            (
                exported("ballots"),
                "Xuất phiếu trống: bb.pdf",
                "Exported the blank ballots: bb.pdf",
            ),
            (
                exported("xlsx"),
                "Xuất kết quả (Excel): bb.pdf",
                "Exported the results (Excel): bb.pdf",
            ),
            (
                Action::Signed {
                    subject: "CN=Phạm Văn Đức".into(),
                    file: "bb.pdf".into(),
                },
                "Ký số bb.pdf bởi CN=Phạm Văn Đức",
                "Signed bb.pdf by CN=Phạm Văn Đức",
            ),
        ];
        for (action, vi, en) in cases {
            let entry = AuditEntry {
                at: Timestamp(1_700_000_000),
                by: "Phạm Văn Đức".into(),
                action,
                prev: None,
            };
            assert_eq!(entry.describe(Lang::Vi), vi);
            assert_eq!(entry.describe(Lang::En), en);
        }
    }
}
