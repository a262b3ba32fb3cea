//! Charts as SVG files: the lines of a sweep, the tornado of a sensitivity.
//!
//! Drawn with plotters' SVG backend alone, without its font features: text
//! goes into the file as `<text>` elements in the generic `sans-serif`
//! family, laid out with plotters' built-in size estimate, so no font file
//! is read when a chart is made (the viewer supplies the font). Axis labels
//! are formatted as the model shows values (`$125B`, `40%`).

use std::path::Path;

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

use crate::display::format_tick;
use crate::eval::{CellResult, Computed, Workbook};
use crate::file::{write_atomic, FileError};
use crate::syntax::CellId;
use crate::table::width;
use crate::value::{Unit, Value};

use super::sensitivity::Tornado;
use super::sweep::Table;
use super::WhatIfError;

/// Line colours (the Tableau 10 palette), readable on white.
const COLOURS: [(u8, u8, u8); 10] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
];

const FONT: &str = "sans-serif";

fn colour(i: usize) -> RGBColor {
    let (r, g, b) = COLOURS.get(i % COLOURS.len()).copied().unwrap_or((0, 0, 0));
    RGBColor(r, g, b)
}

/// The scale of an axis: the unit and display of the values on it.
#[derive(Clone, Debug, PartialEq)]
struct Scale {
    unit: Unit,
    percent: bool,
}

impl Scale {
    /// A tick label as the model shows values, with more decimals than the
    /// usual two when ticks `step` apart would otherwise read the same
    /// (`$52.555M`, not `$52.55M` twice).
    fn tick(&self, x: f64, step: f64) -> String {
        let Some(d) = Decimal::from_f64(x) else {
            return String::new();
        };
        let shown = format_tick(d, &self.unit, self.percent);
        // The number inside the label, and the power of ten its suffix stands for.
        let Some(start) = shown.find(|c: char| c.is_ascii_digit()) else {
            return shown;
        };
        let rest = &shown[start..];
        let len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let after = &rest[len..];
        let power = match after.chars().next() {
            Some('K') => 3,
            Some('M') => 6,
            Some('B') => 9,
            Some('T') => 12,
            _ => 0,
        };
        let shift = if self.percent && self.unit.is_dimensionless() {
            2
        } else {
            -power
        };
        let scaled_step = step.abs() * 10f64.powi(shift);
        if scaled_step.is_nan()
            || scaled_step <= 0.0
            || scaled_step >= 0.01
            || self.unit.is_dimensionless() && !self.percent
        {
            return shown;
        }
        let places = (-scaled_step.log10()).ceil().clamp(0.0, 12.0) as usize;
        let number = format!("{:.places$}", x.abs() * 10f64.powi(shift));
        format!("{}{number}{after}", &shown[..start])
    }

    /// Labels `n` ticks over `range`.
    fn labels(&self, range: &std::ops::Range<f64>, n: usize) -> impl Fn(&f64) -> String + '_ {
        let step = (range.end - range.start) / n.max(1) as f64;
        move |x: &f64| self.tick(*x, step)
    }
}

/// A line of the chart.
struct Line {
    label: String,
    /// Runs of points without a failure between them.
    runs: Vec<Vec<(f64, f64)>>,
}

impl Line {
    /// A line through `pts`, broken where a point is missing (a failure).
    fn through(label: String, pts: impl IntoIterator<Item = Option<(f64, f64)>>) -> Line {
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for p in pts {
            match (p, runs.last_mut()) {
                (Some(p), Some(run)) => run.push(p),
                (None, Some(run)) if !run.is_empty() => runs.push(Vec::new()),
                _ => {}
            }
        }
        runs.retain(|r| !r.is_empty());
        Line { label, runs }
    }
}

