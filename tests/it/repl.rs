//! `premise repl` driven through pipes (docs/language.md#repl): results on stdout, each
//! error on stderr as `error: ...`, exit 1 at the end if any input failed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crate::common;

use assert_cmd::Command;

const AI: &str = "models/ai_200b.model";

/// Runs `premise repl ARGS` with `script` on stdin; returns (stdout, stderr, exit code).
fn repl(args: &[&str], script: &str) -> (String, String, i32) {
    common::repl_piped(args, script)
}

#[test]
fn queries_print_values_as_the_model_shows_them() {
    let (out, err, code) = repl(
        &[AI],
        "gap\nrequired_revenue / 2\nmargin\ncovered\nai_revenue > $70B\nround(gap / $1B)\n",
    );
    assert_eq!(out, "$125B\n$100B\n50%\n37.5%\ntrue\n125\n");
    assert_eq!(err, "");
    assert_eq!(code, 0);
}

#[test]
fn a_redefinition_prints_every_value_that_moved_old_to_new() {
    let (out, err, code) = repl(&[AI], "margin = 60%\ngap\ntax = 20%\nmargin = 60%\n");
    assert_eq!(
        out,
        "margin  50% → 60%\n\
         required_revenue  $200B → $166.67B\n\
         gap  $125B → $91.67B\n\
         covered  37.5% → 45%\n\
         $91.67B\n\
         tax  20%\n"
    );
    assert_eq!(err, "");
    assert_eq!(code, 0);
}

#[test]
fn a_definition_and_an_equality_test_are_told_apart() {
    let (out, err, code) = repl(
        &[AI],
        "margin == 50%\nmargin = 0.6\nmargin==0.6\nmargin = 60% + 0\n",
    );
    // 0.6 is not a percent literal: it shows as a plain number (docs/language.md#display); the same
    // value written another way moves nothing.
    assert_eq!(
        out,
        "true\n\
         margin  50% → 0.6\n\
         required_revenue  $200B → $166.67B\n\
         gap  $125B → $91.67B\n\
         covered  37.5% → 45%\n\
         true\n"
    );
    assert_eq!(err, "");
    assert_eq!(code, 0);
}

