//! Sensitivity: which input moves a cell most (`premise sensitivity`, the
//! REPL's `:sens`). Each input the cell depends on is moved down and up by
//! a fraction of its own value (50% by 10% becomes 45% and 55%), the others
//! held; the cell's two values and their distance (the swing) rank the inputs.
//! When the cell depends on uncertain inputs (docs/language.md#uncertainty),
//! those are moved instead, each to its 5th and 95th percentile with the
//! others at their medians.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::display::format_number;
use crate::eval::{CellResult, Workbook};
use crate::model::Address;
use crate::uncertainty::Position;
use crate::value::{math, Unit, Value};

use super::probe::{percent, Probe, Varied};
use super::quantity::Amount;
use super::{aligned, WhatIfError};

/// Inputs moved at most: each costs two recomputations of what depends on
/// it, and a tornado of more bars than this is not read anyway.
pub const MAX_INPUTS: usize = 5_000;

/// Width of each half of the text tornado, in characters.
const BAR: usize = 20;

/// How one input moves the cell.
#[derive(Clone, Debug)]
pub struct Swing {
    /// The input.
    pub input: Varied,
    /// The input moved down: value × (1 − by).
    pub low_input: Decimal,
    /// The input moved up: value × (1 + by).
    pub high_input: Decimal,
    /// The cell with the input at `low_input`.
    pub at_low: CellResult,
    /// The cell with the input at `high_input`.
    pub at_high: CellResult,
    /// |at_high − at_low|, when both computed.
    pub swing: Option<Decimal>,
}

impl Swing {
    /// The cell's two values as amounts, when both computed in the cell's unit.
    pub fn amounts(&self, unit: &Unit) -> Option<(Decimal, Decimal)> {
        match (&self.at_low, &self.at_high) {
            (
                Ok(Value::Number {
                    amount: a,
                    unit: ua,
                }),
                Ok(Value::Number {
                    amount: b,
                    unit: ub,
                }),
            ) if ua == unit && ub == unit => Some((*a, *b)),
            _ => None,
        }
    }
}

/// The inputs of a cell ranked by swing, largest first.
#[derive(Clone, Debug)]
pub struct Tornado {
    /// The cell (`gap`, `gap[2030]`).
    pub cell: String,
    /// The cell, or one period of a series.
    pub at: Address,
    /// Its unit.
    pub unit: Unit,
    /// Shown as a percentage.
    pub percent: bool,
    /// Its value with every input as it is.
    pub base: Decimal,
    /// The fraction each input moves by (0.1 for 10%).
    pub by: Decimal,
    /// The inputs moved are the uncertain ones, to their 5th and 95th
    /// percentiles (`by` is not used).
    pub percentiles: bool,
    /// The inputs, largest swing first; those whose cell failed come last.
    pub swings: Vec<Swing>,
    /// Inputs left out, and why (0, true or false, no value).
    pub notes: Vec<String>,
}

impl Tornado {
    /// Each failure of the cell at a moved input, in words.
    pub fn errors(&self) -> Vec<String> {
        let mut out = Vec::new();
        for s in &self.swings {
            for (at, r) in [(s.low_input, &s.at_low), (s.high_input, &s.at_high)] {
                if let Err(e) = r {
                    out.push(format!(
                        "with {} = {}, {}: {}",
                        s.input.name,
                        s.input.show(at),
                        self.cell,
                        e.message
                    ));
                }
            }
        }
        out
    }

    /// An amount of the cell, shown as the model shows it.
    pub fn show(&self, amount: Decimal) -> String {
        format_number(amount, &self.unit, self.percent)
    }

    /// `by` as a percentage: `10%`.
    pub fn by_text(&self) -> String {
        format_number(self.by, &Unit::dimensionless(), true)
    }

    /// Where each input moves down and up: `-10%` and `+10%`, or `p5` and `p95`.
    pub fn moves(&self) -> (String, String) {
        if self.percentiles {
            ("p5".to_string(), "p95".to_string())
        } else {
            let by = self.by_text();
            (format!("-{by}"), format!("+{by}"))
        }
    }

    /// How the inputs were moved, in words.
    pub fn how(&self) -> String {
        if self.percentiles {
            "each uncertain input at its 5th and 95th percentile, the others at their medians"
                .to_string()
        } else {
            let by = self.by_text();
            format!("each input moved by -{by} and +{by} of its value, the others held")
        }
    }
}

