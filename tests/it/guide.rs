//! The user guide (docs/huong-dan-su-dung.md) against the code: its table of findings names
//! every code validation can report, and only those.

use std::collections::BTreeSet;
use std::path::Path;

const GUIDE: &str = include_str!("../../docs/huong-dan-su-dung.md");
const VALIDATE: &str = include_str!("../../src/operations/validate.rs");

/// Every code of [`tinnhiem::validate::Code::as_str`], read from its (exhaustive) match.
fn core_codes() -> BTreeSet<String> {
    VALIDATE
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Code::"))
        .filter_map(|l| l.split_once(" => \""))
        .filter_map(|(_, rest)| rest.strip_suffix("\","))
        .map(str::to_owned)
        .collect()
}

/// The guide's rows "| E101 | Lỗi | … |": code and kind.
fn guide_rows() -> Vec<(String, String)> {
    GUIDE
        .lines()
        .filter_map(|l| {
            let mut cells = l.strip_prefix("| ")?.split(" | ");
            let code = cells.next()?;
            let kind = cells.next()?;
            let is_code = code.len() == 4
                && (code.starts_with('E') || code.starts_with('W'))
                && code[1..].bytes().all(|b| b.is_ascii_digit());
            is_code.then(|| (code.to_owned(), kind.to_owned()))
        })
        .collect()
}

#[test]
fn every_finding_code_is_explained_in_the_guide() {
    let core = core_codes();
    assert!(
        core.len() > 30,
        "read {} codes from src/operations/validate.rs",
        core.len()
    );
    let rows = guide_rows();
    let guide: BTreeSet<String> = rows.iter().map(|(c, _)| c.clone()).collect();
    assert_eq!(guide.len(), rows.len(), "a code has two rows in the guide");
    let missing: Vec<_> = core.difference(&guide).collect();
    assert!(missing.is_empty(), "the guide's table lacks {missing:?}");
    let stale: Vec<_> = guide.difference(&core).collect();
    assert!(
        stale.is_empty(),
        "the guide's table has codes the core does not: {stale:?}"
    );
    for (code, kind) in &rows {
        let want = if code.starts_with('E') {
            "Lỗi"
        } else {
            "Lưu ý"
        };
        assert_eq!(kind, want, "{code}'s kind in the guide");
    }
}

/// `tinnhiem guide -o FILE.pdf` writes the guide typeset: read back with pdftotext, every
/// heading is there in the guide's order, and the Vietnamese text is whole and NFC.
#[test]
fn guide_command_writes_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("Huong-dan-su-dung.pdf");
    let o = crate::common::run(&["guide", "-o", pdf.to_str().unwrap()]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert_eq!(bytes, tinnhiem::documents::guide::guide_pdf().unwrap());
    let raw = crate::common::pdftotext(&pdf);
    assert_eq!(
        raw,
        tinnhiem::text::nfc(&raw),
        "pdftotext's text is not NFC"
    );
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let headings = tinnhiem::documents::guide::headings();
    assert!(headings.len() > 20, "{headings:?}");
    let mut at = 0;
    for h in &headings {
        let h = h.split_whitespace().collect::<Vec<_>>().join(" ");
        let found = text[at..]
            .find(&h)
            .unwrap_or_else(|| panic!("heading {h:?} not found after byte {at}"));
        at += found + h.len();
    }
    for phrase in [
        "Hướng dẫn sử dụng tinnhiem",
        "Ứng dụng làm việc hoàn toàn ngoại tuyến",
        "Xác nhận phiếu",
        "Trên 50% đến dưới 2/3 tín nhiệm thấp",
        "Số phiếu thu về (…) lớn hơn số phiếu phát ra (…)",
        "Trong đó n phiếu đọc bằng máy quét, m dòng do Ban kiểm phiếu quyết định",
    ] {
        assert!(text.contains(phrase), "{phrase:?} not in the PDF's text");
    }
}

