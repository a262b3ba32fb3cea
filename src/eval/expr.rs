//! Evaluating one formula against the values of the cells it reads.

use smallvec::SmallVec;

use crate::model::{Definition, Model};
use crate::syntax::ast::{BinaryOp, CellId, Distribution, Expr, ExprKind};
use crate::syntax::{formula_text, Span};
use crate::value::{Unit, Value};

use super::chance::Chance;
use super::error::{CellError, ErrorKind, EvalError};
use super::{functions, ops, CellResult};

/// What a formula may read: the model, the values computed so far, and
/// what its uncertain parts come to.
pub struct Scope<'a> {
    /// Names, definitions and groups.
    pub model: &'a Model,
    /// Values by cell index; `None` for cells not computed.
    pub values: &'a [Option<CellResult>],
    /// Medians (point mode) or one sample's draws (a simulation).
    pub chance: &'a dyn Chance,
}

impl Scope<'_> {
    /// The value of a cell read at `span`, or why it cannot be read.
    pub fn read(&self, id: CellId, span: crate::syntax::Span) -> CellResult {
        let Some(cell) = self.model.cell(id) else {
            return Err(Box::new(CellError::eval(EvalError::ForeignCell, span)));
        };
        if cell.def.is_none() {
            // The message is worked out once per unknown name (see
            // `Workbook::recompute`): 50,000 cells reading one deleted input
            // must not search for a did-you-mean 50,000 times.
            let message = match self.values.get(id.index()).and_then(Option::as_ref) {
                Some(r @ Err(e)) if super::is_unknown_name(r) => e.message.clone(),
                _ => self.model.unknown_name(&cell.name).to_string().into(),
            };
            return Err(Box::new(CellError::of_kind(
                ErrorKind::UnknownName,
                message.to_string(),
                Some(span),
            )));
        }
        match self.values.get(id.index()).and_then(Option::as_ref) {
            Some(Ok(v)) => Ok(v.clone()),
            Some(Err(e)) if e.is_internal() => {
                // Premise's own failure is not the reader's formula's: the
                // reader carries it as it is, pointed at the reference.
                let mut e = e.clone();
                e.span = Some(span);
                Err(e)
            }
            Some(Err(e)) => {
                let root = e.root(id);
                let root_name = self
                    .model
                    .name(root)
                    .map_err(|e| Box::new(CellError::eval(EvalError::Internal(e), span)))?;
                Err(Box::new(CellError::dependency(
                    id, &cell.name, e, root, root_name, span,
                )))
            }
            None => Err(Box::new(CellError::eval(
                EvalError::NotComputed {
                    cell: cell.name.to_string(),
                },
                span,
            ))),
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
            ExprKind::Call(c) if c.func.is_statistic() => {
                self.chance.statistic(self.model, self.values, c, expr.span)
            }
            ExprKind::Call(c) => functions::call(self, c, expr.span),
            ExprKind::Distribution(d) => self.distribution(d, expr.span),
        }
    }

    /// A distribution's value: its ends evaluated and checked (one unit; a
    /// unit on the last end alone applies to all), then its median or a
    /// draw, as the scope's chance says.
    fn distribution(&self, d: &Distribution, span: Span) -> CellResult {
        let at = |e: EvalError| Box::new(CellError::eval(e, span));
        let mut ends: SmallVec<[(rust_decimal::Decimal, Unit); 3]> = SmallVec::new();
        for e in &d.ends {
            let v = self.eval(e)?;
            let (amount, unit) = ops::number(&v, d.family.name())
                .map_err(|m| Box::new(CellError::eval(m, e.span)))?;
            ends.push((amount, unit.clone()));
        }
        let unit = ends
            .iter()
            .rev()
            .map(|(_, u)| u)
            .find(|u| !u.is_dimensionless())
            .cloned()
            .unwrap_or_default();
        if let Some((_, other)) = ends
            .iter()
            .find(|(_, u)| !u.is_dimensionless() && *u != unit)
        {
            return Err(at(EvalError::Uncertainty(format!(
                "the ends of a range need one unit, not [{other}] and [{unit}]"
            ))));
        }
        let amounts: SmallVec<[rust_decimal::Decimal; 3]> = ends.iter().map(|(a, _)| *a).collect();
        let distribution =
            crate::uncertainty::Distribution::new(d.family, &amounts).map_err(|why| {
                let texts: Vec<String> = d.ends.iter().map(formula_text).collect();
                at(EvalError::Uncertainty(why.message(d.family, &texts)))
            })?;
        let amount = self.chance.value(&distribution, d.nth, None).map_err(at)?;
        Ok(Value::Number { amount, unit })
    }
}

impl functions::Arguments for Scope<'_> {
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
                _ => {
                    each(self.eval(a)?);
                    count += 1;
                }
            }
        }
        Ok(count)
    }
}
