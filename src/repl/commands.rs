//! The `:` commands of the REPL (docs/language.md#repl): one table, one function each.
//!
//! A command is a row of [`COMMANDS`]: its name, aliases, usage, one line of
//! help and the function that runs it. Adding one means adding a row and its
//! function; `:help`, completion and did-you-mean follow from the table.

use crate::explain::{self, DEFAULT_DEPTH};
use crate::model::Address;
use crate::suggest::{did_you_mean, Looked, Unknown};
use crate::syntax::CellId;
use crate::table::{pad_right, width};
use crate::value::Value;
use crate::whatif::{
    self, parse_between, solution_lines, table_lines, tornado_lines, Amount, Goal, Vary,
    WhatIfError,
};

use super::pattern::Pattern;
use super::reply::{Line, Reply, Stream, Style};
use super::session::{formula_of, Outcome, Session};

/// One `:` command.
pub struct Command {
    /// Its name, without the colon.
    pub name: &'static str,
    /// Other names it answers to.
    pub aliases: &'static [&'static str],
    /// How it is called, for `:help`.
    pub usage: &'static str,
    /// What it does, in one line.
    pub help: &'static str,
    /// Runs it with the text after its name (trimmed).
    pub run: fn(&mut Session, &str) -> Reply,
}

/// Every command, in the order `:help` lists them.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "why",
        aliases: &["explain"],
        usage: ":why NAME",
        help: "how NAME's value is derived, step by step (also :explain)",
        run: why,
    },
    Command {
        name: "deps",
        aliases: &[],
        usage: ":deps NAME",
        help: "the cells NAME reads, with their values",
        run: deps,
    },
    Command {
        name: "uses",
        aliases: &[],
        usage: ":uses NAME",
        help: "the cells that read NAME, with their values",
        run: uses,
    },
    Command {
        name: "inputs",
        aliases: &[],
        usage: ":inputs",
        help: "the inputs (cells that read no other cell), with their values",
        run: inputs,
    },
    Command {
        name: "list",
        aliases: &[],
        usage: ":list [PATTERN]",
        help: "cells and their values; PATTERN is a prefix or a glob such as revenue.*",
        run: list,
    },
    Command {
        name: "show",
        aliases: &[],
        usage: ":show NAME",
        help: "one cell: its doc, formula, value and unit",
        run: show,
    },
    Command {
        name: "changes",
        aliases: &[],
        usage: ":changes",
        help: "this session's redefinitions against the file",
        run: changes,
    },
    Command {
        name: "reset",
        aliases: &[],
        usage: ":reset NAME|all",
        help: "put NAME (or every cell) back to the file's definition",
        run: reset,
    },
    Command {
        name: "undo",
        aliases: &[],
        usage: ":undo",
        help: "take back the last redefinition or reset (repeat to go further back)",
        run: undo,
    },
    Command {
        name: "scenario",
        aliases: &[],
        usage: ":scenario NAME|base",
        help: "switch scenario (your changes stay applied on top); alone, name the current one",
        run: scenario,
    },
    Command {
        name: "reload",
        aliases: &[],
        usage: ":reload",
        help: "read the file again, keeping your changes that still apply",
        run: reload,
    },
    Command {
        name: "solve",
        aliases: &[],
        usage: ":solve CELL=VALUE INPUT [LO..HI]",
        help: "goal seek: the INPUT value that makes CELL equal VALUE",
        run: solve,
    },
    Command {
        name: "sweep",
        aliases: &[],
        usage: ":sweep INPUT=FROM..TO[:STEP] CELL,...",
        help: "a table of CELLs while INPUT varies",
        run: sweep,
    },
    Command {
        name: "sens",
        aliases: &[],
        usage: ":sens CELL [BY]",
        help: "rank the inputs by how much they swing CELL",
        run: sens,
    },
    Command {
        name: "sim",
        aliases: &[],
        usage: ":sim CELL [N]",
        help: "simulate CELL (N samples, default 10000): percentiles and a histogram",
        run: sim,
    },
    Command {
        name: "save",
        aliases: &[],
        usage: ":save [PATH]",
        help: "write the model with this session's changes (only their lines change)",
        run: save,
    },
    Command {
        name: "save!",
        aliases: &[],
        usage: ":save! [PATH]",
        help: "save even if the file changed on disk since it was loaded",
        run: save_force,
    },
    Command {
        name: "help",
        aliases: &["?"],
        usage: ":help",
        help: "this list",
        run: help,
    },
    Command {
        name: "quit",
        aliases: &["q", "exit"],
        usage: ":quit",
        help: "leave (Ctrl-D too)",
        run: quit,
    },
];

