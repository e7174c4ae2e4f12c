//! Binding the PIN and unlock slots to the device: a key the platform keeps in hardware (Android
//! Keystore, iOS Secure Enclave) seals their wrapped data key a second time, so a copied vault
//! file cannot be attacked by guessing PINs or opened with an unlock code anywhere but on the
//! device itself.
//!
//! The shell implements [`KeyProtector`]; [`SoftwareProtector`] is the in-memory stand-in for
//! tests and for desktops that keep its key elsewhere (an OS keyring).
//!
//! Contract for implementations:
//! - `unwrap(wrap(x)) == x`; `unwrap` of anything else fails (an authenticated cipher, or the
//!   platform's own integrity check).
//! - Never call back into the vault or the session: the session holds its lock while a protector
//!   runs, so a call back deadlocks.
//! - Fail with [`KeyProtectorError`] instead of panicking or blocking forever; a failure is shown
//!   as "the device key is unavailable" and the recovery key still opens the vault (its slot
//!   never depends on the protector).
//! - The bytes passed in are already encrypted under a key derived from the PIN or unlock code;
//!   they are not secret by themselves, but implementations should still not log them.

use std::fmt;

use zeroize::Zeroizing;

use super::VaultError;
use crate::crypto::cipher::{self, NONCE_LEN, SecretKey};

/// Associated data the software protector binds to every blob it produces.
const SOFTWARE_PROTECTOR_AAD: &[u8] = b"tessera software protector v1";

/// Why a protector could not wrap or unwrap.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyProtectorError {
    /// The key is gone for good: deleted, or invalidated by the platform (new biometrics,
    /// screen lock removed, app data restored to another device).
    #[error("the device key was deleted or invalidated: {reason}")]
    KeyInvalidated {
        /// What the platform said, without secrets.
        reason: String,
    },
    /// The key exists but this operation failed (wrong input, platform error, user cancelled).
    #[error("the device key could not be used: {reason}")]
    Failed {
        /// What the platform said, without secrets.
        reason: String,
    },
}

impl From<KeyProtectorError> for VaultError {
    fn from(error: KeyProtectorError) -> Self {
        let reason = match error {
            KeyProtectorError::KeyInvalidated { reason } => {
                format!("it was deleted or invalidated: {reason}")
            }
            KeyProtectorError::Failed { reason } => reason,
        };
        VaultError::KeyUnavailable { reason }
    }
}

/// A key held by the platform that seals and unseals small byte strings (under 100 bytes).
///
/// Implementations must not call back into the vault or the session (see the module notes).
pub trait KeyProtector: Send + Sync {
    /// Seals `plaintext`; the result is stored in the vault header as it is returned.
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, KeyProtectorError>;
    /// Reverses [`wrap`](KeyProtector::wrap); fails on anything `wrap` did not produce with
    /// this key.
    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, KeyProtectorError>;
}

/// A protector whose key lives in process memory: XChaCha20-Poly1305 under a random 256-bit
/// key, output `nonce (24) || ciphertext || tag (16)`.
///
/// It gives device binding only as far as its key is kept apart from the vault file: in tests,
/// nothing outlives the instance; on a desktop, keep the key (see [`SoftwareProtector::key`]) in
/// the OS keyring, never next to the vault.
pub struct SoftwareProtector {
    key: SecretKey,
}

impl SoftwareProtector {
    /// A protector with a fresh random key.
    pub fn new() -> Result<Self, VaultError> {
        Ok(Self {
            key: cipher::make_key()?,
        })
    }

    /// A protector with a key kept elsewhere (e.g. the OS keyring).
    pub fn from_key(key: Zeroizing<[u8; 32]>) -> Self {
        Self { key }
    }

    /// The key, to store in an OS keyring. Treat it like a password.
    pub fn key(&self) -> Zeroizing<[u8; 32]> {
        self.key.clone()
    }
}

impl fmt::Debug for SoftwareProtector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SoftwareProtector(<key redacted>)")
    }
}

impl KeyProtector for SoftwareProtector {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, KeyProtectorError> {
        let failed = |reason: &str| KeyProtectorError::Failed {
            reason: reason.to_string(),
        };
        let nonce = cipher::make_nonce().map_err(|_| failed("no random numbers"))?;
        let sealed = cipher::seal(&self.key, &nonce, SOFTWARE_PROTECTOR_AAD, plaintext)
            .map_err(|_| failed("encryption failed"))?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    fn unwrap(&self, wrapped: &[u8]) -> Result<Vec<u8>, KeyProtectorError> {
        let refused = || KeyProtectorError::Failed {
            reason: "the data was not sealed by this device key".to_string(),
        };
        let (nonce, sealed) = wrapped
            .split_first_chunk::<NONCE_LEN>()
            .ok_or_else(refused)?;
        let plain = cipher::open(&self.key, nonce, SOFTWARE_PROTECTOR_AAD, sealed)
            .map_err(|_| refused())?;
        Ok(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_keys() {
        let a = SoftwareProtector::new().unwrap();
        let b = SoftwareProtector::new().unwrap();
        let wrapped = a.wrap(b"data key sealed by pin").unwrap();
        assert_eq!(a.unwrap(&wrapped).unwrap(), b"data key sealed by pin");
        assert!(matches!(
            b.unwrap(&wrapped),
            Err(KeyProtectorError::Failed { .. })
        ));
        assert!(a.unwrap(&wrapped[..10]).is_err());
        assert!(a.unwrap(&[]).is_err());
        let same = SoftwareProtector::from_key(a.key());
        assert_eq!(same.unwrap(&wrapped).unwrap(), b"data key sealed by pin");
        assert_eq!(format!("{a:?}"), "SoftwareProtector(<key redacted>)");
    }

    #[test]
    fn errors_become_key_unavailable() {
        let error: VaultError = KeyProtectorError::KeyInvalidated {
            reason: "new fingerprint".into(),
        }
        .into();
        assert!(
            matches!(&error, VaultError::KeyUnavailable { reason } if reason.contains("new fingerprint"))
        );
    }
}
