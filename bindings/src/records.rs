//! The core's own records and enums, exported as they are: what screens show about the token,
//! its identities, their codes and the Add Identity flow. None holds a secret, except the
//! recovery key in `FlowStep::Done`, shown once by design. Import and export records are in
//! `transfer`.
//!
//! UniFFI's remote types need each definition written out again; these mirrors are not copies
//! that can drift: the generated code builds and takes apart the core type field by field and
//! matches every variant, so a change in core that is not made here does not compile. The doc
//! comments here are the ones Kotlin and Swift show.

pub use tessera_core::flow::{ActivationInput, FlowStep};
pub use tessera_core::identity::{CodeView, IdentityKindLabel, IdentitySummary};
pub use tessera_core::session::{SettingsView, TokenStatus};

/// The kind of an identity, for lists and icons (without its secret or parameters).
#[uniffi::remote(Enum)]
pub enum IdentityKindLabel {
    /// Time-based codes (RFC 6238).
    Totp,
    /// Counter-based codes (RFC 4226).
    Hotp,
    /// Steam Guard codes.
    Steam,
    /// Challenge-response only (RFC 6287).
    Ocra,
    /// IdentityGuard-compatible activation.
    IdentityGuard,
}

/// An identity, without its secret.
#[uniffi::remote(Record)]
pub struct IdentitySummary {
    /// Stable identifier to pass back.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its issuer, when known.
    pub issuer: Option<String>,
    /// Its kind.
    pub kind: IdentityKindLabel,
    /// Digits (or characters) per code; none for challenge-only identities.
    pub digits: Option<u8>,
    /// Seconds per code, for time-based identities.
    pub period: Option<u32>,
    /// Serial number, grouped (IdentityGuard).
    pub serial: Option<String>,
    /// Registration code shown at activation, grouped (IdentityGuard).
    pub registration_code: Option<String>,
    /// Self-service address (IdentityGuard).
    pub address: Option<String>,
    /// Whether codes include the policy in their derivation (IdentityGuard).
    pub policy_included: Option<bool>,
    /// Whether the other derivation variant can be switched to.
    pub can_switch_policy: bool,
    /// Whether it answers challenges.
    pub answers_challenges: bool,
    /// Unix time it was added.
    pub added_at: u64,
}

/// One code, ready to show.
#[uniffi::remote(Record)]
pub struct CodeView {
    /// As typed ("123456").
    pub code: String,
    /// Grouped for reading ("123 456").
    pub grouped: String,
    /// Seconds per code (time-based only).
    pub period: Option<u32>,
    /// First second it is valid (time-based only).
    pub valid_from: Option<u64>,
    /// First second it is no longer valid (time-based only).
    pub valid_until: Option<u64>,
    /// Seconds until the next code (time-based only).
    pub seconds_left: Option<u32>,
    /// The counter it was made from (counter-based only).
    pub counter: Option<u64>,
}

/// What the first screen should be.
#[uniffi::remote(Enum)]
pub enum TokenStatus {
    /// No token yet: offer Add Identity.
    NoToken,
    /// Ask for the PIN.
    NeedsPin {
        /// Tries before the token locks.
        attempts_left: u32,
    },
    /// Locked out: show the reset code; take an unlock code or the recovery key.
    LockedOut {
        /// The PIN reset code, when unlock codes can still open the token.
        reset_code: Option<String>,
        /// Unlock-code tries left.
        unlock_attempts_left: u32,
        /// Whether a recovery key can open it.
        recovery_key: bool,
    },
    /// Show the identities.
    Unlocked,
}

/// Settings as shown.
#[uniffi::remote(Record)]
pub struct SettingsView {
    /// Seconds added to the clock for time-based codes.
    pub time_offset_seconds: i64,
    /// Wrong PINs in a row that lock the token.
    pub lockout_threshold: u32,
    /// Whether a recovery key exists.
    pub has_recovery_key: bool,
    /// Whether the PIN is bound to a device key.
    pub device_bound: bool,
    /// Seconds in the background before the app locks the token (0: at once; at most 3600).
    pub auto_lock_seconds: u32,
    /// Whether the organisation may open a locked token with an unlock code (the token then
    /// shows a reset code when locked, if it holds an IdentityGuard identity).
    pub unlock_codes: bool,
}

/// Activation data as typed.
#[uniffi::remote(Record)]
pub struct ActivationInput {
    /// Serial number.
    pub serial: String,
    /// Activation code.
    pub activation: String,
    /// Self-service address.
    pub address: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// 6 or 8 digits.
    pub digits: Option<u8>,
    /// OCRA suite, for challenge-response.
    pub ocra_suite: Option<String>,
}

/// A step of Add Identity.
#[uniffi::remote(Enum)]
pub enum FlowStep {
    /// Waiting for activation data or a link.
    Start,
    /// Ask for the link's password.
    NeedsPassword,
    /// Ask for a new PIN.
    NeedsPin,
    /// Ask for the same PIN again.
    ConfirmPin,
    /// Show the registration code; then call `finish`.
    ShowRegistrationCode {
        /// The identity's name.
        name: String,
        /// Grouped registration code.
        registration_code: String,
    },
    /// Saved.
    Done {
        /// The identity as added.
        identity: IdentitySummary,
        /// For a new token: its recovery key, to show once.
        recovery_key: Option<String>,
        /// Things to tell the person about the identity.
        warnings: Vec<String>,
    },
}
