//! The `tokens` table: one sealed identity record per row, with the version that makes every
//! change conditional.

use sqlx::{Any, AnyPool, Transaction};

use super::{as_column, now};

/// A token's sealed record and its version.
#[derive(Debug)]
pub struct Row {
    /// core's sealed record (JSON text).
    pub record: String,
    /// Grows by one at every change.
    pub version: i64,
    /// True once the token is disabled.
    pub disabled: bool,
}

/// A token as a user's list shows it.
#[derive(Debug)]
pub struct Listed {
    /// The serial number.
    pub serial: String,
    /// core's sealed record.
    pub record: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds, when disabled.
    pub disabled_at: Option<i64>,
}

/// Inserts a new token; false when its serial number is taken already.
pub async fn insert(
    transaction: &mut Transaction<'_, Any>,
    serial: &str,
    user: &str,
    record: &str,
) -> Result<bool, sqlx::Error> {
    let at = as_column(now());
    let result = sqlx::query(
        "INSERT INTO tokens (serial, user_name, record, version, created_at, updated_at) VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (serial) DO NOTHING",
    )
    .bind(serial)
    .bind(user)
    .bind(record)
    .bind(at)
    .bind(at)
    .execute(&mut **transaction)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The row of `serial`, if there is one.
pub async fn read(pool: &AnyPool, serial: &str) -> Result<Option<Row>, sqlx::Error> {
    let row = sqlx::query_as::<_, (String, i64, Option<i64>)>(
        "SELECT record, version, disabled_at FROM tokens WHERE serial = $1",
    )
    .bind(serial)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(|(record, version, disabled_at)| Row {
        record,
        version,
        disabled: disabled_at.is_some(),
    }))
}

/// The tokens of user `user`, oldest first.
pub async fn of_user(pool: &AnyPool, user: &str) -> Result<Vec<Listed>, sqlx::Error> {
    let rows = sqlx::query_as::<_, (String, String, i64, Option<i64>)>(
        "SELECT serial, record, created_at, disabled_at FROM tokens WHERE user_name = $1 ORDER BY created_at, serial",
    )
    .bind(user)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(serial, record, created_at, disabled_at)| Listed {
            serial,
            record,
            created_at,
            disabled_at,
        })
        .collect())
}

/// Disables `serial`; false when it was disabled already (or does not exist).
pub async fn disable(
    transaction: &mut Transaction<'_, Any>,
    serial: &str,
) -> Result<bool, sqlx::Error> {
    let at = as_column(now());
    let result = sqlx::query(
        "UPDATE tokens SET disabled_at = $1, version = version + 1, updated_at = $2 WHERE serial = $3 AND disabled_at IS NULL",
    )
    .bind(at)
    .bind(at)
    .bind(serial)
    .execute(&mut **transaction)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Every token's serial number, sealed record and version (for `keys rotate`).
pub async fn all(
    transaction: &mut Transaction<'_, Any>,
) -> Result<Vec<(String, String, i64)>, sqlx::Error> {
    sqlx::query_as::<_, (String, String, i64)>(
        "SELECT serial, record, version FROM tokens ORDER BY serial",
    )
    .fetch_all(&mut **transaction)
    .await
}

/// Replaces the sealed record of `serial` (its version grows, so a change read under the old
/// key is retried on the new record).
pub async fn reseal(
    transaction: &mut Transaction<'_, Any>,
    serial: &str,
    record: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tokens SET record = $1, version = version + 1 WHERE serial = $2")
        .bind(record)
        .bind(serial)
        .execute(&mut **transaction)
        .await?;
    Ok(())
}

/// Replaces the record of `serial` only if its version is still `version`; false when another
/// change came first (nothing is written then).
pub async fn update_if_unchanged(
    transaction: &mut Transaction<'_, Any>,
    serial: &str,
    version: i64,
    record: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE tokens SET record = $1, version = version + 1, updated_at = $2 WHERE serial = $3 AND version = $4",
    )
    .bind(record)
    .bind(as_column(now()))
    .bind(serial)
    .bind(version)
    .execute(&mut **transaction)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// The user token `serial` belongs to, if it exists.
pub async fn user_of(pool: &AnyPool, serial: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar::<_, String>("SELECT user_name FROM tokens WHERE serial = $1")
        .bind(serial)
        .fetch_optional(pool)
        .await
}
