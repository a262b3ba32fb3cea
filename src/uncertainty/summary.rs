//! What a simulation's samples of one quantity come to: percentiles and
//! the mean, in exact decimal arithmetic on the samples.

use std::cmp::Ordering;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::sampler::{to_decimal, POWERS};
use crate::value::math;

/// The percentiles and mean `simulate` reports for a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    /// 5th percentile.
    pub p5: Decimal,
    /// Median.
    pub p50: Decimal,
    /// 95th percentile.
    pub p95: Decimal,
    /// The arithmetic mean.
    pub mean: Decimal,
}

/// A sample with a binary approximation of it in front, so that most
/// comparisons compare floats.
type Keyed = (f64, Decimal);

/// A decimal as a float, within a few units in the last place (a relative
/// error below 10⁻¹⁵): cheaper than a correctly rounded conversion, and
/// enough for sorting keys and the mean.
fn approx(d: Decimal) -> f64 {
    let power = POWERS.get(d.scale() as usize).copied().unwrap_or(f64::NAN);
    d.mantissa() as f64 / power
}

/// The samples with their approximations.
fn keyed(samples: &[Decimal]) -> Vec<Keyed> {
    samples.iter().map(|&d| (approx(d), d)).collect()
}

/// The exact order of two samples: their approximations' order when they
/// are too far apart for the approximation's error to matter (10⁻¹² apart,
/// relatively, against an error below 10⁻¹⁵), the decimals' otherwise.
/// Each branch gives the decimals' order, so this is a total order.
fn exact_order(a: &Keyed, b: &Keyed) -> Ordering {
    let (x, y) = (a.0, b.0);
    if (x - y).abs() > 1e-12 * x.abs().max(y.abs()) {
        x.total_cmp(&y)
    } else {
        a.1.cmp(&b.1)
    }
}

/// The `p`-th percentile (0 ≤ p ≤ 1) of `samples`, interpolating linearly
/// between order statistics: with the samples sorted as x₀ ≤ … ≤ xₙ₋₁ and
/// h = (n − 1)·p, it is x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋) (the definition of
/// Excel's PERCENTILE.INC and NumPy's default), in exact decimals. `None`
/// for no samples or p outside 0..1.
pub fn percentile(samples: &[Decimal], p: Decimal) -> Option<Decimal> {
    percentile_of(&mut keyed(samples), p)
}

/// [`percentile`] of keyed samples, which it reorders: the order statistics
/// it needs are selected (on average in time proportional to the number of
/// samples), not found by sorting them all.
fn percentile_of(samples: &mut [Keyed], p: Decimal) -> Option<Decimal> {
    if samples.is_empty() || p < Decimal::ZERO || p > Decimal::ONE {
        return None;
    }
    let last = Decimal::from(samples.len() - 1);
    let h = math::mul(last, p).ok()?;
    let low = h.floor();
    let fraction = math::sub(h, low).ok()?;
    let k = low.to_usize()?;
    if k >= samples.len() {
        return None;
    }
    let (x, next) = order_statistics(samples, k)?;
    if fraction.is_zero() {
        return Some(x);
    }
    let next = next.unwrap_or(x);
    let step = math::mul(fraction, math::sub(next, x).ok()?).ok()?;
    math::add(x, step).ok()
}

/// The `k`-th smallest sample (from 0) and the next one, exactly.
///
/// Selected by the floats alone, which is cheap, then made exact: the
/// samples whose floats are within 10⁻¹² (relatively) of the one selected
/// are put in order by their decimals, and every other sample is at least
/// twice as far, where the floats' order is the decimals' order. When some
/// sample lies between those two distances, the selection is made again
/// in the exact order.
fn order_statistics(samples: &mut [Keyed], k: usize) -> Option<(Decimal, Option<Decimal>)> {
    let (_, pivot, _) = samples.select_nth_unstable_by(k, |a, b| a.0.total_cmp(&b.0));
    let key = pivot.0;
    let near = 1e-12 * key.abs();
    let mut below = 0usize;
    let mut close: Vec<Decimal> = Vec::new();
    let mut first_above: Option<&Keyed> = None;
    let mut clear = true;
    for s in samples.iter() {
        let distance = (s.0 - key).abs();
        if distance <= near {
            close.push(s.1);
        } else if distance <= 2.0 * near {
            clear = false;
            break;
        } else if s.0 < key {
            below += 1;
        } else if first_above.is_none_or(|f| exact_order(s, f) == Ordering::Less) {
            first_above = Some(s);
        }
    }
    if clear {
        close.sort_unstable();
        if let Some(&x) = k.checked_sub(below).and_then(|i| close.get(i)) {
            let next = close
                .get(k - below + 1)
                .copied()
                .or_else(|| first_above.map(|f| f.1));
            return Some((x, next));
        }
    }
    let (_, x, above) = samples.select_nth_unstable_by(k, exact_order);
    let x = x.1;
    let next = above.iter().min_by(|a, b| exact_order(a, b)).map(|n| n.1);
    Some((x, next))
}

