//! The one place that talks to the system keystore, through the keyring crates' platform store:
//! whether there is one, and reading or storing a folder's 32-byte key. Every failure becomes a
//! sentence without the key or any byte of the item in it.
//!
//! The store is made here on first use and kept only once it answered: a Secret Service that
//! D-Bus starts on demand is started by that first call, and one that could not be reached is
//! asked again next time, so a keyring started or unlocked later is used without a restart. A
//! locked collection is unlocked the platform's way (the Secret Service's `Unlock` and its
//! prompt, which the store runs); when that fails the error says the keyring is locked.

use std::path::Path;
use std::sync::{Arc, Mutex};

use keyring_core::{CredentialStore, Entry, Error};
use tessera_core::vault::{KeyProtectorError, SoftwareProtector};
use zeroize::Zeroizing;

/// The keystore item's service name.
pub const SERVICE: &str = "Tessera device key";

const KEY_LEN: usize = 32;

/// The keystore used here, as a person knows it.
#[cfg(target_os = "macos")]
const PLATFORM_STORE: &str = "the Keychain";
#[cfg(target_os = "windows")]
const PLATFORM_STORE: &str = "the Credential Manager";
#[cfg(not(any(target_os = "macos", target_os = "windows")))]
const PLATFORM_STORE: &str = "the Secret Service on the session bus";

/// The store once it answered; `None` until then, so a failure is never kept.
static STORE: Mutex<Option<Arc<CredentialStore>>> = Mutex::new(None);

/// There is no usable system keystore in this session.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no system keystore is available ({reason})")]
pub struct Unavailable {
    /// What the platform said (no Secret Service on the session bus, say).
    pub reason: String,
}

/// Whether the platform's keystore can be reached (on Linux: a Secret Service answers on the
/// session bus, started by D-Bus if it is activatable). A failure is not remembered: the next
/// call asks again.
pub fn check_available() -> Result<(), Unavailable> {
    store().map(|_| ()).map_err(|error| Unavailable {
        reason: match &error {
            Error::PlatformFailure(cause) | Error::NoStorageAccess(cause) => {
                format!("{PLATFORM_STORE} cannot be reached: {cause}")
            }
            other => describe(other),
        },
    })
}

fn store() -> Result<Arc<CredentialStore>, Error> {
    let mut held = STORE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(store) = held.as_ref() {
        return Ok(Arc::clone(store));
    }
    let store = platform_store()?;
    *held = Some(Arc::clone(&store));
    Ok(store)
}

/// Drops the kept store after it failed, so the next use connects afresh (the Secret Service
/// may have been restarted, and its session with it).
fn forget_store() {
    *STORE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
}

#[cfg(target_os = "macos")]
fn platform_store() -> Result<Arc<CredentialStore>, Error> {
    Ok(apple_native_keyring_store::keychain::Store::new()?)
}

#[cfg(target_os = "windows")]
fn platform_store() -> Result<Arc<CredentialStore>, Error> {
    Ok(windows_native_keyring_store::Store::new()?)
}

#[cfg(not(any(target_os = "macos", target_os = "windows")))]
fn platform_store() -> Result<Arc<CredentialStore>, Error> {
    Ok(zbus_secret_service_keyring_store::Store::new()?)
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
        Err(error) => return Err(failed(error)),
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
    entry(folder)?.set_secret(&key[..]).map_err(failed)?;
    Ok(key)
}

/// The error for a vault sealed by a key the keystore does not hold.
pub fn missing() -> KeyProtectorError {
    KeyProtectorError::KeyInvalidated {
        reason: "the system keystore holds no device key for this token (was the file copied from another computer or account, its folder moved, or the keystore reset?)".to_string(),
    }
}

fn entry(folder: &Path) -> Result<Entry, KeyProtectorError> {
    let account = account_for(folder)?;
    store()
        .and_then(|store| store.build(SERVICE, &account, None))
        .map_err(failed)
}

fn failed(error: Error) -> KeyProtectorError {
    if matches!(error, Error::PlatformFailure(_) | Error::NoStorageAccess(_)) {
        forget_store();
    }
    KeyProtectorError::Failed {
        reason: describe(&error),
    }
}

/// The keystore's error in words; the variants that carry item bytes are named, never shown.
fn describe(error: &Error) -> String {
    match error {
        Error::PlatformFailure(cause) => format!("the system keystore failed: {cause}"),
        Error::NoStorageAccess(cause) => format!(
            "the system keyring is locked and was not unlocked ({cause}); unlock it (log in to the desktop, or open your keyring's app) and try again"
        ),
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
