//! A REPL session: the file's model, the scenario in force, the analyst's
//! redefinitions on top of them, and the workbook that keeps every value
//! up to date.
//!
//! The session's own changes are kept apart from the file (the *overlay*:
//! one formula per changed cell), so that `:changes` can compare them with
//! the file, `:reset` can drop them, a scenario switch or `:reload` can lay
//! them again on a new base, and `:undo` can step back through them. Plain
//! logic, no terminal: every operation returns data for the front ends.

use std::collections::HashMap;

use crate::eval::{CellError, CellResult, Computed, Refusal, Workbook};
use crate::explain::result_text;
use crate::internal::InternalError;
use crate::model::{load_file, slot_of, split_name, Cell, Definition, LoadError, Model, Slot};
use crate::save::SaveError;
use crate::suggest::Unknown;
use crate::syntax::{CellId, Expr, ExprKind, Hint, Span};

/// One of the session's redefinitions: the cell and the formula it has now.
#[derive(Clone, Debug, PartialEq)]
pub struct Edit {
    /// The cell's name; for a part of a series, with the period or the axis
    /// in brackets (`capex[2025]`, `capex[year]`), as a file writes it.
    pub name: String,
    /// Its formula in this session.
    pub def: Definition,
    /// The definition as the analyst typed it, when that took several lines:
    /// `:save` keeps its line breaks.
    pub written: Option<String>,
}

/// A cell whose value moved, with both values as the analyst reads them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moved {
    /// The cell (`capex[2026]` when one period of a series moved).
    pub name: String,
    /// Its value before (`None`: the cell is new).
    pub old: Option<String>,
    /// Its value now (`None`: the cell is gone).
    pub new: Option<String>,
    /// For a series of which several periods moved: how many, and the
    /// first and the last of them (`old` and `new` are then `None`).
    pub periods: Option<PeriodsMoved>,
}

/// Several periods of a series that moved, summed up on one line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodsMoved {
    /// How many periods moved.
    pub count: usize,
    /// The first: its label, value before and now.
    pub first: (i64, String, String),
    /// The last.
    pub last: (i64, String, String),
}

impl Moved {
    /// A value that moved from `old` to `new`.
    fn value(name: &str, old: Option<String>, new: Option<String>) -> Moved {
        Moved {
            name: name.to_string(),
            old,
            new,
            periods: None,
        }
    }

    /// What moved between two results of the cell `name`: its value, one
    /// period of a series, or several periods summed up; `None` when they
    /// read the same.
    fn between(
        name: &str,
        old: Option<(&Computed, bool)>,
        new: &Computed,
        percent: bool,
    ) -> Option<Moved> {
        let text = |r: &CellResult, p: bool| result_text(r, p);
        match (old, new) {
            (Some((Computed::Series(a), was)), Computed::Series(b))
                if a.first == b.first && a.elements.len() == b.elements.len() =>
            {
                let differ: Vec<(i64, &CellResult, &CellResult)> = a
                    .periods()
                    .zip(&b.elements)
                    .filter(|((_, x), y)| !same(x, y))
                    .map(|((l, x), y)| (l, x, y))
                    .collect();
                match differ.as_slice() {
                    [] => None,
                    [(label, x, y)] => Some(Moved::value(
                        &format!("{name}[{label}]"),
                        Some(text(x, was)),
                        Some(text(y, percent)),
                    )),
                    [(l1, x1, y1), .., (l2, x2, y2)] => Some(Moved {
                        name: name.to_string(),
                        old: None,
                        new: None,
                        periods: Some(PeriodsMoved {
                            count: differ.len(),
                            first: (*l1, text(x1, was), text(y1, percent)),
                            last: (*l2, text(x2, was), text(y2, percent)),
                        }),
                    }),
                }
            }
            (Some((Computed::One(x), was)), Computed::One(y)) => (!same(x, y))
                .then(|| Moved::value(name, Some(text(x, was)), Some(text(y, percent)))),
            (old, new) => Some(Moved::value(
                name,
                old.map(|(o, was)| summary(o, was)),
                Some(summary(new, percent)),
            )),
        }
    }
}

/// A result in a few words: a value, or a series' first and last periods.
fn summary(c: &Computed, percent: bool) -> String {
    match c {
        Computed::One(r) => result_text(r, percent),
        Computed::Series(s) => {
            let text =
                |(label, r): (i64, &CellResult)| format!("{label} {}", result_text(r, percent));
            match (s.periods().next(), s.periods().last()) {
                (Some(first), Some(last)) if s.elements.len() > 1 => {
                    format!("{} … {}", text(first), text(last))
                }
                (Some(first), _) => text(first),
                _ => String::new(),
            }
        }
    }
}

