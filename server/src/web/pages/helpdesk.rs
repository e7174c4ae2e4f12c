//! The help desk pages, for users whose role is `helpdesk`: find a user, see their tokens and
//! recent events, and act for a caller: an unlock code from the reset code read over the
//! phone, disabling or re-issuing a token, resetting the challenge answers. Every action goes
//! through the same domain functions as the API, audited with the actor
//! `helpdesk:OPERATOR`.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use tessera_core::issuer::NewIdentity;

use crate::challenge_questions;
use crate::database::{self, audit, users::Role};
use crate::error::ApiError;
use crate::http::AppState;
use crate::token_store::Actor;
use crate::web::csrf;
use crate::web::forms::{self, HelpdeskAction, Query};
use crate::web::render::{PageError, PageResult, html_with};
use crate::web::session::{Session, Stage, Visit};

/// Events shown per user.
const RECENT_EVENTS: i64 = 20;
/// The refusal for everyone else.
const NOT_HELPDESK: &str = "This page is for the help desk.";

#[derive(Template)]
#[template(path = "helpdesk.html")]
struct HelpdeskPage<'a> {
    csrf: &'a str,
    notice: Option<&'a str>,
    error: Option<&'a str>,
    searched: &'a str,
    found: Option<Found>,
}

/// What the page shows of the user found.
struct Found {
    user: String,
    tokens: Vec<TokenRow>,
    events: Vec<EventRow>,
    unlock_code: Option<String>,
    issued: Option<Issued>,
}

struct TokenRow {
    serial: String,
    state: &'static str,
    registered: bool,
    pending: bool,
    enabled: bool,
}

struct EventRow {
    at: String,
    actor: String,
    action: String,
    subject: String,
    outcome: String,
}

struct Issued {
    serial: String,
    activation_code: String,
    address: String,
}

/// What the result of an action adds to the user's view.
#[derive(Default)]
struct Shown {
    notice: Option<String>,
    error: Option<String>,
    unlock_code: Option<String>,
    issued: Option<Issued>,
}

/// The operator's session, refused unless signed in with the help desk role.
async fn operator(state: &AppState, visit: &Visit) -> Result<(Session, Actor), PageError> {
    let session = Session::require(state, visit, &[Stage::Full, Stage::SteppedUp]).await?;
    if database::users::role(&state.pool, &session.user).await? != Some(Role::Helpdesk) {
        return Err(PageError::Forbidden(NOT_HELPDESK));
    }
    let actor = visit.actor("helpdesk", &session.user);
    Ok((session, actor))
}

async fn view(state: &AppState, user: &str, shown: Shown) -> Result<Found, ApiError> {
    let tokens = state
        .tokens
        .list(user)
        .await?
        .into_iter()
        .map(|token| {
            let enabled = token.disabled_at.is_none();
            let registered = enabled && token.info.registered;
            let pending = enabled && !token.info.registered;
            TokenRow {
                serial: token.info.serial.to_string(),
                state: if !enabled {
                    "disabled"
                } else if registered {
                    "active"
                } else {
                    "not activated"
                },
                registered,
                pending,
                enabled,
            }
        })
        .collect();
    let events = audit::recent_about(&state.pool, user, RECENT_EVENTS)
        .await?
        .into_iter()
        .map(|event| EventRow {
            at: utc(event.at_us),
            actor: event.actor,
            action: event.action,
            subject: event.subject,
            outcome: event.outcome,
        })
        .collect();
    Ok(Found {
        user: user.to_owned(),
        tokens,
        events,
        unlock_code: shown.unlock_code,
        issued: shown.issued,
    })
}

fn page(
    session: &Session,
    searched: &str,
    found: Option<Found>,
    notice: Option<&str>,
    error: Option<&str>,
) -> PageResult {
    let page = HelpdeskPage {
        csrf: &session.csrf,
        notice,
        error,
        searched,
        found,
    };
    Ok(html_with(&page, None))
}

/// `GET /helpdesk[?user=NAME]`.
pub async fn find(
    State(state): State<AppState>,
    visit: Visit,
    RawQuery(query): RawQuery,
) -> PageResult {
    let (session, actor) = operator(&state, &visit).await?;
    let query: Query = forms::parse(query.unwrap_or_default().as_bytes())?;
    let Some(user) = query
        .user
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
    else {
        return page(&session, "", None, None, None);
    };
    if !database::users::exists(&state.pool, &user).await? {
        let words = format!("There is no user {user}.");
        return page(&session, &user, None, None, Some(&words));
    }
    super::audit(&state, &actor, "helpdesk.find", &user, "shown").await?;
    let found = view(&state, &user, Shown::default()).await?;
    page(&session, &user, Some(found), None, None)
}

