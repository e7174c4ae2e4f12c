//! Revoking a way in rotates the data key: an old copy of the vault and a revoked secret (an
//! old PIN, a replaced recovery key, a used unlock code) give a data key that opens nothing in
//! the folder now, not even identities added later; and no file left in the folder opens with
//! the revoked secret. The attacker here is `common::vault_doc`, which reads files from the
//! document alone.
//!
//! Also: the unlock slot of a device-keyed vault needs the device key, like the PIN slot.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::vault_doc::{self, Secret};
use tessera_core::SecretBytes;
use tessera_core::vault::{
    KdfParams, KeyProtector, OpenVault, SoftwareProtector, VaultError, VaultOptions, VaultStatus,
    VaultStore, derive_unlock_code,
};

const PIN: &str = "4739";
const NEW_PIN: &str = "8264";

fn options() -> VaultOptions {
    VaultOptions {
        kdf: KdfParams::MINIMUM,
        max_pin_attempts: 1,
    }
}

fn secret() -> SecretBytes {
    SecretBytes::new(b"identity secret from activation".to_vec())
}

/// Every file in the folder, by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            (
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// The attacker's view: `old_copy` opens with `revoked`, but the data key it gives opens no
/// vault file in `dir`, and neither does `revoked` itself.
fn assert_revoked(dir: &Path, old_copy: &[u8], revoked: Secret<'_>) {
    let old = vault_doc::parse(old_copy).unwrap();
    let old_key = vault_doc::data_key(&old, revoked).expect("the old copy opens with it");
    assert!(vault_doc::decrypt_payload(&old, &old_key).is_some());
    let files = files(dir);
    assert!(files.iter().any(|(name, _)| name == "vault.bin"));
    for (name, bytes) in &files {
        let Some(file) = vault_doc::parse(bytes) else {
            continue; // the lockout record
        };
        assert_eq!(file.version, 2, "{name}");
        assert!(
            vault_doc::decrypt_payload(&file, &old_key).is_none(),
            "{name}: the old data key still decrypts it"
        );
        assert!(
            vault_doc::open_with(bytes, revoked).is_none(),
            "{name}: the revoked secret still opens it"
        );
    }
}

fn create(dir: &Path, protector: Option<Arc<dyn KeyProtector>>) -> OpenVault {
    VaultStore::new(dir)
        .create(PIN, &options(), protector, b"identities before")
        .unwrap()
}

#[test]
fn an_old_copy_and_the_old_pin_open_nothing_after_a_pin_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = create(dir.path(), None);
    let key = vault.add_recovery_key().unwrap();
    let reset_code = vault.set_unlock_slot(&secret()).unwrap();
    vault.save(b"identities before, saved again").unwrap();
    let old_copy = std::fs::read(dir.path().join("vault.bin")).unwrap();

    vault.change_pin(NEW_PIN).unwrap();
    vault
        .save(b"identities before and one added later")
        .unwrap();
    drop(vault);

    assert_revoked(dir.path(), &old_copy, Secret::Pin(PIN));
    // The ways in that were not revoked still open the current file, sealed to the new key.
    let current = std::fs::read(dir.path().join("vault.bin")).unwrap();
    let added_later = b"identities before and one added later".to_vec();
    assert_eq!(
        vault_doc::open_with(&current, Secret::Pin(NEW_PIN)),
        Some(added_later.clone())
    );
    assert_eq!(
        vault_doc::open_with(&current, Secret::Recovery(key.as_str())),
        Some(added_later.clone())
    );
    let code = derive_unlock_code(&secret(), &reset_code).unwrap();
    assert_eq!(
        vault_doc::open_with(&current, Secret::Unlock(&code)),
        Some(added_later)
    );
}

