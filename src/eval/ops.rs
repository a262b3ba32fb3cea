//! Operators on values, with the unit rules of docs/language.md#units.

use std::cmp::Ordering;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::error::{unit_words, EvalError, Verb};
use crate::syntax::ast::{BinaryOp, UnaryOp};
use crate::value::unit::{cancel, convert, Incompatible};
use crate::value::{math, Unit, Value};

/// What a value is, for type errors.
pub fn describe(v: &Value) -> String {
    match v {
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number { unit, .. } if unit.is_dimensionless() => "a number".to_string(),
        Value::Number { unit, .. } => format!("a number in [{unit}]"),
    }
}

/// A number and its unit, or a type error.
pub fn number<'a>(v: &'a Value, context: &str) -> Result<(Decimal, &'a Unit), EvalError> {
    match v {
        Value::Number { amount, unit } => Ok((*amount, unit)),
        Value::Bool(_) => Err(EvalError::Type {
            context: context.to_string(),
            expected: "a number",
            found: describe(v),
        }),
    }
}

/// A boolean, or a type error.
pub fn boolean(v: &Value, context: &str) -> Result<bool, EvalError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Number { .. } => Err(EvalError::Type {
            context: context.to_string(),
            expected: "true or false",
            found: describe(v),
        }),
    }
}

/// `amount` in `unit`, brought into `target` for an operator that needs one
/// dimension (`+ -`, comparisons, `min max sum avg clamp`): the same amount
/// when the units are equal, converted when they measure the same thing
/// (`500 [Wh]` into kWh is 0.5), else a mismatch naming both
/// (docs/language.md#units).
#[inline]
pub fn into_unit(
    amount: Decimal,
    unit: &Unit,
    target: &Unit,
    verb: Verb,
) -> Result<Decimal, EvalError> {
    if unit == target {
        return Ok(amount);
    }
    converted(amount, unit, target, verb)
}

/// [`into_unit`] between units that differ: out of line, as most formulas
/// never get here.
#[cold]
fn converted(
    amount: Decimal,
    unit: &Unit,
    target: &Unit,
    verb: Verb,
) -> Result<Decimal, EvalError> {
    convert(amount, unit, target).map_err(|e| match e {
        Incompatible::Dimensions => EvalError::UnitMismatch {
            verb,
            left: target.clone(),
            right: unit.clone(),
        },
        Incompatible::Math(m) => m.into(),
    })
}

/// A cell's value in the unit its definition asks for (`as [MWh]`): the
/// same amount when the units are equal, converted when they measure the
/// same thing, else an error naming both and what they measure
/// (`cannot convert MW (power) to MWh (energy)`).
pub fn convert_to(v: Value, to: &Unit) -> Result<Value, EvalError> {
    let (amount, unit) = number(&v, "'as'")?;
    if unit == to {
        return Ok(v);
    }
    match convert(amount, unit, to) {
        Ok(amount) => Ok(Value::with_unit(amount, to.clone())),
        Err(Incompatible::Dimensions) => Err(EvalError::Convert {
            from: unit.clone(),
            to: to.clone(),
        }),
        Err(Incompatible::Math(m)) => Err(m.into()),
    }
}

/// A product's or quotient's amount and unit with the parts of one
/// dimension cancelled by their factor (`W*h/kWh`, `MW/kW`); as they are
/// when nothing cancels, which costs nothing for units that do not convert.
pub fn cancelled(amount: Decimal, unit: Unit) -> Result<(Decimal, Unit), EvalError> {
    match cancel(&unit) {
        None => Ok((amount, unit)),
        Some((left, ratio)) => Ok((ratio.apply(amount)?, left)),
    }
}

/// The words for unit powers beyond what a unit holds (they would leave `i32`).
pub(super) fn powers_too_large() -> EvalError {
    EvalError::Unit("unit powers too large".to_string())
}

/// Applies a prefix operator.
pub fn unary(op: UnaryOp, v: Value) -> Result<Value, EvalError> {
    match op {
        UnaryOp::Not => Ok(Value::Bool(!boolean(&v, "'not'")?)),
        UnaryOp::Plus => {
            number(&v, "'+'")?;
            Ok(v)
        }
        UnaryOp::Neg => {
            let (a, unit) = number(&v, "'-'")?;
            Ok(Value::Number {
                amount: math::sub(Decimal::ZERO, a)?,
                unit: unit.clone(),
            })
        }
    }
}

