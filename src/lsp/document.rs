//! One model open in the editor: its text as the editor has it now, the
//! statements of that text, and a workbook of its values kept up to date
//! as the analyst types.
//!
//! An edit is applied to the text; then only the statements it touched are
//! read again (from the last statement before the edit to the first line
//! after it that can only begin a statement, see [`split::cut_after`]).
//! When those are the same cells as before with new formulas, each is
//! redefined in the workbook ([`Workbook::redefine_in_file`]), so only what
//! reads them recomputes. Anything else (a cell added, removed or renamed, a
//! scenario block touched, a cycle closed, a file-level error nearby) marks
//! the document for a full load, done once before the next answer, however
//! many edits came in between.
//!
//! A statement that stops parsing while the analyst types keeps its last
//! good formula in the workbook (values do not flicker into errors at
//! every keystroke); its syntax error is reported and its value not shown.

use std::cell::OnceCell;

use crate::diagnostic::Diagnostic;
use crate::eval::Workbook;
use crate::model::{Definition, LoadError, Model};
use crate::syntax::split::{self, Piece, RawStatement};
use crate::syntax::{parse_piece, CellId, Located, Span, Statement, SyntaxError};
use crate::warning::formula_slips;

use super::position::Lines;
use super::ranges::Spreads;

/// What one statement of the text is, as far as the workbook knows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A cell's definition at the top level.
    Cell {
        /// The cell.
        id: CellId,
        /// The statement's text no longer parses: the error (spans relative to the
        /// statement's start). The workbook keeps the cell's last good formula.
        broken: Option<SyntaxError>,
    },
    /// `scenario NAME {` (or a one-line scenario).
    ScenarioOpen {
        /// The scenario's name.
        name: Box<str>,
    },
    /// An override inside a scenario block.
    Override {
        /// The scenario.
        scenario: Box<str>,
    },
    /// The `}` closing a scenario.
    Close,
    /// A statement the model does not hold: it did not parse, or defines a
    /// cell a second time.
    Other,
}

/// A statement of the text and where its model counterpart came from.
#[derive(Clone, Debug)]
pub struct Stmt {
    /// Where it stands in the text now.
    pub span: Span,
    /// Where it stood in the text the workbook read it from: the model's
    /// spans of it are `span.start() - origin` bytes behind the text's.
    origin: usize,
    /// `##` doc lines stand directly above it.
    has_doc: bool,
    /// What it is.
    pub kind: Kind,
    /// The likely slips written in it (docs/language.md#warnings), spans
    /// relative to its start: found when it is read, kept while its text
    /// stays the same.
    slips: Box<[Diagnostic]>,
}

impl Stmt {
    /// The likely slips written in it, placed in the text as it is now.
    pub fn slips(&self) -> impl Iterator<Item = Diagnostic> + '_ {
        self.slips.iter().map(|w| {
            let mut w = w.clone();
            w.span = w.span.shifted(self.span.start());
            for (span, _) in &mut w.related {
                *span = span.shifted(self.span.start());
            }
            w
        })
    }

    /// Whether byte `at` of the text the model was read from lies in this
    /// statement as it was read there.
    pub fn was_at(&self, at: usize) -> bool {
        at >= self.origin && at < self.origin + (self.span.end() - self.span.start())
    }

    /// A span of the model's (from the text this statement was read from)
    /// placed in the text as it is now.
    pub fn to_now(&self, span: Span) -> Span {
        let (start, end) = (span.start(), span.end());
        let now = self.span.start();
        if now >= self.origin {
            Span::new(start + (now - self.origin), end + (now - self.origin))
        } else {
            let back = self.origin - now;
            Span::new(start.saturating_sub(back), end.saturating_sub(back))
        }
    }
}

