//! Activation links by e-mail through the real mail module (lettre) to a local SMTP receiver
//! (tessera-smtp-sink) on a loopback port: envelope, headers and body as a mail client reads
//! them, the link in the body and its password nowhere in the message.

use std::time::Duration;

use mail_parser::MessageParser;
use tessera_server::mail::{ACTIVATION_SUBJECT, MailError, Mailer, SmtpSettings, SmtpTls};
use tessera_smtp_sink::SmtpSink;

/// A real sealed link and its password, from the shared IdentityGuard vectors.
fn vector_link() -> (String, String) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/identityguard.json"
    );
    let vectors: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let link = vectors["links"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|link| link["sealed_uri"].as_str().unwrap().len())
        .unwrap();
    (
        link["sealed_uri"].as_str().unwrap().to_string(),
        link["password"].as_str().unwrap().to_string(),
    )
}

fn mailer_to(port: u16) -> Mailer {
    Mailer::new(&SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        from: "Tessera Self Service <tessera@example.edu>"
            .parse()
            .unwrap(),
        tls: SmtpTls::None,
        username: None,
        password_file: None,
    })
    .unwrap()
}

#[tokio::test]
async fn the_link_is_mailed_without_its_password() {
    let sink = SmtpSink::start().unwrap();
    let (link, password) = vector_link();
    assert!(link.len() > 300, "a long link folds in the body: {link}");
    mailer_to(sink.port())
        .send_activation_link("Zoë Doe <zoe@example.edu>", "zoë", &link)
        .await
        .unwrap();
    let messages = sink.wait_for_messages(1, Duration::from_secs(10)).unwrap();
    assert_eq!(messages.len(), 1);
    let received = &messages[0];
    assert_eq!(received.from, "tessera@example.edu");
    assert_eq!(received.to, ["zoe@example.edu"]);

    let message = MessageParser::default().parse(&received.data).unwrap();
    assert_eq!(message.subject(), Some(ACTIVATION_SUBJECT));
    let from = message.from().unwrap().first().unwrap();
    assert_eq!(from.address(), Some("tessera@example.edu"));
    assert_eq!(from.name(), Some("Tessera Self Service"));
    let to = message.to().unwrap().first().unwrap();
    assert_eq!(to.address(), Some("zoe@example.edu"));
    assert_eq!(to.name(), Some("Zoë Doe"));

    let body = message.body_text(0).unwrap();
    assert!(body.starts_with("Hello zoë,"), "{body}");
    // Whole, on a line of its own, however the transfer encoding folded it.
    assert!(
        body.lines().any(|line| line == link),
        "the link is not on a line of its own:\n{body}"
    );
    assert!(body.contains("password"), "{body}");
    assert!(!body.contains(&password), "{body}");
    let raw = String::from_utf8_lossy(&received.data);
    assert!(!raw.contains(&password), "{raw}");
}

#[tokio::test]
async fn a_recipient_that_is_no_address_is_refused_before_sending() {
    let sink = SmtpSink::start().unwrap();
    let (link, _) = vector_link();
    let error = mailer_to(sink.port())
        .send_activation_link("zoe at example", "zoë", &link)
        .await
        .unwrap_err();
    assert!(
        matches!(error, MailError::InvalidAddress { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("this is not an e-mail address"),
        "{error}"
    );
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(sink.messages().is_empty());
}

#[tokio::test]
async fn an_absent_mail_server_is_unavailable() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (link, password) = vector_link();
    let error = mailer_to(port)
        .send_activation_link("zoe@example.edu", "zoë", &link)
        .await
        .unwrap_err();
    assert!(matches!(error, MailError::Unavailable { .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.starts_with("the mail server is unavailable"), "{text}");
    assert!(!text.contains(&password) && !text.contains(&link), "{text}");
}

/// `tessera-server serve` with `args`, which must stop before serving: its error line.
fn serve_refused(args: &[&str], config: Option<&str>) -> String {
    let data = tempfile::tempdir().unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tessera-server"));
    if let Some(text) = config {
        let file = data.path().join("tessera.toml");
        std::fs::write(&file, text).unwrap();
        command.arg("--config").arg(file);
    }
    let output = command
        .arg("serve")
        .arg("--data")
        .arg(data.path().join("data"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .env_remove(tessera_server::mail::PASSWORD_ENV)
        .output()
        .unwrap();
    assert!(!output.status.success());
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn serve_refuses_unprotected_or_incomplete_smtp_settings() {
    let stderr = serve_refused(
        &[],
        Some(
            "[smtp]\nhost = \"mail.example.edu\"\nfrom = \"tessera@example.edu\"\ntls = \"none\"\n",
        ),
    );
    assert!(
        stderr.starts_with("tessera-server: --smtp-tls: none sends mail unprotected"),
        "{stderr}"
    );
    let stderr = serve_refused(
        &[
            "--smtp-host",
            "127.0.0.1",
            "--smtp-from",
            "tessera@example.edu",
            "--smtp-username",
            "tessera",
        ],
        None,
    );
    assert!(
        stderr.starts_with(
            "tessera-server: --smtp-password-file: --smtp-username is set but no password is"
        ),
        "{stderr}"
    );
}
