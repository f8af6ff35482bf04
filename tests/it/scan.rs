//! Scanned ballots, measured: the ballots tinnhiem prints are rendered by pdftoppm at 150,
//! 200 and 300 dpi, marked by hand-like strokes where their boxes are, then turned, skewed,
//! scaled, blurred, noised, darkened and streaked, and read back. Each mark kind's lines are
//! counted right, sent to people, or **counted wrong: never**. The table is printed
//! (`cargo test --test it scan::corpus -- --nocapture`) and README shows it.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![expect(
    clippy::float_arithmetic,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_precision_loss,
    reason = "drawing synthetic pen strokes on pixels"
)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use tinnhiem::documents::ballots::{
    BallotOptions, FormTag, ScanForm, ScanPage, ballots_pdf, scan_forms,
};
use tinnhiem::documents::layout::{A4_HEIGHT, Fonts};
use tinnhiem::model::Session;
use tinnhiem::scan::image::Gray;
use tinnhiem::scan::read::{PageReading, Reading, Refusal, THRESHOLDS, read_page};
use tinnhiem::text::Lang;

/// A copy of example `name` with every group printed for a scanner, `cadres` cadres in its
/// first group (the others dropped).
fn session(name: &str, cadres: Option<usize>) -> Session {
    let text = std::fs::read_to_string(format!("assets/examples/{name}.ron")).unwrap();
    let mut s = tinnhiem::archive::from_str(&text).unwrap();
    s.groups.truncate(1);
    let g = &mut s.groups[0];
    g.scan_form = true;
    if let Some(n) = cadres {
        g.cadres = (0..n)
            .map(|i| g.new_cadre(&format!("Cán bộ Số{}", i + 1), "Ủy viên"))
            .collect();
    }
    s
}

/// Page `page` (from 1) of a PDF as pdftoppm renders it in grey at `dpi`.
pub(crate) fn render(pdf: &Path, page: usize, dpi: u32) -> Gray {
    let p = page.to_string();
    let out = Command::new("pdftoppm")
        .args(["-gray", "-r", &dpi.to_string(), "-f", &p, "-l", &p])
        .arg(pdf)
        .output()
        .expect("pdftoppm not runnable: run tests/run.sh");
    assert!(out.status.success());
    parse_pgm(&out.stdout)
}

/// A binary PGM (P5, 8-bit) as pdftoppm writes it.
fn parse_pgm(bytes: &[u8]) -> Gray {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..i]).unwrap().to_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (u32, u32) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = bytes[i + 1..].to_vec();
    assert_eq!(pixels.len(), (w * h) as usize);
    Gray {
        width: w,
        height: h,
        pixels,
        dpi: None,
    }
}

/// Where a form sits in a rendered image: form points to pixels.
#[derive(Clone, Copy)]
pub(crate) struct Place {
    pub dpi: f32,
    /// The form sheet's top edge, points from the rendered page's top.
    pub top: f32,
    pub sheet_height: f32,
}

impl Place {
    fn px(self, (x, y): (f32, f32)) -> (f32, f32) {
        let k = self.dpi / 72.0;
        (x * k, (self.top + self.sheet_height - y) * k)
    }
}

/// The kinds of hand marks in the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Cross,
    Tick,
    Filled,
    Circle,
    OverEdge,
    LightPencil,
    CrossedOut,
    StrayDot,
}

const KINDS: [Kind; 8] = [
    Kind::Cross,
    Kind::Tick,
    Kind::Filled,
    Kind::Circle,
    Kind::OverEdge,
    Kind::LightPencil,
    Kind::CrossedOut,
    Kind::StrayDot,
];

/// Darkens the pixels within `width / 2` of the segment to `level`.
fn stroke(img: &mut Gray, a: (f32, f32), b: (f32, f32), width: f32, level: u8) {
    let r = width / 2.0;
    let (x0, x1) = (a.0.min(b.0) - r, a.0.max(b.0) + r);
    let (y0, y1) = (a.1.min(b.1) - r, a.1.max(b.1) + r);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = (dx * dx + dy * dy).max(1e-6);
    for y in (y0.floor().max(0.0) as u32)..=(y1.ceil() as u32).min(img.height - 1) {
        for x in (x0.floor().max(0.0) as u32)..=(x1.ceil() as u32).min(img.width - 1) {
            let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
            let t = (((px - a.0) * dx + (py - a.1) * dy) / len2).clamp(0.0, 1.0);
            let (cx, cy) = (a.0 + t * dx, a.1 + t * dy);
            if (px - cx).hypot(py - cy) <= r {
                let p = &mut img.pixels[(y * img.width + x) as usize];
                *p = (*p).min(level);
            }
        }
    }
}

/// Draws mark `kind` in the box `(x, y, side)` (form points) of a form placed at `place`.
pub(crate) fn draw(img: &mut Gray, place: Place, b: (f32, f32, f32), kind: Kind) {
    let (x, y, s) = b;
    let k = place.dpi / 72.0;
    let pen = 1.6 * k; // 0.56 mm ball-point
    let at = |u: f32, v: f32| place.px((x + u * s, y + v * s));
    match kind {
        Kind::Cross | Kind::CrossedOut => {
            stroke(img, at(0.15, 0.12), at(0.85, 0.9), pen, 25);
            stroke(img, at(0.2, 0.88), at(0.82, 0.15), pen, 25);
        }
        Kind::Tick => {
            stroke(img, at(0.15, 0.5), at(0.4, 0.15), pen, 30);
            stroke(img, at(0.4, 0.15), at(0.9, 0.95), pen, 30);
        }
        Kind::Filled => {
            for i in 0..12 {
                let v = 0.1 + 0.8 * i as f32 / 11.0;
                stroke(img, at(0.08, v), at(0.92, v), pen * 1.6, 35);
            }
        }
        Kind::Circle => {
            let c = (0.5, 0.5);
            let n = 24;
            for i in 0..n {
                let a0 = i as f32 / n as f32 * std::f32::consts::TAU;
                let a1 = (i + 1) as f32 / n as f32 * std::f32::consts::TAU;
                stroke(
                    img,
                    at(c.0 + 0.3 * a0.cos(), c.1 + 0.3 * a0.sin()),
                    at(c.0 + 0.3 * a1.cos(), c.1 + 0.3 * a1.sin()),
                    pen,
                    30,
                );
            }
        }
        Kind::OverEdge => {
            stroke(img, at(-0.3, -0.25), at(1.3, 1.2), pen, 25);
            stroke(img, at(-0.25, 1.3), at(1.25, -0.3), pen, 25);
        }
        Kind::LightPencil => {
            let pencil = 1.0 * k;
            stroke(img, at(0.15, 0.12), at(0.85, 0.9), pencil, 175);
            stroke(img, at(0.2, 0.88), at(0.82, 0.15), pencil, 175);
        }
        Kind::StrayDot => {
            stroke(img, at(0.45, 0.5), at(0.5, 0.52), 1.2 * k, 40);
        }
    }
}

