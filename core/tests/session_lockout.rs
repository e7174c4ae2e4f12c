//! PIN lockout and the ways back in: the reset-code / unlock-code exchange with the in-test
//! issuer, the recovery key, which identity the unlock slot is bound to, PIN changes and the
//! lockout threshold.

mod common;

use common::*;
use tessera_core::session::{SessionError, TokenStatus};
use tessera_core::vault::{PinRuleError, VaultError, derive_unlock_code};

fn locked_out(session: &tessera_core::session::Session) -> (Option<String>, u32, bool) {
    match session.status().unwrap() {
        TokenStatus::LockedOut {
            reset_code,
            unlock_attempts_left,
            recovery_key,
        } => (reset_code, unlock_attempts_left, recovery_key),
        other => panic!("expected LockedOut, got {other:?}"),
    }
}

/// Five wrong PINs from the unlock screen, checking what each one says.
fn lock_out(session: &tessera_core::session::Session) -> String {
    session.lock();
    for left in (1..5).rev() {
        let error = session.unlock(WRONG_PIN).unwrap_err();
        assert_eq!(
            error.to_string(),
            match left {
                1 => "wrong PIN, 1 try left before the token locks".to_string(),
                _ => format!("wrong PIN, {left} tries left before the token locks"),
            }
        );
        assert_eq!(
            session.status().unwrap(),
            TokenStatus::NeedsPin {
                attempts_left: left
            }
        );
    }
    let error = session.unlock(WRONG_PIN).unwrap_err();
    let SessionError::Vault(VaultError::Locked {
        reset_code: Some(reset_code),
    }) = error
    else {
        panic!("expected Locked with a reset code, got {error:?}");
    };
    assert_eq!(reset_code.len(), 9);
    assert!(
        reset_code.bytes().all(|b| b.is_ascii_digit()),
        "{reset_code}"
    );
    assert_eq!(locked_out(session), (Some(reset_code.clone()), 10, true));
    reset_code
}

/// A well-formed unlock code that is not the right one.
fn wrong_unlock_code(reset_code: &str) -> String {
    let other = tessera_core::SecretBytes::new(b"not the identity secret".to_vec());
    derive_unlock_code(&other, reset_code).unwrap().to_string()
}

