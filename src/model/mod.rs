//! A model: the named cells of a `.model` file, their formulas and scenarios.
//!
//! Built from the parsed statements; names are interned into dense
//! [`CellId`]s so that the graph and the evaluator work on vectors. A name
//! that is referred to but never defined still gets an id (with no
//! definition), so that defining it later, in the REPL, brings its readers
//! to life.

mod address;
mod assertion;
mod build;
mod error;
mod expand;
mod import;
mod load;
mod scenario;
mod series;
mod units;

use rustc_hash::FxHashMap as HashMap;

use crate::internal::InternalError;
use crate::source::{FileId, SourceFile, SourceTexts};
use crate::suggest::{Looked, Unknown};
use crate::syntax::ast::{Hint, Name};
use crate::syntax::{parse_expression, CellDef, CellId, Expr, Span, SyntaxError};
use crate::value::Unit;

pub use address::{split_name, Address, AddressError};
pub use assertion::Assertion;
pub use build::{text_of, LoadError};
pub use error::{ModelError, SeriesProblem};
pub use import::{joined, normal, FileSystem, Found, Import, ReadError, Reader};
pub use load::load_file;
pub use scenario::{Override, Scenario};
pub use series::{slot_of, Axis, AxisId, Pin, SeriesDef, Slot, MAX_PERIODS};
pub use units::{slips, Declared, Slip, Units};

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
///
/// Kept within 64 bytes (a test pins it): a million-cell model holds a
/// million of them, and the rare parts (a display hint, doc text) are one
/// pointer each.
#[derive(Clone, Debug, PartialEq)]
pub struct Definition {
    /// The formula, with references resolved to cells.
    pub expr: Expr,
    /// `as %` or `as [UNIT]` at its end (docs/language.md#display).
    pub hint: Option<Box<Hint>>,
    /// Shown as a percentage: `as %`, or a single percent literal.
    pub percent: bool,
    /// The formula holds a distribution (`a to b`, ...): the cell is
    /// uncertain, and so is every cell that reads it.
    pub draws: bool,
    /// 1-based line in the file; 0 for cells defined outside a file (REPL, `--set`).
    pub line: u32,
    /// The file it was written in: the model's own, or an imported one
    /// (an import's override is written in the importing file).
    pub file: FileId,
    /// The whole definition's span in the source it came from.
    pub span: Span,
    /// The `##` doc text directly above.
    pub doc: Option<Doc>,
}

/// The `##` doc text of a cell, one pointer wide: most cells have none,
/// and every definition of a million-cell model pays for the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc(Box<Box<str>>);

impl std::ops::Deref for Doc {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<Box<str>> for Doc {
    fn from(text: Box<str>) -> Doc {
        Doc(Box::new(text))
    }
}

impl std::fmt::Display for Doc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl Definition {
    /// A definition from parsed text; `line` 0 means "not from the file".
    #[inline(always)]
    pub fn from_cell_def(def: CellDef, line: u32, doc: Option<Box<str>>) -> Definition {
        let percent = def.shows_percent();
        let draws = def.draws;
        Definition {
            expr: def.expr,
            hint: def.hint,
            percent,
            draws,
            line,
            file: FileId::ROOT,
            span: def.span,
            doc: doc.map(Doc::from),
        }
    }

    /// A formula given outside a file (a program, the REPL, `--set`): `40%`,
    /// `gpu_spend * 2`, `a / b as %`. Names in it are resolved when it is
    /// given to a model ([`Model::define`], [`crate::eval::Workbook::redefine`]).
    pub fn parse(formula: &str) -> Result<Definition, SyntaxError> {
        let (mut expr, hint) = parse_expression(formula)?;
        let draws = expr.number_distributions() > 0;
        Ok(Definition {
            percent: hint == Some(Hint::Percent) || expr.is_percent_literal(),
            expr,
            hint: hint.map(Box::new),
            draws,
            line: 0,
            file: FileId::ROOT,
            span: Span::default(),
            doc: None,
        })
    }

    /// Marked `as %` explicitly.
    pub fn as_percent(&self) -> bool {
        matches!(self.hint.as_deref(), Some(Hint::Percent))
    }

    /// The unit an `as [UNIT]` at its end converts the cell to.
    pub fn as_unit(&self) -> Option<&Unit> {
        match self.hint.as_deref() {
            Some(Hint::Unit { unit, .. }) => Some(unit),
            _ => None,
        }
    }

