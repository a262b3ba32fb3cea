//! Examples for the public maths API: errors, messages, rounding, powers.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::math::*;
use super::MathError;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
fn messages_are_in_words() {
    assert_eq!(
        MathError::Overflow.to_string(),
        "value out of range (premise's decimals hold up to about ±7.9e28)"
    );
    assert_eq!(MathError::DivisionByZero.to_string(), "division by zero");
    assert_eq!(
        sqrt(dec("-4")).unwrap_err().to_string(),
        "square root of a negative number"
    );
    assert_eq!(
        ln(Decimal::ZERO).unwrap_err().to_string(),
        "ln of zero or a negative number"
    );
    assert_eq!(
        ln(dec("-1")).unwrap_err().to_string(),
        "ln of zero or a negative number"
    );
    assert_eq!(
        pow(dec("-8"), dec("0.5")).unwrap_err().to_string(),
        "a negative number to a fractional power"
    );
}

#[test]
fn basic_arithmetic_is_checked() {
    assert_eq!(add(dec("0.1"), dec("0.2")), Ok(dec("0.3")));
    assert_eq!(sub(dec("1"), dec("3")), Ok(dec("-2")));
    assert_eq!(mul(dec("1.5"), dec("4")), Ok(dec("6")));
    assert_eq!(div(dec("1"), dec("4")), Ok(dec("0.25")));
    assert_eq!(
        div(dec("1"), dec("3")),
        Ok(dec("0.3333333333333333333333333333"))
    );
    assert_eq!(add(Decimal::MAX, Decimal::ONE), Err(MathError::Overflow));
    assert_eq!(sub(Decimal::MIN, Decimal::ONE), Err(MathError::Overflow));
    assert_eq!(mul(Decimal::MAX, dec("2")), Err(MathError::Overflow));
    assert_eq!(div(Decimal::MAX, dec("0.5")), Err(MathError::Overflow));
    assert_eq!(div(dec("1"), Decimal::ZERO), Err(MathError::DivisionByZero));
    assert_eq!(
        div(Decimal::ZERO, Decimal::ZERO),
        Err(MathError::DivisionByZero)
    );
    // no negative zero escapes
    assert!(!mul(dec("-1"), Decimal::ZERO).unwrap().is_sign_negative());
    assert!(!sub(dec("1"), dec("1")).unwrap().is_sign_negative());
}

#[test]
fn rounding_like_a_spreadsheet() {
    let cases = [
        ("2.5", 0, "3"),
        ("-2.5", 0, "-3"),
        ("2.4999", 0, "2"),
        ("2.345", 2, "2.35"),
        ("-2.345", 2, "-2.35"),
        ("2.344", 2, "2.34"),
        ("1234", -2, "1200"),
        ("1250", -2, "1300"),
        ("-1250", -2, "-1300"),
        ("1249.99", -2, "1200"),
        (
            "0.0000000000000000000000000005",
            27,
            "0.000000000000000000000000001",
        ),
        ("1.23", 28, "1.23"),
        ("1.23", 40, "1.23"),
        ("123456", -28, "0"),
        (
            "74999999999999999999999999999",
            -28,
            "70000000000000000000000000000",
        ),
        ("12345", -29, "0"),
        ("12345", -1000, "0"),
        ("-0.4", 0, "0"),
        ("0.05", -1, "0"),
    ];
    for (x, digits, want) in cases {
        let got =
            round_half_away(dec(x), digits).unwrap_or_else(|e| panic!("round({x}, {digits}): {e}"));
        assert_eq!(got, dec(want), "round({x}, {digits})");
        assert!(
            !got.is_zero() || !got.is_sign_negative(),
            "round({x}, {digits}) gave -0"
        );
    }
    assert_eq!(round_half_away(Decimal::MAX, -1), Err(MathError::Overflow));
    assert_eq!(round_half_away(Decimal::MAX, -28), Err(MathError::Overflow));
    assert_eq!(round_half_away(Decimal::MAX, -28), Err(MathError::Overflow));
    assert_eq!(round_half_away(Decimal::MAX, -29), Err(MathError::Overflow));
    assert_eq!(round_half_away(Decimal::MAX, 0), Ok(Decimal::MAX));
    assert_eq!(round_half_away(Decimal::MIN, i64::MIN), Ok(Decimal::ZERO));
    assert_eq!(round_half_away(Decimal::MIN, i64::MAX), Ok(Decimal::MIN));
}

