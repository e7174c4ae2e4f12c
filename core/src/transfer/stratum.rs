//! Stratum (formerly Authenticator Pro) plain backups: `Authenticators[]` with numeric
//! `Type` (1 HOTP, 2 TOTP, 3 mOTP, 4 Steam, 5 Yandex) and `Algorithm` (0 SHA1, 1 SHA256,
//! 2 SHA512). mOTP and Yandex entries are skipped.

use serde_json::Value;

use super::entry::{Kind, array_at, base32_secret, build_entry, number, read_json_entries, string};
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
use crate::codes::Algorithm;

pub(super) fn parse(file: &Value) -> Result<ImportReport, ImportError> {
    read_json_entries(
        array_at(file, "Authenticators", ImportFormat::StratumJson)?,
        "entry",
        "Issuer",
        "Username",
        read,
    )
}

fn read(entry: &Value) -> Result<ImportedEntry, String> {
    let kind = match number(entry.get("Type"), "type", 2)? {
        1 => Kind::Hotp {
            counter: number(entry.get("Counter"), "counter", 0)?,
        },
        2 => Kind::Totp {
            period: number(entry.get("Period"), "period", 30)?,
        },
        4 => Kind::Steam,
        3 => return Err("mOTP entries are not supported by Tessera".to_string()),
        5 => return Err("Yandex entries are not supported by Tessera".to_string()),
        other => return Err(format!("its type {other} is not one Tessera knows")),
    };
    let algorithm = match number(entry.get("Algorithm"), "algorithm", 0)? {
        0 => Algorithm::Sha1,
        1 => Algorithm::Sha256,
        2 => Algorithm::Sha512,
        other => return Err(format!("its algorithm {other} is not one Tessera knows")),
    };
    build_entry(
        string(entry, "Username"),
        string(entry, "Issuer"),
        base32_secret(entry.get("Secret"))?,
        kind,
        algorithm,
        number(entry.get("Digits"), "digits", 6)?,
    )
}
