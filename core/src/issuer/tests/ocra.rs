//! OCRA challenges: issuing, answering once, counters and time.

use super::*;
use crate::codes::{OcraInput, ocra};
use crate::issuer::record::{IdentityRecord, PendingChallenge, RecordState, Registered};

fn with_suite(issuer: &Issuer, suite: &str) -> Token {
    let mut new = NewIdentity::new("alice");
    new.ocra = Some(suite.parse().unwrap());
    registered(issuer, &new)
}

/// The token's response, computed from its own secret as `Identity::respond_at` does.
fn respond(
    token: &Token,
    suite: &str,
    question: &str,
    counter: Option<u64>,
    at: Option<u64>,
) -> String {
    let suite: OcraSuite = suite.parse().unwrap();
    let input = OcraInput {
        counter,
        question: question.into(),
        pin: None,
        session: None,
        unix_time: at,
    };
    ocra(&suite, &token.secret, &input).unwrap()
}

#[test]
fn challenges_match_the_suites_format_and_length() {
    let (_dir, issuer) = new_store();
    for (suite, length, allowed) in [
        ("OCRA-1:HOTP-SHA1-6:QN08", 8, "0123456789"),
        (
            "OCRA-1:HOTP-SHA256-8:QA10",
            10,
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        ),
        ("OCRA-1:HOTP-SHA512-8:QH16-T1M", 16, "0123456789ABCDEF"),
        ("OCRA-1:HOTP-SHA1-6:C-QN64", 64, "0123456789"),
    ] {
        let token = with_suite(&issuer, suite);
        let question = issuer.issue_challenge(&token.serial, NOW).unwrap();
        assert_eq!(question.len(), length, "{suite}");
        assert!(question.chars().all(|c| allowed.contains(c)), "{question}");
        let again = issuer.issue_challenge(&token.serial, NOW).unwrap();
        assert_ne!(question, again);
        assert_eq!(issuer.info(&token.serial).unwrap().pending_challenges, 2);
    }
}

#[test]
fn a_response_is_accepted_once_per_challenge() {
    let (_dir, issuer) = new_store();
    let suite = "OCRA-1:HOTP-SHA1-6:QN08";
    let token = with_suite(&issuer, suite);
    let question = issuer.issue_challenge(&token.serial, NOW).unwrap();
    let response = respond(&token, suite, &question, None, None);
    let accepted = issuer
        .verify_response(&token.serial, &question, &response, NOW + 10)
        .unwrap();
    assert_eq!(
        accepted,
        AcceptedResponse {
            counter: None,
            time_step: None
        }
    );
    assert_eq!(issuer.info(&token.serial).unwrap().pending_challenges, 0);
    let error = refused(
        &issuer,
        "challenge refused: it was not issued for this identity, or it was already used; issue a new one",
        |i| i.verify_response(&token.serial, &question, &response, NOW + 20),
    );
    assert_eq!(error.field(), Some(IssuerField::Challenge));
}

#[test]
fn challenges_the_issuer_never_issued_or_that_expired_are_refused() {
    let (_dir, issuer) = new_store();
    let suite = "OCRA-1:HOTP-SHA1-6:QN08";
    let token = with_suite(&issuer, suite);
    let bob = with_suite(&issuer, suite);
    let question = issuer.issue_challenge(&token.serial, NOW).unwrap();
    let response = respond(&token, suite, "12345678", None, None);
    refused(
        &issuer,
        "challenge refused: it was not issued for this identity, or it was already used; issue a new one",
        |i| i.verify_response(&token.serial, "12345678", &response, NOW),
    );
    // Issued for another identity is not issued for this one.
    let bobs = issuer.issue_challenge(&bob.serial, NOW).unwrap();
    refused(
        &issuer,
        "challenge refused: it was not issued for this identity, or it was already used; issue a new one",
        |i| {
            i.verify_response(
                &token.serial,
                &bobs,
                &respond(&token, suite, &bobs, None, None),
                NOW,
            )
        },
    );
    let response = respond(&token, suite, &question, None, None);
    let expiry = NOW + CHALLENGE_LIFETIME_SECONDS;
    refused(
        &issuer,
        "challenge refused: it has expired; issue a new one",
        |i| i.verify_response(&token.serial, &question, &response, expiry + 1),
    );
    // At the last second it still counts.
    issuer
        .verify_response(&token.serial, &question, &response, expiry)
        .unwrap();
}

