//! FreeOTP 2's external backups (Settings → Backup), as FreeOTP's `TokenPersistence`,
//! `MasterKey` and `EncryptedKey` write them: the Java serialization of the `tokenBackup`
//! shared preferences, a map of strings.
//!
//! - `masterKey`: Gson's JSON of a `MasterKey`, `mAlgorithm` (`PBKDF2withHmacSHA512`, or
//!   `PBKDF2withHmacSHA1` where SHA-512 was missing), `mIterations`, `mSalt` (signed bytes; the
//!   derived key is as long as the salt, 32 bytes) and `mEncryptedKey`.
//! - `<uuid>`: `{"key": "<Gson JSON of an EncryptedKey>"}`, the token's secret.
//! - `<uuid>-token`: the token's fields as FreeOTP+ exports them, without its secret.
//!
//! An `EncryptedKey` is `mCipherText` (AES-GCM ciphertext with its 16-byte tag appended),
//! `mParameters` (the DER `GCMParameters`: the 12-byte nonce and the tag length), `mCipher`
//! (`AES/GCM/NoPadding`) and `mToken`, the algorithm of the key inside (`AES` for the master
//! key, `HmacSHA1`... for a token's secret), which is also the GCM associated data. The password
//! opens the master key; the master key opens each secret.

use serde_json::Value;
use zeroize::Zeroizing;

use super::crypto::{KEY_LEN, Key, NONCE_LEN, TAG_LEN, WipedJson, damaged, open_with_aad};
use super::entry::{Collector, entry_label, string, wrong_shape};
use super::freeotp_plus::{read_with_secret, signed_bytes};
use super::java_serial::read_string_map;
use super::kdfs::{pbkdf2_sha1, pbkdf2_sha512};
use super::password::Password;
use super::report::{ImportError, ImportFormat, ImportReport};
use crate::SecretBytes;

const FORMAT: ImportFormat = ImportFormat::FreeOtpBackup;
const MASTER: &str = "masterKey";
const TOKEN_SUFFIX: &str = "-token";

pub(super) fn parse(bytes: &[u8], password: &Password) -> Result<ImportReport, ImportError> {
    let map = read_string_map(bytes).map_err(|problem| wrong_shape(FORMAT, problem))?;
    let value = |key: &str| map.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let master_json = value(MASTER)
        .ok_or_else(|| wrong_shape(FORMAT, "it has no masterKey: it holds no backup"))?;
    let master = json(master_json, MASTER)?;
    let master = open_master(&master, password)?;

    let mut out = Collector::default();
    let secrets = map
        .iter()
        .filter(|(key, _)| key != MASTER && !key.ends_with(TOKEN_SUFFIX));
    out.read_each(secrets, |index, (uuid, secret)| {
        let token = value(&format!("{uuid}{TOKEN_SUFFIX}"))
            .and_then(|t| serde_json::from_str::<Value>(t).ok())
            .map(WipedJson);
        let label = entry_label(
            token.as_ref().and_then(|t| string(t, "issuerExt")),
            token.as_ref().and_then(|t| string(t, "label")),
            &format!("token {}", index + 1),
        );
        let result = match token {
            None => Err(format!(
                "its fields ({uuid}{TOKEN_SUFFIX}) are missing or not JSON"
            )),
            Some(token) => {
                open_secret(secret, &master).and_then(|secret| read_with_secret(&token, secret))
            }
        };
        Some((label, result))
    });
    out.finish()
}

fn json(text: &str, field: &str) -> Result<WipedJson, ImportError> {
    serde_json::from_str(text)
        .map(WipedJson)
        .map_err(|_| damaged(field, "is not JSON"))
}

/// The master key, with the file's key derivation bounded before it runs.
fn open_master(master: &Value, password: &Password) -> Result<Key, ImportError> {
    let field = |name: &str| format!("{MASTER}.{name}");
    let salt = signed_bytes(master.get("mSalt"))
        .map_err(|_| damaged(field("mSalt"), "is missing or not a list of bytes"))?;
    if salt.len() != KEY_LEN {
        return Err(damaged(
            field("mSalt"),
            format!(
                "is {} bytes long; FreeOTP's are {KEY_LEN} (the key is as long as the salt)",
                salt.len()
            ),
        ));
    }
    let iterations = master
        .get("mIterations")
        .and_then(Value::as_u64)
        .ok_or_else(|| damaged(field("mIterations"), "is missing or not a whole number"))?;
    let algorithm = master
        .get("mAlgorithm")
        .and_then(Value::as_str)
        .unwrap_or("");
    let iterations_field = field("mIterations");
    let key = match algorithm.to_ascii_lowercase().as_str() {
        "pbkdf2withhmacsha512" => pbkdf2_sha512(
            password.as_bytes(),
            salt.as_bytes(),
            iterations,
            &iterations_field,
        )?,
        "pbkdf2withhmacsha1" => pbkdf2_sha1(
            password.as_bytes(),
            salt.as_bytes(),
            iterations,
            &iterations_field,
        )?,
        _ => {
            return Err(damaged(
                field("mAlgorithm"),
                "is neither PBKDF2withHmacSHA512 nor PBKDF2withHmacSHA1",
            ));
        }
    };
    let sealed = EncryptedKey::read(master.get("mEncryptedKey"), &field("mEncryptedKey"))
        .map_err(|problem| damaged(field("mEncryptedKey"), problem))?;
    let plaintext = sealed
        .open(&key)
        .ok_or(ImportError::WrongPassword { field: "masterKey" })?;
    let plaintext: [u8; KEY_LEN] = plaintext.as_slice().try_into().map_err(|_| {
        damaged(
            field("mEncryptedKey"),
            format!(
                "holds a {}-byte key, not a 32-byte AES key",
                plaintext.len()
            ),
        )
    })?;
    Ok(Key::new(plaintext))
}

