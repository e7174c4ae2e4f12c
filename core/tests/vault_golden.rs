//! Golden vault files: written once by each format version and committed, they must open
//! forever. If a change to the vault makes these tests fail, the change broke every existing
//! token. Version 1 files are also upgraded to version 2 by the first save.
//!
//! core/tests/golden/vault-v1.json and vault-v2.json record what each file was made from (PIN,
//! recovery key, identity secret, reset code, payload, device key). To regenerate the current
//! version's files (only when deliberately making a new format version, never to "fix" a
//! failure; the version-1 files can no longer be written):
//! `TESSERA_WRITE_GOLDEN=1 cargo test -p tessera-core --test vault_golden -- --ignored`
//!
//! `decoding_by_the_document_alone` reads a version-1 file following docs/vault-format.md with
//! the primitives only (sha2, argon2, chacha20poly1305), not the vault module; version 2 is read
//! the same way by `common::vault_doc`. `the_documented_python_decryptor_opens_every_golden_file`
//! runs the reference decryptor printed in docs/vault-format.md (the code block itself) with the
//! PIN, the recovery key and the unlock code: the document and the format cannot drift apart. It
//! needs `python3` with the `cryptography` package (44 or newer).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use common::vault_doc::{self, Secret};

use serde::{Deserialize, Serialize};
use tessera_core::SecretBytes;
use tessera_core::vault::{
    KdfParams, KeyProtector, OpenedFrom, SoftwareProtector, VaultError, VaultOptions, VaultStatus,
    VaultStore, derive_unlock_code,
};
use zeroize::Zeroizing;

