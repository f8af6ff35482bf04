//! A small page-layout engine, written once for every document: text measured with the font's
//! own advances, greedy word wrapping, paragraphs, side-by-side blocks, ruled tables whose
//! header repeats on each page and whose rows never split, page breaks, page numbers from page
//! 2 and a footer on every page.
//!
//! printpdf only places text at positions; everything about where text goes is decided here
//! and produces plain [`Item`]s, which the tests inspect without reading a PDF and
//! [`super::render`] turns into PDF operators. Coordinates are PDF points with the origin at
//! the bottom left of the page, y growing upwards.
//!
//! By what it does: `glyphs` the faces and what text measures, `wrap` line breaking and
//! paragraphs, `page` what a page holds, `table` ruled tables, `flow` the cursor that
//! places blocks and breaks pages, `qr` the QR code of the last page, `picture` the PNG
//! pictures a page shows.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

mod flow;
mod glyphs;
mod page;
mod picture;
mod qr;
mod table;
mod wrap;

pub use flow::{Decorations, Layout, RunningHead};
pub use glyphs::{FONT_FILES, Face, Fonts, Style};
pub use page::{A4_HEIGHT, A4_WIDTH, Align, Geometry, Item, MARK_BOX_LINE, Page, Printout, mm};
pub use picture::{Colour, Picture, PngError};
pub use qr::{
    MARGIN_QR_MODULE, QR_EDGE_MM, QR_MIN_SIDE_MM, QR_QUIET_MODULES, QrPlace, QrRuns, qr_runs,
};
pub use table::{Cell, Fit, Table};
use wrap::baseline;
pub use wrap::{Para, Wrapped, line_height};

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use printpdf::ParsedFont;

    use super::flow::overlaps;
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().unwrap()
    }

    fn row(name: &str) -> Vec<Cell> {
        vec![Cell::new("1").center(), Cell::new(name), Cell::new("5")]
    }

    /// At least three pages, each with the table's header once and every box inside the
    /// margins.
    fn assert_paged_inside_margins(pages: &[Page], g: Geometry) {
        assert!(pages.len() >= 3, "{}", pages.len());
        for page in pages {
            assert_eq!(page.texts().filter(|t| *t == "Họ và tên").count(), 1);
            for item in &page.items {
                if let Item::Rect { y, h, .. } = item {
                    assert!(*y >= g.bottom - 0.01 && y + h <= g.height - g.top + 0.01);
                }
            }
        }
    }

    fn table(rows: usize) -> Table {
        Table {
            widths: vec![40.0, 250.0, 100.0],
            header: vec![vec![
                Cell::head("STT"),
                Cell::head("Họ và tên"),
                Cell::head("Số"),
            ]],
            rows: (0..rows).map(|i| row(&format!("Cán bộ {i}"))).collect(),
            size: 12.0,
            min_row_height: 20.0,
            header_fill: 0.9,
        }
    }

    /// Widths come from the font's advances: "M" at 10 pt is 8.89 pt in Liberation Serif, and
    /// width scales with size.
    #[test]
    fn measures_with_advances() {
        let f = fonts();
        let m = f.width(Style::Regular, 10.0, "M");
        assert!((m - 8.892).abs() < 0.01, "{m}");
        let a = f.width(Style::Bold, 16.0, "BIÊN BẢN KIỂM PHIẾU");
        let b = f.width(Style::Bold, 8.0, "BIÊN BẢN KIỂM PHIẾU");
        assert!((a - 2.0 * b).abs() < 0.001);
        assert!(f.width(Style::Bold, 12.0, "ABC") > f.width(Style::Regular, 12.0, "ABC"));
        assert_eq!(f.missing_glyph(Style::Regular, "Nguyễn Thị Ánh"), None);
        assert_eq!(f.missing_glyph(Style::Regular, "Lê 李"), Some('李'));
    }

    /// The measurement (skrifa, cached) agrees glyph for glyph with printpdf's own reading of
    /// the fonts, which encodes the text: what is measured is what is drawn.
    #[test]
    fn measured_as_printpdf_reads_the_font() {
        let f = fonts();
        let extra = ['\t', '\n', '李', '\u{ad}', '\u{2028}', '\u{1f600}'];
        for style in Style::ALL {
            let face = f.face(style);
            let parsed =
                ParsedFont::from_bytes(FONT_FILES[style.index()].0, 0, &mut Vec::new()).unwrap();
            let chars = crate::text::PRINTABLE
                .iter()
                .flat_map(|&(a, b)| a..=b)
                .chain(extra);
            // Twice: filled, then from the cache.
            for ch in chars.clone().chain(chars) {
                let gid = parsed.lookup_glyph_index(u32::from(ch));
                let advance = parsed.get_horizontal_advance(gid.unwrap_or(0));
                assert_eq!(face.glyph(ch), (gid.is_some(), advance), "{style:?} {ch:?}");
            }
        }
    }

    /// Every character validation lets into an archive ([`crate::text::PRINTABLE`]) is drawn by
    /// each face of the documents and by the app's fonts (Noto Sans, Liberation Mono): what
    /// passes `check` always prints.
    #[test]
    fn printable_characters_are_in_every_font() {
        let f = fonts();
        let app_fonts: [&[u8]; 3] = [
            include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf"),
            include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf"),
            include_bytes!("../../../assets/fonts/LiberationMono-Regular.ttf"),
        ];
        let app: Vec<ParsedFont> = app_fonts
            .iter()
            .map(|b| ParsedFont::from_bytes(b, 0, &mut Vec::new()).unwrap())
            .collect();
        let mut checked = 0;
        for &(a, b) in crate::text::PRINTABLE {
            for ch in a..=b {
                for style in Style::ALL {
                    assert_eq!(f.missing_glyph(style, &ch.to_string()), None, "{style:?}");
                }
                // The app draws with Noto Sans (Liberation Mono for monospace) and falls back
                // to the documents' own Liberation Serif (app/fonts.rs): one of them has it.
                for font in &app {
                    assert!(
                        font.lookup_glyph_index(u32::from(ch)).is_some()
                            || f.missing_glyph(Style::Regular, &ch.to_string()).is_none(),
                        "U+{:04X} missing in an app font",
                        u32::from(ch)
                    );
                }
                checked += 1;
            }
        }
        assert!(checked > 700, "{checked}");
    }

    /// A word of millions of letters (a hand-edited archive) is measured without overflow and
    /// broken into lines no wider than the column.
    #[test]
    fn overlong_word_is_measured_and_broken() {
        let f = fonts();
        let word = "W".repeat(2_300_000);
        assert!(f.width(Style::Regular, 10.0, &word) > 1.0e7);
        let lines = f.wrap(Style::Regular, 10.0, &word[..20_000], 100.0);
        assert!(lines.len() > 100);
        assert!(
            lines
                .iter()
                .all(|l| f.width(Style::Regular, 10.0, l) <= 100.0)
        );
        assert_eq!(lines.concat().len(), 20_000);
    }

    /// Wrapping keeps every word, never exceeds the width, and breaks words longer than a line.
    #[test]
    fn wraps_to_width() {
        let f = fonts();
        let text = "Lấy phiếu tín nhiệm đối với người giữ chức vụ do Hội đồng nhân dân bầu";
        let lines = f.wrap(Style::Regular, 14.0, text, 150.0);
        assert!(lines.len() > 2);
        assert!(
            lines
                .iter()
                .all(|l| f.width(Style::Regular, 14.0, l) <= 150.0)
        );
        assert_eq!(lines.join(" "), text);
        let long = f.wrap(Style::Regular, 14.0, &"x".repeat(100), 50.0);
        assert!(long.len() > 1 && long.concat() == "x".repeat(100));
        assert_eq!(f.wrap(Style::Regular, 14.0, "a\nb", 500.0), vec!["a", "b"]);
        assert_eq!(f.wrap(Style::Regular, 14.0, "", 500.0), vec![""]);
    }

    /// A first-line indent narrows the first line only: every later line is filled to the
    /// whole width (the next word would not fit), so justified lines are not set loose.
    #[test]
    fn indent_narrows_the_first_line_only() {
        let f = fonts();
        let text = "Hôm nay, vào lúc 9 giờ 00, ngày 05 tháng 10 năm 2023, tại Phòng họp tầng 3, \
                    Sở Tư pháp, Hội nghị Đảng ủy Sở lấy phiếu tín nhiệm năm 2023 tiến hành lấy \
                    phiếu tín nhiệm theo Quy định 96-QĐ/TW ngày 02/02/2023 của Bộ Chính trị.";
        let (full, indent) = (300.0, 40.0);
        let lines = f.wrap_indented(Style::Regular, 13.0, text, full, indent);
        assert!(lines.len() > 3);
        let w = |t: &str| f.width(Style::Regular, 13.0, t);
        assert!(w(&lines[0].text) <= full - indent);
        for (i, pair) in lines.windows(2).enumerate() {
            let room = if i == 0 { full - indent } else { full };
            let next_word = pair[1].text.split(' ').next().unwrap();
            let longer = format!("{} {next_word}", pair[0].text);
            assert!(w(&pair[0].text) <= room, "line {i} too wide");
            assert!(w(&longer) > room, "line {i} could hold \"{next_word}\"");
        }
        let words: Vec<&str> = lines.iter().flat_map(|l| l.text.split(' ')).collect();
        assert_eq!(words.join(" "), text);
    }

    /// Centred text is centred in its box and an underline is as long as its text.
    #[test]
    fn centre_and_underline() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        let p = Para::new("ĐẢNG CỘNG SẢN VIỆT NAM", Style::Bold, 15.0)
            .center()
            .underline();
        l.para_in(&p, 300.0, 250.0, 800.0);
        let pages = l.finish(&Decorations::default());
        let w = f.width(Style::Bold, 15.0, "ĐẢNG CỘNG SẢN VIỆT NAM");
        let (tx, lx1, lx2) = match pages[0].items.as_slice() {
            [Item::Text { x, .. }, Item::Line { x1, x2, .. }] => (*x, *x1, *x2),
            other => panic!("{other:?}"),
        };
        assert!((tx + w / 2.0 - 425.0).abs() < 0.01);
        assert!((lx1 - tx).abs() < 0.01 && (lx2 - lx1 - w).abs() < 0.01);
    }

    /// A long table breaks pages, repeats its header on each page, and keeps rows whole
    /// inside the margins.
    #[test]
    fn table_paginates_with_repeated_header() {
        let f = fonts();
        let g = Geometry::a4_official();
        let mut l = Layout::new(&f, g);
        l.table(&table(100));
        let pages = l.finish(&Decorations::default());
        assert_paged_inside_margins(&pages, g);
        let names: Vec<String> = pages
            .iter()
            .flat_map(|p| {
                p.texts()
                    .filter(|t| t.starts_with("Cán bộ"))
                    .map(str::to_owned)
            })
            .collect();
        let expected: Vec<String> = (0..100).map(|i| format!("Cán bộ {i}")).collect();
        assert_eq!(names, expected);
    }

    /// A row taller than a whole page is split into pieces of whole lines, each inside the
    /// margins under a repeated header, and every letter is printed once, in order.
    #[test]
    fn a_row_taller_than_a_page_is_split() {
        let f = fonts();
        let g = Geometry::a4_official();
        let mut l = Layout::new(&f, g);
        let mut t = table(2);
        let word = "Ư".repeat(3_000);
        t.rows.insert(1, row(&word));
        l.table(&t);
        let pages = l.finish(&Decorations::default());
        assert_paged_inside_margins(&pages, g);
        let text: String = pages
            .iter()
            .flat_map(|p| p.texts().filter(|t| t.starts_with('Ư')).map(str::to_owned))
            .collect();
        assert_eq!(text, word);
        let all: Vec<&str> = pages.iter().flat_map(Page::texts).collect();
        let pos = |s: &str| all.iter().position(|t| *t == s).unwrap();
        assert!(pos("Cán bộ 0") < pos("Cán bộ 1"));
    }

    /// A row that does not fit moves whole to the next page: each row's three cells are on
    /// the same page.
    #[test]
    fn rows_never_split() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        let mut t = table(60);
        t.rows[30][2] = Cell::new("một\nhai\nba\nbốn\nnăm\nsáu");
        l.table(&t);
        let pages = l.finish(&Decorations::default());
        for page in &pages {
            let ones = page.texts().filter(|t| *t == "1").count();
            let names = page.texts().filter(|t| t.starts_with("Cán bộ")).count();
            assert_eq!(ones, names);
        }
        let six = pages.iter().position(|p| p.texts().any(|t| t == "sáu"));
        let one = pages.iter().position(|p| p.texts().any(|t| t == "một"));
        assert_eq!(six, one);
    }

    /// Rows in blocks move together: a block of three that does not fit starts the next page
    /// whole, and rows after the blocks still paginate one by one.
    #[test]
    fn blocks_kept_together() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        let t = table(90);
        l.table_kept(&t, &[3; 30]);
        let pages = l.finish(&Decorations::default());
        assert!(pages.len() >= 2);
        for page in &pages {
            let names: Vec<usize> = page
                .texts()
                .filter_map(|t| t.strip_prefix("Cán bộ "))
                .map(|n| n.parse().unwrap())
                .collect();
            assert_eq!(names.first().map(|n| n % 3), Some(0), "{names:?}");
            assert_eq!(names.last().map(|n| n % 3), Some(2), "{names:?}");
        }
        // Without blocks, some page breaks inside a block of three.
        let mut l = Layout::new(&f, Geometry::a4_official());
        l.table(&t);
        let pages = l.finish(&Decorations::default());
        assert!(pages.iter().any(|p| {
            p.texts()
                .filter_map(|t| t.strip_prefix("Cán bộ "))
                .last()
                .is_some_and(|n| n.parse::<usize>().unwrap() % 3 != 2)
        }));
    }

    /// Page numbers start on page 2, centred at the top; the footer is on every page.
    #[test]
    fn page_numbers_and_footer() {
        let f = fonts();
        let g = Geometry::a4_official();
        let mut l = Layout::new(&f, g);
        l.table(&table(120));
        let deco = Decorations {
            footer: Some("Mã kiểm tra: abcd".into()),
            page_numbers: true,
            watermark: Some("BẢN NHÁP".into()),
            last_page_lines: vec!["SHA-256: ffff".into()],
            last_page_qr: qr_runs("x"),
            running_head: None,
        };
        let pages = l.finish(&deco);
        assert!(pages.len() >= 3);
        for (i, page) in pages.iter().enumerate() {
            let last = i + 1 == pages.len();
            let qr = page.items.iter().find_map(|it| match it {
                Item::Qr { y_top, x, .. } => Some((*x, *y_top)),
                _ => None,
            });
            assert_eq!(qr.is_some(), last, "QR only on the last page");
            if let Some((x, _)) = qr {
                assert!(x > g.left + g.content_width() / 2.0);
            }
            assert_eq!(page.texts().any(|t| t == "SHA-256: ffff"), last);
        }
        let in_top_margin = |page: &Page| {
            page.items
                .iter()
                .filter(|it| matches!(it, Item::Text { y, .. } if *y > g.height - g.top))
                .count()
        };
        assert_eq!(in_top_margin(&pages[0]), 0);
        for (i, page) in pages.iter().enumerate() {
            assert_eq!(
                page.texts().filter(|t| *t == "Mã kiểm tra: abcd").count(),
                1
            );
            assert!(matches!(page.items[0], Item::Watermark { .. }));
            if i > 0 {
                assert_eq!(in_top_margin(page), 1);
                let n = (i + 1).to_string();
                let y = page.items.iter().find_map(|it| match it {
                    Item::Text { text, y, .. } if *text == n => Some(*y),
                    _ => None,
                });
                assert!(y.is_some_and(|y| y > g.height - g.top), "page {n}");
            }
        }
    }

    /// The running head is on every page, the first included, in the top margin, with
    /// "trang k/n" counted within the layout; a text too long for one line is shortened with
    /// "…" and the page number kept.
    #[test]
    fn running_head_on_every_page() {
        let f = fonts();
        let g = Geometry::a4_official();
        for (text, cut) in [
            ("Phiếu tín nhiệm - Nhóm A", false),
            (&*"Nhóm ".repeat(80), true),
        ] {
            let mut l = Layout::new(&f, g);
            l.table(&table(120));
            let pages = l.finish(&Decorations {
                running_head: Some(RunningHead {
                    text: text.to_owned(),
                    page: "trang".into(),
                }),
                ..Decorations::default()
            });
            let n = pages.len();
            assert!(n >= 3);
            for (i, page) in pages.iter().enumerate() {
                let head = page.items.iter().find_map(|it| match it {
                    Item::Text { text, y, x, .. } if *y > g.height - g.top => {
                        Some((text.clone(), *x, it.text_end(&f)))
                    }
                    _ => None,
                });
                let (head, x, end) = head.unwrap();
                assert!(head.ends_with(&format!(" - trang {}/{n}", i + 1)), "{head}");
                assert_eq!(head.contains('…'), cut, "{head}");
                assert!(x >= g.left && end <= g.width - g.right + 0.01, "{head}");
            }
        }
    }

    /// Paragraphs flow onto a new page when the current one is full.
    #[test]
    fn paragraphs_break_pages() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        for i in 0..100 {
            l.para(&Para::new(format!("Dòng {i}"), Style::Regular, 14.0));
        }
        assert_eq!(l.page_count(), 3);
        let pages = l.finish(&Decorations::default());
        assert!(pages[2].texts().any(|t| t == "Dòng 99"));
    }

    /// The page (index) each text is on.
    fn page_of(pages: &[Page], text: &str) -> Option<usize> {
        pages.iter().position(|p| p.texts().any(|t| t == text))
    }

    /// Fills the first page with lines until exactly `lines` body lines of 14 pt are left.
    fn fill_leaving(l: &mut Layout<'_>, lines: f32) {
        let lh = line_height(14.0);
        while l.remaining() >= lines * lh + lh {
            l.para(&Para::new("đầy", Style::Regular, 14.0));
        }
        l.space(l.remaining() - lines * lh);
        assert!((l.remaining() - lines * lh).abs() < 0.01 && l.page_count() == 1);
    }

    fn three_lines() -> Para {
        Para::new("một\nhai\nba", Style::Regular, 14.0)
    }

    /// A heading that fits as the last line of a page goes to the next page with the first
    /// lines of its paragraph; the same heading without keep-with-next stays behind.
    #[test]
    fn heading_moves_with_next_paragraph() {
        let f = fonts();
        for keep in [true, false] {
            let mut l = Layout::new(&f, Geometry::a4_official());
            fill_leaving(&mut l, 1.5);
            let mut heading = Para::new("Đối chiếu Quy định 96:", Style::Bold, 14.0);
            heading.keep = keep;
            l.para(&heading);
            l.para(&three_lines());
            let pages = l.finish(&Decorations::default());
            assert_eq!(page_of(&pages, "một"), Some(1));
            let expected = if keep { 1 } else { 0 };
            assert_eq!(page_of(&pages, "Đối chiếu Quy định 96:"), Some(expected));
        }
    }

    /// A heading stays when its paragraph's first two lines fit under it, even if the rest
    /// of the paragraph goes on.
    #[test]
    fn heading_stays_when_two_lines_fit() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        fill_leaving(&mut l, 3.2);
        l.para(&Para::new("Tiêu đề", Style::Bold, 14.0).keep_with_next());
        l.para(&Para::new("a\nb\nc\nd", Style::Regular, 14.0));
        let pages = l.finish(&Decorations::default());
        assert_eq!(page_of(&pages, "Tiêu đề"), Some(0));
        assert_eq!(page_of(&pages, "a"), Some(0));
        assert_eq!(page_of(&pages, "b"), Some(0));
        assert_eq!(page_of(&pages, "c"), Some(1));
        assert_eq!(page_of(&pages, "d"), Some(1));
    }

    /// A three-line paragraph cannot start with two lines (the third would be a widow), so a
    /// heading with room for two lines under it moves along with it.
    #[test]
    fn heading_moves_with_three_line_paragraph() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        fill_leaving(&mut l, 3.5);
        l.para(&Para::new("Tiêu đề", Style::Bold, 14.0).keep_with_next());
        l.para(&three_lines());
        let pages = l.finish(&Decorations::default());
        assert_eq!(page_of(&pages, "Tiêu đề"), Some(1));
        assert_eq!(page_of(&pages, "một"), Some(1));
        assert_eq!(page_of(&pages, "ba"), Some(1));
    }

    /// Two kept paragraphs in a row (a heading and its note) go together with the header and
    /// first row of the table after them; the space between them is kept too.
    #[test]
    fn headings_chain_onto_table_header_and_first_row() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        // Room for the two headings and the header, not for the first row as well.
        fill_leaving(&mut l, 3.5);
        l.para(&Para::new("Tiêu chí 1: Chính trị", Style::BoldItalic, 14.0).keep_with_next());
        l.space(4.0);
        l.para(&Para::new("(Tham khảo.)", Style::Regular, 14.0).keep_with_next());
        l.table(&table(3));
        let pages = l.finish(&Decorations::default());
        assert_eq!(page_of(&pages, "Tiêu chí 1: Chính trị"), Some(1));
        assert_eq!(page_of(&pages, "(Tham khảo.)"), Some(1));
        assert_eq!(page_of(&pages, "Họ và tên"), Some(1));
        assert_eq!(page_of(&pages, "Cán bộ 0"), Some(1));
        assert!(pages[0].texts().all(|t| t == "đầy"));
    }

    /// A heading left waiting at the end of the layout is still placed.
    #[test]
    fn heading_at_the_end_is_placed() {
        let f = fonts();
        let mut l = Layout::new(&f, Geometry::a4_official());
        l.para(&Para::new("Cuối", Style::Bold, 14.0).keep_with_next());
        let pages = l.finish(&Decorations::default());
        assert_eq!(page_of(&pages, "Cuối"), Some(0));
    }

    /// A signature block (title, room to sign, name) never straddles two pages, and the
    /// closing line kept with it moves along.
    #[test]
    fn signature_block_never_splits() {
        let f = fonts();
        let g = Geometry::a4_official();
        let sign = |name: &str| {
            vec![
                Para::new("T/M BAN KIỂM PHIẾU", Style::Bold, 14.0).center(),
                Para::new(" ", Style::Regular, 50.0),
                Para::new(name, Style::Bold, 14.0).center(),
            ]
        };
        for room in [1.0, 2.5, 5.5, 7.0, 9.0] {
            let mut l = Layout::new(&f, g);
            fill_leaving(&mut l, room);
            l.para(&Para::new("Ban kiểm phiếu ký tên.", Style::Regular, 14.0).keep_with_next());
            l.space(14.0);
            let half = g.content_width() / 2.0;
            l.columns(&[
                (g.left, half, sign("Lê Văn A")),
                (g.left + half, half, sign("Trần Thị B")),
            ]);
            let pages = l.finish(&Decorations::default());
            let closing = page_of(&pages, "Ban kiểm phiếu ký tên.");
            for t in ["T/M BAN KIỂM PHIẾU", "Lê Văn A", "Trần Thị B"] {
                assert_eq!(page_of(&pages, t), closing, "{t} with {room} lines left");
            }
            assert_eq!(
                pages
                    .iter()
                    .map(|p| p.texts().filter(|t| *t == "T/M BAN KIỂM PHIẾU").count())
                    .sum::<usize>(),
                2
            );
        }
    }

    /// No paragraph leaves one line alone at the bottom (orphan) or the top (widow) of a page.
    #[test]
    fn no_widows_or_orphans() {
        let f = fonts();
        let text = "1\n2\n3\n4\n5";
        let split = |room: f32| {
            let mut l = Layout::new(&f, Geometry::a4_official());
            fill_leaving(&mut l, room);
            l.para(&Para::new(text, Style::Regular, 14.0));
            let pages = l.finish(&Decorations::default());
            (1..=5)
                .filter(|i| page_of(&pages, &i.to_string()) == Some(0))
                .count()
        };
        // Lines that would stay on the first page for room for 0..6 lines.
        let kept: Vec<usize> = (0..=6).map(|r| split(r as f32 + 0.5)).collect();
        assert_eq!(kept, vec![0, 0, 2, 3, 3, 5, 5]);
    }

    fn words(n: usize) -> String {
        let w = [
            "Ban", "kiểm", "phiếu", "đã", "tiến", "hành", "kiểm", "phiếu", "theo", "quy", "định",
        ];
        (0..n).map(|i| w[i % w.len()]).collect::<Vec<_>>().join(" ")
    }

    /// A justified line ends exactly at the right margin; the paragraph's last line and a line
    /// before a forced break keep normal spaces; every word reads back in order.
    #[test]
    fn justified_lines_reach_the_right_margin() {
        let f = fonts();
        let g = Geometry::a4_official();
        let mut l = Layout::new(&f, g);
        let text = format!("{}\n{}", words(60), words(45));
        let p = Para::new(&text, Style::Regular, 14.0)
            .indent(mm(10.0))
            .justify();
        l.para(&p);
        let pages = l.finish(&Decorations::default());
        let lines: Vec<&Item> = pages[0].items.iter().collect();
        let right = g.width - g.right;
        let wrapped = f.wrap_indented(Style::Regular, 14.0, &text, g.content_width(), mm(10.0));
        assert_eq!(lines.len(), wrapped.len());
        assert!(lines.len() >= 5, "{}", lines.len());
        let mut justified = 0;
        for (item, w) in lines.iter().zip(&wrapped) {
            let Item::Text { word_spacing, .. } = item else {
                panic!("{item:?}")
            };
            let end = item.text_end(&f);
            if w.ends {
                assert!(*word_spacing == 0.0 && end < right - 1.0, "{end} {w:?}");
            } else {
                justified += 1;
                assert!(
                    *word_spacing > 0.0 && (end - right).abs() < 0.01,
                    "{end} vs {right}"
                );
            }
            let runs = item.runs(&f);
            assert_eq!(runs.iter().map(|r| r.1).collect::<String>(), w.text);
            assert!(runs.windows(2).all(|r| r[0].0 < r[1].0));
        }
        assert!(justified >= 3);
        if let Item::Text { x, .. } = lines[0] {
            assert!((x - g.left - mm(10.0)).abs() < 0.01);
        }
    }

    /// A grey picture of `w` × `h` pixels (its pixel data is not read by the layout).
    fn picture(w: u32, h: u32) -> std::sync::Arc<Picture> {
        use super::picture::tests::{chunk, ihdr, png, zlib};
        let bytes = png(&[ihdr(w, h, 8, 0, 0), chunk(b"IDAT", &zlib(&[0]))]);
        std::sync::Arc::new(Picture::from_png(&bytes).unwrap())
    }

    /// The picture's box and the page each of the heading, picture and caption is on.
    fn figure_at(pages: &[Page]) -> ((f32, f32, f32, f32), [Option<usize>; 3]) {
        let image = pages
            .iter()
            .enumerate()
            .find_map(|(i, p)| {
                p.items.iter().find_map(|it| match it {
                    Item::Image { x, y, w, h, .. } => Some(((*x, *y, *w, *h), i)),
                    _ => None,
                })
            })
            .unwrap();
        (
            image.0,
            [
                page_of(pages, "Hình ảnh"),
                Some(image.1),
                page_of(pages, "Hình 1. Chú thích"),
            ],
        )
    }

    /// A picture is as wide as asked, never wider than the text, its aspect kept, centred,
    /// with its caption under it; where they do not fit, they and the heading kept with them
    /// go to the next page together.
    #[test]
    fn figure_sized_and_kept_with_its_caption() {
        let f = fonts();
        let g = Geometry::a4_official();
        let caption = Para::new("Hình 1. Chú thích", Style::Italic, 10.5).center();
        for (room, asked, page) in [
            (40.0, 1000.0, Some(0)),
            (12.0, 1000.0, Some(1)),
            (12.0, 200.0, Some(0)),
        ] {
            let mut l = Layout::new(&f, g);
            fill_leaving(&mut l, room);
            l.para(&Para::new("Hình ảnh", Style::Bold, 14.0).keep_with_next());
            l.figure(&picture(1366, 768), asked, &caption);
            let pages = l.finish(&Decorations::default());
            let ((x, y, w, h), at) = figure_at(&pages);
            assert_eq!(at, [page; 3], "{room} lines left, {asked} pt asked");
            let width = f32::min(asked, g.content_width());
            assert!((w - width).abs() < 0.01 && (h - w * 768.0 / 1366.0).abs() < 0.01);
            assert!((x + w / 2.0 - (g.left + g.content_width() / 2.0)).abs() < 0.01);
            assert!(y >= g.bottom - 0.01);
            let p = &pages[page.unwrap()];
            let caption_y = p.items.iter().find_map(|it| match it {
                Item::Text { text, y, size, .. } if text.starts_with("Hình 1.") => Some(y + size),
                _ => None,
            });
            assert!(
                caption_y.is_some_and(|c| c < y),
                "the caption under the picture"
            );
            assert!(
                p.items.iter().any(|it| matches!(it,
                Item::Rect { x: rx, y: ry, w: rw, h: rh, stroke: true, fill: None }
                    if (rx, ry, rw, rh) == (&x, &y, &w, &h))),
                "framed"
            );
        }
    }

    /// A picture taller than a page is made smaller until it and its caption fit one page.
    #[test]
    fn figure_taller_than_a_page_shrinks() {
        let f = fonts();
        let g = Geometry::a4_official();
        let mut l = Layout::new(&f, g);
        l.para(&Para::new("Hình ảnh", Style::Bold, 14.0).keep_with_next());
        let caption = Para::new("Hình 1. Chú thích", Style::Italic, 10.5).center();
        l.figure(&picture(100, 3000), 1000.0, &caption);
        let pages = l.finish(&Decorations::default());
        let ((_, y, w, h), at) = figure_at(&pages);
        assert!((h / w - 30.0).abs() < 0.01, "{w} × {h}");
        assert!(y >= g.bottom && at[1] == at[2], "{y} {at:?}");
        for it in pages.iter().flat_map(|p| &p.items) {
            assert!(it.bounds(&f).1 >= g.bottom - 0.01, "{it:?}");
        }
    }

    /// The last page's QR code of a full fingerprint is at least 25 mm wide, its quiet zone at
    /// least 10 mm inside every paper edge and clear of every other item, whether the last
    /// page is nearly empty or full to its bottom margin.
    #[test]
    fn qr_big_inside_the_edges_and_clear() {
        let f = fonts();
        let g = Geometry::a4_official();
        let code = qr_runs(&format!("tinnhiem:sha256:{}", "ab".repeat(32)));
        let mut moved = 0;
        for rows in [3, 30, 31, 32, 33, 34, 35] {
            let mut l = Layout::new(&f, g);
            l.table(&table(rows));
            let before = l.page_count();
            let deco = Decorations {
                footer: Some("BẢN NHÁP (chưa phải biên bản chính thức) · Mã kiểm tra: abcd".into()),
                page_numbers: true,
                watermark: None,
                last_page_lines: vec![format!("Mã kiểm tra đầy đủ (SHA-256): {}", "ab".repeat(32))],
                last_page_qr: code.clone(),
                running_head: None,
            };
            let pages = l.finish(&deco);
            assert!(pages.len() == before || pages.len() == before + 1);
            moved += pages.len() - before;
            let last = pages.last().unwrap();
            let (qr, box_) = last
                .items
                .iter()
                .find_map(|it| match it {
                    Item::Qr { .. } => Some((it, it.bounds(&f))),
                    _ => None,
                })
                .unwrap();
            let Item::Qr { module, .. } = qr else {
                unreachable!()
            };
            let side = box_.2 - box_.0;
            assert!(side >= mm(25.0) - 0.01, "{side} pt");
            let q = QR_QUIET_MODULES * module;
            let edge = mm(10.0) - 0.01;
            assert!(box_.0 - q >= edge && box_.1 - q >= edge, "{box_:?}");
            assert!(g.width - box_.2 - q >= edge && g.height - box_.3 - q >= edge);
            let clear = (box_.0 - q, box_.1 - q, box_.2 + q, box_.3 + q);
            for it in &last.items {
                if !matches!(it, Item::Qr { .. }) {
                    assert!(!overlaps(it.bounds(&f), clear), "{rows} rows: {it:?}");
                }
            }
        }
        assert!(moved > 0 && moved < 7, "{moved}");
    }

    /// A QR code of a 64-digit fingerprint encodes to a square with dark runs.
    #[test]
    fn qr_encodes() {
        let (n, runs) = qr_runs(&"ab".repeat(32)).unwrap();
        assert!(n >= 21);
        assert!(!runs.is_empty() && runs.iter().all(|&(r, a, b)| r < n && a < b && b <= n));
    }
}
