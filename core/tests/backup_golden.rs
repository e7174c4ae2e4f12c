//! The golden backup: written once by format version 1 and committed, it must open forever.
//! If a change makes these tests fail, the change broke every backup people have made.
//!
//! core/tests/golden/backup-v1.json records its password and its exact decrypted payload. To
//! regenerate (only when deliberately making a new format version, never to "fix" a failure):
//! `TESSERA_WRITE_GOLDEN=1 cargo test -p tessera-core --test backup_golden -- --ignored`
//!
//! `the_documented_python_decryptor_opens_it` runs the reference decryptor printed in
//! docs/backup-format.md (the code block itself, extracted from the document) on the golden
//! file: the document and the format cannot drift apart. It needs `python3` with the
//! `cryptography` package (44 or newer), which this project's machines have.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde::{Deserialize, Serialize};
use tessera_core::SecretBytes;
use tessera_core::backup::{BackupContents, BackupIdentity, BackupKey, SealedBackup, open_backup};
use tessera_core::codes::{self, Algorithm, OcraInput, OcraSuite, TotpParams};
use tessera_core::crypto::KdfParams;
use tessera_core::identity::{
    IdentityGuardIdentity, IdentityKind, IdentityKindLabel, OcraChallenge,
};
use tessera_core::identityguard::{
    ActivationCode, SerialNumber, code_params, derive_secret, registration_code_from_random,
};

