//! `premise eval`'s table when some of its cells are series: a series is one
//! row with its periods as columns under a header row of labels; a long
//! axis shows its first and last periods around `…` unless every period is
//! asked for (docs/language.md#axes-and-series).

use std::io::Write;

use super::column::{percent, shown, shown_result, Column};
use crate::eval::Computed;
use crate::model::{Axis, AxisId, Model};
use crate::syntax::CellId;
use crate::table::{Align, Table};

/// Axes longer than this are shown around `…`.
const ELIDE_ABOVE: usize = 12;
/// Periods shown before the `…`.
const HEAD: usize = 6;
/// Periods shown after it.
const TAIL: usize = 5;

/// Whether any of the cells shown is a series, in any scenario.
pub(super) fn any_series(ids: &[CellId], columns: &[Column]) -> bool {
    columns.iter().any(|c| {
        ids.iter()
            .any(|&id| matches!(c.book.computed(id), Some(Computed::Series(_))))
    })
}

/// The periods a row shows, in order; `None` stands for the elided middle.
fn shown_periods(axis: &Axis, all: bool) -> Vec<Option<i64>> {
    let n = axis.len();
    if all || n <= ELIDE_ABOVE {
        return axis.labels().map(Some).collect();
    }
    let mut v: Vec<Option<i64>> = (0..HEAD).map(|i| Some(axis.label(i))).collect();
    v.push(None);
    v.extend((n - TAIL..n).map(|i| Some(axis.label(i))));
    v
}

/// The formula column: `= formula`, or a series' formulas as written,
/// then the first error of each scenario.
fn formula_column(model: &Model, id: CellId, columns: &[Column], multi: bool) -> String {
    let mut last = format!("= {}", model.formula_text(id));
    for c in columns {
        let tag = if multi {
            format!(" [{}]", c.scenario)
        } else {
            String::new()
        };
        match c.book.computed(id) {
            Some(Computed::One(Err(e))) => {
                last.push_str(&format!("   ← error{tag}: {}", e.message));
            }
            Some(Computed::Series(s)) => {
                let mut errors = s.errors();
                if let Some((label, e)) = errors.next() {
                    let more = match errors.count() {
                        0 => String::new(),
                        n => format!(" (and {n} more)"),
                    };
                    last.push_str(&format!("   ← error in {label}{tag}: {}{more}", e.message));
                }
            }
            _ => {}
        }
    }
    last
}

/// The table of the `named` cells under each scenario of `columns`, series
/// as rows of periods.
pub(super) fn table(
    out: &mut dyn Write,
    model: &Model,
    named: &[(CellId, &str)],
    columns: &[Column],
    exact: bool,
    all_periods: bool,
) -> std::io::Result<()> {
    let multi = columns.len() > 1;
    // How many period columns the widest series needs, and whether any row is one value.
    let mut width = 0;
    let mut any_one = false;
    for c in columns {
        for &(id, _) in named {
            match c.book.computed(id) {
                Some(Computed::Series(s)) => {
                    if let Some(axis) = model.axis(s.axis) {
                        width = width.max(shown_periods(axis, all_periods).len());
                    }
                }
                _ => any_one = true,
            }
        }
    }
    let lead = 1 + usize::from(multi) + usize::from(any_one);
    let mut rows: Vec<Vec<String>> = Vec::new();
    // The labels head the table; another axis' labels come before its first row.
    let mut header: Option<AxisId> = None;
    let first_axis = named.iter().find_map(|&(id, _)| {
        columns.iter().find_map(|c| match c.book.computed(id) {
            Some(Computed::Series(s)) => Some(s.axis),
            _ => None,
        })
    });
    let labels_row = |axis: &Axis| {
        let mut h = vec![String::new(); lead];
        h.extend(shown_periods(axis, all_periods).iter().map(|l| match l {
            Some(l) => l.to_string(),
            None => "…".to_string(),
        }));
        h
    };
    if let Some((id, axis)) = first_axis.and_then(|a| model.axis(a).map(|x| (a, x))) {
        header = Some(id);
        rows.push(labels_row(axis));
    }
    for &(id, name) in named {
        let formula = formula_column(model, id, columns, multi);
        for (k, c) in columns.iter().enumerate() {
            let mut row = vec![if k == 0 || !multi {
                name.to_string()
            } else {
                String::new()
            }];
            if multi {
                row.push(c.scenario.clone());
            }
            let periods: Vec<String> = match c.book.computed(id) {
                Some(Computed::Series(s)) => {
                    let Some(axis) = model.axis(s.axis) else {
                        continue;
                    };
                    let labels = shown_periods(axis, all_periods);
                    if header != Some(s.axis) {
                        header = Some(s.axis);
                        rows.push(labels_row(axis));
                    }
                    if any_one {
                        row.push(String::new());
                    }
                    let percent = percent(&c.book, id);
                    labels
                        .iter()
                        .map(|l| match l {
                            Some(l) => c.marked(
                                id,
                                s.get(*l),
                                shown_result(s.get(*l), percent, exact),
                                exact,
                            ),
                            None => "…".to_string(),
                        })
                        .collect()
                }
                _ => {
                    row.push(c.marked(id, c.book.value(id), shown(&c.book, id, exact), exact));
                    Vec::new()
                }
            };
            let filled = periods.len();
            row.extend(periods);
            row.extend(std::iter::repeat_n(
                String::new(),
                width.saturating_sub(filled),
            ));
            // The formula once per cell, on its first row.
            row.push(if k == 0 {
                formula.clone()
            } else {
                String::new()
            });
            rows.push(row);
        }
    }
    let mut align = vec![Align::Left];
    if multi {
        align.push(Align::Left);
    }
    align.extend(std::iter::repeat_n(
        Align::Right,
        width + usize::from(any_one),
    ));
    align.push(Align::Left);
    let mut t = Table::new(&align);
    for row in rows {
        t.row(row);
    }
    t.write(out)
}
