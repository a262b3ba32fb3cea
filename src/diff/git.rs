//! Models in git: reading a version of a model from a revision, and setting
//! a repository up so that `git diff` and `git log -p` show semantic diffs.
//!
//! git is run as a program (`git show`, `git config`), as a user would run
//! it, so that every repository layout git understands (worktrees,
//! submodules, `REV:./path`) works here too.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::model::{joined, normal, FileSystem, Found, ReadError, Reader};

/// Where one side of a diff comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A file on disk.
    File(PathBuf),
    /// `REV:PATH` read with `git show`, run in `dir` (the current folder when `None`).
    Revision {
        /// The revision: `HEAD`, `HEAD~1`, a branch, a hash.
        rev: String,
        /// The path as git reads it: from the repository's root, or `./`-relative.
        path: String,
        /// Where to run git.
        dir: Option<PathBuf>,
    },
    /// Nothing: the side of an added or deleted file.
    Empty,
}

impl Source {
    /// A side as written on the command line: a file when one of that name
    /// exists, else `REV:PATH` when it has a colon, else a (missing) file.
    pub fn parse(spec: &str) -> Source {
        if Path::new(spec).exists() {
            return Source::File(PathBuf::from(spec));
        }
        match spec.split_once(':') {
            Some((rev, path)) if !rev.is_empty() => Source::Revision {
                rev: rev.to_string(),
                path: path.to_string(),
                dir: None,
            },
            _ => Source::File(PathBuf::from(spec)),
        }
    }

    /// The version of `file` at `HEAD`, found from the file's own folder.
    pub fn head_of(file: &str) -> Source {
        let path = Path::new(file);
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map(Path::to_path_buf);
        let name = path
            .file_name()
            .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned());
        Source::Revision {
            rev: "HEAD".to_string(),
            path: format!("./{name}"),
            dir,
        }
    }

    /// The bytes of this version; the reason in words when they cannot be read.
    pub fn read(&self) -> Result<Vec<u8>, String> {
        match self {
            Source::File(p) => {
                std::fs::read(p).map_err(|e| crate::file::FileError::read(p, e).to_string())
            }
            Source::Revision { rev, path, dir } => {
                let object = format!("{rev}:{path}");
                let mut git = Command::new("git");
                if let Some(d) = dir {
                    git.arg("-C").arg(d);
                }
                git.args(["show", "--no-textconv", &object]);
                run(git).map_err(|why| format!("cannot read {object} from git: {why}"))
            }
            Source::Empty => Ok(Vec::new()),
        }
    }
}

impl Source {
    /// Where this side's imports are read from, and where the side's own
    /// file is for them: a revision reads its imports from the same
    /// revision, a file from beside it on disk.
    pub fn imports(&self) -> (Box<dyn Reader>, PathBuf) {
        match self {
            Source::Revision { rev, path, dir } => (
                Box::new(Revision {
                    rev: rev.clone(),
                    dir: dir.clone(),
                }),
                PathBuf::from(path),
            ),
            Source::File(p) => (Box::new(FileSystem), p.clone()),
            Source::Empty => (Box::new(FileSystem), PathBuf::new()),
        }
    }
}

/// Imports read from a git revision (`git show REV:PATH`), relative to the
/// importing file's path in the repository: two versions of a model each
/// read their imports from their own revision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    /// The revision.
    pub rev: String,
    /// Where to run git (the current folder when `None`).
    pub dir: Option<PathBuf>,
}

impl Revision {
    /// The path git reads for a file at `location` (from the repository's
    /// root, or `./`-relative as the model's own path was given).
    fn git_path(location: &Path) -> Result<String, ReadError> {
        let relative = location.starts_with(".") || location.starts_with("..");
        let path = normal(location);
        let text = path.to_string_lossy().replace('\\', "/");
        if relative {
            if text.starts_with("..") {
                return Ok(text);
            }
            return Ok(format!("./{text}"));
        }
        if path.is_absolute() {
            return Err(ReadError(
                "an absolute path cannot be read from a git revision".into(),
            ));
        }
        if text.starts_with("..") {
            return Err(ReadError("the path leaves the repository".into()));
        }
        Ok(text)
    }
}

impl Reader for Revision {
    fn find(&self, importer: &Path, written: &str) -> Result<Found, ReadError> {
        if Path::new(written).is_absolute() {
            return Err(ReadError(
                "an absolute path cannot be read from a git revision".into(),
            ));
        }
        let path = Revision::git_path(&joined(importer, written))?;
        Ok(Found {
            key: PathBuf::from(&path),
            shown: format!("{}:{path}", self.rev),
            location: PathBuf::from(path),
        })
    }

