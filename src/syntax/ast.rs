//! The syntax tree of a formula, as the analyst wrote it.
//!
//! Parentheses are kept ([`ExprKind::Paren`]) so that formulas print back the
//! way they were written, and chains of `+ -`, `* /`, `and`, `or` are flat
//! lists so that a 200,000-term sum is a vector, not a 200,000-deep tree.

use rust_decimal::Decimal;

pub use super::lexicon::{BinaryOp, UnaryOp};
use crate::value::Unit;

/// A byte range in the text a formula came from; pest and codespan both count bytes.
///
/// Held as two `u32`s: every node of every formula carries one, and model
/// files are refused above 4 GiB ([`MAX_SOURCE`]) before any is made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    start: u32,
    end: u32,
}

/// The largest text a span can point into: 4 GiB.
pub const MAX_SOURCE: usize = u32::MAX as usize;

impl Span {
    /// A span from `start` to `end` (bytes); offsets past [`MAX_SOURCE`] are held at it.
    pub fn new(start: usize, end: usize) -> Span {
        let clamp = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
        Span {
            start: clamp(start),
            end: clamp(end),
        }
    }

    /// First byte.
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// One past the last byte.
    pub fn end(self) -> usize {
        self.end as usize
    }

    /// The same span moved `by` bytes to the right, for statements parsed apart from their file.
    pub fn shifted(self, by: usize) -> Span {
        Span::new(self.start() + by, self.end() + by)
    }

    /// The same span ending at `end`.
    pub fn with_end(self, end: usize) -> Span {
        Span::new(self.start(), end)
    }

    /// The text this span covers, or "" when it does not fit `source`.
    pub fn text(self, source: &str) -> &str {
        source.get(self.start()..self.end()).unwrap_or("")
    }
}

/// Identifies a cell (a named value, defined or merely referred to) within one model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellId(pub u32);

impl CellId {
    /// A reference that has not been looked up in a model yet.
    pub const UNRESOLVED: CellId = CellId(u32::MAX);

    /// The position of the cell in the model's cell table.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A formula: an expression and where it stands in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it was written.
    pub span: Span,
}

/// The forms an expression takes (docs/language.md#expressions).
///
/// Three words: every form that needs more is boxed, so that a
/// million-cell model's formulas stay small (an [`Expr`] is four words).
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A number written as nothing but its digits (`0.9999`, `12`), which
    /// prints back as its value: most literals of big models.
    Number(Decimal),
    /// Any other number: with a unit, a `%`, or a spelling of its own
    /// (`$1.5B`, `50%`, `1_000`). Made by [`ExprKind::literal`].
    Literal(Box<Literal>),
    /// `true` or `false`.
    Bool(bool),
    /// A reference to another cell by name.
    Ref {
        /// The name as written.
        name: Box<str>,
        /// The cell it names, or [`CellId::UNRESOLVED`].
        id: CellId,
    },
    /// `revenue.*`: every cell whose name starts with `revenue.`; only as a function argument.
    Group(Box<str>),
    /// `( ... )`, kept so the formula prints as written.
    Paren(Box<Expr>),
    /// `-x`, `+x`, `not x`.
    Unary(UnaryOp, Box<Expr>),
    /// A left-associative run of two or more operators of one precedence
    /// level (`a + b - c`), and any run of `and` / `or` (which short-circuit).
    Chain(Box<Chain>),
    /// Two operands: `a ^ b`, the comparisons (which do not chain), and a
    /// single `+ - * /` (`x * 0.9999`). Most formulas of big models are such
    /// pairs, and one allocation for both operands is half the size of a
    /// chain's two.
    Binary(BinaryOp, Box<[Expr; 2]>),
    /// `if c then a else b`.
    If(Box<IfExpr>),
    /// A built-in function call (boxed: calls are rarer than the other forms, and larger).
    Call(Box<Call>),
    /// `x[year - 1]`, `x[2026]`, `x[*]`, `x[2025..2027]`: a series read by
    /// period (docs/language.md#axes-and-series); boxed, as series are rarer
    /// than plain references.
    Index(Box<Index>),
    /// An uncertain quantity: `a to b`, `normal(a to b)`, `uniform(a, b)`,
    /// `triangular(low, mode, high)` (docs/language.md#uncertainty).
    Distribution(Box<Distribution>),
}

