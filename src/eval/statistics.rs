//! The statistics a formula may take of a simulation, `prob(condition)`,
//! `expected(x)` and `percentile(x, p)` (docs/language.md#uncertainty):
//! one at a time, or all those of a recomputation that can be, in one
//! simulation.
//!
//! Every input draws from its own stream, keyed by its name and sample, so
//! a statistic's samples are the same whether it is simulated alone or
//! with others: gathering them changes no result, only how often the
//! model is simulated (`chance_gap_125` and `chance_covered` both simulate
//! the whole of `gap`).

use std::cell::RefCell;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

use super::chance::Chance;
use super::computed::Computed;
use super::error::{CellError, EvalError};
use super::expr::{Now, Scope};
use super::outcome::Outcome;
use super::simulate::{run, Target};
use super::CellResult;
use crate::model::Model;
use crate::syntax::ast::{Call, Function, Name};
use crate::syntax::{CellId, Expr, ExprKind, Span};
use crate::uncertainty::{summary, Distribution, Position, Settings};
use crate::value::{Unit, Value};

/// Point mode: every distribution at its median (or, for sensitivity, at
/// another fixed point), statistics computed by a simulation.
#[derive(Clone, Copy, Debug, Default)]
pub struct Point {
    /// The simulation `prob expected percentile` run.
    pub settings: Settings,
    /// Where each distribution stands.
    pub position: Position,
}

impl Point {
    /// Every distribution at its median: every command's values.
    pub fn median(settings: Settings) -> Point {
        Point {
            settings,
            position: Position::Median,
        }
    }
}

impl Chance for Point {
    fn value(
        &self,
        distribution: &Distribution,
        unit: &Unit,
        _nth: u32,
        _period: Option<i64>,
        _fixed: bool,
    ) -> Result<Value, EvalError> {
        let amount = distribution.at(self.position)?;
        Ok(Value::with_unit(amount, unit.clone()))
    }

    fn statistic(
        &self,
        model: &Model,
        values: &[Option<Computed>],
        call: &Call,
        span: Span,
        now: Option<Now>,
    ) -> CellResult {
        statistic(model, values, call, span, now, self.settings)
    }
}

/// `prob(c)`, `expected(x)` or `percentile(x, p)` over a simulation of its
/// first argument, given the point values of what it reads.
pub fn statistic(
    model: &Model,
    values: &[Option<Computed>],
    call: &Call,
    span: Span,
    now: Option<Now>,
    settings: Settings,
) -> CellResult {
    let asked = asked(model, values, call, span, now, settings)?;
    let point = Point::median(settings);
    let outcome = run(
        model,
        values,
        &[Target::Formula(asked.arg, now)],
        settings,
        &point,
    )
    .pop()
    .unwrap_or_default();
    asked.answer(&outcome)
}

/// A statistic's call, checked before any sample is drawn.
struct Asked<'e> {
    call: &'e Call,
    span: Span,
    /// What it simulates.
    arg: &'e Expr,
    /// percentile's p, as a fraction.
    p: Option<Decimal>,
}

/// The call's first argument, and percentile's p (read in point mode,
/// from 0 to 1), or why the call cannot be answered.
fn asked<'e>(
    model: &Model,
    values: &[Option<Computed>],
    call: &'e Call,
    span: Span,
    now: Option<Now>,
    settings: Settings,
) -> Result<Asked<'e>, Box<CellError>> {
    let at = |e: EvalError| Box::new(CellError::eval(e, span));
    let name = call.func.name();
    let Some(arg) = call.args.first() else {
        return Err(at(EvalError::MissingArgument { function: name }));
    };
    let p = if call.func == Function::Percentile {
        let Some(p) = call.args.get(1) else {
            return Err(at(EvalError::MissingArgument { function: name }));
        };
        let point = Point::median(settings);
        let v = Scope::new(model, values, &point).at(now).eval(p)?;
        let fraction = match &v {
            Value::Number { amount, unit }
                if unit.is_dimensionless()
                    && *amount >= Decimal::ZERO
                    && *amount <= Decimal::ONE =>
            {
                *amount
            }
            _ => {
                let shown = match &v {
                    Value::Number { amount, unit } => {
                        crate::display::format_number(*amount, unit, true)
                    }
                    Value::Bool(b) => b.to_string(),
                };
                return Err(Box::new(CellError::eval(
                    EvalError::Uncertainty(format!(
                        "percentile(x, p) takes p from 0 to 1 (0% to 100%), not {shown}"
                    )),
                    p.span,
                )));
            }
        };
        Some(fraction)
    } else {
        None
    };
    Ok(Asked { call, span, arg, p })
}

