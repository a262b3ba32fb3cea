//! Evaluation: every cell's value in dependency order, exactly, with errors
//! as values; and incremental recalculation when one cell changes.

mod arguments;
mod cell;
mod chance;
mod computed;
mod error;
mod expr;
mod finance;
mod functions;
mod knot;
mod now;
pub mod ops;
mod outcome;
mod partial;
mod shape;
pub mod simulate;
mod statistics;

#[cfg(test)]
mod series_tests;

use std::collections::HashSet;

pub use chance::Chance;
pub use computed::{Computed, Series};
pub use error::{unit_named, unit_words, CellError, ErrorKind, EvalError, Verb};
pub use expr::{Now, Scope};
pub use shape::Shape;
pub use simulate::{Outcome, Spread, Target};
pub use statistics::Point;

use crate::graph::DepGraph;
use crate::internal::InternalError;
use crate::model::{AxisId, Definition, Model, Slot};
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

/// A value, or why there is none: a cell's (of one value), or one period's of a series.
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
    pub old: Option<Computed>,
    /// Its value now.
    pub new: Computed,
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
    /// The part of a series named does not fit the cell (a pin off the axis,
    /// a whole formula for a series, a rule for a cell of one value), in words.
    #[error("{0}")]
    Series(String),
    /// premise's own failure, met while checking the formula.
    #[error(transparent)]
    Internal(InternalError),
}

