//! From statements to a [`Model`]: the encoding check, the statements of
//! one copy of a file gathered into the model, and the checks that need the
//! whole file (duplicates, scenarios, aliases).

use std::collections::HashMap;

use super::assertion::Assertion;
use super::{
    AxisId, Cell, Definition, Model, ModelError, Override, Scenario, SeriesProblem, Slot,
    MAX_PERIODS,
};
use crate::diagnostic::LineIndex;
use crate::file::FileError;
use crate::source::FileId;
use crate::syntax::ast::Part;
use crate::syntax::CellId;
use crate::syntax::{AssertDef, Block, ImportDef, Located, Span, Statement, SyntaxError};

/// Why a model file could not be loaded. Its message is the headline
/// (`m.model has 2 errors`); [`LoadError::places`] and
/// [`LoadError::first_problem`] say more, for front ends that cannot draw
/// diagnostics.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read (missing, a directory, no permission): exit 2.
    #[error(transparent)]
    Io(FileError),
    /// The file is not UTF-8 text, or contains NUL bytes: exit 1.
    #[error("{path}:{line}:{column}: {message}")]
    NotText {
        /// The path as given.
        path: String,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column (in characters) of the first bad byte.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// The text has errors: exit 1. The model keeps the source for diagnostics.
    #[error("{} has {} error{}", model.path, errors.len(), if errors.len() == 1 { "" } else { "s" })]
    Invalid {
        /// The path and text, for rendering the errors.
        model: Box<Model>,
        /// Every problem found, in file order.
        errors: Vec<ModelError>,
    },
}

impl LoadError {
    /// Each error of an invalid model on a line of its own,
    /// `m.model:3:5: message (help)`; nothing for the other failures.
    pub fn places(&self) -> Vec<String> {
        let LoadError::Invalid { model, errors } = self else {
            return Vec::new();
        };
        let index = LineIndex::new(&model.source);
        errors
            .iter()
            .map(|e| {
                let (line, col) = index.locate(&model.source, e.span().start());
                format!("{}:{line}:{col}: {}", model.path, e.diagnostic())
            })
            .collect()
    }

    /// The first problem in a few words, `line 3: message`, where the
    /// headline alone would not say what is wrong.
    pub fn first_problem(&self) -> String {
        match self {
            LoadError::Io(e) => e.to_string(),
            LoadError::NotText { line, message, .. } => format!("line {line}: {message}"),
            LoadError::Invalid { model, errors } => match errors.first() {
                Some(first) => {
                    let (line, _) =
                        LineIndex::new(&model.source).locate(&model.source, first.span().start());
                    format!("line {line}: {first}")
                }
                None => "errors".to_string(),
            },
        }
    }
}

/// Checks that bytes are model text: UTF-8, without NUL (for text read from
/// elsewhere than a file, such as a git revision).
pub fn text_of(path: &str, mut bytes: Vec<u8>) -> Result<String, LoadError> {
    // Some editors start UTF-8 files with a byte order mark; it is not part of the text.
    if bytes.starts_with("\u{FEFF}".as_bytes()) {
        bytes.drain(..3);
    }
    let position = |at: usize, bytes: &[u8]| {
        let before = bytes.get(..at).unwrap_or(&[]);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(before.get(line_start..).unwrap_or(&[]))
            .chars()
            .count()
            + 1;
        (line, col)
    };
    // `contains` searches bytes many at a time; `position` only when there is one.
    if let Some(at) = bytes
        .contains(&0)
        .then(|| bytes.iter().position(|&b| b == 0))
        .flatten()
    {
        let (line, column) = position(at, &bytes);
        return Err(LoadError::NotText {
            path: path.to_string(),
            line,
            column,
            message: "the file contains a NUL byte: it looks like a binary file, not a model"
                .into(),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, column) = position(at, e.as_bytes());
        LoadError::NotText {
            path: path.to_string(),
            line,
            column,
            message: "the file is not valid UTF-8 text (save it as UTF-8)".into(),
        }
    })
}

