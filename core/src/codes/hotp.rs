//! HOTP, the counter-based one-time password of RFC 4226, and the pieces TOTP and OCRA share
//! with it: the HMAC over a chosen hash and the dynamic truncation of RFC 4226 section 5.3.
//!
//! Computed directly on RustCrypto's `hmac`, `sha1` and `sha2` (totp-rs has no HOTP).

use hmac::{Hmac, KeyInit, Mac};

use super::{Algorithm, CodeError};
use crate::secret::SecretBytes;

/// The fewest digits an HOTP or TOTP code may have (RFC 4226 section 5.3).
pub const MIN_DIGITS: u8 = 6;
/// The most digits an HOTP or TOTP code may have.
pub const MAX_DIGITS: u8 = 8;

/// The HOTP code for `counter`: `Truncate(HMAC-<algorithm>(secret, counter))` written with
/// `digits` decimal digits, zero-padded on the left (RFC 4226 section 5.3).
///
/// `digits` must be 6, 7 or 8 and the secret must not be empty.
pub fn hotp(
    secret: &SecretBytes,
    counter: u64,
    digits: u8,
    algorithm: Algorithm,
) -> Result<String, CodeError> {
    check_digits(digits)?;
    check_secret(secret)?;
    let mac = hmac(algorithm, secret.as_bytes(), &counter.to_be_bytes());
    Ok(truncate(&mac, digits))
}

/// Refuses a number of digits HOTP and TOTP do not allow.
pub(crate) fn check_digits(digits: u8) -> Result<(), CodeError> {
    if (MIN_DIGITS..=MAX_DIGITS).contains(&digits) {
        Ok(())
    } else {
        Err(CodeError::BadDigits { digits })
    }
}

/// Refuses an empty secret.
pub(crate) fn check_secret(secret: &SecretBytes) -> Result<(), CodeError> {
    if secret.is_empty() {
        Err(CodeError::EmptySecret)
    } else {
        Ok(())
    }
}

/// HMAC of `message` under `key` with the given hash. The output is 20, 32 or 64 bytes.
pub(crate) fn hmac(algorithm: Algorithm, key: &[u8], message: &[u8]) -> Vec<u8> {
    fn run<M: Mac + KeyInit>(key: &[u8], message: &[u8]) -> Vec<u8> {
        let mut mac = <M as KeyInit>::new_from_slice(key)
            .expect("invariant: HMAC accepts keys of any length");
        mac.update(message);
        mac.finalize().into_bytes().to_vec()
    }
    match algorithm {
        Algorithm::Sha1 => run::<Hmac<sha1::Sha1>>(key, message),
        Algorithm::Sha256 => run::<Hmac<sha2::Sha256>>(key, message),
        Algorithm::Sha512 => run::<Hmac<sha2::Sha512>>(key, message),
    }
}

/// The 31-bit dynamic truncation of RFC 4226 section 5.3: the low nibble of the last byte picks
/// an offset, and the four bytes there, read big-endian with the top bit cleared, are the value.
///
/// `mac` must be an HMAC output (at least 20 bytes).
pub(crate) fn dynamic_truncation(mac: &[u8]) -> u32 {
    let offset = usize::from(mac.last().copied().unwrap_or(0) & 0x0f);
    let bytes: [u8; 4] = mac
        .get(offset..offset + 4)
        .and_then(|window| window.try_into().ok())
        .expect("invariant: HMAC outputs are at least 20 bytes and offset + 4 <= 19");
    u32::from_be_bytes(bytes) & 0x7fff_ffff
}

