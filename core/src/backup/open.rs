//! Opening a backup file: framing and checksum first (no key, no memory reserved), then the
//! key from the password, then the payload.

use super::format::{self, Framed};
use super::{BackupContents, BackupError, BackupKey};
use crate::crypto::KdfParams;
use crate::crypto::cipher;

/// A backup file whose framing and checksum are right, not yet decrypted.
#[derive(Debug)]
pub struct SealedBackup<'a> {
    framed: Framed<'a>,
}

impl<'a> SealedBackup<'a> {
    /// Checks the file's magic, version, key-derivation parameters, lengths and checksum, in
    /// that order, without deriving any key. Errors name the first thing wrong.
    pub fn parse(file: &'a [u8]) -> Result<Self, BackupError> {
        Ok(Self {
            framed: format::parse(file)?,
        })
    }

    /// The Argon2id parameters opening will use (already checked against the bounds).
    pub fn kdf(&self) -> KdfParams {
        self.framed.header.kdf
    }

    /// The key `password` gives for this file (the slow step). Whether it is the right one is
    /// known only by [`SealedBackup::open_with`].
    pub fn derive_key(&self, password: &str) -> Result<BackupKey, BackupError> {
        BackupKey::derive(password, self.framed.header.kdf, self.framed.header.salt)
    }

    /// Decrypts and reads the payload with `key`.
    pub fn open_with(&self, key: &BackupKey) -> Result<BackupContents, BackupError> {
        if key.salt != self.framed.header.salt || key.kdf != self.framed.header.kdf {
            return Err(BackupError::WrongPassword);
        }
        let plaintext = cipher::open(
            &key.key,
            &self.framed.header.nonce,
            self.framed.header_bytes,
            self.framed.sealed,
        )
        .map_err(|_| BackupError::WrongPassword)?;
        BackupContents::from_payload(&plaintext)
    }
}

/// Opens a backup file with its password.
pub fn open_backup(file: &[u8], password: &str) -> Result<BackupContents, BackupError> {
    let sealed = SealedBackup::parse(file)?;
    let key = sealed.derive_key(password)?;
    sealed.open_with(&key)
}
