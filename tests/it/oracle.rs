//! Exactness against an independent oracle (docs/language.md#evaluation): random `+ - *` trees
//! over decimals, every intermediate representable in 28 digits, must come
//! out exactly as big-rational arithmetic says, whether written as one
//! formula or spread over cells; `/` must be within half a unit of its last
//! digit and carry every digit there is room for; and formatting a model
//! (`premise fmt`), or printing its formulas back, must not change any value.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crate::support::generate;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::Signed;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use rust_decimal::Decimal;

use premise::display::format_exact;
use premise::eval::Workbook;
use premise::model::Model;
use premise::syntax::formula_text;
use premise::value::Value;

fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

fn pow10(n: u32) -> BigInt {
    num_traits::pow(BigInt::from(10), n as usize)
}

/// A decimal `mantissa × 10^-scale` as an exact rational.
fn rational(mantissa: i128, scale: u32) -> BigRational {
    BigRational::new(BigInt::from(mantissa), pow10(scale))
}

/// The exact value of a decimal as premise prints it with `--exact`.
fn parse_exact(text: &str) -> BigRational {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mantissa: BigInt = format!("{int}{frac}").parse().unwrap();
    let value = BigRational::new(mantissa, pow10(frac.len() as u32));
    if negative {
        -value
    } else {
        value
    }
}

/// Whether a rust_decimal holds `v` exactly: at most 28 places, and a
/// mantissa below 2^96 at the fewest places that hold it.
fn representable(v: &BigRational) -> bool {
    let limit = BigInt::from(1u128 << 96);
    (0..=28).any(|s| {
        let scaled = v * BigRational::from_integer(pow10(s));
        scaled.is_integer() && scaled.to_integer().abs() < limit
    })
}

/// A `+ - *` tree over decimal leaves.
#[derive(Clone, Debug)]
enum Tree {
    Leaf(i128, u32),
    Node(char, Box<Tree>, Box<Tree>),
}

impl Tree {
    /// The exact value, or `None` when some intermediate is not representable.
    fn exact(&self) -> Option<BigRational> {
        let v = match self {
            Tree::Leaf(m, s) => rational(*m, *s),
            Tree::Node(op, a, b) => {
                let (a, b) = (a.exact()?, b.exact()?);
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    _ => a * b,
                }
            }
        };
        representable(&v).then_some(v)
    }

    /// Fully parenthesised formula text.
    fn text(&self) -> String {
        match self {
            Tree::Leaf(m, s) => {
                let d = Decimal::from_i128_with_scale(*m, *s);
                if *m < 0 {
                    format!("({d})")
                } else {
                    d.to_string()
                }
            }
            Tree::Node(op, a, b) => format!("({} {op} {})", a.text(), b.text()),
        }
    }

    /// One cell per node: leaves are inputs, each node reads its children.
    fn cells(&self, out: &mut Vec<String>) -> String {
        let name = format!("n{}", out.len());
        out.push(String::new());
        let at = out.len() - 1;
        let formula = match self {
            Tree::Leaf(..) => self.text(),
            Tree::Node(op, a, b) => {
                let (a, b) = (a.cells(out), b.cells(out));
                format!("{a} {op} {b}")
            }
        };
        out[at] = format!("{name} = {formula}");
        name
    }
}

fn leaf() -> impl Strategy<Value = Tree> {
    // up to 9 significant digits and 6 places, so that products of a few
    // leaves stay within 28 digits
    (-999_999_999i128..=999_999_999, 0u32..=6).prop_map(|(m, s)| Tree::Leaf(m, s))
}

fn tree() -> impl Strategy<Value = Tree> {
    leaf().prop_recursive(5, 32, 2, |inner| {
        (
            prop::sample::select(vec!['+', '-', '*']),
            inner.clone(),
            inner,
        )
            .prop_map(|(op, a, b)| Tree::Node(op, Box::new(a), Box::new(b)))
    })
}

fn evaluate(text: &str, cell: &str) -> Result<Value, String> {
    let model = Model::parse("oracle.model", text.to_string())
        .unwrap_or_else(|e| panic!("{text:?} does not load: {e:?}"));
    let book = Workbook::new(model);
    match book.value_of(cell) {
        Some(Ok(v)) => Ok(v.clone()),
        Some(Err(e)) => Err(e.message.to_string()),
        None => panic!("{cell} was not computed"),
    }
}

