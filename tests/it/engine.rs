//! The language's semantics through the library: literals, precedence,
//! units, exactness and per-cell errors (docs/language.md).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use premise::display::{format_exact, format_value};
use premise::eval::{ErrorKind, EvalError, Refusal, Verb, Workbook};
use premise::model::{Model, ModelError};
use premise::value::Unit;
use premise::value::Value;

pub(crate) fn book(src: &str) -> Workbook {
    match Model::parse("t.model", src.to_string()) {
        Ok(m) => Workbook::new(m),
        Err(e) => panic!("{src:?} does not load: {e:?}"),
    }
}

/// `x = EXPR`, evaluated: exact value and canonical unit, or the error message.
pub(crate) fn eval(expr: &str) -> String {
    value_of_x(&format!("x = {expr}\n"))
}

/// Cell `x` of a model, evaluated: exact value and canonical unit, or the error message.
pub(crate) fn value_of_x(src: &str) -> String {
    let b = book(src);
    match b.value_of("x").unwrap() {
        Ok(v @ Value::Number { unit, .. }) if !unit.is_dimensionless() => {
            format!("{} {unit}", format_exact(v))
        }
        Ok(v) => format_exact(v),
        Err(e) => format!("error: {e}"),
    }
}

/// `x = EXPR`, evaluated: the kind of its error (it must fail).
fn error_kind(expr: &str) -> ErrorKind {
    let b = book(&format!("x = {expr}\n"));
    match b.value_of("x").unwrap() {
        Err(e) => e.kind.clone(),
        Ok(v) => panic!("{expr} should fail, got {v:?}"),
    }
}

pub(crate) fn shown(src: &str, cell: &str) -> String {
    let b = book(src);
    let id = b.model().defined(cell).unwrap();
    let percent = b.model().definition(id).unwrap().percent;
    format_value(b.value(id).unwrap().as_ref().unwrap(), percent)
}

fn parse_error(src: &str) -> String {
    match Model::parse("t.model", src.to_string()) {
        Ok(_) => panic!("{src:?} should not parse"),
        Err(premise::model::LoadError::Invalid { errors, .. }) => errors[0].to_string(),
        Err(e) => panic!("unexpected {e:?}"),
    }
}

#[test]
fn literals() {
    let table = [
        ("1_000", "1000"),
        ("2.5E6", "2500000"),
        ("1e-3", "0.001"),
        ("$1.5B", "1500000000 USD"),
        ("50%", "0.5"),
        ("-$3M", "-3000000 USD"),
        ("1.5K", "1500"),
        ("2T", "2000000000000"),
        ("700 [W]", "700 W"),
        ("0.08 [USD/kWh]", "0.08 USD/kWh"),
        ("3 [GPU*h]", "3 GPU*h"),
        ("9.81 [m/s^2]", "9.81 m/s^2"),
        ("$2 [/GPU]", "2 USD/GPU"),
        ("1 [1/GPU]", "1 1/GPU"),
        ("2 [h*GPU]", "2 GPU*h"),
        ("true", "true"),
    ];
    for (lit, want) in table {
        assert_eq!(eval(lit), want, "literal {lit}");
    }
}

