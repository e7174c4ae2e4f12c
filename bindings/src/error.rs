//! The one error the shells see, and the single place that decides how each core error maps to
//! it. Variants tell the shell what to do; messages are fit to show a person and hold no secret.

use tessera_core::backup::BackupError;
use tessera_core::flow::{FlowError, FlowField};
use tessera_core::session::SessionError;
use tessera_core::transfer::ImportError;
use tessera_core::transfer::export::QrError;
use tessera_core::vault::VaultError;

/// Why a call was refused.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum TokenError {
    /// A value was refused: show `message` beside `field` ("serial_number", "activation_code",
    /// "address", "name", "digits", "link", "password", "pin", "ocra_suite", "secret",
    /// "challenge", "unlock_code", "recovery_key", "time_offset", "lockout_threshold", "policy",
    /// "auto_lock", "confirm_pin", "identity", "file", "backup_password",
    /// "backup_password_confirmation"). For an import or a backup, "password" means the file's
    /// password was wrong (or the file was altered): ask again.
    #[error("{message}")]
    InvalidInput {
        /// Which input.
        field: String,
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

pub(crate) fn input(field: &str, error: impl std::fmt::Display) -> TokenError {
    TokenError::InvalidInput {
        field: field.to_string(),
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
            VaultError::PinRule(_) => TokenError::InvalidInput {
                field: "pin".into(),
                message,
            },
            VaultError::NoVault => TokenError::NoToken { message },
            VaultError::KeyUnavailable { .. } => TokenError::KeyUnavailable { message },
            VaultError::Corrupted
            | VaultError::Tampered
            | VaultError::UnsupportedVersion { .. }
            | VaultError::KdfParamsOutOfRange { .. } => TokenError::Corrupted { message },
            VaultError::UnlockCodeTypo
            | VaultError::UnlockCodeLength { .. }
            | VaultError::UnlockCodeCharacter { .. }
            | VaultError::NoUnlockSlot => input("unlock_code", message),
            VaultError::RecoveryKeyLength { .. }
            | VaultError::RecoveryKeyCharacter { .. }
            | VaultError::NoRecoveryKey => input("recovery_key", message),
            VaultError::AttemptsOutOfRange { .. } => input("lockout_threshold", message),
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
            SessionError::NothingToRestore { .. } => input("contents", message),
            SessionError::BadName { .. } | SessionError::NameTaken { .. } => input("name", message),
            SessionError::TimeOffsetOutOfRange { .. } => input("time_offset", message),
            SessionError::AutoLockOutOfRange { .. } => input("auto_lock", message),
            SessionError::PinMismatch => input("confirm_pin", message),
            SessionError::NotIdentityGuard { .. } | SessionError::CounterExhausted { .. } => {
                input("identity", message)
            }
            SessionError::NoOtherVariant => input("policy", message),
            SessionError::Code(_) => input("challenge", message),
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
            other => input(field_name(field), other),
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
            ImportError::WrongPassword { .. } => input("password", error),
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
            | ImportError::KdfTooCostly { .. } => input("file", error),
        }
    }
}

impl From<BackupError> for TokenError {
    fn from(error: BackupError) -> Self {
        match error {
            BackupError::WrongPassword => input("password", error),
            BackupError::PasswordRule { .. } => input("backup_password", error),
            BackupError::ConfirmationMismatch => input("backup_password_confirmation", error),
            BackupError::Empty
            | BackupError::NotABackup
            | BackupError::UnsupportedVersion { .. }
            | BackupError::UnknownKdf { .. }
            | BackupError::KdfOutOfRange { .. }
            | BackupError::PayloadLength { .. }
            | BackupError::Truncated { .. }
            | BackupError::TrailingBytes { .. }
            | BackupError::Damaged
            | BackupError::BadPayload { .. } => input("file", error),
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

/// The field names shells match on.
pub(crate) fn field_name(field: FlowField) -> &'static str {
    match field {
        FlowField::SerialNumber => "serial_number",
        FlowField::ActivationCode => "activation_code",
        FlowField::Address => "address",
        FlowField::Name => "name",
        FlowField::Digits => "digits",
        FlowField::Link => "link",
        FlowField::Password => "password",
        FlowField::Pin => "pin",
        FlowField::OcraSuite => "ocra_suite",
        FlowField::Step => "step",
    }
}

/// Errors of the stateless calculations, each naming its input.
pub(crate) fn calc_error(field: &str) -> impl Fn(String) -> TokenError + '_ {
    move |message| input(field, message)
}
