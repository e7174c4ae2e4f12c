//! `/api/v1` for OCRA tokens: issue a challenge, verify the token's response to it.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::auth::Client;
use super::body::{parse, required};
use crate::api_keys::Scope;
use crate::error::ApiError;

/// `POST /api/v1/tokens/{serial}/challenge` answers this.
#[derive(Serialize)]
pub struct Issued {
    serial: String,
    /// The question to show to the person, who types it into the token.
    challenge: String,
}

/// Issues a single-use challenge (the token must have an OCRA suite).
pub async fn issue(
    State(state): State<AppState>,
    client: Client,
    Path(serial): Path<String>,
) -> Result<Json<Issued>, ApiError> {
    let actor = client.with_scope(Scope::Verify)?;
    let challenge = state.tokens.issue_challenge(&serial, &actor).await?;
    Ok(Json(Issued { serial, challenge }))
}

/// `POST /api/v1/tokens/{serial}/response`.
#[derive(Debug, Deserialize)]
pub struct ResponseRequest {
    challenge: Option<String>,
    response: Option<String>,
}

/// An accepted response.
#[derive(Serialize)]
pub struct Accepted {
    serial: String,
    accepted: bool,
    /// The counter the token used, for counter suites.
    counter: Option<u64>,
    /// The time step the token used, for time suites.
    time_step: Option<u64>,
}

/// Verifies the token's response to a challenge issued for it.
pub async fn verify(
    State(state): State<AppState>,
    client: Client,
    Path(serial): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Accepted>, ApiError> {
    let actor = client.with_scope(Scope::Verify)?;
    let request: ResponseRequest = parse(body)?;
    let challenge = required(request.challenge, "challenge")?;
    let response = required(request.response, "response")?;
    let accepted = state
        .tokens
        .verify_response(&serial, &challenge, &response, &actor)
        .await?;
    Ok(Json(Accepted {
        serial,
        accepted: true,
        counter: accepted.counter,
        time_step: accepted.time_step,
    }))
}
