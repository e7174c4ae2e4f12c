//! The record operations and the sealed form used directly, with no folder store: what the
//! server does inside a database transaction.

use super::*;

/// A created identity's record and its token, made without any store.
fn created_record() -> (IdentityRecord, Token) {
    let checked = check_new(&NewIdentity::new("alice")).unwrap();
    let (record, created) = make_identity(checked, make_serial_number().unwrap()).unwrap();
    assert_eq!(record.serial(), &created.serial);
    assert_eq!(record.name(), "alice");
    (record, Token::activate(&created, 6))
}

fn registered_record() -> (IdentityRecord, Token) {
    let (record, token) = created_record();
    let registration = check_registration(record.serial(), &token.registration()).unwrap();
    let outcome = record.complete(&registration).unwrap();
    assert!(outcome.changed);
    assert_eq!(
        outcome.value,
        Completion::Registered {
            policy_included: false
        }
    );
    (outcome.record, token)
}

#[test]
fn a_record_goes_from_creation_to_an_accepted_code_and_refuses_its_replay() {
    let (record, token) = registered_record();
    assert!(record.info(1).registered);
    let outcome = record.verify(&token.code_at(NOW), NOW, 1).unwrap();
    assert!(outcome.changed);
    assert_eq!(outcome.value.step, NOW / 30);
    assert_eq!(outcome.record.info(1).last_step, Some(NOW / 30));
    let replay = outcome.record.verify(&token.code_at(NOW), NOW + 5, 1);
    assert_eq!(
        replay.unwrap_err().to_string(),
        "code refused: already used"
    );
}

#[test]
fn completing_twice_with_the_same_code_changes_nothing() {
    let (record, token) = registered_record();
    let registration = check_registration(record.serial(), &token.registration()).unwrap();
    let again = record.complete(&registration).unwrap();
    assert_eq!(again.value, Completion::AlreadyRegistered);
    assert!(!again.changed);
}

#[test]
fn a_registration_checked_for_another_serial_is_refused() {
    let (record, _) = created_record();
    let (other, other_token) = created_record();
    let registration = check_registration(other.serial(), &other_token.registration()).unwrap();
    let error = record.complete(&registration).unwrap_err();
    assert!(matches!(error, IssuerError::Internal { .. }), "{error}");
}

#[test]
fn setting_the_same_window_is_no_change_and_a_too_wide_one_is_refused() {
    let (record, _) = created_record();
    let outcome = record.set_window(None).unwrap();
    assert!(!outcome.changed);
    let outcome = outcome.record.set_window(Some(3)).unwrap();
    assert!(outcome.changed);
    assert_eq!(outcome.record.info(1).window, 3);
    assert_eq!(
        outcome.record.set_window(Some(11)).unwrap_err().to_string(),
        "the verification window must be 0 to 10 steps each way, not 11"
    );
}

#[test]
fn sealed_records_open_only_under_their_key_and_serial() {
    let (record, token) = registered_record();
    let key = RecordKey::make().unwrap();
    let sealed = seal_record(&key, &record).unwrap();
    let opened = open_record(&key, record.serial(), &sealed).unwrap();
    assert_eq!(opened.info(1), record.info(1));
    // The opened record still holds the secret: it accepts the token's code.
    assert!(opened.verify(&token.code_at(NOW), NOW, 1).unwrap().changed);

    let damaged = |result: Result<IdentityRecord, IssuerError>| {
        matches!(result, Err(IssuerError::RecordDamaged { .. }))
    };
    let other_key = RecordKey::make().unwrap();
    assert!(damaged(open_record(&other_key, record.serial(), &sealed)));
    let other_serial = make_serial_number().unwrap();
    assert!(damaged(open_record(&key, &other_serial, &sealed)));
    let mut flipped = sealed.clone();
    let last_hex = flipped.len() - 4;
    flipped[last_hex] = if flipped[last_hex] == b'0' {
        b'1'
    } else {
        b'0'
    };
    assert!(damaged(open_record(&key, record.serial(), &flipped)));
    assert!(damaged(open_record(&key, record.serial(), b"not json")));
}

#[test]
fn a_record_key_shows_nothing_in_debug() {
    let key = RecordKey::from_bytes(zeroize::Zeroizing::new([7u8; 32]));
    assert_eq!(format!("{key:?}"), "RecordKey(..)");
    assert_eq!(key.as_bytes(), &[7u8; 32]);
}

#[test]
fn reset_codes_are_checked_before_any_record_is_read() {
    assert_eq!(
        check_reset_code("12345678").err().map(|e| e.to_string()),
        Some("the PIN reset code must have 9 digits (spaces and dashes are ignored)".into())
    );
    let (record, _) = created_record();
    let reset = check_reset_code("123-456-789").unwrap();
    assert!(matches!(
        record.unlock_code(&reset),
        Err(IssuerError::NotRegistered { .. })
    ));
}

/// RFC 4226 section 7.4: beyond the window, two consecutive codes resynchronise.
#[test]
fn two_consecutive_codes_beyond_the_window_resynchronise_the_token() {
    let (record, token) = registered_record();
    let behind = NOW - 6 * 30;
    let one = record.clone().verify(&token.code_at(behind), NOW, 1);
    assert_eq!(
        one.unwrap_err().to_string(),
        "code refused: not valid at this time"
    );
    let outcome = record
        .resync(&token.code_at(behind), &token.code_at(behind + 30), NOW, 10)
        .unwrap();
    assert!(outcome.changed);
    assert_eq!(outcome.value.step, NOW / 30 - 5);
    assert_eq!(outcome.value.drift_steps, -5);
    let info = outcome.record.info(1);
    assert_eq!(info.drift_steps, -5);
    // The next code, from the token's clock, verifies in the normal window now.
    let next = outcome
        .record
        .verify(&token.code_at(behind + 60), NOW, 1)
        .unwrap();
    assert_eq!(next.value.drift_steps, -4);
}

#[test]
fn resync_refuses_codes_out_of_order_out_of_range_or_used() {
    let (record, token) = registered_record();
    let behind = NOW - 6 * 30;
    let swapped =
        record
            .clone()
            .resync(&token.code_at(behind + 30), &token.code_at(behind), NOW, 10);
    assert!(matches!(swapped, Err(IssuerError::CodeNotValidNow)));
    let gap = record
        .clone()
        .resync(&token.code_at(behind), &token.code_at(behind + 60), NOW, 10);
    assert!(matches!(gap, Err(IssuerError::CodeNotValidNow)));
    let too_far =
        record
            .clone()
            .resync(&token.code_at(behind), &token.code_at(behind + 30), NOW, 4);
    assert!(matches!(too_far, Err(IssuerError::CodeNotValidNow)));
    let wide = record
        .clone()
        .resync(&token.code_at(behind), &token.code_at(behind + 30), NOW, 11);
    assert!(matches!(
        wide,
        Err(IssuerError::WindowTooWide { found: 11, max: 10 })
    ));
    let done = record
        .resync(&token.code_at(behind), &token.code_at(behind + 30), NOW, 10)
        .unwrap();
    let again = done
        .record
        .resync(&token.code_at(behind), &token.code_at(behind + 30), NOW, 10);
    assert!(matches!(again, Err(IssuerError::CodeAlreadyUsed)));
}
