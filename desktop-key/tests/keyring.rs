//! The device key against a real Secret Service: gnome-keyring-daemon on a private bus, started
//! here (a missing program fails the run). The keyring client finds its bus through the
//! environment, which only a single-threaded process may change, so this binary sets it
//! before anything else runs and then runs its tests one by one (`harness = false`), printing
//! libtest's lines.
//!
//! What it shows: a vault sealed by the device key opens only while the keystore holds that
//! folder's key (not from a copy in another folder, not once the item is deleted, not with a
//! damaged item), the recovery key still opens it, a key is made only when something is
//! sealed, a session upgrades a vault made without a key, and a locked keyring is said in
//! words, makes no token without its key, and is used as soon as it is unlocked.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use tessera_core::session::{FixedClock, Session, SessionError};
use tessera_core::vault::{
    KdfParams, KeyProtector, KeyProtectorError, VaultError, VaultOptions, VaultStatus, VaultStore,
};
use tessera_desktop_key::{DeviceKey, SERVICE, account_for};
use tessera_keyring_harness::{BUS_ENV, PrivateKeyring};

const PIN: &str = "4739";
const NEW_PIN: &str = "8264";
/// A token's payload as the session stores it, with no identities.
const PAYLOAD: &[u8] =
    br#"{"version":1,"identities":[],"settings":{"time_offset_seconds":0},"unlock_identity":null}"#;

fn options() -> VaultOptions {
    VaultOptions {
        kdf: KdfParams::MINIMUM,
        max_pin_attempts: 5,
    }
}

fn device_key(folder: &Path) -> Arc<dyn KeyProtector> {
    Arc::new(DeviceKey::open(folder).expect("the private keyring is reachable"))
}

fn item(folder: &Path) -> keyring::Entry {
    keyring::Entry::new(SERVICE, &account_for(folder).unwrap()).unwrap()
}

/// A new token in `home` sealed by the keystore's key for it, closed again.
fn sealed_token(home: &Path) -> VaultStore {
    let store = VaultStore::new(home);
    drop(
        store
            .create(PIN, &options(), Some(device_key(home)), PAYLOAD)
            .unwrap(),
    );
    store
}

fn is_key_unavailable(error: &VaultError, words: &str) -> bool {
    matches!(error, VaultError::KeyUnavailable { reason } if reason.contains(words))
}

fn a_sealed_vault_opens_only_while_the_keystore_holds_its_folders_key(_: &PrivateKeyring) {
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    let store = VaultStore::new(&home);
    let mut vault = store
        .create(PIN, &options(), Some(device_key(&home)), PAYLOAD)
        .unwrap();
    assert!(vault.is_device_bound());
    let recovery = vault.add_recovery_key().unwrap();
    drop(vault);
    // A new process: a new DeviceKey reads the key back from the keystore.
    assert_eq!(
        store
            .open_with_pin(PIN, Some(device_key(&home)))
            .unwrap()
            .payload(),
        PAYLOAD
    );

    // The file copied elsewhere: the same PIN gets nowhere, and costs no try.
    let copy = root.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    std::fs::copy(home.join("vault.bin"), copy.join("vault.bin")).unwrap();
    let copied = VaultStore::new(&copy);
    let error = copied
        .open_with_pin(PIN, Some(device_key(&copy)))
        .unwrap_err();
    assert!(
        is_key_unavailable(&error, "holds no device key"),
        "{error:?}"
    );
    assert!(matches!(
        item(&copy).get_secret(),
        Err(keyring::Error::NoEntry)
    ));

    // The keystore item deleted: the PIN no longer opens the token, the recovery key does,
    // and the new PIN is sealed by a new key.
    item(&home).delete_credential().unwrap();
    let error = store
        .open_with_pin(PIN, Some(device_key(&home)))
        .unwrap_err();
    assert!(
        is_key_unavailable(&error, "holds no device key"),
        "{error:?}"
    );
    assert_eq!(
        store.status().unwrap(),
        VaultStatus::Ready { attempts_left: 5 }
    );
    let recovered = store.open_with_recovery_key(recovery.as_str()).unwrap();
    drop(recovered.set_pin(NEW_PIN, Some(device_key(&home))).unwrap());
    assert_eq!(item(&home).get_secret().unwrap().len(), 32);
    assert_eq!(
        store
            .open_with_pin(NEW_PIN, Some(device_key(&home)))
            .unwrap()
            .payload(),
        PAYLOAD
    );
    let error = store.open_with_pin(NEW_PIN, None).unwrap_err();
    assert!(is_key_unavailable(&error, "none was supplied"), "{error:?}");
}

fn a_key_is_made_only_to_seal_and_never_leaves_the_keystore(_: &PrivateKeyring) {
    let root = tempfile::tempdir().unwrap();
    let key = DeviceKey::open(root.path()).unwrap();
    // Opening something makes no key.
    let error = key.unwrap(&[0; 64]).unwrap_err();
    assert!(
        matches!(&error, KeyProtectorError::KeyInvalidated { reason } if reason.contains("holds no device key")),
        "{error:?}"
    );
    assert!(matches!(
        item(root.path()).get_secret(),
        Err(keyring::Error::NoEntry)
    ));

    let sealed = key.wrap(b"the PIN slot's wrapped key").unwrap();
    let stored = item(root.path()).get_secret().unwrap();
    assert_eq!(stored.len(), 32);
    assert!(
        !sealed.windows(stored.len()).any(|w| w == stored.as_slice()),
        "the key is not in what it seals"
    );
    // Another instance (another process) finds the same key; the first keeps its copy.
    let again = DeviceKey::open(root.path()).unwrap();
    assert_eq!(
        again.unwrap(&sealed).unwrap(),
        b"the PIN slot's wrapped key"
    );
    assert_eq!(
        key.unwrap(&again.wrap(b"x").unwrap()).unwrap(),
        b"x".to_vec()
    );
    assert!(key.unwrap(&sealed[1..]).is_err());
    let shown = format!("{key:?}");
    assert!(shown.starts_with("DeviceKey"), "{shown}");
    assert!(!shown.contains(&format!("{stored:?}")), "{shown}");
}

