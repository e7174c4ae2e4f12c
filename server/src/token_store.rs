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
//! refusal writes nothing here: the caller counts wrong codes for the throttle (`authn`), in
//! its own transaction straight to the database.

use std::sync::Arc;

use axum::http::StatusCode;
use sqlx::AnyPool;
use tessera_core::identityguard::SerialNumber;
use tessera_core::issuer::{
    Accepted, AcceptedResponse, Completion, IdentityInfo, IdentityRecord, IssuedIdentity,
    IssuerError, NewIdentity, Outcome, RecordKey, check_new, check_registration, check_reset_code,
    make_identity, make_serial_number, open_record, seal_record,
};
use zeroize::Zeroizing;

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
    resync_range: u8,
}

impl TokenStore {
    /// The store over `pool`, with `window` steps each way for tokens without their own, and
    /// two consecutive codes accepted within `resync_range` steps each way; starts the pool's
    /// writer task, so it is called inside the Tokio runtime.
    pub fn new(pool: AnyPool, key: Arc<RecordKey>, window: u8, resync_range: u8) -> Self {
        Self {
            commits: CommitQueue::start(pool.clone()),
            pool,
            key,
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

    /// Issues an OCRA challenge to token `serial` now.
    pub async fn issue_challenge(&self, serial: &str, actor: &Actor) -> Result<String, ApiError> {
        let serial: SerialNumber = serial.parse().map_err(IssuerError::from)?;
        let at = now();
        self.change(&serial, actor, "token.challenge", |record| {
            record.issue_challenge(at)
        })
        .await
    }

    /// Verifies the response of token `serial` to `challenge` now.
    pub async fn verify_response(
        &self,
        serial: &str,
        challenge: &str,
        response: &str,
        actor: &Actor,
    ) -> Result<AcceptedResponse, ApiError> {
        let serial: SerialNumber = serial.parse().map_err(IssuerError::from)?;
        let at = now();
        self.change(&serial, actor, "token.response", |record| {
            record.verify_response(challenge, response, at, self.window)
        })
        .await
    }

    /// The unlock code answering token `serial`'s PIN reset code; the record is unchanged,
    /// the audit row is written before the code is given.
    pub async fn unlock_code(
        &self,
        serial: &str,
        reset_code: &str,
        actor: &Actor,
    ) -> Result<Zeroizing<String>, ApiError> {
        let serial: SerialNumber = serial.parse().map_err(IssuerError::from)?;
        let reset_code = check_reset_code(reset_code)?;
        let (record, _) = self
            .open_usable(&serial, actor, "token.unlock_code")
            .await?;
        let code = record.unlock_code(&reset_code)?;
        let mut transaction = self.pool.begin().await?;
        let event = event(actor, "token.unlock_code", &serial, "issued");
        audit::write(&mut transaction, &event).await?;
        transaction.commit().await?;
        Ok(code)
    }

    /// What is known of each of `user`'s tokens, without secrets, oldest first.
    pub async fn list(&self, user: &str) -> Result<Vec<Listed>, ApiError> {
        let mut listed = Vec::new();
        for row in tokens::of_user(&self.pool, user).await? {
            let serial: SerialNumber = row.serial.parse().map_err(IssuerError::from)?;
            let record = open_record(&self.key, &serial, row.record.as_bytes())?;
            listed.push(Listed {
                info: record.info(self.window),
                created_at: row.created_at,
                disabled_at: row.disabled_at,
            });
        }
        Ok(listed)
    }

    /// Disables token `serial`; false when it was disabled already (nothing is written then).
    pub async fn disable(&self, serial: &str, actor: &Actor) -> Result<bool, ApiError> {
        let serial: SerialNumber = serial.parse().map_err(IssuerError::from)?;
        let mut transaction = self.pool.begin().await?;
        if !tokens::disable(&mut transaction, serial.as_digits()).await? {
            transaction.rollback().await?;
            return match tokens::read(&self.pool, serial.as_digits()).await? {
                Some(_) => Ok(false),
                None => Err(unknown(&serial).into()),
            };
        }
        audit::write(
            &mut transaction,
            &event(actor, "token.disable", &serial, "disabled"),
        )
        .await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// The row of `serial` and its opened record; a disabled token is refused, and the refusal
    /// audited as `action`.
    async fn open_usable(
        &self,
        serial: &SerialNumber,
        actor: &Actor,
        action: &str,
    ) -> Result<(IdentityRecord, tokens::Row), ApiError> {
        let row = tokens::read(&self.pool, serial.as_digits())
            .await?
            .ok_or_else(|| unknown(serial))?;
        if row.disabled {
            let mut transaction = self.pool.begin().await?;
            let event = event(actor, action, serial, "refused: disabled");
            audit::write(&mut transaction, &event).await?;
            transaction.commit().await?;
            return Err(ApiError::field(
                StatusCode::CONFLICT,
                "serial",
                format!("token {serial} is disabled"),
            ));
        }
        let record = open_record(&self.key, serial, row.record.as_bytes())?;
        Ok((record, row))
    }

    /// The serial numbers of `user`'s registered tokens that are not disabled.
    pub async fn registered_of(&self, user: &str) -> Result<Vec<SerialNumber>, ApiError> {
        let mut registered = Vec::new();
        for row in tokens::of_user(&self.pool, user).await? {
            if row.disabled_at.is_some() {
                continue;
            }
            let serial: SerialNumber = row.serial.parse().map_err(IssuerError::from)?;
            let record = open_record(&self.key, &serial, row.record.as_bytes())?;
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
        action: &'static str,
        operation: impl Fn(IdentityRecord) -> Result<Outcome<T>, IssuerError>,
    ) -> Result<T, ApiError> {
        for _ in 0..MAX_TRIES {
            let (record, row) = self.open_usable(serial, actor, action).await?;
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
            StatusCode::SERVICE_UNAVAILABLE,
            "this token is being changed by many requests at once; try again",
        ))
    }
}

/// One of a user's tokens, as listed.
#[derive(Debug)]
pub struct Listed {
    /// core's view of it, without secrets.
    pub info: IdentityInfo,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds, when disabled.
    pub disabled_at: Option<i64>,
}

fn unknown(serial: &SerialNumber) -> IssuerError {
    IssuerError::UnknownSerial {
        serial: serial.to_string(),
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
