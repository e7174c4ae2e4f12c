//! The HTTP service: the router, its limits and its shared state.
//!
//! Every `/api/v1` route checks the API key before it reads anything else, bodies over
//! [`body::MAX_BODY_BYTES`] are refused, each request has [`REQUEST_TIMEOUT`] to finish, and
//! every failure is JSON (`error::ApiError`), unknown routes included.

mod auth;
mod authenticate;
pub mod body;
mod challenges;
mod health;
mod questions;
mod rate_limit;
mod token_admin;
mod tokens;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode};
use axum::routing::{MethodRouter, get, post, put};
use sqlx::AnyPool;
use tessera_core::issuer::RecordKey;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use rate_limit::RateLimit;

use crate::error::ApiError;
use crate::mail::Mailer;
use crate::throttle::Policy;
use crate::token_store::TokenStore;
use crate::web::SessionLimits;

/// The longest a request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler shares.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub pool: AnyPool,
    /// The tokens in it.
    pub tokens: TokenStore,
    /// The self-service address put in links when a request gives none.
    pub address: Option<String>,
    /// The limits on failed authentication attempts.
    pub throttle: Policy,
    /// The challenge questions users pick from.
    pub questions: Arc<[String]>,
    /// How long a question asked can be answered, in seconds.
    pub question_seconds: u64,
    /// The master key, which seals the answers' hashes (and, in `tokens`, the records).
    pub key: Arc<RecordKey>,
    /// Sends activation links by e-mail; `None` when no mail server is configured.
    pub mailer: Option<Mailer>,
    /// How long a Self Service session lasts.
    pub sessions: SessionLimits,
}

/// Every route: method, path and handler. The router is built from this list, and
/// [`routes`] reads it, so the OpenAPI file can be checked against what is really served.
fn table() -> Vec<(Method, &'static str, MethodRouter<AppState>)> {
    vec![
        (Method::GET, "/healthz", get(health::healthz)),
        (Method::GET, "/readyz", get(health::readyz)),
        (
            Method::POST,
            "/api/v1/users/{user}/tokens",
            post(tokens::create),
        ),
        (
            Method::GET,
            "/api/v1/users/{user}/tokens",
            get(token_admin::list),
        ),
        (
            Method::POST,
            "/api/v1/tokens/{serial}/registration",
            post(tokens::complete),
        ),
        (
            Method::POST,
            "/api/v1/tokens/{serial}/verify",
            post(tokens::verify),
        ),
        (
            Method::POST,
            "/api/v1/tokens/{serial}/challenge",
            post(challenges::issue),
        ),
        (
            Method::POST,
            "/api/v1/tokens/{serial}/response",
            post(challenges::verify),
        ),
        (
            Method::POST,
            "/api/v1/tokens/{serial}/unlock-code",
            post(token_admin::unlock_code),
        ),
        (
            Method::POST,
            "/api/v1/tokens/{serial}/disable",
            post(token_admin::disable),
        ),
        (Method::GET, "/api/v1/questions", get(questions::offered)),
        (
            Method::PUT,
            "/api/v1/users/{user}/questions",
            put(questions::set),
        ),
        (
            Method::POST,
            "/api/v1/users/{user}/questions/challenge",
            post(questions::challenge),
        ),
        (
            Method::POST,
            "/api/v1/authenticate",
            post(authenticate::authenticate),
        ),
    ]
}

/// The method and path of every route the router serves.
pub fn routes() -> Vec<(Method, &'static str)> {
    table()
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect()
}

/// The whole service, each client address limited to `limit`.
pub fn router(state: AppState, limit: &RateLimit) -> Router {
    let mut router = Router::new();
    for (_, path, handler) in table() {
        router = router.route(path, handler);
    }
    router
        .merge(crate::web::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(body::MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(rate_limit::layer(limit))
        .layer(
            // One line per request at info: the method and path (never headers or bodies, so
            // no key or secret), the status and the latency.
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state)
}

async fn not_found() -> ApiError {
    ApiError::general(StatusCode::NOT_FOUND, "there is no such route")
}

async fn method_not_allowed() -> ApiError {
    ApiError::general(
        StatusCode::METHOD_NOT_ALLOWED,
        "this route does not take that method",
    )
}

/// Reads `body` as each request type of the API, the way the handlers do; what the fuzz
/// targets run. Each answer is the parse's result, the value dropped.
pub fn parse_requests(body: &[u8]) -> Vec<Result<(), ApiError>> {
    fn one<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<(), ApiError> {
        body::parse::<T>(Ok(axum::body::Bytes::copy_from_slice(body))).map(drop)
    }
    vec![
        one::<tokens::CreateRequest>(body),
        one::<tokens::RegistrationRequest>(body),
        one::<tokens::VerifyRequest>(body),
        one::<challenges::ResponseRequest>(body),
        one::<token_admin::UnlockRequest>(body),
    ]
}
