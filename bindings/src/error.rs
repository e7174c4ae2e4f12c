//! The one error the shells see, and the single place that decides how each core error maps to
//! it. Variants tell the shell what to do; messages are fit to show a person and hold no secret.

use tessera_core::backup::BackupError;
use tessera_core::flow::FlowError;
use tessera_core::session::SessionError;
use tessera_core::transfer::ImportError;
use tessera_core::transfer::export::QrError;
use tessera_core::vault::VaultError;

use crate::field::InputField;

/// Why a call was refused.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TokenError {
    /// A value was refused: show `message` beside `field`. For an import or a backup,
    /// [`InputField::Password`] means the file's password was wrong (or the file was altered):
    /// ask again.
    #[error("{message}")]
    InvalidInput {
        /// Which input.
        field: InputField,
        /// What is wrong with it.
        message: String,
    },
    /// The PIN was wrong; ask again.
    #[error("{message}")]
    WrongPin {
        /// Tries before the token locks.
        attempts_left: u32,
        /// What to show.
        message: String,
    },
    /// Too many wrong PINs: show the unlock screen with the reset code (when there is one).
    #[error("{message}")]
    Locked {
        /// The PIN reset code for the help desk, when unlock codes can still open the token.
        reset_code: Option<String>,
        /// What to show.
        message: String,
    },
    /// An unlock code or recovery key was wrong.
    #[error("{message}")]
    WrongUnlockCode {
        /// Tries left (0 for the recovery key, which is not counted).
        attempts_left: u32,
        /// What to show.
        message: String,
    },
    /// The token has not been unlocked: show the PIN screen.
    #[error("{message}")]
    NotUnlocked {
        /// What to show.
        message: String,
    },
    /// There is no token yet: start Add Identity.
    #[error("{message}")]
    NoToken {
        /// What to show.
        message: String,
    },
    /// No such identity (it may have been removed on another screen).
    #[error("{message}")]
    NotFound {
        /// What to show.
        message: String,
    },
    /// The identity is on the token already.
    #[error("{message}")]
    Duplicate {
        /// What to show.
        message: String,
    },
    /// The device key is unavailable: offer the recovery key or an unlock code.
    #[error("{message}")]
    KeyUnavailable {
        /// What to show.
        message: String,
    },
    /// The vault is damaged: offer a backup.
    #[error("{message}")]
    Corrupted {
        /// What to show.
        message: String,
    },
    /// The file to import is encrypted and no password was given: ask for it and call again.
    #[error("{message}")]
    PasswordNeeded {
        /// What the file is, as a person knows it ("an encrypted Aegis export").
        format: String,
        /// What to show.
        message: String,
    },
    /// A flow method was called at the wrong step (a shell bug).
    #[error("{message}")]
    WrongStep {
        /// What to show.
        message: String,
    },
    /// Anything else; not the person's doing.
    #[error("internal error: {reason}")]
    Internal {
        /// For logs and bug reports.
        reason: String,
    },
}

#[uniffi::export]
impl TokenError {
    /// The words to show a person, as core wrote them (for `Internal`, the reason meant for
    /// logs and bug reports), whichever the variant: the shells need no switch to read them.
    pub fn text(&self) -> String {
        self.to_string()
    }
}

pub(crate) fn input(field: InputField, error: impl std::fmt::Display) -> TokenError {
    TokenError::InvalidInput {
        field,
        message: error.to_string(),
    }
}

impl From<VaultError> for TokenError {
    fn from(error: VaultError) -> Self {
        let message = error.to_string();
        match error {
            VaultError::WrongPin { attempts_left } => TokenError::WrongPin {
                attempts_left,
                message,
            },
            VaultError::Locked { reset_code } => TokenError::Locked {
                reset_code,
                message,
            },
            VaultError::WrongUnlockCode { attempts_left } => TokenError::WrongUnlockCode {
                attempts_left,
                message,
            },
            VaultError::WrongRecoveryKey | VaultError::UnlockCodesExhausted => {
                TokenError::WrongUnlockCode {
                    attempts_left: 0,
                    message,
                }
            }
            VaultError::PinRule(_) => input(InputField::Pin, message),
            VaultError::NoVault => TokenError::NoToken { message },
            VaultError::KeyUnavailable { .. } => TokenError::KeyUnavailable { message },
            VaultError::Corrupted
            | VaultError::Tampered
            | VaultError::UnsupportedVersion { .. }
            | VaultError::KdfParamsOutOfRange { .. } => TokenError::Corrupted { message },
            VaultError::UnlockCodeTypo
            | VaultError::UnlockCodeLength { .. }
            | VaultError::UnlockCodeCharacter { .. }
            | VaultError::NoUnlockSlot => input(InputField::UnlockCode, message),
            VaultError::RecoveryKeyLength { .. }
            | VaultError::RecoveryKeyCharacter { .. }
            | VaultError::NoRecoveryKey => input(InputField::RecoveryKey, message),
            VaultError::AttemptsOutOfRange { .. } => input(InputField::LockoutThreshold, message),
            VaultError::AlreadyExists
            | VaultError::ResetCodeFormat
            | VaultError::EmptyIdentitySecret
            | VaultError::NotEnoughMemory { .. }
            | VaultError::PayloadTooLarge { .. }
            | VaultError::Storage { .. }
            | VaultError::ChangedElsewhere
            | VaultError::Random(_)
            | VaultError::Internal { .. } => TokenError::Internal { reason: message },
        }
    }
}

