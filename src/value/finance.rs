//! The finance functions `npv irr pmt pv fv` on exact decimals, with
//! Excel's conventions (docs/language.md#finance-functions): money paid out
//! is negative, `npv` discounts its first value one period, `irr` starts
//! from 10% unless given a guess.
//!
//! Every step is checked decimal arithmetic ([`super::math`]): an overflow
//! or a rate of -100% is an error, never a panic.

use rust_decimal::Decimal;

use super::error::MathError;
use super::math::{add, div, mul, pow, sub};

/// When payments fall in each period (Excel's `type` argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    /// At the end of each period (`type` 0, the default).
    End,
    /// At the start of each period (`type` 1).
    Start,
}

impl Due {
    /// 0 for [`Due::End`], 1 for [`Due::Start`], as the formulas use it.
    fn factor(self) -> Decimal {
        match self {
            Due::End => Decimal::ZERO,
            Due::Start => Decimal::ONE,
        }
    }
}

/// Net present value: Σ vᵢ / (1 + rate)ⁱ for i = 1, 2, ... — the first
/// value is discounted one period, as in Excel.
///
/// Computed from the last value back (Horner's scheme), one rounded
/// division a value, so that a long series loses no more than a digit.
pub fn npv(rate: Decimal, values: &[Decimal]) -> Result<Decimal, MathError> {
    let growth = add(Decimal::ONE, rate)?;
    let mut acc = Decimal::ZERO;
    for &v in values.iter().rev() {
        acc = div(add(acc, v)?, growth)?;
    }
    Ok(acc)
}

/// Steps of Newton's method before the bracketing fallback takes over.
const NEWTON_STEPS: usize = 60;

/// A Newton step this small (absolute, in the rate) means the rate is
/// known to the last digits a decimal holds near it.
fn converged(step: Decimal) -> bool {
    step.abs() <= Decimal::new(1, 26)
}

/// Rates tried, with the guess, when Newton's method does not settle: a
/// sign change of the net present value between two of them brackets a root.
const GRID: [(i64, u32); 31] = [
    (-999, 3),
    (-99, 2),
    (-95, 2),
    (-9, 1),
    (-8, 1),
    (-7, 1),
    (-6, 1),
    (-5, 1),
    (-4, 1),
    (-3, 1),
    (-2, 1),
    (-1, 1),
    (-5, 2),
    (0, 0),
    (5, 2),
    (1, 1),
    (15, 2),
    (2, 1),
    (3, 1),
    (4, 1),
    (5, 1),
    (75, 2),
    (1, 0),
    (15, 1),
    (2, 0),
    (3, 0),
    (5, 0),
    (10, 0),
    (100, 0),
    (1000, 0),
    (1_000_000, 0),
];

/// Internal rate of return: the rate where Σ vᵢ / (1 + rate)ⁱ = 0 for
/// i = 0, 1, ..., starting from `guess` (Excel's default is 10%).
///
/// Newton's method from the guess gives the root it converges to; when it
/// does not converge (a flat spot, a step past -100%), the root nearest the
/// guess between two sign changes of a grid of rates is found by bisection.
/// Flows that never change sign, or no root found, are domain errors that
/// say so.
pub fn irr(values: &[Decimal], guess: Decimal) -> Result<Decimal, MathError> {
    let positive = values.iter().any(|v| v.is_sign_positive() && !v.is_zero());
    let negative = values.iter().any(|v| v.is_sign_negative() && !v.is_zero());
    if !(positive && negative) {
        return Err(MathError::Domain(
            "irr() needs at least one negative and one positive value: these flows never change sign"
                .to_string(),
        ));
    }
    if guess <= Decimal::NEGATIVE_ONE {
        return Err(MathError::Domain(format!(
            "irr() needs a guess above -100%, not {}",
            guess.normalize()
        )));
    }
    if let Some(rate) = newton(values, guess) {
        return Ok(rate);
    }
    bracketed(values, guess).ok_or_else(|| {
        MathError::Domain(
            "irr() found no rate at which these flows are worth zero (try another guess: irr(cash[*], -10%))"
                .to_string(),
        )
    })
}

/// The net present value at time 0 of `values` at `rate` and its
/// derivative by the rate, or `None` where a decimal cannot hold them.
fn value_and_slope(values: &[Decimal], rate: Decimal) -> Option<(Decimal, Decimal)> {
    let x = div(Decimal::ONE, add(Decimal::ONE, rate).ok()?).ok()?;
    // p(x) = Σ vᵢ xⁱ and p'(x) by Horner's scheme, from the last value back.
    let mut p = Decimal::ZERO;
    let mut dp = Decimal::ZERO;
    for &v in values.iter().rev() {
        dp = add(mul(dp, x).ok()?, p).ok()?;
        p = add(mul(p, x).ok()?, v).ok()?;
    }
    // d/d(rate) of x is -x².
    let slope = mul(mul(dp, x).ok()?, x).ok()?;
    Some((p, -slope))
}

