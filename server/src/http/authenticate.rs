//! `POST /api/v1/authenticate`, for relying applications: is this the user? Every factor given
//! must be right, and at least the factors the user has must be given: the password always,
//! a security code when the user has a registered token. An answer to the question last asked
//! (`/users/{user}/questions/challenge`) may be given too and is then checked like the rest.
//!
//! Each factor is throttled (`authn`): a delayed or locked factor is refused as such before
//! anything is checked, each wrong factor counts one failure, each right one resets its count.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tessera_core::issuer::IssuerError;
use zeroize::Zeroizing;

use super::AppState;
use super::auth::Client;
use super::body::{parse, required};
use super::questions::unknown_user;
use crate::api_keys::Scope;
use crate::authn::{self, Attempt};
use crate::challenge_questions;
use crate::database;
use crate::error::ApiError;
use crate::passwords;
use crate::questions::normalise;
use crate::throttle::Factor;
use crate::token_store::{Actor, TokenStore};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    user: Option<String>,
    password: Option<Zeroizing<String>>,
    code: Option<String>,
    /// The token's next code, for a token whose clock is beyond the window (two-code resync).
    next_code: Option<String>,
    answer: Option<Zeroizing<String>>,
}

#[derive(Serialize)]
pub struct Authenticated {
    user: String,
    authenticated: bool,
    /// The factors checked, all right.
    factors: Vec<&'static str>,
}

pub async fn authenticate(
    State(state): State<AppState>,
    client: Client,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Authenticated>, ApiError> {
    let actor = client.with_scope(Scope::Verify)?;
    let request: Request = parse(body)?;
    let user = required(request.user, "user")?;
    let password_hash = database::users::password_hash(&state.pool, &user)
        .await?
        .ok_or_else(|| unknown_user(&user))?;
    let password = required(request.password, "password")?;
    let tokens = state.tokens.registered_of(&user).await?;
    if !tokens.is_empty() && request.code.is_none() {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "code",
            "code is required: this user has a registered token",
        ));
    }
    if request.next_code.is_some() && request.code.is_none() {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "code",
            "code is required with next_code",
        ));
    }
    let answer = match request.answer {
        Some(typed) => Some(normalise(&typed).map_err(|problem| {
            ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "answer",
                format!("the answer {problem}"),
            )
        })?),
        None => None,
    };
    let mut factors = vec![Factor::Password];
    if request.code.is_some() {
        factors.push(Factor::Code);
    }
    if answer.is_some() {
        factors.push(Factor::Answer);
    }
    let attempt = Attempt {
        pool: &state.pool,
        policy: &state.throttle,
        user: &user,
        actor: &actor,
        action: "authenticate",
        subject: &user,
    };
    let counts = authn::admit(attempt, &factors).await?;

    let mut results = Vec::with_capacity(factors.len());
    if let Some(code) = &request.code {
        let right = code_is_right(
            &state.tokens,
            &tokens,
            code,
            request.next_code.as_deref(),
            &actor,
        )
        .await?;
        results.push((Factor::Code, right));
    }
    let right = tokio::task::spawn_blocking(move || {
        passwords::matches(password.as_bytes(), &password_hash)
    })
    .await
    .map_err(|e| ApiError::internal("checking a password failed", &e))?;
    results.push((Factor::Password, right));
    if let Some(answer) = answer {
        let right = challenge_questions::answer_is_right(&state, &user, answer).await?;
        results.push((Factor::Answer, right));
    }
    authn::settle(attempt, &results, &counts, true).await?;

    let wrong: Vec<&str> = results
        .iter()
        .filter(|(_, right)| !right)
        .map(|(factor, _)| factor.as_str())
        .collect();
    if let Some(first) = wrong.first() {
        return Err(ApiError::field(
            StatusCode::UNAUTHORIZED,
            *first,
            format!("not authenticated: wrong {}", wrong.join(", ")),
        ));
    }
    Ok(Json(Authenticated {
        user,
        authenticated: true,
        factors: results.iter().map(|(factor, _)| factor.as_str()).collect(),
    }))
}

/// True when `code` (with `next_code`, a resync) is accepted by one of `tokens` (accepting it
/// there, once). A code no token has is wrong; a user without a registered token has no code
/// that is right.
async fn code_is_right(
    store: &TokenStore,
    tokens: &[tessera_core::identityguard::SerialNumber],
    code: &str,
    next_code: Option<&str>,
    actor: &Actor,
) -> Result<bool, ApiError> {
    for serial in tokens {
        match store
            .verify(serial.as_digits(), code, next_code, actor)
            .await?
        {
            Ok(_) => return Ok(true),
            Err(IssuerError::CodeNotValidNow | IssuerError::CodeAlreadyUsed) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(false)
}
