//! Data tables: cells tabulated while one input (or two) steps through a
//! range (`premise sweep`, the REPL's `:sweep`).

use std::io::Write;

use rust_decimal::Decimal;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::display::{format_exact, format_value};
use crate::eval::{CellResult, Workbook};
use crate::model::Address;
use crate::value::{math, Value};

use super::probe::{percent, Probe, Varied};
use super::quantity::{Vary, MAX_POINTS};
use super::{columns, WhatIfError};

/// A cell shown in the table.
#[derive(Clone, Debug)]
pub struct Column {
    /// Its name (`gap`, `capex[2026]`).
    pub name: String,
    /// The cell, or one period of a series.
    pub at: Address,
    /// Shown as a percentage.
    pub percent: bool,
}

/// An input that steps, and the values it takes.
#[derive(Clone, Debug)]
pub struct Axis {
    /// The input.
    pub input: Varied,
    /// Its values, in order.
    pub values: Vec<Decimal>,
}

/// One point of the table: the inputs' values and the shown cells' values there.
#[derive(Clone, Debug)]
pub struct Point {
    /// One value per axis.
    pub inputs: Vec<Decimal>,
    /// One result per shown cell.
    pub cells: Vec<CellResult>,
}

/// A computed data table.
#[derive(Clone, Debug)]
pub struct Table {
    /// The model file.
    pub file: String,
    /// One axis (a column of rows) or two (rows × columns, one shown cell).
    pub axes: Vec<Axis>,
    /// The cells shown.
    pub shown: Vec<Column>,
    /// Every point, the first axis outermost.
    pub points: Vec<Point>,
    /// Things the analyst should know (a column that cannot move, ...).
    pub notes: Vec<String>,
}

impl Table {
    /// Whether any shown value failed to compute.
    pub fn has_errors(&self) -> bool {
        self.points
            .iter()
            .any(|p| p.cells.iter().any(Result::is_err))
    }
}

/// Tabulates the cells `show` while each of `varies` steps through its
/// range (`premise sweep`, the REPL's `:sweep`): one input, or two for a
/// two-way table of a single cell. The workbook is not changed.
pub fn sweep(book: &Workbook, varies: &[Vary], show: &[String]) -> Result<Table, WhatIfError> {
    if varies.is_empty() || varies.len() > 2 {
        return Err(WhatIfError::question(
            "give one --vary INPUT=FROM..TO[:STEP], or two for a two-way table",
        ));
    }
    let show: Vec<&str> = show
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if show.is_empty() {
        return Err(WhatIfError::question(
            "name the cells to show: --show CELL,...",
        ));
    }
    if varies.len() == 2 && show.len() != 1 {
        return Err(WhatIfError::question(format!(
            "a two-way table shows one cell; got {} ({})",
            show.len(),
            show.join(", ")
        )));
    }
    let mut probe = Probe::new(book);
    let mut axes = Vec::new();
    let mut notes = Vec::new();
    for v in varies {
        let input = probe.vary(v.input.trim())?;
        if axes
            .iter()
            .any(|a: &Axis| a.input.address() == input.address())
        {
            return Err(WhatIfError::question(format!(
                "'{}' is varied twice",
                input.name
            )));
        }
        let range = v.range(book, &input.unit)?;
        let values = range.points(MAX_POINTS, &input.unit, input.percent)?;
        let uneven = range.step.is_some_and(|s| {
            let n = values.len();
            match (values.get(n.wrapping_sub(2)), values.last()) {
                (Some(&a), Some(&b)) => math::sub(b, a).map(|d| d.abs()) != Ok(s),
                _ => false,
            }
        });
        if uneven {
            notes.push(format!(
                "the step does not divide {}'s range; the last row is {} itself",
                input.name,
                input.show(range.to)
            ));
        }
        if !input.is_input() {
            notes.push(format!(
                "'{}' is a formula ({}); the sweep replaces it by each value",
                input.name,
                input.formula()
            ));
        }
        axes.push(Axis { input, values });
    }
    let total = axes
        .iter()
        .map(|a| a.values.len())
        .try_fold(1usize, usize::checked_mul);
    let total = match total {
        Some(t) if t <= MAX_POINTS => t,
        Some(t) => {
            return Err(WhatIfError::question(format!(
                "the table would have {t} points, more than {MAX_POINTS}; take bigger steps"
            )))
        }
        None => {
            return Err(WhatIfError::question(format!(
                "the table would have more than {MAX_POINTS} points; take bigger steps"
            )))
        }
    };
    let mut shown = Vec::new();
    for name in show {
        let at = probe.output(name)?;
        let moves = axes.iter().any(|a| {
            a.input.address() == at || book.graph().ancestors(at.cell).contains(&a.input.id)
        });
        if !moves {
            let names: Vec<&str> = axes.iter().map(|a| a.input.name.as_str()).collect();
            notes.push(format!(
                "'{name}' does not depend on {}; its column does not move",
                names.join(" or ")
            ));
        }
        shown.push(Column {
            name: name.to_string(),
            at,
            percent: percent(book, at.cell),
        });
    }
    let mut points = Vec::with_capacity(total);
    match axes.as_slice() {
        [a] => {
            for &x in &a.values {
                probe.set(&a.input, x)?;
                points.push(Point {
                    inputs: vec![x],
                    cells: shown.iter().map(|c| probe.value(c.at)).collect(),
                });
            }
        }
        [a, b] => {
            for &x in &a.values {
                probe.set(&a.input, x)?;
                for &y in &b.values {
                    probe.set(&b.input, y)?;
                    points.push(Point {
                        inputs: vec![x, y],
                        cells: shown.iter().map(|c| probe.value(c.at)).collect(),
                    });
                }
            }
        }
        _ => {}
    }
    Ok(Table {
        file: book.model().path.clone(),
        axes,
        shown,
        points,
        notes,
    })
}

