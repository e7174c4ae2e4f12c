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
    let row =
        sqlx::query_as::<_, (String, i64)>("SELECT record, version FROM tokens WHERE serial = $1")
            .bind(serial)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(record, version)| Row { record, version }))
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

/// The serial numbers and sealed records of `user`'s tokens.
pub async fn of_user(pool: &AnyPool, user: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as::<_, (String, String)>(
        "SELECT serial, record FROM tokens WHERE user_name = $1 ORDER BY created_at, serial",
    )
    .bind(user)
    .fetch_all(pool)
    .await
}

/// The user token `serial` belongs to, if it exists.
pub async fn user_of(pool: &AnyPool, serial: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar::<_, String>("SELECT user_name FROM tokens WHERE serial = $1")
        .bind(serial)
        .fetch_optional(pool)
        .await
}
