//! Ranges in series (docs/language.md#uncertainty and #axes-and-series):
//! a distribution in a rule draws each period independently, a scalar read
//! by every period is one draw a sample, and `simulate` and `:sim` give a
//! series' spread period by period.

use serde_json::Value as Json;

use crate::common::{repl_piped, run_on_model as run};

/// `simulate --format json` of a model, as data.
fn simulated(model: &str, extra: &[&str]) -> Json {
    let mut args = vec!["simulate", "--format", "json"];
    args.extend_from_slice(extra);
    let (out, err, code) = run(model, &args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"))
}

/// A series cell's periods in the JSON of `simulate`.
fn periods<'a>(run: &'a Json, name: &str) -> &'a Vec<Json> {
    run["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no cell {name} in {run}"))["periods"]
        .as_array()
        .unwrap_or_else(|| panic!("{name} has no periods in {run}"))
}

fn number(j: &Json) -> f64 {
    j.as_str().unwrap().parse().unwrap()
}

const GROWTH: &str = "\
axis year = 2025..2028
base = 100 to 200
growth[year] = 5% to 15%
apart[year] = growth[year] - growth[2025]
flat[year] = base * (1 + 0 * growth[year])
same[year] = flat[year] - base
";

#[test]
fn a_range_in_a_rule_draws_each_period_independently() {
    let j = simulated(GROWTH, &["--samples", "4000"]);
    let growth = periods(&j, "growth");
    assert_eq!(growth.len(), 4);
    for p in growth {
        // The range's ends are its 5th and 95th percentiles, in every period.
        assert!((number(&p["p5"]) - 0.05).abs() < 0.006, "{p}");
        assert!((number(&p["p95"]) - 0.15).abs() < 0.012, "{p}");
    }
    let apart = periods(&j, "apart");
    assert_eq!(apart[0]["p5"], "0");
    assert_eq!(apart[0]["p95"], "0");
    // Had every period drawn the same sample, 2026 - 2025 would be 0.
    for p in &apart[1..] {
        assert!(number(&p["p95"]) > 0.03, "{p}");
        assert!(number(&p["p5"]) < -0.03, "{p}");
    }
}

#[test]
fn a_scalar_read_by_every_period_is_one_draw_a_sample() {
    let j = simulated(GROWTH, &["--samples", "2000"]);
    for p in periods(&j, "same") {
        assert_eq!((&p["p5"], &p["p95"]), (&Json::from("0"), &Json::from("0")));
    }
    let base = j["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "base")
        .unwrap();
    for p in periods(&j, "flat") {
        assert_eq!(number(&p["p50"]), number(&base["p50"]), "{p}");
    }
}

#[test]
fn a_draw_depends_on_its_cell_and_period_not_on_a_knot() {
    // a and b read each other a period apart: one knot, computed period by
    // period. Their draws are those they have on their own.
    let knot = "\
axis year = 2025..2028
a[2025] = 1 to 2
a[year] = b[year - 1] * 0 + (1 to 2)
b[year] = a[year] * 0 + (3 to 4)
";
    let alone = "\
axis year = 2025..2028
a[2025] = 1 to 2
a[year] = 1 to 2
b[year] = 3 to 4
";
    let args = ["--samples", "500", "--seed", "7"];
    let (tied, apart) = (simulated(knot, &args), simulated(alone, &args));
    assert_eq!(periods(&tied, "a"), periods(&apart, "a"));
    assert_eq!(periods(&tied, "b"), periods(&apart, "b"));
    // And a recurrence compounds a fresh draw each period.
    let compounding = simulated(
        "axis year = 2025..2028\ncap[2025] = 100\ncap[year] = cap[year - 1] * (1 + (1% to 10%))\n",
        &args,
    );
    let cap = periods(&compounding, "cap");
    assert_eq!(cap[0]["p5"], "100");
    let spread = |p: &Json| number(&p["p95"]) - number(&p["p5"]);
    assert!(spread(&cap[1]) < spread(&cap[2]) && spread(&cap[2]) < spread(&cap[3]));
}

#[test]
fn simulate_gives_a_series_a_row_a_period_in_every_format() {
    let (table, err, code) = run(GROWTH, &["simulate", "--samples", "200", "growth", "base"]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = table
        .lines()
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(
        rows,
        [
            "200",
            "cell",
            "growth[2025]",
            "growth[2026]",
            "growth[2027]",
            "growth[2028]",
            "base"
        ],
        "{table}"
    );
    let (csv, _, _) = run(
        GROWTH,
        &[
            "simulate",
            "--samples",
            "200",
            "--format",
            "csv",
            "growth[2026]",
            "base",
        ],
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "name,period,unit,p5,p50,p95,mean,share,error");
    assert!(lines[1].starts_with("growth,2026,,0.0"), "{csv}");
    assert!(lines[2].starts_with("base,,,"), "{csv}");
    let one = simulated(GROWTH, &["--samples", "200", "growth[2027]"]);
    assert_eq!(periods(&one, "growth").len(), 1);
    assert_eq!(periods(&one, "growth")[0]["period"], 2027);
    let (_, err, code) = run(GROWTH, &["simulate", "growth[2035]"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("outside year 2025..2028"), "{err}");
}

#[test]
fn a_period_that_fails_in_some_samples_says_which() {
    let model = "axis year = 2025..2026\nx[year] = normal(0 to 1)\ny[year] = 1 / x[year]\nz[year] = sqrt(x[year])\n";
    let (out, err, code) = run(model, &["simulate", "--samples", "1000", "z"]);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("cell 'z[2025]': failed in "), "{err}");
    assert!(err.contains("cell 'z[2026]': failed in "), "{err}");
}

#[test]
fn the_repl_simulates_a_series_period_by_period() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, GROWTH).unwrap();
    let (out, err, code) = repl_piped(
        &[path.to_str().unwrap()],
        ":sim growth 500\n:sim growth[2026] 500\ngrowth[2027] = 20% to 30%\n:sim growth[2040]\n",
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("growth: 500 samples, seed 0"), "{out}");
    assert!(
        out.lines().any(|l| l
            .split_whitespace()
            .eq(["period", "p5", "p50", "p95", "mean"])),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("2028 ") && l.contains('%')),
        "{out}"
    );
    // The last period's histogram follows the table.
    let table_end = out.find("growth[2026]").unwrap_or(out.len());
    assert!(out[..table_end].contains('█'), "{out}");
    assert!(out.contains("growth[2026]: 500 samples"), "{out}");
    assert!(out.contains('█'), "{out}");
    assert!(out.contains("growth[2027]: 10000 samples"), "{out}");
    assert!(err.contains("outside year"), "{err}");
}

