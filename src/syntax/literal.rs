//! Number literals to exact decimals: `1_000`, `2.5E6`, `$1.5B`, `50%`.
//!
//! Done by hand on the digits rather than through `f64` or a string round
//! trip, so that a 5,000-digit literal or `1e999999999` is refused with a
//! reason instead of overflowing, and every representable literal is exact.

use rust_decimal::Decimal;

/// The largest scale rust_decimal keeps (digits after the point).
const MAX_SCALE: i64 = 28;

/// Why a literal cannot be held exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiteralError {
    /// Larger than about 7.9e28 in magnitude.
    TooLarge,
    /// Nonzero but smaller than 1e-28.
    TooSmall,
}

impl std::fmt::Display for LiteralError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LiteralError::TooLarge => {
                write!(
                    f,
                    "number too large: premise's exact decimals hold up to about 7.9e28"
                )
            }
            LiteralError::TooSmall => write!(
                f,
                "number too small: premise's exact decimals keep 28 digits after the point"
            ),
        }
    }
}

/// The pieces of a number literal, as the grammar found them.
#[derive(Clone, Debug, Default)]
pub struct NumberParts<'a> {
    /// Digits with optional `_` and one `.`.
    pub mantissa: &'a str,
    /// `e-3`, `E6`, if any.
    pub exponent: Option<&'a str>,
    /// `K`, `M`, `B` or `T`, if any.
    pub scale: Option<&'a str>,
    /// Whether `%` follows.
    pub percent: bool,
}

impl<'a> NumberParts<'a> {
    /// Tells apart the parts of a number the grammar matched as a whole
    /// (`2.5E6`, `1_000`, `1.5B`, `50%`): mantissa, exponent, scale, percent.
    pub fn of(text: &'a str) -> NumberParts<'a> {
        let mut rest = text;
        let percent = rest.ends_with('%');
        if percent {
            rest = rest.get(..rest.len() - 1).unwrap_or("");
        }
        let scale = match rest.as_bytes().last() {
            Some(b'K' | b'M' | b'B' | b'T') => {
                let at = rest.len() - 1;
                let s = rest.get(at..);
                rest = rest.get(..at).unwrap_or("");
                s
            }
            _ => None,
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(at) => (rest.get(..at).unwrap_or(""), rest.get(at..)),
            None => (rest, None),
        };
        NumberParts {
            mantissa,
            exponent,
            scale,
            percent,
        }
    }
}

/// The exact value of a literal.
pub fn number_value(parts: &NumberParts<'_>) -> Result<Decimal, LiteralError> {
    if parts.exponent.is_none() && parts.scale.is_none() && !parts.percent {
        if let Some(value) = plain_value(parts.mantissa) {
            return Ok(value);
        }
    }
    let mut digits: Vec<u8> = Vec::with_capacity(parts.mantissa.len());
    let mut frac_len: i64 = 0;
    let mut after_point = false;
    for b in parts.mantissa.bytes() {
        match b {
            b'0'..=b'9' => {
                digits.push(b - b'0');
                if after_point {
                    frac_len += 1;
                }
            }
            b'.' => after_point = true,
            _ => {}
        }
    }
    let mut exp10: i64 = exponent_value(parts.exponent).saturating_sub(frac_len);
    exp10 = exp10.saturating_add(match parts.scale {
        Some("K") => 3,
        Some("M") => 6,
        Some("B") => 9,
        Some("T") => 12,
        _ => 0,
    });
    if parts.percent {
        exp10 = exp10.saturating_sub(2);
    }
    from_digits(&digits, exp10)
}

/// The value of plain digits with at most one point and at most 18 digits
/// (`12`, `0.9999`), the literals of big models, without the general path's
/// digit list; `None` for anything else.
pub(crate) fn plain_value(mantissa: &str) -> Option<Decimal> {
    if mantissa.len() > 18 {
        return None;
    }
    let mut value: i64 = 0;
    let mut scale: u32 = 0;
    let mut after_point = false;
    for b in mantissa.bytes() {
        match b {
            b'0'..=b'9' => {
                value = value * 10 + i64::from(b - b'0');
                scale += u32::from(after_point);
            }
            b'.' if !after_point => after_point = true,
            _ => return None,
        }
    }
    Some(Decimal::new(value, scale).normalize())
}

/// Reads `e-3`: the sign and digits; saturates far beyond any usable exponent.
fn exponent_value(text: Option<&str>) -> i64 {
    let Some(text) = text else { return 0 };
    let body = text.get(1..).unwrap_or("");
    let (negative, digits) = match body.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, body.strip_prefix('+').unwrap_or(body)),
    };
    let mut value: i64 = 0;
    for b in digits.bytes() {
        value = value.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    if negative {
        -value
    } else {
        value
    }
}

