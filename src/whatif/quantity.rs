//! The numbers of a question: a goal (`gap=0`, `covered=50%`), a search
//! range (`10%..90%`), a sweep (`$40B..$60B:$5B`), each as typed data
//! ([`Goal`], [`Vary`], [`Amount`]) and as the text the front ends read.
//!
//! An amount written as a formula is evaluated against the workbook as it
//! stands, so `gpu_spend*2` works too. A formula without a unit takes the
//! unit of the cell it is about (docs/language.md#what-if: `gap=0` is `$0`);
//! any other unit must measure what that cell's does, and is converted to it
//! (`energy=1 [GWh]` for a cell in MWh).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::display::format_number;
use crate::eval::{unit_named, Workbook};
use crate::syntax::parse_expression;
use crate::value::unit::convert;
use crate::value::{math, Unit, Value};

use super::WhatIfError;

/// How many points a sweep may have (rows, or rows × columns).
pub const MAX_POINTS: usize = 10_000;

/// Intervals of a sweep written without a step.
pub const DEFAULT_INTERVALS: u32 = 10;

/// A number a question gives, in the unit of the cell it is about.
#[derive(Clone, Debug, PartialEq)]
pub enum Amount {
    /// An exact amount, in the cell's own unit (`0.45` for a margin of 45%).
    Exact(Decimal),
    /// A formula computed against the workbook as it stands (`$40B`,
    /// `gpu_spend*2`, `0`); without a unit it takes the cell's unit.
    Formula(String),
}

impl From<Decimal> for Amount {
    fn from(d: Decimal) -> Amount {
        Amount::Exact(d)
    }
}

impl Amount {
    /// The amount in `unit`, the unit of the cell `about`.
    pub fn resolve(
        &self,
        book: &Workbook,
        unit: &Unit,
        about: &str,
    ) -> Result<Decimal, WhatIfError> {
        match self {
            Amount::Exact(d) => Ok(*d),
            Amount::Formula(text) => quantity(book, text, unit, about),
        }
    }
}

/// What a goal seek aims at: the cell, and the value it must reach.
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    /// The target cell.
    pub cell: String,
    /// The value it must reach.
    pub value: Amount,
}

impl Goal {
    /// Reads `CELL=VALUE` (`gap=0`).
    pub fn parse(text: &str) -> Result<Goal, WhatIfError> {
        let Some((cell, value)) = text.split_once('=') else {
            return Err(WhatIfError::question(format!(
                "the target is CELL=VALUE (e.g. gap=0), got '{text}'"
            )));
        };
        Ok(Goal {
            cell: cell.trim().to_string(),
            value: Amount::Formula(value.to_string()),
        })
    }
}

/// An input a sweep steps through: from `from` to `to`, `step` apart (ten
/// equal intervals without a step).
#[derive(Clone, Debug, PartialEq)]
pub struct Vary {
    /// The input cell.
    pub input: String,
    /// The first value.
    pub from: Amount,
    /// The last value.
    pub to: Amount,
    /// The distance between values.
    pub step: Option<Amount>,
}

impl Vary {
    /// Reads `INPUT=FROM..TO[:STEP]` (`margin=30%..70%:10%`).
    pub fn parse(text: &str) -> Result<Vary, WhatIfError> {
        let Some((input, range)) = text.split_once('=') else {
            return Err(WhatIfError::question(format!(
                "--vary takes INPUT=FROM..TO[:STEP] (e.g. margin=30%..70%:10%), got '{text}'"
            )));
        };
        let (from, to, step) = split_range(range)?;
        Ok(Vary {
            input: input.trim().to_string(),
            from,
            to,
            step,
        })
    }
}

/// Reads the `LO..HI` of a search.
pub fn parse_between(text: &str) -> Result<(Amount, Amount), WhatIfError> {
    match split_range(text)? {
        (lo, hi, None) => Ok((lo, hi)),
        (_, _, Some(_)) => Err(WhatIfError::question(
            "--between takes LO..HI, without a step",
        )),
    }
}

/// `FROM..TO[:STEP]` as its amounts.
fn split_range(text: &str) -> Result<(Amount, Amount, Option<Amount>), WhatIfError> {
    let Some((from, rest)) = text.split_once("..") else {
        return Err(WhatIfError::question(format!(
            "a range is FROM..TO or FROM..TO:STEP (e.g. 30%..70%:10%), got '{text}'"
        )));
    };
    let (to, step) = match rest.rsplit_once(':') {
        Some((to, step)) => (to, Some(step)),
        None => (rest, None),
    };
    let formula = |t: &str| Amount::Formula(t.to_string());
    Ok((formula(from), formula(to), step.map(formula)))
}

