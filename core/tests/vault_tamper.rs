//! Damaged and tampered files: every changed byte is caught, nothing panics, the payload never
//! changes silently, and a damaged current file is answered with the previous generation and a
//! notice. Byte offsets come from docs/vault-format.md.

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};
use tessera_core::vault::{
    FallbackReason, KdfParams, OpenedFrom, RecoveryKey, VaultError, VaultOptions, VaultStatus,
    VaultStore,
};

const PIN: &str = "4739";
const OLD: &[u8] = b"old payload";
const NEW: &[u8] = b"new payload";

fn options() -> VaultOptions {
    VaultOptions {
        kdf: KdfParams::MINIMUM,
        max_pin_attempts: 5,
    }
}

/// A vault with PIN, recovery and unlock slots; current = NEW, previous = OLD.
fn two_generations(dir: &Path) -> RecoveryKey {
    let store = VaultStore::new(dir);
    let mut vault = store.create(PIN, &options(), None, OLD).unwrap();
    let key = vault.add_recovery_key().unwrap();
    vault
        .set_unlock_slot(&tessera_core::SecretBytes::new(vec![3; 20]))
        .unwrap();
    vault.save(OLD).unwrap();
    vault.save(NEW).unwrap();
    key
}

fn with_checksum(content: &[u8]) -> Vec<u8> {
    let mut file = content.to_vec();
    file.extend_from_slice(&Sha256::digest(content));
    file
}

fn is_integrity_or_format_error(error: &VaultError) -> bool {
    matches!(
        error,
        VaultError::Corrupted
            | VaultError::Tampered
            | VaultError::UnsupportedVersion { .. }
            | VaultError::KdfParamsOutOfRange { .. }
    )
}

#[test]
fn every_flipped_byte_of_a_lone_vault_file_is_refused_and_costs_no_try() {
    let dir = tempfile::tempdir().unwrap();
    let key = two_generations(dir.path());
    fs::remove_file(dir.path().join("vault.prev")).unwrap();
    let good = fs::read(dir.path().join("vault.bin")).unwrap();
    let store = VaultStore::new(dir.path());
    for i in 0..good.len() {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut damaged = good.clone();
            damaged[i] ^= mask;
            fs::write(dir.path().join("vault.bin"), &damaged).unwrap();
            let pin = store.open_with_pin(PIN, None).unwrap_err();
            assert!(
                matches!(pin, VaultError::Corrupted),
                "byte {i} mask {mask:#x}: {pin:?}"
            );
            let recovery = store.open_with_recovery_key(key.as_str()).unwrap_err();
            assert!(
                matches!(recovery, VaultError::Corrupted),
                "byte {i} mask {mask:#x}: {recovery:?}"
            );
            assert!(matches!(store.status(), Err(VaultError::Corrupted)));
        }
    }
    assert_eq!(
        VaultError::Corrupted.to_string(),
        "the vault file is damaged"
    );
    fs::write(dir.path().join("vault.bin"), &good).unwrap();
    assert_eq!(
        store.status().unwrap(),
        VaultStatus::Ready { attempts_left: 5 }
    );
    assert_eq!(store.open_with_pin(PIN, None).unwrap().payload(), NEW);
}

#[test]
fn every_truncation_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let key = two_generations(dir.path());
    fs::remove_file(dir.path().join("vault.prev")).unwrap();
    let good = fs::read(dir.path().join("vault.bin")).unwrap();
    let store = VaultStore::new(dir.path());
    for len in 0..good.len() {
        fs::write(dir.path().join("vault.bin"), &good[..len]).unwrap();
        let err = store.open_with_recovery_key(key.as_str()).unwrap_err();
        assert!(
            matches!(err, VaultError::Corrupted),
            "length {len}: {err:?}"
        );
    }
    let mut longer = good.clone();
    longer.push(0);
    fs::write(dir.path().join("vault.bin"), &longer).unwrap();
    assert!(matches!(
        store.open_with_recovery_key(key.as_str()),
        Err(VaultError::Corrupted)
    ));
}

