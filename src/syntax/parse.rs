//! The calls to pest: one statement, a bare expression, and runs of
//! one-line statements read in one call, each handed to [`super::build`].
//!
//! A run only saves pest's fixed cost per call (its state, token queue and
//! line index, about a third of reading a short statement): it reads each
//! statement with the same rules as `statement` does. Whatever a run does
//! not read cleanly, each statement on its own line and nothing more, is read
//! again on its own, which also gives every error its message.

use std::borrow::Cow;

use pest::error::InputLocation;
use pest::Parser;

use super::ast::{Expr, Hint, Span};
use super::build::{self, Place, Tokens};
use super::error::SyntaxError;
use super::grammar::{PremiseParser, Rule};
use super::messages::{friendly, too_deep};
use super::split::{RawStatement, Scan, MAX_NESTING};
use super::{Located, Statement};

/// Parses one statement whose text begins `offset` bytes into the file;
/// spans are the file's.
pub(super) fn statement(text: &str, offset: usize) -> Result<Statement, SyntaxError> {
    let read = as_pest_reads(text);
    let mut pairs = PremiseParser::parse(Rule::statement, &read)
        .map_err(|e| friendly(e, text).shifted(offset))?;
    let whole = Span::new(offset, offset + text.len());
    let mut inner = pairs
        .next()
        .ok_or_else(|| internal(whole))?
        .into_inner()
        .peekable();
    let place = Place {
        offset,
        end: text.len(),
        written: text,
    };
    match Tokens::next(&mut inner) {
        Some(Ok(tokens)) => tokens.build(place),
        Some(Err(span)) => Err(internal(span.shifted(offset))),
        None => Err(SyntaxError::new(whole, "empty statement", "here")),
    }
}

/// Parses a bare expression, optionally ending in a hint; spans are `text`'s.
pub(super) fn expression(text: &str) -> Result<(Expr, Option<Hint>), SyntaxError> {
    let mut scan = Scan::default();
    for line in text.split('\n') {
        scan.line(line);
    }
    if scan.max_depth + scan.ifs > MAX_NESTING {
        return Err(too_deep(Span::new(0, text.len())));
    }
    let whole = Span::new(0, text.len());
    let read = as_pest_reads(text);
    let mut pairs =
        PremiseParser::parse(Rule::expression_input, &read).map_err(|e| friendly(e, text))?;
    let top = pairs.next().ok_or_else(|| internal(whole))?;
    let place = Place {
        offset: 0,
        end: text.len(),
        written: text,
    };
    build::expression_input(top.into_inner(), place)?
        .ok_or_else(|| SyntaxError::new(whole, "empty expression", "here"))
}

/// `text` as pest reads a statement on its own: each comment filled with
/// `#` up to its line's end (the grammar's `s` reads it as layout), and any
/// NUL made U+0001, which the grammar reads alike (as nothing), as a NUL
/// ends a statement in a run of lines. The same text where there is neither.
fn as_pest_reads(text: &str) -> Cow<'_, str> {
    if !text.bytes().any(|b| b == b'#' || b == 0) {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    let mut in_comment = false;
    let mut quoting = super::split::Quoting::default();
    for b in &mut bytes {
        if !in_comment && (*b == b'"' || quoting.inside) {
            // A `#` in a string is text.
            quoting.step(*b);
            if *b != 0 {
                continue;
            }
        }
        match *b {
            b'\n' => in_comment = false,
            b'#' => in_comment = true,
            _ if in_comment => *b = b'#',
            0 => *b = 1,
            _ => {}
        }
    }
    // Every byte of a comment is replaced, a character's included, and a
    // NUL is one byte as U+0001 is: still UTF-8, at the same offsets.
    String::from_utf8(bytes).map_or(Cow::Borrowed(text), Cow::Owned)
}

/// Parses one statement of a file and places it there.
pub(super) fn located(raw: &RawStatement<'_>) -> Result<Located, SyntaxError> {
    let span = Span::new(raw.offset, raw.offset + raw.text.len());
    if raw.nesting > MAX_NESTING {
        return Err(too_deep(span));
    }
    Ok(Located {
        statement: statement(raw.text, raw.offset)?,
        line: raw.line,
        span,
        doc: raw.doc.clone(),
    })
}

/// Statements read by one call of `lines` at most: long enough to make
/// pest's fixed cost per call vanish, short enough that a run spoiled by one
/// unusual statement costs little to read again.
const RUN: usize = 64;

