//! From text to a [`Model`]: encoding checks, parsing, and the checks that
//! need the whole file (duplicates, scenarios).

use std::collections::HashMap;

use super::{Cell, Definition, Model, ModelError, Override, Scenario};
use crate::diagnostic::LineIndex;
use crate::file::FileError;
use crate::syntax::ast::MAX_SOURCE;
use crate::syntax::{parse_each_with, Located, Span, Statement, SyntaxError};

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

/// Reads and builds a model from a file.
pub fn load_file(path: &str) -> Result<Model, LoadError> {
    let bytes = std::fs::read(path).map_err(|error| LoadError::Io(FileError::read(path, error)))?;
    let source = text_of(path, bytes)?;
    Model::parse(path, source)
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

impl Model {
    /// Parses and builds a model from its text; `path` is used in diagnostics.
    pub fn parse(path: &str, source: String) -> Result<Model, LoadError> {
        if source.len() > MAX_SOURCE {
            return Err(LoadError::Invalid {
                model: Box::new(Model::new(path, String::new())),
                errors: vec![ModelError::TooLarge],
            });
        }
        let mut errors: Vec<ModelError> = Vec::new();
        let mut model = Model::new(path, String::new());
        // At most one cell per line: an upper bound worth reserving for, and
        // one counted many bytes at a time (blank and comment lines are few
        // in the files big enough for this to matter).
        let lines = source.bytes().filter(|&b| b == b'\n').count() + 1;
        model.reserve(lines);
        let mut builder = Builder::default();
        parse_each_with(&source, Prepared::of, |r| match r {
            Ok(prepared) => builder.statement(&mut model, prepared, &mut errors),
            Err(e) => errors.push(e.into()),
        });
        builder.finish(&mut model, &mut errors);
        model.source = source;
        if errors.is_empty() {
            Ok(model)
        } else {
            errors.sort_by_key(|e| e.span().start());
            Err(LoadError::Invalid {
                model: Box::new(model),
                errors,
            })
        }
    }
}

/// A parsed statement made ready for the model by a parsing thread: a cell's
/// definition is built (and its memory first touched) there, in parallel.
enum Prepared {
    Cell {
        name: Box<str>,
        /// The name's hash for the model's index, worked out here.
        hash: u64,
        name_span: Span,
        def: Box<Definition>,
    },
    Other(Located),
}

impl Prepared {
    fn of(parsed: Result<Located, SyntaxError>) -> Result<Prepared, SyntaxError> {
        let located = parsed?;
        Ok(match located.statement {
            Statement::Cell(mut def) => Prepared::Cell {
                hash: super::name_hash(&def.name),
                name: std::mem::take(&mut def.name),
                name_span: def.name_span,
                def: Box::new(Definition::from_cell_def(def, located.line, located.doc)),
            },
            statement => Prepared::Other(Located {
                statement,
                ..located
            }),
        })
    }
}

/// A scenario's override as written, checked once the whole file is read.
struct PendingOverride {
    name: Box<str>,
    name_span: Span,
    def: Box<Definition>,
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

struct PendingScenario {
    name: Box<str>,
    name_span: Span,
    line: u32,
    doc: Option<Box<str>>,
    overrides: Vec<PendingOverride>,
}

/// Gathers statements into cells and scenarios as they arrive, in file order.
#[derive(Default)]
struct Builder {
    open: Option<PendingScenario>,
    scenarios: Vec<PendingScenario>,
    /// `unit` statements, resolved once the whole file is read.
    units: Vec<super::units::Pending>,
}

impl Builder {
    fn statement(&mut self, model: &mut Model, prepared: Prepared, errors: &mut Vec<ModelError>) {
        let located = match prepared {
            Prepared::Cell {
                name,
                hash,
                name_span,
                mut def,
            } => {
                match self.open.as_mut() {
                    Some(s) => {
                        def.doc = None;
                        s.overrides.push(PendingOverride {
                            name,
                            name_span,
                            def,
                        });
                    }
                    None => {
                        let line = def.line;
                        match model.define_new(name, hash, def) {
                            Ok(_) => {}
                            // `define_new` refuses only a name already defined.
                            Err(first) => {
                                if let Some(Cell {
                                    name,
                                    def: Some(first_def),
                                }) = model.cell(first)
                                {
                                    errors.push(defined_twice(name, name_span, first_def, line));
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
                if let Some(s) = self.open.take() {
                    errors.push(unclosed(&s, Some(name_span)));
                    self.scenarios.push(s);
                }
                let mut s = PendingScenario {
                    name,
                    name_span,
                    line: located.line,
                    doc: located.doc,
                    overrides: Vec::new(),
                };
                match closed {
                    Some(body) => {
                        s.overrides.extend(body.map(|mut d| PendingOverride {
                            name: std::mem::take(&mut d.name),
                            name_span: d.name_span,
                            def: Box::new(Definition::from_cell_def(d, located.line, None)),
                        }));
                        self.scenarios.push(s);
                    }
                    None => self.open = Some(s),
                }
            }
            Statement::Unit(decl) => {
                if self.open.is_some() {
                    errors.push(ModelError::UnitInScenario {
                        name: decl.name.to_string(),
                        at: decl.name_span,
                    });
                } else {
                    self.units.push(super::units::Pending {
                        decl,
                        line: located.line,
                    });
                }
            }
            Statement::BlockClose => match self.open.take() {
                Some(s) => self.scenarios.push(s),
                None => errors.push(ModelError::NothingToClose { at: located.span }),
            },
        }
    }

    /// Closes the file: scenarios are checked once every cell is known.
    fn finish(mut self, model: &mut Model, errors: &mut Vec<ModelError>) {
        if let Some(s) = self.open.take() {
            errors.push(unclosed(&s, None));
            self.scenarios.push(s);
        }
        // Declarations may follow their use: units are looked up once all are known.
        model.units = super::units::declare(std::mem::take(&mut self.units), errors);
        model.resolve_declared_units();
        for s in self.scenarios {
            if let Some(scenario) = check_scenario(model, s, errors) {
                model.scenarios.push(scenario);
            }
        }
    }
}

fn unclosed(s: &PendingScenario, next: Option<Span>) -> ModelError {
    ModelError::Unclosed {
        name: s.name.to_string(),
        at: s.name_span,
        next,
    }
}

fn check_scenario(
    model: &mut Model,
    s: PendingScenario,
    errors: &mut Vec<ModelError>,
) -> Option<Scenario> {
    if &*s.name == "base" {
        errors.push(ModelError::ReservedScenario { at: s.name_span });
        return None;
    }
    if let Some(previous) = model.scenarios.iter().find(|p| p.name == s.name) {
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
    let mut seen: HashMap<Box<str>, Span> = HashMap::new();
    for o in s.overrides {
        let Some(cell) = model.defined(&o.name) else {
            errors.push(ModelError::UnknownOverride {
                scenario: s.name.to_string(),
                cell: o.name.to_string(),
                at: o.name_span,
                suggestion: model.suggest(&o.name).map(str::to_string),
            });
            continue;
        };
        if let Some(&first) = seen.get(&o.name) {
            errors.push(ModelError::OverriddenTwice {
                scenario: s.name.to_string(),
                cell: o.name.to_string(),
                at: o.name_span,
                first,
            });
            continue;
        }
        let mut def = *o.def;
        seen.insert(o.name, o.name_span);
        model.resolve_definition(&mut def);
        overrides.push(Override { cell, def });
    }
    Some(Scenario {
        name: s.name,
        name_span: s.name_span,
        line: s.line,
        doc: s.doc,
        overrides,
    })
}
