//! The subcommands: `serve`, `users add`, `users import`, `keys add`, `audit export` (`keys rotate` and
//! `import-issuer-store` have their own modules). Each opens the data folder and the
//! database the same way, so they all work on a running server's database.

use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sqlx::AnyPool;
use tessera_core::issuer::{DEFAULT_WINDOW_STEPS, MAX_RESYNC_STEPS};

pub use crate::serve_options::ServeOptions;

use crate::api_keys::{self, Scope};
use crate::config::ConfigFile;
use crate::database::users::Role;
use crate::error::StartError;
use crate::http::{AppState, router};
use crate::mail::Mailer;
use crate::token_store::TokenStore;
use crate::{database, master_key, password_input, passwords, user_import, user_names};

/// Where the server keeps its data (each may come from the configuration file instead).
#[derive(Debug, Default, clap::Args)]
pub struct Storage {
    /// The data folder: the master key file and, unless --database says otherwise, the SQLite
    /// database. Made owner-only when it does not exist.
    #[arg(long, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// A database URL instead of the SQLite file: postgres://user@host/db.
    #[arg(long, value_name = "URL")]
    pub database: Option<String>,
}

impl Storage {
    /// Fills what the command line left out from the configuration file.
    pub fn apply(&mut self, config: &ConfigFile) {
        if self.data.is_none() {
            self.data.clone_from(&config.data);
        }
        if self.database.is_none() {
            self.database.clone_from(&config.database);
        }
    }

    /// The data folder.
    pub fn data(&self) -> Result<&Path, StartError> {
        self.data.as_deref().ok_or_else(|| StartError::Input {
            field: "--data",
            message: "give the data folder with --data DIR (or `data` in the --config file)".into(),
        })
    }

    pub(crate) async fn open(&self) -> Result<AnyPool, StartError> {
        let data = self.data()?;
        make_folder(data)?;
        if self.database.is_none() {
            database::make_sqlite_file(data)?;
        }
        database::open(&database::url_for(data, self.database.as_deref())?).await
    }
}

/// How codes are matched to the server's clock (`serve --window` and `--resync-steps`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verification {
    /// Steps of 30 seconds accepted each way for one code (RFC 6238 section 5.2).
    pub window: u8,
    /// Steps each way in which two consecutive codes resynchronise a token whose clock is
    /// beyond the window (RFC 4226 section 7.4).
    pub resync_steps: u8,
}

impl Default for Verification {
    fn default() -> Self {
        Self {
            window: DEFAULT_WINDOW_STEPS,
            resync_steps: MAX_RESYNC_STEPS,
        }
    }
}

/// Creates the data folder owner-only; an existing one is left as it is.
fn make_folder(dir: &Path) -> Result<(), StartError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| StartError::file("create the data folder", dir, &e))
}

