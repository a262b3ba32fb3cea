//! Unit names and what they mean: the built-in units of time, energy,
//! power and data, and the names a model declares (docs/language.md#units).

use std::sync::{Arc, LazyLock};

use super::dimension::{Dimension, BIT, JOULE, SECOND};
use super::ratio::Ratio;

/// What a convertible unit name means: so many of its dimension's base
/// units (a kWh is 3,600,000 J).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meaning {
    /// What it measures.
    pub dimension: Dimension,
    /// One of it, in base units.
    pub ratio: Ratio,
}

/// A unit name as values hold it: the name, and what it means when it is
/// built in or declared by a factor.
///
/// Shared behind an `Arc`: a built-in name is made once and every value in
/// kWh points at it. A name without a meaning (`GPU`, `USD`, `unit pod`)
/// is a unit of its own that converts to nothing.
#[derive(Clone, Debug)]
pub struct Named {
    name: Box<str>,
    meaning: Option<Meaning>,
}

impl Named {
    /// A name that is a unit of its own.
    pub fn own(name: &str) -> Arc<Named> {
        Arc::new(Named {
            name: name.into(),
            meaning: None,
        })
    }

    /// A name with a meaning (a built-in or declared unit).
    pub fn meaning(name: &str, meaning: Meaning) -> Arc<Named> {
        Arc::new(Named {
            name: name.into(),
            meaning: Some(meaning),
        })
    }

    /// The name as written.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What it means, when it converts.
    pub fn meant(&self) -> Option<&Meaning> {
        self.meaning.as_ref()
    }

    /// What one of it measures: its meaning's dimension, or the name itself.
    pub fn dimension(&self) -> Dimension {
        match &self.meaning {
            Some(m) => m.dimension.clone(),
            None => Dimension::base(&self.name),
        }
    }

    /// One of it in base units (1 for a unit of its own).
    pub fn ratio(&self) -> Ratio {
        self.meaning.as_ref().map_or(Ratio::ONE, |m| m.ratio)
    }
}

/// The name of the currency, which `$` writes.
pub const USD: &str = "USD";

/// A built-in unit: its name, its dimension's base units and powers, and
/// its factor as a mantissa and a power of ten.
type BuiltIn = (&'static str, &'static [(&'static str, i32)], u128, i32);

/// The built-in units: name, dimension and factor as `mantissa × 10^exp`
/// base units (docs/language.md#units).
const BUILT_IN: [BuiltIn; 27] = [
    ("s", TIME, 1, 0),
    ("min", TIME, 6, 1),
    ("h", TIME, 36, 2),
    ("day", TIME, 864, 2),
    ("week", TIME, 6048, 2),
    // a year of 365 days
    ("yr", TIME, 31536, 3),
    ("J", ENERGY, 1, 0),
    ("kJ", ENERGY, 1, 3),
    ("MJ", ENERGY, 1, 6),
    ("GJ", ENERGY, 1, 9),
    ("Wh", ENERGY, 36, 2),
    ("kWh", ENERGY, 36, 5),
    ("MWh", ENERGY, 36, 8),
    ("GWh", ENERGY, 36, 11),
    ("TWh", ENERGY, 36, 14),
    ("W", POWER, 1, 0),
    ("kW", POWER, 1, 3),
    ("MW", POWER, 1, 6),
    ("GW", POWER, 1, 9),
    ("bit", DATA, 1, 0),
    ("byte", DATA, 8, 0),
    ("kB", DATA, 8, 3),
    ("MB", DATA, 8, 6),
    ("GB", DATA, 8, 9),
    ("TB", DATA, 8, 12),
    ("PB", DATA, 8, 15),
    // the currency: a unit of its own, but known
    (USD, &[], 0, 0),
];

const TIME: &[(&str, i32)] = &[(SECOND, 1)];
const ENERGY: &[(&str, i32)] = &[(JOULE, 1)];
const POWER: &[(&str, i32)] = &[(JOULE, 1), (SECOND, -1)];
const DATA: &[(&str, i32)] = &[(BIT, 1)];

/// The built-in names, made once, sorted by name for lookup.
fn table() -> &'static [Arc<Named>] {
    static TABLE: LazyLock<Vec<Arc<Named>>> = LazyLock::new(|| {
        let mut all: Vec<Arc<Named>> = BUILT_IN
            .iter()
            .map(|&(name, parts, mantissa, exp)| {
                if parts.is_empty() {
                    return Named::own(name);
                }
                let meaning = Meaning {
                    // The table's parts are distinct bases to the power ±1:
                    // none can leave i32, so `of` always answers.
                    dimension: Dimension::of(parts.iter().copied()).unwrap_or_default(),
                    ratio: Ratio::scientific(mantissa, exp),
                };
                Named::meaning(name, meaning)
            })
            .collect();
        all.sort_by(|a, b| a.name().cmp(b.name()));
        all
    });
    &TABLE
}

/// The built-in unit of this name (case matters: `MW` is not `mW`).
pub fn built_in(name: &str) -> Option<&'static Arc<Named>> {
    let all = table();
    all.binary_search_by(|n| n.name().cmp(name))
        .ok()
        .and_then(|at| all.get(at))
}

/// Every built-in unit name, for completion and did-you-mean (as names
/// of any lifetime, to go with a model's own).
pub fn built_in_names<'a>() -> impl Iterator<Item = &'a str> {
    BUILT_IN.iter().map(|(name, ..)| -> &'a str { name })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_units_are_found_by_exact_name() {
        for name in built_in_names() {
            assert_eq!(built_in(name).map(|n| n.name()), Some(name));
        }
        assert!(built_in("kwh").is_none());
        assert!(built_in("GPU").is_none());
        assert!(built_in(USD).is_some_and(|n| n.meant().is_none()));
        let kwh = built_in("kWh").unwrap();
        assert_eq!(kwh.ratio(), Ratio::of(3_600_000.into()).unwrap());
        assert_eq!(kwh.dimension().words(), "energy");
        assert_eq!(built_in("kW").unwrap().dimension().words(), "power");
        assert_eq!(
            built_in("yr").unwrap().ratio(),
            Ratio::of(31_536_000.into()).unwrap()
        );
        assert_eq!(built_in("PB").unwrap().dimension().words(), "data");
        assert_eq!(Named::own("GPU").dimension().words(), "GPU");
    }
}
