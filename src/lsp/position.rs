//! Where things are, in the editor's terms: the engine's spans count bytes
//! of UTF-8, the protocol counts lines and UTF-16 code units within a line
//! (an `é` is one unit and two bytes, a `中` one unit and three bytes, an
//! emoji outside the Basic Multilingual Plane two units and four bytes).
//! Every conversion between the two goes through [`Lines`].

use lsp_types::{Position, Range};

use crate::diagnostic::LineIndex;
use crate::syntax::Span;

/// A text's line starts, for converting byte offsets to protocol positions and back.
pub struct Lines {
    index: LineIndex,
}

impl Lines {
    /// Indexes `text`.
    pub fn new(text: &str) -> Lines {
        Lines {
            index: LineIndex::new(text),
        }
    }

    /// The protocol position of byte `offset` of `text` (held inside the
    /// text, and moved back to the start of a character it falls inside).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char(text, offset.min(text.len()));
        let line = self.index.line_of(offset);
        let start = self.index.line_start(line).unwrap_or(0);
        let units: usize = text
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum());
        Position::new(to_u32(line), to_u32(units))
    }

    /// The protocol range of a span of `text`.
    pub fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start()),
            self.position(text, span.end().max(span.start())),
        )
    }

    /// The byte offset of a protocol position in `text`. A line past the
    /// end gives the end of the text, a column past the end of its line
    /// gives the line's end, and a column inside a character (between the
    /// two halves of a surrogate pair) gives that character's start: the
    /// protocol asks servers to be lenient with what clients send.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(start) = self.index.line_start(position.line as usize) else {
            return text.len();
        };
        let end = self
            .index
            .line_start(position.line as usize + 1)
            .map_or(text.len(), |next| next.saturating_sub(1));
        let line = text.get(start..end).unwrap_or("");
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0usize;
        for (at, c) in line.char_indices() {
            let next = units + c.len_utf16();
            if next > position.character as usize {
                return start + at;
            }
            units = next;
        }
        start + line.len()
    }

    /// The 0-based line of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.index.line_of(offset)
    }

    /// The byte where the 0-based `line` ends (before its line ending).
    pub fn line_end(&self, text: &str, line: usize) -> usize {
        let end = self
            .index
            .line_start(line + 1)
            .map_or(text.len(), |next| next.saturating_sub(1));
        if end > 0 && text.as_bytes().get(end - 1) == Some(&b'\r') {
            end - 1
        } else {
            end
        }
    }

    /// The byte where the 0-based `line` starts (the end of the text past the last line).
    pub fn line_start(&self, text: &str, line: usize) -> usize {
        self.index.line_start(line).unwrap_or(text.len())
    }
}

/// The start of the character that holds byte `at`.
fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model whose second line names cells in French, Chinese and emoji.
    const TEXT: &str = "a = 1\nprix_é = 中文 + 😀x * 2\r\nz = prix_é\n";

    fn at(text: &str, needle: &str) -> usize {
        text.find(needle).unwrap()
    }

    #[test]
    fn columns_count_utf16_units() {
        let lines = Lines::new(TEXT);
        // `prix_é = ` is 9 characters, 9 UTF-16 units (and 10 bytes).
        assert_eq!(lines.position(TEXT, at(TEXT, "中文")), Position::new(1, 9));
        // `中文 + ` adds 5 units (9 bytes).
        assert_eq!(lines.position(TEXT, at(TEXT, "😀")), Position::new(1, 14));
        // The emoji is two units.
        assert_eq!(lines.position(TEXT, at(TEXT, "x *")), Position::new(1, 16));
        assert_eq!(lines.position(TEXT, at(TEXT, "z =")), Position::new(2, 0));
    }

    #[test]
    fn positions_and_offsets_round_trip_on_every_character() {
        let lines = Lines::new(TEXT);
        for (offset, _) in TEXT.char_indices() {
            let p = lines.position(TEXT, offset);
            if TEXT.as_bytes().get(offset) == Some(&b'\n') {
                continue; // the line ending itself is the line's end
            }
            assert_eq!(lines.offset(TEXT, p), offset, "at {p:?}");
        }
    }

    #[test]
    fn lenient_with_positions_outside_the_text() {
        let lines = Lines::new(TEXT);
        // Inside the surrogate pair: the emoji's start.
        assert_eq!(lines.offset(TEXT, Position::new(1, 15)), at(TEXT, "😀"));
        // Past the end of a CRLF line: before the `\r`.
        assert_eq!(lines.offset(TEXT, Position::new(1, 99)), at(TEXT, "\r\n"));
        // Past the last line.
        assert_eq!(lines.offset(TEXT, Position::new(40, 0)), TEXT.len());
        // Inside a character's bytes: moved back to its start.
        let inside = at(TEXT, "中") + 1;
        assert_eq!(lines.position(TEXT, inside), Position::new(1, 9));
    }

    #[test]
    fn line_ends_leave_out_the_line_ending() {
        let lines = Lines::new(TEXT);
        assert_eq!(lines.line_end(TEXT, 0), 5);
        assert_eq!(lines.line_end(TEXT, 1), at(TEXT, "\r\n"));
        assert_eq!(lines.line_of(at(TEXT, "z =")), 2);
    }
}
