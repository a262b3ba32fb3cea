//! What every command does first: load the model (printing diagnostics),
//! pick the scenario, apply `--set`, and find the cells named on the line.

use crate::diagnostic::{self, Diagnostic};
use crate::eval::Workbook;
use crate::file::{io_words, Access};
use crate::internal::InternalError;
use crate::model::{load_file, slot_of, split_name, Definition, LoadError, Model, ModelError};
use crate::source::OneText;
use crate::syntax::CellId;

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
    /// premise's own failure: a broken invariant (an [`InternalError`]) or a
    /// crash, never the model's fault.
    Internal = 3,
}

/// Prints `internal error: ...` on stderr, asking for a report, and returns
/// the exit code for it.
pub fn internal_error(error: &InternalError) -> Exit {
    eprintln!("{error} (please report this with the model that caused it)");
    Exit::Internal
}

/// Prints `error: ...` on stderr.
pub fn usage_error(message: impl std::fmt::Display) -> Exit {
    eprintln!("error: {message}");
    Exit::Usage
}

/// What became of writing the results to stdout: a closed pipe (`| head`)
/// is no error; any other failure is I/O trouble, said once here.
pub fn output_written(written: std::io::Result<()>) -> Result<(), Exit> {
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(usage_error(format!(
            "cannot write the output: {}",
            io_words(&e, Access::Write)
        ))),
        _ => Ok(()),
    }
}

/// The workbook, if no cell met an internal error computing; otherwise the
/// error is said (`internal error: ...`) and the exit code to stop with
/// comes back, so that no command shows values computed past a broken
/// invariant.
pub fn sound(book: Workbook) -> Result<Workbook, Exit> {
    match book.internal_error() {
        Some(e) => Err(internal_error(&e)),
        None => Ok(book),
    }
}

/// Loads a model, printing every diagnostic on failure, and returns the exit code to stop with.
pub fn load_model(path: &str) -> Result<Model, Exit> {
    load_file(path).map_err(report_load_error)
}

/// Prints why a model could not be loaded and returns the exit code to stop with.
pub fn report_load_error(error: LoadError) -> Exit {
    match &error {
        LoadError::Io(_) => usage_error(error),
        LoadError::NotText { .. } => {
            eprintln!("error: {error}");
            Exit::Failed
        }
        LoadError::Invalid { model, errors } => {
            let diagnostics: Vec<Diagnostic> = errors.iter().map(ModelError::diagnostic).collect();
            diagnostic::emit(&**model, &diagnostics);
            eprintln!("error: {error}; nothing was evaluated");
            Exit::Failed
        }
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
            return Err(usage_error(model.unknown_scenario(n)));
        }
    }
    Ok(names)
}

