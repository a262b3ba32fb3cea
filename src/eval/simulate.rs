//! A simulation: the evaluator run once per sample over the uncertain
//! cells (docs/language.md#uncertainty).
//!
//! Cells that read no distribution keep their point values: only the
//! uncertain cells the targets depend on are computed again for each sample,
//! in dependency order, so every reader of a cell sees its same sample
//! (`x - x` is 0). Samples are split into fixed chunks, computed by as many
//! threads as there are cores and gathered in sample order; each draw
//! depends only on its stream and sample index, so the output is the same
//! whatever the number of threads.

use std::cell::{Cell, RefCell};
use std::sync::Mutex;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

use super::cell;
use super::chance::Chance;
use super::computed::Computed;
use super::error::{CellError, ErrorKind, EvalError};
use super::expr::{Now, Scope};
use super::knot;
use super::outcome::{self, Counted, Expect, Tally};
pub use super::outcome::{spreads, Outcome, Spread};
use super::CellResult;
use crate::model::{Address, Model};
use crate::syntax::ast::Call;
use crate::syntax::{formula_text, CellId, Expr, ExprKind, Span};
use crate::uncertainty::stream::{name_hash, Key};
use crate::uncertainty::{Distribution, Sampler, Settings, Stream};
use crate::value::{Unit, Value};

/// Samples per chunk: the unit of work a thread takes. Fixed, so that the
/// chunks (and the draws) do not depend on the number of threads.
const CHUNK: u32 = 256;

/// What a simulation reports on.
#[derive(Clone, Copy, Debug)]
pub enum Target<'e> {
    /// A cell of the model, or one period of a series.
    Cell(Address),
    /// A formula that is not a cell (the argument of `prob`), at a period
    /// when it is part of a series' formula.
    Formula(&'e Expr, Option<Now>),
}

/// The uncertain cells `targets` depend on, in dependency order, each with
/// the hash of its name (which keys its streams): one cell at a time, or a
/// knot (cells that read each other's periods) computed together.
struct Plan {
    units: Vec<Step>,
}

/// What a sample computes in one step.
enum Step {
    /// One cell, with the hash of its name and its shape.
    Cell(CellId, u64, super::shape::Shape),
    /// Cells that read each other's periods, with their shapes.
    Knot(Vec<(CellId, Result<super::shape::Shape, Box<CellError>>)>),
}

/// The plan's cells, grouped into units in dependency order: a strongly
/// connected set of them (a recurrence, cells reading each other's
/// periods) is one knot; the shapes are those of the point values.
fn plan(model: &Model, base: &[Option<Computed>], order: Vec<CellId>) -> Plan {
    use petgraph::graph::{DiGraph, NodeIndex};
    let mut graph = DiGraph::<CellId, ()>::with_capacity(order.len(), order.len());
    let mut node: HashMap<CellId, NodeIndex> = HashMap::default();
    for &id in &order {
        node.insert(id, graph.add_node(id));
    }
    let mut reads = Vec::new();
    for &id in &order {
        reads.clear();
        for def in model.formulas(id) {
            draws_and_reads(model, &def.expr, &mut reads);
        }
        for r in &reads {
            if let (Some(&from), Some(&to)) = (node.get(r), node.get(&id)) {
                graph.update_edge(from, to, ());
            }
        }
    }
    let shape = |id: CellId| cell::shape_of(base.get(id.index()).and_then(Option::as_ref));
    let mut sccs = petgraph::algo::kosaraju_scc(&graph);
    sccs.reverse();
    let units = sccs
        .into_iter()
        .filter_map(|scc| {
            let knot = match scc.as_slice() {
                [one] => graph.contains_edge(*one, *one),
                _ => true,
            };
            let ids: Vec<CellId> = scc
                .iter()
                .filter_map(|&n| graph.node_weight(n).copied())
                .collect();
            if knot {
                Some(Step::Knot(
                    ids.into_iter().map(|id| (id, Ok(shape(id)))).collect(),
                ))
            } else {
                let id = *ids.first()?;
                // Like an undefined name (skipped below), a cell the model
                // does not hold has nothing to draw.
                let name = name_hash(&model.cell(id)?.name);
                Some(Step::Cell(id, name, shape(id)))
            }
        })
        .collect();
    Plan { units }
}

