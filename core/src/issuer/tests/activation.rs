//! Creating identities and completing them with the token's registration code.

use super::*;
use crate::identityguard::{ActivationCode, IdentityGuardError, registration_code_from_random};
use crate::issuer::record::{IdentityRecord, RecordState};

#[test]
fn created_activation_data_is_valid_and_the_link_gives_it_back() {
    let (_dir, issuer) = new_store();
    let mut new = NewIdentity::new("alice");
    new.digits = 8;
    new.policy = Some(r#"{"allowUnsecured":"false","trustedExecution":"NOT_ALLOWED"}"#.into());
    new.address = Some("myid.example.edu/igst".into());
    new.ocra = Some("OCRA-1:HOTP-SHA1-6:QN08".parse().unwrap());
    let created = issuer.create(&new).unwrap();

    // The codes re-parse, so their check digits are right.
    let serial: SerialNumber = created.serial.to_string().parse().unwrap();
    let activation: ActivationCode = created.activation_code.to_string().parse().unwrap();
    assert_eq!(serial.as_digits().len(), 10);
    assert_eq!(activation.as_digits().len(), 16);
    assert_strong_password(&created.password);

    let link = open_activation_link(&created.link, &created.password).unwrap();
    assert_eq!(link.serial, serial);
    assert_eq!(link.activation, activation);
    assert_eq!(link.policy, new.policy);
    assert_eq!(link.address.as_deref(), Some("myid.example.edu/igst"));
    assert_eq!(link.ocra.as_deref(), Some("OCRA-1:HOTP-SHA1-6:QN08"));
    assert_eq!(link.name().as_deref(), Some("myid.example.edu"));
    assert_eq!(
        open_activation_link(&created.link, "00000000").unwrap_err(),
        IdentityGuardError::WrongPassword
    );

    let info = issuer.info(&created.serial.to_string()).unwrap();
    assert_eq!(
        (
            info.name.as_str(),
            info.digits,
            info.registered,
            info.window
        ),
        ("alice", 8, false, 1)
    );
    assert_eq!(info.policy, new.policy);
    assert_eq!(info.policy_included, None);
}

/// Four groups of four characters of Crockford's base32 alphabet (no I, L, O, U).
#[track_caller]
fn assert_strong_password(password: &str) {
    let groups: Vec<&str> = password.split('-').collect();
    assert_eq!(groups.len(), 4, "{password}");
    assert!(groups.iter().all(|g| g.len() == 4), "{password}");
    assert!(
        groups
            .concat()
            .chars()
            .all(|c| "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)),
        "{password}"
    );
}

#[test]
fn the_link_password_is_strong_by_default_and_opens_typed_loosely() {
    let (_dir, issuer) = new_store();
    let first = issuer.create(&NewIdentity::new("alice")).unwrap();
    let second = issuer.create(&NewIdentity::new("bob")).unwrap();
    assert_strong_password(&first.password);
    assert_strong_password(&second.password);
    assert_ne!(first.password.as_str(), second.password.as_str());
    // What a person types from a text message: lower case, spaces instead of dashes.
    let typed = first.password.to_lowercase().replace('-', " ");
    let link = open_activation_link(&first.link, &typed).unwrap();
    assert_eq!(link.serial, first.serial);
    assert_eq!(
        open_activation_link(&first.link, &second.password).unwrap_err(),
        IdentityGuardError::WrongPassword
    );
}

#[test]
fn eight_digit_link_passwords_remain_an_option() {
    let (_dir, issuer) = new_store();
    let new = NewIdentity {
        link_password: LinkPasswordKind::Digits8,
        ..NewIdentity::new("alice")
    };
    let created = issuer.create(&new).unwrap();
    assert_eq!(created.password.len(), 8);
    assert!(created.password.bytes().all(|b| b.is_ascii_digit()));
    let typed = format!("{} {}", &created.password[..4], &created.password[4..]);
    let link = open_activation_link(&created.link, &typed).unwrap();
    assert_eq!(link.serial, created.serial);
    let token = Token::activate(&created, 6);
    issuer
        .complete(&token.serial, &token.registration())
        .unwrap();
}

#[test]
fn serial_numbers_are_unique_and_listed() {
    let (_dir, issuer) = new_store();
    let mut serials: Vec<SerialNumber> = (0..25)
        .map(|i| {
            issuer
                .create(&NewIdentity::new(format!("p{i}")))
                .unwrap()
                .serial
        })
        .collect();
    serials.sort_by(|a, b| a.as_digits().cmp(b.as_digits()));
    serials.dedup();
    assert_eq!(serials.len(), 25);
    assert_eq!(issuer.serials().unwrap(), serials);
}

#[test]
fn a_fresh_serial_skips_taken_ones() {
    let taken: std::cell::RefCell<Vec<SerialNumber>> = Default::default();
    let serial = crate::issuer::activation::make_unused_serial(|s| {
        taken.borrow_mut().push(s.clone());
        Ok(taken.borrow().len() < 3)
    })
    .unwrap();
    assert_eq!(taken.borrow().len(), 3);
    assert_eq!(taken.borrow()[2], serial);
    let error = crate::issuer::activation::make_unused_serial(|_| Ok(true)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "internal error in the issuer: no unused serial number was found"
    );
}

#[test]
fn bad_creation_requests_are_refused_before_anything_is_written() {
    let (_dir, issuer) = new_store();
    let base = NewIdentity::new("alice");
    let with = |change: fn(&mut NewIdentity)| {
        let mut new = base.clone();
        change(&mut new);
        new
    };
    let cases: Vec<(NewIdentity, &str, IssuerField)> = vec![
        (
            with(|n| n.name = "  ".into()),
            "the name is empty",
            IssuerField::Name,
        ),
        (
            with(|n| n.name = "a\u{7}b".into()),
            "the name contains invisible control characters",
            IssuerField::Name,
        ),
        (
            with(|n| n.name = "x".repeat(257)),
            "the name is longer than 256 characters",
            IssuerField::Name,
        ),
        (
            with(|n| n.digits = 7),
            "an IdentityGuard security code has 6 or 8 digits, not 7",
            IssuerField::Digits,
        ),
        (
            with(|n| n.policy = Some("{\"a\": ".into())),
            "the policy is not valid JSON (line 1, column 6)",
            IssuerField::Policy,
        ),
        (
            with(|n| n.policy = Some(format!("\"{}\"", "p".repeat(1100)))),
            "the policy is too long: 1102 bytes, at most 1024",
            IssuerField::Policy,
        ),
        (
            with(|n| n.address = Some("/igst".into())),
            "the address has no host name (expected e.g. myid.example.edu/igst)",
            IssuerField::Address,
        ),
        (
            with(|n| n.address = Some(format!("{}.example", "a".repeat(300)))),
            "the address is too long: 308 characters, at most 256",
            IssuerField::Address,
        ),
        (
            with(|n| n.ocra = Some("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1".parse().unwrap())),
            "the OCRA suite asks for a PIN (P), which the issuer never learns; use a suite without P",
            IssuerField::OcraSuite,
        ),
        (
            with(|n| n.ocra = Some("OCRA-1:HOTP-SHA1-4:QH08-S512".parse().unwrap())),
            "the OCRA suite asks for session information (S), which the token does not send; use a suite without S",
            IssuerField::OcraSuite,
        ),
        (
            with(|n| n.window = Some(11)),
            "the verification window must be 0 to 10 steps each way, not 11",
            IssuerField::Window,
        ),
    ];
    for (new, message, field) in cases {
        let error = refused(&issuer, message, |i| i.create(&new));
        assert_eq!(error.field(), Some(field), "{message}");
    }
    assert!(issuer.serials().unwrap().is_empty());
}

#[test]
fn a_policy_is_kept_exactly_as_given() {
    let (_dir, issuer) = new_store();
    let mut new = NewIdentity::new("alice");
    // Spacing and key order would change under a parse-and-reserialise.
    new.policy = Some("{ \"b\":1,  \"a\" : \"x\\/y\" }".into());
    let created = issuer.create(&new).unwrap();
    let link = open_activation_link(&created.link, &created.password).unwrap();
    assert_eq!(link.policy, new.policy);
}

#[test]
fn completing_with_the_tokens_registration_code_registers_the_identity() {
    let (_dir, issuer) = new_store();
    let created = issuer.create(&NewIdentity::new("alice")).unwrap();
    let token = Token::activate(&created, 6);
    assert_eq!(
        issuer
            .complete(&token.serial, &token.registration())
            .unwrap(),
        Completion::Registered {
            policy_included: false
        }
    );
    let info = issuer.info(&token.serial).unwrap();
    assert!(info.registered);
    assert_eq!(info.policy_included, Some(false));
    // The secrets agree: the token's current code is accepted.
    issuer
        .verify(&token.serial, &token.code_at(NOW), NOW)
        .unwrap();
}

#[test]
fn with_a_policy_both_sides_include_it_by_default() {
    let (_dir, issuer) = new_store();
    let mut new = NewIdentity::new("alice");
    new.policy = Some(r#"{"allowUnsecured":"false","trustedExecution":"NOT_ALLOWED"}"#.into());
    let created = issuer.create(&new).unwrap();
    let token = Token::activate(&created, 6);
    assert_eq!(
        issuer
            .complete(&token.serial, &token.registration())
            .unwrap(),
        Completion::Registered {
            policy_included: true
        }
    );
    issuer
        .verify(&token.serial, &token.code_at(NOW), NOW)
        .unwrap();
    // The variant without the policy gives other codes, which are refused.
    let link = open_activation_link(&created.link, &created.password).unwrap();
    let without = derive_secret(&link.serial, &link.activation, &token.registration, None);
    let later = NOW + 60;
    let other_code = totp(&without, &token.params, later).unwrap();
    if other_code != token.code_at(later) {
        refused(&issuer, "code refused: not valid at this time", |i| {
            i.verify(&token.serial, &other_code, later)
        });
    }
}

/// ../shared/spec/identityguard.md, "Vector (public)": the issuer's registration step derives
/// the spec's secret from the spec's codes and policy. (The spec's registration code was made
/// by the vendor's token and fails Tessera's rule, so it is given to `register` directly.)
#[test]
fn registration_derives_the_spec_vector() {
    let policy = r#"{"allowUnsecured":"false","trustedExecution":"NOT_ALLOWED"}"#;
    let mut record = IdentityRecord {
        serial: "48244-13456".parse().unwrap(),
        name: "spec".into(),
        digits: 6,
        policy: Some(policy.into()),
        address: None,
        ocra: None,
        window: None,
        state: RecordState::Pending {
            activation: "1745-7712-6942-8698".parse().unwrap(),
        },
    };
    let completion =
        crate::issuer::activation::register(&mut record, "12211-49352".parse().unwrap()).unwrap();
    assert_eq!(
        completion,
        Completion::Registered {
            policy_included: true
        }
    );
    let secret = &record.registered().unwrap().secret;
    assert_eq!(secret.to_hex().as_str(), "bb9b6d72ae99b006de5e106935ec96da");
}

#[test]
fn registration_code_typos_are_refused_check_digit_first_then_our_rule() {
    let (_dir, issuer) = new_store();
    let created = issuer.create(&NewIdentity::new("alice")).unwrap();
    let token = Token::activate(&created, 6);
    let serial = token.serial.clone();
    let good = token.registration.as_digits().to_string();

    // One digit changed: the check digit catches it before anything else.
    let mut typo = good.clone().into_bytes();
    typo[3] = if typo[3] == b'9' { b'0' } else { typo[3] + 1 };
    let typo = String::from_utf8(typo).unwrap();
    let error = refused(
        &issuer,
        "the registration code has a typo: its check digit does not match",
        |i| i.complete(&serial, &typo),
    );
    assert_eq!(error.field(), Some(IssuerField::RegistrationCode));

    // Luhn-valid, but made for another serial number: our rule refuses it.
    let other_serial: SerialNumber = "48244-13456".parse().unwrap();
    let foreign = (0..=255u8)
        .map(|b| registration_code_from_random(&other_serial, [b, 0x42]))
        .find(|code| crate::identityguard::check_registration_code(&created.serial, code).is_err())
        .unwrap();
    let error = refused(
        &issuer,
        "the registration code does not belong to this serial number (check both for a typo)",
        |i| i.complete(&serial, &foreign.to_string()),
    );
    assert_eq!(error.field(), Some(IssuerField::RegistrationCode));
    // The vendor's code from the spec passes Luhn but not our rule.
    refused(
        &issuer,
        "the registration code does not belong to this serial number (check both for a typo)",
        |i| i.complete(&serial, "12211-49352"),
    );
    for (code, message) in [
        ("", "the registration code is empty"),
        ("12345", "the registration code must have 10 digits, not 5"),
        (
            "1221a-49352",
            "the registration code may contain only digits, dashes and spaces",
        ),
    ] {
        refused(&issuer, message, |i| i.complete(&serial, code));
    }
    assert!(!issuer.info(&serial).unwrap().registered);
    // The right code still works afterwards.
    issuer.complete(&serial, &good).unwrap();
}

#[test]
fn unknown_or_mistyped_serial_numbers_are_named() {
    let (_dir, issuer) = new_store();
    let token = registered(&issuer, &NewIdentity::new("alice"));
    let unknown = "48244-13456";
    let error = refused(
        &issuer,
        "there is no identity with serial number 48244-13456 in this store",
        |i| {
            i.complete(
                unknown,
                &registration_code_from_random(&unknown.parse().unwrap(), [1, 2]).to_string(),
            )
        },
    );
    assert_eq!(error.field(), Some(IssuerField::SerialNumber));
    refused(
        &issuer,
        "there is no identity with serial number 48244-13456 in this store",
        |i| i.verify(unknown, "123456", NOW),
    );
    refused(
        &issuer,
        "there is no identity with serial number 48244-13456 in this store",
        |i| i.info(unknown),
    );
    refused(
        &issuer,
        "the serial number has a typo: its check digit does not match",
        |i| i.verify("48244-13457", &token.code_at(NOW), NOW),
    );
}

#[test]
fn completing_twice_is_idempotent_with_the_same_code_only() {
    let (_dir, issuer) = new_store();
    let created = issuer.create(&NewIdentity::new("alice")).unwrap();
    let token = Token::activate(&created, 6);
    issuer
        .complete(&token.serial, &token.registration())
        .unwrap();
    let before = snapshot(issuer.dir());
    // A retried request with the same code: answered, nothing written.
    assert_eq!(
        issuer
            .complete(&token.serial, &token.registration())
            .unwrap(),
        Completion::AlreadyRegistered
    );
    assert_eq!(snapshot(issuer.dir()), before);
    // Another token activated with the same data: refused.
    let second = loop {
        let code = make_registration_code(&created.serial).unwrap();
        if code != token.registration {
            break code;
        }
    };
    let message = format!(
        "the identity {} is already registered with another registration code; create a new identity to activate another token",
        token.serial
    );
    refused(&issuer, &message, |i| {
        i.complete(&token.serial, &second.to_string())
    });
    issuer
        .verify(&token.serial, &token.code_at(NOW), NOW)
        .unwrap();
}

#[test]
fn random_text_uses_the_whole_alphabet_evenly() {
    use crate::random::make_random_text;
    let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let text = make_random_text(36_000, alphabet).unwrap();
    assert_eq!(text.len(), 36_000);
    for symbol in alphabet.chars() {
        let count = text.chars().filter(|&c| c == symbol).count();
        // 1000 expected each; a fair draw stays far inside this band.
        assert!((800..1200).contains(&count), "{symbol}: {count}");
    }
    assert_eq!(make_random_text(5, "").unwrap().as_str(), "");
}
