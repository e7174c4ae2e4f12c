//! Errors of the Add Identity flow: each names the field a shell shows it beside.

use crate::field::InputField;
use crate::identityguard::{Field, IdentityGuardError};
use crate::provisioning::LinkError;
use crate::session::SessionError;
use crate::vault::VaultError;

/// The field an error belongs beside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowField {
    /// The serial number.
    SerialNumber,
    /// The activation code.
    ActivationCode,
    /// The self-service address.
    Address,
    /// The identity's name.
    Name,
    /// Digits per code.
    Digits,
    /// A scanned, pasted or opened link.
    Link,
    /// The link's password.
    Password,
    /// The PIN being set.
    Pin,
    /// The OCRA suite.
    OcraSuite,
    /// Not one field: the step as a whole.
    Step,
}

impl From<FlowField> for InputField {
    fn from(field: FlowField) -> Self {
        match field {
            FlowField::SerialNumber => InputField::SerialNumber,
            FlowField::ActivationCode => InputField::ActivationCode,
            FlowField::Address => InputField::Address,
            FlowField::Name => InputField::Name,
            FlowField::Digits => InputField::Digits,
            FlowField::Link => InputField::Link,
            FlowField::Password => InputField::Password,
            FlowField::Pin => InputField::Pin,
            FlowField::OcraSuite => InputField::OcraSuite,
            FlowField::Step => InputField::Step,
        }
    }
}

/// Why a step of the flow was refused. The flow stays at the same step (except after a PIN
/// mismatch, which goes back to choosing the PIN).
#[derive(Debug, thiserror::Error)]
pub enum FlowError {
    /// A value was refused; show `message` beside `field`.
    #[error("{message}")]
    Invalid {
        /// Where to show it.
        field: FlowField,
        /// What is wrong, in words a person understands.
        message: String,
    },
    /// The two PINs typed differ.
    #[error("the two PINs are not the same: choose a PIN and type it twice")]
    PinMismatch,
    /// A method was called at the wrong step.
    #[error("this step does not come now: the flow is at \"{current}\"")]
    WrongStep {
        /// The step the flow is at.
        current: &'static str,
    },
    /// The token refused (locked, duplicate identity, storage failure...).
    #[error(transparent)]
    Session(#[from] SessionError),
}

impl FlowError {
    /// The field to show the error beside.
    pub fn field(&self) -> FlowField {
        match self {
            FlowError::Invalid { field, .. } => *field,
            FlowError::PinMismatch => FlowField::Pin,
            FlowError::WrongStep { .. } => FlowField::Step,
            FlowError::Session(SessionError::BadName { .. }) => FlowField::Name,
            FlowError::Session(SessionError::Vault(VaultError::PinRule(_))) => FlowField::Pin,
            FlowError::Session(_) => FlowField::Step,
        }
    }

    pub(crate) fn invalid(field: FlowField, error: impl std::fmt::Display) -> Self {
        FlowError::Invalid {
            field,
            message: error.to_string(),
        }
    }
}

impl From<IdentityGuardError> for FlowError {
    fn from(error: IdentityGuardError) -> Self {
        let field = match error.field() {
            Some(Field::SerialNumber) => FlowField::SerialNumber,
            Some(Field::ActivationCode) => FlowField::ActivationCode,
            Some(Field::Address) => FlowField::Address,
            Some(Field::OcraSuite) => FlowField::OcraSuite,
            Some(Field::RegistrationCode | Field::Policy) | None => match error {
                IdentityGuardError::WrongPassword | IdentityGuardError::EmptyPassword => {
                    FlowField::Password
                }
                IdentityGuardError::BadDigits { .. } => FlowField::Digits,
                _ => FlowField::Link,
            },
        };
        FlowError::invalid(field, error)
    }
}

impl From<LinkError> for FlowError {
    fn from(error: LinkError) -> Self {
        match error {
            LinkError::IdentityGuard(inner) => inner.into(),
            other => FlowError::invalid(FlowField::Link, other),
        }
    }
}
