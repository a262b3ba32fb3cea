//! Every command the documentation shows runs as shown and prints what is
//! printed there: README.md and docs/language.md.
//!
//! The convention: a fenced block with the info string `console`; each
//! command on a line starting `$ `, followed by its exact output (stdout and
//! stderr merged, `NO_COLOR` set). Each command goes through `bash -c`, as
//! an analyst's shell would take it, so a `$50B` left unquoted shows up here
//! as the wrong answer the shell makes of it. The commands of one document
//! run in order in a fresh copy of the repository's `models/` and `docs/`
//! (a git repository, committed), so that what they write or change stays
//! out of the working tree; `premise` is the binary under test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::BIN;

/// A command of a document and the output printed under it.
#[derive(Debug)]
struct Example {
    /// 1-based line of the command in the document.
    line: usize,
    command: String,
    output: String,
}

/// The examples of a document's `console` blocks, in order.
fn examples(text: &str) -> Vec<Example> {
    let mut found: Vec<Example> = Vec::new();
    let mut in_console = false;
    let mut in_other = false;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if in_console || in_other {
                in_console = false;
                in_other = false;
            } else if info.trim() == "console" {
                in_console = true;
            } else {
                in_other = true;
            }
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            found.push(Example {
                line: i + 1,
                command: command.to_string(),
                output: String::new(),
            });
        } else if let Some(last) = found.last_mut() {
            last.output.push_str(line.trim_end());
            last.output.push('\n');
        } else {
            panic!("line {}: a console block must start with '$ '", i + 1);
        }
    }
    found
}

/// Copies a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs `command` through bash in `dir`, as the documentation's reader would;
/// returns stdout and stderr merged, in the order written.
fn run(dir: &Path, command: &str) -> String {
    let bin_dir = Path::new(BIN).parent().unwrap().to_path_buf();
    let mut path = vec![bin_dir];
    if let Some(p) = std::env::var_os("PATH") {
        path.extend(std::env::split_paths(&p));
    }
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("exec 2>&1\n{command}"))
        .current_dir(dir)
        .env("PATH", std::env::join_paths(path).unwrap())
        .env("NO_COLOR", "1")
        .env("HOME", dir.join(".home"))
        .env("XDG_DATA_HOME", dir.join(".home"))
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_EXTERNAL_DIFF")
        .env_remove("GIT_PAGER_IN_USE")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

/// A fresh copy of what the documents' commands read, as a git repository.
fn workspace() -> tempfile::TempDir {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    for folder in ["models", "docs"] {
        copy_tree(&root.join(folder), &dir.path().join(folder));
    }
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "-A"],
        &[
            "-c",
            "user.name=Analyst",
            "-c",
            "user.email=analyst@example.com",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-q",
            "-m",
            "the models",
        ],
    ] {
        let done = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(done.status.success(), "git {args:?}: {done:?}");
    }
    dir
}

/// Runs every example of the document at `path` (from the repository's
/// root); returns how many ran and a description of each mismatch.
fn check_document(path: &str) -> (usize, Vec<String>) {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    let dir = workspace();
    let examples = examples(&text);
    let mut wrong = Vec::new();
    for e in &examples {
        let got = run(dir.path(), &e.command);
        if got != e.output {
            wrong.push(format!(
                "{path}:{}: $ {}\n--- printed there\n{}--- printed now\n{}",
                e.line, e.command, e.output, got
            ));
        }
    }
    (examples.len(), wrong)
}

#[test]
fn the_readme_commands_print_what_it_shows() {
    let (ran, wrong) = check_document("README.md");
    assert!(ran >= 10, "only {ran} commands found in README.md");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_language_reference_commands_print_what_it_shows() {
    let path = "docs/language.md";
    if !Path::new(env!("CARGO_MANIFEST_DIR")).join(path).exists() {
        eprintln!("skipped: {path} is not written yet");
        return;
    }
    let (ran, wrong) = check_document(path);
    assert!(ran > 0, "no commands found in {path}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn documented_arguments_with_a_dollar_are_quoted() {
    // The shell rewrites `$1` and the like inside an unquoted or double-quoted
    // word: `--target gap=$10B` reaches premise as `gap=0B`.
    for path in ["README.md", "docs/language.md"] {
        let Ok(text) = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        else {
            continue;
        };
        for e in examples(&text) {
            assert_eq!(
                unquoted_dollars(&e.command),
                Vec::<String>::new(),
                "{path}:{}: $ {}",
                e.line,
                e.command
            );
        }
    }
}

/// The `$` signs of a shell command that bash would expand: outside single quotes.
fn unquoted_dollars(command: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut single = false;
    for (i, c) in command.char_indices() {
        match c {
            '\'' => single = !single,
            // `$?` is meant: the exit status.
            '$' if !single && !command[i + 1..].starts_with('?') => {
                found.push(command[i..].chars().take(12).collect());
            }
            _ => {}
        }
    }
    found
}

#[test]
fn examples_are_read_from_console_blocks_only() {
    let text = "```sh\n$ not run\n```\n```console\n$ premise a\none\ntwo  \n$ premise b\n```\n";
    let found = examples(text);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].command, "premise a");
    assert_eq!(found[0].output, "one\ntwo\n");
    assert_eq!(found[1].line, 8);
    assert_eq!(found[1].output, "");
    assert_eq!(
        unquoted_dollars("premise solve m --target 'gap=$10B' --set x=$5; echo $?"),
        ["$5; echo $?"]
    );
}

#[test]
fn the_readme_points_at_the_language_reference() {
    // The contract the README once cited is not in the repository.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    assert!(!readme.contains("SPEC"), "README.md cites a SPEC");
    assert!(readme.contains("](docs/language.md)"));
}
