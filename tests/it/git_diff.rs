//! Models in git: `premise diff` between revisions, the git diff driver,
//! `git log -p` with and without `--ext-diff`, and `premise git setup`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crate::common;

use common::{ai_with_margin, bundled, stderr, stdout, Repo};

/// The semantic diff of the flagship model when the margin goes from 50% to 45%.
fn margin_body() -> &'static str {
    "\
changed inputs
  margin  50% → 45%
          ## Margin the end customers must earn: \"a 50% margin in the AI business without losing money\". Sequoia, 'AI's $200B Question', 2023-09-20.

changed values
  required_revenue  $200B → $222.22B  +$22.22B  +11.11%
  gap               $125B → $147.22B  +$22.22B  +17.78%
  covered           37.5% → 33.75%    -3.75 pp  -10%

15 cells unchanged
"
}

/// A repository with two commits of m.model: margin 50%, then 45%.
fn two_commits() -> Repo {
    let repo = Repo::new();
    repo.write("m.model", &bundled("ai_200b.model"));
    repo.commit("the $200B question");
    repo.write("m.model", &ai_with_margin("45%"));
    repo.commit("a thinner margin");
    repo
}

#[test]
fn diff_between_a_revision_and_a_file() {
    let repo = two_commits();
    let out = repo.premise(&["diff", "HEAD~1:m.model", "m.model"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("diff HEAD~1:m.model → m.model\n\n{}", margin_body())
    );
    // Two revisions, and a ./-relative path.
    let out = repo.premise(&["diff", "HEAD~1:./m.model", "HEAD:m.model"]);
    assert_eq!(
        stdout(&out),
        format!("diff HEAD~1:./m.model → HEAD:m.model\n\n{}", margin_body())
    );
}

#[test]
fn diff_of_one_file_compares_with_head() {
    let repo = two_commits();
    let out = repo.premise(&["diff", "m.model"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "diff HEAD:m.model → m.model\n\nno differences; 19 cells unchanged\n"
    );
    repo.write("m.model", &bundled("ai_200b.model"));
    let out = repo.premise(&["diff", "m.model"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("  margin  45% → 50%\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn re_spacing_and_comments_are_not_differences() {
    let repo = two_commits();
    let messy = ai_with_margin("45%")
        .replace(
            "gap = required_revenue - ai_revenue",
            "gap=required_revenue-ai_revenue   # the hole",
        )
        .replace("\n\n", "\n\n\n");
    repo.write("m.model", &messy);
    let out = repo.premise(&["diff", "m.model"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn diff_json_and_scenario() {
    let repo = two_commits();
    let out = repo.premise(&["diff", "HEAD~1:m.model", "m.model", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["old"], "HEAD~1:m.model");
    assert_eq!(json["inputs"][0]["name"], "margin");
    assert_eq!(json["inputs"][0]["old"]["value"], "0.5");
    assert_eq!(json["inputs"][0]["new"]["value"], "0.45");
    let names: Vec<&str> = json["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["required_revenue", "gap", "covered"]);
    assert_eq!(
        json["values"][1]["difference"]["value"],
        "22222222222.22222222222222222"
    );
    assert_eq!(json["unchanged"], 15);

    // Under the bear scenario both versions use its 40% margin: nothing moves.
    let out = repo.premise(&["diff", "HEAD~1:m.model", "m.model", "--scenario", "bear"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "diff HEAD~1:m.model → m.model (scenario bear)\n\nno differences; 19 cells unchanged\n"
    );
    let out = repo.premise(&["diff", "HEAD~1:m.model", "m.model", "--scenario", "baer"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: no scenario named 'baer' in HEAD~1:m.model (did you mean 'bear'?)\n"
    );
}

#[test]
fn trouble_exits_2() {
    let repo = two_commits();
    let out = repo.premise(&["diff", "HEAD~5:m.model", "m.model"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("HEAD~5:m.model"), "{}", stderr(&out));
    assert!(out.stdout.is_empty());

    let out = repo.premise(&["diff", "HEAD~1:m.model"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("e.g. premise diff HEAD~1:m.model m.model"),
        "{}",
        stderr(&out)
    );

    let out = repo.premise(&["diff", "m.model", "missing.model"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot read 'missing.model'"),
        "{}",
        stderr(&out)
    );

    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("m.model"), "a = 1\n").unwrap();
    let out = std::process::Command::new(common::BIN)
        .current_dir(outside.path())
        .env("GIT_CEILING_DIRECTORIES", outside.path().parent().unwrap())
        .args(["diff", "m.model"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a git repository"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_broken_side_is_reported_not_compared() {
    let repo = two_commits();
    repo.write("m.model", "margin = 50% +\n");
    let out = repo.premise(&["diff", "HEAD:m.model", "m.model"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("m.model:1:"), "{}", stderr(&out));
}

#[test]
fn git_setup_writes_the_attribute_once_and_the_driver() {
    let repo = Repo::new();
    repo.write(".gitattributes", "*.png binary");
    let out = repo.premise(&["git", "setup"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // From the repository's root, the file is named as the analyst would.
    assert!(
        stdout(&out).starts_with("added *.model diff=premise to .gitattributes\n"),
        "{}",
        stdout(&out)
    );
    let again = repo.premise(&["git", "setup"]);
    assert!(
        stdout(&again).starts_with("*.model diff=premise is already in .gitattributes\n"),
        "{}",
        stdout(&again)
    );
    assert_eq!(
        repo.read(".gitattributes"),
        "*.png binary\n*.model diff=premise\n"
    );
    assert_eq!(
        repo.git_ok(&["config", "diff.premise.command"]),
        "premise git-diff\n"
    );
    assert_eq!(
        repo.git_ok(&["config", "diff.premise.textconv"]),
        "premise show\n"
    );
}

/// A repository set up with `premise git setup`, the model committed twice.
fn set_up() -> Repo {
    let repo = Repo::new();
    let out = repo.premise(&["git", "setup"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    repo.write("m.model", &bundled("ai_200b.model"));
    repo.commit("the $200B question");
    repo.write("m.model", &ai_with_margin("45%"));
    repo
}

#[test]
fn git_diff_shows_the_semantic_diff() {
    let repo = set_up();
    let out = repo.git(&["diff"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        format!("diff a/m.model → b/m.model\n\n{}", margin_body())
    );
}

#[test]
fn git_log_shows_semantic_diffs() {
    let repo = set_up();
    repo.commit("a thinner margin");
    let out = repo.git(&["log", "-p", "--ext-diff", "--format=commit %s"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let log = stdout(&out);
    let expected = format!(
        "commit a thinner margin\n\ndiff a/m.model → b/m.model\n\n{}",
        margin_body()
    );
    assert!(log.starts_with(&expected), "{log}");
    // The first commit adds the file: every cell is new.
    assert!(
        log.contains(
            "diff /dev/null → b/m.model\nnew file\n\nadded cells\n  + gpu_spend = $50B  ⇒ $50B\n"
        ),
        "{log}"
    );

    // Without --ext-diff, git log -p diffs the textconv: one line per cell with its value.
    let log = repo.git_ok(&["log", "-p", "-1", "--format=%s"]);
    for line in [
        "-margin = 50%  ⇒ 50%",
        "+margin = 45%  ⇒ 45%",
        "-gap = required_revenue - ai_revenue  ⇒ $125B",
        "+gap = required_revenue - ai_revenue  ⇒ $147.22B",
    ] {
        assert!(log.lines().any(|l| l == line), "no {line:?} in\n{log}");
    }
    let blame = repo.git_ok(&["blame", "-s", "m.model"]);
    assert!(
        blame.lines().any(|l| l.ends_with("margin = 45%  ⇒ 45%")),
        "{blame}"
    );
}

#[test]
fn git_diff_of_a_rename() {
    let repo = set_up();
    repo.commit("a thinner margin");
    repo.git_ok(&["mv", "m.model", "n.model"]);
    repo.write("n.model", &ai_with_margin("40%"));
    repo.git_ok(&["add", "n.model"]);
    let out = repo.git(&["diff", "--cached", "-M", "HEAD"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("diff a/m.model → b/n.model\nsimilarity index "),
        "{text}"
    );
    assert!(
        text.contains("rename from m.model\nrename to n.model\n"),
        "{text}"
    );
    assert!(text.contains("  margin  45% → 40%\n"), "{text}");
}

#[test]
fn git_diff_of_a_broken_model_falls_back_to_text() {
    let repo = set_up();
    repo.commit("a thinner margin");
    repo.write("m.model", &ai_with_margin("(45%"));
    let out = repo.git(&["diff"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "diff a/m.model → b/m.model\npremise: b/m.model is not a valid model (line "
        ),
        "{text}"
    );
    assert!(text.contains("\n--- a/m.model\n+++ b/m.model\n"), "{text}");
    assert!(text.contains("\n-margin = 45%\n+margin = (45%\n"), "{text}");
}

#[test]
fn git_diff_of_comments_only_shows_them() {
    let repo = set_up();
    repo.commit("a thinner margin");
    let text = ai_with_margin("45%").replace("# --- The hole", "# --- The hole, still open");
    repo.write("m.model", &text);
    let out = repo.git(&["diff"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.contains("no differences; 19 cells unchanged\n\nonly comments or layout changed:\n"),
        "{text}"
    );
    assert!(text.contains("\n+# --- The hole, still open\n"), "{text}");
}

#[test]
fn the_driver_refuses_other_arguments() {
    let repo = Repo::new();
    let out = repo.premise(&["git-diff", "a", "b"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("7 arguments"), "{}", stderr(&out));
    let out = repo.premise(&["git-diff", "m.model"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "* Unmerged path m.model\n");
}

#[test]
fn show_prints_one_line_per_cell() {
    let repo = Repo::new();
    repo.write(
        "m.model",
        "# costs\n## what we spend\n## a year\na = $2B\nb = a * 2  # twice\nc = a / b as %\n## spend more\nscenario up {\n  a = $3B\n}\n",
    );
    let out = repo.premise(&["show", "m.model"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "## what we spend\n## a year\na = $2B  ⇒ $2B\nb = a * 2  ⇒ $4B\nc = a / b as %  ⇒ 50%\n## spend more\nscenario up: a = $3B\n"
    );
    repo.write("bad.model", "a = (\n");
    let out = repo.premise(&["show", "bad.model"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "a = (\n");
}
