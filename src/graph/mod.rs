//! The dependency graph: which cells read which, the order to compute them
//! in, and the cycles that make some of them impossible.
//!
//! Nodes are cell ids (node `i` is cell `i`); an edge runs from each cell to
//! every cell that reads it, so a topological order computes inputs first.

use std::collections::{HashMap, HashSet, VecDeque};

use petgraph::algo::{kosaraju_scc, toposort};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;

use crate::internal::InternalError;
use crate::model::Model;
use crate::syntax::CellId;

/// A cycle of cells that read each other: a strongly connected set of
/// cells, and a shortest cycle through it for messages. In a model with
/// series the set may be a recurrence, which is no cycle period by period
/// (the evaluator decides, docs/language.md#axes-and-series).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cycle {
    /// The cells in reading order, the first repeated at the end: a -> b -> c -> a.
    pub path: Vec<CellId>,
    /// Every cell of the strongly connected set, in evaluation order.
    members: Vec<CellId>,
    /// Where each cell stands in `path`, so that describing the cycle from
    /// each of its cells costs the same on a cycle of 100,000 cells as on 3.
    positions: HashMap<CellId, usize>,
}

/// Cells of a long path named before and after the elided middle.
const SHOWN_HEAD: usize = 6;
const SHOWN_TAIL: usize = 5;

/// `a -> b -> c` for a path of cells; a path longer than a dozen cells shows
/// its first and last cells around `… (N more) …`, so that a message about a
/// 100,000-cell cycle stays a line long. A cell not in `model` is an
/// internal error.
pub fn path_text(model: &Model, path: &[CellId]) -> Result<String, InternalError> {
    let names = elided(path, |&c| model.name(c).map(str::to_string));
    Ok(names
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?
        .join(" -> "))
}

/// `a -> b -> c` for items already named (`a[2025]`), the middle elided
/// when it is long (see [`path_text`]).
pub fn elided_text(items: &[String]) -> String {
    elided(items, |s| Ok::<_, std::convert::Infallible>(s.clone()))
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" -> ")
}

/// The items of `path` as text, the middle elided when it is long.
fn elided<T, E>(path: &[T], text: impl Fn(&T) -> Result<String, E>) -> Vec<Result<String, E>> {
    if path.len() <= SHOWN_HEAD + SHOWN_TAIL + 1 {
        return path.iter().map(text).collect();
    }
    let hidden = path.len() - SHOWN_HEAD - SHOWN_TAIL;
    let mut out: Vec<_> = path.iter().take(SHOWN_HEAD).map(&text).collect();
    out.push(Ok(format!("… ({hidden} more)")));
    out.extend(path.iter().skip(path.len() - SHOWN_TAIL).map(&text));
    out
}

impl Cycle {
    /// A cycle along `path` (the first cell repeated at the end).
    pub fn new(path: Vec<CellId>) -> Cycle {
        let mut positions = HashMap::with_capacity(path.len());
        for (i, &c) in path.iter().enumerate() {
            positions.entry(c).or_insert(i);
        }
        Cycle {
            members: Vec::new(),
            path,
            positions,
        }
    }

    /// Every cell of the strongly connected set.
    pub fn members(&self) -> &[CellId] {
        &self.members
    }

