//! tessera-server's Self Service form bodies and query strings (`web::forms::parse_all`: every
//! form as the pages read it) and the Cookie header's parser: any bytes, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let parsed = tessera_server::web::forms::parse_all(data);
    assert!(parsed <= 11);
    if let Ok(header) = std::str::from_utf8(data) {
        if let Some(value) = tessera_server::web::cookie_in(header, "tessera_session") {
            assert!(header.contains(value));
        }
    }
});
