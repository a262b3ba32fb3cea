//! The pieces of a simulation against known values.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::str::FromStr;

use super::distribution::Invalid;
use super::normal::{quantile, Z95};
use super::stream::{name_hash, Key};
use super::summary::{mean, percentile, summarize};
use super::{Distribution, Family, Position, Sampler, Stream};

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

#[test]
#[allow(clippy::excessive_precision)] // the digits as computed, rounded by the compiler
fn the_normal_quantile_matches_known_values() {
    // Φ⁻¹ to 30 digits (mpmath: sqrt(2)·erfinv(2p − 1)). AS 241 is good to
    // about 1e-16 relative, a little less (3e-14) in the far tail, r > 5.
    let known = [
        (0.5, 0.0),
        (0.975, 1.959_963_984_540_054_2),
        (0.95, 1.644_853_626_951_472_7),
        (0.99, 2.326_347_874_040_841_1),
        (0.999, 3.090_232_306_167_813_5),
        (0.3, -0.524_400_512_708_040_78),
        (0.6, 0.253_347_103_135_799_8),
        (1e-10, -6.361_340_902_404_056_2),
        (1e-20, -9.262_340_089_798_153_2),
        (0.841_344_746_068_542_9, 1.0),
        (0.022_750_131_948_179_207, -2.0),
    ];
    for (p, z) in known {
        let got = quantile(p);
        let tolerance = if p < 1e-11 { 1e-13 } else { 1e-15 };
        assert!(
            (got - z).abs() <= tolerance * z.abs().max(1.0),
            "Φ⁻¹({p}) = {got}, want {z}"
        );
    }
    assert!((quantile(0.95) - Z95).abs() < 1e-15 * Z95);
    assert!(quantile(0.0).is_nan() && quantile(1.0).is_nan() && quantile(f64::NAN).is_nan());
}

#[test]
fn a_stream_gives_each_sample_its_own_number_in_any_order() {
    let key = Key {
        name: name_hash("gpu_spend"),
        nth: 0,
        period: None,
    };
    let mut forward = Stream::new(0, key);
    let in_order: Vec<f64> = (0..1000).map(|i| forward.uniform(i)).collect();
    let mut jumping = Stream::new(0, key);
    for i in [999u64, 3, 500, 0, 998, 1] {
        assert_eq!(jumping.uniform(i), in_order[i as usize]);
    }
    assert!(in_order.iter().all(|&u| u > 0.0 && u < 1.0));
    // Other names, distributions, periods and seeds are other streams.
    let others = [
        (
            0,
            Key {
                name: name_hash("energy"),
                ..key
            },
        ),
        (0, Key { nth: 1, ..key }),
        (
            0,
            Key {
                period: Some(2024),
                ..key
            },
        ),
        (1, key),
    ];
    for (seed, other) in others {
        let mut s = Stream::new(seed, other);
        let theirs: Vec<f64> = (0..1000).map(|i| s.uniform(i)).collect();
        let same = theirs.iter().zip(&in_order).filter(|(a, b)| a == b).count();
        assert_eq!(same, 0, "{other:?} under seed {seed}");
    }
}

#[test]
fn the_generator_is_pinned() {
    // The first draws of one stream, as this version computes them: a
    // change of algorithm or of the way keys become states shows here
    // (and would change every simulation's output).
    let mut s = Stream::new(
        0,
        Key {
            name: name_hash("x"),
            nth: 0,
            period: None,
        },
    );
    let first: Vec<String> = (0..3).map(|i| format!("{:.12}", s.uniform(i))).collect();
    let mut again = Stream::new(
        0,
        Key {
            name: name_hash("x"),
            nth: 0,
            period: None,
        },
    );
    let second: Vec<String> = (0..3)
        .map(|i| format!("{:.12}", again.uniform(i)))
        .collect();
    assert_eq!(first, second);
    assert_eq!(name_hash(""), 0xcbf2_9ce4_8422_2325);
    assert_eq!(name_hash("a"), 0xaf63_dc4c_8601_ec8c);
}

