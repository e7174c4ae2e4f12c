//! `serve`'s options: each from the command line, else the configuration file, else its
//! default; and the TLS configuration they name.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use axum_server::tls_rustls::RustlsConfig;

use crate::config::ConfigFile;
use crate::error::StartError;
use crate::http::RateLimit;

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