#[derive(Debug, Serialize, Deserialize)]
struct Golden {
    file: String,
    pin: String,
    payload: String,
    recovery_key: String,
    identity_secret_hex: String,
    reset_code: String,
    /// Key of the SoftwareProtector that sealed the PIN slot, when it is device bound.
    device_key_hex: Option<String>,
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn manifest_of(version: u16) -> Vec<Golden> {
    let text =
        std::fs::read_to_string(golden_dir().join(format!("vault-v{version}.json"))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every golden file, of every version.
fn manifest() -> Vec<Golden> {
    let mut all = manifest_of(1);
    all.extend(manifest_of(2));
    all
}

fn hex(text: &str) -> Vec<u8> {
    data_encoding::HEXLOWER.decode(text.as_bytes()).unwrap()
}

fn protector(golden: &Golden) -> Option<Arc<dyn KeyProtector>> {
    golden.device_key_hex.as_ref().map(|key| {
        let key: [u8; 32] = hex(key).try_into().unwrap();
        Arc::new(SoftwareProtector::from_key(Zeroizing::new(key))) as Arc<dyn KeyProtector>
    })
}

/// A private copy of a golden file as the current generation of a fresh folder.
fn install(golden: &Golden) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        golden_dir().join(&golden.file),
        dir.path().join("vault.bin"),
    )
    .unwrap();
    dir
}

#[test]
#[ignore = "writes the golden files; run only when TESSERA_WRITE_GOLDEN=1"]
fn generate_golden_vaults() {
    if std::env::var("TESSERA_WRITE_GOLDEN").as_deref() != Ok("1") {
        return;
    }
    let payload = r#"{"format":"tessera golden vault v2","identities":[{"name":"Example","secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}]}"#;
    let identity_secret = b"12345678901234567890";
    let mut manifest = Vec::new();
    for (file, device_key) in [
        ("vault-v2.bin", None),
        ("vault-v2-device-key.bin", Some([0x42u8; 32])),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let protector = device_key.map(|key| {
            Arc::new(SoftwareProtector::from_key(Zeroizing::new(key))) as Arc<dyn KeyProtector>
        });
        let options = VaultOptions {
            kdf: KdfParams::MINIMUM,
            max_pin_attempts: 5,
        };
        let mut vault = VaultStore::new(dir.path())
            .create("4739", &options, protector, payload.as_bytes())
            .unwrap();
        let recovery_key = vault.add_recovery_key().unwrap();
        let reset_code = vault
            .set_unlock_slot(&SecretBytes::new(identity_secret.to_vec()))
            .unwrap();
        std::fs::copy(dir.path().join("vault.bin"), golden_dir().join(file)).unwrap();
        manifest.push(Golden {
            file: file.to_string(),
            pin: "4739".to_string(),
            payload: payload.to_string(),
            recovery_key: recovery_key.as_str().to_string(),
            identity_secret_hex: data_encoding::HEXLOWER.encode(identity_secret),
            reset_code,
            device_key_hex: device_key.map(|k| data_encoding::HEXLOWER.encode(&k)),
        });
    }
    let json = serde_json::to_string_pretty(&manifest).unwrap() + "\n";
    std::fs::write(golden_dir().join("vault-v2.json"), json).unwrap();
}

#[test]
fn golden_vaults_open_with_the_pin() {
    for golden in manifest() {
        let dir = install(&golden);
        let store = VaultStore::new(dir.path());
        // No lockout record was committed: read as one try left, and the right PIN resets it.
        assert_eq!(
            store.status().unwrap(),
            VaultStatus::Ready { attempts_left: 1 },
            "{}",
            golden.file
        );
        let vault = store
            .open_with_pin(&golden.pin, protector(&golden))
            .unwrap();
        assert_eq!(
            vault.payload(),
            golden.payload.as_bytes(),
            "{}",
            golden.file
        );
        assert_eq!(vault.opened_from(), OpenedFrom::Current);
        assert_eq!(vault.reset_code(), Some(golden.reset_code.as_str()));
        assert!(vault.has_recovery_key());
        assert_eq!(vault.is_device_bound(), golden.device_key_hex.is_some());
        assert_eq!(vault.max_pin_attempts(), 5);
        drop(vault);
        assert_eq!(
            store.status().unwrap(),
            VaultStatus::Ready { attempts_left: 5 }
        );
        let err = store.open_with_pin("0852", protector(&golden)).unwrap_err();
        assert!(
            matches!(err, VaultError::WrongPin { attempts_left: 4 }),
            "{}: {err:?}",
            golden.file
        );
    }
}

#[test]
fn golden_vaults_open_with_the_recovery_key_and_the_unlock_code() {
    for golden in manifest() {
        let dir = install(&golden);
        let store = VaultStore::new(dir.path());
        let recovered = store.open_with_recovery_key(&golden.recovery_key).unwrap();
        assert_eq!(
            recovered.payload(),
            golden.payload.as_bytes(),
            "{}",
            golden.file
        );
        drop(recovered);
        let secret = SecretBytes::new(hex(&golden.identity_secret_hex));
        let unlock_code = derive_unlock_code(&secret, &golden.reset_code).unwrap();
        let recovered = store
            .open_with_unlock_code(&unlock_code, protector(&golden))
            .unwrap();
        assert_eq!(
            recovered.payload(),
            golden.payload.as_bytes(),
            "{}",
            golden.file
        );
        // And it can still be carried forward into a current-format file.
        let mut vault = recovered.set_pin("8264", None).unwrap();
        vault.save(b"moved on").unwrap();
        drop(vault);
        assert_eq!(
            store.open_with_pin("8264", None).unwrap().payload(),
            b"moved on"
        );
    }
}

#[test]
fn the_device_bound_golden_vault_needs_its_device_key() {
    let golden = manifest()
        .into_iter()
        .find(|g| g.device_key_hex.is_some())
        .unwrap();
    let dir = install(&golden);
    let other: Arc<dyn KeyProtector> = Arc::new(SoftwareProtector::new().unwrap());
    let err = VaultStore::new(dir.path())
        .open_with_pin(&golden.pin, Some(other))
        .unwrap_err();
    assert!(matches!(err, VaultError::KeyUnavailable { .. }), "{err:?}");
}

// ---- an independent decoder, written from docs/vault-format.md -------------------------------

fn le32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
}

fn xchacha_open(key: &[u8], nonce: &[u8], aad: &[u8], sealed: &[u8]) -> Vec<u8> {
    use chacha20poly1305::aead::{Aead, Payload};
    use chacha20poly1305::{KeyInit, XChaCha20Poly1305, XNonce};
    let cipher = XChaCha20Poly1305::new_from_slice(key).unwrap();
    let nonce = XNonce::try_from(nonce).unwrap();
    cipher
        .decrypt(&nonce, Payload { msg: sealed, aad })
        .unwrap()
}

