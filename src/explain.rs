//! The derivation tree of a cell: how its value comes from the inputs, each
//! step with its formula, the values substituted, and the result. Shared by
//! `premise explain` and the REPL's `:why`.

use std::collections::HashSet;

use crate::display::format_value;
use crate::eval::{CellResult, Workbook};
use crate::internal::InternalError;
use crate::syntax::print::write_expr;
use crate::syntax::CellId;

/// How deep the tree goes before it stops with "…".
pub const DEFAULT_DEPTH: usize = 64;

/// A cell's value as shown in a derivation.
pub fn shown(book: &Workbook, id: CellId) -> String {
    let percent = book.model().definition(id).is_some_and(|d| d.percent);
    match book.value(id) {
        Some(Ok(v)) => format_value(v, percent),
        Some(Err(e)) => format!("error: {e}"),
        None => "not computed".to_string(),
    }
}

/// One line of the tree for `id`: `name = formula = substituted = value`.
/// A cell not in the workbook's model is an internal error.
pub fn step(book: &Workbook, id: CellId) -> Result<String, InternalError> {
    let model = book.model();
    let name = model.name(id)?;
    let Some(def) = model.definition(id) else {
        return Ok(format!("{name}: not defined"));
    };
    // With its `as [UNIT]`: the step where the value is converted.
    let formula = def.formula();
    let value = shown(book, id);
    // A cell written in another file (an imported one) names it.
    let elsewhere = (!def.file.is_root() && def.line > 0)
        .then(|| format!("{}:{}", model.file_path(def.file), def.line));
    if def.is_input() {
        let at = match (&elsewhere, def.line) {
            (Some(place), _) => format!("input, {place}"),
            (None, 0) => "input".to_string(),
            (None, line) => format!("input, line {line}"),
        };
        if formula == value {
            return Ok(format!("{name} = {value}  ({at})"));
        }
        return Ok(format!("{name} = {formula} = {value}  ({at})"));
    }
    let mut substituted = String::new();
    write_expr(&mut substituted, &def.expr, &|r| Some(shown(book, r.id)));
    let step = if substituted == crate::syntax::formula_text(&def.expr) || substituted == value {
        // Only groups (their members are the children below), or a copy of
        // one cell (`y = x`), whose value says it all.
        format!("{name} = {formula} = {value}")
    } else {
        format!("{name} = {formula} = {substituted} = {value}")
    };
    Ok(match elsewhere {
        Some(place) => format!("{step}  ({place})"),
        None => step,
    })
}

/// The derivation tree of `id`, one line per step, children indented below
/// their reader; a cell already shown is marked "(see above)" instead of
/// repeated. A cell not in the workbook's model is an internal error.
pub fn tree(book: &Workbook, id: CellId, max_depth: usize) -> Result<Vec<String>, InternalError> {
    let model = book.model();
    let mut lines = Vec::new();
    // The cell's own documentation heads its tree, as it heads it in the file.
    if let Some(doc) = model.definition(id).and_then(|d| d.doc.as_deref()) {
        lines.extend(doc.lines().map(|l| format!("## {l}")));
    }
    let mut expanded: HashSet<CellId> = HashSet::new();
    // (cell, prefix for its children, its own lead, depth)
    let mut stack: Vec<(CellId, String, String, usize)> =
        vec![(id, String::new(), String::new(), 0)];
    while let Some((c, child_prefix, lead, depth)) = stack.pop() {
        if !expanded.insert(c) {
            lines.push(format!(
                "{lead}{} = {}  (see above)",
                model.name(c)?,
                shown(book, c)
            ));
            continue;
        }
        lines.push(format!("{lead}{}", step(book, c)?));
        let children: Vec<CellId> = match model.definition(c) {
            Some(def) => {
                let mut seen = HashSet::new();
                model
                    .reads(&def.expr)
                    .into_iter()
                    .filter(|r| seen.insert(*r))
                    .collect()
            }
            None => Vec::new(),
        };
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

/// A value for messages: the display, or the error.
pub fn result_text(result: &CellResult, percent: bool) -> String {
    match result {
        Ok(v) => format_value(v, percent),
        Err(e) => format!("error: {e}"),
    }
}
