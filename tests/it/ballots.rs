//! Blank ballots on paper: two to a sheet when a ballot fits half a sheet, one copy per page
//! otherwise, every copy of more than one page starting on an odd page, the running head
//! ("Phiếu tín nhiệm - group - trang k/n") on every page read back with pdftotext, the page
//! count the CLI prints, and the same bytes every run.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![expect(
    clippy::float_arithmetic,
    reason = "positions on the page in points, not vote arithmetic"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{pdf_pages as page_count, tool, write};
use tinnhiem::archive;
use tinnhiem::documents::ballots::{
    BallotOptions, ballot_count, ballot_layout, ballots_pdf, ballots_pdf_counted,
};
use tinnhiem::documents::layout::{A4_HEIGHT, Fonts, Item, Page};
use tinnhiem::model::Session;
use tinnhiem::text::Lang;

/// A copy of the shipped example `name` in `dir` (tests never touch the tracked file).
fn example_copy(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(format!("{name}.ron"));
    std::fs::copy(format!("assets/examples/{name}.ron"), &to).unwrap();
    to
}

fn example(dir: &Path, name: &str) -> Session {
    archive::load(&example_copy(dir, name)).unwrap()
}

/// The chi-bo example with one group of `n` cadres named "Cán bộ Số{i}".
fn with_cadres(dir: &Path, n: usize) -> Session {
    let mut s = example(dir, "chi-bo");
    s.groups.truncate(1);
    let g = &mut s.groups[0];
    g.cadres = (0..n)
        .map(|i| g.new_cadre(&format!("Cán bộ Số{i}"), "Ủy viên"))
        .collect();
    s
}

/// The text of each page as pdftotext reads it.
fn page_texts(pdf: &Path) -> Vec<String> {
    (1..=page_count(pdf))
        .map(|p| {
            let p = p.to_string();
            tool(
                "pdftotext",
                &["-layout", "-f", &p, "-l", &p, pdf.to_str().unwrap(), "-"],
            )
        })
        .collect()
}

fn copies(n: u32, lang: Lang) -> BallotOptions {
    BallotOptions {
        copies: Some(n),
        lang,
    }
}

/// Every running head on a page: `(what, k, n)` from "… - trang k/n" lines.
fn heads(text: &str, page_word: &str) -> Vec<(String, usize, usize)> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim();
            let (what, kn) = l.rsplit_once(&format!(" - {page_word} "))?;
            let (k, n) = kn.split_once('/')?;
            Some((what.to_owned(), k.parse().ok()?, n.parse().ok()?))
        })
        .collect()
}

/// The dashed cut line across the middle of a sheet: its dashes on the page.
fn cut_dashes(page: &Page) -> usize {
    page.items
        .iter()
        .filter(|i| {
            matches!(i, Item::Line { y1, y2, width, .. }
                if *width < 0.5 && (y1 - A4_HEIGHT / 2.0).abs() < 0.01 && (y1 - y2).abs() < 0.01)
        })
        .count()
}