#[test]
fn a_wrong_response_is_refused_and_the_challenge_stays_answerable() {
    let (_dir, issuer) = new_store();
    let suite = "OCRA-1:HOTP-SHA1-6:QN08";
    let token = with_suite(&issuer, suite);
    let question = issuer.issue_challenge(&token.serial, NOW).unwrap();
    let right = respond(&token, suite, &question, None, None);
    let wrong: String = right
        .chars()
        .map(|c| char::from(b'0' + (c as u8 - b'0' + 3) % 10))
        .collect();
    let error = refused(
        &issuer,
        "response refused: it does not answer this challenge",
        |i| i.verify_response(&token.serial, &question, &wrong, NOW),
    );
    assert_eq!(error.field(), Some(IssuerField::Response));
    refused(&issuer, "the response must be 6 digits", |i| {
        i.verify_response(&token.serial, &question, "12345", NOW)
    });
    refused(&issuer, "the response must be 6 digits", |i| {
        i.verify_response(&token.serial, &question, "12345a", NOW)
    });
    issuer
        .verify_response(&token.serial, &question, &format!(" {right} "), NOW)
        .unwrap();
}

#[test]
fn counter_suites_look_ahead_and_resynchronise() {
    let (_dir, issuer) = new_store();
    let suite = "OCRA-1:HOTP-SHA256-8:C-QN08";
    let token = with_suite(&issuer, suite);
    // The token's first response uses counter 0.
    let q = issuer.issue_challenge(&token.serial, NOW).unwrap();
    let accepted = issuer
        .verify_response(
            &token.serial,
            &q,
            &respond(&token, suite, &q, Some(0), None),
            NOW,
        )
        .unwrap();
    assert_eq!(accepted.counter, Some(0));
    assert_eq!(issuer.info(&token.serial).unwrap().ocra_counter, 1);
    // The token answered 3 challenges the issuer never saw: counter 4 is within the look-ahead.
    let q = issuer.issue_challenge(&token.serial, NOW).unwrap();
    let accepted = issuer
        .verify_response(
            &token.serial,
            &q,
            &respond(&token, suite, &q, Some(4), None),
            NOW,
        )
        .unwrap();
    assert_eq!(accepted.counter, Some(4));
    assert_eq!(issuer.info(&token.serial).unwrap().ocra_counter, 5);
    // A counter already used is behind the issuer's: refused.
    let q = issuer.issue_challenge(&token.serial, NOW).unwrap();
    refused(
        &issuer,
        "response refused: it does not answer this challenge",
        |i| {
            i.verify_response(
                &token.serial,
                &q,
                &respond(&token, suite, &q, Some(4), None),
                NOW,
            )
        },
    );
    // Beyond the look-ahead (5 + 10 is the last counter tried): refused.
    refused(
        &issuer,
        "response refused: it does not answer this challenge",
        |i| {
            i.verify_response(
                &token.serial,
                &q,
                &respond(&token, suite, &q, Some(16), None),
                NOW,
            )
        },
    );
    issuer
        .verify_response(
            &token.serial,
            &q,
            &respond(&token, suite, &q, Some(15), None),
            NOW,
        )
        .unwrap();
    assert_eq!(issuer.info(&token.serial).unwrap().ocra_counter, 16);
}

