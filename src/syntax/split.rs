//! Splits a model file into statements before any parsing.
//!
//! A statement is one line, or several while a parenthesis is open (docs/language.md#files).
//! Splitting first lets every bad statement be reported on its own, keeps
//! memory flat on million-line files, and lets statements parse in parallel.
//! It also measures nesting, so that hostile input (100,000 open parentheses)
//! is refused before a recursive parser sees it.

/// How deep parentheses and `if`s may nest in one statement.
pub const MAX_NESTING: usize = 200;

/// One line of the file that is not part of a statement: blank, or a comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trivia<'a> {
    /// 1-based line number.
    pub line: u32,
    /// Byte offset of the line in the file.
    pub offset: usize,
    /// The line without its line ending.
    pub text: &'a str,
}

/// A statement's text and where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawStatement<'a> {
    /// The text, possibly spanning lines, without the final line ending.
    pub text: &'a str,
    /// Byte offset of `text` in the file.
    pub offset: usize,
    /// 1-based line on which it starts.
    pub line: u32,
    /// How many lines it spans.
    pub lines: u32,
    /// The `##` doc lines directly above it, without the `##`.
    pub doc: Option<Box<str>>,
    /// Deepest nesting of parentheses plus the number of `if`s.
    pub nesting: usize,
    /// Whether it holds a comment.
    pub comment: bool,
}

/// A line-level piece of a model file, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// A statement to parse.
    Statement(RawStatement<'a>),
    /// A blank or comment-only line.
    Trivia(Trivia<'a>),
}

/// Splits `source` into statements and trivia, in file order.
pub fn split(source: &str) -> Vec<Piece<'_>> {
    pieces(source).collect()
}

/// The pieces of `source` one at a time, so that a million-line file is
/// never held as a second list of lines.
pub fn pieces(source: &str) -> Pieces<'_> {
    pieces_between(source, 0, source.len(), 1)
}

/// The pieces of the part of `source` from byte `start` to `end`, whose
/// first line is line `first_line` of the file: what [`pieces`] gives for
/// those lines, when the part starts and ends where [`cut_after`] cuts.
/// Offsets and line numbers are the file's.
pub fn pieces_between(source: &str, start: usize, end: usize, first_line: u32) -> Pieces<'_> {
    Pieces {
        source,
        lines: LineIter {
            source,
            pos: start,
            end: end.min(source.len()),
            line: first_line.saturating_sub(1),
        },
        doc: Vec::new(),
    }
}

/// Where to end a part of `source` that begins at `start` and should hold
/// about `size` bytes, so that parts can be split into statements apart
/// from each other (and in parallel): the start of the first line from
/// there on that can only begin a statement (an unclosed one ends before
/// it) and has no `##` doc line just above it (which would belong to it).
/// `source.len()` when no line qualifies.
pub fn cut_after(source: &str, start: usize, size: usize) -> usize {
    let bytes = source.as_bytes();
    let lines_from = |pos: usize| LineIter {
        source,
        pos,
        end: source.len(),
        line: 0,
    };
    let line_at = |at: usize| lines_from(at).peek_line().unwrap_or("");
    // The start of the first line after `start + size - 1`.
    let from = start.saturating_add(size).saturating_sub(1).max(start);
    let mut at = bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(source.len(), |i| from + i + 1);
    // The line above `at`: from the line break before its own.
    let mut above = bytes
        .get(..at.saturating_sub(1))
        .and_then(|b| b.iter().rposition(|&c| c == b'\n'))
        .map_or(0, |i| i + 1);
    while at < source.len() {
        let is_doc = line_at(above).trim_start().starts_with("##");
        if !is_doc && starts_statement(line_at(at)) {
            return at;
        }
        above = at;
        let mut lines = lines_from(at);
        lines.next_line();
        at = lines.pos;
    }
    source.len()
}

/// Iterator over the [`Piece`]s of a file.
pub struct Pieces<'a> {
    source: &'a str,
    lines: LineIter<'a>,
    doc: Vec<&'a str>,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    fn next(&mut self) -> Option<Piece<'a>> {
        let (offset, line_no, text) = self.lines.next_line()?;
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            if let Some(rest) = trimmed.strip_prefix("##") {
                self.doc.push(rest.strip_prefix(' ').unwrap_or(rest));
            } else {
                self.doc.clear();
            }
            return Some(Piece::Trivia(Trivia {
                line: line_no,
                offset,
                text,
            }));
        }
        let mut scan = Scan::default();
        scan.line(text);
        let mut end = offset + text.len();
        let mut count = 1;
        while scan.depth > 0 {
            // A line that can only begin a statement ends an unclosed one, so that
            // one missing ')' is reported where it is, not lines later.
            if self.lines.peek_line().is_some_and(starts_statement) {
                break;
            }
            match self.lines.next_line() {
                Some((next_offset, _, next_text)) => {
                    scan.line(next_text);
                    end = next_offset + next_text.len();
                    count += 1;
                }
                None => break,
            }
        }
        let doc = if self.doc.is_empty() {
            None
        } else {
            Some(self.doc.join("\n").into_boxed_str())
        };
        self.doc.clear();
        Some(Piece::Statement(RawStatement {
            text: self.source.get(offset..end).unwrap_or(""),
            offset,
            line: line_no,
            lines: count,
            doc,
            nesting: scan.max_depth + scan.ifs,
            comment: scan.comment,
        }))
    }
}

