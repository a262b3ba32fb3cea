//! One input of the REPL, whatever its kind: a `:command`, a definition
//! `name = expression`, or a query `expression`. Shared by the terminal and
//! by piped scripts.

use crate::model::Definition;
use crate::syntax::split::{starts_statement, Scan};
use crate::syntax::{parse_expression, parse_statement, CellDef, Statement};

use super::commands;
use super::reply::{Line, Reply};
use super::session::Session;

/// Runs one complete input (possibly several lines while a parenthesis was open).
pub fn handle(session: &mut Session, text: &str) -> Reply {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Reply::none();
    }
    if let Some(command) = trimmed.strip_prefix(':') {
        return commands::run(session, command);
    }
    match parse_statement(text) {
        Ok(Statement::Cell(def)) => define(session, def),
        Ok(Statement::ScenarioOpen { .. } | Statement::BlockClose) => {
            Reply::error("scenarios are written in the model file; :scenario NAME switches to one")
        }
        Err(as_statement) => match parse_expression(text) {
            Ok((expr, as_percent)) => match session.query(&expr, as_percent) {
                Ok(v) => Reply::line(Line::value(v)),
                Err(e) => Reply::error(e),
            },
            // `x = 1 +` reads best as a definition gone wrong, `1 +` as a query.
            Err(as_expression) if !starts_statement(trimmed) => {
                Reply::error(as_expression.to_string())
            }
            Err(_) => Reply::error(as_statement.to_string()),
        },
    }
}

/// `name = expression`: a transaction that prints every value that moved.
fn define(session: &mut Session, def: CellDef) -> Reply {
    let name = def.name.to_string();
    match session.define(&name, Definition::from_cell_def(def, 0, None)) {
        Ok(outcome) => commands::outcome_reply(outcome),
        Err(e) => Reply::error(e),
    }
}

/// Whether `text` is an unfinished input: a parenthesis is still open.
pub fn is_open(text: &str) -> bool {
    let mut scan = Scan::default();
    for line in text.split('\n') {
        scan.line(line);
    }
    scan.depth > 0
}

/// Whether `line` cannot continue an unfinished input: it begins a definition
/// or a command. Like a model file, a script stops a statement left open there,
/// so that one missing `)` costs one statement, not the rest of the script.
pub fn begins_new_input(line: &str) -> bool {
    line.trim_start().starts_with(':') || starts_statement(line)
}