#[test]
fn time_suites_accept_the_window_of_time_steps() {
    let (_dir, issuer) = new_store();
    let suite = "OCRA-1:HOTP-SHA512-8:QN08-T1M";
    let token = with_suite(&issuer, suite);
    let question = issuer.issue_challenge(&token.serial, NOW).unwrap();
    // The token's clock is 3 minutes behind: outside one step each way.
    let late = respond(&token, suite, &question, None, Some(NOW - 180));
    refused(
        &issuer,
        "response refused: it does not answer this challenge",
        |i| i.verify_response(&token.serial, &question, &late, NOW),
    );
    // One minute behind: accepted.
    let response = respond(&token, suite, &question, None, Some(NOW - 60));
    let accepted = issuer
        .verify_response(&token.serial, &question, &response, NOW)
        .unwrap();
    assert_eq!(accepted.time_step, Some(NOW / 60 - 1));
}

#[test]
fn suites_without_truncation_take_the_whole_hmac_in_hex() {
    let (_dir, issuer) = new_store();
    let suite = "OCRA-1:HOTP-SHA1-0:QH08";
    let token = with_suite(&issuer, suite);
    let question = issuer.issue_challenge(&token.serial, NOW).unwrap();
    let response = respond(&token, suite, &question, None, None);
    assert_eq!(response.len(), 40);
    refused(&issuer, "the response must be 40 hex digits", |i| {
        i.verify_response(&token.serial, &question, &response[..38], NOW)
    });
    // Hex is compared in any case, and so is the hex question.
    issuer
        .verify_response(
            &token.serial,
            &question.to_lowercase(),
            &response.to_uppercase(),
            NOW,
        )
        .unwrap();
}

#[test]
fn at_most_sixteen_challenges_wait_and_expired_ones_are_dropped_when_issuing() {
    let (_dir, issuer) = new_store();
    let suite = "OCRA-1:HOTP-SHA1-6:QN08";
    let token = with_suite(&issuer, suite);
    let first = issuer.issue_challenge(&token.serial, NOW).unwrap();
    for _ in 0..MAX_PENDING_CHALLENGES {
        issuer.issue_challenge(&token.serial, NOW).unwrap();
    }
    assert_eq!(issuer.info(&token.serial).unwrap().pending_challenges, 16);
    refused(
        &issuer,
        "challenge refused: it was not issued for this identity, or it was already used; issue a new one",
        |i| {
            i.verify_response(
                &token.serial,
                &first,
                &respond(&token, suite, &first, None, None),
                NOW,
            )
        },
    );
    let later = NOW + CHALLENGE_LIFETIME_SECONDS + 1;
    issuer.issue_challenge(&token.serial, later).unwrap();
    assert_eq!(issuer.info(&token.serial).unwrap().pending_challenges, 1);
}

#[test]
fn identities_without_a_suite_or_registration_refuse_challenges() {
    let (_dir, issuer) = new_store();
    let plain = registered(&issuer, &NewIdentity::new("alice"));
    let message = format!(
        "the identity {} does not answer challenges (it was created without an OCRA suite)",
        plain.serial
    );
    refused(&issuer, &message, |i| i.issue_challenge(&plain.serial, NOW));
    refused(&issuer, &message, |i| {
        i.verify_response(&plain.serial, "12345678", "123456", NOW)
    });
    let mut new = NewIdentity::new("bob");
    new.ocra = Some("OCRA-1:HOTP-SHA1-6:QN08".parse().unwrap());
    let created = issuer.create(&new).unwrap();
    let message = format!(
        "the identity {} is not registered yet: complete it with the registration code its token shows",
        created.serial
    );
    refused(&issuer, &message, |i| {
        i.issue_challenge(&created.serial.to_string(), NOW)
    });
}

