//! Units that convert (docs/language.md#units): the built-in units of time,
//! energy, power and data, units a model declares, `as [UNIT]`, and what
//! every command makes of them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use premise::display::{format_exact, format_value};
use premise::eval::Workbook;
use premise::model::Model;
use premise::value::Value;

fn book(src: &str) -> Workbook {
    match Model::parse("t.model", src.to_string()) {
        Ok(m) => Workbook::new(m),
        Err(e) => panic!("{src:?} does not load: {e:?}"),
    }
}

/// Cell `x` of `src`: its exact value and canonical unit, or its error.
fn value_in(src: &str) -> String {
    let b = book(src);
    match b.value_of("x").unwrap() {
        Ok(v @ Value::Number { unit, .. }) if !unit.is_dimensionless() => {
            format!("{} {unit}", format_exact(v))
        }
        Ok(v) => format_exact(v),
        Err(e) => format!("error: {e}"),
    }
}

/// `x = EXPR`, evaluated.
fn eval(expr: &str) -> String {
    value_in(&format!("x = {expr}\n"))
}

/// Cell `x` of `src` as the analyst sees it.
fn shown(src: &str) -> String {
    let b = book(src);
    let id = b.model().defined("x").unwrap();
    let percent = b.model().definition(id).unwrap().percent;
    match b.value(id).unwrap() {
        Ok(v) => format_value(v, percent),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn adding_converts_into_the_first_operands_unit() {
    let table = [
        ("1 [kWh] + 500 [Wh]", "1.5 kWh"),
        ("500 [Wh] + 1 [kWh]", "1500 Wh"),
        ("1 [h] + 30 [min]", "1.5 h"),
        ("1 [min] + 1 [h]", "61 min"),
        ("2 [MW] - 500 [kW]", "1.5 MW"),
        ("1 [GB] + 500 [MB]", "1.5 GB"),
        ("1 [byte] + 8 [bit]", "2 byte"),
        ("1 [yr] - 1 [day]", "0.9972602739726027397260273973 yr"),
        ("1 [week] + 1 [day]", "1.1428571428571428571428571429 week"),
        ("1 [kWh] + 1 [kW*h]", "2 kWh"),
        ("$80 [/MWh] + $0.02 [/kWh]", "100 USD/MWh"),
        ("1 [GJ] + 1 [MWh]", "4.6 GJ"),
        ("2 [GPU] + 3 [GPU]", "5 GPU"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
}

#[test]
fn comparisons_and_aggregates_convert_too() {
    let table = [
        ("1 [kWh] == 1000 [Wh]", "true"),
        ("1 [kWh] != 1000 [Wh]", "false"),
        ("90 [min] > 1 [h]", "true"),
        ("1 [MW] <= 999 [kW]", "false"),
        (
            "sum(1 [MWh], 500 [kWh], 2 [GJ])",
            "2.0555555555555555555555555556 MWh",
        ),
        ("min(1 [h], 30 [min])", "0.5 h"),
        ("max(30 [min], 1 [h])", "60 min"),
        ("avg(1 [kW], 3000 [W])", "2 kW"),
        ("clamp(5 [MW], 100 [kW], 2000 [kW])", "2 MW"),
        ("count(1 [h], 1 [kWh])", "2"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
}

#[test]
fn products_cancel_units_of_one_dimension() {
    let table = [
        ("700 [W] * 10 [h] * $0.08 [/kWh]", "0.56 USD"),
        ("2 [MW] / 500 [kW]", "4"),
        (
            "100 [MW] / 40.8 [kW/rack]",
            "2450.9803921568627450980392157 rack",
        ),
        ("1 [kWh] / 1 [Wh]", "1000"),
        ("3 [h] * 2 [MW] / 1 [kW]", "6000 h"),
        ("8760 [h] / 1 [yr]", "1"),
        ("1 [GB] / 1 [MB]", "1000"),
        ("700 [W] * 10 [h]", "7000 W*h"),
        ("1 [kWh] / 1 [h]", "1 kWh/h"),
        ("$2.5 [/GPU*h] * 1000 [GPU] * 1 [yr]", "21900000 USD"),
        ("$80 [/MWh] * 1 [kWh]", "0.08 USD"),
        ("4 [GPU] / 2 [GPU]", "2"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
}

#[test]
fn rounding_functions_keep_the_unit() {
    let table = [
        ("round(1.25 [kWh], 1)", "1.3 kWh"),
        ("floor(2.7 [MW])", "2 MW"),
        ("ceil(2.1 [h])", "3 h"),
        ("abs(-3 [GB])", "3 GB"),
        ("(2 [kW])^2", "4 kW^2"),
        ("sqrt(4 [kW^2])", "2 kW"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
}

#[test]
fn mismatches_name_both_units_and_what_they_measure() {
    let table = [
        (
            "1 [kWh] + 1 [kW]",
            "error: cannot add [kWh] (energy) and [kW] (power)",
        ),
        (
            "1 [h] < 1 [GB]",
            "error: cannot compare [h] (time) and [GB] (data)",
        ),
        ("1 [kWh] + 1 [GPU]", "error: cannot add [kWh] and [GPU]"),
        ("$1 + 1 [W]", "error: cannot add [USD] and [W]"),
        (
            "sum(1 [MWh], 1 [MW])",
            "error: cannot add [MWh] (energy) and [MW] (power)",
        ),
        ("ln(1 [kWh])", "error: ln() needs a plain number, not [kWh]"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
    // a quotient whose units cancel is a plain number for ln
    assert_eq!(eval("ln(2 [MW] / 1 [kW])"), eval("ln(2000)"));
}

#[test]
fn conversions_that_leave_the_decimals_are_errors() {
    assert_eq!(
        eval("70000000000000000000000000000 [TWh] + 1 [J]"),
        "70000000000000000000000000000 TWh"
    );
    assert_eq!(
        eval("1 [J] + 70000000000000000000000000000 [TWh]"),
        "error: value out of range (premise's decimals hold up to about ±7.9e28)"
    );
}

#[test]
fn models_without_units_that_convert_show_as_before() {
    assert_eq!(shown("x = 1500 [GPU]\n"), "1.5K GPU");
    assert_eq!(shown("x = $2 [/GPU] * 3 [GPU]\n"), "$6");
    assert_eq!(shown("x = 700 [W] * 10 [h]\n"), "7K W*h");
}
