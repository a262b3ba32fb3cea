//! The benchmark workloads (W1 chain, W2 fan-in, W3 groups, W4 series, W5
//! uncertain chain), written by the hidden `premise gen W1|…|W5 N` and by the
//! benches, so that anyone can reproduce the performance figures without
//! extra tools.

use std::io::Write;

/// The benchmark workloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Workload {
    /// A chain: x0 = 1, x_i = x_{i-1} * 0.9999 + 1.
    W1,
    /// Fan-in: a.c1 = 1 ... a.cN = N, total = sum(a.*).
    W2,
    /// N/10 groups of 10: gK_0 = K, gK_j = gK_{j-1} * 2 + 1.
    W3,
    /// N/100 series of 100 periods, each a recurrence pinned at its first
    /// period: `s_k[1] = k`, `s_k[t] = s_k[t - 1] * 1.01 + 1` (N elements).
    W4,
    /// An uncertain chain (`simulate`'s workload): N/10 ranges
    /// `u_i = (i+1) to (2i+3)`, then a chain over them of the other cells,
    /// `c_0 = u_0`, `c_j = c_{j-1} * 0.999 + u_{j mod N/10} / 100`: every
    /// cell varies from sample to sample, in full 28-digit decimals.
    W5,
}

/// Periods of each series of W4.
pub const W4_PERIODS: usize = 100;

/// Writes workload `w` with `n` cells to `out`.
pub fn write_workload(out: &mut dyn Write, w: Workload, n: usize) -> std::io::Result<()> {
    let mut buf = std::io::BufWriter::with_capacity(1 << 20, out);
    match w {
        Workload::W1 => {
            writeln!(buf, "x0 = 1")?;
            for i in 1..n {
                writeln!(buf, "x{i} = x{} * 0.9999 + 1", i - 1)?;
            }
        }
        Workload::W2 => {
            for i in 1..=n {
                writeln!(buf, "a.c{i} = {i}")?;
            }
            writeln!(buf, "total = sum(a.*)")?;
        }
        Workload::W3 => {
            for k in 0..n / 10 {
                writeln!(buf, "g{k}_0 = {k}")?;
                for j in 1..10 {
                    writeln!(buf, "g{k}_{j} = g{k}_{} * 2 + 1", j - 1)?;
                }
            }
        }
        Workload::W4 => {
            writeln!(buf, "axis t = 1..{W4_PERIODS}")?;
            for k in 1..=(n / W4_PERIODS).max(1) {
                writeln!(buf, "s_{k}[1] = {k}")?;
                writeln!(buf, "s_{k}[t] = s_{k}[t - 1] * 1.01 + 1")?;
            }
        }
        Workload::W5 => {
            let ranges = (n / 10).max(1);
            for i in 0..ranges {
                writeln!(buf, "u{i} = {} to {}", i + 1, 2 * i + 3)?;
            }
            writeln!(buf, "c0 = u0")?;
            for j in 1..n.saturating_sub(ranges) {
                writeln!(buf, "c{j} = c{} * 0.999 + u{} / 100", j - 1, j % ranges)?;
            }
        }
    }
    buf.flush()
}

/// Workload `w` with `n` cells as model text.
pub fn workload_text(w: Workload, n: usize) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_workload(&mut out, w, n);
    String::from_utf8_lossy(&out).into_owned()
}
