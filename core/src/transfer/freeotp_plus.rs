//! FreeOTP+ JSON exports: `tokens[]` with `algo`, `counter`, `digits`, `issuerExt`, `label`,
//! `period`, `type` and `secret` as a list of signed bytes (-128..127, Java's `byte`).
//! The counter is kept as stored (FreeOTP stores the next counter minus one).

use serde_json::Value;

use super::{
    Collector, ImportError, ImportFormat, ImportReport, ImportedEntry, Kind, algorithm, array_at,
    build_entry, entry_label, number, string,
};
use crate::SecretBytes;

pub(super) fn parse(file: &Value) -> Result<ImportReport, ImportError> {
    let mut out = Collector::default();
    for (index, token) in array_at(file, "tokens", ImportFormat::FreeOtpPlus)?
        .iter()
        .enumerate()
    {
        let label = || {
            entry_label(
                string(token, "issuerExt"),
                string(token, "label"),
                &format!("token {}", index + 1),
            )
        };
        out.push(label, read(token));
    }
    out.finish()
}

fn read(token: &Value) -> Result<ImportedEntry, String> {
    let kind = match string(token, "type")
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("TOTP") | None => Kind::Totp {
            period: number(token.get("period"), "period", 30)?,
        },
        Some("HOTP") => Kind::Hotp {
            counter: number(token.get("counter"), "counter", 0)?,
        },
        Some(other) => {
            return Err(format!(
                "its type \"{other}\" is not one Tessera supports (TOTP and HOTP are)"
            ));
        }
    };
    build_entry(
        string(token, "label"),
        string(token, "issuerExt"),
        signed_bytes(token.get("secret"))?,
        kind,
        algorithm(token.get("algo"))?,
        number(token.get("digits"), "digits", 6)?,
    )
}

/// Java's signed bytes as the bytes they stand for (`b & 0xff`).
fn signed_bytes(value: Option<&Value>) -> Result<SecretBytes, String> {
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