/// The names a formula reads outside `prob expected percentile` (whose
/// value is one number for every sample), and whether it holds a
/// distribution there.
fn draws_and_reads(model: &Model, expr: &Expr, reads: &mut Vec<CellId>) -> bool {
    let mut draws = false;
    let mut stack: smallvec::SmallVec<[&Expr; 16]> = smallvec::smallvec![expr];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Ref { id, .. } => reads.push(*id),
            ExprKind::Index(i) => reads.push(i.id),
            ExprKind::Group(g) => reads.extend_from_slice(model.group(g)),
            ExprKind::Call(c) if c.func.is_statistic() => {
                // The probability of percentile() is read in point mode.
                if let Some(p) = c.args.get(1) {
                    stack.push(p);
                }
            }
            ExprKind::Distribution(_) => {
                draws = true;
                e.for_each_child(|c| stack.push(c));
            }
            _ => e.for_each_child(|c| stack.push(c)),
        }
    }
    draws
}

/// Which of `model`'s cells vary from sample to sample: those holding a
/// distribution and those reading one, through any chain of cells, outside
/// the statistics. Only the cells `roots` depend on are looked at (the rest
/// are `false`); cells on a cycle are not.
pub fn uncertain_cells(model: &Model, values: &[Option<Computed>], roots: &[CellId]) -> Vec<bool> {
    uncertainty_order(model, values, roots).0
}

/// [`uncertain_cells`], and the uncertain ones in dependency order.
fn uncertainty_order(
    model: &Model,
    values: &[Option<Computed>],
    roots: &[CellId],
) -> (Vec<bool>, Vec<CellId>) {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
    }
    let mut state = vec![State::New; model.len()];
    let mut uncertain = vec![false; model.len()];
    let mut order = Vec::new();
    let mut reads: Vec<Vec<CellId>> = Vec::new();
    // Each frame: a cell, what it reads, and how many of those are done.
    let mut stack: Vec<(CellId, usize, usize)> = Vec::new();
    let on_cycle = |id: CellId| matches!(values.get(id.index()), Some(Some(Computed::One(Err(e)))) if e.kind == ErrorKind::Cycle);
    // Every cell finished, in dependency order, and what it reads.
    let mut finished: Vec<(CellId, Vec<CellId>)> = Vec::new();
    for &root in roots {
        if state.get(root.index()) != Some(&State::New) {
            continue;
        }
        let open = |id: CellId,
                    state: &mut Vec<State>,
                    uncertain: &mut Vec<bool>,
                    reads: &mut Vec<Vec<CellId>>|
         -> Option<usize> {
            let slot = state.get_mut(id.index())?;
            if *slot != State::New {
                return None;
            }
            *slot = State::Open;
            let mut r = Vec::new();
            if model.definition(id).is_some() && !on_cycle(id) {
                // A series draws in its rule or in any of its pins.
                for def in model.formulas(id) {
                    if draws_and_reads(model, &def.expr, &mut r) {
                        if let Some(u) = uncertain.get_mut(id.index()) {
                            *u = true;
                        }
                    }
                }
            }
            reads.push(r);
            Some(reads.len() - 1)
        };
        if let Some(frame) = open(root, &mut state, &mut uncertain, &mut reads) {
            stack.push((root, frame, 0));
        }
        while let Some(&mut (id, frame, ref mut next)) = stack.last_mut() {
            let read = reads.get(frame).and_then(|r| r.get(*next)).copied();
            match read {
                Some(r) => {
                    *next += 1;
                    if let Some(f) = open(r, &mut state, &mut uncertain, &mut reads) {
                        stack.push((r, f, 0));
                    }
                }
                None => {
                    stack.pop();
                    let varies = uncertain.get(id.index()).copied().unwrap_or(false)
                        || reads.get(frame).is_some_and(|rs| {
                            rs.iter().any(|r| {
                                state.get(r.index()) == Some(&State::Done)
                                    && uncertain.get(r.index()).copied().unwrap_or(false)
                            })
                        });
                    if let Some(s) = state.get_mut(id.index()) {
                        *s = State::Done;
                    }
                    if varies {
                        if let Some(u) = uncertain.get_mut(id.index()) {
                            *u = true;
                        }
                    }
                    if let Some(r) = reads.get_mut(frame) {
                        finished.push((id, std::mem::take(r)));
                    }
                }
            }
        }
    }
    // Cells that read each other (a recurrence's knot) finish before all
    // of them are known: what reads an uncertain cell is uncertain, until
    // nothing more changes.
    loop {
        let mut moved = false;
        for (id, rs) in &finished {
            if uncertain.get(id.index()).copied().unwrap_or(true) {
                continue;
            }
            if rs
                .iter()
                .any(|r| uncertain.get(r.index()).copied().unwrap_or(false))
            {
                if let Some(u) = uncertain.get_mut(id.index()) {
                    *u = true;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
    order.extend(
        finished
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| uncertain.get(id.index()).copied().unwrap_or(false)),
    );
    (uncertain, order)
}

/// One chunk of samples, by number, with its slots in every target's numbers.
type ChunkSlots<'s> = (u32, Vec<&'s mut [Decimal]>);

/// What every thread of one simulation shares.
struct Shared<'a> {
    model: &'a Model,
    base: &'a [Option<Computed>],
    settings: Settings,
    plan: Plan,
    targets: &'a [Target<'a>],
    /// The hash of each formula target's text (its streams' key).
    formula_keys: Vec<u64>,
    /// Statistics met inside the simulated formulas, computed once.
    memo: Mutex<HashMap<(usize, Option<i64>), CellResult>>,
    /// Point mode, which answers those statistics.
    point: &'a (dyn Chance + Sync),
    /// What each target's samples should give: its point value's kind.
    expects: Vec<Option<Expect>>,
}

