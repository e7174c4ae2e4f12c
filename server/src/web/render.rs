//! Turning templates and refusals into responses. A page that cannot be rendered, and any
//! failure of the server itself, is logged and answered with the generic 500 page: never an
//! error's text.

use askama::Template;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::session::{COOKIE_NAME, clear_cookie};
use crate::error::ApiError;

/// The generic 500 page's words.
pub const INTERNAL: &str = "Something went wrong on our side. Try again later.";
/// The 403 page's words for a form without the right token.
pub const FORGERY: &str = "This form has expired. Go back, reload the page and try again.";
/// The sign-in page's words after a session ended.
pub const ENDED: &str = "Your session has ended. Sign in again.";

/// A page with a heading, a notice or an error, and links: the 403, 500 and plain
/// confirmation pages.
#[derive(Template)]
#[template(path = "message.html")]
pub struct Message<'a> {
    /// The `<h1>`.
    pub title: &'a str,
    /// A success.
    pub notice: Option<&'a str>,
    /// A refusal.
    pub error: Option<&'a str>,
    /// (href, text) of each link.
    pub links: Vec<(&'a str, &'a str)>,
}

/// Why a page is not shown.
#[derive(Debug)]
pub enum PageError {
    /// The server failed (already logged).
    Internal,
    /// A POST without the right form token.
    Forgery,
    /// A form body that cannot be read.
    BadForm,
    /// Not allowed, with the words to show.
    Forbidden(&'static str),
    /// Not signed in (far enough): to the sign-in page.
    SignIn,
    /// The session ended: to the sign-in page, which says so.
    Ended,
}

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        // ApiError::internal has logged the detail already; the rest are refusals a page
        // should have handled itself, so they are worth a line too.
        tracing::error!(?error, "a page failed");
        PageError::Internal
    }
}

impl From<sqlx::Error> for PageError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::from(error).into()
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let message = |status, title, error| {
            let page = Message {
                title,
                notice: None,
                error: Some(error),
                links: vec![("/", "Back to the start")],
            };
            (status, html(&page)).into_response()
        };
        match self {
            PageError::Internal => message(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                INTERNAL,
            ),
            PageError::Forgery => message(StatusCode::FORBIDDEN, "Form expired", FORGERY),
            PageError::BadForm => message(
                StatusCode::BAD_REQUEST,
                "Form not understood",
                "This form could not be read. Go back, reload the page and try again.",
            ),
            PageError::Forbidden(words) => message(StatusCode::FORBIDDEN, "Not allowed", words),
            PageError::SignIn => redirect("/signin", None),
            PageError::Ended => redirect("/signin?ended=1", Some(clear_cookie(COOKIE_NAME))),
        }
    }
}

/// `page` rendered; the generic 500 page when it cannot be.
pub fn html<T: Template>(page: &T) -> Response {
    match page.render() {
        Ok(text) => Html(text).into_response(),
        Err(error) => {
            tracing::error!(%error, "a page could not be rendered");
            let fallback = format!(
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Error</title></head><body><h1>Something went wrong</h1><p class=\"error\" id=\"error\" role=\"alert\">{INTERNAL}</p></body></html>"
            );
            (StatusCode::INTERNAL_SERVER_ERROR, Html(fallback)).into_response()
        }
    }
}

/// `page` rendered, setting `cookie` when there is one.
pub fn html_with<T: Template>(page: &T, cookie: Option<HeaderValue>) -> Response {
    let mut response = html(page);
    if let Some(cookie) = cookie {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

/// 303 to `to` (a fixed path of the pages), setting `cookie` when there is one.
pub fn redirect(to: &'static str, cookie: Option<HeaderValue>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    response
        .headers_mut()
        .insert(LOCATION, HeaderValue::from_static(to));
    if let Some(cookie) = cookie {
        response.headers_mut().append(SET_COOKIE, cookie);
    }
    response
}

/// The page result of a handler.
pub type PageResult = Result<Response, PageError>;
