//! The command line as scripts use it: outputs, JSON and exit codes (docs/language.md#exit-codes).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;
use predicates::prelude::*;

fn premise() -> Command {
    let mut c = Command::cargo_bin("premise").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn temp_model(text: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, text).unwrap();
    let p = path.to_string_lossy().into_owned();
    (dir, p)
}

const AI: &str = "models/ai_200b.model";

#[test]
fn the_200b_question() {
    premise()
        .args(["eval", AI])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"(?m)^required_revenue +\$200B +=").unwrap())
        .stdout(predicate::str::is_match(r"(?m)^gap +\$125B +=").unwrap())
        .stdout(predicate::str::is_match(r"(?m)^ai_revenue +\$75B +=").unwrap());
    premise()
        .args(["get", AI, "gap"])
        .assert()
        .success()
        .stdout("$125B\n");
    premise()
        .args(["get", AI, "gap", "--exact"])
        .assert()
        .success()
        .stdout("125000000000\n");
    premise()
        .args(["get", AI, "covered"])
        .assert()
        .success()
        .stdout("37.5%\n");
}

#[test]
fn every_example_checks_clean() {
    for f in std::fs::read_dir("models").unwrap() {
        let path = f.unwrap().path();
        if path.extension().is_some_and(|e| e == "model") {
            premise()
                .args(["check", &path.to_string_lossy()])
                .assert()
                .success()
                .stdout(predicate::str::ends_with(": ok\n"))
                .stderr("");
        }
    }
}

#[test]
fn scenarios_side_by_side() {
    premise()
        .args(["eval", AI, "gap", "required_revenue", "--scenario", "base,bear"])
        .assert()
        .success()
        .stdout("cell               base   bear  formula\ngap               $125B  $175B  required_revenue - ai_revenue\nrequired_revenue  $200B  $250B  data_center / margin\n");
    premise()
        .args(["get", AI, "gap", "--scenario", "bear"])
        .assert()
        .success()
        .stdout("$175B\n");
}

