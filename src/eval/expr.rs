//! Evaluating one formula against the values of the cells it reads, for
//! one value or for one period of a series.

use rust_decimal::Decimal;
use smallvec::SmallVec;

use crate::internal::InternalError;
use crate::model::{AxisId, Definition, Model};
use crate::syntax::ast::{BinaryOp, CellId, Distribution, Expr, ExprKind, Index, Period};
use crate::syntax::{formula_text, Span};
use crate::value::{Unit, Value};

use super::chance::Chance;
use super::computed::Computed;
use super::error::{CellError, ErrorKind, EvalError};
pub use super::now::Now;
use super::partial::{Found, Partial};
use super::{arguments, finance, functions, ops, CellResult};

/// What a formula may read: the model, the values computed so far, what
/// its uncertain parts come to, and, in a formula over an axis, the period
/// it is computed for.
pub struct Scope<'a> {
    /// Names, definitions and groups.
    pub model: &'a Model,
    /// Results by cell index; `None` for cells not computed.
    pub values: &'a [Option<Computed>],
    /// Medians (point mode) or one sample's draws (a simulation).
    pub chance: &'a dyn Chance,
    /// The period, in a series formula (`None` for a formula of one value).
    pub now: Option<Now>,
    /// Series being computed period by period (a recurrence), read before `values`.
    pub(super) partial: Option<&'a Partial>,
}

