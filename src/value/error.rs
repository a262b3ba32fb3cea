//! Why a calculation has no value: the one error type of the checked maths,
//! in a file of its own so that every piece of the maths can name it
//! without depending on the others.

use std::fmt;

/// Why a calculation has no value.
///
/// It exists so that a failed cell can say what went wrong in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MathError {
    /// The result is beyond what a `Decimal` holds (about ±7.9e28).
    Overflow,
    /// A division (or a negative power) of zero.
    DivisionByZero,
    /// An argument outside the function's domain, described in words.
    Domain(String),
}

impl fmt::Display for MathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MathError::Overflow => {
                f.write_str("value out of range (premise's decimals hold up to about ±7.9e28)")
            }
            MathError::DivisionByZero => f.write_str("division by zero"),
            MathError::Domain(text) => f.write_str(text),
        }
    }
}

impl std::error::Error for MathError {}