/// What a line was marked as: a level index, none, or several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Truth {
    Level(usize),
    None,
    Several,
}

impl Truth {
    fn reading(self) -> Reading {
        match self {
            Truth::Level(0) => Reading::High,
            Truth::Level(1) => Reading::Medium,
            Truth::Level(_) => Reading::Low,
            Truth::None => Reading::None,
            Truth::Several => Reading::Several,
        }
    }
}

/// Marks every line of `page` (placed at `place`) with marks of `kind`, the levels chosen by
/// `seed`; returns each line's truth.
fn mark_page(img: &mut Gray, page: &ScanPage, place: Place, kind: Kind, seed: u64) -> Vec<Truth> {
    let mut rng = seed;
    let mut next = || {
        rng = rng
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (rng >> 33) as usize
    };
    page.lines
        .iter()
        .map(|line| {
            let bx = |i: usize| {
                let b = line.boxes[i];
                (b.x, b.y, b.side)
            };
            let pick = next() % 10;
            let truth = match pick {
                0 => Truth::None,
                1 if !matches!(kind, Kind::CrossedOut | Kind::StrayDot) => Truth::Several,
                _ => Truth::Level(next() % 3),
            };
            match truth {
                Truth::Level(i) => {
                    let main = if kind == Kind::StrayDot {
                        Kind::Cross
                    } else {
                        kind
                    };
                    draw(img, place, bx(i), main);
                    match kind {
                        Kind::CrossedOut => draw(img, place, bx((i + 1) % 3), Kind::Filled),
                        Kind::StrayDot => draw(img, place, bx((i + 2) % 3), Kind::StrayDot),
                        _ => {}
                    }
                }
                Truth::Several => {
                    draw(img, place, bx(0), kind);
                    draw(img, place, bx(2), kind);
                }
                Truth::None => {
                    if kind == Kind::StrayDot {
                        draw(img, place, bx(1), Kind::StrayDot);
                    }
                }
            }
            truth
        })
        .collect()
}

/// A page transformed as a scanner or a photocopier might.
#[derive(Debug, Clone, Copy)]
enum Distortion {
    None,
    Turned(u32),
    Skew(f32, f32),
    Blur,
    Noise,
    DarkPaper,
    Streaks,
    /// Saved as a JPEG of quality 60 (an office scanner's "small file" setting) and read back
    /// by the app's own decoder.
    Jpeg,
}

const DISTORTIONS: [Distortion; 11] = [
    Distortion::None,
    Distortion::Turned(1),
    Distortion::Turned(2),
    Distortion::Turned(3),
    Distortion::Skew(3.0, 1.0),
    Distortion::Skew(-5.0, 0.97),
    Distortion::Blur,
    Distortion::Noise,
    Distortion::DarkPaper,
    Distortion::Streaks,
    Distortion::Jpeg,
];

fn turned(img: &Gray, quarter: u32) -> Gray {
    let mut out = img.clone();
    for _ in 0..quarter {
        let (w, h) = (out.width, out.height);
        let mut pixels = vec![0; out.pixels.len()];
        for y in 0..h {
            for x in 0..w {
                // (x, y) → (h - 1 - y, x): a quarter turn clockwise.
                let (nx, ny) = (h - 1 - y, x);
                pixels[(ny * h + nx) as usize] = out.pixels[(y * w + x) as usize];
            }
        }
        out = Gray {
            width: h,
            height: w,
            pixels,
            dpi: None,
        };
    }
    out
}

/// The sheet fed crooked into a scanner whose window is a little larger than the sheet (as
/// an A4 sheet in a Letter- or Legal-size feeder): a white border of 5 % on each side, then
/// the whole turned by `degrees` about the centre and scaled by `scale`, bilinear.
fn skewed(img: &Gray, degrees: f32, scale: f32) -> Gray {
    let (bx, by) = (img.width / 20, img.height / 20);
    let (w, h) = (img.width + 2 * bx, img.height + 2 * by);
    let mut padded = vec![255_u8; (w * h) as usize];
    for y in 0..img.height {
        let from = (y * img.width) as usize;
        let to = ((y + by) * w + bx) as usize;
        padded[to..to + img.width as usize]
            .copy_from_slice(&img.pixels[from..from + img.width as usize]);
    }
    let img = &Gray {
        width: w,
        height: h,
        pixels: padded,
        dpi: None,
    };
    let (w, h) = (img.width as f32, img.height as f32);
    let (s, c) = degrees.to_radians().sin_cos();
    let mut pixels = vec![255_u8; img.pixels.len()];
    let get = |x: i64, y: i64| -> f32 {
        if x < 0 || y < 0 || x >= img.width as i64 || y >= img.height as i64 {
            255.0
        } else {
            f32::from(img.pixels[(y as u32 * img.width + x as u32) as usize])
        }
    };
    for y in 0..img.height {
        for x in 0..img.width {
            let (dx, dy) = (x as f32 - w / 2.0, y as f32 - h / 2.0);
            let sx = (c * dx + s * dy) / scale + w / 2.0;
            let sy = (-s * dx + c * dy) / scale + h / 2.0;
            let (fx, fy) = (sx.floor(), sy.floor());
            let (ax, ay) = (sx - fx, sy - fy);
            let (ix, iy) = (fx as i64, fy as i64);
            let v = get(ix, iy) * (1.0 - ax) * (1.0 - ay)
                + get(ix + 1, iy) * ax * (1.0 - ay)
                + get(ix, iy + 1) * (1.0 - ax) * ay
                + get(ix + 1, iy + 1) * ax * ay;
            pixels[(y * img.width + x) as usize] = v.round().clamp(0.0, 255.0) as u8;
        }
    }
    Gray {
        pixels,
        ..img.clone()
    }
}

fn distorted(img: &Gray, d: Distortion) -> Gray {
    match d {
        Distortion::None => img.clone(),
        Distortion::Turned(q) => turned(img, q),
        Distortion::Skew(deg, s) => skewed(img, deg, s),
        Distortion::Blur => {
            // A 3×3 box blur: a soft scan.
            let mut out = img.clone();
            let w = img.width as usize;
            for y in 1..img.height as usize - 1 {
                for x in 1..w - 1 {
                    let mut sum = 0_u32;
                    for yy in y - 1..=y + 1 {
                        for xx in x - 1..=x + 1 {
                            sum += u32::from(img.pixels[yy * w + xx]);
                        }
                    }
                    out.pixels[y * w + x] = (sum / 9) as u8;
                }
            }
            out
        }
        Distortion::Noise => {
            let mut out = img.clone();
            let mut rng = 12_345_u64;
            for p in &mut out.pixels {
                rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let n = ((rng >> 59) as i32) - 16;
                *p = (i32::from(*p) + n).clamp(0, 255) as u8;
            }
            out
        }
        Distortion::DarkPaper => {
            let mut out = img.clone();
            for p in &mut out.pixels {
                *p = (u32::from(*p) * 3 / 4 + 10) as u8;
            }
            out
        }
        Distortion::Jpeg => {
            let mut jpeg = Vec::new();
            jpeg_encoder::Encoder::new(&mut jpeg, 60)
                .encode(
                    &img.pixels,
                    u16::try_from(img.width).unwrap(),
                    u16::try_from(img.height).unwrap(),
                    jpeg_encoder::ColorType::Luma,
                )
                .unwrap();
            tinnhiem::scan::image::ScanFile::open(&jpeg)
                .unwrap()
                .page(0)
                .unwrap()
        }
        Distortion::Streaks => {
            let mut out = img.clone();
            let w = img.width as usize;
            for (i, p) in out.pixels.iter_mut().enumerate() {
                if (i % w).is_multiple_of(97) {
                    *p = (*p).min(190);
                }
            }
            out
        }
    }
}

