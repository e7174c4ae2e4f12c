//! Bitwarden exports, JSON (`"encrypted": false`, `items[].login.totp`) and CSV (the
//! `login_totp` column). The TOTP field holds an otpauth:// link, a `steam://<base32>` link
//! (issuer "Steam", name "Steam account") or a bare base32 secret (TOTP defaults, named after
//! the item). Items without a TOTP field are logins, not OTP entries, and are not reported.

use serde_json::Value;

use super::entry::{
    Collector, Kind, ReadEntry, array_at, build_entry, entry_from_otpauth, entry_label, string,
    wrong_shape,
};
use super::report::{ImportError, ImportFormat, ImportReport};
use crate::SecretBytes;
use crate::codes::Algorithm;

pub(super) fn parse_json(file: &Value) -> Result<ImportReport, ImportError> {
    if file.get("encrypted").and_then(Value::as_bool) == Some(true) {
        return Err(account_key_encrypted());
    }
    let mut out = Collector::default();
    out.read_each(
        array_at(file, "items", ImportFormat::BitwardenJson)?,
        |index, item| {
            let totp = item.get("login").and_then(|login| string(login, "totp"));
            let totp = totp.filter(|t| !t.trim().is_empty())?;
            let name = string(item, "name");
            let label = entry_label(None, name, &format!("item {}", index + 1));
            Some((label, read(totp, name)))
        },
    );
    out.finish()
}

pub(super) fn parse_csv(text: &str) -> Result<ImportReport, ImportError> {
    let format = ImportFormat::BitwardenCsv;
    let records = super::csv::records(text);
    let header = records
        .first()
        .ok_or_else(|| wrong_shape(format, "it has no header line"))?;
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let totp_column =
        column("login_totp").ok_or_else(|| wrong_shape(format, "it has no login_totp column"))?;
    let name_column = column("name");
    let mut out = Collector::default();
    out.read_each(records.iter().skip(1), |index, record| {
        let totp = record.get(totp_column).map(String::as_str).unwrap_or("");
        if totp.trim().is_empty() {
            return None;
        }
        let name = name_column.and_then(|c| record.get(c)).map(String::as_str);
        let label = entry_label(None, name, &format!("row {}", index + 2));
        Some((label, read(totp, name)))
    });
    out.finish()
}

/// The error for an export encrypted with the account's key, which only Bitwarden can open
/// (password-protected exports are read by `bitwarden_encrypted`).
pub(super) fn account_key_encrypted() -> ImportError {
    ImportError::NotSupportedYet {
        what: "this Bitwarden export is encrypted with the Bitwarden account's key",
        them: "such exports (export again choosing \"Password protected\")",
    }
}

fn read(totp: &str, item_name: Option<&str>) -> Result<ReadEntry, String> {
    let totp = totp.trim();
    let scheme = totp.get(..10).unwrap_or(totp).to_ascii_lowercase();
    if scheme.starts_with("otpauth://") {
        return entry_from_otpauth(totp);
    }
    if let Some(secret) = scheme
        .starts_with("steam://")
        .then(|| totp.get(8..))
        .flatten()
    {
        let secret = SecretBytes::from_base32(secret).map_err(|e| e.to_string())?;
        return build_entry(
            Some("Steam account"),
            Some("Steam"),
            secret,
            Kind::Steam,
            Algorithm::Sha1,
            5,
        )
        .map(Into::into);
    }
    if totp.contains("://") {
        return Err("its TOTP field is a link Tessera does not know".to_string());
    }
    let secret = SecretBytes::from_base32(totp).map_err(|e| e.to_string())?;
    build_entry(
        item_name,
        None,
        secret,
        Kind::Totp { period: 30 },
        Algorithm::Sha1,
        6,
    )
    .map(Into::into)
}
