//! Series evaluated: shapes, recurrences, knots, element errors.
//!
//! Models are built through the model's own API; a period read is written
//! in formulas as a name the helper turns into an index, until the grammar
//! reads `x[year - 1]` itself: `x__year_m1` is `x[year - 1]`, `x__year_p2`
//! `x[year + 2]`, `x__year` `x[year]`, `x__at_2026` `x[2026]`, `x__all`
//! `x[*]`, `x__from_2025_to_2027` `x[2025..2027]`.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::*;
use crate::syntax::ast::{Index, Period};
use crate::syntax::ExprKind;

fn index_of(name: &str) -> Option<(String, Period)> {
    let (cell, rest) = name.split_once("__")?;
    let period = if rest == "all" {
        Period::All
    } else if let Some(l) = rest.strip_prefix("at_") {
        Period::At(l.parse().ok()?)
    } else if let Some(r) = rest.strip_prefix("from_") {
        let (a, b) = r.split_once("_to_")?;
        Period::Slice(a.parse().ok()?, b.parse().ok()?)
    } else {
        let (axis, offset) = match rest.split_once('_') {
            Some((axis, o)) => {
                let k: i64 = o.get(1..)?.parse().ok()?;
                (axis, if o.starts_with('m') { -k } else { k })
            }
            None => (rest, 0),
        };
        Period::Relative {
            axis: axis.into(),
            offset,
        }
    };
    Some((cell.to_string(), period))
}

fn formula(text: &str) -> Definition {
    let mut def = Definition::parse(text).unwrap();
    let mut stack: Vec<&mut Expr> = vec![&mut def.expr];
    while let Some(e) = stack.pop() {
        if let ExprKind::Ref { name, .. } = &e.kind {
            if let Some((cell, period)) = index_of(name) {
                e.kind = ExprKind::Index(Box::new(Index {
                    name: cell.into(),
                    id: CellId::UNRESOLVED,
                    period,
                }));
                continue;
            }
        }
        e.for_each_child_mut(|c| stack.push(c));
    }
    def
}

