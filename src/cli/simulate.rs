//! `premise simulate FILE [CELL...]`: the spread of each cell over a seeded
//! Monte Carlo simulation (docs/language.md#uncertainty).

use std::io::Write;

use rust_decimal::Decimal;
use serde::Serialize;

use super::common::{
    discard, internal_error, load_model, output_written, prepare_owned, usage_error, Exit,
};
use super::{Format, What};
use crate::diagnostic::LineIndex;
use crate::display::format_number;
use crate::eval::{Computed, Outcome, Spread, Workbook};
use crate::model::{Address, Model};
use crate::table::{Align, Table};
use crate::uncertainty::Settings;
use crate::value::{Unit, Value};

/// The options of `premise simulate`.
#[derive(clap::Args, Debug)]
#[command(mut_arg("scenario", |a| a
    .help("Simulate under this scenario (one; `base` is the model itself)")
    .value_name("NAME")))]
pub struct SimulateArgs {
    /// The model file.
    pub file: String,
    /// Only these cells, or periods as `capex[2026]` (default: all, in file
    /// order; a series cell gives a row per period).
    pub cells: Vec<String>,
    /// How many samples to draw (1 to 10,000,000).
    #[arg(long, default_value = "10000", value_parser = parse_samples, allow_negative_numbers = true)]
    pub samples: u32,
    /// The seed: the same file, seed and sample count give the same output.
    #[arg(long, default_value = "0", value_parser = parse_seed, allow_negative_numbers = true)]
    pub seed: u64,
    /// Evaluate under this scenario; replace formulas with --set.
    #[command(flatten)]
    pub what: What,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Also draw a histogram of each cell into this SVG file.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<String>,
}

/// `--samples`: a whole number from 1 to 10,000,000.
fn parse_samples(text: &str) -> Result<u32, String> {
    crate::uncertainty::report::parse_samples(text)
}

/// `--seed`: a whole number from 0 to 2^64 − 1.
fn parse_seed(text: &str) -> Result<u64, String> {
    text.trim().replace('_', "").parse::<u64>().map_err(|_| {
        format!(
            "a seed is a whole number from 0 to {}, not '{text}'",
            u64::MAX
        )
    })
}

/// One cell's (or one period's) results, ready to show.
struct Row {
    at: Address,
    /// The cell's name.
    name: String,
    /// The name as shown: `capex[2026]` for one period.
    label: String,
    percent: bool,
    outcome: Outcome,
    spread: Spread,
}

/// `premise simulate`
pub fn simulate(out: &mut dyn Write, args: &SimulateArgs) -> Exit {
    let model = match load_model(&args.file) {
        Ok(m) => m,
        Err(code) => return code,
    };
    if args.what.scenario.len() > 1 {
        return usage_error("simulate takes one scenario");
    }
    let scenario = args.what.scenario.first().map_or("base", String::as_str);
    let model = match prepare_owned(model, scenario, &args.what.set) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let named = match addresses_named(&model, &args.cells) {
        Ok(named) => named,
        Err(code) => return code,
    };
    let settings = Settings {
        samples: args.samples,
        seed: args.seed,
    };
    let book = Workbook::with_settings(model, settings);
    let targets = match expand(&book, &named) {
        Ok(targets) => targets,
        Err(code) => return code,
    };
    let outcomes = book.simulate(&targets, settings);
    let model = book.model();
    let spreads = crate::eval::simulate::spreads(&outcomes);
    let mut rows: Vec<Row> = Vec::with_capacity(targets.len());
    for ((&at, outcome), spread) in targets.iter().zip(outcomes).zip(spreads) {
        let (name, label) = match (model.name(at.cell), model.address_text(at)) {
            (Ok(name), Ok(label)) => (name.to_string(), label),
            (Err(e), _) | (_, Err(e)) => return internal_error(&e),
        };
        rows.push(Row {
            at,
            name,
            label,
            percent: model.definition(at.cell).is_some_and(|d| d.percent),
            spread,
            outcome,
        });
    }
    let written = match args.format {
        Format::Table => table(out, &rows, settings),
        Format::Json => json(out, model, &rows, settings),
        Format::Csv => csv(out, model, &rows),
    };
    if let Err(code) = output_written(written) {
        return code;
    }
    #[cfg(feature = "charts")]
    if let Some(path) = &args.plot {
        let cells: Vec<crate::whatif::plot::Histogram> = rows
            .iter()
            .filter(|r| matches!(r.spread, Spread::Number { .. }))
            .map(|r| crate::whatif::plot::Histogram {
                name: &r.label,
                samples: &r.outcome.numbers,
                unit: &r.outcome.unit,
                percent: r.percent,
                spread: &r.spread,
            })
            .collect();
        if let Err(e) = crate::whatif::plot::histogram_svg(&cells, path) {
            return usage_error(e);
        }
    }
    let exit = report_failures(model, &rows);
    discard(book);
    exit
}