/// Finds a command by name or alias.
pub fn find(name: &str) -> Option<&'static Command> {
    COMMANDS
        .iter()
        .find(|c| c.name == name || c.aliases.contains(&name))
}

/// Runs `:name args` (given without the colon).
pub fn run(session: &mut Session, line: &str) -> Reply {
    let line = line.trim();
    let (name, args) = match line.find(char::is_whitespace) {
        Some(i) => (
            line.get(..i).unwrap_or(""),
            line.get(i..).unwrap_or("").trim(),
        ),
        None => (line, ""),
    };
    if let Some(c) = find(name) {
        return (c.run)(session, args);
    }
    let all = COMMANDS
        .iter()
        .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()));
    // An alias suggests the command it stands for.
    let closest = did_you_mean(name, all).map(|s| find(s).map_or(s, |c| c.name));
    Reply::error(Unknown::new(Looked::Command, name, closest))
}

/// The lines for an operation's outcome: what moved, then the notes.
pub fn outcome_reply(outcome: Outcome) -> Reply {
    let mut reply = Reply::none();
    for m in outcome.moved {
        let mut parts = vec![(Style::Plain, format!("{}  ", m.name))];
        if let Some(p) = m.periods {
            // A series: how many periods moved, the first and the last of them.
            let (first, last) = (p.first, p.last);
            parts.push((
                Style::Plain,
                format!("{} periods moved: {}: ", p.count, first.0),
            ));
            parts.push((Style::Old, first.1));
            parts.push((Style::Plain, " → ".to_string()));
            parts.push((Style::Value, first.2));
            parts.push((Style::Plain, format!(" … {}: ", last.0)));
            parts.push((Style::Old, last.1));
            parts.push((Style::Plain, " → ".to_string()));
            parts.push((Style::Value, last.2));
            reply.push(Line::styled(parts));
            continue;
        }
        match (m.old, m.new) {
            (Some(old), Some(new)) => {
                parts.push((Style::Old, old));
                parts.push((Style::Plain, " → ".to_string()));
                parts.push((Style::Value, new));
            }
            (None, Some(new)) => parts.push((Style::Value, new)),
            (Some(old), None) => {
                parts.push((Style::Old, old));
                parts.push((Style::Plain, " → ".to_string()));
                parts.push((Style::Dim, "(removed)".to_string()));
            }
            (None, None) => continue,
        }
        reply.push(Line::styled(parts));
    }
    for f in outcome.flipped {
        let line = if f.holds {
            vec![
                (Style::Value, "assertion holds again".to_string()),
                (Style::Plain, format!(" ({}): {}", f.place, f.claim)),
            ]
        } else {
            vec![
                (Style::Error, "assertion now fails".to_string()),
                (Style::Plain, format!(" ({}): {}", f.place, f.claim)),
                (Style::Dim, format!("; {}", f.why)),
            ]
        };
        reply.push(Line::styled(line));
    }
    if reply.lines.is_empty() && outcome.notes.is_empty() {
        reply.push(hint("no value changed"));
    }
    for n in outcome.notes {
        reply.push(Line::note(n));
    }
    reply
}

/// A remark for a terminal only; scripts drop it.
fn hint(text: &str) -> Line {
    Line {
        stream: Stream::Hint,
        parts: vec![(Style::Dim, text.to_string())],
    }
}

/// The one NAME argument of a command, as a defined cell.
fn cell_arg(session: &Session, args: &str, usage: &str) -> Result<CellId, Reply> {
    if args.is_empty() || args.contains(char::is_whitespace) {
        return Err(Reply::error(format!("usage: {usage}")));
    }
    session
        .model()
        .defined(args)
        .ok_or_else(|| Reply::error(session.model().unknown_name(args)))
}

