use std::str::FromStr;

use rust_decimal::Decimal;

use super::{format_exact, format_number, format_rounded, format_tick, format_value};
use crate::value::{Unit, Value};

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn unit(text: &str) -> Unit {
    Unit::written(text)
}

/// (amount, unit, percent, expected)
const CASES: &[(&str, &str, bool, &str)] = &[
    // docs/language.md#display examples, USD
    ("200000000000", "USD", false, "$200B"),
    ("166666666666.666666666", "USD", false, "$166.67B"),
    ("1200000", "USD", false, "$1.2M"),
    ("950", "USD", false, "$950"),
    ("-3000000", "USD", false, "-$3M"),
    ("2", "USD/GPU", false, "$2/GPU"),
    ("0.08", "USD/kWh", false, "$0.08/kWh"),
    ("999999.999", "USD", false, "$1M"),
    ("999.996", "USD", false, "$1K"),
    ("0.08", "USD", false, "$0.08"),
    ("125000000000", "USD", false, "$125B"),
    ("75000000000", "USD", false, "$75B"),
    // USD with positive remaining parts go after a space
    ("5", "USD*h/GPU", false, "$5 h/GPU"),
    ("5", "GPU*USD", false, "$5 GPU"),
    ("5", "USD/GPU*h", false, "$5/GPU*h"),
    ("2500", "USD/GPU", false, "$2.5K/GPU"),
    // USD to other powers is an ordinary unit
    ("3", "USD^2", false, "3 USD^2"),
    ("2500", "USD^2", false, "2500 USD^2"),
    ("4", "GPU/USD", false, "4 GPU/USD"),
    // other units
    ("700", "W", false, "700 W"),
    ("1500", "GPU", false, "1500 GPU"),
    ("2048", "GPU", false, "2048 GPU"),
    ("8760", "h", false, "8760 h"),
    ("12500.5", "W", false, "12500.5 W"),
    ("999999", "GPU", false, "999999 GPU"),
    ("999999.9999995", "GPU", false, "1M GPU"),
    ("62720000", "GPU", false, "62.72M GPU"),
    ("-2350000000", "W", false, "-2.35B W"),
    ("2", "GPU*h", false, "2 GPU*h"),
    ("9.81", "m/s^2", false, "9.81 m/s^2"),
    ("-700", "W", false, "-700 W"),
    ("3", "1/GPU", false, "3 1/GPU"),
    ("0", "W", false, "0 W"),
    ("0.125", "W", false, "0.125 W"),
    ("-0.125", "W", false, "-0.125 W"),
    ("1.23456789", "W", false, "1.234568 W"),
    // thresholds with a unit: suffix chosen after rounding
    ("999.994", "USD", false, "$999.99"),
    ("999.995", "USD", false, "$1K"),
    ("1000", "USD", false, "$1K"),
    ("-999.995", "USD", false, "-$1K"),
    ("999994.999", "USD", false, "$999.99K"),
    ("999995", "USD", false, "$1M"),
    ("999999.995", "USD", false, "$1M"),
    ("999999999.999", "USD", false, "$1B"),
    ("999995000000", "USD", false, "$1T"),
    ("1000000000000", "USD", false, "$1T"),
    ("1500000000000000", "USD", false, "$1500T"),
    ("1234.5678", "USD", false, "$1.23K"),
    ("1235", "USD", false, "$1.24K"),
    ("-1235", "USD", false, "-$1.24K"),
    // zero and values that round to zero
    ("0", "USD", false, "$0"),
    ("-0", "USD", false, "$0"),
    ("0.0035", "USD", false, "$0.0035"),
    ("-0.0035", "USD", false, "-$0.0035"),
    ("0.004", "USD", false, "$0.004"),
    ("0.005", "USD", false, "$0.01"),
    ("-0.005", "USD", false, "-$0.01"),
    ("0.00012345", "W", false, "0.000123 W"),
    ("0.00000012345", "W", false, "0.00000012 W"),
    (
        "0.0000000000000000000000000001",
        "USD",
        false,
        "$0.0000000000000000000000000001",
    ),
    (
        "-0.0000000000000000000000000001",
        "USD",
        false,
        "-$0.0000000000000000000000000001",
    ),
    // extremes
    (
        "79228162514264337593543950335",
        "USD",
        false,
        "$79228162514264337.59T",
    ),
    (
        "-79228162514264337593543950335",
        "USD",
        false,
        "-$79228162514264337.59T",
    ),
    (
        "79228162514264337593543950335",
        "",
        false,
        "79228162514264337.59T",
    ),
    ("7.9228162514264337593543950335", "USD", false, "$7.92"),
    ("7.9228162514264337593543950335", "", false, "7.922816"),
    ("0.9999999999999999999999999999", "", false, "1"),
    ("0.9999999999999999999999999999", "USD", false, "$1"),
    // dimensionless
    ("2030", "", false, "2030"),
    ("12500", "", false, "12500"),
    ("1.0001", "", false, "1.0001"),
    ("1.23456789", "", false, "1.234568"),
    ("0.5", "", false, "0.5"),
    ("-3", "", false, "-3"),
    ("0", "", false, "0"),
    ("-0.0000000000000000000000000000", "", false, "0"),
    ("999999", "", false, "999999"),
    ("999999.9999994", "", false, "999999.999999"),
    ("999999.9999995", "", false, "1M"),
    ("1000000", "", false, "1M"),
    ("1500000", "", false, "1.5M"),
    ("-1500000", "", false, "-1.5M"),
    ("2350000000", "", false, "2.35B"),
    ("999995000", "", false, "1B"),
    ("1000000000000", "", false, "1T"),
    ("1500000000000000", "", false, "1500T"),
    ("0.0000001", "", false, "0.0000001"),
    ("0.00000012345", "", false, "0.00000012"),
    ("-0.00000012345", "", false, "-0.00000012"),
    ("0.0000005", "", false, "0.000001"),
    // percent
    ("0.5", "", true, "50%"),
    ("0.375", "", true, "37.5%"),
    ("1.3333333333333333333333333333", "", true, "133.33%"),
    ("-0.05", "", true, "-5%"),
    ("0", "", true, "0%"),
    ("-0.00000001", "", true, "-0.000001%"),
    ("0.00005", "", true, "0.01%"),
    ("0.4", "", true, "40%"),
    ("0.12345", "", true, "12.35%"),
    ("-0.12345", "", true, "-12.35%"),
    ("1000000", "", true, "100000000%"),
    (
        "79228162514264337593543950335",
        "",
        true,
        "7922816251426433759354395033500%",
    ),
    // percent is ignored when the value has a unit
    ("0.5", "USD", true, "$0.5"),
    ("1500", "GPU", true, "1500 GPU"),
];

