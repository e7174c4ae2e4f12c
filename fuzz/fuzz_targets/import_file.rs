//! Export files of other authenticators, as `parse_import` reads them: detected, with and
//! without a password (so encrypted Aegis, 2FAS, andOTP, Stratum, Bitwarden and Authy files, and
//! Authy Android stores whose secrets are still sealed,
//! reach their field checks, scrypt, PBKDF2 and Argon2id bounds, AES-GCM and AES-CBC), and as
//! each JSON, text, XML and binary format, named (an old andOTP backup is only read when
//! named). Whatever imports must be something the session can add.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::transfer::{ImportFormat, Password, detect_format, parse_import};

fuzz_target!(|data: &[u8]| {
    let detected = detect_format(data);
    let password = Password::new("test".to_string());
    for password in [None, Some(&password)] {
        if let Ok(report) = parse_import(data, None, password) {
            assert_eq!(report.format, detected);
            for entry in &report.entries {
                assert!(!entry.name.trim().is_empty());
                assert!(!entry.kind.secret().is_empty());
            }
        }
    }
    for format in [
        ImportFormat::AegisPlain,
        ImportFormat::TwoFasEncrypted,
        ImportFormat::AuthyXml,
        ImportFormat::BitwardenCsv,
        ImportFormat::OtpauthList,
        ImportFormat::AndOtpEncrypted,
        ImportFormat::StratumEncrypted,
        ImportFormat::BitwardenEncrypted,
        ImportFormat::AuthyEncrypted,
        ImportFormat::SteamMaFile,
        ImportFormat::FreeOtpXml,
        ImportFormat::FreeOtpBackup,
        ImportFormat::SteamMaFolder,
    ] {
        let _ = parse_import(data, Some(format), Some(&password));
    }
});
