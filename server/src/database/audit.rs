//! The `audit` table: one row per change, written in the change's own transaction (so an
//! event is recorded exactly when it happened). Rows name who, what, which subject, the
//! outcome and the client's address; never a secret.

use serde::Serialize;
use sqlx::{Any, AnyPool, Transaction};

/// One event.
#[derive(Debug)]
pub struct Event<'a> {
    /// The API key id, or `cli` for the command line.
    pub actor: &'a str,
    /// What was done, e.g. `token.verify`.
    pub action: &'a str,
    /// What it was done to: a user name or a serial number.
    pub subject: &'a str,
    /// How it ended, e.g. `accepted`.
    pub outcome: &'a str,
    /// The client's address, when there is one.
    pub client: Option<&'a str>,
}

/// Writes `event` inside `transaction`.
pub async fn write(
    transaction: &mut Transaction<'_, Any>,
    event: &Event<'_>,
) -> Result<(), sqlx::Error> {
    let id: [u8; 16] = tessera_core::random::make_random_bytes()
        .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
    let id = data_encoding::HEXLOWER.encode(&id);
    sqlx::query(
        "INSERT INTO audit (id, at_us, actor, action, subject, outcome, client) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(now_micros())
    .bind(event.actor)
    .bind(event.action)
    .bind(event.subject)
    .bind(event.outcome)
    .bind(event.client)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// One stored event, as `audit export` writes it.
#[derive(Debug, Serialize)]
pub struct Stored {
    /// Random id.
    pub id: String,
    /// Unix microseconds.
    pub at_us: i64,
    /// See [`Event`].
    pub actor: String,
    /// See [`Event`].
    pub action: String,
    /// See [`Event`].
    pub subject: String,
    /// See [`Event`].
    pub outcome: String,
    /// See [`Event`].
    pub client: Option<String>,
}

/// Every event, oldest first.
pub async fn all(pool: &AnyPool) -> Result<Vec<Stored>, sqlx::Error> {
    let rows = sqlx::query_as::<_, (String, i64, String, String, String, String, Option<String>)>(
        "SELECT id, at_us, actor, action, subject, outcome, client FROM audit ORDER BY at_us, id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, at_us, actor, action, subject, outcome, client)| Stored {
                id,
                at_us,
                actor,
                action,
                subject,
                outcome,
                client,
            },
        )
        .collect())
}

/// The latest `limit` events about `user`: done by them on the pages, done to them, or to
/// one of their tokens; newest first.
pub async fn recent_about(
    pool: &AnyPool,
    user: &str,
    limit: i64,
) -> Result<Vec<Stored>, sqlx::Error> {
    let rows = sqlx::query_as::<_, (String, i64, String, String, String, String, Option<String>)>(
        "SELECT id, at_us, actor, action, subject, outcome, client FROM audit \
         WHERE subject = $1 OR actor = $2 OR subject IN (SELECT serial FROM tokens WHERE user_name = $1) \
         ORDER BY at_us DESC, id DESC LIMIT $3",
    )
    .bind(user)
    .bind(format!("web:{user}"))
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, at_us, actor, action, subject, outcome, client)| Stored {
                id,
                at_us,
                actor,
                action,
                subject,
                outcome,
                client,
            },
        )
        .collect())
}

/// Unix microseconds now.
fn now_micros() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_micros()).unwrap_or(i64::MAX)
        })
}
