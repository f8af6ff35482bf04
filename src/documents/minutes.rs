//! The minutes of the count (biên bản kiểm phiếu), laid out as party documents are under
//! Hướng dẫn 36-HD/VPTW, or as state documents under Nghị định 30/2020/NĐ-CP for the HĐND and
//! Quốc hội profiles (`domain.md` §4).
//!
//! Every figure comes from [`crate::tally::tally`]; this module only words and places them.
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use super::layout::{
    Cell, Decorations, Fit, Fonts, Item, Layout, Page, Para, Style, Table, line_height, mm, qr_runs,
};
use super::render::{PdfMeta, Printing, to_pdf};
use super::{DocumentError, common};
use crate::fingerprint::{Fingerprint, fingerprint};
use crate::model::{Level, Session};
use crate::rules::{DocumentStyle, QD41};
use crate::tally::{CadreTally, GroupTally, QuestionTally, Tally, tally};
use crate::text::Lang;

/// How to print the minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MinutesOptions {
    /// The language of the labels (the session's own texts are printed as entered).
    pub lang: Lang,
    /// Print the "BẢN NHÁP" (draft) mark: the session is not finalised.
    pub draft: bool,
    /// Append the audit log as an annex ("Nhật ký nhập liệu").
    pub audit_annex: bool,
}

impl MinutesOptions {
    /// The options a session calls for: a draft mark unless it is final.
    #[must_use]
    pub fn for_session(session: &Session, lang: Lang) -> Self {
        Self {
            lang,
            draft: !session.is_final(),
            audit_annex: false,
        }
    }
}

/// Body text size (Hướng dẫn 36 and Nghị định 30: 13–14 pt).
const BODY: f32 = 14.0;
/// Table text size, smaller so that nine columns fit the page.
const TABLE: f32 = 11.0;

/// Picks the label of `lang`.
fn tr<'a>(lang: Lang, vi: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

/// The minutes as a PDF.
///
/// # Errors
///
/// As [`minutes_pdf_and_fingerprint`].
pub fn minutes_pdf(session: &Session, options: MinutesOptions) -> Result<Vec<u8>, DocumentError> {
    minutes_pdf_and_fingerprint(session, options).map(|(pdf, _)| pdf)
}

/// The minutes as a PDF, with the session's fingerprint they print: whoever logs the export
/// needs it too, and taking it again cost a twentieth of the 200-cadre minutes.
///
/// # Errors
///
/// [`DocumentError::SealBroken`] for a final session that no longer matches its seal,
/// [`DocumentError::MissingGlyph`] for a text with a character the fonts cannot print,
/// [`DocumentError::Font`] or [`DocumentError::Pdf`] if the fonts or the PDF writer fail.
pub fn minutes_pdf_and_fingerprint(
    session: &Session,
    options: MinutesOptions,
) -> Result<(Vec<u8>, Fingerprint), DocumentError> {
    if let Some(check) = crate::lifecycle::broken_seal(session) {
        return Err(DocumentError::SealBroken(check.message()));
    }
    let fonts = Fonts::load()?;
    let fp = fingerprint(session);
    let pages = minutes_pages(session, &fonts, options, fp);
    let lang = options.lang;
    let meta = PdfMeta {
        title: format!(
            "{} - {}",
            tr(lang, "Biên bản kiểm phiếu", "Minutes of the count"),
            session.meta.conference
        ),
        author: session.meta.issuing_body.clone(),
        subject: subject_line(session, lang),
        keywords: vec![
            tr(lang, "biên bản kiểm phiếu", "minutes").to_owned(),
            tr(lang, "lấy phiếu tín nhiệm", "confidence vote").to_owned(),
            format!("{}{fp}", crate::fingerprint::PDF_KEYWORD),
            // The log as it is before this export is logged: `verify --archive` checks that
            // the archive still holds it (entries cut from the end of the log show).
            crate::model::LogPin::of(&session.audit).keyword(),
        ]
        .into_iter()
        // A draft says so to the signing code, which refuses it.
        .chain(
            options
                .draft
                .then(|| crate::signing::DRAFT_KEYWORD.to_owned()),
        )
        .collect(),
        date: session.meta.date,
        id: fp.to_string().chars().take(32).collect(),
        printing: Printing::OneSidedFullSize,
        lang,
        archival: true,
    };
    Ok((to_pdf(&pages, &fonts, &meta)?, fp))
}