#[test]
fn precedence() {
    let table = [
        ("-2^2", "-4"),
        ("2^3^2", "512"),
        ("1 + 2 * 3", "7"),
        ("(1 + 2) * 3", "9"),
        ("2 - 1 - 1", "0"),
        ("8 / 4 / 2", "1"),
        ("2 * -3", "-6"),
        ("2 ^ -1", "0.5"),
        ("-(2 ^ 2) + 5", "1"),
        ("not true or true", "true"),
        ("not (true or true)", "false"),
        ("not 1 > 2", "true"),
        ("true or false and false", "true"),
        ("1 + 1 == 2", "true"),
        ("if 1 < 2 then 10 else 20 + 1", "10"),
        ("if 1 > 2 then 10 else 20 + 1", "21"),
        ("1 + (if true then 1 else 0)", "2"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
}

#[test]
fn comparisons_do_not_chain() {
    assert!(parse_error("x = 1 < 2 < 3\n").contains("comparisons cannot be chained"));
    assert_eq!(eval("(1 < 2) == true"), "true");
}

#[test]
fn exactness() {
    assert_eq!(eval("0.1 + 0.2 == 0.3"), "true");
    assert_eq!(eval("0.1 + 0.2"), "0.3");
    assert_eq!(eval("1 / 3 * 3"), "0.9999999999999999999999999999");
    assert_eq!(eval("1 / 3"), "0.3333333333333333333333333333");
    assert_eq!(eval("2 ^ 64"), "18446744073709551616");
    assert_eq!(eval("1.1 ^ 2"), "1.21");
    assert_eq!(eval("$50B / 50%"), "100000000000 USD");
}

#[test]
fn functions() {
    let table = [
        ("sum(1, 2, 3)", "6"),
        ("SUM(1, 2)", "3"),
        ("min(3, 1, 2)", "1"),
        ("max($3, $1)", "3 USD"),
        ("avg(1, 2)", "1.5"),
        ("count(1, 2, 3)", "3"),
        ("abs(-2 [W])", "2 W"),
        ("round(2.5)", "3"),
        ("round(-2.5)", "-3"),
        ("round(2.345, 2)", "2.35"),
        ("round(1234, -2)", "1200"),
        ("floor(-1.5)", "-2"),
        ("ceil(1.2)", "2"),
        ("sqrt(16)", "4"),
        ("sqrt(4 [m^2])", "2 m"),
        ("clamp(5, 1, 3)", "3"),
        ("exp(0)", "1"),
        ("ln(1)", "0"),
    ];
    for (expr, want) in table {
        assert_eq!(eval(expr), want, "{expr}");
    }
    assert_eq!(eval("sqrt(2)"), "1.4142135623730950488016887242");
    assert_eq!(eval("ln(2)"), "0.6931471805599453094172321215");
    assert_eq!(eval("exp(1)"), "2.7182818284590452353602874714");
}

#[test]
fn groups_sum_members_in_file_order() {
    let src = "r.a = $10B\nr.b = $5B\nr.sub.c = $1B\nt = sum(r.*)\nn = count(r.*)\nm = max(r.*)\n";
    assert_eq!(shown(src, "t"), "$16B");
    assert_eq!(shown(src, "n"), "3");
    assert_eq!(shown(src, "m"), "$10B");
}

#[test]
fn unit_rules() {
    // + - and comparisons need the same unit
    assert_eq!(eval("$1 + 1 [W]"), "error: cannot add [USD] and [W]");
    assert_eq!(
        eval("$1 - 1"),
        "error: cannot subtract [USD] and a plain number"
    );
    assert_eq!(eval("$1 < 2 [W]"), "error: cannot compare [USD] and [W]");
    assert_eq!(
        eval("min($1, 1 [W])"),
        "error: cannot compare [USD] and [W]"
    );
    assert_eq!(eval("sum($1, 1 [W])"), "error: cannot add [USD] and [W]");
    assert_eq!(
        eval("clamp($1, 0, 2)"),
        "error: cannot compare [USD] and a plain number"
    );
    // * and / combine
    assert_eq!(eval("700 [W] * 3 [h]"), "2100 W*h");
    assert_eq!(eval("$10 / 2 [GPU]"), "5 USD/GPU");
    assert_eq!(eval("2 [GPU] * $5 [/GPU]"), "10 USD");
    // ^ needs a plain exponent, an integer one when the base has a unit
    assert_eq!(eval("(2 [m]) ^ 2"), "4 m^2");
    assert_eq!(
        eval("2 ^ 1 [W]"),
        "error: an exponent must be a plain number, not [W]"
    );
    assert_eq!(
        eval("4 [m] ^ 0.5"),
        "error: a value in [m] can only be raised to a whole power, not 0.5"
    );
    // ln and exp need plain numbers
    assert_eq!(
        eval("ln(2 [W])"),
        "error: ln() needs a plain number, not [W]"
    );
    // if has the unit of the branch it chose
    assert_eq!(eval("if true then $1 else 2 [W]"), "1 USD");
    assert_eq!(eval("if false then $1 else 2 [W]"), "2 W");
}

#[test]
fn errors_are_per_cell_and_propagate() {
    let b = book("a = 1 / 0\nb = a + 1\nc = b * 2\nd = 5\n");
    let msg = |n: &str| {
        b.value_of(n)
            .unwrap()
            .as_ref()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(msg("a"), "division by zero");
    assert_eq!(msg("b"), "depends on 'a': division by zero");
    assert_eq!(msg("c"), "depends on 'b': division by zero (in 'a')");
    assert!(b.value_of("d").unwrap().is_ok());
}

#[test]
fn only_the_chosen_branch_is_evaluated() {
    assert_eq!(eval("if true then 1 else 1 / 0"), "1");
    assert_eq!(eval("false and 1 / 0 > 0"), "false");
    assert_eq!(eval("true or 1 / 0 > 0"), "true");
    let b = book("bad = 1 / 0\nok = if false then bad else 2\n");
    assert!(b.value_of("ok").unwrap().is_ok());
}

#[test]
fn overflow_is_an_error_not_a_panic() {
    let overflow = ErrorKind::Eval(EvalError::Overflow);
    assert_eq!(error_kind("79228162514264337593543950335 + 1"), overflow);
    assert_eq!(error_kind("10 ^ 30"), overflow);
    assert_eq!(error_kind("2 ^ 2 ^ 2 ^ 2 ^ 2 ^ 2"), overflow);
    assert_eq!(eval("sqrt(-1)"), "error: square root of a negative number");
}

#[test]
fn failures_have_kinds() {
    assert_eq!(
        error_kind("1 / 0"),
        ErrorKind::Eval(EvalError::DivisionByZero)
    );
    assert_eq!(
        error_kind("$1 + 1 [W]"),
        ErrorKind::Eval(EvalError::UnitMismatch {
            verb: Verb::Add,
            left: Unit::usd(),
            right: Unit::named("W"),
        })
    );
    assert!(matches!(
        error_kind("true * 2"),
        ErrorKind::Eval(EvalError::Type {
            expected: "a number",
            ..
        })
    ));
    assert!(matches!(
        error_kind("ln(-1)"),
        ErrorKind::Eval(EvalError::Domain(_))
    ));
    assert!(matches!(
        error_kind("2 ^ 1 [W]"),
        ErrorKind::Eval(EvalError::Unit(_))
    ));
    assert_eq!(error_kind("nope"), ErrorKind::UnknownName);
    assert_eq!(error_kind("x + 1"), ErrorKind::Cycle);
}

#[test]
fn cycles_fail_only_their_cells() {
    let b = book("a = b + 1\nb = c + 1\nc = a + 1\nd = a * 2\ne = 5\n");
    let msg = |n: &str| {
        b.value_of(n)
            .unwrap()
            .as_ref()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert_eq!(msg("a"), "cycle: a -> b -> c -> a (lines 1, 2, 3)");
    assert_eq!(msg("b"), "cycle: b -> c -> a -> b (lines 2, 3, 1)");
    let a = b.model().defined("a").unwrap();
    assert_eq!(
        b.value_of("d").unwrap().as_ref().err().unwrap().kind,
        ErrorKind::Dependency { on: a, root: a }
    );
    assert!(b.value_of("e").unwrap().is_ok());
    let selfish = book("x = x + 1\n");
    assert_eq!(
        selfish
            .value_of("x")
            .unwrap()
            .as_ref()
            .err()
            .unwrap()
            .to_string(),
        "cycle: x -> x (line 1)"
    );
}

#[test]
fn unknown_names_suggest() {
    let b = book("gpu_spend = $50B\nenergy = gpu_spen * 1\n");
    assert_eq!(
        b.value_of("energy")
            .unwrap()
            .as_ref()
            .err()
            .unwrap()
            .to_string(),
        "unknown name 'gpu_spen' (did you mean 'gpu_spend'?)"
    );
}

#[test]
fn order_is_free() {
    assert_eq!(shown("b = a * 2\na = $1M\n", "b"), "$2M");
}

#[test]
fn display() {
    assert_eq!(shown("x = $200B\n", "x"), "$200B");
    assert_eq!(shown("x = $500B / 3\n", "x"), "$166.67B");
    assert_eq!(shown("x = 50%\n", "x"), "50%");
    assert_eq!(shown("x = 3 / 8 as %\n", "x"), "37.5%");
    assert_eq!(shown("x = 700 [W]\n", "x"), "700 W");
    assert_eq!(shown("x = 1500 [GPU]\n", "x"), "1500 GPU");
    assert_eq!(shown("x = 2048 [GPU]\n", "x"), "2048 GPU");
    assert_eq!(shown("x = 365 * 24 [h]\n", "x"), "8760 h");
    assert_eq!(shown("x = 62.72M [GPU]\n", "x"), "62.72M GPU");
    assert_eq!(shown("x = 999999.999 [USD]\n", "x"), "$1M");
    assert_eq!(shown("x = 1.0001\n", "x"), "1.0001");
    assert_eq!(shown("x = 1500000\n", "x"), "1.5M");
    assert_eq!(shown("x = $0.08 [/kWh]\n", "x"), "$0.08/kWh");
    assert_eq!(shown("x = 0.5\n", "x"), "0.5");
}

#[test]
fn scenarios_override_cells() {
    let src = "margin = 50%\nneed = $100B / margin\nscenario bear {\n  margin = 40%\n}\nscenario bull { margin = 60% }\n";
    let model = Model::parse("t.model", src.to_string()).unwrap();
    let bear = Workbook::new(model.with_scenario("bear").unwrap());
    let id = bear.model().defined("need").unwrap();
    assert_eq!(
        format_value(bear.value(id).unwrap().as_ref().unwrap(), false),
        "$250B"
    );
    let bull = Workbook::new(model.with_scenario("bull").unwrap());
    assert_eq!(
        format_value(bull.value_of("margin").unwrap().as_ref().unwrap(), true),
        "60%"
    );
    assert!(model.with_scenario("nope").is_none());
}

#[test]
fn parse_errors_speak_the_analysts_words() {
    const CONTINUE: &str = "a formula continues on the next line only while a parenthesis is open";
    // (source, message, help)
    let cases = [
        ("x = \n", "expected a value (a number, a cell name or '('), found the end of the line", CONTINUE),
        ("x = 1 +\n", "expected a value (a number, a cell name or '('), found the end of the line", CONTINUE),
        ("x = 1\n  2\n", "expected a cell definition such as 'x = 1', found '2'", ""),
        ("x = (1 + 2\n", "this '(' is never closed", "add the matching ')'"),
        ("x = 1 )\n", "unmatched ')'", "remove it, or add the '(' it closes"),
        ("x = summ(1)\n", "unknown function 'summ'", "did you mean 'sum'?"),
        ("x = round(1, 2, 3)\n", "round() takes 1 to 2 arguments, not 3", ""),
        ("x = 5 apples\n", "expected an operator or the end of the statement, found 'apples'", "a unit goes in brackets after a number: [apples]"),
        ("if = 1\n", "'if' is a keyword, not a name", "keywords (if then else and or not true false scenario as axis import unit to assert) cannot be names"),
        ("x = abs(r.*)\n", "abs() does not take a group", "groups go to sum, min, max, avg and count"),
        ("a = 1\na = 2\n", "'a' is defined twice (lines 1 and 2)", "each name is defined once per file; rename one, or remove one"),
        ("}\n", "'}' without a scenario or an import to close", ""),
        ("a = 1\nscenario s {\n", "scenario 's' is never closed", "add a line with '}' after its overrides"),
        ("a = 1\nscenario s {\n  b = 2\n}\n", "scenario 's' overrides 'b', which is not a cell of the model", ""),
        ("a = 1\nscenario s {\n  aa = 2\n}\n", "scenario 's' overrides 'aa', which is not a cell of the model", "did you mean 'a'?"),
        ("m\u{202e} = 1\n", "expected '=', found a bidirectional control character (U+202E)", ""),
        ("x = 1e999999999\n", "number too large: premise's exact decimals hold up to about 7.9e28", ""),
    ];
    for (src, message, help) in cases {
        let Err(premise::model::LoadError::Invalid { errors, .. }) =
            Model::parse("t.model", src.to_string())
        else {
            panic!("{src:?} should not load");
        };
        let shown = errors[0].diagnostic();
        assert_eq!(shown.message, message, "{src:?}");
        assert_eq!(shown.help.unwrap_or_default(), help, "{src:?}");
    }
    let kinds = |src: &str| match Model::parse("t.model", src.to_string()) {
        Err(premise::model::LoadError::Invalid { errors, .. }) => errors,
        other => panic!("{src:?} should not load: {other:?}"),
    };
    assert!(matches!(
        kinds("a = 1\na = 2\n")[0],
        ModelError::DefinedTwice {
            first_line: 1,
            line: 2,
            ..
        }
    ));
    assert!(matches!(
        &kinds("a = 1\nscenario s {\n  aa = 2\n}\n")[0],
        ModelError::UnknownOverride { suggestion: Some(s), .. } if s == "a"
    ));
    assert!(matches!(kinds("x = (1 +\n")[0], ModelError::Syntax(_)));
    let Err(premise::model::LoadError::Invalid { errors, .. }) =
        Model::parse("t", "x = 1\ny = \nz = 1 )\n".to_string())
    else {
        panic!("should not load");
    };
    assert_eq!(errors.len(), 2, "every bad statement is reported");
}

fn def(src: &str) -> premise::model::Definition {
    premise::model::Definition::parse(src).unwrap()
}

/// After a redefinition, the incremental values equal a full recalculation.
fn assert_matches_full(b: &Workbook) {
    let full = Workbook::new(b.model().clone());
    for &id in b.model().cells_in_order() {
        assert_eq!(
            b.value(id),
            full.value(id),
            "cell {}",
            b.model().name(id).unwrap()
        );
    }
}

#[test]
fn redefinition_recomputes_dependents_and_reports_changes_in_order() {
    let mut b =
        book("margin = 50%\ndc = $100B\nneed = dc / margin\ngap = need - $75B\nother = 5\n");
    let changes = b.redefine("margin", def("40%")).unwrap();
    let names: Vec<&str> = changes
        .iter()
        .map(|c| b.model().name(c.cell).unwrap())
        .collect();
    assert_eq!(names, ["margin", "need", "gap"]);
    assert_eq!(
        format_value(changes[2].new.one().unwrap().as_ref().unwrap(), false),
        "$175B"
    );
    assert_matches_full(&b);
    // nothing moves: nothing reported
    assert!(b.redefine("margin", def("0.4")).unwrap().is_empty());
    // a new cell
    let changes = b.redefine("tax", def("20%")).unwrap();
    assert_eq!(changes.len(), 1);
    assert!(changes[0].old.is_none());
}

#[test]
fn redefinitions_that_would_break_the_model_are_refused() {
    let mut b = book("a = 1\nb = a + 1\nc = b + 1\n");
    let before: Vec<_> = b
        .model()
        .cells_in_order()
        .iter()
        .map(|&id| b.value(id).cloned())
        .collect();
    let refusal = b.redefine("a", def("c + 1")).unwrap_err();
    assert_eq!(refusal, Refusal::Cycle("a -> c -> b -> a".to_string()));
    assert_eq!(
        refusal.to_string(),
        "that would make a cycle: a -> c -> b -> a"
    );
    assert_eq!(
        b.redefine("a", def("a + 1")).unwrap_err().to_string(),
        "that would make a cycle: a -> a"
    );
    let unknown = b.redefine("a", def("bb + 1")).unwrap_err();
    assert!(matches!(&unknown, Refusal::UnknownName(u) if u.suggestion.as_deref() == Some("b")));
    assert_eq!(unknown.to_string(), "unknown name 'bb' (did you mean 'b'?)");
    let after: Vec<_> = b
        .model()
        .cells_in_order()
        .iter()
        .map(|&id| b.value(id).cloned())
        .collect();
    assert_eq!(before, after);
    assert_eq!(
        premise::syntax::formula_text(
            &b.model()
                .definition(b.model().defined("a").unwrap())
                .unwrap()
                .expr
        ),
        "1"
    );
}

#[test]
fn group_sums_update_by_difference_and_match_a_full_sum() {
    let mut src = String::new();
    for i in 1..=200 {
        src.push_str(&format!("a.c{i} = {i}.5\n"));
    }
    src.push_str("total = sum(a.*)\nmean = avg(a.*)\ntwice = total * 2\n");
    let mut b = book(&src);
    b.redefine("a.c7", def("1000.25")).unwrap();
    assert_eq!(
        format_exact(b.value_of("total").unwrap().as_ref().unwrap()),
        "21192.75"
    );
    assert_matches_full(&b);
    b.redefine("a.c8", def("1 / 0")).unwrap();
    assert!(b.value_of("total").unwrap().is_err());
    b.redefine("a.c8", def("8")).unwrap();
    assert_matches_full(&b);
    b.redefine("a.c201", def("1")).unwrap(); // a new member joins the group
    assert_matches_full(&b);
    assert_eq!(
        format_exact(b.value_of("total").unwrap().as_ref().unwrap()),
        "21193.25"
    );
}

#[test]
fn defining_a_missing_name_brings_its_readers_to_life() {
    let mut b = book("x = y * 2\n");
    assert!(b.value_of("x").unwrap().is_err());
    b.redefine("y", def("21")).unwrap();
    assert_eq!(
        format_exact(b.value_of("x").unwrap().as_ref().unwrap()),
        "42"
    );
}

#[test]
fn breaking_a_file_cycle_revives_its_cells() {
    let mut b = book("a = b + 1\nb = a + 1\nc = a * 2\n");
    assert!(b.value_of("c").unwrap().is_err());
    b.redefine("b", def("1")).unwrap();
    assert_eq!(
        format_exact(b.value_of("c").unwrap().as_ref().unwrap()),
        "4"
    );
    assert_matches_full(&b);
}

/// Aggregates fold their values as they read them; the error they report is
/// still the one of reading every argument first: a cell that cannot be read
/// wins over a unit or type mismatch before it, and the first mismatch wins
/// over later ones.
#[test]
fn aggregate_errors_come_in_reading_order() {
    let message = |src: &str| match book(src).value_of("s").unwrap() {
        Ok(v) => format_exact(v),
        Err(e) => e.to_string(),
    };
    let src = "a = 1 [W]\nb = 2 [m]\nc = 1 / 0\n";
    assert_eq!(
        message(&format!("{src}s = sum(a, b, c)\n")),
        "depends on 'c': division by zero"
    );
    assert_eq!(
        message(&format!("{src}s = max(a, b, true)\n")),
        "cannot compare [W] and [m]"
    );
    assert_eq!(
        message(&format!("{src}s = avg(a, true, b)\n")),
        "avg() needs a number, found the boolean true"
    );
    assert_eq!(message(&format!("{src}s = count(a, b, true)\n")), "3");
    assert_eq!(
        message(&format!("{src}s = count(a, c)\n")),
        "depends on 'c': division by zero"
    );
    assert_eq!(message("g.a = 2\ng.b = 4\ns = avg(g.*)\n"), "3");
    assert_eq!(message("g.a = 2\ng.b = 4\ns = min(g.*, 3)\n"), "2");
}

/// A formula shows its literals as they were written, whatever the value
/// they hold (`1.50` holds 1.5): the formula column, explain and diff show
/// the analyst's own text.
#[test]
fn literals_keep_their_spelling() {
    for written in [
        "1.50", "2.0", "0.0", "007", "10", "0.9999", "1_000", "2.5e3", "5K", "$1.5B", "50%",
        "700 [W]",
    ] {
        let b = book(&format!("x = {written}\n"));
        let id = b.model().defined("x").unwrap();
        let text = premise::syntax::formula_text(&b.model().definition(id).unwrap().expr);
        assert_eq!(text, written);
    }
}

/// A dotted name may start with a keyword where the grammar can still read it
/// as a name: `if.x` and `then.y` are references (an `if` needs its `then`),
/// while `true.x` and `not.x` read the keyword first and are refused.
#[test]
fn names_that_start_with_a_keyword() {
    let b = book("if.x = 1\nthen.y = 2\nz = if.x + then.y\nw = sum(if.x, 3)\n");
    let value = |name: &str| format_exact(b.value_of(name).unwrap().as_ref().unwrap());
    assert_eq!(value("z"), "3");
    assert_eq!(value("w"), "4");
    let after_value = "expected an operator or the end of the statement, found '.x'";
    let after_not = "expected a value (a number, a cell name or '('), found '.x'";
    for (refused, message) in [
        ("y = true.x\n", after_value),
        ("y = false.x + 1\n", after_value),
        ("y = not.x\n", after_not),
    ] {
        let src = format!("true.x = 1\nnot.x = 2\nfalse.x = 3\n{refused}");
        assert_eq!(parse_error(&src), message, "{refused}");
    }
}
