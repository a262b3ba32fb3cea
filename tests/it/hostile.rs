//! Hostile inputs: each with the message and exit code premise must give
//! (docs/language.md#exit-codes: parse errors exit 1 with file:line:col and a caret; I/O
//! trouble exits 2; evaluation errors are per cell). Inputs are generated in
//! temporary folders; the whole file runs in seconds in a debug build.
//! The million-cell versions live in `tests/it/resource_bounds.rs` (release).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;
use predicates::prelude::*;

/// A folder holding one model file, `m.model`, with `text` in it.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new(text: impl AsRef<[u8]>) -> Case {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("m.model"), text).unwrap();
        Case { dir }
    }

    /// `premise ARGS...` run in the case's folder (so paths in messages are `m.model`).
    fn premise(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        Command::cargo_bin("premise")
            .unwrap()
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .args(args)
            .assert()
    }
}

fn parse_error(text: impl AsRef<[u8]>, place: &str, message: &str) {
    Case::new(text)
        .premise(&["check", "m.model"])
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(format!("error: {message}\n")))
        .stderr(predicate::str::contains(format!("┌─ m.model:{place}\n")))
        .stderr(predicate::str::contains(
            "error: m.model has 1 error; nothing was evaluated\n",
        ));
}

#[test]
fn a_hundred_thousand_nested_parentheses() {
    let text = format!("x = {}1{}\n", "(".repeat(100_000), ")".repeat(100_000));
    parse_error(
        text,
        "1:1",
        "statement nested too deeply (more than 200 levels of parentheses and ifs)",
    );
}

#[test]
fn a_hundred_thousand_unary_minus_signs() {
    // The caret is on the sign that passes the limit, not at the end of the run.
    let text = format!("x = {}1\n", "-".repeat(100_000));
    parse_error(
        text,
        "1:402",
        "formula nested too deeply (more than 400 levels)",
    );
    let text = format!("x = {}1\n", "- ".repeat(100_000));
    parse_error(
        text,
        "1:799",
        "formula nested too deeply (more than 400 levels)",
    );
}

#[test]
fn two_hundred_thousand_terms() {
    let terms = vec!["1"; 200_000].join(" + ");
    Case::new(format!("x = {terms}\n"))
        .premise(&["get", "m.model", "x", "--exact"])
        .success()
        .stdout("200000\n");
}

#[test]
fn a_five_thousand_digit_literal() {
    parse_error(
        format!("x = {}\n", "9".repeat(5_000)),
        "1:5",
        "number too large: premise's exact decimals hold up to about 7.9e28",
    );
    // a long fraction is rounded to the 28 places premise keeps
    Case::new(format!("x = 0.{}\n", "3".repeat(5_000)))
        .premise(&["get", "m.model", "x", "--exact"])
        .success()
        .stdout("0.3333333333333333333333333333\n");
}

#[test]
fn an_exponent_of_a_billion() {
    parse_error(
        "x = 1e999999999\n",
        "1:5",
        "number too large: premise's exact decimals hold up to about 7.9e28",
    );
    parse_error(
        "x = 1e-999999999\n",
        "1:5",
        "number too small: premise's exact decimals keep 28 digits after the point",
    );
}

#[test]
fn towers_and_large_powers_fail_cleanly() {
    let out_of_range = "value out of range (premise's decimals hold up to about ±7.9e28)";
    // 2^2^2^2^2^2 = 2^(2^65536): the inner 2^65536 already overflows.
    Case::new("x = 2^2^2^2^2^2\n")
        .premise(&["get", "m.model", "x"])
        .code(1)
        .stdout("")
        .stderr(format!("error: m.model:1:7: cell 'x': {out_of_range}\n"));
    Case::new("x = 2^2^2^2\n")
        .premise(&["get", "m.model", "x"])
        .success()
        .stdout("65536\n");
    Case::new("x = 10^30\n")
        .premise(&["get", "m.model", "x"])
        .code(1)
        .stderr(format!("error: m.model:1:5: cell 'x': {out_of_range}\n"));
    Case::new("x = 10^28\n")
        .premise(&["get", "m.model", "x", "--exact"])
        .success()
        .stdout("10000000000000000000000000000\n");
    // Huge integer exponents take a handful of squarings, not a loop per unit.
    Case::new("a = 1.0000001 ^ 1e20\nb = 0.5 ^ 1e28\nc = (-1) ^ 79228162514264337593543950335\n")
        .premise(&["eval", "m.model", "--exact"])
        .code(1)
        .stdout(predicate::str::contains("\nb      0  = 0.5 ^ 1e28\n"))
        .stdout(predicate::str::contains(
            "\nc     -1  = (-1) ^ 79228162514264337593543950335\n",
        ))
        .stderr(format!("error: m.model:1:5: cell 'a': {out_of_range}\n"));
}

