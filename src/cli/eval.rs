//! `premise eval`, `get` and `explain`.
//!
//! A series shows as one row with its periods as columns in tables, as
//! `axis` and `periods` in JSON, and as a row a period in CSV
//! (docs/language.md#axes-and-series).

use std::io::Write;

use serde::Serialize;

use super::column::{percent, shown, Column};
use super::common::{
    cells_named, discard, internal_error, load_model, output_written, prepare, prepare_owned,
    scenarios, sound, usage_error, Exit,
};
use super::{Format, What};
use crate::diagnostic::LineIndex;
use crate::display::{format_exact, format_value};
use crate::eval::{CellError, Computed, Workbook};
use crate::internal::InternalError;
use crate::model::{Address, Definition, Model};
use crate::syntax::CellId;
use crate::table::{Align, Table};
use crate::value::Value;

/// `premise eval FILE [CELL...]`
pub fn eval(
    out: &mut dyn Write,
    file: &str,
    cells: &[String],
    what: &What,
    format: Format,
    exact: bool,
    all_periods: bool,
) -> Exit {
    let model = match load_model(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    crate::diagnostic::emit(&model, &crate::warning::in_model(&model));
    let names = match scenarios(&model, what) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let named = match cells_named(&model, cells) {
        Ok(named) => named,
        Err(code) => return code,
    };
    let ids: Vec<CellId> = named.iter().map(|&(id, _)| id).collect();
    let mut columns = Vec::new();
    for scenario in names {
        let m = match prepare(&model, &scenario, &what.set) {
            Ok(m) => m,
            Err(code) => return code,
        };
        let book = if cells.is_empty() {
            Workbook::new(m)
        } else {
            Workbook::new_for(m, &ids)
        };
        match sound(book) {
            Ok(book) => columns.push(Column::new(scenario, book)),
            Err(code) => return code,
        }
    }
    if let Err(e) = all_computed(&named, &columns) {
        return internal_error(&e);
    }
    if ids.is_empty() {
        eprintln!("note: {file} defines no cells");
    }
    let written = match format {
        Format::Table if super::periods::any_series(&ids, &columns) => {
            super::periods::table(out, &model, &named, &columns, exact, all_periods)
        }
        Format::Table => table(out, &named, &columns, exact),
        Format::Json => json(out, &model, &named, &columns),
        Format::Csv => csv(out, &model, &named, &columns, exact),
    };
    if let Err(code) = output_written(written) {
        return code;
    }
    let targets: Vec<Address> = ids.iter().map(|&id| Address::cell(id)).collect();
    let mut exit = report_failures(&model, &targets, &columns);
    discard(named);
    if cells.is_empty() && report_assertions(&model, &what.set, &columns) {
        exit = Exit::Failed;
    }
    discard((model, columns));
    exit
}

/// Every shown cell has a result in every column: one without is an
/// internal error, never a placeholder.
fn all_computed(named: &[(CellId, &str)], columns: &[Column]) -> Result<(), InternalError> {
    for c in columns {
        for &(id, name) in named {
            if c.book.computed(id).is_none() {
                return Err(InternalError::not_computed(name));
            }
        }
    }
    Ok(())
}

/// Checks the model's assertions in the base and in every scenario (with
/// this run's `--set`), drawing each failure on stderr; whether any failed.
/// The scenarios shown are checked on their workbooks; the others evaluate
/// only what the assertions read.
fn report_assertions(model: &Model, sets: &[String], columns: &[Column]) -> bool {
    if model.assertions.is_empty() {
        return false;
    }
    let mut failed = Vec::new();
    for name in model.scenario_names() {
        let scenario = (name != "base").then_some(name);
        match columns.iter().find(|c| c.scenario == name) {
            Some(c) => failed.extend(crate::assertions::failures(&c.book, scenario)),
            None => {
                let Ok(m) = prepare(model, name, sets) else {
                    continue;
                };
                let needed = crate::assertions::cells_read(&m);
                let book = Workbook::new_for(m, &needed);
                failed.extend(crate::assertions::failures(&book, scenario));
            }
        }
    }
    crate::diagnostic::emit(model, &failed);
    !failed.is_empty()
}

/// One line on stderr per failed cell shown (a series: its first failed
/// period, and how many more failed); exit 1 if any.
pub(super) fn report_failures(model: &Model, targets: &[Address], columns: &[Column]) -> Exit {
    // Built on the first failure: a big model's line index costs a pass over its text.
    let mut indexes: std::collections::HashMap<crate::source::FileId, LineIndex> =
        Default::default();
    let mut failed = false;
    let err = &mut std::io::stderr().lock();
    for c in columns {
        let m = c.book.model();
        for &target in targets {
            let Some((label, e, more)) = failure(&c.book, target) else {
                continue;
            };
            failed = true;
            let id = target.cell;
            let at = e
                .span
                .or_else(|| m.definition(id).map(|d| d.span))
                .filter(|_| {
                    // spans of --set formulas do not point into the file
                    m.definition(id).is_some_and(|d| d.line > 0)
                });
            let file = m.definition(id).map(|d| d.file).unwrap_or_default();
            let (path, text) = (model.file_path(file), model.file_text(file));
            let place = match at {
                Some(span) => {
                    let index = indexes.entry(file).or_insert_with(|| LineIndex::new(text));
                    let (line, col) = index.locate(text, span.start());
                    format!("{path}:{line}:{col}: ")
                }
                None => format!("{path}: "),
            };
            let scenario = if columns.len() > 1 || c.scenario != "base" {
                format!(" (scenario {})", c.scenario)
            } else {
                String::new()
            };
            let name = match m.address_text(Address {
                cell: id,
                period: label,
            }) {
                Ok(name) => name,
                Err(e) => return internal_error(&e),
            };
            let more = match more {
                0 => String::new(),
                1 => " (and 1 more period)".to_string(),
                n => format!(" (and {n} more periods)"),
            };
            let _ = writeln!(
                err,
                "error: {place}cell '{name}'{scenario}: {}{more}",
                e.message
            );
        }
    }
    if failed {
        Exit::Failed
    } else {
        Exit::Ok
    }
}

/// The failure shown for a target: the cell's, or a period's (the first
/// failed one of a whole series, with how many more failed).
fn failure(book: &Workbook, target: Address) -> Option<(Option<i64>, &CellError, usize)> {
    match (book.computed(target.cell), target.period) {
        (Some(Computed::One(Err(e))), _) => Some((None, &**e, 0)),
        (Some(Computed::Series(s)), Some(label)) => match s.get(label) {
            Some(Err(e)) => Some((Some(label), &**e, 0)),
            _ => None,
        },
        (Some(Computed::Series(s)), None) => {
            let mut errors = s.errors();
            let (label, e) = errors.next()?;
            Some((Some(label), e, errors.count()))
        }
        (Some(Computed::One(Ok(_))) | None, _) => None,
    }
}

fn table(
    out: &mut dyn Write,
    named: &[(CellId, &str)],
    columns: &[Column],
    exact: bool,
) -> std::io::Result<()> {
    let multi = columns.len() > 1;
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(named.len() + 1);
    if multi {
        let mut header = vec!["cell".to_string()];
        header.extend(columns.iter().map(|c| c.scenario.clone()));
        header.push("formula".to_string());
        rows.push(header);
    }
    for &(id, name) in named {
        let mut row = vec![name.to_string()];
        for c in columns {
            row.push(c.marked(id, shown(&c.book, id, exact)));
        }
        let first = columns.first().map(|c| &c.book);
        let formula = first
            .map(|b| b.model().formula_text(id))
            .unwrap_or_default();
        let mut last = if multi {
            formula
        } else {
            format!("= {formula}")
        };
        for c in columns {
            if let Some(Err(e)) = c.book.value(id) {
                let tag = if multi {
                    format!(" [{}]", c.scenario)
                } else {
                    String::new()
                };
                last.push_str(&format!("   ← error{tag}: {}", e.message));
            }
        }
        row.push(last);
        rows.push(row);
    }
    // The name, one value per scenario (right-aligned), the formula.
    let mut align = vec![Align::Left];
    align.extend(columns.iter().map(|_| Align::Right));
    align.push(Align::Left);
    let mut t = Table::new(&align);
    for row in rows {
        t.row(row);
    }
    t.write(out)
}

#[derive(Serialize)]
struct JsonModel<'a> {
    file: &'a str,
    scenario: &'a str,
    cells: Vec<JsonCell>,
}

