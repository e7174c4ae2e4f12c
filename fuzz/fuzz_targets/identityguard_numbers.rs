//! Serial numbers, activation codes and registration codes typed by people.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::identityguard::{ActivationCode, RegistrationCode, SerialNumber};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(serial) = text.parse::<SerialNumber>() {
        assert_eq!(
            serial.to_string().parse::<SerialNumber>().ok(),
            Some(serial)
        );
    }
    let _ = text.parse::<ActivationCode>();
    let _ = text.parse::<RegistrationCode>();
});
