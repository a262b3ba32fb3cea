//! `premise eval`, `get` and `explain`.

use std::io::Write;

use serde::Serialize;

use super::common::{
    cell_named, cells_named, discard, internal_error, load_model, output_written, prepare,
    prepare_owned, scenarios, sound, usage_error, Exit,
};
use super::{Format, What};
use crate::diagnostic::LineIndex;
use crate::display::{format_exact, format_value};
use crate::eval::{CellResult, Workbook};
use crate::internal::InternalError;
use crate::model::{Definition, Model};
use crate::syntax::CellId;
use crate::table::{Align, Table};
use crate::value::Value;

/// One scenario's evaluation, with the cells to show.
struct Column {
    scenario: String,
    book: Workbook,
    /// The cells that vary from sample to sample (empty in a certain model).
    uncertain: Vec<bool>,
}

impl Column {
    fn new(scenario: String, book: Workbook) -> Column {
        let uncertain = book.uncertain();
        Column {
            scenario,
            book,
            uncertain,
        }
    }

    /// Whether a cell holds or reads a distribution: `~` before its value.
    fn is_uncertain(&self, id: CellId) -> bool {
        self.uncertain.get(id.index()).copied().unwrap_or(false)
    }
}

/// A cell as a command shows it: its name and its result in each column,
/// looked up once. A shown cell without a result is an internal error.
struct Row<'a> {
    id: CellId,
    name: &'a str,
    results: Vec<&'a CellResult>,
}

/// The rows of `cells` in `columns`.
fn rows<'a>(
    cells: &[(CellId, &'a str)],
    columns: &'a [Column],
) -> Result<Vec<Row<'a>>, InternalError> {
    cells
        .iter()
        .map(|&(id, name)| {
            let results = columns
                .iter()
                .map(|c| {
                    c.book
                        .value(id)
                        .ok_or_else(|| InternalError::not_computed(name))
                })
                .collect::<Result<_, _>>()?;
            Ok(Row { id, name, results })
        })
        .collect()
}

