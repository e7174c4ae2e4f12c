//! Sealing one identity record for storage: the bytes every store keeps (a record file of the
//! folder store, a row of the server's database), so both stores share one format and one check.
//!
//! A sealed record is a small JSON envelope around the record encrypted with XChaCha20-Poly1305
//! under a [`RecordKey`]. The seal's associated data names the envelope's version and the serial
//! number, so a record copied over another identity's (file or row), or changed in any byte, is
//! refused as damaged rather than read.
//!
//! The plaintext JSON is built in a buffer sized exactly beforehand (a first pass counts the
//! bytes), so no reallocation leaves an unwiped copy of a secret behind.

use std::fmt;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::IssuerError;
use super::record::IdentityRecord;
use super::store_files::decode_hex_array;
use crate::crypto::cipher::{self, KEY_LEN, NONCE_LEN, SecretKey};
use crate::identityguard::SerialNumber;

/// What the envelope's `format` key says.
const FORMAT: &str = "tessera-issuer-identity";
/// The only envelope version this code writes and reads.
const VERSION: u64 = 1;
/// Records are a few KiB at most (the policy is bounded, challenges are few); anything far
/// larger is refused without being parsed.
pub const MAX_SEALED_RECORD_BYTES: usize = 256 * 1024;

/// The 256-bit key identity records are sealed with: derived from the passphrase in the folder
/// store, the server's master key in the server. Wiped on drop; `Debug` shows nothing of it.
pub struct RecordKey(SecretKey);

impl RecordKey {
    /// The key made of these 32 bytes (read from a key file or the environment).
    pub fn from_bytes(bytes: Zeroizing<[u8; KEY_LEN]>) -> Self {
        Self(bytes)
    }

    /// A fresh random key.
    pub fn make() -> Result<Self, IssuerError> {
        Ok(Self(cipher::make_key()?))
    }

    /// The key's bytes, to write to a key file.
    pub fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    pub(super) fn from_secret(key: SecretKey) -> Self {
        Self(key)
    }
}

impl fmt::Debug for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RecordKey(..)")
    }
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    version: u64,
    /// The serial's 10 digits; must match the sealed record (and the file name or row).
    serial: String,
    /// 24 bytes, hex.
    nonce: String,
    /// The sealed record JSON and its 16-byte tag, hex.
    sealed: String,
}

/// Seals `record` under `key`: the envelope's JSON, ending with a newline.
pub fn seal_record(key: &RecordKey, record: &IdentityRecord) -> Result<Vec<u8>, IssuerError> {
    let plain = to_json(record)?;
    let nonce = cipher::make_nonce()?;
    let sealed = cipher::seal(&key.0, &nonce, &aad(&record.serial), &plain)?;
    let envelope = Envelope {
        format: FORMAT.into(),
        version: VERSION,
        serial: record.serial.as_digits().into(),
        nonce: data_encoding::HEXLOWER.encode(&nonce),
        sealed: data_encoding::HEXLOWER.encode(&sealed),
    };
    let mut bytes = serde_json::to_vec_pretty(&envelope).map_err(|_| IssuerError::Internal {
        reason: "an identity envelope could not be written as JSON",
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Opens the sealed record of `serial`; refused as [`IssuerError::RecordDamaged`] when the
/// bytes are not a record of this serial sealed under `key`.
pub fn open_record(
    key: &RecordKey,
    serial: &SerialNumber,
    bytes: &[u8],
) -> Result<IdentityRecord, IssuerError> {
    open(key, serial, bytes).ok_or_else(|| IssuerError::RecordDamaged {
        serial: serial.to_string(),
    })
}

fn open(key: &RecordKey, serial: &SerialNumber, bytes: &[u8]) -> Option<IdentityRecord> {
    if bytes.len() > MAX_SEALED_RECORD_BYTES {
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
    let plain = cipher::open(&key.0, &nonce, &aad(serial), &sealed).ok()?;
    let record: IdentityRecord = serde_json::from_slice(&plain).ok()?;
    (record.serial == *serial).then_some(record)
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