#[test]
fn a_replaced_recovery_key_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = create(dir.path(), None);
    let replaced = vault.add_recovery_key().unwrap();
    vault.save(b"identities before, saved again").unwrap();
    let old_copy = std::fs::read(dir.path().join("vault.bin")).unwrap();

    let key = vault.add_recovery_key().unwrap();
    vault.save(b"one added later").unwrap();
    drop(vault);

    assert_revoked(dir.path(), &old_copy, Secret::Recovery(replaced.as_str()));
    let store = VaultStore::new(dir.path());
    assert!(matches!(
        store.open_with_recovery_key(replaced.as_str()),
        Err(VaultError::WrongRecoveryKey)
    ));
    assert_eq!(
        store
            .open_with_recovery_key(key.as_str())
            .unwrap()
            .payload(),
        b"one added later"
    );
}

#[test]
fn a_used_unlock_code_and_the_forgotten_pin_open_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = create(dir.path(), None);
    let key = vault.add_recovery_key().unwrap();
    let reset_code = vault.set_unlock_slot(&secret()).unwrap();
    vault.save(b"identities before, saved again").unwrap();
    drop(vault);
    let old_copy = std::fs::read(dir.path().join("vault.bin")).unwrap();
    let store = VaultStore::new(dir.path());
    assert!(store.open_with_pin("0852", None).is_err());

    let used = derive_unlock_code(&secret(), &reset_code).unwrap();
    let mut recovered = store.open_with_unlock_code(&used, None).unwrap();
    let new_reset_code = recovered.set_unlock_slot(&secret()).unwrap();
    let mut vault = recovered.set_pin(NEW_PIN, None).unwrap();
    vault.save(b"one added later").unwrap();
    drop(vault);

    assert_revoked(dir.path(), &old_copy, Secret::Unlock(&used));
    assert_revoked(dir.path(), &old_copy, Secret::Pin(PIN));
    let fresh = derive_unlock_code(&secret(), &new_reset_code).unwrap();
    let current = std::fs::read(dir.path().join("vault.bin")).unwrap();
    assert_eq!(
        vault_doc::open_with(&current, Secret::Unlock(&fresh)).as_deref(),
        Some(&b"one added later"[..])
    );
    // The recovery key was not revoked: it is sealed to the new data key.
    assert_eq!(
        vault_doc::open_with(&current, Secret::Recovery(key.as_str())).as_deref(),
        Some(&b"one added later"[..])
    );
}

#[test]
fn recovering_with_the_recovery_key_revokes_the_forgotten_pin() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = create(dir.path(), None);
    let key = vault.add_recovery_key().unwrap();
    drop(vault);
    let old_copy = std::fs::read(dir.path().join("vault.bin")).unwrap();
    let recovered = VaultStore::new(dir.path())
        .open_with_recovery_key(key.as_str())
        .unwrap();
    let mut vault = recovered.set_pin(NEW_PIN, None).unwrap();
    vault.save(b"one added later").unwrap();
    drop(vault);
    assert_revoked(dir.path(), &old_copy, Secret::Pin(PIN));
}

#[test]
fn removing_the_unlock_slot_revokes_its_codes() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = create(dir.path(), None);
    let reset_code = vault.set_unlock_slot(&secret()).unwrap();
    let old_copy = std::fs::read(dir.path().join("vault.bin")).unwrap();
    vault.remove_unlock_slot().unwrap();
    vault.save(b"one added later").unwrap();
    drop(vault);
    let code = derive_unlock_code(&secret(), &reset_code).unwrap();
    assert_revoked(dir.path(), &old_copy, Secret::Unlock(&code));
}

#[test]
fn saves_that_revoke_nothing_keep_the_previous_generation() {
    let dir = tempfile::tempdir().unwrap();
    let mut vault = create(dir.path(), None);
    vault.add_recovery_key().unwrap(); // a first key adds a way in and revokes none
    vault.set_unlock_slot(&secret()).unwrap(); // so does a first unlock slot
    let before = std::fs::read(dir.path().join("vault.bin")).unwrap();
    vault.save(b"next").unwrap();
    assert_eq!(
        std::fs::read(dir.path().join("vault.prev")).unwrap(),
        before
    );
    let old = vault_doc::parse(&before).unwrap();
    let key = vault_doc::data_key(&old, Secret::Pin(PIN)).unwrap();
    let current = vault_doc::parse(&std::fs::read(dir.path().join("vault.bin")).unwrap()).unwrap();
    assert_eq!(
        vault_doc::decrypt_payload(&current, &key).as_deref(),
        Some(&b"next"[..])
    );
}

