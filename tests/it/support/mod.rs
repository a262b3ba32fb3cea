//! Generators of random models and the pipeline the randomised tests drive.
pub mod generate;
pub mod pipeline;
