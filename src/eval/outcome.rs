//! What a simulation gathers for each cell or formula it reports on: the
//! samples' numbers (or how often a condition held), how many failed and
//! why, and what they come to (docs/language.md#uncertainty).

use rust_decimal::Decimal;

use super::error::{CellError, EvalError};
use super::CellResult;
use crate::syntax::Span;
use crate::uncertainty::summary;
use crate::value::{Unit, Value};

/// One target's results over every sample.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Outcome {
    /// How many samples were drawn.
    pub samples: u32,
    /// The numbers of the samples that gave one, in sample order.
    pub numbers: Vec<Decimal>,
    /// Their unit (that of the first).
    pub unit: Unit,
    /// How many samples gave `true`.
    pub trues: u32,
    /// How many gave `true` or `false`.
    pub booleans: u32,
    /// How many samples failed.
    pub failed: u32,
    /// The failure of the first sample that failed.
    pub first_error: Option<Box<CellError>>,
}

/// What an outcome comes to, for reports.
#[derive(Clone, Debug, PartialEq)]
pub enum Spread {
    /// A number: its percentiles and mean, in its unit.
    Number {
        /// p5, p50, p95, mean.
        summary: summary::Summary,
        /// The unit.
        unit: Unit,
    },
    /// A condition: the share of samples where it held.
    Share(Decimal),
    /// Every sample failed.
    Failed,
}

impl Outcome {
    /// The outcome of a simulation that stopped: every sample failed, and
    /// the report says so rather than give a partial answer.
    pub(super) fn stopped(samples: u32) -> Outcome {
        Outcome {
            samples,
            failed: samples,
            first_error: Some(Box::new(CellError::eval(
                EvalError::Uncertainty("the simulation stopped (an internal error)".into()),
                Span::default(),
            ))),
            ..Outcome::default()
        }
    }

    fn fail(&mut self, e: Box<CellError>) {
        self.failed += 1;
        if self.first_error.is_none() {
            self.first_error = Some(e);
        }
    }

    /// The percentiles and mean, or the share true.
    pub fn spread(&self) -> Spread {
        if self.booleans > 0 {
            return summary::share(u64::from(self.trues), u64::from(self.booleans))
                .map_or(Spread::Failed, Spread::Share);
        }
        match summary::summarize(&self.numbers) {
            Some(s) => Spread::Number {
                summary: s,
                unit: self.unit.clone(),
            },
            None => Spread::Failed,
        }
    }

    /// "failed in 37 of 10000 samples: sqrt of a negative number", when any did.
    pub fn failure(&self) -> Option<String> {
        let first = self.first_error.as_ref()?;
        Some(format!(
            "failed in {} of {} samples: {}",
            self.failed, self.samples, first.message
        ))
    }
}

/// Each outcome's [`Outcome::spread`], the outcomes shared among the
/// cores: working out the percentiles of a thousand cells' samples takes as
/// long as a good share of the simulation itself.
pub fn spreads(outcomes: &[Outcome]) -> Vec<Spread> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads <= 1 || outcomes.len() < 2 {
        return outcomes.iter().map(Outcome::spread).collect();
    }
    let per_thread = outcomes.len().div_ceil(threads);
    std::thread::scope(|s| {
        // Each share on a thread of its own; one the system refuses is
        // worked out here, and a thread that failed leaves its cells failed.
        let handles: Vec<_> = outcomes
            .chunks(per_thread)
            .map(|part| {
                let spawned = std::thread::Builder::new().spawn_scoped(s, move || {
                    part.iter().map(Outcome::spread).collect::<Vec<_>>()
                });
                (part, spawned)
            })
            .collect();
        let mut all = Vec::with_capacity(outcomes.len());
        for (part, spawned) in handles {
            match spawned.map(|h| h.join()) {
                Ok(Ok(spreads)) => all.extend(spreads),
                Ok(Err(_)) => all.extend(part.iter().map(|_| Spread::Failed)),
                Err(_) => all.extend(part.iter().map(Outcome::spread)),
            }
        }
        all
    })
}

/// What every sample of a target should give: a number in one unit, or
/// true or false. Taken from the target's point value when it has one, so
/// that every chunk of samples judges its samples alike; a sample that gives
/// something else fails ("its unit changes from sample to sample").
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Expect {
    /// A number in this unit.
    Number(Unit),
    /// True or false.
    Bool,
}

impl Expect {
    /// What a value is.
    pub(super) fn of(v: &Value) -> Expect {
        match v {
            Value::Number { unit, .. } => Expect::Number(unit.clone()),
            Value::Bool(_) => Expect::Bool,
        }
    }

    /// Why a value that is not as expected fails its sample.
    fn mismatch(&self, found: &Value) -> String {
        match (self, found) {
            (Expect::Number(unit), Value::Number { unit: other, .. }) => {
                format!("its unit changes from sample to sample ([{unit}] and [{other}])")
            }
            _ => "it is a number in some samples and true or false in others".to_string(),
        }
    }
}

/// One target's results over one chunk of samples, as a thread computes
/// them: numbers go straight into the target's slots for the chunk (one
/// allocation per target for the whole simulation, never copied), the rest
/// is counted.
pub(super) struct Tally<'s> {
    slots: &'s mut [Decimal],
    counted: Counted,
}