/// The inputs `at` depends on, in file order: cells that read no other
/// cell, each pin of a series that reads none (a period's assumption), and
/// a series' rule that reads none (an assumption for every period it
/// computes, `growth[year] = 5% to 15%`), as the series' address.
fn inputs_of(book: &Workbook, at: Address) -> Vec<Address> {
    let model = book.model();
    let ancestors = book.graph().ancestors(at.cell);
    let mut out = Vec::new();
    for &id in model.cells_in_order() {
        if !ancestors.contains(&id) {
            continue;
        }
        match model.series(id) {
            None if model.is_input(id) => out.push(Address::cell(id)),
            None => {}
            Some(s) => {
                out.extend(
                    s.pins
                        .iter()
                        .filter(|p| {
                            p.def.is_input() && Some(p.label) != at.period.filter(|_| id == at.cell)
                        })
                        .map(|p| Address {
                            cell: id,
                            period: Some(p.label),
                        }),
                );
                let rule = model.slot(id, crate::model::Slot::Rule);
                if id != at.cell && rule.is_some_and(crate::model::Definition::is_input) {
                    out.push(Address::cell(id));
                }
            }
        }
    }
    out
}

/// Ranks the inputs `cell` depends on by how much they swing it, each moved
/// by ±`by` of its own value (a fraction: `10%` is 0.1), the others held
/// (`premise sensitivity`, the REPL's `:sens`). The workbook is not changed.
pub fn sensitivity(book: &Workbook, cell: &str, by: &Amount) -> Result<Tornado, WhatIfError> {
    let mut probe = Probe::new(book);
    let id = probe.output(cell)?;
    let name = book.model().address_text(id)?;
    let (base, unit) = match probe.value(id) {
        Ok(Value::Number { amount, unit }) => (amount, unit),
        Ok(Value::Bool(_)) => {
            return Err(WhatIfError::question(format!(
                "'{name}' is true or false; sensitivity needs a number"
            )))
        }
        Err(e) => {
            return Err(WhatIfError::evaluation(format!(
                "'{name}' cannot be computed: {}",
                e.message
            )))
        }
    };
    let by = by.resolve(book, &Unit::dimensionless(), "--by")?;
    if by <= Decimal::ZERO {
        return Err(WhatIfError::question("--by must be more than 0 (e.g. 10%)"));
    }
    let (Ok(down), Ok(up)) = (math::sub(Decimal::ONE, by), math::add(Decimal::ONE, by)) else {
        return Err(WhatIfError::question("--by is too large"));
    };
    let mut inputs = inputs_of(book, id);
    let mut notes = Vec::new();
    // An input's formula: a cell's, or a pin's.
    let formula_of = |a: &Address| {
        let model = book.model();
        match a.period {
            Some(label) => model.slot(a.cell, crate::model::Slot::Pin(label)),
            None => model.definition(a.cell),
        }
    };
    let uncertain = |a: &Address| formula_of(a).is_some_and(|d| d.draws);
    let percentiles = inputs.iter().any(uncertain);
    if percentiles {
        let held = inputs.iter().filter(|i| !uncertain(i)).count();
        if held > 0 {
            notes.push(format!(
                "{held} certain input{} held: only the uncertain inputs move",
                if held == 1 { " is" } else { "s are" }
            ));
        }
        inputs.retain(uncertain);
    }
    if inputs.is_empty() {
        let what = if book.model().is_input(id.cell) {
            "is an input itself"
        } else {
            "depends on no input"
        };
        return Err(WhatIfError::NotDependent(format!(
            "'{name}' {what}, so no input moves it"
        )));
    }
    if inputs.len() > MAX_INPUTS {
        return Err(WhatIfError::question(format!(
            "'{name}' depends on {} inputs; sensitivity moves at most {MAX_INPUTS}: ask about a cell nearer the inputs",
            inputs.len()
        )));
    }
    let mut swings = Vec::new();
    for i in inputs {
        // A series named whole is its rule.
        let rule = i.period.is_none() && book.model().series(i.cell).is_some();
        let iname = if rule {
            book.model().slot_key(i.cell, crate::model::Slot::Rule)?
        } else {
            book.model().address_text(i)?
        };
        let input = match book.value_at(i.cell, i.period) {
            Some(Ok(Value::Bool(_))) => {
                notes.push(format!("skipped '{iname}': it is true or false"));
                continue;
            }
            Some(Ok(Value::Number { amount, .. })) if amount.is_zero() && !percentiles => {
                notes.push(format!(
                    "skipped '{iname}': it is 0, and a share of 0 does not move"
                ));
                continue;
            }
            _ => match if rule {
                probe.vary_rule(i.cell)
            } else {
                probe.vary(&iname)
            } {
                Ok(v) => v,
                Err(e) => {
                    notes.push(format!("skipped '{iname}': {e}"));
                    continue;
                }
            },
        };
        let ends = if percentiles {
            let at = |position| {
                let def = formula_of(&i)?;
                match book.evaluate_at(&def.expr, position) {
                    crate::eval::Computed::One(Ok(Value::Number { amount, .. })) => Some(amount),
                    _ => None,
                }
            };
            at(Position::P5).zip(at(Position::P95))
        } else {
            math::mul(input.start, down)
                .ok()
                .zip(math::mul(input.start, up).ok())
        };
        let Some((low_input, high_input)) = ends else {
            notes.push(format!("skipped '{iname}': moving it overflows"));
            continue;
        };
        probe.set(&input, low_input)?;
        let at_low = probe.value(id);
        probe.set(&input, high_input)?;
        let at_high = probe.value(id);
        probe.restore(&input)?;
        let mut s = Swing {
            input,
            low_input,
            high_input,
            at_low,
            at_high,
            swing: None,
        };
        s.swing = s
            .amounts(&unit)
            .and_then(|(a, b)| math::sub(b, a).ok())
            .map(|d| d.abs());
        swings.push(s);
    }
    // Largest swing first; ties keep file order; failures last.
    swings.sort_by(|a, b| match (a.swing, b.swing) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    Ok(Tornado {
        cell: name,
        at: id,
        percent: percent(book, id.cell),
        unit,
        base,
        by,
        percentiles,
        swings,
        notes,
    })
}

/// The text tornado of one input: the cell's fall to the left of `│`, its rise to the right.
fn bar(t: &Tornado, s: &Swing, reach: Decimal) -> String {
    let Some((a, b)) = s.amounts(&t.unit) else {
        return String::new();
    };
    let cells = |d: Decimal| -> usize {
        if reach.is_zero() || d <= Decimal::ZERO {
            return 0;
        }
        let n = math::mul(d, Decimal::from(BAR as u64))
            .and_then(|x| math::div(x, reach))
            .ok()
            .and_then(|x| x.round().to_usize())
            .unwrap_or(0);
        n.clamp(1, BAR)
    };
    let lo = a.min(b);
    let hi = a.max(b);
    let left = cells(math::sub(t.base, lo).unwrap_or(Decimal::ZERO));
    let right = cells(math::sub(hi, t.base).unwrap_or(Decimal::ZERO));
    format!(
        "{}{}│{}",
        " ".repeat(BAR - left),
        "█".repeat(left),
        "█".repeat(right)
    )
}

/// The ranking as lines of text: each input at −by and +by, the cell
/// there, the swing, and a text bar.
pub fn tornado_lines(t: &Tornado) -> Vec<String> {
    let (down, up) = t.moves();
    let mut lines = vec![format!("{} = {}; {}", t.cell, t.show(t.base), t.how())];
    // How far the cell moves from its base at most, on either side: the bars' scale.
    let reach = t
        .swings
        .iter()
        .filter_map(|s| s.amounts(&t.unit))
        .flat_map(|(a, b)| [a, b])
        .filter_map(|v| math::sub(v, t.base).ok())
        .map(|d| d.abs())
        .max()
        .unwrap_or(Decimal::ZERO);
    let mut rows = vec![vec![
        "input".to_string(),
        down.clone(),
        up.clone(),
        format!("{} at {down}", t.cell),
        format!("at {up}"),
        "swing".to_string(),
        String::new(),
    ]];
    for s in &t.swings {
        let shown = |r: &CellResult| match r {
            Ok(v) => crate::display::format_value(v, t.percent),
            Err(_) => "error".to_string(),
        };
        rows.push(vec![
            s.input.name.clone(),
            s.input.show(s.low_input),
            s.input.show(s.high_input),
            shown(&s.at_low),
            shown(&s.at_high),
            s.swing.map_or_else(|| "-".to_string(), |d| t.show(d)),
            bar(t, s, reach),
        ]);
    }
    lines.extend(aligned(rows, 6));
    lines
}