/// How the lines of one mark kind fared.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    right: usize,
    review: usize,
    wrong: usize,
}

/// Whether a line read as `got` was counted right, sent to people or counted wrong, for a
/// mark of `kind` meant as `truth`. A correction (a blacked-out box beside the mark) and a
/// stray dot must go to people; a counted reading other than the truth is wrong.
fn judge(kind: Kind, truth: Truth, got: Reading, tally: &mut Tally) {
    if got == Reading::Unclear {
        tally.review += 1;
    } else if kind == Kind::CrossedOut && matches!(truth, Truth::Level(_)) {
        // Read as "several" or as a level: either is a guess people must make.
        tally.wrong += 1;
    } else if got == truth.reading() {
        tally.right += 1;
    } else {
        tally.wrong += 1;
    }
}

/// The forms of `s` and its ballots as a PDF in `dir`.
pub(crate) fn printed(dir: &Path, s: &Session) -> (Vec<ScanForm>, std::path::PathBuf) {
    let pdf = dir.join("ballots.pdf");
    let bytes = ballots_pdf(
        s,
        BallotOptions {
            copies: Some(2),
            lang: Lang::Vi,
        },
    )
    .unwrap();
    std::fs::write(&pdf, bytes).unwrap();
    let forms = scan_forms(s, &Fonts::load().unwrap(), Lang::Vi);
    (forms, pdf)
}

/// The upper half of an A4 page: a two-up sheet cut in two.
pub(crate) fn upper_half(img: &Gray) -> Gray {
    let h = img.height / 2;
    Gray {
        width: img.width,
        height: h,
        pixels: img.pixels[..(img.width * h) as usize].to_vec(),
        dpi: None,
    }
}

#[test]
fn corpus() {
    let dir = tempfile::tempdir().unwrap();
    // A half-sheet ballot of 3 cadres (printed two-up, cut) and a whole-page one of 12.
    let cases: [(&str, Option<usize>, bool); 2] =
        [("chi-bo", Some(3), true), ("chi-bo", Some(12), false)];
    let mut table: BTreeMap<Kind, Tally> = BTreeMap::new();
    let mut max_empty_faint = 0_u16;
    let mut empty_by: BTreeMap<String, u16> = BTreeMap::new();
    // The same without the streaked pages, whose boxes go to people by design.
    let mut clean: BTreeMap<Kind, Tally> = BTreeMap::new();
    let mut min_cross_dark = u16::MAX;
    let mut pages_read = 0;
    for (case, (name, cadres, half)) in cases.into_iter().enumerate() {
        let s = session(name, cadres);
        let (forms, pdf) = printed(dir.path(), &s);
        assert_eq!(forms.len(), 1);
        let form_page = &forms[0].pages[0];
        for dpi in [150, 200, 300] {
            let page = render(&pdf, 1, dpi);
            let (blank, place) = if half {
                (
                    upper_half(&page),
                    Place {
                        dpi: dpi as f32,
                        top: 0.0,
                        sheet_height: A4_HEIGHT / 2.0,
                    },
                )
            } else {
                (
                    page,
                    Place {
                        dpi: dpi as f32,
                        top: 0.0,
                        sheet_height: A4_HEIGHT,
                    },
                )
            };
            // Each kind meets six distortions over the two ballots and three resolutions
            // (steps of 2 modulo 11 do not repeat within six), every distortion several kinds.
            let run = case * 3 + [150, 200, 300].iter().position(|r| *r == dpi).unwrap();
            for (k, kind) in KINDS.into_iter().enumerate() {
                let mut img = blank.clone();
                let seed = (case * 100 + k) as u64 + u64::from(dpi);
                let truth = mark_page(&mut img, form_page, place, kind, seed);
                let d = DISTORTIONS[(k + 2 * run) % DISTORTIONS.len()];
                let img = distorted(&img, d);
                let reading = read_page(&img, &forms, THRESHOLDS);
                pages_read += 1;
                let PageReading::Sheets(sheets) = reading else {
                    if let Ok(to) = std::env::var("SCAN_FAILED_PGM") {
                        let mut pgm = format!("P5 {} {} 255\n", img.width, img.height).into_bytes();
                        pgm.extend(&img.pixels);
                        std::fs::write(to, pgm).unwrap();
                    }
                    panic!("{kind:?} at {dpi} dpi, {d:?}, case {case}: {reading:?}");
                };
                assert_eq!(sheets.len(), 1);
                let streaked = matches!(d, Distortion::Streaks);
                for (line, truth) in sheets[0].lines.iter().zip(&truth) {
                    judge(kind, *truth, line.reading, table.entry(kind).or_default());
                    if !streaked {
                        judge(kind, *truth, line.reading, clean.entry(kind).or_default());
                    }
                    // A streak through a box is faint ink: such boxes go to people (above).
                    let streaks = matches!(d, Distortion::Streaks);
                    if *truth == Truth::None && kind != Kind::StrayDot && !streaks {
                        for sc in line.scores {
                            let m = empty_by.entry(format!("{d:?}@{dpi}")).or_insert(0);
                            *m = (*m).max(sc.faint);
                            max_empty_faint = max_empty_faint.max(sc.faint);
                        }
                    }
                    if kind == Kind::Cross
                        && let Truth::Level(i) = truth
                    {
                        min_cross_dark = min_cross_dark.min(line.scores[*i].dark);
                    }
                }
            }
        }
    }
    println!("| mark | counted right | sent to review | counted wrong |");
    println!("|---|---|---|---|");
    for (kind, t) in &table {
        println!("| {kind:?} | {} | {} | {} |", t.right, t.review, t.wrong);
    }
    println!("empty boxes' faint score by distortion: {empty_by:?}");
    println!(
        "pages read: {pages_read}; empty boxes' faint score at most {max_empty_faint} ‰; crosses' dark score at least {min_cross_dark} ‰"
    );
    for (kind, t) in &table {
        assert_eq!(t.wrong, 0, "{kind:?}: {t:?}");
    }
    // Clear marks are read without people, nearly always (a streak through a box is faint
    // ink: those lines go to people, as they should).
    for kind in [Kind::Cross, Kind::Tick, Kind::Filled, Kind::OverEdge] {
        let t = clean[&kind];
        assert!(t.review * 10 <= t.right + t.review, "{kind:?}: {t:?}");
    }
    // Doubtful ones go to people.
    for kind in [Kind::LightPencil, Kind::CrossedOut] {
        let t = table[&kind];
        assert!(t.review > 0, "{kind:?}: {t:?}");
    }
    assert!(max_empty_faint <= THRESHOLDS.empty_max);
    assert!(min_cross_dark >= THRESHOLDS.marked_min);
}

