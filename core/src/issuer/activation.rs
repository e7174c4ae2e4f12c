//! Creating an identity (activation data and the password-protected link) and completing it
//! with the registration code the token shows.

use zeroize::Zeroizing;

use super::record::{IdentityRecord, RecordState, Registered};
use super::{Completion, IssuedIdentity, IssuerError, NewIdentity};
use crate::codes::OcraSuite;
use crate::identity::check_name;
use crate::identityguard::{
    ActivationCode, ActivationLink, LinkPasswordKind, RegistrationCode, SerialNumber,
    check_registration_code, code_params, derive_secret, luhn_check_digit,
    make_activation_password, name_from_address, seal_activation_link,
};
use crate::random::{RandomError, make_random_bytes, make_random_text};

/// Bytes of policy accepted: the link must still fit a QR code a phone can scan.
pub const MAX_POLICY_BYTES: usize = 1024;
/// Characters of address accepted, for the same reason.
pub const MAX_ADDRESS_CHARS: usize = 256;
/// Fresh serial numbers tried before giving up; with 10^9 possible serials, needing more than
/// one means the store holds a large share of them.
const SERIAL_TRIES: usize = 32;

/// What a new identity is made from, checked ([`check_new`]); nothing random is drawn yet.
#[derive(Debug, Clone)]
pub struct CheckedIdentity {
    name: String,
    digits: u8,
    policy: Option<String>,
    address: Option<String>,
    ocra: Option<OcraSuite>,
    window: Option<u8>,
    link_password: LinkPasswordKind,
}

/// Checks everything a new identity is made from, before anything random is drawn.
pub fn check_new(new: &NewIdentity) -> Result<CheckedIdentity, IssuerError> {
    let name = check_name(&new.name).map_err(|problem| IssuerError::BadName {
        problem: problem.describe(),
    })?;
    code_params(new.digits)?;
    if let Some(policy) = &new.policy {
        if policy.len() > MAX_POLICY_BYTES {
            return Err(IssuerError::PolicyTooLong {
                length: policy.len(),
                max: MAX_POLICY_BYTES,
            });
        }
        // Checked as JSON but kept as given: the exact text feeds the secret derivation.
        serde_json::from_str::<serde_json::Value>(policy).map_err(|e| {
            IssuerError::PolicyNotJson {
                detail: format!("line {}, column {}", e.line(), e.column()),
            }
        })?;
    }
    let address = new
        .address
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty());
    if let Some(address) = address {
        let length = address.chars().count();
        if length > MAX_ADDRESS_CHARS {
            return Err(IssuerError::AddressTooLong {
                length,
                max: MAX_ADDRESS_CHARS,
            });
        }
        if name_from_address(address).is_none() {
            return Err(IssuerError::AddressNoHost);
        }
    }
    if let Some(suite) = &new.ocra {
        check_suite(suite)?;
    }
    if let Some(window) = new.window {
        super::check_window(window)?;
    }
    Ok(CheckedIdentity {
        name,
        digits: new.digits,
        policy: new.policy.clone(),
        address: address.map(str::to_string),
        ocra: new.ocra.clone(),
        window: new.window,
        link_password: new.link_password,
    })
}

/// Refuses suites the token and the issuer cannot run together: the token sends neither an
/// OCRA PIN the issuer could check nor session information.
pub(super) fn check_suite(suite: &OcraSuite) -> Result<(), IssuerError> {
    if suite.uses_pin() {
        return Err(IssuerError::OcraSuiteUnsupported {
            reason: "asks for a PIN (P), which the issuer never learns; use a suite without P",
        });
    }
    if suite.session_length().is_some() {
        return Err(IssuerError::OcraSuiteUnsupported {
            reason: "asks for session information (S), which the token does not send; use a suite without S",
        });
    }
    Ok(())
}

/// `count` uniformly random decimal digits (bytes of 250 or more are drawn again, so
/// `byte % 10` has no bias), in a zeroizing string.
pub(super) fn make_random_digits(count: usize) -> Result<Zeroizing<String>, RandomError> {
    make_random_text(count, "0123456789")
}

/// A random code of `digits` digits (the last one its Luhn check digit).
fn make_code<T: std::str::FromStr>(digits: usize) -> Result<T, IssuerError> {
    let mut text = make_random_digits(digits - 1)?;
    let check = luhn_check_digit(&text).ok_or(IssuerError::Internal {
        reason: "random digits had no check digit",
    })?;
    text.push(char::from(b'0' + check));
    text.parse().map_err(|_| IssuerError::Internal {
        reason: "a code with its own check digit was refused",
    })
}

