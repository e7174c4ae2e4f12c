//! The server's store of IdentityGuard identities: core's record operations (the same ones the
//! folder store runs) between a read of the row and a conditional write of it.
//!
//! A change is `UPDATE ... WHERE serial = ? AND version = ?` and its audit row, in one
//! transaction shared with the other requests' changes of the moment (`commit_batch`: one
//! durable commit for many). When another request (in this process or another server) changed
//! the row since it was read, the update matches nothing, nothing of this change is written,
//! and the operation runs again on the new record — where a code just accepted by the other
//! request is now refused as used. So a code is accepted once, however many servers race for
//! it, and "accepted" is answered only after the commit returned (durable: see `database`). A
//! refusal writes nothing.

use std::sync::Arc;

use sqlx::AnyPool;
use tessera_core::identityguard::SerialNumber;
use tessera_core::issuer::{
    Accepted, Completion, IdentityRecord, IssuedIdentity, IssuerError, NewIdentity, Outcome,
    RecordKey, check_new, check_registration, make_identity, make_serial_number, open_record,
    seal_record,
};

use crate::commit_batch::{Change, CommitQueue};
use crate::database::{audit, now, tokens};
use crate::error::ApiError;

/// Times an operation is run again after losing a race for the same row before the request
/// is answered "busy". Each loss means another change was committed, so this bounds only a
/// storm of changes to one token.
const MAX_TRIES: usize = 16;
/// Fresh serial numbers tried when one is taken.
const SERIAL_TRIES: usize = 8;

/// Who asks: an API key's id and the client's address, for the audit.
#[derive(Debug, Clone)]
pub struct Actor {
    /// The API key's public id.
    pub key_id: String,
    /// The client's address.
    pub client: Option<String>,
}

/// The tokens of one database, sealed under the master key.
#[derive(Debug, Clone)]
pub struct TokenStore {
    pool: AnyPool,
    commits: CommitQueue,
    key: Arc<RecordKey>,
    window: u8,
}

impl TokenStore {
    /// The store over `pool`, with `window` steps each way for tokens without their own;
    /// starts the pool's writer task, so it is called inside the Tokio runtime.
    pub fn new(pool: AnyPool, key: RecordKey, window: u8) -> Self {
        Self {
            commits: CommitQueue::start(pool.clone()),
            pool,
            key: Arc::new(key),
            window,
        }
    }

    /// Creates a token for user `user` (who must exist: checked by the caller, and by the
    /// foreign key).
    pub async fn create(
        &self,
        user: &str,
        new: &NewIdentity,
        actor: &Actor,
    ) -> Result<IssuedIdentity, ApiError> {
        let checked = check_new(new)?;
        for _ in 0..SERIAL_TRIES {
            let serial = make_serial_number()?;
            let (record, issued) = make_identity(checked.clone(), serial.clone())?;
            let sealed = seal(&self.key, &record)?;
            let mut transaction = self.pool.begin().await?;
            if tokens::insert(&mut transaction, serial.as_digits(), user, &sealed).await? {
                let event = event(actor, "token.create", &serial, "created");
                audit::write(&mut transaction, &event).await?;
                transaction.commit().await?;
                return Ok(issued);
            }
            transaction.rollback().await?;
        }
        Err(ApiError::internal(
            "no unused serial number was found",
            &"every serial drawn was taken",
        ))
    }

    /// Completes token `serial` with the registration code its token shows.
    pub async fn complete(
        &self,
        serial: &str,
        registration_code: &str,
        actor: &Actor,
    ) -> Result<Completion, ApiError> {
        let serial: SerialNumber = serial.parse().map_err(IssuerError::from)?;
        let registration = check_registration(&serial, registration_code)?;
        self.change(&serial, actor, "token.complete", |record| {
            record.complete(&registration)
        })
        .await
    }

    /// Verifies a security code of token `serial` now.
    pub async fn verify(
        &self,
        serial: &str,
        code: &str,
        actor: &Actor,
    ) -> Result<Accepted, ApiError> {
        let serial: SerialNumber = serial.parse().map_err(IssuerError::from)?;
        let at = now();
        self.change(&serial, actor, "token.verify", |record| {
            record.verify(code, at, self.window)
        })
        .await
    }

    /// Runs `operation` on the record of `serial` and saves what it changed, conditionally,
    /// with an audit row, running it again on the new record when another change came first.
    async fn change<T>(
        &self,
        serial: &SerialNumber,
        actor: &Actor,
        action: &'static str,
        operation: impl Fn(IdentityRecord) -> Result<Outcome<T>, IssuerError>,
    ) -> Result<T, ApiError> {
        for _ in 0..MAX_TRIES {
            let row = tokens::read(&self.pool, serial.as_digits())
                .await?
                .ok_or_else(|| IssuerError::UnknownSerial {
                    serial: serial.to_string(),
                })?;
            let record = open_record(&self.key, serial, row.record.as_bytes())?;
            let outcome = operation(record)?;
            if !outcome.changed {
                return Ok(outcome.value);
            }
            let change = Change {
                serial: serial.as_digits().to_owned(),
                version: row.version,
                record: seal(&self.key, &outcome.record)?,
                actor: actor.key_id.clone(),
                action,
                outcome: "accepted",
                client: actor.client.clone(),
            };
            if self.commits.commit(change).await? {
                return Ok(outcome.value);
            }
        }
        Err(ApiError::general(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "this token is being changed by many requests at once; try again",
        ))
    }
}

fn seal(key: &RecordKey, record: &IdentityRecord) -> Result<String, ApiError> {
    let bytes = seal_record(key, record)?;
    String::from_utf8(bytes).map_err(|e| ApiError::internal("a sealed record is not text", &e))
}

fn event<'a>(
    actor: &'a Actor,
    action: &'a str,
    serial: &'a SerialNumber,
    outcome: &'a str,
) -> audit::Event<'a> {
    audit::Event {
        actor: &actor.key_id,
        action,
        subject: serial.as_digits(),
        outcome,
        client: actor.client.as_deref(),
    }
}