#[test]
#[expect(clippy::too_many_lines, reason = "one page of each kind, in turn")]
fn pages_that_are_not_ballots_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = session("chi-bo", Some(3));
    let (forms, pdf) = printed(dir.path(), &s);
    // A blank page.
    let blank = Gray {
        width: 800,
        height: 1100,
        pixels: vec![250; 880_000],
        dpi: None,
    };
    assert_eq!(
        read_page(&blank, &forms, THRESHOLDS),
        PageReading::Refused(Refusal::Blank)
    );
    // The tally sheet (page 2 of the PDF: a sheet of two copies, then the tally): printed
    // text, no ballot code.
    let tally = render(&pdf, 2, 150);
    assert_eq!(
        read_page(&tally, &forms, THRESHOLDS),
        PageReading::Refused(Refusal::NotABallot)
    );
    // Another vote's ballot: the same group, one cadre renamed.
    let mut other = s.clone();
    other.groups[0].cadres[0].name = "Cán bộ Khác".into();
    let other_forms = scan_forms(&other, &Fonts::load().unwrap(), Lang::Vi);
    let page = upper_half(&render(&pdf, 1, 150));
    let PageReading::Refused(Refusal::OtherForm(tag)) = read_page(&page, &other_forms, THRESHOLDS)
    else {
        panic!("read against another list");
    };
    assert!(FormTag::parse(&tag).is_some());
    // A form whose boxes are a row lower than printed (a layout the code does not describe):
    // the outlines are not where it says, the page is refused, not read a row off.
    let mut shifted = forms.clone();
    for line in &mut shifted[0].pages[0].lines {
        for b in &mut line.boxes {
            b.y -= 30.0;
        }
    }
    assert_eq!(
        read_page(&page, &shifted, THRESHOLDS),
        PageReading::Refused(Refusal::NotRegistered)
    );
    // The bottom-right mark scribbled over and a blob of its size 8 mm off: the four marks do
    // not make the form's rectangle.
    let mut moved = page.clone();
    let place = Place {
        dpi: 150.0,
        top: 0.0,
        sheet_height: A4_HEIGHT / 2.0,
    };
    let (mx, my) = forms[0].pages[0].marks[2];
    let side = forms[0].pages[0].mark_side;
    // Paints the square of half-side `r` about a form point, on a form placed at `at`.
    let paint = |img: &mut Gray, at: Place, (cx, cy): (f32, f32), r: f32, level: u8| {
        let (x0, y0) = at.px((cx - r, cy + r));
        let (x1, y1) = at.px((cx + r, cy - r));
        for y in y0 as u32..=y1 as u32 {
            for x in x0 as u32..=x1 as u32 {
                if x < img.width && y < img.height {
                    img.pixels[(y * img.width + x) as usize] = level;
                }
            }
        }
    };
    paint(&mut moved, place, (mx, my), side, 255);
    paint(
        &mut moved,
        place,
        (mx - 8.0 * 72.0 / 25.4, my),
        side / 2.0,
        0,
    );
    assert_eq!(
        read_page(&moved, &forms, THRESHOLDS),
        PageReading::Refused(Refusal::NotRegistered)
    );
    // A close-up photo of the code (ten times a 150 dpi scan): not a scan of the sheet.
    let (cw, ch, zoom) = (200_u32, 200_u32, 10_u32);
    let mut close = Gray {
        width: cw * zoom,
        height: ch * zoom,
        pixels: vec![255; (cw * ch * zoom * zoom) as usize],
        dpi: None,
    };
    for y in 0..ch * zoom {
        for x in 0..cw * zoom {
            close.pixels[(y * cw * zoom + x) as usize] =
                page.pixels[((60 + y / zoom) * page.width + x / zoom) as usize];
        }
    }
    assert_eq!(
        read_page(&close, &forms, THRESHOLDS),
        PageReading::Refused(Refusal::Resolution)
    );
    // The uncut two-up sheet: both halves are read.
    let sheet = render(&pdf, 1, 150);
    let PageReading::Sheets(sheets) = read_page(&sheet, &forms, THRESHOLDS) else {
        panic!("two-up sheet not read");
    };
    assert_eq!(sheets.len(), 2);
    for sh in &sheets {
        assert!(sh.lines.iter().all(|l| l.reading == Reading::None));
    }
    // The same with the lower half's code scribbled over: the upper ballot is not counted
    // alone while the lower one is lost.
    let mut torn = sheet.clone();
    let lower = Place {
        dpi: 150.0,
        top: A4_HEIGHT / 2.0,
        sheet_height: A4_HEIGHT / 2.0,
    };
    let (qx, qy, qs) = forms[0].pages[0].qr;
    paint(
        &mut torn,
        lower,
        (qx + qs / 2.0, qy + qs / 2.0),
        qs * 0.4,
        0,
    );
    assert_eq!(
        read_page(&torn, &forms, THRESHOLDS),
        PageReading::Refused(Refusal::HalfNotRead)
    );
}

/// Every copy of a group's ballot is the same page, pixel for pixel (the ballot is secret:
/// nothing on a sheet tells one copy from another), and its QR code names the form only.
#[test]
fn copies_are_identical_and_the_code_names_the_form() {
    let dir = tempfile::tempdir().unwrap();
    for (cadres, copies, half) in [(12, 2, false), (3, 4, true)] {
        let s = session("chi-bo", Some(cadres));
        let pdf = dir.path().join(format!("b{cadres}.pdf"));
        let options = BallotOptions {
            copies: Some(copies),
            lang: Lang::Vi,
        };
        std::fs::write(&pdf, ballots_pdf(&s, options).unwrap()).unwrap();
        // Two copies: two pages (whole-page ballots) or two sheets of two (half-page ones).
        let (a, b) = (render(&pdf, 1, 150), render(&pdf, 2, 150));
        assert_eq!(a, b, "{cadres} cadres: two copies differ");
        let forms = scan_forms(&s, &Fonts::load().unwrap(), Lang::Vi);
        let tag = forms[0].pages[0].tag.to_string();
        assert_eq!(FormTag::parse(&tag).as_ref(), Some(&forms[0].pages[0].tag));
        let png = dir.path().join(format!("b{cadres}"));
        crate::common::tool(
            "pdftoppm",
            &[
                "-r",
                "150",
                "-gray",
                "-png",
                "-singlefile",
                "-f",
                "1",
                "-l",
                "1",
                pdf.to_str().unwrap(),
                png.to_str().unwrap(),
            ],
        );
        let codes = crate::common::tool(
            "zbarimg",
            &["--raw", "-q", png.with_extension("png").to_str().unwrap()],
        );
        let codes: Vec<&str> = codes.lines().collect();
        // One code a ballot: two on a sheet of two half-page ballots, the same.
        assert_eq!(codes, vec![tag.as_str(); if half { 2 } else { 1 }]);
        assert!(
            tag.starts_with("TNP1 ") && tag.ends_with(" N1 T1/1 VI"),
            "{tag}"
        );
    }
}

