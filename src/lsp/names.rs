//! The names written in a model's text and what they name: the name under
//! the cursor, where a cell is defined, every place that names it (for find
//! references and rename), and the outline of cells and scenarios.

use crate::syntax::{CellDef, CellId, Expr, ExprKind, Located, Span, Statement};

use super::document::{Document, Kind, Stmt};

/// What a name in the text stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A cell (defined or merely read).
    Cell(Box<str>),
    /// `revenue.*`: the members of a group.
    Group(Box<str>),
    /// A scenario.
    Scenario(Box<str>),
}

/// How a name stands where it is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Where the cell or scenario is defined.
    Definition,
    /// A scenario's override of a cell.
    Override,
    /// A formula reads it.
    Read,
}

/// One name as written: what it names, where, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// What it names.
    pub target: Target,
    /// The name's text in the file (for a group, `revenue.*` whole).
    pub span: Span,
    /// Definition, override or read.
    pub role: Role,
}

/// Every name written in one parsed statement, in text order.
pub fn names_in(stmt: &Stmt, located: &Located) -> Vec<Written> {
    let mut out = Vec::new();
    let in_scenario = matches!(stmt.kind, Kind::Override { .. });
    match &located.statement {
        Statement::Cell(def) => cell_names(def, in_scenario, &mut out),
        Statement::ScenarioOpen {
            name,
            name_span,
            closed,
        } => {
            out.push(Written {
                target: Target::Scenario(name.clone()),
                span: *name_span,
                role: Role::Definition,
            });
            if let Some(Some(def)) = closed {
                cell_names(def, true, &mut out);
            }
        }
        Statement::Import(import) => {
            if let Some(crate::syntax::Block::Closed(Some(def))) = &import.block {
                cell_names(def, true, &mut out);
            }
        }
        Statement::Assert(assert) => reads_in(&assert.condition, &mut out),
        // A unit's name is no cell's; its factor reads none.
        Statement::BlockClose | Statement::Unit(_) | Statement::Axis { .. } => {}
    }
    out.sort_by_key(|w| w.span.start());
    out
}

fn cell_names(def: &CellDef, in_scenario: bool, out: &mut Vec<Written>) {
    out.push(Written {
        target: Target::Cell(def.name.clone()),
        span: def.name_span,
        role: if in_scenario {
            Role::Override
        } else {
            Role::Definition
        },
    });
    reads_in(&def.expr, out);
}

/// The names a formula reads, with their places (no recursion: formulas nest deep).
fn reads_in(expr: &Expr, out: &mut Vec<Written>) {
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        match &e.kind {
            ExprKind::Ref { name, .. } => out.push(Written {
                target: Target::Cell(name.clone()),
                span: e.span,
                role: Role::Read,
            }),
            ExprKind::Group(g) => out.push(Written {
                target: Target::Group(g.clone()),
                span: e.span,
                role: Role::Read,
            }),
            // `capex[year - 1]`: the name, without the brackets.
            ExprKind::Index(i) => out.push(Written {
                target: Target::Cell(i.name.clone()),
                span: Span::new(e.span.start(), e.span.start() + i.name.len()),
                role: Role::Read,
            }),
            _ => e.for_each_child(|c| stack.push(c)),
        }
    }
}

/// The name at byte `offset` of the document (a cursor just after a name counts).
pub fn name_at(doc: &Document, offset: usize) -> Option<Written> {
    let (_, stmt) = doc.statement_at(offset)?;
    let located = doc.parse_statement(stmt)?;
    names_in(stmt, &located)
        .into_iter()
        .find(|w| w.span.start() <= offset && offset <= w.span.end())
}

/// Whether the end of `before` (the text before the cursor) is inside a
/// unit's brackets: `700 [k`, `$80 [/MW`, `1 [GPU*`.
pub fn in_brackets(before: &str) -> bool {
    let line = before.rsplit('\n').next().unwrap_or(before);
    line.rfind('[')
        .is_some_and(|open| !line.get(open..).unwrap_or("").contains(']'))
}

