//! Fuzzing of signed PDFs (issue 20 §5): seeded structure mutations of signed minutes and
//! documents — byte ranges, xref entries, objects redefined, incremental updates, annotations,
//! moved ranges, padding, truncation — through `verify_pdf` and `sign_pdf`, with the
//! invariant of docs/signing.md: `verify` says valid (every signature, nothing changed after
//! any) only if what a reader shows is exactly what was signed.
//!
//! "What a reader shows" is judged twice, by two parsers: lopdf's view of the pages (content,
//! resources, annotations, sizes), the catalog and the document information, and poppler's
//! `pdftotext` of the file; each must be the same for the file and for the revision each
//! signature covers, once the signatures' own fields are set aside. Set by environment
//! variables as in `fuzz.rs`, plus `TINNHIEM_FUZZ_PDF_CASES` (default 600).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use lopdf::{Document, Object, ObjectId};
use tinnhiem::signing;

use crate::attacks::{
    Edit, details, dict_text, document, field_at, identity, signed_minutes, stream, update,
    update_with,
};
use crate::fuzz::{Failures, Rng, cases, env_number, guarded, install_panic_hook, seed, shape};

/// Cases a run: about 20 s in a debug build on 2 cores.
const DEFAULT_PDF_CASES: u64 = 600;

/// What a reader shows of a document, as text: every page's size, content (decoded),
/// resources and annotations resolved deeply, the catalog but its form, and the document
/// information. A signature field's value and look, and a signature field that draws nothing,
/// are left out: they are what signing adds.
fn view(d: &Document) -> String {
    let mut out = String::new();
    let catalog = d.catalog().ok();
    if let Some(c) = catalog {
        let mut c = c.clone();
        for key in [&b"AcroForm"[..], b"DSS", b"Pages"] {
            c.remove(key);
        }
        let _ = writeln!(
            out,
            "catalog {}",
            resolved(d, &Object::Dictionary(c), 0, &mut BTreeSet::new())
        );
    }
    if let Ok(info) = d.trailer.get(b"Info") {
        let _ = writeln!(out, "info {}", resolved(d, info, 0, &mut BTreeSet::new()));
    }
    for (k, id) in d.get_pages() {
        let Ok(page) = d.get_dictionary(id) else {
            let _ = writeln!(out, "page {k}: unreadable");
            continue;
        };
        let mut seen = BTreeSet::new();
        for key in [
            &b"MediaBox"[..],
            b"CropBox",
            b"Rotate",
            b"Resources",
            b"Contents",
        ] {
            let v = page
                .get(key)
                .ok()
                .map_or_else(|| "-".to_owned(), |o| resolved(d, o, 0, &mut seen));
            let _ = writeln!(out, "page {k} {}: {v}", String::from_utf8_lossy(key));
        }
        let annots = page
            .get(b"Annots")
            .ok()
            .and_then(|a| match a {
                Object::Reference(r) => d.get_object(*r).ok(),
                o => Some(o),
            })
            .and_then(|a| a.as_array().ok())
            .cloned()
            .unwrap_or_default();
        for a in annots {
            let Some(ad) = (match &a {
                Object::Reference(r) => d.get_dictionary(*r).ok(),
                Object::Dictionary(x) => Some(x),
                _ => None,
            }) else {
                let _ = writeln!(out, "page {k} annot: unreadable");
                continue;
            };
            let is_sig = ad
                .get(b"FT")
                .and_then(Object::as_name)
                .is_ok_and(|n| n == b"Sig");
            let rect = ad.get(b"Rect").and_then(Object::as_array).ok().map(|r| {
                r.iter()
                    .map(|v| {
                        v.as_float()
                            .map(f64::from)
                            .or_else(|_| v.as_i64().map(|i| i as f64))
                            .unwrap_or(f64::NAN)
                    })
                    .collect::<Vec<_>>()
            });
            #[expect(clippy::float_cmp, reason = "no area at all")]
            let flat = rect
                .as_ref()
                .is_some_and(|r| r.len() == 4 && (r[0] == r[2] || r[1] == r[3]));
            if is_sig && flat {
                continue;
            }
            let mut ad = ad.clone();
            if is_sig {
                ad.remove(b"V");
                ad.remove(b"AP");
            }
            ad.remove(b"P");
            ad.remove(b"Parent");
            let _ = writeln!(
                out,
                "page {k} annot {}",
                resolved(d, &Object::Dictionary(ad), 0, &mut seen)
            );
        }
    }
    out
}

