//! Helpers shared by the session tests: a fresh folder per test, sessions on a fixed clock,
//! the vector files, and a small in-test issuer that computes what the organisation would
//! (secrets, codes and unlock codes) from the activation data and what the token showed.
//!
//! Nothing here computes an expectation with the code under test's session or flow: the issuer
//! uses the public issuer-side functions (`identityguard::derive_secret`, `codes::totp`,
//! `vault::derive_unlock_code`), which have their own vector tests.

#![allow(dead_code)]

pub mod interop;
pub mod vault_doc;

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;
use tempfile::TempDir;
use tessera_core::SecretBytes;
use tessera_core::codes;
use tessera_core::flow::{ActivationInput, AddIdentityFlow, FlowStep};
use tessera_core::identity::IdentitySummary;
use tessera_core::identityguard::{
    ActivationCode, RegistrationCode, SerialNumber, code_params, derive_secret,
};
use tessera_core::session::{FixedClock, Session};
use tessera_core::vault::{KdfParams, VaultOptions, derive_unlock_code};

/// The PIN most tests set.
pub const PIN: &str = "4739";
/// A second acceptable PIN.
pub const NEW_PIN: &str = "8264";
/// A PIN that is never the right one.
pub const WRONG_PIN: &str = "0852";
/// The fixed time most tests run at (2023-11-14T22:13:20Z).
pub const T: u64 = 1_700_000_000;

/// The spec's serial number and activation code.
pub const SPEC_SERIAL: &str = "48244-13456";
pub const SPEC_ACTIVATION: &str = "1745-7712-6942-8698";
pub const SPEC_POLICY: &str = "{\"allowUnsecured\":\"false\",\"trustedExecution\":\"NOT_ALLOWED\"}";

/// The fast KDF floor and the default lockout.
pub fn options() -> VaultOptions {
    VaultOptions {
        kdf: KdfParams::MINIMUM,
        max_pin_attempts: 5,
    }
}

/// A fresh, empty folder, removed when dropped.
pub fn folder() -> TempDir {
    tempfile::Builder::new()
        .prefix("tessera-session-")
        .tempdir()
        .expect("a temporary folder")
}

/// A session over `dir` whose clock says `now`.
pub fn session_at(dir: &Path, now: u64) -> Arc<Session> {
    Arc::new(Session::new(
        dir,
        Arc::new(FixedClock(now)),
        None,
        options(),
    ))
}

/// A session over `dir` at [`T`].
pub fn session(dir: &Path) -> Arc<Session> {
    session_at(dir, T)
}

/// Names of the files in `dir`.
pub fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("the folder is readable")
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

// --- vectors --------------------------------------------------------------------------------

pub fn vector_file(name: &str) -> Value {
    let path = format!("{}/../tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn text<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is a string in {value}"))
}

pub fn optional(value: &Value, key: &str) -> Option<String> {
    value[key].as_str().map(str::to_owned)
}

pub fn number(value: &Value, key: &str) -> u64 {
    value[key]
        .as_u64()
        .unwrap_or_else(|| panic!("{key} is a number in {value}"))
}

/// The activation-link fixtures of tests/vectors/identityguard.json.
pub fn ig_links() -> Vec<Value> {
    vector_file("identityguard.json")["links"]
        .as_array()
        .expect("links is an array")
        .clone()
}

