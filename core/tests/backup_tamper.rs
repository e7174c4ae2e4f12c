//! Damaged, altered and hostile backups: each is refused with its own error before anything is
//! added, and the token it was imported into keeps its vault byte for byte.
//!
//! Expected errors come from the layout in docs/backup-format.md, written out here: which field
//! each byte belongs to and what the decoding rules say about a changed value.

mod common;

use common::*;
use sha2::{Digest, Sha256};
use tessera_core::backup::{BackupError, BackupKey, looks_like_backup, open_backup};
use tessera_core::crypto::KdfParams;
use tessera_core::session::Session;
use tessera_core::transfer::{ImportError, ImportFormat, Password, parse_import};

const PASSWORD: &str = "correct horse battery staple";

/// A token with two identities, unlocked, and its backup (KDF floor, so tests stay fast).
fn token_and_backup() -> (tempfile::TempDir, std::sync::Arc<Session>, Vec<u8>) {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, HOTP_LINK);
    add_link(&session, STEAM_LINK);
    let key = BackupKey::for_new_backup(PASSWORD, PASSWORD, KdfParams::MINIMUM).unwrap();
    let file = key.seal(&session.backup_contents(PIN).unwrap()).unwrap();
    (dir, session, file)
}

/// A fresh token to import into, with one identity of its own, unlocked.
fn target() -> (tempfile::TempDir, std::sync::Arc<Session>) {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, "otpauth://totp/own?secret=JBSWY3DPEHPK3PXP");
    (dir, session)
}

/// Imports a backup file the way `tessera import` does: through `parse_import`, which
/// recognises a backup by its magic. Files without the whole magic are not recognised as
/// backups there, so they go straight to the backup reader.
fn import_backup(session: &Session, file: &[u8], password: &str) -> Result<usize, BackupError> {
    let report = if looks_like_backup(file) {
        match parse_import(file, None, Some(&Password::new(password.to_string()))) {
            Ok(report) => report,
            Err(ImportError::Backup(error)) => return Err(error),
            Err(other) => panic!("not a backup error: {other:?}"),
        }
    } else {
        open_backup(file, password)?.into_import_report()
    };
    Ok(session.import(report).unwrap().added.len())
}

fn vault_bytes(dir: &tempfile::TempDir) -> Vec<u8> {
    std::fs::read(dir.path().join("vault.bin")).unwrap()
}

/// Imports `file` into `target` and returns the error, checking that the vault did not change.
fn refused(
    target: &(tempfile::TempDir, std::sync::Arc<Session>),
    file: &[u8],
    password: &str,
) -> BackupError {
    let before = vault_bytes(&target.0);
    let error = import_backup(&target.1, file, password).expect_err("the backup is refused");
    assert_eq!(
        vault_bytes(&target.0),
        before,
        "the vault changed after {error:?}"
    );
    assert_eq!(target.1.identities().unwrap().len(), 1);
    error
}

/// The same file with its checksum recomputed, as someone altering it on purpose would.
fn rechecksummed(mut file: Vec<u8>) -> Vec<u8> {
    let end = file.len() - 32;
    let digest = Sha256::digest(&file[..end]);
    file[end..].copy_from_slice(&digest);
    file
}

fn le32(file: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(file[at..at + 4].try_into().unwrap())
}

#[test]
fn the_right_password_imports_and_a_wrong_one_is_named() {
    let (_source_dir, _source, file) = token_and_backup();
    let target = target();
    let error = refused(&target, &file, "correct horse battery stapler");
    assert_eq!(error, BackupError::WrongPassword);
    assert_eq!(
        error.to_string(),
        "the password does not open this backup (or the backup was deliberately altered)"
    );
    assert_eq!(import_backup(&target.1, &file, PASSWORD).unwrap(), 2);
}

#[test]
fn an_import_without_the_password_asks_for_it() {
    let (_source_dir, _source, file) = token_and_backup();
    assert_eq!(
        parse_import(&file, None, None),
        Err(ImportError::PasswordNeeded {
            format: "a Tessera backup"
        })
    );
    let report = parse_import(&file, None, Some(&Password::new(PASSWORD.to_string()))).unwrap();
    assert_eq!(report.format, Some(ImportFormat::TesseraBackup));
    assert_eq!(report.entries.len(), 2);
    assert!(report.skipped.is_empty() && report.warnings.is_empty());
}

#[test]
fn every_truncation_is_reported_as_truncation() {
    let (_source_dir, _source, file) = token_and_backup();
    let target = target();
    assert_eq!(refused(&target, &[], PASSWORD), BackupError::Empty);
    for length in 1..file.len() {
        match refused(&target, &file[..length], PASSWORD) {
            BackupError::Truncated { found, expected } => {
                assert_eq!(found, length);
                let whole = if length < 67 {
                    67 + 16 + 32
                } else {
                    file.len()
                };
                assert_eq!(expected, whole, "length {length}");
            }
            other => panic!("length {length}: {other:?}"),
        }
    }
    let message = refused(&target, &file[..100], PASSWORD).to_string();
    assert_eq!(
        message,
        format!(
            "the backup is truncated: it has 100 bytes where {} are needed (was it copied completely?)",
            file.len()
        )
    );
    let mut longer = file.clone();
    longer.extend_from_slice(b"\n");
    assert_eq!(
        refused(&target, &longer, PASSWORD),
        BackupError::TrailingBytes { extra: 1 }
    );
}

