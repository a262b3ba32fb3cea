//! Goal seek: the value of one input that makes a cell hit a target
//! (`premise solve`, the REPL's `:solve`).
//!
//! When the target moves in a straight line with the input — three equally
//! spaced trials in exact decimal show equal steps — the answer is computed
//! exactly and checked. Otherwise the root is bracketed (from the range
//! given, or outward from the current value, downhill first) and narrowed by
//! regula falsi with the Illinois correction and a bisection safeguard, in
//! exact decimal, until the two ends of the bracket are adjacent decimals: 28
//! significant digits, in a few hundred evaluations at most.

use rust_decimal::Decimal;

use crate::display::{format_exact, format_number, format_rounded};
use crate::eval::Workbook;
use crate::internal::InternalError;
use crate::model::Address;
use crate::syntax::CellId;
use crate::table::{Align, Table};
use crate::value::{math, Unit, Value};

use super::literal::number_formula;
use super::probe::{percent, Probe, Varied};
use super::quantity::{Amount, Goal};
use super::WhatIfError;

/// Doublings of the step when looking outward for a sign change: enough to
/// reach any decimal from any other.
const MAX_DOUBLINGS: u32 = 100;

/// Narrowing steps at most; bisection every third step bounds it by the
/// bits of a decimal (about 190) times 1.5.
const MAX_NARROWING: u32 = 400;

/// Evaluations one goal seek may use, all searches together.
const MAX_EVALUATIONS: usize = 2_000;

/// Points of each scan of a `--between` range that shows no sign change at its ends.
const SCANS: [u32; 3] = [4, 16, 64];

/// How a solution was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// The target is linear in the input; the answer is exact.
    Linear,
    /// Bracketed and narrowed. `exact`: the target hit the value exactly;
    /// `digits`: the significant digits the bracket pins down (`None`: every
    /// digit a decimal holds, the two ends being adjacent).
    Search {
        /// The target reached the value exactly.
        exact: bool,
        /// The significant digits known, or `None` for all of them.
        digits: Option<u32>,
    },
}

/// The answer to "what value of INPUT makes CELL equal VALUE?".
#[derive(Clone, Debug)]
pub struct Solution {
    /// The input that was varied.
    pub input: Varied,
    /// The value found for it.
    pub value: Decimal,
    /// That value as a formula that reads back exactly (`$18.75B`), to apply
    /// it as a redefinition.
    pub formula: String,
    /// The target cell.
    pub target: String,
    /// The target's unit.
    pub target_unit: Unit,
    /// The target is shown as a percentage.
    pub target_percent: bool,
    /// The value the target had to reach.
    pub goal: Decimal,
    /// The target's value with the input at `value`.
    pub reached: Decimal,
    /// The target's value before.
    pub target_was: Decimal,
    /// How it was found.
    pub method: Method,
    /// How many times the model was recomputed.
    pub evaluations: usize,
    /// Things the analyst should know (a formula cell was replaced, ...).
    pub notes: Vec<String>,
}

