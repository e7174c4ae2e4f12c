//! The Add Identity flow end to end: typed activation data and activation links on a new
//! token (PIN set and confirmed, registration code shown, nothing saved before `finish`), and
//! every step's refusals with the field they name and the words they use.
//!
//! Codes are checked against the in-test issuer (tests/common), which derives the secret from
//! the activation data and the registration code the flow showed.

mod common;

use common::*;
use tessera_core::flow::{ActivationInput, AddIdentityFlow, FlowError, FlowField, FlowStep};
use tessera_core::identity::IdentityKindLabel;
use tessera_core::identityguard::{RegistrationCode, SerialNumber, check_registration_code};
use tessera_core::session::{SessionError, TokenStatus};

fn assert_invalid(error: FlowError, field: FlowField, message: &str) {
    assert_eq!(error.field(), field, "{error:?}");
    assert_eq!(error.to_string(), message, "{error:?}");
}

/// The issuer's own check: the code was made for this serial under Tessera's rule.
fn assert_registration_belongs(serial: &str, registration: &str) {
    let serial: SerialNumber = serial.parse().unwrap();
    let code: RegistrationCode = registration.parse().unwrap();
    check_registration_code(&serial, &code).unwrap();
    assert_eq!(registration.len(), 11, "grouped 5-5: {registration}");
    assert_eq!(&registration[5..6], "-", "{registration}");
}

#[test]
fn issuer_side_derivation_matches_the_public_vector() {
    // The in-test issuer is only trusted because its functions reproduce the spec's vector.
    let vectors = vector_file("identityguard.json");
    for case in vectors["derivation"].as_array().unwrap() {
        let issuer = IgIssuer {
            serial: text(case, "serial").into(),
            activation: text(case, "activation").into(),
            policy: optional(case, "policy"),
        };
        let with_policy = issuer.policy.is_some();
        let secret = issuer.secret(text(case, "registration"), with_policy);
        assert_eq!(secret.to_hex().as_str(), text(case, "secret_hex"));
    }
}

#[test]
fn typed_activation_on_a_new_token_saves_nothing_before_finish() {
    let dir = folder();
    let session = session(dir.path());
    assert_eq!(session.status().unwrap(), TokenStatus::NoToken);
    let issuer = IgIssuer::spec();

    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    assert_eq!(flow.step(), FlowStep::Start);
    let input = issuer.input(Some("https://MyID.example.edu/igst"));
    assert_eq!(flow.enter_activation(&input).unwrap(), FlowStep::NeedsPin);
    assert_eq!(flow.set_pin(PIN).unwrap(), FlowStep::ConfirmPin);

    // A different confirmation goes back to choosing the PIN.
    let error = flow.confirm_pin("4738").unwrap_err();
    assert!(matches!(error, FlowError::PinMismatch), "{error:?}");
    assert_eq!(error.field(), FlowField::Pin);
    assert_eq!(
        error.to_string(),
        "the two PINs are not the same: choose a PIN and type it twice"
    );
    assert_eq!(flow.step(), FlowStep::NeedsPin);
    // The first PIN was forgotten: confirming it now is out of step.
    let error = flow.confirm_pin(PIN).unwrap_err();
    assert_eq!(
        error.to_string(),
        "this step does not come now: the flow is at \"choose a PIN\""
    );

    assert_eq!(flow.set_pin(NEW_PIN).unwrap(), FlowStep::ConfirmPin);
    let shown = flow.confirm_pin(NEW_PIN).unwrap();
    let FlowStep::ShowRegistrationCode {
        name,
        registration_code,
    } = shown.clone()
    else {
        panic!("expected the registration code, got {shown:?}");
    };
    assert_eq!(name, "myid.example.edu");
    assert_registration_belongs(SPEC_SERIAL, &registration_code);
    assert_eq!(flow.step(), shown);

    // Nothing is on disk yet, for this session or any other.
    assert!(
        files_in(dir.path()).is_empty(),
        "{:?}",
        files_in(dir.path())
    );
    assert_eq!(session.status().unwrap(), TokenStatus::NoToken);
    assert_eq!(
        common::session(dir.path()).status().unwrap(),
        TokenStatus::NoToken
    );

    let identity = done(flow.finish().unwrap());
    assert_eq!(identity.name, "myid.example.edu");
    assert_eq!(identity.kind, IdentityKindLabel::IdentityGuard);
    assert_eq!(identity.serial.as_deref(), Some(SPEC_SERIAL));
    assert_eq!(
        identity.registration_code.as_deref(),
        Some(registration_code.as_str())
    );
    assert_eq!(
        identity.address.as_deref(),
        Some("https://MyID.example.edu/igst")
    );
    assert_eq!(identity.policy_included, Some(false));
    assert!(!identity.can_switch_policy);
    assert_eq!((identity.digits, identity.period), (Some(6), Some(30)));
    assert_eq!(identity.added_at, T);
    assert_eq!(session.status().unwrap(), TokenStatus::Unlocked);

    let expected = issuer.code(&registration_code, false, T);
    assert_eq!(session.code(&identity.id).unwrap().code, expected);
    for t in [T + 30, T + 3_600, 2_000_000_000] {
        assert_eq!(
            session.code_at(&identity.id, t).unwrap().code,
            issuer.code(&registration_code, false, t),
            "t = {t}"
        );
    }

    // The PIN that was confirmed is the token's PIN, from a new session too.
    drop(session);
    let session = common::session(dir.path());
    assert_eq!(
        session.status().unwrap(),
        TokenStatus::NeedsPin { attempts_left: 5 }
    );
    assert!(matches!(session.unlock(PIN), Err(SessionError::Vault(_))));
    session.unlock(NEW_PIN).unwrap();
    assert_eq!(session.code(&identity.id).unwrap().code, expected);
}

