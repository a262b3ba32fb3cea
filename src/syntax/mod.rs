//! Reading `.model` text: statements, formulas and their spans (docs/language.md).
//!
//! One job a module: a file is split into statements ([`split`]), cut into
//! parts that are parsed on all cores (`parts`), each statement read by pest
//! (`parse`) with the one grammar, `grammar/premise.pest` (`grammar`);
//! pest's pairs become the [`ast`] (`build`), and what pest tried where it
//! stopped becomes a message in words (`messages`). The keywords and
//! operators are defined once, in [`lexicon`].

pub mod ast;
mod build;
pub mod error;
mod grammar;
pub mod lexicon;
mod literal;
mod messages;
mod parse;
mod parts;
pub mod print;
mod same;
mod spelling;
pub mod split;

pub use ast::{CellId, Expr, ExprKind, Hint, Span, UnitDecl};
pub use error::SyntaxError;
pub use print::{formula_text, quoted};
pub use same::same_formula;

/// `name = expression [as %|as [UNIT]]`: a cell, or a scenario's override of one.
#[derive(Clone, Debug, PartialEq)]
pub struct CellDef {
    /// The cell's name.
    pub name: Box<str>,
    /// `x[year] = ...` or `x[2024] = ...`: the part of a series it gives;
    /// `None` for a whole cell.
    pub part: Option<ast::Part>,
    /// Where the name was written.
    pub name_span: Span,
    /// The formula.
    pub expr: Expr,
    /// `as %` or `as [UNIT]` at its end; boxed, as few definitions have one
    /// and every statement of a big file is moved several times.
    pub hint: Option<Box<Hint>>,
    /// The whole definition.
    pub span: Span,
    /// The formula holds a distribution, numbered in reading order
    /// ([`ast::Distribution::nth`]).
    pub draws: bool,
}

impl CellDef {
    /// Shown as a percentage: `as %`, or a single percent literal (docs/language.md#display).
    pub fn shows_percent(&self) -> bool {
        self.as_percent() || self.expr.is_percent_literal()
    }

    /// Marked `as %`.
    pub fn as_percent(&self) -> bool {
        matches!(self.hint.as_deref(), Some(Hint::Percent))
    }
}

/// What one statement says.
#[derive(Clone, Debug, PartialEq)]
pub enum Statement {
    /// A cell definition (or, inside a scenario, an override).
    Cell(CellDef),
    /// `scenario NAME {`; `closed` holds the body of the one-line form `scenario NAME { x = 1 }`.
    ScenarioOpen {
        /// The scenario's name.
        name: Box<str>,
        /// Where the name was written.
        name_span: Span,
        /// `Some` when the block closes on the same line, with its one override if any.
        closed: Option<Option<CellDef>>,
    },
    /// `}`
    BlockClose,
    /// `axis year = 2024..2030`: the periods series are computed over.
    Axis {
        /// The axis' name.
        name: Box<str>,
        /// Where the name was written.
        name_span: Span,
        /// The first period's label.
        first: i64,
        /// The last period's label (included).
        last: i64,
    },
    /// `import "PATH" as NAME`, maybe opening a block of overrides
    /// (docs/language.md#several-files).
    Import(Box<ImportDef>),
    /// `assert CONDITION` or `assert CONDITION, "message"`.
    Assert(Box<AssertDef>),
    /// `unit NAME` or `unit NAME = NUMBER [UNIT]`.
    Unit(UnitDecl),
}

/// `import "PATH" as NAME [{ overrides }]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportDef {
    /// The path between the quotes, escapes undone.
    pub path: Box<str>,
    /// Where the quoted path was written, quotes included.
    pub path_span: Span,
    /// The name its cells are read by (`site` in `site.pue`).
    pub alias: Box<str>,
    /// Where the alias was written.
    pub alias_span: Span,
    /// The block of overrides, if the statement has one.
    pub block: Option<Block>,
}

/// A block of overrides after `scenario NAME` or an import.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// `{` ends the line: overrides follow, one a line, until a `}`.
    Open,
    /// `{ ... }` on the same line, with its one override if any.
    Closed(Option<CellDef>),
}

/// `assert CONDITION[, "message"]`.
#[derive(Clone, Debug, PartialEq)]
pub struct AssertDef {
    /// What must hold.
    pub condition: Expr,
    /// The message shown when it does not, escapes undone.
    pub message: Option<Box<str>>,
}

/// A parsed statement and where it stands in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Located {
    /// The statement.
    pub statement: Statement,
    /// 1-based first line.
    pub line: u32,
    /// Its text's span in the file.
    pub span: Span,
    /// `##` doc lines directly above.
    pub doc: Option<Box<str>>,
}

/// A whole file, read statement by statement.
#[derive(Clone, Debug, Default)]
pub struct ParsedFile {
    /// The statements that parsed, in file order.
    pub statements: Vec<Located>,
    /// Every statement that did not.
    pub errors: Vec<SyntaxError>,
}

/// Parses a model file; every bad statement is reported, not only the first.
pub fn parse_file(source: &str) -> ParsedFile {
    let mut out = ParsedFile::default();
    parse_each(source, |r| match r {
        Ok(s) => out.statements.push(s),
        Err(e) => out.errors.push(e),
    });
    out
}

/// Parses a model file statement by statement, in file order, handing each
/// result to `sink`. Large files are parsed on all cores: statements are
/// independent of each other. The calling thread runs `sink` on one part
/// while the other threads split and parse the next ones.
pub fn parse_each(source: &str, sink: impl FnMut(Result<Located, SyntaxError>)) {
    parse_each_with(source, |r| r, sink);
}

/// [`parse_each`], with `prepare` run on each result by the parsing threads
/// before it reaches `sink`: work done there is done in parallel, and memory
/// first touched there is not touched first by the thread running `sink`.
pub fn parse_each_with<T: Send>(
    source: &str,
    prepare: impl Fn(Result<Located, SyntaxError>) -> T + Sync,
    sink: impl FnMut(T),
) {
    parts::parse_in_parts(source, parts::PART, prepare, sink);
}

/// Parses one statement of a file as the file's parse reads it, spans in
/// the file's bytes: for an editor that reads again only the statements an
/// edit touched.
pub fn parse_piece(raw: &split::RawStatement<'_>) -> Result<Located, SyntaxError> {
    parse::located(raw)
}

/// Parses one statement; spans are relative to `text`.
pub fn parse_statement(text: &str) -> Result<Statement, SyntaxError> {
    parse::statement(text, 0)
}

/// Parses a bare expression (a REPL query, a `--set` value), optionally
/// ending in `as %` or `as [UNIT]`. Returns the formula and that hint.
pub fn parse_expression(text: &str) -> Result<(Expr, Option<Hint>), SyntaxError> {
    parse::expression(text)
}
