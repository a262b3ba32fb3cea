//! Cells that read each other through their periods: a recurrence
//! (`capex[year] = capex[year - 1] * 1.3`) or several series that read each
//! other's earlier periods. The dependency graph has a node per cell, so
//! such cells form a strongly connected set there (a "knot"); here it is
//! ordered period by period, without recursion (docs/language.md#axes-and-series).
//!
//! The common case, one series that reads only its own earlier (or only
//! its later) periods, is computed in order along the axis. Any other knot
//! gets an explicit graph of its elements, sorted by Kahn's algorithm; the
//! elements left over lie on real cycles (`a[2025] -> b[2024] -> a[2025]`),
//! which fail, and on what depends on them, which fails with them.

use rustc_hash::FxHashMap;

use crate::internal::InternalError;
use crate::model::{Definition, Model};
use crate::syntax::ast::{CellId, Expr, ExprKind, Period};
use crate::syntax::Span;

use super::chance::Chance;
use super::computed::{Computed, Series};
use super::error::{CellError, ErrorKind, EvalError};
use super::expr::{Now, Scope};
use super::partial::{Entry, Node, Partial};
use super::shape::Shape;

/// The formula that gives `id` its value at `label`: a pin, else the rule
/// (or the formula of a cell whose shape was inferred); `None` for a
/// period with neither.
pub(super) fn formula_for(model: &Model, id: CellId, label: Option<i64>) -> Option<&Definition> {
    match (model.series(id), label) {
        (Some(s), Some(label)) => match s.pin(label) {
            Some(p) => Some(&p.def),
            None if s.ruled => model.definition(id),
            None => None,
        },
        (Some(s), None) if s.ruled => model.definition(id),
        (Some(_), None) => None,
        (None, _) => model.definition(id),
    }
}

/// The line of the formula that gives `id` its value at `label`.
fn line_of(model: &Model, id: CellId, label: Option<i64>) -> u32 {
    let pin = model
        .series(id)
        .zip(label)
        .and_then(|(s, l)| s.pin(l))
        .map(|p| p.def.line);
    pin.or_else(|| model.definition(id).map(|d| d.line))
        .unwrap_or(0)
}

/// The error of an element with no formula.
pub(super) fn no_formula(model: &Model, id: CellId, label: i64) -> Box<CellError> {
    let axis = model.series(id).and_then(|s| model.axis(s.axis));
    let span = model.definition(id).map_or(Span::default(), |d| d.span);
    let error = match (model.name(id), axis) {
        (Ok(name), Some(axis)) => EvalError::NoFormula {
            cell: name.to_string(),
            label,
            axis: axis.name.to_string(),
        },
        // Only a series has periods without a formula: any other cell
        // without one was never computed.
        _ => EvalError::not_computed(model, id),
    };
    Box::new(CellError::eval(error, span))
}

/// Computes a knot: its `members` with their shapes (or why the shape
/// failed), reading everything else from `values`. Returns each member's
/// computed.
pub(super) fn evaluate(
    model: &Model,
    values: &[Option<Computed>],
    chance: &dyn Chance,
    members: &[(CellId, Result<Shape, Box<CellError>>)],
) -> Vec<(CellId, Computed)> {
    let mut partial = Partial::default();
    for (id, shape) in members {
        let (axis, first, len) = match shape {
            Ok(Shape::Over(a)) => match model.axis(*a) {
                Some(axis) => (Some(*a), axis.first, axis.len()),
                None => (None, 0, 1),
            },
            _ => (None, 0, 1),
        };
        let mut results = vec![None; len];
        if let (Err(e), Some(slot)) = (shape, results.first_mut()) {
            *slot = Some(Err(e.clone()));
        }
        partial.push(Entry {
            id: *id,
            axis,
            first,
            results,
        });
    }
    let world = World {
        model,
        values,
        chance,
    };
    match monotone(model, &partial) {
        Some(ascending) => along_the_axis(&world, &mut partial, ascending),
        None => by_elements(&world, &mut partial),
    }
    partial
        .entries
        .into_iter()
        .map(|e| {
            let results = e.results.into_iter().map(|r| {
                r.unwrap_or_else(|| {
                    Err(Box::new(CellError::eval(
                        EvalError::not_computed(model, e.id),
                        Span::default(),
                    )))
                })
            });
            let computed = match e.axis {
                Some(axis) => Computed::Series(std::sync::Arc::new(Series {
                    axis,
                    first: e.first,
                    elements: results.collect(),
                })),
                None => Computed::One(results.take(1).next().unwrap_or_else(|| {
                    Err(Box::new(CellError::eval(
                        EvalError::not_computed(model, e.id),
                        Span::default(),
                    )))
                })),
            };
            (e.id, computed)
        })
        .collect()
}

