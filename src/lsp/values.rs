//! The values beside the formulas: each cell's value at the end of its line
//! (inlay hints), and on hover a cell's value, unit, formula, doc text and
//! the inputs it reads.

use crate::display::format_number;
use crate::eval::{CellResult, Computed};
use crate::explain::{result_text, shown};
use crate::internal::InternalError;
use crate::model::Address;
use crate::syntax::{formula_text, CellId};
use crate::value::unit::{built_in, USD};
use crate::value::{Unit, Value};

use super::document::{Document, Kind};
use super::names::Target;
use super::ranges::{interval, simulated};

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
    let spreads = doc.spreads();
    let first = stmts.partition_point(|s| s.span.end() < start);
    let mut out = Vec::new();
    for stmt in stmts.iter().skip(first) {
        if stmt.span.start() > end {
            break;
        }
        let Kind::Cell { id, broken: None } = stmt.kind else {
            continue;
        };
        let (Some(def), Some(computed)) = (model.definition(id), book.computed(id)) else {
            continue;
        };
        let here = Address::cell(id);
        let label = match computed {
            Computed::Series(s) => match s.errors().next() {
                Some((label, e)) => format!("⚠ {label}: {}", cut(&e.message, HINT_ERROR_CHARS)),
                None => format!("⇒ {}", series_ends(doc, id, def.percent)),
            },
            Computed::One(Ok(_)) => {
                let value = value_words(doc, here, def.percent);
                if def.is_input() && formula_text(&def.expr) == value {
                    continue;
                }
                let failed = spreads.found(here).is_some_and(|f| f.failure.is_some());
                format!("⇒ {value}{}", if failed { " ⚠" } else { "" })
            }
            Computed::One(Err(e)) => format!("⚠ {}", cut(&e.message, HINT_ERROR_CHARS)),
        };
        let mut tooltip = format!("{} = {}", model.name(id)?, shown(book, id));
        if let Some(why) = spreads.found(here).and_then(|f| f.failure.as_ref()) {
            tooltip.push_str(&format!("\n{why}"));
        }
        out.push(Hint {
            at: stmt.span.end(),
            label,
            tooltip,
        });
    }
    Ok(out)
}

/// A cell's or a period's value as the editor shows it: as `premise eval`
/// does, with `~` for a median, and the 90% interval when it was simulated
/// (`~$52.92B (90%: $39.95B to $70.35B)`).
fn value_words(doc: &Document, at: Address, percent: bool) -> String {
    let Some(result) = doc.book().value_at(at.cell, at.period) else {
        return "not computed".to_string();
    };
    let text = result_text(result, percent);
    let spreads = doc.spreads();
    if result.is_err() || !spreads.is_uncertain(at.cell) {
        return text;
    }
    match spreads.found(at).and_then(|f| interval(f, percent)) {
        Some(interval) => format!("~{text} ({interval})"),
        None => format!("~{text}"),
    }
}

/// A series' first and last periods: `2024: $50B … 2030: $241.34B` (both
/// when there are two, the one when there is one).
fn series_ends(doc: &Document, id: CellId, percent: bool) -> String {
    let Some(Computed::Series(s)) = doc.book().computed(id) else {
        return String::new();
    };
    let at = |label: i64| {
        let words = value_words(
            doc,
            Address {
                cell: id,
                period: Some(label),
            },
            percent,
        );
        format!("{label}: {words}")
    };
    let mut labels = s.periods().map(|(label, _)| label);
    let first = labels.next();
    let count = s.elements.len();
    match (first, labels.last()) {
        (Some(first), Some(last)) if count > 2 => format!("{} … {}", at(first), at(last)),
        (Some(first), Some(last)) => format!("{}, {}", at(first), at(last)),
        (Some(first), None) => at(first),
        (None, _) => String::new(),
    }
}

/// Periods a hover lists in full; a longer series shows its first and last
/// halves of this many.
const LISTED_PERIODS: usize = 24;

