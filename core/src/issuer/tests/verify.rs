//! Verifying security codes: the window, replay, drift and their refusals.

use super::*;
use crate::issuer::record::{IdentityRecord, RecordState, Registered};

const STEP: u64 = 30;

fn alice(issuer: &Issuer) -> Token {
    registered(issuer, &NewIdentity::new("alice"))
}

#[test]
fn the_current_code_is_accepted_once() {
    let (_dir, issuer) = new_store();
    let token = alice(&issuer);
    let accepted = issuer
        .verify(&token.serial, &token.code_at(NOW), NOW)
        .unwrap();
    assert_eq!(
        accepted,
        Accepted {
            step: NOW / STEP,
            drift_steps: 0
        }
    );
    // Typed with a space, as the token shows it, later in the same step: a replay.
    let code = token.code_at(NOW);
    let grouped = format!("{} {}", &code[..3], &code[3..]);
    let error = refused(&issuer, "code refused: already used", |i| {
        i.verify(&token.serial, &grouped, NOW + 5)
    });
    assert_eq!(error.field(), Some(IssuerField::Code));
    // The next step's code is fresh.
    issuer
        .verify(&token.serial, &token.code_at(NOW + STEP), NOW + STEP)
        .unwrap();
    // An earlier step, still inside the window, is never accepted after a later one.
    refused(&issuer, "code refused: already used", |i| {
        i.verify(&token.serial, &token.code_at(NOW), NOW + STEP)
    });
}

#[test]
fn eight_digit_identities_verify_eight_digit_codes() {
    let (_dir, issuer) = new_store();
    let mut new = NewIdentity::new("alice");
    new.digits = 8;
    let token = registered(&issuer, &new);
    let code = token.code_at(NOW);
    assert_eq!(code.len(), 8);
    refused(&issuer, "the code must have 8 digits, not 6", |i| {
        i.verify(&token.serial, &code[..6], NOW)
    });
    issuer.verify(&token.serial, &code, NOW).unwrap();
}

#[test]
fn the_default_window_is_one_step_each_way() {
    let (_dir, issuer) = new_store();
    let token = alice(&issuer);
    for offset in [2i64, -2, 5, -20] {
        let at = NOW.checked_add_signed(offset * STEP as i64).unwrap();
        refused(&issuer, "code refused: not valid at this time", |i| {
            i.verify(&token.serial, &token.code_at(at), NOW)
        });
    }
    // One step behind is accepted and remembered as drift.
    let accepted = issuer
        .verify(&token.serial, &token.code_at(NOW - STEP), NOW)
        .unwrap();
    assert_eq!(accepted.drift_steps, -1);
    assert_eq!(issuer.info(&token.serial).unwrap().drift_steps, -1);
}

#[test]
fn a_window_of_zero_accepts_only_the_current_step() {
    let (_dir, issuer) = new_store();
    let mut new = NewIdentity::new("alice");
    new.window = Some(0);
    let token = registered(&issuer, &new);
    assert_eq!(issuer.info(&token.serial).unwrap().window, 0);
    refused(&issuer, "code refused: not valid at this time", |i| {
        i.verify(&token.serial, &token.code_at(NOW + STEP), NOW)
    });
    issuer
        .verify(&token.serial, &token.code_at(NOW), NOW)
        .unwrap();
}

#[test]
fn wrong_codes_and_malformed_codes_are_refused() {
    let (_dir, issuer) = new_store();
    let token = alice(&issuer);
    let good = token.code_at(NOW);
    let wrong: String = good
        .chars()
        .map(|c| char::from(b'0' + (c as u8 - b'0' + 1) % 10))
        .collect();
    refused(&issuer, "code refused: not valid at this time", |i| {
        i.verify(&token.serial, &wrong, NOW)
    });
    refused(&issuer, "the code must have 6 digits, not 7", |i| {
        i.verify(&token.serial, &format!("{good}1"), NOW)
    });
    refused(
        &issuer,
        "the code may contain only digits (spaces and dashes are ignored)",
        |i| i.verify(&token.serial, "12345x", NOW),
    );
    refused(&issuer, "the code must have 6 digits, not 0", |i| {
        i.verify(&token.serial, "", NOW)
    });
    issuer.verify(&token.serial, &good, NOW).unwrap();
}

#[test]
fn drift_is_learned_and_the_window_follows_the_token() {
    let (_dir, issuer) = new_store();
    let token = alice(&issuer);
    // The token runs 3 steps (90 s) fast. A wider window lets the first code through...
    issuer.set_window(&token.serial, Some(3)).unwrap();
    let ahead = |at: u64| at + 3 * STEP;
    let accepted = issuer
        .verify(&token.serial, &token.code_at(ahead(NOW)), NOW)
        .unwrap();
    assert_eq!(accepted.drift_steps, 3);
    // ...and back at the default window, the next codes are found around now + 3 steps.
    issuer.set_window(&token.serial, None).unwrap();
    assert_eq!(issuer.info(&token.serial).unwrap().window, 1);
    let later = NOW + 10 * STEP;
    let accepted = issuer
        .verify(&token.serial, &token.code_at(ahead(later)), later)
        .unwrap();
    assert_eq!(
        accepted,
        Accepted {
            step: later / STEP + 3,
            drift_steps: 3
        }
    );
    // A code from a token on time is now outside the shifted window.
    let even_later = later + 5 * STEP;
    refused(&issuer, "code refused: not valid at this time", |i| {
        i.verify(&token.serial, &token.code_at(even_later), even_later)
    });
}