/// A result's number and unit, for a point (`None` for a failure or a boolean).
fn number(r: &CellResult) -> Option<(f64, Unit)> {
    match r {
        Ok(Value::Number { amount, unit }) => Some((f(*amount), unit.clone())),
        _ => None,
    }
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The range covering `values`, with a margin, never empty.
fn span(values: impl Iterator<Item = f64>, pad: f64) -> std::ops::Range<f64> {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() || !hi.is_finite() {
        return 0.0..1.0;
    }
    if lo == hi {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        return (lo - d)..(hi + d);
    }
    let m = (hi - lo) * pad;
    (lo - m)..(hi + m)
}

/// Refuses a plot path that is not `.svg`, so a slip cannot overwrite a model.
fn check_path(path: &str) -> Result<(), WhatIfError> {
    let ok = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"));
    if ok {
        Ok(())
    } else {
        Err(WhatIfError::question(format!(
            "the plot file must end in .svg, got '{path}'"
        )))
    }
}

/// Writes the chart to `path` as the model files are written: through a
/// temporary file, flushed to disk, then renamed (see [`write_atomic`]).
fn save(path: &str, text: &str) -> Result<(), WhatIfError> {
    write_atomic(Path::new(path), text.as_bytes())
        .map_err(|e| WhatIfError::File(FileError::write(path, e)))
}

fn drawing(e: impl std::fmt::Display) -> WhatIfError {
    WhatIfError::Chart(e.to_string())
}

/// Draws a sweep's lines to `path` (SVG); returns notes about lines left out.
pub fn sweep_svg(table: &Table, path: &str) -> Result<Vec<String>, WhatIfError> {
    check_path(path)?;
    let mut notes = Vec::new();
    let Some(x_axis) = table.axes.first() else {
        return Ok(notes);
    };
    let x_scale = Scale {
        unit: x_axis.input.unit.clone(),
        percent: x_axis.input.percent,
    };
    // Each line with its scale: the shown cells (one-way), or one line per
    // value of the second input (two-way).
    let mut lines: Vec<(Scale, Line)> = Vec::new();
    let mut push = |scale: Scale, label: String, pts: Vec<Option<(f64, f64)>>| {
        lines.push((scale, Line::through(label, pts)));
    };
    match table.axes.as_slice() {
        [_] => {
            for (i, c) in table.shown.iter().enumerate() {
                let unit = table
                    .points
                    .iter()
                    .find_map(|p| p.cells.get(i).and_then(number).map(|(_, u)| u));
                let Some(unit) = unit else {
                    notes.push(format!("'{}' has no numbers to plot", c.name));
                    continue;
                };
                let pts = table
                    .points
                    .iter()
                    .map(|p| {
                        let x = f(*p.inputs.first()?);
                        let (y, u) = p.cells.get(i).and_then(number)?;
                        (u == unit).then_some((x, y))
                    })
                    .collect();
                push(
                    Scale {
                        unit,
                        percent: c.percent,
                    },
                    c.name.clone(),
                    pts,
                );
            }
        }
        [_, second] => {
            let Some(c) = table.shown.first() else {
                return Ok(notes);
            };
            let unit = table
                .points
                .iter()
                .find_map(|p| p.cells.first().and_then(number).map(|(_, u)| u))
                .unwrap_or_default();
            let n = second.values.len();
            for (j, &y) in second.values.iter().enumerate() {
                let pts = table
                    .points
                    .iter()
                    .skip(j)
                    .step_by(n.max(1))
                    .map(|p| {
                        let x = f(*p.inputs.first()?);
                        let (v, u) = p.cells.first().and_then(number)?;
                        (u == unit).then_some((x, v))
                    })
                    .collect();
                push(
                    Scale {
                        unit: unit.clone(),
                        percent: c.percent,
                    },
                    format!("{} = {}", second.input.name, second.input.show(y)),
                    pts,
                );
            }
        }
        _ => {}
    }
    let x_range = span(x_axis.values.iter().map(|&d| f(d)), 0.0);
    let title = match table.axes.as_slice() {
        [_, b] => format!(
            "{} as {} and {} vary",
            table.shown.first().map_or("", |c| c.name.as_str()),
            x_axis.input.name,
            b.input.name
        ),
        _ => {
            let names: Vec<&str> = table.shown.iter().map(|c| c.name.as_str()).collect();
            format!("{} as {} varies", names.join(", "), x_axis.input.name)
        }
    };
    // A two-way table's lines are values of the second input, all of one cell.
    let y_desc = match table.axes.as_slice() {
        [_, _] => table.shown.first().map(|c| c.name.clone()),
        _ => None,
    };
    let svg = draw(
        Frame {
            title,
            x_name: x_axis.input.name.clone(),
            x_scale,
            x_range,
            y_desc,
        },
        lines,
        &mut notes,
    )?;
    save(path, &svg)?;
    Ok(notes)
}

/// `premise plot`: each of `cells` over its axis, one line a cell (a cell
/// of one value as a level line across it), as SVG text; with notes about
/// cells left out.
pub fn series_svg(book: &Workbook, cells: &[CellId]) -> Result<(String, Vec<String>), WhatIfError> {
    let model = book.model();
    let mut notes = Vec::new();
    let mut axis = None;
    for &id in cells {
        if let Some(Computed::Series(s)) = book.computed(id) {
            match axis {
                None => axis = Some(s.axis),
                Some(a) if a != s.axis => {
                    let axis = |x| {
                        model
                            .axis(x)
                            .map(|a: &crate::model::Axis| &a.name)
                            .ok_or_else(super::probe::foreign_axis)
                    };
                    return Err(WhatIfError::question(format!(
                        "'{}' runs over {}, not {}: plot the cells of each axis apart",
                        model.name(id)?,
                        axis(s.axis)?,
                        axis(a)?
                    )));
                }
                _ => {}
            }
        }
    }
    let Some(axis) = axis.and_then(|a| model.axis(a)) else {
        return Err(WhatIfError::NothingToPlot(
            "nothing to plot over an axis: none of these cells is a series".to_string(),
        ));
    };
    let (first, last) = (axis.first as f64, axis.last as f64);
    let mut lines: Vec<(Scale, Line)> = Vec::new();
    for &id in cells {
        let name = model.name(id)?.to_string();
        let percent = model.definition(id).is_some_and(|d| d.percent);
        let points: Vec<(f64, Option<(f64, Unit)>)> = match book.computed(id) {
            Some(Computed::Series(s)) => s
                .periods()
                .map(|(label, r)| (label as f64, number(r)))
                .collect(),
            Some(Computed::One(r)) => vec![(first, number(r)), (last, number(r))],
            None => Vec::new(),
        };
        let Some(unit) = points
            .iter()
            .find_map(|(_, p)| p.as_ref().map(|(_, u)| u.clone()))
        else {
            notes.push(format!("'{name}' has no numbers to plot"));
            continue;
        };
        let pts: Vec<Option<(f64, f64)>> = points
            .into_iter()
            .map(|(x, p)| p.filter(|(_, u)| *u == unit).map(|(y, _)| (x, y)))
            .collect();
        lines.push((Scale { unit, percent }, Line::through(name, pts)));
    }
    let names: Vec<&str> = lines.iter().map(|(_, l)| l.label.as_str()).collect();
    let title = format!("{} over {}", names.join(", "), axis.name);
    let svg = draw(
        Frame {
            title,
            x_name: axis.name.to_string(),
            x_scale: Scale {
                unit: Unit::dimensionless(),
                percent: false,
            },
            x_range: span([first, last].into_iter(), 0.0),
            y_desc: None,
        },
        lines,
        &mut notes,
    )?;
    Ok((svg, notes))
}

/// Writes a chart made elsewhere (`premise plot -o FILE.svg`) as every chart is written.
pub fn write_svg(path: &str, svg: &str) -> Result<(), WhatIfError> {
    check_path(path)?;
    save(path, svg)
}

/// What a chart shows along its x axis, and its title.
struct Frame {
    title: String,
    x_name: String,
    x_scale: Scale,
    x_range: std::ops::Range<f64>,
    /// The y axis' description when it is not the lines' names.
    y_desc: Option<String>,
}

/// Draws `lines` in `frame` as SVG text. Lines on the left axis share the
/// first line's scale; a second scale gets the right axis; any further
/// scale is left out, with a note.
fn draw(
    frame: Frame,
    lines: Vec<(Scale, Line)>,
    notes: &mut Vec<String>,
) -> Result<String, WhatIfError> {
    let Frame {
        title,
        x_name,
        x_scale,
        x_range,
        y_desc,
    } = frame;
    // Lines on the left axis share the first line's scale; a second scale
    // gets the right axis; any further scale is left out.
    let Some(left_scale) = lines.first().map(|(s, _)| s.clone()) else {
        return Err(WhatIfError::NothingToPlot(
            "nothing to plot: no shown cell has a number at any point".to_string(),
        ));
    };
    let right_scale = lines
        .iter()
        .map(|(s, _)| s)
        .find(|s| **s != left_scale)
        .cloned();
    let mut left = Vec::new();
    let mut right = Vec::new();
    for (s, l) in lines {
        if s == left_scale {
            left.push(l);
        } else if Some(&s) == right_scale.as_ref() {
            right.push(l);
        } else {
            notes.push(format!(
                "'{}' is left out of the plot: a chart has two value axes, and it fits neither",
                l.label
            ));
        }
    }
    let ys = |ls: &[Line]| -> Vec<f64> {
        ls.iter()
            .flat_map(|l| l.runs.iter().flatten().map(|p| p.1))
            .collect()
    };
    let x_axis_range = x_range.clone();
    let y_left = span(ys(&left).into_iter(), 0.05);
    let y_right = span(ys(&right).into_iter(), 0.05);

    let describe = |ls: &[Line], scale: &Scale| -> String {
        if let Some(d) = &y_desc {
            d.clone()
        } else {
            let names: Vec<&str> = ls.iter().map(|l| l.label.as_str()).collect();
            let unit = if scale.percent {
                " (%)".to_string()
            } else if scale.unit.is_dimensionless() {
                String::new()
            } else {
                format!(" ({})", scale.unit)
            };
            format!("{}{unit}", names.join(", "))
        }
    };
    let y_label_width = |r: &std::ops::Range<f64>, s: &Scale| -> u32 {
        let longest = [r.start, r.end, (r.start + r.end) / 2.0]
            .iter()
            .map(|&v| width(&s.tick(v, (r.end - r.start) / 8.0)))
            .max()
            .unwrap_or(4);
        u32::try_from(longest)
            .unwrap_or(8)
            .saturating_mul(8)
            .saturating_add(30)
    };

    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        let mut builder = ChartBuilder::on(&root);
        builder
            .caption(&title, (FONT, 22))
            .margin(16)
            .x_label_area_size(50)
            .y_label_area_size(y_label_width(&y_left, &left_scale));
        if let Some(rs) = &right_scale {
            builder.right_y_label_area_size(y_label_width(&y_right, rs));
        }
        let mut chart = builder
            .build_cartesian_2d(x_range.clone(), y_left.clone())
            .map_err(drawing)?
            .set_secondary_coord(x_range, y_right.clone());
        let x_label = x_scale.labels(&x_axis_range, 8);
        let y_label = left_scale.labels(&y_left, 8);
        chart
            .configure_mesh()
            .x_labels(8)
            .y_labels(8)
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .x_desc(x_name.as_str())
            .y_desc(describe(&left, &left_scale))
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(235, 235, 235))
            .bold_line_style(RGBColor(210, 210, 210))
            .draw()
            .map_err(drawing)?;
        if let Some(rs) = right_scale.clone() {
            let desc = describe(&right, &rs);
            chart
                .configure_secondary_axes()
                .y_labels(8)
                .y_label_formatter(&rs.labels(&y_right, 8))
                .y_desc(desc)
                .label_style((FONT, 14))
                .axis_desc_style((FONT, 15))
                .draw()
                .map_err(drawing)?;
        }
        let mut k = 0usize;
        for l in &left {
            let c = colour(k);
            k += 1;
            for (i, run) in l.runs.iter().enumerate() {
                let series = chart
                    .draw_series(LineSeries::new(run.iter().copied(), c.stroke_width(2)))
                    .map_err(drawing)?;
                if i == 0 {
                    series.label(l.label.as_str()).legend(move |(x, y)| {
                        PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2))
                    });
                }
            }
        }
        for l in &right {
            let c = colour(k);
            k += 1;
            for (i, run) in l.runs.iter().enumerate() {
                let series = chart
                    .draw_secondary_series(LineSeries::new(run.iter().copied(), c.stroke_width(2)))
                    .map_err(drawing)?;
                if i == 0 {
                    series
                        .label(format!("{} (right axis)", l.label))
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2))
                        });
                }
            }
        }
        let legend = legend_corner(
            &left,
            &right,
            (&x_axis_range, &y_left, &y_right),
            legend_size(&left, &right),
        );
        chart
            .configure_series_labels()
            .position(legend)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(160, 160, 160))
            .label_font((FONT, 14))
            .draw()
            .map_err(drawing)?;
        root.present().map_err(drawing)?;
    }
    Ok(svg)
}