impl<'a> Scope<'a> {
    /// A scope for formulas of one value, its distributions as `chance` says.
    pub fn new(
        model: &'a Model,
        values: &'a [Option<Computed>],
        chance: &'a dyn Chance,
    ) -> Scope<'a> {
        Scope {
            model,
            values,
            chance,
            now: None,
            partial: None,
        }
    }

    /// The same scope at one period of a series formula.
    pub fn at(self, now: Option<Now>) -> Scope<'a> {
        Scope { now, ..self }
    }

    /// The value of a cell read at `span`, or why it cannot be read; a
    /// series is read at the period being computed.
    pub fn read(&self, id: CellId, span: Span) -> CellResult {
        // The common case first: a cell of one value, computed, read outside
        // a knot (only a defined cell ever holds a value).
        if self.partial.is_none() {
            if let Some(Some(Computed::One(Ok(v)))) = self.values.get(id.index()) {
                return Ok(v.clone());
            }
        }
        let Some(cell) = self.model.cell(id) else {
            return Err(Box::new(CellError::eval(EvalError::ForeignCell, span)));
        };
        if cell.def.is_none() {
            if let Some(axis) = self.model.axis_read_as(id) {
                return self.axis_label(axis, &cell.name, span);
            }
            // The message is worked out once per unknown name (see
            // `Workbook::recompute`): 50,000 cells reading one deleted input
            // must not search for a did-you-mean 50,000 times.
            let message = match self.computed(id).and_then(Computed::one) {
                Some(r @ Err(e)) if super::is_unknown_name(r) => e.message.clone(),
                _ => self.model.unknown_name(&cell.name).to_string().into(),
            };
            return Err(Box::new(CellError::of_kind(
                ErrorKind::UnknownName,
                message.to_string(),
                Some(span),
            )));
        }
        if let Some(found) = self.in_knot(id, self.now.map(|n| n.label), span) {
            return found;
        }
        match self.computed(id) {
            Some(Computed::One(Ok(v))) => Ok(v.clone()),
            Some(Computed::One(Err(e))) => Err(self.depends(id, None, e, span)),
            Some(Computed::Series(s)) => match self.now {
                Some(now) if now.axis == s.axis => {
                    self.element_result(id, s.get(now.label), now.label, span)
                }
                _ => {
                    let name = &cell.name;
                    let message = match self.model.axis(s.axis) {
                        Some(a) => format!(
                            "'{name}' is a series: read one period ({name}[{}]) or all of them (sum({name}[*]))",
                            a.first
                        ),
                        None => format!("'{name}' is a series: read one period or all of them"),
                    };
                    Err(Box::new(CellError::eval(EvalError::Series(message), span)))
                }
            },
            None => Err(Box::new(CellError::eval(
                EvalError::NotComputed {
                    cell: cell.name.to_string(),
                },
                span,
            ))),
        }
    }

    /// `id` read at `label` when it is a cell of the knot being computed.
    fn in_knot(&self, id: CellId, label: Option<i64>, span: Span) -> Option<CellResult> {
        let found = self.partial?.find(id, label)?;
        Some(match found {
            Found::Result(Ok(v), _) => Ok(v.clone()),
            Found::Result(Err(cause), label) => Err(self.depends(id, label, cause, span)),
            Found::Outside(label) => Err(self.outside(id, label, span)),
            Found::NoPeriod => Err(self.about(id, span, |name| {
                EvalError::Series(format!(
                    "'{name}' is a series: read one period or all of them"
                ))
            })),
            Found::NotYet => Err(self.about(id, span, |name| EvalError::NotComputed {
                cell: name.to_string(),
            })),
        })
    }

    /// The failure `error` says of the cell `id` (given its name), at
    /// `span`; an id the model does not know is premise's own failure.
    fn about(
        &self,
        id: CellId,
        span: Span,
        error: impl FnOnce(&str) -> EvalError,
    ) -> Box<CellError> {
        match self.model.name(id) {
            Ok(name) => Box::new(CellError::eval(error(name), span)),
            Err(e) => Box::new(CellError::eval(EvalError::Internal(e), span)),
        }
    }

    /// A cell's stored result.
    fn computed(&self, id: CellId) -> Option<&'a Computed> {
        self.values.get(id.index()).and_then(Option::as_ref)
    }

    /// The failure of reading `id` (at `label`, for a series), which failed with `cause`.
    pub(super) fn depends(
        &self,
        id: CellId,
        label: Option<i64>,
        cause: &CellError,
        span: Span,
    ) -> Box<CellError> {
        if cause.is_internal() {
            // Premise's own failure is not the reader's formula's: the
            // reader carries it as it is, pointed at the reference.
            let mut e = Box::new(cause.clone());
            e.span = Some(span);
            return e;
        }
        let root = cause.root(id);
        let (name, root_name) = match (self.model.name(id), self.model.name(root)) {
            (Ok(name), Ok(root_name)) => (name, root_name),
            (Err(e), _) | (_, Err(e)) => {
                return Box::new(CellError::eval(EvalError::Internal(e), span))
            }
        };
        let on = match label {
            Some(l) => format!("{name}[{l}]"),
            None => name.to_string(),
        };
        Box::new(CellError::dependency(id, &on, cause, root, root_name, span))
    }

    /// A series element read at `span`: its value, or why it has none.
    pub(super) fn element_result(
        &self,
        id: CellId,
        element: Option<&CellResult>,
        label: i64,
        span: Span,
    ) -> CellResult {
        match element {
            Some(Ok(v)) => Ok(v.clone()),
            Some(Err(e)) => Err(self.depends(id, Some(label), e, span)),
            None => Err(self.outside(id, label, span)),
        }
    }

    /// `capex[2023] is outside year 2024..2030`.
    pub(super) fn outside(&self, id: CellId, label: i64, span: Span) -> Box<CellError> {
        let axis = self
            .model
            .series(id)
            .and_then(|s| self.model.axis(s.axis))
            .or_else(|| {
                self.computed(id)
                    .and_then(Computed::series)
                    .and_then(|s| self.model.axis(s.axis))
            });
        let Some(axis) = axis else {
            return Box::new(CellError::eval(
                EvalError::Internal(InternalError::new(format!(
                    "a period of cell id {}, which is no series",
                    id.0
                ))),
                span,
            ));
        };
        self.about(id, span, |name| EvalError::OutsideAxis {
            cell: name.to_string(),
            label,
            axis: axis.describe(),
        })
    }

    /// The axis' name read inside a formula over it: the period's label.
    fn axis_label(&self, axis: AxisId, name: &str, span: Span) -> CellResult {
        match self.now {
            Some(now) if now.axis == axis => Ok(Value::number(Decimal::from(now.label))),
            _ => Err(Box::new(CellError::eval(
                EvalError::Series(format!(
                    "'{name}' is an axis: it has a value only in a formula over {name}"
                )),
                span,
            ))),
        }
    }

    /// The periods of a series an index reads, as labels; `Err` for a
    /// period off the axis, or a cell that is not a series.
    fn index_labels(&self, index: &Index, span: Span) -> Result<Vec<i64>, Box<CellError>> {
        let axis = self.series_axis(index.id, span)?;
        let Some(axis) = self.model.axis(axis) else {
            return Err(Box::new(CellError::eval(
                EvalError::Internal(InternalError::new("a series over an axis of another model")),
                span,
            )));
        };
        match &index.period {
            Period::All => Ok(axis.labels().collect()),
            Period::Slice(from, to) => {
                for l in [*from, *to] {
                    if axis.position(l).is_none() {
                        return Err(self.outside(index.id, l, span));
                    }
                }
                Ok((*from..=*to).collect())
            }
            Period::At(l) => Ok(vec![*l]),
            Period::Relative { offset, .. } => {
                let now = self.now.map(|n| n.label).ok_or_else(|| {
                    Box::new(CellError::eval(
                        EvalError::Series(format!(
                            "{}[{}] reads a period relative to the one computed, in a formula over an axis",
                            index.name, index.period
                        )),
                        span,
                    ))
                })?;
                Ok(vec![now.saturating_add(*offset)])
            }
        }
    }

    /// The axis of the series `id` (it must be one) read by an index at `span`.
    fn series_axis(&self, id: CellId, span: Span) -> Result<AxisId, Box<CellError>> {
        if let Some(axis) = self.partial.and_then(|p| p.axis_of(id)) {
            return Ok(axis);
        }
        match self.computed(id) {
            Some(Computed::Series(s)) => Ok(s.axis),
            Some(Computed::One(Err(e))) => Err(self.depends(id, None, e, span)),
            Some(Computed::One(Ok(_))) => Err(self.about(id, span, |name| {
                EvalError::Series(format!(
                    "'{name}' is one value, not a series: it has no periods to read"
                ))
            })),
            None => Err(self.about(id, span, |name| EvalError::NotComputed {
                cell: name.to_string(),
            })),
        }
    }

    /// One period of a series, read by an index.
    pub(super) fn read_element(&self, id: CellId, label: i64, span: Span) -> CellResult {
        if let Some(found) = self.in_knot(id, Some(label), span) {
            return found;
        }
        match self.computed(id) {
            Some(Computed::Series(s)) => self.element_result(id, s.get(label), label, span),
            _ => {
                self.series_axis(id, span)?;
                Err(self.outside(id, label, span))
            }
        }
    }

    /// Evaluates a cell's definition: its formula, then the conversion an
    /// `as [UNIT]` at its end asks for (docs/language.md#units).
    #[inline]
    pub fn eval_definition(&self, def: &Definition) -> CellResult {
        match def.as_unit() {
            None => self.eval(&def.expr),
            Some(unit) => ops::convert_to(self.eval(&def.expr)?, unit)
                .map_err(|e| Box::new(CellError::eval(e, def.expr.span))),
        }
    }

    /// Evaluates a formula. Recursion is bounded by the parser's depth limit.
    pub fn eval(&self, expr: &Expr) -> CellResult {
        let at = |e: EvalError| Box::new(CellError::eval(e, expr.span));
        match &expr.kind {
            ExprKind::Number(n) => Ok(Value::Number {
                amount: *n,
                unit: crate::value::Unit::dimensionless(),
            }),
            ExprKind::Literal(l) => Ok(Value::Number {
                amount: l.value,
                unit: l.unit.clone(),
            }),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Ref { id, .. } => self.read(*id, expr.span),
            ExprKind::Group(g) => Err(at(EvalError::GroupOutsideAggregate {
                group: g.to_string(),
            })),
            ExprKind::Index(i) => {
                if i.period.is_span() {
                    return Err(at(EvalError::SpanOutsideAggregate {
                        read: format!("{}[{}]", i.name, i.period),
                    }));
                }
                let labels = self.index_labels(i, expr.span)?;
                match labels.as_slice() {
                    [label] => self.read_element(i.id, *label, expr.span),
                    _ => Err(at(EvalError::SpanOutsideAggregate {
                        read: format!("{}[{}]", i.name, i.period),
                    })),
                }
            }
            ExprKind::Paren(e) => self.eval(e),
            ExprKind::Unary(op, e) => {
                let v = self.eval(e)?;
                ops::unary(*op, v).map_err(at)
            }
            ExprKind::Chain(chain) => {
                let mut acc = self.eval(&chain.first)?;
                for (op, e) in &chain.rest {
                    match op {
                        BinaryOp::And | BinaryOp::Or => {
                            let left = ops::boolean(&acc, op.quoted()).map_err(at)?;
                            // Short-circuit: the right side is not evaluated when the left decides.
                            if (*op == BinaryOp::And && !left) || (*op == BinaryOp::Or && left) {
                                continue;
                            }
                            let right = self.eval(e)?;
                            let r = ops::boolean(&right, op.quoted())
                                .map_err(|m| Box::new(CellError::eval(m, e.span)))?;
                            acc = Value::Bool(r);
                        }
                        _ => {
                            let right = self.eval(e)?;
                            acc = ops::binary(*op, &acc, &right).map_err(at)?;
                        }
                    }
                }
                Ok(acc)
            }
            ExprKind::Binary(op, pair) => {
                let [a, b] = &**pair;
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                ops::binary(*op, &x, &y).map_err(at)
            }
            ExprKind::If(i) => {
                let c = self.eval(&i.cond)?;
                let c = ops::boolean(&c, "'if'")
                    .map_err(|m| Box::new(CellError::eval(m, i.cond.span)))?;
                if c {
                    self.eval(&i.then)
                } else {
                    self.eval(&i.otherwise)
                }
            }
            ExprKind::Call(c) if c.func.is_finance() => finance::call(self, c, expr.span),
            ExprKind::Call(c) if c.func.is_statistic() => {
                self.chance
                    .statistic(self.model, self.values, c, expr.span, self.now)
            }
            ExprKind::Call(c) => functions::call(self, c, expr.span),
            ExprKind::Distribution(d) => self.distribution(d, expr.span),
        }
    }

    /// A distribution's value: its ends evaluated and checked (one unit; a
    /// unit on the last end alone applies to all), then its median or a
    /// draw, as the scope's chance says (in a series, a draw a period).
    fn distribution(&self, d: &Distribution, span: Span) -> CellResult {
        let at = |e: EvalError| Box::new(CellError::eval(e, span));
        let period = self.now.map(|n| n.label);
        let fixed = d.ends.iter().all(written_number);
        if fixed {
            if let Some(v) = self.chance.remembered(d.nth, period) {
                return v.map_err(at);
            }
        }
        let mut ends: SmallVec<[(Decimal, Unit); 3]> = SmallVec::new();
        for e in &d.ends {
            let v = self.eval(e)?;
            let (amount, unit) = ops::number(&v, d.family.name())
                .map_err(|m| Box::new(CellError::eval(m, e.span)))?;
            ends.push((amount, unit.clone()));
        }
        // One unit for all ends: each end's own, or that of the last end
        // alone (`700 to 900 [W]`); a unit on an earlier end alone is not
        // carried forward (`$1 to 2` is refused, not read as `$1 to $2`).
        let unit = ends.last().map(|(_, u)| u.clone()).unwrap_or_default();
        if let Some((_, other)) = ends
            .iter()
            .find(|(_, u)| !u.is_dimensionless() && *u != unit)
        {
            let shown = if unit.is_dimensionless() {
                other
            } else {
                &unit
            };
            let form = if d.family == crate::uncertainty::Family::Range {
                format!("a to b [{shown}], or normal(a to b [{shown}]) for a quantity that can be zero or negative")
            } else {
                format!("{}(... [{shown}])", d.family.name())
            };
            let message = if unit.is_dimensionless() {
                format!(
                    "the ends of a range need one unit, but only an end before the last has one ([{other}]): write it on every end, or once after the last end ({form})"
                )
            } else {
                format!(
                    "the ends of a range need one unit, not [{other}] and [{unit}]: write every end in one unit, or the unit once after the last end ({form})"
                )
            };
            return Err(at(EvalError::Uncertainty(message)));
        }
        let amounts: SmallVec<[Decimal; 3]> = ends.iter().map(|(a, _)| *a).collect();
        let distribution =
            crate::uncertainty::Distribution::new(d.family, &amounts).map_err(|why| {
                let texts: Vec<String> = d.ends.iter().map(formula_text).collect();
                at(EvalError::Uncertainty(why.message(d.family, &texts)))
            })?;
        self.chance
            .value(&distribution, &unit, d.nth, period, fixed)
            .map_err(at)
    }
}

