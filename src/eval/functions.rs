//! The built-in functions (SPEC §4).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::syntax::ast::{Call, Function};
use crate::syntax::Span;
use crate::value::{math, Unit, Value};

use super::error::CellError;
use super::expr::Scope;
use super::ops::{number, same_unit, unit_words};

/// Evaluates a call.
pub fn call(scope: &Scope<'_>, c: &Call, span: Span) -> Result<Value, CellError> {
    let at = |m: String| CellError::eval(m, span);
    let f = c.func;
    let name = f.name();
    let args = scope.arguments(&c.args)?;
    let num = |i: usize| -> Result<(Decimal, Unit), CellError> {
        let v = args
            .get(i)
            .ok_or_else(|| at(format!("{name}() is missing an argument")))?;
        let (a, u) = number(v, &format!("{name}()")).map_err(at)?;
        Ok((a, u.clone()))
    };
    let keep = |r: Result<Decimal, math::MathError>, unit: Unit| -> Result<Value, CellError> {
        r.map(|amount| Value::Number { amount, unit })
            .map_err(|e| at(e.to_string()))
    };
    match f {
        Function::Sum | Function::Min | Function::Max | Function::Avg => {
            let (mut acc, unit) = num(0)?;
            for i in 1..args.len() {
                let (x, u) = num(i)?;
                same_unit(
                    &unit,
                    &u,
                    if matches!(f, Function::Min | Function::Max) {
                        "compare"
                    } else {
                        "add"
                    },
                )
                .map_err(at)?;
                acc = match f {
                    Function::Min => acc.min(x),
                    Function::Max => acc.max(x),
                    _ => math::add(acc, x).map_err(|e| at(e.to_string()))?,
                };
            }
            if f == Function::Avg {
                let n = Decimal::from(args.len());
                return keep(math::div(acc, n), unit);
            }
            Ok(Value::Number { amount: acc, unit })
        }
        Function::Count => Ok(Value::Number {
            amount: Decimal::from(args.len()),
            unit: Unit::dimensionless(),
        }),
        Function::Abs => {
            let (x, u) = num(0)?;
            Ok(Value::Number {
                amount: math::abs(x),
                unit: u,
            })
        }
        Function::Floor => {
            let (x, u) = num(0)?;
            Ok(Value::Number {
                amount: math::floor(x),
                unit: u,
            })
        }
        Function::Ceil => {
            let (x, u) = num(0)?;
            Ok(Value::Number {
                amount: math::ceil(x),
                unit: u,
            })
        }
        Function::Round => {
            let (x, u) = num(0)?;
            let digits = if args.len() > 1 {
                let (d, du) = num(1)?;
                if !du.is_dimensionless() || !d.fract().is_zero() {
                    return Err(at(format!(
                        "round() takes a whole number of digits, not {}",
                        d.normalize()
                    )));
                }
                d.to_i64().unwrap_or(if d.is_sign_negative() {
                    i64::MIN
                } else {
                    i64::MAX
                })
            } else {
                0
            };
            keep(math::round_half_away(x, digits), u)
        }
        Function::Sqrt => {
            let (x, u) = num(0)?;
            let mut half = Vec::new();
            for (n, p) in u.dims() {
                if p % 2 != 0 {
                    return Err(at(format!(
                        "cannot take the square root of a value in [{u}]"
                    )));
                }
                half.push((n.to_string(), p / 2));
            }
            let unit = Unit::from_factors(half).unwrap_or_default();
            keep(math::sqrt(x), unit)
        }
        Function::Ln | Function::Exp => {
            let (x, u) = num(0)?;
            if !u.is_dimensionless() {
                return Err(at(format!(
                    "{name}() needs a plain number, not {}",
                    unit_words(&u)
                )));
            }
            let r = if f == Function::Ln {
                math::ln(x)
            } else {
                math::exp(x)
            };
            keep(r, u)
        }
        Function::Clamp => {
            let (x, u) = num(0)?;
            let (lo, ul) = num(1)?;
            let (hi, uh) = num(2)?;
            same_unit(&u, &ul, "compare").map_err(at)?;
            same_unit(&u, &uh, "compare").map_err(at)?;
            if lo > hi {
                return Err(at(format!(
                    "clamp() needs lo <= hi, but {} > {}",
                    lo.normalize(),
                    hi.normalize()
                )));
            }
            Ok(Value::Number {
                amount: x.max(lo).min(hi),
                unit: u,
            })
        }
    }
}
