//! Encrypted 2FAS backups: `servicesEncrypted` holds three base64 parts joined by `:`, the
//! ciphertext with its 16-byte GCM tag appended, the salt, and the 12-byte IV. The key is
//! PBKDF2-HMAC-SHA256 of the password and salt, 10,000 iterations, 256 bits (2FAS's fixed
//! choice: the file does not carry it), and the plaintext is the JSON list of services a plain
//! backup holds. `reference` is a fixed text encrypted the same way with the same salt and its
//! own IV: when it opens and the services do not, the password is right and the file changed.

use serde_json::Value;

use super::crypto::{
    CHANGED, Key, NONCE_LEN, base64, damaged, decrypted_json, exact, open_appended, pbkdf2_sha256,
};
use super::password::Password;
use super::report::{ImportError, ImportReport};
use super::twofas;

/// 2FAS's PBKDF2 iteration count.
const ITERATIONS: u32 = 10_000;

/// Whether a 2FAS backup's services are encrypted.
pub(super) fn is_encrypted(file: &Value) -> bool {
    file.get("servicesEncrypted")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}

/// One `ciphertext:salt:iv` field, decoded.
struct Sealed {
    ciphertext: Vec<u8>,
    salt: Vec<u8>,
    iv: [u8; NONCE_LEN],
}

fn read_sealed(file: &Value, field: &'static str) -> Result<Option<Sealed>, ImportError> {
    let Some(value) = file.get(field).filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let text = value
        .as_str()
        .ok_or_else(|| damaged(field, "is not text"))?;
    let parts: Vec<&str> = text.split(':').collect();
    let [ciphertext, salt, iv] = parts[..] else {
        return Err(damaged(
            field,
            format!(
                "has {} parts separated by `:`, 3 are needed (ciphertext, salt, IV)",
                parts.len()
            ),
        ));
    };
    let part = |name: &str| format!("{field} ({name})");
    let sealed = Sealed {
        ciphertext: base64(Some(ciphertext), &part("ciphertext"))?,
        salt: base64(Some(salt), &part("salt"))?,
        iv: exact(base64(Some(iv), &part("IV"))?, &part("IV"))?,
    };
    if sealed.salt.is_empty() {
        return Err(damaged(part("salt"), "is empty"));
    }
    Ok(Some(sealed))
}

pub(super) fn parse(file: &Value, password: &Password) -> Result<ImportReport, ImportError> {
    let services = read_sealed(file, "servicesEncrypted")?
        .ok_or_else(|| damaged("servicesEncrypted", "is missing"))?;
    let reference = read_sealed(file, "reference")?;
    let key: Key = pbkdf2_sha256(password, &services.salt, ITERATIONS, "the iteration count")?;
    let reference_opens = match &reference {
        Some(reference) if reference.salt == services.salt => {
            open_appended(&key, &reference.iv, &reference.ciphertext)
                .map_err(|_| ImportError::WrongPassword { field: "reference" })?;
            true
        }
        _ => false,
    };
    let plaintext = open_appended(&key, &services.iv, &services.ciphertext).map_err(|_| {
        if reference_opens {
            damaged("servicesEncrypted", CHANGED)
        } else {
            ImportError::WrongPassword {
                field: "servicesEncrypted",
            }
        }
    })?;
    let list = decrypted_json(&plaintext, "servicesEncrypted")?;
    let services = list.as_array().ok_or_else(|| {
        damaged(
            "servicesEncrypted",
            "does not decrypt to a list of services",
        )
    })?;
    twofas::parse_services(services, twofas::is_legacy(file))
}