/// What an operation did: the values that moved, in dependency order, the
/// assertions it flipped, and remarks worth telling the analyst.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Every cell whose value changed.
    pub moved: Vec<Moved>,
    /// Every assertion that failed and holds now, or the other way round.
    pub flipped: Vec<Flip>,
    /// Remarks (a change that no longer applies, a scenario hidden by a change).
    pub notes: Vec<String>,
}

impl Outcome {
    fn note(text: impl Into<String>) -> Outcome {
        Outcome {
            notes: vec![text.into()],
            ..Outcome::default()
        }
    }
}

/// An assertion whose outcome a change flipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flip {
    /// What it claims: its message, or its condition.
    pub claim: String,
    /// Where it is written, `m.model:12`.
    pub place: String,
    /// It holds now (it failed before); else it fails now, and why.
    pub holds: bool,
    /// When it fails: the values its condition read, or why it failed.
    pub why: String,
}

/// Each assertion of a workbook's model, as the session tells them apart
/// (where it is written and what it claims), and whether it holds.
fn assertion_states(book: &Workbook) -> Vec<(String, bool)> {
    let model = book.model();
    model
        .assertions
        .iter()
        .zip(crate::assertions::check(book))
        .map(|(a, o)| {
            let key = format!(
                "{} {}",
                crate::assertions::place(model, a),
                crate::assertions::claim(a)
            );
            (key, o.holds())
        })
        .collect()
}

/// Why a session operation did nothing; the session is left exactly as it was.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The formula asked for has no value.
    #[error("{}", .0.message)]
    Failed(Box<CellError>),
    /// A name that is not a cell (or not a scenario).
    #[error(transparent)]
    Unknown(Unknown),
    /// A redefinition that would break the model.
    #[error(transparent)]
    Refused(Refusal),
    /// `:undo` with nothing left to undo.
    #[error("nothing to undo")]
    NothingToUndo,
    /// A scenario switch under which one of the session's changes would not apply.
    #[error("cannot switch to scenario {scenario}: your change '{change}' would not apply ({reason}); :reset it first")]
    WouldNotApply {
        /// The scenario asked for.
        scenario: String,
        /// The change, `name = formula`.
        change: String,
        /// Why it would not apply.
        reason: String,
    },
    /// `:reload` in a session started without a file.
    #[error("no file to reload: this session started without one")]
    NoFile,
    /// premise's own failure (a broken invariant), said as it is.
    #[error(transparent)]
    Internal(InternalError),
    /// The file would not load; the session keeps the model as it was.
    #[error("{}", load_error_text(.0))]
    Load(LoadError),
    /// The save did not happen.
    #[error(transparent)]
    Save(#[from] SaveError),
}

/// One undoable step: each overlay entry it touched, as it was before.
#[derive(Clone, Debug)]
struct Step {
    /// What the step was, for "undid ...".
    label: String,
    before: Vec<(String, Option<Definition>)>,
}

/// The state of one REPL session.
#[derive(Debug)]
pub struct Session {
    path: Option<String>,
    /// The file's model without the session's changes. `None` in a session
    /// on a model just read from its file ([`Session::loaded`]) until the
    /// session needs it whole (another scenario, a rebuild, `:save`): it is
    /// then read again from the workbook's copy of the text, so that a
    /// million-cell model is not held twice.
    file: Option<Model>,
    /// While `file` is `None` (so the scenario is `base`): the definition
    /// each cell the session changed had in the file (`None`: new here),
    /// recorded before its first change.
    file_defs: HashMap<String, Option<Definition>>,
    scenario: String,
    book: Workbook,
    edits: Vec<Edit>,
    undo: Vec<Step>,
    /// Whether each assertion held after the last operation.
    asserted: Vec<(String, bool)>,
}

impl Session {
    /// A session on a loaded model file (`path` is where `:reload` reads it again).
    pub fn new(file: Model, path: Option<String>) -> Session {
        let book = Workbook::new(file.clone());
        Session::on(book, Some(file), path)
    }

    /// A session on a model read from its file just now ([`Model::parse`] of
    /// its `source`): the workbook takes the model, and the file is read
    /// again from that text only if the session needs it whole. A model
    /// that imports others is kept as [`Session::new`] keeps it (reading it
    /// again would read the imported files again, which may have changed),
    /// and so is a model with series, whose cells' parts (`capex[2025]`)
    /// the session changes one by one: such models hold few definitions.
    pub fn loaded(file: Model, path: Option<String>) -> Session {
        if !file.imported_files().is_empty() || file.has_axes() {
            return Session::new(file, path);
        }
        Session::on(Workbook::new(file), None, path)
    }

    /// A fresh session on `book`, in the base scenario, with no edits;
    /// `file` is the file's model when the session keeps a copy of it.
    fn on(book: Workbook, file: Option<Model>, path: Option<String>) -> Session {
        Session {
            path,
            file,
            file_defs: HashMap::new(),
            scenario: "base".to_string(),
            asserted: assertion_states(&book),
            book,
            edits: Vec::new(),
            undo: Vec::new(),
        }
    }

