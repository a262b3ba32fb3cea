//! What would it take? Goal seek ([`solve()`]), data tables ([`sweep()`]) and
//! tornado charts ([`sensitivity()`]): the inverse and comparative questions an
//! analyst asks of a model (docs/language.md#what-if).
//!
//! Every question is asked of a [`Workbook`](crate::eval::Workbook) as it
//! stands — the CLI's model under its scenario and `--set` flags, or the
//! REPL's session model with its redefinitions — and never changes it: the
//! work happens on a [`Probe`], a scratch copy whose one varied cell is
//! redefined incrementally, so that only its dependents recompute.
//!
//! The questions take typed arguments ([`Goal`], [`Vary`], [`Amount`]) and
//! return data ([`Solution`], [`Table`], [`Tornado`]); the front ends read
//! their own syntax into those arguments (the shared parsers are
//! [`Goal::parse`], [`Vary::parse`], [`parse_between`]) and format the data
//! themselves, with the renderings here ([`solution_lines`],
//! [`table_lines`], [`tornado_lines`], [`write_csv`], [`write_json`]).

mod literal;
#[cfg(feature = "charts")]
pub mod plot;
mod probe;
mod quantity;
mod sensitivity;
mod solve;
mod sweep;

pub use literal::number_formula;
pub use probe::{Probe, Varied};
pub use quantity::{parse_between, Amount, Goal, Range, Vary};
pub use sensitivity::{sensitivity, tornado_lines, Swing, Tornado, MAX_INPUTS};
pub use solve::{solution_lines, solve, Method, Solution};
pub use sweep::{sweep, table_lines, write_csv, write_json, Axis, Column, Point, Table};

use crate::internal::InternalError;
use crate::suggest::Unknown;
use crate::table::{Align, Table as Columns};

/// Why a what-if question got no answer. Its kind says whose side the
/// trouble is on ([`WhatIfError::fault`]); its message is the analyst's words.
#[derive(Debug, thiserror::Error)]
pub enum WhatIfError {
    /// A cell named in the question does not exist.
    #[error(transparent)]
    UnknownCell(Unknown),
    /// The question is malformed: its syntax, a range, an amount that is not
    /// a number or not in the cell's unit, a cell that holds no number.
    #[error("{0}")]
    Question(String),
    /// The answer does not depend on what the question varies.
    #[error("{0}")]
    NotDependent(String),
    /// The model fails to compute a cell the question needs.
    #[error("{0}")]
    Evaluation(String),
    /// No value of the input reaches the goal (none in the range, a
    /// discontinuity, the evaluations spent).
    #[error("{0}")]
    NoSolution(String),
    /// A chart with nothing on it.
    #[error("{0}")]
    NothingToPlot(String),
    /// The chart could not be drawn.
    #[error("cannot draw the chart: {0}")]
    Chart(String),
    /// The chart file could not be written.
    #[error(transparent)]
    File(#[from] crate::file::FileError),
    /// premise's own failure (a broken invariant), not the question's or
    /// the model's.
    #[error(transparent)]
    Internal(#[from] InternalError),
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
    /// premise itself failed (exit 3).
    Internal,
}

impl WhatIfError {
    /// Whether the question was malformed or the model could not answer it.
    pub fn fault(&self) -> Fault {
        match self {
            WhatIfError::UnknownCell(_)
            | WhatIfError::Question(_)
            | WhatIfError::Chart(_)
            | WhatIfError::File(_) => Fault::Usage,
            WhatIfError::NotDependent(_)
            | WhatIfError::Evaluation(_)
            | WhatIfError::NoSolution(_)
            | WhatIfError::NothingToPlot(_) => Fault::Unanswerable,
            WhatIfError::Internal(_) => Fault::Internal,
        }
    }

    /// A malformed question.
    fn question(message: impl Into<String>) -> WhatIfError {
        WhatIfError::Question(message.into())
    }

    /// A cell the question needs cannot be computed.
    fn evaluation(message: impl Into<String>) -> WhatIfError {
        WhatIfError::Evaluation(message.into())
    }
}

/// Rows as aligned columns: the first left-aligned, the rest right-aligned.
fn columns(rows: Vec<Vec<String>>) -> Vec<String> {
    aligned(rows, usize::MAX)
}

/// Like [`columns`], with the columns from `left_from` on left-aligned too.
fn aligned(rows: Vec<Vec<String>>, left_from: usize) -> Vec<String> {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let align: Vec<Align> = (0..n.max(1))
        .map(|i| {
            if i == 0 || i >= left_from {
                Align::Left
            } else {
                Align::Right
            }
        })
        .collect();
    let mut t = Columns::new(&align);
    for row in rows {
        t.row(row);
    }
    t.lines()
}
