//! `premise fmt FILE... [--check]`: rewrites models in the canonical layout
//! (see [`crate::fmt`]), atomically and only when the text changes.

use std::io::Write;
use std::path::Path;

use super::common::{report_load_error, usage_error, Exit};
use crate::diagnostic::{self, Diagnostic};
use crate::file::{write_atomic, FileError};
use crate::fmt::format_source;
use crate::model::text_of;
use crate::source::OneText;

/// Formats every file; with `check`, writes nothing and names the files that would change.
/// Exit 1 when a file would change (`--check`) or has syntax errors, 2 when one cannot be read or written.
pub fn fmt(out: &mut dyn Write, files: &[String], check: bool) -> Exit {
    let mut worst = Exit::Ok;
    for file in files {
        let code = one(out, file, check);
        if code as i32 > worst as i32 {
            worst = code;
        }
    }
    worst
}

fn one(out: &mut dyn Write, file: &str, check: bool) -> Exit {
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => return usage_error(FileError::read(file, e)),
    };
    let source = match text_of(file, bytes) {
        Ok(s) => s,
        Err(e) => return report_load_error(e),
    };
    let text = match format_source(&source) {
        Ok(t) => t,
        Err(errors) => {
            let diagnostics: Vec<Diagnostic> = errors.iter().map(Diagnostic::from).collect();
            diagnostic::emit(
                &OneText {
                    path: file,
                    text: &source,
                },
                &diagnostics,
            );
            let n = errors.len();
            eprintln!(
                "error: {file} has {n} syntax error{}; not formatted",
                if n == 1 { "" } else { "s" }
            );
            return Exit::Failed;
        }
    };
    if text == source {
        return Exit::Ok;
    }
    if check {
        let _ = writeln!(out, "{file}");
        return Exit::Failed;
    }
    match write_atomic(Path::new(file), text.as_bytes()) {
        Ok(()) => Exit::Ok,
        Err(e) => usage_error(FileError::write(file, e)),
    }
}
