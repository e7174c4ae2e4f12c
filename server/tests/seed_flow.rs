//! The seed's flow through the API with the real token: create a token for a user, add it on
//! `tessera`, complete it with the token's registration code, verify a code, see its replay
//! refused.

mod common;

use common::{ADDRESS, Database, Server, Token, USER};
use serde_json::json;

fn create_add_complete_verify_and_replay_refused(on: Database) {
    let server = Server::start(on);
    let created = server.create_token();
    assert_eq!(created["user"], USER);
    assert_eq!(created["address"], ADDRESS);
    let serial = created["serial"].as_str().unwrap().to_owned();
    assert!(
        created["link"]
            .as_str()
            .unwrap()
            .starts_with("igmobileotp://")
    );
    assert_eq!(
        created["password"].as_str().unwrap().len(),
        19,
        "XXXX-XXXX-XXXX-XXXX"
    );

    let token = Token::new();
    let registration = token.add(&created);
    let path = format!("/api/v1/tokens/{serial}/registration");
    let (status, answer) = server.post(&path, json!({ "registration_code": registration }));
    assert_eq!(
        (status, &answer["status"]),
        (200, &json!("registered")),
        "{answer}"
    );
    // A retried request is answered as before and changes nothing.
    let (status, answer) = server.post(&path, json!({ "registration_code": registration }));
    assert_eq!(
        (status, &answer["status"]),
        (200, &json!("already_registered"))
    );

    let code = token.code();
    let verify = format!("/api/v1/tokens/{serial}/verify");
    let (status, answer) = server.post(&verify, json!({ "code": code }));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["accepted"], true);
    let (status, answer) = server.post(&verify, json!({ "code": code }));
    assert_eq!(status, 422);
    assert_eq!(
        answer,
        json!({ "error": { "field": "code", "message": "code refused: already used" } })
    );

    let actions: Vec<_> = server
        .audit()
        .iter()
        .map(|event| {
            assert_eq!(event["subject"], serial.replace('-', ""));
            event["action"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(actions, ["token.create", "token.complete", "token.verify"]);
}

fn health_and_readiness_answer_without_a_key(on: Database) {
    let server = Server::start(on);
    for path in ["/healthz", "/readyz"] {
        let response = ureq::get(format!("{}{path}", server.base)).call().unwrap();
        assert_eq!(response.status().as_u16(), 200, "{path}");
    }
}

#[test]
fn create_add_complete_verify_and_replay_refused_on_sqlite() {
    create_add_complete_verify_and_replay_refused(Database::Sqlite);
}

#[test]
fn create_add_complete_verify_and_replay_refused_on_postgres() {
    create_add_complete_verify_and_replay_refused(Database::Postgres);
}

#[test]
fn health_and_readiness_answer_without_a_key_on_sqlite() {
    health_and_readiness_answer_without_a_key(Database::Sqlite);
}

#[test]
fn health_and_readiness_answer_without_a_key_on_postgres() {
    health_and_readiness_answer_without_a_key(Database::Postgres);
}