#[test]
fn the_unlock_slot_of_a_device_keyed_vault_needs_the_device_key() {
    let dir = tempfile::tempdir().unwrap();
    let device: Arc<dyn KeyProtector> = Arc::new(SoftwareProtector::new().unwrap());
    let mut vault = create(dir.path(), Some(device.clone()));
    vault.add_recovery_key().unwrap();
    let reset_code = vault.set_unlock_slot(&secret()).unwrap();
    drop(vault);
    let code = derive_unlock_code(&secret(), &reset_code).unwrap();

    // In the file: the unlock slot carries the device-key flag, and the document's reader (an
    // attacker with the file and the organisation's unlock code) cannot open it.
    let bytes = std::fs::read(dir.path().join("vault.bin")).unwrap();
    let file = vault_doc::parse(&bytes).unwrap();
    let unlock = file.slots.iter().find(|slot| slot.kind == 3).unwrap();
    assert_eq!(unlock.flags & 1, 1, "sealed by the device key");
    assert_eq!(vault_doc::open_with(&bytes, Secret::Unlock(&code)), None);

    let store = VaultStore::new(dir.path());
    assert!(store.open_with_pin("0852", Some(device.clone())).is_err());
    // Without the device key, or with another one: refused before a try is counted.
    let other: Arc<dyn KeyProtector> = Arc::new(SoftwareProtector::new().unwrap());
    for protector in [None, Some(other)] {
        let err = store.open_with_unlock_code(&code, protector).unwrap_err();
        assert!(matches!(err, VaultError::KeyUnavailable { .. }), "{err:?}");
    }
    assert!(matches!(
        store.status().unwrap(),
        VaultStatus::Locked {
            unlock_attempts_left: 10,
            ..
        }
    ));
    // On its device the unlock code opens it, and the new unlock slot is device bound again.
    let mut recovered = store
        .open_with_unlock_code(&code, Some(device.clone()))
        .unwrap();
    let next_reset_code = recovered.set_unlock_slot(&secret()).unwrap();
    drop(recovered.set_pin(NEW_PIN, Some(device.clone())).unwrap());
    let next = derive_unlock_code(&secret(), &next_reset_code).unwrap();
    assert!(matches!(
        store.open_with_unlock_code(&next, None),
        Err(VaultError::KeyUnavailable { .. })
    ));
    assert!(store.open_with_unlock_code(&next, Some(device)).is_ok());
}

#[test]
fn a_device_keyed_vault_opens_anywhere_with_its_recovery_key() {
    let dir = tempfile::tempdir().unwrap();
    let device: Arc<dyn KeyProtector> = Arc::new(SoftwareProtector::new().unwrap());
    let mut vault = create(dir.path(), Some(device));
    let key = vault.add_recovery_key().unwrap();
    vault.set_unlock_slot(&secret()).unwrap();
    drop(vault);
    let bytes = std::fs::read(dir.path().join("vault.bin")).unwrap();
    assert_eq!(
        vault_doc::open_with(&bytes, Secret::Recovery(key.as_str())).as_deref(),
        Some(&b"identities before"[..])
    );
    // A new device: the recovery key opens it, and the new PIN needs no device key.
    let recovered = VaultStore::new(dir.path())
        .open_with_recovery_key(key.as_str())
        .unwrap();
    drop(recovered.set_pin(NEW_PIN, None).unwrap());
    let current = std::fs::read(dir.path().join("vault.bin")).unwrap();
    assert_eq!(
        vault_doc::open_with(&current, Secret::Pin(NEW_PIN)).as_deref(),
        Some(&b"identities before"[..])
    );
}
