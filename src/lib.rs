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
//! On top of it, [`whatif`] asks what it would take: goal seek, data tables
//! and sensitivity, over a [`eval::Workbook`] as it stands.
//!
//! ```
//! let model = premise::model::Model::parse("m.model", "a = $50B\nb = a * 2\n".into()).unwrap();
//! let book = premise::eval::Workbook::new(model);
//! let b = book.value_of("b").unwrap().as_ref().unwrap();
//! assert_eq!(premise::display::format_value(b, false), "$100B");
//! ```

// pest's derive without its `std` feature (whose per-rule stack probe cost
// ~10% of parse time; nesting is bounded before pest runs) names `alloc`.
extern crate alloc;

pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod display;
pub mod eval;
pub mod explain;
pub mod fmt;
pub mod graph;
pub mod model;
pub mod repl;
pub mod save;
pub mod suggest;
pub mod syntax;
pub mod value;
pub mod warning;
pub mod whatif;
pub mod workload;
