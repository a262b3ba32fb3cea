//! Time in a model: axes of periods, and the cells defined period by period
//! over them (docs/language.md#axes-and-series).
//!
//! A series cell keeps one rule (`capex[year] = ...`) as its definition and
//! its pins (`capex[2024] = ...`) beside it, so that a 360-period axis costs
//! the formulas written, not one formula a period.

use super::{Definition, Model};
use crate::internal::InternalError;
use crate::source::FileId;
use crate::syntax::{CellId, Span};

/// The most periods an axis may have.
pub const MAX_PERIODS: i64 = 100_000;

/// Identifies an axis within one model (its place in [`Model::axes`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AxisId(pub u32);

impl AxisId {
    /// The position in [`Model::axes`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// `axis year = 2024..2030`: integer period labels, both ends included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    /// Its name, which inside a formula over it is the period's label.
    pub name: Box<str>,
    /// The first label.
    pub first: i64,
    /// The last label (included).
    pub last: i64,
    /// The id its name has in formulas (interned like a cell's name, never defined).
    pub id: CellId,
    /// 1-based line of the declaration.
    pub line: u32,
    /// Where the name was written.
    pub name_span: Span,
    /// The file that declared it first (an axis declared alike in several
    /// files of a model is one axis).
    pub file: FileId,
}

impl Axis {
    /// How many periods.
    pub fn len(&self) -> usize {
        usize::try_from(self.last.saturating_sub(self.first).saturating_add(1)).unwrap_or(0)
    }

    /// Whether it has no periods (never, for an axis of a loaded model).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where `label` stands on the axis, if it is one of its periods.
    pub fn position(&self, label: i64) -> Option<usize> {
        if label < self.first || label > self.last {
            return None;
        }
        usize::try_from(label - self.first).ok()
    }

    /// The label of the period at `position`.
    pub fn label(&self, position: usize) -> i64 {
        self.first
            .saturating_add(i64::try_from(position).unwrap_or(i64::MAX))
    }

    /// Every label, in order.
    pub fn labels(&self) -> impl Iterator<Item = i64> + '_ {
        self.first..=self.last
    }

    /// `year 2024..2030`, as messages name it.
    pub fn describe(&self) -> String {
        format!("{} {}..{}", self.name, self.first, self.last)
    }
}

/// Which formula of a cell a definition gives or replaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Slot {
    /// `x = ...`: the whole cell.
    Whole,
    /// `x[year] = ...`: a series' rule.
    Rule,
    /// `x[2024] = ...`: one period of a series.
    Pin(i64),
}

/// The slot a definition's brackets name: none for the whole cell.
pub fn slot_of(part: Option<&crate::syntax::ast::Part>) -> Slot {
    use crate::syntax::ast::Part;
    match part {
        None => Slot::Whole,
        Some(Part::Rule { .. }) => Slot::Rule,
        Some(Part::Pin(label)) => Slot::Pin(*label),
    }
}

/// A formula for one period of a series: `capex[2024] = $50B`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pin {
    /// The period's label.
    pub label: i64,
    /// Its formula.
    pub def: Definition,
}

/// What makes a cell a series: its axis, whether it has a rule, and its pins.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesDef {
    /// The axis it runs over.
    pub axis: AxisId,
    /// Whether the cell's definition ([`Model::definition`]) is its rule.
    /// Without a rule the definition is a copy of the first pin's, which
    /// gives the cell its line, doc text and display, and is not evaluated.
    pub ruled: bool,
    /// The pins, by label.
    pub pins: Vec<Pin>,
}

impl SeriesDef {
    /// The pin of `label`, if any.
    pub fn pin(&self, label: i64) -> Option<&Pin> {
        self.pins
            .binary_search_by_key(&label, |p| p.label)
            .ok()
            .and_then(|i| self.pins.get(i))
    }
}

impl Model {
    /// The axes, in file order.
    pub fn axes(&self) -> &[Axis] {
        &self.axes
    }

    /// Whether the model has any axis (else every cell is one value).
    pub fn has_axes(&self) -> bool {
        !self.axes.is_empty()
    }

    /// An axis by id.
    pub fn axis(&self, id: AxisId) -> Option<&Axis> {
        self.axes.get(id.index())
    }

