//! Exact conversion factors: how many base units one unit is (a kWh is
//! 3,600,000 J, a minute 60 s), and the ratio between two units of one
//! dimension.
//!
//! A factor is held as a fraction of two integers and a power of ten, so
//! that `1/min` or a chain of declared units stays exact, and a high power
//! (`[TWh^3]`) neither overflows nor underflows a decimal. Converting an
//! amount multiplies by the numerator and divides by the denominator with
//! wide integers and rounds once, at the last digit (docs/language.md#units).

use rust_decimal::Decimal;

use crate::value::error::MathError;
use crate::value::fixed::round_to_decimal;
use crate::value::wide::Big;

/// Digits kept in a numerator or a denominator: as many as a decimal holds.
const DIGITS: u32 = 28;

/// Guard digits of a quotient before its one rounding.
const GUARD: u32 = 40;

/// An exact positive ratio, `num / den × 10^exp`.
///
/// It exists so that conversions are exact multiplications by decimal
/// factors and a division rounds only once. Invariant: `num` and `den` are
/// at least 1, have no common divisor and no trailing zeros (those go into
/// `exp`); so derived equality is equality of ratios.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ratio {
    num: u128,
    den: u128,
    exp: i32,
}

/// Greatest common divisor (Euclid).
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `x` with its trailing zeros moved into a power of ten: (1200) is (12, 2).
fn strip_zeros(mut x: u128) -> (u128, i64) {
    let mut shift = 0;
    while x != 0 && x.is_multiple_of(10) {
        x /= 10;
        shift += 1;
    }
    (x, shift)
}

/// `x` rounded to [`DIGITS`] significant digits, as an integer and the
/// power of ten it was divided by.
fn rounded(x: &Big) -> Option<(u128, i64)> {
    let digits = x.digits();
    if digits <= DIGITS {
        return Some((x.to_u128()?, 0));
    }
    let drop = digits - DIGITS;
    Some((x.div_pow10_round(drop)?.to_u128()?, i64::from(drop)))
}

impl Ratio {
    /// One: the factor of a base unit, and of a conversion that changes nothing.
    pub const ONE: Ratio = Ratio {
        num: 1,
        den: 1,
        exp: 0,
    };

    /// Builds `num / den × 10^exp` in lowest terms; `None` when the power
    /// of ten leaves what a ratio holds.
    fn new(num: u128, den: u128, exp: i64) -> Option<Ratio> {
        if num == 0 || den == 0 {
            return None;
        }
        let (num, up) = strip_zeros(num);
        let (den, down) = strip_zeros(den);
        let g = gcd(num, den);
        let exp = exp.checked_add(up)?.checked_sub(down)?;
        Some(Ratio {
            num: num / g,
            den: den / g,
            exp: i32::try_from(exp).ok()?,
        })
    }

    /// The factor of a positive decimal (`1055.05585262`); `None` for zero
    /// or a negative number.
    pub fn of(x: Decimal) -> Option<Ratio> {
        if x <= Decimal::ZERO {
            return None;
        }
        let (num, shift) = rounded(&Big::from_u128(x.mantissa().unsigned_abs()))?;
        Ratio::new(num, 1, shift - i64::from(x.scale()))
    }

    /// `mantissa × 10^exp`, for the built-in table (`36 × 10^5` J is a kWh).
    pub const fn scientific(mantissa: u128, exp: i32) -> Ratio {
        // The table's mantissas are small and without trailing zeros.
        Ratio {
            num: mantissa,
            den: 1,
            exp,
        }
    }

    /// Whether converting by this ratio changes nothing.
    pub fn is_one(self) -> bool {
        self == Ratio::ONE
    }

    /// The product of two ratios, exact up to 28 significant digits in the
    /// numerator and in the denominator; `None` past the range of powers.
    pub fn checked_mul(self, other: Ratio) -> Option<Ratio> {
        // Cross-reduce first, so that exact products stay small.
        let g1 = gcd(self.num, other.den);
        let g2 = gcd(other.num, self.den);
        let num = Big::from_u128(self.num / g1).checked_mul(&Big::from_u128(other.num / g2))?;
        let den = Big::from_u128(self.den / g2).checked_mul(&Big::from_u128(other.den / g1))?;
        let (num, up) = rounded(&num)?;
        let (den, down) = rounded(&den)?;
        let exp = i64::from(self.exp) + i64::from(other.exp) + up - down;
        Ratio::new(num, den, exp)
    }

    /// One over the ratio.
    pub fn inverse(self) -> Option<Ratio> {
        Some(Ratio {
            num: self.den,
            den: self.num,
            exp: self.exp.checked_neg()?,
        })
    }

    /// The quotient of two ratios.
    pub fn checked_div(self, other: Ratio) -> Option<Ratio> {
        self.checked_mul(other.inverse()?)
    }

    /// The ratio to an integer power, by repeated squaring; `None` past the
    /// range of powers.
    pub fn powi(self, n: i64) -> Option<Ratio> {
        let mut base = if n < 0 { self.inverse()? } else { self };
        let mut left = n.unsigned_abs();
        let mut out = Ratio::ONE;
        while left > 0 {
            if left & 1 == 1 {
                out = out.checked_mul(base)?;
            }
            left >>= 1;
            if left > 0 {
                base = base.checked_mul(base)?;
            }
        }
        Some(out)
    }

