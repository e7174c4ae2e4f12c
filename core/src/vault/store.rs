//! The vault's files, the crash-safe way they are replaced, and the folder's lock.
//!
//! A folder holds `vault.bin` (current), `vault.prev` (the generation before it), `vault.state`
//! (the lockout counters) and `vault.lock` (empty; the lock between processes), plus
//! `.vault.bin.tessera-*.tmp` / `.vault.state.tessera-*.tmp` files while a write is under way
//! (or after a crash during one; removed by the next writer).
//!
//! Every write goes: create a uniquely named temporary file in the same folder (exclusively,
//! owner-only), write all bytes, `fsync` it, [for the vault: rename `vault.bin` over
//! `vault.prev`], rename the temporary file over the target, `fsync` the folder. Renames within
//! a folder are atomic, so at every instant `vault.bin` holds the old or the new content, or
//! (between the two renames) is absent while `vault.prev` holds the old content and the
//! temporary file the complete new one. Readers treat an absent or damaged `vault.bin` by
//! falling back to `vault.prev` and saying so. No instant leaves neither generation.
//!
//! Writes happen only through a [`Writer`], which holds the folder's exclusive lock
//! ([`crate::folder_lock`]): the type system, not a convention, keeps a write from happening
//! outside the lock. Readers that must see a settled folder hold the shared lock.
//!
//! A write under a new data key (a rotation) replaces both generations instead, `vault.prev`
//! first (see [`Files::write_vault_rotated`]), so no file under the old key outlives it.
//!
//! The write itself is [`crate::atomic_file::replace`], shared with the issuer store; this module
//! names the files and words the errors. In tests, a fault can be injected before any step to
//! simulate the process dying there.

use std::fs;
use std::io;
use std::ops::Deref;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::VaultError;
use super::format::MAX_FILE_BYTES;
use super::lockout::STATE_LEN;
use crate::atomic_file::{self, Existing, WriteFailure, WriteStage};
use crate::folder_lock::{self, FolderLock, LockKind};

/// The steps of a write, in order; a fault injected at a step stops the write just before it.
pub(crate) use crate::atomic_file::WriteStep as SaveStep;

const CURRENT: &str = "vault.bin";
const PREVIOUS: &str = "vault.prev";
const STATE: &str = "vault.state";
const LOCK: &str = "vault.lock";

/// Which file a write replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    Vault,
    State,
    /// `vault.prev`, written directly by a rotating write.
    Previous,
}

/// Places where a test can make the process "die".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FaultPoint {
    Write(FileKind, SaveStep),
    /// The failure counter is on disk and the PIN or unlock code is about to be checked.
    AfterCountingAttempt,
}

#[cfg(test)]
thread_local! {
    static FAULT: std::cell::Cell<Option<FaultPoint>> = const { std::cell::Cell::new(None) };
}

/// Makes the next pass through `point` on this thread fail as if the process died there.
#[cfg(test)]
pub(crate) fn inject_fault(point: Option<FaultPoint>) {
    FAULT.with(|f| f.set(point));
}

/// Returns the simulated crash when a test injected one at `point`; nothing in normal builds.
pub(crate) fn fault(point: FaultPoint) -> Result<(), VaultError> {
    #[cfg(test)]
    if FAULT.with(|f| f.get()) == Some(point) {
        FAULT.with(|f| f.set(None));
        return Err(VaultError::Storage {
            action: "finish (simulated crash)",
            detail: format!("{point:?}"),
        });
    }
    let _ = point;
    Ok(())
}

/// What `vault.bin` held when a handle last read or wrote it (a SHA-256 of its bytes; `None`
/// when it was absent), so a save can tell whether another process wrote in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seen(Option<[u8; 32]>);

impl Seen {
    pub fn of(bytes: Option<&[u8]>) -> Self {
        Seen(bytes.map(|b| Sha256::digest(b).into()))
    }
}

/// The files of one vault folder.
#[derive(Debug, Clone)]
pub(crate) struct Files {
    dir: PathBuf,
}

