//! Integer powers and square roots, computed wide and rounded once.
//!
//! Squaring in 96-bit `Decimal`s rounds at every step, and the errors
//! double with each squaring. Here the intermediate values keep 70
//! significant digits, so a power whose exact value fits in a `Decimal` is
//! exact, and any other is rounded correctly to the last digit.

use rust_decimal::Decimal;

use super::error::MathError;
use super::fixed::round_to_decimal;
use super::wide::Big;

/// Significant digits kept between squarings.
const PRECISION: u32 = 70;

/// Above 10^30 a value is out of `Decimal` range (and its inverse rounds to 0).
const TOO_LARGE: i64 = 30;

/// Below 10^-30 a value rounds to 0 (and its inverse is out of range).
const TOO_SMALL: i64 = -31;

/// `mag × 10^exp10` with at most [`PRECISION`] digits in `mag`.
#[derive(Clone, Copy, Debug)]
struct Wide {
    mag: Big,
    exp10: i64,
}

impl Wide {
    /// Rounds to [`PRECISION`] digits.
    fn trimmed(mag: Big, exp10: i64) -> Option<Wide> {
        let digits = mag.digits();
        if digits <= PRECISION {
            return Some(Wide { mag, exp10 });
        }
        let drop = digits - PRECISION;
        Some(Wide {
            mag: mag.div_pow10_round(drop)?,
            exp10: exp10.checked_add(i64::from(drop))?,
        })
    }

    fn mul(&self, other: &Wide) -> Option<Wide> {
        Wide::trimmed(
            self.mag.checked_mul(&other.mag)?,
            self.exp10.checked_add(other.exp10)?,
        )
    }

    /// floor(log10(value)) for a nonzero value.
    fn magnitude(&self) -> i64 {
        i64::from(self.mag.digits()) - 1 + self.exp10
    }

    /// 1 / value, to [`PRECISION`] digits; `None` for zero.
    fn recip(&self) -> Option<Wide> {
        let k = PRECISION + self.mag.digits();
        let q = Big::pow10(k)?.div_round(&self.mag)?;
        Wide::trimmed(q, -i64::from(k).checked_add(self.exp10)?)
    }
}

/// What became of a power whose intermediate left the `Decimal` range.
enum Escape {
    /// The magnitude passed 10^30 (the base is larger than 1 in magnitude).
    Large,
    /// The magnitude fell below 10^-30 (the base is smaller than 1).
    Small,
}

/// |base|^n by repeated squaring, stopping as soon as the result is known
/// to leave the range, so even n near 2^96 takes at most ~96 squarings.
fn abs_power(base: Decimal, n: u128) -> Result<Result<Wide, Escape>, MathError> {
    let out_of_range = |w: &Wide| {
        let m = w.magnitude();
        if m >= TOO_LARGE {
            Some(Escape::Large)
        } else if m <= TOO_SMALL {
            Some(Escape::Small)
        } else {
            None
        }
    };
    let mut power = Wide {
        mag: Big::from_u128(base.mantissa().unsigned_abs()),
        exp10: -i64::from(base.scale()),
    };
    let mut result = Wide {
        mag: Big::from_u128(1),
        exp10: 0,
    };
    let mut bits = n;
    loop {
        if bits & 1 == 1 {
            result = result.mul(&power).ok_or(MathError::Overflow)?;
            if let Some(escape) = out_of_range(&result) {
                return Ok(Err(escape));
            }
        }
        bits >>= 1;
        if bits == 0 {
            return Ok(Ok(result));
        }
        power = power.mul(&power).ok_or(MathError::Overflow)?;
        if let Some(escape) = out_of_range(&power) {
            return Ok(Err(escape));
        }
    }
}

