//! Ranges in the editor (docs/language.md#uncertainty): a cell that holds or
//! reads a distribution shows its value as `premise eval` does (`~$52.92B`,
//! each distribution at its median) and its 90% interval, the 5th to the
//! 95th percentile of the simulation `premise simulate` draws (same samples,
//! same seed, so the editor and the command line agree to the digit).
//!
//! A simulation costs far more than an evaluation, so it runs only when the
//! editor asks for values, once per version of the text, and within a
//! budget: a model with many uncertain cells is simulated with fewer
//! samples (said in the hover), and beyond that not at all (its cells still
//! show `~` and their medians).

use std::collections::HashMap;

use crate::display::format_number;
use crate::eval::{Computed, Spread, Workbook};
use crate::model::Address;
use crate::syntax::CellId;
use crate::uncertainty::report::{histogram_lines, share_words, summary_line};
use crate::uncertainty::Settings;

/// Cell-samples one simulation may draw for the editor: 10,000 samples of
/// 50 uncertain cells, a fraction of a second.
const BUDGET: u64 = 500_000;

/// Fewer samples than this give percentiles too rough to show.
const FEWEST: u32 = 1_000;

/// What a simulation found for one cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// Its percentiles (or share true).
    pub spread: Spread,
    /// "failed in 37 of 10000 samples: ...", when some samples failed.
    pub failure: Option<String>,
}

/// Which cells of a workbook are uncertain, and their spread.
#[derive(Clone, Debug, Default)]
pub struct Spreads {
    /// By cell index: the cell holds or reads a distribution. Empty when
    /// the model holds none.
    uncertain: Vec<bool>,
    /// The simulation's samples and seed; `None` when the model has too
    /// many uncertain cells to simulate at every edit.
    pub settings: Option<Settings>,
    found: HashMap<Address, Found>,
}

impl Spreads {
    /// Simulates the uncertain cells of `book` (nothing when it holds no
    /// distribution), with its settings, or fewer samples when there are
    /// many uncertain cells: a cell of one value, and a series' first and
    /// last periods (those its hint shows).
    pub fn of(book: &Workbook) -> Spreads {
        let uncertain = book.uncertain();
        let cells: Vec<Address> = uncertain
            .iter()
            .enumerate()
            .filter(|&(_, &u)| u)
            .filter_map(|(i, _)| Some(CellId(u32::try_from(i).ok()?)))
            .flat_map(|id| shown_at(book, id))
            .collect();
        let mut spreads = Spreads {
            uncertain,
            settings: None,
            found: HashMap::new(),
        };
        if cells.is_empty() {
            return spreads;
        }
        let Some(settings) = within_budget(book.settings(), cells.len()) else {
            return spreads;
        };
        let outcomes = book.simulate(&cells, settings);
        spreads.found = cells
            .into_iter()
            .zip(outcomes)
            .map(|(id, o)| {
                (
                    id,
                    Found {
                        spread: o.spread(),
                        failure: o.failure(),
                    },
                )
            })
            .collect();
        spreads.settings = Some(settings);
        spreads
    }

    /// Whether cell `id` holds or reads a distribution (its value is a median).
    pub fn is_uncertain(&self, id: CellId) -> bool {
        self.uncertain.get(id.index()).copied().unwrap_or(false)
    }

    /// What the simulation found for a cell or a period, if it was simulated.
    pub fn found(&self, at: Address) -> Option<&Found> {
        self.found.get(&at)
    }
}

/// The addresses a hint shows the interval of: a cell's, or a series' first
/// and last periods; only those that computed.
fn shown_at(book: &Workbook, id: CellId) -> Vec<Address> {
    match book.computed(id) {
        Some(Computed::Series(s)) => {
            let mut ok = s
                .periods()
                .filter(|(_, r)| r.is_ok())
                .map(|(label, _)| label);
            let first = ok.next();
            let last = ok.last();
            let periods: Vec<i64> = first.into_iter().chain(last).collect();
            periods
                .into_iter()
                .map(|label| Address {
                    cell: id,
                    period: Some(label),
                })
                .collect()
        }
        Some(Computed::One(Ok(_))) => vec![Address::cell(id)],
        _ => Vec::new(),
    }
}

/// `settings`, its samples cut so that `cells` uncertain cells stay within
/// [`BUDGET`]; `None` when even [`FEWEST`] samples would not.
fn within_budget(settings: Settings, cells: usize) -> Option<Settings> {
    let cells = u64::try_from(cells).ok()?.max(1);
    let affordable = u32::try_from(BUDGET / cells).unwrap_or(u32::MAX);
    let samples = settings.samples.min(affordable);
    (samples >= FEWEST.min(settings.samples)).then_some(Settings {
        samples,
        ..settings
    })
}

/// The interval beside a value: `90%: $74.51B to $248.4B` (read as a range
/// is written), or for a condition `true in 32.13% of samples` (as
/// `premise simulate` says it).
pub fn interval(found: &Found, percent: bool) -> Option<String> {
    match &found.spread {
        Spread::Number { summary, unit } => Some(format!(
            "90%: {} to {}",
            format_number(summary.p5, unit, percent),
            format_number(summary.p95, unit, percent)
        )),
        Spread::Share(share) => Some(share_words(*share)),
        Spread::Failed => None,
    }
}

/// The lines a hover shows for an uncertain cell: the simulation's size,
/// the percentiles and mean and a histogram, as the REPL's `:sim` prints
/// them (the cell is simulated again: the hints keep no samples).
pub fn simulated(book: &Workbook, id: CellId, settings: Settings, percent: bool) -> Vec<String> {
    let mut lines = vec![format!("{}, seed {}", settings.counted(), settings.seed)];
    let Some(outcome) = book
        .simulate(&[Address::cell(id)], settings)
        .into_iter()
        .next()
    else {
        return lines;
    };
    match outcome.spread() {
        Spread::Number { summary, unit } => {
            if outcome.numbers.len() > 1 {
                lines.extend(histogram_lines(&outcome.numbers, &summary, &unit, percent));
            } else {
                lines.push(summary_line(&summary, &unit, percent));
            }
        }
        Spread::Share(share) => lines.push(share_words(share)),
        Spread::Failed => {}
    }
    if let Some(why) = outcome.failure() {
        lines.push(why);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fewer_samples_for_many_cells_and_none_beyond() {
        let s = Settings::default();
        assert_eq!(within_budget(s, 10).map(|s| s.samples), Some(10_000));
        assert_eq!(within_budget(s, 100).map(|s| s.samples), Some(5_000));
        assert_eq!(within_budget(s, 500).map(|s| s.samples), Some(1_000));
        assert_eq!(within_budget(s, 501), None);
        // A workbook asking for few samples gets them.
        let few = Settings {
            samples: 100,
            seed: 7,
        };
        assert_eq!(within_budget(few, 10), Some(few));
    }
}