/// A cell or one of its periods named as an argument (`capex`, `capex[2026]`).
fn address_arg(session: &Session, args: &str, usage: &str) -> Result<Address, Reply> {
    if args.is_empty() || args.contains(char::is_whitespace) {
        return Err(Reply::error(format!("usage: {usage}")));
    }
    // An unknown cell is said as for any name typed in the REPL.
    let cell = args.split('[').next().unwrap_or(args);
    if session.model().defined(cell).is_none() {
        return Err(Reply::error(session.model().unknown_name(cell)));
    }
    let at = session
        .model()
        .address(args)
        .map_err(|e| Reply::error(e.to_string()))?;
    match session.book().address_problem(at) {
        Some(problem) => Err(Reply::error(problem)),
        None => Ok(at),
    }
}

/// `name  value` lines, names padded to one width.
fn name_value_lines(session: &Session, ids: &[CellId]) -> Reply {
    let model = session.model();
    let named: Result<Vec<(CellId, &str)>, _> =
        ids.iter().map(|&c| model.name(c).map(|n| (c, n))).collect();
    let named = match named {
        Ok(named) => named,
        Err(e) => return Reply::error(e),
    };
    let name_width = named.iter().map(|&(_, n)| width(n)).max().unwrap_or(0);
    let uncertain = session.book().uncertain();
    let mut reply = Reply::none();
    for (c, name) in named {
        let (style, value) = match session.book().value(c) {
            Some(Err(e)) => (Style::Error, format!("error: {e}")),
            _ if model.definition(c).is_none() => (Style::Dim, "not defined".to_string()),
            _ => (
                Style::Value,
                crate::display::marked(
                    uncertain.get(c.index()).copied().unwrap_or(false),
                    false,
                    explain::shown(session.book(), c),
                ),
            ),
        };
        reply.push(Line::styled(vec![
            (Style::Plain, format!("{}  ", pad_right(name, name_width))),
            (style, value),
        ]));
    }
    reply
}

fn why(session: &mut Session, args: &str) -> Reply {
    let at = match address_arg(session, args, ":why NAME") {
        Ok(at) => at,
        Err(r) => return r,
    };
    let lines = match explain::tree(session.book(), at, DEFAULT_DEPTH) {
        Ok(lines) => lines,
        Err(e) => return Reply::error(e),
    };
    let mut reply = Reply::none();
    for line in lines {
        reply.push(Line::out(line));
    }
    reply
}

fn deps(session: &mut Session, args: &str) -> Reply {
    let id = match cell_arg(session, args, ":deps NAME") {
        Ok(id) => id,
        Err(r) => return r,
    };
    let model = session.model();
    let mut reads: Vec<CellId> = Vec::new();
    for c in model.deps(id) {
        if !reads.contains(&c) {
            reads.push(c);
        }
    }
    if reads.is_empty() {
        return Reply::line(Line::out(format!(
            "{args} reads no other cell: it is an input"
        )));
    }
    name_value_lines(session, &reads)
}

fn uses(session: &mut Session, args: &str) -> Reply {
    let id = match cell_arg(session, args, ":uses NAME") {
        Ok(id) => id,
        Err(r) => return r,
    };
    let graph = session.book().graph();
    let mut readers: Vec<CellId> = graph
        .readers(id)
        .into_iter()
        .filter(|&c| session.model().definition(c).is_some())
        .collect();
    readers.sort_by_key(|&c| graph.position(c));
    if readers.is_empty() {
        return Reply::line(Line::out(format!("no cell reads {args}")));
    }
    name_value_lines(session, &readers)
}

fn inputs(session: &mut Session, args: &str) -> Reply {
    if !args.is_empty() {
        return Reply::error("usage: :inputs");
    }
    let ids: Vec<CellId> = session.model().inputs().collect();
    if ids.is_empty() {
        return Reply::line(Line::out("no inputs"));
    }
    name_value_lines(session, &ids)
}

