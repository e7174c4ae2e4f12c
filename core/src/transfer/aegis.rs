//! Aegis vault exports, unencrypted: `db.entries[]` with `type`, `name`, `issuer` and
//! `info{secret, algo, digits, period|counter}`. Yandex and mOTP entries are skipped.
//! Encrypted vaults hold the same `db`, encrypted (see `aegis_encrypted`).

use serde_json::Value;

use super::{
    Collector, ImportError, ImportFormat, ImportReport, Kind, algorithm, array_at, base32_secret,
    build_entry, entry_label, number, string, wrong_shape,
};

const FORMAT: ImportFormat = ImportFormat::AegisPlain;

pub(super) fn parse(file: &Value) -> Result<ImportReport, ImportError> {
    let db = file
        .get("db")
        .ok_or_else(|| wrong_shape(FORMAT, "it has no `db`"))?;
    parse_db(db)
}

/// The entries of a vault's `db` object, plain or decrypted.
pub(super) fn parse_db(db: &Value) -> Result<ImportReport, ImportError> {
    let mut out = Collector::default();
    for (index, entry) in array_at(db, "entries", FORMAT)?.iter().enumerate() {
        let label = || {
            entry_label(
                string(entry, "issuer"),
                string(entry, "name"),
                &format!("entry {}", index + 1),
            )
        };
        out.push(label, read(entry));
    }
    out.finish()
}

fn read(entry: &Value) -> Result<super::ImportedEntry, String> {
    let info = entry
        .get("info")
        .filter(|i| i.is_object())
        .ok_or_else(|| "it has no `info`".to_string())?;
    let kind = match string(entry, "type")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("totp") => Kind::Totp {
            period: number(info.get("period"), "period", 30)?,
        },
        Some("hotp") => Kind::Hotp {
            counter: number(info.get("counter"), "counter", 0)?,
        },
        Some("steam") => Kind::Steam,
        Some(other) => {
            return Err(format!(
                "its type \"{other}\" is not one Tessera supports (TOTP, HOTP and Steam are)"
            ));
        }
        None => return Err("it has no type".to_string()),
    };
    build_entry(
        string(entry, "name"),
        string(entry, "issuer"),
        base32_secret(info.get("secret"))?,
        kind,
        algorithm(info.get("algo"))?,
        number(info.get("digits"), "digits", 6)?,
    )
}
