//! Folders of example and failing models, run through the binary as an
//! analyst would, with the whole output kept as a reviewed snapshot
//! (`cargo insta review` after an intended change).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;

fn run(args: &[&str]) -> String {
    let out = Command::cargo_bin("premise")
        .expect("binary")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn relative(path: &std::path::Path) -> String {
    let root = env!("CARGO_MANIFEST_DIR");
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn failing_models_are_diagnosed() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases"),
        "fail/*.model",
        |path| {
            let file = relative(path);
            insta::assert_snapshot!(run(&["check", &file]));
        }
    );
}

#[test]
fn example_models_evaluate() {
    insta::glob!(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases"),
        "ok/*.model",
        |path| {
            let file = relative(path);
            insta::assert_snapshot!(run(&["eval", &file]));
        }
    );
}