/// The minutes laid out, for the PDF and for tests.
#[must_use]
pub fn minutes_pages(
    session: &Session,
    fonts: &Fonts,
    options: MinutesOptions,
    fp: Fingerprint,
) -> Vec<Page> {
    let lang = options.lang;
    let t = tally(session);
    let style = session.profile.profile().document_style;
    let mut l = Layout::new(fonts, super::layout::Geometry::a4_official());
    common::header(&mut l, session, style, lang, true);
    l.space(BODY);
    l.para(
        &Para::new(
            tr(lang, "BIÊN BẢN KIỂM PHIẾU", "MINUTES OF THE COUNT"),
            Style::Bold,
            16.0,
        )
        .center(),
    );
    l.para(&Para::new(subject_line(session, lang), Style::Bold, BODY).center());
    common::short_rule(&mut l);
    l.space(BODY * 0.5);
    opening(&mut l, session, style, lang);
    for (i, g) in t.groups.iter().enumerate() {
        group_section(&mut l, session, &t, i, g, lang);
    }
    proceedings(&mut l, session, lang);
    closing(&mut l, session, lang);
    signatures(&mut l, session, style, lang);
    teams_annex(&mut l, session, lang);
    if options.audit_annex {
        audit_annex(&mut l, session, lang);
    }
    let mut footer = format!("{}: {}", common::FINGERPRINT.get(lang), fp.short());
    if options.draft {
        footer = format!(
            "{} · {footer}",
            tr(
                lang,
                "BẢN NHÁP (chưa phải biên bản chính thức)",
                "DRAFT (not the final minutes)"
            )
        );
    }
    l.finish(&Decorations {
        footer: Some(footer),
        page_numbers: true,
        watermark: options.draft.then(|| common::DRAFT.get(lang).to_owned()),
        last_page_lines: vec![format!(
            "{} (SHA-256): {fp}",
            tr(lang, "Mã kiểm tra đầy đủ", "Full fingerprint")
        )],
        last_page_qr: qr_runs(&format!("tinnhiem:sha256:{fp}")),
        running_head: None,
    })
}

/// "Lấy phiếu tín nhiệm đối với Ban Thường vụ Tỉnh ủy" (groups joined by "; ").
fn subject_line(session: &Session, lang: Lang) -> String {
    let names: Vec<&str> = session
        .groups
        .iter()
        .map(|g| g.name.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    format!(
        "{} {}",
        tr(lang, "Lấy phiếu tín nhiệm đối với", "Confidence vote on"),
        names.join("; ")
    )
}

/// A body paragraph: justified, first line indented (Nghị định 30 Phụ lục I).
fn body_para(text: impl AsRef<str>) -> Para {
    Para::new(text, Style::Regular, BODY)
        .indent(super::layout::mm(10.0))
        .justify()
}

/// Space between body paragraphs, none inside one (Hướng dẫn 36, Nghị định 30: at least
/// 6 pt). The layout drops it at the top of a page.
const PARA_GAP: f32 = 6.0;

fn body(l: &mut Layout<'_>, text: impl AsRef<str>) {
    l.space(PARA_GAP);
    l.para(&body_para(text));
}

/// A body line that introduces what follows ("… gồm:"): never last on a page.
fn lead_in(l: &mut Layout<'_>, text: impl AsRef<str>) {
    l.space(PARA_GAP);
    l.para(&body_para(text).keep_with_next());
}

/// The built-in opening: "Hôm nay, vào lúc …, ngày …, tại …, <conference> tiến hành lấy phiếu
/// tín nhiệm theo <rules>.", each part left out while empty.
fn opening_sentence(session: &Session, lang: Lang) -> String {
    let m = &session.meta;
    let mut when = Vec::new();
    if !m.time.is_empty() {
        when.push(format!("{} {}", tr(lang, "vào lúc", "at"), m.time));
    }
    if let Some(d) = m.date {
        when.push(match lang {
            Lang::Vi => d.vietnamese_long(),
            Lang::En => format!("on {}", d.vietnamese_short()),
        });
    }
    if !m.venue.is_empty() {
        when.push(format!("{} {}", tr(lang, "tại", "at"), m.venue));
    }
    let profile = session.profile.profile();
    format!(
        "{} {}, {} {}.",
        tr(lang, "Hôm nay,", "Today,"),
        when.join(", "),
        m.conference,
        match lang {
            Lang::Vi => format!("tiến hành lấy phiếu tín nhiệm theo {}", profile.name.vi),
            Lang::En => format!("held a confidence vote under {}", profile.name.en),
        }
    )
}

fn opening(l: &mut Layout<'_>, session: &Session, style: DocumentStyle, lang: Lang) {
    // The locality's own wording, when it set one that parses (validation reports one that
    // does not, and the built-in wording stands in).
    let text = session
        .minutes
        .opening
        .as_deref()
        .and_then(|t| crate::template::fill(t, session, lang))
        .unwrap_or_else(|| opening_sentence(session, lang));
    body(l, text);
    let (chair, comrade) = match style {
        DocumentStyle::Party => (
            tr(lang, "Chủ trì hội nghị", "Chair"),
            tr(lang, "đồng chí ", ""),
        ),
        DocumentStyle::State => (tr(lang, "Chủ tọa", "Chair"), ""),
    };
    body(
        l,
        format!("{chair}: {comrade}{}.", common::name_role(&session.chair)),
    );
    if !session.secretary.name.is_empty() {
        body(
            l,
            format!(
                "{}: {comrade}{}.",
                tr(lang, "Thư ký", "Secretary"),
                common::name_role(&session.secretary)
            ),
        );
    }
    if !session.proceedings.absences.trim().is_empty() {
        body(
            l,
            format!(
                "{}: {}.",
                tr(lang, "Vắng mặt", "Absent"),
                session.proceedings.absences.trim().trim_end_matches('.')
            ),
        );
    }
    let committee = match session.proceedings.committee_chosen {
        Some(crate::model::CommitteeChosen::Elected) => tr(
            lang,
            "Hội nghị đã bầu Ban kiểm phiếu gồm:",
            "The conference elected the counting committee:",
        ),
        Some(crate::model::CommitteeChosen::Approved) => tr(
            lang,
            "Hội nghị đã biểu quyết thông qua Ban kiểm phiếu gồm:",
            "The conference approved the counting committee:",
        ),
        None => tr(lang, "Ban kiểm phiếu gồm:", "The counting committee:"),
    };
    lead_in(l, committee);
    for (i, p) in session.committee.iter().enumerate() {
        let role = if p.role.is_empty() {
            if i == 0 {
                tr(lang, "Trưởng ban", "Head")
            } else {
                tr(lang, "Thành viên", "Member")
            }
        } else {
            p.role.as_str()
        };
        // "1. Đồng chí Hà Văn Mạnh, Trưởng ban": a list item starts with a capital.
        let comrade = match comrade.chars().next() {
            Some(first) => format!("{}{}", first.to_uppercase(), &comrade[first.len_utf8()..]),
            None => String::new(),
        };
        body(l, format!("{}. {comrade}{}, {role}", i + 1, p.name));
    }
    lead_in(
        l,
        tr(
            lang,
            "Ban kiểm phiếu đã tiến hành kiểm phiếu; kết quả như sau:",
            "The counting committee counted the ballots with the following results:",
        ),
    );
}

/// A figure, or what stands for one not entered.
fn num(v: Option<u32>) -> String {
    v.map_or_else(|| common::NOT_ENTERED.to_owned(), |n| n.to_string())
}

/// "Label: n; label: n.": a sentence of figures, each labelled in `lang`.
fn facts(lang: Lang, items: &[((&str, &str), Option<u32>)]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|((vi, en), n)| format!("{}: {}", tr(lang, vi, en), num(*n)))
        .collect();
    format!("{}.", parts.join("; "))
}