/// A model of `axes` and `cells` (`name`, `name[axis]`, `name[label]`).
fn model(axes: &[(&str, i64, i64)], cells: &[(&str, &str)]) -> Model {
    let mut m = Model::new("t.model", "");
    for (name, first, last) in axes {
        m.add_axis(
            name,
            (*first, *last),
            crate::source::FileId::ROOT,
            1,
            Span::default(),
        );
    }
    for (i, (name, text)) in cells.iter().enumerate() {
        let mut def = formula(text);
        def.line = u32::try_from(i + 2).unwrap();
        match name.split_once('[') {
            None => {
                m.define(name, def);
            }
            Some((cell, part)) => {
                let part = part.trim_end_matches(']');
                match i64::from_str(part) {
                    Ok(label) => {
                        let axis = m
                            .series(m.lookup(cell).unwrap_or(CellId::UNRESOLVED))
                            .map_or(AxisId(0), |s| s.axis);
                        m.define_pin(cell, axis, label, def);
                    }
                    Err(_) => {
                        let axis = m.axis_named(part).unwrap();
                        m.define_rule(cell, axis, def);
                    }
                }
            }
        }
    }
    m
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn numbers(book: &Workbook, name: &str) -> Vec<String> {
    let id = book.model().defined(name).unwrap();
    let s = book.computed(id).unwrap().series().unwrap();
    s.elements
        .iter()
        .map(|r| match r {
            Ok(Value::Number { amount, .. }) => amount.normalize().to_string(),
            Ok(v) => format!("{v:?}"),
            Err(e) => format!("error: {}", e.message),
        })
        .collect()
}

fn one(book: &Workbook, name: &str) -> CellResult {
    book.value_of(name).cloned().unwrap()
}

#[test]
fn a_recurrence_with_a_pin_runs_along_the_axis() {
    let m = model(
        &[("year", 2024, 2027)],
        &[
            ("growth", "30%"),
            ("capex[2024]", "50"),
            ("capex[year]", "capex__year_m1 * (1 + growth)"),
        ],
    );
    let book = Workbook::new(m);
    assert_eq!(numbers(&book, "capex"), ["50", "65", "84.5", "109.85"]);
}

#[test]
fn a_pin_wins_over_the_rule_whatever_the_order() {
    let m = model(
        &[("year", 2024, 2026)],
        &[
            ("x[year]", "x__year_m1 + 1"),
            ("x[2025]", "100"),
            ("x[2024]", "0"),
        ],
    );
    let book = Workbook::new(m);
    assert_eq!(numbers(&book, "x"), ["0", "100", "101"]);
}

#[test]
fn shapes_are_inferred_and_scalars_broadcast() {
    let m = model(
        &[("year", 2024, 2026)],
        &[
            ("revenue[year]", "10 * (year - 2023)"),
            ("cost", "4"),
            ("cash", "revenue - cost"),
            ("total", "sum(cash__all)"),
            ("late", "sum(cash__from_2025_to_2026)"),
            ("mid", "cash__at_2025"),
            ("t", "year - 2024"),
        ],
    );
    let book = Workbook::new(m);
    assert_eq!(numbers(&book, "cash"), ["6", "16", "26"]);
    assert_eq!(numbers(&book, "t"), ["0", "1", "2"]);
    assert_eq!(one(&book, "total"), Ok(Value::number(d("48"))));
    assert_eq!(one(&book, "late"), Ok(Value::number(d("42"))));
    assert_eq!(one(&book, "mid"), Ok(Value::number(d("16"))));
    let cost = book.model().defined("cost").unwrap();
    assert_eq!(book.shape(cost), Shape::One);
}

#[test]
fn reading_outside_the_axis_fails_that_element_only() {
    let m = model(
        &[("year", 2024, 2030)],
        &[("capex[year]", "capex__year_m1 * 2"), ("capex[2025]", "1")],
    );
    let book = Workbook::new(m);
    let got = numbers(&book, "capex");
    assert_eq!(
        got.first().unwrap(),
        "error: capex[2023] is outside year 2024..2030"
    );
    assert_eq!(got.get(1).unwrap(), "1");
    assert_eq!(got.get(2).unwrap(), "2");
    assert_eq!(got.last().unwrap(), "32");
}

#[test]
fn a_period_with_neither_pin_nor_rule_is_an_error_of_that_element() {
    let m = model(
        &[("year", 2024, 2026)],
        &[("x[2024]", "1"), ("x[2026]", "3")],
    );
    let book = Workbook::new(m);
    let got = numbers(&book, "x");
    assert_eq!(got.first().unwrap(), "1");
    assert!(
        got.get(1).unwrap().contains("x[2025] has no formula"),
        "{got:?}"
    );
    assert_eq!(got.get(2).unwrap(), "3");
}

#[test]
fn an_element_that_failed_fails_its_readers_in_that_period() {
    let m = model(
        &[("year", 2024, 2026)],
        &[("d[year]", "year - 2025"), ("r", "1 / d"), ("s", "r * 2")],
    );
    let book = Workbook::new(m);
    let got = numbers(&book, "s");
    assert_eq!(got.first().unwrap(), "-2");
    assert_eq!(
        got.get(1).unwrap(),
        "error: depends on 'r[2025]': division by zero"
    );
    assert_eq!(got.get(2).unwrap(), "2");
}

#[test]
fn a_cycle_through_elements_names_them_and_the_rest_evaluates() {
    let m = model(
        &[("year", 2024, 2026)],
        &[
            ("a[year]", "b__year_m1"),
            ("b[year]", "a__year_p1"),
            ("c", "5"),
        ],
    );
    let book = Workbook::new(m);
    let a = numbers(&book, "a");
    assert_eq!(
        a.first().unwrap(),
        "error: b[2023] is outside year 2024..2026"
    );
    assert!(
        a.get(1).unwrap().contains("a[2025] -> b[2024] -> a[2025]"),
        "{a:?}"
    );
    let b = numbers(&book, "b");
    assert!(
        b.first().unwrap().contains("b[2024] -> a[2025] -> b[2024]"),
        "{b:?}"
    );
    assert_eq!(
        b.last().unwrap(),
        "error: a[2027] is outside year 2024..2026"
    );
    assert_eq!(one(&book, "c"), Ok(Value::number(d("5"))));
}

#[test]
fn mutual_recurrences_are_ordered_element_by_element() {
    // Debt and interest read each other's earlier periods: a knot of two
    // cells, no cycle of elements.
    let m = model(
        &[("year", 1, 4)],
        &[
            ("rate", "10%"),
            ("debt[1]", "100"),
            ("debt[year]", "debt__year_m1 + interest__year_m1 - 20"),
            ("interest", "debt * rate"),
        ],
    );
    let book = Workbook::new(m);
    assert_eq!(numbers(&book, "debt"), ["100", "90", "79", "66.9"]);
    assert_eq!(numbers(&book, "interest"), ["10", "9", "7.9", "6.69"]);
}

#[test]
fn a_forward_recurrence_runs_backwards() {
    let m = model(&[("t", 1, 4)], &[("v[4]", "1"), ("v[t]", "v__t_p1 * 2")]);
    let book = Workbook::new(m);
    assert_eq!(numbers(&book, "v"), ["8", "4", "2", "1"]);
}

#[test]
fn a_long_recurrence_needs_no_deep_stack() {
    let m = model(
        &[("t", 1, 100_000)],
        &[
            ("x[1]", "0"),
            ("x[t]", "x__t_m1 + 1"),
            ("y", "x__at_100000"),
        ],
    );
    let book = Workbook::new(m);
    assert_eq!(one(&book, "y"), Ok(Value::number(d("99999"))));
}

#[test]
fn two_axes_in_one_formula_fail_that_cell() {
    let m = model(
        &[("year", 2024, 2025), ("month", 1, 12)],
        &[
            ("a[year]", "1"),
            ("b[month]", "2"),
            ("c", "a + b"),
            ("k", "7"),
        ],
    );
    let book = Workbook::new(m);
    let err = one(&book, "c").unwrap_err();
    assert!(
        err.message.contains("'year' and 'month'"),
        "{}",
        err.message
    );
    assert_eq!(one(&book, "k"), Ok(Value::number(d("7"))));
}

#[test]
fn the_sum_of_a_lone_series_offers_both_readings() {
    let m = model(
        &[("year", 2024, 2025)],
        &[("a[year]", "1"), ("s", "sum(a)"), ("both", "max(a, 0)")],
    );
    let book = Workbook::new(m);
    let err = one(&book, "s").unwrap_err();
    assert!(err.message.contains("sum(a[*])"), "{}", err.message);
    assert!(
        err.message.contains("or a for its value in each period"),
        "{}",
        err.message
    );
    assert_eq!(numbers(&book, "both"), ["1", "1"]);
}

#[test]
fn group_aggregates_over_series_members_are_series() {
    let m = model(
        &[("year", 2024, 2025)],
        &[
            ("rev.a[year]", "year - 2000"),
            ("rev.b", "1"),
            ("total", "sum(rev.*)"),
        ],
    );
    let book = Workbook::new(m);
    assert_eq!(numbers(&book, "total"), ["25", "26"]);
}

#[test]
fn npv_and_irr_take_spans() {
    let m = model(
        &[("year", 2024, 2027)],
        &[
            ("cash[2024]", "-10000"),
            ("cash[2025]", "3000"),
            ("cash[2026]", "4200"),
            ("cash[2027]", "6800"),
            ("v", "round(npv(10%, cash__all), 2)"),
            ("r", "round(irr(cash__all), 4)"),
            ("r2", "round(irr(cash__all, -10%), 4)"),
        ],
    );
    let book = Workbook::new(m);
    assert_eq!(one(&book, "v"), Ok(Value::number(d("1188.44"))));
    assert_eq!(one(&book, "r"), Ok(Value::number(d("0.1634"))));
    assert_eq!(one(&book, "r2"), Ok(Value::number(d("0.1634"))));
}

#[test]
fn repinning_recomputes_only_that_series() {
    let m = model(
        &[("t", 1, 3)],
        &[
            ("a[1]", "1"),
            ("a[t]", "a__t_m1 * 2"),
            ("b[1]", "1"),
            ("b[t]", "b__t_m1 * 3"),
        ],
    );
    let mut book = Workbook::new(m);
    let changes = book
        .redefine_slot("a", Slot::Pin(1), None, formula("5"))
        .unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(numbers(&book, "a"), ["5", "10", "20"]);
    assert_eq!(numbers(&book, "b"), ["1", "3", "9"]);
}

#[test]
fn a_redefinition_that_makes_a_cycle_of_elements_is_refused() {
    let m = model(&[("t", 1, 3)], &[("a[t]", "t"), ("b[t]", "a__t_p1")]);
    let mut book = Workbook::new(m);
    let before = numbers(&book, "a");
    let refused = book.redefine_slot("a", Slot::Rule, Some("t"), formula("b__t_m1"));
    assert!(matches!(refused, Err(Refusal::Cycle(_))), "{refused:?}");
    assert_eq!(numbers(&book, "a"), before);
    let ok = book.redefine_slot("a", Slot::Rule, Some("t"), formula("a__t_m1 + 1"));
    assert!(ok.is_ok());
}

#[test]
fn the_whole_of_a_series_cannot_be_redefined_as_one_value() {
    let m = model(&[("t", 1, 2)], &[("a[t]", "t")]);
    let mut book = Workbook::new(m);
    let refused = book.redefine("a", formula("1"));
    assert!(matches!(refused, Err(Refusal::Series(_))), "{refused:?}");
    let off = book.redefine_slot("a", Slot::Pin(9), None, formula("1"));
    assert_eq!(off, Err(Refusal::Series("a[9] is outside t 1..2".into())));
}

#[test]
fn a_query_over_a_series_is_a_series() {
    let m = model(&[("t", 1, 3)], &[("a[t]", "t * 10")]);
    let book = Workbook::new(m);
    let q = book.evaluate(&formula("a + 1").expr);
    let s = q.series().unwrap();
    assert_eq!(s.get(3), Some(&Ok(Value::number(d("31")))));
    let q = book.evaluate(&formula("a__at_2 + 1").expr);
    assert_eq!(q, Computed::One(Ok(Value::number(d("21")))));
}
