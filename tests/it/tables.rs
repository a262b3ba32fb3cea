//! Tables line up in terminal columns: a cell may be named in any script,
//! and a CJK character takes two columns, so every column after such a name
//! must still start in one place.

use std::process::Command;

use crate::common::{repl_piped, stdout, BIN};

/// Terminal columns of `s`, counted here apart from the engine: the CJK
/// ideographs and kana used below take two, everything else one.
fn columns(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x3040..=0x30FF | 0x4E00..=0x9FFF => 2,
            _ => 1,
        })
        .sum()
}

const MODEL: &str =
    "収入 = $10B\ncost = $4B\n利益率 = (収入 - cost) / 収入 as %\nmargin_of_safety = 利益率 * 2\n";

fn model_file() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, MODEL).unwrap();
    (dir, path.to_string_lossy().into_owned())
}

/// The terminal column where `needle` starts on each line that has it.
fn starts_of(text: &str, needle: &str) -> Vec<usize> {
    text.lines()
        .filter_map(|l| l.find(needle).map(|at| columns(&l[..at])))
        .collect()
}

#[test]
fn eval_aligns_a_cjk_cell_name() {
    let (_dir, path) = model_file();
    let out = Command::new(BIN).args(["eval", &path]).output().unwrap();
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 4, "{text}");
    // The formula column starts with "= " at one terminal column on every line.
    let starts = starts_of(&text, "= ");
    assert_eq!(starts.len(), 4, "{text}");
    assert!(starts.iter().all(|&s| s == starts[0]), "{text}");
    // And the values, right-aligned, end there too.
    let value_ends: Vec<usize> = text
        .lines()
        .map(|l| columns(l.split("  = ").next().unwrap()))
        .collect();
    assert!(value_ends.iter().all(|&e| e == value_ends[0]), "{text}");
}

#[test]
fn sweep_aligns_a_cjk_column_header() {
    let (_dir, path) = model_file();
    let out = Command::new(BIN)
        .args([
            "sweep",
            &path,
            "--vary",
            "cost=$1B..$3B:$1B",
            "--show",
            "利益率,margin_of_safety",
        ])
        .output()
        .unwrap();
    let text = stdout(&out);
    // Right-aligned columns: every line ends at the same terminal column.
    let ends: Vec<usize> = text.lines().map(columns).collect();
    assert_eq!(ends.len(), 4, "{text}");
    assert!(ends.iter().all(|&e| e == ends[0]), "{text}");
}

#[test]
fn repl_lists_align_a_cjk_cell_name() {
    let (_dir, path) = model_file();
    let (out, _, code) = repl_piped(&[&path], ":list\n");
    assert_eq!(code, 0);
    // `name  value`: the values start in one column.
    let value_starts: Vec<usize> = out
        .lines()
        .map(|l| {
            let name_end = l.find(' ').unwrap();
            let value_at = name_end + l[name_end..].find(|c: char| c != ' ').unwrap();
            columns(&l[..value_at])
        })
        .collect();
    assert_eq!(value_starts.len(), 4, "{out}");
    assert!(value_starts.iter().all(|&s| s == value_starts[0]), "{out}");
}