fn group_section(
    l: &mut Layout<'_>,
    session: &Session,
    t: &Tally,
    i: usize,
    g: &GroupTally,
    lang: Lang,
) {
    l.space(BODY * 0.5);
    l.para(
        &Para::new(
            format!(
                "{}. {} {}",
                roman(i + 1),
                tr(lang, "Kết quả lấy phiếu đối với", "Results for"),
                g.name
            ),
            Style::Bold,
            BODY,
        )
        .keep_with_next(),
    );
    figures(l, t, g, lang);
    if let Some(scan) = session.groups.get(i).map(|grp| &grp.scan)
        && scan.sheets > 0
    {
        // How the sheets were counted (issue 23): by the scanner, and which lines people
        // decided; the decisions themselves are in the log annex.
        body(
            l,
            match lang {
                Lang::Vi => format!(
                    "Trong đó {} phiếu đọc bằng máy quét, {} dòng do Ban kiểm phiếu quyết định.",
                    scan.sheets, scan.decided_lines
                ),
                Lang::En => format!(
                    "Of these, {} sheets were read by scanner, {} lines decided by the counting committee.",
                    scan.sheets, scan.decided_lines
                ),
            },
        );
    }
    l.space(4.0);
    let counted: Vec<&CadreTally> = g.cadres.iter().filter(|c| c.exemption.is_none()).collect();
    let profile = session.profile.profile();
    let cols = Columns {
        lang,
        bands: Some(profile.bands),
        ranking: session.minutes.ranking,
    };
    let table = results_table(l, &counted, |c| c.overall.as_ref(), cols);
    l.table(&table);
    l.space(4.0);
    columns_note(l, &counted, lang);
    for (k, name) in g.criteria.iter().enumerate() {
        l.space(BODY * 0.5);
        // The heading and its note stay with the top of the criterion's table.
        l.para(
            &Para::new(
                format!("{} {}: {name}", tr(lang, "Tiêu chí", "Criterion"), k + 1),
                Style::BoldItalic,
                BODY,
            )
            .keep_with_next(),
        );
        lead_in(
            l,
            tr(
                lang,
                "(Kết quả tham khảo theo tiêu chí; kết quả chính thức là bảng trên.)",
                "(Per-criterion results for reference; the official result is the table above.)",
            ),
        );
        let table = results_table(
            l,
            &counted,
            |c| c.criteria.get(k).and_then(Option::as_ref),
            Columns {
                bands: None,
                ..cols
            },
        );
        l.table(&table);
    }
    bands(l, session, g, lang);
    exempt(l, g, lang);
}

/// Attendance, quorum, ballots and the base of percentages.
fn figures(l: &mut Layout<'_>, t: &Tally, g: &GroupTally, lang: Lang) {
    let profile = t.profile.profile();
    let v = &g.voters;
    body(
        l,
        facts(
            lang,
            &[
                (("Số người được triệu tập", "Summoned"), v.summoned),
                (("có mặt", "present"), v.present),
                (("vắng mặt", "absent"), v.absent()),
            ],
        ),
    );
    let q = profile.quorum.bound;
    body(
        l,
        match (lang, g.quorum_met) {
            (Lang::Vi, true) => format!(
                "Số người có mặt đạt từ {}/{} số người được triệu tập trở lên, đủ điều kiện tiến hành ({}).",
                q.num, q.den, profile.quorum.citation.vi
            ),
            (Lang::Vi, false) => format!(
                "Số người có mặt chưa đạt {}/{} số người được triệu tập ({}).",
                q.num, q.den, profile.quorum.citation.vi
            ),
            (Lang::En, true) => format!(
                "At least {}/{} of those summoned are present: the quorum is met ({}).",
                q.num, q.den, profile.quorum.citation.en
            ),
            (Lang::En, false) => format!(
                "Fewer than {}/{} of those summoned are present: the quorum is not met ({}).",
                q.num, q.den, profile.quorum.citation.en
            ),
        },
    );
    body(
        l,
        facts(
            lang,
            &[
                (("Số phiếu phát ra", "Ballots issued"), v.issued),
                (("số phiếu thu về", "collected"), v.collected),
                (("số phiếu hợp lệ", "valid"), g.valid_sheets),
                (("số phiếu không hợp lệ", "void"), v.void_sheets),
            ],
        ),
    );
    body(
        l,
        format!(
            "{} {} ({}).",
            tr(
                lang,
                "Tỉ lệ phần trăm tính trên",
                "Percentages are taken over"
            ),
            t.base_kind.label().get(lang),
            num(g.base),
        ),
    );
}