#[test]
fn with_a_damaged_current_file_the_previous_generation_opens_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let key = two_generations(dir.path());
    let good = fs::read(dir.path().join("vault.bin")).unwrap();
    let store = VaultStore::new(dir.path());
    for i in 0..good.len() {
        let mut damaged = good.clone();
        damaged[i] ^= 0x20;
        fs::write(dir.path().join("vault.bin"), &damaged).unwrap();
        let recovered = store.open_with_recovery_key(key.as_str()).unwrap();
        assert_eq!(recovered.payload(), OLD, "byte {i}");
        assert_eq!(
            recovered.opened_from(),
            OpenedFrom::Previous {
                reason: FallbackReason::CurrentDamaged
            }
        );
    }
    // Through the PIN too (a few positions: each costs an Argon2 run), with a notice to show.
    for i in [0, good.len() / 2, good.len() - 1] {
        let mut damaged = good.clone();
        damaged[i] ^= 0x20;
        fs::write(dir.path().join("vault.bin"), &damaged).unwrap();
        let vault = store.open_with_pin(PIN, None).unwrap();
        assert_eq!(vault.payload(), OLD);
        assert!(
            vault
                .opened_from()
                .notice()
                .unwrap()
                .contains("previous copy")
        );
    }
    // A missing current file (a save interrupted between its renames) is named as such.
    fs::remove_file(dir.path().join("vault.bin")).unwrap();
    let recovered = store.open_with_recovery_key(key.as_str()).unwrap();
    assert_eq!(recovered.payload(), OLD);
    assert_eq!(
        recovered.opened_from(),
        OpenedFrom::Previous {
            reason: FallbackReason::CurrentMissing
        }
    );
}

#[test]
fn saving_after_a_fallback_never_overwrites_the_good_previous_generation() {
    let dir = tempfile::tempdir().unwrap();
    let key = two_generations(dir.path());
    let mut damaged = fs::read(dir.path().join("vault.bin")).unwrap();
    damaged[100] ^= 1;
    fs::write(dir.path().join("vault.bin"), &damaged).unwrap();
    let store = VaultStore::new(dir.path());
    let mut vault = store.open_with_pin(PIN, None).unwrap();
    assert_eq!(vault.payload(), OLD);
    vault.save(b"repaired").unwrap();
    drop(vault);
    let reopened = store.open_with_recovery_key(key.as_str()).unwrap();
    assert_eq!(reopened.payload(), b"repaired");
    assert_eq!(reopened.opened_from(), OpenedFrom::Current);
    // vault.prev is still the good OLD generation, not the damaged file.
    fs::remove_file(dir.path().join("vault.bin")).unwrap();
    assert_eq!(
        store
            .open_with_recovery_key(key.as_str())
            .unwrap()
            .payload(),
        OLD
    );
}

#[test]
fn changes_with_a_recomputed_checksum_fail_authentication_and_never_change_the_payload() {
    let dir = tempfile::tempdir().unwrap();
    let key = two_generations(dir.path());
    fs::remove_file(dir.path().join("vault.prev")).unwrap();
    let good = fs::read(dir.path().join("vault.bin")).unwrap();
    let content = &good[..good.len() - 32];
    let store = VaultStore::new(dir.path());
    for i in 0..content.len() {
        let mut forged = content.to_vec();
        forged[i] ^= 0x01;
        fs::write(dir.path().join("vault.bin"), with_checksum(&forged)).unwrap();
        match store.open_with_recovery_key(key.as_str()) {
            Ok(recovered) => panic!(
                "byte {i}: a changed file opened, payload {:?}",
                recovered.payload()
            ),
            Err(e) => assert!(
                is_integrity_or_format_error(&e) || matches!(e, VaultError::WrongRecoveryKey),
                "byte {i}: {e:?}"
            ),
        }
    }
    // Through the PIN slot: changed KDF memory (still in range), salt, wrapped key. Each is a
    // wrong PIN as far as the token can tell (it cannot tell before unwrapping), and counted.
    let pin_slot = 40;
    for (what, at) in [
        ("memory", pin_slot + 3),
        ("salt", pin_slot + 15 + 3),
        ("wrapped key", pin_slot + 15 + 16 + 24 + 2 + 5),
    ] {
        let mut forged = content.to_vec();
        forged[at] ^= 0x01;
        fs::write(dir.path().join("vault.bin"), with_checksum(&forged)).unwrap();
        let err = store.open_with_pin(PIN, None).unwrap_err();
        assert!(
            matches!(err, VaultError::WrongPin { .. }),
            "{what}: {err:?}"
        );
    }
    // The threshold byte is not in any slot: the PIN opens the slot, the payload check fails.
    let mut forged = content.to_vec();
    forged[14] = 99;
    fs::write(dir.path().join("vault.bin"), with_checksum(&forged)).unwrap();
    let err = store.open_with_pin(PIN, None).unwrap_err();
    assert!(matches!(err, VaultError::Tampered), "{err:?}");
}

