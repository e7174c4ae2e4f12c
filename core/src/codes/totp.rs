//! TOTP, the time-based one-time password of RFC 6238: HOTP over the number of whole periods
//! since the Unix epoch.
//!
//! The code itself is computed by totp-rs, after Tessera has checked the parameters itself. We
//! call totp-rs's `build_noncompliant()` because its `build()` refuses secrets shorter than
//! 128 bits, which many real services still issue (80-bit secrets are common); digits and period
//! are validated here instead, so totp-rs never sees a value that could make it panic. The totp-rs
//! objects live only inside [`totp`]; they are never formatted (their `Display` and `Debug` are
//! not ours to vouch for).

use super::hotp::{check_digits, check_secret};
use super::{Algorithm, CodeError};
use crate::secret::SecretBytes;

/// The longest period accepted, in seconds.
pub const MAX_PERIOD_SECONDS: u32 = 300;

/// How a TOTP code is computed: hash, number of digits and period.
///
/// Build it with [`TotpParams::new`], which checks the values. The fields are public for
/// reading and for struct literals, so [`totp`] checks them again; deserializing checks them too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "UncheckedTotpParams")]
pub struct TotpParams {
    /// The HMAC hash.
    pub algorithm: Algorithm,
    /// Digits in a code: 6, 7 or 8.
    pub digits: u8,
    /// Seconds each code lasts: 1 to 300.
    pub period: u32,
}

impl TotpParams {
    /// Checks and gathers TOTP parameters: `digits` must be 6, 7 or 8 and `period` 1 to 300
    /// seconds.
    pub fn new(algorithm: Algorithm, digits: u8, period: u32) -> Result<Self, CodeError> {
        check_digits(digits)?;
        if !(1..=MAX_PERIOD_SECONDS).contains(&period) {
            return Err(CodeError::BadPeriod { period });
        }
        Ok(Self {
            algorithm,
            digits,
            period,
        })
    }
}

impl Default for TotpParams {
    /// SHA1, 6 digits, 30 seconds: what an otpauth:// URI means when it says nothing.
    fn default() -> Self {
        Self {
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 30,
        }
    }
}

/// The serialized form, before its values are checked.
#[derive(serde::Deserialize)]
struct UncheckedTotpParams {
    algorithm: Algorithm,
    digits: u8,
    period: u32,
}

impl TryFrom<UncheckedTotpParams> for TotpParams {
    type Error = CodeError;

    fn try_from(raw: UncheckedTotpParams) -> Result<Self, Self::Error> {
        Self::new(raw.algorithm, raw.digits, raw.period)
    }
}

/// The TOTP code at `unix_time` (seconds since the epoch, UTC; 64-bit, so times past 2106 work):
/// HOTP with counter `floor(unix_time / period)` (RFC 6238 section 4, T0 = 0).
///
/// Fails if the parameters are out of range (they are checked again here because the fields
/// are public) or the secret is empty.
pub fn totp(
    secret: &SecretBytes,
    params: &TotpParams,
    unix_time: u64,
) -> Result<String, CodeError> {
    let params = TotpParams::new(params.algorithm, params.digits, params.period)?;
    check_secret(secret)?;
    let generator = totp_rs::Builder::new()
        .with_algorithm(totp_rs_algorithm(params.algorithm))
        .with_digits(params.digits)
        .with_step_duration(u64::from(params.period))
        .with_secret(secret.as_bytes())
        .build_noncompliant();
    Ok(generator.generate(unix_time).to_string())
}

