//! What would it take? Goal seek ([`solve`]), data tables ([`sweep`]) and
//! tornado charts ([`sensitivity`]): the inverse and comparative questions an
//! analyst asks of a model (docs/language.md#what-if).
//!
//! Every question is asked of a [`Workbook`](crate::eval::Workbook) as it
//! stands — the CLI's model under its scenario and `--set` flags, or the
//! REPL's session model with its redefinitions — and never changes it: the
//! work happens on a [`Probe`], a scratch copy whose one varied cell is
//! redefined incrementally, so that only its dependents recompute.
//!
//! Each command has one entry point that writes its result to a
//! `&mut dyn Write` and returns the data, so the CLI and the REPL are thin
//! wrappers over the same code.

mod literal;
pub mod plot;
mod probe;
mod quantity;
pub mod sensitivity;
pub mod solve;
pub mod sweep;

pub use literal::number_formula;
pub use probe::{Probe, Varied};
pub use quantity::{parse_quantity, parse_range, Range};

/// Why a what-if question got no answer, and whose side the trouble is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WhatIfError {
    /// Whether the question was malformed or the model could not answer it.
    pub fault: Fault,
    /// What went wrong, in the analyst's words.
    pub message: String,
}

/// Whose side a [`WhatIfError`] is on; it decides the exit code (docs/language.md#exit-codes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The question is malformed: an unknown cell, a bad range, a unit that
    /// does not fit (exit 2).
    Usage,
    /// The question is well formed but the model cannot answer it: no root,
    /// the target does not depend on the input, evaluation failed (exit 1).
    Unanswerable,
}

impl WhatIfError {
    /// A malformed question.
    pub fn usage(message: impl Into<String>) -> WhatIfError {
        WhatIfError {
            fault: Fault::Usage,
            message: message.into(),
        }
    }

    /// A question the model cannot answer.
    pub fn unanswerable(message: impl Into<String>) -> WhatIfError {
        WhatIfError {
            fault: Fault::Unanswerable,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for WhatIfError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for WhatIfError {}

/// Output formats of the tables (`sweep`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns in display format.
    #[default]
    Table,
    /// One row per point, exact values and display text.
    Csv,
    /// The same as data.
    Json,
}

/// A closed pipe (`| head`) is not an error; other write failures are.
fn quiet_pipe(e: std::io::Error) -> Result<(), WhatIfError> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(WhatIfError::usage(format!("cannot write the output: {e}")))
    }
}

/// Quotes a CSV field when it needs it.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The number of characters a terminal gives `s`.
fn width(s: &str) -> usize {
    s.chars().count()
}

/// Writes rows as aligned columns: the first left-aligned, the rest right-aligned.
fn write_columns(out: &mut dyn std::io::Write, rows: &[Vec<String>]) -> std::io::Result<()> {
    write_aligned(out, rows, usize::MAX)
}

/// Like [`write_columns`], with the columns from `left_from` on left-aligned too.
fn write_aligned(
    out: &mut dyn std::io::Write,
    rows: &[Vec<String>],
    left_from: usize,
) -> std::io::Result<()> {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; n];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(width(cell));
        }
    }
    for row in rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
            let pad = " ".repeat(w.saturating_sub(width(cell)));
            if i == 0 || i >= left_from {
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(cell);
                line.push_str(&pad);
            } else {
                line.push_str("  ");
                line.push_str(&pad);
                line.push_str(cell);
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}
