//! Reactivating an IdentityGuard identity: new activation data (typed, or a link and its
//! password) replaces the old, the identity keeps its id, name and place, its codes become the
//! new activation's (checked against the in-test issuer), the unlock slot follows when it was
//! bound to it, and everything is written in one save or not at all.

mod common;

use std::path::Path;

use common::*;
use tessera_core::flow::{ActivationInput, AddIdentityFlow, FlowError, FlowField, FlowStep};
use tessera_core::identity::IdentitySummary;
use tessera_core::session::{Session, SessionError, TokenStatus};
use tessera_core::vault::VaultError;

fn vault_bytes(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("vault.bin")).unwrap()
}

fn previous_bytes(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("vault.prev")).unwrap()
}

/// Five wrong PINs; the reset code the lock screen shows.
fn reset_code_after_lockout(session: &Session) -> String {
    wrong_pins(session, 5);
    match session.status().unwrap() {
        TokenStatus::LockedOut {
            reset_code: Some(code),
            ..
        } => code,
        other => panic!("expected a lockout with a reset code, got {other:?}"),
    }
}

fn is_wrong_unlock_code(result: Result<(), SessionError>) -> bool {
    matches!(
        result,
        Err(SessionError::Vault(VaultError::WrongUnlockCode { .. }))
    )
}

fn ids_and_names(session: &Session) -> Vec<(String, String)> {
    session
        .identities()
        .unwrap()
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect()
}

/// A token with a Steam identity, then `first` (bound to the unlock slot), then `second`.
fn token_with_two(
    dir: &Path,
    first: &IgIssuer,
    second: &IgIssuer,
) -> (
    std::sync::Arc<Session>,
    (IdentitySummary, String),
    (IdentitySummary, String),
) {
    let session = session(dir);
    new_token_with_link(&session, STEAM_LINK);
    let one = add_ig(&session, first);
    let two = add_ig(&session, second);
    (session, one, two)
}

#[test]
fn typed_activation_replaces_the_bound_identity_and_rebinds_the_unlock_slot() {
    let dir = folder();
    let old = IgIssuer::numbered("123456789", "111122223333444");
    let other = IgIssuer::numbered("987654321", "555566667777888");
    let (session, (identity, old_registration), _) = token_with_two(dir.path(), &old, &other);
    session.rename(&identity.id, "Work").unwrap();
    let before = ids_and_names(&session);

    let new = IgIssuer::numbered("246813579", "999988887777666");
    let flow = AddIdentityFlow::reactivate(session.clone(), &identity.id).unwrap();
    assert_eq!(flow.step(), FlowStep::Start);
    let typed = ActivationInput {
        name: Some("Ignored".into()),
        ..new.input(None)
    };
    let state = flow.enter_activation(&typed).unwrap();
    let FlowStep::ShowRegistrationCode { name, .. } = &state else {
        panic!("expected the registration code, got {state:?}");
    };
    assert_eq!(name, "Work", "the identity keeps its name");
    let registration = shown_registration(&state);
    // Nothing saved before finish.
    let saved = vault_bytes(dir.path());
    assert_eq!(
        session.code(&identity.id).unwrap().code,
        old.code(&old_registration, false, T)
    );

    let after = done(flow.finish().unwrap());
    assert_eq!(after.id, identity.id);
    assert_eq!(after.name, "Work");
    // Grouped 5-5, as summaries show serials.
    let grouped = format!("{}-{}", &new.serial[..5], &new.serial[5..]);
    assert_eq!(after.serial, Some(grouped));
    assert_eq!(
        after.registration_code.as_deref(),
        Some(registration.as_str())
    );
    assert_eq!(after.added_at, identity.added_at);
    // One save, and a rotating one: the old secret's unlock codes are revoked, so the data key
    // is new and both generations in the folder are the new one (the one from before the flow,
    // which those codes open, is gone).
    assert_ne!(vault_bytes(dir.path()), saved);
    assert_eq!(previous_bytes(dir.path()), vault_bytes(dir.path()));
    assert_eq!(ids_and_names(&session), before, "same ids, names and order");

    // The codes are the new activation's.
    assert_eq!(
        session.code(&identity.id).unwrap().code,
        new.code(&registration, false, T)
    );
    // And a fresh session reads the same.
    let again = common::session(dir.path());
    again.unlock(PIN).unwrap();
    assert_eq!(
        again.code(&identity.id).unwrap().code,
        new.code(&registration, false, T)
    );

    // The organisation now answers the reset code from the new secret; the old one no longer
    // opens the token.
    let reset = reset_code_after_lockout(&session);
    assert!(is_wrong_unlock_code(session.unlock_with_code(
        &old.unlock_code(&old_registration, false, &reset),
        NEW_PIN
    )));
    session
        .unlock_with_code(&new.unlock_code(&registration, false, &reset), NEW_PIN)
        .unwrap();
    assert!(session.is_unlocked());
}

