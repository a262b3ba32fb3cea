//! The whole engine on one model text, with the invariants every input must
//! keep. Shared by the fuzz targets (`fuzz/`) and the randomised tests of
//! `cargo test` (`tests/it/randomised.rs`), so that both check the same things.
//!
//! A broken invariant panics (that is what a fuzzer catches); a model that is
//! merely wrong (parse errors, failing cells) is a normal outcome.

use std::str::FromStr;

use rust_decimal::Decimal;

use premise::diagnostic::{render, Diagnostic};
use premise::display::{format_exact, format_value};
use premise::eval::Workbook;
use premise::explain;
use premise::model::{Definition, LoadError, Model};
use premise::syntax::ast::Name;
use premise::syntax::{formula_text, parse_expression, CellId, Span};
use premise::value::Value;

/// The file name diagnostics are rendered with.
pub const PATH: &str = "fuzz.model";

/// What became of one model text.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It did not parse: the 1-based line and column of the first error, as
    /// computed here independently of the engine.
    ParseError { line: usize, column: usize },
    /// It loaded: how many cells, and how many of them failed.
    Loaded { cells: usize, failed: usize },
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, source[line_start..offset].chars().count() + 1)
}

fn check_span(source: &str, span: Span, what: &str) {
    assert!(
        span.start() <= span.end() && span.end() <= source.len(),
        "{what}: span {span:?} outside a text of {} bytes",
        source.len()
    );
    assert!(
        source.is_char_boundary(span.start()) && source.is_char_boundary(span.end()),
        "{what}: span {span:?} splits a character"
    );
}

/// Words that would mean an internal grammar name leaked into a message.
const INTERNAL: [&str; 6] = [
    "internal error",
    "Rule::",
    "EOI",
    "cell_def",
    "unit_body",
    "expression_input",
];

fn check_message(message: &str, what: &str) {
    assert!(!message.trim().is_empty(), "{what}: empty message");
    for word in INTERNAL {
        assert!(
            !message.contains(word),
            "{what}: message shows internals: {message}"
        );
    }
}

/// Runs parse → check → evaluate → explain → display → reprint → fmt on `source`.
pub fn run(source: &str) -> Outcome {
    let model = match Model::parse(PATH, source.to_string()) {
        Ok(model) => model,
        Err(LoadError::Invalid { model, errors }) => {
            assert!(!errors.is_empty(), "an invalid model names its errors");
            assert_eq!(model.source, source);
            let diagnostics: Vec<Diagnostic> = errors.iter().map(|e| e.diagnostic()).collect();
            for d in &diagnostics {
                check_span(source, d.span, &d.message);
                check_message(&d.message, "parse error");
                for (span, _) in &d.related {
                    check_span(source, *span, "related span");
                }
            }
            let text = render(
                &premise::source::OneText {
                    path: PATH,
                    text: source,
                },
                &diagnostics,
                false,
            );
            let (line, column) = line_col(source, errors[0].span().start());
            let place = format!("{PATH}:{line}:{column}");
            assert!(
                text.contains(&place),
                "the diagnostic names {place}:\n{text}"
            );
            return Outcome::ParseError { line, column };
        }
        Err(other) => panic!("Model::parse cannot fail with {other:?}"),
    };
    for &id in model.cells_in_order() {
        let def = model.definition(id).expect("cells in order are defined");
        check_span(source, def.span, "definition");
        assert!(def.line >= 1, "a cell from the file has a line");
    }
    let book = Workbook::new(model.clone());
    let mut failed = 0;
    for &id in model.cells_in_order() {
        let result = book
            .value(id)
            .unwrap_or_else(|| panic!("cell {} was not computed", model.name(id).unwrap()));
        let percent = model.definition(id).is_some_and(|d| d.percent);
        match result {
            Ok(v) => check_value(v, percent),
            Err(e) => {
                failed += 1;
                check_message(&e.message, "cell error");
                if let Some(span) = e.span {
                    check_span(source, span, &e.message);
                }
            }
        }
    }
    check_graph(&book);
    check_explain(&book);
    check_targeted(&model, &book);
    check_reprint(&book);
    check_scenarios(&model);
    check_redefinition(&book);
    check_fmt(source, &book);
    Outcome::Loaded {
        cells: model.cells_in_order().len(),
        failed,
    }
}

/// Display never panics, never uses exponents, and `--exact` reads back as the value.
fn check_value(v: &Value, percent: bool) {
    let shown = format_value(v, percent);
    assert!(!shown.is_empty());
    let exact = format_exact(v);
    if let Value::Number { amount, unit } = v {
        let back = Decimal::from_str(&exact)
            .unwrap_or_else(|e| panic!("--exact {exact:?} is not a decimal: {e}"));
        assert_eq!(back, *amount, "--exact {exact} reads back");
        assert!(!exact.contains(['e', 'E']), "no exponent in {exact}");
        if unit.is_dimensionless() {
            assert!(!shown.contains(['e', 'E']), "no exponent in {shown}");
        }
        assert_eq!(
            shown.starts_with('-'),
            amount.is_sign_negative() && !amount.is_zero() && shown != "-0",
            "the sign of {amount} shows in {shown}"
        );
    }
}

fn check_graph(book: &Workbook) {
    let model = book.model();
    let graph = book.graph();
    for cycle in graph.cycles() {
        assert!(cycle.path.len() >= 2, "a cycle has a path");
        assert_eq!(cycle.path.first(), cycle.path.last(), "a cycle closes");
        let first = cycle.path[0];
        let text = cycle.describe(model, first).unwrap();
        assert!(text.contains(" -> "), "{text}");
    }
    let position = |c: CellId| graph.position(c);
    for &id in graph.order() {
        if graph.cycle_of(id).is_some() {
            continue;
        }
        for r in graph.reads(id) {
            assert!(
                position(r) < position(id),
                "{} is computed before {}, which it reads",
                model.name(id).unwrap(),
                model.name(r).unwrap()
            );
        }
    }
}

