//! tessera-server's request bodies: any bytes, read as each request type of the API the way
//! the handlers read them, never panic, and every refusal is a 4xx naming no more than a field.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for result in tessera_server::http::parse_requests(data) {
        if let Err(error) = result {
            assert!(error.status().is_client_error(), "{error:?}");
        }
    }
});