#[test]
fn refused_lines_leave_the_model_as_it_was_and_the_script_goes_on() {
    let (out, err, code) = repl(
        &[AI],
        "margin = 60%%\n\
         gap = gpu_spen * 2\n\
         margin = gap / $1T\n\
         gpu_spen\n\
         :changes\n\
         gap\n",
    );
    assert_eq!(out, "no changes in this session\n$125B\n");
    assert_eq!(
        err,
        "error: expected an operator or the end of the statement, found '%'\n\
         error: unknown name 'gpu_spen' (did you mean 'gpu_spend'?)\n\
         error: that would make a cycle: margin -> gap -> required_revenue -> margin\n\
         error: unknown name 'gpu_spen' (did you mean 'gpu_spend'?)\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn why_is_the_tree_of_premise_explain() {
    let (out, err, code) = repl(&[AI], ":why gap\n:explain gap\n");
    let explain = Command::cargo_bin("premise")
        .unwrap()
        .args(["explain", AI, "gap"])
        .output()
        .unwrap();
    let tree = String::from_utf8(explain.stdout).unwrap();
    assert!(tree.starts_with("## Revenue still missing"));
    assert!(tree.contains("\ngap = required_revenue - ai_revenue = $200B - $75B = $125B\n"));
    assert_eq!(out, format!("{tree}{tree}"));
    assert_eq!(err, "");
    assert_eq!(code, 0);
}

#[test]
fn deps_uses_inputs_list_and_show() {
    let (out, err, code) = repl(
        &[AI],
        ":deps required_revenue\n:uses gpu_spend\n:deps margin\n:uses gap\n:list revenue.o\n:show margin\n",
    );
    assert_eq!(
        out,
        "data_center  $100B\n\
         margin       50%\n\
         energy       $50B\n\
         data_center  $100B\n\
         margin reads no other cell: it is an input\n\
         no cell reads gap\n\
         revenue.openai  $1B\n\
         revenue.oracle  $5B\n\
         revenue.others  $14B\n\
         margin\n  \
         doc      Margin the end customers must earn: \"a 50% margin in the AI business without losing money\". Sequoia, 'AI's $200B Question', 2023-09-20.\n  \
         formula  50%\n  \
         value    50%\n  \
         exact    0.5\n  \
         unit     none\n  \
         defined  models/ai_200b.model line 17\n"
    );
    assert_eq!(err, "");
    assert_eq!(code, 0);

    let (out, _, _) = repl(&[AI], ":inputs\n:list *_revenue\n:list nothing*\n");
    assert_eq!(
        out,
        "gpu_spend              $50B\n\
         energy_per_gpu_dollar  1\n\
         margin                 50%\n\
         revenue.microsoft      $10B\n\
         revenue.openai         $1B\n\
         revenue.meta           $10B\n\
         revenue.apple          $10B\n\
         revenue.google         $10B\n\
         revenue.oracle         $5B\n\
         revenue.bytedance      $5B\n\
         revenue.alibaba        $5B\n\
         revenue.tencent        $5B\n\
         revenue.others         $14B\n\
         required_revenue  $200B\n\
         ai_revenue        $75B\n\
         no cell matches 'nothing*'\n"
    );
}

#[test]
fn changes_reset_and_undo() {
    let (out, err, code) = repl(
        &[AI],
        "margin = 60%\n\
         tax = 20%\n\
         gpu_spend = $60B\n\
         :changes\n\
         :reset gpu_spend\n\
         :undo\n\
         :undo\n\
         :undo\n\
         :changes\n\
         :reset all\n\
         :changes\n\
         :undo\n\
         :changes\n",
    );
    let expected = [
        // margin = 60%
        "margin  50% → 60%",
        "required_revenue  $200B → $166.67B",
        "gap  $125B → $91.67B",
        "covered  37.5% → 45%",
        // tax = 20%
        "tax  20%",
        // gpu_spend = $60B
        "gpu_spend  $50B → $60B",
        "energy  $50B → $60B",
        "data_center  $100B → $120B",
        "required_revenue  $166.67B → $200B",
        "gap  $91.67B → $125B",
        "covered  45% → 37.5%",
        // :changes
        "margin     50% → 60%",
        "tax        (new) → 20%",
        "gpu_spend  $50B → $60B",
        // :reset gpu_spend
        "gpu_spend  $60B → $50B",
        "energy  $60B → $50B",
        "data_center  $120B → $100B",
        "required_revenue  $200B → $166.67B",
        "gap  $125B → $91.67B",
        "covered  37.5% → 45%",
        // :undo (the reset)
        "gpu_spend  $50B → $60B",
        "energy  $50B → $60B",
        "data_center  $100B → $120B",
        "required_revenue  $166.67B → $200B",
        "gap  $91.67B → $125B",
        "covered  45% → 37.5%",
        // :undo (gpu_spend = $60B)
        "gpu_spend  $60B → $50B",
        "energy  $60B → $50B",
        "data_center  $120B → $100B",
        "required_revenue  $200B → $166.67B",
        "gap  $125B → $91.67B",
        "covered  37.5% → 45%",
        // :undo (tax = 20%)
        "tax  20% → (removed)",
        // :changes
        "margin  50% → 60%",
        // :reset all
        "margin  60% → 50%",
        "required_revenue  $166.67B → $200B",
        "gap  $91.67B → $125B",
        "covered  45% → 37.5%",
        // :changes
        "no changes in this session",
        // :undo (the reset of all)
        "margin  50% → 60%",
        "required_revenue  $200B → $166.67B",
        "gap  $125B → $91.67B",
        "covered  37.5% → 45%",
        // :changes
        "margin  50% → 60%",
    ];
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
    assert_eq!(err, "");
    assert_eq!(code, 0);
}

#[test]
fn undo_with_nothing_to_undo_is_an_error() {
    let (out, err, code) = repl(&[AI], ":undo\n");
    assert_eq!(out, "");
    assert_eq!(err, "error: nothing to undo\n");
    assert_eq!(code, 1);
}

#[test]
fn scenarios_switch_and_session_changes_stay_on_top() {
    let (out, err, code) = repl(
        &[AI],
        ":scenario\n:scenario bear\ngap\ngpu_spend = $60B\n:scenario bull\n:scenario base\n:scenario bare\n",
    );
    let expected = [
        "scenario base (the scenarios are base, bear, bull)",
        // :scenario bear
        "margin  50% → 40%",
        "required_revenue  $200B → $250B",
        "gap  $125B → $175B",
        "covered  37.5% → 30%",
        // gap
        "$175B",
        // gpu_spend = $60B
        "gpu_spend  $50B → $60B",
        "energy  $50B → $60B",
        "data_center  $100B → $120B",
        "required_revenue  $250B → $300B",
        "gap  $175B → $225B",
        "covered  30% → 25%",
        // :scenario bull, with gpu_spend still $60B
        "energy_per_gpu_dollar  1 → 0.6",
        "energy  $60B → $36B",
        "data_center  $120B → $96B",
        "margin  40% → 50%",
        "required_revenue  $300B → $192B",
        "revenue.openai  $1B → $5B",
        "ai_revenue  $75B → $79B",
        "gap  $225B → $113B",
        "covered  25% → 41.15%",
        // :scenario base
        "energy_per_gpu_dollar  0.6 → 1",
        "energy  $36B → $60B",
        "data_center  $96B → $120B",
        "required_revenue  $192B → $240B",
        "revenue.openai  $5B → $1B",
        "ai_revenue  $79B → $75B",
        "gap  $113B → $165B",
        "covered  41.15% → 31.25%",
    ];
    assert_eq!(out.lines().collect::<Vec<_>>(), expected);
    assert_eq!(
        err,
        "note: your change of this session stays applied on top of scenario bull\n\
         note: your change of this session stays applied on top of the base model\n\
         error: no scenario named 'bare' (did you mean 'base'?)\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn an_open_parenthesis_continues_onto_the_next_lines() {
    let (out, err, code) = repl(
        &[AI],
        "gap_share = (gap\n   / required_revenue\n) as %\n(gap +\n ai_revenue)\n",
    );
    assert_eq!(out, "gap_share  62.5%\n$200B\n");
    assert_eq!(err, "");
    assert_eq!(code, 0);
}

#[test]
fn commands_help_quit_and_unknown_ones() {
    let (out, err, code) = repl(&[AI], ":help\n:shwo gap\n:quit\ngap\n");
    let help: Vec<&str> = out.lines().collect();
    assert_eq!(
        help.first().copied(),
        Some("expression                             print its value: gap, required_revenue / 2")
    );
    for c in [
        ":why",
        ":deps",
        ":uses",
        ":inputs",
        ":list",
        ":show",
        ":changes",
        ":reset",
        ":undo",
        ":scenario",
        ":reload",
        ":solve",
        ":sweep",
        ":sens",
        ":save",
        ":help",
        ":quit",
    ] {
        assert!(
            help.iter().any(|l| l.starts_with(c)),
            "{c} missing from :help"
        );
    }
    assert!(!out.contains("$125B"), "read past :quit");
    assert_eq!(
        err,
        "error: unknown command ':shwo' (did you mean ':show'?)\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn comments_and_blank_lines_are_ignored() {
    let (out, err, code) = repl(&[AI], "# a comment\n\n   \ngap  # trailing comment\n");
    assert_eq!(out, "$125B\n");
    assert_eq!(err, "");
    assert_eq!(code, 0);
}

#[test]
fn without_a_file_the_session_starts_empty() {
    let (out, err, code) = repl(&[], ":list\nx = 2\ny = x * 3\nx = 3\n:reload\n");
    assert_eq!(
        out,
        "no cells yet: define one with name = expression\nx  2\ny  6\nx  2 → 3\ny  6 → 9\n"
    );
    assert_eq!(
        err,
        "error: no file to reload: this session started without one\n"
    );
    assert_eq!(code, 1);
}

#[test]
fn a_missing_file_is_a_usage_error() {
    let (out, err, code) = repl(&["no/such.model"], "gap\n");
    assert_eq!(out, "");
    assert_eq!(err, "error: cannot read 'no/such.model': no such file\n");
    assert_eq!(code, 2);
}

#[test]
fn reload_reads_the_file_again_and_keeps_what_applies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, "a = 1\nb = 2\nc = a + b\n").unwrap();
    // Drive the REPL line by line through its pipes, and change the file between two inputs.
    let p = path.to_str().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("premise"))
        .args(["repl", p])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::{BufRead, BufReader, Write};
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    writeln!(stdin, "a = 10\nd = b * 2").unwrap();
    stdin.flush().unwrap();
    let mut seen = String::new();
    while !seen.contains("d  4\n") {
        stdout.read_line(&mut seen).unwrap();
    }
    std::fs::write(&path, "a = 1\nc = a * 3\n").unwrap();
    writeln!(stdin, ":reload\nc\n:changes").unwrap();
    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(seen, "a  1 → 10\nc  3 → 12\nd  4\n");
    assert_eq!(
        rest,
        "c  12 → 30\nb  2 → (removed)\nd  4 → (removed)\n30\na  1 → 10\n"
    );
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        format!(
            "note: reloaded {p}: 2 cells, your 1 change kept\n\
             note: your change 'd = b * 2' no longer applies: unknown name 'b'\n"
        )
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn piped_output_has_no_colours_even_without_no_color() {
    let (out, err, _) = repl(&[AI], "margin = 60%\nnope\n:why gap\n");
    assert!(!out.contains('\x1b') && !err.contains('\x1b'));
}

#[test]
fn save_writes_only_the_changed_lines_and_keeps_every_comment() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    let original = std::fs::read_to_string(AI).unwrap();
    std::fs::write(&path, &original).unwrap();
    let p = path.to_string_lossy().into_owned();
    let (out, err, code) = repl(&[&p], "margin = 40%\ntax = 20%\n:save\n:changes\n");
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("saved {p}: 1 cell changed, 1 added\n")),
        "{out}"
    );
    assert!(
        out.ends_with("no changes in this session\n") || err.contains("no changes in this session"),
        "{out}{err}"
    );
    let saved = std::fs::read_to_string(&path).unwrap();
    // The new cell goes before the first scenario.
    let expected = original
        .replacen("\nmargin = 50%\n", "\nmargin = 40%\n", 1)
        .replacen("as %\n\n## Bear", "as %\ntax = 20%\n\n## Bear", 1);
    assert_eq!(saved, expected);
    // the saved file evaluates to the session's values
    let got = Command::cargo_bin("premise")
        .unwrap()
        .args(["get", &p, "gap"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&got.stdout), "$175B\n");
}

#[test]
fn save_to_another_path_refuses_to_overwrite_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("other.model");
    std::fs::write(&other, "keep = 1\n").unwrap();
    let o = other.to_string_lossy().into_owned();
    let (_, err, code) = repl(&[AI], &format!("margin = 40%\n:save {o}\n"));
    assert_eq!(code, 1);
    assert!(err.starts_with("error: "), "{err}");
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep = 1\n");
    let (out, err, code) = repl(&[AI], &format!("margin = 40%\n:save! {o}\n"));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("saved "), "{out}");
    assert!(std::fs::read_to_string(&other)
        .unwrap()
        .contains("\nmargin = 40%\n"));
    // the bundled model itself was not touched
    assert!(std::fs::read_to_string(AI)
        .unwrap()
        .contains("\nmargin = 50%\n"));
}