#[test]
fn nul_bytes() {
    Case::new(b"x = 1\ny = \x002\n")
        .premise(&["eval", "m.model"])
        .code(1)
        .stdout("")
        .stderr(
            "error: m.model:2:5: the file contains a NUL byte: it looks like a binary file, not a model\n",
        );
}

#[test]
fn text_that_is_not_utf8() {
    Case::new(b"x = 1\ny = \xff\n")
        .premise(&["eval", "m.model"])
        .code(1)
        .stdout("")
        .stderr("error: m.model:2:5: the file is not valid UTF-8 text (save it as UTF-8)\n");
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_text() {
    Case::new("\u{FEFF}x = 1\n")
        .premise(&["get", "m.model", "x"])
        .success()
        .stdout("1\n");
}

#[test]
fn invisible_characters_in_a_name_are_named_by_code_point() {
    parse_error(
        "a\u{202E}b = 1\n",
        "1:2",
        "expected '=', found a bidirectional control character (U+202E)",
    );
    parse_error(
        "x = 1\ny = x\u{200B} + 1\n",
        "2:6",
        "expected an operator or the end of the statement, found a zero-width space (U+200B)",
    );
}

#[test]
fn a_hundred_thousand_character_name() {
    let name = "a".repeat(100_000);
    let case = Case::new(format!("{name} = 1\nb = {name} * 2\n"));
    case.premise(&["get", "m.model", "b"])
        .success()
        .stdout("2\n");
    case.premise(&["check", "m.model"])
        .success()
        .stdout("m.model: 2 cells, 0 scenarios: ok\n");
}

#[test]
fn fifty_thousand_cells_in_one_group() {
    let mut text = String::new();
    for i in 0..50_000 {
        text.push_str(&format!("g.c{i} = {i}\n"));
    }
    text.push_str("total = sum(g.*)\nn = count(g.*)\n");
    let case = Case::new(text);
    case.premise(&["get", "m.model", "total", "--exact"])
        .success()
        .stdout("1249975000\n");
    case.premise(&["get", "m.model", "n"])
        .success()
        .stdout("50000\n");
}

#[test]
fn a_cell_that_reads_itself() {
    Case::new("x = x + 1\ny = 2\n")
        .premise(&["eval", "m.model"])
        .code(1)
        .stdout("x  error  = x + 1   ← error: cycle: x -> x (line 1)\ny      2  = 2\n")
        .stderr("error: m.model:1:1: cell 'x': cycle: x -> x (line 1)\n");
}

#[test]
fn an_empty_file_and_a_file_of_comments() {
    for text in ["", "# only\n## comments\n\n   # here\n"] {
        let case = Case::new(text);
        case.premise(&["eval", "m.model"])
            .success()
            .stdout("")
            .stderr("note: m.model defines no cells\n");
        case.premise(&["check", "m.model"])
            .success()
            .stdout("m.model: 0 cells, 0 scenarios: ok\n")
            .stderr("");
    }
}

#[test]
fn an_unterminated_scenario() {
    Case::new("x = 1\nscenario bear {\n  x = 2\n")
        .premise(&["check", "m.model"])
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "error: scenario 'bear' is never closed\n  ┌─ m.model:2:10\n",
        ))
        .stderr(predicate::str::contains(
            "= help: add a line with '}' after its overrides",
        ));
}

#[test]
fn a_file_that_is_a_directory() {
    let case = Case::new("");
    std::fs::create_dir(case.dir.path().join("d.model")).unwrap();
    case.premise(&["eval", "d.model"])
        .code(2)
        .stdout("")
        .stderr("error: cannot read 'd.model': it is a directory, not a model file\n");
}

#[test]
fn a_missing_file() {
    Case::new("")
        .premise(&["check", "nowhere.model"])
        .code(2)
        .stdout("")
        .stderr("error: cannot read 'nowhere.model': no such file\n");
}