impl Files {
    pub fn new(dir: PathBuf) -> Self {
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The current generation's bytes, `None` if absent. Reads at most one byte past the
    /// largest valid file, so an oversized file is refused without being read whole.
    pub fn read_current(&self) -> Result<Option<Vec<u8>>, VaultError> {
        read_bounded(&self.path(CURRENT), MAX_FILE_BYTES, "read the vault file")
    }

    /// The previous generation's bytes, `None` if absent.
    pub fn read_previous(&self) -> Result<Option<Vec<u8>>, VaultError> {
        read_bounded(
            &self.path(PREVIOUS),
            MAX_FILE_BYTES,
            "read the previous vault file",
        )
    }

    /// The lockout record's bytes, `None` if absent.
    pub fn read_state(&self) -> Result<Option<Vec<u8>>, VaultError> {
        read_bounded(&self.path(STATE), STATE_LEN, "read the lockout record")
    }

    /// True when either generation of the vault exists.
    pub fn vault_exists(&self) -> Result<bool, VaultError> {
        for name in [CURRENT, PREVIOUS] {
            match fs::symlink_metadata(self.path(name)) {
                Ok(_) => return Ok(true),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(VaultError::storage("look for the vault file", &e)),
            }
        }
        Ok(false)
    }

    /// Creates the folder if needed, owner-only (0700 on Unix, for every folder it makes). An
    /// existing folder is left as it is.
    pub fn ensure_dir(&self) -> Result<(), VaultError> {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder
            .create(&self.dir)
            .map_err(|e| VaultError::storage("create the vault folder", &e))
    }

    /// Waits for the folder's shared lock, for reads that must not see a write half done.
    /// [`VaultError::NoVault`] when there is no vault (no lock file is made then).
    pub fn read_lock(&self) -> Result<FolderLock, VaultError> {
        if !self.vault_exists()? {
            return Err(VaultError::NoVault);
        }
        self.lock(LockKind::Shared)
    }

    /// Waits for the folder's exclusive lock; the folder must exist. Temporary files left by a
    /// crashed write are removed while it is held.
    pub fn write_lock(&self) -> Result<Writer, VaultError> {
        let lock = self.lock(LockKind::Exclusive)?;
        // A leftover may hold a generation under a data key a rotation has since revoked.
        atomic_file::remove_stale_temps(&self.dir, |target| {
            [CURRENT, PREVIOUS, STATE].contains(&target)
        });
        Ok(Writer {
            files: self.clone(),
            _lock: lock,
        })
    }

    fn lock(&self, kind: LockKind) -> Result<FolderLock, VaultError> {
        folder_lock::lock(&self.dir, LOCK, kind).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => VaultError::NoVault,
            _ => VaultError::storage("lock the vault folder", &e),
        })
    }
}

/// The vault folder while this process holds its exclusive lock: the only way to write. Reads
/// go through [`Files`] (it derefs to it). Dropping it releases the lock.
pub(crate) struct Writer {
    files: Files,
    _lock: FolderLock,
}

impl Deref for Writer {
    type Target = Files;

    fn deref(&self) -> &Files {
        &self.files
    }
}

impl Writer {
    /// Refuses with [`VaultError::ChangedElsewhere`] when `vault.bin` is no longer what `seen`
    /// describes: another process saved since this handle read the file, and writing now would
    /// silently undo that save (or bring back a PIN it replaced).
    pub fn check_unchanged(&self, seen: Seen) -> Result<(), VaultError> {
        if Seen::of(self.read_current()?.as_deref()) != seen {
            return Err(VaultError::ChangedElsewhere);
        }
        Ok(())
    }

    /// Replaces the vault file. With `keep_current_as_previous`, the current file becomes
    /// `vault.prev` first; without it (the current file is damaged or absent), `vault.prev` is
    /// left alone so a good previous generation is never overwritten by a bad one.
    pub fn write_vault(
        &self,
        bytes: &[u8],
        keep_current_as_previous: bool,
    ) -> Result<(), VaultError> {
        let previous = self.path(PREVIOUS);
        let existing = if keep_current_as_previous {
            Existing::KeepAs(&previous)
        } else {
            Existing::Replace
        };
        self.replace(FileKind::Vault, &self.path(CURRENT), bytes, existing)
    }

    /// Replaces both generations with `bytes`, for a write under a new data key: the old
    /// generation must not outlive it, since a revoked secret opens it. `vault.prev` first, then
    /// `vault.bin`: until the second rename, `vault.bin` still holds the old generation, which
    /// readers open first (the old state); after it, both hold the new one. The old generation
    /// is never the only one left beside a finished new `vault.bin`.
    pub fn write_vault_rotated(&self, bytes: &[u8]) -> Result<(), VaultError> {
        self.replace(
            FileKind::Previous,
            &self.path(PREVIOUS),
            bytes,
            Existing::Replace,
        )?;
        self.replace(
            FileKind::Vault,
            &self.path(CURRENT),
            bytes,
            Existing::Replace,
        )
    }

    /// Replaces the lockout record.
    pub fn write_state(&self, bytes: &[u8]) -> Result<(), VaultError> {
        self.replace(FileKind::State, &self.path(STATE), bytes, Existing::Replace)
    }

    fn replace(
        &self,
        kind: FileKind,
        target: &Path,
        bytes: &[u8],
        existing: Existing<'_>,
    ) -> Result<(), VaultError> {
        let (write_action, sync_action) = match kind {
            FileKind::Vault => ("write the vault file", "flush the vault file to disk"),
            FileKind::Previous => (
                "write the previous vault file",
                "flush the previous vault file to disk",
            ),
            FileKind::State => (
                "write the lockout record",
                "flush the lockout record to disk",
            ),
        };
        atomic_file::replace(target, bytes, existing, |step| {
            fault(FaultPoint::Write(kind, step))
        })
        .map_err(|failure| match failure {
            WriteFailure::Stopped(error) => error,
            WriteFailure::Io { stage, error } => {
                let action = match stage {
                    WriteStage::Write => write_action,
                    WriteStage::SyncFile => sync_action,
                    WriteStage::KeepPrevious => "keep the previous vault file",
                    WriteStage::SyncFolder => "flush the vault folder to disk",
                };
                VaultError::storage(action, &error)
            }
        })
    }
}

fn read_bounded(
    path: &Path,
    max: usize,
    action: &'static str,
) -> Result<Option<Vec<u8>>, VaultError> {
    atomic_file::read_bounded(path, max).map_err(|e| VaultError::storage(action, &e))
}
