//! The derivation tree of a cell: how its value comes from the inputs, each
//! step with its formula, the values substituted, and the result. Shared by
//! `premise explain` and the REPL's `:why`.
//!
//! A period of a series (`cash[2026]`) is explained with the values of that
//! period: its formula's reads are the elements it reads (`capex[2025]` for
//! `capex[year - 1]`), each a step of its own (docs/language.md#axes-and-series).

use std::collections::HashSet;

use crate::display::format_value;
use crate::eval::{CellResult, Computed, Workbook};
use crate::internal::InternalError;
use crate::model::{Address, Definition, Model};
use crate::syntax::ast::{ExprKind, Name, Period};
use crate::syntax::print::write_expr;
use crate::syntax::{CellId, Expr};

/// How deep the tree goes before it stops with "…".
pub const DEFAULT_DEPTH: usize = 64;

/// Periods of a series shown in full in a derivation; a longer one shows its
/// first and last.
const SHORT_SERIES: usize = 4;

/// A cell's value as shown in a derivation (a series: its periods, or its
/// first and last when it is long).
pub fn shown(book: &Workbook, id: CellId) -> String {
    shown_at(book, Address::cell(id))
}

/// A cell's or a period's value as shown in a derivation.
pub fn shown_at(book: &Workbook, at: Address) -> String {
    let percent = book.model().definition(at.cell).is_some_and(|d| d.percent);
    match (book.computed(at.cell), at.period) {
        (Some(Computed::Series(s)), None) => {
            let text =
                |(label, r): (i64, &CellResult)| format!("{label} {}", result_text(r, percent));
            if s.elements.len() <= SHORT_SERIES {
                return s.periods().map(text).collect::<Vec<_>>().join(", ");
            }
            let first = s.periods().next().map(text).unwrap_or_default();
            let last = s.periods().last().map(text).unwrap_or_default();
            format!("{first} … {last}")
        }
        (Some(c), period) => match c.at(period) {
            Some(r) => result_text(r, percent),
            None => "not computed".to_string(),
        },
        (None, _) => "not computed".to_string(),
    }
}

/// The formula that gives a cell (or one of its periods) its value, and
/// what it is: a pin says so.
fn formula_of(model: &Model, at: Address) -> Option<(&Definition, bool)> {
    let series = model.series(at.cell);
    match (series, at.period) {
        (Some(s), Some(label)) => match s.pin(label) {
            Some(p) => Some((&p.def, true)),
            None if s.ruled => model.definition(at.cell).map(|d| (d, false)),
            None => None,
        },
        _ => model.definition(at.cell).map(|d| (d, false)),
    }
}

/// What a read in a formula computed at `period` stands for: a cell, or one
/// of its periods (`None` for an axis' name, or a period off the axis).
fn read_at(book: &Workbook, e: &Expr, period: Option<i64>) -> Option<Address> {
    let model = book.model();
    let is_series = |id: CellId| matches!(book.computed(id), Some(Computed::Series(_)));
    match &e.kind {
        ExprKind::Ref { id, .. } => {
            if model.axis_read_as(*id).is_some() {
                return None;
            }
            Some(Address {
                cell: *id,
                period: period.filter(|_| is_series(*id)),
            })
        }
        ExprKind::Index(i) => match (&i.period, period) {
            (Period::At(l), _) => Some(Address {
                cell: i.id,
                period: Some(*l),
            }),
            (Period::Relative { offset, .. }, Some(p)) => {
                let label = p.checked_add(*offset)?;
                let inside = book
                    .computed(i.id)
                    .and_then(Computed::series)
                    .is_some_and(|s| s.get(label).is_some());
                inside.then_some(Address {
                    cell: i.id,
                    period: Some(label),
                })
            }
            _ => Some(Address::cell(i.id)),
        },
        _ => None,
    }
}

/// One line of the tree for `at`: `name = formula = substituted = value`.
/// A cell not in the workbook's model is an internal error.
pub fn step(book: &Workbook, at: Address) -> Result<String, InternalError> {
    let model = book.model();
    let name = model.address_text(at)?;
    if at.period.is_none() && model.series(at.cell).is_some() {
        // A whole series: its formulas as written, and its values.
        return Ok(format!(
            "{name}: {}  ⇒ {}",
            model.formula_text(at.cell),
            shown_at(book, at)
        ));
    }
    let Some((def, pin)) = formula_of(model, at) else {
        return Ok(match model.definition(at.cell) {
            Some(_) => format!("{name} = {}", shown_at(book, at)),
            None => format!("{name}: not defined"),
        });
    };
    let expr = &def.expr;
    // With its `as [UNIT]`: the step where the value is converted.
    let formula = def.formula();
    let value = shown_at(book, at);
    // A cell written in another file (an imported one) names it.
    let elsewhere = (!def.file.is_root() && def.line > 0)
        .then(|| format!("{}:{}", model.file_path(def.file), def.line));
    if expr.is_constant() {
        let what = if pin { "pin" } else { "input" };
        let at_line = match (&elsewhere, def.line) {
            (Some(place), _) => format!("{what}, {place}"),
            (None, 0) => what.to_string(),
            (None, line) => format!("{what}, line {line}"),
        };
        if formula == value {
            return Ok(format!("{name} = {value}  ({at_line})"));
        }
        return Ok(format!("{name} = {formula} = {value}  ({at_line})"));
    }
    let mut substituted = String::new();
    write_expr(&mut substituted, expr, &|e| {
        if let (ExprKind::Ref { id, .. }, Some(label)) = (&e.kind, at.period) {
            if model.axis_read_as(*id).is_some() {
                return Some(label.to_string());
            }
        }
        if let ExprKind::Index(i) = &e.kind {
            if i.period.is_span() {
                return None;
            }
        }
        read_at(book, e, at.period).map(|r| shown_at(book, r))
    });
    let step = if substituted == crate::syntax::formula_text(expr) || substituted == value {
        // Only groups and spans (their members are the children below), or
        // a copy of one cell (`y = x`), whose value says it all.
        format!("{name} = {formula} = {value}")
    } else {
        format!("{name} = {formula} = {substituted} = {value}")
    };
    Ok(match elsewhere {
        Some(place) => format!("{step}  ({place})"),
        None => step,
    })
}

