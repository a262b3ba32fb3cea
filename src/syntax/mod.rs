//! Reading `.model` text: statements, formulas and their spans (docs/language.md).
//!
//! The grammar lives in `grammar/premise.pest`. A file is split into
//! statements ([`split`]), each statement is parsed by pest on its own, and
//! `build` turns pest's pairs into the [`ast`].

pub mod ast;
mod build;
pub mod error;
mod literal;
pub mod print;
mod same;
pub mod split;

use pest::error::{ErrorVariant, InputLocation};
use pest::Parser;

pub use ast::{CellId, Expr, ExprKind, Span};
pub use error::SyntaxError;
pub use print::formula_text;
pub use same::same_formula;

use split::{Piece, MAX_NESTING};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/premise.pest"]
struct PremiseParser;

/// `name = expression [as %]`: a cell, or a scenario's override of one.
#[derive(Clone, Debug, PartialEq)]
pub struct CellDef {
    /// The cell's name.
    pub name: Box<str>,
    /// Where the name was written.
    pub name_span: Span,
    /// The formula.
    pub expr: Expr,
    /// Marked `as %`.
    pub as_percent: bool,
    /// The whole definition.
    pub span: Span,
}

impl CellDef {
    /// Shown as a percentage: `as %`, or a single percent literal (docs/language.md#display).
    pub fn shows_percent(&self) -> bool {
        self.as_percent || self.expr.is_percent_literal()
    }
}

/// What one statement says.
#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    /// A cell definition (or, inside a scenario, an override).
    Cell(CellDef),
    /// `scenario NAME {`; `closed` holds the body of the one-line form `scenario NAME { x = 1 }`.
    ScenarioOpen {
        /// The scenario's name.
        name: Box<str>,
        /// Where the name was written.
        name_span: Span,
        /// `Some` when the block closes on the same line, with its one override if any.
        closed: Option<Option<CellDef>>,
    },
    /// `}`
    BlockClose,
}

/// A parsed statement and where it stands in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Located {
    /// The statement.
    pub statement: Statement,
    /// 1-based first line.
    pub line: u32,
    /// Its text's span in the file.
    pub span: Span,
    /// `##` doc lines directly above.
    pub doc: Option<Box<str>>,
}

/// A whole file, read statement by statement.
#[derive(Clone, Debug, Default)]
pub struct ParsedFile {
    /// The statements that parsed, in file order.
    pub statements: Vec<Located>,
    /// Every statement that did not.
    pub errors: Vec<SyntaxError>,
}

/// Parses a model file; every bad statement is reported, not only the first.
pub fn parse_file(source: &str) -> ParsedFile {
    let mut out = ParsedFile::default();
    parse_each(source, |r| match r {
        Ok(s) => out.statements.push(s),
        Err(e) => out.errors.push(e),
    });
    out
}

/// Bytes of the file per part handed to a parsing thread (about 13,000
/// one-line statements): large enough that handing parts between threads
/// costs nothing, small enough that the threads parsing and the one
/// building the model stay busy together and that few trees are in flight.
const PART: usize = 1 << 18;

/// Parses a model file statement by statement, in file order, handing each
/// result to `sink`. Large files are parsed on all cores: statements are
/// independent of each other. The calling thread runs `sink` on one part
/// while the other threads split and parse the next ones.
pub fn parse_each(source: &str, sink: impl FnMut(Result<Located, SyntaxError>)) {
    parse_each_with(source, |r| r, sink);
}

/// [`parse_each`], with `prepare` run on each result by the parsing threads
/// before it reaches `sink`: work done there is done in parallel, and memory
/// first touched there is not touched first by the thread running `sink`.
pub fn parse_each_with<T: Send>(
    source: &str,
    prepare: impl Fn(Result<Located, SyntaxError>) -> T + Sync,
    sink: impl FnMut(T),
) {
    parse_in_parts(source, PART, prepare, sink);
}

/// A part of the file: bytes `start..end`, beginning on line `line`.
#[derive(Clone, Copy)]
struct Part {
    start: usize,
    end: usize,
    line: u32,
}

