//! Authentication for relying applications: users imported from CSV, challenge questions,
//! `POST /authenticate` with each factor right and wrong, the throttle (growing delay, lock,
//! unlock, reset by a success, parallel wrong guesses all counted) and two-code resync.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::{Database, PASSWORD, Server, Token, USER, registered_token};
use serde_json::{Value, json};

fn authenticate(server: &Server, body: Value) -> (u16, Value) {
    server.post("/api/v1/authenticate", body)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A code of `token` that is not the code of any step near now: its code now, changed.
fn wrong_code(token: &Token) -> String {
    let right: u32 = token.code().parse().unwrap();
    let near: Vec<String> = (0..5).map(|i| token.code_at(now() - 60 + 30 * i)).collect();
    (1..)
        .map(|d| format!("{:06}", (right + d) % 1_000_000))
        .find(|c| !near.contains(c))
        .unwrap()
}

fn csv_import_is_all_or_none(on: Database) {
    let server = Server::start(on);
    let good = server.data.path().join("good.csv");
    std::fs::write(
        &good,
        "user,password\nbob,bob's long password\n\"carol, jr\",carol's password\n",
    )
    .unwrap();
    let output = server.run(&["users", "import", good.to_str().unwrap()], "");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "imported 2 users"
    );
    let (status, answer) = authenticate(
        &server,
        json!({"user": "carol, jr", "password": "carol's password"}),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer,
        json!({"user": "carol, jr", "authenticated": true, "factors": ["password"]})
    );

    let bad = server.data.path().join("bad.csv");
    std::fs::write(
        &bad,
        "user,password\ndave,dave's long password\nerin,short\n",
    )
    .unwrap();
    let output = server.run(&["users", "import", bad.to_str().unwrap()], "");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "line 3, field password: must have 8 to 1024 characters, not 5; nothing was imported"
        ),
        "{stderr}"
    );
    let (status, answer) = authenticate(
        &server,
        json!({"user": "dave", "password": "dave's long password"}),
    );
    assert_eq!(status, 404, "dave was not imported: {answer}");

    let taken = server.data.path().join("taken.csv");
    std::fs::write(
        &taken,
        "user,password\nfrank,frank's password\nbob,another password\n",
    )
    .unwrap();
    let output = server.run(&["users", "import", taken.to_str().unwrap()], "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 3, field user: there is a user \"bob\" already"),
        "{stderr}"
    );
    let (status, _) = authenticate(
        &server,
        json!({"user": "frank", "password": "frank's password"}),
    );
    assert_eq!(status, 404, "frank's line was rolled back with bob's");

    let header = server.data.path().join("header.csv");
    std::fs::write(&header, "login,password\nfrank,frank's password\n").unwrap();
    let output = server.run(&["users", "import", header.to_str().unwrap()], "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 1, field header: must be exactly `user,password`"),
        "{stderr}"
    );
    let short_row = server.data.path().join("fields.csv");
    std::fs::write(&short_row, "user,password\nfrank\n").unwrap();
    let output = server.run(&["users", "import", short_row.to_str().unwrap()], "");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("line 2, field line: has 1 fields, the header has 2"),
        "{stderr}"
    );
}

fn questions_are_set_asked_and_answered_normalised(on: Database) {
    let server = Server::start(on);
    let (status, offered) = server.get("/api/v1/questions");
    assert_eq!(status, 200, "{offered}");
    let offered: Vec<String> = serde_json::from_value(offered["questions"].clone()).unwrap();
    assert!(offered.len() >= 3);
    let path = format!("/api/v1/users/{USER}/questions");
    let (status, answer) = server.put(
        &path,
        json!({"answers": [
            {"question": 0, "answer": "  Paris "},
            {"question": 2, "answer": "Rex"},
            {"question": 4, "answer": "Saint Étienne"},
        ]}),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer["questions"],
        json!([offered[0], offered[2], offered[4]])
    );
    let typed = |question: &str| match offered.iter().position(|q| q == question) {
        Some(0) => "paris",
        Some(2) => "  REX",
        Some(4) => "saint e\u{301}tienne",
        other => panic!("asked {other:?}"),
    };

    let challenge = format!("/api/v1/users/{USER}/questions/challenge");
    let mut asked = std::collections::HashSet::new();
    for _ in 0..12 {
        let (status, question) = server.post(&challenge, json!({}));
        assert_eq!(status, 200, "{question}");
        let question = question["question"].as_str().unwrap().to_owned();
        let (status, answer) = authenticate(
            &server,
            json!({"user": USER, "password": PASSWORD, "answer": typed(&question)}),
        );
        assert_eq!(status, 200, "{question}: {answer}");
        assert_eq!(answer["factors"], json!(["password", "answer"]));
        asked.insert(question);
    }
    assert!(
        asked.len() > 1,
        "the question is drawn at random: {asked:?}"
    );

    let (status, _) = server.post(&challenge, json!({}));
    assert_eq!(status, 200);
    let (status, answer) = authenticate(
        &server,
        json!({"user": USER, "password": PASSWORD, "answer": "london"}),
    );
    assert_eq!(status, 401);
    assert_eq!(
        answer,
        json!({"error": {"field": "answer", "message": "not authenticated: wrong answer"}})
    );
    let (status, _) = authenticate(
        &server,
        json!({"user": USER, "password": PASSWORD, "answer": "paris"}),
    );
    assert_eq!(status, 401, "a question is answered once: ask again");

    let (status, answer) = server.put(&path, json!({"answers": [
        {"question": 0, "answer": "a"}, {"question": 0, "answer": "b"}, {"question": 1, "answer": "c"},
    ]}));
    assert_eq!(status, 422);
    assert_eq!(answer["error"]["field"], "answers[1].question");
    let (status, answer) = server.put(&path, json!({"answers": [{"question": 0, "answer": "a"}]}));
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("answers"))
    );
    let (status, answer) = server.put(&path, json!({"answers": [
        {"question": 0, "answer": "a"}, {"question": 1, "answer": "   "}, {"question": 99, "answer": "c"},
    ]}));
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (422, Some("answers[1].answer"))
    );
    let audit = server.audit();
    assert!(audit.iter().any(|e| e["action"] == "questions.set"));
    let text = serde_json::to_string(&audit).unwrap();
    assert!(
        !text.to_lowercase().contains("paris") && !text.contains(PASSWORD),
        "{text}"
    );
}