/// Three cadres: 7 copies go two to a sheet (4 sheets, the last with one ballot), then the
/// tally sheet alone on its page; every half is the whole ballot (header, title, table,
/// instructions), each sheet has its cut line and nothing crosses it.
#[test]
fn few_cadres_two_ballots_per_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let s = example(dir.path(), "chi-bo");
    let group = s.groups[0].name.clone();
    let fonts = Fonts::load().unwrap();
    let (pages, count) = ballot_layout(&s, &fonts, copies(7, Lang::Vi));
    assert_eq!(count.groups[0].per_sheet, 2);
    assert_eq!(count.groups[0].ballot_pages, 4);
    assert_eq!(count.pages(), 5);
    assert_eq!(pages.len(), 5);
    let mid = A4_HEIGHT / 2.0;
    for (i, page) in pages.iter().enumerate().take(4) {
        assert!(cut_dashes(page) > 50, "sheet {}", i + 1);
        // Nothing but the cut line within 6 mm (17 pt) of the middle: a cut a little off
        // the line still leaves each ballot whole.
        for item in &page.items {
            let (lo, hi) = match item {
                Item::Text { y, size, .. } => (y - size * 0.3, y + size * 0.8),
                Item::Rect { y, h, .. } => (*y, y + h),
                _ => continue,
            };
            assert!(hi < mid - 17.0 || lo > mid + 17.0, "{item:?}");
        }
    }
    assert_eq!(cut_dashes(&pages[4]), 0, "the tally sheet is a whole page");

    let pdf = write(
        dir.path(),
        "b.pdf",
        &ballots_pdf(&s, copies(7, Lang::Vi)).unwrap(),
    );
    let texts = page_texts(&pdf);
    assert_eq!(texts.len(), 5);
    for (i, t) in texts.iter().enumerate() {
        let expected = if i < 3 {
            2
        } else if i == 3 {
            1
        } else {
            0
        };
        assert_eq!(t.matches("PHIẾU TÍN NHIỆM").count(), expected, "{t}");
        assert_eq!(t.matches("đánh dấu (X)").count(), expected, "{t}");
        assert_eq!(t.matches("ĐẢNG CỘNG SẢN VIỆT NAM").count(), expected.max(1));
        if i < 4 {
            for c in &s.groups[0].cadres {
                assert_eq!(t.matches(&c.name).count(), expected, "{t}");
            }
        }
        let want = if i < 4 {
            vec![(format!("Phiếu tín nhiệm - {group}"), 1, 1); expected]
        } else {
            vec![(format!("Phiếu tổng hợp kiểm phiếu - {group}"), 1, 1)]
        };
        assert_eq!(heads(t, "trang"), want, "page {}", i + 1);
    }
    assert_eq!(texts[4].matches("PHIẾU TỔNG HỢP KIỂM PHIẾU").count(), 1);
}

/// The largest group that still goes two to a sheet, and one more cadre goes one per page:
/// the choice is measured, not guessed from a cadre count.
#[test]
fn two_per_sheet_up_to_what_fits() {
    let dir = tempfile::tempdir().unwrap();
    let per_sheet = |n| {
        ballot_count(&with_cadres(dir.path(), n), copies(2, Lang::Vi))
            .unwrap()
            .groups[0]
            .per_sheet
    };
    let last = (1..40).take_while(|&n| per_sheet(n) == 2).last().unwrap();
    assert!((4..=12).contains(&last), "{last}");
    assert_eq!(per_sheet(last + 1), 1);
}

/// A big group: one copy per page run, each copy's pages say "trang k/n" within the copy,
/// each copy of more than one page starts on an odd page, blank pages only where parity
/// needs them; the tally sheet follows the same rule and the group's page count is even.
#[test]
fn big_group_one_per_page_starts_on_odd_pages() {
    let dir = tempfile::tempdir().unwrap();
    for (n, lang, word, what) in [
        (40, Lang::Vi, "trang", "Phiếu tín nhiệm"),
        (75, Lang::En, "page", "Confidence ballot"),
    ] {
        let s = with_cadres(dir.path(), n);
        let group = s.groups[0].name.clone();
        let (pdf, count) = ballots_pdf_counted(&s, copies(3, lang)).unwrap();
        let g = &count.groups[0];
        assert_eq!(g.per_sheet, 1);
        assert!(g.pages_per_copy > 1, "{n}: {g:?}");
        let pdf = write(dir.path(), &format!("{n}.pdf"), &pdf);
        let texts = page_texts(&pdf);
        assert_eq!(texts.len(), count.pages());
        assert_eq!(texts.len() % 2, 0, "{n}: {}", texts.len());
        let mut starts = 0;
        let mut expected_k = 1;
        for (i, t) in texts.iter().enumerate() {
            let page = i + 1;
            let h = heads(t, word);
            if h.is_empty() {
                assert!(t.trim().is_empty(), "page {page} has text but no head: {t}");
                // A blank page only ends an odd-length document.
                assert_eq!(page % 2, 0, "{n}: blank page {page}");
                continue;
            }
            assert_eq!(h.len(), 1, "{t}");
            let (head, k, total) = &h[0];
            assert!(*total > 1, "{n}: {h:?}");
            assert_eq!(*k, expected_k, "{n}: page {page}");
            if *k == 1 {
                assert_eq!(page % 2, 1, "{n}: a document starts on page {page}");
                starts += 1;
            }
            expected_k = if k == total { 1 } else { k + 1 };
            let ballot = starts <= 3;
            if ballot {
                assert_eq!(*head, format!("{what} - {group}"));
                assert_eq!(*total, g.pages_per_copy);
            } else {
                assert_eq!(*total, g.tally_pages);
            }
        }
        assert_eq!(starts, 4, "three copies and the tally sheet");
    }
}