/// A parsed statement made ready for the model by a parsing thread: a cell's
/// definition is built (and its memory first touched) there, in parallel.
#[derive(Clone)]
pub(super) enum Prepared {
    Cell {
        name: Box<str>,
        /// The name's hash for the model's index, worked out here.
        hash: u64,
        name_span: Span,
        /// `x[year] = ...` or `x[2024] = ...`: a part of a series.
        part: Option<Part>,
        def: Box<Definition>,
    },
    Other(Located),
}

impl Prepared {
    pub(super) fn of(parsed: Result<Located, SyntaxError>) -> Result<Prepared, SyntaxError> {
        let located = parsed?;
        Ok(match located.statement {
            Statement::Cell(mut def) => Prepared::Cell {
                hash: super::name_hash(&def.name),
                name: std::mem::take(&mut def.name),
                name_span: def.name_span,
                part: def.part.take(),
                def: Box::new(Definition::from_cell_def(def, located.line, located.doc)),
            },
            statement => Prepared::Other(Located {
                statement,
                ..located
            }),
        })
    }
}

/// Puts every name a formula reads under `prefix`: `pue * 2` read in the
/// copy imported as `site` is `site.pue * 2`, and `capex[year - 1]` is
/// `site.capex[year - 1]`. The names of the axes the file declares (`axes`)
/// stay as they are: an axis is the model's, shared by every file that
/// declares it alike. Without recursion: formulas can be long.
pub(super) fn qualify(expr: &mut crate::syntax::Expr, prefix: &str, axes: &[Box<str>]) {
    use crate::syntax::ExprKind;
    if prefix.is_empty() {
        return;
    }
    let mut stack: Vec<&mut crate::syntax::Expr> = vec![expr];
    while let Some(e) = stack.pop() {
        match &mut e.kind {
            ExprKind::Ref { name, .. } if axes.contains(name) => {}
            ExprKind::Ref { name, .. } | ExprKind::Group(name) => {
                *name = format!("{prefix}{name}").into();
            }
            ExprKind::Index(i) => i.name = format!("{prefix}{}", i.name).into(),
            _ => e.for_each_child_mut(|c| stack.push(c)),
        }
    }
}

/// A block's override as written (`pue = 1.4`), checked once the cells it
/// may override are known.
pub(super) struct PendingOverride {
    pub(super) name: Box<str>,
    pub(super) name_span: Span,
    pub(super) def: Box<Definition>,
    pub(super) part: Option<Part>,
}

fn defined_twice(name: &str, name_span: Span, first: &Definition, line: u32) -> ModelError {
    ModelError::DefinedTwice {
        name: name.to_string(),
        at: name_span,
        first: Span::new(first.span.start(), first.span.start() + name.len()),
        first_line: first.line,
        line,
    }
}

pub(super) struct PendingScenario {
    name: Box<str>,
    name_span: Span,
    line: u32,
    doc: Option<Box<str>>,
    overrides: Vec<PendingOverride>,
}

/// An `import` as written in one copy of a file, its block's overrides
/// gathered; read once the file's own statements are all in.
pub(super) struct PendingImport {
    pub(super) def: ImportDef,
    pub(super) line: u32,
    pub(super) span: Span,
    pub(super) overrides: Vec<PendingOverride>,
}

/// A block of overrides that has not seen its `}` yet.
enum Open {
    Scenario(PendingScenario),
    Import(PendingImport),
}

impl Open {
    /// The block in words, for a statement that may not stand inside it.
    fn what(&self) -> &'static str {
        match self {
            Open::Scenario(_) => "a scenario",
            Open::Import(_) => "an import's block",
        }
    }

    /// [`Open::what`] as a label under the offending name.
    fn label(&self) -> &'static str {
        match self {
            Open::Scenario(_) => "inside a scenario",
            Open::Import(_) => "inside an import's block",
        }
    }

    fn overrides(&mut self) -> &mut Vec<PendingOverride> {
        match self {
            Open::Scenario(s) => &mut s.overrides,
            Open::Import(i) => &mut i.overrides,
        }
    }
}

