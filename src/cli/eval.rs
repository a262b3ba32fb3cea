//! `premise eval`, `get` and `explain`.

use std::io::Write;

use serde::Serialize;

use super::common::{
    cells_named, discard, load_model, output_written, prepare, prepare_owned, scenarios,
    usage_error, Exit,
};
use super::{Format, What};
use crate::diagnostic::LineIndex;
use crate::display::{format_exact, format_value};
use crate::eval::Workbook;
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
    crate::diagnostic::emit(
        &model.path,
        &model.source,
        &crate::warning::in_model(&model),
    );
    let names = match scenarios(&model, what) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let ids = match cells_named(&model, cells) {
        Ok(ids) => ids,
        Err(code) => return code,
    };
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
        columns.push(Column::new(scenario, book));
    }
    if ids.is_empty() {
        eprintln!("note: {file} defines no cells");
    }
    let written = match format {
        Format::Table => table(out, &model, &ids, &columns, exact),
        Format::Json => json(out, &model, &ids, &columns),
        Format::Csv => csv(out, &ids, &columns, exact),
    };
    if let Err(code) = output_written(written) {
        return code;
    }
    let exit = report_failures(&model, &ids, &columns);
    discard((model, columns));
    exit
}

/// One line on stderr per failed cell shown; exit 1 if any.
fn report_failures(model: &Model, ids: &[CellId], columns: &[Column]) -> Exit {
    let index = LineIndex::new(&model.source);
    let mut failed = false;
    let err = &mut std::io::stderr().lock();
    for c in columns {
        let m = c.book.model();
        for &id in ids {
            if let Some(Err(e)) = c.book.value(id) {
                failed = true;
                let at = e
                    .span
                    .or_else(|| m.definition(id).map(|d| d.span))
                    .filter(|_| {
                        // spans of --set formulas do not point into the file
                        m.definition(id).is_some_and(|d| d.line > 0)
                    });
                let place = match at {
                    Some(span) => {
                        let (line, col) = index.locate(&model.source, span.start());
                        format!("{}:{line}:{col}: ", model.path)
                    }
                    None => format!("{}: ", model.path),
                };
                let scenario = if columns.len() > 1 || c.scenario != "base" {
                    format!(" (scenario {})", c.scenario)
                } else {
                    String::new()
                };
                let _ = writeln!(
                    err,
                    "error: {place}cell '{}'{scenario}: {}",
                    m.name(id),
                    e.message
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
fn shown(book: &Workbook, id: CellId, exact: bool) -> String {
    match book.value(id) {
        Some(Ok(v)) if exact => format_exact(v),
        Some(Ok(v)) => format_value(v, percent(book, id)),
        Some(Err(_)) => "error".to_string(),
        None => "-".to_string(),
    }
}

fn table(
    out: &mut dyn Write,
    model: &Model,
    ids: &[CellId],
    columns: &[Column],
    exact: bool,
) -> std::io::Result<()> {
    let multi = columns.len() > 1;
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(ids.len() + 1);
    if multi {
        let mut header = vec!["cell".to_string()];
        header.extend(columns.iter().map(|c| c.scenario.clone()));
        header.push("formula".to_string());
        rows.push(header);
    }
    for &id in ids {
        let mut row = vec![model.name(id).to_string()];
        for c in columns {
            let value = shown(&c.book, id, exact);
            // docs/language.md#uncertainty: a median, not a certainty.
            if c.is_uncertain(id) {
                row.push(format!("~{value}"));
            } else {
                row.push(value);
            }
        }
        let first = columns.first().map(|c| &c.book);
        let formula = first
            .and_then(|b| b.model().definition(id))
            .map(Definition::formula)
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
}

/// A cell as JSON data (docs/language.md#json-and-csv).
fn json_cell(column: &Column, id: CellId) -> JsonCell {
    let book = &column.book;
    let model = book.model();
    let def = model.definition(id);
    let outcome = match book.value(id) {
        Some(Ok(v)) => json_value(v, percent(book, id)),
        Some(Err(e)) => JsonOutcome::Error {
            error: e.message.to_string(),
        },
        None => JsonOutcome::Error {
            error: "not computed".to_string(),
        },
    };
    JsonCell {
        name: model.name(id).to_string(),
        formula: def.map(Definition::formula).unwrap_or_default(),
        input: def.is_some_and(|d| d.is_input()),
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
    ids: &[CellId],
    columns: &[Column],
) -> std::io::Result<()> {
    let docs: Vec<JsonModel> = columns
        .iter()
        .map(|c| JsonModel {
            file: &model.path,
            scenario: &c.scenario,
            cells: ids.iter().map(|&id| json_cell(c, id)).collect(),
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
    ids: &[CellId],
    columns: &[Column],
    exact: bool,
) -> std::io::Result<()> {
    let multi = columns.len() > 1;
    let mut w = csv::Writer::from_writer(out);
    let header = ["name", "value", "unit", "display", "formula", "error"];
    if multi {
        w.write_field("scenario")?;
    }
    w.write_record(header)?;
    for c in columns {
        for &id in ids {
            let cell = json_cell(c, id);
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
    if names.len() > 1 {
        return Err(usage_error("this command takes one scenario"));
    }
    let scenario = names.first().map_or("base", String::as_str);
    prepare_owned(model, scenario, &what.set)
}

/// `premise get FILE CELL`
pub fn get(out: &mut dyn Write, file: &str, cell: &str, what: &What, exact: bool) -> Exit {
    let model = match load_model(file).and_then(|m| single(m, what)) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let id = match cells_named(&model, &[cell.to_string()]) {
        Ok(ids) => ids.first().copied().unwrap_or(CellId::UNRESOLVED),
        Err(code) => return code,
    };
    let book = Workbook::new_for(model, &[id]);
    if let Some(Ok(v)) = book.value(id) {
        let text = if exact {
            format_exact(v)
        } else {
            format_value(v, percent(&book, id))
        };
        let _ = writeln!(out, "{text}");
        discard(book);
        return Exit::Ok;
    }
    match book.value(id) {
        Some(Ok(_)) => Exit::Ok,
        Some(Err(_)) | None => {
            let scenario = what
                .scenario
                .first()
                .cloned()
                .unwrap_or_else(|| "base".into());
            let m = book.model().clone();
            report_failures(&m, &[id], &[Column::new(scenario, book)])
        }
    }
}

/// `premise explain FILE CELL`
pub fn explain(out: &mut dyn Write, file: &str, cell: &str, what: &What) -> Exit {
    let model = match load_model(file).and_then(|m| single(m, what)) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let id = match cells_named(&model, &[cell.to_string()]) {
        Ok(ids) => ids.first().copied().unwrap_or(CellId::UNRESOLVED),
        Err(code) => return code,
    };
    let book = Workbook::new_for(model, &[id]);
    for line in crate::explain::tree(&book, id, crate::explain::DEFAULT_DEPTH) {
        if writeln!(out, "{line}").is_err() {
            break;
        }
    }
    match book.value(id) {
        Some(Ok(_)) => Exit::Ok,
        _ => Exit::Failed,
    }
}
