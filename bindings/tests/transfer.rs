//! Import, export and backups through the FFI surface, as a shell calls them: real interop
//! samples (tests/interop, with the vectors and passwords of their EXPECTED.md), codes at a
//! fixed time against an RFC 6238 computation written out here, errors naming the field a
//! shell shows them beside, and round trips into a second token.

mod common;

use common::{PIN, T, new_token};
use hmac::{Hmac, KeyInit, Mac};
use tessera_ffi::{
    ExportFormat, IdentityKindLabel, ImportFormat, InputField, TokenError, TokenSession,
    verify_backup,
};

const BACKUP_PASSWORD: &str = "correct horse battery staple";

fn sample(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../tests/interop/aegis/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The TOTP vectors of tests/interop/aegis/EXPECTED.md (V1 to V3): issuer, name, base32
/// secret, hash, digits, period.
const TOTP_VECTORS: [(&str, &str, &str, &str, u32, u64); 3] = [
    ("Deno", "Mason", "4SJHB4GSD43FZBAI7C2HLRJGPQ", "SHA1", 6, 30),
    (
        "SPDX",
        "James",
        "5OM4WOOGPLQEF6UGN3CPEOOLWU",
        "SHA256",
        7,
        20,
    ),
    (
        "Airbnb",
        "Elijah",
        "7ELGJSGXNCCTV3O6LKJWYFV2RA",
        "SHA512",
        8,
        50,
    ),
];

/// Every vector V1 to V7 as (issuer, name, kind), in file order, named as the token keeps them:
/// names are unique on a token, so the second "James" and "Mason" get " (2)".
const ALL_VECTORS: [(&str, &str, IdentityKindLabel); 7] = [
    ("Deno", "Mason", IdentityKindLabel::Totp),
    ("SPDX", "James", IdentityKindLabel::Totp),
    ("Airbnb", "Elijah", IdentityKindLabel::Totp),
    ("Issuu", "James (2)", IdentityKindLabel::Hotp),
    ("Air Canada", "Benjamin", IdentityKindLabel::Hotp),
    ("WWE", "Mason (2)", IdentityKindLabel::Hotp),
    ("Boeing", "Sophia", IdentityKindLabel::Steam),
];

/// The Swift suite (ios/TesseraKit TransferTests) has no HMAC on Linux and compares with these
/// codes of V1 to V3 at T; they must be what the secrets give.
#[test]
fn the_swift_suites_vector_codes_are_those_of_the_secrets() {
    let swift = ["790195", "9993814", "65516786"];
    for ((_, _, secret, hash, digits, period), code) in TOTP_VECTORS.into_iter().zip(swift) {
        assert_eq!(independent_totp(secret, hash, digits, period, T), code);
    }
}

/// RFC 6238 with HMAC only: counter = time / period, dynamic truncation (RFC 4226 5.3).
fn independent_totp(base32: &str, hash: &str, digits: u32, period: u64, time: u64) -> String {
    let key = data_encoding::BASE32_NOPAD
        .decode(base32.as_bytes())
        .unwrap();
    let message = (time / period).to_be_bytes();
    let mac = match hash {
        "SHA1" => hmac_of::<Hmac<sha1::Sha1>>(&key, &message),
        "SHA256" => hmac_of::<Hmac<sha2::Sha256>>(&key, &message),
        _ => hmac_of::<Hmac<sha2::Sha512>>(&key, &message),
    };
    let offset = usize::from(mac[mac.len() - 1] & 0x0f);
    let value = u32::from_be_bytes(mac[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!(
        "{:0width$}",
        value % 10u32.pow(digits),
        width = digits as usize
    )
}

fn hmac_of<M: Mac + KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut mac = <M as KeyInit>::new_from_slice(key).unwrap();
    mac.update(message);
    mac.finalize().into_bytes().to_vec()
}

fn id_of(session: &TokenSession, issuer: &str, name: &str) -> String {
    session
        .identities()
        .unwrap()
        .into_iter()
        .find(|i| i.issuer.as_deref() == Some(issuer) && i.name == name)
        .unwrap_or_else(|| panic!("no identity {issuer}: {name}"))
        .id
}

fn field_of(error: TokenError) -> InputField {
    match error {
        TokenError::InvalidInput { field, .. } => field,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

/// The TOTP vectors' codes at T are those of their secrets in EXPECTED.md.
fn assert_vector_codes(session: &TokenSession) {
    for (issuer, name, secret, hash, digits, period) in TOTP_VECTORS {
        let code = session.code_at(id_of(session, issuer, name), T).unwrap();
        assert_eq!(
            code.code,
            independent_totp(secret, hash, digits, period, T),
            "{issuer}: {name}"
        );
    }
}

#[test]
fn a_plain_aegis_export_imports_every_vector_with_its_codes() {
    let dir = tempfile::tempdir().unwrap();
    let token = new_token(&dir);
    let summary = token
        .import_file(sample("aegis_plain.json"), None, None)
        .unwrap();
    assert_eq!(summary.format, Some(ImportFormat::AegisPlain));
    let added: Vec<(Option<String>, String, IdentityKindLabel)> = summary
        .added
        .iter()
        .map(|i| (i.issuer.clone(), i.name.clone(), i.kind))
        .collect();
    let expected: Vec<(Option<String>, String, IdentityKindLabel)> = ALL_VECTORS
        .iter()
        .map(|(issuer, name, kind)| (Some(issuer.to_string()), name.to_string(), *kind))
        .collect();
    assert_eq!(added, expected);
    assert!(summary.skipped.is_empty(), "{:?}", summary.skipped);
    assert_vector_codes(&token);

    // The same file again: every entry is already on the token, and says so.
    let again = token
        .import_file(
            sample("aegis_plain.json"),
            Some(ImportFormat::AegisPlain),
            None,
        )
        .unwrap();
    assert!(again.added.is_empty());
    assert_eq!(again.skipped.len(), 7);
    assert!(
        again.skipped[0].reason.starts_with("already on the token"),
        "{:?}",
        again.skipped[0]
    );
}

#[test]
fn an_encrypted_aegis_export_asks_for_its_password_and_refuses_a_wrong_one() {
    let dir = tempfile::tempdir().unwrap();
    let token = new_token(&dir);
    let file = sample("aegis_encrypted.json");

    let needed = token.import_file(file.clone(), None, None).unwrap_err();
    let TokenError::PasswordNeeded { format, message } = needed else {
        panic!("expected PasswordNeeded, got {needed:?}");
    };
    assert_eq!(format, "an encrypted Aegis export");
    assert!(message.contains("a password is needed"), "{message}");

    let wrong = token
        .import_file(file.clone(), None, Some("tset".into()))
        .unwrap_err();
    assert_eq!(field_of(wrong), InputField::Password);
    assert_eq!(token.identities().unwrap().len(), 1, "nothing was added");

    // EXPECTED.md: the password is "test".
    let summary = token
        .import_file(
            file,
            Some(ImportFormat::AegisEncrypted),
            Some("test".into()),
        )
        .unwrap();
    assert_eq!(summary.format, Some(ImportFormat::AegisEncrypted));
    assert_eq!(summary.added.len(), 7);
    assert_vector_codes(&token);
}

#[test]
fn a_file_that_is_no_export_is_refused_beside_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let token = new_token(&dir);
    let error = token
        .import_file(b"{\"db\": ".to_vec(), None, None)
        .unwrap_err();
    let TokenError::InvalidInput { field, message } = error else {
        panic!("expected InvalidInput");
    };
    assert_eq!(field, InputField::File);
    assert!(message.contains("it ends too early"), "{message}");
}

#[test]
fn otpauth_and_google_exports_import_back_into_another_token() {
    let dir = tempfile::tempdir().unwrap();
    let token = new_token(&dir);
    token
        .import_file(sample("aegis_plain.json"), None, None)
        .unwrap();

    let wrong_pin = token
        .export(ExportFormat::Otpauth, "000000".into(), None, None)
        .unwrap_err();
    assert!(
        matches!(wrong_pin, TokenError::WrongPin { .. }),
        "{wrong_pin:?}"
    );
    let stray_password = token
        .export(
            ExportFormat::Otpauth,
            PIN.into(),
            Some(BACKUP_PASSWORD.into()),
            None,
        )
        .unwrap_err();
    assert_eq!(field_of(stray_password), InputField::BackupPassword);

    let otpauth = token
        .export(ExportFormat::Otpauth, PIN.into(), None, None)
        .unwrap();
    assert_eq!(otpauth.links.len(), 8);
    assert!(otpauth.qr_codes.is_empty() && otpauth.backup.is_none());
    assert!(otpauth.links.iter().all(|l| l.starts_with("otpauth://")));
    assert_eq!(otpauth.exported[0], "Example: alice@example.com");

    let google = token
        .export(ExportFormat::Google, PIN.into(), None, None)
        .unwrap();
    // Google holds 30-second TOTP and HOTP with 6 or 8 digits only (V2, V3, V5 and the Steam
    // V7 are out), and says why for each.
    assert_eq!(
        google.exported,
        [
            "Example: alice@example.com",
            "Deno: Mason",
            "Issuu: James (2)",
            "WWE: Mason (2)"
        ]
    );
    let skipped: Vec<(&str, &str)> = google
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.reason.as_str()))
        .collect();
    assert_eq!(
        skipped.iter().map(|s| s.0).collect::<Vec<_>>(),
        [
            "SPDX: James",
            "Airbnb: Elijah",
            "Air Canada: Benjamin",
            "Boeing: Sophia"
        ]
    );
    assert!(
        skipped[0].1.contains("every 20 seconds"),
        "{}",
        skipped[0].1
    );
    assert!(skipped[2].1.contains("7-digit"), "{}", skipped[2].1);
    assert!(skipped[3].1.contains("Steam"), "{}", skipped[3].1);
    assert_eq!(google.qr_codes.len(), google.links.len());
    assert!(
        google
            .qr_codes
            .iter()
            .all(|png| png.starts_with(b"\x89PNG\r\n\x1a\n"))
    );

    for (export, format, count) in [
        (otpauth, ImportFormat::OtpauthList, 7),
        (google, ImportFormat::GoogleMigration, 3),
    ] {
        let other_dir = tempfile::tempdir().unwrap();
        let other = new_token(&other_dir);
        let text = export.links.join("\n");
        let summary = other.import_file(text.into_bytes(), None, None).unwrap();
        assert_eq!(summary.format, Some(format));
        // The seed identity is on both tokens already.
        assert_eq!(summary.added.len(), count, "{:?}", summary.skipped);
        assert_eq!(summary.skipped.len(), 1);
        assert!(
            summary.skipped[0]
                .reason
                .starts_with("already on the token")
        );
        for (issuer, name, secret, hash, digits, period) in TOTP_VECTORS {
            if format == ImportFormat::GoogleMigration && period != 30 {
                continue;
            }
            assert_eq!(
                other.code_at(id_of(&other, issuer, name), T).unwrap().code,
                independent_totp(secret, hash, digits, period, T),
                "{issuer}: {name}"
            );
        }
    }
}

#[test]
fn a_backup_checks_its_password_verifies_and_restores_every_identity() {
    let dir = tempfile::tempdir().unwrap();
    let token = new_token(&dir);
    token
        .import_file(sample("aegis_plain.json"), None, None)
        .unwrap();
    let backup = |password: Option<&str>, confirmation: Option<&str>| {
        token.export(
            ExportFormat::Tessera,
            PIN.into(),
            password.map(Into::into),
            confirmation.map(Into::into),
        )
    };
    assert_eq!(
        field_of(backup(None, None).unwrap_err()),
        InputField::BackupPassword
    );
    assert_eq!(
        field_of(backup(Some("short pass1"), Some("short pass1")).unwrap_err()),
        InputField::BackupPassword
    );
    assert_eq!(
        field_of(backup(Some(BACKUP_PASSWORD), None).unwrap_err()),
        InputField::BackupPasswordConfirmation
    );
    assert_eq!(
        field_of(backup(Some(BACKUP_PASSWORD), Some("correct horse battery stapler")).unwrap_err()),
        InputField::BackupPasswordConfirmation
    );

    let made = backup(Some(BACKUP_PASSWORD), Some(BACKUP_PASSWORD)).unwrap();
    assert_eq!(made.format, ExportFormat::Tessera);
    assert!(made.links.is_empty() && made.qr_codes.is_empty());
    assert_eq!(made.exported.len(), 8);
    assert!(made.skipped.is_empty());
    let file = made.backup.unwrap();
    assert!(file.starts_with(b"TSRBACKP"));

    assert_eq!(
        field_of(verify_backup(file.clone(), "correct horse battery stapler".into()).unwrap_err()),
        InputField::Password
    );
    let mut damaged = file.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    assert_eq!(
        field_of(verify_backup(damaged, BACKUP_PASSWORD.into()).unwrap_err()),
        InputField::File
    );
    let verified = verify_backup(file.clone(), BACKUP_PASSWORD.into()).unwrap();
    let listed: Vec<(Option<&str>, &str, IdentityKindLabel)> = verified
        .identities
        .iter()
        .map(|e| (e.issuer.as_deref(), e.name.as_str(), e.kind))
        .collect();
    let mut expected = vec![(
        Some("Example"),
        "alice@example.com",
        IdentityKindLabel::Totp,
    )];
    expected.extend(
        ALL_VECTORS
            .iter()
            .map(|(issuer, name, kind)| (Some(*issuer), *name, *kind)),
    );
    assert_eq!(listed, expected);
    assert!(verified.skipped.is_empty());

    let other_dir = tempfile::tempdir().unwrap();
    let other = new_token(&other_dir);
    let needed = other.import_file(file.clone(), None, None).unwrap_err();
    assert!(
        matches!(&needed, TokenError::PasswordNeeded { format, .. } if format == "a Tessera backup"),
        "{needed:?}"
    );
    assert_eq!(
        field_of(
            other
                .import_file(file.clone(), None, Some("wrong password!".into()))
                .unwrap_err()
        ),
        InputField::Password
    );
    let restored = other
        .import_file(file, None, Some(BACKUP_PASSWORD.into()))
        .unwrap();
    assert_eq!(restored.format, Some(ImportFormat::TesseraBackup));
    assert_eq!(restored.added.len(), 7);
    assert_vector_codes(&other);
    // HOTP counters travel with the backup: both tokens give the same next code.
    for (issuer, name) in [("Issuu", "James (2)"), ("WWE", "Mason (2)")] {
        assert_eq!(
            other.code(id_of(&other, issuer, name)).unwrap(),
            token.code(id_of(&token, issuer, name)).unwrap(),
            "{issuer}: {name}"
        );
    }
}

/// Restoring onto a new device: a backup of one token becomes the token of an empty folder,
/// with the vectors' codes (computed here), its new PIN and a recovery key that opens it.
/// Refusals name the field and leave the folder without a token.
#[test]
fn a_backup_creates_a_new_token_in_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let token = new_token(&dir);
    token
        .import_file(sample("aegis_plain.json"), None, None)
        .unwrap();
    let file = token
        .export(
            ExportFormat::Tessera,
            PIN.into(),
            Some(BACKUP_PASSWORD.into()),
            Some(BACKUP_PASSWORD.into()),
        )
        .unwrap()
        .backup
        .unwrap();

    let new_dir = tempfile::tempdir().unwrap();
    let restored = TokenSession::new(new_dir.path().to_string_lossy().into_owned(), None).unwrap();
    let restore = |contents: Vec<u8>, pin: &str, confirmation: &str| {
        restored.create_from_import(
            contents,
            None,
            Some(BACKUP_PASSWORD.into()),
            pin.into(),
            confirmation.into(),
        )
    };
    assert_eq!(
        field_of(restore(file.clone(), "12", "12").unwrap_err()),
        InputField::Pin
    );
    assert_eq!(
        field_of(restore(file.clone(), "739146", "739147").unwrap_err()),
        InputField::ConfirmPin
    );
    let unsupported = b"otpauth://totp/x?secret=\n".to_vec();
    assert_eq!(
        field_of(restore(unsupported, "739146", "739146").unwrap_err()),
        InputField::Contents
    );
    assert_eq!(
        restored.status().unwrap(),
        tessera_ffi::TokenStatus::NoToken
    );

    let summary = restore(file.clone(), "739146", "739146").unwrap();
    assert_eq!(summary.import.format, Some(ImportFormat::TesseraBackup));
    assert_eq!(summary.import.added.len(), 8);
    assert!(summary.import.skipped.is_empty());
    assert_vector_codes(&restored);
    assert!(!format!("{summary:?}").contains(&summary.recovery_key));

    restored.lock().unwrap();
    restored
        .unlock_with_recovery_key(summary.recovery_key.clone(), PIN.into())
        .unwrap();
    assert_vector_codes(&restored);

    let again = restore(file, "739146", "739146").unwrap_err();
    assert!(matches!(again, TokenError::Duplicate { .. }), "{again:?}");
    assert_eq!(restored.identities().unwrap().len(), 8);
}