impl Asked<'_> {
    /// The statistic of the simulated `outcome` of its argument.
    fn answer(&self, outcome: &Outcome) -> CellResult {
        let at = |e: EvalError| Box::new(CellError::eval(e, self.span));
        let name = self.call.func.name();
        if let Some(why) = outcome.failure() {
            return Err(at(EvalError::Uncertainty(format!("{name}(): {why}"))));
        }
        match self.call.func {
            Function::Prob => {
                if !outcome.numbers.is_empty() {
                    return Err(at(EvalError::Uncertainty(
                        "prob() takes a condition (prob(gap > 0)); for a number's mean, use expected()"
                            .to_string(),
                    )));
                }
                let share = summary::share(u64::from(outcome.trues), u64::from(outcome.booleans))
                    .ok_or_else(|| at(EvalError::Overflow))?;
                Ok(Value::number(share))
            }
            _ if outcome.booleans > 0 => Err(at(EvalError::Uncertainty(format!(
                "{name}() takes a number; for the chance that a condition holds, use prob()"
            )))),
            Function::Expected => {
                let mean =
                    summary::mean(&outcome.numbers).ok_or_else(|| at(EvalError::Overflow))?;
                Ok(Value::with_unit(mean, outcome.unit.clone()))
            }
            _ => {
                let fraction = self.p.unwrap_or_default();
                let x = summary::percentile(&outcome.numbers, fraction)
                    .ok_or_else(|| at(EvalError::Overflow))?;
                Ok(Value::with_unit(x, outcome.unit.clone()))
            }
        }
    }
}

/// Point mode with some statistics already worked out, in one batch: a
/// recomputation simulates together those whose arguments read only cells
/// it has finished, and answers the rest one at a time as they come.
pub(super) struct Batched {
    point: Point,
    /// Answers by the address of their call (the model does not change
    /// during a recomputation).
    found: RefCell<HashMap<usize, CellResult>>,
    /// The statistics of the cells being recomputed: (position among
    /// them, the call and its span), found on the first one met.
    calls: RefCell<Option<Vec<(usize, usize, Span)>>>,
}

impl Batched {
    /// Point mode at `point`, nothing worked out yet.
    pub(super) fn new(point: Point) -> Batched {
        Batched {
            point,
            found: RefCell::new(HashMap::default()),
            calls: RefCell::new(None),
        }
    }

    /// Before cell `order[at]` is computed: when it takes a statistic not
    /// yet answered, answers it together with every later statistic of
    /// `order` whose argument reads no cell still to be computed, in one
    /// simulation over `values`. Only statistics of cells of one value
    /// (not a series' periods) are batched.
    pub(super) fn prepare(
        &self,
        model: &Model,
        values: &[Option<Computed>],
        order: &[CellId],
        at: usize,
    ) {
        let mut calls = self.calls.borrow_mut();
        let calls = calls.get_or_insert_with(|| {
            let mut all = Vec::new();
            for (i, &cell) in order.iter().enumerate() {
                if model.series(cell).is_some() {
                    continue;
                }
                if let Some(def) = model.definition(cell) {
                    let mut here = Vec::new();
                    statistic_calls(&def.expr, &mut here);
                    all.extend(here.into_iter().map(|(c, span)| (i, c.address(), span)));
                }
            }
            all
        });
        // This cell's statistics, and the later cells'.
        let calls = calls
            .get(calls.partition_point(|c| c.0 < at)..)
            .unwrap_or_default();
        let own = calls.iter().take_while(|c| c.0 == at);
        let found = self.found.borrow();
        if own.clone().next().is_none() || own.clone().all(|c| found.contains_key(&c.1)) {
            return;
        }
        drop(found);
        // Cells still to be computed, this one included (its value is the
        // one being worked out): an argument reading one of them would see
        // its old value, or none.
        let pending: rustc_hash::FxHashSet<CellId> = order
            .get(at..)
            .map(|rest| rest.iter().copied().collect())
            .unwrap_or_default();
        let mut chosen: Vec<Asked> = Vec::new();
        let found = self.found.borrow();
        for &(i, call, span) in calls {
            if found.contains_key(&call) {
                continue;
            }
            let Some(call) = own_call(model, order, i, call) else {
                continue;
            };
            // What it simulates, and percentile's p (read in point mode).
            let mut reads: Vec<CellId> = Vec::new();
            for arg in &call.args {
                arg.visit_names(|n| match n {
                    Name::Cell(r) => reads.push(r.id),
                    Name::Group(g) => reads.extend_from_slice(model.group(g)),
                });
            }
            if reads.iter().any(|r| pending.contains(r)) {
                continue;
            }
            if let Ok(asked) = asked(model, values, call, span, None, self.point.settings) {
                chosen.push(asked);
            }
        }
        drop(found);
        if chosen.is_empty() {
            return;
        }
        let targets: Vec<Target> = chosen
            .iter()
            .map(|a| Target::Formula(a.arg, None))
            .collect();
        let outcomes = run(model, values, &targets, self.point.settings, &self.point);
        let mut found = self.found.borrow_mut();
        for (asked, outcome) in chosen.iter().zip(&outcomes) {
            found.insert(asked.call.address(), asked.answer(outcome));
        }
    }
}

