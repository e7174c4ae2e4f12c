//! The desktop's device key for the Compose desktop app: the same key in the system keystore
//! (Secret Service, Keychain, Credential Manager) that the `tessera` CLI uses, so the app and
//! the CLI open one token folder alike. Implemented in Rust (tessera-desktop-key), not by the
//! shell, and compiled in only with the `desktop-device-key` feature; the phone libraries are
//! built without it and answer that no keystore is built in.

use std::sync::Arc;

use tessera_core::vault::KeyProtector as CoreKeyProtector;

use crate::error::TokenError;
use crate::session::TokenSession;

#[uniffi::export]
impl TokenSession {
    /// The token stored in `folder`, its PIN slot sealed by a device key that the system
    /// keystore keeps for this folder (made when the token is created; a token made without one
    /// is sealed by it at its next unlock). Fails with `KeyUnavailable` when this session has no
    /// keystore (on Linux: no Secret Service on the session bus) or this library was built
    /// without one; the desktop then opens `TokenSession(folder, null)` and tells the person
    /// that only the PIN protects a copy of the token's file.
    #[uniffi::constructor]
    pub fn with_system_keystore(folder: String) -> Result<Arc<Self>, TokenError> {
        let protector = system_keystore(&folder)?;
        Ok(Self::over(folder, Some(protector)))
    }
}

#[cfg(feature = "desktop-device-key")]
fn system_keystore(folder: &str) -> Result<Arc<dyn CoreKeyProtector>, TokenError> {
    match tessera_desktop_key::DeviceKey::open(folder) {
        Ok(key) => Ok(Arc::new(key)),
        Err(unavailable) => Err(TokenError::KeyUnavailable {
            message: unavailable.to_string(),
        }),
    }
}

#[cfg(not(feature = "desktop-device-key"))]
fn system_keystore(_folder: &str) -> Result<Arc<dyn CoreKeyProtector>, TokenError> {
    Err(TokenError::KeyUnavailable {
        message: "this build of Tessera has no system keystore (the desktop library is built with the desktop-device-key feature)".to_string(),
    })
}
