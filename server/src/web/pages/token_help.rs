//! Self-service for a locked or lost token, after a challenge question (stage `Help`) or
//! signed in: the unlock code for the reset code a locked token shows, or disabling a lost
//! token (and then a new one may be requested: the user stays the same).

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;

use crate::http::AppState;
use crate::web::csrf;
use crate::web::forms::{self, Plain, ResetCode};
use crate::web::render::{PageResult, html_with};
use crate::web::session::{Session, Stage, Visit};

/// The stages that reach these pages.
const ALLOWED: &[Stage] = &[Stage::Help, Stage::Full, Stage::SteppedUp];

#[derive(Template)]
#[template(path = "token_help.html")]
struct HelpPage<'a> {
    notice: Option<&'a str>,
    error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "unlock.html")]
struct UnlockPage<'a> {
    csrf: &'a str,
    notice: Option<&'a str>,
    error: Option<&'a str>,
    unlock_code: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "lost.html")]
struct LostPage<'a> {
    csrf: &'a str,
    notice: Option<&'a str>,
    error: Option<&'a str>,
    done: bool,
}

/// `GET /token/help`.
pub async fn help(State(state): State<AppState>, visit: Visit) -> PageResult {
    Session::require(&state, &visit, ALLOWED).await?;
    let page = HelpPage {
        notice: None,
        error: None,
    };
    Ok(html_with(&page, None))
}

/// `GET /token/unlock`.
pub async fn unlock_form(State(state): State<AppState>, visit: Visit) -> PageResult {
    let session = Session::require(&state, &visit, ALLOWED).await?;
    let page = UnlockPage {
        csrf: &session.csrf,
        notice: None,
        error: None,
        unlock_code: None,
    };
    Ok(html_with(&page, None))
}

/// `POST /token/unlock`: the unlock code for the reset code, from the user's registered
/// token (a reset code fits one token only: each is tried).
pub async fn unlock(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let session = Session::require(&state, &visit, ALLOWED).await?;
    let form: ResetCode = forms::parse(&body)?;
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    let reset_code = form.reset_code.unwrap_or_default();
    let actor = visit.actor("web", &session.user);
    let mut unlock_code = None;
    for serial in state.tokens.registered_of(&session.user).await? {
        match state
            .tokens
            .unlock_code(serial.as_digits(), reset_code.trim(), &actor)
            .await
        {
            Ok(code) => {
                unlock_code = Some(code);
                break;
            }
            Err(error) if error.status().is_client_error() => {}
            Err(error) => return Err(error.into()),
        }
    }
    let error = unlock_code
        .is_none()
        .then_some("That reset code is wrong. Check it and try again.");
    let page = UnlockPage {
        csrf: &session.csrf,
        notice: None,
        error,
        unlock_code: unlock_code.as_deref().map(String::as_str),
    };
    Ok(html_with(&page, None))
}

/// `GET /token/lost`.
pub async fn lost_form(State(state): State<AppState>, visit: Visit) -> PageResult {
    let session = Session::require(&state, &visit, ALLOWED).await?;
    let page = LostPage {
        csrf: &session.csrf,
        notice: None,
        error: None,
        done: false,
    };
    Ok(html_with(&page, None))
}

/// `POST /token/lost`: disables every usable token of the user. With no registered token
/// left, the password and the challenge answer are every factor the user has, so a `Help`
/// session becomes a full one (under a new id) and may request a new token.
pub async fn lost(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let mut session = Session::require(&state, &visit, ALLOWED).await?;
    let form: Plain = forms::parse(&body)?;
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    let actor = visit.actor("web", &session.user);
    for token in state.tokens.list(&session.user).await? {
        if token.disabled_at.is_none() {
            state
                .tokens
                .disable(token.info.serial.as_digits(), &actor)
                .await?;
        }
    }
    // A token requested but not activated was disabled too: its activation data goes.
    session.keep_activation(&state, None).await?;
    let cookie = if session.stage == Stage::Help {
        Some(session.promote(&state, Stage::Full).await?)
    } else {
        None
    };
    let page = LostPage {
        csrf: &session.csrf,
        notice: Some("Your soft token is disabled."),
        error: None,
        done: true,
    };
    Ok(html_with(&page, cookie))
}
