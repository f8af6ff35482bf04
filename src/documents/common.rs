//! Parts shared by the minutes and the ballots: the two-column document header of the party
//! (Hướng dẫn 36-HD/VPTW) or the state (Nghị định 30/2020/NĐ-CP).
#![expect(
    clippy::float_arithmetic,
    reason = "layout in points, not vote arithmetic"
)]

use super::layout::{Item, Layout, Para, Style};
use crate::model::{Person, Session};
use crate::rules::DocumentStyle;
use crate::text::{Lang, Tr};

/// What stands for a figure not entered, in every document: a hyphen, as in Vietnamese tables.
pub const NOT_ENTERED: &str = "-";

/// "Name, role", or the name alone.
#[must_use]
pub fn name_role(p: &Person) -> String {
    if p.role.is_empty() {
        p.name.clone()
    } else {
        format!("{}, {}", p.name, p.role)
    }
}

/// "BẢN NHÁP": the mark of every document made from a session not finalised.
pub const DRAFT: Tr = Tr::new("BẢN NHÁP", "DRAFT");

/// The label of the content's fingerprint, wherever a document states it.
pub const FINGERPRINT: Tr = Tr::new("Mã kiểm tra", "Fingerprint");

/// The header's texts: what the minutes print in their two columns and the results workbook
/// in its top rows, so that both state the same facts in the same words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderText {
    /// The superior body, upper case (empty when there is none).
    pub superior: String,
    /// The issuing body, upper case.
    pub issuing: String,
    /// "Số 01-BB/ĐU" (party) or "Số: 01/BB-HĐND" (state).
    pub number: String,
    /// "ĐẢNG CỘNG SẢN VIỆT NAM", or the state's title and motto.
    pub titles: &'static [&'static str],
    /// "Gia Lai, ngày 15 tháng 12 năm 2023" (dots to fill in without a date).
    pub place_date: String,
}

/// The header's texts of `session` in `style`.
#[must_use]
pub fn header_text(session: &Session, style: DocumentStyle, lang: Lang) -> HeaderText {
    let m = &session.meta;
    let (number, titles): (&str, &'static [&'static str]) = match (style, lang) {
        (DocumentStyle::Party, Lang::Vi) => ("Số", &["ĐẢNG CỘNG SẢN VIỆT NAM"]),
        (DocumentStyle::Party, Lang::En) => ("No.", &["COMMUNIST PARTY OF VIETNAM"]),
        (DocumentStyle::State, Lang::Vi) => (
            "Số:",
            &[
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
            ],
        ),
        (DocumentStyle::State, Lang::En) => (
            "No.",
            &[
                "SOCIALIST REPUBLIC OF VIETNAM",
                "Independence - Freedom - Happiness",
            ],
        ),
    };
    HeaderText {
        superior: m.superior_body.to_uppercase(),
        issuing: m.issuing_body.to_uppercase(),
        number: format!("{number} {}", m.document_number),
        titles,
        place_date: place_date(session, lang),
    }
}

