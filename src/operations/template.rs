//! The opening and closing paragraphs of the minutes as templates: text with named fields in
//! braces ("Hôm nay, vào lúc {giờ}, {ngày}, tại {địa điểm}, …"), filled from the session when
//! the minutes are made. Localities word these paragraphs differently; the figures, the
//! committee and the signatures around them stay the app's.
//!
//! Field names are Vietnamese words, as a secretary would write them; `{{` and `}}` stand for
//! a brace. A template is checked as it is typed ([`parse`]): an unknown field is an error with
//! its place, never printed as it stands.

use std::fmt;

use crate::model::Session;
use crate::text::Lang;

/// A named field of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// When the count began (`meta.time`, "8 giờ 00").
    Time,
    /// The vote's date in words ("ngày 15 tháng 12 năm 2023").
    Date,
    /// Where the conference sits (`meta.venue`).
    Venue,
    /// The conference (`meta.conference`).
    Conference,
    /// The rule profile's full name ("Quy định 96-QĐ/TW ngày 02/02/2023 của Bộ Chính trị").
    Rules,
    /// The issuing body (`meta.issuing_body`).
    Body,
    /// The place named in the header (`meta.place`, "Gia Lai").
    Place,
    /// The chair's name.
    Chair,
    /// The number of copies of the minutes, two digits ("02"), as the law's forms write it.
    Copies,
}

impl Field {
    /// Every field, in the order the help lists them.
    pub const ALL: [Field; 9] = [
        Field::Time,
        Field::Date,
        Field::Venue,
        Field::Conference,
        Field::Rules,
        Field::Body,
        Field::Place,
        Field::Chair,
        Field::Copies,
    ];

    /// The name written between braces.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Field::Time => "giờ",
            Field::Date => "ngày",
            Field::Venue => "địa điểm",
            Field::Conference => "hội nghị",
            Field::Rules => "quy định",
            Field::Body => "cơ quan",
            Field::Place => "địa danh",
            Field::Chair => "chủ trì",
            Field::Copies => "số bản",
        }
    }

    /// What the field stands for, in `lang` (the help under the template's box).
    #[must_use]
    pub fn meaning(self, lang: Lang) -> &'static str {
        let (vi, en) = match self {
            Field::Time => ("giờ bắt đầu", "the time the count began"),
            Field::Date => ("ngày, tháng, năm", "the date in words"),
            Field::Venue => ("nơi họp", "the venue"),
            Field::Conference => ("tên hội nghị", "the conference"),
            Field::Rules => ("quy định áp dụng", "the rules applied"),
            Field::Body => ("cơ quan ban hành", "the issuing body"),
            Field::Place => ("địa danh", "the place"),
            Field::Chair => ("người chủ trì", "the chair"),
            Field::Copies => ("số bản biên bản", "the number of copies"),
        };
        match lang {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        let name = crate::text::nfc(name.trim());
        Self::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The field's value in `session`; empty when not filled in.
    #[must_use]
    pub fn value(self, session: &Session, lang: Lang) -> String {
        let m = &session.meta;
        match self {
            Field::Time => m.time.trim().to_owned(),
            Field::Date => m.date.map_or_else(String::new, |d| match lang {
                Lang::Vi => d.vietnamese_long(),
                Lang::En => d.vietnamese_short(),
            }),
            Field::Venue => m.venue.trim().to_owned(),
            Field::Conference => m.conference.trim().to_owned(),
            Field::Rules => session.profile.profile().name.get(lang).to_owned(),
            Field::Body => m.issuing_body.trim().to_owned(),
            Field::Place => m.place.trim().to_owned(),
            Field::Chair => session.chair.name.trim().to_owned(),
            Field::Copies => session
                .proceedings
                .copies
                .map_or_else(String::new, |n| format!("{n:02}")),
        }
    }
}

/// A piece of a parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text printed as it is.
    Text(String),
    /// A field filled from the session.
    Field(Field),
}

/// Why a template cannot be used, and where (counted in characters from its start, 1-based,
/// as a person counts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// `{name}` names no field.
    UnknownField {
        /// The name as written.
        name: String,
        /// Where the `{` is.
        at: usize,
    },
    /// A `{` with no `}` after it.
    Unclosed {
        /// Where the `{` is.
        at: usize,
    },
    /// A `}` with no `{` before it.
    Unopened {
        /// Where the `}` is.
        at: usize,
    },
}

impl TemplateError {
    /// The message in `lang`.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let known = Field::ALL
            .iter()
            .map(|f| format!("{{{}}}", f.name()))
            .collect::<Vec<_>>()
            .join(", ");
        match (self, lang) {
            (TemplateError::UnknownField { name, at }, Lang::Vi) => {
                format!("Ký tự thứ {at}: không có trường {{{name}}}; các trường dùng được: {known}")
            }
            (TemplateError::UnknownField { name, at }, Lang::En) => {
                format!("Character {at}: there is no field {{{name}}}; the fields are: {known}")
            }
            (TemplateError::Unclosed { at }, Lang::Vi) => {
                format!("Ký tự thứ {at}: thiếu dấu }} đóng trường (viết {{{{ để in dấu {{)")
            }
            (TemplateError::Unclosed { at }, Lang::En) => {
                format!("Character {at}: the field is not closed with }} (write {{{{ for a brace)")
            }
            (TemplateError::Unopened { at }, Lang::Vi) => {
                format!("Ký tự thứ {at}: dấu }} không có dấu {{ mở (viết }}}} để in dấu }})")
            }
            (TemplateError::Unopened { at }, Lang::En) => {
                format!("Character {at}: a }} with no {{ before it (write }}}} for a brace)")
            }
        }
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::Vi))
    }
}

