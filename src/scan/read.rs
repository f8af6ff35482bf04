//! Reading one scanned page of a ballot tinnhiem printed ([`crate::documents::ballots`]).
//!
//! 1. **Find the form.** The page's QR codes are decoded (`rqrr`, on a copy at most
//!    [`QR_SEARCH_SIDE`] pixels high, so that a 600 dpi scan costs what a 200 dpi one does);
//!    each that holds a [`FormTag`] names the form, its group and page. Two codes on one
//!    image are the two halves of a sheet printed two-up and not yet cut.
//! 2. **Register it.** The code's corners give the scale and the orientation (any of the
//!    four, upside down too); near where they put each corner mark, the solid square of the
//!    mark's size is found, and its centre taken. The four centres give a homography from the
//!    form's points to the image's pixels: skew, a few percent of scale and a photocopy's
//!    slight warp are taken up by it. The code's corners must then fall where the
//!    homography puts them, or the page is refused: a mark was not found where it should be.
//! 3. **Score each box.** Inside each box, inset by [`BOX_INSET_MM`] so that the printed
//!    outline never counts, the share of pixels darker than the ink level (`dark`) and of
//!    pixels darker than a faint level (`faint`, which a light pencil mark reaches) are
//!    counted, per mille. The levels are the page's own: the paper's white and the corner
//!    marks' black.
//! 4. **Read each line** by [`THRESHOLDS`]: a box is clearly empty, clearly marked or
//!    unclear; a line is read only when each of its boxes is clear. **A wrong count is never
//!    silent**: an unclear box, or a line with a blacked-out box beside another mark (a voter
//!    correcting a mistake), waits for the counting committee.
#![expect(
    clippy::float_arithmetic,
    reason = "image geometry and grey levels, not vote arithmetic: the counts stay integers"
)]

use super::image::Gray;
use crate::documents::ballots::{FormTag, MarkSquare, SCAN_LAYOUT, ScanForm, ScanPage};
use crate::documents::layout::mm;
use crate::text::Message;

/// The score limits, per mille of a box's inner area, in one place. Chosen from the score
/// distributions the synthetic corpus measures (`tests/it/scan.rs` prints them): an empty
/// box scores 0 ‰ faint in every distortion but photocopy streaks (which go to people); the
/// weakest X of the corpus scores about 300 ‰ dark. The wide margins on both sides are on
/// purpose: too strict costs a line for people, too loose a wrong count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// A box is clearly empty when at most this share of it reaches the faint level.
    pub empty_max: u16,
    /// A box is clearly marked when at least this share of it reaches the ink level.
    pub marked_min: u16,
    /// A box at least this dark is blacked out: beside another mark on its line, the line
    /// waits for people (a voter may have blacked out a mistaken mark).
    pub blacked_out_min: u16,
}

/// The thresholds every reading uses.
pub const THRESHOLDS: Thresholds = Thresholds {
    empty_max: 20,
    marked_min: 80,
    blacked_out_min: 600,
};

/// How far inside a box's printed outline its score is taken: 1.2 mm, more than a
/// registration error seen in the corpus, so that the outline is never scored as ink.
pub const BOX_INSET_MM: f32 = 1.2;

/// The largest side of the copy of a page the QR codes are looked for in.
pub const QR_SEARCH_SIDE: u32 = 2400;

/// The least difference between the paper's white and the marks' black, in grey levels: a
/// page fainter than this is refused as unreadable rather than read.
const MIN_CONTRAST: u8 = 60;

/// What one line reads: the model's [`LineRead`](crate::model::LineRead), the one list of
/// readings the archive, the JSON and the decisions share.
pub use crate::model::LineRead as Reading;

/// A box's score, per mille of its inner area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BoxScore {
    /// Reaching the ink level.
    pub dark: u16,
    /// Reaching the faint level (so at least `dark`).
    pub faint: u16,
}

/// What a box is, by [`THRESHOLDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxState {
    /// Clearly empty.
    Empty,
    /// Clearly marked.
    Marked,
    /// Neither.
    Unclear,
}

impl BoxScore {
    /// The box's state under `t`.
    #[must_use]
    pub fn state(self, t: Thresholds) -> BoxState {
        if self.dark >= t.marked_min {
            BoxState::Marked
        } else if self.faint <= t.empty_max {
            BoxState::Empty
        } else {
            BoxState::Unclear
        }
    }
}

