//! `/api/v1` for the help desk and self-service pages: a user's tokens, disabling one, and the
//! unlock code answering a locked token's PIN reset code.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::Client;
use super::body::{parse, required};
use crate::api_keys::Scope;
use crate::database;
use crate::error::ApiError;

/// One token of a user, without secrets.
#[derive(Serialize)]
pub struct TokenSummary {
    serial: String,
    digits: u8,
    address: Option<String>,
    ocra_suite: Option<String>,
    registered: bool,
    window: u8,
    drift_steps: i64,
    created_at: i64,
    disabled: bool,
    disabled_at: Option<i64>,
}

/// `GET /api/v1/users/{user}/tokens` answers this.
#[derive(Serialize)]
pub struct UserTokens {
    user: String,
    tokens: Vec<TokenSummary>,
}

/// Lists a user's tokens, oldest first.
pub async fn list(
    State(state): State<AppState>,
    client: Client,
    Path(user): Path<String>,
) -> Result<Json<UserTokens>, ApiError> {
    client.with_scope(Scope::Enrol)?;
    if !database::users::exists(&state.pool, &user).await? {
        return Err(ApiError::field(
            StatusCode::NOT_FOUND,
            "user",
            format!("there is no user {user:?}"),
        ));
    }
    let tokens = state
        .tokens
        .list(&user)
        .await?
        .into_iter()
        .map(|listed| TokenSummary {
            serial: listed.info.serial.to_string(),
            digits: listed.info.digits,
            address: listed.info.address,
            ocra_suite: listed.info.ocra.as_ref().map(ToString::to_string),
            registered: listed.info.registered,
            window: listed.info.window,
            drift_steps: listed.info.drift_steps,
            created_at: listed.created_at,
            disabled: listed.disabled_at.is_some(),
            disabled_at: listed.disabled_at,
        })
        .collect();
    Ok(Json(UserTokens { user, tokens }))
}

/// `POST /api/v1/tokens/{serial}/disable` answers this.
#[derive(Serialize)]
pub struct Disabled {
    serial: String,
    /// `disabled`, or `already_disabled`.
    status: &'static str,
}

/// Disables a token for good: its codes, responses and unlock codes are refused from now on.
pub async fn disable(
    State(state): State<AppState>,
    client: Client,
    Path(serial): Path<String>,
) -> Result<Json<Disabled>, ApiError> {
    let actor = client.with_scope(Scope::Enrol)?;
    let status = if state.tokens.disable(&serial, &actor).await? {
        tracing::info!(%serial, key = %actor.key_id, "token disabled");
        "disabled"
    } else {
        "already_disabled"
    };
    Ok(Json(Disabled { serial, status }))
}

/// `POST /api/v1/tokens/{serial}/unlock-code`.
#[derive(Debug, Deserialize)]
pub struct UnlockRequest {
    reset_code: Option<String>,
}

/// The unlock code, shown once.
#[derive(Serialize)]
pub struct UnlockCode {
    serial: String,
    unlock_code: String,
}

/// Answers a locked token's PIN reset code with its unlock code.
pub async fn unlock_code(
    State(state): State<AppState>,
    client: Client,
    Path(serial): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<UnlockCode>, ApiError> {
    let actor = client.with_scope(Scope::Enrol)?;
    let request: UnlockRequest = parse(body)?;
    let reset_code = required(request.reset_code, "reset_code")?;
    let code = state
        .tokens
        .unlock_code(&serial, &reset_code, &actor)
        .await?;
    tracing::info!(%serial, key = %actor.key_id, "unlock code issued");
    Ok(Json(UnlockCode {
        serial,
        unlock_code: code.to_string(),
    }))
}
