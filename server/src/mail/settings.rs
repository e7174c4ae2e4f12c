//! Where activation links are mailed from: the `[smtp]` table of the configuration file and
//! `serve`'s `--smtp-*` options (an option wins over the file), checked once at start.
//!
//! The password is never a plain setting: it is read from `password_file` (`--smtp-password-
//! file`), else from the environment variable `TESSERA_SMTP_PASSWORD`, and only when a user
//! name is set.

use std::net::IpAddr;
use std::path::PathBuf;

use lettre::message::Mailbox;
use serde::Deserialize;

use crate::error::StartError;

/// The environment variable holding the SMTP password when no password file is given.
pub const PASSWORD_ENV: &str = "TESSERA_SMTP_PASSWORD";

/// How the connection to the mail server is protected.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum SmtpTls {
    /// Plain SMTP, allowed only to a server on this machine (loopback).
    None,
    /// Plain SMTP upgraded with STARTTLS, which the server must offer (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (SMTPS, port 465).
    Tls,
}

impl SmtpTls {
    /// The usual port for this mode.
    pub fn default_port(self) -> u16 {
        match self {
            Self::None => 25,
            Self::Starttls => 587,
            Self::Tls => 465,
        }
    }
}

/// `[smtp]` in the configuration file.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpTable {
    /// `--smtp-host`.
    pub host: Option<String>,
    /// `--smtp-port`.
    pub port: Option<u16>,
    /// `--smtp-from`.
    pub from: Option<String>,
    /// `--smtp-tls`.
    pub tls: Option<SmtpTls>,
    /// `--smtp-username`.
    pub username: Option<String>,
    /// `--smtp-password-file`.
    pub password_file: Option<PathBuf>,
}

/// `serve`'s SMTP options as given on the command line.
#[derive(Debug, Default, clap::Args)]
pub struct SmtpArgs {
    /// The mail server activation links are sent through; without it, no e-mail is sent.
    #[arg(long, value_name = "HOST")]
    pub smtp_host: Option<String>,
    /// The mail server's port [default: 587 for starttls, 465 for tls, 25 for none].
    #[arg(long, value_name = "PORT")]
    pub smtp_port: Option<u16>,
    /// The sender of activation e-mails: an address, or `Name <address>`.
    #[arg(long, value_name = "ADDRESS")]
    pub smtp_from: Option<String>,
    /// starttls (the default), tls, or none (only to a mail server on loopback).
    #[arg(long, value_name = "MODE")]
    pub smtp_tls: Option<SmtpTls>,
    /// The user name to log in to the mail server with (the password from
    /// --smtp-password-file or TESSERA_SMTP_PASSWORD).
    #[arg(long, value_name = "NAME")]
    pub smtp_username: Option<String>,
    /// A file holding the SMTP password (its first line).
    #[arg(long, value_name = "FILE")]
    pub smtp_password_file: Option<PathBuf>,
}

/// The mail server and sender, once merged and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    /// The mail server's host name or address.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// The sender of every message.
    pub from: Mailbox,
    /// How the connection is protected.
    pub tls: SmtpTls,
    /// The user name to log in with, if the server wants one.
    pub username: Option<String>,
    /// Where the password is read from (else `TESSERA_SMTP_PASSWORD`).
    pub password_file: Option<PathBuf>,
}

fn input(field: &'static str, message: impl Into<String>) -> StartError {
    StartError::Input {
        field,
        message: message.into(),
    }
}

impl SmtpArgs {
    /// The command line's settings, else the file's; `None` when no mail server is set.
    pub fn merge(&self, table: Option<&SmtpTable>) -> Result<Option<SmtpSettings>, StartError> {
        let table = table.cloned().unwrap_or_default();
        let host = self.smtp_host.clone().or(table.host);
        let from = self.smtp_from.clone().or(table.from);
        let tls = self.smtp_tls.or(table.tls).unwrap_or_default();
        let port = self.smtp_port.or(table.port);
        let username = self.smtp_username.clone().or(table.username);
        let password_file = self.smtp_password_file.clone().or(table.password_file);
        let Some(host) = host.filter(|host| !host.trim().is_empty()) else {
            if from.is_some() || port.is_some() || username.is_some() || password_file.is_some() {
                return Err(input(
                    "--smtp-host",
                    "give the mail server's host: other SMTP settings are set without it",
                ));
            }
            return Ok(None);
        };
        let from = from.ok_or_else(|| {
            input(
                "--smtp-from",
                "give the sender address of activation e-mails",
            )
        })?;
        let from = from.parse::<Mailbox>().map_err(|e| {
            input(
                "--smtp-from",
                format!("{from:?} is not an e-mail address: {e}"),
            )
        })?;
        if tls == SmtpTls::None && !is_loopback(&host) {
            return Err(input(
                "--smtp-tls",
                format!(
                    "none sends mail unprotected, which is allowed only to a mail server on \
                     this machine (localhost or a loopback address), not {host}; use starttls \
                     or tls"
                ),
            ));
        }
        if port == Some(0) {
            return Err(input("--smtp-port", "the port must be between 1 and 65535"));
        }
        if password_file.is_some() && username.is_none() {
            return Err(input(
                "--smtp-password-file",
                "a password is given without --smtp-username",
            ));
        }
        Ok(Some(SmtpSettings {
            port: port.unwrap_or(tls.default_port()),
            host,
            from,
            tls,
            username,
            password_file,
        }))
    }
}

