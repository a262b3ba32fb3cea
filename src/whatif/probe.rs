//! A scratch copy of a workbook in which one cell at a time is set to trial
//! values, recomputing only what depends on it.

use rust_decimal::Decimal;

use crate::display::{format_exact, format_number};
use crate::eval::{CellError, CellResult, ErrorKind, EvalError, Workbook};
use crate::internal::InternalError;
use crate::model::{Address, Definition, Slot};
use crate::syntax::{formula_text, CellId};
use crate::value::{Unit, Value};

use super::literal::literal;
use super::WhatIfError;

/// A copy of the caller's workbook to try values in; the caller's is never touched.
pub struct Probe {
    book: Workbook,
    evaluations: usize,
}

/// A cell that a question varies (or one period of a series: `capex[2024]`,
/// which is then pinned): its unit, display and starting value.
#[derive(Clone, Debug)]
pub struct Varied {
    /// The cell.
    pub id: CellId,
    /// The period varied, for a series.
    pub period: Option<i64>,
    /// Its name (`growth`, `capex[2024]`).
    pub name: String,
    /// The unit of its value; trial values are in it.
    pub unit: Unit,
    /// Shown as a percentage.
    pub percent: bool,
    /// Its value before any trial.
    pub start: Decimal,
    /// Its definition before any trial, to put back (`None`: a period of a
    /// series its rule computes, pinned only during the trials).
    original: Option<Definition>,
    /// The formula the trials replace: the whole cell, or a pin.
    slot: Slot,
    /// The formula that computes it before the trials, for messages.
    formula: String,
    /// The axis of a series' rule varied as a whole (`growth[year]`).
    axis: Option<Box<str>>,
}

impl Varied {
    /// An amount of this cell shown as the model shows it (`45%`, `$18.75B`).
    pub fn show(&self, amount: Decimal) -> String {
        format_number(amount, &self.unit, self.percent)
    }

    /// An amount of this cell with every digit.
    pub fn exact(&self, amount: Decimal) -> String {
        format_exact(&Value::with_unit(amount, self.unit.clone()))
    }

    /// Whether the cell is an input (its formula reads no other cell).
    pub fn is_input(&self) -> bool {
        self.original.as_ref().is_some_and(Definition::is_input)
    }

    /// The formula it had before the trials.
    pub fn formula(&self) -> String {
        self.formula.clone()
    }

    /// What the trials vary: the cell, or its period.
    pub fn address(&self) -> Address {
        Address {
            cell: self.id,
            period: self.period,
        }
    }
}

impl Probe {
    /// A scratch copy of `book`.
    pub fn new(book: &Workbook) -> Probe {
        Probe {
            book: book.clone(),
            evaluations: 0,
        }
    }

    /// The workbook with the current trial values.
    pub fn book(&self) -> &Workbook {
        &self.book
    }

    /// How many trial values have been set so far.
    pub fn evaluations(&self) -> usize {
        self.evaluations
    }

    /// A defined cell (or one period of a series, `capex[2026]`) by name,
    /// or a usage error with a did-you-mean.
    pub fn cell(&self, name: &str) -> Result<Address, WhatIfError> {
        cell(&self.book, name)
    }

    /// The cell `name` as a question's output (solve's target, sweep's
    /// columns, sensitivity's cell): one value, so a series is asked about
    /// one period at a time.
    pub fn output(&self, name: &str) -> Result<Address, WhatIfError> {
        let at = self.cell(name)?;
        if at.period.is_none() {
            if let Some(crate::eval::Computed::Series(s)) = self.book.computed(at.cell) {
                let model = self.book.model();
                let name = model.address_text(at)?;
                let last = model.axis(s.axis).ok_or_else(foreign_axis)?.last;
                return Err(WhatIfError::question(format!(
                    "'{name}' is a series: ask about one of its periods, as {name}[{last}]"
                )));
            }
        }
        Ok(at)
    }

    /// Prepares the cell `name` to be varied: it must hold a number now. A
    /// period of a series (`capex[2024]`) is varied by pinning it.
    pub fn vary(&self, name: &str) -> Result<Varied, WhatIfError> {
        let at = self.cell(name)?;
        let model = self.book.model();
        let id = at.cell;
        let name = model.address_text(at)?;
        let series = model.series(id);
        let slot = match (at.period, series) {
            (None, None) => Slot::Whole,
            (Some(label), Some(_)) => Slot::Pin(label),
            (None, Some(s)) => {
                let first = model.axis(s.axis).ok_or_else(foreign_axis)?.first;
                return Err(WhatIfError::question(format!(
                    "'{name}' is a series: vary one of its periods, as {name}[{first}]"
                )));
            }
            (Some(_), None) => {
                return Err(WhatIfError::question(format!(
                    "'{name}' is computed from other series; vary a period of a series defined by period, or an input"
                )));
            }
        };
        let original = model.slot(id, slot).cloned();
        let Some(shown) = model.definition(id) else {
            return Err(WhatIfError::UnknownCell(model.unknown_cell(&name)));
        };
        let formula = match &original {
            Some(d) => formula_text(&d.expr),
            None => formula_text(&shown.expr),
        };
        let (start, unit) = match self.book.value_at(id, at.period) {
            Some(Ok(Value::Number { amount, unit })) => (*amount, unit.clone()),
            Some(Ok(Value::Bool(_))) => {
                return Err(WhatIfError::question(format!(
                    "'{name}' is true or false; only a number can be varied"
                )))
            }
            Some(Err(e)) => {
                return Err(WhatIfError::evaluation(format!(
                    "'{name}' has no value to start from: {}",
                    e.message
                )))
            }
            None => {
                return Err(WhatIfError::evaluation(format!(
                    "'{name}' has not been computed"
                )))
            }
        };
        Ok(Varied {
            id,
            period: at.period,
            name,
            unit,
            percent: shown.percent,
            start,
            original,
            slot,
            formula,
            axis: None,
        })
    }

