//! Fuzzing that stays (issue 9): seeded mutations of the shipped example archives run through
//! the whole pipeline, in process and through the binary, a kill test of the archive's
//! atomic writes, and mutations of sealed archives' audit logs against what their seals and
//! documents prove (issue 20).
//!
//! Everything is deterministic: a small xorshift generator, a fixed seed by default. A failure
//! names the seed, the case and the mutations, so that it can be replayed. Set by environment
//! variables (decimal or `0x` hex):
//! - `TINNHIEM_FUZZ_SEED`: the seed of all four tests;
//! - `TINNHIEM_FUZZ_CASES`: in-process cases (default 3000);
//! - `TINNHIEM_FUZZ_CLI_FILES`: files run through the binary (default 300);
//! - `TINNHIEM_FUZZ_KILLS`: kills while saving (default 200);
//! - `TINNHIEM_FUZZ_LOG_CASES`: log mutations of sealed archives (default 1000);
//! - `TINNHIEM_FUZZ_ONLY`: run only this case (a failure's reproducer names it).
//!
//! Each test collects every failure it finds and asserts once at the end, with one reproducer
//! per kind of failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Once;
use std::time::{Duration, Instant};
use tinnhiem::model::FieldPath;

use tinnhiem::archive::{self, ParseError};
use tinnhiem::documents::DocumentError;
use tinnhiem::documents::ballots::{BallotOptions, ballots_pdf_counted};
use tinnhiem::documents::minutes::{MinutesOptions, minutes_pdf};
use tinnhiem::lifecycle::{self, Timestamp};
use tinnhiem::model::Session;
use tinnhiem::text::Lang;
use tinnhiem::{json, tally, validate};

use crate::common::run;

/// The default seed: a failure in CI replays with the same cases on any machine.
const DEFAULT_SEED: u64 = 0x7469_6e6e_6869_656d;
/// In-process cases per run: about 35 s in a debug build on 2 cores (the minutes of every
/// valid session are the costly step; a case with a 2.5-million-letter word takes 4 s).
const DEFAULT_CASES: u64 = 3000;
/// Mutated files run through the binary, five commands each.
const DEFAULT_CLI_FILES: u64 = 300;
/// Kills of a binary rewriting the archive.
const DEFAULT_KILLS: u64 = 200;

/// xorshift64*: tiny, fast, and the same numbers everywhere.
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator for case `case` of the run seeded `seed` (splitmix64 of both, never 0).
    pub(crate) fn new(seed: u64, case: u64) -> Self {
        let mut z = seed ^ case.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        Self(z | 1)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// An environment variable as a number (decimal or `0x` hex), or `default`.
pub(crate) fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => {
            let v = v.trim();
            let parsed = match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => v.parse(),
            };
            parsed.unwrap_or_else(|e| panic!("{name}={v}: {e}"))
        }
        Err(_) => default,
    }
}

/// The seed of this run (`TINNHIEM_FUZZ_SEED`).
pub(crate) fn seed() -> u64 {
    env_number("TINNHIEM_FUZZ_SEED", DEFAULT_SEED)
}

/// The cases to run: `0..count`, or only `TINNHIEM_FUZZ_ONLY`.
pub(crate) fn cases(count: u64) -> std::ops::Range<u64> {
    match std::env::var("TINNHIEM_FUZZ_ONLY") {
        Ok(_) => {
            let only = env_number("TINNHIEM_FUZZ_ONLY", 0);
            only..only + 1
        }
        Err(_) => 0..count,
    }
}

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/examples")
}

/// The shipped examples (read only), by file name.
fn examples() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = fs::read_dir(examples_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, fs::read_to_string(&p).unwrap())
        })
        .collect();
    v.sort();
    assert!(v.len() >= 4, "the shipped examples are missing: {v:?}");
    v
}

/// The texts mutated: each example as shipped (a draft without log), finalised (sealed, with
/// a log), and reopened after an edit (a draft with a log, whose annex the minutes print).
fn corpus() -> Vec<(String, String)> {
    let at = Timestamp(1_700_000_000);
    let mut out = Vec::new();
    for (name, text) in examples() {
        let s = archive::from_str(&text).unwrap();
        let mut fin = s.clone();
        fin.log_edit(
            "Nguyễn Văn An",
            at,
            FieldPath::parse("meta.venue"),
            (String::new(), fin.meta.venue.clone()),
            false,
        );
        fin.log(
            "Nguyễn Văn An",
            at,
            lifecycle::Action::Exported {
                kind: "csv".into(),
                file: "ket-qua.csv".into(),
                fingerprint: tinnhiem::fingerprint::fingerprint(&fin).to_string(),
            },
        );
        fin.finalise("Nguyễn Văn An", Timestamp(at.0 + 60)).unwrap();
        let mut reopened = fin.clone();
        reopened
            .reopen("Lê Thị Bình", Timestamp(at.0 + 120), "Sửa số phiếu")
            .unwrap();
        out.push((name.clone(), text));
        out.push((
            format!("{name} (finalised)"),
            archive::to_string(&fin).unwrap(),
        ));
        out.push((
            format!("{name} (reopened)"),
            archive::to_string(&reopened).unwrap(),
        ));
    }
    out
}

/// Odd text inserted into strings or anywhere: control and format characters, bidi controls,
/// emoji, combining marks, other scripts, RON escapes and syntax.
const ODD: &[&str] = &[
    "\0",
    "\u{1}",
    "\u{7}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\t",
    "\r",
    "\r\n",
    "\n",
    "\u{a0}",
    "\u{ad}",
    "\u{feff}",
    "\u{200b}",
    "\u{200d}",
    "\u{200e}",
    "\u{2028}",
    "\u{202e}",
    "\u{2066}",
    "\u{2069}",
    "\u{e000}",
    "\u{fffd}",
    "\u{fffe}",
    "\u{10ffff}",
    "😀",
    "👍🏽",
    "👨\u{200d}👩\u{200d}👧",
    "🇻🇳",
    "\u{301}",
    "a\u{301}\u{302}\u{303}\u{323}",
    "e\u{302}\u{301}",
    "\u{323}\u{323}\u{323}\u{323}\u{323}\u{323}\u{323}\u{323}",
    "漢字",
    "العربية",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "Ω",
    // Look-alikes of Latin letters (W204): Cyrillic Т and а, the Ð of old encodings.
    "\u{422}",
    "\u{430}",
    "Ð",
    "ﬁ",
    "\\u{0}",
    "\\u{feff}",
    "\\u{d800}",
    "\\u{110000}",
    "\\x41",
    "\\n",
    "\\",
    "\"",
    "//",
    "/*",
    "*/",
    "#![enable(unwrap_newtypes)]",
    "r#\"",
    ",",
    "(",
    ")",
    "[",
    "]",
    ": ",
    "None",
    "Some(",
    "()",
];

/// Numbers at the edges of what the counts and the version hold.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "4294967295",
    "4294967296",
    "-1",
    "-0",
    "+1",
    "007",
    "0x10",
    "0b1",
    "1_000",
    "1e3",
    "1.5",
    "NaN",
    "inf",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211456",
    "99999999999999999999999999999999999999999999999999999999999999999999999999999999",
];

/// Very long words and texts (10⁵ characters), and rarely a word of 2.5 million wide letters
/// (10⁵ characters lay out fine; the widths of this one overflow a `u32` of font units).
fn long_text(rng: &mut Rng) -> (String, String) {
    if rng.below(48) == 0 {
        return ("W".repeat(2_500_000), "'W'×2500000 (one word)".into());
    }
    match rng.below(4) {
        0 => ("x".repeat(100_000), "'x'×100000".into()),
        1 => ("Nguyễn".repeat(17_000), "'Nguyễn'×17000 (one word)".into()),
        2 => ("\u{301}".repeat(50_000), "U+0301×50000".into()),
        _ => ("Nguyễn Văn ".repeat(3_000), "'Nguyễn Văn '×3000".into()),
    }
}

