//! Model files on disk: writing them so that they are never lost or
//! half-written ([`write_atomic`]), keeping their line endings
//! ([`line_ending`]), and saying in plain words why the system refused a
//! read or a write ([`FileError`]). Every command that touches a file goes
//! through here, so that each failure reads the same wherever it happens.

mod atomic;

use std::path::{Path, PathBuf};

pub use atomic::write_atomic;

/// Whether a file was being read or written when the system refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Reading a file that should be there.
    Read,
    /// Writing a file, new or not, into a folder that should be there.
    Write,
}

/// A file the system would not let premise read or write:
/// `cannot read 'm.model': no such file`.
#[derive(Debug, thiserror::Error)]
#[error("cannot {} '{}': {}", .access.verb(), .path.display(), io_words(.error, *.access))]
pub struct FileError {
    /// Reading or writing.
    pub access: Access,
    /// The path as given.
    pub path: PathBuf,
    /// What the system said.
    #[source]
    pub error: std::io::Error,
}

impl FileError {
    /// A refused read of `path`.
    pub fn read(path: impl AsRef<Path>, error: std::io::Error) -> FileError {
        FileError {
            access: Access::Read,
            path: path.as_ref().to_path_buf(),
            error,
        }
    }

    /// A refused write of `path`.
    pub fn write(path: impl AsRef<Path>, error: std::io::Error) -> FileError {
        FileError {
            access: Access::Write,
            path: path.as_ref().to_path_buf(),
            error,
        }
    }
}

impl Access {
    fn verb(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Write => "write",
        }
    }
}

/// The system's I/O error in plain words: the one wording of every message
/// about a file that could not be read or written.
pub fn io_words(e: &std::io::Error, access: Access) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        // A write creates the file: what is missing is the folder.
        ErrorKind::NotFound if access == Access::Write => "no such folder".to_string(),
        ErrorKind::NotFound => "no such file".to_string(),
        ErrorKind::PermissionDenied => "permission denied".to_string(),
        ErrorKind::IsADirectory if access == Access::Read => {
            "it is a directory, not a model file".to_string()
        }
        ErrorKind::IsADirectory => "it is a directory".to_string(),
        ErrorKind::StorageFull => "the disk is full".to_string(),
        ErrorKind::FileTooLarge => "the file is larger than this system allows".to_string(),
        ErrorKind::ReadOnlyFilesystem => "the file system is read-only".to_string(),
        _ => e.to_string(),
    }
}

/// The file's line ending, judged by its first line: `\r\n` or `\n`.
pub fn line_ending(source: &str) -> &'static str {
    match source.find('\n') {
        Some(i) if i > 0 && source.as_bytes().get(i - 1) == Some(&b'\r') => "\r\n",
        _ => "\n",
    }
}