/// The amount that the formula `text` stands for, in `unit` (the unit of the cell `about`).
fn quantity(book: &Workbook, text: &str, unit: &Unit, about: &str) -> Result<Decimal, WhatIfError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(WhatIfError::question(format!(
            "a value for '{about}' is missing"
        )));
    }
    let (expr, _) = parse_expression(text).map_err(|e| {
        WhatIfError::question(format!("cannot read '{text}' as a value: {}", e.message))
    })?;
    let value = match book.evaluate(&expr) {
        crate::eval::Computed::One(r) => {
            r.map_err(|e| WhatIfError::question(format!("cannot compute '{text}': {}", e.message)))?
        }
        crate::eval::Computed::Series(_) => {
            return Err(WhatIfError::question(format!(
                "'{text}' is a series; '{about}' needs one value"
            )))
        }
    };
    match value {
        Value::Bool(_) => Err(WhatIfError::question(format!(
            "'{text}' is true or false; '{about}' needs a number"
        ))),
        Value::Number { amount, unit: u } => {
            if u.is_dimensionless() || &u == unit {
                Ok(amount)
            } else if let Ok(converted) = convert(amount, &u, unit) {
                // Another unit of the same dimension: `energy=1 [GWh]` for a cell in MWh.
                Ok(converted)
            } else {
                // What each measures, when both measure something that converts.
                let both = u.dimension_words().is_some() && unit.dimension_words().is_some();
                let named = |x: &Unit| if both { unit_named(x) } else { x.to_string() };
                let of = if unit.is_dimensionless() {
                    "is a plain number".to_string()
                } else {
                    format!("is in {}", named(unit))
                };
                Err(WhatIfError::question(format!(
                    "'{text}' is in {} but '{about}' {of}",
                    named(&u)
                )))
            }
        }
    }
}

/// A range of values as exact amounts: the points of a sweep, or the bounds of a search.
#[derive(Clone, Debug, PartialEq)]
pub struct Range {
    /// The first point.
    pub from: Decimal,
    /// The last point.
    pub to: Decimal,
    /// The distance between points, as written (positive); `None` when not given.
    pub step: Option<Decimal>,
}

impl Vary {
    /// The range in `unit`, the unit of the input.
    pub(super) fn range(&self, book: &Workbook, unit: &Unit) -> Result<Range, WhatIfError> {
        let from = self.from.resolve(book, unit, &self.input)?;
        let to = self.to.resolve(book, unit, &self.input)?;
        let step = match &self.step {
            None => None,
            Some(s) => {
                let s = s.resolve(book, unit, &self.input)?;
                if s.is_zero() {
                    return Err(WhatIfError::question(format!(
                        "the step of '{}' is zero; give a step that moves",
                        self.range_text()
                    )));
                }
                Some(s.abs())
            }
        };
        Ok(Range { from, to, step })
    }

    /// `FROM..TO[:STEP]` as given, for messages.
    fn range_text(&self) -> String {
        let text = |a: &Amount| match a {
            Amount::Exact(d) => d.normalize().to_string(),
            Amount::Formula(t) => t.clone(),
        };
        let mut s = format!("{}..{}", text(&self.from), text(&self.to));
        if let Some(step) = &self.step {
            s.push(':');
            s.push_str(&text(step));
        }
        s
    }
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
            .map_err(|_| WhatIfError::question("the range is too wide to compute"))?;
        if span.is_zero() {
            return Ok(vec![self.from]);
        }
        let step = match self.step {
            Some(s) => s,
            None => math::div(span.abs(), Decimal::from(DEFAULT_INTERVALS))
                .map_err(|_| WhatIfError::question("the range is too wide to compute"))?,
        };
        let show = |d: Decimal| format_number(d, unit, percent);
        let count = math::div(span.abs(), step)
            .ok()
            .and_then(|c| c.floor().to_usize())
            .filter(|&c| c < limit)
            .ok_or_else(|| {
                WhatIfError::question(format!(
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
                .map_err(|_| WhatIfError::question("the range is too wide to compute"))?;
            points.push(p);
        }
        if points.last() != Some(&self.to) {
            if points.len() >= limit {
                return Err(WhatIfError::question(format!(
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
            matches!(&e, WhatIfError::Question(m) if m.contains("more than 10000 points")),
            "{e}"
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
