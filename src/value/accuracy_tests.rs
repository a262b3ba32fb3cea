//! Checks `ln`, `exp`, `sqrt` and `pow` against reference values computed
//! with Python's `decimal` module at 80 digits (see `accuracy_table.rs`),
//! so the test needs no Python.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::accuracy_table::CASES;
use super::math::{exp, ln, pow, sqrt};
use super::MathError;

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// One unit in the 28th significant digit of `w` (never below 1e-28).
fn ulp(w: Decimal) -> Decimal {
    let abs = w.abs();
    let int_digits = abs
        .trunc()
        .normalize()
        .to_string()
        .trim_start_matches('0')
        .len() as i64;
    let lead = if int_digits > 0 {
        int_digits - 1
    } else {
        // 0.00ddd: leading digit at -(zeros after the point + 1)
        let frac = abs.normalize().to_string();
        let after = frac.split_once('.').map_or("", |(_, f)| f);
        -(after.len() as i64 - after.trim_start_matches('0').len() as i64) - 1
    };
    let k = (lead - 27).max(-28);
    if k <= 0 {
        Decimal::new(1, (-k) as u32)
    } else {
        Decimal::from_i128_with_scale(10i128.pow(k as u32), 0)
    }
}

#[test]
fn transcendental_functions_are_correct_to_the_last_digit() {
    let mut worst = (Decimal::ZERO, "");
    let mut exact = 0;
    for (f, a, b, want) in CASES {
        let x = dec(a);
        let got = match *f {
            "ln" => ln(x),
            "exp" => exp(x),
            "sqrt" => sqrt(x),
            "pow" => pow(x, dec(b)),
            other => panic!("unknown function {other}"),
        };
        let case = format!("{f}({a}, {b}) = {got:?}, want {want}");
        match *want {
            "overflow" => assert_eq!(got, Err(MathError::Overflow), "{case}"),
            "divzero" => assert_eq!(got, Err(MathError::DivisionByZero), "{case}"),
            "domain" => assert!(matches!(got, Err(MathError::Domain(_))), "{case}"),
            value => {
                let w = dec(value);
                let g = got.expect(&case);
                if g == w {
                    exact += 1;
                    continue;
                }
                let err = g.checked_sub(w).unwrap().abs().checked_div(ulp(w)).unwrap();
                assert!(err <= Decimal::ONE, "{case}: {err} ulp");
                if !w.is_zero() && w.abs() >= dec("0.00000001") {
                    let rel = g
                        .checked_sub(w)
                        .unwrap()
                        .abs()
                        .checked_div(w.abs())
                        .unwrap();
                    assert!(
                        rel < dec("0.00000000000000000001"),
                        "{case}: relative {rel}"
                    );
                }
                if err > worst.0 {
                    worst = (err, a);
                }
            }
        }
    }
    println!(
        "{exact} of {} exact; worst other error {} ulp at {}",
        CASES.len(),
        worst.0,
        worst.1
    );
}
