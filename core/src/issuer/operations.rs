//! The IdentityGuard rules as operations on one [`IdentityRecord`], for any store to run: the
//! folder store ([`super::Issuer`]) runs them under its lock, the server inside a database
//! transaction. No rule lives anywhere else, so every store decides alike.
//!
//! Each changing operation takes the record by value and gives back an [`Outcome`]: the answer,
//! the record as it is now, and whether it changed (so must be saved before the answer is
//! given). A refusal returns only the error: the caller has no changed record to save by
//! mistake, and a refusal never writes. Records are sealed for storage with
//! [`super::seal_record`] and opened with [`super::open_record`].

use zeroize::Zeroizing;

use super::activation::{self, CheckedRegistration};
use super::record::{IdentityRecord, Registered};
use super::{
    Accepted, AcceptedResponse, Completion, IdentityInfo, IssuerError, challenge, check_window,
    verify,
};
use crate::codes::OcraSuite;
use crate::identityguard::SerialNumber;
use crate::vault::derive_unlock_code;

/// What a changing operation decided.
#[must_use = "a changed record must be saved before its value is acted on"]
#[derive(Debug)]
pub struct Outcome<T> {
    /// The operation's answer.
    pub value: T,
    /// The record after the operation.
    pub record: IdentityRecord,
    /// True when `record` differs from what was read and must be saved (durably, and only if
    /// nothing else changed it meanwhile) before `value` is acted on.
    pub changed: bool,
}

/// A locked token's PIN reset code, checked for shape ([`check_reset_code`]).
pub struct ResetCode(Zeroizing<String>);

/// Checks a typed PIN reset code: 9 digits, spaces and dashes ignored.
pub fn check_reset_code(typed: &str) -> Result<ResetCode, IssuerError> {
    let digits: Zeroizing<String> = Zeroizing::new(
        typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect(),
    );
    if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IssuerError::ResetCodeFormat);
    }
    Ok(ResetCode(digits))
}

impl IdentityRecord {
    /// The identity's serial number.
    pub fn serial(&self) -> &SerialNumber {
        &self.serial
    }

    /// The issuer's name for the identity.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Completes the identity with a registration code checked for it
    /// ([`super::check_registration`]). The same code again changes nothing
    /// ([`Completion::AlreadyRegistered`]); another one is refused.
    pub fn complete(
        mut self,
        registration: &CheckedRegistration,
    ) -> Result<Outcome<Completion>, IssuerError> {
        let code = registration.code_for(&self.serial)?;
        let completion = activation::register(&mut self, code)?;
        Ok(self.outcome(completion, completion != Completion::AlreadyRegistered))
    }

    /// Verifies security code `code` at Unix time `at`, in the identity's window or else
    /// `default_window` (see [`super::Issuer::verify`]). Accepting saves the step and the drift.
    pub fn verify(
        mut self,
        code: &str,
        at: u64,
        default_window: u8,
    ) -> Result<Outcome<Accepted>, IssuerError> {
        let (digits, window) = (self.digits, self.window.unwrap_or(default_window));
        let accepted = verify::verify_code(registered_mut(&mut self)?, digits, window, code, at)?;
        Ok(self.outcome(accepted, true))
    }

    /// Resynchronises the identity with two consecutive codes, `first` then `second`, found
    /// within `range` steps (at most [`super::MAX_RESYNC_STEPS`]) of the Unix time `at`
    /// (RFC 4226 section 7.4): for a token whose clock has drifted beyond the window, where one
    /// code alone would be a guess with too many chances. Accepting saves the second step and
    /// the new drift, so the following codes verify in the normal window again.
    pub fn resync(
        mut self,
        first: &str,
        second: &str,
        at: u64,
        range: u8,
    ) -> Result<Outcome<Accepted>, IssuerError> {
        super::check_resync_range(range)?;
        let digits = self.digits;
        let accepted = verify::resync_codes(
            registered_mut(&mut self)?,
            digits,
            range,
            (first, second),
            at,
        )?;
        Ok(self.outcome(accepted, true))
    }

    /// Issues a single-use OCRA challenge at Unix time `at`.
    pub fn issue_challenge(mut self, at: u64) -> Result<Outcome<String>, IssuerError> {
        let suite = suite_of(&self)?;
        let question = challenge::issue(registered_mut(&mut self)?, &suite, at)?;
        Ok(self.outcome(question, true))
    }

    /// Verifies the token's `response` to `challenge` at Unix time `at` (see
    /// [`super::Issuer::verify_response`]).
    pub fn verify_response(
        mut self,
        challenge: &str,
        response: &str,
        at: u64,
        default_window: u8,
    ) -> Result<Outcome<AcceptedResponse>, IssuerError> {
        let suite = suite_of(&self)?;
        let window = self.window.unwrap_or(default_window);
        let accepted = challenge::verify_response(
            registered_mut(&mut self)?,
            &suite,
            window,
            challenge,
            response,
            at,
        )?;
        Ok(self.outcome(accepted, true))
    }

    /// Sets the identity's own window (0 to 10 steps each way), or with `None` returns it to
    /// the store's default.
    pub fn set_window(mut self, window: Option<u8>) -> Result<Outcome<()>, IssuerError> {
        if let Some(window) = window {
            check_window(window)?;
        }
        let changed = self.window != window;
        self.window = window;
        Ok(self.outcome((), changed))
    }

    /// The unlock code answering a locked token's PIN reset code, derived from the identity's
    /// secret as the token does. Changes nothing.
    pub fn unlock_code(&self, reset_code: &ResetCode) -> Result<Zeroizing<String>, IssuerError> {
        let registered = self.registered().ok_or_else(|| not_registered(self))?;
        derive_unlock_code(&registered.secret, &reset_code.0).map_err(|_| IssuerError::Internal {
            reason: "a stored secret or a checked reset code was refused",
        })
    }

    /// What is known about the identity, without secrets, with `default_window` for an
    /// identity without its own window. `read_from_copy` is false: only the folder store has
    /// copies.
    pub fn info(&self, default_window: u8) -> IdentityInfo {
        let registered = self.registered();
        IdentityInfo {
            serial: self.serial.clone(),
            name: self.name.clone(),
            digits: self.digits,
            policy: self.policy.clone(),
            address: self.address.clone(),
            ocra: self.ocra.clone(),
            window: self.window.unwrap_or(default_window),
            registered: registered.is_some(),
            policy_included: registered.map(|r| r.policy_included),
            last_step: registered.and_then(|r| r.last_step),
            drift_steps: registered.map_or(0, |r| r.drift_steps),
            ocra_counter: registered.map_or(0, |r| r.ocra_counter),
            pending_challenges: registered.map_or(0, |r| r.challenges.len()),
            read_from_copy: false,
        }
    }

    fn outcome<T>(self, value: T, changed: bool) -> Outcome<T> {
        Outcome {
            value,
            record: self,
            changed,
        }
    }
}

fn not_registered(record: &IdentityRecord) -> IssuerError {
    IssuerError::NotRegistered {
        serial: record.serial.to_string(),
    }
}

fn registered_mut(record: &mut IdentityRecord) -> Result<&mut Registered, IssuerError> {
    let error = not_registered(record);
    record.registered_mut().ok_or(error)
}

fn suite_of(record: &IdentityRecord) -> Result<OcraSuite, IssuerError> {
    record.ocra.clone().ok_or_else(|| IssuerError::NoOcraSuite {
        serial: record.serial.to_string(),
    })
}