/// `digits × 10^exp10` as a decimal, rounding half away from zero beyond 28 places.
fn from_digits(digits: &[u8], exp10: i64) -> Result<Decimal, LiteralError> {
    let first = digits.iter().position(|&d| d != 0);
    let Some(first) = first else {
        return Ok(Decimal::ZERO);
    };
    let sig = digits.get(first..).unwrap_or(&[]);
    let n = sig.len() as i64;
    // The position of the leading digit: value < 10^(n + exp10).
    if n.saturating_add(exp10) > 29 {
        return Err(LiteralError::TooLarge);
    }
    // Digits we may keep: no more than 28 after the point, and at most 29 in all.
    let mut keep = n;
    if exp10 < -MAX_SCALE {
        keep = n.saturating_add(exp10).saturating_add(MAX_SCALE);
    }
    keep = keep.min(29);
    if keep <= 0 {
        // Everything lies beyond the 28th place; it may still round up to 1e-28.
        let rounds_up = keep == 0 && sig.first().is_some_and(|&d| d >= 5);
        return if rounds_up {
            Ok(Decimal::new(1, MAX_SCALE as u32))
        } else {
            Err(LiteralError::TooSmall)
        };
    }
    loop {
        let kept = sig.get(..keep as usize).unwrap_or(sig);
        let mut mantissa: i128 = 0;
        for &d in kept {
            mantissa = mantissa * 10 + i128::from(d);
        }
        if sig.get(keep as usize).is_some_and(|&d| d >= 5) {
            mantissa += 1;
        }
        // value = mantissa × 10^(exp10 + dropped)
        let exponent = exp10 + (n - keep);
        let result = if exponent >= 0 {
            Decimal::try_from_i128_with_scale(mantissa, 0)
                .ok()
                .and_then(|m| pow10(exponent).and_then(|p| m.checked_mul(p)))
        } else {
            Decimal::try_from_i128_with_scale(mantissa, (-exponent) as u32).ok()
        };
        match result {
            Some(v) => return Ok(v.normalize()),
            None if keep > 28 => keep -= 1,
            None => return Err(LiteralError::TooLarge),
        }
    }
}

