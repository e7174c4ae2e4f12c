//! Why a session call was refused.

use crate::backup::BackupError;
use crate::identity::{IdentityCodeError, NameProblem};
use crate::transfer::SkippedEntry;
use crate::vault::{PinRuleError, VaultError};

/// Everything that can go wrong in [`super::Session`]. Messages are fit to show a person and
/// never contain a secret.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// No token has been set up in this folder yet.
    #[error("there is no token here yet: add an identity to set one up")]
    NoToken,
    /// The token exists but has not been unlocked with its PIN.
    #[error("the token is locked: unlock it with your PIN first")]
    NotUnlocked,
    /// No identity matches the name given.
    #[error("no identity is called \"{query}\"")]
    UnknownIdentity {
        /// What was asked for.
        query: String,
    },
    /// More than one identity matches.
    #[error("\"{query}\" names {count} identities: use the full name")]
    AmbiguousIdentity {
        /// What was asked for.
        query: String,
        /// How many matched.
        count: usize,
    },
    /// A name that cannot be used.
    #[error("the name {problem}")]
    BadName {
        /// What is wrong with it.
        problem: &'static str,
    },
    /// Another identity already has the name.
    #[error("another identity is already called \"{name}\"")]
    NameTaken {
        /// The name in use.
        name: String,
    },
    /// The identity's activation carried no policy, so there is only one derivation.
    #[error(
        "this identity has only one way to compute its codes: its activation carried no policy"
    )]
    NoOtherVariant,
    /// Only IdentityGuard identities have an activation to replace.
    #[error(
        "\"{name}\" is not an IdentityGuard identity, so it has no activation to replace: remove it and add it again instead"
    )]
    NotIdentityGuard {
        /// The identity's name.
        name: String,
    },
    /// The identity is on the token already.
    #[error("this identity is already on the token (as \"{existing}\")")]
    Duplicate {
        /// The name it has there.
        existing: String,
    },
    /// A counter-based identity has used its last counter value; stepping on would wrap to 0
    /// and repeat codes already used.
    #[error(
        "\"{name}\" has used up its counter, so it cannot make another code: add it again with a new secret"
    )]
    CounterExhausted {
        /// The identity's name.
        name: String,
    },
    /// A clock correction outside the accepted range.
    #[error("the time offset must be between -{max} and {max} seconds, not {found}")]
    TimeOffsetOutOfRange {
        /// What was asked for.
        found: i64,
        /// The largest correction either way.
        max: i64,
    },
    /// An auto-lock delay outside the accepted range.
    #[error("the auto-lock delay must be between 0 and {max} seconds, not {found}")]
    AutoLockOutOfRange {
        /// What was asked for.
        found: u32,
        /// The longest delay.
        max: u32,
    },
    /// The new PIN of a PIN change breaks a rule. Apart from the vault's own PIN rule error,
    /// which is about the only PIN a call takes, so the shells show it beside the new PIN and
    /// not the current one.
    #[error(transparent)]
    NewPinRule(PinRuleError),
    /// The new PIN and its confirmation differ.
    #[error("the new PIN and its confirmation are not the same: type the new PIN twice")]
    PinMismatch,
    /// A new token was asked for where one already is.
    #[error(
        "a token already exists here: unlock it and import into it, or choose an empty folder to create a new token"
    )]
    TokenExists,
    /// An import file to create a token from holds no identity the token can keep; the
    /// message lists each entry skipped with its reason, so the person can fix the file.
    #[error(
        "the import file holds no identity Tessera can add, so there is nothing to create a token with{}",
        skipped_list(.skipped)
    )]
    NothingToRestore {
        /// The entries skipped, each with its reason.
        skipped: Vec<SkippedEntry>,
    },
    /// The decrypted payload is not one this version can read.
    #[error(
        "the token's data could not be read: it was written by a newer version of Tessera or is damaged"
    )]
    UnreadablePayload,
    /// The system's random number generator failed.
    #[error(transparent)]
    Random(#[from] crate::random::RandomError),
    /// Computing a code or a response failed.
    #[error(transparent)]
    Code(#[from] IdentityCodeError),
    /// The vault refused (wrong PIN, locked, damaged, ...).
    #[error(transparent)]
    Vault(VaultError),
    /// A backup could not be made (the backup password's rules or confirmation, sealing).
    #[error(transparent)]
    Backup(#[from] BackupError),
}

impl From<NameProblem> for SessionError {
    fn from(problem: NameProblem) -> Self {
        SessionError::BadName {
            problem: problem.describe(),
        }
    }
}

impl From<VaultError> for SessionError {
    /// The vault's "no vault yet" is the session's [`SessionError::NoToken`], so every call on an
    /// empty folder (unlock included) says the same thing in the same words.
    fn from(error: VaultError) -> Self {
        match error {
            VaultError::NoVault => SessionError::NoToken,
            other => SessionError::Vault(other),
        }
    }
}

/// ": 2 entries were skipped: entry 1 (\"x\"): why; entry 2: why", or nothing when none was.
fn skipped_list(skipped: &[SkippedEntry]) -> String {
    match skipped {
        [] => String::new(),
        [one] => format!(": 1 entry was skipped: {one}"),
        many => format!(
            ": {} entries were skipped: {}",
            many.len(),
            many.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}