/// A random serial number (10 digits, the last its Luhn check digit). A store must still make
/// sure no identity has it: [`make_unused_serial`] under a lock, or a unique key.
pub fn make_serial_number() -> Result<SerialNumber, IssuerError> {
    make_code(10)
}

/// A fresh serial number that no record in the store has.
pub(super) fn make_unused_serial(
    exists: impl Fn(&SerialNumber) -> Result<bool, IssuerError>,
) -> Result<SerialNumber, IssuerError> {
    for _ in 0..SERIAL_TRIES {
        let serial = make_serial_number()?;
        if !exists(&serial)? {
            return Ok(serial);
        }
    }
    Err(IssuerError::Internal {
        reason: "no unused serial number was found",
    })
}

/// The record and the activation data of a new identity with the serial number `serial`, which
/// the store has made sure is unused.
pub fn make_identity(
    checked: CheckedIdentity,
    serial: SerialNumber,
) -> Result<(IdentityRecord, IssuedIdentity), IssuerError> {
    let activation: ActivationCode = make_code(16)?;
    let password = make_activation_password(checked.link_password)?;
    let salt: [u8; 8] = make_random_bytes()?;
    let link = ActivationLink {
        serial: serial.clone(),
        activation: activation.clone(),
        policy: checked.policy.clone(),
        address: checked.address.clone(),
        ocra: checked.ocra.as_ref().map(ToString::to_string),
    };
    let link = Zeroizing::new(seal_activation_link(&link, &password.sealed_with, salt));
    let record = IdentityRecord {
        serial: serial.clone(),
        name: checked.name,
        digits: checked.digits,
        policy: checked.policy,
        address: checked.address,
        ocra: checked.ocra,
        window: checked.window,
        state: RecordState::Pending {
            activation: activation.clone(),
        },
    };
    let created = IssuedIdentity {
        serial,
        activation_code: activation,
        password: password.shown,
        link,
    };
    Ok((record, created))
}

/// A registration code that passed [`check_registration`] for one serial number.
#[derive(Debug, Clone)]
pub struct CheckedRegistration {
    serial: SerialNumber,
    code: RegistrationCode,
}

/// Checks a typed registration code for `serial`: its check digit first (a typo), then
/// Tessera's registration rule (a code for another serial, or a typo Luhn missed).
pub fn check_registration(
    serial: &SerialNumber,
    typed: &str,
) -> Result<CheckedRegistration, IssuerError> {
    let code: RegistrationCode = typed.parse()?;
    check_registration_code(serial, &code)?;
    Ok(CheckedRegistration {
        serial: serial.clone(),
        code,
    })
}

impl CheckedRegistration {
    /// The code, when it was checked for `serial`.
    pub(super) fn code_for(&self, serial: &SerialNumber) -> Result<RegistrationCode, IssuerError> {
        if self.serial != *serial {
            return Err(IssuerError::Internal {
                reason: "a registration code checked for another serial number was given",
            });
        }
        Ok(self.code.clone())
    }
}

/// Registers `record` with `code`: derives the secret (with the policy when the identity has
/// one, as the token does by default for a link carrying a policy) and forgets the activation
/// code. On refusal `record` is left untouched.
pub(super) fn register(
    record: &mut IdentityRecord,
    code: RegistrationCode,
) -> Result<Completion, IssuerError> {
    let activation = match &record.state {
        RecordState::Pending { activation } => activation,
        RecordState::Registered(registered) => {
            // The same code again (a retried request) is answered as before; another code
            // means another token, which needs new activation data.
            return if registered.registration.as_ref() == Some(&code) {
                Ok(Completion::AlreadyRegistered)
            } else {
                Err(IssuerError::AlreadyRegistered {
                    serial: record.serial.to_string(),
                })
            };
        }
    };
    let policy = record.policy.as_deref();
    let secret = derive_secret(&record.serial, activation, &code, policy);
    let policy_included = policy.is_some();
    record.state = RecordState::Registered(Box::new(Registered {
        registration: Some(code),
        secret,
        policy_included,
        last_step: None,
        drift_steps: 0,
        ocra_counter: 0,
        challenges: Vec::new(),
    }));
    Ok(Completion::Registered { policy_included })
}
