//! The desktop's device key: what the phones get from Android Keystore or the Secure Enclave,
//! kept instead in the system keystore (the Secret Service on Linux, the Keychain on macOS, the
//! Credential Manager on Windows), so a copied vault file cannot be attacked by guessing PINs
//! anywhere but on this computer, in this account.
//!
//! [`DeviceKey`] is tessera-core's [`KeyProtector`]: a random 256-bit key, one per token
//! folder, sealing with core's [`SoftwareProtector`] (XChaCha20-Poly1305); only the key lives
//! in the keystore. It is made the first time something is sealed (a new token, or the upgrade
//! of one made without a device key) and never made to open anything: a key missing when a
//! vault is opened is reported as gone ([`KeyProtectorError::KeyInvalidated`]), and the
//! recovery key is the way back. Both run while the vault holds its folder's lock, so two
//! processes never make two keys for one folder.
//!
//! The keystore item: service [`SERVICE`], account the folder's full path
//! ([`account_for`]); a token folder moved elsewhere, even on the same computer, opens with its
//! recovery key (and is then sealed by a key of its own). Nothing here logs, prints or puts the
//! key in an error.

mod keystore;

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tessera_core::vault::{KeyProtector, KeyProtectorError, SoftwareProtector};

pub use keystore::{SERVICE, Unavailable, account_for};

/// The device key of one token folder, in the system keystore. Cheap to make; the keystore is
/// read the first time the key is needed and the key is then kept in memory (wiped on drop).
pub struct DeviceKey {
    folder: PathBuf,
    loaded: Mutex<Option<SoftwareProtector>>,
}

impl DeviceKey {
    /// The device key of the token in `folder`, when this session has a system keystore;
    /// otherwise why not (no Secret Service on the session bus, say), to tell the person.
    /// The folder need not exist yet.
    pub fn open(folder: impl Into<PathBuf>) -> Result<Self, Unavailable> {
        keystore::check_available()?;
        Ok(Self {
            folder: folder.into(),
            loaded: Mutex::new(None),
        })
    }

    /// The folder whose key this is.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Runs `f` with the key, read from the keystore (or made there, when `make` says so and
    /// there is none) the first time.
    fn with_key<T>(
        &self,
        make: bool,
        f: impl FnOnce(&SoftwareProtector) -> Result<T, KeyProtectorError>,
    ) -> Result<T, KeyProtectorError> {
        let mut loaded = self.loaded.lock().map_err(|_| KeyProtectorError::Failed {
            reason: "an earlier use of the device key failed midway".to_string(),
        })?;
        let protector = match loaded.take() {
            Some(protector) => loaded.insert(protector),
            None => {
                let key = match keystore::read_key(&self.folder)? {
                    Some(key) => key,
                    None if make => keystore::make_key(&self.folder)?,
                    None => return Err(keystore::missing()),
                };
                loaded.insert(SoftwareProtector::from_key(key))
            }
        };
        f(protector)
    }
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceKey")
            .field("folder", &self.folder)
            .finish_non_exhaustive()
    }
}

impl KeyProtector for DeviceKey {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, KeyProtectorError> {
        self.with_key(true, |key| key.wrap(plaintext))
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, KeyProtectorError> {
        self.with_key(false, |key| key.unwrap(wrapped))
    }
}