fn check_explain(book: &Workbook) {
    let model = book.model();
    for &id in model.cells_in_order().iter().take(6) {
        let lines = explain::tree(
            book,
            premise::model::Address::cell(id),
            explain::DEFAULT_DEPTH,
        )
        .unwrap();
        let name = model.name(id).unwrap();
        assert!(
            lines.iter().any(|l| l.starts_with(name)),
            "the tree of {name} starts with it: {lines:?}"
        );
    }
}

/// Evaluating only what a cell needs gives the value a full evaluation gives.
fn check_targeted(model: &Model, book: &Workbook) {
    for &id in model.cells_in_order().iter().rev().take(3) {
        let only = Workbook::new_for(model.clone(), &[id]);
        assert_eq!(
            only.value(id),
            book.value(id),
            "cell {} alone",
            model.name(id).unwrap()
        );
    }
}

/// Each formula prints to text that parses back to the same formula and value
/// (what `fmt` relies on), and printing is idempotent.
fn check_reprint(book: &Workbook) {
    let model = book.model();
    for &id in model.cells_in_order() {
        let def = model.definition(id).expect("defined");
        let text = formula_text(&def.expr);
        let (expr, _) = parse_expression(&text)
            .unwrap_or_else(|e| panic!("the printed formula {text:?} does not parse: {e}"));
        assert_eq!(formula_text(&expr), text, "printing is idempotent");
        // A query refuses unknown names up front, even in a branch not taken;
        // a cell fails only if it reads one. Compare where they agree to.
        let mut all_known = true;
        expr.visit_names(|n| {
            if let Name::Cell(r) = n {
                all_known &= model.defined(r.name).is_some();
            }
        });
        if let (true, Some(Ok(v))) = (all_known, book.value(id)) {
            let again = book.evaluate(&expr);
            assert_eq!(
                again.one().and_then(|r| r.as_ref().ok()),
                Some(v),
                "{text} evaluates again"
            );
        }
    }
}

fn check_scenarios(model: &Model) {
    for name in model.scenario_names() {
        let m = model
            .with_scenario(name)
            .unwrap_or_else(|| panic!("scenario {name} exists"));
        let book = Workbook::new(m);
        for &id in book.model().cells_in_order() {
            assert!(book.value(id).is_some(), "scenario {name} computes all");
        }
    }
}

fn literal_definition(text: &str) -> Definition {
    Definition::parse(text).expect("a literal parses")
}

/// Changing an input recomputes incrementally to exactly what a fresh
/// evaluation gives; a redefinition that would close a cycle changes nothing.
fn check_redefinition(book: &Workbook) {
    let model = book.model();
    let Some(input) = model.inputs().next() else {
        return;
    };
    let name = model.name(input).unwrap().to_string();
    let mut b = book.clone();
    if b.redefine(&name, literal_definition("7")).is_ok() {
        assert_matches_full(&b, "after redefining an input");
    }
    // Reading any cell that depends on the input would close a cycle.
    let reader = b
        .graph()
        .dependents(input)
        .into_iter()
        .find(|&c| c != input && b.model().definition(c).is_some());
    if let Some(reader) = reader {
        let before: Vec<_> = b
            .model()
            .cells_in_order()
            .iter()
            .map(|&c| b.value(c).cloned())
            .collect();
        let text = format!("{} + 1", b.model().name(reader).unwrap());
        if parse_expression(&text).is_ok() {
            let refused = b.redefine(&name, literal_definition(&text));
            assert!(refused.is_err(), "{name} = {text} closes a cycle");
            let after: Vec<_> = b
                .model()
                .cells_in_order()
                .iter()
                .map(|&c| b.value(c).cloned())
                .collect();
            assert_eq!(before, after, "a refused redefinition changes nothing");
        }
    }
}

fn assert_matches_full(b: &Workbook, when: &str) {
    let full = Workbook::new(b.model().clone());
    for &id in b.model().cells_in_order() {
        assert_eq!(
            b.value(id),
            full.value(id),
            "{when}: cell {} incremental vs full",
            b.model().name(id).unwrap()
        );
    }
}

/// `fmt` is idempotent, and the formatted model evaluates the same: every
/// cell keeps its value, or fails too (messages may name other lines).
fn check_fmt(source: &str, book: &Workbook) {
    let formatted = premise::fmt::format_source(source)
        .unwrap_or_else(|e| panic!("a model that loads formats: {e:?}"));
    assert_eq!(
        premise::fmt::format_source(&formatted).ok().as_deref(),
        Some(formatted.as_str()),
        "fmt is idempotent"
    );
    let model = Model::parse(PATH, formatted.clone())
        .unwrap_or_else(|e| panic!("the formatted model loads: {e:?}\n{formatted}"));
    let again = Workbook::new(model);
    for &id in book.model().cells_in_order() {
        let name = book.model().name(id).unwrap();
        let other = again
            .model()
            .defined(name)
            .unwrap_or_else(|| panic!("{name} is still defined after fmt"));
        match (book.value(id), again.value(other)) {
            (Some(Ok(a)), Some(Ok(b))) => assert_eq!(a, b, "{name} after fmt"),
            (Some(Err(a)), Some(Err(b))) => assert_eq!(a.kind, b.kind, "{name} after fmt"),
            (a, b) => panic!("{name} was {a:?}, after fmt {b:?}"),
        }
    }
}
