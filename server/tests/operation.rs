//! Running the service: `keys rotate` (and what a killed rotation leaves), `import-issuer-store`
//! with a store the real `tessera issuer` made, HTTPS with a certificate the test makes, plain
//! HTTP refused off loopback, the rate limit per client address, and the configuration file.
//! On both databases.

mod common;

use std::process::Command;

use common::{ADDRESS, Database, Server, Token, USER, registered_token, spawn_serve, token_binary};
use serde_json::{Value, json};

fn verify(server: &Server, serial: &str, token: &Token) -> (u16, Value) {
    server.post(
        &format!("/api/v1/tokens/{serial}/verify"),
        json!({ "code": token.code() }),
    )
}

fn read(server: &Server, name: &str) -> Option<String> {
    std::fs::read_to_string(server.data.path().join(name)).ok()
}

fn rotation_reseals_every_token_and_survives_a_kill(on: Database) {
    let mut server = Server::start(on);
    let (serial, token) = registered_token(&server);
    let (second, second_token) = registered_token(&server);
    server.add_user("bob");
    server.set_answers("bob");
    let answers_before = sealed_answers(&server);
    server.stop();
    let first_key = read(&server, "master.key").unwrap();
    let printed = server.succeed(&["keys", "rotate"]);
    assert_eq!(
        printed.trim(),
        "re-sealed 2 tokens and 3 answers under a new master key; back up master.key again"
    );
    let answers_after = sealed_answers(&server);
    assert_eq!(answers_after.len(), 3);
    for (before, after) in answers_before.iter().zip(&answers_after) {
        assert_ne!(before, after, "each answer is sealed anew");
    }
    let rotated = read(&server, "master.key").unwrap();
    assert_ne!(rotated, first_key);
    assert_eq!(read(&server, "master.key.old"), None);
    assert_eq!(read(&server, "master.key.new"), None);
    server.serve_again(&[]);
    assert_eq!(verify(&server, &serial, &token).0, 200);
    assert_eq!(server.answer_a_question("bob"), 200);
    assert!(server.audit().iter().any(
        |e| e["action"] == "keys.rotate" && e["outcome"] == "re-sealed 2 tokens and 3 answers"
    ));

    // Killed after the commit, before the files were swapped: the new key is still in
    // master.key.new and the old one in master.key. The next start finishes the swap.
    server.stop();
    let dir = server.data.path().to_owned();
    std::fs::rename(dir.join("master.key"), dir.join("master.key.new")).unwrap();
    write_private(&dir.join("master.key"), &first_key);
    server.serve_again(&[]);
    assert_eq!(verify(&server, &second, &second_token).0, 200);
    assert_eq!(server.answer_a_question("bob"), 200);
    assert_eq!(read(&server, "master.key").unwrap(), rotated);
    assert_eq!(read(&server, "master.key.new"), None);

    // Killed before the commit: a new key the database never saw is dropped.
    server.stop();
    write_private(
        &dir.join("master.key.new"),
        &format!("{}\n", "ab".repeat(32)),
    );
    server.serve_again(&[]);
    assert_eq!(read(&server, "master.key.new"), None);
    assert_eq!(read(&server, "master.key").unwrap(), rotated);
    let (status, _) = server.get(&format!("/api/v1/users/{USER}/tokens"));
    assert_eq!(status, 200, "the records still open");
    assert_eq!(
        server.answer_a_question("bob"),
        200,
        "the answers still open"
    );
    assert_eq!(sealed_answers(&server), answers_after);
}

fn sealed_answers(server: &Server) -> Vec<String> {
    server.sql(
        "SELECT sealed_answer FROM user_questions ORDER BY position",
        &[],
    )
}

fn write_private(path: &std::path::Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
}

fn an_issuer_store_is_imported_for_a_user(on: Database) {
    let mut server = Server::start(on);
    let store = tempfile::tempdir().unwrap();
    let issuer = |args: &[&str]| {
        let output = Command::new(token_binary())
            .arg("issuer")
            .arg("--store")
            .arg(store.path().join("store"))
            .args(args)
            .env("TESSERA_ISSUER_PASSPHRASE", "issuer passphrase 1")
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let created: Value = serde_json::from_str(&issuer(&[
        "create",
        "--name",
        "alice",
        "--address",
        ADDRESS,
    ]))
    .unwrap();
    let serial = created["serial"].as_str().unwrap().to_owned();
    let token = Token::new();
    let registration = token.add(&created);
    issuer(&["complete", &serial, &registration]);
    let pending: Value = serde_json::from_str(&issuer(&["create", "--name", "bob"])).unwrap();

    server.stop();
    let store_dir = store.path().join("store");
    let store_arg = store_dir.to_str().unwrap();
    let wrong = server.run(&["import-issuer-store", store_arg, "--user", "nobody"], "");
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("--user: there is no user \"nobody\""));
    let mut import = common::command(
        server.data.path(),
        server.database(),
        &["import-issuer-store", store_arg, "--user", USER],
    );
    import.env("TESSERA_ISSUER_PASSPHRASE", "issuer passphrase 1");
    let output = common::common_run(&mut import, "");
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "imported 2 tokens for alice (0 were there already)"
    );
    let again = common::common_run(&mut import, "");
    assert_eq!(
        String::from_utf8_lossy(&again.stdout).trim(),
        "imported 0 tokens for alice (2 were there already)"
    );
    server.serve_again(&[]);
    assert_eq!(
        verify(&server, &serial, &token).0,
        200,
        "the imported token verifies"
    );
    let (_, listed) = server.get(&format!("/api/v1/users/{USER}/tokens"));
    let serials: Vec<&str> = listed["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["serial"].as_str().unwrap())
        .collect();
    assert!(serials.contains(&pending["serial"].as_str().unwrap()));
    let imported = server
        .audit()
        .into_iter()
        .filter(|e| e["action"] == "token.import" && e["outcome"] == "imported")
        .count();
    assert_eq!(imported, 2);
}

