//! "Create a certificate": the demonstration of a secure action. The token is asked again
//! (step-up) and the step-up is spent by one action: the action's POST moves the session
//! back from `SteppedUp` to `Full` in one conditional write, so two parallel POSTs after one
//! step-up make one certificate.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use zeroize::Zeroizing;

use super::signin::{CodePage, code_wrong};
use crate::http::AppState;
use crate::web::csrf;
use crate::web::forms::{self, Code, Plain};
use crate::web::render::{Message, PageResult, html_with, redirect};
use crate::web::second_factor::{self, Outcome, Prompt};
use crate::web::session::{Session, Stage, Visit};

#[derive(Template)]
#[template(path = "certificate.html")]
struct CertificatePage<'a> {
    csrf: &'a str,
    notice: Option<&'a str>,
    error: Option<&'a str>,
    ready: bool,
}

/// The step-up form, or the words for a user without a token.
async fn step_up_page(
    state: &AppState,
    visit: &Visit,
    session: &mut Session,
    error: Option<&str>,
) -> PageResult {
    let actor = visit.actor("web", &session.user);
    let challenge = match second_factor::prompt(state, session, &actor).await? {
        None => {
            let page = Message {
                title: "Create a certificate",
                notice: None,
                error: Some("You need an activated soft token for this."),
                links: vec![
                    ("/token/request", "Request a soft token"),
                    ("/account", "Back to your account"),
                ],
            };
            return Ok(html_with(&page, None));
        }
        Some(Prompt::Code) => None,
        Some(Prompt::Challenge(challenge)) => Some(challenge),
    };
    let page = CodePage {
        csrf: &session.csrf,
        notice: None,
        error,
        title: "Create a certificate",
        action: "/certificate/verify",
        button: "Continue",
        challenge: challenge.as_deref(),
        help_link: false,
    };
    Ok(html_with(&page, None))
}

/// `GET /certificate`.
pub async fn page(State(state): State<AppState>, visit: Visit) -> PageResult {
    let mut session = Session::require(&state, &visit, &[Stage::Full, Stage::SteppedUp]).await?;
    if session.stage == Stage::SteppedUp {
        let page = CertificatePage {
            csrf: &session.csrf,
            notice: None,
            error: None,
            ready: true,
        };
        return Ok(html_with(&page, None));
    }
    step_up_page(&state, &visit, &mut session, None).await
}

/// `POST /certificate/verify`: the token's code again.
pub async fn verify(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let mut session = Session::require(&state, &visit, &[Stage::Full]).await?;
    let form: Code = forms::parse(&body)?;
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    let typed: Zeroizing<String> = form.code.unwrap_or_default();
    let actor = visit.actor("web", &session.user);
    let was_challenge = session.challenge.is_some();
    let outcome =
        second_factor::check(&state, &mut session, typed.trim(), &actor, "web.step_up").await?;
    let error = match outcome {
        Outcome::Accepted => {
            let cookie = session.promote(&state, Stage::SteppedUp).await?;
            return Ok(redirect("/certificate", Some(cookie)));
        }
        Outcome::Wrong => code_wrong(was_challenge),
        Outcome::Used => "That security code has already been used. Wait for the next one.".into(),
        Outcome::Throttled(words) => words,
    };
    step_up_page(&state, &visit, &mut session, Some(&error)).await
}

/// `POST /certificate`: the secure action itself, once per step-up.
pub async fn create(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let mut session = Session::require(&state, &visit, &[Stage::Full, Stage::SteppedUp]).await?;
    let form: Plain = forms::parse(&body)?;
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    if session.stage != Stage::SteppedUp || !session.demote(&state, Stage::Full).await? {
        return step_up_page(&state, &visit, &mut session, None).await;
    }
    let actor = visit.actor("web", &session.user);
    super::audit(
        &state,
        &actor,
        "certificate.create",
        &session.user,
        "created",
    )
    .await?;
    let page = CertificatePage {
        csrf: &session.csrf,
        notice: Some("Your certificate was created."),
        error: None,
        ready: false,
    };
    Ok(html_with(&page, None))
}
