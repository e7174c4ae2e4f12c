//! TOTP Authenticator (Binary Boolean, `com.authenticator.authservice2`; docs/formats/
//! totp-authenticator.md): its encrypted backup file and its internal SharedPreferences file.
//!
//! The backup is base64 of AES-256-CBC (PKCS#7 padding, an IV of 16 zero bytes) under the
//! SHA-256 of the password; a backup made without a password of one's own uses the app's fixed
//! password "TotpAuthenticator". The plaintext is a JSON object whose first key is the entry
//! list: JSON text of a list of strings, each one entry's JSON. The preferences file
//! `TOTP_Authenticator_Preferences.xml` keeps that same list in `STATIC_TOTP_CODES_LIST`.
//! An entry has `name`, `issuer`, `key` and `base` (the key's encoding: 16, 32 or 64); codes
//! are 6 digits, 30 s, SHA-1.
//!
//! The backup has no authentication code and no key derivation parameters: a wrong password
//! and a changed file both show as a plaintext that is not the entry list (`WrongPassword`).

use aes::Aes256;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::android_prefs::Prefs;
use super::crypto::{WipedJson, damaged};
use super::entry::{Collector, Kind, build_entry, entry_label, number, string, wrong_shape};
use super::password::Password;
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
use crate::SecretBytes;
use crate::codes::Algorithm;

/// The preference that holds the entry list.
pub(super) const PREF_KEY: &str = "STATIC_TOTP_CODES_LIST";
const WRONG: ImportError = ImportError::WrongPassword {
    field: "the backup",
};

/// Whether `text` can be a backup: base64 only, of whole AES blocks.
pub(super) fn looks_encrypted(text: &str) -> bool {
    let compact: String = text.split_ascii_whitespace().collect();
    compact.len() >= 24
        && compact
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        && STANDARD
            .decode(&compact)
            .is_ok_and(|bytes| bytes.len().is_multiple_of(16))
}

pub(super) fn parse_encrypted(
    text: &str,
    password: &Password,
) -> Result<ImportReport, ImportError> {
    let compact: String = text.split_ascii_whitespace().collect();
    let ciphertext = STANDARD.decode(&compact).map_err(|_| {
        damaged(
            "the backup",
            "is not valid base64 (was the file changed or cut?)",
        )
    })?;
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(16) {
        return Err(damaged(
            "the backup",
            format!(
                "is {} bytes, not whole 16-byte AES blocks (was the file cut?)",
                ciphertext.len()
            ),
        ));
    }
    let key = Zeroizing::new(<[u8; 32]>::from(Sha256::digest(password.as_bytes())));
    let mut buffer = Zeroizing::new(ciphertext);
    let length = cbc::Decryptor::<Aes256>::new_from_slices(&key[..], &[0u8; 16])
        .expect("invariant: a 32-byte key and a 16-byte IV")
        .decrypt_padded::<Pkcs7>(&mut buffer)
        .map_err(|_| WRONG)?
        .len();
    buffer.truncate(length);
    let object = serde_json::from_slice(&buffer)
        .map(WipedJson)
        .map_err(|_| WRONG)?;
    let list = object
        .as_object()
        .and_then(|map| map.keys().next())
        .ok_or(WRONG)?;
    read_list(list).map_err(|_| WRONG)
}

pub(super) fn parse_prefs(bytes: &[u8]) -> Result<ImportReport, ImportError> {
    let format = ImportFormat::TotpAuthenticatorXml;
    let prefs = Prefs::parse(bytes, format)?;
    let list = prefs
        .get(PREF_KEY)
        .ok_or_else(|| wrong_shape(format, format!("it has no `{PREF_KEY}` preference")))?;
    read_list(list).map_err(|problem| wrong_shape(format, problem))
}

/// The entries of the list's JSON text, or why it is not the entry list.
fn read_list(list: &str) -> Result<ImportReport, String> {
    let items = serde_json::from_str(list)
        .map(WipedJson)
        .map_err(|_| format!("`{PREF_KEY}` is not a JSON list"))?;
    let items = items
        .as_array()
        .ok_or_else(|| format!("`{PREF_KEY}` is not a JSON list"))?;
    let mut out = Collector::default();
    out.read_each(items, |index, item| {
        let position = format!("entry {}", index + 1);
        let entry = item
            .as_str()
            .and_then(|text| serde_json::from_str(text).ok())
            .map(WipedJson);
        let Some(entry) = entry.filter(|e| e.is_object()) else {
            return Some((
                position,
                Err("it is not an entry (JSON text of an object)".to_string()),
            ));
        };
        let label = entry_label(string(&entry, "issuer"), string(&entry, "name"), &position);
        Some((label, read(&entry)))
    });
    Ok(out.report)
}

fn read(entry: &Value) -> Result<ImportedEntry, String> {
    let key = string(entry, "key").ok_or_else(|| "it has no secret (`key`)".to_string())?;
    // `base` is a number or, in some versions, its text.
    let base = match entry.get("base") {
        Some(Value::String(text)) => text
            .trim()
            .parse()
            .map_err(|_| format!("its key encoding \"{text}\" is not a number"))?,
        other => number(other, "key encoding (`base`)", 32)?,
    };
    let secret = match base {
        16 => SecretBytes::from_hex(key).map_err(|e| e.to_string())?,
        32 => SecretBytes::from_base32(key).map_err(|e| e.to_string())?,
        64 => SecretBytes::new(
            STANDARD
                .decode(key.trim())
                .map_err(|_| "the secret is not valid base64".to_string())?,
        ),
        other => {
            return Err(format!(
                "its key encoding (base {other}) is not one TOTP Authenticator writes (16, 32 or 64)"
            ));
        }
    };
    build_entry(
        string(entry, "name"),
        string(entry, "issuer"),
        secret,
        Kind::Totp { period: 30 },
        Algorithm::Sha1,
        6,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prefs(list: &str) -> String {
        let escaped = list
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;");
        format!("<map><string name=\"{PREF_KEY}\">{escaped}</string></map>")
    }

    #[test]
    fn entries_that_cannot_be_read_are_skipped_with_the_reason() {
        let entries = [
            r#"{"name":"a","key":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP","base":"32"}"#,
            r#"{"name":"b","key":"JBSWY3DPEHPK3PXP","base":"x"}"#,
            r#"{"name":"c","key":"%%%","base":64}"#,
            r#"{"name":"d"}"#,
            "not json",
        ];
        let list = serde_json::to_string(&entries).unwrap();
        let report = parse_prefs(prefs(&list).as_bytes()).unwrap();
        assert_eq!(report.entries.len(), 1, "a base given as text is read");
        let reasons: Vec<_> = report.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(
            reasons,
            [
                "its key encoding \"x\" is not a number",
                "the secret is not valid base64",
                "it has no secret (`key`)",
                "it is not an entry (JSON text of an object)",
            ]
        );
        assert_eq!(
            parse_prefs(prefs("{}").as_bytes()).unwrap_err().to_string(),
            "the file does not look like a TOTP Authenticator preferences file: \
             `STATIC_TOTP_CODES_LIST` is not a JSON list"
        );
    }

    #[test]
    fn a_backup_that_is_not_base64_or_whole_blocks_is_damaged() {
        let password = Password::new("p".to_string());
        let message = |text: &str| parse_encrypted(text, &password).unwrap_err().to_string();
        assert_eq!(
            message("not base64!"),
            "the file is damaged: the backup is not valid base64 (was the file changed or cut?)"
        );
        assert_eq!(
            message(""),
            "the file is damaged: the backup is 0 bytes, not whole 16-byte AES blocks (was the file cut?)"
        );
    }
}