/// `localhost` or a loopback address (127.0.0.0/8, ::1).
fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> SmtpTable {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn nothing_set_means_no_mail() {
        assert_eq!(SmtpArgs::default().merge(None).unwrap(), None);
        assert_eq!(
            SmtpArgs::default()
                .merge(Some(&SmtpTable::default()))
                .unwrap(),
            None
        );
    }

    #[test]
    fn the_command_line_wins_and_the_port_follows_the_mode() {
        let file = table(
            "host = \"mail.example.edu\"\nfrom = \"Tessera <tessera@example.edu>\"\ntls = \"tls\"\nusername = \"tessera\"\npassword_file = \"/etc/tessera/smtp\"\n",
        );
        let merged = SmtpArgs::default().merge(Some(&file)).unwrap().unwrap();
        assert_eq!(merged.host, "mail.example.edu");
        assert_eq!(merged.port, 465);
        assert_eq!(merged.tls, SmtpTls::Tls);
        assert_eq!(merged.from.email.to_string(), "tessera@example.edu");
        assert_eq!(merged.from.name.as_deref(), Some("Tessera"));
        assert_eq!(merged.username.as_deref(), Some("tessera"));
        let args = SmtpArgs {
            smtp_host: Some("relay.example.edu".into()),
            smtp_tls: Some(SmtpTls::Starttls),
            ..SmtpArgs::default()
        };
        let merged = args.merge(Some(&file)).unwrap().unwrap();
        assert_eq!(
            (merged.host.as_str(), merged.port),
            ("relay.example.edu", 587)
        );
        let args = SmtpArgs {
            smtp_port: Some(2525),
            ..SmtpArgs::default()
        };
        assert_eq!(args.merge(Some(&file)).unwrap().unwrap().port, 2525);
    }

    #[test]
    fn plain_smtp_is_allowed_to_loopback_only() {
        for host in ["localhost", "127.0.0.1", "127.8.9.1", "::1", "[::1]"] {
            let args = SmtpArgs {
                smtp_host: Some(host.into()),
                smtp_from: Some("tessera@example.edu".into()),
                smtp_tls: Some(SmtpTls::None),
                ..SmtpArgs::default()
            };
            let merged = args.merge(None).unwrap().unwrap();
            assert_eq!(merged.port, 25, "{host}");
        }
        for host in ["mail.example.edu", "10.0.0.1", "localhost.example.edu"] {
            let args = SmtpArgs {
                smtp_host: Some(host.into()),
                smtp_from: Some("tessera@example.edu".into()),
                smtp_tls: Some(SmtpTls::None),
                ..SmtpArgs::default()
            };
            let error = args.merge(None).unwrap_err().to_string();
            assert!(
                error.starts_with("--smtp-tls: none sends mail unprotected"),
                "{error}"
            );
            assert!(error.contains(host), "{error}");
        }
    }

    #[test]
    fn incomplete_or_wrong_settings_name_their_option() {
        let cases = [
            (
                "from = \"a@b.c\"\n",
                "--smtp-host: give the mail server's host",
            ),
            ("host = \"m.b.c\"\n", "--smtp-from: give the sender address"),
            (
                "host = \"m.b.c\"\nfrom = \"not an address\"\n",
                "--smtp-from: \"not an address\" is not an e-mail address",
            ),
            (
                "host = \"m.b.c\"\nfrom = \"a@b.c\"\nport = 0\n",
                "--smtp-port: the port must be between 1 and 65535",
            ),
            (
                "host = \"m.b.c\"\nfrom = \"a@b.c\"\npassword_file = \"p\"\n",
                "--smtp-password-file: a password is given without --smtp-username",
            ),
        ];
        for (text, expected) in cases {
            let error = SmtpArgs::default()
                .merge(Some(&table(text)))
                .unwrap_err()
                .to_string();
            assert!(error.starts_with(expected), "{text}: {error}");
        }
        let misspelt = toml::from_str::<SmtpTable>("hots = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(misspelt.contains("unknown field `hots`"), "{misspelt}");
        let mode = toml::from_str::<SmtpTable>("tls = \"ssl\"\n")
            .unwrap_err()
            .to_string();
        assert!(mode.contains("unknown variant `ssl`"), "{mode}");
    }
}
