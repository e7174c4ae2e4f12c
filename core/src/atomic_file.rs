//! Replacing a file so that a crash at any instant leaves either the old or the new content,
//! never a mix and never neither. Shared by the vault and the issuer store, so the one piece of
//! code whose mistakes lose data is written and tested once.
//!
//! A write goes: create `temp` in the target's folder (owner-only on Unix), write all bytes,
//! `fsync` it, optionally rename the current target to a "previous generation" name, rename
//! `temp` over the target, `fsync` the folder. Renames within a folder are atomic, so readers see
//! the whole old file or the whole new one.
//!
//! Callers pass a hook that runs before every step; tests use it to make the "process die"
//! there (the vault's and the issuer's fault injection), production passes one that does
//! nothing. Errors carry the [`WriteStage`] so each caller can word them for its own files.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

/// The steps of a write, in order; a hook that fails at a step stops the write just before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteStep {
    CreateTemp,
    WriteTemp,
    /// Half the bytes are in the temporary file.
    HalfWritten,
    SyncTemp,
    RenameCurrentToPrevious,
    RenameTempToCurrent,
    SyncFolder,
}

impl WriteStep {
    /// Every step, in order, for tests that crash at each one.
    #[cfg(test)]
    pub const ALL: [WriteStep; 7] = [
        WriteStep::CreateTemp,
        WriteStep::WriteTemp,
        WriteStep::HalfWritten,
        WriteStep::SyncTemp,
        WriteStep::RenameCurrentToPrevious,
        WriteStep::RenameTempToCurrent,
        WriteStep::SyncFolder,
    ];
}

/// What the operating system refused, grouped the way callers word their messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WriteStage {
    /// Creating or writing the temporary file, or renaming it over the target.
    Write,
    /// Flushing the temporary file to disk.
    SyncFile,
    /// Renaming the current file to the previous-generation name.
    KeepPrevious,
    /// Flushing the folder (the renames) to disk.
    SyncFolder,
}

/// Why a replacement did not finish.
#[derive(Debug)]
pub(crate) enum WriteFailure<E> {
    /// The caller's hook stopped the write (a simulated crash in tests).
    Stopped(E),
    /// The operating system refused a step.
    Io {
        /// Which kind of step failed.
        stage: WriteStage,
        /// What the operating system said.
        error: io::Error,
    },
}

/// Replaces `target` with `bytes` crash-safely, through `temp` (which must be in the same
/// folder as `target`). With `rotate_to`, the current `target` (if any) is renamed there first,
/// keeping it as the previous generation. `before` runs before each step.
pub(crate) fn replace<E>(
    temp: &Path,
    target: &Path,
    bytes: &[u8],
    rotate_to: Option<&Path>,
    mut before: impl FnMut(WriteStep) -> Result<(), E>,
) -> Result<(), WriteFailure<E>> {
    let io = |stage| move |error| WriteFailure::Io { stage, error };
    let mut step = |s| before(s).map_err(WriteFailure::Stopped);
    step(WriteStep::CreateTemp)?;
    let mut file = create_private(temp).map_err(io(WriteStage::Write))?;
    step(WriteStep::WriteTemp)?;
    let (first, second) = bytes.split_at(bytes.len() / 2);
    file.write_all(first).map_err(io(WriteStage::Write))?;
    step(WriteStep::HalfWritten)?;
    file.write_all(second).map_err(io(WriteStage::Write))?;
    step(WriteStep::SyncTemp)?;
    file.sync_all().map_err(io(WriteStage::SyncFile))?;
    drop(file);
    if let Some(previous) = rotate_to {
        step(WriteStep::RenameCurrentToPrevious)?;
        match fs::rename(target, previous) {
            Ok(()) => {}
            // No current file yet: nothing to keep.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(WriteStage::KeepPrevious)(e)),
        }
    }
    step(WriteStep::RenameTempToCurrent)?;
    fs::rename(temp, target).map_err(io(WriteStage::Write))?;
    step(WriteStep::SyncFolder)?;
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    sync_dir(folder).map_err(io(WriteStage::SyncFolder))
}

/// A file's bytes, `None` if it does not exist. Reads at most `max + 1` bytes, so a caller can
/// refuse an oversized file (its length exceeds `max`) without reading it whole.
pub(crate) fn read_bounded(path: &Path, max: usize) -> io::Result<Option<Vec<u8>>> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut bytes = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    file.take(limit).read_to_end(&mut bytes)?;
    Ok(Some(bytes))
}

/// Creates or truncates a file only its owner can read (on Unix).
fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Flushes the folder's entries (the renames) to disk. Windows has no folder handle to flush;
/// there NTFS journals renames itself.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never(_: WriteStep) -> Result<(), ()> {
        Ok(())
    }

    #[test]
    fn replaces_and_keeps_the_previous_generation() {
        let dir = tempfile::tempdir().unwrap();
        let (temp, target, previous) = (
            dir.path().join("f.tmp"),
            dir.path().join("f"),
            dir.path().join("f.prev"),
        );
        replace(&temp, &target, b"one", Some(&previous), never).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"one");
        assert!(!previous.exists() && !temp.exists());
        replace(&temp, &target, b"two", Some(&previous), never).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        assert_eq!(fs::read(&previous).unwrap(), b"one");
        replace(&temp, &target, b"three", None, never).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"three");
        assert_eq!(fs::read(&previous).unwrap(), b"one");
    }

    #[test]
    fn a_stop_at_any_step_leaves_the_old_or_the_new_content() {
        for stop_at in WriteStep::ALL {
            let dir = tempfile::tempdir().unwrap();
            let (temp, target) = (dir.path().join("f.tmp"), dir.path().join("f"));
            replace(&temp, &target, b"old", None, never).unwrap();
            let result = replace(&temp, &target, b"new content", None, |s| {
                if s == stop_at { Err(s) } else { Ok(()) }
            });
            let content = fs::read(&target).unwrap();
            match stop_at {
                // Without rotation this step is skipped, so the write finishes.
                WriteStep::RenameCurrentToPrevious => {
                    assert!(result.is_ok());
                    assert_eq!(content, b"new content");
                }
                WriteStep::SyncFolder => {
                    assert!(matches!(result, Err(WriteFailure::Stopped(_))));
                    assert_eq!(content, b"new content");
                }
                _ => {
                    assert!(matches!(result, Err(WriteFailure::Stopped(_))));
                    assert_eq!(content, b"old", "{stop_at:?}");
                }
            }
        }
    }

    #[test]
    fn bounded_reads_stop_one_byte_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big");
        fs::write(&path, vec![7u8; 100]).unwrap();
        assert_eq!(read_bounded(&path, 10).unwrap().unwrap().len(), 11);
        assert_eq!(read_bounded(&path, 1000).unwrap().unwrap().len(), 100);
        assert_eq!(read_bounded(&dir.path().join("none"), 10).unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_to_their_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f");
        replace(&dir.path().join("f.tmp"), &target, b"x", None, never).unwrap();
        let mode = fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