/// A token's secret, opened with the master key.
fn open_secret(entry: &str, master: &Key) -> Result<SecretBytes, String> {
    let outer: Value =
        serde_json::from_str(entry).map_err(|_| "its encrypted secret is not JSON".to_string())?;
    let inner = outer
        .get("key")
        .and_then(Value::as_str)
        .ok_or("its encrypted secret has no `key`")?;
    let inner: Value = serde_json::from_str(inner)
        .map_err(|_| "its encrypted secret's `key` is not JSON".to_string())?;
    let sealed = EncryptedKey::read(Some(&inner), "key")?;
    let secret = sealed
        .open(master)
        .ok_or("its secret does not open with the backup's master key: the backup was changed")?;
    Ok(SecretBytes::new(secret.to_vec()))
}

/// An `EncryptedKey`, decoded.
struct EncryptedKey {
    sealed: Vec<u8>,
    nonce: [u8; NONCE_LEN],
    aad: String,
}

impl EncryptedKey {
    fn read(value: Option<&Value>, field: &str) -> Result<Self, String> {
        let value = value.ok_or_else(|| format!("{field} is missing"))?;
        if string(value, "mCipher") != Some("AES/GCM/NoPadding") {
            return Err(format!("{field}.mCipher is not AES/GCM/NoPadding"));
        }
        let aad = string(value, "mToken")
            .ok_or_else(|| format!("{field}.mToken is missing"))?
            .to_string();
        let sealed = signed_bytes(value.get("mCipherText"))
            .map_err(|_| format!("{field}.mCipherText is not a list of bytes"))?;
        let parameters = signed_bytes(value.get("mParameters"))
            .map_err(|_| format!("{field}.mParameters is not a list of bytes"))?;
        let nonce = gcm_nonce(parameters.as_bytes()).ok_or_else(|| {
            format!(
                "{field}.mParameters is not GCM parameters with a 12-byte nonce and a 16-byte tag"
            )
        })?;
        Ok(EncryptedKey {
            sealed: sealed.as_bytes().to_vec(),
            nonce,
            aad,
        })
    }

    fn open(&self, key: &[u8; KEY_LEN]) -> Option<Zeroizing<Vec<u8>>> {
        let split = self.sealed.len().checked_sub(TAG_LEN)?;
        let (ciphertext, tag) = self.sealed.split_at(split);
        let tag: [u8; TAG_LEN] = tag.try_into().ok()?;
        open_with_aad(key, &self.nonce, ciphertext, &tag, self.aad.as_bytes()).ok()
    }
}

/// The nonce of DER `GCMParameters ::= SEQUENCE { nonce OCTET STRING, tagLength INTEGER }`
/// (RFC 5084), when the nonce is 12 bytes and the tag 16.
fn gcm_nonce(der: &[u8]) -> Option<[u8; NONCE_LEN]> {
    let [0x30, 0x11, 0x04, 0x0C, rest @ ..] = der else {
        return None;
    };
    let (nonce, tail) = rest.split_first_chunk::<NONCE_LEN>()?;
    (tail == [0x02, 0x01, 0x10]).then_some(*nonce)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcm_parameters_are_read_from_their_der() {
        let mut der = vec![0x30, 0x11, 0x04, 0x0C];
        der.extend(1..=12u8);
        der.extend([0x02, 0x01, 0x10]);
        assert_eq!(gcm_nonce(&der), Some(core::array::from_fn(|i| i as u8 + 1)));
        let last = der.len() - 1;
        der[last] = 0x0C; // a 12-byte tag
        assert_eq!(gcm_nonce(&der), None);
        assert_eq!(gcm_nonce(&der[..10]), None);
    }
}
