//! Checking a model's assertions (docs/language.md#assertions): each
//! `assert CONDITION[, "message"]` must be true once the model is
//! evaluated. A condition that is false, is not true or false, or fails to
//! evaluate counts as failed. `premise check`, `premise eval`, the REPL,
//! `premise watch` and the language server report failures from here.

use crate::diagnostic::Diagnostic;
use crate::eval::{CellResult, Workbook};
use crate::explain::{shown, shown_at};
use crate::model::{Address, Assertion, Model};
use crate::syntax::ast::Name;
use crate::syntax::{formula_text, CellId};
use crate::value::Value;

/// How one assertion came out.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The condition is true.
    Holds,
    /// It is not: why, in words (`false`, or the error).
    Fails(String),
}

impl Outcome {
    /// Whether the condition is true.
    pub fn holds(&self) -> bool {
        matches!(self, Outcome::Holds)
    }
}

/// The cells whose values the assertions need: what a workbook must
/// evaluate (with [`Workbook::new_for`]) before they are checked.
pub fn cells_read(model: &Model) -> Vec<CellId> {
    let mut out = Vec::new();
    for a in &model.assertions {
        model.reads_into(&a.condition, &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Each assertion of the book's model, in order, checked against its values.
pub fn check(book: &Workbook) -> Vec<Outcome> {
    book.model()
        .assertions
        .iter()
        .map(|a| outcome_of(book, a))
        .collect()
}

/// One assertion checked against the book's values.
/// A condition over a series must hold in every period: the first period
/// where it does not is named (docs/language.md#assertions).
pub fn outcome_of(book: &Workbook, assertion: &Assertion) -> Outcome {
    match book.evaluate(&assertion.condition) {
        crate::eval::Computed::One(r) => outcome(&r),
        crate::eval::Computed::Series(s) => s
            .periods()
            .find_map(|(label, r)| match outcome(r) {
                Outcome::Holds => None,
                Outcome::Fails(why) if why == "false" => {
                    Some(Outcome::Fails(format!("false in {label}")))
                }
                Outcome::Fails(why) => Some(Outcome::Fails(format!("in {label}: {why}"))),
            })
            .unwrap_or(Outcome::Holds),
    }
}

/// What a condition's value means for its assertion.
fn outcome(result: &CellResult) -> Outcome {
    match result {
        Ok(Value::Bool(true)) => Outcome::Holds,
        Ok(Value::Bool(false)) => Outcome::Fails("false".into()),
        Ok(v) => Outcome::Fails(format!(
            "the condition is not true or false: it is {}",
            crate::display::format_value(v, false)
        )),
        Err(e) => Outcome::Fails(format!("the condition cannot be evaluated: {e}")),
    }
}

/// What an assertion says, in words: its message, or its condition.
pub fn claim(assertion: &Assertion) -> String {
    match &assertion.message {
        Some(m) => m.to_string(),
        None => formula_text(&assertion.condition),
    }
}

/// Where an assertion is written, `models/site.model:12`.
pub fn place(model: &Model, assertion: &Assertion) -> String {
    format!("{}:{}", model.file_path(assertion.file), assertion.line)
}

/// The first period in which a condition over a series does not hold.
fn failing_period(book: &Workbook, assertion: &Assertion) -> Option<i64> {
    match book.evaluate(&assertion.condition) {
        crate::eval::Computed::One(_) => None,
        crate::eval::Computed::Series(s) => s
            .periods()
            .find(|(_, r)| !outcome(r).holds())
            .map(|(label, _)| label),
    }
}

/// The cells a condition names and their values in `book`:
/// `capex = $379.69B, grid_limit = $300B`; when it fails in a period, a
/// series' value in that period: `capex[2029] = $379.69B`.
pub fn values_read(book: &Workbook, assertion: &Assertion) -> String {
    let model = book.model();
    let period = failing_period(book, assertion);
    let mut seen: Vec<(CellId, &str)> = Vec::new();
    assertion.condition.visit_names(|n| {
        if let Name::Cell(r) = n {
            if let Some(id) = model.defined(r.name) {
                if !seen.iter().any(|&(s, _)| s == id) {
                    seen.push((id, r.name));
                }
            }
        }
    });
    seen.iter()
        .map(|&(id, name)| match (period, book.computed(id)) {
            (Some(label), Some(crate::eval::Computed::Series(_))) => format!(
                "{name}[{label}] = {}",
                shown_at(
                    book,
                    Address {
                        cell: id,
                        period: Some(label)
                    }
                )
            ),
            _ => format!("{name} = {}", shown(book, id)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A failed assertion as a diagnostic at its statement: the scenario (when
/// not the base), what it claims, and the values its condition read.
pub fn diagnostic(
    book: &Workbook,
    assertion: &Assertion,
    why: &str,
    scenario: Option<&str>,
) -> Diagnostic {
    let prefix = scenario.map_or(String::new(), |s| format!("in scenario '{s}': "));
    let values = values_read(book, assertion);
    let label = match (why, values.is_empty()) {
        ("false", false) => values,
        ("false", true) => "false".to_string(),
        (why, true) => why.to_string(),
        (why, false) => format!("{why} ({values})"),
    };
    Diagnostic::error(
        assertion.span,
        format!("{prefix}assertion failed: {}", claim(assertion)),
        label,
    )
    .in_file(assertion.file)
}

/// The failed assertions of `book`, as diagnostics.
pub fn failures(book: &Workbook, scenario: Option<&str>) -> Vec<Diagnostic> {
    let model = book.model();
    model
        .assertions
        .iter()
        .zip(check(book))
        .filter_map(|(a, o)| match o {
            Outcome::Holds => None,
            Outcome::Fails(why) => Some(diagnostic(book, a, &why, scenario)),
        })
        .collect()
}