/// `(start, end)` byte ranges of the contents of the string literals in `t`.
fn string_literals(t: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        match t[i] {
            b'/' if t.get(i + 1) == Some(&b'/') => {
                while i < t.len() && t[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < t.len() && t[i] != b'"' {
                    if t[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                out.push((start, i.min(t.len())));
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// `(start, end)` byte ranges of the digit runs in `t`.
fn numbers(t: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if t[i].is_ascii_digit() {
            let start = i;
            while i < t.len() && t[i].is_ascii_digit() {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// `(start, end)` byte ranges of the counts: numbers after a `:` outside strings, except the
/// format version.
fn counts(t: &[u8]) -> Vec<(usize, usize)> {
    let strings = string_literals(t);
    numbers(t)
        .into_iter()
        .filter(|&(s, e)| {
            let before = t[..s].trim_ascii_end();
            before.ends_with(b":")
                && !before.ends_with(b"format_version:")
                && !t.get(e).is_some_and(u8::is_ascii_alphanumeric)
                && !strings.iter().any(|&(a, b)| a <= s && s <= b)
        })
        .collect()
}

/// `(start, end)` byte ranges of tokens: runs of letters, digits and non-ASCII bytes, or one
/// punctuation byte.
fn tokens(t: &[u8]) -> Vec<(usize, usize)> {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        if t[i].is_ascii_whitespace() {
            i += 1;
        } else if word(t[i]) {
            let start = i;
            while i < t.len() && word(t[i]) {
                i += 1;
            }
            out.push((start, i));
        } else {
            out.push((i, i + 1));
            i += 1;
        }
    }
    out
}

/// `(start, end)` byte ranges of the lines of `t`, each with its `\n`.
fn lines(t: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in t.iter().enumerate() {
        if b == b'\n' {
            out.push((start, i + 1));
            start = i + 1;
        }
    }
    if start < t.len() {
        out.push((start, t.len()));
    }
    out
}

/// A position in `t` moved back to a UTF-8 character boundary.
fn boundary(t: &[u8], mut at: usize) -> usize {
    while at > 0 && at < t.len() && (t[at] & 0xc0) == 0x80 {
        at -= 1;
    }
    at
}

/// A position inside a string literal (its start, its end, or a character boundary within).
fn in_string(rng: &mut Rng, t: &[u8]) -> usize {
    let strings = string_literals(t);
    if strings.is_empty() {
        return rng.below(t.len() + 1);
    }
    let (start, end) = *rng.pick(&strings);
    match rng.below(3) {
        0 => start,
        1 => end,
        _ => boundary(t, start + rng.below(end - start + 1)),
    }
}

/// Applies one random mutation to `t`; returns its description.
#[expect(clippy::too_many_lines, reason = "one arm per kind of mutation")]
fn mutate(rng: &mut Rng, t: &mut Vec<u8>) -> String {
    let len = t.len();
    match rng.below(18) {
        0 => {
            if len == 0 {
                return "flip (empty text)".into();
            }
            let at = rng.below(len);
            let bit = rng.below(8);
            t[at] ^= 1 << bit;
            format!("flip bit {bit} of byte {at}")
        }
        1 => {
            let at = rng.below(len + 1);
            let b = u8::try_from(rng.below(256)).unwrap();
            t.insert(at, b);
            format!("insert byte {b:#04x} at {at}")
        }
        2 => {
            if len == 0 {
                return "delete (empty text)".into();
            }
            let at = rng.below(len);
            let n = (1 + rng.below(16)).min(len - at);
            t.drain(at..at + n);
            format!("delete {n} bytes at {at}")
        }
        3 | 4 => {
            let ls = lines(t);
            if ls.is_empty() {
                return "line op (no line)".into();
            }
            let k = rng.below(ls.len());
            let (s, e) = ls[k];
            if rng.below(2) == 0 {
                let copy = t[s..e].to_vec();
                t.splice(s..s, copy);
                format!("duplicate line {}", k + 1)
            } else {
                t.drain(s..e);
                format!("delete line {}", k + 1)
            }
        }
        5 | 6 => {
            let ns = numbers(t);
            if ns.is_empty() {
                return "number (none left)".into();
            }
            let (s, e) = *rng.pick(&ns);
            let old = String::from_utf8_lossy(&t[s..e]).into_owned();
            let new = *rng.pick(NUMBERS);
            t.splice(s..e, new.bytes());
            format!("number {old:?} at byte {s} -> {new:?}")
        }
        7..=9 => {
            let odd = *rng.pick(ODD);
            let (at, place) = if rng.below(4) == 0 {
                (boundary(t, rng.below(len + 1)), "anywhere")
            } else {
                (in_string(rng, t), "in a string")
            };
            t.splice(at..at, odd.bytes());
            format!("insert {odd:?} at byte {at} ({place})")
        }
        10 => {
            let (text, what) = long_text(rng);
            let at = in_string(rng, t);
            t.splice(at..at, text.bytes());
            format!("insert {what} at byte {at} (in a string)")
        }
        11 => {
            let ts = tokens(t);
            if ts.len() < 2 {
                return "swap (too few tokens)".into();
            }
            let (mut a, mut b) = (rng.below(ts.len()), rng.below(ts.len()));
            if a == b {
                return "swap (same token)".into();
            }
            if a > b {
                std::mem::swap(&mut a, &mut b);
            }
            let ((s1, e1), (s2, e2)) = (ts[a], ts[b]);
            let (ta, tb) = (t[s1..e1].to_vec(), t[s2..e2].to_vec());
            let desc = format!(
                "swap tokens {:?}@{s1} and {:?}@{s2}",
                String::from_utf8_lossy(&ta),
                String::from_utf8_lossy(&tb)
            );
            t.splice(s2..e2, ta);
            t.splice(s1..e1, tb);
            desc
        }
        12 => {
            let at = rng.below(len + 1);
            t.truncate(at);
            format!("truncate at byte {at}")
        }
        13 => {
            let strings = string_literals(t);
            if strings.is_empty() {
                return "empty a string (none)".into();
            }
            let (s, e) = *rng.pick(&strings);
            let old = String::from_utf8_lossy(&t[s..e]).into_owned();
            let new = *rng.pick(&["", " ", "  \t ", "0", "-", "—", "∅"]);
            t.splice(s..e, new.bytes());
            format!("string {old:?} at byte {s} -> {new:?}")
        }
        15 => {
            // Every count scaled alike: a consistent session with huge figures, up to and
            // past what a u32 holds.
            let k = *rng.pick(&[2u64, 1000, 1_000_000, 100_000_000, 500_000_000, 613_566_757]);
            let counts = counts(t);
            for &(s, e) in counts.iter().rev() {
                let n: u64 = std::str::from_utf8(&t[s..e]).unwrap().parse().unwrap_or(0);
                t.splice(s..e, n.saturating_mul(k).to_string().into_bytes());
            }
            format!("every count ×{k} ({} numbers)", counts.len())
        }
        16 => {
            // One count off by one: the figures at the thresholds (1/2, 2/3) and the checks.
            let counts = counts(t);
            if counts.is_empty() {
                return "count ±1 (none)".into();
            }
            let (s, e) = *rng.pick(&counts);
            let n: u64 = std::str::from_utf8(&t[s..e]).unwrap().parse().unwrap_or(0);
            let new = if rng.below(2) == 0 {
                n + 1
            } else {
                n.saturating_sub(1)
            };
            t.splice(s..e, new.to_string().into_bytes());
            format!("count {n} at byte {s} -> {new}")
        }
        14 => {
            // A block (a run of lines) copied elsewhere: a cadre, a group, a field twice.
            let ls = lines(t);
            if ls.len() < 2 {
                return "copy lines (too few)".into();
            }
            let a = rng.below(ls.len());
            let n = 1 + rng.below(12.min(ls.len() - a));
            let (s, e) = (ls[a].0, ls[a + n - 1].1);
            let to = ls[rng.below(ls.len())].0;
            let block = t[s..e].to_vec();
            t.splice(to..to, block);
            format!("copy lines {}..={} before byte {to}", a + 1, a + n)
        }
        _ => {
            let at = boundary(t, rng.below(len + 1));
            let b = *rng.pick(&[
                "\u{feff}", "\u{200b}", "\u{2066}", "😀", "\u{301}", "\0", "\u{85}",
            ]);
            t.splice(at..at, b.bytes());
            format!("insert {b:?} at byte {at} (anywhere)")
        }
    }
}

/// One to three mutations of `base`; the text and what was done.
fn mutated(rng: &mut Rng, base: &str) -> (Vec<u8>, String) {
    let mut t = base.as_bytes().to_vec();
    let n = *rng.pick(&[1, 1, 1, 1, 2, 2, 3]);
    let steps: Vec<String> = (0..n).map(|_| mutate(rng, &mut t)).collect();
    (t, steps.join("; "))
}

thread_local! {
    /// Whether this thread's panics are being caught by [`guarded`].
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// The last caught panic's message and location.
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A panic hook that records the panics of guarded code instead of printing them; the panics
/// of every other test go to the previous hook as before.
pub(crate) fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) {
                let message = info
                    .payload_as_str()
                    .unwrap_or("(non-text panic payload)")
                    .to_owned();
                let mut at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()))
                    .unwrap_or_default();
                if !at.starts_with("src/") {
                    // In the standard library (an overflow in `sum`): name tinnhiem's line too.
                    let trace = std::backtrace::Backtrace::force_capture().to_string();
                    if let Some(ours) = trace
                        .lines()
                        .filter_map(|l| l.trim().strip_prefix("at "))
                        .find(|l| l.starts_with("./src/"))
                    {
                        let ours = ours.trim_start_matches("./");
                        let ours = ours.rsplit_once(':').map_or(ours, |p| p.0);
                        at = format!("{ours} (in {at})");
                    }
                }
                PANIC.with(|p| *p.borrow_mut() = Some(format!("{message} at {at}")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into `Err(message at file:line)`.
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    GUARDED.with(|g| g.set(true));
    let r = panic::catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(false));
    r.map_err(|_| {
        PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| "panic".into())
    })
}

/// The failures of a run, grouped by kind: how many, and the first case's reproducer.
#[derive(Default)]
pub(crate) struct Failures(BTreeMap<String, (usize, String)>);

impl Failures {
    pub(crate) fn add(&mut self, kind: String, reproducer: impl FnOnce() -> String) {
        self.0
            .entry(kind)
            .and_modify(|(n, _)| *n += 1)
            .or_insert_with(|| (1, reproducer()));
    }

    /// Fails the test with every kind found, one reproducer each.
    pub(crate) fn assert_none(&self, what: &str) {
        if self.0.is_empty() {
            return;
        }
        let mut s = format!("{what}: {} kinds of failure\n", self.0.len());
        for (kind, (n, repro)) in &self.0 {
            let _ = writeln!(s, "\n* {kind} ({n}×)\n  first: {repro}");
        }
        panic!("{s}");
    }
}

/// A panic message with its numbers blanked (its location kept), so that the same bug is one
/// kind of failure.
pub(crate) fn shape(message: &str) -> String {
    let (msg, at) = message.rsplit_once(" at ").unwrap_or((message, ""));
    let msg: String = msg
        .chars()
        .take(100)
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .collect();
    if at.is_empty() {
        msg
    } else {
        format!("{msg} at {at}")
    }
}

/// What kind of character a missing glyph is, so that all emoji are one kind of failure.
fn char_class(c: char) -> &'static str {
    let n = u32::from(c);
    if c.is_control() {
        "a control character"
    } else if matches!(n, 0xad | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x206f | 0xfeff | 0xfff9..=0xfffb)
    {
        "a format character"
    } else if matches!(n, 0x1f000..=0x1faff | 0x2600..=0x27bf) {
        "an emoji"
    } else if matches!(n, 0x300..=0x36f) {
        "a combining mark"
    } else if matches!(n, 0xe000..=0xf8ff | 0xf0000..) {
        "a private-use character"
    } else {
        "another character"
    }
}

/// Every text of a session, run together.
fn session_text(s: &Session) -> String {
    fn walk(v: &serde_json::Value, out: &mut String) {
        match v {
            serde_json::Value::String(t) => out.push_str(t),
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            serde_json::Value::Object(o) => o.iter().for_each(|(k, v)| {
                out.push_str(k);
                walk(v, out);
            }),
            _ => {}
        }
    }
    let mut out = String::new();
    walk(&serde_json::to_value(s).unwrap(), &mut out);
    out
}

/// The short name of a document error, for grouping; `input` is the session's text.
fn document_error_kind(e: &DocumentError, input: &str) -> String {
    match e {
        DocumentError::MissingGlyph { ch, .. } if !input.contains(*ch) => {
            format!(
                "MissingGlyph: {ch:?} (U+{:04X}), in no text of the session: tinnhiem's own words",
                u32::from(*ch)
            )
        }
        DocumentError::MissingGlyph { ch, .. } => {
            format!("MissingGlyph: {} from the session's texts", char_class(*ch))
        }
        DocumentError::Font(_) => "Font".into(),
        DocumentError::Pdf(m) => format!("Pdf: {}", shape(m)),
        DocumentError::SealBroken(_) => "SealBroken".into(),
        DocumentError::Invalid { findings, .. } => {
            let codes: BTreeSet<&str> = findings.errors().map(|f| f.code.as_str()).collect();
            format!("Invalid: {codes:?}")
        }
        DocumentError::TooManyPages { .. } => "TooManyPages".into(),
        DocumentError::Picture { name, .. } => format!("Picture: {name}"),
        DocumentError::PictureMissing(name) => format!("PictureMissing: {name}"),
    }
}

/// What one in-process case did, for the summary.
#[derive(Default)]
struct Stats {
    parsed: u64,
    syntax_errors: u64,
    other_errors: u64,
    not_text: u64,
    valid: u64,
    minutes: u64,
    minutes_annex: u64,
    ballots: u64,
    ballots_refused: u64,
    finalised: u64,
}

/// How far a case goes.
struct CaseOptions {
    annex: bool,
    lang: Lang,
    /// Print the ballots of this case even without a text error (those with one always do:
    /// their refusal is quick).
    ballots: bool,
}

/// Runs one mutated text through the whole pipeline; each failure is `(kind, detail)`.
#[expect(clippy::too_many_lines, reason = "the pipeline, step by step")]
fn run_case(
    bytes: &[u8],
    scratch: &Path,
    options: &CaseOptions,
    stats: &mut Stats,
) -> Vec<(String, String)> {
    let mut fails = Vec::new();
    let mut fail = |kind: String, detail: String| fails.push((kind, detail));
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(bad) => {
            // Not UTF-8: read as the CLI and the app read it, through `archive::load`, which
            // must name the line and column of the first bad byte.
            stats.not_text += 1;
            let before = std::str::from_utf8(&bytes[..bad.valid_up_to()]).unwrap();
            let want_line = before.matches('\n').count() + 1;
            let want_column = before.rsplit('\n').next().unwrap().chars().count() + 1;
            let file = scratch.join("not-utf8.ron");
            fs::write(&file, bytes).unwrap();
            match guarded(|| archive::load(&file)) {
                Err(p) => fail(format!("panic in archive::load: {}", shape(&p)), p),
                Ok(Ok(_)) => fail("invalid UTF-8 loaded as a session".into(), String::new()),
                Ok(Err(archive::ArchiveError::NotText { line, column, .. }))
                    if (line, column) == (want_line, want_column) => {}
                Ok(Err(archive::ArchiveError::Parse {
                    source: ParseError::Syntax { .. },
                    ..
                })) => {}
                Ok(Err(e)) => fail(
                    "invalid UTF-8: the error does not name the first bad byte's line and column"
                        .into(),
                    format!("{e} (expected {want_line}:{want_column})"),
                ),
            }
            return fails;
        }
    };
    let session = match guarded(|| archive::from_str(text)) {
        Err(p) => {
            fail(format!("panic in archive::from_str: {}", shape(&p)), p);
            return fails;
        }
        Ok(Err(ParseError::Syntax {
            line,
            column,
            message,
        })) => {
            stats.syntax_errors += 1;
            let line_count = text.lines().count();
            let line_chars = text
                .split('\n')
                .nth(line.saturating_sub(1))
                .map(|l| l.chars().count());
            if line < 1 || column < 1 {
                fail(
                    "syntax error at line or column 0".into(),
                    format!("{line}:{column}: {}", message.en),
                );
            } else if line > line_count + 1 {
                fail(
                    "syntax error past the last line".into(),
                    format!("{line}:{column} of {line_count} lines: {}", message.en),
                );
            } else if line_chars.is_some_and(|n| column > n + 1) {
                fail(
                    "syntax error past the end of its line".into(),
                    format!(
                        "{line}:{column} (line has {line_chars:?} chars): {}",
                        message.en
                    ),
                );
            }
            return fails;
        }
        Ok(Err(_)) => {
            stats.other_errors += 1;
            return fails;
        }
        Ok(Ok(s)) => s,
    };
    stats.parsed += 1;
    let step = |name: &str, p: String| (format!("panic in {name}: {}", shape(&p)), p);
    let findings = match guarded(|| validate::validate(&session)) {
        Ok(f) => f,
        Err(p) => {
            fails.push(step("validate", p));
            return fails;
        }
    };
    ballots_case(&session, &findings, options, stats, &mut fails);
    let mut fail = |kind: String, detail: String| fails.push((kind, detail));
    match guarded(|| tally::tally(&session)) {
        Err(p) => {
            let (k, d) = step("tally", p);
            fail(k, d);
        }
        Ok(t) => match guarded(|| json::to_string(&t)) {
            Err(p) => {
                let (k, d) = step("json::to_string", p);
                fail(k, d);
            }
            Ok(Err(e)) => fail("json::to_string failed".into(), e.to_string()),
            Ok(Ok(j)) => {
                if let Err(e) = serde_json::from_str::<serde_json::Value>(&j) {
                    fail("the JSON report is not JSON".into(), e.to_string());
                }
            }
        },
    }
    if let Err(p) = guarded(|| tinnhiem::documents::csv::results_csv(&session)) {
        let (k, d) = step("csv::results_csv", p);
        fail(k, d);
    }
    let check = match guarded(|| lifecycle::check_archive(&session)) {
        Ok(c) => Some(c),
        Err(p) => {
            let (k, d) = step("lifecycle::check_archive", p);
            fail(k, d);
            None
        }
    };
    match guarded(|| archive::to_string(&session)) {
        Err(p) => {
            let (k, d) = step("archive::to_string", p);
            fail(k, d);
        }
        Ok(Err(e)) => fail("archive::to_string failed".into(), e.to_string()),
        Ok(Ok(saved)) => match guarded(|| archive::from_str(&saved)) {
            Err(p) => {
                let (k, d) = step("archive::from_str of a saved session", p);
                fail(k, d);
            }
            Ok(Err(e)) => fail(
                "a saved session does not load back".into(),
                format!("{e}: {}", e.message().en),
            ),
            Ok(Ok(back)) => {
                if back != session {
                    fail(
                        "a saved session loads back different".into(),
                        format!("{:?}", first_difference(&session, &back)),
                    );
                } else if archive::to_string(&back).ok().as_ref() != Some(&saved) {
                    fail(
                        "saving is not deterministic (to_string ∘ from_str ∘ to_string)".into(),
                        String::new(),
                    );
                }
            }
        },
    }
    if findings.has_errors() {
        // The CLI refuses the minutes and the CSV of such a session: nothing more to print.
        return fails;
    }
    stats.valid += 1;
    let sealed_ok = match check {
        Some(lifecycle::ArchiveCheck::Intact { .. } | lifecycle::ArchiveCheck::Draft { .. }) => {
            true
        }
        Some(_) => false,
        None => return fails,
    };
    if !sealed_ok {
        // A final session edited outside the app: the minutes refuse it, and say so.
        match guarded(|| {
            minutes_pdf(
                &session,
                MinutesOptions::for_session(&session, options.lang),
            )
        }) {
            Ok(Err(DocumentError::SealBroken(_))) => {}
            Ok(Err(e)) => fail(
                format!(
                    "minutes of a broken seal: {}",
                    document_error_kind(&e, &session_text(&session))
                ),
                e.to_string(),
            ),
            Ok(Ok(_)) => fail("minutes printed for a broken seal".into(), String::new()),
            Err(p) => {
                let (k, d) = step("minutes_pdf", p);
                fail(k, d);
            }
        }
        return fails;
    }
    let mut mo = MinutesOptions::for_session(&session, options.lang);
    mo.audit_annex = options.annex;
    stats.minutes += 1;
    if options.annex {
        stats.minutes_annex += 1;
    }
    let what = if options.annex {
        "minutes_pdf (with the log annex)"
    } else {
        "minutes_pdf"
    };
    match guarded(|| minutes_pdf(&session, mo)) {
        Err(p) => {
            let (k, d) = step(what, p);
            fail(k, d);
        }
        Ok(Err(e)) => fail(
            format!(
                "minutes_pdf fails on a valid session: {}",
                document_error_kind(&e, &session_text(&session))
            ),
            e.to_string(),
        ),
        Ok(Ok(pdf)) => {
            if !pdf.starts_with(b"%PDF") {
                fail(
                    format!("{what} wrote something else than a PDF"),
                    String::new(),
                );
            }
        }
    }
    if !session.is_final() && !session.double_entry {
        // A valid draft finalises, and its seal then checks as intact, also once saved.
        let mut fin = session.clone();
        match guarded(|| fin.finalise("Kiểm thử", Timestamp(1_800_000_000))) {
            Err(p) => {
                let (k, d) = step("finalise", p);
                fail(k, d);
            }
            Ok(Err(e)) => fail("a valid draft does not finalise".into(), e.to_string()),
            Ok(Ok(())) => {
                stats.finalised += 1;
                let reloaded = archive::to_string(&fin)
                    .ok()
                    .and_then(|t| archive::from_str(&t).ok());
                let intact = |s: &Session| lifecycle::check_archive(s).is_valid();
                if !intact(&fin) {
                    fail(
                        "a session just finalised does not check as intact".into(),
                        String::new(),
                    );
                } else if !reloaded.as_ref().is_some_and(intact) {
                    fail(
                        "a finalised session saved and loaded no longer checks as intact".into(),
                        String::new(),
                    );
                }
            }
        }
    }
    fails
}

/// The ballots of a parsed session, which print before any count is entered, so also for a
/// session with errors: never a panic; refused exactly when a text is too long or unprintable
/// (E004, E003: the long texts of the mutations), with those findings; otherwise a PDF.
fn ballots_case(
    session: &Session,
    findings: &validate::Findings,
    options: &CaseOptions,
    stats: &mut Stats,
    fails: &mut Vec<(String, String)>,
) {
    let text_error = findings.errors().any(|f| {
        matches!(
            f.code,
            validate::Code::TextTooLong | validate::Code::UnprintableText
        )
    });
    if !text_error && !options.ballots {
        return;
    }
    stats.ballots += 1;
    let bo = BallotOptions {
        copies: Some(2),
        lang: options.lang,
    };
    let mut fail = |kind: String, detail: String| fails.push((kind, detail));
    match guarded(|| ballots_pdf_counted(session, bo)) {
        Err(p) => fail(format!("panic in ballots_pdf: {}", shape(&p)), p),
        Ok(Err(DocumentError::Invalid {
            findings: refused, ..
        })) => {
            stats.ballots_refused += 1;
            if !text_error {
                fail(
                    "ballots refused without a text error".into(),
                    refused.errors().map(|f| f.line(Lang::En)).collect(),
                );
            } else if refused.0.iter().any(|f| !findings.0.contains(f)) {
                fail(
                    "ballots refused with a finding validate does not report".into(),
                    String::new(),
                );
            }
        }
        Ok(Err(e)) => fail(
            format!(
                "ballots_pdf fails: {}",
                document_error_kind(&e, &session_text(session))
            ),
            e.to_string(),
        ),
        Ok(Ok(_)) if text_error => fail(
            "ballots printed with a text error (E003/E004)".into(),
            String::new(),
        ),
        Ok(Ok((pdf, _))) => {
            if !pdf.starts_with(b"%PDF") {
                fail(
                    "ballots_pdf wrote something else than a PDF".into(),
                    String::new(),
                );
            }
        }
    }
}

/// Where two sessions first differ, as their debug texts show it.
fn first_difference(a: &Session, b: &Session) -> String {
    let (a, b) = (format!("{a:?}"), format!("{b:?}"));
    let at = a
        .char_indices()
        .zip(b.chars())
        .find(|((_, x), y)| x != y)
        .map_or(a.len().min(b.len()), |((i, _), _)| i);
    let start = boundary(a.as_bytes(), at.saturating_sub(60));
    let end = |s: &str| boundary(s.as_bytes(), (at + 60).min(s.len()));
    format!(
        "…{} ≠ …{}",
        &a[start..end(&a)],
        &b[boundary(b.as_bytes(), start.min(b.len()))..end(&b)]
    )
}

/// Seeded mutations of the shipped examples (bit flips, inserted and deleted bytes and lines,
/// boundary numbers, odd Unicode, 10⁵-character words, swapped tokens, truncation) through
/// the whole pipeline in process: parsing never panics and places every syntax error on a
/// real line and column; validation, tally, JSON, CSV, the seal check and saving never
/// panic; a saved session loads back equal; the ballots (every session with a text error, an
/// eighth of the others) refuse exactly the texts validation refuses, else print; a valid session prints its minutes (a third with
/// the log annex), unless its seal is broken (then the minutes refuse it); a valid draft
/// finalises to an intact seal.
#[test]
fn fuzz_pipeline_in_process() {
    install_panic_hook();
    let seed = seed();
    let count = env_number("TINNHIEM_FUZZ_CASES", DEFAULT_CASES);
    let corpus = corpus();
    let scratch = tempfile::tempdir().unwrap();
    let mut failures = Failures::default();
    let mut stats = Stats::default();
    let started = Instant::now();
    let mut slowest: Option<(Duration, u64)> = None;
    for case in cases(count) {
        let mut rng = Rng::new(seed, case);
        let (name, base) = rng.pick(&corpus);
        let (bytes, mutation) = mutated(&mut rng, base);
        let lang = if rng.below(4) == 0 {
            Lang::En
        } else {
            Lang::Vi
        };
        let annex = rng.below(3) == 0;
        let ballots = rng.below(8) == 0;
        let options = CaseOptions {
            annex,
            lang,
            ballots,
        };
        let case_started = Instant::now();
        let fails = run_case(&bytes, scratch.path(), &options, &mut stats);
        let took = case_started.elapsed();
        if slowest.as_ref().is_none_or(|(t, _)| took > *t) {
            slowest = Some((took, case));
        }
        for (kind, detail) in fails {
            failures.add(kind, || {
                format!(
                    "TINNHIEM_FUZZ_SEED={seed:#x} TINNHIEM_FUZZ_ONLY={case}: {name}, {mutation} \
                     (lang {lang:?}, annex {annex}, ballots {ballots}) → {}",
                    detail.chars().take(300).collect::<String>()
                )
            });
        }
    }
    eprintln!(
        "fuzz_pipeline_in_process: seed {seed:#x}, {count} cases in {:.1?}: {} parsed ({} valid, \
         {} finalised, {} minutes, {} with annex), {} ballots ({} refused), {} syntax errors, \
         {} other parse errors, {} not UTF-8; slowest case {slowest:?}",
        started.elapsed(),
        stats.parsed,
        stats.valid,
        stats.finalised,
        stats.minutes,
        stats.minutes_annex,
        stats.ballots,
        stats.ballots_refused,
        stats.syntax_errors,
        stats.other_errors,
        stats.not_text
    );
    failures.assert_none("fuzz_pipeline_in_process");
}

/// What a crashed binary printed: the first line of the panic's message and its location,
/// with tinnhiem's own line when the backtrace names it.
fn panic_of(stderr: &str) -> String {
    let mut lines = stderr.lines().skip_while(|l| !l.contains("panicked at"));
    let at = lines.next().unwrap_or("(no panic message)");
    let at = at.rsplit_once("panicked at ").map_or(at, |p| p.1);
    let at = at.trim_end_matches(':');
    let at = at.rsplit_once(':').map_or(at, |p| p.0);
    let message = lines.next().unwrap_or("");
    let ours = lines
        .filter_map(|l| l.trim().strip_prefix("at ./src/"))
        .next()
        .map(|l| l.rsplit_once(':').map_or(l, |p| p.0));
    match ours {
        Some(ours) if !at.starts_with("src/") => {
            shape(&format!("{message} at src/{ours} (in {at})"))
        }
        _ => shape(&format!("{message} at {at}")),
    }
}

/// A few hundred mutated files through the binary (`check`, `tally --json`, `minutes`,
/// `export`, `verify`, and for a third of them and every long text `ballots`, on a copy in a
/// temporary folder): the exit code is always 0, 1 or 2
/// (never a panic's 101, never a signal); 2 comes with a message on stderr; a refused
/// document (any exit but 0) leaves no file behind, and a written one exists; `tally --json`
/// prints JSON.
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "five commands and their contract, in one place"
)]
fn fuzz_cli_exit_codes() {
    let seed = seed();
    let count = env_number("TINNHIEM_FUZZ_CLI_FILES", DEFAULT_CLI_FILES);
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Failures::default();
    let mut codes: BTreeMap<(String, Option<i32>), u64> = BTreeMap::new();
    let started = Instant::now();
    for case in cases(count) {
        // Another stream than the in-process cases': the same seed, other files.
        let mut rng = Rng::new(seed ^ 0xc0ff_ee00, case);
        let (name, base) = rng.pick(&corpus);
        let (bytes, mutation) = mutated(&mut rng, base);
        let file = dir.path().join(format!("case-{case}.ron"));
        fs::write(&file, &bytes).unwrap();
        let pdf = dir.path().join(format!("case-{case}.pdf"));
        let csv = dir.path().join(format!("case-{case}.csv"));
        let path = |p: &Path| p.to_str().unwrap().to_owned();
        let with_log = rng.below(2) == 0;
        let mut minutes = vec!["minutes".to_owned(), path(&file), "-o".into(), path(&pdf)];
        if with_log {
            minutes.push("--with-log".into());
        }
        let ballots_pdf = dir.path().join(format!("case-{case}-ballots.pdf"));
        let mut commands: Vec<(Vec<String>, Option<&Path>)> = vec![
            (vec!["check".into(), path(&file)], None),
            (vec!["tally".into(), "--json".into(), path(&file)], None),
            (minutes, Some(&pdf)),
            (
                vec!["export".into(), path(&file), "-o".into(), path(&csv)],
                Some(&csv),
            ),
            (vec!["verify".into(), path(&file)], None),
        ];
        // A third of the files (the long texts among them) also through `ballots`.
        if rng.below(3) == 0 || mutation.contains('×') {
            commands.push((
                vec![
                    "ballots".into(),
                    path(&file),
                    "--copies".into(),
                    "2".into(),
                    "-o".into(),
                    path(&ballots_pdf),
                ],
                Some(&ballots_pdf),
            ));
        }
        let mut text_error = false;
        let mut file_codes: BTreeMap<&str, (Option<i32>, String)> = BTreeMap::new();
        for (args, output) in &commands {
            let o = run(args);
            let code = o.status.code();
            let last_line = String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .unwrap_or_default()
                .to_owned();
            file_codes.insert(args[0].as_str(), (code, last_line));
            if args[0] == "check" {
                let out = String::from_utf8_lossy(&o.stdout);
                text_error = out.contains(" E003 ") || out.contains(" E004 ");
            }
            let stderr = String::from_utf8_lossy(&o.stderr);
            let command = if args[0] == "tally" {
                "tally --json"
            } else {
                args[0].as_str()
            };
            *codes.entry((command.to_owned(), code)).or_default() += 1;
            let mut fail = |kind: String, detail: &str| {
                failures.add(kind, || {
                    format!(
                        "TINNHIEM_FUZZ_SEED={seed:#x} TINNHIEM_FUZZ_ONLY={case}: {name}, {mutation} \
                         → `tinnhiem {}`: {}",
                        args.join(" "),
                        detail.chars().take(300).collect::<String>()
                    )
                });
            };
            match code {
                None => fail(
                    format!("`{command}` killed by a signal"),
                    &format!("{:?}", o.status),
                ),
                Some(101) => fail(
                    format!("`{command}` panics: {}", panic_of(&stderr)),
                    &stderr,
                ),
                Some(0..=2) => {}
                Some(c) => fail(format!("`{command}` exits {c}"), &stderr),
            }
            if code == Some(2) && stderr.trim().is_empty() {
                fail(format!("`{command}` exits 2 without a message"), "");
            }
            if let Some(out) = output {
                match (code == Some(0), out.exists()) {
                    (false, true) => fail(
                        format!("`{command}` refuses (exit {code:?}) but writes its file"),
                        &stderr,
                    ),
                    (true, false) => fail(format!("`{command}` exits 0 without its file"), ""),
                    _ => {}
                }
            }
            if command == "tally --json"
                && matches!(code, Some(0 | 1))
                && serde_json::from_slice::<serde_json::Value>(&o.stdout).is_err()
            {
                fail(
                    "`tally --json` prints no JSON".into(),
                    &String::from_utf8_lossy(&o.stdout),
                );
            }
        }
        // The commands agree with `check`: an unreadable file is unreadable for all; a
        // session with errors gets no document; one without prints its documents (exit 1:
        // a broken seal).
        let check = file_codes["check"].0;
        for (command, (code, stderr)) in &file_codes {
            let agree = match (check, *command) {
                (Some(2), _) => *code == Some(2),
                (Some(1), "minutes" | "export") => *code == Some(1),
                (Some(0), "minutes" | "export") => matches!(code, Some(0 | 1)),
                // The ballots refuse exactly the texts `check` finds too long or unprintable.
                (Some(1), "ballots") if text_error => *code == Some(1),
                (Some(0 | 1), "ballots") => matches!(code, Some(0 | 1)),
                _ => true,
            };
            if !agree {
                let why = if stderr.contains("cannot be printed with the document font") {
                    "a missing glyph".to_owned()
                } else if *code == Some(101) {
                    "a panic".to_owned()
                } else {
                    shape(stderr)
                };
                let kind =
                    format!("`check` exits {check:?} but `{command}` exits {code:?} ({why})");
                failures.add(kind, || {
                    format!(
                        "TINNHIEM_FUZZ_SEED={seed:#x} TINNHIEM_FUZZ_ONLY={case}: {name}, \
                         {mutation} → {}",
                        stderr.chars().take(300).collect::<String>()
                    )
                });
            }
        }
    }
    let codes: Vec<String> = codes
        .iter()
        .map(|((c, code), n)| format!("{c} {code:?}: {n}"))
        .collect();
    eprintln!(
        "fuzz_cli_exit_codes: seed {seed:#x}, {count} files in {:.1?}; exit codes: {}",
        started.elapsed(),
        codes.join(", ")
    );
    failures.assert_none("fuzz_cli_exit_codes");
}

/// The binary killed (SIGKILL) at a seeded random moment, 0–30 ms after it starts rewriting
/// the archive (`finalise` and `reopen` in turn), over and over (every tenth run is left to
/// finish): the archive always loads,
/// and is always either the last complete content or the next one whole (saved exactly as
/// `archive::to_string` writes it, its log one entry longer); the backup is always a complete
/// earlier content. Never a torn file. The lock file a kill leaves is gone once the archive is
/// opened again.
#[test]
#[expect(clippy::too_many_lines, reason = "one loop: run, kill, check")]
fn fuzz_kill_during_save() {
    let seed = seed();
    let count = env_number("TINNHIEM_FUZZ_KILLS", DEFAULT_KILLS);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chi-bo.ron");
    fs::copy(examples_dir().join("chi-bo.ron"), &file).unwrap();
    let mut current = fs::read(&file).unwrap();
    let mut versions: BTreeSet<Vec<u8>> = BTreeSet::from([current.clone()]);
    let mut failures = Failures::default();
    let (mut killed, mut killed_after_save, mut finished, mut leftovers) = (0u64, 0u64, 0u64, 0u64);
    let lock = dir.path().join(".chi-bo.ron.lock");
    let mut locks_left = 0u64;
    let started = Instant::now();
    for case in cases(count) {
        let mut rng = Rng::new(seed ^ 0x6b11_1000, case);
        let session = archive::load(&file).unwrap();
        let args: Vec<&str> = if session.is_final() {
            vec!["reopen", "--operator", "Kiểm thử", "--reason", "Sửa lại"]
        } else {
            vec!["finalise", "--operator", "Kiểm thử"]
        };
        // A run takes about 5 ms: most kills fall in its first 8 ms, where the writing is.
        let max = if rng.below(4) == 0 { 30_000 } else { 8_000 };
        let delay = Duration::from_micros(u64::try_from(rng.below(max + 1)).unwrap());
        let mut child = Command::new(env!("CARGO_BIN_EXE_tinnhiem"))
            .args(&args[..1])
            .arg(&file)
            .args(&args[1..])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // Every tenth run is left to finish, so that the archive moves on even on a machine
        // too loaded for a run to end within 30 ms.
        let kill = case % 10 != 9;
        if kill {
            std::thread::sleep(delay);
            let _ = child.kill();
        }
        let when = if kill {
            format!("killed after {delay:?}")
        } else {
            "left to finish".to_owned()
        };
        let status = child.wait().unwrap();
        let mut fail = |kind: &str, detail: String| {
            failures.add(kind.to_owned(), || {
                format!(
                    "TINNHIEM_FUZZ_SEED={seed:#x} TINNHIEM_FUZZ_ONLY={case} (after the earlier \
                     cases): `{}` {when} → {detail}",
                    args[0]
                )
            });
        };
        match status.code() {
            None => killed += 1,
            Some(0) => finished += 1,
            Some(c) => fail("the command failed", format!("exit {c}")),
        }
        let bytes = fs::read(&file).unwrap();
        locks_left += u64::from(lock.exists());
        match archive::load(&file) {
            Err(e) => {
                fail(
                    "the archive does not load after a kill (torn)",
                    e.to_string(),
                );
                // Go on from the last whole content.
                fs::write(&file, &current).unwrap();
                continue;
            }
            Ok(s) if !versions.contains(&bytes) => {
                let previous = archive::from_str(std::str::from_utf8(&current).unwrap()).unwrap();
                if archive::to_string(&s).ok().as_deref().map(str::as_bytes) != Some(&bytes[..]) {
                    fail("the new archive is not a complete save", String::new());
                }
                if s.audit.len() != previous.audit.len() + 1
                    || s.audit[..previous.audit.len()] != previous.audit[..]
                {
                    fail(
                        "the new archive is not the next step",
                        format!("log {} → {} entries", previous.audit.len(), s.audit.len()),
                    );
                }
                if status.code().is_none() {
                    killed_after_save += 1;
                }
                versions.insert(bytes.clone());
            }
            Ok(_) if bytes != current => {
                fail("the archive went back to an older content", String::new());
            }
            Ok(_) => {}
        }
        if lock.exists() {
            fail(
                "the lock file a killed run left stays after the next open",
                String::new(),
            );
        }
        current = bytes;
        let bak = archive::backup_path(&file);
        if let Ok(b) = fs::read(&bak)
            && !versions.contains(&b)
        {
            fail(
                "the backup is not a complete earlier content",
                format!("{} bytes", b.len()),
            );
        }
        for e in fs::read_dir(dir.path()).unwrap() {
            let p = e.unwrap().path();
            if p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".tinnhiem-"))
            {
                leftovers += 1;
                fs::remove_file(&p).unwrap();
            }
        }
    }
    eprintln!(
        "fuzz_kill_during_save: seed {seed:#x}, {count} runs in {:.1?}: {killed} killed \
         ({killed_after_save} of them after the new content was in place), {finished} finished, {} distinct contents, {leftovers} temporary files and {locks_left} lock files left by kills",
        started.elapsed(),
        versions.len()
    );
    assert!(
        versions.len() > 2,
        "no run got as far as saving: the kill test tested nothing"
    );
    failures.assert_none("fuzz_kill_during_save");
}

