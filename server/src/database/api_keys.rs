//! The `api_keys` table.

use sqlx::AnyPool;

use super::{as_column, now};

/// Stores a new key.
pub async fn add(
    pool: &AnyPool,
    id: &str,
    secret_hash: &str,
    scopes: &str,
    label: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO api_keys (id, secret_hash, scopes, label, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(secret_hash)
    .bind(scopes)
    .bind(label)
    .bind(as_column(now()))
    .execute(pool)
    .await?;
    Ok(())
}

/// The secret's hash and the scopes of key `id`, if it exists.
pub async fn find(pool: &AnyPool, id: &str) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as::<_, (String, String)>("SELECT secret_hash, scopes FROM api_keys WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}