fn list(session: &mut Session, args: &str) -> Reply {
    if args.contains(char::is_whitespace) {
        return Reply::error("usage: :list [PATTERN]");
    }
    let pattern = Pattern::new(args);
    let model = session.model();
    let ids: Vec<CellId> = model
        .defined_cells()
        .filter(|&(_, name, _)| pattern.matches(name))
        .map(|(c, _, _)| c)
        .collect();
    if ids.is_empty() {
        let msg = if args.is_empty() {
            "no cells yet: define one with name = expression".to_string()
        } else {
            format!("no cell matches '{args}'")
        };
        return Reply::line(Line::out(msg));
    }
    name_value_lines(session, &ids)
}

fn show(session: &mut Session, args: &str) -> Reply {
    let id = match cell_arg(session, args, ":show NAME") {
        Ok(id) => id,
        Err(r) => return r,
    };
    let model = session.model();
    let Some(def) = model.definition(id) else {
        return Reply::error(session.model().unknown_name(args));
    };
    let mut reply = Reply::line(Line::styled(vec![(Style::Strong, args.to_string())]));
    let row = |label: &str, style: Style, text: String| {
        Line::styled(vec![(Style::Dim, format!("  {label:<8} ")), (style, text)])
    };
    if let Some(doc) = &def.doc {
        for (i, l) in doc.lines().enumerate() {
            let label = if i == 0 { "doc" } else { "" };
            reply.push(row(label, Style::Plain, l.to_string()));
        }
    }
    reply.push(row("formula", Style::Plain, formula_of(def)));
    // The value as a bare name shows it, `~` before an uncertain one's.
    let value_row = || {
        row(
            "value",
            Style::Value,
            crate::display::marked(
                session.book().is_uncertain(id),
                false,
                explain::shown(session.book(), id),
            ),
        )
    };
    match session.book().value(id) {
        Some(Ok(v)) => {
            reply.push(value_row());
            reply.push(row("exact", Style::Plain, crate::display::format_exact(v)));
            let unit = match v {
                // With what it measures: `MWh (energy)`.
                Value::Number { unit, .. } if !unit.is_dimensionless() => {
                    crate::eval::unit_named(unit)
                }
                Value::Number { .. } => "none".to_string(),
                Value::Bool(_) => "none (true or false)".to_string(),
            };
            reply.push(row("unit", Style::Plain, unit));
        }
        Some(Err(e)) => reply.push(row("value", Style::Error, format!("error: {e}"))),
        // A series: its periods, as a bare name shows them, and its unit.
        None if matches!(
            session.book().computed(id),
            Some(crate::eval::Computed::Series(_))
        ) =>
        {
            reply.push(value_row());
            let unit = match session.book().computed(id) {
                Some(crate::eval::Computed::Series(s)) => s.elements.iter().find_map(|e| match e {
                    Ok(Value::Number { unit, .. }) if !unit.is_dimensionless() => {
                        Some(crate::eval::unit_named(unit))
                    }
                    _ => None,
                }),
                _ => None,
            };
            reply.push(row(
                "unit",
                Style::Plain,
                unit.unwrap_or_else(|| "none".to_string()),
            ));
        }
        None => reply.push(row("value", Style::Dim, "not computed".to_string())),
    }
    // A cell of an imported file (or of an import's block) names its file.
    let file = if def.file.is_root() {
        session.path().unwrap_or("the file")
    } else {
        session.model().file_path(def.file)
    };
    let from = match (session.edit(args), session.base_definition(args)) {
        (Some(_), Some(base)) => format!("this session (file: {})", formula_of(&base)),
        (Some(_), None) => "this session (new cell)".to_string(),
        (None, _) if def.line > 0 && session.overridden_by_scenario(args) => {
            format!("scenario {}, {file} line {}", session.scenario(), def.line)
        }
        (None, _) if def.line > 0 => format!("{file} line {}", def.line),
        (None, _) => "this session".to_string(),
    };
    reply.push(row("defined", Style::Plain, from));
    reply
}