/// Log mutations of sealed archives per run (in process): about 3 s in a debug build on 2
/// busy cores, the binary's runs included.
const DEFAULT_LOG_CASES: u64 = 1000;
/// Of those, every this many also through the binary (`verify`, `verify --require-signed`,
/// `check`).
const LOG_CLI_EVERY: u64 = 50;

/// What a seal of a base archive can prove of the log before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SealKind {
    /// `entries` and head (made now).
    V2,
    /// Head only (made before `entries` existed).
    V1,
}

/// A sealed archive to mutate, with what it was at sealing: the whole log as written, the
/// finalisation's place, how many entries in front carry no `prev` (1 for a log begun by
/// this build, more for one begun before the chain), and the log positions its documents
/// pinned at their export.
struct LogBase {
    name: String,
    session: Session,
    kind: SealKind,
    sealed_at: usize,
    unchained: usize,
    pins: Vec<tinnhiem::model::LogPin>,
}

impl LogBase {
    fn log(&self) -> &[tinnhiem::model::AuditEntry] {
        &self.session.audit
    }

    fn seal(&self) -> &tinnhiem::model::Seal {
        match &self.session.status {
            tinnhiem::model::Status::Final(seal) => seal,
            tinnhiem::model::Status::Draft => unreachable!("a base is sealed"),
        }
    }