/// A session ready to count by scanner, saved in a folder, its ballots printed, and the
/// upper half of page 1 (a half-sheet ballot) as a scanner sees it at 150 dpi.
pub(crate) struct HalfSheet {
    pub s: Session,
    pub ron: std::path::PathBuf,
    pub forms: Vec<ScanForm>,
    pub page: Gray,
    pub place: Place,
}

impl HalfSheet {
    /// The half page with each line `i` marked as `mark(i)` says: in box 0, 1 or 2 (high,
    /// medium, low), with a kind of mark; none where it says `None`.
    pub fn marked(&self, mark: impl Fn(usize) -> Option<(usize, Kind)>) -> Gray {
        let mut img = self.page.clone();
        for (i, line) in self.forms[0].pages[0].lines.iter().enumerate() {
            if let Some((level, kind)) = mark(i) {
                let b = line.boxes[level];
                draw(&mut img, self.place, (b.x, b.y, b.side), kind);
            }
        }
        img
    }
}

/// [`HalfSheet`] in `dir`.
pub(crate) fn half_sheet(dir: &Path) -> HalfSheet {
    let (s, ron) = uncounted(dir);
    let (forms, pdf) = printed(dir, &s);
    HalfSheet {
        page: upper_half(&render(&pdf, 1, 150)),
        place: Place {
            dpi: 150.0,
            top: 0.0,
            sheet_height: A4_HEIGHT / 2.0,
        },
        s,
        ron,
        forms,
    }
}

/// A session ready to count by scanner: the chi-bo example's group with its counts cleared.
pub(crate) fn uncounted(dir: &Path) -> (Session, std::path::PathBuf) {
    let mut s = session("chi-bo", None);
    let g = &mut s.groups[0];
    g.voters.void_sheets = None;
    for c in &mut g.cadres {
        c.overall = tinnhiem::model::Counts::default();
    }
    let path = dir.join("vote.ron");
    tinnhiem::archive::save(&path, &s).unwrap();
    (s, path)
}

pub(crate) fn write_pgm(path: &Path, img: &Gray) {
    let mut pgm = format!("P5\n{} {}\n255\n", img.width, img.height).into_bytes();
    pgm.extend(&img.pixels);
    std::fs::write(path, pgm).unwrap();
}

