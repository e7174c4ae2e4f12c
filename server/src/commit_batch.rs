//! Group commit: the conditional writes of many requests in one transaction and one durable
//! commit (one fsync of SQLite's log, one WAL flush of PostgreSQL), instead of one each.
//!
//! A request that must save a changed record hands its [`Change`] to the [`CommitQueue`] and
//! waits. One writer task per server takes everything queued (up to [`MAX_BATCH`]), runs each
//! change's `UPDATE ... WHERE serial = ? AND version = ?` and, when that matched, its audit row,
//! in one transaction, commits once, and only then answers each request: written, or lost (the
//! row changed since it was read, by a change before it in the same batch, another request, or
//! another server). So "accepted" is still said only after the commit holding it is durable,
//! and exactly-once still rests on each change's own version check. While one batch commits,
//! the next one fills, so the batches grow with the load and a lone request waits for nothing.
//!
//! When a batch fails as a whole (the database refused one statement, or the commit), nothing
//! of it was written; each change is then run alone, so one bad change cannot fail the others.

use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};

use crate::database::{audit, tokens};
use crate::error::ApiError;

/// Changes at most in one transaction: bounds how long a batch holds SQLite's write lock.
const MAX_BATCH: usize = 512;
/// Requests that may wait for the writer before further ones wait to enqueue.
const QUEUE_DEPTH: usize = 4096;

/// One request's conditional write of a sealed record, with its audit event.
#[derive(Debug)]
pub struct Change {
    /// The token's serial number (digits).
    pub serial: String,
    /// The version the record was read at.
    pub version: i64,
    /// The new sealed record.
    pub record: String,
    /// The API key id that asked.
    pub actor: String,
    /// What was done, e.g. `token.verify`.
    pub action: &'static str,
    /// How it ended, e.g. `accepted`.
    pub outcome: &'static str,
    /// The client's address.
    pub client: Option<String>,
}

struct Job {
    change: Change,
    answer: oneshot::Sender<Result<bool, sqlx::Error>>,
}

/// The way to the writer task of one database.
#[derive(Debug, Clone)]
pub struct CommitQueue {
    jobs: mpsc::Sender<Job>,
}

impl CommitQueue {
    /// Starts the writer task over `pool` (inside the Tokio runtime); it ends when the last
    /// queue handle is dropped.
    pub fn start(pool: AnyPool) -> Self {
        let (jobs, receiver) = mpsc::channel(QUEUE_DEPTH);
        tokio::spawn(write_batches(pool, receiver));
        Self { jobs }
    }

    /// Writes `change` durably unless its row changed since it was read: true when written
    /// (and committed), false when another change came first (nothing written).
    pub async fn commit(&self, change: Change) -> Result<bool, ApiError> {
        let (answer, answered) = oneshot::channel();
        let stopped = || {
            ApiError::internal(
                "the database writer has stopped",
                &"the commit queue is closed",
            )
        };
        self.jobs
            .send(Job { change, answer })
            .await
            .map_err(|_| stopped())?;
        Ok(answered.await.map_err(|_| stopped())??)
    }
}

async fn write_batches(pool: AnyPool, mut receiver: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let batch: Vec<&Change> = jobs.iter().map(|job| &job.change).collect();
        match write(&pool, &batch).await {
            Ok(written) => {
                for (job, written) in jobs.drain(..).zip(written) {
                    let _ = job.answer.send(Ok(written));
                }
            }
            Err(error) => {
                tracing::warn!(%error, changes = jobs.len(), "a batch failed; writing its changes one by one");
                for job in jobs.drain(..) {
                    let result = write(&pool, &[&job.change]).await;
                    let _ = job
                        .answer
                        .send(result.map(|written| written.first().copied().unwrap_or(false)));
                }
            }
        }
    }
}

/// Writes `changes` in one transaction: for each, whether its version still matched.
///
/// Rows are updated in serial-number order, so two servers' batches on PostgreSQL lock rows in
/// the same order and never deadlock (changes of one token keep their queue order).
async fn write(pool: &AnyPool, changes: &[&Change]) -> Result<Vec<bool>, sqlx::Error> {
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_by_key(|&n| &changes[n].serial);
    let mut transaction = pool.begin().await?;
    let mut written = vec![false; changes.len()];
    for n in order {
        let change = changes[n];
        let matched = tokens::update_if_unchanged(
            &mut transaction,
            &change.serial,
            change.version,
            &change.record,
        )
        .await?;
        if matched {
            let event = audit::Event {
                actor: &change.actor,
                action: change.action,
                subject: &change.serial,
                outcome: change.outcome,
                client: change.client.as_deref(),
            };
            audit::write(&mut transaction, &event).await?;
        }
        written[n] = matched;
    }
    transaction.commit().await?;
    Ok(written)
}
