//! The vault's behaviour through its public API: round trips, PIN lockout, unlock codes from an
//! issuer, the recovery key, device keys, and what never reaches the disk in plain text.
//!
//! Every vault here uses the KDF floor (8 MiB, 1 pass) so the suite stays fast.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tessera_core::SecretBytes;
use tessera_core::vault::{
    KdfParams, KeyProtector, KeyProtectorError, OpenVault, OpenedFrom, PinRuleError,
    SoftwareProtector, VaultError, VaultOptions, VaultStatus, VaultStore, check_pin_rules,
    derive_unlock_code,
};

const PIN: &str = "4739";
const NEW_PIN: &str = "8264";

fn options(max_pin_attempts: u32) -> VaultOptions {
    VaultOptions {
        kdf: KdfParams::MINIMUM,
        max_pin_attempts,
    }
}

fn create(dir: &Path, max_pin_attempts: u32, payload: &[u8]) -> OpenVault {
    VaultStore::new(dir)
        .create(PIN, &options(max_pin_attempts), None, payload)
        .unwrap()
}

fn status(dir: &Path) -> VaultStatus {
    VaultStore::new(dir).status().unwrap()
}

/// The issuer's side of the unlock exchange, as small as it gets: it knows the identity's
/// secret and answers a reset code with `derive_unlock_code`.
struct Issuer {
    identity_secret: SecretBytes,
}

impl Issuer {
    fn new() -> Self {
        Self {
            identity_secret: SecretBytes::new(b"identity secret from activation".to_vec()),
        }
    }

    fn answer(&self, reset_code: &str) -> String {
        derive_unlock_code(&self.identity_secret, reset_code)
            .unwrap()
            .to_string()
    }
}

fn lock_with_wrong_pins(dir: &Path, count: u32) {
    for _ in 0..count {
        let _ = VaultStore::new(dir).open_with_pin("0852", None);
    }
}

#[test]
fn create_open_save_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let store = VaultStore::new(dir.path());
    assert_eq!(store.status().unwrap(), VaultStatus::NoVault);
    assert!(matches!(
        store.open_with_pin(PIN, None),
        Err(VaultError::NoVault)
    ));

    let mut vault = store
        .create(PIN, &options(5), None, b"first payload")
        .unwrap();
    assert_eq!(vault.payload(), b"first payload");
    assert_eq!(vault.opened_from(), OpenedFrom::Current);
    assert!(!vault.is_device_bound());
    assert_eq!(vault.max_pin_attempts(), 5);
    vault.save(b"second payload").unwrap();
    drop(vault);

    let mut vault = VaultStore::new(dir.path())
        .open_with_pin(PIN, None)
        .unwrap();
    assert_eq!(vault.payload(), b"second payload");
    assert_eq!(vault.opened_from(), OpenedFrom::Current);
    vault.save(b"").unwrap();
    drop(vault);
    assert_eq!(
        VaultStore::new(dir.path())
            .open_with_pin(PIN, None)
            .unwrap()
            .payload(),
        b""
    );
    assert_eq!(status(dir.path()), VaultStatus::Ready { attempts_left: 5 });

    // Never overwritten by a second create.
    assert!(matches!(
        store.create(PIN, &options(5), None, b"x"),
        Err(VaultError::AlreadyExists)
    ));
}

#[test]
fn each_save_uses_a_new_nonce() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = create(dir.path(), 5, b"same");
    let first = std::fs::read(dir.path().join("vault.bin")).unwrap();
    vault.save(b"same").unwrap();
    let second = std::fs::read(dir.path().join("vault.bin")).unwrap();
    assert_eq!(first.len(), second.len());
    // The payload nonce is at bytes 15..39 (docs/vault-format.md).
    assert_ne!(first[15..39], second[15..39]);
    assert_ne!(first, second);
}

