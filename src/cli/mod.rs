//! The `premise` command line (docs/language.md#command-line). Each command is a small function
//! over the library; the REPL calls the same functions for its `:` commands.

mod check;
mod column;
mod common;
mod diff;
mod eval;
mod fmt;
mod graph;
mod periods;
mod repl;
mod simulate;
mod watch;
mod whatif;

use std::ffi::OsString;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use common::{load_model, prepare, Exit};

/// premise: exact, reviewable models of named cells.
#[derive(Parser, Debug)]
#[command(name = "premise", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Options that pick which version of the model to compute.
#[derive(Args, Debug, Clone, Default)]
pub struct What {
    /// Evaluate under these scenarios (comma-separated; `base` is the model itself).
    #[arg(long, value_name = "NAME[,NAME...]", value_delimiter = ',')]
    pub scenario: Vec<String>,
    /// Replace a cell's formula for this run (repeatable): --set margin=40%, --set 'gpu_spend=$60B' (quote a `$`, which the shell rewrites)
    #[arg(long = "set", value_name = "NAME=EXPR")]
    pub set: Vec<String>,
}

/// Output formats of `eval`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns for reading.
    #[default]
    Table,
    // docs/language.md#json-and-csv
    /// Data for scripts.
    Json,
    /// Rows for spreadsheets.
    Csv,
}

/// Output formats of `graph`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum GraphFormat {
    /// Graphviz.
    #[default]
    Dot,
    /// Nodes and edges as data.
    Json,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Evaluate a model and print its cells: name, value, formula.
    Eval {
        /// The model file.
        file: String,
        /// Only these cells (default: all, in file order).
        cells: Vec<String>,
        #[command(flatten)]
        what: What,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Show every digit as a bare decimal.
        #[arg(long)]
        exact: bool,
        /// Show every period of a series (a long axis shows its first and last periods).
        #[arg(long)]
        all_periods: bool,
    },
    /// Print one cell's value and nothing else.
    Get {
        /// The model file.
        file: String,
        /// The cell.
        cell: String,
        #[command(flatten)]
        what: What,
        /// Show every digit as a bare decimal.
        #[arg(long)]
        exact: bool,
    },
    /// Parse, order and evaluate; print every diagnostic and unused input.
    Check {
        /// The model file.
        file: String,
    },
    /// Show how a cell's value is derived from the inputs.
    Explain {
        /// The model file.
        file: String,
        /// The cell.
        cell: String,
        #[command(flatten)]
        what: What,
    },
    /// Print the dependency graph.
    Graph {
        /// The model file.
        file: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t)]
        format: GraphFormat,
    },
    /// Serve the Language Server Protocol on stdin and stdout, for editors (docs/editors.md).
    Lsp,
    /// Re-evaluate a model on every save and print what moved.
    Watch {
        /// The model file.
        file: String,
        /// Only report these cells (default: every cell that moves).
        cells: Vec<String>,
    },
    /// Query and change a model interactively.
    Repl {
        /// The model file (optional: start empty).
        file: Option<String>,
    },
    /// Rewrite model files in the canonical layout.
    Fmt {
        /// The model files.
        #[arg(required = true)]
        files: Vec<String>,
        /// Do not write; exit 1 and name the files that would change.
        #[arg(long)]
        check: bool,
    },
    /// Compare two versions of a model: assumptions, formulas and every result that moved.
    Diff(diff::DiffArgs),
    /// The diff, as a git external diff driver.
    #[command(name = "git-diff")]
    GitDiff {
        /// The arguments git passes.
        #[arg(num_args = 0.., allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Print each cell as `name = formula  ⇒ value` (git's textconv, for git log -p and git blame).
    Show {
        /// The model file.
        file: String,
    },
    /// Set up git for models.
    Git {
        #[command(subcommand)]
        action: diff::GitAction,
    },
    /// Find the input value that makes a cell hit a target (goal seek).
    Solve(whatif::SolveArgs),
    /// Tabulate cells while an input varies.
    Sweep(whatif::SweepArgs),
    /// Rank the inputs by how much they swing a cell.
    Sensitivity(whatif::SensitivityArgs),
    /// Draw series over their axis as an SVG chart.
    Plot(whatif::PlotArgs),
    /// Draw samples of the uncertain inputs and show each cell's spread.
    Simulate(simulate::SimulateArgs),
    /// Write a benchmark workload (W1 chain, W2 fan-in, W3 groups) of N cells.
    #[command(hide = true)]
    Gen {
        /// Which workload.
        #[arg(value_enum, ignore_case = true)]
        workload: crate::workload::Workload,
        /// How many cells.
        n: usize,
    },
}

/// Runs the command line and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Usage as i32
            } else {
                Exit::Ok as i32
            };
            let _ = e.print();
            return code;
        }
    };
    let out = &mut std::io::stdout().lock();
    let exit = match cli.command {
        Command::Eval {
            file,
            cells,
            what,
            format,
            exact,
            all_periods,
        } => eval::eval(out, &file, &cells, &what, format, exact, all_periods),
        Command::Get {
            file,
            cell,
            what,
            exact,
        } => eval::get(out, &file, &cell, &what, exact),
        Command::Check { file } => check::check(out, &file),
        Command::Explain { file, cell, what } => eval::explain(out, &file, &cell, &what),
        Command::Graph { file, format } => graph::graph(out, &file, format),
        Command::Repl { file } => repl::repl(file.as_deref()),
        Command::Lsp => return crate::lsp::serve_stdio(),
        Command::Watch { file, cells } => watch::watch(out, &file, &cells),
        Command::Fmt { files, check } => fmt::fmt(out, &files, check),
        Command::Diff(args) => diff::diff(out, &args),
        Command::GitDiff { args } => diff::git_diff(out, &args),
        Command::Show { file } => diff::show(out, &file),
        Command::Git { action } => diff::git(out, action),
        Command::Solve(args) => whatif::solve(out, &args),
        Command::Sweep(args) => whatif::sweep(out, &args),
        Command::Sensitivity(args) => whatif::sensitivity(out, &args),
        Command::Plot(args) => whatif::plot(out, &args),
        Command::Simulate(args) => simulate::simulate(out, &args),
        Command::Gen { workload, n } => {
            match common::output_written(crate::workload::write_workload(out, workload, n)) {
                Ok(()) => Exit::Ok,
                Err(code) => code,
            }
        }
    };
    exit as i32
}

/// Turns transparent huge pages off for this process, before any work.
///
/// They cost more than they save here: a million-cell model
/// touches a few hundred MB once, and when the kernel must compact memory to
/// find 2 MB pages, the faults took 1.7 s of system time against 0.4 s with
/// plain pages (W1, 1M cells, measured on the 2-core project machine).
#[cfg(target_os = "linux")]
pub fn no_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes no pointers and only sets a flag of
    // this process; on a kernel without it the call fails and nothing changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Elsewhere there is no per-process switch; the system's setting stands.
#[cfg(not(target_os = "linux"))]
pub fn no_huge_pages() {}
