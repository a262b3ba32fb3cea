//! Problems that keep a model from being evaluated at all, as data: a
//! statement that cannot be read, or a file that does not hang together (a
//! name defined twice, a scenario overriding a cell that does not exist).
//! Each becomes a [`Diagnostic`] for the analyst in one place, [`ModelError::diagnostic`].

use crate::diagnostic::Diagnostic;
use crate::source::FileId;
use crate::suggest::suggestion_words;
use crate::syntax::{Span, SyntaxError};

/// Why a model file does not make a model.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// A statement that cannot be read.
    #[error("{}", .0.message)]
    Syntax(SyntaxError),
    /// The file is larger than a span can point into.
    #[error("the file is larger than 4 GiB, the most premise reads")]
    TooLarge,
    /// A cell defined a second time.
    #[error("'{name}' is defined twice (lines {first_line} and {line})")]
    DefinedTwice {
        /// The cell.
        name: String,
        /// The second definition's name.
        at: Span,
        /// The first definition's name.
        first: Span,
        /// The first definition's line.
        first_line: u32,
        /// The second definition's line.
        line: u32,
    },
    /// A `}` with no scenario open.
    #[error("'}}' without a scenario or an import to close")]
    NothingToClose {
        /// The `}`.
        at: Span,
    },
    /// A block (a scenario's, or an import's overrides) whose `}` never comes.
    #[error("{block} is never closed")]
    Unclosed {
        /// The block: `scenario 'bear'`, `import 'site'`.
        block: String,
        /// Its name where it opens.
        at: Span,
        /// The statement that begins before the `}` (a scenario, an import,
        /// an assertion), and what it is.
        next: Option<(Span, &'static str)>,
    },
    /// A scenario called `base`, the name of the model itself.
    #[error("'base' is the name of the model itself")]
    ReservedScenario {
        /// The scenario's name.
        at: Span,
    },
    /// A scenario defined a second time.
    #[error("scenario '{name}' is defined twice (lines {first_line} and {line})")]
    ScenarioTwice {
        /// The scenario.
        name: String,
        /// The second one's name.
        at: Span,
        /// The first one's name.
        first: Span,
        /// The first one's line.
        first_line: u32,
        /// The second one's line.
        line: u32,
    },
    /// A scenario overrides a name that is not a cell.
    #[error("scenario '{scenario}' overrides '{cell}', which is not a cell of the model")]
    UnknownOverride {
        /// The scenario.
        scenario: String,
        /// The name it overrides.
        cell: String,
        /// The name in the override.
        at: Span,
        /// The closest cell name, if one is close.
        suggestion: Option<String>,
    },
    /// An import whose file cannot be read, or is not model text.
    #[error("cannot import '{path}': {why}")]
    ImportUnreadable {
        /// The path as written.
        path: String,
        /// The quoted path.
        at: Span,
        /// Why, in words.
        why: String,
    },
    /// Imports that lead back to a file on their own way.
    #[error("import cycle: {chain}")]
    ImportCycle {
        /// The files, `a.model -> b.model -> a.model`.
        chain: String,
        /// The import that closes the cycle.
        at: Span,
    },
    /// One alias given to two imports of a file.
    #[error("'{alias}' names two imports")]
    AliasTwice {
        /// The alias.
        alias: String,
        /// The second import's alias.
        at: Span,
        /// The first import's alias.
        first: Span,
    },
    /// An alias that is also a cell or a group of the importing file.
    #[error("{}", alias_clash(.alias, .cell, *.group, *.line))]
    AliasClash {
        /// The alias.
        alias: String,
        /// Its place in the import.
        at: Span,
        /// The file's cell of that name, or a member of that group.
        cell: String,
        /// The cell is a member of a group of that name, rather than the name itself.
        group: bool,
        /// The cell's line.
        line: u32,
    },
    /// An import block overrides a name its file does not define.
    #[error("'{cell}' is not a cell of the file imported as '{alias}'")]
    UnknownImportOverride {
        /// The alias.
        alias: String,
        /// The name it overrides.
        cell: String,
        /// The name in the override.
        at: Span,
        /// The closest cell of that file, if one is close.
        suggestion: Option<String>,
    },
    /// An import block overrides one cell twice.
    #[error("the import '{alias}' overrides '{cell}' twice")]
    ImportOverriddenTwice {
        /// The alias.
        alias: String,
        /// The cell.
        cell: String,
        /// The second override's name.
        at: Span,
        /// The first override's name.
        first: Span,
    },
    /// More files than a model can name.
    #[error("a model may read at most 65535 files")]
    TooManyFiles {
        /// The import that would read one more.
        at: Span,
    },
    /// Imports that would make too many copies of files.
    #[error(
        "these imports make more than {} copies of files",
        super::expand::MAX_COPIES
    )]
    TooManyCopies,
    /// A problem in an imported file: spans are that file's.
    #[error("{error}")]
    InFile {
        /// The imported file.
        file: FileId,
        /// The problem.
        error: Box<ModelError>,
    },
    /// A scenario overrides one cell twice.
    #[error("scenario '{scenario}' overrides '{cell}' twice")]
    OverriddenTwice {
        /// The scenario.
        scenario: String,
        /// The cell.
        cell: String,
        /// The second override's name.
        at: Span,
        /// The first override's name.
        first: Span,
    },
    /// A unit declared with the name of a built-in unit.
    #[error("'{name}' is a built-in unit; a model cannot declare it again")]
    UnitShadowsBuiltIn {
        /// The name.
        name: String,
        /// Where it is declared.
        at: Span,
    },
    /// A unit declared a second time.
    #[error("unit '{name}' is declared twice (lines {first_line} and {line})")]
    UnitTwice {
        /// The unit.
        name: String,
        /// The second declaration's name.
        at: Span,
        /// The first declaration's name.
        first: Span,
        /// The first declaration's line.
        first_line: u32,
        /// The second declaration's line.
        line: u32,
    },
    /// Units declared in terms of each other, in a circle.
    #[error("units declared in a circle: {path}")]
    UnitCycle {
        /// The circle, `a -> b -> a`.
        path: String,
        /// The factor that closes it.
        at: Span,
    },
    /// A unit declared in two files with two meanings.
    #[error("unit '{name}' is {here} here but {there}")]
    UnitDiffers {
        /// The unit.
        name: String,
        /// This declaration's name.
        at: Span,
        /// What this declaration makes it (`4 [GPU]`).
        here: String,
        /// What the first declaration makes it, and where.
        there: String,
    },
    /// A `unit` statement inside a scenario's block or an import's.
    #[error("unit '{name}' is declared inside {inside}")]
    UnitInScenario {
        /// The unit.
        name: String,
        /// Which block: `a scenario` or `an import's block`.
        inside: &'static str,
        /// Its name.
        at: Span,
    },
    /// A unit's factor that is not a positive number with a unit.
    #[error("unit '{name}': {problem}")]
    UnitFactor {
        /// The unit.
        name: String,
        /// The factor.
        at: Span,
        /// What is wrong, in words.
        problem: String,
    },
    /// An axis or a series that does not hang together: bounds backwards
    /// or too far apart, a name both a cell and a series or an axis, a pin
    /// outside its axis, a rule over an axis that does not exist
    /// (docs/language.md#axes-and-series).
    #[error("{}", .0.message)]
    Series(SeriesProblem),
}