/// Newton's method from `guess`; `None` when it leaves the domain, stalls
/// on a flat spot or does not settle.
fn newton(values: &[Decimal], guess: Decimal) -> Option<Decimal> {
    let mut rate = guess;
    for _ in 0..NEWTON_STEPS {
        let (value, slope) = value_and_slope(values, rate)?;
        if value.is_zero() {
            return Some(rate);
        }
        if slope.is_zero() {
            return None;
        }
        let step = div(value, slope).ok()?;
        rate = sub(rate, step).ok()?;
        if rate <= Decimal::NEGATIVE_ONE {
            return None;
        }
        if converged(step) {
            return Some(rate);
        }
    }
    None
}

/// The sign of the net present value at `rate`, if it can be computed.
fn sign_at(values: &[Decimal], rate: Decimal) -> Option<std::cmp::Ordering> {
    let (value, _) = value_and_slope(values, rate)?;
    Some(value.cmp(&Decimal::ZERO))
}

/// Bisection between the two grid rates around `guess`'s nearest sign change.
fn bracketed(values: &[Decimal], guess: Decimal) -> Option<Decimal> {
    use std::cmp::Ordering;
    let mut rates: Vec<Decimal> = GRID.iter().map(|&(m, s)| Decimal::new(m, s)).collect();
    rates.push(guess);
    rates.sort();
    rates.dedup();
    let signs: Vec<(Decimal, Ordering)> = rates
        .into_iter()
        .filter_map(|r| sign_at(values, r).map(|s| (r, s)))
        .collect();
    if let Some(&(r, _)) = signs.iter().find(|(_, s)| *s == Ordering::Equal) {
        return Some(r);
    }
    // Every neighbouring pair whose signs differ holds a root; take the one nearest the guess.
    let (lo, hi) = signs
        .windows(2)
        .filter_map(|w| match w {
            [(a, sa), (b, sb)] if sa != sb => Some((*a, *b)),
            _ => None,
        })
        .min_by_key(|(a, b)| {
            let distance = |r: Decimal| sub(r, guess).map(|d| d.abs()).unwrap_or(Decimal::MAX);
            distance(*a).min(distance(*b))
        })?;
    let low_sign = sign_at(values, lo)?;
    let (mut lo, mut hi) = (lo, hi);
    let two = Decimal::TWO;
    // Each halving gains a third of a digit: 200 reach the last digit from any grid interval.
    for _ in 0..200 {
        let mid = div(add(lo, hi).ok()?, two).ok()?;
        if mid == lo || mid == hi || converged(sub(hi, lo).ok()?) {
            return Some(mid);
        }
        match sign_at(values, mid)? {
            Ordering::Equal => return Some(mid),
            s if s == low_sign => lo = mid,
            _ => hi = mid,
        }
    }
    div(add(lo, hi).ok()?, two).ok()
}

/// (1 + rate)^nper.
fn growth(rate: Decimal, nper: Decimal) -> Result<Decimal, MathError> {
    pow(add(Decimal::ONE, rate)?, nper)
}

/// (1 + rate·type)·((1 + rate)^nper − 1)/rate: what a payment each period
/// adds up to by the end, per unit paid.
fn annuity(rate: Decimal, q: Decimal, due: Decimal) -> Result<Decimal, MathError> {
    let timing = add(Decimal::ONE, mul(rate, due)?)?;
    mul(timing, div(sub(q, Decimal::ONE)?, rate)?)
}

/// The payment each period that pays off `pv` (and leaves `fv`) over
/// `nper` periods at `rate`: Excel's PMT, negative when `pv` is a loan received.
pub fn pmt(
    rate: Decimal,
    nper: Decimal,
    pv: Decimal,
    fv: Decimal,
    due: Due,
) -> Result<Decimal, MathError> {
    if rate.is_zero() {
        return neg(div(add(pv, fv)?, nper)?);
    }
    let q = growth(rate, nper)?;
    // pv·q + pmt·annuity + fv = 0
    neg(div(add(mul(pv, q)?, fv)?, annuity(rate, q, due.factor())?)?)
}

/// The value now of `nper` payments of `pmt` (and `fv` at the end) at
/// `rate`: Excel's PV.
pub fn pv(
    rate: Decimal,
    nper: Decimal,
    pmt: Decimal,
    fv: Decimal,
    due: Due,
) -> Result<Decimal, MathError> {
    if rate.is_zero() {
        return neg(add(mul(pmt, nper)?, fv)?);
    }
    let q = growth(rate, nper)?;
    neg(div(
        add(mul(pmt, annuity(rate, q, due.factor())?)?, fv)?,
        q,
    )?)
}

