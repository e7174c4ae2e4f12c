//! The identity record files: one `identity-<serial>.json` per identity, each a small JSON
//! envelope around the record sealed with XChaCha20-Poly1305 under the store key.
//!
//! The seal's associated data names the envelope's version and the serial number, so a record
//! copied over another identity's file, or edited in any byte, is refused as damaged rather
//! than read. Every write goes through [`crate::atomic_file::replace`] (uniquely named
//! temporary file, fsync, rename, fsync of the folder), so a crash leaves the old record or the
//! new one, and happens under the store's lock ([`super::store_files::lock_store`]).
//!
//! Each record has a second copy, `identity-<serial>.json.copy`, written with the same bytes
//! just *before* the record itself. A read takes the record, and only when it is missing or
//! damaged the copy. Because the copy is written first, it is never older than the last
//! change that was reported done: falling back to it can lose nothing that was acknowledged,
//! and can never bring back a code, a response or a challenge already used (at worst it holds
//! one change whose write was interrupted, which only makes a code count as used). A vault-style
//! previous generation would not have that property: it is one accepted code behind.
//!
//! The plaintext JSON is built in a buffer sized exactly beforehand (a first pass counts the
//! bytes), so no reallocation leaves an unwiped copy of a secret behind.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::IssuerError;
use super::record::IdentityRecord;
use super::store_files::{HEADER_FILE, StoreFile, decode_hex_array, write_file};
use crate::atomic_file;
use crate::crypto::cipher::{self, NONCE_LEN, SecretKey};
use crate::folder_lock::FolderLock;
use crate::identityguard::SerialNumber;

/// What the envelope's `format` key says.
const FORMAT: &str = "tessera-issuer-identity";
/// The only envelope version this code writes and reads.
const VERSION: u64 = 1;
/// Records are a few KiB at most (the policy is bounded, challenges are few); anything far
/// larger is refused without being read whole.
const MAX_RECORD_BYTES: usize = 256 * 1024;
const PREFIX: &str = "identity-";
const SUFFIX: &str = ".json";
/// Appended to a record's name for its copy.
const COPY_SUFFIX: &str = ".copy";

#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    version: u64,
    /// The serial's 10 digits; must match the file name and the sealed record.
    serial: String,
    /// 24 bytes, hex.
    nonce: String,
    /// The sealed record JSON and its 16-byte tag, hex.
    sealed: String,
}

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
    pub key: &'a SecretKey,
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
        let bytes = atomic_file::read_bounded(path, MAX_RECORD_BYTES)
            .map_err(|e| IssuerError::storage("read an identity record", &e))?;
        Ok(bytes.map(|bytes| self.open(serial, &bytes)))
    }

    fn open(&self, serial: &SerialNumber, bytes: &[u8]) -> Option<IdentityRecord> {
        if bytes.len() > MAX_RECORD_BYTES {
            return None;
        }
        let envelope: Envelope = serde_json::from_slice(bytes).ok()?;
        if envelope.format != FORMAT
            || envelope.version != VERSION
            || envelope.serial != serial.as_digits()
        {
            return None;
        }
        let nonce: [u8; NONCE_LEN] = decode_hex_array(&envelope.nonce)?;
        let sealed = data_encoding::HEXLOWER_PERMISSIVE
            .decode(envelope.sealed.as_bytes())
            .ok()?;
        let plain = cipher::open(self.key, &nonce, &aad(serial), &sealed).ok()?;
        let record: IdentityRecord = serde_json::from_slice(&plain).ok()?;
        (record.serial == *serial).then_some(record)
    }

    /// Seals `record` and replaces its copy, then its file, crash-safely. The caller holds the
    /// store's lock.
    pub fn write(&self, _lock: &FolderLock, record: &IdentityRecord) -> Result<(), IssuerError> {
        let plain = to_json(record)?;
        let nonce = cipher::make_nonce()?;
        let sealed = cipher::seal(self.key, &nonce, &aad(&record.serial), &plain)?;
        let envelope = Envelope {
            format: FORMAT.into(),
            version: VERSION,
            serial: record.serial.as_digits().into(),
            nonce: data_encoding::HEXLOWER.encode(&nonce),
            sealed: data_encoding::HEXLOWER.encode(&sealed),
        };
        let mut bytes =
            serde_json::to_vec_pretty(&envelope).map_err(|_| IssuerError::Internal {
                reason: "an identity envelope could not be written as JSON",
            })?;
        bytes.push(b'\n');
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

/// The seal's associated data: the envelope version and the serial number.
fn aad(serial: &SerialNumber) -> Vec<u8> {
    let mut aad = Vec::with_capacity(48);
    aad.extend_from_slice(b"tessera issuer identity v1\0");
    aad.extend_from_slice(serial.as_digits().as_bytes());
    aad
}

/// The record as JSON in a zeroizing buffer allocated once at its exact size.
fn to_json(record: &IdentityRecord) -> Result<Zeroizing<Vec<u8>>, IssuerError> {
    let failed = |_| IssuerError::Internal {
        reason: "an identity record could not be written as JSON",
    };
    let mut counter = ByteCounter(0);
    serde_json::to_writer(&mut counter, record).map_err(failed)?;
    let mut buffer = Zeroizing::new(Vec::with_capacity(counter.0));
    serde_json::to_writer(&mut *buffer, record).map_err(failed)?;
    Ok(buffer)
}

/// Counts what is written to it, keeping nothing.
struct ByteCounter(usize);

impl Write for ByteCounter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
