//! Codes a session gives for otpauth:// identities added to an existing token, against RFC 4226
//! and RFC 6238 vectors and codes recorded from the Steam app; HOTP counters saved before a
//! code is shown; the clock correction; OCRA challenges of an activated identity.

mod common;

use common::*;
use tessera_core::SecretBytes;
use tessera_core::backup::{BackupContents, BackupIdentity};
use tessera_core::codes::{OcraInput, OcraSuite, ocra};
use tessera_core::flow::{ActivationInput, AddIdentityFlow, FlowStep};
use tessera_core::identity::{IdentityKind, IdentityKindLabel, OcraChallenge};
use tessera_core::session::SessionError;

#[test]
fn otpauth_links_on_an_unlocked_token_go_straight_to_done() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, HOTP_LINK);
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let state = flow.enter_link(STEAM_LINK).unwrap();
    let FlowStep::Done { identity, .. } = &state else {
        panic!("{state:?}");
    };
    assert_eq!(identity.kind, IdentityKindLabel::Steam);
    assert_eq!(
        (identity.name.as_str(), identity.issuer.as_deref()),
        ("gaben", Some("Steam"))
    );
    assert_eq!((identity.digits, identity.period), (Some(5), Some(30)));
    assert_eq!(flow.step(), state);
    assert_eq!(session.identities().unwrap().len(), 2);
}

#[test]
fn hotp_codes_follow_rfc_4226_and_the_counter_survives_a_new_session() {
    let dir = folder();
    let session = session(dir.path());
    let identity = new_token_with_link(&session, HOTP_LINK);
    assert_eq!(identity.kind, IdentityKindLabel::Hotp);
    assert_eq!((identity.digits, identity.period), (Some(6), None));
    let rfc = rfc4226_codes();
    for (counter, expected) in &rfc[..3] {
        let view = session.code(&identity.id).unwrap();
        assert_eq!(view.code, *expected, "counter {counter}");
        assert_eq!(view.counter, Some(*counter));
        assert_eq!(
            (view.period, view.valid_from, view.seconds_left),
            (None, None, None)
        );
    }
    drop(session);

    let session = common::session(dir.path());
    session.unlock(PIN).unwrap();
    let view = session.code(&identity.id).unwrap();
    assert_eq!(
        (view.counter, view.code.as_str()),
        (Some(3), rfc[3].1.as_str())
    );
    // code_at advances a counter too: a counter-based code does not depend on time.
    let view = session.code_at(&identity.id, 0).unwrap();
    assert_eq!(
        (view.counter, view.code.as_str()),
        (Some(4), rfc[4].1.as_str())
    );
    session.lock();
    session.unlock(PIN).unwrap();
    assert_eq!(session.code(&identity.id).unwrap().code, rfc[5].1);
}

#[test]
fn hotp_links_start_at_their_counter() {
    let dir = folder();
    let session = session(dir.path());
    let identity = new_token_with_link(&session, &HOTP_LINK.replace("counter=0", "counter=7"));
    let rfc = rfc4226_codes();
    assert_eq!(session.code(&identity.id).unwrap().code, rfc[7].1);
    assert_eq!(session.code(&identity.id).unwrap().code, rfc[8].1);
}

