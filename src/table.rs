//! Aligned columns of text: the one way every table premise prints is laid
//! out (`eval`, `solve`, `sweep`, `sensitivity`, `diff`, the REPL's lists).
//!
//! Widths are terminal columns, not characters: cell names may be any
//! Unicode identifier, and a CJK character takes two columns on a terminal
//! (a combining mark none), so counting characters would push every column
//! after such a name out of line.

use std::io::Write;

use unicode_width::UnicodeWidthStr;

/// The columns a terminal gives `text`.
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` with spaces after it, `columns` wide (never cut).
pub fn pad_right(text: &str, columns: usize) -> String {
    let mut s = String::with_capacity(text.len() + columns);
    s.push_str(text);
    s.push_str(&" ".repeat(columns.saturating_sub(width(text))));
    s
}

/// `text` with spaces before it, `columns` wide (never cut).
pub fn pad_left(text: &str, columns: usize) -> String {
    let mut s = " ".repeat(columns.saturating_sub(width(text)));
    s.push_str(text);
    s
}

/// Where a column's cells sit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Names and text, flush left.
    Left,
    /// Numbers, flush right.
    Right,
}

/// Rows of cells, laid out as aligned columns two spaces apart, each line
/// without trailing spaces.
#[derive(Clone, Debug, Default)]
pub struct Table {
    rows: Vec<Vec<String>>,
    align: Vec<Align>,
    gaps: Vec<(usize, &'static str)>,
}

impl Table {
    /// A table whose column `i` is aligned as `align[i]`; columns past the
    /// end of `align` are aligned as its last.
    pub fn new(align: &[Align]) -> Table {
        Table {
            rows: Vec::new(),
            align: align.to_vec(),
            gaps: Vec::new(),
        }
    }

    /// The same table with `gap` between column `after` and the next, instead of two spaces.
    pub fn gap(mut self, after: usize, gap: &'static str) -> Table {
        self.gaps.push((after, gap));
        self
    }

    /// Adds a row; rows may have different lengths.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn align_of(&self, column: usize) -> Align {
        self.align
            .get(column)
            .or(self.align.last())
            .copied()
            .unwrap_or(Align::Left)
    }

    /// The lines of the table.
    pub fn lines(&self) -> Vec<String> {
        let layout = self.layout();
        self.rows.iter().map(|row| layout.line(row)).collect()
    }

    /// Each column as wide as its widest cell.
    fn layout(&self) -> Layout {
        let n = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let mut widths = vec![0; n];
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        Layout {
            widths,
            align: (0..n).map(|i| self.align_of(i)).collect(),
            gaps: self.gaps.clone(),
        }
    }

    /// Writes the lines to `out`.
    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let layout = self.layout();
        for row in &self.rows {
            writeln!(out, "{}", layout.line(row))?;
        }
        Ok(())
    }
}

/// The column widths of a table known before its rows are: lays rows out
/// one at a time, as [`Table`] does, so that a command printing a million
/// rows (`eval`) writes each as it goes instead of holding every line.
#[derive(Clone, Debug)]
pub struct Layout {
    widths: Vec<usize>,
    align: Vec<Align>,
    gaps: Vec<(usize, &'static str)>,
}

impl Layout {
    /// Columns `widths[i]` terminal columns wide, aligned as `align[i]`
    /// (columns past the end of `align` as its last), two spaces apart.
    pub fn new(align: &[Align], widths: Vec<usize>) -> Layout {
        let last = align.last().copied().unwrap_or(Align::Left);
        Layout {
            align: (0..widths.len())
                .map(|i| align.get(i).copied().unwrap_or(last))
                .collect(),
            widths,
            gaps: Vec::new(),
        }
    }

    /// One row as a line, without trailing spaces; cells past the last
    /// width are left out.
    pub fn line<S: AsRef<str>>(&self, row: &[S]) -> String {
        let mut line = String::new();
        self.push_line(&mut line, row);
        line
    }

    /// [`Layout::line`] added to `line`: a buffer used for every row of a
    /// long table grows once, not once a row.
    pub fn push_line<S: AsRef<str>>(&self, line: &mut String, row: &[S]) {
        let start = line.len();
        for (i, (cell, &w)) in row.iter().zip(&self.widths).enumerate() {
            let cell = cell.as_ref();
            if i > 0 {
                let gap = self.gaps.iter().rev().find(|(after, _)| *after + 1 == i);
                line.push_str(gap.map_or("  ", |(_, g)| g));
            }
            let pad = w.saturating_sub(width(cell));
            match self.align.get(i).copied().unwrap_or(Align::Left) {
                Align::Left => {
                    line.push_str(cell);
                    line.extend(std::iter::repeat_n(' ', pad));
                }
                Align::Right => {
                    line.extend(std::iter::repeat_n(' ', pad));
                    line.push_str(cell);
                }
            }
        }
        let end = line.get(start..).map_or(0, |l| l.trim_end().len());
        line.truncate(start + end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(align: &[Align], rows: &[&[&str]]) -> Vec<String> {
        let mut t = Table::new(align);
        for r in rows {
            t.row(r.iter().map(|c| c.to_string()).collect());
        }
        t.lines()
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width("gap"), 3);
        assert_eq!(width("收入"), 4);
        assert_eq!(width("e\u{301}"), 1, "a combining accent takes no column");
        assert_eq!(pad_right("收入", 6), "收入  ");
        assert_eq!(pad_left("収", 3), " 収");
    }

    #[test]
    fn columns_line_up_by_terminal_width() {
        let lines = table(
            &[Align::Left, Align::Right, Align::Left],
            &[&["收入", "$10B", "= $10B"], &["gap", "$125B", "= a - b"]],
        );
        assert_eq!(lines, ["收入   $10B  = $10B", "gap   $125B  = a - b"]);
        let ends: Vec<usize> = lines
            .iter()
            .map(|l| width(l.split("  =").next().unwrap()))
            .collect();
        assert_eq!(ends[0], ends[1], "the value column ends in one place");
    }

    #[test]
    fn gaps_and_short_rows() {
        let t = {
            let mut t = Table::new(&[Align::Left]).gap(0, " ");
            t.row(vec!["a".into(), "= 1".into(), "(was 2)".into()]);
            t.row(vec!["bb".into(), "= 10".into()]);
            t
        };
        assert_eq!(t.lines(), ["a  = 1   (was 2)", "bb = 10"]);
    }
}
