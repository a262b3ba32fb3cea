//! Scenarios: named sets of overrides (`scenario bear { margin = 40% }`).

use super::{Definition, Slot};
use crate::syntax::{CellId, Span};

/// One `name = expression` inside a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// The cell it replaces.
    pub cell: CellId,
    /// Which of the cell's formulas: the whole cell, a series' rule or one pin.
    pub slot: Slot,
    /// The replacement formula.
    pub def: Definition,
}

/// A named what-if: the base model with some cells' formulas replaced.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// Its name, as in `--scenario bear`.
    pub name: Box<str>,
    /// Where the name was written.
    pub name_span: Span,
    /// 1-based line of `scenario NAME {`.
    pub line: u32,
    /// `##` doc lines directly above.
    pub doc: Option<Box<str>>,
    /// The overrides, in file order.
    pub overrides: Vec<Override>,
}
