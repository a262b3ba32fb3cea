//! The integration tests, one binary (it links once, not once per file).
//! Each module is one area; `common` and `support` are shared helpers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;
mod support;

mod assertions;
mod cases;
mod cli;
mod documented;
mod editors;
mod engine;
mod files_never_lost;
mod fmt;
mod fmt_props;
mod git_diff;
mod growth;
mod hostile;
mod imports;
mod invariants;
mod lsp;
mod modules;
mod oracle;
mod randomised;
mod repl;
mod resource_bounds;
mod save;
mod series;
mod series_uncertainty;
mod slips;
mod tables;
mod terminal;
mod uncertainty;
mod units;
mod watch;
mod whatif;
