//! Problems that keep a model from being evaluated at all, as data: a
//! statement that cannot be read, or a file that does not hang together (a
//! name defined twice, a scenario overriding a cell that does not exist).
//! Each becomes a [`Diagnostic`] for the analyst in one place, [`ModelError::diagnostic`].

use crate::diagnostic::Diagnostic;
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
    #[error("'}}' without a scenario to close")]
    NothingToClose {
        /// The `}`.
        at: Span,
    },
    /// A scenario whose `}` never comes.
    #[error("scenario '{name}' is never closed")]
    Unclosed {
        /// The scenario.
        name: String,
        /// Its name where it opens.
        at: Span,
        /// The next scenario's name, when one begins before the `}`.
        next: Option<Span>,
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
    /// A `unit` statement inside a scenario's block.
    #[error("unit '{name}' is declared inside a scenario")]
    UnitInScenario {
        /// The unit.
        name: String,
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
}

impl From<SyntaxError> for ModelError {
    fn from(e: SyntaxError) -> ModelError {
        ModelError::Syntax(e)
    }
}

impl ModelError {
    /// Where the problem is.
    pub fn span(&self) -> Span {
        match self {
            ModelError::Syntax(e) => e.span,
            ModelError::TooLarge => Span::default(),
            ModelError::DefinedTwice { at, .. }
            | ModelError::NothingToClose { at }
            | ModelError::Unclosed { at, .. }
            | ModelError::ReservedScenario { at }
            | ModelError::ScenarioTwice { at, .. }
            | ModelError::UnknownOverride { at, .. }
            | ModelError::OverriddenTwice { at, .. }
            | ModelError::UnitShadowsBuiltIn { at, .. }
            | ModelError::UnitTwice { at, .. }
            | ModelError::UnitCycle { at, .. }
            | ModelError::UnitInScenario { at, .. }
            | ModelError::UnitFactor { at, .. } => *at,
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
                    Some(n) => d.related(*n, "the next scenario begins here"),
                    None => d,
                };
                d.help("add a line with '}' after its overrides")
            }
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
            ModelError::UnitShadowsBuiltIn { name, .. } => at("a built-in unit").help(format!(
                "use [{name}] as it is, or declare a unit of another name"
            )),
            ModelError::UnitTwice { first, .. } => at("declared again here")
                .related(*first, "first declared here")
                .help("each unit is declared once; remove one"),
            ModelError::UnitCycle { .. } => {
                at("closes the circle").help("define one of them by a unit outside the circle")
            }
            ModelError::UnitInScenario { .. } => at("in a scenario")
                .help("declare units outside scenarios: a scenario changes cells, not units"),
            ModelError::UnitFactor { .. } => {
                at("this factor").help("write it as unit MMBtu = 1055.05585262 [MJ]")
            }
        }
    }
}