/// The guide's words for each finding are the app's: every piece of its "Ứng dụng báo" cell
/// between the "…" that stand for names and figures is in the messages of src/operations/validate.rs
/// (or the field labels they name, src/data/model/path.rs), so a reworded message shows here.
#[test]
fn the_guide_quotes_the_findings_as_the_app_says_them() {
    let source =
        format!("{VALIDATE}{}", include_str!("../../src/data/model/path.rs")).replace("\\\"", "\"");
    for line in GUIDE.lines() {
        let cells: Vec<&str> = line.split(" | ").collect();
        let Some((code, said)) = cells.first().zip(cells.get(2)) else {
            continue;
        };
        let code = code.trim_start_matches("| ");
        if !guide_rows().iter().any(|(c, _)| c == code) {
            continue;
        }
        for piece in said.split(['…', ';']) {
            let piece = piece.trim_matches(|c: char| c.is_whitespace() || "():,.".contains(c));
            if piece.chars().count() >= 6 {
                assert!(
                    source.contains(piece),
                    "{code}: the guide quotes {piece:?}, which no message of src/operations/validate.rs says"
                );
            }
        }
    }
}

/// Every bold span of the guide is the app's own words (a label, a message, a band as the
/// rules word it): each piece between "…" and "→" is in the app's or the core's strings.
#[test]
fn the_guides_bold_words_are_the_apps() {
    let mut source = String::new();
    for dir in ["src/app", "src/documents"] {
        let mut files: Vec<_> = std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs"))
            .collect();
        files.sort();
        for f in files {
            source += &std::fs::read_to_string(f).unwrap();
        }
    }
    for f in [
        "src/data/rules.rs",
        "src/data/model/path.rs",
        "src/summary/mod.rs",
        "src/operations/validate.rs",
        "src/operations/archive/mod.rs",
        "src/base/text.rs",
    ] {
        source += &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(f)).unwrap();
    }
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let source = squash(&source.replace("\\\"", "\""));
    let mut spans = GUIDE.split("**").skip(1).step_by(2).peekable();
    assert!(spans.peek().is_some());
    for span in spans {
        for piece in squash(span).split(['…', '→']) {
            let piece = piece.trim_matches(|c: char| c.is_whitespace() || "():,.".contains(c));
            if piece.chars().count() >= 3 {
                assert!(
                    source.contains(piece),
                    "the guide shows {piece:?} in bold, as the app's words, but the app never says it"
                );
            }
        }
    }
}

/// The pictures the guide links, in order: caption and the PNG file's bytes.
fn linked_pictures() -> Vec<(String, Vec<u8>)> {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    GUIDE
        .lines()
        .filter_map(|l| l.trim().strip_prefix("!["))
        .map(|l| {
            let (caption, path) = l.split_once("](").unwrap();
            let path = path.strip_suffix(')').unwrap();
            (caption.to_owned(), std::fs::read(docs.join(path)).unwrap())
        })
        .collect()
}

/// A PNG's pixels as RGB triples, decoded here (inflate, PNG's row filters, the palette) for
/// 8-bit RGB and palette files, the kinds of the screenshots.
fn png_rgb(png: &[u8]) -> (u32, u32, Vec<u8>) {
    use std::io::Read as _;
    let be = |b: &[u8]| u32::from_be_bytes(b[..4].try_into().unwrap());
    let (w, h, bits, colour) = (be(&png[16..]), be(&png[20..]), png[24], png[25]);
    assert_eq!(bits, 8);
    let (mut at, mut idat, mut palette) = (8, Vec::new(), Vec::new());
    while at < png.len() {
        let len = be(&png[at..]) as usize;
        let body = &png[at + 8..at + 8 + len];
        match &png[at + 4..at + 8] {
            b"IDAT" => idat.extend_from_slice(body),
            b"PLTE" => palette = body.to_vec(),
            _ => {}
        }
        at += 12 + len;
    }
    let mut raw = Vec::new();
    flate2::read::ZlibDecoder::new(&idat[..])
        .read_to_end(&mut raw)
        .unwrap();
    let bpp = if colour == 2 { 3 } else { 1 };
    let stride = w as usize * bpp;
    assert_eq!(raw.len(), (stride + 1) * h as usize);
    let mut pixels = vec![0u8; stride * h as usize];
    for y in 0..h as usize {
        let filter = raw[y * (stride + 1)];
        for x in 0..stride {
            let v = raw[y * (stride + 1) + 1 + x];
            let a = if x >= bpp {
                pixels[y * stride + x - bpp]
            } else {
                0
            };
            let b = if y > 0 {
                pixels[(y - 1) * stride + x]
            } else {
                0
            };
            let c = if x >= bpp && y > 0 {
                pixels[(y - 1) * stride + x - bpp]
            } else {
                0
            };
            let predicted = match filter {
                0 => 0,
                1 => a,
                2 => b,
                3 => u8::try_from((u16::from(a) + u16::from(b)) / 2).unwrap(),
                4 => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = (
                        (p - i16::from(a)).abs(),
                        (p - i16::from(b)).abs(),
                        (p - i16::from(c)).abs(),
                    );
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                f => panic!("PNG filter {f}"),
            };
            pixels[y * stride + x] = v.wrapping_add(predicted);
        }
    }
    if colour == 3 {
        pixels = pixels
            .iter()
            .flat_map(|&i| palette[3 * i as usize..3 * i as usize + 3].to_vec())
            .collect();
    }
    (w, h, pixels)
}

