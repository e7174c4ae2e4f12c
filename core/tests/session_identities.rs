//! Managing identities on an unlocked token (find, rename, remove, name collisions), what the
//! session refuses when locked or when there is no token, secrets never reaching the disk in
//! plain text, and one session shared by two threads.

mod common;

use std::sync::Arc;

use common::*;
use tessera_core::session::{Session, SessionError, TokenStatus};

fn names(session: &Session) -> Vec<String> {
    session
        .identities()
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect()
}

fn totp_link(account: &str, issuer: &str, secret_base32: &str) -> String {
    format!("otpauth://totp/{issuer}:{account}?secret={secret_base32}&issuer={issuer}")
}

// Distinct secrets (base32 of 20 different bytes each).
const SECRET_A: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const SECRET_B: &str = "HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ";
const SECRET_C: &str = "4SJHB4GSD43FZBAI7C2HLRJGPQ4SJHB4";
const SECRET_D: &str = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";

#[test]
fn identities_are_found_by_id_name_or_issuer_ignoring_case() {
    let dir = folder();
    let session = session(dir.path());
    let alice = new_token_with_link(&session, &totp_link("alice", "Example", SECRET_A));
    let bob = add_link(&session, &totp_link("bob", "Example", SECRET_B));
    let carol = add_link(&session, &totp_link("carol", "Solo", SECRET_C));

    assert_eq!(session.find(&alice.id).unwrap(), alice);
    assert_eq!(session.find("ALICE").unwrap().id, alice.id);
    assert_eq!(session.find("  Bob ").unwrap().id, bob.id);
    assert_eq!(session.find("solo").unwrap().id, carol.id);

    let error = session.find("example").unwrap_err();
    assert!(
        matches!(&error, SessionError::AmbiguousIdentity { count: 2, .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "\"example\" names 2 identities: use the full name"
    );
    let error = session.find("dave").unwrap_err();
    assert_eq!(error.to_string(), "no identity is called \"dave\"");

    // A name wins over an issuer that happens to be the same.
    let named_example = add_link(&session, &totp_link("Example", "Other", SECRET_D));
    assert_eq!(session.find("EXAMPLE").unwrap().id, named_example.id);

    // Calls that take an id do not guess from names.
    let error = session.code("alice").unwrap_err();
    assert_eq!(error.to_string(), "no identity is called \"alice\"");
}

#[test]
fn taken_names_get_a_number() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, &totp_link("Work", "A", SECRET_A));
    let second = add_link(&session, &totp_link("work", "B", SECRET_B));
    let third = add_link(&session, &totp_link("Work", "C", SECRET_C));
    assert_eq!(second.name, "work (2)");
    assert_eq!(third.name, "Work (3)");
    assert_eq!(names(&session), ["Work", "work (2)", "Work (3)"]);
    assert_eq!(session.find("work (3)").unwrap().id, third.id);

    // Case is ignored beyond ASCII too, as `find` ignores it: otherwise the two names could
    // never be told apart by name.
    let upper = add_link(&session, &totp_link("%C3%84RZTE", "D", SECRET_D));
    assert_eq!(upper.name, "ÄRZTE");
    let lower = add_link(
        &session,
        &totp_link("%C3%A4rzte", "E", "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"),
    );
    assert_eq!(lower.name, "ärzte (2)");
    assert_eq!(session.find("Ärzte").unwrap().id, upper.id);
}

