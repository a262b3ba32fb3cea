//! The units a model declares (docs/language.md#units): `unit pod` is a
//! unit of its own, `unit MMBtu = 1055.05585262 [MJ]` so many of another.
//!
//! Declarations may come in any order and chain through each other; they
//! are resolved once the whole file is read, in dependency order, with an
//! explicit stack (a chain of a thousand declarations needs no deep
//! recursion). A factor that is zero, negative or not a constant, a unit
//! declared twice, a cycle, or a built-in name declared again is refused.

use std::sync::Arc;

use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;

use super::ModelError;
use crate::source::FileId;
use crate::syntax::ast::UnitDecl;
use crate::syntax::{formula_text, CellId, Expr, ExprKind, Span};
use crate::value::unit::{built_in, Meaning, Named, Ratio};
use crate::value::Unit;

/// One declared unit: where it was declared and what it means.
#[derive(Clone, Debug)]
pub struct Declared {
    /// The unit's name.
    pub name: Box<str>,
    /// Where the name was written.
    pub name_span: Span,
    /// 1-based line of the declaration.
    pub line: u32,
    /// The factor as written (`1055.05585262 [MJ]`), when there is one.
    pub factor: Option<Box<str>>,
    /// The name with its meaning, as values hold it.
    pub named: Arc<Named>,
}

/// The units a model declares, by name, in file order.
///
/// It exists so that the model's formulas can convert with declared units
/// as they do with the built-in ones: every unit in a formula is looked up
/// here once, when the formula is given to the model.
#[derive(Clone, Debug, Default)]
pub struct Units {
    declared: Vec<Declared>,
    by_name: HashMap<Box<str>, usize>,
}

impl Units {
    /// Whether the model declares no unit (most models): nothing to look up.
    pub fn is_empty(&self) -> bool {
        self.declared.is_empty()
    }

    /// The declarations, in file order.
    pub fn declared(&self) -> &[Declared] {
        &self.declared
    }

    /// A declared unit by name.
    pub fn find(&self, name: &str) -> Option<&Declared> {
        self.by_name.get(name).and_then(|&at| self.declared.get(at))
    }

    /// `unit` with the declared names carrying their meaning.
    pub fn resolve(&self, unit: &Unit) -> Unit {
        if self.is_empty() || unit.is_dimensionless() {
            return unit.clone();
        }
        unit.resolved(|name| self.find(name).map(|d| d.named.clone()))
    }

    /// Every unit written in `expr` with the declared names carrying their meaning.
    pub fn resolve_expr(&self, expr: &mut Expr) {
        if self.is_empty() {
            return;
        }
        expr.visit_units_mut(&mut |unit| *unit = self.resolve(unit));
    }
}

/// A unit name in a formula that the model does not declare and that is
/// not built in, but is close to one that is: `[kwh]` for `kWh`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slip {
    /// The name as written.
    pub name: String,
    /// The known unit it is probably meant to be.
    pub meant: String,
    /// Where it is first written.
    pub at: Span,
    /// The cell whose formula writes it there (`None` in a scenario's override).
    pub cell: Option<CellId>,
}

/// Other spellings of the built-in units that analysts write.
const SPELLINGS: [(&str, &str); 20] = [
    ("sec", "s"),
    ("second", "s"),
    ("minute", "min"),
    ("hr", "h"),
    ("hour", "h"),
    ("year", "yr"),
    ("days", "day"),
    ("watt", "W"),
    ("joule", "J"),
    ("kwatt", "kW"),
    ("bits", "bit"),
    ("bytes", "byte"),
    ("weeks", "week"),
    ("mins", "min"),
    ("secs", "s"),
    ("seconds", "s"),
    ("minutes", "min"),
    ("hrs", "h"),
    ("hours", "h"),
    ("years", "yr"),
];

