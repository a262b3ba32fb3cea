//! A distribution ready to draw from many times: its binary floating-point
//! parameters worked out once, and each draw turned into a decimal.
//!
//! A simulation draws from each input once per sample (100,000 times for
//! `--samples 100000`), so what does not depend on the random number is
//! computed here once, and the conversion to a decimal is a few
//! multiplications rather than an exact expansion of the float's bits.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::distribution::{Distribution, Family};
use super::normal::{quantile, Z95};

/// How many significant digits a draw keeps: every 15-digit decimal
/// survives a round trip through a 64-bit float, so these digits are the
/// draw's own, not noise from its binary form.
pub const DIGITS: u32 = 15;

/// A distribution's parameters in binary floating point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Sampler {
    /// `exp(mu + sigma·z)`: a range `a to b`.
    Range { mu: f64, sigma: f64 },
    /// `mid + sigma·z`: `normal(a to b)`.
    Normal { mid: f64, sigma: f64 },
    /// `low + u·width`: `uniform(a, b)`.
    Uniform { low: f64, width: f64 },
    /// `triangular(low, mode, high)`.
    Triangular { low: f64, mode: f64, high: f64 },
}

impl Sampler {
    /// The parameters of `d`.
    pub fn new(d: &Distribution) -> Sampler {
        let [a, b, c] = d.ends().map(|x| x.to_f64().unwrap_or(f64::NAN));
        match d.family() {
            Family::Range => {
                let (la, lb) = (a.ln(), b.ln());
                Sampler::Range {
                    mu: (la + lb) / 2.0,
                    sigma: (lb - la) / (2.0 * Z95),
                }
            }
            Family::Normal => Sampler::Normal {
                mid: a / 2.0 + b / 2.0,
                sigma: (b - a) / (2.0 * Z95),
            },
            Family::Uniform => Sampler::Uniform {
                low: a,
                width: b - a,
            },
            Family::Triangular => Sampler::Triangular {
                low: a,
                mode: b,
                high: c,
            },
        }
    }

    /// The value drawn at the uniform number `u` (0 < u < 1): the
    /// `u`-quantile, to [`DIGITS`] significant digits. `None` when it does
    /// not fit a decimal (an overflow).
    pub fn draw(&self, u: f64) -> Option<Decimal> {
        let x = match *self {
            Sampler::Range { mu, sigma } => (mu + sigma * quantile(u)).exp(),
            Sampler::Normal { mid, sigma } => mid + sigma * quantile(u),
            Sampler::Uniform { low, width } => low + u * width,
            Sampler::Triangular { low, mode, high } => {
                let share = (mode - low) / (high - low);
                if u <= share {
                    low + (u * (high - low) * (mode - low)).sqrt()
                } else {
                    high - ((1.0 - u) * (high - low) * (high - mode)).sqrt()
                }
            }
        };
        to_decimal(x)
    }
}

/// Powers of ten as floats, written as literals: exact up to 10²², the
/// nearest float beyond, the same on every machine.
pub(super) const POWERS: [f64; 29] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22, 1e23, 1e24, 1e25, 1e26, 1e27, 1e28,
];

/// The largest scale a decimal takes.
const MAX_SCALE: i32 = 28;

/// `x` rounded to [`DIGITS`] significant digits as a decimal (half away
/// from zero; below 10⁻⁸, where the power of ten a float holds is no longer
/// exact, within one unit of the last digit; fewer digits below 10⁻¹⁴,
/// where the decimal's 28 places run out). `None` for a value too large for
/// a decimal or not finite. Only IEEE operations are used, each correctly
/// rounded by definition, so every machine gives the same digits.
pub fn to_decimal(x: f64) -> Option<Decimal> {
    if !x.is_finite() {
        return None;
    }
    let a = x.abs();
    if a < 0.5e-28 {
        return Some(Decimal::ZERO);
    }
    // A first guess at the scale that puts the digits in [10^14, 10^15),
    // corrected below: log10 may be off by one ulp from machine to machine,
    // the tests on the scaled value are not.
    let digits = DIGITS as i32;
    let guess = a.log10().floor();
    if !guess.is_finite() || guess > 29.0 {
        return None;
    }
    let mut scale = (digits - 1 - guess as i32).min(MAX_SCALE);
    let low = POWERS.get(DIGITS as usize - 1).copied().unwrap_or(1e14);
    let high = low * 10.0;
    for _ in 0..3 {
        let scaled = scaled(a, scale)?;
        if scaled >= high && scale > -MAX_SCALE {
            scale -= 1;
        } else if scaled < low && scale < MAX_SCALE {
            scale += 1;
        } else {
            break;
        }
    }
    let mut mantissa = nearest(a, scale)? as i128;
    let mut shift = 0u32;
    if scale < 0 {
        shift = scale.unsigned_abs();
        scale = 0;
    }
    let mut scale = scale.unsigned_abs();
    while scale > 0 && mantissa % 10 == 0 {
        mantissa /= 10;
        scale -= 1;
    }
    let mantissa = mantissa.checked_mul(10i128.checked_pow(shift)?)?;
    let signed = if x < 0.0 { -mantissa } else { mantissa };
    Decimal::try_from_i128_with_scale(signed, scale).ok()
}

