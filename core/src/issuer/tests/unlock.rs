//! Answering a locked token's PIN reset code with an unlock code.

use super::*;
use crate::issuer::record::{IdentityRecord, RecordState, Registered};
use crate::vault::{VaultOptions, VaultStore, derive_unlock_code};

#[test]
fn the_unlock_code_opens_the_tokens_locked_vault() {
    let (dir, issuer) = new_store();
    let token = registered(&issuer, &NewIdentity::new("alice"));

    // The token side: a vault whose unlock slot is bound to this identity's secret.
    let vault_dir = dir.path().join("token");
    let options = VaultOptions {
        kdf: KdfParams::MINIMUM,
        max_pin_attempts: 1,
    };
    let store = VaultStore::new(&vault_dir);
    let mut vault = store.create("4739", &options, None, b"identities").unwrap();
    let reset_code = vault.set_unlock_slot(&token.secret).unwrap();
    drop(vault);
    assert!(store.open_with_pin("9999", None).is_err()); // now locked

    let before = snapshot(issuer.dir());
    let unlock = issuer.unlock_code(&token.serial, &reset_code).unwrap();
    assert_eq!(snapshot(issuer.dir()), before, "answering writes nothing");
    assert_eq!(
        unlock.as_str(),
        derive_unlock_code(&token.secret, &reset_code)
            .unwrap()
            .as_str()
    );
    let recovered = store.open_with_unlock_code(&unlock, None).unwrap();
    assert_eq!(recovered.payload(), b"identities");
    // Dashes and spaces in the reset code, as read over the phone, are ignored.
    let spaced = format!(
        "{}-{} {}",
        &reset_code[..3],
        &reset_code[3..6],
        &reset_code[6..]
    );
    assert_eq!(
        issuer.unlock_code(&token.serial, &spaced).unwrap().as_str(),
        unlock.as_str()
    );
}

#[test]
fn bad_reset_codes_and_unregistered_identities_are_refused() {
    let (_dir, issuer) = new_store();
    let token = registered(&issuer, &NewIdentity::new("alice"));
    for bad in ["", "12345678", "1234567890", "12345678a", "١٢٣٤٥٦٧٨٩"] {
        let error = refused(
            &issuer,
            "the PIN reset code must have 9 digits (spaces and dashes are ignored)",
            |i| i.unlock_code(&token.serial, bad),
        );
        assert_eq!(error.field(), Some(IssuerField::ResetCode));
    }
    let created = issuer.create(&NewIdentity::new("bob")).unwrap();
    let message = format!(
        "the identity {} is not registered yet: complete it with the registration code its token shows",
        created.serial
    );
    refused(&issuer, &message, |i| {
        i.unlock_code(&created.serial.to_string(), "123456789")
    });
    // Different reset codes give different unlock codes.
    let a = issuer.unlock_code(&token.serial, "123456789").unwrap();
    let b = issuer.unlock_code(&token.serial, "123456788").unwrap();
    assert_ne!(a.as_str(), b.as_str());
}

/// docs/vault-format.md, "Unlock codes", example: secret "12345678901234567890" (ASCII) and
/// reset code 123456789 give unlock code 95008797094.
#[test]
fn the_documented_unlock_code_example() {
    let (_dir, issuer) = new_store();
    let serial: SerialNumber = "48244-13456".parse().unwrap();
    let record = IdentityRecord {
        serial: serial.clone(),
        name: "example".into(),
        digits: 6,
        policy: None,
        address: None,
        ocra: None,
        window: None,
        state: RecordState::Registered(Box::new(Registered {
            registration: Some("12211-49352".parse().unwrap()),
            secret: SecretBytes::new(b"12345678901234567890".to_vec()),
            policy_included: false,
            last_step: None,
            drift_steps: 0,
            ocra_counter: 0,
            challenges: Vec::new(),
        })),
    };
    issuer
        .records()
        .write(&issuer.lock().unwrap(), &record)
        .unwrap();
    assert_eq!(
        issuer
            .unlock_code("48244-13456", "123456789")
            .unwrap()
            .as_str(),
        "95008797094"
    );
}
