//! The archive's text: a session to RON and back, its version read first, and ron's errors
//! told in both languages with their line and column.

use ron::extensions::Extensions;
use ron::ser::PrettyConfig;
use serde::Deserialize;

use super::{ArchiveError, ParseError};
use crate::model::{FORMAT_VERSION, Session};
use crate::text::Message;

/// Only the version, read before anything else so that a newer file is refused with the
/// right message instead of an "unknown field" about whatever the newer format added.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: u32,
}

fn options() -> ron::Options {
    ron::Options::default().with_default_extension(Extensions::IMPLICIT_SOME)
}

/// Parses an archive's text. Never panics, whatever the text.
///
/// # Errors
///
/// A [`ParseError`] where the text is not an archive this build reads: not RON, a missing or
/// unknown field, a value of the wrong kind (with its line and column), a newer or an invalid
/// format version.
pub fn from_str(text: &str) -> Result<Session, ParseError> {
    let mut version = FORMAT_VERSION;
    if let Ok(probe) = options().from_str::<VersionProbe>(text) {
        version = probe.format_version;
        if probe.format_version > FORMAT_VERSION {
            return Err(ParseError::NewerVersion {
                found: probe.format_version,
                supported: FORMAT_VERSION,
            });
        }
        if probe.format_version == 0 {
            return Err(ParseError::InvalidVersion { found: 0 });
        }
    }
    let mut session: Session = options().from_str(text).map_err(syntax_error)?;
    session.normalize();
    // Before format 3 an NQ 96/2023 session without a base meant ballots issued, the default
    // then: it keeps the base it was made with.
    if version < 3
        && session.profile == crate::rules::ProfileId::Nq96_2023
        && session.base.is_none()
    {
        session.base = Some(crate::rules::BaseKind::Issued);
    }
    // Read, the session is in this build's format (older formats are subsets of it); the
    // version is the file's, and the next save writes the current one.
    session.format_version = FORMAT_VERSION;
    Ok(session)
}

/// Serialises a session (NFC, deterministic).
///
/// # Errors
///
/// [`ArchiveError::Serialize`] if RON cannot write the session (no session the model holds has been
/// seen to do it).
pub fn to_string(session: &Session) -> Result<String, ArchiveError> {
    let mut session = session.clone();
    session.normalize();
    session.format_version = FORMAT_VERSION;
    let config = PrettyConfig::new()
        .indentor("    ")
        .struct_names(false)
        .extensions(Extensions::IMPLICIT_SOME);
    let body = ron::ser::to_string_pretty(&session, config)
        .map_err(|e| ArchiveError::Serialize(e.to_string()))?;
    Ok(format!("{HEADER}{body}\n"))
}

/// The comment at the top of every archive, so that whoever finds the file in 20 years knows
/// what it is.
const HEADER: &str = "// tinnhiem: biên bản lấy phiếu tín nhiệm (RON) / confidence-vote archive\n";

fn syntax_error(e: ron::error::SpannedError) -> ParseError {
    ParseError::Syntax {
        line: e.span.start.line,
        column: e.span.start.col,
        message: explain(&e.code),
    }
}

/// ron's errors in both languages; the common ones a hand edit causes are translated.
fn explain(code: &ron::Error) -> Message {
    use ron::Error as E;
    let list = |names: &[&str]| names.join(", ");
    match code {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => Message::new(
            format!(
                "trường không được biết \"{found}\"{} (các trường hợp lệ: {})",
                in_struct_vi(outer.as_deref()),
                list(expected)
            ),
            format!(
                "unknown field \"{found}\"{} (expected one of: {})",
                in_struct_en(outer.as_deref()),
                list(expected)
            ),
        ),
        E::MissingStructField { field, outer } => Message::new(
            format!("thiếu trường \"{field}\"{}", in_struct_vi(outer.as_deref())),
            format!(
                "missing field \"{field}\"{}",
                in_struct_en(outer.as_deref())
            ),
        ),
        E::DuplicateStructField { field, outer } => Message::new(
            format!(
                "trường \"{field}\" bị lặp{}",
                in_struct_vi(outer.as_deref())
            ),
            format!(
                "duplicate field \"{field}\"{}",
                in_struct_en(outer.as_deref())
            ),
        ),
        E::NoSuchEnumVariant {
            expected, found, ..
        } => Message::new(
            format!(
                "giá trị không hợp lệ \"{found}\" (các giá trị hợp lệ: {})",
                list(expected)
            ),
            format!(
                "unknown value \"{found}\" (expected one of: {})",
                list(expected)
            ),
        ),
        E::IntegerOutOfBounds => Message::new(
            "số quá lớn hoặc âm (số phiếu phải là số nguyên từ 0 đến 4294967295)",
            "number too large or negative (counts are whole numbers from 0 to 4294967295)",
        ),
        E::ExpectedInteger => Message::new(
            "cần một số nguyên không âm",
            "expected a non-negative whole number",
        ),
        E::ExpectedString | E::ExpectedStringEnd => Message::new(
            "cần một chuỗi trong dấu nháy kép \"…\"",
            "expected a string in double quotes \"…\"",
        ),
        E::Eof => Message::new(
            "tệp kết thúc đột ngột (thiếu dấu đóng ngoặc?)",
            "unexpected end of file (a missing closing bracket?)",
        ),
        E::ExpectedComma => Message::new("thiếu dấu phẩy", "expected a comma"),
        E::TrailingCharacters => Message::new(
            "còn ký tự thừa sau khi kết thúc phiên",
            "trailing characters after the session",
        ),
        E::Message(m) => Message::new(format!("giá trị không hợp lệ: {m}"), m.clone()),
        other => Message::new(
            format!("lỗi cú pháp RON: {other}"),
            format!("RON syntax error: {other}"),
        ),
    }
}

fn in_struct_vi(outer: Option<&str>) -> String {
    outer
        .map(|o| format!(" trong mục {}", section(o)))
        .unwrap_or_default()
}

fn in_struct_en(outer: Option<&str>) -> String {
    outer
        .map(|o| format!(" in {}", section(o)))
        .unwrap_or_default()
}

/// The name a person sees in the file for a Rust struct name in ron's messages.
fn section(rust_name: &str) -> &str {
    match rust_name {
        "Session" => "(…)",
        "DocumentMeta" => "meta",
        "Person" => "chair/secretary/committee",
        "BallotGroup" => "groups",
        "Voters" => "voters",
        "Criterion" => "criteria",
        "Cadre" => "cadres",
        "Counts" => "overall/criteria",
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