/// One thread's chance: the draws of the sample and cell being computed.
struct Draws<'a> {
    shared: &'a Shared<'a>,
    name: Cell<u64>,
    sample: Cell<u64>,
    inputs: RefCell<HashMap<Key, Input>>,
}

/// One distribution of the model as a thread draws from it.
struct Input {
    /// Its random numbers.
    stream: Stream,
    /// Its parameters and unit, kept when its ends are written as numbers
    /// (the same in every sample). The unit is the thread's own copy: a
    /// unit shared between threads would have them take turns at its
    /// reference count on every sample.
    fixed: Option<(Sampler, Unit)>,
}

impl Draws<'_> {
    fn key(&self, nth: u32, period: Option<i64>) -> Key {
        Key {
            name: self.name.get(),
            nth,
            period,
        }
    }
}

/// A draw at `u`, in `unit`.
fn drawn(sampler: &Sampler, unit: &Unit, u: f64) -> Result<Value, EvalError> {
    let amount = sampler.draw(u).ok_or(EvalError::Overflow)?;
    Ok(Value::with_unit(amount, unit.clone()))
}

impl Chance for Draws<'_> {
    fn value(
        &self,
        distribution: &Distribution,
        unit: &Unit,
        nth: u32,
        period: Option<i64>,
        fixed: bool,
    ) -> Result<Value, EvalError> {
        let key = self.key(nth, period);
        let seed = self.shared.settings.seed;
        let sampler = Sampler::new(distribution);
        let mut inputs = self.inputs.borrow_mut();
        let input = inputs.entry(key).or_insert_with(|| Input {
            stream: Stream::new(seed, key),
            fixed: None,
        });
        let u = input.stream.uniform(self.sample.get());
        if fixed {
            let kept = input.fixed.insert((sampler, unit.own_copy()));
            return drawn(&kept.0, &kept.1, u);
        }
        drawn(&sampler, unit, u)
    }

    fn remembered(&self, nth: u32, period: Option<i64>) -> Option<Result<Value, EvalError>> {
        let mut inputs = self.inputs.borrow_mut();
        let input = inputs.get_mut(&self.key(nth, period))?;
        let (sampler, unit) = input.fixed.as_ref()?;
        let u = input.stream.uniform(self.sample.get());
        Some(drawn(sampler, unit, u))
    }

    fn computing(&self, model: &Model, cell: CellId) {
        // A knot's members are cells of the model (see `plan`).
        if let Ok(name) = model.name(cell) {
            self.name.set(name_hash(name));
        }
    }

    fn statistic(
        &self,
        model: &Model,
        _values: &[Option<Computed>],
        call: &Call,
        span: Span,
        now: Option<Now>,
    ) -> CellResult {
        // One value for every sample: computed over the point values, once
        // (a period's once, in a series' formula).
        let key = (call.address(), now.map(|n| n.label));
        if let Ok(memo) = self.shared.memo.lock() {
            if let Some(found) = memo.get(&key) {
                return found.clone();
            }
        }
        let found = self
            .shared
            .point
            .statistic(model, self.shared.base, call, span, now);
        if let Ok(mut memo) = self.shared.memo.lock() {
            memo.insert(key, found.clone());
        }
        found
    }
}