impl From<SessionError> for TokenError {
    fn from(error: SessionError) -> Self {
        let message = error.to_string();
        match error {
            SessionError::Vault(inner) => inner.into(),
            SessionError::Backup(inner) => inner.into(),
            SessionError::NoToken => TokenError::NoToken { message },
            SessionError::NotUnlocked => TokenError::NotUnlocked { message },
            SessionError::UnknownIdentity { .. } | SessionError::AmbiguousIdentity { .. } => {
                TokenError::NotFound { message }
            }
            SessionError::Duplicate { .. } | SessionError::TokenExists => {
                TokenError::Duplicate { message }
            }
            SessionError::NothingToRestore { .. } => input(InputField::Contents, message),
            SessionError::BadName { .. } | SessionError::NameTaken { .. } => {
                input(InputField::Name, message)
            }
            SessionError::TimeOffsetOutOfRange { .. } => input(InputField::TimeOffset, message),
            SessionError::AutoLockOutOfRange { .. } => input(InputField::AutoLock, message),
            SessionError::NewPinRule(_) => input(InputField::NewPin, message),
            SessionError::PinMismatch => input(InputField::ConfirmPin, message),
            SessionError::NotIdentityGuard { .. } | SessionError::CounterExhausted { .. } => {
                input(InputField::Identity, message)
            }
            SessionError::NoOtherVariant => input(InputField::Policy, message),
            SessionError::Code(_) => input(InputField::Challenge, message),
            SessionError::UnreadablePayload => TokenError::Corrupted { message },
            SessionError::Random(_) => TokenError::Internal { reason: message },
        }
    }
}

impl From<FlowError> for TokenError {
    fn from(error: FlowError) -> Self {
        let field = error.field();
        match error {
            FlowError::Session(inner) => inner.into(),
            FlowError::WrongStep { .. } => TokenError::WrongStep {
                message: error.to_string(),
            },
            other => input(field.into(), other),
        }
    }
}

impl From<ImportError> for TokenError {
    fn from(error: ImportError) -> Self {
        match error {
            ImportError::PasswordNeeded { format } => TokenError::PasswordNeeded {
                message: error.to_string(),
                format: format.to_string(),
            },
            ImportError::WrongPassword { .. } | ImportError::PreSharedKeyNeeded => {
                input(InputField::Password, error)
            }
            ImportError::Backup(inner) => inner.into(),
            ImportError::Empty
            | ImportError::TooLarge { .. }
            | ImportError::BadJson { .. }
            | ImportError::NotText
            | ImportError::Unrecognised { .. }
            | ImportError::WrongShape { .. }
            | ImportError::MigrationLink { .. }
            | ImportError::NotSupportedYet { .. }
            | ImportError::Damaged { .. }
            | ImportError::KdfTooCostly { .. } => input(InputField::File, error),
        }
    }
}

impl From<BackupError> for TokenError {
    fn from(error: BackupError) -> Self {
        match error {
            BackupError::WrongPassword => input(InputField::Password, error),
            BackupError::PasswordRule { .. } => input(InputField::BackupPassword, error),
            BackupError::ConfirmationMismatch => {
                input(InputField::BackupPasswordConfirmation, error)
            }
            BackupError::Empty
            | BackupError::NotABackup
            | BackupError::UnsupportedVersion { .. }
            | BackupError::UnknownKdf { .. }
            | BackupError::KdfOutOfRange { .. }
            | BackupError::PayloadLength { .. }
            | BackupError::Truncated { .. }
            | BackupError::TrailingBytes { .. }
            | BackupError::Damaged
            | BackupError::BadPayload { .. } => input(InputField::File, error),
            BackupError::TooLarge { .. }
            | BackupError::NotEnoughMemory { .. }
            | BackupError::Random(_)
            | BackupError::Internal { .. } => TokenError::Internal {
                reason: error.to_string(),
            },
        }
    }
}

impl From<QrError> for TokenError {
    /// Export links are sized to fit a QR code, so failing to draw one is a bug.
    fn from(error: QrError) -> Self {
        TokenError::Internal {
            reason: error.to_string(),
        }
    }
}

impl From<uniffi::UnexpectedUniFFICallbackError> for TokenError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        TokenError::Internal {
            reason: error.reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_the_message_core_wrote_whatever_the_variant() {
        let wrong = TokenError::from(VaultError::WrongPin { attempts_left: 4 });
        assert_eq!(
            wrong.text(),
            "wrong PIN, 4 tries left before the token locks"
        );
        let mismatch = TokenError::from(SessionError::PinMismatch);
        assert_eq!(
            mismatch.text(),
            "the new PIN and its confirmation are not the same: type the new PIN twice"
        );
        let none = TokenError::from(SessionError::NoToken);
        assert_eq!(
            none.text(),
            "there is no token here yet: add an identity to set one up"
        );
        let internal = TokenError::Internal {
            reason: "the disk is full".into(),
        };
        assert_eq!(internal.text(), "internal error: the disk is full");
    }
}
