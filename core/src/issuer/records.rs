//! The identity record files: one `identity-<serial>.json` per identity, each holding the
//! record sealed under the store key ([`super::sealing`]).
//!
//! Every write goes through [`crate::atomic_file::replace`] (uniquely named temporary file,
//! fsync, rename, fsync of the folder), so a crash leaves the old record or the new one, and
//! happens under the store's lock ([`super::store_files::lock_store`]).
//!
//! Each record has a second copy, `identity-<serial>.json.copy`, written with the same bytes
//! just *before* the record itself. A read takes the record, and only when it is missing or
//! damaged the copy. Because the copy is written first, it is never older than the last
//! change that was reported done: falling back to it can lose nothing that was acknowledged,
//! and can never bring back a code, a response or a challenge already used (at worst it holds
//! one change whose write was interrupted, which only makes a code count as used). A vault-style
//! previous generation would not have that property: it is one accepted code behind.

use std::io;
use std::path::{Path, PathBuf};

use super::IssuerError;
use super::record::IdentityRecord;
use super::sealing::{MAX_SEALED_RECORD_BYTES, RecordKey, open_record, seal_record};
use super::store_files::{HEADER_FILE, StoreFile, write_file};
use crate::atomic_file;
use crate::folder_lock::FolderLock;
use crate::identityguard::SerialNumber;

const PREFIX: &str = "identity-";
const SUFFIX: &str = ".json";
/// Appended to a record's name for its copy.
const COPY_SUFFIX: &str = ".copy";

/// Which file a record was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Record,
    /// The record file was missing or damaged; its copy was read.
    Copy,
}

/// The record files of one store folder, with the key that seals them.
pub(super) struct Records<'a> {
    pub dir: &'a Path,
    pub key: &'a RecordKey,
}

impl Records<'_> {
    fn path(&self, serial: &SerialNumber) -> PathBuf {
        self.dir
            .join(format!("{PREFIX}{}{SUFFIX}", serial.as_digits()))
    }

    fn copy_path(&self, serial: &SerialNumber) -> PathBuf {
        self.dir.join(format!(
            "{PREFIX}{}{SUFFIX}{COPY_SUFFIX}",
            serial.as_digits()
        ))
    }

    /// True when an identity with this serial number has a record (or its copy).
    pub fn exists(&self, serial: &SerialNumber) -> Result<bool, IssuerError> {
        for path in [self.path(serial), self.copy_path(serial)] {
            match std::fs::symlink_metadata(path) {
                Ok(_) => return Ok(true),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(IssuerError::storage("look for an identity record", &e)),
            }
        }
        Ok(false)
    }

    /// Reads and opens the record of `serial`, from its copy when the record file is missing
    /// or damaged.
    pub fn read(&self, serial: &SerialNumber) -> Result<(IdentityRecord, Source), IssuerError> {
        let record = self.read_file(serial, &self.path(serial))?;
        if let Some(Some(record)) = record {
            return Ok((record, Source::Record));
        }
        let copy = self.read_file(serial, &self.copy_path(serial))?;
        match (record, copy) {
            (_, Some(Some(copy))) => Ok((copy, Source::Copy)),
            (None, None) => Err(IssuerError::UnknownSerial {
                serial: serial.to_string(),
            }),
            _ => Err(IssuerError::RecordDamaged {
                serial: serial.to_string(),
            }),
        }
    }

    /// `None` when the file is absent, `Some(None)` when it does not open.
    fn read_file(
        &self,
        serial: &SerialNumber,
        path: &Path,
    ) -> Result<Option<Option<IdentityRecord>>, IssuerError> {
        let bytes = atomic_file::read_bounded(path, MAX_SEALED_RECORD_BYTES)
            .map_err(|e| IssuerError::storage("read an identity record", &e))?;
        Ok(bytes.map(|bytes| open_record(self.key, serial, &bytes).ok()))
    }

    /// Seals `record` and replaces its copy, then its file, crash-safely. The caller holds the
    /// store's lock.
    pub fn write(&self, _lock: &FolderLock, record: &IdentityRecord) -> Result<(), IssuerError> {
        let bytes = seal_record(self.key, record)?;
        write_file(StoreFile::Copy, &self.copy_path(&record.serial), &bytes)?;
        write_file(StoreFile::Record, &self.path(&record.serial), &bytes)
    }

    /// The serial numbers of every record in the folder, in order. Files whose names are not
    /// a record's (temporary files, the header, anything else) are skipped.
    pub fn serials(&self) -> Result<Vec<SerialNumber>, IssuerError> {
        list_serials(self.dir)
    }
}

/// Removes temporary files that writes interrupted by a crash left in the store; call it only
/// while holding the store's lock.
pub(super) fn remove_stale_temps(dir: &Path) {
    atomic_file::remove_stale_temps(dir, |target| {
        target == HEADER_FILE || serial_in_name(target).is_some()
    });
}

/// The serial number in a record's or a copy's file name.
fn serial_in_name(name: &str) -> Option<SerialNumber> {
    let digits = name.strip_prefix(PREFIX)?;
    let digits = digits
        .strip_suffix(COPY_SUFFIX)
        .unwrap_or(digits)
        .strip_suffix(SUFFIX)?;
    if digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// The serial numbers of every record file in `dir` (none when `dir` does not exist).
pub(super) fn list_serials(dir: &Path) -> Result<Vec<SerialNumber>, IssuerError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(IssuerError::storage("list the issuer store's folder", &e)),
    };
    let mut serials = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|e| IssuerError::storage("list the issuer store's folder", &e))?;
        if let Some(serial) = entry.file_name().to_str().and_then(serial_in_name) {
            serials.push(serial);
        }
    }
    serials.sort_by(|a, b| a.as_digits().cmp(b.as_digits()));
    // A record and its copy name the same identity once.
    serials.dedup_by(|a, b| a.as_digits() == b.as_digits());
    Ok(serials)
}