/// Finds the value of the cell `input` that makes the goal's cell equal its
/// value (`premise solve`, the REPL's `:solve`), searching only `between`
/// (low, high) when given. The workbook is not changed.
pub fn solve(
    book: &Workbook,
    goal: &Goal,
    input: &str,
    between: Option<(Amount, Amount)>,
) -> Result<Solution, WhatIfError> {
    let target_name = goal.cell.trim();
    let probe = Probe::new(book);
    let tid = probe.output(target_name)?;
    let varied = probe.vary(input)?;
    if tid == varied.address() {
        return Err(WhatIfError::question(format!(
            "'{target_name}' is both the target and the input; vary a cell it depends on"
        )));
    }
    if !book.graph().ancestors(tid.cell).contains(&varied.id) {
        return Err(WhatIfError::NotDependent(not_dependent(
            book, tid.cell, &varied,
        )?));
    }
    let (target_was, target_unit) = match probe.value(tid) {
        Ok(Value::Number { amount, unit }) => (amount, unit),
        Ok(Value::Bool(_)) => {
            return Err(WhatIfError::question(format!(
                "'{target_name}' is true or false; solve needs a number to aim at"
            )))
        }
        Err(e) => {
            return Err(WhatIfError::evaluation(format!(
                "'{target_name}' cannot be computed: {}",
                e.message
            )))
        }
    };
    let goal_value = goal.value.resolve(book, &target_unit, target_name)?;
    let bounds = match between {
        None => None,
        Some((lo, hi)) => {
            let lo = lo.resolve(book, &varied.unit, &varied.name)?;
            let hi = hi.resolve(book, &varied.unit, &varied.name)?;
            Some(if lo <= hi { (lo, hi) } else { (hi, lo) })
        }
    };
    let mut notes = Vec::new();
    if !varied.is_input() {
        notes.push(format!(
            "'{}' is a formula ({}); solving replaces it by a number",
            varied.name,
            varied.formula()
        ));
    }
    let mut search = Search {
        probe,
        varied,
        target: tid,
        target_name: target_name.to_string(),
        target_unit: target_unit.clone(),
        target_percent: percent(book, tid.cell),
        goal: goal_value,
    };
    let (value, method) = search.run(bounds)?;
    let reached = search.target_at(value)?;
    let evaluations = search.probe.evaluations();
    let Search {
        varied,
        target_percent,
        ..
    } = search;
    if varied.start.is_sign_positive() && !varied.start.is_zero() && value.is_sign_negative() {
        let what_then = match method {
            Method::Linear => "no value of it reaches the target",
            Method::Search { .. } => "--between 0..HI looks for a root among positive values",
        };
        let note = format!(
            "the answer makes '{}' negative ({}, was {}); if it cannot be below zero, {what_then}",
            varied.name,
            varied.show(value),
            varied.show(varied.start)
        );
        notes.push(note);
    }
    let formula = number_formula(value, &varied.unit, varied.percent).1;
    Ok(Solution {
        input: varied,
        value,
        formula,
        target: target_name.to_string(),
        target_unit,
        target_percent,
        goal: goal_value,
        reached,
        target_was,
        method,
        evaluations,
        notes,
    })
}

