//! The account page, the start page and sign-out.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;

use crate::database::{self, users::Role};
use crate::http::AppState;
use crate::web::csrf;
use crate::web::forms::{self, Plain};
use crate::web::render::{PageError, PageResult, html_with, redirect};
use crate::web::session::{COOKIE_NAME, Session, Stage, Visit, clear_cookie};

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    csrf: &'a str,
    notice: Option<&'a str>,
    error: Option<&'a str>,
    user: &'a str,
    can_request: bool,
    helpdesk: bool,
}

/// `GET /`: the account when signed in, else the sign-in page.
pub async fn home(State(state): State<AppState>, visit: Visit) -> PageResult {
    match Session::find(&state, &visit).await {
        Ok(Some(session)) if session.stage.signed_in() => Ok(redirect("/account", None)),
        Ok(_) | Err(PageError::Ended) => Ok(redirect("/signin", None)),
        Err(other) => Err(other),
    }
}

/// `GET /account`.
pub async fn account(State(state): State<AppState>, visit: Visit) -> PageResult {
    let session = Session::require(&state, &visit, &[Stage::Full, Stage::SteppedUp]).await?;
    let can_request = state.tokens.registered_of(&session.user).await?.is_empty();
    let helpdesk = database::users::role(&state.pool, &session.user).await? == Some(Role::Helpdesk);
    let page = AccountPage {
        csrf: &session.csrf,
        notice: None,
        error: None,
        user: &session.user,
        can_request,
        helpdesk,
    };
    Ok(html_with(&page, None))
}

/// `POST /signout`: the session's row is deleted.
pub async fn signout(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let Some(session) = Session::find(&state, &visit).await? else {
        return Ok(redirect("/signin", None));
    };
    let form: Plain = forms::parse(&body)?;
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    let actor = visit.actor("web", &session.user);
    let user = session.user.clone();
    session.end(&state).await?;
    super::audit(&state, &actor, "web.signout", &user, "signed out").await?;
    Ok(redirect("/signin", Some(clear_cookie(COOKIE_NAME))))
}
