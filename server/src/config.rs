//! The configuration file (`--config FILE`, TOML): a key for every command-line option, the
//! option winning when both are given. Unknown keys are refused, so a misspelt key is an error
//! rather than a silently ignored setting.
//!
//! ```toml
//! data = "/var/lib/tessera"
//! database = "postgres://tessera@db/tessera"   # optional: the SQLite file otherwise
//! listen = "0.0.0.0:8443"
//! address = "id.example.edu/igst"
//! tls_cert = "/etc/tessera/cert.pem"
//! tls_key = "/etc/tessera/key.pem"
//! insecure_http = false
//! log_format = "json"                          # or "text"
//! window = 1
//! resync_steps = 10
//! questions = ["What was the name of your first pet?", "..."]   # at least 3
//! question_seconds = 300
//! session_idle_seconds = 900                   # Self Service pages: sign out after 15 idle minutes
//! session_max_seconds = 28800                  # and after 8 hours whatever happens
//! [rate_limit]
//! per_second = 20
//! burst = 50
//! [smtp]                                       # optional: activation links by e-mail
//! host = "mail.example.edu"
//! port = 587                                   # default: 587 (starttls), 465 (tls), 25 (none)
//! from = "Tessera <tessera@example.edu>"
//! tls = "starttls"                             # or "tls", or "none" (loopback only)
//! username = "tessera"                         # optional
//! password_file = "/etc/tessera/smtp-password" # or TESSERA_SMTP_PASSWORD
//! [throttle]
//! free_failures = 3
//! delay_seconds = 1
//! lock_after = 10
//! lock_seconds = 900
//! ```

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tessera_core::issuer::{MAX_RESYNC_STEPS, MAX_WINDOW_STEPS};

use crate::error::StartError;
use crate::mail::SmtpTable;
use crate::questions::{MAX_CHALLENGE_SECONDS, offered_problem};
use crate::web::MAX_SESSION_SECONDS;

/// The largest configuration file read: a few lines of settings.
pub const MAX_CONFIG_BYTES: u64 = 64 * 1024;

/// What the configuration file may set.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// `--data`.
    pub data: Option<PathBuf>,
    /// `--database`.
    pub database: Option<String>,
    /// `serve --listen`.
    pub listen: Option<SocketAddr>,
    /// `serve --address`.
    pub address: Option<String>,
    /// `serve --tls-cert`.
    pub tls_cert: Option<PathBuf>,
    /// `serve --tls-key`.
    pub tls_key: Option<PathBuf>,
    /// `serve --insecure-http`.
    pub insecure_http: Option<bool>,
    /// `--log-format`.
    pub log_format: Option<LogFormat>,
    /// `serve --rate-limit-per-second` and `--rate-limit-burst`.
    pub rate_limit: Option<RateLimitTable>,
    /// `serve --window`.
    pub window: Option<u8>,
    /// `serve --resync-steps`.
    pub resync_steps: Option<u8>,
    /// The challenge questions offered (no option: a list belongs in a file).
    pub questions: Option<Vec<String>>,
    /// `serve --question-seconds`.
    pub question_seconds: Option<u64>,
    /// `serve --session-idle-seconds`.
    pub session_idle_seconds: Option<u64>,
    /// `serve --session-max-seconds`.
    pub session_max_seconds: Option<u64>,
    /// `serve --free-failures`, `--delay-seconds`, `--lock-after` and `--lock-seconds`.
    pub throttle: Option<ThrottleTable>,
    /// `serve --smtp-*`: the mail server activation links are sent through.
    pub smtp: Option<SmtpTable>,
}

/// `[throttle]`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThrottleTable {
    /// Consecutive failures of a factor that cost no delay.
    pub free_failures: Option<u32>,
    /// The first delay beyond the free failures, in seconds (it doubles).
    pub delay_seconds: Option<u64>,
    /// Consecutive failures that lock a factor (at least 1).
    pub lock_after: Option<u32>,
    /// How long a lock lasts, in seconds.
    pub lock_seconds: Option<u64>,
}

/// `[rate_limit]`.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitTable {
    /// Requests per second per client address, sustained (at least 1).
    pub per_second: Option<u32>,
    /// Requests at once per client address (at least 1).
    pub burst: Option<u32>,
}