/// `premise eval FILE [CELL...]`
pub fn eval(
    out: &mut dyn Write,
    file: &str,
    cells: &[String],
    what: &What,
    format: Format,
    exact: bool,
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
    let rows = match rows(&named, &columns) {
        Ok(rows) => rows,
        Err(e) => return internal_error(&e),
    };
    if rows.is_empty() {
        eprintln!("note: {file} defines no cells");
    }
    let written = match format {
        Format::Table => table(out, &rows, &columns, exact),
        Format::Json => json(out, &model, &rows, &columns),
        Format::Csv => csv(out, &rows, &columns, exact),
    };
    if let Err(code) = output_written(written) {
        return code;
    }
    let mut exit = report_failures(&model, &rows, &columns);
    discard(rows);
    discard(named);
    if cells.is_empty() && report_assertions(&model, &what.set, &columns) {
        exit = Exit::Failed;
    }
    discard((model, columns));
    exit
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

/// One line on stderr per failed cell shown; exit 1 if any.
fn report_failures(model: &Model, rows: &[Row], columns: &[Column]) -> Exit {
    let mut indexes: std::collections::HashMap<crate::source::FileId, LineIndex> =
        Default::default();
    let mut failed = false;
    let err = &mut std::io::stderr().lock();
    for (i, c) in columns.iter().enumerate() {
        let m = c.book.model();
        for row in rows {
            if let Some(Err(e)) = row.results.get(i) {
                failed = true;
                let id = row.id;
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
                let _ = writeln!(
                    err,
                    "error: {place}cell '{}'{scenario}: {}",
                    row.name, e.message
                );
            }
        }
    }
    if failed {
        Exit::Failed
    } else {
        Exit::Ok
    }
}

fn percent(book: &Workbook, id: CellId) -> bool {
    book.model().definition(id).is_some_and(|d| d.percent)
}

/// The value as shown in a table cell.
fn shown(result: &CellResult, percent: bool, exact: bool) -> String {
    match result {
        Ok(v) if exact => format_exact(v),
        Ok(v) => format_value(v, percent),
        Err(_) => "error".to_string(),
    }
}

fn table(
    out: &mut dyn Write,
    rows: &[Row],
    columns: &[Column],
    exact: bool,
) -> std::io::Result<()> {
    let multi = columns.len() > 1;
    let mut lines: Vec<Vec<String>> = Vec::with_capacity(rows.len() + 1);
    if multi {
        let mut header = vec!["cell".to_string()];
        header.extend(columns.iter().map(|c| c.scenario.clone()));
        header.push("formula".to_string());
        lines.push(header);
    }
    for row in rows {
        let mut line = vec![row.name.to_string()];
        for (c, result) in columns.iter().zip(&row.results) {
            let value = shown(result, percent(&c.book, row.id), exact);
            // docs/language.md#uncertainty: a median, not a certainty.
            if c.is_uncertain(row.id) {
                line.push(format!("~{value}"));
            } else {
                line.push(value);
            }
        }
        let first = columns.first().map(|c| &c.book);
        let formula = first
            .and_then(|b| b.model().definition(row.id))
            .map(Definition::formula)
            .unwrap_or_default();
        let mut last = if multi {
            formula
        } else {
            format!("= {formula}")
        };
        for (c, result) in columns.iter().zip(&row.results) {
            if let Err(e) = result {
                let tag = if multi {
                    format!(" [{}]", c.scenario)
                } else {
                    String::new()
                };
                last.push_str(&format!("   ← error{tag}: {}", e.message));
            }
        }
        line.push(last);
        lines.push(line);
    }
    // The name, one value per scenario (right-aligned), the formula.
    let mut align = vec![Align::Left];
    align.extend(columns.iter().map(|_| Align::Right));
    align.push(Align::Left);
    let mut t = Table::new(&align);
    for line in lines {
        t.row(line);
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
}

/// A cell as JSON data (docs/language.md#json-and-csv).
fn json_cell(column: &Column, name: &str, id: CellId, result: &CellResult) -> JsonCell {
    let book = &column.book;
    let def = book.model().definition(id);
    let outcome = match result {
        Ok(v) => json_value(v, percent(book, id)),
        Err(e) => JsonOutcome::Error {
            error: e.message.to_string(),
        },
    };
    JsonCell {
        name: name.to_string(),
        formula: def.map(Definition::formula).unwrap_or_default(),
        input: def.is_some_and(|d| d.is_input()),
        uncertain: column.is_uncertain(id),
        outcome,
    }
}

/// The JSON cells of one column.
fn json_cells(rows: &[Row], column: &Column, i: usize) -> Vec<JsonCell> {
    rows.iter()
        .filter_map(|row| {
            let result = row.results.get(i)?;
            Some(json_cell(column, row.name, row.id, result))
        })
        .collect()
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
    rows: &[Row],
    columns: &[Column],
) -> std::io::Result<()> {
    let docs: Vec<JsonModel> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| JsonModel {
            file: &model.path,
            scenario: &c.scenario,
            cells: json_cells(rows, c, i),
        })
        .collect();
    let text = if let [one] = docs.as_slice() {
        serde_json::to_string_pretty(one)
    } else {
        serde_json::to_string_pretty(&docs)
    };
    writeln!(out, "{}", text.map_err(std::io::Error::other)?)
}

fn csv(out: &mut dyn Write, rows: &[Row], columns: &[Column], exact: bool) -> std::io::Result<()> {
    let multi = columns.len() > 1;
    let mut w = csv::Writer::from_writer(out);
    let header = ["name", "value", "unit", "display", "formula", "error"];
    if multi {
        w.write_field("scenario")?;
    }
    w.write_record(header)?;
    for (i, c) in columns.iter().enumerate() {
        for cell in json_cells(rows, c, i) {
            let (value, unit, display, error) = match cell.outcome {
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
                JsonOutcome::Error { error } => {
                    (String::new(), String::new(), String::new(), error)
                }
            };
            if multi {
                w.write_field(&c.scenario)?;
            }
            w.write_record([cell.name, value, unit, display, cell.formula, error])?;
        }
    }
    w.flush()
}

/// The one model `get` and `explain` work on: a single scenario.
fn single(model: Model, what: &What) -> Result<Model, Exit> {
    let names = scenarios(&model, what)?;
    let [scenario] = names.as_slice() else {
        return Err(usage_error("this command takes one scenario"));
    };
    prepare_owned(model, scenario, &what.set)
}

/// `premise get FILE CELL`
pub fn get(out: &mut dyn Write, file: &str, cell: &str, what: &What, exact: bool) -> Exit {
    let model = match load_model(file).and_then(|m| single(m, what)) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let id = match cell_named(&model, cell) {
        Ok(id) => id,
        Err(code) => return code,
    };
    let book = match sound(Workbook::new_for(model, &[id])) {
        Ok(book) => book,
        Err(code) => return code,
    };
    let Some(result) = book.value(id) else {
        return internal_error(&InternalError::not_computed(cell));
    };
    if let Ok(v) = result {
        let text = if exact {
            format_exact(v)
        } else {
            format_value(v, percent(&book, id))
        };
        let _ = writeln!(out, "{text}");
        discard(book);
        return Exit::Ok;
    }
    let scenario = what
        .scenario
        .first()
        .cloned()
        .unwrap_or_else(|| "base".into());
    let m = book.model().clone();
    let columns = [Column::new(scenario, book)];
    match rows(&[(id, cell)], &columns) {
        Ok(rows) => report_failures(&m, &rows, &columns),
        Err(e) => internal_error(&e),
    }
}

/// `premise explain FILE CELL`
pub fn explain(out: &mut dyn Write, file: &str, cell: &str, what: &What) -> Exit {
    let model = match load_model(file).and_then(|m| single(m, what)) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let id = match cell_named(&model, cell) {
        Ok(id) => id,
        Err(code) => return code,
    };
    let book = match sound(Workbook::new_for(model, &[id])) {
        Ok(book) => book,
        Err(code) => return code,
    };
    let lines = match crate::explain::tree(&book, id, crate::explain::DEFAULT_DEPTH) {
        Ok(lines) => lines,
        Err(e) => return internal_error(&e),
    };
    for line in lines {
        if writeln!(out, "{line}").is_err() {
            break;
        }
    }
    match book.value(id) {
        Some(Ok(_)) => Exit::Ok,
        _ => Exit::Failed,
    }
}