#[derive(Serialize)]
struct JsonCell {
    name: String,
    formula: String,
    input: bool,
    #[serde(flatten)]
    outcome: JsonOutcome,
    /// Holds or reads a distribution: the value is its median.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    uncertain: bool,
}

#[derive(Serialize)]
#[serde(untagged)]
enum JsonOutcome {
    Value {
        value: serde_json::Value,
        unit: String,
        display: String,
    },
    Error {
        error: String,
    },
    Series {
        axis: String,
        periods: Vec<JsonPeriod>,
    },
}

/// One period of a series in JSON: its label, and its value or error.
#[derive(Serialize)]
struct JsonPeriod {
    period: i64,
    #[serde(flatten)]
    outcome: JsonOutcome,
}

/// A cell as JSON data (docs/language.md#json-and-csv).
fn json_cell(column: &Column, id: CellId, name: &str) -> JsonCell {
    let book = &column.book;
    let model = book.model();
    let def = model.definition(id);
    let percent = percent(book, id);
    let one = |r: Option<&crate::eval::CellResult>| match r {
        Some(Ok(v)) => json_value(v, percent),
        Some(Err(e)) => JsonOutcome::Error {
            error: e.message.to_string(),
        },
        None => JsonOutcome::Error {
            error: "not computed".to_string(),
        },
    };
    let outcome = match book.computed(id) {
        Some(Computed::Series(s)) => JsonOutcome::Series {
            axis: model
                .axis(s.axis)
                .map_or_else(String::new, |a| a.name.to_string()),
            periods: s
                .periods()
                .map(|(period, r)| JsonPeriod {
                    period,
                    outcome: one(Some(r)),
                })
                .collect(),
        },
        other => one(other.and_then(Computed::one)),
    };
    JsonCell {
        name: name.to_string(),
        // A series' rule (its pins are in its periods); empty for one with only pins.
        formula: match model.series(id) {
            Some(_) => model
                .slot(id, crate::model::Slot::Rule)
                .map(Definition::formula)
                .unwrap_or_default(),
            None => def.map(Definition::formula).unwrap_or_default(),
        },
        input: def.is_some() && model.is_input(id),
        outcome,
        uncertain: column.is_uncertain(id),
    }
}