fn authenticate_checks_every_factor(on: Database) {
    let server = Server::start(on);
    let (status, answer) = authenticate(&server, json!({"user": USER, "password": PASSWORD}));
    assert_eq!(
        (status, &answer["factors"]),
        (200, &json!(["password"])),
        "{answer}"
    );
    let (status, answer) = authenticate(
        &server,
        json!({"user": USER, "password": "correct horse batterz"}),
    );
    assert_eq!(status, 401);
    assert_eq!(
        answer,
        json!({"error": {"field": "password", "message": "not authenticated: wrong password"}})
    );
    let (status, answer) = authenticate(&server, json!({"user": "mallory", "password": PASSWORD}));
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (404, Some("user"))
    );
    let (status, answer) = authenticate(&server, json!({"user": USER}));
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (400, Some("password"))
    );

    let (_serial, token) = registered_token(&server);
    let (status, answer) = authenticate(&server, json!({"user": USER, "password": PASSWORD}));
    assert_eq!(status, 400, "a user with a token must give a code");
    assert_eq!(answer["error"]["field"], "code");
    let (status, answer) = authenticate(
        &server,
        json!({"user": USER, "password": PASSWORD, "code": wrong_code(&token)}),
    );
    assert_eq!(status, 401);
    assert_eq!(
        answer,
        json!({"error": {"field": "code", "message": "not authenticated: wrong code"}})
    );
    let code = token.code();
    let (status, answer) = authenticate(
        &server,
        json!({"user": USER, "password": "wrong password!", "code": code}),
    );
    assert_eq!(status, 401);
    assert_eq!(answer["error"]["field"], "password");
    let (status, answer) = authenticate(
        &server,
        json!({"user": USER, "password": PASSWORD, "code": code}),
    );
    assert_eq!(
        status, 401,
        "the code was used by the attempt before: {answer}"
    );
    // Wait for the token's next code: the last one was used.
    std::thread::sleep(Duration::from_secs(30 - now() % 30 + 1));
    let (status, answer) = authenticate(
        &server,
        json!({"user": USER, "password": PASSWORD, "code": token.code()}),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        answer,
        json!({"user": USER, "authenticated": true, "factors": ["code", "password"]})
    );

    let audit = server.audit();
    let events: Vec<&Value> = audit
        .iter()
        .filter(|e| e["action"] == "authenticate")
        .collect();
    let outcomes: Vec<&str> = events
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        [
            "accepted",
            "refused: wrong password",
            "refused: wrong code",
            "refused: wrong password",
            "refused: wrong code",
            "accepted"
        ]
    );
    assert!(
        events
            .iter()
            .all(|e| e["subject"] == USER && e["client"] == "127.0.0.1")
    );
}

