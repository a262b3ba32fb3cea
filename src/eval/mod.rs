//! Evaluation: every cell's value in dependency order, exactly, with errors
//! as values; and incremental recalculation when one cell changes.

mod chance;
mod error;
mod expr;
mod functions;
pub mod ops;
pub mod simulate;

use std::collections::HashSet;

pub use chance::Chance;
pub use error::{unit_named, unit_words, CellError, ErrorKind, EvalError, Verb};
pub use expr::Scope;
pub use simulate::{Outcome, Point, Spread, Target};

use crate::graph::DepGraph;
use crate::internal::InternalError;
use crate::model::{Definition, Model};
use crate::suggest::Unknown;
use crate::syntax::ast::Name;
use crate::syntax::{CellId, Expr, Span};
use crate::uncertainty::Settings;
use crate::value::Value;

/// Whether a stored result is the message kept for a name that is read but
/// not defined (see `Workbook::recompute`); a cell's own unknown-name error
/// always has a span.
pub(crate) fn is_unknown_name(result: &CellResult) -> bool {
    matches!(result, Err(e) if e.kind == ErrorKind::UnknownName && e.span.is_none())
}

/// A cell's value, or why it has none.
///
/// The error is boxed: errors are rare but large (a kind, two messages, a
/// span), and the workbook keeps one result per cell, so an unboxed error
/// would make every one of a million cells pay for it (56 bytes instead of 32).
pub type CellResult = Result<Value, Box<CellError>>;

/// A cell whose value moved in a recalculation.
#[derive(Clone, Debug, PartialEq)]
pub struct Change {
    /// The cell.
    pub cell: CellId,
    /// Its value before (`None` for a new cell).
    pub old: Option<CellResult>,
    /// Its value now.
    pub new: CellResult,
}

/// Why a redefinition was refused; the model is left exactly as it was.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The formula reads a name that is not a cell.
    #[error(transparent)]
    UnknownName(Unknown),
    /// The formula reads a group with no members.
    #[error("no cells in the group '{0}.*'")]
    EmptyGroup(String),
    /// The formula reads the cell it defines.
    #[error("'{0}' cannot read itself: {0} -> {0}")]
    ReadsItself(String),
    /// The formula would close a cycle, shown as its path.
    #[error("that would make a cycle: {0}")]
    Cycle(String),
    /// premise's own failure, met while checking the formula.
    #[error(transparent)]
    Internal(InternalError),
}

/// A model with its graph and current values, kept up to date as cells change.
#[derive(Clone, Debug)]
pub struct Workbook {
    model: Model,
    graph: DepGraph,
    values: Vec<Option<CellResult>>,
    /// The simulation `prob expected percentile` run (`--samples`, `--seed`).
    settings: Settings,
}

impl Workbook {
    /// Orders and evaluates every cell of `model`.
    pub fn new(model: Model) -> Workbook {
        Workbook::with_settings(model, Settings::default())
    }

    /// Orders and evaluates every cell of `model`, its statistics over
    /// simulations of `settings` (`simulate --samples N --seed S`).
    pub fn with_settings(model: Model, settings: Settings) -> Workbook {
        let graph = DepGraph::build(&model);
        let mut wb = Workbook {
            values: vec![None; model.len()],
            model,
            graph,
            settings,
        };
        let order = wb.graph.order().to_vec();
        wb.recompute(&order, false);
        wb
    }

    /// Orders every cell but evaluates only `targets` and what they read: what `get` needs.
    pub fn new_for(model: Model, targets: &[CellId]) -> Workbook {
        let graph = DepGraph::build(&model);
        let mut wb = Workbook {
            values: vec![None; model.len()],
            model,
            graph,
            settings: Settings::default(),
        };
        let needed = wb.graph.upstream(targets);
        let order: Vec<CellId> = wb
            .graph
            .order()
            .iter()
            .copied()
            .filter(|c| needed.get(c.index()).copied().unwrap_or(false))
            .collect();
        wb.recompute(&order, false);
        wb
    }

    /// The model as it stands now.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The dependency graph.
    pub fn graph(&self) -> &DepGraph {
        &self.graph
    }

