//! Google Authenticator export links: `decode_migration_link` on any text, and as a file of
//! links through `parse_import`. Whatever decodes must re-read the same way, and every
//! account either becomes an entry with a name and a secret or is skipped with a reason.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::transfer::google::decode_migration_link;
use tessera_core::transfer::{ImportFormat, parse_import};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for uri in [
        text.to_string(),
        format!("otpauth-migration://offline?data={text}"),
    ] {
        if let Ok(batch) = decode_migration_link(&uri) {
            assert_eq!(decode_migration_link(&uri), Ok(batch.clone()));
            for account in &batch.accounts {
                if let Ok(entry) = account.to_entry() {
                    assert!(!entry.name.trim().is_empty());
                    assert!(!entry.kind.secret().is_empty());
                }
            }
        }
        if let Ok(report) = parse_import(uri.as_bytes(), Some(ImportFormat::GoogleMigration), None)
        {
            for entry in &report.entries {
                assert!(!entry.name.trim().is_empty());
            }
        }
    }
});