fn changes(session: &mut Session, args: &str) -> Reply {
    if !args.is_empty() {
        return Reply::error("usage: :changes");
    }
    let edits = session.edits();
    if edits.is_empty() {
        return Reply::line(Line::out("no changes in this session"));
    }
    let name_width = edits.iter().map(|e| width(&e.name)).max().unwrap_or(0);
    let mut reply = Reply::none();
    for e in edits {
        let before = match session.base_definition(&e.name) {
            Some(b) => (Style::Old, formula_of(&b)),
            None => (Style::Dim, "(new)".to_string()),
        };
        reply.push(Line::styled(vec![
            (
                Style::Plain,
                format!("{}  ", pad_right(&e.name, name_width)),
            ),
            before,
            (Style::Plain, " → ".to_string()),
            (Style::Value, formula_of(&e.def)),
        ]));
    }
    reply
}

fn reset(session: &mut Session, args: &str) -> Reply {
    if args.is_empty() || args.contains(char::is_whitespace) {
        return Reply::error("usage: :reset NAME|all");
    }
    if args == "all" {
        return match session.reset_all() {
            Ok(o) => outcome_reply(o),
            Err(e) => Reply::error(e),
        };
    }
    match session.reset(args) {
        Ok(o) => outcome_reply(o),
        Err(e) => Reply::error(e),
    }
}

fn undo(session: &mut Session, args: &str) -> Reply {
    if !args.is_empty() {
        return Reply::error("usage: :undo");
    }
    match session.undo() {
        Ok((what, outcome)) => {
            let mut reply = Reply::line(hint(&format!("undid {what}")));
            let rest = outcome_reply(outcome);
            reply.lines.extend(rest.lines);
            reply
        }
        Err(e) => Reply::error(e),
    }
}

fn scenario(session: &mut Session, args: &str) -> Reply {
    if args.is_empty() {
        return Reply::line(Line::out(format!(
            "scenario {} (the scenarios are {})",
            session.scenario(),
            session.scenario_names().join(", ")
        )));
    }
    if args.contains(char::is_whitespace) {
        return Reply::error("usage: :scenario NAME|base");
    }
    match session.switch_scenario(args) {
        Ok(o) => outcome_reply(o),
        Err(e) => Reply::error(e),
    }
}

fn reload(session: &mut Session, args: &str) -> Reply {
    if !args.is_empty() {
        return Reply::error("usage: :reload");
    }
    match session.reload() {
        Ok(o) => outcome_reply(o),
        Err(e) => Reply::error(e),
    }
}

/// A what-if answer as REPL lines: the answer's text, its notes, its errors.
fn answer_reply(lines: Vec<String>, notes: &[String], errors: Vec<String>) -> Reply {
    let mut reply = Reply::none();
    for l in lines {
        reply.push(Line::out(l));
    }
    for n in notes {
        reply.push(Line::note(n.as_str()));
    }
    for e in errors {
        reply.push(Line::error(e));
    }
    reply
}

/// `:solve CELL=VALUE INPUT [LO..HI]`, against the session's model; offers the answer as a redefinition.
fn solve(session: &mut Session, args: &str) -> Reply {
    const USAGE: &str = "usage: :solve CELL=VALUE INPUT [LO..HI]";
    let mut words: Vec<&str> = args.split_whitespace().collect();
    let between = match words.last() {
        Some(w) if w.contains("..") && words.len() >= 3 => words.pop(),
        _ => None,
    };
    let Some(input) = words.pop() else {
        return Reply::error(USAGE);
    };
    // The goal is the words before the input: `gap=$1 [W]` holds a space.
    let goal = words.join(" ");
    if !goal.contains('=') {
        return Reply::error(USAGE);
    }
    let solution = Goal::parse(&goal).and_then(|goal| {
        let between = between.map(parse_between).transpose()?;
        whatif::solve(session.book(), &goal, input, between)
    });
    match solution {
        Ok(s) => {
            let mut reply = answer_reply(solution_lines(&s, false), &s.notes, Vec::new());
            reply.push(hint(&format!("apply it: {} = {}", s.input.name, s.formula)));
            reply
        }
        Err(e) => Reply::error(e),
    }
}