/// `a · 10^scale` rounded to the nearest whole number (half away from
/// zero), `a` ≥ 0. The product's own rounding can tip a value just under a
/// half over it: where the power of ten is exact (up to 10²²), a fused
/// multiply-add gives the exact remainder, which settles it.
fn nearest(a: f64, scale: i32) -> Option<f64> {
    let p = scaled(a, scale)?;
    let m = p.round();
    // Far enough from a half that the product's rounding (half a unit in its
    // last place, at most p·2⁻⁵³) cannot have crossed it: the common case.
    let near_half = ((p - p.trunc()) - 0.5).abs() <= p * f64::EPSILON;
    let power = POWERS.get(scale.unsigned_abs() as usize).copied()?;
    if !near_half || scale.unsigned_abs() > 22 {
        return Some(m);
    }
    // What is left of a·10^scale (or, dividing, of a) once m is taken away.
    let (left, half) = if scale >= 0 {
        (a.mul_add(power, -m), 0.5)
    } else {
        ((-m).mul_add(power, a), power / 2.0)
    };
    Some(if left >= half {
        m + 1.0
    } else if left < -half {
        m - 1.0
    } else {
        m
    })
}

/// `a · 10^scale` (a division for a negative scale).
fn scaled(a: f64, scale: i32) -> Option<f64> {
    let power = POWERS.get(scale.unsigned_abs() as usize).copied()?;
    Some(if scale >= 0 { a * power } else { a / power })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn keeps_fifteen_significant_digits() {
        assert_eq!(to_decimal(0.1), Some(d("0.1")));
        assert_eq!(to_decimal(1.0 / 3.0), Some(d("0.333333333333333")));
        assert_eq!(to_decimal(-2.0 / 3.0), Some(d("-0.666666666666667")));
        assert_eq!(
            to_decimal(52_890_123_456.789_01),
            Some(d("52890123456.7890"))
        );
        assert_eq!(to_decimal(123_456_789.0), Some(d("123456789")));
        assert_eq!(to_decimal(1.0), Some(Decimal::ONE));
        assert_eq!(to_decimal(0.0), Some(Decimal::ZERO));
    }

    #[test]
    fn a_product_rounded_over_a_half_is_rounded_as_the_exact_value_is() {
        // 7365601713.117245 is just under ...117245 in binary: 7365601713.11724.
        let x = 7.365_601_713_117_245e9;
        let exact = Decimal::from_f64_retain(x).unwrap();
        assert!(exact < d("7365601713.117245"), "{exact}");
        assert_eq!(to_decimal(x), Some(d("7365601713.11724")));
        // An exact half rounds away from zero.
        assert_eq!(
            to_decimal(100_000_000_000_000.5),
            Some(d("100000000000001"))
        );
        assert_eq!(
            to_decimal(-100_000_000_000_000.5),
            Some(d("-100000000000001"))
        );
    }

    #[test]
    fn large_values_keep_their_magnitude() {
        assert_eq!(
            to_decimal(1.234_567_890_123_456_7e20),
            Some(d("123456789012346000000"))
        );
        assert_eq!(
            to_decimal(4.2e25 / 3.0),
            Some(d("14000000000000000000000000"))
        );
        assert_eq!(to_decimal(7.9e28), Some(d("79000000000000000000000000000")));
        assert_eq!(to_decimal(1e30), None);
        assert_eq!(to_decimal(f64::INFINITY), None);
        assert_eq!(to_decimal(f64::NAN), None);
    }

    #[test]
    fn tiny_values_run_out_of_places() {
        assert_eq!(
            to_decimal(1e-20 / 3.0),
            Some(d("0.0000000000000000000033333333"))
        );
        assert_eq!(to_decimal(1e-30), Some(Decimal::ZERO));
    }

    #[test]
    fn powers_of_ten_land_on_the_right_scale() {
        for (i, p) in POWERS.iter().enumerate() {
            let expected = Decimal::from_i128_with_scale(10i128.pow(i as u32), 0);
            assert_eq!(to_decimal(*p), Some(expected), "1e{i}");
            if i <= 28 {
                let small = 1.0 / p;
                let expected = Decimal::from_i128_with_scale(1, i as u32);
                assert_eq!(to_decimal(small), Some(expected), "1e-{i}");
            }
        }
    }

    #[test]
    fn within_half_a_unit_of_the_fifteenth_digit() {
        // Values across the range, against the float's exact expansion: half
        // a unit of the fifteenth digit from 10⁻⁸ up, one unit below.
        let mut x = 1.234_567e-10_f64;
        while x < 1e27 {
            let got = to_decimal(x).unwrap();
            let exact = Decimal::from_f64_retain(x).unwrap();
            let mut unit = Decimal::new(1, 28);
            let mut top = Decimal::new(1, 27);
            while top <= exact.abs() / Decimal::from(100_000_000_000_000u64) {
                unit *= Decimal::TEN;
                top *= Decimal::TEN;
            }
            let diff = (got - exact).abs();
            let allowed = if x >= 1e-8 { unit / Decimal::TWO } else { unit };
            assert!(diff <= allowed, "{x:e}: {got} vs {exact} (unit {unit})");
            x *= 1.013_7;
        }
    }
}