/// What one copy of a file says besides its cells, gathered by [`Builder::close`].
pub(super) struct Gathered {
    /// Its scenarios, unchecked (only the model's own become scenarios).
    pub(super) scenarios: Vec<PendingScenario>,
    /// Its imports, in file order.
    pub(super) imports: Vec<PendingImport>,
    /// Its assertions, names resolved in the model.
    pub(super) assertions: Vec<Assertion>,
    /// Its `unit` statements, declared once every file is read (units are
    /// the model's, not a copy's: `[pod]` is one unit in every file).
    pub(super) units: Vec<super::units::Pending>,
    /// Its series' rules and the axes they name, checked once every axis is known.
    pub(super) rules: Vec<Rule>,
}

/// A series' rule (`capex[year] = ...`) as read: its cell, the axis it
/// names, where, and in which file; the axis is looked up once every file
/// is read.
pub(super) type Rule = (CellId, Box<str>, Span, FileId);

/// Gathers the statements of one copy of a file into the model, in file
/// order: cells are defined at once (under the copy's prefix); scenarios,
/// imports, assertions and units are kept for when every cell is known.
pub(super) struct Builder {
    /// `""` for the model's own file, `site.` for the copy imported as `site`.
    prefix: String,
    /// The file the statements come from.
    file: FileId,
    /// The axes that file declares: their names are not put under the prefix.
    axes: std::rc::Rc<[Box<str>]>,
    open: Option<Open>,
    scenarios: Vec<PendingScenario>,
    imports: Vec<PendingImport>,
    /// Each assertion with its line and span.
    assertions: Vec<(u32, Span, AssertDef)>,
    /// `unit` statements, resolved once the whole file is read.
    units: Vec<super::units::Pending>,
    /// Each series rule's cell and the axis it names, resolved once every
    /// axis is known (an axis may be declared after the rules over it).
    rules: Vec<Rule>,
}

impl Builder {
    /// Gathers the statements of `file` under `prefix`; `axes` are the
    /// names of the axes the file declares.
    pub(super) fn new(prefix: String, file: FileId, axes: std::rc::Rc<[Box<str>]>) -> Builder {
        Builder {
            prefix,
            file,
            axes,
            open: None,
            scenarios: Vec::new(),
            imports: Vec::new(),
            assertions: Vec::new(),
            units: Vec::new(),
            rules: Vec::new(),
        }
    }