/// The known unit `name` is probably a slip for: another case (`kwh`,
/// `Mw`), a plural (`GBs`), or another spelling (`hours`).
fn meant_by<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    let spelled = SPELLINGS
        .iter()
        .find(|(s, _)| *s == lower || format!("{s}s") == lower)
        .map(|(_, k)| *k);
    let mut found = None;
    for k in known {
        let k_lower = k.to_lowercase();
        if k != name && (k_lower == lower || format!("{k_lower}s") == lower || spelled == Some(k)) {
            // An exact case match wins over a plural or a spelling.
            if k_lower == lower || found.is_none() {
                found = Some(k);
            }
        }
    }
    found
}

/// Every unit name the model's formulas write that is neither built in nor
/// declared but is close to one that is, once each, at its first use in
/// file order (`premise check` warns about them).
pub fn slips(model: &super::Model) -> Vec<Slip> {
    let known = || {
        crate::value::unit::built_in_names().chain(model.units.declared().iter().map(|d| &*d.name))
    };
    let mut seen: HashMap<String, ()> = HashMap::default();
    let mut out = Vec::new();
    let mut look = |expr: &Expr, cell: Option<CellId>, out: &mut Vec<Slip>| {
        expr_units(expr, &mut |unit, span| {
            for (name, _) in unit.factors() {
                if built_in(name).is_some()
                    || model.units.find(name).is_some()
                    || seen.contains_key(name)
                {
                    continue;
                }
                seen.insert(name.to_string(), ());
                if let Some(meant) = meant_by(name, known()) {
                    out.push(Slip {
                        name: name.to_string(),
                        meant: meant.to_string(),
                        at: name_in(&model.source, span, name),
                        cell,
                    });
                }
            }
        });
    };
    for &id in model.cells_in_order() {
        if let Some(def) = model.definition(id) {
            look(&def.expr, Some(id), &mut out);
        }
    }
    for s in &model.scenarios {
        for o in &s.overrides {
            look(&o.def.expr, None, &mut out);
        }
    }
    out
}

/// Calls `f` with every literal's unit in `expr` and the literal's span.
fn expr_units(expr: &Expr, f: &mut impl FnMut(&Unit, Span)) {
    let mut stack = vec![expr];
    while let Some(e) = stack.pop() {
        if let ExprKind::Literal(l) = &e.kind {
            f(&l.unit, e.span);
        } else {
            e.for_each_child(|c| stack.push(c));
        }
    }
}

/// The span of `name` inside the brackets of the literal at `span`, or the
/// literal's span when it cannot be found there.
fn name_in(source: &str, span: Span, name: &str) -> Span {
    let text = span.text(source);
    let Some(open) = text.find('[') else {
        return span;
    };
    let inside = text.get(open..).unwrap_or("");
    let mut from = 0;
    while let Some(at) = inside.get(from..).and_then(|t| t.find(name)) {
        let start = from + at;
        let end = start + name.len();
        let before = inside.get(..start).and_then(|t| t.chars().next_back());
        let after = inside.get(end..).and_then(|t| t.chars().next());
        let boundary = |c: Option<char>| !c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if boundary(before) && boundary(after) {
            let begin = span.start() + open + start;
            return Span::new(begin, begin + name.len());
        }
        from = end;
    }
    span
}

/// A `unit` statement, waiting for the rest of the file.
#[derive(Clone, Debug)]
pub(crate) struct Pending {
    /// What it says.
    pub decl: UnitDecl,
    /// 1-based line.
    pub line: u32,
    /// The file it is written in (the model's own, or an imported one).
    pub file: FileId,
}

/// A declaration accepted so far: its factor read, its place in the list.
struct Reading {
    pending: Pending,
    /// The factor's amount and unit (as the parser resolved it).
    factor: Option<(Decimal, Unit)>,
    /// The declared units its factor's unit names, as indices.
    needs: Vec<usize>,
}

