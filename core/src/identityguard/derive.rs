//! The token's secret, derived from the three codes, and Tessera's registration-code rule.
//!
//! The derivation follows ../shared/spec/identityguard.md, "Secret derivation", steps 1-4, and is
//! checked against the public vector there. The registration rule is Tessera's own (the vendor's
//! is not public); see the module documentation of [`crate::identityguard`].

use pbkdf2::pbkdf2_hmac;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::error::IdentityGuardError;
use super::numbers::{ActivationCode, RegistrationCode, SerialNumber};
use crate::codes::TotpParams;
use crate::random::{RandomError, make_random_bytes};
use crate::{Algorithm, SecretBytes};

/// PBKDF2 iterations of the secret derivation (spec step 4).
const DERIVATION_ITERATIONS: u32 = 8;
/// Bytes of the derived secret (spec step 4).
const SECRET_BYTES: usize = 16;
/// Domain separation for Tessera's registration check, version 1.
const REGISTRATION_DOMAIN: &[u8] = b"tessera-registration-v1";
/// The check occupies the value's high bits; 15257 * 65536 + 65535 = 999,948,287 < 10^9, so any
/// check below this modulus keeps the value within 9 digits.
const REGISTRATION_CHECK_MODULUS: u16 = 15258;

/// Seconds per IdentityGuard security code.
pub const CODE_PERIOD_SECONDS: u32 = 30;

/// The TOTP parameters of an IdentityGuard identity: HMAC-SHA-256, 30-second step, and 6
/// digits by default or 8 where the deployment is configured so.
pub fn code_params(digits: u8) -> Result<TotpParams, IdentityGuardError> {
    match digits {
        6 | 8 => TotpParams::new(Algorithm::Sha256, digits, CODE_PERIOD_SECONDS)
            .map_err(|_| IdentityGuardError::BadDigits { found: digits }),
        found => Err(IdentityGuardError::BadDigits { found }),
    }
}

/// The token's shared secret for TOTP (HMAC-SHA256), as issuer and token both compute it.
///
/// `password = activation value (7 bytes, big-endian) || the registration code's 2 random bytes
/// || policy (UTF-8, exactly as received, only when `Some`)`, then
/// `secret = PBKDF2-HMAC-SHA256(password, salt = the serial's 10 ASCII digits, 8 iterations, 16
/// bytes)`. Any Luhn-valid registration code is accepted: the vendor's check rule is unknown, so
/// only its 2 random bytes are used. Whether the policy is included depends on the deployment;
/// an identity records which variant it uses.
pub fn derive_secret(
    serial: &SerialNumber,
    activation: &ActivationCode,
    registration: &RegistrationCode,
    policy: Option<&str>,
) -> SecretBytes {
    let policy = policy.unwrap_or_default().as_bytes();
    let mut password = Zeroizing::new(Vec::with_capacity(9 + policy.len()));
    let activation_value = Zeroizing::new(activation.value().to_be_bytes());
    // A 15-digit value is below 10^15 < 2^56, so the top byte of the u64 is zero.
    password.extend_from_slice(&activation_value[1..]);
    password.extend_from_slice(&random_bytes_of(registration));
    password.extend_from_slice(policy);

    let mut secret = vec![0u8; SECRET_BYTES];
    pbkdf2_hmac::<Sha256>(
        &password,
        serial.as_digits().as_bytes(),
        DERIVATION_ITERATIONS,
        &mut secret,
    );
    SecretBytes::new(secret)
}

/// A fresh registration code for `serial`: 2 random bytes from the operating system under
/// Tessera's check (see [`registration_code_from_random`]).
pub fn make_registration_code(serial: &SerialNumber) -> Result<RegistrationCode, RandomError> {
    let random: [u8; 2] = make_random_bytes()?;
    Ok(registration_code_from_random(serial, random))
}

/// The registration code carrying `random` for `serial` under Tessera's rule (deterministic core
/// of [`make_registration_code`]):
///
/// ```text
/// check16 = u16_be(SHA-256("tessera-registration-v1" || serial's 10 ASCII digits || random)[0..2])
///           mod 15258
/// value   = check16 * 65536 + u16_be(random)
/// code    = value as 9 zero-padded digits || their Luhn check digit
/// ```
pub fn registration_code_from_random(serial: &SerialNumber, random: [u8; 2]) -> RegistrationCode {
    let check16 = u32::from(registration_check(serial, random));
    let value = check16 * 65536 + u32::from(u16::from_be_bytes(random));
    RegistrationCode::from_value(value)
        .expect("invariant: check16 < 15258, so check16 * 65536 + 65535 < 10^9")
}

/// Checks, as Tessera's issuer does, that `code` was made for `serial` under Tessera's rule.
///
/// A code from the vendor's tokens (such as the spec's `12211-49352`) will not pass: their rule
/// is different and unknown. The check uses no secret; it catches typos Luhn misses and codes
/// typed against the wrong serial, with a false-accept chance of 1 in 15258.
pub fn check_registration_code(
    serial: &SerialNumber,
    code: &RegistrationCode,
) -> Result<(), IdentityGuardError> {
    let check16 = code.value() / 65536;
    if check16 == u32::from(registration_check(serial, random_bytes_of(code))) {
        Ok(())
    } else {
        Err(IdentityGuardError::RegistrationMismatch)
    }
}