/// A one-page copy (too long for half a sheet) is not padded: one page per copy, pages
/// in a row, no blank pages.
#[test]
fn one_page_copies_are_not_padded() {
    let dir = tempfile::tempdir().unwrap();
    let fonts = Fonts::load().unwrap();
    let n = (1..40)
        .find(|&n| {
            let g = &ballot_count(&with_cadres(dir.path(), n), copies(1, Lang::Vi))
                .unwrap()
                .groups[0];
            g.per_sheet == 1
        })
        .unwrap();
    let s = with_cadres(dir.path(), n);
    let (pages, count) = ballot_layout(&s, &fonts, copies(5, Lang::Vi));
    let g = &count.groups[0];
    assert_eq!((g.pages_per_copy, g.ballot_pages), (1, 5), "{g:?}");
    assert!(pages.iter().all(|p| !p.items.is_empty()));
}

/// The CLI says how many pages it wrote, which is what pdfinfo counts, in both languages.
#[test]
fn cli_prints_the_page_count() {
    let dir = tempfile::tempdir().unwrap();
    let archive = example_copy(dir.path(), "tinh-uy");
    let before = std::fs::read(&archive).unwrap();
    for (lang, word) in [("vi", "trang A4"), ("en", "A4 pages")] {
        let out = dir.path().join(format!("{lang}.pdf"));
        let o = Command::new(env!("CARGO_BIN_EXE_tinnhiem"))
            .args(["ballots", archive.to_str().unwrap(), "-o"])
            .arg(&out)
            .args(["--lang", lang])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let said = String::from_utf8(o.stdout).unwrap();
        let pages = page_count(&out);
        assert!(said.contains(&format!("{pages} {word}")), "{said}");
        let s = archive::load(&archive).unwrap();
        for g in &s.groups {
            assert!(said.contains(&g.name), "{said}");
        }
    }
    assert_eq!(std::fs::read(&archive).unwrap(), before);
}

/// The same session gives the same bytes, two to a sheet and one per page alike.
#[test]
fn ballots_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    for s in [example(dir.path(), "tinh-uy"), with_cadres(dir.path(), 40)] {
        let o = copies(3, Lang::Vi);
        assert_eq!(ballots_pdf(&s, o).unwrap(), ballots_pdf(&s, o).unwrap());
    }
}

/// The app says the page count in the Documents menu before printing (on hovering "In phiếu
/// trống"), and under "Đã lưu tại …" once written: the pages pdfinfo counts.
#[cfg(feature = "gui")]
#[test]
fn app_says_the_page_count() {
    use crate::common::gui::{data_options, harness, type_into};
    use egui_kittest::kittest::Queryable as _;
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness(data_options(dir.path()));
    type_into(&mut h, "Người thao tác", "Phạm Văn Đức");
    h.get_by_label("chi-bo.ron").click();
    h.run();
    let count = h.state_mut().ballot_count().unwrap();
    let summary = count.summary(Lang::Vi);
    assert!(summary.starts_with(&format!("{} trang A4", count.pages())));
    h.get_by_label("Văn bản").click();
    h.run();
    h.get_by_label("In phiếu trống (PDF)…").hover();
    h.run();
    h.run();
    h.get_by_label_contains(&format!("Sẽ in {} trang A4", count.pages()));

    let pdf = dir.path().join("phieu.pdf");
    h.state_mut().write_ballots(&pdf).unwrap();
    assert_eq!(page_count(&pdf), count.pages());
    let (path, detail) = h.state().docs.saved_detail.clone().unwrap();
    assert_eq!((path, detail), (pdf, summary));
}