    fn read(&self, found: &Found) -> Result<Vec<u8>, ReadError> {
        Source::Revision {
            rev: self.rev.clone(),
            path: found.location.to_string_lossy().into_owned(),
            dir: self.dir.clone(),
        }
        .read()
        .map_err(ReadError)
    }

    fn identify(&self, location: &Path) -> Option<PathBuf> {
        Revision::git_path(location).ok().map(PathBuf::from)
    }
}

/// Which side of a change a blob is, for [`revision_holding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The version before the change.
    Old,
    /// The version after it.
    New,
}

/// A commit at which `path` (from the repository's root) holds the blob
/// `hex`, for a diff driver, which git tells the blobs it compares but not
/// the revisions: for the new side, the commit that made the file so; for
/// the old side, the last commit before the file changed again (the parent
/// of the commit that changed it), or `HEAD` when it never changed since.
/// For `git log -p` these are exactly the commit and its parent. `None`
/// when git finds no such commit.
pub fn revision_holding(path: &str, hex: &str, side: Side) -> Option<String> {
    if hex.is_empty() || hex.bytes().all(|b| b == b'0' || b == b'.') {
        return None;
    }
    let mut log = Command::new("git");
    log.args([
        "log",
        "--format=commit %H",
        "--raw",
        "--no-abbrev",
        "--",
        path,
    ]);
    let text = run(log).ok()?;
    let text = String::from_utf8_lossy(&text);
    let mut commit = "";
    for line in text.lines() {
        if let Some(c) = line.strip_prefix("commit ") {
            commit = c.trim();
            continue;
        }
        // `:100644 100644 OLD NEW M\tpath`
        let mut fields = line.trim_start_matches(':').split_whitespace();
        let (Some(_), Some(_), Some(old), Some(new)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        match side {
            Side::New if new == hex => return Some(commit.to_string()),
            Side::Old if old == hex => return Some(format!("{commit}^")),
            _ => {}
        }
    }
    // Never changed away from: the file is so at HEAD, if anywhere.
    let mut at_head = Command::new("git");
    at_head.args(["rev-parse", &format!("HEAD:{path}")]);
    let head = run(at_head).ok()?;
    (String::from_utf8_lossy(&head).trim() == hex).then(|| "HEAD".to_string())
}

/// Runs git and returns its output, or what it said on failure.
fn run(mut command: Command) -> Result<Vec<u8>, String> {
    let out = command.output().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "git is not installed (or not on PATH)".to_string(),
        _ => e.to_string(),
    })?;
    if out.status.success() {
        return Ok(out.stdout);
    }
    let said = String::from_utf8_lossy(&out.stderr);
    let first = said
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("git failed")
        .trim();
    Err(first.strip_prefix("fatal: ").unwrap_or(first).to_string())
}

/// The line `premise git setup` puts in `.gitattributes`.
pub const ATTRIBUTE: &str = "*.model diff=premise";

/// The git configuration `premise git setup` writes: (key, value).
pub const CONFIG: [(&str, &str); 2] = [
    ("diff.premise.command", "premise git-diff"),
    ("diff.premise.textconv", "premise show"),
];

/// Sets up the repository around `dir` for semantic diffs of `*.model`
/// files: the attribute line in `.gitattributes` at its root (once) and the
/// diff driver in its local configuration. Returns what was done, one line each.
pub fn setup(dir: &Path) -> Result<Vec<String>, String> {
    let mut top = Command::new("git");
    top.arg("-C")
        .arg(dir)
        .args(["rev-parse", "--show-toplevel"]);
    let root = run(top)?;
    let root = PathBuf::from(String::from_utf8_lossy(&root).trim());
    let mut done = Vec::new();
    let attributes = root.join(".gitattributes");
    // Named as the analyst would from where they stand, when that is the root.
    let shown = match (std::fs::canonicalize(dir), std::fs::canonicalize(&root)) {
        (Ok(here), Ok(top)) if here == top => PathBuf::from(".gitattributes"),
        _ => attributes.clone(),
    };
    let existing = match std::fs::read_to_string(&attributes) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(format!("cannot read {}: {e}", attributes.display())),
    };
    if existing
        .lines()
        .any(|l| l.split_whitespace().eq(ATTRIBUTE.split_whitespace()))
    {
        done.push(format!("{ATTRIBUTE} is already in {}", shown.display()));
    } else {
        let mut text = existing;
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(ATTRIBUTE);
        text.push('\n');
        crate::file::write_atomic(&attributes, text.as_bytes())
            .map_err(|e| crate::file::FileError::write(&attributes, e).to_string())?;
        done.push(format!("added {ATTRIBUTE} to {}", shown.display()));
    }
    for (key, value) in CONFIG {
        let mut config = Command::new("git");
        config
            .arg("-C")
            .arg(&root)
            .args(["config", "--local", key, value]);
        run(config)?;
        done.push(format!("git config {key} \"{value}\""));
    }
    Ok(done)
}