#[test]
fn decoding_by_the_document_alone() {
    use sha2::{Digest, Sha256};
    let golden = manifest_of(1)
        .into_iter()
        .find(|g| g.device_key_hex.is_none())
        .unwrap();
    let file = std::fs::read(golden_dir().join(&golden.file)).unwrap();

    // Trailer: SHA-256 of everything before it.
    let (content, checksum) = file.split_at(file.len() - 32);
    assert_eq!(Sha256::digest(content).as_slice(), checksum);
    // Fixed header fields.
    assert_eq!(&content[0..8], b"TSRVAULT");
    assert_eq!(u16::from_le_bytes([content[8], content[9]]), 1);
    let header_len = le32(content, 10) as usize;
    assert_eq!(content[14], 5); // max_pin_attempts
    let payload_nonce = &content[15..39];
    assert_eq!(content[39], 3); // slot count: PIN, recovery, unlock

    // PIN slot at 40: kind 1, flags 0, kdf 1 (Argon2id), memory, passes, lanes, salt, nonce,
    // wrapped_len, wrapped.
    let slot = &content[40..];
    assert_eq!(&slot[..3], &[1, 0, 1]);
    let (memory, passes, lanes) = (le32(slot, 3), le32(slot, 7), le32(slot, 11));
    let salt = &slot[15..31];
    let nonce = &slot[31..55];
    let wrapped_len = u16::from_le_bytes([slot[55], slot[56]]) as usize;
    assert_eq!(wrapped_len, 48);
    let wrapped = &slot[57..57 + wrapped_len];
    let descriptor = &slot[..31];

    // KEK = Argon2id v1.3 (PIN as UTF-8, salt, m, t, p, 32 bytes).
    let params = argon2::Params::new(memory, passes, lanes, Some(32)).unwrap();
    let mut kek = [0u8; 32];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(golden.pin.as_bytes(), salt, &mut kek)
        .unwrap();
    // Data key = XChaCha20-Poly1305-open(KEK, slot nonce, wrapped, AAD = label || descriptor).
    let mut slot_aad = b"tessera vault slot v1".to_vec();
    slot_aad.extend_from_slice(descriptor);
    let data_key = xchacha_open(&kek, nonce, &slot_aad, wrapped);
    assert_eq!(data_key.len(), 32);

    // Payload = XChaCha20-Poly1305-open(data key, payload nonce, bytes header_len.. end-32,
    // AAD = header bytes 0..header_len).
    let payload = xchacha_open(
        &data_key,
        payload_nonce,
        &content[..header_len],
        &content[header_len..],
    );
    assert_eq!(payload, golden.payload.as_bytes());

    // The recovery slot follows the PIN slot: HKDF-SHA256 instead of Argon2id.
    let recovery = &slot[57 + wrapped_len..];
    assert_eq!(&recovery[..3], &[2, 0, 2]);
    let (r_salt, r_nonce) = (&recovery[3..19], &recovery[19..43]);
    assert_eq!(u16::from_le_bytes([recovery[43], recovery[44]]), 48);
    let r_wrapped = &recovery[45..93];
    let key_text: String = golden.recovery_key.chars().filter(|c| *c != '-').collect();
    let key_bytes = data_encoding::BASE32_NOPAD
        .decode(key_text.as_bytes())
        .unwrap();
    let mut r_kek = [0u8; 32];
    hkdf::Hkdf::<Sha256>::new(Some(r_salt), &key_bytes)
        .expand(b"tessera vault recovery slot v1", &mut r_kek)
        .unwrap();
    let mut r_aad = b"tessera vault slot v1".to_vec();
    r_aad.extend_from_slice(&recovery[..19]);
    assert_eq!(xchacha_open(&r_kek, r_nonce, &r_aad, r_wrapped), data_key);

    // The unlock slot ends the header; its reset code is plain ASCII after its salt.
    let unlock = &recovery[93..];
    assert_eq!(&unlock[..3], &[3, 0, 1]);
    assert_eq!(&unlock[31..40], golden.reset_code.as_bytes());
    assert_eq!(40 + (57 + wrapped_len) + 93 + 40 + 24 + 2 + 48, header_len);
}

