//! An identity: one account on the token, with its secret and how its codes are made.
//!
//! Identities live only inside the encrypted vault payload. What leaves the core is an
//! [`IdentitySummary`] (no secret) or a [`CodeView`] (one code and its validity).

mod code;
mod name;
mod search;
mod summary;

pub use code::{CodeView, IdentityCodeError};
pub(crate) use name::{
    CharacterProblem, NameProblem, check_characters, check_name, is_direction_character,
};
pub use name::{MAX_NAME_CHARS, display_label};
pub use summary::{IdentityKindLabel, IdentitySummary};

use serde::{Deserialize, Serialize};

use crate::SecretBytes;
use crate::codes::{Algorithm, OcraSuite, TotpParams};
use crate::identityguard::{RegistrationCode, SerialNumber};

/// One account on the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    /// Stable identifier, random, never shown as a name.
    pub id: String,
    /// What the person calls it.
    pub name: String,
    /// Who issued it, when known.
    pub issuer: Option<String>,
    /// How its codes are made, with its secret.
    pub kind: IdentityKind,
    /// Unix time it was added.
    pub added_at: u64,
}

/// How an identity's codes are made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum IdentityKind {
    /// RFC 6238 time-based codes.
    Totp {
        /// The shared secret.
        secret: SecretBytes,
        /// Hash, digits, period.
        params: TotpParams,
    },
    /// RFC 4226 counter-based codes; the counter is saved before each code is shown.
    Hotp {
        /// The shared secret.
        secret: SecretBytes,
        /// The HMAC hash.
        algorithm: Algorithm,
        /// 6 to 8.
        digits: u8,
        /// The counter of the next code.
        counter: u64,
    },
    /// Steam Guard codes.
    Steam {
        /// The shared secret.
        secret: SecretBytes,
    },
    /// RFC 6287 challenge-response only: it answers challenges and shows no code.
    Ocra {
        /// The shared secret.
        secret: SecretBytes,
        /// The suite and its counter.
        ocra: OcraChallenge,
    },
    /// An identity activated with IdentityGuard-compatible activation data.
    IdentityGuard(IdentityGuardIdentity),
}

/// What an IdentityGuard identity keeps after activation. The activation code is not kept:
/// with one code it would reveal the secret (see docs/security.md); instead both derivation
/// variants are kept so a person can switch if the organisation rejects the codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityGuardIdentity {
    /// The serial number.
    pub serial: SerialNumber,
    /// The registration code the token showed at activation.
    pub registration: RegistrationCode,
    /// The self-service address, when the link or the person gave one.
    pub address: Option<String>,
    /// Codes have 6 or 8 digits.
    pub digits: u8,
    /// The secret in use.
    pub secret: SecretBytes,
    /// The other derivation variant's secret (with the policy when `secret` is without, or the
    /// reverse); `None` when activation carried no policy.
    pub alternate_secret: Option<SecretBytes>,
    /// Whether `secret` includes the policy in its derivation.
    pub policy_included: bool,
    /// An OCRA suite for challenges, when the organisation uses challenge-response.
    pub ocra: Option<OcraChallenge>,
}

/// OCRA settings of an identity that answers challenges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OcraChallenge {
    /// The agreed suite.
    pub suite: OcraSuite,
    /// The next counter value, for suites with C; saved before each response is shown.
    pub counter: u64,
}

impl IdentityKind {
    /// Seconds per code for time-based kinds; `None` for counter-based ones.
    pub fn period(&self) -> Option<u32> {
        match self {
            IdentityKind::Totp { params, .. } => Some(params.period),
            IdentityKind::Steam { .. } => Some(crate::codes::STEAM_PERIOD_SECONDS),
            IdentityKind::IdentityGuard(_) => Some(crate::identityguard::CODE_PERIOD_SECONDS),
            IdentityKind::Hotp { .. } | IdentityKind::Ocra { .. } => None,
        }
    }

    /// The secret codes are computed from.
    pub fn secret(&self) -> &SecretBytes {
        match self {
            IdentityKind::Totp { secret, .. }
            | IdentityKind::Hotp { secret, .. }
            | IdentityKind::Steam { secret }
            | IdentityKind::Ocra { secret, .. } => secret,
            IdentityKind::IdentityGuard(ig) => &ig.secret,
        }
    }
}

impl IdentityKind {
    /// The OCRA suite and counter of kinds that answer challenges.
    pub fn ocra(&self) -> Option<&OcraChallenge> {
        match self {
            IdentityKind::Ocra { ocra, .. } => Some(ocra),
            IdentityKind::IdentityGuard(ig) => ig.ocra.as_ref(),
            _ => None,
        }
    }

    /// Mutable access to the OCRA counter, to advance it before a response is shown.
    pub fn ocra_mut(&mut self) -> Option<&mut OcraChallenge> {
        match self {
            IdentityKind::Ocra { ocra, .. } => Some(ocra),
            IdentityKind::IdentityGuard(ig) => ig.ocra.as_mut(),
            _ => None,
        }
    }
}

impl Identity {
    /// True when `query` names this identity: its id, or its name or issuer ignoring case.
    pub fn matches(&self, query: &str) -> bool {
        let query = query.trim().to_lowercase();
        self.id == query
            || self.name.to_lowercase() == query
            || self
                .issuer
                .as_deref()
                .is_some_and(|issuer| issuer.to_lowercase() == query)
    }
}
