//! Checked decimal maths that never panics.
//!
//! Every operation a formula can perform on numbers goes through here, so
//! that overflow, division by zero and out-of-domain arguments become
//! errors with a message an analyst understands, never a crash or a wrap.

use rust_decimal::{Decimal, RoundingStrategy};

use super::error::MathError;
use super::{power, series};

/// Turns -0 into 0, so that no caller ever has to print "-0".
#[inline]
fn positive_zero(x: Decimal) -> Decimal {
    if x.is_zero() {
        Decimal::ZERO
    } else {
        x
    }
}

/// Exact sum (out of range: [`MathError::Overflow`]).
#[inline]
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, MathError> {
    a.checked_add(b)
        .map(positive_zero)
        .ok_or(MathError::Overflow)
}

/// Exact difference (out of range: [`MathError::Overflow`]).
#[inline]
pub fn sub(a: Decimal, b: Decimal) -> Result<Decimal, MathError> {
    a.checked_sub(b)
        .map(positive_zero)
        .ok_or(MathError::Overflow)
}

/// Product; exact unless it needs more than 28 decimal places, in which
/// case rust_decimal rounds the last places.
#[inline]
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, MathError> {
    a.checked_mul(b)
        .map(positive_zero)
        .ok_or(MathError::Overflow)
}

/// Quotient rounded to the last representable digit; a zero divisor is
/// [`MathError::DivisionByZero`].
#[inline]
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal, MathError> {
    if b.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    if let Some(q) = by_power_of_ten(a, b) {
        return Ok(positive_zero(q));
    }
    a.checked_div(b)
        .map(positive_zero)
        .ok_or(MathError::Overflow)
}

/// `a / b` when `b` is a whole power of ten (`/ 100`, `/ 1000`) and the
/// quotient's digits fit: the same digits a place further right, exactly,
/// without the long division (models divide by 100 and 1000 often).
#[inline]
fn by_power_of_ten(a: Decimal, b: Decimal) -> Option<Decimal> {
    if b.scale() != 0 || b.is_sign_negative() {
        return None;
    }
    let mut m = b.mantissa();
    let mut places = 0u32;
    while m > 1 && m % 10 == 0 {
        m /= 10;
        places += 1;
    }
    if m != 1 {
        return None;
    }
    let mut q = a;
    q.set_scale(a.scale().checked_add(places)?).ok()?;
    // rust_decimal's own quotient drops the trailing zeros its division
    // does not need; the same digits with them dropped are the same value.
    Some(q.normalize())
}

/// `base ^ exp`, the formula language's `^`.
///
/// Integer exponents (of any size) are exact when the result fits and
/// correctly rounded otherwise; results too small to show become 0.
/// Fractional exponents need a positive base (or zero with a positive
/// exponent) and are computed as e^(exp × ln base) to ~28 digits.
pub fn pow(base: Decimal, exp: Decimal) -> Result<Decimal, MathError> {
    let e = exp.normalize();
    if e.scale() == 0 {
        return power::pow_integer(base, e.mantissa().unsigned_abs(), e.is_sign_negative());
    }
    if base.is_zero() {
        return if e.is_sign_negative() {
            Err(MathError::DivisionByZero)
        } else {
            Ok(Decimal::ZERO)
        };
    }
    if base.is_sign_negative() {
        return Err(MathError::Domain(
            "a negative number to a fractional power".to_string(),
        ));
    }
    let t = series::ln_fixed(base)?
        .mul_decimal(e)
        .ok_or(MathError::Overflow)?;
    series::exp_to_decimal(&t)
}

/// Square root, correctly rounded; negative input is a domain error.
pub fn sqrt(x: Decimal) -> Result<Decimal, MathError> {
    power::sqrt(x)
}

/// Natural logarithm, correct to the last digit; zero or negative input
/// is a domain error.
pub fn ln(x: Decimal) -> Result<Decimal, MathError> {
    let fixed = series::ln_fixed(x)?;
    super::fixed::round_to_decimal(
        fixed.is_negative(),
        &fixed.raw_mag(),
        -i64::from(super::fixed::PLACES),
    )
}

/// e^x, correct to the last digit; overflow above about e^66.5, and 0 when
/// the result is below 0.5e-28.
pub fn exp(x: Decimal) -> Result<Decimal, MathError> {
    let t = super::fixed::Fixed::from_decimal(x).ok_or(MathError::Overflow)?;
    series::exp_to_decimal(&t)
}

/// Largest number of decimal places a `Decimal` can have.
const MAX_PLACES: i64 = 28;

/// Rounds half away from zero to `digits` decimal places, as spreadsheets
/// do: `round(2.5)` = 3, `round(-2.5)` = -3, `round(2.345, 2)` = 2.35.
///
/// Negative `digits` round to tens, hundreds, ...: `round(1234, -2)` =
/// 1200. More than 28 places leaves `x` unchanged; a rounding that would
/// leave the range (`round(7.9e28, -29)`) is an overflow.
pub fn round_half_away(x: Decimal, digits: i64) -> Result<Decimal, MathError> {
    if digits > MAX_PLACES {
        return Ok(x);
    }
    if let Ok(places) = u32::try_from(digits) {
        let rounded = x.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
        return Ok(positive_zero(rounded));
    }
    // digits < 0: count whole units of 10^n in the mantissa, with n = -digits.
    let n = digits.unsigned_abs();
    let mantissa = x.mantissa().unsigned_abs();
    let divisor_exp = n.saturating_add(u64::from(x.scale()));
    // mantissa < 7.93e28 < half of 10^30: from there on everything rounds to 0.
    let divisor = match u32::try_from(divisor_exp).ok().filter(|&e| e < 30) {
        Some(e) => 10u128.checked_pow(e).ok_or(MathError::Overflow)?,
        None => return Ok(Decimal::ZERO),
    };
    let remainder = mantissa.checked_rem(divisor).ok_or(MathError::Overflow)?;
    let mut units = mantissa.checked_div(divisor).ok_or(MathError::Overflow)?;
    if remainder.saturating_mul(2) >= divisor {
        units = units.saturating_add(1);
    }
    // n < 30 here, because divisor_exp = n + scale < 30.
    let magnitude = u32::try_from(n)
        .ok()
        .and_then(|n| 10u128.checked_pow(n))
        .and_then(|unit| units.checked_mul(unit))
        .and_then(|m| i128::try_from(m).ok())
        .ok_or(MathError::Overflow)?;
    let signed = if x.is_sign_negative() {
        -magnitude
    } else {
        magnitude
    };
    Decimal::try_from_i128_with_scale(signed, 0)
        .map(positive_zero)
        .map_err(|_| MathError::Overflow)
}

/// Largest integer not above `x`.
pub fn floor(x: Decimal) -> Decimal {
    positive_zero(x.floor())
}

/// Smallest integer not below `x`.
pub fn ceil(x: Decimal) -> Decimal {
    positive_zero(x.ceil())
}

/// Magnitude of `x`.
pub fn abs(x: Decimal) -> Decimal {
    x.abs()
}
