//! Computing what an identity shows: a code with its validity window, or a challenge response.

use crate::codes::{self, CodeError, OcraError, OcraInput, group_code, time_window};
use crate::identity::{Identity, IdentityKind};

/// One code, ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeView {
    /// The code, as typed (digits, or Steam's letters).
    pub code: String,
    /// The code grouped for reading ("123 456").
    pub grouped: String,
    /// Seconds per code; `None` for counter-based codes.
    pub period: Option<u32>,
    /// First second the code is valid (time-based only).
    pub valid_from: Option<u64>,
    /// First second it is no longer valid (time-based only).
    pub valid_until: Option<u64>,
    /// Seconds until the next code (time-based only).
    pub seconds_left: Option<u32>,
    /// The counter the code was made from (counter-based only).
    pub counter: Option<u64>,
}

/// Why an identity could not give a code or a response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentityCodeError {
    /// The stored parameters were refused (only a damaged payload could cause this).
    #[error(transparent)]
    Code(#[from] CodeError),
    /// The challenge or its inputs were refused.
    #[error(transparent)]
    Ocra(#[from] OcraError),
    /// A code was asked of an identity that only answers challenges.
    #[error("this identity only answers challenges: type the challenge to get a response")]
    ChallengeOnly,
    /// A challenge was asked of an identity that has no OCRA suite.
    #[error("this identity does not answer challenges; type its current security code instead")]
    NoChallenge,
}

impl Identity {
    /// The code at `unix_time`. For a counter-based identity, the code for its stored counter:
    /// the caller must advance and save the counter before showing it.
    pub fn code_at(&self, unix_time: u64) -> Result<CodeView, IdentityCodeError> {
        let (code, counter) = match &self.kind {
            IdentityKind::Totp { secret, params } => {
                (codes::totp(secret, params, unix_time)?, None)
            }
            IdentityKind::Steam { secret } => (codes::steam_code(secret, unix_time)?, None),
            IdentityKind::IdentityGuard(ig) => {
                let params = crate::identityguard::code_params(ig.digits)
                    .map_err(|_| CodeError::BadDigits { digits: ig.digits })?;
                (codes::totp(&ig.secret, &params, unix_time)?, None)
            }
            IdentityKind::Hotp {
                secret,
                algorithm,
                digits,
                counter,
            } => (
                codes::hotp(secret, *counter, *digits, *algorithm)?,
                Some(*counter),
            ),
            IdentityKind::Ocra { .. } => return Err(IdentityCodeError::ChallengeOnly),
        };
        let window = self
            .kind
            .period()
            .map(|period| time_window(unix_time, period))
            .transpose()?;
        Ok(CodeView {
            grouped: group_code(&code),
            code,
            period: self.kind.period(),
            valid_from: window.map(|w| w.valid_from),
            valid_until: window.map(|w| w.valid_until),
            seconds_left: window.map(|w| w.seconds_left),
            counter,
        })
    }

    /// The OCRA response to `question`. For suites with a counter the stored counter is used;
    /// the caller must advance and save it before showing the response. `pin` is the OCRA PIN
    /// for suites with P (the organisation's PIN, not the token's).
    pub fn respond_at(
        &self,
        question: &str,
        pin: Option<&str>,
        unix_time: u64,
    ) -> Result<String, IdentityCodeError> {
        let ocra = self.kind.ocra().ok_or(IdentityCodeError::NoChallenge)?;
        let suite = &ocra.suite;
        let input = OcraInput::from_text(
            suite.uses_counter().then_some(ocra.counter),
            question,
            pin,
            None,
            None,
            suite.time_step_seconds().map(|_| unix_time),
        )?;
        Ok(codes::ocra(suite, self.kind.secret(), &input)?)
    }

    /// Whether this identity answers challenges.
    pub fn answers_challenges(&self) -> bool {
        self.kind.ocra().is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SecretBytes;
    use crate::codes::{Algorithm, TotpParams};
    use crate::identity::{IdentityGuardIdentity, OcraChallenge};

    fn rfc_secret() -> SecretBytes {
        SecretBytes::new(b"12345678901234567890".to_vec())
    }

    fn identity(kind: IdentityKind) -> Identity {
        Identity {
            id: "id1".into(),
            name: "Work".into(),
            issuer: Some("Example".into()),
            kind,
            added_at: 0,
        }
    }

    /// RFC 6238 Appendix B, SHA1 row at T = 1111111109 (8 digits: 07081804).
    #[test]
    fn totp_identity_shows_the_rfc_code_and_its_window() {
        let params = TotpParams::new(Algorithm::Sha1, 8, 30).unwrap();
        let view = identity(IdentityKind::Totp {
            secret: rfc_secret(),
            params,
        })
        .code_at(1_111_111_109)
        .unwrap();
        assert_eq!(view.code, "07081804");
        assert_eq!(view.grouped, "0708 1804");
        assert_eq!(
            (view.valid_from, view.valid_until, view.seconds_left),
            (Some(1_111_111_080), Some(1_111_111_110), Some(1))
        );
        assert_eq!(view.counter, None);
    }

    /// RFC 4226 Appendix D, counter 5: 254676.
    #[test]
    fn hotp_identity_uses_its_stored_counter() {
        let kind = IdentityKind::Hotp {
            secret: rfc_secret(),
            algorithm: Algorithm::Sha1,
            digits: 6,
            counter: 5,
        };
        let view = identity(kind).code_at(0).unwrap();
        assert_eq!(
            (view.code.as_str(), view.counter, view.period),
            ("254676", Some(5), None)
        );
    }

    /// RFC 6287 Appendix C.1, OCRA-1:HOTP-SHA1-6:QN08, question 11111111: 243178.
    #[test]
    fn ocra_identity_answers_challenges_and_shows_no_code() {
        let ocra = OcraChallenge {
            suite: "OCRA-1:HOTP-SHA1-6:QN08".parse().unwrap(),
            counter: 0,
        };
        let id = identity(IdentityKind::Ocra {
            secret: rfc_secret(),
            ocra,
        });
        assert_eq!(id.respond_at("11111111", None, 0).unwrap(), "243178");
        assert_eq!(id.code_at(0).unwrap_err(), IdentityCodeError::ChallengeOnly);
        assert!(id.answers_challenges());
    }

    #[test]
    fn identities_without_a_suite_refuse_challenges() {
        let id = identity(IdentityKind::Steam {
            secret: rfc_secret(),
        });
        let error = id.respond_at("1234", None, 0).unwrap_err();
        assert_eq!(
            error.to_string(),
            "this identity does not answer challenges; type its current security code instead"
        );
        assert_eq!(id.code_at(0).unwrap().code.len(), 5);
    }

    /// The spec's vector secret; the code at 1700000000 was computed with Python's hmac module.
    #[test]
    fn identityguard_identity_shows_sha256_codes_and_hides_its_secret() {
        let ig = IdentityGuardIdentity {
            serial: "48244-13456".parse().unwrap(),
            registration: "12211-49352".parse().unwrap(),
            address: None,
            digits: 6,
            secret: SecretBytes::from_hex("bb9b6d72ae99b006de5e106935ec96da").unwrap(),
            alternate_secret: None,
            policy_included: true,
            ocra: None,
        };
        let id = identity(IdentityKind::IdentityGuard(ig));
        assert_eq!(id.code_at(1_700_000_000).unwrap().code, "586550");
        let summary = format!("{:?}", id.summary());
        assert!(
            summary.contains("48244-13456") && summary.contains("12211-49352"),
            "{summary}"
        );
        assert!(!summary.contains("bb9b6d72"), "{summary}");
        assert!(!format!("{id:?}").contains("bb9b6d72"));
    }
}
