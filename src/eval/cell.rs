//! One cell's result from its formulas, once its shape is known: one value,
//! or one a period of its axis (a pin, else the rule). The workbook computes
//! cells with it in point mode, and a simulation once a sample.

use std::sync::Arc;

use crate::model::{AxisId, Model};
use crate::syntax::ast::CellId;
use crate::syntax::Span;

use super::chance::Chance;
use super::computed::{Computed, Series};
use super::error::{CellError, EvalError};
use super::expr::{Now, Scope};
use super::knot;
use super::shape::Shape;
use super::CellResult;

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
            Some(def) => Computed::One(Scope::new(model, values, chance).eval_definition(def)),
            None => Computed::One(Err(Box::new(CellError::eval(
                EvalError::not_computed(model, id),
                Span::default(),
            )))),
        },
        Ok(Shape::Over(axis)) => over_axis(model, values, chance, axis, |scope, label| {
            match knot::formula_for(model, id, Some(label)) {
                // With the conversion an `as [UNIT]` asks for, period by period.
                Some(def) => scope.eval_definition(def),
                None => Err(knot::no_formula(model, id, label)),
            }
        }),
    }
}

/// A result a period of `axis`, each from `eval` in a scope at that period.
pub(super) fn over_axis(
    model: &Model,
    values: &[Option<Computed>],
    chance: &dyn Chance,
    axis: AxisId,
    eval: impl Fn(&Scope<'_>, i64) -> CellResult,
) -> Computed {
    let Some(a) = model.axis(axis) else {
        return Computed::One(Err(Box::new(CellError::eval(
            EvalError::Internal(crate::internal::InternalError::new(
                "a series over an axis of another model",
            )),
            Span::default(),
        ))));
    };
    let elements = a
        .labels()
        .map(|label| {
            let scope = Scope::new(model, values, chance).at(Some(Now { axis, label }));
            eval(&scope, label)
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
