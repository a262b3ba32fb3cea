//! Rounding a decimal to a fixed number of places and writing it out,
//! with integer arithmetic only (no exponent notation, no overflow).

use rust_decimal::Decimal;

/// A `Decimal` mantissa is below 7.93e28, so dividing it by 10^30 or more
/// always rounds to 0.
const NEGLIGIBLE_EXP: u32 = 30;

/// round(|amount| × 10^shift, `places` decimals) half away from zero, as a
/// count of 10^-places units. `None` only if the count leaves `u128`,
/// which the callers' shifts (at most 10^4) cannot reach.
pub(crate) fn rounded_units(amount: Decimal, shift: i32, places: u32) -> Option<u128> {
    let mantissa = amount.mantissa().unsigned_abs();
    let k = i64::from(shift) + i64::from(places) - i64::from(amount.scale());
    if k >= 0 {
        let up = u32::try_from(k).ok()?;
        return mantissa.checked_mul(10u128.checked_pow(up)?);
    }
    let down = u32::try_from(-k).ok()?;
    if down >= NEGLIGIBLE_EXP {
        return Some(0);
    }
    let divisor = 10u128.checked_pow(down)?;
    let units = mantissa.checked_div(divisor)?;
    let remainder = mantissa.checked_rem(divisor)?;
    if remainder.checked_mul(2)? >= divisor {
        units.checked_add(1)
    } else {
        Some(units)
    }
}

/// Writes `units × 10^-places` with trailing fractional zeros trimmed:
/// (12345, 2) is "123.45", (150, 2) is "1.5", (7, 3) is "0.007".
pub(crate) fn render(units: u128, places: u32) -> String {
    let digits = units.to_string();
    let places = places as usize;
    let padded = if digits.len() <= places {
        format!("{}{digits}", "0".repeat(places + 1 - digits.len()))
    } else {
        digits
    };
    let cut = padded.len().saturating_sub(places);
    let Some((int_part, frac_part)) = padded.split_at_checked(cut) else {
        return padded;
    };
    let frac_part = frac_part.trim_end_matches('0');
    if frac_part.is_empty() {
        int_part.to_string()
    } else {
        format!("{int_part}.{frac_part}")
    }
}

/// Significant digits shown for a nonzero value that would otherwise
/// round to 0 at the usual number of places.
const TINY_SIGNIFICANT: i64 = 2;

/// |amount| × 10^shift with two significant digits, for values too small
/// to show at the usual places (`0.0035` rather than a misleading `0`).
pub(crate) fn tiny(amount: Decimal, shift: i32) -> Option<String> {
    let mantissa = amount.mantissa().unsigned_abs();
    let digits = i64::from(mantissa.checked_ilog10()?) + 1;
    // leading digit at 10^(digits - 1 + shift - scale)
    let places = i64::from(amount.scale()) - i64::from(shift) - digits + TINY_SIGNIFICANT;
    let places = u32::try_from(places.max(0)).ok()?;
    Some(render(rounded_units(amount, shift, places)?, places))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounding_units() {
        assert_eq!(rounded_units(dec("2.345"), 0, 2), Some(235));
        assert_eq!(rounded_units(dec("-2.345"), 0, 2), Some(235));
        assert_eq!(rounded_units(dec("2.344"), 0, 2), Some(234));
        assert_eq!(rounded_units(dec("0.375"), 2, 2), Some(3750));
        assert_eq!(rounded_units(dec("1500"), -3, 2), Some(150));
        assert_eq!(
            rounded_units(Decimal::MAX, -12, 2),
            Some(7_922_816_251_426_433_759)
        );
        assert_eq!(
            rounded_units(Decimal::MAX, 2, 2),
            Some(792_281_625_142_643_375_935_439_503_350_000)
        );
        assert_eq!(
            rounded_units(dec("0.0000000000000000000000000001"), -12, 2),
            Some(0)
        );
    }

    #[test]
    fn rendering() {
        assert_eq!(render(12345, 2), "123.45");
        assert_eq!(render(150, 2), "1.5");
        assert_eq!(render(100, 2), "1");
        assert_eq!(render(7, 3), "0.007");
        assert_eq!(render(0, 2), "0");
        assert_eq!(render(42, 0), "42");
    }

    #[test]
    fn tiny_values() {
        assert_eq!(tiny(dec("0.0035"), 0).as_deref(), Some("0.0035"));
        assert_eq!(tiny(dec("0.00012345"), 0).as_deref(), Some("0.00012"));
        assert_eq!(tiny(dec("0.0099999"), 0).as_deref(), Some("0.01"));
        assert_eq!(
            tiny(dec("0.0000000000000000000000000001"), 0).as_deref(),
            Some("0.0000000000000000000000000001")
        );
        assert_eq!(tiny(dec("0.00001"), 2).as_deref(), Some("0.001"));
    }
}
