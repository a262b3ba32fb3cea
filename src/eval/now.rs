//! The period a formula over an axis is computed for: what the evaluator
//! and the sources of uncertain values (statistics are per period) share.

use crate::model::AxisId;

/// The period a formula over an axis is computed for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    /// The axis.
    pub axis: AxisId,
    /// The period's label.
    pub label: i64,
}
