//! What a formula's uncertain parts come to in one evaluation: a
//! distribution's median (point mode, every command's values), its value in
//! one sample (a simulation), and the statistics `prob expected percentile`.
//!
//! One evaluator serves both modes (docs/language.md#uncertainty): the
//! [`Scope`](super::Scope) asks its `Chance` whenever it meets a distribution
//! or a statistic, and nothing else in evaluation knows which mode it is in.

use super::computed::Computed;
use super::error::EvalError;
use super::now::Now;
use super::CellResult;
use crate::model::Model;
use crate::syntax::ast::{Call, CellId};
use crate::syntax::Span;
use crate::uncertainty::Distribution;
use crate::value::{Unit, Value};

/// The source of an evaluation's uncertain values.
pub trait Chance {
    /// The value of a distribution (its ends checked, in `unit`): `nth` is
    /// which distribution of the formula it is, `period` the series'
    /// period. `fixed` says its ends are written as numbers, the same in
    /// every evaluation, so that a simulation may keep it for the next
    /// sample (see [`Chance::remembered`]).
    fn value(
        &self,
        distribution: &Distribution,
        unit: &Unit,
        nth: u32,
        period: Option<i64>,
        fixed: bool,
    ) -> Result<Value, EvalError>;

    /// The value of distribution `nth` (at `period`) when its ends are
    /// written as numbers and an earlier evaluation already built it, so
    /// that its ends need not be evaluated again; `None` to build it.
    fn remembered(&self, _nth: u32, _period: Option<i64>) -> Option<Result<Value, EvalError>> {
        None
    }

    /// `prob(c)`, `expected(x)` or `percentile(x, p)`, over a simulation of
    /// what the call reads; `values` are the point values computed so far,
    /// `now` the period, in a series' formula (the statistic of that period).
    fn statistic(
        &self,
        model: &Model,
        values: &[Option<Computed>],
        call: &Call,
        span: Span,
        now: Option<Now>,
    ) -> CellResult;

    /// The cell whose formula is computed next: its distributions draw
    /// from streams keyed by its name (a knot computes its cells' periods
    /// interleaved). Point mode does not care.
    fn computing(&self, _model: &Model, _cell: CellId) {}
}