fn amount(v: &Value) -> Decimal {
    match v {
        Value::Number { amount, .. } => *amount,
        Value::Bool(b) => panic!("a number, not {b}"),
    }
}

#[test]
fn sums_differences_and_products_are_exact() {
    let used = std::cell::Cell::new(0);
    runner(400)
        .run(&tree(), |t| {
            let Some(exact) = t.exact() else {
                return Ok(()); // some intermediate needs more than 28 digits
            };
            used.set(used.get() + 1);
            let text = format!("x = {}\n", t.text());
            let v =
                evaluate(&text, "x").map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
            let got = parse_exact(&format_exact(&v));
            prop_assert_eq!(&got, &exact, "{}", text);
            // The same tree spread over cells, one per operation.
            let mut lines = Vec::new();
            let root = t.cells(&mut lines);
            let model = lines.join("\n") + "\n";
            let v = evaluate(&model, &root).map_err(TestCaseError::fail)?;
            prop_assert_eq!(parse_exact(&format_exact(&v)), exact, "{}", model);
            Ok(())
        })
        .unwrap();
    assert!(
        used.get() > 200,
        "most trees stay representable ({})",
        used.get()
    );
}

/// A decimal of up to 28 significant digits at up to 28 places, nonzero.
fn operand() -> impl Strategy<Value = (i128, u32)> {
    let digits = 1u32..=28;
    (digits, 0u32..=28, any::<u128>(), any::<bool>()).prop_map(|(d, s, r, neg)| {
        let m = (r % 10u128.pow(d)).max(1) as i128;
        (if neg { -m } else { m }, s.min(28))
    })
}

#[test]
fn division_is_right_to_the_last_digit() {
    runner(400)
        .run(&(operand(), operand()), |((am, as_), (bm, bs))| {
            let a = Decimal::from_i128_with_scale(am, as_);
            let b = Decimal::from_i128_with_scale(bm, bs);
            let text = format!("x = ({a}) / ({b})\n");
            let exact = rational(am, as_) / rational(bm, bs);
            let v = match evaluate(&text, "x") {
                Ok(v) => v,
                Err(e) => {
                    // Only a quotient beyond the range may fail.
                    prop_assert!(
                        exact.abs() > BigRational::from_integer(pow10(28)),
                        "{text}: {e}"
                    );
                    return Ok(());
                }
            };
            let q = amount(&v);
            let got = rational(q.mantissa(), q.scale());
            // The last representable digit: the most places (up to 28) at
            // which the rounded quotient still fits a 96-bit mantissa.
            let limit = BigRational::from_integer(BigInt::from(1u128 << 96));
            let places = (0..=28u32)
                .rev()
                .find(|&s| (&exact * BigRational::from_integer(pow10(s))).abs().round() < limit)
                .unwrap_or(0);
            let half_ulp = BigRational::new(BigInt::from(1), BigInt::from(2) * pow10(places));
            let error = (&got - &exact).abs();
            prop_assert!(
                error <= half_ulp,
                "{}: {} is off by more than half a unit in place {}",
                text,
                q,
                places
            );
            Ok(())
        })
        .unwrap();
}

/// Each model, with every formula replaced by its printed form (what `fmt`
/// writes), evaluates to the same values, displays and errors.
#[test]
fn printed_formulas_evaluate_the_same() {
    runner(150)
        .run(&prop::collection::vec(any::<u8>(), 0..600), |bytes| {
            let text = generate::model(&bytes);
            let original = Model::parse("m.model", text.clone()).unwrap();
            let printed = reprint(&original, &text);
            let again = Model::parse("m.model", printed.clone())
                .unwrap_or_else(|e| panic!("reprinted model does not load: {e:?}\n{printed}"));
            let (a, b) = (Workbook::new(original), Workbook::new(again));
            for &id in a.model().cells_in_order() {
                let name = a.model().name(id).unwrap();
                let other = b.model().defined(name).unwrap();
                // the same value, or the same message (spans move with the layout)
                let shown = |r: Option<&premise::eval::CellResult>| {
                    r.map(|r| r.clone().map_err(|e| e.message.to_string()))
                };
                prop_assert_eq!(
                    shown(a.value(id)),
                    shown(b.value(other)),
                    "{}\n{}",
                    text,
                    printed
                );
                let (da, db) = (
                    a.model().definition(id).unwrap(),
                    b.model().definition(other).unwrap(),
                );
                prop_assert_eq!(da.percent, db.percent, "{}", name);
            }
            Ok(())
        })
        .unwrap();
}

