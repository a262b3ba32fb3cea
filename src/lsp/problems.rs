//! Everything wrong with an open model, placed in its text as it is now:
//! what `premise check` reports (syntax and model errors, failing cells with
//! did-you-mean, cycles, failures under a scenario), the statements broken
//! while typing, and the inputs no cell reads (as hints).

use crate::check::{failures, unused_input_warning, unused_inputs};
use crate::diagnostic::Diagnostic;
use crate::eval::Workbook;
use crate::internal::InternalError;
use crate::model::Model;
use crate::syntax::{CellId, Span, Statement};

use super::document::{Document, Kind};

/// How an editor should show a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// The model, or a cell, cannot be computed.
    Error,
    /// It computes, but is likely not what the analyst meant
    /// (docs/language.md#warnings): `a +- b`, `margin = 50` for a
    /// percentage, a unit name close to a known one.
    Warning,
    /// Nothing fails, but it is probably a slip (an unused input): shown faintly.
    Hint,
}

/// Scenarios are evaluated for their diagnostics while the model has at most
/// this many cells times scenarios: each is a whole evaluation, at every edit.
const SCENARIO_BUDGET: usize = 200_000;

/// The problems of a document, in text order.
pub fn problems(doc: &Document) -> Vec<(Level, Diagnostic)> {
    let mut out: Vec<(Level, Diagnostic)> = doc
        .load_errors()
        .iter()
        .map(|d| (Level::Error, d.clone()))
        .collect();
    let book = doc.book();
    let model = book.model();
    for stmt in doc.statements() {
        if let Kind::Cell {
            broken: Some(e), ..
        } = &stmt.kind
        {
            let mut d = Diagnostic::from(e);
            d.span = d.span.shifted(stmt.span.start());
            out.push((Level::Error, d));
        }
    }
    let is_broken = |id: CellId| {
        doc.statement_of(id).is_none_or(|s| {
            matches!(
                s.kind,
                Kind::Cell {
                    broken: Some(_),
                    ..
                }
            )
        })
    };
    let found = failures(book, None, &|id| is_broken(id) && !model.is_imported(id));
    for (id, d) in found.roots {
        out.push((Level::Error, placed(doc, id, d)));
    }
    for d in crate::assertions::failures(book, None) {
        out.push((Level::Error, placed_assertion(doc, d)));
    }
    warnings(doc, &mut out);
    for id in unused_inputs(book) {
        if !is_broken(id) {
            out.push(match unused_input_warning(book, id) {
                Ok(warning) => (Level::Hint, placed(doc, id, warning)),
                Err(e) => internal(&e),
            });
        }
    }
    for slip in crate::model::slips(model) {
        if let Some(id) = slip.cell.filter(|&id| !is_broken(id)) {
            out.push((
                Level::Warning,
                placed(doc, id, crate::warning::unit_slip(&slip)),
            ));
        }
    }
    if model.len().saturating_mul(model.scenarios.len()) <= SCENARIO_BUDGET {
        let base_failed = |id: CellId| matches!(book.value(id), Some(Err(_))) || is_broken(id);
        for s in &model.scenarios {
            let Some(m) = model.with_scenario(&s.name) else {
                continue;
            };
            let under = Workbook::new(m);
            for d in crate::assertions::failures(&under, Some(&s.name)) {
                out.push((Level::Error, placed_assertion(doc, d)));
            }
            for (id, mut d) in failures(&under, Some(&s.name), &base_failed).roots {
                if !d.file.is_root() {
                    out.push((Level::Error, at_import(model, doc, d)));
                    continue;
                }
                // Point at the override when the scenario changes this cell.
                let overridden = s.overrides.iter().any(|o| o.cell == id);
                d.span = if overridden {
                    let name = match model.name(id) {
                        Ok(name) => name,
                        Err(e) => {
                            out.push(internal(&e));
                            continue;
                        }
                    };
                    override_span(doc, &s.name, name).unwrap_or_default()
                } else {
                    doc.statement_of(id).map(|st| st.span).unwrap_or_default()
                };
                d.related.clear();
                out.push((Level::Error, d));
            }
        }
    }
    out.sort_by_key(|(_, d)| d.span.start());
    out
}

/// The model's warnings (those `premise check` prints), placed in the text
/// now; a statement broken while typing has none (its error is shown).
fn warnings(doc: &Document, out: &mut Vec<(Level, Diagnostic)>) {
    for stmt in doc.statements() {
        out.extend(stmt.slips().map(|w| (Level::Warning, w)));
    }
}

/// premise's own failure, said at the top of the file rather than hidden.
fn internal(e: &InternalError) -> (Level, Diagnostic) {
    let report = "please report this with the model that caused it";
    (
        Level::Error,
        Diagnostic::error(Span::default(), e.to_string(), report),
    )
}

/// A diagnostic about cell `id`, its spans moved from the model's text to the text now.
fn placed(doc: &Document, id: CellId, mut d: Diagnostic) -> Diagnostic {
    if !d.file.is_root() {
        return at_import(doc.book().model(), doc, d);
    }
    if let Some(stmt) = doc.statement_of(id) {
        d.span = stmt.to_now(d.span);
        for (span, _) in &mut d.related {
            *span = stmt.to_now(*span);
        }
    }
    d
}

/// The name of `cell`'s override in scenario `scenario`, in the text now.
fn override_span(doc: &Document, scenario: &str, cell: &str) -> Option<Span> {
    doc.statements()
        .iter()
        .filter(|s| match &s.kind {
            Kind::Override { scenario: sc } => &**sc == scenario,
            Kind::ScenarioOpen { name } => &**name == scenario,
            _ => false,
        })
        .find_map(|s| {
            let located = doc.parse_statement(s)?;
            super::names::names_in(s, &located)
                .into_iter()
                .find(|w| {
                    w.role == super::names::Role::Override
                        && w.target == super::names::Target::Cell(cell.into())
                })
                .map(|w| w.span)
        })
}

/// A failed assertion placed in the text now: at its statement, or at the
/// import that reads the file it is written in.
fn placed_assertion(doc: &Document, d: Diagnostic) -> Diagnostic {
    if !d.file.is_root() {
        return at_import(doc.book().model(), doc, d);
    }
    // The statement the assertion was read from, wherever it stands now.
    match doc.statements().iter().find(|s| s.was_at(d.span.start())) {
        Some(stmt) => Diagnostic {
            span: stmt.to_now(d.span),
            ..d
        },
        None => d,
    }
}

/// A problem of an imported file, at the import of this text that reads
/// that file (see [`Model::at_import`]), placed in the text as it is now.
fn at_import(model: &Model, doc: &Document, d: Diagnostic) -> Diagnostic {
    let now = model
        .import_leading_to(d.file)
        .and_then(|i| import_now(doc, &i.alias));
    let d = model.at_import(d);
    match now {
        Some(span) => Diagnostic { span, ..d },
        None => d,
    }
}

/// The import statement of `alias` in the text as it is now.
fn import_now(doc: &Document, alias: &str) -> Option<Span> {
    doc.statements().iter().find_map(|s| {
        let located = doc.parse_statement(s)?;
        match located.statement {
            Statement::Import(i) if &*i.alias == alias => Some(s.span),
            _ => None,
        }
    })
}
