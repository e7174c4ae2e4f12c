//! What can go wrong with the vault, in words a person can be shown.
//!
//! Every message names the problem and, where there is one, what to do next. No message and no
//! `Debug` output contains a PIN, a key, an unlock code, a recovery key or payload bytes; the
//! only code that appears in a variant is the PIN *reset* code, which is public by design (the
//! locked token shows it so the person can read it to their help desk).

use crate::crypto::CryptoError;
use crate::random::RandomError;

/// Why a PIN or passphrase is refused when it is set (never when it is checked).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinRuleError {
    /// Fewer digits than [`MIN_PIN_DIGITS`](super::MIN_PIN_DIGITS).
    #[error("a PIN needs at least {min} digits")]
    TooShort {
        /// Fewest digits accepted.
        min: usize,
    },
    /// A passphrase (anything that is not only digits) shorter than
    /// [`MIN_PASSPHRASE_CHARS`](super::MIN_PASSPHRASE_CHARS).
    #[error("a passphrase that is not only digits needs at least {min} characters")]
    PassphraseTooShort {
        /// Fewest characters accepted.
        min: usize,
    },
    /// Longer than [`MAX_PIN_CHARS`](super::MAX_PIN_CHARS).
    #[error("the PIN is too long: at most {max} characters")]
    TooLong {
        /// Most characters accepted.
        max: usize,
    },
    /// A short PIN made of one repeated digit, like 0000.
    #[error("a PIN of one repeated digit is too easy to guess; choose another")]
    AllSameDigit,
    /// A short PIN of consecutive digits, like 1234 or 9876.
    #[error("a PIN of consecutive digits (like 1234 or 9876) is too easy to guess; choose another")]
    Sequence,
    /// Contains a control character (a line break, a tab, ...), which a keyboard cannot retype.
    #[error(
        "the PIN contains a control character such as a line break; use letters, digits or symbols"
    )]
    ControlCharacter,
}

