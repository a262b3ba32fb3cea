//! What `premise check` finds once a model has loaded: the cells that fail
//! (root causes in full, the cells that fail only because of them counted)
//! and the inputs no cell reads. `premise check`, `premise watch` and the
//! language server report the same findings from here.

use crate::diagnostic::Diagnostic;
use crate::eval::{Computed, ErrorKind, Workbook};
use crate::internal::InternalError;
use crate::syntax::CellId;

/// A workbook's failed cells.
#[derive(Clone, Debug, Default)]
pub struct Failures {
    /// Each cell whose own formula fails, with its diagnostic, in file order.
    pub roots: Vec<(CellId, Diagnostic)>,
    /// Cells that fail only because a cell they read fails, in file order.
    pub dependents: Vec<CellId>,
}

/// The failed cells of `book`, except those `skip` names; `scenario` prefixes
/// each message (`in scenario 'x': ...`).
pub fn failures(
    book: &Workbook,
    scenario: Option<&str>,
    skip: &dyn Fn(CellId) -> bool,
) -> Failures {
    let model = book.model();
    let mut out = Failures::default();
    let prefix = scenario.map_or(String::new(), |s| format!("in scenario '{s}': "));
    for (id, name, def) in model.defined_cells() {
        if skip(id) {
            continue;
        }
        match book.computed(id) {
            Some(Computed::One(Err(e))) => match e.kind {
                ErrorKind::Dependency { .. } => out.dependents.push(id),
                _ => {
                    let mut r = e.diagnostic(name, def.span).in_file(def.file);
                    r.message = format!("{prefix}{}", r.message);
                    out.roots.push((id, r));
                }
            },
            // A series: its first period that fails on its own, and how many
            // more do; a series whose periods fail only through others is a dependent.
            Some(Computed::Series(series)) => {
                let mut roots = series
                    .errors()
                    .filter(|(_, e)| !matches!(e.kind, ErrorKind::Dependency { .. }));
                match roots.next() {
                    Some((label, e)) => {
                        let more = roots.count();
                        let name = format!("{name}[{label}]");
                        let mut r = e.diagnostic(&name, def.span).in_file(def.file);
                        r.message = match more {
                            0 => format!("{prefix}{}", r.message),
                            1 => format!("{prefix}{} (and 1 more period)", r.message),
                            n => format!("{prefix}{} (and {n} more periods)", r.message),
                        };
                        out.roots.push((id, r));
                    }
                    None if series.errors().next().is_some() => out.dependents.push(id),
                    None => {}
                }
            }
            _ => {}
        }
    }
    out
}

/// The model's own inputs (not imported ones: those are their file's
/// business) read by no cell (scenario overrides do not count; a group
/// aggregate reads its members; an assertion reads what its condition
/// names) and that have a value, in file order.
pub fn unused_inputs(book: &Workbook) -> Vec<CellId> {
    let model = book.model();
    let asserted = crate::assertions::cells_read(model);
    model
        .inputs()
        .filter(|&id| {
            !book.graph().is_read(id)
                && book.computed(id).is_some_and(|c| !c.failed())
                && !model.is_imported(id)
                && asserted.binary_search(&id).is_err()
        })
        .collect()
}

/// The warning for an input no cell reads (one of [`unused_inputs`]); a
/// cell not defined in the workbook's model is an internal error.
pub fn unused_input_warning(book: &Workbook, id: CellId) -> Result<Diagnostic, InternalError> {
    let model = book.model();
    let (Ok(name), Some(def)) = (model.name(id), model.definition(id)) else {
        return Err(InternalError::new(format!(
            "cell id {} is not an input of this model",
            id.0
        )));
    };
    Ok(Diagnostic::warning(
        def.span,
        format!("input '{name}' is not used by any cell"),
        "never read",
    )
    .help("remove it, or use it in a formula"))
}