#[test]
fn without_an_address_the_name_is_made_from_the_serial_or_typed() {
    let dir = folder();
    let session = session(dir.path());
    let (identity, _) = new_token_with_ig(&session, &IgIssuer::spec(), None);
    assert_eq!(identity.name, "IdentityGuard 48244-13456");
    assert_eq!(identity.address, None);

    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let issuer = IgIssuer::numbered("123456789", "111122223333444");
    let input = ActivationInput {
        name: Some("  Work VPN ".into()),
        ..issuer.input(Some("vpn.example.org/igst"))
    };
    let state = flow.enter_activation(&input).unwrap();
    let FlowStep::ShowRegistrationCode { name, .. } = &state else {
        panic!("{state:?}");
    };
    assert_eq!(name, "Work VPN");
    let registration = shown_registration(&state);
    assert_registration_belongs(&issuer.serial, &registration);
    let identity = done(flow.finish().unwrap());
    assert_eq!(identity.name, "Work VPN");
    assert_eq!(
        session.code(&identity.id).unwrap().code,
        issuer.code(&registration, false, T)
    );
}

#[test]
fn eight_digit_deployments_get_eight_digit_codes() {
    let dir = folder();
    let session = session(dir.path());
    let issuer = IgIssuer::spec();
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let input = ActivationInput {
        digits: Some(8),
        ..issuer.input(None)
    };
    flow.enter_activation(&input).unwrap();
    flow.set_pin(PIN).unwrap();
    let registration = shown_registration(&flow.confirm_pin(PIN).unwrap());
    let identity = done(flow.finish().unwrap());
    assert_eq!(identity.digits, Some(8));
    let params = tessera_core::identityguard::code_params(8).unwrap();
    let expected =
        tessera_core::codes::totp(&issuer.secret(&registration, false), &params, T).unwrap();
    assert_eq!(session.code(&identity.id).unwrap().code, expected);
    assert_eq!(expected.len(), 8);
}

