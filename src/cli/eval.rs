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
    scenarios, sound, usage_error, Exit, SetAside,
};
use super::{Format, What};
use crate::diagnostic::LineIndex;
use crate::display::{format_exact, format_value};
use crate::eval::{CellError, Computed, Workbook};
use crate::internal::InternalError;
use crate::model::{Address, Definition, Model};
use crate::source::FileId;
use crate::syntax::CellId;
use crate::table::{Align, Layout};
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
    let mut model = match load_model(file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    crate::diagnostic::emit(&model, &crate::warning::in_model(&model));
    let names = match scenarios(&model, what) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let ids: Vec<CellId> = match cells_named(&model, cells) {
        Ok(named) => named.iter().map(|&(id, _)| id).collect(),
        Err(code) => return code,
    };
    // Assertions are checked after the output, on the model as loaded
    // (and drawn under the file's text): such a model keeps both. A
    // series' table shows the file's formulas: a model with axes is kept
    // too (it holds few definitions).
    let asserts = cells.is_empty() && !model.assertions.is_empty();
    let keep = asserts || model.has_axes();
    let text = if asserts {
        SetAside::none()
    } else {
        SetAside::of(&mut model)
    };
    let mut model = Some(model);
    let mut columns = Vec::new();
    for (k, scenario) in names.iter().enumerate() {
        // The last scenario takes the model itself: no copy of a big model
        // for the usual single column.
        let prepared = match model.take() {
            Some(m) if k + 1 == names.len() && !keep => prepare_owned(m, scenario, &what.set),
            Some(m) => {
                let p = prepare(&m, scenario, &what.set);
                model = Some(m);
                p
            }
            None => Err(internal_error(&InternalError::new(
                "the model was given to an earlier scenario",
            ))),
        };
        let m = match prepared {
            Ok(m) => m,
            Err(code) => return code,
        };
        let book = if cells.is_empty() {
            Workbook::new(m)
        } else {
            Workbook::new_for(m, &ids)
        };
        match sound(book) {
            Ok(book) => columns.push(Column::new(scenario.clone(), book)),
            Err(code) => return code,
        }
    }
    // The cells are named as in the first column's model (every column's
    // model has the file's cells).
    let Some(shown_model) = columns.first().map(|c| c.book.model()) else {
        return internal_error(&InternalError::new("no scenario to show"));
    };
    let named: Vec<(CellId, &str)> = match ids
        .iter()
        .map(|&id| shown_model.name(id).map(|name| (id, name)))
        .collect()
    {
        Ok(named) => named,
        Err(e) => return internal_error(&e),
    };
    if let Err(e) = all_computed(&named, &columns) {
        return internal_error(&e);
    }
    if ids.is_empty() {
        eprintln!("note: {file} defines no cells");
    }
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    let written = match format {
        Format::Table if super::periods::any_series(&ids, &columns) => super::periods::table(
            &mut buffered,
            model.as_ref().unwrap_or(shown_model),
            &named,
            &columns,
            exact,
            all_periods,
        ),
        Format::Table => table(&mut buffered, &named, &columns, exact),
        Format::Json => json(&mut buffered, shown_model, &named, &columns),
        Format::Csv => csv(&mut buffered, shown_model, &named, &columns, exact),
    }
    .and_then(|()| buffered.flush());
    drop(buffered);
    if let Err(code) = output_written(written) {
        return code;
    }
    let targets: Vec<Address> = ids.iter().map(|&id| Address::cell(id)).collect();
    let mut exit = report_failures(shown_model, &targets, &columns, &text);
    if let Some(model) = model.as_ref().filter(|_| asserts) {
        if report_assertions(model, &what.set, &columns) {
            exit = Exit::Failed;
        }
    }
    discard(named);
    discard((ids, model, columns));
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
/// period, and how many more failed); exit 1 if any. `root` is the model's
/// own file's text, if it was set aside (read again to place an error).
pub(super) fn report_failures(
    model: &Model,
    targets: &[Address],
    columns: &[Column],
    root: &SetAside,
) -> Exit {
    // Built on the first failure: a big model's line index costs a pass over its text.
    let mut indexes: std::collections::HashMap<FileId, LineIndex> = Default::default();
    let mut root_text: Option<Option<std::borrow::Cow<str>>> = None;
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
            let path = model.file_path(file);
            let text = match at {
                Some(_) if file.is_root() => root_text
                    .get_or_insert_with(|| root.text(&model.path, model.file_text(file)))
                    .as_deref(),
                Some(_) => Some(model.file_text(file)),
                None => None,
            };
            let place = match (at, text) {
                (Some(span), Some(text)) => {
                    let index = indexes.entry(file).or_insert_with(|| LineIndex::new(text));
                    let (line, col) = index.locate(text, span.start());
                    format!("{path}:{line}:{col}: ")
                }
                _ => format!("{path}: "),
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

// The output functions take the buffer as a concrete type: a JSON cell is
// about a hundred small writes, each a call through `dyn Write` otherwise.

/// The table, written row by row: the values shown are worked out once
/// into one text first, so that the column widths are known before the
/// first line.
fn table<W: Write>(
    out: &mut W,
    named: &[(CellId, &str)],
    columns: &[Column],
    exact: bool,
) -> std::io::Result<()> {
    let multi = columns.len() > 1;
    // The name, one value per scenario, the formula (whose width does not
    // matter: it is last, and lines end without spaces).
    let mut widths = vec![0; columns.len() + 2];
    let mut values = ShownValues {
        text: String::new(),
        ends: Vec::with_capacity(named.len() * columns.len()),
    };
    let mut header = Vec::new();
    if multi {
        header.push("cell".to_string());
        header.extend(columns.iter().map(|c| c.scenario.clone()));
        header.push("formula".to_string());
        for (w, cell) in widths.iter_mut().zip(&header) {
            *w = crate::table::width(cell);
        }
    }
    for &(id, name) in named {
        if let Some(w) = widths.first_mut() {
            *w = (*w).max(crate::table::width(name));
        }
        for (k, c) in columns.iter().enumerate() {
            let start = values.text.len();
            values
                .text
                .push_str(&c.marked(id, c.book.value(id), shown(&c.book, id, exact), exact));
            values.ends.push(values.text.len());
            if let (Some(w), Some(text)) = (widths.get_mut(k + 1), values.text.get(start..)) {
                *w = (*w).max(crate::table::width(text));
            }
        }
    }
    // The name, one value per scenario (right-aligned), the formula.
    let mut align = vec![Align::Left];
    align.extend(columns.iter().map(|_| Align::Right));
    align.push(Align::Left);
    let layout = Layout::new(&align, widths);
    if multi {
        writeln!(out, "{}", layout.line(&header))?;
    }
    let first = columns.first().map(|c| &c.book);
    // One buffer for the last column and one for the line, reused.
    let (mut last, mut line) = (String::new(), String::new());
    for (r, &(id, name)) in named.iter().enumerate() {
        last.clear();
        if !multi {
            last.push_str("= ");
        }
        if let Some(b) = first {
            last.push_str(&b.model().formula_text(id));
        }
        for c in columns {
            if let Some(Err(e)) = c.book.value(id) {
                last.push_str("   ← error");
                if multi {
                    last.push_str(" [");
                    last.push_str(&c.scenario);
                    last.push(']');
                }
                last.push_str(": ");
                last.push_str(&e.message);
            }
        }
        let mut cells: smallvec::SmallVec<[&str; 4]> = smallvec::SmallVec::new();
        cells.push(name);
        cells.extend((0..columns.len()).map(|k| values.get(r * columns.len() + k)));
        cells.push(&last);
        line.clear();
        layout.push_line(&mut line, &cells);
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// The values a table shows, each worked out once: one text holding them
/// all and where each ends, row by row, column by column.
struct ShownValues {
    text: String,
    ends: Vec<usize>,
}

impl ShownValues {
    fn get(&self, i: usize) -> &str {
        let start = i
            .checked_sub(1)
            .and_then(|j| self.ends.get(j))
            .copied()
            .unwrap_or(0);
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or("")
    }
}

#[derive(Serialize)]
struct JsonModel<'a> {
    file: &'a str,
    scenario: &'a str,
    cells: JsonCells<'a>,
}

/// One column's cells as a JSON array, each made as it is written.
struct JsonCells<'a> {
    named: &'a [(CellId, &'a str)],
    column: &'a Column,
}

impl Serialize for JsonCells<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            self.named
                .iter()
                .map(|&(id, name)| json_cell(self.column, id, name)),
        )
    }
}

