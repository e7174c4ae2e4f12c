//! Many clients send the same code at once: exactly one is told "accepted".

mod common;

use std::sync::{Arc, Barrier};

use common::{Database, Server, registered_token};
use serde_json::json;

const CLIENTS: usize = 24;

fn the_same_code_sent_at_once_is_accepted_exactly_once(on: Database) {
    let server = Arc::new(Server::start(on));
    let (serial, token) = registered_token(&server);
    let code = token.code();
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (server, barrier, serial, code) = (
                server.clone(),
                barrier.clone(),
                serial.clone(),
                code.clone(),
            );
            std::thread::spawn(move || {
                barrier.wait();
                server.post(
                    &format!("/api/v1/tokens/{serial}/verify"),
                    json!({ "code": code }),
                )
            })
        })
        .collect();
    let answers: Vec<(u16, serde_json::Value)> =
        clients.into_iter().map(|c| c.join().unwrap()).collect();
    let accepted = answers.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(accepted, 1, "{answers:?}");
    for (status, answer) in answers.iter().filter(|(status, _)| *status != 200) {
        assert_eq!(*status, 422, "{answer}");
        assert_eq!(answer["error"]["message"], "code refused: already used");
    }
    let verifications = server
        .audit()
        .iter()
        .filter(|event| event["action"] == "token.verify")
        .count();
    assert_eq!(verifications, 1);
}

#[test]
fn the_same_code_sent_at_once_is_accepted_exactly_once_on_sqlite() {
    the_same_code_sent_at_once_is_accepted_exactly_once(Database::Sqlite);
}

#[test]
fn the_same_code_sent_at_once_is_accepted_exactly_once_on_postgres() {
    the_same_code_sent_at_once_is_accepted_exactly_once(Database::Postgres);
}
