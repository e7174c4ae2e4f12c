//! X25519 recipient slots (format version 2), modelled on age's X25519 recipient stanza.
//!
//! A slot's secret (the PIN or unlock code after Argon2id, or the recovery key) derives an X25519
//! private key; the data key is wrapped to the matching public key with a fresh ephemeral key, so
//! whoever holds the data key and the public key can seal a *new* data key to the slot without
//! its secret. That is what lets every save that revokes a way in rotate the data key.
//!
//! - private key = HKDF-SHA256(IKM = slot secret, salt = slot salt,
//!   info = `"tessera vault x25519 identity v2"` || kind byte), used as an X25519 scalar
//! - wrap: ephemeral `e`, `E = X25519(e, 9)`, `shared = X25519(e, recipient)` (refused when all
//!   zero), KEK = HKDF-SHA256(IKM = shared, salt = `E || recipient`,
//!   info = `"tessera vault x25519 wrap v2"`)
//!
//! The public key is never stored in the clear: it would let anyone with a copied file test PIN
//! or unlock-code guesses without the device key. It is sealed under the data key instead.

use x25519_dalek::{PublicKey, StaticSecret};

use super::VaultError;
use super::format::{SlotKind, X25519_KEY_LEN};
use crate::crypto::cipher::SecretKey;
use crate::crypto::kdf::{SALT_LEN, derive_hkdf_sha256_key};
use crate::random::make_random_bytes;

const IDENTITY_INFO: &[u8] = b"tessera vault x25519 identity v2";
const WRAP_INFO: &[u8] = b"tessera vault x25519 wrap v2";

/// A slot's X25519 public key.
pub(crate) type Recipient = [u8; X25519_KEY_LEN];

/// A slot's X25519 private key, derived from its secret; wiped on drop.
pub(crate) struct Identity(StaticSecret);

impl Identity {
    /// Derives the private key of a slot of `kind` from its secret material and salt.
    pub fn derive(
        kind: SlotKind,
        secret: &[u8],
        salt: &[u8; SALT_LEN],
    ) -> Result<Self, VaultError> {
        let mut info = IDENTITY_INFO.to_vec();
        info.push(kind as u8);
        let scalar = derive_hkdf_sha256_key(secret, salt, &info)?;
        Ok(Self(StaticSecret::from(*scalar)))
    }

    /// The public key to seal data keys to.
    pub fn recipient(&self) -> Recipient {
        PublicKey::from(&self.0).to_bytes()
    }

    /// The key-encryption key for a slot whose stanza carries `ephemeral`. `None` when the
    /// exchange is degenerate (a hostile low-order share): such a slot does not open.
    pub fn unwrap_kek(
        &self,
        ephemeral: &[u8; X25519_KEY_LEN],
    ) -> Result<Option<SecretKey>, VaultError> {
        let shared = self.0.diffie_hellman(&PublicKey::from(*ephemeral));
        if !shared.was_contributory() {
            return Ok(None);
        }
        wrap_kek(shared.as_bytes(), ephemeral, &self.recipient()).map(Some)
    }
}

/// A fresh ephemeral share and the key-encryption key that seals a data key to `recipient`.
pub(crate) fn seal_kek(
    recipient: &Recipient,
) -> Result<([u8; X25519_KEY_LEN], SecretKey), VaultError> {
    let ephemeral = StaticSecret::from(make_random_bytes::<X25519_KEY_LEN>()?);
    let share = PublicKey::from(&ephemeral).to_bytes();
    let shared = ephemeral.diffie_hellman(&PublicKey::from(*recipient));
    if !shared.was_contributory() {
        return Err(VaultError::Internal {
            reason: "a slot's public key is degenerate",
        });
    }
    Ok((share, wrap_kek(shared.as_bytes(), &share, recipient)?))
}

fn wrap_kek(
    shared: &[u8; X25519_KEY_LEN],
    ephemeral: &[u8; X25519_KEY_LEN],
    recipient: &Recipient,
) -> Result<SecretKey, VaultError> {
    let mut salt = [0u8; 2 * X25519_KEY_LEN];
    salt[..X25519_KEY_LEN].copy_from_slice(ephemeral);
    salt[X25519_KEY_LEN..].copy_from_slice(recipient);
    Ok(derive_hkdf_sha256_key(shared, &salt, WRAP_INFO)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_kek_is_found_again_only_by_the_recipient() {
        let identity = Identity::derive(SlotKind::Recovery, &[5; 20], &[1; SALT_LEN]).unwrap();
        let (share, kek) = seal_kek(&identity.recipient()).unwrap();
        assert_eq!(*identity.unwrap_kek(&share).unwrap().unwrap(), *kek);
        let other = Identity::derive(SlotKind::Recovery, &[6; 20], &[1; SALT_LEN]).unwrap();
        assert_ne!(*other.unwrap_kek(&share).unwrap().unwrap(), *kek);
        // The same secret under another kind or salt is another key.
        let unlock = Identity::derive(SlotKind::Unlock, &[5; 20], &[1; SALT_LEN]).unwrap();
        let salted = Identity::derive(SlotKind::Recovery, &[5; 20], &[2; SALT_LEN]).unwrap();
        assert_ne!(unlock.recipient(), identity.recipient());
        assert_ne!(salted.recipient(), identity.recipient());
        // A low-order share (here the all-zero point) gives no key instead of a guessable one.
        assert!(identity.unwrap_kek(&[0; X25519_KEY_LEN]).unwrap().is_none());
        assert!(seal_kek(&[0; X25519_KEY_LEN]).is_err());
    }

    /// RFC 7748 section 6.1: Alice's private key gives her public key, and the exchange with
    /// Bob's public key gives the shared secret (so the scalar is used as X25519 specifies).
    #[test]
    fn x25519_matches_rfc7748() {
        let hex = |s: &str| -> [u8; 32] {
            data_encoding::HEXLOWER
                .decode(s.as_bytes())
                .unwrap()
                .try_into()
                .unwrap()
        };
        let alice = StaticSecret::from(hex(
            "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
        ));
        assert_eq!(
            PublicKey::from(&alice).to_bytes(),
            hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        );
        let bob = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        assert_eq!(
            *alice.diffie_hellman(&PublicKey::from(bob)).as_bytes(),
            hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        );
    }
}