/// The legend's share of the plot area (width, height), from its labels.
fn legend_size(left: &[Line], right: &[Line]) -> (f64, f64) {
    let labels = left.iter().map(|l| width(&l.label)).chain(
        right
            .iter()
            .map(|l| width(&l.label) + " (right axis)".len()),
    );
    let chars = labels.max().unwrap_or(10) as f64;
    let n = (left.len() + right.len()) as f64;
    // About 7 px a character plus the sample line, 20 px a row, on a ~700×450 plot.
    (((chars * 7.0) + 60.0) / 700.0, (n * 20.0 + 20.0) / 450.0)
}

/// The place for the legend that hides the fewest points of the lines:
/// each line is sampled along its segments and counted in the box the
/// legend would cover at each of six places; the upper right wins ties.
fn legend_corner(
    left: &[Line],
    right: &[Line],
    ranges: (
        &std::ops::Range<f64>,
        &std::ops::Range<f64>,
        &std::ops::Range<f64>,
    ),
    size: (f64, f64),
) -> SeriesLabelPosition {
    let (xr, yl, yr) = ranges;
    let norm = |v: f64, r: &std::ops::Range<f64>| {
        let w = r.end - r.start;
        if w == 0.0 {
            0.5
        } else {
            (v - r.start) / w
        }
    };
    let mut samples: Vec<(f64, f64)> = Vec::new();
    for (lines, yrange) in [(left, yl), (right, yr)] {
        for l in lines {
            for run in &l.runs {
                for (a, b) in run.iter().zip(run.iter().skip(1)) {
                    for k in 0..=20 {
                        let t = f64::from(k) / 20.0;
                        let x = a.0 + (b.0 - a.0) * t;
                        let y = a.1 + (b.1 - a.1) * t;
                        samples.push((norm(x, xr), norm(y, yrange)));
                    }
                }
                if let [only] = run.as_slice() {
                    samples.push((norm(only.0, xr), norm(only.1, yrange)));
                }
            }
        }
    }
    let (w, h) = (size.0.min(1.0), size.1.min(1.0));
    let places = [
        (SeriesLabelPosition::UpperRight, 1.0 - w, 1.0 - h),
        (SeriesLabelPosition::UpperLeft, 0.0, 1.0 - h),
        (SeriesLabelPosition::LowerRight, 1.0 - w, 0.0),
        (SeriesLabelPosition::LowerLeft, 0.0, 0.0),
        (SeriesLabelPosition::UpperMiddle, 0.5 - w / 2.0, 1.0 - h),
        (SeriesLabelPosition::LowerMiddle, 0.5 - w / 2.0, 0.0),
    ];
    let hidden = |x0: f64, y0: f64| {
        samples
            .iter()
            .filter(|(x, y)| {
                *x >= x0 - 0.02 && *x <= x0 + w + 0.02 && *y >= y0 - 0.02 && *y <= y0 + h + 0.02
            })
            .count()
    };
    let mut best = SeriesLabelPosition::UpperRight;
    let mut fewest = usize::MAX;
    for (place, x0, y0) in places {
        let n = hidden(x0, y0);
        if n < fewest {
            fewest = n;
            best = place;
        }
    }
    best
}

