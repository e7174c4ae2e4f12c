//! OCRA challenge-response (RFC 6287) on the issuer's side: issuing random challenges that are
//! answered once, and checking responses with the counter and time the suite names.
//!
//! - A challenge is a random question in the suite's format and full length (`QN08`: 8 digits;
//!   `QA10`: 10 of `0-9A-Z`; `QH16`: 16 of `0-9A-F`), kept pending for
//!   [`CHALLENGE_LIFETIME_SECONDS`](super::CHALLENGE_LIFETIME_SECONDS) and answered at most once.
//! - Counter suites (`C`): the token counts its responses from 0. The issuer tries its expected
//!   counter and the next [`OCRA_COUNTER_LOOKAHEAD`](super::OCRA_COUNTER_LOOKAHEAD) (responses the
//!   issuer never saw, such as ones made for a mistyped challenge), and resynchronises to the one
//!   that matched. The last counter value (`u64::MAX`) is never accepted, as the token never
//!   answers with it: nothing would be left to step to, and wrapping to 0 would make old
//!   responses valid again. An identity whose counter got there is refused with its own message.
//! - Time suites (`T`): the time steps of the identity's window around the issuer's clock.
//!
//! Every candidate is computed and compared in constant time, with no early exit.

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::record::{PendingChallenge, Registered};
use super::verify::steps_around;
use super::{
    AcceptedResponse, CHALLENGE_LIFETIME_SECONDS, IssuerError, MAX_PENDING_CHALLENGES,
    OCRA_COUNTER_LOOKAHEAD,
};
use crate::codes::{Algorithm, OcraInput, OcraSuite, QuestionFormat, ocra};
use crate::random::make_random_text;

/// The characters a random question is drawn from. Alphanumeric questions use digits and
/// capitals only, so a person can read them out and type them without case mistakes.
fn alphabet(format: QuestionFormat) -> &'static str {
    match format {
        QuestionFormat::Numeric => "0123456789",
        QuestionFormat::Alphanumeric => "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        QuestionFormat::Hex => "0123456789ABCDEF",
    }
}

/// Adds a fresh challenge to `registered` at time `at` and returns it. Expired challenges are
/// dropped first; when [`MAX_PENDING_CHALLENGES`] are still pending, the oldest goes.
pub(super) fn issue(
    registered: &mut Registered,
    suite: &OcraSuite,
    at: u64,
) -> Result<String, IssuerError> {
    check_counter_left(registered, suite)?;
    registered.challenges.retain(|c| c.expires_at >= at);
    let question = loop {
        let candidate = make_random_text(
            usize::from(suite.question_length()),
            alphabet(suite.question_format()),
        )?;
        // Two pending challenges must differ, or answering one would use up the other.
        if !registered
            .challenges
            .iter()
            .any(|c| c.question == candidate.as_str())
        {
            break candidate.as_str().to_owned();
        }
    };
    if registered.challenges.len() >= MAX_PENDING_CHALLENGES {
        registered.challenges.remove(0);
    }
    registered.challenges.push(PendingChallenge {
        question: question.clone(),
        expires_at: at.saturating_add(CHALLENGE_LIFETIME_SECONDS),
    });
    Ok(question)
}

/// Refuses a counter suite whose counter cannot step past the next response: the token refuses
/// to make it, and accepting it would leave nothing to step to.
fn check_counter_left(registered: &Registered, suite: &OcraSuite) -> Result<(), IssuerError> {
    if suite.uses_counter() && registered.ocra_counter == u64::MAX {
        return Err(IssuerError::OcraCounterExhausted);
    }
    Ok(())
}

/// What a response looks like for `suite`: its digits, or for a suite without truncation the
/// whole HMAC in hex.
fn response_shape(suite: &OcraSuite) -> (usize, bool) {
    match suite.digits() {
        0 => {
            let bytes = match suite.algorithm() {
                Algorithm::Sha1 => 20,
                Algorithm::Sha256 => 32,
                Algorithm::Sha512 => 64,
            };
            (2 * bytes, true)
        }
        digits => (usize::from(digits), false),
    }
}