/// The 2 random bytes a registration code carries: the low 16 bits of its 9-digit value.
fn random_bytes_of(code: &RegistrationCode) -> [u8; 2] {
    let [_, _, high, low] = code.value().to_be_bytes();
    [high, low]
}

fn registration_check(serial: &SerialNumber, random: [u8; 2]) -> u16 {
    let digest = Sha256::new()
        .chain_update(REGISTRATION_DOMAIN)
        .chain_update(serial.as_digits().as_bytes())
        .chain_update(random)
        .finalize();
    u16::from_be_bytes([digest[0], digest[1]]) % REGISTRATION_CHECK_MODULUS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_params_allow_six_or_eight_digits_of_sha256_every_30_seconds() {
        for digits in [6, 8] {
            let params = code_params(digits).unwrap();
            assert_eq!(
                (params.algorithm, params.digits, params.period),
                (Algorithm::Sha256, digits, 30)
            );
        }
        for digits in [0, 5, 7, 9] {
            let error = code_params(digits).unwrap_err();
            assert_eq!(
                error.to_string(),
                format!("an IdentityGuard security code has 6 or 8 digits, not {digits}")
            );
        }
    }

    fn spec_codes() -> (SerialNumber, ActivationCode, RegistrationCode) {
        (
            "48244-13456".parse().unwrap(),
            "1745-7712-6942-8698".parse().unwrap(),
            "12211-49352".parse().unwrap(),
        )
    }

    #[test]
    fn spec_vector_with_policy() {
        // ../shared/spec/identityguard.md, "Secret derivation", "Vector (public)".
        let (serial, activation, registration) = spec_codes();
        let policy = r#"{"allowUnsecured":"false","trustedExecution":"NOT_ALLOWED"}"#;
        let secret = derive_secret(&serial, &activation, &registration, Some(policy));
        assert_eq!(secret.to_hex().as_str(), "bb9b6d72ae99b006de5e106935ec96da");
    }

    #[test]
    fn policy_changes_the_secret() {
        let (serial, activation, registration) = spec_codes();
        let with = derive_secret(&serial, &activation, &registration, Some("{}"));
        let without = derive_secret(&serial, &activation, &registration, None);
        assert_ne!(with, without);
        assert_eq!(
            without,
            derive_secret(&serial, &activation, &registration, Some(""))
        );
    }

    #[test]
    fn the_largest_check_still_fits_nine_digits() {
        let largest = u32::from(REGISTRATION_CHECK_MODULUS - 1) * 65536 + 0xFFFF;
        assert_eq!(largest, 999_948_287);
        assert!(largest < 1_000_000_000);
    }

    #[test]
    fn every_random_pair_round_trips_for_one_serial() {
        let (serial, ..) = spec_codes();
        for random in [[0, 0], [0, 1], [0x12, 0x34], [0xFF, 0xFF], [0x80, 0x00]] {
            let code = registration_code_from_random(&serial, random);
            assert_eq!(random_bytes_of(&code), random);
            assert_eq!(check_registration_code(&serial, &code), Ok(()));
            let reparsed: RegistrationCode = code.to_string().parse().unwrap();
            assert_eq!(reparsed, code);
        }
    }

    #[test]
    fn typos_luhn_misses_are_caught_by_our_rule() {
        // Every adjacent swap and every change of two digits that Luhn still accepts.
        let (serial, ..) = spec_codes();
        let code = registration_code_from_random(&serial, [0x12, 0x34]);
        let digits = code.as_digits().as_bytes();
        let mut variants = Vec::new();
        for i in 0..digits.len() {
            if i + 1 < digits.len() {
                let mut swapped = digits.to_vec();
                swapped.swap(i, i + 1);
                variants.push(swapped);
            }
            for j in i + 1..digits.len() {
                for (a, b) in (b'0'..=b'9').flat_map(|a| (b'0'..=b'9').map(move |b| (a, b))) {
                    let mut changed = digits.to_vec();
                    changed[i] = a;
                    changed[j] = b;
                    variants.push(changed);
                }
            }
        }
        let mut luhn_accepted = 0;
        for variant in variants.into_iter().filter(|v| v.as_slice() != digits) {
            let text = String::from_utf8(variant).unwrap();
            if let Ok(typo) = text.parse::<RegistrationCode>() {
                luhn_accepted += 1;
                assert!(check_registration_code(&serial, &typo).is_err(), "{text}");
            }
        }
        assert!(luhn_accepted > 300, "{luhn_accepted}");
    }

    #[test]
    fn spec_registration_code_fails_our_rule() {
        let (serial, ..) = spec_codes();
        let vendor: RegistrationCode = "12211-49352".parse().unwrap();
        assert_eq!(
            check_registration_code(&serial, &vendor),
            Err(IdentityGuardError::RegistrationMismatch)
        );
    }
}
