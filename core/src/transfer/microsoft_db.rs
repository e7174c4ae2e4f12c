//! Microsoft Authenticator's database, `databases/PhoneFactor` of `com.azure.authenticator`
//! taken from a rooted phone (docs/formats/microsoft-authenticator-db.md): SQLite, table
//! `accounts` with `name` (the issuer), `username`, `oath_secret_key` and `account_type`:
//! 0 for other services' TOTP accounts (base32 secret, 6 digits), 1 for personal Microsoft
//! accounts (base64 secret, 8 digits); both SHA-1, 30 s. Other types (work or school accounts)
//! sign in by notification and have no code secret Tessera can use: they are skipped.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::entry::{Collector, Kind, build_entry, entry_label, wrong_shape};
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
use super::sqlite::{Database, Table, Value};
use crate::SecretBytes;
use crate::codes::Algorithm;

const FORMAT: ImportFormat = ImportFormat::MicrosoftAuthenticatorDb;

/// Whether the `accounts` table is Microsoft Authenticator's.
pub(super) fn is_microsoft(table: &Table) -> bool {
    table.has("oath_secret_key") && table.has("account_type")
}

pub(super) fn parse(bytes: &[u8]) -> Result<ImportReport, ImportError> {
    let table = Database::open(bytes)?
        .table("accounts")?
        .filter(is_microsoft)
        .ok_or_else(|| {
            wrong_shape(
                FORMAT,
                "it has no `accounts` table with `oath_secret_key` and `account_type` columns",
            )
        })?;
    let mut out = Collector::default();
    for (index, row) in table.rows.iter().enumerate() {
        let issuer = table.get(row, "name").as_text();
        let name = table.get(row, "username").as_text();
        let label = entry_label(issuer, name, &format!("account {}", index + 1));
        out.push(|| label, read(&table, row, issuer, name));
    }
    out.finish()
}

fn read(
    table: &Table,
    row: &[Value],
    issuer: Option<&str>,
    name: Option<&str>,
) -> Result<ImportedEntry, String> {
    let secret = table
        .get(row, "oath_secret_key")
        .as_text()
        .filter(|s| !s.trim().is_empty());
    let (secret, digits) = match table.get(row, "account_type") {
        Value::Integer(0) => {
            let secret = secret.ok_or_else(|| "it has no code secret".to_string())?;
            (
                SecretBytes::from_base32(secret).map_err(|e| e.to_string())?,
                6,
            )
        }
        Value::Integer(1) => {
            let secret = secret.ok_or_else(|| "it has no code secret".to_string())?;
            let bytes = STANDARD
                .decode(secret.trim())
                .map_err(|_| "the secret is not valid base64".to_string())?;
            (SecretBytes::new(bytes), 8)
        }
        Value::Integer(other) => {
            return Err(format!(
                "it is a work or school account (type {other}): it signs in by notification, with no code secret Tessera can use"
            ));
        }
        _ => return Err("its `account_type` is not a whole number".to_string()),
    };
    build_entry(
        name,
        issuer,
        secret,
        Kind::Totp { period: 30 },
        Algorithm::Sha1,
        digits,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_without_a_usable_secret_are_skipped_with_the_reason() {
        let table = Table::for_tests(&["oath_secret_key", "account_type"]);
        let row = |secret: Option<&str>, kind: Value| {
            vec![
                secret.map_or(Value::Null, |s| Value::Text(s.to_string().into())),
                kind,
            ]
        };
        let reason = |r: Vec<Value>| read(&table, &r, Some("i"), Some("n")).unwrap_err();
        assert_eq!(
            reason(row(None, Value::Integer(0))),
            "it has no code secret"
        );
        assert_eq!(
            reason(row(Some(" "), Value::Integer(1))),
            "it has no code secret"
        );
        assert_eq!(
            reason(row(Some("%%"), Value::Integer(1))),
            "the secret is not valid base64"
        );
        assert_eq!(
            reason(row(
                Some("JBSWY3DPEHPK3PXP"),
                Value::Text("0".to_string().into())
            )),
            "its `account_type` is not a whole number"
        );
    }
}
