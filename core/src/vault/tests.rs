//! Crash-safety tests with injected faults: the process "dies" before each step of a write
//! (and in the middle of writing the bytes), and a fresh store must then open the old or the
//! new content, never neither. These need the crate-internal fault hook, so they live here;
//! the behaviour-level tests are in core/tests/vault_*.rs.

use std::path::Path;

use super::store::{FaultPoint, FileKind, SaveStep, inject_fault};
use super::*;
use crate::crypto::kdf;

const PIN: &str = "4739";

fn options() -> VaultOptions {
    VaultOptions {
        kdf: KdfParams::MINIMUM,
        max_pin_attempts: 5,
    }
}

/// A vault whose current file holds `generation 1` and previous file `generation 0`.
fn two_generations(dir: &Path) -> (OpenVault, RecoveryKey) {
    let store = VaultStore::new(dir);
    let mut vault = store
        .create(PIN, &options(), None, b"generation 0")
        .unwrap();
    let key = vault.add_recovery_key().unwrap();
    vault.save(b"generation 1").unwrap();
    (vault, key)
}

fn attempts_left(dir: &Path) -> u32 {
    match VaultStore::new(dir).status().unwrap() {
        VaultStatus::Ready { attempts_left } => attempts_left,
        other => panic!("expected Ready, got {other:?}"),
    }
}

#[test]
fn a_crash_at_any_step_of_a_save_leaves_the_old_or_the_new_payload() {
    for step in SaveStep::ALL {
        let dir = tempfile::tempdir().unwrap();
        let (mut vault, key) = two_generations(dir.path());
        inject_fault(Some(FaultPoint::Write(FileKind::Vault, step)));
        let crashed = vault.save(b"generation 2");
        inject_fault(None);
        assert!(
            crashed.is_err(),
            "{step:?}: the injected crash did not happen"
        );
        drop(vault); // the process is gone

        let store = VaultStore::new(dir.path());
        let reopened = store.open_with_recovery_key(key.as_str()).unwrap();
        let payload = reopened.payload().to_vec();
        let expected_new = step == SaveStep::SyncFolder;
        let expected: &[u8] = if expected_new {
            b"generation 2"
        } else {
            b"generation 1"
        };
        assert_eq!(payload, expected, "{step:?}");
        let expected_from = if step == SaveStep::RenameTempToCurrent {
            // Between the two renames vault.bin is absent: the previous generation (which is
            // the old content) is opened, and the result says so.
            OpenedFrom::Previous {
                reason: FallbackReason::CurrentMissing,
            }
        } else {
            OpenedFrom::Current
        };
        assert_eq!(reopened.opened_from(), expected_from, "{step:?}");

        // Life goes on: the PIN still opens it, and the next save lands normally.
        let mut vault = store.open_with_pin(PIN, None).unwrap();
        vault.save(b"generation 3").unwrap();
        let again = VaultStore::new(dir.path())
            .open_with_recovery_key(key.as_str())
            .unwrap();
        assert_eq!(again.payload(), b"generation 3", "{step:?}");
        assert_eq!(again.opened_from(), OpenedFrom::Current, "{step:?}");
        // The crashed write's temporary file was removed by the next writer.
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{step:?}: {leftovers:?}");
    }
}

#[test]
fn a_crash_while_the_counter_is_written_never_gives_a_checked_but_uncounted_try() {
    let dir = tempfile::tempdir().unwrap();
    let store = VaultStore::new(dir.path());
    drop(store.create(PIN, &options(), None, b"payload").unwrap());
    let mut expected_left = 5;
    for step in SaveStep::ALL
        .into_iter()
        .filter(|s| *s != SaveStep::RenameCurrentToPrevious)
    {
        inject_fault(Some(FaultPoint::Write(FileKind::State, step)));
        let result = store.open_with_pin("0852", None);
        inject_fault(None);
        assert!(
            matches!(result, Err(VaultError::Storage { .. })),
            "{step:?}: {result:?}"
        );
        // Before the rename the PIN was not checked (the error came first) and the old count
        // stands; after it, the new count is on disk.
        if step == SaveStep::SyncFolder {
            expected_left -= 1;
        }
        assert_eq!(attempts_left(dir.path()), expected_left, "{step:?}");
    }
}

