//! Whether a cell is one value or a series, inferred before it is computed
//! (docs/language.md#axes-and-series): a cell defined period by period is
//! a series over its axis; any other cell whose formula reads a series
//! period by period (`capex`, `capex[year - 1]`, the axis' name) is a
//! series over that axis; `capex[2026]` and `sum(capex[*])` are one value.

use smallvec::SmallVec;

use crate::model::{AxisId, Model};
use crate::syntax::ast::{CellId, Expr, ExprKind, Function, Period};

use super::error::{CellError, EvalError};

/// What a cell's value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Shape {
    /// One value.
    #[default]
    One,
    /// One value a period of the axis.
    Over(AxisId),
}

impl Shape {
    /// The axis of a series.
    pub fn axis(self) -> Option<AxisId> {
        match self {
            Shape::One => None,
            Shape::Over(a) => Some(a),
        }
    }
}

/// What the functions that fold many values give over a series' periods, for messages.
fn reading(f: Function) -> &'static str {
    match f {
        Function::Sum => "total",
        Function::Min => "smallest value",
        Function::Max => "largest value",
        Function::Avg => "average",
        Function::Count => "count",
        Function::Npv => "present value",
        Function::Irr => "rate of return",
        _ => "value",
    }
}

/// The shape of a cell's formulas: the declared axis of a series (its rule
/// and pins), or what the formula reads. `shape_of` gives the shapes of
/// the cells read (computed before, in dependency order).
pub fn of_cell(
    model: &Model,
    id: CellId,
    shape_of: &dyn Fn(CellId) -> Shape,
) -> Result<Shape, Box<CellError>> {
    let declared = model.series(id).map(|s| s.axis);
    let mut shape = declared.map_or(Shape::One, Shape::Over);
    for def in model.formulas(id) {
        let s = of_formula(model, &def.expr, declared, shape_of)?;
        if declared.is_none() {
            shape = s;
        }
    }
    Ok(shape)
}

/// The shape of one formula; `declared` is the axis of the series it defines, if any.
pub fn of_formula(
    model: &Model,
    expr: &Expr,
    declared: Option<AxisId>,
    shape_of: &dyn Fn(CellId) -> Shape,
) -> Result<Shape, Box<CellError>> {
    let mut axes: SmallVec<[(AxisId, crate::syntax::Span); 2]> = SmallVec::new();
    let mut note = |axis: AxisId, span| {
        if !axes.iter().any(|(a, _)| *a == axis) {
            axes.push((axis, span));
        }
    };
    // Each node, and whether it stands as an argument of a function that takes spans.
    let mut stack: SmallVec<[(&Expr, bool); 16]> = smallvec::smallvec![(expr, false)];
    while let Some((e, as_argument)) = stack.pop() {
        let at = |err: EvalError| Box::new(CellError::eval(err, e.span));
        match &e.kind {
            ExprKind::Ref { id, .. } => {
                if let Some(axis) = model.axis_read_as(*id) {
                    note(axis, e.span);
                } else if let Shape::Over(axis) = shape_of(*id) {
                    note(axis, e.span);
                }
            }
            ExprKind::Group(g) => {
                for &m in model.group(g) {
                    if let Shape::Over(axis) = shape_of(m) {
                        note(axis, e.span);
                    }
                }
            }
            ExprKind::Index(i) => {
                if i.period.is_span() && !as_argument {
                    return Err(at(EvalError::SpanOutsideAggregate {
                        read: format!("{}[{}]", i.name, i.period),
                    }));
                }
                // Reading a period of a cell that is not a series fails when computed.
                let Shape::Over(axis) = shape_of(i.id) else {
                    continue;
                };
                if let Period::Relative { axis: named, .. } = &i.period {
                    let own = model.axis(axis).map_or("", |a| &*a.name);
                    if **named != *own {
                        return Err(at(EvalError::Series(format!(
                            "'{}' runs over '{own}', not '{named}': write {}[{own}...]",
                            i.name, i.name
                        ))));
                    }
                    note(axis, e.span);
                }
            }
            ExprKind::Call(c) if c.func.takes_spans() => {
                let values = match c.func {
                    Function::Npv => c.args.get(1..).unwrap_or(&[]),
                    _ => &c.args[..],
                };
                if let [only] = values {
                    let mut inner = only;
                    while let ExprKind::Paren(p) = &inner.kind {
                        inner = p;
                    }
                    if let ExprKind::Ref { id, name } = &inner.kind {
                        if matches!(shape_of(*id), Shape::Over(_)) {
                            return Err(at(EvalError::LoneSeries {
                                function: c.func.name(),
                                series: name.to_string(),
                                reading: reading(c.func),
                            }));
                        }
                    }
                }
                for a in c.args.iter().rev() {
                    stack.push((a, true));
                }
            }
            _ => {
                let before = stack.len();
                e.for_each_child(|c| stack.push((c, false)));
                if let Some(pushed) = stack.get_mut(before..) {
                    pushed.reverse();
                }
            }
        }
    }
    let name = |a: AxisId| model.axis(a).map_or(String::new(), |a| a.name.to_string());
    let two = |first: AxisId, (second, span): (AxisId, crate::syntax::Span)| {
        Box::new(CellError::eval(
            EvalError::TwoAxes {
                first: name(first),
                second: name(second),
            },
            span,
        ))
    };
    match declared {
        Some(own) => match axes.iter().find(|(a, _)| *a != own) {
            Some(&other) => Err(two(own, other)),
            None => Ok(Shape::Over(own)),
        },
        None => match axes.as_slice() {
            [] => Ok(Shape::One),
            [(one, _)] => Ok(Shape::Over(*one)),
            [(first, _), second, ..] => Err(two(*first, *second)),
        },
    }
}