/// How many times `big` takes as long as `small`: the median over `pairs` runs of both, back
/// to back, so that the other work of a shared machine (the other tests) weighs on both alike.
fn growth(pairs: usize, mut small: impl FnMut(), mut big: impl FnMut()) -> f64 {
    let time = |f: &mut dyn FnMut()| {
        let start = std::time::Instant::now();
        f();
        start.elapsed().as_secs_f64()
    };
    let mut ratios: Vec<f64> = (0..pairs)
        .map(|_| {
            let a = time(&mut small);
            time(&mut big) / a
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios[pairs / 2]
}

/// A group's name four times as long costs well under 16 times the layout (what quadratic
/// would cost): under 8 times, the median of five pairs of runs. The running head was
/// shortened letter by letter and measured again on every page: cubic, 5,000 letters 0.25 s,
/// 20,000 8.6 s, 70,000 more than 120 s (issue 20). `ballot_layout` does not check the E004
/// limit, so the names may be long.
#[test]
fn long_group_name_lays_out_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let fonts = Fonts::load().unwrap();
    let named = |n: usize| {
        let mut s = example(dir.path(), "chi-bo");
        s.groups[0].name = "Nguyễn Văn ".chars().cycle().take(n).collect();
        s
    };
    let (short, long) = (named(1_250), named(5_000));
    let lay_out = |s: &Session| {
        for _ in 0..5 {
            let (pages, _) = ballot_layout(s, &fonts, copies(1, Lang::Vi));
            assert!(!pages.is_empty());
        }
    };
    let ratio = growth(5, || lay_out(&short), || lay_out(&long));
    eprintln!("group name of 5,000 characters: {ratio:.1}x the time of 1,250");
    assert!(ratio < 8.0, "4x the name: {ratio:.1}x the time");
}

/// The copies of a ballot are one page printed again and again: the distinct pages laid out
/// do not grow with the copies, and the file grows by a few bytes a page (each printing is a
/// page object sharing the one content stream), where every page had its own content stream
/// before (1.7 KB a page: 4.2 MB for 5,000 copies; issue 20). Readers still see every page:
/// pdfinfo counts them, qpdf finds nothing wrong, pdftotext reads the last ballot.
#[test]
fn copies_share_one_page() {
    let dir = tempfile::tempdir().unwrap();
    let s = example(dir.path(), "chi-bo");
    let fonts = Fonts::load().unwrap();
    let distinct = |n| ballot_layout(&s, &fonts, copies(n, Lang::Vi)).0.pages.len();
    assert_eq!(distinct(10), distinct(2_000));
    let (few, _) = ballots_pdf_counted(&s, copies(10, Lang::Vi)).unwrap();
    let (many, count) = ballots_pdf_counted(&s, copies(2_000, Lang::Vi)).unwrap();
    let more_pages = count.pages() - 6;
    assert!(
        many.len() - few.len() < 40 * more_pages,
        "{} bytes for {more_pages} more pages",
        many.len() - few.len()
    );
    let pdf = write(dir.path(), "many.pdf", &many);
    assert_eq!(page_count(&pdf), count.pages());
    let check = Command::new("qpdf")
        .arg("--check")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
    let last_ballot = (count.pages() - 1).to_string();
    let text = tool(
        "pdftotext",
        &[
            "-f",
            &last_ballot,
            "-l",
            &last_ballot,
            pdf.to_str().unwrap(),
            "-",
        ],
    );
    assert_eq!(text.matches("PHIẾU TÍN NHIỆM").count(), 2, "{text}");
}

/// Every node of the page tree has at most 256 kids: 10,000 pages are not one array of
/// 10,000 (PDF 1.7 gives 8,191 elements as a reader's limit), and the tree holds every page in
/// order, each printing of a copy with its content. Eight groups of 5,000 copies (80,000
/// pages) cost under 8x the time of two (the median of three pairs of runs): pruning the
/// file's objects was quadratic in them (issue 20).
#[test]
fn many_copies_make_a_balanced_page_tree() {
    let dir = tempfile::tempdir().unwrap();
    let s = with_cadres(dir.path(), 40);
    let groups = |n| {
        let mut more = s.clone();
        more.groups = (0..n).map(|_| s.groups[0].clone()).collect();
        more
    };
    let (s2, s8) = (groups(2), groups(8));
    let print = |s: &Session| {
        ballots_pdf_counted(s, copies(5_000, Lang::Vi)).unwrap();
    };
    let ratio = growth(3, || print(&s2), || print(&s8));
    eprintln!("ballots of 40,000 copies: {ratio:.1}x the time of 10,000");
    assert!(ratio < 8.0, "4x the copies: {ratio:.1}x the time");
    let (pdf, count) = ballots_pdf_counted(&s, copies(5_000, Lang::Vi)).unwrap();
    assert!(count.pages() > 10_000, "{count:?}");
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let mut nodes = 0;
    for object in doc.objects.values() {
        let Ok(d) = object.as_dict() else { continue };
        if d.get(b"Type").and_then(lopdf::Object::as_name).ok() == Some(b"Pages".as_slice()) {
            nodes += 1;
            let kids = d.get(b"Kids").and_then(lopdf::Object::as_array).unwrap();
            assert!(kids.len() <= 256, "{}", kids.len());
        }
    }
    assert!(nodes > 1);
    let pages = doc.get_pages();
    assert_eq!(pages.len(), count.pages());
    let contents = |page: u32| doc.get_page_content(pages[&page]);
    let per_copy = count.groups[0].pages_per_copy;
    let padded = per_copy.next_multiple_of(2);
    let last_copy = u32::try_from(padded * 4_999 + 1).unwrap();
    assert_eq!(contents(1), contents(last_copy));
    assert!(!contents(1).is_empty());
}

/// More than [`MAX_PAGES`] pages in all are refused, before anything is laid out, by the
/// core (the CLI and the app alike), with the count in both languages; the CLI exits 2 and
/// writes nothing.
#[test]
fn too_many_pages_refused() {
    use tinnhiem::documents::DocumentError;
    use tinnhiem::documents::ballots::MAX_PAGES;
    let dir = tempfile::tempdir().unwrap();
    let mut s = example(dir.path(), "chi-bo");
    let group = s.groups[0].clone();
    s.groups = (0..41)
        .map(|i| {
            let mut g = group.clone();
            g.name = format!("Nhóm {i}");
            g
        })
        .collect();
    let start = std::time::Instant::now();
    for result in [
        ballots_pdf_counted(&s, copies(5_000, Lang::Vi)).map(|_| ()),
        ballot_count(&s, copies(5_000, Lang::Vi)).map(|_| ()),
    ] {
        let Err(e @ DocumentError::TooManyPages { pages, max }) = result else {
            panic!("{result:?}");
        };
        assert!(pages > MAX_PAGES && max == MAX_PAGES, "{e}");
        let m = e.message();
        assert!(m.vi.contains(&MAX_PAGES.to_string()) && m.en.contains(&pages.to_string()));
    }
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
    let file = dir.path().join("41.ron");
    archive::save(&file, &s).unwrap();
    let out = dir.path().join("41.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_tinnhiem"))
        .args(["ballots", file.to_str().unwrap(), "--copies", "5000", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("quá giới hạn 100000 trang") && stderr.contains("over the limit"));
    assert!(!out.exists());
    // Twenty groups of 5,000 copies two to a sheet are 50,020 pages: they are written.
    s.groups.truncate(20);
    let count = ballot_count(&s, copies(5_000, Lang::Vi)).unwrap();
    assert_eq!(count.pages(), 50_020);
}

/// A copy of chi-bo whose first group's name is `name`, saved in `dir`.
fn with_group_name(dir: &Path, name: &str) -> PathBuf {
    let mut s = example(dir, "chi-bo");
    s.groups[0].name = name.to_owned();
    let file = dir.join(format!("named-{}.ron", name.chars().count()));
    archive::save(&file, &s).unwrap();
    file
}

/// The CLI's output of `args`: exit code and stderr (stdout for `check`).
fn cli(args: &[&str]) -> (Option<i32>, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_tinnhiem"))
        .args(args)
        .output()
        .unwrap();
    let text = if args[0] == "check" {
        o.stdout
    } else {
        o.stderr
    };
    (o.status.code(), String::from_utf8(text).unwrap())
}

/// `ballots` refuses the texts that `check` and `minutes` refuse (E004 a text over the limit,
/// E003 a character the documents cannot print) before laying anything out: exit 1, the
/// same finding line (code, field path, message) as theirs, nothing written. It used to lay
/// out any length (a 10 MB cadre name for more than 20 s; issue 20).
#[test]
fn ballots_refuse_the_texts_check_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let too_long = "Nguyễn Văn "
        .chars()
        .cycle()
        .take(5_001)
        .collect::<String>();
    for (name, code) in [(too_long.as_str(), "E004"), ("Nhóm \u{7}A", "E003")] {
        let file = with_group_name(dir.path(), name);
        let file = file.to_str().unwrap();
        let out = dir.path().join("out.pdf");
        let out = out.to_str().unwrap();
        let finding = |text: &str| {
            text.lines()
                .find(|l| l.contains(code))
                .and_then(|l| l.split_once(": "))
                .map(|(_, line)| line.to_owned())
                .unwrap_or_else(|| panic!("no {code} in {text}"))
        };
        let (status, checked) = cli(&["check", file]);
        assert_eq!(status, Some(1));
        let line = finding(&checked);
        assert!(
            line.starts_with(&format!("{code} groups[0].name: ")),
            "{line}"
        );
        let (status, minutes) = cli(&["minutes", file, "-o", out, "--allow-unlogged"]);
        assert_eq!((status, finding(&minutes)), (Some(1), line.clone()));
        let started = std::time::Instant::now();
        let (status, ballots) = cli(&["ballots", file, "-o", out]);
        assert_eq!(
            (status, finding(&ballots)),
            (Some(1), line.clone()),
            "{ballots}"
        );
        assert!(
            ballots.starts_with("Không xuất phiếu: tệp còn lỗi"),
            "{ballots}"
        );
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        assert!(!Path::new(out).exists());
    }
}