#[test]
fn activation_links_ask_for_their_password_and_use_the_policy_variant_first() {
    for case in ig_links() {
        let name = text(&case, "name");
        let expected = &case["expected"];
        let dir = folder();
        let session = session(dir.path());
        let flow = AddIdentityFlow::new(session.clone()).unwrap();
        assert_eq!(
            flow.enter_link(text(&case, "uri")).unwrap(),
            FlowStep::NeedsPassword,
            "{name}"
        );

        let error = flow.enter_password("11111111").unwrap_err();
        assert_eq!(error.field(), FlowField::Password, "{name}");
        assert!(error.to_string().contains("password"), "{name}: {error}");
        assert_eq!(
            error.to_string(),
            "the link password is wrong (or the link was changed)"
        );
        assert_eq!(flow.step(), FlowStep::NeedsPassword, "{name}");
        let error = flow.enter_password(" ").unwrap_err();
        assert_eq!(error.field(), FlowField::Password, "{name}");
        assert!(error.to_string().contains("password"), "{name}: {error}");

        assert_eq!(
            flow.enter_password(text(&case, "password")).unwrap(),
            FlowStep::NeedsPin,
            "{name}"
        );
        flow.set_pin(PIN).unwrap();
        let state = flow.confirm_pin(PIN).unwrap();
        let registration = shown_registration(&state);
        let FlowStep::ShowRegistrationCode { name: shown, .. } = &state else {
            unreachable!()
        };
        let default_name = "IdentityGuard 48244-13456".to_string();
        let expected_name = optional(expected, "name").unwrap_or(default_name);
        assert_eq!(shown, &expected_name, "{name}");
        assert_registration_belongs(SPEC_SERIAL, &registration);
        assert!(files_in(dir.path()).is_empty(), "{name}");

        let identity = done(flow.finish().unwrap());
        let policy = optional(expected, "policy");
        let has_policy = policy.is_some();
        assert_eq!(identity.name, expected_name, "{name}");
        assert_eq!(identity.address, optional(expected, "address"), "{name}");
        assert_eq!(identity.policy_included, Some(has_policy), "{name}");
        assert_eq!(identity.can_switch_policy, has_policy, "{name}");

        let issuer = IgIssuer {
            serial: text(expected, "serial").into(),
            activation: text(expected, "activation").into(),
            policy,
        };
        assert_eq!(
            session.code(&identity.id).unwrap().code,
            issuer.code(&registration, has_policy, T),
            "{name}"
        );
        if has_policy {
            let with = issuer.code(&registration, true, T);
            let without = issuer.code(&registration, false, T);
            assert_ne!(with, without, "{name}: the variants must differ at T");
            let switched = session.switch_policy_variant(&identity.id).unwrap();
            assert_eq!(switched.policy_included, Some(false));
            assert!(switched.can_switch_policy);
            assert_eq!(session.code(&identity.id).unwrap().code, without);
            // Saved: a new session sees the switch.
            session.lock();
            let again = common::session(dir.path());
            again.unlock(PIN).unwrap();
            assert_eq!(again.code(&identity.id).unwrap().code, without);
            let back = again.switch_policy_variant(&identity.id).unwrap();
            assert_eq!(back.policy_included, Some(true));
            assert_eq!(again.code(&identity.id).unwrap().code, with);
        }
    }
}

#[test]
fn an_activation_link_on_an_unlocked_token_needs_no_pin() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, HOTP_LINK);
    let case = ig_links()
        .into_iter()
        .find(|c| c["name"] == "full_escaped_slashes")
        .unwrap();
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    assert_eq!(
        flow.enter_link(&format!("  {}\n", text(&case, "uri")))
            .unwrap(),
        FlowStep::NeedsPassword
    );
    let registration = shown_registration(&flow.enter_password("2718 2818").unwrap());
    let identity = done(flow.finish().unwrap());
    let issuer = IgIssuer {
        policy: Some(SPEC_POLICY.into()),
        ..IgIssuer::spec()
    };
    assert_eq!(
        session.code(&identity.id).unwrap().code,
        issuer.code(&registration, true, T)
    );
    assert_eq!(session.identities().unwrap().len(), 2);
}