/// `:sweep INPUT=FROM..TO[:STEP] [INPUT2=...] CELL,...`, against the session's model.
fn sweep(session: &mut Session, args: &str) -> Reply {
    let (varies, cells): (Vec<&str>, Vec<&str>) =
        args.split_whitespace().partition(|w| w.contains('='));
    let show: Vec<String> = cells
        .iter()
        .flat_map(|c| c.split(','))
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    if varies.is_empty() || show.is_empty() {
        return Reply::error("usage: :sweep INPUT=FROM..TO[:STEP] CELL,...");
    }
    let table = varies
        .into_iter()
        .map(Vary::parse)
        .collect::<Result<Vec<Vary>, WhatIfError>>()
        .and_then(|varies| whatif::sweep(session.book(), &varies, &show));
    match table {
        Ok(t) => answer_reply(table_lines(&t, false), &t.notes, t.errors()),
        Err(e) => Reply::error(e),
    }
}

/// `:sens CELL [BY]`, against the session's model.
fn sens(session: &mut Session, args: &str) -> Reply {
    let words: Vec<&str> = args.split_whitespace().collect();
    let (cell, by) = match words.as_slice() {
        [cell] => (*cell, "10%"),
        [cell, by] => (*cell, *by),
        _ => return Reply::error("usage: :sens CELL [BY, e.g. 10%]"),
    };
    match whatif::sensitivity(session.book(), cell, &Amount::Formula(by.to_string())) {
        Ok(t) => answer_reply(tornado_lines(&t), &t.notes, t.errors()),
        Err(e) => Reply::error(e),
    }
}

/// `:sim CELL [N]`: the cell's spread over a simulation of the session's
/// model (`capex[2026]` for one period; a series cell named whole gives each
/// period's percentiles).
fn sim(session: &mut Session, args: &str) -> Reply {
    const USAGE: &str = ":sim CELL [N]";
    let words: Vec<&str> = args.split_whitespace().collect();
    let (cell, samples) = match words.as_slice() {
        [cell] => (*cell, None),
        [cell, n] => (*cell, Some(*n)),
        _ => return Reply::error(format!("usage: {USAGE}")),
    };
    let at = match address_arg(session, cell, USAGE) {
        Ok(at) => at,
        Err(r) => return r,
    };
    let mut settings = session.book().settings();
    if let Some(n) = samples {
        match crate::uncertainty::report::parse_samples(n) {
            Ok(n) => settings.samples = n,
            Err(e) => return Reply::error(e),
        }
    }
    sim_reply(session, at, settings)
}

/// A cell's percentiles and histogram over a simulation (`:sim`, and after a
/// range is redefined); a series cell's percentiles period by period.
pub fn sim_reply(session: &Session, at: Address, settings: crate::uncertainty::Settings) -> Reply {
    let book = session.book();
    let model = book.model();
    let percent = model.definition(at.cell).is_some_and(|d| d.percent);
    let label = match model.address_text(at) {
        Ok(label) => label,
        Err(e) => return Reply::error(e),
    };
    let heading = Reply::line(Line::out(format!(
        "{label}: {}, seed {}",
        settings.counted(),
        settings.seed
    )));
    if let (Some(crate::eval::Computed::Series(s)), None) = (book.computed(at.cell), at.period) {
        let periods: Vec<Address> = s
            .periods()
            .map(|(label, _)| Address {
                cell: at.cell,
                period: Some(label),
            })
            .collect();
        return series_spread(
            heading,
            book.simulate(&periods, settings),
            &periods,
            percent,
        );
    }
    let mut reply = heading;
    let Some(outcome) = book.simulate(&[at], settings).pop() else {
        return Reply::none();
    };
    match outcome.spread() {
        crate::eval::Spread::Number { summary, unit } => {
            for l in crate::uncertainty::report::histogram_lines(
                &outcome.numbers,
                &summary,
                &unit,
                percent,
            ) {
                reply.push(Line::out(l));
            }
        }
        crate::eval::Spread::Share(share) => {
            reply.push(Line::out(crate::uncertainty::report::share_words(share)))
        }
        crate::eval::Spread::Failed => {}
    }
    if let Some(why) = outcome.failure() {
        reply.push(Line::error(why));
    }
    reply
}