#[test]
fn rename_checks_the_name_and_remove_forgets_the_identity() {
    let dir = folder();
    let session = session(dir.path());
    let alice = new_token_with_link(&session, &totp_link("alice", "Example", SECRET_A));
    let bob = add_link(&session, &totp_link("bob", "Example", SECRET_B));

    let renamed = session.rename(&alice.id, "  Personal mail  ").unwrap();
    assert_eq!(renamed.name, "Personal mail");
    assert_eq!(renamed.id, alice.id);
    assert_eq!(session.find("personal MAIL").unwrap().id, alice.id);

    for (bad, message) in [
        ("", "the name is empty"),
        ("   ", "the name is empty"),
        (
            "tab\there",
            "the name contains invisible control characters",
        ),
        (
            "line\nbreak",
            "the name contains invisible control characters",
        ),
        (
            "evil\u{202E}txt",
            "the name contains invisible control characters",
        ),
    ] {
        let error = session.rename(&alice.id, bad).unwrap_err();
        assert!(
            matches!(error, SessionError::BadName { .. }),
            "{bad:?}: {error:?}"
        );
        assert_eq!(error.to_string(), message, "{bad:?}");
    }
    let long = "x".repeat(257);
    assert_eq!(
        session.rename(&alice.id, &long).unwrap_err().to_string(),
        "the name is longer than 256 characters"
    );
    assert!(session.rename(&alice.id, &"é".repeat(256)).is_ok());
    session.rename(&alice.id, "Personal mail").unwrap();
    assert_eq!(
        session
            .rename("0000000000000000", "x")
            .unwrap_err()
            .to_string(),
        "no identity is called \"0000000000000000\""
    );

    session.remove(&bob.id).unwrap();
    assert_eq!(names(&session), ["Personal mail"]);
    assert!(matches!(
        session.code(&bob.id),
        Err(SessionError::UnknownIdentity { .. })
    ));
    assert!(matches!(
        session.remove(&bob.id),
        Err(SessionError::UnknownIdentity { .. })
    ));

    // Both changes were saved.
    session.lock();
    let again = common::session(dir.path());
    again.unlock(PIN).unwrap();
    assert_eq!(names(&again), ["Personal mail"]);
    // The removed secret can be added again.
    let back = add_link(&again, &totp_link("bob", "Example", SECRET_B));
    assert_eq!(back.name, "bob");
}

#[test]
fn secrets_never_reach_the_disk_in_plain_text() {
    let dir = folder();
    let session = session(dir.path());
    let pin = "739146";
    let issuer = IgIssuer {
        policy: Some(SPEC_POLICY.into()),
        ..IgIssuer::spec()
    };
    let case = ig_links()
        .into_iter()
        .find(|c| c["name"] == "full_escaped_slashes")
        .unwrap();
    let link_password = text(&case, "password").to_string();
    let flow = tessera_core::flow::AddIdentityFlow::new(session.clone()).unwrap();
    flow.enter_link(text(&case, "uri")).unwrap();
    flow.enter_password(&link_password).unwrap();
    flow.set_pin(pin).unwrap();
    let debug = format!("{flow:?}");
    assert!(!debug.contains(pin), "{debug}");
    let registration = shown_registration(&flow.confirm_pin(pin).unwrap());
    flow.finish().unwrap();
    let hotp = add_link(&session, HOTP_LINK);
    session.code(&hotp.id).unwrap();
    add_link(&session, STEAM_LINK);
    let recovery_key = session.add_recovery_key(pin).unwrap().as_str().to_string();
    session.set_time_offset(17).unwrap();
    session.lock();
    session.unlock(pin).unwrap();

    let ig_with = issuer.secret(&registration, true);
    let ig_without = issuer.secret(&registration, false);
    let mut needles: Vec<(String, Vec<u8>)> = Vec::new();
    for (what, secret) in [
        ("IG secret (policy)", ig_with.as_bytes().to_vec()),
        ("IG secret (no policy)", ig_without.as_bytes().to_vec()),
        ("HOTP secret", b"12345678901234567890".to_vec()),
        (
            "Steam secret",
            data_encoding::BASE32_NOPAD
                .decode(b"63BEDWCQZKTQWPESARIERL5DTTQFCJTK")
                .unwrap(),
        ),
    ] {
        let hex = data_encoding::HEXLOWER.encode(&secret);
        let base32 = data_encoding::BASE32_NOPAD.encode(&secret);
        needles.push((format!("{what} raw"), secret));
        needles.push((format!("{what} hex"), hex.clone().into_bytes()));
        needles.push((format!("{what} HEX"), hex.to_uppercase().into_bytes()));
        needles.push((format!("{what} base32"), base32.into_bytes()));
    }
    for (what, text) in [
        ("activation code digits", "1745771269428698"),
        ("activation code grouped", "1745-7712-6942-8698"),
        ("PIN", pin),
        ("link password", link_password.as_str()),
        ("recovery key", recovery_key.as_str()),
        ("recovery key, ungrouped", &recovery_key.replace('-', "")),
        ("policy", SPEC_POLICY),
        ("identity names", "myid.example.edu"),
        ("account names", "gaben"),
    ] {
        needles.push((what.to_string(), text.as_bytes().to_vec()));
    }

    // Nor in what a shell can print.
    let shown = format!(
        "{session:?} {:?} {:?}",
        session.identities().unwrap(),
        session.code(&hotp.id).unwrap()
    );
    for (what, needle) in &needles[..16] {
        let needle = String::from_utf8_lossy(needle);
        assert!(!shown.contains(needle.as_ref()), "{what} in {shown}");
    }

    let files = files_in(dir.path());
    assert!(files.iter().any(|f| f == "vault.bin"), "{files:?}");
    let mut searched = 0;
    for name in &files {
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        searched += bytes.len();
        for (what, needle) in &needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
                "{what} found in {name}"
            );
        }
    }
    assert!(searched > 1000, "only {searched} bytes on disk");
}