/// A code of `digits` decimal digits from an HMAC output, zero-padded on the left.
///
/// `digits` 0 means no truncation, as RFC 6287 section 5.2 allows for OCRA: the whole HMAC is
/// returned as lower-case hex (40, 64 or 128 characters). With 10 digits the 31-bit value is
/// returned whole (it never exceeds 2147483647), zero-padded to 10.
pub(crate) fn truncate(mac: &[u8], digits: u8) -> String {
    if digits == 0 {
        return data_encoding::HEXLOWER.encode(mac);
    }
    let value = u64::from(dynamic_truncation(mac));
    let code = match 10u64.checked_pow(u32::from(digits)) {
        Some(modulus) => value % modulus,
        None => value,
    };
    format!("{code:0width$}", width = usize::from(digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc_secret() -> SecretBytes {
        SecretBytes::new(b"12345678901234567890".to_vec())
    }

    #[test]
    fn first_rfc4226_values() {
        // RFC 4226 Appendix D (the full table is in tests/rfc_vectors.rs).
        assert_eq!(
            hotp(&rfc_secret(), 0, 6, Algorithm::Sha1).unwrap(),
            "755224"
        );
        assert_eq!(
            hotp(&rfc_secret(), 9, 6, Algorithm::Sha1).unwrap(),
            "520489"
        );
    }

    #[test]
    fn dynamic_truncation_matches_rfc4226_section_5_4() {
        // The worked example of RFC 4226 section 5.4.
        let mac = data_encoding::HEXLOWER
            .decode(b"1f8698690e02ca16618550ef7f19da8e945b555a")
            .unwrap();
        assert_eq!(dynamic_truncation(&mac), 0x50ef7f19);
        assert_eq!(truncate(&mac, 6), "872921");
    }

    #[test]
    fn truncation_pads_and_handles_all_ocra_lengths() {
        let mac = data_encoding::HEXLOWER
            .decode(b"1f8698690e02ca16618550ef7f19da8e945b555a")
            .unwrap();
        // 0x50ef7f19 = 1357872921
        assert_eq!(truncate(&mac, 4), "2921");
        assert_eq!(truncate(&mac, 9), "357872921");
        assert_eq!(truncate(&mac, 10), "1357872921");
        assert_eq!(
            truncate(&mac, 0),
            "1f8698690e02ca16618550ef7f19da8e945b555a"
        );
        // A value with leading zeros keeps them.
        let mut small = vec![0u8; 20];
        small[3] = 7;
        assert_eq!(truncate(&small, 6), "000007");
        assert_eq!(truncate(&small, 10), "0000000007");
        // Digits past 10 cannot come from the API, but still give an answer, not a panic.
        assert_eq!(truncate(&small, 20), "00000000000000000007");
    }

    #[test]
    fn bad_digits_are_refused_with_a_reason() {
        for digits in [0, 5, 9, 10, 255] {
            let error = hotp(&rfc_secret(), 0, digits, Algorithm::Sha1).unwrap_err();
            assert_eq!(error, CodeError::BadDigits { digits });
        }
        assert_eq!(
            hotp(&rfc_secret(), 0, 9, Algorithm::Sha1)
                .unwrap_err()
                .to_string(),
            "the number of digits must be 6, 7 or 8, not 9"
        );
        for digits in 6..=8 {
            assert_eq!(
                hotp(&rfc_secret(), 0, digits, Algorithm::Sha1)
                    .unwrap()
                    .len(),
                digits as usize
            );
        }
    }

    #[test]
    fn empty_secret_is_refused() {
        let error = hotp(&SecretBytes::new(Vec::new()), 0, 6, Algorithm::Sha1).unwrap_err();
        assert_eq!(error, CodeError::EmptySecret);
        assert_eq!(error.to_string(), "the secret is empty");
    }

    #[test]
    fn hmac_output_lengths() {
        assert_eq!(hmac(Algorithm::Sha1, b"k", b"m").len(), 20);
        assert_eq!(hmac(Algorithm::Sha256, b"k", b"m").len(), 32);
        assert_eq!(hmac(Algorithm::Sha512, b"k", b"m").len(), 64);
        // Keys longer than a block are hashed, not refused.
        assert_eq!(hmac(Algorithm::Sha1, &[7u8; 1024], b"m").len(), 20);
    }
}
