//! What the header and the record files of an issuer store share: their names, the store's
//! lock, crash-safe writes (with the simulated crashes tests inject) and fixed-length hex
//! fields. Both `header` and `records` build on it, so neither reaches into the other.

use std::path::Path;

use super::IssuerError;
use crate::atomic_file::{self, Existing, WriteFailure, WriteStage, WriteStep};
use crate::folder_lock::{self, FolderLock, LockKind};

/// The header's file name.
pub(super) const HEADER_FILE: &str = "store.json";
/// The lock file of the store folder.
const LOCK_FILE: &str = "store.lock";

/// The files of a store, for fault injection in tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StoreFile {
    Header,
    Copy,
    Record,
}

/// Waits for the store's exclusive lock (see [`crate::folder_lock`]); `dir` must exist.
pub(super) fn lock_store(dir: &Path) -> Result<FolderLock, IssuerError> {
    folder_lock::lock(dir, LOCK_FILE, LockKind::Exclusive)
        .map_err(|e| IssuerError::storage("lock the issuer store", &e))
}

/// Exactly `N` bytes of hex, or `None`.
pub(super) fn decode_hex_array<const N: usize>(text: &str) -> Option<[u8; N]> {
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.as_bytes())
        .ok()?
        .try_into()
        .ok()
}

/// Replaces `target` crash-safely, wording errors for the issuer.
pub(super) fn write_file(which: StoreFile, target: &Path, bytes: &[u8]) -> Result<(), IssuerError> {
    let hook = |step| fault(which, step);
    atomic_file::replace(target, bytes, Existing::Replace, hook).map_err(|failure| match failure {
        WriteFailure::Stopped(error) => error,
        WriteFailure::Io { stage, error } => {
            let action = match stage {
                WriteStage::Write | WriteStage::KeepPrevious => "write an issuer store file",
                WriteStage::SyncFile => "flush an issuer store file to disk",
                WriteStage::SyncFolder => "flush the issuer store's folder to disk",
            };
            IssuerError::storage(action, &error)
        }
    })
}

#[cfg(test)]
thread_local! {
    static FAULT: std::cell::Cell<Option<(StoreFile, WriteStep)>> =
        const { std::cell::Cell::new(None) };
}

/// Makes the next write of `file` on this thread stop before `step`, as if the process died
/// there.
#[cfg(test)]
pub(super) fn inject_fault(point: Option<(StoreFile, WriteStep)>) {
    FAULT.with(|f| f.set(point));
}

/// The simulated crash a test injected at this point; nothing in normal builds.
fn fault(file: StoreFile, step: WriteStep) -> Result<(), IssuerError> {
    #[cfg(test)]
    if FAULT.with(|f| f.get()) == Some((file, step)) {
        FAULT.with(|f| f.set(None));
        return Err(IssuerError::Storage {
            action: "finish (simulated crash)",
            detail: format!("{file:?} {step:?}"),
        });
    }
    let _ = (file, step);
    Ok(())
}
