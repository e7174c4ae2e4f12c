//! What crosses to the shells: plain records and enums, none holding a secret (except the
//! recovery key in `FlowStep::Done`, shown once by design). Import and export records are in
//! `transfer`.

use tessera_core::flow::FlowState;
use tessera_core::identity::{CodeView, IdentityKindLabel, IdentitySummary};
use tessera_core::session::{SettingsView, TokenStatus};

/// The kind of an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum IdentityKind {
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
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct IdentityInfo {
    /// Stable identifier to pass back.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its issuer, when known.
    pub issuer: Option<String>,
    /// Its kind.
    pub kind: IdentityKind,
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
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Code {
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
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum TokenState {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Settings {
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
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ActivationData {
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
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
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
        identity: IdentityInfo,
        /// For a new token: its recovery key, to show once.
        recovery_key: Option<String>,
        /// Things to tell the person about the identity.
        warnings: Vec<String>,
    },
}

impl From<IdentityKindLabel> for IdentityKind {
    fn from(label: IdentityKindLabel) -> Self {
        match label {
            IdentityKindLabel::Totp => IdentityKind::Totp,
            IdentityKindLabel::Hotp => IdentityKind::Hotp,
            IdentityKindLabel::Steam => IdentityKind::Steam,
            IdentityKindLabel::Ocra => IdentityKind::Ocra,
            IdentityKindLabel::IdentityGuard => IdentityKind::IdentityGuard,
        }
    }
}

impl From<IdentitySummary> for IdentityInfo {
    fn from(s: IdentitySummary) -> Self {
        Self {
            id: s.id,
            name: s.name,
            issuer: s.issuer,
            kind: s.kind.into(),
            digits: s.digits,
            period: s.period,
            serial: s.serial,
            registration_code: s.registration_code,
            address: s.address,
            policy_included: s.policy_included,
            can_switch_policy: s.can_switch_policy,
            answers_challenges: s.answers_challenges,
            added_at: s.added_at,
        }
    }
}

impl From<CodeView> for Code {
    fn from(v: CodeView) -> Self {
        Self {
            code: v.code,
            grouped: v.grouped,
            period: v.period,
            valid_from: v.valid_from,
            valid_until: v.valid_until,
            seconds_left: v.seconds_left,
            counter: v.counter,
        }
    }
}

impl From<TokenStatus> for TokenState {
    fn from(status: TokenStatus) -> Self {
        match status {
            TokenStatus::NoToken => TokenState::NoToken,
            TokenStatus::NeedsPin { attempts_left } => TokenState::NeedsPin { attempts_left },
            TokenStatus::LockedOut {
                reset_code,
                unlock_attempts_left,
                recovery_key,
            } => TokenState::LockedOut {
                reset_code,
                unlock_attempts_left,
                recovery_key,
            },
            TokenStatus::Unlocked => TokenState::Unlocked,
        }
    }
}

impl From<SettingsView> for Settings {
    fn from(v: SettingsView) -> Self {
        Self {
            time_offset_seconds: v.time_offset_seconds,
            lockout_threshold: v.lockout_threshold,
            has_recovery_key: v.has_recovery_key,
            device_bound: v.device_bound,
            auto_lock_seconds: v.auto_lock_seconds,
            unlock_codes: v.unlock_codes,
        }
    }
}

impl From<FlowState> for FlowStep {
    fn from(state: FlowState) -> Self {
        match state {
            FlowState::Start => FlowStep::Start,
            FlowState::NeedsPassword => FlowStep::NeedsPassword,
            FlowState::NeedsPin => FlowStep::NeedsPin,
            FlowState::ConfirmPin => FlowStep::ConfirmPin,
            FlowState::ShowRegistrationCode {
                name,
                registration_code,
            } => FlowStep::ShowRegistrationCode {
                name,
                registration_code,
            },
            FlowState::Done {
                identity,
                recovery_key,
                warnings,
            } => FlowStep::Done {
                identity: identity.into(),
                recovery_key,
                warnings,
            },
        }
    }
}

impl From<ActivationData> for tessera_core::flow::ActivationInput {
    fn from(d: ActivationData) -> Self {
        Self {
            serial: d.serial,
            activation: d.activation,
            address: d.address,
            name: d.name,
            digits: d.digits,
            ocra_suite: d.ocra_suite,
        }
    }
}
