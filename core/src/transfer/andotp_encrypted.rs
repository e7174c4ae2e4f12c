//! Encrypted andOTP backups (`.json.aes`), both generations, as andOTP's `BackupHelper` and
//! `EncryptionHelper` write them. The plaintext is the JSON list a plain backup holds.
//!
//! - Old (before 0.6.3): `nonce (12) ‖ ciphertext ‖ tag (16)`, AES-256-GCM under SHA-256 of
//!   the password.
//! - New: `iterations (4, big-endian) ‖ salt (12) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`,
//!   AES-256-GCM under PBKDF2-HMAC-SHA1 of the password and salt, 256 bits.
//!
//! Nothing in the file says which generation it is. The old key costs one hash, so it is tried
//! first; then the header is read as the new generation's, its iteration count bounded before
//! any work (an old backup opened with a wrong password also ends there, so that error says
//! both). GCM's tag cannot tell a wrong password from a changed byte: both are a wrong
//! password.

use sha2::{Digest, Sha256};

use super::andotp;
use super::crypto::{Key, NONCE_LEN, TAG_LEN, damaged, decrypted_json, open_appended};
use super::kdfs::pbkdf2_sha1;
use super::password::Password;
use super::report::{ImportError, ImportReport};

/// Length of the new generation's iteration count and salt.
const ITERATIONS_LEN: usize = 4;
const SALT_LEN: usize = 12;
/// andOTP's own iteration counts are drawn from this range: a file whose first four bytes fall
/// in it is recognised as a new-generation backup by its content.
pub(super) const ANDOTP_ITERATIONS: std::ops::RangeInclusive<u32> = 140_000..=160_000;

/// Whether `bytes` start with a new-generation header andOTP itself would write.
pub(super) fn looks_new_generation(bytes: &[u8]) -> bool {
    bytes.len() >= ITERATIONS_LEN + SALT_LEN + NONCE_LEN + TAG_LEN
        && ANDOTP_ITERATIONS.contains(&iterations(bytes))
}

fn iterations(bytes: &[u8]) -> u32 {
    let mut count = [0u8; ITERATIONS_LEN];
    count.copy_from_slice(&bytes[..ITERATIONS_LEN]);
    u32::from_be_bytes(count)
}

pub(super) fn parse(bytes: &[u8], password: &Password) -> Result<ImportReport, ImportError> {
    if bytes.len() < NONCE_LEN + TAG_LEN {
        return Err(damaged(
            "the file",
            format!(
                "is {} bytes long, an encrypted andOTP backup has at least {}",
                bytes.len(),
                NONCE_LEN + TAG_LEN
            ),
        ));
    }
    let old_key: Key = Key::new(Sha256::digest(password.as_bytes()).into());
    let plaintext = match open_at(&old_key, bytes) {
        Some(plaintext) => plaintext,
        None => open_new_generation(bytes, password)?,
    };
    let list = decrypted_json(&plaintext, "the backup")?;
    andotp::parse(&list)
}

fn open_at(key: &Key, sealed: &[u8]) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    let (nonce, rest) = sealed.split_first_chunk::<NONCE_LEN>()?;
    open_appended(key, nonce, rest).ok()
}

fn open_new_generation(
    bytes: &[u8],
    password: &Password,
) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    let header = ITERATIONS_LEN + SALT_LEN;
    if bytes.len() < header + NONCE_LEN + TAG_LEN {
        return Err(ImportError::WrongPassword {
            field: "the backup",
        });
    }
    let salt = &bytes[ITERATIONS_LEN..header];
    let key = pbkdf2_sha1(
        password.as_bytes(),
        salt,
        u64::from(iterations(bytes)),
        "the first 4 bytes, read as a new backup's iteration count: read as an old backup, \
         the file did not open with this password",
    )?;
    open_at(&key, &bytes[header..]).ok_or(ImportError::WrongPassword {
        field: "the backup",
    })
}
