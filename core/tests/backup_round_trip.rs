//! A token with every kind of identity, backed up, verified and restored into another token:
//! the restored token gives the same codes at fixed times, the same OCRA responses, the same
//! IdentityGuard serial and registration data (both policy variants), and keeps HOTP and OCRA
//! counters where they were. A second import finds everything already there.

mod common;

use std::sync::Arc;

use common::*;
use tessera_core::SecretBytes;
use tessera_core::backup::{BackupKey, SealedBackup, open_backup};
use tessera_core::crypto::KdfParams;
use tessera_core::flow::{ActivationInput, AddIdentityFlow};
use tessera_core::identity::{IdentityKind, IdentitySummary, OcraChallenge};
use tessera_core::session::{Session, TokenStatus};
use tessera_core::transfer::{ImportReport, ImportedEntry};

const PASSWORD: &str = "four random words: maple orbit velvet";

/// Every kind: IdentityGuard with a policy and address (from a link), IdentityGuard without a
/// policy but with an OCRA suite, TOTP SHA512, HOTP (used three times), Steam, and a plain
/// OCRA identity with a counter (used twice).
fn full_token(session: &Arc<Session>) {
    let case = ig_links()
        .into_iter()
        .find(|c| c["name"] == "full_escaped_slashes")
        .unwrap();
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    flow.enter_link(text(&case, "uri")).unwrap();
    flow.enter_password(text(&case, "password")).unwrap();
    flow.set_pin(PIN).unwrap();
    flow.confirm_pin(PIN).unwrap();
    flow.finish().unwrap();

    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let issuer = IgIssuer::numbered("123456789", "111122223333444");
    flow.enter_activation(&ActivationInput {
        ocra_suite: Some("OCRA-1:HOTP-SHA256-8:C-QN08".into()),
        digits: Some(8),
        ..issuer.input(Some("https://otp.example.org"))
    })
    .unwrap();
    flow.finish().unwrap();

    let (secret, _, _) = rfc6238_rows("SHA512")[0].clone();
    add_link(session, &rfc6238_link("sha512", "SHA512", &secret));
    let hotp = add_link(session, HOTP_LINK);
    for _ in 0..3 {
        session.code(&hotp.id).unwrap();
    }
    add_link(session, STEAM_LINK);
    let ocra = ImportReport {
        entries: vec![ImportedEntry {
            name: "bank".into(),
            issuer: Some("Bank".into()),
            kind: IdentityKind::Ocra {
                secret: SecretBytes::new(b"12345678901234567890123456789012".to_vec()),
                ocra: OcraChallenge {
                    suite: "OCRA-1:HOTP-SHA256-8:C-QN08".parse().unwrap(),
                    counter: 0,
                },
            },
        }],
        ..ImportReport::default()
    };
    assert_eq!(session.import(ocra).unwrap().added.len(), 1);
    let bank = session.find("bank").unwrap();
    session.challenge(&bank.id, "12345678", None).unwrap();
    session.challenge(&bank.id, "12345678", None).unwrap();
}

/// A summary without what differs between tokens (id, date added).
fn comparable(summary: &IdentitySummary) -> IdentitySummary {
    IdentitySummary {
        id: String::new(),
        added_at: 0,
        ..summary.clone()
    }
}

#[test]
fn every_kind_survives_backup_verify_and_restore() {
    let source_dir = folder();
    let source = session(source_dir.path());
    full_token(&source);
    let originals = source.identities().unwrap();
    assert_eq!(originals.len(), 6);

    let key = BackupKey::for_new_backup(PASSWORD, PASSWORD, KdfParams::MINIMUM).unwrap();
    let file = key.seal(&source.backup_contents(PIN).unwrap()).unwrap();

    // Verify: the file opens and lists what it holds.
    let sealed = SealedBackup::parse(&file).unwrap();
    let opened = sealed
        .open_with(&sealed.derive_key(PASSWORD).unwrap())
        .unwrap();
    assert_eq!(opened.created_at, T);
    assert!(opened.skipped.is_empty());
    let listed: Vec<(String, Option<String>, _)> = opened
        .items()
        .into_iter()
        .map(|i| (i.name, i.issuer, i.kind))
        .collect();
    let expected: Vec<(String, Option<String>, _)> = originals
        .iter()
        .map(|i| (i.name.clone(), i.issuer.clone(), i.kind))
        .collect();
    assert_eq!(listed, expected);

    // Restore into another token (its own PIN, its own identity).
    let target_dir = folder();
    let target = session(target_dir.path());
    new_token_with_link(&target, "otpauth://totp/own?secret=JBSWY3DPEHPK3PXP");
    let outcome = target
        .import(open_backup(&file, PASSWORD).unwrap().into_import_report())
        .unwrap();
    assert_eq!(outcome.added.len(), 6, "{:?}", outcome.skipped);
    assert!(outcome.skipped.is_empty());

    for original in &originals {
        let restored = target.find(&original.name).unwrap();
        assert_eq!(
            comparable(&restored),
            comparable(original),
            "{}",
            original.name
        );
        if original.period.is_some() {
            for t in [59, T, T + 30, T + 86_400] {
                assert_eq!(
                    target.code_at(&restored.id, t).unwrap().code,
                    source.code_at(&original.id, t).unwrap().code,
                    "{} at {t}",
                    original.name
                );
            }
        }
        if original.answers_challenges {
            for question in ["12345678", "00000000"] {
                assert_eq!(
                    target.challenge(&restored.id, question, None).unwrap(),
                    source.challenge(&original.id, question, None).unwrap(),
                    "{} answering {question}",
                    original.name
                );
            }
        }
    }

    // HOTP: the counter came along (RFC 4226: counter 3 gives 969429, then 338314).
    let hotp = target.find("counter").unwrap();
    assert_eq!(target.code(&hotp.id).unwrap().code, "969429");
    assert_eq!(target.code(&hotp.id).unwrap().code, "338314");

    // The other policy variant came along too.
    let ig = target.find("myid.example.edu").unwrap();
    let ig_source = source.find("myid.example.edu").unwrap();
    assert_eq!(ig.serial.as_deref(), Some("48244-13456"));
    target.switch_policy_variant(&ig.id).unwrap();
    source.switch_policy_variant(&ig_source.id).unwrap();
    assert_eq!(
        target.code_at(&ig.id, T).unwrap().code,
        source.code_at(&ig_source.id, T).unwrap().code
    );

    // The restored IdentityGuard identity backs PIN resets in its new token: locked out, it
    // shows a reset code.
    wrong_pins(&target, 5);
    let status = target.status().unwrap();
    assert!(
        matches!(
            status,
            TokenStatus::LockedOut {
                reset_code: Some(_),
                ..
            }
        ),
        "{status:?}"
    );
}

