//! Files are never lost (docs/language.md#saving): `fmt` in place and the REPL's `:save`
//! write atomically. Writes are made to fail the way a full disk does (a
//! file-size limit, `ulimit -f`, which also binds root) or the process is
//! killed in the middle of writing; the original file must stay byte for
//! byte what it was, and a REPL session must go on with its changes.
#![cfg(target_os = "linux")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use premise::file::write_atomic;

/// A model of about 40 KB whose canonical layout differs (so `fmt` rewrites it).
fn untidy_model() -> String {
    (0..3000).map(|i| format!("x{i}={i}+1\n")).collect()
}

/// Runs the binary under bash with a file-size limit of 8 KB; with `ignore`
/// the limit makes writes fail (EFBIG), else it kills the process mid-write.
fn limited(dir: &Path, args: &str, ignore: bool, stdin: &str) -> Output {
    let bin = assert_cmd::cargo::cargo_bin("premise");
    let trap = if ignore { "trap '' XFSZ; " } else { "" };
    let script = format!("{trap}ulimit -f 8; exec '{}' {args}", bin.display());
    let mut child = Command::new("bash")
        .args(["-c", &script])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".premise-"))
        .collect()
}

#[test]
fn fmt_that_cannot_write_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let original = untidy_model();
    std::fs::write(dir.path().join("m.model"), &original).unwrap();
    let out = limited(dir.path(), "fmt m.model", true, "");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: cannot write 'm.model': the file is larger than this system allows\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("m.model")).unwrap(),
        original
    );
    assert_eq!(
        leftovers(dir.path()),
        Vec::<String>::new(),
        "the temporary file is removed"
    );
}

#[test]
fn fmt_killed_while_writing_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let original = untidy_model();
    std::fs::write(dir.path().join("m.model"), &original).unwrap();
    let out = limited(dir.path(), "fmt m.model", false, "");
    assert_eq!(out.status.code(), None, "killed by SIGXFSZ: {out:?}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("m.model")).unwrap(),
        original
    );
    // A kill leaves its temporary file behind, never a half-written model;
    // without the limit the same command formats the file.
    assert_eq!(leftovers(dir.path()).len(), 1);
    assert_cmd::Command::cargo_bin("premise")
        .unwrap()
        .current_dir(dir.path())
        .args(["fmt", "m.model"])
        .assert()
        .success();
    let formatted = std::fs::read_to_string(dir.path().join("m.model")).unwrap();
    assert!(
        formatted.starts_with("x0 = 0 + 1\nx1 = 1 + 1\n"),
        "{}",
        &formatted[..40]
    );
}

#[test]
fn a_failed_save_keeps_the_repl_session_and_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let original = untidy_model();
    std::fs::write(dir.path().join("m.model"), &original).unwrap();
    let out = limited(dir.path(), "repl m.model", true, "x0 = 5\n:save\nx0\nx1\n");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "x0  1 → 5\n5\n2\n",
        "the session goes on with its change after the failed save"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("error: cannot write m.model: "),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(1), "a line failed");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("m.model")).unwrap(),
        original
    );
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn a_failed_rename_leaves_both_sides_untouched() {
    // The target is a folder: the temporary file is written, the rename fails.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("m.model");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("inside"), "kept").unwrap();
    assert!(write_atomic(&target, b"a = 1\n").is_err());
    assert_eq!(
        std::fs::read_to_string(target.join("inside")).unwrap(),
        "kept"
    );
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn a_read_only_folder_refuses_the_write_and_keeps_the_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("ro");
    std::fs::create_dir(&sub).unwrap();
    let path = sub.join("m.model");
    std::fs::write(&path, "a=1\n").unwrap();
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = tempfile::tempfile_in(&sub);
    if probe.is_ok() {
        std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: this user writes into read-only folders (root?)");
        return;
    }
    assert!(write_atomic(&path, b"a = 1\n").is_err());
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "a=1\n");
}