/// What is wrong with a series or an axis, in words, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesProblem {
    /// The headline (`capex[2023] is outside year 2024..2030`).
    pub message: String,
    /// Where.
    pub at: Span,
    /// The note under the caret.
    pub label: &'static str,
    /// Another place that explains it ("first defined here").
    pub related: Option<(Span, &'static str)>,
    /// What to do about it.
    pub help: Option<String>,
}

/// The words of [`ModelError::AliasClash`].
fn alias_clash(alias: &str, cell: &str, group: bool, line: u32) -> String {
    if group {
        format!("the import '{alias}' clashes with the group '{alias}.*' of this file ('{cell}', line {line})")
    } else {
        format!("the import '{alias}' clashes with the cell '{cell}' (line {line})")
    }
}

impl From<SyntaxError> for ModelError {
    fn from(e: SyntaxError) -> ModelError {
        ModelError::Syntax(e)
    }
}

impl ModelError {
    /// The same problem, found in file `file` (nothing changes for the model's own file).
    pub fn in_file(self, file: FileId) -> ModelError {
        if file.is_root() {
            return self;
        }
        ModelError::InFile {
            file,
            error: Box::new(self),
        }
    }

    /// The file the problem is in.
    pub fn file(&self) -> FileId {
        match self {
            ModelError::InFile { file, .. } => *file,
            _ => FileId::ROOT,
        }
    }

