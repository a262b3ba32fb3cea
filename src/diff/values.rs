//! The pieces of a diff both kinds of cell use: formulas compared, results
//! as data, and how a value moved.

use rust_decimal::Decimal;

use super::{Percent, Shown, ValueChange};
use crate::display::{format_exact, format_number, format_value};
use crate::eval::CellResult;
use crate::model::Definition;
use crate::syntax::same_formula;
use crate::value::unit::convert;
use crate::value::{math, Unit, Value};

/// Same formula and same hint (`as %`, `as [UNIT]`).
pub(super) fn same_definition(a: &Definition, b: &Definition) -> bool {
    a.hint == b.hint && same_formula(&a.expr, &b.expr)
}

/// Whether two results are the same: equal values, or errors with the same message.
pub(super) fn same_result(a: Option<&CellResult>, b: Option<&CellResult>) -> bool {
    match (a, b) {
        (Some(Ok(x)), Some(Ok(y))) => x.same_quantity(y),
        (Some(Err(x)), Some(Err(y))) => x.message == y.message,
        (None, None) => true,
        _ => false,
    }
}

/// Whether two values are numbers in different units (so the same value
/// may be written anew in another unit).
pub(super) fn in_other_units(a: Option<&CellResult>, b: Option<&CellResult>) -> bool {
    matches!(
        (a, b),
        (
            Some(Ok(Value::Number { unit: u, .. })),
            Some(Ok(Value::Number { unit: v, .. })),
        ) if u != v
    )
}

/// A result as data.
pub(super) fn shown(result: Option<&CellResult>, percent: bool) -> Shown {
    match result {
        Some(Ok(v)) => {
            let (value, unit) = match v {
                Value::Bool(b) => (serde_json::Value::Bool(*b), String::new()),
                Value::Number { unit, .. } => {
                    (serde_json::Value::String(format_exact(v)), unit.to_string())
                }
            };
            Shown::Value {
                value,
                unit,
                display: format_value(v, percent),
            }
        }
        Some(Err(e)) => Shown::Error {
            error: e.message.to_string(),
        },
        None => Shown::Error {
            error: "not computed".to_string(),
        },
    }
}

pub(super) fn value_change(
    name: String,
    old: Option<&CellResult>,
    new: Option<&CellResult>,
    old_percent: bool,
    new_percent: bool,
) -> ValueChange {
    // The old amount in the new unit, when they measure the same thing.
    let numbers = match (old, new) {
        (
            Some(Ok(Value::Number { amount: a, unit: u })),
            Some(Ok(Value::Number { amount: b, unit: v })),
        ) => convert(*a, u, v).ok().map(|a| (a, *b, v)),
        _ => None,
    };
    let (difference, change_percent) = match numbers {
        Some((a, b, unit)) => (difference(a, b, unit, new_percent), relative_change(a, b)),
        None => (None, None),
    };
    ValueChange {
        name,
        old: shown(old, old_percent),
        new: shown(new, new_percent),
        difference,
        change_percent,
    }
}

/// `+` before positive amounts, so that the direction of a change is always written.
fn signed(text: String, amount: Decimal) -> String {
    if amount.is_sign_positive() && !amount.is_zero() {
        format!("+{text}")
    } else {
        text
    }
}

/// New minus old; for percentage cells, in percentage points (`-3.75 pp`).
fn difference(old: Decimal, new: Decimal, unit: &Unit, percent: bool) -> Option<Shown> {
    let delta = math::sub(new, old).ok()?;
    let display = if percent && unit.is_dimensionless() {
        let shown = format_number(delta, unit, true);
        format!("{} pp", shown.trim_end_matches('%'))
    } else {
        format_number(delta, unit, false)
    };
    Some(Shown::Value {
        value: serde_json::Value::String(format_exact(&Value::with_unit(delta, unit.clone()))),
        unit: unit.to_string(),
        display: signed(display, delta),
    })
}

/// (new - old) / |old|, in percent; none when old is zero.
fn relative_change(old: Decimal, new: Decimal) -> Option<Percent> {
    if old.is_zero() {
        return None;
    }
    let fraction = math::div(math::sub(new, old).ok()?, old.abs()).ok()?;
    let percent = math::mul(fraction, Decimal::ONE_HUNDRED).ok()?;
    let value = math::round_half_away(percent, 4).ok()?.normalize();
    let display = format_number(fraction, &Unit::dimensionless(), true);
    Some(Percent {
        value: value.to_string(),
        display: signed(display, fraction),
    })
}
