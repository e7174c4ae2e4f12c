//! One lock per folder, shared by every process that uses the folder: the vault takes it around
//! each read-check-write (count a PIN try, check it, reset the count; save), the issuer store
//! around each change of a record. Without it two processes could both read "3 failures", both
//! write "4", and both check a PIN; or both accept the same code.
//!
//! The lock is the operating system's advisory file lock (`flock` on Unix, `LockFileEx` on
//! Windows, through [`File::lock`]) on an empty file in the folder. The kernel drops it when the
//! process dies, so a crash never leaves a folder locked. Every acquisition opens the file anew,
//! so two threads of one process exclude each other exactly as two processes do.
//!
//! Waiting is blocking and unbounded: every holder does a short, bounded amount of work (at most
//! one Argon2id derivation and a few small writes) and never waits for a person while holding
//! it, so a waiter is never stuck for long, and a timeout would only turn a short wait into a
//! spurious failure.
//!
//! The lock file is opened without following a symbolic link and created owner-only, so a link
//! planted at its name cannot make Tessera create or lock a file elsewhere.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// How the folder is held: shared by readers, exclusive for anything that writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LockKind {
    Shared,
    Exclusive,
}

/// A held lock; dropping it releases the lock.
#[derive(Debug)]
pub(crate) struct FolderLock {
    _file: File,
}

/// Opens (creating it if needed) the lock file `name` in `dir` and waits for the lock. Fails
/// with `NotFound` when `dir` does not exist.
pub(crate) fn lock(dir: &Path, name: &str, kind: LockKind) -> io::Result<FolderLock> {
    let file = open_lock_file(&dir.join(name))?;
    match kind {
        LockKind::Shared => file.lock_shared()?,
        LockKind::Exclusive => file.lock()?,
    }
    Ok(FolderLock { _file: file })
}

fn open_lock_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let file = options.open(path)?;
    // A FIFO or device planted at the name is refused rather than used.
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("the lock file is not a regular file"));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    #[test]
    fn an_exclusive_lock_excludes_other_holders_until_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let held = lock(dir.path(), "x.lock", LockKind::Exclusive).unwrap();
        let released = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let waiter = scope.spawn(|| {
                let _second = lock(dir.path(), "x.lock", LockKind::Shared).unwrap();
                // The first holder must have let go before the second got in.
                assert!(released.load(Ordering::SeqCst));
            });
            std::thread::sleep(Duration::from_millis(200));
            assert!(!waiter.is_finished(), "the second lock did not wait");
            released.store(true, Ordering::SeqCst);
            drop(held);
            waiter.join().unwrap();
        });
    }

    #[test]
    fn shared_locks_are_held_together() {
        let dir = tempfile::tempdir().unwrap();
        let _one = lock(dir.path(), "x.lock", LockKind::Shared).unwrap();
        let _two = lock(dir.path(), "x.lock", LockKind::Shared).unwrap();
    }

    #[test]
    fn a_missing_folder_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let error = lock(&dir.path().join("none"), "x.lock", LockKind::Shared).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_link_is_not_followed_and_the_file_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&elsewhere, dir.path().join("x.lock")).unwrap();
        assert!(lock(dir.path(), "x.lock", LockKind::Exclusive).is_err());
        assert!(!elsewhere.exists(), "the link was followed");

        drop(lock(dir.path(), "y.lock", LockKind::Exclusive).unwrap());
        let mode = std::fs::metadata(dir.path().join("y.lock"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
