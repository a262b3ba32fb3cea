//! Whether two formulas say the same thing, whatever their spacing.
//!
//! Formulas are compared as syntax trees: spans, spacing and the way a
//! number is spelled (`$50B`, `$50_000M`) do not count; operators,
//! parentheses, names, functions and literal values (with unit and `%`) do.
//! So re-spacing or re-flowing a model is never reported as a change.

use crate::syntax::ast::{Expr, ExprKind};

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

/// Compares one node, not its children.
fn same_node(a: &ExprKind, b: &ExprKind) -> bool {
    match (a, b) {
        (ExprKind::Literal(x), ExprKind::Literal(y)) => {
            x.value == y.value && x.unit == y.unit && x.percent() == y.percent()
        }
        (ExprKind::Bool(x), ExprKind::Bool(y)) => x == y,
        (ExprKind::Ref(x), ExprKind::Ref(y)) => x.name == y.name,
        (ExprKind::Group(x), ExprKind::Group(y)) => x == y,
        (ExprKind::Paren(_), ExprKind::Paren(_)) => true,
        (ExprKind::Unary(x, _), ExprKind::Unary(y, _)) => x == y,
        (ExprKind::Chain(_, xs), ExprKind::Chain(_, ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|((o, _), (p, _))| o == p)
        }
        (ExprKind::Binary(x, _, _), ExprKind::Binary(y, _, _)) => x == y,
        (ExprKind::If(_), ExprKind::If(_)) => true,
        (ExprKind::Call(x), ExprKind::Call(y)) => x.func == y.func,
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
    }

    #[test]
    fn meaning_counts() {
        assert!(!same("a * b", "a * c"));
        assert!(!same("a + b", "a - b"));
        assert!(!same("(a + b)", "a + b"));
        assert!(!same("50%", "0.5"));
        assert!(!same("$5", "5"));
        assert!(!same("a + b", "a + b + c"));
        assert!(!same("min(a, b)", "max(a, b)"));
        assert!(!same("-a", "not a"));
    }
}