    /// The first entry whose content and place the chain and the seal pin: every entry of
    /// the prefix without `prev` before the last of them is pinned (by a version-2 seal) only
    /// as a count.
    fn anchor(&self) -> usize {
        self.unchained.saturating_sub(1)
    }

    /// Whether `log` holds the sealed log as exactly as this kind of seal can prove it:
    /// version 2, entries `anchor..=sealed_at` in place and equal (so the count too);
    /// version 1, the entries `anchor..sealed_at` equal just before the last finalisation of
    /// the sealed fingerprint, which states the sealed head (its time and operator are not
    /// pinned, nor anything in front).
    fn proves(&self, log: &[tinnhiem::model::AuditEntry]) -> bool {
        let (a, n) = (self.anchor(), self.sealed_at);
        let sealed = self.log();
        match self.kind {
            SealKind::V2 => log.get(a..=n) == sealed.get(a..=n),
            SealKind::V1 => {
                let fp = &self.seal().fingerprint;
                let Some(k) = log.iter().rposition(|e| {
                    matches!(&e.action, lifecycle::Action::Finalised { fingerprint } if fingerprint == fp)
                }) else {
                    return false;
                };
                k >= n - a && log[k - (n - a)..k] == sealed[a..n] && log[k].prev == sealed[n].prev
            }
        }
    }