    /// Reads the file's model again from its text if the session has not
    /// kept it ([`Session::loaded`]); [`Session::file`] then has it.
    fn keep_file(&mut self) -> Result<(), SessionError> {
        if self.file.is_none() {
            let m = self.book.model();
            let file = Model::parse(&m.path, m.source.clone()).map_err(|e| {
                SessionError::Internal(InternalError::new(format!(
                    "the file's text no longer reads as it did: {e}"
                )))
            })?;
            self.file_defs.clear();
            self.file = Some(file);
        }
        Ok(())
    }

    /// The file's model, once [`Session::keep_file`] has made sure of it.
    fn file(&self) -> Result<&Model, SessionError> {
        self.file
            .as_ref()
            .ok_or_else(|| SessionError::Internal(InternalError::new("the file was not kept")))
    }

    /// A session with no file: cells come from the analyst alone.
    pub fn empty() -> Session {
        Session::new(Model::new("", ""), None)
    }

    /// The workbook: the model as it stands now, with every value.
    pub fn book(&self) -> &Workbook {
        &self.book
    }

    /// The model as it stands now (file, scenario and session changes).
    pub fn model(&self) -> &Model {
        self.book.model()
    }

    /// The file the session was started on.
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The scenario in force (`base` for the model itself).
    pub fn scenario(&self) -> &str {
        &self.scenario
    }

    /// The scenarios of the file, `base` first.
    pub fn scenario_names(&self) -> Vec<&str> {
        // The workbook's model has the file's scenarios.
        self.file
            .as_ref()
            .unwrap_or(self.book.model())
            .scenario_names()
    }

    /// The session's redefinitions, oldest first.
    pub fn edits(&self) -> &[Edit] {
        &self.edits
    }

    /// The session's redefinition of `name`, if any.
    pub fn edit(&self, name: &str) -> Option<&Edit> {
        self.edits.iter().find(|e| e.name == name)
    }

    /// The definition `name` has without this session's changes: the file's,
    /// with the scenario in force applied (`None` for a cell new in this session).
    pub fn base_definition(&self, name: &str) -> Option<Definition> {
        match &self.file {
            Some(file) => base_definition_in(file, &self.scenario, name),
            // A cell the session has not changed is as in the file.
            None => match self.file_defs.get(name) {
                Some(def) => def.clone(),
                None => base_definition_in(self.book.model(), &self.scenario, name),
            },
        }
    }

    /// Whether the scenario in force overrides `name` (a cell, or a part of
    /// a series: `capex[2025]`) and no session change hides that.
    pub fn overridden_by_scenario(&self, name: &str) -> bool {
        // Without the file kept, the scenario is `base`: nothing overrides.
        let Some(file) = &self.file else {
            return false;
        };
        let Ok((cell, part)) = split_name(name) else {
            return false;
        };
        let slot = slot_of(part.as_ref());
        self.edit(name).is_none()
            && file.defined(cell).is_some_and(|id| {
                file.scenario(&self.scenario).is_some_and(|s| {
                    s.overrides
                        .iter()
                        .any(|o| o.cell == id && (o.slot == slot || slot == Slot::Whole))
                })
            })
    }

    /// A cell's value as the analyst reads it (`None` for an unknown cell).
    pub fn shown(&self, name: &str) -> Option<String> {
        let id = self.model().defined(name)?;
        Some(crate::explain::shown(&self.book, id))
    }

    /// The value of a formula that is not a cell, shown like a cell's. It
    /// shows as a percentage when marked `as %`, when it is a percent
    /// literal, or when it is just a percentage cell (`margin`); in a unit
    /// when it ends in `as [UNIT]`.
    pub fn query(&self, expr: &Expr, hint: Option<&Hint>) -> Result<String, SessionError> {
        let percent = hint == Some(&Hint::Percent)
            || expr.is_percent_literal()
            || self.names_percent_cell(expr);
        // A cell asked for by name answers with its own value or error, not "depends on" it.
        if let Some(Err(e)) = self.named_cell(expr).and_then(|id| self.book.value(id)) {
            return Err(SessionError::Failed(e.clone()));
        }
        let hint_unit = match hint {
            Some(Hint::Unit { unit, .. }) => Some(self.model().units.resolve(unit)),
            _ => None,
        };
        // `as [UNIT]` converts the value, or each period of a series.
        let convert = |r: crate::eval::CellResult| {
            r.and_then(|v| match &hint_unit {
                Some(unit) => crate::eval::ops::convert_to(v, unit)
                    .map_err(|e| Box::new(crate::eval::CellError::eval(e, expr.span))),
                None => Ok(v),
            })
        };
        match self.book.evaluate(expr) {
            Computed::One(r) => match convert(r) {
                Ok(v) => Ok(crate::display::format_value(&v, percent)),
                Err(e) => Err(SessionError::Failed(e)),
            },
            Computed::Series(series) => {
                let mut series = std::sync::Arc::unwrap_or_clone(series);
                if hint_unit.is_some() {
                    series.elements = series.elements.into_iter().map(convert).collect();
                }
                let series = Computed::Series(std::sync::Arc::new(series));
                Ok(crate::explain::computed_text(&series, percent))
            }
        }
    }

