//! A model: the named cells of a `.model` file, their formulas and scenarios.
//!
//! Built from the parsed statements; names are interned into dense
//! [`CellId`]s so that the graph and the evaluator work on vectors. A name
//! that is referred to but never defined still gets an id (with no
//! definition), so that defining it later, in the REPL, brings its readers
//! to life.

mod build;
mod error;
mod scenario;

use rustc_hash::FxHashMap as HashMap;

use crate::internal::InternalError;
use crate::suggest::{Looked, Unknown};
use crate::syntax::ast::Name;
use crate::syntax::{parse_expression, CellDef, CellId, Expr, Span, SyntaxError};

pub use build::{load_file, text_of, LoadError};
pub use error::ModelError;
pub use scenario::{Override, Scenario};

/// Up to this many defined names, every one is a did-you-mean candidate.
pub const SUGGEST_ALL: usize = 2_000;

/// In a larger model, how many names of about the right length and first
/// letter are scored for one did-you-mean.
const SUGGEST_NEAR: usize = 300;

/// How [`Model::suggest`] buckets names in a large model: the first letter
/// (lower-cased) and the length in characters.
fn suggest_key(name: &str) -> (char, usize) {
    let first = name.chars().next().unwrap_or(' ');
    (
        first.to_lowercase().next().unwrap_or(first),
        name.chars().count(),
    )
}

/// Finds a cell id by name without storing the name a second time.
#[derive(Clone, Debug, Default)]
struct NameIndex {
    table: hashbrown::HashTable<CellId>,
}

impl NameIndex {
    fn find(&self, cells: &[Cell], name: &str) -> Option<CellId> {
        self.find_hashed(cells, name, name_hash(name))
    }

    fn find_hashed(&self, cells: &[Cell], name: &str, hash: u64) -> Option<CellId> {
        self.table
            .find(hash, |&id| {
                cells.get(id.index()).is_some_and(|c| &*c.name == name)
            })
            .copied()
    }
}

/// A hash of a whole text, to tell whether a file still holds it.
pub fn text_hash(text: &str) -> u64 {
    name_hash(text)
}

pub(crate) fn name_hash(name: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(name)
}

/// A formula given to a cell, and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    /// The formula, with references resolved to cells.
    pub expr: Expr,
    /// Shown as a percentage (docs/language.md#display).
    pub percent: bool,
    /// Marked `as %` explicitly.
    pub as_percent: bool,
    /// The formula holds a distribution (`a to b`, ...): the cell is
    /// uncertain, and so is every cell that reads it.
    pub draws: bool,
    /// 1-based line in the file; 0 for cells defined outside a file (REPL, `--set`).
    pub line: u32,
    /// The whole definition's span in the source it came from.
    pub span: Span,
    /// The `##` doc text directly above (a `Box<str>`, not a `String`: a
    /// word less in every definition of a million-cell model).
    pub doc: Option<Box<str>>,
}

impl Definition {
    /// A definition from parsed text; `line` 0 means "not from the file".
    pub fn from_cell_def(def: CellDef, line: u32, doc: Option<Box<str>>) -> Definition {
        let percent = def.shows_percent();
        let draws = def.draws;
        Definition {
            expr: def.expr,
            percent,
            as_percent: def.as_percent,
            draws,
            line,
            span: def.span,
            doc,
        }
    }

    /// A formula given outside a file (a program, the REPL, `--set`): `40%`,
    /// `gpu_spend * 2`, `a / b as %`. Names in it are resolved when it is
    /// given to a model ([`Model::define`], [`crate::eval::Workbook::redefine`]).
    pub fn parse(formula: &str) -> Result<Definition, SyntaxError> {
        let (mut expr, as_percent) = parse_expression(formula)?;
        let draws = expr.number_distributions() > 0;
        Ok(Definition {
            percent: as_percent || expr.is_percent_literal(),
            expr,
            as_percent,
            draws,
            line: 0,
            span: Span::default(),
            doc: None,
        })
    }

    /// Reads no other cell: an input (assumption).
    pub fn is_input(&self) -> bool {
        self.expr.is_constant()
    }
}

/// A name in the model and, if it is defined, its formula.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// The full dotted name.
    pub name: Box<str>,
    /// `None` for a name that is read but never defined. Boxed so that the
    /// table of a million cells stays small, and so that a big file's
    /// definitions are built by the threads that parse it.
    pub def: Option<Box<Definition>>,
}

