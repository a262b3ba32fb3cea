//! Cells as named outside formulas, on the command line and in the REPL:
//! `capex`, one period `capex[2026]`, or a series' rule `capex[year]`
//! (docs/language.md#axes-and-series).

use super::Model;
use crate::internal::InternalError;
use crate::suggest::Unknown;
use crate::syntax::ast::Part;
use crate::syntax::CellId;

/// A cell, or one period of a series cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Address {
    /// The cell.
    pub cell: CellId,
    /// The period's label, for one element of a series.
    pub period: Option<i64>,
}

impl Address {
    /// The whole cell.
    pub fn cell(cell: CellId) -> Address {
        Address { cell, period: None }
    }
}

/// Why a name does not give an address.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// No cell of that name.
    #[error(transparent)]
    Unknown(Unknown),
    /// The brackets do not name a period (`capex[year]`, `capex[x]`).
    #[error("{0}")]
    Malformed(String),
}

/// `name`, `name[2026]` or `name[year]`: the name and what its brackets say;
/// `Err` with the reason for brackets that are neither a label nor a name.
pub fn split_name(text: &str) -> Result<(&str, Option<Part>), String> {
    let text = text.trim();
    let Some(open) = text.find('[') else {
        return Ok((text, None));
    };
    let name = text.get(..open).unwrap_or("").trim_end();
    let inside = text
        .get(open + 1..)
        .and_then(|rest| rest.strip_suffix(']'))
        .ok_or_else(|| format!("'{text}': a period is written in brackets, as {name}[2026]"))?
        .trim();
    if let Ok(label) = inside.parse::<i64>() {
        return Ok((name, Some(Part::Pin(label))));
    }
    let is_name = inside
        .chars()
        .next()
        .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
        && inside
            .chars()
            .all(|c| c == '.' || unicode_ident::is_xid_continue(c));
    if is_name {
        return Ok((
            name,
            Some(Part::Rule {
                axis: inside.into(),
            }),
        ));
    }
    Err(format!(
        "'{text}': between the brackets goes a period's label ({name}[2026]) or an axis ({name}[year])"
    ))
}

impl Model {
    /// The cell or period `text` names (`capex`, `capex[2026]`). Whether the
    /// period is on the cell's axis is for the caller to check against the
    /// computed cell (a series may be inferred: `cash = revenue - capex`).
    pub fn address(&self, text: &str) -> Result<Address, AddressError> {
        let (name, part) = split_name(text).map_err(AddressError::Malformed)?;
        let cell = self
            .defined(name)
            .ok_or_else(|| AddressError::Unknown(self.unknown_cell(name)))?;
        match part {
            None => Ok(Address::cell(cell)),
            Some(Part::Pin(label)) => Ok(Address {
                cell,
                period: Some(label),
            }),
            Some(Part::Rule { axis }) => Err(AddressError::Malformed(format!(
                "'{text}' names the rule of '{name}' over {axis}: name one period, as {name}[{}]",
                self.axis_named(&axis)
                    .and_then(|a| self.axis(a))
                    .map_or(2026, |a| a.first)
            ))),
        }
    }

    /// `capex` or `capex[2026]`.
    pub fn address_text(&self, a: Address) -> Result<String, InternalError> {
        let name = self.name(a.cell)?;
        Ok(match a.period {
            Some(label) => format!("{name}[{label}]"),
            None => name.to_string(),
        })
    }
}
