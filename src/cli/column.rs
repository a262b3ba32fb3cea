//! One scenario's evaluation in a table of `eval`, and how its values show there.

use crate::display::{format_exact, format_value};
use crate::eval::{CellResult, Workbook};
use crate::syntax::CellId;

/// One scenario's evaluation, with the cells to show.
pub(super) struct Column {
    /// The scenario's name.
    pub scenario: String,
    /// The model under it, evaluated.
    pub book: Workbook,
    /// The cells that vary from sample to sample (empty in a certain model).
    uncertain: Vec<bool>,
}

impl Column {
    /// A scenario's evaluation, its uncertain cells found.
    pub fn new(scenario: String, book: Workbook) -> Column {
        let uncertain = book.uncertain();
        Column {
            scenario,
            book,
            uncertain,
        }
    }

    /// Whether a cell holds or reads a distribution: `~` before its value
    /// (docs/language.md#uncertainty: a median, not a certainty).
    pub fn is_uncertain(&self, id: CellId) -> bool {
        self.uncertain.get(id.index()).copied().unwrap_or(false)
    }

    /// A value as a table shows it: `~` before an uncertain cell's (not
    /// with `--exact`, nor before an error, which is no median).
    pub fn marked(
        &self,
        id: CellId,
        result: Option<&CellResult>,
        value: String,
        exact: bool,
    ) -> String {
        let failed = matches!(result, Some(Err(_)));
        crate::display::marked(self.is_uncertain(id) && !failed, exact, value)
    }
}

/// Whether a cell shows as a percentage.
pub(super) fn percent(book: &Workbook, id: CellId) -> bool {
    book.model().definition(id).is_some_and(|d| d.percent)
}

/// The value as shown in a table cell.
pub(super) fn shown(book: &Workbook, id: CellId, exact: bool) -> String {
    shown_result(book.value(id), percent(book, id), exact)
}

/// A result as shown in a table cell: the value, `error`, or `-` when not computed.
pub(super) fn shown_result(r: Option<&CellResult>, percent: bool, exact: bool) -> String {
    match r {
        Some(Ok(v)) if exact => format_exact(v),
        Some(Ok(v)) => format_value(v, percent),
        Some(Err(_)) => "error".to_string(),
        None => "-".to_string(),
    }
}
