//! IdentityGuard compatibility, checked against tests/vectors/identityguard.json.
//!
//! The vector file holds the spec's public derivation vector and fixtures made by
//! tests/vectors/make_identityguard_links.py, an independent Python implementation written from
//! ../shared/spec/identityguard.md. Byte-identical sealed links prove the link format.

use proptest::prelude::*;
use serde_json::Value;
use tessera_core::identityguard::{
    ActivationCode, ActivationLink, Field, IdentityGuardError, RegistrationCode, SerialNumber,
    check_registration_code, derive_secret, luhn_check_digit, make_registration_code,
    name_from_address, open_activation_link, registration_code_from_random, seal_activation_link,
};

const WRONG_PASSWORD: &str = "the link password is wrong (or the link was changed)";

fn vectors() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/identityguard.json"
    );
    let text = std::fs::read_to_string(path).expect("tests/vectors/identityguard.json is readable");
    serde_json::from_str(&text).expect("tests/vectors/identityguard.json is JSON")
}

fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is a string in {value}"))
}

fn optional(value: &Value, key: &str) -> Option<String> {
    value[key].as_str().map(str::to_owned)
}

fn links() -> Vec<Value> {
    vectors()["links"]
        .as_array()
        .expect("links is an array")
        .clone()
}

fn link_named(name: &str) -> Value {
    links()
        .into_iter()
        .find(|l| l["name"] == name)
        .expect("fixture exists")
}

fn salt_of(case: &Value) -> [u8; 8] {
    let hex = text(case, "salt_hex");
    let mut salt = [0u8; 8];
    for (i, byte) in salt.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    salt
}

fn expected_link(case: &Value) -> ActivationLink {
    let expected = &case["expected"];
    ActivationLink {
        serial: text(expected, "serial").parse().unwrap(),
        activation: text(expected, "activation").parse().unwrap(),
        policy: optional(expected, "policy"),
        address: optional(expected, "address"),
        ocra: optional(expected, "ocra"),
    }
}

/// Replaces the value of `name` in the URI with `change(value)`.
fn change_value(uri: &str, name: &str, change: impl Fn(&str) -> String) -> String {
    let marker = format!("{name}=");
    let start = uri.find(&marker).unwrap() + marker.len();
    let end = uri[start..].find('&').map_or(uri.len(), |i| start + i);
    format!(
        "{}{}{}",
        &uri[..start],
        change(&uri[start..end]),
        &uri[end..]
    )
}

/// Changes one base64 character in the middle of `value` to another base64 character.
fn flip_middle(value: &str) -> String {
    let mut chars: Vec<char> = value.chars().collect();
    let middle = chars.len() / 2;
    chars[middle] = if chars[middle] == 'A' { 'B' } else { 'A' };
    chars.into_iter().collect()
}

// --- secret derivation ------------------------------------------------------------------------

#[test]
fn derivation_vectors_match_with_and_without_policy() {
    let vectors = vectors();
    let cases = vectors["derivation"].as_array().unwrap();
    assert_eq!(cases.len(), 2);
    for case in cases {
        let serial: SerialNumber = text(case, "serial").parse().unwrap();
        let activation: ActivationCode = text(case, "activation").parse().unwrap();
        let registration: RegistrationCode = text(case, "registration").parse().unwrap();
        let policy = optional(case, "policy");
        let secret = derive_secret(&serial, &activation, &registration, policy.as_deref());
        assert_eq!(
            secret.to_hex().as_str(),
            text(case, "secret_hex"),
            "{}",
            case["name"]
        );
        assert_eq!(secret.len(), 16);
    }
    // The spec's own number, independent of the JSON.
    assert_eq!(cases[0]["secret_hex"], "bb9b6d72ae99b006de5e106935ec96da");
}

// --- registration codes -----------------------------------------------------------------------

#[test]
fn registration_codes_match_the_python_reading_of_our_rule() {
    let vectors = vectors();
    let cases = vectors["registration_codes"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let serial: SerialNumber = text(case, "serial").parse().unwrap();
        let hex = text(case, "random_hex");
        let random = u16::from_str_radix(hex, 16).unwrap().to_be_bytes();
        let code = registration_code_from_random(&serial, random);
        assert_eq!(code.as_digits(), text(case, "code"), "{case}");
        assert_eq!(check_registration_code(&serial, &code), Ok(()));
    }
}