/// base^n (or base^-n when `negative`), exact when the result fits in a
/// `Decimal`, else correctly rounded; 0 when it underflows.
pub(crate) fn pow_integer(base: Decimal, n: u128, negative: bool) -> Result<Decimal, MathError> {
    if n == 0 {
        return Ok(Decimal::ONE);
    }
    if base.is_zero() {
        return if negative {
            Err(MathError::DivisionByZero)
        } else {
            Ok(Decimal::ZERO)
        };
    }
    let neg_result = base.is_sign_negative() && n & 1 == 1;
    let value = match abs_power(base, n)? {
        Ok(value) => value,
        Err(Escape::Large) if negative => return Ok(Decimal::ZERO),
        Err(Escape::Small) if !negative => return Ok(Decimal::ZERO),
        Err(_) => return Err(MathError::Overflow),
    };
    let value = if negative {
        value.recip().ok_or(MathError::Overflow)?
    } else {
        value
    };
    round_to_decimal(neg_result, &value.mag, value.exp10)
}

/// Digits of the square root computed before the single final rounding.
const ROOT_PLACES: u32 = 60;

/// The correctly rounded square root (ties away from zero).
pub(crate) fn sqrt(x: Decimal) -> Result<Decimal, MathError> {
    if x.is_sign_negative() && !x.is_zero() {
        return Err(MathError::Domain(
            "square root of a negative number".to_string(),
        ));
    }
    // sqrt(m × 10^-s) × 10^60 = sqrt(m × 10^(120 - s)); its floor rounds
    // correctly below, because a tie can only be exact.
    let m = Big::from_u128(x.mantissa().unsigned_abs());
    let widened = m
        .mul_pow10(2 * ROOT_PLACES - x.scale())
        .ok_or(MathError::Overflow)?;
    let root = widened.isqrt().ok_or(MathError::Overflow)?;
    round_to_decimal(false, &root, -i64::from(ROOT_PLACES))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn p(b: &str, n: i128) -> Result<Decimal, MathError> {
        pow_integer(dec(b), n.unsigned_abs(), n < 0)
    }

    #[test]
    fn exact_powers() {
        assert_eq!(p("2", 10), Ok(dec("1024")));
        assert_eq!(p("-2", 3), Ok(dec("-8")));
        assert_eq!(p("-2", 4), Ok(dec("16")));
        assert_eq!(p("2", -3), Ok(dec("0.125")));
        assert_eq!(p("1.05", 12), Ok(dec("1.795856326022129150390625")));
        assert_eq!(p("10", 28), Ok(dec("10000000000000000000000000000")));
        assert_eq!(p("2", 95), Ok(dec("39614081257132168796771975168")));
        assert_eq!(p("0.1", 28), Ok(dec("0.0000000000000000000000000001")));
        assert_eq!(p("0", 0), Ok(Decimal::ONE));
        assert_eq!(p("0", 5), Ok(Decimal::ZERO));
    }

    #[test]
    fn out_of_range_powers() {
        assert_eq!(p("10", 30), Err(MathError::Overflow));
        assert_eq!(p("2", 96), Err(MathError::Overflow));
        assert_eq!(p("10", -30), Ok(Decimal::ZERO));
        assert_eq!(p("0.1", 30), Ok(Decimal::ZERO));
        assert_eq!(p("0.1", -30), Err(MathError::Overflow));
        assert_eq!(p("0", -1), Err(MathError::DivisionByZero));
        let huge = u128::MAX >> 32;
        assert_eq!(pow_integer(dec("2"), huge, false), Err(MathError::Overflow));
        assert_eq!(pow_integer(dec("-1"), huge, false), Ok(dec("-1")));
        assert_eq!(pow_integer(dec("0.5"), huge, false), Ok(Decimal::ZERO));
        assert_eq!(
            pow_integer(dec("0.5"), huge, true),
            Err(MathError::Overflow)
        );
    }

    #[test]
    fn square_roots() {
        assert_eq!(sqrt(dec("4")), Ok(dec("2")));
        assert_eq!(sqrt(dec("2.25")), Ok(dec("1.5")));
        assert_eq!(sqrt(Decimal::ZERO), Ok(Decimal::ZERO));
        assert_eq!(sqrt(dec("2")), Ok(dec("1.4142135623730950488016887242")));
        assert_eq!(
            sqrt(Decimal::MAX),
            Ok(dec("281474976710656.00000000000000"))
        );
        assert!(matches!(sqrt(dec("-1")), Err(MathError::Domain(_))));
    }
}