/// An object as text, references followed (each once, to a bounded depth), streams decoded.
fn resolved(d: &Document, o: &Object, depth: usize, seen: &mut BTreeSet<ObjectId>) -> String {
    if depth > 24 {
        return "…".into();
    }
    match o {
        Object::Reference(r) => {
            if !seen.insert(*r) {
                return format!("@{} {}", r.0, r.1);
            }
            match d.get_object(*r) {
                Ok(x) => resolved(d, x, depth + 1, seen),
                Err(_) => "null".into(),
            }
        }
        Object::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|i| resolved(d, i, depth + 1, seen))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        Object::Dictionary(x) => {
            let mut s = "<<".to_owned();
            for (k, v) in x {
                if k == b"Parent" || k == b"P" {
                    continue;
                }
                let _ = write!(
                    s,
                    "/{} {}",
                    String::from_utf8_lossy(k),
                    resolved(d, v, depth + 1, seen)
                );
            }
            s + ">>"
        }
        Object::Stream(st) => {
            let data = st
                .decompressed_content()
                .unwrap_or_else(|_| st.content.clone());
            format!(
                "{}stream[{}]",
                resolved(d, &Object::Dictionary(st.dict.clone()), depth + 1, seen),
                String::from_utf8_lossy(&data)
            )
        }
        other => format!("{other:?}"),
    }
}

/// poppler's text of a PDF (`None` when poppler cannot read it).
fn poppler_text(dir: &Path, name: &str, pdf: &[u8]) -> Option<String> {
    let path = dir.join(name);
    std::fs::write(&path, pdf).unwrap();
    let o = Command::new("pdftotext")
        .arg("-q")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils): run tests/run.sh");
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).into_owned())
}

/// A signed file to mutate.
struct Base {
    name: &'static str,
    pdf: Vec<u8>,
}

fn bases(dir: &Path) -> Vec<Base> {
    let (once, id, _) = signed_minutes(dir);
    let chair = crate::attacks::chair_identity(dir);
    let twice = signing::sign_pdf(&once, &chair, &details(true)).unwrap();
    let tiny = signing::sign_pdf(&document("4 0 R", "", &[]), &id, &details(false)).unwrap();
    let tiny2 = signing::sign_pdf(&tiny, &id, &details(false)).unwrap();
    vec![
        Base {
            name: "minutes, one signature",
            pdf: once,
        },
        Base {
            name: "minutes, two signatures",
            pdf: twice,
        },
        Base {
            name: "one page, one signature",
            pdf: tiny,
        },
        Base {
            name: "one page, two signatures",
            pdf: tiny2,
        },
    ]
}

/// Positions of `needle` in `hay`.
fn all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

