//! andOTP plain backups: a JSON list of `{secret, issuer, label, digits, type, algorithm,
//! period|counter}`. Steam entries may omit the period (30 s). mOTP entries are skipped.

use serde_json::Value;

use super::{
    Collector, ImportError, ImportFormat, ImportReport, ImportedEntry, Kind, algorithm,
    base32_secret, build_entry, entry_label, number, string, wrong_shape,
};

pub(super) fn parse(file: &Value) -> Result<ImportReport, ImportError> {
    let items = file
        .as_array()
        .ok_or_else(|| wrong_shape(ImportFormat::AndOtp, "it is not a list of entries"))?;
    let mut out = Collector::default();
    for (index, entry) in items.iter().enumerate() {
        let label = || {
            entry_label(
                string(entry, "issuer"),
                string(entry, "label"),
                &format!("entry {}", index + 1),
            )
        };
        out.push(label, read(entry));
    }
    out.finish()
}

fn read(entry: &Value) -> Result<ImportedEntry, String> {
    let kind = match string(entry, "type")
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("TOTP") | None => Kind::Totp {
            period: number(entry.get("period"), "period", 30)?,
        },
        Some("HOTP") => Kind::Hotp {
            counter: number(entry.get("counter"), "counter", 0)?,
        },
        Some("STEAM") => Kind::Steam,
        Some(other) => {
            return Err(format!(
                "its type \"{other}\" is not one Tessera supports (TOTP, HOTP and Steam are)"
            ));
        }
    };
    build_entry(
        string(entry, "label"),
        string(entry, "issuer"),
        base32_secret(entry.get("secret"))?,
        kind,
        algorithm(entry.get("algorithm"))?,
        number(entry.get("digits"), "digits", 6)?,
    )
}