    /// Whether `log` still begins with the log a document pinned with `entries` entries, as
    /// exactly as a count and a chain can prove it.
    fn proves_prefix(&self, log: &[tinnhiem::model::AuditEntry], entries: usize) -> bool {
        if entries == 0 {
            return true;
        }
        let from = self.anchor().min(entries - 1);
        log.len() >= entries && log[from..entries] == self.log()[from..entries]
    }
}

/// Logs an export the way the minutes do: the document pins the log first.
fn export_pinned(s: &mut Session, pins: &mut Vec<tinnhiem::model::LogPin>, k: u64) {
    pins.push(tinnhiem::model::LogPin::of(&s.audit));
    s.log(
        "Lê Quang Vinh",
        Timestamp(1_700_000_000 + 10 * k),
        lifecycle::Action::Exported {
            kind: "minutes".into(),
            file: format!("bien-ban-{k}.pdf"),
            fingerprint: tinnhiem::fingerprint::fingerprint(s).to_string(),
        },
    );
}

/// The bases: each shipped example sealed in five ways — version 2 unsigned and signed, a
/// reopen-and-seal-again cycle (signed), a version-1 seal (signed over its old text), and a
/// log begun before the chain (three entries without `prev`, sealed now, signed) — each with
/// edits and exports before the seal and exports after it.
fn log_bases(signer: &dyn tinnhiem::signing::KeySigner) -> Vec<LogBase> {
    let mut out = Vec::new();
    for (name, text) in examples() {
        let example = archive::from_str(&text).unwrap();
        for (way, kind, signed) in [
            ("v2", SealKind::V2, false),
            ("v2 signed", SealKind::V2, true),
            ("v2 cycle signed", SealKind::V2, true),
            ("v1 signed", SealKind::V1, true),
            ("legacy prefix, v2 signed", SealKind::V2, true),
        ] {
            let mut s = example.clone();
            let mut pins = Vec::new();
            for k in 0..3 {
                s.log_edit(
                    "Võ Thị Thu Hà",
                    Timestamp(1_700_000_000 + k),
                    FieldPath::parse("meta.venue"),
                    (format!("{k}"), format!("{}", k + 1)),
                    false,
                );
            }
            let unchained = if way.starts_with("legacy") {
                // Written by a build before the chain; this build's entries chain on.
                for e in &mut s.audit {
                    e.prev = None;
                }
                3
            } else {
                1
            };
            export_pinned(&mut s, &mut pins, 3);
            let at = Timestamp(1_700_001_000);
            s.finalise("Phạm Văn Đức", at).unwrap();
            if way.contains("cycle") {
                s.reopen("Phạm Văn Đức", Timestamp(at.0 + 10), "Đếm lại")
                    .unwrap();
                export_pinned(&mut s, &mut pins, 4);
                s.finalise("Phạm Văn Đức", Timestamp(at.0 + 20)).unwrap();
            }
            let sealed_at = s.audit.len() - 1;
            if kind == SealKind::V1
                && let tinnhiem::model::Status::Final(seal) = &mut s.status
            {
                seal.entries = None;
            }
            if signed {
                tinnhiem::signing::seal::sign_seal(&mut s, signer).unwrap();
            }
            export_pinned(&mut s, &mut pins, 5);
            export_pinned(&mut s, &mut pins, 6);
            let base = LogBase {
                name: format!("{name} ({way})"),
                session: s,
                kind,
                sealed_at,
                unchained,
                pins,
            };
            assert!(
                lifecycle::check_archive(&base.session).is_valid()
                    && base.proves(base.log())
                    && base.pins.iter().all(|p| p.holds(base.log())),
                "{}: the base does not verify",
                base.name
            );
            out.push(base);
        }
    }
    out
}

