//! Units as products of named units with integer powers, and what they
//! convert to (docs/language.md#units).

mod convert;
mod dimension;
mod named;
mod ratio;

use std::fmt;
use std::sync::{Arc, LazyLock};

pub use convert::{cancel, convert, ratio_between, Incompatible};
pub use dimension::Dimension;
pub use named::{built_in, built_in_names, Meaning, Named, USD};
pub use ratio::Ratio;

/// Unit names with their powers, sorted by name.
///
/// Boxed inside the `Arc` so that a `Unit` is one thin pointer (8 bytes)
/// rather than a fat one: it sits in every value, and a million-cell model
/// keeps a million values.
type Factors = Box<[(Arc<Named>, i32)]>;

/// A physical or money unit as a product of named units with integer powers.
///
/// It exists so that `* /` can combine units, `+ -` can insist on one
/// dimension and convert, and every unit prints in one canonical form
/// (docs/language.md#units). Each name carries what it means (a `kWh` is
/// 3,600,000 J), so that values convert without a look-up elsewhere.
/// Invariant: the factors are sorted by name in byte (ASCII) order, each
/// name appears once, and no power is zero; equality is equality of the
/// names and powers.
///
/// Shared behind an `Arc` (and absent for plain numbers) so that copying a
/// value, which evaluation does for every reference, never allocates; the
/// factors are boxed behind it so the pointer is thin and a value stays small.
#[derive(Clone, Debug, Default)]
pub struct Unit {
    dims: Option<Arc<Factors>>,
}

impl PartialEq for Unit {
    #[inline]
    fn eq(&self, other: &Unit) -> bool {
        match (&self.dims, &other.dims) {
            (None, None) => true,
            (Some(a), Some(b)) => {
                Arc::ptr_eq(a, b)
                    || (a.len() == b.len()
                        && a.iter()
                            .zip(b.iter())
                            .all(|((x, p), (y, q))| p == q && x.name() == y.name()))
            }
            _ => false,
        }
    }
}

impl Eq for Unit {}

impl std::hash::Hash for Unit {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for (name, power) in self.factors() {
            name.hash(state);
            power.hash(state);
        }
    }
}

impl Unit {
    /// The unit of plain numbers, as a constant (for a `static` to borrow).
    pub const DIMENSIONLESS: Unit = Unit { dims: None };

    /// The same unit in memory of its own, sharing no reference count with
    /// `self`: a thread that clones a unit on every sample of a simulation
    /// works on its own copy, rather than take turns with the other threads
    /// at one shared count. Equal to `self`.
    pub fn own_copy(&self) -> Unit {
        Unit {
            dims: self.dims.as_ref().map(|factors| {
                let copied: Factors = factors
                    .iter()
                    .map(|(named, power)| (Arc::new(Named::clone(named)), *power))
                    .collect();
                Arc::new(copied)
            }),
        }
    }

    /// The unit of plain numbers (no factors).
    pub fn dimensionless() -> Unit {
        Unit::default()
    }

    /// US dollars, the unit `$` gives a number (made once, shared).
    pub fn usd() -> Unit {
        static USD_UNIT: LazyLock<Unit> = LazyLock::new(|| Unit::named(USD));
        USD_UNIT.clone()
    }

    /// A single unit to the power 1, e.g. `GPU`, `kWh` (built-in names
    /// carry their meaning).
    pub fn named(name: &str) -> Unit {
        Unit {
            dims: Some(Arc::new(Box::new([(look_up(name), 1)]))),
        }
    }

    /// Builds a unit from `(name, power)` factors in any order, merging
    /// repeated names and dropping zero powers; `None` if a power
    /// overflows `i32`. Built-in names carry their meaning.
    pub fn from_factors<S: AsRef<str>>(
        factors: impl IntoIterator<Item = (S, i32)>,
    ) -> Option<Unit> {
        Unit::from_named(
            factors
                .into_iter()
                .map(|(name, power)| (look_up(name.as_ref()), power)),
        )
    }

    /// [`Unit::from_factors`] for names that already carry their meaning.
    pub fn from_named(factors: impl IntoIterator<Item = (Arc<Named>, i32)>) -> Option<Unit> {
        let mut dims: Vec<(Arc<Named>, i32)> = Vec::new();
        for (named, power) in factors {
            match dims.binary_search_by(|(n, _)| n.name().cmp(named.name())) {
                Ok(at) => {
                    let slot = dims.get_mut(at)?;
                    slot.1 = slot.1.checked_add(power)?;
                }
                Err(at) => dims.insert(at, (named, power)),
            }
        }
        dims.retain(|(_, p)| *p != 0);
        if dims.is_empty() {
            return Some(Unit::default());
        }
        Some(Unit {
            dims: Some(Arc::new(dims.into_boxed_slice())),
        })
    }

    /// True for plain numbers.
    pub fn is_dimensionless(&self) -> bool {
        self.dims.is_none()
    }

