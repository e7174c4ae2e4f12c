//! Replacing a file so that a crash at any instant leaves either the old or the new content,
//! never a mix and never neither. Shared by the vault, the issuer store and exports, so the one
//! piece of code whose mistakes lose data is written and tested once.
//!
//! A write goes: create a temporary file in the target's folder, write all bytes, `fsync` it,
//! optionally rename the current target to a "previous generation" name, rename the temporary
//! file over the target, `fsync` the folder. Renames within a folder are atomic, so readers see
//! the whole old file or the whole new one.
//!
//! The temporary file has a fresh random name (`.<target>.tessera-<random>.tmp`) and is created
//! exclusively (`O_CREAT | O_EXCL`, which never follows a symbolic link) with mode 0600, so
//! neither a link nor a world-readable file planted in the folder can receive the bytes, and two
//! writers never share a temporary file. The renames replace names, never follow them: a link
//! planted at the target or the previous-generation name is replaced, not written through, and
//! the result is always a new owner-only file.
//!
//! Callers pass a hook that runs before every step; tests use it to make the "process die"
//! there (the vault's and the issuer's fault injection), production passes one that does
//! nothing. A write stopped by the hook leaves its temporary file behind, as a real crash
//! would (a write the operating system refused removes it); [`remove_stale_temps`] clears such leftovers under the folder's lock. Errors carry the
//! [`WriteStage`] so each caller can word them for its own files.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;

use tempfile::NamedTempFile;

/// What every temporary file's name has between the target's name and the random part.
const TEMP_MARK: &str = ".tessera-";
const TEMP_SUFFIX: &str = ".tmp";

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

/// What happens to a file already at the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Existing<'a> {
    /// Replaced.
    Replace,
    /// Renamed to the given name (in the same folder) first, kept as the previous generation.
    KeepAs(&'a Path),
    /// Kept: the write fails with `AlreadyExists` and changes nothing (checked atomically by the
    /// final rename, so a file appearing meanwhile is not replaced either).
    Refuse,
}

/// Replaces `target` with `bytes` crash-safely (see the module documentation); `existing` says
/// what becomes of a file already there. `before` runs before each step.
pub(crate) fn replace<E>(
    target: &Path,
    bytes: &[u8],
    existing: Existing<'_>,
    mut before: impl FnMut(WriteStep) -> Result<(), E>,
) -> Result<(), WriteFailure<E>> {
    before(WriteStep::CreateTemp).map_err(WriteFailure::Stopped)?;
    let temp = new_temp(target).map_err(|error| WriteFailure::Io {
        stage: WriteStage::Write,
        error,
    })?;
    let temp_path = temp.path().to_path_buf();
    let result = fill_and_rename(temp, target, bytes, existing, &mut before);
    // A refused write leaves nothing behind. A stopped one (a simulated crash) leaves its
    // temporary file, as a real crash would.
    if matches!(result, Err(WriteFailure::Io { .. })) {
        let _ = fs::remove_file(&temp_path);
    }
    result
}

/// The steps after the temporary file exists.
fn fill_and_rename<E>(
    mut temp: NamedTempFile,
    target: &Path,
    bytes: &[u8],
    existing: Existing<'_>,
    before: &mut impl FnMut(WriteStep) -> Result<(), E>,
) -> Result<(), WriteFailure<E>> {
    let io = |stage| move |error| WriteFailure::Io { stage, error };
    let mut step = |s| before(s).map_err(WriteFailure::Stopped);
    step(WriteStep::WriteTemp)?;
    let (first, second) = bytes.split_at(bytes.len() / 2);
    temp.write_all(first).map_err(io(WriteStage::Write))?;
    step(WriteStep::HalfWritten)?;
    temp.write_all(second).map_err(io(WriteStage::Write))?;
    step(WriteStep::SyncTemp)?;
    temp.as_file()
        .sync_all()
        .map_err(io(WriteStage::SyncFile))?;
    if let Existing::KeepAs(previous) = existing {
        step(WriteStep::RenameCurrentToPrevious)?;
        match fs::rename(target, previous) {
            Ok(()) => {}
            // No current file yet: nothing to keep.
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(WriteStage::KeepPrevious)(e)),
        }
    }
    step(WriteStep::RenameTempToCurrent)?;
    let renamed = match existing {
        Existing::Refuse => temp.persist_noclobber(target),
        Existing::Replace | Existing::KeepAs(_) => temp.persist(target),
    };
    renamed.map_err(|e| io(WriteStage::Write)(e.error))?;
    step(WriteStep::SyncFolder)?;
    sync_dir(folder_of(target)).map_err(io(WriteStage::SyncFolder))
}

/// Removes temporary files that writes interrupted by a crash left in `dir`: the names this
/// module makes, for targets `is_target` accepts. Call it only while holding the folder's
/// exclusive lock, when no write can be under way. Failures are ignored: a leftover is harmless
/// (never read, and its name is never reused).
pub(crate) fn remove_stale_temps(dir: &Path, is_target: impl Fn(&str) -> bool) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(target) = name
            .to_str()
            .filter(|n| n.ends_with(TEMP_SUFFIX))
            .and_then(|n| n.strip_prefix('.'))
            .and_then(|n| n.split_once(TEMP_MARK))
            .map(|(target, _)| target)
        else {
            continue;
        };
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && is_target(target) {
            let _ = fs::remove_file(entry.path());
        }
    }
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