/// A field of an entry rewritten: its time, its operator, what it records, or its `prev`.
fn rewrite_entry(rng: &mut Rng, e: &mut tinnhiem::model::AuditEntry, other: &str) -> &'static str {
    use lifecycle::Action;
    match rng.below(5) {
        0 => {
            e.at = Timestamp(e.at.0 + 1);
            "its time"
        }
        1 => {
            e.by = "Người khác".into();
            "its operator"
        }
        2 => {
            match &mut e.action {
                Action::Edit { new, .. } => new.push('0'),
                Action::Exported { file, .. } | Action::Signed { file, .. } => {
                    *file = "khac.pdf".into();
                }
                Action::Finalised { fingerprint } => *fingerprint = "0".repeat(64),
                Action::Reopened { reason, .. } => *reason = "Lý do khác".into(),
            }
            "what it records"
        }
        3 => {
            e.prev = None;
            "its prev stripped"
        }
        _ => {
            e.prev = Some(other.to_owned());
            "its prev set to another entry's hash"
        }
    }
}

/// A fake entry: "low 3 → 0", without `prev` or stating the entry before it.
fn fake_entry(prev: Option<String>) -> tinnhiem::model::AuditEntry {
    tinnhiem::model::AuditEntry {
        at: Timestamp(1_700_000_500),
        by: "Võ Thị Thu Hà".into(),
        action: lifecycle::Action::Edit {
            path: "groups[0].cadres[0].overall.low".into(),
            old: "3".into(),
            new: "0".into(),
            label: None,
        },
        prev,
    }
}

