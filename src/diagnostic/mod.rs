//! Compiler-style diagnostics: `file:line:col`, the source line, a caret
//! under the spot, and a message in words (docs/language.md#errors). Every
//! stage's errors become a [`Diagnostic`]; codespan-reporting draws them.

use std::io::IsTerminal;

use codespan_reporting::diagnostic::{self as codespan, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::termcolor::{Buffer, ColorChoice, StandardStream};
use codespan_reporting::term::{self, Config};

use crate::source::{FileId, SourceTexts};
use crate::syntax::{Span, SyntaxError};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// The model (or the cell) cannot be computed.
    Error,
    /// Worth a look, but nothing fails (an unused input).
    Warning,
}

/// One diagnostic, ready to draw: the one shape every stage's errors take
/// on their way to the analyst (syntax errors, model errors, failed cells,
/// warnings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The headline, in words.
    pub message: String,
    /// The file it points into: the model's own, or an imported one.
    pub file: FileId,
    /// Where, in bytes of that file.
    pub span: Span,
    /// A short note under the caret.
    pub label: String,
    /// Other places that explain it ("first defined here").
    pub related: Vec<(Span, String)>,
    /// A suggestion, drawn as `help: ...` after the snippet.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Span, message: impl Into<String>, label: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            file: FileId::ROOT,
            span,
            label: label.into(),
            related: Vec::new(),
            help: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(span: Span, message: impl Into<String>, label: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(span, message, label)
        }
    }

    /// Adds a related place.
    pub fn related(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.related.push((span, label.into()));
        self
    }

    /// Adds a suggestion.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// The same diagnostic about file `file` (its spans, related ones
    /// included, are that file's).
    pub fn in_file(mut self, file: FileId) -> Diagnostic {
        self.file = file;
        self
    }
}

/// The message with its suggestion, on one line: `message (help)`.
impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

impl From<&SyntaxError> for Diagnostic {
    fn from(e: &SyntaxError) -> Diagnostic {
        Diagnostic {
            help: e.help.clone(),
            ..Diagnostic::error(e.span, e.message.clone(), e.label.clone())
        }
    }
}

/// Maps byte offsets to 1-based line and column, for one-line messages.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `source`.
    pub fn new(source: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// How many lines the text has (a final line ending starts an empty last line).
    pub fn lines(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line that holds byte `offset` (the last line past the end).
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The byte where 0-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).copied()
    }

    /// (line, column) of a byte offset; the column counts characters.
    pub fn locate(&self, source: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let col = source
            .get(start..offset.min(source.len()))
            .map_or(0, |s| s.chars().count())
            + 1;
        (line, col)
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

/// Draws diagnostics into a string, each against the file it points into.
pub fn render(files: &dyn SourceTexts, reports: &[Diagnostic], color: bool) -> String {
    let config = Config::default();
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    for r in reports {
        let (path, source) = (files.path(r.file), files.text(r.file));
        let file = SimpleFile::new(path, source);
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

/// Draws diagnostics on stderr, each against the file it points into.
pub fn emit(files: &dyn SourceTexts, reports: &[Diagnostic]) {
    if reports.is_empty() {
        return;
    }
    let text = render(files, reports, stderr_color());
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

fn to_codespan(r: &Diagnostic, len: usize) -> codespan::Diagnostic<()> {
    let d = match r.severity {
        Severity::Error => codespan::Diagnostic::error(),
        Severity::Warning => codespan::Diagnostic::warning(),
    }
    .with_message(r.message.clone());
    let mut labels =
        vec![Label::primary((), clamp_span(r.span, len)).with_message(r.label.clone())];
    for (span, label) in &r.related {
        labels.push(Label::secondary((), clamp_span(*span, len)).with_message(label.clone()));
    }
    d.with_labels(labels)
        .with_notes(r.help.iter().map(|h| format!("help: {h}")).collect())
}
