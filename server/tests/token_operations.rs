//! The token operations beyond create/complete/verify, through the API with the real `tessera`
//! token: OCRA challenges and responses, the QR code in the create answer, a user's list of
//! tokens, disabling a token, and the unlock code for a locked token. On both databases.

mod common;

use common::{Database, Server, TOKEN_NAME, USER, ocra_token, registered_token};
use serde_json::{Value, json};

fn error(status: u16, answer: &Value, field: &str) -> String {
    assert_eq!(answer["error"]["field"], field, "{status}: {answer}");
    answer["error"]["message"].as_str().unwrap().to_owned()
}

fn challenges_are_answered_once_by_the_real_token(on: Database) {
    let server = Server::start(on);
    let (serial, token, created) = ocra_token(&server);
    let svg = created["qr_svg"].as_str().unwrap();
    assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.contains("<path"));

    let (status, issued) = server.post(&format!("/api/v1/tokens/{serial}/challenge"), json!({}));
    assert_eq!(status, 200, "{issued}");
    let challenge = issued["challenge"].as_str().unwrap().to_owned();
    assert_eq!(challenge.len(), 8, "QN08: 8 digits");
    let response = token.run(&["challenge", TOKEN_NAME, &challenge], &[]);
    let response = response.trim();
    let respond = format!("/api/v1/tokens/{serial}/response");
    let body = json!({ "challenge": challenge, "response": response });
    let (status, accepted) = server.post(&respond, body.clone());
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["accepted"], true);
    assert_eq!(
        (accepted["counter"].clone(), accepted["time_step"].clone()),
        (Value::Null, Value::Null)
    );

    let (status, again) = server.post(&respond, body);
    assert_eq!(status, 422);
    error(status, &again, "challenge");
    let (status, missing) = server.post(&respond, json!({ "challenge": challenge }));
    assert_eq!(status, 400);
    assert_eq!(error(status, &missing, "response"), "response is required");

    // A token without a suite has no challenges.
    let (plain, _) = registered_token(&server);
    let (status, refused) = server.post(&format!("/api/v1/tokens/{plain}/challenge"), json!({}));
    assert_eq!(status, 409, "{refused}");
    error(status, &refused, "serial");
    // A bad suite is refused by name.
    let (status, bad) = server.post(
        &format!("/api/v1/users/{USER}/tokens"),
        json!({ "ocra_suite": "OCRA-1:HOTP-MD5-6:QN08" }),
    );
    assert_eq!(status, 422, "{bad}");
    error(status, &bad, "ocra_suite");
    let verify_only = server.key_with(&["enrol"]);
    let (status, _) = server.post_raw(
        &format!("/api/v1/tokens/{serial}/challenge"),
        Some(&verify_only),
        "{}",
    );
    assert_eq!(status, 403);
}

