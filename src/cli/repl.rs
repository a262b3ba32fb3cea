//! `premise repl [FILE]`: the REPL on the terminal when stdin is one, else
//! as a script read from stdin (see [`crate::repl`]).

use std::io::IsTerminal;

use super::common::{load_model, Exit};
use crate::repl::line::{self, TerminalError};
use crate::repl::script::{self, Verdict};
use crate::repl::Session;

/// Runs the REPL on `file` (or on an empty model).
pub fn repl(file: Option<&str>) -> Exit {
    let session = match file {
        Some(path) => match load_model(path) {
            Ok(model) => Session::loaded(model, Some(path.to_string())),
            Err(code) => return code,
        },
        None => Session::empty(),
    };
    if std::io::stdin().is_terminal() {
        return match line::run(session) {
            Ok(()) => Exit::Ok,
            Err(e) => {
                eprintln!("error: {e}");
                match e {
                    TerminalError::Unusable(_) => Exit::Usage,
                    TerminalError::Read(_) => Exit::Failed,
                }
            }
        };
    }
    let mut session = session;
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = std::io::stderr().lock();
    match script::run(&mut session, &mut stdin.lock(), &mut out, &mut err) {
        Verdict::Ok => Exit::Ok,
        Verdict::Failed => Exit::Failed,
    }
}
