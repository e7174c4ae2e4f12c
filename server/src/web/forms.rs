//! The pages' form bodies (`application/x-www-form-urlencoded`) and query strings. Every
//! field is optional here, so a missing field is the page's refusal in its own words, not a
//! parse failure; secrets are held in `Zeroizing` and the types have no `Debug`.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use zeroize::Zeroizing;

use super::render::PageError;

/// The longest form body read: the largest form is three answers of 256 characters.
pub const MAX_FORM_BYTES: usize = 16 * 1024;

/// Reads a form body (or a query string) as `T`.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, PageError> {
    if body.len() > MAX_FORM_BYTES {
        return Err(PageError::BadForm);
    }
    serde_urlencoded::from_bytes(body).map_err(|_| PageError::BadForm)
}

/// A form with nothing but its token.
#[derive(Deserialize)]
pub struct Plain {
    /// The form token.
    pub csrf: Option<String>,
}

/// `POST /signin`.
#[derive(Deserialize)]
pub struct SignIn {
    /// The form token.
    pub csrf: Option<String>,
    /// "User ID".
    pub user: Option<String>,
    /// "Password".
    pub password: Option<Zeroizing<String>>,
}

/// `POST /signin/questions`: the indexes of the chosen questions and the answers.
#[derive(Deserialize)]
pub struct SetQuestions {
    /// The form token.
    pub csrf: Option<String>,
    /// "Question 1".
    pub question1: Option<String>,
    /// "Question 2".
    pub question2: Option<String>,
    /// "Question 3".
    pub question3: Option<String>,
    /// "Answer 1".
    pub answer1: Option<Zeroizing<String>>,
    /// "Answer 2".
    pub answer2: Option<Zeroizing<String>>,
    /// "Answer 3".
    pub answer3: Option<Zeroizing<String>>,
}

/// `POST /signin/answer`.
#[derive(Deserialize)]
pub struct Answer {
    /// The form token.
    pub csrf: Option<String>,
    /// "Answer".
    pub answer: Option<Zeroizing<String>>,
}

/// A security code or an OCRA response.
#[derive(Deserialize)]
pub struct Code {
    /// The form token.
    pub csrf: Option<String>,
    /// "Security code" or "Response".
    pub code: Option<Zeroizing<String>>,
}

/// A yes-or-no question answered by one of two buttons.
#[derive(Deserialize)]
pub struct YesNo {
    /// The form token.
    pub csrf: Option<String>,
    /// `yes` or `no`, the button's value.
    pub answer: Option<String>,
}

/// `POST /token/email`.
#[derive(Deserialize)]
pub struct Email {
    /// The form token.
    pub csrf: Option<String>,
    /// "E-mail address".
    pub email: Option<String>,
}

/// `POST /token/activate`.
#[derive(Deserialize)]
pub struct Registration {
    /// The form token.
    pub csrf: Option<String>,
    /// "Registration code".
    pub registration_code: Option<String>,
}

/// `POST /token/unlock`.
#[derive(Deserialize)]
pub struct ResetCode {
    /// The form token.
    pub csrf: Option<String>,
    /// "Reset code".
    pub reset_code: Option<String>,
}

/// The help desk's actions: on a user, and for some on one of their tokens.
#[derive(Deserialize)]
pub struct HelpdeskAction {
    /// The form token.
    pub csrf: Option<String>,
    /// The user acted on.
    pub user: Option<String>,
    /// The token acted on.
    pub serial: Option<String>,
    /// "Reset code", for an unlock code.
    pub reset_code: Option<String>,
    /// "Registration code", for a re-issued token.
    pub registration_code: Option<String>,
}

/// `GET /helpdesk?user=...` and `GET /signin?ended=1`.
#[derive(Deserialize)]
pub struct Query {
    /// The user looked for.
    pub user: Option<String>,
    /// Set when a session has just ended.
    pub ended: Option<String>,
    /// Set on the install page's "Not yet".
    pub help: Option<String>,
}

/// Reads `body` as every form and query of the pages, as the handlers do: what the fuzz
/// target runs. The number that parsed.
pub fn parse_all(body: &[u8]) -> usize {
    [
        parse::<Plain>(body).is_ok(),
        parse::<SignIn>(body).is_ok(),
        parse::<SetQuestions>(body).is_ok(),
        parse::<Answer>(body).is_ok(),
        parse::<Code>(body).is_ok(),
        parse::<YesNo>(body).is_ok(),
        parse::<Email>(body).is_ok(),
        parse::<Registration>(body).is_ok(),
        parse::<ResetCode>(body).is_ok(),
        parse::<HelpdeskAction>(body).is_ok(),
        parse::<Query>(body).is_ok(),
    ]
    .into_iter()
    .filter(|ok| *ok)
    .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_read_their_fields_and_ignore_others() {
        let form: SignIn = parse(b"csrf=ab&user=alice&password=p%20w+x&extra=1").unwrap();
        assert_eq!(form.csrf.as_deref(), Some("ab"));
        assert_eq!(form.user.as_deref(), Some("alice"));
        assert_eq!(form.password.as_deref().map(String::as_str), Some("p w x"));
        let empty: SignIn = parse(b"").unwrap();
        assert!(empty.user.is_none());
        let lossy: SignIn = parse(b"user=%ff").unwrap();
        assert_eq!(
            lossy.user.as_deref(),
            Some("\u{fffd}"),
            "not UTF-8: replaced"
        );
        assert!(parse::<SignIn>(&vec![b'a'; MAX_FORM_BYTES + 1]).is_err());
        assert_eq!(parse_all(b"csrf=x"), 11);
    }
}
