//! Graceful shutdown: a request whose body is still arriving when SIGTERM comes is read to
//! its end and answered in full while new connections are refused, then the process exits 0
//! and nothing listens any more. On
//! both databases.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::{Database, PASSWORD, Server, USER};

fn a_request_in_flight_is_finished_after_sigterm(on: Database) {
    let mut server = Server::start(on);
    let address = server.base.strip_prefix("http://").unwrap().to_owned();
    let body = serde_json::json!({"user": USER, "password": PASSWORD}).to_string();
    let (first, rest) = body.split_at(body.len() / 2);
    let mut connection = TcpStream::connect(&address).unwrap();
    connection
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        connection,
        "POST /api/v1/authenticate HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{first}",
        server.key,
        body.len()
    )
    .unwrap();
    connection.flush().unwrap();
    // The server has the headers and waits for the body when the signal comes.
    std::thread::sleep(Duration::from_millis(500));
    server.terminate();
    std::thread::sleep(Duration::from_millis(500));
    let during = TcpStream::connect(&address).unwrap_err();
    assert_eq!(
        during.kind(),
        std::io::ErrorKind::ConnectionRefused,
        "stopping, it accepts no new connection"
    );
    connection.write_all(rest.as_bytes()).unwrap();
    let mut response = String::new();
    connection.read_to_string(&mut response).unwrap();

    let (head, answer) = response.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    let answer: serde_json::Value = serde_json::from_str(answer).unwrap();
    assert_eq!(
        answer,
        serde_json::json!({"user": USER, "authenticated": true, "factors": ["password"]})
    );
    let (ended, _) = server.wait();
    assert_eq!(ended.code(), Some(0), "{ended:?}");
    let refused = TcpStream::connect(&address).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[test]
fn a_request_in_flight_is_finished_after_sigterm_on_sqlite() {
    a_request_in_flight_is_finished_after_sigterm(Database::Sqlite);
}

#[test]
fn a_request_in_flight_is_finished_after_sigterm_on_postgres() {
    a_request_in_flight_is_finished_after_sigterm(Database::Postgres);
}
