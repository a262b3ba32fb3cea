//! Whether two formulas say the same thing, whatever their spacing.
//!
//! Formulas are compared as syntax trees: spans, spacing and the way a
//! number is spelled (`$50B`, `$50_000M`) do not count; operators,
//! parentheses, names, functions and literal values (with unit and `%`) do.
//! So re-spacing or re-flowing a model is never reported as a change.

use rust_decimal::Decimal;

use super::ast::{Expr, ExprKind};
use crate::value::Unit;

/// Whether `a` and `b` are the same formula (ignoring spans, spacing and literal spelling).
pub fn same_formula(a: &Expr, b: &Expr) -> bool {
    // An explicit stack: formulas can be long.
    let mut stack: Vec<(&Expr, &Expr)> = vec![(a, b)];
    while let Some((x, y)) = stack.pop() {
        if !same_node(&x.kind, &y.kind) {
            return false;
        }
        let mut xs: Vec<&Expr> = Vec::new();
        let mut ys: Vec<&Expr> = Vec::new();
        x.for_each_child(|c| xs.push(c));
        y.for_each_child(|c| ys.push(c));
        if xs.len() != ys.len() {
            return false;
        }
        stack.extend(xs.into_iter().zip(ys));
    }
    true
}

/// A number literal's value, unit and percent mark, however it is held.
fn number(kind: &ExprKind) -> Option<(Decimal, &Unit, bool)> {
    static PLAIN: Unit = Unit::DIMENSIONLESS;
    match kind {
        ExprKind::Number(n) => Some((*n, &PLAIN, false)),
        ExprKind::Literal(l) => Some((l.value, &l.unit, l.percent())),
        _ => None,
    }
}

/// Compares one node, not its children.
fn same_node(a: &ExprKind, b: &ExprKind) -> bool {
    if let (Some(x), Some(y)) = (number(a), number(b)) {
        return x == y;
    }
    match (a, b) {
        (ExprKind::Bool(x), ExprKind::Bool(y)) => x == y,
        (ExprKind::Ref { name: x, .. }, ExprKind::Ref { name: y, .. }) => x == y,
        (ExprKind::Group(x), ExprKind::Group(y)) => x == y,
        (ExprKind::Paren(_), ExprKind::Paren(_)) => true,
        (ExprKind::Unary(x, _), ExprKind::Unary(y, _)) => x == y,
        (ExprKind::Chain(x), ExprKind::Chain(y)) => {
            x.rest.len() == y.rest.len()
                && x.rest.iter().zip(&y.rest).all(|((o, _), (p, _))| o == p)
        }
        (ExprKind::Binary(x, _), ExprKind::Binary(y, _)) => x == y,
        (ExprKind::If(_), ExprKind::If(_)) => true,
        (ExprKind::Call(x), ExprKind::Call(y)) => x.func == y.func,
        (ExprKind::Index(x), ExprKind::Index(y)) => x.name == y.name && x.period == y.period,
        (ExprKind::Distribution(x), ExprKind::Distribution(y)) => x.family == y.family,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_expression;

    fn same(a: &str, b: &str) -> bool {
        let (x, _) = parse_expression(a).unwrap();
        let (y, _) = parse_expression(b).unwrap();
        same_formula(&x, &y)
    }

    #[test]
    fn spacing_and_spelling_do_not_count() {
        assert!(same("a*b+ c", "a * b + c"));
        assert!(same("$50B", "$50_000M"));
        assert!(same("SUM(revenue.*)", "sum( revenue.* )"));
        assert!(same("(a +\n b)", "(a + b)"));
        assert!(same("700[W]", "700 [W]"));
        // plain digits are held inline, other spellings boxed: still the same number
        assert!(same("1000", "1_000"));
        assert!(same("x * 1.5", "x * 1.50"));
        assert!(same("2000", "2K"));
    }

    #[test]
    fn meaning_counts() {
        assert!(!same("a * b", "a * c"));
        assert!(!same("a + b", "a - b"));
        assert!(!same("(a + b)", "a + b"));
        assert!(!same("50%", "0.5"));
        assert!(!same("$5", "5"));
        assert!(!same("5", "5%"));
        assert!(!same("5", "5 [W]"));
        assert!(!same("a + b", "a + b + c"));
        assert!(!same("min(a, b)", "max(a, b)"));
        assert!(!same("-a", "not a"));
    }
}
