//! The cells of a knot while they are computed period by period (see
//! `knot`): formulas read them here before they are stored in the workbook.

use rustc_hash::FxHashMap;

use crate::model::AxisId;
use crate::syntax::ast::CellId;

use super::CellResult;

/// One cell of a knot being computed: its shape and the results so far.
pub(super) struct Entry {
    /// The cell.
    pub id: CellId,
    /// Its axis; `None` for a cell of one value.
    pub axis: Option<AxisId>,
    /// The label of its first period.
    pub first: i64,
    /// A result a period (one for a cell of one value), `None` until computed.
    pub results: Vec<Option<CellResult>>,
}

/// An element of a knot: a cell (its entry) and a period (its position).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct Node {
    /// The cell's place among the entries.
    pub entry: usize,
    /// The period's position on the axis (0 for a cell of one value).
    pub at: usize,
}

/// What reading a cell of the knot finds.
pub(super) enum Found<'a> {
    /// Its result there (`label` is the period, for a series).
    Result(&'a CellResult, Option<i64>),
    /// Not computed yet (an ordering mistake: never expected).
    NotYet,
    /// A period off its axis.
    Outside(i64),
    /// A series read without a period.
    NoPeriod,
}

/// The cells of a knot while they are computed.
#[derive(Default)]
pub(crate) struct Partial {
    pub(super) index: FxHashMap<CellId, usize>,
    pub(super) entries: Vec<Entry>,
}

impl Partial {
    /// Adds a cell to compute.
    pub(super) fn push(&mut self, entry: Entry) {
        self.index.insert(entry.id, self.entries.len());
        self.entries.push(entry);
    }

    fn entry(&self, id: CellId) -> Option<&Entry> {
        self.index.get(&id).and_then(|&i| self.entries.get(i))
    }

    /// The axis of a series being computed here.
    pub(super) fn axis_of(&self, id: CellId) -> Option<AxisId> {
        self.entry(id).and_then(|e| e.axis)
    }

    /// `id` read at `label` (the period computed, or one an index names):
    /// `None` when `id` is not computed here.
    pub(super) fn find(&self, id: CellId, label: Option<i64>) -> Option<Found<'_>> {
        let e = self.entry(id)?;
        let (slot, label) = match (e.axis, label) {
            (None, _) => (e.results.first(), None),
            (Some(_), Some(label)) => {
                let at = label
                    .checked_sub(e.first)
                    .and_then(|d| usize::try_from(d).ok());
                match at.and_then(|i| e.results.get(i)) {
                    Some(slot) => (Some(slot), Some(label)),
                    None => return Some(Found::Outside(label)),
                }
            }
            (Some(_), None) => return Some(Found::NoPeriod),
        };
        Some(match slot {
            Some(Some(r)) => Found::Result(r, label),
            _ => Found::NotYet,
        })
    }

    /// Stores an element's result.
    pub(super) fn set(&mut self, node: Node, result: CellResult) {
        if let Some(slot) = self
            .entries
            .get_mut(node.entry)
            .and_then(|e| e.results.get_mut(node.at))
        {
            *slot = Some(result);
        }
    }

    /// Whether an element has its result.
    pub(super) fn is_set(&self, node: Node) -> bool {
        self.entries
            .get(node.entry)
            .and_then(|e| e.results.get(node.at))
            .is_some_and(Option::is_some)
    }
}