#[test]
fn dying_during_the_pin_check_still_costs_the_try() {
    let dir = tempfile::tempdir().unwrap();
    let store = VaultStore::new(dir.path());
    drop(store.create(PIN, &options(), None, b"payload").unwrap());

    inject_fault(Some(FaultPoint::AfterCountingAttempt));
    let result = store.open_with_pin("0852", None);
    inject_fault(None);
    assert!(matches!(result, Err(VaultError::Storage { .. })));
    assert_eq!(attempts_left(dir.path()), 4);

    // Even the right PIN: killed mid-check, the try is spent until a check completes.
    inject_fault(Some(FaultPoint::AfterCountingAttempt));
    let result = store.open_with_pin(PIN, None);
    inject_fault(None);
    assert!(result.is_err());
    assert_eq!(attempts_left(dir.path()), 3);

    let vault = store.open_with_pin(PIN, None).unwrap();
    assert_eq!(vault.payload(), b"payload");
    assert_eq!(attempts_left(dir.path()), 5);
}

#[test]
fn a_crash_during_create_leaves_no_vault_or_a_whole_one() {
    for step in SaveStep::ALL
        .into_iter()
        .filter(|s| *s != SaveStep::RenameCurrentToPrevious)
    {
        let dir = tempfile::tempdir().unwrap();
        let store = VaultStore::new(dir.path());
        inject_fault(Some(FaultPoint::Write(FileKind::Vault, step)));
        let result = store.create(PIN, &options(), None, b"first");
        inject_fault(None);
        assert!(result.is_err(), "{step:?}");
        match store.status().unwrap() {
            VaultStatus::NoVault => {
                assert_ne!(step, SaveStep::SyncFolder);
                // A half-made vault never blocks a new one.
                drop(store.create(PIN, &options(), None, b"second").unwrap());
            }
            VaultStatus::Ready { attempts_left: 5 } => {
                assert_eq!(step, SaveStep::SyncFolder);
                assert_eq!(store.open_with_pin(PIN, None).unwrap().payload(), b"first");
            }
            other => panic!("{step:?}: {other:?}"),
        }
    }
}

/// Whether `pin` opens the vault file `bytes` on its own (copied into a fresh folder).
fn opens_with_pin(bytes: &[u8], pin: &str) -> bool {
    let scratch = tempfile::tempdir().unwrap();
    std::fs::write(scratch.path().join("vault.bin"), bytes).unwrap();
    VaultStore::new(scratch.path())
        .open_with_pin(pin, None)
        .is_ok()
}

#[test]
fn a_crash_at_any_step_of_a_rotation_leaves_the_old_or_the_new_state() {
    const NEW_PIN: &str = "8264";
    let steps = SaveStep::ALL
        .into_iter()
        .flat_map(|step| [FileKind::Previous, FileKind::Vault].map(|kind| (kind, step)));
    for (kind, step) in steps {
        let dir = tempfile::tempdir().unwrap();
        let (mut vault, key) = two_generations(dir.path());
        inject_fault(Some(FaultPoint::Write(kind, step)));
        let result = vault.change_pin(NEW_PIN);
        inject_fault(None);
        drop(vault); // the process is gone
        // Renaming the current file away is not a step of a rotating write, so no crash
        // happens there and the rotation finishes.
        let finished = result.is_ok();
        assert_eq!(
            finished,
            step == SaveStep::RenameCurrentToPrevious,
            "{kind:?} {step:?}: {result:?}"
        );
        let new_state = finished || (kind == FileKind::Vault && step == SaveStep::SyncFolder);

        let store = VaultStore::new(dir.path());
        let (right, other) = if new_state {
            (NEW_PIN, PIN)
        } else {
            (PIN, NEW_PIN)
        };
        let vault = store.open_with_pin(right, None).unwrap();
        assert_eq!(vault.payload(), b"generation 1", "{kind:?} {step:?}");
        assert_eq!(
            vault.opened_from(),
            OpenedFrom::Current,
            "{kind:?} {step:?}"
        );
        drop(vault);
        assert_eq!(
            store
                .open_with_recovery_key(key.as_str())
                .unwrap()
                .payload(),
            b"generation 1"
        );
        if new_state {
            // Finished: no file in the folder opens with the old PIN any more.
            for entry in std::fs::read_dir(dir.path()).unwrap() {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap();
                assert!(
                    !opens_with_pin(&bytes, other),
                    "{kind:?} {step:?}: {path:?}"
                );
            }
        } else {
            // Unfinished: the current file is the old generation and the old PIN opens it.
            let current = std::fs::read(dir.path().join("vault.bin")).unwrap();
            assert!(!opens_with_pin(&current, other), "{kind:?} {step:?}");
        }

        // Life goes on: the rotation done again finishes, and leaves only the new generation.
        let mut vault = store.open_with_pin(right, None).unwrap();
        vault.change_pin("5281").unwrap();
        drop(vault);
        let current = std::fs::read(dir.path().join("vault.bin")).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("vault.prev")).unwrap(),
            current,
            "{kind:?} {step:?}"
        );
        assert!(opens_with_pin(&current, "5281"));
        assert!(!opens_with_pin(&current, right));
    }
}