fn json_value(v: &Value, percent: bool) -> JsonOutcome {
    match v {
        Value::Bool(b) => JsonOutcome::Value {
            value: serde_json::Value::Bool(*b),
            unit: String::new(),
            display: format_value(v, percent),
        },
        Value::Number { unit, .. } => JsonOutcome::Value {
            value: serde_json::Value::String(format_exact(v)),
            unit: unit.to_string(),
            display: format_value(v, percent),
        },
    }
}

fn json(
    out: &mut dyn Write,
    model: &Model,
    named: &[(CellId, &str)],
    columns: &[Column],
) -> std::io::Result<()> {
    let docs: Vec<JsonModel> = columns
        .iter()
        .map(|c| JsonModel {
            file: &model.path,
            scenario: &c.scenario,
            cells: named
                .iter()
                .map(|&(id, name)| json_cell(c, id, name))
                .collect(),
        })
        .collect();
    let text = if let [one] = docs.as_slice() {
        serde_json::to_string_pretty(one)
    } else {
        serde_json::to_string_pretty(&docs)
    };
    writeln!(out, "{}", text.map_err(std::io::Error::other)?)
}

fn csv(
    out: &mut dyn Write,
    model: &Model,
    named: &[(CellId, &str)],
    columns: &[Column],
    exact: bool,
) -> std::io::Result<()> {
    let multi = columns.len() > 1;
    // A model with an axis has a period column, empty for cells of one value.
    let periods = model.has_axes();
    let mut w = csv::Writer::from_writer(out);
    if multi {
        w.write_field("scenario")?;
    }
    w.write_field("name")?;
    if periods {
        w.write_field("period")?;
    }
    w.write_record(["value", "unit", "display", "formula", "error"])?;
    for c in columns {
        for &(id, name) in named {
            let cell = json_cell(c, id, name);
            let rows: Vec<(String, JsonOutcome)> = match cell.outcome {
                JsonOutcome::Series { periods, .. } => periods
                    .into_iter()
                    .map(|p| (p.period.to_string(), p.outcome))
                    .collect(),
                other => vec![(String::new(), other)],
            };
            for (period, outcome) in rows {
                let (value, unit, display, error) = csv_fields(outcome, exact);
                if multi {
                    w.write_field(&c.scenario)?;
                }
                w.write_field(&cell.name)?;
                if periods {
                    w.write_field(&period)?;
                }
                w.write_record([&value, &unit, &display, &cell.formula, &error])?;
            }
        }
    }
    w.flush()
}