/// A cadre named with 10 million letters is refused at once, by the same rule, instead of
/// being laid out into ten thousand pages.
#[test]
fn ballots_refuse_a_ten_megabyte_name_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = example(dir.path(), "chi-bo");
    s.groups[0].cadres[0].name = "x".repeat(10_000_000);
    let started = std::time::Instant::now();
    let e = ballots_pdf_counted(&s, copies(1, Lang::Vi)).unwrap_err();
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    let m = e.message();
    assert!(
        m.en.contains("E004 groups[0].cadres[0].name: 10000000 characters long"),
        "{}",
        m.en
    );
    assert!(
        m.vi.starts_with("Không xuất phiếu: tệp còn lỗi:"),
        "{}",
        m.vi
    );
    assert!(ballot_count(&s, copies(1, Lang::Vi)).is_err());
}

/// The app's ballots go through the same core: over the limit, the hover says nothing and
/// writing them is refused with the finding `check` prints.
#[cfg(feature = "gui")]
#[test]
fn app_refuses_ballots_over_the_text_limit() {
    use crate::common::gui::harness;
    let dir = tempfile::tempdir().unwrap();
    let name = "Nhóm ".repeat(1_001);
    let file = with_group_name(dir.path(), &name);
    let mut h = harness(tinnhiem::app::Options {
        file: Some(file.clone()),
        data_dir: Some(dir.path().join("data")),
    });
    h.run();
    assert!(h.state_mut().ballot_count().is_none());
    let pdf = dir.path().join("phieu.pdf");
    let e = h.state_mut().write_ballots(&pdf).unwrap_err();
    let (_, checked) = cli(&["check", file.to_str().unwrap()]);
    let line = checked.lines().find(|l| l.contains("E004")).unwrap();
    let line = line.split_once(": ").unwrap().1;
    assert!(e.vi.contains(&format!("• {line}")), "{}", e.vi);
    assert!(!pdf.exists());
}
