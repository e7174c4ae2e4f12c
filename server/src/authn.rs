//! Checking a user's factors under the throttle: before a factor is checked its stored count
//! is read and a delayed or locked factor is refused as such (423 or 429, never "wrong"); after
//! the checks one transaction counts each failure (atomically), forgets the failures of each
//! factor that succeeded, and writes the audit row of the event.
//!
//! A refused check is therefore a write, unlike the rest of the store's refusals: without it
//! the throttle could not hold across requests, sessions and servers.

use axum::http::StatusCode;
use sqlx::AnyPool;

use crate::database::{audit, failures, now_ms};
use crate::error::ApiError;
use crate::throttle::{Count, Factor, Policy, Refusal};
use crate::token_store::Actor;

/// The counts read before checking, to know afterwards which to forget.
#[derive(Debug, Default)]
pub struct Counts(Vec<(Factor, Count)>);

/// One authentication attempt of one user: where its counts are, under which policy, and
/// what the audit says of it.
#[derive(Debug, Clone, Copy)]
pub struct Attempt<'a> {
    /// The database.
    pub pool: &'a AnyPool,
    /// The throttle's limits.
    pub policy: &'a Policy,
    /// Whose factors are checked.
    pub user: &'a str,
    /// Who asks.
    pub actor: &'a Actor,
    /// The audit's action, e.g. `authenticate`.
    pub action: &'a str,
    /// The audit's subject: the user, or the serial number a code was given for.
    pub subject: &'a str,
}

/// Reads the counts of `factors` and refuses the attempt when one is delayed or locked (the
/// refusal is audited, and counts no failure: nothing was checked).
pub async fn admit(attempt: Attempt<'_>, factors: &[Factor]) -> Result<Counts, ApiError> {
    admit_or_refuse(attempt, factors)
        .await?
        .map_err(|(factor, refusal)| refused(factor, refusal).1)
}

/// [`admit`] with the refusal given as it is (which factor, and the wait), for callers that
/// word it their own way, like the Self Service pages.
pub async fn admit_or_refuse(
    attempt: Attempt<'_>,
    factors: &[Factor],
) -> Result<Result<Counts, (Factor, Refusal)>, ApiError> {
    let Attempt {
        pool,
        policy,
        user,
        actor,
        action,
        subject,
    } = attempt;
    let now = now_ms();
    let mut counts = Counts::default();
    for &factor in factors {
        let count = failures::read(pool, user, factor).await?;
        if let Err(refusal) = policy.check(count, now) {
            let (outcome, _) = refused(factor, refusal);
            let mut transaction = pool.begin().await?;
            audit::write(&mut transaction, &event(actor, action, subject, &outcome)).await?;
            transaction.commit().await?;
            return Ok(Err((factor, refusal)));
        }
        if let Some(count) = count {
            counts.0.push((factor, count));
        }
    }
    Ok(Ok(counts))
}

/// Records the checks' results in one transaction with the audit row: each failed factor
/// counts one more failure (and may lock), each succeeded factor that had failures is reset.
/// With `audit_success` false, an all-successful result writes no audit row (the caller's own
/// transaction recorded it) and, when no count needs resetting, nothing at all.
pub async fn settle(
    attempt: Attempt<'_>,
    results: &[(Factor, bool)],
    counts: &Counts,
    audit_success: bool,
) -> Result<(), ApiError> {
    let Attempt {
        pool,
        policy,
        user,
        actor,
        action,
        subject,
    } = attempt;
    let failed: Vec<Factor> = results
        .iter()
        .filter(|(_, right)| !right)
        .map(|(factor, _)| *factor)
        .collect();
    let to_reset: Vec<Factor> = results
        .iter()
        .filter(|(factor, right)| *right && counts.0.iter().any(|(f, _)| f == factor))
        .map(|(factor, _)| *factor)
        .collect();
    if failed.is_empty() && to_reset.is_empty() && !audit_success {
        return Ok(());
    }
    let now = now_ms();
    let mut transaction = pool.begin().await?;
    for &factor in &failed {
        failures::record(&mut transaction, user, factor, policy, now).await?;
    }
    for &factor in &to_reset {
        failures::reset(&mut transaction, user, factor).await?;
    }
    if !failed.is_empty() || audit_success {
        let outcome = if failed.is_empty() {
            "accepted".to_owned()
        } else {
            let names: Vec<&str> = failed.iter().map(|f| f.as_str()).collect();
            format!("refused: wrong {}", names.join(", "))
        };
        audit::write(&mut transaction, &event(actor, action, subject, &outcome)).await?;
    }
    transaction.commit().await?;
    Ok(())
}

/// The audit outcome and the answer for a throttled factor.
fn refused(factor: Factor, refusal: Refusal) -> (String, ApiError) {
    match refusal {
        Refusal::Locked {
            failures,
            retry_in_seconds,
        } => (
            format!("refused: {factor} locked"),
            ApiError::field(
                StatusCode::LOCKED,
                factor.as_str(),
                format!(
                    "locked: the {factor} failed {failures} times in a row; try again in {retry_in_seconds} s"
                ),
            ),
        ),
        Refusal::Delayed { retry_in_seconds } => (
            format!("refused: {factor} delayed"),
            ApiError::field(
                StatusCode::TOO_MANY_REQUESTS,
                factor.as_str(),
                format!(
                    "too many failed attempts with the {factor}; try again in {retry_in_seconds} s"
                ),
            ),
        ),
    }
}

fn event<'a>(
    actor: &'a Actor,
    action: &'a str,
    subject: &'a str,
    outcome: &'a str,
) -> audit::Event<'a> {
    audit::Event {
        actor: &actor.key_id,
        action,
        subject,
        outcome,
        client: actor.client.as_deref(),
    }
}
