//! The `server_meta` table: the master key's check value, so a server started with another key
//! than the one that sealed its records stops at once instead of failing on every token.

use sqlx::{Any, AnyPool, Transaction};

use crate::error::StartError;

const KEY_CHECK: &str = "master_key_check";

/// The stored check value, if the database has one yet.
pub async fn key_check(pool: &AnyPool) -> Result<Option<String>, StartError> {
    sqlx::query_scalar::<_, String>("SELECT value FROM server_meta WHERE name = $1")
        .bind(KEY_CHECK)
        .fetch_optional(pool)
        .await
        .map_err(StartError::database)
}

/// Stores `check` unless a check value is there already (another server may have won the
/// race); returns the value that is stored now.
pub async fn set_key_check(pool: &AnyPool, check: &str) -> Result<String, StartError> {
    sqlx::query(
        "INSERT INTO server_meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind(KEY_CHECK)
    .bind(check)
    .execute(pool)
    .await
    .map_err(StartError::database)?;
    key_check(pool).await?.ok_or(StartError::Migration(
        "the key check value was not stored".into(),
    ))
}

/// Replaces the check value inside `transaction` (`keys rotate`, with the records it re-seals).
pub async fn replace_key_check(
    transaction: &mut Transaction<'_, Any>,
    check: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE server_meta SET value = $1 WHERE name = $2")
        .bind(check)
        .bind(KEY_CHECK)
        .execute(&mut **transaction)
        .await?;
    Ok(())
}