/// Everything the vault can refuse or fail at.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// `open_*` or `status` found no vault in the folder.
    #[error("there is no vault yet; set up the token first")]
    NoVault,
    /// `create` found a vault already there; it is never overwritten.
    #[error("a vault already exists here; open it instead of creating a new one")]
    AlreadyExists,
    /// The PIN did not open the vault. One try has been used.
    #[error("wrong PIN, {} before the token locks", tries(*attempts_left))]
    WrongPin {
        /// Wrong PINs still allowed before the token locks.
        attempts_left: u32,
    },
    /// Too many wrong PINs in a row: no PIN is checked until the token is unlocked with an
    /// unlock code or the recovery key.
    #[error("{}", locked_message(reset_code.as_deref()))]
    Locked {
        /// The PIN reset code to read to the help desk, when an unlock code can still open the
        /// token. Public by design.
        reset_code: Option<String>,
    },
    /// The slot being opened (PIN, or unlock code) is sealed by a device key (Android Keystore,
    /// Secure Enclave, ...) that is missing, was invalidated or failed. The recovery key, which
    /// never needs the device key, still works.
    #[error(
        "the device key that protects this vault is unavailable ({reason}); unlock with the recovery key instead"
    )]
    KeyUnavailable {
        /// What the platform reported, without any secret.
        reason: String,
    },
    /// The unlock code has the right length and check digit but did not open the vault.
    #[error("wrong unlock code, {} before unlock codes are refused", tries(*attempts_left))]
    WrongUnlockCode {
        /// Wrong unlock codes still allowed.
        attempts_left: u32,
    },
    /// The unlock code's check digit does not match: a typing mistake. No try was used.
    #[error(
        "the unlock code has a typing mistake (its last digit does not match the others); check it and type it again"
    )]
    UnlockCodeTypo,
    /// The unlock code does not have [`UNLOCK_CODE_DIGITS`](super::UNLOCK_CODE_DIGITS) digits.
    #[error("an unlock code has {expected} digits; {found} were given")]
    UnlockCodeLength {
        /// Digits found (spaces and dashes ignored).
        found: usize,
        /// Digits expected.
        expected: usize,
    },
    /// The unlock code contains something other than digits, spaces or dashes.
    #[error("an unlock code has only digits; character {position} is not a digit")]
    UnlockCodeCharacter {
        /// 1-based position in the text as typed.
        position: usize,
    },
    /// Too many wrong unlock codes: the unlock slot no longer accepts codes.
    #[error(
        "too many wrong unlock codes: unlocking by code is disabled on this token; use the recovery key"
    )]
    UnlockCodesExhausted,
    /// The vault has no unlock slot, so unlock codes cannot open it.
    #[error("this token cannot be unlocked with an unlock code; use the recovery key")]
    NoUnlockSlot,
    /// A reset code that is not 9 digits (spaces and dashes are ignored).
    #[error("a PIN reset code has 9 digits")]
    ResetCodeFormat,
    /// An unlock slot needs the identity's secret, and it is empty.
    #[error("the identity has no secret to compute unlock codes from")]
    EmptyIdentitySecret,
    /// A well-formed recovery key that does not open this vault.
    #[error("this recovery key does not open this vault; check it against the one written down")]
    WrongRecoveryKey,
    /// The recovery key has the wrong number of characters.
    #[error("a recovery key has {expected} letters and digits; {found} were given")]
    RecoveryKeyLength {
        /// Characters found (spaces and dashes ignored).
        found: usize,
        /// Characters expected.
        expected: usize,
    },
    /// The recovery key contains a character it cannot contain.
    #[error(
        "a recovery key uses only the letters A-Z and the digits 2-7; character {position} is not one of them"
    )]
    RecoveryKeyCharacter {
        /// 1-based position in the text as typed.
        position: usize,
    },
    /// The vault has no recovery slot.
    #[error("this token has no recovery key")]
    NoRecoveryKey,
    /// The new PIN breaks a rule.
    #[error(transparent)]
    PinRule(#[from] PinRuleError),
    /// The lockout threshold asked for is outside what is allowed.
    #[error("the number of PIN tries must be between {min} and {max}; {value} was asked for")]
    AttemptsOutOfRange {
        /// Value asked for.
        value: u32,
        /// Smallest allowed.
        min: u32,
        /// Largest allowed.
        max: u32,
    },
    /// The vault file (and its previous copy, if any) is damaged: truncated, changed by a
    /// disk error, or not a Tessera vault at all.
    #[error("the vault file is damaged")]
    Corrupted,
    /// The vault file is well formed but fails authentication: it was changed outside Tessera.
    #[error(
        "the vault file is damaged: its contents fail the integrity check (changed outside Tessera?)"
    )]
    Tampered,
    /// The file was written by a newer Tessera using a format this version cannot read.
    #[error(
        "the vault was written in format version {found}, which this version of Tessera cannot read; update the app"
    )]
    UnsupportedVersion {
        /// Format version found in the file.
        found: u16,
    },
    /// Key-derivation parameters outside the accepted range, from a file or from a caller.
    /// Checked before any memory is reserved for them.
    #[error(
        "the vault's key-derivation {which} is {value}, outside the accepted range {min} to {max}"
    )]
    KdfParamsOutOfRange {
        /// Which parameter: "memory (KiB)", "passes" or "lanes".
        which: &'static str,
        /// Value found.
        value: u32,
        /// Smallest accepted.
        min: u32,
        /// Largest accepted.
        max: u32,
    },
    /// The device could not spare the memory the key derivation needs.
    #[error(
        "the device does not have {mib} MiB of memory free to unlock the vault; close other apps and try again"
    )]
    NotEnoughMemory {
        /// Memory needed, in MiB.
        mib: u32,
    },
    /// The payload is larger than a vault may hold.
    #[error("the data to store is too large: {bytes} bytes, a vault holds at most {max}")]
    PayloadTooLarge {
        /// Size given.
        bytes: usize,
        /// Largest accepted.
        max: usize,
    },
    /// Another process saved the vault after this one opened it; saving now would undo that
    /// save, so nothing was written.
    #[error(
        "the vault was changed by another Tessera process since it was opened, so nothing was saved; open it again and repeat the change"
    )]
    ChangedElsewhere,
    /// Reading or writing a file failed.
    #[error("could not {action}: {detail}")]
    Storage {
        /// What was being done, e.g. "write the vault file".
        action: &'static str,
        /// What the operating system said (no path, no content).
        detail: String,
    },
    /// The operating system's random number generator failed.
    #[error(transparent)]
    Random(#[from] RandomError),
    /// A cryptographic primitive refused inputs the vault had already checked; a bug.
    #[error("internal error in the vault: {reason}")]
    Internal {
        /// Which invariant broke.
        reason: &'static str,
    },
}

fn locked_message(reset_code: Option<&str>) -> &'static str {
    match reset_code {
        Some(_) => {
            "the token is locked after too many wrong PINs; give the reset code to your help desk and type the unlock code they answer (or use the recovery key, if you have one)"
        }
        None => {
            "the token is locked after too many wrong PINs; only its recovery key can unlock it now"
        }
    }
}

impl From<CryptoError> for VaultError {
    /// The primitives' refusals, said of the vault.
    fn from(error: CryptoError) -> Self {
        match error {
            CryptoError::KdfParamsOutOfRange {
                which,
                value,
                min,
                max,
            } => VaultError::KdfParamsOutOfRange {
                which,
                value,
                min,
                max,
            },
            CryptoError::NotEnoughMemory { mib } => VaultError::NotEnoughMemory { mib },
            CryptoError::Random(random) => VaultError::Random(random),
            CryptoError::Internal { reason } => VaultError::Internal { reason },
        }
    }
}

impl VaultError {
    pub(crate) fn storage(action: &'static str, error: &std::io::Error) -> Self {
        VaultError::Storage {
            action,
            detail: error.kind().to_string(),
        }
    }
}

/// "1 try left", "3 tries left".
fn tries(left: u32) -> String {
    if left == 1 {
        "1 try left".to_string()
    } else {
        format!("{left} tries left")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::KdfParams;

    #[test]
    fn kdf_bounds_are_said_of_the_vault() {
        let err = VaultError::from(KdfParams::new(256 * 1024 + 1, 3, 1).unwrap_err());
        assert!(matches!(err, VaultError::KdfParamsOutOfRange { .. }));
        assert_eq!(
            err.to_string(),
            "the vault's key-derivation memory (KiB) is 262145, outside the accepted range 8192 to 262144"
        );
    }
}
