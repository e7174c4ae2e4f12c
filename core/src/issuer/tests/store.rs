//! The store: its header, passphrase, sealed records, damage and crashes.

use super::*;
use crate::atomic_file::WriteStep;
use crate::issuer::store_files::{StoreFile, inject_fault};

fn open(dir: &Path, passphrase: &str) -> Result<Issuer, IssuerError> {
    Issuer::open_with(dir, passphrase, &options())
}

fn header_json(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("store.json")).unwrap()).unwrap()
}

fn write_header(dir: &Path, header: &serde_json::Value) {
    std::fs::write(dir.join("store.json"), serde_json::to_vec(header).unwrap()).unwrap();
}

fn record_path(issuer: &Issuer, serial: &SerialNumber) -> std::path::PathBuf {
    issuer
        .dir()
        .join(format!("identity-{}.json", serial.as_digits()))
}

fn copy_path(issuer: &Issuer, serial: &SerialNumber) -> std::path::PathBuf {
    issuer
        .dir()
        .join(format!("identity-{}.json.copy", serial.as_digits()))
}

#[test]
fn a_new_store_is_created_once_and_reopens_with_its_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("issuer");
    assert!(!Issuer::exists(&path).unwrap());
    let issuer = open(&path, PASSPHRASE).unwrap();
    assert!(Issuer::exists(&path).unwrap());
    let header = header_json(&path);
    assert_eq!(header["format"], "tessera-issuer-store");
    assert_eq!(header["version"], 1);
    assert_eq!(header["kdf"]["memory_kib"], 8192);
    let created = issuer.create(&NewIdentity::new("alice")).unwrap();
    drop(issuer);

    let header_before = std::fs::read(path.join("store.json")).unwrap();
    let reopened = open(&path, PASSPHRASE).unwrap();
    assert_eq!(
        std::fs::read(path.join("store.json")).unwrap(),
        header_before
    );
    assert_eq!(reopened.serials().unwrap(), vec![created.serial.clone()]);
    assert_eq!(
        reopened.info(&created.serial.to_string()).unwrap().name,
        "alice"
    );
    // Options given to an existing store do not change its header's parameters.
    let other = IssuerOptions {
        kdf: KdfParams::new(16 * 1024, 1, 1).unwrap(),
        ..options()
    };
    Issuer::open_with(&path, PASSPHRASE, &other).unwrap();
    assert_eq!(
        std::fs::read(path.join("store.json")).unwrap(),
        header_before
    );
}

#[test]
fn a_wrong_passphrase_is_named_and_changes_nothing() {
    let (_dir, issuer) = new_store();
    issuer.create(&NewIdentity::new("alice")).unwrap();
    let before = snapshot(issuer.dir());
    let error = open(issuer.dir(), "correct horse battery stapler").unwrap_err();
    assert_eq!(error.to_string(), "the issuer passphrase is wrong");
    assert_eq!(error.field(), Some(IssuerField::Passphrase));
    assert_eq!(
        open(issuer.dir(), "").unwrap_err().to_string(),
        "the issuer passphrase is empty"
    );
    assert_eq!(snapshot(issuer.dir()), before);
}

#[test]
fn a_new_store_needs_a_long_enough_passphrase_and_nothing_is_made_otherwise() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("issuer");
    let error = open(&path, "short pass").unwrap_err();
    assert_eq!(
        error.to_string(),
        "the issuer passphrase is too short: a new store needs at least 12 characters"
    );
    assert!(!path.exists());
    // An existing store opens with whatever it was made with; length is not checked again.
    open(&path, "twelve chars").unwrap();
}

