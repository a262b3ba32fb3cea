//! `premise watch`: the file written twice (and once broken) by the test,
//! the output read as it comes.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::Duration;

use crate::common::BIN;

/// Long enough for a slow debug build on a busy machine; a hang fails the test.
const PATIENCE: Duration = Duration::from_secs(60);

/// Lines from a stream, as they come.
fn lines_of(stream: impl std::io::Read + Send + 'static) -> Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { return };
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    rx
}

/// Reads lines until one contains `words`; returns all read.
fn until(rx: &Receiver<String>, words: &str) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        match rx.recv_timeout(PATIENCE) {
            Ok(line) => {
                let done = line.contains(words);
                seen.push(line);
                if done {
                    return seen;
                }
            }
            Err(_) => panic!("no line with {words:?}; saw {seen:#?}"),
        }
    }
}

#[test]
fn watch_prints_what_moved_at_each_save_and_survives_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, "price = $10\nunits = 3\nsales = price * units\n").unwrap();
    let mut child = Command::new(BIN)
        .arg("watch")
        .arg(&path)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = lines_of(child.stdout.take().unwrap());
    let err = lines_of(child.stderr.take().unwrap());
    // The first screen: every cell's value.
    let first = until(&out, "sales  $30");
    assert!(first.contains(&"price  $10".to_string()), "{first:?}");
    // A save that moves two cells.
    std::fs::write(&path, "price = $12\nunits = 3\nsales = price * units\n").unwrap();
    let moved = until(&out, "sales  $30 → $36");
    assert!(moved.contains(&"price  $10 → $12".to_string()), "{moved:?}");
    // A save that does not parse: its error, and the watch goes on.
    std::fs::write(&path, "price = $12 +\nunits = 3\nsales = price * units\n").unwrap();
    let errors = until(&err, "the values above are from the last save that loaded");
    assert!(
        errors.iter().any(|l| l.contains("m.model:1:")),
        "{errors:?}"
    );
    // A save with a failing cell: what moved, and the cell's diagnostic.
    std::fs::write(&path, "price = $12\nunits = 0\nsales = price / units\n").unwrap();
    until(&out, "sales  $36 → error: division by zero");
    until(&err, "cell 'sales': division by zero");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn watch_only_the_cells_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, "a = 1\nb = a + 1\nc = a + 2\n").unwrap();
    let mut child = Command::new(BIN)
        .arg("watch")
        .arg(&path)
        .arg("c")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = lines_of(child.stdout.take().unwrap());
    assert_eq!(until(&out, "c  3"), vec!["c  3".to_string()]);
    std::fs::write(&path, "a = 5\nb = a + 1\nc = a + 2\n").unwrap();
    assert_eq!(until(&out, "c  3 → 7"), vec!["c  3 → 7".to_string()]);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn watch_refuses_a_missing_file_and_an_unknown_cell() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.model");
    let out = Command::new(BIN)
        .arg("watch")
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let path = dir.path().join("m.model");
    std::fs::write(&path, "revenue = 1\n").unwrap();
    let out = Command::new(BIN)
        .arg("watch")
        .arg(&path)
        .arg("revenu")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean 'revenue'"));
}

#[test]
fn watch_follows_the_imported_files_and_says_when_an_assertion_flips() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site.model");
    let path = dir.path().join("m.model");
    std::fs::write(&site, "pue = 1.3\n").unwrap();
    std::fs::write(
        &path,
        "import \"site.model\" as site\npower = 100 * site.pue\nassert power < 150, \"under 150\"\n",
    )
    .unwrap();
    let mut child = Command::new(BIN)
        .arg("watch")
        .arg(&path)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = lines_of(child.stdout.take().unwrap());
    let err = lines_of(child.stderr.take().unwrap());
    until(&out, "power  130");
    // A save of the imported file alone is a new version of the model.
    std::fs::write(&site, "pue = 1.6\n").unwrap();
    let moved = until(&out, "assertion now fails");
    assert!(moved.contains(&"power  130 → 160".to_string()), "{moved:?}");
    until(&err, "assertion failed: under 150");
    child.kill().unwrap();
    child.wait().unwrap();
}