/// An open model: the text, its statements, and its values.
pub struct Document {
    /// The file's path (or the editor's name for an unsaved buffer), for messages.
    pub path: String,
    text: String,
    lines: Lines,
    stmts: Vec<Stmt>,
    book: Workbook,
    /// The statement of each defined cell, by cell index (`u32::MAX`: none).
    stmt_of: Vec<u32>,
    /// Problems found by the last full load (syntax errors, names defined
    /// twice, scenario trouble), spans in the text as it is now.
    load_errors: Vec<Diagnostic>,
    /// An edit was too large for [`Document::edit`] to follow: load it all
    /// again before the next answer.
    stale: bool,
    /// How many full loads and incremental updates there were (for tests and benches).
    pub counts: Counts,
    /// The uncertain cells' spread, simulated when first asked for after a change.
    spreads: OnceCell<Spreads>,
}

/// How a document kept up with its edits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Full loads of the text.
    pub loads: usize,
    /// Edits followed statement by statement.
    pub incremental: usize,
}

impl Document {
    /// Reads a model's text.
    pub fn new(path: impl Into<String>, text: String) -> Document {
        let path = path.into();
        let mut doc = Document {
            lines: Lines::new(&text),
            book: Workbook::new(Model::new(path.clone(), String::new())),
            path,
            text,
            stmts: Vec::new(),
            stmt_of: Vec::new(),
            load_errors: Vec::new(),
            stale: true,
            counts: Counts::default(),
            spreads: OnceCell::new(),
        };
        doc.refresh();
        doc
    }

    /// The text as the editor has it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Line starts of the text.
    pub fn lines(&self) -> &Lines {
        &self.lines
    }

    /// The workbook of the text (call [`Document::refresh`] first after edits).
    pub fn book(&self) -> &Workbook {
        &self.book
    }

    /// Which cells are uncertain and their 90% intervals, simulated at the
    /// first call after a change (see [`super::ranges`]).
    pub fn spreads(&self) -> &Spreads {
        self.spreads.get_or_init(|| Spreads::of(&self.book))
    }

    /// The statements, in text order.
    pub fn statements(&self) -> &[Stmt] {
        &self.stmts
    }

    /// Problems that keep parts of the text out of the model, placed in the text as it is now.
    pub fn load_errors(&self) -> &[Diagnostic] {
        &self.load_errors
    }

    /// The statement that defines a cell.
    pub fn statement_of(&self, id: CellId) -> Option<&Stmt> {
        let at = *self.stmt_of.get(id.index())?;
        self.stmts.get(at as usize)
    }

    /// The statement whose text holds byte `offset` (its end included, so
    /// that a cursor just after a name still finds it).
    pub fn statement_at(&self, offset: usize) -> Option<(usize, &Stmt)> {
        let i = self.stmts.partition_point(|s| s.span.end() < offset);
        let s = self.stmts.get(i)?;
        (s.span.start() <= offset).then_some((i, s))
    }

    /// A statement of the text parsed as it reads now, spans in the text's bytes.
    pub fn parse_statement(&self, stmt: &Stmt) -> Option<Located> {
        let raw = split::pieces_between(
            &self.text,
            stmt.span.start(),
            stmt.span.end(),
            u32::try_from(self.lines.line_of(stmt.span.start()) + 1).unwrap_or(u32::MAX),
        )
        .find_map(|p| match p {
            Piece::Statement(raw) => Some(raw),
            Piece::Trivia(_) => None,
        })?;
        parse_piece(&raw).ok()
    }

    /// Replaces the whole text.
    pub fn replace(&mut self, text: String) {
        self.text = text;
        self.lines = Lines::new(&self.text);
        self.stale = true;
    }

    /// Replaces bytes `start..end` of the text with `insert`, and brings the
    /// workbook up to date with the statements that changed when it can do
    /// so cell by cell (else [`Document::refresh`] loads the text again).
    /// Offsets outside the text or inside a character are held to the
    /// nearest character boundary before them.
    pub fn edit(&mut self, start: usize, end: usize, insert: &str) {
        let start = floor_boundary(&self.text, start);
        let end = floor_boundary(&self.text, end).max(start);
        let mut text = String::with_capacity(self.text.len() - (end - start) + insert.len());
        text.push_str(self.text.get(..start).unwrap_or(""));
        text.push_str(insert);
        text.push_str(self.text.get(end..).unwrap_or(""));
        let old = std::mem::replace(&mut self.text, text);
        self.lines = Lines::new(&self.text);
        self.spreads.take();
        if !self.stale && !self.follow(&old, start, end, insert.len()) {
            self.stale = true;
        }
    }