#[test]
fn spec_registration_code_fails_our_rule_but_still_derives() {
    let serial: SerialNumber = "48244-13456".parse().unwrap();
    let activation: ActivationCode = "1745-7712-6942-8698".parse().unwrap();
    let vendor: RegistrationCode = "12211-49352".parse().unwrap();
    let error = check_registration_code(&serial, &vendor).unwrap_err();
    assert_eq!(error, IdentityGuardError::RegistrationMismatch);
    assert_eq!(
        error.to_string(),
        "the registration code does not belong to this serial number (check both for a typo)"
    );
    let secret = derive_secret(&serial, &activation, &vendor, None);
    assert_eq!(secret.len(), 16);
}

#[test]
fn fresh_registration_codes_pass_our_rule_and_only_for_their_serial() {
    let serial: SerialNumber = "48244-13456".parse().unwrap();
    let other: SerialNumber = "0000000000".parse().unwrap();
    let mut rejected_elsewhere = 0;
    for _ in 0..50 {
        let code = make_registration_code(&serial).unwrap();
        assert_eq!(check_registration_code(&serial, &code), Ok(()));
        assert_eq!(code.to_string().len(), 11);
        if check_registration_code(&other, &code).is_err() {
            rejected_elsewhere += 1;
        }
    }
    // A code fits another serial with probability 1/15258.
    assert!(rejected_elsewhere >= 49);
}

// --- typed codes --------------------------------------------------------------------------------

#[test]
fn typed_codes_report_the_field_and_the_problem() {
    assert_eq!(
        "48244-1345"
            .parse::<SerialNumber>()
            .unwrap_err()
            .to_string(),
        "the serial number must have 10 digits, not 9"
    );
    assert_eq!(
        "1745-7712-6942-8697"
            .parse::<ActivationCode>()
            .unwrap_err()
            .to_string(),
        "the activation code has a typo: its check digit does not match"
    );
    assert_eq!(
        "12211/49352"
            .parse::<RegistrationCode>()
            .unwrap_err()
            .to_string(),
        "the registration code may contain only digits, dashes and spaces"
    );
    let error = "".parse::<ActivationCode>().unwrap_err();
    assert_eq!(error.field(), Some(Field::ActivationCode));
    assert_eq!(error.to_string(), "the activation code is empty");
    // A swap of neighbouring digits (a typo Luhn catches) in the serial.
    assert!(matches!(
        "48244-14356".parse::<SerialNumber>(),
        Err(IdentityGuardError::BadCheckDigit {
            field: Field::SerialNumber
        })
    ));
    assert_eq!(luhn_check_digit("482441345"), Some(6));
    assert_eq!(luhn_check_digit("48-2"), None);
}

#[test]
fn activation_code_never_shows_in_debug_or_errors() {
    let activation: ActivationCode = "1745-7712-6942-8698".parse().unwrap();
    assert_eq!(format!("{activation:?}"), "ActivationCode(<redacted>)");
    let bad = "1745-7712-6942-8690".parse::<ActivationCode>().unwrap_err();
    assert!(!format!("{bad} {bad:?}").contains("1745"));
}

// --- activation links ---------------------------------------------------------------------------

#[test]
fn python_links_open_to_their_fields() {
    let cases = links();
    assert!(cases.len() >= 3);
    for case in &cases {
        let password = text(case, "password");
        let expected = expected_link(case);
        for key in ["uri", "sealed_uri"] {
            let opened = open_activation_link(text(case, key), password)
                .unwrap_or_else(|e| panic!("{} {key}: {e}", case["name"]));
            assert_eq!(opened, expected, "{} {key}", case["name"]);
            assert_eq!(
                opened.name(),
                optional(&case["expected"], "name"),
                "{} {key}",
                case["name"]
            );
        }
    }
}

#[test]
fn sealing_reproduces_the_python_links_byte_for_byte() {
    for case in links() {
        let sealed = seal_activation_link(
            &expected_link(&case),
            text(&case, "password"),
            salt_of(&case),
        );
        assert_eq!(sealed, text(&case, "sealed_uri"), "{}", case["name"]);
    }
    let minimal = link_named("minimal");
    assert_eq!(text(&minimal, "uri"), text(&minimal, "sealed_uri"));
}