/// The checked parts of an action's form: the user, and the serial when it is theirs.
async fn target(
    state: &AppState,
    session: &Session,
    form: &HelpdeskAction,
) -> Result<(String, Option<String>), PageError> {
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    let user = form.user.as_deref().unwrap_or_default().trim().to_owned();
    if !database::users::exists(&state.pool, &user).await? {
        return Err(PageError::BadForm);
    }
    let serial = match form.serial.as_deref() {
        None | Some("") => None,
        Some(serial) => {
            let digits: String = serial.chars().filter(char::is_ascii_digit).collect();
            if database::tokens::user_of(&state.pool, &digits)
                .await?
                .as_deref()
                != Some(user.as_str())
            {
                return Err(PageError::BadForm);
            }
            Some(digits)
        }
    };
    Ok((user, serial))
}

async fn done(state: &AppState, session: &Session, user: &str, shown: Shown) -> PageResult {
    let notice = shown.notice.clone();
    let error = shown.error.clone();
    let found = view(state, user, shown).await?;
    page(
        session,
        user,
        Some(found),
        notice.as_deref(),
        error.as_deref(),
    )
}

/// `POST /helpdesk/unlock-code`.
pub async fn unlock_code(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let (session, actor) = operator(&state, &visit).await?;
    let form: HelpdeskAction = forms::parse(&body)?;
    let (user, serial) = target(&state, &session, &form).await?;
    let serial = serial.ok_or(PageError::BadForm)?;
    let reset_code = form.reset_code.unwrap_or_default();
    let shown = match state
        .tokens
        .unlock_code(&serial, reset_code.trim(), &actor)
        .await
    {
        Ok(code) => Shown {
            unlock_code: Some(code.to_string()),
            ..Shown::default()
        },
        Err(error) if error.status().is_client_error() => Shown {
            error: Some("That reset code is wrong. Check it and try again.".into()),
            ..Shown::default()
        },
        Err(error) => return Err(error.into()),
    };
    done(&state, &session, &user, shown).await
}

/// `POST /helpdesk/disable`.
pub async fn disable(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let (session, actor) = operator(&state, &visit).await?;
    let form: HelpdeskAction = forms::parse(&body)?;
    let (user, serial) = target(&state, &session, &form).await?;
    let serial = serial.ok_or(PageError::BadForm)?;
    state.tokens.disable(&serial, &actor).await?;
    let shown = Shown {
        notice: Some("The soft token is disabled.".into()),
        ..Shown::default()
    };
    done(&state, &session, &user, shown).await
}

/// `POST /helpdesk/reissue`: disables the token (when one is given and still enabled) and
/// makes a new one for the same user, whose values the operator reads to the caller.
pub async fn reissue(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let (session, actor) = operator(&state, &visit).await?;
    let form: HelpdeskAction = forms::parse(&body)?;
    let (user, serial) = target(&state, &session, &form).await?;
    if let Some(serial) = serial {
        state.tokens.disable(&serial, &actor).await?;
    }
    let mut new = NewIdentity::new(user.clone());
    new.address = state.address.clone();
    let issued = state.tokens.create(&user, &new, &actor).await?;
    let shown = Shown {
        notice: Some("A new soft token is issued.".into()),
        issued: Some(Issued {
            serial: issued.serial.to_string(),
            activation_code: issued.activation_code.to_string(),
            address: new.address.unwrap_or_default(),
        }),
        ..Shown::default()
    };
    done(&state, &session, &user, shown).await
}

/// `POST /helpdesk/activate`: the registration code of a re-issued token.
pub async fn activate(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let (session, actor) = operator(&state, &visit).await?;
    let form: HelpdeskAction = forms::parse(&body)?;
    let (user, serial) = target(&state, &session, &form).await?;
    let serial = serial.ok_or(PageError::BadForm)?;
    let code = form.registration_code.unwrap_or_default();
    let shown = match state.tokens.complete(&serial, code.trim(), &actor).await {
        Ok(_) => Shown {
            notice: Some("The soft token is activated.".into()),
            ..Shown::default()
        },
        Err(error) if error.status().is_client_error() => Shown {
            error: Some("That registration code is wrong. Check it and try again.".into()),
            ..Shown::default()
        },
        Err(error) => return Err(error.into()),
    };
    done(&state, &session, &user, shown).await
}

/// `POST /helpdesk/reset-answers`.
pub async fn reset_answers(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let (session, actor) = operator(&state, &visit).await?;
    let form: HelpdeskAction = forms::parse(&body)?;
    let (user, _) = target(&state, &session, &form).await?;
    challenge_questions::reset(&state.pool, &user, &actor).await?;
    let shown = Shown {
        notice: Some(
            "The challenge answers are reset: the user sets new ones at the next sign-in.".into(),
        ),
        ..Shown::default()
    };
    done(&state, &session, &user, shown).await
}

/// Unix microseconds as `YYYY-MM-DD HH:MM:SS` (UTC), by the proleptic Gregorian calendar
/// (H. Hinnant's `civil_from_days`).
fn utc(at_us: i64) -> String {
    let seconds = at_us.div_euclid(1_000_000);
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}",
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn times_are_shown_in_utc() {
        assert_eq!(utc(0), "1970-01-01 00:00:00");
        // 2024-02-29 12:34:56 UTC, a leap day.
        assert_eq!(utc(1_709_210_096_000_000), "2024-02-29 12:34:56");
        assert_eq!(utc(951_782_400_000_000), "2000-02-29 00:00:00");
    }
}
