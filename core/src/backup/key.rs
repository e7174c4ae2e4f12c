//! The backup key: Argon2id of the backup password with the file's salt and parameters. Not
//! tied to the device key or the PIN, so a backup opens on any device that knows the password.

use std::fmt;

use super::{BackupError, check_backup_password};
use crate::crypto::KdfParams;
use crate::crypto::cipher::SecretKey;
use crate::crypto::kdf::{SALT_LEN, derive_argon2id_kek};
use crate::random::make_random_bytes;

/// A key derived from a backup password, with the salt and parameters it was derived with.
/// Wiped when dropped; `Debug` shows only the parameters.
pub struct BackupKey {
    pub(super) key: SecretKey,
    pub(super) kdf: KdfParams,
    pub(super) salt: [u8; SALT_LEN],
}

impl BackupKey {
    /// The key for new backups: checks the password rules and that `confirmation` repeats the
    /// password, then derives with a fresh salt. One key may seal several backups (each gets a
    /// fresh nonce).
    pub fn for_new_backup(
        password: &str,
        confirmation: &str,
        kdf: KdfParams,
    ) -> Result<Self, BackupError> {
        check_backup_password(password, confirmation)?;
        let salt = make_random_bytes::<SALT_LEN>()?;
        Self::derive(password, kdf, salt)
    }

    /// Argon2id(password as UTF-8 bytes exactly as typed, salt) with `kdf`.
    pub(super) fn derive(
        password: &str,
        kdf: KdfParams,
        salt: [u8; SALT_LEN],
    ) -> Result<Self, BackupError> {
        let key = derive_argon2id_kek(password.as_bytes(), &salt, &kdf)?;
        Ok(Self { key, kdf, salt })
    }

    /// The Argon2id parameters the key was derived with.
    pub fn kdf(&self) -> KdfParams {
        self.kdf
    }
}

impl fmt::Debug for BackupKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BackupKey")
            .field("kdf", &self.kdf)
            .finish_non_exhaustive()
    }
}