fn pow10(n: i64) -> Option<Decimal> {
    let mut p = Decimal::ONE;
    for _ in 0..n.min(30) {
        p = p.checked_mul(Decimal::TEN)?;
    }
    if n > 30 {
        return None;
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// The shortcut for plain digits gives exactly what the general path
    /// gives, scale included.
    #[test]
    fn plain_digits_take_the_shortcut_exactly() {
        let general = |m: &str| {
            let digits: Vec<u8> = m
                .bytes()
                .filter(u8::is_ascii_digit)
                .map(|b| b - b'0')
                .collect();
            let frac = m.split_once('.').map_or(0, |(_, f)| f.len() as i64);
            from_digits(&digits, -frac).unwrap()
        };
        for m in [
            "0",
            "7",
            "12",
            "007",
            "0.0",
            "1.50",
            "0.9999",
            "100",
            "10.10",
            "0.000000000000001",
            "999999999999999999",
            "12345678.123456789",
            "1.",
        ] {
            let fast = plain_value(m).unwrap();
            let slow = general(m);
            assert_eq!(fast, slow, "{m}");
            assert_eq!(fast.scale(), slow.scale(), "{m}");
            assert_eq!(fast.to_string(), slow.to_string(), "{m}");
        }
        assert_eq!(plain_value("1_000"), None);
        assert_eq!(plain_value("9999999999999999999"), None);
        assert_eq!(plain_value("1.2.3"), None);
        assert_eq!(plain_value("123456789.123456789"), None);
    }

    fn lit(
        mantissa: &str,
        exponent: Option<&str>,
        scale: Option<&str>,
        percent: bool,
    ) -> Result<Decimal, LiteralError> {
        number_value(&NumberParts {
            mantissa,
            exponent,
            scale,
            percent,
        })
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn table_of_literals() {
        type Case<'a> = (&'a str, Option<&'a str>, Option<&'a str>, bool, &'a str);
        let cases: &[Case] = &[
            ("1_000", None, None, false, "1000"),
            ("1.5", None, Some("B"), false, "1500000000"),
            ("50", None, None, true, "0.5"),
            ("2.5", Some("E6"), None, false, "2500000"),
            ("1", Some("e-3"), None, false, "0.001"),
            ("37.5", None, None, true, "0.375"),
            ("3", None, Some("T"), false, "3000000000000"),
            ("0.08", None, None, false, "0.08"),
            ("007", None, None, false, "7"),
            (
                "1",
                Some("e-28"),
                None,
                false,
                "0.0000000000000000000000000001",
            ),
            (
                "79228162514264337593543950335",
                None,
                None,
                false,
                "79228162514264337593543950335",
            ),
        ];
        for (m, e, s, p, want) in cases {
            assert_eq!(lit(m, *e, *s, *p), Ok(d(want)), "{m} {e:?} {s:?} {p}");
        }
    }

    #[test]
    fn parts_of_a_number() {
        let p = NumberParts::of("2.5E-6K%");
        assert_eq!(
            (p.mantissa, p.exponent, p.scale, p.percent),
            ("2.5", Some("E-6"), Some("K"), true)
        );
        let p = NumberParts::of("1_000");
        assert_eq!(
            (p.mantissa, p.exponent, p.scale, p.percent),
            ("1_000", None, None, false)
        );
        let p = NumberParts::of("1.5B");
        assert_eq!(
            (p.mantissa, p.exponent, p.scale, p.percent),
            ("1.5", None, Some("B"), false)
        );
    }

    #[test]
    fn long_fractions_round_half_away_from_zero() {
        assert_eq!(
            lit("0.12345678901234567890123456785", None, None, false),
            Ok(d("0.1234567890123456789012345679"))
        );
    }

    #[test]
    fn out_of_range_literals_are_refused() {
        assert_eq!(
            lit("1", Some("e999999999"), None, false),
            Err(LiteralError::TooLarge)
        );
        assert_eq!(
            lit("1", Some("e-999999999"), None, false),
            Err(LiteralError::TooSmall)
        );
        assert_eq!(
            lit(&"9".repeat(5000), None, None, false),
            Err(LiteralError::TooLarge)
        );
        assert_eq!(
            lit("79228162514264337593543950336", None, None, false),
            Err(LiteralError::TooLarge)
        );
        assert_eq!(
            lit("1", None, Some("T"), false).map(|v| v > Decimal::ZERO),
            Ok(true)
        );
    }

    #[test]
    fn a_long_fraction_of_5000_digits_rounds() {
        let m = format!("0.{}", "3".repeat(5000));
        assert_eq!(
            lit(&m, None, None, false),
            Ok(d("0.3333333333333333333333333333"))
        );
    }
}
