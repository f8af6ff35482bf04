//! Exact fractions of vote counts and their rounded display.
//!
//! Careers depend on "từ 2/3 trở lên" being decided exactly, so decisions compare fractions by
//! cross-multiplication in `u64` (counts are `u32`, so products never overflow) and floats never
//! take part. Percentages are only *shown* rounded.

use std::cmp::Ordering;

use serde::Serialize;

use crate::text::Lang;

/// A non-negative fraction `num / den`, kept unreduced so that it shows the counts it came from
/// ("25/47"). A zero denominator means "no base" (no ballots collected): it has no percentage
/// and crosses no threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Fraction {
    /// The count.
    pub numerator: u32,
    /// The base.
    pub denominator: u32,
}

impl Fraction {
    /// `num / den`.
    #[must_use]
    pub const fn new(numerator: u32, denominator: u32) -> Self {
        Self {
            numerator,
            denominator,
        }
    }

    /// Compares `self` with `other` exactly; `None` when either has a zero denominator.
    #[must_use]
    pub fn cmp_exact(&self, other: &Fraction) -> Option<Ordering> {
        if self.denominator == 0 || other.denominator == 0 {
            return None;
        }
        let lhs = u64::from(self.numerator) * u64::from(other.denominator);
        let rhs = u64::from(other.numerator) * u64::from(self.denominator);
        Some(lhs.cmp(&rhs))
    }

    /// The value in hundredths of a percent, rounded half-up ("53,19%" is 5319).
    ///
    /// Half-up on the exact value: `floor(num * 10000 / den + 1/2)`, computed as
    /// `(2 * num * 10000 + den) / (2 * den)` in integers.
    #[must_use]
    pub fn percent_hundredths(&self) -> Option<u64> {
        if self.denominator == 0 {
            return None;
        }
        let num = u64::from(self.numerator) * 20_000 + u64::from(self.denominator);
        Some(num / (2 * u64::from(self.denominator)))
    }

    /// The percentage with 2 decimals, half-up, without the `%` sign: "53,19" in Vietnamese,
    /// "53.19" in English and machine output. `None` without a base.
    #[must_use]
    pub fn percent_string(&self, lang: Lang) -> Option<String> {
        let separator = match lang {
            Lang::Vi => ',',
            Lang::En => '.',
        };
        self.percent_hundredths()
            .map(|h| format!("{}{separator}{:02}", h / 100, h % 100))
    }

    /// The percentage for people: "53,19%" / "53.19%", or "—" without a base.
    #[must_use]
    pub fn percent_display(&self, lang: Lang) -> String {
        self.percent_string(lang)
            .map_or_else(|| "—".to_owned(), |s| format!("{s}%"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// The published HĐND example (domain.md §3) rounds as published.
    #[test]
    fn published_example_rounds_as_published() {
        let cases = [(19, "40,43"), (2, "4,26"), (25, "53,19")];
        for (count, shown) in cases {
            let f = Fraction::new(count, 47);
            assert_eq!(f.percent_string(Lang::Vi).as_deref(), Some(shown));
            assert_eq!(
                f.percent_string(Lang::En).as_deref(),
                Some(shown.replace(',', ".").as_str())
            );
        }
    }

    /// Exact halves round up: 1/8 = 12.5% → "12.50", 1/16 = 6.25% and 1/3200 = 0.03125% → "0.03".
    #[test]
    fn rounds_half_up_on_exact_value() {
        assert_eq!(
            Fraction::new(1, 8).percent_string(Lang::En).unwrap(),
            "12.50"
        );
        assert_eq!(
            Fraction::new(1, 16).percent_string(Lang::En).unwrap(),
            "6.25"
        );
        assert_eq!(
            Fraction::new(1, 3200).percent_string(Lang::En).unwrap(),
            "0.03"
        );
        assert_eq!(
            Fraction::new(1, 40000).percent_string(Lang::En).unwrap(),
            "0.00"
        );
        assert_eq!(
            Fraction::new(1, 20000).percent_string(Lang::En).unwrap(),
            "0.01"
        );
        assert_eq!(
            Fraction::new(2, 3).percent_string(Lang::Vi).unwrap(),
            "66,67"
        );
        assert_eq!(
            Fraction::new(1, 3).percent_string(Lang::Vi).unwrap(),
            "33,33"
        );
        assert_eq!(
            Fraction::new(7, 7).percent_string(Lang::Vi).unwrap(),
            "100,00"
        );
        assert_eq!(
            Fraction::new(0, 7).percent_string(Lang::Vi).unwrap(),
            "0,00"
        );
    }

    /// A zero base has no percentage and compares with nothing.
    #[test]
    fn zero_base_has_no_percent() {
        let f = Fraction::new(0, 0);
        assert_eq!(f.percent_string(Lang::Vi), None);
        assert_eq!(f.percent_display(Lang::Vi), "—");
        assert_eq!(f.cmp_exact(&Fraction::new(1, 2)), None);
    }

    /// Exact comparison has no rounding: 333333/500000 is below 2/3, 2/3 equals 4/6.
    #[test]
    fn compares_exactly() {
        assert_eq!(
            Fraction::new(4, 6).cmp_exact(&Fraction::new(2, 3)),
            Some(Ordering::Equal)
        );
        assert_eq!(
            Fraction::new(333_333, 500_000).cmp_exact(&Fraction::new(2, 3)),
            Some(Ordering::Less)
        );
        assert_eq!(
            Fraction::new(u32::MAX, u32::MAX).cmp_exact(&Fraction::new(1, 1)),
            Some(Ordering::Equal)
        );
    }
}