#[test]
fn decoding_version_2_by_the_document_alone() {
    for golden in manifest_of(2) {
        let bytes = std::fs::read(golden_dir().join(&golden.file)).unwrap();
        let file = vault_doc::parse(&bytes).unwrap();
        assert_eq!(file.version, 2);
        assert_eq!(file.max_pin_attempts, 5);
        let flags: Vec<u8> = file.slots.iter().map(|slot| slot.flags).collect();
        let device = if golden.device_key_hex.is_some() {
            1
        } else {
            0
        };
        // Every slot an X25519 recipient; PIN and unlock sealed by the device key if any.
        assert_eq!(flags, [2 | device, 2, 2 | device], "{}", golden.file);
        let secret = SecretBytes::new(hex(&golden.identity_secret_hex));
        let unlock_code = derive_unlock_code(&secret, &golden.reset_code).unwrap();
        let payload = Some(golden.payload.as_bytes().to_vec());
        let recovery = vault_doc::open_with(&bytes, Secret::Recovery(&golden.recovery_key));
        assert_eq!(recovery, payload, "{}", golden.file);
        let (pin, unlock) = (
            vault_doc::open_with(&bytes, Secret::Pin(&golden.pin)),
            vault_doc::open_with(&bytes, Secret::Unlock(&unlock_code)),
        );
        if golden.device_key_hex.is_some() {
            assert_eq!((pin, unlock), (None, None), "off the device");
        } else {
            assert_eq!((pin, unlock), (payload.clone(), payload), "{}", golden.file);
        }
    }
}