/// The `unit` statements of a model's files as one list: a unit declared
/// alike in several files (`unit pod`, `unit MMBtu = 1055.05585262 [MJ]`)
/// is kept once; declared differently in two files, it is refused at the
/// second (docs/language.md#several-files). Two declarations in one file
/// are left for [`declare`] to refuse.
pub(crate) fn merge_files(
    pending: Vec<Pending>,
    model: &super::Model,
    errors: &mut Vec<ModelError>,
) -> Vec<Pending> {
    if pending.iter().all(|p| p.file.is_root()) {
        return pending;
    }
    let mut first: HashMap<Box<str>, (FileId, u32, String)> = HashMap::default();
    let mut out = Vec::with_capacity(pending.len());
    for p in pending {
        let meaning = p.decl.factor.as_ref().map(formula_text).unwrap_or_default();
        match first.get(&p.decl.name) {
            Some((file, _, _)) if *file == p.file => out.push(p),
            Some((_, _, same)) if *same == meaning => {}
            Some((file, line, other)) => {
                let said = |m: &str| {
                    if m.is_empty() {
                        "a unit of its own".to_string()
                    } else {
                        m.to_string()
                    }
                };
                errors.push(
                    ModelError::UnitDiffers {
                        name: p.decl.name.to_string(),
                        at: p.decl.name_span,
                        here: said(&meaning),
                        there: format!("{} in {}:{line}", said(other), model.file_path(*file)),
                    }
                    .in_file(p.file),
                );
            }
            None => {
                first.insert(p.decl.name.clone(), (p.file, p.line, meaning));
                out.push(p);
            }
        }
    }
    out
}

/// Resolves a file's `unit` statements, in file order; each problem goes to
/// `errors` (a refused declaration is then a unit of its own, so that the
/// rest of the file still reads).
pub(crate) fn declare(pending: Vec<Pending>, errors: &mut Vec<ModelError>) -> Units {
    let mut readings: Vec<Reading> = Vec::with_capacity(pending.len());
    let mut by_name: HashMap<Box<str>, usize> = HashMap::default();
    for p in pending {
        let name = p.decl.name.clone();
        if built_in(&name).is_some() {
            errors.push(
                ModelError::UnitShadowsBuiltIn {
                    name: name.to_string(),
                    at: p.decl.name_span,
                }
                .in_file(p.file),
            );
            continue;
        }
        if let Some(first) = by_name.get(&name).and_then(|&at| readings.get(at)) {
            errors.push(
                ModelError::UnitTwice {
                    name: name.to_string(),
                    at: p.decl.name_span,
                    first: first.pending.decl.name_span,
                    first_line: first.pending.line,
                    line: p.line,
                }
                .in_file(p.file),
            );
            continue;
        }
        let factor = match &p.decl.factor {
            None => None,
            Some(expr) => match factor_of(expr) {
                Ok(f) => Some(f),
                Err(problem) => {
                    errors.push(
                        ModelError::UnitFactor {
                            name: name.to_string(),
                            at: expr.span,
                            problem,
                        }
                        .in_file(p.file),
                    );
                    None
                }
            },
        };
        by_name.insert(name, readings.len());
        readings.push(Reading {
            pending: p,
            factor,
            needs: Vec::new(),
        });
    }
    for r in &mut readings {
        if let Some((_, unit)) = &r.factor {
            r.needs = unit
                .factors()
                .filter_map(|(n, _)| by_name.get(n).copied())
                .collect();
        }
    }
    let order = dependency_order(&readings, errors);
    let mut named: Vec<Option<Arc<Named>>> = vec![None; readings.len()];
    for at in order {
        let Some(r) = readings.get(at) else { continue };
        let decl = &r.pending.decl;
        let meaning = match &r.factor {
            None => None,
            Some((amount, unit)) => {
                let unit = unit.resolved(|n| {
                    by_name
                        .get(n)
                        .and_then(|&i| named.get(i))
                        .and_then(Clone::clone)
                });
                match meaning_of(*amount, &unit) {
                    Ok(m) => Some(m),
                    Err(problem) => {
                        let at = decl.factor.as_ref().map_or(decl.name_span, |f| f.span);
                        errors.push(
                            ModelError::UnitFactor {
                                name: decl.name.to_string(),
                                at,
                                problem,
                            }
                            .in_file(r.pending.file),
                        );
                        None
                    }
                }
            }
        };
        if let Some(slot) = named.get_mut(at) {
            *slot = Some(match meaning {
                Some(m) => Named::meaning(&decl.name, m),
                None => Named::own(&decl.name),
            });
        }
    }
    let declared = readings
        .into_iter()
        .zip(named)
        .map(|(r, named)| {
            let decl = r.pending.decl;
            Declared {
                named: named.unwrap_or_else(|| Named::own(&decl.name)),
                factor: decl
                    .factor
                    .as_ref()
                    .map(|f| crate::syntax::formula_text(f).into()),
                name: decl.name,
                name_span: decl.name_span,
                line: r.pending.line,
            }
        })
        .collect();
    Units { declared, by_name }
}