/// Reads a line from its three boxes' scores (in the order of [`crate::model::Level::ALL`]).
#[must_use]
pub fn read_line(scores: [BoxScore; 3], t: Thresholds) -> Reading {
    let states = scores.map(|s| s.state(t));
    if states.contains(&BoxState::Unclear) {
        return Reading::Unclear;
    }
    let marked: Vec<usize> = (0..3).filter(|&i| states[i] == BoxState::Marked).collect();
    match marked.as_slice() {
        [] => Reading::None,
        [0] => Reading::High,
        [1] => Reading::Medium,
        [2] => Reading::Low,
        several => {
            if several.iter().any(|&i| scores[i].dark >= t.blacked_out_min) {
                Reading::Unclear
            } else {
                Reading::Several
            }
        }
    }
}

/// One line of a sheet as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineReading {
    /// The line's index in the ballot's printed order.
    pub line: usize,
    /// The cadre's STT, as printed.
    pub stt: usize,
    /// 0 for the overall question, k + 1 for criterion k.
    pub question: usize,
    /// What it reads.
    pub reading: Reading,
    /// Its boxes' scores.
    pub scores: [BoxScore; 3],
}

/// One form found on a page and read.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetReading {
    /// The form, as an index into the forms read against.
    pub form: usize,
    /// What its QR code says.
    pub tag: FormTag,
    /// Each line of the page.
    pub lines: Vec<LineReading>,
    /// The form-to-image homography, row-major (for showing a line's pixels to people).
    pub homography: [f64; 9],
}

impl SheetReading {
    /// Whether every line was read without people.
    #[must_use]
    pub fn is_clear(&self) -> bool {
        self.lines.iter().all(|l| l.reading != Reading::Unclear)
    }
}

/// Why a page is not read. It is never counted; its sheet is entered by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Almost nothing printed: a blank page, or the back of a one-sided ballot.
    Blank,
    /// No QR code of a tinnhiem ballot: not a ballot, or its code is damaged.
    NotABallot,
    /// A ballot of another layout version.
    OtherLayout(u32),
    /// A ballot of another vote, of another group, or printed before the list changed.
    OtherForm(String),
    /// The corner marks were not all found where the code puts them.
    NotRegistered,
    /// Too faint or too dark to tell ink from paper.
    LowContrast,
    /// An uncut sheet of two half-page ballots of which one was not read: both are entered
    /// by hand rather than one lost.
    HalfNotRead,
    /// The reader failed on this image (a fault of the reader, not of the sheet).
    ReaderFailed,
    /// The code's size puts the scan outside 90–1,300 dpi.
    Resolution,
}

impl Refusal {
    /// The stable code the CLI's JSON gives.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Blank => "blank",
            Refusal::NotABallot => "not-a-ballot",
            Refusal::OtherLayout(_) => "other-layout",
            Refusal::OtherForm(_) => "other-form",
            Refusal::NotRegistered => "marks-not-found",
            Refusal::LowContrast => "low-contrast",
            Refusal::HalfNotRead => "half-not-read",
            Refusal::ReaderFailed => "reader-failed",
            Refusal::Resolution => "resolution",
        }
    }

    /// The reason in both languages.
    #[must_use]
    pub fn message(&self) -> Message {
        match self {
            Refusal::Blank => Message::new(
                "Trang trắng (có thể là mặt sau của phiếu): không đếm.",
                "Blank page (perhaps the back of a ballot): not counted.",
            ),
            Refusal::NotABallot => Message::new(
                "Không tìm thấy mã QR của phiếu tín nhiệm: không phải phiếu do tinnhiem in, hoặc mã bị hỏng. Nhập phiếu này bằng tay.",
                "No ballot QR code found: not a ballot printed by tinnhiem, or the code is damaged. Enter this sheet by hand.",
            ),
            Refusal::OtherLayout(v) => Message::new(
                format!(
                    "Phiếu in theo mẫu đọc máy phiên bản {v}, bản này đọc phiên bản {SCAN_LAYOUT}: nhập phiếu này bằng tay."
                ),
                format!(
                    "Ballot of machine-readable layout {v}; this build reads layout {SCAN_LAYOUT}: enter this sheet by hand."
                ),
            ),
            Refusal::OtherForm(tag) => Message::new(
                format!(
                    "Phiếu không thuộc nhóm phiếu này của cuộc bỏ phiếu (mã {tag}): phiếu của cuộc khác, nhóm khác, hoặc danh sách đã sửa sau khi in. Không đếm."
                ),
                format!(
                    "This ballot is not one of this group's in this vote (code {tag}): another vote, another group, or the list changed after printing. Not counted."
                ),
            ),
            Refusal::NotRegistered => Message::new(
                "Không tìm thấy đủ bốn ô đen ở góc phiếu đúng chỗ: phiếu bị gấp, rách hoặc quét lệch quá nhiều. Quét lại hoặc nhập bằng tay.",
                "The four black corner squares were not all found where they belong: the sheet is folded, torn or scanned too crooked. Scan it again or enter it by hand.",
            ),
            Refusal::LowContrast => Message::new(
                "Ảnh quét quá mờ hoặc quá tối để phân biệt mực với giấy: quét lại.",
                "The scan is too faint or too dark to tell ink from paper: scan it again.",
            ),
            Refusal::Resolution => Message::new(
                "Ảnh không phải bản quét phiếu (độ phân giải ngoài khoảng 100–1.200 dpi, như ảnh chụp gần): quét lại phiếu.",
                "The image is not a scan of the ballot (its resolution is outside 100–1,200 dpi, as a close-up photo): scan the sheet again.",
            ),
            Refusal::ReaderFailed => Message::new(
                "Trình đọc phiếu gặp lỗi với ảnh này: không đếm, nhập phiếu này bằng tay (và báo lỗi cho người phát triển).",
                "The reader failed on this image: not counted; enter this sheet by hand (and report the fault).",
            ),
            Refusal::HalfNotRead => Message::new(
                "Tờ hai phiếu chưa cắt: một nửa không đọc được. Không đếm nửa nào; cắt đôi rồi quét lại, hoặc nhập hai phiếu bằng tay.",
                "An uncut sheet of two ballots with one half unreadable: neither is counted; cut it and scan again, or enter both by hand.",
            ),
        }
    }
}