/// The file cut into parts of about `size` bytes where statements may
/// begin (see [`split::cut_after`]), each with its first line's number.
fn parts(source: &str, size: usize) -> impl Iterator<Item = Part> + '_ {
    let (mut start, mut line) = (0, 1u32);
    std::iter::from_fn(move || {
        if start >= source.len() {
            return None;
        }
        let end = split::cut_after(source, start, size);
        let part = Part { start, end, line };
        let breaks = source
            .as_bytes()
            .get(start..end)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count());
        line = line.saturating_add(u32::try_from(breaks).unwrap_or(u32::MAX));
        start = end;
        Some(part)
    })
}

/// The statements of one part, in file order.
fn statements_of(source: &str, part: Part) -> Vec<split::RawStatement<'_>> {
    split::pieces_between(source, part.start, part.end, part.line)
        .filter_map(|p| match p {
            Piece::Statement(raw) => Some(raw),
            Piece::Trivia(_) => None,
        })
        .collect()
}

/// Splits one part into statements and parses them, in file order.
fn parse_part(source: &str, part: Part, out: &mut impl FnMut(Result<Located, SyntaxError>)) {
    parse_batch(source, &statements_of(source, part), out);
}

/// [`parse_each_with`] on parts of about `size` bytes.
fn parse_in_parts<T: Send>(
    source: &str,
    size: usize,
    prepare: impl Fn(Result<Located, SyntaxError>) -> T + Sync,
    mut sink: impl FnMut(T),
) {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let mut parts = parts(source, size);
    if threads == 1 || source.len() <= size {
        for part in parts {
            parse_part(source, part, &mut |r| sink(prepare(r)));
        }
        return;
    }
    let failed = std::sync::atomic::AtomicBool::new(false);
    // Workers take numbered parts from one queue and send back results;
    // this thread puts them back in file order.
    let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<(usize, Part)>(threads);
    let job_rx = std::sync::Mutex::new(job_rx);
    let (done_tx, done_rx) = std::sync::mpsc::channel::<(usize, Vec<_>)>();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .filter_map(|_| {
                let done_tx = done_tx.clone();
                let (job_rx, failed, prepare) = (&job_rx, &failed, &prepare);
                // Named, so that profiles and debuggers tell them apart.
                let worker = std::thread::Builder::new().name("premise-parse".into());
                let spawned = worker.spawn_scoped(scope, move || loop {
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok((number, part)) = job else { break };
                    let raws = statements_of(source, part);
                    let mut parsed: Vec<T> = Vec::with_capacity(raws.len());
                    parse_batch(source, &raws, &mut |r| parsed.push(prepare(r)));
                    if done_tx.send((number, parsed)).is_err() {
                        failed.store(true, std::sync::atomic::Ordering::Relaxed);
                        break;
                    }
                });
                spawned.ok()
            })
            .collect();
        drop(done_tx);
        if workers.is_empty() {
            // No thread could be started: parse here, one part after another.
            for part in parts.by_ref() {
                parse_part(source, part, &mut |r| sink(prepare(r)));
            }
            return;
        }
        let mut sent = 0;
        let mut next = 0;
        let mut waiting: std::collections::BTreeMap<usize, Vec<_>> = Default::default();
        let mut more = true;
        loop {
            // Keep every worker fed, a little ahead of what is sunk.
            while more && sent < next + 2 * threads {
                match parts.next() {
                    Some(part) => {
                        if job_tx.send((sent, part)).is_err() {
                            more = false;
                        }
                        sent += 1;
                    }
                    None => more = false,
                }
            }
            if next == sent && !more {
                break;
            }
            if let Some(parsed) = waiting.remove(&next) {
                parsed.into_iter().for_each(&mut sink);
                next += 1;
                continue;
            }
            match done_rx.recv() {
                Ok((number, parsed)) => {
                    waiting.insert(number, parsed);
                }
                Err(_) => {
                    failed.store(true, std::sync::atomic::Ordering::Relaxed);
                    break;
                }
            }
        }
        drop(job_tx);
        for worker in workers {
            if worker.join().is_err() {
                failed.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
    });
    if failed.load(std::sync::atomic::Ordering::Relaxed) {
        sink(prepare(Err(SyntaxError::new(
            Span::default(),
            "premise could not read this file (internal error)",
            "here",
        ))));
    }
}

