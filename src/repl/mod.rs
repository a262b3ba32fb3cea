//! `premise repl [FILE]` (docs/language.md#repl): query any value, redefine any
//! assumption, see exactly what moved.
//!
//! - [`session`]: the state (file, scenario, the analyst's changes, undo) and
//!   every operation on it, as plain logic;
//! - [`input`]: one input line, whatever its kind; [`commands`]: the `:` table;
//! - [`line`]: the terminal front end (rustyline); [`script`]: piped input;
//! - [`reply`]: what the REPL says back, rendered by either front end.

pub mod commands;
pub mod complete;
pub mod input;
mod line;
pub mod pattern;
pub mod reply;
pub mod script;
pub mod session;

use std::io::IsTerminal;

use crate::cli::{load_model, Exit};

pub use session::Session;

/// Runs the REPL on `file` (or on an empty model): on the terminal when stdin
/// is one, else as a script read from stdin.
pub fn run(file: Option<&str>) -> Exit {
    let session = match file {
        Some(path) => match load_model(path) {
            Ok(model) => Session::new(model, Some(path.to_string())),
            Err(code) => return code,
        },
        None => Session::empty(),
    };
    if std::io::stdin().is_terminal() {
        line::run(session)
    } else {
        let mut session = session;
        let stdin = std::io::stdin();
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        let mut err = std::io::stderr().lock();
        script::run(&mut session, &mut stdin.lock(), &mut out, &mut err)
    }
}
