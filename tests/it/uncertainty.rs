//! Ranges and Monte Carlo (docs/language.md#uncertainty), through the binary.
//!
//! Statistical checks use a fixed seed and tolerances of four standard
//! errors of the estimate at the sample count used (the standard error of a
//! p-quantile is √(p(1−p)/N) / f(xₚ), f the density), not values tuned to pass.

use std::process::Command;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde_json::Value as Json;

use crate::common::{repl_piped, run_on_model as run, stdout, BIN};

/// `simulate --format json` of a model, as data.
fn simulated(model: &str, extra: &[&str]) -> Json {
    let mut args = vec!["simulate", "--format", "json"];
    args.extend_from_slice(extra);
    let (out, err, _) = run(model, &args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"))
}

fn cell<'a>(run: &'a Json, name: &str) -> &'a Json {
    run["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no cell {name} in {run}"))
}

fn number(j: &Json) -> f64 {
    j.as_str()
        .unwrap()
        .parse::<Decimal>()
        .unwrap()
        .to_f64()
        .unwrap()
}

/// N of a cell's "failed in N of M samples: ..." error.
fn failed_samples(error: &str) -> f64 {
    error
        .trim_start_matches("failed in ")
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn close(got: f64, want: f64, tolerance: f64, what: &str) {
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: {got}, want {want} ± {tolerance}"
    );
}

#[test]
fn point_mode_shows_medians_marked_uncertain() {
    let model = "x = 40 to 90\ny = x * 2\nm = normal(-5% to 15%)\nu = uniform(2, 4)\nc = 3\n";
    let (out, _, code) = run(model, &["eval", "--format", "json"]);
    assert_eq!(code, 0);
    let j: Json = serde_json::from_str(&out).unwrap();
    let get = |name: &str| cell(&j, name).clone();
    assert_eq!(get("x")["value"], "60"); // √(40·90)
    assert_eq!(get("y")["value"], "120");
    assert_eq!(get("m")["value"], "0.05");
    assert_eq!(get("m")["display"], "5%");
    assert_eq!(get("u")["value"], "3");
    for name in ["x", "y", "m", "u"] {
        assert_eq!(get(name)["uncertain"], true, "{name}");
    }
    assert!(get("c").get("uncertain").is_none());
    let (table, _, _) = run(model, &["eval"]);
    assert!(table.contains("~60"), "{table}");
    assert!(table
        .lines()
        .any(|l| l.starts_with('c') && !l.contains('~')));
    // --exact shows every digit as a bare decimal: no mark before it.
    let (exact, _, _) = run(model, &["eval", "--exact", "x"]);
    assert_eq!(exact.split_whitespace().nth(1), Some("60"), "{exact}");
    // The REPL's tables mark the same cells.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, model).unwrap();
    let (listed, _, code) = repl_piped(&[path.to_str().unwrap()], ":list\n:show c\n:show y\n");
    assert_eq!(code, 0);
    let line = |start: &str| listed.lines().find(|l| l.starts_with(start)).unwrap_or("");
    assert!(line("y ").contains("~120"), "{listed}");
    assert!(
        line("c ").ends_with(" 3") && !line("c ").contains('~'),
        "{listed}"
    );
    assert!(listed.contains("value    ~120"), "{listed}");
}

#[test]
fn simulate_gives_the_contract_json() {
    let j = simulated(
        "x = 40 to 90\nok = x > 60\nc = $5\n",
        &["--samples", "2000", "--seed", "7"],
    );
    assert_eq!(j["samples"], 2000);
    assert_eq!(j["seed"], 7);
    assert!(j["file"].as_str().unwrap().ends_with("m.model"));
    let x = cell(&j, "x");
    for key in ["p5", "p50", "p95", "mean"] {
        assert!(x[key].as_str().unwrap().parse::<Decimal>().is_ok(), "{key}");
    }
    assert_eq!(x["unit"], "");
    let ok = cell(&j, "ok");
    assert!(ok.get("share").is_some() && ok.get("p5").is_none(), "{ok}");
    let c = cell(&j, "c");
    assert_eq!(
        (c["unit"].as_str(), c["p5"].as_str()),
        (Some("USD"), Some("5"))
    );
    assert_eq!(c["mean"], "5");
}