#[test]
fn remembered_drift_is_bounded() {
    let (_dir, issuer) = new_store();
    let token = alice(&issuer);
    issuer.set_window(&token.serial, Some(10)).unwrap();
    let mut at = NOW;
    // Each accepted code is 10 steps further ahead than the issuer's clock plus the drift.
    for (offset, remembered) in [(10u64, 10i64), (20, 10), (20, 10)] {
        at += 100 * STEP;
        let accepted = issuer
            .verify(&token.serial, &token.code_at(at + offset * STEP), at)
            .unwrap();
        assert_eq!(accepted.drift_steps, offset as i64);
        assert_eq!(issuer.info(&token.serial).unwrap().drift_steps, remembered);
    }
    // 21 steps ahead is beyond drift (10) plus window (10): never accepted.
    at += 100 * STEP;
    refused(&issuer, "code refused: not valid at this time", |i| {
        i.verify(&token.serial, &token.code_at(at + 21 * STEP), at)
    });
}

#[test]
fn windows_wider_than_ten_steps_are_refused() {
    let (_dir, issuer) = new_store();
    let token = alice(&issuer);
    let error = refused(
        &issuer,
        "the verification window must be 0 to 10 steps each way, not 11",
        |i| i.set_window(&token.serial, Some(11)),
    );
    assert_eq!(error.field(), Some(IssuerField::Window));
    issuer.set_window(&token.serial, Some(10)).unwrap();
    let too_wide = IssuerOptions {
        window: 11,
        ..options()
    };
    let error = Issuer::open_with(issuer.dir(), PASSPHRASE, &too_wide).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the verification window must be 0 to 10 steps each way, not 11"
    );
    // An issuer-wide window applies to identities without their own.
    let four = IssuerOptions {
        window: 4,
        ..options()
    };
    let wide = Issuer::open_with(issuer.dir(), PASSPHRASE, &four).unwrap();
    let bob = registered(&wide, &NewIdentity::new("bob"));
    assert_eq!(wide.info(&bob.serial).unwrap().window, 4);
    wide.verify(&bob.serial, &bob.code_at(NOW + 4 * STEP), NOW)
        .unwrap();
}

#[test]
fn an_identity_not_yet_registered_refuses_codes_clearly() {
    let (_dir, issuer) = new_store();
    let created = issuer.create(&NewIdentity::new("alice")).unwrap();
    let message = format!(
        "the identity {} is not registered yet: complete it with the registration code its token shows",
        created.serial
    );
    let error = refused(&issuer, &message, |i| {
        i.verify(&created.serial.to_string(), "123456", NOW)
    });
    assert_eq!(error.field(), Some(IssuerField::SerialNumber));
}

#[test]
fn the_early_epoch_and_the_far_future_do_not_break_the_window() {
    let (_dir, issuer) = new_store();
    let token = alice(&issuer);
    issuer.verify(&token.serial, &token.code_at(0), 0).unwrap();
    let far = u64::MAX - 10;
    refused(&issuer, "code refused: not valid at this time", |i| {
        i.verify(&token.serial, "000000", far)
    });
}

/// RFC 6238 Appendix B, SHA-256 row at T = 59 (8 digits: 46119246) with its 32-byte seed: the
/// issuer's verification computes standard TOTP-SHA256.
#[test]
fn verification_computes_the_rfc6238_sha256_vector() {
    let mut record = IdentityRecord {
        serial: "48244-13456".parse().unwrap(),
        name: "rfc".into(),
        digits: 8,
        policy: None,
        address: None,
        ocra: None,
        window: Some(0),
        state: RecordState::Registered(Box::new(Registered {
            registration: Some("12211-49352".parse().unwrap()),
            secret: SecretBytes::new(b"12345678901234567890123456789012".to_vec()),
            policy_included: false,
            last_step: None,
            drift_steps: 0,
            ocra_counter: 0,
            challenges: Vec::new(),
        })),
    };
    let registered = record.registered_mut().unwrap();
    let accepted = crate::issuer::verify::verify_code(registered, 8, 0, "46119246", 59).unwrap();
    assert_eq!(accepted.step, 1);
    assert_eq!(registered.last_step, Some(1));
    // 1111111109 -> 68084774 in the same table.
    let accepted =
        crate::issuer::verify::verify_code(registered, 8, 0, "68084774", 1_111_111_109).unwrap();
    assert_eq!(accepted.step, 1_111_111_109 / 30);
}
