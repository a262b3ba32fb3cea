//! premise: a formula engine for analysts.
//!
//! A model is a plain-text `.model` file of named cells. The library runs
//! the pipeline the CLI and the REPL share:
//!
//! 1. [`syntax`] reads the text (a pest grammar) into formulas with spans;
//! 2. [`model`] gathers them into named cells and scenarios;
//! 3. [`graph`] orders the cells by their dependencies (petgraph);
//! 4. [`eval`] computes every value exactly (rust_decimal), errors as values,
//!    and recomputes only what depends on a changed cell;
//! 5. [`display`] shows values as an analyst reads them.
//!
//! On top of it, [`whatif`] asks what it would take (goal seek, data tables,
//! sensitivity) and [`mod@diff`] compares two versions of a model.
//!
//! # The API
//!
//! The names re-exported here are the library's interface for programs that
//! embed the engine (the command line and the REPL use the same ones):
//!
//! - load a model: [`Model::parse`] (from text) or [`load_file`]; it fails
//!   with a [`LoadError`] whose [`ModelError`]s each give a
//!   [`diagnostic::Diagnostic`];
//! - evaluate it: [`Workbook::new`]; read a cell: [`Workbook::value_of`], a
//!   [`CellResult`]: a [`Value`], or a [`CellError`] whose [`ErrorKind`] says
//!   what failed (an [`EvalError`] for the formula itself);
//! - redefine a cell: [`Workbook::redefine`] with a [`Definition::parse`]d
//!   formula; only what depends on it recomputes, and the [`Change`]s come
//!   back (a [`Refusal`] leaves the workbook as it was);
//! - compare two versions: [`diff()`], a [`Diff`] of plain data;
//! - ask what it would take: [`solve()`] a [`Goal`], [`sweep()`] inputs that
//!   [`Vary`], rank inputs by [`sensitivity()`]; amounts are typed
//!   ([`Amount`]) and failures are a [`WhatIfError`].
//!
//! ```
//! use premise::{Definition, Model, Workbook};
//!
//! let model = Model::parse("m.model", "a = $50B\nb = a * 2\n".into()).unwrap();
//! let mut book = Workbook::new(model);
//! let b = book.value_of("b").unwrap().as_ref().unwrap();
//! assert_eq!(premise::display::format_value(b, false), "$100B");
//! let moved = book.redefine("a", Definition::parse("$60B").unwrap()).unwrap();
//! assert_eq!(moved.len(), 2);
//! ```
//!
//! Without its default `cli` feature the library builds the engine alone:
//! no command line, terminal REPL, charts or allocator (see `Cargo.toml`).

// pest's derive without its `std` feature (whose per-rule stack probe cost
// ~10% of parse time; nesting is bounded before pest runs) names `alloc`.
extern crate alloc;

pub mod assertions;
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod display;
pub mod eval;
pub mod explain;
pub mod file;
pub mod fmt;
pub mod graph;
pub mod internal;
#[cfg(feature = "lsp")]
pub mod lsp;
pub mod model;
pub mod repl;
pub mod save;
pub mod source;
pub mod suggest;
pub mod syntax;
pub mod table;
pub mod uncertainty;
pub mod value;
pub mod warning;
pub mod whatif;
pub mod workload;

pub use diff::{diff, Diff};
pub use eval::{CellError, CellResult, Change, ErrorKind, EvalError, Refusal, Workbook};
pub use model::{load_file, Definition, LoadError, Model, ModelError};
pub use syntax::SyntaxError;
pub use value::{Unit, Value};
pub use whatif::{sensitivity, solve, sweep, Amount, Goal, Vary, WhatIfError};
