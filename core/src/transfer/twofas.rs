//! 2FAS backups, unencrypted. Schema 1 has only `name`, `secret` and `otp{account, issuer}`:
//! every entry is TOTP, SHA1, 6 digits, 30 s. Schema 2 and later add `otp{digits, period,
//! counter, algorithm, tokenType}` (TOTP, HOTP, STEAM); other token types are skipped.
//! The issuer is the service's `name` (falling back to `otp.issuer`), the name `otp.account`.

use serde_json::Value;

use super::entry::{
    Collector, Kind, algorithm, array_at, base32_secret, build_entry, entry_label, kind_named,
    number, string,
};
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
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
    out.read_each(services, |index, service| {
        let otp = service.get("otp").unwrap_or(&Value::Null);
        let issuer = string(service, "name")
            .filter(|s| !s.trim().is_empty())
            .or_else(|| string(otp, "issuer"));
        let account = string(otp, "account");
        let label = entry_label(issuer, account, &format!("service {}", index + 1));
        Some((label, read(service, otp, issuer, account, legacy)))
    });
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
    let name = string(otp, "tokenType").unwrap_or("TOTP");
    let kind = kind_named(&name.to_ascii_uppercase(), otp, true)?;
    build_entry(
        account,
        issuer,
        secret,
        kind,
        algorithm(otp.get("algorithm"))?,
        number(otp.get("digits"), "digits", 6)?,
    )
}