#[test]
fn a_locked_token_refuses_everything_but_unlocking() {
    let dir = folder();
    let session = session(dir.path());
    let identity = new_token_with_link(&session, HOTP_LINK);
    session.lock();
    assert!(!session.is_unlocked());
    assert_eq!(
        session.status().unwrap(),
        TokenStatus::NeedsPin { attempts_left: 5 }
    );
    let id = identity.id.as_str();
    let refusals: Vec<(&str, SessionError)> = vec![
        ("identities", session.identities().unwrap_err()),
        ("find", session.find(id).unwrap_err()),
        ("code", session.code(id).unwrap_err()),
        ("code_at", session.code_at(id, T).unwrap_err()),
        (
            "challenge",
            session.challenge(id, "1234", None).unwrap_err(),
        ),
        ("rename", session.rename(id, "new").unwrap_err()),
        ("remove", session.remove(id).unwrap_err()),
        ("switch", session.switch_policy_variant(id).unwrap_err()),
        ("settings", session.settings().unwrap_err()),
        ("offset", session.set_time_offset(5).unwrap_err()),
        (
            "threshold",
            session.set_lockout_threshold(3, PIN).unwrap_err(),
        ),
        ("change_pin", session.change_pin(PIN, NEW_PIN).unwrap_err()),
        ("recovery key", session.add_recovery_key(PIN).unwrap_err()),
    ];
    for (call, error) in refusals {
        assert!(
            matches!(error, SessionError::NotUnlocked),
            "{call}: {error:?}"
        );
        assert_eq!(
            error.to_string(),
            "the token is locked: unlock it with your PIN first"
        );
    }
    // None of that counted as a PIN try or moved the counter.
    assert_eq!(
        session.status().unwrap(),
        TokenStatus::NeedsPin { attempts_left: 5 }
    );
    session.unlock(PIN).unwrap();
    assert_eq!(session.code(id).unwrap().counter, Some(0));
    assert_eq!(
        session.identities().unwrap()[0].name,
        identity.name,
        "rename while locked must not have happened"
    );
}