/// The value after `nper` periods of `pv` now and a payment of `pmt` each
/// period at `rate`: Excel's FV.
pub fn fv(
    rate: Decimal,
    nper: Decimal,
    pmt: Decimal,
    pv: Decimal,
    due: Due,
) -> Result<Decimal, MathError> {
    if rate.is_zero() {
        return neg(add(pv, mul(pmt, nper)?)?);
    }
    let q = growth(rate, nper)?;
    neg(add(
        mul(pv, q)?,
        mul(pmt, annuity(rate, q, due.factor())?)?,
    )?)
}

/// The negation (never -0).
fn neg(x: Decimal) -> Result<Decimal, MathError> {
    sub(Decimal::ZERO, x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn ds(v: &[&str]) -> Vec<Decimal> {
        v.iter().map(|s| d(s)).collect()
    }

    /// Rounded to the cent, half away from zero, as Excel shows them.
    fn cents(x: Decimal) -> String {
        format!("{:.2}", super::super::math::round_half_away(x, 2).unwrap())
    }

    /// `x` and `want` agree to `digits` significant digits.
    fn agree(x: Decimal, want: &str, digits: u32) -> bool {
        let want = d(want);
        let err = (x - want).abs();
        err <= want.abs() * Decimal::new(1, digits)
    }

    // Microsoft's documented examples (support.microsoft.com, the NPV, IRR,
    // PMT, PV and FV function pages).

    #[test]
    fn npv_discounts_the_first_value_one_period() {
        let v = ds(&["-10000", "3000", "4200", "6800"]);
        assert_eq!(cents(npv(d("0.1"), &v).unwrap()), "1188.44");
        let v = ds(&["8000", "9200", "10000", "12000", "14500"]);
        let at_zero = npv(d("0.08"), &v).unwrap() + d("-40000");
        assert_eq!(cents(at_zero), "1922.06");
        let v = ds(&["8000", "9200", "10000", "12000", "14500", "-9000"]);
        assert_eq!(cents(npv(d("0.08"), &v).unwrap() + d("-40000")), "-3749.47");
        // Σ vᵢ/(1.1)ⁱ as an exact fraction, to 28 digits: 1188.443412335223003893176696
        assert!(agree(
            npv(d("0.1"), &ds(&["-10000", "3000", "4200", "6800"])).unwrap(),
            "1188.443412335223003893176696",
            26
        ));
    }

    #[test]
    fn npv_at_minus_100_percent_is_a_division_by_zero() {
        assert_eq!(npv(d("-1"), &ds(&["1"])), Err(MathError::DivisionByZero));
        assert_eq!(npv(d("0.1"), &[]), Ok(Decimal::ZERO));
    }

    #[test]
    fn irr_matches_excel_and_twenty_digits() {
        let flows = ds(&["-70000", "12000", "15000", "18000", "21000", "26000"]);
        let four = irr(flows.get(..5).unwrap(), d("0.1")).unwrap();
        let five = irr(&flows, d("0.1")).unwrap();
        let two = irr(flows.get(..3).unwrap(), d("-0.1")).unwrap();
        assert_eq!(
            super::super::math::round_half_away(four, 3).unwrap(),
            d("-0.021")
        );
        assert_eq!(
            super::super::math::round_half_away(five, 3).unwrap(),
            d("0.087")
        );
        assert_eq!(
            super::super::math::round_half_away(two, 3).unwrap(),
            d("-0.444")
        );
        // The roots to 28 digits, by mpmath at 60 digits (the last one in
        // closed form: a quadratic in 1/(1 + r)).
        assert!(agree(five, "0.08663094803653161429309420251", 21), "{five}");
        assert!(
            agree(four, "-0.02124484827341099103105022484", 21),
            "{four}"
        );
        assert!(agree(two, "-0.4435069413347405395025859848", 21), "{two}");
    }

    #[test]
    fn irr_makes_npv_zero() {
        let flows = ds(&["-1000", "300", "400", "500", "200"]);
        let r = irr(&flows, d("0.1")).unwrap();
        let rest = npv(r, flows.get(1..).unwrap()).unwrap();
        let first = *flows.first().unwrap();
        assert!((rest + first).abs() < d("0.0000000000000000001"));
    }

    #[test]
    fn irr_without_a_sign_change_says_so() {
        let e = irr(&ds(&["100", "200"]), d("0.1")).unwrap_err();
        assert!(e.to_string().contains("never change sign"), "{e}");
        let e = irr(&ds(&["-100", "0", "-5"]), d("0.1")).unwrap_err();
        assert!(e.to_string().contains("never change sign"), "{e}");
    }

    #[test]
    fn irr_falls_back_to_bracketing_when_newton_wanders() {
        // From a guess of 500% Newton's first step leaves the domain; the
        // root (10%) is found between grid rates instead.
        let flows = ds(&["-100", "110"]);
        let r = irr(&flows, d("5")).unwrap();
        assert!(agree(r, "0.1", 24), "{r}");
    }

    #[test]
    fn irr_with_no_root_says_so() {
        // -1 + 2x - 2x² has no real root: no rate makes it zero.
        let e = irr(&ds(&["-1", "2", "-2"]), d("0.1")).unwrap_err();
        assert!(e.to_string().contains("found no rate"), "{e}");
    }

    #[test]
    fn pmt_matches_excel() {
        let due = Due::End;
        let p = pmt(d("0.005"), d("15"), d("5000"), d("0"), due).unwrap();
        assert_eq!(cents(p), "-346.82");
        let p = pmt(d("0.005"), d("15"), d("5000"), d("0"), Due::Start).unwrap();
        assert_eq!(cents(p), "-345.10");
        let monthly = d("0.08") / d("12");
        assert_eq!(
            cents(pmt(monthly, d("10"), d("10000"), d("0"), due).unwrap()),
            "-1037.03"
        );
        let p = pmt(monthly, d("10"), d("10000"), d("0"), Due::Start).unwrap();
        assert_eq!(cents(p), "-1030.16");
        let p = pmt(d("0.005"), d("216"), d("0"), d("50000"), due).unwrap();
        assert_eq!(cents(p), "-129.08");
    }

    #[test]
    fn rate_zero_is_straight_division() {
        assert_eq!(
            pmt(d("0"), d("4"), d("1000"), d("0"), Due::End),
            Ok(d("-250"))
        );
        assert_eq!(
            pv(d("0"), d("4"), d("-250"), d("0"), Due::End),
            Ok(d("1000"))
        );
        assert_eq!(
            fv(d("0"), d("4"), d("-250"), d("0"), Due::Start),
            Ok(d("1000"))
        );
        assert_eq!(
            pmt(d("0"), d("0"), d("1000"), d("0"), Due::End),
            Err(MathError::DivisionByZero)
        );
    }

    #[test]
    fn pv_and_fv_match_excel() {
        let monthly = d("0.08") / d("12");
        let p = pv(monthly, d("240"), d("500"), d("0"), Due::End).unwrap();
        assert_eq!(cents(p), "-59777.15");
        let f = fv(d("0.005"), d("10"), d("-200"), d("-500"), Due::Start).unwrap();
        assert_eq!(cents(f), "2581.40");
        assert_eq!(
            cents(fv(d("0.01"), d("12"), d("-1000"), d("0"), Due::End).unwrap()),
            "12682.50"
        );
        let f = fv(d("0.11") / d("12"), d("35"), d("-2000"), d("0"), Due::Start).unwrap();
        assert_eq!(cents(f), "82846.25");
        let f = fv(d("0.005"), d("12"), d("-100"), d("-1000"), Due::Start).unwrap();
        assert_eq!(cents(f), "2301.40");
    }

    #[test]
    fn pmt_pv_fv_agree_with_each_other() {
        // A loan's payment, discounted back at the same rate, is the loan.
        let rate = d("0.07") / d("12");
        for due in [Due::End, Due::Start] {
            let p = pmt(rate, d("360"), d("250000"), d("0"), due).unwrap();
            let back = pv(rate, d("360"), p, d("0"), due).unwrap();
            assert!((back - d("250000")).abs() < d("0.000000000001"), "{back}");
            let left = fv(rate, d("360"), p, d("250000"), due).unwrap();
            assert!(left.abs() < d("0.000000000001"), "{left}");
        }
    }

    #[test]
    fn an_amortisation_table_pays_the_loan_off() {
        // $5,000 at 0.5% a month over 15 months: each month's interest is
        // 0.5% of the balance, the rest of the payment repays principal, and
        // the balance after the 15th payment is zero (to the cent each month,
        // as a bank's table shows).
        let rate = d("0.005");
        let payment = pmt(rate, d("15"), d("5000"), d("0"), Due::End).unwrap();
        let mut balance = d("5000");
        let mut interest_paid = Decimal::ZERO;
        let mut rows = Vec::new();
        for _ in 0..15 {
            let interest = balance * rate;
            let principal = -payment - interest;
            balance -= principal;
            interest_paid += interest;
            rows.push((cents(interest), cents(principal), cents(balance)));
        }
        assert_eq!(
            rows.first().unwrap(),
            &("25.00".into(), "321.82".into(), "4678.18".into())
        );
        assert_eq!(
            rows.get(1).unwrap(),
            &("23.39".into(), "323.43".into(), "4354.75".into())
        );
        assert_eq!(rows.last().unwrap().2, "0.00");
        // Interest is what was paid beyond the loan.
        assert_eq!(cents(interest_paid), cents(-payment * d("15") - d("5000")));
    }
}
