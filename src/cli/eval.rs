//! `premise eval`, `get` and `explain`.

use std::io::Write;

use serde::Serialize;
use smallvec::SmallVec;

use super::common::{
    cell_named, cells_named, discard, internal_error, load_model, output_written, prepare,
    prepare_owned, scenarios, sound, usage_error, Exit, SetAside,
};
use super::{Format, What};
use crate::diagnostic::LineIndex;
use crate::display::{format_exact, format_value};
use crate::eval::{CellResult, Workbook};
use crate::internal::InternalError;
use crate::model::{Definition, Model};
use crate::source::FileId;
use crate::syntax::CellId;
use crate::table::{Align, Layout};
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
/// looked up once.
struct Row<'a> {
    id: CellId,
    name: &'a str,
    results: SmallVec<[&'a CellResult; 2]>,
}

/// The cells `eval` shows, in order, and the scenarios' columns: rows are
/// made one at a time as they are written, so that a million cells are not
/// held a second time as rows.
struct Shown<'a> {
    ids: &'a [CellId],
    columns: &'a [Column],
}

impl<'a> Shown<'a> {
    /// Checks that every shown cell has a name and a result in every column
    /// (anything else is an internal error), before anything is written.
    fn new(ids: &'a [CellId], columns: &'a [Column]) -> Result<Shown<'a>, InternalError> {
        for c in columns {
            let m = c.book.model();
            for &id in ids {
                let name = m.name(id)?;
                if c.book.value(id).is_none() {
                    return Err(InternalError::not_computed(name));
                }
            }
        }
        Ok(Shown { ids, columns })
    }

    /// The model the cells are named in (the first scenario's).
    fn model(&self) -> Option<&'a Model> {
        self.columns.first().map(|c| c.book.model())
    }

    /// The rows, in order.
    fn rows(&self) -> impl Iterator<Item = Row<'a>> + 'a {
        let columns = self.columns;
        let model = self.model();
        self.ids.iter().filter_map(move |&id| {
            // Checked by `Shown::new`: every row has its name and results.
            let name = model?.name(id).ok()?;
            let results = columns
                .iter()
                .map(|c| c.book.value(id))
                .collect::<Option<_>>()?;
            Some(Row { id, name, results })
        })
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
    // (and drawn under the file's text): such a model keeps both.
    let asserts = cells.is_empty() && !model.assertions.is_empty();
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
            Some(m) if k + 1 == names.len() && !asserts => prepare_owned(m, scenario, &what.set),
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
    let shown = match Shown::new(&ids, &columns) {
        Ok(shown) => shown,
        Err(e) => return internal_error(&e),
    };
    if ids.is_empty() {
        eprintln!("note: {file} defines no cells");
    }
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    let written = match format {
        Format::Table => table(&mut buffered, &shown, exact),
        Format::Json => json(&mut buffered, &shown),
        Format::Csv => csv(&mut buffered, &shown, exact),
    }
    .and_then(|()| buffered.flush());
    drop(buffered);
    if let Err(code) = output_written(written) {
        return code;
    }
    let mut exit = report_failures(&shown, &text);
    if let Some(model) = model.as_ref().filter(|_| asserts) {
        if report_assertions(model, &what.set, &columns) {
            exit = Exit::Failed;
        }
    }
    discard(ids);
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

/// One line on stderr per failed cell shown; exit 1 if any. The file's
/// text places each error (the file's name alone if it changed since).
fn report_failures(shown: &Shown, text: &SetAside) -> Exit {
    let Some(model) = shown.model() else {
        return Exit::Ok;
    };
    // Read and indexed at the first failure: most runs have none.
    let mut root: Option<Option<std::borrow::Cow<str>>> = None;
    let mut indexes: std::collections::HashMap<FileId, LineIndex> = Default::default();
    let mut failed = false;
    let err = &mut std::io::stderr().lock();
    let columns = shown.columns;
    for (i, c) in columns.iter().enumerate() {
        let m = c.book.model();
        for row in shown.rows() {
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
                let path = model.file_path(file);
                let source = match at {
                    Some(_) if file.is_root() => root
                        .get_or_insert_with(|| text.text(&model.path, &model.source))
                        .as_deref(),
                    Some(_) => Some(model.file_text(file)),
                    None => None,
                };
                let place = match (at, source) {
                    (Some(span), Some(source)) => {
                        let index = indexes
                            .entry(file)
                            .or_insert_with(|| LineIndex::new(source));
                        let (line, col) = index.locate(source, span.start());
                        format!("{path}:{line}:{col}: ")
                    }
                    _ => format!("{path}: "),
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

/// The value as shown in a table cell, `~` before a median
/// (docs/language.md#uncertainty), into `out`.
fn push_shown(out: &mut String, column: &Column, id: CellId, result: &CellResult, exact: bool) {
    if column.is_uncertain(id) {
        out.push('~');
    }
    match result {
        Ok(v) if exact => out.push_str(&format_exact(v)),
        Ok(v) => out.push_str(&format_value(v, percent(&column.book, id))),
        Err(_) => out.push_str("error"),
    }
}

/// The values shown in a table, every one worked out once: one text holding
/// them all and where each ends, row by row, column by column. The widths
/// of the columns are known from them before the first line is written.
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

// The output functions take the buffer as a concrete type: a JSON cell is
// about a hundred small writes, each a call through `dyn Write` otherwise.

fn table<W: Write>(out: &mut W, shown: &Shown, exact: bool) -> std::io::Result<()> {
    let columns = shown.columns;
    let multi = columns.len() > 1;
    // The name, one value per scenario, the formula (whose width does not
    // matter: it is last, and lines end without spaces).
    let mut widths = vec![0; columns.len() + 2];
    let mut values = ShownValues {
        text: String::new(),
        ends: Vec::with_capacity(shown.ids.len() * columns.len()),
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
    for row in shown.rows() {
        if let Some(w) = widths.first_mut() {
            *w = (*w).max(crate::table::width(row.name));
        }
        for (k, (c, result)) in columns.iter().zip(&row.results).enumerate() {
            let start = values.text.len();
            push_shown(&mut values.text, c, row.id, result, exact);
            values.ends.push(values.text.len());
            if let (Some(w), Some(text)) = (widths.get_mut(k + 1), values.text.get(start..)) {
                *w = (*w).max(crate::table::width(text));
            }
        }
    }
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
    for (r, row) in shown.rows().enumerate() {
        last.clear();
        if !multi {
            last.push_str("= ");
        }
        if let Some(d) = first.and_then(|b| b.model().definition(row.id)) {
            last.push_str(&d.formula());
        }
        for (c, result) in columns.iter().zip(&row.results) {
            if let Err(e) = result {
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
        let mut cells: SmallVec<[&str; 4]> = SmallVec::new();
        cells.push(row.name);
        cells.extend((0..columns.len()).map(|k| values.get(r * columns.len() + k)));
        cells.push(&last);
        line.clear();
        layout.push_line(&mut line, &cells);
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonModel<'a> {
    file: &'a str,
    scenario: &'a str,
    cells: JsonCells<'a>,
}

/// One column's cells as a JSON array, each made as it is written.
struct JsonCells<'a> {
    shown: &'a Shown<'a>,
    column: usize,
}

impl Serialize for JsonCells<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Some(c) = self.shown.columns.get(self.column) else {
            return serializer.collect_seq(std::iter::empty::<JsonCell>());
        };
        serializer.collect_seq(json_cells(self.shown, c, self.column))
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
}

/// A cell as JSON data (docs/language.md#json-and-csv).
fn json_cell<'a>(column: &Column, name: &'a str, id: CellId, result: &CellResult) -> JsonCell<'a> {
    let book = &column.book;
    let def = book.model().definition(id);
    let outcome = match result {
        Ok(v) => json_value(v, percent(book, id)),
        Err(e) => JsonOutcome::Error {
            error: e.message.to_string(),
        },
    };
    JsonCell {
        name,
        formula: def.map(Definition::formula).unwrap_or_default(),
        input: def.is_some_and(|d| d.is_input()),
        uncertain: column.is_uncertain(id),
        outcome,
    }
}

/// The JSON cells of column `i`, made one at a time.
fn json_cells<'a>(
    shown: &'a Shown<'a>,
    column: &'a Column,
    i: usize,
) -> impl Iterator<Item = JsonCell<'a>> + 'a {
    shown.rows().filter_map(move |row| {
        let result = row.results.get(i)?;
        Some(json_cell(column, row.name, row.id, result))
    })
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

fn json<W: Write>(out: &mut W, shown: &Shown) -> std::io::Result<()> {
    let file = shown.model().map_or("", |m| m.path.as_str());
    let docs: Vec<JsonModel> = shown
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| JsonModel {
            file,
            scenario: &c.scenario,
            cells: JsonCells { shown, column: i },
        })
        .collect();
    if let [one] = docs.as_slice() {
        serde_json::to_writer_pretty(&mut *out, one)?;
    } else {
        serde_json::to_writer_pretty(&mut *out, &docs)?;
    }
    writeln!(out)
}

fn csv<W: Write>(out: &mut W, shown: &Shown, exact: bool) -> std::io::Result<()> {
    let columns = shown.columns;
    let multi = columns.len() > 1;
    let mut w = csv::Writer::from_writer(out);
    let header = ["name", "value", "unit", "display", "formula", "error"];
    if multi {
        w.write_field("scenario")?;
    }
    w.write_record(header)?;
    for (i, c) in columns.iter().enumerate() {
        for cell in json_cells(shown, c, i) {
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
            w.write_record([cell.name, &value, &unit, &display, &cell.formula, &error])?;
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
    let mut model = match load_model(file).and_then(|m| single(m, what)) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let id = match cell_named(&model, cell) {
        Ok(id) => id,
        Err(code) => return code,
    };
    let text = SetAside::of(&mut model);
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
    let columns = [Column::new(scenario, book)];
    let ids = [id];
    match Shown::new(&ids, &columns) {
        Ok(shown) => report_failures(&shown, &text),
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
