//! API clients: the `Authorization: Bearer tsk_...` header checked against the stored keys,
//! before anything of the request is read, and each handler's scope.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::StatusCode;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

use super::AppState;
use crate::api_keys::{self, Scope};
use crate::database;
use crate::error::ApiError;
use crate::token_store::Actor;

/// A client whose key was accepted.
#[derive(Debug)]
pub struct Client {
    actor: Actor,
    scopes: Vec<Scope>,
}

impl Client {
    /// Who asks, for the audit, when the key has `scope`.
    pub fn with_scope(self, scope: Scope) -> Result<Actor, ApiError> {
        if self.scopes.contains(&scope) {
            Ok(self.actor)
        } else {
            Err(ApiError::field(
                StatusCode::FORBIDDEN,
                "authorization",
                format!("this API key does not have the {scope} scope"),
            ))
        }
    }
}

fn unauthorized(message: &str) -> ApiError {
    ApiError::field(StatusCode::UNAUTHORIZED, "authorization", message)
}

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| unauthorized("an API key is required: Authorization: Bearer <key>"))?;
        let presented = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(|| unauthorized("the Authorization header must be Bearer <key>"))?;
        let refused = || unauthorized("the API key is not valid");
        let (id, secret) = api_keys::split(presented).ok_or_else(refused)?;
        let (stored_hash, scopes) = database::api_keys::find(&state.pool, id)
            .await?
            .ok_or_else(refused)?;
        if !api_keys::matches(secret, &stored_hash) {
            return Err(refused());
        }
        let client = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip().to_string());
        Ok(Client {
            actor: Actor {
                key_id: id.to_owned(),
                client,
            },
            scopes: api_keys::scopes_from_column(&scopes),
        })
    }
}
