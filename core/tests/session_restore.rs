//! Restoring onto a new token: a backup of one token becomes a new token in an empty folder
//! with its own PIN, the same codes at fixed times (checked against the issuer's own
//! derivation), a recovery key that opens it and an unlock slot bound to the restored
//! IdentityGuard identity. Every refusal leaves the folder empty.

mod common;

use common::*;
use tessera_core::backup::{BackupKey, open_backup};
use tessera_core::session::{SessionError, TokenStatus};
use tessera_core::transfer::{ImportReport, SkippedEntry, parse_import};
use tessera_core::vault::{KdfParams, PinRuleError, VaultError};

const PASSWORD: &str = "four random words: maple orbit velvet";
const TOTP_LINK: &str = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example";

/// A token with the spec's IdentityGuard identity and a TOTP link, its backup, and the
/// registration code the IdentityGuard identity was registered with.
fn backed_up_token() -> (tempfile::TempDir, Vec<u8>, String) {
    let dir = folder();
    let source = session(dir.path());
    let (_, registration) = new_token_with_ig(&source, &IgIssuer::spec(), None);
    add_link(&source, TOTP_LINK);
    let key = BackupKey::for_new_backup(PASSWORD, PASSWORD, KdfParams::MINIMUM).unwrap();
    let file = key.seal(&source.backup_contents(PIN).unwrap()).unwrap();
    (dir, file, registration)
}

fn report_of(file: &[u8]) -> ImportReport {
    open_backup(file, PASSWORD).unwrap().into_import_report()
}

#[test]
fn a_backup_restores_into_an_empty_folder() {
    let (source_dir, file, registration) = backed_up_token();
    let source = session(source_dir.path());
    source.unlock(PIN).unwrap();
    let target_dir = folder();
    let target = session(target_dir.path());

    let (outcome, recovery_key) = target
        .create_from_import(NEW_PIN, NEW_PIN, report_of(&file))
        .unwrap();
    let names: Vec<&str> = outcome.added.iter().map(|i| i.name.as_str()).collect();
    let source_names: Vec<String> = source
        .identities()
        .unwrap()
        .into_iter()
        .map(|i| i.name)
        .collect();
    assert_eq!(names, source_names);
    assert!(outcome.skipped.is_empty(), "{:?}", outcome.skipped);

    // Same codes at fixed times; the IdentityGuard ones as the issuer computes them.
    let issuer = IgIssuer::spec();
    for original in source.identities().unwrap() {
        let restored = target.find(&original.name).unwrap();
        for t in [59, T, T + 30, T + 86_400] {
            let code = target.code_at(&restored.id, t).unwrap().code;
            assert_eq!(
                code,
                source.code_at(&original.id, t).unwrap().code,
                "{}",
                original.name
            );
            if restored.serial.is_some() {
                assert_eq!(code, issuer.code(&registration, false, t));
            }
        }
    }

    // The new PIN opens it; the recovery key shown once opens it after a lost PIN.
    target.lock();
    target.unlock(NEW_PIN).unwrap();
    target.lock();
    target
        .unlock_with_recovery_key(recovery_key.as_str(), PIN)
        .unwrap();
    target.lock();
    target.unlock(PIN).unwrap();

    // Locked out, the restored IdentityGuard identity backs the PIN reset.
    wrong_pins(&target, 5);
    let TokenStatus::LockedOut {
        reset_code: Some(reset_code),
        ..
    } = target.status().unwrap()
    else {
        panic!("expected a reset code");
    };
    let unlock_code = issuer.unlock_code(&registration, false, &reset_code);
    target.unlock_with_code(&unlock_code, NEW_PIN).unwrap();
    assert_eq!(target.identities().unwrap().len(), 2);
}

#[test]
fn repeated_and_skipped_entries_are_reported() {
    let list = format!("{TOTP_LINK}\nnot a link\n{TOTP_LINK}\n");
    let report = parse_import(list.as_bytes(), None, None).unwrap();
    let from_reader = report.skipped.clone();
    assert_eq!(from_reader.len(), 1);
    let dir = folder();
    let target = session(dir.path());
    let (outcome, _) = target.create_from_import(PIN, PIN, report).unwrap();
    assert_eq!(outcome.added.len(), 1);
    let mut expected = from_reader;
    expected.push(SkippedEntry {
        name: "\"Example: alice\"".into(),
        reason: "it repeats \"alice\", earlier in this file".into(),
    });
    assert_eq!(outcome.skipped, expected);
}

#[test]
fn refusals_write_nothing() {
    let (_source_dir, file, _) = backed_up_token();
    let dir = folder();
    let target = session(dir.path());

    let error = target
        .create_from_import("12", "12", report_of(&file))
        .unwrap_err();
    assert!(
        matches!(
            error,
            SessionError::Vault(VaultError::PinRule(PinRuleError::TooShort { .. }))
        ),
        "{error:?}"
    );
    let error = target
        .create_from_import(PIN, NEW_PIN, report_of(&file))
        .unwrap_err();
    assert!(matches!(error, SessionError::PinMismatch), "{error:?}");
    let error = target
        .create_from_import(PIN, PIN, ImportReport::default())
        .unwrap_err();
    assert!(
        matches!(&error, SessionError::NothingToRestore { skipped } if skipped.is_empty()),
        "{error:?}"
    );
    let only_skipped = parse_import(b"otpauth://totp/x?secret=\n", None, None).unwrap();
    assert_eq!(only_skipped.entries.len(), 0);
    let error = target
        .create_from_import(PIN, PIN, only_skipped)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "the import file holds no identity Tessera can add, so there is nothing to create a token with: \
         1 entry was skipped: line 1 (\"x\"): the secret is empty"
    );
    assert!(
        files_in(dir.path()).is_empty(),
        "{:?}",
        files_in(dir.path())
    );
    assert_eq!(target.status().unwrap(), TokenStatus::NoToken);

    // A token already here is never replaced, and keeps its identities.
    new_token_with_link(&target, TOTP_LINK);
    let before = files_in(dir.path());
    let error = target
        .create_from_import(NEW_PIN, NEW_PIN, report_of(&file))
        .unwrap_err();
    assert!(matches!(error, SessionError::TokenExists), "{error:?}");
    assert_eq!(files_in(dir.path()), before);
    assert_eq!(target.identities().unwrap().len(), 1);
    target.lock();
    target.unlock(PIN).unwrap();
}
