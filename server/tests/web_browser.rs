//! The seed's whole flow in a real browser (headless Chromium through chromedriver) against a
//! real `tessera-server`, with the token played by the real `tessera` binary: sign in, set
//! challenge questions, answer one, request a soft token, activate it from the page (the data
//! typed, or the QR code read from a screenshot), type the registration code back, sign in with
//! the token's code, create a certificate after a step-up, lock the token with wrong PINs and
//! unlock it through the page, sign in again. Then the help desk, and the refusals.

mod browser_pages;
mod common;

use std::time::Duration;

use browser_pages::{Codes, Pages};
use common::{
    ADDRESS, ANSWERS, Database, PASSWORD, PIN, Server, TOKEN_NAME, Token, USER, ocra_token,
    registered_token,
};
use mail_parser::MessageParser;
use serde_json::json;
use tessera_browser_harness::{Browser, Window};
use tessera_server::questions::DEFAULT_QUESTIONS;
use tessera_smtp_sink::SmtpSink;

/// Steps of 30 s accepted each way: the flow uses a fresh step for each code it types, so a
/// slow run can get a few steps ahead of the clock.
const SERVE: &[&str] = &["--address", ADDRESS, "--window", "3"];
const NEW_PIN: &str = "739164";
const HELP_DESK: &str = "olivia";

/// How the token gets the activation data from the page.
#[derive(Clone, Copy)]
enum Activation {
    /// Serial number and activation code typed from the page's text.
    Typed,
    /// The page's QR code read from a screenshot, and the link's password typed.
    Scanned,
}

/// The questions chosen and their answers, as the person types them.
fn chosen() -> Vec<(&'static str, &'static str)> {
    DEFAULT_QUESTIONS.iter().copied().zip(ANSWERS).collect()
}

/// From the first sign-in to a signed-in account with challenge questions set.
fn set_questions_and_sign_in(pages: &Pages) {
    pages.sign_in(USER, PASSWORD);
    pages.expect("Set your challenge questions");
    assert!(
        pages
            .notice()
            .contains("You have not set your second factor yet"),
        "{}",
        pages.notice()
    );
    for (i, (question, answer)) in chosen().into_iter().enumerate() {
        pages
            .browser
            .select(&format!("Question {}", i + 1), question)
            .unwrap();
        pages.fill(&format!("Answer {}", i + 1), answer);
    }
    pages.button("Save answers");
    pages.expect("Sign in");
    assert!(pages.notice().contains("Your answers are saved"));

    pages.sign_in(USER, PASSWORD);
    pages.expect("Answer your challenge question");
    pages.fill("Answer", "not the answer");
    pages.button("Continue");
    assert_eq!(pages.error(), "That answer is wrong.");
    pages.answer_question(&chosen());
    pages.expect("Your account");
    assert_eq!(pages.text("#signed-in-as"), format!("Signed in as {USER}"));
}

/// Requests a soft token on the pages and activates `token` with what they show; returns the
/// serial number shown.
fn request_and_activate(pages: &Pages, token: &Token, activation: Activation) -> String {
    pages.link("Request a soft token");
    pages.expect("Request a soft token");
    assert!(pages.shows("Do you want a soft token for second-factor authentication?"));
    pages.button("Yes");
    pages.expect("Install the soft token");
    pages.button("Yes, it is installed");
    pages.expect("Activate your soft token");
    let serial = pages.text("#serial");
    let activation_code = pages.text("#activation-code");
    assert_eq!(pages.text("#address"), ADDRESS);
    let password = pages.text("#link-password");

    // A reload shows the same token: the activation data lives in the session, not the URL.
    pages.reload();
    pages.expect("Activate your soft token");
    assert_eq!(pages.text("#serial"), serial);

    let added = match activation {
        Activation::Typed => token.run(
            &["add", "--serial", &serial, "--address", ADDRESS],
            &[("TESSERA_ACTIVATION_CODE", &activation_code)],
        ),
        Activation::Scanned => {
            pages.browser.scroll_to("#qr").unwrap();
            let link = pages
                .browser
                .read_qr_code()
                .unwrap()
                .expect("the page's QR code is read from a screenshot");
            assert!(link.starts_with("igmobileotp://"), "{link}");
            token.run(
                &["add", "--uri"],
                &[("TESSERA_URI", &link), ("TESSERA_LINK_PASSWORD", &password)],
            )
        }
    };
    let registration = added
        .lines()
        .find_map(|l| l.strip_prefix("registration code: "))
        .unwrap_or_else(|| panic!("no registration code in {added:?}"))
        .to_owned();

    pages.fill("Registration code", &wrong_by_one_digit(&registration));
    pages.button("Activate");
    assert_eq!(
        pages.error(),
        "That registration code is wrong. Check it and try again."
    );
    pages.fill("Registration code", &registration);
    pages.button("Activate");
    pages.expect("Soft token activated");
    assert_eq!(
        pages.notice(),
        "You have successfully activated the soft token."
    );
    serial
}

