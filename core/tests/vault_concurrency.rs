//! Several users of one vault folder at once (threads here; processes through the real binary
//! in cli/tests/races.rs): PIN tries are counted one after the other, saves never undo each
//! other, and no name in the folder can be used to redirect a write.
//!
//! Every vault here uses the KDF floor (8 MiB, 1 pass) so the suite stays fast.

use std::path::Path;
use std::sync::Barrier;

use tessera_core::vault::{
    KdfParams, OpenVault, RecoveryKey, VaultError, VaultOptions, VaultStatus, VaultStore,
};

const PIN: &str = "4739";
const WRONG_PIN: &str = "0852";
const THREADS: usize = 8;
const MAX_PIN_ATTEMPTS: u32 = 5;

fn options() -> VaultOptions {
    VaultOptions {
        kdf: KdfParams::MINIMUM,
        max_pin_attempts: MAX_PIN_ATTEMPTS,
    }
}

fn create(dir: &Path, payload: &[u8]) -> (OpenVault, RecoveryKey) {
    let mut vault = VaultStore::new(dir)
        .create(PIN, &options(), None, payload)
        .unwrap();
    let key = vault.add_recovery_key().unwrap();
    (vault, key)
}

/// Runs `f` on [`THREADS`] threads released at the same instant; returns their results.
fn at_once<T: Send>(f: impl Fn() -> T + Sync) -> Vec<T> {
    let barrier = Barrier::new(THREADS);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    f()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

#[test]
fn parallel_wrong_pins_are_counted_one_after_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let (vault, key) = create(dir.path(), b"payload");
    drop(vault);
    for round in 0..10 {
        let results = at_once(|| VaultStore::new(dir.path()).open_with_pin(WRONG_PIN, None));
        let mut left = Vec::new();
        let mut locked = 0;
        for result in results {
            match result {
                Err(VaultError::WrongPin { attempts_left }) => left.push(attempts_left),
                Err(VaultError::Locked { .. }) => locked += 1,
                other => panic!("round {round}: {other:?}"),
            }
        }
        left.sort_unstable();
        // Every check saw the count the previous one wrote: 4, 3, 2, 1 tries left once each,
        // then the fifth check locked the token and the rest were refused unchecked.
        assert_eq!(left, [1, 2, 3, 4], "round {round}");
        assert_eq!(locked, THREADS - 4, "round {round}");
        assert!(matches!(
            VaultStore::new(dir.path()).status().unwrap(),
            VaultStatus::Locked { .. }
        ));
        let recovered = VaultStore::new(dir.path())
            .open_with_recovery_key(key.as_str())
            .unwrap();
        drop(recovered.set_pin(PIN, None).unwrap());
    }
}

#[test]
fn parallel_savers_never_lose_an_update() {
    let dir = tempfile::tempdir().unwrap();
    drop(create(dir.path(), b"0"));
    const INCREMENTS: usize = 6;
    at_once(|| {
        for _ in 0..INCREMENTS {
            // Open, add one, save; a save refused because another thread saved first is
            // retried from a fresh read, as a person would re-run the command.
            loop {
                let mut vault = VaultStore::new(dir.path())
                    .open_with_pin(PIN, None)
                    .unwrap();
                let count: usize = std::str::from_utf8(vault.payload())
                    .unwrap()
                    .parse()
                    .unwrap();
                match vault.save((count + 1).to_string().as_bytes()) {
                    Ok(()) => break,
                    Err(VaultError::ChangedElsewhere) => {}
                    Err(other) => panic!("{other:?}"),
                }
            }
        }
    });
    let vault = VaultStore::new(dir.path())
        .open_with_pin(PIN, None)
        .unwrap();
    assert_eq!(
        vault.payload(),
        (THREADS * INCREMENTS).to_string().as_bytes()
    );
}

