//! Writing an export to a file: owner-only (0600 on Unix), crash-safe (a temporary file in the
//! same folder, renamed over the target once complete), and never over an existing file unless
//! asked. An export holds secrets in the clear, so it must never be left half-written or
//! readable by other users.

use std::io;
use std::path::{Path, PathBuf};

use crate::atomic_file::{self, WriteFailure};

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
/// existing file (or a link of that name) is refused.
pub fn write_private_file(path: &Path, bytes: &[u8], replace: bool) -> Result<(), ExportFileError> {
    let io_error = |error: io::Error| ExportFileError::Io {
        path: path.to_path_buf(),
        reason: error.to_string(),
    };
    if !replace && std::fs::symlink_metadata(path).is_ok() {
        return Err(ExportFileError::Exists {
            path: path.to_path_buf(),
        });
    }
    let name = path.file_name().ok_or_else(|| ExportFileError::Io {
        path: path.to_path_buf(),
        reason: "it is not a file name".to_string(),
    })?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(".tessera-tmp");
    let temp = path.with_file_name(temp_name);
    atomic_file::replace(&temp, path, bytes, None, |_| Ok::<(), ()>(())).map_err(|failure| {
        let _ = std::fs::remove_file(&temp);
        match failure {
            WriteFailure::Io { error, .. } => io_error(error),
            WriteFailure::Stopped(()) => io_error(io::Error::other("the write was stopped")),
        }
    })
}
