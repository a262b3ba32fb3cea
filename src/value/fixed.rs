//! Signed fixed-point numbers with 64 decimal places, and the conversion
//! of wide results back to `Decimal`.
//!
//! `ln` and `exp` are computed here with an absolute error near 1e-62, far
//! below the last digit a `Decimal` can hold, so that the final rounding
//! to 28 digits is (almost always) the correctly rounded result.

use rust_decimal::Decimal;

use super::error::MathError;
use super::wide::Big;

/// Decimal places carried by [`Fixed`].
pub(crate) const PLACES: u32 = 64;

/// The largest mantissa a `Decimal` can hold, 2^96 - 1.
const DECIMAL_MANTISSA_MAX: u128 = (1u128 << 96) - 1;

/// A signed value `±mag × 10^-64`.
///
/// It exists to run series expansions with plenty of guard digits; its
/// operations return `None` on internal overflow instead of panicking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fixed {
    neg: bool,
    mag: Big,
}

/// 10^64, the fixed-point unit.
fn unit() -> Option<Big> {
    Big::pow10(PLACES)
}

impl Fixed {
    /// Builds a value from sign and magnitude, normalising -0 to 0.
    fn new(neg: bool, mag: Big) -> Fixed {
        Fixed {
            neg: neg && !mag.is_zero(),
            mag,
        }
    }

    /// A small integer.
    pub(crate) fn from_int(v: i64) -> Option<Fixed> {
        let mag = Big::from_u128(v.unsigned_abs() as u128).checked_mul(&unit()?)?;
        Some(Fixed::new(v < 0, mag))
    }

    /// The exact fixed-point image of a `Decimal` (at most 28 places, so exact).
    pub(crate) fn from_decimal(d: Decimal) -> Option<Fixed> {
        let mag = Big::from_u128(d.mantissa().unsigned_abs());
        let mag = mag.mul_pow10(PLACES.checked_sub(d.scale())?)?;
        Some(Fixed::new(d.is_sign_negative(), mag))
    }

    /// Builds `mantissa × 10^-64` directly.
    pub(crate) fn from_raw(neg: bool, mag: Big) -> Fixed {
        Fixed::new(neg, mag)
    }

    /// The magnitude in units of 10^-64.
    pub(crate) fn raw_mag(&self) -> Big {
        self.mag
    }

    /// True for negative values.
    pub(crate) fn is_negative(&self) -> bool {
        self.neg
    }

    /// True for zero.
    pub(crate) fn is_zero(&self) -> bool {
        self.mag.is_zero()
    }

    /// The negation.
    pub(crate) fn neg(&self) -> Fixed {
        Fixed::new(!self.neg, self.mag)
    }

    /// The sum.
    pub(crate) fn add(&self, other: &Fixed) -> Option<Fixed> {
        if self.neg == other.neg {
            return Some(Fixed::new(self.neg, self.mag.checked_add(&other.mag)?));
        }
        if self.mag >= other.mag {
            Some(Fixed::new(self.neg, self.mag.checked_sub(&other.mag)?))
        } else {
            Some(Fixed::new(other.neg, other.mag.checked_sub(&self.mag)?))
        }
    }

    /// The difference.
    pub(crate) fn sub(&self, other: &Fixed) -> Option<Fixed> {
        self.add(&other.neg())
    }

    /// The product, rounded to 64 places.
    pub(crate) fn mul(&self, other: &Fixed) -> Option<Fixed> {
        let wide = self.mag.checked_mul(&other.mag)?;
        Some(Fixed::new(
            self.neg != other.neg,
            wide.div_pow10_round(PLACES)?,
        ))
    }

    /// The product with an exact `Decimal` (no extra rounding of the factor).
    pub(crate) fn mul_decimal(&self, d: Decimal) -> Option<Fixed> {
        let wide = self
            .mag
            .checked_mul(&Big::from_u128(d.mantissa().unsigned_abs()))?;
        Some(Fixed::new(
            self.neg != d.is_sign_negative(),
            wide.div_pow10_round(d.scale())?,
        ))
    }

    /// The quotient, rounded to 64 places; `None` for a zero divisor.
    pub(crate) fn div(&self, other: &Fixed) -> Option<Fixed> {
        let wide = self.mag.mul_pow10(PLACES)?;
        Some(Fixed::new(
            self.neg != other.neg,
            wide.div_round(&other.mag)?,
        ))
    }

    /// Multiplies by a small integer.
    pub(crate) fn mul_small(&self, m: i64) -> Option<Fixed> {
        let mag = self.mag.checked_mul_small(m.unsigned_abs())?;
        Some(Fixed::new(self.neg != (m < 0), mag))
    }

    /// Divides by a small positive integer, rounding to nearest.
    pub(crate) fn div_small(&self, d: u64) -> Option<Fixed> {
        let mag = self.mag.div_round(&Big::from_u128(d as u128))?;
        Some(Fixed::new(self.neg, mag))
    }

    /// The nearest integer (ties away from zero), if it fits an `i64`.
    pub(crate) fn round_to_int(&self) -> Option<i64> {
        let n = self.mag.div_pow10_round(PLACES)?.to_u128()?;
        let n = i64::try_from(n).ok()?;
        Some(if self.neg { -n } else { n })
    }