#[test]
fn the_same_file_seed_and_count_give_the_same_bytes_on_any_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, crate::common::bundled("ai_200b_ranges.model")).unwrap();
    let path = path.to_str().unwrap();
    let args = ["simulate", path, "--samples", "3000", "--format", "json"];
    let both = |args: &[&str]| stdout(&Command::new(BIN).args(args).output().unwrap());
    let first = both(&args);
    assert!(first.contains("\"p50\""));
    assert_eq!(both(&args), first);
    // Pinned to one core (where taskset is installed).
    if let Ok(out) = Command::new("taskset")
        .args(["-c", "0", BIN])
        .args(args)
        .output()
    {
        if out.status.success() {
            assert_eq!(stdout(&out), first);
        }
    }
    let mut seeded = args.to_vec();
    seeded.extend(["--seed", "1"]);
    assert_ne!(both(&seeded), first);
}

#[test]
fn an_unrelated_cell_changes_no_other_cells_samples() {
    let before = simulated("a = 1 to 2\nb = a * 3\n", &["--samples", "1000"]);
    let after = simulated(
        "zz = 5 to 9\nextra = zz + 1\na = 1 to 2\nb = a * 3\n",
        &["--samples", "1000"],
    );
    for name in ["a", "b"] {
        assert_eq!(cell(&before, name), cell(&after, name), "{name}");
    }
}

#[test]
fn every_reader_sees_the_same_sample() {
    let j = simulated(
        "x = 40 to 60\na = 1 to 2\nb = normal(3 to 5)\nzero = x - x\nshares = a / (a + b) + b / (a + b)\n",
        &["--samples", "2000"],
    );
    let zero = cell(&j, "zero");
    for key in ["p5", "p50", "p95", "mean"] {
        assert_eq!(zero[key], "0", "{key}");
    }
    let shares = cell(&j, "shares");
    for key in ["p5", "p95"] {
        close(number(&shares[key]), 1.0, 1e-20, key);
    }
}

