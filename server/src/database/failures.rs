//! The `auth_failures` table: each user's consecutive failures per factor, the state behind
//! [`crate::throttle`]. A failure is counted by one atomic upsert (`failures = failures + 1`),
//! so parallel wrong guesses, in one server or several, all count.

use sqlx::{Any, AnyPool, Transaction};

use crate::throttle::{Count, Factor, Policy};

/// The stored count of `user`'s `factor`, if it has failed since its last success.
pub async fn read(
    pool: &AnyPool,
    user: &str,
    factor: Factor,
) -> Result<Option<Count>, sqlx::Error> {
    let row = sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT failures, last_failure_ms, locked_until_ms FROM auth_failures WHERE user_name = $1 AND factor = $2",
    )
    .bind(user)
    .bind(factor.as_str())
    .fetch_optional(pool)
    .await?;
    Ok(
        row.map(|(failures, last_failure_ms, locked_until_ms)| Count {
            failures,
            last_failure_ms,
            locked_until_ms,
        }),
    )
}

/// Counts one more failure of `user`'s `factor` at `now_ms` (starting again at 1 when a lock
/// has run out) and locks the factor when `policy` says so; returns the count.
pub async fn record(
    transaction: &mut Transaction<'_, Any>,
    user: &str,
    factor: Factor,
    policy: &Policy,
    now_ms: i64,
) -> Result<i64, sqlx::Error> {
    let failures = sqlx::query_scalar::<_, i64>(
        "INSERT INTO auth_failures (user_name, factor, failures, last_failure_ms, locked_until_ms) VALUES ($1, $2, 1, $3, 0) \
         ON CONFLICT (user_name, factor) DO UPDATE SET \
         failures = CASE WHEN auth_failures.locked_until_ms <> 0 AND auth_failures.locked_until_ms <= $3 THEN 1 ELSE auth_failures.failures + 1 END, \
         locked_until_ms = CASE WHEN auth_failures.locked_until_ms <> 0 AND auth_failures.locked_until_ms <= $3 THEN 0 ELSE auth_failures.locked_until_ms END, \
         last_failure_ms = $3 \
         RETURNING failures",
    )
    .bind(user)
    .bind(factor.as_str())
    .bind(now_ms)
    .fetch_one(&mut **transaction)
    .await?;
    if let Some(until) = policy.locked_until_ms(failures, now_ms) {
        sqlx::query(
            "UPDATE auth_failures SET locked_until_ms = $1 WHERE user_name = $2 AND factor = $3 AND locked_until_ms = 0",
        )
        .bind(until)
        .bind(user)
        .bind(factor.as_str())
        .execute(&mut **transaction)
        .await?;
    }
    Ok(failures)
}

/// Forgets `user`'s failures of `factor` after a success.
pub async fn reset(
    transaction: &mut Transaction<'_, Any>,
    user: &str,
    factor: Factor,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM auth_failures WHERE user_name = $1 AND factor = $2")
        .bind(user)
        .bind(factor.as_str())
        .execute(&mut **transaction)
        .await?;
    Ok(())
}
