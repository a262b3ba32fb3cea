//! `premise watch FILE [CELL...]`: the model re-evaluated on every save,
//! and what moved since the last save printed as the REPL prints it after a
//! redefinition (`margin  50% → 60%`), with the diagnostics of the cells
//! that fail. A save that does not parse is reported and the last good
//! values kept; a file that goes away is waited for. Ctrl-C stops it.
//!
//! The watching is a [`Session`] reloaded at each save ([`Session::reload`]
//! finds what moved), and its outcome is printed by the REPL's own
//! [`outcome_reply`]: one way to say what moved.

use std::io::Write;
use std::time::{Duration, SystemTime};

use super::common::{output_written, usage_error, Exit};
use crate::check::failures;
use crate::diagnostic::{self, Diagnostic};
use crate::model::{LoadError, Model, ModelError};
use crate::repl::commands::outcome_reply;
use crate::repl::reply::Stream;
use crate::repl::session::{Outcome, SessionError};
use crate::repl::Session;
use crate::syntax::CellId;

/// How often the file is looked at.
const POLL: Duration = Duration::from_millis(150);

/// What identifies one version of the file without reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

fn stamp(path: &str) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
    })
}

/// The stamps of the files the model was read from besides its own (its
/// imports, as last loaded): a save of any of them is a new version too.
fn import_stamps(model: &Model) -> Vec<Option<Stamp>> {
    model
        .imported_files()
        .iter()
        .map(|f| stamp(&f.path))
        .collect()
}

/// `premise watch FILE [CELL...]`
pub fn watch(out: &mut dyn Write, file: &str, cells: &[String]) -> Exit {
    if let Err(e) = std::fs::metadata(file) {
        return usage_error(crate::file::FileError::read(file, e));
    }
    // An empty session on the file: the first load reports every cell as new,
    // which is the first screen.
    let mut session = Session::new(Model::new(file, String::new()), Some(file.to_string()));
    let mut loaded_once = false;
    let mut last: Option<Stamp> = None;
    let mut imports: Vec<Option<Stamp>> = Vec::new();
    let mut gone = false;
    eprintln!("watching {file} (Ctrl-C stops)");
    loop {
        let now = stamp(file);
        match now {
            None if !gone => {
                gone = true;
                eprintln!("note: {file} is gone; waiting for it to come back");
            }
            Some(s) if Some(s) != last || import_stamps(session.model()) != imports => {
                gone = false;
                last = Some(s);
                let result = session.reload();
                imports = import_stamps(session.model());
                match result {
                    Ok(mut outcome) => {
                        if !loaded_once {
                            // "reloaded FILE": not for the first screen.
                            if !outcome.notes.is_empty() {
                                outcome.notes.remove(0);
                            }
                            loaded_once = true;
                            if let Some(unknown) =
                                cells.iter().find(|c| session.model().defined(c).is_none())
                            {
                                return usage_error(session.model().unknown_cell(unknown));
                            }
                        }
                        if print_outcome(out, &session, outcome, cells).is_err() {
                            return Exit::Ok;
                        }
                    }
                    Err(SessionError::Load(e)) => report_load(&e, loaded_once),
                    Err(e) => eprintln!("error: {e}"),
                }
            }
            _ => {}
        }
        std::thread::sleep(POLL);
    }
}

/// Prints what moved (only `cells`, when named) and the failing cells' diagnostics.
fn print_outcome(
    out: &mut dyn Write,
    session: &Session,
    mut outcome: Outcome,
    cells: &[String],
) -> Result<(), Exit> {
    if !cells.is_empty() {
        outcome.moved.retain(|m| cells.contains(&m.name));
    }
    let color = diagnostic::stdout_color();
    for line in outcome_reply(outcome).lines {
        match line.stream {
            Stream::Out | Stream::Hint => {
                output_written(writeln!(out, "{}", line.render(color)))?;
            }
            Stream::Note => eprintln!("note: {}", line.plain()),
            Stream::Err | Stream::Warning => eprintln!("{}", line.plain()),
        }
    }
    output_written(out.flush())?;
    let book = session.book();
    let model = book.model();
    let wanted: Vec<CellId> = cells.iter().filter_map(|c| model.defined(c)).collect();
    let reports: Vec<Diagnostic> =
        failures(book, None, &|id| !cells.is_empty() && !wanted.contains(&id))
            .roots
            .into_iter()
            .map(|(_, d)| d)
            .chain(if cells.is_empty() {
                crate::assertions::failures(book, None)
            } else {
                Vec::new()
            })
            .collect();
    diagnostic::emit(model, &reports);
    Ok(())
}

/// A save that does not load: its errors, and a word on the values kept.
fn report_load(e: &LoadError, loaded_once: bool) {
    match e {
        LoadError::Invalid { model, errors } => {
            let diagnostics: Vec<Diagnostic> = errors.iter().map(ModelError::diagnostic).collect();
            diagnostic::emit(&**model, &diagnostics);
        }
        other => eprintln!("error: {other}"),
    }
    if loaded_once {
        eprintln!("note: {e}; the values above are from the last save that loaded");
    } else {
        eprintln!("note: {e}; waiting for a save that loads");
    }
}
