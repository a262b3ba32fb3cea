//! Exact quantities: decimal amounts with units, and the checked maths on
//! them.

mod error;
pub mod finance;
pub mod math;
pub mod unit;

mod fixed;
mod power;
mod series;
mod wide;

#[cfg(test)]
mod accuracy_table;
#[cfg(test)]
mod accuracy_tests;
#[cfg(test)]
mod math_tests;

pub use error::MathError;
pub use unit::Unit;

use rust_decimal::Decimal;

/// What a cell holds once evaluated.
///
/// It exists so that evaluation, display and export agree on one shape:
/// a number with its unit (dimensionless when it has none), or a boolean.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// An exact decimal amount in a unit.
    Number {
        /// The exact amount.
        amount: Decimal,
        /// Its unit; [`Unit::dimensionless`] for a plain number.
        unit: Unit,
    },
    /// A truth value, from comparisons and `true`/`false`.
    Bool(bool),
}

impl Value {
    /// A dimensionless number, the common case for literals.
    pub fn number(amount: Decimal) -> Value {
        Value::Number {
            amount,
            unit: Unit::dimensionless(),
        }
    }

    /// A number in the given unit.
    pub fn with_unit(amount: Decimal, unit: Unit) -> Value {
        Value::Number { amount, unit }
    }

    /// Whether two values are the same quantity, in whatever units of one
    /// dimension (`1 [MWh]` is `1000 [kWh]`): what a diff calls unchanged.
    pub fn same_quantity(&self, other: &Value) -> bool {
        match (self, other) {
            (
                Value::Number { amount, unit },
                Value::Number {
                    amount: b,
                    unit: to,
                },
            ) if unit != to => unit::convert(*amount, unit, to).is_ok_and(|a| a == *b),
            _ => self == other,
        }
    }
}