/// The declarations in an order where each comes after those its factor
/// names; a cycle is reported once (`a -> b -> a`) and its members left out.
/// Depth-first with an explicit stack.
fn dependency_order(readings: &[Reading], errors: &mut Vec<ModelError>) -> Vec<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        Open,
        Done,
        Failed,
    }
    let mut state = vec![State::New; readings.len()];
    let mut order = Vec::with_capacity(readings.len());
    for start in 0..readings.len() {
        if state.get(start) != Some(&State::New) {
            continue;
        }
        // (declaration, how many of its needs are looked at)
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        if let Some(s) = state.get_mut(start) {
            *s = State::Open;
        }
        while let Some(&mut (at, ref mut next)) = stack.last_mut() {
            let needs = readings.get(at).map_or(&[][..], |r| &r.needs[..]);
            let Some(&need) = needs.get(*next) else {
                stack.pop();
                if let Some(s) = state.get_mut(at) {
                    if *s == State::Open {
                        *s = State::Done;
                        order.push(at);
                    }
                }
                continue;
            };
            *next += 1;
            match state.get(need).copied() {
                Some(State::New) => {
                    if let Some(s) = state.get_mut(need) {
                        *s = State::Open;
                    }
                    stack.push((need, 0));
                }
                Some(State::Open) => {
                    // A cycle: from `need` on the stack up to here, and back.
                    let from = stack.iter().position(|&(i, _)| i == need).unwrap_or(0);
                    let members: Vec<usize> = stack
                        .get(from..)
                        .unwrap_or(&[])
                        .iter()
                        .map(|&(i, _)| i)
                        .collect();
                    let name = |i: usize| readings.get(i).map_or("?", |r| &*r.pending.decl.name);
                    let mut path: Vec<&str> = members.iter().map(|&i| name(i)).collect();
                    path.push(name(need));
                    let first = readings.get(need).map(|r| &r.pending);
                    errors.push(
                        ModelError::UnitCycle {
                            path: path.join(" -> "),
                            at: first
                                .and_then(|p| p.decl.factor.as_ref())
                                .map_or_else(Span::default, |f| f.span),
                        }
                        .in_file(first.map_or(FileId::ROOT, |p| p.file)),
                    );
                    for m in members {
                        if let Some(s) = state.get_mut(m) {
                            *s = State::Failed;
                        }
                    }
                }
                // Done: already in order; Failed: on a cycle, reported.
                _ => {}
            }
        }
    }
    order
}

