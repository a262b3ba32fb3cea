//! `premise solve`, `sweep` and `sensitivity`: the flags read into the
//! typed questions of [`crate::whatif`] (which the REPL's `:solve`, `:sweep`
//! and `:sens` ask too), and the answers written to the terminal.

use std::io::Write;

use clap::Args;

use super::common::{
    internal_error, load_model, output_written, prepare_owned, scenarios, sound, usage_error, Exit,
};
use super::{Format, What};
use crate::eval::Workbook;
use crate::whatif::{
    self, parse_between, solution_lines, table_lines, tornado_lines, write_csv, write_json, Amount,
    Fault, Goal, Vary, WhatIfError,
};

/// `premise solve FILE --target CELL=VALUE --vary INPUT`
#[derive(Args, Debug)]
pub struct SolveArgs {
    /// The model file.
    pub file: String,
    /// The cell and the value it must reach: gap=0, 'gap=$10B' (a value without a unit takes the cell's unit; quote a `$`, which the shell rewrites)
    #[arg(long, value_name = "CELL=VALUE", allow_hyphen_values = true)]
    pub target: String,
    /// The input to change (a formula cell is replaced by a number).
    #[arg(long, value_name = "INPUT")]
    pub vary: String,
    /// Search only between these values: LO..HI, e.g. 30%..90% or '$10B..$60B'
    #[arg(long, value_name = "LO..HI", allow_hyphen_values = true)]
    pub between: Option<String>,
    /// Show every digit as a bare decimal.
    #[arg(long)]
    pub exact: bool,
    #[command(flatten)]
    pub what: What,
}

/// `premise sweep FILE --vary INPUT=FROM..TO[:STEP] --show CELL,...`
#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The model file.
    pub file: String,
    /// The input and its range, e.g. margin=30%..70%:10% or 'gpu_spend=$40B..$60B:$5B' (twice for a two-way table; default step: 10 intervals).
    #[arg(long, value_name = "INPUT=FROM..TO[:STEP]", required = true)]
    pub vary: Vec<String>,
    /// The cells to tabulate.
    #[arg(long, value_name = "CELL,...", value_delimiter = ',', required = true)]
    pub show: Vec<String>,
    /// Output format (csv and json carry exact values and the display).
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Show every digit as a bare decimal in the table.
    #[arg(long)]
    pub exact: bool,
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

/// The workbook a what-if question is asked of: one scenario, `--set` applied.
fn workbook(file: &str, what: &What) -> Result<Workbook, Exit> {
    let model = load_model(file)?;
    let names = scenarios(&model, what)?;
    let [scenario] = names.as_slice() else {
        return Err(usage_error(
            "this command takes one scenario; run it once per scenario",
        ));
    };
    let model = prepare_owned(model, scenario, &what.set)?;
    sound(Workbook::new(model))
}

/// Prints the error and picks the exit code: 2 for a malformed question, 1
/// when the model cannot answer, 3 when premise itself failed.
fn failed(e: &WhatIfError) -> Exit {
    if let WhatIfError::Internal(e) = e {
        return internal_error(e);
    }
    eprintln!("error: {e}");
    match e.fault() {
        Fault::Usage => Exit::Usage,
        Fault::Unanswerable => Exit::Failed,
        Fault::Internal => Exit::Internal,
    }
}

fn notes(notes: &[String]) {
    for n in notes {
        eprintln!("note: {n}");
    }
}

/// Writes the answer's lines.
fn write_lines(out: &mut dyn Write, lines: &[String]) -> Result<(), Exit> {
    output_written(lines.iter().try_for_each(|l| writeln!(out, "{l}")))
}

/// Every failed value of the answer on stderr; exit 1 if any.
fn errors(errors: &[String]) -> Exit {
    for e in errors {
        eprintln!("error: {e}");
    }
    if errors.is_empty() {
        Exit::Ok
    } else {
        Exit::Failed
    }
}