/// An end of a distribution written as a number (`$40B`, `-5%`, `(3)`):
/// the same in every sample.
fn written_number(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Number(_) | ExprKind::Literal(_) => true,
        ExprKind::Paren(inner) | ExprKind::Unary(_, inner) => written_number(inner),
        _ => false,
    }
}

impl arguments::Arguments for Scope<'_> {
    fn each_argument(
        &self,
        args: &[Expr],
        mut each: impl FnMut(Value),
    ) -> Result<usize, Box<CellError>> {
        let mut count = 0;
        for a in args {
            match &a.kind {
                ExprKind::Group(g) => {
                    let members = self.model.group(g);
                    if members.is_empty() {
                        return Err(Box::new(CellError::eval(
                            EvalError::EmptyGroup {
                                group: g.to_string(),
                            },
                            a.span,
                        )));
                    }
                    for &m in members {
                        each(self.read(m, a.span)?);
                    }
                    count += members.len();
                }
                ExprKind::Index(i) if i.period.is_span() => {
                    let labels = self.index_labels(i, a.span)?;
                    for &label in &labels {
                        each(self.read_element(i.id, label, a.span)?);
                    }
                    count += labels.len();
                }
                _ => {
                    each(self.eval(a)?);
                    count += 1;
                }
            }
        }
        Ok(count)
    }
}
