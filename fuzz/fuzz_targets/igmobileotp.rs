//! igmobileotp:// links: any text, with the fixture password or one taken from the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::identityguard::open_activation_link;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = open_activation_link(text, "12345678");
    if let Some((password, uri)) = text.split_once('\n') {
        let _ = open_activation_link(uri, password);
    }
});
