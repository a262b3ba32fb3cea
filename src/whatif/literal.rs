//! Writing a number back as a formula: `$18.75B`, `45%`, `0.6`, `700 [W]`.
//!
//! A solved or swept value becomes the varied cell's formula, and the REPL
//! may save it to the file, so the text must read back as exactly the same
//! number: every candidate text is parsed and evaluated before it is used.

use rust_decimal::Decimal;

use crate::eval::{Point, Scope};
use crate::model::Model;
use crate::syntax::ast::{ExprKind, Literal};
use crate::syntax::{parse_expression, Expr, Span};
use crate::value::{Unit, Value};

/// Scale suffixes tried for dollar amounts, largest first.
const SUFFIXES: [(&str, u32); 4] = [("T", 12), ("B", 9), ("M", 6), ("K", 3)];

/// A formula that is exactly `amount` in `unit`, and its text.
///
/// It exists so that probes, `:solve`'s offer to apply the answer, and
/// `:save` all write numbers the way an analyst would (`$18.75B`, `45%`)
/// while keeping every digit.
pub fn number_formula(amount: Decimal, unit: &Unit, percent: bool) -> (Expr, String) {
    let want = Value::with_unit(amount, unit.clone());
    for text in candidates(amount, unit, percent) {
        if let Ok((expr, _)) = parse_expression(&text) {
            let empty = Model::default();
            let point = Point::default();
            let scope = Scope::new(&empty, &[], &point);
            if scope.eval(&expr).as_ref() == Ok(&want) {
                return (expr, text);
            }
        }
    }
    // No text reads back exactly (it cannot happen for decimals the parser
    // accepts); build the literal directly so the value is still exact.
    let text = amount.normalize().to_string();
    (literal(amount, unit, text.clone()), text)
}

/// A literal formula of `amount` in `unit` written as `text`, built without
/// parsing: for the many trial values of a search, whose text nobody reads.
pub(super) fn literal(amount: Decimal, unit: &Unit, text: String) -> Expr {
    let len = text.len();
    Expr {
        kind: ExprKind::literal(Literal::new(amount, unit.clone(), false, text.into())),
        span: Span::new(0, len),
    }
}

/// Texts for the number, the analyst's favourite first.
fn candidates(amount: Decimal, unit: &Unit, percent: bool) -> Vec<String> {
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    let abs = amount.abs().normalize();
    let plain = abs.to_string();
    let mut out = Vec::new();
    if unit.is_dimensionless() {
        if percent {
            if let Some(p) = abs.checked_mul(Decimal::ONE_HUNDRED) {
                out.push(format!("{sign}{}%", p.normalize()));
            }
        }
        out.push(format!("{sign}{plain}"));
        return out;
    }
    if unit == &Unit::usd() {
        for (suffix, e) in SUFFIXES {
            let scale = Decimal::from(10u64.pow(e));
            if abs >= scale {
                if let Some(scaled) = abs.checked_div(scale) {
                    out.push(format!("{sign}${}{suffix}", scaled.normalize()));
                }
            }
        }
        out.push(format!("{sign}${plain}"));
    }
    out.push(format!("{sign}{plain} [{unit}]"));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use std::str::FromStr;

    fn text(amount: &str, unit: Unit, percent: bool) -> String {
        number_formula(Decimal::from_str(amount).unwrap(), &unit, percent).1
    }

    #[test]
    fn numbers_read_back_as_analysts_write_them() {
        assert_eq!(text("18750000000", Unit::usd(), false), "$18.75B");
        assert_eq!(text("-3000000", Unit::usd(), false), "-$3M");
        assert_eq!(text("950", Unit::usd(), false), "$950");
        assert_eq!(text("0.45", Unit::dimensionless(), true), "45%");
        assert_eq!(text("0.6", Unit::dimensionless(), false), "0.6");
        assert_eq!(text("700", Unit::named("W"), false), "700 [W]");
        assert_eq!(
            text(
                "1.3333333333333333333333333333",
                Unit::dimensionless(),
                true
            ),
            "133.33333333333333333333333333%"
        );
        let per_gpu = Unit::usd().div(&Unit::named("GPU")).unwrap();
        assert_eq!(text("2", per_gpu, false), "2 [USD/GPU]");
    }
}
