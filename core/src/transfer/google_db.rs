//! Google Authenticator's database, `databases/databases` of
//! `com.google.android.apps.authenticator2` taken from a rooted phone (docs/formats/
//! google-authenticator-db.md): SQLite, table `accounts` with `email` (the label, sometimes
//! "Issuer:name"), `secret` (base32), `counter`, `type` (0 TOTP, 1 HOTP) and, since version
//! 2.x, `issuer`. Codes are 6 digits, SHA-1, 30 s. Authenticator Plus, a fork of the old
//! open-source app, keeps the same table ([`super::authenticator_plus`]).

use super::entry::{Collector, Kind, build_entry, entry_label, wrong_shape};
use super::report::{ImportError, ImportFormat, ImportReport, ImportedEntry};
use super::sqlite::{Database, Table, Value};
use crate::SecretBytes;
use crate::codes::Algorithm;

/// Whether the `accounts` table is Google Authenticator's (or Authenticator Plus's).
pub(super) fn is_google(table: &Table) -> bool {
    table.has("email") && table.has("secret")
}

pub(super) fn parse(bytes: &[u8]) -> Result<ImportReport, ImportError> {
    read_accounts(&Database::open(bytes)?, ImportFormat::GoogleAuthenticatorDb)
}

/// The accounts of a database with Google Authenticator's `accounts` table, read as `format`.
pub(super) fn read_accounts(
    db: &Database<'_>,
    format: ImportFormat,
) -> Result<ImportReport, ImportError> {
    let table = db.table("accounts")?.filter(is_google).ok_or_else(|| {
        wrong_shape(
            format,
            "it has no `accounts` table with `email` and `secret` columns",
        )
    })?;
    let mut out = Collector::default();
    for (index, row) in table.rows.iter().enumerate() {
        let (issuer, name) = names(&table, row);
        let label = entry_label(
            issuer.as_deref(),
            name.as_deref(),
            &format!("account {}", index + 1),
        );
        out.push(
            || label,
            read(&table, row, issuer.as_deref(), name.as_deref()),
        );
    }
    out.finish()
}

/// The issuer column, else the part of `email` before ":"; the name is `email` after it.
fn names(table: &Table, row: &[Value]) -> (Option<String>, Option<String>) {
    let email = table.get(row, "email").as_text().unwrap_or_default();
    let issuer = table
        .get(row, "issuer")
        .as_text()
        .filter(|i| !i.trim().is_empty());
    match email.split_once(':') {
        Some((prefix, name)) if issuer.is_none_or(|i| i.trim() == prefix.trim()) => (
            Some(issuer.unwrap_or(prefix).to_string()),
            Some(name.to_string()),
        ),
        _ => (issuer.map(str::to_string), Some(email.to_string())),
    }
}

fn integer(value: &Value, column: &str, default: i64) -> Result<i64, String> {
    match value {
        Value::Null => Ok(default),
        Value::Integer(n) => Ok(*n),
        _ => Err(format!("its `{column}` is not a whole number")),
    }
}

fn read(
    table: &Table,
    row: &[Value],
    issuer: Option<&str>,
    name: Option<&str>,
) -> Result<ImportedEntry, String> {
    let secret = table
        .get(row, "secret")
        .as_text()
        .ok_or_else(|| "it has no secret".to_string())?;
    let secret = SecretBytes::from_base32(secret).map_err(|e| e.to_string())?;
    let kind = match integer(table.get(row, "type"), "type", 0)? {
        0 => Kind::Totp { period: 30 },
        1 => Kind::Hotp {
            counter: u64::try_from(integer(table.get(row, "counter"), "counter", 0)?)
                .map_err(|_| "its counter is negative".to_string())?,
        },
        other => return Err(format!("its type {other} is neither TOTP (0) nor HOTP (1)")),
    };
    build_entry(name, issuer, secret, kind, Algorithm::Sha1, 6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issuer_comes_from_its_column_or_the_label() {
        let table = Table::for_tests(&["email", "issuer"]);
        let row = |email: &str, issuer: Option<&str>| {
            vec![
                Value::Text(email.to_string().into()),
                issuer.map_or(Value::Null, |i| Value::Text(i.to_string().into())),
            ]
        };
        let names = |r: Vec<Value>| names(&table, &r);
        assert_eq!(
            names(row("Deno:mason", None)),
            (Some("Deno".into()), Some("mason".into()))
        );
        assert_eq!(
            names(row("Deno:mason", Some("Deno"))),
            (Some("Deno".into()), Some("mason".into()))
        );
        assert_eq!(
            names(row("a:b", Some("Other"))),
            (Some("Other".into()), Some("a:b".into()))
        );
        assert_eq!(names(row("mason", None)), (None, Some("mason".into())));
    }

    #[test]
    fn rows_that_cannot_be_read_are_skipped_with_the_reason() {
        let table = Table::for_tests(&["secret", "type", "counter"]);
        let secret = || Value::Text("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".to_string().into());
        let reason = |r: Vec<Value>| read(&table, &r, None, Some("n")).unwrap_err();
        assert_eq!(reason(vec![Value::Null]), "it has no secret");
        assert_eq!(
            reason(vec![secret(), Value::Real(0.5)]),
            "its `type` is not a whole number"
        );
        assert_eq!(
            reason(vec![secret(), Value::Integer(1), Value::Integer(-1)]),
            "its counter is negative"
        );
        assert!(
            read(&table, &[secret()], None, Some("n")).is_ok(),
            "no type is TOTP"
        );
    }
}