    /// Forgets what was worked out from the text: the next answer loads it again.
    pub fn reload(&mut self) {
        self.stale = true;
    }

    /// Loads the text again if an edit could not be followed.
    pub fn refresh(&mut self) {
        if !self.stale {
            return;
        }
        self.stale = false;
        self.counts.loads += 1;
        self.spreads.take();
        let (model, errors) = match Model::parse(&self.path, self.text.clone()) {
            Ok(model) => (model, Vec::new()),
            Err(LoadError::Invalid { model, errors }) => {
                let errors = errors
                    .iter()
                    .map(|e| model.at_import(e.diagnostic()))
                    .collect();
                (*model, errors)
            }
            Err(other) => (
                Model::new(self.path.clone(), String::new()),
                vec![Diagnostic::error(
                    Span::default(),
                    other.to_string(),
                    "here",
                )],
            ),
        };
        self.load_errors = errors;
        self.book = Workbook::new(model);
        self.index_statements();
    }

    /// Reads the statement table of the whole text, matching each top-level
    /// definition to the model's cell.
    fn index_statements(&mut self) {
        let model = self.book.model();
        // The cells this text defines (not those of imported files, nor an
        // import block's overrides of them), by place in the text: a
        // series' rule may come after other cells.
        let mut defs: Vec<(CellId, usize)> = model
            .cells_in_order()
            .iter()
            .filter_map(|&id| {
                let def = model.definition(id)?;
                (def.file.is_root() && !model.is_imported(id)).then_some((id, def.span.start()))
            })
            .collect();
        if model.has_axes() {
            defs.sort_by_key(|&(_, at)| at);
        }
        let mut defs = defs.into_iter().peekable();
        let mut stmts = Vec::new();
        let mut stmt_of = vec![u32::MAX; model.len()];
        let mut scenario: Option<Box<str>> = None;
        let mut in_scenarios = crate::warning::in_scenarios(model);
        in_scenarios.sort_by_key(|w| w.span.start());
        let mut in_scenarios = in_scenarios.into_iter().peekable();
        for piece in split::pieces(&self.text) {
            let Piece::Statement(raw) = piece else {
                continue;
            };
            let span = Span::new(raw.offset, raw.offset + raw.text.len());
            while defs.next_if(|&(_, at)| at < span.start()).is_some() {}
            let kind = if let Some((id, _)) = defs.next_if(|&(_, at)| at < span.end()) {
                if let Some(slot) = stmt_of.get_mut(id.index()) {
                    *slot = u32::try_from(stmts.len()).unwrap_or(u32::MAX);
                }
                Kind::Cell { id, broken: None }
            } else {
                let trimmed = raw.text.trim_start();
                if trimmed.starts_with('}') || trimmed.starts_with("scenario") {
                    match parse_piece(&raw).map(|l| l.statement) {
                        Ok(Statement::BlockClose) => {
                            scenario = None;
                            Kind::Close
                        }
                        Ok(Statement::ScenarioOpen { name, closed, .. }) => {
                            if closed.is_none() {
                                scenario = Some(name.clone());
                            }
                            Kind::ScenarioOpen { name }
                        }
                        _ => self::scenario_member(&scenario),
                    }
                } else {
                    self::scenario_member(&scenario)
                }
            };
            let slips = match kind {
                Kind::Cell { id, .. } => model
                    .definition(id)
                    .map_or_else(Vec::new, |def| formula_slips(&def.expr, &model.source)),
                Kind::Override { .. } | Kind::ScenarioOpen { .. } => {
                    // Overrides are read with the whole file, in text order.
                    while in_scenarios
                        .next_if(|w| w.span.start() < span.start())
                        .is_some()
                    {}
                    std::iter::from_fn(|| in_scenarios.next_if(|w| w.span.start() < span.end()))
                        .collect()
                }
                Kind::Close | Kind::Other => Vec::new(),
            };
            stmts.push(Stmt {
                span,
                origin: span.start(),
                has_doc: raw.doc.is_some(),
                kind,
                slips: relative(slips, span.start()),
            });
        }
        self.stmts = stmts;
        self.stmt_of = stmt_of;
    }