impl ExprKind {
    /// The form of a number literal: inline when it is plain digits, boxed otherwise.
    pub fn literal(literal: Literal) -> ExprKind {
        if literal.written.is_none() && literal.unit.is_dimensionless() {
            ExprKind::Number(literal.value)
        } else {
            ExprKind::Literal(Box::new(literal))
        }
    }
}

/// A run of operators of one level: `first op rest[0] op rest[1] ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct Chain {
    /// The leftmost operand.
    pub first: Expr,
    /// Each operator with the operand to its right, at least one.
    pub rest: Vec<(BinaryOp, Expr)>,
}

/// The three parts of an `if`.
#[derive(Clone, Debug, PartialEq)]
pub struct IfExpr {
    /// Must be boolean.
    pub cond: Expr,
    /// Evaluated only when `cond` is true.
    pub then: Expr,
    /// Evaluated only when `cond` is false.
    pub otherwise: Expr,
}

/// A number literal: its exact value, unit, and the text it was written as.
#[derive(Clone, Debug, PartialEq)]
pub struct Literal {
    /// The exact value (`50%` is 0.5, `$1.5B` is 1500000000).
    pub value: Decimal,
    /// `$` and any bracketed unit, combined.
    pub unit: Unit,
    /// How it was written, when that is not just the value's own digits
    /// (most literals in big models are), so that those cost no allocation.
    written: Option<Box<Written>>,
}

/// The text of a literal that does not print as its value's digits.
#[derive(Clone, Debug, PartialEq)]
struct Written {
    /// The number as written, `$` included, then any bracketed unit without
    /// spaces (`$1.5B`, `1_000`, `50%`, `700 [W]`).
    text: Box<str>,
    /// Written with `%`, so shown as a percentage.
    percent: bool,
}

/// How a definition asks its cell to be shown, written at its end
/// (docs/language.md#display): `as %`, or `as [MWh]`, which also converts
/// the cell's value to that unit.
#[derive(Clone, Debug)]
pub enum Hint {
    /// `as %`: shown as a percentage.
    Percent,
    /// `as [MWh]`: converted to the unit and shown in it.
    Unit {
        /// The unit asked for.
        unit: Unit,
        /// The unit as written between the brackets, without spaces.
        written: Box<str>,
    },
}

/// Two hints are the same when they ask for the same thing, however the
/// unit is spelt (`[kW*h]` is `[h*kW]`).
impl PartialEq for Hint {
    fn eq(&self, other: &Hint) -> bool {
        match (self, other) {
            (Hint::Percent, Hint::Percent) => true,
            (Hint::Unit { unit: a, .. }, Hint::Unit { unit: b, .. }) => a == b,
            _ => false,
        }
    }
}

impl Hint {
    /// The hint as written at the end of a definition: `as %`, `as [MWh]`.
    pub fn text(&self) -> String {
        match self {
            Hint::Percent => "as %".to_string(),
            Hint::Unit { written, .. } => format!("as [{written}]"),
        }
    }
}

/// `unit NAME` (a unit of its own) or `unit NAME = NUMBER [UNIT]` (so many
/// of another unit), as written (docs/language.md#units).
#[derive(Clone, Debug, PartialEq)]
pub struct UnitDecl {
    /// The unit's name.
    pub name: Box<str>,
    /// Where the name was written.
    pub name_span: Span,
    /// The factor after `=`, when there is one: checked to be a positive
    /// number with a unit when the model is built.
    pub factor: Option<Expr>,
}

/// A name a formula reads: a cell, or a group of cells.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Name<'a> {
    /// `gpu_spend`
    Cell(Ref<'a>),
    /// `revenue` in `revenue.*`
    Group(&'a str),
}

impl Literal {
    /// A literal of `value` in `unit`, written as `written` (`$1.5B`, `50%`,
    /// `700 [W]`); an empty `written` means the value's own digits.
    pub fn new(value: Decimal, unit: Unit, percent: bool, written: Box<str>) -> Literal {
        let written = (percent || !written.is_empty()).then(|| {
            Box::new(Written {
                text: written,
                percent,
            })
        });
        Literal {
            value,
            unit,
            written,
        }
    }

    /// The literal as written (`$1.5B`, `1_000`, `0.9999`, `700 [W]`).
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match &self.written {
            Some(w) if !w.text.is_empty() => std::borrow::Cow::Borrowed(&w.text),
            _ => std::borrow::Cow::Owned(self.value.to_string()),
        }
    }

    /// Written with `%`, so shown as a percentage.
    pub fn percent(&self) -> bool {
        self.written.as_ref().is_some_and(|w| w.percent)
    }
}

