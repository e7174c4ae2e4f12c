//! Writing an export to a file: owner-only (0600 on Unix), crash-safe (a uniquely named
//! temporary file created exclusively in the same folder, renamed over the target once
//! complete), and never over an existing file unless asked. An export holds secrets in the
//! clear, so it must never be left half-written, readable by other users, or written through a
//! symbolic link someone planted at the target or temporary name: the target's name is replaced
//! by the rename, never followed, and the temporary name cannot be guessed or pre-created.

use std::io;
use std::path::{Path, PathBuf};

use crate::atomic_file::{self, Existing, WriteFailure};

/// Why an export file was not written. `path` then holds what it held before (or, when only
/// the final flush of the folder failed, the complete export).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportFileError {
    /// The file exists and replacing it was not asked for.
    #[error("{} already exists; it was left as it is", .path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// The operating system refused.
    #[error("could not write {}: {reason}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        reason: String,
    },
}

/// Writes `bytes` to `path` as described in the module documentation; with `replace` false an
/// existing file (or a link of that name) is refused, even one that appears while writing.
pub fn write_private_file(path: &Path, bytes: &[u8], replace: bool) -> Result<(), ExportFileError> {
    let io_error = |error: io::Error| ExportFileError::Io {
        path: path.to_path_buf(),
        reason: error.to_string(),
    };
    let exists = || ExportFileError::Exists {
        path: path.to_path_buf(),
    };
    if !replace && std::fs::symlink_metadata(path).is_ok() {
        return Err(exists());
    }
    let existing = if replace {
        Existing::Replace
    } else {
        Existing::Refuse
    };
    atomic_file::replace(path, bytes, existing, |_| Ok::<(), ()>(())).map_err(|failure| {
        match failure {
            WriteFailure::Io { error, .. } if error.kind() == io::ErrorKind::AlreadyExists => {
                exists()
            }
            WriteFailure::Io { error, .. } => io_error(error),
            WriteFailure::Stopped(()) => io_error(io::Error::other("the write was stopped")),
        }
    })
}
