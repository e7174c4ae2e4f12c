//! Bad requests each get a JSON error naming the field, and change nothing: the audit log
//! (written in the same transaction as every change) stays as it was, and the token's code is
//! still accepted afterwards.

mod common;

use common::{Database, Server, registered_token};
use serde_json::{Value, json};

fn error(field: Option<&str>, message: &str) -> Value {
    json!({ "error": { "field": field, "message": message } })
}

fn bad_requests_are_refused_with_the_field_named_and_change_nothing(on: Database) {
    let server = Server::start(on);
    let (serial, token) = registered_token(&server);
    let verify = format!("/api/v1/tokens/{serial}/verify");
    let before = server.audit();
    let verify_only = server.key_with(&["verify"]);

    let cases: Vec<(&str, (u16, Value), u16, Value)> = vec![
        (
            "missing field",
            server.post(&verify, json!({})),
            400,
            error(Some("code"), "code is required"),
        ),
        (
            "wrong type",
            server.post(&verify, json!({ "code": 123456 })),
            400,
            error(
                Some("code"),
                "invalid type: integer `123456`, expected a string",
            ),
        ),
        (
            "not JSON",
            server.post_raw(&verify, Some(&server.key), "{\"code\": "),
            400,
            error(None, "the request body is not valid JSON"),
        ),
        (
            "huge body",
            server.post_raw(
                &verify,
                Some(&server.key),
                // Four times the limit: refused before it is read, yet small enough that the
                // whole body is in the socket before the server answers and closes (with a
                // megabyte the client's write could meet the closed connection first).
                &format!("{{\"code\": \"{}\"}}", "1".repeat(64 * 1024)),
            ),
            413,
            error(None, "the request body is larger than 16384 bytes"),
        ),
        (
            "unknown user",
            server.post("/api/v1/users/bob/tokens", json!({})),
            404,
            error(Some("user"), "there is no user \"bob\""),
        ),
        (
            "unknown serial",
            server.post(
                "/api/v1/tokens/48244-13456/verify",
                json!({ "code": "123456" }),
            ),
            404,
            error(
                Some("serial"),
                "there is no identity with serial number 48244-13456 in this store",
            ),
        ),
        (
            "wrong API key",
            server.post_raw(
                &verify,
                Some(&format!("tsk_{}_{}", "0".repeat(16), "0".repeat(64))),
                "{}",
            ),
            401,
            error(Some("authorization"), "the API key is not valid"),
        ),
        (
            "no API key",
            server.post_raw(&verify, None, "{}"),
            401,
            error(
                Some("authorization"),
                "an API key is required: Authorization: Bearer <key>",
            ),
        ),
        (
            "a key without the scope",
            server.post_raw("/api/v1/users/alice/tokens", Some(&verify_only), "{}"),
            403,
            error(
                Some("authorization"),
                "this API key does not have the enrol scope",
            ),
        ),
        (
            "a malformed code",
            server.post(&verify, json!({ "code": "12a456" })),
            422,
            error(
                Some("code"),
                "the code may contain only digits (spaces and dashes are ignored)",
            ),
        ),
        (
            "another registration code",
            server.post(
                &format!("/api/v1/tokens/{serial}/registration"),
                json!({ "registration_code": 7 }),
            ),
            400,
            error(
                Some("registration_code"),
                "invalid type: integer `7`, expected a string",
            ),
        ),
    ];
    for (case, (status, answer), expected_status, expected) in cases {
        assert_eq!((status, &answer), (expected_status, &expected), "{case}");
    }

    assert_eq!(
        server.audit(),
        before,
        "a refused request wrote to the database"
    );
    // A wrong code is not bad input but a failed guess: refused alike, and counted for the
    // throttle with its audit row (the only write).
    let (status, answer) = server.post(&verify, json!({ "code": "000000" }));
    assert_eq!(
        (status, answer),
        (
            422,
            error(Some("code"), "code refused: not valid at this time")
        )
    );
    let after = server.audit();
    assert_eq!(after[..before.len()], before[..]);
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after[before.len()]["action"], "token.verify");
    assert_eq!(after[before.len()]["outcome"], "refused: wrong code");
    // The wrong-code attempts consumed nothing: the token's code is still good.
    let (status, answer) = server.post(&verify, json!({ "code": token.code() }));
    assert_eq!(status, 200, "{answer}");
}

#[test]
fn bad_requests_are_refused_with_the_field_named_and_change_nothing_on_sqlite() {
    bad_requests_are_refused_with_the_field_named_and_change_nothing(Database::Sqlite);
}

#[test]
fn bad_requests_are_refused_with_the_field_named_and_change_nothing_on_postgres() {
    bad_requests_are_refused_with_the_field_named_and_change_nothing(Database::Postgres);
}