/// A factor's amount and unit: one number, with a unit, not negative (its
/// sign is checked with the amount, so `-2 [W]` is told it must be positive).
fn factor_of(expr: &Expr) -> Result<(Decimal, Unit), String> {
    let mut negative = false;
    let mut e = expr;
    loop {
        match &e.kind {
            ExprKind::Paren(inner) | ExprKind::Unary(crate::syntax::ast::UnaryOp::Plus, inner) => {
                e = inner;
            }
            ExprKind::Unary(crate::syntax::ast::UnaryOp::Neg, inner) => {
                negative = !negative;
                e = inner;
            }
            _ => break,
        }
    }
    let (amount, unit) = match &e.kind {
        ExprKind::Number(n) => (*n, Unit::dimensionless()),
        ExprKind::Literal(l) => (l.value, l.unit.clone()),
        _ => {
            let mut read = None;
            expr.visit_names(|n| {
                if read.is_none() {
                    read = Some(match n {
                        crate::syntax::ast::Name::Cell(r) => r.name.to_string(),
                        crate::syntax::ast::Name::Group(g) => format!("{g}.*"),
                    });
                }
            });
            return Err(match read {
                Some(name) => {
                    format!("a unit's factor is a constant, not a formula (it reads '{name}')")
                }
                None => "a unit's factor is one number with a unit".to_string(),
            });
        }
    };
    let amount = if negative { -amount } else { amount };
    if amount <= Decimal::ZERO {
        return Err(format!(
            "a unit's factor must be positive, not {}",
            amount.normalize()
        ));
    }
    if unit.is_dimensionless() {
        return Err("a unit's factor needs a unit in brackets".to_string());
    }
    Ok((amount, unit))
}