/// `fmt` and `eval` commute: the formatted model (premise::fmt, what
/// `premise fmt` writes) gives every cell the same value and display, or the
/// same kind of failure (messages may cite other line numbers once blank
/// lines are squeezed).
#[test]
fn formatted_models_evaluate_the_same() {
    runner(150)
        .run(&prop::collection::vec(any::<u8>(), 0..600), |bytes| {
            let text = generate::model(&bytes);
            let formatted = premise::fmt::format_source(&text).unwrap();
            let a = Workbook::new(Model::parse("m.model", text.clone()).unwrap());
            let b = Workbook::new(Model::parse("m.model", formatted.clone()).unwrap());
            for &id in a.model().cells_in_order() {
                let name = a.model().name(id).unwrap();
                let other = b.model().defined(name).unwrap();
                let percent = a.model().definition(id).unwrap().percent;
                prop_assert_eq!(percent, b.model().definition(other).unwrap().percent);
                match (a.value(id).unwrap(), b.value(other).unwrap()) {
                    (Ok(x), Ok(y)) => {
                        prop_assert_eq!(x, y, "{}\n{}", text, formatted);
                        prop_assert_eq!(
                            premise::display::format_value(x, percent),
                            premise::display::format_value(y, percent)
                        );
                    }
                    (Err(x), Err(y)) => prop_assert_eq!(&x.kind, &y.kind),
                    (x, y) => prop_assert!(false, "{name}: {x:?} became {y:?}\n{formatted}"),
                }
            }
            Ok(())
        })
        .unwrap();
}

/// The model's text with each cell's formula printed canonically, every other
/// line kept, and each statement on as many lines as before (so that line
/// numbers in messages agree).
fn reprint(model: &Model, text: &str) -> String {
    use premise::syntax::split::{pieces, Piece};
    let mut out = String::new();
    let mut scenario_cells = model
        .scenarios
        .iter()
        .flat_map(|s| s.overrides.iter().map(|o| &o.def))
        .collect::<Vec<_>>()
        .into_iter();
    let mut in_scenario = false;
    for piece in pieces(text) {
        match piece {
            Piece::Trivia(t) => {
                out.push_str(t.text);
                out.push('\n');
            }
            Piece::Statement(s) => {
                let line = match premise::syntax::parse_statement(s.text).unwrap() {
                    premise::syntax::Statement::Cell(c) => {
                        let def = if in_scenario {
                            scenario_cells.next().unwrap()
                        } else {
                            model.definition(model.defined(&c.name).unwrap()).unwrap()
                        };
                        let indent = &s.text[..s.text.len() - s.text.trim_start().len()];
                        format!("{indent}{} = {}", c.name, def.written())
                    }
                    premise::syntax::Statement::ScenarioOpen { name, closed, .. } => match closed {
                        Some(Some(c)) => {
                            let def = scenario_cells.next().unwrap();
                            format!(
                                "scenario {name} {{ {} = {} }}",
                                c.name,
                                formula_text(&def.expr)
                            )
                        }
                        Some(None) => format!("scenario {name} {{ }}"),
                        None => {
                            in_scenario = true;
                            format!("scenario {name} {{")
                        }
                    },
                    premise::syntax::Statement::BlockClose => {
                        in_scenario = false;
                        "}".to_string()
                    }
                    // The generated models have no axes.
                    premise::syntax::Statement::Axis { .. } => s.text.to_string(),
                    // The generated models have no imports, assertions or units.
                    premise::syntax::Statement::Import(_)
                    | premise::syntax::Statement::Assert(_)
                    | premise::syntax::Statement::Unit(_) => s.text.to_string(),
                };
                out.push_str(&line);
                out.push_str(&"\n".repeat(s.lines as usize));
            }
        }
    }
    out
}
