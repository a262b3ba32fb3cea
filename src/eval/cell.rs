//! One cell's result from its formulas, once its shape is known: one value,
//! or one a period of its axis (a pin, else the rule). The workbook computes
//! cells with it in point mode, and a simulation once a sample.

use std::sync::Arc;

use crate::model::{AxisId, Model};
use crate::syntax::ast::{CellId, Expr};
use crate::syntax::Span;

use super::chance::Chance;
use super::computed::{Computed, Series};
use super::error::{CellError, EvalError};
use super::expr::{Now, Scope};
use super::knot;
use super::shape::Shape;

/// A cell's result given its `shape` (or why the shape failed), its
/// distributions as `chance` says.
pub(super) fn compute(
    model: &Model,
    values: &[Option<Computed>],
    chance: &dyn Chance,
    id: CellId,
    shape: Result<Shape, Box<CellError>>,
) -> Computed {
    match shape {
        Err(e) => Computed::One(Err(e)),
        Ok(Shape::One) => match model.definition(id) {
            Some(def) => Computed::One(Scope::new(model, values, chance).eval(&def.expr)),
            None => Computed::One(Err(Box::new(CellError::eval(
                EvalError::not_computed(model, id),
                Span::default(),
            )))),
        },
        Ok(Shape::Over(axis)) => {
            over_axis(
                model,
                values,
                chance,
                axis,
                |label| match knot::formula_for(model, id, Some(label)) {
                    Some(expr) => Ok(expr),
                    None => Err(knot::no_formula(model, id, label)),
                },
            )
        }
    }
}

/// A result a period of `axis`, each from the formula `formula` gives for
/// it (or why there is none).
pub(super) fn over_axis<'e>(
    model: &Model,
    values: &[Option<Computed>],
    chance: &dyn Chance,
    axis: AxisId,
    formula: impl Fn(i64) -> Result<&'e Expr, Box<CellError>>,
) -> Computed {
    let Some(a) = model.axis(axis) else {
        return Computed::One(Err(Box::new(CellError::eval(
            EvalError::Series("an axis of another model".to_string()),
            Span::default(),
        ))));
    };
    let elements = a
        .labels()
        .map(|label| {
            let expr = formula(label)?;
            Scope::new(model, values, chance)
                .at(Some(Now { axis, label }))
                .eval(expr)
        })
        .collect();
    Computed::Series(Arc::new(Series {
        axis,
        first: a.first,
        elements,
    }))
}

/// The shape a computed result shows: a series over its axis, or one value
/// (also for a cell that failed as a whole).
pub(super) fn shape_of(computed: Option<&Computed>) -> Shape {
    match computed {
        Some(Computed::Series(s)) => Shape::Over(s.axis),
        _ => Shape::One,
    }
}
