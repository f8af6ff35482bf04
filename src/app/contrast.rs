//! Read-only screens that stay readable: a sealed session, an agreed double entry.
//!
//! egui shows a disabled part by fading everything in it to `disabled_alpha` (half) of its
//! colour. In the dark theme that put the locked grid's grey text at a contrast of 2.3:1 on its
//! background, below what anyone reads comfortably. Here the fade is computed from the
//! theme's own colours instead: the least fade at which every text the grid draws keeps the
//! contrast WCAG asks of body text (4.5:1, AA), or the theme's own contrast where that is
//! lower. Locked parts still look locked (their buttons and fields are faded too, and do not
//! respond); they are only never faded past reading.
#![expect(
    clippy::float_arithmetic,
    reason = "colour arithmetic, not vote arithmetic"
)]

use eframe::egui::{self, Color32, Visuals};

/// WCAG 2's contrast asked of body text (level AA).
pub const BODY_TEXT: f32 = 4.5;

/// WCAG 2's relative luminance of an sRGB colour (its alpha ignored).
#[must_use]
pub fn luminance(c: Color32) -> f32 {
    let lin = |v: u8| {
        let s = f32::from(v) / 255.0;
        if s <= 0.040_45 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
}

/// WCAG 2's contrast ratio of two colours, from 1 (the same) to 21 (black and white).
#[must_use]
pub fn contrast(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// `fg` faded to `alpha` over `bg`, as the screen shows it (egui blends in gamma space).
#[must_use]
pub fn faded(fg: Color32, bg: Color32, alpha: f32) -> Color32 {
    let mix = |f: u8, b: u8| {
        let v = f32::from(b) + (f32::from(f) - f32::from(b)) * alpha;
        // In 0..=255 by construction (a mix of two bytes).
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a mix of two bytes lies in 0..=255"
        )]
        let byte = v.round().clamp(0.0, 255.0) as u8;
        byte
    };
    Color32::from_rgb(
        mix(fg.r(), bg.r()),
        mix(fg.g(), bg.g()),
        mix(fg.b(), bg.b()),
    )
}

/// The texts of a locked grid or form and what they are drawn on: labels on the panel, the
/// numbers in the (disabled) fields on the fields' background.
#[must_use]
pub fn text_pairs(v: &Visuals) -> [(Color32, Color32); 4] {
    let labels = v.text_color();
    let fields = v.widgets.inactive.text_color();
    [
        (labels, v.panel_fill),
        (labels, v.text_edit_bg_color()),
        (fields, v.panel_fill),
        (fields, v.text_edit_bg_color()),
    ]
}

/// The contrast a locked text must keep in theme `v`: [`BODY_TEXT`], or the theme's own
/// weakest text contrast when the theme itself stays below it.
#[must_use]
pub fn threshold(v: &Visuals) -> f32 {
    text_pairs(v)
        .iter()
        .map(|&(fg, bg)| contrast(fg, bg))
        .fold(BODY_TEXT, f32::min)
}

/// The least fade (`disabled_alpha`, from the theme's own up to 1) at which every text of
/// [`text_pairs`] keeps [`threshold`].
#[must_use]
pub fn readable_alpha(v: &Visuals) -> f32 {
    let need = threshold(v);
    let ok = |alpha: f32| {
        text_pairs(v)
            .iter()
            .all(|&(fg, bg)| contrast(faded(fg, bg, alpha), bg) >= need)
    };
    let from = v.disabled_alpha().clamp(0.0, 1.0);
    (0..=100u8)
        .map(|k| f32::from(k) / 100.0)
        .filter(|&a| a >= from)
        .find(|&a| ok(a))
        .unwrap_or(1.0)
}

/// Makes the rest of `ui` read-only (nothing responds), faded no further than
/// [`readable_alpha`].
pub fn read_only(ui: &mut egui::Ui) {
    let alpha = readable_alpha(ui.visuals());
    ui.visuals_mut().disabled_alpha = alpha;
    ui.disable();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contrast of the theme's texts at the fade the app applies to a locked grid, in the
    /// light and the dark theme: at least the threshold. At egui's own fade (what the grid was
    /// drawn with before), the dark theme's labels fell far below it.
    #[test]
    fn locked_text_is_readable_in_both_themes() {
        for (name, v) in [("light", Visuals::light()), ("dark", Visuals::dark())] {
            let need = threshold(&v);
            assert!(need >= 4.0, "{name}: threshold {need}");
            let alpha = readable_alpha(&v);
            for (fg, bg) in text_pairs(&v) {
                let c = contrast(faded(fg, bg, alpha), bg);
                assert!(
                    c >= need,
                    "{name}: {fg:?} on {bg:?} at {alpha}: {c} < {need}"
                );
            }
            assert!(
                alpha < 1.0,
                "{name}: a locked grid still looks locked ({alpha})"
            );
        }
        let dark = Visuals::dark();
        let (fg, bg) = (dark.text_color(), dark.panel_fill);
        let before = contrast(faded(fg, bg, dark.disabled_alpha()), bg);
        assert!(before < 3.0, "egui's own fade: {before}");
    }

    /// The WCAG formula: black on white is 21:1, a colour on itself 1:1.
    #[test]
    fn contrast_formula() {
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
        assert!((contrast(Color32::GRAY, Color32::GRAY) - 1.0).abs() < 1e-6);
        assert_eq!(faded(Color32::WHITE, Color32::BLACK, 1.0), Color32::WHITE);
        assert_eq!(faded(Color32::WHITE, Color32::BLACK, 0.0), Color32::BLACK);
    }
}
