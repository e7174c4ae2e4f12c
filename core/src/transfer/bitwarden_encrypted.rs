//! Bitwarden's password-protected JSON exports (`"encrypted": true, "passwordProtected": true`),
//! as Bitwarden's clients write them. The file carries its key derivation: `kdfType` 0 is
//! PBKDF2-HMAC-SHA256 of the password and `salt` (its UTF-8 text) with `kdfIterations`; 1 is
//! Argon2id of the password and SHA-256 of `salt` with `kdfMemory` MiB, `kdfIterations`
//! passes and `kdfParallelism` lanes. The 256-bit result is stretched with HKDF-Expand-SHA256
//! into an encryption key (info "enc") and a MAC key (info "mac").
//!
//! `encKeyValidation_DO_NOT_EDIT` and `data` are "EncStrings" of type 2,
//! `2.<IV>|<ciphertext>|<MAC>` in base64: AES-256-CBC with PKCS#7 padding, and HMAC-SHA256 of
//! IV ‖ ciphertext. The MAC of the validation string tells a wrong password (it fails) from a
//! changed `data` (the validation passes, `data`'s MAC fails). `data` decrypts to the JSON of an
//! unencrypted export. Exports encrypted with the account's own key (no `passwordProtected`)
//! open only inside Bitwarden and stay not supported.

use hkdf::Hkdf;
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::bitwarden;
use super::cbc::{IV_LEN, hmac_sha256_matches, open_cbc};
use super::crypto::{KEY_LEN, Key, base64, damaged, decrypted_json, exact, pbkdf2_sha256};
use super::kdfs::{Argon2idParams, checked_iterations};
use super::password::Password;
use super::report::{ImportError, ImportReport};

/// Length of an EncString's MAC.
const MAC_LEN: usize = 32;
const KDF_PBKDF2: u64 = 0;
const KDF_ARGON2ID: u64 = 1;

/// Whether a Bitwarden JSON export is protected by an export password.
pub(super) fn is_password_protected(file: &Value) -> bool {
    file.get("passwordProtected").and_then(Value::as_bool) == Some(true)
}

/// One type-2 EncString, decoded.
struct EncString {
    iv: [u8; IV_LEN],
    ciphertext: Vec<u8>,
    mac: [u8; MAC_LEN],
}

impl EncString {
    fn read(file: &Value, field: &'static str) -> Result<Self, ImportError> {
        let text = file
            .get(field)
            .and_then(Value::as_str)
            .ok_or_else(|| damaged(field, "is missing or not text"))?;
        let body = text.strip_prefix("2.").ok_or_else(|| {
            damaged(
                field,
                "is not an encrypted string of type 2 (AES-256-CBC with HMAC-SHA256)",
            )
        })?;
        let parts: Vec<&str> = body.split('|').collect();
        let [iv, ciphertext, mac] = parts[..] else {
            return Err(damaged(
                field,
                format!(
                    "has {} parts separated by `|`, 3 are needed (IV, ciphertext, MAC)",
                    parts.len()
                ),
            ));
        };
        let part = |name: &str| format!("{field} ({name})");
        Ok(EncString {
            iv: exact(base64(Some(iv), &part("IV"))?, &part("IV"))?,
            ciphertext: base64(Some(ciphertext), &part("ciphertext"))?,
            mac: exact(base64(Some(mac), &part("MAC"))?, &part("MAC"))?,
        })
    }

    fn authentic(&self, keys: &Keys) -> bool {
        hmac_sha256_matches(&keys.mac[..], &[&self.iv, &self.ciphertext], &self.mac)
    }
}

struct Keys {
    enc: Key,
    mac: Key,
}

pub(super) fn parse(file: &Value, password: &Password) -> Result<ImportReport, ImportError> {
    let validation = EncString::read(file, "encKeyValidation_DO_NOT_EDIT")?;
    let data = EncString::read(file, "data")?;
    let keys = stretch(&derive(file, password)?)?;
    if !validation.authentic(&keys) {
        return Err(ImportError::WrongPassword {
            field: "encKeyValidation_DO_NOT_EDIT",
        });
    }
    const CHANGED: &str =
        "does not match its MAC although the password is right: the file was changed or cut";
    if !data.authentic(&keys) {
        return Err(damaged("data", CHANGED));
    }
    let plaintext = open_cbc(&keys.enc, &data.iv, &data.ciphertext)
        .map_err(|_| damaged("data", "has a MAC that matches but does not decrypt"))?;
    let export = decrypted_json(&plaintext, "data")?;
    bitwarden::parse_json(&export)
}

/// The password's key, with the file's key derivation bounded before it runs.
fn derive(file: &Value, password: &Password) -> Result<Key, ImportError> {
    let whole = |name: &str| {
        file.get(name)
            .and_then(Value::as_u64)
            .ok_or_else(|| damaged(name, "is missing or not a whole number"))
    };
    let salt = file
        .get("salt")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| damaged("salt", "is missing, empty or not text"))?;
    match whole("kdfType")? {
        KDF_PBKDF2 => {
            let iterations = checked_iterations(whole("kdfIterations")?, "kdfIterations")?;
            pbkdf2_sha256(password, salt.as_bytes(), iterations, "kdfIterations")
        }
        KDF_ARGON2ID => {
            let memory_mib = whole("kdfMemory")?;
            let params = Argon2idParams::new(
                "kdfMemory, kdfIterations, kdfParallelism",
                memory_mib.saturating_mul(1024),
                whole("kdfIterations")?,
                whole("kdfParallelism")?,
            )?;
            params.derive(password, &Sha256::digest(salt.as_bytes()), "salt")
        }
        other => Err(damaged(
            "kdfType",
            format!("is {other}; Bitwarden's are 0 (PBKDF2) and 1 (Argon2id)"),
        )),
    }
}

/// Bitwarden's "stretched" key pair: HKDF-Expand with the derived key as the PRK.
fn stretch(key: &Key) -> Result<Keys, ImportError> {
    let hkdf = Hkdf::<Sha256>::from_prk(&key[..])
        .map_err(|_| damaged("salt", "gave a key HKDF cannot expand"))?;
    let expand = |info: &[u8]| -> Result<Key, ImportError> {
        let mut out = Zeroizing::new([0u8; KEY_LEN]);
        hkdf.expand(info, &mut out[..])
            .map_err(|_| damaged("salt", "gave a key HKDF cannot expand"))?;
        Ok(out)
    };
    Ok(Keys {
        enc: expand(b"enc")?,
        mac: expand(b"mac")?,
    })
}
