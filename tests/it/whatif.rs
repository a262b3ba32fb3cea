//! What would it take? `solve`, `sweep` and `sensitivity` on the $200B model
//! and small models made for the edge cases, with exact expected values.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crate::common;

use assert_cmd::Command;
use predicates::prelude::*;
use premise::whatif::{sensitivity, solve, Amount, Fault, Goal, Vary, WhatIfError};

const AI: &str = "models/ai_200b.model";

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

/// The texts of an SVG's `<text>` elements.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let body = &t[t.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

fn stdout(args: &[&str]) -> String {
    let out = premise().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

// ---------------------------------------------------------------- solve

#[test]
fn solve_gpu_spend_that_75b_of_revenue_justifies_is_exact() {
    // required = 2 * gpu_spend / 50% = 4 * gpu_spend; 4 * g = $75B at g = $18.75B.
    assert_eq!(
        stdout(&["solve", AI, "--target", "gap=0", "--vary", "gpu_spend"]),
        "gpu_spend = $18.75B  (was $50B)\n\
         gap       = $0       (target $0, was $125B)\n\
         exact: gap is linear in gpu_spend\n"
    );
    assert_eq!(
        stdout(&[
            "solve",
            AI,
            "--target",
            "gap=0",
            "--vary",
            "gpu_spend",
            "--exact"
        ]),
        "gpu_spend = 18750000000  (was 50000000000)\n\
         gap       = 0            (target 0, was 125000000000)\n\
         exact: gap is linear in gpu_spend\n"
    );
}

#[test]
fn solve_a_margin_numerically_to_the_last_digit() {
    // --exact shows the residual the display rounds away.
    let out = stdout(&[
        "solve", AI, "--target", "gap=0", "--vary", "margin", "--exact",
    ]);
    let reached = out.lines().nth(1).unwrap();
    assert!(
        reached.starts_with("gap    = 0.0000") && !reached.starts_with("gap    = 0 "),
        "{out}"
    );
    // $100B / margin = $75B at margin = 4/3.
    let out = stdout(&["solve", AI, "--target", "gap=0", "--vary", "margin"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "margin = 133.33%  (was 50%)");
    // The residual left by the last digit is noise at the display's places.
    assert_eq!(lines[1], "gap    = $0       (target $0, was $125B)");
    assert!(
        lines[2].starts_with("to the last digit: found in ")
            && lines[2].ends_with(" evaluations; margin = 1.3333333333333333333333333333"),
        "{out}"
    );
    // The same root when the search is given a range.
    let out = stdout(&[
        "solve",
        AI,
        "--target",
        "gap=0",
        "--vary",
        "margin",
        "--between",
        "100%..200%",
    ]);
    assert!(
        out.ends_with("margin = 1.3333333333333333333333333333\n"),
        "{out}"
    );
}

#[test]
fn solve_values_take_the_target_unit_or_their_own() {
    assert_eq!(
        stdout(&[
            "solve",
            AI,
            "--target",
            "covered=50%",
            "--vary",
            "revenue.others"
        ]),
        "revenue.others = $39B  (was $14B)\n\
         covered        = 50%   (target 50%, was 37.5%)\n\
         exact: covered is linear in revenue.others\n"
    );
    let out = stdout(&["solve", AI, "--target", "gap=$10B", "--vary", "margin"]);
    assert!(
        out.starts_with(
            "margin = 117.65%  (was 50%)\ngap    = $10B     (target $10B, was $125B)\n"
        ),
        "{out}"
    );
    assert!(
        out.ends_with("margin = 1.1764705882352941176470588235\n"),
        "{out}"
    );
    premise()
        .args(["solve", AI, "--target", "gap=50 [W]", "--vary", "margin"])
        .assert()
        .code(2)
        .stderr("error: '50 [W]' is in W but 'gap' is in USD\n");
}

#[test]
fn solve_prefers_the_shortest_decimal_that_hits() {
    // gap = $100B / margin - $75B = -$80B at margin = -20 exactly; decimal
    // division also hits it from -19.99...987, which is not what anyone wants.
    let out = stdout(&["solve", AI, "--target", "gap=-80B", "--vary", "margin"]);
    assert!(out.starts_with("margin = -2000%  (was 50%)\n"), "{out}");
    assert!(out.ends_with("; margin = -20\n"), "{out}");
}

#[test]
fn solve_under_a_scenario_and_with_set() {
    // bear: margin 40%, so required = 5 * gpu_spend = $75B at $15B.
    let bear = stdout(&[
        "solve",
        AI,
        "--target",
        "gap=0",
        "--vary",
        "gpu_spend",
        "--scenario",
        "bear",
    ]);
    assert!(
        bear.starts_with(
            "gpu_spend = $15B  (was $50B)\ngap       = $0    (target $0, was $175B)\n"
        ),
        "{bear}"
    );
    let set = stdout(&[
        "solve",
        AI,
        "--target",
        "gap=0",
        "--vary",
        "gpu_spend",
        "--set",
        "margin=40%",
    ]);
    assert_eq!(set, bear);
}

#[test]
fn solve_a_nonlinear_root_in_both_directions() {
    let (_d, m) = temp_model("x = 2\ny = x^2\n");
    let out = stdout(&["solve", &m, "--target", "y=2", "--vary", "x"]);
    assert!(
        out.starts_with("x = 1.414214  (was 2)\ny = 2         (target 2, was 4)\n"),
        "{out}"
    );
    assert!(
        out.ends_with("; x = 1.4142135623730950488016887242\n"),
        "{out}"
    );
    let out = stdout(&[
        "solve",
        &m,
        "--target",
        "y=2",
        "--vary",
        "x",
        "--between",
        "-2..0",
    ]);
    assert!(
        out.ends_with("; x = -1.4142135623730950488016887242\n"),
        "{out}"
    );
}

#[test]
fn solve_a_formula_cell_is_replaced_with_a_note() {
    premise()
        .args(["solve", AI, "--target", "gap=0", "--vary", "data_center"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("data_center = $37.5B  (was $100B)\n"))
        .stderr("note: 'data_center' is a formula (gpu_spend + energy); solving replaces it by a number\n");
}

#[test]
fn solve_errors_say_why_with_the_exit_code() {
    premise()
        .args(["solve", AI, "--target", "gap=0", "--vary", "gpu_spen"])
        .assert()
        .code(2)
        .stderr(
            "error: no cell named 'gpu_spen' in models/ai_200b.model (did you mean 'gpu_spend'?)\n",
        );
    premise()
        .args(["solve", AI, "--target", "gapp=0", "--vary", "gpu_spend"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no cell named 'gapp'"));
    premise()
        .args(["solve", AI, "--target", "gap", "--vary", "gpu_spend"])
        .assert()
        .code(2)
        .stderr("error: the target is CELL=VALUE (e.g. gap=0), got 'gap'\n");
    premise()
        .args(["solve", AI, "--target", "ai_revenue=0", "--vary", "margin"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::starts_with(
            "error: 'ai_revenue' does not depend on 'margin': no chain of formulas leads from one to the other; the inputs it depends on are revenue.microsoft, revenue.openai,",
        ));
    premise()
        .args(["solve", AI, "--target", "gap=0", "--vary", "margin", "--between", "10%..90%"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: no value of margin between 10% and 90% makes gap $0: it stays between $36.11B and $925B there",
        ));
    premise()
        .args(["solve", AI, "--target", "gap=5", "--vary", "gpu_spend", "--between", "0..10B"])
        .assert()
        .code(1)
        .stderr("error: no value of gpu_spend between $0 and $10B makes gap $5: it is linear in gpu_spend and reaches $5 only at gpu_spend = $18.75B\n");
    let (_d, m) = temp_model("x = 2\ny = x^2\n");
    premise()
        .args(["solve", &m, "--target", "y=-1", "--vary", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "error: no value of x makes y -1: searched x from ",
        ))
        .stderr(predicate::str::contains(
            "y stays above it (by 1.16 at the closest)",
        ));
}

#[test]
fn solve_a_jump_is_not_a_root() {
    let (_d, m) = temp_model("x = 1\ny = if x > 5 then 1 else -1\n");
    premise()
        .args(["solve", &m, "--target", "y=0", "--vary", "x"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("jumps across 0 near x = 5"));
}

#[test]
fn solve_takes_the_session_workbook() {
    // The REPL passes its workbook, redefinitions included.
    use premise::eval::Workbook;
    use premise::model::{load_file, Definition};
    let model = load_file(AI).unwrap();
    let mut book = Workbook::new(model);
    let (expr, _) = premise::syntax::parse_expression("40%").unwrap();
    let margin = book.model().defined("margin").unwrap();
    let def = Definition {
        percent: true,
        ..book.model().definition(margin).unwrap().clone()
    };
    book.redefine("margin", Definition { expr, ..def }).unwrap();
    let goal = Goal {
        cell: "gap".to_string(),
        value: Amount::Exact(0.into()),
    };
    let s = premise::whatif::solve(&book, &goal, "gpu_spend", None).unwrap();
    assert_eq!(s.value.to_string(), "15000000000");
    assert_eq!(s.formula, "$15B");
    assert!(premise::whatif::solution_lines(&s, false)[0].starts_with("gpu_spend = $15B"));
    // The session's workbook is untouched.
    let g = book.value_of("gpu_spend").unwrap().as_ref().unwrap();
    assert_eq!(premise::display::format_value(g, false), "$50B");
}

#[test]
fn what_if_failures_have_kinds() {
    use premise::eval::Workbook;
    use premise::model::load_file;
    let book = Workbook::new(load_file(AI).unwrap());
    let goal = |cell: &str| Goal {
        cell: cell.to_string(),
        value: Amount::Formula("0".to_string()),
    };
    let unknown = solve(&book, &goal("gapp"), "margin", None).unwrap_err();
    assert!(
        matches!(&unknown, WhatIfError::UnknownCell(u) if u.suggestion.as_deref() == Some("gap"))
    );
    assert_eq!(unknown.fault(), Fault::Usage);
    // gpu_spend reads no other cell: nothing it depends on can move it.
    let unmoved = solve(&book, &goal("gpu_spend"), "margin", None).unwrap_err();
    assert!(matches!(unmoved, WhatIfError::NotDependent(_)), "{unmoved}");
    assert_eq!(unmoved.fault(), Fault::Unanswerable);
    let out_of_range = solve(
        &book,
        &goal("gap"),
        "margin",
        Some((Amount::Formula("10%".into()), Amount::Formula("20%".into()))),
    )
    .unwrap_err();
    assert!(
        matches!(out_of_range, WhatIfError::NoSolution(_)),
        "{out_of_range}"
    );
    let bad_range = Vary::parse("margin=30%").unwrap_err();
    assert!(matches!(bad_range, WhatIfError::Question(_)));
    assert!(matches!(
        sensitivity(&book, "gap", &Amount::Formula("0".into())).unwrap_err(),
        WhatIfError::Question(_)
    ));
}

// ---------------------------------------------------------------- sweep

#[test]
fn sweep_the_margin_from_30_to_70_percent() {
    assert_eq!(
        stdout(&[
            "sweep",
            AI,
            "--vary",
            "margin=30%..70%:10%",
            "--show",
            "gap,required_revenue,covered"
        ]),
        "margin       gap  required_revenue  covered\n\
         30%     $258.33B          $333.33B    22.5%\n\
         40%        $175B             $250B      30%\n\
         50%        $125B             $200B    37.5%\n\
         60%      $91.67B          $166.67B      45%\n\
         70%      $67.86B          $142.86B    52.5%\n"
    );
}

#[test]
fn sweep_csv_and_json_carry_exact_values() {
    assert_eq!(
        stdout(&[
            "sweep",
            AI,
            "--vary",
            "margin=40%..60%:10%",
            "--show",
            "gap,covered",
            "--format",
            "csv"
        ]),
        "margin,margin display,gap,gap display,covered,covered display\n\
         0.4,40%,175000000000,$175B,0.3,30%\n\
         0.5,50%,125000000000,$125B,0.375,37.5%\n\
         0.6,60%,91666666666.66666666666666667,$91.67B,0.45,45%\n"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "sweep",
        AI,
        "--vary",
        "margin=40%..60%:10%",
        "--show",
        "gap,covered",
        "--format",
        "json",
    ]))
    .unwrap();
    assert_eq!(json["vary"], serde_json::json!(["margin"]));
    assert_eq!(json["show"], serde_json::json!(["gap", "covered"]));
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[0]["margin"],
        serde_json::json!({"value": "0.4", "unit": "", "display": "40%"})
    );
    assert_eq!(
        rows[2]["gap"],
        serde_json::json!({"value": "91666666666.66666666666666667", "unit": "USD", "display": "$91.67B"})
    );
    assert_eq!(rows[1]["covered"]["value"], "0.375");
}

#[test]
fn sweep_ranges_with_units_a_default_step_and_an_uneven_end() {
    assert_eq!(
        stdout(&[
            "sweep",
            AI,
            "--vary",
            "gpu_spend=$40B..$60B:$5B",
            "--show",
            "gap,data_center"
        ]),
        "gpu_spend    gap  data_center\n\
         $40B        $85B         $80B\n\
         $45B       $105B         $90B\n\
         $50B       $125B        $100B\n\
         $55B       $145B        $110B\n\
         $60B       $165B        $120B\n"
    );
    // No step: 10 intervals, both ends included.
    let out = stdout(&[
        "sweep",
        AI,
        "--vary",
        "margin=50%..100%",
        "--show",
        "required_revenue",
    ]);
    let firsts: Vec<&str> = out
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(
        firsts,
        ["margin", "50%", "55%", "60%", "65%", "70%", "75%", "80%", "85%", "90%", "95%", "100%"]
    );
    premise()
        .args([
            "sweep",
            AI,
            "--vary",
            "margin=40%..65%:10%",
            "--show",
            "gap",
        ])
        .assert()
        .success()
        .stdout(
            "margin      gap\n40%       $175B\n50%       $125B\n60%     $91.67B\n65%     $78.85B\n",
        )
        .stderr("note: the step does not divide margin's range; the last row is 65% itself\n");
}

#[test]
fn sweep_two_ways() {
    assert_eq!(
        stdout(&[
            "sweep",
            AI,
            "--vary",
            "margin=30%..70%:10%",
            "--vary",
            "gpu_spend=40B..60B:5B",
            "--show",
            "gap",
        ]),
        "gap: margin down, gpu_spend across\n\
         margin \\ gpu_spend      $40B     $45B      $50B      $55B     $60B\n\
         30%                 $191.67B    $225B  $258.33B  $291.67B    $325B\n\
         40%                    $125B    $150B     $175B     $200B    $225B\n\
         50%                     $85B    $105B     $125B     $145B    $165B\n\
         60%                  $58.33B     $75B   $91.67B  $108.33B    $125B\n\
         70%                  $39.29B  $53.57B   $67.86B   $82.14B  $96.43B\n"
    );
    premise()
        .args([
            "sweep",
            AI,
            "--vary",
            "margin=30%..70%",
            "--vary",
            "gpu_spend=40B..60B",
            "--show",
            "gap,covered",
        ])
        .assert()
        .code(2)
        .stderr("error: a two-way table shows one cell; got 2 (gap, covered)\n");
}

#[test]
fn sweep_failures_and_limits() {
    premise()
        .args(["sweep", AI, "--vary", "margin=0..20%:10%", "--show", "gap"])
        .assert()
        .code(1)
        .stdout("margin    gap\n0%      error\n10%     $925B\n20%     $425B\n")
        .stderr("error: gap: depends on 'required_revenue': division by zero (at margin = 0%)\n");
    premise()
        .args([
            "sweep",
            AI,
            "--vary",
            "margin=0..1:0.00001",
            "--show",
            "gap",
        ])
        .assert()
        .code(2)
        .stderr(
            "error: 0%..100% in steps of 0.001% makes more than 10000 points; take a bigger step\n",
        );
    premise()
        .args(["sweep", AI, "--vary", "margin=30%..70%", "--show", "gapp"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no cell named 'gapp'"));
    premise()
        .args(["sweep", AI, "--vary", "margin=$1..$2", "--show", "gap"])
        .assert()
        .code(2)
        .stderr("error: '$1' is in USD but 'margin' is a plain number\n");
}

#[test]
fn sweep_plot_is_an_svg_with_model_labels() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("gap.svg");
    let svg_path = svg.to_string_lossy().into_owned();
    premise()
        .args([
            "sweep",
            AI,
            "--vary",
            "margin=30%..70%:10%",
            "--show",
            "gap,covered",
            "--plot",
            &svg_path,
        ])
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg"), "{}", &text[..100]);
    let texts = svg_texts(&text);
    for label in [
        "gap, covered as margin varies",
        "30%",
        "50%",
        "70%",
        "$250B",
        "$100B",
        "gap",
        "covered (right axis)",
        "margin",
        "gap (USD)",
        "covered (%)",
    ] {
        assert!(texts.iter().any(|t| t == label), "no {label} in {texts:?}");
    }
    assert!(text.contains("sans-serif"));
    // A plot path that is not .svg is refused, and the file is left alone.
    let model_copy = dir.path().join("keep.model");
    std::fs::write(&model_copy, "x = 1\n").unwrap();
    premise()
        .args([
            "sweep",
            AI,
            "--vary",
            "margin=30%..70%",
            "--show",
            "gap",
            "--plot",
            &model_copy.to_string_lossy(),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the plot file must end in .svg"));
    assert_eq!(std::fs::read_to_string(&model_copy).unwrap(), "x = 1\n");
}

// ---------------------------------------------------------------- sensitivity

#[test]
fn sensitivity_ranks_what_matters_most() {
    let out = stdout(&["sensitivity", AI, "gap"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "gap = $125B; each input moved by -10% and +10% of its value, the others held"
    );
    assert_eq!(
        lines[1],
        "input                    -10%    +10%  gap at -10%   at +10%   swing"
    );
    assert_eq!(
        lines[2],
        "margin                    45%     55%     $147.22B  $106.82B  $40.4B      ████████████████│████████████████████"
    );
    assert_eq!(
        lines[3],
        "gpu_spend                $45B    $55B        $105B     $145B    $40B    ██████████████████│██████████████████"
    );
    assert_eq!(
        lines[4],
        "energy_per_gpu_dollar     0.9     1.1        $115B     $135B    $20B             █████████│█████████"
    );
    assert!(lines[5]
        .starts_with("revenue.others         $12.6B  $15.4B      $126.4B   $123.6B   $2.8B"));
    assert!(lines[14]
        .starts_with("revenue.openai          $900M   $1.1B      $125.1B   $124.9B   $200M"));
    assert_eq!(lines.len(), 15);
}

#[test]
fn sensitivity_by_half_and_skipped_inputs() {
    let out = stdout(&["sensitivity", AI, "covered", "--by", "50%"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[2]
            .starts_with("gpu_spend               $25B   $75B              75%      25%    50%"),
        "{out}"
    );
    assert!(
        lines[3]
            .starts_with("margin                   25%    75%           18.75%   56.25%  37.5%"),
        "{out}"
    );
    let (_d, m) =
        temp_model("x = 2\ny = x^2\nflag = true\nzero = 0\nz = if flag then y + zero else 0\n");
    premise()
        .args(["sensitivity", &m, "z"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\nx       1.8   2.2       3.24     4.84    1.6 "))
        .stderr("note: skipped 'flag': it is true or false\nnote: skipped 'zero': it is 0, and a share of 0 does not move\n");
    premise()
        .args(["sensitivity", AI, "gpu_spend"])
        .assert()
        .code(1)
        .stderr("error: 'gpu_spend' is an input itself, so no input moves it\n");
    premise()
        .args(["sensitivity", AI, "gap", "--by", "0"])
        .assert()
        .code(2)
        .stderr("error: --by must be more than 0 (e.g. 10%)\n");
}

#[test]
fn sensitivity_plot_is_a_tornado_svg() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("tornado.svg");
    premise()
        .args(["sensitivity", AI, "gap", "--plot", &svg.to_string_lossy()])
        .assert()
        .success();
    let text = std::fs::read_to_string(&svg).unwrap();
    let texts = svg_texts(&text);
    assert_eq!(
        texts,
        [
            "What moves gap ($125B): each input -10% and +10%",
            "gap",
            "revenue.openai",
            "revenue.tencent",
            "revenue.alibaba",
            "revenue.bytedance",
            "revenue.oracle",
            "revenue.google",
            "revenue.apple",
            "revenue.meta",
            "revenue.microsoft",
            "revenue.others",
            "energy_per_gpu_dollar",
            "gpu_spend",
            "margin",
            "$110B",
            "$120B",
            "$130B",
            "$140B",
            "$150B",
            "input -10%",
            "input +10%",
            "gap = $125B",
        ]
    );
}

// ---------------------------------------------------------------- scenarios side by side

#[test]
fn diff_scenario_vs_shows_what_bull_changes_against_bear() {
    premise()
        .args(["diff", AI, "--scenario-vs", "base", "bear"])
        .assert()
        .code(1)
        .stdout(
            "diff models/ai_200b.model scenario base → scenario bear\n\
             \n\
             changed inputs\n  \
               margin  50% → 40%\n          \
                       ## Margin the end customers must earn: \"a 50% margin in the AI business without losing money\". Sequoia, 'AI's $200B Question', 2023-09-20.\n\
             \n\
             changed values\n  \
               required_revenue  $200B → $250B  +$50B    +25%\n  \
               gap               $125B → $175B  +$50B    +40%\n  \
               covered           37.5% → 30%    -7.5 pp  -20%\n\
             \n\
             15 cells unchanged\n",
        );
    let out = premise()
        .args([
            "diff",
            AI,
            "--scenario-vs",
            "bear",
            "bull",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let gap = json["values"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "gap")
        .unwrap()
        .clone();
    assert_eq!(gap["old"]["display"], "$175B");
    assert_eq!(gap["new"]["display"], "$81B");
    premise()
        .args(["diff", AI, "--scenario-vs", "base", "bearr"])
        .assert()
        .code(2)
        .stderr(
            "error: no scenario named 'bearr' in models/ai_200b.model (did you mean 'bear'?)\n",
        );
    premise()
        .args(["diff", AI, "--scenario-vs", "bear", "bear"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no differences"));
}

// ---------------------------------------------------------------- the REPL

fn repl(script: &str) -> (String, String, i32) {
    common::repl_piped(&[AI], script)
}

#[test]
fn repl_solve_sweep_and_sens_use_the_session_model() {
    let (out, err, code) = repl(
        "margin = 40%\n\
         :solve gap=0 gpu_spend\n\
         :sweep gpu_spend=$10B..$20B:$5B gap\n\
         :sens covered\n",
    );
    assert_eq!(err, "");
    assert_eq!(code, 0);
    let lines: Vec<&str> = out.lines().collect();
    // margin 40%: required = 5 * gpu_spend.
    assert_eq!(
        lines[4..12],
        [
            "gpu_spend = $15B  (was $50B)",
            "gap       = $0    (target $0, was $175B)",
            "exact: gap is linear in gpu_spend",
            "gpu_spend    gap",
            "$10B       -$25B",
            "$15B          $0",
            "$20B        $25B",
            "covered = 30%; each input moved by -10% and +10% of its value, the others held",
        ]
    );
    assert!(lines[14].starts_with("margin "), "{out}");
    // The session's model is unchanged by the questions.
    let (out, _, _) = repl(":solve gap=0 gpu_spend\ngpu_spend\n");
    assert!(out.ends_with("\n$50B\n"), "{out}");
}

#[test]
fn repl_whatif_errors_fail_the_line() {
    let (out, err, code) =
        repl(":solve gap=0 gpu_spen\n:sweep margin=0..10%:10% gap\n:sens\n:solve gap 0\n");
    assert_eq!(out, "margin    gap\n0%      error\n10%     $925B\n");
    assert_eq!(
        err,
        "error: no cell named 'gpu_spen' in models/ai_200b.model (did you mean 'gpu_spend'?)\n\
         error: gap: depends on 'required_revenue': division by zero (at margin = 0%)\n\
         error: usage: :sens CELL [BY, e.g. 10%]\n\
         error: usage: :solve CELL=VALUE INPUT [LO..HI]\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn solve_says_when_a_positive_input_turns_negative() {
    let (_dir, path) =
        temp_model("gpus = 1000 [GPU]\nprice = $25K [/GPU]\nleft = $1M - gpus * price - $2.3M\n");
    let out = premise()
        .args(["solve", &path, "--target", "left=0", "--vary", "gpus"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().next(),
        Some("gpus = -52 GPU  (was 1000 GPU)")
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "note: the answer makes 'gpus' negative (-52 GPU, was 1000 GPU); if it cannot be below zero, no value of it reaches the target\n"
    );
    // A root on the positive side says nothing.
    let out = premise()
        .args(["solve", &path, "--target", "left=-$26.3M", "--vary", "gpus"])
        .output()
        .unwrap();
    assert!(out.status.success() && out.stderr.is_empty(), "{out:?}");
}