#[test]
fn five_wrong_pins_lock_and_the_issuers_unlock_code_opens_with_a_new_pin() {
    let dir = folder();
    let session = session(dir.path());
    let issuer = IgIssuer::spec();
    let (identity, registration) = new_token_with_ig(&session, &issuer, None);
    let expected_code = issuer.code(&registration, false, T);

    let reset_code = lock_out(&session);
    // The right PIN is refused now, without being checked or counted.
    let error = session.unlock(PIN).unwrap_err();
    assert!(
        matches!(&error, SessionError::Vault(VaultError::Locked { reset_code: Some(r) }) if *r == reset_code),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the token is locked after too many wrong PINs; give the reset code to your help desk and type the unlock code they answer (or use the recovery key, if you have one)"
    );
    assert!(!session.is_unlocked());
    assert!(matches!(
        session.identities(),
        Err(SessionError::NotUnlocked)
    ));

    // The lockout is on disk: a new session sees the same screen.
    drop(session);
    let session = common::session(dir.path());
    assert_eq!(locked_out(&session), (Some(reset_code.clone()), 10, true));
    assert!(session.unlock(PIN).is_err());

    // A wrong unlock code costs a try.
    let error = session
        .unlock_with_code(&wrong_unlock_code(&reset_code), NEW_PIN)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "wrong unlock code, 9 tries left before unlock codes are refused"
    );
    assert_eq!(locked_out(&session), (Some(reset_code.clone()), 9, true));

    // A new PIN that breaks the rules is refused before the code is tried, right or wrong.
    let unlock_code = issuer.unlock_code(&registration, false, &reset_code);
    for code in [unlock_code.clone(), wrong_unlock_code(&reset_code)] {
        let error = session.unlock_with_code(&code, "1111").unwrap_err();
        assert!(
            matches!(
                error,
                SessionError::Vault(VaultError::PinRule(PinRuleError::AllSameDigit))
            ),
            "{error:?}"
        );
        assert_eq!(locked_out(&session), (Some(reset_code.clone()), 9, true));
    }
    assert!(!session.is_unlocked());

    // A typo in the code is caught by its check digit, without a try.
    let mut typo = unlock_code.clone().into_bytes();
    typo[0] = if typo[0] == b'9' { b'0' } else { typo[0] + 1 };
    let error = session
        .unlock_with_code(std::str::from_utf8(&typo).unwrap(), NEW_PIN)
        .unwrap_err();
    assert!(
        matches!(error, SessionError::Vault(VaultError::UnlockCodeTypo)),
        "{error:?}"
    );
    assert_eq!(locked_out(&session).1, 9);

    // The right code, typed with spaces, and a new PIN.
    let spaced = format!(
        "{} {} {}",
        &unlock_code[..4],
        &unlock_code[4..8],
        &unlock_code[8..]
    );
    session.unlock_with_code(&spaced, NEW_PIN).unwrap();
    assert_eq!(session.status().unwrap(), TokenStatus::Unlocked);
    assert_eq!(session.code(&identity.id).unwrap().code, expected_code);

    // The old PIN is gone, the new one works; the used unlock code no longer opens the token.
    session.lock();
    assert_eq!(
        session.status().unwrap(),
        TokenStatus::NeedsPin { attempts_left: 5 }
    );
    let error = session.unlock(PIN).unwrap_err();
    assert_eq!(
        error.to_string(),
        "wrong PIN, 4 tries left before the token locks"
    );
    session.unlock(NEW_PIN).unwrap();
    assert_eq!(session.code(&identity.id).unwrap().code, expected_code);

    // Locked out again: the reset code was replaced, the old answer is refused, the answer to
    // the new reset code works.
    let second_reset = lock_out(&session);
    assert_ne!(second_reset, reset_code);
    let error = session.unlock_with_code(&unlock_code, "5281").unwrap_err();
    assert!(
        matches!(
            error,
            SessionError::Vault(VaultError::WrongUnlockCode { attempts_left: 9 })
        ),
        "{error:?}"
    );
    session
        .unlock_with_code(
            &issuer.unlock_code(&registration, false, &second_reset),
            "5281",
        )
        .unwrap();
    assert_eq!(session.code(&identity.id).unwrap().code, expected_code);
    session.lock();
    session.unlock("5281").unwrap();
}

#[test]
fn the_recovery_key_opens_a_locked_token() {
    let dir = folder();
    let session = session(dir.path());
    let (identity, first_key) = new_token_with_link_and_key(&session, HOTP_LINK);
    assert!(
        session.settings().unwrap().has_recovery_key,
        "every new token gets one"
    );
    let key = session.add_recovery_key(PIN).unwrap();
    assert_ne!(key.as_str(), first_key, "a new key replaces the first");
    let key = key.as_str().to_string();
    assert_eq!(key.len(), 39, "{key}");
    assert!(session.settings().unwrap().has_recovery_key);

    wrong_pins(&session, 5);
    assert_eq!(locked_out(&session), (None, 0, true));
    let error = session.unlock(PIN).unwrap_err();
    assert!(
        matches!(
            error,
            SessionError::Vault(VaultError::Locked { reset_code: None })
        ),
        "{error:?}"
    );

    let error = session
        .unlock_with_recovery_key(&first_key, NEW_PIN)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "this recovery key does not open this vault; check it against the one written down"
    );
    let error = session.unlock_with_recovery_key(&key, "9876").unwrap_err();
    assert!(
        matches!(
            error,
            SessionError::Vault(VaultError::PinRule(PinRuleError::Sequence))
        ),
        "{error:?}"
    );
    assert!(!session.is_unlocked());
    // No unlock slot on a token without an IdentityGuard identity.
    let error = session
        .unlock_with_code(&wrong_unlock_code("123456789"), NEW_PIN)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "this token cannot be unlocked with an unlock code; use the recovery key"
    );

    session
        .unlock_with_recovery_key(&key.to_lowercase().replace('-', " "), NEW_PIN)
        .unwrap();
    assert_eq!(
        session.code(&identity.id).unwrap().code,
        rfc4226_codes()[0].1
    );
    session.lock();
    assert_eq!(
        session.status().unwrap(),
        TokenStatus::NeedsPin { attempts_left: 5 }
    );
    assert!(session.unlock(PIN).is_err());
    session.unlock(NEW_PIN).unwrap();
    assert!(session.settings().unwrap().has_recovery_key);
}