/// Draws the tornado chart to `path` (SVG): one bar per input, largest swing
/// on top, from the cell at −by to the cell at +by around its base value.
pub fn tornado_svg(t: &Tornado, path: &str) -> Result<(), WhatIfError> {
    check_path(path)?;
    let bars: Vec<(&str, f64, f64)> = t
        .swings
        .iter()
        .filter_map(|s| {
            let (a, b) = s.amounts(&t.unit)?;
            Some((s.input.name.as_str(), f(a), f(b)))
        })
        .collect();
    if bars.is_empty() {
        return Err(WhatIfError::NothingToPlot(
            "nothing to plot: no input moved the cell to a number".to_string(),
        ));
    }
    let n = i32::try_from(bars.len()).unwrap_or(i32::MAX);
    let base = f(t.base);
    let x_range = span(
        bars.iter().flat_map(|&(_, a, b)| [a, b]).chain([base]),
        0.08,
    );
    let scale = Scale {
        unit: t.unit.clone(),
        percent: t.percent,
    };
    let name_width = bars
        .iter()
        .map(|(name, _, _)| width(name))
        .max()
        .unwrap_or(8);
    let label_area = u32::try_from(name_width)
        .unwrap_or(20)
        .saturating_mul(8)
        .saturating_add(20);
    let row = 38u32;
    let height = 150u32.saturating_add(row.saturating_mul(u32::try_from(bars.len()).unwrap_or(20)));
    let (low_move, high_move) = t.moves();
    let title = format!(
        "What moves {} ({}): each input {low_move} and {high_move}",
        t.cell,
        t.show(t.base)
    );
    let names: Vec<String> = bars.iter().map(|(n, _, _)| (*n).to_string()).collect();
    let down = colour(3);
    let up = colour(0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, height)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&title, (FONT, 20))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(label_area)
            .build_cartesian_2d(x_range.clone(), (0..n - 1).into_segmented())
            .map_err(drawing)?;
        let x_label = scale.labels(&x_range, 8);
        let label_of = |v: &SegmentValue<i32>| match v {
            SegmentValue::CenterOf(i) => usize::try_from(n - 1 - *i)
                .ok()
                .and_then(|r| names.get(r))
                .cloned()
                .unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(8)
            .y_labels(bars.len())
            .x_label_formatter(&x_label)
            .y_label_formatter(&label_of)
            .x_desc(t.cell.as_str())
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 15))
            .light_line_style(RGBColor(240, 240, 240))
            .bold_line_style(RGBColor(215, 215, 215))
            .draw()
            .map_err(drawing)?;
        let rect = |i: i32, x0: f64, x1: f64, c: RGBColor| {
            let mut r = Rectangle::new(
                [
                    (x0, SegmentValue::Exact(i)),
                    (x1, SegmentValue::Exact(i + 1)),
                ],
                c.filled(),
            );
            r.set_margin(7, 7, 0, 0);
            r
        };
        let low: Vec<_> = bars
            .iter()
            .enumerate()
            .map(|(r, &(_, a, _))| rect(n - 1 - r as i32, base, a, down))
            .collect();
        let high: Vec<_> = bars
            .iter()
            .enumerate()
            .map(|(r, &(_, _, b))| rect(n - 1 - r as i32, base, b, up))
            .collect();
        chart
            .draw_series(low)
            .map_err(drawing)?
            .label(format!("input {low_move}"))
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], down.filled()));
        chart
            .draw_series(high)
            .map_err(drawing)?
            .label(format!("input {high_move}"))
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], up.filled()));
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![
                    (base, SegmentValue::Exact(0)),
                    (base, SegmentValue::Exact(n)),
                ],
                BLACK.stroke_width(1),
            )))
            .map_err(drawing)?
            .label(format!("{} = {}", t.cell, t.show(t.base)))
            .legend(|(x, y)| PathElement::new(vec![(x + 7, y - 7), (x + 7, y + 7)], BLACK));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(160, 160, 160))
            .label_font((FONT, 14))
            .draw()
            .map_err(drawing)?;
        root.present().map_err(drawing)?;
    }
    save(path, &svg)
}