/// Parses statements of `source`, in file order: runs of consecutive
/// one-line statements in one call each, anything else one at a time.
pub(super) fn batch(
    source: &str,
    statements: &[RawStatement<'_>],
    out: &mut impl FnMut(Result<Located, SyntaxError>),
) {
    let mut rest = statements;
    while let Some(first) = rest.first() {
        let run = consecutive_lines(source, rest, RUN);
        let taken = match rest.get(..run) {
            Some(lines) if run > 1 => self::run(lines, out),
            _ => 0,
        };
        rest = rest.get(taken..).unwrap_or(&[]);
        if taken < run.max(1) {
            // The run stopped at this statement (or there was none): read it alone.
            out(located(rest.first().unwrap_or(first)));
            rest = rest.get(1..).unwrap_or(&[]);
        }
    }
}

/// How many statements from the first of `raws`, at most `max`, can be read
/// in one run: each on a line of its own, with no layout before or after it
/// and no comment, the lines one after the other.
fn consecutive_lines(source: &str, raws: &[RawStatement<'_>], max: usize) -> usize {
    let tight = |r: &RawStatement<'_>| {
        r.lines == 1
            && r.nesting <= MAX_NESTING
            && !r.comment
            && !r.text.starts_with(char::is_whitespace)
            && !r.text.ends_with(char::is_whitespace)
    };
    let mut count = 0;
    let mut end = None;
    for raw in raws.iter().take(max) {
        if !tight(raw) {
            break;
        }
        if let Some(end) = end {
            let between = source.get(end..raw.offset);
            if between != Some("\n") && between != Some("\r\n") {
                break;
            }
        }
        end = Some(raw.offset + raw.text.len());
        count += 1;
    }
    count
}

/// Reads `lines` (statements [`consecutive_lines`] took) with one call of
/// `lines` and hands out the statements it read cleanly, from the first: how
/// many. Their line breaks are NUL characters in the text pest reads.
fn run(lines: &[RawStatement<'_>], out: &mut impl FnMut(Result<Located, SyntaxError>)) -> usize {
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return 0;
    };
    let start = first.offset;
    // The statements at their places, a NUL for each byte of a line break.
    let mut text = String::with_capacity(last.offset + last.text.len() - start);
    for raw in lines {
        let at = raw.offset - start;
        while text.len() < at {
            text.push('\0');
        }
        text.push_str(raw.text);
    }
    let pairs = match PremiseParser::parse(Rule::lines, &text) {
        Ok(pairs) => pairs,
        Err(e) => {
            // pest stopped inside one statement: read those before it again.
            let at = start
                + match e.location {
                    InputLocation::Pos(p) => p,
                    InputLocation::Span((p, _)) => p,
                };
            let good = lines
                .iter()
                .take_while(|r| r.offset + r.text.len() < at)
                .count();
            return match lines.get(..good) {
                Some([one]) => {
                    out(located(one));
                    1
                }
                // Strictly fewer lines than this run: the recursion ends.
                Some(before) if good > 1 && good < lines.len() => run(before, out),
                _ => 0,
            };
        }
    };
    let mut pairs = match pairs.into_iter().next() {
        Some(top) => top.into_inner().peekable(),
        None => return 0,
    };
    let mut taken = 0;
    for raw in lines {
        let Some(Ok(tokens)) = Tokens::next(&mut pairs) else {
            break;
        };
        // Each statement's tokens must be exactly its line; anything else is
        // read the slow way, from this statement on.
        let (line_start, line_end) = (raw.offset - start, raw.offset - start + raw.text.len());
        if tokens.extent() != (line_start, line_end) {
            break;
        }
        let place = Place {
            offset: start,
            end: line_end,
            written: &text,
        };
        out(match tokens.build(place) {
            Ok(statement) => Ok(Located {
                statement,
                line: raw.line,
                span: Span::new(raw.offset, raw.offset + raw.text.len()),
                doc: raw.doc.clone(),
            }),
            // Its message is the one the statement gets on its own.
            Err(_) => located(raw),
        });
        taken += 1;
    }
    taken
}

/// A parse tree of a shape the grammar cannot produce; reported, never a panic.
fn internal(span: Span) -> SyntaxError {
    SyntaxError::new(
        span,
        "premise could not read this statement (internal error)",
        "here",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parts::parse_in_parts;
    use crate::syntax::split::{self, Piece};
    use crate::syntax::ParsedFile;

    /// The file as each statement reads on its own, with `statement`.
    fn one_at_a_time(source: &str) -> ParsedFile {
        let mut out = ParsedFile::default();
        for piece in split::pieces(source) {
            if let Piece::Statement(raw) = piece {
                match located(&raw) {
                    Ok(s) => out.statements.push(s),
                    Err(e) => out.errors.push(e),
                }
            }
        }
        out
    }

    /// Reading a file in runs of lines, and in parts (as big files are read,
    /// down to a line a part), gives exactly what reading each statement on
    /// its own gives: the same statements, spans, docs, lines and errors.
    fn assert_read_as_alone(source: &str, what: &str) {
        let alone = one_at_a_time(source);
        for size in [1, 7, 40, 300, usize::MAX] {
            let mut parts = ParsedFile::default();
            parse_in_parts(
                source,
                size,
                |r| r,
                |r| match r {
                    Ok(s) => parts.statements.push(s),
                    Err(e) => parts.errors.push(e),
                },
            );
            assert_eq!(
                parts.statements, alone.statements,
                "{what}, parts of {size}"
            );
            assert_eq!(parts.errors, alone.errors, "{what}, parts of {size}");
        }
    }

    /// On real models, generated ones, and mixes where statements a run
    /// cannot take (layout around them, comments, lines that continue, units
    /// on the next line, errors) interrupt runs anywhere.
    #[test]
    fn runs_and_parts_read_every_statement_as_it_reads_alone() {
        let mut files: Vec<(String, String)> = Vec::new();
        for dir in ["models", "tests/cases/ok", "tests/cases/fail"] {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path.display().to_string(), text));
            }
        }
        for w in [
            crate::workload::Workload::W1,
            crate::workload::Workload::W2,
            crate::workload::Workload::W3,
        ] {
            files.push((format!("{w:?}"), crate::workload::workload_text(w, 300)));
        }
        // `^` chains and parentheses around the depth limit.
        for operands in [397, 398, 399, 400, 401] {
            let chain = vec!["a"; operands].join(" ^ ");
            files.push((
                format!("chain {operands}"),
                format!("a = 1\np = {chain}\nq = 2\n"),
            ));
            let k = operands / 2;
            let nested = format!("{}1{}", "(".repeat(k), ")".repeat(k));
            files.push((
                format!("parens {k}"),
                format!("a = 1\np = {nested}\nq = 2\n"),
            ));
        }
        let pool = [
            "a = 1",
            "b = a * 2 + 1",
            "c.d = b - a / 3",
            "x = true",
            "y = if a > 1 then b else c.d",
            "y2 = if a > 1 then b else c.d  # note",
            "z = sum(c.*)",
            "z2 = sum (c.*)",
            "w = a  + b",
            "w2 = a+b",
            "v = a + b  # note",
            "## documented",
            "# comment",
            "",
            "   ",
            "u = (a +",
            "  b)",
            "t = a +",
            "+ 2",
            "s = 50% * $2B",
            "r = a / b as %",
            "r2 = a as %",
            "scenario bear {",
            "  a = 2",
            "}",
            "scenario bull { a = 3 }",
            "q = 1 [W]",
            "q2 = 1",
            "[W]",
            "a = 3",
            "p = not a",
            "p2 = -a ^ 2",
            "o = x5 ^ 2 ^ 3",
            "n = a.if",
            "if = 2",
            "m = 1e3 + 5K",
            "l = 1 [W",
            "]",
            "k = 2\n[W]",
            "true.x = 2",
            "j = true.x",
            "i = not.x + false.y",
            "h = and.x",
            "if.x = 1",
            "g = if.x + then.y",
            "f = 5 [W] * 2",
            "f2 = 5 apples",
            "e = 1_000 + 0.5 - 2.",
            "d = 007 + 1.50 * 12",
            "c = 5K / 1e3 + 50%",
            "b.x = 3 [W]",
            "b2 = a\t*\tb",
            "b3 = a < b < c",
            "b4 = summ(1)",
            "b5 = 1e999999999",
            "  indented = 4",
            "trailing = 5 ",
            "nul = 5\u{0}",
            "nul2 = a\u{0}+ b",
        ];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for round in 0..300 {
            let mut lines = Vec::new();
            for _ in 0..(round % 150) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let pick = (seed >> 33) as usize % pool.len();
                lines.push(pool[pick]);
            }
            let ending = if round % 7 == 0 { "\r\n" } else { "\n" };
            files.push((format!("mix {round}"), lines.join(ending)));
        }
        for (what, text) in &files {
            assert_read_as_alone(text, what);
        }
    }

    /// A NUL in a statement is nothing the grammar knows, as anywhere (runs
    /// of lines use it between statements): the message names it as written.
    #[test]
    fn a_nul_in_a_statement_is_named_in_the_message() {
        let err = statement("x = 5\u{0}", 0).unwrap_err();
        assert_eq!(
            err.message,
            "expected an operator or the end of the statement, found a control character (U+0000)"
        );
        let err = expression("1 +\u{0} 2").unwrap_err();
        assert!(
            err.message.ends_with("found a control character (U+0000)"),
            "{err:?}"
        );
    }

    /// A comment is layout wherever white space is, but a unit does not
    /// follow a number across one (the unit must come before the comment).
    #[test]
    fn comments_are_layout_but_no_unit_follows_one() {
        let with = statement("x = (1 + # one\n  2) # two", 0).unwrap();
        let without = statement("x = (1 +\n  2)", 0).unwrap();
        let formula = |s: &Statement| match s {
            Statement::Cell(c) => crate::syntax::formula_text(&c.expr),
            _ => String::new(),
        };
        assert_eq!(formula(&with), formula(&without));
        assert!(statement("x = (5\n  [W])", 0).is_ok());
        assert!(statement("x = (5 # watts\n  [W])", 0).is_err());
        // The unit keeps what was written in its brackets.
        let Ok(Statement::Cell(c)) = statement("x = (5 [W # watts\n])", 0) else {
            panic!("a comment inside a unit's brackets is layout");
        };
        assert_eq!(crate::syntax::formula_text(&c.expr), "(5 [W#watts])");
    }
}