/// A token whose identities all come from otpauth:// links has no issuer to answer a reset
/// code: the recovery key the flow showed when the token was created is the way back.
#[test]
fn without_an_identityguard_identity_the_creation_recovery_key_is_the_way_back() {
    let dir = folder();
    let session = session(dir.path());
    let (identity, key) = new_token_with_link_and_key(&session, STEAM_LINK);
    wrong_pins(&session, 5);
    assert_eq!(locked_out(&session), (None, 0, true));
    let error = session.unlock(PIN).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the token is locked after too many wrong PINs; only its recovery key can unlock it now"
    );
    assert!(matches!(
        session.unlock_with_code(&wrong_unlock_code("123456789"), NEW_PIN),
        Err(SessionError::Vault(VaultError::NoUnlockSlot))
    ));
    assert!(matches!(
        session.unlock_with_recovery_key("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", NEW_PIN),
        Err(SessionError::Vault(VaultError::WrongRecoveryKey))
    ));
    session.unlock_with_recovery_key(&key, NEW_PIN).unwrap();
    assert_eq!(session.find(&identity.name).unwrap().id, identity.id);
}

#[test]
fn the_unlock_slot_follows_the_first_identityguard_identity() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, STEAM_LINK);

    // Adding an IdentityGuard identity later creates the slot.
    let first = IgIssuer::spec();
    let (first_identity, first_registration) = add_ig(&session, &first);
    let second = IgIssuer::numbered("123456789", "111122223333444");
    let (second_identity, second_registration) = add_ig(&session, &second);

    let reset = lock_out(&session);
    // Bound to the first one: the second one's issuer cannot answer.
    let error = session
        .unlock_with_code(
            &second.unlock_code(&second_registration, false, &reset),
            PIN,
        )
        .unwrap_err();
    assert!(
        matches!(
            error,
            SessionError::Vault(VaultError::WrongUnlockCode { .. })
        ),
        "{error:?}"
    );
    session
        .unlock_with_code(&first.unlock_code(&first_registration, false, &reset), PIN)
        .unwrap();

    // Removing it moves the slot to the next IdentityGuard identity.
    session.remove(&first_identity.id).unwrap();
    let reset = lock_out(&session);
    let error = session
        .unlock_with_code(&first.unlock_code(&first_registration, false, &reset), PIN)
        .unwrap_err();
    assert!(
        matches!(
            error,
            SessionError::Vault(VaultError::WrongUnlockCode { .. })
        ),
        "{error:?}"
    );
    session
        .unlock_with_code(
            &second.unlock_code(&second_registration, false, &reset),
            PIN,
        )
        .unwrap();
    assert_eq!(
        session.code(&second_identity.id).unwrap().code,
        second.code(&second_registration, false, T)
    );

    // Removing the last one removes the slot.
    session.remove(&second_identity.id).unwrap();
    wrong_pins(&session, 5);
    assert_eq!(locked_out(&session), (None, 0, true));
}