/// How log lines are written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Text,
    /// One JSON object per event, for a log collector.
    Json,
}

/// Parses the text of a configuration file.
pub fn parse(text: &str) -> Result<ConfigFile, StartError> {
    let config: ConfigFile = toml::from_str(text).map_err(|e| StartError::Input {
        field: "--config",
        message: e.message().to_owned() + &where_in(text, e.span()),
    })?;
    if let Some(table) = config.rate_limit {
        for (key, value) in [("per_second", table.per_second), ("burst", table.burst)] {
            if value == Some(0) {
                return Err(StartError::Input {
                    field: "--config",
                    message: format!("rate_limit.{key} must be at least 1"),
                });
            }
        }
    }
    for (key, value, max) in [
        ("window", config.window, MAX_WINDOW_STEPS),
        ("resync_steps", config.resync_steps, MAX_RESYNC_STEPS),
    ] {
        if value.is_some_and(|steps| steps > max) {
            return Err(StartError::Input {
                field: "--config",
                message: format!("{key} must be at most {max}"),
            });
        }
    }
    if config
        .question_seconds
        .is_some_and(|seconds| !(1..=MAX_CHALLENGE_SECONDS).contains(&seconds))
    {
        return Err(StartError::Input {
            field: "--config",
            message: format!("question_seconds must be 1 to {MAX_CHALLENGE_SECONDS}"),
        });
    }
    for (key, value) in [
        ("session_idle_seconds", config.session_idle_seconds),
        ("session_max_seconds", config.session_max_seconds),
    ] {
        if value.is_some_and(|seconds| !(1..=MAX_SESSION_SECONDS).contains(&seconds)) {
            return Err(StartError::Input {
                field: "--config",
                message: format!("{key} must be 1 to {MAX_SESSION_SECONDS}"),
            });
        }
    }
    if let Some(problem) = config.questions.as_deref().and_then(offered_problem) {
        return Err(StartError::Input {
            field: "--config",
            message: problem,
        });
    }
    if config.throttle.and_then(|table| table.lock_after) == Some(0) {
        return Err(StartError::Input {
            field: "--config",
            message: "throttle.lock_after must be at least 1".into(),
        });
    }
    Ok(config)
}

/// " (line N)" for an error's place in the file, when toml gives one.
fn where_in(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    span.and_then(|span| text.get(..span.start))
        .map(|before| format!(" (line {})", before.matches('\n').count() + 1))
        .unwrap_or_default()
}