#[derive(Debug, Serialize, Deserialize)]
struct Golden {
    file: String,
    password: String,
    payload: String,
}

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn manifest() -> Golden {
    let text = std::fs::read_to_string(golden_dir().join("backup-v1.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn golden_file() -> Vec<u8> {
    std::fs::read(golden_dir().join(manifest().file)).unwrap()
}

fn hex(text: &str) -> Vec<u8> {
    data_encoding::HEXLOWER.decode(text.as_bytes()).unwrap()
}

const ADDRESS: &str = "https://ig.example.com/self-service";
const REGISTRATION_RANDOM: [u8; 2] = [0x12, 0x34];
const OCRA_64_BYTE_KEY: &str = "31323334353637383930313233343536373839303132333435363738393031323334353637383930313233343536373839303132333435363738393031323334";

/// The spec's IdentityGuard identity activated with the spec policy.
fn ig_secrets() -> (SerialNumber, String, SecretBytes, SecretBytes) {
    let serial: SerialNumber = SPEC_SERIAL.parse().unwrap();
    let activation: ActivationCode = SPEC_ACTIVATION.parse().unwrap();
    let registration = registration_code_from_random(&serial, REGISTRATION_RANDOM);
    let with = derive_secret(&serial, &activation, &registration, Some(SPEC_POLICY));
    let without = derive_secret(&serial, &activation, &registration, None);
    (serial, registration.to_string(), with, without)
}

/// One identity of every kind, with counters away from zero.
fn golden_contents() -> BackupContents {
    let (serial, registration, with, without) = ig_secrets();
    BackupContents {
        created_at: T,
        identities: vec![
            BackupIdentity {
                name: "alice@example.com".into(),
                issuer: Some("Example".into()),
                kind: IdentityKind::Totp {
                    secret: SecretBytes::new(b"12345678901234567890123456789012".to_vec()),
                    params: TotpParams::new(Algorithm::Sha256, 8, 30).unwrap(),
                },
            },
            BackupIdentity {
                name: "counter".into(),
                issuer: Some("Example".into()),
                kind: IdentityKind::Hotp {
                    secret: SecretBytes::new(b"12345678901234567890".to_vec()),
                    algorithm: Algorithm::Sha1,
                    digits: 6,
                    counter: 5,
                },
            },
            BackupIdentity {
                name: "gaben".into(),
                issuer: Some("Steam".into()),
                kind: IdentityKind::Steam {
                    secret: SecretBytes::from_base32("63BEDWCQZKTQWPESARIERL5DTTQFCJTK").unwrap(),
                },
            },
            BackupIdentity {
                name: "bank challenges".into(),
                issuer: None,
                kind: IdentityKind::Ocra {
                    secret: SecretBytes::new(hex(OCRA_64_BYTE_KEY)),
                    ocra: OcraChallenge {
                        suite: "OCRA-1:HOTP-SHA512-8:C-QN08".parse().unwrap(),
                        counter: 3,
                    },
                },
            },
            BackupIdentity {
                name: "ig.example.com".into(),
                issuer: Some("IdentityGuard".into()),
                kind: IdentityKind::IdentityGuard(IdentityGuardIdentity {
                    serial,
                    registration: registration.parse().unwrap(),
                    address: Some(ADDRESS.into()),
                    digits: 6,
                    secret: with,
                    alternate_secret: Some(without),
                    policy_included: true,
                    ocra: Some(OcraChallenge {
                        suite: "OCRA-1:HOTP-SHA1-6:QN08".parse().unwrap(),
                        counter: 0,
                    }),
                }),
            },
        ],
        skipped: Vec::new(),
    }
}

#[test]
#[ignore = "writes the golden backup; run only when TESSERA_WRITE_GOLDEN=1"]
fn generate_golden_backup() {
    if std::env::var("TESSERA_WRITE_GOLDEN").as_deref() != Ok("1") {
        return;
    }
    let password = "correct horse battery staple";
    let contents = golden_contents();
    let key = BackupKey::for_new_backup(password, password, KdfParams::MINIMUM).unwrap();
    let file = key.seal(&contents).unwrap();
    std::fs::write(golden_dir().join("backup-v1.bin"), &file).unwrap();
    // The payload as the format stores it, read back through the reference path (Python).
    let payload = decrypt_with_python(&golden_dir().join("backup-v1.bin"), password);
    let golden = Golden {
        file: "backup-v1.bin".into(),
        password: password.into(),
        payload: String::from_utf8(payload).unwrap(),
    };
    let json = serde_json::to_string_pretty(&golden).unwrap() + "\n";
    std::fs::write(golden_dir().join("backup-v1.json"), json).unwrap();
}

#[test]
fn the_golden_backup_opens_to_every_identity() {
    let golden = manifest();
    let opened = open_backup(&golden_file(), &golden.password).unwrap();
    assert_eq!(opened, golden_contents());
    assert_eq!(
        SealedBackup::parse(&golden_file()).unwrap().kdf(),
        KdfParams::MINIMUM
    );
    let kinds: Vec<IdentityKindLabel> = opened.items().iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        [
            IdentityKindLabel::Totp,
            IdentityKindLabel::Hotp,
            IdentityKindLabel::Steam,
            IdentityKindLabel::Ocra,
            IdentityKindLabel::IdentityGuard
        ]
    );
}

/// Restored into a token, the golden identities give the published vectors' codes: RFC 6238
/// (SHA256, 8 digits, T = 59), RFC 4226 (counter 5), KeePassXC's Steam code, RFC 6287
/// (OCRA-1:HOTP-SHA512-8:C-QN08 at counters 3 and 4), and the IdentityGuard codes and OCRA
/// response the issuer computes from the activation data, for both policy variants.
#[test]
fn the_golden_identities_restore_with_their_codes() {
    let dir = folder();
    let session = session(dir.path());
    new_token_with_link(&session, "otpauth://totp/seed?secret=JBSWY3DPEHPK3PXP");
    let report = open_backup(&golden_file(), &manifest().password)
        .unwrap()
        .into_import_report();
    let outcome = session.import(report).unwrap();
    assert_eq!(outcome.added.len(), 5, "{:?}", outcome.skipped);
    let id = |name: &str| session.find(name).unwrap().id;

    assert_eq!(
        session.code_at(&id("alice@example.com"), 59).unwrap().code,
        "46119246"
    );
    assert_eq!(session.code(&id("counter")).unwrap().code, "254676");
    assert_eq!(session.code(&id("counter")).unwrap().code, "287922");
    assert_eq!(
        session.code_at(&id("gaben"), 1_511_200_518).unwrap().code,
        "FR8RV"
    );
    let bank = id("bank challenges");
    assert_eq!(
        session.challenge(&bank, "33333333", None).unwrap(),
        "25341727"
    );
    assert_eq!(
        session.challenge(&bank, "44444444", None).unwrap(),
        "33203315"
    );

    let ig = session.find("ig.example.com").unwrap();
    let (_, registration, with, without) = ig_secrets();
    assert_eq!(ig.serial.as_deref(), Some("48244-13456"));
    assert_eq!(
        ig.registration_code
            .as_deref()
            .map(|c| c.replace(['-', ' '], "")),
        Some(registration.replace(['-', ' '], ""))
    );
    assert_eq!(ig.address.as_deref(), Some(ADDRESS));
    assert_eq!(ig.policy_included, Some(true));
    assert!(ig.can_switch_policy);
    let params = code_params(6).unwrap();
    assert_eq!(
        session.code_at(&ig.id, T).unwrap().code,
        codes::totp(&with, &params, T).unwrap()
    );
    let suite: OcraSuite = "OCRA-1:HOTP-SHA1-6:QN08".parse().unwrap();
    let input = OcraInput::from_text(None, "00000000", None, None, None, None).unwrap();
    assert_eq!(
        session.challenge(&ig.id, "00000000", None).unwrap(),
        codes::ocra(&suite, &with, &input).unwrap()
    );
    session.switch_policy_variant(&ig.id).unwrap();
    assert_eq!(
        session.code_at(&ig.id, T).unwrap().code,
        codes::totp(&without, &params, T).unwrap()
    );
}

/// The reference decryptor of docs/backup-format.md, run as printed there.
fn decrypt_with_python(file: &Path, password: &str) -> Vec<u8> {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/backup-format.md"),
    )
    .unwrap();
    let start = doc
        .find("```python\n")
        .expect("docs/backup-format.md has a python block")
        + "```python\n".len();
    let end = start + doc[start..].find("```").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("decrypt_backup.py");
    std::fs::write(&script, &doc[start..end]).unwrap();
    let output = Command::new("python3")
        .arg(&script)
        .arg(file)
        .env("TESSERA_BACKUP_PASSWORD", password)
        .output()
        .expect(
            "python3 runs (the reference decryptor needs python3 and its cryptography package)",
        );
    assert!(
        output.status.success(),
        "the reference decryptor failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

#[test]
fn the_documented_python_decryptor_opens_it() {
    let golden = manifest();
    let payload = decrypt_with_python(&golden_dir().join(&golden.file), &golden.password);
    assert_eq!(String::from_utf8(payload).unwrap(), golden.payload);
    // And the payload it prints is what Tessera reads.
    assert_eq!(
        BackupContents::from_payload(golden.payload.as_bytes()).unwrap(),
        golden_contents()
    );
}