/// A reference to a cell, as a formula holds it ([`ExprKind::Ref`]): the
/// name as written and, once resolved, the cell.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ref<'a> {
    /// The name as written.
    pub name: &'a str,
    /// The cell it names, or [`CellId::UNRESOLVED`].
    pub id: CellId,
}

/// A call to a built-in function.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// Which function.
    pub func: Function,
    /// The name as written (function names are case-insensitive).
    pub name: Box<str>,
    /// The arguments, groups included.
    pub args: Vec<Expr>,
}

impl Call {
    /// Where the call lies in memory: a key for what was worked out about
    /// it (a statistic's answer) while its model does not change.
    pub fn address(&self) -> usize {
        self as *const Call as usize
    }
}

/// A series read by period: `capex[year - 1]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Index {
    /// The series' name as written.
    pub name: Box<str>,
    /// The cell it names, or [`CellId::UNRESOLVED`].
    pub id: CellId,
    /// Which periods.
    pub period: Period,
}

/// The periods an [`Index`] reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Period {
    /// `x[year]`, `x[year - 1]`, `x[year + 2]`: the period the formula is
    /// computed for, moved by `offset` periods along the axis named.
    Relative {
        /// The axis named in the brackets.
        axis: Box<str>,
        /// Periods later (positive) or earlier (negative).
        offset: i64,
    },
    /// `x[2026]`: one fixed period.
    At(i64),
    /// `x[*]`: every period, in order.
    All,
    /// `x[2025..2027]`: the periods from one label to the other, both included.
    Slice(i64, i64),
}

impl Period {
    /// Reads several periods at once (`x[*]`, `x[2025..2027]`): only an
    /// argument of the functions that take spans.
    pub fn is_span(&self) -> bool {
        matches!(self, Period::All | Period::Slice(..))
    }
}

impl std::fmt::Display for Period {
    /// As written between the brackets, canonically: `year - 1`, `2026`, `*`, `2025..2027`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Relative { axis, offset: 0 } => write!(f, "{axis}"),
            Period::Relative { axis, offset } if *offset < 0 => {
                write!(f, "{axis} - {}", offset.unsigned_abs())
            }
            Period::Relative { axis, offset } => write!(f, "{axis} + {offset}"),
            Period::At(label) => write!(f, "{label}"),
            Period::All => f.write_str("*"),
            Period::Slice(from, to) => write!(f, "{from}..{to}"),
        }
    }
}

/// The part of a series a definition gives (docs/language.md#axes-and-series).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// `x[year] = ...`: the rule, for every period of the axis without a pin.
    Rule {
        /// The axis named in the brackets.
        axis: Box<str>,
    },
    /// `x[2024] = ...`: one period, whatever the rule says.
    Pin(i64),
}

impl std::fmt::Display for Part {
    /// As written between the brackets: `year`, `2024`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Part::Rule { axis } => f.write_str(axis),
            Part::Pin(label) => write!(f, "{label}"),
        }
    }
}

/// A distribution as written: its family and its ends.
#[derive(Clone, Debug, PartialEq)]
pub struct Distribution {
    /// Which distribution.
    pub family: crate::uncertainty::Family,
    /// The ends (two, or three for `triangular`), in the order written.
    pub ends: Vec<Expr>,
    /// The function name as written (`normal`, `Uniform`); empty for `a to b`.
    pub name: Box<str>,
    /// Which distribution of its formula this is, in reading order from 0:
    /// with the cell's name, it keys the stream a simulation draws from.
    pub nth: u32,
}

/// The built-in functions (docs/language.md#functions).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    Sum,
    Min,
    Max,
    Avg,
    Count,
    Abs,
    Round,
    Floor,
    Ceil,
    Sqrt,
    Ln,
    Exp,
    Clamp,
    Npv,
    Irr,
    Pmt,
    Pv,
    Fv,
    /// `prob(condition)`: the share of simulated samples where it holds.
    Prob,
    /// `expected(x)`: the mean of `x` over a simulation.
    Expected,
    /// `percentile(x, p)`: the `p`-th percentile of `x` over a simulation.
    Percentile,
}