#[test]
fn a_link_reactivates_an_identity_that_is_not_bound_and_the_slot_stays() {
    let dir = folder();
    let first = IgIssuer::numbered("123456789", "111122223333444");
    let second = IgIssuer::numbered("987654321", "555566667777888");
    let (session, (_, first_registration), (identity, second_registration)) =
        token_with_two(dir.path(), &first, &second);

    let case = ig_links()
        .into_iter()
        .find(|c| c["name"] == "full_escaped_slashes")
        .unwrap();
    let flow = AddIdentityFlow::reactivate(session.clone(), &identity.id).unwrap();
    assert_eq!(
        flow.enter_link(text(&case, "uri")).unwrap(),
        FlowStep::NeedsPassword
    );
    let registration = shown_registration(&flow.enter_password(text(&case, "password")).unwrap());
    let after = done(flow.finish().unwrap());
    assert_eq!(after.id, identity.id);
    assert_eq!(after.name, identity.name);
    assert_eq!(after.serial.as_deref(), Some("48244-13456"));
    assert_eq!(
        after.address.as_deref(),
        Some("https://myid.example.edu/igst")
    );
    assert_eq!(after.policy_included, Some(true));
    let issuer = IgIssuer {
        policy: Some(SPEC_POLICY.into()),
        ..IgIssuer::spec()
    };
    assert_eq!(
        session.code(&identity.id).unwrap().code,
        issuer.code(&registration, true, T)
    );
    assert_ne!(
        session.code(&identity.id).unwrap().code,
        second.code(&second_registration, false, T)
    );

    // The slot is still the first identity's.
    let reset = reset_code_after_lockout(&session);
    assert!(is_wrong_unlock_code(session.unlock_with_code(
        &issuer.unlock_code(&registration, true, &reset),
        NEW_PIN
    )));
    session
        .unlock_with_code(
            &first.unlock_code(&first_registration, false, &reset),
            NEW_PIN,
        )
        .unwrap();
}

#[test]
fn the_same_serial_with_a_new_activation_code_is_a_reactivation_not_a_duplicate() {
    let dir = folder();
    let session = session(dir.path());
    let old = IgIssuer::numbered("123456789", "111122223333444");
    let (identity, _) = new_token_with_ig(&session, &old, None);
    let new = IgIssuer {
        activation: with_luhn("444433332222111"),
        ..old.clone()
    };
    let flow = AddIdentityFlow::reactivate(session.clone(), &identity.id).unwrap();
    let registration = shown_registration(&flow.enter_activation(&new.input(None)).unwrap());
    done(flow.finish().unwrap());
    assert_eq!(
        session.code(&identity.id).unwrap().code,
        new.code(&registration, false, T)
    );
    let reset = reset_code_after_lockout(&session);
    session
        .unlock_with_code(&new.unlock_code(&registration, false, &reset), NEW_PIN)
        .unwrap();
}