#[test]
fn typed_data_is_checked_field_by_field() {
    let dir = folder();
    let session = session(dir.path());
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let good = IgIssuer::spec().input(None);
    let cases: Vec<(ActivationInput, FlowField, &str)> = vec![
        (
            ActivationInput {
                serial: "48244-13457".into(),
                ..good.clone()
            },
            FlowField::SerialNumber,
            "the serial number has a typo: its check digit does not match",
        ),
        (
            ActivationInput {
                serial: "4824-13456".into(),
                ..good.clone()
            },
            FlowField::SerialNumber,
            "the serial number must have 10 digits, not 9",
        ),
        (
            ActivationInput {
                serial: " ".into(),
                ..good.clone()
            },
            FlowField::SerialNumber,
            "the serial number is empty",
        ),
        (
            ActivationInput {
                activation: "1745-7712-6942-8699".into(),
                ..good.clone()
            },
            FlowField::ActivationCode,
            "the activation code has a typo: its check digit does not match",
        ),
        (
            ActivationInput {
                activation: "1745-7712-6942-869O".into(),
                ..good.clone()
            },
            FlowField::ActivationCode,
            "the activation code may contain only digits, dashes and spaces",
        ),
        (
            ActivationInput {
                digits: Some(7),
                ..good.clone()
            },
            FlowField::Digits,
            "an IdentityGuard security code has 6 or 8 digits, not 7",
        ),
        (
            ActivationInput {
                address: Some("https:///igst".into()),
                ..good.clone()
            },
            FlowField::Address,
            "the address has no host name (expected e.g. myid.example.edu/igst)",
        ),
        (
            ActivationInput {
                address: Some("/igst".into()),
                ..good.clone()
            },
            FlowField::Address,
            "the address has no host name (expected e.g. myid.example.edu/igst)",
        ),
        (
            ActivationInput {
                ocra_suite: Some("OCRA-2:HOTP-SHA1-6:QN08".into()),
                ..good.clone()
            },
            FlowField::OcraSuite,
            "the OCRA suite must start with OCRA-1 (the only version RFC 6287 defines), not 'OCRA-2'",
        ),
        (
            ActivationInput {
                ocra_suite: Some("OCRA-1:HOTP-SHA1-6".into()),
                ..good.clone()
            },
            FlowField::OcraSuite,
            "an OCRA suite has three parts separated by colons, like OCRA-1:HOTP-SHA1-6:QN08, but this one has 2",
        ),
        (
            ActivationInput {
                name: Some("Work\u{7}".into()),
                ..good.clone()
            },
            FlowField::Name,
            "the name contains invisible control characters",
        ),
    ];
    for (input, field, message) in cases {
        let error = flow.enter_activation(&input).unwrap_err();
        assert_invalid(error, field, message);
        assert_eq!(flow.step(), FlowStep::Start, "{message}");
    }
    // A serial typo is reported before an activation typo: the serial comes first on screen.
    let both = ActivationInput {
        serial: "48244-13457".into(),
        activation: "1745-7712-6942-8699".into(),
        ..good.clone()
    };
    assert_eq!(
        flow.enter_activation(&both).unwrap_err().field(),
        FlowField::SerialNumber
    );
    // Blank optional fields are treated as absent.
    let blank = ActivationInput {
        address: Some("  ".into()),
        name: Some("".into()),
        ocra_suite: Some(" ".into()),
        ..good
    };
    assert_eq!(flow.enter_activation(&blank).unwrap(), FlowStep::NeedsPin);
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn links_that_cannot_be_used_are_refused_beside_the_link() {
    let dir = folder();
    let session = session(dir.path());
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    for (link, message) in [
        (
            "https://example.com/?secret=GEZDGNBVGY3TQOJQ",
            "the link must start with otpauth:// or igmobileotp://",
        ),
        ("", "the link must start with otpauth:// or igmobileotp://"),
        (
            "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8",
            "this is a Google Authenticator export (otpauth-migration://), not a single otpauth link; import it as an export",
        ),
    ] {
        let error = flow.enter_link(link).unwrap_err();
        assert_invalid(error, FlowField::Link, message);
        assert_eq!(flow.step(), FlowStep::Start);
    }
    // Every invalid otpauth case of the shared vectors, with its exact message.
    let vectors = vector_file("otpauth.json");
    let mut checked = 0;
    for case in vectors["invalid"].as_array().unwrap() {
        let uri = text(case, "uri");
        if !uri.to_ascii_lowercase().starts_with("otpauth") {
            continue;
        }
        let error = flow.enter_link(uri).unwrap_err();
        assert_invalid(error, FlowField::Link, text(case, "error"));
        assert_eq!(flow.step(), FlowStep::Start);
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} invalid otpauth cases");
}

#[test]
fn a_broken_activation_link_is_refused_before_the_password_is_asked() {
    let dir = folder();
    let session = session(dir.path());
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let case = &ig_links()[0];
    let uri = text(case, "uri");
    let cut = &uri[..uri.find("&mac=").unwrap()];
    for (link, message) in [
        (
            cut,
            "the link is missing its mac parameter (was it cut short?)",
        ),
        (
            "igmobileotp://?action=secdelete&enc=AAAA&v=1&mac=AAAA",
            "the link asks for the action \"secdelete\"; Tessera only understands secactivate",
        ),
        (
            "igmobileotp://?action=secactivate&enc=AAAA&v=1&mac=AAAA",
            "the link's encrypted part is too short: 3 bytes, at least 24 are needed",
        ),
    ] {
        let error = flow.enter_link(link).unwrap_err();
        assert_invalid(error, FlowField::Link, message);
        assert_eq!(flow.step(), FlowStep::Start, "{link}");
    }
    // The whole link still goes on to the password.
    assert_eq!(flow.enter_link(uri).unwrap(), FlowStep::NeedsPassword);
}

#[test]
fn pins_that_break_the_rules_are_refused_beside_the_pin() {
    let dir = folder();
    let session = session(dir.path());
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    flow.enter_link(HOTP_LINK).unwrap();
    for (pin, message) in [
        ("473", "a PIN needs at least 4 digits"),
        ("", "a PIN needs at least 4 digits"),
        (
            "1111",
            "a PIN of one repeated digit is too easy to guess; choose another",
        ),
        (
            "1234",
            "a PIN of consecutive digits (like 1234 or 9876) is too easy to guess; choose another",
        ),
        (
            "98765",
            "a PIN of consecutive digits (like 1234 or 9876) is too easy to guess; choose another",
        ),
        (
            "abc",
            "a passphrase that is not only digits needs at least 8 characters",
        ),
    ] {
        let error = flow.set_pin(pin).unwrap_err();
        assert_invalid(error, FlowField::Pin, message);
        assert_eq!(flow.step(), FlowStep::NeedsPin, "{pin:?}");
    }
    assert!(files_in(dir.path()).is_empty());
}

#[test]
fn methods_called_out_of_step_are_refused_and_change_nothing() {
    let dir = folder();
    let session = session(dir.path());
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let wrong_step = |error: FlowError, step: &str| {
        assert_eq!(error.field(), FlowField::Step, "{error:?}");
        assert!(matches!(error, FlowError::WrongStep { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            format!("this step does not come now: the flow is at \"{step}\"")
        );
    };
    wrong_step(flow.set_pin(PIN).unwrap_err(), "start");
    wrong_step(flow.confirm_pin(PIN).unwrap_err(), "start");
    wrong_step(flow.enter_password("27182818").unwrap_err(), "start");
    wrong_step(flow.finish().unwrap_err(), "start");
    assert_eq!(flow.step(), FlowStep::Start);

    flow.enter_link(text(&ig_links()[1], "uri")).unwrap();
    wrong_step(
        flow.enter_activation(&IgIssuer::spec().input(None))
            .unwrap_err(),
        "link password",
    );
    wrong_step(flow.enter_link(HOTP_LINK).unwrap_err(), "link password");
    wrong_step(flow.set_pin(PIN).unwrap_err(), "link password");
    flow.enter_password(text(&ig_links()[1], "password"))
        .unwrap();
    wrong_step(flow.finish().unwrap_err(), "choose a PIN");
    wrong_step(flow.confirm_pin(PIN).unwrap_err(), "choose a PIN");
    flow.set_pin(PIN).unwrap();
    wrong_step(flow.set_pin(PIN).unwrap_err(), "confirm the PIN");
    wrong_step(flow.finish().unwrap_err(), "confirm the PIN");
    let shown = flow.confirm_pin(PIN).unwrap();
    wrong_step(flow.confirm_pin(PIN).unwrap_err(), "registration code");
    wrong_step(flow.enter_link(HOTP_LINK).unwrap_err(), "registration code");
    assert_eq!(flow.step(), shown);
    assert!(files_in(dir.path()).is_empty());
    let identity = done(flow.finish().unwrap());
    wrong_step(flow.finish().unwrap_err(), "done");
    wrong_step(flow.enter_link(HOTP_LINK).unwrap_err(), "done");
    assert_eq!(
        flow.step(),
        FlowStep::Done {
            identity,
            recovery_key: None,
            warnings: Vec::new()
        },
        "the recovery key is never repeated"
    );
    assert_eq!(session.identities().unwrap().len(), 1);
}

#[test]
fn a_locked_token_refuses_the_flow() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, HOTP_LINK);
    session.lock();
    let error = AddIdentityFlow::new(session.clone()).unwrap_err();
    assert!(
        matches!(error, FlowError::Session(SessionError::NotUnlocked)),
        "{error:?}"
    );
    assert_eq!(error.field(), FlowField::Step);
    assert_eq!(
        error.to_string(),
        "the token is locked: unlock it with your PIN first"
    );
    // A flow started while unlocked cannot save once the token is locked.
    session.unlock(PIN).unwrap();
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    session.lock();
    let error = flow.enter_link(STEAM_LINK).unwrap_err();
    assert!(
        matches!(error, FlowError::Session(SessionError::NotUnlocked)),
        "{error:?}"
    );
    session.unlock(PIN).unwrap();
    assert_eq!(session.identities().unwrap().len(), 1);
}

#[test]
fn the_same_identity_twice_is_refused_with_its_name_and_nothing_added() {
    let dir = folder();
    let session = session(dir.path());
    let issuer = IgIssuer::spec();
    let (first, registration) = new_token_with_ig(&session, &issuer, Some("myid.example.edu"));

    // The same serial again, typed differently: refused before a registration code is shown
    // (typing a new one into the organisation's page would break the identity already here).
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let input = ActivationInput {
        serial: "4824413456".into(),
        name: Some("Other".into()),
        ..issuer.input(None)
    };
    let error = flow.enter_activation(&input).unwrap_err();
    assert!(
        matches!(&error, FlowError::Session(SessionError::Duplicate { existing }) if existing == "myid.example.edu"),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "this identity is already on the token (as \"myid.example.edu\")"
    );
    assert_eq!(flow.step(), FlowStep::Start);

    // Through the link as well.
    let case = &ig_links()[1];
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    flow.enter_link(text(case, "uri")).unwrap();
    for _ in 0..2 {
        // The flow stays at the password step and can take it again (same answer).
        let error = flow.enter_password(text(case, "password")).unwrap_err();
        assert!(
            matches!(&error, FlowError::Session(SessionError::Duplicate { existing }) if existing == "myid.example.edu"),
            "{error:?}"
        );
        assert_eq!(flow.step(), FlowStep::NeedsPassword);
    }

    // The same otpauth secret under another name.
    let hotp = add_link(&session, HOTP_LINK);
    let same_secret =
        "otpauth://totp/Elsewhere:bob?secret=gezdgnbvgy3tqojqgezdgnbvgy3tqojq&issuer=Elsewhere";
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let error = flow.enter_link(same_secret).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "this identity is already on the token (as \"{}\")",
            hotp.name
        )
    );
    assert_eq!(hotp.name, "counter");

    let names: Vec<String> = session
        .identities()
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(names, ["myid.example.edu", "counter"]);
    // The first identity still shows the issuer's codes.
    assert_eq!(
        session.code(&first.id).unwrap().code,
        issuer.code(&registration, false, T)
    );
}

#[test]
fn done_carries_the_links_warnings_and_the_new_tokens_recovery_key() {
    let dir = folder();
    let session = session(dir.path());
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    // An 80-bit secret: accepted, with a warning the person should see.
    flow.enter_link("otpauth://totp/Example:short?secret=JBSWY3DPEHPK3PXP&issuer=Example")
        .unwrap();
    flow.set_pin(PIN).unwrap();
    let FlowStep::Done {
        recovery_key: Some(key),
        warnings,
        ..
    } = flow.confirm_pin(PIN).unwrap()
    else {
        panic!("a new token shows its recovery key");
    };
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("80 bits"), "{warnings:?}");
    assert_eq!(key.len(), 39);
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let FlowStep::Done {
        recovery_key,
        warnings,
        ..
    } = flow.enter_link(HOTP_LINK).unwrap()
    else {
        panic!("an otpauth link on an unlocked token is saved at once");
    };
    assert_eq!(
        (recovery_key, warnings),
        (None, Vec::new()),
        "only a new token gets a key"
    );
    session.lock();
    session.unlock_with_recovery_key(&key, NEW_PIN).unwrap();
}