    /// A cell's value (`None` if it was not evaluated, or is not defined).
    pub fn value(&self, id: CellId) -> Option<&CellResult> {
        self.values
            .get(id.index())
            .and_then(Option::as_ref)
            .filter(|_| self.model.definition(id).is_some())
    }

    /// The first internal error among the values computed (see
    /// [`EvalError::internal`]): a command that meets one says so instead of
    /// showing the values.
    pub fn internal_error(&self) -> Option<InternalError> {
        self.values
            .iter()
            .flatten()
            .find_map(|r| r.as_ref().err()?.internal())
    }

    /// A cell's value by name.
    pub fn value_of(&self, name: &str) -> Option<&CellResult> {
        self.model.defined(name).and_then(|id| self.value(id))
    }

    /// Evaluates a formula that is not a cell (a REPL query) against the current values.
    /// Unknown names in it are errors; the model is not changed.
    pub fn evaluate(&self, expr: &Expr) -> CellResult {
        self.evaluate_at(expr, crate::uncertainty::Position::Median)
    }

    /// [`Workbook::evaluate`] with every distribution of `expr` at
    /// `position` (its 5th or 95th percentile, for sensitivity).
    pub fn evaluate_at(&self, expr: &Expr, position: crate::uncertainty::Position) -> CellResult {
        let mut expr = expr.clone();
        let mut unknown: Option<(Box<str>, Span)> = None;
        let mut resolve_stack: Vec<&mut Expr> = vec![&mut expr];
        while let Some(e) = resolve_stack.pop() {
            if let crate::syntax::ExprKind::Ref { name, id } = &mut e.kind {
                match self.model.defined(name) {
                    Some(found) => *id = found,
                    None => {
                        if unknown.is_none() {
                            unknown = Some((name.clone(), e.span));
                        }
                    }
                }
            } else {
                e.for_each_child_mut(|c| resolve_stack.push(c));
            }
        }
        if let Some((name, span)) = unknown {
            return Err(Box::new(self.unknown_name(&name, span)));
        }
        self.model.units.resolve_expr(&mut expr);
        Scope {
            model: &self.model,
            values: &self.values,
            chance: &Point {
                position,
                ..self.point()
            },
        }
        .eval(&expr)
    }

    /// Point mode under this workbook's settings: distributions at their medians.
    fn point(&self) -> Point {
        Point {
            settings: self.settings,
            position: crate::uncertainty::Position::Median,
        }
    }

    /// The simulation `prob expected percentile` run.
    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// Which cells vary from sample to sample (they hold a distribution or
    /// read one): `~` in tables, `"uncertain": true` in JSON. Empty when
    /// the model holds no distribution.
    pub fn uncertain(&self) -> Vec<bool> {
        if !self.model.has_distributions() {
            return Vec::new();
        }
        simulate::uncertain_cells(&self.model, &self.values, self.model.cells_in_order())
    }

    /// Draws `settings.samples` samples of `cells` (docs/language.md#uncertainty).
    pub fn simulate(&self, cells: &[CellId], settings: Settings) -> Vec<Outcome> {
        let targets: Vec<Target> = cells.iter().map(|&c| Target::Cell(c)).collect();
        simulate::run(&self.model, &self.values, &targets, settings)
    }

    fn unknown_name(&self, name: &str, span: Span) -> CellError {
        let message = self.model.unknown_name(name).to_string();
        CellError::of_kind(ErrorKind::UnknownName, message, Some(span))
    }

    /// Gives `name` a new formula (defining it if new), recomputes only it and
    /// what depends on it, and returns every cell whose value changed, in
    /// dependency order. Refused, leaving everything as it was, when the
    /// formula names an unknown cell or would close a cycle.
    pub fn redefine(&mut self, name: &str, def: Definition) -> Result<Vec<Change>, Refusal> {
        self.redefine_with(name, def, false)
    }