#[test]
fn a_damaged_or_altered_header_is_refused_without_a_panic() {
    let (_dir, issuer) = new_store();
    let dir = issuer.dir().to_path_buf();
    let good = header_json(&dir);
    let cases: Vec<(serde_json::Value, &str)> = vec![
        (
            serde_json::json!({"format": "something else"}),
            "the issuer store's header (store.json) is damaged: it is not the expected JSON",
        ),
        (
            {
                let mut h = good.clone();
                h["format"] = "tessera-vault".into();
                h
            },
            "the issuer store's header (store.json) is damaged: it is not an issuer store header",
        ),
        (
            {
                let mut h = good.clone();
                h["version"] = 2.into();
                h
            },
            "the issuer store was written in format version 2, which this version of Tessera cannot read; update it",
        ),
        (
            {
                let mut h = good.clone();
                h["kdf"]["memory_kib"] = (4u32 << 20).into();
                h
            },
            "the issuer store's key-derivation memory (KiB) is 4194304, outside the accepted range 8192 to 262144",
        ),
        (
            {
                let mut h = good.clone();
                h["kdf"]["passes"] = 0.into();
                h
            },
            "the issuer store's key-derivation passes is 0, outside the accepted range 1 to 10",
        ),
        (
            {
                let mut h = good.clone();
                h["salt"] = "00".into();
                h
            },
            "the issuer store's header (store.json) is damaged: its salt is not 16 bytes of hex",
        ),
        (
            // Other parameters or another salt derive another key: indistinguishable from a
            // wrong passphrase, and refused the same way.
            {
                let mut h = good.clone();
                h["kdf"]["passes"] = 2.into();
                h
            },
            "the issuer passphrase is wrong",
        ),
        (
            {
                let mut h = good.clone();
                h["salt"] = "00112233445566778899aabbccddeeff".into();
                h
            },
            "the issuer passphrase is wrong",
        ),
    ];
    for (header, message) in cases {
        write_header(&dir, &header);
        assert_eq!(open(&dir, PASSPHRASE).unwrap_err().to_string(), message);
    }
    std::fs::write(dir.join("store.json"), b"\xff\x00 not json").unwrap();
    assert!(matches!(
        open(&dir, PASSPHRASE),
        Err(IssuerError::HeaderDamaged { .. })
    ));
    std::fs::write(dir.join("store.json"), vec![b' '; 10_000]).unwrap();
    assert_eq!(
        open(&dir, PASSPHRASE).unwrap_err().to_string(),
        "the issuer store's header (store.json) is damaged: it is far too large"
    );
}

#[test]
fn records_without_their_header_are_never_given_a_new_key() {
    let (_dir, issuer) = new_store();
    issuer.create(&NewIdentity::new("alice")).unwrap();
    let dir = issuer.dir().to_path_buf();
    drop(issuer);
    std::fs::remove_file(dir.join("store.json")).unwrap();
    let before = snapshot(&dir);
    let error = open(&dir, PASSPHRASE).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the issuer store has identity records but no store.json header; restore store.json from a backup (a new header could not open the records)"
    );
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn a_tampered_record_is_detected_and_named_and_others_still_work() {
    let (_dir, issuer) = new_store();
    let token = registered(&issuer, &NewIdentity::new("alice"));
    let other = registered(&issuer, &NewIdentity::new("bob"));
    let serial: SerialNumber = token.serial.parse().unwrap();
    let path = record_path(&issuer, &serial);
    let good = std::fs::read_to_string(&path).unwrap();
    let damaged_message = format!(
        "the record of the identity with serial number {} is damaged or was changed outside Tessera",
        token.serial
    );

    let envelope: serde_json::Value = serde_json::from_str(&good).unwrap();
    let sealed = envelope["sealed"].as_str().unwrap();
    let mut flipped = sealed.as_bytes().to_vec();
    flipped[10] = if flipped[10] == b'0' { b'1' } else { b'0' };
    let mut changed = envelope.clone();
    changed["sealed"] = String::from_utf8(flipped).unwrap().into();
    let other_serial: SerialNumber = other.serial.parse().unwrap();
    let other_file = std::fs::read_to_string(record_path(&issuer, &other_serial)).unwrap();
    let mut relabelled: serde_json::Value = serde_json::from_str(&other_file).unwrap();
    relabelled["serial"] = serial.as_digits().into();

    let variants: Vec<Vec<u8>> = vec![
        serde_json::to_vec(&changed).unwrap(),
        good.as_bytes()[..good.len() / 2].to_vec(),
        b"".to_vec(),
        b"\x00\x01garbage".to_vec(),
        other_file.clone().into_bytes(),
        serde_json::to_vec(&relabelled).unwrap(),
        vec![b'x'; 300 * 1024],
    ];
    let copy = copy_path(&issuer, &serial);
    for bytes in variants {
        // Both the record and its copy: one good file is enough to read the record.
        std::fs::write(&path, &bytes).unwrap();
        std::fs::write(&copy, &bytes).unwrap();
        let at = NOW;
        for result in [
            issuer
                .verify(&token.serial, &token.code_at(at), at)
                .map(|_| ()),
            issuer.info(&token.serial).map(|_| ()),
            issuer.unlock_code(&token.serial, "123456789").map(|_| ()),
            issuer
                .complete(&token.serial, &token.registration())
                .map(|_| ()),
        ] {
            let error = result.unwrap_err();
            assert_eq!(error.to_string(), damaged_message);
            assert_eq!(error.field(), None);
        }
        assert_eq!(std::fs::read(&path).unwrap(), bytes, "nothing rewritten");
        assert_eq!(std::fs::read(&copy).unwrap(), bytes, "nothing rewritten");
    }
    // The other identity is untouched.
    issuer
        .verify(&other.serial, &other.code_at(NOW), NOW)
        .unwrap();
    // Putting the good bytes back makes the record whole again.
    std::fs::write(&path, &good).unwrap();
    issuer
        .verify(&token.serial, &token.code_at(NOW), NOW)
        .unwrap();
}

