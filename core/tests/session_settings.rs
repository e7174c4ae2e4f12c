//! Settings a person changes from the settings screen: the auto-lock delay (bounds, saved, and
//! read as 60 s from tokens saved before it existed), a PIN change whose confirmation the core
//! checks, the PIN asked again for a new recovery key and the lockout threshold, and unlock
//! codes on or off (the PIN checked again; off removes the unlock slot).

mod common;

use common::*;
use tessera_core::session::{SessionError, TokenStatus};
use tessera_core::vault::{PinRuleError, VaultError, VaultStore};

#[test]
fn the_auto_lock_delay_is_kept_within_an_hour_and_saved() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, STEAM_LINK);
    assert_eq!(session.settings().unwrap().auto_lock_seconds, 60);

    for seconds in [0, 3600, 300] {
        session.set_auto_lock_seconds(seconds).unwrap();
        assert_eq!(session.settings().unwrap().auto_lock_seconds, seconds);
    }
    for bad in [3601, u32::MAX] {
        let error = session.set_auto_lock_seconds(bad).unwrap_err();
        assert!(
            matches!(error, SessionError::AutoLockOutOfRange { found, max: 3600 } if found == bad),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("the auto-lock delay must be between 0 and 3600 seconds, not {bad}")
        );
    }
    assert_eq!(session.settings().unwrap().auto_lock_seconds, 300);

    let again = common::session(dir.path());
    again.unlock(PIN).unwrap();
    assert_eq!(again.settings().unwrap().auto_lock_seconds, 300);

    session.lock();
    assert!(matches!(
        session.set_auto_lock_seconds(10),
        Err(SessionError::NotUnlocked)
    ));
}

#[test]
fn a_token_saved_before_the_auto_lock_setting_opens_with_sixty_seconds() {
    let dir = folder();
    // The payload as the version before this setting wrote it: settings held only the offset.
    let old_payload = br#"{"version":1,"identities":[],"settings":{"time_offset_seconds":-30},"unlock_identity":null}"#;
    VaultStore::new(dir.path())
        .create(PIN, &options(), None, old_payload)
        .unwrap();
    let session = session(dir.path());
    session.unlock(PIN).unwrap();
    let settings = session.settings().unwrap();
    assert_eq!(settings.auto_lock_seconds, 60);
    assert_eq!(settings.time_offset_seconds, -30);
    // Changing another setting writes the delay out and keeps it.
    session.set_time_offset(0).unwrap();
    let again = common::session(dir.path());
    again.unlock(PIN).unwrap();
    assert_eq!(again.settings().unwrap().auto_lock_seconds, 60);
}

#[test]
fn a_pin_change_needs_the_same_new_pin_twice_and_a_mismatch_costs_no_try() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, STEAM_LINK);

    // A mismatch is refused before the current PIN is checked, even when that one is wrong.
    for current in [PIN, WRONG_PIN] {
        let error = session
            .change_pin_confirmed(current, NEW_PIN, "8265")
            .unwrap_err();
        assert!(matches!(error, SessionError::PinMismatch), "{error:?}");
        assert_eq!(
            error.to_string(),
            "the new PIN and its confirmation are not the same: type the new PIN twice"
        );
    }
    // The new PIN's rules come first.
    let error = session
        .change_pin_confirmed(PIN, "1234", "1243")
        .unwrap_err();
    assert!(
        matches!(error, SessionError::NewPinRule(PinRuleError::Sequence)),
        "{error:?}"
    );
    session.lock();
    assert_eq!(
        session.status().unwrap(),
        TokenStatus::NeedsPin { attempts_left: 5 }
    );
    session.unlock(PIN).unwrap();

    // A wrong current PIN still counts.
    let error = session
        .change_pin_confirmed(WRONG_PIN, NEW_PIN, NEW_PIN)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "wrong PIN, 4 tries left before the token locks"
    );

    session.change_pin_confirmed(PIN, NEW_PIN, NEW_PIN).unwrap();
    session.lock();
    assert!(session.unlock(PIN).is_err());
    session.unlock(NEW_PIN).unwrap();
}