/// Draws `settings.samples` samples of `targets`, given the point values
/// `base` of every cell they read, and returns each target's outcome; a
/// statistic met inside a simulated formula is one number for every sample,
/// which `point` gives over `base`.
pub fn run(
    model: &Model,
    base: &[Option<Computed>],
    targets: &[Target<'_>],
    settings: Settings,
    point: &(dyn Chance + Sync),
) -> Vec<Outcome> {
    let mut roots = Vec::new();
    for t in targets {
        match t {
            Target::Cell(at) => roots.push(at.cell),
            Target::Formula(e, _) => {
                draws_and_reads(model, e, &mut roots);
            }
        }
    }
    let (_, order) = uncertainty_order(model, base, &roots);
    let plan = plan(model, base, order);
    let formula_keys = targets
        .iter()
        .map(|t| match t {
            Target::Formula(e, _) => name_hash(&formula_text(e)),
            Target::Cell(_) => 0,
        })
        .collect();
    let shared = Shared {
        model,
        base,
        settings,
        plan,
        targets,
        formula_keys,
        memo: Mutex::new(HashMap::default()),
        point,
        expects: targets
            .iter()
            .map(|t| expected(model, base, point, t))
            .collect(),
    };
    let samples = settings.samples as usize;
    let chunk = CHUNK as usize;
    // Every target's numbers, one slot per sample, in one allocation each;
    // each chunk's slots of every target go to the thread computing it.
    let mut numbers: Vec<Vec<Decimal>> = targets
        .iter()
        .map(|_| vec![Decimal::ZERO; samples])
        .collect();
    let chunks = samples.div_ceil(chunk);
    let mut slots: Vec<ChunkSlots<'_>> = (0..chunks)
        .map(|c| (c as u32, Vec::with_capacity(targets.len())))
        .collect();
    for target in &mut numbers {
        for ((_, of_chunk), part) in slots.iter_mut().zip(target.chunks_mut(chunk)) {
            of_chunk.push(part);
        }
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(chunks)
        .max(1);
    // Each thread takes the next chunk when it is free, so that a core
    // slowed by other work holds nobody up: which thread computes a sample
    // changes nothing in its draws.
    let queue = Mutex::new(slots.into_iter());
    let mut done: Vec<(u32, Vec<Counted>)> = std::thread::scope(|s| {
        let (shared, queue) = (&shared, &queue);
        // A thread the system refuses leaves its chunks to the others.
        let handles: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .spawn_scoped(s, move || work(shared, queue))
                    .ok()
            })
            .collect();
        let mut all = work(shared, queue);
        // Every thread joined before deciding: a thread that failed loses
        // its chunks, and the missing samples make the outcome a stopped
        // simulation (below), never a partial answer.
        for h in handles {
            if let Ok(part) = h.join() {
                all.extend(part);
            }
        }
        all
    });
    done.sort_by_key(|(c, _)| *c);
    let mut parts: Vec<std::vec::IntoIter<Counted>> =
        done.into_iter().map(|(_, part)| part.into_iter()).collect();
    numbers
        .into_iter()
        .map(|slots| {
            let mine: Vec<Counted> = parts.iter_mut().filter_map(Iterator::next).collect();
            let whole = outcome::gather(slots, mine, CHUNK);
            if whole.samples == settings.samples {
                whole
            } else {
                // A thread failed: report it rather than a partial answer.
                Outcome::stopped(settings.samples)
            }
        })
        .collect()
}

