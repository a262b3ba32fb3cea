//! `premise check`: every diagnostic of a model, and the inputs nobody reads.

use std::io::Write;

use super::common::{discard, internal_error, load_model, Exit};
use crate::check::{failures, unused_input_warning, unused_inputs};
use crate::diagnostic;
use crate::eval::Workbook;
use crate::internal::InternalError;
use crate::model::Model;
use crate::syntax::CellId;

/// `premise check FILE`
pub fn check(out: &mut dyn Write, file: &str) -> Exit {
    let model = match load_model(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    // The workbook holds the one copy of the model.
    let base = Workbook::new(model);
    let model = base.model();
    let found = failures(&base, None, &|_| false);
    let mut reports: Vec<_> = found.roots.into_iter().map(|(_, r)| r).collect();
    let mut dependents: Vec<String> = match names(model, &found.dependents) {
        Ok(names) => names,
        Err(e) => return internal_error(&e),
    };
    let mut errors = reports.len();
    for id in unused_inputs(&base) {
        match unused_input_warning(&base, id) {
            Ok(warning) => reports.push(warning),
            Err(e) => return internal_error(&e),
        }
    }
    reports.extend(crate::warning::in_model(model));
    for s in &model.scenarios {
        let Some(m) = model.with_scenario(&s.name) else {
            continue;
        };
        let book = Workbook::new(m);
        // Report only what fails under the scenario but not in the base model.
        let base_failed = |id: CellId| matches!(base.value(id), Some(Err(_)));
        let found = failures(&book, Some(&s.name), &base_failed);
        errors += found.roots.len();
        reports.extend(found.roots.into_iter().map(|(_, r)| r));
        let names = match names(model, &found.dependents) {
            Ok(names) => names,
            Err(e) => return internal_error(&e),
        };
        dependents.extend(
            names
                .into_iter()
                .map(|n| format!("{n} (scenario {})", s.name)),
        );
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
            model,
            errors,
            reports
                .iter()
                .filter(|r| r.severity == diagnostic::Severity::Warning)
                .count()
        )
    );
    let exit = if errors > 0 { Exit::Failed } else { Exit::Ok };
    discard(reports);
    discard(base);
    exit
}

fn names(model: &Model, ids: &[CellId]) -> Result<Vec<String>, InternalError> {
    ids.iter()
        .map(|&id| model.name(id).map(str::to_string))
        .collect()
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