/// One line on stderr per cell that failed in some samples; exit 1 if any.
fn report_failures(model: &Model, rows: &[Row]) -> Exit {
    let mut failed = false;
    let mut indexes: std::collections::HashMap<crate::source::FileId, LineIndex> =
        Default::default();
    for r in rows {
        let (Some(why), Some(first)) = (r.outcome.failure(), r.outcome.first_error.as_ref()) else {
            continue;
        };
        failed = true;
        // Where the first failure happened: its place in the formula, or
        // the cell's definition for a failure of the simulation's own.
        let def = model.definition(r.at.cell).filter(|d| d.line > 0);
        let span = first
            .span
            .filter(|s| *s != crate::syntax::Span::default())
            .or_else(|| def.map(|d| d.span));
        let place = match (def, span) {
            (Some(d), Some(span)) => {
                let text = model.file_text(d.file);
                let index = indexes
                    .entry(d.file)
                    .or_insert_with(|| LineIndex::new(text));
                let (line, col) = index.locate(text, span.start());
                format!("{}:{line}:{col}: ", model.file_path(d.file))
            }
            (Some(d), None) => format!("{}:{}: ", model.file_path(d.file), d.line),
            _ => format!("{}: ", model.path),
        };
        eprintln!("error: {place}cell '{}': {why}", r.label);
    }
    if failed {
        Exit::Failed
    } else {
        Exit::Ok
    }
}

/// The cells and periods named on the command line (`capex`, `capex[2026]`),
/// or every defined cell in file order when none.
fn addresses_named(model: &Model, names: &[String]) -> Result<Vec<Address>, Exit> {
    if names.is_empty() {
        return Ok(model
            .defined_cells()
            .map(|(id, _, _)| Address::cell(id))
            .collect());
    }
    names
        .iter()
        .map(|n| model.address(n).map_err(usage_error))
        .collect()
}

/// What to simulate: a series cell named whole becomes each of its periods;
/// a period that is not on the cell's axis is a usage error.
fn expand(book: &Workbook, named: &[Address]) -> Result<Vec<Address>, Exit> {
    let mut targets = Vec::with_capacity(named.len());
    for &at in named {
        if let Some(problem) = book.address_problem(at) {
            return Err(usage_error(problem));
        }
        match (book.computed(at.cell), at.period) {
            (Some(Computed::Series(s)), None) => {
                targets.extend(s.periods().map(|(label, _)| Address {
                    cell: at.cell,
                    period: Some(label),
                }))
            }
            _ => targets.push(at),
        }
    }
    Ok(targets)
}

/// An amount as the cell shows it.
fn shown(amount: Decimal, unit: &Unit, percent: bool) -> String {
    format_number(amount, unit, percent)
}

fn table(out: &mut dyn Write, rows: &[Row], settings: Settings) -> std::io::Result<()> {
    writeln!(out, "{}, seed {}", settings.counted(), settings.seed)?;
    let mut t = Table::new(&[
        Align::Left,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Right,
        Align::Left,
    ]);
    t.row(
        ["cell", "p5", "p50", "p95", "mean", ""]
            .map(String::from)
            .to_vec(),
    );
    for r in rows {
        let mut row = vec![r.label.clone()];
        let mut note = String::new();
        match &r.spread {
            Spread::Number { summary, unit } => {
                for x in [summary.p5, summary.p50, summary.p95, summary.mean] {
                    row.push(shown(x, unit, r.percent));
                }
            }
            Spread::Share(share) => {
                row.extend(std::iter::repeat_n(String::new(), 4));
                note = crate::uncertainty::report::share_words(*share);
            }
            Spread::Failed => row.extend(std::iter::repeat_n("error".to_string(), 4)),
        }
        if let Some(why) = r.outcome.failure() {
            if !note.is_empty() {
                note.push_str("; ");
            }
            note.push_str("← ");
            note.push_str(&why);
        }
        row.push(note);
        t.row(row);
    }
    t.write(out)
}

