//! Every text the app can show is drawn with real glyphs, never a box: each character of
//! every string literal in the program's sources (labels, messages, rule texts, the minutes'
//! wording the screens repeat) and of the shipped examples has a glyph in each of the app's
//! font families, as installed by the app itself.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::Path;

use eframe::egui::{FontFamily, FontId};

use crate::common::gui::harness;
use tinnhiem::app::Options;

/// The characters of the string literals in Rust source `text` (escapes such as `\u{200b}`
/// are a program's own business and skipped; comments are not shown and skipped, nor are
/// the unit tests at the end of a file, which feed unprintable text on purpose).
fn literal_chars(text: &str, out: &mut BTreeMap<char, String>, file: &str) {
    for (n, line) in text.lines().enumerate() {
        let code = match line.trim_start() {
            l if l.starts_with("#[cfg(test)]") => return,
            l if l.starts_with("//") => continue,
            _ => line,
        };
        let mut chars = code.chars().peekable();
        let mut in_str = false;
        while let Some(c) = chars.next() {
            match (in_str, c) {
                (false, '\'') => {
                    // A char literal ('"', '\'') or a lifetime: skip the char literal whole.
                    let rest: String = chars.clone().take(3).collect();
                    if rest.starts_with('\\') {
                        for x in chars.by_ref() {
                            if x == '\'' {
                                break;
                            }
                        }
                    } else if rest.chars().nth(1) == Some('\'') {
                        chars.next();
                        chars.next();
                    }
                }
                (false, '"') => in_str = true,
                (false, '/') if chars.peek() == Some(&'/') => break,
                (true, '\\') => {
                    chars.next();
                }
                (true, '"') => in_str = false,
                (true, c) if !c.is_ascii() => {
                    out.entry(c).or_insert_with(|| format!("{file}:{}", n + 1));
                }
                _ => {}
            }
        }
    }
}

fn sources(dir: &Path, out: &mut BTreeMap<char, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            literal_chars(&text, out, &path.display().to_string());
        }
    }
}

#[test]
fn every_text_the_app_shows_has_glyphs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut chars = BTreeMap::new();
    sources(&root.join("src"), &mut chars);
    for entry in std::fs::read_dir(root.join("assets/examples")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                for c in line.chars().filter(|c| !c.is_ascii()) {
                    chars
                        .entry(c)
                        .or_insert_with(|| format!("{}:{}", path.display(), n + 1));
                }
            }
        }
    }
    // The source has Vietnamese in plenty: a parser that found nothing would prove nothing.
    assert!(chars.len() > 100, "only {} characters found", chars.len());
    assert!(chars.contains_key(&'ữ') && chars.contains_key(&'→'));

    let h = harness(Options::default());
    let families = [
        FontFamily::Proportional,
        FontFamily::Monospace,
        FontFamily::Name(tinnhiem::app::fonts::BOLD.into()),
    ];
    let missing: Vec<String> = h.ctx.fonts_mut(|fonts| {
        let mut missing = Vec::new();
        for family in &families {
            let id = FontId::new(14.0, family.clone());
            for (c, place) in &chars {
                if !fonts.has_glyph(&id, *c) {
                    missing.push(format!(
                        "{c:?} (U+{:04X}) in {family:?}, {place}",
                        *c as u32
                    ));
                }
            }
        }
        missing
    });
    assert!(missing.is_empty(), "no glyph for:\n{}", missing.join("\n"));
}