    /// `a -> b -> c -> a (lines 3, 4, 5)`, starting from `from` when it is on
    /// the cycle (from its first cell otherwise); the middle of a long cycle
    /// is elided (see [`path_text`]). Costs the same whatever the cycle's
    /// length. A cell not in `model` is an internal error.
    pub fn describe(&self, model: &Model, from: CellId) -> Result<String, InternalError> {
        let ring = self.path.len().saturating_sub(1);
        if ring == 0 {
            return Ok(String::new());
        }
        let start = self.positions.get(&from).copied().unwrap_or(0);
        // The i-th cell around the ring from `start`, with its name and line
        // (0 for a cell defined outside the file).
        let at = |i: usize| -> Result<(&str, u32), InternalError> {
            let cell = self
                .path
                .get((start + i) % ring)
                .ok_or_else(|| InternalError::new("a cycle's path is shorter than its ring"))?;
            let found = model
                .cell(*cell)
                .ok_or(InternalError::foreign_cell(*cell))?;
            Ok((&found.name, found.def.as_ref().map_or(0, |d| d.line)))
        };
        let long = ring > SHOWN_HEAD + SHOWN_TAIL + 1;
        // `None` stands for the elided middle.
        let mut shown: Vec<Option<(&str, u32)>> = Vec::new();
        if long {
            for i in 0..SHOWN_HEAD {
                shown.push(Some(at(i)?));
            }
            shown.push(None);
            for i in ring - SHOWN_TAIL..ring {
                shown.push(Some(at(i)?));
            }
        } else {
            for i in 0..ring {
                shown.push(Some(at(i)?));
            }
        }
        let hidden = format!("… ({} more)", ring.saturating_sub(SHOWN_HEAD + SHOWN_TAIL));
        let mut names: Vec<&str> = shown
            .iter()
            .map(|c| c.map_or(hidden.as_str(), |(name, _)| name))
            .collect();
        // Back to where it started.
        names.push(at(0)?.0);
        // A cell set outside the file (`--set`) has no line: it is named
        // instead of given a made-up line number.
        let mut lines: Vec<String> = Vec::new();
        let mut outside: Vec<&str> = Vec::new();
        for c in &shown {
            match c {
                None => lines.push("…".to_string()),
                Some((name, 0)) => outside.push(name),
                Some((_, line)) => lines.push(line.to_string()),
            }
        }
        let count = if long {
            format!("{ring} cells; ")
        } else {
            String::new()
        };
        let numbered = lines.iter().filter(|l| l.as_str() != "…").count();
        let word = if numbered == 1 { "line" } else { "lines" };
        let mut place = Vec::new();
        if !lines.is_empty() {
            place.push(format!("{word} {}", lines.join(", ")));
        }
        if !outside.is_empty() {
            place.push(format!("{} not from the file", outside.join(", ")));
        }
        Ok(format!(
            "{} ({count}{})",
            names.join(" -> "),
            place.join("; ")
        ))
    }
}

/// The dependency graph of a model and an evaluation order for it.
#[derive(Clone, Debug)]
pub struct DepGraph {
    graph: DiGraph<(), ()>,
    /// Every cell, dependencies before readers; cells on cycles are included
    /// (they fail) before the cells that read them.
    order: Vec<CellId>,
    /// Each cell's position in `order`.
    position: Vec<u32>,
    /// The cycles found, each once.
    cycles: Vec<Cycle>,
    /// For each cell on a cycle, the index of its cycle in `cycles`; empty
    /// while there are no cycles (most models), to save a word per cell.
    on_cycle: Vec<Option<u32>>,
}

impl DepGraph {
    /// Builds the graph of every cell of `model` and orders it.
    pub fn build(model: &Model) -> DepGraph {
        let n = model.len();
        let mut graph = DiGraph::<(), ()>::with_capacity(n, n);
        for _ in 0..n {
            graph.add_node(());
        }
        let mut reads = Vec::new();
        for &id in model.cells_in_order() {
            reads.clear();
            model.deps_into(id, &mut reads);
            for &dep in &reads {
                graph.add_edge(node(dep), node(id), ());
            }
        }
        let mut g = DepGraph {
            graph,
            order: Vec::new(),
            position: Vec::new(),
            cycles: Vec::new(),
            on_cycle: Vec::new(),
        };
        g.reorder(model);
        g
    }

    /// Recomputes the order and the cycles from the edges.
    pub fn reorder(&mut self, model: &Model) {
        let n = self.graph.node_count();
        self.cycles.clear();
        self.on_cycle = Vec::new();
        self.order = match toposort(&self.graph, None) {
            Ok(order) => order.into_iter().map(cell).collect(),
            Err(_) => self.order_with_cycles(model),
        };
        self.position = vec![0; n];
        for (i, &c) in self.order.iter().enumerate() {
            if let Some(p) = self.position.get_mut(c.index()) {
                *p = u32::try_from(i).unwrap_or(u32::MAX);
            }
        }
    }