/// The mean of `samples`; `None` for none. Exact when every sample is the
/// same (a certain cell); otherwise summed in binary floating point with
/// Neumaier's compensation, good to about 15 significant digits (the
/// precision the draws were made with).
pub fn mean(samples: &[Decimal]) -> Option<Decimal> {
    mean_of(samples, samples.iter().map(|&d| approx(d)))
}

/// [`mean`] given each sample's approximation, in order.
fn mean_of(
    samples: &[Decimal],
    approximations: impl Iterator<Item = f64> + Clone,
) -> Option<Decimal> {
    let first = *samples.first()?;
    let key = approx(first);
    if samples
        .iter()
        .zip(approximations.clone())
        .all(|(&x, a)| a == key && x == first)
    {
        return Some(first);
    }
    let (mut sum, mut carry) = (0.0f64, 0.0f64);
    for x in approximations {
        let t = sum + x;
        carry += if sum.abs() >= x.abs() {
            (sum - t) + x
        } else {
            (x - t) + sum
        };
        sum = t;
    }
    let m = (sum + carry) / samples.len() as f64;
    // To the digits the draws have (see `sampler::to_decimal`).
    to_decimal(m)
}

/// p5, p50, p95 and the mean of `samples`; `None` for none.
pub fn summarize(samples: &[Decimal]) -> Option<Summary> {
    let mut keyed = keyed(samples);
    let mean = mean_of(samples, keyed.iter().map(|k| k.0))?;
    // Any order gives the same percentiles; each selection only reorders.
    Some(Summary {
        p95: percentile_of(&mut keyed, Decimal::new(95, 2))?,
        p50: percentile_of(&mut keyed, Decimal::new(5, 1))?,
        p5: percentile_of(&mut keyed, Decimal::new(5, 2))?,
        mean,
    })
}

/// The share of `count` among `of`, as a decimal fraction (0.3712).
pub fn share(count: u64, of: u64) -> Option<Decimal> {
    math::div(Decimal::from(count), Decimal::from(of)).ok()
}

/// Samples counted into bars of equal width, for histograms.
#[derive(Clone, Debug, PartialEq)]
pub struct Bins {
    /// The left edge of the first bar.
    pub low: f64,
    /// The width of each bar.
    pub width: f64,
    /// How many samples fall in each bar.
    pub counts: Vec<usize>,
}

impl Bins {
    /// Bar `i`'s edges.
    pub fn edges(&self, i: usize) -> (f64, f64) {
        let left = self.low + self.width * i as f64;
        (left, left + self.width)
    }
}

/// `samples` counted into `bars` bars spanning their middle 99% (those
/// beyond fall in the end bars, so that a long tail does not squeeze the
/// body into one bar). `None` for no samples or no bars.
pub fn bins(samples: &[Decimal], bars: usize) -> Option<Bins> {
    if samples.is_empty() || bars == 0 {
        return None;
    }
    let mut xs: Vec<f64> = samples.iter().filter_map(|d| d.to_f64()).collect();
    xs.sort_by(f64::total_cmp);
    let at = |q: f64| -> f64 {
        let i = ((xs.len().saturating_sub(1)) as f64 * q).round() as usize;
        xs.get(i).copied().unwrap_or(0.0)
    };
    let (mut low, mut high) = (at(0.005), at(0.995));
    if high <= low {
        let d = if low == 0.0 { 1.0 } else { low.abs() * 0.1 };
        low -= d;
        high += d;
    }
    let width = (high - low) / bars as f64;
    let mut counts = vec![0usize; bars];
    for &x in &xs {
        let bar = ((x - low) / width).floor().clamp(0.0, (bars - 1) as f64) as usize;
        if let Some(c) = counts.get_mut(bar) {
            *c += 1;
        }
    }
    Some(Bins { low, width, counts })
}