/// `tinnhiem scan ARGS --json`: asserts its exit `code` (saying what it printed otherwise) and
/// returns its JSON.
fn scan_json<S: AsRef<std::ffi::OsStr>>(args: &[S], code: i32) -> serde_json::Value {
    let mut all: Vec<&std::ffi::OsStr> = vec!["scan".as_ref()];
    all.extend(args.iter().map(AsRef::as_ref));
    all.push("--json".as_ref());
    let out = crate::common::run(&all);
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    json_of(&out)
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// The whole count from the command line: ballots printed, marked, scanned (files and a
/// folder), counted; the same file refused the second time; a doubtful sheet waits, is
/// decided line by line and counted; every file's SHA-256 and every decision is in the log.
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "the count from the command line, step by step"
)]
fn a_vote_counted_from_scans_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let HalfSheet {
        ron,
        forms,
        page,
        place,
        ..
    } = half_sheet(dir.path());
    let scans = dir.path().join("scans");
    std::fs::create_dir(&scans).unwrap();
    let mut truth = Vec::new();
    for i in 0..6_u64 {
        let mut img = page.clone();
        truth.push(mark_page(
            &mut img,
            &forms[0].pages[0],
            place,
            Kind::Cross,
            i * 7 + 1,
        ));
        let img = if i == 3 { turned(&img, 2) } else { img };
        write_pgm(&scans.join(format!("{i:02}.pgm")), &img);
    }
    let ron_s = ron.to_str().unwrap();
    let j = scan_json(
        &[ron_s, scans.to_str().unwrap(), "--operator", "Phạm Văn Đức"],
        0,
    );
    let pages = j["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 6);
    for (p, t) in pages.iter().zip(&truth) {
        assert_eq!(p["status"], "counted");
        assert_eq!(p["page"], 1);
        let readings: Vec<&str> = p["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["reading"].as_str().unwrap())
            .collect();
        let expected: Vec<&str> = t.iter().map(|t| t.reading().code()).collect();
        assert_eq!(readings, expected);
        assert_eq!(p["lines"][0]["question"], "overall");
        assert_eq!(p["lines"][0]["stt"], 1);
    }
    // The counts are the marks, added up.
    let after = tinnhiem::archive::load(&ron).unwrap();
    let g = &after.groups[0];
    assert_eq!(g.ballot_count, Some(6));
    assert_eq!(g.scan.sheets, 6);
    for (c, cadre) in g.cadres.iter().enumerate() {
        let count = |level: usize| {
            u32::try_from(truth.iter().filter(|t| t[c] == Truth::Level(level)).count()).unwrap()
        };
        assert_eq!(cadre.overall.high, Some(count(0)));
        assert_eq!(cadre.overall.medium, Some(count(1)));
        assert_eq!(cadre.overall.low, Some(count(2)));
    }
    // The same file again: refused, nothing counted, exit 1.
    let again = scan_json(
        &[
            ron_s,
            scans.join("00.pgm").to_str().unwrap(),
            "--operator",
            "Phạm Văn Đức",
        ],
        1,
    );
    assert_eq!(again["pages"][0]["reason"]["code"], "duplicate-file");
    assert_eq!(
        tinnhiem::archive::load(&ron).unwrap().groups[0].ballot_count,
        Some(6)
    );
    // A light pencil mark: the sheet waits; deciding it counts it.
    let mut doubtful = page.clone();
    let b = forms[0].pages[0].lines[1].boxes[2];
    draw(&mut doubtful, place, (b.x, b.y, b.side), Kind::LightPencil);
    let one = dir.path().join("doubtful.pgm");
    write_pgm(&one, &doubtful);
    let j = scan_json(
        &[ron_s, one.to_str().unwrap(), "--operator", "Võ Thị Thu Hà"],
        1,
    );
    assert_eq!(j["pages"][0]["status"], "review");
    assert_eq!(j["waiting_sheets"][0]["unclear"][0]["line"], "2");
    let held = tinnhiem::archive::load(&ron).unwrap();
    assert_eq!(
        held.groups[0].ballot_count,
        Some(6),
        "a waiting sheet is not counted"
    );
    assert!(
        tinnhiem::validate::validate(&held)
            .contains(tinnhiem::validate::Code::ScannedSheetsWaiting)
    );
    // An incomplete decision changes nothing.
    let partial = crate::common::run(&[
        "scan",
        ron_s,
        "--operator",
        "Phạm Văn Đức",
        "--decide",
        "1:3=high",
    ]);
    assert_eq!(partial.status.code(), Some(2));
    assert_eq!(tinnhiem::archive::load(&ron).unwrap(), held);
    let decided = crate::common::run(&[
        "scan",
        ron_s,
        "--operator",
        "Phạm Văn Đức",
        "--decide",
        "1:2=low",
    ]);
    assert_eq!(
        decided.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&decided.stderr)
    );
    let done = tinnhiem::archive::load(&ron).unwrap();
    let g = &done.groups[0];
    assert_eq!(g.ballot_count, Some(7));
    assert_eq!((g.scan.sheets, g.scan.decided_lines), (7, 1));
    assert!(g.scan.waiting.is_empty());
    assert_eq!(
        g.cadres[1].overall.low,
        Some(u32::try_from(truth.iter().filter(|t| t[1] == Truth::Level(2)).count()).unwrap() + 1)
    );
    let log: Vec<String> = done.audit.iter().map(|e| e.describe(Lang::Vi)).collect();
    let sha = |p: &Path| {
        tinnhiem::encode::hex(&<sha2::Sha256 as sha2::Digest>::digest(
            std::fs::read(p).unwrap(),
        ))
    };
    for f in ["00.pgm", "05.pgm"] {
        let h = sha(&scans.join(f));
        assert!(log.iter().any(|l| l.contains(&h)), "{f} {h} not in the log");
    }
    assert!(
        log.iter()
            .any(|l| l.contains("quyết định") && l.contains("dòng 2: tín nhiệm thấp"))
    );
    assert_eq!(done.audit.last().unwrap().by, "Phạm Văn Đức");
    // The minutes say how the sheets were counted, and the log annex lists the decision.
    let minutes = dir.path().join("minutes.pdf");
    let out = crate::common::run(&[
        "minutes",
        ron_s,
        "-o",
        minutes.to_str().unwrap(),
        "--with-log",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = crate::common::pdftotext(&minutes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Trong đó 7 phiếu đọc bằng máy quét, 1 dòng do Ban kiểm phiếu quyết định."),
        "{text}"
    );
    assert!(text.contains("dòng 2: tín nhiệm thấp"), "{text}");
}

/// A failed scan leaves the archive as it was, byte for byte: a group whose totals were typed
/// by hand, a group not printed for a scanner.
#[test]
fn a_refused_scan_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let typed = dir.path().join("typed.ron");
    std::fs::copy("assets/examples/chi-bo.ron", &typed).unwrap();
    let mut s = tinnhiem::archive::load(&typed).unwrap();
    s.groups[0].scan_form = true;
    tinnhiem::archive::save(&typed, &s).unwrap();
    let img = dir.path().join("x.pgm");
    write_pgm(
        &img,
        &Gray {
            width: 100,
            height: 100,
            pixels: vec![255; 10_000],
            dpi: None,
        },
    );
    let before = std::fs::read(&typed).unwrap();
    let out = crate::common::run(&[
        "scan",
        typed.to_str().unwrap(),
        img.to_str().unwrap(),
        "--operator",
        "A",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("typed by hand"));
    assert_eq!(std::fs::read(&typed).unwrap(), before);
    s.groups[0].scan_form = false;
    tinnhiem::archive::save(&typed, &s).unwrap();
    let before = std::fs::read(&typed).unwrap();
    let out = crate::common::run(&[
        "scan",
        typed.to_str().unwrap(),
        img.to_str().unwrap(),
        "--operator",
        "A",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not printed for a scanner"));
    assert_eq!(std::fs::read(&typed).unwrap(), before);
}

/// Bad files through `tinnhiem scan`: each is refused with its reason, the run goes on, no
/// panic, and nothing is counted: a truncated scan, a 1-pixel image, a PNG claiming 200
/// megapixels, random bytes, a blank page, a computer-made PDF (the ballots themselves).
#[test]
fn bad_files_are_refused_and_nothing_is_counted() {
    let dir = tempfile::tempdir().unwrap();
    let (s, ron) = uncounted(dir.path());
    let (_, pdf) = printed(dir.path(), &s);
    let good = upper_half(&render(&pdf, 1, 150));
    let mut pgm = format!("P5\n{} {}\n255\n", good.width, good.height).into_bytes();
    pgm.extend(&good.pixels);
    let mut huge_png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    huge_png.extend(20_000_u32.to_be_bytes());
    huge_png.extend(10_000_u32.to_be_bytes());
    huge_png.extend([8, 0, 0, 0, 0]);
    let crc = {
        // CRC-32 of "IHDR" and its data, as PNG asks.
        let mut c = 0xFFFF_FFFF_u32;
        for &b in &huge_png[12..29] {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    (c >> 1) ^ 0xEDB8_8320
                } else {
                    c >> 1
                };
            }
        }
        !c
    };
    huge_png.extend(crc.to_be_bytes());
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("truncated.pgm", pgm[..pgm.len() / 2].to_vec()),
        ("dot.pgm", b"P5\n1 1\n255\n\x00".to_vec()),
        ("huge.png", huge_png),
        (
            "noise.bin",
            (0..5000_u32).map(|i| (i * 7919 % 251) as u8).collect(),
        ),
        ("blank.pgm", {
            let mut b = format!("P5\n{} {}\n255\n", good.width, good.height).into_bytes();
            b.extend(std::iter::repeat_n(250_u8, good.pixels.len()));
            b
        }),
        ("ballots.pdf", std::fs::read(&pdf).unwrap()),
    ];
    let mut args = vec![
        ron.to_str().unwrap().to_owned(),
        "--operator".to_owned(),
        "A".to_owned(),
    ];
    for (name, bytes) in &files {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        args.push(p.to_str().unwrap().to_owned());
    }
    let started = std::time::Instant::now();
    let j = scan_json(&args, 1);
    assert!(started.elapsed().as_secs() < 60);
    let codes: Vec<(String, String)> = j["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["status"], "refused", "{p}");
            let file = p["file"].as_str().unwrap();
            let name = Path::new(file)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, p["reason"]["code"].as_str().unwrap().to_owned())
        })
        .collect();
    let code_of = |name: &str| -> Vec<&str> {
        codes
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, c)| c.as_str())
            .collect()
    };
    assert_eq!(code_of("truncated.pgm"), ["unreadable"]);
    assert_eq!(code_of("dot.pgm"), ["too-small"]);
    assert_eq!(code_of("huge.png"), ["too-large"]);
    assert_eq!(code_of("noise.bin"), ["unreadable"]);
    assert_eq!(code_of("blank.pgm"), ["blank"]);
    // The printed PDF has no scanned image on its pages.
    assert!(
        code_of("ballots.pdf").iter().all(|c| *c == "no-image"),
        "{codes:?}"
    );
    for p in j["pages"].as_array().unwrap() {
        assert!(!p["reason"]["vi"].as_str().unwrap().is_empty());
        assert!(!p["reason"]["en"].as_str().unwrap().is_empty());
    }
    let after = tinnhiem::archive::load(&ron).unwrap();
    assert_eq!(after.groups[0].scan.sheets, 0);
    assert_eq!(after.groups[0].cadres, s.groups[0].cadres);
}