/// Applies one random mutation to the log or the seal of `s`; returns what it did.
#[expect(clippy::too_many_lines, reason = "one arm per kind of mutation")]
fn mutate_log(rng: &mut Rng, s: &mut Session) -> String {
    use tinnhiem::model::Status;
    let len = s.audit.len();
    let at = |rng: &mut Rng| rng.below(len.max(1));
    match rng.below(12) {
        0 if len > 0 => {
            let i = at(rng);
            s.audit.remove(i);
            format!("remove entry {i}")
        }
        1 => {
            let i = rng.below(len + 1);
            let (prev, how) = match rng.below(3) {
                0 => (None, "without prev"),
                1 if i > 0 => (Some(s.audit[i - 1].hash()), "chained to the one before"),
                _ => (Some("ab".repeat(32)), "with a made-up prev"),
            };
            s.audit.insert(i, fake_entry(prev));
            format!("insert a fake entry {how} at {i}")
        }
        2 if len > 1 => {
            let (i, j) = (at(rng), at(rng));
            s.audit.swap(i, j);
            format!("swap entries {i} and {j}")
        }
        3 if len > 0 => {
            let (i, j) = (at(rng), rng.below(len + 1));
            let copy = s.audit[i].clone();
            s.audit.insert(j, copy);
            format!("copy entry {i} to {j}")
        }
        4 | 5 if len > 0 => {
            let i = at(rng);
            let other = s.audit[at(rng)].hash();
            let what = rewrite_entry(rng, &mut s.audit[i], &other);
            format!("rewrite entry {i}: {what}")
        }
        6 if len > 0 => {
            let k = 1 + rng.below(len.min(4));
            s.audit.drain(..k);
            format!("cut the first {k} entries")
        }
        7 if len > 0 => {
            let k = rng.below(len);
            s.audit.truncate(k);
            format!("cut the log to {k} entries")
        }
        8 => {
            // The attacker's fix-up: every prev from `i` on recomputed; with `keep`, only
            // those already stated (a prefix without prev left as it is).
            let i = rng.below(len + 1).max(1);
            let keep = rng.below(2) == 0;
            for j in i..s.audit.len() {
                if !keep || s.audit[j].prev.is_some() {
                    s.audit[j].prev = Some(s.audit[j - 1].hash());
                }
            }
            format!(
                "rechain from {i}{}",
                if keep { " (stated prevs only)" } else { "" }
            )
        }
        9 => match &mut s.status {
            Status::Final(seal) => {
                let had = seal.signature.take().is_some();
                format!("strip the seal's signature (had one: {had})")
            }
            Status::Draft => "strip (draft)".into(),
        },
        10 => {
            // The attacker's re-seal, without the key: the seal made to state the log as it
            // now is before its last finalisation.
            let Some(k) = s
                .audit
                .iter()
                .rposition(|e| matches!(e.action, lifecycle::Action::Finalised { .. }))
            else {
                return "re-seal (no finalisation left)".into();
            };
            let e = s.audit[k].clone();
            match &mut s.status {
                Status::Final(seal) => {
                    if seal.entries.is_some() {
                        seal.entries = Some(k);
                    }
                    seal.log = e.prev;
                    seal.at = e.at;
                    seal.by = e.by;
                    format!("re-seal to the finalisation at {k}")
                }
                Status::Draft => "re-seal (draft)".into(),
            }
        }
        _ => match &mut s.status {
            Status::Final(seal) => match rng.below(3) {
                0 => {
                    seal.entries = seal.entries.map(|n| n.saturating_sub(1));
                    "the seal's entries minus 1".into()
                }
                1 => {
                    let was = seal.entries.take();
                    if was.is_none() {
                        seal.entries = Some(len.saturating_sub(1));
                    }
                    format!("the seal's entries {was:?} → {:?}", seal.entries)
                }
                _ => {
                    seal.log = Some("cd".repeat(32));
                    "the seal's head made up".into()
                }
            },
            Status::Draft => "seal field (draft)".into(),
        },
    }
}

/// The seal without its signature, to tell a seal left as it was from one rewritten.
fn bare_seal(s: &Session) -> Option<tinnhiem::model::Seal> {
    match &s.status {
        tinnhiem::model::Status::Final(seal) => Some(tinnhiem::model::Seal {
            signature: None,
            ..seal.clone()
        }),
        tinnhiem::model::Status::Draft => None,
    }
}

/// One mutated archive against its base: what `verify`, `check` and the documents' pins say,
/// and the invariants they must keep; each failure is `(kind, detail)`.
fn check_log_case(base: &LogBase, m: &Session) -> (bool, bool, Vec<(String, String)>) {
    let mut fails = Vec::new();
    let check = lifecycle::check_archive(m);
    let signature = tinnhiem::signing::seal::verify_seal(m, &[]);
    let signed = matches!(signature, Some(Ok(_)));
    let valid = check.is_valid() && !matches!(signature, Some(Err(_)));
    let e006 = validate::validate(m).contains(validate::Code::LogEdited);
    if e006 != matches!(check, lifecycle::ArchiveCheck::LogChanged(_)) {
        fails.push((
            "`check` (E006) and `verify` disagree on the log".into(),
            format!("E006 {e006}, verify: {}", check.message().en),
        ));
    }
    let seal_kept = bare_seal(m) == bare_seal(&base.session);
    if valid && (signed || seal_kept) && !base.proves(&m.audit) {
        let how = if signed {
            "signed"
        } else {
            "unsigned, seal as made"
        };
        fails.push((
            format!(
                "verify passes a log the seal does not prove ({how}, {:?})",
                base.kind
            ),
            format!("{} entries", m.audit.len()),
        ));
    }
    if signed && !seal_kept {
        fails.push((
            "a rewritten seal still verifies as signed".into(),
            format!("{:?}", bare_seal(m)),
        ));
    }
    if m.audit == base.log() && seal_kept && !valid {
        fails.push(("verify fails the log as sealed".into(), check.message().en));
    }
    for pin in &base.pins {
        if pin.holds(&m.audit) && !base.proves_prefix(&m.audit, pin.entries) {
            fails.push((
                "a document's log position holds for a log that is not the one it pinned".into(),
                format!("pin at {} entries", pin.entries),
            ));
        }
        if !pin.holds(&m.audit) && m.audit.get(..pin.entries) == base.log().get(..pin.entries) {
            fails.push((
                "a document's log position fails for the log it pinned".into(),
                format!("pin at {} entries", pin.entries),
            ));
        }
    }
    (valid, signed, fails)
}

/// The same archive through the binary: `verify` exits 0 exactly when the in-process check
/// says valid, `verify --require-signed` only for a signed seal, an unsigned seal's first
/// line says it proves nothing about who sealed, and `check` exits 1 (E006) exactly for a
/// log `verify` refuses.
fn check_log_case_cli(
    file: &Path,
    m: &Session,
    valid: bool,
    signed: bool,
) -> Vec<(String, String)> {
    let mut fails = Vec::new();
    let f = file.to_str().unwrap();
    let verify = run(&["verify", "--lang", "en", f]);
    let text = String::from_utf8_lossy(&verify.stdout).into_owned();
    if verify.status.code() != Some(if valid { 0 } else { 1 }) {
        fails.push((
            "`verify` and the in-process check disagree".into(),
            format!("valid {valid}, exit {:?}: {text}", verify.status.code()),
        ));
    }
    let unsigned = m.is_final()
        && bare_seal(m).is_some()
        && !matches!(&m.status, tinnhiem::model::Status::Final(seal) if seal.signature.is_some());
    if unsigned
        && !text.starts_with("The seal is NOT signed: it proves nothing about who sealed it")
    {
        fails.push((
            "an unsigned seal's first line does not say it proves nothing".into(),
            text.clone(),
        ));
    }
    let strict = run(&["verify", "--require-signed", f]);
    if strict.status.code() != Some(if valid && signed { 0 } else { 1 }) {
        fails.push((
            "`verify --require-signed` is wrong".into(),
            format!(
                "valid {valid}, signed {signed}, exit {:?}",
                strict.status.code()
            ),
        ));
    }
    let check = run(&["check", "--lang", "en", f]);
    let e006 = String::from_utf8_lossy(&check.stdout).contains("E006");
    let log_refused = matches!(
        lifecycle::check_archive(m),
        lifecycle::ArchiveCheck::LogChanged(_)
    );
    if check.status.code() != Some(if log_refused { 1 } else { 0 }) || e006 != log_refused {
        fails.push((
            "`check` and `verify` disagree on the log".into(),
            format!(
                "verify refuses the log: {log_refused}, check exit {:?}, E006 {e006}",
                check.status.code()
            ),
        ));
    }
    fails
}

/// Log-chain mutations of sealed archives (issue 20): each shipped example sealed five ways
/// ([`log_bases`]), then one to three of: an entry removed, inserted (a fake "low 3 → 0",
/// without `prev`, chained or with a made-up one), swapped, copied or rewritten (any field),
/// the head or the tail cut, the chain recomputed as an attacker would, the seal's signature
/// stripped, the seal rewritten to state the mutated log, a seal field changed. Invariants:
/// `verify` passes only if the log up to the seal is exactly what the seal proves (the sealed
/// one, but for what an older seal or a log begun before the chain cannot prove, as docs/signing.md
/// states), for a signed seal and for an unsigned one left as it was; a seal rewritten never
/// verifies as signed; the log as sealed always verifies; a document's log position holds
/// only for the log it pinned; `check` reports E006 exactly when `verify` refuses the log;
/// and through the binary every [`LOG_CLI_EVERY`]th case, `verify --require-signed` passes
/// only a signed seal and an unsigned one's first line says so.
#[test]
fn fuzz_sealed_log_mutations() {
    let seed = seed();
    let count = env_number("TINNHIEM_FUZZ_LOG_CASES", DEFAULT_LOG_CASES);
    let dir = tempfile::tempdir().unwrap();
    let p12 = crate::common::make_p12(dir.path(), "pw");
    let id = tinnhiem::signing::Identity::from_pkcs12(&fs::read(&p12).unwrap(), "pw").unwrap();
    let started = Instant::now();
    let bases = log_bases(&id);
    let built = started.elapsed();
    let mut failures = Failures::default();
    let (mut passed, mut refused, mut through_cli) = (0u64, 0u64, 0u64);
    for case in cases(count) {
        let mut rng = Rng::new(seed ^ 0x1095_ea1e, case);
        let base = rng.pick(&bases);
        let mut m = base.session.clone();
        let n = *rng.pick(&[1, 1, 2, 2, 3]);
        let steps: Vec<String> = (0..n).map(|_| mutate_log(&mut rng, &mut m)).collect();
        let (valid, signed, mut fails) = check_log_case(base, &m);
        if valid {
            passed += 1;
        } else {
            refused += 1;
        }
        if case % LOG_CLI_EVERY == 0 {
            through_cli += 1;
            let file = dir.path().join("case.ron");
            archive::save(&file, &m).unwrap();
            fails.extend(check_log_case_cli(&file, &m, valid, signed));
        }
        for (kind, detail) in fails {
            failures.add(kind, || {
                format!(
                    "TINNHIEM_FUZZ_SEED={seed:#x} TINNHIEM_FUZZ_ONLY={case}: {}, {} → {}",
                    base.name,
                    steps.join("; "),
                    detail.chars().take(300).collect::<String>()
                )
            });
        }
    }
    eprintln!(
        "fuzz_sealed_log_mutations: seed {seed:#x}, {} bases in {built:.1?}, {count} cases in \
         {:.1?}: {passed} verify, {refused} refused, {through_cli} also through the binary",
        bases.len(),
        started.elapsed()
    );
    assert!(
        passed > 0 && refused > 0,
        "the mutations never or always pass: the test tests nothing"
    );
    failures.assert_none("fuzz_sealed_log_mutations");
}

