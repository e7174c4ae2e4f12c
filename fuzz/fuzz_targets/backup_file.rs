//! Tessera backups: whatever the bytes, checking the framing never panics and never reserves
//! what a hostile header asks for; and whatever a decrypted payload holds, reading it never
//! panics and keeps only identities that can be restored. The same bytes feed both: the
//! framing (no key is ever derived, so each input is fast) and the payload reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::backup::{BackupContents, SealedBackup};

fuzz_target!(|data: &[u8]| {
    if let Ok(sealed) = SealedBackup::parse(data) {
        let _ = sealed.kdf();
    }
    if let Ok(contents) = BackupContents::from_payload(data) {
        for identity in &contents.identities {
            assert!(!identity.name.trim().is_empty());
            assert!(!identity.kind.secret().is_empty());
        }
        let _ = contents.items();
    }
});
