//! Compiler-style diagnostics: `file:line:col`, the source line, a caret
//! under the spot, and a message in words (docs/language.md#errors). Every stage's errors
//! become a [`Report`]; codespan-reporting draws them.

use std::io::IsTerminal;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::termcolor::{Buffer, ColorChoice, StandardStream};
use codespan_reporting::term::{self, Config};

use crate::eval::CellError;
use crate::model::ModelError;
use crate::syntax::{Span, SyntaxError};

/// How serious a report is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The model (or the cell) cannot be computed.
    Error,
    /// Worth a look, but nothing fails (an unused input).
    Warning,
}

/// One diagnostic, ready to draw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Error or warning.
    pub severity: Severity,
    /// The headline.
    pub message: String,
    /// The place and the note under its caret.
    pub primary: Option<(Span, String)>,
    /// Other places that explain it.
    pub related: Vec<(Span, String)>,
    /// Help and notes after the snippet.
    pub notes: Vec<String>,
}

impl Report {
    /// An error with no place.
    pub fn error(message: impl Into<String>) -> Report {
        Report {
            severity: Severity::Error,
            message: message.into(),
            primary: None,
            related: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A warning at a place.
    pub fn warning(message: impl Into<String>, span: Span, label: impl Into<String>) -> Report {
        Report {
            severity: Severity::Warning,
            message: message.into(),
            primary: Some((span, label.into())),
            related: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The same report pointing at `span`.
    pub fn at(mut self, span: Span, label: impl Into<String>) -> Report {
        self.primary = Some((span, label.into()));
        self
    }

    /// Adds a note ("help: ...").
    pub fn note(mut self, note: impl Into<String>) -> Report {
        self.notes.push(note.into());
        self
    }
}

impl From<&ModelError> for Report {
    fn from(e: &ModelError) -> Report {
        let mut r = Report::error(e.message.clone()).at(e.span, e.label.clone());
        r.related = e.related.clone();
        if let Some(h) = &e.help {
            r.notes.push(format!("help: {h}"));
        }
        r
    }
}

impl From<&SyntaxError> for Report {
    fn from(e: &SyntaxError) -> Report {
        Report::from(&ModelError::from(e.clone()))
    }
}

impl Report {
    /// A failed cell: `cell 'x': message`, pointing at the failing part of its formula.
    pub fn cell(name: &str, error: &CellError, fallback: Span) -> Report {
        Report::error(format!("cell '{name}': {}", error.message))
            .at(error.span.unwrap_or(fallback), "fails here")
    }
}

/// Whether to colour output on stderr: only on a terminal, never with `NO_COLOR` set.
pub fn stderr_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Whether to colour output on stdout: only on a terminal, never with `NO_COLOR` set.
pub fn stdout_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// Draws reports about one source text into a string.
pub fn render(path: &str, source: &str, reports: &[Report], color: bool) -> String {
    let file = SimpleFile::new(path, source);
    let config = Config::default();
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    for r in reports {
        let diag = to_codespan(r, source.len());
        if term::emit_to_write_style(&mut buffer, &config, &file, &diag).is_err() {
            // A span outside the text: fall back to the bare message.
            let kind = if r.severity == Severity::Error {
                "error"
            } else {
                "warning"
            };
            buffer_push(&mut buffer, &format!("{kind}: {path}: {}\n", r.message));
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn buffer_push(buffer: &mut Buffer, text: &str) {
    use std::io::Write;
    let _ = buffer.write_all(text.as_bytes());
}

/// Draws reports on stderr.
pub fn emit(path: &str, source: &str, reports: &[Report]) {
    if reports.is_empty() {
        return;
    }
    let text = render(path, source, reports, stderr_color());
    let choice = if stderr_color() {
        ColorChoice::Always
    } else {
        ColorChoice::Never
    };
    let mut stream = StandardStream::stderr(choice);
    use std::io::Write;
    let _ = stream.write_all(text.as_bytes());
}

fn clamp_span(span: Span, len: usize) -> std::ops::Range<usize> {
    let start = span.start().min(len);
    let end = span.end().clamp(start, len);
    start..end
}

fn to_codespan(r: &Report, len: usize) -> Diagnostic<()> {
    let mut d = match r.severity {
        Severity::Error => Diagnostic::error(),
        Severity::Warning => Diagnostic::warning(),
    }
    .with_message(r.message.clone());
    let mut labels = Vec::new();
    if let Some((span, label)) = &r.primary {
        labels.push(Label::primary((), clamp_span(*span, len)).with_message(label.clone()));
    }
    for (span, label) in &r.related {
        labels.push(Label::secondary((), clamp_span(*span, len)).with_message(label.clone()));
    }
    d = d.with_labels(labels);
    d.with_notes(r.notes.clone())
}
