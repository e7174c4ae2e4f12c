//! What the issuer keeps about one identity: the JSON that is sealed into its record file or
//! database row.
//!
//! An identity is first *pending* (created, activation data handed out, waiting for the
//! registration code) and then *registered* (the secret derived; codes can be verified). The
//! activation code is kept only while pending, because it is needed to derive the secret; once
//! registered it is dropped, since with one code it would give away the secret (see
//! docs/security.md). Link passwords and links are never kept.

use serde::{Deserialize, Serialize};

use crate::SecretBytes;
use crate::codes::OcraSuite;
use crate::identityguard::{ActivationCode, RegistrationCode, SerialNumber};

/// One identity as a store keeps it (sealed: [`super::seal_record`]): its settings, and either
/// its activation code (pending) or its secret and verification state (registered). The
/// IdentityGuard rules are its operations (`operations`); `Debug` shows no secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdentityRecord {
    /// Also the file's name and part of the seal's associated data.
    pub(super) serial: SerialNumber,
    /// The administrator's name for it (e.g. the person's login).
    pub(super) name: String,
    /// 6 or 8.
    pub(super) digits: u8,
    /// The policy document, exactly as put in the link.
    pub(super) policy: Option<String>,
    /// The self-service address put in the link.
    pub(super) address: Option<String>,
    /// The OCRA suite, for identities that answer challenges.
    pub(super) ocra: Option<OcraSuite>,
    /// The verification window for this identity, when not the issuer's default.
    pub(super) window: Option<u8>,
    /// Pending or registered.
    pub(super) state: RecordState,
}

/// Where an identity is in its life.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub(super) enum RecordState {
    /// Activation data handed out; the registration code has not come back yet.
    Pending {
        /// Needed to derive the secret when the registration code arrives.
        #[serde(with = "activation_digits")]
        activation: ActivationCode,
    },
    /// The token's registration code was accepted and the secret derived.
    Registered(Box<Registered>),
}

/// A registered identity's secret and verification state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Registered {
    /// The registration code accepted (a second `complete` with it is a no-op); `None` for an
    /// identity imported with its secret (`imported`), which never had one.
    #[serde(default)]
    pub registration: Option<RegistrationCode>,
    /// The TOTP and OCRA secret.
    pub secret: SecretBytes,
    /// Whether `secret` includes the policy in its derivation (the token's default when the
    /// link carries a policy).
    pub policy_included: bool,
    /// The last time step accepted; no step at or before it is accepted again.
    pub last_step: Option<u64>,
    /// The offset (in steps) of the last accepted code from the issuer's clock, bounded; the
    /// next window is centred on now plus this.
    pub drift_steps: i64,
    /// The counter the token will use for its next OCRA response, for suites with `C`.
    pub ocra_counter: u64,
    /// Challenges issued and not yet answered.
    pub challenges: Vec<PendingChallenge>,
}

/// A challenge the issuer issued, waiting for its response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct PendingChallenge {
    /// The question, exactly as issued.
    pub question: String,
    /// The last Unix second at which a response is accepted.
    pub expires_at: u64,
}

impl IdentityRecord {
    /// The registered state, if the identity is registered.
    pub(super) fn registered(&self) -> Option<&Registered> {
        match &self.state {
            RecordState::Registered(registered) => Some(registered),
            RecordState::Pending { .. } => None,
        }
    }

    /// Mutable access to the registered state.
    pub(super) fn registered_mut(&mut self) -> Option<&mut Registered> {
        match &mut self.state {
            RecordState::Registered(registered) => Some(registered),
            RecordState::Pending { .. } => None,
        }
    }
}

/// The activation code as its 16 digits inside the sealed record. Reading borrows the text from
/// the (zeroizing) plaintext buffer where the deserializer allows, so no unwiped copy is made,
/// and checks the Luhn digit again.
mod activation_digits {
    use std::fmt;

    use crate::identityguard::ActivationCode;

    pub fn serialize<S: serde::Serializer>(
        code: &ActivationCode,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(code.as_digits())
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<ActivationCode, D::Error> {
        struct Digits;
        impl serde::de::Visitor<'_> for Digits {
            type Value = ActivationCode;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an activation code's 16 digits")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<ActivationCode, E> {
                // The parse error names the field and problem, never the digits.
                text.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Digits)
    }
}
