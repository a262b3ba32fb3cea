//! The analyst's slips: what computes but was likely not meant gets a
//! warning on stderr; the value is still computed and the exit status is
//! what it would be without the warning.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;

use crate::common::repl_piped;

fn premise() -> Command {
    let mut c = Command::cargo_bin("premise").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn temp_model(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, text).unwrap();
    let p = path.to_string_lossy().into_owned();
    (dir, p)
}

const UTILISATION: &str =
    "utilisation = 80%\nmargin = 50%\ncost = $1M\nprofit = cost * margin * utilisation\n";

#[test]
fn a_new_cell_named_like_an_old_one_is_said_to_be_new() {
    let (_dir, path) = temp_model(UTILISATION);
    let (out, err, code) = repl_piped(&[&path], "utilisaton = 70%\nprofit\n");
    assert_eq!(out, "utilisaton  70%\n$400K\n");
    assert_eq!(
        err,
        "warning: 'utilisaton' is a new cell; did you mean 'utilisation'? (:undo takes it back)\n"
    );
    assert_eq!(code, 0);
    // A name that extends another is new on purpose.
    let (_, err, _) = repl_piped(&[&path], "utilisation_low = 60%\n");
    assert_eq!(err, "");
}

#[test]
fn a_plain_number_for_a_percentage_says_what_it_reads_as() {
    let (_dir, path) = temp_model(UTILISATION);
    let (out, err, code) = repl_piped(&[&path], "margin = 50\nmargin = 0.6\n");
    assert_eq!(
        out,
        "margin  50% → 50\nprofit  $400K → $40M\nmargin  50 → 0.6\nprofit  $40M → $480K\n"
    );
    assert_eq!(
        err,
        "warning: 'margin' is a percentage: 50 is 5000%, not 50% (write 50% for 50 percent)\n"
    );
    assert_eq!(code, 0);

    // --set: the same words, drawn under the flag.
    let out = premise()
        .args(["get", &path, "profit", "--set", "margin=50"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "$40M\n");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "warning: 'margin' is a percentage: 50 is 5000%, not 50%\n  \
         ┌─ --set:1:8\n  \
         │\n\
         1 │ margin=50\n  \
         │        ^^ 5000%\n  \
         │\n  \
         = help: write 50% for 50 percent\n\n"
    );
}

#[test]
fn a_scenario_giving_a_percentage_a_plain_number_is_warned_about() {
    let (_dir, path) = temp_model(&format!(
        "{UTILISATION}scenario bull {{\n  margin = 55\n}}\n"
    ));
    for args in [
        vec!["check", path.as_str()],
        vec!["eval", path.as_str(), "profit", "--scenario", "bull"],
    ] {
        let out = premise().args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("warning: 'margin' is a percentage: 55 is 5500%, not 55%\n"),
            "{err}"
        );
        assert!(err.contains(":6:12\n"), "{err}");
    }
    let out = premise()
        .args(["eval", &path, "profit", "--scenario", "bull"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "profit  $44M  = cost * margin * utilisation\n"
    );
}

#[test]
fn a_sign_after_plus_or_minus_is_said_to_be_one_operation() {
    let (_dir, path) = temp_model("low = $50B\nhigh = low +- $10B\n");
    let out = premise().args(["eval", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "low   $50B  = $50B\nhigh  $40B  = low + -$10B\n"
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "warning: '+-' reads as '-': this is low - $10B\n  \
             ┌─ {path}:2:12\n  \
             │\n\
             2 │ high = low +- $10B\n  \
             │            ^^ low - $10B\n  \
             │\n  \
             = help: write low - $10B, or low + (-$10B) if you meant the sign; \
             there is no ± (a range is written `low to high`: docs/language.md#uncertainty)\n\n"
        )
    );
    let out = premise().args(["check", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).ends_with(": ok, 1 warning\n"));

    // In the REPL, a query and a definition alike; `+ (-x)` is taken as meant.
    let (out, err, code) = repl_piped(&[&path], "low - -$5B\nmid = low + (-$5B)\n");
    assert_eq!(out, "$55B\nmid  $45B\n");
    assert_eq!(
        err,
        "warning: '- -' reads as '+': this is low + $5B (write low + $5B, or low - (-$5B) if you meant the sign)\n"
    );
    assert_eq!(code, 0);
}

#[test]
fn a_thousands_separator_inside_a_call_is_two_arguments() {
    let (_dir, path) = temp_model("total = sum(1,000, 500)\n");
    let out = premise().args(["eval", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "total  501  = sum(1, 000, 500)\n"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with("warning: 1,000 is two arguments here, 1 and 000\n"),
        "{err}"
    );
    assert!(err.contains("= help: numbers have no thousands separators: write 1_000 or 1000"));
}

#[test]
fn numbers_typed_as_elsewhere_get_a_hint_in_the_parse_error() {
    let cases = [
        (
            "x = 1,000\n",
            "numbers have no thousands separators: write 1_000 or 1000",
        ),
        (
            "x = $10b\n",
            "scales are K M B T in capitals, right after the number: $10B",
        ),
        (
            "x = $1.5bn\n",
            "scales are K M B T in capitals, right after the number: $1.5B",
        ),
        ("x = 10 %\n", "write the % right after the number: 10%"),
        (
            "x = €5M\n",
            "$ is the only currency sign; other currencies are units: 5M [EUR]",
        ),
        (
            "gpu spend = 5\n",
            "a name has no spaces: gpu_spend (letters, digits and _)",
        ),
    ];
    for (text, help) in cases {
        let (_dir, path) = temp_model(text);
        let out = premise().args(["check", &path]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{text}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("= help: {help}\n")), "{text}: {err}");
    }
    // The REPL says the same on one line.
    let (_, err, code) = repl_piped(&[], "x = $10b\n");
    assert_eq!(code, 1);
    assert!(
        err.ends_with("(scales are K M B T in capitals, right after the number: $10B)\n"),
        "{err}"
    );
}
