//! `serve`'s options: each from the command line, else the configuration file, else its
//! default; and the TLS configuration they name.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use axum_server::tls_rustls::RustlsConfig;
use tessera_core::issuer::{MAX_RESYNC_STEPS, MAX_WINDOW_STEPS};

use crate::commands::Verification;
use crate::config::ConfigFile;
use crate::error::StartError;
use crate::http::RateLimit;
use crate::mail::{SmtpArgs, SmtpSettings};
use crate::questions::{CHALLENGE_SECONDS, MAX_CHALLENGE_SECONDS, default_offered};
use crate::throttle::Policy;
use crate::web::{MAX_SESSION_SECONDS, SessionLimits};

/// The default address: loopback only.
const DEFAULT_LISTEN: SocketAddr = SocketAddr::new(std::net::IpAddr::V4(Ipv4Addr::LOCALHOST), 8443);

/// `serve`'s own options as given on the command line.
#[derive(Debug, Default, clap::Args)]
pub struct ServeArgs {
    /// The address to listen on [default: 127.0.0.1:8443]. Any but a loopback address needs
    /// --tls-cert and --tls-key, or --insecure-http behind a TLS-terminating proxy.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<SocketAddr>,
    /// The self-service address put in activation links when a request gives none.
    #[arg(long, value_name = "HOST/PATH")]
    pub address: Option<String>,
    /// The certificate chain (PEM) to serve HTTPS with.
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Serve plain HTTP on a non-loopback address (a proxy in front does TLS).
    #[arg(long)]
    pub insecure_http: bool,
    /// Requests per second each client address may send, sustained [default: 20].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit_per_second: Option<u32>,
    /// Requests each client address may send at once [default: 50].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate_limit_burst: Option<u32>,
    /// Steps of 30 seconds accepted each way for one code (RFC 6238 section 5.2) [default: 1].
    #[arg(long, value_name = "STEPS",
          value_parser = clap::value_parser!(u8).range(0..=i64::from(MAX_WINDOW_STEPS)))]
    pub window: Option<u8>,
    /// Steps each way in which two consecutive codes resynchronise a token whose clock is
    /// beyond the window (RFC 4226 section 7.4) [default: 10].
    #[arg(long, value_name = "STEPS",
          value_parser = clap::value_parser!(u8).range(0..=i64::from(MAX_RESYNC_STEPS)))]
    pub resync_steps: Option<u8>,
    /// Consecutive failures of a factor (password, answer, code) that cost no delay
    /// [default: 3].
    #[arg(long, value_name = "N")]
    pub free_failures: Option<u32>,
    /// The delay after the first failure beyond the free ones, in seconds; it doubles with
    /// each further failure [default: 1].
    #[arg(long, value_name = "SECONDS")]
    pub delay_seconds: Option<u64>,
    /// Consecutive failures of a factor that lock it [default: 10].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub lock_after: Option<u32>,
    /// How long a lock lasts, in seconds; then the count starts again [default: 900].
    #[arg(long, value_name = "SECONDS")]
    pub lock_seconds: Option<u64>,
    /// How long a challenge question asked can be answered, in seconds [default: 300].
    #[arg(long, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=MAX_CHALLENGE_SECONDS))]
    pub question_seconds: Option<u64>,
    /// How long a Self Service session lasts without a request, in seconds [default: 900].
    #[arg(long, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=MAX_SESSION_SECONDS))]
    pub session_idle_seconds: Option<u64>,
    /// How long a Self Service session lasts at most, in seconds [default: 28800].
    #[arg(long, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=MAX_SESSION_SECONDS))]
    pub session_max_seconds: Option<u64>,
    /// The mail server activation links are sent through.
    #[command(flatten)]
    pub smtp: SmtpArgs,
}

/// `serve`'s options once the command line and the configuration file are merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The default self-service address.
    pub address: Option<String>,
    /// The certificate chain and key, when serving HTTPS.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Plain HTTP allowed on a non-loopback address.
    pub insecure_http: bool,
    /// The limit per client address.
    pub rate_limit: RateLimit,
    /// How codes are matched to the server's clock.
    pub verification: Verification,
    /// How failed passwords, answers and codes are throttled.
    pub throttle: Policy,
    /// The challenge questions offered.
    pub questions: Vec<String>,
    /// How long a question asked can be answered, in seconds.
    pub question_seconds: u64,
    /// The mail server, when activation links may be sent by e-mail.
    pub smtp: Option<SmtpSettings>,
    /// The Self Service pages' session limits.
    pub sessions: SessionLimits,
}