/// Look-alike letters a pasted list can bring, each with the Latin letter it passes for: the
/// Cyrillic and Greek capitals and small letters that are Unicode confusables of Latin ones,
/// and the Icelandic "Ð" of old Vietnamese encodings for "Đ".
const LOOK_ALIKES: &[(char, char)] = &[
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('х', 'x'),
    ('у', 'y'),
    ('і', 'i'),
    ('Т', 'T'),
    ('Н', 'H'),
    ('В', 'B'),
    ('М', 'M'),
    ('К', 'K'),
    ('А', 'A'),
    ('С', 'C'),
    ('Х', 'X'),
    ('Ѕ', 'S'),
    ('Ð', 'Đ'),
    ('Τ', 'T'),
    ('Η', 'H'),
    ('Ν', 'N'),
    ('Μ', 'M'),
    ('Ο', 'O'),
    ('ο', 'o'),
    ('ν', 'v'),
];

/// A random Vietnamese-looking name: a family name, a middle name, one or two syllables of an
/// onset, a vowel, a final and a tone (not every one is a real syllable, every letter is one
/// Vietnamese writes).
fn vietnamese_name(rng: &mut Rng) -> String {
    use unicode_normalization::UnicodeNormalization;
    const FAMILY: &[&str] = &[
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
        "Hồ", "Ngô", "Dương", "Lý",
    ];
    const MIDDLE: &[&str] = &[
        "Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh", "Thanh", "Quốc", "Thu", "Xuân",
    ];
    const ONSET: &[&str] = &[
        "", "B", "C", "D", "Đ", "G", "Gi", "H", "K", "Kh", "L", "M", "N", "Ng", "Nh", "Ph", "Qu",
        "R", "S", "T", "Th", "Tr", "V", "X",
    ];
    const VOWEL: &[&str] = &[
        "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "oa", "uy", "ươ", "iê",
    ];
    const FINAL: &[&str] = &["", "n", "ng", "nh", "m", "c", "ch", "t", "p", "i", "o", "u"];
    const TONE: &[&str] = &["", "\u{300}", "\u{301}", "\u{309}", "\u{303}", "\u{323}"];
    let syllable = |rng: &mut Rng| {
        let onset = *rng.pick(ONSET);
        let vowel = *rng.pick(VOWEL);
        let tone = *rng.pick(TONE);
        // The tone on the vowel's last letter, the onset capitalised (the vowel, without one).
        let mut s = format!("{onset}{vowel}{tone}{}", rng.pick(FINAL));
        if onset.is_empty() {
            let mut cs = s.chars();
            s = cs.next().map_or_else(String::new, |c| {
                c.to_uppercase().chain(cs).collect::<String>()
            });
        }
        s.nfc().collect::<String>()
    };
    let mut name = format!("{} {}", rng.pick(FAMILY), rng.pick(MIDDLE));
    for _ in 0..=rng.below(2) {
        name.push(' ');
        name.push_str(&syllable(rng));
    }
    name
}

/// A ballot group of `n` random Vietnamese names ([`vietnamese_name`]), distinct but for case,
/// with valid counts, as a session's only group.
fn vietnamese_group(rng: &mut Rng, n: usize) -> Session {
    use tinnhiem::model::{BallotGroup, Counts, Voters};
    let mut group = BallotGroup {
        name: "Ban Chấp hành".into(),
        voters: Voters {
            summoned: Some(9),
            present: Some(9),
            issued: Some(9),
            collected: Some(9),
            void_sheets: Some(0),
        },
        ..BallotGroup::default()
    };
    let mut seen = BTreeSet::new();
    while group.cadres.len() < n {
        let name = vietnamese_name(rng);
        if seen.insert(name.to_lowercase()) {
            let mut c = group.new_cadre(&name, "Ủy viên");
            c.overall = Counts {
                high: Some(9),
                medium: Some(0),
                low: Some(0),
            };
            group.cadres.push(c);
        }
    }
    Session {
        groups: vec![group],
        ..Session::default()
    }
}

/// `name` with one of its letters that has a look-alike ([`LOOK_ALIKES`]) replaced by it, and
/// that look-alike; `None` if it has no such letter.
fn look_alike_copy(rng: &mut Rng, name: &str) -> Option<(String, char)> {
    let places: Vec<(usize, char)> = name
        .chars()
        .enumerate()
        .filter_map(|(i, c)| {
            LOOK_ALIKES
                .iter()
                .find(|(_, latin)| *latin == c)
                .map(|(alike, _)| (i, *alike))
        })
        .collect();
    if places.is_empty() {
        return None;
    }
    let (at, alike) = *rng.pick(&places);
    let copy = name
        .chars()
        .enumerate()
        .map(|(i, c)| if i == at { alike } else { c })
        .collect();
    Some((copy, alike))
}

/// Look-alike names (W204), seeded: groups of random Vietnamese names, distinct however they
/// differ (a tone, a vowel mark, đ and d), share no look-alike key and give no W204; the same
/// group with one name copied
/// under a look-alike letter ([`LOOK_ALIKES`]) gives exactly one, on the copy, naming the
/// original and the letter. `TINNHIEM_FUZZ_CASES` / 10 groups of 40 names.
#[test]
fn fuzz_look_alike_names() {
    use tinnhiem::validate::Code;
    let seed = seed();
    let count = env_number("TINNHIEM_FUZZ_CASES", DEFAULT_CASES) / 10;
    let mut failures = Failures::default();
    let (mut names, mut copies) = (0, 0);
    let started = Instant::now();
    for case in cases(count) {
        let mut rng = Rng::new(seed, case);
        let mut session = vietnamese_group(&mut rng, 40);
        names += session.groups[0].cadres.len();
        let warned = |s: &Session| -> Vec<(String, String)> {
            validate::validate(s)
                .0
                .into_iter()
                .filter(|f| f.code == Code::LookAlikeName)
                .map(|f| (f.path.to_string(), f.message.en))
                .collect()
        };
        let repro =
            |what: &str| format!("TINNHIEM_FUZZ_SEED={seed:#x} TINNHIEM_FUZZ_ONLY={case}: {what}");
        // Not only no warning (a group in Vietnamese letters only is not even looked at): no
        // two of the names share a look-alike key, so that restriction hides nothing here.
        let mut keys = tinnhiem::text::LookAlikeKeys::default();
        let mut owner: BTreeMap<String, String> = BTreeMap::new();
        for c in &session.groups[0].cadres {
            let [written, upper] = keys.keys(&c.name);
            for key in [written, format!("upper {upper}")] {
                if let Some(other) = owner.insert(key, c.name.clone()) {
                    failures.add(
                        "distinct Vietnamese names share a look-alike key".into(),
                        || repro(&format!("{other} / {}", c.name)),
                    );
                }
            }
        }
        let false_alarms = warned(&session);
        if let Some((path, message)) = false_alarms.first() {
            failures.add("W204 on distinct Vietnamese names".into(), || {
                repro(&format!("{path}: {message}"))
            });
            continue;
        }
        // A copy of one name with one letter that has a look-alike replaced by it.
        let original = rng.below(session.groups[0].cadres.len());
        let name = session.groups[0].cadres[original].name.clone();
        let Some((copy, alike)) = look_alike_copy(&mut rng, &name) else {
            continue;
        };
        let mut c = session.groups[0].new_cadre(&copy, "Phó Bí thư");
        c.overall = session.groups[0].cadres[original].overall;
        session.groups[0].cadres.push(c);
        copies += 1;
        let last = session.groups[0].cadres.len() - 1;
        let want_path = format!("groups[0].cadres[{last}].name");
        let letter = format!("“{alike}” (U+{:04X}", u32::from(alike));
        match warned(&session).as_slice() {
            [(path, message)]
                if *path == want_path
                    && message.contains(&format!("cadre {} ({name})", original + 1))
                    && message.contains(&letter) => {}
            other => failures.add("a look-alike copy is not warned as one".into(), || {
                repro(&format!("{name} → {copy}: {other:?}"))
            }),
        }
    }
    eprintln!(
        "fuzz_look_alike_names: seed {seed:#x}, {count} groups in {:.1?}: {names} names, {copies} look-alike copies",
        started.elapsed()
    );
    assert!(
        copies > count / 2,
        "too few names had a letter with a look-alike"
    );
    failures.assert_none("fuzz_look_alike_names");
}