fn a_damaged_keystore_item_is_refused_by_name(_: &PrivateKeyring) {
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    let store = sealed_token(&home);
    item(&home).set_secret(b"short").unwrap();
    let error = store
        .open_with_pin(PIN, Some(device_key(&home)))
        .unwrap_err();
    assert!(is_key_unavailable(&error, "holds 5 bytes"), "{error:?}");
    assert_eq!(
        store.status().unwrap(),
        VaultStatus::Ready { attempts_left: 5 }
    );
}

fn a_session_seals_an_old_vault_with_the_keystore_key_when_it_unlocks(_: &PrivateKeyring) {
    let root = tempfile::tempdir().unwrap();
    let store = VaultStore::new(root.path());
    drop(store.create(PIN, &options(), None, PAYLOAD).unwrap());
    assert!(matches!(
        item(root.path()).get_secret(),
        Err(keyring::Error::NoEntry)
    ));

    let session = Session::new(
        root.path(),
        Arc::new(FixedClock(1_700_000_000)),
        Some(device_key(root.path())),
        options(),
    );
    session.unlock(PIN).unwrap();
    assert!(session.settings().unwrap().device_bound);
    assert_eq!(item(root.path()).get_secret().unwrap().len(), 32);
    let error = store.open_with_pin(PIN, None).unwrap_err();
    assert!(is_key_unavailable(&error, "none was supplied"), "{error:?}");

    // Without its item the upgraded token refuses the PIN with the reason, and stays locked.
    item(root.path()).delete_credential().unwrap();
    let again = Session::new(
        root.path(),
        Arc::new(FixedClock(1_700_000_000)),
        Some(device_key(root.path())),
        options(),
    );
    let error = again.unlock(PIN).unwrap_err();
    assert!(
        matches!(&error, SessionError::Vault(e) if is_key_unavailable(e, "holds no device key")),
        "{error:?}"
    );
    assert!(!again.is_unlocked());
}

fn a_locked_keyring_is_said_in_words_and_used_once_unlocked(keyring: &PrivateKeyring) {
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    let store = sealed_token(&home);
    keyring.lock().unwrap();

    // The Secret Service still answers, so the key is offered; the collection does not open
    // (no one is at the unlock prompt here), and the refusal says so and costs no try.
    let key = device_key(&home);
    let error = store
        .open_with_pin(PIN, Some(Arc::clone(&key)))
        .unwrap_err();
    assert!(is_key_unavailable(&error, "keyring is locked"), "{error:?}");
    assert_eq!(
        store.status().unwrap(),
        VaultStatus::Ready { attempts_left: 5 }
    );
    // A new token is refused too, never made without its key.
    let other = root.path().join("other");
    let error = VaultStore::new(&other)
        .create(PIN, &options(), Some(device_key(&other)), PAYLOAD)
        .unwrap_err();
    assert!(is_key_unavailable(&error, "keyring is locked"), "{error:?}");
    assert!(!other.join("vault.bin").exists());

    // Unlocked (as logging in does): the same key, in the same process, now opens the token.
    keyring.unlock().unwrap();
    assert_eq!(
        store.open_with_pin(PIN, Some(key)).unwrap().payload(),
        PAYLOAD
    );
}

type Test = (&'static str, fn(&PrivateKeyring));

const TESTS: [Test; 5] = [
    (
        "a_sealed_vault_opens_only_while_the_keystore_holds_its_folders_key",
        a_sealed_vault_opens_only_while_the_keystore_holds_its_folders_key,
    ),
    (
        "a_key_is_made_only_to_seal_and_never_leaves_the_keystore",
        a_key_is_made_only_to_seal_and_never_leaves_the_keystore,
    ),
    (
        "a_damaged_keystore_item_is_refused_by_name",
        a_damaged_keystore_item_is_refused_by_name,
    ),
    (
        "a_session_seals_an_old_vault_with_the_keystore_key_when_it_unlocks",
        a_session_seals_an_old_vault_with_the_keystore_key_when_it_unlocks,
    ),
    (
        "a_locked_keyring_is_said_in_words_and_used_once_unlocked",
        a_locked_keyring_is_said_in_words_and_used_once_unlocked,
    ),
];

fn main() -> std::process::ExitCode {
    let keyring = PrivateKeyring::start().expect("the private keyring must start for these tests");
    // SAFETY: nothing else runs yet (no test has started, no thread was spawned), so no other
    // thread can read the environment while it changes.
    unsafe { std::env::set_var(BUS_ENV, keyring.bus().address()) };
    DeviceKey::open("/").expect("the keyring client reaches the private keyring");

    println!("\nrunning {} tests", TESTS.len());
    let mut failed = Vec::new();
    for (name, test) in TESTS {
        let passed = catch_unwind(AssertUnwindSafe(|| test(&keyring))).is_ok();
        println!("test {name} ... {}", if passed { "ok" } else { "FAILED" });
        if !passed {
            failed.push(name);
        }
    }
    let passed = TESTS.len() - failed.len();
    let verdict = if failed.is_empty() { "ok" } else { "FAILED" };
    println!(
        "\ntest result: {verdict}. {passed} passed; {} failed; 0 ignored; 0 measured; 0 filtered out\n",
        failed.len()
    );
    drop(keyring);
    if failed.is_empty() {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
