//! Comparing the cells of two versions that are series on either side
//! (docs/language.md#axes-and-series): their pins and rules one by one
//! (a pin that reads no cell is an input), and their values period by period.

use super::values::{in_other_units, same_definition, same_result, shown, value_change};
use super::{AxisChange, Diff, FormulaChange, InputChange, Shown, ValueChange};
use crate::eval::{Computed, Workbook};
use crate::internal::InternalError;
use crate::model::{Definition, Model};
use crate::syntax::CellId;

/// What a formula that is not there reads as.
const NONE: &str = "(none)";

/// Axes added, removed or with other periods, in the new file's order, then removed ones.
pub(super) fn axes(om: &Model, nm: &Model) -> Vec<AxisChange> {
    let span = |a: &crate::model::Axis| format!("{}..{}", a.first, a.last);
    let mut out = Vec::new();
    for a in nm.axes() {
        let old = om.axis_named(&a.name).and_then(|o| om.axis(o)).map(span);
        let new = Some(span(a));
        if old != new {
            out.push(AxisChange {
                name: a.name.to_string(),
                old,
                new,
            });
        }
    }
    for a in om.axes() {
        if nm.axis_named(&a.name).is_none() {
            out.push(AxisChange {
                name: a.name.to_string(),
                old: Some(span(a)),
                new: None,
            });
        }
    }
    out
}

/// Whether a pair of cells is compared here: a series on either side, by
/// definition or by what it computes.
pub(super) fn involved(old: &Workbook, new: &Workbook, oid: CellId, nid: CellId) -> bool {
    let series = |c: Option<&Computed>| matches!(c, Some(Computed::Series(_)));
    old.model().series(oid).is_some()
        || new.model().series(nid).is_some()
        || series(old.computed(oid))
        || series(new.computed(nid))
}

/// The part of a key after the cell's name: `[2024]`, `[year]`, or "" for a whole cell.
fn suffix<'k>(key: &'k str, name: &str) -> &'k str {
    key.get(name.len()..).unwrap_or("")
}

/// The period a key's brackets name, for a pin.
fn pin_label(suffix: &str) -> Option<i64> {
    suffix.strip_prefix('[')?.strip_suffix(']')?.parse().ok()
}

/// A series' result at a period, as data.
fn element(book: &Workbook, id: CellId, label: i64) -> Shown {
    let percent = book.model().definition(id).is_some_and(|d| d.percent);
    shown(book.value_at(id, Some(label)), percent)
}

/// Compares one pair of cells whose either side is a series: the formula
/// changes go into `d`, the moved periods into `moved` (with `rank`, the
/// cell's place in dependency order). Returns whether nothing differs.
pub(super) fn compare(
    d: &mut Diff,
    moved: &mut Vec<(usize, ValueChange)>,
    rank: usize,
    (old, oid): (&Workbook, CellId),
    (new, nid): (&Workbook, CellId),
) -> Result<bool, InternalError> {
    let (om, nm) = (old.model(), new.model());
    let (oname, nname) = (om.name(oid)?, nm.name(nid)?);
    let doc = nm
        .definition(nid)
        .and_then(|d| d.doc.as_deref().map(str::to_owned));
    let olds: Vec<(String, &Definition)> = om.keyed_formulas(oid)?;
    let news: Vec<(String, &Definition)> = nm.keyed_formulas(nid)?;
    let mut same = true;
    let formula_change =
        |d: &mut Diff, key: &str, o: Option<&Definition>, n: Option<&Definition>| {
            let text =
                |x: Option<&Definition>| x.map_or_else(|| NONE.to_string(), Definition::written);
            let label = pin_label(suffix(key, nname));
            let constant = |x: Option<&Definition>| x.is_none_or(Definition::is_input);
            match label {
                Some(l) if constant(o) && constant(n) => d.inputs.push(InputChange {
                    name: key.to_string(),
                    old_formula: o.map(Definition::written).unwrap_or_default(),
                    new_formula: n.map(Definition::written).unwrap_or_default(),
                    old: element(old, oid, l),
                    new: element(new, nid, l),
                    same_value: {
                        let (a, b) = (old.value_at(oid, Some(l)), new.value_at(nid, Some(l)));
                        same_result(a, b) && in_other_units(a, b)
                    },
                    uncertain: o.is_some_and(|d| d.draws) || n.is_some_and(|d| d.draws),
                    doc: doc.clone(),
                }),
                _ => d.formulas.push(FormulaChange {
                    name: key.to_string(),
                    old: text(o),
                    new: text(n),
                    doc: doc.clone(),
                }),
            }
        };
    for (key, n) in &news {
        let found = olds
            .iter()
            .find(|(k, _)| suffix(k, oname) == suffix(key, nname));
        match found {
            Some((_, o)) if same_definition(o, n) => {}
            Some((_, o)) => {
                same = false;
                formula_change(d, key, Some(o), Some(n));
            }
            None => {
                same = false;
                formula_change(d, key, None, Some(n));
            }
        }
    }
    for (key, o) in &olds {
        let kept = news
            .iter()
            .any(|(k, _)| suffix(k, nname) == suffix(key, oname));
        if !kept {
            same = false;
            let key = format!("{nname}{}", suffix(key, oname));
            formula_change(d, &key, Some(o), None);
        }
    }
    let percent = |m: &Model, id: CellId| m.definition(id).is_some_and(|d| d.percent);
    let (op, np) = (percent(om, oid), percent(nm, nid));
    match (old.computed(oid), new.computed(nid)) {
        (Some(Computed::Series(a)), Some(Computed::Series(b))) => {
            let pinned_input = |label: i64| {
                nm.series(nid)
                    .and_then(|s| s.pin(label))
                    .is_some_and(|p| p.def.is_input())
            };
            for (label, nr) in b.periods() {
                // Periods only one side has are told by the axis' change.
                let Some(or) = a.get(label) else { continue };
                if same_result(Some(or), Some(nr)) {
                    continue;
                }
                same = false;
                if !pinned_input(label) {
                    let name = format!("{nname}[{label}]");
                    moved.push((rank, value_change(name, Some(or), Some(nr), op, np)));
                }
            }
        }
        (Some(Computed::One(a)), Some(Computed::One(b))) => {
            if !same_result(Some(a), Some(b)) {
                same = false;
                let input = nm.is_input(nid) && nm.series(nid).is_none();
                if !input {
                    moved.push((
                        rank,
                        value_change(nname.to_string(), Some(a), Some(b), op, np),
                    ));
                }
            }
        }
        (o, n) => {
            same = false;
            moved.push((
                rank,
                ValueChange {
                    name: nname.to_string(),
                    old: summed_up(old, oid, o, op),
                    new: summed_up(new, nid, n, np),
                    difference: None,
                    change_percent: None,
                },
            ));
        }
    }
    Ok(same)
}

/// A cell's result as data, a series summed up.
pub(super) fn summed_up(book: &Workbook, id: CellId, c: Option<&Computed>, percent: bool) -> Shown {
    match c {
        Some(Computed::Series(s)) => Shown::Series {
            axis: book
                .model()
                .axis(s.axis)
                .map_or_else(String::new, |a| a.name.to_string()),
            display: crate::explain::shown_at(book, crate::model::Address::cell(id)),
        },
        other => shown(other.and_then(Computed::one), percent),
    }
}
