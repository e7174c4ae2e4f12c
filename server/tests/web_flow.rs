//! The Self Service pages' whole flow over HTTP, with the real `tessera` token: first sign-in
//! and challenge questions, a token requested and activated (a wrong registration code
//! first), sign-in with the token's code (a replay refused), the step-up before the secure
//! action, a token locked by wrong PINs unlocked through the page, a lost token disabled and
//! a new one activated. On SQLite and PostgreSQL.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use common::web::{Browser, Page};
use common::{ADDRESS, Database, PASSWORD, Server, TOKEN_NAME, Token, USER};
use serde_json::json;

const NEW_PIN: &str = "739164";

/// Requests a token on the pages and activates it with a new `tessera` token: the token and
/// the serial number shown.
fn request_and_activate(browser: &mut Browser) -> (Token, String) {
    let account = browser.get("/account");
    assert!(account.body.contains(">Request a soft token</a>"));
    let asked = browser.get("/token/request");
    assert_eq!(asked.h1(), "Request a soft token");
    assert!(
        asked
            .body
            .contains("Do you want a soft token for second-factor authentication?")
    );
    let install = browser.submit(&asked, "/token/request", &[("answer", "yes")]);
    assert_eq!(install.h1(), "Install the soft token");
    let not_yet = browser.submit(&install, "/token/install", &[("answer", "no")]);
    assert_eq!(not_yet.h1(), "Install the soft token");
    assert!(not_yet.body.contains("id=\"get-it\""));
    let activate = browser.submit(&not_yet, "/token/install", &[("answer", "yes")]);
    assert_eq!(
        activate.h1(),
        "Activate your soft token",
        "{}",
        activate.body
    );
    let serial = activate.id("serial");
    let activation_code = activate.id("activation-code");
    assert_eq!(activate.id("address"), ADDRESS);
    assert!(
        serial.len() == 11 && serial.as_bytes()[5] == b'-',
        "{serial}"
    );
    let figure = &activate.body[activate.body.find("<figure id=\"qr\">").unwrap()..];
    assert!(figure.starts_with("<figure id=\"qr\"><svg"), "{figure:.80}");
    assert!(!activate.body.contains("<?xml"));
    // No mail server: no e-mail form, and a sentence saying so.
    assert!(!activate.body.contains("Send the link by e-mail"));
    assert!(activate.body.contains("not set up to send e-mail"));

    let reloaded = browser.get("/token/activate");
    assert_eq!(reloaded.id("serial"), serial, "the data survives a reload");
    assert_eq!(reloaded.id("activation-code"), activation_code);

    let token = Token::new();
    let registration = token.add(&json!({ "serial": serial, "activation_code": activation_code }));
    let wrong = wrong_registration(&registration);
    let refused = browser.submit(
        &reloaded,
        "/token/activate",
        &[("registration_code", &wrong)],
    );
    assert_eq!(
        refused.error().as_deref(),
        Some("That registration code is wrong. Check it and try again.")
    );
    assert_eq!(refused.id("serial"), serial, "the person can try again");
    let done = browser.submit(
        &refused,
        "/token/activate",
        &[("registration_code", &registration)],
    );
    assert_eq!(done.h1(), "Soft token activated");
    assert_eq!(
        done.notice().as_deref(),
        Some("You have successfully activated the soft token.")
    );
    let account = browser.get("/account");
    assert!(!account.body.contains(">Request a soft token</a>"));
    (token, serial)
}

/// A registration code with one digit changed.
fn wrong_registration(right: &str) -> String {
    let mut chars: Vec<char> = right.chars().collect();
    let last = chars.iter().rposition(char::is_ascii_digit).unwrap();
    chars[last] = if chars[last] == '0' { '1' } else { '0' };
    chars.into_iter().collect()
}