/// A new, empty, owner-only file with a unique name in `target`'s folder, created exclusively.
fn new_temp(target: &Path) -> io::Result<NamedTempFile> {
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::other("the target is not a file name"))?;
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(TEMP_MARK);
    let mut builder = tempfile::Builder::new();
    // Removal is this module's business: a simulated crash must leave the file behind.
    builder
        .prefix(&prefix)
        .suffix(TEMP_SUFFIX)
        .rand_bytes(12)
        .disable_cleanup(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o600));
    }
    builder.tempfile_in(folder_of(target))
}

fn folder_of(target: &Path) -> &Path {
    match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
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

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_and_keeps_the_previous_generation() {
        let dir = tempfile::tempdir().unwrap();
        let (target, previous) = (dir.path().join("f"), dir.path().join("f.prev"));
        replace(&target, b"one", Existing::KeepAs(&previous), never).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"one");
        assert_eq!(names(dir.path()), ["f"]);
        replace(&target, b"two", Existing::KeepAs(&previous), never).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        assert_eq!(fs::read(&previous).unwrap(), b"one");
        replace(&target, b"three", Existing::Replace, never).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"three");
        assert_eq!(fs::read(&previous).unwrap(), b"one");
        assert_eq!(names(dir.path()), ["f", "f.prev"]);
    }

    #[test]
    fn a_stop_at_any_step_leaves_the_old_or_the_new_content() {
        for stop_at in WriteStep::ALL {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("f");
            replace(&target, b"old", Existing::Replace, never).unwrap();
            let result = replace(&target, b"new content", Existing::Replace, |s| {
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
    fn temporary_names_are_unique_and_stale_ones_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f");
        let stop = |s| {
            if s == WriteStep::SyncTemp {
                Err(())
            } else {
                Ok(())
            }
        };
        for _ in 0..3 {
            assert!(replace(&target, b"half", Existing::Replace, stop).is_err());
        }
        // Three crashed writes left three different temporary files, none at the target.
        let left = names(dir.path());
        assert_eq!(left.len(), 3, "{left:?}");
        for name in &left {
            assert!(
                name.starts_with(".f.tessera-") && name.ends_with(".tmp"),
                "{name}"
            );
        }
        fs::write(dir.path().join(".g.tessera-abc.tmp"), b"another target's").unwrap();
        fs::write(dir.path().join("f.tmp"), b"not one of ours").unwrap();
        remove_stale_temps(dir.path(), |t| t == "f");
        assert_eq!(names(dir.path()), [".g.tessera-abc.tmp", "f.tmp"]);
    }

    #[test]
    fn a_refused_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no such folder").join("f");
        let result = replace(&missing, b"x", Existing::Replace, never);
        assert!(matches!(result, Err(WriteFailure::Io { .. })));
        let target = dir.path().join("f");
        fs::write(&target, b"mine").unwrap();
        let result = replace(&target, b"x", Existing::Refuse, never);
        let Err(WriteFailure::Io { error, .. }) = result else {
            panic!("an existing file was replaced");
        };
        assert_eq!(error.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&target).unwrap(), b"mine");
        assert_eq!(names(dir.path()), ["f"]);
        replace(&dir.path().join("g"), b"new", Existing::Refuse, never).unwrap();
        assert_eq!(fs::read(dir.path().join("g")).unwrap(), b"new");
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
    mod unix {
        use std::os::unix::fs::{PermissionsExt, symlink};

        use super::*;

        fn mode(path: &Path) -> u32 {
            fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
        }

        #[test]
        fn files_are_private_to_their_owner() {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("f");
            replace(&target, b"x", Existing::Replace, never).unwrap();
            assert_eq!(mode(&target), 0o600);
            // A crashed write's temporary file is owner-only too.
            let stop = |s| {
                if s == WriteStep::SyncTemp {
                    Err(())
                } else {
                    Ok(())
                }
            };
            assert!(replace(&target, b"secret", Existing::Replace, stop).is_err());
            for name in names(dir.path()) {
                assert_eq!(mode(&dir.path().join(&name)), 0o600, "{name}");
            }
        }

        #[test]
        fn an_existing_world_readable_target_ends_owner_only() {
            let dir = tempfile::tempdir().unwrap();
            let target = dir.path().join("f");
            fs::write(&target, b"old").unwrap();
            fs::set_permissions(&target, fs::Permissions::from_mode(0o666)).unwrap();
            replace(&target, b"new", Existing::Replace, never).unwrap();
            assert_eq!(fs::read(&target).unwrap(), b"new");
            assert_eq!(mode(&target), 0o600);
        }

        #[test]
        fn planted_links_are_replaced_never_written_through() {
            let dir = tempfile::tempdir().unwrap();
            let victim = dir.path().join("victim");
            fs::write(&victim, b"victim").unwrap();
            let (target, previous) = (dir.path().join("f"), dir.path().join("f.prev"));
            symlink(&victim, &target).unwrap();
            symlink(&victim, &previous).unwrap();
            replace(&target, b"one", Existing::KeepAs(&previous), never).unwrap();
            replace(&target, b"two", Existing::KeepAs(&previous), never).unwrap();
            assert_eq!(fs::read(&victim).unwrap(), b"victim");
            for (path, content) in [(&target, b"two"), (&previous, b"one")] {
                assert!(fs::symlink_metadata(path).unwrap().is_file());
                assert_eq!(fs::read(path).unwrap(), content);
                assert_eq!(mode(path), 0o600);
            }
            // A link at the target is "a file already there" for a write that must not replace.
            let link = dir.path().join("g");
            symlink(&victim, &link).unwrap();
            assert!(replace(&link, b"x", Existing::Refuse, never).is_err());
            assert_eq!(fs::read(&victim).unwrap(), b"victim");
        }
    }
}