/// A series' spread as a table, a row a period (p5, p50, p95, mean; for a
/// condition, the share true), the first failure of each period that
/// failed, then the histogram of the last period that has numbers.
fn series_spread(
    mut reply: Reply,
    outcomes: Vec<crate::eval::Outcome>,
    periods: &[Address],
    percent: bool,
) -> Reply {
    use crate::eval::Spread;
    use crate::table::{Align, Table};
    let spreads: Vec<Spread> = outcomes.iter().map(crate::eval::Outcome::spread).collect();
    // A condition's periods: some shares, no numbers (a series failing in
    // every period is not one).
    let conditions = spreads.iter().any(|s| matches!(s, Spread::Share(_)))
        && !spreads.iter().any(|s| matches!(s, Spread::Number { .. }));
    let mut table = Table::new(&[Align::Left, Align::Right]);
    let header: &[&str] = if conditions {
        &["period", "true in"]
    } else {
        &["period", "p5", "p50", "p95", "mean"]
    };
    table.row(header.iter().map(|h| h.to_string()).collect());
    let mut failures = Vec::new();
    let mut last_numbers = None;
    for ((at, outcome), spread) in periods.iter().zip(&outcomes).zip(spreads) {
        let label = at.period.map(|p| p.to_string()).unwrap_or_default();
        let mut row = vec![label.clone()];
        match spread {
            Spread::Number { summary, unit } => {
                for x in [summary.p5, summary.p50, summary.p95, summary.mean] {
                    row.push(crate::display::format_number(x, &unit, percent));
                }
                last_numbers = Some((label.clone(), outcome, summary, unit));
            }
            Spread::Share(share) if conditions => {
                row.push(crate::display::format_value(&Value::number(share), true));
            }
            Spread::Share(share) => row.push(crate::uncertainty::report::share_words(share)),
            Spread::Failed => row.push("error".to_string()),
        }
        if let Some(why) = outcome.failure() {
            failures.push(format!("{label}: {why}"));
        }
        table.row(row);
    }
    for line in table.lines() {
        reply.push(Line::out(line));
    }
    for f in failures {
        reply.push(Line::error(f));
    }
    if let Some((label, outcome, summary, unit)) = last_numbers {
        reply.push(Line::out(format!("{label}:")));
        let lines =
            crate::uncertainty::report::histogram_lines(&outcome.numbers, &summary, &unit, percent);
        // The percentiles are in the table above: the bars alone.
        for l in lines.into_iter().skip(1) {
            reply.push(Line::out(l));
        }
    }
    reply
}

fn save(session: &mut Session, args: &str) -> Reply {
    save_with(session, args, false)
}

fn save_force(session: &mut Session, args: &str) -> Reply {
    save_with(session, args, true)
}

fn save_with(session: &mut Session, args: &str, force: bool) -> Reply {
    let path = (!args.is_empty()).then_some(args);
    match session.save(path, force) {
        Ok(summary) => Reply::line(Line::out(summary)),
        Err(e) => Reply::error(e),
    }
}

fn help(_session: &mut Session, _args: &str) -> Reply {
    let mut rows: Vec<(&str, &str)> = vec![
        ("expression", "print its value: gap, required_revenue / 2"),
        (
            "name = expression",
            "define or redefine a cell; prints every value that moved",
        ),
    ];
    rows.extend(COMMANDS.iter().map(|c| (c.usage, c.help)));
    let usage_width = rows.iter().map(|(u, _)| width(u)).max().unwrap_or(0);
    let mut reply = Reply::none();
    for (usage, text) in rows {
        let pad = usage_width - width(usage);
        reply.push(Line::styled(vec![
            (Style::Strong, usage.to_string()),
            (Style::Plain, format!("{}  {text}", " ".repeat(pad))),
        ]));
    }
    reply
}

fn quit(_session: &mut Session, _args: &str) -> Reply {
    Reply {
        lines: Vec::new(),
        quit: true,
    }
}