#[test]
fn wrong_pins_count_down_lock_at_five_and_the_lock_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    drop(create(dir.path(), 5, b"payload"));

    let err = VaultStore::new(dir.path())
        .open_with_pin("0852", None)
        .unwrap_err();
    assert!(
        matches!(err, VaultError::WrongPin { attempts_left: 4 }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "wrong PIN, 4 tries left before the token locks"
    );
    assert_eq!(status(dir.path()), VaultStatus::Ready { attempts_left: 4 });

    // The right PIN resets the count.
    drop(
        VaultStore::new(dir.path())
            .open_with_pin(PIN, None)
            .unwrap(),
    );
    assert_eq!(status(dir.path()), VaultStatus::Ready { attempts_left: 5 });

    for left in (1..=4).rev() {
        let err = VaultStore::new(dir.path())
            .open_with_pin("0852", None)
            .unwrap_err();
        assert!(
            matches!(err, VaultError::WrongPin { attempts_left } if attempts_left == left),
            "{err:?}"
        );
    }
    let err = VaultStore::new(dir.path())
        .open_with_pin("0852", None)
        .unwrap_err();
    assert!(
        matches!(err, VaultError::Locked { reset_code: None }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the token is locked after too many wrong PINs; only its recovery key can unlock it now"
    );

    // A new store on the same folder (an app restart) is still locked, and does not even check
    // the right PIN: the lockout record is not touched.
    let state_before = std::fs::read(dir.path().join("vault.state")).unwrap();
    let err = VaultStore::new(dir.path())
        .open_with_pin(PIN, None)
        .unwrap_err();
    assert!(matches!(err, VaultError::Locked { .. }), "{err:?}");
    assert_eq!(
        std::fs::read(dir.path().join("vault.state")).unwrap(),
        state_before
    );
    assert_eq!(
        status(dir.path()),
        VaultStatus::Locked {
            reset_code: None,
            unlock_attempts_left: 0,
            recovery_key: false
        }
    );
}

#[test]
fn the_lockout_threshold_is_per_vault() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = create(dir.path(), 2, b"payload");
    assert!(matches!(
        vault.set_max_pin_attempts(0),
        Err(VaultError::AttemptsOutOfRange {
            value: 0,
            min: 1,
            max: 100
        })
    ));
    assert!(matches!(
        vault.set_max_pin_attempts(101),
        Err(VaultError::AttemptsOutOfRange { .. })
    ));
    assert_eq!(status(dir.path()), VaultStatus::Ready { attempts_left: 2 });
    vault.set_max_pin_attempts(3).unwrap();
    drop(vault);
    assert_eq!(status(dir.path()), VaultStatus::Ready { attempts_left: 3 });
    lock_with_wrong_pins(dir.path(), 3);
    assert!(matches!(status(dir.path()), VaultStatus::Locked { .. }));
    let refused =
        VaultStore::new(tempfile::tempdir().unwrap().path()).create(PIN, &options(0), None, b"");
    assert!(matches!(
        refused,
        Err(VaultError::AttemptsOutOfRange { value: 0, .. })
    ));
}