#[test]
fn floor_ceil_abs() {
    assert_eq!(floor(dec("2.7")), dec("2"));
    assert_eq!(floor(dec("-2.1")), dec("-3"));
    assert_eq!(ceil(dec("2.1")), dec("3"));
    assert_eq!(ceil(dec("-2.7")), dec("-2"));
    assert!(!ceil(dec("-0.5")).is_sign_negative());
    assert_eq!(abs(dec("-3")), dec("3"));
    assert_eq!(floor(Decimal::MIN), Decimal::MIN);
    assert_eq!(ceil(Decimal::MAX), Decimal::MAX);
}

#[test]
fn powers() {
    let ok = [
        ("0", "0", "1"),
        ("0", "2.5", "0"),
        ("2", "10", "1024"),
        ("2", "-2", "0.25"),
        ("-2", "3", "-8"),
        ("2", "3.000", "8"),
        ("1.05", "12", "1.795856326022129150390625"),
        ("9", "0.5", "3"),
        ("4", "-0.5", "0.5"),
        ("2", "0.5", "1.4142135623730950488016887242"),
        ("1", "123456789.123", "1"),
        ("-1", "79228162514264337593543950335", "-1"),
        ("10", "-30", "0"),
        ("0.9999", "1000000.5", "0"),
        ("2", "-79228162514264337593543950335", "0"),
    ];
    for (b, e, want) in ok {
        assert_eq!(pow(dec(b), dec(e)), Ok(dec(want)), "{b}^{e}");
    }
    let failing = [
        ("10", "30", MathError::Overflow),
        ("2", "79228162514264337593543950335", MathError::Overflow),
        ("10", "28.9", MathError::Overflow),
        ("0", "-1", MathError::DivisionByZero),
        ("0", "-0.5", MathError::DivisionByZero),
        ("0.5", "-79228162514264337593543950335", MathError::Overflow),
    ];
    for (b, e, want) in failing {
        assert_eq!(pow(dec(b), dec(e)), Err(want), "{b}^{e}");
    }
    assert!(matches!(
        pow(dec("-2"), dec("0.5")),
        Err(MathError::Domain(_))
    ));
}

#[test]
fn exp_and_ln_edges() {
    assert_eq!(exp(Decimal::ZERO), Ok(Decimal::ONE));
    assert_eq!(ln(Decimal::ONE), Ok(Decimal::ZERO));
    assert_eq!(exp(dec("1")), Ok(dec("2.7182818284590452353602874714")));
    assert_eq!(exp(dec("-80")), Ok(Decimal::ZERO));
    assert_eq!(exp(dec("67")), Err(MathError::Overflow));
    assert_eq!(exp(Decimal::MAX), Err(MathError::Overflow));
    assert_eq!(exp(Decimal::MIN), Ok(Decimal::ZERO));
    // ln just below 1 is negative (rust_decimal's own ln gets this sign wrong)
    assert_eq!(
        ln(dec("0.9999999999999999999999999999")),
        Ok(dec("-0.0000000000000000000000000001"))
    );
    assert_eq!(ln(Decimal::MAX), Ok(dec("66.542129333754749704054283660")));
}

#[test]
fn dividing_by_a_power_of_ten_gives_what_long_division_gives() {
    let cases = [
        ("50", "10"),
        ("1.50", "10"),
        ("-3.10", "100"),
        ("0.001", "10"),
        ("7", "1"),
        ("1234567890123456789012345678", "1000"),
        ("1.234567890123456789012345678", "10"), // 29 places: rounded, the long way
        ("5", "1.0"),
        ("5", "-10"),
        ("5", "20"),
    ];
    for (a, b) in cases {
        let (a, b) = (dec(a), dec(b));
        assert_eq!(div(a, b), Ok(a.checked_div(b).unwrap()), "{a} / {b}");
    }
}
