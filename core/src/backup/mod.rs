//! Tessera's own encrypted backup: one portable file with every identity and everything needed
//! to restore it (secrets, HOTP and OCRA counters, IdentityGuard serial, registration code,
//! address and both policy variants, names and issuers), sealed under a backup password.
//!
//! - Key: Argon2id of the password, with the parameters and a random salt stored in the
//!   header ([`BackupKey`]). The device key and the PIN play no part: a backup opens on a new
//!   phone with its password alone.
//! - Cipher: XChaCha20-Poly1305 with a random nonce, the whole header as associated data.
//! - A SHA-256 checksum over the file tells accidental damage from a wrong password.
//! - Not in a backup: the PIN, the recovery key, the unlock slot and reset code, the lockout
//!   state and threshold, the device-key binding, the time offset and other settings. They
//!   belong to one token on one device; importing a backup into a token leaves them as they are
//!   (the unlock slot is bound again to the first IdentityGuard identity as usual).
//!
//! The file format is specified in docs/backup-format.md. Files are written with
//! [`crate::transfer::export::write_private_file`] (owner-only, crash-safe). Passwords, keys and the decrypted
//! payload live in zeroizing buffers, and no message or `Debug` output shows one.

mod error;
mod format;
mod key;
mod open;
mod password;
mod payload;
mod seal;

pub use error::BackupError;
pub use format::{FORMAT_VERSION, MAGIC, MAX_BACKUP_BYTES};
pub use key::BackupKey;
pub use open::{SealedBackup, open_backup};
pub use password::{
    MAX_PASSWORD_CHARS, MIN_DISTINCT_CHARS, MIN_PASSWORD_CHARS, check_backup_password,
};
pub use payload::{BackupContents, BackupIdentity, BackupItem};

/// Whether `bytes` start with the backup magic, for telling a backup from other export files.
pub fn looks_like_backup(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

#[cfg(test)]
mod tests;