/// The call at `address` among the statistics of `order[i]`'s formula.
fn own_call<'m>(model: &'m Model, order: &[CellId], i: usize, at: usize) -> Option<&'m Call> {
    let def = model.definition(*order.get(i)?)?;
    let mut here = Vec::new();
    statistic_calls(&def.expr, &mut here);
    here.into_iter()
        .map(|(c, _)| c)
        .find(|&c| c.address() == at)
}

/// The statistic calls of a formula, outside the arguments of another
/// (whose statistics are taken in each sample of its simulation), each with
/// the span of its call.
fn statistic_calls<'e>(expr: &'e Expr, out: &mut Vec<(&'e Call, Span)>) {
    let mut stack: smallvec::SmallVec<[&Expr; 16]> = smallvec::smallvec![expr];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Call(c) if c.func.is_statistic() => out.push((c, e.span)),
            _ => e.for_each_child(|c| stack.push(c)),
        }
    }
}

impl Chance for Batched {
    fn value(
        &self,
        distribution: &Distribution,
        unit: &Unit,
        nth: u32,
        period: Option<i64>,
        fixed: bool,
    ) -> Result<Value, EvalError> {
        self.point.value(distribution, unit, nth, period, fixed)
    }

    fn statistic(
        &self,
        model: &Model,
        values: &[Option<Computed>],
        call: &Call,
        span: Span,
        now: Option<Now>,
    ) -> CellResult {
        if now.is_none() {
            if let Some(found) = self.found.borrow().get(&call.address()) {
                return found.clone();
            }
        }
        self.point.statistic(model, values, call, span, now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::Workbook;
    use crate::model::{Definition, Model};

    fn book(src: &str) -> Workbook {
        Workbook::new(Model::parse("m.model", src.to_string()).unwrap())
    }

    fn value(book: &Workbook, name: &str) -> Value {
        let id = book.model().lookup(name).unwrap();
        book.value(id).unwrap().clone().unwrap()
    }

    /// Each statistic of `names` as if simulated alone, over the book's values.
    fn alone(book: &Workbook, name: &str) -> Value {
        let model = book.model();
        let id = model.lookup(name).unwrap();
        let def = model.definition(id).unwrap();
        let mut calls = Vec::new();
        statistic_calls(&def.expr, &mut calls);
        let (call, span) = calls[0];
        statistic(model, &book.values, call, span, None, book.settings()).unwrap()
    }

    const MODEL: &str = "\
x = uniform(1, 2)
s1 = prob(x > 1.5)
y = x * (1 + s1)
s2 = prob(y > 5)
e = expected(x)
p = percentile(x * 2, 95%)
";

    #[test]
    fn batched_statistics_are_those_simulated_alone() {
        let b = book(MODEL);
        for name in ["s1", "s2", "e", "p"] {
            assert_eq!(value(&b, name), alone(&b, name), "{name}");
        }
    }

    #[test]
    fn a_percentile_whose_p_is_still_to_compute_waits_for_it() {
        // q, percentile's p, reads s: batched at s's turn, p would be read
        // before s (and so q) moved.
        let mut b = book("x = uniform(0, 1)\ns = prob(x > 0.5)\nq = s / 2\np = percentile(x, q)\n");
        b.redefine("x", Definition::parse("uniform(0, 0.25)").unwrap())
            .unwrap();
        assert_eq!(value(&b, "s"), Value::number(Decimal::ZERO));
        assert_eq!(value(&b, "p"), alone(&b, "p"));
    }

    #[test]
    fn a_statistic_reading_the_statistic_being_computed_waits_for_it() {
        // t reads s, whose value is being worked out when s's turn comes.
        let b = book("x = uniform(1, 2)\ns = prob(x > 1.5)\nt = prob(x * s > 0.8)\n");
        assert_eq!(value(&b, "s"), alone(&b, "s"));
        assert_eq!(value(&b, "t"), alone(&b, "t"));
        assert!(value(&b, "t") != Value::number(Decimal::ZERO));
    }

    #[test]
    fn a_statistic_reading_a_cell_still_to_compute_waits_for_it() {
        // s2 reads y, which reads s1: batched with s1, it would see y
        // before s1 moved it. After the redefinition every x > 1.5, so s1
        // is 1, y = 2x >= 6 in every sample and s2 is 1 (with s1's old
        // value, 0.5, y = 1.5x would stay under 5 in a third of them).
        let mut b = book(MODEL);
        b.redefine("x", Definition::parse("uniform(3, 4)").unwrap())
            .unwrap();
        assert_eq!(value(&b, "s1"), Value::number(Decimal::ONE));
        assert_eq!(value(&b, "s2"), Value::number(Decimal::ONE));
        for name in ["s1", "s2", "e", "p"] {
            assert_eq!(value(&b, name), alone(&b, name), "{name}");
        }
    }
}
