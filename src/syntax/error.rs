//! Syntax errors in the analyst's words, each with the span it is about.

use super::ast::Span;

/// A statement that could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where, in bytes of the file (or REPL line).
    pub span: Span,
    /// What is wrong, in words (never grammar rule names).
    pub message: String,
    /// A short note under the caret.
    pub label: String,
    /// A suggestion, such as a did-you-mean.
    pub help: Option<String>,
}

impl SyntaxError {
    /// An error with a message and a label.
    pub fn new(span: Span, message: impl Into<String>, label: impl Into<String>) -> SyntaxError {
        SyntaxError {
            span,
            message: message.into(),
            label: label.into(),
            help: None,
        }
    }

    /// The same error with a suggestion.
    pub fn with_help(mut self, help: impl Into<String>) -> SyntaxError {
        self.help = Some(help.into());
        self
    }

    /// The same error moved `by` bytes, for statements parsed apart from their file.
    pub fn shifted(mut self, by: usize) -> SyntaxError {
        self.span = self.span.shifted(by);
        self
    }
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

impl std::error::Error for SyntaxError {}
