//! Computing a [`Diff`] from two evaluated workbooks.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::values::{in_other_units, same_definition, same_result, shown, value_change};
use super::{
    CellSummary, Diff, FormulaChange, InputChange, OverrideChange, Rename, ScenarioChange,
    ScenarioStatus, ValueChange,
};
use crate::eval::Workbook;
use crate::internal::InternalError;
use crate::model::{Definition, Model, Scenario};
use crate::syntax::CellId;

/// Compares two evaluated versions of a model, matching cells by name.
///
/// The labels are the models' paths and the scenario is `base`; callers that
/// know better (a git revision, `--scenario`) set [`Diff::old`], [`Diff::new`]
/// and [`Diff::scenario`] on the result. A scenario override of a cell
/// that is not in its model is an internal error.
pub fn diff(old: &Workbook, new: &Workbook) -> Result<Diff, InternalError> {
    let om = old.model();
    let nm = new.model();
    let mut d = Diff {
        old: om.path.clone(),
        new: nm.path.clone(),
        scenario: "base".to_string(),
        ..Diff::default()
    };
    let mut added: Vec<Defined> = Vec::new();
    let mut removed: Vec<Defined> = Vec::new();
    // The cells both sides have, by name or by a rename: (old, new).
    let mut pairs: Vec<(Defined, Defined)> = Vec::new();
    for cell @ (_, name, _) in nm.defined_cells() {
        match om.defined(name).and_then(|oid| defined(om, oid)) {
            Some(old_cell) => pairs.push((old_cell, cell)),
            None => added.push(cell),
        }
    }
    for cell @ (_, name, _) in om.defined_cells() {
        if nm.defined(name).is_none() {
            removed.push(cell);
        }
    }
    let renames = renames(&removed, &added);
    for &((_, old_name, od), (_, new_name, _)) in &renames {
        d.renamed.push(Rename {
            old: old_name.to_string(),
            new: new_name.to_string(),
            formula: od.written(),
        });
    }
    added.retain(|(a, _, _)| !renames.iter().any(|(_, (n, _, _))| n == a));
    removed.retain(|(r, _, _)| !renames.iter().any(|((o, _, _), _)| o == r));
    d.added = added.iter().map(|&cell| summary(new, cell)).collect();
    d.removed = removed.iter().map(|&cell| summary(old, cell)).collect();

    let rank = dependency_order(nm);
    let mut moved: Vec<(usize, ValueChange)> = Vec::new();
    for &((oid, old_name, od), (nid, name, nd)) in pairs.iter().chain(&renames) {
        let renamed = old_name != name;
        if (om.has_axes() || nm.has_axes()) && super::series::involved(old, new, oid, nid) {
            let at = rank.get(&nid).copied().unwrap_or(usize::MAX);
            let same = super::series::compare(&mut d, &mut moved, at, (old, oid), (new, nid))?;
            if same && !renamed {
                d.unchanged += 1;
            }
            continue;
        }
        let name = name.to_string();
        let same = same_definition(od, nd);
        let (ov, nv) = (old.value(oid), new.value(nid));
        let value_changed = !same_result(ov, nv);
        if !same {
            if od.is_input() && nd.is_input() {
                d.inputs.push(InputChange {
                    name: name.clone(),
                    old_formula: od.written(),
                    new_formula: nd.written(),
                    old: shown(ov, od.percent),
                    new: shown(nv, nd.percent),
                    same_value: !value_changed && in_other_units(ov, nv),
                    uncertain: od.draws || nd.draws,
                    doc: nd.doc.as_deref().map(str::to_owned),
                });
            } else {
                d.formulas.push(FormulaChange {
                    name: name.clone(),
                    old: od.written(),
                    new: nd.written(),
                    doc: nd.doc.as_deref().map(str::to_owned),
                });
            }
        }
        if value_changed && !nd.is_input() {
            moved.push((
                rank.get(&nid).copied().unwrap_or(usize::MAX),
                value_change(name, ov, nv, od.percent, nd.percent),
            ));
        } else if same && !value_changed && !renamed {
            d.unchanged += 1;
        }
    }
    moved.sort_by_key(|(position, _)| *position);
    d.values = moved.into_iter().map(|(_, v)| v).collect();
    d.scenarios = scenarios(om, nm)?;
    if om.has_axes() || nm.has_axes() {
        d.axes = super::series::axes(om, nm);
    }
    Ok(d)
}

/// A defined cell of one side: its id, name and definition.
type Defined<'a> = (CellId, &'a str, &'a Definition);

/// The defined cell `id` of `model`.
fn defined(model: &Model, id: CellId) -> Option<Defined<'_>> {
    let cell = model.cell(id)?;
    Some((id, &cell.name, cell.def.as_deref()?))
}

/// Each defined cell's place in a dependency order that keeps file order
/// wherever dependencies allow (cells on cycles last, in file order).
fn dependency_order(model: &Model) -> HashMap<CellId, usize> {
    let cells = model.cells_in_order();
    let file: HashMap<CellId, usize> = cells.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    let mut waiting: HashMap<CellId, usize> = HashMap::new();
    let mut readers: HashMap<CellId, Vec<CellId>> = HashMap::new();
    for &c in cells {
        let mut deps = model.deps(c);
        deps.sort();
        deps.dedup();
        deps.retain(|d| file.contains_key(d));
        waiting.insert(c, deps.len());
        for d in deps {
            readers.entry(d).or_default().push(c);
        }
    }
    let mut ready: BinaryHeap<Reverse<(usize, CellId)>> = cells
        .iter()
        .filter(|c| waiting.get(c) == Some(&0))
        .map(|&c| Reverse((file.get(&c).copied().unwrap_or(0), c)))
        .collect();
    let mut rank: HashMap<CellId, usize> = HashMap::new();
    while let Some(Reverse((_, c))) = ready.pop() {
        rank.insert(c, rank.len());
        for &r in readers.get(&c).map_or(&[][..], Vec::as_slice) {
            if let Some(w) = waiting.get_mut(&r) {
                *w = w.saturating_sub(1);
                if *w == 0 {
                    ready.push(Reverse((file.get(&r).copied().unwrap_or(0), r)));
                }
            }
        }
    }
    for &c in cells {
        if !rank.contains_key(&c) {
            rank.insert(c, rank.len());
        }
    }
    rank
}