    /// Gives `name` the formula its file now says (an editor changed one
    /// statement): as [`Workbook::redefine`], except that the formula may
    /// read names that are not cells and groups without members, as a file
    /// may (the cell's value is then the error a file load gives it). Refused
    /// only when it reads itself or closes a cycle: the caller then loads the
    /// file again, which reports the cycle.
    pub fn redefine_in_file(
        &mut self,
        name: &str,
        def: Definition,
    ) -> Result<Vec<Change>, Refusal> {
        self.redefine_with(name, def, true)
    }

    /// [`Workbook::redefine`]; `as_in_file` lets unknown names and empty groups through.
    fn redefine_with(
        &mut self,
        name: &str,
        def: Definition,
        as_in_file: bool,
    ) -> Result<Vec<Change>, Refusal> {
        // Check first: unknown names, empty groups, cycles.
        let mut problem: Option<Refusal> = None;
        let mut reads: Vec<CellId> = Vec::new();
        let mut reads_itself = false;
        def.expr.visit_names(|n| match n {
            Name::Cell(r) => {
                if r.name == name {
                    // A cell that exists closes a cycle (found below); a new one
                    // cannot read itself.
                    match self.model.lookup(name) {
                        Some(id) => reads.push(id),
                        None => reads_itself = true,
                    }
                } else if let Some(id) = self.model.defined(r.name) {
                    reads.push(id);
                } else if problem.is_none() && !as_in_file {
                    problem = Some(Refusal::UnknownName(self.model.unknown_name(r.name)));
                }
            }
            Name::Group(g) => {
                if self.model.group(g).is_empty() && problem.is_none() && !as_in_file {
                    problem = Some(Refusal::EmptyGroup(g.to_string()));
                }
                reads.extend_from_slice(self.model.group(g));
            }
        });
        if let Some(p) = problem {
            return Err(p);
        }
        let existing = self.model.lookup(name);
        if reads_itself {
            return Err(Refusal::ReadsItself(name.to_string()));
        }
        if let Some(id) = existing {
            if let Some(path) = self.graph.would_cycle(id, &reads) {
                let path =
                    crate::graph::path_text(&self.model, &path).map_err(Refusal::Internal)?;
                return Err(Refusal::Cycle(path));
            }
        }
        // Commit.
        let was_defined = existing.is_some_and(|id| self.model.definition(id).is_some());
        let id = self.model.define(name, def);
        if self.values.len() < self.model.len() {
            self.values.resize(self.model.len(), None);
        }
        let reads = self.model.deps(id);
        self.graph.set_reads(id, &reads);
        let mut touched = vec![id];
        if !was_defined && name.contains('.') {
            // A new member of groups: the cells that aggregate those groups now read it too.
            for &c in self.model.cells_in_order() {
                let uses_group = self.model.definition(c).is_some_and(|d| {
                    let mut hit = false;
                    d.expr.visit_names(|n| {
                        if let Name::Group(g) = n {
                            hit |=
                                name.starts_with(g) && name.as_bytes().get(g.len()) == Some(&b'.');
                        }
                    });
                    hit
                });
                if uses_group && c != id {
                    let deps = self.model.deps(c);
                    self.graph.set_reads(c, &deps);
                    touched.push(c);
                }
            }
        }
        let was_on_cycle = self.graph.cycle_of(id).is_some();
        if was_on_cycle || !touched.iter().all(|&c| self.graph.is_ordered_around(c)) {
            self.graph.reorder(&self.model);
        }
        let mut dirty: Vec<CellId> = Vec::new();
        let mut seen = HashSet::new();
        for &t in &touched {
            for c in self.graph.dependents(t) {
                if seen.insert(c) {
                    dirty.push(c);
                }
            }
        }
        if was_on_cycle {
            let all = self.graph.order().to_vec();
            return Ok(self.recompute(&all, true));
        }
        let dirty = self
            .graph
            .order_subset(&dirty, |c| self.model.file_position(c));
        Ok(self.recompute(&dirty, true))
    }

