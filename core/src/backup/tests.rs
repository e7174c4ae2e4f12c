use super::*;
use crate::SecretBytes;
use crate::codes::{Algorithm, TotpParams};
use crate::crypto::KdfParams;
use crate::identity::{IdentityKind, IdentityKindLabel, OcraChallenge};

const PASSWORD: &str = "correct horse battery staple";

fn contents() -> BackupContents {
    BackupContents {
        created_at: 1_700_000_000,
        identities: vec![
            BackupIdentity {
                name: "alice@example.com".into(),
                issuer: Some("Example".into()),
                kind: IdentityKind::Totp {
                    secret: SecretBytes::new(b"12345678901234567890".to_vec()),
                    params: TotpParams::new(Algorithm::Sha256, 8, 60).unwrap(),
                },
            },
            BackupIdentity {
                name: "bank".into(),
                issuer: None,
                kind: IdentityKind::Ocra {
                    secret: SecretBytes::new(vec![0x31; 32]),
                    ocra: OcraChallenge {
                        suite: "OCRA-1:HOTP-SHA256-8:C-QN08".parse().unwrap(),
                        counter: 41,
                    },
                },
            },
        ],
        skipped: Vec::new(),
    }
}

fn key() -> BackupKey {
    BackupKey::for_new_backup(PASSWORD, PASSWORD, KdfParams::MINIMUM).unwrap()
}

#[test]
fn a_sealed_backup_opens_with_its_password_only() {
    let file = key().seal(&contents()).unwrap();
    assert!(looks_like_backup(&file));
    assert_eq!(open_backup(&file, PASSWORD).unwrap(), contents());
    assert_eq!(
        open_backup(&file, "correct horse battery stapl"),
        Err(BackupError::WrongPassword)
    );
    assert_eq!(
        open_backup(&file, "").unwrap_err().to_string(),
        "the password does not open this backup (or the backup was deliberately altered)"
    );
}

#[test]
fn each_seal_uses_a_fresh_nonce_and_a_key_from_another_file_is_refused() {
    let key = key();
    let (one, two) = (
        key.seal(&contents()).unwrap(),
        key.seal(&contents()).unwrap(),
    );
    assert_ne!(one[39..63], two[39..63], "nonces");
    assert_eq!(one[23..39], two[23..39], "one key, one salt");
    let sealed = SealedBackup::parse(&two).unwrap();
    assert_eq!(sealed.open_with(&key).unwrap(), contents());
    // Same password, another salt: the key does not belong to this file.
    let other = BackupKey::for_new_backup(PASSWORD, PASSWORD, KdfParams::MINIMUM).unwrap();
    assert_eq!(sealed.open_with(&other), Err(BackupError::WrongPassword));
}

#[test]
fn the_header_records_the_parameters_and_new_keys_check_the_rules() {
    let file = key().seal(&contents()).unwrap();
    assert_eq!(
        SealedBackup::parse(&file).unwrap().kdf(),
        KdfParams::MINIMUM
    );
    assert!(matches!(
        BackupKey::for_new_backup("short", "short", KdfParams::MINIMUM),
        Err(BackupError::PasswordRule { .. })
    ));
    assert_eq!(
        BackupKey::for_new_backup(PASSWORD, "correct horse", KdfParams::MINIMUM).unwrap_err(),
        BackupError::ConfirmationMismatch
    );
}

#[test]
fn nothing_secret_shows_in_debug_output() {
    let key = key();
    let shown = format!("{key:?} {:?}", contents());
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(!shown.contains("3132333435"), "{shown}");
    assert!(shown.contains("BackupKey"), "{shown}");
}

#[test]
fn the_payload_is_the_documented_json() {
    let bytes = contents().encode().unwrap();
    let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(value["created_at"], 1_700_000_000u64);
    let first = &value["identities"][0];
    assert_eq!(first["name"], "alice@example.com");
    assert_eq!(first["issuer"], "Example");
    assert_eq!(first["kind"]["type"], "totp");
    assert_eq!(
        first["kind"]["secret"],
        "3132333435363738393031323334353637383930"
    );
    assert_eq!(first["kind"]["params"]["algorithm"], "Sha256");
    assert_eq!(first["kind"]["params"]["digits"], 8);
    assert_eq!(first["kind"]["params"]["period"], 60);
    let second = &value["identities"][1];
    assert_eq!(second["issuer"], serde_json::Value::Null);
    assert_eq!(second["kind"]["type"], "ocra");
    assert_eq!(
        second["kind"]["ocra"]["suite"],
        "OCRA-1:HOTP-SHA256-8:C-QN08"
    );
    assert_eq!(second["kind"]["ocra"]["counter"], 41);
}

#[test]
fn identities_this_version_cannot_restore_are_skipped_with_the_reason() {
    let payload = r#"{"created_at": 5, "future_field": true, "identities": [
        {"name": "kept", "issuer": null, "kind": {"type": "steam", "secret": "0102030405060708090a"}},
        {"name": "Yubi", "issuer": "Acme", "kind": {"type": "yubikey_slot", "slot": 2}},
        {"name": "bad digits", "issuer": null, "kind": {"type": "hotp", "secret": "0102", "algorithm": "Sha1", "digits": 9, "counter": 0}},
        {"name": "bad secret", "issuer": null, "kind": {"type": "steam", "secret": "zz"}},
        {"name": "   ", "issuer": null, "kind": {"type": "steam", "secret": "0102"}},
        {"name": "ok name", "issuer": "bad\u0007issuer", "kind": {"type": "steam", "secret": "0102"}},
        {"name": "ig", "issuer": null, "kind": {"type": "identity_guard", "serial": "4824413456", "registration": "0", "digits": 6}},
        42
    ]}"#;
    let contents = BackupContents::from_payload(payload.as_bytes()).unwrap();
    assert_eq!(contents.created_at, 5);
    assert_eq!(contents.identities.len(), 1);
    assert_eq!(contents.identities[0].name, "kept");
    let skipped: Vec<String> = contents.skipped.iter().map(ToString::to_string).collect();
    assert_eq!(
        skipped,
        [
            "identity 2 (\"Acme: Yubi\"): its kind \"yubikey_slot\" is not one this version of Tessera knows: update Tessera to restore it",
            "identity 3 (\"bad digits\"): the number of digits must be 6, 7 or 8, not 9",
            "identity 4 (\"bad secret\"): its steam data is not valid",
            "identity 5: the name is empty",
            "identity 6 (\"ok name\"): the issuer contains invisible control characters",
            "identity 7 (\"ig\"): its identity_guard data is not valid",
            "identity 8: it is not an identity (it has no name or no kind)",
        ]
    );
    assert_eq!(contents.items()[0].kind, IdentityKindLabel::Steam);
}

#[test]
fn a_payload_that_is_not_a_backup_payload_is_refused_by_position() {
    for (text, problem) in [
        (
            "not json",
            "it is not a backup payload (JSON error at line 1, column 2)",
        ),
        (
            r#"{"identities": []}"#,
            "it is not a backup payload (JSON error at line 1, column 18)",
        ),
        (
            r#"{"created_at": 1, "identities": {"a": "secretsecret"}}"#,
            "it is not a backup payload (JSON error at line 1, column 32)",
        ),
    ] {
        match BackupContents::from_payload(text.as_bytes()) {
            Err(BackupError::BadPayload { problem: found }) => assert_eq!(found, problem, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
    }
}
