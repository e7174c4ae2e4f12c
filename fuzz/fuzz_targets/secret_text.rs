//! Secrets typed or pasted as base32 or hex.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::SecretBytes;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(secret) = SecretBytes::parse(text) {
        let again = SecretBytes::from_base32(&secret.to_base32())
            .expect("invariant: emitted base32 parses");
        assert_eq!(again, secret);
    }
});
