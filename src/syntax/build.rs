//! Turns pest's pairs for a statement into the syntax tree.
//!
//! Operator precedence is resolved here by precedence climbing over the flat
//! token list the grammar's `expr` produces, with the levels of
//! [`super::lexicon`]. Before any recursion, the depth the tree would reach is
//! measured with an explicit stack, so that hostile nesting is refused instead
//! of overflowing.

use std::iter::Peekable;

use pest::iterators::{Pair, Pairs};

use super::ast::{
    Call, CellId, Chain, Distribution, Expr, ExprKind, Function, Hint, IfExpr, Index, Literal,
    Part, Period, Span, UnitDecl,
};
use super::error::SyntaxError;
use super::grammar::Rule;
use super::lexicon::{is_keyword, Associativity, BinaryOp, UnaryOp};
use super::literal::{number_value, plain_value, NumberParts};
use super::messages::keyword_error;
use super::{AssertDef, Block, CellDef, ImportDef, Statement};
use crate::suggest::did_you_mean;
use crate::uncertainty::Family;
use crate::value::unit::USD;
use crate::value::Unit;

/// How deep a formula's tree may grow (parentheses, prefixes, `^` chains and `if`s together).
pub const MAX_DEPTH: usize = 400;

/// Where the pairs being built stand: pest read text that begins `offset`
/// bytes into the file (or REPL line), and the statement being built ends at
/// byte `end` of that text (a run of lines holds several statements).
#[derive(Clone, Copy, Debug)]
pub(super) struct Place<'t> {
    /// Where pest's text begins in the file: added to every span.
    pub offset: usize,
    /// Where the statement ends in pest's text.
    pub end: usize,
    /// The text pest read, as written: with its comments, which pest read
    /// filled with `#` (a unit keeps the text of a comment inside its brackets).
    pub written: &'t str,
}

impl<'t> Place<'t> {
    /// The span of a pair, in the file.
    fn span(self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.offset + s.start(), self.offset + s.end())
    }

    /// The span of a pair, in the file, and its text.
    fn text<'p>(self, pair: &Pair<'p, Rule>) -> (Span, &'p str) {
        let s = pair.as_span();
        (
            Span::new(self.offset + s.start(), self.offset + s.end()),
            s.as_str(),
        )
    }

    /// A pair's text as written, comments included.
    fn written<'p>(self, pair: &Pair<'p, Rule>) -> &'p str
    where
        't: 'p,
    {
        let s = pair.as_span();
        self.written
            .get(s.start()..s.end())
            .unwrap_or(pair.as_str())
    }
}