#[test]
fn a_range_has_its_ends_as_5th_and_95th_percentiles() {
    let n = 10_000f64;
    let j = simulated("x = 40 to 90\n", &["--samples", "10000"]);
    let x = cell(&j, "x");
    // lognormal: σ = ln(90/40) / (2 · 1.6449); f(x) = φ(z) / (x σ)
    let sigma = (90f64 / 40.0).ln() / (2.0 * 1.644_853_626_951_472_7);
    let phi = |z: f64| (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let se = |p: f64, at: f64, z: f64| (p * (1.0 - p) / n).sqrt() / (phi(z) / (at * sigma));
    close(number(&x["p5"]), 40.0, 4.0 * se(0.05, 40.0, -1.6449), "p5");
    close(number(&x["p50"]), 60.0, 4.0 * se(0.5, 60.0, 0.0), "p50");
    close(number(&x["p95"]), 90.0, 4.0 * se(0.95, 90.0, 1.6449), "p95");
    // mean of a lognormal: e^(μ + σ²/2); its standard error σₓ/√N
    let mean = 60f64 * (sigma * sigma / 2.0).exp();
    let sd = mean * ((sigma * sigma).exp() - 1.0).sqrt();
    close(number(&x["mean"]), mean, 4.0 * sd / n.sqrt(), "mean");
}

#[test]
fn normal_uniform_and_triangular_have_their_means_and_shares() {
    let n = 10_000f64;
    let j = simulated(
        "n = normal(0 to 10)\nu = uniform(0, 1)\nlow = u < 0.3\nt = triangular(0, 0, 1)\n",
        &["--samples", "10000", "--seed", "3"],
    );
    let sd = 10.0 / (2.0 * 1.644_853_626_951_472_7);
    close(
        number(&cell(&j, "n")["mean"]),
        5.0,
        4.0 * sd / n.sqrt(),
        "normal mean",
    );
    close(
        number(&cell(&j, "u")["mean"]),
        0.5,
        4.0 * (1.0 / 12f64).sqrt() / n.sqrt(),
        "uniform mean",
    );
    let share = number(&cell(&j, "low")["share"]);
    close(share, 0.3, 4.0 * (0.3 * 0.7 / n).sqrt(), "share below 0.3");
    // triangular(0, 0, 1): mean 1/3, variance 1/18
    close(
        number(&cell(&j, "t")["mean"]),
        1.0 / 3.0,
        4.0 * (1.0 / 18f64).sqrt() / n.sqrt(),
        "triangular mean",
    );
}

#[test]
fn failures_in_some_samples_are_counted_and_the_rest_report() {
    let model = "h = normal(-1 to 1)\nr = sqrt(h)\nfine = h * 2\n";
    let (out, err, code) = run(
        model,
        &["simulate", "--samples", "4000", "--format", "json"],
    );
    assert_eq!(code, 1, "{err}");
    let j: Json = serde_json::from_str(&out).unwrap();
    let r = cell(&j, "r");
    let error = r["error"].as_str().unwrap();
    assert!(
        error.contains("of 4000 samples") && error.contains("square root"),
        "{error}"
    );
    close(
        failed_samples(error),
        2000.0,
        4.0 * (4000f64 * 0.25).sqrt(),
        "failed samples",
    );
    // The failed samples are left out, not counted as zeros: the median of
    // sqrt(h) over the samples where h > 0 is sqrt of the half-normal's
    // median, σ·0.6745 with σ = 1/1.6449 (about 2,000 samples: the
    // tolerance is four standard errors of that median).
    assert!(number(&r["p5"]) > 0.0, "{r}");
    let median = (0.674_489_750_196_081_7_f64 / 1.644_853_626_951_472_2).sqrt();
    let density = {
        let x = median * median * 1.644_853_626_951_472_2;
        2.0 * (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
            * 1.644_853_626_951_472_2
            * 2.0
            * median
    };
    let standard_error = 1.0 / (2.0 * density * 2000f64.sqrt());
    close(
        number(&r["p50"]),
        median,
        4.0 * standard_error,
        "median of r",
    );
    assert!(cell(&j, "fine").get("error").is_none());
    // file:line:col of the formula that failed, as every command says it.
    assert!(err.contains(".model:2:5: cell 'r': failed in"), "{err}");
    assert!(!out.contains("NaN"));
}

#[test]
fn bad_ranges_say_what_to_write() {
    let model = "a = 0 to 5\nb = 5 to 5\nc = 6 to 5\nd = -5% to 5%\ne = $1 to 5 [W]\nf = uniform(2, 1)\ng = percentile(a, 150%)\nw = 700 to 900 [W]\n";
    let (out, err, code) = run(model, &["eval", "--format", "json"]);
    assert_eq!(code, 1);
    let j: Json = serde_json::from_str(&out).unwrap();
    let error = |n: &str| cell(&j, n)["error"].as_str().unwrap_or("").to_string();
    assert!(error("a").contains("normal(0 to 5)"), "{}", error("a"));
    // Every way a range 'a to b' goes wrong points at normal(a to b).
    for name in ["a", "b", "c", "d", "e"] {
        assert!(error(name).contains("normal("), "{name}: {}", error(name));
    }
    assert!(error("b").contains("a < b") && error("b").contains("no spread"));
    assert!(error("c").contains("a < b") && error("c").contains("(5 to 6)"));
    assert!(error("d").contains("normal(-5% to 5%)"));
    assert!(error("e").contains("one unit"));
    assert!(error("f").contains("uniform(2, 1)"));
    assert!(
        error("g").contains("0 to 1") && error("g").contains("150%"),
        "{}",
        error("g")
    );
    assert_eq!(cell(&j, "w")["unit"], "W");
    assert!(err.contains("cell 'a'"));
    // A unit after the last end applies to all; one on an earlier end
    // alone is not carried forward.
    let (out, _, code) = run(
        "h = $1 to 2
t = triangular(1, 2 [W], 3)
k = 1 to 4 [W]
",
        &["eval", "--format", "json"],
    );
    assert_eq!(code, 1);
    let j: Json = serde_json::from_str(&out).unwrap();
    let error = |n: &str| cell(&j, n)["error"].as_str().unwrap_or("").to_string();
    assert!(
        error("h").contains("[USD]") && error("h").contains("a to b [USD]"),
        "{}",
        error("h")
    );
    assert!(error("t").contains("one unit"), "{}", error("t"));
    assert_eq!(
        (
            cell(&j, "k")["value"].as_str(),
            cell(&j, "k")["unit"].as_str()
        ),
        (Some("2"), Some("W"))
    );
    let (_, err, code) = run("x = 1 to 2 to 3\n", &["eval"]);
    assert_eq!(code, 1);
    assert!(err.contains("ranges cannot be chained"), "{err}");
    let (_, err, code) = run("x = normal(1, 2)\n", &["eval"]);
    assert_eq!(code, 1);
    assert!(err.contains("normal(a to b)"), "{err}");
}

#[test]
fn bad_sample_counts_and_seeds_are_usage_errors() {
    for bad in [
        vec!["--samples", "0"],
        vec!["--samples=-5"],
        vec!["--samples", "10000001"],
        vec!["--samples", "many"],
        vec!["--seed", "1.5"],
        vec!["--seed=-1"],
    ] {
        let mut args = vec!["simulate"];
        args.extend(bad.iter().copied());
        let (out, err, code) = run("x = 1 to 2\n", &args);
        assert_eq!(code, 2, "{bad:?}: {err}");
        assert!(out.is_empty());
        assert!(err.contains("whole number"), "{bad:?}: {err}");
    }
}

#[test]
fn statistics_inside_a_model_are_one_number_each() {
    let n = 10_000f64;
    let model = "x = normal(0 to 10)\np = prob(x > 5)\ne = expected(x)\nq = percentile(x, 95%)\ny = x - e\n";
    let (out, _, code) = run(model, &["eval", "--format", "json"]);
    assert_eq!(code, 0);
    let j: Json = serde_json::from_str(&out).unwrap();
    let value = |name: &str| number(&cell(&j, name)["value"]);
    close(value("p"), 0.5, 4.0 * (0.25 / n).sqrt(), "prob");
    let sd = 10.0 / (2.0 * 1.644_853_626_951_472_7);
    close(value("e"), 5.0, 4.0 * sd / n.sqrt(), "expected");
    // 95th percentile: 10; density there φ(1.645)/sd
    let f = (-1.644_853_626_951_472_7f64.powi(2) / 2.0).exp()
        / (2.0 * std::f64::consts::PI).sqrt()
        / sd;
    close(
        value("q"),
        10.0,
        4.0 * (0.05 * 0.95 / n).sqrt() / f,
        "percentile",
    );
    for name in ["p", "e", "q"] {
        assert!(
            cell(&j, name).get("uncertain").is_none(),
            "{name} is certain"
        );
    }
    // The command's --samples and --seed drive them too; a statistic is the
    // same in every sample of a simulation.
    let sim = simulated(model, &["--samples", "500", "--seed", "9"]);
    let p = cell(&sim, "p");
    assert_eq!(p["p5"], p["p95"]);
    assert_ne!(
        p["p5"].as_str().unwrap(),
        cell(&j, "p")["value"].as_str().unwrap()
    );
}

#[test]
fn sensitivity_moves_uncertain_inputs_to_their_percentiles() {
    let model = "a = 10 to 40\nb = normal(1 to 3)\nk = 7\ny = a * b + k\n";
    let (out, err, code) = run(model, &["sensitivity", "y"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("5th and 95th percentile"), "{out}");
    assert!(out.contains("p5") && out.contains("p95"), "{out}");
    // a at 10 and 40 with b at 2: y is 27 and 87
    let a_row = out.lines().find(|l| l.starts_with("a ")).unwrap();
    assert!(a_row.contains("27") && a_row.contains("87"), "{a_row}");
    assert!(!out.lines().any(|l| l.starts_with("k ")), "{out}");
}

#[test]
fn the_repl_simulates_a_cell_and_a_redefined_range() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, "x = 40 to 60\ny = x * 2\n").unwrap();
    let (out, err, code) = repl_piped(
        &[path.to_str().unwrap()],
        ":sim y 2000\nx = 50 to 70\n:sim nope\n",
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("y: 2000 samples, seed 0"), "{out}");
    assert!(out.contains("p5 ") && out.contains('█'), "{out}");
    assert!(out.contains("x: 10000 samples"), "{out}");
    assert!(err.contains("nope"), "{err}");
}

#[test]
fn the_plot_is_a_histogram_with_percentiles() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("h.svg");
    let (_, err, code) = run(
        "x = 40 to 60\ny = x * 2\n",
        &[
            "simulate",
            "--samples",
            "1000",
            "--plot",
            svg.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"));
    assert!(
        text.contains("y: p5") && text.contains("p95"),
        "{}",
        &text[..300]
    );
}

#[test]
fn a_cell_whose_unit_or_kind_changes_fails_in_those_samples_alike_in_every_chunk() {
    // The point value (x at its median, 0.5) takes the EUR branch: the USD
    // samples fail, whichever chunk of samples they fall in.
    let model = "x = uniform(0, 1)\ny = if x > 0.5 then 100 [USD] else 1 [EUR]\nz = if x > 0.5 then true else 3\nhalf = x > 0.5\n";
    let j = simulated(model, &["--samples", "3000"]);
    let above = number(&cell(&j, "half")["share"]) * 3000.0;
    let failed = |name: &str| -> (f64, String) {
        let e = cell(&j, name)["error"].as_str().unwrap().to_string();
        (failed_samples(&e), e)
    };
    let (n, e) = failed("y");
    assert_eq!(n, above.round(), "{e}");
    assert!(
        e.contains("its unit changes from sample to sample ([EUR] and [USD])"),
        "{e}"
    );
    assert_eq!(cell(&j, "y")["unit"], "EUR");
    assert_eq!(cell(&j, "y")["p95"], "1");
    let (n, e) = failed("z");
    assert_eq!(n, above.round(), "{e}");
    assert!(
        e.contains("a number in some samples and true or false in others"),
        "{e}"
    );
}