#[test]
fn an_empty_folder_has_no_token() {
    let dir = folder();
    let session = session(dir.path());
    assert_eq!(session.status().unwrap(), TokenStatus::NoToken);
    let refusals: Vec<(&str, SessionError)> = vec![
        ("identities", session.identities().unwrap_err()),
        ("find", session.find("x").unwrap_err()),
        ("code", session.code("x").unwrap_err()),
        ("code_at", session.code_at("x", T).unwrap_err()),
        (
            "challenge",
            session.challenge("x", "1234", None).unwrap_err(),
        ),
        ("rename", session.rename("x", "new").unwrap_err()),
        ("remove", session.remove("x").unwrap_err()),
        ("switch", session.switch_policy_variant("x").unwrap_err()),
        ("settings", session.settings().unwrap_err()),
        ("offset", session.set_time_offset(5).unwrap_err()),
        (
            "threshold",
            session.set_lockout_threshold(3, PIN).unwrap_err(),
        ),
        ("change_pin", session.change_pin(PIN, NEW_PIN).unwrap_err()),
        ("recovery key", session.add_recovery_key(PIN).unwrap_err()),
        ("unlock", session.unlock(PIN).unwrap_err()),
        (
            "unlock code",
            session
                .unlock_with_code("95008797094", NEW_PIN)
                .unwrap_err(),
        ),
        (
            "recovery",
            session
                .unlock_with_recovery_key("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA", NEW_PIN)
                .unwrap_err(),
        ),
    ];
    for (call, error) in refusals {
        assert!(matches!(error, SessionError::NoToken), "{call}: {error:?}");
        assert_eq!(
            error.to_string(),
            "there is no token here yet: add an identity to set one up"
        );
    }
    session.lock();
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn two_threads_share_one_session() {
    const ROUNDS: u64 = 8;
    let dir = folder();
    let session = session(dir.path());
    let hotp = new_token_with_link(&session, HOTP_LINK);
    let totp = add_link(&session, &totp_link("alice", "Example", SECRET_A));
    let expected_totp = session.code_at(&totp.id, T).unwrap();

    let coder = {
        let session = Arc::clone(&session);
        let (hotp, totp) = (hotp.id.clone(), totp.id.clone());
        std::thread::spawn(move || {
            let mut counters = Vec::new();
            for _ in 0..ROUNDS {
                counters.push(session.code(&hotp).unwrap().counter.unwrap());
                session.code(&totp).unwrap();
            }
            counters
        })
    };
    let renamer = {
        let session = Arc::clone(&session);
        let id = totp.id.clone();
        std::thread::spawn(move || {
            for round in 0..ROUNDS {
                session.rename(&id, &format!("alice {round}")).unwrap();
                assert_eq!(session.identities().unwrap().len(), 2);
            }
        })
    };
    let counters = coder.join().unwrap();
    renamer.join().unwrap();

    assert_eq!(counters, (0..ROUNDS).collect::<Vec<_>>());
    assert_eq!(
        names(&session),
        ["counter".to_string(), format!("alice {}", ROUNDS - 1)]
    );
    assert_eq!(session.code(&totp.id).unwrap(), expected_totp);

    // What is on disk agrees with what the session held.
    session.lock();
    let again = common::session(dir.path());
    again.unlock(PIN).unwrap();
    assert_eq!(
        names(&again),
        ["counter".to_string(), format!("alice {}", ROUNDS - 1)]
    );
    let view = again.code(&hotp.id).unwrap();
    let rfc = rfc4226_codes();
    assert_eq!(view.counter, Some(ROUNDS));
    assert_eq!(view.code, rfc[ROUNDS as usize].1.clone());
}

#[test]
fn renaming_to_a_name_in_use_is_refused() {
    let dir = folder();
    let session = session(dir.path());
    let first = new_token_with_link(&session, HOTP_LINK);
    let second = add_link(&session, STEAM_LINK);
    let error = session
        .rename(&second.id, &first.name.to_uppercase())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!("another identity is already called \"{}\"", first.name)
    );
    assert_eq!(
        session.find(&second.name).unwrap().name,
        second.name,
        "nothing was renamed"
    );
    // Renaming to its own name in another case is fine.
    session
        .rename(&first.id, &first.name.to_uppercase())
        .unwrap();
}

#[test]
fn a_taken_long_name_keeps_its_suffix_within_the_limit() {
    let dir = folder();
    let session = session(dir.path());
    let long = "n".repeat(256);
    let first = new_token_with_link(&session, HOTP_LINK);
    session.rename(&first.id, &long).unwrap();
    let second = add_link(&session, STEAM_LINK);
    session.rename(&second.id, "x").unwrap();
    let third = add_link(
        &session,
        &rfc6238_link(&long, "SHA1", "0102030405060708090a0b0c0d0e0f1011121314"),
    );
    assert_eq!(third.name.chars().count(), 256, "{}", third.name);
    assert!(third.name.ends_with("n (2)"), "{}", third.name);
}

#[test]
fn switching_the_variant_of_an_identity_without_a_policy_is_refused() {
    let dir = folder();
    let session = session(dir.path());
    let (identity, _) = new_token_with_ig(&session, &IgIssuer::spec(), None);
    let error = session.switch_policy_variant(&identity.id).unwrap_err();
    assert_eq!(
        error.to_string(),
        "this identity has only one way to compute its codes: its activation carried no policy"
    );
    let otp = add_link(&session, STEAM_LINK);
    assert!(matches!(
        session.switch_policy_variant(&otp.id),
        Err(SessionError::NoOtherVariant)
    ));
}

#[test]
fn unlocking_an_unlocked_session_checks_the_pin_again() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, HOTP_LINK);
    assert!(session.is_unlocked());
    session.unlock(PIN).unwrap();
    let error = session.unlock(WRONG_PIN).unwrap_err();
    assert_eq!(
        error.to_string(),
        "wrong PIN, 4 tries left before the token locks"
    );
    assert!(
        !session.is_unlocked(),
        "a failed confirmation locks the session"
    );
}

#[test]
fn wrong_current_pins_in_change_pin_lock_the_session_when_the_token_locks_out() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, HOTP_LINK);
    for _ in 0..4 {
        session.change_pin(WRONG_PIN, NEW_PIN).unwrap_err();
        assert!(session.is_unlocked());
    }
    session.change_pin(WRONG_PIN, NEW_PIN).unwrap_err();
    assert!(!session.is_unlocked());
    assert!(matches!(
        session.status().unwrap(),
        TokenStatus::LockedOut { .. }
    ));
}