/// What a page holds: one or two forms read (two when a two-up sheet was scanned uncut), or
/// the reason it is refused.
#[derive(Debug, Clone, PartialEq)]
pub enum PageReading {
    /// The forms found, in the order their codes were found.
    Sheets(Vec<SheetReading>),
    /// Not read.
    Refused(Refusal),
}

/// A found form: which of `forms`, and its page.
fn find_page<'f>(forms: &'f [ScanForm], tag: &FormTag) -> Option<(usize, &'f ScanPage)> {
    forms
        .iter()
        .enumerate()
        .find_map(|(i, f)| f.pages.iter().find(|p| p.tag == *tag).map(|p| (i, p)))
}

/// Reads one page image against the forms of the group(s) being counted.
#[must_use]
pub fn read_page(image: &Gray, forms: &[ScanForm], t: Thresholds) -> PageReading {
    let mut codes = find_codes(image, None);
    if codes.is_empty() {
        // rqrr's own threshold is local: a photocopy's grey streak across the code breaks
        // it. Again with one threshold for the page, between paper and ink.
        codes = find_codes(image, Some(otsu(image)));
    }
    if codes.is_empty() {
        return PageReading::Refused(if is_blank(image) {
            Refusal::Blank
        } else {
            Refusal::NotABallot
        });
    }
    let read = read_codes(image, forms, &codes, t);
    // One half of an uncut two-up sheet read and ink where the other half is: its code was
    // missed (a streak, a fold); once more at one threshold, then the page is refused rather
    // than its other ballot lost.
    if let PageReading::Sheets(sheets) = &read
        && sheets.len() == 1
        && other_half_inked(image, forms, &sheets[0])
    {
        let again = find_codes(image, Some(otsu(image)));
        return match read_codes(image, forms, &again, t) {
            PageReading::Sheets(both) if both.len() == 2 => PageReading::Sheets(both),
            _ => PageReading::Refused(Refusal::HalfNotRead),
        };
    }
    read
}

/// The forms the codes name, each registered and read. A page where one of this session's
/// forms is found and not read is refused whole: the other sheet on it is never counted
/// alone while one is lost.
fn read_codes(
    image: &Gray,
    forms: &[ScanForm],
    codes: &[(String, [Px; 4])],
    t: Thresholds,
) -> PageReading {
    let mut sheets = Vec::new();
    let mut refusal = Refusal::NotABallot;
    let mut failed = None;
    for (text, corners) in codes {
        let Some(tag) = FormTag::parse(text) else {
            continue;
        };
        if tag.layout != SCAN_LAYOUT {
            refusal = Refusal::OtherLayout(tag.layout);
            continue;
        }
        let Some((form, page)) = find_page(forms, &tag) else {
            refusal = Refusal::OtherForm(text.clone());
            continue;
        };
        match read_sheet(image, page, corners, t) {
            Ok((lines, homography)) => sheets.push(SheetReading {
                form,
                tag,
                lines,
                homography,
            }),
            Err(r) => failed = Some(r),
        }
    }
    if let Some(r) = failed {
        return PageReading::Refused(r);
    }
    if sheets.is_empty() {
        PageReading::Refused(refusal)
    } else {
        PageReading::Sheets(sheets)
    }
}