#[test]
fn a_locked_token_opens_with_the_issuers_unlock_code_then_needs_a_new_pin() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = Issuer::new();
    let mut vault = create(dir.path(), 1, b"identities");
    let reset_code = vault.set_unlock_slot(&issuer.identity_secret).unwrap();
    assert_eq!(reset_code.len(), 9);
    assert!(reset_code.bytes().all(|b| b.is_ascii_digit()));
    assert_eq!(vault.reset_code(), Some(reset_code.as_str()));
    drop(vault);

    lock_with_wrong_pins(dir.path(), 1);
    let shown = match status(dir.path()) {
        VaultStatus::Locked {
            reset_code: Some(code),
            unlock_attempts_left: 10,
            recovery_key: false,
        } => code,
        other => panic!("{other:?}"),
    };
    assert_eq!(shown, reset_code);
    let err = VaultStore::new(dir.path())
        .open_with_pin(PIN, None)
        .unwrap_err();
    assert!(matches!(&err, VaultError::Locked { reset_code: Some(code) } if *code == reset_code));

    let unlock_code = issuer.answer(&shown);
    assert_eq!(unlock_code.len(), 11);

    // A typing mistake is caught by the check digit and costs nothing.
    let mut typo = unlock_code.clone().into_bytes();
    typo[2] = if typo[2] == b'9' { b'0' } else { typo[2] + 1 };
    let typo = String::from_utf8(typo).unwrap();
    let err = VaultStore::new(dir.path())
        .open_with_unlock_code(&typo, None)
        .unwrap_err();
    assert!(matches!(err, VaultError::UnlockCodeTypo), "{err:?}");
    assert!(matches!(
        status(dir.path()),
        VaultStatus::Locked {
            unlock_attempts_left: 10,
            ..
        }
    ));

    // Typed as people type it, with spaces.
    let typed = format!(
        "{} {} {}",
        &unlock_code[..4],
        &unlock_code[4..8],
        &unlock_code[8..]
    );
    let recovered = VaultStore::new(dir.path())
        .open_with_unlock_code(&typed, None)
        .unwrap();
    assert_eq!(recovered.payload(), b"identities");
    assert!(recovered.opened_with_unlock_code());
    // Until a new PIN is written the token stays locked on disk (an app killed here shows the
    // same reset code again, and the same unlock code still works).
    assert!(matches!(status(dir.path()), VaultStatus::Locked { .. }));

    // A weak new PIN is refused and the recovered vault is handed back.
    let refused = recovered.set_pin("1234", None).unwrap_err();
    assert!(matches!(
        refused.error,
        VaultError::PinRule(PinRuleError::Sequence)
    ));
    let mut recovered = refused.vault;
    let new_reset_code = recovered.set_unlock_slot(&issuer.identity_secret).unwrap();
    assert_ne!(new_reset_code, reset_code);
    let vault = recovered.set_pin(NEW_PIN, None).unwrap();
    assert_eq!(vault.reset_code(), Some(new_reset_code.as_str()));
    assert_eq!(vault.payload(), b"identities");
    drop(vault);

    assert_eq!(status(dir.path()), VaultStatus::Ready { attempts_left: 1 });
    // The used unlock code is dead; the issuer's answer to the new reset code works.
    let err = VaultStore::new(dir.path())
        .open_with_unlock_code(&unlock_code, None)
        .unwrap_err();
    assert!(
        matches!(err, VaultError::WrongUnlockCode { attempts_left: 9 }),
        "{err:?}"
    );
    let recovered = VaultStore::new(dir.path())
        .open_with_unlock_code(&issuer.answer(&new_reset_code), None)
        .unwrap();
    assert_eq!(recovered.payload(), b"identities");
    drop(recovered);
    // The new PIN opens it; the old one does not.
    assert_eq!(
        VaultStore::new(dir.path())
            .open_with_pin(NEW_PIN, None)
            .unwrap()
            .payload(),
        b"identities"
    );
    let err = VaultStore::new(dir.path())
        .open_with_pin(PIN, None)
        .unwrap_err();
    assert!(matches!(err, VaultError::Locked { .. }), "{err:?}");
}

#[test]
fn without_a_replacement_the_used_unlock_slot_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = Issuer::new();
    let mut vault = create(dir.path(), 5, b"identities");
    let reset_code = vault.set_unlock_slot(&issuer.identity_secret).unwrap();
    drop(vault);
    let recovered = VaultStore::new(dir.path())
        .open_with_unlock_code(&issuer.answer(&reset_code), None)
        .unwrap();
    let vault = recovered.set_pin(NEW_PIN, None).unwrap();
    assert_eq!(vault.reset_code(), None);
    drop(vault);
    let err = VaultStore::new(dir.path())
        .open_with_unlock_code(&issuer.answer(&reset_code), None)
        .unwrap_err();
    assert!(matches!(err, VaultError::NoUnlockSlot), "{err:?}");
}

