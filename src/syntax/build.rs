//! Turns pest's parse of one statement into the syntax tree.
//!
//! Operator precedence is resolved here by precedence climbing over the flat
//! token list the grammar produces (docs/language.md#expressions).
//! Before any recursion, the depth the tree would reach is measured with an
//! explicit stack, so that hostile nesting is refused instead of overflowing.

use std::iter::Peekable;

use pest::iterators::{Pair, Pairs};

use super::ast::{
    BinaryOp, Call, CellId, Chain, Expr, ExprKind, Function, IfExpr, Literal, Span, UnaryOp,
};
use super::error::SyntaxError;
use super::literal::{number_value, plain_value, NumberParts};
use super::Rule;
use crate::suggest::did_you_mean;
use crate::value::Unit;

/// How deep a formula's tree may grow (parentheses, prefixes, `^` chains and `if`s together).
pub const MAX_DEPTH: usize = 400;

fn span_of(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

/// Refuses trees deeper than [`MAX_DEPTH`], measured without recursion.
pub fn check_depth(pair: &Pair<'_, Rule>) -> Result<(), SyntaxError> {
    check_depth_from(pair, 0)
}

/// [`check_depth`] for a pair that stands `start` levels deep in the tree the
/// general rule would have built (the fast path's formula stands where
/// `statement > cell_def > expr` puts it: 2), so both paths refuse alike.
pub fn check_depth_from(pair: &Pair<'_, Rule>, start: usize) -> Result<(), SyntaxError> {
    if pair.as_str().len() + start < MAX_DEPTH {
        return Ok(()); // every level of nesting needs at least one character
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
        if depth > MAX_DEPTH {
            return Err(too_deep(span_of(&p)));
        }
        let mut local = 1;
        if matches!(p.as_rule(), Rule::expr | Rule::fast_expr) {
            let mut run = 0;
            let mut longest = 0;
            let mut pows = 0;
            for c in p.clone().into_inner() {
                match c.as_rule() {
                    Rule::prefix => {
                        run += 1;
                        longest = longest.max(run);
                    }
                    Rule::infix if c.as_str() == "^" => {
                        pows += 1;
                        run = 0;
                    }
                    _ => run = 0,
                }
                // A run of prefixes or `^`s that passes the limit: point at the
                // operator that does, not at the end of the run.
                if depth + 1 + longest + pows > MAX_DEPTH {
                    return Err(too_deep(span_of(&c)));
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
pub fn expr(pair: Pair<'_, Rule>) -> Result<Expr, SyntaxError> {
    pratt(pair.into_inner()).map(|b| b.expr)
}

/// Binding powers, as in a Pratt parser: `or` < `and` < `not` < comparisons
/// < `+ -` < `* /` < prefix `- +` < `^` (docs/language.md#expressions).
fn infix_power(op: BinaryOp) -> u8 {
    match op {
        BinaryOp::Or => 10,
        BinaryOp::And => 20,
        BinaryOp::Eq | BinaryOp::Ne | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
            40
        }
        BinaryOp::Add | BinaryOp::Sub => 50,
        BinaryOp::Mul | BinaryOp::Div => 60,
        BinaryOp::Pow => 80,
    }
}

fn prefix_power(op: UnaryOp) -> u8 {
    match op {
        UnaryOp::Not => 30,
        UnaryOp::Neg | UnaryOp::Plus => 70,
    }
}

fn unary_op(text: &str) -> UnaryOp {
    match text {
        "-" => UnaryOp::Neg,
        "+" => UnaryOp::Plus,
        _ => UnaryOp::Not,
    }
}

fn binary_op(text: &str) -> Option<BinaryOp> {
    Some(match text {
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Sub,
        "*" => BinaryOp::Mul,
        "/" => BinaryOp::Div,
        "^" => BinaryOp::Pow,
        "==" => BinaryOp::Eq,
        "!=" => BinaryOp::Ne,
        "<" => BinaryOp::Lt,
        "<=" => BinaryOp::Le,
        ">" => BinaryOp::Gt,
        ">=" => BinaryOp::Ge,
        "and" => BinaryOp::And,
        "or" => BinaryOp::Or,
        _ => return None,
    })
}

type Tokens<'i> = Peekable<Pairs<'i, Rule>>;

/// Operator precedence over the flat `prefix* primary (infix prefix* primary)*`
/// the grammar produces. Recursion is bounded: [`check_depth`] ran first.
fn pratt(pairs: Pairs<'_, Rule>) -> Result<Built, SyntaxError> {
    let mut tokens = pairs.peekable();
    let span = tokens.peek().map(span_of).unwrap_or_default();
    let built = climb(&mut tokens, 0)?;
    match tokens.next() {
        None => Ok(built),
        Some(_) => Err(internal(span)),
    }
}

fn climb(tokens: &mut Tokens<'_>, min_power: u8) -> Result<Built, SyntaxError> {
    let first = tokens.next().ok_or_else(|| internal(Span::default()))?;
    let mut lhs = if first.as_rule() == Rule::prefix {
        let op = unary_op(first.as_str());
        let rhs = climb(tokens, prefix_power(op) - 1)?;
        let span = Span::new(span_of(&first).start(), rhs.expr.span.end());
        Built::plain(Expr {
            kind: ExprKind::Unary(op, Box::new(rhs.expr)),
            span,
        })
    } else {
        primary(first)?
    };
    loop {
        let Some(next) = tokens.peek() else {
            return Ok(lhs);
        };
        let op = binary_op(next.as_str()).ok_or_else(|| internal(span_of(next)))?;
        let power = infix_power(op);
        if power <= min_power {
            return Ok(lhs);
        }
        let op_span = span_of(next);
        tokens.next();
        // `^` is right-associative: `2 ^ 3 ^ 2` is `2 ^ 9`.
        let rhs = climb(
            tokens,
            if op == BinaryOp::Pow {
                power - 1
            } else {
                power
            },
        )?;
        lhs = infix(lhs, op, op_span, rhs)?;
    }
}

fn infix(lhs: Built, bin: BinaryOp, op_span: Span, rhs: Built) -> Result<Built, SyntaxError> {
    let span = Span::new(lhs.expr.span.start(), rhs.expr.span.end());
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
    if bin == BinaryOp::Pow {
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
                .is_some_and(|(o, _)| o.level() == bin.level()) =>
        {
            chain.rest.push((bin, rhs.expr));
            ExprKind::Chain(chain)
        }
        ExprKind::Binary(op, pair) if op.is_arithmetic() && op.level() == bin.level() => {
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

fn primary(pair: Pair<'_, Rule>) -> Result<Built, SyntaxError> {
    let span = span_of(&pair);
    let kind = match pair.as_rule() {
        Rule::literal | Rule::fast_literal | Rule::fast_number => ExprKind::literal(literal(pair)?),
        Rule::kw_true => ExprKind::Bool(true),
        Rule::kw_false => ExprKind::Bool(false),
        Rule::name => {
            // `true.x`, `false.x`, `not.x`: the general rule reads the keyword
            // (a value or a prefix) and then fails on `.x`; only the fast path
            // gets here with one. (`if.x` is a name to both: `if` without its
            // `then` lets the general rule try a name instead.)
            let first = pair.as_str().split('.').next().unwrap_or("");
            if super::is_keyword(pair.as_str()) || matches!(first, "true" | "false" | "not") {
                return Err(super::keyword_error(span, pair.as_str()));
            }
            ExprKind::Ref {
                name: pair.as_str().into(),
                id: CellId::UNRESOLVED,
            }
        }
        Rule::paren => {
            let inner = first_inner(pair, span)?;
            ExprKind::Paren(Box::new(expr(inner)?))
        }
        Rule::if_expr => {
            let mut parts = pair.into_inner().filter(|p| p.as_rule() == Rule::expr);
            let mut next = || -> Result<Expr, SyntaxError> {
                match parts.next() {
                    Some(p) => expr(p),
                    None => Err(internal(span)),
                }
            };
            let (cond, then, otherwise) = (next()?, next()?, next()?);
            ExprKind::If(Box::new(IfExpr {
                cond,
                then,
                otherwise,
            }))
        }
        Rule::call => ExprKind::Call(Box::new(call(pair)?)),
        _ => return Err(internal(span)),
    };
    Ok(Built::plain(Expr { kind, span }))
}

fn call(pair: Pair<'_, Rule>) -> Result<Call, SyntaxError> {
    let span = span_of(&pair);
    let mut inner = pair.into_inner();
    let name_pair = inner.next().ok_or_else(|| internal(span))?;
    let name = name_pair.as_str();
    let name_span = span_of(&name_pair);
    let func = Function::from_name(name).ok_or_else(|| {
        let known = Function::ALL.iter().map(|f| f.name());
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
        let arg_span = span_of(&arg);
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
            _ => args.push(expr(arg)?),
        }
    }
    let (lo, hi) = func.arity();
    if args.len() < lo || args.len() > hi {
        let wanted = match (lo, hi) {
            (1, usize::MAX) => "at least 1 argument".to_string(),
            (l, h) if l == h => format!("{l} argument{}", if l == 1 { "" } else { "s" }),
            (l, h) => format!("{l} to {h} arguments"),
        };
        return Err(SyntaxError::new(
            span,
            format!("{}() takes {wanted}, not {}", func.name(), args.len()),
            "this call",
        ));
    }
    Ok(Call {
        func,
        name: name.into(),
        args,
    })
}

fn literal(pair: Pair<'_, Rule>) -> Result<Literal, SyntaxError> {
    let span = span_of(&pair);
    let mut unit = Unit::dimensionless();
    let mut text: &str = "";
    let mut unit_text: Option<String> = None;
    let mut parts = NumberParts::default();
    if pair.as_rule() == Rule::fast_number {
        // The number alone, with no inner pairs. Plain digits that print back
        // as written (most numbers of big models) need not be taken apart.
        text = pair.as_str();
        if let Some(value) = plain_value(text).filter(|_| prints_as_written(text)) {
            return Ok(Literal::new(value, unit, false, Box::default()));
        }
        number_parts(pair.clone(), &mut parts);
    }
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
                let u_span = span_of(&p);
                let written: String = p.as_str().chars().filter(|c| !c.is_whitespace()).collect();
                let parsed = unit_of(p).ok_or_else(|| {
                    SyntaxError::new(u_span, "unit powers too large", "this unit")
                })?;
                unit = unit.mul(&parsed).ok_or_else(|| {
                    SyntaxError::new(u_span, "unit powers too large", "this unit")
                })?;
                let inner = written
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .to_string();
                unit_text = Some(inner);
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

fn first_inner(pair: Pair<'_, Rule>, span: Span) -> Result<Pair<'_, Rule>, SyntaxError> {
    pair.into_inner().next().ok_or_else(|| internal(span))
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
        for text in ["12", "0.9999", "0"] {
            assert!(matches!(kind(text), ExprKind::Number(_)), "{text}");
        }
        for text in ["$5", "50%", "1_000", "700 [W]", "1.50", "5K"] {
            assert!(matches!(kind(text), ExprKind::Literal(_)), "{text}");
        }
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