/// The header: left the bodies, "*" or a rule, and the number; right the national or party
/// title and the italic place and date.
/// Ballots pass `number: false`: they carry no document number and no date.
pub fn header(
    l: &mut Layout<'_>,
    session: &Session,
    style: DocumentStyle,
    lang: Lang,
    number: bool,
) {
    let g = l.geometry;
    let h = header_text(session, style, lang);
    let title = |k: usize| h.titles.get(k).copied().unwrap_or_default();
    let (mut left, mut right) = match style {
        DocumentStyle::Party => (
            vec![
                Para::new(&h.superior, Style::Regular, 14.0).center(),
                Para::new(&h.issuing, Style::Bold, 14.0).center(),
                Para::new("*", Style::Regular, 14.0).center(),
                Para::new(&h.number, Style::Regular, 14.0).center(),
            ],
            vec![
                Para::new(title(0), Style::Bold, 15.0).center().underline(),
                Para::new(" ", Style::Regular, 14.0),
                Para::new(" ", Style::Regular, 14.0),
                Para::new(&h.place_date, Style::Italic, 14.0).center(),
            ],
        ),
        DocumentStyle::State => (
            vec![
                Para::new(&h.superior, Style::Regular, 13.0).center(),
                Para::new(&h.issuing, Style::Bold, 13.0).center(),
                Para::new(" ", Style::Regular, 8.0),
                Para::new(&h.number, Style::Regular, 13.0).center(),
            ],
            vec![
                Para::new(title(0), Style::Bold, 12.0).center(),
                Para::new(title(1), Style::Bold, 14.0).center().underline(),
                Para::new(" ", Style::Regular, 8.0),
                Para::new(&h.place_date, Style::Italic, 14.0).center(),
            ],
        ),
    };
    if !number {
        // Ballots carry neither a number nor a date.
        left.pop();
        right.truncate(if style == DocumentStyle::State { 2 } else { 1 });
    }
    // The right block is as wide as its longest line needs; the left takes the rest, so that
    // long body names ("BAN CHẤP HÀNH ĐẢNG BỘ TỈNH") stay on one line when they can.
    let need = |paras: &[Para]| {
        paras
            .iter()
            .map(|p| l.fonts.width(p.style, p.size, &p.text))
            .fold(0.0, f32::max)
            + 6.0
    };
    let right_w = need(&right).clamp(g.content_width() * 0.45, g.content_width() * 0.6);
    let left_w = g.content_width() - right_w;
    let bodies = fit_bodies(l.fonts, &mut left, session, left_w);
    let top = l.y();
    let bodies_h = l.measure_paras(&left[..bodies], left_w);
    l.columns(&[(g.left, left_w, left), (g.left + left_w, right_w, right)]);
    if style == DocumentStyle::State {
        // Nghị định 30: a short solid rule under the issuing body, a third to half its width.
        let y = top - bodies_h - 1.0;
        let cx = g.left + left_w / 2.0;
        l.push_item(Item::Line {
            x1: cx - 30.0,
            y1: y,
            x2: cx + 30.0,
            y2: y,
            width: 0.6,
        });
    }
}

/// The body names of the header's left block broken where a person would break them, and the
/// superior body left out when there is none (a xã's HĐND since 7/2025: the issuing body is
/// then the first line, level with the national title, not under an empty one). Returns how
/// many body lines lead the block.
fn fit_bodies(
    fonts: &super::layout::Fonts,
    left: &mut Vec<Para>,
    session: &Session,
    width: f32,
) -> usize {
    for p in left.iter_mut().take(2) {
        p.text = break_name(fonts, p, width - 6.0);
    }
    if session.meta.superior_body.trim().is_empty() {
        left.remove(0);
        1
    } else {
        2
    }
}

/// Syllable pairs that make one word in body names: a line never breaks between them
/// ("KIỂM / TRA" reads as two words).
const WORDS: [(&str, &str); 40] = [
    ("BAN", "CHẤP"),
    ("CHẤP", "HÀNH"),
    ("ĐẢNG", "BỘ"),
    ("ĐẢNG", "ỦY"),
    ("ĐẢNG", "ĐOÀN"),
    ("HỘI", "ĐỒNG"),
    ("ĐỒNG", "NHÂN"),
    ("NHÂN", "DÂN"),
    ("ỦY", "BAN"),
    ("KIỂM", "TRA"),
    ("KIỂM", "PHIẾU"),
    ("THƯỜNG", "VỤ"),
    ("THƯỜNG", "TRỰC"),
    ("TỈNH", "ỦY"),
    ("THÀNH", "ỦY"),
    ("HUYỆN", "ỦY"),
    ("QUẬN", "ỦY"),
    ("CÁN", "SỰ"),
    ("QUỐC", "HỘI"),
    ("CHÍNH", "PHỦ"),
    ("TỔ", "CHỨC"),
    ("TUYÊN", "GIÁO"),
    ("DÂN", "VẬN"),
    ("NỘI", "CHÍNH"),
    ("VĂN", "PHÒNG"),
    ("MẶT", "TRẬN"),
    ("TỔ", "QUỐC"),
    ("VIỆT", "NAM"),
    ("CƠ", "QUAN"),
    ("DOANH", "NGHIỆP"),
    ("TRUNG", "ƯƠNG"),
    ("THÀNH", "PHỐ"),
    ("CHI", "BỘ"),
    ("QUÂN", "SỰ"),
    ("CÔNG", "AN"),
    ("BIÊN", "PHÒNG"),
    ("TƯ", "PHÁP"),
    ("ĐẶC", "KHU"),
    ("DÂN", "CƯ"),
    ("KHU", "DÂN"),
];

