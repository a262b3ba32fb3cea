//! Axes and series through the command line (docs/language.md#axes-and-series):
//! the language, errors by period, every command's output of a series, the
//! REPL, what-if questions over periods, and diffs of pins, rules and axes.

use std::process::Output;

use assert_cmd::Command;
use serde_json::Value as Json;

use crate::common::{repl_piped, stderr, stdout};

/// The example of the reference: a recurrence with a pin, a series given by
/// a rule, one inferred from them, and the aggregates of their periods.
const CAPEX: &str = "\
axis year = 2024..2030
growth = 30%
capex[2024] = $50B
capex[year] = capex[year - 1] * (1 + growth)
revenue[year] = $75B * (1 + 40%) ^ (year - 2024)
cash = revenue - capex
gap = capex - revenue
total_capex = sum(capex[*])
late_capex = sum(capex[2028..2030])
value = npv(8%, cash[*])
";

fn model(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, text).unwrap();
    let p = path.to_string_lossy().into_owned();
    (dir, p)
}

fn run(args: &[&str]) -> Output {
    Command::cargo_bin("premise")
        .unwrap()
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .unwrap()
}

/// stdout of a command that must succeed.
fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

// ---------------------------------------------------------------- language

#[test]
fn a_recurrence_runs_along_the_axis_and_aggregates_read_every_period() {
    let (_d, m) = model(CAPEX);
    assert_eq!(ok(&["get", &m, "capex[2026]", "--exact"]), "84500000000\n");
    // 50 * 1.3^6 = 241.34045
    assert_eq!(ok(&["get", &m, "capex[2030]", "--exact"]), "241340450000\n");
    // 50 * (1.3^7 - 1) / 0.3
    assert_eq!(ok(&["get", &m, "total_capex", "--exact"]), "879141950000\n");
    // 142.805 + 185.6465 + 241.34045
    assert_eq!(ok(&["get", &m, "late_capex", "--exact"]), "569791950000\n");
    // revenue - capex at 2025: 105 - 65
    assert_eq!(ok(&["get", &m, "cash[2025]", "--exact"]), "40000000000\n");
}

