//! The device key as a foreign trait: Android Keystore or the iOS Secure Enclave on phones, a
//! test double in tests. Implementations must never call back into the session (its lock is
//! held while they run) and must fail with an error rather than block forever.

use std::sync::Arc;

use tessera_core::vault::{
    KeyProtector as CoreKeyProtector, KeyProtectorError as CoreKeyProtectorError,
};

/// Seals and opens the PIN slot's key material with a key that never leaves the device.
///
/// Core's trait of the same name, as a foreign trait: UniFFI exports only a crate's own traits
/// for shells to implement, and core's takes `&[u8]`, which UniFFI 0.32 would hand Kotlin as a
/// direct ByteBuffer; `ProtectorBridge` passes calls on.
#[uniffi::export(foreign)]
pub trait KeyProtector: Send + Sync {
    /// Seals `plaintext`; the result is stored in the vault as returned.
    fn wrap(&self, plaintext: Vec<u8>) -> Result<Vec<u8>, KeyProtectorError>;
    /// Opens what `wrap` returned; fails on anything else.
    fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, KeyProtectorError>;
}

/// Why the device key could not be used.
///
/// Core's error of the same name, declared here because a foreign trait's error needs
/// `From<uniffi::UnexpectedUniFFICallbackError>` (so an unexpected exception in a shell's
/// implementation becomes `Failed` instead of a panic), which the orphan rule forbids for
/// core's type while core does not depend on UniFFI.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum KeyProtectorError {
    /// The key is gone for good (deleted, invalidated by new biometrics, data restored to
    /// another device): the recovery key or an unlock code is the way back.
    #[error("the device key was deleted or invalidated: {reason}")]
    KeyInvalidated {
        /// What the platform said, without secrets.
        reason: String,
    },
    /// The key exists but this operation failed.
    #[error("the device key could not be used: {reason}")]
    Failed {
        /// What the platform said, without secrets.
        reason: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for KeyProtectorError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        KeyProtectorError::Failed {
            reason: error.reason,
        }
    }
}

/// Lets the core use a shell's protector.
pub(crate) struct ProtectorBridge(pub(crate) Arc<dyn KeyProtector>);

impl CoreKeyProtector for ProtectorBridge {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, CoreKeyProtectorError> {
        self.0.wrap(plaintext.to_vec()).map_err(Into::into)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, CoreKeyProtectorError> {
        self.0.unwrap(wrapped.to_vec()).map_err(Into::into)
    }
}

impl From<KeyProtectorError> for CoreKeyProtectorError {
    fn from(error: KeyProtectorError) -> Self {
        match error {
            KeyProtectorError::KeyInvalidated { reason } => {
                CoreKeyProtectorError::KeyInvalidated { reason }
            }
            KeyProtectorError::Failed { reason } => CoreKeyProtectorError::Failed { reason },
        }
    }
}
