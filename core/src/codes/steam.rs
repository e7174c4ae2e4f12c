//! Steam Guard codes: TOTP with HMAC-SHA1 and a 30-second period, but written as five characters
//! of Steam's 26-letter alphabet instead of decimal digits.
//!
//! The 31-bit dynamic-truncation value `v` (RFC 4226 section 5.3) gives the characters in order,
//! least significant first: five times, `alphabet[v % 26]`, then `v /= 26`. Computed by totp-rs's
//! `Algorithm::Steam`.

use super::CodeError;
use super::hotp::check_secret;
use crate::secret::SecretBytes;

/// The characters Steam Guard codes are written with (no vowels, no look-alikes).
pub const STEAM_ALPHABET: &str = "23456789BCDFGHJKMNPQRTVWXY";

/// Characters in a Steam Guard code.
pub const STEAM_CODE_LENGTH: u8 = 5;

/// Seconds each Steam Guard code lasts.
pub const STEAM_PERIOD_SECONDS: u32 = 30;

/// The Steam Guard code at `unix_time` (seconds since the epoch, UTC): five characters from
/// [`STEAM_ALPHABET`]. Fails only if the secret is empty.
pub fn steam_code(secret: &SecretBytes, unix_time: u64) -> Result<String, CodeError> {
    check_secret(secret)?;
    let generator = totp_rs::Builder::new()
        .with_algorithm(totp_rs::Algorithm::Steam)
        .with_digits(STEAM_CODE_LENGTH)
        .with_step_duration(u64::from(STEAM_PERIOD_SECONDS))
        .with_secret(secret.as_bytes())
        .build_noncompliant();
    Ok(generator.generate(unix_time).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::Algorithm;
    use crate::codes::hotp::{dynamic_truncation, hmac};

    /// Steam's encoding written out independently of totp-rs.
    fn by_hand(secret: &SecretBytes, unix_time: u64) -> String {
        let counter = unix_time / u64::from(STEAM_PERIOD_SECONDS);
        let mut value = dynamic_truncation(&hmac(
            Algorithm::Sha1,
            secret.as_bytes(),
            &counter.to_be_bytes(),
        ));
        let alphabet = STEAM_ALPHABET.as_bytes();
        let mut code = String::new();
        for _ in 0..STEAM_CODE_LENGTH {
            code.push(char::from(alphabet[(value % 26) as usize]));
            value /= 26;
        }
        code
    }

    #[test]
    fn matches_the_hand_computation() {
        let secret = SecretBytes::new(b"12345678901234567890".to_vec());
        for time in [
            0u64,
            29,
            30,
            59,
            1_111_111_109,
            1_700_000_000,
            20_000_000_000,
            u64::MAX,
        ] {
            let code = steam_code(&secret, time).unwrap();
            assert_eq!(code, by_hand(&secret, time), "time {time}");
            assert_eq!(code.len(), 5);
            assert!(code.chars().all(|c| STEAM_ALPHABET.contains(c)));
        }
    }

    #[test]
    fn alphabet_has_26_distinct_characters() {
        let mut chars: Vec<char> = STEAM_ALPHABET.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        assert_eq!(chars.len(), 26);
    }

    #[test]
    fn empty_secret_is_refused() {
        assert_eq!(
            steam_code(&SecretBytes::new(Vec::new()), 0),
            Err(CodeError::EmptySecret)
        );
    }
}