/// Whether, beside a half-sheet form, the image shows ink where the other half of an A4
/// sheet would be (more than 1 % of the points sampled there, most of them inside the
/// image): an uncut two-up sheet whose second ballot was not read.
fn other_half_inked(image: &Gray, forms: &[ScanForm], sheet: &SheetReading) -> bool {
    let Some((_, page)) = find_page(forms, &sheet.tag) else {
        return false;
    };
    let (w, h) = (f64::from(page.width), f64::from(page.height));
    if h > w {
        // A whole-page form: no other half.
        return false;
    }
    [-h, h].into_iter().any(|dy| {
        let (mut inside, mut dark, mut all) = (0_u32, 0_u32, 0_u32);
        for i in 0..40 {
            for j in 0..20 {
                let x = w * (f64::from(i) + 0.5) / 40.0;
                let y = dy + h * (f64::from(j) + 0.5) / 20.0;
                let (px, py) = apply(&sheet.homography, (x, y));
                all += 1;
                if px >= 0.0
                    && py >= 0.0
                    && px < f64::from(image.width)
                    && py < f64::from(image.height)
                {
                    inside += 1;
                    dark += u32::from(pixel(image, (px, py)) < 128);
                }
            }
        }
        inside * 2 >= all && dark * 100 > inside
    })
}

/// Whether fewer than 0.2 % of the page's pixels (sampled) are dark.
fn is_blank(image: &Gray) -> bool {
    let step = (image.pixels.len() / 200_000).max(1);
    let (mut dark, mut n) = (0_usize, 0_usize);
    for &p in image.pixels.iter().step_by(step) {
        n += 1;
        dark += usize::from(p < 128);
    }
    dark * 500 < n
}

/// A point in the image, pixels.
type Px = (f64, f64);

/// The QR codes decoded on the page: each code's text and its four corners (top-left,
/// top-right, bottom-right, bottom-left in the code's own frame), in image pixels.
/// With `threshold`, the page is made black and white at it first.
fn find_codes(image: &Gray, threshold: Option<u8>) -> Vec<(String, [Px; 4])> {
    let (w, h) = (image.width as usize, image.height as usize);
    let f = (image.width.max(image.height).div_ceil(QR_SEARCH_SIDE)).max(1) as usize;
    let (sw, sh) = (w / f, h / f);
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(sw, sh, |x, y| {
        let p = image.pixels.get(y * f * w + x * f).copied().unwrap_or(255);
        match threshold {
            Some(t) if p <= t => 0,
            Some(_) => 255,
            None => p,
        }
    });
    let scale = f as f64;
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| {
            let (_, text) = grid.decode().ok()?;
            let c = grid.bounds.map(|p| {
                (
                    (f64::from(p.x) + 0.5) * scale,
                    (f64::from(p.y) + 0.5) * scale,
                )
            });
            Some((text, c))
        })
        .collect()
}

/// A homography `h` (row-major, `h[8]` = 1) applied to a point.
#[must_use]
pub fn apply(h: &[f64; 9], (x, y): Px) -> Px {
    let d = h[6] * x + h[7] * y + h[8];
    (
        (h[0] * x + h[1] * y + h[2]) / d,
        (h[3] * x + h[4] * y + h[5]) / d,
    )
}

/// The homography taking each `from` point to its `to` point; `None` when three of them are
/// on a line.
#[must_use]
pub fn homography(from: [Px; 4], to: [Px; 4]) -> Option<[f64; 9]> {
    let mut a = [[0.0_f64; 9]; 8];
    for i in 0..4 {
        let ((x, y), (u, v)) = (from[i], to[i]);
        a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
        a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
    }
    // Gaussian elimination with partial pivoting on the 8×8 system (last column: the
    // right-hand side).
    for col in 0..8 {
        let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        let p = a[col];
        for (r, row) in a.iter_mut().enumerate() {
            if r != col {
                let k = row[col] / p[col];
                for (x, q) in row.iter_mut().zip(p).skip(col) {
                    *x -= k * q;
                }
            }
        }
    }
    let mut h = [0.0; 9];
    for i in 0..8 {
        h[i] = a[i][8] / a[i][i];
    }
    h[8] = 1.0;
    Some(h)
}

