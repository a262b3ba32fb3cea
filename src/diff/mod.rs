//! Semantic diff of two model versions (SPEC §9).

mod same;

pub use same::same_formula;