/// The arguments git passes to an external diff driver (`GIT_EXTERNAL_DIFF`, `diff.NAME.command`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DriverCall {
    /// `path old-file old-hex old-mode new-file new-hex new-mode [new-path header]`.
    Pair {
        /// The path in the repository (the old one, for a rename).
        path: String,
        /// Where git put the old version (`/dev/null` when the file is new).
        old_file: String,
        /// Where git put the new version (`/dev/null` when the file was deleted).
        new_file: String,
        /// The old version's blob (`0000...` or `.` when there is none).
        old_hex: String,
        /// The new version's blob (`0000...` for the working tree's file).
        new_hex: String,
        /// The new path, for a rename or copy.
        new_path: Option<String>,
        /// git's header for a rename or copy ("similarity index 90%" ...).
        header: Option<String>,
    },
    /// A path with merge conflicts: git passes only the path.
    Unmerged(String),
}

impl DriverCall {
    /// Reads git's arguments; `None` when they are not git's protocol.
    pub fn parse(args: &[String]) -> Option<DriverCall> {
        match args {
            [path] => Some(DriverCall::Unmerged(path.clone())),
            [path, old_file, old_hex, _, new_file, new_hex, _] => Some(DriverCall::Pair {
                path: path.clone(),
                old_file: old_file.clone(),
                new_file: new_file.clone(),
                old_hex: old_hex.clone(),
                new_hex: new_hex.clone(),
                new_path: None,
                header: None,
            }),
            [path, old_file, old_hex, _, new_file, new_hex, _, new_path, header] => {
                Some(DriverCall::Pair {
                    path: path.clone(),
                    old_file: old_file.clone(),
                    new_file: new_file.clone(),
                    old_hex: old_hex.clone(),
                    new_hex: new_hex.clone(),
                    new_path: Some(new_path.clone()),
                    header: Some(header.clone()),
                })
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn git_driver_arguments() {
        let seven = strings(&[
            "m.model", "/tmp/x", "abc", "100644", "m.model", "def", "100644",
        ]);
        assert_eq!(
            DriverCall::parse(&seven),
            Some(DriverCall::Pair {
                path: "m.model".into(),
                old_file: "/tmp/x".into(),
                new_file: "m.model".into(),
                old_hex: "abc".into(),
                new_hex: "def".into(),
                new_path: None,
                header: None,
            })
        );
        let nine = strings(&[
            "a.model",
            "/tmp/x",
            "abc",
            "100644",
            "/tmp/y",
            "def",
            "100644",
            "b.model",
            "similarity index 90%\nrename from a.model\nrename to b.model\n",
        ]);
        match DriverCall::parse(&nine) {
            Some(DriverCall::Pair {
                new_path, header, ..
            }) => {
                assert_eq!(new_path.as_deref(), Some("b.model"));
                assert!(header.unwrap().starts_with("similarity index 90%"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            DriverCall::parse(&strings(&["m.model"])),
            Some(DriverCall::Unmerged("m.model".into()))
        );
        assert_eq!(DriverCall::parse(&strings(&["a", "b"])), None);
    }

    #[test]
    fn sides_are_files_first() {
        assert_eq!(
            Source::parse("Cargo.toml"),
            Source::File(PathBuf::from("Cargo.toml"))
        );
        assert_eq!(
            Source::parse("HEAD~1:m.model"),
            Source::Revision {
                rev: "HEAD~1".into(),
                path: "m.model".into(),
                dir: None
            }
        );
        assert_eq!(
            Source::parse("missing.model"),
            Source::File(PathBuf::from("missing.model"))
        );
        assert_eq!(
            Source::head_of("models/m.model"),
            Source::Revision {
                rev: "HEAD".into(),
                path: "./m.model".into(),
                dir: Some(PathBuf::from("models"))
            }
        );
    }
}