/// What the decoding rules say about `file` with one changed byte at `at` (checksum not
/// recomputed), field by field.
fn expected_error(original: &[u8], changed: &[u8], at: usize) -> BackupError {
    let in_range = |value: u32, min: u32, max: u32| (min..=max).contains(&value);
    match at {
        0..8 => BackupError::NotABackup,
        8..10 => BackupError::UnsupportedVersion {
            found: u16::from_le_bytes([changed[8], changed[9]]),
            supported: 1,
        },
        10 => BackupError::UnknownKdf { found: changed[10] },
        11..23 => {
            let (which, start, min, max) = match at {
                11..15 => ("memory (KiB)", 11, 8192, 262_144),
                15..19 => ("passes", 15, 1, 10),
                _ => ("lanes", 19, 1, 4),
            };
            let value = le32(changed, start);
            if in_range(value, min, max) {
                BackupError::Damaged
            } else {
                BackupError::KdfOutOfRange {
                    which,
                    value,
                    min,
                    max,
                }
            }
        }
        63..67 => {
            let announced = le32(changed, 63);
            let max = 16 * 1024 * 1024 - 99;
            let total = 67 + announced as usize + 32;
            if !in_range(announced, 16, max) {
                BackupError::PayloadLength {
                    found: announced,
                    min: 16,
                    max,
                }
            } else if total > original.len() {
                BackupError::Truncated {
                    found: original.len(),
                    expected: total,
                }
            } else {
                BackupError::TrailingBytes {
                    extra: original.len() - total,
                }
            }
        }
        // Salt, nonce, ciphertext, tag and the checksum itself.
        _ => BackupError::Damaged,
    }
}

#[test]
fn a_flipped_bit_anywhere_gets_the_error_of_its_field() {
    let (_source_dir, _source, file) = token_and_backup();
    let target = target();
    for at in 0..file.len() {
        for mask in [0x01u8, 0x80] {
            let mut changed = file.clone();
            changed[at] ^= mask;
            let expected = expected_error(&file, &changed, at);
            assert_eq!(
                refused(&target, &changed, PASSWORD),
                expected,
                "byte {at} ^ {mask:#04x}"
            );
        }
    }
}

/// With the checksum recomputed, every header field and the ciphertext are still bound to the
/// tag: the file is refused as not opening with the password.
#[test]
fn deliberate_changes_with_a_recomputed_checksum_fail_the_tag() {
    let (_source_dir, _source, file) = token_and_backup();
    let target = target();
    // memory (in range), passes, lanes, salt, nonce, ciphertext start, tag end.
    for (at, mask) in [
        (11, 0x01u8),
        (15, 0x02),
        (19, 0x02),
        (23, 0x01),
        (62, 0x80),
        (67, 0x01),
        (file.len() - 33, 0x01),
    ] {
        let mut changed = file.clone();
        changed[at] ^= mask;
        assert_eq!(
            refused(&target, &rechecksummed(changed), PASSWORD),
            BackupError::WrongPassword,
            "byte {at}"
        );
    }
}

#[test]
fn oversized_key_derivation_is_refused_before_any_work() {
    let (_source_dir, _source, file) = token_and_backup();
    let target = target();
    for (at, value, which, min, max) in [
        (11, 262_145u32, "memory (KiB)", 8192, 262_144),
        (11, u32::MAX, "memory (KiB)", 8192, 262_144),
        (11, 8191, "memory (KiB)", 8192, 262_144),
        (15, 11, "passes", 1, 10),
        (15, 0, "passes", 1, 10),
        (19, 5, "lanes", 1, 4),
    ] {
        let mut changed = file.clone();
        changed[at..at + 4].copy_from_slice(&value.to_le_bytes());
        let error = refused(&target, &rechecksummed(changed), PASSWORD);
        assert_eq!(
            error,
            BackupError::KdfOutOfRange {
                which,
                value,
                min,
                max
            }
        );
    }
    let mut huge = file.clone();
    huge[11..15].copy_from_slice(&4_194_304u32.to_le_bytes());
    assert_eq!(
        refused(&target, &rechecksummed(huge), PASSWORD).to_string(),
        "the backup's key-derivation memory (KiB) is 4194304, outside the accepted range 8192 to 262144"
    );
}

#[test]
fn unknown_versions_say_who_wrote_them() {
    let (_source_dir, _source, file) = token_and_backup();
    let target = target();
    let mut newer = file.clone();
    newer[8] = 2;
    assert_eq!(
        refused(&target, &rechecksummed(newer), PASSWORD).to_string(),
        "the backup's format version is 2; this version of Tessera reads version 1 (it was written by a newer Tessera: update to open it)"
    );
    let mut zero = file.clone();
    zero[8] = 0;
    assert_eq!(
        refused(&target, &zero, PASSWORD).to_string(),
        "the backup's format version is 0; this version of Tessera reads version 1 (the header is damaged)"
    );
    assert_eq!(
        refused(&target, b"{\"db\": {}}", PASSWORD).to_string(),
        "the file is not a Tessera backup (it does not start with \"TSRBACKP\")"
    );
}

proptest::proptest! {
    /// Whatever the bytes, reading never panics, and nothing but a sealed file opens.
    #[test]
    fn arbitrary_bytes_never_open(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
        proptest::prop_assert!(open_backup(&bytes, PASSWORD).is_err());
        let mut prefixed = b"TSRBACKP\x01\x00\x01".to_vec();
        prefixed.extend_from_slice(&bytes);
        proptest::prop_assert!(open_backup(&prefixed, PASSWORD).is_err());
    }
}