/// The unit name between brackets at byte `offset` of `text` (`kWh` in
/// `2 [kWh]`, a cursor just after it included), for hover.
pub fn unit_at(text: &str, offset: usize) -> Option<Span> {
    let is_unit_char = |c: char| c.is_alphanumeric() || c == '_';
    let before = text.get(..offset)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_unit_char(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text
        .get(offset..)?
        .find(|c: char| !is_unit_char(c))
        .map_or(text.len(), |i| offset + i);
    let word = text.get(start..end)?;
    let starts_with_letter = word.chars().next().is_some_and(char::is_alphabetic);
    (starts_with_letter && in_brackets(text.get(..start)?)).then_some(Span::new(start, end))
}

/// Every place that names `target`, in text order: its definition, the
/// formulas that read it, the scenario overrides of it.
pub fn places_of(doc: &Document, target: &Target) -> Vec<Written> {
    let book = doc.book();
    let model = book.model();
    // The statements that can name it: found through the graph, not by
    // reading every statement of a big model.
    let mut candidates: Vec<usize> = Vec::new();
    let index_of = |stmt: &Stmt| {
        doc.statements()
            .partition_point(|s| s.span.start() < stmt.span.start())
    };
    match target {
        Target::Cell(name) => {
            if let Some(id) = model.lookup(name) {
                let mut of_cell = |id: CellId| {
                    if let Some(stmt) = doc.statement_of(id) {
                        candidates.push(index_of(stmt));
                    }
                    candidates.extend(pin_statements(doc, id));
                };
                of_cell(id);
                for reader in book.graph().readers(id) {
                    of_cell(reader);
                }
            }
        }
        Target::Group(prefix) => {
            for &id in model.cells_in_order() {
                let reads_group = model.definition(id).is_some_and(|d| {
                    let mut hit = false;
                    d.expr.visit_names(|n| {
                        hit |= n == crate::syntax::ast::Name::Group(prefix);
                    });
                    hit
                });
                if reads_group {
                    if let Some(stmt) = doc.statement_of(id) {
                        candidates.push(index_of(stmt));
                    }
                }
            }
        }
        Target::Scenario(_) => {}
    }
    // Scenario blocks, assertions and imports (whose blocks override
    // cells) are few: read them all.
    let text = doc.text();
    for (i, s) in doc.statements().iter().enumerate() {
        let other = || {
            let written = text.get(s.span.start()..s.span.end()).unwrap_or("");
            let first = written.trim_start();
            first.starts_with("assert") || first.starts_with("import")
        };
        if matches!(s.kind, Kind::Override { .. } | Kind::ScenarioOpen { .. })
            || (s.kind == Kind::Other && other())
        {
            candidates.push(i);
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    let mut out = Vec::new();
    for i in candidates {
        let Some(stmt) = doc.statements().get(i) else {
            continue;
        };
        let Some(located) = doc.parse_statement(stmt) else {
            continue;
        };
        out.extend(
            names_in(stmt, &located)
                .into_iter()
                .filter(|w| &w.target == target),
        );
    }
    out
}

/// The statements that pin periods of a series cell (`capex[2024] = $50B`),
/// by their place in the statement list.
fn pin_statements(doc: &Document, id: CellId) -> Vec<usize> {
    let Some(series) = doc.book().model().series(id) else {
        return Vec::new();
    };
    series
        .pins
        .iter()
        .filter_map(|pin| {
            doc.statements()
                .iter()
                .position(|s| s.was_at(pin.def.span.start()))
        })
        .collect()
}

/// The span of a cell's name where it is defined, in the text as it is now
/// (`None` for a cell no statement of the document defines).
pub fn name_span(doc: &Document, id: CellId) -> Option<Span> {
    let cell = doc.book().model().cell(id)?;
    let stmt = doc.statement_of(id)?;
    let start = cell.def.as_ref()?.span.start();
    Some(stmt.to_now(Span::new(start, start + cell.name.len())))
}

/// Where `target` is defined: a cell's name in its definition, a scenario's
/// name, each member of a group.
pub fn definitions_of(doc: &Document, target: &Target) -> Vec<Span> {
    let model = doc.book().model();
    let cell_name_span = |id| name_span(doc, id);
    match target {
        Target::Cell(name) => model
            .defined(name)
            .and_then(cell_name_span)
            .into_iter()
            .collect(),
        Target::Group(prefix) => model
            .group(prefix)
            .iter()
            .filter_map(|&id| cell_name_span(id))
            .collect(),
        Target::Scenario(name) => doc
            .statements()
            .iter()
            .filter(|s| matches!(&s.kind, Kind::ScenarioOpen { name: n } if n == name))
            .filter_map(|s| {
                let located = doc.parse_statement(s)?;
                names_in(s, &located)
                    .into_iter()
                    .find(|w| w.role == Role::Definition)
                    .map(|w| w.span)
            })
            .collect(),
    }
}

/// Why a cell cannot be renamed to `new`, or `None` when it can.
pub fn rename_refusal(doc: &Document, old: &str, new: &str) -> Option<String> {
    let is_name = matches!(
        crate::syntax::parse_expression(new),
        Ok((Expr { kind: ExprKind::Ref { ref name, .. }, .. }, None)) if **name == *new
    );
    if !is_name {
        return Some(format!(
            "'{new}' is not a cell name (letters, digits, _ and ., not starting with a digit)"
        ));
    }
    if new != old && doc.book().model().defined(new).is_some() {
        return Some(format!("there is already a cell named '{new}'"));
    }
    None
}
