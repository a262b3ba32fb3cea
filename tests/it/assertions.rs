//! Models that check themselves: `assert CONDITION[, "message"]` in the
//! base and every scenario, through check, eval, get, the REPL and
//! `premise check` on a folder (docs/language.md#assertions).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;
use std::process::Output;

use crate::common::{self, stderr, stdout, BIN};

const MODEL: &str = "\
revenue = 75
cost = 50
gap = revenue - cost
assert gap > 0, \"the gap stays positive\"
assert cost <= 60

scenario squeeze {
  revenue = 40
}
scenario dear {
  cost = 70
}
";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn premise(args: &[&str]) -> Output {
    std::process::Command::new(BIN)
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn check_reports_each_failure_with_its_place_scenario_message_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "m.model", MODEL);
    let out = premise(&["check", &file]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let expected = format!(
        "\
error: in scenario 'squeeze': assertion failed: the gap stays positive
  ┌─ {file}:4:1
  │
4 │ assert gap > 0, \"the gap stays positive\"
  │ ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ gap = -10

error: in scenario 'dear': assertion failed: cost <= 60
  ┌─ {file}:5:1
  │
5 │ assert cost <= 60
  │ ^^^^^^^^^^^^^^^^^ cost = 70

"
    );
    assert_eq!(err, expected);
    assert_eq!(
        stdout(&out),
        format!("{file}: 3 cells, 2 scenarios, 2 assertions: 2 errors\n")
    );
}

#[test]
fn eval_fails_on_an_assertion_but_get_and_listed_cells_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let text = MODEL.replace("cost = 50", "cost = 80");
    let file = write(dir.path(), "m.model", &text);
    let out = premise(&["eval", &file]);
    assert_eq!(out.status.code(), Some(1));
    // The values are all printed; the failure is on stderr.
    assert!(
        stdout(&out).contains("gap      -5  = revenue - cost"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("error: assertion failed: the gap stays positive"),
        "{}",
        stderr(&out)
    );
    let out = premise(&["eval", &file, "gap"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = premise(&["get", &file, "gap"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "-5\n");
    // --set applies to the check too.
    let out = premise(&["eval", &file, "--set", "cost=10"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_condition_that_is_not_true_or_false_or_fails_counts_as_failed() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "m.model",
        "a = 0\nassert 1 / a > 0, \"divides\"\nassert a + 1\nassert nothing > 1\n",
    );
    let out = premise(&["check", &file]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("the condition cannot be evaluated: division by zero (a = 0)"),
        "{err}"
    );
    assert!(
        err.contains("the condition is not true or false: it is 1"),
        "{err}"
    );
    assert!(
        err.contains("the condition cannot be evaluated: unknown name 'nothing'"),
        "{err}"
    );
    assert!(stdout(&out).ends_with("3 errors\n"), "{}", stdout(&out));
}

#[test]
fn an_imported_files_assertions_are_checked_in_each_copy() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "site.model",
        "pue = 1.3\nassert pue >= 1, \"PUE is at least 1\"\n",
    );
    let file = write(
        dir.path(),
        "m.model",
        "import \"site.model\" as ok\nimport \"site.model\" as odd { pue = 0.9 }\nx = ok.pue + odd.pue\n",
    );
    let out = premise(&["check", &file]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error: assertion failed: PUE is at least 1"),
        "{err}"
    );
    assert!(err.contains("site.model:2:1"), "{err}");
    assert!(err.contains("odd.pue = 0.9"), "{err}");
    assert_eq!(err.matches("assertion failed").count(), 1, "{err}");
}

#[test]
fn check_on_a_folder_checks_every_model_in_it() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.model", "a = 1\nassert a == 1\n");
    write(
        dir.path(),
        "sub/bad.model",
        "a = 1\nassert a == 2, \"a is two\"\n",
    );
    write(dir.path(), "notes.txt", "not a model");
    write(dir.path(), ".hidden/skip.model", "a = (\n");
    let out = premise(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(
        lines[0].ends_with("good.model: 1 cell, 0 scenarios, 1 assertion: ok"),
        "{text}"
    );
    assert!(
        lines[1].ends_with("bad.model: 1 cell, 0 scenarios, 1 assertion: 1 error"),
        "{text}"
    );
    assert!(
        lines[2].ends_with(": 2 models checked, 1 with errors"),
        "{text}"
    );
    assert!(
        stderr(&out).contains("assertion failed: a is two"),
        "{}",
        stderr(&out)
    );
    // All good: exit 0.
    std::fs::remove_file(dir.path().join("sub/bad.model")).unwrap();
    let out = premise(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_repl_says_when_a_change_flips_an_assertion() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "m.model", MODEL);
    let (out, err, code) = common::repl_piped(
        &[&file],
        "revenue = 45\nrevenue = 60\n:scenario dear\n:scenario base\n",
    );
    assert_eq!(code, 0, "{err}");
    let flips: Vec<&str> = out.lines().filter(|l| l.starts_with("assertion")).collect();
    let gap = format!("({file}:4): the gap stays positive");
    let cost = format!("({file}:5): cost <= 60");
    assert_eq!(
        flips,
        [
            format!("assertion now fails {gap}; gap = -5"),
            format!("assertion holds again {gap}"),
            format!("assertion now fails {gap}; gap = -10"),
            format!("assertion now fails {cost}; cost = 70"),
            format!("assertion holds again {gap}"),
            format!("assertion holds again {cost}"),
        ]
    );
}