/// A sheet waiting while the list changes cannot be counted on the new list: the decision is
/// refused, the sheet can be set aside (`K=drop`) and entered by hand; sheets keep their
/// numbers; a count cannot end, nor a first entry finish, while one waits.
#[test]
fn a_waiting_sheet_outlives_no_change_of_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let sheet = half_sheet(dir.path());
    let ron = sheet.ron.clone();
    let mut files = Vec::new();
    for i in 0..2 {
        let img = sheet.marked(|line| (line == 0).then_some((i, Kind::LightPencil)));
        let f = dir.path().join(format!("w{i}.pgm"));
        write_pgm(&f, &img);
        files.push(f);
    }
    let ron_s = ron.to_str().unwrap();
    let mut args = vec!["scan", ron_s, "--operator", "A"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    assert_eq!(crate::common::run(&args).status.code(), Some(1));
    let mut held = tinnhiem::archive::load(&ron).unwrap();
    let numbers: Vec<u32> = held.groups[0]
        .scan
        .waiting
        .iter()
        .map(|w| w.number)
        .collect();
    assert_eq!(numbers, [1, 2]);
    // Neither a first entry nor the count can end while sheets wait.
    let mut first = held.clone();
    assert_eq!(
        first.finish_first_entry(0, "A", tinnhiem::model::Timestamp::now()),
        Err(tinnhiem::counting::EntryError::ScansWaiting(2))
    );
    let end = tinnhiem::edit::Edit::EndBallotCount {
        group: 0,
        reason: "x".into(),
        sheets: 0,
    };
    assert_eq!(
        end.apply(&mut first),
        Err(tinnhiem::edit::EditError::ScansWaiting)
    );
    // The list changes: no decision counts the sheet on it; it is set aside instead.
    held.groups[0].cadres[2].position = "Ủy viên".into();
    tinnhiem::archive::save(&ron, &held).unwrap();
    let before = std::fs::read(&ron).unwrap();
    let refused = crate::common::run(&["scan", ron_s, "--operator", "B", "--decide", "2:1=high"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("The list changed"));
    assert_eq!(std::fs::read(&ron).unwrap(), before);
    let dropped = crate::common::run(&["scan", ron_s, "--operator", "B", "--decide", "2=drop"]);
    assert_eq!(dropped.status.code(), Some(1), "sheet 1 still waits");
    let after = tinnhiem::archive::load(&ron).unwrap();
    let numbers: Vec<u32> = after.groups[0]
        .scan
        .waiting
        .iter()
        .map(|w| w.number)
        .collect();
    assert_eq!(numbers, [1], "sheet 1 keeps its number");
    assert_eq!(after.groups[0].scan.sheets, 0);
    assert!(
        after
            .audit
            .last()
            .unwrap()
            .describe(Lang::Vi)
            .contains("để riêng, nhập bằng tay")
    );
}

/// A ballot of several pages (40 cadres, each with the 5 QĐ 96 criteria: hundreds of lines)
/// counts when its pages come whole and in order in one file; pages out of order or one
/// missing count nothing and say so.
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "the pile out of order, then in order"
)]
fn a_ballot_of_several_pages_counts_only_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session("chi-bo", Some(40));
    let g = &mut s.groups[0];
    g.add_criterion("Phẩm chất chính trị");
    g.add_criterion("Kết quả thực hiện nhiệm vụ");
    g.voters.void_sheets = None;
    for c in &mut g.cadres {
        c.overall = tinnhiem::model::Counts::default();
    }
    let ron = dir.path().join("vote.ron");
    tinnhiem::archive::save(&ron, &s).unwrap();
    let (forms, pdf) = printed(dir.path(), &s);
    let pages = &forms[0].pages;
    assert!(pages.len() >= 3, "{} pages", pages.len());
    assert_eq!(
        pages.iter().map(|p| p.lines.len()).sum::<usize>(),
        40 * 3,
        "every line on some page"
    );
    // One copy's pages, marked, as one multi-page file (PGM pages concatenated is not a
    // format: a TIFF would be; the test writes one PGM a page and names them in order).
    let mut truth = Vec::new();
    let mut files = Vec::new();
    for (k, page) in pages.iter().enumerate() {
        let mut img = render(&pdf, k + 1, 150);
        let place = Place {
            dpi: 150.0,
            top: 0.0,
            sheet_height: A4_HEIGHT,
        };
        truth.extend(mark_page(&mut img, page, place, Kind::Tick, 77 + k as u64));
        let f = dir.path().join(format!("p{k}.pgm"));
        write_pgm(&f, &img);
        files.push(f);
    }
    let ron_s = ron.to_str().unwrap();
    let run = |files: &[&std::path::PathBuf]| {
        let mut args = vec!["scan", ron_s, "--operator", "A", "--json"];
        args.extend(files.iter().map(|f| f.to_str().unwrap()));
        crate::common::run(&args)
    };
    // A pile fed out of order (a second copy's pages around the first's): no ballot of
    // several pages of the batch is counted, even one that looks whole.
    let place = Place {
        dpi: 150.0,
        top: 0.0,
        sheet_height: A4_HEIGHT,
    };
    let mut second = Vec::new();
    for (k, page) in pages.iter().enumerate() {
        // The second copy: the same pages marked otherwise, so that the files differ.
        let mut img = render(&pdf, k + 1, 150);
        mark_page(&mut img, page, place, Kind::Cross, 500 + k as u64);
        let f = dir.path().join(format!("q{k}.pgm"));
        write_pgm(&f, &img);
        second.push(f);
    }
    let n = files.len();
    let mut shuffled: Vec<&std::path::PathBuf> = vec![&second[n - 1]];
    shuffled.extend(files.iter());
    shuffled.extend(second[..n - 1].iter());
    let out = run(&shuffled);
    assert_eq!(out.status.code(), Some(1));
    let j = json_of(&out);
    assert_eq!(j["counted"], 0);
    let codes: Vec<&str> = j["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            assert_eq!(p["status"], "refused");
            p["reason"]["code"].as_str().unwrap()
        })
        .collect();
    assert!(
        codes.contains(&"missing-page") && codes.contains(&"pile-out-of-order"),
        "{codes:?}"
    );
    assert_eq!(
        tinnhiem::archive::load(&ron).unwrap().groups[0].scan.sheets,
        0
    );
    // Scanned again, in order, one file a page: one ballot, its marks counted on every line.
    let fresh: Vec<std::path::PathBuf> = files
        .iter()
        .enumerate()
        .map(|(k, f)| {
            // New bytes (the first scan's files are known): a comment line in the header.
            let bytes = std::fs::read(f).unwrap();
            let mut again = format!("P5\n# again {k}\n").into_bytes();
            again.extend(&bytes[3..]);
            let p = dir.path().join(format!("again{k}.pgm"));
            std::fs::write(&p, again).unwrap();
            p
        })
        .collect();
    let out = run(&fresh.iter().collect::<Vec<_>>());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let after = tinnhiem::archive::load(&ron).unwrap();
    let g = &after.groups[0];
    assert_eq!((g.ballot_count, g.scan.sheets), (Some(1), 1));
    let lines: Vec<tinnhiem::model::Counts> = g.cadres.iter().flat_map(|c| c.questions()).collect();
    assert_eq!(lines.len(), truth.len());
    for (c, t) in lines.iter().zip(&truth) {
        let expected = match t {
            Truth::Level(0) => (1, 0, 0),
            Truth::Level(1) => (0, 1, 0),
            Truth::Level(_) => (0, 0, 1),
            Truth::None | Truth::Several => (0, 0, 0),
        };
        assert_eq!(c.complete(), Some(expected));
    }
}

