//! The HTTP service: the router, its limits and its shared state.
//!
//! Every `/api/v1` route checks the API key before it reads anything else, bodies over
//! [`body::MAX_BODY_BYTES`] are refused, each request has [`REQUEST_TIMEOUT`] to finish, and
//! every failure is JSON (`error::ApiError`), unknown routes included.

mod auth;
mod authenticate;
mod body;
mod health;
mod questions;
mod tokens;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use sqlx::AnyPool;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::error::ApiError;
use crate::throttle::Policy;
use crate::token_store::TokenStore;

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
}

/// The whole service.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/users/{user}/tokens", post(tokens::create))
        .route("/tokens/{serial}/registration", post(tokens::complete))
        .route("/tokens/{serial}/verify", post(tokens::verify))
        .route("/questions", get(questions::offered))
        .route("/users/{user}/questions", put(questions::set))
        .route(
            "/users/{user}/questions/challenge",
            post(questions::challenge),
        )
        .route("/authenticate", post(authenticate::authenticate));
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .nest("/api/v1", api)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(body::MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(TraceLayer::new_for_http())
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
