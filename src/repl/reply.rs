//! What the REPL says back: lines of styled text, each bound for stdout
//! (results), stderr (errors) or the analyst's eyes only (notes).
//!
//! Every command builds a [`Reply`] instead of printing, so that the session
//! logic is tested on plain text, and the terminal and piped front ends
//! decide alone about colours and streams.

/// Where a line goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// A result: stdout.
    Out,
    /// An error: stderr, as `error: ...`; the line counts as failed.
    Err,
    /// A remark about what happened (not a result, not an error): dim on a
    /// terminal, `note: ...` on stderr in a script.
    Note,
    /// A remark for a terminal only ("no value changed"); scripts drop it.
    Hint,
    /// A likely slip (`margin = 50` for 50%): stderr as `warning: ...`; the
    /// input was carried out, so it does not count as failed.
    Warning,
}

/// How a piece of a line is coloured on a terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Uncoloured.
    Plain,
    /// A value the analyst asked for, or a new value.
    Value,
    /// A value as it was before a change.
    Old,
    /// The word `error:`.
    Error,
    /// Headings and names worth finding at a glance.
    Strong,
    /// Secondary text.
    Dim,
}

impl Style {
    /// The terminal colours and effects of the style.
    fn ansi(self) -> anstyle::Style {
        use anstyle::AnsiColor;
        match self {
            Style::Plain => anstyle::Style::new(),
            Style::Value => AnsiColor::Green.on_default(),
            Style::Old => AnsiColor::Yellow.on_default(),
            Style::Error => AnsiColor::Red.on_default().bold(),
            Style::Strong => anstyle::Style::new().bold(),
            Style::Dim => anstyle::Style::new().dimmed(),
        }
    }
}

/// One line of output, made of styled pieces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// Where it goes.
    pub stream: Stream,
    /// Its pieces, in order.
    pub parts: Vec<(Style, String)>,
}

impl Line {
    /// A result line of plain text.
    pub fn out(text: impl Into<String>) -> Line {
        Line {
            stream: Stream::Out,
            parts: vec![(Style::Plain, text.into())],
        }
    }

    /// A result that is a value.
    pub fn value(text: impl Into<String>) -> Line {
        Line {
            stream: Stream::Out,
            parts: vec![(Style::Value, text.into())],
        }
    }

    /// An error line; rendered `error: message`.
    pub fn error(message: impl std::fmt::Display) -> Line {
        Line {
            stream: Stream::Err,
            parts: vec![
                (Style::Error, "error:".to_string()),
                (Style::Plain, format!(" {message}")),
            ],
        }
    }

    /// A warning about a likely slip; rendered `warning: message`.
    pub fn warning(message: impl Into<String>) -> Line {
        Line {
            stream: Stream::Warning,
            parts: vec![
                // Yellow, as compilers show warnings.
                (Style::Old, "warning:".to_string()),
                (Style::Plain, format!(" {}", message.into())),
            ],
        }
    }

    /// A note for the analyst.
    pub fn note(text: impl Into<String>) -> Line {
        Line {
            stream: Stream::Note,
            parts: vec![(Style::Dim, text.into())],
        }
    }

    /// A result line built piece by piece.
    pub fn styled(parts: Vec<(Style, String)>) -> Line {
        Line {
            stream: Stream::Out,
            parts,
        }
    }

    /// The text without colours.
    pub fn plain(&self) -> String {
        self.parts.iter().map(|(_, t)| t.as_str()).collect()
    }

    /// The text, with ANSI colours when `color` is set.
    pub fn render(&self, color: bool) -> String {
        if !color {
            return self.plain();
        }
        let mut s = String::new();
        for (style, text) in &self.parts {
            if text.is_empty() {
                continue;
            }
            let ansi = style.ansi();
            s.push_str(&format!("{}{text}{}", ansi.render(), ansi.render_reset()));
        }
        s
    }
}

/// Everything one input line produced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reply {
    /// The lines, in order.
    pub lines: Vec<Line>,
    /// The analyst asked to leave.
    pub quit: bool,
}

impl Reply {
    /// Nothing to say.
    pub fn none() -> Reply {
        Reply::default()
    }

    /// One line.
    pub fn line(line: Line) -> Reply {
        Reply {
            lines: vec![line],
            quit: false,
        }
    }

    /// One error.
    pub fn error(message: impl std::fmt::Display) -> Reply {
        Reply::line(Line::error(message))
    }

    /// Adds a line.
    pub fn push(&mut self, line: Line) {
        self.lines.push(line);
    }

    /// Whether the input failed (some line is an error): a script then exits 1.
    pub fn failed(&self) -> bool {
        self.lines.iter().any(|l| l.stream == Stream::Err)
    }

    /// The result lines without colours, joined with newlines (for tests).
    pub fn out_text(&self) -> String {
        self.text_of(Stream::Out)
    }

    /// The error lines without colours, joined with newlines (for tests).
    pub fn err_text(&self) -> String {
        self.text_of(Stream::Err)
    }

    fn text_of(&self, stream: Stream) -> String {
        self.lines
            .iter()
            .filter(|l| l.stream == stream)
            .map(Line::plain)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_coloured_renderings() {
        let l = Line::error("unknown name 'x'");
        assert_eq!(l.plain(), "error: unknown name 'x'");
        assert_eq!(
            l.render(true),
            "\x1b[1m\x1b[31merror:\x1b[0m unknown name 'x'"
        );
        assert_eq!(Line::value("$125B").render(true), "\x1b[32m$125B\x1b[0m");
    }

    #[test]
    fn a_reply_fails_when_it_holds_an_error() {
        let mut r = Reply::line(Line::value("1"));
        assert!(!r.failed());
        r.push(Line::error("no"));
        assert!(r.failed());
        assert_eq!(r.out_text(), "1");
        assert_eq!(r.err_text(), "error: no");
    }
}
