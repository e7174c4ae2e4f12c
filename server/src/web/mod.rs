//! The Self Service pages: server-rendered HTML (askama templates in `server/templates/`),
//! plain forms that work without JavaScript, for the people who use tokens and for the help
//! desk. The wording, labels and element ids follow docs/server.md ("Self Service pages"),
//! which the browser test relies on.
//!
//! Every page is answered with a strict Content-Security-Policy and no caching; every POST
//! carries a form token (`csrf`); sessions live in the database (`session`), so several
//! server instances share them. The pages call the same domain functions as the API
//! (`token_store`, `challenge_questions`, `authn`), so a failure counted on a page counts for
//! the API too.

mod csrf;
pub mod forms;
mod headers;
mod pages;
mod render;
mod second_factor;
mod session;

use axum::Router;
use axum::routing::{get, post};

use crate::http::AppState;

pub use session::cookie_in;

/// The longest either session limit may be set to: a week.
pub const MAX_SESSION_SECONDS: u64 = 7 * 24 * 3600;

/// How long a Self Service session lasts (`serve --session-idle-seconds` and
/// `--session-max-seconds`, or the configuration file's keys of the same names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    /// Seconds without a request after which the session ends.
    pub idle_seconds: u64,
    /// Seconds after sign-in after which the session ends, however active.
    pub max_seconds: u64,
}

impl Default for SessionLimits {
    /// 15 idle minutes, 8 hours at most (OWASP's session management guidance for
    /// low-to-medium risk applications).
    fn default() -> Self {
        Self {
            idle_seconds: 15 * 60,
            max_seconds: 8 * 3600,
        }
    }
}

/// The pages' routes, with their security headers.
pub fn router() -> Router<AppState> {
    use pages::{account, certificate, helpdesk, signin, token, token_help};
    Router::new()
        .route("/", get(account::home))
        .route("/static/style.css", get(headers::stylesheet))
        .route("/signin", get(signin::form).post(signin::password))
        .route("/signin/step", get(signin::step))
        .route("/signin/questions", post(signin::set_questions))
        .route("/signin/answer", post(signin::answer))
        .route("/signin/code", post(signin::code))
        .route("/signin/help", get(signin::help))
        .route("/signout", post(account::signout))
        .route("/account", get(account::account))
        .route("/token/request", get(token::request).post(token::wanted))
        .route("/token/install", post(token::installed))
        .route(
            "/token/activate",
            get(token::activate).post(token::complete),
        )
        .route("/token/email", post(token::email))
        .route("/token/help", get(token_help::help))
        .route(
            "/token/unlock",
            get(token_help::unlock_form).post(token_help::unlock),
        )
        .route(
            "/token/lost",
            get(token_help::lost_form).post(token_help::lost),
        )
        .route(
            "/certificate",
            get(certificate::page).post(certificate::create),
        )
        .route("/certificate/verify", post(certificate::verify))
        .route("/helpdesk", get(helpdesk::find))
        .route("/helpdesk/unlock-code", post(helpdesk::unlock_code))
        .route("/helpdesk/disable", post(helpdesk::disable))
        .route("/helpdesk/reissue", post(helpdesk::reissue))
        .route("/helpdesk/activate", post(helpdesk::activate))
        .route("/helpdesk/reset-answers", post(helpdesk::reset_answers))
        .layer(axum::middleware::map_response(headers::secure))
}
