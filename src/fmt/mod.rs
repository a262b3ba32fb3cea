//! `premise fmt`: one canonical layout for model files (docs/language.md#formatting), so that
//! text diffs of models stay small and reviews see only real changes.
//!
//! The layout is built on a lossless view of the file ([`split`]: every
//! statement and every blank or comment line, in order), never by printing
//! the syntax tree alone, so no comment is ever lost. The rules:
//!
//! - single spaces around `=` and binary operators, none inside parentheses
//!   or before commas; no alignment across lines; literals as written;
//! - a comment after a statement is kept, two spaces after it;
//! - comment and `##` doc lines stay where they were, indented like the
//!   statements around them;
//! - scenario overrides are indented two spaces; `scenario NAME {` and `}`
//!   are not;
//! - a statement written over several lines (inside parentheses) keeps its
//!   line breaks and comments; its continuation lines are indented two spaces
//!   per open parenthesis;
//! - at most one blank line in a row, none at the start or the end; one final
//!   line ending (CRLF when the file's first line ends in CRLF, else LF);
//! - a statement that cannot be re-spaced safely is left exactly as written.

mod layout;

use crate::file::line_ending;
use crate::syntax::split::{split, Piece};
use crate::syntax::{parse_file, parse_statement, Statement, SyntaxError};

pub use layout::{canonical_text, cell_text, lay_out, INDENT};

/// The canonical layout of a model file's text; the syntax errors when it does not parse
/// (a file with errors is never reformatted).
pub fn format_source(source: &str) -> Result<String, Vec<SyntaxError>> {
    let parsed = parse_file(source);
    if !parsed.errors.is_empty() {
        return Err(parsed.errors);
    }
    // The statements parsed above come in file order, as the split gives them.
    let mut parsed = parsed.statements.into_iter().peekable();
    let mut lines: Vec<String> = Vec::new();
    let mut in_scenario = false;
    for piece in split(source) {
        match piece {
            Piece::Trivia(t) => {
                let text = t.text.trim();
                if text.is_empty() {
                    if lines.last().is_some_and(|l| !l.is_empty()) {
                        lines.push(String::new());
                    }
                } else {
                    let indent = if in_scenario { INDENT } else { 0 };
                    lines.push(format!("{}{text}", " ".repeat(indent)));
                }
            }
            Piece::Statement(raw) => {
                let statement = match parsed.next_if(|l| l.span.start() == raw.offset) {
                    Some(located) => located.statement,
                    None => parse_statement(raw.text).map_err(|e| vec![e.shifted(raw.offset)])?,
                };
                let indent = match statement {
                    Statement::BlockClose => 0,
                    _ if in_scenario => INDENT,
                    _ => 0,
                };
                match &statement {
                    Statement::ScenarioOpen { closed: None, .. } => in_scenario = true,
                    Statement::Import(i) if i.block == Some(crate::syntax::Block::Open) => {
                        in_scenario = true
                    }
                    Statement::BlockClose => in_scenario = false,
                    _ => {}
                }
                lines.extend(layout::lay_out(raw.text, &statement, indent));
            }
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    if lines.is_empty() {
        return Ok(String::new());
    }
    let newline = line_ending(source);
    let mut out = lines.join(newline);
    out.push_str(newline);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(s: &str) -> String {
        format_source(s).unwrap()
    }

    #[test]
    fn blank_lines_collapse_and_trim() {
        assert_eq!(fmt("\n\na = 1\n\n\n\nb = 2\n\n\n"), "a = 1\n\nb = 2\n");
        assert_eq!(fmt("a = 1"), "a = 1\n");
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("\n  \n"), "");
    }

    #[test]
    fn comments_and_docs_stay_in_place() {
        let src = "# title\n   ## doc of a\na=1   # why\n\n# end\n";
        assert_eq!(fmt(src), "# title\n## doc of a\na = 1  # why\n\n# end\n");
    }

    #[test]
    fn scenario_bodies_are_indented() {
        let src = "m = 50%\nscenario bear {\nm=40%\n      # note\n    }\n";
        assert_eq!(
            fmt(src),
            "m = 50%\nscenario bear {\n  m = 40%\n  # note\n}\n"
        );
    }

    #[test]
    fn crlf_files_stay_crlf() {
        assert_eq!(fmt("a=1\r\nb=2\r\n"), "a = 1\r\nb = 2\r\n");
    }

    #[test]
    fn parse_errors_refuse() {
        let errors = format_source("a = 1\nb = (2 +\nc = *\n").unwrap_err();
        assert_eq!(errors.len(), 2);
    }

    #[test]
    fn idempotent_on_the_bundled_models() {
        for path in [
            "models/ai_200b.model",
            "models/dc_power.model",
            "models/gpu_cloud.model",
            "models/ai_buildout.model",
            "models/loan.model",
        ] {
            let src = std::fs::read_to_string(path).unwrap();
            let once = fmt(&src);
            assert_eq!(fmt(&once), once, "{path}");
        }
    }
}