/// What a knot's formulas read beside the knot itself.
struct World<'a> {
    model: &'a Model,
    values: &'a [Option<Computed>],
    chance: &'a dyn Chance,
}

/// Computes one element from its formula and stores it.
fn compute(world: &World<'_>, partial: &mut Partial, node: Node) {
    let (model, values) = (world.model, world.values);
    let Some(e) = partial.entries.get(node.entry) else {
        return;
    };
    let (id, axis) = (e.id, e.axis);
    let label = axis.map(|_| e.first.saturating_add(i64::try_from(node.at).unwrap_or(0)));
    let result = match formula_for(model, id, label) {
        None => Err(no_formula(model, id, label.unwrap_or(0))),
        Some(def) => {
            world.chance.computing(model, id);
            let scope = Scope {
                model,
                values,
                chance: world.chance,
                now: axis.zip(label).map(|(axis, label)| Now { axis, label }),
                partial: Some(&*partial),
            };
            // With the conversion an `as [UNIT]` asks for.
            scope.eval_definition(def)
        }
    };
    partial.set(node, result);
}

/// A lone series that reads only its own earlier periods (`Some(true)`) or
/// only its later ones (`Some(false)`): computed in order along the axis.
fn monotone(model: &Model, partial: &Partial) -> Option<bool> {
    let [entry] = partial.entries.as_slice() else {
        return None;
    };
    let id = entry.id;
    entry.axis?;
    if entry.results.first().is_some_and(Option::is_some) {
        return None; // its shape failed: nothing to order
    }
    let series = model.series(id);
    let mut direction: Option<bool> = None;
    let mut agree = |backward: bool| match direction {
        None => {
            direction = Some(backward);
            true
        }
        Some(d) => d == backward,
    };
    // Each formula with the label it is computed at (None: the rule, at every period).
    let rule = formula_for(model, id, None).map(|d| (&d.expr, None));
    let pins = series
        .into_iter()
        .flat_map(|s| s.pins.iter().map(|p| (&p.def.expr, Some(p.label))));
    for (expr, at) in rule.into_iter().chain(pins) {
        let mut ok = true;
        let mut stack: Vec<&Expr> = vec![expr];
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Ref { id: r, .. } if *r == id => ok = false,
                ExprKind::Group(g) if model.group(g).contains(&id) => ok = false,
                ExprKind::Index(i) if i.id == id => {
                    let step = match (&i.period, at) {
                        (Period::Relative { offset, .. }, _) => *offset,
                        (Period::At(l), Some(pin)) => l.saturating_sub(pin),
                        _ => 0,
                    };
                    ok &= step != 0 && agree(step < 0);
                }
                _ => e.for_each_child(|c| stack.push(c)),
            }
            if !ok {
                return None;
            }
        }
    }
    Some(direction.unwrap_or(true))
}

/// The fast path: one series, its periods in order.
fn along_the_axis(world: &World<'_>, partial: &mut Partial, ascending: bool) {
    let len = partial.entries.first().map_or(0, |e| e.results.len());
    let positions: Box<dyn Iterator<Item = usize>> = if ascending {
        Box::new(0..len)
    } else {
        Box::new((0..len).rev())
    };
    for at in positions {
        compute(world, partial, Node { entry: 0, at });
    }
}

/// The elements of the knot each element's formula reads, in reading order.
fn reads_of(model: &Model, partial: &Partial, node: Node, out: &mut Vec<Node>) {
    let Some(e) = partial.entries.get(node.entry) else {
        return;
    };
    if partial.is_set(node) {
        return; // failed before it was computed
    }
    let label = e
        .axis
        .map(|_| e.first.saturating_add(i64::try_from(node.at).unwrap_or(0)));
    let Some(expr) = formula_for(model, e.id, label).map(|d| &d.expr) else {
        return;
    };
    // Element `label` (or the one value) of `id`, if it is a member.
    let element = |id: CellId, label: Option<i64>| -> Option<Node> {
        let &entry = partial.index.get(&id)?;
        let target = partial.entries.get(entry)?;
        let at = match (target.axis, label) {
            (None, _) => 0,
            (Some(_), Some(l)) => usize::try_from(l.checked_sub(target.first)?).ok()?,
            (Some(_), None) => return None,
        };
        (at < target.results.len()).then_some(Node { entry, at })
    };
    let mut stack: Vec<&Expr> = vec![expr];
    while let Some(x) = stack.pop() {
        match &x.kind {
            ExprKind::Ref { id, .. } => out.extend(element(*id, label)),
            ExprKind::Group(g) => {
                for &m in model.group(g) {
                    out.extend(element(m, label));
                }
            }
            ExprKind::Index(i) => {
                let Some(&entry) = partial.index.get(&i.id) else {
                    continue;
                };
                let Some(target) = partial.entries.get(entry) else {
                    continue;
                };
                let first = target.first;
                let last = first.saturating_add(
                    i64::try_from(target.results.len())
                        .unwrap_or(0)
                        .saturating_sub(1),
                );
                let (from, to) = match (&i.period, label) {
                    (Period::Relative { offset, .. }, Some(l)) => {
                        let l = l.saturating_add(*offset);
                        (l, l)
                    }
                    (Period::Relative { .. }, None) => continue,
                    (Period::At(l), _) => (*l, *l),
                    (Period::All, _) => (first, last),
                    (Period::Slice(a, b), _) => (*a, *b),
                };
                for l in from.max(first)..=to.min(last) {
                    out.extend(element(i.id, Some(l)));
                }
            }
            _ => x.for_each_child(|c| stack.push(c)),
        }
    }
}