/// The model under `scenario` with every `--set` applied.
pub fn prepare(model: &Model, scenario: &str, sets: &[String]) -> Result<Model, Exit> {
    let Some(m) = model.with_scenario(scenario) else {
        return Err(usage_error(model.unknown_scenario(scenario)));
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

/// Applies `--set NAME=EXPR` flags in order; NAME may be a part of a
/// series: `capex[2025]` (a pin) or `capex[year]` (the rule).
fn apply_sets(mut m: Model, sets: &[String]) -> Result<Model, Exit> {
    for s in sets {
        let Some((key, expr_text)) = s.split_once('=') else {
            return Err(usage_error(format!("--set needs NAME=EXPR, got '{s}'")));
        };
        let (name, part) = split_name(key).map_err(usage_error)?;
        let Some(id) = m.defined(name) else {
            return Err(usage_error(m.unknown_cell(name)));
        };
        let slot = slot_of(part.as_ref());
        let axis_name = match &part {
            Some(crate::syntax::ast::Part::Rule { axis }) => Some(axis.to_string()),
            _ => None,
        };
        let axis = m
            .slot_axis(name, slot, axis_name.as_deref())
            .map_err(|e| usage_error(format!("--set {}: {e}", key.trim())))?;
        let mut def = match Definition::parse(expr_text) {
            Ok(d) => d,
            Err(e) => {
                let text = diagnostic::render(
                    &OneText {
                        path: "--set",
                        text: expr_text,
                    },
                    &[Diagnostic::from(&e)],
                    diagnostic::stderr_color(),
                );
                eprint!("{text}");
                return Err(usage_error(format!(
                    "cannot read the value of --set {name}"
                )));
            }
        };
        let mut unknown = None;
        def.expr.visit_names(|n| {
            if let crate::syntax::ast::Name::Cell(r) = n {
                let known = m.defined(r.name).is_some() || m.axis_named(r.name).is_some();
                if !known && unknown.is_none() {
                    unknown = Some(r.name.to_string());
                }
            }
        });
        if let Some(u) = unknown {
            return Err(usage_error(format!("--set {name}: {}", m.unknown_cell(&u))));
        }
        let shown_as_percent = m.definition(id).is_some_and(|d| d.percent);
        let slips: Vec<Diagnostic> =
            crate::warning::percent_slip(name, shown_as_percent, &def.expr, def.as_percent())
                .into_iter()
                .chain(crate::warning::formula_slips(&def.expr, expr_text))
                .map(|mut w| {
                    // Drawn under the whole flag's value, `margin=50`.
                    w.span = w.span.shifted(s.len() - expr_text.len());
                    w
                })
                .collect();
        if !slips.is_empty() {
            let text = diagnostic::render(
                &OneText {
                    path: "--set",
                    text: s,
                },
                &slips,
                diagnostic::stderr_color(),
            );
            eprint!("{text}");
        }
        def.doc = m
            .slot(id, slot)
            .or_else(|| m.definition(id))
            .and_then(|d| d.doc.clone());
        m.define_slot(name, slot, axis, def);
    }
    Ok(m)
}

/// Ends the use of a large value without freeing it: the process is about to
/// exit, and releasing a million cells one by one takes longer than the OS.
pub fn discard<T>(value: T) {
    std::mem::forget(value);
}

/// The cells named on the command line, or, when none, the model's own
/// defined cells (not the imported ones) in file order, each with its name.
pub fn cells_named<'a>(
    model: &'a Model,
    names: &'a [String],
) -> Result<Vec<(CellId, &'a str)>, Exit> {
    if names.is_empty() {
        return Ok(model.own_cells().map(|(id, name, _)| (id, name)).collect());
    }
    names
        .iter()
        .map(|n| match model.defined(n) {
            Some(id) => Ok((id, n.as_str())),
            None => Err(usage_error(model.unknown_cell(n))),
        })
        .collect()
}

/// A model file's text, let go once parsed: a million-cell file's text is
/// tens of megabytes that `get` and `eval` need only to place an error
/// message (`file:line:col`). What is kept tells whether the file still
/// holds the same text when it is read again for that. A text that cannot
/// be read again (not a regular file: a pipe, `<(...)`) stays in the model.
pub struct SetAside {
    /// The length and hash of the text let go; `None` if it stayed.
    taken: Option<(usize, u64)>,
}

impl SetAside {
    /// Takes the text out of `model` (which keeps its path) and frees it.
    pub fn of(model: &mut Model) -> SetAside {
        if !std::fs::metadata(&model.path).is_ok_and(|m| m.is_file()) {
            return SetAside::none();
        }
        let text = std::mem::take(&mut model.source);
        SetAside {
            taken: Some((text.len(), crate::model::text_hash(&text))),
        }
    }

    /// Nothing set aside: the model keeps its text.
    pub fn none() -> SetAside {
        SetAside { taken: None }
    }

    /// The text: `in_model` if it stayed there, else read again from
    /// `path`; `None` if the file no longer holds it.
    pub fn text<'a>(&self, path: &str, in_model: &'a str) -> Option<std::borrow::Cow<'a, str>> {
        let Some((len, hash)) = self.taken else {
            return Some(in_model.into());
        };
        let bytes = std::fs::read(path).ok()?;
        let text = crate::model::text_of(path, bytes).ok()?;
        (text.len() == len && crate::model::text_hash(&text) == hash).then_some(text.into())
    }
}