#[test]
fn what_the_new_data_leaves_open_is_kept_and_what_it_gives_replaces() {
    let dir = folder();
    let session = session(dir.path());
    let old = IgIssuer::numbered("123456789", "111122223333444");
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    flow.enter_activation(&ActivationInput {
        digits: Some(8),
        ocra_suite: Some("OCRA-1:HOTP-SHA1-6:QN08".into()),
        ..old.input(Some("myid.example.edu/igst"))
    })
    .unwrap();
    flow.set_pin(PIN).unwrap();
    flow.confirm_pin(PIN).unwrap();
    let identity = done(flow.finish().unwrap());

    let new = IgIssuer::numbered("246813579", "999988887777666");
    let flow = AddIdentityFlow::reactivate(session.clone(), &identity.id).unwrap();
    flow.enter_activation(&new.input(None)).unwrap();
    let kept = done(flow.finish().unwrap());
    assert_eq!(kept.digits, Some(8));
    assert_eq!(kept.address.as_deref(), Some("myid.example.edu/igst"));
    assert!(kept.answers_challenges);

    let flow = AddIdentityFlow::reactivate(session.clone(), &identity.id).unwrap();
    let newer = IgIssuer::numbered("135792468", "123123123123123");
    flow.enter_activation(&ActivationInput {
        digits: Some(6),
        ..newer.input(Some("https://other.example.org/ig"))
    })
    .unwrap();
    let replaced = done(flow.finish().unwrap());
    assert_eq!(replaced.digits, Some(6));
    assert_eq!(
        replaced.address.as_deref(),
        Some("https://other.example.org/ig")
    );
    assert_eq!(replaced.name, "myid.example.edu", "the name is kept");
}

#[test]
fn only_identityguard_identities_can_be_reactivated() {
    let dir = folder();
    let session = session(dir.path());
    let steam = new_token_with_link(&session, STEAM_LINK);
    let error = AddIdentityFlow::reactivate(session.clone(), &steam.id).unwrap_err();
    assert!(
        matches!(&error, FlowError::Session(SessionError::NotIdentityGuard { name }) if name == "gaben"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "\"gaben\" is not an IdentityGuard identity, so it has no activation to replace: remove it and add it again instead"
    );
    let error = AddIdentityFlow::reactivate(session.clone(), "0123456789abcdef").unwrap_err();
    assert!(
        matches!(
            error,
            FlowError::Session(SessionError::UnknownIdentity { .. })
        ),
        "{error:?}"
    );

    // An otpauth link cannot reactivate: it would make a different kind of identity.
    let (identity, _) = add_ig(&session, &IgIssuer::spec());
    let flow = AddIdentityFlow::reactivate(session.clone(), &identity.id).unwrap();
    let error = flow.enter_link(HOTP_LINK).unwrap_err();
    assert_eq!(error.field(), FlowField::Link);
    assert!(error.to_string().contains("igmobileotp://"), "{error}");
    assert_eq!(flow.step(), FlowStep::Start);

    // A locked token refuses before anything is typed.
    session.lock();
    let error = AddIdentityFlow::reactivate(session.clone(), &identity.id).unwrap_err();
    assert!(
        matches!(error, FlowError::Session(SessionError::NotUnlocked)),
        "{error:?}"
    );
}

#[test]
fn another_identitys_serial_is_refused_before_the_registration_code_and_nothing_is_saved() {
    let dir = folder();
    let first = IgIssuer::numbered("123456789", "111122223333444");
    let second = IgIssuer::numbered("987654321", "555566667777888");
    let (session, (one, one_registration), (two, _)) = token_with_two(dir.path(), &first, &second);
    let saved = vault_bytes(dir.path());

    let flow = AddIdentityFlow::reactivate(session.clone(), &two.id).unwrap();
    let error = flow.enter_activation(&first.input(None)).unwrap_err();
    assert!(
        matches!(&error, FlowError::Session(SessionError::Duplicate { existing }) if *existing == one.name),
        "{error:?}"
    );
    assert_eq!(flow.step(), FlowStep::Start);
    assert_eq!(vault_bytes(dir.path()), saved);

    // Removed while the registration code was shown: the save is refused and nothing changes.
    let flow = AddIdentityFlow::reactivate(session.clone(), &two.id).unwrap();
    flow.enter_activation(&IgIssuer::numbered("246813579", "999988887777666").input(None))
        .unwrap();
    session.remove(&two.id).unwrap();
    let saved = vault_bytes(dir.path());
    let error = flow.finish().unwrap_err();
    assert!(
        matches!(
            error,
            FlowError::Session(SessionError::UnknownIdentity { .. })
        ),
        "{error:?}"
    );
    assert_eq!(vault_bytes(dir.path()), saved);
    assert_eq!(
        session.code(&one.id).unwrap().code,
        first.code(&one_registration, false, T)
    );
}