#[test]
fn kdf_parameters_out_of_range_are_refused_before_any_memory_is_reserved() {
    let dir = tempfile::tempdir().unwrap();
    drop(
        VaultStore::new(dir.path())
            .create(PIN, &options(), None, b"x")
            .unwrap(),
    );
    let good = fs::read(dir.path().join("vault.bin")).unwrap();
    let content = &good[..good.len() - 32];
    let store = VaultStore::new(dir.path());
    // PIN slot at 40: kind, flags, kdf, then memory (KiB) 43..47, passes 47..51, lanes 51..55.
    let cases = [
        (43, 512 * 1024u32, "memory (KiB)"),
        (43, u32::MAX, "memory (KiB)"),
        (43, 4096, "memory (KiB)"),
        (47, 11, "passes"),
        (47, 0, "passes"),
        (51, 5, "lanes"),
    ];
    for (at, value, which) in cases {
        let mut forged = content.to_vec();
        forged[at..at + 4].copy_from_slice(&value.to_le_bytes());
        fs::write(dir.path().join("vault.bin"), with_checksum(&forged)).unwrap();
        let started = std::time::Instant::now();
        let err = store.open_with_pin(PIN, None).unwrap_err();
        // u32::MAX KiB is 4 TiB: reserving it would fail as NotEnoughMemory, not this.
        assert!(
            matches!(&err, VaultError::KdfParamsOutOfRange { which: w, value: v, .. } if *w == which && *v == value),
            "{which}={value}: {err:?}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert!(matches!(
            store.status(),
            Err(VaultError::KdfParamsOutOfRange { .. })
        ));
    }
    let mut forged = content.to_vec();
    forged[43..47].copy_from_slice(&(512 * 1024u32).to_le_bytes());
    fs::write(dir.path().join("vault.bin"), with_checksum(&forged)).unwrap();
    assert_eq!(
        store.open_with_pin(PIN, None).unwrap_err().to_string(),
        "the vault's key-derivation memory (KiB) is 524288, outside the accepted range 8192 to 262144"
    );
    // Nothing was counted.
    fs::write(dir.path().join("vault.bin"), &good).unwrap();
    assert_eq!(
        store.status().unwrap(),
        VaultStatus::Ready { attempts_left: 5 }
    );
}

#[test]
fn a_newer_format_version_is_named() {
    let dir = tempfile::tempdir().unwrap();
    drop(
        VaultStore::new(dir.path())
            .create(PIN, &options(), None, b"x")
            .unwrap(),
    );
    let good = fs::read(dir.path().join("vault.bin")).unwrap();
    let mut forged = good[..good.len() - 32].to_vec();
    forged[8..10].copy_from_slice(&3u16.to_le_bytes());
    fs::write(dir.path().join("vault.bin"), with_checksum(&forged)).unwrap();
    let err = VaultStore::new(dir.path())
        .open_with_pin(PIN, None)
        .unwrap_err();
    assert!(
        matches!(err, VaultError::UnsupportedVersion { found: 3 }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the vault was written in format version 3, which this version of Tessera cannot read; update the app"
    );
}

#[test]
fn a_damaged_or_missing_lockout_record_means_one_try_left_never_more() {
    let dir = tempfile::tempdir().unwrap();
    drop(
        VaultStore::new(dir.path())
            .create(PIN, &options(), None, b"x")
            .unwrap(),
    );
    let store = VaultStore::new(dir.path());
    let state_path = dir.path().join("vault.state");
    // Two failures on record.
    let _ = store.open_with_pin("0852", None);
    let _ = store.open_with_pin("0852", None);
    assert_eq!(
        store.status().unwrap(),
        VaultStatus::Ready { attempts_left: 3 }
    );
    let good = fs::read(&state_path).unwrap();
    assert_eq!(good.len(), 50);
    for i in 0..good.len() {
        for mask in [0x01u8, 0xff] {
            let mut damaged = good.clone();
            damaged[i] ^= mask;
            fs::write(&state_path, &damaged).unwrap();
            assert_eq!(
                store.status().unwrap(),
                VaultStatus::Ready { attempts_left: 1 },
                "byte {i}"
            );
        }
    }
    fs::write(&state_path, &good[..10]).unwrap();
    assert_eq!(
        store.status().unwrap(),
        VaultStatus::Ready { attempts_left: 1 }
    );
    fs::remove_file(&state_path).unwrap();
    assert_eq!(
        store.status().unwrap(),
        VaultStatus::Ready { attempts_left: 1 }
    );
    // The one try is real: a wrong PIN now locks.
    assert!(matches!(
        store.open_with_pin("0852", None),
        Err(VaultError::Locked { .. })
    ));
    // A damaged record on a locked token keeps one try, not a fresh five.
    fs::write(&state_path, b"garbage").unwrap();
    assert_eq!(
        store.status().unwrap(),
        VaultStatus::Ready { attempts_left: 1 }
    );
    assert_eq!(store.open_with_pin(PIN, None).unwrap().payload(), b"x");
    assert_eq!(
        store.status().unwrap(),
        VaultStatus::Ready { attempts_left: 5 }
    );
}