/// A series' periods for its hover, one a line (`- 2024: $50B`), with each
/// one's 90% interval when the series is uncertain (simulated here, for
/// the periods listed).
fn period_lines(doc: &Document, id: CellId, percent: bool) -> Vec<String> {
    let book = doc.book();
    let Some(Computed::Series(s)) = book.computed(id) else {
        return Vec::new();
    };
    let count = s.elements.len();
    let half = LISTED_PERIODS / 2;
    let listed: Vec<(i64, &CellResult)> = s
        .periods()
        .enumerate()
        .filter(|&(i, _)| count <= LISTED_PERIODS || i < half || i >= count - half)
        .map(|(_, p)| p)
        .collect();
    let spreads = doc.spreads();
    let mut intervals = std::collections::HashMap::new();
    if let (true, Some(settings)) = (spreads.is_uncertain(id), spreads.settings) {
        let addresses: Vec<Address> = listed
            .iter()
            .filter(|(_, r)| r.is_ok())
            .map(|&(label, _)| Address {
                cell: id,
                period: Some(label),
            })
            .collect();
        for (at, outcome) in addresses.iter().zip(book.simulate(&addresses, settings)) {
            let found = super::ranges::Found {
                spread: outcome.spread(),
                failure: outcome.failure(),
            };
            if let Some(words) = interval(&found, percent) {
                intervals.insert(at.period, words);
            }
        }
    }
    let mut lines = Vec::with_capacity(listed.len() + 1);
    for (i, (label, result)) in listed.iter().enumerate() {
        if count > LISTED_PERIODS && i == half {
            lines.push(format!("- … {} more", count - LISTED_PERIODS));
        }
        let mut text = result_text(result, percent);
        if result.is_ok() && spreads.is_uncertain(id) {
            text = format!("~{text}");
        }
        if let Some(words) = intervals.get(&Some(*label)) {
            text.push_str(&format!(" ({words})"));
        }
        lines.push(format!("- {label}: {text}"));
    }
    lines
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

/// What hovering over a unit name between brackets shows: what it measures,
/// what one of it is in base units, and where it comes from (built in,
/// declared by the model, or a unit of its own).
pub fn unit_hover(doc: &Document, name: &str) -> String {
    let model = doc.book().model();
    let (named, origin) = if let Some(d) = model.units.find(name) {
        let written = match &d.factor {
            Some(factor) => format!("unit {} = {factor}", d.name),
            None => format!("unit {}", d.name),
        };
        (
            d.named.clone(),
            format!("declared on line {}: `{written}`", d.line),
        )
    } else if name == USD {
        return format!("**{USD}**: the currency, written `$` (`$5B` is 5,000,000,000 USD)");
    } else if let Some(named) = built_in(name) {
        (named.clone(), "built in".to_string())
    } else {
        return format!(
            "**{name}**: neither built in nor declared, so a unit of its own: it converts to nothing"
        );
    };
    let Some(meaning) = named.meant() else {
        return format!("**{name}**: a unit of its own ({origin}): it converts to nothing");
    };
    let mut text = format!("**{name}**: {}, {origin}", meaning.dimension.words());
    let base = Unit::from_factors(meaning.dimension.parts());
    if let (Some(base), Ok(one), false) = (base, meaning.ratio.to_decimal(), meaning.ratio.is_one())
    {
        text.push_str(&format!(
            "\n\n1 {name} = {}",
            format_number(one, &base, false)
        ));
    }
    text
}

/// A cell's hover: value, unit, formula, doc text, the cells it reads.
fn cell_hover(doc: &Document, id: CellId) -> Result<String, InternalError> {
    let book = doc.book();
    let model = book.model();
    let name = model.name(id)?;
    let percent = model.definition(id).is_some_and(|d| d.percent);
    let series = matches!(book.computed(id), Some(Computed::Series(_)));
    let mut text = if series {
        format!(
            "**{name}** = {}\n\n{}",
            series_ends(doc, id, percent),
            period_lines(doc, id, percent).join("\n")
        )
    } else {
        format!("**{name}** = {}", marked(doc, id))
    };
    // A series' unit is that of its elements.
    let first = match book.computed(id) {
        Some(Computed::Series(s)) => s.periods().map(|(_, r)| r).find(|r| r.is_ok()),
        Some(Computed::One(r)) => Some(r),
        None => None,
    };
    if let Some(Ok(Value::Number { unit, .. })) = first {
        if !unit.is_dimensionless() {
            text.push_str(&format!("\n\nunit: `{unit}`"));
            // What it measures, when that says more than the unit: `(energy)`.
            if let Some(words) = unit.dimension_words() {
                text.push_str(&format!(" ({words})"));
            }
        }
    }
    if let Some(def) = model.definition(id) {
        text.push_str(&format!("\n\n```premise\n{}\n```", written(doc, id)?));
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
    let spreads = doc.spreads();
    // A series' periods show their intervals in the list above.
    if spreads.is_uncertain(id) && !series {
        text.push_str("\n\nuncertain: ~ is the value with each range at its median");
        match spreads.settings {
            Some(settings) => text.push_str(&format!(
                "\n\n```text\n{}\n```",
                simulated(book, id, settings, percent).join("\n")
            )),
            None => text.push_str(
                "\n\n(too many uncertain cells to simulate at every edit: `premise simulate` gives the percentiles)",
            ),
        }
    }
    Ok(text)
}

/// A cell's value as `premise eval` shows it: `~$52.92B` when it is a
/// median (the cell holds or reads a range).
fn marked(doc: &Document, id: CellId) -> String {
    let value = shown(doc.book(), id);
    if doc.spreads().is_uncertain(id) && matches!(doc.book().value(id), Some(Ok(_))) {
        format!("~{value}")
    } else {
        value
    }
}

/// Pins a hover shows of a series; the rest are counted.
const LISTED_PINS: usize = 5;

/// A cell's definition as written: `name = formula`; for a series its rule
/// (`capex[year] = ...`) and its pins (`capex[2024] = $50B`).
fn written(doc: &Document, id: CellId) -> Result<String, InternalError> {
    let model = doc.book().model();
    let name = model.name(id)?;
    let Some(series) = model.series(id) else {
        let formula = model
            .definition(id)
            .map(|d| d.written())
            .unwrap_or_default();
        return Ok(format!("{name} = {formula}"));
    };
    let mut lines = Vec::new();
    if let (true, Some(def), Some(axis)) =
        (series.ruled, model.definition(id), model.axis(series.axis))
    {
        lines.push(format!("{name}[{}] = {}", axis.name, def.written()));
    }
    for pin in series.pins.iter().take(LISTED_PINS) {
        lines.push(format!("{name}[{}] = {}", pin.label, pin.def.written()));
    }
    if series.pins.len() > LISTED_PINS {
        lines.push(format!("# … {} more pins", series.pins.len() - LISTED_PINS));
    }
    Ok(lines.join("\n"))
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
                marked(doc, c)
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