/// The code tests/formats/<app>/EXPECTED.md gives for `file`'s entry `issuer: name` (computed
/// by scripts/formats with Python's hmac at unix time 1700000000, which is T).
fn expected_code(app: &str, file: &str, issuer: &str, name: &str) -> String {
    let path = format!(
        "{}/../tests/formats/{app}/EXPECTED.md",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let prefix = format!("| {file} | {issuer} | {name} |");
    let row = text
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("{path}: no row {prefix}"));
    row.trim_end_matches(" |")
        .rsplit(" | ")
        .next()
        .unwrap()
        .to_string()
}

fn format_sample(app: &str, file: &str) -> Vec<u8> {
    let path = format!(
        "{}/../tests/formats/{app}/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn a_password_protected_bitwarden_export_imports_and_reports_its_skipped_item() {
    let dir = tempfile::tempdir().unwrap();
    let token = new_token(&dir);
    let file = format_sample("bitwarden", "bitwarden_argon2id.json");
    let needed = token.import_file(file.clone(), None, None).unwrap_err();
    assert!(
        matches!(&needed, TokenError::PasswordNeeded { format, .. } if format == "a password-protected Bitwarden export"),
        "{needed:?}"
    );
    let wrong = token
        .import_file(file.clone(), None, Some("wrong".into()))
        .unwrap_err();
    assert_eq!(field_of(wrong), InputField::Password);
    assert_eq!(token.identities().unwrap().len(), 1, "nothing was added");

    // tests/formats/bitwarden/EXPECTED.md: the password, four entries and one skipped item.
    let summary = token
        .import_file(file, None, Some("bitwarden sample password".into()))
        .unwrap();
    assert_eq!(summary.format, Some(ImportFormat::BitwardenEncrypted));
    assert_eq!(summary.added.len(), 4);
    let skipped: Vec<String> = summary
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.name, s.reason))
        .collect();
    assert_eq!(
        skipped,
        [
            "item 6 (\"Broken\"): the secret is not valid base32: character 11 is not one of A-Z and 2-7"
        ]
    );
    let code = token
        .code_at(id_of(&token, "GitHub", "octo"), T)
        .unwrap()
        .code;
    assert_eq!(
        code,
        expected_code("bitwarden", "bitwarden_argon2id.json", "GitHub", "octo")
    );
}

/// RFC 6030 figure 6 (tests/formats/pskc): one HOTP key under the pre-shared key
/// 12345678901234567890123456789012, given in hex where the password goes.
#[test]
fn a_pskc_file_takes_its_pre_shared_key_as_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let token = new_token(&dir);
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/formats/pskc/rfc6030-figure6.xml");
    let file = std::fs::read(path).unwrap();
    let needed = token.import_file(file.clone(), None, None).unwrap_err();
    let TokenError::PasswordNeeded { format, .. } = needed else {
        panic!("expected PasswordNeeded, got {needed:?}");
    };
    assert_eq!(format, "a PSKC file encrypted with a pre-shared key");
    let not_hex = token
        .import_file(file.clone(), None, Some("qwerty".into()))
        .unwrap_err();
    assert_eq!(field_of(not_hex), InputField::Password);
    let summary = token
        .import_file(
            file,
            Some(ImportFormat::Pskc),
            Some("12345678901234567890123456789012".into()),
        )
        .unwrap();
    assert_eq!(summary.format, Some(ImportFormat::Pskc));
    assert_eq!(summary.added.len(), 1);
    assert_eq!(summary.added[0].name, "987654321");
}
