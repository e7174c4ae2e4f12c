//! Files taken from phone apps, as `parse_import` reads them: the input as each such format
//! (Android preferences of Battle.net, TOTP Authenticator and FreeOTP+, Duo's JSON, TOTP
//! Authenticator's encrypted backup with a fixed password) and, behind SQLite's 16-byte magic,
//! as the Google and Microsoft Authenticator databases, so the SQLite reader (header, b-tree
//! pages, overflow chains, records, the schema's CREATE TABLE) gets arbitrary pages. Authenticator
//! Plus is left out: each try would cost SQLCipher's 64,000 PBKDF2 iterations before the first
//! page's HMAC refuses it; what it decrypts to is read by the same SQLite reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::transfer::{ImportFormat, Password, parse_import};

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

fuzz_target!(|data: &[u8]| {
    let password = Password::new("test".to_string());
    for format in [
        ImportFormat::BattleNetXml,
        ImportFormat::DuoJson,
        ImportFormat::TotpAuthenticatorEncrypted,
        ImportFormat::TotpAuthenticatorXml,
        ImportFormat::FreeOtpXml,
    ] {
        check(data, format, &password);
    }
    let mut database = SQLITE_MAGIC.to_vec();
    database.extend_from_slice(data);
    for format in [
        ImportFormat::GoogleAuthenticatorDb,
        ImportFormat::MicrosoftAuthenticatorDb,
    ] {
        check(&database, format, &password);
    }
});

fn check(data: &[u8], format: ImportFormat, password: &Password) {
    if let Ok(report) = parse_import(data, Some(format), Some(password)) {
        assert_eq!(report.format, Some(format));
        for entry in &report.entries {
            assert!(!entry.name.trim().is_empty());
            assert!(!entry.kind.secret().is_empty());
        }
    }
}
