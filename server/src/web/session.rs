//! The pages' sessions, kept in the database (`web_sessions`) so that several server
//! instances share them. The cookie holds a random 256-bit id; the row is found by its
//! SHA-256, so the table alone signs no one in. A row records how far the sign-in got
//! ([`Stage`]); every step up in privilege gives the session a new id ([`Session::promote`]),
//! so an id seen before a factor was checked is worth nothing after it.
//!
//! A session ends after [`SessionLimits::idle_seconds`] without a request or
//! [`SessionLimits::max_seconds`] after the password was given, whichever comes first, and
//! at sign-out; its row is deleted then.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::SessionLimits;
use super::render::PageError;
use crate::database::{self, as_column, now, web_sessions};
use crate::error::ApiError;
use crate::http::AppState;
use crate::token_store::Actor;

/// The session cookie's name.
pub const COOKIE_NAME: &str = "tessera_session";

/// How far a sign-in got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The password was right; the second factor is still to come.
    Password,
    /// The password was right and the person said their token is locked or lost: a challenge
    /// question comes next.
    Question,
    /// Password and challenge answer right, token locked or lost: the token help pages only.
    Help,
    /// Signed in with every factor the user has.
    Full,
    /// Signed in, and the token's code given again for one secure action.
    SteppedUp,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Stage::Password => "password",
            Stage::Question => "question",
            Stage::Help => "help",
            Stage::Full => "full",
            Stage::SteppedUp => "stepped_up",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [
            Stage::Password,
            Stage::Question,
            Stage::Help,
            Stage::Full,
            Stage::SteppedUp,
        ]
        .into_iter()
        .find(|stage| stage.as_str() == text)
    }

    /// True for the stages of a person signed in with every factor.
    pub fn signed_in(self) -> bool {
        matches!(self, Stage::Full | Stage::SteppedUp)
    }
}

/// A live session.
pub struct Session {
    id_hash: String,
    /// The user.
    pub user: String,
    /// How far the sign-in got.
    pub stage: Stage,
    /// The form token of this session.
    pub csrf: String,
    /// The sealed activation data of a token just requested.
    pub activation: Option<String>,
    /// The OCRA challenge shown (`SERIAL:CHALLENGE`), if any.
    pub challenge: Option<String>,
}

/// What a request arrives with: its cookies and the client's address.
pub struct Visit {
    headers: HeaderMap,
    client: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Visit {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let client = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(address)| address.ip().to_string());
        Ok(Self {
            headers: parts.headers.clone(),
            client,
        })
    }
}

impl Visit {
    /// The value of cookie `name`, if the request has it.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(|header| cookie_in(header, name))
            .map(str::to_owned)
    }

    /// Who acts, for the audit: `web:USER` (or `helpdesk:USER`) and the client's address.
    pub fn actor(&self, prefix: &str, user: &str) -> Actor {
        Actor {
            key_id: format!("{prefix}:{user}"),
            client: self.client.clone(),
        }
    }
}

/// The value of cookie `name` in one `Cookie` header's text.
pub fn cookie_in<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// A `Set-Cookie` value for the pages' cookies: only over HTTPS (browsers treat
/// http://127.0.0.1 as secure too), never to scripts, never on cross-site requests.
pub fn set_cookie(name: &str, value: &str) -> Result<HeaderValue, ApiError> {
    HeaderValue::from_str(&format!(
        "{name}={value}; HttpOnly; Secure; SameSite=Strict; Path=/"
    ))
    .map_err(|e| ApiError::internal("a cookie could not be made", &e))
}

/// A `Set-Cookie` value that deletes cookie `name`.
pub fn clear_cookie(name: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// 256 random bits as hex.
pub fn make_secret() -> Result<Zeroizing<String>, ApiError> {
    let bytes: Zeroizing<[u8; 32]> = Zeroizing::new(
        tessera_core::random::make_random_bytes()
            .map_err(|e| ApiError::internal("no random numbers", &e))?,
    );
    Ok(Zeroizing::new(data_encoding::HEXLOWER.encode(&*bytes)))
}

fn hash(id: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(id.as_bytes()))
}

impl Session {
    /// Starts a session for `user` at `stage` (after the password): its `Set-Cookie`. Expired
    /// sessions of everyone are deleted on the way.
    pub async fn start(
        state: &AppState,
        user: &str,
        stage: Stage,
    ) -> Result<(Self, HeaderValue), ApiError> {
        let now = now();
        let limits = state.sessions;
        web_sessions::delete_expired(
            &state.pool,
            as_column(now.saturating_sub(limits.idle_seconds)),
            as_column(now.saturating_sub(limits.max_seconds)),
        )
        .await?;
        let id = make_secret()?;
        let csrf = make_secret()?;
        let id_hash = hash(&id);
        web_sessions::insert(
            &state.pool,
            &id_hash,
            user,
            stage.as_str(),
            &csrf,
            as_column(now),
        )
        .await?;
        let cookie = set_cookie(COOKIE_NAME, &id)?;
        Ok((
            Self {
                id_hash,
                user: user.to_owned(),
                stage,
                csrf: csrf.to_string(),
                activation: None,
                challenge: None,
            },
            cookie,
        ))
    }