/// `serve`: answers the API until SIGINT or SIGTERM, then finishes the requests in flight.
pub async fn serve(storage: &Storage, options: &ServeOptions) -> Result<(), StartError> {
    let tls = options.tls().await?;
    if tls.is_none() && !options.listen.ip().is_loopback() && !options.insecure_http {
        return Err(StartError::Input {
            field: "--listen",
            message: format!(
                "{} is not a loopback address: give --tls-cert and --tls-key, or --insecure-http when a TLS proxy in front does TLS",
                options.listen
            ),
        });
    }
    let mailer = options.smtp.as_ref().map(Mailer::new).transpose()?;
    let pool = storage.open().await?;
    let key = Arc::new(master_key::load(storage.data()?, &pool).await?);
    let state = AppState {
        tokens: TokenStore::new(
            pool.clone(),
            Arc::clone(&key),
            options.verification.window,
            options.verification.resync_steps,
        ),
        pool: pool.clone(),
        address: options.address.clone(),
        throttle: options.throttle,
        questions: options.questions.clone().into(),
        question_seconds: options.question_seconds,
        key,
        mailer,
        sessions: options.sessions,
    };
    let listen_error = |e: std::io::Error| StartError::Input {
        field: "--listen",
        message: format!("could not listen on {}: {e}", options.listen),
    };
    let listener = std::net::TcpListener::bind(options.listen).map_err(listen_error)?;
    let bound = listener.local_addr().map_err(listen_error)?;
    let app =
        router(state, &options.rate_limit).into_make_service_with_connect_info::<SocketAddr>();
    let handle = axum_server::Handle::new();
    let stopping = handle.clone();
    tokio::spawn(async move {
        shutdown_signal().await;
        // No deadline: the requests in flight finish (each has REQUEST_TIMEOUT at most).
        stopping.graceful_shutdown(None);
    });
    let scheme = if tls.is_some() { "https" } else { "http" };
    // Tests and service managers read this line to learn the port when given port 0.
    println!("listening on {scheme}://{bound}");
    tracing::info!(%bound, scheme, "serving");
    let served = match tls {
        Some(tls) => {
            axum_server::from_tcp_rustls(listener, tls)
                .map_err(listen_error)?
                .handle(handle)
                .serve(app)
                .await
        }
        None => {
            axum_server::from_tcp(listener)
                .map_err(listen_error)?
                .handle(handle)
                .serve(app)
                .await
        }
    };
    served.map_err(listen_error)?;
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Resolves at the first SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing the requests in flight");
}

/// `users add USER`.
pub async fn add_user(
    storage: &Storage,
    name: &str,
    password: Option<&str>,
    role: Role,
) -> Result<(), StartError> {
    if let Some(problem) = user_names::problem(name) {
        return Err(StartError::Input {
            field: "USER",
            message: format!("the user name {problem}"),
        });
    }
    let password = password_input::read(password)?;
    passwords::check(&password)?;
    let pool = storage.open().await?;
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&password))
        .await
        .map_err(|e| StartError::Database(e.to_string()))??;
    if !database::users::add(&pool, name, &hash, role)
        .await
        .map_err(StartError::database)?
    {
        return Err(StartError::Input {
            field: "USER",
            message: format!("there is a user {name:?} already"),
        });
    }
    match role {
        Role::User => println!("added user {name}"),
        Role::Helpdesk => println!("added user {name} (help desk)"),
    }
    Ok(())
}

/// `users import FILE`.
pub async fn import_users(storage: &Storage, file: &Path) -> Result<(), StartError> {
    let pool = storage.open().await?;
    let added = user_import::import(&pool, file).await?;
    println!("imported {added} users");
    Ok(())
}

/// `keys add --scope ...`: prints the new key, once.
pub async fn add_key(storage: &Storage, scopes: &[Scope], label: &str) -> Result<(), StartError> {
    if scopes.is_empty() {
        return Err(StartError::Input {
            field: "--scope",
            message: "give at least one scope".into(),
        });
    }
    let pool = storage.open().await?;
    let key = api_keys::make()?;
    database::api_keys::add(
        &pool,
        &key.id,
        &key.secret_hash,
        &api_keys::scopes_to_column(scopes),
        label,
    )
    .await
    .map_err(StartError::database)?;
    println!("{}", key.shown.as_str());
    eprintln!("this key is shown once; the server keeps only its hash");
    Ok(())
}

/// `audit export`: every audit event as one JSON object per line, oldest first.
pub async fn export_audit(storage: &Storage) -> Result<(), StartError> {
    let pool = storage.open().await?;
    let events = database::audit::all(&pool)
        .await
        .map_err(StartError::database)?;
    let mut out = std::io::stdout().lock();
    for event in events {
        let line =
            serde_json::to_string(&event).map_err(|e| StartError::Database(e.to_string()))?;
        writeln!(out, "{line}").map_err(|e| StartError::Database(e.to_string()))?;
    }
    Ok(())
}
