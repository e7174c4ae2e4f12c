//! The Self Service pages' refusals and protections: form tokens, session expiry (idle and
//! absolute), the throttle's words (shared with the API), wrong passwords, the security
//! headers and the cookie flags (checked by the test browser on every Set-Cookie).

mod common;

use std::time::Duration;

use common::web::Browser;
use common::{Database, PASSWORD, Server, USER};

const FORGERY: &str = "This form has expired. Go back, reload the page and try again.";
const ENDED: &str = "Your session has ended. Sign in again.";

#[test]
fn pages_carry_the_security_headers_and_secure_cookies() {
    let server = Server::start(Database::Sqlite);
    let mut browser = Browser::new(&server.base);
    for path in ["/signin", "/static/style.css", "/signin?ended=1"] {
        let page = browser.get_once(path);
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(
            page.header("content-security-policy"),
            Some(
                "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
            ),
            "{path}"
        );
        assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(page.header("cache-control"), Some("no-store"));
        assert!(!page.body.contains("<script"), "{path}");
        assert!(!page.body.contains("style=\""), "{path}");
    }
    let form = browser.get_once("/signin");
    let cookies = form.set_cookies();
    assert!(
        cookies.is_empty(),
        "the pre-session cookie is kept: {cookies:?}"
    );
    assert!(browser.cookies.contains_key("tessera_signin"));
    let signed_in = browser.post_once(
        "/signin",
        &[
            ("csrf", &form.csrf()),
            ("user", USER),
            ("password", PASSWORD),
        ],
    );
    let session = signed_in
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("tessera_session="))
        .expect("a session cookie")
        .to_owned();
    for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(session.contains(flag), "{session}");
    }
    let id = session
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1;
    assert_eq!(id.len(), 64, "256 bits in hex");
    let stored = server.sql("SELECT id_hash FROM web_sessions", &[]);
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], id, "only the id's hash is stored");
    let unknown = browser.get_once("/account/none");
    assert_eq!(unknown.status, 404);
}

