//! The server's store of IdentityGuard identities: core's record operations (the same ones the
//! folder store runs) between a read of the row and a conditional write of it.
//!
//! A change is one transaction: `UPDATE ... WHERE serial = ? AND version = ?` and its audit
//! row. When another request (in this process or another server) changed the row since it was
//! read, the update matches nothing, the transaction is dropped, and the operation runs again
//! on the new record — where a code just accepted by the other request is now refused as used.
//! So a code is accepted once, however many servers race for it, and "accepted" is answered
//! only after the commit returned (durable: see `database`). A refusal writes nothing here;
//! the caller counts wrong codes for the throttle (`authn`).

use std::sync::Arc;

use sqlx::AnyPool;
use tessera_core::identityguard::SerialNumber;
use tessera_core::issuer::{
    Accepted, Completion, IdentityRecord, IssuedIdentity, IssuerError, NewIdentity, Outcome,
    RecordKey, check_new, check_registration, make_identity, make_serial_number, open_record,
    seal_record,
};

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
    key: Arc<RecordKey>,
    window: u8,
    resync_range: u8,
}

impl TokenStore {
    /// The store over `pool`, with `window` steps each way for tokens without their own, and
    /// two consecutive codes accepted within `resync_range` steps each way.
    pub fn new(pool: AnyPool, key: RecordKey, window: u8, resync_range: u8) -> Self {
        Self {
            pool,
            key: Arc::new(key),
            window,
            resync_range,
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

    /// Verifies a security code of token `serial` now, or with `next_code` (the token's code
    /// of the step after `code`) resynchronises a token whose clock is beyond the window.
    /// A wrong or used code is the inner `Err` (the guess the throttle counts); a malformed
    /// code, an unknown serial and the like are the outer one.
    pub async fn verify(
        &self,
        serial: &str,
        code: &str,
        next_code: Option<&str>,
        actor: &Actor,
    ) -> Result<Result<Accepted, IssuerError>, ApiError> {
        let serial: SerialNumber = serial.parse().map_err(IssuerError::from)?;
        let at = now();
        let (action, range) = match next_code {
            Some(_) => ("token.resync", self.resync_range),
            None => ("token.verify", self.window),
        };
        self.change(&serial, actor, action, |record| {
            let unchanged = record.clone();
            let result = match next_code {
                Some(next) => record.resync(code, next, at, range),
                None => record.verify(code, at, range),
            };
            match result {
                Ok(outcome) => Ok(Outcome {
                    value: Ok(outcome.value),
                    record: outcome.record,
                    changed: outcome.changed,
                }),
                Err(wrong @ (IssuerError::CodeNotValidNow | IssuerError::CodeAlreadyUsed)) => {
                    Ok(Outcome {
                        value: Err(wrong),
                        record: unchanged,
                        changed: false,
                    })
                }
                Err(other) => Err(other),
            }
        })
        .await
    }

    /// The serial numbers of `user`'s registered tokens.
    pub async fn registered_of(&self, user: &str) -> Result<Vec<SerialNumber>, ApiError> {
        let mut registered = Vec::new();
        for (serial, row) in tokens::of_user(&self.pool, user).await? {
            let serial: SerialNumber = serial.parse().map_err(IssuerError::from)?;
            let record = open_record(&self.key, &serial, row.as_bytes())?;
            if record.info(self.window).registered {
                registered.push(serial);
            }
        }
        Ok(registered)
    }

    /// Runs `operation` on the record of `serial` and saves what it changed, conditionally,
    /// with an audit row, running it again on the new record when another change came first.
    async fn change<T>(
        &self,
        serial: &SerialNumber,
        actor: &Actor,
        action: &str,
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
            let sealed = seal(&self.key, &outcome.record)?;
            let mut transaction = self.pool.begin().await?;
            let written = tokens::update_if_unchanged(
                &mut transaction,
                serial.as_digits(),
                row.version,
                &sealed,
            )
            .await?;
            if !written {
                transaction.rollback().await?;
                continue;
            }
            audit::write(&mut transaction, &event(actor, action, serial, "accepted")).await?;
            transaction.commit().await?;
            return Ok(outcome.value);
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