#[cfg(unix)]
#[test]
fn a_file_without_read_permission() {
    use std::os::unix::fs::PermissionsExt;
    let case = Case::new("x = 1\n");
    let path = case.dir.path().join("m.model");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // root (as in CI containers) reads anything: there is nothing to test.
        eprintln!("skipped: this user can read a file without read permission (root?)");
        return;
    }
    case.premise(&["eval", "m.model"])
        .code(2)
        .stdout("")
        .stderr("error: cannot read 'm.model': permission denied\n");
}

#[test]
fn a_path_with_spaces_and_unicode() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("with space ü");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("mödel ü.model"), "x = 1\ny = x +\n").unwrap();
    std::fs::write(folder.join("ok ü.model"), "x = $1.5B\n").unwrap();
    let premise = || {
        let mut c = Command::cargo_bin("premise").unwrap();
        c.current_dir(dir.path()).env("NO_COLOR", "1");
        c
    };
    premise()
        .args(["get", "with space ü/ok ü.model", "x"])
        .assert()
        .success()
        .stdout("$1.5B\n");
    premise()
        .args(["check", "with space ü/mödel ü.model"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "┌─ with space ü/mödel ü.model:2:8\n",
        ));
}

/// `x0 = x{n-1} + 1`, `x{i} = x{i-1} + 1`: one cycle through `n` cells.
fn long_cycle(n: usize) -> String {
    let mut text = format!("x0 = x{} + 1\n", n - 1);
    for i in 1..n {
        text.push_str(&format!("x{i} = x{} + 1\n", i - 1));
    }
    text
}

#[test]
fn a_long_cycle_is_described_in_a_line() {
    // Each of the 10,000 cells names the cycle from itself, eliding the middle;
    // the message no longer grows with the cycle (it used to take 37 s and 6 GB).
    Case::new(long_cycle(10_000))
        .premise(&["get", "m.model", "x5"])
        .code(1)
        .stderr(
            "error: m.model:6:1: cell 'x5': cycle: x5 -> x4 -> x3 -> x2 -> x1 -> x0 -> … (9989 more) \
             -> x10 -> x9 -> x8 -> x7 -> x6 -> x5 (10000 cells; lines 6, 5, 4, 3, 2, 1, …, 11, 10, 9, 8, 7)\n",
        );
}

#[test]
fn many_cells_reading_one_deleted_input() {
    // The did-you-mean is worked out once, not once per reader
    // (20,000 readers took four minutes in a debug build).
    let mut text = String::from("rates = 2\n");
    for i in 0..20_000 {
        text.push_str(&format!("x{i} = rate * {i}\n"));
    }
    Case::new(text)
        .premise(&["get", "m.model", "x19999"])
        .code(1)
        .stderr(
            "error: m.model:20001:10: cell 'x19999': unknown name 'rate' (did you mean 'rates'?)\n",
        );
}

#[test]
fn many_distinct_unknown_names_in_a_large_model() {
    // Each unknown name is compared with a bounded number of similar names.
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("x{i} = y{i} + 1\n"));
    }
    text.push_str("total = x1 + x2\n");
    Case::new(text)
        .premise(&["check", "m.model"])
        .code(1)
        .stderr(predicate::str::contains(
            "error: cell 'x19999': unknown name 'y19999'\n",
        ))
        // the 20,000 unknown names, and `total`, which depends on two of them
        .stdout("m.model: 20001 cells, 0 scenarios: 20001 errors\n");
}

#[test]
fn a_deep_chain_explains_without_recursion() {
    let mut text = String::from("x0 = 1\n");
    for i in 1..20_000 {
        text.push_str(&format!("x{i} = x{} + 1\n", i - 1));
    }
    let case = Case::new(text);
    case.premise(&["get", "m.model", "x19999"])
        .success()
        .stdout("20000\n");
    // the tree stops at its depth limit with a count of what is below
    case.premise(&["explain", "m.model", "x19999"])
        .success()
        .stdout(predicate::str::starts_with(
            "x19999 = x19998 + 1 = 19999 + 1 = 20000\n└─ x19998 = x19997 + 1",
        ))
        .stdout(predicate::str::ends_with("└─ … (1 more cells below)\n"));
}
