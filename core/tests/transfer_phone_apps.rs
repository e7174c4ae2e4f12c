//! Importing files taken from phone apps (issue 19, part B): Battle.net, Duo Mobile, TOTP
//! Authenticator, FreeOTP+'s tokens.xml, the Google and Microsoft Authenticator databases and
//! Authenticator Plus backups. The samples in tests/formats/<app>/ and their EXPECTED.md are
//! written by scripts/formats/make_phone_app_samples.py from the formats' descriptions
//! (docs/formats/), with codes computed there by Python's hmac: every entry, its code and every
//! skip with its reason is checked here. Then each way such a file can be wrong.

use std::collections::BTreeMap;
use std::path::PathBuf;

use tessera_core::codes::{self, Algorithm, TotpParams};
use tessera_core::identity::IdentityKind;
use tessera_core::transfer::{
    ImportError, ImportFormat, ImportReport, Password, detect_format, parse_import,
};

/// The time EXPECTED.md's TOTP codes are for.
const T: u64 = 1_700_000_000;

fn folder(app: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/formats")
        .join(app)
}

fn sample(app: &str, file: &str) -> Vec<u8> {
    std::fs::read(folder(app).join(file)).unwrap()
}

/// Rows of cells.
type Rows = Vec<Vec<String>>;