    /// Where the problem is, in bytes of its [`ModelError::file`].
    pub fn span(&self) -> Span {
        match self {
            ModelError::Syntax(e) => e.span,
            ModelError::InFile { error, .. } => error.span(),
            ModelError::TooLarge | ModelError::TooManyCopies => Span::default(),
            ModelError::DefinedTwice { at, .. }
            | ModelError::NothingToClose { at }
            | ModelError::Unclosed { at, .. }
            | ModelError::ReservedScenario { at }
            | ModelError::ScenarioTwice { at, .. }
            | ModelError::UnknownOverride { at, .. }
            | ModelError::OverriddenTwice { at, .. }
            | ModelError::ImportUnreadable { at, .. }
            | ModelError::ImportCycle { at, .. }
            | ModelError::AliasTwice { at, .. }
            | ModelError::AliasClash { at, .. }
            | ModelError::UnknownImportOverride { at, .. }
            | ModelError::ImportOverriddenTwice { at, .. }
            | ModelError::TooManyFiles { at }
            | ModelError::UnitShadowsBuiltIn { at, .. }
            | ModelError::UnitTwice { at, .. }
            | ModelError::UnitCycle { at, .. }
            | ModelError::UnitDiffers { at, .. }
            | ModelError::UnitInScenario { at, .. }
            | ModelError::UnitFactor { at, .. } => *at,
            ModelError::Series(p) => p.at,
        }
    }

    /// The problem as the analyst sees it: the message, a note under the
    /// caret, the places that explain it, and a suggestion.
    pub fn diagnostic(&self) -> Diagnostic {
        let at = |label: &str| Diagnostic::error(self.span(), self.to_string(), label);
        match self {
            ModelError::Syntax(e) => Diagnostic::from(e),
            ModelError::TooLarge => at("here").help("split the model into several files"),
            ModelError::DefinedTwice { first, .. } => at("defined again here")
                .related(*first, "first defined here")
                .help("each name is defined once per file; rename one, or remove one"),
            ModelError::NothingToClose { .. } => at("nothing to close"),
            ModelError::Unclosed { next, .. } => {
                let d = at("opened here");
                let d = match next {
                    Some((n, what)) => d.related(*n, *what),
                    None => d,
                };
                d.help("add a line with '}' after its overrides")
            }
            ModelError::ImportUnreadable { .. } => at("imported here"),
            ModelError::ImportCycle { .. } => at("this import closes the cycle")
                .help("a file cannot import itself, directly or through others"),
            ModelError::AliasTwice { first, .. } => at("used again here")
                .related(*first, "first used here")
                .help("give each import its own name"),
            ModelError::AliasClash { .. } => at("already a name in this file")
                .help("choose another name after 'as', or rename the cell"),
            ModelError::UnknownImportOverride { suggestion, .. } => {
                let d = at("no such cell in the imported file");
                match suggestion {
                    Some(s) => d.help(suggestion_words(s)),
                    None => d,
                }
            }
            ModelError::ImportOverriddenTwice { first, .. } => {
                at("again here").related(*first, "first here")
            }
            ModelError::TooManyFiles { .. } => at("one file too many"),
            ModelError::TooManyCopies => at("here")
                .help("each import is a copy of its file: import a file once and read its cells from there"),
            ModelError::InFile { file, error } => error.diagnostic().in_file(*file),
            ModelError::ReservedScenario { .. } => {
                at("reserved name").help("choose another scenario name")
            }
            ModelError::ScenarioTwice { first, .. } => {
                at("defined again here").related(*first, "first defined here")
            }
            ModelError::UnknownOverride { suggestion, .. } => {
                let d = at("no such cell");
                match suggestion {
                    Some(s) => d.help(suggestion_words(s)),
                    None => d,
                }
            }
            ModelError::OverriddenTwice { first, .. } => {
                at("again here").related(*first, "first here")
            }
            ModelError::Series(p) => {
                let mut d = at(p.label);
                if let Some((span, label)) = p.related {
                    d = d.related(span, label);
                }
                match &p.help {
                    Some(h) => d.help(h.clone()),
                    None => d,
                }
            }
            ModelError::UnitShadowsBuiltIn { name, .. } => at("a built-in unit").help(format!(
                "use [{name}] as it is, or declare a unit of another name"
            )),
            ModelError::UnitTwice { first, .. } => at("declared again here")
                .related(*first, "first declared here")
                .help("each unit is declared once; remove one"),
            ModelError::UnitCycle { .. } => {
                at("closes the circle").help("define one of them by a unit outside the circle")
            }
            ModelError::UnitDiffers { .. } => at("declared differently here")
                .help("a unit means one thing in all the files of a model: declare it alike, or rename one"),
            ModelError::UnitInScenario { inside, .. } => at(if inside.starts_with("an import") {
                "in an import's block"
            } else {
                "in a scenario"
            })
            .help("declare units outside scenarios and import blocks: they change cells, not units"),
            ModelError::UnitFactor { .. } => {
                at("this factor").help("write it as unit MMBtu = 1055.05585262 [MJ]")
            }
        }
    }
}