/// Splits `template` into text and fields.
///
/// # Errors
///
/// [`TemplateError`] for an unknown field name, or a brace left unclosed or never opened.
pub fn parse(template: &str) -> Result<Vec<Piece>, TemplateError> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = template.chars().enumerate().peekable();
    while let Some((i, ch)) = chars.next() {
        match ch {
            '{' if chars.peek().is_some_and(|&(_, c)| c == '{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek().is_some_and(|&(_, c)| c == '}') => {
                chars.next();
                text.push('}');
            }
            '}' => return Err(TemplateError::Unopened { at: i + 1 }),
            '{' => {
                let mut name = String::new();
                let mut closed = false;
                for (_, c) in chars.by_ref() {
                    if c == '}' {
                        closed = true;
                        break;
                    }
                    name.push(c);
                }
                if !closed || name.contains('{') {
                    return Err(TemplateError::Unclosed { at: i + 1 });
                }
                let field = Field::from_name(&name)
                    .ok_or(TemplateError::UnknownField { name, at: i + 1 })?;
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(Piece::Field(field));
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// The fields `template` uses that are empty in `session` (each once, in order): they would
/// print as nothing.
#[must_use]
pub fn empty_fields(template: &str, session: &Session) -> Vec<Field> {
    let mut empty = Vec::new();
    for piece in parse(template).unwrap_or_default() {
        if let Piece::Field(f) = piece
            && f.value(session, Lang::Vi).is_empty()
            && !empty.contains(&f)
        {
            empty.push(f);
        }
    }
    empty
}

/// Whether `template` parses and uses `field` (a closing that states the copies itself needs
/// no sentence about them after it).
#[must_use]
pub fn uses(template: &str, field: Field) -> bool {
    parse(template).is_ok_and(|p| p.contains(&Piece::Field(field)))
}

/// `template` filled from `session`, spaces collapsed; `None` when it does not parse (the
/// minutes then fall back to the built-in wording, and validation has said why).
#[must_use]
pub fn fill(template: &str, session: &Session, lang: Lang) -> Option<String> {
    let pieces = parse(template).ok()?;
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(&t),
            Piece::Field(f) => out.push_str(&f.value(session, lang)),
        }
    }
    Some(out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The built-in opening paragraph written as a template: what the template box starts from.
pub const DEFAULT_OPENING: &str = "Hôm nay, vào lúc {giờ}, {ngày}, tại {địa điểm}, {hội nghị} tiến hành lấy phiếu tín nhiệm theo {quy định}.";

/// The built-in closing paragraph written as a template.
pub const DEFAULT_CLOSING: &str =
    "Ban kiểm phiếu lập biên bản này, công bố kết quả trước hội nghị và cùng ký tên dưới đây.";

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn fields_braces_and_errors() {
        assert_eq!(
            parse("a {giờ} b {{x}} c").unwrap(),
            vec![
                Piece::Text("a ".into()),
                Piece::Field(Field::Time),
                Piece::Text(" b {x} c".into()),
            ]
        );
        assert_eq!(
            parse("Hôm nay {ngay}").unwrap_err(),
            TemplateError::UnknownField {
                name: "ngay".into(),
                at: 9
            }
        );
        assert_eq!(
            parse("x {giờ").unwrap_err(),
            TemplateError::Unclosed { at: 3 }
        );
        assert_eq!(
            parse("x } y").unwrap_err(),
            TemplateError::Unopened { at: 3 }
        );
        // Spaces inside the braces are forgiven; decomposed letters are composed first.
        assert_eq!(
            parse("{ địa điểm }").unwrap(),
            vec![Piece::Field(Field::Venue)]
        );
        let nfd = "{gio\u{31b}\u{300}}";
        assert_eq!(parse(nfd).unwrap(), vec![Piece::Field(Field::Time)]);
        assert!(
            TemplateError::UnknownField {
                name: "x".into(),
                at: 4
            }
            .message(Lang::Vi)
            .contains("Ký tự thứ 4")
        );
    }

    #[test]
    fn fills_from_the_session() {
        let mut s = Session::default();
        s.meta.time = "8 giờ 00".into();
        s.meta.venue = "Hội trường".into();
        s.meta.date = Some(crate::model::Date::new(2025, 10, 7).unwrap());
        let text = fill(DEFAULT_OPENING, &s, Lang::Vi).unwrap();
        assert!(
            text.starts_with(
                "Hôm nay, vào lúc 8 giờ 00, ngày 07 tháng 10 năm 2025, tại Hội trường,"
            ),
            "{text}"
        );
        assert!(text.contains("theo Quy định 96-QĐ/TW"), "{text}");
        assert_eq!(empty_fields(DEFAULT_OPENING, &s), vec![Field::Conference]);
        assert_eq!(fill("{x}", &s, Lang::Vi), None);
        s.proceedings.copies = Some(3);
        assert_eq!(fill("{số bản} bản", &s, Lang::Vi).unwrap(), "03 bản");
    }
}
