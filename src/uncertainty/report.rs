//! A simulated cell in lines of text: its percentiles and a histogram
//! drawn with block characters (the REPL's `:sim`).

use rust_decimal::Decimal;

use super::sampler::to_decimal;
use super::summary::{bins, Summary};
use crate::display::format_number;
use crate::value::Unit;

/// Bars of the text histogram.
const BARS: usize = 12;

/// Characters of the longest bar.
const LONGEST: usize = 40;

/// The lines for a number's samples: `p5 … p50 … p95 … mean …`, then one
/// line per bar: its range, the bar, the share of samples in it.
pub fn histogram_lines(
    samples: &[Decimal],
    summary: &Summary,
    unit: &Unit,
    percent: bool,
) -> Vec<String> {
    let show = |x: Decimal| format_number(x, unit, percent);
    let mut lines = vec![summary_line(summary, unit, percent)];
    if let Some(&first) = samples.first() {
        if samples.iter().all(|&x| x == first) {
            // No spread to draw (`x - x`, a cell no distribution reaches).
            lines.push(format!("  every sample is {}", show(first)));
            return lines;
        }
    }
    let Some(b) = bins(samples, BARS) else {
        return lines;
    };
    let most = b.counts.iter().copied().max().unwrap_or(1).max(1);
    // An edge a float's rounding left a hair off zero (-8.3e-17 in a bar
    // of width 1/6) is zero; the others keep the float's 15 digits.
    let edge = |x: f64| {
        let x = if x.abs() < b.width * 1e-9 { 0.0 } else { x };
        to_decimal(x).map_or_else(String::new, show)
    };
    let rows: Vec<(String, usize)> = b
        .counts
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let (l, r) = b.edges(i);
            (format!("{} to {}", edge(l), edge(r)), c)
        })
        .collect();
    let label_width = rows
        .iter()
        .map(|(l, _)| crate::table::width(l))
        .max()
        .unwrap_or(0);
    for (label, count) in rows {
        let length = (count * LONGEST).div_ceil(most);
        let share = 100.0 * count as f64 / samples.len().max(1) as f64;
        lines.push(format!(
            "  {}  {:<LONGEST$} {share:.1}%",
            crate::table::pad_left(&label, label_width),
            "█".repeat(length)
        ));
    }
    lines
}

/// `p5 $74.51B   p50 $143.78B   p95 $248.4B   mean $150.44B`: a number's
/// percentiles and mean in the unit it shows in (the REPL's `:sim`, the
/// editor's hover).
pub fn summary_line(summary: &Summary, unit: &Unit, percent: bool) -> String {
    let show = |x: Decimal| format_number(x, unit, percent);
    format!(
        "p5 {}   p50 {}   p95 {}   mean {}",
        show(summary.p5),
        show(summary.p50),
        show(summary.p95),
        show(summary.mean)
    )
}

/// `true in 32.13% of samples`: how often a condition held in a simulation.
pub fn share_words(share: Decimal) -> String {
    format!(
        "true in {} of samples",
        crate::display::format_value(&crate::value::Value::number(share), true)
    )
}

/// Reads a sample count: a whole number from 1 to [`super::MAX_SAMPLES`]
/// (`_` separators allowed), or says what is wrong.
pub fn parse_samples(text: &str) -> Result<u32, String> {
    let t = text.trim().replace('_', "");
    match t.parse::<i128>() {
        Ok(n) if (1..=i128::from(super::MAX_SAMPLES)).contains(&n) => {
            u32::try_from(n).map_err(|e| e.to_string())
        }
        _ => Err(format!(
            "the number of samples is a whole number from 1 to {}, not '{text}'",
            super::MAX_SAMPLES
        )),
    }
}