    /// Prepares a series' rule that reads no cell (`growth[year] = 5% to
    /// 15%`: one value in every period it computes) to be varied as one
    /// input: its trial values replace the rule, the pins stay.
    pub fn vary_rule(&self, id: CellId) -> Result<Varied, WhatIfError> {
        let model = self.book.model();
        let name = model.slot_key(id, Slot::Rule)?;
        let (Some(s), Some(rule)) = (model.series(id), model.slot(id, Slot::Rule)) else {
            return Err(WhatIfError::question(format!(
                "'{name}' is no series' rule"
            )));
        };
        let axis = model.axis(s.axis).ok_or_else(foreign_axis)?;
        // Its value in a period it computes (one without a pin).
        let computed = axis.labels().find(|&l| s.pin(l).is_none());
        let (start, unit) = match computed.and_then(|l| self.book.value_at(id, Some(l))) {
            Some(Ok(Value::Number { amount, unit })) => (*amount, unit.clone()),
            _ => {
                return Err(WhatIfError::question(format!(
                    "'{name}' gives no number to start from"
                )))
            }
        };
        Ok(Varied {
            id,
            period: None,
            name,
            unit,
            percent: rule.percent,
            start,
            formula: formula_text(&rule.expr),
            original: Some(rule.clone()),
            slot: Slot::Rule,
            axis: Some(axis.name.clone()),
        })
    }

    /// Gives the varied cell the value `amount` and recomputes what depends on it.
    pub fn set(&mut self, cell: &Varied, amount: Decimal) -> Result<(), WhatIfError> {
        let expr = literal(amount, &cell.unit, amount.normalize().to_string());
        let def = Definition {
            expr,
            percent: cell.percent,
            hint: cell.original.as_ref().and_then(|d| d.hint.clone()),
            draws: false,
            line: cell.original.as_ref().map_or(0, |d| d.line),
            file: cell
                .original
                .as_ref()
                .map_or_else(Default::default, |d| d.file),
            span: cell
                .original
                .as_ref()
                .map_or_else(Default::default, |d| d.span),
            doc: cell.original.as_ref().and_then(|d| d.doc.clone()),
        };
        self.evaluations = self.evaluations.saturating_add(1);
        let name = self.book.model().name(cell.id)?.to_string();
        self.book
            .redefine_slot(&name, cell.slot, cell.axis.as_deref(), def)
            .map(|_| ())
            .map_err(|r| WhatIfError::evaluation(r.to_string()))
    }

    /// Puts the varied cell's own formula back.
    pub fn restore(&mut self, cell: &Varied) -> Result<(), WhatIfError> {
        let name = self.book.model().name(cell.id)?.to_string();
        match &cell.original {
            Some(def) => {
                self.book
                    .redefine_slot(&name, cell.slot, cell.axis.as_deref(), def.clone())
            }
            None => self.book.clear_slot(&name, cell.slot),
        }
        .map(|_| ())
        .map_err(|r| WhatIfError::evaluation(r.to_string()))
    }

    /// A cell's value (or a period's) with the current trial values.
    pub fn value(&self, at: Address) -> CellResult {
        value(&self.book, at)
    }
}

/// A cell's value (or a period's), computed or not.
pub(super) fn value(book: &Workbook, at: Address) -> CellResult {
    match book.value_at(at.cell, at.period) {
        Some(r) => r.clone(),
        None => {
            let e = match book.model().address_text(at) {
                Ok(cell) => EvalError::NotComputed { cell },
                Err(e) => EvalError::Internal(e),
            };
            let message = e.to_string();
            Err(Box::new(CellError::of_kind(
                ErrorKind::Eval(e),
                message,
                None,
            )))
        }
    }
}

/// A defined cell (or a period of one) by name, or a usage error with a
/// did-you-mean; a period off a series' axis is a usage error too.
pub(super) fn cell(book: &Workbook, name: &str) -> Result<Address, WhatIfError> {
    let at = book.model().address(name.trim()).map_err(|e| match e {
        crate::model::AddressError::Unknown(u) => WhatIfError::UnknownCell(u),
        other => WhatIfError::question(other.to_string()),
    })?;
    match book.address_problem(at) {
        Some(problem) => Err(WhatIfError::question(problem)),
        None => Ok(at),
    }
}

/// Whether a cell is shown as a percentage.
pub(super) fn percent(book: &Workbook, id: CellId) -> bool {
    book.model().definition(id).is_some_and(|d| d.percent)
}

/// A series whose axis its model does not hold: premise's failure.
pub(super) fn foreign_axis() -> InternalError {
    InternalError::new("a series over an axis of another model")
}
