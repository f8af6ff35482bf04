//! The QR code of the last page: its runs of dark modules and where it goes.

use super::{Geometry, mm};

/// Least module size of the QR code: 2 pt (0.71 mm), 2.8 pixels in a 100 dpi scan, which
/// zbar still decodes; a 37-module code is then 26 mm wide.
pub const MARGIN_QR_MODULE: f32 = 2.0;

/// Least width of the QR symbol, 25 mm: smaller codes did not decode from coarse scans of
/// office prints (issue 12).
pub const QR_MIN_SIDE_MM: f32 = 25.0;

/// Least distance of every part of the QR code, quiet zone included, from the paper's edge:
/// many office printers do not print the outer 5 mm, and a code cut there cannot be read.
pub const QR_EDGE_MM: f32 = 10.0;

/// The blank border the QR standard asks for around the symbol, in modules.
pub const QR_QUIET_MODULES: f32 = 4.0;

/// Where the QR code of the last page goes, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QrPlace {
    /// Left edge of the symbol.
    pub x: f32,
    /// Bottom edge of the symbol.
    pub y: f32,
    /// Side of the symbol.
    pub side: f32,
    /// Module size.
    pub module: f32,
}

impl QrPlace {
    /// A code of `n` modules a side in the bottom-right corner of the text area, at least
    /// [`QR_MIN_SIDE_MM`] wide, its quiet zone [`QR_EDGE_MM`] inside the paper's edges.
    #[must_use]
    pub fn new(n: i32, g: &Geometry) -> Self {
        let module = MARGIN_QR_MODULE.max(mm(QR_MIN_SIDE_MM) / n as f32);
        let side = n as f32 * module;
        let quiet = QR_QUIET_MODULES * module;
        let edge = mm(QR_EDGE_MM) + quiet;
        Self {
            x: g.width - g.right.max(edge) - side,
            y: edge,
            side,
            module,
        }
    }

    /// The symbol with its quiet zone, `(left, bottom, right, top)`: nothing else may be drawn
    /// there.
    #[must_use]
    pub fn clear_box(&self) -> (f32, f32, f32, f32) {
        let q = QR_QUIET_MODULES * self.module;
        (
            self.x - q,
            self.y - q,
            self.x + self.side + q,
            self.y + self.side + q,
        )
    }
}

/// Dark runs of a QR code: `(row, first column, end column)`.
pub type QrRuns = Vec<(i32, i32, i32)>;

/// The dark runs of a QR code of `data` (ECC medium) and its side in modules; `None` if the
/// data does not fit a QR code.
#[must_use]
pub fn qr_runs(data: &str) -> Option<(i32, QrRuns)> {
    let code = qrcodegen::QrCode::encode_text(data, qrcodegen::QrCodeEcc::Medium).ok()?;
    let n = code.size();
    let mut runs = Vec::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if code.get_module(col, row) {
                let start = col;
                while col < n && code.get_module(col, row) {
                    col += 1;
                }
                runs.push((row, start, col));
            } else {
                col += 1;
            }
        }
    }
    Some((n, runs))
}