impl ServeArgs {
    /// The command line's options, else the file's, else the defaults.
    pub fn merge(&self, config: &ConfigFile) -> Result<ServeOptions, StartError> {
        let (cert, key) = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => (Some(cert.clone()), Some(key.clone())),
            _ => (config.tls_cert.clone(), config.tls_key.clone()),
        };
        let tls = match (cert, key) {
            (Some(cert), Some(key)) => Some((cert, key)),
            (None, None) => None,
            _ => {
                return Err(StartError::Input {
                    field: "--config",
                    message: "tls_cert and tls_key go together: give both or neither".into(),
                });
            }
        };
        let limits = config.rate_limit.unwrap_or_default();
        let default = RateLimit::default();
        let throttle = config.throttle.unwrap_or_default();
        let default_throttle = Policy::default();
        let default_verification = Verification::default();
        let smtp = self.smtp.merge(config.smtp.as_ref())?;
        Ok(ServeOptions {
            listen: self.listen.or(config.listen).unwrap_or(DEFAULT_LISTEN),
            address: self.address.clone().or_else(|| config.address.clone()),
            tls,
            insecure_http: self.insecure_http || config.insecure_http.unwrap_or(false),
            rate_limit: RateLimit {
                per_second: self
                    .rate_limit_per_second
                    .or(limits.per_second)
                    .unwrap_or(default.per_second),
                burst: self
                    .rate_limit_burst
                    .or(limits.burst)
                    .unwrap_or(default.burst),
            },
            verification: Verification {
                window: self
                    .window
                    .or(config.window)
                    .unwrap_or(default_verification.window),
                resync_steps: self
                    .resync_steps
                    .or(config.resync_steps)
                    .unwrap_or(default_verification.resync_steps),
            },
            throttle: Policy {
                free_failures: self
                    .free_failures
                    .or(throttle.free_failures)
                    .unwrap_or(default_throttle.free_failures),
                delay_seconds: self
                    .delay_seconds
                    .or(throttle.delay_seconds)
                    .unwrap_or(default_throttle.delay_seconds),
                lock_after: self
                    .lock_after
                    .or(throttle.lock_after)
                    .unwrap_or(default_throttle.lock_after),
                lock_seconds: self
                    .lock_seconds
                    .or(throttle.lock_seconds)
                    .unwrap_or(default_throttle.lock_seconds),
            },
            questions: config.questions.clone().unwrap_or_else(default_offered),
            question_seconds: self
                .question_seconds
                .or(config.question_seconds)
                .unwrap_or(CHALLENGE_SECONDS),
            smtp,
            sessions: SessionLimits {
                idle_seconds: self
                    .session_idle_seconds
                    .or(config.session_idle_seconds)
                    .unwrap_or(SessionLimits::default().idle_seconds),
                max_seconds: self
                    .session_max_seconds
                    .or(config.session_max_seconds)
                    .unwrap_or(SessionLimits::default().max_seconds),
            },
        })
    }
}

impl ServeOptions {
    /// The TLS configuration read from the certificate and key files, when serving HTTPS.
    pub async fn tls(&self) -> Result<Option<RustlsConfig>, StartError> {
        let Some((cert, key)) = &self.tls else {
            return Ok(None);
        };
        // rustls picks its one compiled-in provider (ring: see Cargo.toml).
        RustlsConfig::from_pem_file(cert, key)
            .await
            .map(Some)
            .map_err(|e| StartError::Input {
                field: "--tls-cert",
                message: format!(
                    "could not use {} and {}: {e}",
                    cert.display(),
                    key.display()
                ),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authentication_options_come_from_the_command_line_then_the_file_then_the_defaults() {
        let file = crate::config::parse(
            "window = 3\nresync_steps = 4\n[throttle]\nfree_failures = 5\nlock_seconds = 60\n",
        )
        .unwrap();
        let args = ServeArgs {
            window: Some(2),
            lock_seconds: Some(30),
            ..ServeArgs::default()
        };
        let merged = args.merge(&file).unwrap();
        assert_eq!(
            merged.verification,
            Verification {
                window: 2,
                resync_steps: 4
            }
        );
        assert_eq!(
            merged.throttle,
            Policy {
                free_failures: 5,
                delay_seconds: 1,
                lock_after: 10,
                lock_seconds: 30,
            }
        );
        let defaults = ServeArgs::default().merge(&ConfigFile::default()).unwrap();
        assert_eq!(
            defaults.verification,
            Verification {
                window: 1,
                resync_steps: 10
            }
        );
        assert_eq!(defaults.throttle, Policy::default());
        assert_eq!(defaults.questions, default_offered());
        assert_eq!(defaults.question_seconds, 300);
        let asked = crate::config::parse("question_seconds = 60\n").unwrap();
        assert_eq!(
            ServeArgs::default().merge(&asked).unwrap().question_seconds,
            60
        );
        let quick = ServeArgs {
            question_seconds: Some(5),
            ..ServeArgs::default()
        };
        assert_eq!(quick.merge(&asked).unwrap().question_seconds, 5);
        assert_eq!(defaults.sessions, SessionLimits::default());
        let sessions =
            crate::config::parse("session_idle_seconds = 60\nsession_max_seconds = 600\n").unwrap();
        let short = ServeArgs {
            session_idle_seconds: Some(30),
            ..ServeArgs::default()
        };
        assert_eq!(
            short.merge(&sessions).unwrap().sessions,
            SessionLimits {
                idle_seconds: 30,
                max_seconds: 600
            }
        );
        assert!(crate::config::parse("session_idle_seconds = 0\n").is_err());
        let listed = crate::config::parse("questions = [\"A?\", \"B?\", \"C?\"]\n").unwrap();
        assert_eq!(
            ServeArgs::default().merge(&listed).unwrap().questions,
            ["A?", "B?", "C?"]
        );
    }
}