#[test]
fn wrong_unlock_codes_are_limited_to_ten() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = Issuer::new();
    let mut vault = create(dir.path(), 1, b"identities");
    let reset_code = vault.set_unlock_slot(&issuer.identity_secret).unwrap();
    let recovery = vault.add_recovery_key().unwrap();
    drop(vault);
    lock_with_wrong_pins(dir.path(), 1);

    // Well-formed codes (right length, right check digit) for other reset codes.
    for attempt in 1..=10u32 {
        let wrong = issuer.answer(&format!("{attempt:09}"));
        let err = VaultStore::new(dir.path())
            .open_with_unlock_code(&wrong, None)
            .unwrap_err();
        if attempt < 10 {
            assert!(
                matches!(err, VaultError::WrongUnlockCode { attempts_left } if attempts_left == 10 - attempt),
                "{attempt}: {err:?}"
            );
        } else {
            assert!(matches!(err, VaultError::UnlockCodesExhausted), "{err:?}");
        }
    }
    // Now even the right code is refused, and the lock screen stops showing the reset code.
    let err = VaultStore::new(dir.path())
        .open_with_unlock_code(&issuer.answer(&reset_code), None)
        .unwrap_err();
    assert!(matches!(err, VaultError::UnlockCodesExhausted), "{err:?}");
    assert_eq!(
        status(dir.path()),
        VaultStatus::Locked {
            reset_code: None,
            unlock_attempts_left: 0,
            recovery_key: true
        }
    );

    // Only recovery remains; after it, a fresh unlock slot has its ten tries again.
    let mut recovered = VaultStore::new(dir.path())
        .open_with_recovery_key(recovery.as_str())
        .unwrap();
    assert!(!recovered.opened_with_unlock_code());
    let new_reset_code = recovered.set_unlock_slot(&issuer.identity_secret).unwrap();
    drop(recovered.set_pin(NEW_PIN, None).unwrap());
    lock_with_wrong_pins(dir.path(), 1);
    assert_eq!(
        status(dir.path()),
        VaultStatus::Locked {
            reset_code: Some(new_reset_code),
            unlock_attempts_left: 10,
            recovery_key: true
        }
    );
}

#[test]
fn the_recovery_key_opens_a_locked_token_and_is_read_leniently() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = Issuer::new();
    let mut vault = create(dir.path(), 1, b"identities");
    assert!(!vault.has_recovery_key());
    let key = vault.add_recovery_key().unwrap();
    let reset_code = vault.set_unlock_slot(&issuer.identity_secret).unwrap();
    assert!(vault.has_recovery_key());
    let shown = key.as_str().to_string();
    assert_eq!(shown.len(), 39);
    assert!(
        shown
            .split('-')
            .all(|g| g.len() == 4 && g.chars().all(|c| matches!(c, 'A'..='Z' | '2'..='7')))
    );
    assert_eq!(format!("{key:?}"), "RecoveryKey(<redacted>)");
    drop(vault);
    lock_with_wrong_pins(dir.path(), 1);

    let store = VaultStore::new(dir.path());
    let err = store.open_with_recovery_key("ABCD-EFGH").unwrap_err();
    assert!(
        matches!(
            err,
            VaultError::RecoveryKeyLength {
                found: 8,
                expected: 32
            }
        ),
        "{err:?}"
    );
    let err = store
        .open_with_recovery_key(&format!("0{}", &shown[1..]))
        .unwrap_err();
    assert!(
        matches!(err, VaultError::RecoveryKeyCharacter { position: 1 }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "a recovery key uses only the letters A-Z and the digits 2-7; character 1 is not one of them"
    );
    // A well-formed key of another vault.
    let other_dir = tempfile::tempdir().unwrap();
    let other_key = create(other_dir.path(), 5, b"").add_recovery_key().unwrap();
    let err = store
        .open_with_recovery_key(other_key.as_str())
        .unwrap_err();
    assert!(matches!(err, VaultError::WrongRecoveryKey), "{err:?}");

    let typed = shown.to_lowercase().replace('-', " ");
    let recovered = store.open_with_recovery_key(&typed).unwrap();
    assert_eq!(recovered.payload(), b"identities");
    let vault = recovered.set_pin(NEW_PIN, None).unwrap();
    // Recovery does not use up the unlock slot or the recovery key.
    assert_eq!(vault.reset_code(), Some(reset_code.as_str()));
    assert!(vault.has_recovery_key());
    drop(vault);
    assert_eq!(status(dir.path()), VaultStatus::Ready { attempts_left: 1 });
    assert_eq!(
        store.open_with_pin(NEW_PIN, None).unwrap().payload(),
        b"identities"
    );
    assert!(store.open_with_recovery_key(&shown).is_ok());
}