#[derive(Serialize)]
struct JsonRun<'a> {
    file: &'a str,
    samples: u32,
    seed: u64,
    cells: Vec<JsonCell>,
}

/// One cell in JSON: its spread, or a series' spread period by period.
#[derive(Serialize)]
struct JsonCell {
    name: String,
    #[serde(flatten)]
    body: JsonBody,
}

#[derive(Serialize)]
#[serde(untagged)]
enum JsonBody {
    One(JsonOne),
    Series { periods: Vec<JsonPeriod> },
}

/// One period of a series cell.
#[derive(Serialize)]
struct JsonPeriod {
    period: i64,
    #[serde(flatten)]
    one: JsonOne,
}

/// A spread, and the first error of the samples that failed.
#[derive(Serialize)]
struct JsonOne {
    #[serde(flatten)]
    spread: JsonSpread,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum JsonSpread {
    Number {
        unit: String,
        p5: String,
        p50: String,
        p95: String,
        mean: String,
    },
    Share {
        unit: String,
        share: String,
    },
    Failed {},
}

/// A decimal as JSON and CSV give it: every digit, no exponent.
fn exact(x: Decimal) -> String {
    crate::display::format_exact(&Value::number(x))
}

fn json_one(r: &Row) -> JsonOne {
    let spread = match &r.spread {
        Spread::Number { summary, unit } => JsonSpread::Number {
            unit: unit.to_string(),
            p5: exact(summary.p5),
            p50: exact(summary.p50),
            p95: exact(summary.p95),
            mean: exact(summary.mean),
        },
        Spread::Share(s) => JsonSpread::Share {
            unit: String::new(),
            share: exact(*s),
        },
        Spread::Failed => JsonSpread::Failed {},
    };
    JsonOne {
        spread,
        error: r.outcome.failure(),
    }
}

/// The rows as JSON cells: consecutive periods of one cell make one cell
/// with `"periods"`.
fn json_cells(rows: &[Row]) -> Vec<JsonCell> {
    let mut cells: Vec<JsonCell> = Vec::new();
    let mut last: Option<crate::syntax::CellId> = None;
    for r in rows {
        let Some(period) = r.at.period else {
            cells.push(JsonCell {
                name: r.name.clone(),
                body: JsonBody::One(json_one(r)),
            });
            last = None;
            continue;
        };
        let one = JsonPeriod {
            period,
            one: json_one(r),
        };
        match cells.last_mut() {
            Some(JsonCell {
                body: JsonBody::Series { periods },
                ..
            }) if last == Some(r.at.cell) => periods.push(one),
            _ => cells.push(JsonCell {
                name: r.name.clone(),
                body: JsonBody::Series { periods: vec![one] },
            }),
        }
        last = Some(r.at.cell);
    }
    cells
}

fn json(
    out: &mut dyn Write,
    model: &Model,
    rows: &[Row],
    settings: Settings,
) -> std::io::Result<()> {
    let run = JsonRun {
        file: &model.path,
        samples: settings.samples,
        seed: settings.seed,
        cells: json_cells(rows),
    };
    let text = serde_json::to_string_pretty(&run).map_err(std::io::Error::other)?;
    writeln!(out, "{text}")
}

/// CSV: one record per cell, or per period of a series cell (a model with
/// an axis has a `period` column, empty for cells of one value).
fn csv(out: &mut dyn Write, model: &Model, rows: &[Row]) -> std::io::Result<()> {
    let periods = model.has_axes();
    let mut w = csv::Writer::from_writer(out);
    let mut header = vec!["name"];
    if periods {
        header.push("period");
    }
    header.extend(["unit", "p5", "p50", "p95", "mean", "share", "error"]);
    w.write_record(&header)?;
    for r in rows {
        let one = json_one(r);
        let error = one.error.unwrap_or_default();
        let fields: [String; 7] = match one.spread {
            JsonSpread::Number {
                unit,
                p5,
                p50,
                p95,
                mean,
            } => [unit, p5, p50, p95, mean, String::new(), error],
            JsonSpread::Share { unit, share } => [
                unit,
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                share,
                error,
            ],
            JsonSpread::Failed {} => [
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                error,
            ],
        };
        w.write_field(&r.name)?;
        if periods {
            w.write_field(r.at.period.map(|p| p.to_string()).unwrap_or_default())?;
        }
        w.write_record(fields)?;
    }
    w.flush()
}
