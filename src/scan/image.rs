//! Page images as the reader takes them: grey, one byte a pixel.

/// A grayscale page: row-major, one byte a pixel, 0 black, 255 white.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gray {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The pixels, row by row.
    pub pixels: Vec<u8>,
    /// Dots per inch when the file says so.
    pub dpi: Option<u32>,
}
