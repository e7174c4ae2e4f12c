//! The authentication routes beyond the basics: two-code resynchronisation through
//! `/authenticate`, a challenge question answered after it expired, and API key scopes on the
//! questions routes and `/authenticate` (403, nothing changed). On both databases.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{ANSWERS, Database, PASSWORD, Server, USER, registered_token};
use serde_json::{Value, json};

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn authenticate(server: &Server, body: Value) -> (u16, Value) {
    server.post("/api/v1/authenticate", body)
}

fn authenticate_resynchronises_with_two_codes(on: Database) {
    let server = Server::start(on);
    let (_, token) = registered_token(&server);
    let behind = now() - 6 * 30;
    let (status, answer) = authenticate(
        &server,
        json!({"user": USER, "password": PASSWORD, "code": token.code_at(behind)}),
    );
    assert_eq!(status, 401, "one code beyond the window: {answer}");
    assert_eq!(answer["error"]["field"], "code");
    let (status, answer) = authenticate(
        &server,
        json!({"user": USER, "password": PASSWORD, "next_code": token.code_at(behind + 30)}),
    );
    assert_eq!(status, 400, "{answer}");
    assert_eq!(
        answer,
        json!({"error": {"field": "code", "message": "code is required: this user has a registered token"}})
    );
    let (status, answer) = authenticate(
        &server,
        json!({"user": USER, "password": PASSWORD,
               "code": token.code_at(behind), "next_code": token.code_at(behind + 30)}),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer,
        json!({"user": USER, "authenticated": true, "factors": ["code", "password"]})
    );
    let (status, answer) = authenticate(
        &server,
        json!({"user": USER, "password": PASSWORD, "code": token.code_at(behind + 60)}),
    );
    assert_eq!(
        status, 200,
        "the token's next code is in the window now: {answer}"
    );
    let (status, _) = authenticate(
        &server,
        json!({"user": USER, "password": PASSWORD,
               "code": token.code_at(behind), "next_code": token.code_at(behind + 30)}),
    );
    assert_eq!(status, 401, "the pair is used");
    assert!(
        server
            .audit()
            .iter()
            .any(|e| e["action"] == "token.resync" && e["outcome"] == "accepted")
    );
}

fn a_question_answered_too_late_is_refused(on: Database) {
    let server = Server::start_with(on, &["--question-seconds", "1"]);
    server.set_answers(USER);
    assert_eq!(server.answer_a_question(USER), 200, "answered in time");

    let (status, asked) = server.post(
        &format!("/api/v1/users/{USER}/questions/challenge"),
        json!({}),
    );
    assert_eq!(status, 200, "{asked}");
    assert_eq!(asked["expires_in"], 1);
    let (_, offered) = server.get("/api/v1/questions");
    let index = offered["questions"]
        .as_array()
        .unwrap()
        .iter()
        .position(|q| *q == asked["question"])
        .unwrap();
    std::thread::sleep(Duration::from_millis(2500));
    let (status, answer) = authenticate(
        &server,
        json!({"user": USER, "password": PASSWORD, "answer": ANSWERS[index]}),
    );
    assert_eq!(status, 401, "{answer}");
    assert_eq!(
        answer,
        json!({"error": {"field": "answer", "message": "not authenticated: wrong answer"}})
    );
    assert_eq!(server.answer_a_question(USER), 200, "asked again, in time");
}

/// What a refused request must leave as it was: the stored answers, the question asked, the
/// throttle's counts and the audit.
fn state(server: &Server) -> (Vec<String>, Vec<String>, Vec<String>, usize) {
    (
        server.sql(
            "SELECT sealed_answer FROM user_questions ORDER BY position",
            &[],
        ),
        server.sql("SELECT user_name FROM question_challenges", &[]),
        server.sql("SELECT factor FROM auth_failures", &[]),
        server.audit().len(),
    )
}

fn keys_without_the_scope_are_refused_on_the_authentication_routes(on: Database) {
    let server = Server::start(on);
    server.set_answers(USER);
    let enrol = server.key_with(&["enrol"]);
    let verify = server.key_with(&["verify"]);
    let before = state(&server);
    let questions = format!("/api/v1/users/{USER}/questions");
    let answers = json!({"answers": [
        {"question": 5, "answer": "a"}, {"question": 6, "answer": "b"}, {"question": 7, "answer": "c"},
    ]})
    .to_string();
    let wrong_password = json!({"user": USER, "password": "not the password"}).to_string();
    let cases = [
        (
            "GET",
            "/api/v1/questions".to_owned(),
            &verify,
            String::new(),
            "enrol",
        ),
        ("PUT", questions.clone(), &verify, answers, "enrol"),
        (
            "POST",
            format!("{questions}/challenge"),
            &enrol,
            "{}".to_owned(),
            "verify",
        ),
        (
            "POST",
            "/api/v1/authenticate".to_owned(),
            &enrol,
            wrong_password,
            "verify",
        ),
    ];
    for (method, path, key, body, scope) in cases {
        let (status, answer) = server.send(method, &path, key, &body);
        assert_eq!(status, 403, "{method} {path}: {answer}");
        assert_eq!(
            answer,
            json!({"error": {"field": "authorization",
                             "message": format!("this API key does not have the {scope} scope")}}),
            "{method} {path}"
        );
    }
    assert_eq!(state(&server), before, "nothing changed");

    let (status, _) = server.send("GET", "/api/v1/questions", &enrol, "");
    assert_eq!(status, 200, "the right scope is served");
    let (status, _) = server.send("POST", &format!("{questions}/challenge"), &verify, "{}");
    assert_eq!(status, 200, "the right scope is served");
}

macro_rules! on_both {
    ($($name:ident => $sqlite:ident, $postgres:ident;)*) => {$(
        #[test]
        fn $sqlite() {
            $name(Database::Sqlite);
        }
        #[test]
        fn $postgres() {
            $name(Database::Postgres);
        }
    )*};
}

on_both! {
    authenticate_resynchronises_with_two_codes => resync_on_sqlite, resync_on_postgres;
    a_question_answered_too_late_is_refused => expiry_on_sqlite, expiry_on_postgres;
    keys_without_the_scope_are_refused_on_the_authentication_routes => scopes_on_sqlite, scopes_on_postgres;
}
