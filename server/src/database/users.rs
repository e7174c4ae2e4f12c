//! The `users` table.

use sqlx::{Any, AnyPool, Transaction};

use super::{as_column, now};

/// Adds user `name` with `password_hash`; false when the name is taken.
pub async fn add(pool: &AnyPool, name: &str, password_hash: &str) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO users (name, password_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(password_hash)
    .bind(as_column(now()))
    .execute(pool)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// True when user `name` exists.
pub async fn exists(pool: &AnyPool, name: &str) -> Result<bool, sqlx::Error> {
    let found = sqlx::query_scalar::<_, i64>("SELECT 1 FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(pool)
        .await?;
    Ok(found.is_some())
}

/// The password hash of user `name`, if the user exists.
pub async fn password_hash(pool: &AnyPool, name: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar::<_, String>("SELECT password_hash FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(pool)
        .await
}

/// Adds user `name` inside `transaction` (an import); false when the name is taken.
pub async fn add_in(
    transaction: &mut Transaction<'_, Any>,
    name: &str,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO users (name, password_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(password_hash)
    .bind(as_column(now()))
    .execute(&mut **transaction)
    .await?;
    Ok(result.rows_affected() == 1)
}