/// The affine map from form points to image pixels that the QR code's corners give (a
/// least-squares fit of the four): precise enough to say where to look for the corner
/// marks, not to read the boxes.
fn affine_from_code(page: &ScanPage, corners: &[Px; 4]) -> [f64; 9] {
    let (qx, qy, side) = page.qr;
    let (qx, qy, side) = (f64::from(qx), f64::from(qy), f64::from(side));
    // The symbol's corners in form points, in the order rqrr gives them.
    let form = [
        (qx, qy + side),
        (qx + side, qy + side),
        (qx + side, qy),
        (qx, qy),
    ];
    // u = a x + b y + c from the four points: the centre and two half-diagonals.
    let mean = |v: [f64; 4]| v.iter().sum::<f64>() / 4.0;
    let (fx, fy) = (mean(form.map(|p| p.0)), mean(form.map(|p| p.1)));
    let (ix, iy) = (mean(corners.map(|p| p.0)), mean(corners.map(|p| p.1)));
    // The image's step for one point along the form's x (left to right edges) and y (bottom
    // to top edges), each the mean of the code's two edges.
    let step = |from: [usize; 2], to: [usize; 2]| {
        let d = |k: usize| {
            (
                corners[to[k]].0 - corners[from[k]].0,
                corners[to[k]].1 - corners[from[k]].1,
            )
        };
        let (p, q) = (d(0), d(1));
        ((p.0 + q.0) / (2.0 * side), (p.1 + q.1) / (2.0 * side))
    };
    let (a, d) = step([0, 3], [1, 2]);
    let (b, e) = step([3, 2], [0, 1]);
    [
        a,
        b,
        ix - a * fx - b * fy,
        d,
        e,
        iy - d * fx - e * fy,
        0.0,
        0.0,
        1.0,
    ]
}

/// Registers one form on the page and reads its lines; the homography is returned with them.
fn read_sheet(
    image: &Gray,
    page: &ScanPage,
    corners: &[Px; 4],
    t: Thresholds,
) -> Result<(Vec<LineReading>, [f64; 9]), Refusal> {
    let rough = affine_from_code(page, corners);
    // Pixels per point, from the code's size.
    let scale = {
        let (a, d) = (rough[0], rough[3]);
        (a * a + d * d).sqrt()
    };
    // The code's size says the scan's resolution: outside 90–1,300 dpi the page is not a
    // scan of a printed ballot (a photo taken close to the code), and the search windows
    // would span the whole image.
    if !(90.0..=1300.0).contains(&(scale * 72.0)) {
        return Err(Refusal::Resolution);
    }
    let side_px = f64::from(page.mark_side) * scale;
    let mut centres = [(0.0, 0.0); 4];
    let mut black = 0_u32;
    for (k, &(mx, my)) in page.marks.iter().enumerate() {
        let guess = apply(&rough, (f64::from(mx), f64::from(my)));
        let radius = f64::from(mm(15.0)) * scale;
        let (centre, level) =
            find_mark(image, guess, radius, side_px).ok_or(Refusal::NotRegistered)?;
        centres[k] = centre;
        black += u32::from(level);
    }
    let form_marks = page.marks.map(|(x, y)| (f64::from(x), f64::from(y)));
    let h = homography(form_marks, centres).ok_or(Refusal::NotRegistered)?;
    // The code's corners must be where the marks put them: within 2 mm.
    let (qx, qy, side) = page.qr;
    let (qx, qy, side) = (f64::from(qx), f64::from(qy), f64::from(side));
    let form_code = [
        (qx, qy + side),
        (qx + side, qy + side),
        (qx + side, qy),
        (qx, qy),
    ];
    let tolerance = f64::from(mm(2.0)) * scale;
    let near = |a: Px, b: Px| (a.0 - b.0).hypot(a.1 - b.1) <= tolerance;
    for (p, c) in form_code.iter().zip(corners) {
        if !near(apply(&h, *p), *c) {
            return Err(Refusal::NotRegistered);
        }
    }
    // The code sits by the top-left mark and hardly checks the far ones: the four marks must
    // also make the form's rectangle. Through the affine map of three of them, the fourth
    // falls within 2 mm of where it was found (a photocopy's slight warp stays well inside).
    let [tl, tr, br, bl] = centres;
    if !near((tr.0 + bl.0 - tl.0, tr.1 + bl.1 - tl.1), br) {
        return Err(Refusal::NotRegistered);
    }
    let black = u8::try_from(black / 4).unwrap_or(255);
    let white = paper_white(image);
    if white < black.saturating_add(MIN_CONTRAST) {
        return Err(Refusal::LowContrast);
    }
    let span = f64::from(white - black);
    let dark_level = f64::from(black) + span * 0.5;
    let faint_level = f64::from(white) - span * 0.25;
    // Every box's printed outline must be where the form puts it: a form laid out otherwise
    // than the one named, or a mark taken for another blob, is refused here rather than read
    // a row off.
    // At the faint level: a soft 150 dpi scan greys a 0.3 mm line; blank paper never
    // reaches it.
    if !outlines_in_place(image, &h, page, scale, faint_level) {
        return Err(Refusal::NotRegistered);
    }
    let lines = page
        .lines
        .iter()
        .map(|line| {
            let scores = line
                .boxes
                .map(|b| score_box(image, &h, b, scale, dark_level, faint_level));
            LineReading {
                line: line.line,
                stt: line.stt,
                question: line.question,
                reading: read_line(scores, t),
                scores,
            }
        })
        .collect();
    Ok((lines, h))
}