impl Function {
    /// Every function, for lookup and did-you-mean.
    pub const ALL: [Function; 21] = [
        Function::Sum,
        Function::Min,
        Function::Max,
        Function::Avg,
        Function::Count,
        Function::Abs,
        Function::Round,
        Function::Floor,
        Function::Ceil,
        Function::Sqrt,
        Function::Ln,
        Function::Exp,
        Function::Clamp,
        Function::Npv,
        Function::Irr,
        Function::Pmt,
        Function::Pv,
        Function::Fv,
        Function::Prob,
        Function::Expected,
        Function::Percentile,
    ];

    /// The canonical (lower-case) name.
    pub fn name(self) -> &'static str {
        match self {
            Function::Sum => "sum",
            Function::Min => "min",
            Function::Max => "max",
            Function::Avg => "avg",
            Function::Count => "count",
            Function::Abs => "abs",
            Function::Round => "round",
            Function::Floor => "floor",
            Function::Ceil => "ceil",
            Function::Sqrt => "sqrt",
            Function::Ln => "ln",
            Function::Exp => "exp",
            Function::Clamp => "clamp",
            Function::Npv => "npv",
            Function::Irr => "irr",
            Function::Pmt => "pmt",
            Function::Pv => "pv",
            Function::Fv => "fv",
            Function::Prob => "prob",
            Function::Expected => "expected",
            Function::Percentile => "percentile",
        }
    }

    /// Looks a function up by name, ignoring case.
    pub fn from_name(name: &str) -> Option<Function> {
        Function::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }

    /// How many arguments it takes: (at least, at most).
    pub fn arity(self) -> (usize, usize) {
        match self {
            Function::Sum | Function::Min | Function::Max | Function::Avg | Function::Count => {
                (1, usize::MAX)
            }
            Function::Round => (1, 2),
            Function::Percentile => (2, 2),
            Function::Clamp => (3, 3),
            Function::Npv => (2, usize::MAX),
            Function::Irr => (1, usize::MAX),
            Function::Pmt | Function::Pv | Function::Fv => (3, 5),
            _ => (1, 1),
        }
    }

    /// `prob expected percentile`: they run a simulation of what they read
    /// and give one certain value.
    pub fn is_statistic(self) -> bool {
        matches!(
            self,
            Function::Prob | Function::Expected | Function::Percentile
        )
    }

    /// Whether `revenue.*` may be passed.
    pub fn takes_groups(self) -> bool {
        self.takes_spans()
    }

    /// `npv irr pmt pv fv` (docs/language.md#finance-functions).
    pub fn is_finance(self) -> bool {
        matches!(
            self,
            Function::Npv | Function::Irr | Function::Pmt | Function::Pv | Function::Fv
        )
    }

    /// Whether the periods of a series may be passed (`x[*]`, `x[2025..2027]`):
    /// the functions that fold many values into one (docs/language.md#axes-and-series).
    pub fn takes_spans(self) -> bool {
        matches!(
            self,
            Function::Sum
                | Function::Min
                | Function::Max
                | Function::Avg
                | Function::Count
                | Function::Npv
                | Function::Irr
        )
    }
}

impl Expr {
    /// Calls `f` on every direct sub-expression.
    pub fn for_each_child<'a>(&'a self, mut f: impl FnMut(&'a Expr)) {
        match &self.kind {
            ExprKind::Number(_)
            | ExprKind::Literal(_)
            | ExprKind::Bool(_)
            | ExprKind::Ref { .. }
            | ExprKind::Index(_)
            | ExprKind::Group(_) => {}
            ExprKind::Paren(e) | ExprKind::Unary(_, e) => f(e),
            ExprKind::Chain(chain) => {
                f(&chain.first);
                for (_, e) in &chain.rest {
                    f(e);
                }
            }
            ExprKind::Binary(_, pair) => {
                let [a, b] = &**pair;
                f(a);
                f(b);
            }
            ExprKind::If(i) => {
                f(&i.cond);
                f(&i.then);
                f(&i.otherwise);
            }
            ExprKind::Call(c) => c.args.iter().for_each(f),
            ExprKind::Distribution(d) => d.ends.iter().for_each(f),
        }
    }

