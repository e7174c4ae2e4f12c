//! Making a backup file: the payload sealed under the backup key, the whole header as
//! associated data, a fresh nonce every time.

use super::format::{self, Header};
use super::{BackupContents, BackupError, BackupKey};
use crate::crypto::cipher::{self, make_nonce};

impl BackupKey {
    /// The backup file's bytes for `contents`. The file holds no secret in the clear (the
    /// ciphertext can be written anywhere); the plaintext is wiped before this returns.
    pub fn seal(&self, contents: &BackupContents) -> Result<Vec<u8>, BackupError> {
        let plaintext = contents.encode()?;
        let header = Header {
            kdf: self.kdf,
            salt: self.salt,
            nonce: make_nonce()?,
            sealed_len: format::sealed_len_for(plaintext.len())?,
        };
        let sealed = cipher::seal(&self.key, &header.nonce, &header.encode(), &plaintext)?;
        Ok(format::frame(&header, &sealed))
    }
}