/// The grey level that best splits the page into ink and paper (Otsu's method, on a sample
/// of the pixels).
fn otsu(image: &Gray) -> u8 {
    let mut hist = [0_u64; 256];
    let step = (image.pixels.len() / 200_000).max(1);
    for &p in image.pixels.iter().step_by(step) {
        hist[usize::from(p)] += 1;
    }
    let total: u64 = hist.iter().sum();
    let sum: u64 = hist.iter().enumerate().map(|(i, &c)| i as u64 * c).sum();
    let (mut below, mut sum_below, mut best, mut at) = (0_u64, 0_u64, 0.0_f64, 127_u8);
    for (level, &count) in hist.iter().enumerate() {
        below += count;
        sum_below += level as u64 * count;
        let above = total - below;
        if below == 0 || above == 0 {
            continue;
        }
        let m0 = sum_below as f64 / below as f64;
        let m1 = (sum - sum_below) as f64 / above as f64;
        let between = below as f64 * above as f64 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            at = u8::try_from(level).unwrap_or(255);
        }
    }
    at
}

/// The paper's white: the 90th percentile of the page's grey levels (sampled); most of a
/// ballot is paper.
fn paper_white(image: &Gray) -> u8 {
    let mut hist = [0_usize; 256];
    let step = (image.pixels.len() / 200_000).max(1);
    let mut n = 0;
    for &p in image.pixels.iter().step_by(step) {
        hist[usize::from(p)] += 1;
        n += 1;
    }
    let mut below = 0;
    for (level, &count) in hist.iter().enumerate() {
        below += count;
        if below * 10 >= n * 9 {
            return u8::try_from(level).unwrap_or(255);
        }
    }
    255
}

/// Whether the boxes' printed outlines are dark where the homography puts them: along each
/// side of each box, the darkest pixel within 0.4 mm across the line; nine in ten sides at
/// least (a voter's stroke or a speck may lighten none, a streak may not darken all).
fn outlines_in_place(image: &Gray, h: &[f64; 9], page: &ScanPage, scale: f64, dark: f64) -> bool {
    let across = (f64::from(mm(0.4)) * scale).ceil().max(1.0);
    let (mut sides, mut found) = (0_u32, 0_u32);
    for b in page.lines.iter().flat_map(|l| l.boxes) {
        let (x0, y0, side) = (f64::from(b.x), f64::from(b.y), f64::from(b.side));
        // The middle of each side, and the direction across it, in form points.
        for (mid, dir) in [
            ((x0 + side / 2.0, y0), (0.0, 1.0)),
            ((x0 + side / 2.0, y0 + side), (0.0, 1.0)),
            ((x0, y0 + side / 2.0), (1.0, 0.0)),
            ((x0 + side, y0 + side / 2.0), (1.0, 0.0)),
        ] {
            sides += 1;
            let step = 1.0 / scale;
            let n = to_index(across);
            let darkest = (0..=2 * n)
                .map(|k| {
                    let t = (k as f64 - n as f64) * step;
                    pixel(image, apply(h, (mid.0 + dir.0 * t, mid.1 + dir.1 * t)))
                })
                .min()
                .unwrap_or(255);
            found += u32::from(f64::from(darkest) <= dark);
        }
    }
    found * 10 >= sides * 9
}

/// The pixel at (x, y), rounded to the nearest; white outside the image, and for a point
/// that is not a number (a degenerate homography).
fn pixel(image: &Gray, (x, y): Px) -> u8 {
    let (x, y) = (x.round(), y.round());
    if !(x >= 0.0 && y >= 0.0 && x < f64::from(image.width) && y < f64::from(image.height)) {
        return 255;
    }
    let (x, y) = (to_index(x), to_index(y));
    image
        .pixels
        .get(y * image.width as usize + x)
        .copied()
        .unwrap_or(255)
}

/// A non-negative whole number of pixels as an index.
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "callers pass whole, non-negative values within the image"
)]
fn to_index(v: f64) -> usize {
    v as usize
}

/// A box's score: its inner square (inset by [`BOX_INSET_MM`]) sampled about once a pixel.
fn score_box(
    image: &Gray,
    h: &[f64; 9],
    b: MarkSquare,
    scale: f64,
    dark_level: f64,
    faint_level: f64,
) -> BoxScore {
    let inset = f64::from(mm(BOX_INSET_MM));
    let (x0, y0) = (f64::from(b.x) + inset, f64::from(b.y) + inset);
    let side = f64::from(b.side) - 2.0 * inset;
    let n = to_index((side * scale).round().clamp(12.0, 48.0));
    let (mut dark, mut faint) = (0_u32, 0_u32);
    for i in 0..n {
        for j in 0..n {
            let fx = x0 + side * (i as f64 + 0.5) / n as f64;
            let fy = y0 + side * (j as f64 + 0.5) / n as f64;
            let p = f64::from(pixel(image, apply(h, (fx, fy))));
            dark += u32::from(p <= dark_level);
            faint += u32::from(p <= faint_level);
        }
    }
    let total = u32::try_from(n * n).unwrap_or(u32::MAX).max(1);
    let per_mille = |k: u32| u16::try_from(k * 1000 / total).unwrap_or(1000);
    BoxScore {
        dark: per_mille(dark),
        faint: per_mille(faint),
    }
}