    /// The cell a formula is, when it is just a name (in parentheses or not).
    fn named_cell(&self, expr: &Expr) -> Option<crate::syntax::CellId> {
        let mut e = expr;
        while let ExprKind::Paren(inner) = &e.kind {
            e = inner;
        }
        match &e.kind {
            ExprKind::Ref { name, .. } => self.model().defined(name),
            _ => None,
        }
    }

    fn names_percent_cell(&self, expr: &Expr) -> bool {
        self.named_cell(expr)
            .and_then(|id| self.model().definition(id))
            .is_some_and(|d| d.percent)
    }

    /// Defines or redefines `name`: a transaction. Refused, with the reason and
    /// nothing changed, when the formula names an unknown cell or would close a cycle.
    ///
    /// `name` may name a part of a series: `capex[2025] = $80B` pins one
    /// period, `capex[year] = ...` replaces the rule.
    pub fn define(&mut self, name: &str, mut def: Definition) -> Result<Outcome, SessionError> {
        let model = self.model();
        // `site.capex[2026]` is a period of the imported cell `site.capex`.
        let cell = split_name(name).map_or(name, |(cell, _)| cell);
        if let Some(import) = model
            .import_of(cell)
            .filter(|_| model.defined(cell).is_none())
        {
            // A cell is not added to an imported file.
            let short = cell.get(import.alias.len() + 1..).unwrap_or(cell);
            let prefix = format!("{}.", import.alias);
            let near: Vec<&str> = model
                .defined_names()
                .filter_map(|n| n.strip_prefix(&prefix))
                .collect();
            let suggestion = crate::suggest::did_you_mean(short, near.iter().copied())
                .map(|s| format!("{prefix}{s}"));
            let unknown = Unknown::new(crate::suggest::Looked::Cell, name, suggestion.as_deref())
                .within(model.file_path(import.file));
            return Err(SessionError::Unknown(unknown));
        }
        def.line = 0;
        def.span = Span::default();
        def.doc = self
            .model()
            .definition_by_key(name)
            .or_else(|| {
                let (cell, _) = split_name(name).ok()?;
                self.model()
                    .defined(cell)
                    .and_then(|id| self.model().definition(id))
            })
            .and_then(|d| d.doc.clone());
        let label = format!("{name} = {}", formula_of(&def));
        let moved = self.redefine(name, Some(def.clone()))?;
        let before = self.edit(name).map(|e| e.def.clone());
        let back_to_base = self
            .base_definition(name)
            .is_some_and(|b| formula_of(&b) == formula_of(&def) && b.percent == def.percent);
        self.set_edit(name, if back_to_base { None } else { Some(def) });
        self.undo.push(Step {
            label,
            before: vec![(name.to_string(), before)],
        });
        Ok(self.checked(Outcome {
            moved,
            ..Outcome::default()
        }))
    }

    /// [`Session::define`] from the text the analyst typed (`name = ...`),
    /// which `:save` writes with its line breaks when it has several lines.
    pub fn define_written(
        &mut self,
        name: &str,
        def: Definition,
        written: &str,
    ) -> Result<Outcome, SessionError> {
        let outcome = self.define(name, def)?;
        let written = written.trim();
        if written.contains('\n') {
            if let Some(e) = self.edits.iter_mut().find(|e| e.name == name) {
                e.written = Some(written.to_string());
            }
        }
        Ok(outcome)
    }

    /// Puts `name` back to its definition without this session (removing it
    /// if it is new here); `capex[2025]` removes a pin this session made.
    pub fn reset(&mut self, name: &str) -> Result<Outcome, SessionError> {
        let cell = split_name(name).map_or(name, |(cell, _)| cell);
        if self.model().defined(cell).is_none() {
            return Err(SessionError::Unknown(self.model().unknown_name(cell)));
        }
        if cell == name && self.edit(name).is_none() {
            // A series: every pin and rule this session changed.
            let parts: Vec<(String, Option<Definition>)> = self
                .edits
                .iter()
                .filter(|e| split_name(&e.name).is_ok_and(|(c, p)| c == cell && p.is_some()))
                .map(|e| (e.name.clone(), Some(e.def.clone())))
                .collect();
            if !parts.is_empty() {
                let names: Vec<String> = parts.iter().map(|(n, _)| n.clone()).collect();
                for n in &names {
                    self.set_edit(n, None);
                }
                self.undo.push(Step {
                    label: format!(":reset {name}"),
                    before: parts,
                });
                return self.sync(&names);
            }
        }
        let Some(before) = self.edit(name).map(|e| e.def.clone()) else {
            return Ok(Outcome::note(format!(
                "'{name}' has no change in this session"
            )));
        };
        self.set_edit(name, None);
        self.undo.push(Step {
            label: format!(":reset {name}"),
            before: vec![(name.to_string(), Some(before))],
        });
        let outcome = self.sync(&[name.to_string()])?;
        Ok(self.checked(outcome))
    }