/// `code` with its last digit changed.
fn wrong_by_one_digit(code: &str) -> String {
    let mut digits: Vec<char> = code.chars().collect();
    let last = digits.iter().rposition(char::is_ascii_digit).unwrap();
    digits[last] = if digits[last] == '0' { '1' } else { '0' };
    digits.into_iter().collect()
}

/// Password, then the token's code (a replayed one refused first).
fn sign_in_with_code(pages: &Pages, code: &str) {
    pages.sign_in(USER, PASSWORD);
    pages.expect("Enter your security code");
    assert!(pages.shows("Enter the security code your soft token shows"));
    pages.fill("Security code", code);
    pages.button("Sign in");
}

fn the_seed_flow(on: Database, window: Window, activation: Activation) {
    let server = Server::start_with(on, SERVE);
    let browser = Browser::start(window).unwrap();
    let pages = Pages::new(&browser, &server.base);
    let token = Token::new();
    let mut codes = Codes::new(&token);

    set_questions_and_sign_in(&pages);
    request_and_activate(&pages, &token, activation);
    pages.sign_out();

    let code = codes.fresh(PIN);
    sign_in_with_code(&pages, &code);
    pages.expect("Your account");
    pages.sign_out();
    sign_in_with_code(&pages, &code);
    assert_eq!(
        pages.error(),
        "That security code has already been used. Wait for the next one."
    );
    pages.fill("Security code", &codes.fresh(PIN));
    pages.button("Sign in");
    pages.expect("Your account");

    // The secure action asks the token again, and takes no code already used.
    pages.link("Create a certificate");
    pages.expect("Create a certificate");
    pages.fill("Security code", &code);
    pages.button("Continue");
    assert_eq!(
        pages.error(),
        "That security code has already been used. Wait for the next one."
    );
    pages.fill("Security code", &codes.fresh(PIN));
    pages.button("Continue");
    pages.button("Create the certificate");
    assert_eq!(pages.notice(), "Your certificate was created.");
    pages.sign_out();

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
    pages.sign_in(USER, PASSWORD);
    pages.expect("Enter your security code");
    pages.link("My soft token is locked or lost");
    pages.answer_question(&chosen());
    pages.expect("Soft token help");
    pages.link("My soft token is locked");
    pages.expect("Unlock your soft token");
    pages.fill("Reset code", &reset_code);
    pages.button("Get the unlock code");
    let unlock_code = pages.text("#unlock-code");
    token.run(
        &["unlock", "--code", &unlock_code],
        &[("TESSERA_NEW_PIN", NEW_PIN)],
    );

    sign_in_with_code(&pages, &codes.fresh(NEW_PIN));
    pages.expect("Your account");

    let actions: Vec<String> = server
        .audit()
        .iter()
        .map(|event| event["action"].as_str().unwrap().to_owned())
        .collect();
    for action in [
        "token.create",
        "token.complete",
        "certificate.create",
        "token.unlock_code",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
    browser.stop().unwrap();
}

#[test]
fn the_seed_flow_on_a_phone_on_sqlite_with_the_data_typed() {
    the_seed_flow(Database::Sqlite, Window::PHONE, Activation::Typed);
}

#[test]
fn the_seed_flow_on_a_desktop_on_postgres_with_the_qr_code_scanned() {
    the_seed_flow(Database::Postgres, Window::DESKTOP, Activation::Scanned);
}

/// Signs in a user whose answers were set through the API ([`Server::set_answers`]) and who
/// has no token: password, then a challenge question.
fn sign_in_with_an_answer(pages: &Pages, user: &str) {
    pages.sign_in(user, PASSWORD);
    pages.answer_question(&chosen());
    pages.expect("Your account");
}

fn the_help_desk_unlocks_resets_disables_and_reissues(on: Database) {
    let server = Server::start_with(on, SERVE);
    let added = server.run(
        &[
            "users",
            "add",
            HELP_DESK,
            "--role",
            "helpdesk",
            "--password",
            "-",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(added.status.success(), "{added:?}");
    server.set_answers(HELP_DESK);
    server.set_answers(USER);
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

    let browser = Browser::start(Window::DESKTOP).unwrap();
    let pages = Pages::new(&browser, &server.base);
    sign_in_with_an_answer(&pages, HELP_DESK);
    pages.link("Help desk");
    pages.expect("Help desk");
    pages.fill("User ID", USER);
    pages.button("Find");
    let shown_serial = serial
        .parse::<tessera_core::identityguard::SerialNumber>()
        .unwrap()
        .to_string();
    assert!(
        pages.text("#tokens").contains(&shown_serial),
        "{}",
        pages.text("#tokens")
    );
    assert!(
        pages.text("#audit").contains("token.complete"),
        "{}",
        pages.text("#audit")
    );

    // The reset code read over the phone, the unlock code read back: the token opens with it.
    pages.fill("Reset code", &reset_code);
    pages.button("Make an unlock code");
    let unlock_code = pages.text("#unlock-code");
    token.run(
        &["unlock", "--code", &unlock_code],
        &[("TESSERA_NEW_PIN", NEW_PIN)],
    );

    pages.button("Reset challenge answers");
    let (status, answer) = server.post(
        &format!("/api/v1/users/{USER}/questions/challenge"),
        json!({}),
    );
    assert_eq!(status, 409, "the answers are gone: {answer}");

    pages.button("Disable token");
    let code = token.run(&["code", TOKEN_NAME], &[("TESSERA_PIN", NEW_PIN)]);
    let (status, answer) = server.post(
        &format!("/api/v1/tokens/{serial}/verify"),
        json!({ "code": code.trim() }),
    );
    assert_ne!(status, 200, "a disabled token's code is refused: {answer}");

    pages.button("Issue a new token");
    let audit = server.audit();
    let by_operator = |action: &str| {
        audit.iter().any(|event| {
            event["actor"] == format!("helpdesk:{HELP_DESK}") && event["action"] == action
        })
    };
    for action in ["token.unlock_code", "token.disable", "token.create"] {
        assert!(by_operator(action), "{action} by the operator in {audit:?}");
    }
    assert!(
        audit
            .iter()
            .any(|event| event["actor"] == format!("helpdesk:{HELP_DESK}")
                && event["action"].as_str().unwrap().starts_with("questions.")
                && event["subject"] == USER),
        "the answers' reset by the operator in {audit:?}"
    );
    browser.stop().unwrap();
}

#[test]
fn the_help_desk_unlocks_resets_disables_and_reissues_on_sqlite() {
    the_help_desk_unlocks_resets_disables_and_reissues(Database::Sqlite);
}

#[test]
fn the_help_desk_unlocks_resets_disables_and_reissues_on_postgres() {
    the_help_desk_unlocks_resets_disables_and_reissues(Database::Postgres);
}

/// Three wrong passwords lock the account: the lock is shown in words, also to the right
/// password; a form sent without its CSRF token is refused; a user who is not the help desk
/// is shown the door of its pages.
#[test]
fn refusals_are_said_in_words_in_the_browser() {
    let server = Server::start_with(
        Database::Sqlite,
        &[
            "--address",
            ADDRESS,
            "--free-failures",
            "3",
            "--lock-after",
            "3",
        ],
    );
    server.set_answers(USER);
    let browser = Browser::start(Window::PHONE).unwrap();
    let pages = Pages::new(&browser, &server.base);

    pages.open("/signin");
    browser
        .with_client(async |client| {
            client
                .execute(
                    "document.querySelectorAll('input[type=hidden]').forEach(e => e.remove());",
                    Vec::new(),
                )
                .await
        })
        .unwrap();
    pages.fill("User ID", USER);
    pages.fill("Password", PASSWORD);
    pages.button("Sign in");
    assert!(
        pages.shows("This form has expired. Go back, reload the page and try again."),
        "{}",
        browser.page_text().unwrap()
    );

    sign_in_with_an_answer(&pages, USER);
    pages.open("/helpdesk");
    assert!(pages.shows("This page is for the help desk."));
    pages.sign_out();

    for _ in 0..3 {
        pages.sign_in(USER, "not the password");
        assert_eq!(pages.error(), "The user ID or password is wrong.");
    }
    pages.sign_in(USER, PASSWORD);
    assert!(
        pages
            .error()
            .starts_with("This account is locked after too many failed attempts."),
        "{}",
        pages.error()
    );
    pages.sign_in("nobody", PASSWORD);
    assert_eq!(pages.error(), "The user ID or password is wrong.");
}

/// A challenge-response token: the sign-in shows a challenge, the real token answers it, and
/// the same answer is not taken twice.
#[test]
fn a_challenge_response_token_signs_in_with_the_challenge_answered() {
    let server = Server::start_with(Database::Sqlite, SERVE);
    server.set_answers(USER);
    let (_, token, _) = ocra_token(&server);
    let browser = Browser::start(Window::PHONE).unwrap();
    let pages = Pages::new(&browser, &server.base);

    pages.sign_in(USER, PASSWORD);
    pages.expect("Answer the challenge");
    assert!(pages.shows("Type this challenge into your soft token"));
    let challenge = pages.text("#challenge");
    assert_eq!(challenge.len(), 8, "QN08: {challenge}");
    let response = token.run(&["challenge", TOKEN_NAME, &challenge], &[]);
    pages.fill("Response", &wrong_by_one_digit(response.trim()));
    pages.button("Sign in");
    assert!(pages.error().contains("wrong"), "{}", pages.error());

    // A wrong response uses the challenge up: the page shows a new one.
    let challenge = pages.text("#challenge");
    let response = token.run(&["challenge", TOKEN_NAME, &challenge], &[]);
    pages.fill("Response", response.trim());
    pages.button("Sign in");
    pages.expect("Your account");
    browser.stop().unwrap();
}

/// The activation link sent by e-mail from the page arrives (at a local SMTP receiver), holds
/// no password, and activates the real token with the password the page shows.
#[test]
fn the_link_mailed_from_the_page_activates_the_token() {
    let sink = SmtpSink::start().unwrap();
    let port = sink.port().to_string();
    let mut serve = SERVE.to_vec();
    serve.extend([
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port,
        "--smtp-tls",
        "none",
        "--smtp-from",
        "Tessera Self Service <tessera@example.edu>",
    ]);
    let server = Server::start_with(Database::Sqlite, &serve);
    server.set_answers(USER);
    let browser = Browser::start(Window::DESKTOP).unwrap();
    let pages = Pages::new(&browser, &server.base);
    pages.sign_in(USER, PASSWORD);
    pages.answer_question(&chosen());
    pages.link("Request a soft token");
    pages.button("Yes");
    pages.button("Yes, it is installed");
    pages.expect("Activate your soft token");

    pages.fill("E-mail address", "alice@example.edu");
    pages.button("Send the link by e-mail");
    assert_eq!(
        pages.notice(),
        "The activation link was sent to alice@example.edu."
    );
    let password = pages.text("#link-password");

    let messages = sink.wait_for_messages(1, Duration::from_secs(10)).unwrap();
    assert_eq!(messages[0].to, ["alice@example.edu"]);
    let message = MessageParser::default().parse(&messages[0].data).unwrap();
    let body = message.body_text(0).unwrap().into_owned();
    assert!(!body.contains(&password), "the e-mail holds no password");
    let link = body
        .split_whitespace()
        .find(|word| word.starts_with("igmobileotp://"))
        .unwrap_or_else(|| panic!("no link in {body:?}"))
        .to_owned();

    let token = Token::new();
    let added = token.run(
        &["add", "--uri"],
        &[("TESSERA_URI", &link), ("TESSERA_LINK_PASSWORD", &password)],
    );
    let registration = added
        .lines()
        .find_map(|l| l.strip_prefix("registration code: "))
        .unwrap_or_else(|| panic!("no registration code in {added:?}"));
    pages.fill("Registration code", registration);
    pages.button("Activate");
    assert_eq!(
        pages.notice(),
        "You have successfully activated the soft token."
    );
    browser.stop().unwrap();
}