    /// An axis by name.
    pub fn axis_named(&self, name: &str) -> Option<AxisId> {
        self.axes
            .iter()
            .position(|a| &*a.name == name)
            .and_then(|i| u32::try_from(i).ok())
            .map(AxisId)
    }

    /// The axis a formula names when it reads `id` (`year - 2024`), if `id` is an axis' name.
    pub fn axis_read_as(&self, id: CellId) -> Option<AxisId> {
        if self.axes.is_empty() {
            return None;
        }
        self.axes
            .iter()
            .position(|a| a.id == id)
            .and_then(|i| u32::try_from(i).ok())
            .map(AxisId)
    }

    /// Declares an axis, written in `file`; the caller has checked its name and bounds.
    pub fn add_axis(
        &mut self,
        name: &str,
        (first, last): (i64, i64),
        file: FileId,
        line: u32,
        name_span: Span,
    ) -> AxisId {
        let id = self.intern(name);
        let axis = AxisId(u32::try_from(self.axes.len()).unwrap_or(u32::MAX));
        self.axes.push(Axis {
            name: name.into(),
            first,
            last,
            id,
            line,
            name_span,
            file,
        });
        axis
    }

    /// The pins and axis of a cell defined period by period (`None` for any other cell).
    pub fn series(&self, id: CellId) -> Option<&SeriesDef> {
        if self.series.is_empty() {
            return None;
        }
        self.series.get(&id)
    }

