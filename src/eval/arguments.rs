//! How a function asks for its arguments' values: through a trait, not the
//! evaluator's type, so that the functions do not depend on how formulas
//! are evaluated.

use crate::syntax::ast::Expr;
use crate::value::Value;

use super::error::CellError;

/// What a function needs of the formula it is called in: the values of its
/// arguments. The evaluator provides them; the functions do not depend on how.
pub trait Arguments {
    /// Hands the values of `args` to `each`, groups expanded in file order,
    /// and returns how many there were; the first that cannot be read is the
    /// error. A `sum` over a million cells needs no list of them.
    fn each_argument(
        &self,
        args: &[Expr],
        each: impl FnMut(Value),
    ) -> Result<usize, Box<CellError>>;

    /// The values of `args`, groups expanded in file order.
    fn arguments(&self, args: &[Expr]) -> Result<Vec<Value>, Box<CellError>> {
        let mut out = Vec::with_capacity(args.len());
        self.each_argument(args, |v| out.push(v))?;
        Ok(out)
    }
}
