//! Formulas back to text: one canonical spelling, used for display, JSON,
//! `fmt` and diffs. Parentheses and number literals stay as written.

use super::ast::{Expr, ExprKind, Hint};

/// The canonical text of a formula.
pub fn formula_text(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr, &|_| None);
    out
}

/// A formula as a definition writes it, with its hint: `x / y as %`,
/// `power * 8 [h] as [MWh]`.
pub fn written_with(expr: &Expr, hint: Option<&Hint>) -> String {
    let mut out = formula_text(expr);
    if let Some(hint) = hint {
        out.push(' ');
        out.push_str(&hint.text());
    }
    out
}

/// Writes `expr`, letting `subst` replace the reads of cells (`x`,
/// `x[year - 1]`: [`ExprKind::Ref`] and [`ExprKind::Index`] nodes) with
/// their values, for `explain`.
pub fn write_expr(out: &mut String, expr: &Expr, subst: &dyn Fn(&Expr) -> Option<String>) {
    match &expr.kind {
        ExprKind::Number(n) => {
            use std::fmt::Write;
            let _ = write!(out, "{n}");
        }
        ExprKind::Literal(l) => {
            out.push_str(&l.text());
        }
        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprKind::Ref { name, .. } => match subst(expr) {
            Some(s) => out.push_str(&s),
            None => out.push_str(name),
        },
        ExprKind::Group(g) => {
            out.push_str(g);
            out.push_str(".*");
        }
        ExprKind::Paren(e) => {
            out.push('(');
            write_expr(out, e, subst);
            out.push(')');
        }
        ExprKind::Unary(op, e) => {
            out.push_str(op.written());
            write_expr(out, e, subst);
        }
        ExprKind::Chain(chain) => {
            write_expr(out, &chain.first, subst);
            for (op, e) in &chain.rest {
                out.push(' ');
                out.push_str(op.symbol());
                out.push(' ');
                write_expr(out, e, subst);
            }
        }
        ExprKind::Binary(op, pair) => {
            let [a, b] = &**pair;
            write_expr(out, a, subst);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            write_expr(out, b, subst);
        }
        ExprKind::If(i) => {
            out.push_str("if ");
            write_expr(out, &i.cond, subst);
            out.push_str(" then ");
            write_expr(out, &i.then, subst);
            out.push_str(" else ");
            write_expr(out, &i.otherwise, subst);
        }
        ExprKind::Index(i) => match subst(expr) {
            Some(s) => out.push_str(&s),
            None => {
                use std::fmt::Write;
                let _ = write!(out, "{}[{}]", i.name, i.period);
            }
        },
        ExprKind::Call(c) => {
            out.push_str(&c.name);
            out.push('(');
            for (i, a) in c.args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, a, subst);
            }
            out.push(')');
        }
        ExprKind::Distribution(d) => {
            let mut ends = d.ends.iter();
            if d.family == crate::uncertainty::Family::Uniform
                || d.family == crate::uncertainty::Family::Triangular
            {
                out.push_str(&d.name);
                out.push('(');
                for (i, e) in ends.enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_expr(out, e, subst);
                }
                out.push(')');
                return;
            }
            let normal = d.family == crate::uncertainty::Family::Normal;
            if normal {
                out.push_str(&d.name);
                out.push('(');
            }
            if let Some(a) = ends.next() {
                write_expr(out, a, subst);
            }
            for e in ends {
                out.push_str(" to ");
                write_expr(out, e, subst);
            }
            if normal {
                out.push(')');
            }
        }
    }
}

/// A string as a model writes it (an import's path, an assertion's
/// message): in double quotes, with `\` before a `"` or a `\` inside.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}
