//! `premise repl [FILE]` (docs/language.md#repl): query any value, redefine any
//! assumption, see exactly what moved.
//!
//! - [`session`]: the state (file, scenario, the analyst's changes, undo) and
//!   every operation on it, as plain logic;
//! - [`input`]: one input line, whatever its kind; [`commands`]: the `:` table;
//! - `line`: the terminal front end (rustyline; with the `cli` feature);
//!   [`script`]: piped input;
//! - [`reply`]: what the REPL says back, rendered by either front end.

pub mod commands;
pub mod complete;
pub mod input;
#[cfg(feature = "cli")]
pub mod line;
pub mod pattern;
pub mod reply;
pub mod script;
pub mod session;

pub use session::Session;
