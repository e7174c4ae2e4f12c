//! The help desk pages: only for users whose role is `helpdesk`; find a user, their tokens
//! and recent events; an unlock code for a real locked token, disabling, re-issuing (and
//! activating the new token), resetting challenge answers; every action audited with the
//! operator's name. On SQLite and PostgreSQL.

mod common;

use common::web::{Browser, Page};
use common::{Database, PASSWORD, Server, Token, USER, registered_token};
use serde_json::json;

const OPERATOR: &str = "hdesk";

fn operator_signed_in(server: &Server) -> Browser {
    let output = server.run(
        &[
            "users",
            "add",
            OPERATOR,
            "--role",
            "helpdesk",
            "--password",
            "-",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        format!("added user {OPERATOR} (help desk)")
    );
    let mut browser = Browser::new(&server.base);
    let account = browser.first_sign_in(OPERATOR, PASSWORD);
    assert!(account.body.contains("<a href=\"/helpdesk\">Help desk</a>"));
    browser
}

/// The row of `serial` in the tokens table.
fn row<'a>(page: &'a Page, serial: &str) -> &'a str {
    let table = &page.body[page.body.find("<table id=\"tokens\">").unwrap()..];
    let at = table.find(&format!("<code>{serial}</code>")).unwrap();
    let end = table[at..].find("</tr>").unwrap() + at;
    &table[at..end]
}

fn the_help_desk_acts_for_a_caller(on: Database) {
    let server = Server::start_with(on, &["--address", common::ADDRESS]);
    let (serial, token) = registered_token(&server);
    server.set_answers(USER);
    let mut browser = operator_signed_in(&server);

    let empty = browser.get("/helpdesk");
    assert_eq!(empty.h1(), "Help desk");
    let missing = browser.get("/helpdesk?user=nobody");
    assert_eq!(missing.error().as_deref(), Some("There is no user nobody."));
    let found = browser.get(&format!("/helpdesk?user={USER}"));
    assert!(
        row(&found, &serial).contains("<td>active</td>"),
        "{}",
        found.body
    );
    assert!(found.body.contains("<table id=\"audit\">"));
    assert!(
        found.body.contains("<td>token.complete</td>"),
        "recent events are shown"
    );

    // A real locked token, its reset code read over the phone.
    for _ in 0..5 {
        assert!(
            !token
                .try_run(&["list"], &[("TESSERA_PIN", "000000")])
                .status
                .success()
        );
    }
    let shown = token.run(&["unlock"], &[]);
    let reset_code = shown
        .lines()
        .find_map(|l| l.strip_prefix("PIN reset code: "))
        .unwrap()
        .to_owned();
    let fields = |extra: &[(&'static str, String)]| {
        let mut all = vec![("user", USER.to_owned()), ("serial", serial.clone())];
        all.extend_from_slice(extra);
        all
    };
    let submit = |browser: &mut Browser, from: &Page, path: &str, fields: Vec<(&str, String)>| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (*n, v.as_str())).collect();
        browser.submit(from, path, &fields)
    };
    let bad = submit(
        &mut browser,
        &found,
        "/helpdesk/unlock-code",
        fields(&[("reset_code", "12345".into())]),
    );
    assert_eq!(
        bad.error().as_deref(),
        Some("That reset code is wrong. Check it and try again.")
    );
    let unlocked = submit(
        &mut browser,
        &bad,
        "/helpdesk/unlock-code",
        fields(&[("reset_code", reset_code)]),
    );
    let unlock_code = unlocked.id("unlock-code");
    token.run(
        &["unlock", "--code", &unlock_code],
        &[("TESSERA_NEW_PIN", "739164")],
    );

    let reset = submit(
        &mut browser,
        &unlocked,
        "/helpdesk/reset-answers",
        vec![("user", USER.to_owned())],
    );
    assert!(
        reset
            .notice()
            .unwrap()
            .starts_with("The challenge answers are reset")
    );
    assert!(
        server
            .sql(
                "SELECT user_name FROM user_questions WHERE user_name = $1",
                &[USER]
            )
            .is_empty()
    );

    let disabled = submit(&mut browser, &reset, "/helpdesk/disable", fields(&[]));
    assert_eq!(
        disabled.notice().as_deref(),
        Some("The soft token is disabled.")
    );
    assert!(row(&disabled, &serial).contains("<td>disabled</td>"));

    let reissued = submit(&mut browser, &disabled, "/helpdesk/reissue", fields(&[]));
    assert_eq!(
        reissued.notice().as_deref(),
        Some("A new soft token is issued.")
    );
    let new_serial = reissued.id("serial");
    assert_ne!(new_serial, serial);
    let new_token = Token::new();
    let registration = new_token.add(&json!({
        "serial": new_serial,
        "activation_code": reissued.id("activation-code"),
    }));
    let activated = submit(
        &mut browser,
        &reissued,
        "/helpdesk/activate",
        vec![
            ("user", USER.to_owned()),
            ("serial", new_serial.clone()),
            ("registration_code", registration),
        ],
    );
    assert_eq!(
        activated.notice().as_deref(),
        Some("The soft token is activated.")
    );
    assert!(row(&activated, &new_serial).contains("<td>active</td>"));

    // A serial of another user is not acted on.
    let refused = submit(
        &mut browser,
        &activated,
        "/helpdesk/disable",
        vec![
            ("user", OPERATOR.to_owned()),
            ("serial", new_serial.clone()),
        ],
    );
    assert_eq!(refused.status, 400);

    let actor = format!("helpdesk:{OPERATOR}");
    let audit = server.audit();
    for action in [
        "helpdesk.find",
        "token.unlock_code",
        "questions.reset",
        "token.disable",
        "token.create",
        "token.complete",
    ] {
        assert!(
            audit
                .iter()
                .any(|e| e["action"] == action && e["actor"] == actor),
            "no {action} by {actor}"
        );
    }
}

#[test]
fn the_help_desk_acts_for_a_caller_on_sqlite() {
    the_help_desk_acts_for_a_caller(Database::Sqlite);
}

#[test]
fn the_help_desk_acts_for_a_caller_on_postgres() {
    the_help_desk_acts_for_a_caller(Database::Postgres);
}

#[test]
fn other_users_are_refused_the_help_desk() {
    let server = Server::start(Database::Sqlite);
    let mut browser = Browser::new(&server.base);
    let account = browser.first_sign_in(USER, PASSWORD);
    assert!(!account.body.contains("Help desk"));
    for path in ["/helpdesk", "/helpdesk?user=alice"] {
        let refused = browser.get(path);
        assert_eq!(refused.status, 403, "{path}");
        assert_eq!(
            refused.error().as_deref(),
            Some("This page is for the help desk.")
        );
    }
    let refused = browser.submit(&account, "/helpdesk/reset-answers", &[("user", USER)]);
    assert_eq!(refused.status, 403);
    assert_eq!(
        refused.error().as_deref(),
        Some("This page is for the help desk.")
    );
    assert_eq!(
        server
            .sql(
                "SELECT user_name FROM user_questions WHERE user_name = $1",
                &[USER]
            )
            .len(),
        3,
        "nothing was reset"
    );
    // Signed out, the help desk sends to sign in.
    let mut stranger = Browser::new(&server.base);
    let page = stranger.get_once("/helpdesk");
    assert_eq!(page.location.as_deref(), Some("/signin"));
}
