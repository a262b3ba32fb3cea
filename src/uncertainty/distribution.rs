//! The four distributions of the language, checked, with their exact point
//! values.
//!
//! Point values (medians, and the 5th and 95th percentiles sensitivity uses)
//! are decimals, exact where they can be and correct to 20 significant digits
//! where a square root is involved. Draws are made by a [`Sampler`](super::Sampler),
//! in binary floating point: a random draw has no digits to
//! keep, and `exp` and the normal quantile are fast there
//! (docs/language.md#uncertainty says why).

use rust_decimal::Decimal;

use crate::value::{math, MathError};

/// Which distribution a formula names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// `a to b`: lognormal, 5th percentile `a`, 95th `b`.
    Range,
    /// `normal(a to b)`: normal, 5th percentile `a`, 95th `b`.
    Normal,
    /// `uniform(a, b)`: every value from `a` to `b` equally likely.
    Uniform,
    /// `triangular(low, mode, high)`.
    Triangular,
}

impl Family {
    /// The function name, for the forms written as a call.
    pub fn name(self) -> &'static str {
        match self {
            Family::Range => "to",
            Family::Normal => "normal",
            Family::Uniform => "uniform",
            Family::Triangular => "triangular",
        }
    }

    /// The family written as a call with this name (any case), if any.
    pub fn from_call(name: &str) -> Option<Family> {
        [Family::Normal, Family::Uniform, Family::Triangular]
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// How many ends it takes.
    pub fn arity(self) -> usize {
        if self == Family::Triangular {
            3
        } else {
            2
        }
    }
}

/// A point of a distribution that point mode can take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Position {
    /// The median: every command's value of an uncertain quantity.
    #[default]
    Median,
    /// The 5th percentile (sensitivity's low case).
    P5,
    /// The 95th percentile (sensitivity's high case).
    P95,
}

/// A distribution with its ends checked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Distribution {
    family: Family,
    ends: [Decimal; 3],
}

/// Why ends do not make a distribution; [`Invalid::message`] says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// `a to b` with a ≤ 0.
    RangeNotPositive,
    /// `a to b`, `normal(a to b)` or `uniform(a, b)` with a > b.
    NotIncreasing,
    /// The same with a = b: no spread at all.
    NoSpread,
    /// `triangular(l, m, h)` without l ≤ m ≤ h and l < h.
    TriangularOrder,
    /// Not as many ends as the family takes.
    Arity,
}

impl Invalid {
    /// The message for ends written as `ends` (their formula text).
    pub fn message(self, family: Family, ends: &[String]) -> String {
        let a = ends.first().map_or("", String::as_str);
        let b = ends.get(1).map_or("", String::as_str);
        match (self, family) {
            (Invalid::RangeNotPositive, _) => format!(
                "a range 'a to b' is a positive quantity and needs 0 < a < b, but {a} to {b} starts at or below 0; for a quantity that can be zero or negative, write normal({a} to {b})"
            ),
            (Invalid::NoSpread, Family::Range) => format!(
                "a range 'a to b' needs 0 < a < b, but {a} to {b} has no spread: for a value known exactly, write it alone; for a guess, two different ends (a to b, or normal(a to b) for a quantity that can be zero or negative)"
            ),
            (Invalid::NoSpread, Family::Normal) => format!(
                "normal(a to b) needs a < b, but {a} to {b} has no spread: for a value known exactly, write it alone"
            ),
            (Invalid::NoSpread, _) => format!(
                "uniform(a, b) needs a < b, but uniform({a}, {b}) has no spread: for a value known exactly, write it alone"
            ),
            (Invalid::NotIncreasing, Family::Range) => format!(
                "a range 'a to b' needs 0 < a < b, but {a} to {b} does not rise: write the low end first ({b} to {a}), or normal({b} to {a}) for a quantity that can be zero or negative; for a value known exactly, write it alone"
            ),
            (Invalid::NotIncreasing, Family::Normal) => {
                format!("normal(a to b) needs a < b, but {a} to {b} does not rise")
            }
            (Invalid::NotIncreasing, _) => {
                format!("uniform(a, b) needs a < b, but uniform({a}, {b}) does not rise")
            }
            (Invalid::TriangularOrder, _) => {
                let c = ends.get(2).map_or("", String::as_str);
                format!("triangular(low, mode, high) needs low <= mode <= high and low < high, but got triangular({a}, {b}, {c})")
            }
            (Invalid::Arity, Family::Range | Family::Normal) => {
                "a range takes two ends: normal(a to b)".to_string()
            }
            (Invalid::Arity, Family::Uniform) => {
                "uniform takes two values: uniform(low, high)".to_string()
            }
            (Invalid::Arity, Family::Triangular) => {
                "triangular takes three values: triangular(low, mode, high)".to_string()
            }
        }
    }
}

