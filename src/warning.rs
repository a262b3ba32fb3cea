//! Warnings: what computes, but is likely not what the analyst meant.
//!
//! `margin = 50` for a cell shown as a percentage is 5000%; `utilisaton = 80%`
//! beside `utilisation` defines a second cell. Such a slip gives no error
//! and a wrong answer, so premise says so: a [`Warning`], a
//! [`Diagnostic`] of severity warning, points at the spot in the text it
//! was found in, and each front end shows it its own way,
//! on stderr, the value still computed and the exit status unchanged:
//! `check` and `eval` draw it like any diagnostic (file:line:col, the line,
//! a caret), `--set` against its own text, the REPL on one `warning:` line
//! under the input.

use rust_decimal::Decimal;

use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::syntax::ast::{BinaryOp, UnaryOp};
use crate::syntax::{Expr, ExprKind, Span};

/// A likely slip: a [`Diagnostic`] of severity warning, with its help.
pub type Warning = Diagnostic;

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
    Some(
        Diagnostic::warning(
            expr.span,
            format!("'{cell}' is a percentage: {written} is {percent}%, not {written}%"),
            format!("{percent}%"),
        )
        .help(format!("write {written}% for {written} percent")),
    )
}

/// The value of a formula that is one plain number (`50`, `-3`, `1_000`):
/// no unit, no `%`, no scale.
fn plain_number(expr: &Expr) -> Option<Decimal> {
    match &expr.kind {
        ExprKind::Number(d) => Some(*d),
        ExprKind::Literal(l) if l.unit.is_dimensionless() && !l.percent() => Some(l.value),
        ExprKind::Unary(UnaryOp::Neg, inner) => plain_number(inner).map(|d| -d),
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
    Some(
        Diagnostic::warning(
            name_span,
            format!("'{name}' is a new cell; did you mean '{near}'?"),
            "new cell",
        )
        .help(":undo takes it back"),
    )
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

/// The slips inside a formula; `source` is the text its spans point into.
///
/// - `a + -b`, `$50B +- $10B`: a sign right after `+` or `-` makes one
///   operation of the two, `a - b`, which is seldom what was meant (the
///   analyst wrote a plus-or-minus, or left a term out). A sign in
///   parentheses, `a + (-b)`, is taken as meant.
/// - `sum(1,000, x)`: a thousands separator inside a call makes two
///   arguments, 1 and 000.
pub fn formula_slips(expr: &Expr, source: &str) -> Vec<Warning> {
    let mut found = Vec::new();
    // Most formulas are a handful of nodes: the stack stays off the heap.
    let mut stack: smallvec::SmallVec<[&Expr; 16]> = smallvec::smallvec![expr];
    while let Some(e) = stack.pop() {
        let mut check = |left: &Expr, op: BinaryOp, right: &Expr| {
            if let Some(w) = sign_slip(left, op, right, source) {
                found.push(w);
            }
        };
        match &e.kind {
            ExprKind::Chain(chain) => {
                let mut left = &chain.first;
                for (op, right) in &chain.rest {
                    check(left, *op, right);
                    left = right;
                }
            }
            ExprKind::Binary(op, pair) => {
                let [left, right] = &**pair;
                check(left, *op, right);
            }
            ExprKind::Call(call) => {
                for pair in call.args.windows(2) {
                    if let [left, right] = pair {
                        found.extend(thousands_slip(left, right, source));
                    }
                }
            }
            _ => {}
        }
        e.for_each_child(|c| stack.push(c));
    }
    found.sort_by_key(|w| w.span.start());
    found
}

/// `1,000` as two arguments: `left` ends in a digit, a bare comma follows,
/// and `right` is three digits.
fn thousands_slip(left: &Expr, right: &Expr, source: &str) -> Option<Warning> {
    let comma = source.get(left.span.end()..right.span.start())?;
    let digits = right.span.text(source);
    let ends_in_digit = left
        .span
        .text(source)
        .ends_with(|c: char| c.is_ascii_digit());
    if comma != ","
        || !ends_in_digit
        || digits.len() != 3
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let number = left.span.text(source).trim();
    let span = Span::new(left.span.start(), right.span.end());
    Some(
        Diagnostic::warning(
            span,
            format!("{number},{digits} is two arguments here, {number} and {digits}"),
            "two arguments",
        )
        .help(format!(
            "numbers have no thousands separators: write {number}_{digits} or {number}{digits}, \
             or a space after the comma for two arguments"
        )),
    )
}

/// The slip in `left op right`, if `op` is `+` or `-` and `right` starts
/// with a sign (`-b`, or `-b * 2`, which is `(-b) * 2`).
fn sign_slip(left: &Expr, op: BinaryOp, right: &Expr, source: &str) -> Option<Warning> {
    let mut first = right;
    let sign = loop {
        match &first.kind {
            ExprKind::Unary(sign @ (UnaryOp::Neg | UnaryOp::Plus), _) => break *sign,
            ExprKind::Chain(chain) => first = &chain.first,
            ExprKind::Binary(_, pair) => {
                let [operand, _] = &**pair;
                first = operand;
            }
            _ => return None,
        }
    };
    let (op_char, sign_char) = match (op, sign) {
        (BinaryOp::Add, UnaryOp::Neg) => ('+', '-'),
        (BinaryOp::Sub, UnaryOp::Neg) => ('-', '-'),
        (BinaryOp::Add, UnaryOp::Plus) => ('+', '+'),
        (BinaryOp::Sub, UnaryOp::Plus) => ('-', '+'),
        _ => return None,
    };
    // The binary operator is the first of its character after the left operand.
    let between = source.get(left.span.end()..right.span.start())?;
    let start = left.span.end() + between.find(op_char)?;
    let span = Span::new(start, right.span.start() + sign_char.len_utf8());
    let reads = if op_char == sign_char { '+' } else { '-' };
    let a = left.span.text(source).trim();
    let b = source.get(span.end()..right.span.end())?.trim();
    let more = if reads == '-' {
        "; there is no ± (a range is written `low to high`: docs/language.md#uncertainty)"
    } else {
        ""
    };
    Some(
        Diagnostic::warning(
            span,
            format!(
                "'{}' reads as '{reads}': this is {a} {reads} {b}",
                span.text(source)
            ),
            format!("{a} {reads} {b}"),
        )
        .help(format!(
            "write {a} {reads} {b}, or {a} {op_char} ({sign_char}{b}) if you meant the sign{more}"
        )),
    )
}

/// A unit name that is neither built in nor declared but close to one that
/// is (`[kwh]` for `kWh`, `[hours]` for `h`): it is then a unit of its own,
/// which converts to nothing.
pub fn unit_slip(slip: &crate::model::Slip) -> Warning {
    Diagnostic::warning(
        slip.at,
        format!(
            "unit '{}' is neither built in nor declared: did you mean '{}'?",
            slip.name, slip.meant
        ),
        "not a known unit",
    )
    .help(format!(
        "write [{}] to convert with it, or declare 'unit {}' if it is a unit of its own",
        slip.meant, slip.name
    ))
}

/// The slips written in a model file: a sign right after `+` or `-` in any
/// formula, scenario overrides that give a cell shown as a percentage a
/// plain number above 1, and unit names close to known ones.
pub fn in_model(model: &Model) -> Vec<Warning> {
    let mut found = Vec::new();
    for &id in model.cells_in_order() {
        // The model's own formulas (an import block's overrides included):
        // an imported file's slips are for its own check to say.
        if let Some(def) = model.definition(id).filter(|d| d.file.is_root()) {
            found.extend(formula_slips(&def.expr, &model.source));
        }
    }
    found.extend(in_scenarios(model));
    found.extend(crate::model::slips(model).iter().map(unit_slip));
    found
}

/// The slips written in a model's scenario overrides: those of
/// [`formula_slips`], and a cell shown as a percentage given a plain number
/// above 1. (The editor finds the slips of each cell's formula as it reads
/// them, these for the whole file.)
pub fn in_scenarios(model: &Model) -> Vec<Warning> {
    let mut found = Vec::new();
    for scenario in &model.scenarios {
        for o in &scenario.overrides {
            // A warning is advice: an override of no cell of this model
            // (premise's bug) has none, and fails where the scenario is used.
            let Some(cell) = model.cell(o.cell) else {
                continue;
            };
            let shown_as_percent = cell.def.as_ref().is_some_and(|d| d.percent);
            found.extend(percent_slip(
                &cell.name,
                shown_as_percent,
                &o.def.expr,
                o.def.as_percent(),
            ));
            found.extend(formula_slips(&o.def.expr, &model.source));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_expression;

    fn slip(cell: &str, percent: bool, text: &str) -> Option<Warning> {
        let (expr, hint) = parse_expression(text).unwrap();
        let as_percent = matches!(hint, Some(crate::syntax::Hint::Percent));
        percent_slip(cell, percent, &expr, as_percent)
    }

    #[test]
    fn a_plain_number_above_one_for_a_percentage() {
        let w = slip("margin", true, "50").unwrap();
        assert_eq!(w.message, "'margin' is a percentage: 50 is 5000%, not 50%");
        assert_eq!(w.label, "5000%");
        assert_eq!(w.help.as_deref(), Some("write 50% for 50 percent"));
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
            w.to_string(),
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

    fn signs(text: &str) -> Vec<(String, String)> {
        let (expr, _) = parse_expression(text).unwrap();
        formula_slips(&expr, text)
            .into_iter()
            .map(|w| (w.span.text(text).to_string(), w.label))
            .collect()
    }

    #[test]
    fn a_sign_right_after_plus_or_minus() {
        let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(signs("$50B +- $10B"), [pair("+-", "$50B - $10B")]);
        assert_eq!(signs("a + - b"), [pair("+ -", "a - b")]);
        assert_eq!(signs("a - -b"), [pair("- -", "a + b")]);
        assert_eq!(signs("a -+ b * 2"), [pair("-+", "a - b * 2")]);
        assert_eq!(
            signs("x * (a +- b) + c - -d"),
            [pair("+-", "a - b"), pair("- -", "c + d")]
        );
        assert_eq!(signs("sum(a, b +-c)"), [pair("+-", "b - c")]);
        for fine in [
            "a + (-b)", "a - b", "-a + b", "a * -b", "a / -b", "-(-a)", "a ^ -2",
        ] {
            assert_eq!(signs(fine), [], "{fine}");
        }
        let (expr, _) = parse_expression("$50B +- $10B").unwrap();
        assert_eq!(
            formula_slips(&expr, "$50B +- $10B")[0].message,
            "'+-' reads as '-': this is $50B - $10B"
        );
    }

    #[test]
    fn a_thousands_separator_inside_a_call() {
        let found = |text: &str| -> Vec<String> {
            let (expr, _) = parse_expression(text).unwrap();
            formula_slips(&expr, text)
                .into_iter()
                .map(|w| w.to_string())
                .collect()
        };
        assert_eq!(
            found("sum(1,000, x)"),
            [
                "1,000 is two arguments here, 1 and 000 (numbers have no thousands separators: \
              write 1_000 or 1000, or a space after the comma for two arguments)"
            ]
        );
        assert_eq!(found("max($2,500)").len(), 1);
        for fine in [
            "sum(1, 000)",
            "round(x,2)",
            "max(1,2000)",
            "max(a,100)",
            "min(1,00)",
        ] {
            assert_eq!(found(fine), Vec::<String>::new(), "{fine}");
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