/// One cell's samples, for [`histogram_svg`].
pub struct Histogram<'a> {
    /// The cell.
    pub name: &'a str,
    /// Its numeric samples.
    pub samples: &'a [Decimal],
    /// Their unit.
    pub unit: &'a Unit,
    /// Shown as a percentage.
    pub percent: bool,
    /// Its percentiles, marked on the chart.
    pub spread: &'a crate::eval::Spread,
}

/// Bars of a histogram.
const BINS: usize = 40;

/// Draws a histogram of each cell's samples to `path` (SVG), one chart
/// under the other, with the 5th, 50th and 95th percentiles marked. The
/// bars cover the middle 99% of the samples (the rest fall in the end
/// bars), so that a long tail does not squeeze the body into one bar.
pub fn histogram_svg(cells: &[Histogram<'_>], path: &str) -> Result<(), WhatIfError> {
    check_path(path)?;
    let cells: Vec<&Histogram> = cells.iter().filter(|c| !c.samples.is_empty()).collect();
    if cells.is_empty() {
        return Err(WhatIfError::NothingToPlot(
            "nothing to plot: no cell has numeric samples".to_string(),
        ));
    }
    let panel = 300u32;
    let height = panel.saturating_mul(u32::try_from(cells.len()).unwrap_or(100));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, height)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        let areas = root.split_evenly((cells.len(), 1));
        for (cell, area) in cells.iter().zip(areas.iter()) {
            draw_histogram(cell, area)?;
        }
        root.present().map_err(drawing)?;
    }
    save(path, &svg)
}