/// "gap does not depend on x; it depends on the inputs a, b, c".
fn not_dependent(
    book: &Workbook,
    target: CellId,
    varied: &Varied,
) -> Result<String, InternalError> {
    let model = book.model();
    let ancestors = book.graph().ancestors(target);
    let inputs: Vec<&str> = model
        .defined_cells()
        .filter(|&(i, _, def)| def.is_input() && ancestors.contains(&i))
        .map(|(_, name, _)| name)
        .collect();
    let tname = model.name(target)?;
    let mut msg = format!(
        "'{tname}' does not depend on '{}': no chain of formulas leads from one to the other",
        varied.name
    );
    const LISTED: usize = 12;
    match inputs.len() {
        0 => msg.push_str(&format!("; '{tname}' depends on no input")),
        n if n <= LISTED => msg.push_str(&format!(
            "; the inputs it depends on are {}",
            inputs.join(", ")
        )),
        n => msg.push_str(&format!(
            "; it depends on {n} inputs, among them {}",
            inputs
                .iter()
                .take(LISTED)
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
    Ok(msg)
}

/// The state of one goal seek.
struct Search {
    probe: Probe,
    varied: Varied,
    target: Address,
    target_name: String,
    target_unit: Unit,
    target_percent: bool,
    goal: Decimal,
}

/// A trial: the input's value, the target's distance from the goal there,
/// and the target's value itself (for messages: no sum to redo, and none
/// to fail).
#[derive(Clone, Copy, Debug)]
struct Trial {
    x: Decimal,
    g: Decimal,
    value: Decimal,
}

fn sign(d: Decimal) -> i8 {
    if d.is_zero() {
        0
    } else if d.is_sign_negative() {
        -1
    } else {
        1
    }
}

/// The point halfway between `a` and `b`, rounded to a decimal.
fn midpoint(a: Decimal, b: Decimal) -> Option<Decimal> {
    match math::sub(b, a).and_then(|w| math::div(w, Decimal::TWO)) {
        Ok(h) => math::add(a, h).ok(),
        Err(_) => {
            let ha = math::div(a, Decimal::TWO).ok()?;
            let hb = math::div(b, Decimal::TWO).ok()?;
            math::add(ha, hb).ok()
        }
    }
}

/// floor(log10 |d|), for counting significant digits; `None` for zero.
fn magnitude(d: Decimal) -> Option<i64> {
    if d.is_zero() {
        return None;
    }
    let digits = i64::try_from(d.mantissa().unsigned_abs().to_string().len()).ok()?;
    Some(digits - 1 - i64::from(d.scale()))
}

impl Search {
    fn show_input(&self, x: Decimal) -> String {
        self.varied.show(x)
    }

    fn show_target(&self, v: Decimal) -> String {
        format_number(v, &self.target_unit, self.target_percent)
    }

    /// The target's value with the input at `x`.
    fn target_at(&mut self, x: Decimal) -> Result<Decimal, WhatIfError> {
        self.probe.set(&self.varied, x)?;
        match self.probe.value(self.target) {
            Ok(Value::Number { amount, unit }) if unit == self.target_unit => Ok(amount),
            Ok(other) => Err(WhatIfError::evaluation(format!(
                "with {} = {}, '{}' is {}, no longer a number in the unit it had",
                self.varied.name,
                self.show_input(x),
                self.target_name,
                crate::display::format_value(&other, self.target_percent)
            ))),
            Err(e) => Err(WhatIfError::evaluation(format!(
                "with {} = {}, '{}' cannot be computed: {}",
                self.varied.name,
                self.show_input(x),
                self.target_name,
                e.message
            ))),
        }
    }

    /// Whether the evaluation budget is spent.
    fn exhausted(&self) -> bool {
        self.probe.evaluations() >= MAX_EVALUATIONS
    }

    /// The trial at `x`: how far the target is from the goal.
    fn trial(&mut self, x: Decimal) -> Result<Trial, WhatIfError> {
        if self.exhausted() {
            return Err(WhatIfError::NoSolution(format!(
                "gave up after {MAX_EVALUATIONS} evaluations without finding a value of {} that makes {} {}",
                self.varied.name,
                self.target_name,
                self.show_target(self.goal)
            )));
        }
        let v = self.target_at(x)?;
        let g = math::sub(v, self.goal).map_err(|_| {
            WhatIfError::evaluation(format!(
                "with {} = {}, '{}' is too far from the goal to compare",
                self.varied.name,
                self.show_input(x),
                self.target_name
            ))
        })?;
        Ok(Trial { x, g, value: v })
    }

    fn run(
        &mut self,
        bounds: Option<(Decimal, Decimal)>,
    ) -> Result<(Decimal, Method), WhatIfError> {
        let seed = match self.linear(bounds)? {
            Linear::Exact(x) => return Ok((x, Method::Linear)),
            Linear::Hit(x) => {
                return Ok((
                    x,
                    Method::Search {
                        exact: true,
                        digits: None,
                    },
                ))
            }
            Linear::Near(x) => Some(x),
            Linear::Unknown => None,
        };
        match bounds {
            Some((lo, hi)) => self.seek_between(lo, hi),
            None => self.seek_outward(seed.unwrap_or(self.varied.start)),
        }
    }

    /// Three equally spaced trials; if the steps are equal, the straight line's root.
    fn linear(&mut self, bounds: Option<(Decimal, Decimal)>) -> Result<Linear, WhatIfError> {
        let (x0, h) = match bounds {
            Some((lo, hi)) => match math::sub(hi, lo).and_then(|w| math::div(w, Decimal::TWO)) {
                Ok(h) if !h.is_zero() => (lo, h),
                _ => return Ok(Linear::Unknown),
            },
            None => {
                let s = self.varied.start;
                let h = if s.is_zero() {
                    Decimal::ONE
                } else {
                    math::div(s.abs(), Decimal::TWO).unwrap_or(Decimal::ONE)
                };
                (s, h)
            }
        };
        let Ok(x1) = math::add(x0, h) else {
            return Ok(Linear::Unknown);
        };
        let Ok(x2) = math::add(x1, h) else {
            return Ok(Linear::Unknown);
        };
        let mut trials = Vec::with_capacity(3);
        for x in [x0, x1, x2] {
            match self.trial(x) {
                Ok(t) => trials.push(t),
                Err(_) => return Ok(Linear::Unknown),
            }
        }
        let [t0, t1, t2] = trials.as_slice() else {
            return Ok(Linear::Unknown);
        };
        for t in [t0, t1, t2] {
            if t.g.is_zero() {
                return Ok(Linear::Hit(t.x));
            }
        }
        let (Ok(d1), Ok(d2)) = (math::sub(t1.g, t0.g), math::sub(t2.g, t1.g)) else {
            return Ok(Linear::Unknown);
        };
        if d1 != d2 || d1.is_zero() {
            return Ok(Linear::Unknown);
        }
        // x = x0 - g0 * h / d1, multiplying first so that exact answers stay exact.
        let shift = match math::mul(t0.g, h).and_then(|p| math::div(p, d1)) {
            Ok(s) => s,
            Err(_) => match math::div(t0.g, d1).and_then(|q| math::mul(q, h)) {
                Ok(s) => s,
                Err(_) => return Ok(Linear::Unknown),
            },
        };
        let Ok(x) = math::sub(x0, shift) else {
            return Ok(Linear::Unknown);
        };
        if let Some((lo, hi)) = bounds {
            if x < lo || x > hi {
                return Err(WhatIfError::NoSolution(format!(
                    "no value of {} between {} and {} makes {} {}: it is linear in {} and reaches {} only at {} = {}",
                    self.varied.name,
                    self.show_input(lo),
                    self.show_input(hi),
                    self.target_name,
                    self.show_target(self.goal),
                    self.varied.name,
                    self.show_target(self.goal),
                    self.varied.name,
                    self.show_input(x),
                )));
            }
        }
        match self.trial(x) {
            Ok(t) if t.g.is_zero() => Ok(Linear::Exact(x)),
            Ok(_) => Ok(Linear::Near(x)),
            Err(_) => Ok(Linear::Unknown),
        }
    }

    /// A root inside `lo..hi`: a sign change between its ends, then in ever
    /// finer scans, each narrowed; a jump or a failure inside one sign change
    /// moves on to the next.
    fn seek_between(&mut self, lo: Decimal, hi: Decimal) -> Result<(Decimal, Method), WhatIfError> {
        let mut seen_min: Option<Decimal> = None;
        let mut seen_max: Option<Decimal> = None;
        let mut failure: Option<WhatIfError> = None;
        let mut checked = 0usize;
        for n in SCANS {
            let mut prev: Option<Trial> = None;
            let Ok(step) = math::sub(hi, lo).and_then(|w| math::div(w, Decimal::from(n))) else {
                break;
            };
            for k in 0..=n {
                let x = if k == n {
                    hi
                } else {
                    match math::mul(step, Decimal::from(k)).and_then(|d| math::add(lo, d)) {
                        Ok(x) => x,
                        Err(_) => continue,
                    }
                };
                let t = match self.trial(x) {
                    Ok(t) => t,
                    Err(e) => {
                        failure.get_or_insert(e);
                        prev = None;
                        continue;
                    }
                };
                checked += 1;
                if t.g.is_zero() {
                    return self.narrow(t, t);
                }
                let v = t.value;
                seen_min = Some(seen_min.map_or(v, |m| m.min(v)));
                seen_max = Some(seen_max.map_or(v, |m| m.max(v)));
                if let Some(p) = prev {
                    if sign(p.g) != sign(t.g) {
                        match self.narrow(p, t) {
                            Ok(found) => return Ok(found),
                            Err(e) if self.exhausted() => return Err(e),
                            Err(e) => {
                                failure.get_or_insert(e);
                            }
                        }
                    }
                }
                prev = Some(t);
            }
            if hi == lo {
                break;
            }
        }
        let mut msg = format!(
            "no value of {} between {} and {} makes {} {}",
            self.varied.name,
            self.show_input(lo),
            self.show_input(hi),
            self.target_name,
            self.show_target(self.goal)
        );
        if let (Some(a), Some(b)) = (seen_min, seen_max) {
            msg.push_str(&format!(
                ": it stays between {} and {} there (checked at {checked} points)",
                self.show_target(a),
                self.show_target(b)
            ));
        }
        if let Some(f) = failure {
            msg.push_str(&format!("; also, {f}"));
        }
        Err(WhatIfError::NoSolution(msg))
    }

    /// A root found by stepping outward from `seed`, doubling the step, in the
    /// direction where the target gets closer to the goal first; each sign
    /// change is narrowed, and a jump or a failure inside it moves on.
    fn seek_outward(&mut self, seed: Decimal) -> Result<(Decimal, Method), WhatIfError> {
        let start = self.trial(seed)?;
        if start.g.is_zero() {
            return self.narrow(start, start);
        }
        let d0 = if seed.is_zero() {
            Decimal::ONE
        } else {
            math::div(seed.abs(), Decimal::TEN).unwrap_or(Decimal::ONE)
        };
        // One step each way decides the order.
        let mut first: Vec<(i8, Option<Trial>)> = Vec::new();
        // Where the target cannot be computed, and sign changes that were no root.
        let mut edge: Option<WhatIfError> = None;
        let mut jump: Option<WhatIfError> = None;
        for dir in [1i8, -1] {
            let x = if dir > 0 {
                math::add(seed, d0)
            } else {
                math::sub(seed, d0)
            };
            let t = match x {
                Ok(x) => match self.trial(x) {
                    Ok(t) => Some(t),
                    Err(e) => {
                        edge.get_or_insert(e);
                        None
                    }
                },
                Err(_) => None,
            };
            if let Some(t) = t {
                if sign(t.g) != sign(start.g) {
                    match self.narrow(start, t) {
                        Ok(found) => return Ok(found),
                        Err(e) if self.exhausted() => return Err(e),
                        Err(e) => {
                            jump.get_or_insert(e);
                        }
                    }
                }
            }
            first.push((dir, t));
        }
        first.sort_by_key(|(_, t)| t.map(|t| t.g.abs()));
        first.sort_by_key(|(_, t)| t.is_none());
        let mut lowest = start.g.abs();
        let mut reached = (seed, seed);
        for (dir, t) in first {
            let Some(mut prev) = t else { continue };
            let mut step = d0;
            for _ in 0..MAX_DOUBLINGS {
                let Ok(next_step) = math::mul(step, Decimal::TWO) else {
                    break;
                };
                step = next_step;
                let x = if dir > 0 {
                    math::add(seed, step)
                } else {
                    math::sub(seed, step)
                };
                let Ok(x) = x else { break };
                let t = match self.trial(x) {
                    Ok(t) => t,
                    Err(e) => {
                        edge.get_or_insert(e);
                        break;
                    }
                };
                lowest = lowest.min(t.g.abs());
                if dir > 0 {
                    reached.1 = x;
                } else {
                    reached.0 = x;
                }
                if sign(t.g) != sign(prev.g) {
                    match self.narrow(prev, t) {
                        Ok(found) => return Ok(found),
                        Err(e) if self.exhausted() => return Err(e),
                        Err(e) => {
                            jump.get_or_insert(e);
                        }
                    }
                }
                prev = t;
            }
        }
        let searched = format!(
            "searched {} from {} to {}",
            self.varied.name,
            self.show_input(reached.0),
            self.show_input(reached.1)
        );
        let msg = match jump {
            Some(f) => format!(
                "no value of {} makes {} {} ({searched}): {}",
                self.varied.name,
                self.target_name,
                self.show_target(self.goal),
                f
            ),
            None => {
                format!(
                "no value of {} makes {} {}: {searched}, and {} stays {} it (by {} at the closest)",
                self.varied.name,
                self.target_name,
                self.show_target(self.goal),
                self.target_name,
                if start.g.is_sign_negative() {
                    "below"
                } else {
                    "above"
                },
                self.show_target(lowest)
            ) + &edge
                    .map(|e| format!("; past that, {e}"))
                    .unwrap_or_default()
            }
        };
        Err(WhatIfError::NoSolution(msg))
    }

    /// Narrows a bracket to adjacent decimals (or an exact hit), then prefers
    /// the shortest decimal that comes as close.
    fn narrow(&mut self, a: Trial, b: Trial) -> Result<(Decimal, Method), WhatIfError> {
        let (x, method) = self.narrow_bracket(a, b)?;
        let at_x = if matches!(method, Method::Search { exact: true, .. }) {
            Trial {
                x,
                g: Decimal::ZERO,
                value: self.goal,
            }
        } else {
            self.trial(x)?
        };
        let simple = self.simplify(at_x)?;
        if simple.x == x {
            return Ok((x, method));
        }
        Ok((
            simple.x,
            Method::Search {
                exact: simple.g.is_zero(),
                digits: None,
            },
        ))
    }

    /// The decimal with the fewest significant digits, rounding `best`, that
    /// is as close to the goal: decimal division rounds, so a whole run of
    /// neighbours may hit it, and `-20` reads better than `-19.99…987`.
    fn simplify(&mut self, best: Trial) -> Result<Trial, WhatIfError> {
        let Some(mag) = magnitude(best.x) else {
            return Ok(best);
        };
        for digits in 1..=29i64 {
            let Ok(r) = math::round_half_away(best.x, digits - 1 - mag) else {
                continue;
            };
            if r == best.x {
                break;
            }
            match self.trial(r) {
                Ok(t) if t.g.abs() <= best.g.abs() => return Ok(t),
                Ok(_) => {}
                Err(e) if self.exhausted() => return Err(e),
                Err(_) => {}
            }
        }
        Ok(best)
    }

    /// Narrows a bracket to adjacent decimals (or an exact hit).
    fn narrow_bracket(&mut self, a: Trial, b: Trial) -> Result<(Decimal, Method), WhatIfError> {
        for t in [a, b] {
            if t.g.is_zero() {
                return Ok((
                    t.x,
                    Method::Search {
                        exact: true,
                        digits: None,
                    },
                ));
            }
        }
        let (first_a, first_b) = (a, b);
        let (mut a, mut b) = (a, b);
        let mut side = 0i8;
        let mut width_mark = math::sub(b.x, a.x).map(|w| w.abs()).ok();
        let mut slow_steps = 0u32;
        let mut adjacent = false;
        for _ in 0..MAX_NARROWING {
            let (lo, hi) = if a.x < b.x { (a.x, b.x) } else { (b.x, a.x) };
            let Some(mid) = midpoint(lo, hi) else { break };
            let secant = if slow_steps >= 2 {
                None
            } else {
                // s = b - g_b (b - a) / (g_b - g_a), with |g_b / (g_b - g_a)| < 1.
                math::sub(b.g, a.g)
                    .and_then(|d| math::div(b.g, d))
                    .and_then(|r| math::sub(b.x, a.x).and_then(|w| math::mul(r, w)))
                    .and_then(|shift| math::sub(b.x, shift))
                    .ok()
                    .filter(|s| lo < *s && *s < hi)
            };
            let x = match secant {
                Some(s) => s,
                None if lo < mid && mid < hi => mid,
                None => {
                    adjacent = true;
                    break;
                }
            };
            let t = self.trial(x)?;
            if t.g.is_zero() {
                return Ok((
                    x,
                    Method::Search {
                        exact: true,
                        digits: None,
                    },
                ));
            }
            if sign(t.g) == sign(b.g) {
                b = t;
                if side == -1 {
                    a.g = math::div(a.g, Decimal::TWO).unwrap_or(a.g);
                }
                side = -1;
            } else {
                a = t;
                if side == 1 {
                    b.g = math::div(b.g, Decimal::TWO).unwrap_or(b.g);
                }
                side = 1;
            }
            let width = math::sub(b.x, a.x).map(|w| w.abs()).ok();
            let halved = match (width, width_mark) {
                (Some(w), Some(m)) => math::mul(w, Decimal::TWO).is_ok_and(|w2| w2 <= m),
                _ => false,
            };
            // Two steps that do not halve the bracket are followed by a bisection, which does.
            if halved {
                width_mark = width;
                slow_steps = 0;
            } else {
                slow_steps += 1;
            }
        }
        // The Illinois correction scaled the g's; compare true distances.
        let ta = self.trial(a.x)?;
        let tb = self.trial(b.x)?;
        let best = if ta.g.abs() <= tb.g.abs() { ta } else { tb };
        // A sign change that does not shrink is a jump (a discontinuity), not a root.
        let scale = first_a.g.abs().max(first_b.g.abs());
        let tiny = math::mul(scale, Decimal::new(1, 9)).unwrap_or(scale);
        if best.g.abs() > tiny {
            return Err(WhatIfError::NoSolution(format!(
                "{} jumps across {} near {} = {} without reaching it (a discontinuity, not a root): {} there",
                self.target_name,
                self.show_target(self.goal),
                self.varied.name,
                self.show_input(best.x),
                self.show_target(best.value),
            )));
        }
        let digits = if adjacent {
            None
        } else {
            let w = math::sub(ta.x, tb.x)
                .map(|w| w.abs())
                .unwrap_or(Decimal::ZERO);
            match (magnitude(best.x), magnitude(w)) {
                (Some(mx), Some(mw)) => u32::try_from(mx - mw).ok(),
                _ => None,
            }
        };
        Ok((
            best.x,
            Method::Search {
                exact: false,
                digits,
            },
        ))
    }
}

/// What the straight-line test found.
enum Linear {
    /// The target is linear and hits the goal exactly here.
    Exact(Decimal),
    /// One of the test points hits the goal exactly (linear or not).
    Hit(Decimal),
    /// The line's root, which decimal rounding kept from hitting exactly.
    Near(Decimal),
    /// Not linear, or not computable at the test points.
    Unknown,
}

/// The answer as lines of text: the input's value (was), the target's
/// (goal, was), and how it was found; `exact` shows every digit.
pub fn solution_lines(s: &Solution, exact: bool) -> Vec<String> {
    let input_text = |d: Decimal| {
        if exact {
            s.input.exact(d)
        } else {
            s.input.show(d)
        }
    };
    let target_text = |d: Decimal| {
        if exact {
            format_exact(&Value::with_unit(d, s.target_unit.clone()))
        } else {
            format_number(d, &s.target_unit, s.target_percent)
        }
    };
    let rows = vec![
        vec![
            s.input.name.clone(),
            format!("= {}", input_text(s.value)),
            format!("(was {})", input_text(s.input.start)),
        ],
        vec![
            s.target.clone(),
            // What the target reached: digits past the display are the
            // search's residual, which `--exact` shows.
            format!(
                "= {}",
                if exact {
                    target_text(s.reached)
                } else {
                    format_rounded(s.reached, &s.target_unit, s.target_percent)
                }
            ),
            format!(
                "(target {}, was {})",
                target_text(s.goal),
                target_text(s.target_was)
            ),
        ],
    ];
    // `name = value  (was ...)`: one space before the `=`.
    let mut t = Table::new(&[Align::Left]).gap(0, " ");
    for r in rows {
        t.row(r);
    }
    let mut lines = t.lines();
    let digits = s.input.exact(s.value);
    let how = match s.method {
        Method::Linear => format!("exact: {} is linear in {}", s.target, s.input.name),
        Method::Search { exact: true, .. } => format!(
            "{} is exactly {} there: found in {} evaluations; {} = {digits}",
            s.target,
            target_text(s.goal),
            s.evaluations,
            s.input.name
        ),
        Method::Search {
            exact: false,
            digits: None,
        } => format!(
            "to the last digit: found in {} evaluations; {} = {digits}",
            s.evaluations, s.input.name
        ),
        Method::Search {
            exact: false,
            digits: Some(n),
        } => format!(
            "to {n} significant digits: found in {} evaluations; {} = {digits}",
            s.evaluations, s.input.name
        ),
    };
    lines.push(how);
    lines
}