#[test]
fn a_handle_opened_before_another_save_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (mut first, key) = create(dir.path(), b"original");
    let store = VaultStore::new(dir.path());
    let mut second = store.open_with_pin(PIN, None).unwrap();
    // The second handle changes the PIN; the first, opened before, must not write its old
    // header (with the old PIN) back over it.
    second.change_pin("8264").unwrap();
    let before = std::fs::read(dir.path().join("vault.bin")).unwrap();
    let error = first.save(b"stale").unwrap_err();
    assert!(matches!(error, VaultError::ChangedElsewhere), "{error:?}");
    assert_eq!(
        error.to_string(),
        "the vault was changed by another Tessera process since it was opened, so nothing was saved; open it again and repeat the change"
    );
    assert_eq!(std::fs::read(dir.path().join("vault.bin")).unwrap(), before);
    assert!(matches!(
        first.add_recovery_key(),
        Err(VaultError::ChangedElsewhere)
    ));
    assert!(matches!(
        store.open_with_pin(PIN, None),
        Err(VaultError::WrongPin { .. })
    ));
    let mut reopened = store.open_with_pin("8264", None).unwrap();
    assert_eq!(reopened.payload(), b"original");
    // A fresh handle saves normally, and so does the one that made the last change.
    reopened.save(b"fresh").unwrap();
    assert!(matches!(
        second.save(b"other"),
        Err(VaultError::ChangedElsewhere)
    ));
    let recovered = store.open_with_recovery_key(key.as_str()).unwrap();
    assert_eq!(recovered.payload(), b"fresh");
}

#[cfg(unix)]
mod unix {
    use std::os::unix::fs::{PermissionsExt, symlink};

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path)
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn links_planted_at_names_a_writer_might_use_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let vault_dir = dir.path().join("token");
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"victim").unwrap();
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
        let (mut vault, key) = create(&vault_dir, b"one");
        // The temporary names earlier versions used, and the previous generation's name.
        for name in ["vault.tmp", "vault.state.tmp", "vault.prev"] {
            let _ = std::fs::remove_file(vault_dir.join(name));
            symlink(&victim, vault_dir.join(name)).unwrap();
        }
        vault.save(b"two").unwrap();
        assert!(matches!(
            VaultStore::new(&vault_dir).open_with_pin(WRONG_PIN, None),
            Err(VaultError::WrongPin { .. })
        ));
        assert_eq!(std::fs::read(&victim).unwrap(), b"victim");
        assert_eq!(mode(&victim), 0o644);
        for name in ["vault.bin", "vault.prev", "vault.state"] {
            let path = vault_dir.join(name);
            assert!(
                std::fs::symlink_metadata(&path).unwrap().is_file(),
                "{name}"
            );
            assert_eq!(mode(&path), 0o600, "{name}");
        }
        let recovered = VaultStore::new(&vault_dir)
            .open_with_recovery_key(key.as_str())
            .unwrap();
        assert_eq!(recovered.payload(), b"two");

        // A link at the lock file's name is refused, not followed.
        std::fs::remove_file(vault_dir.join("vault.lock")).unwrap();
        symlink(dir.path().join("elsewhere"), vault_dir.join("vault.lock")).unwrap();
        let error = VaultStore::new(&vault_dir)
            .open_with_pin(PIN, None)
            .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("could not lock the vault folder"),
            "{error}"
        );
        assert!(!dir.path().join("elsewhere").exists());
    }

    #[test]
    fn a_world_readable_file_planted_at_a_vault_name_ends_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let (mut vault, _key) = create(dir.path(), b"one");
        for name in ["vault.bin", "vault.state"] {
            std::fs::set_permissions(
                dir.path().join(name),
                std::fs::Permissions::from_mode(0o666),
            )
            .unwrap();
        }
        // Earlier versions truncated and reused a file already at the temporary name.
        let planted = dir.path().join("vault.tmp");
        std::fs::write(&planted, b"").unwrap();
        std::fs::set_permissions(&planted, std::fs::Permissions::from_mode(0o666)).unwrap();
        vault.save(b"two").unwrap();
        drop(
            VaultStore::new(dir.path())
                .open_with_pin(PIN, None)
                .unwrap(),
        );
        for name in ["vault.bin", "vault.state"] {
            assert_eq!(mode(&dir.path().join(name)), 0o600, "{name}");
        }
        assert_eq!(std::fs::read(&planted).unwrap(), b"", "never written to");
    }

    #[test]
    fn the_token_folder_and_any_parent_it_makes_are_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let parent = dir.path().join("data");
        let home = parent.join("tessera");
        drop(create(&home, b"x"));
        assert_eq!(mode(&parent), 0o700);
        assert_eq!(mode(&home), 0o700);
    }
}