/// A shown value as text: display or exact, `error` for a failure.
fn cell_text(r: &CellResult, percent: bool, exact: bool) -> String {
    match r {
        Ok(v) if exact => format_exact(v),
        Ok(v) => format_value(v, percent),
        Err(_) => "error".to_string(),
    }
}

/// The table as aligned columns: one row per point, or a grid for a
/// two-way table; `exact` shows every digit.
pub fn table_lines(table: &Table, exact: bool) -> Vec<String> {
    if table.axes.len() == 2 {
        grid(table, exact)
    } else {
        rows(table, exact)
    }
}

fn input_text(axis: &Axis, x: Decimal, exact: bool) -> String {
    if exact {
        axis.input.exact(x)
    } else {
        axis.input.show(x)
    }
}

/// One row per point: the input, then each shown cell.
fn rows(table: &Table, exact: bool) -> Vec<String> {
    let mut rows = Vec::with_capacity(table.points.len() + 1);
    let mut header: Vec<String> = table.axes.iter().map(|a| a.input.name.clone()).collect();
    header.extend(table.shown.iter().map(|c| c.name.clone()));
    rows.push(header);
    for p in &table.points {
        let mut row: Vec<String> = table
            .axes
            .iter()
            .zip(&p.inputs)
            .map(|(a, &x)| input_text(a, x, exact))
            .collect();
        row.extend(
            table
                .shown
                .iter()
                .zip(&p.cells)
                .map(|(c, r)| cell_text(r, c.percent, exact)),
        );
        rows.push(row);
    }
    columns(rows)
}

/// A two-way table: the first input down, the second across.
fn grid(table: &Table, exact: bool) -> Vec<String> {
    let ([a, b], Some(c)) = (table.axes.as_slice(), table.shown.first()) else {
        return rows(table, exact);
    };
    let mut lines = vec![format!(
        "{}: {} down, {} across",
        c.name, a.input.name, b.input.name
    )];
    let mut rows = Vec::with_capacity(a.values.len() + 1);
    let mut header = vec![format!("{} \\ {}", a.input.name, b.input.name)];
    header.extend(b.values.iter().map(|&y| input_text(b, y, exact)));
    rows.push(header);
    for (i, &x) in a.values.iter().enumerate() {
        let mut row = vec![input_text(a, x, exact)];
        let start = i.saturating_mul(b.values.len());
        for p in table.points.iter().skip(start).take(b.values.len()) {
            row.push(
                p.cells
                    .first()
                    .map_or_else(String::new, |r| cell_text(r, c.percent, exact)),
            );
        }
        rows.push(row);
    }
    lines.extend(columns(rows));
    lines
}