/// The cells and scenarios of one model file.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// The file's path as given (for diagnostics).
    pub path: String,
    /// The file's text, for diagnostics and for saving.
    pub source: String,
    cells: Vec<Cell>,
    /// Cell ids by name; the names themselves live in `cells` (stored once).
    index: NameIndex,
    /// Defined cells in file order (cells defined later are appended).
    order: Vec<CellId>,
    /// Each cell's index in `order` (`u32::MAX` while undefined).
    file_position: Vec<u32>,
    /// Each group prefix (`revenue`) and its defined members in file order.
    groups: HashMap<Box<str>, Vec<CellId>>,
    /// The scenarios, in file order.
    pub scenarios: Vec<Scenario>,
    /// How many definitions hold a distribution.
    distributions: usize,
    /// Defined cells by [`suggest_key`], built on the first did-you-mean in a
    /// large model and dropped whenever a cell is added.
    suggest_index: std::sync::OnceLock<HashMap<(char, usize), Vec<CellId>>>,
}

impl Model {
    /// An empty model, for building one up in code or in the REPL.
    pub fn new(path: impl Into<String>, source: impl Into<String>) -> Model {
        Model {
            path: path.into(),
            source: source.into(),
            ..Model::default()
        }
    }

    /// Makes room for about `cells` more cells, so that a big file does not
    /// grow (and copy) its tables a dozen times while loading.
    pub fn reserve(&mut self, cells: usize) {
        self.cells.reserve(cells);
        let cells_now = &self.cells;
        self.index.table.reserve(cells, |&id| {
            name_hash(cells_now.get(id.index()).map_or("", |c| &c.name))
        });
        self.order.reserve(cells);
    }

    /// Every cell id, defined or not (the graph's nodes).
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// Whether there are no names at all.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The cell with this id.
    pub fn cell(&self, id: CellId) -> Option<&Cell> {
        self.cells.get(id.index())
    }

    /// The cell's name. An id that is not a cell of this model (kept from
    /// another model, or never resolved) is premise's bug, not the analyst's:
    /// it is an [`InternalError`], never a made-up name.
    pub fn name(&self, id: CellId) -> Result<&str, InternalError> {
        self.cell(id)
            .map(|c| &*c.name)
            .ok_or_else(|| InternalError::foreign_cell(id))
    }