    /// `amount × self`, rounded once at the last digit (ties away from
    /// zero); out of range is [`MathError::Overflow`], and an amount too
    /// small to show becomes 0, as everywhere.
    pub fn apply(self, amount: Decimal) -> Result<Decimal, MathError> {
        if self.is_one() || amount.is_zero() {
            return Ok(amount);
        }
        let negative = amount.is_sign_negative();
        let scale = i64::from(amount.scale());
        let product = Big::from_u128(amount.mantissa().unsigned_abs())
            .checked_mul(&Big::from_u128(self.num))
            .ok_or(MathError::Overflow)?;
        if self.den == 1 {
            return round_to_decimal(negative, &product, i64::from(self.exp) - scale);
        }
        let widened = product.mul_pow10(GUARD).ok_or(MathError::Overflow)?;
        let (quotient, remainder) = widened
            .divrem(&Big::from_u128(self.den))
            .ok_or(MathError::Overflow)?;
        // A digit past the guard digits that is neither 0 nor 5 keeps an
        // inexact quotient from reading as a tie when it is rounded.
        let (digits, sticky) = if remainder.is_zero() {
            (quotient, 0)
        } else {
            let marked = quotient
                .checked_mul_small(10)
                .and_then(|q| q.checked_add(&Big::from_u128(1)))
                .ok_or(MathError::Overflow)?;
            (marked, 1)
        };
        round_to_decimal(
            negative,
            &digits,
            i64::from(self.exp) - scale - i64::from(GUARD) - sticky,
        )
    }

    /// The ratio as a decimal (rounded at the last digit), for messages.
    pub fn to_decimal(self) -> Result<Decimal, MathError> {
        self.apply(Decimal::ONE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn r(s: &str) -> Ratio {
        Ratio::of(d(s)).unwrap()
    }

    #[test]
    fn lowest_terms_make_equal_ratios_equal() {
        assert_eq!(r("3600").checked_div(r("60")), Some(r("60")));
        assert_eq!(r("1000").checked_div(r("1000")), Some(Ratio::ONE));
        assert_eq!(r("3.6").checked_mul(r("1000000")), Some(r("3600000")));
        assert_eq!(Ratio::scientific(36, 5), r("3600000"));
        assert_eq!(r("0.001").inverse(), Some(r("1000")));
        assert!(Ratio::of(Decimal::ZERO).is_none());
        assert!(Ratio::of(d("-2")).is_none());
    }

    #[test]
    fn conversions_are_exact_where_the_decimals_are() {
        let cases = [
            // (amount, factor numerator, factor denominator, result)
            ("1.5", "1000", "1", "1500"),
            ("500", "1", "1000", "0.5"),
            ("90", "60", "3600", "1.5"),
            ("1", "3600", "3600000", "0.001"),
            ("8760", "3600", "31536000", "1"),
            ("-2", "1000", "1", "-2000"),
            ("0", "7", "3", "0"),
            ("1", "1", "3", "0.3333333333333333333333333333"),
            ("2", "1", "3", "0.6666666666666666666666666667"),
            ("-2", "1", "3", "-0.6666666666666666666666666667"),
            ("100", "1", "60", "1.6666666666666666666666666667"),
        ];
        for (amount, num, den, want) in cases {
            let factor = r(num).checked_div(r(den)).unwrap();
            assert_eq!(
                factor.apply(d(amount)),
                Ok(d(want)),
                "{amount} × {num}/{den}"
            );
        }
    }

    #[test]
    fn one_rounding_half_away_from_zero() {
        // 0.125 is exact; 1/8 of 1 with three places is a tie only when exact
        let eighth = r("1").checked_div(r("8")).unwrap();
        assert_eq!(eighth.apply(d("1")), Ok(d("0.125")));
        // 1/7 × 7 is 1 exactly: a single rounding of the exact quotient
        let seventh = r("1").checked_div(r("7")).unwrap();
        assert_eq!(seventh.apply(d("7")), Ok(d("1")));
    }

    #[test]
    fn out_of_range_is_an_error_and_tiny_is_zero() {
        let big = Ratio::scientific(1, 20);
        assert_eq!(big.apply(d("1000000000")), Err(MathError::Overflow));
        let tiny = Ratio::scientific(1, -40);
        assert_eq!(tiny.apply(d("1")), Ok(Decimal::ZERO));
    }

    #[test]
    fn powers() {
        let kwh = Ratio::scientific(36, 5);
        assert_eq!(kwh.powi(2), Some(r("12960000000000")));
        assert_eq!(kwh.powi(0), Some(Ratio::ONE));
        assert_eq!(kwh.powi(-1).unwrap().apply(d("3600000")), Ok(Decimal::ONE));
        // a power of ten far beyond any decimal is refused, not wrapped
        assert_eq!(Ratio::scientific(1, 1_000_000_000).powi(3), None);
        assert_eq!(Ratio::ONE.powi(i64::from(i32::MAX)), Some(Ratio::ONE));
    }
}