    /// The factors' names and powers, sorted by name, without zero powers.
    pub fn factors(&self) -> impl Iterator<Item = (&str, i32)> + '_ {
        self.parts().iter().map(|(n, p)| (n.name(), *p))
    }

    /// The factors with what their names mean.
    pub fn parts(&self) -> &[(Arc<Named>, i32)] {
        self.dims.as_deref().map_or(&[], |factors| &**factors)
    }

    /// The power of one name (0 when absent), e.g. to spot `USD`.
    pub fn power_of(&self, name: &str) -> i32 {
        self.factors()
            .find(|(n, _)| *n == name)
            .map_or(0, |(_, p)| p)
    }

    /// Whether any of its names converts (a built-in or declared unit with
    /// a factor): units that do not never need a conversion worked out.
    pub fn converts(&self) -> bool {
        self.parts().iter().any(|(n, _)| n.meant().is_some())
    }

    /// What the unit measures; `None` if a power leaves `i32`.
    pub fn dimension(&self) -> Option<Dimension> {
        let mut d = Dimension::plain();
        for (named, power) in self.parts() {
            d.add_times(&named.dimension(), *power)?;
        }
        Some(d)
    }

    /// One of this unit in base units (1 for units that do not convert);
    /// `None` past the range of powers.
    pub fn ratio(&self) -> Option<Ratio> {
        self.parts()
            .iter()
            .try_fold(Ratio::ONE, |r, (named, power)| {
                r.checked_mul(named.ratio().powi(i64::from(*power))?)
            })
    }

    /// The same unit with its names looked up again by `find` (for names a
    /// model declares); itself when no name changes meaning.
    pub fn resolved(&self, find: impl Fn(&str) -> Option<Arc<Named>>) -> Unit {
        let mut changed = false;
        let factors: Vec<(Arc<Named>, i32)> = self
            .parts()
            .iter()
            .map(|(named, power)| match find(named.name()) {
                Some(found) if !Arc::ptr_eq(&found, named) => {
                    changed = true;
                    (found, *power)
                }
                _ => (named.clone(), *power),
            })
            .collect();
        if !changed {
            return self.clone();
        }
        Unit {
            dims: Some(Arc::new(factors.into_boxed_slice())),
        }
    }

    /// The unit of a product; `None` on power overflow.
    pub fn mul(&self, other: &Unit) -> Option<Unit> {
        if other.is_dimensionless() {
            return Some(self.clone());
        }
        if self.is_dimensionless() {
            return Some(other.clone());
        }
        Unit::from_named(
            self.parts()
                .iter()
                .chain(other.parts().iter())
                .map(|(n, p)| (n.clone(), *p)),
        )
    }

    /// The unit of a quotient; `None` on power overflow.
    pub fn div(&self, other: &Unit) -> Option<Unit> {
        if other.is_dimensionless() {
            return Some(self.clone());
        }
        let inverse = other
            .parts()
            .iter()
            .map(|(n, p)| p.checked_neg().map(|q| (n.clone(), q)))
            .collect::<Option<Vec<_>>>()?;
        Unit::from_named(
            self.parts()
                .iter()
                .map(|(n, p)| (n.clone(), *p))
                .chain(inverse),
        )
    }

    /// The unit of `x ^ n`; `None` when a power leaves `i32`.
    pub fn powi(&self, n: i64) -> Option<Unit> {
        let dims = self
            .parts()
            .iter()
            .map(|(named, p)| {
                let power = i64::from(*p).checked_mul(n)?;
                Some((named.clone(), i32::try_from(power).ok()?))
            })
            .collect::<Option<Vec<_>>>()?;
        Unit::from_named(dims)
    }

    /// What the unit measures in words, when that says more than the unit
    /// itself: `energy` for `kWh`, `power/rack` for `kW/rack`; `None` for
    /// plain numbers and for units that are their own dimension (`GPU`).
    pub fn dimension_words(&self) -> Option<String> {
        let words = self.dimension()?.words();
        (!words.is_empty() && words != self.to_string()).then_some(words)
    }
}

#[cfg(test)]
impl Unit {
    /// A unit written as between brackets (`USD*h/GPU`, `kW/rack/h`, `m/s^2`,
    /// `1/GPU`: every name after a `/` divides), for tests.
    pub(crate) fn written(text: &str) -> Unit {
        let mut factors = Vec::new();
        for (i, side) in text.split('/').enumerate() {
            let sign = if i == 0 { 1 } else { -1 };
            for f in side.split('*').filter(|f| !f.is_empty() && *f != "1") {
                let (name, power) = match f.split_once('^') {
                    Some((n, p)) => (n, p.parse::<i32>().unwrap()),
                    None => (f, 1),
                };
                factors.push((name, sign * power));
            }
        }
        Unit::from_factors(factors).unwrap()
    }
}

/// The meaning of a name as the parser sees it: a built-in unit, or a unit
/// of its own (a model's declarations are looked up later, [`Unit::resolved`]).
fn look_up(name: &str) -> Arc<Named> {
    built_in(name).cloned().unwrap_or_else(|| Named::own(name))
}