/// Parses one statement of a file and places it there; `fast` tries the
/// fast path first (pointless when it has just failed on this statement).
fn parse_raw(raw: &split::RawStatement<'_>, fast: bool) -> Result<Located, SyntaxError> {
    let span = Span::new(raw.offset, raw.offset + raw.text.len());
    if raw.nesting > MAX_NESTING {
        return Err(too_deep(span));
    }
    let parsed = if fast {
        parse_statement(raw.text)
    } else {
        general_statement(raw.text)
    };
    match parsed {
        Ok(statement) => Ok(Located {
            statement: shift_statement(statement, raw.offset),
            line: raw.line,
            span,
            doc: raw.doc.clone(),
        }),
        Err(e) => Err(e.shifted(raw.offset)),
    }
}

/// Parses one statement of a file as the file's parse reads it, spans in
/// the file's bytes: for an editor that reads again only the statements an
/// edit touched.
pub fn parse_piece(raw: &split::RawStatement<'_>) -> Result<Located, SyntaxError> {
    parse_raw(raw, true)
}

/// Parses one statement; spans are relative to `text`.
pub fn parse_statement(text: &str) -> Result<Statement, SyntaxError> {
    fast_statement(text).map_or_else(|| general_statement(text), Ok)
}

/// A definition on the grammar's fast path (`fast_statement`), or `None` to
/// read it the general way: anything unusual, errors included, goes there,
/// so both ways give the same statement and only one gives messages.
fn fast_statement(text: &str) -> Option<Statement> {
    let top = PremiseParser::parse(Rule::fast_statement, text)
        .ok()?
        .next()?;
    let mut inner = top.into_inner();
    fast_definition(inner.next()?, inner.next()?)
}

/// The statement of a `fast_def`'s two pairs, or `None` when the general rule
/// must read it (a keyword read as a name, nesting past the limit). Spans are
/// those of the text pest was given.
fn fast_definition(
    name: pest::iterators::Pair<'_, Rule>,
    expr: pest::iterators::Pair<'_, Rule>,
) -> Option<Statement> {
    if name.as_rule() != Rule::name || expr.as_rule() != Rule::fast_expr {
        return None;
    }
    // Where the general rule's tree puts the formula: statement > cell_def > expr.
    build::check_depth_from(&expr, 2).ok()?;
    if is_keyword(name.as_str()) {
        return None;
    }
    // `true`, `false` and other keywords read as names here: building the
    // tree refuses them as references, and the general way knows them.
    let expr = build::expr(expr).ok()?;
    let name_span = pair_span(&name);
    Some(Statement::Cell(CellDef {
        name: name.as_str().into(),
        name_span,
        span: Span::new(name_span.start(), expr.span.end()),
        expr,
        as_percent: false,
    }))
}

/// Statements read by one call of `fast_lines` at most: long enough to make
/// pest's fixed cost per call vanish, short enough that a run spoiled by one
/// unusual statement costs little to read again.
const RUN: usize = 64;

