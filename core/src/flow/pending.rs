//! What the flow has learned before it saves: checked activation data, or a ready identity.

use crate::codes::{OcraSuite, TotpParams};
use crate::identity::{Identity, IdentityGuardIdentity, IdentityKind, OcraChallenge, check_name};
use crate::identityguard::{
    ActivationCode, ActivationLink, SerialNumber, code_params, derive_secret,
    make_registration_code, name_from_address,
};
use crate::provisioning::{OtpAuth, OtpKind};
use crate::session::{Reactivated, Session, SessionError};

use super::{ActivationInput, FlowError, FlowField};

pub(super) enum Pending {
    IdentityGuard(Box<ActivationData>),
    Ready(Box<Identity>),
}

/// Activation data whose check digits and options have been verified.
pub(super) struct ActivationData {
    serial: SerialNumber,
    activation: ActivationCode,
    policy: Option<String>,
    address: Option<String>,
    name: Option<String>,
    /// `None` when not given: 6, or the reactivated identity's digits.
    digits: Option<u8>,
    ocra: Option<OcraSuite>,
}

impl ActivationData {
    pub(super) fn from_input(input: &ActivationInput) -> Result<Self, FlowError> {
        let serial: SerialNumber = input.serial.parse()?;
        let activation: ActivationCode = input.activation.parse()?;
        if let Some(digits) = input.digits {
            code_params(digits)?;
        }
        let ocra = match input
            .ocra_suite
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(text) => Some(
                text.parse::<OcraSuite>()
                    .map_err(|e| FlowError::invalid(FlowField::OcraSuite, e))?,
            ),
            None => None,
        };
        let address = non_empty(input.address.as_deref());
        if let Some(address) = &address
            && name_from_address(address).is_none()
        {
            return Err(FlowError::invalid(
                FlowField::Address,
                "the address has no host name (expected e.g. myid.example.edu/igst)",
            ));
        }
        let name = non_empty(input.name.as_deref());
        if let Some(name) = &name {
            check_name(name)
                .map_err(|e| FlowError::invalid(FlowField::Name, SessionError::from(e)))?;
        }
        Ok(Self {
            serial,
            activation,
            policy: None,
            address,
            name,
            digits: input.digits,
            ocra,
        })
    }

    pub(super) fn from_link(link: ActivationLink) -> Result<Self, FlowError> {
        // A Tessera issuer's link names the OCRA suite of identities that answer challenges.
        let ocra = link
            .ocra
            .as_deref()
            .map(|text| {
                text.parse::<OcraSuite>()
                    .map_err(|e| FlowError::invalid(FlowField::OcraSuite, e))
            })
            .transpose()?;
        Ok(Self {
            serial: link.serial,
            activation: link.activation,
            policy: link.policy,
            address: link.address,
            name: None,
            digits: None,
            ocra,
        })
    }

    /// For a reactivation: keeps the identity's name, and its address, digits and OCRA suite
    /// where the new activation data does not give them.
    pub(super) fn keep(&mut self, base: Reactivated) {
        self.name = Some(base.name);
        self.address = self.address.take().or(base.address);
        self.digits = self.digits.or(Some(base.digits));
        self.ocra = self.ocra.take().or(base.ocra);
    }

    /// Makes the registration code and derives the secret: the identity as it will be saved.
    /// With a policy, the variant that includes it is used first (as in the public vector) and
    /// the other is kept to switch to.
    pub(super) fn activate(&self, now: u64) -> Result<Identity, FlowError> {
        let registration = make_registration_code(&self.serial).map_err(SessionError::from)?;
        let without = derive_secret(&self.serial, &self.activation, &registration, None);
        let (secret, alternate_secret, policy_included) = match &self.policy {
            Some(policy) => (
                derive_secret(&self.serial, &self.activation, &registration, Some(policy)),
                Some(without),
                true,
            ),
            None => (without, None, false),
        };
        let name = self
            .name
            .clone()
            .or_else(|| self.address.as_deref().and_then(name_from_address))
            .unwrap_or_else(|| format!("IdentityGuard {}", self.serial));
        let ig = IdentityGuardIdentity {
            serial: self.serial.clone(),
            registration,
            address: self.address.clone(),
            digits: self.digits.unwrap_or(6),
            secret,
            alternate_secret,
            policy_included,
            ocra: self
                .ocra
                .clone()
                .map(|suite| OcraChallenge { suite, counter: 0 }),
        };
        Ok(Identity {
            id: Session::make_identity_id()?,
            name,
            issuer: None,
            kind: IdentityKind::IdentityGuard(ig),
            added_at: now,
        })
    }
}

/// The identity an otpauth:// link provisions.
pub(super) fn identity_from_otpauth(otp: OtpAuth, now: u64) -> Result<Identity, FlowError> {
    let name = otp.identity_name();
    let kind = match otp.kind {
        OtpKind::Totp { period } => IdentityKind::Totp {
            params: TotpParams::new(otp.algorithm, otp.digits, period)
                .map_err(|e| FlowError::invalid(FlowField::Link, e))?,
            secret: otp.secret,
        },
        OtpKind::Hotp { counter } => IdentityKind::Hotp {
            secret: otp.secret,
            algorithm: otp.algorithm,
            digits: otp.digits,
            counter,
        },
        OtpKind::Steam => IdentityKind::Steam { secret: otp.secret },
    };
    Ok(Identity {
        id: Session::make_identity_id()?,
        name,
        issuer: otp.issuer,
        kind,
        added_at: now,
    })
}

fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(ocra: Option<&str>) -> ActivationLink {
        ActivationLink {
            serial: "48244-13456".parse().unwrap(),
            activation: "1745-7712-6942-8698".parse().unwrap(),
            policy: None,
            address: None,
            ocra: ocra.map(str::to_string),
        }
    }

    #[test]
    fn a_link_naming_an_ocra_suite_gives_an_identity_that_answers_challenges() {
        let data = ActivationData::from_link(link(Some("OCRA-1:HOTP-SHA1-6:QN08"))).unwrap();
        let identity = data.activate(0).unwrap();
        let ocra = identity.kind.ocra().expect("an OCRA suite");
        assert_eq!(ocra.suite.to_string(), "OCRA-1:HOTP-SHA1-6:QN08");
        assert_eq!(ocra.counter, 0);
        let plain = ActivationData::from_link(link(None)).unwrap();
        assert!(plain.activate(0).unwrap().kind.ocra().is_none());
    }

    #[test]
    fn a_bad_suite_in_a_link_is_named() {
        let error = ActivationData::from_link(link(Some("OCRA-1:HOTP-SHA1-6:QX08")))
            .err()
            .expect("refused");
        assert_eq!(error.field(), FlowField::OcraSuite);
        assert!(
            error.to_string().contains("question part 'QX08'"),
            "{error}"
        );
    }
}