#[test]
fn switching_the_policy_variant_rebinds_the_unlock_slot() {
    let dir = folder();
    let session = session(dir.path());
    let case = ig_links()
        .into_iter()
        .find(|c| c["name"] == "raw_standard_with_plus")
        .unwrap();
    let flow = tessera_core::flow::AddIdentityFlow::new(session.clone()).unwrap();
    flow.enter_link(text(&case, "uri")).unwrap();
    flow.enter_password(text(&case, "password")).unwrap();
    flow.set_pin(PIN).unwrap();
    let registration = shown_registration(&flow.confirm_pin(PIN).unwrap());
    let identity = done(flow.finish().unwrap());
    let issuer = IgIssuer {
        policy: Some(SPEC_POLICY.into()),
        ..IgIssuer::spec()
    };

    // With the policy first: the issuer holding that secret answers.
    let reset = lock_out(&session);
    session
        .unlock_with_code(&issuer.unlock_code(&registration, true, &reset), PIN)
        .unwrap();

    // After the switch the issuer holds the other secret, and the slot follows it.
    session.switch_policy_variant(&identity.id).unwrap();
    let reset = lock_out(&session);
    let error = session
        .unlock_with_code(&issuer.unlock_code(&registration, true, &reset), PIN)
        .unwrap_err();
    assert!(
        matches!(
            error,
            SessionError::Vault(VaultError::WrongUnlockCode { .. })
        ),
        "{error:?}"
    );
    session
        .unlock_with_code(&issuer.unlock_code(&registration, false, &reset), PIN)
        .unwrap();
    assert_eq!(
        session.code(&identity.id).unwrap().code,
        issuer.code(&registration, false, T)
    );
}

#[test]
fn change_pin_checks_the_current_pin_and_counts_wrong_ones() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, STEAM_LINK);

    let error = session.change_pin(WRONG_PIN, NEW_PIN).unwrap_err();
    assert_eq!(
        error.to_string(),
        "wrong PIN, 4 tries left before the token locks"
    );
    // A rule-breaking new PIN is refused before the current PIN is checked (no try used).
    let error = session.change_pin(WRONG_PIN, "1234").unwrap_err();
    assert!(
        matches!(error, SessionError::NewPinRule(PinRuleError::Sequence)),
        "{error:?}"
    );
    assert!(session.is_unlocked());
    session.lock();
    assert_eq!(
        session.status().unwrap(),
        TokenStatus::NeedsPin { attempts_left: 4 }
    );
    session.unlock(PIN).unwrap();
    session.change_pin(PIN, NEW_PIN).unwrap();
    session.lock();
    assert_eq!(
        session.status().unwrap(),
        TokenStatus::NeedsPin { attempts_left: 5 }
    );
    assert!(session.unlock(PIN).is_err());
    session.unlock(NEW_PIN).unwrap();
}

#[test]
fn a_new_lockout_threshold_takes_effect() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_ig(&session, &IgIssuer::spec(), None);
    assert_eq!(session.settings().unwrap().lockout_threshold, 5);
    for bad in [0, 101] {
        let error = session.set_lockout_threshold(bad, PIN).unwrap_err();
        assert_eq!(
            error.to_string(),
            format!("the number of PIN tries must be between 1 and 100; {bad} was asked for")
        );
    }
    session.set_lockout_threshold(3, PIN).unwrap();
    assert_eq!(session.settings().unwrap().lockout_threshold, 3);
    session.lock();
    assert_eq!(
        session.status().unwrap(),
        TokenStatus::NeedsPin { attempts_left: 3 }
    );
    wrong_pins(&session, 3);
    assert!(matches!(
        session.status().unwrap(),
        TokenStatus::LockedOut {
            reset_code: Some(_),
            ..
        }
    ));
    // And a fresh session agrees.
    assert!(matches!(
        common::session(dir.path()).status().unwrap(),
        TokenStatus::LockedOut { .. }
    ));
}