/// Parses a batch of statements of `source`, in file order. Runs of
/// consecutive one-line statements are first read together on the fast path;
/// whatever that does not take is parsed one statement at a time.
fn parse_batch(
    source: &str,
    batch: &[split::RawStatement<'_>],
    out: &mut impl FnMut(Result<Located, SyntaxError>),
) {
    let mut rest = batch;
    while let Some(first) = rest.first() {
        let run = consecutive_lines(source, rest, RUN);
        let read = match rest.get(..run) {
            Some(lines) if run > 1 => parse_run(source, lines, out),
            _ => Run::default(),
        };
        rest = rest.get(read.taken..).unwrap_or(&[]);
        if read.taken == 0 || read.stopped {
            // The fast path already failed on this statement when it stopped the run.
            let raw = rest.first().unwrap_or(first);
            out(parse_raw(raw, !read.stopped));
            rest = rest.get(1..).unwrap_or(&[]);
        }
    }
}

/// What one call of `fast_lines` read.
#[derive(Default)]
struct Run {
    /// Statements handed out, from the first of the run.
    taken: usize,
    /// The next statement is one the fast path cannot read.
    stopped: bool,
}

/// How many statements from the first of `raws`, at most `max`, stand on
/// consecutive lines of their own, so that one slice of `source` holds them
/// separated by line breaks only.
fn consecutive_lines(source: &str, raws: &[split::RawStatement<'_>], max: usize) -> usize {
    let one_line = |r: &split::RawStatement<'_>| r.lines == 1 && r.nesting <= MAX_NESTING;
    let mut count = 0;
    let mut end = None;
    for raw in raws.iter().take(max) {
        if !one_line(raw) {
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

/// Reads `lines` (consecutive one-line statements) with one call of
/// `fast_lines` and hands out those it takes: all of them, or those before
/// the first statement the fast path cannot read.
fn parse_run(
    source: &str,
    lines: &[split::RawStatement<'_>],
    out: &mut impl FnMut(Result<Located, SyntaxError>),
) -> Run {
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return Run::default();
    };
    let start = first.offset;
    let Some(text) = source.get(start..last.offset + last.text.len()) else {
        return Run::default();
    };
    let pairs = match PremiseParser::parse(Rule::fast_lines, text) {
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
            let before = match lines.get(..good) {
                Some([one]) => {
                    out(parse_raw(one, true));
                    Run {
                        taken: 1,
                        stopped: false,
                    }
                }
                // Strictly fewer lines than this run: the recursion ends.
                Some(l) if good > 1 && good < lines.len() => parse_run(source, l, out),
                _ => Run::default(),
            };
            return Run {
                stopped: before.taken == good && good < lines.len(),
                taken: before.taken,
            };
        }
    };
    // Each definition is a name pair then an expression pair (`fast_def` is silent).
    let mut pairs = pairs
        .flat_map(|top| top.into_inner())
        .filter(|p| matches!(p.as_rule(), Rule::name | Rule::fast_expr));
    let defs = std::iter::from_fn(|| Some((pairs.next()?, pairs.next()?)));
    let mut taken = 0;
    for (raw, (name, expr)) in lines.iter().zip(defs) {
        // Each definition must start where its statement does; anything else
        // would be a mistake of the splitting, and is read the slow way.
        // Each definition must cover exactly its statement's line (a unit's
        // brackets, say, may not run on into the next); anything else is read
        // the slow way, from this statement on.
        let (from, to) = (name.as_span().start(), expr.as_span().end());
        if from + start != raw.offset || to + start != raw.offset + raw.text.len() {
            break;
        }
        match fast_definition(name, expr) {
            Some(statement) => out(Ok(Located {
                statement: shift_statement(statement, start),
                line: raw.line,
                span: Span::new(raw.offset, raw.offset + raw.text.len()),
                doc: raw.doc.clone(),
            })),
            None => out(parse_raw(raw, false)),
        }
        taken += 1;
    }
    Run {
        taken,
        stopped: false,
    }
}

fn general_statement(text: &str) -> Result<Statement, SyntaxError> {
    let pairs = PremiseParser::parse(Rule::statement, text).map_err(|e| friendly(e, text))?;
    let Some(statement) = pairs.into_iter().next() else {
        return Err(SyntaxError::new(Span::default(), "empty statement", "here"));
    };
    build::check_depth(&statement)?;
    let Some(inner) = statement.into_inner().find(|p| p.as_rule() != Rule::EOI) else {
        return Err(SyntaxError::new(
            Span::new(0, text.len()),
            "empty statement",
            "here",
        ));
    };
    match inner.as_rule() {
        Rule::cell_def => Ok(Statement::Cell(cell_def(inner)?)),
        Rule::block_close => Ok(Statement::BlockClose),
        _ => {
            let mut parts = inner.into_inner();
            let name_pair = parts.nth(1);
            let (name, name_span): (Box<str>, Span) = match &name_pair {
                Some(p) => (p.as_str().into(), pair_span(p)),
                None => ("".into(), Span::default()),
            };
            if is_keyword(&name) {
                return Err(keyword_error(name_span, &name));
            }
            let mut closed = None;
            for p in parts {
                match p.as_rule() {
                    Rule::cell_def => closed = Some(Some(cell_def(p)?)),
                    Rule::block_close if closed.is_none() => closed = Some(None),
                    _ => {}
                }
            }
            Ok(Statement::ScenarioOpen {
                name,
                name_span,
                closed,
            })
        }
    }
}

/// Parses a bare expression (a REPL query, a `--set` value), optionally ending in `as %`.
/// Returns the formula and whether it was marked `as %`.
pub fn parse_expression(text: &str) -> Result<(Expr, bool), SyntaxError> {
    let mut scan = split::Scan::default();
    for line in text.split('\n') {
        scan.line(line);
    }
    if scan.max_depth + scan.ifs > MAX_NESTING {
        return Err(too_deep(Span::new(0, text.len())));
    }
    let pairs =
        PremiseParser::parse(Rule::expression_input, text).map_err(|e| friendly(e, text))?;
    let Some(top) = pairs.into_iter().next() else {
        return Err(SyntaxError::new(
            Span::default(),
            "empty expression",
            "here",
        ));
    };
    build::check_depth(&top)?;
    let mut expr = None;
    let mut percent = false;
    for p in top.into_inner() {
        match p.as_rule() {
            Rule::expr => expr = Some(build::expr(p)?),
            Rule::as_percent => percent = true,
            _ => {}
        }
    }
    match expr {
        Some(e) => Ok((e, percent)),
        None => Err(SyntaxError::new(
            Span::new(0, text.len()),
            "empty expression",
            "here",
        )),
    }
}

fn cell_def(pair: pest::iterators::Pair<'_, Rule>) -> Result<CellDef, SyntaxError> {
    // pest's span of `x ~ y?` includes the spaces and comment tried before `y`;
    // the definition's span ends at its last token instead.
    let mut span = pair_span(&pair);
    let mut name = None;
    let mut expr = None;
    let mut as_percent = false;
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::name => {
                if is_keyword(p.as_str()) {
                    return Err(keyword_error(pair_span(&p), p.as_str()));
                }
                name = Some((Box::<str>::from(p.as_str()), pair_span(&p)));
            }
            Rule::expr => {
                let e = build::expr(p)?;
                span = span.with_end(e.span.end());
                expr = Some(e);
            }
            Rule::as_percent => {
                as_percent = true;
                span = span.with_end(pair_span(&p).end());
            }
            _ => {}
        }
    }
    match (name, expr) {
        (Some((name, name_span)), Some(expr)) => Ok(CellDef {
            name,
            name_span,
            expr,
            as_percent,
            span,
        }),
        _ => Err(SyntaxError::new(
            span,
            "premise could not read this definition",
            "here",
        )),
    }
}

fn pair_span(pair: &pest::iterators::Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

fn too_deep(span: Span) -> SyntaxError {
    SyntaxError::new(
        Span::new(span.start(), span.start() + 1),
        format!(
            "statement nested too deeply (more than {MAX_NESTING} levels of parentheses and ifs)"
        ),
        "this statement",
    )
    .with_help("split the formula into several cells")
}

/// Moves every span of a statement parsed on its own to its place in the file.
fn shift_statement(statement: Statement, by: usize) -> Statement {
    if by == 0 {
        return statement;
    }
    match statement {
        Statement::Cell(c) => Statement::Cell(shift_cell(c, by)),
        Statement::ScenarioOpen {
            name,
            name_span,
            closed,
        } => Statement::ScenarioOpen {
            name,
            name_span: name_span.shifted(by),
            closed: closed.map(|c| c.map(|c| shift_cell(c, by))),
        },
        Statement::BlockClose => Statement::BlockClose,
    }
}

fn shift_cell(mut c: CellDef, by: usize) -> CellDef {
    c.name_span = c.name_span.shifted(by);
    c.span = c.span.shifted(by);
    shift_expr(&mut c.expr, by);
    c
}

/// Shifts every span in a formula, without recursion.
pub fn shift_expr(expr: &mut Expr, by: usize) {
    let mut stack: smallvec::SmallVec<[&mut Expr; 16]> = smallvec::smallvec![expr];
    while let Some(e) = stack.pop() {
        e.span = e.span.shifted(by);
        e.for_each_child_mut(|c| stack.push(c));
    }
}

/// Turns pest's error into one in the analyst's words.
fn friendly(err: pest::error::Error<Rule>, text: &str) -> SyntaxError {
    if let Some(e) = unbalanced(text) {
        return e;
    }
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((a, _)) => a,
    };
    let (found, found_len) = found_at(text, pos);
    let span = Span::new(
        pos,
        pos + found_len.max(if pos < text.len() { 1 } else { 0 }),
    );
    let mut expected: Vec<&'static str> = Vec::new();
    if let ErrorVariant::ParsingError { positives, .. } = &err.variant {
        for r in positives {
            if let Some(w) = rule_words(*r) {
                if !expected.contains(&w) {
                    expected.push(w);
                }
            }
        }
    }
    if is_keyword(&found) && expected.contains(&VALUE) {
        return keyword_error(span, &found);
    }
    let found_words = if found.is_empty() {
        "the end of the line".to_string()
    } else if let Some(words) = invisible(&found) {
        words
    } else if found.trim().is_empty() {
        "a space".to_string()
    } else {
        format!("'{found}'")
    };
    let mut help = None;
    if text
        .get(..pos)
        .is_some_and(|before| before.trim().is_empty())
    {
        // Nothing read yet: whatever else pest tried, a statement starts with a name.
        expected = vec!["a cell definition such as 'x = 1'"];
    }
    if found.is_empty() && expected.contains(&VALUE) {
        help = Some(
            "a formula continues on the next line only while a parenthesis is open".to_string(),
        );
    }
    if expected.contains(&OPERATOR) {
        // After a complete value only a few alternatives are worth naming.
        if expected.contains(&UNIT) && found.starts_with(|c: char| c.is_alphabetic()) {
            help = Some(format!("a unit goes in brackets after a number: [{found}]"));
        }
        expected.retain(|w| [OPERATOR, END, "')'", "'then'", "'else'"].contains(w));
    }
    let rank = |w: &&str| {
        [VALUE, OPERATOR, "')'", "'then'", "'else'"]
            .iter()
            .position(|x| x == w)
            .unwrap_or(9)
    };
    expected.sort_by_key(rank);
    let message = match expected.as_slice() {
        [] => format!("unexpected {found_words}"),
        [one] => format!("expected {one}, found {found_words}"),
        many => {
            let (last, rest) = many.split_last().unwrap_or((&"", &[]));
            format!(
                "expected {} or {last}, found {found_words}",
                rest.join(", ")
            )
        }
    };
    let label = if found.is_empty() {
        "the statement ends here"
    } else {
        "unexpected"
    };
    let err = SyntaxError::new(span, message, label);
    match help {
        Some(h) => err.with_help(h),
        None => err,
    }
}

const VALUE: &str = "a value (a number, a cell name or '(')";
const OPERATOR: &str = "an operator";
const END: &str = "the end of the statement";
const UNIT: &str = "a unit such as [W] or [USD/kWh]";

fn rule_words(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::expr
        | Rule::literal
        | Rule::number
        | Rule::money
        | Rule::name
        | Rule::ident
        | Rule::call
        | Rule::paren
        | Rule::if_expr
        | Rule::kw_if
        | Rule::kw_true
        | Rule::kw_false
        | Rule::prefix
        | Rule::group => VALUE,
        Rule::infix => OPERATOR,
        Rule::assign => "'='",
        Rule::EOI => END,
        Rule::as_percent | Rule::kw_as => "'as %'",
        Rule::block_close => "'}'",
        Rule::kw_then => "'then'",
        Rule::kw_else => "'else'",
        Rule::unit
        | Rule::unit_body
        | Rule::unit_product
        | Rule::unit_factor
        | Rule::unit_name
        | Rule::unit_one => UNIT,
        Rule::unit_power => "a whole-number power",
        Rule::statement | Rule::cell_def | Rule::scenario_open | Rule::kw_scenario => {
            "a cell definition such as 'x = 1'"
        }
        _ => return None,
    })
}

