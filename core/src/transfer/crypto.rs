//! What reading encrypted exports needs: key derivation whose cost is checked before it runs
//! (a hostile file must not make Tessera allocate gigabytes or compute for hours), AES-256-GCM,
//! and the hex and base64 fields that carry salts, nonces and tags, each checked for its length.
//!
//! Keys and plaintexts live in zeroizing buffers. Errors name the field (as a path into the
//! file, such as `header.slots[0].salt`) and never quote its value.

use std::ops::Deref;

use aes_gcm::aead::AeadInOut;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce, Tag};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use pbkdf2::pbkdf2_hmac;
use serde_json::Value;
use sha2::Sha256;
use zeroize::{Zeroize, Zeroizing};

use super::password::Password;
use super::report::ImportError;

/// Length of the AES-256 keys derived and unwrapped, in bytes.
pub(super) const KEY_LEN: usize = 32;
/// Length of an AES-GCM nonce, in bytes.
pub(super) const NONCE_LEN: usize = 12;
/// Length of an AES-GCM tag, in bytes.
pub(super) const TAG_LEN: usize = 16;

/// The most memory scrypt may use, 128 × r × (n + p + 1) bytes: 4 times Aegis's 32 MiB.
pub const MAX_SCRYPT_MEMORY_BYTES: u64 = 128 * 1024 * 1024;
/// The most scrypt work, n × r × p: 8 times Aegis's 2^15 × 8 × 1 (about a second).
pub const MAX_SCRYPT_WORK: u64 = 1 << 21;
/// The most PBKDF2 iterations: 200 times 2FAS's 10,000, a few seconds at most.
pub const MAX_PBKDF2_ITERATIONS: u32 = 2_000_000;

/// A 256-bit key wiped on drop.
pub(super) type Key = Zeroizing<[u8; KEY_LEN]>;

/// The problem of a field that does not open with a key known to be right.
pub(super) const CHANGED: &str = "does not match its authentication tag although the password is right: the file was changed or cut";

/// JSON holding secrets (decrypted, or Authy's token list), whose text values are wiped
/// when dropped.
pub(super) struct WipedJson(pub(super) Value);

impl Deref for WipedJson {
    type Target = Value;

    fn deref(&self) -> &Value {
        &self.0
    }
}

impl Drop for WipedJson {
    fn drop(&mut self) {
        fn wipe(value: &mut Value) {
            match value {
                Value::String(text) => text.zeroize(),
                Value::Array(items) => items.iter_mut().for_each(wipe),
                Value::Object(map) => map.values_mut().for_each(wipe),
                _ => {}
            }
        }
        wipe(&mut self.0);
    }
}

/// The plaintext of `field` as JSON.
pub(super) fn decrypted_json(plaintext: &[u8], field: &str) -> Result<WipedJson, ImportError> {
    serde_json::from_slice(plaintext)
        .map(WipedJson)
        .map_err(|_| damaged(field, "decrypts to something that is not JSON"))
}

/// A field of an encrypted file that is missing, cut or changed.
pub(super) fn damaged(field: impl Into<String>, problem: impl Into<String>) -> ImportError {
    ImportError::Damaged {
        field: field.into(),
        problem: problem.into(),
    }
}

/// The scrypt parameters of a file, checked for sense and cost before any work is done.
pub(super) struct ScryptParams {
    params: scrypt::Params,
}

impl ScryptParams {
    /// Checks `n`, `r` and `p` as read from the file at `field` (a path such as
    /// `header.slots[0]`).
    pub(super) fn new(field: &str, n: u64, r: u64, p: u64) -> Result<Self, ImportError> {
        if n < 2 || !n.is_power_of_two() {
            return Err(damaged(
                format!("{field}.n"),
                format!("must be a power of two greater than 1, not {n}"),
            ));
        }
        for (name, value) in [("r", r), ("p", p)] {
            if value == 0 {
                return Err(damaged(format!("{field}.{name}"), "must be at least 1"));
            }
        }
        // What the scrypt crate allocates (built without its `parallel` feature): the p blocks
        // of 128 × r bytes being mixed, the n blocks of V, and one more as scratch.
        let memory = n
            .saturating_add(p)
            .saturating_add(1)
            .saturating_mul(r)
            .saturating_mul(128);
        if memory > MAX_SCRYPT_MEMORY_BYTES {
            return Err(ImportError::KdfTooCostly {
                what: format!("scrypt memory (128 × r × (n + p + 1) bytes, from {field})"),
                value: memory,
                max: MAX_SCRYPT_MEMORY_BYTES,
            });
        }
        let work = n.saturating_mul(r).saturating_mul(p);
        if work > MAX_SCRYPT_WORK {
            return Err(ImportError::KdfTooCostly {
                what: format!("scrypt work (n × r × p, from {field})"),
                value: work,
                max: MAX_SCRYPT_WORK,
            });
        }
        // Within the work bound, n, r and p are each at most 2^21: they fit the casts.
        let log_n = n.trailing_zeros() as u8;
        let (r, p) = (r as u32, p as u32);
        let params = scrypt::Params::new(log_n, r, p)
            .map_err(|_| damaged(field, "does not hold valid scrypt parameters"))?;
        Ok(ScryptParams { params })
    }