#[test]
fn no_recovery_key_and_no_unlock_slot_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = create(dir.path(), 5, b"");
    let key = vault.add_recovery_key().unwrap();
    vault.remove_recovery_key().unwrap();
    drop(vault);
    let store = VaultStore::new(dir.path());
    assert!(matches!(
        store.open_with_recovery_key(key.as_str()),
        Err(VaultError::NoRecoveryKey)
    ));
    let code = derive_unlock_code(&SecretBytes::new(vec![1; 20]), "000000000").unwrap();
    assert!(matches!(
        store.open_with_unlock_code(&code, None),
        Err(VaultError::NoUnlockSlot)
    ));
}

#[test]
fn change_pin_replaces_the_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = create(dir.path(), 5, b"payload");
    assert!(matches!(
        vault.change_pin("0000"),
        Err(VaultError::PinRule(PinRuleError::AllSameDigit))
    ));
    vault.change_pin("correct horse battery").unwrap();
    drop(vault);
    let store = VaultStore::new(dir.path());
    assert!(matches!(
        store.open_with_pin(PIN, None),
        Err(VaultError::WrongPin { attempts_left: 4 })
    ));
    assert_eq!(
        store
            .open_with_pin("correct horse battery", None)
            .unwrap()
            .payload(),
        b"payload"
    );
}

#[test]
fn pin_rules_are_applied_when_a_pin_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let store = VaultStore::new(dir.path());
    for (pin, expected) in [
        ("123", PinRuleError::TooShort { min: 4 }),
        ("9876", PinRuleError::Sequence),
        ("1111", PinRuleError::AllSameDigit),
        ("secret", PinRuleError::PassphraseTooShort { min: 8 }),
    ] {
        assert_eq!(check_pin_rules(pin), Err(expected.clone()));
        let err = store.create(pin, &options(5), None, b"").unwrap_err();
        assert!(
            matches!(&err, VaultError::PinRule(e) if *e == expected),
            "{pin}: {err:?}"
        );
    }
    assert_eq!(store.status().unwrap(), VaultStatus::NoVault);
    assert_eq!(
        VaultError::PinRule(PinRuleError::TooShort { min: 4 }).to_string(),
        "a PIN needs at least 4 digits"
    );
}

#[test]
fn oversized_payloads_are_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let big = vec![0u8; tessera_core::vault::MAX_PAYLOAD_BYTES + 1];
    let err = VaultStore::new(dir.path())
        .create(PIN, &options(5), None, &big)
        .unwrap_err();
    assert!(matches!(err, VaultError::PayloadTooLarge { .. }), "{err:?}");
}

// ---- device keys ------------------------------------------------------------------------------