fn https_is_served_with_the_given_certificate_and_plain_http_stays_on_loopback(on: Database) {
    let mut server = Server::start(on);
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let dir = server.data.path().to_owned();
    std::fs::write(dir.join("cert.pem"), certified.cert.pem()).unwrap();
    std::fs::write(dir.join("key.pem"), certified.signing_key.serialize_pem()).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    server.serve_again(&[
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    assert!(
        server.base.starts_with("https://127.0.0.1:"),
        "{}",
        server.base
    );
    let trusted = ureq::tls::Certificate::from_der(certified.cert.der()).to_owned();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::new_with_certs(&[trusted]))
                .build(),
        )
        .build()
        .into();
    let answer = agent
        .get(format!("{}/healthz", server.base))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(answer, "ok\n");
    let untrusting: ureq::Agent = ureq::Agent::config_builder().build().into();
    assert!(
        untrusting
            .get(format!("{}/healthz", server.base))
            .call()
            .is_err()
    );

    let refused = server.run(&["serve", "--listen", "0.0.0.0:0"], "");
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("--listen: 0.0.0.0:0 is not a loopback address"),
        "{message}"
    );
    let (mut child, base) = spawn_serve(&dir, server.database(), &["--insecure-http"]);
    assert!(base.starts_with("http://"));
    let _ = child.kill();
    let _ = child.wait();
}

fn healthz_until(server: &Server, count: usize) -> Vec<u16> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    (0..count)
        .map(|_| {
            let mut response = agent
                .get(format!("{}/healthz", server.base))
                .call()
                .unwrap();
            let status = response.status().as_u16();
            if status == 429 {
                assert!(response.headers().get("retry-after").is_some());
                let body: Value = response.body_mut().read_json().unwrap();
                assert_eq!(body["error"]["field"], Value::Null);
                assert!(
                    body["error"]["message"]
                        .as_str()
                        .unwrap()
                        .starts_with("too many requests from this address")
                );
            }
            status
        })
        .collect()
}

fn the_rate_limit_and_the_configuration_file_apply(on: Database) {
    let mut server = Server::start(on);
    let config = server.data.path().join("server.toml");
    std::fs::write(
        &config,
        "log_format = \"json\"\n[rate_limit]\nper_second = 1\nburst = 3\n",
    )
    .unwrap();
    let config = config.to_str().unwrap().to_owned();
    server.serve_again(&["--config", &config]);
    assert_eq!(healthz_until(&server, 4), [200, 200, 200, 429]);
    server.serve_again(&["--config", &config, "--rate-limit-burst", "5"]);
    assert_eq!(
        healthz_until(&server, 6),
        [200, 200, 200, 200, 200, 429],
        "the option wins"
    );

    std::fs::write(&config, "listen = \"127.0.0.1:0\"\nburst = 3\n").unwrap();
    let refused = server.run(&["serve", "--config", &config], "");
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(
        message.contains("--config: unknown field `burst`"),
        "{message}"
    );
    assert!(message.contains("(line 2)"), "{message}");
}

#[test]
fn rotation_reseals_every_token_and_survives_a_kill_on_sqlite() {
    rotation_reseals_every_token_and_survives_a_kill(Database::Sqlite);
}

#[test]
fn rotation_reseals_every_token_and_survives_a_kill_on_postgres() {
    rotation_reseals_every_token_and_survives_a_kill(Database::Postgres);
}

#[test]
fn an_issuer_store_is_imported_for_a_user_on_sqlite() {
    an_issuer_store_is_imported_for_a_user(Database::Sqlite);
}

#[test]
fn an_issuer_store_is_imported_for_a_user_on_postgres() {
    an_issuer_store_is_imported_for_a_user(Database::Postgres);
}

#[test]
fn https_is_served_with_the_given_certificate_and_plain_http_stays_on_loopback_on_sqlite() {
    https_is_served_with_the_given_certificate_and_plain_http_stays_on_loopback(Database::Sqlite);
}

#[test]
fn https_is_served_with_the_given_certificate_and_plain_http_stays_on_loopback_on_postgres() {
    https_is_served_with_the_given_certificate_and_plain_http_stays_on_loopback(Database::Postgres);
}

#[test]
fn the_rate_limit_and_the_configuration_file_apply_on_sqlite() {
    the_rate_limit_and_the_configuration_file_apply(Database::Sqlite);
}

#[test]
fn the_rate_limit_and_the_configuration_file_apply_on_postgres() {
    the_rate_limit_and_the_configuration_file_apply(Database::Postgres);
}
