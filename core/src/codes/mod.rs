//! Every code the token computes: HOTP, TOTP, Steam Guard, OCRA, and how a code is shown.
//!
//! All functions here are pure: they take the time or counter as an argument, so RFC vectors
//! test them directly and callers stay honest about clocks.

use std::fmt;
use std::str::FromStr;

pub mod display;
pub mod hotp;
pub mod ocra;
pub mod steam;
pub mod totp;

pub use display::{TimeWindow, group_code, time_window};
pub use hotp::hotp;
pub use ocra::{OcraError, OcraInput, OcraPin, OcraSuite, OcraSuiteError, QuestionFormat, ocra};
pub use steam::{STEAM_ALPHABET, STEAM_PERIOD_SECONDS, steam_code};
pub use totp::{TotpParams, totp};

/// Why an HOTP, TOTP or Steam code could not be computed, or a time window not worked out.
///
/// Messages name the value that is wrong and what is accepted; they never include the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// HOTP and TOTP codes have 6, 7 or 8 digits (RFC 4226 section 5.3).
    #[error("the number of digits must be 6, 7 or 8, not {digits}")]
    BadDigits {
        /// The number of digits asked for.
        digits: u8,
    },
    /// A TOTP period outside 1..=300 seconds.
    #[error("the period must be between 1 and 300 seconds, not {period}")]
    BadPeriod {
        /// The period asked for, in seconds.
        period: u32,
    },
    /// A time window of zero seconds was asked for; time cannot be divided into such steps.
    #[error("the period must be at least 1 second, not 0")]
    ZeroPeriod,
    /// The secret has no bytes: every code it gave would be predictable by anyone.
    #[error("the secret is empty")]
    EmptySecret,
}

/// The HMAC hash an OTP is computed with.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum Algorithm {
    /// HMAC-SHA-1, the default of RFC 4226 and of most authenticators.
    #[default]
    Sha1,
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

impl Algorithm {
    /// The name as otpauth:// URIs and OCRA suites write it ("SHA1", "SHA256", "SHA512").
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Text that names no algorithm Tessera supports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the algorithm must be SHA1, SHA256 or SHA512")]
pub struct UnknownAlgorithm;

impl FromStr for Algorithm {
    type Err = UnknownAlgorithm;

    /// Accepts "SHA1", "sha-256", "HmacSHA512" and similar spellings other apps export.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let upper = text.trim().to_ascii_uppercase().replace('-', "");
        match upper.strip_prefix("HMAC").unwrap_or(&upper) {
            "SHA1" => Ok(Algorithm::Sha1),
            "SHA256" => Ok(Algorithm::Sha256),
            "SHA512" => Ok(Algorithm::Sha512),
            _ => Err(UnknownAlgorithm),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithm_names_parse_in_common_spellings() {
        for (text, algorithm) in [
            ("SHA1", Algorithm::Sha1),
            ("sha1", Algorithm::Sha1),
            ("SHA-256", Algorithm::Sha256),
            ("HmacSHA512", Algorithm::Sha512),
        ] {
            assert_eq!(text.parse::<Algorithm>(), Ok(algorithm), "{text}");
        }
        assert_eq!("MD5".parse::<Algorithm>(), Err(UnknownAlgorithm));
        assert_eq!("".parse::<Algorithm>(), Err(UnknownAlgorithm));
    }
}