/// An uncut sheet of two half-page ballots counts as two sheets; a sheet the committee
/// declares void (`K=void`) counts as a void sheet, its lines in no total.
#[test]
fn two_up_pages_and_void_sheets() {
    let dir = tempfile::tempdir().unwrap();
    let (s, ron) = uncounted(dir.path());
    let (forms, pdf) = printed(dir.path(), &s);
    let mut sheet = render(&pdf, 1, 150);
    let half = A4_HEIGHT / 2.0;
    let mut truth = Vec::new();
    for top in [0.0, half] {
        let place = Place {
            dpi: 150.0,
            top,
            sheet_height: half,
        };
        truth.push(mark_page(
            &mut sheet,
            &forms[0].pages[0],
            place,
            Kind::Cross,
            9,
        ));
    }
    let uncut = dir.path().join("uncut.pgm");
    write_pgm(&uncut, &sheet);
    let ron_s = ron.to_str().unwrap();
    let j = scan_json(&[ron_s, uncut.to_str().unwrap(), "--operator", "A"], 0);
    assert_eq!(j["counted"], 2);
    let sheets: Vec<u64> = j["pages"][0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["sheet"].as_u64().unwrap())
        .collect();
    assert_eq!(sheets, [1, 1, 1, 2, 2, 2]);
    let g = tinnhiem::archive::load(&ron).unwrap().groups[0].clone();
    assert_eq!(g.ballot_count, Some(2));
    // A doubtful sheet, declared void as a whole.
    let place = Place {
        dpi: 150.0,
        top: 0.0,
        sheet_height: half,
    };
    let mut doubtful = upper_half(&render(&pdf, 1, 150));
    mark_page(&mut doubtful, &forms[0].pages[0], place, Kind::Cross, 3);
    let b = forms[0].pages[0].lines[2].boxes[1];
    draw(&mut doubtful, place, (b.x, b.y, b.side), Kind::LightPencil);
    let f = dir.path().join("doubtful.pgm");
    write_pgm(&f, &doubtful);
    let out = crate::common::run(&["scan", ron_s, f.to_str().unwrap(), "--operator", "A"]);
    assert_eq!(out.status.code(), Some(1));
    let out = crate::common::run(&["scan", ron_s, "--operator", "B", "--decide", "1=void"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = tinnhiem::archive::load(&ron).unwrap().groups[0].clone();
    assert_eq!(after.ballot_count, Some(3));
    assert_eq!(after.voters.void_sheets, Some(1));
    assert_eq!(
        after.cadres, g.cadres,
        "a void sheet's lines are in no total"
    );
    assert_eq!((after.scan.sheets, after.scan.decided_lines), (3, 0));
}

/// The app's way (a step worked out on a copy, applied as an edit and logged under the
/// operator) counts and logs exactly as the command line's; applied again, onto a count that
/// has moved since, it is refused and changes nothing. The same for a decision.
#[test]
fn the_apps_step_counts_as_the_command_line_does() {
    use tinnhiem::edit::{EditError, Pending};
    use tinnhiem::model::LineRead;
    use tinnhiem::scan::batch::{Decision, decide, decide_step, scan_files, scan_step};

    let dir = tempfile::tempdir().unwrap();
    let sheet = half_sheet(dir.path());
    let s = sheet.s.clone();
    let mut bytes = Vec::new();
    for kind in [Kind::Cross, Kind::LightPencil] {
        let img = sheet.marked(|_| Some((1, kind)));
        let f = dir.path().join("page.pgm");
        write_pgm(&f, &img);
        bytes.push(std::fs::read(&f).unwrap());
    }
    let files = || {
        bytes
            .iter()
            .enumerate()
            .map(|(i, b)| (format!("p{i}.pgm"), Ok(b.clone())))
            .collect::<Vec<_>>()
    };
    let at = tinnhiem::model::Timestamp::now();
    let mut by_cli = s.clone();
    let cli_report = scan_files(&mut by_cli, 0, files(), "Người A", at).unwrap();
    let mut told = Vec::new();
    let (edit, report) = scan_step(&s, 0, files(), &mut |r| {
        told.push((r.pages.len(), r.counted, r.waiting));
    })
    .unwrap();
    assert_eq!(report, cli_report);
    // Told page by page, never backwards, ending where the batch ends.
    assert!(told.windows(2).all(|w| w[0] <= w[1]), "{told:?}");
    assert!(
        told.iter().any(|t| t.0 == 1),
        "after the first page: {told:?}"
    );
    assert_eq!(told.last(), Some(&(2, 1, 1)));
    let apply = |session: &mut Session, edit: &tinnhiem::edit::Edit| {
        let pending = Pending::read(edit, session);
        edit.apply(session)?;
        pending.log(session, "Người A", at, false);
        Ok::<(), EditError>(())
    };
    let mut by_app = s.clone();
    apply(&mut by_app, &edit).unwrap();
    let said = |s: &Session| -> Vec<(String, String)> {
        s.audit
            .iter()
            .map(|e| (e.by.clone(), e.describe(Lang::Vi)))
            .collect()
    };
    assert_eq!(by_app.groups, by_cli.groups);
    assert_eq!(said(&by_app), said(&by_cli));
    assert_eq!(by_app.groups[0].scan.sheets, 1);
    assert_eq!(by_app.groups[0].scan.waiting.len(), 1);
    // Applied again: the count it started from is gone.
    let held = by_app.clone();
    assert_eq!(apply(&mut by_app, &edit), Err(EditError::CountMovedOn));
    assert_eq!(by_app, held);
    // A decision, both ways.
    let decision = Decision::Lines((0..3).map(|l| (l, LineRead::Medium)).collect());
    decide(&mut by_cli, 0, 1, &decision, "Người A", at).unwrap();
    let step = decide_step(&by_app, 0, 1, &decision).unwrap();
    apply(&mut by_app, &step).unwrap();
    assert_eq!(by_app.groups, by_cli.groups);
    assert_eq!(said(&by_app), said(&by_cli));
    assert_eq!(by_app.groups[0].scan.decided_lines, 3);
    assert_eq!(
        by_app.groups[0].cadres[2]
            .overall
            .get(tinnhiem::model::Level::Medium),
        Some(2)
    );
}
