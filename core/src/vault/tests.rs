//! Crash-safety tests with injected faults: the process "dies" before each step of a write
//! (and in the middle of writing the bytes), and a fresh store must then open the old or the
//! new content, never neither. These need the crate-internal fault hook, so they live here;
//! the behaviour-level tests are in core/tests/vault_*.rs.

use std::path::Path;

use super::store::{FaultPoint, FileKind, SaveStep, inject_fault};
use super::*;

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
