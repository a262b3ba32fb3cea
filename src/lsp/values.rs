//! The values beside the formulas: each cell's value at the end of its line
//! (inlay hints), and on hover a cell's value, unit, formula, doc text and
//! the inputs it reads.

use crate::eval::CellResult;
use crate::explain::shown;
use crate::internal::InternalError;
use crate::syntax::{formula_text, CellId};
use crate::value::Value;

use super::document::{Document, Kind};
use super::names::Target;

/// An error shown beside a line is cut to this many characters.
const HINT_ERROR_CHARS: usize = 60;

/// One value to show at the end of a statement: where (a byte offset) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hint {
    /// The end of the statement's last line.
    pub at: usize,
    /// `⇒ $125B`, or `⚠ division by zero`.
    pub label: String,
    /// The cell's full value or error, for the hint's tooltip.
    pub tooltip: String,
}

/// The values of the cells defined by statements that overlap bytes `start..end`.
///
/// An input whose value reads exactly as its formula (`margin = 50%`) gets
/// no hint: it would only repeat the line. A statement that does not parse
/// gets none either (its error is reported instead). A statement's cell
/// missing from the document's model is an internal error.
pub fn hints(doc: &Document, start: usize, end: usize) -> Result<Vec<Hint>, InternalError> {
    let book = doc.book();
    let model = book.model();
    let stmts = doc.statements();
    let first = stmts.partition_point(|s| s.span.end() < start);
    let mut out = Vec::new();
    for stmt in stmts.iter().skip(first) {
        if stmt.span.start() > end {
            break;
        }
        let Kind::Cell { id, broken: None } = stmt.kind else {
            continue;
        };
        let (Some(def), Some(result)) = (model.definition(id), book.value(id)) else {
            continue;
        };
        let value = shown(book, id);
        let label = match result {
            Ok(_) => {
                if def.is_input() && formula_text(&def.expr) == value {
                    continue;
                }
                format!("⇒ {value}")
            }
            Err(e) => format!("⚠ {}", cut(&e.message, HINT_ERROR_CHARS)),
        };
        out.push(Hint {
            at: stmt.span.end(),
            label,
            tooltip: format!("{} = {value}", model.name(id)?),
        });
    }
    Ok(out)
}

/// What hovering over a name shows, as Markdown; `None` over anything else.
pub fn hover(doc: &Document, target: &Target) -> Result<Option<String>, InternalError> {
    let book = doc.book();
    let model = book.model();
    match target {
        Target::Cell(name) => {
            let Some(id) = model.defined(name) else {
                return Ok(Some(format!("**{name}**: {}", model.unknown_name(name))));
            };
            cell_hover(doc, id).map(Some)
        }
        Target::Group(prefix) => {
            let members = model.group(prefix);
            let mut text = format!(
                "**{prefix}.\\***: {} cell{}\n\n",
                members.len(),
                if members.len() == 1 { "" } else { "s" }
            );
            text.push_str(&listing(doc, members.iter().copied(), "\n")?);
            Ok(Some(text))
        }
        Target::Scenario(name) => {
            let Some(scenario) = model.scenario(name) else {
                return Ok(None);
            };
            let mut text = format!("scenario **{name}**");
            if let Some(doc_text) = &scenario.doc {
                text.push_str(&format!("\n\n{doc_text}"));
            }
            text.push_str("\n\noverrides:\n");
            for o in &scenario.overrides {
                let formula = o.def.written();
                text.push_str(&format!(
                    "- `{} = {formula}` (base: {})\n",
                    model.name(o.cell)?,
                    shown(book, o.cell)
                ));
            }
            Ok(Some(text))
        }
    }
}

/// A cell's hover: value, unit, formula, doc text, the cells it reads.
fn cell_hover(doc: &Document, id: CellId) -> Result<String, InternalError> {
    let book = doc.book();
    let model = book.model();
    let name = model.name(id)?;
    let mut text = format!("**{name}** = {}", shown(book, id));
    if let Some(Ok(Value::Number { unit, .. })) = book.value(id) {
        if !unit.is_dimensionless() {
            text.push_str(&format!("\n\nunit: `{unit}`"));
            // What it measures, when that says more than the unit: `(energy)`.
            if let Some(words) = unit.dimension_words() {
                text.push_str(&format!(" ({words})"));
            }
        }
    }
    if let Some(def) = model.definition(id) {
        let formula = def.written();
        text.push_str(&format!("\n\n```premise\n{name} = {formula}\n```"));
        if let Some(d) = &def.doc {
            text.push_str(&format!("\n\n{d}"));
        }
        let mut reads = model.reads(&def.expr);
        let mut seen = std::collections::HashSet::new();
        reads.retain(|r| seen.insert(*r));
        if def.is_input() {
            let line = doc
                .statement_of(id)
                .map(|s| doc.lines().line_of(s.span.start()) + 1);
            text.push_str(&match line {
                Some(line) => format!("\n\ninput (line {line})"),
                // A cell of an imported file: its file and line there.
                None if !def.file.is_root() && def.line > 0 => {
                    format!("\n\ninput ({}:{})", model.file_path(def.file), def.line)
                }
                None => "\n\ninput".to_string(),
            });
        } else if !reads.is_empty() {
            text.push_str("\n\nreads:\n");
            text.push_str(&listing(doc, reads.into_iter(), "\n")?);
        }
    }
    let readers = book.graph().readers(id).len();
    if readers > 0 {
        text.push_str(&format!(
            "\n\nread by {readers} cell{}",
            if readers == 1 { "" } else { "s" }
        ));
    }
    if let Some(Err(e)) = book.value(id) {
        text.push_str(&format!("\n\nerror: {}", e.message));
    }
    Ok(text)
}

/// At most this many cells are listed in a hover.
const LISTED: usize = 20;

/// `- name = value` for each cell, the list cut after [`LISTED`].
fn listing(
    doc: &Document,
    ids: impl ExactSizeIterator<Item = CellId>,
    sep: &str,
) -> Result<String, InternalError> {
    let book = doc.book();
    let total = ids.len();
    let mut lines: Vec<String> = ids
        .take(LISTED)
        .map(|c| {
            Ok(format!(
                "- `{}` = {}",
                book.model().name(c)?,
                shown(book, c)
            ))
        })
        .collect::<Result<_, InternalError>>()?;
    if total > LISTED {
        lines.push(format!("- … and {} more", total - LISTED));
    }
    Ok(lines.join(sep))
}

/// `text` cut to `max` characters, with `…` when cut.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

/// A cell's value as the editor lists it (completion details, symbols).
pub fn brief(result: Option<&CellResult>, percent: bool) -> String {
    match result {
        Some(r) => cut(&crate::explain::result_text(r, percent), HINT_ERROR_CHARS),
        None => String::new(),
    }
}
