//! PSKC files (RFC 6030) as `read_pskc` reads them: plain, and with a pre-shared AES-128 key
//! and a password, so mutated files reach the XML tree, the PBKDF2 bound, AES-CBC, the MAC
//! checks and each key package's fields. Whatever imports must be a key the token can use, and
//! the token's import must agree with the server's reading. Seed it with tests/formats/pskc.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::transfer::pskc::read_pskc;
use tessera_core::transfer::{ImportFormat, Password, parse_import};

fuzz_target!(|data: &[u8]| {
    let key = Password::new("000102030405060708090a0b0c0d0e0f".to_string());
    let password = Password::new("qwerty".to_string());
    for secret in [None, Some(&key), Some(&password)] {
        let read = read_pskc(data, secret);
        if let Ok(file) = &read {
            for (label, key) in &file.keys {
                assert!(!label.is_empty());
                assert!(!key.kind.secret().is_empty());
            }
        }
        let imported = parse_import(data, Some(ImportFormat::Pskc), secret);
        assert_eq!(read.is_ok(), imported.is_ok());
        if let (Ok(file), Ok(report)) = (read, imported) {
            assert_eq!(
                report.entries.len() + report.skipped.len(),
                file.keys.len() + file.skipped.len()
            );
        }
    }
});
