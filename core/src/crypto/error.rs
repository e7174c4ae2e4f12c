//! What a cryptographic primitive can refuse or fail at, for the concern that called it (the
//! vault, a backup, the issuer store) to say in its own words through one `From` impl.
//!
//! No variant carries a key, a password or any input byte.

use crate::random::RandomError;

/// Everything the primitives in [`crate::crypto`] can refuse or fail at.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// An Argon2id parameter outside the accepted range, from a caller or a file; refused
    /// before any memory is reserved for it.
    #[error("the key-derivation {which} is {value}, outside the accepted range {min} to {max}")]
    KdfParamsOutOfRange {
        /// Which parameter: "memory (KiB)", "passes" or "lanes".
        which: &'static str,
        /// Value given.
        value: u32,
        /// Smallest accepted.
        min: u32,
        /// Largest accepted.
        max: u32,
    },
    /// The memory Argon2id needs could not be reserved.
    #[error("the key derivation needs {mib} MiB of free memory")]
    NotEnoughMemory {
        /// Memory needed, in MiB.
        mib: u32,
    },
    /// The operating system's random number generator failed.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// A primitive refused inputs that had already been checked; a bug.
    #[error("internal error in a cryptographic primitive: {reason}")]
    Internal {
        /// Which invariant broke.
        reason: &'static str,
    },
}