impl Table {
    /// Each distinct failure once, with the first point it happened at:
    /// `gap: division by zero (at margin = 0%)`. The table shows `error` there.
    pub fn errors(&self) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for p in &self.points {
            for (c, r) in self.shown.iter().zip(&p.cells) {
                if let Err(e) = r {
                    let key = format!("{}: {}", c.name, e.message);
                    if seen.contains(&key) {
                        continue;
                    }
                    let at: Vec<String> = self
                        .axes
                        .iter()
                        .zip(&p.inputs)
                        .map(|(a, &x)| format!("{} = {}", a.input.name, a.input.show(x)))
                        .collect();
                    out.push(format!("{key} (at {})", at.join(", ")));
                    seen.push(key);
                }
            }
        }
        out
    }
}

/// Writes the table as CSV: one line per point; each input and shown cell
/// gives its exact value and its display.
pub fn write_csv(out: &mut dyn Write, table: &Table) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header = Vec::new();
    for a in &table.axes {
        header.push(a.input.name.clone());
        header.push(format!("{} display", a.input.name));
    }
    for c in &table.shown {
        header.push(c.name.clone());
        header.push(format!("{} display", c.name));
    }
    w.write_record(&header)?;
    for p in &table.points {
        let mut line = Vec::new();
        for (a, &x) in table.axes.iter().zip(&p.inputs) {
            line.push(a.input.exact(x));
            line.push(a.input.show(x));
        }
        for (c, r) in table.shown.iter().zip(&p.cells) {
            match r {
                Ok(v) => {
                    line.push(format_exact(v));
                    line.push(format_value(v, c.percent));
                }
                Err(e) => {
                    line.push(String::new());
                    line.push(format!("error: {}", e.message));
                }
            }
        }
        w.write_record(&line)?;
    }
    w.flush()
}

/// A value in JSON, as `eval --format json` gives it.
#[derive(Serialize)]
#[serde(untagged)]
enum JsonValue {
    Value {
        value: serde_json::Value,
        unit: String,
        display: String,
    },
    Error {
        error: String,
    },
}

fn json_value(r: &CellResult, percent: bool) -> JsonValue {
    match r {
        Ok(v @ Value::Bool(b)) => JsonValue::Value {
            value: serde_json::Value::Bool(*b),
            unit: String::new(),
            display: format_value(v, percent),
        },
        Ok(v @ Value::Number { unit, .. }) => JsonValue::Value {
            value: serde_json::Value::String(format_exact(v)),
            unit: unit.to_string(),
            display: format_value(v, percent),
        },
        Err(e) => JsonValue::Error {
            error: e.message.to_string(),
        },
    }
}

/// An object whose keys keep the order they were added in.
struct Ordered(Vec<(String, JsonValue)>);

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct JsonTable<'a> {
    file: &'a str,
    vary: Vec<&'a str>,
    show: Vec<&'a str>,
    rows: Vec<Ordered>,
}

/// Writes the table as JSON data:
/// `{"file", "vary": [...], "show": [...], "rows": [{"margin": {...}, "gap": {...}}]}`.
pub fn write_json(out: &mut dyn Write, table: &Table) -> std::io::Result<()> {
    let rows = table
        .points
        .iter()
        .map(|p| {
            let mut entries = Vec::new();
            for (a, &x) in table.axes.iter().zip(&p.inputs) {
                let v = Ok(Value::with_unit(x, a.input.unit.clone()));
                entries.push((a.input.name.clone(), json_value(&v, a.input.percent)));
            }
            for (c, r) in table.shown.iter().zip(&p.cells) {
                entries.push((c.name.clone(), json_value(r, c.percent)));
            }
            Ordered(entries)
        })
        .collect();
    let doc = JsonTable {
        file: &table.file,
        vary: table.axes.iter().map(|a| a.input.name.as_str()).collect(),
        show: table.shown.iter().map(|c| c.name.as_str()).collect(),
        rows,
    };
    let text = serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}
