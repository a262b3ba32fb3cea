//! Converting amounts between units of one dimension, and cancelling units
//! of one dimension out of a product (`W*h/kWh`, `MW/kW`).

use rust_decimal::Decimal;

use super::{Ratio, Unit};
use crate::value::error::MathError;

/// Why an amount cannot be had in another unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incompatible {
    /// The units measure different things (`MW` and `MWh`).
    Dimensions,
    /// The conversion leaves the range of decimals.
    Math(MathError),
}

/// The factor that turns an amount in `from` into one in `to`.
pub fn ratio_between(from: &Unit, to: &Unit) -> Result<Ratio, Incompatible> {
    if from == to {
        return Ok(Ratio::ONE);
    }
    // Units that do not convert are their own dimension: different names
    // are different dimensions.
    if !from.converts() && !to.converts() {
        return Err(Incompatible::Dimensions);
    }
    let overflow = || Incompatible::Math(MathError::Overflow);
    if from.dimension().ok_or_else(overflow)? != to.dimension().ok_or_else(overflow)? {
        return Err(Incompatible::Dimensions);
    }
    let from_ratio = from.ratio().ok_or_else(overflow)?;
    let to_ratio = to.ratio().ok_or_else(overflow)?;
    from_ratio.checked_div(to_ratio).ok_or_else(overflow)
}

/// `amount` in `from`, as an amount in `to`: an exact multiplication by the
/// ratio of their factors (`1.5 [kWh]` is `1500 [Wh]`), rounded once at the
/// last digit when the ratio divides (docs/language.md#units).
pub fn convert(amount: Decimal, from: &Unit, to: &Unit) -> Result<Decimal, Incompatible> {
    ratio_between(from, to)?
        .apply(amount)
        .map_err(Incompatible::Math)
}

/// Most names a unit may have for [`cancel`] to look for parts that cancel.
const MOST_NAMES: usize = 12;

/// Most combinations of powers [`cancel`] tries before it tries whole powers only.
const MOST_TRIES: u64 = 4096;

/// The parts of a product's unit whose dimensions cancel, taken out with
/// their factor: `W*h/kWh` is 1/1000, `MW/kW` is 1000, `USD*W*h/kWh` is
/// `USD` times 1/1000 (docs/language.md#units). Returns the unit left and
/// the factor amounts are multiplied by, or `None` when nothing cancels.
///
/// The largest cancelling part (by powers) is taken, so one pass leaves
/// nothing that cancels. Units of fewer than two names, or without a name
/// that converts, return at once: the common case costs nothing.
pub fn cancel(unit: &Unit) -> Option<(Unit, Ratio)> {
    let parts = unit.parts();
    if parts.len() < 2 || parts.len() > MOST_NAMES || !unit.converts() {
        return None;
    }
    // Each name's dimension as a vector over the base units that occur.
    let dimensions: Vec<_> = parts.iter().map(|(n, _)| n.dimension()).collect();
    let mut bases: Vec<&str> = dimensions
        .iter()
        .flat_map(|d| d.parts().map(|(b, _)| b))
        .collect();
    bases.sort_unstable();
    bases.dedup();
    let vectors: Vec<Vec<i64>> = dimensions
        .iter()
        .map(|d| {
            bases
                .iter()
                .map(|b| {
                    d.parts()
                        .find(|(n, _)| n == b)
                        .map_or(0, |(_, p)| i64::from(p))
                })
                .collect()
        })
        .collect();
    // How much of each name's power may be taken: all of it or any part,
    // unless that makes too many combinations to try.
    let tries = parts.iter().try_fold(1u64, |acc, (_, p)| {
        acc.checked_mul(u64::from(p.unsigned_abs()).saturating_add(1))
    });
    let whole_only = tries.is_none_or(|t| t > MOST_TRIES);
    let steps: Vec<Vec<i64>> = parts
        .iter()
        .map(|(_, p)| {
            let p = i64::from(*p);
            if whole_only {
                vec![0, p]
            } else {
                (0..=p.abs()).map(|k| k * p.signum()).collect()
            }
        })
        .collect();
    let mut best: Option<(u64, Vec<i64>)> = None;
    let mut at = vec![0usize; parts.len()];
    let mut sum = vec![0i64; bases.len()];
    loop {
        let taken: Vec<i64> = at
            .iter()
            .zip(&steps)
            .map(|(&i, s)| s.get(i).copied().unwrap_or(0))
            .collect();
        if taken.iter().filter(|&&k| k != 0).count() >= 2 {
            sum.iter_mut().for_each(|s| *s = 0);
            for (k, v) in taken.iter().zip(&vectors) {
                for (s, x) in sum.iter_mut().zip(v) {
                    *s = s.saturating_add(k.saturating_mul(*x));
                }
            }
            let score: u64 = taken.iter().map(|k| k.unsigned_abs()).sum();
            if sum.iter().all(|&s| s == 0) && best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, taken));
            }
        }
        // The next combination, the first name's choice turning fastest.
        let mut i = 0;
        loop {
            let (Some(slot), Some(choices)) = (at.get_mut(i), steps.get(i)) else {
                // Every combination tried.
                let (_, taken) = best?;
                return taken_out(unit, &taken);
            };
            *slot += 1;
            if *slot < choices.len() {
                break;
            }
            *slot = 0;
            i += 1;
        }
    }
}