    /// Drops every change of this session.
    pub fn reset_all(&mut self) -> Result<Outcome, SessionError> {
        if self.edits.is_empty() {
            return Ok(Outcome::note("no changes in this session"));
        }
        let before: Vec<(String, Option<Definition>)> = self
            .edits
            .iter()
            .map(|e| (e.name.clone(), Some(e.def.clone())))
            .collect();
        let names: Vec<String> = before.iter().map(|(n, _)| n.clone()).collect();
        self.edits.clear();
        self.undo.push(Step {
            label: ":reset all".to_string(),
            before,
        });
        let outcome = self.sync(&names)?;
        Ok(self.checked(outcome))
    }

    /// Steps back over the last redefinition or reset; returns what was undone.
    pub fn undo(&mut self) -> Result<(String, Outcome), SessionError> {
        let Some(step) = self.undo.pop() else {
            return Err(SessionError::NothingToUndo);
        };
        let mut names = Vec::new();
        for (name, before) in step.before {
            self.set_edit(&name, before);
            names.push(name);
        }
        let outcome = self.sync(&names)?;
        Ok((step.label, self.checked(outcome)))
    }

    /// Switches to another scenario (`base` for the model itself). The session's
    /// changes stay applied on top of it; refused if one of them cannot be.
    pub fn switch_scenario(&mut self, name: &str) -> Result<Outcome, SessionError> {
        if name != "base" && self.book.model().scenario(name).is_none() {
            // The session is about one file: no need to name it.
            let mut unknown = self.book.model().unknown_scenario(name);
            unknown.within = None;
            return Err(SessionError::Unknown(unknown));
        }
        if name == self.scenario {
            return Ok(Outcome::note(format!("already in scenario {name}")));
        }
        self.keep_file()?;
        let Some(file) = &self.file else {
            return Err(SessionError::Internal(InternalError::new(
                "the file was not kept",
            )));
        };
        // The scenario's overrides that the session's changes hide.
        let mut hidden: Vec<String> = Vec::new();
        for o in file.scenario(name).map_or(&[][..], |s| &s.overrides) {
            // A series' part as the session names it: `capex[2025]`, `capex[year]`.
            let key = file
                .slot_key(o.cell, o.slot)
                .map_err(SessionError::Internal)?;
            if self.edits.iter().any(|e| e.name == key) {
                hidden.push(key);
            }
        }
        let (book, dropped) = build(file, name, &self.edits);
        if let Some((i, reason)) = dropped.first() {
            let Some(e) = self.edits.get(*i) else {
                return Err(SessionError::Internal(InternalError::new(
                    "a change refused that is not one of the session's",
                )));
            };
            return Err(SessionError::WouldNotApply {
                scenario: name.to_string(),
                change: format!("{} = {}", e.name, formula_of(&e.def)),
                reason: reason.clone(),
            });
        }
        let mut outcome = Outcome {
            moved: moved_between(&self.book, &book),
            ..Outcome::default()
        };
        self.book = book;
        self.scenario = name.to_string();
        if !self.edits.is_empty() {
            let n = self.edits.len();
            let mut note = format!(
                "{} of this session stay{} applied on top of {}",
                if n == 1 {
                    "your change".to_string()
                } else {
                    format!("your {n} changes")
                },
                if n == 1 { "s" } else { "" },
                if name == "base" {
                    "the base model".to_string()
                } else {
                    format!("scenario {name}")
                }
            );
            if !hidden.is_empty() {
                note.push_str(&format!(", hiding its override of {}", hidden.join(", ")));
            }
            outcome.notes.push(note);
        }
        Ok(self.checked(outcome))
    }