/// What a target's samples should give, from its point value: a cell's is
/// computed already; a formula's is worked out here, unless it holds a
/// statistic (a simulation of its own: its first sample decides instead).
fn expected(
    model: &Model,
    base: &[Option<Computed>],
    point: &(dyn Chance + Sync),
    target: &Target<'_>,
) -> Option<Expect> {
    match target {
        Target::Cell(at) => match base.get(at.cell.index())?.as_ref()?.at(at.period)? {
            Ok(v) => Some(Expect::of(v)),
            Err(_) => None,
        },
        Target::Formula(e, now) => {
            let mut stack: smallvec::SmallVec<[&Expr; 16]> = smallvec::smallvec![*e];
            while let Some(x) = stack.pop() {
                if matches!(&x.kind, ExprKind::Call(c) if c.func.is_statistic()) {
                    return None;
                }
                x.for_each_child(|c| stack.push(c));
            }
            Scope::new(model, base, point)
                .at(*now)
                .eval(e)
                .ok()
                .map(|v| Expect::of(&v))
        }
    }
}

/// One thread's work: chunks taken from `queue` (each with its number and
/// its slots in every target's numbers) until none is left, computed, and
/// counted for each target.
fn work<'s>(
    shared: &Shared<'_>,
    queue: &Mutex<std::vec::IntoIter<ChunkSlots<'s>>>,
) -> Vec<(u32, Vec<Counted>)> {
    let model = shared.model;
    let mut values = shared.base.to_vec();
    let draws = Draws {
        shared,
        name: Cell::new(0),
        sample: Cell::new(0),
        inputs: RefCell::new(HashMap::default()),
    };
    let samples = shared.settings.samples;
    let mut done = Vec::new();
    // The lock is held only to take the next chunk.
    while let Some((chunk, slots)) = queue.lock().ok().and_then(|mut q| q.next()) {
        let start = chunk.saturating_mul(CHUNK);
        let end = start.saturating_add(CHUNK).min(samples);
        let mut tallies: Vec<Tally> = slots
            .into_iter()
            .zip(&shared.expects)
            .map(|(slots, expect)| Tally::new(slots, expect.clone()))
            .collect();
        for sample in start..end {
            draws.sample.set(u64::from(sample));
            for unit in &shared.plan.units {
                match unit {
                    Step::Cell(id, name, shape) => {
                        draws.name.set(*name);
                        let result = cell::compute(model, &values, &draws, *id, Ok(*shape));
                        if let Some(slot) = values.get_mut(id.index()) {
                            *slot = Some(result);
                        }
                    }
                    Step::Knot(members) => {
                        for (id, result) in knot::evaluate(model, &values, &draws, members) {
                            if let Some(slot) = values.get_mut(id.index()) {
                                *slot = Some(result);
                            }
                        }
                    }
                }
            }
            for ((target, tally), &key) in shared
                .targets
                .iter()
                .zip(&mut tallies)
                .zip(&shared.formula_keys)
            {
                match target {
                    Target::Cell(at) => match values
                        .get(at.cell.index())
                        .and_then(Option::as_ref)
                        .and_then(|c| c.at(at.period))
                    {
                        Some(r) => tally.add(sample - start, r),
                        _ => tally.add(
                            sample - start,
                            &Err(Box::new(CellError::eval(
                                match model.address_text(*at) {
                                    Ok(cell) => EvalError::NotComputed { cell },
                                    Err(e) => EvalError::Internal(e),
                                },
                                Span::default(),
                            ))),
                        ),
                    },
                    Target::Formula(e, now) => {
                        draws.name.set(key);
                        let result = Scope::new(model, &values, &draws).at(*now).eval(e);
                        tally.add(sample - start, &result);
                    }
                }
            }
        }
        done.push((chunk, tallies.into_iter().map(Tally::done).collect()));
    }
    done
}