/// The pairs of one statement, as the grammar's `statement` and `lines`
/// produce them (a definition is silent: its pairs stand side by side).
pub(super) enum Tokens<'i> {
    /// `name = expr [as %|as [UNIT]]`, or `name[part] = ...` for a part of a series.
    Definition {
        name: Pair<'i, Rule>,
        part: Option<Pair<'i, Rule>>,
        expr: Pair<'i, Rule>,
        hint: Option<Pair<'i, Rule>>,
    },
    /// `unit NAME [= expr]`
    Unit(Pair<'i, Rule>),
    /// `scenario NAME {`, and the one-line form.
    ScenarioOpen(Pair<'i, Rule>),
    /// `}`
    BlockClose(Pair<'i, Rule>),
    /// `axis NAME = FIRST..LAST`
    Axis(Pair<'i, Rule>),
    /// `import "PATH" as NAME [{ ... }]`
    Import(Pair<'i, Rule>),
    /// `assert CONDITION[, "message"]`
    Assertion(Pair<'i, Rule>),
}

impl<'i> Tokens<'i> {
    /// The next statement's pairs from a `statement`'s or `lines`' inner
    /// pairs; `None` at the end.
    pub fn next(pairs: &mut Peekable<Pairs<'i, Rule>>) -> Option<Result<Tokens<'i>, Span>> {
        let first = pairs.next()?;
        let span = |p: &Pair<'_, Rule>| Span::new(p.as_span().start(), p.as_span().end());
        Some(match first.as_rule() {
            Rule::name => {
                // Not `next_if`: most cells have no part, and a pair peeked
                // at and put back costs a move more on every line.
                let (part, expr) = match pairs.next() {
                    Some(p) if p.as_rule() == Rule::part => (Some(p), pairs.next()),
                    next => (None, next),
                };
                match expr {
                    Some(expr) if expr.as_rule() == Rule::expr => Ok(Tokens::Definition {
                        name: first,
                        part,
                        expr,
                        hint: pairs.next_if(|p| p.as_rule() == Rule::hint),
                    }),
                    _ => Err(span(&first)),
                }
            }
            Rule::scenario_open => Ok(Tokens::ScenarioOpen(first)),
            Rule::unit_decl => Ok(Tokens::Unit(first)),
            Rule::block_close => Ok(Tokens::BlockClose(first)),
            Rule::axis_def => Ok(Tokens::Axis(first)),
            Rule::import => Ok(Tokens::Import(first)),
            Rule::assertion => Ok(Tokens::Assertion(first)),
            Rule::EOI => return None,
            _ => Err(span(&first)),
        })
    }

    /// Where its tokens begin and end in pest's text.
    pub fn extent(&self) -> (usize, usize) {
        let of = |p: &Pair<'_, Rule>| (p.as_span().start(), p.as_span().end());
        match self {
            Tokens::Definition {
                name, expr, hint, ..
            } => {
                let last = hint.as_ref().unwrap_or(expr);
                (of(name).0, of(last).1)
            }
            Tokens::ScenarioOpen(p)
            | Tokens::BlockClose(p)
            | Tokens::Unit(p)
            | Tokens::Import(p)
            | Tokens::Assertion(p)
            | Tokens::Axis(p) => of(p),
        }
    }

    /// The statement, in the file's coordinates.
    pub fn build(self, place: Place<'_>) -> Result<Statement, SyntaxError> {
        match self {
            Tokens::Definition {
                name,
                part,
                expr,
                hint,
            } => definition(name, part, expr, hint, STATEMENT_DEPTH, place).map(Statement::Cell),
            Tokens::ScenarioOpen(pair) => scenario_open(pair, place),
            Tokens::Unit(pair) => unit_decl(pair, place).map(Statement::Unit),
            Tokens::BlockClose(_) => Ok(Statement::BlockClose),
            Tokens::Axis(pair) => axis(pair, place),
            Tokens::Import(pair) => import(pair, place),
            Tokens::Assertion(pair) => assertion(pair, place),
        }
    }
}

/// How deep a definition's formula stands in the tree the depth limit was
/// first measured on (statement, definition, formula): the limit counts from
/// there, so that the same formulas are refused wherever they stand.
const STATEMENT_DEPTH: usize = 2;

/// `name = expr [as %|as [UNIT]]` (or `name[part] = ...`); its formula stands `depth` levels deep.
fn definition(
    name: Pair<'_, Rule>,
    part: Option<Pair<'_, Rule>>,
    expr_pair: Pair<'_, Rule>,
    hint_pair: Option<Pair<'_, Rule>>,
    depth: usize,
    place: Place<'_>,
) -> Result<CellDef, SyntaxError> {
    check_depth(&expr_pair, depth, place)?;
    let (name_span, name) = place.text(&name);
    if is_keyword(name) {
        return Err(keyword_error(name_span, name));
    }
    let part = part.map(|p| part_of(p, place)).transpose()?;
    let may = may_draw(expr_pair.as_str());
    let mut expr = expr(expr_pair, place)?;
    let draws = may && expr.number_distributions() > 0;
    let end = match &hint_pair {
        Some(p) => place.span(p).end(),
        None => expr.span.end(),
    };
    Ok(CellDef {
        name: name.into(),
        part,
        name_span,
        span: name_span.with_end(end),
        expr,
        hint: hint_pair
            .map(|p| hint(p, place).map(Box::new))
            .transpose()?,
        draws,
    })
}

/// `as %` or `as [UNIT]`.
fn hint(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<Hint, SyntaxError> {
    match pair.into_inner().find(|p| p.as_rule() == Rule::unit) {
        None => Ok(Hint::Percent),
        Some(u) => {
            let (unit, written) = bracketed(u, place)?;
            Ok(Hint::Unit { unit, written })
        }
    }
}

/// `unit NAME` or `unit NAME = expr`; the factor is checked when the model is built.
fn unit_decl(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<UnitDecl, SyntaxError> {
    let span = place.span(&pair);
    let mut parts = pair.into_inner().skip(1); // after `unit`
    let name = parts.next().ok_or_else(|| internal(span))?;
    let (name_span, name) = place.text(&name);
    let factor = match parts.next() {
        Some(e) => {
            check_depth(&e, STATEMENT_DEPTH, place)?;
            Some(expr(e, place)?)
        }
        None => None,
    };
    Ok(UnitDecl {
        name: name.into(),
        name_span,
        factor,
    })
}

/// `scenario NAME {`, or the one-line `scenario NAME { [definition] }`.
fn scenario_open(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<Statement, SyntaxError> {
    let span = place.span(&pair);
    let mut parts = pair.into_inner().skip(1).peekable(); // after `scenario`
    let name = parts.next().ok_or_else(|| internal(span))?;
    let mut defined = None;
    if let Some(cell) = parts.next_if(|p| p.as_rule() == Rule::name) {
        let part = parts.next_if(|p| p.as_rule() == Rule::part);
        if let Some(expr) = parts.next_if(|p| p.as_rule() == Rule::expr) {
            let hint = parts.next_if(|p| p.as_rule() == Rule::hint);
            // The formula of a one-line override stands one level deeper (in the scenario).
            defined = Some((cell, part, expr, hint));
        }
    }
    if let Some((_, _, expr, _)) = &defined {
        check_depth(expr, STATEMENT_DEPTH + 1, place)?;
    }
    let name_span = place.span(&name);
    if is_keyword(name.as_str()) {
        return Err(keyword_error(name_span, name.as_str()));
    }
    let closed = match defined {
        Some((cell, part, expr, hint)) => Some(Some(definition(
            cell,
            part,
            expr,
            hint,
            STATEMENT_DEPTH + 1,
            place,
        )?)),
        None if parts.any(|p| p.as_rule() == Rule::block_close) => Some(None),
        None => None,
    };
    Ok(Statement::ScenarioOpen {
        name: name.as_str().into(),
        name_span,
        closed,
    })
}

/// A period's label: a whole number that fits.
fn label(pair: &Pair<'_, Rule>, place: Place<'_>) -> Result<i64, SyntaxError> {
    let (span, text) = place.text(pair);
    text.parse().map_err(|_| {
        SyntaxError::new(
            span,
            "a period's label this large is not supported",
            "too large",
        )
        .with_help("labels are whole numbers of at most 18 digits")
    })
}

/// `[year]` (the rule) or `[2024]` (a pin) after a definition's name.
fn part_of(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<Part, SyntaxError> {
    let span = place.span(&pair);
    let inner = pair.into_inner().next().ok_or_else(|| internal(span))?;
    match inner.as_rule() {
        Rule::label => Ok(Part::Pin(label(&inner, place)?)),
        _ => Ok(Part::Rule {
            axis: inner.as_str().into(),
        }),
    }
}

/// `axis NAME = FIRST..LAST`.
fn axis(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<Statement, SyntaxError> {
    let span = place.span(&pair);
    let mut parts = pair.into_inner().skip(1); // after `axis`
    let name = parts.next().ok_or_else(|| internal(span))?;
    let (name_span, name_text) = place.text(&name);
    if is_keyword(name_text) {
        return Err(keyword_error(name_span, name_text));
    }
    let mut labels = parts.filter(|p| p.as_rule() == Rule::label);
    let first = label(&labels.next().ok_or_else(|| internal(span))?, place)?;
    let last = label(&labels.next().ok_or_else(|| internal(span))?, place)?;
    Ok(Statement::Axis {
        name: name_text.into(),
        name_span,
        first,
        last,
    })
}

/// `capex[year - 1]`, `capex[2026]`, `capex[*]`, `capex[2025..2027]`.
fn index(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<ExprKind, SyntaxError> {
    let span = place.span(&pair);
    let mut parts = pair.into_inner();
    let name = parts.next().ok_or_else(|| internal(span))?;
    let (name_span, name_text) = place.text(&name);
    if is_keyword(name_text) {
        return Err(keyword_error(name_span, name_text));
    }
    let which = parts.next().ok_or_else(|| internal(span))?;
    let period = match which.as_rule() {
        Rule::period_all => Period::All,
        Rule::label => Period::At(label(&which, place)?),
        Rule::period_range => {
            let mut ends = which.into_inner().filter(|p| p.as_rule() == Rule::label);
            let from = label(&ends.next().ok_or_else(|| internal(span))?, place)?;
            let to = label(&ends.next().ok_or_else(|| internal(span))?, place)?;
            if from > to {
                return Err(SyntaxError::new(
                    span,
                    format!("the periods {from}..{to} run backwards"),
                    "first after last",
                )
                .with_help(format!("write {name_text}[{to}..{from}]")));
            }
            Period::Slice(from, to)
        }
        _ => {
            let mut bits = which.into_inner();
            let axis = bits.next().ok_or_else(|| internal(span))?;
            let offset = match (bits.next(), bits.next()) {
                (Some(sign), Some(by)) => {
                    let (by_span, by_text) = place.text(&by);
                    let k: i64 = by_text.parse().map_err(|_| {
                        SyntaxError::new(
                            by_span,
                            "a shift this large is not supported",
                            "too large",
                        )
                    })?;
                    if sign.as_str() == "-" {
                        -k
                    } else {
                        k
                    }
                }
                _ => 0,
            };
            Period::Relative {
                axis: axis.as_str().into(),
                offset,
            }
        }
    };
    Ok(ExprKind::Index(Box::new(Index {
        name: name_text.into(),
        id: CellId::UNRESOLVED,
        period,
    })))
}

/// `import "PATH" as NAME`, with its block: opened (`{` ends the line) or
/// written on the line (`{ [definition] }`).
fn import(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<Statement, SyntaxError> {
    let span = place.span(&pair);
    let mut parts = pair.into_inner().skip(1).peekable(); // after `import`
    let path = parts.next().ok_or_else(|| internal(span))?;
    let alias = parts
        .find(|p| p.as_rule() == Rule::alias)
        .ok_or_else(|| internal(span))?;
    let (alias_span, alias_text) = place.text(&alias);
    if is_keyword(alias_text) {
        return Err(keyword_error(alias_span, alias_text));
    }
    let mut block = None;
    if parts.next_if(|p| p.as_rule() == Rule::block_open).is_some() {
        block = Some(Block::Open);
        // `{ capex[2025] = $70B }`: a definition on the line, perhaps of a period.
        let cell = parts.next_if(|p| p.as_rule() == Rule::name);
        let part = parts.next_if(|p| p.as_rule() == Rule::part);
        if let (Some(cell), Some(expr)) = (cell, parts.next_if(|p| p.as_rule() == Rule::expr)) {
            let hint = parts.next_if(|p| p.as_rule() == Rule::hint);
            let def = definition(cell, part, expr, hint, STATEMENT_DEPTH + 1, place)?;
            block = Some(Block::Closed(Some(def)));
        } else if parts.any(|p| p.as_rule() == Rule::block_close) {
            block = Some(Block::Closed(None));
        }
    }
    Ok(Statement::Import(Box::new(ImportDef {
        path: unquoted(path.as_str()).into(),
        path_span: place.span(&path),
        alias: alias_text.into(),
        alias_span,
        block,
    })))
}

/// `assert CONDITION[, "message"]`.
fn assertion(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<Statement, SyntaxError> {
    let span = place.span(&pair);
    let mut parts = pair.into_inner().skip(1); // after `assert`
    let condition = parts.next().ok_or_else(|| internal(span))?;
    check_depth(&condition, STATEMENT_DEPTH, place)?;
    let condition = expr(condition, place)?;
    let message = parts
        .find(|p| p.as_rule() == Rule::string)
        .map(|p| unquoted(p.as_str()).into());
    Ok(Statement::Assert(Box::new(AssertDef {
        condition,
        message,
    })))
}

/// A string as written, quotes and escapes taken off: `"a \"b\""` is `a "b"`.
fn unquoted(written: &str) -> String {
    let inner = written
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(written);
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        if c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        escaped = false;
        out.push(c);
    }
    out
}

/// A bare expression's pairs (`expression_input`): the formula, and the
/// hint it ends in, if any.
pub(super) fn expression_input(
    pairs: Pairs<'_, Rule>,
    place: Place<'_>,
) -> Result<Option<(Expr, Option<Hint>)>, SyntaxError> {
    let mut found = None;
    let mut shown = None;
    for p in pairs {
        match p.as_rule() {
            Rule::expr => {
                // The formula stands right under the input.
                check_depth(&p, 1, place)?;
                found = Some(expr(p, place)?);
            }
            Rule::hint => shown = Some(hint(p, place)?),
            _ => {}
        }
    }
    Ok(found.map(|e| (e, shown)))
}

/// Refuses trees deeper than [`MAX_DEPTH`], measured without recursion, for
/// a formula that stands `start` levels deep. Spans and levels are those of
/// the tree the limit was first measured on: a plain number stood a level
/// below its literal, and a formula's span took in the layout after it when
/// it was a single operand.
fn check_depth(pair: &Pair<'_, Rule>, start: usize, place: Place<'_>) -> Result<(), SyntaxError> {
    // Every level of nesting needs at least one character: the statement's
    // text from here on bounds the depth, and the formula's text closer.
    let from = pair.as_span().start();
    if place.end.saturating_sub(from) + start < MAX_DEPTH
        || measured_end(pair, place.end).saturating_sub(from) + start < MAX_DEPTH
    {
        return Ok(());
    }
    let too_deep = |span: Span| {
        SyntaxError::new(
            span,
            format!("formula nested too deeply (more than {MAX_DEPTH} levels)"),
            "nesting goes past the limit here",
        )
        .with_help("split the formula into several cells")
    };
    let mut stack = vec![(pair.clone(), start)];
    while let Some((p, depth)) = stack.pop() {
        let deepest = depth + usize::from(is_plain_number(&p));
        if deepest > MAX_DEPTH {
            let s = p.as_span();
            let end = measured_end(&p, place.end);
            return Err(too_deep(Span::new(
                place.offset + s.start(),
                place.offset + end,
            )));
        }
        let mut local = 1;
        if p.as_rule() == Rule::expr {
            let mut run = 0;
            let mut longest = 0;
            let mut pows = 0;
            for c in p.clone().into_inner() {
                match c.as_rule() {
                    Rule::prefix => {
                        run += 1;
                        longest = longest.max(run);
                    }
                    Rule::infix if c.as_str() == BinaryOp::Pow.symbol() => {
                        pows += 1;
                        run = 0;
                    }
                    _ => run = 0,
                }
                // A run of prefixes or `^`s that passes the limit: point at the
                // operator that does, not at the end of the run.
                if depth + 1 + longest + pows > MAX_DEPTH {
                    return Err(too_deep(place.span(&c)));
                }
            }
            local += longest + pows;
        }
        for c in p.into_inner() {
            stack.push((c, depth + local));
        }
    }
    Ok(())
}

/// Where a pair ends in the spans of the tree the messages were first made
/// from, which took in the white space and comments (up to `limit`, the
/// statement's end) after a formula of a single operand and after a name;
/// so an `if`, or a formula, that ends in one of those ends after them too.
fn measured_end(pair: &Pair<'_, Rule>, limit: usize) -> usize {
    if !matches!(pair.as_rule(), Rule::expr | Rule::if_expr) {
        return pair.as_span().end();
    }
    let mut last = pair.clone();
    let mut layout = false;
    loop {
        let inner = match last.as_rule() {
            Rule::if_expr => last.clone().into_inner().last(),
            Rule::expr => {
                layout |= !last
                    .clone()
                    .into_inner()
                    .any(|c| c.as_rule() == Rule::infix);
                last.clone().into_inner().last()
            }
            _ => None,
        };
        match inner {
            Some(p) => last = p,
            None => break,
        }
    }
    let end = last.as_span().end();
    let name = matches!(last.as_rule(), Rule::name | Rule::plain) && !is_plain_number(&last);
    if layout || name {
        layout_end(pair.get_input(), end, limit)
    } else {
        end
    }
}

/// Whether a `plain` pair is a number (else it is a name).
fn is_plain_number(pair: &Pair<'_, Rule>) -> bool {
    pair.as_rule() == Rule::plain && pair.as_str().starts_with(|c: char| c.is_ascii_digit())
}

/// The end of the white space and comments from `from` on, not past `limit`.
fn layout_end(input: &str, from: usize, limit: usize) -> usize {
    let mut at = from;
    let text = input.get(..limit).unwrap_or(input);
    while let Some(rest) = text.get(at..) {
        let Some(c) = rest.chars().next() else { break };
        if c == '#' {
            at += rest.find('\n').unwrap_or(rest.len());
        } else if c.is_whitespace() {
            at += c.len_utf8();
        } else {
            break;
        }
    }
    at.max(from)
}

/// An expression under construction: whether it is a comparison not in parentheses.
struct Built {
    expr: Expr,
    bare_comparison: bool,
}

impl Built {
    fn plain(expr: Expr) -> Built {
        Built {
            expr,
            bare_comparison: false,
        }
    }
}

/// Builds an expression from an `expr` pair.
fn expr(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<Expr, SyntaxError> {
    let mut tokens = pair.into_inner().peekable();
    let built = climb(&mut tokens, 0, place)?;
    match tokens.next() {
        None => Ok(built.expr),
        Some(p) => Err(internal(place.span(&p))),
    }
}

type Stream<'i> = Peekable<Pairs<'i, Rule>>;

/// Precedence climbing over the flat `prefix* primary (infix prefix* primary)*`
/// of an `expr`: operators bind operands while their level is above
/// `min_level`. Recursion is bounded: [`check_depth`] ran first.
fn climb(tokens: &mut Stream<'_>, min_level: u8, place: Place<'_>) -> Result<Built, SyntaxError> {
    let first = tokens.next().ok_or_else(|| internal(Span::default()))?;
    let mut lhs = if first.as_rule() == Rule::prefix {
        let op_span = place.span(&first);
        let op = UnaryOp::from_symbol(first.as_str()).ok_or_else(|| internal(op_span))?;
        let rhs = climb(tokens, op.precedence() - 1, place)?;
        let span = Span::new(op_span.start(), rhs.expr.span.end());
        Built::plain(Expr {
            kind: ExprKind::Unary(op, Box::new(rhs.expr)),
            span,
        })
    } else {
        primary(first, place)?
    };
    loop {
        let Some(next) = tokens.peek() else {
            return Ok(lhs);
        };
        let op_span = place.span(next);
        let op = BinaryOp::from_symbol(next.as_str()).ok_or_else(|| internal(op_span))?;
        let level = op.precedence();
        if level <= min_level {
            return Ok(lhs);
        }
        tokens.next();
        // A right-associative operator takes a run of its own level on its
        // right: `2 ^ 3 ^ 2` is `2 ^ 9`.
        let right_min = match op.associativity() {
            Associativity::Right => level - 1,
            Associativity::Left | Associativity::None => level,
        };
        let rhs = climb(tokens, right_min, place)?;
        lhs = infix(lhs, op, op_span, rhs)?;
    }
}

fn infix(lhs: Built, bin: BinaryOp, op_span: Span, rhs: Built) -> Result<Built, SyntaxError> {
    let span = Span::new(lhs.expr.span.start(), rhs.expr.span.end());
    if bin == BinaryOp::To {
        return range(lhs.expr, op_span, rhs.expr, span).map(Built::plain);
    }
    if bin.is_comparison() {
        if lhs.bare_comparison || rhs.bare_comparison {
            return Err(SyntaxError::new(
                op_span,
                "comparisons cannot be chained",
                "second comparison",
            )
            .with_help("write (a < b) and (b < c)"));
        }
        let kind = ExprKind::Binary(bin, Box::new([lhs.expr, rhs.expr]));
        return Ok(Built {
            expr: Expr { kind, span },
            bare_comparison: true,
        });
    }
    if bin.associativity() == Associativity::Right {
        let kind = ExprKind::Binary(bin, Box::new([lhs.expr, rhs.expr]));
        return Ok(Built::plain(Expr { kind, span }));
    }
    // Left-associative levels flatten into one chain; a single `+ - * /`
    // stays a pair until a second operator of its level joins it.
    let kind = match lhs.expr.kind {
        ExprKind::Chain(mut chain)
            if chain
                .rest
                .first()
                .is_some_and(|(o, _)| o.precedence() == bin.precedence()) =>
        {
            chain.rest.push((bin, rhs.expr));
            ExprKind::Chain(chain)
        }
        ExprKind::Binary(op, pair) if op.is_arithmetic() && op.precedence() == bin.precedence() => {
            let [first, b] = *pair;
            ExprKind::Chain(Box::new(Chain {
                first,
                rest: vec![(op, b), (bin, rhs.expr)],
            }))
        }
        other => {
            let first = Expr {
                kind: other,
                span: lhs.expr.span,
            };
            if bin.is_arithmetic() {
                ExprKind::Binary(bin, Box::new([first, rhs.expr]))
            } else {
                ExprKind::Chain(Box::new(Chain {
                    first,
                    rest: vec![(bin, rhs.expr)],
                }))
            }
        }
    };
    Ok(Built::plain(Expr { kind, span }))
}

/// `a to b`: a range (docs/language.md#uncertainty); ranges do not chain.
fn range(low: Expr, op_span: Span, high: Expr, span: Span) -> Result<Expr, SyntaxError> {
    if matches!(&low.kind, ExprKind::Distribution(d) if d.family == Family::Range) {
        return Err(
            SyntaxError::new(op_span, "ranges cannot be chained", "second 'to'")
                .with_help("a range has two ends: low to high"),
        );
    }
    Ok(Expr {
        kind: ExprKind::Distribution(Box::new(Distribution {
            family: Family::Range,
            ends: vec![low, high],
            name: Box::default(),
            nth: 0,
        })),
        span,
    })
}

/// Whether a formula's text may hold a distribution (`to`, `normal(`,
/// `uniform(`, `triangular(`): only then are its distributions looked for
/// and numbered, so that the formulas of big certain models are not walked
/// once more.
pub(super) fn may_draw(text: &str) -> bool {
    if text.contains("to") {
        return true;
    }
    // A distribution written as a call has a parenthesis; most formulas have none.
    text.contains('(')
        && ["normal", "uniform", "triangular"].iter().any(|name| {
            text.as_bytes()
                .windows(name.len())
                .any(|w| w.eq_ignore_ascii_case(name.as_bytes()))
        })
}

/// A call of `normal`, `uniform` or `triangular`: a distribution, its
/// arguments checked (`normal` takes a range, `uniform` two values,
/// `triangular` three).
fn distribution_call(
    family: Family,
    name: &str,
    mut args: Vec<Expr>,
    span: Span,
) -> Result<ExprKind, SyntaxError> {
    let usage = match family {
        Family::Normal => "normal(a to b): normal, with 5th percentile a and 95th b",
        Family::Uniform => "uniform(low, high)",
        _ => "triangular(low, mode, high)",
    };
    let wrong = |what: &str| {
        SyntaxError::new(span, format!("{} {what}", family.name()), "this call")
            .with_help(format!("write {usage}"))
    };
    if args.iter().any(|a| matches!(a.kind, ExprKind::Group(_))) {
        return Err(wrong("does not take a group"));
    }
    let ends = if family == Family::Normal {
        match args.pop() {
            Some(Expr {
                kind: ExprKind::Distribution(d),
                ..
            }) if args.is_empty() && d.family == Family::Range => d.ends,
            _ => return Err(wrong("takes a range: normal(a to b)")),
        }
    } else {
        if args.len() != family.arity() {
            return Err(wrong(&format!(
                "takes {} values, not {}",
                family.arity(),
                args.len()
            )));
        }
        args
    };
    Ok(ExprKind::Distribution(Box::new(Distribution {
        family,
        ends,
        name: name.into(),
        nth: 0,
    })))
}

fn primary(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<Built, SyntaxError> {
    let (span, text) = place.text(&pair);
    let kind = match pair.as_rule() {
        Rule::plain if text.starts_with(|c: char| c.is_ascii_digit()) => {
            ExprKind::literal(plain_number(text, span)?)
        }
        Rule::plain | Rule::name => reference(text, span)?,
        Rule::literal => ExprKind::literal(literal(pair, place)?),
        Rule::kw_true => ExprKind::Bool(true),
        Rule::kw_false => ExprKind::Bool(false),
        Rule::paren => {
            let inner = pair.into_inner().next().ok_or_else(|| internal(span))?;
            ExprKind::Paren(Box::new(expr(inner, place)?))
        }
        Rule::if_expr => {
            // Its span takes in the layout after an `else` branch of a single
            // operand, as the spans of messages about it always have.
            let end = place.offset + measured_end(&pair, place.end);
            let mut parts = pair.into_inner().filter(|p| p.as_rule() == Rule::expr);
            let mut next = || -> Result<Expr, SyntaxError> {
                match parts.next() {
                    Some(p) => expr(p, place),
                    None => Err(internal(span)),
                }
            };
            let (cond, then, otherwise) = (next()?, next()?, next()?);
            let kind = ExprKind::If(Box::new(IfExpr {
                cond,
                then,
                otherwise,
            }));
            return Ok(Built::plain(Expr {
                kind,
                span: span.with_end(end),
            }));
        }
        Rule::call => call(pair, place)?,
        Rule::index => index(pair, place)?,
        _ => return Err(internal(span)),
    };
    Ok(Built::plain(Expr { kind, span }))
}

/// A cell named in a formula; a keyword there is refused.
fn reference(name: &str, span: Span) -> Result<ExprKind, SyntaxError> {
    if is_keyword(name) {
        return Err(keyword_error(span, name));
    }
    Ok(ExprKind::Ref {
        name: name.into(),
        id: CellId::UNRESOLVED,
    })
}

/// A plain number (`12`, `0.9999`, what `plain` reads when it is a number).
fn plain_number(text: &str, span: Span) -> Result<Literal, SyntaxError> {
    // Plain digits that print back as written (most numbers of big models)
    // need not be taken apart, nor their text kept.
    let as_written = prints_as_written(text);
    if let Some(value) = plain_value(text).filter(|_| as_written) {
        return Ok(Literal::new(
            value,
            Unit::dimensionless(),
            false,
            Box::default(),
        ));
    }
    let value = number_value(&NumberParts::of(text))
        .map_err(|e| SyntaxError::new(span, e.to_string(), "this number"))?;
    let written = if as_written {
        Box::default()
    } else {
        text.into()
    };
    Ok(Literal::new(value, Unit::dimensionless(), false, written))
}

/// A call: a function's, or a distribution written as one.
fn call(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<ExprKind, SyntaxError> {
    let span = place.span(&pair);
    let mut inner = pair.into_inner();
    let name_pair = inner.next().ok_or_else(|| internal(span))?;
    let name = name_pair.as_str();
    let name_span = place.span(&name_pair);
    if let Some(family) = Family::from_call(name) {
        let mut args = Vec::new();
        for arg in inner {
            if arg.as_rule() == Rule::group {
                args.push(Expr {
                    kind: ExprKind::Group(arg.as_str().into()),
                    span: place.span(&arg),
                });
            } else {
                args.push(expr(arg, place)?);
            }
        }
        return distribution_call(family, name, args, span);
    }
    let func = Function::from_name(name).ok_or_else(|| {
        let known =
            Function::ALL
                .iter()
                .map(|f| f.name())
                .chain(["normal", "uniform", "triangular"]);
        let err = SyntaxError::new(
            name_span,
            format!("unknown function '{name}'"),
            "not a built-in function",
        );
        match did_you_mean(&name.to_ascii_lowercase(), known) {
            Some(s) => err.with_help(format!("did you mean '{s}'?")),
            None => err.with_help(format!(
                "the functions are {}",
                Function::ALL
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    })?;
    let mut args = Vec::new();
    for arg in inner {
        let arg_span = place.span(&arg);
        match arg.as_rule() {
            Rule::group => {
                if !func.takes_groups() {
                    return Err(SyntaxError::new(
                        arg_span,
                        format!("{}() does not take a group", func.name()),
                        "a group of cells",
                    )
                    .with_help("groups go to sum, min, max, avg and count"));
                }
                let prefix = arg.as_str().trim_end_matches(".*");
                args.push(Expr {
                    kind: ExprKind::Group(prefix.into()),
                    span: arg_span,
                });
            }
            _ => args.push(expr(arg, place)?),
        }
    }
    let (lo, hi) = func.arity();
    if args.len() < lo || args.len() > hi {
        let wanted = match (lo, hi) {
            (1, usize::MAX) => "at least 1 argument".to_string(),
            (l, usize::MAX) => format!("at least {l} arguments"),
            (l, h) if l == h => format!("{l} argument{}", if l == 1 { "" } else { "s" }),
            (l, h) => format!("{l} to {h} arguments"),
        };
        return Err(SyntaxError::new(
            span,
            format!("{}() takes {wanted}, not {}", func.name(), args.len()),
            "this call",
        ));
    }
    Ok(ExprKind::Call(Box::new(Call {
        func,
        name: name.into(),
        args,
    })))
}

fn literal(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<Literal, SyntaxError> {
    let span = place.span(&pair);
    let mut unit = Unit::dimensionless();
    let mut text: &str = "";
    let mut unit_text: Option<String> = None;
    let mut parts = NumberParts::default();
    for p in pair.into_inner() {
        match p.as_rule() {
            Rule::money => {
                text = p.as_str();
                unit = Unit::usd();
                if let Some(n) = p.into_inner().next() {
                    number_parts(n, &mut parts);
                }
            }
            Rule::number => {
                text = p.as_str();
                number_parts(p, &mut parts);
            }
            Rule::unit => {
                let u_span = place.span(&p);
                let (parsed, inner) = bracketed(p, place)?;
                if !unit.is_dimensionless() && parsed.power_of(USD) != 0 {
                    return Err(usd_twice(u_span, text, &inner, &parsed));
                }
                unit = unit.mul(&parsed).ok_or_else(|| {
                    SyntaxError::new(u_span, "unit powers too large", "this unit")
                })?;
                unit_text = Some(inner.into());
            }
            _ => {}
        }
    }
    let value =
        number_value(&parts).map_err(|e| SyntaxError::new(span, e.to_string(), "this number"))?;
    // Plain digits that print back identically need not be kept.
    let canonical = unit_text.is_none() && prints_as_written(text);
    let written: Box<str> = match (canonical, unit_text) {
        (true, _) => Box::default(),
        (false, None) => text.into(),
        (false, Some(u)) => format!("{text} [{u}]").into(),
    };
    Ok(Literal::new(value, unit, parts.percent, written))
}

/// Whether a number prints back exactly as written (`12`, `0.9999`), decided
/// from the text alone: formatting every literal to compare took a noticeable
/// share of parsing a million-cell model. Digits with at most one point, no
/// leading zero, no trailing zero after the point (values are normalized:
/// `1.50` is held as 1.5), and few enough digits to be held exactly.
fn prints_as_written(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    bytes.len() <= 28
        && digits(int)
        && frac.is_none_or(|f| digits(f) && !f.ends_with('0'))
        && (int == "0" || !int.starts_with('0'))
}

fn number_parts<'a>(pair: Pair<'a, Rule>, parts: &mut NumberParts<'a>) {
    *parts = NumberParts::of(pair.as_str());
}

/// A bracketed unit (`[kW/rack]`) and its text between the brackets as
/// written, without layout (`kW/rack`).
fn bracketed(pair: Pair<'_, Rule>, place: Place<'_>) -> Result<(Unit, Box<str>), SyntaxError> {
    let span = place.span(&pair);
    let written: String = place
        .written(&pair)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let unit = unit_of(pair)
        .ok_or_else(|| SyntaxError::new(span, "unit powers too large", "this unit"))?;
    let inner = written.trim_start_matches('[').trim_end_matches(']');
    Ok((unit, inner.into()))
}

/// A `$` number whose brackets name USD again (`$0.08 [USD/kWh]`): refused
/// with the two right spellings, neither of which names a currency twice
/// (docs/language.md#units): the number without its `$`, and, when the
/// brackets name USD once, the `$` number without USD in its brackets.
fn usd_twice(span: Span, money: &str, inside: &str, bracketed: &Unit) -> SyntaxError {
    let amount = money.trim_start_matches('$');
    let mut spellings = vec![format!("{amount} [{inside}]")];
    if let Some(rest) = bracketed
        .div(&Unit::usd())
        .filter(|_| bracketed.power_of(USD) == 1)
    {
        let rest = rest.to_string();
        spellings.insert(
            0,
            match rest.strip_prefix("1/") {
                _ if rest.is_empty() => money.to_string(),
                Some(per) => format!("{money} [/{per}]"),
                None => format!("{money} [{rest}]"),
            },
        );
    }
    SyntaxError::new(
        span,
        format!("{money} is already in USD: its brackets must not name USD again"),
        "names USD again",
    )
    .with_help(format!("write {}", spellings.join(" or ")))
}

/// `[USD/kWh]` as a unit; `None` if a power overflows.
fn unit_of(pair: Pair<'_, Rule>) -> Option<Unit> {
    let mut factors: Vec<(&str, i32)> = Vec::new();
    let body = pair.into_inner().next()?;
    // A unit body that starts with `/` has only a denominator.
    let mut sign = if body.as_str().trim_start().starts_with('/') {
        -1
    } else {
        1
    };
    for p in body.into_inner() {
        match p.as_rule() {
            Rule::unit_one => sign = -1, // `1/GPU`: what follows is the denominator
            Rule::unit_product => {
                for f in p.into_inner() {
                    let mut it = f.into_inner();
                    let name = it.next()?.as_str();
                    let power = match it.next() {
                        Some(pw) => pw.as_str().parse::<i32>().ok()?,
                        None => 1,
                    };
                    factors.push((name, power.checked_mul(sign)?));
                }
                sign = -1;
            }
            _ => {}
        }
    }
    Unit::from_factors(factors)
}

/// A parse tree of a shape the grammar cannot produce; reported, never a panic.
fn internal(span: Span) -> SyntaxError {
    SyntaxError::new(
        span,
        "premise could not read this formula (internal error)",
        "here",
    )
}

#[cfg(test)]
mod tests {
    use super::prints_as_written;
    use crate::syntax::ast::{BinaryOp, Expr, ExprKind};
    use crate::syntax::literal::{number_value, NumberParts};
    use crate::syntax::parse_expression;

    fn kind(text: &str) -> ExprKind {
        parse_expression(text).unwrap().0.kind
    }

    /// A million-cell model holds a million formulas: a node is four words,
    /// and a definition fits mimalloc's 64-byte size class.
    #[test]
    fn formula_nodes_are_small() {
        assert_eq!(std::mem::size_of::<Expr>(), 32);
        assert!(std::mem::size_of::<crate::model::Definition>() <= 64);
    }

    /// The common shapes take the small forms: a single `+ - * /` is one
    /// pair, plain digits stay inline; chains start at two operators.
    #[test]
    fn formulas_take_their_smallest_form() {
        let ExprKind::Binary(BinaryOp::Add, pair) = kind("x * 0.9999 + 1") else {
            panic!("x * 0.9999 + 1 is not a pair");
        };
        let [product, one] = *pair;
        assert!(matches!(product.kind, ExprKind::Binary(BinaryOp::Mul, _)));
        assert_eq!(one.kind, ExprKind::Number(rust_decimal::Decimal::ONE));
        for (text, ops) in [
            ("a + b - c", vec![BinaryOp::Add, BinaryOp::Sub]),
            (
                "a * b / c * d",
                vec![BinaryOp::Mul, BinaryOp::Div, BinaryOp::Mul],
            ),
            ("a and b", vec![BinaryOp::And]),
            ("a or b or c", vec![BinaryOp::Or, BinaryOp::Or]),
        ] {
            let ExprKind::Chain(chain) = kind(text) else {
                panic!("{text} is not a chain");
            };
            let got: Vec<BinaryOp> = chain.rest.iter().map(|(o, _)| *o).collect();
            assert_eq!(got, ops, "{text}");
        }
        assert!(matches!(kind("a < b"), ExprKind::Binary(BinaryOp::Lt, _)));
        assert!(matches!(kind("a ^ b"), ExprKind::Binary(BinaryOp::Pow, _)));
        // `(a + b) + c` keeps its parentheses: a pair around a paren.
        assert!(matches!(
            kind("(a + b) + c"),
            ExprKind::Binary(BinaryOp::Add, _)
        ));
        // Up to 28 digits print as written, a plain number at the end of a formula too.
        for text in ["12", "0.9999", "0", "7922816251426433759354395033"] {
            assert!(matches!(kind(text), ExprKind::Number(_)), "{text}");
        }
        for text in ["$5", "50%", "1_000", "700 [W]", "1.50", "5K"] {
            assert!(matches!(kind(text), ExprKind::Literal(_)), "{text}");
        }
    }

    /// An `if` whose `else` branch is a single operand, or ends in a name,
    /// spans the white space and comments after it (up to the statement's
    /// end, or a `)`), as the spans messages show always have; one ending in
    /// another operand ends with it.
    #[test]
    fn an_if_spans_the_layout_after_a_last_single_operand() {
        let end = |text: &str| parse_expression(text).unwrap().0.span.end();
        assert_eq!(end("if a then b else c  # note"), 26);
        assert_eq!(end("if a then b else c + d  "), 24);
        assert_eq!(end("if a then b else c + 1  "), 22);
        assert_eq!(end("if a then b else (c)  "), 22);
        assert_eq!(end("(if a then b else 1  )"), 22);
        let inner = parse_expression("(if a then b else 1  )").unwrap().0;
        let ExprKind::Paren(inside) = inner.kind else {
            panic!("a parenthesis");
        };
        assert_eq!(inside.span.end(), 21);
    }

    /// The shortcut agrees with formatting the literal's value, wherever it says yes.
    #[test]
    fn numbers_that_print_as_written() {
        let printed = |text: &str| number_value(&NumberParts::of(text)).unwrap().to_string();
        for text in [
            "0",
            "7",
            "12",
            "0.9999",
            "100",
            "0.5",
            "1234567890.0987654321",
        ] {
            assert!(prints_as_written(text), "{text}");
            assert_eq!(printed(text), text);
        }
        for text in ["1.50", "0.0", "2.0", "10.10", "007", "00.5"] {
            assert!(!prints_as_written(text), "{text}");
            assert_ne!(printed(text), text, "{text} would be kept needlessly");
        }
        for text in ["1e3", "5K", "1_000", "50%", "$5", "1.", ".5", "1.2.3", ""] {
            assert!(!prints_as_written(text), "{text}");
        }
        assert!(!prints_as_written("1234567890123456789012345678.9"));
    }
}