/// The token at `pos`: a word, a number, or one character; empty at the end.
fn found_at(text: &str, pos: usize) -> (String, usize) {
    let rest = text.get(pos..).unwrap_or("");
    let rest = rest.split('\n').next().unwrap_or("");
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return (String::new(), 0);
    };
    let wordy = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    if wordy(first) {
        let end = rest.find(|c: char| !wordy(c)).unwrap_or(rest.len());
        let word = rest.get(..end).unwrap_or("");
        let shown: String = word.chars().take(40).collect();
        (shown, end)
    } else {
        (first.to_string(), first.len_utf8())
    }
}

/// A character that does not show, or shows text out of order, named by its
/// code point: quoting it would print nothing (or reorder the message).
fn invisible(found: &str) -> Option<String> {
    let mut chars = found.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    let what = match c {
        ' ' | '\t' => return None,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
            "a bidirectional control character"
        }
        '\u{200B}' => "a zero-width space",
        '\u{200C}' | '\u{200D}' => "a zero-width joiner",
        '\u{FEFF}' => "a byte order mark",
        '\u{00A0}' | '\u{202F}' => "a no-break space",
        c if c.is_control() => "a control character",
        c if c.is_whitespace() => "an unusual space",
        _ => return None,
    };
    Some(format!("{what} (U+{:04X})", u32::from(c)))
}

