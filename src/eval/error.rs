//! Why a cell has no value. Errors are values: one failed cell never stops
//! the others (docs/language.md#errors).

use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::internal::InternalError;
use crate::syntax::{CellId, Span};
use crate::value::{MathError, Unit};

/// What an operator did when it found two units that differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verb {
    /// `+`, `sum`, `avg`.
    Add,
    /// `-`.
    Subtract,
    /// Comparisons, `min`, `max`, `clamp`.
    Compare,
}

impl std::fmt::Display for Verb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verb::Add => "add",
            Verb::Subtract => "subtract",
            Verb::Compare => "compare",
        })
    }
}

/// Why a formula itself failed, as data; its message is the analyst's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// A division (or a negative power) of zero.
    #[error("division by zero")]
    DivisionByZero,
    /// A result beyond what an exact decimal holds.
    #[error("value out of range (premise's decimals hold up to about ±7.9e28)")]
    Overflow,
    /// An argument outside a function's domain (`ln` of a negative number,
    /// `clamp` with lo > hi, ...), described in words.
    #[error("{0}")]
    Domain(String),
    /// Two values that must share a unit do not.
    #[error("cannot {verb} {}", both_units(.left, .right))]
    UnitMismatch {
        /// What the operator does.
        verb: Verb,
        /// The left value's unit.
        left: Unit,
        /// The right value's unit.
        right: Unit,
    },
    /// A value that cannot be had in the unit a definition asks for
    /// (`as [MWh]` of a power).
    #[error("cannot convert {} to {}", unit_named(.from), unit_named(.to))]
    Convert {
        /// The value's unit.
        from: Unit,
        /// The unit asked for.
        to: Unit,
    },
    /// A unit the operation cannot take (an exponent with a unit, the square
    /// root of `[W]`, unit powers too large), described in words.
    #[error("{0}")]
    Unit(String),
    /// A value of the wrong type: a boolean where a number is needed, or the
    /// other way round.
    #[error("{context} needs {expected}, found {found}")]
    Type {
        /// The operator or function (`'+'`, `sqrt()`).
        context: String,
        /// What it needs (`a number`, `true or false`).
        expected: &'static str,
        /// What it found (`the boolean true`).
        found: String,
    },
    /// `==` or `!=` between a boolean and a number.
    #[error("cannot compare {left} with {right}")]
    Incomparable {
        /// The left value, described.
        left: String,
        /// The right value, described.
        right: String,
    },
    /// A function called with too few arguments.
    #[error("{function}() is missing an argument")]
    MissingArgument {
        /// The function's name.
        function: &'static str,
    },
    /// A group with no members.
    #[error("no cells in the group '{group}.*'")]
    EmptyGroup {
        /// The group's prefix.
        group: String,
    },
    /// A group used where a single value is needed.
    #[error("the group '{group}.*' can only be passed to sum, min, max, avg or count")]
    GroupOutsideAggregate {
        /// The group's prefix.
        group: String,
    },
    /// A period read outside the series' axis: `capex[2023] is outside year 2024..2030`.
    #[error("{cell}[{label}] is outside {axis}")]
    OutsideAxis {
        /// The series read.
        cell: String,
        /// The period asked for.
        label: i64,
        /// The axis, as `year 2024..2030`.
        axis: String,
    },
    /// A period of a series with neither a pin nor a rule.
    #[error("{cell}[{label}] has no formula: no pin {cell}[{label}] = ... and no rule {cell}[{axis}] = ...")]
    NoFormula {
        /// The series.
        cell: String,
        /// The period.
        label: i64,
        /// The axis' name.
        axis: String,
    },
    /// A formula that reads series of two axes period by period.
    #[error("this formula reads '{first}' and '{second}' period by period: a formula can follow only one axis")]
    TwoAxes {
        /// One axis.
        first: String,
        /// The other.
        second: String,
    },
    /// `sum(x)` of a single series: the total over the periods, or `x` itself?
    #[error("{function}({series}) has a single series: write {function}({series}[*]) for the {reading} over its periods, or {series} for its value in each period")]
    LoneSeries {
        /// The function.
        function: &'static str,
        /// The series as written.
        series: String,
        /// What the function gives over the periods ("total", "largest").
        reading: &'static str,
    },
    /// `x[*]` or `x[2025..2027]` anywhere but as an argument of a function that takes spans.
    #[error("{read} reads several periods: it can only be passed to sum, min, max, avg, count, npv or irr")]
    SpanOutsideAggregate {
        /// The index as written.
        read: String,
    },
    /// Any other misuse of a series or an axis, in words.
    #[error("{0}")]
    Series(String),
    /// A distribution or statistic that cannot be made or computed (`0 to
    /// 5`, `percentile(x, 150%)`, a condition that fails in some samples),
    /// in words.
    #[error("{0}")]
    Uncertainty(String),
    /// A cell read before it was computed: premise's bug, said as
    /// `internal error: ...` (see [`EvalError::is_internal`]).
    #[error("{}", InternalError::not_computed(cell))]
    NotComputed {
        /// The cell.
        cell: String,
    },
    /// A formula that refers to a cell of another model: premise's bug,
    /// said as `internal error: ...` (see [`EvalError::is_internal`]).
    #[error("{}", InternalError::foreign_reference())]
    ForeignCell,
    /// Any other broken invariant met while computing a cell.
    #[error(transparent)]
    Internal(InternalError),
}