#[test]
fn set_overrides_a_cell() {
    premise()
        .args(["get", AI, "required_revenue", "--set", "margin=40%"])
        .assert()
        .success()
        .stdout("$250B\n");
    premise()
        .args(["eval", AI, "margin", "--set", "margin=40%"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("margin  40%"));
    premise()
        .args(["get", AI, "margin", "--set", "margin=0.4"])
        .assert()
        .success()
        .stdout("0.4\n");
    premise()
        .args(["get", AI, "gap", "--set", "margn=40%"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no cell named 'margn'")
                .and(predicate::str::contains("did you mean 'margin'?")),
        );
    premise()
        .args(["get", AI, "gap", "--set", "margin=(1"])
        .assert()
        .code(2);
}

#[test]
fn json_shape() {
    let (_d, path) = temp_model(b"gpu = $50B\nbad = 1 / 0\nok = gpu > $1B\nm = 50%\n");
    let out = premise()
        .args(["eval", &path, "--format", "json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["file"], path.as_str());
    assert_eq!(v["scenario"], "base");
    let cells = v["cells"].as_array().unwrap();
    assert_eq!(
        cells[0],
        serde_json::json!({"name": "gpu", "formula": "$50B", "input": true, "value": "50000000000", "unit": "USD", "display": "$50B"})
    );
    assert_eq!(
        cells[1],
        serde_json::json!({"name": "bad", "formula": "1 / 0", "input": true, "error": "division by zero"})
    );
    assert_eq!(cells[2]["value"], serde_json::json!(true));
    assert_eq!(cells[2]["input"], serde_json::json!(false));
    assert_eq!(cells[3]["display"], "50%");
    assert_eq!(cells[3]["value"], "0.5");
    // several scenarios: an array, one object per scenario
    let out = premise()
        .args([
            "eval",
            AI,
            "gap",
            "--format",
            "json",
            "--scenario",
            "base,bull",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[1]["scenario"], "bull");
    assert_eq!(v[0]["cells"][0]["value"], "125000000000");
}

#[test]
fn csv_gains_a_scenario_column() {
    premise()
        .args(["eval", AI, "gap", "--format", "csv", "--scenario", "base,bear"])
        .assert()
        .success()
        .stdout("scenario,name,value,unit,display,formula,error\nbase,gap,125000000000,USD,$125B,required_revenue - ai_revenue,\nbear,gap,175000000000,USD,$175B,required_revenue - ai_revenue,\n");
}

#[test]
fn exit_codes() {
    premise()
        .args(["eval", "no/such.model"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such file"));
    premise()
        .args(["eval", "models"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("directory"));
    premise().args(["eval", AI, "--bogus"]).assert().code(2);
    premise()
        .args(["get", AI, "gapp"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean 'gap'?"));
    premise()
        .args(["eval", AI, "--scenario", "baer"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("did you mean 'bear'?"));
    // a parse error: exit 1, nothing on stdout, file:line:col and a caret on stderr
    let (_d, path) = temp_model(b"a = 1\nb = (2 +\n");
    premise()
        .args(["eval", &path])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("m.model:2:5").and(predicate::str::contains("^")));
    // an evaluation error fails eval, but get of another cell succeeds
    let (_d2, path) = temp_model(b"bad = 1 / 0\ngood = 2\n");
    premise()
        .args(["eval", &path])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "m.model:1:7: cell 'bad': division by zero",
        ));
    premise()
        .args(["get", &path, "good"])
        .assert()
        .success()
        .stdout("2\n")
        .stderr("");
    premise().args(["eval", &path, "good"]).assert().success();
    premise()
        .args(["get", &path, "bad"])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn files_that_are_not_text() {
    let (_d, path) = temp_model(b"a = 1\nb = \x002\n");
    premise()
        .args(["eval", &path])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "m.model:2:5: the file contains a NUL byte",
        ));
    let (_d, path) = temp_model(b"a = 1\nb = \xff\n");
    premise()
        .args(["eval", &path])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "m.model:2:5: the file is not valid UTF-8",
        ));
    let (_d, path) = temp_model(b"");
    premise()
        .args(["eval", &path])
        .assert()
        .success()
        .stdout("");
    let (_d, path) = temp_model(b"# only a comment\n\n## and a doc line\n");
    premise()
        .args(["check", &path])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("0 cells, 0 scenarios: ok\n"));
    let (_d, path) = temp_model(b"a = 1\r\nb = a + 1\r\n");
    premise()
        .args(["get", &path, "b"])
        .assert()
        .success()
        .stdout("2\n");
}

#[test]
fn explain_shows_the_derivation() {
    premise()
        .args(["explain", AI, "required_revenue"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("## "))
        .stdout(predicate::str::contains(
            "\nrequired_revenue = data_center / margin = $100B / 50% = $200B\n├─ data_center = gpu_spend + energy = $50B + $50B = $100B\n",
        ))
        .stdout(predicate::str::is_match(r"gpu_spend = \$50B  \(input, line \d+\)").unwrap())
        .stdout(predicate::str::contains("(see above)"))
        .stdout(predicate::str::is_match(r"└─ margin = 50%  \(input, line \d+\)\n$").unwrap());
}

#[test]
fn graph_formats() {
    premise()
        .args(["graph", AI])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("digraph premise {"))
        .stdout(predicate::str::contains("\"gpu_spend\" -> \"energy\";"));
    let out = premise()
        .args(["graph", AI, "--format", "json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["edges"]
        .as_array()
        .unwrap()
        .contains(&serde_json::json!({"from": "margin", "to": "required_revenue"})));
    assert_eq!(v["nodes"][0]["name"], "gpu_spend");
}

#[test]
fn check_warns_about_unused_inputs_but_succeeds() {
    let (_d, path) = temp_model(
        b"used = 1\nunused = 2\nr.a = 1\nt = sum(r.*) + used\nscenario s {\n  unused = 3\n}\n",
    );
    premise().args(["check", &path]).assert().success().stderr(
        predicate::str::contains("input 'unused' is not used by any cell")
            .and(predicate::str::contains("r.a").not()),
    );
}

#[test]
fn counts_show_every_digit_in_every_command() {
    // Only USD is scaled from a thousand: counts and hours show plainly below a million.
    let cells = "hours = 8760 [h]\ngpu_hours = gpus * hours\ngpu_weeks = gpus * 52 [week]\n";
    let old = format!("gpus = 2048 [GPU]\n{cells}");
    let new = format!("gpus = 4096 [GPU]\n{cells}");
    let (_dir, path) = temp_model(old.as_bytes());
    let (_dir2, path2) = temp_model(new.as_bytes());
    premise()
        .args(["get", &path, "gpus"])
        .assert()
        .success()
        .stdout("2048 GPU\n");
    premise()
        .args(["eval", &path])
        .assert()
        .success()
        .stdout(predicate::str::contains("2048 GPU"))
        .stdout(predicate::str::contains("8760 h"))
        .stdout(predicate::str::contains("17.94M GPU*h"));
    premise()
        .args(["explain", &path, "gpu_hours"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "gpu_hours = gpus * hours = 2048 GPU * 8760 h = 17.94M GPU*h",
        ));
    premise()
        .args(["diff", &path, &path2])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("2048 GPU → 4096 GPU"))
        .stdout(predicate::str::contains(
            "gpu_weeks  106496 GPU*week → 212992 GPU*week  +106496 GPU*week",
        ));
    let (out, _, code) = crate::common::repl_piped(&[&path], "gpus\ngpus = 2049 [GPU]\n");
    assert_eq!(code, 0);
    assert!(
        out.starts_with("2048 GPU\ngpus  2048 GPU → 2049 GPU\n"),
        "{out}"
    );
}

#[test]
fn explain_of_a_copy_says_its_value_once() {
    let (_dir, path) = temp_model(b"x = $2.24M\ny = x\nz = y * 2\n");
    premise()
        .args(["explain", &path, "z"])
        .assert()
        .success()
        .stdout(
            "z = y * 2 = $2.24M * 2 = $4.48M\n\
             └─ y = x = $2.24M\n   \
             └─ x = $2.24M  (input, line 1)\n",
        );
}

#[test]
fn help_quotes_every_example_holding_a_dollar() {
    // `--target gap=$10B` reaches premise as `gap=0B` in bash: an example
    // with `$` is only right in single quotes.
    let mut examples = 0;
    for command in [
        "eval",
        "get",
        "check",
        "explain",
        "repl",
        "solve",
        "sweep",
        "sensitivity",
        "diff",
    ] {
        let out = premise().args([command, "--help"]).output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        for word in help.split_whitespace() {
            let money = word
                .match_indices('$')
                .any(|(i, _)| word[i + 1..].starts_with(|d: char| d.is_ascii_digit()));
            if money {
                let word = word.trim_end_matches([',', ')', '.', ';']);
                assert!(
                    word.len() > 1 && word.starts_with('\'') && word.ends_with('\''),
                    "premise {command} --help: {word} is not in single quotes"
                );
                examples += 1;
            }
        }
    }
    assert!(examples >= 4, "the help shows {examples} money examples");
}

/// A cell that `--set` puts on a cycle has no line in the file: the message
/// names it instead of showing a line 0.
#[test]
fn a_cycle_through_a_set_cell_names_it_instead_of_a_line() {
    let out = premise()
        .args(["eval", AI, "margin", "--set", "margin=gap"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains(
            "cycle: margin -> gap -> required_revenue -> margin (lines 48, 19; margin not from the file)"
        ),
        "{text}"
    );
    assert!(!text.contains("lines 0"), "{text}");
}