/// `premise solve`
pub fn solve(out: &mut dyn Write, args: &SolveArgs) -> Exit {
    let book = match workbook(&args.file, &args.what) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let solution = Goal::parse(&args.target).and_then(|goal| {
        let between = args.between.as_deref().map(parse_between).transpose()?;
        whatif::solve(&book, &goal, &args.vary, between)
    });
    let s = match solution {
        Ok(s) => s,
        Err(e) => return failed(&e),
    };
    if let Err(code) = write_lines(out, &solution_lines(&s, args.exact)) {
        return code;
    }
    notes(&s.notes);
    Exit::Ok
}

/// `premise sweep`
pub fn sweep(out: &mut dyn Write, args: &SweepArgs) -> Exit {
    let book = match workbook(&args.file, &args.what) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let table = args
        .vary
        .iter()
        .map(|v| Vary::parse(v))
        .collect::<Result<Vec<Vary>, WhatIfError>>()
        .and_then(|varies| whatif::sweep(&book, &varies, &args.show));
    let table = match table {
        Ok(t) => t,
        Err(e) => return failed(&e),
    };
    let written = match args.format {
        Format::Table => write_lines(out, &table_lines(&table, args.exact)),
        Format::Csv => output_written(write_csv(out, &table)),
        Format::Json => output_written(write_json(out, &table)),
    };
    if let Err(code) = written {
        return code;
    }
    notes(&table.notes);
    if let Some(path) = &args.plot {
        match whatif::plot::sweep_svg(&table, path) {
            Ok(n) => notes(&n),
            Err(e) => return failed(&e),
        }
    }
    errors(&table.errors())
}

/// `premise sensitivity`
pub fn sensitivity(out: &mut dyn Write, args: &SensitivityArgs) -> Exit {
    let book = match workbook(&args.file, &args.what) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let by = Amount::Formula(args.by.clone());
    let tornado = match whatif::sensitivity(&book, &args.cell, &by) {
        Ok(t) => t,
        Err(e) => return failed(&e),
    };
    if let Err(code) = write_lines(out, &tornado_lines(&tornado)) {
        return code;
    }
    notes(&tornado.notes);
    if let Some(path) = &args.plot {
        if let Err(e) = whatif::plot::tornado_svg(&tornado, path) {
            return failed(&e);
        }
    }
    errors(&tornado.errors())
}

/// `premise plot FILE CELL...`
#[derive(Args, Debug)]
pub struct PlotArgs {
    /// The model file.
    pub file: String,
    /// The cells to draw: series, one line each over their axis (a cell of
    /// one value is drawn as a level line).
    #[arg(required = true)]
    pub cells: Vec<String>,
    /// Write the SVG to this file instead of the standard output.
    #[arg(long, short, value_name = "FILE.svg")]
    pub output: Option<String>,
    #[command(flatten)]
    pub what: What,
}

/// `premise plot`: series over their axis as an SVG chart.
pub fn plot(out: &mut dyn Write, args: &PlotArgs) -> Exit {
    let book = match workbook(&args.file, &args.what) {
        Ok(b) => b,
        Err(code) => return code,
    };
    let mut ids = Vec::new();
    for name in &args.cells {
        match book.model().defined(name.trim()) {
            Some(id) => ids.push(id),
            None => return usage_error(book.model().unknown_cell(name.trim())),
        }
    }
    let (svg, left_out) = match whatif::plot::series_svg(&book, &ids) {
        Ok(drawn) => drawn,
        Err(e) => return failed(&e),
    };
    notes(&left_out);
    match &args.output {
        Some(path) => match whatif::plot::write_svg(path, &svg) {
            Ok(()) => {
                eprintln!("note: wrote {path}");
                Exit::Ok
            }
            Err(e) => failed(&e),
        },
        None => match output_written(out.write_all(svg.as_bytes())) {
            Ok(()) => Exit::Ok,
            Err(code) => code,
        },
    }
}