/// The reference decryptor of docs/vault-format.md, run as printed there.
fn decrypt_with_python(file: &Path, method: &str, secret: &str) -> Result<Vec<u8>, String> {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/vault-format.md"),
    )
    .unwrap();
    let start = doc
        .find("```python\n")
        .expect("docs/vault-format.md has a python block")
        + "```python\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("decrypt_vault.py");
    std::fs::write(&script, &doc[start..end]).unwrap();
    let output = Command::new("python3")
        .arg(&script)
        .arg(file)
        .arg(method)
        .arg(secret)
        .output()
        .expect(
            "python3 runs (the reference decryptor needs python3 and its cryptography package)",
        );
    if output.status.success() {
        Ok(output.stdout)
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
fn the_documented_python_decryptor_opens_every_golden_file() {
    for golden in manifest() {
        let path = golden_dir().join(&golden.file);
        let secret = SecretBytes::new(hex(&golden.identity_secret_hex));
        let unlock_code = derive_unlock_code(&secret, &golden.reset_code).unwrap();
        let expected = format!("{}\n", golden.payload).into_bytes();
        let by_recovery = decrypt_with_python(&path, "recovery", &golden.recovery_key);
        assert_eq!(by_recovery.as_ref(), Ok(&expected), "{}", golden.file);
        let device_bound = golden.device_key_hex.is_some();
        let by_pin = decrypt_with_python(&path, "pin", &golden.pin);
        assert_eq!(by_pin.is_ok(), !device_bound, "{}: {by_pin:?}", golden.file);
        // Version 1 never sealed the unlock slot by the device key; version 2 does.
        let unlock_device_bound = device_bound && golden.file.starts_with("vault-v2");
        let by_unlock = decrypt_with_python(&path, "unlock", &unlock_code);
        assert_eq!(by_unlock.is_ok(), !unlock_device_bound, "{}", golden.file);
        for result in [by_pin, by_unlock].into_iter().flatten() {
            assert_eq!(result, expected, "{}", golden.file);
        }
        // And a wrong secret is refused.
        assert!(
            decrypt_with_python(&path, "recovery", "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA-AAAA")
                .is_err()
        );
    }
}

#[test]
fn a_version_1_vault_is_upgraded_by_its_first_save() {
    for golden in manifest_of(1) {
        let dir = install(&golden);
        let store = VaultStore::new(dir.path());
        let original = std::fs::read(dir.path().join("vault.bin")).unwrap();
        let mut vault = store
            .open_with_pin(&golden.pin, protector(&golden))
            .unwrap();
        vault.save(b"moved on").unwrap();
        drop(vault);

        // Version 2 now, the PIN slot converted; the recovery and unlock slots, whose secrets
        // were not used, carried in the version-1 form; the version-1 file kept as previous.
        let bytes = std::fs::read(dir.path().join("vault.bin")).unwrap();
        let file = vault_doc::parse(&bytes).unwrap();
        assert_eq!(file.version, 2, "{}", golden.file);
        let device = u8::from(golden.device_key_hex.is_some());
        let flags: Vec<u8> = file.slots.iter().map(|slot| slot.flags).collect();
        assert_eq!(flags, [2 | device, 0, 0], "{}", golden.file);
        assert_eq!(
            std::fs::read(dir.path().join("vault.prev")).unwrap(),
            original
        );
        let secret = SecretBytes::new(hex(&golden.identity_secret_hex));
        let unlock_code = derive_unlock_code(&secret, &golden.reset_code).unwrap();
        assert_eq!(
            store
                .open_with_pin(&golden.pin, protector(&golden))
                .unwrap()
                .payload(),
            b"moved on"
        );
        assert_eq!(
            store
                .open_with_unlock_code(&unlock_code, None)
                .unwrap()
                .payload(),
            b"moved on"
        );
        assert!(
            store
                .open_with_pin(&golden.pin, protector(&golden))
                .unwrap()
                .unlock_slot_needs_renewal()
        );

        // Opened with the recovery key, the recovery slot is converted by the new PIN's save
        // (a rotation, which drops the version-1 unlock slot: the session makes it again).
        let recovered = store.open_with_recovery_key(&golden.recovery_key).unwrap();
        let vault = recovered.set_pin("8264", protector(&golden)).unwrap();
        assert!(vault.has_recovery_key());
        assert!(!vault.recovery_key_dropped());
        assert_eq!(vault.reset_code(), None);
        drop(vault);
        for name in ["vault.bin", "vault.prev"] {
            let file = vault_doc::parse(&std::fs::read(dir.path().join(name)).unwrap()).unwrap();
            let flags: Vec<u8> = file.slots.iter().map(|slot| slot.flags).collect();
            assert_eq!(flags, [2 | device, 2], "{}: {name}", golden.file);
        }
        assert_eq!(
            store
                .open_with_recovery_key(&golden.recovery_key)
                .unwrap()
                .payload(),
            b"moved on"
        );
    }
}

#[test]
fn a_rotation_drops_a_version_1_recovery_slot_and_says_so() {
    let golden = manifest_of(1)
        .into_iter()
        .find(|g| g.device_key_hex.is_none())
        .unwrap();
    let dir = install(&golden);
    let store = VaultStore::new(dir.path());
    let mut vault = store.open_with_pin(&golden.pin, None).unwrap();
    assert!(vault.has_recovery_key());
    vault.change_pin("8264").unwrap();
    // The old recovery key cannot be sealed to the new data key: it is gone, and said to be.
    assert!(!vault.has_recovery_key());
    assert!(vault.recovery_key_dropped());
    let key = vault.add_recovery_key().unwrap();
    assert!(!vault.recovery_key_dropped());
    drop(vault);
    assert!(matches!(
        store.open_with_recovery_key(&golden.recovery_key),
        Err(VaultError::WrongRecoveryKey)
    ));
    assert_eq!(
        store
            .open_with_recovery_key(key.as_str())
            .unwrap()
            .payload(),
        golden.payload.as_bytes()
    );
    // And neither file left opens with the old PIN or the old recovery key.
    for name in ["vault.bin", "vault.prev"] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        assert_eq!(vault_doc::open_with(&bytes, Secret::Pin(&golden.pin)), None);
        assert_eq!(
            vault_doc::open_with(&bytes, Secret::Recovery(&golden.recovery_key)),
            None
        );
    }
}
