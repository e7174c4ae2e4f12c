//! 2FAS backups, unencrypted. Schema 1 has only `name`, `secret` and `otp{account, issuer}`:
//! every entry is TOTP, SHA1, 6 digits, 30 s. Schema 2 and later add `otp{digits, period,
//! counter, algorithm, tokenType}` (TOTP, HOTP, STEAM); other token types are skipped.
//! The issuer is the service's `name` (falling back to `otp.issuer`), the name `otp.account`.

use serde_json::Value;

use super::{
    Collector, ImportError, ImportFormat, ImportReport, ImportedEntry, Kind, algorithm, array_at,
    base32_secret, build_entry, entry_label, number, string,
};
use crate::codes::Algorithm;

pub(super) fn parse(file: &Value, format: ImportFormat) -> Result<ImportReport, ImportError> {
    parse_services(array_at(file, "services", format)?, is_legacy(file))
}

/// Whether the backup is schema 1, whose services are all default TOTP.
pub(super) fn is_legacy(file: &Value) -> bool {
    file.get("schemaVersion")
        .and_then(Value::as_u64)
        .unwrap_or(1)
        < 2
}

/// The entries of a backup's services, plain or decrypted.
pub(super) fn parse_services(
    services: &[Value],
    legacy: bool,
) -> Result<ImportReport, ImportError> {
    let mut out = Collector::default();
    for (index, service) in services.iter().enumerate() {
        let otp = service.get("otp").unwrap_or(&Value::Null);
        let issuer = string(service, "name")
            .filter(|s| !s.trim().is_empty())
            .or_else(|| string(otp, "issuer"));
        let account = string(otp, "account");
        let label = || entry_label(issuer, account, &format!("service {}", index + 1));
        out.push(label, read(service, otp, issuer, account, legacy));
    }
    out.finish()
}

fn read(
    service: &Value,
    otp: &Value,
    issuer: Option<&str>,
    account: Option<&str>,
    legacy: bool,
) -> Result<ImportedEntry, String> {
    let secret = base32_secret(service.get("secret"))?;
    if legacy {
        return build_entry(
            account,
            issuer,
            secret,
            Kind::Totp { period: 30 },
            Algorithm::Sha1,
            6,
        );
    }
    let kind = match string(otp, "tokenType")
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        Some("TOTP") | None => Kind::Totp {
            period: number(otp.get("period"), "period", 30)?,
        },
        Some("HOTP") => Kind::Hotp {
            counter: number(otp.get("counter"), "counter", 0)?,
        },
        Some("STEAM") => Kind::Steam,
        Some(other) => {
            return Err(format!(
                "its type \"{other}\" is not one Tessera supports (TOTP, HOTP and Steam are)"
            ));
        }
    };
    build_entry(
        account,
        issuer,
        secret,
        kind,
        algorithm(otp.get("algorithm"))?,
        number(otp.get("digits"), "digits", 6)?,
    )
}