    /// Every defined cell's id, name and definition, in file order: what a
    /// listing shows, none of it missing (the order holds only this model's
    /// defined cells, and cells are never removed).
    pub fn defined_cells(&self) -> impl Iterator<Item = (CellId, &str, &Definition)> + '_ {
        self.order.iter().filter_map(|&id| {
            let cell = self.cells.get(id.index())?;
            Some((id, &*cell.name, cell.def.as_deref()?))
        })
    }

    /// The definition of a cell, if it has one.
    pub fn definition(&self, id: CellId) -> Option<&Definition> {
        self.cell(id).and_then(|c| c.def.as_deref())
    }

    /// The id of a name, defined or merely referred to.
    pub fn lookup(&self, name: &str) -> Option<CellId> {
        self.index.find(&self.cells, name)
    }

    /// The id of a defined cell.
    pub fn defined(&self, name: &str) -> Option<CellId> {
        self.lookup(name)
            .filter(|&id| self.definition(id).is_some())
    }

    /// Where a cell stands in file order (`u32::MAX` if it is not defined).
    pub fn file_position(&self, id: CellId) -> u32 {
        self.file_position
            .get(id.index())
            .copied()
            .unwrap_or(u32::MAX)
    }

    /// Whether any formula holds a distribution: the model is uncertain.
    pub fn has_distributions(&self) -> bool {
        self.distributions > 0
    }

    /// Defined cells in file order.
    pub fn cells_in_order(&self) -> &[CellId] {
        &self.order
    }

    /// Defined cells that read no other cell, in file order.
    pub fn inputs(&self) -> impl Iterator<Item = CellId> + '_ {
        self.order
            .iter()
            .copied()
            .filter(|&id| self.definition(id).is_some_and(Definition::is_input))
    }

    /// The defined members of `prefix.*`, in file order (empty if none).
    pub fn group(&self, prefix: &str) -> &[CellId] {
        self.groups.get(prefix).map_or(&[], Vec::as_slice)
    }

    /// Every group prefix that has members (`revenue` for `revenue.*`), in no
    /// particular order: what an editor offers after a name and a dot.
    pub fn group_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.groups.keys().map(|k| &**k)
    }

    /// The names of all defined cells, for did-you-mean.
    pub fn defined_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.defined_cells().map(|(_, name, _)| name)
    }

    /// The closest defined name to `wrong`.
    ///
    /// In a model of more than [`SUGGEST_ALL`] cells only names that start
    /// with the same letter and are about as long (within 3 characters) are
    /// scored, the closest lengths first, at most 300 of them: a model of
    /// 100,000 cells with thousands of unknown names must not take minutes
    /// to say so.
    pub fn suggest(&self, wrong: &str) -> Option<&str> {
        if self.order.len() <= SUGGEST_ALL {
            return crate::suggest::did_you_mean(wrong, self.defined_names());
        }
        let index = self.suggest_index.get_or_init(|| {
            let mut index: HashMap<(char, usize), Vec<CellId>> = HashMap::default();
            for (id, name, _) in self.defined_cells() {
                index.entry(suggest_key(name)).or_default().push(id);
            }
            index
        });
        let (first, len) = suggest_key(wrong);
        // Closest lengths first: len, len - 1, len + 1, len - 2, ...
        let lengths = (0..=3usize).flat_map(|d| [len.checked_sub(d), Some(len + d)]);
        let near = lengths
            .flatten()
            .enumerate()
            .filter(|&(i, _)| i != 1) // len - 0 and len + 0 are one length
            .filter_map(|(_, l)| index.get(&(first, l)))
            .flatten()
            .take(SUGGEST_NEAR)
            .filter_map(|&id| self.cell(id))
            .map(|c| &*c.name);
        crate::suggest::did_you_mean(wrong, near)
    }

    /// `name`, read by a formula, is not a cell: `unknown name 'x' (did you mean 'y'?)`.
    pub fn unknown_name(&self, name: &str) -> Unknown {
        Unknown::new(Looked::Name, name, self.suggest(name))
    }

    /// `name`, asked for from outside a formula, is not a cell of this model:
    /// `no cell named 'x' in FILE (did you mean 'y'?)`.
    pub fn unknown_cell(&self, name: &str) -> Unknown {
        Unknown::new(Looked::Cell, name, self.suggest(name)).within(&self.path)
    }

    /// `name` is not a scenario of this model: the closest is suggested, or
    /// the scenarios are listed.
    pub fn unknown_scenario(&self, name: &str) -> Unknown {
        let known = self.scenario_names();
        let mut e =
            Unknown::among(Looked::Scenario, name, known.iter().copied()).within(&self.path);
        if e.suggestion.is_none() {
            e.known = known.iter().map(|s| s.to_string()).collect();
        }
        e
    }

    /// A scenario by name.
    pub fn scenario(&self, name: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| &*s.name == name)
    }

    /// The id for `name`, creating an undefined entry if it is new.
    pub fn intern(&mut self, name: &str) -> CellId {
        let hash = name_hash(name);
        match self.index.find_hashed(&self.cells, name, hash) {
            Some(id) => id,
            None => self.add_name(name.into(), hash),
        }
    }

    /// [`Model::intern`] for a name already on the heap: kept, not copied.
    pub fn intern_owned(&mut self, name: Box<str>) -> CellId {
        let hash = name_hash(&name);
        match self.index.find_hashed(&self.cells, &name, hash) {
            Some(id) => id,
            None => self.add_name(name, hash),
        }
    }

    fn add_name(&mut self, name: Box<str>, hash: u64) -> CellId {
        let id = CellId(u32::try_from(self.cells.len()).unwrap_or(u32::MAX - 1));
        self.cells.push(Cell { name, def: None });
        let cells = &self.cells;
        self.index.table.insert_unique(hash, id, |&c| {
            name_hash(cells.get(c.index()).map_or("", |c| &c.name))
        });
        id
    }

    /// Points every reference in `expr` at its cell, interning new names.
    pub fn resolve(&mut self, expr: &mut Expr) {
        expr.visit_refs_mut(&mut |name, id| *id = self.intern(name));
    }

    /// Gives `name` a formula, defining it if new (appended to the file order).
    /// The formula's references are resolved here. Returns the cell's id.
    pub fn define(&mut self, name: &str, def: Definition) -> CellId {
        self.define_boxed(name, Box::new(def))
    }

    /// [`Model::define`] for a definition already on the heap.
    pub fn define_boxed(&mut self, name: &str, mut def: Box<Definition>) -> CellId {
        self.resolve(&mut def.expr);
        let id = self.intern(name);
        self.set_definition(id, def);
        id
    }

    /// Defines a name that must not be defined yet, as loading a file does a
    /// million times: the name's box is kept and `hash` is its
    /// [`name_hash`], worked out by the parsing threads. When the name is
    /// already defined, nothing changes and its id comes back as the error.
    pub(crate) fn define_new(
        &mut self,
        name: Box<str>,
        hash: u64,
        mut def: Box<Definition>,
    ) -> Result<CellId, CellId> {
        let found = self.index.find_hashed(&self.cells, &name, hash);
        if let Some(id) = found.filter(|&id| self.definition(id).is_some()) {
            return Err(id);
        }
        let names_before = self.cells.len();
        self.resolve(&mut def.expr);
        let id = match found {
            Some(id) => id,
            // The formula may have named the cell itself, adding it just now.
            None if self.cells.len() != names_before => self.intern_owned(name),
            None => self.add_name(name, hash),
        };
        self.set_definition(id, def);
        Ok(id)
    }

    /// Gives the cell `id` its formula. Every caller has the id from this
    /// model (interned, looked up, or one of its scenarios' overrides), and
    /// cells are never removed, so the cell is always there.
    fn set_definition(&mut self, id: CellId, def: Box<Definition>) {
        let Some(cell) = self.cells.get_mut(id.index()) else {
            return;
        };
        let newly_defined = cell.def.is_none();
        let draws_before = cell.def.as_ref().is_some_and(|d| d.draws);
        if def.draws != draws_before {
            if def.draws {
                self.distributions += 1;
            } else {
                self.distributions = self.distributions.saturating_sub(1);
            }
        }
        cell.def = Some(def);
        if !newly_defined {
            return;
        }
        self.suggest_index.take();
        if self.file_position.len() <= id.index() {
            self.file_position.resize(id.index() + 1, u32::MAX);
        }
        if let Some(p) = self.file_position.get_mut(id.index()) {
            *p = u32::try_from(self.order.len()).unwrap_or(u32::MAX);
        }
        self.order.push(id);
        // A member of every group its dotted name falls in: `a.b.c` of `a` and `a.b`.
        let name = &cell.name;
        for (end, _) in name.bytes().enumerate().filter(|&(_, b)| b == b'.') {
            if let Some(prefix) = name.get(..end) {
                match self.groups.get_mut(prefix) {
                    Some(members) => members.push(id),
                    None => {
                        self.groups.insert(prefix.into(), vec![id]);
                    }
                }
            }
        }
    }

    /// The cells a formula reads: its references and the members of its groups.
    pub fn reads(&self, expr: &Expr) -> Vec<CellId> {
        let mut out = Vec::new();
        self.reads_into(expr, &mut out);
        out
    }

    /// [`Model::reads`] into a buffer the caller reuses across cells.
    pub fn reads_into(&self, expr: &Expr, out: &mut Vec<CellId>) {
        expr.visit_names(|n| match n {
            Name::Cell(r) => out.push(r.id),
            Name::Group(g) => out.extend_from_slice(self.group(g)),
        });
    }

    /// The cells a defined cell reads (empty for an undefined one).
    pub fn deps(&self, id: CellId) -> Vec<CellId> {
        self.definition(id)
            .map_or_else(Vec::new, |d| self.reads(&d.expr))
    }

    /// This model with a scenario's overrides applied, or `None` for an unknown scenario.
    /// `base` is the model itself.
    pub fn with_scenario(&self, name: &str) -> Option<Model> {
        if name == "base" {
            return Some(self.clone());
        }
        let scenario = self.scenario(name)?;
        let mut model = self.clone();
        for o in &scenario.overrides {
            let doc = self.definition(o.cell).and_then(|d| d.doc.clone());
            let mut def = Box::new(o.def.clone());
            def.doc = doc;
            // By id: the builder resolved the override's cell in this model.
            model.resolve(&mut def.expr);
            model.set_definition(o.cell, def);
        }
        Some(model)
    }

    /// The names of all scenarios, `base` first.
    pub fn scenario_names(&self) -> Vec<&str> {
        std::iter::once("base")
            .chain(self.scenarios.iter().map(|s| &*s.name))
            .collect()
    }
}
