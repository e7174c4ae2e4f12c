//! Aegis vault exports, unencrypted: `db.entries[]` with `type`, `name`, `issuer` and
//! `info{secret, algo, digits, period|counter}`. Yandex and mOTP entries are skipped.
//! Encrypted vaults hold the same `db`, encrypted (see `aegis_encrypted`).

use serde_json::Value;

use super::entry::{
    algorithm, array_at, base32_secret, build_entry, kind_named, number, read_json_entries, string,
    wrong_shape,
};
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};

const FORMAT: ImportFormat = ImportFormat::AegisPlain;

pub(super) fn parse(file: &Value) -> Result<ImportReport, ImportError> {
    let db = file
        .get("db")
        .ok_or_else(|| wrong_shape(FORMAT, "it has no `db`"))?;
    parse_db(db)
}

/// The entries of a vault's `db` object, plain or decrypted.
pub(super) fn parse_db(db: &Value) -> Result<ImportReport, ImportError> {
    read_json_entries(
        array_at(db, "entries", FORMAT)?,
        "entry",
        "issuer",
        "name",
        read,
    )
}

fn read(entry: &Value) -> Result<ImportedEntry, String> {
    let info = entry
        .get("info")
        .filter(|i| i.is_object())
        .ok_or_else(|| "it has no `info`".to_string())?;
    let name = string(entry, "type").ok_or_else(|| "it has no type".to_string())?;
    let kind = kind_named(&name.to_ascii_lowercase(), info, true)?;
    build_entry(
        string(entry, "name"),
        string(entry, "issuer"),
        base32_secret(info.get("secret"))?,
        kind,
        algorithm(info.get("algo"))?,
        number(info.get("digits"), "digits", 6)?,
    )
}