/// RFC 4226 section 5.3 computed here with the HMAC crate, independently of the code under
/// test: 6 digits of the dynamically truncated HMAC-SHA1 of the 8-byte big-endian counter.
fn rfc4226_by_hand(secret: &[u8], counter: u64) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(secret).unwrap();
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[19] & 0x0f);
    let binary = u32::from_be_bytes(hash[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!("{:06}", binary % 1_000_000)
}

#[test]
fn a_hotp_counter_never_steps_past_its_largest_value() {
    let dir = folder();
    let session = session(dir.path());
    let last = u64::MAX;
    let link = HOTP_LINK.replace("counter=0", &format!("counter={}", last - 1));
    let identity = new_token_with_link(&session, &link);
    let secret = b"12345678901234567890";
    assert_eq!(
        rfc4226_by_hand(secret, 0),
        rfc4226_codes()[0].1,
        "the helper follows RFC 4226"
    );

    let view = session.code(&identity.id).unwrap();
    assert_eq!(view.counter, Some(last - 1));
    assert_eq!(view.code, rfc4226_by_hand(secret, last - 1));

    // The code of u64::MAX would need the counter past it saved first: refused, not wrapped.
    let refused = session.code(&identity.id).unwrap_err();
    assert!(
        matches!(refused, SessionError::CounterExhausted { .. }),
        "{refused:?}"
    );
    assert_eq!(
        refused.to_string(),
        "\"counter\" has used up its counter, so it cannot make another code: add it again with a new secret"
    );
    assert!(session.code_at(&identity.id, T).is_err());
    let export = session
        .export(tessera_core::transfer::export::LinkFormat::Otpauth, PIN)
        .unwrap();
    assert!(
        export.links[0].contains(&format!("counter={last}")),
        "the saved counter is the largest value, not 0"
    );
    drop(session);

    let session = common::session(dir.path());
    session.unlock(PIN).unwrap();
    assert!(matches!(
        session.code(&identity.id),
        Err(SessionError::CounterExhausted { .. })
    ));

    // A link that starts at the largest value has no code to give at all.
    let fresh = add_link(
        &session,
        &format!("otpauth://hotp/Example:last?secret=JBSWY3DPEHPK3PXP&counter={last}"),
    );
    assert!(matches!(
        session.code(&fresh.id),
        Err(SessionError::CounterExhausted { .. })
    ));
}

#[test]
fn an_ocra_counter_never_steps_past_its_largest_value() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, STEAM_LINK);
    let suite: OcraSuite = "OCRA-1:HOTP-SHA1-6:C-QN08".parse().unwrap();
    let secret = SecretBytes::new(b"12345678901234567890".to_vec());
    let last = u64::MAX;
    // Only a restored backup can carry a counter this far along.
    let backup = BackupContents {
        created_at: T,
        identities: vec![BackupIdentity {
            name: "challenges".into(),
            issuer: None,
            kind: IdentityKind::Ocra {
                secret: secret.clone(),
                ocra: OcraChallenge {
                    suite: suite.clone(),
                    counter: last - 1,
                },
            },
        }],
        skipped: Vec::new(),
    };
    session.import(backup.into_import_report()).unwrap();
    let id = session.find("challenges").unwrap().id;

    let input = OcraInput::from_text(Some(last - 1), "12345678", None, None, None, None).unwrap();
    assert_eq!(
        session.challenge(&id, "12345678", None).unwrap(),
        ocra(&suite, &secret, &input).unwrap()
    );
    let refused = session.challenge(&id, "12345678", None).unwrap_err();
    assert!(
        matches!(refused, SessionError::CounterExhausted { .. }),
        "{refused:?}"
    );
    drop(session);
    let session = common::session(dir.path());
    session.unlock(PIN).unwrap();
    assert!(matches!(
        session.challenge(&id, "87654321", None),
        Err(SessionError::CounterExhausted { .. })
    ));
}

#[test]
fn totp_codes_follow_rfc_6238_for_every_hash() {
    let dir = folder();
    let session = session(dir.path());
    let mut first = true;
    for algorithm in ["SHA1", "SHA256", "SHA512"] {
        let rows = rfc6238_rows(algorithm);
        assert_eq!(rows.len(), 6, "{algorithm}");
        let link = rfc6238_link(&algorithm.to_lowercase(), algorithm, &rows[0].0);
        let identity = if first {
            first = false;
            new_token_with_link(&session, &link)
        } else {
            add_link(&session, &link)
        };
        assert_eq!(identity.kind, IdentityKindLabel::Totp);
        assert_eq!((identity.digits, identity.period), (Some(8), Some(30)));
        for (_, time, expected) in &rows {
            let view = session.code_at(&identity.id, *time).unwrap();
            assert_eq!(view.code, *expected, "{algorithm} at {time}");
            let valid_from = time - time % 30;
            assert_eq!(
                (view.valid_from, view.valid_until, view.seconds_left),
                (
                    Some(valid_from),
                    Some(valid_from + 30),
                    Some((valid_from + 30 - time) as u32)
                ),
                "{algorithm} at {time}"
            );
            assert_eq!(view.counter, None);
        }
    }
    assert_eq!(session.identities().unwrap().len(), 3);
}