    pub(super) fn statement(
        &mut self,
        model: &mut Model,
        prepared: Prepared,
        errors: &mut Vec<ModelError>,
    ) {
        let located = match prepared {
            Prepared::Cell {
                name,
                hash,
                name_span,
                part,
                mut def,
            } => {
                match self.open.as_mut() {
                    Some(block) => {
                        def.doc = None;
                        block.overrides().push(PendingOverride {
                            name,
                            name_span,
                            part,
                            def,
                        });
                    }
                    None if part.is_some() => {
                        def.file = self.file;
                        if self.prefix.is_empty() {
                            self.series_part(model, &name, name_span, part, *def, errors);
                        } else {
                            qualify(&mut def.expr, &self.prefix, &self.axes);
                            let qualified = format!("{}{name}", self.prefix);
                            self.series_part(model, &qualified, name_span, part, *def, errors);
                        }
                    }
                    None => {
                        let line = def.line;
                        def.file = self.file;
                        if self.axes.contains(&name) {
                            // The model's own file has this checked once every axis is known.
                            errors.push(axis_and_cell(&name, line, name_span));
                        }
                        // A copy of an imported file: its names under the alias.
                        let (name, hash) = if self.prefix.is_empty() {
                            (name, hash)
                        } else {
                            qualify(&mut def.expr, &self.prefix, &self.axes);
                            let name: Box<str> = format!("{}{name}", self.prefix).into();
                            let hash = super::name_hash(&name);
                            (name, hash)
                        };
                        match model.define_new(name, hash, def) {
                            Ok(_) => {}
                            // `define_new` refuses only a name already defined.
                            Err(first) => {
                                if let Some(Cell {
                                    name,
                                    def: Some(first_def),
                                }) = model.cell(first)
                                {
                                    let name = name.get(self.prefix.len()..).unwrap_or(name);
                                    errors.push(if model.series(first).is_some() {
                                        series_and_value(name, name_span, first_def, line)
                                    } else {
                                        defined_twice(name, name_span, first_def, line)
                                    });
                                }
                            }
                        }
                    }
                }
                return;
            }
            Prepared::Other(located) => located,
        };
        match located.statement {
            // Prepared::of makes every definition a Prepared::Cell.
            Statement::Cell(_) => {}
            Statement::ScenarioOpen {
                name,
                name_span,
                closed,
            } => {
                self.interrupt(Some((name_span, "the next scenario begins here")), errors);
                let mut s = PendingScenario {
                    name,
                    name_span,
                    line: located.line,
                    doc: located.doc,
                    overrides: Vec::new(),
                };
                match closed {
                    Some(body) => {
                        s.overrides
                            .extend(body.map(|d| override_of(d, located.line)));
                        self.scenarios.push(s);
                    }
                    None => self.open = Some(Open::Scenario(s)),
                }
            }
            Statement::Import(def) => {
                self.interrupt(Some((def.alias_span, "an import begins here")), errors);
                let mut def = *def;
                let block = def.block.take();
                let mut import = PendingImport {
                    def,
                    line: located.line,
                    span: located.span,
                    overrides: Vec::new(),
                };
                match block {
                    None => self.imports.push(import),
                    Some(Block::Closed(body)) => {
                        import
                            .overrides
                            .extend(body.map(|d| override_of(d, located.line)));
                        self.imports.push(import);
                    }
                    Some(Block::Open) => self.open = Some(Open::Import(import)),
                }
            }
            Statement::Assert(def) => {
                let at = def.condition.span;
                self.interrupt(Some((at, "an assertion begins here")), errors);
                self.assertions.push((located.line, located.span, *def));
            }
            Statement::Unit(decl) => {
                if let Some(open) = &self.open {
                    errors.push(ModelError::UnitInScenario {
                        name: decl.name.to_string(),
                        inside: open.what(),
                        at: decl.name_span,
                    });
                } else {
                    self.units.push(super::units::Pending {
                        decl,
                        line: located.line,
                        file: self.file,
                    });
                }
            }
            Statement::BlockClose => match self.open.take() {
                Some(block) => self.end(block),
                None => errors.push(ModelError::NothingToClose { at: located.span }),
            },
            Statement::Axis {
                name,
                name_span,
                first,
                last,
            } => {
                if let Some(open) = &self.open {
                    let inside = open.what();
                    errors.push(problem(
                        format!("axis '{name}' is declared inside {inside}"),
                        name_span,
                        open.label(),
                        Some("declare axes outside scenarios: a scenario can change formulas, not periods".into()),
                    ));
                    return;
                }
                if let Some(e) = axis_bounds(&name, first, last, name_span) {
                    errors.push(e);
                }
                match model.axis_named(&name).and_then(|a| model.axis(a)) {
                    Some(before) if before.file == self.file => {
                        errors.push(ModelError::DefinedTwice {
                            name: name.to_string(),
                            at: name_span,
                            first: before.name_span,
                            first_line: before.line,
                            line: located.line,
                        });
                    }
                    // Declared alike in another file: one axis.
                    Some(before) if (before.first, before.last) == (first, last) => {}
                    Some(before) => errors.push(problem(
                        format!(
                            "axis '{name}' is {first}..{last} here but {}..{} in {}:{}",
                            before.first,
                            before.last,
                            model.file_path(before.file),
                            before.line
                        ),
                        name_span,
                        "declared differently here",
                        Some("an axis means one thing in all the files of a model: declare it alike, or rename one".into()),
                    )),
                    None => {
                        model.add_axis(&name, (first, last), self.file, located.line, name_span);
                    }
                }
            }
        }
    }