#[test]
fn escaped_slashes_and_policy_are_kept_exactly() {
    let case = link_named("full_escaped_slashes");
    assert!(text(&case, "plaintext").contains(r"https:\/\/myid.example.edu\/igst"));
    let link = open_activation_link(text(&case, "uri"), text(&case, "password")).unwrap();
    assert_eq!(
        link.address.as_deref(),
        Some("https://myid.example.edu/igst")
    );
    assert_eq!(
        link.policy.as_deref(),
        Some(r#"{"allowUnsecured":"false","trustedExecution":"NOT_ALLOWED"}"#)
    );
    // The policy as received feeds the derivation: with the spec's registration code, the link
    // gives the spec's secret.
    let registration: RegistrationCode = "12211-49352".parse().unwrap();
    let secret = derive_secret(
        &link.serial,
        &link.activation,
        &registration,
        link.policy.as_deref(),
    );
    assert_eq!(secret.to_hex().as_str(), "bb9b6d72ae99b006de5e106935ec96da");
}

#[test]
fn wrong_password_is_reported_as_such() {
    for case in links() {
        let error = open_activation_link(text(&case, "uri"), "11111111").unwrap_err();
        assert_eq!(error, IdentityGuardError::WrongPassword);
        assert_eq!(error.to_string(), WRONG_PASSWORD);
    }
    let case = link_named("minimal");
    assert_eq!(
        open_activation_link(text(&case, "uri"), "")
            .unwrap_err()
            .to_string(),
        "the link password is empty: type the password that came with the link"
    );
    // Spaces in the password are ignored.
    let spaced = format!(
        " {} {} ",
        &text(&case, "password")[..4],
        &text(&case, "password")[4..]
    );
    assert!(open_activation_link(text(&case, "uri"), &spaced).is_ok());
}

#[test]
fn tampered_enc_or_mac_is_caught_by_the_mac() {
    for case in links() {
        let uri = text(&case, "uri");
        let password = text(&case, "password");
        let tampered_enc = change_value(uri, "enc", flip_middle);
        assert_ne!(tampered_enc, uri);
        assert_eq!(
            open_activation_link(&tampered_enc, password)
                .unwrap_err()
                .to_string(),
            WRONG_PASSWORD,
            "{}",
            case["name"]
        );
        let tampered_mac = change_value(uri, "mac", flip_middle);
        assert_ne!(tampered_mac, uri);
        assert_eq!(
            open_activation_link(&tampered_mac, password)
                .unwrap_err()
                .to_string(),
            WRONG_PASSWORD,
            "{}",
            case["name"]
        );
    }
}

#[test]
fn the_mac_covers_the_text_as_received() {
    // Re-encoding a value changes no byte of enc but changes the signed text.
    let case = link_named("raw_standard_with_plus");
    let uri = text(&case, "uri");
    assert!(uri.contains('+'));
    let reencoded = uri.replacen('+', "%2B", 1);
    assert_eq!(
        open_activation_link(&reencoded, text(&case, "password"))
            .unwrap_err()
            .to_string(),
        WRONG_PASSWORD
    );
    // Changing a parameter the MAC covers is caught too.
    let minimal = link_named("minimal");
    let changed = text(&minimal, "uri").replace("action=secactivate", "action=SecActivate");
    assert_eq!(
        open_activation_link(&changed, text(&minimal, "password"))
            .unwrap_err()
            .to_string(),
        WRONG_PASSWORD
    );
}

#[test]
fn a_plus_turned_into_a_space_still_opens() {
    let case = link_named("raw_standard_with_plus");
    let spaced = text(&case, "uri").replace('+', " ");
    let link = open_activation_link(&spaced, text(&case, "password")).unwrap();
    assert_eq!(link, expected_link(&case));
}

#[test]
fn truncated_links_say_what_is_missing() {
    let case = link_named("minimal");
    let uri = text(&case, "uri");
    let password = text(&case, "password");

    let without_mac = &uri[..uri.find("&mac=").unwrap()];
    assert_eq!(
        open_activation_link(without_mac, password)
            .unwrap_err()
            .to_string(),
        "the link is missing its mac parameter (was it cut short?)"
    );
    let half_mac = &uri[..uri.len() - 4];
    assert_eq!(
        open_activation_link(half_mac, password)
            .unwrap_err()
            .to_string(),
        "the link's mac must be 12 bytes, not 9 (was the link changed or cut?)"
    );
    let half = &uri[..uri.len() / 2];
    assert_eq!(
        open_activation_link(half, password)
            .unwrap_err()
            .to_string(),
        "the link is missing its mac parameter (was it cut short?)"
    );
    assert_eq!(
        open_activation_link("igmobileotp://?action=secactivate", password)
            .unwrap_err()
            .to_string(),
        "the link is missing its mac parameter (was it cut short?)"
    );
    assert_eq!(
        open_activation_link(
            "igmobileotp://?action=secactivate&enc=AAAA&mac=AAAA",
            password
        )
        .unwrap_err()
        .to_string(),
        "the link is missing its v parameter (was it cut short?)"
    );
}

#[test]
fn other_links_are_not_activation_links() {
    for uri in [
        "otpauth://totp/x?secret=AAAA",
        "",
        "igmobileotp",
        "igmobileotpx://?action=secactivate",
    ] {
        assert_eq!(
            open_activation_link(uri, "12345678").unwrap_err(),
            IdentityGuardError::NotActivationLink,
            "{uri}"
        );
    }
}

#[test]
fn names_come_from_the_address_host() {
    assert_eq!(
        name_from_address("myid.example.edu/igst").as_deref(),
        Some("myid.example.edu")
    );
    assert_eq!(
        name_from_address("https://host.example:443/path").as_deref(),
        Some("host.example")
    );
    assert_eq!(name_from_address("/igst"), None);
}

// --- no panic on any input; seal/open round trip ------------------------------------------------

fn with_check_digit(payload: &str) -> String {
    let check = luhn_check_digit(payload).expect("payload is digits");
    format!("{payload}{check}")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parsing_codes_never_panics(text in any::<String>(), digits in "[0-9 \\-]{0,40}") {
        for input in [&text, &digits] {
            let _ = input.parse::<SerialNumber>();
            let _ = input.parse::<ActivationCode>();
            let _ = input.parse::<RegistrationCode>();
            let _ = name_from_address(input);
        }
    }

    #[test]
    fn opening_arbitrary_text_never_panics(
        text in any::<String>(),
        query in "[a-z=&%0-9A-F+/_# -]{0,120}",
        password in any::<String>(),
    ) {
        let _ = open_activation_link(&text, &password);
        let _ = open_activation_link(&format!("igmobileotp://?{query}"), &password);
        let _ = open_activation_link(&format!("igmobileotp://?action=secactivate&v=1&enc={query}&mac=AAAAAAAAAAAAAAAA"), "1");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn mangled_real_links_never_panic(index in 0usize..4, position in any::<prop::sample::Index>(), insert in any::<char>(), delete in any::<bool>()) {
        let cases = links();
        let case = &cases[index % cases.len()];
        let mut chars: Vec<char> = text(case, "uri").chars().collect();
        let at = position.index(chars.len());
        if delete { chars.remove(at); } else { chars.insert(at, insert); }
        let mangled: String = chars.into_iter().collect();
        let _ = open_activation_link(&mangled, text(case, "password"));
    }

    #[test]
    fn seal_then_open_round_trips(
        serial in "[0-9]{9}",
        activation in "[0-9]{15}",
        policy in proptest::option::of(any::<String>()),
        address in proptest::option::of(any::<String>()),
        ocra in proptest::option::of(any::<String>()),
        password in "[0-9]{8}",
        salt in any::<[u8; 8]>(),
    ) {
        let link = ActivationLink {
            serial: with_check_digit(&serial).parse().unwrap(),
            activation: with_check_digit(&activation).parse().unwrap(),
            policy,
            address,
            ocra,
        };
        let uri = seal_activation_link(&link, &password, salt);
        prop_assert!(uri.starts_with("igmobileotp://?action=secactivate&enc="));
        prop_assert!(uri.is_ascii());
        let opened = open_activation_link(&uri, &password).unwrap();
        prop_assert_eq!(opened, link);
    }
}