#[test]
fn no_secret_is_on_disk_in_plain_text() {
    let (_dir, issuer) = new_store();
    let mut new = NewIdentity::new("alice");
    new.policy = Some(r#"{"allowUnsecured":"false"}"#.into());
    let created = issuer.create(&new).unwrap();
    let files = || {
        snapshot(issuer.dir())
            .into_values()
            .collect::<Vec<_>>()
            .concat()
    };
    let contains = |haystack: &[u8], needle: &str| {
        haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    };
    let pending = files();
    for secret in [
        created.activation_code.as_digits(),
        created.password.as_str(),
        PASSPHRASE,
        "allowUnsecured",
        "alice",
    ] {
        assert!(!contains(&pending, secret), "{secret} is on disk");
    }
    let token = Token::activate(&created, 6);
    issuer
        .complete(&token.serial, &token.registration())
        .unwrap();
    let registered = files();
    for secret in [
        created.activation_code.as_digits(),
        token.secret.to_hex().as_str(),
        token.registration.as_digits(),
    ] {
        assert!(!contains(&registered, secret), "{secret} is on disk");
    }
}

#[test]
fn the_activation_code_is_forgotten_once_registered() {
    let (_dir, issuer) = new_store();
    let created = issuer.create(&NewIdentity::new("alice")).unwrap();
    let records = issuer.records();
    let (pending, _) = records.read(&created.serial).unwrap();
    assert!(matches!(pending.state, record::RecordState::Pending { .. }));
    let token = Token::activate(&created, 6);
    issuer
        .complete(&token.serial, &token.registration())
        .unwrap();
    let (done, _) = records.read(&created.serial).unwrap();
    let json = serde_json::to_string(&done).unwrap();
    assert!(!json.contains(created.activation_code.as_digits()));
    assert!(done.registered().is_some());
}

#[test]
fn a_crash_at_any_step_of_a_write_leaves_the_old_or_the_new_record() {
    for file in [StoreFile::Copy, StoreFile::Record] {
        for step in WriteStep::ALL {
            let (_dir, issuer) = new_store();
            let token = registered(&issuer, &NewIdentity::new("alice"));
            let serial: SerialNumber = token.serial.parse().unwrap();
            inject_fault(Some((file, step)));
            let crashed = issuer.verify(&token.serial, &token.code_at(NOW), NOW);
            inject_fault(None);
            let info = issuer.info(&token.serial).unwrap();
            assert!(!info.read_from_copy);
            // The copy is written first, then the record.
            let copy_is_new = file == StoreFile::Record
                || matches!(
                    step,
                    WriteStep::RenameCurrentToPrevious | WriteStep::SyncFolder
                );
            match step {
                // No previous generation is kept, so this step never comes.
                WriteStep::RenameCurrentToPrevious => {
                    crashed.unwrap();
                    assert_eq!(info.last_step, Some(NOW / 30));
                }
                // The record's rename happened; only the folder flush was lost.
                WriteStep::SyncFolder if file == StoreFile::Record => {
                    assert!(crashed.is_err());
                    assert_eq!(info.last_step, Some(NOW / 30));
                }
                _ => {
                    let error = crashed.unwrap_err();
                    assert!(error.to_string().contains("simulated crash"), "{error}");
                    assert_eq!(info.last_step, None, "{file:?} {step:?}");
                }
            }
            // A leftover temporary file is not mistaken for a record.
            assert_eq!(issuer.serials().unwrap().len(), 1);

            // Without the record file, its copy is read: never older than what was reported
            // done, so the code is accepted again only if its acceptance never completed.
            std::fs::remove_file(record_path(&issuer, &serial)).unwrap();
            let from_copy = issuer.info(&token.serial).unwrap();
            assert!(from_copy.read_from_copy, "{file:?} {step:?}");
            let expected_step = copy_is_new.then_some(NOW / 30);
            assert_eq!(from_copy.last_step, expected_step, "{file:?} {step:?}");
            let retried = issuer.verify(&token.serial, &token.code_at(NOW), NOW);
            if copy_is_new {
                assert!(matches!(retried, Err(IssuerError::CodeAlreadyUsed)));
            } else {
                retried.unwrap();
                // The accepted retry rewrote the record from the copy.
                assert!(!issuer.info(&token.serial).unwrap().read_from_copy);
            }
            assert_eq!(issuer.serials().unwrap().len(), 1);
        }
    }
}

#[test]
fn a_missing_or_damaged_record_is_read_from_its_copy_without_replay() {
    let (_dir, issuer) = new_store();
    let token = registered(&issuer, &NewIdentity::new("alice"));
    let serial: SerialNumber = token.serial.parse().unwrap();
    let path = record_path(&issuer, &serial);
    issuer
        .verify(&token.serial, &token.code_at(NOW), NOW)
        .unwrap();
    for damage in [Some(b"{ not a record".to_vec()), Some(Vec::new()), None] {
        match &damage {
            Some(bytes) => std::fs::write(&path, bytes).unwrap(),
            None => std::fs::remove_file(&path).unwrap(),
        }
        let info = issuer.info(&token.serial).unwrap();
        assert!(info.read_from_copy, "{damage:?}");
        assert_eq!(info.last_step, Some(NOW / 30));
        assert_eq!(issuer.serials().unwrap(), vec![serial.clone()]);
        // The code accepted before the damage stays used.
        refused(&issuer, "code refused: already used", |i| {
            i.verify(&token.serial, &token.code_at(NOW), NOW)
        });
        // The unlock code comes from the same secret.
        issuer.unlock_code(&token.serial, "123456789").unwrap();
    }
    // The next accepted code rewrites the record.
    let later = NOW + 30;
    issuer
        .verify(&token.serial, &token.code_at(later), later)
        .unwrap();
    let info = issuer.info(&token.serial).unwrap();
    assert!(!info.read_from_copy);
    assert_eq!(info.last_step, Some(later / 30));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(copy_path(&issuer, &serial)).unwrap()
    );
}

