//! `ln` and `exp` kernels on [`Fixed`] values.
//!
//! rust_decimal's own `ln`/`exp` lose up to ~10 units in the last place
//! (and give the wrong sign for `ln` just below 1), so premise computes them
//! here: exact argument reduction by powers of ten and two, then a
//! fast-converging series, all with 64 decimal places.

use std::sync::OnceLock;

use rust_decimal::Decimal;

use super::error::MathError;
use super::fixed::{round_to_decimal, Fixed, PLACES};
use super::wide::Big;

/// Upper bound on series terms; each series converges well before this.
const MAX_TERMS: u64 = 400;

/// ln 2 and ln 10 at 64 places, computed once.
fn constants() -> Option<(Fixed, Fixed)> {
    static CELL: OnceLock<Option<(Fixed, Fixed)>> = OnceLock::new();
    *CELL.get_or_init(|| {
        let one = Fixed::from_int(1)?;
        // ln 2 = 2 atanh(1/3); ln 10 = 3 ln 2 + ln(5/4) = 3 ln 2 + 2 atanh(1/9)
        let ln2 = atanh(&one.div_small(3)?)?.mul_small(2)?;
        let ln_5_4 = atanh(&one.div_small(9)?)?.mul_small(2)?;
        let ln10 = ln2.mul_small(3)?.add(&ln_5_4)?;
        Some((ln2, ln10))
    })
}

/// atanh(z) = z + z^3/3 + z^5/5 + ... for |z| well below 1.
fn atanh(z: &Fixed) -> Option<Fixed> {
    let z2 = z.mul(z)?;
    let mut power = *z;
    let mut sum = *z;
    let mut n: u64 = 1;
    while n < MAX_TERMS {
        power = power.mul(&z2)?;
        n += 2;
        let term = power.div_small(n)?;
        if term.is_zero() {
            break;
        }
        sum = sum.add(&term)?;
    }
    Some(sum)
}

/// Natural logarithm of a positive `Decimal`, as a fixed-point value.
///
/// Writes x = X × 10^e10 with X in [1, 10), halves X until it is below 1.5,
/// then uses ln X = 2 atanh((X-1)/(X+1)).
pub(crate) fn ln_fixed(x: Decimal) -> Result<Fixed, MathError> {
    if x <= Decimal::ZERO {
        return Err(MathError::Domain(
            "ln of zero or a negative number".to_string(),
        ));
    }
    ln_positive(x).ok_or(MathError::Overflow)
}

fn ln_positive(x: Decimal) -> Option<Fixed> {
    let (ln2, ln10) = constants()?;
    let mantissa = Big::from_u128(x.mantissa().unsigned_abs());
    let digits = mantissa.digits();
    let lead = digits.checked_sub(1)?;
    let e10 = i64::from(lead) - i64::from(x.scale());
    // X = mantissa × 10^-(digits-1), exact because digits-1 <= 28 < PLACES
    let mut big_x = Fixed::from_raw(false, mantissa.mul_pow10(PLACES.checked_sub(lead)?)?);
    let one = Fixed::from_int(1)?;
    let limit = Fixed::from_decimal(Decimal::new(15, 1))?;
    let mut halvings: i64 = 0;
    while !big_x.sub(&limit)?.is_negative() {
        big_x = big_x.div_small(2)?;
        halvings += 1;
    }
    let z = big_x.sub(&one)?.div(&big_x.add(&one)?)?;
    let ln_x = atanh(&z)?.mul_small(2)?;
    ln_x.add(&ln2.mul_small(halvings)?)?
        .add(&ln10.mul_small(e10)?)
}

/// Results of `exp` beyond this magnitude of argument are out of range
/// (or round to zero): e^67 > 7.9e28 and e^-67 < 0.5e-28.
const EXP_LIMIT: u32 = 67;

/// e^t rounded to a `Decimal`: overflow above ±7.9e28, 0 when it is below
/// half of the smallest representable step (1e-28).
pub(crate) fn exp_to_decimal(t: &Fixed) -> Result<Decimal, MathError> {
    if t.abs_exceeds(EXP_LIMIT).ok_or(MathError::Overflow)? {
        return if t.is_negative() {
            Ok(Decimal::ZERO)
        } else {
            Err(MathError::Overflow)
        };
    }
    let (k, e_r) = exp_reduced(t).ok_or(MathError::Overflow)?;
    round_to_decimal(false, &e_r.raw_mag(), k - i64::from(PLACES))
}

/// Returns (k, e^r) with t = k ln 10 + r and |r| <= ln(10)/2, so that
/// e^t = e^r × 10^k exactly in decimal.
fn exp_reduced(t: &Fixed) -> Option<(i64, Fixed)> {
    let (_, ln10) = constants()?;
    let k = t.div(&ln10)?.round_to_int()?;
    let r = t.sub(&ln10.mul_small(k)?)?;
    let mut term = Fixed::from_int(1)?;
    let mut sum = term;
    for n in 1..MAX_TERMS {
        term = term.mul(&r)?.div_small(n)?;
        if term.is_zero() {
            break;
        }
        sum = sum.add(&term)?;
    }
    Some((k, sum))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn to_dec(f: &Fixed) -> Decimal {
        round_to_decimal(f.is_negative(), &f.raw_mag(), -(PLACES as i64)).unwrap()
    }

    #[test]
    fn constants_are_right() {
        let (ln2, ln10) = constants().unwrap();
        assert_eq!(to_dec(&ln2), dec("0.6931471805599453094172321215"));
        assert_eq!(to_dec(&ln10), dec("2.3025850929940456840179914547"));
    }

    #[test]
    fn ln_of_simple_values() {
        assert_eq!(to_dec(&ln_fixed(Decimal::ONE).unwrap()), Decimal::ZERO);
        assert_eq!(
            to_dec(&ln_fixed(dec("10")).unwrap()),
            dec("2.3025850929940456840179914547")
        );
        assert!(matches!(ln_fixed(Decimal::ZERO), Err(MathError::Domain(_))));
        assert!(matches!(ln_fixed(dec("-1")), Err(MathError::Domain(_))));
    }

    #[test]
    fn exp_limits() {
        assert_eq!(
            exp_to_decimal(&Fixed::from_int(0).unwrap()),
            Ok(Decimal::ONE)
        );
        assert_eq!(
            exp_to_decimal(&Fixed::from_int(-100).unwrap()),
            Ok(Decimal::ZERO)
        );
        assert_eq!(
            exp_to_decimal(&Fixed::from_int(100).unwrap()),
            Err(MathError::Overflow)
        );
        assert_eq!(
            exp_to_decimal(&Fixed::from_int(67).unwrap()),
            Err(MathError::Overflow)
        );
    }
}