    fn order_with_cycles(&mut self, model: &Model) -> Vec<CellId> {
        // kosaraju_scc gives components in reverse topological order, without recursion.
        self.on_cycle = vec![None; self.graph.node_count()];
        let mut sccs = kosaraju_scc(&self.graph);
        sccs.reverse();
        let mut order = Vec::with_capacity(self.graph.node_count());
        for scc in sccs {
            let is_cycle = match scc.as_slice() {
                [one] => self.graph.contains_edge(*one, *one),
                _ => true,
            };
            if is_cycle {
                let members: Vec<CellId> = scc.iter().map(|&n| cell(n)).collect();
                let mut cycle = self.find_cycle(model, &members);
                cycle.members.clone_from(&members);
                let index = u32::try_from(self.cycles.len()).unwrap_or(u32::MAX);
                for &m in &members {
                    if let Some(slot) = self.on_cycle.get_mut(m.index()) {
                        *slot = Some(index);
                    }
                }
                self.cycles.push(cycle);
            }
            order.extend(scc.into_iter().map(cell));
        }
        order
    }

    /// A shortest cycle through the first member (in file order) of a strongly connected set.
    fn find_cycle(&self, model: &Model, members: &[CellId]) -> Cycle {
        let set: HashSet<CellId> = members.iter().copied().collect();
        let file_pos = |c: &CellId| model.definition(*c).map_or(u32::MAX, |d| d.line);
        let Some(&start) = members.iter().min_by_key(|c| (file_pos(c), c.0)) else {
            return Cycle::new(Vec::new());
        };
        // Breadth-first along "reads" (against the edges) back to start.
        let mut parent: std::collections::HashMap<CellId, CellId> =
            std::collections::HashMap::new();
        let mut queue = VecDeque::from([start]);
        let mut found = None;
        'search: while let Some(c) = queue.pop_front() {
            let mut reads: Vec<CellId> = self
                .graph
                .neighbors_directed(node(c), Direction::Incoming)
                .map(cell)
                .filter(|d| set.contains(d))
                .collect();
            reads.sort_by_key(|c| (file_pos(c), c.0));
            for d in reads {
                if d == start {
                    found = Some(c);
                    break 'search;
                }
                if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(d) {
                    e.insert(c);
                    queue.push_back(d);
                }
            }
        }
        // A strongly connected set always has a way back to any member, so
        // the search finds one; `start` alone would only shorten the message.
        let mut path = walk_back(&parent, found.unwrap_or(start), start);
        path.reverse();
        path.push(start);
        Cycle::new(path)
    }

    /// Every cell, dependencies before readers.
    pub fn order(&self) -> &[CellId] {
        &self.order
    }

    /// The position of a cell in [`DepGraph::order`].
    pub fn position(&self, id: CellId) -> u32 {
        self.position.get(id.index()).copied().unwrap_or(u32::MAX)
    }

    /// The cycle a cell is on, if any.
    pub fn cycle_of(&self, id: CellId) -> Option<&Cycle> {
        let index = self.cycle_index(id)?;
        self.cycles.get(index as usize)
    }

    /// Which of [`DepGraph::cycles`] a cell is on, if any.
    pub fn cycle_index(&self, id: CellId) -> Option<u32> {
        self.on_cycle.get(id.index()).copied().flatten()
    }

    /// Every cycle, once each.
    pub fn cycles(&self) -> &[Cycle] {
        &self.cycles
    }

    /// The cells that `id` reads directly.
    pub fn reads(&self, id: CellId) -> Vec<CellId> {
        self.neighbours(id, Direction::Incoming)
    }

    /// The cells that read `id` directly.
    pub fn readers(&self, id: CellId) -> Vec<CellId> {
        self.neighbours(id, Direction::Outgoing)
    }

    /// Direct neighbours in one direction, each once, in id order.
    fn neighbours(&self, id: CellId, direction: Direction) -> Vec<CellId> {
        let mut v: Vec<CellId> = self
            .graph
            .neighbors_directed(node(id), direction)
            .map(cell)
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Whether any cell reads `id`.
    pub fn is_read(&self, id: CellId) -> bool {
        self.graph
            .neighbors_directed(node(id), Direction::Outgoing)
            .next()
            .is_some()
    }

    /// `id` and every cell that depends on it, directly or not, in evaluation order.
    pub fn dependents(&self, id: CellId) -> Vec<CellId> {
        let mut seen = HashSet::from([id]);
        let mut stack = vec![id];
        while let Some(c) = stack.pop() {
            for r in self.graph.neighbors_directed(node(c), Direction::Outgoing) {
                if seen.insert(cell(r)) {
                    stack.push(cell(r));
                }
            }
        }
        let mut out: Vec<CellId> = seen.into_iter().collect();
        out.sort_by_key(|&c| self.position(c));
        out
    }

    /// Every cell that `id` depends on, directly or not (not `id` itself unless on a cycle).
    pub fn ancestors(&self, id: CellId) -> HashSet<CellId> {
        let mut seen = HashSet::new();
        let mut stack = vec![id];
        while let Some(c) = stack.pop() {
            for r in self.graph.neighbors_directed(node(c), Direction::Incoming) {
                if seen.insert(cell(r)) {
                    stack.push(cell(r));
                }
            }
        }
        seen
    }

    /// `cells` in a dependency order of their own, taking the cell that comes
    /// first in `rank` (file order) whenever several are ready, so that what
    /// the REPL prints reads like the file. Cells not closed under their
    /// dependencies keep the global order among them.
    pub fn order_subset(&self, cells: &[CellId], rank: impl Fn(CellId) -> u32) -> Vec<CellId> {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let set: rustc_hash::FxHashMap<CellId, usize> =
            cells.iter().enumerate().map(|(i, &c)| (c, i)).collect();
        // How many of its own inputs each cell waits for, counted along the
        // edges out of the subset: a total that reads a million cells, one of
        // which changed, costs one edge here, not a million.
        let mut pending: Vec<usize> = vec![0; cells.len()];
        for &c in cells {
            for r in self.graph.neighbors_directed(node(c), Direction::Outgoing) {
                if let Some(p) = set.get(&cell(r)).and_then(|&j| pending.get_mut(j)) {
                    *p += 1;
                }
            }
        }
        let mut ready: BinaryHeap<Reverse<(u32, u32, usize)>> = BinaryHeap::new();
        for (i, (&c, &p)) in cells.iter().zip(&pending).enumerate() {
            if p == 0 {
                ready.push(Reverse((rank(c), self.position(c), i)));
            }
        }
        let mut out = Vec::with_capacity(cells.len());
        while let Some(Reverse((_, _, i))) = ready.pop() {
            let Some(&c) = cells.get(i) else { continue };
            out.push(c);
            for r in self.graph.neighbors_directed(node(c), Direction::Outgoing) {
                if let Some(&j) = set.get(&cell(r)) {
                    if let Some(p) = pending.get_mut(j) {
                        *p = p.saturating_sub(1);
                        if *p == 0 {
                            ready.push(Reverse((rank(cell(r)), self.position(cell(r)), j)));
                        }
                    }
                }
            }
        }
        if out.len() < cells.len() {
            // A cycle among them (not expected here): fall back to the global order.
            let mut all = cells.to_vec();
            all.sort_by_key(|&c| self.position(c));
            return all;
        }
        out
    }

    /// Marks `targets` and everything they depend on (for evaluating only what is asked for).
    pub fn upstream(&self, targets: &[CellId]) -> Vec<bool> {
        let mut seen = vec![false; self.graph.node_count()];
        let mut stack: Vec<CellId> = Vec::new();
        for &t in targets {
            if let Some(s) = seen.get_mut(t.index()) {
                if !*s {
                    *s = true;
                    stack.push(t);
                }
            }
        }
        while let Some(c) = stack.pop() {
            for r in self.graph.neighbors_directed(node(c), Direction::Incoming) {
                if let Some(s) = seen.get_mut(r.index()) {
                    if !*s {
                        *s = true;
                        stack.push(cell(r));
                    }
                }
            }
        }
        seen
    }

    /// Replaces the cells `id` reads, after its formula changed; call [`DepGraph::reorder`]
    /// or check [`DepGraph::is_ordered_around`] afterwards.
    pub fn set_reads(&mut self, id: CellId, reads: &[CellId]) {
        while self.graph.node_count() <= id.index() {
            self.graph.add_node(());
            self.position
                .push(u32::try_from(self.order.len()).unwrap_or(u32::MAX));
            self.order
                .push(cell(NodeIndex::new(self.graph.node_count() - 1)));
            if !self.on_cycle.is_empty() {
                self.on_cycle.push(None);
            }
        }
        let old: Vec<_> = self
            .graph
            .edges_directed(node(id), Direction::Incoming)
            .map(|e| petgraph::visit::EdgeRef::id(&e))
            .collect();
        // Remove from the highest index down: removal swaps the last edge into the hole.
        let mut old = old;
        old.sort_by_key(|e| std::cmp::Reverse(e.index()));
        for e in old {
            self.graph.remove_edge(e);
        }
        for &r in reads {
            while self.graph.node_count() <= r.index() {
                self.graph.add_node(());
                self.position
                    .push(u32::try_from(self.order.len()).unwrap_or(u32::MAX));
                self.order
                    .push(cell(NodeIndex::new(self.graph.node_count() - 1)));
                if !self.on_cycle.is_empty() {
                    self.on_cycle.push(None);
                }
            }
            self.graph.add_edge(node(r), node(id), ());
        }
    }

    /// Whether reading `reads` from `id` would close a cycle (some of them depend on `id`).
    pub fn would_cycle(&self, id: CellId, reads: &[CellId]) -> Option<Vec<CellId>> {
        // Search from id along readers for any of `reads`, remembering the way back.
        let targets: HashSet<CellId> = reads.iter().copied().collect();
        if targets.contains(&id) {
            return Some(vec![id, id]);
        }
        let mut parent: std::collections::HashMap<CellId, CellId> =
            std::collections::HashMap::new();
        let mut queue = VecDeque::from([id]);
        while let Some(c) = queue.pop_front() {
            for r in self
                .graph
                .neighbors_directed(node(c), Direction::Outgoing)
                .map(cell)
            {
                if let std::collections::hash_map::Entry::Vacant(e) = parent.entry(r) {
                    e.insert(c);
                    if targets.contains(&r) {
                        // id is read by ... by r; id would read r: id -> r -> ... -> id
                        let path = walk_back(&parent, r, id);
                        // path is r, ..., id (reader chain reversed): id reads r, r reads ..., back to id.
                        let mut cycle = vec![id];
                        cycle.extend(path.into_iter().take_while(|&c| c != id));
                        cycle.push(id);
                        return Some(cycle);
                    }
                    queue.push_back(r);
                }
            }
        }
        None
    }

    /// Whether every edge goes forward in the current order (no reorder needed).
    pub fn is_ordered_around(&self, id: CellId) -> bool {
        let p = self.position(id);
        self.graph
            .neighbors_directed(node(id), Direction::Incoming)
            .all(|d| self.position(cell(d)) < p)
    }

    /// Nodes in the graph (cells, defined or not).
    pub fn len(&self) -> usize {
        self.graph.node_count()
    }

    /// Whether there are no cells.
    pub fn is_empty(&self) -> bool {
        self.graph.node_count() == 0
    }
}

/// Follows a breadth-first search's parent links from `from` back to `to`:
/// the cells visited, `from` first and `to` last (if reached).
fn walk_back(
    parent: &std::collections::HashMap<CellId, CellId>,
    from: CellId,
    to: CellId,
) -> Vec<CellId> {
    let mut path = vec![from];
    let mut c = from;
    while c != to {
        match parent.get(&c) {
            Some(&p) => {
                c = p;
                path.push(c);
            }
            None => break,
        }
    }
    path
}

fn node(c: CellId) -> NodeIndex {
    NodeIndex::new(c.index())
}

/// The cell of a node. Node indices are `u32` (petgraph's default index
/// type, which `DiGraph` uses here), as cell ids are: nothing is lost.
fn cell(n: NodeIndex) -> CellId {
    CellId(n.index() as u32)
}