    /// `x[year] = ...` or `x[2024] = ...` outside a scenario: a rule or a pin
    /// of a series, checked against what the name already has.
    fn series_part(
        &mut self,
        model: &mut Model,
        name: &str,
        name_span: Span,
        part: Option<Part>,
        def: Definition,
        errors: &mut Vec<ModelError>,
    ) {
        let Some(part) = part else { return };
        let line = def.line;
        if let Some(id) = model.defined(name) {
            // Messages name the cell as its file writes it.
            let name = name.get(self.prefix.len()..).unwrap_or(name);
            let Some(series) = model.series(id) else {
                if let Some(first) = model.definition(id) {
                    errors.push(series_and_value(name, name_span, first, line));
                }
                return;
            };
            let before = match &part {
                Part::Rule { .. } if series.ruled => model.definition(id),
                Part::Rule { .. } => None,
                Part::Pin(label) => series.pin(*label).map(|p| &p.def),
            };
            if let Some(first) = before {
                errors.push(defined_twice(
                    &format!("{name}[{part}]"),
                    name_span,
                    first,
                    line,
                ));
                return;
            }
        }
        // The axis is known once the whole file is read.
        let unknown = AxisId(u32::MAX);
        match part {
            Part::Rule { axis } => {
                if !self.prefix.is_empty() && !self.axes.contains(&axis) {
                    let name = name.get(self.prefix.len()..).unwrap_or(name);
                    errors.push(problem(
                        format!("'{name}[{axis}]': '{axis}' is not an axis this file declares"),
                        name_span,
                        "no such axis here",
                        Some(format!("an imported file declares the axes it uses: axis {axis} = FIRST..LAST, as the model declares it")),
                    ));
                    return;
                }
                let id = model.define_rule(name, unknown, def);
                self.rules.push((id, axis, name_span, self.file));
            }
            Part::Pin(label) => {
                model.define_pin(name, unknown, label, def);
            }
        }
    }

