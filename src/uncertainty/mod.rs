//! Uncertain quantities (docs/language.md#uncertainty): the distributions a
//! formula may hold (`40 to 60`, `normal(a to b)`, `uniform(a, b)`,
//! `triangular(low, mode, high)`), their exact point values, the random
//! draws of a simulation, and the statistics of its samples.
//!
//! Nothing here evaluates formulas: the evaluator asks a distribution for
//! its median (point mode) or for the value at a drawn probability
//! (simulation), and the simulation hands its samples to [`summary`].

pub mod distribution;
pub mod normal;
pub mod report;
pub mod sampler;
pub mod stream;
pub mod summary;

#[cfg(test)]
mod tests;

pub use distribution::{Distribution, Family, Position};
pub use sampler::Sampler;
pub use stream::Stream;
pub use summary::Summary;

/// How many samples a simulation draws when nobody says (`simulate`,
/// `prob`, `expected`, `percentile`, the REPL's `:sim`).
pub const DEFAULT_SAMPLES: u32 = 10_000;

/// The most samples one simulation may draw: ten million decimal samples of
/// one cell are 160 MB.
pub const MAX_SAMPLES: u32 = 10_000_000;

/// How many samples a simulation draws and from which seed: the same file,
/// seed and count give the same samples, on any machine and thread count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// How many samples (1 to [`MAX_SAMPLES`]).
    pub samples: u32,
    /// The seed every input's stream is derived from.
    pub seed: u64,
}

impl Settings {
    /// "10000 samples", "1 sample": how reports name the count.
    pub fn counted(&self) -> String {
        match self.samples {
            1 => "1 sample".to_string(),
            n => format!("{n} samples"),
        }
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            samples: DEFAULT_SAMPLES,
            seed: 0,
        }
    }
}