/// Reads and parses the file at `path`.
pub fn read(path: &Path) -> Result<ConfigFile, StartError> {
    let metadata = std::fs::metadata(path).map_err(|e| StartError::file("read", path, &e))?;
    if metadata.len() > MAX_CONFIG_BYTES {
        return Err(StartError::Input {
            field: "--config",
            message: format!("{} is larger than {MAX_CONFIG_BYTES} bytes", path.display()),
        });
    }
    let text = std::fs::read_to_string(path).map_err(|e| StartError::file("read", path, &e))?;
    parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_parses() {
        let config = parse(
            "data = \"/d\"\ndatabase = \"postgres://x\"\nlisten = \"0.0.0.0:1\"\naddress = \"a.b/c\"\ntls_cert = \"c\"\ntls_key = \"k\"\ninsecure_http = true\nlog_format = \"json\"\n[rate_limit]\nper_second = 3\nburst = 4\n",
        )
        .unwrap();
        assert_eq!(config.data, Some(PathBuf::from("/d")));
        assert_eq!(config.listen, Some("0.0.0.0:1".parse().unwrap()));
        assert_eq!(config.log_format, Some(LogFormat::Json));
        assert_eq!(config.insecure_http, Some(true));
        assert_eq!(
            config.rate_limit,
            Some(RateLimitTable {
                per_second: Some(3),
                burst: Some(4)
            })
        );
    }

    #[test]
    fn the_authentication_keys_parse_and_out_of_range_values_are_refused() {
        let config = parse(
            "window = 2\nresync_steps = 5\n[throttle]\nfree_failures = 4\ndelay_seconds = 2\nlock_after = 6\nlock_seconds = 60\n",
        )
        .unwrap();
        assert_eq!(config.window, Some(2));
        assert_eq!(config.resync_steps, Some(5));
        assert_eq!(
            config.throttle,
            Some(ThrottleTable {
                free_failures: Some(4),
                delay_seconds: Some(2),
                lock_after: Some(6),
                lock_seconds: Some(60),
            })
        );
        assert_eq!(
            parse("question_seconds = 60\n").unwrap().question_seconds,
            Some(60)
        );
        for seconds in [0, 3601] {
            let refused = parse(&format!("question_seconds = {seconds}\n"))
                .unwrap_err()
                .to_string();
            assert_eq!(refused, "--config: question_seconds must be 1 to 3600");
        }
        let wide = parse("window = 11\n").unwrap_err().to_string();
        assert_eq!(wide, "--config: window must be at most 10");
        let resync = parse("resync_steps = 11\n").unwrap_err().to_string();
        assert_eq!(resync, "--config: resync_steps must be at most 10");
        let never = parse("[throttle]\nlock_after = 0\n")
            .unwrap_err()
            .to_string();
        assert_eq!(never, "--config: throttle.lock_after must be at least 1");
        let misspelt = parse("[throttle]\nlock_afer = 3\n")
            .unwrap_err()
            .to_string();
        assert!(
            misspelt.starts_with("--config: unknown field `lock_afer`"),
            "{misspelt}"
        );
    }

    #[test]
    fn the_questions_parse_and_a_bad_list_is_refused_naming_the_key() {
        let config = parse("questions = [\"One?\", \"Two?\", \"Three?\"]\n").unwrap();
        assert_eq!(
            config.questions,
            Some(vec![
                "One?".to_owned(),
                "Two?".to_owned(),
                "Three?".to_owned()
            ])
        );
        let cases = [
            (
                "questions = [\"One?\", \"Two?\"]\n",
                "--config: questions must list 3 to 100 questions (each user picks 3), not 2",
            ),
            (
                "questions = [\"One?\", \"\", \"Three?\"]\n",
                "--config: questions[1] is empty",
            ),
            (
                "questions = [\"One?\", \"Two?\", \" ONE? \"]\n",
                "--config: questions[2] is the same question as questions[0]",
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text).unwrap_err().to_string(), expected, "{text}");
        }
        let long = format!("questions = [\"a\", \"b\", \"{}\"]\n", "x".repeat(300));
        assert_eq!(
            parse(&long).unwrap_err().to_string(),
            "--config: questions[2] has 300 characters, at most 256"
        );
        let wrong = parse("questions = \"One?\"\n").unwrap_err().to_string();
        assert!(wrong.contains("line 1"), "{wrong}");
    }

    #[test]
    fn the_smtp_table_parses() {
        let config = parse(
            "[smtp]\nhost = \"mail.example.edu\"\nport = 2525\nfrom = \"tessera@example.edu\"\ntls = \"tls\"\nusername = \"t\"\npassword_file = \"/p\"\n",
        )
        .unwrap();
        let smtp = config.smtp.unwrap();
        assert_eq!(smtp.host.as_deref(), Some("mail.example.edu"));
        assert_eq!(smtp.port, Some(2525));
        assert_eq!(smtp.tls, Some(crate::mail::SmtpTls::Tls));
        assert_eq!(smtp.password_file, Some(PathBuf::from("/p")));
        let plain = parse("[smtp]\npassword = \"x\"\n").unwrap_err().to_string();
        assert!(
            plain.starts_with("--config: unknown field `password`"),
            "{plain}"
        );
    }

    #[test]
    fn unknown_keys_wrong_types_and_zero_limits_are_refused_with_the_line() {
        let unknown = parse("data = \"/d\"\nlisen = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            unknown.starts_with("--config: unknown field `lisen`"),
            "{unknown}"
        );
        assert!(unknown.ends_with("(line 2)"), "{unknown}");
        let wrong = parse("listen = 8443\n").unwrap_err().to_string();
        assert!(wrong.contains("line 1"), "{wrong}");
        let zero = parse("[rate_limit]\nburst = 0\n").unwrap_err().to_string();
        assert_eq!(zero, "--config: rate_limit.burst must be at least 1");
    }
}