    /// Reads the file again and lays the session's changes on it; changes that
    /// no longer apply (a cell they read is gone, a cycle) are dropped and named.
    pub fn reload(&mut self) -> Result<Outcome, SessionError> {
        let Some(path) = self.path.clone() else {
            return Err(SessionError::NoFile);
        };
        let file = load_file(&path).map_err(SessionError::Load)?;
        let mut notes = Vec::new();
        let mut scenario = self.scenario.clone();
        if scenario != "base" && file.scenario(&scenario).is_none() {
            notes.push(format!(
                "scenario {scenario} is no longer in the file; back to base"
            ));
            scenario = "base".to_string();
        }
        let mut edits: Vec<Edit> = Vec::new();
        for e in &self.edits {
            let now_in_file = base_definition_in(&file, &scenario, &e.name).is_some_and(|b| {
                formula_of(&b) == formula_of(&e.def) && b.percent == e.def.percent
            });
            if now_in_file {
                notes.push(format!(
                    "'{} = {}' is now in the file",
                    e.name,
                    formula_of(&e.def)
                ));
            } else {
                edits.push(e.clone());
            }
        }
        let (book, dropped) = build(&file, &scenario, &edits);
        let mut gone: Vec<usize> = Vec::new();
        for (i, reason) in &dropped {
            if let Some(e) = edits.get(*i) {
                notes.push(format!(
                    "your change '{} = {}' no longer applies: {reason}",
                    e.name,
                    formula_of(&e.def)
                ));
            }
            gone.push(*i);
        }
        gone.sort_unstable_by(|a, b| b.cmp(a));
        for i in gone {
            if i < edits.len() {
                edits.remove(i);
            }
        }
        let moved = moved_between(&self.book, &book);
        let kept = edits.len();
        let cells = file.cells_in_order().len();
        self.file = Some(file);
        self.file_defs.clear();
        self.book = book;
        self.scenario = scenario;
        self.edits = edits;
        notes.insert(
            0,
            format!(
                "reloaded {path}: {cells} cells{}",
                match kept {
                    0 => String::new(),
                    1 => ", your 1 change kept".to_string(),
                    n => format!(", your {n} changes kept"),
                }
            ),
        );
        Ok(self.checked(Outcome {
            moved,
            notes,
            ..Outcome::default()
        }))
    }

    /// `:save [PATH]` / `:save!`: writes the file with this session's changes
    /// (only their lines are rewritten; see [`crate::save`]). The saved text
    /// becomes what the session counts as loaded, so `:changes` is empty
    /// afterwards and a later `:save` checks against it. Returns a summary.
    pub fn save(&mut self, path: Option<&str>, force: bool) -> Result<String, SessionError> {
        if self.edits.is_empty() && path.is_none() {
            return Ok("no changes to save".to_string());
        }
        let edits: Vec<crate::save::CellEdit> = self
            .edits
            .iter()
            .map(|e| crate::save::CellEdit {
                name: e.name.clone(),
                def: e.def.clone(),
                written: e.written.clone(),
            })
            .collect();
        self.keep_file()?;
        let saved =
            crate::save::save_edits(self.file()?, &edits, path.map(std::path::Path::new), force)?;
        let where_to = saved.path.to_string_lossy().into_owned();
        let file = Model::parse(&where_to, saved.text).map_err(SessionError::Load)?;
        // Changes to imported files' cells were not written: they stay changes.
        let current = self.file()?;
        let kept: Vec<String> = saved
            .elsewhere
            .iter()
            .map(|name| {
                let home = current
                    .import_of(name)
                    .map(|i| {
                        format!(
                            " (in {}, imported as {})",
                            current.file_path(i.file),
                            i.alias
                        )
                    })
                    .unwrap_or_default();
                format!("{name}{home}")
            })
            .collect();
        self.file = Some(file);
        self.file_defs.clear();
        self.path = Some(where_to.clone());
        self.edits.retain(|e| saved.elsewhere.contains(&e.name));
        // The undo steps describe changes against the old file text.
        self.undo.clear();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut summary = format!("saved {where_to}");
        match (saved.changed.len(), saved.added.len()) {
            (0, 0) => summary.push_str(": no changes to write"),
            (c, a) => {
                summary.push_str(&format!(": {c} cell{} changed", plural(c)));
                if a > 0 {
                    summary.push_str(&format!(", {a} added"));
                }
            }
        }
        if !kept.is_empty() {
            summary.push_str(&format!(
                "; not saved, as :save writes only {where_to}: {} (your change{} stay{} in this session)",
                kept.join(", "),
                plural(kept.len()),
                if kept.len() == 1 { "s" } else { "" },
            ));
        }
        Ok(summary)
    }

