//! Calls of the finance functions `npv irr pmt pv fv`
//! (docs/language.md#finance-functions): their arguments read and checked
//! here (rates and periods are plain numbers, money keeps its unit), the
//! arithmetic done by [`crate::value::finance`].

use rust_decimal::Decimal;

use crate::syntax::ast::{Call, Expr, ExprKind, Function};
use crate::syntax::Span;
use crate::value::finance::{self, Due};
use crate::value::{MathError, Unit, Value};

use super::arguments::Arguments;
use super::error::{unit_words, CellError, EvalError, Verb};
use super::ops::{into_unit, number};
use super::CellResult;

/// Evaluates a call of a finance function.
pub fn call(scope: &impl Arguments, c: &Call, span: Span) -> CellResult {
    let at = |e: EvalError| Box::new(CellError::eval(e, span));
    let name = c.func.name();
    let math = |r: Result<Decimal, MathError>| r.map_err(|e| at(e.into()));
    match c.func {
        Function::Npv => {
            let (rate_arg, flows) = c.args.split_first().ok_or_else(|| missing(name, span))?;
            let rate = plain(scope, rate_arg, name, "its rate")?;
            let (values, unit) = money_list(scope, flows, name, span)?;
            Ok(Value::with_unit(math(finance::npv(rate, &values))?, unit))
        }
        Function::Irr => {
            // `irr(cash[*], -10%)`: a guess only after a single span.
            let (flows, guess) = match c.args.as_slice() {
                [span_arg, guess] if is_span(span_arg) => (
                    std::slice::from_ref(span_arg),
                    plain(scope, guess, name, "its guess")?,
                ),
                all => (all, Decimal::new(1, 1)),
            };
            let (values, _) = money_list(scope, flows, name, span)?;
            Ok(Value::number(math(finance::irr(&values, guess))?))
        }
        Function::Pmt | Function::Pv | Function::Fv => {
            let arg = |i: usize| c.args.get(i);
            let rate = plain(
                scope,
                arg(0).ok_or_else(|| missing(name, span))?,
                name,
                "its rate",
            )?;
            let nper = plain(
                scope,
                arg(1).ok_or_else(|| missing(name, span))?,
                name,
                "its number of periods",
            )?;
            let (third, third_unit) = money(scope, arg(2).ok_or_else(|| missing(name, span))?)?;
            let (fourth, fourth_unit) = match arg(3) {
                Some(e) => money(scope, e)?,
                None => (Decimal::ZERO, Unit::dimensionless()),
            };
            let (unit, fourth) =
                common_money_unit(third, third_unit, fourth, fourth_unit).map_err(at)?;
            let due = match arg(4) {
                None => Due::End,
                Some(e) => timing(plain(scope, e, name, "its type")?, name).map_err(at)?,
            };
            let result = match c.func {
                Function::Pmt => finance::pmt(rate, nper, third, fourth, due),
                Function::Pv => finance::pv(rate, nper, third, fourth, due),
                _ => finance::fv(rate, nper, third, fourth, due),
            };
            Ok(Value::with_unit(math(result)?, unit))
        }
        _ => Err(at(EvalError::Domain(format!(
            "{name}() is not a finance function"
        )))),
    }
}

fn missing(function: &'static str, span: Span) -> Box<CellError> {
    Box::new(CellError::eval(
        EvalError::MissingArgument { function },
        span,
    ))
}

/// Whether an argument reads several periods at once (`x[*]`, `x[2025..2027]`).
fn is_span(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Index(i) if i.period.is_span())
}

/// A plain number (a rate, a count of periods, a type, a guess).
fn plain(
    scope: &impl Arguments,
    e: &Expr,
    function: &'static str,
    what: &str,
) -> Result<Decimal, Box<CellError>> {
    let at = |err: EvalError| Box::new(CellError::eval(err, e.span));
    let values = scope.arguments(std::slice::from_ref(e))?;
    let [v] = values.as_slice() else {
        return Err(at(EvalError::Domain(format!(
            "{function}() takes one value for {what}"
        ))));
    };
    let (x, unit) = number(v, &format!("{function}()")).map_err(at)?;
    if !unit.is_dimensionless() {
        return Err(at(EvalError::Unit(format!(
            "{function}() needs a plain number for {what}, not {}",
            unit_words(unit)
        ))));
    }
    Ok(x)
}

/// An amount of money (or of anything), with its unit.
fn money(scope: &impl Arguments, e: &Expr) -> Result<(Decimal, Unit), Box<CellError>> {
    let at = |err: EvalError| Box::new(CellError::eval(err, e.span));
    let values = scope.arguments(std::slice::from_ref(e))?;
    let [v] = values.as_slice() else {
        return Err(at(EvalError::Domain(
            "a span of periods can only be passed to sum, min, max, avg, count, npv or irr"
                .to_string(),
        )));
    };
    let (x, unit) = number(v, "a finance function").map_err(at)?;
    Ok((x, unit.clone()))
}

/// The unit two money arguments share, and the second amount in it: a
/// plain zero (`pmt(r, n, 0, $50K)`) is zero in any unit; otherwise the
/// second is converted into the first's unit (docs/language.md#units).
fn common_money_unit(
    a: Decimal,
    ua: Unit,
    b: Decimal,
    ub: Unit,
) -> Result<(Unit, Decimal), EvalError> {
    if ua == ub || (b.is_zero() && ub.is_dimensionless()) {
        return Ok((ua, b));
    }
    if a.is_zero() && ua.is_dimensionless() {
        return Ok((ub, b));
    }
    let b = into_unit(b, &ub, &ua, Verb::Add)?;
    Ok((ua, b))
}

/// The flows of `npv` or `irr` (spans, groups and single values, in
/// order), all in one unit.
fn money_list(
    scope: &impl Arguments,
    args: &[Expr],
    function: &'static str,
    span: Span,
) -> Result<(Vec<Decimal>, Unit), Box<CellError>> {
    let at = |e: EvalError| Box::new(CellError::eval(e, span));
    let mut unit: Option<Unit> = None;
    let mut failed: Option<EvalError> = None;
    let mut values = Vec::new();
    let context = format!("{function}()");
    scope.each_argument(args, |v| {
        if failed.is_some() {
            return;
        }
        // Every flow in the first one's unit (converted when it measures the same thing).
        let step = number(&v, &context).and_then(|(x, u)| match &unit {
            None => {
                unit = Some(u.clone());
                Ok(x)
            }
            Some(first) => into_unit(x, u, first, Verb::Add),
        });
        match step {
            Ok(x) => values.push(x),
            Err(e) => failed = Some(e),
        }
    })?;
    if let Some(e) = failed {
        return Err(at(e));
    }
    if values.is_empty() {
        return Err(at(EvalError::MissingArgument { function }));
    }
    Ok((values, unit.unwrap_or_default()))
}

/// Excel's `type`: 0 pays at the end of each period, 1 at the start.
fn timing(t: Decimal, function: &'static str) -> Result<Due, EvalError> {
    if t.is_zero() {
        Ok(Due::End)
    } else if t == Decimal::ONE {
        Ok(Due::Start)
    } else {
        Err(EvalError::Domain(format!(
            "{function}() takes type 0 (payments at the end of each period) or 1 (at the start), not {}",
            t.normalize()
        )))
    }
}