/// RFC 4226 Appendix D: (counter, expected 6-digit HOTP) for the ASCII secret
/// "12345678901234567890".
pub fn rfc4226_codes() -> Vec<(u64, String)> {
    vector_file("rfc4226-hotp.json")["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| (number(case, "counter"), text(case, "expected").to_string()))
        .collect()
}

/// RFC 6238 Appendix B rows for one algorithm: (secret hex, time, expected 8-digit code).
pub fn rfc6238_rows(algorithm: &str) -> Vec<(String, u64, String)> {
    vector_file("rfc6238-totp.json")["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|case| text(case, "algorithm") == algorithm)
        .map(|case| {
            (
                text(case, "secret_hex").to_string(),
                number(case, "time"),
                text(case, "expected").to_string(),
            )
        })
        .collect()
}

/// Base32 (unpadded) of hex, written out independently of `SecretBytes`.
pub fn base32_of_hex(hex: &str) -> String {
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

/// An otpauth:// TOTP link with 8 digits for one RFC 6238 row's seed.
pub fn rfc6238_link(account: &str, algorithm: &str, secret_hex: &str) -> String {
    format!(
        "otpauth://totp/RFC:{account}?secret={}&issuer=RFC&algorithm={algorithm}&digits=8&period=30",
        base32_of_hex(secret_hex)
    )
}

/// The RFC 4226 secret ("12345678901234567890") as an otpauth:// HOTP link at counter 0.
pub const HOTP_LINK: &str = "otpauth://hotp/Example:counter?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&counter=0";

/// The Steam account KeePassXC recorded codes for (tests/TestTotp.cpp, testSteamTotp): at
/// 1511200518 the Steam app showed FR8RV, at 1511200714 9P3VP.
pub const STEAM_LINK: &str =
    "otpauth://steam/Steam:gaben?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&issuer=Steam";

/// A Luhn check digit, written out here from the spec ("mod 10 over the other digits"), so
/// serial numbers and activation codes for extra identities do not come from the code under
/// test.
pub fn with_luhn(digits: &str) -> String {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

// --- the issuer -----------------------------------------------------------------------------

/// What the organisation knows about one IdentityGuard identity: the activation data it
/// handed out. With the registration code the token showed, it computes the secret, codes and
/// unlock codes as the issuer's service would.
#[derive(Clone)]
pub struct IgIssuer {
    pub serial: String,
    pub activation: String,
    pub policy: Option<String>,
}

impl IgIssuer {
    /// The spec's activation data, without a policy.
    pub fn spec() -> Self {
        Self {
            serial: SPEC_SERIAL.into(),
            activation: SPEC_ACTIVATION.into(),
            policy: None,
        }
    }

    /// Another identity: serial `9 digits + check`, activation `15 digits + check`.
    pub fn numbered(serial9: &str, activation15: &str) -> Self {
        assert_eq!((serial9.len(), activation15.len()), (9, 15));
        Self {
            serial: with_luhn(serial9),
            activation: with_luhn(activation15),
            policy: None,
        }
    }

    /// What a person types to add this identity.
    pub fn input(&self, address: Option<&str>) -> ActivationInput {
        ActivationInput {
            serial: self.serial.clone(),
            activation: self.activation.clone(),
            address: address.map(str::to_string),
            ..ActivationInput::default()
        }
    }

    /// The secret, for the registration code the token showed, with or without the policy.
    pub fn secret(&self, registration: &str, with_policy: bool) -> SecretBytes {
        let serial: SerialNumber = self.serial.parse().unwrap();
        let activation: ActivationCode = self.activation.parse().unwrap();
        let registration: RegistrationCode = registration.parse().unwrap();
        let policy = if with_policy {
            Some(self.policy.as_deref().expect("the issuer has a policy"))
        } else {
            None
        };
        derive_secret(&serial, &activation, &registration, policy)
    }

    /// The 6-digit code at `t`.
    pub fn code(&self, registration: &str, with_policy: bool, t: u64) -> String {
        let params = code_params(6).unwrap();
        codes::totp(&self.secret(registration, with_policy), &params, t).unwrap()
    }

    /// The unlock code answering `reset_code`.
    pub fn unlock_code(&self, registration: &str, with_policy: bool, reset_code: &str) -> String {
        derive_unlock_code(&self.secret(registration, with_policy), reset_code)
            .unwrap()
            .to_string()
    }
}

/// The registration code a `ShowRegistrationCode` state shows.
pub fn shown_registration(state: &FlowStep) -> String {
    match state {
        FlowStep::ShowRegistrationCode {
            registration_code, ..
        } => registration_code.clone(),
        other => panic!("expected the registration code, got {other:?}"),
    }
}

/// The identity a `Done` state carries.
pub fn done(state: FlowStep) -> IdentitySummary {
    match state {
        FlowStep::Done { identity, .. } => identity,
        other => panic!("expected Done, got {other:?}"),
    }
}

// --- walking the flow -----------------------------------------------------------------------

/// Sets up a new token in `session`'s folder with `issuer`'s identity and [`PIN`]; returns the
/// identity and the registration code shown.
pub fn new_token_with_ig(
    session: &Arc<Session>,
    issuer: &IgIssuer,
    address: Option<&str>,
) -> (IdentitySummary, String) {
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    assert_eq!(
        flow.enter_activation(&issuer.input(address)).unwrap(),
        FlowStep::NeedsPin
    );
    assert_eq!(flow.set_pin(PIN).unwrap(), FlowStep::ConfirmPin);
    let registration = shown_registration(&flow.confirm_pin(PIN).unwrap());
    (done(flow.finish().unwrap()), registration)
}

/// Adds `issuer`'s identity to the unlocked token; returns it and the registration code shown.
pub fn add_ig(session: &Arc<Session>, issuer: &IgIssuer) -> (IdentitySummary, String) {
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let registration = shown_registration(&flow.enter_activation(&issuer.input(None)).unwrap());
    (done(flow.finish().unwrap()), registration)
}

/// Sets up a new token with an otpauth:// link and [`PIN`].
pub fn new_token_with_link(session: &Arc<Session>, link: &str) -> IdentitySummary {
    new_token_with_link_and_key(session, link).0
}

/// Sets up a new token with an otpauth:// link and [`PIN`]; also returns the recovery key the
/// flow showed once.
pub fn new_token_with_link_and_key(
    session: &Arc<Session>,
    link: &str,
) -> (IdentitySummary, String) {
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    assert_eq!(flow.enter_link(link).unwrap(), FlowStep::NeedsPin);
    assert_eq!(flow.set_pin(PIN).unwrap(), FlowStep::ConfirmPin);
    match flow.confirm_pin(PIN).unwrap() {
        FlowStep::Done {
            identity,
            recovery_key: Some(key),
            ..
        } => (identity, key),
        other => panic!("expected Done with a recovery key, got {other:?}"),
    }
}

/// Adds an otpauth:// link to the unlocked token.
pub fn add_link(session: &Arc<Session>, link: &str) -> IdentitySummary {
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    done(flow.enter_link(link).unwrap())
}

/// Locks and types [`WRONG_PIN`] `count` times.
pub fn wrong_pins(session: &Session, count: u32) {
    session.lock();
    for _ in 0..count {
        session.unlock(WRONG_PIN).unwrap_err();
    }
}