    /// The outcome with the assertions the operation flipped.
    fn checked(&mut self, mut outcome: Outcome) -> Outcome {
        if self.asserted.is_empty() && self.book.model().assertions.is_empty() {
            return outcome;
        }
        let now = assertion_states(&self.book);
        let model = self.book.model();
        for ((key, holds), a) in now.iter().zip(&model.assertions) {
            let before = self
                .asserted
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, h)| *h);
            if before.is_some_and(|b| b != *holds) {
                let why = match crate::assertions::outcome_of(&self.book, a) {
                    // A series: the first failing period, and the values then.
                    crate::assertions::Outcome::Fails(why) if why.starts_with("false in ") => {
                        format!("{why} ({})", crate::assertions::values_read(&self.book, a))
                    }
                    crate::assertions::Outcome::Fails(why) if why != "false" => why,
                    _ => crate::assertions::values_read(&self.book, a),
                };
                outcome.flipped.push(Flip {
                    claim: crate::assertions::claim(a),
                    place: crate::assertions::place(model, a),
                    holds: *holds,
                    why,
                });
            }
        }
        self.asserted = now;
        outcome
    }

    /// Gives `name` (a cell, or a part of a series: `capex[2025]`) a formula
    /// in the workbook, or takes it away (`None`: a pin or rule the file does
    /// not have), and returns what moved.
    fn redefine(
        &mut self,
        name: &str,
        def: Option<Definition>,
    ) -> Result<Vec<Moved>, SessionError> {
        let (cell, part) =
            split_name(name).map_err(|e| SessionError::Refused(Refusal::Series(e)))?;
        let slot = slot_of(part.as_ref());
        let axis = match &part {
            Some(crate::syntax::ast::Part::Rule { axis }) => Some(axis.to_string()),
            _ => None,
        };
        let old_percent = self
            .model()
            .defined(cell)
            .and_then(|id| self.model().definition(id))
            .is_some_and(|d| d.percent);
        if self.file.is_none() && part.is_some() {
            // Names of a series' parts (`x[2025]`, `x[t]`) share their cell:
            // what the file says of each comes from the file itself.
            self.keep_file()?;
        }
        if self.file.is_none() && !self.file_defs.contains_key(name) {
            // Its first change: what the file says is kept for `:changes` and `:reset`.
            let before = self.base_definition(name);
            self.file_defs.insert(name.to_string(), before);
        }
        let changes = match def {
            Some(def) => self.book.redefine_slot(cell, slot, axis.as_deref(), def),
            None => self.book.clear_slot(cell, slot),
        }
        .map_err(SessionError::Refused)?;
        let model = self.book.model();
        let mut moved = Vec::with_capacity(changes.len());
        for c in changes {
            let name = model.name(c.cell).map_err(SessionError::Internal)?;
            let percent = model.definition(c.cell).is_some_and(|d| d.percent);
            let was_percent = if name == cell { old_percent } else { percent };
            moved.extend(Moved::between(
                name,
                c.old.as_ref().map(|o| (o, was_percent)),
                &c.new,
                percent,
            ));
        }
        Ok(moved)
    }

    /// Sets or removes the overlay entry of `name`, keeping its place in the list.
    fn set_edit(&mut self, name: &str, def: Option<Definition>) {
        let at = self.edits.iter().position(|e| e.name == name);
        match (at, def) {
            (Some(i), Some(def)) => {
                if let Some(e) = self.edits.get_mut(i) {
                    e.def = def;
                    e.written = None;
                }
            }
            (Some(i), None) => {
                self.edits.remove(i);
            }
            (None, Some(def)) => self.edits.push(Edit {
                name: name.to_string(),
                def,
                written: None,
            }),
            (None, None) => {}
        }
    }

    /// Brings the workbook in line with the overlay after `names` changed in it:
    /// incrementally for one cell that keeps a definition, else by rebuilding.
    fn sync(&mut self, names: &[String]) -> Result<Outcome, SessionError> {
        if let [name] = names {
            let target = match self.edit(name) {
                Some(e) => Some(e.def.clone()),
                None => self.base_definition(name),
            };
            let part_of_series = split_name(name).is_ok_and(|(_, part)| part.is_some());
            if target.is_some() || part_of_series {
                if let Ok(moved) = self.redefine(name, target) {
                    return Ok(Outcome {
                        moved,
                        ..Outcome::default()
                    });
                }
            }
        }
        self.rebuild()
    }

    /// Recomputes everything from the file, the scenario and the overlay.
    fn rebuild(&mut self) -> Result<Outcome, SessionError> {
        self.keep_file()?;
        let (book, dropped) = build(self.file()?, &self.scenario, &self.edits);
        let mut notes = Vec::new();
        let mut gone: Vec<usize> = dropped.iter().map(|(i, _)| *i).collect();
        for (i, reason) in &dropped {
            if let Some(e) = self.edits.get(*i) {
                notes.push(format!(
                    "your change '{} = {}' no longer applies: {reason}",
                    e.name,
                    formula_of(&e.def)
                ));
            }
        }
        gone.sort_unstable_by(|a, b| b.cmp(a));
        for i in gone {
            if i < self.edits.len() {
                self.edits.remove(i);
            }
        }
        let moved = moved_between(&self.book, &book);
        self.book = book;
        Ok(Outcome {
            moved,
            notes,
            ..Outcome::default()
        })
    }
}

