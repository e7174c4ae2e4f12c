//! Identities whose secret comes from elsewhere, such as a PSKC file a vendor sent
//! (docs/server.md, "PSKC"): registered from the start, with no activation code and no
//! registration code, verified as every identity is (TOTP HMAC-SHA256, 30-second steps, and
//! OCRA when it has a suite). [`IdentityRecord::key_for_export`] gives a registered identity's
//! secret back for the opposite move.

use super::IssuerError;
use super::activation::check_suite;
use super::record::{IdentityRecord, RecordState, Registered};
use crate::SecretBytes;
use crate::codes::OcraSuite;
use crate::identity::check_name;
use crate::identityguard::SerialNumber;
use crate::identityguard::code_params;

/// A registered identity's key, as an export writes it.
#[derive(Debug, Clone)]
pub struct ExportedKey<'a> {
    /// The serial number.
    pub serial: &'a SerialNumber,
    /// The administrator's name for it.
    pub name: &'a str,
    /// Digits of its TOTP codes: 6 or 8.
    pub digits: u8,
    /// The secret (TOTP HMAC-SHA256 and OCRA).
    pub secret: &'a SecretBytes,
    /// Its OCRA suite and the counter of the next response, when it answers challenges.
    pub ocra: Option<(&'a OcraSuite, u64)>,
}

impl IdentityRecord {
    /// A registered identity `serial` named `name`, with `digits`-digit codes from `secret` and,
    /// when given, an OCRA suite and its next counter. The name, digits and suite are checked
    /// as for a new identity; the secret is the reader's to check (a PSKC import takes 80 bits
    /// to 64 bytes, as every import does).
    pub fn import_registered(
        serial: SerialNumber,
        name: &str,
        digits: u8,
        secret: SecretBytes,
        ocra: Option<(OcraSuite, u64)>,
    ) -> Result<Self, IssuerError> {
        let name = check_name(name).map_err(|problem| IssuerError::BadName {
            problem: problem.describe(),
        })?;
        code_params(digits)?;
        if let Some((suite, _)) = &ocra {
            check_suite(suite)?;
        }
        let (ocra, ocra_counter) = match ocra {
            Some((suite, counter)) => (Some(suite), counter),
            None => (None, 0),
        };
        Ok(IdentityRecord {
            serial,
            name,
            digits,
            policy: None,
            address: None,
            ocra,
            window: None,
            state: RecordState::Registered(Box::new(Registered {
                registration: None,
                secret,
                policy_included: false,
                last_step: None,
                drift_steps: 0,
                ocra_counter,
                challenges: Vec::new(),
            })),
        })
    }

    /// The key of a registered identity, for an export; `None` while it is pending (it has no
    /// secret yet).
    pub fn key_for_export(&self) -> Option<ExportedKey<'_>> {
        let registered = self.registered()?;
        Some(ExportedKey {
            serial: &self.serial,
            name: &self.name,
            digits: self.digits,
            secret: &registered.secret,
            ocra: self
                .ocra
                .as_ref()
                .map(|suite| (suite, registered.ocra_counter)),
        })
    }
}