#[cfg(unix)]
#[test]
fn links_planted_at_names_a_writer_might_use_are_not_followed() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let victim = dir.path().join("victim");
    std::fs::write(&victim, b"victim").unwrap();
    std::fs::create_dir(&store).unwrap();
    // Earlier versions wrote through fixed temporary names.
    symlink(&victim, store.join("store.json.tmp")).unwrap();
    let issuer = Issuer::open_with(&store, PASSPHRASE, &options()).unwrap();
    let token = registered(&issuer, &NewIdentity::new("alice"));
    let serial: SerialNumber = token.serial.parse().unwrap();
    let name = format!("identity-{}.json", serial.as_digits());
    for planted in [format!("{name}.tmp"), format!("{name}.copy")] {
        std::fs::remove_file(store.join(&planted)).ok();
        symlink(&victim, store.join(&planted)).unwrap();
    }
    issuer
        .verify(&token.serial, &token.code_at(NOW), NOW)
        .unwrap();
    assert_eq!(std::fs::read(&victim).unwrap(), b"victim");
    assert!(
        std::fs::symlink_metadata(copy_path(&issuer, &serial))
            .unwrap()
            .is_file()
    );
    assert_eq!(
        issuer.info(&token.serial).unwrap().last_step,
        Some(NOW / 30)
    );
}

