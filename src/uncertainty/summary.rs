//! What a simulation's samples of one quantity come to: percentiles and
//! the mean, in exact decimal arithmetic on the samples.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::value::{math, MathError};

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

/// The `p`-th percentile (0 ≤ p ≤ 1) of `samples`, interpolating linearly
/// between order statistics: with the samples sorted as x₀ ≤ … ≤ xₙ₋₁ and
/// h = (n − 1)·p, it is x⌊h⌋ + (h − ⌊h⌋)(x⌊h⌋₊₁ − x⌊h⌋) (the definition of
/// Excel's PERCENTILE.INC and NumPy's default). `samples` is reordered (a
/// selection, not a full sort). `None` for no samples or p outside 0..1.
pub fn percentile(samples: &mut [Decimal], p: Decimal) -> Option<Decimal> {
    if samples.is_empty() || p < Decimal::ZERO || p > Decimal::ONE {
        return None;
    }
    let last = Decimal::from(samples.len() - 1);
    let h = math::mul(last, p).ok()?;
    let low = h.floor();
    let fraction = math::sub(h, low).ok()?;
    let k = low.to_usize()?;
    let (_, x, above) = samples.select_nth_unstable(k);
    let x = *x;
    if fraction.is_zero() {
        return Some(x);
    }
    let next = above.iter().min().copied().unwrap_or(x);
    let step = math::mul(fraction, math::sub(next, x).ok()?).ok()?;
    math::add(x, step).ok()
}

/// The mean of `samples`; `None` for none.
pub fn mean(samples: &[Decimal]) -> Option<Decimal> {
    let n = Decimal::from(samples.len());
    if samples.is_empty() {
        return None;
    }
    let total: Result<Decimal, MathError> = samples.iter().try_fold(Decimal::ZERO, |t, &x| math::add(t, x));
    match total {
        Ok(t) => math::div(t, n).ok(),
        // Too large to add up: add the shares instead.
        Err(_) => samples
            .iter()
            .try_fold(Decimal::ZERO, |t, &x| math::add(t, math::div(x, n)?))
            .ok(),
    }
}

/// p5, p50, p95 and the mean of `samples` (reordered); `None` for none.
pub fn summarize(samples: &mut [Decimal]) -> Option<Summary> {
    let mean = mean(samples)?;
    Some(Summary {
        p5: percentile(samples, Decimal::new(5, 2))?,
        p50: percentile(samples, Decimal::new(5, 1))?,
        p95: percentile(samples, Decimal::new(95, 2))?,
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