/// Words a line may start with by preference: the level or kind of body that begins the
/// second half of a name ("ỦY BAN KIỂM TRA / TỈNH ỦY GIA LAI", "HỘI ĐỒNG NHÂN DÂN / XÃ HÒA
/// PHONG").
const STARTS: [&str; 12] = [
    "TỈNH",
    "XÃ",
    "PHƯỜNG",
    "THÀNH",
    "ĐẶC",
    "HUYỆN",
    "QUẬN",
    "KHỐI",
    "ĐẢNG",
    "CÁC",
    "SỞ",
    "KHU",
];

/// `para`'s text with a line break where a person would put one when it does not fit `width`
/// on one line: two lines as even as they can be, never between the syllables of one word,
/// before a body's level by preference. Names that need three lines or more are left to the
/// ordinary wrapping.
fn break_name(fonts: &super::layout::Fonts, para: &Para, width: f32) -> String {
    let text = para.text.trim();
    let w = |t: &str| fonts.width(para.style, para.size, t);
    if text.is_empty() || w(text) <= width {
        return text.to_owned();
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_uppercase()).collect();
    let mut best: Option<(f32, usize)> = None;
    for i in 1..words.len() {
        let (a, b) = (words[..i].join(" "), words[i..].join(" "));
        let (wa, wb) = (w(&a), w(&b));
        if wa > width || wb > width {
            continue;
        }
        let mut cost = wa.max(wb);
        if WORDS.contains(&(upper[i - 1].as_str(), upper[i].as_str())) {
            cost += width;
        }
        if STARTS.contains(&upper[i].as_str()) {
            cost -= width * 0.25;
        }
        if best.is_none_or(|(c, _)| cost < c) {
            best = Some((cost, i));
        }
    }
    match best {
        Some((_, i)) => format!("{}\n{}", words[..i].join(" "), words[i..].join(" ")),
        None => text.to_owned(),
    }
}

/// "Gia Lai, ngày 15 tháng 12 năm 2023", with dots to fill in when the date is not set.
fn place_date(session: &Session, lang: Lang) -> String {
    let m = &session.meta;
    match (m.date, lang) {
        (Some(d), Lang::Vi) => format!("{}, {}", m.place, d.vietnamese_long()),
        (Some(d), Lang::En) => format!("{}, {}", m.place, d.vietnamese_short()),
        (None, Lang::Vi) => format!("{}, ngày …… tháng …… năm ……", m.place),
        (None, Lang::En) => format!("{}, date ……", m.place),
    }
}

/// A short centred rule under the subject line.
pub fn short_rule(l: &mut Layout<'_>) {
    let g = l.geometry;
    let cx = g.left + g.content_width() / 2.0;
    let y = l.y() - 4.0;
    l.push_item(Item::Line {
        x1: cx - 40.0,
        y1: y,
        x2: cx + 40.0,
        y2: y,
        width: 0.6,
    });
    l.space(8.0);
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;
    use crate::documents::layout::{Fonts, mm};

    /// Body names break between words where a person would, before the body's level, never
    /// inside a two-syllable word; a name that fits stays on one line.
    #[test]
    fn body_names_break_where_a_person_would() {
        let fonts = Fonts::load().unwrap();
        let b = |text: &str, width: f32| {
            break_name(&fonts, &Para::new(text, Style::Bold, 13.0), mm(width))
        };
        assert_eq!(
            b("HỘI ĐỒNG NHÂN DÂN XÃ HÒA PHONG", 60.0),
            "HỘI ĐỒNG NHÂN DÂN\nXÃ HÒA PHONG"
        );
        assert_eq!(
            b("ỦY BAN KIỂM TRA TỈNH ỦY GIA LAI", 60.0),
            "ỦY BAN KIỂM TRA\nTỈNH ỦY GIA LAI"
        );
        assert_eq!(b("CHI BỘ KHU DÂN CƯ SỐ 4", 80.0), "CHI BỘ KHU DÂN CƯ SỐ 4");
        // Wherever it breaks, no line ends inside one of the words.
        for width in [45.0, 50.0, 55.0, 65.0] {
            let text = b("ỦY BAN KIỂM TRA ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", width);
            for pair in WORDS {
                assert!(
                    !text.contains(&format!("{}\n{}", pair.0, pair.1)),
                    "{width}: {text}"
                );
            }
        }
    }
}
