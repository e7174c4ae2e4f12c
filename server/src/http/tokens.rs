//! `/api/v1` for tokens: create one for a user, complete its registration, verify its codes.

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tessera_core::codes::OcraSuite;
use tessera_core::identityguard::SerialNumber;
use tessera_core::issuer::{Completion, IssuerError, LinkPasswordKind, NewIdentity};

use super::AppState;
use super::auth::Client;
use super::body::{parse, required};
use crate::api_keys::Scope;
use crate::authn::{self, Attempt};
use crate::database;
use crate::error::ApiError;
use crate::throttle::Factor;

/// `POST /api/v1/users/{user}/tokens`; every field may be left out.
#[derive(Debug, Deserialize)]
pub struct CreateRequest {
    /// 6 (the default) or 8.
    digits: Option<u8>,
    /// The self-service address put in the link, e.g. `myid.example.edu/igst`.
    address: Option<String>,
    /// `strong` (the default) or `digits8`.
    link_password: Option<LinkPassword>,
    /// An OCRA suite (e.g. `OCRA-1:HOTP-SHA1-6:QN08`), for a token that answers challenges.
    ocra_suite: Option<String>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum LinkPassword {
    Strong,
    Digits8,
}

/// The activation data, shown once.
#[derive(Serialize)]
pub struct Created {
    user: String,
    serial: String,
    activation_code: String,
    address: Option<String>,
    link: String,
    password: String,
    ocra_suite: Option<String>,
    /// The link as a QR code, an SVG document.
    qr_svg: String,
}

pub async fn create(
    State(state): State<AppState>,
    client: Client,
    Path(user): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let actor = client.with_scope(Scope::Enrol)?;
    let request: CreateRequest = parse(body)?;
    let ocra = request
        .ocra_suite
        .as_deref()
        .map(str::parse::<OcraSuite>)
        .transpose()
        .map_err(|e| {
            ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                "ocra_suite",
                e.to_string(),
            )
        })?;
    if !database::users::exists(&state.pool, &user).await? {
        return Err(ApiError::field(
            StatusCode::NOT_FOUND,
            "user",
            format!("there is no user {user:?}"),
        ));
    }
    let mut new = NewIdentity::new(user.clone());
    new.digits = request.digits.unwrap_or(6);
    new.address = request.address.or_else(|| state.address.clone());
    new.ocra = ocra;
    new.link_password = match request.link_password {
        Some(LinkPassword::Digits8) => LinkPasswordKind::Digits8,
        Some(LinkPassword::Strong) | None => LinkPasswordKind::Strong,
    };
    let issued = state.tokens.create(&user, &new, &actor).await?;
    let qr_svg = crate::qr_svg::draw(&issued.link)?;
    tracing::info!(serial = %issued.serial, %user, key = %actor.key_id, "token created");
    Ok((
        StatusCode::CREATED,
        Json(Created {
            user,
            serial: issued.serial.to_string(),
            activation_code: issued.activation_code.to_string(),
            address: new.address,
            link: issued.link.to_string(),
            password: issued.password.to_string(),
            ocra_suite: new.ocra.as_ref().map(ToString::to_string),
            qr_svg,
        }),
    ))
}

/// `POST /api/v1/tokens/{serial}/registration`.
#[derive(Debug, Deserialize)]
pub struct RegistrationRequest {
    registration_code: Option<String>,
}

#[derive(Serialize)]
pub struct Registered {
    serial: String,
    /// `registered`, or `already_registered` for the same code again.
    status: &'static str,
}

pub async fn complete(
    State(state): State<AppState>,
    client: Client,
    Path(serial): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Registered>, ApiError> {
    let actor = client.with_scope(Scope::Enrol)?;
    let request: RegistrationRequest = parse(body)?;
    let code = required(request.registration_code, "registration_code")?;
    let completion = state.tokens.complete(&serial, &code, &actor).await?;
    let status = match completion {
        Completion::Registered { .. } => "registered",
        Completion::AlreadyRegistered => "already_registered",
    };
    tracing::info!(%serial, status, key = %actor.key_id, "registration");
    Ok(Json(Registered { serial, status }))
}

/// `POST /api/v1/tokens/{serial}/verify`.
#[derive(Debug, Deserialize)]
pub struct VerifyRequest {
    code: Option<String>,
    /// The token's next code, for a token whose clock is beyond the window (two-code resync).
    next_code: Option<String>,
}

#[derive(Serialize)]
pub struct Verified {
    serial: String,
    accepted: bool,
    /// The token's clock offset from the server's, in 30-second steps.
    drift_steps: i64,
}

/// Wrong codes count against the token's user like `/authenticate`'s (`authn`), so the
/// throttle cannot be escaped by verifying serials directly.
pub async fn verify(
    State(state): State<AppState>,
    client: Client,
    Path(serial): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Verified>, ApiError> {
    let actor = client.with_scope(Scope::Verify)?;
    let request: VerifyRequest = parse(body)?;
    let code = required(request.code, "code")?;
    let parsed: SerialNumber = serial.parse().map_err(IssuerError::from)?;
    let user = database::tokens::user_of(&state.pool, parsed.as_digits())
        .await?
        .ok_or_else(|| {
            ApiError::from(IssuerError::UnknownSerial {
                serial: serial.clone(),
            })
        })?;
    let attempt = Attempt {
        pool: &state.pool,
        policy: &state.throttle,
        user: &user,
        actor: &actor,
        action: "token.verify",
        subject: parsed.as_digits(),
    };
    let counts = authn::admit(attempt, &[Factor::Code]).await?;
    let result = state
        .tokens
        .verify(&serial, &code, request.next_code.as_deref(), &actor)
        .await;
    if let Err(error) = &result {
        tracing::info!(%serial, status = %error.status(), key = %actor.key_id, "code refused");
    }
    let checked = result?;
    // A used code proves knowledge of a real one and gains nothing, so it is not counted:
    // clients retrying one code at once keep hearing "already used", not "try again".
    if !matches!(checked, Err(IssuerError::CodeAlreadyUsed)) {
        authn::settle(attempt, &[(Factor::Code, checked.is_ok())], &counts, false).await?;
    }
    let accepted = checked?;
    Ok(Json(Verified {
        serial,
        accepted: true,
        drift_steps: accepted.drift_steps,
    }))
}
