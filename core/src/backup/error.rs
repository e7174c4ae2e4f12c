//! Why a backup could not be made, read or written. Messages name the part of the file or the
//! field that is wrong and never contain a password, a key or a secret.

use crate::crypto::CryptoError;
use crate::random::RandomError;

/// Everything that can go wrong with a Tessera backup.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BackupError {
    /// The backup password breaks a rule (checked only when a backup is made).
    #[error("the backup password {problem}")]
    PasswordRule {
        /// What is wrong with it.
        problem: String,
    },
    /// The password and its confirmation differ.
    #[error("the password confirmation is not the same as the backup password: type it again")]
    ConfirmationMismatch,
    /// The file has no bytes.
    #[error("the file is empty: it is not a Tessera backup")]
    Empty,
    /// The file does not start with the backup magic.
    #[error("the file is not a Tessera backup (it does not start with \"TSRBACKP\")")]
    NotABackup,
    /// A format version this version of Tessera does not read.
    #[error(
        "the backup's format version is {found}; this version of Tessera reads version {supported}{}",
        if *.found > *.supported { " (it was written by a newer Tessera: update to open it)" } else { " (the header is damaged)" }
    )]
    UnsupportedVersion {
        /// The version in the file.
        found: u16,
        /// The version this code reads.
        supported: u16,
    },
    /// A key-derivation function this version does not know.
    #[error(
        "the backup's key-derivation function is {found}, which this version of Tessera does not know (1 = Argon2id)"
    )]
    UnknownKdf {
        /// The identifier in the file.
        found: u8,
    },
    /// An Argon2id parameter outside the accepted range; refused before any memory is reserved.
    #[error(
        "the backup's key-derivation {which} is {value}, outside the accepted range {min} to {max}"
    )]
    KdfOutOfRange {
        /// Which parameter.
        which: &'static str,
        /// The value in the file.
        value: u32,
        /// The smallest accepted.
        min: u32,
        /// The largest accepted.
        max: u32,
    },
    /// The header's payload length is impossible.
    #[error(
        "the backup's payload length is {found} bytes, outside the possible range {min} to {max}"
    )]
    PayloadLength {
        /// The length in the header.
        found: u32,
        /// The smallest possible (an empty payload and its tag).
        min: u32,
        /// The largest accepted.
        max: u32,
    },
    /// The file ends before its end.
    #[error(
        "the backup is truncated: it has {found} bytes where {expected} are needed (was it copied completely?)"
    )]
    Truncated {
        /// Bytes in the file.
        found: usize,
        /// Bytes needed to read what comes next (the whole file once the header is read).
        expected: usize,
    },
    /// Bytes after the end the header announces.
    #[error("the backup has {extra} unexpected bytes after its end (the file is damaged)")]
    TrailingBytes {
        /// How many.
        extra: usize,
    },
    /// The SHA-256 checksum does not match: accidental damage, found before any password is tried.
    #[error("the backup is damaged: its checksum does not match its content")]
    Damaged,
    /// The tag does not verify: the password is wrong (the checksum matched, so the file is as written, unless
    /// someone altered it and recomputed the checksum).
    #[error("the password does not open this backup (or the backup was deliberately altered)")]
    WrongPassword,
    /// The decrypted payload is not a backup payload this version reads.
    #[error("the backup opened but its content cannot be read: {problem}")]
    BadPayload {
        /// What is wrong.
        problem: String,
    },
    /// The backup would be larger than a backup may be.
    #[error("the backup would be {bytes} bytes, more than the {max} a backup may hold")]
    TooLarge {
        /// Its size.
        bytes: usize,
        /// The largest size.
        max: usize,
    },
    /// The key derivation could not reserve its memory.
    #[error("not enough memory to open the backup: its key derivation needs {mib} MiB")]
    NotEnoughMemory {
        /// Memory needed, in MiB.
        mib: u32,
    },
    /// The system's random number generator failed.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// A broken invariant (a bug), never caused by input.
    #[error("internal error: {reason}")]
    Internal {
        /// Which invariant broke.
        reason: &'static str,
    },
}

impl From<CryptoError> for BackupError {
    /// The primitives' refusals, said of a backup.
    fn from(error: CryptoError) -> Self {
        match error {
            CryptoError::KdfParamsOutOfRange {
                which,
                value,
                min,
                max,
            } => BackupError::KdfOutOfRange {
                which,
                value,
                min,
                max,
            },
            CryptoError::NotEnoughMemory { mib } => BackupError::NotEnoughMemory { mib },
            CryptoError::Random(random) => BackupError::Random(random),
            CryptoError::Internal { reason } => BackupError::Internal { reason },
        }
    }
}