#[test]
fn stale_temporary_files_are_removed_when_the_store_is_opened() {
    let (_dir, issuer) = new_store();
    let token = registered(&issuer, &NewIdentity::new("alice"));
    inject_fault(Some((StoreFile::Record, WriteStep::SyncTemp)));
    assert!(
        issuer
            .verify(&token.serial, &token.code_at(NOW), NOW)
            .is_err()
    );
    inject_fault(None);
    let temps = |dir: &Path| {
        snapshot(dir)
            .into_keys()
            .filter(|name| name.ends_with(".tmp"))
            .count()
    };
    assert_eq!(temps(issuer.dir()), 1, "the crash left its temporary file");
    let reopened = open(issuer.dir(), PASSPHRASE).unwrap();
    assert_eq!(temps(reopened.dir()), 0);
    reopened
        .verify(&token.serial, &token.code_at(NOW), NOW)
        .unwrap();
}

#[test]
fn debug_output_shows_no_secret() {
    let (_dir, issuer) = new_store();
    let created = issuer.create(&NewIdentity::new("alice")).unwrap();
    let shown = format!("{created:?} {issuer:?}");
    assert!(shown.contains(created.serial.as_digits()));
    for secret in [
        created.activation_code.as_digits(),
        created.password.as_str(),
        created.link.as_str(),
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
    let (record, _) = issuer.records().read(&created.serial).unwrap();
    let shown = format!("{record:?}");
    assert!(
        !shown.contains(created.activation_code.as_digits()),
        "{shown}"
    );
}

#[test]
fn the_issuer_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Issuer>();
    let (_dir, issuer) = new_store();
    std::thread::scope(|scope| {
        for i in 0..4 {
            let issuer = &issuer;
            scope.spawn(move || {
                issuer
                    .create(&NewIdentity::new(format!("person {i}")))
                    .unwrap();
            });
        }
    });
    assert_eq!(issuer.serials().unwrap().len(), 4);
}

mod hostile_files {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Any change to a real record file and its copy, or any bytes at all, is refused as
        /// damage or read back unchanged; nothing panics.
        #[test]
        fn a_changed_record_file_is_refused_never_a_panic(
            position in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            noise in prop::collection::vec(any::<u8>(), 0..512),
        ) {
            let (_dir, issuer) = new_store();
            let created = issuer.create(&NewIdentity::new("alice")).unwrap();
            let path = record_path(&issuer, &created.serial);
            let good = std::fs::read(&path).unwrap();
            let mut changed = good.clone();
            let at = position.index(changed.len());
            changed[at] = byte;
            // Into the copy as well: with a good copy the record would simply be read from it.
            let copy = copy_path(&issuer, &created.serial);
            for bytes in [changed, noise] {
                std::fs::write(&path, &bytes).unwrap();
                std::fs::write(&copy, &bytes).unwrap();
                match issuer.info(&created.serial.to_string()) {
                    Ok(info) => prop_assert_eq!(info.serial, created.serial.clone()),
                    Err(error) => prop_assert!(
                        matches!(error, IssuerError::RecordDamaged { .. }),
                        "{error}"
                    ),
                }
            }
        }

        /// Any bytes as the header are refused with a message, never a panic.
        #[test]
        fn any_header_bytes_are_refused_never_a_panic(
            noise in prop::collection::vec(any::<u8>(), 0..600),
        ) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("store.json"), &noise).unwrap();
            prop_assert!(open(dir.path(), PASSPHRASE).is_err());
        }
    }
}
