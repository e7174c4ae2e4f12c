//! The challenge questions as configured: the list from the configuration file is the one
//! offered and picked from, and a bad list stops the server naming the key. On both databases.

mod common;

use common::{Database, Server, USER};
use serde_json::json;

const CONFIGURED: [&str; 4] = [
    "What was your favourite colour as a child?",
    "What is the name of your best friend from school?",
    "Which was the first concert you went to?",
    "What is your grandmother's maiden name?",
];

fn the_configured_questions_are_offered(on: Database) {
    let mut server = Server::start(on);
    let config = server.data.path().join("server.toml");
    let listed: Vec<String> = CONFIGURED.iter().map(|q| format!("{q:?}")).collect();
    std::fs::write(&config, format!("questions = [{}]\n", listed.join(", "))).unwrap();
    let config = config.to_str().unwrap().to_owned();
    server.serve_again(&["--config", &config]);

    let (status, offered) = server.get("/api/v1/questions");
    assert_eq!(status, 200, "{offered}");
    assert_eq!(offered, json!({ "questions": CONFIGURED }));
    let (status, set) = server.put(
        &format!("/api/v1/users/{USER}/questions"),
        json!({"answers": [
            {"question": 3, "answer": "Smith"},
            {"question": 0, "answer": "green"},
            {"question": 2, "answer": "the proms"},
        ]}),
    );
    assert_eq!(status, 200, "{set}");
    assert_eq!(
        set["questions"],
        json!([CONFIGURED[3], CONFIGURED[0], CONFIGURED[2]])
    );
    let (status, refused) = server.put(
        &format!("/api/v1/users/{USER}/questions"),
        json!({"answers": [
            {"question": 4, "answer": "a"},
            {"question": 0, "answer": "b"},
            {"question": 1, "answer": "c"},
        ]}),
    );
    assert_eq!(status, 422);
    assert_eq!(
        refused,
        json!({"error": {"field": "answers[0].question", "message": "there are questions 0 to 3, not 4"}})
    );

    std::fs::write(&config, "questions = [\"One?\", \"  \", \"Three?\"]\n").unwrap();
    let bad = server.run(
        &["serve", "--listen", "127.0.0.1:0", "--config", &config],
        "",
    );
    assert!(!bad.status.success());
    let message = String::from_utf8_lossy(&bad.stderr);
    assert!(
        message.contains("--config: questions[1] is empty"),
        "{message}"
    );
}

#[test]
fn the_configured_questions_are_offered_on_sqlite() {
    the_configured_questions_are_offered(Database::Sqlite);
}

#[test]
fn the_configured_questions_are_offered_on_postgres() {
    the_configured_questions_are_offered(Database::Postgres);
}
