//! A broken invariant of premise itself, as opposed to a problem in the
//! analyst's model or command: a cell id used with a model it does not belong
//! to, a value read before it was computed. Such a failure is said as
//! `internal error: ...` (the command line exits with 3) instead of showing
//! a made-up name or value where the right one could not be found.

use crate::syntax::CellId;

/// A failure that is premise's fault, not the model's; the words say what
/// broke, for a bug report.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("internal error: {what}")]
pub struct InternalError {
    what: String,
}

impl InternalError {
    /// An internal error described in `what` (a phrase for a bug report).
    pub fn new(what: impl Into<String>) -> InternalError {
        InternalError { what: what.into() }
    }

    /// A cell id that does not name a cell of the model it was used with:
    /// an id kept from another model, or never looked up in one.
    pub fn foreign_cell(id: CellId) -> InternalError {
        InternalError::new(format!("cell id {} is not a cell of this model", id.0))
    }

    /// A formula whose reference names a cell of another model.
    pub fn foreign_reference() -> InternalError {
        InternalError::new("a reference to a cell of another model")
    }

    /// A defined cell with no value where every defined cell was computed.
    pub fn not_computed(name: &str) -> InternalError {
        InternalError::new(format!("'{name}' has not been computed"))
    }

    /// What broke, without the `internal error:` prefix.
    pub fn what(&self) -> &str {
        &self.what
    }
}
