//! The built-in functions (docs/language.md#functions).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::syntax::ast::{Call, Function};
use crate::syntax::Span;
use crate::value::{math, Unit, Value};

use super::arguments::Arguments;
use super::error::{unit_words, CellError, EvalError, Verb};
use super::ops::{into_unit, number, powers_too_large};
use super::CellResult;

/// Evaluates a call.
pub fn call(scope: &impl Arguments, c: &Call, span: Span) -> CellResult {
    let f = c.func;
    if matches!(
        f,
        Function::Sum | Function::Min | Function::Max | Function::Avg | Function::Count
    ) {
        return aggregate(scope, c, span);
    }
    let at = |e: EvalError| Box::new(CellError::eval(e, span));
    let name = f.name();
    let args = scope.arguments(&c.args)?;
    let num = |i: usize| -> Result<(Decimal, Unit), Box<CellError>> {
        let v = args
            .get(i)
            .ok_or_else(|| at(EvalError::MissingArgument { function: name }))?;
        let (a, u) = number(v, &format!("{name}()")).map_err(at)?;
        Ok((a, u.clone()))
    };
    let keep = |r: Result<Decimal, crate::value::MathError>, unit: Unit| -> CellResult {
        r.map(|amount| Value::Number { amount, unit })
            .map_err(|e| at(e.into()))
    };
    match f {
        // Taken by `aggregate` above.
        Function::Sum | Function::Min | Function::Max | Function::Avg | Function::Count => {
            aggregate(scope, c, span)
        }
        // Computed by `finance::call`: the evaluator sends them there.
        Function::Npv | Function::Irr | Function::Pmt | Function::Pv | Function::Fv => Err(at(
            EvalError::Domain(format!("{name}() is a finance function")),
        )),
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
                    return Err(at(EvalError::Domain(format!(
                        "round() takes a whole number of digits, not {}",
                        d.normalize()
                    ))));
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
            for (n, p) in u.factors() {
                if p % 2 != 0 {
                    return Err(at(EvalError::Unit(format!(
                        "cannot take the square root of a value in [{u}]"
                    ))));
                }
                half.push((n.to_string(), p / 2));
            }
            // Halves of distinct dimensions: from_factors has nothing to overflow.
            let unit = Unit::from_factors(half).ok_or_else(|| at(powers_too_large()))?;
            keep(math::sqrt(x), unit)
        }
        Function::Ln | Function::Exp => {
            let (x, u) = num(0)?;
            if !u.is_dimensionless() {
                return Err(at(EvalError::Unit(format!(
                    "{name}() needs a plain number, not {}",
                    unit_words(&u)
                ))));
            }
            let r = if f == Function::Ln {
                math::ln(x)
            } else {
                math::exp(x)
            };
            keep(r, u)
        }
        // Taken by the evaluator, which hands them to its chance.
        Function::Prob | Function::Expected | Function::Percentile => Err(at(
            EvalError::Uncertainty(format!("{name}() is computed by a simulation")),
        )),
        Function::Clamp => {
            let (x, u) = num(0)?;
            let (lo, ul) = num(1)?;
            let (hi, uh) = num(2)?;
            let lo = into_unit(lo, &ul, &u, Verb::Compare).map_err(at)?;
            let hi = into_unit(hi, &uh, &u, Verb::Compare).map_err(at)?;
            if lo > hi {
                return Err(at(EvalError::Domain(format!(
                    "clamp() needs lo <= hi, but {} > {}",
                    lo.normalize(),
                    hi.normalize()
                ))));
            }
            Ok(Value::Number {
                amount: x.max(lo).min(hi),
                unit: u,
            })
        }
    }
}

/// `sum min max avg count`, folding the values as they are read: a group of
/// a million cells is never gathered into a list. The error reported is the
/// one reading every argument first and then folding them would report: a
/// value that cannot be read wins over a unit or type mismatch before it.
fn aggregate(scope: &impl Arguments, c: &Call, span: Span) -> CellResult {
    let f = c.func;
    let context = format!("{}()", f.name());
    let verb = if matches!(f, Function::Min | Function::Max) {
        Verb::Compare
    } else {
        Verb::Add
    };
    let mut acc: Option<(Decimal, Unit)> = None;
    let mut failed: Option<EvalError> = None;
    let count = scope.each_argument(&c.args, |v| {
        if failed.is_some() || f == Function::Count {
            return;
        }
        let step = number(&v, &context).and_then(|(x, u)| match acc.take() {
            None => Ok((x, u.clone())),
            Some((a, unit)) => {
                let x = into_unit(x, u, &unit, verb)?;
                let folded = match f {
                    Function::Min => a.min(x),
                    Function::Max => a.max(x),
                    _ => math::add(a, x)?,
                };
                Ok((folded, unit))
            }
        });
        match step {
            Ok(next) => acc = Some(next),
            Err(message) => failed = Some(message),
        }
    })?;
    let at = |e: EvalError| Box::new(CellError::eval(e, span));
    if let Some(error) = failed {
        return Err(at(error));
    }
    if f == Function::Count {
        return Ok(Value::Number {
            amount: Decimal::from(count),
            unit: Unit::dimensionless(),
        });
    }
    let Some((amount, unit)) = acc else {
        return Err(at(EvalError::MissingArgument { function: f.name() }));
    };
    if f == Function::Avg {
        return math::div(amount, Decimal::from(count))
            .map(|amount| Value::Number { amount, unit })
            .map_err(|e| at(e.into()));
    }
    Ok(Value::Number { amount, unit })
}
