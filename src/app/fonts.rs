//! The bundled fonts: egui's own fonts miss about ninety Vietnamese letters (ấ, ậ, ễ, ộ, ữ…
//! come out as boxes), so Noto Sans becomes the proportional font and Liberation Mono the
//! monospace one. Both are SIL OFL (licences beside them in `assets/fonts/`) and embedded, so
//! the app needs no system font.

use eframe::egui::{
    Context, FontData, FontFamily, FontInsert, FontPriority, InsertFontFamily, RichText,
};

static NOTO_SANS: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
static NOTO_SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");
static LIBERATION_MONO: &[u8] = include_bytes!("../../assets/fonts/LiberationMono-Regular.ttf");

/// The family name of the bold face (egui has no weights: bold is its own family).
pub const BOLD: &str = "bold";

/// Installs the fonts, first in their families, so egui's fonts are only a fallback.
pub fn install(ctx: &Context) {
    let first = |family| InsertFontFamily {
        family,
        priority: FontPriority::Highest,
    };
    ctx.add_font(FontInsert::new(
        "NotoSans-Regular",
        FontData::from_static(NOTO_SANS),
        vec![first(FontFamily::Proportional)],
    ));
    ctx.add_font(FontInsert::new(
        "LiberationMono-Regular",
        FontData::from_static(LIBERATION_MONO),
        vec![first(FontFamily::Monospace)],
    ));
    ctx.add_font(FontInsert::new(
        "NotoSans-Bold",
        FontData::from_static(NOTO_SANS_BOLD),
        vec![first(FontFamily::Name(BOLD.into()))],
    ));
    // The documents' Liberation Serif (already in the binary) as the last fallback of every
    // family: it draws what Noto Sans lacks (→, ←), so every text the minutes can print the
    // screen can show ([`crate::text::PRINTABLE`]).
    let last = |family| InsertFontFamily {
        family,
        priority: FontPriority::Lowest,
    };
    let [(regular, _), (bold_face, _), ..] = &crate::documents::layout::FONT_FILES;
    ctx.add_font(FontInsert::new(
        "LiberationSerif-Regular",
        FontData::from_static(regular),
        vec![last(FontFamily::Proportional), last(FontFamily::Monospace)],
    ));
    ctx.add_font(FontInsert::new(
        "LiberationSerif-Bold",
        FontData::from_static(bold_face),
        vec![last(FontFamily::Name(BOLD.into()))],
    ));
}

/// Text in the bold face.
pub fn bold(text: impl Into<String>) -> RichText {
    RichText::new(text).family(FontFamily::Name(BOLD.into()))
}