/// What a step reads, each once, in reading order: cells, or periods of them.
fn children(book: &Workbook, at: Address) -> Vec<Address> {
    let model = book.model();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    if at.period.is_none() && model.series(at.cell).is_some() {
        for c in model.deps(at.cell) {
            if c != at.cell && model.axis_read_as(c).is_none() && seen.insert(Address::cell(c)) {
                out.push(Address::cell(c));
            }
        }
        return out;
    }
    let Some((def, _)) = formula_of(model, at) else {
        return out;
    };
    let mut stack: Vec<&Expr> = vec![&def.expr];
    let mut push = |a: Address, out: &mut Vec<Address>| {
        if seen.insert(a) {
            out.push(a);
        }
    };
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Ref { .. } | ExprKind::Index(_) => {
                if let Some(r) = read_at(book, e, at.period) {
                    push(r, &mut out);
                }
            }
            ExprKind::Group(_) => e.visit_names(|n| {
                if let Name::Group(g) = n {
                    for &m in model.group(g) {
                        let period = at
                            .period
                            .filter(|_| matches!(book.computed(m), Some(Computed::Series(_))));
                        push(Address { cell: m, period }, &mut out);
                    }
                }
            }),
            _ => {
                let before = stack.len();
                e.for_each_child(|c| stack.push(c));
                if let Some(pushed) = stack.get_mut(before..) {
                    pushed.reverse();
                }
            }
        }
    }
    out
}

/// The derivation tree of `at`, one line per step, children indented below
/// their reader; a step already shown is marked "(see above)" instead of
/// repeated. A cell not in the workbook's model is an internal error.
pub fn tree(book: &Workbook, at: Address, max_depth: usize) -> Result<Vec<String>, InternalError> {
    let model = book.model();
    let mut lines = Vec::new();
    // The cell's own documentation heads its tree, as it heads it in the file.
    if let Some(doc) = model.definition(at.cell).and_then(|d| d.doc.as_deref()) {
        lines.extend(doc.lines().map(|l| format!("## {l}")));
    }
    let mut expanded: HashSet<Address> = HashSet::new();
    // (step, prefix for its children, its own lead, depth)
    let mut stack: Vec<(Address, String, String, usize)> =
        vec![(at, String::new(), String::new(), 0)];
    while let Some((c, child_prefix, lead, depth)) = stack.pop() {
        if !expanded.insert(c) {
            lines.push(format!(
                "{lead}{} = {}  (see above)",
                model.address_text(c)?,
                shown_at(book, c)
            ));
            continue;
        }
        lines.push(format!("{lead}{}", step(book, c)?));
        let children = children(book, c);
        if children.is_empty() {
            continue;
        }
        if depth + 1 > max_depth {
            lines.push(format!(
                "{child_prefix}└─ … ({} more cells below)",
                children.len()
            ));
            continue;
        }
        let last = children.len() - 1;
        for (i, child) in children.into_iter().enumerate().rev() {
            let (lead, next) = if i == last {
                (format!("{child_prefix}└─ "), format!("{child_prefix}   "))
            } else {
                (format!("{child_prefix}├─ "), format!("{child_prefix}│  "))
            };
            stack.push((child, next, lead, depth + 1));
        }
    }
    Ok(lines)
}

/// A cell's result for messages: its value (a series period by period,
/// `2024 $50B, 2025 $65B`), or its error.
pub fn computed_text(computed: &Computed, percent: bool) -> String {
    match computed {
        Computed::One(r) => result_text(r, percent),
        Computed::Series(s) => s
            .periods()
            .map(|(label, r)| format!("{label} {}", result_text(r, percent)))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A value for messages: the display, or the error.
pub fn result_text(result: &CellResult, percent: bool) -> String {
    match result {
        Ok(v) => format_value(v, percent),
        Err(e) => format!("error: {e}"),
    }
}