/// The rows of the table under `## heading` of an EXPECTED.md, as cells.
fn table(text: &str, heading: &str) -> Rows {
    let start = match text.find(&format!("## {heading}\n")) {
        Some(start) => start,
        None => return Vec::new(),
    };
    text[start..]
        .lines()
        .skip(1)
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .map(|l| {
            l.trim()
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

/// Imports every file EXPECTED.md names (as `format`, and as detected) and checks each entry,
/// its code and each skip.
fn check_app(app: &str, format: &dyn Fn(&str) -> ImportFormat) -> usize {
    let expected = std::fs::read_to_string(folder(app).join("EXPECTED.md")).unwrap();
    let passwords: BTreeMap<String, String> = table(&expected, "Passwords")
        .into_iter()
        .map(|row| (row[0].clone(), row[1].clone()))
        .collect();
    // Per sample file: its rows of entries and its rows of skipped entries.
    let mut files: BTreeMap<String, (Rows, Rows)> = BTreeMap::new();
    for row in table(&expected, "Entries") {
        files.entry(row[0].clone()).or_default().0.push(row);
    }
    for row in table(&expected, "Skipped") {
        files.entry(row[0].clone()).or_default().1.push(row);
    }
    assert!(!files.is_empty(), "{app}: EXPECTED.md lists nothing");
    let mut checked = 0;
    for (file, (entries, skipped)) in &files {
        let bytes = sample(app, file);
        let password = passwords.get(file).map(|p| Password::new(p.clone()));
        assert_eq!(
            detect_format(&bytes),
            Some(format(file)),
            "{app}/{file}: detection"
        );
        let report = parse_import(&bytes, Some(format(file)), password.as_ref())
            .unwrap_or_else(|e| panic!("{app}/{file}: {e}"));
        assert_eq!(report.format, Some(format(file)));
        assert_eq!(
            report.entries.len(),
            entries.len(),
            "{app}/{file}: {:?}",
            report.skipped
        );
        for (entry, row) in report.entries.iter().zip(entries) {
            let what = format!("{app}/{file}: {row:?}");
            let issuer = Some(row[1].as_str()).filter(|i| !i.is_empty());
            assert_eq!(entry.issuer.as_deref(), issuer, "{what}");
            assert_eq!(entry.name, row[2], "{what}");
            let digits: u8 = row[4].parse().unwrap();
            let algorithm: Algorithm = row[6].parse().unwrap();
            let (label, number) = row[5].split_once(' ').unwrap();
            let number: u64 = number.parse().unwrap();
            let code = match (&entry.kind, row[3].as_str(), label) {
                (IdentityKind::Totp { secret, params }, "TOTP", "period") => {
                    assert_eq!(
                        (params.algorithm, params.digits, u64::from(params.period)),
                        (algorithm, digits, number),
                        "{what}"
                    );
                    let params = TotpParams::new(algorithm, digits, params.period).unwrap();
                    codes::totp(secret, &params, T).unwrap()
                }
                (
                    IdentityKind::Hotp {
                        secret,
                        algorithm: a,
                        digits: d,
                        counter,
                    },
                    "HOTP",
                    "counter",
                ) => {
                    assert_eq!((*a, *d, *counter), (algorithm, digits, number), "{what}");
                    codes::hotp(secret, *counter, *d, *a).unwrap()
                }
                (kind, ..) => panic!("{what}: imported as {kind:?}"),
            };
            assert_eq!(code, row[7], "{what}: code");
            checked += 1;
        }
        assert_eq!(
            report.skipped.len(),
            skipped.len(),
            "{app}/{file}: {:?}",
            report.skipped
        );
        for (skip, row) in report.skipped.iter().zip(skipped) {
            assert_eq!(skip.name, row[1], "{app}/{file}");
            assert!(skip.reason.contains(&row[2]), "{app}/{file}: {skip}");
        }
    }
    checked
}

#[test]
fn battle_net_preferences_of_both_apps_import_as_8_digit_totp() {
    assert_eq!(check_app("battle-net", &|_| ImportFormat::BattleNetXml), 2);
}

#[test]
fn duo_accounts_import_hotp_and_totp_and_skip_push_only_ones() {
    assert_eq!(check_app("duo", &|_| ImportFormat::DuoJson), 2);
}

#[test]
fn totp_authenticator_backups_and_preferences_import() {
    let format = |file: &str| {
        if file.ends_with(".xml") {
            ImportFormat::TotpAuthenticatorXml
        } else {
            ImportFormat::TotpAuthenticatorEncrypted
        }
    };
    assert_eq!(check_app("totp-authenticator", &format), 6);
}

#[test]
fn freeotp_plus_token_files_import_in_token_order() {
    assert_eq!(
        check_app("freeotp-plus-prefs", &|_| ImportFormat::FreeOtpXml),
        2
    );
}

#[test]
fn google_authenticator_databases_import_across_pages() {
    assert_eq!(
        check_app("google-authenticator-db", &|_| {
            ImportFormat::GoogleAuthenticatorDb
        }),
        32
    );
}

#[test]
fn microsoft_authenticator_databases_import_totp_and_microsoft_accounts() {
    assert_eq!(
        check_app("microsoft-authenticator-db", &|_| {
            ImportFormat::MicrosoftAuthenticatorDb
        }),
        2
    );
}

#[test]
fn authenticator_plus_backups_import_with_the_master_password() {
    assert_eq!(
        check_app("authenticator-plus", &|_| ImportFormat::AuthenticatorPlusDb),
        2
    );
}

fn error(bytes: &[u8], format: Option<ImportFormat>, password: Option<&str>) -> ImportError {
    let password = password.map(|p| Password::new(p.to_string()));
    match parse_import(bytes, format, password.as_ref()) {
        Err(e) => e,
        Ok(report) => panic!("imported {} entries", report.entries.len()),
    }
}

#[test]
fn encrypted_files_need_their_password_and_refuse_a_wrong_one() {
    let backup = sample("totp-authenticator", "backup.txt");
    let plus = sample("authenticator-plus", "authplus.db");
    assert_eq!(
        error(&backup, None, None).to_string(),
        "the file is an encrypted TOTP Authenticator backup: a password is needed to import it"
    );
    assert_eq!(
        error(&plus, None, None).to_string(),
        "the file is an Authenticator Plus backup: a password is needed to import it"
    );
    assert!(matches!(
        error(&backup, None, Some("wrong")),
        ImportError::WrongPassword {
            field: "the backup"
        }
    ));
    assert!(matches!(
        error(&plus, None, Some("wrong")),
        ImportError::WrongPassword {
            field: "the database's first page"
        }
    ));
}

#[test]
fn cut_or_changed_encrypted_files_import_nothing_and_say_why() {
    let plus = sample("authenticator-plus", "authplus.db");
    let right = Some("master pass");
    // A changed byte on page 3: page 1 opens, so the password is right and the file changed.
    let mut changed = plus.clone();
    changed[2 * 1024 + 100] ^= 1;
    assert_eq!(
        error(&changed, None, right).to_string(),
        "the file is damaged: page 3 of the database does not match its authentication code \
         although the password is right: the file was changed"
    );
    let cut = &plus[..plus.len() - 100];
    assert_eq!(
        error(cut, Some(ImportFormat::AuthenticatorPlusDb), right).to_string(),
        "the file is damaged: the database is 6044 bytes long, not a whole number of 1024-byte \
         pages: is it complete?"
    );
    // A whole page cut: every page left opens, but the tables point past the end.
    let short = &plus[..plus.len() - 1024];
    assert!(matches!(
        error(short, Some(ImportFormat::AuthenticatorPlusDb), right),
        ImportError::Damaged { .. }
    ));
    let backup = sample("totp-authenticator", "backup.txt");
    let text = String::from_utf8(backup).unwrap();
    let cut = &text[..text.trim_end().len() - 8];
    assert_eq!(
        error(
            cut.as_bytes(),
            Some(ImportFormat::TotpAuthenticatorEncrypted),
            Some("correct horse")
        )
        .to_string(),
        "the file is damaged: the backup is 570 bytes, not whole 16-byte AES blocks (was the file cut?)"
    );
    // No authentication code: a changed block reads as a wrong password.
    let mut bytes = text.into_bytes();
    bytes[40] = if bytes[40] == b'A' { b'B' } else { b'A' };
    assert!(matches!(
        error(
            &bytes,
            Some(ImportFormat::TotpAuthenticatorEncrypted),
            Some("correct horse")
        ),
        ImportError::WrongPassword {
            field: "the backup"
        }
    ));
}

#[test]
fn files_without_a_mark_are_recognised_only_when_nothing_else_claims_them() {
    // SQLCipher files are random bytes in whole pages: taken as Authenticator Plus.
    let random: Vec<u8> = (0..2048u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    assert!(std::str::from_utf8(&random).is_err());
    assert_eq!(
        detect_format(&random),
        Some(ImportFormat::AuthenticatorPlusDb)
    );
    // Also when the salt begins with whitespace or like JSON.
    for start in [b" \n{".as_slice(), b"[", b"<"] {
        let mut salted = random.clone();
        salted[..start.len()].copy_from_slice(start);
        assert_eq!(
            detect_format(&salted),
            Some(ImportFormat::AuthenticatorPlusDb)
        );
    }
    // Not when they are not whole pages, and never over a format with a mark of its own.
    assert_eq!(detect_format(&random[..2000]), None);
    let mut stratum = b"AUTHENTICATORPRO".to_vec();
    stratum.extend_from_slice(&random[16..]);
    assert!(matches!(
        parse_import(&stratum, None, None),
        Err(ImportError::PasswordNeeded {
            format: "an encrypted Stratum backup"
        })
    ));
    // Base64 text is a TOTP Authenticator backup only when it decodes to whole AES blocks
    // (26 bytes, then 32).
    assert_eq!(detect_format(b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo="), None);
    assert_eq!(
        detect_format(b"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY="),
        Some(ImportFormat::TotpAuthenticatorEncrypted)
    );
    // A SQLite database without either app's table.
    let mut other = sample("google-authenticator-db", "databases");
    let at = other.windows(8).position(|w| w == b"accounts").unwrap();
    other[at..at + 8].copy_from_slice(b"accounty");
    assert_eq!(
        parse_import(&other, None, None).unwrap_err().to_string(),
        "the file is not a format Tessera can import (it is a SQLite database without the \
         `accounts` table of Google or Microsoft Authenticator)"
    );
}

#[test]
fn damaged_databases_are_refused_naming_the_page() {
    let db = sample("google-authenticator-db", "databases");
    let format = Some(ImportFormat::GoogleAuthenticatorDb);
    let cut = &db[..db.len() - 1024];
    assert_eq!(
        error(cut, format, None).to_string(),
        "the file is damaged: the database points to page 9, which it does not have (is it complete?)"
    );
    let mut header = db.clone();
    header[16..18].copy_from_slice(&[0, 100]);
    assert_eq!(
        error(&header, format, None).to_string(),
        "the file is damaged: the database header gives a page size SQLite does not use"
    );
    // A page that points back to itself loops.
    let mut looped = db.clone();
    let first_interior = (2..=9)
        .find(|page| db[(page - 1) * 1024] == 5)
        .expect("an interior page");
    looped[(first_interior - 1) * 1024 + 8..(first_interior - 1) * 1024 + 12]
        .copy_from_slice(&(first_interior as u32).to_be_bytes());
    assert!(
        error(&looped, format, None)
            .to_string()
            .contains("twice: its pages loop"),
        "{}",
        error(&looped, format, None)
    );
    let microsoft = sample("microsoft-authenticator-db", "PhoneFactor");
    assert_eq!(
        error(&microsoft, format, None).to_string(),
        "the file does not look like a Google Authenticator database: it has no `accounts` table \
         with `email` and `secret` columns"
    );
}

#[test]
fn preference_files_without_their_keys_are_refused() {
    let empty = b"<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map />\n";
    for (format, message) in [
        (
            ImportFormat::BattleNetXml,
            "the file does not look like a Battle.net authenticator file: it has neither \
             `com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET` nor `com.blizzard.bma.AUTH_STORE.HASH`",
        ),
        (
            ImportFormat::TotpAuthenticatorXml,
            "the file does not look like a TOTP Authenticator preferences file: it has no \
             `STATIC_TOTP_CODES_LIST` preference",
        ),
        (
            ImportFormat::FreeOtpXml,
            "the file does not look like a FreeOTP or FreeOTP+ token file: it has no `tokenOrder` preference",
        ),
    ] {
        assert_eq!(error(empty, Some(format), None).to_string(), message);
    }
    let bad = "<map><string name=\"com.blizzard.messenger.AUTHENTICATOR_DEVICE_SECRET\">zz</string></map>";
    let report = parse_import(bad.as_bytes(), None, None).unwrap();
    assert!(report.entries.is_empty());
    assert_eq!(report.skipped[0].reason, "the secret is not hexadecimal");
}

#[test]
fn no_secret_appears_in_debug_output() {
    let report: ImportReport = parse_import(&sample("duo", "accounts.json"), None, None).unwrap();
    let secret = "otpSecret";
    let json: serde_json::Value = serde_json::from_slice(&sample("duo", "accounts.json")).unwrap();
    let base32 = json[0]["otpGenerator"][secret].as_str().unwrap();
    assert!(!format!("{report:?}").contains(base32));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    /// The SQLite reader never panics, loops or over-reads on a damaged database: bytes changed
    /// anywhere in a real one (header, b-tree pages, overflow chain, records) and cut anywhere.
    #[test]
    fn mangled_databases_never_panic(
        changes in proptest::collection::vec((0usize..9216, proptest::prelude::any::<u8>()), 1..8),
        cut in 0usize..9216,
    ) {
        let mut db = sample("google-authenticator-db", "databases");
        for (at, byte) in changes {
            db[at] = byte;
        }
        let _ = parse_import(&db, Some(ImportFormat::GoogleAuthenticatorDb), None);
        let _ = parse_import(&db, Some(ImportFormat::MicrosoftAuthenticatorDb), None);
        db.truncate(cut.max(1024));
        let _ = parse_import(&db, None, None);
    }
}