/// Measures nesting in a statement line by line, skipping comments.
#[derive(Default)]
pub(crate) struct Scan {
    pub(crate) depth: usize,
    pub(crate) max_depth: usize,
    pub(crate) ifs: usize,
    /// A line had a comment.
    pub(crate) comment: bool,
}

impl Scan {
    /// Reads one line: parentheses outside comments, and the word `if`.
    pub(crate) fn line(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                // An import's path or an assertion's message: text, not syntax.
                b'"' => {
                    i = string_end(bytes, i);
                    continue;
                }
                b'#' => {
                    self.comment = true;
                    break;
                }
                b'(' => {
                    self.depth += 1;
                    self.max_depth = self.max_depth.max(self.depth);
                }
                b')' => self.depth = self.depth.saturating_sub(1),
                // `if` as a word: looked at only on an `i`, the rare case.
                b'i' if bytes.get(i + 1) == Some(&b'f')
                    && !i
                        .checked_sub(1)
                        .and_then(|before| bytes.get(before))
                        .is_some_and(|&c| is_ident_byte(c))
                    && !bytes.get(i + 2).is_some_and(|&c| is_ident_byte(c)) =>
                {
                    self.ifs += 1;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

/// Where the string opened by the quote at `open` ends: just after its
/// closing quote (the end of the line when there is none).
fn string_end(bytes: &[u8], open: usize) -> usize {
    let mut quoting = Quoting::default();
    let mut at = open;
    while let Some(&b) = bytes.get(at) {
        if !quoting.step(b) || (at > open && !quoting.inside) {
            return at + 1;
        }
        at += 1;
    }
    at
}

/// Tells the bytes of one line inside a string (`"..."`, with `\"` and
/// `\\` inside) from the others, one byte at a time: a `#` or a parenthesis
/// in an import's path or an assertion's message is text.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Quoting {
    /// Inside a string (its opening quote read, not its closing one).
    pub(crate) inside: bool,
    escaped: bool,
}

impl Quoting {
    /// Reads the next byte of the line; whether it belongs to a string, its quotes included.
    pub(crate) fn step(&mut self, b: u8) -> bool {
        if b == b'\n' {
            *self = Quoting::default();
            return false;
        }
        if !self.inside {
            self.inside = b == b'"';
            return self.inside;
        }
        if self.escaped {
            self.escaped = false;
        } else if b == b'\\' {
            self.escaped = true;
        } else if b == b'"' {
            self.inside = false;
        }
        true
    }
}

/// Whether a line can only be the start of a statement: `name = ...`,
/// `name[2024] = ...`, `scenario`, `axis`, `import`, `assert`, `}`.
pub(crate) fn starts_statement(line: &str) -> bool {
    let t = line.trim_start();
    if t.starts_with('}') || t.starts_with("scenario ") || t.starts_with("axis ") {
        return true;
    }
    for keyword in ["import", "assert"] {
        if let Some(rest) = t.strip_prefix(keyword) {
            if rest.starts_with(|c: char| c.is_whitespace() || c == '"' || c == '(') {
                return true;
            }
        }
    }
    let name_end = t
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(t.len());
    if name_end == 0 {
        return false;
    }
    let mut rest = t.get(name_end..).unwrap_or("");
    // A part of a series: `capex[2024] = ...`, `capex[year] = ...`.
    if let Some(inside) = rest.strip_prefix('[') {
        let Some(close) = inside.find(']') else {
            return false;
        };
        let between = inside.get(..close).unwrap_or("").trim();
        let simple = !between.is_empty()
            && between
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
        if !simple {
            return false;
        }
        rest = inside.get(close + 1..).unwrap_or("");
    }
    let rest = rest.trim_start();
    rest.starts_with('=') && !rest.starts_with("==")
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

struct LineIter<'a> {
    source: &'a str,
    pos: usize,
    /// Where the lines stop: the end of the file or of a part of it.
    end: usize,
    line: u32,
}

impl<'a> LineIter<'a> {
    /// The next line's text, without consuming it.
    fn peek_line(&self) -> Option<&'a str> {
        let rest = self.source.get(self.pos..self.end)?;
        if rest.is_empty() {
            return None;
        }
        let line = rest.split('\n').next().unwrap_or("");
        Some(line.strip_suffix('\r').unwrap_or(line))
    }

    /// The next line as (offset, 1-based number, text without `\n` or `\r\n`).
    fn next_line(&mut self) -> Option<(usize, u32, &'a str)> {
        let rest = self.source.get(self.pos..self.end)?;
        if rest.is_empty() {
            return None;
        }
        let start = self.pos;
        // A plain loop: lines are short, and a search's setup costs more here.
        let (line, advance) = match rest.bytes().position(|b| b == b'\n') {
            Some(i) => (rest.get(..i).unwrap_or(""), i + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        self.line = self.line.saturating_add(1);
        Some((start, self.line, line.strip_suffix('\r').unwrap_or(line)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statements(src: &str) -> Vec<(u32, &str)> {
        split(src)
            .into_iter()
            .filter_map(|p| match p {
                Piece::Statement(s) => Some((s.line, s.text)),
                Piece::Trivia(_) => None,
            })
            .collect()
    }

    #[test]
    fn one_statement_per_line() {
        assert_eq!(
            statements("a = 1\n\nb = 2\n"),
            vec![(1, "a = 1"), (3, "b = 2")]
        );
    }

    #[test]
    fn open_parenthesis_continues_the_statement() {
        assert_eq!(
            statements("a = (1 +\n  2)\nb = 3"),
            vec![(1, "a = (1 +\n  2)"), (3, "b = 3")]
        );
    }

    #[test]
    fn a_new_definition_ends_an_unclosed_statement() {
        assert_eq!(
            statements("a = (1 +\nb = 2\n"),
            vec![(1, "a = (1 +"), (2, "b = 2")]
        );
    }

    #[test]
    fn parenthesis_in_comment_does_not_continue() {
        assert_eq!(
            statements("a = 1 # (\nb = 2"),
            vec![(1, "a = 1 # ("), (2, "b = 2")]
        );
    }

    #[test]
    fn crlf_is_stripped() {
        assert_eq!(
            statements("a = 1\r\nb = 2\r\n"),
            vec![(1, "a = 1"), (2, "b = 2")]
        );
    }

    #[test]
    fn doc_lines_attach_to_the_next_statement() {
        let pieces = split("# title\n## first\n## second\nx = 1\n\n## lost\n\ny = 2\n");
        let docs: Vec<Option<Box<str>>> = pieces
            .into_iter()
            .filter_map(|p| match p {
                Piece::Statement(s) => Some(s.doc),
                Piece::Trivia(_) => None,
            })
            .collect();
        assert_eq!(docs, vec![Some("first\nsecond".into()), None]);
    }

    /// Parts begin only where a statement must begin, never under a doc
    /// comment or inside an unclosed statement, and cover the file.
    #[test]
    fn cuts_fall_between_statements() {
        let source = "## doc\na = (1 +\n2)\n\n## b's doc\nb = 2\nc = (3 +\nd = 4\n}\n# note\ne = 5";
        let mut cuts = Vec::new();
        let mut at = 0;
        while at < source.len() {
            let next = cut_after(source, at, 1);
            assert!(next > at, "no progress at {at}");
            cuts.push(next);
            at = next;
        }
        let line_of = |at: usize| source.get(..at).unwrap().matches('\n').count() + 1;
        let lines: Vec<usize> = cuts.iter().map(|&c| line_of(c)).collect();
        // `a` and `b` have docs above them, `2)` continues `a`; `c` may begin
        // a part, `d = 4` ends the unclosed `c`, `}` closes a scenario, and
        // `e` stands below a plain comment; the last part ends the file.
        assert_eq!(lines, [7, 8, 9, 11, 11]);
        assert_eq!(cuts.last(), Some(&source.len()));
        // Read part by part, the pieces are those of the whole file.
        let whole = split(source);
        let mut parted = Vec::new();
        let (mut start, mut line) = (0, 1);
        for &end in &cuts {
            parted.extend(pieces_between(source, start, end, line));
            line += source.get(start..end).unwrap().matches('\n').count() as u32;
            start = end;
        }
        assert_eq!(parted, whole);
    }

    #[test]
    fn nesting_counts_parentheses_and_ifs() {
        let pieces = split("a = ((1)) + if x then (1) else 2");
        match pieces.first() {
            Some(Piece::Statement(s)) => assert_eq!(s.nesting, 3),
            other => panic!("unexpected {other:?}"),
        }
    }
}