/// The solid square of side about `side` pixels nearest to `guess` within `radius`: its
/// centre and its mean grey level. Dark pixels are those below the window's midpoint
/// between its darkest and lightest levels; each 4-connected dark region is measured, and
/// kept when its box is square, of the mark's size (±35 %), and at least 70 % filled (the
/// QR code's finder patterns are hollow).
fn find_mark(image: &Gray, guess: Px, radius: f64, side: f64) -> Option<(Px, u8)> {
    let (w, h) = (f64::from(image.width), f64::from(image.height));
    let x0 = to_index((guess.0 - radius).clamp(0.0, w - 1.0));
    let x1 = to_index((guess.0 + radius).clamp(0.0, w - 1.0));
    let y0 = to_index((guess.1 - radius).clamp(0.0, h - 1.0));
    let y1 = to_index((guess.1 + radius).clamp(0.0, h - 1.0));
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    let (ww, wh) = (x1 - x0 + 1, y1 - y0 + 1);
    let stride = image.width as usize;
    let at = |x: usize, y: usize| image.pixels.get((y0 + y) * stride + x0 + x).copied();
    let (mut lo, mut hi) = (255_u8, 0_u8);
    for y in 0..wh {
        for x in 0..ww {
            let p = at(x, y)?;
            lo = lo.min(p);
            hi = hi.max(p);
        }
    }
    if hi < lo.saturating_add(MIN_CONTRAST) {
        return None;
    }
    let threshold = u16::from(lo) + (u16::from(hi) - u16::from(lo)) / 2;
    let mut label = vec![0_u32; ww * wh];
    let mut best: Option<(f64, Px, u8)> = None;
    let mut next = 0_u32;
    let mut stack = Vec::new();
    for sy in 0..wh {
        for sx in 0..ww {
            if label[sy * ww + sx] != 0 || u16::from(at(sx, sy)?) > threshold {
                continue;
            }
            next += 1;
            label[sy * ww + sx] = next;
            stack.push((sx, sy));
            let (mut n, mut sum_x, mut sum_y, mut sum_p) = (0_u64, 0_u64, 0_u64, 0_u64);
            let (mut bx0, mut bx1, mut by0, mut by1) = (sx, sx, sy, sy);
            while let Some((x, y)) = stack.pop() {
                n += 1;
                sum_x += x as u64;
                sum_y += y as u64;
                sum_p += u64::from(at(x, y).unwrap_or(255));
                bx0 = bx0.min(x);
                bx1 = bx1.max(x);
                by0 = by0.min(y);
                by1 = by1.max(y);
                let mut visit = |nx: usize, ny: usize| {
                    let i = ny * ww + nx;
                    if label[i] == 0 && at(nx, ny).is_some_and(|p| u16::from(p) <= threshold) {
                        label[i] = next;
                        stack.push((nx, ny));
                    }
                };
                if x > 0 {
                    visit(x - 1, y);
                }
                if x + 1 < ww {
                    visit(x + 1, y);
                }
                if y > 0 {
                    visit(x, y - 1);
                }
                if y + 1 < wh {
                    visit(x, y + 1);
                }
            }
            let (bw, bh) = ((bx1 - bx0 + 1) as f64, (by1 - by0 + 1) as f64);
            // A rotated square's box is up to √2 wider; its area stays the side squared.
            let area = n as f64;
            let size_ok = (area.sqrt() - side).abs() <= side * 0.35;
            let square = bw <= bh * 1.3 && bh <= bw * 1.3;
            // Square to 10° of skew fills at least 74 % of its box; a finder pattern's ring 49 %.
            let filled = area >= 0.7 * bw * bh;
            if !(size_ok && square && filled) {
                continue;
            }
            let centre = (
                x0 as f64 + sum_x as f64 / area,
                y0 as f64 + sum_y as f64 / area,
            );
            let d = (centre.0 - guess.0).hypot(centre.1 - guess.1);
            let level = u8::try_from(sum_p / n).unwrap_or(255);
            if best.is_none_or(|(bd, _, _)| d < bd) {
                best = Some((d, centre, level));
            }
        }
    }
    best.map(|(_, c, l)| (c, l))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn score(dark: u16, faint: u16) -> BoxScore {
        BoxScore { dark, faint }
    }

    #[test]
    fn box_states_at_the_exact_thresholds() {
        let t = THRESHOLDS;
        assert_eq!(score(0, t.empty_max).state(t), BoxState::Empty);
        assert_eq!(score(0, t.empty_max + 1).state(t), BoxState::Unclear);
        assert_eq!(score(t.marked_min - 1, 900).state(t), BoxState::Unclear);
        assert_eq!(score(t.marked_min, t.marked_min).state(t), BoxState::Marked);
    }

    #[test]
    fn lines_read_only_when_every_box_is_clear() {
        let t = THRESHOLDS;
        let (e, m, u, b) = (score(0, 0), score(300, 400), score(10, 60), score(900, 950));
        assert_eq!(read_line([m, e, e], t), Reading::High);
        assert_eq!(read_line([e, m, e], t), Reading::Medium);
        assert_eq!(read_line([e, e, m], t), Reading::Low);
        assert_eq!(read_line([e, e, e], t), Reading::None);
        assert_eq!(read_line([m, e, m], t), Reading::Several);
        assert_eq!(read_line([m, u, e], t), Reading::Unclear);
        assert_eq!(read_line([e, e, u], t), Reading::Unclear);
        // A blacked-out box beside a mark: a correction, for people.
        assert_eq!(read_line([b, m, e], t), Reading::Unclear);
        // A filled box alone is a mark.
        assert_eq!(read_line([e, b, e], t), Reading::Medium);
    }

    #[test]
    fn homography_maps_its_four_points_and_between() {
        let from = [(0.0, 100.0), (100.0, 100.0), (100.0, 0.0), (0.0, 0.0)];
        // A quarter turn, a scale of 3 and a shift: exactly affine.
        let to = from.map(|(x, y)| (500.0 - 3.0 * y, 20.0 + 3.0 * x));
        let h = homography(from, to).unwrap();
        for (f, t) in from.iter().zip(&to) {
            let p = apply(&h, *f);
            assert!((p.0 - t.0).abs() < 1e-9 && (p.1 - t.1).abs() < 1e-9);
        }
        let mid = apply(&h, (50.0, 25.0));
        assert!((mid.0 - 425.0).abs() < 1e-9 && (mid.1 - 170.0).abs() < 1e-9);
        // Three points on a line: no homography.
        let flat = [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (0.0, 5.0)];
        assert!(homography(flat, to).is_none());
    }
}

