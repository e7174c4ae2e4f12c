//! andOTP plain backups: a JSON list of `{secret, issuer, label, digits, type, algorithm,
//! period|counter}`. Steam entries may omit the period (30 s). mOTP entries are skipped.

use serde_json::Value;

use super::entry::{
    algorithm, base32_secret, build_entry, kind_named, number, read_json_entries, string,
    wrong_shape,
};
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};

pub(super) fn parse(file: &Value) -> Result<ImportReport, ImportError> {
    let items = file
        .as_array()
        .ok_or_else(|| wrong_shape(ImportFormat::AndOtp, "it is not a list of entries"))?;
    read_json_entries(items, "entry", "issuer", "label", read)
}

fn read(entry: &Value) -> Result<ImportedEntry, String> {
    let name = string(entry, "type").unwrap_or("TOTP");
    let kind = kind_named(&name.to_ascii_uppercase(), entry, true)?;
    build_entry(
        string(entry, "label"),
        string(entry, "issuer"),
        base32_secret(entry.get("secret"))?,
        kind,
        algorithm(entry.get("algorithm"))?,
        number(entry.get("digits"), "digits", 6)?,
    )
}