/// RFC 6287 Appendix C.1, OCRA-1:HOTP-SHA1-6:QN08 with the 20-byte key "12345678901234567890":
/// question 00000000 -> 237653 and 11111111 -> 243178 are accepted for pending challenges.
#[test]
fn verification_computes_the_rfc6287_one_way_vectors() {
    let suite: OcraSuite = "OCRA-1:HOTP-SHA1-6:QN08".parse().unwrap();
    let mut record = IdentityRecord {
        serial: "48244-13456".parse().unwrap(),
        name: "rfc".into(),
        digits: 6,
        policy: None,
        address: None,
        ocra: Some(suite.clone()),
        window: None,
        state: RecordState::Registered(Box::new(Registered {
            registration: Some("12211-49352".parse().unwrap()),
            secret: SecretBytes::new(b"12345678901234567890".to_vec()),
            policy_included: false,
            last_step: None,
            drift_steps: 0,
            ocra_counter: 0,
            challenges: ["00000000", "11111111"]
                .map(|q| PendingChallenge {
                    question: q.into(),
                    expires_at: 100,
                })
                .to_vec(),
        })),
    };
    let registered = record.registered_mut().unwrap();
    for (question, response) in [("00000000", "237653"), ("11111111", "243178")] {
        crate::issuer::challenge::verify_response(registered, &suite, 1, question, response, 0)
            .unwrap();
    }
    assert!(registered.challenges.is_empty());
}

/// The issuer never steps a counter past u64::MAX: the response of the last counter before it
/// is accepted, then the identity is refused (before the fix the counter saturated at u64::MAX,
/// so that value was accepted again and again).
#[test]
fn a_counter_never_steps_past_its_largest_value() {
    let suite: OcraSuite = "OCRA-1:HOTP-SHA1-6:C-QN08".parse().unwrap();
    let secret = SecretBytes::new(b"12345678901234567890".to_vec());
    let last = u64::MAX;
    let mut record = IdentityRecord {
        serial: "48244-13456".parse().unwrap(),
        name: "far along".into(),
        digits: 6,
        policy: None,
        address: None,
        ocra: Some(suite.clone()),
        window: None,
        state: RecordState::Registered(Box::new(Registered {
            registration: Some("12211-49352".parse().unwrap()),
            secret: secret.clone(),
            policy_included: false,
            last_step: None,
            drift_steps: 0,
            ocra_counter: last - 1,
            challenges: Vec::new(),
        })),
    };
    let registered = record.registered_mut().unwrap();
    let answer = |counter: u64, question: &str| {
        let input = OcraInput {
            counter: Some(counter),
            question: question.into(),
            pin: None,
            session: None,
            unix_time: None,
        };
        ocra(&suite, &secret, &input).unwrap()
    };
    let question = crate::issuer::challenge::issue(registered, &suite, NOW).unwrap();
    // The token cannot answer with u64::MAX; the issuer does not accept it either.
    let error = crate::issuer::challenge::verify_response(
        registered,
        &suite,
        1,
        &question,
        &answer(last, &question),
        NOW,
    )
    .unwrap_err();
    assert!(matches!(error, IssuerError::ResponseRefused), "{error:?}");
    assert_eq!(registered.ocra_counter, last - 1);
    let accepted = crate::issuer::challenge::verify_response(
        registered,
        &suite,
        1,
        &question,
        &answer(last - 1, &question),
        NOW,
    )
    .unwrap();
    assert_eq!(accepted.counter, Some(last - 1));
    assert_eq!(registered.ocra_counter, last);

    let expected = "this identity's challenge counter has reached its largest value: give it new activation data";
    let error = crate::issuer::challenge::issue(registered, &suite, NOW).unwrap_err();
    assert_eq!(error.to_string(), expected);
    assert_eq!(error.field(), Some(IssuerField::SerialNumber));
    registered.challenges.push(PendingChallenge {
        question: "12345678".into(),
        expires_at: NOW + 100,
    });
    let error = crate::issuer::challenge::verify_response(
        registered,
        &suite,
        1,
        "12345678",
        &answer(last, "12345678"),
        NOW,
    )
    .unwrap_err();
    assert_eq!(error.to_string(), expected);
    assert_eq!(registered.ocra_counter, last);
    assert_eq!(registered.challenges.len(), 1);
}