/// The digits of the number starting at `at` (its span), if there is one.
fn digits_at(pdf: &[u8], at: usize) -> Option<(usize, usize)> {
    let start = at + pdf[at..].iter().position(u8::is_ascii_digit)?;
    let len = pdf[start..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    Some((start, start + len))
}

/// One mutation, applied in place; its description.
fn mutate(rng: &mut Rng, pdf: &mut Vec<u8>, id: &signing::Identity) -> String {
    let d = lopdf::Document::load_mem(pdf).ok();
    match rng.below(16) {
        0 => flip_bit(rng, pdf),
        1 => range_digit(rng, pdf),
        2 => contents_byte(rng, pdf),
        3 => xref_entry(rng, pdf),
        4 => truncate(rng, pdf),
        5 => append_junk(rng, pdf),
        6 | 7 => rewrite_object(rng, pdf, d),
        8 => add_field(rng, pdf, d),
        9 => add_annotation(pdf, d),
        10 => sign_again(rng, pdf, d, id),
        11 => move_range(rng, pdf),
        12 => replace_info(pdf, d),
        13 => delete_bytes(rng, pdf),
        14 => insert_bytes(rng, pdf),
        _ => empty_update(rng, pdf, d),
    }
}

fn flip_bit(rng: &mut Rng, pdf: &mut [u8]) -> String {
    let at = rng.below(pdf.len());
    let bit = 1u8 << rng.below(8);
    pdf[at] ^= bit;
    format!("flip bit {bit} at {at}")
}

fn range_digit(rng: &mut Rng, pdf: &mut [u8]) -> String {
    // A digit of a /ByteRange, any signature.
    let ranges = all(pdf, b"/ByteRange");
    if ranges.is_empty() {
        return "no range".into();
    }
    let at = *rng.pick(&ranges);
    let nums: Vec<(usize, usize)> = {
        let mut v = Vec::new();
        let mut p = at + 10;
        for _ in 0..4 {
            if let Some((s, e)) = digits_at(pdf, p) {
                v.push((s, e));
                p = e;
            }
        }
        v
    };
    if nums.is_empty() {
        return "range without numbers".into();
    }
    let (s, e) = *rng.pick(&nums);
    let k = s + rng.below(e - s);
    pdf[k] = b'0' + u8::try_from(rng.below(10)).unwrap();
    format!("range digit at {k}")
}

fn contents_byte(rng: &mut Rng, pdf: &mut [u8]) -> String {
    // A byte of a /Contents string: the CMS or its padding.
    let contents = all(pdf, b"/Contents<");
    if contents.is_empty() {
        return "no contents".into();
    }
    let at = *rng.pick(&contents) + 10;
    let k = at + rng.below(2 * 16 * 1024);
    if k < pdf.len() {
        pdf[k] = *rng.pick(b"0123456789abcdef>< /(");
    }
    format!("contents byte at {k}")
}

fn xref_entry(rng: &mut Rng, pdf: &mut [u8]) -> String {
    // An xref entry's offset or kind in the last table.
    let xrefs = all(pdf, b"\nxref\n");
    let Some(&at) = xrefs.last() else {
        return "no table".into();
    };
    let entries = all(&pdf[at..], b" 00000 n ");
    if entries.is_empty() {
        return "empty table".into();
    }
    let e = at + *rng.pick(&entries);
    if rng.below(3) == 0 {
        pdf[e + 7] = b'f';
        format!("xref entry at {e} freed")
    } else {
        let k = e - 1 - rng.below(4);
        pdf[k] = b'0' + u8::try_from(rng.below(10)).unwrap();
        format!("xref offset digit at {k}")
    }
}

fn truncate(rng: &mut Rng, pdf: &mut Vec<u8>) -> String {
    let at = rng.below(pdf.len());
    pdf.truncate(at);
    format!("truncated at {at}")
}

fn append_junk(rng: &mut Rng, pdf: &mut Vec<u8>) -> String {
    let junk: &[&[u8]] = &[
        b"\n",
        b" ",
        b"%%EOF\n",
        b"\n% comment\n",
        b"startxref\n0\n%%EOF\n",
        b"\x00\xff",
    ];
    let j = *rng.pick(junk);
    pdf.extend_from_slice(j);
    format!("appended {:?}", String::from_utf8_lossy(j))
}

fn rewrite_object(rng: &mut Rng, pdf: &mut Vec<u8>, d: Option<lopdf::Document>) -> String {
    // An existing object written again: alike, a number changed, a key dropped, or
    // its stream changed.
    let Some(d) = d else {
        return "unreadable".into();
    };
    let ids: Vec<ObjectId> = d.objects.keys().copied().collect();
    let oid = *rng.pick(&ids);
    let body = match d.objects.get(&oid) {
        Some(Object::Dictionary(x)) => {
            let mut x = x.clone();
            match rng.below(3) {
                0 => {}
                1 => {
                    if let Some(k) = x.iter().map(|(k, _)| k.clone()).next() {
                        x.remove(&k);
                    }
                }
                _ => x.set("Tinnhiem", Object::Integer(1)),
            }
            if has_stream_or_inline(&x) {
                return "skipped".into();
            }
            dict_text(&x)
        }
        Some(Object::Stream(s)) => {
            let content = s.decompressed_content().unwrap_or_default();
            let mut text = String::from_utf8_lossy(&content).into_owned();
            if rng.below(2) == 0 {
                text.push_str(" 0 0 0 rg 10 10 100 100 re f");
            }
            stream(&text)
        }
        _ => return "not a dictionary".into(),
    };
    *pdf = update(pdf, &[(oid.0, body)]);
    format!("object {} written again", oid.0)
}

fn add_field(rng: &mut Rng, pdf: &mut Vec<u8>, d: Option<lopdf::Document>) -> String {
    // A field added: visible or not, with a value or not.
    let Some(d) = d else {
        return "unreadable".into();
    };
    let next = d.max_id + 1;
    let rect = *rng.pick(&["[0 0 0 0]", "[10 10 300 300]"]);
    let value = if rng.below(2) == 0 {
        d.objects
            .iter()
            .find(|(_, o)| o.as_dict().is_ok_and(|x| x.get(b"ByteRange").is_ok()))
            .map(|(i, _)| i.0)
    } else {
        None
    };
    if d.get_dictionary((3, 0)).is_err() {
        return "no object 3".into();
    }
    *pdf = update(pdf, &field_at(pdf, next, value, rect));
    format!("field {rect} value {value:?}")
}

fn add_annotation(pdf: &mut Vec<u8>, d: Option<lopdf::Document>) -> String {
    // An annotation drawn on page object 3 (the one-page document's page).
    let Some(d) = d else {
        return "unreadable".into();
    };
    let Ok(page) = d.get_dictionary((3, 0)) else {
        return "no object 3".into();
    };
    let next = d.max_id + 1;
    let mut page = page.clone();
    let mut annots = page
        .get(b"Annots")
        .and_then(Object::as_array)
        .cloned()
        .unwrap_or_default();
    annots.push(Object::Reference((next, 0)));
    page.set("Annots", annots);
    if has_stream_or_inline(&page) {
        return "skipped".into();
    }
    *pdf = update(
        pdf,
        &[
            (
                next,
                "<</Type/Annot/Subtype/Square/Rect[10 10 300 300]/IC[0 0 0]>>".to_owned(),
            ),
            (3, dict_text(&page)),
        ],
    );
    "annotation added".into()
}

fn sign_again(
    rng: &mut Rng,
    pdf: &mut Vec<u8>,
    d: Option<lopdf::Document>,
    id: &signing::Identity,
) -> String {
    // A legitimate signature (the attacker's tool signs whatever the file holds).
    let Some(d) = d else {
        return "unreadable".into();
    };
    match signing::append_signature(pdf, &d, id, &details(rng.below(2) == 0)) {
        Ok(out) => {
            *pdf = out;
            "signed again".into()
        }
        Err(e) => format!("could not sign: {e}"),
    }
}

fn move_range(rng: &mut Rng, pdf: &mut Vec<u8>) -> String {
    // The second part of a signed range moved down, filler put in between.
    let ranges = all(pdf, b"/ByteRange[0 ");
    if ranges.is_empty() {
        return "no range".into();
    }
    let at = *rng.pick(&ranges);
    let Some((s, e)) = digits_at(pdf, at + 13).and_then(|_| {
        let first = digits_at(pdf, at + 13)?;
        digits_at(pdf, first.1)
    }) else {
        return "range unreadable".into();
    };
    let b: usize = std::str::from_utf8(&pdf[s..e])
        .unwrap()
        .parse()
        .unwrap_or(0);
    if b == 0 || b >= pdf.len() {
        return "range out of file".into();
    }
    let filler = format!(">>\nendobj\n{}", " ".repeat(rng.below(64)));
    pdf.splice(b..b, filler.bytes());
    let new_b = format!("{:010}", b + filler.len());
    if new_b.len() == e - s {
        pdf[s..e].copy_from_slice(new_b.as_bytes());
    }
    format!("second range moved by {}", filler.len())
}

fn replace_info(pdf: &mut Vec<u8>, d: Option<lopdf::Document>) -> String {
    // Trailer entries pointed elsewhere.
    let Some(d) = d else {
        return "unreadable".into();
    };
    let next = d.max_id + 1;
    *pdf = update_with(
        pdf,
        &Edit {
            objects: vec![(next, "<</Keywords(tinnhiem-fingerprint:00)>>".to_owned())],
            trailer: vec![("Info", Object::Reference((next, 0)))],
            ..Edit::default()
        },
    );
    "trailer /Info replaced".into()
}

fn delete_bytes(rng: &mut Rng, pdf: &mut Vec<u8>) -> String {
    let at = rng.below(pdf.len());
    let n = 1 + rng.below(8).min(pdf.len() - at - 1);
    pdf.drain(at..at + n);
    format!("deleted {n} at {at}")
}

fn insert_bytes(rng: &mut Rng, pdf: &mut Vec<u8>) -> String {
    let at = rng.below(pdf.len());
    let bytes: Vec<u8> = (0..1 + rng.below(8))
        .map(|_| u8::try_from(rng.below(256)).unwrap())
        .collect();
    pdf.splice(at..at, bytes.iter().copied());
    format!("inserted {} at {at}", bytes.len())
}

fn empty_update(rng: &mut Rng, pdf: &mut Vec<u8>, d: Option<lopdf::Document>) -> String {
    // An empty update, or one freeing an object.
    let Some(d) = d else {
        return "unreadable".into();
    };
    let ids: Vec<u32> = d.objects.keys().map(|i| i.0).collect();
    let freed = if rng.below(2) == 0 {
        vec![*rng.pick(&ids)]
    } else {
        Vec::new()
    };
    *pdf = update_with(
        pdf,
        &Edit {
            freed: freed.clone(),
            ..Edit::default()
        },
    );
    format!("update freeing {freed:?}")
}

/// Whether a dictionary holds something the tests' writer cannot write back.
fn has_stream_or_inline(d: &lopdf::Dictionary) -> bool {
    d.iter().any(|(_, v)| matches!(v, Object::Stream(_)))
}

/// Counts of what the run met.
#[derive(Default, Debug)]
struct Stats {
    fully_valid: usize,
    valid_with_changes: usize,
    refused: std::collections::BTreeMap<String, usize>,
    poppler_checked: usize,
}

/// Seeded structure mutations of signed PDFs through `verify_pdf` and `sign_pdf`: never a
/// panic; "valid, nothing changed" only when lopdf's and poppler's view of the file are those
/// of every signed revision.
#[test]
fn fuzz_signed_pdf_structure() {
    install_panic_hook();
    let seed = seed();
    let count = env_number("TINNHIEM_FUZZ_PDF_CASES", DEFAULT_PDF_CASES);
    let dir = tempfile::tempdir().unwrap();
    let id = identity(dir.path());
    let bases = bases(dir.path());
    let mut failures = Failures::default();
    let mut stats = Stats::default();
    let started = Instant::now();
    for case in cases(count) {
        let mut rng = Rng::new(seed, case);
        let base = rng.pick(&bases);
        let mut pdf = base.pdf.clone();
        let mut done = Vec::new();
        for _ in 0..1 + rng.below(3) {
            if pdf.is_empty() {
                break;
            }
            match guarded(|| {
                let mut p = pdf.clone();
                let m = mutate(&mut rng, &mut p, &id);
                (p, m)
            }) {
                Ok((p, m)) => {
                    pdf = p;
                    done.push(m);
                }
                Err(_) => done.push("(mutation skipped)".into()),
            }
        }
        let repro = |what: &str| {
            format!(
                "TINNHIEM_FUZZ_SEED={seed:#x} TINNHIEM_FUZZ_ONLY={case}: {}, {} → {what}",
                base.name,
                done.join("; ")
            )
        };
        let verdict = match guarded(|| signing::verify_pdf(&pdf, &[])) {
            Ok(v) => v,
            Err(panic) => {
                failures.add(format!("verify panicked: {}", shape(&panic)), || {
                    repro(&panic)
                });
                continue;
            }
        };
        if let Err(panic) = guarded(|| signing::sign_pdf(&pdf, &id, &details(false)).map(|_| ())) {
            failures.add(format!("sign panicked: {}", shape(&panic)), || {
                repro(&panic)
            });
        }
        match verdict {
            Err(e) => {
                let kind = format!("{e:?}");
                let kind = kind.split(['(', ' ']).next().unwrap_or_default().to_owned();
                *stats.refused.entry(kind).or_default() += 1;
            }
            Ok(reports) if reports.iter().any(|r| !r.changes.is_empty()) => {
                stats.valid_with_changes += 1;
            }
            Ok(reports) => {
                stats.fully_valid += 1;
                stats.poppler_checked += reports.len();
                for what in shows_what_was_signed(dir.path(), &pdf, &reports) {
                    let kind = what.split(':').next().unwrap_or_default().to_owned();
                    failures.add(kind, || repro(&what));
                }
            }
        }
    }
    eprintln!(
        "fuzz_signed_pdf_structure: seed {seed:#x}, {count} cases in {:.1?}: {stats:?}",
        started.elapsed()
    );
    // The oracle must have been exercised: some mutations (a legitimate signature, an empty
    // update) keep a file valid.
    assert!(
        stats.fully_valid > 0 || count < 50,
        "no case stayed valid: the invariant was never checked ({stats:?})"
    );
    failures.assert_none("fuzz_signed_pdf_structure");
}

/// For a file `verify` calls valid with nothing changed: what differs between the file and
/// each signed revision, as lopdf and as poppler see them (nothing, if all is well).
fn shows_what_was_signed(
    dir: &Path,
    pdf: &[u8],
    reports: &[signing::SignatureReport],
) -> Vec<String> {
    let mut found = Vec::new();
    let Some(now) = doc_or_none(pdf) else {
        return vec!["valid but lopdf cannot read the file".into()];
    };
    let shown = view(&now);
    let text_now = poppler_text(dir, "now.pdf", pdf);
    for r in reports {
        let prefix = &pdf[..r.signed_bytes];
        let Some(signed) = doc_or_none(prefix) else {
            found.push("valid but its revision does not read".into());
            continue;
        };
        let was = view(&signed);
        if was != shown {
            found.push(format!(
                "valid but lopdf shows other content: {}",
                first_difference(&was, &shown)
            ));
        }
        let text_signed = poppler_text(dir, "signed.pdf", prefix);
        if text_signed.as_deref().map(without_looks) != text_now.as_deref().map(without_looks) {
            found.push("valid but poppler shows other text".into());
        }
    }
    found
}

/// Poppler's text without the words of signatures' looks ("Ký bởi: …", the organisation,
/// the time) and without empty lines (a look is a block of its own, set apart by one): a
/// later signature's look is what signing adds, as [`view`] leaves it out.
fn without_looks(text: &str) -> String {
    const LOOK: [&str; 6] = [
        "Ký bởi:",
        "Cơ quan:",
        "Thời gian ký:",
        "Signed by:",
        "Organisation:",
        "Signed at:",
    ];
    text.lines()
        .filter(|l| !l.trim().is_empty() && !LOOK.iter().any(|w| l.trim_start().starts_with(w)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn doc_or_none(pdf: &[u8]) -> Option<Document> {
    lopdf::Document::load_mem(pdf).ok()
}

/// The first line where two views differ.
fn first_difference(a: &str, b: &str) -> String {
    a.lines().zip(b.lines()).find(|(x, y)| x != y).map_or_else(
        || format!("{} vs {} lines", a.lines().count(), b.lines().count()),
        |(x, y)| {
            format!(
                "{} | {}",
                x.chars().take(150).collect::<String>(),
                y.chars().take(150).collect::<String>()
            )
        },
    )
}
