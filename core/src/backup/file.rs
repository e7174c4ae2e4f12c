//! Writing a backup file: all or nothing, readable by its owner only.

use std::path::Path;

use super::BackupError;
use crate::atomic_file::{self, WriteFailure};

/// Writes `bytes` to `path` through a temporary file beside it, flushed and renamed, created
/// with mode 0600 on Unix. A failure leaves any earlier file at `path` as it was.
pub fn write_backup_file(path: &Path, bytes: &[u8]) -> Result<(), BackupError> {
    let fail = |reason: String| BackupError::Write {
        path: path.display().to_string(),
        reason,
    };
    let name = path
        .file_name()
        .ok_or_else(|| fail("it names a folder, not a file".to_string()))?;
    let mut temp_name = name.to_os_string();
    temp_name.push(".tessera-tmp");
    let temp = path.with_file_name(temp_name);
    atomic_file::replace(&temp, path, bytes, None, |_| Ok::<(), ()>(())).map_err(|failure| {
        // Leave nothing half-written behind.
        let _ = std::fs::remove_file(&temp);
        match failure {
            WriteFailure::Io { error, .. } => fail(error.to_string()),
            WriteFailure::Stopped(()) => fail("the write was interrupted".to_string()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_the_file_whole_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("token.tessera");
        write_backup_file(&path, b"first").unwrap();
        write_backup_file(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_failed_write_names_the_file_and_keeps_what_was_there() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no such folder").join("b.tessera");
        let error = write_backup_file(&missing, b"x").unwrap_err();
        assert!(
            error.to_string().starts_with(&format!(
                "could not write the backup to {}: ",
                missing.display()
            )),
            "{error}"
        );
        let error = write_backup_file(Path::new("/"), b"x").unwrap_err();
        assert_eq!(
            error.to_string(),
            "could not write the backup to /: it names a folder, not a file"
        );
    }
}