impl Distribution {
    /// The distribution of `family` with these ends (in one unit), checked.
    pub fn new(family: Family, ends: &[Decimal]) -> Result<Distribution, Invalid> {
        if ends.len() != family.arity() {
            return Err(Invalid::Arity);
        }
        let end = |i: usize| ends.get(i).copied().unwrap_or_default();
        let (a, b, c) = (end(0), end(1), end(2));
        match family {
            Family::Range if a <= Decimal::ZERO => return Err(Invalid::RangeNotPositive),
            Family::Range | Family::Normal | Family::Uniform if a == b => {
                return Err(Invalid::NoSpread)
            }
            Family::Range | Family::Normal | Family::Uniform if a > b => {
                return Err(Invalid::NotIncreasing)
            }
            Family::Triangular if !(a <= b && b <= c && a < c) => {
                return Err(Invalid::TriangularOrder)
            }
            _ => {}
        }
        Ok(Distribution {
            family,
            ends: [a, b, c],
        })
    }

    /// The family.
    pub fn family(&self) -> Family {
        self.family
    }

    /// The value at a point of the distribution, in decimals: exact for
    /// normal, uniform and the ends of a range, and to 20 significant digits
    /// or better where a square root is involved (a range's median √(ab),
    /// triangular).
    pub fn at(&self, position: Position) -> Result<Decimal, MathError> {
        let [a, b, c] = self.ends;
        let p = match position {
            Position::Median => Decimal::new(5, 1),
            Position::P5 => Decimal::new(5, 2),
            Position::P95 => Decimal::new(95, 2),
        };
        match (self.family, position) {
            (Family::Range | Family::Normal, Position::P5) => Ok(a),
            (Family::Range | Family::Normal, Position::P95) => Ok(b),
            (Family::Range, Position::Median) => geometric_mean(a, b),
            (Family::Normal, Position::Median) => midpoint(a, b),
            (Family::Uniform, Position::Median) => midpoint(a, b),
            // a + p(b − a), written so that no step leaves the decimals
            // when b − a would (uniform(-7e28, 7e28)).
            (Family::Uniform, _) => {
                math::add(math::mul(math::sub(Decimal::ONE, p)?, a)?, math::mul(p, b)?)
            }
            (Family::Triangular, _) => {
                let width = math::sub(c, a)?;
                let left = math::sub(b, a)?;
                let right = math::sub(c, b)?;
                // Up to the mode, the CDF is (x-l)²/((h-l)(m-l)).
                let mode_share = math::div(left, width)?;
                if p <= mode_share {
                    math::add(a, math::sqrt(math::mul(math::mul(p, width)?, left)?)?)
                } else {
                    let q = math::sub(Decimal::ONE, p)?;
                    math::sub(c, math::sqrt(math::mul(math::mul(q, width)?, right)?)?)
                }
            }
        }
    }

    /// The ends as written (a third end of 0 for two-ended families), for
    /// the sampler that draws from it.
    pub fn ends(&self) -> [Decimal; 3] {
        self.ends
    }
}

/// √(ab) for 0 < a < b, to the decimals' last place: with both ends first
/// brought up by the same power of ten when their product would need more
/// than 28 decimal places (`1e-20 to 1e-19`, whose product rounds to 0).
fn geometric_mean(a: Decimal, b: Decimal) -> Result<Decimal, MathError> {
    let shift = a.scale().min(b.scale());
    if a.scale() + b.scale() <= 28 || shift == 0 {
        return match math::mul(a, b) {
            Ok(ab) => math::sqrt(ab),
            Err(_) => math::mul(math::sqrt(a)?, math::sqrt(b)?),
        };
    }
    // a·10^shift and b·10^shift, exactly: the same digits, a smaller scale.
    let up = |x: Decimal| Decimal::try_from_i128_with_scale(x.mantissa(), x.scale() - shift);
    let (Ok(a_up), Ok(b_up)) = (up(a), up(b)) else {
        return Err(MathError::Overflow);
    };
    let root = match math::mul(a_up, b_up) {
        Ok(ab) => math::sqrt(ab)?,
        Err(_) => math::mul(math::sqrt(a_up)?, math::sqrt(b_up)?)?,
    };
    let power =
        Decimal::try_from_i128_with_scale(10i128.pow(shift), 0).map_err(|_| MathError::Overflow)?;
    math::div(root, power)
}

/// (a + b) / 2 without overflowing when a + b would.
fn midpoint(a: Decimal, b: Decimal) -> Result<Decimal, MathError> {
    let two = Decimal::TWO;
    match math::add(a, b) {
        Ok(sum) => math::div(sum, two),
        Err(_) => math::add(math::div(a, two)?, math::div(b, two)?),
    }
}