#[test]
fn get_prints_a_series_one_period_a_line() {
    let (_d, m) = model(CAPEX);
    let text = ok(&["get", &m, "capex"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 7);
    assert_eq!(lines[0], "2024  $50B");
    assert_eq!(lines[2], "2026  $84.5B");
    assert_eq!(
        ok(&["get", &m, "capex", "--exact"]).lines().next(),
        Some("2024 50000000000")
    );
}

#[test]
fn a_pin_wins_over_the_rule_whatever_their_order() {
    let (_d, m) = model("axis t = 1..3\nx[t] = x[t - 1] + 1\nx[2] = 100\nx[1] = 0\n");
    assert_eq!(ok(&["get", &m, "x", "--exact"]), "1 0\n2 100\n3 101\n");
}

#[test]
fn npv_and_irr_over_a_series_follow_excel() {
    let (_d, m) = model(
        "axis year = 2024..2027\ncash[2024] = -10000\ncash[2025] = 3000\ncash[2026] = 4200\n\
         cash[2027] = 6800\nv = round(npv(10%, cash[*]), 2)\nr = round(irr(cash[*]), 4)\n\
         loan = round(pmt(6%/12, 15, 5000), 2)\n",
    );
    assert_eq!(ok(&["get", &m, "v"]), "1188.44\n");
    assert_eq!(ok(&["get", &m, "r"]), "0.1634\n");
    assert_eq!(ok(&["get", &m, "loan"]), "-346.82\n");
}

#[test]
fn a_long_recurrence_evaluates_without_exhausting_the_stack() {
    let (_d, m) = model("axis t = 1..100000\nx[1] = 0\nx[t] = x[t - 1] + 1\nlast = x[100000]\n");
    assert_eq!(ok(&["get", &m, "last"]), "99999\n");
}

// ---------------------------------------------------------------- errors

#[test]
fn reading_outside_the_axis_fails_that_period_only() {
    let (_d, m) =
        model("axis year = 2024..2030\ncapex[year] = capex[year - 1] * 2\ncapex[2025] = 1\n");
    let out = run(&["get", &m, "capex"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("2024  error\n2025  1\n2026  2\n"),
        "{text}"
    );
    let err = stderr(&out);
    assert!(err.contains("cell 'capex[2024]'"), "{err}");
    assert!(
        err.contains("capex[2023] is outside year 2024..2030"),
        "{err}"
    );
}

#[test]
fn a_cycle_through_periods_names_its_elements_and_the_rest_evaluates() {
    let (_d, m) =
        model("axis year = 2024..2026\na[year] = b[year - 1]\nb[year] = a[year + 1]\nc = 5\n");
    let json: Json =
        serde_json::from_str(&stdout(&run(&["eval", &m, "--format", "json"]))).unwrap();
    let cells = json["cells"].as_array().unwrap();
    let a = &cells[0]["periods"][1];
    assert_eq!(a["period"], 2025);
    let message = a["error"].as_str().unwrap();
    assert!(
        message.contains("a[2025] -> b[2024] -> a[2025]"),
        "{message}"
    );
    assert_eq!(cells[2]["value"], "5");
}

#[test]
fn shape_errors_are_errors_of_the_cell_that_offer_the_readings() {
    let (_d, m) = model(
        "axis year = 2024..2025\naxis month = 1..12\na[year] = 1\nb[month] = 2\n\
         both = a + b\ntotal = sum(a)\nfine = 3\n",
    );
    let out = run(&["eval", &m]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("cell 'both'") && err.contains("'year' and 'month'"),
        "{err}"
    );
    assert!(
        err.contains("sum(a[*])") && err.contains("a for its value in each period"),
        "{err}"
    );
    assert!(stdout(&out).contains("fine"));
}

#[test]
fn definitions_that_do_not_make_a_series_are_load_errors_naming_the_lines() {
    let cases = [
        (
            "axis year = 2024..2030\ncapex[2023] = 1\n",
            "capex[2023] is outside year 2024..2030",
        ),
        (
            "axis year = 2030..2024\nx = 1\n",
            "axis 'year' runs backwards",
        ),
        (
            "axis t = 1..100001\nx = 1\n",
            "axis 't' has 100001 periods; an axis has at most 100000",
        ),
        (
            "axis t = 1..3\nx = 1\nx[t] = 2\n",
            "'x' is defined both as one value and period by period (lines 2 and 3)",
        ),
        (
            "axis t = 1..3\nx[t] = 1\nx[t] = 2\n",
            "'x[t]' is defined twice (lines 2 and 3)",
        ),
        ("axis t = 1..3\nx[yr] = 1\n", "'x[yr]' names no axis"),
        (
            "axis t = 1..3\nt = 4\n",
            "'t' is an axis (line 1), so it cannot also be a cell (line 2)",
        ),
    ];
    for (text, message) in cases {
        let (_d, m) = model(text);
        let out = run(&["eval", &m]);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(stdout(&out).is_empty(), "{text}");
        assert!(stderr(&out).contains(message), "{text}: {}", stderr(&out));
    }
}

#[test]
fn a_period_off_the_axis_on_the_command_line_is_a_usage_error() {
    let (_d, m) = model(CAPEX);
    let out = run(&["get", &m, "capex[2023]"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("capex[2023] is outside year 2024..2030"));
    let out = run(&["explain", &m, "growth[2025]"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_question_about_a_whole_series_asks_for_one_period() {
    let (_d, m) = model(CAPEX);
    for args in [
        vec![
            "sweep",
            &m,
            "--vary",
            "growth=10%..30%:10%",
            "--show",
            "capex",
        ],
        vec!["solve", &m, "--target", "capex=$1T", "--vary", "growth"],
        vec!["sensitivity", &m, "cash"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains("is a series: ask about one of its periods, as "),
            "{err}"
        );
        assert!(!err.contains("internal"), "{err}");
    }
    let (out, _, _) = repl_piped(&[&m], ":show capex\n");
    assert!(out.contains("value    2024 $50B … 2030 $241.34B"), "{out}");
    assert!(out.contains("unit     USD"), "{out}");
}

// ---------------------------------------------------------------- output

#[test]
fn json_gives_a_series_its_axis_and_periods() {
    let (_d, m) = model(CAPEX);
    let json: Json = serde_json::from_str(&ok(&["eval", &m, "--format", "json"])).unwrap();
    let capex = json["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "capex")
        .unwrap();
    assert_eq!(capex["axis"], "year");
    assert!(capex.get("value").is_none());
    let first = &capex["periods"][0];
    assert_eq!(first["period"], 2024);
    assert_eq!(first["value"], "50000000000");
    assert_eq!(first["unit"], "USD");
    assert_eq!(first["display"], "$50B");
    assert_eq!(capex["periods"].as_array().unwrap().len(), 7);
    let growth = &json["cells"][0];
    assert_eq!(growth["value"], "0.3");
    assert!(growth.get("axis").is_none());
}

#[test]
fn csv_has_a_period_column_and_a_row_a_period() {
    let (_d, m) = model(CAPEX);
    let text = ok(&["eval", &m, "--format", "csv"]);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("name,period,value,unit,display,formula,error")
    );
    assert_eq!(lines.next(), Some("growth,,0.3,,30%,30%,"));
    let capex: Vec<&str> = text.lines().filter(|l| l.starts_with("capex,")).collect();
    assert_eq!(capex.len(), 7);
    // A pinned period's formula is its pin; the others', the rule.
    assert_eq!(capex[0], "capex,2024,50000000000,USD,$50B,$50B,");
    assert!(
        capex[1].ends_with(",capex[year - 1] * (1 + growth),"),
        "{}",
        capex[1]
    );
}

#[test]
fn csv_of_a_model_without_axes_keeps_its_columns() {
    let (_d, m) = model("a = 1\n");
    assert!(
        ok(&["eval", &m, "--format", "csv"]).starts_with("name,value,unit,display,formula,error\n")
    );
}

#[test]
fn the_table_shows_periods_as_columns_under_their_labels() {
    let (_d, m) = model(CAPEX);
    let text = ok(&["eval", &m]);
    let lines: Vec<&str> = text.lines().collect();
    let header = lines[0];
    assert!(header.trim_start().starts_with("2024") && header.trim_end().ends_with("2030"));
    let capex = lines.iter().find(|l| l.starts_with("capex ")).unwrap();
    // Each value ends where its period's label ends.
    let end_of = |line: &str, what: &str| line.find(what).map(|i| i + what.len());
    assert_eq!(end_of(header, "2026"), end_of(capex, "$84.5B"));
    assert!(
        capex.contains("= capex[year - 1] * (1 + growth) (pinned 2024: $50B)"),
        "{capex}"
    );
}

#[test]
fn a_long_axis_is_elided_in_the_middle_unless_every_period_is_asked_for() {
    let (_d, m) = model("axis month = 1..360\nloan[month] = month\n");
    let short = ok(&["eval", &m]);
    assert!(short.contains('…'));
    assert!(!short.contains(" 180 "));
    let all = ok(&["eval", &m, "--all-periods"]);
    assert!(!all.contains('…'));
    assert!(all.lines().next().unwrap().contains(" 180 "));
}

#[test]
fn explain_a_period_substitutes_that_periods_values() {
    let (_d, m) = model(CAPEX);
    let text = ok(&["explain", &m, "cash[2026]"]);
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        "cash[2026] = revenue - capex = $147B - $84.5B = $62.5B"
    );
    assert!(
        text.contains("capex[2026] = capex[year - 1] * (1 + growth) = $65B * (1 + 30%) = $84.5B"),
        "{text}"
    );
    assert!(text.contains("capex[2024] = $50B  (pin, line 3)"), "{text}");
}

// ---------------------------------------------------------------- what if

#[test]
fn set_and_scenarios_override_pins_rules_and_values() {
    let (_d, m) = model(&format!(
        "{CAPEX}scenario bear {{\n  capex[2024] = $40B\n  growth = 10%\n}}\n"
    ));
    assert_eq!(
        ok(&["get", &m, "capex[2025]", "--scenario", "bear"]),
        "$44B\n"
    );
    assert_eq!(
        ok(&["get", &m, "capex[2025]", "--set", "capex[2025]=$80B"]),
        "$80B\n"
    );
    assert_eq!(
        ok(&["get", &m, "capex[2026]", "--set", "capex[2025]=$80B"]),
        "$104B\n"
    );
    assert_eq!(
        ok(&["get", &m, "capex[2025]", "--set", "capex[year]=$1B"]),
        "$1B\n"
    );
}

#[test]
fn solve_aims_at_a_period_and_varies_a_pin() {
    let (_d, m) = model(CAPEX);
    // gap[2025] = 50 * (1 + g) - 105 = 0 at g = 110%
    let text = ok(&["solve", &m, "--target", "gap[2025]=0", "--vary", "growth"]);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("growth") && first.contains("= 110%"),
        "{text}"
    );
    // gap[2026] = c * 1.69 - 147 = 0 at c = 86.98...B
    let text = ok(&[
        "solve",
        &m,
        "--target",
        "gap[2026]=0",
        "--vary",
        "capex[2024]",
        "--exact",
    ]);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with("capex[2024]") && first.contains("= 86982248520.7"),
        "{text}"
    );
}

#[test]
fn sweep_shows_a_period_and_sensitivity_counts_pins_as_inputs() {
    let (_d, m) = model(CAPEX);
    let text = ok(&[
        "sweep",
        &m,
        "--vary",
        "growth=0%..20%:10%",
        "--show",
        "capex[2026]",
    ]);
    assert!(text.contains("$50B") && text.contains("$60.5B"), "{text}");
    let text = ok(&["sensitivity", &m, "gap[2026]"]);
    assert!(text.contains("capex[2024]"), "{text}");
    assert!(text.contains("growth"), "{text}");
}

#[test]
fn plot_draws_each_series_over_its_axis() {
    let (d, m) = model(CAPEX);
    let svg = ok(&["plot", &m, "capex", "revenue"]);
    assert!(svg.starts_with("<svg"), "{}", &svg[..40.min(svg.len())]);
    assert!(svg.contains("capex, revenue over year"));
    let file = d.path().join("c.svg");
    let out = run(&["plot", &m, "capex", "-o", file.to_str().unwrap()]);
    assert!(out.status.success());
    assert!(std::fs::read_to_string(file)
        .unwrap()
        .contains("capex over year"));
}

// ---------------------------------------------------------------- versions

#[test]
fn diff_lists_pins_rules_axes_and_moved_periods() {
    let (_d, old) = model(CAPEX);
    let (_e, new) = model(
        &CAPEX
            .replace("axis year = 2024..2030", "axis year = 2024..2032")
            .replace("capex[2024] = $50B", "capex[2024] = $60B"),
    );
    let out = run(&["diff", &old, &new]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("year 2024..2030 → 2024..2032"), "{text}");
    assert!(text.contains("capex[2024]  $50B → $60B"), "{text}");
    let moved = text
        .lines()
        .find(|l| l.trim_start().starts_with("capex[2026]"))
        .unwrap();
    assert!(
        moved.contains("$84.5B") && moved.contains("→ $101.4B") && moved.contains("+20%"),
        "{moved}"
    );
    // Periods only the new axis has are told by the axis' change, not as moved values.
    assert!(!text.contains("revenue[2031]"), "{text}");
}

#[test]
fn fmt_writes_index_reads_canonically() {
    let (_d, m) =
        model("axis  year=2024..2026\nx[2024]=1\nx[year]=x[year-1]+x[2024]\ns=sum( x[ * ] )\n");
    assert!(run(&["fmt", &m]).status.success());
    assert_eq!(
        std::fs::read_to_string(&m).unwrap(),
        "axis year = 2024..2026\nx[2024] = 1\nx[year] = x[year - 1] + x[2024]\ns = sum(x[*])\n"
    );
}

#[test]
fn check_names_the_first_failing_period_and_how_many_more() {
    let (_d, m) = model("axis t = 1..5\nd[t] = t - 3\nr = 1 / d\nk = 2 / (d - 1)\n");
    let out = run(&["check", &m]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("cell 'r[3]': division by zero"), "{err}");
    assert!(err.contains("cell 'k[4]': division by zero"), "{err}");
}

#[test]
fn show_lists_axes_pins_and_rules_with_their_values() {
    let (_d, m) = model(CAPEX);
    let text = ok(&["show", &m]);
    assert!(text.starts_with("axis year = 2024..2030\n"), "{text}");
    assert!(text.contains("capex[2024] = $50B  ⇒ $50B\n"), "{text}");
    assert!(
        text.contains("capex[year] = capex[year - 1] * (1 + growth)  ⇒ 2024 $50B … 2030 $241.34B"),
        "{text}"
    );
}

// ---------------------------------------------------------------- REPL

#[test]
fn the_repl_pins_replaces_rules_and_resets_pins() {
    let (_d, m) = model(CAPEX);
    let (out, err, code) = repl_piped(
        &[&m],
        "capex[2027]\ncapex[2025] = $80B\ncapex[year] = capex[year - 1] * 2\n:reset capex[2025]\n",
    );
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "$109.85B");
    // The pin moves 2025..2030 of capex: one line for the series.
    let moved = lines
        .iter()
        .find(|l| l.starts_with("capex  6 periods moved: 2025: $65B → $80B …"))
        .unwrap();
    assert!(moved.contains("2030: $241.34B → $297.03B"), "{moved}");
    // The rule doubles from the pin: 2030 is $80B * 2^5.
    assert!(out.contains("2030: $297.03B → $2.56T"), "{out}");
    assert!(out.contains("2025: $80B → $100B"), "{out}");
}

#[test]
fn the_repl_converts_every_period_of_a_series_asked_for_as_a_unit() {
    let (_d, m) = model("axis year = 2024..2026\np[year] = 2 [MW]\np[2026] = 3 [MW]\n");
    let (out, err, code) = repl_piped(&[&m], "p as [kW]\np[2026] as [kW]\n");
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        ["2024 2000 kW, 2025 2000 kW, 2026 3000 kW", "3000 kW"]
    );
}

#[test]
fn the_repl_refuses_what_does_not_fit_the_series() {
    let (_d, m) = model(CAPEX);
    let (_out, err, code) = repl_piped(
        &[&m],
        "capex[2023] = 1\ncapex = 1\ncapex[year] = b[year - 1]\nb[year] = capex[year + 1]\n",
    );
    assert_eq!(code, 1);
    assert!(
        err.contains("capex[2023] is outside year 2024..2030"),
        "{err}"
    );
    assert!(err.contains("'capex' is a series"), "{err}");
}

// ---------------------------------------------------------------- models

#[test]
fn the_bundled_series_models_evaluate_cleanly_in_every_scenario() {
    for model in [
        "models/ai_buildout.model",
        "models/gpu_cloud.model",
        "models/loan.model",
    ] {
        let out = run(&["check", model]);
        assert!(out.status.success(), "{model}: {}", stderr(&out));
        assert!(
            stdout(&out).ends_with(": ok\n"),
            "{model}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn the_buildout_keeps_the_articles_arithmetic() {
    let m = "models/ai_buildout.model";
    // 2023: $50B of GPUs, $1 of energy each, a 50% margin: $200B needed, $75B there.
    assert_eq!(ok(&["get", m, "required_revenue[2023]"]), "$200B\n");
    assert_eq!(ok(&["get", m, "gap[2023]"]), "$125B\n");
    // 2024: the follow-up's $600B question is the same arithmetic on $150B.
    assert_eq!(ok(&["get", m, "required_revenue[2024]"]), "$600B\n");
    // The cumulative gap adds up the gaps.
    assert_eq!(
        ok(&["get", m, "cumulative_gap[2030]", "--exact"]),
        ok(&["get", m, "total_gap", "--exact"])
    );
}

#[test]
fn the_loan_is_paid_off_to_the_cent() {
    let m = "models/loan.model";
    assert_eq!(ok(&["get", m, "payment", "--exact"]), "-2528.27\n");
    assert_eq!(ok(&["get", m, "closing[360]", "--exact"]), "0\n");
    // The first payment: $2,166.67 of interest, the rest repays principal.
    assert_eq!(ok(&["get", m, "opening[2]", "--exact"]), "399638.4\n");
}

#[test]
fn the_gpu_fleet_pays_back_in_its_fourth_year() {
    let m = "models/gpu_cloud.model";
    assert_eq!(ok(&["get", m, "payback_year"]), "4\n");
    // The rate of return makes the flows worth nothing: npv at it is 0 to the cent.
    let (_d, check) = model(
        &std::fs::read_to_string(m)
            .unwrap()
            .replace("discount_rate = 10%", "discount_rate = return_rate"),
    );
    let value: rust_decimal::Decimal = ok(&["get", &check, "value", "--exact"])
        .trim()
        .parse()
        .unwrap();
    assert!(value.abs() < rust_decimal::Decimal::new(1, 9), "{value}");
}

// ---------------------------------------------------------------- with units, imports, assertions

#[test]
fn as_unit_converts_every_period_of_a_series() {
    let (_d, m) = model("axis year = 2024..2026\np[year] = 2 [MW]\ne[year] = p * 8 [h] as [MWh]\n");
    assert_eq!(ok(&["get", &m, "e[2025]", "--exact"]), "16\n");
    let json: Json = serde_json::from_str(&ok(&["eval", &m, "e", "--format", "json"])).unwrap();
    let periods = json["cells"][0]["periods"].as_array().unwrap();
    assert!(periods.iter().all(|p| p["unit"] == "MWh"), "{json}");
}

#[test]
fn an_assertion_over_a_series_names_the_first_period_that_fails() {
    let (_d, m) = model(
        "axis year = 2024..2026\ne[2024] = 30\ne[year] = e[year - 1] - 10\nassert e > 15, \"enough\"\n",
    );
    let out = run(&["check", &m]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("assertion failed: enough"), "{err}");
    assert!(err.contains("false in 2026"), "{err}");
}
