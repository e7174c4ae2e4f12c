//! Structured logs: `serve --log-format json` at the default level writes one JSON object per
//! line (level, message, target at the top), a line for each request with its status, and no
//! secret of any request or answer. On both databases.

mod common;

use common::{ANSWERS, Database, PASSWORD, Server, Token, USER, post_at};
use serde_json::{Value, json};

/// Each way a secret could be written: as it is, and without its separators.
fn forms(secret: &str) -> Vec<String> {
    let bare: String = secret.chars().filter(char::is_ascii_alphanumeric).collect();
    vec![secret.to_lowercase(), bare.to_lowercase()]
}

fn logs_are_json_lines_without_secrets(on: Database) {
    let mut server = Server::start(on);
    server.add_user("bob");
    server.serve_again_logging(&["--log-format", "json"], &[("TESSERA_SERVER_LOG", "info")]);
    let base = server.base.clone();
    let key = server.key.clone();

    let created = server.create_token();
    let serial = created["serial"].as_str().unwrap().to_owned();
    let token = Token::new();
    let registration = token.add(&created);
    let (status, _) = server.post(
        &format!("/api/v1/tokens/{serial}/registration"),
        json!({ "registration_code": registration }),
    );
    assert_eq!(status, 200);
    let wrong_password = "wrong horse battery staple";
    let (status, _) = post_at(
        &base,
        "/api/v1/authenticate",
        Some(&key),
        &json!({"user": USER, "password": wrong_password, "code": token.code()}).to_string(),
    );
    assert_eq!(status, 401);
    let (status, _) = server.post(
        &format!("/api/v1/tokens/{serial}/verify"),
        json!({ "code": "000000" }),
    );
    assert!(status == 422 || status == 200, "{status}");
    server.set_answers("bob");
    assert_eq!(server.answer_a_question("bob"), 200);
    let (status, _) = post_at(
        &base,
        &format!("/api/v1/users/{USER}/tokens"),
        Some("tsk_wrong_key"),
        "{}",
    );
    assert_eq!(status, 401);

    server.terminate();
    let (ended, log) = server.wait();
    assert!(ended.success(), "{ended:?}");

    let lines: Vec<Value> = log
        .lines()
        .map(|line| {
            let value: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
            for field in ["level", "message", "target"] {
                assert!(value[field].is_string(), "no {field}: {line}");
            }
            value
        })
        .collect();
    let requests: Vec<(String, i64)> = lines
        .iter()
        .filter(|l| l["message"] == "finished processing request")
        .map(|l| {
            (
                l["span"]["uri"].as_str().unwrap().to_owned(),
                l["status"].as_i64().unwrap(),
            )
        })
        .collect();
    let tokens = format!("/api/v1/users/{USER}/tokens");
    for expected in [
        (tokens.as_str(), 201),
        ("/api/v1/authenticate", 401),
        ("/api/v1/authenticate", 200),
        (tokens.as_str(), 401),
    ] {
        assert!(
            requests
                .iter()
                .any(|(uri, status)| (uri.as_str(), *status) == expected),
            "{expected:?} not in {requests:?}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l["message"] == "shutting down: finishing the requests in flight")
    );

    let text = log.to_lowercase();
    let key_secret = key.rsplit('_').next().unwrap();
    let mut secrets = vec![
        created["activation_code"].as_str().unwrap(),
        created["password"].as_str().unwrap(),
        &registration,
        &key,
        key_secret,
        PASSWORD,
        wrong_password,
    ];
    secrets.extend(ANSWERS);
    for secret in secrets {
        for form in forms(secret) {
            assert!(!text.contains(&form), "{secret:?} is in the log");
        }
    }
}

#[test]
fn logs_are_json_lines_without_secrets_on_sqlite() {
    logs_are_json_lines_without_secrets(Database::Sqlite);
}

#[test]
fn logs_are_json_lines_without_secrets_on_postgres() {
    logs_are_json_lines_without_secrets(Database::Postgres);
}