/// Writes `name` or `name^p` for each factor, joined by `*`.
fn write_factors<'a>(
    f: &mut fmt::Formatter<'_>,
    factors: impl Iterator<Item = (&'a str, u32)>,
) -> fmt::Result {
    for (i, (name, power)) in factors.enumerate() {
        if i > 0 {
            f.write_str("*")?;
        }
        f.write_str(name)?;
        if power > 1 {
            write!(f, "^{power}")?;
        }
    }
    Ok(())
}

/// Canonical form (docs/language.md#units): positive powers joined by `*`, then `/` and
/// the negative powers joined by `*`, names in ASCII order on each side,
/// `^n` for powers above 1; `1/GPU` when there are only negative powers;
/// empty for dimensionless.
impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let positive = || {
            self.factors()
                .filter(|(_, p)| *p > 0)
                .map(|(n, p)| (n, p.unsigned_abs()))
        };
        let negative = || {
            self.factors()
                .filter(|(_, p)| *p < 0)
                .map(|(n, p)| (n, p.unsigned_abs()))
        };
        if self.is_dimensionless() {
            return Ok(());
        }
        if positive().next().is_some() {
            write_factors(f, positive())?;
        } else {
            f.write_str("1")?;
        }
        if negative().next().is_some() {
            f.write_str("/")?;
            write_factors(f, negative())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(factors: &[(&str, i32)]) -> Unit {
        Unit::from_factors(factors.iter().copied()).unwrap()
    }

    #[test]
    fn one_pointer_wide() {
        // Every value holds a unit and a million-cell model keeps a million
        // values: a fat pointer here costs 8 bytes per cell, and pushes a
        // value past 32 bytes.
        assert_eq!(std::mem::size_of::<Unit>(), std::mem::size_of::<usize>());
        assert!(std::mem::size_of::<crate::value::Value>() <= 32);
    }

    #[test]
    fn canonical_display() {
        let cases: &[(&[(&str, i32)], &str)] = &[
            (&[], ""),
            (&[("USD", 1)], "USD"),
            (&[("kWh", -1), ("USD", 1)], "USD/kWh"),
            (&[("h", 1), ("GPU", 1)], "GPU*h"),
            (&[("s", -2), ("m", 1)], "m/s^2"),
            (&[("USD", 1), ("GPU", -1)], "USD/GPU"),
            (&[("GPU", -1)], "1/GPU"),
            (&[("s", -1), ("m", -3)], "1/m^3*s"),
            (&[("h", 1), ("USD", 1), ("GPU", -1)], "USD*h/GPU"),
            (&[("m", 2), ("kg", 1), ("s", -3), ("A", -1)], "kg*m^2/A*s^3"),
        ];
        for (factors, want) in cases {
            assert_eq!(u(factors).to_string(), *want, "{factors:?}");
        }
    }

    #[test]
    fn names_sort_in_byte_order() {
        // Uppercase sorts before lowercase in ASCII.
        let unit = u(&[("kWh", 1), ("USD", 1), ("GPU", 1)]);
        let names: Vec<&str> = unit.factors().map(|(n, _)| n).collect();
        assert_eq!(names, ["GPU", "USD", "kWh"]);
    }

    #[test]
    fn merging_and_cancelling() {
        assert_eq!(u(&[("m", 1), ("m", 1)]), u(&[("m", 2)]));
        assert_eq!(u(&[("m", 1), ("m", -1)]), Unit::dimensionless());
        assert!(u(&[("m", 1), ("m", -1)]).is_dimensionless());
        assert_eq!(u(&[("m", 0)]).factors().count(), 0);
        assert_eq!(Unit::from_factors([("m", i32::MAX), ("m", 1)]), None);
        assert_eq!(Unit::usd(), Unit::named("USD"));
        assert_eq!(Unit::usd().power_of("USD"), 1);
        assert_eq!(Unit::usd().power_of("GPU"), 0);
    }

    #[test]
    fn arithmetic() {
        let usd_per_kwh = u(&[("USD", 1), ("kWh", -1)]);
        let kwh = Unit::named("kWh");
        assert_eq!(usd_per_kwh.mul(&kwh), Some(Unit::usd()));
        assert_eq!(Unit::usd().div(&Unit::usd()), Some(Unit::dimensionless()));
        assert_eq!(
            Unit::dimensionless().div(&kwh).map(|x| x.to_string()),
            Some("1/kWh".into())
        );
        assert_eq!(Unit::named("m").powi(2), Some(u(&[("m", 2)])));
        assert_eq!(Unit::named("m").powi(-2), Some(u(&[("m", -2)])));
        assert_eq!(Unit::named("m").powi(0), Some(Unit::dimensionless()));
        assert_eq!(Unit::named("m").powi(i64::from(i32::MAX) + 1), None);
        assert_eq!(
            u(&[("m", i32::MIN)]).div(&Unit::dimensionless()),
            Some(u(&[("m", i32::MIN)]))
        );
        assert_eq!(Unit::dimensionless().div(&u(&[("m", i32::MIN)])), None);
        assert_eq!(
            u(&[("m", 1 << 20)]).mul(&u(&[("m", 1 << 20)])),
            Some(u(&[("m", 1 << 21)]))
        );
    }
}