#[test]
fn a_device_bound_vault_needs_its_own_device_key_and_recovery_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let device: Arc<dyn KeyProtector> = Arc::new(SoftwareProtector::new().unwrap());
    let store = VaultStore::new(dir.path());
    let mut vault = store
        .create(PIN, &options(5), Some(device.clone()), b"identities")
        .unwrap();
    assert!(vault.is_device_bound());
    let key = vault.add_recovery_key().unwrap();
    drop(vault);

    assert_eq!(
        store
            .open_with_pin(PIN, Some(device.clone()))
            .unwrap()
            .payload(),
        b"identities"
    );

    // Another device key (a copied file on another phone, or a key the platform invalidated).
    let other: Arc<dyn KeyProtector> = Arc::new(SoftwareProtector::new().unwrap());
    let err = store.open_with_pin(PIN, Some(other)).unwrap_err();
    assert!(matches!(err, VaultError::KeyUnavailable { .. }), "{err:?}");
    let err = store.open_with_pin(PIN, None).unwrap_err();
    assert!(
        matches!(&err, VaultError::KeyUnavailable { reason } if reason.contains("none was supplied"))
    );
    // A missing device key costs no PIN try.
    assert_eq!(
        store.status().unwrap(),
        VaultStatus::Ready { attempts_left: 5 }
    );

    // Recovery never needs the device key; the new PIN is sealed by a new one.
    let recovered = store.open_with_recovery_key(key.as_str()).unwrap();
    let replacement: Arc<dyn KeyProtector> = Arc::new(SoftwareProtector::new().unwrap());
    let vault = recovered
        .set_pin(NEW_PIN, Some(replacement.clone()))
        .unwrap();
    assert!(vault.is_device_bound());
    drop(vault);
    assert!(matches!(
        store.open_with_pin(NEW_PIN, Some(device)),
        Err(VaultError::KeyUnavailable { .. })
    ));
    let mut vault = store
        .open_with_pin(NEW_PIN, Some(replacement.clone()))
        .unwrap();
    // change_pin keeps using the device key the vault was opened with.
    vault.change_pin("2468").unwrap();
    drop(vault);
    assert!(matches!(
        store.open_with_pin("2468", None),
        Err(VaultError::KeyUnavailable { .. })
    ));
    assert_eq!(
        store
            .open_with_pin("2468", Some(replacement))
            .unwrap()
            .payload(),
        b"identities"
    );
}

/// A protector whose platform key is gone: every call fails, and counts calls.
struct FailingProtector {
    calls: AtomicUsize,
}

impl KeyProtector for FailingProtector {
    fn wrap(&self, _: &[u8]) -> Result<Vec<u8>, KeyProtectorError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Err(KeyProtectorError::KeyInvalidated {
            reason: "the screen lock was removed".into(),
        })
    }
    fn unwrap(&self, _: &[u8]) -> Result<Vec<u8>, KeyProtectorError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Err(KeyProtectorError::KeyInvalidated {
            reason: "the screen lock was removed".into(),
        })
    }
}

/// A protector that answers with bytes of the wrong size.
struct GarblingProtector;

impl KeyProtector for GarblingProtector {
    fn wrap(&self, plaintext: &[u8]) -> Result<Vec<u8>, KeyProtectorError> {
        Ok(plaintext.to_vec())
    }
    fn unwrap(&self, _: &[u8]) -> Result<Vec<u8>, KeyProtectorError> {
        Ok(vec![0; 7])
    }
}

/// A protector that answers `wrap` with nothing at all.
struct EmptyProtector;

impl KeyProtector for EmptyProtector {
    fn wrap(&self, _: &[u8]) -> Result<Vec<u8>, KeyProtectorError> {
        Ok(Vec::new())
    }
    fn unwrap(&self, _: &[u8]) -> Result<Vec<u8>, KeyProtectorError> {
        Ok(Vec::new())
    }
}

#[test]
fn failing_protectors_give_key_unavailable_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = VaultStore::new(dir.path());
    let failing = Arc::new(FailingProtector {
        calls: AtomicUsize::new(0),
    });
    let err = store
        .create(PIN, &options(5), Some(failing.clone()), b"x")
        .unwrap_err();
    assert!(
        matches!(&err, VaultError::KeyUnavailable { reason } if reason.contains("screen lock was removed")),
        "{err:?}"
    );
    assert_eq!(store.status().unwrap(), VaultStatus::NoVault);
    let err = store
        .create(PIN, &options(5), Some(Arc::new(EmptyProtector)), b"x")
        .unwrap_err();
    assert!(matches!(err, VaultError::KeyUnavailable { .. }), "{err:?}");

    let device: Arc<dyn KeyProtector> = Arc::new(SoftwareProtector::new().unwrap());
    let mut vault = store.create(PIN, &options(5), Some(device), b"x").unwrap();
    let key = vault.add_recovery_key().unwrap();
    drop(vault);
    let before = failing.calls.load(Ordering::SeqCst);
    let err = store.open_with_pin(PIN, Some(failing.clone())).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the device key that protects this vault is unavailable (it was deleted or invalidated: the screen lock was removed); unlock with the recovery key instead"
    );
    assert_eq!(failing.calls.load(Ordering::SeqCst), before + 1);
    let err = store
        .open_with_pin(PIN, Some(Arc::new(GarblingProtector)))
        .unwrap_err();
    assert!(
        matches!(&err, VaultError::KeyUnavailable { reason } if reason.contains("wrong size")),
        "{err:?}"
    );
    assert_eq!(
        store.status().unwrap(),
        VaultStatus::Ready { attempts_left: 5 }
    );
    assert_eq!(
        store
            .open_with_recovery_key(key.as_str())
            .unwrap()
            .payload(),
        b"x"
    );
}

