//! Where imported files come from (docs/language.md#several-files).
//!
//! A model names its imports by paths relative to the importing file; a
//! [`Reader`] turns such a path into a file's bytes and identity. On disk
//! ([`FileSystem`]) the identity is the canonical path, so that a file
//! reached through `..` or a symbolic link is read (and parsed) once; a git
//! revision has a reader of its own (`crate::diff::git`), so that two
//! versions of a model each read their imports from their own revision.

use std::path::{Component, Path, PathBuf};

use crate::file::{io_words, Access};
use crate::source::FileId;
use crate::syntax::Span;

/// One of the model's own `import "PATH" as NAME` statements.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The name its cells are read by: `site` in `site.pue`.
    pub alias: Box<str>,
    /// The path as written between the quotes.
    pub path: Box<str>,
    /// The file it reads.
    pub file: FileId,
    /// 1-based line of the statement.
    pub line: u32,
    /// The whole statement.
    pub span: Span,
}

/// A file an import names, as a [`Reader`] finds it (without reading it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// What makes two paths one file: a file imported through several
    /// spellings of its path is read once, and cycles are found by it.
    pub key: PathBuf,
    /// Where the file is: what [`Reader::read`] reads, and where the paths
    /// it imports in turn start from.
    pub location: PathBuf,
    /// The path as messages show it.
    pub shown: String,
}

/// Why an imported file could not be read, in words (`no such file`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReadError(pub String);

/// Finds and reads the files a model imports.
pub trait Reader {
    /// The file that `written` (a path written in an import) names, seen
    /// from a file at `importer` (a [`Found::location`], or the model's own path).
    fn find(&self, importer: &Path, written: &str) -> Result<Found, ReadError>;

    /// The bytes of a file [`Reader::find`] found.
    fn read(&self, found: &Found) -> Result<Vec<u8>, ReadError>;

    /// The identity ([`Found::key`]) of the model's own file at `location`,
    /// if it has one: an import of it is then a cycle at once.
    fn identify(&self, location: &Path) -> Option<PathBuf>;
}

/// Imports read from disk, relative to the importing file's folder.
///
/// `..` and absolute paths are allowed; symbolic links are followed (a link
/// and its target are one file); a directory or a file that cannot be read
/// is refused with the reason.
#[derive(Clone, Copy, Debug, Default)]
pub struct FileSystem;

impl Reader for FileSystem {
    fn find(&self, importer: &Path, written: &str) -> Result<Found, ReadError> {
        let location = joined(importer, written);
        if location.is_dir() {
            return Err(ReadError("it is a directory, not a model file".into()));
        }
        let key =
            std::fs::canonicalize(&location).map_err(|e| ReadError(io_words(&e, Access::Read)))?;
        Ok(Found {
            key,
            shown: normal(&location).display().to_string(),
            location,
        })
    }

    fn read(&self, found: &Found) -> Result<Vec<u8>, ReadError> {
        std::fs::read(&found.location).map_err(|e| ReadError(io_words(&e, Access::Read)))
    }

    fn identify(&self, location: &Path) -> Option<PathBuf> {
        std::fs::canonicalize(location).ok()
    }
}

/// The path `written` (from an import) names, seen from a file at
/// `importer`: joined to the importer's folder unless it is absolute.
pub fn joined(importer: &Path, written: &str) -> PathBuf {
    let folder = importer.parent().unwrap_or(Path::new(""));
    folder.join(written)
}

/// `path` without `.` components, and without `..` after a named folder
/// (`models/../shared/x.model` is `shared/x.model`); leading `..` stay.
/// For messages and for paths inside a git revision: on disk a file is
/// found by the path as joined, in case a folder on the way is a link.
pub fn normal(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_importing_file() {
        let at = |importer: &str, written: &str| normal(&joined(Path::new(importer), written));
        assert_eq!(at("models/a.model", "b.model"), Path::new("models/b.model"));
        assert_eq!(at("a.model", "b.model"), Path::new("b.model"));
        assert_eq!(
            at("models/a.model", "../shared/b.model"),
            Path::new("shared/b.model")
        );
        assert_eq!(at("a.model", "../b.model"), Path::new("../b.model"));
        assert_eq!(
            at("models/a.model", "./x/./b.model"),
            Path::new("models/x/b.model")
        );
        assert_eq!(
            at("models/a.model", "/abs/b.model"),
            Path::new("/abs/b.model")
        );
        assert_eq!(at("/m/a.model", "../../b.model"), Path::new("/b.model"));
    }
}
