//! `premise check`: every diagnostic of a model, its assertions, and the
//! inputs nobody reads; on a folder, every model in it (for CI).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::common::{internal_error, load_model, usage_error, Exit};
use crate::check::{failures, unused_input_warning, unused_inputs};
use crate::diagnostic;
use crate::eval::Workbook;
use crate::internal::InternalError;
use crate::model::Model;
use crate::syntax::CellId;

/// `premise check FILE` (or a folder: every `.model` file in it and its subfolders).
pub fn check(out: &mut dyn Write, file: &str) -> Exit {
    if !Path::new(file).is_dir() {
        return check_file(out, file);
    }
    let files = match models_in(Path::new(file)) {
        Ok(files) => files,
        Err(e) => return usage_error(e),
    };
    if files.is_empty() {
        return usage_error(format!("no .model files in the folder {file}"));
    }
    let mut exit = Exit::Ok;
    let mut failed = 0;
    for f in &files {
        let code = check_file(out, &f.display().to_string());
        if code != Exit::Ok {
            failed += 1;
        }
        exit = worse(exit, code);
    }
    let _ = writeln!(
        out,
        "{file}: {} model{} checked, {}",
        files.len(),
        if files.len() == 1 { "" } else { "s" },
        match failed {
            0 => "all ok".to_string(),
            1 => "1 with errors".to_string(),
            n => format!("{n} with errors"),
        }
    );
    exit
}

/// The more serious of two exit codes (usage trouble over model errors).
fn worse(a: Exit, b: Exit) -> Exit {
    if a as i32 >= b as i32 {
        a
    } else {
        b
    }
}

/// The `.model` files under `dir`, sorted by path; folders whose name starts
/// with a dot (`.git`) are skipped. Without recursion: a deep tree of
/// folders does not grow the stack.
fn models_in(dir: &Path) -> Result<Vec<PathBuf>, crate::file::FileError> {
    let mut found = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries =
            std::fs::read_dir(&folder).map_err(|e| crate::file::FileError::read(&folder, e))?;
        for entry in entries.flatten() {
            let path = entry.path();
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            match entry.file_type() {
                Ok(t) if t.is_dir() && !hidden => folders.push(path),
                Ok(_) if path.extension().is_some_and(|e| e == "model") && !path.is_dir() => {
                    found.push(path)
                }
                _ => {}
            }
        }
    }
    found.sort();
    Ok(found)
}

/// `premise check FILE` for one file.
fn check_file(out: &mut dyn Write, file: &str) -> Exit {
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
    reports.extend(crate::assertions::failures(&base, None));
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
        let base_failed = |id: CellId| base.computed(id).is_some_and(|c| c.failed());
        let found = failures(&book, Some(&s.name), &base_failed);
        let unmet = crate::assertions::failures(&book, Some(&s.name));
        errors += found.roots.len() + unmet.len();
        reports.extend(found.roots.into_iter().map(|(_, r)| r));
        reports.extend(unmet);
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
    diagnostic::emit(model, &reports);
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
    if errors > 0 {
        Exit::Failed
    } else {
        Exit::Ok
    }
}

fn names(model: &Model, ids: &[CellId]) -> Result<Vec<String>, InternalError> {
    ids.iter()
        .map(|&id| model.name(id).map(str::to_string))
        .collect()
}

/// `m.model: 12 cells, 1 scenario: ok`; imported cells and assertions are
/// counted when the model has them.
fn summary(model: &Model, errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let own = model.own_cells().count();
    let mut counts = vec![plural(own, "cell")];
    let imported = model.cells_in_order().len().saturating_sub(own);
    if imported > 0 {
        counts.push(format!("{imported} imported"));
    }
    counts.push(plural(model.scenarios.len(), "scenario"));
    if !model.assertions.is_empty() {
        counts.push(plural(model.assertions.len(), "assertion"));
    }
    let verdict = match (errors, warnings) {
        (0, 0) => "ok".to_string(),
        (0, w) => format!("ok, {}", plural(w, "warning")),
        (e, 0) => plural(e, "error"),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    };
    format!("{}: {}: {verdict}", model.path, counts.join(", "))
}