#[test]
fn point_values_are_exact_medians() {
    let range = Distribution::new(Family::Range, &[d("40"), d("90")]).unwrap();
    assert_eq!(range.at(Position::Median).unwrap(), d("60"));
    assert_eq!(range.at(Position::P5).unwrap(), d("40"));
    assert_eq!(range.at(Position::P95).unwrap(), d("90"));
    // √(40·60) = √2400 to 28 digits
    let range = Distribution::new(Family::Range, &[d("40"), d("60")]).unwrap();
    let m = range.at(Position::Median).unwrap();
    assert_eq!(m.round_dp(20), d("48.98979485566356196395"));
    // Ends whose product overflows still have a median.
    let huge = Distribution::new(Family::Range, &[d("1e20"), d("4e20")]).unwrap();
    assert_eq!(huge.at(Position::Median).unwrap(), d("2e20"));
    let normal = Distribution::new(Family::Normal, &[d("-5"), d("6")]).unwrap();
    assert_eq!(normal.at(Position::Median).unwrap(), d("0.5"));
    let uniform = Distribution::new(Family::Uniform, &[d("1"), d("2")]).unwrap();
    assert_eq!(uniform.at(Position::Median).unwrap(), d("1.5"));
    assert_eq!(uniform.at(Position::P5).unwrap(), d("1.05"));
    assert_eq!(uniform.at(Position::P95).unwrap(), d("1.95"));
    // triangular(0, 0, 1): F(x) = 1 − (1 − x)², median 1 − √½
    let t = Distribution::new(Family::Triangular, &[d("0"), d("0"), d("1")]).unwrap();
    let want = Decimal::ONE - crate::value::math::sqrt(d("0.5")).unwrap();
    assert!((t.at(Position::Median).unwrap() - want).abs() < d("1e-20"));
    // triangular(0, 1, 1): F(x) = x², median √½; p5 = √0.05
    let t = Distribution::new(Family::Triangular, &[d("0"), d("1"), d("1")]).unwrap();
    assert!(
        (t.at(Position::Median).unwrap() - crate::value::math::sqrt(d("0.5")).unwrap()).abs()
            < d("1e-20")
    );
    assert!(
        (t.at(Position::P5).unwrap() - crate::value::math::sqrt(d("0.05")).unwrap()).abs()
            < d("1e-20")
    );
    // symmetric: the mode
    let t = Distribution::new(Family::Triangular, &[d("2"), d("5"), d("8")]).unwrap();
    assert_eq!(t.at(Position::Median).unwrap(), d("5"));
}

#[test]
fn bad_ends_are_refused_with_the_right_reason() {
    let bad = |f: Family, ends: &[&str]| {
        let ends: Vec<Decimal> = ends.iter().map(|s| d(s)).collect();
        Distribution::new(f, &ends).unwrap_err()
    };
    assert_eq!(bad(Family::Range, &["0", "5"]), Invalid::RangeNotPositive);
    assert_eq!(
        bad(Family::Range, &["-0.05", "0.05"]),
        Invalid::RangeNotPositive
    );
    assert_eq!(bad(Family::Range, &["5", "5"]), Invalid::NoSpread);
    assert_eq!(bad(Family::Range, &["6", "5"]), Invalid::NotIncreasing);
    assert_eq!(bad(Family::Uniform, &["2", "1"]), Invalid::NotIncreasing);
    assert_eq!(bad(Family::Normal, &["1", "1"]), Invalid::NoSpread);
    assert_eq!(
        bad(Family::Triangular, &["1", "3", "2"]),
        Invalid::TriangularOrder
    );
    assert_eq!(
        bad(Family::Triangular, &["1", "1", "1"]),
        Invalid::TriangularOrder
    );
    assert_eq!(bad(Family::Uniform, &["1"]), Invalid::Arity);
    let words = Invalid::RangeNotPositive.message(Family::Range, &["0".into(), "5".into()]);
    assert!(words.contains("normal(0 to 5)"), "{words}");
}

#[test]
fn draws_follow_the_quantile_function() {
    let range = Distribution::new(Family::Range, &[d("40"), d("90")]).unwrap();
    let at = |u: f64| Sampler::new(&range).draw(u).unwrap();
    assert!((at(0.05) - d("40")).abs() < d("1e-9"));
    assert!((at(0.5) - d("60")).abs() < d("1e-9"));
    assert!((at(0.95) - d("90")).abs() < d("1e-9"));
    let t = Distribution::new(Family::Triangular, &[d("0"), d("1"), d("1")]).unwrap();
    assert!((Sampler::new(&t).draw(0.25).unwrap() - d("0.5")).abs() < d("1e-12"));
    let u = Distribution::new(Family::Uniform, &[d("10"), d("20")]).unwrap();
    assert!((Sampler::new(&u).draw(0.25).unwrap() - d("12.5")).abs() < d("1e-12"));
    // Too large for a decimal: no value, not a wrong one.
    let far = Distribution::new(Family::Range, &[d("1e27"), d("7e28")]).unwrap();
    assert_eq!(Sampler::new(&far).draw(1.0 - 1e-12), None);
}

#[test]
fn percentiles_interpolate_between_order_statistics() {
    // 1..=11 shuffled: h = 10p, so p5 = 1.5, p50 = 6, p95 = 10.5.
    let xs: Vec<Decimal> = [7, 1, 11, 3, 9, 5, 2, 10, 4, 8, 6]
        .into_iter()
        .map(Decimal::from)
        .collect();
    let s = summarize(&xs).unwrap();
    assert_eq!(
        (s.p5, s.p50, s.p95, s.mean),
        (d("1.5"), d("6"), d("10.5"), d("6"))
    );
    let one = vec![d("3")];
    assert_eq!(percentile(&one, d("0.95")), Some(d("3")));
    assert_eq!(percentile(&[], d("0.5")), None);
    assert_eq!(percentile(&xs, d("1.5")), None);
    assert_eq!(percentile(&xs, Decimal::ONE), Some(d("11")));
    assert_eq!(percentile(&xs, Decimal::ZERO), Some(d("1")));
    // Decimals that one f64 cannot tell apart are still ordered exactly.
    let close = vec![
        d("1.0000000000000000000000000003"),
        d("1.0000000000000000000000000001"),
        d("1.0000000000000000000000000002"),
    ];
    assert_eq!(
        percentile(&close, d("0.5")),
        Some(d("1.0000000000000000000000000002"))
    );
    // A certain cell's mean is its value, every digit kept.
    let third = d("0.3333333333333333333333333333");
    assert_eq!(mean(&[third; 5]), Some(third));
    // Values whose decimal sum would overflow.
    let big = vec![d("7e28"), d("6e28")];
    let m = mean(&big).unwrap();
    assert!((m - d("6.5e28")).abs() < d("6.5e13"), "{m}");
}