    /// Compares magnitudes with an integer bound.
    pub(crate) fn abs_exceeds(&self, bound: u32) -> Option<bool> {
        Some(self.mag > Big::from_u128(bound as u128).checked_mul(&unit()?)?)
    }
}

/// Rounds `±mag × 10^exp10` to the nearest `Decimal` (ties away from zero).
///
/// The result keeps as many digits as a `Decimal` can (at most 28 places,
/// mantissa below 2^96), is normalised (no trailing zeros, no -0), is 0
/// when the value is below half of 10^-28, and is `Overflow` when it is
/// beyond ±7.9e28.
pub(crate) fn round_to_decimal(neg: bool, mag: &Big, exp10: i64) -> Result<Decimal, MathError> {
    if mag.is_zero() {
        return Ok(Decimal::ZERO);
    }
    let integer_digits = i64::from(mag.digits()) + exp10;
    if integer_digits > 29 {
        return Err(MathError::Overflow);
    }
    let mut scale = (29 - integer_digits).clamp(0, 28);
    loop {
        let shift = exp10 + scale;
        let rounded = if shift >= 0 {
            let up = u32::try_from(shift).map_err(|_| MathError::Overflow)?;
            mag.mul_pow10(up)
        } else {
            let down = u32::try_from(-shift).unwrap_or(u32::MAX);
            mag.div_pow10_round(down)
        }
        .ok_or(MathError::Overflow)?;
        match rounded.to_u128() {
            Some(m) if m <= DECIMAL_MANTISSA_MAX => {
                if m == 0 {
                    return Ok(Decimal::ZERO);
                }
                let signed = i128::try_from(m).map_err(|_| MathError::Overflow)?;
                let signed = if neg { -signed } else { signed };
                let scale_u32 = u32::try_from(scale).map_err(|_| MathError::Overflow)?;
                let d = Decimal::try_from_i128_with_scale(signed, scale_u32)
                    .map_err(|_| MathError::Overflow)?;
                return Ok(d.normalize());
            }
            _ => {
                if scale == 0 {
                    return Err(MathError::Overflow);
                }
                scale -= 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn decimal_round_trip() {
        for s in [
            "0",
            "1",
            "-2.5",
            "0.0000000000000000000000000001",
            "79228162514264337593543950335",
        ] {
            let f = Fixed::from_decimal(dec(s)).unwrap();
            assert_eq!(
                round_to_decimal(f.is_negative(), &f.raw_mag(), -(PLACES as i64)),
                Ok(dec(s).normalize())
            );
        }
    }

    #[test]
    fn arithmetic() {
        let a = Fixed::from_decimal(dec("1.5")).unwrap();
        let b = Fixed::from_decimal(dec("-0.25")).unwrap();
        let back = |f: Fixed| round_to_decimal(f.is_negative(), &f.raw_mag(), -64).unwrap();
        assert_eq!(back(a.add(&b).unwrap()), dec("1.25"));
        assert_eq!(back(b.sub(&a).unwrap()), dec("-1.75"));
        assert_eq!(back(a.mul(&b).unwrap()), dec("-0.375"));
        assert_eq!(back(a.div(&b).unwrap()), dec("-6"));
        assert_eq!(back(a.mul_decimal(dec("-2")).unwrap()), dec("-3"));
        assert_eq!(a.round_to_int(), Some(2));
        assert_eq!(b.round_to_int(), Some(0));
        assert_eq!(b.mul_small(-10).unwrap().round_to_int(), Some(3));
        assert!(a.div(&Fixed::from_int(0).unwrap()).is_none());
    }

    #[test]
    fn rounding_to_decimal() {
        let one = Big::from_u128(1);
        assert_eq!(
            round_to_decimal(false, &one, -28),
            Ok(dec("0.0000000000000000000000000001"))
        );
        assert_eq!(
            round_to_decimal(false, &Big::from_u128(5), -29),
            Ok(dec("0.0000000000000000000000000001"))
        );
        assert_eq!(
            round_to_decimal(true, &Big::from_u128(4), -29),
            Ok(Decimal::ZERO)
        );
        assert_eq!(
            round_to_decimal(false, &one, 28),
            Ok(dec("10000000000000000000000000000"))
        );
        assert_eq!(round_to_decimal(false, &one, 29), Err(MathError::Overflow));
        // 2^96 does not fit, even though it has 29 digits
        assert_eq!(
            round_to_decimal(false, &Big::from_u128(1u128 << 96), 0),
            Err(MathError::Overflow)
        );
        // 29 significant digits that do fit keep every digit
        let m = Big::from_u128(79_228_162_514_264_337_593_543_950_335);
        assert_eq!(
            round_to_decimal(false, &m, -28),
            Ok(dec("7.9228162514264337593543950335"))
        );
        // one more digit than fits is rounded away
        let m = Big::from_u128(792_281_625_142_643_375_935_439_503_356);
        assert_eq!(
            round_to_decimal(false, &m, -29),
            Ok(dec("7.922816251426433759354395034"))
        );
    }
}