/// Whether a word is reserved (docs/language.md#names) and so cannot name a cell.
pub(crate) fn is_keyword(word: &str) -> bool {
    matches!(
        word,
        "if" | "then"
            | "else"
            | "and"
            | "or"
            | "not"
            | "true"
            | "false"
            | "scenario"
            | "as"
            | "axis"
            | "import"
            | "unit"
    )
}

/// A keyword used where a name belongs.
pub(crate) fn keyword_error(span: Span, word: &str) -> SyntaxError {
    SyntaxError::new(span, format!("'{word}' is a keyword, not a name"), "keyword")
        .with_help("keywords (if then else and or not true false scenario as axis import unit) cannot be names")
}

/// A parenthesis never closed, or closed without being opened.
fn unbalanced(text: &str) -> Option<SyntaxError> {
    let mut open: Vec<usize> = Vec::new();
    for line_start in line_starts(text) {
        let line = text.get(line_start..).unwrap_or("");
        let line = line.split('\n').next().unwrap_or("");
        for (i, b) in line.bytes().enumerate() {
            match b {
                b'#' => break,
                b'(' => open.push(line_start + i),
                b')' if open.pop().is_none() => {
                    let at = line_start + i;
                    return Some(
                        SyntaxError::new(
                            Span::new(at, at + 1),
                            "unmatched ')'",
                            "no '(' before it",
                        )
                        .with_help("remove it, or add the '(' it closes"),
                    );
                }
                _ => {}
            }
        }
    }
    open.first().map(|&at| {
        SyntaxError::new(
            Span::new(at, at + 1),
            "this '(' is never closed",
            "opened here",
        )
        .with_help("add the matching ')'")
    })
}

fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path must give exactly what the general rule gives, and
    /// decline (not misread) everything it does not cover.
    #[test]
    fn the_fast_path_reads_statements_as_the_general_rule_does() {
        let taken = [
            "x = 1",
            "x5 = x4 * 0.9999 + 1",
            "a.c12 = 12",
            "g3_7 = g3_6 * 2 + 1",
            "total = a - b / c ^ d ^ e",
            "m = $1.5B * 50% + 2_000 [W] - 3e-2",
            "ok = a and b or c == d",
            "r = a <= b",
            "n = a.if + b",
        ];
        for text in taken {
            let fast = fast_statement(text);
            assert!(fast.is_some(), "{text} should take the fast path");
            assert_eq!(fast, general_statement(text).ok(), "{text}");
        }
        let declined = [
            "x = true",
            "x = a + false",
            "x = not a",
            "if = 1",
            "x = -1",
            "x = (a + b)",
            "x = sum(a.*)",
            "x = a  + b",
            "x = a + b  # comment",
            "x = a / b as %",
            "x = if a then b else c",
            "x = a +",
            "x = a < b < c",
            "x = 1 [W/]",
            "scenario bear {",
            "}",
            "x = a\r",
        ];
        for text in declined {
            assert_eq!(
                fast_statement(text),
                None,
                "{text} should not take the fast path"
            );
        }
    }

    /// The file as the general rule alone reads it, one statement at a time.
    fn general_only(source: &str) -> ParsedFile {
        let mut out = ParsedFile::default();
        for piece in split::pieces(source) {
            if let Piece::Statement(raw) = piece {
                match parse_raw(&raw, false) {
                    Ok(s) => out.statements.push(s),
                    Err(e) => out.errors.push(e),
                }
            }
        }
        out
    }

    fn assert_same_as_general(source: &str, what: &str) {
        let fast = parse_file(source);
        let general = general_only(source);
        assert_eq!(fast.statements, general.statements, "{what}");
        assert_eq!(fast.errors, general.errors, "{what}");
        // Cut into parts (as big files are, for the parsing threads), down to
        // a line per part: the same statements, docs and line numbers.
        for size in [1, 7, 40, 300] {
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
                parts.statements, general.statements,
                "{what}, parts of {size}"
            );
            assert_eq!(parts.errors, general.errors, "{what}, parts of {size}");
        }
    }

    /// Runs of lines read in one pest call give exactly what reading each
    /// statement with the general rule gives: on real models, generated ones,
    /// and mixes where unusual statements interrupt runs anywhere.
    #[test]
    fn runs_of_lines_read_as_the_general_rule_does() {
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
        // `^` chains around the depth limit: the fast path must refuse exactly
        // where the general rule does.
        for operands in [397, 398, 399, 400, 401] {
            let chain = vec!["a"; operands].join(" ^ ");
            files.push((
                format!("chain {operands}"),
                format!("a = 1\np = {chain}\nq = 2\n"),
            ));
        }
        let pool = [
            "a = 1",
            "b = a * 2 + 1",
            "c.d = b - a / 3",
            "x = true",
            "y = if a > 1 then b else c.d",
            "z = sum(c.*)",
            "w = a  + b",
            "v = a + b  # note",
            "## documented",
            "# comment",
            "",
            "   ",
            "u = (a +",
            "  b)",
            "t = a +",
            "s = 50% * $2B",
            "r = a / b as %",
            "scenario bear {",
            "  a = 2",
            "}",
            "q = 1 [W]",
            "a = 3",
            "p = not a",
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
            "e = 1_000 + 0.5 - 2.",
            "d = 007 + 1.50 * 12",
            "c = 5K / 1e3 + 50%",
            "b.x = 3 [W]",
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
            assert_same_as_general(text, what);
        }
    }

    /// Every statement of the bundled models reads the same either way.
    #[test]
    fn bundled_models_read_the_same_on_both_paths() {
        for path in [
            "models/ai_200b.model",
            "models/dc_power.model",
            "models/gpu_cloud.model",
        ] {
            let text = std::fs::read_to_string(path).unwrap();
            for piece in split::pieces(&text) {
                if let Piece::Statement(raw) = piece {
                    assert_eq!(
                        parse_statement(raw.text).ok(),
                        general_statement(raw.text).ok(),
                        "{path}: {}",
                        raw.text
                    );
                }
            }
        }
    }
}
