//! The token step, shared by sign-in and the step-up before a secure action: what to ask
//! (a time-based code, or an OCRA challenge when every registered token answers challenges),
//! and checking the answer under the throttle (`authn`), so wrong codes on the pages count
//! with the API's.

use tessera_core::issuer::IssuerError;

use super::session::Session;
use crate::authn::{self, Attempt};
use crate::error::ApiError;
use crate::http::AppState;
use crate::throttle::{Factor, Refusal};
use crate::token_store::Actor;

/// What the token step asks.
pub enum Prompt {
    /// "Enter the security code your soft token shows".
    Code,
    /// "Type this challenge into your soft token".
    Challenge(String),
}

/// How a code or response was taken.
pub enum Outcome {
    /// Right: accepted, once.
    Accepted,
    /// Wrong (or malformed): counted as a failure.
    Wrong,
    /// Right but used before: refused, not counted.
    Used,
    /// Not checked: the throttle's words.
    Throttled(String),
}

/// What to ask `session`'s user, issuing (and keeping in the session) an OCRA challenge when
/// needed; `None` when the user has no registered token.
pub async fn prompt(
    state: &AppState,
    session: &mut Session,
    actor: &Actor,
) -> Result<Option<Prompt>, ApiError> {
    let registered: Vec<_> = state
        .tokens
        .list(&session.user)
        .await?
        .into_iter()
        .filter(|t| t.info.registered && t.disabled_at.is_none())
        .collect();
    if registered.is_empty() {
        return Ok(None);
    }
    if registered.iter().any(|t| t.info.ocra.is_none()) {
        return Ok(Some(Prompt::Code));
    }
    if let Some((_, challenge)) = session.challenge.as_deref().and_then(|c| c.split_once(':')) {
        return Ok(Some(Prompt::Challenge(challenge.to_owned())));
    }
    let serial = registered[0].info.serial.as_digits().to_owned();
    let challenge = state.tokens.issue_challenge(&serial, actor).await?;
    session
        .keep_challenge(state, Some(format!("{serial}:{challenge}")))
        .await?;
    Ok(Some(Prompt::Challenge(challenge)))
}

/// Checks `code` (a security code, or the response to the session's OCRA challenge) for
/// `session`'s user, counting a wrong one; `action` names the attempt in the audit.
pub async fn check(
    state: &AppState,
    session: &mut Session,
    code: &str,
    actor: &Actor,
    action: &str,
) -> Result<Outcome, ApiError> {
    let user = session.user.clone();
    let attempt = Attempt {
        pool: &state.pool,
        policy: &state.throttle,
        user: &user,
        actor,
        action,
        subject: &user,
    };
    let counts = match authn::admit_or_refuse(attempt, &[Factor::Code]).await? {
        Ok(counts) => counts,
        Err((_, refusal)) => return Ok(Outcome::Throttled(throttled(refusal))),
    };
    let outcome = match session.challenge.take() {
        Some(asked) => {
            // A challenge answers once, right or wrong: the next prompt issues a new one.
            session.keep_challenge(state, None).await?;
            let (serial, challenge) = asked.split_once(':').unwrap_or_default();
            match state
                .tokens
                .verify_response(serial, challenge, code, actor)
                .await
            {
                Ok(_) => Outcome::Accepted,
                Err(error) if error.status().is_client_error() => Outcome::Wrong,
                Err(error) => return Err(error),
            }
        }
        None => check_code(state, &user, code, actor).await?,
    };
    if !matches!(outcome, Outcome::Used) {
        let right = matches!(outcome, Outcome::Accepted);
        authn::settle(attempt, &[(Factor::Code, right)], &counts, true).await?;
    }
    Ok(outcome)
}

/// A time-based code against each of `user`'s registered tokens.
async fn check_code(
    state: &AppState,
    user: &str,
    code: &str,
    actor: &Actor,
) -> Result<Outcome, ApiError> {
    let mut used = false;
    for serial in state.tokens.registered_of(user).await? {
        match state
            .tokens
            .verify(serial.as_digits(), code, None, actor)
            .await
        {
            Ok(Ok(_)) => return Ok(Outcome::Accepted),
            Ok(Err(IssuerError::CodeAlreadyUsed)) => used = true,
            Ok(Err(_)) => {}
            // A malformed code (letters, wrong length) is a wrong guess to the person.
            Err(error) if error.status().is_client_error() => {}
            Err(error) => return Err(error),
        }
    }
    Ok(if used { Outcome::Used } else { Outcome::Wrong })
}

/// The throttle's refusal in the pages' words.
pub fn throttled(refusal: Refusal) -> String {
    match refusal {
        Refusal::Delayed { retry_in_seconds } => {
            format!("Too many failed attempts. Try again in {retry_in_seconds} seconds.")
        }
        Refusal::Locked {
            retry_in_seconds, ..
        } => format!(
            "This account is locked after too many failed attempts. Try again in {} minutes, or call the help desk.",
            retry_in_seconds.div_ceil(60)
        ),
    }
}
