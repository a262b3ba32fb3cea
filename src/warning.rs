//! Warnings: what computes, but is likely not what the analyst meant.
//!
//! `margin = 50` for a cell shown as a percentage is 5000%; `utilisaton = 80%`
//! beside `utilisation` defines a second cell. Such a slip gives no error
//! and a wrong answer, so premise says so: a [`Warning`] points at the spot
//! in the text it was found in, and each front end shows it its own way,
//! on stderr, the value still computed and the exit status unchanged:
//! `check` and `eval` draw it like a diagnostic (file:line:col, the line, a
//! caret; [`crate::diagnostic::Report`]), `--set` against its own text, the
//! REPL as a `warning:` line under the input.

use rust_decimal::Decimal;

use crate::model::Model;
use crate::syntax::{Expr, ExprKind, Span};

/// A likely slip, at a place in the text it was found in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// Where: a byte range of the file, the `--set` value or the REPL input.
    pub span: Span,
    /// What it reads as, in words.
    pub message: String,
    /// The note under the caret.
    pub label: String,
    /// What to write instead, or how to take it back.
    pub help: String,
}

impl Warning {
    /// The warning on one line, for the REPL: `message (help)`.
    pub fn one_line(&self) -> String {
        format!("{} ({})", self.message, self.help)
    }
}

/// `margin = 50` where `margin` shows as a percentage: 50 reads as 5000%.
///
/// `shown_as_percent`: the cell shows as a percentage now; `expr` and
/// `as_percent`: its new formula. Only a plain number above 1 (or below -1)
/// is a slip: `0.6` is a fine way to write 60%, and a formula is the
/// analyst's own business.
pub fn percent_slip(
    cell: &str,
    shown_as_percent: bool,
    expr: &Expr,
    as_percent: bool,
) -> Option<Warning> {
    if !shown_as_percent || as_percent {
        return None;
    }
    let value = plain_number(expr)?;
    if value.abs() <= Decimal::ONE {
        return None;
    }
    let percent = value.checked_mul(Decimal::ONE_HUNDRED)?.normalize();
    let written = value.normalize();
    Some(Warning {
        span: expr.span,
        message: format!("'{cell}' is a percentage: {written} is {percent}%, not {written}%"),
        label: format!("{percent}%"),
        help: format!("write {written}% for {written} percent"),
    })
}

/// The value of a formula that is one plain number (`50`, `-3`, `1_000`):
/// no unit, no `%`, no scale.
fn plain_number(expr: &Expr) -> Option<Decimal> {
    match &expr.kind {
        ExprKind::Number(d) => Some(*d),
        ExprKind::Literal(l) if l.unit.is_dimensionless() && !l.percent() => Some(l.value),
        ExprKind::Unary(crate::syntax::ast::UnaryOp::Neg, inner) => plain_number(inner).map(|d| -d),
        _ => None,
    }
}

/// A new cell named like an existing one (`utilisaton` beside
/// `utilisation`): most likely a typo that leaves the old cell as it was.
///
/// `name_span` is where the new name was written. Names that extend one
/// another (`capex2`, `capex_low` beside `capex`) are new on purpose, and so
/// are names that differ in more than a letter or two.
pub fn near_name(model: &Model, name: &str, name_span: Span) -> Option<Warning> {
    if model.defined(name).is_some() {
        return None;
    }
    let near = model.suggest(name)?;
    if !is_typo_of(name, near) {
        return None;
    }
    Some(Warning {
        span: name_span,
        message: format!("'{name}' is a new cell; did you mean '{near}'?"),
        label: "new cell".to_string(),
        help: ":undo takes it back".to_string(),
    })
}

/// Whether `typed` reads as a misspelling of `known`: one edit apart (two
/// in names over 8 letters), neither name extending the other.
fn is_typo_of(typed: &str, known: &str) -> bool {
    let len = typed.chars().count().min(known.chars().count());
    if len < 4 || typed.starts_with(known) || known.starts_with(typed) {
        return false;
    }
    let allowed = if len > 8 { 2 } else { 1 };
    strsim::osa_distance(typed, known) <= allowed
}

/// The slips written in a model file: scenario overrides that give a cell
/// shown as a percentage a plain number above 1.
pub fn in_model(model: &Model) -> Vec<Warning> {
    let mut found = Vec::new();
    for scenario in &model.scenarios {
        for o in &scenario.overrides {
            let shown_as_percent = model.definition(o.cell).is_some_and(|d| d.percent);
            found.extend(percent_slip(
                model.name(o.cell),
                shown_as_percent,
                &o.def.expr,
                o.def.as_percent,
            ));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_expression;

    fn slip(cell: &str, percent: bool, text: &str) -> Option<Warning> {
        let (expr, as_percent) = parse_expression(text).unwrap();
        percent_slip(cell, percent, &expr, as_percent)
    }

    #[test]
    fn a_plain_number_above_one_for_a_percentage() {
        let w = slip("margin", true, "50").unwrap();
        assert_eq!(w.message, "'margin' is a percentage: 50 is 5000%, not 50%");
        assert_eq!(w.label, "5000%");
        assert_eq!(w.help, "write 50% for 50 percent");
        assert_eq!(w.span, Span::new(0, 2));
        assert_eq!(slip("m", true, "-2.5").unwrap().label, "-250%");
        assert_eq!(slip("m", true, "1_000").unwrap().label, "100000%");
        for fine in [
            "0.6", "1", "-1", "60%", "50 as %", "50 * 1", "$50", "50 [GPU]",
        ] {
            assert_eq!(slip("margin", true, fine), None, "{fine}");
        }
        assert_eq!(slip("count", false, "50"), None);
    }

    #[test]
    fn a_new_name_one_letter_from_an_old_one() {
        let model = Model::parse(
            "m.model",
            "utilisation = 80%\ncapex = $1B\nrevenue.apple = $1B\ntax = 1\n".to_string(),
        )
        .unwrap();
        let w = near_name(&model, "utilisaton", Span::new(0, 10)).unwrap();
        assert_eq!(
            w.one_line(),
            "'utilisaton' is a new cell; did you mean 'utilisation'? (:undo takes it back)"
        );
        assert!(near_name(&model, "capx", Span::default()).is_some());
        for fine in [
            "utilisation",
            "capex2",
            "capex_low",
            "revenue.amazon",
            "tac",
            "margin",
        ] {
            assert_eq!(near_name(&model, fine, Span::default()), None, "{fine}");
        }
    }

    #[test]
    fn scenario_overrides_of_a_percentage() {
        let model = Model::parse(
            "m.model",
            "margin = 50%\nx = 2\nscenario bull {\n  margin = 55\n  x = 3\n}\n".to_string(),
        )
        .unwrap();
        let found = in_model(&model);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].span.text(&model.source), "55");
    }
}