fn totp_rs_algorithm(algorithm: Algorithm) -> totp_rs::Algorithm {
    match algorithm {
        Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
        Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
        Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::hotp::hotp;

    fn rfc_secret() -> SecretBytes {
        SecretBytes::new(b"12345678901234567890".to_vec())
    }

    #[test]
    fn default_is_sha1_six_digits_thirty_seconds() {
        let params = TotpParams::default();
        assert_eq!(params, TotpParams::new(Algorithm::Sha1, 6, 30).unwrap());
    }

    #[test]
    fn first_rfc6238_value_and_64_bit_time() {
        // RFC 6238 Appendix B (the full table is in tests/rfc_vectors.rs).
        let params = TotpParams::new(Algorithm::Sha1, 8, 30).unwrap();
        assert_eq!(totp(&rfc_secret(), &params, 59).unwrap(), "94287082");
        assert_eq!(
            totp(&rfc_secret(), &params, 20_000_000_000).unwrap(),
            "65353130"
        );
        // The far future does not overflow.
        assert_eq!(totp(&rfc_secret(), &params, u64::MAX).unwrap().len(), 8);
    }

    #[test]
    fn totp_is_hotp_of_the_period_count() {
        for algorithm in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            for (digits, period, time) in [
                (6, 30, 1_700_000_000u64),
                (7, 60, 12_345),
                (8, 1, 99),
                (6, 300, 0),
            ] {
                let params = TotpParams::new(algorithm, digits, period).unwrap();
                let expected =
                    hotp(&rfc_secret(), time / u64::from(period), digits, algorithm).unwrap();
                assert_eq!(totp(&rfc_secret(), &params, time).unwrap(), expected);
            }
        }
    }

    #[test]
    fn a_short_secret_is_accepted() {
        // 80-bit secrets are common in the wild; totp-rs's strict build() would refuse them.
        let secret = SecretBytes::new(vec![0x55; 10]);
        let params = TotpParams::default();
        let expected = hotp(&secret, 1, 6, Algorithm::Sha1).unwrap();
        assert_eq!(totp(&secret, &params, 30).unwrap(), expected);
    }

    #[test]
    fn bad_parameters_are_refused_with_a_reason() {
        assert_eq!(
            TotpParams::new(Algorithm::Sha1, 9, 30),
            Err(CodeError::BadDigits { digits: 9 })
        );
        assert_eq!(
            TotpParams::new(Algorithm::Sha1, 5, 30),
            Err(CodeError::BadDigits { digits: 5 })
        );
        assert_eq!(
            TotpParams::new(Algorithm::Sha1, 6, 0),
            Err(CodeError::BadPeriod { period: 0 })
        );
        assert_eq!(
            TotpParams::new(Algorithm::Sha1, 6, 301),
            Err(CodeError::BadPeriod { period: 301 })
        );
        assert_eq!(
            CodeError::BadPeriod { period: 0 }.to_string(),
            "the period must be between 1 and 300 seconds, not 0"
        );
        assert!(TotpParams::new(Algorithm::Sha1, 6, 1).is_ok());
        assert!(TotpParams::new(Algorithm::Sha1, 6, 300).is_ok());
    }

    #[test]
    fn struct_literals_are_checked_too() {
        // Digits 10 or a period of 0 would make totp-rs panic; they must come back as errors.
        let secret = rfc_secret();
        let too_many = TotpParams {
            algorithm: Algorithm::Sha1,
            digits: 10,
            period: 30,
        };
        assert_eq!(
            totp(&secret, &too_many, 0),
            Err(CodeError::BadDigits { digits: 10 })
        );
        let no_period = TotpParams {
            algorithm: Algorithm::Sha1,
            digits: 6,
            period: 0,
        };
        assert_eq!(
            totp(&secret, &no_period, 0),
            Err(CodeError::BadPeriod { period: 0 })
        );
    }

    #[test]
    fn empty_secret_is_refused() {
        let params = TotpParams::default();
        assert_eq!(
            totp(&SecretBytes::new(Vec::new()), &params, 0),
            Err(CodeError::EmptySecret)
        );
    }

    #[test]
    fn serde_round_trip_checks_values() {
        let params = TotpParams::new(Algorithm::Sha256, 8, 60).unwrap();
        let json = serde_json::to_string(&params).unwrap();
        assert_eq!(json, r#"{"algorithm":"Sha256","digits":8,"period":60}"#);
        assert_eq!(serde_json::from_str::<TotpParams>(&json).unwrap(), params);
        let bad =
            serde_json::from_str::<TotpParams>(r#"{"algorithm":"Sha1","digits":6,"period":0}"#)
                .unwrap_err();
        assert!(
            bad.to_string()
                .contains("the period must be between 1 and 300 seconds, not 0")
        );
    }
}
