//! Problems that keep a model from being evaluated at all.

use crate::syntax::{Span, SyntaxError};

/// A statement that cannot be read, or a model that does not hang together
/// (a name defined twice, a scenario overriding a cell that does not exist).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelError {
    /// Where the problem is.
    pub span: Span,
    /// What is wrong, in words.
    pub message: String,
    /// A short note under the caret.
    pub label: String,
    /// Other places that explain it ("first defined here").
    pub related: Vec<(Span, String)>,
    /// A suggestion.
    pub help: Option<String>,
}

impl ModelError {
    /// An error at one place.
    pub fn new(span: Span, message: impl Into<String>, label: impl Into<String>) -> ModelError {
        ModelError {
            span,
            message: message.into(),
            label: label.into(),
            related: Vec::new(),
            help: None,
        }
    }

    /// Adds a related place.
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> ModelError {
        self.related.push((span, label.into()));
        self
    }

    /// Adds a suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> ModelError {
        self.help = Some(help.into());
        self
    }
}

impl From<SyntaxError> for ModelError {
    fn from(e: SyntaxError) -> ModelError {
        ModelError {
            span: e.span,
            message: e.message,
            label: e.label,
            related: Vec::new(),
            help: e.help,
        }
    }
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}