/// Every image the guide links is in the PDF, in order, at its own size and colours
/// (`pdfimages -list`), on the page of its caption "Hình N. …", and shows exactly the PNG's
/// pixels: poppler's reading of the PDF is compared with the PNG decoded here.
#[test]
fn the_guides_pictures_are_the_screenshots() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("guide.pdf");
    std::fs::write(&pdf, tinnhiem::documents::guide::guide_pdf().unwrap()).unwrap();
    let pdf_s = pdf.to_str().unwrap();
    let pictures = linked_pictures();
    assert_eq!(pictures.len(), GUIDE.matches("![").count());
    assert!(pictures.len() >= 10, "{}", pictures.len());
    let list = crate::common::tool("pdfimages", &["-list", pdf_s]);
    // page num type width height color comp bpc enc interp object …, after two header lines.
    let rows: Vec<Vec<&str>> = list
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), pictures.len(), "{list}");
    let prefix = dir.path().join("img");
    crate::common::tool("pdfimages", &[pdf_s, prefix.to_str().unwrap()]);
    for (i, ((caption, png), row)) in pictures.iter().zip(&rows).enumerate() {
        let (w, h, rgb) = png_rgb(png);
        let colour = if png[25] == 2 { "rgb" } else { "index" };
        let size = [w.to_string(), h.to_string()];
        assert_eq!(
            row[2..6],
            ["image", &size[0], &size[1], colour],
            "{caption}"
        );
        assert_eq!(row[7..9], ["8", "image"], "{caption}");
        let page = row[0];
        let text = crate::common::tool("pdftotext", &["-f", page, "-l", page, pdf_s, "-"]);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let words = caption.split_whitespace().collect::<Vec<_>>().join(" ");
        let caption = format!("Hình {}. {words}", i + 1);
        assert!(text.contains(&caption), "{caption:?} not on page {page}");
        // pdfimages writes each image as a binary PPM: "P6\nW H\n255\n" and RGB triples.
        let ppm = std::fs::read(dir.path().join(format!("img-{i:03}.ppm"))).unwrap();
        let head = format!("P6\n{w} {h}\n255\n");
        assert_eq!(&ppm[..head.len()], head.as_bytes(), "{caption}");
        assert!(ppm[head.len()..] == rgb[..], "{caption}: the pixels differ");
    }
}

/// Every screenshot is a palette PNG the guide's PDF can embed as it is (docs/testing.md: a
/// third of the bytes of RGB, in both executables), so that a retake by hand in RGB shows.
#[test]
fn every_screenshot_is_a_palette_png() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/screenshots");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "png") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let picture = tinnhiem::documents::layout::Picture::from_png(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            matches!(
                picture.colour(),
                tinnhiem::documents::layout::Colour::Indexed(_)
            ),
            "{} is not a palette PNG: convert X.png -strip +dither -colors 256 PNG8:X.png",
            path.display()
        );
        seen += 1;
    }
    assert!(seen >= 13, "{seen}");
}
