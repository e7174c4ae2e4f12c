//! tessera-server's configuration file: any text parses or is refused with a message, never a
//! panic; and an accepted file has no zero rate limit.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(config) = tessera_server::config::parse(text) {
        if let Some(limit) = config.rate_limit {
            assert_ne!(limit.per_second, Some(0));
            assert_ne!(limit.burst, Some(0));
        }
    }
});
