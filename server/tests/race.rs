//! Many clients send the same code at once: exactly one is told "accepted", whether they all
//! reach one server or are split across two server processes on one database.

mod common;

use std::sync::{Arc, Barrier};

use common::{Database, HIGH_RATE_LIMIT, Server, post_at, registered_token};
use serde_json::{Value, json};

const CLIENTS: usize = 24;
/// Rounds of the two-process race, each with a token of its own.
const ROUNDS: usize = 4;

/// Sends `code` for `serial` from `CLIENTS` threads released at once, client `n` to
/// `bases[n % bases.len()]`; every answer.
fn send_at_once(bases: &[String], key: &str, serial: &str, code: &str) -> Vec<(u16, Value)> {
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let body = json!({ "code": code }).to_string();
    let path = format!("/api/v1/tokens/{serial}/verify");
    let clients: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let (base, key, path, body, barrier) = (
                bases[n % bases.len()].clone(),
                key.to_owned(),
                path.clone(),
                body.clone(),
                barrier.clone(),
            );
            std::thread::spawn(move || {
                barrier.wait();
                post_at(&base, &path, Some(&key), &body)
            })
        })
        .collect();
    clients.into_iter().map(|c| c.join().unwrap()).collect()
}

/// Exactly one answer is "accepted"; every other one is "already used"; the audit holds one
/// accepted verification of `serial`.
fn assert_accepted_once(server: &Server, serial: &str, answers: &[(u16, Value)]) {
    let accepted = answers.iter().filter(|(status, _)| *status == 200).count();
    assert_eq!(accepted, 1, "{answers:?}");
    for (status, answer) in answers.iter().filter(|(status, _)| *status != 200) {
        assert_eq!(*status, 422, "{answer}");
        assert_eq!(answer["error"]["message"], "code refused: already used");
    }
    // The audit names the serial by its digits; the API shows it grouped.
    let digits: String = serial.chars().filter(char::is_ascii_digit).collect();
    let verifications = server
        .audit()
        .iter()
        .filter(|event| event["action"] == "token.verify" && event["subject"] == digits.as_str())
        .count();
    assert_eq!(verifications, 1);
}

fn the_same_code_sent_at_once_is_accepted_exactly_once(on: Database) {
    let server = Server::start_with(on, HIGH_RATE_LIMIT);
    let (serial, token) = registered_token(&server);
    let answers = send_at_once(
        std::slice::from_ref(&server.base),
        &server.key,
        &serial,
        &token.code(),
    );
    assert_accepted_once(&server, &serial, &answers);
}

fn two_server_processes_accept_a_code_exactly_once(on: Database) {
    let server = Server::start_with(on, HIGH_RATE_LIMIT);
    let second = server.second_instance();
    let bases = [server.base.clone(), second.base.clone()];
    for _ in 0..ROUNDS {
        let (serial, token) = registered_token(&server);
        let answers = send_at_once(&bases, &server.key, &serial, &token.code());
        assert_accepted_once(&server, &serial, &answers);
    }
}

#[test]
fn the_same_code_sent_at_once_is_accepted_exactly_once_on_sqlite() {
    the_same_code_sent_at_once_is_accepted_exactly_once(Database::Sqlite);
}

#[test]
fn the_same_code_sent_at_once_is_accepted_exactly_once_on_postgres() {
    the_same_code_sent_at_once_is_accepted_exactly_once(Database::Postgres);
}

#[test]
fn two_server_processes_accept_a_code_exactly_once_on_sqlite() {
    two_server_processes_accept_a_code_exactly_once(Database::Sqlite);
}

#[test]
fn two_server_processes_accept_a_code_exactly_once_on_postgres() {
    two_server_processes_accept_a_code_exactly_once(Database::Postgres);
}