fn draw_histogram<DB: DrawingBackend>(
    cell: &Histogram<'_>,
    area: &DrawingArea<DB, plotters::coord::Shift>,
) -> Result<(), WhatIfError>
where
    DB::ErrorType: 'static,
{
    let Some(bins) = crate::uncertainty::summary::bins(cell.samples, BINS) else {
        return Ok(());
    };
    let counts = &bins.counts;
    let (lo, hi) = (bins.low, bins.low + bins.width * BINS as f64);
    let width = bins.width;
    let total = cell.samples.len();
    let top = counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.12;
    let scale = Scale {
        unit: cell.unit.clone(),
        percent: cell.percent,
    };
    let x_range = lo..hi;
    let marks: Vec<(&str, f64)> = match cell.spread {
        crate::eval::Spread::Number { summary, .. } => vec![
            ("p5", f(summary.p5)),
            ("p50", f(summary.p50)),
            ("p95", f(summary.p95)),
        ],
        _ => Vec::new(),
    };
    let marked: Vec<String> = marks
        .iter()
        .map(|(label, x)| format!("{label} {}", scale.tick(*x, 0.0)))
        .collect();
    let title = format!("{}: {}", cell.name, marked.join("  "));
    let mut chart = ChartBuilder::on(area)
        .caption(&title, (FONT, 18))
        .margin(14)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d(x_range.clone(), 0.0..top)
        .map_err(drawing)?;
    let x_label = scale.labels(&x_range, 8);
    let share = |y: &f64| format!("{:.1}%", 100.0 * y / total.max(1) as f64);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(8)
        .y_labels(5)
        .x_label_formatter(&x_label)
        .y_label_formatter(&share)
        .y_desc("share of samples")
        .label_style((FONT, 13))
        .axis_desc_style((FONT, 14))
        .light_line_style(RGBColor(240, 240, 240))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(drawing)?;
    let bar = colour(0);
    chart
        .draw_series(counts.iter().enumerate().map(|(i, &c)| {
            let x0 = lo + width * i as f64;
            let mut r = Rectangle::new([(x0, 0.0), (x0 + width, c as f64)], bar.mix(0.75).filled());
            r.set_margin(0, 0, 1, 1);
            r
        }))
        .map_err(drawing)?;
    for ((label, x), colour_index) in marks.iter().zip([3usize, 1, 3]) {
        let c = colour(colour_index);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(*x, 0.0), (*x, top)],
                c.stroke_width(2),
            )))
            .map_err(drawing)?;
        chart
            .draw_series(std::iter::once(Text::new(
                (*label).to_string(),
                (*x, top * 0.97),
                (FONT, 13).into_font().color(&c),
            )))
            .map_err(drawing)?;
    }
    Ok(())
}
