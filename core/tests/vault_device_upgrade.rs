//! A vault made without a device key is sealed by one the next time it is unlocked with it
//! (the desktop's upgrade once a system keystore holds its key): afterwards neither generation
//! on disk opens with the PIN alone, the recovery key and the unlock slot still work, and a
//! device key that fails during the upgrade leaves the files as they were and the session
//! locked.

mod common;

use std::path::Path;
use std::sync::Arc;

use common::*;
use tessera_core::SecretBytes;
use tessera_core::session::{FixedClock, Session, SessionError};
use tessera_core::vault::{
    KeyProtector, KeyProtectorError, SoftwareProtector, VaultError, VaultStore, derive_unlock_code,
};

fn device() -> Arc<dyn KeyProtector> {
    Arc::new(SoftwareProtector::new().unwrap())
}

fn session_with(dir: &Path, protector: Option<Arc<dyn KeyProtector>>) -> Arc<Session> {
    Arc::new(Session::new(
        dir,
        Arc::new(FixedClock(T)),
        protector,
        options(),
    ))
}

/// Whether the file at `path`, alone in a fresh folder as `vault.bin`, opens with `pin` and
/// `protector`: what someone who copied that one file could do.
fn copy_opens(path: &Path, pin: &str, protector: Option<Arc<dyn KeyProtector>>) -> bool {
    let copy = folder();
    std::fs::copy(path, copy.path().join("vault.bin")).unwrap();
    VaultStore::new(copy.path())
        .open_with_pin(pin, protector)
        .is_ok()
}

#[test]
fn unlocking_with_a_device_key_seals_an_old_vault_and_both_generations() {
    let dir = folder();
    let store = VaultStore::new(dir.path());
    let mut vault = store.create(PIN, &options(), None, b"identities").unwrap();
    let recovery = vault.add_recovery_key().unwrap();
    let identity_secret = SecretBytes::new(b"identity secret from activation".to_vec());
    let reset_code = vault.set_unlock_slot(&identity_secret).unwrap();
    vault.save(b"identities, saved again").unwrap();
    drop(vault);
    for file in ["vault.bin", "vault.prev"] {
        assert!(copy_opens(&dir.path().join(file), PIN, None), "{file}");
    }

    let key = device();
    let mut vault = store.open_with_pin(PIN, Some(key.clone())).unwrap();
    assert!(!vault.is_device_bound());
    assert!(vault.bind_device_key().unwrap());
    assert!(vault.is_device_bound());
    assert!(
        !vault.bind_device_key().unwrap(),
        "a bound vault stays as it is"
    );
    drop(vault);

    for file in ["vault.bin", "vault.prev"] {
        let path = dir.path().join(file);
        assert!(
            !copy_opens(&path, PIN, None),
            "{file} opens with the PIN alone"
        );
        assert!(
            !copy_opens(&path, PIN, Some(device())),
            "{file}: another key"
        );
        assert!(copy_opens(&path, PIN, Some(key.clone())), "{file}: its key");
    }
    let err = store.open_with_pin(PIN, None).unwrap_err();
    assert!(matches!(err, VaultError::KeyUnavailable { .. }), "{err:?}");
    assert_eq!(
        store
            .open_with_pin(PIN, Some(key.clone()))
            .unwrap()
            .payload(),
        b"identities, saved again"
    );

    // The unlock slot is sealed by the device key too; the recovery key never is.
    let unlock_code = derive_unlock_code(&identity_secret, &reset_code)
        .unwrap()
        .to_string();
    let err = store.open_with_unlock_code(&unlock_code, None).unwrap_err();
    assert!(matches!(err, VaultError::KeyUnavailable { .. }), "{err:?}");
    let recovered = store.open_with_recovery_key(recovery.as_str()).unwrap();
    assert_eq!(recovered.payload(), b"identities, saved again");
    drop(recovered);
    let recovered = store
        .open_with_unlock_code(&unlock_code, Some(key))
        .unwrap();
    assert_eq!(recovered.payload(), b"identities, saved again");
}

#[test]
fn a_session_with_a_device_key_upgrades_on_unlock_and_only_then() {
    let dir = folder();
    let plain = session_with(dir.path(), None);
    new_token_with_link(&plain, STEAM_LINK);
    assert!(!plain.settings().unwrap().device_bound);
    plain.lock();
    let before = std::fs::read(dir.path().join("vault.bin")).unwrap();

    // Opening the status screen changes nothing; unlocking does.
    let key = device();
    let keyed = session_with(dir.path(), Some(key.clone()));
    keyed.status().unwrap();
    assert_eq!(std::fs::read(dir.path().join("vault.bin")).unwrap(), before);
    keyed.unlock(PIN).unwrap();
    assert!(keyed.settings().unwrap().device_bound);
    assert_eq!(keyed.identities().unwrap().len(), 1);
    keyed.lock();

    let err = plain.unlock(PIN).unwrap_err();
    assert!(
        matches!(err, SessionError::Vault(VaultError::KeyUnavailable { .. })),
        "{err:?}"
    );
    keyed.unlock(PIN).unwrap();
    assert_eq!(keyed.identities().unwrap().len(), 1);
}

/// A keystore that answers nothing: locked, or its service gone.
struct BrokenKeystore;

impl KeyProtector for BrokenKeystore {
    fn wrap(&self, _: &[u8]) -> Result<Vec<u8>, KeyProtectorError> {
        Err(KeyProtectorError::Failed {
            reason: "the keyring is locked".into(),
        })
    }
    fn unwrap(&self, _: &[u8]) -> Result<Vec<u8>, KeyProtectorError> {
        Err(KeyProtectorError::Failed {
            reason: "the keyring is locked".into(),
        })
    }
}

#[test]
fn a_failing_device_key_during_the_upgrade_changes_nothing() {
    let dir = folder();
    let plain = session_with(dir.path(), None);
    new_token_with_link(&plain, STEAM_LINK);
    plain.lock();
    let files = |name: &str| std::fs::read(dir.path().join(name)).unwrap();
    let (current, previous) = (files("vault.bin"), files("vault.prev"));

    let broken = session_with(dir.path(), Some(Arc::new(BrokenKeystore)));
    let err = broken.unlock(PIN).unwrap_err();
    assert!(
        matches!(&err, SessionError::Vault(VaultError::KeyUnavailable { reason }) if reason.contains("the keyring is locked")),
        "{err:?}"
    );
    assert!(!broken.is_unlocked());
    assert_eq!(files("vault.bin"), current);
    assert_eq!(files("vault.prev"), previous);
    plain.unlock(PIN).unwrap();
    assert_eq!(plain.identities().unwrap().len(), 1);
}
