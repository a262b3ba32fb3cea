//! `premise repl` on a real terminal (tmux): what the analyst types, pastes
//! or completes reaches the model, line for line.
//!
//! tmux runs the REPL in a pseudo-terminal of its own (a private server per
//! test), `send-keys` types, `capture-pane` reads the screen. CI installs
//! tmux (`.ci/run`), so there a missing tmux fails the test; elsewhere the
//! test says it is skipped and passes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use crate::common::BIN;

/// How long to wait for the screen to show what a test expects: generous,
/// for a machine busy compiling. It bounds a wait, it measures nothing.
const PATIENCE: Duration = Duration::from_secs(30);

/// A REPL running on its own tmux server, in a temporary folder that holds
/// the model, the history and the server's socket. Dropping it ends the server.
struct Terminal {
    dir: tempfile::TempDir,
}

impl Terminal {
    /// Starts `premise repl MODEL` on a 100×50 terminal with `model` as the
    /// file's text; `None` (after saying so) when tmux is absent outside CI.
    fn start(model: &str) -> Option<Terminal> {
        let found = Command::new("tmux").arg("-V").output().is_ok();
        if !found {
            assert!(
                std::env::var_os("CI").is_none(),
                "tmux is missing: .ci/run installs it, so CI must have it"
            );
            eprintln!("skipped: tmux is not installed, so the REPL is not tried on a terminal");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("m.model"), model).unwrap();
        let terminal = Terminal { dir };
        let command = format!(
            "env NO_COLOR=1 HOME='{home}' XDG_DATA_HOME='{home}' '{BIN}' repl m.model",
            home = terminal.dir.path().display()
        );
        let started = terminal.tmux(&[
            "new-session",
            "-d",
            "-x",
            "100",
            "-y",
            "50",
            "-c",
            &terminal.dir.path().display().to_string(),
            &command,
        ]);
        assert!(started.status.success(), "tmux: {:?}", started);
        terminal.wait_for(|screen| screen.contains("premise> "));
        Some(terminal)
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs tmux against this test's own server (`-S` socket in the temporary folder).
    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-S")
            .arg(self.path().join("tmux.sock"))
            .arg("-f")
            .arg("/dev/null")
            .args(args)
            .output()
            .unwrap()
    }

    /// Types keys: text, and tmux key names such as `Enter` and `Tab`, all in one `send-keys`.
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0"];
        args.extend_from_slice(keys);
        let sent = self.tmux(&args);
        assert!(sent.status.success(), "send-keys: {sent:?}");
    }

    /// Pastes `text` as a terminal does with bracketed paste on.
    fn paste(&self, text: &str) {
        let file = self.path().join("paste.txt");
        std::fs::write(&file, text).unwrap();
        let loaded = self.tmux(&["load-buffer", &file.display().to_string()]);
        assert!(loaded.status.success(), "load-buffer: {loaded:?}");
        let pasted = self.tmux(&["paste-buffer", "-p", "-t", "0"]);
        assert!(pasted.status.success(), "paste-buffer: {pasted:?}");
    }

    /// The whole screen, the scrollback included, with wrapped lines joined.
    fn screen(&self) -> String {
        let shown = self.tmux(&["capture-pane", "-p", "-J", "-S", "-", "-t", "0"]);
        String::from_utf8_lossy(&shown.stdout).into_owned()
    }

    /// Waits until the screen passes `done`, and returns it; fails with the screen if it never does.
    fn wait_for(&self, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "the terminal never showed what was expected; it shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

const MODEL: &str = "gpu_spend = $50B\nmargin = 50%\nrevenue = gpu_spend * 2 / margin\n";

/// The screen's lines from the first prompt on, trailing blanks dropped.
fn session_lines(screen: &str) -> Vec<String> {
    screen
        .lines()
        .skip_while(|l| !l.starts_with("premise> "))
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn lines_typed_ahead_all_run_in_order() {
    let Some(t) = Terminal::start(MODEL) else {
        return;
    };
    // Three lines in one burst, as typed ahead or pasted without bracketed paste.
    t.keys(&[
        "revenue",
        "Enter",
        "margin = 40%",
        "Enter",
        "revenue",
        "Enter",
    ]);
    let screen = t.wait_for(|s| s.matches("premise> ").count() >= 4);
    assert_eq!(
        session_lines(&screen),
        [
            "premise> revenue",
            "$200B",
            "premise> margin = 40%",
            "margin  50% → 40%",
            "revenue  $200B → $250B",
            "premise> revenue",
            "$250B",
            "premise>",
        ]
    );
}

#[test]
fn a_pasted_block_runs_input_by_input() {
    let Some(t) = Terminal::start(MODEL) else {
        return;
    };
    t.paste("margin = 25%\nextra = (revenue -\n  $100B)\nextra\n");
    t.keys(&["Enter"]);
    let screen = t.wait_for(|s| session_lines(s).iter().any(|l| l == "$300B"));
    let lines = session_lines(&screen);
    let at = |text: &str| lines.iter().position(|l| l == text);
    let moved = at("revenue  $200B → $400B").expect("the margin's change moves revenue");
    let added = at("extra  $300B").expect("the multi-line definition adds extra");
    let queried = at("$300B").expect("the query answers");
    assert!(moved < added && added < queried, "{lines:#?}");
}

#[test]
fn tab_completes_a_cell_name() {
    let Some(t) = Terminal::start(MODEL) else {
        return;
    };
    t.keys(&["gpu_s", "Tab"]);
    t.wait_for(|s| s.contains("premise> gpu_spend"));
    t.keys(&[" * 2", "Enter"]);
    let screen = t.wait_for(|s| s.contains("$100B"));
    assert!(
        session_lines(&screen).contains(&"premise> gpu_spend * 2".to_string()),
        "{screen}"
    );
}