/// Rewrites the vault in `dir` as Tessera's format version 1 wrote it: `payload` under a new
/// data key, a PIN slot and an unlock slot for `identity_secret` in the version-1 form (KEK =
/// the Argon2id output). Returns the unlock slot's reset code.
fn write_version_1(dir: &Path, payload: &[u8], identity_secret: &crate::SecretBytes) -> String {
    use super::format::{Header, Slot, SlotKdf, SlotKind};
    let data_key = cipher::make_key().unwrap();
    let params = KdfParams::MINIMUM;
    let reset_code = "123456789".to_string();
    let unlock_code = derive_unlock_code(identity_secret, &reset_code).unwrap();
    let seal = |kind, secret: &[u8], reset_code: Option<String>| {
        let mut slot = Slot {
            kind,
            device_key: false,
            kdf: SlotKdf::Argon2id(params),
            salt: crate::random::make_random_bytes().unwrap(),
            reset_code,
            stanza: None,
            nonce: cipher::make_nonce().unwrap(),
            wrapped: Vec::new(),
        };
        let kek = kdf::derive_argon2id_kek(secret, &slot.salt, &params).unwrap();
        slot.wrapped = cipher::seal(&kek, &slot.nonce, &slot.aad(), &data_key[..]).unwrap();
        slot
    };
    let header = Header {
        max_pin_attempts: 5,
        payload_nonce: cipher::make_nonce().unwrap(),
        pin: seal(SlotKind::Pin, PIN.as_bytes(), None),
        recovery: None,
        unlock: Some(seal(
            SlotKind::Unlock,
            unlock_code.as_bytes(),
            Some(reset_code.clone()),
        )),
    };
    let mut header_bytes = header.encode();
    header_bytes[8] = 1;
    let sealed = cipher::seal(&data_key, &header.payload_nonce, &header_bytes, payload).unwrap();
    std::fs::write(
        dir.join("vault.bin"),
        format::assemble_file(&header_bytes, &sealed),
    )
    .unwrap();
    let _ = std::fs::remove_file(dir.join("vault.prev"));
    reset_code
}

#[test]
fn a_session_makes_a_version_1_unlock_slot_again_when_it_unlocks() {
    use crate::flow::{ActivationInput, AddIdentityFlow};
    use crate::session::{FixedClock, Session, TokenData};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let session = |dir: &Path| {
        Arc::new(Session::new(
            dir,
            Arc::new(FixedClock(1_700_000_000)),
            None,
            options(),
        ))
    };
    // A token with an IdentityGuard identity, whose vault is then rewritten as version 1.
    let first = session(dir.path());
    let flow = AddIdentityFlow::new(first.clone()).unwrap();
    let typed = ActivationInput {
        serial: "48244-13456".into(),
        activation: "1745-7712-6942-8698".into(),
        ..ActivationInput::default()
    };
    flow.enter_activation(&typed).unwrap();
    flow.set_pin(PIN).unwrap();
    flow.confirm_pin(PIN).unwrap();
    flow.finish().unwrap();
    first.lock();
    let payload = VaultStore::new(dir.path())
        .open_with_pin(PIN, None)
        .unwrap()
        .payload()
        .to_vec();
    let data = TokenData::decode(&payload).unwrap();
    let secret = data.identities[0].kind.secret().clone();
    let old_reset_code = write_version_1(dir.path(), &payload, &secret);
    let old_code = derive_unlock_code(&secret, &old_reset_code).unwrap();

    // Unlocking makes the unlock slot again, in the version-2 form, with a new reset code; the
    // PIN slot is converted in the same save.
    session(dir.path()).unlock(PIN).unwrap();
    let file = format::decode_file(std::fs::read(dir.path().join("vault.bin")).unwrap()).unwrap();
    assert!(file.header.pin.stanza.is_some());
    let unlock = file.header.unlock.expect("an unlock slot");
    assert!(unlock.stanza.is_some());
    let new_reset_code = unlock.reset_code.expect("a reset code");
    assert_ne!(new_reset_code, old_reset_code);
    let store = VaultStore::new(dir.path());
    assert!(matches!(
        store.open_with_unlock_code(&old_code, None),
        Err(VaultError::WrongUnlockCode { .. })
    ));
    let new_code = derive_unlock_code(&secret, &new_reset_code).unwrap();
    let by_pin = store.open_with_pin(PIN, None).unwrap().payload().to_vec();
    assert_eq!(
        store
            .open_with_unlock_code(&new_code, None)
            .unwrap()
            .payload(),
        by_pin
    );
}
