//! `premise lsp`: the model in the editor, as a Language Server Protocol
//! server over stdin and stdout (docs/editors.md).
//!
//! It keeps the spreadsheet's feedback in a text model: each cell's value
//! at the end of its line, problems underlined as the analyst types, hover
//! for where a number comes from, and navigation between cells. It reuses
//! the library whole: the text is read by [`crate::syntax`] and
//! [`crate::model`], values come from one [`crate::eval::Workbook`] per open
//! file, kept up to date cell by cell ([`document`]).
//!
//! - [`server`]: the protocol (framing, life cycle, malformed input);
//! - [`handlers`]: each request, from protocol types to the analysis;
//! - [`document`]: an open model and its incremental updates;
//! - [`names`], [`values`], [`problems`], [`complete`]: the analyses;
//! - [`ranges`]: uncertain cells' medians and 90% intervals;
//! - [`imported`]: names across imported files;
//! - [`position`]: bytes to the protocol's UTF-16 positions and back;
//! - [`uri`]: the files the protocol's URIs name.

pub mod complete;
pub mod document;
pub mod handlers;
pub mod imported;
pub mod names;
pub mod position;
pub mod problems;
pub mod ranges;
pub mod server;
pub mod uri;
pub mod values;

pub use document::Document;
pub use server::serve_stdio;