    /// Calls `f` on every direct sub-expression, mutably.
    pub fn for_each_child_mut<'a>(&'a mut self, mut f: impl FnMut(&'a mut Expr)) {
        match &mut self.kind {
            ExprKind::Number(_)
            | ExprKind::Literal(_)
            | ExprKind::Bool(_)
            | ExprKind::Ref { .. }
            | ExprKind::Index(_)
            | ExprKind::Group(_) => {}
            ExprKind::Paren(e) | ExprKind::Unary(_, e) => f(e),
            ExprKind::Chain(chain) => {
                let Chain { first, rest } = &mut **chain;
                f(first);
                for (_, e) in rest {
                    f(e);
                }
            }
            ExprKind::Binary(_, pair) => {
                let [a, b] = &mut **pair;
                f(a);
                f(b);
            }
            ExprKind::If(i) => {
                f(&mut i.cond);
                f(&mut i.then);
                f(&mut i.otherwise);
            }
            ExprKind::Call(c) => c.args.iter_mut().for_each(f),
            ExprKind::Distribution(d) => d.ends.iter_mut().for_each(f),
        }
    }

    /// Every cell reference and group in the formula, in reading order.
    /// Uses an explicit stack: formulas can be long.
    pub fn visit_names<'a>(&'a self, mut on_name: impl FnMut(Name<'a>)) {
        // Most formulas are a handful of nodes: the stack stays off the heap.
        let mut stack: smallvec::SmallVec<[&Expr; 16]> = smallvec::smallvec![self];
        while let Some(e) = stack.pop() {
            match &e.kind {
                ExprKind::Ref { name, id } => on_name(Name::Cell(Ref { name, id: *id })),
                ExprKind::Index(i) => on_name(Name::Cell(Ref {
                    name: &i.name,
                    id: i.id,
                })),
                ExprKind::Group(g) => on_name(Name::Group(g)),
                _ => {
                    let before = stack.len();
                    e.for_each_child(|c| stack.push(c));
                    if let Some(pushed) = stack.get_mut(before..) {
                        pushed.reverse(); // so that children pop in reading order
                    }
                }
            }
        }
    }

    /// Every reference's name and cell, the cell to be set: for resolving names.
    pub fn visit_refs_mut(&mut self, on_ref: &mut impl FnMut(&str, &mut CellId)) {
        let mut stack: smallvec::SmallVec<[&mut Expr; 16]> = smallvec::smallvec![self];
        while let Some(e) = stack.pop() {
            if let ExprKind::Ref { name, id } = &mut e.kind {
                on_ref(name, id);
            } else if let ExprKind::Index(i) = &mut e.kind {
                on_ref(&i.name, &mut i.id);
            } else {
                e.for_each_child_mut(|c| stack.push(c));
            }
        }
    }

    /// Every literal's unit, to be set: for looking up the units a model declares.
    pub fn visit_units_mut(&mut self, on_unit: &mut impl FnMut(&mut Unit)) {
        let mut stack: smallvec::SmallVec<[&mut Expr; 16]> = smallvec::smallvec![self];
        while let Some(e) = stack.pop() {
            if let ExprKind::Literal(l) = &mut e.kind {
                on_unit(&mut l.unit);
            } else {
                e.for_each_child_mut(|c| stack.push(c));
            }
        }
    }

    /// Numbers the formula's distributions in reading order from 0 (their
    /// [`Distribution::nth`]) and returns how many there are.
    pub fn number_distributions(&mut self) -> u32 {
        let mut count = 0u32;
        let mut stack: smallvec::SmallVec<[&mut Expr; 16]> = smallvec::smallvec![self];
        while let Some(e) = stack.pop() {
            if let ExprKind::Distribution(d) = &mut e.kind {
                d.nth = count;
                count = count.saturating_add(1);
            }
            let before = stack.len();
            e.for_each_child_mut(|c| stack.push(c));
            if let Some(pushed) = stack.get_mut(before..) {
                pushed.reverse(); // so that children pop in reading order
            }
        }
        count
    }

    /// Whether the formula is a single percent literal (`50%`, `-5%`), which shows as a percentage.
    pub fn is_percent_literal(&self) -> bool {
        match &self.kind {
            ExprKind::Literal(l) => l.percent() && l.unit.is_dimensionless(),
            ExprKind::Number(_) => false,
            ExprKind::Unary(UnaryOp::Neg | UnaryOp::Plus, e) => e.is_percent_literal(),
            // `40% to 60%`, `normal(-5% to 5%)`: a percentage too.
            ExprKind::Distribution(d) => {
                !d.ends.is_empty() && d.ends.iter().all(Expr::is_percent_literal)
            }
            _ => false,
        }
    }

    /// Whether the formula reads no other cell (an input, or assumption).
    pub fn is_constant(&self) -> bool {
        let mut found = false;
        self.visit_names(|_| found = true);
        !found
    }
}
