//! The server under a real editor: headless Neovim runs
//! tests/editors/nvim_lsp.lua against `premise lsp`. Skipped, with a
//! message, where Neovim is not installed (CI installs it: see .ci/run).

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::BIN;

/// Long enough for a slow debug build on a busy machine; a hang fails the test.
const PATIENCE: Duration = Duration::from_secs(120);

fn nvim_present() -> bool {
    Command::new("nvim")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn neovim_shows_diagnostics_hover_and_hints() {
    if !nvim_present() {
        println!("skipped: nvim is not installed (apt-get install neovim)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("plan.model");
    std::fs::write(
        &model,
        "## Sales per year\nrevenue = $50B\nmargin = 40%\nprofit = revenue * margin\ncafé = profit / 0\n",
    )
    .unwrap();
    let out = dir.path().join("nvim.out");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/editors/nvim_lsp.lua");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-c"])
        .arg(format!("luafile {script}"))
        .env("PREMISE_BIN", BIN)
        .env("PREMISE_MODEL", &model)
        .env("PREMISE_OUT", &out)
        .env("HOME", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let pid = child.id();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    if rx.recv_timeout(PATIENCE).is_err() {
        let _ = Command::new("kill").arg(pid.to_string()).status();
        panic!("nvim did not finish");
    }
    let facts = std::fs::read_to_string(&out).unwrap();
    let has = |words: &str| {
        assert!(
            facts.lines().any(|l| l.contains(words)),
            "{words:?} not in:\n{facts}"
        )
    };
    // The server says UTF-16 column 7 (after `café = `); Neovim counts
    // bytes, and `é` is two: column 8 is where the protocol's 7 lands.
    has("diagnostic 4:8 1 cell 'café': division by zero");
    has("hover **profit** = $20B");
    has("profit = revenue * margin");
    has("hint 3:25 ⇒ $20B");
    has("after 3:25 ⇒ $25B");
    has("edit followed true");
}