fn a_users_tokens_are_listed_and_a_disabled_token_is_refused(on: Database) {
    let server = Server::start(on);
    let (serial, token) = registered_token(&server);
    let pending = server.create_token();
    let (status, listed) = server.get(&format!("/api/v1/users/{USER}/tokens"));
    assert_eq!(status, 200, "{listed}");
    let tokens = listed["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 2);
    let find = |tokens: &[Value], serial: &Value| {
        tokens
            .iter()
            .find(|t| &t["serial"] == serial)
            .cloned()
            .unwrap()
    };
    assert_eq!(find(tokens, &json!(serial))["registered"], true);
    assert_eq!(find(tokens, &pending["serial"])["registered"], false);
    assert!(tokens.iter().all(|t| t["disabled"] == false));
    let text = listed.to_string();
    assert!(!text.contains("secret") && !text.contains("activation_code"));

    let (status, missing) = server.get("/api/v1/users/bob/tokens");
    assert_eq!(status, 404);
    error(status, &missing, "user");

    let disable = format!("/api/v1/tokens/{serial}/disable");
    let (status, answer) = server.post(&disable, json!({}));
    assert_eq!((status, answer["status"].clone()), (200, json!("disabled")));
    let (status, answer) = server.post(&disable, json!({}));
    assert_eq!(
        (status, answer["status"].clone()),
        (200, json!("already_disabled"))
    );
    let (status, refused) = server.post(
        &format!("/api/v1/tokens/{serial}/verify"),
        json!({ "code": token.code() }),
    );
    assert_eq!(status, 409, "{refused}");
    assert_eq!(
        error(status, &refused, "serial"),
        format!("token {} is disabled", refused_serial(&serial))
    );
    let audit = server.audit();
    assert!(audit.iter().any(|e| e["action"] == "token.disable"
        && e["subject"] == digits(&serial)
        && e["outcome"] == "disabled"));
    assert!(audit.iter().any(|e| e["action"] == "token.verify"
        && e["subject"] == digits(&serial)
        && e["outcome"] == "refused: disabled"));
    let (_, listed) = server.get(&format!("/api/v1/users/{USER}/tokens"));
    let tokens = listed["tokens"].as_array().unwrap();
    assert_eq!(find(tokens, &json!(serial))["disabled"], true);
    assert_eq!(find(tokens, &pending["serial"])["disabled"], false);
    let (status, unknown) = server.post("/api/v1/tokens/48244-13456/disable", json!({}));
    assert_eq!(status, 404, "{unknown}");
}

/// The serial as the audit names it: its digits.
fn digits(serial: &str) -> String {
    serial.chars().filter(char::is_ascii_digit).collect()
}

/// The serial as core prints it (groups of digits).
fn refused_serial(serial: &str) -> String {
    serial
        .parse::<tessera_core::identityguard::SerialNumber>()
        .unwrap()
        .to_string()
}

fn a_locked_token_is_unlocked_with_the_services_unlock_code(on: Database) {
    let server = Server::start(on);
    let (serial, token) = registered_token(&server);
    for _ in 0..5 {
        let output = token.try_run(&["list"], &[("TESSERA_PIN", "000000")]);
        assert!(!output.status.success());
    }
    let shown = token.run(&["unlock"], &[]);
    let reset_code = shown
        .lines()
        .find_map(|l| l.strip_prefix("PIN reset code: "))
        .unwrap_or_else(|| panic!("no reset code in {shown:?}"))
        .to_owned();
    let unlock = format!("/api/v1/tokens/{serial}/unlock-code");
    let (status, bad) = server.post(&unlock, json!({ "reset_code": "12345" }));
    assert_eq!(status, 422);
    error(status, &bad, "reset_code");
    let (status, answer) = server.post(&unlock, json!({ "reset_code": reset_code }));
    assert_eq!(status, 200, "{answer}");
    let code = answer["unlock_code"].as_str().unwrap();
    token.run(
        &["unlock", "--code", code],
        &[("TESSERA_NEW_PIN", "739164")],
    );
    let code_now = token.run(&["code", TOKEN_NAME], &[("TESSERA_PIN", "739164")]);
    let (status, verified) = server.post(
        &format!("/api/v1/tokens/{serial}/verify"),
        json!({ "code": code_now.trim() }),
    );
    assert_eq!(status, 200, "{verified}");
    assert!(
        server
            .audit()
            .iter()
            .any(|e| e["action"] == "token.unlock_code"
                && e["subject"] == digits(&serial)
                && e["outcome"] == "issued")
    );
}

#[test]
fn challenges_are_answered_once_by_the_real_token_on_sqlite() {
    challenges_are_answered_once_by_the_real_token(Database::Sqlite);
}

#[test]
fn challenges_are_answered_once_by_the_real_token_on_postgres() {
    challenges_are_answered_once_by_the_real_token(Database::Postgres);
}

#[test]
fn a_users_tokens_are_listed_and_a_disabled_token_is_refused_on_sqlite() {
    a_users_tokens_are_listed_and_a_disabled_token_is_refused(Database::Sqlite);
}

#[test]
fn a_users_tokens_are_listed_and_a_disabled_token_is_refused_on_postgres() {
    a_users_tokens_are_listed_and_a_disabled_token_is_refused(Database::Postgres);
}

#[test]
fn a_locked_token_is_unlocked_with_the_services_unlock_code_on_sqlite() {
    a_locked_token_is_unlocked_with_the_services_unlock_code(Database::Sqlite);
}

#[test]
fn a_locked_token_is_unlocked_with_the_services_unlock_code_on_postgres() {
    a_locked_token_is_unlocked_with_the_services_unlock_code(Database::Postgres);
}
