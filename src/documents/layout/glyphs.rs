//! The document faces and the glyph cache: which font a text is drawn in and how wide it
//! is, from the fonts' own advances.

use std::sync::atomic::{AtomicU32, Ordering};

use printpdf::FontId;

use crate::documents::DocumentError;

/// How many document faces there are ([`FONT_FILES`]).
const FACES: usize = 4;

/// The four faces of Liberation Serif, metric-compatible with Times New Roman (the font the
/// party and state guidelines name), under the SIL OFL (`assets/fonts/`).
pub static FONT_FILES: [(&[u8], &str); FACES] = [
    (
        include_bytes!("../../../assets/fonts/LiberationSerif-Regular.ttf"),
        "LSRREG",
    ),
    (
        include_bytes!("../../../assets/fonts/LiberationSerif-Bold.ttf"),
        "LSRBLD",
    ),
    (
        include_bytes!("../../../assets/fonts/LiberationSerif-Italic.ttf"),
        "LSRITA",
    ),
    (
        include_bytes!("../../../assets/fonts/LiberationSerif-BoldItalic.ttf"),
        "LSRBIT",
    ),
];

/// A face of the document font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Style {
    /// Regular.
    Regular,
    /// Bold.
    Bold,
    /// Italic.
    Italic,
    /// Bold italic.
    BoldItalic,
}

impl Style {
    /// Every style, in [`FONT_FILES`] order.
    pub const ALL: [Style; 4] = [
        Style::Regular,
        Style::Bold,
        Style::Italic,
        Style::BoldItalic,
    ];

    pub(in crate::documents) fn index(self) -> usize {
        match self {
            Style::Regular => 0,
            Style::Bold => 1,
            Style::Italic => 2,
            Style::BoldItalic => 3,
        }
    }
}

/// Characters below this are measured from a table filled as they are met: every character
/// validation lets into an archive ([`crate::text::PRINTABLE`]) is below it.
const CACHED_CHARS: usize = 0x2200;

/// A cached entry: the glyph's advance in font units, whether the font has the glyph, and
/// whether the entry was filled (0 is "not yet").
const KNOWN: u32 = 1 << 16;
const PRESENT: u32 = 1 << 17;

/// One face, registered under a fixed id so that output is reproducible (printpdf's own ids
/// come from a process-wide counter and would change the bytes).
///
/// Text is measured with skrifa, which reads the font in place (nothing to parse up front),
/// through a per-character cache: a line of a 500-cadre table is measured several times while
/// it is fitted and wrapped.
pub struct Face {
    /// The fixed id; its first 6 letters become the subset tag ("LSRREG+LiberationSerif").
    pub id: FontId,
    charmap: skrifa::charmap::Charmap<'static>,
    hmtx: skrifa::raw::tables::hmtx::Hmtx<'static>,
    units_per_em: f32,
    /// Advance and presence by character, for characters below [`CACHED_CHARS`]; atomics so
    /// that the fonts can be shared between threads without a lock.
    cache: Box<[AtomicU32]>,
}

impl Face {
    fn new(index: usize) -> Result<Self, DocumentError> {
        use skrifa::MetadataProvider as _;
        use skrifa::raw::TableProvider as _;
        let (bytes, id) = FONT_FILES[index];
        let bad = |e: skrifa::raw::ReadError| DocumentError::Font(format!("{id}: {e}"));
        let font = skrifa::FontRef::new(bytes).map_err(bad)?;
        Ok(Self {
            id: FontId(id.to_owned()),
            charmap: font.charmap(),
            hmtx: font.hmtx().map_err(bad)?,
            units_per_em: f32::from(font.head().map_err(bad)?.units_per_em().max(1)),
            cache: (0..CACHED_CHARS).map(|_| AtomicU32::new(0)).collect(),
        })
    }

    /// The glyph of `ch` (0, the missing-glyph box, if the font has none) and its advance.
    fn lookup(&self, ch: char) -> (bool, u16) {
        let gid = self.charmap.map(ch);
        let advance = self
            .hmtx
            .advance(gid.unwrap_or_default())
            .unwrap_or_default();
        (gid.is_some(), advance)
    }

    /// Whether the font has a glyph for `ch`, and the advance drawn for it, in font units.
    pub(super) fn glyph(&self, ch: char) -> (bool, u16) {
        let Some(slot) = self.cache.get(ch as usize) else {
            return self.lookup(ch);
        };
        let v = slot.load(Ordering::Relaxed);
        if v & KNOWN != 0 {
            return (
                v & PRESENT != 0,
                u16::try_from(v & 0xFFFF).unwrap_or_default(),
            );
        }
        let (present, advance) = self.lookup(ch);
        let v = KNOWN | if present { PRESENT } else { 0 } | u32::from(advance);
        slot.store(v, Ordering::Relaxed);
        (present, advance)
    }

    /// The glyph id of `ch`, if the face has one: what the text is embedded with
    /// (`fontfile.rs`), from the same character map it was measured with.
    pub(in crate::documents) fn glyph_id(&self, ch: char) -> Option<u16> {
        self.charmap
            .map(ch)
            .and_then(|g| u16::try_from(g.to_u32()).ok())
    }
}

/// The document fonts.
pub struct Fonts {
    faces: Vec<Face>,
}

impl Fonts {
    /// Opens the embedded fonts (cheap: they are read in place).
    ///
    /// # Errors
    ///
    /// [`DocumentError::Font`] when an embedded face cannot be read (a broken build).
    pub fn load() -> Result<Self, DocumentError> {
        Ok(Self {
            faces: (0..FONT_FILES.len())
                .map(Face::new)
                .collect::<Result<_, _>>()?,
        })
    }

    /// The face of `style`.
    #[must_use]
    pub fn face(&self, style: Style) -> &Face {
        &self.faces[style.index()]
    }

    /// The width of `text` in points, from the glyph advances (no kerning: printpdf does not
    /// kern either, so this is exactly what is drawn).
    #[must_use]
    pub fn width(&self, style: Style, size: f32, text: &str) -> f32 {
        self.points(
            style,
            size,
            text.chars().map(|ch| self.advance(style, ch)).sum(),
        )
    }

    /// The advance of `ch` in font units. u64 so that sums never overflow: a u32 sum did on a
    /// 2.3-million-letter word (a hand-edited archive).
    pub(super) fn advance(&self, style: Style, ch: char) -> u64 {
        u64::from(self.face(style).glyph(ch).1)
    }

    /// `units` font units in points at `size`: [`Fonts::width`] of a text whose advances add
    /// up to `units`, to the same rounding.
    pub(super) fn points(&self, style: Style, size: f32, units: u64) -> f32 {
        units as f32 * size / self.face(style).units_per_em
    }

    /// The first character of `text` the font has no glyph for (it would print as an empty
    /// box), if any.
    #[must_use]
    pub fn missing_glyph(&self, style: Style, text: &str) -> Option<char> {
        let face = self.face(style);
        text.chars()
            .filter(|c| !c.is_whitespace())
            .find(|&ch| !face.glyph(ch).0)
    }
}