    /// Follows one edit statement by statement; `false` when it cannot (the
    /// workbook may then be half updated: the caller loads the text again).
    /// `old` is the text before the edit, which replaced `start..end` of it
    /// with `inserted` bytes.
    fn follow(&mut self, old: &str, start: usize, end: usize, inserted: usize) -> bool {
        // A series' rule and pins are statements of one cell: the text is
        // loaded again rather than followed statement by statement.
        if self.book.model().has_axes() {
            return false;
        }
        let text = &self.text;
        // The statements from the first one the edit may touch...
        let line_start = self.lines.line_start(text, self.lines.line_of(start));
        let first = self.stmts.partition_point(|s| s.span.end() < line_start);
        let before = first.checked_sub(1).and_then(|i| self.stmts.get(i));
        // A statement left unclosed (a syntax error) would reach into the region.
        if before.is_some_and(|b| {
            matches!(
                b.kind,
                Kind::Other
                    | Kind::Cell {
                        broken: Some(_),
                        ..
                    }
            )
        }) {
            return false;
        }
        let check_from = before.map_or(0, |b| b.span.start());
        let region_start = before.map_or(0, |b| next_line(old, b.span.end()));
        // ...to the first line after it that can only begin a statement.
        let region_end = split::cut_after(text, start + inserted, 1);
        let Some(old_region_end) = (region_end + (end - start)).checked_sub(inserted) else {
            return false;
        };
        if region_start > start || old_region_end < end {
            return false;
        }
        let last = self
            .stmts
            .partition_point(|s| s.span.start() < old_region_end);
        if let Some(next) = self.stmts.get(last) {
            // The statement after the region must begin it, as before, without
            // doc lines the edit may have changed.
            if next.span.start() != old_region_end || next.has_doc {
                return false;
            }
        }
        // File-level errors inside the region: load again to check them.
        let in_region = |s: Span| s.end() >= check_from && s.start() <= old_region_end;
        if self
            .load_errors
            .iter()
            .any(|d| in_region(d.span) || d.related.iter().any(|(s, _)| in_region(*s)))
        {
            return false;
        }
        let first_line = u32::try_from(self.lines.line_of(region_start) + 1).unwrap_or(u32::MAX);
        let raws: Vec<RawStatement<'_>> =
            split::pieces_between(text, region_start, region_end, first_line)
                .filter_map(|p| match p {
                    Piece::Statement(raw) => Some(raw),
                    Piece::Trivia(_) => None,
                })
                .collect();
        let Some(olds) = self.stmts.get(first..last) else {
            return false;
        };
        if raws.len() != olds.len() {
            return false;
        }
        // Plan: every statement must be the same cell as before (or unchanged text).
        let mut plan: Vec<(Stmt, Option<(CellId, Definition)>)> = Vec::with_capacity(raws.len());
        for (raw, was) in raws.iter().zip(olds) {
            let span = Span::new(raw.offset, raw.offset + raw.text.len());
            let same_doc = match &was.kind {
                Kind::Cell { id, broken: None } => {
                    self.book
                        .model()
                        .definition(*id)
                        .and_then(|d| d.doc.as_deref())
                        == raw.doc.as_deref()
                }
                _ => raw.doc.is_none() && !was.has_doc,
            };
            let same_text = same_doc && Some(raw.text) == old.get(was.span.start()..was.span.end());
            if same_text {
                plan.push((
                    Stmt {
                        span,
                        ..was.clone()
                    },
                    None,
                ));
                continue;
            }
            let Kind::Cell { id, .. } = was.kind else {
                return false;
            };
            match parse_piece(raw) {
                Ok(located) => {
                    let Statement::Cell(def) = located.statement else {
                        return false;
                    };
                    // Another cell's statement now (or an id this model
                    // does not know): the whole file is read again.
                    if self.book.model().name(id) != Ok(&*def.name) {
                        return false;
                    }
                    let def = Definition::from_cell_def(def, located.line, located.doc);
                    let now = Stmt {
                        span,
                        origin: raw.offset,
                        has_doc: raw.doc.is_some(),
                        kind: Kind::Cell { id, broken: None },
                        slips: relative(formula_slips(&def.expr, text), raw.offset),
                    };
                    plan.push((now, Some((id, def))));
                }
                Err(e) => {
                    let relative = SyntaxError {
                        span: Span::new(
                            e.span.start().saturating_sub(raw.offset),
                            e.span.end().saturating_sub(raw.offset),
                        ),
                        ..e
                    };
                    // The workbook keeps the last good formula, read from `was`'s origin.
                    plan.push((
                        Stmt {
                            span,
                            origin: was.origin,
                            has_doc: raw.doc.is_some(),
                            kind: Kind::Cell {
                                id,
                                broken: Some(relative),
                            },
                            slips: Box::default(),
                        },
                        None,
                    ));
                }
            }
        }
        // Commit: redefine the cells, then move every later statement.
        let mut stmts_now = Vec::with_capacity(plan.len());
        for (stmt, change) in plan {
            if let Some((id, def)) = change {
                let Ok(name) = self.book.model().name(id).map(str::to_string) else {
                    return false;
                };
                if self.book.redefine_in_file(&name, def).is_err() {
                    return false;
                }
            }
            stmts_now.push(stmt);
        }
        let grew = inserted >= end - start;
        let by = inserted.abs_diff(end - start);
        let moved = |s: Span| {
            if grew {
                Span::new(s.start() + by, s.end() + by)
            } else {
                Span::new(s.start().saturating_sub(by), s.end().saturating_sub(by))
            }
        };
        for s in self.stmts.iter_mut().skip(last) {
            s.span = moved(s.span);
        }
        for d in &mut self.load_errors {
            if d.span.start() >= old_region_end {
                d.span = moved(d.span);
            }
            for (s, _) in &mut d.related {
                if s.start() >= old_region_end {
                    *s = moved(*s);
                }
            }
        }
        self.stmts.splice(first..last, stmts_now);
        if self.stmt_of.len() < self.book.model().len() {
            self.stmt_of.resize(self.book.model().len(), u32::MAX);
        }
        self.counts.incremental += 1;
        true
    }
}

/// Slips found in a text, their spans made relative to byte `start` of it.
fn relative(slips: Vec<Diagnostic>, start: usize) -> Box<[Diagnostic]> {
    let back = |s: Span| {
        Span::new(
            s.start().saturating_sub(start),
            s.end().saturating_sub(start),
        )
    };
    slips
        .into_iter()
        .map(|mut w| {
            w.span = back(w.span);
            for (span, _) in &mut w.related {
                *span = back(*span);
            }
            w
        })
        .collect()
}

/// A statement that is not a top-level cell: an override inside an open
/// scenario block, or a statement the model does not hold.
fn scenario_member(scenario: &Option<Box<str>>) -> Kind {
    match scenario {
        Some(name) => Kind::Override {
            scenario: name.clone(),
        },
        None => Kind::Other,
    }
}

/// The start of the line after the one holding byte `at`.
fn next_line(text: &str, at: usize) -> usize {
    text.as_bytes()
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
        .map_or(text.len(), |i| at + i + 1)
}

/// The last character boundary at or before `at`, within the text.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
