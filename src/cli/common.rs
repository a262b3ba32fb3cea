//! What every command does first: load the model (printing diagnostics),
//! pick the scenario, apply `--set`, and find the cells named on the line.

use crate::diagnostic::{self, Report};
use crate::model::{load_file, Definition, LoadError, Model};
use crate::syntax::{parse_expression, CellId};

use super::What;

/// Exit codes (docs/language.md#exit-codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Success.
    Ok = 0,
    /// The model has errors (or, for `diff` and `fmt --check`, there are differences).
    Failed = 1,
    /// Usage or I/O trouble.
    Usage = 2,
}

/// Prints `error: ...` on stderr.
pub fn usage_error(message: impl std::fmt::Display) -> Exit {
    eprintln!("error: {message}");
    Exit::Usage
}

/// Loads a model, printing every diagnostic on failure, and returns the exit code to stop with.
pub fn load_model(path: &str) -> Result<Model, Exit> {
    load_file(path).map_err(report_load_error)
}

/// Prints why a model could not be loaded and returns the exit code to stop with.
pub fn report_load_error(error: LoadError) -> Exit {
    match error {
        LoadError::Io { path, error } => {
            usage_error(format!("cannot read '{path}': {}", io_words(&error)))
        }
        LoadError::NotText {
            path,
            line,
            column,
            message,
        } => {
            eprintln!("error: {path}:{line}:{column}: {message}");
            Exit::Failed
        }
        LoadError::Invalid { model, errors } => {
            let reports: Vec<Report> = errors.iter().map(Report::from).collect();
            diagnostic::emit(&model.path, &model.source, &reports);
            let n = errors.len();
            eprintln!(
                "error: {} has {n} error{}; nothing was evaluated",
                model.path,
                if n == 1 { "" } else { "s" }
            );
            Exit::Failed
        }
    }
}

/// The system's I/O error in plain words.
pub fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "it is a directory, not a model file".to_string(),
        std::io::ErrorKind::StorageFull => "the disk is full".to_string(),
        std::io::ErrorKind::FileTooLarge => {
            "the file is larger than this system allows".to_string()
        }
        std::io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_string(),
        _ => e.to_string(),
    }
}

/// The scenarios asked for (`base` when none), each checked to exist.
pub fn scenarios(model: &Model, what: &What) -> Result<Vec<String>, Exit> {
    let names: Vec<String> = if what.scenario.is_empty() {
        vec!["base".to_string()]
    } else {
        what.scenario.clone()
    };
    for n in &names {
        if n != "base" && model.scenario(n).is_none() {
            let mut msg = format!("no scenario named '{n}' in {}", model.path);
            let known = model.scenario_names();
            match crate::suggest::did_you_mean(n, known.iter().copied()) {
                Some(s) => msg.push_str(&format!(" (did you mean '{s}'?)")),
                None => msg.push_str(&format!("; the scenarios are {}", known.join(", "))),
            }
            return Err(usage_error(msg));
        }
    }
    Ok(names)
}

/// The model under `scenario` with every `--set` applied.
pub fn prepare(model: &Model, scenario: &str, sets: &[String]) -> Result<Model, Exit> {
    let Some(m) = model.with_scenario(scenario) else {
        return Err(usage_error(format!("no scenario named '{scenario}'")));
    };
    apply_sets(m, sets)
}

/// Like [`prepare`], consuming the model: no copy for the base scenario.
pub fn prepare_owned(model: Model, scenario: &str, sets: &[String]) -> Result<Model, Exit> {
    if scenario == "base" {
        return apply_sets(model, sets);
    }
    prepare(&model, scenario, sets)
}

/// Applies `--set NAME=EXPR` flags in order.
fn apply_sets(mut m: Model, sets: &[String]) -> Result<Model, Exit> {
    for s in sets {
        let Some((name, expr_text)) = s.split_once('=') else {
            return Err(usage_error(format!("--set needs NAME=EXPR, got '{s}'")));
        };
        let name = name.trim();
        let Some(id) = m.defined(name) else {
            return Err(usage_error(unknown_cell(&m, name)));
        };
        let (expr, as_percent) = match parse_expression(expr_text) {
            Ok(e) => e,
            Err(e) => {
                let report = Report::from(&e);
                let text =
                    diagnostic::render("--set", expr_text, &[report], diagnostic::stderr_color());
                eprint!("{text}");
                return Err(usage_error(format!(
                    "cannot read the value of --set {name}"
                )));
            }
        };
        let mut unknown = None;
        expr.visit_names(|n| {
            if let crate::syntax::ast::Name::Cell(r) = n {
                if m.defined(r.name).is_none() && unknown.is_none() {
                    unknown = Some(r.name.to_string());
                }
            }
        });
        if let Some(u) = unknown {
            return Err(usage_error(format!(
                "--set {name}: {}",
                unknown_cell(&m, &u)
            )));
        }
        let old = m.definition(id).cloned();
        let def = Definition {
            percent: as_percent || expr.is_percent_literal(),
            expr,
            as_percent,
            line: 0,
            span: crate::syntax::Span::default(),
            doc: old.and_then(|d| d.doc),
        };
        m.define(name, def);
    }
    Ok(m)
}

/// Ends the use of a large value without freeing it: the process is about to
/// exit, and releasing a million cells one by one takes longer than the OS.
pub fn discard<T>(value: T) {
    std::mem::forget(value);
}

/// "no cell named 'x' (did you mean 'y'?)"
pub fn unknown_cell(model: &Model, name: &str) -> String {
    let mut msg = format!("no cell named '{name}' in {}", model.path);
    if let Some(s) = model.suggest(name) {
        msg.push_str(&format!(" (did you mean '{s}'?)"));
    }
    msg
}

/// The cells named on the command line, or all defined cells in file order when none.
pub fn cells_named(model: &Model, names: &[String]) -> Result<Vec<CellId>, Exit> {
    if names.is_empty() {
        return Ok(model.cells_in_order().to_vec());
    }
    names
        .iter()
        .map(|n| {
            model
                .defined(n)
                .ok_or_else(|| usage_error(unknown_cell(model, n)))
        })
        .collect()
}

/// Maps byte offsets to 1-based line and column, for one-line diagnostics.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `source`.
    pub fn new(source: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// (line, column) of a byte offset; the column counts characters.
    pub fn locate(&self, source: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let col = source
            .get(start..offset.min(source.len()))
            .map_or(0, |s| s.chars().count())
            + 1;
        (line, col)
    }
}
