//! Resource bounds at full size (docs/language.md#evaluation: evaluation finishes or fails
//! cleanly): a chain of 1,000,000 cells, a cycle through 100,000 cells,
//! 100,000 distinct unknown names, a group of 1,000,000 members. Too slow
//! for a debug `cargo test`, so ignored there; run them on a release build:
//!
//! ```sh
//! cargo test --release --test it resource_bounds -- --ignored
//! ```
//!
//! Each runs the binary with a time limit and checks the answer; the smaller
//! versions of the same inputs are in `tests/it/hostile.rs`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;

/// The inputs, as text.
mod inputs {
    use std::fmt::Write as _;

    /// `x0 = 1`, `x{i} = x{i-1} + 1`.
    pub fn chain(n: usize) -> String {
        let mut t = String::from("x0 = 1\n");
        for i in 1..n {
            writeln!(t, "x{i} = x{} + 1", i - 1).unwrap();
        }
        t
    }

    /// `x0` reads the last cell; every other cell reads the one before.
    pub fn cycle(n: usize) -> String {
        let mut t = format!("x0 = x{} + 1\n", n - 1);
        for i in 1..n {
            writeln!(t, "x{i} = x{} + 1", i - 1).unwrap();
        }
        t
    }

    /// `n` cells, each reading a name nobody defines, and one cell reading them.
    pub fn unknown_names(n: usize) -> String {
        let mut t = String::new();
        for i in 0..n {
            writeln!(t, "x{i} = x{} + 1", i + n).unwrap();
        }
        t
    }

    /// `n` members of one group and their sum.
    pub fn group(n: usize) -> String {
        let mut t = String::new();
        for i in 0..n {
            writeln!(t, "g.c{i} = {i}").unwrap();
        }
        t.push_str("total = sum(g.*)\n");
        t
    }
}

/// Runs `premise ARGS` on `text` and checks it finishes within `limit`.
fn within(limit: Duration, text: &str, args: &[&str]) -> assert_cmd::assert::Assert {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("m.model"), text).unwrap();
    let start = Instant::now();
    let assert = Command::cargo_bin("premise")
        .unwrap()
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .args(args)
        .timeout(limit * 2)
        .assert();
    let took = start.elapsed();
    assert!(
        took < limit,
        "premise {args:?} took {took:?} (limit {limit:?})"
    );
    assert
}

const LIMIT: Duration = Duration::from_secs(60);

#[test]
#[ignore = "release build: cargo test --release --test it resource_bounds -- --ignored"]
fn a_chain_of_a_million_cells() {
    let text = inputs::chain(1_000_000);
    within(LIMIT, &text, &["get", "m.model", "x999999"])
        .success()
        .stdout("1M\n");
    within(LIMIT, &text, &["explain", "m.model", "x999999"])
        .success()
        .stdout(predicate::str::ends_with("└─ … (1 more cells below)\n"));
    within(LIMIT, &text, &["check", "m.model"])
        .success()
        .stdout("m.model: 1000000 cells, 0 scenarios: ok\n");
    within(LIMIT, &text, &["graph", "m.model", "--format", "json"]).success();
}

#[test]
#[ignore = "release build: cargo test --release --test it resource_bounds -- --ignored"]
fn a_cycle_through_a_hundred_thousand_cells() {
    within(LIMIT, &inputs::cycle(100_000), &["check", "m.model"])
        .code(1)
        .stdout("m.model: 100000 cells, 0 scenarios: 100000 errors\n")
        .stderr(predicate::str::contains(
            "error: cell 'x0': cycle: x0 -> x99999 -> x99998 -> x99997 -> x99996 -> x99995 -> … (99989 more) \
             -> x5 -> x4 -> x3 -> x2 -> x1 -> x0 (100000 cells; lines 1, 100000, 99999, 99998, 99997, 99996, …, 6, 5, 4, 3, 2)\n",
        ));
}

#[test]
#[ignore = "release build: cargo test --release --test it resource_bounds -- --ignored"]
fn a_hundred_thousand_unknown_names() {
    within(
        LIMIT,
        &inputs::unknown_names(100_000),
        &["check", "m.model"],
    )
    .code(1)
    .stdout("m.model: 100000 cells, 0 scenarios: 100000 errors\n");
}

#[test]
#[ignore = "release build: cargo test --release --test it resource_bounds -- --ignored"]
fn a_group_of_a_million_members() {
    within(
        LIMIT,
        &inputs::group(1_000_000),
        &["get", "m.model", "total", "--exact"],
    )
    .success()
    .stdout("499999500000\n");
}