fn failures_delay_then_lock_then_unlock(on: Database) {
    let server = Server::start_with(
        on,
        &[
            "--free-failures",
            "1",
            "--delay-seconds",
            "1",
            "--lock-after",
            "3",
            "--lock-seconds",
            "3",
        ],
    );
    let wrong = json!({"user": USER, "password": "not the password"});
    let right = json!({"user": USER, "password": PASSWORD});
    assert_eq!(authenticate(&server, wrong.clone()).0, 401);
    assert_eq!(
        authenticate(&server, wrong.clone()).0,
        401,
        "one free failure, then a delay"
    );
    let (status, answer) = authenticate(&server, right.clone());
    assert_eq!(status, 429, "even the right password waits: {answer}");
    assert_eq!(
        answer,
        json!({"error": {"field": "password", "message": "too many failed attempts with the password; try again in 1 s"}})
    );
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(
        authenticate(&server, wrong.clone()).0,
        401,
        "the third failure locks"
    );
    let (status, answer) = authenticate(&server, right.clone());
    assert_eq!(status, 423, "{answer}");
    assert_eq!(answer["error"]["field"], "password");
    let message = answer["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("locked: the password failed 3 times in a row; try again in "),
        "{message}"
    );
    std::thread::sleep(Duration::from_millis(3100));
    assert_eq!(
        authenticate(&server, right.clone()).0,
        200,
        "the lock is over"
    );

    // A success resets the count: two failures after it are again one free and one counted.
    assert_eq!(authenticate(&server, wrong.clone()).0, 401);
    assert_eq!(authenticate(&server, wrong.clone()).0, 401);
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(authenticate(&server, right.clone()).0, 200);
    assert_eq!(authenticate(&server, wrong.clone()).0, 401);
    assert_eq!(
        authenticate(&server, wrong.clone()).0,
        401,
        "counted from 0 again, not delayed"
    );

    let outcomes: Vec<String> = server
        .audit()
        .iter()
        .filter(|e| e["action"] == "authenticate")
        .map(|e| e["outcome"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        &outcomes[..6],
        [
            "refused: wrong password",
            "refused: wrong password",
            "refused: password delayed",
            "refused: wrong password",
            "refused: password locked",
            "accepted",
        ]
    );
}

fn parallel_wrong_codes_all_count(on: Database) {
    // The rate limit (default burst 50 per address, loopback included) is lifted so that the
    // throttle, not the rate limit, is what these parallel requests meet.
    let server = Server::start_with(
        on,
        &[
            "--free-failures",
            "20",
            "--lock-after",
            "20",
            "--rate-limit-per-second",
            "1000",
            "--rate-limit-burst",
            "1000",
        ],
    );
    let (serial, token) = registered_token(&server);
    let path = format!("/api/v1/tokens/{serial}/verify");
    let wrong = wrong_code(&token);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..20)
            .map(|_| scope.spawn(|| server.post(&path, json!({"code": wrong})).0))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(statuses, [422; 20], "all 20 were checked and refused");
    let (status, answer) = server.post(&path, json!({"code": token.code()}));
    assert_eq!(status, 423, "20 failures counted: locked: {answer}");
    assert!(
        answer["error"]["message"]
            .as_str()
            .unwrap()
            .contains("failed 20 times"),
        "{answer}"
    );
    let (status, answer) = authenticate(
        &server,
        json!({"user": USER, "password": PASSWORD, "code": token.code()}),
    );
    assert_eq!(
        (status, answer["error"]["field"].as_str()),
        (423, Some("code")),
        "one count for both APIs"
    );
}

fn two_consecutive_codes_resynchronise(on: Database) {
    let server = Server::start(on);
    let (serial, token) = registered_token(&server);
    let path = format!("/api/v1/tokens/{serial}/verify");
    let behind = now() - 6 * 30;
    let (status, answer) = server.post(&path, json!({"code": token.code_at(behind)}));
    assert_eq!(
        status, 422,
        "one code beyond the window is refused: {answer}"
    );
    let (status, answer) = server.post(
        &path,
        json!({"code": token.code_at(behind), "next_code": token.code_at(behind + 30)}),
    );
    assert_eq!(status, 200, "{answer}");
    let drift = answer["drift_steps"].as_i64().unwrap();
    assert!((-6..=-4).contains(&drift), "{answer}");
    let (status, answer) = server.post(&path, json!({"code": token.code_at(behind + 60)}));
    assert_eq!(
        status, 200,
        "the next code verifies in the window again: {answer}"
    );
    let (status, _) = server.post(
        &path,
        json!({"code": token.code_at(behind), "next_code": token.code_at(behind + 30)}),
    );
    assert_eq!(status, 422, "the pair is used");
    assert!(
        server
            .audit()
            .iter()
            .any(|e| e["action"] == "token.resync" && e["outcome"] == "accepted")
    );
}

macro_rules! on_both {
    ($($name:ident => $sqlite:ident, $postgres:ident;)*) => {$(
        #[test]
        fn $sqlite() {
            $name(Database::Sqlite);
        }
        #[test]
        fn $postgres() {
            $name(Database::Postgres);
        }
    )*};
}

on_both! {
    csv_import_is_all_or_none => csv_import_is_all_or_none_on_sqlite, csv_import_is_all_or_none_on_postgres;
    questions_are_set_asked_and_answered_normalised => questions_on_sqlite, questions_on_postgres;
    authenticate_checks_every_factor => authenticate_on_sqlite, authenticate_on_postgres;
    failures_delay_then_lock_then_unlock => throttle_on_sqlite, throttle_on_postgres;
    parallel_wrong_codes_all_count => parallel_wrong_codes_on_sqlite, parallel_wrong_codes_on_postgres;
    two_consecutive_codes_resynchronise => resync_on_sqlite, resync_on_postgres;
}
