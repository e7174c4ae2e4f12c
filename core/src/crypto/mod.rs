//! The cryptographic primitives every sealed file shares (the vault, backups, the issuer
//! store): one authenticated cipher (XChaCha20-Poly1305) and the key derivations (Argon2id with
//! bounded [`KdfParams`], HKDF-SHA256), with one error ([`CryptoError`]) that each of those
//! concerns converts from once.
//!
//! Nothing here knows what it seals: file layouts, associated data and the meaning of a
//! refusal belong to the callers. The readers of other authenticators' exports use what those
//! formats dictate instead (`transfer::crypto`).

pub(crate) mod cipher;
mod error;
pub(crate) mod kdf;

pub use error::CryptoError;
pub use kdf::KdfParams;
