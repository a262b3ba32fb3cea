//! The files a model is read from: its own file and the files it imports
//! (docs/language.md#several-files). Every definition, assertion and
//! diagnostic says which of them it stands in ([`FileId`]), so that a
//! message, an `explain` line or the editor names the right file and line.

use std::sync::Arc;

/// Which file of a model a definition, assertion or diagnostic stands in:
/// the model's own file is [`FileId::ROOT`], imported files follow in the
/// order they were first read.
///
/// Two bytes: every definition of a million-cell model carries one, in
/// what would otherwise be padding.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u16);

impl FileId {
    /// The model's own file (the one named on the command line).
    pub const ROOT: FileId = FileId(0);

    /// The most files one model may be read from.
    pub const MAX_FILES: usize = u16::MAX as usize;

    /// The position in the model's list of files.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// Whether this is the model's own file.
    pub fn is_root(self) -> bool {
        self == FileId::ROOT
    }
}

/// An imported file's path and text, shared by every copy of the model
/// (scenarios clone a model; the text is not copied).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as messages show it: the importing file's folder joined with
    /// the path written in the import.
    pub path: String,
    /// The file's text, as read.
    pub text: Arc<str>,
    /// The qualified alias of its first copy (`site`, or `site.grid` for
    /// a file that `site` imports as `grid`): the first segment is the
    /// importing model's own import it was reached through.
    pub imported_as: String,
}

/// Where diagnostics find the path and text of each file they point into.
pub trait SourceTexts {
    /// The path of file `file`, as messages show it ("" for an unknown file).
    fn path(&self, file: FileId) -> &str;
    /// The text of file `file` ("" for an unknown file).
    fn text(&self, file: FileId) -> &str;
}

/// One text on its own (a file that is not a model yet, a `--set` value):
/// every [`FileId`] names it.
#[derive(Clone, Copy, Debug)]
pub struct OneText<'a> {
    /// Its path, or what stands for one (`--set`).
    pub path: &'a str,
    /// The text.
    pub text: &'a str,
}

impl SourceTexts for OneText<'_> {
    fn path(&self, _: FileId) -> &str {
        self.path
    }

    fn text(&self, _: FileId) -> &str {
        self.text
    }
}