#[test]
fn a_statistic_in_a_series_formula_is_that_periods() {
    let model = "\
axis year = 2025..2027
growth[year] = 5% to 15%
capex[2025] = 100
capex[year] = capex[year - 1] * (1 + growth)
mean[year] = expected(capex)
above = prob(capex[2027] > 118)
";
    let (out, err, code) = run(model, &["get", "--exact", "mean"]);
    assert_eq!(code, 0, "{err}");
    let means: Vec<f64> = out
        .lines()
        .map(|l| l.split_whitespace().nth(1).unwrap().parse().unwrap())
        .collect();
    // 100 pinned, then compounding a mean growth of about 9.15% a year
    // (the mean of a lognormal with 5th and 95th percentiles 5% and 15%).
    assert_eq!(means[0], 100.0, "{out}");
    assert!((means[1] - 109.15).abs() < 0.3, "{out}");
    assert!((means[2] - 119.14).abs() < 0.6, "{out}");
    let (out, err, code) = run(model, &["get", "above"]);
    assert_eq!(code, 0, "{err}");
    let share: f64 = out.trim().parse().unwrap();
    assert!(share > 0.4 && share < 0.7, "{out}");
}

#[test]
fn sensitivity_moves_a_ranged_rule_as_one_input() {
    let (out, err, code) = run(GROWTH, &["sensitivity", "flat[2026]"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("each uncertain input at its 5th and 95th percentile"),
        "{out}"
    );
    let growth = out
        .lines()
        .find(|l| l.starts_with("growth[year] "))
        .unwrap_or_else(|| panic!("no growth[year] row: {out}"));
    assert!(growth.contains("5%") && growth.contains("15%"), "{growth}");
    assert!(out.lines().any(|l| l.starts_with("base ")), "{out}");
}

#[test]
fn the_repl_shows_a_condition_series_as_shares() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    let model = format!("{GROWTH}fast[year] = growth > 10%\n");
    std::fs::write(&path, model).unwrap();
    let (out, err, code) = repl_piped(&[path.to_str().unwrap()], ":sim fast 500\n");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines()
            .any(|l| l.split_whitespace().eq(["period", "true", "in"])),
        "{out}"
    );
    assert!(!out.contains("p50"), "{out}");
}