impl EvalError {
    /// That the cell `id` of `model` has no value where it should have one
    /// (premise's failure, naming the cell; an id the model does not know is
    /// one as well).
    pub fn not_computed(model: &crate::model::Model, id: CellId) -> EvalError {
        match model.name(id) {
            Ok(name) => EvalError::NotComputed {
                cell: name.to_string(),
            },
            Err(e) => EvalError::Internal(e),
        }
    }

    /// The internal error this is, when it is premise's fault rather than
    /// the formula's: the command line then says so and exits with 3, and
    /// the cells that read this one carry the same error rather than
    /// "depends on ...".
    pub fn internal(&self) -> Option<InternalError> {
        match self {
            EvalError::NotComputed { cell } => Some(InternalError::not_computed(cell)),
            EvalError::ForeignCell => Some(InternalError::foreign_reference()),
            EvalError::Internal(e) => Some(e.clone()),
            _ => None,
        }
    }

    /// Whether this is premise's fault ([`EvalError::internal`]).
    pub fn is_internal(&self) -> bool {
        self.internal().is_some()
    }
}

impl From<MathError> for EvalError {
    fn from(e: MathError) -> EvalError {
        match e {
            MathError::Overflow => EvalError::Overflow,
            MathError::DivisionByZero => EvalError::DivisionByZero,
            MathError::Domain(text) => EvalError::Domain(text),
        }
    }
}

/// A unit as the analyst reads it in a message, in brackets as written in
/// a formula: `[kWh]`, `[USD/GPU]`, `a plain number`.
pub fn unit_words(unit: &Unit) -> String {
    if unit.is_dimensionless() {
        "a plain number".to_string()
    } else {
        format!("[{unit}]")
    }
}

/// Two units that do not go together: `[USD] and [W]`; with what each
/// measures when both measure something that converts, which is why they
/// do not (`[kWh] (energy) and [kW] (power)`).
fn both_units(left: &Unit, right: &Unit) -> String {
    match (left.dimension_words(), right.dimension_words()) {
        (Some(l), Some(r)) => format!("[{left}] ({l}) and [{right}] ({r})"),
        _ => format!("{} and {}", unit_words(left), unit_words(right)),
    }
}

/// A unit by its name and what it measures, as a conversion names it:
/// `MW (power)`, `GPU`, `a plain number`.
pub fn unit_named(unit: &Unit) -> String {
    if unit.is_dimensionless() {
        return "a plain number".to_string();
    }
    match unit.dimension_words() {
        Some(words) => format!("{unit} ({words})"),
        None => unit.to_string(),
    }
}

/// What kind of failure, for callers that treat them differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Arithmetic, units, types, domains: the formula itself failed.
    Eval(EvalError),
    /// The formula names a cell that does not exist.
    UnknownName,
    /// The cell is on a cycle.
    Cycle,
    /// A cell it reads failed; `root` is where the failure started.
    Dependency {
        /// The cell read directly.
        on: CellId,
        /// The cell where the failure began.
        root: CellId,
    },
}

/// A cell's failure, with a message in the analyst's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// The message ("division by zero", "depends on 'x': division by zero").
    pub message: Arc<str>,
    /// The part of the formula that failed, when known.
    pub span: Option<Span>,
    /// The root cause's own message, for dependents.
    pub root_message: Arc<str>,
}

impl CellError {
    /// A failure of the formula itself, at `span`.
    pub fn eval(error: EvalError, span: Span) -> CellError {
        let message: Arc<str> = error.to_string().into();
        CellError {
            kind: ErrorKind::Eval(error),
            root_message: message.clone(),
            message,
            span: Some(span),
        }
    }

    /// A failure with a given kind.
    pub fn of_kind(kind: ErrorKind, message: impl Into<String>, span: Option<Span>) -> CellError {
        let message: Arc<str> = message.into().into();
        CellError {
            kind,
            root_message: message.clone(),
            message,
            span,
        }
    }

    /// The failure of a cell that reads `on` (named `on_name`), which failed with `cause`.
    /// `cause_root` is the cell where `cause` began.
    pub fn dependency(
        on: CellId,
        on_name: &str,
        cause: &CellError,
        root: CellId,
        root_name: &str,
        span: Span,
    ) -> CellError {
        let message = if root == on {
            format!("depends on '{on_name}': {}", cause.root_message)
        } else {
            format!(
                "depends on '{on_name}': {} (in '{root_name}')",
                cause.root_message
            )
        };
        CellError {
            kind: ErrorKind::Dependency { on, root },
            message: message.into(),
            span: Some(span),
            root_message: cause.root_message.clone(),
        }
    }

    /// The failure as an internal error, when it is premise's own
    /// ([`EvalError::internal`]).
    pub fn internal(&self) -> Option<InternalError> {
        match &self.kind {
            ErrorKind::Eval(e) => e.internal(),
            _ => None,
        }
    }

    /// Whether the failure is premise's own ([`EvalError::internal`]).
    pub fn is_internal(&self) -> bool {
        matches!(&self.kind, ErrorKind::Eval(e) if e.is_internal())
    }

    /// Where the failure began: `this` for a failure of its own.
    pub fn root(&self, this: CellId) -> CellId {
        match self.kind {
            ErrorKind::Dependency { root, .. } => root,
            _ => this,
        }
    }
}

impl CellError {
    /// The failure of the cell `name` as a diagnostic: `cell 'x': message`,
    /// pointing at the failing part of its formula (at `fallback`, its
    /// definition, when the failure has no place of its own).
    pub fn diagnostic(&self, name: &str, fallback: Span) -> Diagnostic {
        Diagnostic::error(
            self.span.unwrap_or(fallback),
            format!("cell '{name}': {}", self.message),
            "fails here",
        )
    }
}

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}