fn sign_out(browser: &mut Browser, page: &Page) -> Page {
    let out = browser.post_once("/signout", &[("csrf", &page.csrf())]);
    assert_eq!(out.location.as_deref(), Some("/signin"));
    browser.follow(out)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn the_whole_flow(on: Database) {
    // A window of 4 steps: the test gives the codes of the next steps, one per sign-in.
    let server = Server::start_with(on, &["--address", ADDRESS, "--window", "4"]);
    let mut browser = Browser::new(&server.base);

    let start = browser.get_once("/");
    assert_eq!(
        (start.status, start.location.as_deref()),
        (303, Some("/signin"))
    );
    let account = browser.first_sign_in(USER, PASSWORD);
    assert_eq!(account.id("signed-in-as"), format!("Signed in as {USER}"));
    assert!(!account.body.contains(">Help desk</a>"));

    let (token, serial) = request_and_activate(&mut browser);
    let digits: String = serial.chars().filter(char::is_ascii_digit).collect();
    let stored = server.sql(
        "SELECT user_name FROM web_sessions WHERE activation IS NULL",
        &[],
    );
    assert_eq!(stored, [USER], "the activation data is gone once activated");

    // Sign out: the row is deleted, so the old cookie is worth nothing.
    let account = browser.get("/account");
    let old_cookie = browser.cookies["tessera_session"].clone();
    let signed_out = sign_out(&mut browser, &account);
    assert_eq!(signed_out.h1(), "Sign in");
    assert!(
        server
            .sql("SELECT user_name FROM web_sessions", &[])
            .is_empty()
    );
    browser.cookies.insert("tessera_session".into(), old_cookie);
    let ended = browser.get("/account");
    assert_eq!(
        ended.error().as_deref(),
        Some("Your session has ended. Sign in again.")
    );

    // Sign in with the token's code; the same code again is refused as used.
    let t0 = now();
    let code_at = |step: u64, pin: &str| {
        token
            .run(
                &["code", TOKEN_NAME, "--at", &(t0 + 30 * step).to_string()],
                &[("TESSERA_PIN", pin)],
            )
            .trim()
            .to_owned()
    };
    let first = code_at(0, common::PIN);
    let asked = browser.sign_in(USER, PASSWORD);
    assert_eq!(asked.h1(), "Enter your security code", "{}", asked.body);
    assert!(
        asked
            .body
            .contains("Enter the security code your soft token shows")
    );
    assert!(asked.body.contains(">My soft token is locked or lost</a>"));
    let wrong = browser.submit(&asked, "/signin/code", &[("code", "000000")]);
    assert_eq!(
        wrong.error().as_deref(),
        Some("That security code is wrong.")
    );
    let account = browser.submit(&wrong, "/signin/code", &[("code", &first)]);
    assert_eq!(account.h1(), "Your account", "{}", account.body);
    sign_out(&mut browser, &account);
    let asked = browser.sign_in(USER, PASSWORD);
    let replayed = browser.submit(&asked, "/signin/code", &[("code", &first)]);
    assert_eq!(
        replayed.error().as_deref(),
        Some("That security code has already been used. Wait for the next one.")
    );
    let account = browser.submit(
        &replayed,
        "/signin/code",
        &[("code", &code_at(1, common::PIN))],
    );
    assert_eq!(account.h1(), "Your account");

    // The secure action: the token again, then one certificate per step-up.
    let step_up = browser.get("/certificate");
    assert_eq!(step_up.h1(), "Create a certificate");
    assert!(step_up.body.contains(">Continue</button>"));
    let ready = browser.submit(
        &step_up,
        "/certificate/verify",
        &[("code", &code_at(2, common::PIN))],
    );
    assert!(
        ready.body.contains(">Create the certificate</button>"),
        "{}",
        ready.body
    );
    let created = browser.submit(&ready, "/certificate", &[]);
    assert_eq!(
        created.notice().as_deref(),
        Some("Your certificate was created.")
    );
    let again = browser.submit(&ready, "/certificate", &[]);
    assert_eq!(again.notice(), None, "a step-up counts once");
    assert!(again.body.contains("Security code"));
    let audit = server.audit();
    let certificates: Vec<_> = audit
        .iter()
        .filter(|e| e["action"] == "certificate.create")
        .collect();
    assert_eq!(certificates.len(), 1);
    assert_eq!(certificates[0]["actor"], format!("web:{USER}"));

    // Five wrong PINs lock the token; the page's unlock code opens it.
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
    let account = browser.get("/account");
    sign_out(&mut browser, &account);
    let asked = browser.sign_in(USER, PASSWORD);
    assert_eq!(asked.h1(), "Enter your security code");
    let question = browser.get("/signin/help");
    let help = browser.answer_right(&question);
    assert_eq!(help.h1(), "Soft token help", "{}", help.body);
    assert!(
        browser.get("/account").h1() == "Sign in",
        "help is not a full sign-in"
    );
    let question = {
        let asked = browser.sign_in(USER, PASSWORD);
        assert_eq!(asked.h1(), "Enter your security code");
        browser.get("/signin/help")
    };
    let help = browser.answer_right(&question);
    assert!(help.body.contains(">My soft token is locked</a>"));
    assert!(help.body.contains(">I lost my soft token</a>"));
    let unlock = browser.get("/token/unlock");
    assert_eq!(unlock.h1(), "Unlock your soft token");
    let bad = browser.submit(&unlock, "/token/unlock", &[("reset_code", "12345")]);
    assert_eq!(
        bad.error().as_deref(),
        Some("That reset code is wrong. Check it and try again.")
    );
    let unlocked = browser.submit(&bad, "/token/unlock", &[("reset_code", &reset_code)]);
    let unlock_code = unlocked.id("unlock-code");
    token.run(
        &["unlock", "--code", &unlock_code],
        &[("TESSERA_NEW_PIN", NEW_PIN)],
    );
    sign_out(&mut browser, &unlocked);
    let asked = browser.sign_in(USER, PASSWORD);
    let account = browser.submit(&asked, "/signin/code", &[("code", &code_at(3, NEW_PIN))]);
    assert_eq!(account.h1(), "Your account", "{}", account.body);

    // Lost: disabled after a challenge question, then a new token for the same user.
    sign_out(&mut browser, &account);
    browser.sign_in(USER, PASSWORD);
    let question = browser.get("/signin/help");
    browser.answer_right(&question);
    let lost = browser.get("/token/lost");
    assert_eq!(lost.h1(), "Lost soft token");
    let disabled = browser.submit(&lost, "/token/lost", &[]);
    assert_eq!(
        disabled.notice().as_deref(),
        Some("Your soft token is disabled.")
    );
    assert!(
        disabled
            .body
            .contains("<a href=\"/token/request\">Request a soft token</a>")
    );
    let audit = server.audit();
    assert!(audit.iter().any(|e| e["action"] == "token.disable"
        && e["subject"] == digits
        && e["actor"] == format!("web:{USER}")));
    let (_, new_serial) = request_and_activate(&mut browser);
    assert_ne!(new_serial, serial);
    let (_, listed) = server.get(&format!("/api/v1/users/{USER}/tokens"));
    let tokens = listed["tokens"].as_array().unwrap();
    assert_eq!(tokens.len(), 2);
}

#[test]
fn the_whole_flow_on_sqlite() {
    the_whole_flow(Database::Sqlite);
}

#[test]
fn the_whole_flow_on_postgres() {
    the_whole_flow(Database::Postgres);
}
