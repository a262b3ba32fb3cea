//! `premise check`: every diagnostic of a model, and the inputs nobody reads.

use std::io::Write;

use super::common::{load_model, Exit};
use crate::diagnostic::{self, Diagnostic};
use crate::eval::{ErrorKind, Workbook};
use crate::model::Model;
use crate::syntax::CellId;

/// Reports for a workbook's failed cells: root causes in full, dependents counted.
pub fn failure_reports(
    book: &Workbook,
    scenario: Option<&str>,
    skip: &dyn Fn(CellId) -> bool,
) -> (Vec<Diagnostic>, Vec<String>) {
    let model = book.model();
    let mut reports = Vec::new();
    let mut dependents = Vec::new();
    let prefix = scenario.map_or(String::new(), |s| format!("in scenario '{s}': "));
    for &id in model.cells_in_order() {
        let Some(Err(e)) = book.value(id) else {
            continue;
        };
        if skip(id) {
            continue;
        }
        let def_span = model.definition(id).map(|d| d.span).unwrap_or_default();
        match e.kind {
            ErrorKind::Dependency { .. } => dependents.push(model.name(id).to_string()),
            _ => {
                let mut r = e.diagnostic(model.name(id), def_span);
                r.message = format!("{prefix}{}", r.message);
                reports.push(r);
            }
        }
    }
    (reports, dependents)
}

/// Inputs read by no cell (scenario overrides do not count; a group aggregate reads its members).
pub fn unused_inputs(book: &Workbook) -> Vec<CellId> {
    book.model()
        .inputs()
        .filter(|&id| !book.graph().is_read(id))
        .collect()
}

/// `premise check FILE`
pub fn check(out: &mut dyn Write, file: &str) -> Exit {
    let model = match load_model(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let base = Workbook::new(model.clone());
    let (mut reports, mut dependents) = failure_reports(&base, None, &|_| false);
    let mut errors = reports.len();
    for id in unused_inputs(&base)
        .into_iter()
        .filter(|&id| matches!(base.value(id), Some(Ok(_))))
    {
        let span = model.definition(id).map(|d| d.span).unwrap_or_default();
        reports.push(
            Diagnostic::warning(
                span,
                format!("input '{}' is not used by any cell", model.name(id)),
                "never read",
            )
            .help("remove it, or use it in a formula"),
        );
    }
    for slip in crate::model::slips(&model) {
        reports.push(
            Diagnostic::warning(
                slip.at,
                format!(
                    "unit '{}' is neither built in nor declared: did you mean '{}'?",
                    slip.name, slip.meant
                ),
                "not a known unit",
            )
            .help(format!(
                "write [{}] to convert with it, or declare 'unit {}' if it is a unit of its own",
                slip.meant, slip.name
            )),
        );
    }
    for s in &model.scenarios {
        let Some(m) = model.with_scenario(&s.name) else {
            continue;
        };
        let book = Workbook::new(m);
        // Report only what fails under the scenario but not in the base model.
        let base_failed = |id: CellId| matches!(base.value(id), Some(Err(_)));
        let (r, d) = failure_reports(&book, Some(&s.name), &base_failed);
        errors += r.len();
        reports.extend(r);
        dependents.extend(d.into_iter().map(|n| format!("{n} (scenario {})", s.name)));
    }
    diagnostic::emit(&model.path, &model.source, &reports);
    if !dependents.is_empty() {
        errors += dependents.len();
        let shown: Vec<&str> = dependents.iter().take(10).map(String::as_str).collect();
        let more = if dependents.len() > 10 {
            format!(" and {} more", dependents.len() - 10)
        } else {
            String::new()
        };
        eprintln!(
            "note: {} more cell{} because {} on the errors above: {}{more}",
            dependents.len(),
            if dependents.len() == 1 {
                " fails"
            } else {
                "s fail"
            },
            if dependents.len() == 1 {
                "it depends"
            } else {
                "they depend"
            },
            shown.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "{}",
        summary(
            &model,
            errors,
            reports
                .iter()
                .filter(|r| r.severity == diagnostic::Severity::Warning)
                .count()
        )
    );
    if errors > 0 {
        Exit::Failed
    } else {
        Exit::Ok
    }
}

fn summary(model: &Model, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let cells = plural(model.cells_in_order().len(), "cell");
    let scenarios = plural(model.scenarios.len(), "scenario");
    let verdict = match (errors, warnings) {
        (0, 0) => "ok".to_string(),
        (0, w) => format!("ok, {}", plural(w, "warning")),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    };
    format!("{}: {cells}, {scenarios}: {verdict}", model.path)
}