#[derive(Serialize)]
struct JsonCell<'a> {
    name: &'a str,
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
fn json_cell<'a>(column: &Column, id: CellId, name: &'a str) -> JsonCell<'a> {
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
        name,
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

fn json<W: Write>(
    out: &mut W,
    model: &Model,
    named: &[(CellId, &str)],
    columns: &[Column],
) -> std::io::Result<()> {
    let docs: Vec<JsonModel> = columns
        .iter()
        .map(|c| JsonModel {
            file: &model.path,
            scenario: &c.scenario,
            cells: JsonCells { named, column: c },
        })
        .collect();
    if let [one] = docs.as_slice() {
        serde_json::to_writer_pretty(&mut *out, one)?;
    } else {
        serde_json::to_writer_pretty(&mut *out, &docs)?;
    }
    writeln!(out)
}

fn csv<W: Write>(
    out: &mut W,
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
            let rows: Vec<(Option<i64>, JsonOutcome)> = match cell.outcome {
                JsonOutcome::Series { periods, .. } => periods
                    .into_iter()
                    .map(|p| (Some(p.period), p.outcome))
                    .collect(),
                other => vec![(None, other)],
            };
            for (period, outcome) in rows {
                let (value, unit, display, error) = csv_fields(outcome, exact);
                if multi {
                    w.write_field(&c.scenario)?;
                }
                w.write_field(cell.name)?;
                if periods {
                    w.write_field(period.map(|p| p.to_string()).unwrap_or_default())?;
                }
                // A pinned period's formula is its pin's, not the rule's.
                let pin = period.and_then(|label| {
                    c.book
                        .model()
                        .slot(id, crate::model::Slot::Pin(label))
                        .map(|d| d.written())
                });
                let formula = pin.as_deref().unwrap_or(&cell.formula);
                w.write_record([&value, &unit, &display, formula, &error])?;
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
    let mut model = match load_model(file).and_then(|m| single(m, what)) {
        Ok(m) => m,
        Err(code) => return code,
    };
    // Only an error's place needs the file's text: let go before evaluating.
    let set_aside = SetAside::of(&mut model);
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
        Some(c) => report_failures(c.book.model(), &[target], &columns, &set_aside),
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
