//! Shared test support: the binary, bundled models, a throw-away git repository, a piped REPL.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    dead_code
)]

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The premise binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_premise");

/// A bundled model's text.
pub fn bundled(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("models")
            .join(name),
    )
    .unwrap()
}

/// The flagship model with another margin.
pub fn ai_with_margin(margin: &str) -> String {
    let text = bundled("ai_200b.model");
    assert!(text.contains("\nmargin = 50%\n"));
    text.replace("\nmargin = 50%\n", &format!("\nmargin = {margin}\n"))
}

/// PATH with the premise binary's folder first, so git finds `premise`.
fn path_with_premise() -> OsString {
    let bin_dir = Path::new(BIN).parent().unwrap().to_path_buf();
    let mut dirs = vec![bin_dir];
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(dirs).unwrap()
}

/// A fresh repository in a temporary folder, isolated from the user's git configuration.
pub struct Repo {
    dir: tempfile::TempDir,
}

impl Repo {
    pub fn new() -> Repo {
        let repo = Repo {
            dir: tempfile::tempdir().unwrap(),
        };
        repo.git_ok(&["init", "-q", "-b", "main"]);
        repo.git_ok(&["config", "user.name", "Analyst"]);
        repo.git_ok(&["config", "user.email", "analyst@example.com"]);
        repo.git_ok(&["config", "commit.gpgsign", "false"]);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.path().join(name)
    }

    pub fn write(&self, name: &str, text: &str) {
        std::fs::write(self.file(name), text).unwrap();
    }

    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.file(name)).unwrap()
    }

    fn env(&self, cmd: &mut Command) {
        cmd.current_dir(self.path())
            .env("PATH", path_with_premise())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .env_remove("GIT_EXTERNAL_DIFF")
            .env_remove("GIT_PAGER_IN_USE");
    }

    pub fn git(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new("git");
        self.env(&mut cmd);
        cmd.args(args).output().unwrap()
    }

    /// Runs git and insists that it succeeds; returns its stdout.
    pub fn git_ok(&self, args: &[&str]) -> String {
        let out = self.git(args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    pub fn commit(&self, message: &str) {
        self.git_ok(&["add", "-A"]);
        self.git_ok(&["commit", "-q", "-m", message]);
    }

    pub fn premise(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(BIN);
        self.env(&mut cmd);
        cmd.args(args).output().unwrap()
    }
}

/// stdout as text.
pub fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// stderr as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// `premise COMMAND FILE REST...` on `model` written to a temporary file
/// (`args` is the command, then what follows the file): stdout, stderr and
/// the exit code.
pub fn run_on_model(model: &str, args: &[&str]) -> (String, String, i32) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.model");
    std::fs::write(&path, model).unwrap();
    let path = path.to_str().unwrap().to_string();
    let mut all: Vec<&str> = vec![args[0], &path];
    all.extend_from_slice(&args[1..]);
    let out = Command::new(BIN).args(&all).output().unwrap();
    (stdout(&out), stderr(&out), out.status.code().unwrap_or(-1))
}

/// Runs `premise repl ARGS` with `script` piped on stdin (no terminal):
/// (stdout, stderr, exit code).
pub fn repl_piped(args: &[&str], script: &str) -> (String, String, i32) {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .arg("repl")
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // A REPL that refuses its arguments exits before reading: the script
    // then meets a closed pipe, which is no failure of the test.
    match stdin.write_all(script.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.unwrap(),
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}