/// A definition's formula as written in a file: `data_center / margin`, `x / y as %`.
pub fn formula_of(def: &Definition) -> String {
    def.written()
}

/// The definition of `name` (a cell, or a part of a series: `capex[2025]`)
/// in `file` under `scenario`, without any session change.
fn base_definition_in(file: &Model, scenario: &str, name: &str) -> Option<Definition> {
    let (cell, part) = split_name(name).ok()?;
    let slot = slot_of(part.as_ref());
    let id = file.defined(cell)?;
    let own = file.slot(id, slot);
    let over = file
        .scenario(scenario)
        .and_then(|s| s.overrides.iter().find(|o| o.cell == id && o.slot == slot));
    match over {
        Some(o) => {
            let mut def = o.def.clone();
            def.doc = own.and_then(|d| d.doc.clone());
            Some(def)
        }
        None => own.cloned(),
    }
}

/// The workbook of `file` under `scenario` with `edits` laid on top. Edits are
/// applied in passes until none more can be (one may read a cell another
/// defines, or break a cycle another would close); those left over are
/// returned with the reason they were refused.
fn build(file: &Model, scenario: &str, edits: &[Edit]) -> (Workbook, Vec<(usize, String)>) {
    let base = file.with_scenario(scenario).unwrap_or_else(|| file.clone());
    let mut book = Workbook::new(base);
    let mut pending: Vec<usize> = (0..edits.len()).collect();
    let mut reasons: HashMap<usize, String> = HashMap::new();
    loop {
        let mut next = Vec::new();
        for &i in &pending {
            let Some(e) = edits.get(i) else { continue };
            let mut def = e.def.clone();
            def.doc = book
                .model()
                .definition_by_key(&e.name)
                .and_then(|d| d.doc.clone());
            let applied = match split_name(&e.name) {
                Ok((cell, part)) => {
                    let axis = match &part {
                        Some(crate::syntax::ast::Part::Rule { axis }) => Some(axis.to_string()),
                        _ => None,
                    };
                    book.redefine_slot(cell, slot_of(part.as_ref()), axis.as_deref(), def)
                }
                Err(e) => Err(Refusal::Series(e)),
            };
            match applied {
                Ok(_) => {
                    reasons.remove(&i);
                }
                Err(r) => {
                    reasons.insert(i, r.to_string());
                    next.push(i);
                }
            }
        }
        let progress = next.len() < pending.len();
        pending = next;
        if pending.is_empty() || !progress {
            break;
        }
    }
    let dropped = pending
        .into_iter()
        .map(|i| (i, reasons.remove(&i).unwrap_or_default()))
        .collect();
    (book, dropped)
}

/// Whether two results read the same (ids inside errors differ between workbooks).
fn same(a: &CellResult, b: &CellResult) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => x == y,
        (Err(x), Err(y)) => x.message == y.message,
        _ => false,
    }
}

/// Every cell whose value differs between two workbooks, matched by name: in
/// the new workbook's dependency order, then the cells that are gone.
fn moved_between(old: &Workbook, new: &Workbook) -> Vec<Moved> {
    let (om, nm) = (old.model(), new.model());
    let mut moved: Vec<(CellId, Moved)> = Vec::new();
    for &id in new.graph().order() {
        // Names read but not defined have no value to move.
        let Some(Cell {
            name,
            def: Some(def),
        }) = nm.cell(id)
        else {
            continue;
        };
        let Some(now) = new.computed(id) else {
            continue;
        };
        let before = om.defined(name).and_then(|o| {
            let percent = om.definition(o).is_some_and(|d| d.percent);
            old.computed(o).map(|v| (v, percent))
        });
        if let Some(m) = Moved::between(name, before, now, def.percent) {
            moved.push((id, m));
        }
    }
    // Dependency order, and file order where dependencies allow (as redefinitions print).
    let ids: Vec<CellId> = moved.iter().map(|(id, _)| *id).collect();
    let order = new.graph().order_subset(&ids, |c| nm.file_position(c));
    let mut by_id: std::collections::HashMap<CellId, Moved> = moved.into_iter().collect();
    let mut moved: Vec<Moved> = order.iter().filter_map(|id| by_id.remove(id)).collect();
    for (id, name, def) in om.defined_cells() {
        if nm.defined(name).is_none() {
            if let Some(was) = old.computed(id) {
                moved.push(Moved::value(name, Some(summary(was, def.percent)), None));
            }
        }
    }
    moved
}

/// A file that would not load, in one message: the headline, then each error's place.
fn load_error_text(e: &LoadError) -> String {
    let mut text = format!("{e}; the session keeps the model as it was");
    for place in e.places() {
        text.push_str(&format!("\n  {place}"));
    }
    text
}

#[cfg(test)]
mod tests;
