//! otpauth:// parsing must never panic, and whatever it accepts must survive emit + parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::provisioning::otpauth::parse_otpauth;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = parse_otpauth(text) {
        let again = parse_otpauth(&parsed.otp.to_uri()).expect("invariant: emitted URIs parse");
        assert_eq!(again.otp.secret, parsed.otp.secret);
        assert_eq!(again.otp.account, parsed.otp.account);
        assert_eq!(again.otp.issuer, parsed.otp.issuer);
    }
});
