//! The canonical layout of one statement, keeping its line breaks and comments.
//!
//! The canonical spacing comes from printing the parsed statement
//! ([`formula_text`]); the line breaks and comments come from the text as
//! written. Both are cut into the same tokens, so the canonical spacing is
//! used between tokens on one line, and each line break of the original is
//! kept where it was (continuation lines indented two spaces per open
//! parenthesis). The result is parsed again and must give the same
//! statement and the same comments, else the statement is left verbatim:
//! fmt never changes what a model means and never drops a comment.

use crate::syntax::{
    formula_text, parse_statement, quoted, same_formula, Block, CellDef, Statement,
};

/// Spaces per level of indentation (scenario bodies, open parentheses).
pub const INDENT: usize = 2;

/// The lines of `raw` (one statement as written, parsed as `statement`) in
/// canonical layout, indented by `indent` spaces.
pub fn lay_out(raw: &str, statement: &Statement, indent: usize) -> Vec<String> {
    match canonical_lines(raw, statement, indent) {
        Some(lines) if unchanged(raw, &lines) || is_faithful(raw, statement, &lines) => lines,
        _ => verbatim(raw),
    }
}

/// The statement as written, line by line (line endings normalised).
pub fn verbatim(raw: &str) -> Vec<String> {
    raw.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
        .collect()
}

/// One-line canonical text of a statement.
pub fn canonical_text(statement: &Statement) -> String {
    match statement {
        Statement::Cell(c) => cell_text(c),
        Statement::ScenarioOpen { name, closed, .. } => match closed {
            None => format!("scenario {name} {{"),
            Some(None) => format!("scenario {name} {{}}"),
            Some(Some(c)) => format!("scenario {name} {{ {} }}", cell_text(c)),
        },
        Statement::BlockClose => "}".to_string(),
        Statement::Axis {
            name, first, last, ..
        } => format!("axis {name} = {first}..{last}"),
        Statement::Import(i) => {
            let head = format!("import {} as {}", quoted(&i.path), i.alias);
            match &i.block {
                None => head,
                Some(Block::Open) => format!("{head} {{"),
                Some(Block::Closed(None)) => format!("{head} {{}}"),
                Some(Block::Closed(Some(c))) => format!("{head} {{ {} }}", cell_text(c)),
            }
        }
        Statement::Assert(a) => match &a.message {
            None => format!("assert {}", formula_text(&a.condition)),
            Some(m) => format!("assert {}, {}", formula_text(&a.condition), quoted(m)),
        },
        Statement::Unit(u) => unit_text(u),
    }
}

/// `unit NAME` or `unit NAME = factor`, the factor's units as written.
fn unit_text(u: &crate::syntax::UnitDecl) -> String {
    match &u.factor {
        Some(f) => format!("unit {} = {}", u.name, formula_text(f)),
        None => format!("unit {}", u.name),
    }
}

/// `name = formula` (`name[year] = formula` for a series' part), with its
/// hint (` as %`, ` as [UNIT]`) when it has one.
pub fn cell_text(c: &CellDef) -> String {
    let formula = crate::syntax::print::written_with(&c.expr, c.hint.as_deref());
    match &c.part {
        None => format!("{} = {formula}", c.name),
        Some(part) => format!("{}[{part}] = {formula}", c.name),
    }
}

/// A token of a statement and the text before it (spaces, comments, line breaks).
#[derive(Debug, PartialEq)]
struct Token<'a> {
    gap: &'a str,
    text: &'a str,
}

/// Cuts a statement into tokens; returns them and the text after the last one.
///
/// Tokens are runs of name, number and symbol characters (`gpu_spend`,
/// `$1.5B`, `revenue.`, `50%`) or single other characters. The cut need not
/// match the grammar's tokens: it is applied to both texts alike, and the
/// result is checked by parsing.
fn tokens(text: &str) -> (Vec<Token<'_>>, &str) {
    let mut out = Vec::new();
    let mut gap_start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        if c == '#' {
            while chars.next_if(|&(_, c)| c != '\n').is_some() {}
            continue;
        }
        let mut end = i + c.len_utf8();
        if is_word(c) {
            while let Some((j, d)) = chars.next_if(|&(_, d)| is_word(d)) {
                end = j + d.len_utf8();
            }
        }
        out.push(Token {
            gap: text.get(gap_start..i).unwrap_or(""),
            text: text.get(i..end).unwrap_or(""),
        });
        gap_start = end;
    }
    (out, text.get(gap_start..).unwrap_or(""))
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(c, '_' | '.' | '$' | '%')
        || (!c.is_ascii() && !c.is_whitespace())
}