/// Applies an arithmetic or comparison operator (not `and`/`or`, which short-circuit).
pub fn binary(op: BinaryOp, a: &Value, b: &Value) -> Result<Value, EvalError> {
    match op {
        BinaryOp::Add | BinaryOp::Sub => {
            let (x, ux) = number(a, op.quoted())?;
            let (y, uy) = number(b, op.quoted())?;
            let verb = if op == BinaryOp::Add {
                Verb::Add
            } else {
                Verb::Subtract
            };
            let y = into_unit(y, uy, ux, verb)?;
            let r = if op == BinaryOp::Add {
                math::add(x, y)
            } else {
                math::sub(x, y)
            };
            Ok(Value::Number {
                amount: r?,
                unit: ux.clone(),
            })
        }
        BinaryOp::Mul | BinaryOp::Div => {
            let (x, ux) = number(a, op.quoted())?;
            let (y, uy) = number(b, op.quoted())?;
            let (r, unit) = if op == BinaryOp::Mul {
                (math::mul(x, y), ux.mul(uy))
            } else {
                (math::div(x, y), ux.div(uy))
            };
            let unit = unit.ok_or_else(powers_too_large)?;
            let r = r?;
            if !unit.converts() {
                // Plain numbers, and units that convert to nothing: nothing cancels.
                return Ok(Value::Number { amount: r, unit });
            }
            let (amount, unit) = cancelled(r, unit)?;
            Ok(Value::Number { amount, unit })
        }
        BinaryOp::Pow => power(a, b),
        BinaryOp::Eq | BinaryOp::Ne => {
            let equal = match (a, b) {
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (
                    Value::Number {
                        amount: x,
                        unit: ux,
                    },
                    Value::Number {
                        amount: y,
                        unit: uy,
                    },
                ) => *x == into_unit(*y, uy, ux, Verb::Compare)?,
                _ => {
                    return Err(EvalError::Incomparable {
                        left: describe(a),
                        right: describe(b),
                    });
                }
            };
            Ok(Value::Bool(if op == BinaryOp::Eq { equal } else { !equal }))
        }
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            let (x, ux) = number(a, op.quoted())?;
            let (y, uy) = number(b, op.quoted())?;
            let y = into_unit(y, uy, ux, Verb::Compare)?;
            let ord = x.cmp(&y);
            Ok(Value::Bool(match op {
                BinaryOp::Lt => ord == Ordering::Less,
                BinaryOp::Le => ord != Ordering::Greater,
                BinaryOp::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            }))
        }
        // Built as a distribution (docs/language.md#uncertainty), never as an operation.
        BinaryOp::To => Err(EvalError::Uncertainty(
            "a range 'a to b' is not an operation between two values".to_string(),
        )),
        BinaryOp::And | BinaryOp::Or => {
            let x = boolean(a, op.quoted())?;
            let y = boolean(b, op.quoted())?;
            Ok(Value::Bool(if op == BinaryOp::And {
                x && y
            } else {
                x || y
            }))
        }
    }
}

fn power(a: &Value, b: &Value) -> Result<Value, EvalError> {
    let (x, ux) = number(a, "'^'")?;
    let (y, uy) = number(b, "'^'")?;
    if !uy.is_dimensionless() {
        return Err(EvalError::Unit(format!(
            "an exponent must be a plain number, not {}",
            unit_words(uy)
        )));
    }
    let unit = if ux.is_dimensionless() {
        Unit::dimensionless()
    } else {
        if !y.fract().is_zero() {
            return Err(EvalError::Unit(format!(
                "a value in [{ux}] can only be raised to a whole power, not {}",
                y.normalize()
            )));
        }
        let n = y.to_i64().ok_or_else(powers_too_large)?;
        ux.powi(n).ok_or_else(powers_too_large)?
    };
    Ok(Value::Number {
        amount: math::pow(x, y)?,
        unit,
    })
}
