//! Form tokens against cross-site request forgery. Each session has a random 256-bit token,
//! put in a hidden field of every form and compared in constant time on every POST. Before a
//! session exists (the sign-in form) the token is a random value in its own cookie, to be
//! sent back in the form too (double submit): another site can make the browser send the
//! cookie (not with SameSite=Strict, but older browsers), never read it to fill the field.

use axum::http::HeaderValue;
use subtle::ConstantTimeEq;

use super::render::PageError;
use super::session::{Visit, make_secret, set_cookie};
use crate::error::ApiError;

/// The sign-in form's cookie.
pub const PRE_SESSION_COOKIE: &str = "tessera_signin";

/// True when `given` is `expected`, compared in constant time.
pub fn matches(expected: &str, given: Option<&str>) -> bool {
    let Some(given) = given else {
        return false;
    };
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

/// Refuses a form whose token is not `expected`.
pub fn check(expected: &str, given: Option<&str>) -> Result<(), PageError> {
    if matches(expected, given) {
        Ok(())
    } else {
        Err(PageError::Forgery)
    }
}

/// The sign-in form's token: the one in the request's cookie, or a new one with the cookie
/// that carries it.
pub fn pre_session(visit: &Visit) -> Result<(String, Option<HeaderValue>), ApiError> {
    if let Some(token) = visit.cookie(PRE_SESSION_COOKIE).filter(|t| t.len() == 64) {
        return Ok((token, None));
    }
    let token = make_secret()?;
    let cookie = set_cookie(PRE_SESSION_COOKIE, &token)?;
    Ok((token.to_string(), Some(cookie)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_token_matches() {
        assert!(matches("abc", Some("abc")));
        assert!(!matches("abc", Some("abd")));
        assert!(!matches("abc", Some("ab")));
        assert!(!matches("abc", None));
        assert!(!matches("", Some("")));
    }
}
