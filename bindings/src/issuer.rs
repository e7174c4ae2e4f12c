//! The organisation's side, for tests, demos and anyone who runs their own: create identities,
//! complete registrations, verify codes and challenge responses, answer PIN reset codes.

use tessera_core::codes::OcraSuite;
use tessera_core::issuer::{self as core_issuer, IssuerError as CoreIssuerError, NewIdentity};

use crate::field::InputField;

/// Why the issuer refused or failed.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum IssuerError {
    /// A value was refused: show `message` beside `field` (core's `IssuerField`, as the one
    /// [`InputField`] the token's errors use too).
    #[error("{message}")]
    InvalidInput {
        /// Which input.
        field: InputField,
        /// What is wrong with it.
        message: String,
    },
    /// A code or response was checked and refused (wrong, out of time, or already used).
    #[error("{message}")]
    Refused {
        /// Why.
        message: String,
    },
    /// The store is damaged or could not be used.
    #[error("{message}")]
    Store {
        /// What happened.
        message: String,
    },
}

impl From<CoreIssuerError> for IssuerError {
    fn from(error: CoreIssuerError) -> Self {
        let message = error.to_string();
        let refused = matches!(
            error,
            CoreIssuerError::CodeAlreadyUsed
                | CoreIssuerError::CodeNotValidNow
                | CoreIssuerError::ResponseRefused
                | CoreIssuerError::ChallengeUnknown
                | CoreIssuerError::ChallengeExpired
        );
        match error.field() {
            _ if refused => IssuerError::Refused { message },
            Some(field) => IssuerError::InvalidInput {
                field: field.into(),
                message,
            },
            None => IssuerError::Store { message },
        }
    }
}

impl From<uniffi::UnexpectedUniFFICallbackError> for IssuerError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        IssuerError::Store {
            message: error.reason,
        }
    }
}

/// A new identity's activation data: handed to the person once (the link and its password by
/// different channels, or the serial number and activation code to type). An explicit export.
///
/// Core's record of the same name keeps the password and the link in buffers wiped on drop and
/// the codes as parsed types; `Issuer::create` copies them out as text here, its one crossing.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IssuedIdentity {
    /// Serial number, grouped.
    pub serial: String,
    /// Activation code, grouped.
    pub activation_code: String,
    /// The link's password, 16 characters grouped `XXXX-XXXX-XXXX-XXXX`.
    pub password: String,
    /// The igmobileotp:// link.
    pub link: String,
}

/// An issuer store, opened with its passphrase.
#[derive(uniffi::Object)]
pub struct Issuer {
    inner: core_issuer::Issuer,
}

#[uniffi::export]
impl Issuer {
    /// Opens (or creates) the store in `folder`; runs Argon2id once.
    #[uniffi::constructor]
    pub fn open(folder: String, passphrase: String) -> Result<std::sync::Arc<Self>, IssuerError> {
        Ok(std::sync::Arc::new(Self {
            inner: core_issuer::Issuer::open(folder, &passphrase)?,
        }))
    }

    /// Creates an identity (6 or 8 digits; optional policy JSON, OCRA suite and address).
    pub fn create(
        &self,
        name: String,
        digits: u8,
        policy: Option<String>,
        ocra_suite: Option<String>,
        address: Option<String>,
    ) -> Result<IssuedIdentity, IssuerError> {
        let mut new = NewIdentity::new(name);
        new.digits = digits;
        new.policy = policy;
        new.address = address;
        new.ocra = match ocra_suite {
            Some(text) => {
                Some(
                    text.parse::<OcraSuite>()
                        .map_err(|e| IssuerError::InvalidInput {
                            field: InputField::OcraSuite,
                            message: e.to_string(),
                        })?,
                )
            }
            None => None,
        };
        let created = self.inner.create(&new)?;
        Ok(IssuedIdentity {
            serial: created.serial.to_string(),
            activation_code: created.activation_code.to_string(),
            password: created.password.to_string(),
            link: created.link.to_string(),
        })
    }

    /// Completes a registration with the code the token showed.
    pub fn complete(&self, serial: String, registration_code: String) -> Result<(), IssuerError> {
        self.inner.complete(&serial, &registration_code)?;
        Ok(())
    }

    /// Verifies a security code at a Unix time; returns the remembered drift in steps.
    pub fn verify(&self, serial: String, code: String, unix_time: u64) -> Result<i64, IssuerError> {
        Ok(self.inner.verify(&serial, &code, unix_time)?.drift_steps)
    }

    /// Issues an OCRA challenge.
    pub fn issue_challenge(&self, serial: String, unix_time: u64) -> Result<String, IssuerError> {
        Ok(self.inner.issue_challenge(&serial, unix_time)?)
    }

    /// Verifies an OCRA response to a challenge this issuer issued.
    pub fn verify_response(
        &self,
        serial: String,
        challenge: String,
        response: String,
        unix_time: u64,
    ) -> Result<(), IssuerError> {
        self.inner
            .verify_response(&serial, &challenge, &response, unix_time)?;
        Ok(())
    }

    /// The unlock code answering a token's PIN reset code.
    pub fn unlock_code(&self, serial: String, reset_code: String) -> Result<String, IssuerError> {
        Ok(self.inner.unlock_code(&serial, &reset_code)?.to_string())
    }
}