#[test]
fn formats_numbers() {
    for (amount, unit_text, percent, want) in CASES {
        let got = format_number(dec(amount), &unit(unit_text), *percent);
        assert_eq!(got, *want, "{amount} [{unit_text}] percent={percent}");
    }
}

#[test]
fn chart_ticks_scale_every_unit_from_a_thousand() {
    let cases = [
        ("2048", "GPU", "2.05K GPU"),
        ("8760", "h", "8.76K h"),
        ("950", "W", "950 W"),
        ("0.125", "W", "0.13 W"),
        ("62720000", "GPU", "62.72M GPU"),
        ("125000000000", "USD", "$125B"),
        ("12500", "", "12500"),
        ("0.375", "", "37.5%"),
    ];
    for (amount, unit_text, want) in cases {
        let percent = unit_text.is_empty() && want.ends_with('%');
        assert_eq!(
            format_tick(dec(amount), &unit(unit_text), percent),
            want,
            "{amount} [{unit_text}]"
        );
    }
}

#[test]
fn rounded_values_show_noise_as_zero() {
    let cases = [
        ("0.000000000000000002", "USD", false, "$0"),
        ("-0.000000000000000002", "USD", false, "$0"),
        ("0.0000000001", "", false, "0"),
        ("-0.0000000001", "", true, "0%"),
        ("0.0000000001", "GPU", false, "0 GPU"),
        ("0.0035", "USD", false, "$0"),
        ("0.005", "USD", false, "$0.01"),
        ("125000000000.000000001", "USD", false, "$125B"),
        ("-3000000", "USD", false, "-$3M"),
    ];
    for (amount, unit_text, percent, want) in cases {
        assert_eq!(
            format_rounded(dec(amount), &unit(unit_text), percent),
            want,
            "{amount} [{unit_text}]"
        );
    }
}

#[test]
fn formats_values() {
    assert_eq!(format_value(&Value::Bool(true), false), "true");
    assert_eq!(format_value(&Value::Bool(false), true), "false");
    assert_eq!(format_value(&Value::number(dec("0.5")), true), "50%");
    assert_eq!(
        format_value(&Value::with_unit(dec("50000000000"), Unit::usd()), false),
        "$50B"
    );
}

#[test]
fn never_exponent_or_separator() {
    for (amount, unit_text, percent, _) in CASES {
        let got = format_number(dec(amount), &unit(unit_text), *percent);
        assert!(
            !got.contains(['e', 'E', ',']) || unit_text.contains(['e', 'E']),
            "{got}"
        );
        let number_part: String = got.chars().take_while(|c| *c != ' ' && *c != '/').collect();
        if got.starts_with('-') {
            assert!(
                number_part.contains(|c: char| ('1'..='9').contains(&c)),
                "{got}"
            );
        }
    }
}

#[test]
fn exact_values() {
    let cases = [
        ("200000000000", "200000000000"),
        ("0.50", "0.5"),
        ("-3.000", "-3"),
        ("-0.000", "0"),
        (
            "0.0000000000000000000000000001",
            "0.0000000000000000000000000001",
        ),
        (
            "79228162514264337593543950335",
            "79228162514264337593543950335",
        ),
        (
            "-79228162514264337593543950335",
            "-79228162514264337593543950335",
        ),
        ("1.2300", "1.23"),
    ];
    for (amount, want) in cases {
        let v = Value::with_unit(dec(amount), Unit::usd());
        assert_eq!(format_exact(&v), want);
    }
    assert_eq!(format_exact(&Value::Bool(true)), "true");
    assert_eq!(format_exact(&Value::Bool(false)), "false");
}