/// What `amount [unit]` means as a unit: its dimension and its factor in base units.
fn meaning_of(amount: Decimal, unit: &Unit) -> Result<Meaning, String> {
    let out_of_range = || "the factor is beyond what premise's decimals hold".to_string();
    let dimension = unit.dimension().ok_or_else(out_of_range)?;
    if dimension.is_plain() {
        return Err(format!(
            "a unit's factor needs a unit that is not a plain number ([{unit}] cancels out)"
        ));
    }
    let ratio = Ratio::of(amount)
        .and_then(|r| r.checked_mul(unit.ratio()?))
        .ok_or_else(out_of_range)?;
    Ok(Meaning { dimension, ratio })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_expression;
    use crate::value::unit::convert;

    fn decl(name: &str, factor: Option<&str>, line: u32) -> Pending {
        Pending {
            decl: UnitDecl {
                name: name.into(),
                name_span: Span::new(0, name.len()),
                factor: factor.map(|f| parse_expression(f).unwrap().0),
            },
            line,
            file: FileId::ROOT,
        }
    }

    fn units(decls: &[(&str, Option<&str>)]) -> (Units, Vec<ModelError>) {
        let pending = decls
            .iter()
            .enumerate()
            .map(|(i, (n, f))| decl(n, *f, i as u32 + 1))
            .collect();
        let mut errors = Vec::new();
        let units = declare(pending, &mut errors);
        (units, errors)
    }

    fn unit(units: &Units, name: &str) -> Unit {
        units.resolve(&Unit::named(name))
    }

    #[test]
    fn declared_units_chain_in_any_order() {
        let (u, errors) = units(&[
            ("therm", Some("0.1 [MMBtu]")),
            ("MMBtu", Some("1055.05585262 [MJ]")),
            ("pod", None),
            ("rack_slot", Some("4 [GPU]")),
            ("cage", Some("10 [pod]")),
        ]);
        assert_eq!(errors, []);
        let one = Decimal::ONE;
        let mj = convert(one, &unit(&u, "therm"), &Unit::named("MJ"));
        assert_eq!(mj, Ok("105.505585262".parse().unwrap()));
        let gpus = convert(one, &unit(&u, "rack_slot"), &Unit::named("GPU"));
        assert_eq!(gpus, Ok(4.into()));
        let pods = convert(one, &unit(&u, "cage"), &unit(&u, "pod"));
        assert_eq!(pods, Ok(10.into()));
        assert!(convert(one, &unit(&u, "pod"), &Unit::named("GPU")).is_err());
        assert_eq!(u.declared().len(), 5);
        assert_eq!(
            u.find("MMBtu").and_then(|d| d.factor.as_deref()),
            Some("1055.05585262 [MJ]")
        );
    }

    /// `name0` of its own, then `name_i = factor [name_{i-1}]` up to `length`,
    /// declared last to first when `reversed`.
    fn chain(name: &str, length: usize, factor: u32, reversed: bool) -> (Units, Vec<ModelError>) {
        let mut decls: Vec<(String, Option<String>)> = vec![(format!("{name}0"), None)];
        for i in 1..=length {
            decls.push((
                format!("{name}{i}"),
                Some(format!("{factor} [{name}{}]", i - 1)),
            ));
        }
        if reversed {
            decls.reverse();
        }
        let refs: Vec<(&str, Option<&str>)> = decls
            .iter()
            .map(|(n, f)| (n.as_str(), f.as_deref()))
            .collect();
        units(&refs)
    }

    #[test]
    fn a_long_chain_resolves_without_recursion() {
        let (u, errors) = chain("u", 5000, 1, true);
        assert_eq!(errors, []);
        let top = convert(Decimal::TWO, &unit(&u, "u5000"), &unit(&u, "u0"));
        assert_eq!(top, Ok(Decimal::TWO));
    }

    #[test]
    fn bad_declarations_are_refused_with_words() {
        let (_, errors) = units(&[
            ("kWh", Some("3600 [kJ]")),
            ("a", None),
            ("a", Some("2 [W]")),
            ("zero", Some("0 [W]")),
            ("neg", Some("-2 [W]")),
            ("formula", Some("x * 2 [W]")),
            ("plain", Some("12")),
            ("cancels", Some("2 [h/min]")),
            ("p", Some("2 [q]")),
            ("q", Some("3 [p]")),
        ]);
        let words: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            words,
            [
                "'kWh' is a built-in unit; a model cannot declare it again",
                "unit 'a' is declared twice (lines 2 and 3)",
                "unit 'zero': a unit's factor must be positive, not 0",
                "unit 'neg': a unit's factor must be positive, not -2",
                "unit 'formula': a unit's factor is a constant, not a formula (it reads 'x')",
                "unit 'plain': a unit's factor needs a unit in brackets",
                "units declared in a circle: p -> q -> p",
                "unit 'cancels': a unit's factor needs a unit that is not a plain number ([h/min] cancels out)",
            ]
        );
    }

    #[test]
    fn near_misses_of_known_units() {
        let known = ["kWh", "MW", "h", "byte", "GB", "MMBtu", "W", "s"];
        let meant = |name: &str| meant_by(name, known.iter().copied());
        assert_eq!(meant("kwh"), Some("kWh"));
        assert_eq!(meant("Mw"), Some("MW"));
        assert_eq!(meant("KWH"), Some("kWh"));
        assert_eq!(meant("bytes"), Some("byte"));
        assert_eq!(meant("GBs"), Some("GB"));
        assert_eq!(meant("hours"), Some("h"));
        assert_eq!(meant("hr"), Some("h"));
        assert_eq!(meant("mmbtu"), Some("MMBtu"));
        assert_eq!(meant("watts"), Some("W"));
        for fine in ["GPU", "rack", "GBP", "USDC", "m", "kg", "kWh", "EUR", "S3"] {
            assert_eq!(meant(fine), None, "{fine}");
        }
    }

    #[test]
    fn huge_factors_are_held_and_overflow_only_when_used() {
        let (u, errors) = chain("b", 1000, 10, false);
        assert_eq!(errors, []);
        assert!(convert(Decimal::ONE, &unit(&u, "b1000"), &unit(&u, "b0")).is_err());
        assert_eq!(
            convert(Decimal::ONE, &unit(&u, "b1000"), &unit(&u, "b999")),
            Ok(Decimal::TEN)
        );
    }
}
