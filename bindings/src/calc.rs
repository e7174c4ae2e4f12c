//! Stateless calculations, time and counters passed in: what the RFC vectors test in every
//! language, and what a shell needs to group a code for display.

use tessera_core::SecretBytes;
pub use tessera_core::codes::Algorithm;
use tessera_core::codes::{self, OcraInput, OcraSuite, TotpParams};
use tessera_core::identityguard::{self, ActivationCode, RegistrationCode, SerialNumber};

use crate::error::{TokenError, input};
use crate::field::InputField;

/// The HMAC hash of an OTP: the core's enum, exported as it is (see `records` for why it is
/// written out again).
#[uniffi::remote(Enum)]
pub enum Algorithm {
    /// HMAC-SHA-1.
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

fn secret(text: &str) -> Result<SecretBytes, TokenError> {
    SecretBytes::parse(text).map_err(|e| input(InputField::Secret, e))
}

/// A TOTP code (RFC 6238). `secret` is base32, or hex written `hex:...`.
#[uniffi::export]
pub fn totp_code(
    secret_text: String,
    algorithm: Algorithm,
    digits: u8,
    period: u32,
    unix_time: u64,
) -> Result<String, TokenError> {
    let params =
        TotpParams::new(algorithm, digits, period).map_err(|e| input(InputField::Digits, e))?;
    codes::totp(&secret(&secret_text)?, &params, unix_time)
        .map_err(|e| input(InputField::Secret, e))
}

/// A HOTP code (RFC 4226).
#[uniffi::export]
pub fn hotp_code(
    secret_text: String,
    counter: u64,
    algorithm: Algorithm,
    digits: u8,
) -> Result<String, TokenError> {
    codes::hotp(&secret(&secret_text)?, counter, digits, algorithm)
        .map_err(|e| input(InputField::Digits, e))
}

/// A Steam Guard code.
#[uniffi::export]
pub fn steam_code(secret_text: String, unix_time: u64) -> Result<String, TokenError> {
    codes::steam_code(&secret(&secret_text)?, unix_time).map_err(|e| input(InputField::Secret, e))
}

/// An OCRA response (RFC 6287); inputs the suite does not name must be none.
#[uniffi::export]
#[allow(
    clippy::too_many_arguments,
    reason = "mirrors the RFC's inputs one to one"
)]
pub fn ocra_response(
    suite: String,
    secret_text: String,
    question: String,
    counter: Option<u64>,
    pin: Option<String>,
    pin_hash_hex: Option<String>,
    session_hex: Option<String>,
    unix_time: Option<u64>,
) -> Result<String, TokenError> {
    let suite: OcraSuite = suite
        .parse()
        .map_err(|e: codes::OcraSuiteError| input(InputField::OcraSuite, e))?;
    let ocra_input = OcraInput::from_text(
        counter,
        &question,
        pin.as_deref(),
        pin_hash_hex.as_deref(),
        session_hex.as_deref(),
        unix_time,
    )
    .map_err(|e| input(InputField::Challenge, e))?;
    codes::ocra(&suite, &secret(&secret_text)?, &ocra_input)
        .map_err(|e| input(InputField::Challenge, e))
}

/// An IdentityGuard-compatible security code from the activation data; the derived secret
/// stays inside.
#[uniffi::export]
pub fn identityguard_code(
    serial: String,
    activation: String,
    registration: String,
    policy: Option<String>,
    digits: u8,
    unix_time: u64,
) -> Result<String, TokenError> {
    let serial: SerialNumber = serial
        .parse()
        .map_err(|e: identityguard::IdentityGuardError| input(InputField::SerialNumber, e))?;
    let activation: ActivationCode = activation
        .parse()
        .map_err(|e: identityguard::IdentityGuardError| input(InputField::ActivationCode, e))?;
    let registration: RegistrationCode = registration
        .parse()
        .map_err(|e: identityguard::IdentityGuardError| input(InputField::RegistrationCode, e))?;
    let params = identityguard::code_params(digits).map_err(|e| input(InputField::Digits, e))?;
    let secret =
        identityguard::derive_secret(&serial, &activation, &registration, policy.as_deref());
    codes::totp(&secret, &params, unix_time).map_err(|e| input(InputField::Digits, e))
}

/// A code grouped for reading: "123 456", "1234 5678".
#[uniffi::export]
pub fn group_code(code: String) -> Result<String, TokenError> {
    Ok(codes::group_code(&code))
}
