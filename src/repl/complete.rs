//! What Tab offers: `:commands`, scenario names after `:scenario `, unit
//! names inside `[...]`, and cell names everywhere else, a group at a time
//! (`rev` → `revenue.`, then `revenue.` → its members), the way a shell
//! completes directories; and after `capex[`, the series' axis and its periods.

use super::commands::COMMANDS;
use super::session::Session;

/// Commands whose argument is a cell name.
const TAKE_A_CELL: &[&str] = &["why", "explain", "deps", "uses", "show", "reset", "list"];

/// The byte position where the completed word starts, and the candidates for it,
/// sorted; a command that takes an argument ends in a space.
pub fn complete(session: &Session, line: &str, pos: usize) -> (usize, Vec<String>) {
    let before = line.get(..pos).unwrap_or(line);
    let indent = before.len() - before.trim_start().len();
    let typed = before.trim_start();
    if let Some(command_line) = typed.strip_prefix(':') {
        match command_line.find(char::is_whitespace) {
            None => {
                // A command that takes an argument comes with the space before it.
                let mut names: Vec<String> = COMMANDS
                    .iter()
                    .filter(|c| c.name.starts_with(command_line))
                    .map(|c| {
                        if c.usage.contains(' ') {
                            format!("{} ", c.name)
                        } else {
                            c.name.to_string()
                        }
                    })
                    .collect();
                names.sort();
                return (indent + 1, names);
            }
            Some(end) => {
                let command = command_line.get(..end).unwrap_or("");
                let start = word_start(before);
                let word = before.get(start..).unwrap_or("");
                let candidates = if command == "scenario" {
                    let mut names: Vec<String> = session
                        .scenario_names()
                        .into_iter()
                        .filter(|n| n.starts_with(word))
                        .map(str::to_string)
                        .collect();
                    names.sort();
                    names
                } else if TAKE_A_CELL.contains(&command) {
                    let mut names = cell_names(session, word);
                    if command == "reset" && "all".starts_with(word) {
                        names.push("all".to_string());
                        names.sort();
                    }
                    names
                } else {
                    Vec::new()
                };
                return (start, candidates);
            }
        }
    }
    if let Some(found) = periods(session, before) {
        return found;
    }
    let start = word_start(before);
    let word = before.get(start..).unwrap_or("");
    if in_brackets(before) {
        return (start, unit_names(session, word));
    }
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        return (start, Vec::new());
    }
    (start, cell_names(session, word))
}

/// After `capex[` (and what is typed of the period): the series' axis name
/// (its rule, `capex[year]`) and its periods, each closing the bracket.
fn periods(session: &Session, before: &str) -> Option<(usize, Vec<String>)> {
    let open = before.rfind('[')?;
    let typed = before.get(open + 1..)?;
    if !typed
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let name_start = word_start(before.get(..open)?);
    let name = before.get(name_start..open)?;
    let model = session.model();
    let id = model.defined(name)?;
    let axis = match session.book().computed(id) {
        Some(crate::eval::Computed::Series(s)) => model.axis(s.axis),
        _ => model.series(id).and_then(|s| model.axis(s.axis)),
    }?;
    let candidates = std::iter::once(axis.name.to_string())
        .chain(axis.labels().map(|l| l.to_string()))
        .filter(|c| c.starts_with(typed))
        .map(|c| format!("{c}]"))
        .collect();
    Some((open + 1, candidates))
}

/// Whether the text before the cursor is inside a unit's brackets (`700 [k`).
fn in_brackets(before: &str) -> bool {
    before
        .rfind('[')
        .is_some_and(|open| !before.get(open..).unwrap_or("").contains(']'))
}

/// Unit names starting with `word`: the built-in ones and those the model declares.
fn unit_names(session: &Session, word: &str) -> Vec<String> {
    let declared = session
        .model()
        .units
        .declared()
        .iter()
        .map(|d| d.name.to_string());
    let built_in = crate::value::unit::built_in_names().map(str::to_string);
    let mut out: Vec<String> = declared
        .chain(built_in)
        .filter(|n| n.starts_with(word))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Where the name being typed begins.
fn word_start(before: &str) -> usize {
    before
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_name_char(c))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.'
}

/// Defined names starting with `word`; a name in a deeper group is offered as
/// its group prefix (`revenue.`) instead.
fn cell_names(session: &Session, word: &str) -> Vec<String> {
    let model = session.model();
    let mut out: Vec<String> = Vec::new();
    for (_, name, _) in model.defined_cells() {
        let Some(rest) = name.strip_prefix(word) else {
            continue;
        };
        out.push(match rest.split_once('.') {
            Some((member, _)) => format!("{word}{member}."),
            None => name.to_string(),
        });
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::complete;
    use crate::model::Model;
    use crate::repl::session::Session;

    fn session() -> Session {
        let src = "gpu_spend = $50B\ngap = 1\nrevenue.meta = $10B\nrevenue.openai = $1B\n\
                   revenue.cloud.aws = 1\nscenario bear {\n  gap = 2\n}\nscenario bull {\n}\n";
        let model = Model::parse("m.model", src.to_string()).unwrap();
        Session::new(model, None)
    }

    #[test]
    fn cell_names_complete_a_group_at_a_time() {
        let s = session();
        assert_eq!(
            complete(&s, "g", 1),
            (0, vec!["gap".to_string(), "gpu_spend".to_string()])
        );
        assert_eq!(complete(&s, "rev", 3), (0, vec!["revenue.".to_string()]));
        assert_eq!(
            complete(&s, "x = revenue.", 12),
            (
                4,
                vec![
                    "revenue.cloud.".to_string(),
                    "revenue.meta".to_string(),
                    "revenue.openai".to_string()
                ]
            )
        );
        assert_eq!(
            complete(&s, "sum(revenue.o", 13),
            (4, vec!["revenue.openai".to_string()])
        );
        assert_eq!(complete(&s, "1 + 2", 5), (4, vec![]));
    }

    #[test]
    fn commands_and_their_arguments() {
        let s = session();
        assert_eq!(
            complete(&s, ":s", 2),
            (
                1,
                vec![
                    "save ".to_string(),
                    "save! ".to_string(),
                    "scenario ".to_string(),
                    "sens ".to_string(),
                    "show ".to_string(),
                    "sim ".to_string(),
                    "solve ".to_string(),
                    "sweep ".to_string()
                ]
            )
        );
        assert_eq!(
            complete(&s, ":scenario b", 11),
            (
                10,
                vec!["base".to_string(), "bear".to_string(), "bull".to_string()]
            )
        );
        assert_eq!(
            complete(&s, ":why gp", 7),
            (5, vec!["gpu_spend".to_string()])
        );
        assert_eq!(complete(&s, ":reset a", 8), (7, vec!["all".to_string()]));
        assert_eq!(complete(&s, ":help x", 7), (6, vec![]));
        assert_eq!(complete(&s, ":und", 4), (1, vec!["undo".to_string()]));
    }

    #[test]
    fn unit_names_inside_brackets() {
        let s = session();
        let names = |line: &str| complete(&s, line, line.len());
        assert_eq!(
            names("x = 700 [k"),
            (
                9,
                vec![
                    "kB".to_string(),
                    "kJ".to_string(),
                    "kW".to_string(),
                    "kWh".to_string()
                ]
            )
        );
        assert_eq!(
            names("$80 [/MW"),
            (6, vec!["MW".to_string(), "MWh".to_string()])
        );
        assert_eq!(names("x = 1 [GPU] + g").1, vec!["gap", "gpu_spend"]);
        assert!(names("x = 1 [").1.contains(&"yr".to_string()));
    }
}