/// The typed response without spaces and dashes (hex in lower case), checked for shape.
fn clean_response(suite: &OcraSuite, typed: &str) -> Result<Zeroizing<String>, IssuerError> {
    let (length, hex) = response_shape(suite);
    let cleaned: Zeroizing<String> = Zeroizing::new(
        typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect(),
    );
    let allowed = |c: char| {
        if hex {
            c.is_ascii_hexdigit()
        } else {
            c.is_ascii_digit()
        }
    };
    if cleaned.chars().count() != length || !cleaned.chars().all(allowed) {
        return Err(IssuerError::ResponseFormat {
            expected: if hex {
                format!("{length} hex digits")
            } else {
                format!("{length} digits")
            },
        });
    }
    Ok(cleaned)
}

/// Checks `response` to `challenge` at time `at`. On success the challenge is used up and the
/// counter resynchronised in `registered`; on refusal `registered` is left untouched.
pub(super) fn verify_response(
    registered: &mut Registered,
    suite: &OcraSuite,
    window: u8,
    challenge: &str,
    response: &str,
    at: u64,
) -> Result<AcceptedResponse, IssuerError> {
    let response = clean_response(suite, response)?;
    check_counter_left(registered, suite)?;
    let question = challenge.trim();
    let same = |pending: &PendingChallenge| match suite.question_format() {
        QuestionFormat::Hex => pending.question.eq_ignore_ascii_case(question),
        _ => pending.question == question,
    };
    let index = registered
        .challenges
        .iter()
        .position(same)
        .ok_or(IssuerError::ChallengeUnknown)?;
    let pending = &registered.challenges[index];
    if at > pending.expires_at {
        return Err(IssuerError::ChallengeExpired);
    }

    // Only counters with a successor to save: the token never answers with the last one.
    let counters: Vec<Option<u64>> = if suite.uses_counter() {
        (0..=OCRA_COUNTER_LOOKAHEAD)
            .filter_map(|ahead| registered.ocra_counter.checked_add(ahead))
            .filter(|&counter| counter < u64::MAX)
            .map(Some)
            .collect()
    } else {
        vec![None]
    };
    let times: Vec<Option<(u64, u64)>> = match suite.time_step_seconds() {
        Some(step_seconds) => {
            let step_seconds = step_seconds.max(1);
            steps_around(i128::from(at / step_seconds), window)
                .into_iter()
                .filter_map(|step| step.checked_mul(step_seconds).map(|t| Some((step, t))))
                .collect()
        }
        None => vec![None],
    };

    let mut accepted: Option<AcceptedResponse> = None;
    for &counter in &counters {
        for &time in &times {
            let input = OcraInput {
                counter,
                question: pending.question.clone(),
                pin: None,
                session: None,
                unix_time: time.map(|(_, t)| t),
            };
            let expected =
                Zeroizing::new(ocra(suite, &registered.secret, &input).map_err(|_| {
                    IssuerError::Internal {
                        reason: "an issued challenge or the stored suite was refused",
                    }
                })?);
            let matches = bool::from(expected.as_bytes().ct_eq(response.as_bytes()));
            if matches && accepted.is_none() {
                accepted = Some(AcceptedResponse {
                    counter,
                    time_step: time.map(|(step, _)| step),
                });
            }
        }
    }
    let accepted = accepted.ok_or(IssuerError::ResponseRefused)?;
    let next_counter = accepted
        .counter
        .map(|counter| {
            counter
                .checked_add(1)
                .ok_or(IssuerError::OcraCounterExhausted)
        })
        .transpose()?;
    registered.challenges.remove(index);
    if let Some(next) = next_counter {
        registered.ocra_counter = next;
    }
    Ok(accepted)
}