// ---- secrets ----------------------------------------------------------------------------------

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_secret_is_stored_in_plain_text_in_any_file() {
    let dir = tempfile::tempdir().unwrap();
    let issuer = Issuer::new();
    let pin = "correct horse battery staple";
    let marker = "MARKER-secret-payload-7f3a9c";
    let payload = format!("{{\"identities\":[{{\"secret\":\"{marker}\",\"pin\":\"{pin}\"}}]}}");
    let store = VaultStore::new(dir.path());
    let mut vault = store
        .create(pin, &options(5), None, payload.as_bytes())
        .unwrap();
    let key = vault.add_recovery_key().unwrap();
    let reset_code = vault.set_unlock_slot(&issuer.identity_secret).unwrap();
    vault.save(payload.as_bytes()).unwrap();
    drop(vault);
    let _ = store.open_with_pin("0852", None); // leave a failure count behind too
    let unlock_code = issuer.answer(&reset_code);

    let key_plain = key.as_str().replace('-', "");
    let needles: Vec<(&str, Vec<u8>)> = vec![
        ("payload marker", marker.as_bytes().to_vec()),
        ("PIN", pin.as_bytes().to_vec()),
        ("recovery key as shown", key.as_str().as_bytes().to_vec()),
        ("recovery key without dashes", key_plain.as_bytes().to_vec()),
        ("unlock code", unlock_code.as_bytes().to_vec()),
        (
            "identity secret",
            issuer.identity_secret.as_bytes().to_vec(),
        ),
    ];
    let mut files = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        files += 1;
        for (what, needle) in &needles {
            assert!(
                !contains(&bytes, needle),
                "{what} found in {}",
                path.display()
            );
        }
    }
    assert_eq!(
        files, 4,
        "vault.bin, vault.prev, vault.state and vault.lock"
    );
    assert!(
        std::fs::read(dir.path().join("vault.lock"))
            .unwrap()
            .is_empty()
    );
    // The reset code is stored in plain on purpose: the lock screen shows it.
    assert!(contains(
        &std::fs::read(dir.path().join("vault.bin")).unwrap(),
        reset_code.as_bytes()
    ));
}

#[test]
fn a_digit_pin_is_not_stored_either() {
    let dir = tempfile::tempdir().unwrap();
    let pin = "90817263";
    drop(
        VaultStore::new(dir.path())
            .create(pin, &options(5), None, b"x")
            .unwrap(),
    );
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!contains(&bytes, pin.as_bytes()));
    }
}

#[test]
fn debug_output_shows_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = create(dir.path(), 5, b"MARKER-payload");
    let key = vault.add_recovery_key().unwrap();
    let shown = format!("{vault:?}");
    assert!(!shown.contains("MARKER"), "{shown}");
    assert!(shown.contains("payload_bytes: 14"), "{shown}");
    drop(vault);
    let recovered = VaultStore::new(dir.path())
        .open_with_recovery_key(key.as_str())
        .unwrap();
    let shown = format!("{recovered:?}");
    assert!(
        !shown.contains("MARKER") && !shown.contains(key.as_str()),
        "{shown}"
    );
    let failure = recovered.set_pin("12", None).unwrap_err();
    let shown = format!("{failure:?}");
    assert!(!shown.contains("MARKER"), "{shown}");
    assert_eq!(failure.to_string(), "a PIN needs at least 4 digits");
    let store = format!("{:?}", VaultStore::new(dir.path()));
    assert!(!store.contains(key.as_str()));
}