/// A new recovery key opens the token without the PIN, and a higher threshold allows more
/// guesses: an unlocked token left on a desk must not give either away. Both re-check the PIN
/// the way export does, counting a wrong one towards the lockout.
#[test]
fn a_new_recovery_key_and_the_lockout_threshold_need_the_pin_again() {
    let dir = folder();
    let session = session(dir.path());
    let (_, first_key) = new_token_with_link_and_key(&session, HOTP_LINK);

    // A number out of range is refused before the PIN is checked: it costs no try.
    let error = session.set_lockout_threshold(101, WRONG_PIN).unwrap_err();
    assert!(
        matches!(
            error,
            SessionError::Vault(VaultError::AttemptsOutOfRange { value: 101, .. })
        ),
        "{error:?}"
    );
    // A wrong PIN is refused, counted like any PIN try, and changes nothing.
    let error = session.set_lockout_threshold(100, WRONG_PIN).unwrap_err();
    assert_eq!(
        error.to_string(),
        "wrong PIN, 4 tries left before the token locks"
    );
    let error = session.add_recovery_key(WRONG_PIN).unwrap_err();
    assert_eq!(
        error.to_string(),
        "wrong PIN, 3 tries left before the token locks"
    );
    assert!(session.is_unlocked());
    assert_eq!(session.settings().unwrap().lockout_threshold, 5);

    // The right PIN clears the count, as unlocking does, and the change is made.
    session.set_lockout_threshold(7, PIN).unwrap();
    assert_eq!(session.settings().unwrap().lockout_threshold, 7);
    session.lock();
    assert_eq!(
        session.status().unwrap(),
        TokenStatus::NeedsPin { attempts_left: 7 }
    );
    session.unlock(PIN).unwrap();
    let key = session.add_recovery_key(PIN).unwrap();
    assert_ne!(key.as_str(), first_key);

    // Wrong PINs here lock the token out like any others, and the session with it.
    for _ in 0..6 {
        session.add_recovery_key(WRONG_PIN).unwrap_err();
        assert!(session.is_unlocked());
    }
    let error = session.set_lockout_threshold(100, WRONG_PIN).unwrap_err();
    assert!(
        matches!(error, SessionError::Vault(VaultError::Locked { .. })),
        "{error:?}"
    );
    assert!(!session.is_unlocked());
    assert!(matches!(
        session.status().unwrap(),
        TokenStatus::LockedOut { .. }
    ));
    // Only the key made with the right PIN opens it; the threshold is still 7.
    assert!(
        session
            .unlock_with_recovery_key(&first_key, NEW_PIN)
            .is_err()
    );
    session
        .unlock_with_recovery_key(key.as_str(), NEW_PIN)
        .unwrap();
    assert_eq!(session.settings().unwrap().lockout_threshold, 7);
}

fn lockout_status(session: &tessera_core::session::Session) -> TokenStatus {
    wrong_pins(session, 5);
    session.status().unwrap()
}

fn shown_reset_code(status: TokenStatus) -> Option<String> {
    match status {
        TokenStatus::LockedOut { reset_code, .. } => reset_code,
        other => panic!("expected a lockout, got {other:?}"),
    }
}

#[test]
fn turning_unlock_codes_off_removes_the_unlock_slot_and_the_reset_code() {
    let dir = folder();
    let session = session(dir.path());
    let (_, recovery_key) = new_token_with_link_and_key(&session, STEAM_LINK);
    let issuer = IgIssuer::spec();
    let (_, registration) = add_ig(&session, &issuer);
    assert!(session.settings().unwrap().unlock_codes, "on by default");
    let reset_code = shown_reset_code(lockout_status(&session)).expect("a reset code");
    let used = issuer.unlock_code(&registration, false, &reset_code);
    session.unlock_with_code(&used, NEW_PIN).unwrap();

    // The PIN is checked again, and a wrong one counts like any PIN try.
    let error = session.set_unlock_codes(WRONG_PIN, false).unwrap_err();
    assert!(
        matches!(
            error,
            SessionError::Vault(VaultError::WrongPin { attempts_left: 4 })
        ),
        "{error:?}"
    );
    assert!(session.settings().unwrap().unlock_codes);
    session.set_unlock_codes(NEW_PIN, false).unwrap();
    assert!(!session.settings().unwrap().unlock_codes);

    // Locked out now, the token shows no reset code and takes no unlock code.
    assert_eq!(
        lockout_status(&session),
        TokenStatus::LockedOut {
            reset_code: None,
            unlock_attempts_left: 0,
            recovery_key: true,
        }
    );
    assert!(matches!(
        session.unlock_with_code(&used, "5281"),
        Err(SessionError::Vault(VaultError::NoUnlockSlot))
    ));

    // The choice is kept: recovering does not bring the slot back, nor does another
    // IdentityGuard identity.
    session
        .unlock_with_recovery_key(&recovery_key, "5281")
        .unwrap();
    assert!(!session.settings().unwrap().unlock_codes);
    add_ig(
        &session,
        &IgIssuer::numbered("987654321", "555566667777888"),
    );
    let again = common::session(dir.path());
    again.unlock("5281").unwrap();
    assert!(!again.settings().unwrap().unlock_codes);
    assert_eq!(shown_reset_code(lockout_status(&again)), None);

    // Turned on again, the first IdentityGuard identity's organisation can answer again.
    again
        .unlock_with_recovery_key(&recovery_key, NEW_PIN)
        .unwrap();
    again.set_unlock_codes(NEW_PIN, true).unwrap();
    assert!(again.settings().unwrap().unlock_codes);
    let reset_code = shown_reset_code(lockout_status(&again)).expect("a reset code again");
    again
        .unlock_with_code(&issuer.unlock_code(&registration, false, &reset_code), PIN)
        .unwrap();
    assert!(again.is_unlocked());
}

#[test]
fn unlock_codes_cannot_be_changed_while_locked() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, STEAM_LINK);
    session.lock();
    assert!(matches!(
        session.set_unlock_codes(PIN, false),
        Err(SessionError::NotUnlocked)
    ));
}