#[test]
fn identities_already_on_the_token_are_skipped_and_reported() {
    let source_dir = folder();
    let source = session(source_dir.path());
    full_token(&source);
    let key = BackupKey::for_new_backup(PASSWORD, PASSWORD, KdfParams::MINIMUM).unwrap();
    let file = key.seal(&source.backup_contents(PIN).unwrap()).unwrap();

    // Restoring into the token it came from adds nothing.
    let outcome = source
        .import(open_backup(&file, PASSWORD).unwrap().into_import_report())
        .unwrap();
    assert!(outcome.added.is_empty());
    let reasons: Vec<&str> = outcome.skipped.iter().map(|s| s.reason.as_str()).collect();
    let expected: Vec<String> = source
        .identities()
        .unwrap()
        .iter()
        .map(|i| format!("already on the token as \"{}\"", i.name))
        .collect();
    assert_eq!(reasons, expected);
    assert_eq!(
        outcome.skipped[2].to_string(),
        "\"RFC: sha512\": already on the token as \"sha512\""
    );
    assert_eq!(source.identities().unwrap().len(), 6);
}

#[test]
fn reading_the_secrets_for_a_backup_checks_the_pin_again() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, HOTP_LINK);
    let error = session.backup_contents(WRONG_PIN).unwrap_err();
    assert_eq!(
        error.to_string(),
        "wrong PIN, 4 tries left before the token locks"
    );
    assert_eq!(session.backup_contents(PIN).unwrap().identities.len(), 1);
    session.lock();
    assert!(matches!(
        session.backup_contents(PIN),
        Err(tessera_core::session::SessionError::NotUnlocked)
    ));
}

/// The one backup sequence every shell calls: a password the rules refuse, or a confirmation
/// that differs, is refused before the PIN is checked (no try spent); a wrong PIN is counted and
/// nothing is sealed; the right PIN seals a file that opens with the password alone.
#[test]
fn a_backup_checks_the_password_before_the_pin_and_the_pin_before_sealing() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, HOTP_LINK);
    let short = session
        .export_backup(WRONG_PIN, "too short", "too short", KdfParams::MINIMUM)
        .unwrap_err();
    assert!(
        short
            .to_string()
            .starts_with("the backup password is too short"),
        "{short}"
    );
    let differing = session
        .export_backup(WRONG_PIN, PASSWORD, "four random words", KdfParams::MINIMUM)
        .unwrap_err();
    assert_eq!(
        differing.to_string(),
        BackupKey::for_new_backup(PASSWORD, "four random words", KdfParams::MINIMUM)
            .unwrap_err()
            .to_string()
    );
    // Neither refusal spent a try: the first wrong PIN still leaves four.
    let wrong = session
        .export_backup(WRONG_PIN, PASSWORD, PASSWORD, KdfParams::MINIMUM)
        .unwrap_err();
    assert_eq!(
        wrong.to_string(),
        "wrong PIN, 4 tries left before the token locks"
    );

    let backup = session
        .export_backup(PIN, PASSWORD, PASSWORD, KdfParams::MINIMUM)
        .unwrap();
    let opened = open_backup(&backup.file, PASSWORD).unwrap();
    assert_eq!(opened.items(), backup.items);
    assert_eq!(backup.items.len(), 1);
}