    /// The request's live session: `Ok(None)` without one, [`PageError::Ended`] when it has
    /// expired (its row is deleted).
    pub async fn find(state: &AppState, visit: &Visit) -> Result<Option<Self>, PageError> {
        let Some(id) = visit.cookie(COOKIE_NAME).map(Zeroizing::new) else {
            return Ok(None);
        };
        let id_hash = hash(&id);
        let Some(row) = web_sessions::read(&state.pool, &id_hash).await? else {
            return Err(PageError::Ended);
        };
        let now = as_column(now());
        if expired(state.sessions, row.created_at, row.last_seen_at, now) {
            web_sessions::delete(&state.pool, &id_hash).await?;
            return Err(PageError::Ended);
        }
        let Some(stage) = Stage::parse(&row.stage) else {
            web_sessions::delete(&state.pool, &id_hash).await?;
            return Err(PageError::Ended);
        };
        web_sessions::touch(&state.pool, &id_hash, now).await?;
        Ok(Some(Self {
            id_hash,
            user: row.user,
            stage,
            csrf: row.csrf,
            activation: row.activation,
            challenge: row.challenge,
        }))
    }

    /// The request's session when it is at one of `stages`; without a session the person is
    /// sent to sign in.
    pub async fn require(
        state: &AppState,
        visit: &Visit,
        stages: &[Stage],
    ) -> Result<Self, PageError> {
        match Self::find(state, visit).await? {
            Some(session) if stages.contains(&session.stage) => Ok(session),
            Some(_) | None => Err(PageError::SignIn),
        }
    }

    /// Moves the session to `stage` under a new id and form token (a privilege change); the
    /// new `Set-Cookie`. A session ended meanwhile (sign-out in another tab, or a parallel
    /// request that promoted it first) is [`PageError::Ended`].
    pub async fn promote(
        &mut self,
        state: &AppState,
        stage: Stage,
    ) -> Result<HeaderValue, PageError> {
        let id = make_secret()?;
        let csrf = make_secret()?;
        let id_hash = hash(&id);
        if !web_sessions::rekey(&state.pool, &self.id_hash, &id_hash, stage.as_str(), &csrf).await?
        {
            return Err(PageError::Ended);
        }
        self.id_hash = id_hash;
        self.stage = stage;
        self.csrf = csrf.to_string();
        self.challenge = None;
        Ok(set_cookie(COOKIE_NAME, &id)?)
    }

    /// Moves the session from its stage to `to` without a new id (a privilege given up);
    /// false when a parallel request moved it first.
    pub async fn demote(&mut self, state: &AppState, to: Stage) -> Result<bool, ApiError> {
        let moved = web_sessions::change_stage(
            &state.pool,
            &self.id_hash,
            self.stage.as_str(),
            to.as_str(),
        )
        .await?;
        if moved {
            self.stage = to;
        }
        Ok(moved)
    }

    /// Keeps (or forgets) the sealed activation data.
    pub async fn keep_activation(
        &mut self,
        state: &AppState,
        sealed: Option<String>,
    ) -> Result<(), ApiError> {
        web_sessions::set_activation(&state.pool, &self.id_hash, sealed.as_deref()).await?;
        self.activation = sealed;
        Ok(())
    }

    /// Keeps (or forgets) the OCRA challenge shown.
    pub async fn keep_challenge(
        &mut self,
        state: &AppState,
        challenge: Option<String>,
    ) -> Result<(), ApiError> {
        web_sessions::set_challenge(&state.pool, &self.id_hash, challenge.as_deref()).await?;
        self.challenge = challenge;
        Ok(())
    }

    /// Ends the session: its row is deleted.
    pub async fn end(self, state: &AppState) -> Result<(), ApiError> {
        database::web_sessions::delete(&state.pool, &self.id_hash).await?;
        Ok(())
    }
}

/// True when a session begun at `created_at` and last seen at `last_seen_at` has ended by
/// `now` (all Unix seconds).
pub fn expired(limits: SessionLimits, created_at: i64, last_seen_at: i64, now: i64) -> bool {
    let idle = now.saturating_sub(last_seen_at);
    let age = now.saturating_sub(created_at);
    idle > as_column(limits.idle_seconds) || age > as_column(limits.max_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_ends_when_idle_or_too_old() {
        let limits = SessionLimits::default();
        let start = 1_700_000_000;
        assert!(!expired(limits, start, start, start + 900));
        assert!(expired(limits, start, start, start + 901));
        // Active all along, still ended after 8 hours.
        assert!(!expired(limits, start, start + 28_790, start + 28_800));
        assert!(expired(limits, start, start + 28_790, start + 28_801));
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let header = "other=1; tessera_session=abc; tessera_session_x=no";
        assert_eq!(cookie_in(header, COOKIE_NAME), Some("abc"));
        assert_eq!(cookie_in("tessera_session_x=no", COOKIE_NAME), None);
        assert_eq!(cookie_in("garbage;;=;", COOKIE_NAME), None);
    }
}
