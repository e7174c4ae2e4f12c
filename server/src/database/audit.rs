//! The `audit` table: one row per change, written in the change's own transaction (so an
//! event is recorded exactly when it happened). Rows name who, what, which subject, the
//! outcome and the client's address; never a secret.

use sqlx::{Any, Transaction};

use super::{as_column, now};

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
        "INSERT INTO audit (id, at, actor, action, subject, outcome, client) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(as_column(now()))
    .bind(event.actor)
    .bind(event.action)
    .bind(event.subject)
    .bind(event.outcome)
    .bind(event.client)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}