    /// A statement that cannot stand inside a block came: the open block,
    /// if any, was never closed.
    fn interrupt(&mut self, next: Option<(Span, &'static str)>, errors: &mut Vec<ModelError>) {
        if let Some(block) = self.open.take() {
            errors.push(unclosed(&block, next));
            self.end(block);
        }
    }

    fn end(&mut self, block: Open) {
        match block {
            Open::Scenario(s) => self.scenarios.push(s),
            Open::Import(i) => self.imports.push(i),
        }
    }

    /// Closes the copy: an open block is an error, an alias may not name
    /// one of the file's own cells or groups, and the assertions' names are
    /// resolved.
    pub(super) fn close(mut self, model: &mut Model, errors: &mut Vec<ModelError>) -> Gathered {
        self.interrupt(None, errors);
        // An imported copy's rules are over its own axes, all declared by
        // now: the overrides of its import block are checked against them.
        if !self.prefix.is_empty() {
            for (id, axis, _, _) in &self.rules {
                if let Some(axis) = model.axis_named(axis) {
                    model.set_series_axis(*id, axis);
                }
            }
        }
        // An import whose alias is taken is not copied: its cells would mix with others.
        let mut seen: HashMap<Box<str>, Span> = HashMap::new();
        let imports = std::mem::take(&mut self.imports);
        for i in imports {
            let alias = &*i.def.alias;
            if let Some(&first) = seen.get(alias) {
                errors.push(ModelError::AliasTwice {
                    alias: alias.to_string(),
                    at: i.def.alias_span,
                    first,
                });
                continue;
            }
            seen.insert(alias.into(), i.def.alias_span);
            let qualified = format!("{}{alias}", self.prefix);
            let clash = match model.defined(&qualified) {
                Some(id) => Some((id, false)),
                None => model.group(&qualified).first().map(|&id| (id, true)),
            };
            if let Some((id, group)) = clash {
                let (line, cell) = match model.cell(id) {
                    Some(Cell { name, def: Some(d) }) => (d.line, &**name),
                    _ => (0, ""),
                };
                errors.push(ModelError::AliasClash {
                    alias: alias.to_string(),
                    at: i.def.alias_span,
                    cell: cell.get(self.prefix.len()..).unwrap_or(cell).to_string(),
                    group,
                    line,
                });
                continue;
            }
            self.imports.push(i);
        }
        let assertions = self
            .assertions
            .into_iter()
            .map(|(line, span, def)| {
                let mut condition = def.condition;
                qualify(&mut condition, &self.prefix, &self.axes);
                model.resolve(&mut condition);
                Assertion {
                    condition,
                    message: def.message,
                    file: self.file,
                    line,
                    span,
                }
            })
            .collect();
        Gathered {
            scenarios: self.scenarios,
            imports: self.imports,
            assertions,
            units: self.units,
            rules: self.rules,
        }
    }
}

/// A cell of an imported file named like an axis that file declares.
fn axis_and_cell(name: &str, line: u32, at: Span) -> ModelError {
    problem(
        format!("'{name}' is an axis of this file, so it cannot also be a cell (line {line})"),
        at,
        "a cell named like the axis",
        Some("rename the cell".into()),
    )
}

/// A block's override as written.
fn override_of(mut d: crate::syntax::CellDef, line: u32) -> PendingOverride {
    PendingOverride {
        name: std::mem::take(&mut d.name),
        name_span: d.name_span,
        part: d.part.take(),
        def: Box::new(Definition::from_cell_def(d, line, None)),
    }
}

fn unclosed(block: &Open, next: Option<(Span, &'static str)>) -> ModelError {
    let (block, at) = match block {
        Open::Scenario(s) => (format!("scenario '{}'", s.name), s.name_span),
        Open::Import(i) => (format!("import '{}'", i.def.alias), i.def.alias_span),
    };
    ModelError::Unclosed { block, at, next }
}

/// Checks a scenario once every cell, imported ones included, is known.
/// The model's own scenarios (`prefix` empty) become [`Scenario`]s; an
/// imported file's are checked in its first copy (under `prefix`), since
/// their mistakes are the file's, and then dropped: they are not the
/// importing model's.
pub(super) fn check_scenario(
    model: &mut Model,
    prefix: &str,
    s: PendingScenario,
    earlier: &[Scenario],
    errors: &mut Vec<ModelError>,
) -> Option<Scenario> {
    if &*s.name == "base" {
        errors.push(ModelError::ReservedScenario { at: s.name_span });
        return None;
    }
    if let Some(previous) = earlier.iter().find(|p| p.name == s.name) {
        errors.push(ModelError::ScenarioTwice {
            name: s.name.to_string(),
            at: s.name_span,
            first: previous.name_span,
            first_line: previous.line,
            line: s.line,
        });
        return None;
    }
    let mut overrides: Vec<Override> = Vec::new();
    let mut seen: HashMap<(Box<str>, Slot), Span> = HashMap::new();
    for o in s.overrides {
        let found = if prefix.is_empty() {
            model.defined(&o.name)
        } else {
            model.defined(&format!("{prefix}{}", o.name))
        };
        let Some(cell) = found else {
            let suggestion = if prefix.is_empty() {
                model.suggest(&o.name).map(str::to_string)
            } else {
                model.suggest_within(prefix, &o.name)
            };
            errors.push(ModelError::UnknownOverride {
                scenario: s.name.to_string(),
                cell: o.name.to_string(),
                at: o.name_span,
                suggestion,
            });
            continue;
        };
        let slot = match override_slot(model, &format!("scenario '{}'", s.name), cell, &o) {
            Ok(slot) => slot,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let key = (o.name.clone(), slot);
        if let Some(&first) = seen.get(&key) {
            let cell = match &o.part {
                Some(part) => format!("{}[{part}]", o.name),
                None => o.name.to_string(),
            };
            errors.push(ModelError::OverriddenTwice {
                scenario: s.name.to_string(),
                cell,
                at: o.name_span,
                first,
            });
            continue;
        }
        let mut def = *o.def;
        seen.insert(key, o.name_span);
        if prefix.is_empty() {
            model.resolve_definition(&mut def);
        }
        overrides.push(Override { cell, slot, def });
    }
    Some(Scenario {
        name: s.name,
        name_span: s.name_span,
        line: s.line,
        doc: s.doc,
        overrides,
    })
}

/// A problem with an axis or a series.
fn problem(message: String, at: Span, label: &'static str, help: Option<String>) -> ModelError {
    ModelError::Series(SeriesProblem {
        message,
        at,
        label,
        related: None,
        help,
    })
}

/// `capex = ...` and `capex[...] = ...` both: one value or a series, not both.
fn series_and_value(name: &str, at: Span, first: &Definition, line: u32) -> ModelError {
    ModelError::Series(SeriesProblem {
        message: format!(
            "'{name}' is defined both as one value and period by period (lines {} and {})",
            first.line.min(line),
            first.line.max(line),
        ),
        at,
        label: "defined again here",
        related: Some((
            Span::new(first.span.start(), first.span.start() + name.len()),
            "first defined here",
        )),
        help: Some(format!(
            "a series is defined by '{name}[year] = ...' and '{name}[LABEL] = ...' lines only; rename one"
        )),
    })
}

/// An axis whose periods do not run forward, or are too many.
fn axis_bounds(name: &str, first: i64, last: i64, at: Span) -> Option<ModelError> {
    if first > last {
        return Some(problem(
            format!("axis '{name}' runs backwards: {first} is after {last}"),
            at,
            "first period after the last",
            Some(format!(
                "write the first period first: axis {name} = {last}..{first}"
            )),
        ));
    }
    let periods = i128::from(last) - i128::from(first) + 1;
    if periods > i128::from(MAX_PERIODS) {
        return Some(problem(
            format!("axis '{name}' has {periods} periods; an axis has at most {MAX_PERIODS}"),
            at,
            "too many periods",
            None,
        ));
    }
    None
}

/// Once the whole file is read: every axis name is no cell's, every rule
/// names an axis, every series has one axis, and every pin is on it.
pub(super) fn check_series(model: &mut Model, rules: &[Rule], errors: &mut Vec<ModelError>) {
    for axis in model.axes() {
        if let Some(def) = model.definition(axis.id) {
            errors.push(ModelError::Series(SeriesProblem {
                message: format!(
                    "'{}' is an axis (line {}), so it cannot also be a cell (line {})",
                    axis.name, axis.line, def.line
                ),
                at: Span::new(def.span.start(), def.span.start() + axis.name.len()),
                label: "a cell named like the axis",
                related: Some((axis.name_span, "the axis")),
                help: Some("rename the cell".into()),
            }));
        }
    }
    for (id, axis_name, at, file) in rules {
        // Every rule's cell was defined in this model just now.
        let Some(cell) = model.cell(*id) else {
            continue;
        };
        match model.axis_named(axis_name) {
            Some(axis) => model.set_series_axis(*id, axis),
            None => {
                let names: Vec<&str> = model.axes().iter().map(|a| &*a.name).collect();
                let help = match crate::suggest::did_you_mean(axis_name, names.iter().copied()) {
                    Some(s) => Some(crate::suggest::suggestion_words(s)),
                    None if names.is_empty() => {
                        Some(format!("declare it first: axis {axis_name} = FIRST..LAST"))
                    }
                    None => Some(format!("the axes are: {}", names.join(", "))),
                };
                errors.push(
                    problem(
                        format!(
                            "'{}[{axis_name}]' names no axis: '{axis_name}' is not an axis",
                            cell.name
                        ),
                        *at,
                        "no such axis",
                        help,
                    )
                    .in_file(*file),
                );
            }
        }
    }
    let mut series: Vec<CellId> = model.series_cells().collect();
    series.sort_by_key(|&id| model.file_position(id));
    for id in series {
        let (Some(s), Some(cell)) = (model.series(id), model.cell(id)) else {
            continue;
        };
        let file = model.definition(id).map_or(FileId::ROOT, |d| d.file);
        if !s.ruled {
            let name = cell.name.clone();
            match pins_axis(model, id, &name) {
                Ok(axis) => model.set_series_axis(id, axis),
                Err(e) => {
                    errors.push(e.in_file(file));
                    continue;
                }
            }
        }
        let (Some(s), Some(cell)) = (model.series(id), model.cell(id)) else {
            continue;
        };
        let name = &cell.name;
        let Some(axis) = model.axis(s.axis) else {
            continue;
        };
        for pin in s.pins.iter().filter(|p| axis.position(p.label).is_none()) {
            errors.push(
                problem(
                    format!("{name}[{}] is outside {}", pin.label, axis.describe()),
                    pin_name(model, &pin.def),
                    "a pin outside the axis",
                    None,
                )
                .in_file(pin.def.file),
            );
        }
    }
}

/// Where a pin's name is written (`capex` of `capex[2024] = ...`), in its
/// own file: the name before the bracket, which in an imported file is the
/// cell's name without the alias.
fn pin_name(model: &Model, def: &Definition) -> Span {
    let start = def.span.start();
    let len = model
        .file_text(def.file)
        .get(start..def.span.end())
        .and_then(|text| text.find('['))
        .unwrap_or(0);
    Span::new(start, start + len)
}

/// The axis of a series that has pins and no rule: the one axis that holds every pin.
fn pins_axis(model: &Model, id: CellId, name: &str) -> Result<AxisId, ModelError> {
    let pins = model.series(id).map_or(&[][..], |s| &s.pins[..]);
    let at = pins
        .first()
        .map_or(Span::default(), |p| pin_name(model, &p.def));
    let fits: Vec<AxisId> = (0..model.axes().len())
        .filter_map(|i| u32::try_from(i).ok().map(AxisId))
        .filter(|&a| {
            model
                .axis(a)
                .is_some_and(|axis| pins.iter().all(|p| axis.position(p.label).is_some()))
        })
        .collect();
    match fits.as_slice() {
        [one] => Ok(*one),
        [] => {
            if let [only] = model.axes() {
                // Name the first pin outside the one axis.
                let outside = pins.iter().find(|p| only.position(p.label).is_none());
                let (label, at) = outside.map_or((0, at), |p| (p.label, pin_name(model, &p.def)));
                return Err(problem(
                    format!("{name}[{label}] is outside {}", only.describe()),
                    at,
                    "a pin outside the axis",
                    None,
                ));
            }
            Err(problem(
                format!("no axis holds every period pinned for '{name}'"),
                at,
                "pinned here",
                Some(if model.has_axes() {
                    format!("give it a rule over its axis, {name}[AXIS] = ..., and pin periods of that axis")
                } else {
                    "declare the axis first: axis year = FIRST..LAST".to_string()
                }),
            ))
        }
        several => {
            let names: Vec<&str> = several
                .iter()
                .filter_map(|&a| model.axis(a).map(|a| &*a.name))
                .collect();
            Err(problem(
                format!(
                    "the periods pinned for '{name}' are on several axes ({})",
                    names.join(", ")
                ),
                at,
                "which axis?",
                Some(format!(
                    "give it a rule to say which: {name}[{}] = ...",
                    names.first().copied().unwrap_or("year")
                )),
            ))
        }
    }
}

/// Which of a cell's formulas an override (of a scenario, `whose` is
/// `scenario 'hot'`, or of an import's block) replaces, checked against the
/// cell: the whole of a one-value cell, or a series' rule or pin.
pub(super) fn override_slot(
    model: &Model,
    whose: &str,
    cell: CellId,
    o: &PendingOverride,
) -> Result<Slot, ModelError> {
    let name = &o.name;
    let wrong = |message: String, help: String| {
        problem(
            format!("{whose}: {message}"),
            o.name_span,
            "here",
            Some(help),
        )
    };
    match (&o.part, model.series(cell)) {
        (None, None) => Ok(Slot::Whole),
        (None, Some(_)) => Err(wrong(
            format!("'{name}' is a series"),
            format!("override its rule, {name}[year] = ..., or one period, {name}[LABEL] = ..."),
        )),
        (Some(_), None) => Err(wrong(
            format!("'{name}' is one value, not a series"),
            format!("override it as {name} = ..."),
        )),
        (Some(Part::Rule { axis }), Some(s)) => {
            // An imported series of pins gets its axis once every file is read.
            let own = match model.axis(s.axis) {
                Some(a) => &*a.name,
                None => pins_axis(model, cell, name)
                    .ok()
                    .and_then(|a| model.axis(a))
                    .map_or("", |a| &*a.name),
            };
            if **axis == *own {
                Ok(Slot::Rule)
            } else {
                Err(wrong(
                    format!("'{name}' runs over '{own}', not '{axis}'"),
                    format!("write {name}[{own}] = ..."),
                ))
            }
        }
        (Some(Part::Pin(label)), Some(s)) => match model.axis(s.axis) {
            Some(axis) if axis.position(*label).is_none() => Err(wrong(
                format!("{name}[{label}] is outside {}", axis.describe()),
                "pin a period of the axis".to_string(),
            )),
            _ => Ok(Slot::Pin(*label)),
        },
    }
}
