//! Export files of other authenticators, as `parse_import` reads them: detected, with and
//! without a password (so encrypted Aegis and 2FAS files reach their field checks, scrypt and
//! PBKDF2 bounds and AES-GCM), and as each JSON, text and XML format. Whatever imports must be
//! something the session can add.
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
    ] {
        let _ = parse_import(data, Some(format), Some(&password));
    }
});
