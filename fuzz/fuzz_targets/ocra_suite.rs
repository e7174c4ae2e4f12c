//! OCRA suites: parsing never panics, and an accepted suite prints back to text that parses
//! to the same suite.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::codes::OcraSuite;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(suite) = text.parse::<OcraSuite>() {
        let again: OcraSuite = suite
            .to_string()
            .parse()
            .expect("invariant: printed suites parse");
        assert_eq!(again, suite);
    }
});