/// A model with its graph and current values, kept up to date as cells change.
#[derive(Clone, Debug)]
pub struct Workbook {
    model: Model,
    graph: DepGraph,
    values: Vec<Option<Computed>>,
    /// Each cell's shape, in a model with axes (empty otherwise: every cell
    /// is one value there).
    shapes: Vec<Shape>,
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
        let mut wb = Workbook::unevaluated(model, settings);
        let order = wb.graph.order().to_vec();
        wb.recompute(&order, false);
        wb
    }

    /// Orders every cell but evaluates only `targets` and what they read: what `get` needs.
    pub fn new_for(model: Model, targets: &[CellId]) -> Workbook {
        let mut wb = Workbook::unevaluated(model, Settings::default());
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

    fn unevaluated(model: Model, settings: Settings) -> Workbook {
        let graph = DepGraph::build(&model);
        let shapes = if model.has_axes() {
            vec![Shape::One; model.len()]
        } else {
            Vec::new()
        };
        Workbook {
            values: vec![None; model.len()],
            shapes,
            model,
            graph,
            settings,
        }
    }

    /// The model as it stands now.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The dependency graph.
    pub fn graph(&self) -> &DepGraph {
        &self.graph
    }

    /// A cell's result: one value, or a series (`None` if it was not
    /// evaluated, or is not defined).
    pub fn computed(&self, id: CellId) -> Option<&Computed> {
        self.values
            .get(id.index())
            .and_then(Option::as_ref)
            .filter(|_| self.model.definition(id).is_some())
    }

    /// A cell's value, for a cell of one value (`None` for a series, and as
    /// for [`Workbook::computed`]).
    pub fn value(&self, id: CellId) -> Option<&CellResult> {
        self.computed(id).and_then(Computed::one)
    }

    /// A cell's value at a period: a series' element, or the cell's one
    /// value whatever the period (`None` off a series' axis).
    pub fn value_at(&self, id: CellId, period: Option<i64>) -> Option<&CellResult> {
        self.computed(id).and_then(|o| o.at(period))
    }

    /// The first internal error among the values computed (see
    /// [`EvalError::internal`]), a series' elements included: a command
    /// that meets one says so instead of showing the values.
    pub fn internal_error(&self) -> Option<InternalError> {
        self.values.iter().flatten().find_map(|c| match c {
            Computed::One(r) => r.as_ref().err()?.internal(),
            Computed::Series(s) => s.errors().find_map(|(_, e)| e.internal()),
        })
    }

    /// A cell's value by name (a cell of one value).
    pub fn value_of(&self, name: &str) -> Option<&CellResult> {
        self.model.defined(name).and_then(|id| self.value(id))
    }

    /// Why an address does not fit its computed cell: a period of a cell of
    /// one value, or a period off a series' axis (`capex[2023] is outside
    /// year 2024..2030`); `None` when it fits.
    pub fn address_problem(&self, a: crate::model::Address) -> Option<String> {
        let label = a.period?;
        let name = match self.model.name(a.cell) {
            Ok(name) => name,
            Err(e) => return Some(e.to_string()),
        };
        match self.computed(a.cell) {
            Some(Computed::Series(s)) => {
                let axis = self.model.axis(s.axis)?;
                axis.position(label).is_none().then(|| {
                    EvalError::OutsideAxis {
                        cell: name.to_string(),
                        label,
                        axis: axis.describe(),
                    }
                    .to_string()
                })
            }
            Some(Computed::One(Ok(_))) => Some(format!(
                "'{name}' is one value, not a series: it has no period {label}"
            )),
            // A series that failed as a whole: its periods are not known.
            Some(Computed::One(Err(_))) | None => match self.model.series(a.cell) {
                Some(s) => {
                    let axis = self.model.axis(s.axis)?;
                    axis.position(label)
                        .is_none()
                        .then(|| format!("{name}[{label}] is outside {}", axis.describe()))
                }
                None => None,
            },
        }
    }

    /// A cell's shape: one value, or a series over an axis.
    pub fn shape(&self, id: CellId) -> Shape {
        self.shapes.get(id.index()).copied().unwrap_or_default()
    }

    /// Evaluates a formula that is not a cell (a REPL query) against the
    /// current values: one value, or a series when it reads one period by
    /// period. Unknown names in it are errors; the model is not changed.
    pub fn evaluate(&self, expr: &Expr) -> Computed {
        self.evaluate_at(expr, crate::uncertainty::Position::Median)
    }

    /// [`Workbook::evaluate`] with every distribution of `expr` at
    /// `position` (its 5th or 95th percentile, for sensitivity).
    pub fn evaluate_at(&self, expr: &Expr, position: crate::uncertainty::Position) -> Computed {
        let mut expr = expr.clone();
        let mut unknown: Option<(Box<str>, Span)> = None;
        let mut resolve_stack: Vec<&mut Expr> = vec![&mut expr];
        while let Some(e) = resolve_stack.pop() {
            let (name, id) = match &mut e.kind {
                crate::syntax::ExprKind::Ref { name, id } => (&*name, id),
                crate::syntax::ExprKind::Index(i) => (&i.name, &mut i.id),
                _ => {
                    e.for_each_child_mut(|c| resolve_stack.push(c));
                    continue;
                }
            };
            let found = self.model.defined(name).or_else(|| {
                self.model
                    .axis_named(name)
                    .and_then(|a| self.model.axis(a))
                    .map(|a| a.id)
            });
            match found {
                Some(found) => *id = found,
                None => {
                    if unknown.is_none() {
                        unknown = Some((name.clone(), e.span));
                    }
                }
            }
        }
        if let Some((name, span)) = unknown {
            return Computed::One(Err(Box::new(self.unknown_name(&name, span))));
        }
        self.model.units.resolve_expr(&mut expr);
        let point = Point {
            position,
            ..self.point()
        };
        if !self.model.has_axes() {
            return Computed::One(Scope::new(&self.model, &self.values, &point).eval(&expr));
        }
        let shape = shape::of_formula(&self.model, &expr, None, &|c| self.shape(c));
        match shape {
            Err(e) => Computed::One(Err(e)),
            Ok(Shape::One) => {
                Computed::One(Scope::new(&self.model, &self.values, &point).eval(&expr))
            }
            Ok(Shape::Over(axis)) => {
                cell::over_axis(&self.model, &self.values, &point, axis, |scope, _| {
                    scope.eval(&expr)
                })
            }
        }
    }

    /// Point mode under this workbook's settings: distributions at their medians.
    fn point(&self) -> Point {
        Point::median(self.settings)
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

    /// Whether one cell holds or reads a distribution: [`Workbook::uncertain`]
    /// for a single cell, looking only at what it depends on.
    pub fn is_uncertain(&self, id: CellId) -> bool {
        self.model.has_distributions()
            && simulate::uncertain_cells(&self.model, &self.values, &[id])
                .get(id.index())
                .copied()
                .unwrap_or(false)
    }

    /// Draws `settings.samples` samples of `cells` (docs/language.md#uncertainty).
    pub fn simulate(&self, cells: &[crate::model::Address], settings: Settings) -> Vec<Outcome> {
        let targets: Vec<Target> = cells.iter().map(|&c| Target::Cell(c)).collect();
        simulate::run(&self.model, &self.values, &targets, settings, &self.point())
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
        self.redefine_with(name, Slot::Whole, None, def, false)
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
        self.redefine_with(name, Slot::Whole, None, def, true)
    }

    /// [`Workbook::redefine`] for any formula of a cell: the whole cell, a
    /// series' rule (`capex[year] = ...`, over the axis named) or one pin
    /// (`capex[2025] = $80B`). A new name with a rule or a pin becomes a series.
    pub fn redefine_slot(
        &mut self,
        name: &str,
        slot: Slot,
        axis: Option<&str>,
        def: Definition,
    ) -> Result<Vec<Change>, Refusal> {
        self.redefine_with(name, slot, axis, def, false)
    }

    /// [`Workbook::redefine_slot`]; `as_in_file` lets unknown names and empty groups through.
    fn redefine_with(
        &mut self,
        name: &str,
        slot: Slot,
        axis: Option<&str>,
        def: Definition,
        as_in_file: bool,
    ) -> Result<Vec<Change>, Refusal> {
        let axis = self.slot_fits(name, slot, axis)?;
        // Check first: unknown names, empty groups, cycles.
        let series_formula = slot != Slot::Whole || self.model.has_axes();
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
                } else if self.model.axis_named(r.name).is_some() {
                    // An axis' name: the period's label, no cell.
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
        let was_defined = existing.is_some_and(|id| self.model.definition(id).is_some());
        // A series' rule may read its own other periods (a recurrence).
        if !series_formula && reads_itself {
            return Err(Refusal::ReadsItself(name.to_string()));
        }
        if let Some(id) = existing {
            // With series, a cycle of cells may be a recurrence, no cycle
            // period by period: that is found by computing (see below).
            if !series_formula || !was_defined {
                if let Some(path) = self.graph.would_cycle(id, &reads) {
                    let path =
                        crate::graph::path_text(&self.model, &path).map_err(Refusal::Internal)?;
                    return Err(Refusal::Cycle(path));
                }
            }
        }
        // Commit, keeping what it replaces in case periods turn out to form a cycle.
        let before = existing
            .filter(|_| series_formula && was_defined)
            .map(|id| (id, self.model.slot(id, slot).cloned()));
        let old_reads = existing
            .filter(|_| was_defined)
            .map(|id| self.model.deps(id));
        let id = self.model.define_slot(name, slot, axis, def);
        let changes = self.after_definition(id, old_reads, was_defined);
        let Some((id, old)) = before else {
            return Ok(changes);
        };
        let cycle = self.computed(id).and_then(|o| match o {
            Computed::One(Err(e)) if e.kind == ErrorKind::Cycle => Some(e.message.clone()),
            Computed::Series(s) => s
                .errors()
                .find(|(_, e)| e.kind == ErrorKind::Cycle)
                .map(|(_, e)| e.message.clone()),
            _ => None,
        });
        let Some(message) = cycle else {
            return Ok(changes);
        };
        // Take it back: the model and every value as they were.
        let reads_now = Some(self.model.deps(id));
        match (old, slot) {
            (Some(old), _) => {
                self.model.define_slot(name, slot, axis, old);
            }
            (None, Slot::Pin(label)) => {
                self.model.remove_pin(id, label);
            }
            (None, _) => {
                self.model.remove_rule(id);
            }
        }
        self.after_definition(id, reads_now, true);
        let message = message
            .strip_prefix("cycle: ")
            .unwrap_or(&message)
            .to_string();
        Err(Refusal::Cycle(message))
    }

    /// Takes a pin or the rule away from a series (what `:reset capex[2025]`
    /// does to a pin the file does not have), recomputing what depends on
    /// it. Refused when there is none, or when it is all the series has left.
    pub fn clear_slot(&mut self, name: &str, slot: Slot) -> Result<Vec<Change>, Refusal> {
        let Some(id) = self.model.defined(name) else {
            return Err(Refusal::UnknownName(self.model.unknown_name(name)));
        };
        let old_reads = Some(self.model.deps(id));
        let removed = match slot {
            Slot::Pin(label) => self.model.remove_pin(id, label).is_some(),
            Slot::Rule => self.model.remove_rule(id),
            Slot::Whole => false,
        };
        if !removed {
            return Err(Refusal::Series(format!(
                "'{name}' has no such part to take away, or it is all the series has"
            )));
        }
        Ok(self.after_definition(id, old_reads, true))
    }

    /// The axis a series' formula is over, after checking that the slot
    /// fits the cell (see [`Model::slot_axis`]).
    fn slot_fits(&self, name: &str, slot: Slot, axis: Option<&str>) -> Result<AxisId, Refusal> {
        self.model
            .slot_axis(name, slot, axis)
            .map_err(Refusal::Series)
    }

    /// After a cell's formula changed: its edges, the order, and every value
    /// that depends on it, recomputed; what moved comes back.
    fn after_definition(
        &mut self,
        id: CellId,
        old_reads: Option<Vec<CellId>>,
        was_defined: bool,
    ) -> Vec<Change> {
        if self.values.len() < self.model.len() {
            self.values.resize(self.model.len(), None);
        }
        if self.model.has_axes() && self.shapes.len() < self.model.len() {
            self.shapes.resize(self.model.len(), Shape::One);
        }
        let reads = self.model.deps(id);
        let mut touched = vec![id];
        let edges_changed = old_reads.as_ref() != Some(&reads);
        let was_on_cycle = self.graph.cycle_of(id).is_some();
        if edges_changed {
            self.graph.set_reads(id, &reads);
            // (An id the model does not know has no name, and no groups.)
            let name = self.model.cell(id).map_or("", |c| &*c.name).to_string();
            if !was_defined && name.contains('.') {
                // A new member of groups: the cells that aggregate those groups now read it too.
                for &c in self.model.cells_in_order() {
                    let uses_group = self.model.formulas(c).any(|d| {
                        let mut hit = false;
                        d.expr.visit_names(|n| {
                            if let Name::Group(g) = n {
                                hit |= name.starts_with(g)
                                    && name.as_bytes().get(g.len()) == Some(&b'.');
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
            if was_on_cycle || !touched.iter().all(|&c| self.graph.is_ordered_around(c)) {
                self.graph.reorder(&self.model);
            }
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
        // A cycle among cells of one value (no series) fails as a whole:
        // when it may be broken now, everything is computed again.
        if was_on_cycle && !self.model.has_axes() {
            let all = self.graph.order().to_vec();
            return self.recompute(&all, true);
        }
        let dirty = self
            .graph
            .order_subset(&dirty, |c| self.model.file_position(c));
        self.recompute(&dirty, true)
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
                Some(Computed::One(Ok(Value::Number {
                    amount: old,
                    unit: u_old,
                }))),
                Computed::One(Ok(Value::Number {
                    amount: new,
                    unit: u_new,
                })),
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
        // Knots (cells that read each other through their periods) done in this pass.
        let mut knots_done: Vec<u32> = Vec::new();
        // Point mode; a model's statistics are simulated together where
        // they can be (docs/language.md#uncertainty).
        let point = statistics::Batched::new(self.point());
        // (A statistic of a model without distributions has nothing to draw.)
        let gather = self.model.has_distributions();
        for (at, &id) in cells.iter().enumerate() {
            if gather {
                point.prepare(&self.model, &self.values, cells, at);
            }
            let Some(def) = self.model.definition(id) else {
                if self.model.axis_read_as(id).is_some() {
                    continue; // an axis' name: no cell, and no unknown name either
                }
                // A name read but never defined: its message (with a did-you-mean
                // search over every name) is worked out once, for all its readers.
                let slot = self.values.get_mut(id.index());
                let slot = slot.filter(|s| {
                    !s.as_ref()
                        .and_then(Computed::one)
                        .is_some_and(is_unknown_name)
                });
                // The order is this model's graph's: the cell and its slot are there.
                if let (Some(slot), Some(cell)) = (slot, self.model.cell(id)) {
                    let message = self.model.unknown_name(&cell.name).to_string();
                    *slot = Some(Computed::One(Err(Box::new(CellError::of_kind(
                        ErrorKind::UnknownName,
                        message,
                        None,
                    )))));
                }
                continue;
            };
            let new = if let Some(cycle) = self.graph.cycle_of(id) {
                if self.model.has_axes() {
                    let Some(knot) = self.graph.cycle_index(id) else {
                        continue;
                    };
                    if !knots_done.contains(&knot) {
                        knots_done.push(knot);
                        let members = cycle.members().to_vec();
                        for (m, computed) in self.evaluate_knot(&members, &point) {
                            self.store(m, computed, collect, &mut changes);
                        }
                    }
                    continue;
                }
                Computed::One(Err(Box::new(match cycle.describe(&self.model, id) {
                    Ok(path) => CellError::of_kind(
                        ErrorKind::Cycle,
                        format!("cycle: {path}"),
                        Some(def.span),
                    ),
                    Err(e) => CellError::eval(EvalError::Internal(e), def.span),
                })))
            } else if let Some(total) = collect
                .then(|| self.sum_by_difference(id, &def.expr, &changes))
                .flatten()
            {
                Computed::One(Ok(total))
            } else if !self.model.has_axes() {
                // Every cell is one value: no shape to infer.
                Computed::One(Scope::new(&self.model, &self.values, &point).eval_definition(def))
            } else {
                self.evaluate_cell(id, &point)
            };
            if !collect {
                if let Some(slot) = self.values.get_mut(id.index()) {
                    *slot = Some(new);
                }
                continue;
            }
            self.store(id, new, collect, &mut changes);
        }
        changes
    }

    /// Keeps a cell's new result, noting it among `changes` when it moved.
    #[inline]
    fn store(&mut self, id: CellId, new: Computed, collect: bool, changes: &mut Vec<Change>) {
        let Some(slot) = self.values.get_mut(id.index()) else {
            return;
        };
        if !collect {
            *slot = Some(new);
            return;
        }
        // A name defined just now had only its unknown-name message: it is new.
        let old = slot
            .replace(new.clone())
            .filter(|o| !o.one().is_some_and(is_unknown_name));
        if old.as_ref() != Some(&new) {
            changes.push(Change { cell: id, old, new });
        }
    }

    /// A cell's result from its formula and its shape: one value, or one a
    /// period (in a model with axes).
    fn evaluate_cell(&mut self, id: CellId, chance: &dyn Chance) -> Computed {
        let shape = shape::of_cell(&self.model, id, &|c| self.shape(c));
        if let Some(s) = self.shapes.get_mut(id.index()) {
            *s = shape.as_ref().copied().unwrap_or_default();
        }
        cell::compute(&self.model, &self.values, chance, id, shape)
    }

    /// The cells of a knot, period by period (see [`knot`]). Their shapes
    /// are inferred together first: a cell of the knot whose shape comes
    /// from another member settles once that member's does.
    fn evaluate_knot(
        &mut self,
        members: &[CellId],
        chance: &dyn Chance,
    ) -> Vec<(CellId, Computed)> {
        let mut shapes: Vec<(CellId, Result<Shape, Box<CellError>>)> =
            members.iter().map(|&m| (m, Ok(Shape::One))).collect();
        for &m in members {
            if let Some(s) = self.shapes.get_mut(m.index()) {
                *s = Shape::One;
            }
        }
        for _ in 0..=members.len() {
            let mut moved = false;
            for (m, shape) in shapes.iter_mut() {
                let now = shape::of_cell(&self.model, *m, &|c| self.shape(c));
                let settled = now.as_ref().copied().unwrap_or_default();
                if let Some(s) = self.shapes.get_mut(m.index()) {
                    moved |= *s != settled;
                    *s = settled;
                }
                *shape = now;
            }
            if !moved {
                break;
            }
        }
        if shapes.iter().all(|(_, s)| matches!(s, Ok(Shape::One))) {
            // No series among them: a cycle of cells, as in a model without axes.
            return members
                .iter()
                .map(|&m| {
                    let span = self.model.definition(m).map_or(Span::default(), |d| d.span);
                    let path = match self.graph.cycle_of(m) {
                        Some(c) => c.describe(&self.model, m),
                        None => Err(InternalError::new("a knot's cell on no cycle")),
                    };
                    let error = match path {
                        Ok(path) => CellError::of_kind(
                            ErrorKind::Cycle,
                            format!("cycle: {path}"),
                            Some(span),
                        ),
                        Err(e) => CellError::eval(EvalError::Internal(e), span),
                    };
                    (m, Computed::One(Err(Box::new(error))))
                })
                .collect();
        }
        knot::evaluate(&self.model, &self.values, chance, &shapes)
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
        // A series sits behind one pointer: the slot of a cell is no bigger.
        assert!(std::mem::size_of::<Option<Computed>>() <= 32);
    }
}
