//! The one place that talks to the system keystore, through the `keyring` crate: whether there
//! is one, and reading or storing a folder's 32-byte key. Every failure becomes a sentence
//! without the key or any byte of the item in it.

use std::path::Path;

use keyring::{Entry, Error};
use tessera_core::vault::{KeyProtectorError, SoftwareProtector};
use zeroize::Zeroizing;

/// The keystore item's service name.
pub const SERVICE: &str = "Tessera device key";

const KEY_LEN: usize = 32;

/// The keystore `keyring` uses here, as a person knows it.
#[cfg(target_os = "macos")]
const PLATFORM_STORE: &str = "the Keychain";
#[cfg(target_os = "windows")]
const PLATFORM_STORE: &str = "the Credential Manager";
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
const PLATFORM_STORE: &str = "the Secret Service on the session bus";

/// There is no usable system keystore in this session.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no system keystore is available ({reason})")]
pub struct Unavailable {
    /// What the platform said (no Secret Service on the session bus, say).
    pub reason: String,
}

/// Whether the platform's keystore can be reached (on Linux: a Secret Service answers on the
/// session bus). Asked once per process; the answer stays for its lifetime.
pub fn check_available() -> Result<(), Unavailable> {
    Entry::store_status()
        .as_ref()
        .map(|_| ())
        .map_err(|error| Unavailable {
            reason: match error {
                Error::PlatformFailure(cause) | Error::NoStorageAccess(cause) => {
                    format!("{PLATFORM_STORE} cannot be reached: {cause}")
                }
                other => describe(other),
            },
        })
}

/// The keystore item's account for the token in `folder`: its full path, links resolved, so
/// every way of naming one folder finds one key.
pub fn account_for(folder: &Path) -> Result<String, KeyProtectorError> {
    let path = std::fs::canonicalize(folder).map_err(|e| KeyProtectorError::Failed {
        reason: format!("the token's folder cannot be found ({e})"),
    })?;
    Ok(path.display().to_string())
}

/// The folder's key, or `None` when the keystore has no item for it.
pub fn read_key(folder: &Path) -> Result<Option<Zeroizing<[u8; KEY_LEN]>>, KeyProtectorError> {
    let secret = match entry(folder)?.get_secret() {
        Ok(secret) => Zeroizing::new(secret),
        Err(Error::NoEntry) => return Ok(None),
        Err(error) => return Err(failed(&error)),
    };
    let mut key = Zeroizing::new([0; KEY_LEN]);
    if secret.len() != KEY_LEN {
        return Err(KeyProtectorError::KeyInvalidated {
            reason: format!(
                "the system keystore's item for this token holds {} bytes, not a key of {KEY_LEN}",
                secret.len()
            ),
        });
    }
    key.copy_from_slice(&secret);
    Ok(Some(key))
}

/// Makes a random key for the folder and stores it; the caller holds the folder's lock.
pub fn make_key(folder: &Path) -> Result<Zeroizing<[u8; KEY_LEN]>, KeyProtectorError> {
    let key = SoftwareProtector::new()
        .map_err(|_| KeyProtectorError::Failed {
            reason: "the system's random number generator failed".to_string(),
        })?
        .key();
    entry(folder)?
        .set_secret(&key[..])
        .map_err(|error| failed(&error))?;
    Ok(key)
}

/// The error for a vault sealed by a key the keystore does not hold.
pub fn missing() -> KeyProtectorError {
    KeyProtectorError::KeyInvalidated {
        reason: "the system keystore holds no device key for this token (was the file copied from another computer or account, its folder moved, or the keystore reset?)".to_string(),
    }
}

fn entry(folder: &Path) -> Result<Entry, KeyProtectorError> {
    Entry::new(SERVICE, &account_for(folder)?).map_err(|error| failed(&error))
}

fn failed(error: &Error) -> KeyProtectorError {
    KeyProtectorError::Failed {
        reason: describe(error),
    }
}

/// The keystore's error in words; the variants that carry item bytes are named, never shown.
fn describe(error: &Error) -> String {
    match error {
        Error::PlatformFailure(cause) => format!("the system keystore failed: {cause}"),
        Error::NoStorageAccess(cause) => {
            format!("the system keystore refused access (is it locked?): {cause}")
        }
        Error::NoEntry => "the system keystore has no such item".to_string(),
        Error::NoDefaultStore => "this platform has no system keystore".to_string(),
        Error::BadEncoding(_) | Error::BadDataFormat(..) | Error::BadStoreFormat(_) => {
            "the system keystore's item is malformed".to_string()
        }
        Error::TooLong(..) | Error::Invalid(..) => {
            format!("the system keystore refused the item's name: {error}")
        }
        Error::Ambiguous(items) => format!(
            "the system keystore holds {} items for this token",
            items.len()
        ),
        other => format!("the system keystore cannot do this: {other}"),
    }
}
