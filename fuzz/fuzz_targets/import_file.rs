//! Export files of other authenticators, as `parse_import` reads them (detected, and as each
//! JSON and text format). Whatever imports must be something the session can add.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::transfer::{ImportFormat, detect_format, parse_import};

fuzz_target!(|data: &[u8]| {
    let detected = detect_format(data);
    if let Ok(report) = parse_import(data, None) {
        assert_eq!(report.format, detected);
        for entry in &report.entries {
            assert!(!entry.name.trim().is_empty());
            assert!(!entry.kind.secret().is_empty());
        }
    }
    for format in [
        ImportFormat::AegisPlain,
        ImportFormat::BitwardenCsv,
        ImportFormat::OtpauthList,
    ] {
        let _ = parse_import(data, Some(format));
    }
});
