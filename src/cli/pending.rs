//! Commands whose issues are in progress: their arguments are fixed by the
//! SPEC already; each moves to its own module when it is built.

use std::io::Write;

use clap::Args;

use super::common::{usage_error, Exit};
use super::What;

/// `premise solve FILE --target CELL=VALUE --vary INPUT`
#[derive(Args, Debug)]
pub struct SolveArgs {
    /// The model file.
    pub file: String,
    /// The cell and the value it must reach: gap=0
    #[arg(long, value_name = "CELL=VALUE")]
    pub target: String,
    /// The input to change.
    #[arg(long, value_name = "INPUT")]
    pub vary: String,
    /// Search only between these values: LO..HI
    #[arg(long, value_name = "LO..HI")]
    pub between: Option<String>,
    #[command(flatten)]
    pub what: What,
}

/// `premise sweep FILE --vary INPUT=FROM..TO[:STEP] --show CELL,...`
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The model file.
    pub file: String,
    /// The input and its range (twice for a two-way table).
    #[arg(long, value_name = "INPUT=FROM..TO[:STEP]")]
    pub vary: Vec<String>,
    /// The cells to tabulate.
    #[arg(long, value_name = "CELL,...", value_delimiter = ',')]
    pub show: Vec<String>,
    /// Output format: table, csv or json.
    #[arg(long, default_value = "table")]
    pub format: String,
    /// Also draw the table as an SVG chart.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<String>,
    #[command(flatten)]
    pub what: What,
}

/// `premise sensitivity FILE CELL`
#[derive(Args, Debug)]
pub struct SensitivityArgs {
    /// The model file.
    pub file: String,
    /// The output cell.
    pub cell: String,
    /// How far each input moves, as a fraction of its own value.
    #[arg(long, default_value = "10%")]
    pub by: String,
    /// Also draw the tornado chart as SVG.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<String>,
    #[command(flatten)]
    pub what: What,
}

fn not_yet(command: &str) -> Exit {
    usage_error(format!(
        "'premise {command}' is not available in this build yet"
    ))
}

/// `premise solve`
pub fn solve(_out: &mut dyn Write, _args: &SolveArgs) -> Exit {
    not_yet("solve")
}

/// `premise sweep`
pub fn sweep(_out: &mut dyn Write, _args: &SweepArgs) -> Exit {
    not_yet("sweep")
}

/// `premise sensitivity`
pub fn sensitivity(_out: &mut dyn Write, _args: &SensitivityArgs) -> Exit {
    not_yet("sensitivity")
}
