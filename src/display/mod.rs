//! How values look to an analyst (docs/language.md#display): `$200B`, `1.5K GPU`, `37.5%`.
//!
//! Every rounding here is half away from zero, the suffix (K M B T) is
//! chosen after rounding, and nothing is ever written in exponent notation
//! or with thousands separators.

mod digits;

#[cfg(test)]
mod tests;

use rust_decimal::Decimal;

use crate::value::{Unit, Value};

/// Scale suffixes and their powers of ten, smallest first.
const SUFFIXES: [(&str, i32); 4] = [("K", 3), ("M", 6), ("B", 9), ("T", 12)];

/// Decimal places shown for scaled values, unit values and percentages.
const SHORT_PLACES: u32 = 2;

/// Decimal places shown for plain dimensionless values below a million.
const PLAIN_PLACES: u32 = 6;

/// Show a value as the analyst reads it. `percent` = the cell is marked `as %` or is a single percent literal.
pub fn format_value(v: &Value, percent: bool) -> String {
    match v {
        Value::Number { amount, unit } => format_number(*amount, unit, percent),
        Value::Bool(b) => b.to_string(),
    }
}

/// Show an amount in a unit: `$1.2M`, `$2/GPU`, `700 W`, `12500`, `50%`.
///
/// It exists so that callers holding an amount and a unit separately (a
/// diff's difference, a sweep column) format exactly like cells do. The
/// percent flag only applies to dimensionless amounts.
pub fn format_number(amount: Decimal, unit: &Unit, percent: bool) -> String {
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    if unit.is_dimensionless() {
        let text = if percent {
            format!("{}%", magnitude(amount, 2, SHORT_PLACES, &[]))
        } else {
            magnitude(amount, 0, PLAIN_PLACES, SUFFIXES.get(1..).unwrap_or(&[]))
        };
        return format!("{sign}{text}");
    }
    let text = magnitude(amount, 0, SHORT_PLACES, &SUFFIXES);
    // Dollars up front; the rest of the unit (`/GPU`) after. Taking USD out
    // of a unit that has it once cannot overflow; if it did, the unit would
    // be shown whole below rather than lose its other parts.
    if let Some(rest) = (unit.power_of("USD") == 1)
        .then(|| unit.div(&Unit::usd()))
        .flatten()
    {
        return format!("{sign}${text}{}", usd_rest(&rest));
    }
    format!("{sign}{text} {unit}")
}

/// The unit parts that follow a dollar amount: `/GPU` directly when they
/// are all divisors (`$2/GPU`), else after a space (`$5 h/GPU`).
fn usd_rest(rest: &Unit) -> String {
    if rest.is_dimensionless() {
        return String::new();
    }
    let canonical = rest.to_string();
    match canonical.strip_prefix("1/") {
        Some(divisors) => format!("/{divisors}"),
        None => format!(" {canonical}"),
    }
}

/// The unsigned text of |amount| × 10^shift: with `places` decimals below
/// the first suffix's threshold, else scaled by the largest suffix that
/// keeps the rounded number below 1000 (the last one has no limit).
fn magnitude(amount: Decimal, shift: i32, places: u32, suffixes: &[(&str, i32)]) -> String {
    let exact = || amount.abs().normalize().to_string();
    let Some(units) = digits::rounded_units(amount, shift, places) else {
        return exact();
    };
    let below_first = match suffixes.first() {
        None => true,
        Some((_, e)) => units < pow10(*e as u32 + places),
    };
    if below_first {
        if units == 0 && !amount.is_zero() {
            return digits::tiny(amount, shift).unwrap_or_else(exact);
        }
        return digits::render(units, places);
    }
    let limit = 1000 * pow10(SHORT_PLACES);
    let last = suffixes.len().saturating_sub(1);
    for (i, (suffix, e)) in suffixes.iter().enumerate() {
        let Some(units) = digits::rounded_units(amount, shift - e, SHORT_PLACES) else {
            return exact();
        };
        if units < limit || i == last {
            return format!("{}{suffix}", digits::render(units, SHORT_PLACES));
        }
    }
    exact()
}

/// 10^n for the small exponents used here (saturating, never panicking).
fn pow10(n: u32) -> u128 {
    10u128.saturating_pow(n)
}

/// `--exact`: every digit, bare decimal, no scaling/unit/symbol, trailing zeros trimmed ("200000000000", "0.5", "-3"), booleans "true"/"false".
///
/// It exists for scripts and checks that need the full value, not the
/// analyst's rounded view.
pub fn format_exact(v: &Value) -> String {
    match v {
        Value::Number { amount, .. } => {
            if amount.is_zero() {
                "0".to_string()
            } else {
                amount.normalize().to_string()
            }
        }
        Value::Bool(b) => b.to_string(),
    }
}
