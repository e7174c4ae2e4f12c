//! The identity record files: one `identity-<serial>.json` per identity, each a small JSON
//! envelope around the record sealed with XChaCha20-Poly1305 under the store key.
//!
//! The seal's associated data names the envelope's version and the serial number, so a record
//! copied over another identity's file, or edited in any byte, is refused as damaged rather
//! than read. Every write goes through [`crate::atomic_file::replace`] (temporary file, fsync,
//! rename, fsync of the folder), so a crash leaves the old record or the new one.
//!
//! The plaintext JSON is built in a buffer sized exactly beforehand (a first pass counts the
//! bytes), so no reallocation leaves an unwiped copy of a secret behind.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::IssuerError;
use super::header::decode_hex_array;
use super::record::IdentityRecord;
use crate::atomic_file::{self, WriteFailure, WriteStage, WriteStep};
use crate::identityguard::SerialNumber;
use crate::vault::cipher::{self, NONCE_LEN, SecretKey};

/// What the envelope's `format` key says.
const FORMAT: &str = "tessera-issuer-identity";
/// The only envelope version this code writes and reads.
const VERSION: u64 = 1;
/// Records are a few KiB at most (the policy is bounded, challenges are few); anything far
/// larger is refused without being read whole.
const MAX_RECORD_BYTES: usize = 256 * 1024;
const PREFIX: &str = "identity-";
const SUFFIX: &str = ".json";

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

    /// True when an identity with this serial number has a record.
    pub fn exists(&self, serial: &SerialNumber) -> Result<bool, IssuerError> {
        match std::fs::symlink_metadata(self.path(serial)) {
            Ok(_) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(IssuerError::storage("look for an identity record", &e)),
        }
    }

    /// Reads and opens the record of `serial`.
    pub fn read(&self, serial: &SerialNumber) -> Result<IdentityRecord, IssuerError> {
        let bytes = atomic_file::read_bounded(&self.path(serial), MAX_RECORD_BYTES)
            .map_err(|e| IssuerError::storage("read an identity record", &e))?
            .ok_or_else(|| IssuerError::UnknownSerial {
                serial: serial.to_string(),
            })?;
        self.open(serial, &bytes)
            .ok_or_else(|| IssuerError::RecordDamaged {
                serial: serial.to_string(),
            })
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

    /// Seals `record` and replaces its file crash-safely.
    pub fn write(&self, record: &IdentityRecord) -> Result<(), IssuerError> {
        let plain = to_json(record)?;
        let nonce = cipher::make_nonce().map_err(IssuerError::from_primitive)?;
        let sealed = cipher::seal(self.key, &nonce, &aad(&record.serial), &plain)
            .map_err(IssuerError::from_primitive)?;
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
        let target = self.path(&record.serial);
        let mut temp = target.clone().into_os_string();
        temp.push(".tmp");
        write_file(Path::new(&temp), &target, &bytes)
    }

    /// The serial numbers of every record in the folder, in order. Files whose names are not
    /// a record's (temporary files, the header, anything else) are skipped.
    pub fn serials(&self) -> Result<Vec<SerialNumber>, IssuerError> {
        list_serials(self.dir)
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
        let name = entry.file_name();
        let Some(digits) = name
            .to_str()
            .and_then(|n| n.strip_prefix(PREFIX))
            .and_then(|n| n.strip_suffix(SUFFIX))
        else {
            continue;
        };
        if digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(serial) = digits.parse::<SerialNumber>() {
                serials.push(serial);
            }
        }
    }
    serials.sort_by(|a, b| a.as_digits().cmp(b.as_digits()));
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

/// Replaces `target` crash-safely through `temp`, wording errors for the issuer.
pub(super) fn write_file(temp: &Path, target: &Path, bytes: &[u8]) -> Result<(), IssuerError> {
    atomic_file::replace(temp, target, bytes, None, fault).map_err(|failure| match failure {
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
    static FAULT: std::cell::Cell<Option<WriteStep>> = const { std::cell::Cell::new(None) };
}

/// Makes the next write on this thread stop before `step`, as if the process died there.
#[cfg(test)]
pub(super) fn inject_fault(step: Option<WriteStep>) {
    FAULT.with(|f| f.set(step));
}

/// The simulated crash a test injected at `step`; nothing in normal builds.
fn fault(step: WriteStep) -> Result<(), IssuerError> {
    #[cfg(test)]
    if FAULT.with(|f| f.get()) == Some(step) {
        FAULT.with(|f| f.set(None));
        return Err(IssuerError::Storage {
            action: "finish (simulated crash)",
            detail: format!("{step:?}"),
        });
    }
    let _ = step;
    Ok(())
}
