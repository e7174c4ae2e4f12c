//! The activation page's e-mail form, through HTTP: an address that is not one is refused in
//! words, an unreachable mail server is said plainly (and audited as failed), and a server
//! without a mail server offers no e-mail and refuses a forged request for one.

mod common;

use common::web::{Browser, Page};
use common::{Database, PASSWORD, Server, USER};

/// Signs USER in (questions set on the way) and asks for a token: the activation page.
fn activation_page(browser: &mut Browser) -> Page {
    browser.first_sign_in(USER, PASSWORD);
    let asked = browser.get("/token/request");
    let install = browser.submit(&asked, "/token/request", &[("answer", "yes")]);
    let activate = browser.submit(&install, "/token/install", &[("answer", "yes")]);
    assert_eq!(
        activate.h1(),
        "Activate your soft token",
        "{}",
        activate.body
    );
    activate
}

/// `serve` arguments for a mail server on loopback `port`.
fn smtp_on(port: &str) -> Vec<&str> {
    vec![
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        port,
        "--smtp-tls",
        "none",
        "--smtp-from",
        "tessera@example.edu",
    ]
}

#[test]
fn a_bad_address_and_an_absent_mail_server_are_said_in_words() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let server = Server::start_with(Database::Sqlite, &smtp_on(&port));
    let mut browser = Browser::new(&server.base);
    let activate = activation_page(&mut browser);
    assert!(activate.body.contains("Send the link by e-mail"));

    let refused = browser.submit(&activate, "/token/email", &[("email", "not an address")]);
    assert_eq!(
        refused.error().as_deref(),
        Some("That is not an e-mail address. Check it and try again.")
    );
    let failed = browser.submit(&refused, "/token/email", &[("email", "alice@example.edu")]);
    assert_eq!(
        failed.error().as_deref(),
        Some("The e-mail could not be sent. Try again later, or type the values above.")
    );
    // The activation data is still there to type.
    assert_eq!(failed.id("serial"), activate.id("serial"));
    assert!(
        server
            .audit()
            .iter()
            .any(|event| event["action"] == "token.mail_link" && event["outcome"] == "failed")
    );
}

#[test]
fn without_a_mail_server_no_email_is_offered_or_sent() {
    let server = Server::start(Database::Sqlite);
    let mut browser = Browser::new(&server.base);
    let activate = activation_page(&mut browser);
    assert!(!activate.body.contains("Send the link by e-mail"));
    assert!(
        activate
            .body
            .contains("This server is not set up to send e-mail")
    );
    let refused = browser.submit(&activate, "/token/email", &[("email", "alice@example.edu")]);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(
        refused.error().as_deref(),
        Some("This server is not set up to send e-mail.")
    );
}
