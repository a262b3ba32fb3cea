//! `premise fmt`: canonical, idempotent, meaning-preserving, safe with the user's file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use crate::common;

use common::{stderr, stdout, Repo};

const MESSY: &str = "\
# Costs   \n\n\n\
## GPU spend\n\
gpu   =   $50B # annual\n\
   energy=gpu*1\n\
total = (gpu +   # GPUs\n\
      energy)\n\n\n\n\
margin = 50%\n\
need = total/margin as %\n\
scenario  bear {\n\
margin=40%\n\
      }\n\n";

const CANONICAL: &str = "\
# Costs

## GPU spend
gpu = $50B  # annual
energy = gpu * 1
total = (gpu +  # GPUs
  energy)

margin = 50%
need = total / margin as %
scenario bear {
  margin = 40%
}
";

#[test]
fn fmt_rewrites_in_place_without_changing_meaning() {
    let repo = Repo::new();
    repo.write("m.model", MESSY);
    repo.commit("messy");
    let out = repo.premise(&["fmt", "--check", "m.model"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "m.model\n");
    assert_eq!(repo.read("m.model"), MESSY, "--check writes nothing");

    let out = repo.premise(&["fmt", "m.model"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(repo.read("m.model"), CANONICAL);

    // Same meaning: the semantic diff against the commit is empty.
    let out = repo.premise(&["diff", "HEAD:m.model", "m.model"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // Idempotent: a second run changes nothing.
    let out = repo.premise(&["fmt", "--check", "m.model"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout(&out), "");
}

#[test]
fn fmt_is_idempotent_on_every_bundled_model() {
    let repo = Repo::new();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("models");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "model") {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            repo.write(&name, &std::fs::read_to_string(&path).unwrap());
            names.push(name);
        }
    }
    assert!(names.len() >= 3, "{names:?}");
    repo.commit("bundled models");
    let args: Vec<&str> = std::iter::once("fmt")
        .chain(names.iter().map(String::as_str))
        .collect();
    let out = repo.premise(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let mut check = args.clone();
    check.push("--check");
    let out = repo.premise(&check);
    assert_eq!(
        out.status.code(),
        Some(0),
        "not idempotent: {}",
        stdout(&out)
    );
    for name in &names {
        let out = repo.premise(&["diff", &format!("HEAD:{name}"), name]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stdout(&out));
    }
    // The bundled models are canonical: a messed-up copy formats back to them exactly.
    for name in &names {
        let canonical = repo.read(name);
        repo.write(name, &mess(&canonical));
        assert_ne!(repo.read(name), canonical);
        let out = repo.premise(&["fmt", name]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(repo.read(name), canonical, "{name}");
    }
}

/// The same model with its spacing and blank lines disturbed (comments left as they are).
fn mess(text: &str) -> String {
    let mut out = String::from("\n\n");
    for line in text.lines() {
        let (code, comment) = match line.split_once('#') {
            Some((code, comment)) => (code, format!("\t#{comment}")),
            None => (line, String::new()),
        };
        let code = code
            .trim_end()
            .replace(" = ", "=")
            .replace(" * ", "  *")
            .replace(" / ", "/ ")
            .replace(" + ", "+");
        out.push_str(&format!("  {code}{comment}   \n"));
        if line.is_empty() {
            out.push_str("\n\n");
        }
    }
    out
}

#[test]
fn a_file_with_errors_is_refused_and_left_alone() {
    let repo = Repo::new();
    let broken = "a   =  1\nb = (a +\nc = a * * 2\n";
    repo.write("m.model", broken);
    repo.write("ok.model", "x=1\n");
    let out = repo.premise(&["fmt", "m.model", "ok.model"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(repo.read("m.model"), broken);
    assert_eq!(
        repo.read("ok.model"),
        "x = 1\n",
        "the other files are still formatted"
    );
    let err = stderr(&out);
    assert!(err.contains("m.model:2:5"), "{err}");
    assert!(err.contains("m.model:3:9"), "{err}");
    assert!(
        err.contains("error: m.model has 2 syntax errors; not formatted"),
        "{err}"
    );

    let out = repo.premise(&["fmt", "missing.model"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read 'missing.model'"));
}

#[cfg(unix)]
#[test]
fn permissions_are_kept_and_unchanged_files_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Repo::new();
    repo.write("m.model", "a=1\n");
    let path = repo.file("m.model");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    let out = repo.premise(&["fmt", "m.model"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(repo.read("m.model"), "a = 1\n");
    let meta = std::fs::metadata(&path).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);

    // Already canonical: not rewritten (same inode, same modification time).
    let before = std::fs::metadata(&path).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    repo.premise(&["fmt", "m.model"]);
    let after = std::fs::metadata(&path).unwrap();
    assert_eq!(before.modified().unwrap(), after.modified().unwrap());
    use std::os::unix::fs::MetadataExt;
    assert_eq!(before.ino(), after.ino());
}