    /// The key scrypt derives from `password` and `salt`.
    pub(super) fn derive(&self, password: &Password, salt: &[u8]) -> Key {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        // A 32-byte output is always a valid scrypt output length.
        let _ = scrypt::scrypt(password.as_bytes(), salt, &self.params, &mut key[..]);
        key
    }
}

/// PBKDF2-HMAC-SHA256 of `password` and `salt`, refusing more than [`MAX_PBKDF2_ITERATIONS`]
/// (the count is named `field` in the error).
pub(super) fn pbkdf2_sha256(
    password: &Password,
    salt: &[u8],
    iterations: u32,
    field: &str,
) -> Result<Key, ImportError> {
    if iterations == 0 {
        return Err(damaged(field, "must be at least 1"));
    }
    if iterations > MAX_PBKDF2_ITERATIONS {
        return Err(ImportError::KdfTooCostly {
            what: format!("PBKDF2 iterations ({field})"),
            value: u64::from(iterations),
            max: u64::from(MAX_PBKDF2_ITERATIONS),
        });
    }
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut key[..]);
    Ok(key)
}

/// The ciphertext and tag did not come from this key: a wrong password, or changed bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Unauthentic;

/// AES-256-GCM decryption without associated data; the plaintext is wiped when dropped.
pub(super) fn open(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    ciphertext: &[u8],
    tag: &[u8; TAG_LEN],
) -> Result<Zeroizing<Vec<u8>>, Unauthentic> {
    open_with_aad(key, nonce, ciphertext, tag, &[])
}