/// The unit without `taken` of each name's power, and the factor of what was taken.
fn taken_out(unit: &Unit, taken: &[i64]) -> Option<(Unit, Ratio)> {
    let mut ratio = Ratio::ONE;
    let mut left = Vec::with_capacity(taken.len());
    for ((named, power), &k) in unit.parts().iter().zip(taken) {
        ratio = ratio.checked_mul(named.ratio().powi(k)?)?;
        let rest = i32::try_from(i64::from(*power) - k).ok()?;
        left.push((named.clone(), rest));
    }
    Some((Unit::from_named(left)?, ratio))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn unit(text: &str) -> Unit {
        Unit::written(text)
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn table_of_conversions() {
        let cases = [
            ("1", "kWh", "Wh", "1000"),
            ("500", "Wh", "kWh", "0.5"),
            ("1", "MWh", "kWh", "1000"),
            ("2.5", "GWh", "MWh", "2500"),
            ("1", "TWh", "GWh", "1000"),
            ("1", "kWh", "J", "3600000"),
            ("1", "MJ", "kJ", "1000"),
            ("1", "GJ", "MWh", "0.2777777777777777777777777778"),
            ("100", "MW", "kW", "100000"),
            ("40.8", "kW", "MW", "0.0408"),
            ("1", "GW", "W", "1000000000"),
            ("90", "min", "h", "1.5"),
            ("1", "day", "h", "24"),
            ("1", "week", "day", "7"),
            ("1", "yr", "day", "365"),
            ("1", "yr", "h", "8760"),
            ("3600", "s", "h", "1"),
            ("1", "byte", "bit", "8"),
            ("1", "kB", "byte", "1000"),
            ("1", "PB", "TB", "1000"),
            ("1", "GB", "MB", "1000"),
            ("1", "kW*h", "kWh", "1"),
            ("1", "h*kW", "Wh", "1000"),
            ("80", "USD/MWh", "USD/kWh", "0.08"),
            ("0.08", "USD/kWh", "USD/MWh", "80"),
            ("1", "kWh/h", "kW", "1"),
            ("8760", "MWh/yr", "MW", "1"),
            ("2", "GPU", "GPU", "2"),
        ];
        for (amount, from, to, want) in cases {
            assert_eq!(
                convert(d(amount), &unit(from), &unit(to)),
                Ok(d(want)),
                "{amount} {from} -> {to}"
            );
        }
    }

    #[test]
    fn different_dimensions_do_not_convert() {
        for (from, to) in [
            ("MW", "MWh"),
            ("kWh", "kW"),
            ("h", "kWh"),
            ("GPU", "rack"),
            ("USD", "GPU"),
            ("kWh", ""),
            ("", "h"),
            ("GB", "s"),
            ("USD/kWh", "USD/kW"),
        ] {
            assert_eq!(
                convert(Decimal::ONE, &unit(from), &unit(to)),
                Err(Incompatible::Dimensions),
                "{from} -> {to}"
            );
        }
    }

    #[test]
    fn overflow_is_an_error() {
        let big = d("79228162514264337593543950335");
        assert_eq!(
            convert(big, &unit("TWh"), &unit("J")),
            Err(Incompatible::Math(MathError::Overflow))
        );
    }

    #[test]
    fn parts_of_one_dimension_cancel_with_their_factor() {
        let cases = [
            ("W*h/kWh", "", "0.001"),
            ("MW/kW", "", "1000"),
            ("kW/MW", "", "0.001"),
            ("USD*W*h/kWh", "USD", "0.001"),
            ("h*MW/kW", "h", "1000"),
            ("h/yr", "", "0.0001141552511415525114155251"),
            ("kW*h/yr", "kW", "0.0001141552511415525114155251"),
            ("kWh/Wh", "", "1000"),
            ("kWh^2/Wh", "kWh", "1000"),
            ("kB/byte", "", "1000"),
            ("min/s", "", "60"),
        ];
        for (from, left, factor) in cases {
            let (unit_left, ratio) =
                cancel(&unit(from)).unwrap_or_else(|| panic!("{from} does not cancel"));
            assert_eq!(unit_left, unit(left), "{from}");
            assert_eq!(ratio.to_decimal(), Ok(d(factor)), "{from}");
        }
    }

    #[test]
    fn parts_that_do_not_cancel_stay() {
        for u in [
            "kW*h",
            "h*kW",
            "kWh/h",
            "USD/kWh",
            "GPU*h",
            "kW/rack",
            "USD/GPU*h",
            "kWh/kW",
            "GPU",
            "USD/GPU",
            "",
            "kW",
            "GPU/rack",
            "h*kW/GPU",
        ] {
            assert_eq!(cancel(&unit(u)), None, "{u}");
        }
    }
}
