//! Reading the numbers of a question: a target (`gap=0`, `covered=50%`), a
//! search range (`10%..90%`), a sweep (`$40B..$60B:$5B`).
//!
//! Each part is a formula, evaluated against the workbook as it stands, so
//! `gpu_spend*2` works too. A part written without a unit takes the unit of
//! the cell it is about (docs/language.md#what-if: `gap=0` is `$0`); any other unit must be
//! that cell's own.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::display::format_number;
use crate::eval::Workbook;
use crate::syntax::parse_expression;
use crate::value::{math, Unit, Value};

use super::WhatIfError;

/// How many points a sweep may have (rows, or rows × columns).
pub const MAX_POINTS: usize = 10_000;

/// Intervals of a sweep written without a step.
pub const DEFAULT_INTERVALS: u32 = 10;

/// The amount that `text` stands for, in `unit` (the unit of the cell `about`).
pub fn parse_quantity(
    book: &Workbook,
    text: &str,
    unit: &Unit,
    about: &str,
) -> Result<Decimal, WhatIfError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(WhatIfError::usage(format!(
            "a value for '{about}' is missing"
        )));
    }
    let (expr, _) = parse_expression(text).map_err(|e| {
        WhatIfError::usage(format!("cannot read '{text}' as a value: {}", e.message))
    })?;
    let value = book
        .evaluate(&expr)
        .map_err(|e| WhatIfError::usage(format!("cannot compute '{text}': {}", e.message)))?;
    match value {
        Value::Bool(_) => Err(WhatIfError::usage(format!(
            "'{text}' is true or false; '{about}' needs a number"
        ))),
        Value::Number { amount, unit: u } => {
            if u.is_dimensionless() || &u == unit {
                Ok(amount)
            } else {
                let of = if unit.is_dimensionless() {
                    "is a plain number".to_string()
                } else {
                    format!("is in {unit}")
                };
                Err(WhatIfError::usage(format!(
                    "'{text}' is in {u} but '{about}' {of}"
                )))
            }
        }
    }
}

/// `FROM..TO[:STEP]`: the points of a sweep, or the bounds of a search.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    /// The first point.
    pub from: Decimal,
    /// The last point.
    pub to: Decimal,
    /// The distance between points, as written (positive); `None` when not given.
    pub step: Option<Decimal>,
}

/// Reads `FROM..TO[:STEP]`, each part in `unit` (the unit of the cell `about`).
pub fn parse_range(
    book: &Workbook,
    text: &str,
    unit: &Unit,
    about: &str,
) -> Result<Range, WhatIfError> {
    let Some((from, rest)) = text.split_once("..") else {
        return Err(WhatIfError::usage(format!(
            "a range is FROM..TO or FROM..TO:STEP (e.g. 30%..70%:10%), got '{text}'"
        )));
    };
    let (to, step) = match rest.rsplit_once(':') {
        Some((to, step)) => (to, Some(step)),
        None => (rest, None),
    };
    let from = parse_quantity(book, from, unit, about)?;
    let to = parse_quantity(book, to, unit, about)?;
    let step = match step {
        None => None,
        Some(s) => {
            let s = parse_quantity(book, s, unit, about)?;
            if s.is_zero() {
                return Err(WhatIfError::usage(format!(
                    "the step of '{text}' is zero; give a step that moves"
                )));
            }
            Some(s.abs())
        }
    };
    Ok(Range { from, to, step })
}

impl Range {
    /// Every point from `from` to `to`, both included, `step` apart (exact in
    /// decimal: `40%..60%:10%` is 40%, 50%, 60%). When the step does not divide
    /// the range, the last point is `to` itself, closer than a step to the one
    /// before. Without a step: 10 equal intervals. Refused past `limit` points.
    pub fn points(
        &self,
        limit: usize,
        unit: &Unit,
        percent: bool,
    ) -> Result<Vec<Decimal>, WhatIfError> {
        let span = math::sub(self.to, self.from)
            .map_err(|_| WhatIfError::usage("the range is too wide to compute"))?;
        if span.is_zero() {
            return Ok(vec![self.from]);
        }
        let step = match self.step {
            Some(s) => s,
            None => math::div(span.abs(), Decimal::from(DEFAULT_INTERVALS))
                .map_err(|_| WhatIfError::usage("the range is too wide to compute"))?,
        };
        let show = |d: Decimal| format_number(d, unit, percent);
        let count = math::div(span.abs(), step)
            .ok()
            .and_then(|c| c.floor().to_usize())
            .filter(|&c| c < limit)
            .ok_or_else(|| {
                WhatIfError::usage(format!(
                    "{}..{} in steps of {} makes more than {limit} points; take a bigger step",
                    show(self.from),
                    show(self.to),
                    show(step)
                ))
            })?;
        let signed = if span.is_sign_negative() { -step } else { step };
        let mut points = Vec::with_capacity(count.saturating_add(2));
        for i in 0..=count {
            let p = math::mul(signed, Decimal::from(i))
                .and_then(|d| math::add(self.from, d))
                .map_err(|_| WhatIfError::usage("the range is too wide to compute"))?;
            points.push(p);
        }
        if points.last() != Some(&self.to) {
            if points.len() >= limit {
                return Err(WhatIfError::usage(format!(
                    "the range makes more than {limit} points; take a bigger step"
                )));
            }
            points.push(self.to);
        }
        Ok(points)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn range(from: &str, to: &str, step: Option<&str>) -> Range {
        Range {
            from: d(from),
            to: d(to),
            step: step.map(d),
        }
    }

    #[test]
    fn steps_are_exact_and_include_both_ends() {
        let u = Unit::dimensionless();
        let p = range("0.4", "0.6", Some("0.1"))
            .points(100, &u, true)
            .unwrap();
        assert_eq!(p, vec![d("0.4"), d("0.5"), d("0.6")]);
        let p = range("0", "10", Some("3")).points(100, &u, false).unwrap();
        assert_eq!(p, vec![d("0"), d("3"), d("6"), d("9"), d("10")]);
        let p = range("0.6", "0.4", Some("0.1"))
            .points(100, &u, true)
            .unwrap();
        assert_eq!(p, vec![d("0.6"), d("0.5"), d("0.4")]);
        let p = range("0", "1", None).points(100, &u, false).unwrap();
        assert_eq!(p.len(), 11);
        assert_eq!(p.get(3), Some(&d("0.3")));
        let p = range("0.1", "0.1", None).points(100, &u, false).unwrap();
        assert_eq!(p, vec![d("0.1")]);
    }

    #[test]
    fn too_many_points_are_refused() {
        let u = Unit::dimensionless();
        let e = range("0", "1", Some("0.0001"))
            .points(10_000, &u, false)
            .unwrap_err();
        assert!(
            e.message.contains("more than 10000 points"),
            "{}",
            e.message
        );
        assert_eq!(
            range("0", "1", Some("0.0001"))
                .points(10_001, &u, false)
                .unwrap()
                .len(),
            10_001
        );
    }
}