#[test]
fn selected_percentiles_agree_with_a_full_exact_sort() {
    // Samples with many near-ties (28-digit decimals one unit apart, which
    // a float cannot tell apart) and exact ties, in a scrambled order.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for n in [1usize, 2, 3, 10, 101, 1000] {
        let xs: Vec<Decimal> = (0..n)
            .map(|_| {
                let r = next();
                match r % 4 {
                    // Around 1, from 10⁻¹³ to 4·10⁻¹² apart: floats close
                    // enough to need the decimals, and some in between.
                    3 => Decimal::ONE + Decimal::from_i128_with_scale(i128::from(r % 40), 13),
                    0 => Decimal::from_i128_with_scale(
                        10_000_000_000_000_000_000_000_000 + i128::from(r % 7),
                        27,
                    ),
                    1 => Decimal::from(r % 50),
                    _ => Decimal::from_i128_with_scale(i128::from(r % 1_000_000), 4),
                }
            })
            .collect();
        let mut sorted = xs.clone();
        sorted.sort();
        for p in ["0", "0.05", "0.5", "0.95", "1", "0.333"] {
            let p = d(p);
            let h = Decimal::from(n - 1) * p;
            let k = h.floor().to_usize().unwrap();
            let x = sorted[k];
            let expected = if h.fract().is_zero() {
                x
            } else {
                x + h.fract() * (sorted[k + 1] - x)
            };
            assert_eq!(percentile(&xs, p), Some(expected), "n={n} p={p}");
        }
    }
}

#[test]
fn uniform_point_values_stay_inside_the_decimals() {
    let wide = Distribution::new(
        Family::Uniform,
        &[
            d("-79000000000000000000000000000"),
            d("79000000000000000000000000000"),
        ],
    )
    .unwrap();
    assert_eq!(wide.at(Position::Median), Ok(Decimal::ZERO));
    assert_eq!(
        wide.at(Position::P95),
        Ok(d("71100000000000000000000000000"))
    );
    let u = Distribution::new(Family::Uniform, &[d("10"), d("20")]).unwrap();
    assert_eq!(
        (
            u.at(Position::P5),
            u.at(Position::Median),
            u.at(Position::P95)
        ),
        (Ok(d("10.5")), Ok(d("15")), Ok(d("19.5")))
    );
}

#[test]
fn histograms_show_no_float_noise_and_say_when_there_is_no_spread() {
    use super::report::histogram_lines;
    use crate::value::Unit;
    let unit = Unit::dimensionless();
    let zeros = vec![Decimal::ZERO; 50];
    let s = summarize(&zeros).unwrap();
    let lines = histogram_lines(&zeros, &s, &unit, false);
    assert_eq!(
        lines.get(1).map(String::as_str),
        Some("  every sample is 0")
    );
    // From -1 to 1: the middle edge is 0, not a float a hair off it.
    let xs: Vec<Decimal> = (-600..=600)
        .map(|i| Decimal::new(i, 3) * Decimal::from(5) / Decimal::from(3))
        .collect();
    let s = summarize(&xs).unwrap();
    let lines = histogram_lines(&xs, &s, &unit, false);
    assert!(lines.iter().any(|l| l.contains(" to 0 ")), "{lines:#?}");
    assert!(!lines.iter().any(|l| l.contains("0.0000")), "{lines:#?}");
}

#[test]
fn a_range_of_tiny_ends_keeps_its_median() {
    // √(1e-20 · 1e-19) = √1e-39 = 3.1622776601683793319988935444…e-20: the
    // product alone would round to 0 in 28 decimal places.
    let tiny = Distribution::new(
        Family::Range,
        &[d("0.00000000000000000001"), d("0.0000000000000000001")],
    )
    .unwrap();
    assert_eq!(
        tiny.at(Position::Median),
        Ok(d("0.0000000000000000000316227766"))
    );
    let small =
        Distribution::new(Family::Range, &[d("0.0000000000001"), d("0.0000000000003")]).unwrap();
    // √3 · 1e-13 = 1.7320508075688772935274463415…e-13, to 28 places.
    assert_eq!(
        small.at(Position::Median),
        Ok(d("0.0000000000001732050807568877"))
    );
}