/// The general path: every element of the knot, ordered by Kahn's algorithm
/// over the elements they read; what is left lies on or after a cycle.
fn by_elements(world: &World<'_>, partial: &mut Partial) {
    let model = world.model;
    // Number the elements.
    let mut offsets = Vec::with_capacity(partial.entries.len() + 1);
    let mut total = 0usize;
    for e in &partial.entries {
        offsets.push(total);
        total += e.results.len();
    }
    let number = |n: Node| offsets.get(n.entry).map_or(0, |o| o + n.at);
    let mut nodes: Vec<Node> = Vec::with_capacity(total);
    for (entry, e) in partial.entries.iter().enumerate() {
        nodes.extend((0..e.results.len()).map(|at| Node { entry, at }));
    }
    // What each element reads (within the knot), as flat lists.
    let mut reads_start: Vec<usize> = Vec::with_capacity(total + 1);
    let mut reads: Vec<usize> = Vec::new();
    let mut buffer: Vec<Node> = Vec::new();
    for &n in &nodes {
        reads_start.push(reads.len());
        buffer.clear();
        reads_of(model, partial, n, &mut buffer);
        reads.extend(buffer.iter().map(|&r| number(r)));
    }
    reads_start.push(reads.len());
    let reads_of_node = |i: usize| -> &[usize] {
        match (reads_start.get(i), reads_start.get(i + 1)) {
            (Some(&a), Some(&b)) => reads.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    };
    // Readers of each element, and how many reads each still waits for.
    let mut pending: Vec<usize> = (0..total).map(|i| reads_of_node(i).len()).collect();
    let mut readers_count = vec![0usize; total + 1];
    for &r in &reads {
        if let Some(c) = readers_count.get_mut(r) {
            *c += 1;
        }
    }
    let mut readers_start = Vec::with_capacity(total + 1);
    let mut acc = 0;
    for c in readers_count.iter().take(total) {
        readers_start.push(acc);
        acc += c;
    }
    readers_start.push(acc);
    let mut fill = readers_start.clone();
    let mut readers = vec![0usize; reads.len()];
    for i in 0..total {
        for &r in reads_of_node(i) {
            if let Some(slot) = fill.get_mut(r) {
                if let Some(x) = readers.get_mut(*slot) {
                    *x = i;
                }
                *slot += 1;
            }
        }
    }
    let readers_of = |i: usize| -> &[usize] {
        match (readers_start.get(i), readers_start.get(i + 1)) {
            (Some(&a), Some(&b)) => readers.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    };
    let mut queue: std::collections::VecDeque<usize> =
        (0..total).filter(|&i| pending.get(i) == Some(&0)).collect();
    let mut done = vec![false; total];
    while let Some(i) = queue.pop_front() {
        if let Some(&n) = nodes.get(i) {
            if !partial.is_set(n) {
                compute(world, partial, n);
            }
        }
        if let Some(d) = done.get_mut(i) {
            *d = true;
        }
        for &r in readers_of(i) {
            if let Some(p) = pending.get_mut(r) {
                *p = p.saturating_sub(1);
                if *p == 0 {
                    queue.push_back(r);
                }
            }
        }
    }
    if done.iter().all(|&d| d) {
        return;
    }
    // What is left: the cycles among it, in dependency order, and what reads them.
    let left: Vec<usize> = (0..total)
        .filter(|&i| !done.get(i).copied().unwrap_or(true))
        .collect();
    let mut graph = petgraph::graph::DiGraph::<usize, ()>::with_capacity(left.len(), 0);
    let mut node_of: FxHashMap<usize, petgraph::graph::NodeIndex> = FxHashMap::default();
    for &i in &left {
        node_of.insert(i, graph.add_node(i));
    }
    for &i in &left {
        for &r in reads_of_node(i) {
            if let (Some(&from), Some(&to)) = (node_of.get(&r), node_of.get(&i)) {
                graph.add_edge(from, to, ());
            }
        }
    }
    let mut sccs = petgraph::algo::kosaraju_scc(&graph);
    sccs.reverse();
    for scc in sccs {
        let members: Vec<usize> = scc
            .iter()
            .filter_map(|&n| graph.node_weight(n).copied())
            .collect();
        let cyclic = match scc.as_slice() {
            [one] => graph.contains_edge(*one, *one),
            _ => true,
        };
        if !cyclic {
            for &i in &members {
                if let Some(&n) = nodes.get(i) {
                    if !partial.is_set(n) {
                        compute(world, partial, n);
                    }
                }
            }
            continue;
        }
        let path = shortest_cycle(&members, &reads_of_node);
        let name = |i: usize| -> Result<(String, u32), InternalError> {
            let lost = || InternalError::new("an element of a knot that is not in it");
            let n = nodes.get(i).ok_or_else(lost)?;
            let e = partial.entries.get(n.entry).ok_or_else(lost)?;
            let label = e
                .axis
                .map(|_| e.first.saturating_add(i64::try_from(n.at).unwrap_or(0)));
            let name = model.name(e.id)?;
            let text = match label {
                Some(l) => format!("{name}[{l}]"),
                None => name.to_string(),
            };
            Ok((text, line_of(model, e.id, label)))
        };
        let named: Result<Vec<(String, u32)>, InternalError> =
            path.iter().map(|&i| name(i)).collect();
        for &i in &members {
            let message = match &named {
                Ok(named) => cycle_message(named, path.iter().position(|&p| p == i)),
                Err(e) => e.to_string(),
            };
            let Some(&n) = nodes.get(i) else { continue };
            let span = partial
                .entries
                .get(n.entry)
                .and_then(|e| model.definition(e.id))
                .map(|d| d.span);
            partial.set(
                n,
                Err(Box::new(match &named {
                    Ok(_) => CellError::of_kind(ErrorKind::Cycle, message, span),
                    Err(e) => CellError::of_kind(
                        ErrorKind::Eval(EvalError::Internal(e.clone())),
                        message,
                        span,
                    ),
                })),
            );
        }
    }
}

/// `cycle: a[2025] -> b[2024] -> a[2025] (line 3)`: the cycle `named`
/// (each element with its line), told from the element at `start` when it
/// is on it.
fn cycle_message(named: &[(String, u32)], start: Option<usize>) -> String {
    let start = start.unwrap_or(0);
    let ring = named.len();
    let mut names: Vec<String> = (0..ring)
        .filter_map(|k| named.get((start + k) % ring).map(|(n, _)| n.clone()))
        .collect();
    names.extend(names.first().cloned());
    let mut lines: Vec<u32> = named.iter().map(|(_, l)| *l).collect();
    lines.sort_unstable();
    lines.dedup();
    let lines: Vec<String> = lines.iter().map(u32::to_string).collect();
    let word = if lines.len() == 1 { "line" } else { "lines" };
    format!(
        "cycle: {} ({word} {})",
        crate::graph::elided_text(&names),
        lines.join(", ")
    )
}

/// A shortest cycle through the first of `members` (a strongly connected
/// set), following reads: each element reads the next, the last reads the first.
fn shortest_cycle<'r>(members: &[usize], reads_of: &dyn Fn(usize) -> &'r [usize]) -> Vec<usize> {
    let Some(&start) = members.iter().min() else {
        return Vec::new();
    };
    let set: rustc_hash::FxHashSet<usize> = members.iter().copied().collect();
    let mut parent: FxHashMap<usize, usize> = FxHashMap::default();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(c) = queue.pop_front() {
        for &d in reads_of(c) {
            if !set.contains(&d) {
                continue;
            }
            if d == start {
                // start reads ... reads c reads start: walk back to start.
                let mut path = vec![c];
                let mut at = c;
                while at != start {
                    match parent.get(&at) {
                        Some(&p) => {
                            at = p;
                            path.push(at);
                        }
                        None => break,
                    }
                }
                path.reverse();
                return path;
            }
            if let std::collections::hash_map::Entry::Vacant(v) = parent.entry(d) {
                v.insert(c);
                queue.push_back(d);
            }
        }
    }
    vec![start]
}