/// A line's row of a scanned page, straightened: what people look at before deciding a line
/// the reader left unclear.
#[derive(Debug, Clone)]
pub struct RowImage {
    /// The row, from the page's left corner marks to its right ones, 3 mm above and below
    /// the boxes (the cadre's name and the three boxes).
    pub image: Gray,
    /// The three boxes in it, in pixels: left, top, side (high, medium, low).
    pub boxes: [(u32, u32, u32); 3],
}

/// The row of `line` on `image`, registered by `h` (a [`SheetReading::homography`] of
/// `page`), at `px_per_mm` pixels a millimetre (5 shows a pen's stroke without blowing up a
/// 150 dpi scan's pixels). Nearest-pixel sampling: people see the scanner's pixels, not a
/// smoothed guess.
#[must_use]
#[expect(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "sizes of a strip of a page, well inside u32"
)]
pub fn row_image(
    image: &Gray,
    page: &ScanPage,
    h: &[f64; 9],
    line: &crate::documents::ballots::ScanLine,
    px_per_mm: f64,
) -> RowImage {
    let k = px_per_mm / f64::from(mm(1.0));
    let margin = f64::from(mm(3.0));
    let x0 = f64::from(page.marks[0].0);
    let x1 = f64::from(page.marks[1].0);
    let b = line.boxes[0];
    let bottom = f64::from(b.y) - margin;
    let top = f64::from(b.y + b.side) + margin;
    let width = ((x1 - x0) * k).round().max(1.0) as u32;
    let height = ((top - bottom) * k).round().max(1.0) as u32;
    let mut pixels = Vec::with_capacity(width as usize * height as usize);
    for j in 0..height {
        for i in 0..width {
            let form = (
                x0 + (f64::from(i) + 0.5) / k,
                top - (f64::from(j) + 0.5) / k,
            );
            pixels.push(pixel(image, apply(h, form)));
        }
    }
    let boxes = line.boxes.map(|b| {
        (
            ((f64::from(b.x) - x0) * k).round().max(0.0) as u32,
            ((top - f64::from(b.y + b.side)) * k).round().max(0.0) as u32,
            (f64::from(b.side) * k).round() as u32,
        )
    });
    RowImage {
        image: Gray {
            width,
            height,
            pixels,
            dpi: None,
        },
        boxes,
    }
}