    /// `sum(g.*)` after some members changed: the old total plus each member's
    /// change, instead of re-adding a million members. Decimal addition is
    /// exact, so this equals the full sum (up to rounding beyond 28 digits,
    /// where the full sum would round too). `None` when it does not apply: the
    /// formula is not a plain group sum, or an error or unit is involved.
    fn sum_by_difference(&self, id: CellId, expr: &Expr, changed: &[Change]) -> Option<Value> {
        let crate::syntax::ExprKind::Call(call) = &expr.kind else {
            return None;
        };
        if call.func != crate::syntax::ast::Function::Sum {
            return None;
        }
        let [Expr {
            kind: crate::syntax::ExprKind::Group(g),
            ..
        }] = call.args.as_slice()
        else {
            return None;
        };
        let Some(Ok(Value::Number { amount, unit })) = self.value(id) else {
            return None;
        };
        let mut total = *amount;
        let mut any = false;
        for c in changed {
            // A change of a cell not in this model: the full sum says so.
            let name = self.model.name(c.cell).ok()?;
            let member = name.len() > g.len()
                && name.starts_with(&**g)
                && name.as_bytes().get(g.len()) == Some(&b'.');
            if !member {
                continue;
            }
            let (
                Some(Ok(Value::Number {
                    amount: old,
                    unit: u_old,
                })),
                Ok(Value::Number {
                    amount: new,
                    unit: u_new,
                }),
            ) = (&c.old, &c.new)
            else {
                return None;
            };
            if u_old != unit || u_new != unit {
                return None;
            }
            total =
                crate::value::math::add(crate::value::math::sub(total, *old).ok()?, *new).ok()?;
            any = true;
        }
        any.then(|| Value::Number {
            amount: total,
            unit: unit.clone(),
        })
    }

    /// Evaluates `cells` in the given (dependency) order; returns those whose
    /// value changed when `collect` is set.
    fn recompute(&mut self, cells: &[CellId], collect: bool) -> Vec<Change> {
        let mut changes = Vec::new();
        let point = self.point();
        for &id in cells {
            let Some(def) = self.model.definition(id) else {
                // A name read but never defined: its message (with a did-you-mean
                // search over every name) is worked out once, for all its readers.
                let slot = self.values.get_mut(id.index());
                let slot = slot.filter(|s| !s.as_ref().is_some_and(is_unknown_name));
                // The order is this model's graph's: the cell and its slot are there.
                if let (Some(slot), Some(cell)) = (slot, self.model.cell(id)) {
                    let message = self.model.unknown_name(&cell.name).to_string();
                    *slot = Some(Err(Box::new(CellError::of_kind(
                        ErrorKind::UnknownName,
                        message,
                        None,
                    ))));
                }
                continue;
            };
            let new = if let Some(cycle) = self.graph.cycle_of(id) {
                Err(Box::new(match cycle.describe(&self.model, id) {
                    Ok(path) => CellError::of_kind(
                        ErrorKind::Cycle,
                        format!("cycle: {path}"),
                        Some(def.span),
                    ),
                    Err(e) => CellError::eval(EvalError::Internal(e), def.span),
                }))
            } else if let Some(total) = collect
                .then(|| self.sum_by_difference(id, &def.expr, &changes))
                .flatten()
            {
                Ok(total)
            } else {
                Scope {
                    model: &self.model,
                    values: &self.values,
                    chance: &point,
                }
                .eval_definition(def)
            };
            if let Some(slot) = self.values.get_mut(id.index()) {
                if !collect {
                    *slot = Some(new);
                    continue;
                }
                // A name defined just now had only its unknown-name message: it is new.
                let old = slot.replace(new.clone()).filter(|o| !is_unknown_name(o));
                if old.as_ref() != Some(&new) {
                    changes.push(Change { cell: id, old, new });
                }
            }
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_result_is_small() {
        // The workbook keeps one `Option<CellResult>` per cell: at a million
        // cells every byte here is a megabyte of peak memory. Errors are boxed
        // and units are one pointer so that a result is no bigger than a value.
        assert_eq!(
            std::mem::size_of::<crate::value::Unit>(),
            std::mem::size_of::<usize>()
        );
        assert!(std::mem::size_of::<Value>() <= 32);
        assert!(std::mem::size_of::<Option<CellResult>>() <= 32);
    }
}
