//! A scratch copy of a workbook in which one cell at a time is set to trial
//! values, recomputing only what depends on it.

use rust_decimal::Decimal;

use crate::display::{format_exact, format_number};
use crate::eval::{CellError, CellResult, ErrorKind, EvalError, Workbook};
use crate::model::Definition;
use crate::syntax::{formula_text, CellId};
use crate::value::{Unit, Value};

use super::literal::literal;
use super::WhatIfError;

/// A copy of the caller's workbook to try values in; the caller's is never touched.
pub struct Probe {
    book: Workbook,
    evaluations: usize,
}

/// A cell that a question varies: its unit, display and starting value.
#[derive(Clone, Debug)]
pub struct Varied {
    /// The cell.
    pub id: CellId,
    /// Its name.
    pub name: String,
    /// The unit of its value; trial values are in it.
    pub unit: Unit,
    /// Shown as a percentage.
    pub percent: bool,
    /// Its value before any trial.
    pub start: Decimal,
    /// Its definition before any trial, to put back.
    original: Definition,
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
        self.original.is_input()
    }

    /// The formula it had before the trials.
    pub fn formula(&self) -> String {
        formula_text(&self.original.expr)
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

    /// A defined cell by name, or a usage error with a did-you-mean.
    pub fn cell(&self, name: &str) -> Result<CellId, WhatIfError> {
        cell(&self.book, name)
    }

    /// Prepares the cell `name` to be varied: it must hold a number now.
    pub fn vary(&self, name: &str) -> Result<Varied, WhatIfError> {
        let id = self.cell(name)?;
        let Some(def) = self.book.model().definition(id) else {
            return Err(WhatIfError::UnknownCell(
                self.book.model().unknown_cell(name),
            ));
        };
        let (start, unit) = match self.book.value(id) {
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
            name: name.to_string(),
            unit,
            percent: def.percent,
            start,
            original: def.clone(),
        })
    }

    /// Gives the varied cell the value `amount` and recomputes what depends on it.
    pub fn set(&mut self, cell: &Varied, amount: Decimal) -> Result<(), WhatIfError> {
        let expr = literal(amount, &cell.unit, amount.normalize().to_string());
        let def = Definition {
            expr,
            percent: cell.percent,
            hint: cell.original.hint.clone(),
            draws: false,
            line: cell.original.line,
            file: cell.original.file,
            span: cell.original.span,
            doc: cell.original.doc.clone(),
        };
        self.evaluations = self.evaluations.saturating_add(1);
        self.book
            .redefine(&cell.name, def)
            .map(|_| ())
            .map_err(|r| WhatIfError::evaluation(r.to_string()))
    }

    /// Puts the varied cell's own formula back.
    pub fn restore(&mut self, cell: &Varied) -> Result<(), WhatIfError> {
        self.book
            .redefine(&cell.name, cell.original.clone())
            .map(|_| ())
            .map_err(|r| WhatIfError::evaluation(r.to_string()))
    }

    /// A cell's value with the current trial values.
    pub fn value(&self, id: CellId) -> CellResult {
        value(&self.book, id)
    }
}

/// A cell's value, computed or not.
pub(super) fn value(book: &Workbook, id: CellId) -> CellResult {
    match book.value(id) {
        Some(r) => r.clone(),
        None => {
            let e = match book.model().name(id) {
                Ok(name) => EvalError::NotComputed {
                    cell: name.to_string(),
                },
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

/// A defined cell by name, or a usage error with a did-you-mean.
pub(super) fn cell(book: &Workbook, name: &str) -> Result<CellId, WhatIfError> {
    book.model()
        .defined(name.trim())
        .ok_or_else(|| WhatIfError::UnknownCell(book.model().unknown_cell(name.trim())))
}

/// Whether a cell is shown as a percentage.
pub(super) fn percent(book: &Workbook, id: CellId) -> bool {
    book.model().definition(id).is_some_and(|d| d.percent)
}
