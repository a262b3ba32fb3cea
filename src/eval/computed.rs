//! What a cell holds once computed: one value (or why it has none), or a
//! series of them, one a period (docs/language.md#axes-and-series).

use std::sync::Arc;

use crate::model::AxisId;

use super::CellResult;

/// A cell's result: one value, or one a period.
///
/// A series sits behind one pointer, so that a workbook's slot per cell
/// stays as small as a value (a test pins it), and so that copying a
/// series' result (the REPL keeps the old one to say what moved) costs a
/// reference count, not its elements.
#[derive(Clone, Debug, PartialEq)]
pub enum Computed {
    /// A cell of one value, or a series cell that failed as a whole (a
    /// shape error: two axes in one formula, `sum(x)` of a lone series).
    One(CellResult),
    /// A series: a result a period, each failing on its own.
    Series(Arc<Series>),
}

/// The elements of a series cell, one a period of its axis.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The axis.
    pub axis: AxisId,
    /// The label of the first period.
    pub first: i64,
    /// A result a period, in order.
    pub elements: Vec<CellResult>,
}

impl Series {
    /// The result of the period `label`, if it is on the axis.
    pub fn get(&self, label: i64) -> Option<&CellResult> {
        let at = usize::try_from(label.checked_sub(self.first)?).ok()?;
        self.elements.get(at)
    }

    /// Each period's label and result, in order.
    pub fn periods(&self) -> impl Iterator<Item = (i64, &CellResult)> + '_ {
        (self.first..).zip(&self.elements)
    }

    /// The periods that failed, in order.
    pub fn errors(&self) -> impl Iterator<Item = (i64, &super::CellError)> + '_ {
        self.periods().filter_map(|(label, r)| match r {
            Err(e) => Some((label, &**e)),
            Ok(_) => None,
        })
    }
}

impl Computed {
    /// The result of a cell of one value; `None` for a series.
    pub fn one(&self) -> Option<&CellResult> {
        match self {
            Computed::One(r) => Some(r),
            Computed::Series(_) => None,
        }
    }

    /// The series, if this is one.
    pub fn series(&self) -> Option<&Series> {
        match self {
            Computed::One(_) => None,
            Computed::Series(s) => Some(s),
        }
    }

    /// The result at a period: a series' element (`None` off its axis), or
    /// the one value whatever the period (a scalar reads the same in every one).
    pub fn at(&self, period: Option<i64>) -> Option<&CellResult> {
        match (self, period) {
            (Computed::One(r), _) => Some(r),
            (Computed::Series(s), Some(label)) => s.get(label),
            (Computed::Series(_), None) => None,
        }
    }

    /// Whether the cell failed: as a whole, or in any period.
    pub fn failed(&self) -> bool {
        match self {
            Computed::One(r) => r.is_err(),
            Computed::Series(s) => s.elements.iter().any(Result::is_err),
        }
    }

    /// The first failure: the cell's, or its first failed period's (with its label).
    pub fn first_error(&self) -> Option<(Option<i64>, &super::CellError)> {
        match self {
            Computed::One(Err(e)) => Some((None, e)),
            Computed::One(Ok(_)) => None,
            Computed::Series(s) => s.errors().next().map(|(l, e)| (Some(l), e)),
        }
    }
}

impl From<CellResult> for Computed {
    fn from(r: CellResult) -> Computed {
        Computed::One(r)
    }
}