/// A value's or an error's CSV fields: value, unit, display, error.
fn csv_fields(outcome: JsonOutcome, exact: bool) -> (String, String, String, String) {
    match outcome {
        JsonOutcome::Value {
            value,
            unit,
            display,
        } => {
            let v = match value {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            let display = if exact { v.clone() } else { display };
            (v, unit, display, String::new())
        }
        JsonOutcome::Error { error } => (String::new(), String::new(), String::new(), error),
        JsonOutcome::Series { .. } => Default::default(),
    }
}

/// The one model `get` and `explain` work on: a single scenario.
fn single(model: Model, what: &What) -> Result<Model, Exit> {
    let names = scenarios(&model, what)?;
    let [scenario] = names.as_slice() else {
        return Err(usage_error("this command takes one scenario"));
    };
    prepare_owned(model, scenario, &what.set)
}

/// The cell or period named on the command line (`capex`, `capex[2026]`),
/// computed with what it reads; a name or a period that is not there is a
/// usage error (exit 2).
fn computed_target(model: Model, name: &str) -> Result<(Workbook, Address), Exit> {
    let target = model.address(name).map_err(usage_error)?;
    let book = sound(Workbook::new_for(model, &[target.cell]))?;
    if book.computed(target.cell).is_none() {
        return Err(internal_error(&InternalError::not_computed(name)));
    }
    if let Some(problem) = book.address_problem(target) {
        return Err(usage_error(problem));
    }
    Ok((book, target))
}

/// `premise get FILE CELL`: the one value, or a series one period a line.
pub fn get(out: &mut dyn Write, file: &str, cell: &str, what: &What, exact: bool) -> Exit {
    let model = match load_model(file).and_then(|m| single(m, what)) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let (book, target) = match computed_target(model, cell) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let percent = percent(&book, target.cell);
    let text = |v: &Value| {
        if exact {
            format_exact(v)
        } else {
            format_value(v, percent)
        }
    };
    let lines: Vec<String> = match (book.computed(target.cell), target.period) {
        (Some(Computed::Series(s)), None) => s
            .periods()
            .map(|(label, r)| match r {
                Ok(v) if exact => format!("{label} {}", text(v)),
                Ok(v) => format!("{label}  {}", text(v)),
                Err(_) => format!("{label}  error"),
            })
            .collect(),
        (Some(c), period) => match c.at(period) {
            Some(Ok(v)) => vec![text(v)],
            _ => Vec::new(),
        },
        (None, _) => Vec::new(),
    };
    for line in &lines {
        if writeln!(out, "{line}").is_err() {
            break;
        }
    }
    let scenario = what
        .scenario
        .first()
        .cloned()
        .unwrap_or_else(|| "base".into());
    let columns = [Column::new(scenario, book)];
    let exit = match columns.first() {
        Some(c) => report_failures(c.book.model(), &[target], &columns),
        None => Exit::Ok,
    };
    discard(columns);
    exit
}

/// `premise explain FILE CELL`
pub fn explain(out: &mut dyn Write, file: &str, cell: &str, what: &What) -> Exit {
    let model = match load_model(file).and_then(|m| single(m, what)) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let (book, target) = match computed_target(model, cell) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let lines = match crate::explain::tree(&book, target, crate::explain::DEFAULT_DEPTH) {
        Ok(lines) => lines,
        Err(e) => return internal_error(&e),
    };
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            break;
        }
    }
    match book.computed(target.cell) {
        Some(c) if !c.failed() && target.period.is_none() => Exit::Ok,
        Some(c) if c.at(target.period).is_some_and(Result::is_ok) && target.period.is_some() => {
            Exit::Ok
        }
        _ => Exit::Failed,
    }
}
