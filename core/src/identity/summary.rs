//! What a shell may know about an identity: everything but its secret.

use serde::Serialize;

use crate::identity::{Identity, IdentityKind};

/// The kind of an identity, for lists and icons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityKindLabel {
    /// Time-based codes.
    Totp,
    /// Counter-based codes.
    Hotp,
    /// Steam Guard codes.
    Steam,
    /// Challenge-response only.
    Ocra,
    /// IdentityGuard-compatible activation.
    IdentityGuard,
}

/// An identity without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentitySummary {
    /// Stable identifier.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its issuer, when known.
    pub issuer: Option<String>,
    /// Its kind.
    pub kind: IdentityKindLabel,
    /// Digits (or characters) per code; `None` for challenge-only identities.
    pub digits: Option<u8>,
    /// Seconds per code for time-based identities.
    pub period: Option<u32>,
    /// Serial number, grouped (IdentityGuard).
    pub serial: Option<String>,
    /// Registration code shown at activation, grouped (IdentityGuard).
    pub registration_code: Option<String>,
    /// Self-service address (IdentityGuard).
    pub address: Option<String>,
    /// Whether the codes include the policy in their derivation (IdentityGuard).
    pub policy_included: Option<bool>,
    /// Whether the other derivation variant can be switched to (IdentityGuard).
    pub can_switch_policy: bool,
    /// Whether it answers challenges.
    pub answers_challenges: bool,
    /// Unix time it was added.
    pub added_at: u64,
}

impl IdentityKind {
    /// The kind, for lists and icons.
    pub fn label(&self) -> IdentityKindLabel {
        match self {
            IdentityKind::Totp { .. } => IdentityKindLabel::Totp,
            IdentityKind::Hotp { .. } => IdentityKindLabel::Hotp,
            IdentityKind::Steam { .. } => IdentityKindLabel::Steam,
            IdentityKind::Ocra { .. } => IdentityKindLabel::Ocra,
            IdentityKind::IdentityGuard(_) => IdentityKindLabel::IdentityGuard,
        }
    }
}

impl Identity {
    /// Everything a shell may show about this identity.
    pub fn summary(&self) -> IdentitySummary {
        let kind = self.kind.label();
        let digits = match &self.kind {
            IdentityKind::Totp { params, .. } => Some(params.digits),
            IdentityKind::Hotp { digits, .. } => Some(*digits),
            IdentityKind::Steam { .. } => Some(crate::codes::steam::STEAM_CODE_LENGTH),
            IdentityKind::Ocra { .. } => None,
            IdentityKind::IdentityGuard(ig) => Some(ig.digits),
        };
        let ig = match &self.kind {
            IdentityKind::IdentityGuard(ig) => Some(ig),
            _ => None,
        };
        IdentitySummary {
            id: self.id.clone(),
            name: self.name.clone(),
            issuer: self.issuer.clone(),
            kind,
            digits,
            period: self.kind.period(),
            serial: ig.map(|ig| ig.serial.to_string()),
            registration_code: ig.map(|ig| ig.registration.to_string()),
            address: ig.and_then(|ig| ig.address.clone()),
            policy_included: ig.map(|ig| ig.policy_included),
            can_switch_policy: ig.is_some_and(|ig| ig.alternate_secret.is_some()),
            answers_challenges: self.answers_challenges(),
            added_at: self.added_at,
        }
    }
}
