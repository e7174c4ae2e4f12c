//! FreeOTP+ JSON exports: `tokens[]` with `algo`, `counter`, `digits`, `issuerExt`, `label`,
//! `period`, `type` and `secret` as a list of signed bytes (-128..127, Java's `byte`).
//! The counter is kept as stored (FreeOTP stores the next counter minus one).

use serde_json::Value;

use super::entry::{
    algorithm, array_at, build_entry, kind_named, number, read_json_entries, string,
};
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
use crate::SecretBytes;

pub(super) fn parse(file: &Value) -> Result<ImportReport, ImportError> {
    read_json_entries(
        array_at(file, "tokens", ImportFormat::FreeOtpPlus)?,
        "token",
        "issuerExt",
        "label",
        read,
    )
}

pub(super) fn read(token: &Value) -> Result<ImportedEntry, String> {
    read_with_secret(token, signed_bytes(token.get("secret"))?)
}

/// A token's fields with a secret kept apart from them (FreeOTP's encrypted backups).
pub(super) fn read_with_secret(
    token: &Value,
    secret: SecretBytes,
) -> Result<ImportedEntry, String> {
    let name = string(token, "type").unwrap_or("TOTP");
    let kind = kind_named(&name.to_ascii_uppercase(), token, false)?;
    build_entry(
        string(token, "label"),
        string(token, "issuerExt"),
        secret,
        kind,
        algorithm(token.get("algo"))?,
        number(token.get("digits"), "digits", 6)?,
    )
}

/// Java's signed bytes as the bytes they stand for (`b & 0xff`).
pub(super) fn signed_bytes(value: Option<&Value>) -> Result<SecretBytes, String> {
    let items = value
        .and_then(Value::as_array)
        .ok_or_else(|| "it has no secret (a list of bytes)".to_string())?;
    let bytes = items
        .iter()
        .map(|b| {
            b.as_i64()
                .filter(|b| (-128..=255).contains(b))
                .map(|b| (b & 0xff) as u8)
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| "the secret is not a list of bytes".to_string())?;
    Ok(SecretBytes::new(bytes))
}