fn forms_without_the_right_token_are_refused(on: Database) {
    let server = Server::start(on);
    let mut browser = Browser::new(&server.base);
    let form = browser.get("/signin");
    for fields in [
        vec![("user", USER), ("password", PASSWORD)],
        vec![
            ("csrf", "0".repeat(64).as_str()),
            ("user", USER),
            ("password", PASSWORD),
        ],
    ] {
        let refused = browser.post_once("/signin", &fields);
        assert_eq!(refused.status, 403);
        assert_eq!(refused.error().as_deref(), Some(FORGERY));
    }
    // A form token from another browser's cookie does not match this one's.
    let mut other = Browser::new(&server.base);
    let others = other.get("/signin");
    let refused = browser.post_once(
        "/signin",
        &[
            ("csrf", &others.csrf()),
            ("user", USER),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(refused.status, 403);
    let account = browser.first_sign_in(USER, PASSWORD);
    for fields in [vec![], vec![("csrf", form.csrf())]] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
        let refused = browser.post_once("/signout", &fields);
        assert_eq!(refused.status, 403);
        assert_eq!(refused.error().as_deref(), Some(FORGERY));
    }
    assert_eq!(
        browser.get("/account").h1(),
        "Your account",
        "still signed in"
    );
    let out = browser.post_once("/signout", &[("csrf", &account.csrf())]);
    assert_eq!(out.status, 303);
}

#[test]
fn forms_without_the_right_token_are_refused_on_sqlite() {
    forms_without_the_right_token_are_refused(Database::Sqlite);
}

#[test]
fn forms_without_the_right_token_are_refused_on_postgres() {
    forms_without_the_right_token_are_refused(Database::Postgres);
}

#[test]
fn a_session_ends_after_the_idle_time() {
    let server = Server::start_with(Database::Sqlite, &["--session-idle-seconds", "2"]);
    let mut browser = Browser::new(&server.base);
    browser.first_sign_in(USER, PASSWORD);
    assert_eq!(browser.get("/account").h1(), "Your account");
    std::thread::sleep(Duration::from_millis(3500));
    let ended = browser.get_once("/account");
    assert_eq!(ended.location.as_deref(), Some("/signin?ended=1"));
    let page = browser.follow(ended);
    assert_eq!(page.h1(), "Sign in");
    assert_eq!(page.error().as_deref(), Some(ENDED));
    assert!(
        server
            .sql("SELECT user_name FROM web_sessions", &[])
            .is_empty()
    );
}

#[test]
fn a_session_ends_after_the_absolute_limit_however_active() {
    let server = Server::start_with(
        Database::Sqlite,
        &["--session-idle-seconds", "60", "--session-max-seconds", "3"],
    );
    let mut browser = Browser::new(&server.base);
    browser.first_sign_in(USER, PASSWORD);
    let mut ended = false;
    for _ in 0..10 {
        std::thread::sleep(Duration::from_millis(700));
        let page = browser.get("/account");
        if page.h1() == "Sign in" {
            assert_eq!(page.error().as_deref(), Some(ENDED));
            ended = true;
            break;
        }
    }
    assert!(ended, "still signed in after 7 s of a 3 s session");
}

fn wrong_passwords_are_throttled_across_pages_and_api(on: Database) {
    let server = Server::start_with(
        on,
        &[
            "--free-failures",
            "1",
            "--delay-seconds",
            "60",
            "--lock-after",
            "3",
            "--lock-seconds",
            "600",
        ],
    );
    let mut browser = Browser::new(&server.base);
    let wrong = browser.sign_in(USER, "not the password");
    assert_eq!(
        wrong.error().as_deref(),
        Some("The user ID or password is wrong.")
    );
    let unknown = browser.sign_in("nobody", "not the password");
    assert_eq!(
        unknown.error().as_deref(),
        Some("The user ID or password is wrong.")
    );
    // The second failure counts a delay: the next attempt, right or not, waits.
    browser.sign_in(USER, "still not it");
    let delayed = browser.sign_in(USER, PASSWORD);
    let words = delayed.error().unwrap();
    assert!(
        words.starts_with("Too many failed attempts. Try again in ")
            && words.ends_with(" seconds."),
        "{words}"
    );
    // The API counts in the same place.
    let (status, _) = server.post(
        "/api/v1/authenticate",
        serde_json::json!({"user": USER, "password": PASSWORD}),
    );
    assert_eq!(status, 429);
    // Locked: the third failure, counted straight in the table as another server would.
    server.sql(
        "UPDATE auth_failures SET last_failure_ms = 0 WHERE user_name = $1 RETURNING user_name",
        &[USER],
    );
    browser.sign_in(USER, "third wrong one");
    let locked = browser.sign_in(USER, PASSWORD);
    assert_eq!(
        locked.error().as_deref(),
        Some(
            "This account is locked after too many failed attempts. Try again in 10 minutes, or call the help desk."
        )
    );
}

#[test]
fn wrong_passwords_are_throttled_across_pages_and_api_on_sqlite() {
    wrong_passwords_are_throttled_across_pages_and_api(Database::Sqlite);
}

#[test]
fn wrong_passwords_are_throttled_across_pages_and_api_on_postgres() {
    wrong_passwords_are_throttled_across_pages_and_api(Database::Postgres);
}

/// A failure of the server's own (its database gone) is a plain sentence on the page, never
/// the error's text.
#[test]
fn a_failure_of_the_server_is_shown_in_plain_words() {
    let mut server = Server::start(Database::Postgres);
    let mut browser = Browser::new(&server.base);
    let form = browser.get("/signin");
    server.stop_database();
    let page = browser.submit(&form, "/signin", &[("user", USER), ("password", PASSWORD)]);
    assert_eq!(page.status, 500, "{}", page.body);
    assert_eq!(
        page.error().as_deref(),
        Some("Something went wrong on our side. Try again later.")
    );
    for leak in ["sqlx", "postgres", "error returned", "connection"] {
        assert!(
            !page.body.to_lowercase().contains(leak),
            "{leak} in {}",
            page.body
        );
    }
}
