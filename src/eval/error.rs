//! Why a cell has no value. Errors are values: one failed cell never stops
//! the others (docs/language.md#errors).

use std::sync::Arc;

use crate::syntax::{CellId, Span};

/// What kind of failure, for callers that treat them differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Arithmetic, units, types, domains: the formula itself failed.
    Eval,
    /// The formula names a cell that does not exist.
    UnknownName,
    /// The cell is on a cycle.
    Cycle,
    /// A cell it reads failed; `root` is where the failure started.
    Dependency {
        /// The cell read directly.
        on: CellId,
        /// The cell where the failure began.
        root: CellId,
    },
}

/// A cell's failure, with a message in the analyst's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The message ("division by zero", "depends on 'x': division by zero").
    pub message: Arc<str>,
    /// The part of the formula that failed, when known.
    pub span: Option<Span>,
    /// The root cause's own message, for dependents.
    pub root_message: Arc<str>,
}

impl CellError {
    /// A failure of the formula itself.
    pub fn eval(message: impl Into<String>, span: Span) -> CellError {
        let message: Arc<str> = message.into().into();
        CellError {
            kind: ErrorKind::Eval,
            root_message: message.clone(),
            message,
            span: Some(span),
        }
    }

    /// A failure with a given kind.
    pub fn of_kind(kind: ErrorKind, message: impl Into<String>, span: Option<Span>) -> CellError {
        let message: Arc<str> = message.into().into();
        CellError {
            kind,
            root_message: message.clone(),
            message,
            span,
        }
    }

    /// The failure of a cell that reads `on` (named `on_name`), which failed with `cause`.
    /// `cause_root` is the cell where `cause` began.
    pub fn dependency(
        on: CellId,
        on_name: &str,
        cause: &CellError,
        root: CellId,
        root_name: &str,
        span: Span,
    ) -> CellError {
        let message = if root == on {
            format!("depends on '{on_name}': {}", cause.root_message)
        } else {
            format!(
                "depends on '{on_name}': {} (in '{root_name}')",
                cause.root_message
            )
        };
        CellError {
            kind: ErrorKind::Dependency { on, root },
            message: message.into(),
            span: Some(span),
            root_message: cause.root_message.clone(),
        }
    }

    /// Where the failure began: `this` for a failure of its own.
    pub fn root(&self, this: CellId) -> CellId {
        match self.kind {
            ErrorKind::Dependency { root, .. } => root,
            _ => this,
        }
    }
}

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
