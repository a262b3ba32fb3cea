//! Semantic diff of two versions of a model (docs/language.md#diff): not which lines
//! changed, but which assumptions and formulas changed and how every result
//! moved.
//!
//! [`diff`] compares two evaluated workbooks, wherever they came from (two
//! files, two git revisions, two scenarios of one model), and returns a
//! [`Diff`]: plain data, serialisable, rendered as text ([`render_text`]) or
//! JSON ([`render_json`]). Cells are matched by name; formulas are compared
//! as syntax trees ([`same_formula`](crate::syntax::same_formula)), so re-spacing is not a change.

mod compare;
pub mod git;
mod series;
mod text;
mod values;

use serde::{Deserialize, Serialize};

pub use compare::diff;
pub use text::{header, render_text};

/// Everything that differs between two versions of a model, section by section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Diff {
    /// What the old side is (`HEAD~1:m.model`, a path, a scenario).
    pub old: String,
    /// What the new side is.
    pub new: String,
    /// The scenario both sides were evaluated under (`base` for the model itself).
    pub scenario: String,
    /// Inputs (cells that read no other cell) whose value changed, in the new file's order.
    pub inputs: Vec<InputChange>,
    /// Other cells whose formula changed, in the new file's order.
    pub formulas: Vec<FormulaChange>,
    /// Cells only the new side defines, in its file order.
    pub added: Vec<CellSummary>,
    /// Cells only the old side defines, in its file order.
    pub removed: Vec<CellSummary>,
    /// A removed cell and an added cell with the same formula, no other removed or added cell having it.
    pub renamed: Vec<Rename>,
    /// Scenarios added, removed, or with different overrides.
    pub scenarios: Vec<ScenarioChange>,
    /// Axes added, removed, or with other periods (absent from JSON when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub axes: Vec<AxisChange>,
    /// Every computed (non-input) cell whose value changed, in dependency order.
    pub values: Vec<ValueChange>,
    /// Cells on both sides with the same formula and the same value.
    pub unchanged: usize,
}

impl Diff {
    /// Whether the two versions mean the same (only layout, comments or spelling differ).
    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
            && self.formulas.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.scenarios.is_empty()
            && self.values.is_empty()
            && self.axes.is_empty()
    }
}

/// An axis added, removed, or with other periods: `year 2024..2030 → 2024..2032`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AxisChange {
    /// The axis.
    pub name: String,
    /// Its periods before (`2024..2030`), `None` when it is new.
    pub old: Option<String>,
    /// Its periods now, `None` when it is gone.
    pub new: Option<String>,
}

/// A cell's value as data: the exact value, its unit and how it is shown; or its error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Shown {
    /// A value.
    Value {
        /// The exact decimal as a string, or a JSON boolean.
        value: serde_json::Value,
        /// Canonical unit, `""` for none.
        unit: String,
        /// As the analyst reads it (`$200B`, `37.5%`).
        display: String,
    },
    /// The cell failed.
    Error {
        /// Why.
        error: String,
    },
    /// A series, summed up (its first and last periods).
    Series {
        /// Its axis.
        axis: String,
        /// As the analyst reads it (`2024 $50B … 2030 $241.4B`).
        display: String,
    },
}

impl Shown {
    /// The text shown for it.
    pub fn display(&self) -> String {
        match self {
            Shown::Value { display, .. } | Shown::Series { display, .. } => display.clone(),
            Shown::Error { error } => format!("error: {error}"),
        }
    }
}

/// An input whose value changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputChange {
    /// The cell.
    pub name: String,
    /// Its old formula (usually a literal).
    pub old_formula: String,
    /// Its new formula.
    pub new_formula: String,
    /// Its old value.
    pub old: Shown,
    /// Its new value.
    pub new: Shown,
    /// The new literal is the old value in another unit of one dimension
    /// (`1 [MWh]` → `1000 [kWh]`): written anew, but nothing moves.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub same_value: bool,
    /// Either side is a range (docs/language.md#uncertainty): its value is a
    /// median, so the text shows the formulas too (`50% → 50%` says
    /// nothing when 50% became normal(40% to 60%)).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub uncertain: bool,
    /// Its `##` doc, for context.
    pub doc: Option<String>,
}

/// A cell whose formula changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FormulaChange {
    /// The cell.
    pub name: String,
    /// The old formula, canonically spaced (with ` as %` when marked).
    pub old: String,
    /// The new formula.
    pub new: String,
    /// Its `##` doc, for context.
    pub doc: Option<String>,
}

/// An added or removed cell.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellSummary {
    /// The cell.
    pub name: String,
    /// Its formula.
    pub formula: String,
    /// Its value on the side that has it.
    pub value: Shown,
    /// Its `##` doc.
    pub doc: Option<String>,
}

/// A cell that only changed its name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rename {
    /// The old name.
    pub old: String,
    /// The new name.
    pub new: String,
    /// The formula both have.
    pub formula: String,
}

/// How a scenario changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScenarioStatus {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with different overrides.
    Changed,
}

/// A scenario that was added, removed or changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioChange {
    /// The scenario.
    pub name: String,
    /// Added, removed or changed.
    pub status: ScenarioStatus,
    /// The overrides that differ (all of them for an added or removed scenario).
    pub overrides: Vec<OverrideChange>,
}

/// One override of a scenario: its old and new formula (`None` where it is absent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverrideChange {
    /// The cell it overrides.
    pub cell: String,
    /// The old formula.
    pub old: Option<String>,
    /// The new formula.
    pub new: Option<String>,
}

/// A computed cell whose value moved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueChange {
    /// The cell (its new name, if it was renamed).
    pub name: String,
    /// The old value.
    pub old: Shown,
    /// The new value.
    pub new: Shown,
    /// New minus old, when both are numbers in one unit (percent cells in percentage points).
    pub difference: Option<Shown>,
    /// The change relative to the old value, when both are numbers in one unit and old is not zero.
    pub change_percent: Option<Percent>,
}

/// A relative change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Percent {
    /// In percent, to 4 decimals (`"11.1111"`).
    pub value: String,
    /// As shown (`+11.11%`).
    pub display: String,
}

/// The diff as JSON data (the same content as the text).
pub fn render_json(diff: &Diff) -> String {
    serde_json::to_string_pretty(diff).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests;
