//! The rate limit per client address (the peer's IP; a proxy in front must be given its own
//! limit): a token bucket (GCRA, `tower_governor`) of `burst` requests, refilled at
//! `per_second`. A client over it is answered 429 with a JSON error and `Retry-After`, before
//! its API key or body is looked at.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::{HeaderValue, RETRY_AFTER};
use axum::http::{Response, StatusCode};
use axum::response::IntoResponse;
use governor::middleware::NoOpMiddleware;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::{GovernorConfig, GovernorConfigBuilder};
use tower_governor::key_extractor::PeerIpKeyExtractor;

use crate::error::ApiError;

/// How often addresses that have not been seen for a while are forgotten.
const FORGET_EVERY: Duration = Duration::from_secs(60);

/// The limit each client address gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests per second, sustained.
    pub per_second: u32,
    /// Requests at once after a quiet time.
    pub burst: u32,
}

impl Default for RateLimit {
    /// 20 a second, 50 at once: far above a person's sign-ins, well below a guessing script.
    fn default() -> Self {
        Self {
            per_second: 20,
            burst: 50,
        }
    }
}

type Layer = GovernorLayer<PeerIpKeyExtractor, NoOpMiddleware, Body>;

/// The layer enforcing `limit` (both numbers are at least 1: checked by the configuration).
pub fn layer(limit: &RateLimit) -> Layer {
    let period = Duration::from_secs(1) / limit.per_second.max(1);
    let config: Arc<GovernorConfig<PeerIpKeyExtractor, _>> = Arc::new(
        GovernorConfigBuilder::default()
            .period(period)
            .burst_size(limit.burst.max(1))
            .finish()
            .unwrap_or_else(GovernorConfig::default),
    );
    let limiter = Arc::clone(config.limiter());
    tokio::spawn(async move {
        let mut every = tokio::time::interval(FORGET_EVERY);
        loop {
            every.tick().await;
            limiter.retain_recent();
        }
    });
    GovernorLayer::new(config).error_handler(refusal)
}

fn refusal(error: GovernorError) -> Response<Body> {
    match error {
        GovernorError::TooManyRequests { wait_time, .. } => {
            let mut response = ApiError::general(
                StatusCode::TOO_MANY_REQUESTS,
                format!("too many requests from this address; try again in {wait_time} s"),
            )
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&wait_time.to_string()) {
                response.headers_mut().insert(RETRY_AFTER, value);
            }
            response
        }
        GovernorError::UnableToExtractKey => ApiError::internal(
            "the rate limit could not read the client's address",
            &"no peer address",
        )
        .into_response(),
        GovernorError::Other { code, msg, .. } => ApiError::general(
            code,
            msg.unwrap_or_else(|| "the request was refused".to_owned()),
        )
        .into_response(),
    }
}
