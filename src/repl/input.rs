//! One input of the REPL, whatever its kind: a `:command`, a definition
//! `name = expression`, or a query `expression`. Shared by the terminal and
//! by piped scripts.

use crate::model::Definition;
use crate::syntax::split::{starts_statement, Scan};
use crate::syntax::{parse_expression, parse_statement, CellDef, Statement};
use crate::warning::{formula_slips, near_name, percent_slip, Warning};

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
        Ok(Statement::Cell(def)) => define(session, def, text),
        Ok(Statement::ScenarioOpen { .. } | Statement::BlockClose) => {
            Reply::error("scenarios are written in the model file; :scenario NAME switches to one")
        }
        Ok(Statement::Axis { .. }) => {
            Reply::error("axes are declared in the model file, with the series over them")
        }
        Ok(Statement::Import(_) | Statement::Assert(_)) => Reply::error(
            "imports and assertions are written in the model file; :reload reads it again",
        ),
        Ok(Statement::Unit(_)) => {
            Reply::error("units are declared in the model file, and are known once it is loaded")
        }
        Err(as_statement) => match parse_expression(text) {
            Ok((expr, hint)) => {
                let mut reply = match session.query(&expr, hint.as_ref()) {
                    Ok(v) => Reply::line(Line::value(v)),
                    Err(e) => Reply::error(e),
                };
                for w in formula_slips(&expr, text) {
                    reply.push(Line::warning(w.to_string()));
                }
                reply
            }
            // `x = 1 +` reads best as a definition gone wrong, `1 +` as a query.
            Err(as_expression) if !starts_statement(trimmed) => {
                Reply::error(as_expression.to_string())
            }
            Err(_) => Reply::error(as_statement.to_string()),
        },
    }
}

/// `name = expression` (or `capex[2025] = ...`, `capex[year] = ...`;
/// typed as `text`): a transaction that prints every value that moved,
/// then the slips it likely holds.
fn define(session: &mut Session, def: CellDef, text: &str) -> Reply {
    let name = def.name.to_string();
    let key = match &def.part {
        Some(part) => format!("{name}[{part}]"),
        None => name.clone(),
    };
    let model = session.model();
    let shown_as_percent = model
        .defined(&name)
        .and_then(|id| model.definition(id))
        .is_some_and(|d| d.percent);
    let warnings: Vec<Warning> = near_name(model, &name, def.name_span)
        .into_iter()
        .chain(percent_slip(
            &name,
            shown_as_percent,
            &def.expr,
            def.as_percent(),
        ))
        .chain(formula_slips(&def.expr, text))
        .collect();
    let def_part = def.part.clone();
    let definition = Definition::from_cell_def(def, 0, None);
    let draws = definition.draws;
    match session.define_written(&key, definition, text) {
        Ok(outcome) => {
            let mut reply = commands::outcome_reply(outcome);
            for w in &warnings {
                reply.push(Line::warning(w.to_string()));
            }
            // A range given or changed: its spread, as `:sim` shows it.
            // A pin shows its period; a rule, the whole series.
            let period = match &def_part {
                Some(crate::syntax::ast::Part::Pin(label)) => Some(*label),
                _ => None,
            };
            let cell = draws.then(|| session.model().defined(&name)).flatten();
            if let Some(at) = cell.map(|cell| crate::model::Address { cell, period }) {
                let settings = session.book().settings();
                reply
                    .lines
                    .extend(commands::sim_reply(session, at, settings).lines);
            }
            reply
        }
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

/// Gathers lines into complete inputs by the file's rule: a line, joined with
/// the following ones while a parenthesis is open, up to a line that begins a
/// new input. Scripts feed it line by line; the terminal feeds it what the
/// editor returns, which may be a pasted block of several inputs.
#[derive(Debug, Default)]
pub struct Joiner {
    pending: Option<String>,
}

impl Joiner {
    /// Takes the next line; returns the inputs it completes (none, one, or two
    /// when it ends an unclosed input and is complete itself).
    pub fn feed(&mut self, line: &str) -> Vec<String> {
        let mut done = Vec::new();
        if let Some(mut open) = self.pending.take() {
            if begins_new_input(line) {
                done.push(open);
            } else {
                open.push('\n');
                open.push_str(line);
                if is_open(&open) {
                    self.pending = Some(open);
                } else {
                    done.push(open);
                }
                return done;
            }
        }
        if is_open(line) {
            self.pending = Some(line.to_string());
        } else {
            done.push(line.to_string());
        }
        done
    }

    /// The input left open at the end, if any.
    pub fn finish(&mut self) -> Option<String> {
        self.pending.take()
    }

    /// Whether a block of text ends inside an input still open (the terminal then waits for more).
    pub fn is_unfinished(text: &str) -> bool {
        let mut joiner = Joiner::default();
        for l in text.split('\n') {
            joiner.feed(l);
        }
        joiner.pending.is_some()
    }

    /// Every input in a block of text.
    pub fn split(text: &str) -> Vec<String> {
        let mut joiner = Joiner::default();
        let mut inputs: Vec<String> = text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .flat_map(|l| joiner.feed(l))
            .collect();
        inputs.extend(joiner.finish());
        inputs
    }
}

#[cfg(test)]
mod tests {
    use super::Joiner;

    #[test]
    fn a_block_splits_into_inputs_by_the_file_rule() {
        assert_eq!(
            Joiner::split("a = (1 +\n 2)\ngap\n(x +\n:list\nb = (\nc = 1\n(1\n+ 2"),
            [
                "a = (1 +\n 2)",
                "gap",
                "(x +",
                ":list",
                "b = (",
                "c = 1",
                "(1\n+ 2"
            ]
        );
    }

    #[test]
    fn a_complete_line_is_given_at_once() {
        let mut j = Joiner::default();
        assert_eq!(j.feed("gap"), ["gap"]);
        assert!(j.feed("(gap +").is_empty());
        assert_eq!(j.feed(" 1)"), ["(gap +\n 1)"]);
        assert!(j.feed("(1").is_empty());
        assert_eq!(j.feed("x = 2"), ["(1", "x = 2"]);
        assert_eq!(j.finish(), None);
        assert!(Joiner::is_unfinished("x = (1 +"));
        assert!(Joiner::is_unfinished("gap\n(1 +\n 2"));
        assert!(!Joiner::is_unfinished("x = (1 +\n:list"));
    }
}