/// Pairs of (removed, added) cells with the same formula, each formula held
/// by exactly one removed and one added cell.
fn renames<'a>(removed: &[Defined<'a>], added: &[Defined<'a>]) -> Vec<(Defined<'a>, Defined<'a>)> {
    // Bucket by canonical text, then confirm as syntax trees.
    type Bucket<'a> = (Vec<Defined<'a>>, Vec<Defined<'a>>);
    let mut by_text: HashMap<String, Bucket<'a>> = HashMap::new();
    for &r in removed {
        by_text.entry(r.2.written()).or_default().0.push(r);
    }
    for &a in added {
        by_text.entry(a.2.written()).or_default().1.push(a);
    }
    let mut out: Vec<(Defined, Defined)> = by_text
        .into_values()
        .filter_map(|(rs, adds)| match (rs.as_slice(), adds.as_slice()) {
            ([r], [a]) => Some((*r, *a)),
            _ => None,
        })
        .filter(|(r, a)| same_definition(r.2, a.2))
        .collect();
    let file: HashMap<CellId, usize> = added
        .iter()
        .enumerate()
        .map(|(i, &(c, _, _))| (c, i))
        .collect();
    out.sort_by_key(|(_, a)| file.get(&a.0).copied());
    out
}

/// An added or removed cell, with its value on its side.
fn summary(book: &Workbook, (id, name, def): Defined) -> CellSummary {
    let model = book.model();
    let (formula, value) = if model.has_axes() {
        let formula = match model.series(id) {
            // `+ capex = capex[2024] = $50B; ...`: a series' formulas as written.
            Some(_) => model.formula_text(id),
            None => def.written(),
        };
        (
            formula,
            super::series::summed_up(book, id, book.computed(id), def.percent),
        )
    } else {
        (def.written(), shown(book.value(id), def.percent))
    };
    CellSummary {
        name: name.to_string(),
        formula,
        value,
        doc: def.doc.as_deref().map(str::to_owned),
    }
}

/// Scenarios added, removed, or whose overrides differ: new file order, then removed ones.
fn scenarios(om: &Model, nm: &Model) -> Result<Vec<ScenarioChange>, InternalError> {
    let mut out = Vec::new();
    for s in &nm.scenarios {
        match om.scenario(&s.name) {
            None => out.push(ScenarioChange {
                name: s.name.to_string(),
                status: ScenarioStatus::Added,
                overrides: overrides(nm, s)?
                    .into_iter()
                    .map(|(cell, text, _)| OverrideChange {
                        cell,
                        old: None,
                        new: Some(text),
                    })
                    .collect(),
            }),
            Some(o) => {
                let changes = override_changes(om, o, nm, s)?;
                if !changes.is_empty() {
                    out.push(ScenarioChange {
                        name: s.name.to_string(),
                        status: ScenarioStatus::Changed,
                        overrides: changes,
                    });
                }
            }
        }
    }
    for s in &om.scenarios {
        if nm.scenario(&s.name).is_none() {
            out.push(ScenarioChange {
                name: s.name.to_string(),
                status: ScenarioStatus::Removed,
                overrides: overrides(om, s)?
                    .into_iter()
                    .map(|(cell, text, _)| OverrideChange {
                        cell,
                        old: Some(text),
                        new: None,
                    })
                    .collect(),
            });
        }
    }
    Ok(out)
}

/// One override of a scenario: (cell name, formula text, definition).
type OverrideText<'a> = (String, String, &'a Definition);

/// A scenario's overrides; a series' part is named as written
/// (`capex[2025]`, `capex[year]`).
fn overrides<'a>(model: &Model, s: &'a Scenario) -> Result<Vec<OverrideText<'a>>, InternalError> {
    s.overrides
        .iter()
        .map(|o| Ok((model.slot_key(o.cell, o.slot)?, o.def.written(), &o.def)))
        .collect()
}

fn override_changes(
    om: &Model,
    o: &Scenario,
    nm: &Model,
    n: &Scenario,
) -> Result<Vec<OverrideChange>, InternalError> {
    let old = overrides(om, o)?;
    let new = overrides(nm, n)?;
    let mut out = Vec::new();
    for (cell, text, def) in &new {
        match old.iter().find(|(c, _, _)| c == cell) {
            Some((_, _, old_def)) if same_definition(old_def, def) => {}
            Some((_, old_text, _)) => out.push(OverrideChange {
                cell: cell.clone(),
                old: Some(old_text.clone()),
                new: Some(text.clone()),
            }),
            None => out.push(OverrideChange {
                cell: cell.clone(),
                old: None,
                new: Some(text.clone()),
            }),
        }
    }
    for (cell, text, _) in &old {
        if !new.iter().any(|(c, _, _)| c == cell) {
            out.push(OverrideChange {
                cell: cell.clone(),
                old: Some(text.clone()),
                new: None,
            });
        }
    }
    Ok(out)
}