/// AES-256-GCM decryption with associated data `aad`.
pub(super) fn open_with_aad(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    ciphertext: &[u8],
    tag: &[u8; TAG_LEN],
    aad: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Unauthentic> {
    let mut buffer = Zeroizing::new(ciphertext.to_vec());
    Aes256Gcm::new(key.into())
        .decrypt_inout_detached(
            &Nonce::from(*nonce),
            aad,
            buffer.as_mut_slice().into(),
            &Tag::from(*tag),
        )
        .map_err(|_| Unauthentic)?;
    Ok(buffer)
}

/// AES-256-GCM decryption of ciphertext with its tag appended.
pub(super) fn open_appended(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Unauthentic> {
    let split = sealed.len().checked_sub(TAG_LEN).ok_or(Unauthentic)?;
    let (ciphertext, tag) = sealed.split_at(split);
    let tag: [u8; TAG_LEN] = tag.try_into().map_err(|_| Unauthentic)?;
    open(key, nonce, ciphertext, &tag)
}

/// Hex text (either case) as bytes.
pub(super) fn hex(text: Option<&str>, field: &str) -> Result<Vec<u8>, ImportError> {
    let text = text.ok_or_else(|| damaged(field, "is missing or not text"))?;
    data_encoding::HEXLOWER_PERMISSIVE
        .decode(text.trim().as_bytes())
        .map_err(|_| {
            damaged(
                field,
                "is not valid hexadecimal (was the file changed or cut?)",
            )
        })
}

/// Standard base64 text (with or without padding) as bytes.
pub(super) fn base64(text: Option<&str>, field: &str) -> Result<Vec<u8>, ImportError> {
    let text = text.ok_or_else(|| damaged(field, "is missing or not text"))?;
    let text = text.trim().trim_end_matches('=');
    STANDARD_NO_PAD
        .decode(text)
        .map_err(|_| damaged(field, "is not valid base64 (was the file changed or cut?)"))
}

/// `bytes` as exactly `N` bytes, or a damaged-field error saying how many there are.
pub(super) fn exact<const N: usize>(bytes: Vec<u8>, field: &str) -> Result<[u8; N], ImportError> {
    let len = bytes.len();
    bytes
        .try_into()
        .map_err(|_| damaged(field, format!("is {len} bytes long, {N} are needed")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password(text: &str) -> Password {
        Password::new(text.to_string())
    }

    /// RFC 7914 section 12, the second vector ("password", "NaCl", N=1024, r=8, p=16), first
    /// 32 bytes.
    #[test]
    fn scrypt_matches_rfc_7914() {
        let params = ScryptParams::new("x", 1024, 8, 16).unwrap();
        let key = params.derive(&password("password"), b"NaCl");
        assert_eq!(
            data_encoding::HEXLOWER.encode(&key[..]),
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
        );
    }

    /// RFC 7914 section 11 (PBKDF2-HMAC-SHA256 "passwd", "salt", 1 iteration), first 32 bytes.
    #[test]
    fn pbkdf2_matches_rfc_7914() {
        let key = pbkdf2_sha256(&password("passwd"), b"salt", 1, "x").unwrap();
        assert_eq!(
            data_encoding::HEXLOWER.encode(&key[..]),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }

    #[test]
    fn costly_or_senseless_parameters_are_refused_before_any_work() {
        let message = |r: Result<ScryptParams, ImportError>| match r {
            Err(e) => e.to_string(),
            Ok(_) => panic!("accepted"),
        };
        assert_eq!(
            message(ScryptParams::new("header.slots[0]", 1 << 30, 8, 1)),
            "the file asks for more key derivation work than Tessera does: scrypt memory \
             (128 × r × (n + p + 1) bytes, from header.slots[0]) would be 1099511629824, at most 134217728"
        );
        // n × r alone is at the bound, but scrypt also holds p blocks and a scratch one: this
        // case passed the old n × r count and peaked at 331 MB.
        assert_eq!(
            message(ScryptParams::new("header.slots[0]", 2, 1 << 19, 2)),
            "the file asks for more key derivation work than Tessera does: scrypt memory \
             (128 × r × (n + p + 1) bytes, from header.slots[0]) would be 335544320, at most 134217728"
        );
        assert_eq!(
            message(ScryptParams::new("s", 1 << 15, 8, 16)),
            "the file asks for more key derivation work than Tessera does: scrypt work \
             (n × r × p, from s) would be 4194304, at most 2097152"
        );
        assert_eq!(
            message(ScryptParams::new("s", u64::MAX, u64::MAX, u64::MAX)),
            "the file is damaged: s.n must be a power of two greater than 1, not 18446744073709551615"
        );
        assert_eq!(
            message(ScryptParams::new("s", 1 << 62, u64::MAX, 1)),
            "the file asks for more key derivation work than Tessera does: scrypt memory \
             (128 × r × (n + p + 1) bytes, from s) would be 18446744073709551615, at most 134217728"
        );
        assert_eq!(
            message(ScryptParams::new("s", 1024, 0, 1)),
            "the file is damaged: s.r must be at least 1"
        );
        // Exactly at the bounds is accepted.
        // 128 × 2^18 × (2 + 1 + 1) is the memory bound exactly; one more p is over it.
        assert!(ScryptParams::new("s", 2, 1 << 18, 1).is_ok());
        assert!(ScryptParams::new("s", 2, 1 << 18, 2).is_err());
        assert!(ScryptParams::new("s", 1 << 15, 8, 8).is_ok());
        assert!(ScryptParams::new("s", 1 << 15, 8, 9).is_err());
        let error = pbkdf2_sha256(&password("p"), b"s", u32::MAX, "iterations").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the file asks for more key derivation work than Tessera does: PBKDF2 iterations \
             (iterations) would be 4294967295, at most 2000000"
        );
        assert!(pbkdf2_sha256(&password("p"), b"s", 0, "iterations").is_err());
    }

    /// NIST GCM test case 14 (AES-256, zero key and nonce, one zero block).
    #[test]
    fn aes_gcm_matches_the_nist_vector_and_refuses_changes() {
        let key = [0u8; KEY_LEN];
        let nonce = [0u8; NONCE_LEN];
        let ciphertext = data_encoding::HEXLOWER
            .decode(b"cea7403d4d606b6e074ec5d3baf39d18")
            .unwrap();
        let tag: [u8; TAG_LEN] = data_encoding::HEXLOWER
            .decode(b"d0d1c8a799996bf0265b98b5d48ab919")
            .unwrap()
            .try_into()
            .unwrap();
        assert_eq!(
            open(&key, &nonce, &ciphertext, &tag).unwrap().as_slice(),
            [0u8; 16]
        );
        let mut sealed = ciphertext.clone();
        sealed.extend_from_slice(&tag);
        assert!(open_appended(&key, &nonce, &sealed).is_ok());
        sealed[3] ^= 1;
        assert_eq!(open_appended(&key, &nonce, &sealed), Err(Unauthentic));
        assert_eq!(open_appended(&key, &nonce, &tag[..5]), Err(Unauthentic));
    }

    #[test]
    fn fields_are_checked_for_encoding_and_length() {
        assert_eq!(hex(Some("0aFF"), "f").unwrap(), [10, 255]);
        assert_eq!(
            hex(Some("0g"), "f").unwrap_err().to_string(),
            "the file is damaged: f is not valid hexadecimal (was the file changed or cut?)"
        );
        assert_eq!(
            hex(None, "header.params.nonce").unwrap_err().to_string(),
            "the file is damaged: header.params.nonce is missing or not text"
        );
        assert_eq!(base64(Some("AAE="), "f").unwrap(), [0, 1]);
        assert_eq!(base64(Some("AAE"), "f").unwrap(), [0, 1]);
        assert!(base64(Some("A*E="), "f").is_err());
        assert_eq!(
            exact::<12>(vec![0; 11], "header.params.nonce")
                .unwrap_err()
                .to_string(),
            "the file is damaged: header.params.nonce is 11 bytes long, 12 are needed"
        );
    }
}
