//! Commands whose issues are in progress: their arguments are fixed by the
//! SPEC already; each moves to its own module when it is built.

use std::io::Write;

use clap::Args;

use super::common::{usage_error, Exit};

/// `premise diff OLD [NEW]`
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The old version: a file, or REV:PATH from git.
    pub old: String,
    /// The new version (default: compare OLD with its version at HEAD).
    pub new: Option<String>,
    /// Output format: table or json.
    #[arg(long, default_value = "table")]
    pub format: String,
    /// Compare under this scenario.
    #[arg(long)]
    pub scenario: Option<String>,
}

fn not_yet(command: &str) -> Exit {
    usage_error(format!(
        "'premise {command}' is not available in this build yet"
    ))
}

/// `premise repl`
pub fn repl(_file: Option<&str>) -> Exit {
    not_yet("repl")
}

/// `premise fmt`
pub fn fmt(_out: &mut dyn Write, _files: &[String], _check: bool) -> Exit {
    not_yet("fmt")
}

/// `premise diff`
pub fn diff(_out: &mut dyn Write, _args: &DiffArgs) -> Exit {
    not_yet("diff")
}

/// `premise git-diff`
pub fn git_diff(_out: &mut dyn Write, _args: &[String]) -> Exit {
    not_yet("git-diff")
}