    /// Every cell defined period by period.
    pub fn series_cells(&self) -> impl Iterator<Item = CellId> + '_ {
        self.series.keys().copied()
    }

    /// Gives `name` the rule `name[axis] = def` (replacing any rule it had),
    /// making it a series over `axis` if it is new. Pins stay.
    pub fn define_rule(&mut self, name: &str, axis: AxisId, def: Definition) -> CellId {
        let mut def = Box::new(def);
        self.resolve(&mut def.expr);
        let id = self.intern(name);
        self.set_rule(id, axis, def);
        id
    }

    /// [`Model::define_rule`] of a cell of this model, its formula resolved.
    fn set_rule(&mut self, id: CellId, axis: AxisId, def: Box<Definition>) {
        self.set_definition(id, def);
        let entry = self.series.entry(id).or_insert_with(|| SeriesDef {
            axis,
            ruled: true,
            pins: Vec::new(),
        });
        entry.ruled = true;
        entry.axis = axis;
    }

    /// Gives `name` the pin `name[label] = def` (replacing any pin of that
    /// label), making it a series over `axis` if it is new.
    pub fn define_pin(&mut self, name: &str, axis: AxisId, label: i64, def: Definition) -> CellId {
        let mut def = def;
        self.resolve(&mut def.expr);
        let id = self.intern(name);
        self.set_pin(id, axis, label, def);
        id
    }

    /// [`Model::define_pin`] of a cell of this model, its formula resolved.
    fn set_pin(&mut self, id: CellId, axis: AxisId, label: i64, def: Definition) {
        let new = self.definition(id).is_none();
        let entry = self.series.entry(id).or_insert_with(|| SeriesDef {
            axis,
            ruled: false,
            pins: Vec::new(),
        });
        match entry.pins.binary_search_by_key(&label, |p| p.label) {
            Ok(i) => {
                if let Some(p) = entry.pins.get_mut(i) {
                    p.def = def;
                }
            }
            Err(i) => entry.pins.insert(i, Pin { label, def }),
        }
        if new || !entry.ruled {
            self.refresh_stand_in(id);
        }
    }

    /// Removes the pin of `label` from a series; `None` when there is none,
    /// or when it is the only definition the series has left.
    pub fn remove_pin(&mut self, id: CellId, label: i64) -> Option<Pin> {
        let entry = self.series.get_mut(&id)?;
        if !entry.ruled && entry.pins.len() <= 1 {
            return None;
        }
        let i = entry.pins.binary_search_by_key(&label, |p| p.label).ok()?;
        let pin = entry.pins.remove(i);
        if !entry.ruled {
            self.refresh_stand_in(id);
        }
        Some(pin)
    }

    /// The axis a formula given to `name` in `slot` is over, after checking
    /// that the slot fits the cell: a whole formula for a cell of one value,
    /// a rule over its axis or a pin of a period on it for a series (or for
    /// a new name, which becomes one); `Err` says why not.
    pub fn slot_axis(&self, name: &str, slot: Slot, axis: Option<&str>) -> Result<AxisId, String> {
        let existing = self.defined(name);
        let series = existing.and_then(|id| self.series(id));
        let own = series.and_then(|s| self.axis(s.axis));
        let no_series =
            || format!("'{name}' is one value, not a series: redefine it as {name} = ...");
        match slot {
            Slot::Whole => match own {
                Some(a) => Err(format!(
                    "'{name}' is a series over {}: redefine its rule, {name}[{}] = ..., or one period, {name}[{}] = ...",
                    a.name, a.name, a.first
                )),
                None => Ok(AxisId(0)),
            },
            Slot::Rule => {
                let named = axis.unwrap_or("");
                let Some(found) = self.axis_named(named) else {
                    return Err(format!("'{named}' is not an axis of this model"));
                };
                match (existing, own) {
                    (Some(_), None) => Err(no_series()),
                    (_, Some(a)) if *a.name != *named => Err(format!(
                        "'{name}' runs over '{}', not '{named}'",
                        a.name
                    )),
                    _ => Ok(found),
                }
            }
            Slot::Pin(label) => match (existing, series, own) {
                (Some(_), None, _) => Err(no_series()),
                (_, Some(s), Some(a)) => match a.position(label) {
                    Some(_) => Ok(s.axis),
                    None => Err(format!(
                        "{name}[{label}] is outside {}",
                        a.describe()
                    )),
                },
                _ => {
                    // A new series of pins: the one axis with this period.
                    let fits: Vec<usize> = (0..self.axes().len())
                        .filter(|&i| {
                            self.axes()
                                .get(i)
                                .is_some_and(|a| a.position(label).is_some())
                        })
                        .collect();
                    match fits.as_slice() {
                        [one] => Ok(AxisId(u32::try_from(*one).unwrap_or(0))),
                        [] => Err(format!(
                            "no axis of this model has the period {label}"
                        )),
                        _ => Err(format!(
                            "several axes have the period {label}: give {name} a rule first, {name}[AXIS] = ..."
                        )),
                    }
                }
            },
        }
    }

    /// Removes a series' rule, leaving its pins (`false` when it has no
    /// rule, or no pins to stand without it).
    pub fn remove_rule(&mut self, id: CellId) -> bool {
        let Some(entry) = self.series.get_mut(&id) else {
            return false;
        };
        if !entry.ruled || entry.pins.is_empty() {
            return false;
        }
        entry.ruled = false;
        self.refresh_stand_in(id);
        true
    }

    /// Sets the axis of a series (loading resolves it once every axis is known).
    pub(crate) fn set_series_axis(&mut self, id: CellId, axis: AxisId) {
        if let Some(entry) = self.series.get_mut(&id) {
            entry.axis = axis;
        }
    }

    /// A rule-less series' definition is its first pin's (see [`SeriesDef::ruled`]).
    fn refresh_stand_in(&mut self, id: CellId) {
        let Some(first) = self
            .series
            .get(&id)
            .filter(|s| !s.ruled)
            .and_then(|s| s.pins.first())
        else {
            return;
        };
        let stand_in = Box::new(first.def.clone());
        self.set_definition(id, stand_in);
    }

    /// Gives `name` the formula `def` in `slot`: the whole cell, a series'
    /// rule, or one of its pins. A series' part needs `axis`; the whole cell
    /// replaces any rule and pins.
    pub fn define_slot(&mut self, name: &str, slot: Slot, axis: AxisId, def: Definition) -> CellId {
        match slot {
            Slot::Whole => self.define(name, def),
            Slot::Rule => self.define_rule(name, axis, def),
            Slot::Pin(label) => self.define_pin(name, axis, label, def),
        }
    }

    /// [`Model::define_slot`] of a cell of this model by its id (a
    /// scenario's override, resolved when the file was loaded).
    pub(crate) fn define_slot_at(&mut self, id: CellId, slot: Slot, axis: AxisId, def: Definition) {
        let mut def = Box::new(def);
        self.resolve(&mut def.expr);
        match slot {
            Slot::Whole => {
                self.set_definition(id, def);
                if !self.series.is_empty() {
                    self.series.remove(&id);
                }
            }
            Slot::Rule => self.set_rule(id, axis, def),
            Slot::Pin(label) => self.set_pin(id, axis, label, *def),
        }
    }

    /// The formula `slot` of a cell holds now, if any.
    pub fn slot(&self, id: CellId, slot: Slot) -> Option<&Definition> {
        match (slot, self.series(id)) {
            (Slot::Whole, None) => self.definition(id),
            (Slot::Rule, Some(s)) if s.ruled => self.definition(id),
            (Slot::Pin(label), Some(s)) => s.pin(label).map(|p| &p.def),
            _ => None,
        }
    }

    /// The formula a key names: `capex` (a cell of one value), `capex[year]`
    /// (a series' rule) or `capex[2024]` (a pin); `None` when there is none.
    pub fn definition_by_key(&self, key: &str) -> Option<&Definition> {
        let (name, part) = super::split_name(key).ok()?;
        let id = self.defined(name)?;
        self.slot(id, slot_of(part.as_ref()))
    }

    /// A formula's key as a file writes it: `capex`, `capex[2024]`, `capex[year]`.
    pub fn slot_key(&self, id: CellId, slot: Slot) -> Result<String, InternalError> {
        let name = self.name(id)?;
        Ok(match slot {
            Slot::Whole => name.to_string(),
            Slot::Pin(label) => format!("{name}[{label}]"),
            Slot::Rule => {
                let axis = self
                    .series(id)
                    .and_then(|s| self.axis(s.axis))
                    .ok_or_else(|| {
                        InternalError::new(format!("the rule of '{name}', which is no series"))
                    })?;
                format!("{name}[{}]", axis.name)
            }
        })
    }

    /// Every formula of a cell with its key (`capex`, or `capex[2024]` for
    /// each pin and `capex[year]` for the rule), as a file writes them.
    pub fn keyed_formulas(&self, id: CellId) -> Result<Vec<(String, &Definition)>, InternalError> {
        let name = self.name(id)?;
        let Some(s) = self.series(id) else {
            return Ok(self
                .definition(id)
                .map(|d| vec![(name.to_string(), d)])
                .unwrap_or_default());
        };
        let mut out = Vec::with_capacity(s.pins.len() + 1);
        for p in &s.pins {
            out.push((self.slot_key(id, Slot::Pin(p.label))?, &p.def));
        }
        if let Some(rule) = self.definition(id).filter(|_| s.ruled) {
            out.push((self.slot_key(id, Slot::Rule)?, rule));
        }
        Ok(out)
    }

    /// A cell's formulas as tables and JSON show them: its formula; for a
    /// series, its rule's formula and its pins
    /// (`capex[year - 1] * 1.3 (pinned 2024: $50B)`), a long list of pins
    /// cut short.
    pub fn formula_text(&self, id: CellId) -> String {
        let text = Definition::formula;
        let Some(s) = self.series(id) else {
            return self.definition(id).map(text).unwrap_or_default();
        };
        let rule = self.definition(id).filter(|_| s.ruled).map(text);
        if s.pins.is_empty() {
            return rule.unwrap_or_default();
        }
        let shown = 3;
        let mut pins: Vec<String> = s
            .pins
            .iter()
            .take(shown)
            .map(|p| format!("{}: {}", p.label, text(&p.def)))
            .collect();
        if s.pins.len() > shown {
            pins.push(format!("… {} more", s.pins.len() - shown));
        }
        match rule {
            Some(r) => format!("{r} (pinned {})", pins.join(", ")),
            None => format!("pinned {}", pins.join(", ")),
        }
    }

    /// The formulas a cell's value comes from: its definition, or, for a
    /// series, its rule (if any) and its pins.
    pub fn formulas(&self, id: CellId) -> impl Iterator<Item = &Definition> + '_ {
        let series = self.series(id);
        let whole = match series {
            Some(s) if !s.ruled => None,
            _ => self.definition(id),
        };
        whole.into_iter().chain(
            series
                .into_iter()
                .flat_map(|s| s.pins.iter().map(|p| &p.def)),
        )
    }
}
