//! Challenge answers at rest: the database holds each answer's hash sealed under the master key,
//! never the answer or a hash to guess it against; answers stored unsealed by an older server
//! are sealed at the next start and still verify. On both databases.

mod common;

use common::{ANSWERS, Database, Server, USER};

fn stored(server: &Server) -> Vec<String> {
    server.sql(
        "SELECT sealed_answer FROM user_questions ORDER BY position",
        &[],
    )
}

fn assert_sealed(stored: &[String]) {
    assert_eq!(stored.len(), 3);
    for value in stored {
        assert!(value.starts_with("tessera-sealed-v1:"), "{value}");
        assert!(!value.contains("argon2"), "a PHC string: {value}");
        for answer in ANSWERS {
            assert!(!value.to_lowercase().contains(&answer.to_lowercase()));
        }
    }
}

fn answers_are_sealed_at_rest(on: Database) {
    let mut server = Server::start(on);
    server.set_answers(USER);
    let sealed = stored(&server);
    assert_sealed(&sealed);
    if let Database::Sqlite = on {
        for file in ["tessera.db", "tessera.db-wal"] {
            let bytes = std::fs::read(server.data.path().join(file)).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).to_lowercase();
            for answer in ANSWERS {
                assert!(!text.contains(&answer.to_lowercase()), "{answer} in {file}");
            }
        }
    }
    assert_eq!(server.answer_a_question(USER), 200);

    // Sealed under another user's name or position, a value does not open: swapped, the
    // answers are refused as damaged (a server error), never accepted.
    server.sql(
        "UPDATE user_questions SET sealed_answer = $1 WHERE position = 0",
        &[&sealed[1]],
    );
    server.sql(
        "UPDATE user_questions SET sealed_answer = $1 WHERE position = 1",
        &[&sealed[0]],
    );
    server.sql(
        "UPDATE user_questions SET sealed_answer = $1 WHERE position = 2",
        &[&sealed[0]],
    );
    assert_eq!(server.answer_a_question(USER), 500);

    // An older server's rows: the plain hash of the normalised answer, sealed at the next start.
    for (position, answer) in ANSWERS.iter().enumerate() {
        let normalised = tessera_server::questions::normalise(answer).unwrap();
        let plain = tessera_server::passwords::hash_secret(normalised.as_bytes()).unwrap();
        server.sql(
            &format!("UPDATE user_questions SET sealed_answer = $1 WHERE position = {position}"),
            &[&plain],
        );
    }
    assert!(stored(&server).iter().all(|v| v.starts_with("$argon2id$")));
    server.serve_again(&[]);
    assert_sealed(&stored(&server));
    assert_eq!(server.answer_a_question(USER), 200);
    assert_eq!(server.answer_a_question(USER), 200);
}

#[test]
fn answers_are_sealed_at_rest_on_sqlite() {
    answers_are_sealed_at_rest(Database::Sqlite);
}

#[test]
fn answers_are_sealed_at_rest_on_postgres() {
    answers_are_sealed_at_rest(Database::Postgres);
}
