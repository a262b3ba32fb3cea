//! Assertions: what a model says must stay true (`assert gap > 0, "the gap
//! stays positive"`), kept with the model and checked once it is evaluated
//! (see [`crate::assertions`]).

use crate::source::FileId;
use crate::syntax::{Expr, Span};

/// One `assert CONDITION[, "message"]` of the model or of a file it imports.
#[derive(Clone, Debug, PartialEq)]
pub struct Assertion {
    /// What must hold, its names resolved in the model (an imported file's
    /// names carry their alias: `site.pue`).
    pub condition: Expr,
    /// The message written after the condition, if any.
    pub message: Option<Box<str>>,
    /// The file it was written in.
    pub file: FileId,
    /// 1-based line in that file.
    pub line: u32,
    /// The whole statement, in that file.
    pub span: Span,
}