#[test]
fn steam_codes_match_the_steam_app() {
    let dir = folder();
    let session = session_at(dir.path(), 1_511_200_518);
    let identity = new_token_with_link(&session, STEAM_LINK);
    let view = session.code(&identity.id).unwrap();
    assert_eq!((view.code.as_str(), view.period), ("FR8RV", Some(30)));
    assert_eq!(
        session.code_at(&identity.id, 1_511_200_714).unwrap().code,
        "9P3VP"
    );
}

#[test]
fn the_time_offset_moves_codes_and_is_bounded() {
    let dir = folder();
    let session = session(dir.path());
    // The SHA256 seed: the SHA1 one is the HOTP identity's secret, and would be a duplicate.
    let rows = rfc6238_rows("SHA256");
    let identity = new_token_with_link(&session, &rfc6238_link("a", "SHA256", &rows[0].0));
    let hotp = add_link(&session, HOTP_LINK);
    let at = |t: u64| session.code_at(&identity.id, t).unwrap();

    assert_eq!(session.code(&identity.id).unwrap(), at(T));
    for offset in [90_i64, -90, 86_400, -86_400, 0] {
        session.set_time_offset(offset).unwrap();
        assert_eq!(session.settings().unwrap().time_offset_seconds, offset);
        let expected = at(T.checked_add_signed(offset).unwrap());
        assert_eq!(session.code(&identity.id).unwrap(), expected, "{offset}");
        // code_at ignores the offset.
        assert_eq!(at(T).code, session.code_at(&identity.id, T).unwrap().code);
    }
    session.set_time_offset(-45).unwrap();
    assert_ne!(at(T - 45).code, at(T).code, "the offset must cross a step");

    for offset in [86_401_i64, -86_401, i64::MAX, i64::MIN] {
        let error = session.set_time_offset(offset).unwrap_err();
        assert!(
            matches!(error, SessionError::TimeOffsetOutOfRange { found, max: 86_400 } if found == offset),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("the time offset must be between -86400 and 86400 seconds, not {offset}")
        );
    }
    assert_eq!(session.settings().unwrap().time_offset_seconds, -45);
    // Saved with the token.
    session.lock();
    session.unlock(PIN).unwrap();
    assert_eq!(session.code(&identity.id).unwrap(), at(T - 45));
    // Counter-based codes ignore it.
    assert_eq!(session.code(&hotp.id).unwrap().code, rfc4226_codes()[0].1);
}

#[test]
fn activated_identities_answer_ocra_challenges_with_their_secret() {
    let dir = folder();
    let session = session(dir.path());
    let issuer = IgIssuer::spec();
    let suite_text = "OCRA-1:HOTP-SHA256-8:C-QN08";
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let input = ActivationInput {
        ocra_suite: Some(format!(" {suite_text} ")),
        ..issuer.input(None)
    };
    flow.enter_activation(&input).unwrap();
    flow.set_pin(PIN).unwrap();
    let registration = shown_registration(&flow.confirm_pin(PIN).unwrap());
    let identity = done(flow.finish().unwrap());
    assert!(identity.answers_challenges);

    let suite: OcraSuite = suite_text.parse().unwrap();
    let secret = issuer.secret(&registration, false);
    let expected = |counter: u64, question: &str| {
        let input = OcraInput::from_text(Some(counter), question, None, None, None, None).unwrap();
        ocra(&suite, &secret, &input).unwrap()
    };
    assert_eq!(
        session.challenge(&identity.id, "12345678", None).unwrap(),
        expected(0, "12345678")
    );
    assert_eq!(
        session.challenge(&identity.id, "12345678", None).unwrap(),
        expected(1, "12345678")
    );
    session.lock();
    session.unlock(PIN).unwrap();
    assert_eq!(
        session.challenge(&identity.id, "87654321", None).unwrap(),
        expected(2, "87654321")
    );
    // It still shows time-based codes.
    assert_eq!(
        session.code(&identity.id).unwrap().code,
        issuer.code(&registration, false, T)
    );
    // Identities without a suite say so.
    let hotp = add_link(&session, HOTP_LINK);
    let error = session.challenge(&hotp.id, "12345678", None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "this identity does not answer challenges; type its current security code instead"
    );
}