/// A chunk's counts for one target, once its numbers are in their slots.
#[derive(Default)]
pub(super) struct Counted {
    outcome: Outcome,
    /// What its samples gave (the point value's kind, else the first sample's).
    expect: Option<Expect>,
    /// How many samples gave a number.
    numbers: u32,
    /// The samples of the chunk (from 0) whose slot holds no number.
    holes: Vec<u32>,
}

impl Counted {
    /// Sample `i` failed for a reason of the simulation's own.
    fn fail(&mut self, i: u32, why: String) {
        self.outcome.fail(Box::new(CellError::eval(
            EvalError::Uncertainty(why),
            Span::default(),
        )));
        self.holes.push(i);
    }
}

impl<'s> Tally<'s> {
    /// A tally of `slots.len()` samples, expecting what `expect` says
    /// (`None`: whatever the first sample gives).
    pub(super) fn new(slots: &'s mut [Decimal], expect: Option<Expect>) -> Tally<'s> {
        let samples = u32::try_from(slots.len()).unwrap_or(u32::MAX);
        let unit = match &expect {
            Some(Expect::Number(unit)) => unit.clone(),
            _ => Unit::dimensionless(),
        };
        Tally {
            slots,
            counted: Counted {
                outcome: Outcome {
                    samples,
                    unit,
                    ..Outcome::default()
                },
                expect,
                ..Counted::default()
            },
        }
    }

    /// Counts the result of the chunk's sample `i` (read where it lies: a
    /// unit or an error is copied only when the tally keeps it).
    pub(super) fn add(&mut self, i: u32, result: &CellResult) {
        let c = &mut self.counted;
        let v = match result {
            Ok(v) => v,
            Err(e) => {
                c.outcome.failed += 1;
                if c.outcome.first_error.is_none() {
                    c.outcome.first_error = Some(e.clone());
                }
                c.holes.push(i);
                return;
            }
        };
        match (&c.expect, v) {
            (None, _) => {
                let expect = Expect::of(v);
                if let Expect::Number(unit) = &expect {
                    c.outcome.unit = unit.clone();
                }
                c.expect = Some(expect);
            }
            (Some(Expect::Number(unit)), Value::Number { unit: other, .. }) if unit == other => {}
            (Some(Expect::Bool), Value::Bool(_)) => {}
            (Some(expect), v) => {
                let why = expect.mismatch(v);
                c.fail(i, why);
                return;
            }
        }
        match v {
            Value::Number { amount, .. } => match self.slots.get_mut(i as usize) {
                Some(slot) => {
                    *slot = *amount;
                    c.numbers += 1;
                }
                None => c.fail(
                    i,
                    "a sample outside its chunk (an internal error)".to_string(),
                ),
            },
            Value::Bool(b) => {
                c.outcome.booleans += 1;
                c.outcome.trues += u32::from(*b);
                c.holes.push(i);
            }
        }
    }

    /// The counts, the numbers being in their slots.
    pub(super) fn done(self) -> Counted {
        self.counted
    }
}

/// One target's outcome from its slots (`numbers`, every sample's, in
/// order) and its chunks' counts in chunk order, each chunk `chunk`
/// samples long: the slots of samples that gave no number are dropped. A
/// chunk that expected something else than the first chunk (only when the
/// target has no point value to go by) fails in every sample that gave a
/// value.
pub(super) fn gather(mut numbers: Vec<Decimal>, chunks: Vec<Counted>, chunk: u32) -> Outcome {
    let mut whole = Outcome::default();
    let mut expect: Option<Expect> = None;
    let mut holes: Vec<usize> = Vec::new();
    let mut counted_numbers = 0u32;
    for (c, part) in chunks.into_iter().enumerate() {
        let start = c * chunk as usize;
        let next = part.outcome;
        whole.samples += next.samples;
        whole.failed += next.failed;
        if whole.first_error.is_none() {
            whole.first_error = next.first_error;
        }
        let agrees = match (&expect, &part.expect) {
            (_, None) => true,
            (None, Some(e)) => {
                if let Expect::Number(unit) = e {
                    whole.unit = unit.clone();
                }
                expect = Some(e.clone());
                true
            }
            (Some(e), Some(other)) => e == other,
        };
        if agrees {
            whole.trues += next.trues;
            whole.booleans += next.booleans;
            counted_numbers += part.numbers;
            holes.extend(part.holes.iter().map(|&h| start + h as usize));
        } else {
            whole.failed += part.numbers + next.booleans;
            if whole.first_error.is_none() {
                let why = match (&expect, &part.expect) {
                    (Some(Expect::Number(a)), Some(Expect::Number(b))) => {
                        format!("its unit changes from sample to sample ([{a}] and [{b}])")
                    }
                    _ => "it is a number in some samples and true or false in others".to_string(),
                };
                whole.first_error = Some(Box::new(CellError::eval(
                    EvalError::Uncertainty(why),
                    Span::default(),
                )));
            }
            holes.extend(start..start + next.samples as usize);
        }
    }
    if whole.booleans > 0 || counted_numbers == 0 {
        numbers = Vec::new();
    } else if !holes.is_empty() {
        let mut holes = holes.into_iter().peekable();
        let mut i = 0usize;
        numbers.retain(|_| {
            let keep = holes.peek() != Some(&i);
            if !keep {
                holes.next();
            }
            i += 1;
            keep
        });
    }
    whole.numbers = numbers;
    whole
}