fn roman(n: usize) -> String {
    const R: [&str; 10] = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"];
    R.get(n - 1)
        .map_or_else(|| n.to_string(), |s| (*s).to_owned())
}

/// What a results table shows besides the shares.
#[derive(Clone, Copy)]
struct Columns<'a> {
    lang: Lang,
    /// The profile's bands, for the "Ghi chú" column of the official table (`None` for the
    /// per-criterion tables, which decide nothing).
    bands: Option<&'a [crate::rules::Band]>,
    /// The "Xếp thứ" column (rank by "tín nhiệm cao").
    ranking: bool,
}

/// Table sizes tried in turn, largest first: the largest that keeps every name on one line.
const TABLE_SIZES: [f32; 3] = [TABLE, 10.5, 10.0];

/// The results table: STT; name with the position below it; count and % of each level; the
/// lines void for the cadre ("Không hợp lệ"); the rank, if asked; the band ("Ghi chú").
///
/// Name and position share one column: eleven columns leave no room for a separate position
/// column wide enough (the old 30 mm one wrapped positions to 4–5 lines). The columns are
/// sized from their content; the name's line is never broken.
fn results_table<'a>(
    l: &Layout<'_>,
    cadres: &[&'a CadreTally],
    question: impl Fn(&'a CadreTally) -> Option<&'a QuestionTally>,
    cols: Columns<'_>,
) -> Table {
    let lang = cols.lang;
    let mut top = vec![
        Cell::head(tr(lang, "STT", "No.")).rows(2),
        Cell::head(tr(lang, "Họ và tên, chức vụ", "Name and position")).rows(2),
    ];
    let mut second = Vec::new();
    let mut fits = vec![Fit::Natural, Fit::Rest(0.0)];
    for level in Level::ALL {
        top.push(Cell::head(level.label().get(lang)).span(2));
        second.push(Cell::head(tr(lang, "Số\nphiếu", "Votes")));
        second.push(Cell::head(tr(lang, "Tỉ lệ", "Share")));
        fits.extend([Fit::Natural, Fit::Natural]);
    }
    top.push(Cell::head(tr(lang, "Không\nhợp lệ", "Void\nlines")).rows(2));
    fits.push(Fit::Natural);
    if cols.ranking {
        top.push(Cell::head(tr(lang, "Xếp\nthứ", "Rank")).rows(2));
        fits.push(Fit::Natural);
    }
    if cols.bands.is_some() {
        top.push(Cell::head(tr(lang, "Ghi chú", "Note")).rows(2));
        fits.push(Fit::Wrap(mm(22.0)));
    }
    let width = fits.len();
    // One STT everywhere: the cadre's place in the group's list, exempt cadres counted, as
    // the setup, the CSV and the ballots number them.
    let rows: Vec<Vec<Cell>> = cadres
        .iter()
        .map(|c| {
            let who = if c.position.trim().is_empty() {
                c.name.clone()
            } else {
                format!("{}\n{}", c.name, c.position.trim())
            };
            let mut row = vec![
                Cell::new((c.index + 1).to_string()).center(),
                Cell::new(who),
            ];
            match question(c) {
                Some(q) => {
                    for share in [q.high, q.medium, q.low] {
                        row.push(Cell::new(share.count.to_string()).center());
                        row.push(Cell::new(share.fraction.percent_display(lang)).center());
                    }
                    row.push(
                        Cell::new(q.invalid_lines.map_or_else(
                            || common::NOT_ENTERED.to_owned(),
                            |s| s.count.to_string(),
                        ))
                        .center(),
                    );
                }
                None => row.push(
                    Cell::new(tr(lang, "chưa đủ số liệu", "incomplete"))
                        .italic()
                        .center()
                        .span(7),
                ),
            }
            if cols.ranking {
                row.push(Cell::new(c.rank.map(|r| r.to_string()).unwrap_or_default()).center());
            }
            if let Some(bands) = cols.bands {
                let note = bands
                    .iter()
                    .find(|b| c.band == Some(b.id))
                    .map(|b| note_lines(b.short.get(lang)))
                    .unwrap_or_default();
                row.push(Cell::new(note));
            }
            debug_assert_eq!(row.iter().map(|c| c.span).sum::<usize>(), width);
            row
        })
        .collect();
    let names: Vec<&str> = cadres.iter().map(|c| c.name.as_str()).collect();
    let total = l.geometry.content_width();
    let mut table = Table {
        widths: Vec::new(),
        header: vec![top, second],
        rows,
        size: TABLE,
        min_row_height: 0.0,
        header_fill: 0.92,
    };
    for size in TABLE_SIZES {
        table.size = size;
        table.fit(l.fonts, &fits, total);
        let longest = names
            .iter()
            .map(|n| l.fonts.width(Style::Regular, size, n))
            .fold(0.0, f32::max);
        if table.widths.iter().sum::<f32>() <= total + 0.01 && longest + 7.0 <= table.widths[1] {
            break;
        }
    }
    table
}

/// A band's bounds in two lines where a person would break them ("Trên 50%" / "đến dưới
/// 2/3", "Từ 2/3" / "trở lên"), so that the "Ghi chú" column stays narrow and "trở lên" is
/// never split.
pub fn note_lines(short: &str) -> String {
    for at in [" đến ", " trở ", ", "] {
        if let Some(i) = short.find(at) {
            let (a, b) = short.split_at(i);
            return format!(
                "{}\n{}",
                a.trim_end_matches(','),
                b.trim_start_matches(',').trim()
            );
        }
    }
    short.to_owned()
}

/// What the "Không hợp lệ" column counts, under the official table.
fn columns_note(l: &mut Layout<'_>, cadres: &[&CadreTally], lang: Lang) {
    if cadres.is_empty() {
        return;
    }
    l.para(
        &Para::new(
            tr(
                lang,
                "Cột \u{201c}Không hợp lệ\u{201d}: số phiếu không hợp lệ riêng đối với từng đồng chí (không đánh dấu hoặc đánh dấu nhiều ô). Cột \u{201c}Ghi chú\u{201d}: trường hợp theo quy định (mục dưới đây).",
                "\u{201c}Void lines\u{201d}: ballots void for that cadre only (no box or several boxes ticked). \u{201c}Note\u{201d}: the case under the rules (below).",
            ),
            Style::Italic,
            TABLE,
        )
        .justify(),
    );
}

/// Up to this many cadres a band sentence names in full; more are listed by STT.
const NAMED_IN_FULL: usize = 5;

/// What each band means, with its citation, and who falls in it; then the QĐ 41 facts.
fn bands(l: &mut Layout<'_>, session: &Session, g: &GroupTally, lang: Lang) {
    let profile = session.profile.profile();
    l.space(BODY * 0.5);
    lead_in(
        l,
        format!(
            "{} {}:",
            tr(lang, "Đối chiếu", "Under"),
            profile.name.get(lang)
        ),
    );
    // Each cadre by STT, name and position (two cadres may share a name); a long list by STT
    // alone, since the table's "Ghi chú" column already marks each of them.
    let names = |it: Vec<&CadreTally>| {
        if it.is_empty() {
            return tr(lang, "không có", "none").to_owned();
        }
        if it.len() > NAMED_IN_FULL {
            let numbers: Vec<String> = it.iter().map(|c| (c.index + 1).to_string()).collect();
            return match lang {
                Lang::Vi => format!("{} đồng chí, STT {}", it.len(), numbers.join(", ")),
                Lang::En => format!("{} cadres, nos. {}", it.len(), numbers.join(", ")),
            };
        }
        it.iter()
            .map(|c| {
                let no = format!("{} {}", tr(lang, "số", "no."), c.index + 1);
                if c.position.trim().is_empty() {
                    format!("{no}, {}", c.name)
                } else {
                    format!("{no}, {}, {}", c.name, c.position)
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let state_body = session.state_body();
    for band in profile.bands {
        body(
            l,
            format!(
                "- {}: {} ({}). {}: {}.",
                band.label.get(lang),
                band.consequence_for(state_body, lang),
                band.citation.get(lang),
                tr(lang, "Thuộc trường hợp này", "Cadres in this band"),
                names(g.in_band(band.id).collect())
            ),
        );
    }
    if session.qd41_applies() {
        body(
            l,
            format!(
                "- {} ({}): {}.",
                QD41.resign_text.get(lang),
                QD41.citation.get(lang),
                names(g.cadres.iter().filter(|c| c.qd41.resign_ground).collect())
            ),
        );
        body(
            l,
            format!(
                "- {} ({}): {}.",
                QD41.dismiss_text.get(lang),
                QD41.citation.get(lang),
                names(g.cadres.iter().filter(|c| c.qd41.dismiss_ground).collect())
            ),
        );
    }
}

fn exempt(l: &mut Layout<'_>, g: &GroupTally, lang: Lang) {
    let list: Vec<String> = g
        .cadres
        .iter()
        .filter_map(|c| {
            let reason = c.exemption.as_ref()?;
            Some(format!("{} ({}): {reason}", c.name, c.position))
        })
        .collect();
    if list.is_empty() {
        return;
    }
    lead_in(
        l,
        tr(
            lang,
            "Không lấy phiếu tín nhiệm đối với:",
            "Exempt from the vote:",
        ),
    );
    for item in list {
        body(l, format!("- {item}."));
    }
}

/// The end of the count as the secretary recorded it: when it ended, where the sealed ballots
/// went, the complaints; each sentence only when its part is filled in.
fn proceedings(l: &mut Layout<'_>, session: &Session, lang: Lang) {
    let p = &session.proceedings;
    let clean = |t: &str| t.trim().trim_end_matches('.').to_owned();
    let mut lines = Vec::new();
    if !p.count_ended.trim().is_empty() {
        lines.push(format!(
            "{} {}.",
            tr(lang, "Việc kiểm phiếu kết thúc lúc", "The count ended at"),
            clean(&p.count_ended)
        ));
    }
    if !p.sealed_to.trim().is_empty() {
        lines.push(format!(
            "{} {}.",
            tr(
                lang,
                "Sau khi kiểm phiếu, toàn bộ phiếu đã được niêm phong và giao cho",
                "After the count all ballots were sealed and handed to",
            ),
            clean(&p.sealed_to)
        ));
    }
    match p.remarks.as_deref().map(str::trim) {
        Some("") => lines.push(
            tr(
                lang,
                "Trong quá trình kiểm phiếu không có khiếu nại.",
                "There were no complaints during the count.",
            )
            .to_owned(),
        ),
        Some(text) => lines.push(format!(
            "{}: {}.",
            tr(
                lang,
                "Khiếu nại, ý kiến trong quá trình kiểm phiếu",
                "Complaints and remarks during the count",
            ),
            clean(text)
        )),
        None => {}
    }
    if !lines.is_empty() {
        l.space(BODY * 0.5);
    }
    for line in lines {
        body(l, line);
    }
}

/// The closing line, kept with the signatures that follow it.
fn closing(l: &mut Layout<'_>, session: &Session, lang: Lang) {
    l.space(BODY * 0.5);
    let custom = session
        .minutes
        .closing
        .as_deref()
        .and_then(|t| crate::template::fill(t, session, lang));
    let mut text = custom.unwrap_or_else(|| {
        tr(
            lang,
            crate::template::DEFAULT_CLOSING,
            "The counting committee drew up these minutes, announced the results to the conference and signs below.",
        )
        .to_owned()
    });
    let copies_stated = session
        .minutes
        .closing
        .as_deref()
        .is_some_and(|t| crate::template::uses(t, crate::template::Field::Copies));
    if let Some(n) = session.proceedings.copies.filter(|_| !copies_stated) {
        text.push(' ');
        text.push_str(&match lang {
            Lang::Vi => format!("Biên bản được lập thành {n:02} bản."),
            Lang::En => format!("These minutes are made in {n} copies."),
        });
    }
    lead_in(l, text);
}

/// Signature blocks: the head of the counting committee and the chair side by side, then every
/// member named with room to sign. Each block stays on one page.
fn signatures(l: &mut Layout<'_>, session: &Session, style: DocumentStyle, lang: Lang) {
    let g = l.geometry;
    let half = g.content_width() / 2.0;
    let sign_gap = BODY * 4.5;
    let (tm, chair_title) = match style {
        DocumentStyle::Party => (
            tr(lang, "T/M BAN KIỂM PHIẾU", "FOR THE COUNTING COMMITTEE"),
            tr(lang, "CHỦ TRÌ HỘI NGHỊ", "CHAIR OF THE CONFERENCE"),
        ),
        DocumentStyle::State => (
            tr(lang, "TM. BAN KIỂM PHIẾU", "FOR THE COUNTING COMMITTEE"),
            tr(lang, "CHỦ TỌA", "CHAIR"),
        ),
    };
    let head = session
        .committee
        .first()
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let sign_here = || {
        Para::new(
            tr(lang, "(Ký, ghi rõ họ tên)", "(Signature and full name)"),
            Style::Italic,
            BODY - 2.0,
        )
        .center()
    };
    let block = |mut title: Vec<&str>, name: &str| {
        // Both blocks get the same number of title lines so that the names line up.
        title.resize(2, " ");
        let mut v: Vec<Para> = title
            .into_iter()
            .map(|t| Para::new(t, Style::Bold, BODY).center())
            .collect();
        v.push(sign_here());
        v.push(Para::new(" ", Style::Regular, sign_gap / 1.22));
        v.push(Para::new(name, Style::Bold, BODY).center());
        v
    };
    // Keep the whole signature section on one page when it fits on one.
    let lh = line_height(BODY);
    let rows = session.committee.len().saturating_sub(1).div_ceil(2);
    let mut total = BODY + 3.0 * lh + line_height(BODY - 2.0) + sign_gap;
    if rows > 0 {
        total +=
            1.5 * BODY + lh + rows as f32 * (line_height(BODY - 2.0) + sign_gap + lh + 0.5 * BODY);
    }
    if !session.secretary.name.trim().is_empty() {
        total += 0.5 * BODY + 2.0 * lh + line_height(BODY - 2.0) + sign_gap;
    }
    if total < g.height - g.top - g.bottom {
        l.ensure(total);
    }
    l.space(BODY);
    l.columns(&[
        (
            g.left,
            half,
            block(vec![tm, tr(lang, "TRƯỞNG BAN", "HEAD")], &head),
        ),
        (
            g.left + half,
            half,
            block(vec![chair_title], &session.chair.name),
        ),
    ]);
    let blocks = signature_blocks(session, lang);
    signature_fields(l, &blocks, sign_gap);
    let members: Vec<&crate::model::Person> = session.committee.iter().skip(1).collect();
    if !members.is_empty() {
        member_signatures(
            l,
            (&members, blocks.get(2..).unwrap_or_default()),
            (sign_gap, lang),
            &sign_here,
        );
    }
    // The conference's secretary, named in the body, signs too.
    if !session.secretary.name.trim().is_empty() {
        let title = match style {
            DocumentStyle::Party => tr(lang, "THƯ KÝ HỘI NGHỊ", "SECRETARY OF THE CONFERENCE"),
            DocumentStyle::State => tr(lang, "THƯ KÝ", "SECRETARY"),
        };
        let v = vec![
            Para::new(title, Style::Bold, BODY).center(),
            sign_here(),
            Para::new(" ", Style::Regular, sign_gap / 1.22),
            Para::new(&session.secretary.name, Style::Bold, BODY).center(),
        ];
        l.space(BODY * 0.5);
        l.columns(&[(g.left + half / 2.0, half, v)]);
        if let Some(b) = blocks.last() {
            field_above_name(l, (g.left + half / 2.0, half), b, sign_gap);
        }
    }
}

/// A block of the minutes that is signed: its role, which names its signature field (unique
/// in the form), and the person printed under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureBlock {
    /// "Trưởng ban kiểm phiếu", "Chủ trì hội nghị", "Thành viên Ban kiểm phiếu 2", "Thư ký
    /// hội nghị".
    pub role: String,
    /// The name printed under the block.
    pub person: String,
}

/// Every block of the minutes that is signed, in the order the minutes lay them out (their
/// fields' order): the head of the counting committee, the chair, the other members (numbered
/// as the minutes list the committee), the secretary when named. Issue 24 §2: everyone who
/// signs on paper can sign digitally; the app offers these blocks by their person.
#[must_use]
pub fn signature_blocks(session: &Session, lang: Lang) -> Vec<SignatureBlock> {
    let style = session.profile.profile().document_style;
    let block = |role: &str, person: &str| SignatureBlock {
        role: role.to_owned(),
        person: person.trim().to_owned(),
    };
    let mut out = vec![
        block(
            tr(
                lang,
                "Trưởng ban kiểm phiếu",
                "Head of the counting committee",
            ),
            session.committee.first().map_or("", |p| p.name.as_str()),
        ),
        block(
            match style {
                DocumentStyle::Party => tr(lang, "Chủ trì hội nghị", "Chair of the conference"),
                DocumentStyle::State => tr(lang, "Chủ tọa", "Chair"),
            },
            &session.chair.name,
        ),
    ];
    for (i, p) in session.committee.iter().enumerate().skip(1) {
        let role = match lang {
            Lang::Vi => format!("Thành viên Ban kiểm phiếu {}", i + 1),
            Lang::En => format!("Counting committee member {}", i + 1),
        };
        out.push(block(&role, &p.name));
    }
    if !session.secretary.name.trim().is_empty() {
        out.push(block(
            match style {
                DocumentStyle::Party => tr(lang, "Thư ký hội nghị", "Secretary of the conference"),
                DocumentStyle::State => tr(lang, "Thư ký", "Secretary"),
            },
            &session.secretary.name,
        ));
    }
    out
}

/// What the minutes' signature fields say of the people printed under them, against the
/// archive's blocks ([`signature_blocks`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockPeople {
    /// The fields name nobody (minutes of an older build): nothing to hold against.
    Unstated,
    /// Each field names the person of its block, in order.
    Match,
    /// They differ: the fields' people and the archive's.
    Mismatch {
        /// As the PDF's fields name them ("—" for none).
        found: Vec<String>,
        /// As the archive has them.
        want: Vec<String>,
    },
}

/// Whether the signature fields of `pdf` name the people of `session`'s blocks (issue 24 §1):
/// a field's printed person is what a certificate is matched against, and a file made
/// elsewhere could name someone else there than under the box.
#[must_use]
pub fn block_people(pdf: &[u8], session: &Session) -> BlockPeople {
    let found = crate::signing::field_people(pdf);
    if found.iter().all(Option::is_none) {
        return BlockPeople::Unstated;
    }
    let want: Vec<String> = signature_blocks(session, Lang::Vi)
        .into_iter()
        .map(|b| b.person)
        .collect();
    let same = found.len() == want.len()
        && found.iter().zip(&want).all(|(f, w)| {
            f.as_deref().is_some_and(|f| {
                crate::signing::names::match_names(f, w) == crate::signing::names::NameMatch::Same
            })
        });
    if same {
        BlockPeople::Match
    } else {
        BlockPeople::Mismatch {
            found: found
                .into_iter()
                .map(|p| p.unwrap_or_else(|| "—".into()))
                .collect(),
            want,
        }
    }
}

/// The head of the counting committee and the chair sign first (issue 13): a signature field
/// in the room left to sign in above each name of the blocks just laid out (head left, chair
/// right), so that the signature is seen where the signer's block is. Each field names its
/// block's role and the person printed under it, whom a certificate must name (issue 24 §1).
fn signature_fields(l: &mut Layout<'_>, blocks: &[SignatureBlock], sign_gap: f32) {
    let g = l.geometry;
    let half = g.content_width() / 2.0;
    for (i, b) in blocks.iter().take(2).enumerate() {
        field_above_name(l, (g.left + half * i as f32, half), b, sign_gap);
    }
}

/// A signature field in the room to sign in of the block just laid out in the column `x`
/// of `width`, above the name that ends it: every person who signs the minutes on paper can
/// sign them digitally (issue 24 §2).
fn field_above_name(
    l: &mut Layout<'_>,
    (x, width): (f32, f32),
    block: &SignatureBlock,
    sign_gap: f32,
) {
    let room = l.y() + line_height(BODY);
    l.push_item(Item::SignatureField {
        name: block.role.clone(),
        person: block.person.clone(),
        x: x + width * 0.1,
        y: room + 2.0,
        w: width * 0.8,
        h: sign_gap - 4.0,
    });
}

/// The other members of the counting committee, two to a row, each with room to sign.
fn member_signatures(
    l: &mut Layout<'_>,
    (members, blocks): (&[&crate::model::Person], &[SignatureBlock]),
    (sign_gap, lang): (f32, Lang),
    sign_here: &dyn Fn() -> Para,
) {
    let g = l.geometry;
    let half = g.content_width() / 2.0;
    l.space(BODY);
    let title = tr(
        lang,
        "CÁC THÀNH VIÊN BAN KIỂM PHIẾU",
        "MEMBERS OF THE COUNTING COMMITTEE",
    );
    l.para(
        &Para::new(title, Style::Bold, BODY)
            .center()
            .keep_with_next(),
    );
    l.space(BODY * 0.5);
    for (row, pair) in members.chunks(2).enumerate() {
        let cols: Vec<(f32, f32, Vec<Para>)> = pair
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut v = vec![sign_here()];
                v.push(Para::new(" ", Style::Regular, sign_gap / 1.22));
                v.push(Para::new(&p.name, Style::Bold, BODY).center());
                (g.left + half * i as f32, half, v)
            })
            .collect();
        l.columns(&cols);
        for i in 0..pair.len() {
            if let Some(b) = blocks.get(row * 2 + i) {
                field_above_name(l, (g.left + half * i as f32, half), b, sign_gap);
            }
        }
        l.space(BODY * 0.5);
    }
}

/// Annex: each counting team's sub-totals, per group (only when teams counted apart).
fn teams_annex(l: &mut Layout<'_>, session: &Session, lang: Lang) {
    if session.groups.iter().all(|g| g.teams.is_empty()) {
        return;
    }
    l.new_page();
    l.para(
        &Para::new(
            tr(
                lang,
                "PHỤ LỤC: KẾT QUẢ KIỂM PHIẾU CỦA CÁC TỔ",
                "ANNEX: THE COUNTING TEAMS' SUB-TOTALS",
            ),
            Style::Bold,
            BODY,
        )
        .center(),
    );
    for group in session.groups.iter().filter(|g| !g.teams.is_empty()) {
        l.space(BODY * 0.5);
        l.para(&Para::new(&group.name, Style::Bold, BODY).keep_with_next());
        for team in &group.teams {
            lead_in(
                l,
                format!(
                    "{}: {} {}, {} {}.",
                    team.team,
                    tr(lang, "kiểm", "counted"),
                    num(team.collected),
                    tr(
                        lang,
                        "phiếu, trong đó phiếu không hợp lệ",
                        "sheets, of which void"
                    ),
                    num(team.void_sheets)
                ),
            );
            let mut header = vec![
                Cell::head(tr(lang, "STT", "No.")),
                Cell::head(tr(lang, "Họ và tên", "Full name")),
            ];
            header.extend(Level::ALL.iter().map(|lv| Cell::head(lv.label().get(lang))));
            let rows = group
                .cadres
                .iter()
                .zip(&team.cadres)
                .enumerate()
                .filter(|(_, (c, _))| c.exemption.is_none())
                .map(|(i, (c, counts))| {
                    let overall = counts.first().copied().unwrap_or_default();
                    let mut row = vec![Cell::new((i + 1).to_string()).center(), Cell::new(&c.name)];
                    row.extend(
                        Level::ALL
                            .iter()
                            .map(|lv| Cell::new(num(overall.get(*lv))).center()),
                    );
                    row
                })
                .collect();
            l.table(&Table {
                widths: vec![28.0, 190.0, 70.0, 70.0, 70.0],
                header: vec![header],
                rows,
                size: TABLE,
                min_row_height: 0.0,
                header_fill: 0.92,
            });
        }
    }
}

/// Annex: the audit log, oldest first, times in Vietnam's time (UTC+7).
fn audit_annex(l: &mut Layout<'_>, session: &Session, lang: Lang) {
    l.new_page();
    l.para(
        &Para::new(
            tr(lang, "PHỤ LỤC: NHẬT KÝ NHẬP LIỆU", "ANNEX: AUDIT LOG"),
            Style::Bold,
            BODY,
        )
        .center(),
    );
    l.space(BODY * 0.5);
    if session.audit.is_empty() {
        body(l, tr(lang, "(Chưa có mục nào.)", "(No entries.)"));
        return;
    }
    let rows = session
        .audit
        .iter()
        .enumerate()
        .map(|(i, e)| {
            vec![
                Cell::new((i + 1).to_string()).center(),
                Cell::new(e.at.vietnam()),
                Cell::new(crate::text::visible(&e.by)),
                Cell::new(crate::text::visible(&e.describe(lang))),
            ]
        })
        .collect();
    l.table(&Table {
        widths: vec![28.0, 92.0, 90.0, 218.0],
        header: vec![vec![
            Cell::head(tr(lang, "STT", "No.")),
            Cell::head(tr(
                lang,
                "Thời điểm (giờ Việt Nam)",
                "Time (Vietnam, UTC+7)",
            )),
            Cell::head(tr(lang, "Người thao tác", "Operator")),
            Cell::head(tr(lang, "Nội dung", "What")),
        ]],
        rows,
        size: TABLE,
        min_row_height: 0.0,
        header_fill: 0.92,
    });
}
