//! Password-protected Stratum (Authenticator Pro) backups, as Stratum's `StrongBackupEncryption`
//! and `LegacyBackupEncryption` write them; the plaintext is the JSON a plain backup holds.
//!
//! - Current: `"AUTHENTICATORPRO" ‖ salt (16) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`,
//!   AES-256-GCM under Argon2id of the password and salt (64 MiB, 3 passes, 4 lanes).
//! - Legacy (Authenticator Pro 1.13 to 1.18): `"AuthenticatorPro" ‖ salt (20) ‖ IV (16) ‖
//!   ciphertext`, AES-256-CBC with PKCS#7 padding under PBKDF2-HMAC-SHA1 of the password and
//!   salt, 64,000 iterations.
//! - Headerless (Authenticator Pro 1.12 and earlier): the ciphertext alone, AES-256-CBC with
//!   PKCS#7 padding and a zero IV under SHA-256 of the password. Without a header it cannot be
//!   recognised, only read when the format is named.
//!
//! The costs are Stratum's constants, not read from the file, so nothing in the file can make
//! the derivation dearer. No format can tell a wrong password from a changed byte.

use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::cbc::{IV_LEN, open_cbc};
use super::crypto::{KEY_LEN, NONCE_LEN, TAG_LEN, damaged, decrypted_json, open_appended};
use super::kdfs::{Argon2idParams, pbkdf2_sha1};
use super::password::Password;
use super::report::{ImportError, ImportReport};
use super::stratum;

/// The first 16 bytes of a current backup.
pub(super) const MAGIC: &[u8; 16] = b"AUTHENTICATORPRO";
/// The first 16 bytes of a legacy backup.
pub(super) const LEGACY_MAGIC: &[u8; 16] = b"AuthenticatorPro";

const SALT_LEN: usize = 16;
const LEGACY_SALT_LEN: usize = 20;
const LEGACY_ITERATIONS: u64 = 64_000;

/// Whether `bytes` may be a headerless backup: bytes that are not text (a plain backup is JSON
/// text, and ciphertext is UTF-8 only by rare chance).
pub(super) fn is_headerless(bytes: &[u8]) -> bool {
    !bytes.is_empty() && std::str::from_utf8(bytes).is_err()
}

pub(super) fn parse(bytes: &[u8], password: &Password) -> Result<ImportReport, ImportError> {
    let plaintext = if let Some(rest) = bytes.strip_prefix(MAGIC) {
        open_current(rest, password)?
    } else if let Some(rest) = bytes.strip_prefix(LEGACY_MAGIC) {
        open_legacy(rest, password)?
    } else if is_headerless(bytes) {
        let plaintext = open_headerless(bytes, password)?;
        // Only the JSON inside says that this was a backup at all.
        let backup =
            decrypted_json(&plaintext, "the backup").map_err(|_| ImportError::WrongPassword {
                field: "the backup",
            })?;
        return stratum::parse(&backup);
    } else {
        return Err(damaged(
            "the header",
            "is neither AUTHENTICATORPRO nor AuthenticatorPro",
        ));
    };
    let backup = decrypted_json(&plaintext, "the backup")?;
    stratum::parse(&backup)
}

fn too_short(needed: usize, found: usize) -> ImportError {
    damaged(
        "the file",
        format!(
            "ends after {found} bytes, before its salt, IV and encrypted backup ({needed} bytes at least): it was cut"
        ),
    )
}

fn open_current(
    rest: &[u8],
    password: &Password,
) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    let needed = SALT_LEN + NONCE_LEN + TAG_LEN;
    if rest.len() < needed {
        return Err(too_short(needed + MAGIC.len(), rest.len() + MAGIC.len()));
    }
    let (salt, rest) = rest.split_at(SALT_LEN);
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    let nonce: &[u8; NONCE_LEN] = nonce.try_into().map_err(|_| too_short(needed, 0))?;
    let key = Argon2idParams::new("Stratum's Argon2id parameters", 65_536, 3, 4)?
        .derive(password, salt, "the salt")?;
    open_appended(&key, nonce, sealed).map_err(|_| ImportError::WrongPassword {
        field: "the backup",
    })
}

fn open_legacy(
    rest: &[u8],
    password: &Password,
) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    let needed = LEGACY_SALT_LEN + IV_LEN + IV_LEN;
    if rest.len() < needed {
        return Err(too_short(
            needed + LEGACY_MAGIC.len(),
            rest.len() + LEGACY_MAGIC.len(),
        ));
    }
    let (salt, rest) = rest.split_at(LEGACY_SALT_LEN);
    let (iv, ciphertext) = rest.split_at(IV_LEN);
    let iv: &[u8; IV_LEN] = iv.try_into().map_err(|_| too_short(needed, 0))?;
    let key = pbkdf2_sha1(password.as_bytes(), salt, LEGACY_ITERATIONS, "iterations")?;
    open_cbc(&key, iv, ciphertext).map_err(|_| ImportError::WrongPassword {
        field: "the backup",
    })
}

fn open_headerless(bytes: &[u8], password: &Password) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    if !bytes.len().is_multiple_of(IV_LEN) {
        return Err(damaged(
            "the file",
            format!(
                "is {} bytes, not whole 16-byte blocks as an encrypted backup is: it was cut",
                bytes.len()
            ),
        ));
    }
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    Sha256::new_with_prefix(password.as_bytes()).finalize_into((&mut *key).into());
    open_cbc(&key, &[0u8; IV_LEN], bytes).map_err(|_| ImportError::WrongPassword {
        field: "the backup",
    })
}
