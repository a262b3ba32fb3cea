//! A short, fixed-seed version of the fuzzers (`fuzz/`), run by `cargo test`:
//! random bytes and random valid models go through the whole engine
//! (`support/pipeline.rs` checks its invariants) and through the binary, which
//! must agree with the library on what failed and where. The inputs the
//! fuzzers found are kept in `tests/fuzz/` and replayed here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crate::support::generate;
use crate::support::pipeline;

use assert_cmd::Command;
use pipeline::Outcome;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// The same cases on every run: a failure here is a failure everywhere.
fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::ChaCha))
}

/// Text the binary reads exactly as the library is given it: no NUL (refused
/// on load, docs/language.md#files) and no leading byte order mark (dropped on load).
fn as_file_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes).replace('\0', " ");
    text.strip_prefix('\u{FEFF}').unwrap_or(&text).to_string()
}

/// Runs the binary on `text` and checks it agrees with the library's outcome.
fn agrees_with_binary(text: &str, outcome: &Outcome) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(pipeline::PATH), text).unwrap();
    let out = Command::cargo_bin("premise")
        .unwrap()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(["eval", pipeline::PATH])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let code = out.status.code();
    match *outcome {
        Outcome::ParseError { line, column } => {
            // docs/language.md#errors: exit 1, nothing on stdout, a diagnostic at file:line:col.
            assert_eq!(code, Some(1), "{text:?}\n{stderr}");
            assert_eq!(stdout, "", "{text:?}");
            let place = format!("{}:{line}:{column}", pipeline::PATH);
            assert!(stderr.contains(&place), "{text:?}: no {place} in\n{stderr}");
        }
        Outcome::Loaded { cells, failed } => {
            // exit 1 exactly when a shown cell failed; one row per cell.
            let want = if failed > 0 { 1 } else { 0 };
            assert_eq!(code, Some(want), "{text:?}\n{stderr}");
            assert_eq!(stdout.lines().count(), cells, "{text:?}\n{stdout}");
            assert_eq!(
                stderr.lines().filter(|l| l.starts_with("error: ")).count(),
                failed,
                "one line per failed cell: {text:?}\n{stderr}"
            );
        }
    }
}

/// Model-shaped noise: the characters premise's grammar is made of.
fn modelish() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop_oneof![
        Just("x = ".to_string()),
        Just("y".to_string()),
        Just(" + ".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("\n".to_string()),
        Just("$1.5B".to_string()),
        Just("[USD/kWh]".to_string()),
        Just("scenario s {".to_string()),
        Just("}".to_string()),
        Just("sum(g.*)".to_string()),
        Just("if ".to_string()),
        Just(" then ".to_string()),
        Just(" else ".to_string()),
        Just("# c".to_string()),
        Just("50%".to_string()),
        Just(" as %".to_string()),
        Just("^".to_string()),
        Just("<".to_string()),
        Just("\u{202E}".to_string()),
        "[a-z0-9_. =*/,-]{1,6}",
    ];
    vec(pieces, 0..40).prop_map(|p| p.concat().into_bytes())
}

#[test]
fn random_bytes_never_break_the_engine() {
    let parse_errors = std::cell::Cell::new(0);
    let strategy = prop_oneof![vec(any::<u8>(), 0..300), modelish()];
    runner(96)
        .run(&strategy, |bytes| {
            let text = as_file_text(&bytes);
            let outcome = pipeline::run(&text);
            if matches!(outcome, Outcome::ParseError { .. }) {
                parse_errors.set(parse_errors.get() + 1);
            }
            agrees_with_binary(&text, &outcome);
            Ok(())
        })
        .unwrap();
    assert!(parse_errors.get() > 20, "the inputs exercise parse errors");
}

#[test]
fn random_valid_models_load_and_evaluate() {
    let failed_cells = std::cell::Cell::new(0);
    let loaded_cells = std::cell::Cell::new(0);
    runner(96)
        .run(&vec(any::<u8>(), 0..600), |bytes| {
            let text = generate::model(&bytes);
            match pipeline::run(&text) {
                outcome @ Outcome::Loaded { cells, failed } => {
                    loaded_cells.set(loaded_cells.get() + cells);
                    failed_cells.set(failed_cells.get() + failed);
                    agrees_with_binary(&text, &outcome);
                }
                Outcome::ParseError { line, column } => {
                    panic!("a generated model does not parse at {line}:{column}:\n{text}")
                }
            }
            Ok(())
        })
        .unwrap();
    let (loaded_cells, failed_cells) = (loaded_cells.get(), failed_cells.get());
    assert!(loaded_cells > 200, "the models have cells");
    assert!(
        failed_cells > 10 && failed_cells < loaded_cells,
        "some cells fail, not all ({failed_cells} of {loaded_cells})"
    );
}

/// Every input the fuzzers kept, replayed through the library and the binary.
#[test]
fn fuzzer_findings_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let text = match path.extension().and_then(|e| e.to_str()) {
            Some("model") => as_file_text(&bytes),
            // choices for the `models` target: the model they generate
            Some("choices") => generate::model(&bytes),
            _ => continue,
        };
        let outcome = pipeline::run(&text);
        agrees_with_binary(&text, &outcome);
        seen += 1;
    }
    assert!(seen >= 2, "the findings are there");
}
