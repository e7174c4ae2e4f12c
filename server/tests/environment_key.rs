//! `keys rotate` with the master key in `TESSERA_SERVER_MASTER_KEY`, as a KMS or a secret store
//! hands it over: the new key comes in `TESSERA_SERVER_NEW_MASTER_KEY`, every token and answer
//! is re-sealed under it, and from then on only the new key opens them. Missing, malformed or
//! unchanged new keys are refused before anything changes. On both databases.

mod common;

use common::{Database, Server, USER, registered_token};
use serde_json::json;

const MASTER: &str = "TESSERA_SERVER_MASTER_KEY";
const NEW: &str = "TESSERA_SERVER_NEW_MASTER_KEY";

fn refused(server: &Server, env: &[(&str, &str)], expected: &str) {
    let output = server.run_with(&["keys", "rotate"], env);
    assert!(!output.status.success(), "{output:?}");
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains(expected), "{message}");
}

fn tokens_and_answers(server: &Server) -> Vec<String> {
    let mut rows = server.sql("SELECT record FROM tokens ORDER BY serial", &[]);
    rows.extend(server.sql(
        "SELECT sealed_answer FROM user_questions ORDER BY user_name, position",
        &[],
    ));
    rows
}

fn a_key_from_the_environment_is_rotated_to_the_new_variable(on: Database) {
    let mut server = Server::start(on);
    let (serial, token) = registered_token(&server);
    server.add_user("bob");
    server.set_answers("bob");
    server.stop();
    let key_file = server.data.path().join("master.key");
    let old = std::fs::read_to_string(&key_file)
        .unwrap()
        .trim()
        .to_owned();
    std::fs::remove_file(&key_file).unwrap();
    let new = "5e".repeat(32);
    let before = tokens_and_answers(&server);

    refused(
        &server,
        &[(MASTER, &old)],
        &format!(
            "the master key comes from {MASTER}: give the new key (64 hex digits, e.g. from `openssl rand -hex 32`) in {NEW}"
        ),
    );
    refused(
        &server,
        &[(MASTER, &old), (NEW, "5e5e")],
        &format!("{NEW} must hold the master key as 64 hex digits"),
    );
    refused(
        &server,
        &[(MASTER, &old), (NEW, &old.to_uppercase())],
        &format!("{NEW} holds the same key as {MASTER}: give a new one"),
    );
    refused(
        &server,
        &[(MASTER, &new), (NEW, &"6f".repeat(32))],
        "the master key is not the one this database's records are sealed with",
    );
    refused(
        &server,
        &[(NEW, &new)],
        &format!("{NEW} is set, but the master key is in master.key, not in {MASTER}"),
    );
    assert_eq!(tokens_and_answers(&server), before, "nothing changed");

    let output = server.run_with(&["keys", "rotate"], &[(MASTER, &old), (NEW, &new)]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!(
            "re-sealed 1 tokens and 3 answers under the key in {NEW}; set {MASTER} to that key now (the old key opens nothing any more), then start the servers"
        )
    );
    let after = tokens_and_answers(&server);
    assert_eq!(after.len(), before.len());
    assert!(
        before.iter().zip(&after).all(|(b, a)| b != a),
        "every row sealed anew"
    );
    assert!(!key_file.exists(), "no key file is made");

    let old_refused = server.run_with(&["serve", "--listen", "127.0.0.1:0"], &[(MASTER, &old)]);
    assert!(!old_refused.status.success());
    assert!(
        String::from_utf8_lossy(&old_refused.stderr)
            .contains("the master key is not the one this database's records are sealed with")
    );
    server.serve_again_with(&[], &[(MASTER, &new)]);
    let (status, answer) = server.post(
        &format!("/api/v1/tokens/{serial}/verify"),
        json!({ "code": token.code() }),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(server.answer_a_question("bob"), 200);
    let (status, _) = server.get(&format!("/api/v1/users/{USER}/tokens"));
    assert_eq!(status, 200);
    assert!(server.audit().iter().any(
        |e| e["action"] == "keys.rotate" && e["outcome"] == "re-sealed 1 tokens and 3 answers"
    ));
}

#[test]
fn a_key_from_the_environment_is_rotated_to_the_new_variable_on_sqlite() {
    a_key_from_the_environment_is_rotated_to_the_new_variable(Database::Sqlite);
}

#[test]
fn a_key_from_the_environment_is_rotated_to_the_new_variable_on_postgres() {
    a_key_from_the_environment_is_rotated_to_the_new_variable(Database::Postgres);
}
