//! The key derivations of exports other than Aegis's and 2FAS's (those are in `crypto`):
//! PBKDF2-HMAC-SHA1 (andOTP, Stratum's legacy backups, Authy, FreeOTP), PBKDF2-HMAC-SHA512
//! (FreeOTP) and
//! Argon2id with any salt length (Stratum, Bitwarden). Every cost read from a file is bounded
//! before any work, as `crypto` bounds scrypt and PBKDF2-SHA256.

use pbkdf2::pbkdf2_hmac;
use sha1::Sha1;
use zeroize::Zeroizing;

use super::crypto::{KEY_LEN, Key, MAX_PBKDF2_ITERATIONS, damaged};
use super::password::Password;
use super::report::ImportError;
use crate::crypto::kdf::KdfParams;

/// PBKDF2-HMAC-SHA1 of `password` and `salt`, 256 bits, refusing 0 or more than
/// [`MAX_PBKDF2_ITERATIONS`] (the count is named `field` in the error).
pub(super) fn pbkdf2_sha1(
    password: &[u8],
    salt: &[u8],
    iterations: u64,
    field: &str,
) -> Result<Key, ImportError> {
    let iterations = checked_iterations(iterations, field)?;
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    pbkdf2_hmac::<Sha1>(password, salt, iterations, &mut key[..]);
    Ok(key)
}

/// PBKDF2-HMAC-SHA512 of `password` and `salt`, 256 bits, bounded as [`pbkdf2_sha1`] is
/// (FreeOTP's backups).
pub(super) fn pbkdf2_sha512(
    password: &[u8],
    salt: &[u8],
    iterations: u64,
    field: &str,
) -> Result<Key, ImportError> {
    let iterations = checked_iterations(iterations, field)?;
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    pbkdf2_hmac::<sha2::Sha512>(password, salt, iterations, &mut key[..]);
    Ok(key)
}

/// `iterations` as read from the file at `field`, when it is at least 1 and at most
/// [`MAX_PBKDF2_ITERATIONS`].
pub(super) fn checked_iterations(iterations: u64, field: &str) -> Result<u32, ImportError> {
    if iterations == 0 {
        return Err(damaged(field, "must be at least 1"));
    }
    if iterations > u64::from(MAX_PBKDF2_ITERATIONS) {
        return Err(ImportError::KdfTooCostly {
            what: format!("PBKDF2 iterations ({field})"),
            value: iterations,
            max: u64::from(MAX_PBKDF2_ITERATIONS),
        });
    }
    // Within the bound just checked.
    Ok(iterations as u32)
}

/// Argon2id (version 0x13) parameters, within the bounds Tessera puts on its own vaults:
/// memory at most [`KdfParams::MAX_MEMORY_KIB`], passes at most [`KdfParams::MAX_PASSES`],
/// lanes at most [`KdfParams::MAX_LANES`].
pub(super) struct Argon2idParams {
    params: argon2::Params,
}

impl Argon2idParams {
    /// Checks the memory (KiB), passes and lanes read from `field` before anything is
    /// allocated.
    pub(super) fn new(
        field: &str,
        memory_kib: u64,
        passes: u64,
        lanes: u64,
    ) -> Result<Self, ImportError> {
        for (what, value, max) in [
            ("memory in KiB", memory_kib, KdfParams::MAX_MEMORY_KIB),
            ("passes", passes, KdfParams::MAX_PASSES),
            ("lanes", lanes, KdfParams::MAX_LANES),
        ] {
            if value == 0 {
                return Err(damaged(format!("{field} ({what})"), "must be at least 1"));
            }
            if value > u64::from(max) {
                return Err(ImportError::KdfTooCostly {
                    what: format!("Argon2id {what} ({field})"),
                    value,
                    max: u64::from(max),
                });
            }
        }
        // Each fits a u32: checked against u32 bounds above.
        let params = argon2::Params::new(
            memory_kib as u32,
            passes as u32,
            lanes as u32,
            Some(KEY_LEN),
        )
        .map_err(|_| damaged(field, "does not hold valid Argon2id parameters"))?;
        Ok(Argon2idParams { params })
    }

    /// The 256-bit key Argon2id derives from `password` and `salt`.
    pub(super) fn derive(
        &self,
        password: &Password,
        salt: &[u8],
        field: &str,
    ) -> Result<Key, ImportError> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        argon2::Argon2::new(
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            self.params.clone(),
        )
        .hash_password_into(password.as_bytes(), salt, &mut key[..])
        .map_err(|_| damaged(field, "is too short to derive a key with Argon2id"))?;
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6070 test vector 2 ("password", "salt", 2 iterations), whose 20-byte result starts
    /// the 32 bytes derived here.
    #[test]
    fn pbkdf2_sha1_matches_rfc_6070() {
        let key = pbkdf2_sha1(b"password", b"salt", 2, "x").unwrap();
        assert_eq!(
            data_encoding::HEXLOWER.encode(&key[..20]),
            "ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957"
        );
    }

    /// PBKDF2-HMAC-SHA512 ("password", "salt", 1 iteration, 32 bytes), as Python's
    /// `hashlib.pbkdf2_hmac("sha512", b"password", b"salt", 1, 32)` computes it.
    #[test]
    fn pbkdf2_sha512_matches_hashlib() {
        let key = pbkdf2_sha512(b"password", b"salt", 1, "x").unwrap();
        assert_eq!(
            data_encoding::HEXLOWER.encode(&key[..]),
            "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252"
        );
    }

    /// RFC 9106 section 5.3 uses a secret and associated data this derivation does not take,
    /// so the expected key is OpenSSL's Argon2id through Python's `cryptography` 48:
    /// `Argon2id(salt=b"somesalt", length=32, iterations=2, lanes=4, memory_cost=65536)
    /// .derive(b"password")`.
    #[test]
    fn argon2id_matches_openssl() {
        let params = Argon2idParams::new("x", 1 << 16, 2, 4).unwrap();
        let key = params
            .derive(&Password::new("password".to_string()), b"somesalt", "x")
            .unwrap();
        assert_eq!(
            data_encoding::HEXLOWER.encode(&key[..]),
            "1a9677b0afe81fda7b548895e7a1bfeb8668ffc19a530e37e088a668fab1c02a"
        );
    }

    #[test]
    fn costs_beyond_the_bounds_are_refused_before_any_work() {
        let error = |r: Result<Argon2idParams, ImportError>| match r {
            Err(e) => e.to_string(),
            Ok(_) => panic!("accepted"),
        };
        assert_eq!(
            error(Argon2idParams::new("kdfMemory", 256 * 1024 + 1, 3, 4)),
            "the file asks for more key derivation work than Tessera does: Argon2id memory in \
             KiB (kdfMemory) would be 262145, at most 262144"
        );
        assert_eq!(
            error(Argon2idParams::new("kdf", 65536, 11, 4)),
            "the file asks for more key derivation work than Tessera does: Argon2id passes \
             (kdf) would be 11, at most 10"
        );
        assert_eq!(
            error(Argon2idParams::new("kdf", 65536, 3, 0)),
            "the file is damaged: kdf (lanes) must be at least 1"
        );
        assert_eq!(
            pbkdf2_sha1(b"p", b"s", u64::MAX, "header")
                .unwrap_err()
                .to_string(),
            "the file asks for more key derivation work than Tessera does: PBKDF2 iterations \
             (header) would be 18446744073709551615, at most 2000000"
        );
        assert!(pbkdf2_sha1(b"p", b"s", 0, "header").is_err());
    }
}