/// The comment in one line of a gap, without the spaces around it.
fn comment_in(segment: &str) -> Option<&str> {
    segment
        .find('#')
        .map(|at| segment.get(at..).unwrap_or("").trim_end())
}

/// Every comment of a statement, in order.
fn comments(text: &str) -> Vec<&str> {
    let (toks, tail) = tokens(text);
    toks.iter()
        .map(|t| t.gap)
        .chain(std::iter::once(tail))
        .flat_map(|gap| gap.split('\n').filter_map(comment_in))
        .collect()
}

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

/// Lays the canonical tokens out on the original's lines; `None` when the
/// two texts do not cut into the same tokens.
fn canonical_lines(raw: &str, statement: &Statement, indent: usize) -> Option<Vec<String>> {
    let canonical = canonical_text(statement);
    let (written, tail) = tokens(raw);
    let (wanted, _) = tokens(&canonical);
    if written.len() != wanted.len() || written.iter().zip(&wanted).any(|(w, c)| w.text != c.text) {
        return None;
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = spaces(indent);
    let mut depth = 0usize;
    for (i, (w, c)) in written.iter().zip(&wanted).enumerate() {
        if i > 0 {
            if w.gap.contains('\n') {
                let segments: Vec<&str> = w.gap.split('\n').collect();
                if let Some(comment) = segments.first().and_then(|s| comment_in(s)) {
                    line.push_str("  ");
                    line.push_str(comment);
                }
                lines.push(std::mem::take(&mut line));
                let inner = segments
                    .get(1..segments.len().saturating_sub(1))
                    .unwrap_or(&[]);
                for segment in inner {
                    match comment_in(segment) {
                        Some(comment) => {
                            lines.push(format!("{}{comment}", spaces(indent + INDENT * depth)))
                        }
                        None if lines.last().is_some_and(|l| !l.is_empty()) => {
                            lines.push(String::new())
                        }
                        None => {}
                    }
                }
                let level = if w.text == ")" {
                    depth.saturating_sub(1)
                } else {
                    depth
                };
                line = spaces(indent + INDENT * level);
            } else {
                line.push_str(c.gap);
            }
        }
        line.push_str(w.text);
        match w.text {
            "(" => depth += 1,
            ")" => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    if let Some(comment) = comment_in(tail) {
        line.push_str("  ");
        line.push_str(comment);
    }
    lines.push(line);
    Some(lines)
}

/// Whether the lines are the statement as written but for the first line's
/// indentation: then there is nothing to check (the common case in a tidy file).
fn unchanged(raw: &str, lines: &[String]) -> bool {
    let mut written = raw.trim_start().split('\n');
    let mut laid = lines.iter();
    if laid.next().map(|l| l.trim_start()) != written.next() {
        return false;
    }
    laid.map(String::as_str).eq(written)
}

/// Whether the laid-out lines parse to the same statement with the same comments.
fn is_faithful(raw: &str, statement: &Statement, lines: &[String]) -> bool {
    let text = lines.join("\n");
    let Ok(again) = parse_statement(&text) else {
        return false;
    };
    same_statement(statement, &again) && comments(raw) == comments(&text)
}

/// Two statements say the same, as written (literals spelled alike, parentheses alike).
fn same_statement(a: &Statement, b: &Statement) -> bool {
    match (a, b) {
        (Statement::Cell(x), Statement::Cell(y)) => same_cell(x, y),
        (
            Statement::ScenarioOpen {
                name: n, closed: x, ..
            },
            Statement::ScenarioOpen {
                name: m, closed: y, ..
            },
        ) => {
            n == m
                && match (x, y) {
                    (None, None) | (Some(None), Some(None)) => true,
                    (Some(Some(x)), Some(Some(y))) => same_cell(x, y),
                    _ => false,
                }
        }
        (Statement::BlockClose, Statement::BlockClose) => true,
        (
            Statement::Axis {
                name: n,
                first: a,
                last: b,
                ..
            },
            Statement::Axis {
                name: m,
                first: c,
                last: d,
                ..
            },
        ) => n == m && a == c && b == d,
        (Statement::Import(x), Statement::Import(y)) => {
            x.path == y.path
                && x.alias == y.alias
                && match (&x.block, &y.block) {
                    (None, None)
                    | (Some(Block::Open), Some(Block::Open))
                    | (Some(Block::Closed(None)), Some(Block::Closed(None))) => true,
                    (Some(Block::Closed(Some(x))), Some(Block::Closed(Some(y)))) => same_cell(x, y),
                    _ => false,
                }
        }
        (Statement::Assert(x), Statement::Assert(y)) => {
            x.message == y.message
                && same_formula(&x.condition, &y.condition)
                && formula_text(&x.condition) == formula_text(&y.condition)
        }
        (Statement::Unit(x), Statement::Unit(y)) => unit_text(x) == unit_text(y),
        _ => false,
    }
}

fn same_cell(x: &CellDef, y: &CellDef) -> bool {
    x.name == y.name
        && x.part == y.part
        && x.hint.as_deref().map(crate::syntax::Hint::text)
            == y.hint.as_deref().map(crate::syntax::Hint::text)
        && same_formula(&x.expr, &y.expr)
        && formula_text(&x.expr) == formula_text(&y.expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(raw: &str) -> String {
        let statement = parse_statement(raw).unwrap();
        lay_out(raw, &statement, 0).join("\n")
    }

    #[test]
    fn single_spaces_around_operators() {
        assert_eq!(fmt("a=b*c+d"), "a = b * c + d");
        assert_eq!(fmt("x   =   -y ^ 2"), "x = -y ^ 2");
        assert_eq!(
            fmt("c = ai_revenue/required_revenue   as   %"),
            "c = ai_revenue / required_revenue as %"
        );
        assert_eq!(fmt("t = SUM( revenue.* )"), "t = SUM(revenue.*)");
        assert_eq!(fmt("p = 700[W]"), "p = 700 [W]");
        assert_eq!(
            fmt("q = if a>b then 1 else 2"),
            "q = if a > b then 1 else 2"
        );
        assert_eq!(fmt("n = not(a)and b"), "n = not (a) and b");
    }

    #[test]
    fn literals_stay_as_written() {
        assert_eq!(
            fmt("a = 1_000+1e-3+$1.5B*2.5E6"),
            "a = 1_000 + 1e-3 + $1.5B * 2.5E6"
        );
        assert_eq!(fmt("m = -$3M"), "m = -$3M");
    }

    #[test]
    fn trailing_comment_two_spaces_away() {
        assert_eq!(fmt("a = 1 # one"), "a = 1  # one");
        assert_eq!(fmt("a = 1#one   "), "a = 1  #one");
    }

    #[test]
    fn line_breaks_and_inner_comments_are_kept() {
        let raw = "total = (a +   # first\n      # between\n\n\n    b\n        )  # end";
        assert_eq!(
            fmt(raw),
            "total = (a +  # first\n  # between\n\n  b\n)  # end"
        );
        assert_eq!(fmt(&fmt(raw)), fmt(raw));
    }

    #[test]
    fn nested_continuations_indent_by_depth() {
        let raw = "x = max(\na,\nmin(\nb,\nc\n)\n)";
        assert_eq!(fmt(raw), "x = max(\n  a,\n  min(\n    b,\n    c\n  )\n)");
    }

    #[test]
    fn scenario_one_liner() {
        assert_eq!(
            fmt("scenario  bear{margin=40%}"),
            "scenario bear { margin = 40% }"
        );
        assert_eq!(fmt("scenario bear {"), "scenario bear {");
        assert_eq!(fmt("scenario bear { }"), "scenario bear {}");
    }

    #[test]
    fn comments_are_found_everywhere() {
        assert_eq!(
            comments("a = (1 + # x\n # y\n 2) # z"),
            vec!["# x", "# y", "# z"]
        );
    }
}
