//! A broken invariant of premise (here: a cell id used with a model it does
//! not belong to) is said as `internal error: ...`, never papered over with
//! a made-up name or value.

use premise::eval::{CellError, Computed, EvalError, Point, Scope};
use premise::syntax::Span;
use premise::{Model, Workbook};

/// A one-cell model, and a bigger one whose `z` has an id the small one lacks.
fn two_models() -> (Model, Model) {
    let small = Model::parse("small.model", "a = 1\n".into()).unwrap();
    let big = Model::parse("big.model", "x = 1\ny = 2\nz = y * 2\n".into()).unwrap();
    (small, big)
}

#[test]
fn the_name_of_a_cell_of_another_model_is_an_internal_error() {
    let (small, big) = two_models();
    let z = big.defined("z").unwrap();
    let error = small.name(z).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "internal error: cell id {} is not a cell of this model",
            z.0
        )
    );
}

#[test]
fn a_formula_of_another_model_fails_as_an_internal_error() {
    let (small, big) = two_models();
    let book = Workbook::new(small);
    let z = big.defined("z").unwrap();
    let formula = &big.definition(z).unwrap().expr;
    let point = Point::default();
    let scope = Scope::new(book.model(), &[], &point);
    let error = scope.eval(formula).unwrap_err();
    assert!(error.is_internal(), "{error:?}");
    assert!(
        error.message.starts_with("internal error: "),
        "{}",
        error.message
    );
}

#[test]
fn a_cell_reading_an_internal_failure_carries_it_as_it_is() {
    let model = Model::parse("m.model", "a = 1\nb = a + 1\n".into()).unwrap();
    let (a, b) = (model.defined("a").unwrap(), model.defined("b").unwrap());
    let broken = CellError::eval(EvalError::ForeignCell, Span::default());
    let mut values = vec![None; model.len()];
    values[a.index()] = Some(Computed::One(Err(Box::new(broken.clone()))));
    let point = Point::default();
    let scope = Scope::new(&model, &values, &point);
    let error = scope.eval(&model.definition(b).unwrap().expr).unwrap_err();
    // Not "depends on 'a': ...": the failure is premise's, not a's formula's.
    assert_eq!(error.message, broken.message);
    assert!(error.is_internal());
}

#[test]
fn explaining_or_naming_a_path_through_a_foreign_cell_is_an_internal_error() {
    let (small, big) = two_models();
    let z = big.defined("z").unwrap();
    let book = Workbook::new(small);
    let tree = premise::explain::tree(
        &book,
        premise::model::Address::cell(z),
        premise::explain::DEFAULT_DEPTH,
    );
    assert!(tree
        .unwrap_err()
        .to_string()
        .starts_with("internal error: "));
    let a = book.model().defined("a").unwrap();
    let path = premise::graph::path_text(book.model(), &[a, z]);
    assert!(path
        .unwrap_err()
        .to_string()
        .starts_with("internal error: "));
}

#[test]
fn a_workbook_reports_no_internal_error_when_there_is_none() {
    // Cells that fail for the model's reasons are not premise's failures.
    let model = Model::parse("m.model", "a = 1 / 0\nb = a + nope\n".into()).unwrap();
    let book = Workbook::new(model);
    assert!(matches!(book.value_of("a"), Some(Err(_))));
    assert_eq!(book.internal_error(), None);
}
