//! What a unit measures: time, energy, power, data, or a unit of its own.

/// The base unit of time, and the name its dimension is known by.
pub const SECOND: &str = "s";
/// The base unit of energy.
pub const JOULE: &str = "J";
/// The base unit of data.
pub const BIT: &str = "bit";

/// A dimension as a product of base units with integer powers: energy is
/// `J`, power `J/s`, a `[GPU]` is `GPU`, a price `USD/J`.
///
/// It exists so that two units can be told convertible (same dimension)
/// or not, and so that messages can say what a unit measures. Invariant:
/// sorted by name, each name once, no zero power; so derived equality is
/// equality of dimensions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Dimension {
    parts: Vec<(Box<str>, i32)>,
}

/// Named dimensions, for the words of messages and `:show`.
const NAMED: [(&str, &[(&str, i32)]); 4] = [
    ("time", &[(SECOND, 1)]),
    ("energy", &[(JOULE, 1)]),
    ("power", &[(JOULE, 1), (SECOND, -1)]),
    ("data", &[(BIT, 1)]),
];

impl Dimension {
    /// The dimension of a plain number.
    pub fn plain() -> Dimension {
        Dimension::default()
    }

    /// The dimension of a unit of its own: that name to the first power.
    pub fn base(name: &str) -> Dimension {
        Dimension {
            parts: vec![(name.into(), 1)],
        }
    }

    /// A dimension from base units and powers in any order; `None` if a
    /// power leaves `i32`.
    pub fn of<'a>(parts: impl IntoIterator<Item = (&'a str, i32)>) -> Option<Dimension> {
        let mut d = Dimension::plain();
        for (name, power) in parts {
            d.add(name, i64::from(power))?;
        }
        Some(d)
    }

    /// Whether this is the dimension of plain numbers.
    pub fn is_plain(&self) -> bool {
        self.parts.is_empty()
    }

    /// The base units and their powers, sorted by name.
    pub fn parts(&self) -> impl Iterator<Item = (&str, i32)> + '_ {
        self.parts.iter().map(|(n, p)| (&**n, *p))
    }

    /// Multiplies in `name^power`; `None` if a power leaves `i32`.
    fn add(&mut self, name: &str, power: i64) -> Option<()> {
        match self.parts.binary_search_by(|(n, _)| (**n).cmp(name)) {
            Ok(at) => {
                let slot = self.parts.get_mut(at)?;
                let sum = i32::try_from(i64::from(slot.1).checked_add(power)?).ok()?;
                if sum == 0 {
                    self.parts.remove(at);
                } else {
                    slot.1 = sum;
                }
            }
            Err(at) => {
                if power != 0 {
                    self.parts
                        .insert(at, (name.into(), i32::try_from(power).ok()?));
                }
            }
        }
        Some(())
    }

    /// Multiplies in `other^power`; `None` if a power leaves `i32`.
    pub fn add_times(&mut self, other: &Dimension, power: i32) -> Option<()> {
        for (name, p) in &other.parts {
            self.add(name, i64::from(*p).checked_mul(i64::from(power))?)?;
        }
        Some(())
    }

    /// What the dimension measures, in words: `energy`, `power`,
    /// `USD/energy`, `power/rack`, `GPU*time`; `""` for plain numbers.
    pub fn words(&self) -> String {
        if let Some((name, _)) = NAMED
            .iter()
            .find(|(_, parts)| parts.iter().copied().eq(self.parts()))
        {
            return (*name).to_string();
        }
        let power_of = |base: &str| {
            self.parts()
                .find(|(n, _)| *n == base)
                .map_or(0, |(_, p)| i64::from(p))
        };
        let (joules, seconds) = (power_of(JOULE), power_of(SECOND));
        // J^a s^b reads as power where the signs allow (J/s), else energy and time.
        let watts = if joules.signum() == -seconds.signum() {
            joules.signum() * joules.abs().min(seconds.abs())
        } else {
            0
        };
        let mut words: Vec<(String, i64)> = vec![
            ("power".to_string(), watts),
            ("energy".to_string(), joules - watts),
            ("time".to_string(), seconds + watts),
            ("data".to_string(), power_of(BIT)),
        ];
        words.extend(
            self.parts()
                .filter(|(n, _)| ![JOULE, SECOND, BIT].contains(n))
                .map(|(n, p)| (n.to_string(), i64::from(p))),
        );
        words.retain(|(_, p)| *p != 0);
        words.sort();
        let side = |positive: bool| {
            words
                .iter()
                .filter(|(_, p)| (*p > 0) == positive)
                .map(|(n, p)| match p.unsigned_abs() {
                    1 => n.clone(),
                    k => format!("{n}^{k}"),
                })
                .collect::<Vec<_>>()
                .join("*")
        };
        let (up, down) = (side(true), side(false));
        match (up.is_empty(), down.is_empty()) {
            (_, true) => up,
            (true, false) => format!("1/{down}"),
            (false, false) => format!("{up}/{down}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dim(parts: &[(&str, i32)]) -> Dimension {
        Dimension::of(parts.iter().copied()).unwrap()
    }

    #[test]
    fn parts_merge_and_cancel() {
        assert_eq!(dim(&[("J", 1), ("J", -1)]), Dimension::plain());
        assert!(dim(&[("s", 2), ("s", -2)]).is_plain());
        assert_eq!(dim(&[("s", -1), ("J", 1)]), dim(&[("J", 1), ("s", -1)]));
        assert_eq!(Dimension::of([("J", i32::MAX), ("J", 1)]), None);
        let mut d = dim(&[("J", 1)]);
        d.add_times(&dim(&[("J", 1), ("s", -1)]), -1).unwrap();
        assert_eq!(d, dim(&[("s", 1)]));
    }

    #[test]
    fn words() {
        let cases: &[(&[(&str, i32)], &str)] = &[
            (&[], ""),
            (&[("s", 1)], "time"),
            (&[("J", 1)], "energy"),
            (&[("J", 1), ("s", -1)], "power"),
            (&[("bit", 1)], "data"),
            (&[("USD", 1), ("J", -1)], "USD/energy"),
            (&[("J", 1), ("s", -1), ("rack", -1)], "power/rack"),
            (&[("GPU", 1), ("s", 1)], "GPU*time"),
            (&[("J", 1), ("s", -2)], "power/time"),
            (&[("J", 1), ("s", 1)], "energy*time"),
            (&[("J", 2), ("s", -2)], "power^2"),
            (&[("bit", 1), ("s", -1)], "data/time"),
            (&[("GPU", -1)], "1/GPU"),
            (&[("USD", 1)], "USD"),
        ];
        for (parts, want) in cases {
            assert_eq!(dim(parts).words(), *want, "{parts:?}");
        }
    }
}