    /// The formula as a file writes it, with its hint: `data_center /
    /// margin`, `x / y as %`, `power * 8 [h] as [MWh]`.
    pub fn written(&self) -> String {
        crate::syntax::print::written_with(&self.expr, self.hint.as_deref())
    }

    /// The formula as commands show it beside the value: with an `as
    /// [UNIT]`, which converts the value, but not an `as %`, which only
    /// shows it (and the value says so).
    pub fn formula(&self) -> String {
        let unit = self.hint.as_deref().filter(|h| **h != Hint::Percent);
        crate::syntax::print::written_with(&self.expr, unit)
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

impl SourceTexts for Model {
    fn path(&self, file: FileId) -> &str {
        self.file_path(file)
    }

    fn text(&self, file: FileId) -> &str {
        self.file_text(file)
    }
}

/// The cells and scenarios of one model file.
#[derive(Clone, Debug, Default)]
pub struct Model {
    /// The file's path as given (for diagnostics).
    pub path: String,
    /// The file's text, for diagnostics and for saving.
    pub source: String,
    /// The files it imports, directly or not: [`FileId`] `n` is `imported[n - 1]`.
    imported: Vec<SourceFile>,
    /// The file's own `import` statements, in file order.
    pub imports: Vec<Import>,
    /// Every `assert` of the model and of the files it imports, in the order read.
    pub assertions: Vec<Assertion>,
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
    /// The axes, in file order (docs/language.md#axes-and-series).
    axes: Vec<series::Axis>,
    /// The cells defined period by period, with their axis and pins; empty
    /// in a model without series, and sparse in one with them.
    series: HashMap<CellId, series::SeriesDef>,
    /// The units the file declares.
    pub units: Units,
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

    /// The path of one of the model's files, as messages show it.
    pub fn file_path(&self, file: FileId) -> &str {
        match file.index().checked_sub(1) {
            None => &self.path,
            Some(i) => self.imported.get(i).map_or("", |f| &f.path),
        }
    }

    /// The text of one of the model's files.
    pub fn file_text(&self, file: FileId) -> &str {
        match file.index().checked_sub(1) {
            None => &self.source,
            Some(i) => self.imported.get(i).map_or("", |f| &f.text),
        }
    }

    /// The imported files, in the order they were first read (file `n` is the `n`-th).
    pub fn imported_files(&self) -> &[SourceFile] {
        &self.imported
    }

    /// Adds an imported file and returns its id; `None` past [`FileId::MAX_FILES`].
    pub(crate) fn add_file(&mut self, file: SourceFile) -> Option<FileId> {
        let id = u16::try_from(self.imported.len() + 1).ok()?;
        self.imported.push(file);
        Some(FileId(id))
    }

    /// The import a qualified name falls under (`site` for `site.pue`), when
    /// its first segment is the alias of one of the file's own imports.
    pub fn import_of(&self, name: &str) -> Option<&Import> {
        if self.imports.is_empty() {
            return None;
        }
        let (first, _) = name.split_once('.')?;
        self.imports.iter().find(|i| &*i.alias == first)
    }

    /// The model's own import through which `file` was first reached (the
    /// import itself, or the one whose file imports it, and so on): where
    /// an editor shows a problem of that file.
    pub fn import_leading_to(&self, file: FileId) -> Option<&Import> {
        let source = self.imported.get(file.index().checked_sub(1)?)?;
        let first = source
            .imported_as
            .split('.')
            .next()
            .unwrap_or(&source.imported_as);
        self.imports.iter().find(|i| &*i.alias == first)
    }

    /// A problem of an imported file as a front end that shows only the
    /// model's own file shows it (an editor): at the import that reads that
    /// file, its message starting with the file and line
    /// (`dc_power.model:3:5: ...`). A problem of the model's own file is
    /// returned as it is.
    pub fn at_import(&self, d: crate::diagnostic::Diagnostic) -> crate::diagnostic::Diagnostic {
        if d.file.is_root() {
            return d;
        }
        let text = self.file_text(d.file);
        let (line, col) = crate::diagnostic::LineIndex::new(text).locate(text, d.span.start());
        let span = self
            .import_leading_to(d.file)
            .map_or(Span::default(), |i| i.span);
        crate::diagnostic::Diagnostic {
            message: format!("{}:{line}:{col}: {}", self.file_path(d.file), d.message),
            span,
            label: format!("in {}", self.file_path(d.file)),
            related: Vec::new(),
            file: FileId::ROOT,
            ..d
        }
    }

    /// Whether a cell comes from an imported file (`site.pue`), rather than
    /// being one of the model's own: `eval` lists only the model's own.
    pub fn is_imported(&self, id: CellId) -> bool {
        !self.imports.is_empty() && self.name(id).is_ok_and(|n| self.import_of(n).is_some())
    }

    /// The model's own defined cells (not the imported ones) with their
    /// names and definitions, in file order: what `eval` and `show` list.
    pub fn own_cells(&self) -> impl Iterator<Item = (CellId, &str, &Definition)> + '_ {
        self.defined_cells()
            .filter(|&(_, name, _)| self.import_of(name).is_none())
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

    /// Defined cells that read no other cell, in file order (a series
    /// counts when none of its formulas reads a name).
    pub fn inputs(&self) -> impl Iterator<Item = CellId> + '_ {
        self.order.iter().copied().filter(|&id| self.is_input(id))
    }

    /// Whether a defined cell reads no other cell: an input (assumption).
    pub fn is_input(&self, id: CellId) -> bool {
        if self.series.is_empty() {
            return self.definition(id).is_some_and(Definition::is_input);
        }
        self.definition(id).is_some() && self.formulas(id).all(Definition::is_input)
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

    /// The closest name to `wrong` among the cells under `prefix` (the copy
    /// of an imported file, `site.`), without the prefix: a did-you-mean
    /// about that file.
    pub fn suggest_within(&self, prefix: &str, wrong: &str) -> Option<String> {
        let names = self
            .defined_names()
            .filter_map(|n| n.strip_prefix(prefix))
            .filter(|n| !n.is_empty());
        crate::suggest::did_you_mean(wrong, names).map(str::to_string)
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

    /// Points every reference in `expr` at its cell, interning new names,
    /// and gives its units the meaning the model declares for them.
    pub fn resolve(&mut self, expr: &mut Expr) {
        expr.visit_refs_mut(&mut |name, id| *id = self.intern(name));
        self.units.resolve_expr(expr);
    }

    /// [`Model::resolve`] for a whole definition, its `as [UNIT]` included.
    pub fn resolve_definition(&mut self, def: &mut Definition) {
        self.resolve(&mut def.expr);
        if let Some(Hint::Unit { unit, .. }) = def.hint.as_deref_mut() {
            *unit = self.units.resolve(unit);
        }
    }

    /// Gives every formula's units the meaning the model declares, once the
    /// whole file (declarations included) is read.
    pub(crate) fn resolve_declared_units(&mut self) {
        if self.units.is_empty() {
            return;
        }
        let units = &self.units;
        for cell in &mut self.cells {
            if let Some(def) = cell.def.as_deref_mut() {
                units.resolve_expr(&mut def.expr);
                if let Some(Hint::Unit { unit, .. }) = def.hint.as_deref_mut() {
                    *unit = units.resolve(unit);
                }
            }
        }
    }

    /// Gives `name` a formula, defining it if new (appended to the file order).
    /// The formula's references are resolved here. Returns the cell's id.
    pub fn define(&mut self, name: &str, def: Definition) -> CellId {
        self.define_boxed(name, Box::new(def))
    }

    /// [`Model::define`] for a definition already on the heap. A series
    /// given a whole formula is one no more: its rule and pins go.
    pub fn define_boxed(&mut self, name: &str, mut def: Box<Definition>) -> CellId {
        self.resolve_definition(&mut def);
        let id = self.intern(name);
        self.set_definition(id, def);
        if !self.series.is_empty() {
            self.series.remove(&id);
        }
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
        self.resolve_definition(&mut def);
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

    /// The cells a defined cell reads (empty for an undefined one); a
    /// series reads what its rule and its pins read.
    pub fn deps(&self, id: CellId) -> Vec<CellId> {
        let mut out = Vec::new();
        self.deps_into(id, &mut out);
        out
    }

    /// [`Model::deps`] into a buffer the caller reuses across cells.
    #[inline]
    pub fn deps_into(&self, id: CellId, out: &mut Vec<CellId>) {
        if self.series.is_empty() {
            if let Some(def) = self.definition(id) {
                self.reads_into(&def.expr, out);
            }
            return;
        }
        for def in self.formulas(id) {
            self.reads_into(&def.expr, out);
        }
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
            let doc = self.slot(o.cell, o.slot).and_then(|d| d.doc.clone());
            let mut def = o.def.clone();
            def.doc = doc;
            // By id: the builder resolved the override's cell in this model.
            let axis = self.series(o.cell).map_or(AxisId(0), |s| s.axis);
            model.define_slot_at(o.cell, o.slot, axis, def);
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
