//! How values look to an analyst (docs/language.md#display): `$200B`,
//! `2048 GPU`, `1.5M GPU`, `37.5%`.
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

/// Decimal places shown for USD, for scaled values and for percentages.
const SHORT_PLACES: u32 = 2;

/// Decimal places shown for plain values below a million: dimensionless, or
/// in a unit other than USD.
const PLAIN_PLACES: u32 = 6;

/// Show a value as the analyst reads it. `percent` = the cell is marked `as %` or is a single percent literal.
pub fn format_value(v: &Value, percent: bool) -> String {
    match v {
        Value::Number { amount, unit } => format_number(*amount, unit, percent),
        Value::Bool(b) => b.to_string(),
    }
}

/// Show an amount in a unit: `$1.2M`, `$2/GPU`, `2048 GPU`, `12500`, `50%`.
///
/// It exists so that callers holding an amount and a unit separately (a
/// diff's difference, a sweep column) format exactly like cells do. The
/// percent flag only applies to dimensionless amounts.
pub fn format_number(amount: Decimal, unit: &Unit, percent: bool) -> String {
    shown(amount, unit, percent, Counts::Plain, Tiny::Digits)
}

/// A chart's tick label: like [`format_number`], except that amounts in a
/// unit other than USD are scaled from 1,000 too (`1.5K GPU`), as tick
/// labels name places on an axis in few characters, not counts to read.
pub fn format_tick(amount: Decimal, unit: &Unit, percent: bool) -> String {
    shown(amount, unit, percent, Counts::Scaled, Tiny::Digits)
}

/// Like [`format_number`], except that a value too small for the usual
/// places shows as 0 (`$0`, not `$0.000000000000000002`): for a result whose
/// digits there are noise, such as what a goal seek reached. `--exact`
/// shows them.
pub fn format_rounded(amount: Decimal, unit: &Unit, percent: bool) -> String {
    shown(amount, unit, percent, Counts::Plain, Tiny::Zero)
}

/// How amounts in a unit other than USD show below a million.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Counts {
    /// Every digit of the units, as dimensionless values (`2048 GPU`, `8760 h`).
    Plain,
    /// Scaled from 1,000, as USD (`2.05K GPU`).
    Scaled,
}

/// How a nonzero value that rounds to 0 at the usual places shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tiny {
    /// With its first two significant digits (`$0.0035`), not a misleading 0.
    Digits,
    /// As 0.
    Zero,
}

fn shown(amount: Decimal, unit: &Unit, percent: bool, counts: Counts, tiny: Tiny) -> String {
    let from_million = SUFFIXES.get(1..).unwrap_or(&[]);
    let (text, usd_rest_text) = if unit.is_dimensionless() {
        if percent {
            (magnitude(amount, 2, SHORT_PLACES, &[], tiny), None)
        } else {
            (magnitude(amount, 0, PLAIN_PLACES, from_million, tiny), None)
        }
    } else if let Some(rest) = (unit.power_of("USD") == 1)
        .then(|| unit.div(&Unit::usd()))
        .flatten()
    {
        // Dollars up front; the rest of the unit (`/GPU`) after. Taking USD
        // out of a unit that has it once cannot overflow; if it did, the
        // unit would be shown whole (below) rather than lose its other parts.
        (
            magnitude(amount, 0, SHORT_PLACES, &SUFFIXES, tiny),
            Some(usd_rest(&rest)),
        )
    } else {
        let text = match counts {
            Counts::Plain => magnitude(amount, 0, PLAIN_PLACES, from_million, tiny),
            Counts::Scaled => magnitude(amount, 0, SHORT_PLACES, &SUFFIXES, tiny),
        };
        (text, None)
    };
    let sign = if amount.is_sign_negative() && text != "0" {
        "-"
    } else {
        ""
    };
    match usd_rest_text {
        Some(rest) => format!("{sign}${text}{rest}"),
        None if unit.is_dimensionless() && percent => format!("{sign}{text}%"),
        None if unit.is_dimensionless() => format!("{sign}{text}"),
        None => format!("{sign}{text} {unit}"),
    }
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
fn magnitude(
    amount: Decimal,
    shift: i32,
    places: u32,
    suffixes: &[(&str, i32)],
    tiny: Tiny,
) -> String {
    let exact = || amount.abs().normalize().to_string();
    let Some(units) = digits::rounded_units(amount, shift, places) else {
        return exact();
    };
    let below_first = match suffixes.first() {
        None => true,
        Some((_, e)) => units < pow10(*e as u32 + places),
    };
    if below_first {
        if units == 0 && !amount.is_zero() && tiny == Tiny::Digits {
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

/// A value as a table shows it: `~` before the value of a cell that holds
/// or reads a distribution, whose value is a median, not a certainty
/// (docs/language.md#uncertainty). `--exact` shows bare decimals, unmarked.
pub fn marked(uncertain: bool, exact: bool, value: String) -> String {
    if uncertain && !exact {
        format!("~{value}")
    } else {
        value
    }
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
