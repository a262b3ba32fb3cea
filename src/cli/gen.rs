//! `premise gen W1|W2|W3 N` (hidden): writes the benchmark workloads, so that
//! anyone can reproduce the performance figures without extra tools.

use std::io::Write;

use clap::ValueEnum;

use super::common::{usage_error, Exit};

/// The benchmark workloads.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    /// A chain: x0 = 1, x_i = x_{i-1} * 0.9999 + 1.
    W1,
    /// Fan-in: a.c1 = 1 ... a.cN = N, total = sum(a.*).
    W2,
    /// N/10 groups of 10: gK_0 = K, gK_j = gK_{j-1} * 2 + 1.
    W3,
}

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
    }
    buf.flush()
}

/// `premise gen W N`
pub fn gen(out: &mut dyn Write, w: Workload, n: usize) -> Exit {
    match write_workload(out, w, n) {
        Ok(()) => Exit::Ok,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Ok,
        Err(e) => usage_error(format!("cannot write: {e}")),
    }
}
