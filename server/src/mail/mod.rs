//! E-mail of activation links through the organisation's SMTP server (lettre on tokio, TLS by
//! rustls). Configured by `[smtp]` in the configuration file or `serve --smtp-*`
//! ([`settings`]); without a host, the server sends no mail and [`crate::http::AppState`]'s
//! `mailer` is `None`.
//!
//! The pages call [`Mailer::send_activation_link`] when a person asks for their link by
//! e-mail. The message holds the link and what to do with it, never the link's password.

mod message;
pub mod settings;

use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use zeroize::Zeroizing;

use crate::error::StartError;
pub use message::ACTIVATION_SUBJECT;
pub use settings::{PASSWORD_ENV, SmtpArgs, SmtpSettings, SmtpTable, SmtpTls};

/// How long one conversation with the mail server may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a message was not sent. No variant holds a secret.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The recipient is not an e-mail address: show it beside the address field.
    #[error("this is not an e-mail address: {reason}")]
    InvalidAddress {
        /// What the address parser said.
        reason: String,
    },
    /// The mail server refused the message or its recipient for good (a 5xx answer).
    #[error("the mail server refused the message: {reason}")]
    Refused {
        /// The server's answer.
        reason: String,
    },
    /// The mail server could not be reached, the connection or its TLS failed, or it asked to
    /// try later: worth trying again.
    #[error("the mail server is unavailable: {reason}")]
    Unavailable {
        /// What failed.
        reason: String,
    },
    /// The message could not be put together (a defect, not the person's input).
    #[error("the message could not be composed: {reason}")]
    Compose {
        /// What lettre said.
        reason: String,
    },
}

/// Sends the server's e-mail through one SMTP server. Cheap to clone: each clone shares the
/// settings and opens its own connection per message.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    settings: SmtpSettings,
}

impl Mailer {
    /// A mailer for `settings`, reading the password (when a user name is set) from the
    /// password file or `TESSERA_SMTP_PASSWORD`. Nothing is sent and nothing connects yet.
    pub fn new(settings: &SmtpSettings) -> Result<Self, StartError> {
        let password = match &settings.username {
            Some(_) => Some(read_password(settings, std::env::var(PASSWORD_ENV).ok())?),
            None => None,
        };
        let builder = match settings.tls {
            SmtpTls::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            }
            SmtpTls::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
                    .map_err(|e| tls_error(settings, &e))?
            }
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host)
                .map_err(|e| tls_error(settings, &e))?,
        };
        let mut builder = builder.port(settings.port).timeout(Some(SMTP_TIMEOUT));
        if let (Some(username), Some(password)) = (&settings.username, password) {
            // lettre keeps its own copy of the password for the life of the transport.
            builder = builder.credentials(Credentials::new(username.clone(), password.to_string()));
        }
        Ok(Self {
            transport: builder.build(),
            settings: settings.clone(),
        })
    }

    /// The settings this mailer sends with (no password among them).
    pub fn settings(&self) -> &SmtpSettings {
        &self.settings
    }

    /// Mails `link` (an `igmobileotp://` activation link) to `to` for `user`, with a plain
    /// explanation; never the link's password, which the page shows instead.
    pub async fn send_activation_link(
        &self,
        to: &str,
        user: &str,
        link: &str,
    ) -> Result<(), MailError> {
        let message = message::activation(&self.settings.from, to, user, link)?;
        self.transport.send(message).await.map(drop).map_err(|e| {
            if e.is_permanent() {
                MailError::Refused {
                    reason: e.to_string(),
                }
            } else {
                MailError::Unavailable {
                    reason: e.to_string(),
                }
            }
        })
    }
}

/// Without the transport, which holds the password.
impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

fn tls_error(settings: &SmtpSettings, error: &lettre::transport::smtp::Error) -> StartError {
    StartError::Input {
        field: "--smtp-host",
        message: format!("cannot set up TLS to {}: {error}", settings.host),
    }
}

/// The first line of the password file, else `from_env`; an empty password is refused.
fn read_password(
    settings: &SmtpSettings,
    from_env: Option<String>,
) -> Result<Zeroizing<String>, StartError> {
    let password = match &settings.password_file {
        Some(path) => {
            let text = Zeroizing::new(
                std::fs::read_to_string(path).map_err(|e| StartError::file("read", path, &e))?,
            );
            Zeroizing::new(text.lines().next().unwrap_or_default().to_string())
        }
        None => Zeroizing::new(from_env.unwrap_or_default()),
    };
    if password.is_empty() {
        return Err(StartError::Input {
            field: "--smtp-password-file",
            message: format!(
                "--smtp-username is set but no password is: put it in --smtp-password-file or \
                 {PASSWORD_ENV}"
            ),
        });
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(password_file: Option<std::path::PathBuf>) -> SmtpSettings {
        SmtpSettings {
            host: "localhost".into(),
            port: 25,
            from: "tessera@example.edu".parse().unwrap(),
            tls: SmtpTls::None,
            username: Some("tessera".into()),
            password_file,
        }
    }

    #[test]
    fn the_password_comes_from_the_file_first_then_the_environment() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("smtp-password");
        std::fs::write(&file, "from the file\nignored\n").unwrap();
        let read = read_password(&settings(Some(file)), Some("from env".into())).unwrap();
        assert_eq!(read.as_str(), "from the file");
        let read = read_password(&settings(None), Some("from env".into())).unwrap();
        assert_eq!(read.as_str(), "from env");
    }

    #[test]
    fn a_missing_password_is_refused_by_name() {
        let error = read_password(&settings(None), None)
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("--smtp-password-file: --smtp-username is set but no password"),
            "{error}"
        );
        let folder = tempfile::tempdir().unwrap();
        let missing = folder.path().join("nothing");
        let error = read_password(&settings(Some(missing)), None)
            .unwrap_err()
            .to_string();
        assert!(error.starts_with("could not read"), "{error}");
    }

    #[test]
    fn the_debug_form_names_no_password() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("smtp-password");
        std::fs::write(&file, "hunter2-secret\n").unwrap();
        let mailer = Mailer::new(&settings(Some(file))).unwrap();
        let debug = format!("{mailer:?}");
        assert!(debug.contains("tessera@example.edu"), "{debug}");
        assert!(!debug.contains("hunter2"), "{debug}");
    }
}
